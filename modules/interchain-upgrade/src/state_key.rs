//! Every key the interchain-upgrade module writes.

/// `interchain-upgrade/params` → `Params`.
pub const PARAMS: &str = "interchain-upgrade/params";

/// `interchain-upgrade/dispatches/{spoke}/{name}` → `Dispatch`.
pub fn dispatch(spoke: &str, name: &str) -> String {
    format!("interchain-upgrade/dispatches/{spoke}/{name}")
}

/// Prefix of every dispatch (or of one spoke's with `Some(spoke)`).
pub fn dispatches_prefix(spoke: Option<&str>) -> String {
    match spoke {
        Some(s) => format!("interchain-upgrade/dispatches/{s}/"),
        None => "interchain-upgrade/dispatches/".into(),
    }
}

/// `interchain-upgrade/packets/{channel}/{sequence}` → `{spoke}/{name}`.
pub fn packet(channel: &str, sequence: u64) -> String {
    format!("interchain-upgrade/packets/{channel}/{sequence}")
}

/// Prefix of every packet index entry.
pub const PACKETS_PREFIX: &str = "interchain-upgrade/packets/";

/// `interchain-upgrade/consumed/{name}` → big-endian u64 height.
pub fn consumed(name: &str) -> String {
    format!("interchain-upgrade/consumed/{name}")
}

/// Prefix of every consumed plan name.
pub const CONSUMED_PREFIX: &str = "interchain-upgrade/consumed/";

/// `interchain-upgrade/bindings/{chain_id}` → `Binding`: on the hub one per registered spoke,
/// on a spoke one, of its hub.
pub fn binding(chain_id: &str) -> String {
    format!("interchain-upgrade/bindings/{chain_id}")
}

/// Prefix of every binding (chain-id order).
pub const BINDINGS_PREFIX: &str = "interchain-upgrade/bindings/";

/// `interchain-upgrade/binding_by_client/{client_id}` → the chain id of the binding on that
/// client (UTF-8).
pub fn binding_by_client(client_id: &str) -> String {
    format!("interchain-upgrade/binding_by_client/{client_id}")
}

/// Prefix of the hub's pause dispatches.
pub const PAUSE_PACKETS_PREFIX: &str = "interchain-upgrade/pausePackets/";

/// `interchain-upgrade/pausePackets/{channel_id}/{sequence:020}` →
/// `hub.interchain_upgrade.v1.PauseDispatch`: a pause sent to a spoke (hub).
pub fn pause_packet(channel: &str, sequence: u64) -> String {
    format!("{PAUSE_PACKETS_PREFIX}{channel}/{sequence:020}")
}
