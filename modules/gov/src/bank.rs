//! The bank event gov emits when it burns deposits.

use hub_framework::TypedEvent;

/// The bank's `burn { burner, amount }` event (SDK `x/bank` `EventTypeBurn`), emitted for the
/// deposits gov burns.
pub struct Burn {
    /// Bech32 address of the gov module account.
    pub burner: String,
    /// Coin as `100uhub`.
    pub amount: String,
}

impl TypedEvent for Burn {
    const TYPE: &'static str = "burn";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("burner", self.burner.clone()),
            ("amount", self.amount.clone()),
        ]
    }
}
