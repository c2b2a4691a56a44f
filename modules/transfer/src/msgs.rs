//! The domain form of `MsgTransfer`. A value of this type has passed every stateless check.

use crate::{
    denom::{parse_amount, validate_ibc_denom, AmountError},
    TransferError,
};
use hub_auth::Address;
use hub_framework::ModuleError;
use hub_ibc::identifier::{validate_channel_id, validate_port_id};
use hub_ibc::Height;
use ibc_proto::ibc::applications::transfer::v1 as pb;

/// Longest receiver accepted, in bytes (ibc-go `MaximumReceiverLength`).
pub const MAX_RECEIVER_LENGTH: usize = 2048;

/// Longest memo accepted, in bytes (ibc-go `MaximumMemoLength`).
pub const MAX_MEMO_LENGTH: usize = 32768;

/// `ibc.applications.transfer.v1.MsgTransfer`: send `amount` of `denom` from `sender` over
/// `source_port/source_channel` to `receiver` on the counterparty. Signer: `sender`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgTransfer {
    /// Our port (`transfer`).
    pub source_port: String,
    /// Our channel (`channel-N`).
    pub source_channel: String,
    /// The denom on this chain: native (`uhub`) or a voucher (`ibc/{64 upper-hex}`).
    pub denom: String,
    /// Amount in the smallest unit of `denom`, > 0.
    pub amount: u128,
    /// The sender (must sign).
    pub sender: Address,
    /// The receiver on the counterparty chain, not validated beyond being non-blank and at
    /// most [`MAX_RECEIVER_LENGTH`] bytes (its format is the counterparty's).
    pub receiver: String,
    /// Counterparty height at which the packet times out (`0-0`: none).
    pub timeout_height: Height,
    /// Counterparty time (ns since the Unix epoch) at which the packet times out (0: none).
    pub timeout_timestamp: u64,
    /// Memo, at most [`MAX_MEMO_LENGTH`] bytes.
    pub memo: String,
}

impl MsgTransfer {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.applications.transfer.v1.MsgTransfer";

    /// Validates a proto `MsgTransfer` (ibc-go `MsgTransfer.ValidateBasic`, in its order) with
    /// the chain's bech32 prefix `hrp`.
    ///
    /// Errors: `host`/2 bad port or channel id; `ibc`/6 missing token, invalid bank denom,
    /// amount not an integer, negative or ≥ 2^256; `ibc`/3 zero amount; `transfer`/101 amount
    /// ≥ 2^128 (this chain's bank holds u128); `ibc`/5 sender not bech32 with `hrp`, receiver
    /// blank or longer than 2048 bytes; `transfer`/11 memo longer than 32768 bytes;
    /// `transfer`/3 `ibc` denom or `ibc/` hash not 64 upper-case hex digits.
    pub fn from_proto(m: &pb::MsgTransfer, hrp: &str) -> Result<Self, ModuleError> {
        validate_port_id(&m.source_port)?;
        validate_channel_id(&m.source_channel)?;
        let token = m
            .token
            .as_ref()
            .ok_or_else(|| TransferError::InvalidCoins("token is missing".into()))?;
        hub_bank::validate_denom(&token.denom)
            .map_err(|_| TransferError::InvalidCoins(format!("invalid denom {:?}", token.denom)))?;
        let amount = parse_amount(&token.amount).map_err(|e| match e {
            AmountError::Zero => {
                TransferError::InsufficientFunds(format!("{}{}", token.amount, token.denom))
            }
            AmountError::ExceedsU128 => TransferError::AmountExceedsBank(e.describe(&token.amount)),
            _ => TransferError::InvalidCoins(e.describe(&token.amount)),
        })?;
        let sender = Address::from_bech32(&m.sender, hrp).map_err(|e| {
            TransferError::InvalidAddress(format!("string could not be parsed as address: {e}"))
        })?;
        if m.receiver.trim().is_empty() {
            return Err(TransferError::InvalidAddress("missing recipient address".into()).into());
        }
        if m.receiver.len() > MAX_RECEIVER_LENGTH {
            return Err(TransferError::InvalidAddress(format!(
                "recipient address must not exceed {MAX_RECEIVER_LENGTH} bytes"
            ))
            .into());
        }
        if m.memo.len() > MAX_MEMO_LENGTH {
            return Err(TransferError::InvalidMemo(format!(
                "memo must not exceed {MAX_MEMO_LENGTH} bytes"
            ))
            .into());
        }
        validate_ibc_denom(&token.denom)?;
        Ok(MsgTransfer {
            source_port: m.source_port.clone(),
            source_channel: m.source_channel.clone(),
            denom: token.denom.clone(),
            amount,
            sender,
            receiver: m.receiver.clone(),
            timeout_height: m.timeout_height.map(Height::from).unwrap_or_default(),
            timeout_timestamp: m.timeout_timestamp,
            memo: m.memo.clone(),
        })
    }
}

/// `ibc.applications.transfer.v1.MsgUpdateParams` (ibc-go v8): governance turns sending and
/// receiving on or off (the brake of every ICS-20 flow of this chain). Signer: `signer`, which
/// must be the gov module account, so only a passed proposal can send it.
#[derive(Clone, Debug, PartialEq)]
pub struct MsgUpdateParams {
    /// The gov module account.
    pub signer: Address,
    /// The new params (absent in the proto = both false, as ibc-go's non-nullable field).
    pub params: pb::Params,
}

impl MsgUpdateParams {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.applications.transfer.v1.MsgUpdateParams";

    /// Validates a proto `MsgUpdateParams` with the chain's bech32 prefix `hrp`.
    ///
    /// Errors: `ibc`/5 a signer that is not an address of this chain, `ibc`/2 a signer other
    /// than the gov module account (ibc-go: "expected {authority}, got {signer}").
    pub fn from_proto(m: &pb::MsgUpdateParams, hrp: &str) -> Result<Self, ModuleError> {
        use hub_framework::authority::{parse_gov_authority, AuthorityError};
        let signer = parse_gov_authority(&m.signer, hrp).map_err(|e| match e {
            AuthorityError::NotAnAddress { reason, .. } => TransferError::InvalidAddress(format!(
                "string could not be parsed as address: {reason}"
            )),
            AuthorityError::NotGov { expected, given } => {
                TransferError::Unauthorized(format!("expected {expected}, got {given}"))
            }
        })?;
        Ok(MsgUpdateParams {
            signer,
            params: m.params.unwrap_or_default(),
        })
    }
}

hub_framework::module_msgs! {
    /// Every ICS-20 message: the module's message enum. A new transfer message is a variant
    /// here (and its handler); the runtimes route it without a change.
    pub enum TransferMsg [crate::PORT_ID] {
        /// `ibc.applications.transfer.v1.MsgTransfer`.
        Transfer(MsgTransfer = pb::MsgTransfer, signer: |m| m.sender.0),
        /// `ibc.applications.transfer.v1.MsgUpdateParams` (gov only).
        UpdateParams(MsgUpdateParams = pb::MsgUpdateParams, signer: |m| m.signer.0),
    }
}
