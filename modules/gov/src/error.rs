//! Gov errors (codespace `gov`), numbered as cosmos-sdk `x/gov/types/errors.go` (v0.50).

hub_framework::abci_errors! {
    /// Failures specific to the gov module. Codes 2–23 are the Cosmos SDK's; 100+ are this
    /// chain's own. Never renumber a variant.
    pub enum GovError in "gov" {
        /// No proposal with this id (code 2).
        #[error("unknown proposal: {0}")]
        UnknownProposal(u64) = 2,
        /// The proposal is not in the period the message needs (code 3).
        #[error("inactive proposal: {0}")]
        InactiveProposal(String) = 3,
        /// Title, summary or other content is missing or malformed (code 5).
        #[error("invalid proposal content: {0}")]
        InvalidProposalContent(String) = 5,
        /// A vote option is not yes/abstain/no/no_with_veto, or weights are malformed (code 7).
        #[error("invalid vote option: {0}")]
        InvalidVote(String) = 7,
        /// The genesis section is invalid; the message names the field (code 8).
        #[error("invalid genesis state: {0}")]
        InvalidGenesis(String) = 8,
        /// A proposal message's type is not routed by this chain (code 10).
        #[error("proposal message not recognized by router: {0}")]
        UnroutableProposalMsg(String) = 10,
        /// A proposal message failed its stateless checks (code 12).
        #[error("invalid proposal message: {0}")]
        InvalidProposalMsg(String) = 12,
        /// A proposal message (or `MsgUpdateParams`) is not signed by the gov module account (code 13).
        #[error("expected gov account as only signer for proposal message: {0}")]
        InvalidSigner(String) = 13,
        /// The metadata exceeds 255 bytes (code 15).
        #[error("metadata too long: {0}")]
        MetadataTooLong(String) = 15,
        /// The initial deposit or a deposit is below the required minimum (code 16).
        #[error("minimum deposit is too small: {0}")]
        MinDepositTooSmall(String) = 16,
        /// The signer of `MsgCancelProposal` is not the proposer (code 18).
        #[error("invalid proposer: {0}")]
        InvalidProposer(String) = 18,
        /// The voting period has already ended (code 20).
        #[error("voting period already ended: {0}")]
        VotingPeriodEnded(String) = 20,
        /// The proposal cannot take this action (e.g. expedited, or cancel after the periods) (code 21).
        #[error("invalid proposal: {0}")]
        InvalidProposal(String) = 21,
        /// A deposit uses a denom not in `min_deposit` (code 23).
        #[error("invalid deposit denom: {0}")]
        InvalidDepositDenom(String) = 23,
        /// A params value is out of range; the message names the field (code 100).
        #[error("invalid gov params: {0}")]
        InvalidParams(String) = 100,
    }
}
