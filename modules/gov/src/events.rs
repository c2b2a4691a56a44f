//! Events with the Cosmos SDK's x/gov event types and attribute keys (`x/gov/types/events.go`).

use hub_framework::TypedEvent;

/// `proposal_result` of [`ActiveProposal`] when the proposal passed and executed.
pub const PROPOSAL_PASSED: &str = "proposal_passed";
/// `proposal_result` when the tally rejected the proposal.
pub const PROPOSAL_REJECTED: &str = "proposal_rejected";
/// `proposal_result` when the proposal passed but a message failed.
pub const PROPOSAL_FAILED: &str = "proposal_failed";
/// `proposal_result` of [`InactiveProposal`]: the deposit period ended without enough deposit.
pub const PROPOSAL_DROPPED: &str = "proposal_dropped";

hub_framework::typed_events! {
    /// `submit_proposal { proposal_id, proposal_proposer, proposal_messages }`.
    pub struct SubmitProposal = "submit_proposal" {
        /// Proposal id.
        proposal_id: u64,
        /// Bech32 proposer.
        proposer: String as "proposal_proposer",
        /// Comma-separated type URLs of the messages.
        messages: String as "proposal_messages",
    }

    /// `submit_proposal { voting_period_start }` when the initial deposit opens the voting period.
    pub struct SubmitVotingPeriodStart = "submit_proposal" {
        /// Proposal id.
        proposal_id: u64 as "voting_period_start",
    }

    /// `proposal_deposit { depositor, amount, proposal_id }`.
    pub struct ProposalDeposit = "proposal_deposit" {
        /// Bech32 depositor.
        depositor: String,
        /// Coins as `100uhub`.
        amount: String,
        /// Proposal id.
        proposal_id: u64,
    }

    /// `proposal_deposit { voting_period_start }` when a deposit opens the voting period.
    pub struct DepositVotingPeriodStart = "proposal_deposit" {
        /// Proposal id.
        proposal_id: u64 as "voting_period_start",
    }

    /// `proposal_vote { voter, option, proposal_id }`; `option` lists `option:… weight:…` pairs.
    pub struct ProposalVote = "proposal_vote" {
        /// Bech32 voter.
        voter: String,
        /// Options as the SDK prints `WeightedVoteOptions`.
        option: String,
        /// Proposal id.
        proposal_id: u64,
    }

    /// `cancel_proposal { sender, proposal_id }`.
    pub struct CancelProposal = "cancel_proposal" {
        /// Bech32 proposer.
        sender: String,
        /// Proposal id.
        proposal_id: u64,
    }

    /// `active_proposal { proposal_id, proposal_result, proposal_log }` at the end of a voting period.
    pub struct ActiveProposal = "active_proposal" {
        /// Proposal id.
        proposal_id: u64,
        /// [`PROPOSAL_PASSED`], [`PROPOSAL_REJECTED`] or [`PROPOSAL_FAILED`].
        result: &'static str as "proposal_result",
        /// Human-readable outcome (the failure reason for a failed proposal).
        log: String as "proposal_log",
    }
}

/// `inactive_proposal { proposal_id, proposal_result = proposal_dropped [, proposal_log] }`;
/// `proposal_log` only when settling the deposits failed (they stay in the gov account).
pub struct InactiveProposal {
    /// Proposal id.
    pub proposal_id: u64,
    /// Why the deposits were not settled, if they were not.
    pub log: Option<String>,
}

impl TypedEvent for InactiveProposal {
    const TYPE: &'static str = "inactive_proposal";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("proposal_id", self.proposal_id.to_string()),
            ("proposal_result", PROPOSAL_DROPPED.to_string()),
        ]
        .into_iter()
        .chain(self.log.clone().map(|l| ("proposal_log", l)))
        .collect()
    }
}
