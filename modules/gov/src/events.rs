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

/// `submit_proposal { proposal_id, proposal_proposer, proposal_messages }`.
pub struct SubmitProposal {
    /// Proposal id.
    pub proposal_id: u64,
    /// Bech32 proposer.
    pub proposer: String,
    /// Comma-separated type URLs of the messages.
    pub messages: String,
}

impl TypedEvent for SubmitProposal {
    const TYPE: &'static str = "submit_proposal";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("proposal_id", self.proposal_id.to_string()),
            ("proposal_proposer", self.proposer.clone()),
            ("proposal_messages", self.messages.clone()),
        ]
    }
}

/// `submit_proposal { voting_period_start }` when the initial deposit opens the voting period.
pub struct SubmitVotingPeriodStart {
    /// Proposal id.
    pub proposal_id: u64,
}

impl TypedEvent for SubmitVotingPeriodStart {
    const TYPE: &'static str = "submit_proposal";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![("voting_period_start", self.proposal_id.to_string())]
    }
}

/// `proposal_deposit { depositor, amount, proposal_id }`.
pub struct ProposalDeposit {
    /// Bech32 depositor.
    pub depositor: String,
    /// Coins as `100uhub`.
    pub amount: String,
    /// Proposal id.
    pub proposal_id: u64,
}

impl TypedEvent for ProposalDeposit {
    const TYPE: &'static str = "proposal_deposit";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("depositor", self.depositor.clone()),
            ("amount", self.amount.clone()),
            ("proposal_id", self.proposal_id.to_string()),
        ]
    }
}

/// `proposal_deposit { voting_period_start }` when a deposit opens the voting period.
pub struct DepositVotingPeriodStart {
    /// Proposal id.
    pub proposal_id: u64,
}

impl TypedEvent for DepositVotingPeriodStart {
    const TYPE: &'static str = "proposal_deposit";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![("voting_period_start", self.proposal_id.to_string())]
    }
}

/// `proposal_vote { voter, option, proposal_id }`; `option` lists `option:… weight:…` pairs.
pub struct ProposalVote {
    /// Bech32 voter.
    pub voter: String,
    /// Options as the SDK prints `WeightedVoteOptions`.
    pub option: String,
    /// Proposal id.
    pub proposal_id: u64,
}

impl TypedEvent for ProposalVote {
    const TYPE: &'static str = "proposal_vote";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("voter", self.voter.clone()),
            ("option", self.option.clone()),
            ("proposal_id", self.proposal_id.to_string()),
        ]
    }
}

/// `cancel_proposal { sender, proposal_id }`.
pub struct CancelProposal {
    /// Bech32 proposer.
    pub sender: String,
    /// Proposal id.
    pub proposal_id: u64,
}

impl TypedEvent for CancelProposal {
    const TYPE: &'static str = "cancel_proposal";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("sender", self.sender.clone()),
            ("proposal_id", self.proposal_id.to_string()),
        ]
    }
}

/// `active_proposal { proposal_id, proposal_result, proposal_log }` at the end of a voting period.
pub struct ActiveProposal {
    /// Proposal id.
    pub proposal_id: u64,
    /// [`PROPOSAL_PASSED`], [`PROPOSAL_REJECTED`] or [`PROPOSAL_FAILED`].
    pub result: &'static str,
    /// Human-readable outcome (the failure reason for a failed proposal).
    pub log: String,
}

impl TypedEvent for ActiveProposal {
    const TYPE: &'static str = "active_proposal";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("proposal_id", self.proposal_id.to_string()),
            ("proposal_result", self.result.to_string()),
            ("proposal_log", self.log.clone()),
        ]
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
