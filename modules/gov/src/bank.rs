//! The bank event gov emits when it burns deposits.

hub_framework::typed_events! {
    /// The bank's `burn { burner, amount }` event (SDK `x/bank` `EventTypeBurn`), emitted for the
    /// deposits gov burns.
    pub struct Burn = "burn" {
        /// Bech32 address of the gov module account.
        burner: String,
        /// Coin as `100uhub`.
        amount: String,
    }
}
