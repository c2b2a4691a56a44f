//! Events with the Cosmos SDK's bank event types and attribute keys.

hub_framework::typed_events! {
    /// `coin_spent { spender, amount }`.
    pub struct CoinSpent = "coin_spent" {
        /// Bech32 address.
        spender: String,
        /// Coins as `100uhub,5foo`.
        amount: String,
    }

    /// `coin_received { receiver, amount }`.
    pub struct CoinReceived = "coin_received" {
        /// Bech32 address.
        receiver: String,
        /// Coins as `100uhub,5foo`.
        amount: String,
    }

    /// `transfer { recipient, sender, amount }`.
    pub struct Transfer = "transfer" {
        /// Bech32 address.
        recipient: String,
        /// Bech32 address.
        sender: String,
        /// Coins as `100uhub,5foo`.
        amount: String,
    }
}
