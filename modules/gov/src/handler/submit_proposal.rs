//! `MsgSubmitProposal` (SDK `msg_server.SubmitProposal` + `keeper.SubmitProposal`).

use crate::{
    capability::{GovConfig, ProposalRouter},
    events,
    keeper::{self, Origin},
    msgs::MsgSubmitProposal,
    state::{GovRead, GovWrite},
    state_key,
    tally::empty_tally,
    GovError,
};
use cosmos_sdk_proto::cosmos::gov::v1::{Proposal, ProposalStatus};
use hub_framework::{cnidarium::StateWrite, Handled, StateEventExt, TxCtx};

/// Checks the initial deposit (denoms, `min_initial_deposit_ratio`) and every message through
/// the router, stores the proposal in its deposit period, moves the initial deposit and opens
/// the voting period if it already reaches `min_deposit`.
///
/// Errors: `gov`/23 deposit denom, `gov`/16 initial deposit too small, `gov`/10, 12, 13 from
/// the router, `sdk`/5 insufficient funds.
pub async fn execute<C: GovConfig, S: StateWrite>(
    m: &MsgSubmitProposal,
    s: &mut S,
    tx: &TxCtx,
) -> Handled {
    let p = s.gov_params().await?;
    let hrp = tx.bech32_prefix.as_str();
    keeper::check_deposit_denoms(&p, &m.initial_deposit)?;
    let required = keeper::scale(&p.min_deposit(), p.min_initial_deposit_ratio);
    if !keeper::all_gte(&m.initial_deposit, &required) {
        return Err(GovError::MinDepositTooSmall(format!(
            "initial deposit {:?} is below the required {} (min_initial_deposit_ratio {} of min_deposit {})",
            m.initial_deposit.to_string(),
            required,
            p.min_initial_deposit_ratio,
            p.min_deposit()
        ))
        .into());
    }
    let router = C::Router::default();
    for (i, msg) in m.messages.iter().enumerate() {
        router.validate(msg, hrp).map_err(|mut e| {
            e.log = format!("message {i} ({}): {}", msg.type_url, e.log);
            e
        })?;
    }
    let id = s.next_proposal_id().await?;
    s.put_next_proposal_id(id + 1);
    let now = keeper::time_ns(tx.block.time);
    let deposit_end = keeper::add_secs(now, p.max_deposit_period_s);
    let mut proposal = Proposal {
        id,
        messages: m.messages.clone(),
        status: ProposalStatus::DepositPeriod as i32,
        final_tally_result: Some(empty_tally()),
        submit_time: Some(keeper::timestamp(now)),
        deposit_end_time: Some(keeper::timestamp(deposit_end)),
        total_deposit: vec![],
        voting_start_time: None,
        voting_end_time: None,
        metadata: m.metadata.clone(),
        title: m.title.clone(),
        summary: m.summary.clone(),
        proposer: m.proposer.to_bech32(hrp),
        expedited: false,
        failed_reason: String::new(),
    };
    s.put_proposal(&proposal);
    s.put_queue(state_key::inactive_queue(deposit_end, id));
    s.emit(&events::SubmitProposal {
        proposal_id: id,
        proposer: m.proposer.to_bech32(hrp),
        messages: m
            .messages
            .iter()
            .map(|a| a.type_url.as_str())
            .collect::<Vec<_>>()
            .join(","),
    });
    if !m.initial_deposit.0.is_empty() {
        keeper::add_deposit(
            &C::Bank::default(),
            s,
            &p,
            &mut proposal,
            &m.proposer,
            &m.initial_deposit,
            hrp,
            now,
            Origin::Submit,
        )
        .await?;
    }
    tx.note(&format!("proposal_id={id}"));
    Ok(())
}
