//! Events with ibc-go v8's transfer event types and attribute keys
//! (`modules/apps/transfer/types/events.go`, emitted as in `ibc_module.go` and
//! `keeper/msg_server.go`).

use crate::packet::FungibleTokenPacketData;
use hub_framework::TypedEvent;

/// The module name in `module` attributes.
pub const MODULE: &str = "transfer";

hub_framework::typed_events! {
    /// `ibc_transfer { sender, receiver, amount, denom, memo }`, emitted by `MsgTransfer` with
    /// the message's own denom (`uhub` or `ibc/{HASH}`).
    pub struct IbcTransfer = "ibc_transfer" {
        /// Bech32 sender on this chain.
        sender: String,
        /// Receiver on the counterparty chain.
        receiver: String,
        /// Decimal amount.
        amount: String,
        /// The denom as sent (`uhub`, `ibc/{HASH}`).
        denom: String,
        /// Memo (may be empty).
        memo: String,
    }
}

/// `message { module = transfer }`, following `ibc_transfer` as in ibc-go.
pub struct MessageModule;

impl TypedEvent for MessageModule {
    const TYPE: &'static str = "message";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![("module", MODULE.to_string())]
    }
}

/// `fungible_token_packet` with the attributes of one of ibc-go's three emissions: on receive
/// (`module, sender, receiver, denom, amount, memo, success[, error]`), on acknowledgement
/// (`module, sender, receiver, denom, amount, memo, acknowledgement`) and the follow-up event
/// of an acknowledgement (`success` or `error` alone).
pub struct FungibleTokenPacket {
    /// Attributes in emission order.
    pub attrs: Vec<(&'static str, String)>,
}

impl FungibleTokenPacket {
    /// `module, sender, receiver, denom, amount, memo` of `data`.
    pub fn of(data: &FungibleTokenPacketData) -> Self {
        FungibleTokenPacket {
            attrs: vec![
                ("module", MODULE.to_string()),
                ("sender", data.sender.clone()),
                ("receiver", data.receiver.clone()),
                ("denom", data.denom.clone()),
                ("amount", data.amount.clone()),
                ("memo", data.memo.clone()),
            ],
        }
    }

    /// Appends an attribute.
    pub fn with(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((key, value.into()));
        self
    }
}

impl TypedEvent for FungibleTokenPacket {
    const TYPE: &'static str = "fungible_token_packet";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        self.attrs.clone()
    }
}

/// `timeout { module, refund_receiver, refund_denom, refund_amount, memo }` after a refund.
pub struct Timeout {
    /// The refunded sender (bech32 on this chain).
    pub refund_receiver: String,
    /// The packet's full denom path.
    pub refund_denom: String,
    /// Decimal amount.
    pub refund_amount: String,
    /// The packet's memo.
    pub memo: String,
}

impl TypedEvent for Timeout {
    const TYPE: &'static str = "timeout";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("module", MODULE.to_string()),
            ("refund_receiver", self.refund_receiver.clone()),
            ("refund_denom", self.refund_denom.clone()),
            ("refund_amount", self.refund_amount.clone()),
            ("memo", self.memo.clone()),
        ]
    }
}

hub_framework::typed_events! {
    /// `denomination_trace { trace_hash, denom }` when a voucher is minted on receive.
    pub struct DenominationTrace = "denomination_trace" {
        /// Upper-case hex of `sha256(path/base)`.
        trace_hash: String,
        /// `ibc/{trace_hash}`.
        denom: String,
    }
}
