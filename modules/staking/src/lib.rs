//! `staking`: validators, delegations, unbonding, the CometBFT validator set, and double-sign
//! slashing, following the Cosmos SDK's `x/staking` (with the evidence/slashing part of
//! `x/evidence` and `x/slashing` that a double sign needs).
//!
//! ## Tokens, shares and pools
//! A validator holds `tokens` (in the bond denom, `uhub`) and has issued `delegator_shares`
//! to its delegators. Delegating `a` tokens issues `a × shares / tokens` shares (`a` shares to
//! a validator without any); undelegating `a` tokens removes `a × shares / tokens` shares and
//! pays out what they are worth, `shares × tokens / total_shares`. Every division rounds down,
//! in the chain's favour; arithmetic is integer only ([`dec`]: `LegacyDec` as u128 atomics,
//! 256-bit intermediate products). Protos show shares and rates as `LegacyDec` strings with 18
//! decimals (`"1000000.000000000000000000"`).
//!
//! Tokens of BONDED validators are held by the module account `bonded_tokens_pool`, those of
//! other validators and every unbonding entry by `not_bonded_tokens_pool`
//! ([`bank::bonded_pool`], [`bank::not_bonded_pool`]). Coins move only through
//! [`StakingBank`], the narrow bank capability the runtime implements.
//!
//! ## Validator set
//! CometBFT power = tokens / 10^6 ([`POWER_REDUCTION`]). At the end of every block
//! ([`EndBlocker::end_block`](hub_framework::EndBlocker)): first every unbonding entry whose
//! completion time is ≤ the block time is paid to its delegator from the not-bonded pool;
//! then the active set is recomputed — the top `max_validators` non-jailed validators with
//! power ≥ 1, by tokens (ties: consensus address ascending) — and compared with the set last
//! reported (`last_power/…`): each changed power is returned as a `ValidatorUpdate`, power 0
//! for a validator that left. Members are BONDED, every other validator UNBONDED.
//!
//! ## State (substore `staking`; see [`state_key`])
//! | key | value |
//! |---|---|
//! | `params` | `cosmos.staking.v1beta1.Params` |
//! | `slash_fraction_double_sign` | u128 atomics of a `Dec` (default 5 %) |
//! | `validators/{hex(consensus address)}` | `cosmos.staking.v1beta1.Validator` |
//! | `validator_by_operator/{hex(operator)}` | hex consensus address |
//! | `delegations/{hex(delegator)}/{hex(operator)}` | `Delegation` |
//! | `delegations_by_validator/{hex(operator)}/{hex(delegator)}` | `0x01` |
//! | `unbonding_delegations/{hex(delegator)}/{hex(operator)}` | `UnbondingDelegation` |
//! | `unbonding_queue/{016x completion ns}/{hex(delegator)}/{hex(operator)}` | `0x01` |
//! | `next_unbonding_id` | big-endian u64 |
//! | `last_power/{hex(consensus address)}` | big-endian u64 power last sent to CometBFT |
//! | `tombstoned/{hex(consensus address)}` | `0x01` |
//!
//! The consensus address is CometBFT's: the first 20 bytes of sha256(ed25519 pubkey). The
//! operator address is the operator's account under `<hrp>valoper` ([`address`]).
//!
//! ## Messages ([`msgs`], [`handler`]; signer = delegator or operator account)
//! `MsgCreateValidator` (ed25519 key, self-delegation ≥ `min_self_delegation`, commission
//! rates), `MsgDelegate`, `MsgUndelegate` (unbonding entry completing at block time +
//! `unbonding_time`; [`handler::undelegate`] returns the SDK response with `completion_time`),
//! `MsgEditValidator` (description, commission rate at most once per 24 h within
//! `max_change_rate`, increase of `min_self_delegation`). Events: `create_validator`,
//! `delegate`, `unbond`, `complete_unbonding`, `edit_validator`, `slash` ([`events`]).
//!
//! ## Double signing ([`slashing::handle_double_sign`])
//! The runtime passes every `DuplicateVote` misbehaviour of FinalizeBlock before the block's
//! transactions: `slash_fraction_double_sign` of the validator's tokens is burned from its
//! pool (the supply drops), the validator is jailed and tombstoned, `slash` is emitted, and it
//! leaves the set at that block's end with a power-0 update. Unknown and tombstoned
//! validators are ignored.
//!
//! ## Governance read API ([`StakingRead`])
//! - [`StakingRead::bonded_validators`] → `Vec<BondedValidator { operator, operator_address,
//!   tokens, delegator_shares }>`: the BONDED set.
//! - [`StakingRead::delegator_delegations`]`(&Address)` → `Vec<DelegatorDelegation {
//!   validator, shares }>`.
//! - [`StakingRead::total_bonded_tokens`] → `u128`.
//! - [`dec::tokens_for_shares`]`(shares, tokens, delegator_shares)` turns shares into voting
//!   tokens as the SDK tally does.
//!
//! ## Simplified against the Cosmos SDK
//! - No UNBONDING validator state: a validator leaving the set becomes UNBONDED at once, and
//!   its tokens move to the not-bonded pool in the same block. Validators are never deleted.
//! - No redelegation, no `MsgCancelUnbondingDelegation`, no `MsgUnjail` (jailing is final
//!   until a governance-driven unjail exists), no `MsgUpdateParams`, no historical info.
//! - Double-sign slashing uses the validator's current tokens, not its power at the
//!   infraction height, and does not slash unbonding entries created after the infraction;
//!   evidence age is not checked (CometBFT bounds it by its evidence params).
//!   `LightClientAttack` misbehaviour is not handled (the SDK treats it as a double sign).
//! - Downtime (missed blocks) slashing and rewards/distribution do not exist.
//! - `export_genesis` exports params and validators (power = tokens / 10^6), not delegations
//!   or unbonding entries.
//! - The `MsgUndelegate` response is not yet placed in `ExecTxResult.data`; the `unbond`
//!   event carries `completion_time`.
//!
//! ## Errors
//! [`StakingError`] (codespace `staking`, SDK codes where the SDK has the error); insufficient
//! funds `sdk`/5, bad addresses `sdk`/7, bad pubkey bytes `sdk`/8, bad amounts `sdk`/10,
//! other malformed fields `sdk`/18.

pub mod address;
pub mod bank;
pub mod dec;
mod error;
pub mod events;
mod export;
pub mod handler;
mod module;
pub mod msgs;
pub mod query;
pub mod set;
pub mod slashing;
mod stake;
mod state;
pub mod state_key;

pub use address::consensus_address_hex;
pub use bank::StakingBank;
pub use dec::Dec;
pub use error::StakingError;
pub use export::{LastPower, StakingState};
pub use module::{ParamsJson, Staking, StakingGenesis, ValidatorGenesis, NAME, POWER_REDUCTION};
pub use msgs::StakingMsg;
pub use set::last_validator_updates;
pub use slashing::{handle_double_sign, DoubleSignEvidence, EvidenceOutcome};
pub use state::DEFAULT_SLASH_FRACTION_DOUBLE_SIGN;
pub use state::{BondedValidator, DelegatorDelegation, StakingRead, StakingWrite};
