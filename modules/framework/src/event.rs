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
