//! Every key the staking module writes.

/// `staking/params` → `Params`.
pub const PARAMS: &str = "staking/params";

/// `staking/validators/{hex(consensus address)}` → `Validator`.
pub fn validator(cons_addr_hex: &str) -> String {
    format!("staking/validators/{cons_addr_hex}")
}

/// Prefix of all validators (consensus-address order).
pub const VALIDATORS_PREFIX: &str = "staking/validators/";
