//! `MsgVote` and `MsgVoteWeighted` (SDK `keeper.AddVote`).

use crate::{events, keeper, msgs::MsgVote, state::GovWrite, GovError};
use cosmos_sdk_proto::cosmos::gov::v1::{ProposalStatus, Vote, WeightedVoteOption};
use hub_framework::{cnidarium::StateWrite, Handled, StateEventExt, TxCtx};

/// Records (or replaces) the voter's vote on a proposal in its voting period.
///
/// Errors: `gov`/2 unknown proposal, `gov`/3 not in the voting period.
pub async fn execute<S: StateWrite>(m: &MsgVote, s: &mut S, tx: &TxCtx) -> Handled {
    let proposal = keeper::load_proposal(s, m.proposal_id).await?;
    if proposal.status != ProposalStatus::VotingPeriod as i32 {
        return Err(GovError::InactiveProposal(format!(
            "proposal {} is not in its voting period",
            m.proposal_id
        ))
        .into());
    }
    let options: Vec<WeightedVoteOption> = m
        .options
        .iter()
        .map(|(o, w)| WeightedVoteOption {
            option: *o as i32,
            weight: w.to_string(),
        })
        .collect();
    let voter = m.voter.to_bech32(&tx.bech32_prefix);
    s.put_vote(
        &Vote {
            proposal_id: m.proposal_id,
            voter: voter.clone(),
            options: options.clone(),
            metadata: m.metadata.clone(),
        },
        &m.voter,
    );
    s.emit(&events::ProposalVote {
        voter,
        option: options
            .iter()
            .map(|o| {
                format!(
                    "option:{} weight:\"{}\"",
                    cosmos_sdk_proto::cosmos::gov::v1::VoteOption::try_from(o.option)
                        .map(|x| x.as_str_name())
                        .unwrap_or("VOTE_OPTION_UNSPECIFIED"),
                    o.weight
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        proposal_id: m.proposal_id,
    });
    Ok(())
}
