//! Typed events, recorded in the state overlay so they are dropped with a failed transaction.

use cnidarium::StateWrite;
use tendermint::abci::{Event, EventAttribute};

/// An event with a fixed type name and attribute keys.
///
/// Every attribute is emitted with `index = true`, because CometBFT 0.38's kv indexer only
/// indexes attributes so marked, and clients (`tx_search`, Hermes) search on them.
pub trait TypedEvent {
    /// The event type (e.g. `transfer`, `coin_received`), as the Cosmos SDK names it.
    const TYPE: &'static str;
    /// The attributes, in emission order, as `(key, value)`.
    fn attributes(&self) -> Vec<(&'static str, String)>;

    /// Converts into an ABCI event with every attribute indexed.
    fn to_abci(&self) -> Event {
        Event::new(
            Self::TYPE,
            self.attributes()
                .into_iter()
                .map(|(k, v)| EventAttribute::from((k, v, true))),
        )
    }
}

/// Emits typed events into any writable state (the tx overlay).
pub trait StateEventExt: StateWrite {
    /// Records `event`; it reaches the block results only if the overlay is applied.
    fn emit<E: TypedEvent>(&mut self, event: &E) {
        self.record(event.to_abci());
    }
}

impl<T: StateWrite + ?Sized> StateEventExt for T {}

/// Declares event structs and their [`TypedEvent`] impls from one list: each struct with its
/// event type, and each field an attribute whose key is the field's name (or the string after
/// `as`) and whose value is the field's `to_string()`, in field order.
///
/// ```
/// hub_framework::typed_events! {
///     /// `coin_spent { spender, amount }`.
///     pub struct CoinSpent = "coin_spent" {
///         /// Bech32 address.
///         spender: String,
///         /// Coins as `100uhub,5foo`.
///         amount: String as "amount",
///     }
/// }
/// use hub_framework::TypedEvent;
/// let e = CoinSpent { spender: "hub1…".into(), amount: "5uhub".into() };
/// assert_eq!(e.attributes()[1], ("amount", "5uhub".to_string()));
/// ```
#[macro_export]
macro_rules! typed_events {
    ($(
        $(#[$meta:meta])*
        $vis:vis struct $name:ident = $ty:literal {
            $( $(#[$fmeta:meta])* $field:ident : $fty:ty $(as $key:literal)? ),* $(,)?
        }
    )*) => {$(
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$fmeta])* pub $field: $fty, )*
        }

        impl $crate::TypedEvent for $name {
            const TYPE: &'static str = $ty;
            fn attributes(&self) -> Vec<(&'static str, String)> {
                vec![$( ([$($key,)? stringify!($field)][0], self.$field.to_string()), )*]
            }
        }
    )*};
}
