//! Events with the Cosmos SDK's bank event types and attribute keys.

use hub_framework::TypedEvent;

/// `coin_spent { spender, amount }`.
pub struct CoinSpent {
    /// Bech32 address.
    pub spender: String,
    /// Coins as `100uhub,5foo`.
    pub amount: String,
}

impl TypedEvent for CoinSpent {
    const TYPE: &'static str = "coin_spent";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("spender", self.spender.clone()),
            ("amount", self.amount.clone()),
        ]
    }
}

/// `coin_received { receiver, amount }`.
pub struct CoinReceived {
    /// Bech32 address.
    pub receiver: String,
    /// Coins as `100uhub,5foo`.
    pub amount: String,
}

impl TypedEvent for CoinReceived {
    const TYPE: &'static str = "coin_received";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("receiver", self.receiver.clone()),
            ("amount", self.amount.clone()),
        ]
    }
}

/// `transfer { recipient, sender, amount }`.
pub struct Transfer {
    /// Bech32 address.
    pub recipient: String,
    /// Bech32 address.
    pub sender: String,
    /// Coins as `100uhub,5foo`.
    pub amount: String,
}

impl TypedEvent for Transfer {
    const TYPE: &'static str = "transfer";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("recipient", self.recipient.clone()),
            ("sender", self.sender.clone()),
            ("amount", self.amount.clone()),
        ]
    }
}
