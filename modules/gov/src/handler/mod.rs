//! One file per message: stateless checks live in [`crate::msgs`], the stateful checks and
//! the state change here. Every handler runs on the transaction's overlay, so an error drops
//! its writes and events.

mod cancel_proposal;
mod deposit;
mod submit_proposal;
mod update_params;
mod vote;

use crate::{capability::GovConfig, msgs::GovMsg};
use hub_framework::{cnidarium::StateWrite, ModuleError, TxCtx};

/// Executes a gov message on `s` with the capabilities of `C`.
///
/// Errors: each handler's (see the handler docs); the caller drops the overlay on error.
pub async fn execute<C: GovConfig, S: StateWrite>(
    msg: &GovMsg,
    s: &mut S,
    tx: &TxCtx,
) -> Result<(), ModuleError> {
    match msg {
        GovMsg::SubmitProposal(m) => submit_proposal::execute::<C, S>(m, s, tx).await,
        GovMsg::Deposit(m) => deposit::execute::<C, S>(m, s, tx).await,
        GovMsg::Vote(m) => vote::execute(m, s, tx).await,
        GovMsg::CancelProposal(m) => cancel_proposal::execute::<C, S>(m, s, tx).await,
        GovMsg::UpdateParams(m) => update_params::execute(m, s, tx).await,
    }
}
