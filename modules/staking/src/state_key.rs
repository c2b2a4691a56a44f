//! Every key the staking module writes (substore `staking`). Addresses in keys are lower-case
//! hex of their 20 bytes, times are 16 hex digits of a big-endian u64 (ns since the Unix epoch),
//! so that key order is numeric order.

/// `staking/params` → `cosmos.staking.v1beta1.Params`.
pub const PARAMS: &str = "staking/params";

/// `staking/slash_fraction_double_sign` → big-endian u128 atomics of a `Dec` (5 % by default).
pub const SLASH_FRACTION_DOUBLE_SIGN: &str = "staking/slash_fraction_double_sign";

/// `staking/validators/{hex(consensus address)}` → `Validator`.
pub fn validator(cons_addr_hex: &str) -> String {
    format!("staking/validators/{cons_addr_hex}")
}

/// Prefix of all validators (consensus-address order).
pub const VALIDATORS_PREFIX: &str = "staking/validators/";

/// `staking/validator_by_operator/{hex(operator account)}` → hex consensus address (UTF-8).
pub fn validator_by_operator(operator_hex: &str) -> String {
    format!("staking/validator_by_operator/{operator_hex}")
}

/// `staking/delegations/{hex(delegator)}/{hex(operator)}` → `Delegation`.
pub fn delegation(delegator_hex: &str, operator_hex: &str) -> String {
    format!("{DELEGATIONS_PREFIX}{delegator_hex}/{operator_hex}")
}

/// Prefix of all delegations of one delegator (operator order).
pub fn delegations_of(delegator_hex: &str) -> String {
    format!("{DELEGATIONS_PREFIX}{delegator_hex}/")
}

/// `staking/delegations_by_validator/{hex(operator)}/{hex(delegator)}` → `0x01` (index).
pub fn delegation_by_validator(operator_hex: &str, delegator_hex: &str) -> String {
    format!("staking/delegations_by_validator/{operator_hex}/{delegator_hex}")
}

/// Prefix of the delegation index of one validator (delegator order).
pub fn delegations_to(operator_hex: &str) -> String {
    format!("staking/delegations_by_validator/{operator_hex}/")
}

/// `staking/unbonding_delegations/{hex(delegator)}/{hex(operator)}` → `UnbondingDelegation`.
pub fn unbonding_delegation(delegator_hex: &str, operator_hex: &str) -> String {
    format!("{UNBONDING_DELEGATIONS_PREFIX}{delegator_hex}/{operator_hex}")
}

/// Prefix of all unbonding delegations of one delegator (operator order).
pub fn unbonding_delegations_of(delegator_hex: &str) -> String {
    format!("{UNBONDING_DELEGATIONS_PREFIX}{delegator_hex}/")
}

/// `staking/unbonding_queue/{016x completion ns}/{hex(delegator)}/{hex(operator)}` → `0x01`:
/// the unbonding delegations with an entry completing at that time, in time order.
pub fn unbonding_queue(completion_ns: u64, delegator_hex: &str, operator_hex: &str) -> String {
    format!("{UNBONDING_QUEUE_PREFIX}{completion_ns:016x}/{delegator_hex}/{operator_hex}")
}

/// Prefix of the unbonding queue.
pub const UNBONDING_QUEUE_PREFIX: &str = "staking/unbonding_queue/";

/// `staking/next_unbonding_id` → big-endian u64.
pub const NEXT_UNBONDING_ID: &str = "staking/next_unbonding_id";

/// `staking/last_power/{hex(consensus address)}` → big-endian u64: the power last reported to
/// CometBFT (absent = not in its validator set).
pub fn last_power(cons_addr_hex: &str) -> String {
    format!("{LAST_POWER_PREFIX}{cons_addr_hex}")
}

/// Prefix of the last reported powers (consensus-address order).
pub const LAST_POWER_PREFIX: &str = "staking/last_power/";

/// Prefix of every tombstone.
pub const TOMBSTONED_PREFIX: &str = "staking/tombstoned/";

/// Prefix of every delegation (delegator, then operator order).
pub const DELEGATIONS_PREFIX: &str = "staking/delegations/";

/// `staking/tombstoned/{hex(consensus address)}` → `0x01`: the validator double-signed and can
/// never be slashed again or rejoin the set.
pub fn tombstoned(cons_addr_hex: &str) -> String {
    format!("{TOMBSTONED_PREFIX}{cons_addr_hex}")
}

/// Prefix of every unbonding delegation.
pub const UNBONDING_DELEGATIONS_PREFIX: &str = "staking/unbonding_delegations/";
