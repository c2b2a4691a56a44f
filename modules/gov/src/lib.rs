//! `gov`: message-based governance, compatible with `cosmos.gov.v1` (Cosmos SDK v0.50 `x/gov`).
//!
//! ## Lifecycle
//! A proposal carries messages (`Any`) that execute with the gov module account
//! (`Address::module("gov")`) as signer/authority if it passes; the router checks at
//! submission that every message decodes and is signed by that account.
//!
//! 1. **Deposit period** (`max_deposit_period`): deposits (in `min_deposit` denoms) are held by
//!    the gov module account. The initial deposit must reach `min_initial_deposit_ratio ×
//!    min_deposit`. If the total never reaches `min_deposit`, the proposal is deleted at the
//!    end of the period and its deposits refunded (burned with `burn_proposal_deposit_prevote`).
//! 2. **Voting period** (`voting_period`) starts when the total reaches `min_deposit`. Votes
//!    (plain or weighted) can be changed until it ends.
//! 3. **Tally** at the end ([`tally`]): by bonded stake, SDK algorithm (delegators override their
//!    validator's vote with their share). Quorum / veto / threshold decide PASSED or REJECTED;
//!    deposits are refunded, or burned on veto (`burn_vote_veto`) or missed quorum
//!    (`burn_vote_quorum`).
//! 4. **Execution** of a passed proposal: all messages in one overlay; any failure discards
//!    every write and event and the status is FAILED with `failed_reason`.
//!
//! `MsgCancelProposal` lets the proposer withdraw before the voting period ends; a
//! `proposal_cancel_ratio` share of each deposit is burned (or sent to `proposal_cancel_dest`).
//! Expedited proposals are refused (`gov`/21).
//!
//! ## Capabilities ([`GovConfig`])
//! [`GovBank`] (coins to/from/burned by the module account; the runtime gives `hub_bank::Keeper`),
//! [`StakeView`] (bonded validators, delegations, total bonded) and [`ProposalRouter`]
//! (validate and execute proposal messages). The runtime supplies them; the `fixture` module
//! (feature `fixture`) has in-state versions for tests and benchmarks.
//!
//! ## State (substore `gov`)
//! | key | value |
//! |---|---|
//! | `params` | `cosmos.gov.v1.Params` |
//! | `next_proposal_id` | big-endian u64 |
//! | `bech32_prefix` | UTF-8 account prefix (from genesis) |
//! | `proposals/{hex be64 id}` | `cosmos.gov.v1.Proposal` |
//! | `deposits/{hex be64 id}/{hex address}` | `cosmos.gov.v1.Deposit` |
//! | `votes/{hex be64 id}/{hex address}` | `cosmos.gov.v1.Vote` |
//! | `inactive/{hex be64 deposit end ns}/{hex be64 id}` | empty (deposit-period queue) |
//! | `active/{hex be64 voting end ns}/{hex be64 id}` | empty (voting-period queue) |
//!
//! ## Messages
//! `MsgSubmitProposal`, `MsgDeposit`, `MsgVote`, `MsgVoteWeighted`, `MsgCancelProposal`,
//! `MsgUpdateParams` of `cosmos.gov.v1` ([`msgs`], handlers in [`handler`]).
//!
//! ## Events
//! `submit_proposal`, `proposal_deposit`, `proposal_vote`, `cancel_proposal`,
//! `active_proposal` (`proposal_result` = `proposal_passed` / `proposal_rejected` /
//! `proposal_failed`), `inactive_proposal` ([`events`]).
//!
//! ## Errors
//! [`GovError`], codespace `gov`, with the SDK's codes (`x/gov/types/errors.go`).
//!
//! ## Arithmetic
//! Integers and 18-decimal fixed point ([`dec::Dec`]) only; no floats, no hashed iteration,
//! time from the block.

pub mod bank;
mod capability;
pub mod dec;
mod error;
pub mod events;
mod export;
#[cfg(feature = "fixture")]
pub mod fixture;
pub mod handler;
pub mod keeper;
mod module;
pub mod msgs;
pub mod params;
pub mod query;
mod state;
pub mod state_key;
pub mod tally;

pub use capability::{
    module_address, BondedValidator, DelegationView, GovBank, GovConfig, ProposalRouter, StakeView,
    MODULE_ACCOUNT,
};
pub use error::GovError;
pub use export::GovState;
pub use module::{Gov, GovGenesis};
pub use msgs::GovMsg;
pub use params::ParamsJson;
pub use state::{GovRead, GovWrite};

/// The module name: substore prefix, event prefix and error codespace.
pub const NAME: &str = "gov";
