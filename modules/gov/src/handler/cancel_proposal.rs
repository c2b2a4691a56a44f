//! `MsgCancelProposal` (SDK `keeper.CancelProposal`).

use crate::{
    capability::GovConfig,
    events,
    keeper::{self, Settlement},
    msgs::MsgCancelProposal,
    state::{GovRead, GovWrite},
    state_key, GovError,
};
use cosmos_sdk_proto::cosmos::gov::v1::ProposalStatus;
use hub_auth::Address;
use hub_framework::{cnidarium::StateWrite, Handled, StateEventExt, TxCtx};

/// Cancels a proposal in its deposit or voting period: only its proposer, only before the
/// voting period ends. `proposal_cancel_ratio` of every deposit is burned (or sent to
/// `proposal_cancel_dest`), the rest refunded; the proposal, its votes and queue entries are
/// deleted.
///
/// Errors: `gov`/2 unknown proposal, `gov`/18 signer is not the proposer, `gov`/21 not in the
/// deposit or voting period, `gov`/20 voting period already ended.
pub async fn execute<C: GovConfig, S: StateWrite>(
    m: &MsgCancelProposal,
    s: &mut S,
    tx: &TxCtx,
) -> Handled {
    let hrp = tx.bech32_prefix.as_str();
    let proposal = keeper::load_proposal(s, m.proposal_id).await?;
    let proposer = m.proposer.to_bech32(hrp);
    if proposal.proposer != proposer {
        return Err(GovError::InvalidProposer(format!(
            "{proposer} is not the proposer of proposal {}",
            m.proposal_id
        ))
        .into());
    }
    let status = proposal.status;
    if status != ProposalStatus::DepositPeriod as i32
        && status != ProposalStatus::VotingPeriod as i32
    {
        return Err(GovError::InvalidProposal(format!(
            "proposal {} is not in its deposit or voting period",
            m.proposal_id
        ))
        .into());
    }
    let now = keeper::time_ns(tx.block.time);
    if proposal.voting_end_time.is_some() && keeper::ts_ns(&proposal.voting_end_time) < now {
        return Err(GovError::VotingPeriodEnded(format!(
            "voting period of proposal {} has already ended",
            m.proposal_id
        ))
        .into());
    }
    let p = s.gov_params().await?;
    let dest = if p.proto.proposal_cancel_dest.is_empty() {
        None
    } else {
        Some(Address::from_bech32(&p.proto.proposal_cancel_dest, hrp)?)
    };
    keeper::delete_votes(s, m.proposal_id).await?;
    keeper::settle_deposits(
        &C::Bank::default(),
        s,
        m.proposal_id,
        &Settlement::Cancel {
            ratio: p.proposal_cancel_ratio,
            dest,
        },
        hrp,
    )
    .await?;
    s.delete(state_key::inactive_queue(
        keeper::ts_ns(&proposal.deposit_end_time),
        m.proposal_id,
    ));
    if proposal.voting_end_time.is_some() {
        s.delete(state_key::active_queue(
            keeper::ts_ns(&proposal.voting_end_time),
            m.proposal_id,
        ));
    }
    s.delete_proposal(m.proposal_id);
    s.emit(&events::CancelProposal {
        sender: proposer,
        proposal_id: m.proposal_id,
    });
    Ok(())
}
