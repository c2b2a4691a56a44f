//! Every key the bank module writes.

use hub_auth::Address;

/// `bank/balances/{hex(address)}/{denom}` → u128.
pub fn balance(addr: &Address, denom: &str) -> String {
    format!("bank/balances/{}/{denom}", addr.to_hex())
}

/// Prefix of all balances of one address (denom order).
pub fn balances_of(addr: &Address) -> String {
    format!("bank/balances/{}/", addr.to_hex())
}

/// Prefix of every balance.
pub const BALANCES_PREFIX: &str = "bank/balances/";

/// `bank/supply/{denom}` → u128.
pub fn supply(denom: &str) -> String {
    format!("bank/supply/{denom}")
}

/// Prefix of all supplies (denom order).
pub const SUPPLY_PREFIX: &str = "bank/supply/";

/// `bank/denom_metadata/{denom}` → `Metadata`.
pub fn denom_metadata(denom: &str) -> String {
    format!("bank/denom_metadata/{denom}")
}

/// Prefix of all denom metadata.
pub const DENOM_METADATA_PREFIX: &str = "bank/denom_metadata/";
