//! Gov errors (codespace `gov`), numbered as cosmos-sdk `x/gov/types/errors.go` (v0.50).

use hub_framework::AbciCode;

/// Failures specific to the gov module. Codes 2–23 are the Cosmos SDK's; 100+ are this
/// chain's own. Never renumber a variant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GovError {
    /// No proposal with this id (code 2).
    #[error("unknown proposal: {0}")]
    UnknownProposal(u64),
    /// The proposal is not in the period the message needs (code 3).
    #[error("inactive proposal: {0}")]
    InactiveProposal(String),
    /// Title, summary or other content is missing or malformed (code 5).
    #[error("invalid proposal content: {0}")]
    InvalidProposalContent(String),
    /// A vote option is not yes/abstain/no/no_with_veto, or weights are malformed (code 7).
    #[error("invalid vote option: {0}")]
    InvalidVote(String),
    /// The genesis section is invalid; the message names the field (code 8).
    #[error("invalid genesis state: {0}")]
    InvalidGenesis(String),
    /// A proposal message's type is not routed by this chain (code 10).
    #[error("proposal message not recognized by router: {0}")]
    UnroutableProposalMsg(String),
    /// A proposal message failed its stateless checks (code 12).
    #[error("invalid proposal message: {0}")]
    InvalidProposalMsg(String),
    /// A proposal message (or `MsgUpdateParams`) is not signed by the gov module account (code 13).
    #[error("expected gov account as only signer for proposal message: {0}")]
    InvalidSigner(String),
    /// The metadata exceeds 255 bytes (code 15).
    #[error("metadata too long: {0}")]
    MetadataTooLong(String),
    /// The initial deposit or a deposit is below the required minimum (code 16).
    #[error("minimum deposit is too small: {0}")]
    MinDepositTooSmall(String),
    /// The signer of `MsgCancelProposal` is not the proposer (code 18).
    #[error("invalid proposer: {0}")]
    InvalidProposer(String),
    /// The voting period has already ended (code 20).
    #[error("voting period already ended: {0}")]
    VotingPeriodEnded(String),
    /// The proposal cannot take this action (e.g. expedited, or cancel after the periods) (code 21).
    #[error("invalid proposal: {0}")]
    InvalidProposal(String),
    /// A deposit uses a denom not in `min_deposit` (code 23).
    #[error("invalid deposit denom: {0}")]
    InvalidDepositDenom(String),
    /// A params value is out of range; the message names the field (code 100).
    #[error("invalid gov params: {0}")]
    InvalidParams(String),
}

impl AbciCode for GovError {
    fn codespace(&self) -> &'static str {
        "gov"
    }
    fn code(&self) -> u32 {
        match self {
            GovError::UnknownProposal(_) => 2,
            GovError::InactiveProposal(_) => 3,
            GovError::InvalidProposalContent(_) => 5,
            GovError::InvalidVote(_) => 7,
            GovError::InvalidGenesis(_) => 8,
            GovError::UnroutableProposalMsg(_) => 10,
            GovError::InvalidProposalMsg(_) => 12,
            GovError::InvalidSigner(_) => 13,
            GovError::MetadataTooLong(_) => 15,
            GovError::MinDepositTooSmall(_) => 16,
            GovError::InvalidProposer(_) => 18,
            GovError::VotingPeriodEnded(_) => 20,
            GovError::InvalidProposal(_) => 21,
            GovError::InvalidDepositDenom(_) => 23,
            GovError::InvalidParams(_) => 100,
        }
    }
}
