//! Domain forms of the bank messages. A value of these types has passed every stateless check.

use crate::{BankError, Coins};
use cosmos_sdk_proto::cosmos::bank::v1beta1 as pb;
use hub_auth::Address;
use hub_framework::ModuleError;

/// `cosmos.bank.v1beta1.MsgSend`: move `amount` from `from` to `to`. Signer: `from`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgSend {
    /// Sender (must sign).
    pub from: Address,
    /// Recipient.
    pub to: Address,
    /// Positive, sorted, distinct coins.
    pub amount: Coins,
}

impl MsgSend {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/cosmos.bank.v1beta1.MsgSend";

    /// Validates a proto `MsgSend` with the chain's bech32 prefix `hrp`.
    ///
    /// Errors: `sdk`/7 for a bad address (the message says which), `sdk`/10 for bad coins.
    pub fn from_proto(m: &pb::MsgSend, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgSend {
            from: Address::from_bech32(&m.from_address, hrp)
                .map_err(|e| ctx_err(e, "from_address"))?,
            to: Address::from_bech32(&m.to_address, hrp).map_err(|e| ctx_err(e, "to_address"))?,
            amount: Coins::from_proto(&m.amount)?,
        })
    }
}

/// `cosmos.bank.v1beta1.MsgMultiSend` with exactly one input. Signer: the input's address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgMultiSend {
    /// The single input.
    pub input: (Address, Coins),
    /// Outputs; their sum equals the input.
    pub outputs: Vec<(Address, Coins)>,
}

impl MsgMultiSend {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/cosmos.bank.v1beta1.MsgMultiSend";

    /// Validates a proto `MsgMultiSend`.
    ///
    /// Errors: `bank`/2 no inputs, `bank`/9 several inputs, `bank`/3 no outputs, `bank`/4 the
    /// sums differ, `sdk`/7 bad address, `sdk`/10 bad coins.
    pub fn from_proto(m: &pb::MsgMultiSend, hrp: &str) -> Result<Self, ModuleError> {
        let input = match m.inputs.as_slice() {
            [] => return Err(BankError::NoInputs.into()),
            [i] => parse_io(&i.address, &i.coins, hrp, "inputs[0]")?,
            _ => return Err(BankError::MultipleSenders.into()),
        };
        if m.outputs.is_empty() {
            return Err(BankError::NoOutputs.into());
        }
        let outputs = m
            .outputs
            .iter()
            .enumerate()
            .map(|(i, o)| parse_io(&o.address, &o.coins, hrp, &format!("outputs[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let mut sums: std::collections::BTreeMap<&str, u128> = Default::default();
        for (_, coins) in &outputs {
            for c in &coins.0 {
                let e = sums.entry(&c.denom).or_default();
                *e = e
                    .checked_add(c.amount)
                    .ok_or_else(|| BankError::InputOutputMismatch("output sum overflows".into()))?;
            }
        }
        let inputs: std::collections::BTreeMap<&str, u128> = input
            .1
             .0
            .iter()
            .map(|c| (c.denom.as_str(), c.amount))
            .collect();
        if inputs != sums {
            return Err(BankError::InputOutputMismatch(format!(
                "inputs {} differ from the outputs' sum",
                input.1
            ))
            .into());
        }
        Ok(MsgMultiSend { input, outputs })
    }
}

fn parse_io(
    addr: &str,
    coins: &[cosmos_sdk_proto::cosmos::base::v1beta1::Coin],
    hrp: &str,
    field: &str,
) -> Result<(Address, Coins), ModuleError> {
    let a = Address::from_bech32(addr, hrp).map_err(|e| ctx_err(e, field))?;
    Ok((a, Coins::from_proto(coins)?))
}

fn ctx_err(e: hub_framework::SdkError, field: &str) -> ModuleError {
    let mut m: ModuleError = e.into();
    m.log = format!("{field}: {}", m.log);
    m
}

hub_framework::module_msgs! {
    /// Every bank message: the module's message enum (decoded by type URL, executed with no
    /// capability).
    pub enum BankMsg ["bank"] {
        /// `cosmos.bank.v1beta1.MsgSend`.
        Send(MsgSend = pb::MsgSend, signer: |m| m.from.0),
        /// `cosmos.bank.v1beta1.MsgMultiSend`.
        MultiSend(MsgMultiSend = pb::MsgMultiSend, signer: |m| m.input.0 .0),
    }
}
