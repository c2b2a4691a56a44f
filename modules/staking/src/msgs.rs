//! Domain forms of the staking messages. A value of these types has passed every stateless
//! check of `cosmos.staking.v1beta1` `ValidateBasic` (addresses, amounts, rates, lengths).

use crate::{address::from_valoper, dec::Dec, StakingError};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PbCoin;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use hub_auth::Address;
use hub_framework::{Handled, ModuleError, SdkError};
use prost::Message;

/// Type URL of an ed25519 consensus key in `Any`.
pub const ED25519_TYPE_URL: &str = "/cosmos.crypto.ed25519.PubKey";

/// The description value that leaves a field unchanged in `MsgEditValidator`.
pub const DO_NOT_MODIFY: &str = "[do-not-modify]";

/// Longest validator moniker, in bytes (SDK `MaxMonikerLength`).
pub const MAX_MONIKER_LEN: usize = 70;

/// Length limits of description fields, in bytes (SDK `MaxMonikerLength` etc.).
const DESCRIPTION_LIMITS: [(&str, usize); 5] = [
    ("moniker", MAX_MONIKER_LEN),
    ("identity", 3000),
    ("website", 140),
    ("security_contact", 140),
    ("details", 280),
];

/// A positive amount of one denom (the denom is checked against `bond_denom` statefully).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    /// The denom (`uhub`).
    pub denom: String,
    /// The amount in the denom's smallest unit, > 0.
    pub amount: u128,
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.amount, self.denom)
    }
}

/// Commission rates of a validator, each in [0, 1], with `rate ≤ max_rate` and
/// `max_change_rate ≤ max_rate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommissionRates {
    /// The current rate.
    pub rate: Dec,
    /// The maximum rate the validator can ever charge.
    pub max_rate: Dec,
    /// The maximum daily change of the rate.
    pub max_change_rate: Dec,
}

/// `cosmos.staking.v1beta1.MsgCreateValidator`. Signer: the operator account.
#[derive(Clone, Debug, PartialEq)]
pub struct MsgCreateValidator {
    /// Description (moniker required).
    pub description: pb::Description,
    /// Commission rates.
    pub commission: CommissionRates,
    /// Minimum self-delegation, in tokens (> 0).
    pub min_self_delegation: u128,
    /// The operator account (from `validator_address`, `<hrp>valoper1…`).
    pub operator: Address,
    /// The 32-byte ed25519 consensus public key.
    pub pubkey: [u8; 32],
    /// The self-delegation.
    pub value: Amount,
}

/// `cosmos.staking.v1beta1.MsgDelegate`. Signer: the delegator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgDelegate {
    /// The delegator account.
    pub delegator: Address,
    /// The validator's operator account.
    pub operator: Address,
    /// Tokens to bond.
    pub amount: Amount,
}

/// `cosmos.staking.v1beta1.MsgUndelegate`. Signer: the delegator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgUndelegate {
    /// The delegator account.
    pub delegator: Address,
    /// The validator's operator account.
    pub operator: Address,
    /// Tokens to unbond.
    pub amount: Amount,
}

/// `cosmos.staking.v1beta1.MsgEditValidator`. Signer: the operator account.
#[derive(Clone, Debug, PartialEq)]
pub struct MsgEditValidator {
    /// New description; fields equal to `[do-not-modify]` keep their value.
    pub description: pb::Description,
    /// The operator account.
    pub operator: Address,
    /// New commission rate, if changed.
    pub commission_rate: Option<Dec>,
    /// New minimum self-delegation, if changed.
    pub min_self_delegation: Option<u128>,
}

fn field_err(e: SdkError, field: &str) -> ModuleError {
    let mut m: ModuleError = e.into();
    m.log = format!("{field}: {}", m.log);
    m
}

fn invalid(msg: String) -> ModuleError {
    SdkError::InvalidRequest(msg).into()
}

fn parse_account(s: &str, hrp: &str, field: &str) -> Result<Address, ModuleError> {
    Address::from_bech32(s, hrp).map_err(|e| field_err(e, field))
}

fn parse_operator(s: &str, hrp: &str) -> Result<Address, ModuleError> {
    from_valoper(s, hrp).map_err(|e| field_err(e, "validator_address"))
}

/// Parses a coin: an amount that is a positive integer below 2^128 and a non-empty denom.
///
/// Errors: `sdk`/10.
fn parse_amount(c: Option<&PbCoin>) -> Result<Amount, ModuleError> {
    let c = c.ok_or_else(|| SdkError::InvalidCoins("amount is missing".into()))?;
    let amount: u128 = c.amount.parse().ok().filter(|a| *a > 0).ok_or_else(|| {
        SdkError::InvalidCoins(format!(
            "invalid delegation amount {:?}: must be a positive integer",
            c.amount
        ))
    })?;
    if c.denom.is_empty() {
        return Err(SdkError::InvalidCoins("empty denom".into()).into());
    }
    Ok(Amount {
        denom: c.denom.clone(),
        amount,
    })
}

/// Parses a positive integer amount (minimum self-delegation). Errors: `sdk`/18.
fn parse_positive_int(s: &str, field: &str) -> Result<u128, ModuleError> {
    s.parse::<u128>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| invalid(format!("{field}: {s:?} must be a positive integer")))
}

/// Parses a rate in [0, 1]. Errors: `sdk`/18 unparsable, `staking`/10 above one.
fn parse_rate(s: &str, field: &str) -> Result<Dec, ModuleError> {
    let d = Dec::parse_atomics_or_decimal(s).ok_or_else(|| {
        invalid(format!(
            "{field}: {s:?} is not a non-negative decimal (e.g. \"0.100000000000000000\")"
        ))
    })?;
    if d > Dec::ONE {
        return Err(StakingError::CommissionHuge(format!("{field} {d}")).into());
    }
    Ok(d)
}

/// Checks description lengths; `allow_sentinel` lets `[do-not-modify]` through (edit).
///
/// Errors: `sdk`/18 naming the field.
fn check_description(d: &pb::Description, allow_sentinel: bool) -> Handled {
    let values = [
        &d.moniker,
        &d.identity,
        &d.website,
        &d.security_contact,
        &d.details,
    ];
    for ((name, max), value) in DESCRIPTION_LIMITS.iter().zip(values) {
        if allow_sentinel && value == DO_NOT_MODIFY {
            continue;
        }
        if value.len() > *max {
            return Err(invalid(format!(
                "description.{name}: {} bytes, at most {max} allowed",
                value.len()
            )));
        }
    }
    Ok(())
}

/// Parses the consensus key `Any`.
///
/// Errors: `staking`/39 missing, `staking`/6 another key type, `sdk`/8 undecodable, not 32
/// bytes or not a valid ed25519 key.
pub fn parse_consensus_pubkey(
    any: Option<&cosmos_sdk_proto::Any>,
) -> Result<[u8; 32], ModuleError> {
    let any = any.ok_or(StakingError::EmptyValidatorPubKey)?;
    if any.type_url != ED25519_TYPE_URL {
        return Err(StakingError::PubKeyTypeNotSupported(format!(
            "got {:?}, only {ED25519_TYPE_URL} is supported",
            any.type_url
        ))
        .into());
    }
    let key = cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey::decode(any.value.as_slice())
        .map_err(|e| SdkError::InvalidPubKey(format!("undecodable ed25519 key: {e}")))?
        .key;
    let key: [u8; 32] = key.as_slice().try_into().map_err(|_| {
        SdkError::InvalidPubKey(format!("ed25519 keys are 32 bytes, got {}", key.len()))
    })?;
    if tendermint::PublicKey::from_raw_ed25519(&key).is_none() {
        return Err(SdkError::InvalidPubKey("not a valid ed25519 public key".into()).into());
    }
    Ok(key)
}

impl MsgCreateValidator {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/cosmos.staking.v1beta1.MsgCreateValidator";

    /// Validates a proto `MsgCreateValidator` with the chain's account prefix `hrp`.
    ///
    /// `delegator_address` (deprecated in SDK 0.50) may be empty; if set it must be the
    /// operator's account. Errors: `sdk`/7 addresses, `sdk`/10 amount, `sdk`/18 description,
    /// rates or min self delegation, `staking`/10, 11, 14 rates, `staking`/16 self-delegation
    /// below `min_self_delegation`, and the pubkey errors of [`parse_consensus_pubkey`].
    pub fn from_proto(m: &pb::MsgCreateValidator, hrp: &str) -> Result<Self, ModuleError> {
        let operator = parse_operator(&m.validator_address, hrp)?;
        #[allow(deprecated)]
        if !m.delegator_address.is_empty()
            && parse_account(&m.delegator_address, hrp, "delegator_address")? != operator
        {
            return Err(SdkError::InvalidAddress(
                "delegator_address must be the validator operator's account".into(),
            )
            .into());
        }
        let description = m.description.clone().unwrap_or_default();
        if description.moniker.is_empty() {
            return Err(invalid("description.moniker: must not be empty".into()));
        }
        check_description(&description, false)?;
        let c = m
            .commission
            .as_ref()
            .ok_or_else(|| invalid("commission: missing".into()))?;
        let commission = CommissionRates {
            rate: parse_rate(&c.rate, "commission.rate")?,
            max_rate: parse_rate(&c.max_rate, "commission.max_rate")?,
            max_change_rate: parse_rate(&c.max_change_rate, "commission.max_change_rate")?,
        };
        if commission.rate > commission.max_rate {
            return Err(StakingError::CommissionGtMaxRate(format!(
                "rate {} > max rate {}",
                commission.rate, commission.max_rate
            ))
            .into());
        }
        if commission.max_change_rate > commission.max_rate {
            return Err(StakingError::CommissionChangeRateGtMaxRate(format!(
                "max change rate {} > max rate {}",
                commission.max_change_rate, commission.max_rate
            ))
            .into());
        }
        let min_self_delegation =
            parse_positive_int(&m.min_self_delegation, "min_self_delegation")?;
        let pubkey = parse_consensus_pubkey(m.pubkey.as_ref())?;
        let value = parse_amount(m.value.as_ref())?;
        if value.amount < min_self_delegation {
            return Err(StakingError::SelfDelegationBelowMinimum(format!(
                "self delegation {} is below min_self_delegation {min_self_delegation}",
                value.amount
            ))
            .into());
        }
        Ok(MsgCreateValidator {
            description,
            commission,
            min_self_delegation,
            operator,
            pubkey,
            value,
        })
    }
}

impl MsgDelegate {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/cosmos.staking.v1beta1.MsgDelegate";

    /// Validates a proto `MsgDelegate`. Errors: `sdk`/7 addresses, `sdk`/10 amount.
    pub fn from_proto(m: &pb::MsgDelegate, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgDelegate {
            delegator: parse_account(&m.delegator_address, hrp, "delegator_address")?,
            operator: parse_operator(&m.validator_address, hrp)?,
            amount: parse_amount(m.amount.as_ref())?,
        })
    }
}

impl MsgUndelegate {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/cosmos.staking.v1beta1.MsgUndelegate";

    /// Validates a proto `MsgUndelegate`. Errors: `sdk`/7 addresses, `sdk`/10 amount.
    pub fn from_proto(m: &pb::MsgUndelegate, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgUndelegate {
            delegator: parse_account(&m.delegator_address, hrp, "delegator_address")?,
            operator: parse_operator(&m.validator_address, hrp)?,
            amount: parse_amount(m.amount.as_ref())?,
        })
    }
}

impl MsgEditValidator {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/cosmos.staking.v1beta1.MsgEditValidator";

    /// Validates a proto `MsgEditValidator`; empty `commission_rate` / `min_self_delegation`
    /// mean "unchanged", as the SDK's nullable fields.
    ///
    /// Errors: `sdk`/7 address, `sdk`/18 description, rate or min self delegation,
    /// `staking`/10 rate above one.
    pub fn from_proto(m: &pb::MsgEditValidator, hrp: &str) -> Result<Self, ModuleError> {
        let description = m.description.clone().unwrap_or_else(|| pb::Description {
            moniker: DO_NOT_MODIFY.into(),
            identity: DO_NOT_MODIFY.into(),
            website: DO_NOT_MODIFY.into(),
            security_contact: DO_NOT_MODIFY.into(),
            details: DO_NOT_MODIFY.into(),
        });
        check_description(&description, true)?;
        Ok(MsgEditValidator {
            description,
            operator: parse_operator(&m.validator_address, hrp)?,
            commission_rate: (!m.commission_rate.is_empty())
                .then(|| parse_rate(&m.commission_rate, "commission_rate"))
                .transpose()?,
            min_self_delegation: (!m.min_self_delegation.is_empty())
                .then(|| parse_positive_int(&m.min_self_delegation, "min_self_delegation"))
                .transpose()?,
        })
    }
}

hub_framework::module_msgs! {
    /// Every staking message: the module's message enum, executed with the runtime's
    /// [`crate::StakingBank`] as its capability.
    pub enum StakingMsg [crate::NAME] {
        /// `cosmos.staking.v1beta1.MsgCreateValidator`.
        CreateValidator(MsgCreateValidator = pb::MsgCreateValidator, signer: |m| m.operator.0),
        /// `cosmos.staking.v1beta1.MsgDelegate`.
        Delegate(MsgDelegate = pb::MsgDelegate, signer: |m| m.delegator.0),
        /// `cosmos.staking.v1beta1.MsgUndelegate`.
        Undelegate(MsgUndelegate = pb::MsgUndelegate, signer: |m| m.delegator.0),
        /// `cosmos.staking.v1beta1.MsgEditValidator`.
        EditValidator(MsgEditValidator = pb::MsgEditValidator, signer: |m| m.operator.0),
    }
}
