//! IBC events with ibc-go v8's exact types and attribute keys
//! (`modules/core/0{2,3,4}-*/keeper/events.go`), every attribute `index=true`.
//!
//! Each IBC event is accompanied, as in ibc-go, by a `message` event whose `module` attribute
//! is `ibc_client`, `ibc_connection` or `ibc_channel`: Hermes subscribes per module in push
//! mode and drops IBC events without it.

use cnidarium::StateWrite;
use tendermint::abci::{Event, EventAttribute};

/// `message.module` of client events.
pub const MODULE_CLIENT: &str = "ibc_client";
/// `message.module` of connection events.
pub const MODULE_CONNECTION: &str = "ibc_connection";
/// `message.module` of channel and packet events.
pub const MODULE_CHANNEL: &str = "ibc_channel";

/// Builds an event whose attributes are all indexed.
pub fn indexed_event(kind: &str, attrs: Vec<(&str, String)>) -> Event {
    Event::new(
        kind,
        attrs
            .into_iter()
            .map(|(k, v)| EventAttribute::from((k, v, true))),
    )
}

/// Records `kind` with `attrs`, then `message{module}` (ibc-go's order).
pub fn emit_ibc<S: StateWrite + ?Sized>(
    s: &mut S,
    module: &'static str,
    kind: &str,
    attrs: Vec<(&str, String)>,
) {
    s.record(indexed_event(kind, attrs));
    s.record(indexed_event(
        "message",
        vec![("module", module.to_string())],
    ));
}

/// Emits a typed client event followed by `message{module: ibc_client}`.
pub fn emit_client<S: StateWrite + ?Sized, E: hub_framework::TypedEvent>(s: &mut S, e: &E) {
    s.record(e.to_abci());
    s.record(indexed_event(
        "message",
        vec![("module", MODULE_CLIENT.to_string())],
    ));
}
