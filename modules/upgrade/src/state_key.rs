//! Every key the upgrade module writes.

/// `upgrade/plan` → `cosmos.upgrade.v1beta1.Plan`.
pub const PLAN: &str = "upgrade/plan";

/// `upgrade/applied/{name}` → big-endian u64 height.
pub fn applied(name: &str) -> String {
    format!("upgrade/applied/{name}")
}

/// Prefix of every applied record.
pub const APPLIED_PREFIX: &str = "upgrade/applied/";

/// The key of `applied/{name}` inside the `upgrade` substore, as a counterparty proves it:
/// path `["upgrade", "applied/{name}"]`.
pub fn applied_path(name: &str) -> String {
    format!("applied/{name}")
}

/// `upgrade/migrations/{name}` → big-endian u64 height the handler ran at.
pub fn migration(name: &str) -> String {
    format!("upgrade/migrations/{name}")
}
