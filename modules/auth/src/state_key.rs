//! Every key the auth module writes, relative to the root (substore prefix included).

use crate::Address;

/// `auth/accounts/{hex(address)}` → `BaseAccount`.
pub fn account(addr: &Address) -> String {
    format!("auth/accounts/{}", addr.to_hex())
}

/// Prefix of all accounts, for iteration in address order.
pub const ACCOUNTS_PREFIX: &str = "auth/accounts/";

/// `auth/next_account_number` → u64.
pub const NEXT_ACCOUNT_NUMBER: &str = "auth/next_account_number";

/// `auth/params` → `hub.auth.v1.Params`.
pub const PARAMS: &str = "auth/params";
