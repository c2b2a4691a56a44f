//! Genesis and the end-block hook of gov.

use crate::{
    capability::{module_address, GovConfig, ProposalRouter},
    events,
    keeper::{self, Settlement},
    params::ParamsJson,
    state::{GovRead, GovWrite},
    state_key, tally, GovError,
};
use cosmos_sdk_proto::cosmos::gov::v1::ProposalStatus;
use hub_framework::{
    cnidarium::{StateDelta, StateRead, StateWrite},
    BlockCtx, EndBlocker, GenesisCtx, Handled, Module, ModuleError, StateEventExt, TxCtx,
    ValidatorUpdate,
};
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;

/// The gov module over the capabilities `C` supplies.
pub struct Gov<C>(PhantomData<C>);

/// `app_state.gov`.
///
/// Only params and the next proposal id are carried: proposals in flight are not exported
/// (export during a vote loses them).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GovGenesis {
    /// Id of the first proposal (decimal string, ≥ 1), as the SDK's `starting_proposal_id`.
    #[serde(default = "one")]
    pub starting_proposal_id: String,
    /// The params.
    #[serde(default)]
    pub params: ParamsJson,
    /// The proposals of a running chain, as an export writes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<crate::export::GovState>,
}

fn one() -> String {
    "1".into()
}

impl Default for GovGenesis {
    fn default() -> Self {
        GovGenesis {
            starting_proposal_id: one(),
            params: ParamsJson::default(),
            state: None,
        }
    }
}

impl GovGenesis {
    /// The local-network defaults with deposits in `denom` (see [`ParamsJson::local`]).
    pub fn local(denom: &str) -> Self {
        GovGenesis {
            starting_proposal_id: one(),
            params: ParamsJson::local(denom),
            state: None,
        }
    }
}

impl<C: GovConfig> Module for Gov<C> {
    const NAME: &'static str = "gov";
    type Genesis = GovGenesis;

    /// Validates and stores the params, the next proposal id and the bech32 prefix.
    ///
    /// Errors: `gov`/8 naming the field (`app_state.gov.params.quorum: …`).
    async fn init_genesis<S: StateWrite>(s: &mut S, ctx: &GenesisCtx, g: &GovGenesis) -> Handled {
        let params = g.params.to_proto(&ctx.bech32_prefix).map_err(|e| {
            GovError::InvalidGenesis(format!(
                "app_state.gov.params.{}",
                e.to_string().trim_start_matches("invalid gov params: ")
            ))
        })?;
        let start: u64 = g
            .starting_proposal_id
            .parse()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                GovError::InvalidGenesis(format!(
                    "app_state.gov.starting_proposal_id: {:?} is not a positive integer",
                    g.starting_proposal_id
                ))
            })?;
        s.put_gov_params(&params);
        s.put_next_proposal_id(start);
        s.put_raw(
            state_key::BECH32_PREFIX.to_string(),
            ctx.bech32_prefix.as_bytes().to_vec(),
        );
        if let Some(state) = &g.state {
            crate::export::import_state(s, &ctx.bech32_prefix, state).await?;
        }
        Ok(())
    }

    async fn export_genesis<S: StateRead>(s: &S) -> Result<GovGenesis, ModuleError> {
        Ok(GovGenesis {
            starting_proposal_id: s.next_proposal_id().await?.to_string(),
            params: ParamsJson::from_proto(&s.gov_params().await?.proto),
            state: Some(crate::export::export_state(s).await?),
        })
    }
}

impl<C: GovConfig> EndBlocker for Gov<C> {
    /// Ends deposit periods, then voting periods, that ended at or before the block time,
    /// each queue in (end time, proposal id) order (SDK `x/gov` `EndBlocker`):
    ///
    /// - a deposit period that ended: the proposal is deleted and its deposits refunded (or
    ///   burned with `burn_proposal_deposit_prevote`); event `inactive_proposal`.
    /// - a voting period that ended: tally ([`tally::tally`]), votes deleted, deposits
    ///   refunded or burned. A passing proposal executes all its messages in one overlay with
    ///   the gov module account as signer: all succeed → writes and events applied, status
    ///   PASSED; any fails → nothing applied, status FAILED with `failed_reason`. Otherwise
    ///   REJECTED. Event `active_proposal`.
    ///
    /// Each proposal settles in its own overlay. If its tally or the settlement of its
    /// deposits fails (arithmetic beyond 2^128, a module account short of the deposits),
    /// nothing of it is applied: the proposal becomes FAILED with the reason in
    /// `failed_reason` and in the event, its deposits are refunded if that alone succeeds,
    /// and the chain goes on (cosmos-sdk v0.50 logs such errors and continues likewise).
    ///
    /// Errors: only reads of the queues themselves, which halt the chain.
    async fn end_block<S: StateWrite>(
        s: &mut S,
        ctx: &BlockCtx,
    ) -> Result<Vec<ValidatorUpdate>, ModuleError> {
        let now = keeper::time_ns(ctx.time);
        let inactive = s.due(state_key::INACTIVE_PREFIX, now).await?;
        let active = s.due(state_key::ACTIVE_PREFIX, now).await?;
        if inactive.is_empty() && active.is_empty() {
            return Ok(vec![]);
        }
        let hrp = s.gov_bech32_prefix().await?;
        let params = s.gov_params().await?;
        for (end, id) in inactive {
            s.delete(state_key::inactive_queue(end, id));
            let mut overlay = StateDelta::new(&mut *s);
            let log = match drop_inactive::<C, _>(&mut overlay, &params, &hrp, id).await {
                Ok(false) => continue,
                Ok(true) => {
                    apply(overlay);
                    None
                }
                Err(e) => {
                    drop(overlay);
                    s.delete_proposal(id);
                    Some(format!("deposits not settled: {}", e.log))
                }
            };
            s.emit(&events::InactiveProposal {
                proposal_id: id,
                log,
            });
        }
        for (end, id) in active {
            s.delete(state_key::active_queue(end, id));
            let Ok(Some(proposal)) = s.proposal(id).await else {
                continue;
            };
            let mut overlay = StateDelta::new(&mut *s);
            match end_voting::<C, _>(&mut overlay, ctx, &params, &hrp, proposal.clone()).await {
                Ok(()) => apply(overlay),
                Err(e) => {
                    drop(overlay);
                    fail_unsettled::<C, _>(s, &hrp, proposal, &e).await;
                }
            }
        }
        Ok(vec![])
    }
}

/// Applies an overlay's writes and events to its parent.
fn apply<S: StateWrite>(overlay: StateDelta<&mut S>) {
    let (parent, events) = overlay.apply();
    for e in events {
        parent.record(e);
    }
}

/// Deletes proposal `id` whose deposit period ended and settles its deposits. `Ok(false)` if
/// the proposal is already gone (nothing to announce).
async fn drop_inactive<C: GovConfig, S: StateWrite>(
    s: &mut S,
    params: &crate::params::ParsedParams,
    hrp: &str,
    id: u64,
) -> Result<bool, ModuleError> {
    if s.proposal(id).await?.is_none() {
        return Ok(false);
    }
    s.delete_proposal(id);
    let how = if params.proto.burn_proposal_deposit_prevote {
        Settlement::Burn
    } else {
        Settlement::Refund
    };
    keeper::settle_deposits(&C::Bank::default(), s, id, &how, hrp).await?;
    Ok(true)
}

/// Ends the voting period of `proposal`: tally, votes deleted, deposits settled, messages of a
/// passing proposal executed, status and event written.
async fn end_voting<C: GovConfig, S: StateWrite>(
    s: &mut S,
    ctx: &BlockCtx,
    params: &crate::params::ParsedParams,
    hrp: &str,
    mut proposal: cosmos_sdk_proto::cosmos::gov::v1::Proposal,
) -> Handled {
    let id = proposal.id;
    let outcome = tally::tally(&*s, &C::Stake::default(), params, id).await?;
    keeper::delete_votes(s, id).await?;
    let how = if outcome.burn_deposits {
        Settlement::Burn
    } else {
        Settlement::Refund
    };
    keeper::settle_deposits(&C::Bank::default(), s, id, &how, hrp).await?;
    let (result, log) = if outcome.passes {
        let router = C::Router::default();
        match execute_messages(s, &router, ctx, hrp, id, &proposal.messages).await {
            Ok(()) => {
                proposal.status = ProposalStatus::Passed as i32;
                (events::PROPOSAL_PASSED, "passed".to_string())
            }
            Err(reason) => {
                proposal.status = ProposalStatus::Failed as i32;
                proposal.failed_reason = reason.clone();
                (
                    events::PROPOSAL_FAILED,
                    format!("passed, but failed on execution: {reason}"),
                )
            }
        }
    } else {
        proposal.status = ProposalStatus::Rejected as i32;
        (events::PROPOSAL_REJECTED, outcome.reason.clone())
    };
    proposal.final_tally_result = Some(outcome.result);
    s.put_proposal(&proposal);
    s.emit(&events::ActiveProposal {
        proposal_id: id,
        result,
        log,
    });
    Ok(())
}

/// Marks `proposal` FAILED after [`end_voting`] failed with `e`: votes deleted and deposits
/// refunded each only if that step succeeds on its own; the reason goes into
/// `failed_reason` and the `active_proposal` event. Never fails.
async fn fail_unsettled<C: GovConfig, S: StateWrite>(
    s: &mut S,
    hrp: &str,
    mut proposal: cosmos_sdk_proto::cosmos::gov::v1::Proposal,
    e: &ModuleError,
) {
    let id = proposal.id;
    let mut reason = format!(
        "not settled: {} (codespace {}, code {})",
        e.log, e.codespace, e.code
    );
    let mut votes = StateDelta::new(&mut *s);
    if keeper::delete_votes(&mut votes, id).await.is_ok() {
        apply(votes);
    }
    let mut refund = StateDelta::new(&mut *s);
    match keeper::settle_deposits(
        &C::Bank::default(),
        &mut refund,
        id,
        &Settlement::Refund,
        hrp,
    )
    .await
    {
        Ok(()) => apply(refund),
        Err(e) => reason.push_str(&format!("; deposits stay in the gov account: {}", e.log)),
    }
    proposal.status = ProposalStatus::Failed as i32;
    proposal.failed_reason = reason.clone();
    proposal.final_tally_result = Some(tally::empty_tally());
    s.put_proposal(&proposal);
    s.emit(&events::ActiveProposal {
        proposal_id: id,
        result: events::PROPOSAL_FAILED,
        log: reason,
    });
}

/// Executes `msgs` in one overlay of `s` as the gov module account; applies writes and events
/// only if every message succeeds. Returns the failure reason otherwise. While they run, the
/// overlay carries the proposal id as the ephemeral object
/// [`hub_framework::EXECUTING_PROPOSAL_ID`], so handlers can record which proposal caused them.
async fn execute_messages<S: StateWrite, R: ProposalRouter>(
    s: &mut S,
    router: &R,
    ctx: &BlockCtx,
    hrp: &str,
    proposal_id: u64,
    msgs: &[cosmos_sdk_proto::Any],
) -> Result<(), String> {
    let tx = TxCtx::new(ctx.clone(), hrp, module_address().0, u64::MAX);
    let mut overlay = StateDelta::new(&mut *s);
    overlay.object_put(hub_framework::EXECUTING_PROPOSAL_ID, proposal_id);
    for (i, m) in msgs.iter().enumerate() {
        if let Err(e) = router.execute(&mut overlay, &tx, m).await {
            return Err(format!(
                "message {i} ({}): {} (codespace {}, code {})",
                m.type_url, e.log, e.codespace, e.code
            ));
        }
    }
    let (_, events) = overlay.apply();
    for e in events {
        s.record(e);
    }
    Ok(())
}
