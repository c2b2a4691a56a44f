//! One file per message: stateless checks live in [`crate::msgs`], the stateful checks and
//! the state change here. Every handler runs on the transaction's overlay, so an error drops
//! its writes and events.

mod cancel_proposal;
mod deposit;
mod submit_proposal;
mod update_params;
mod vote;

use crate::{capability::GovConfig, msgs::GovMsg};
use hub_framework::{cnidarium::StateWrite, Handled, ModuleMsg, MsgHandler, SdkError, TxCtx};

/// The gov messages under the framework's one handler contract, with the capabilities of
/// `C` (bank, stake view, proposal router).
impl<C: GovConfig> MsgHandler<C> for GovMsg {
    /// Stateless check in the tx context: the message's signer signed the tx.
    ///
    /// Errors: `sdk`/4 otherwise.
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        let role = match self {
            GovMsg::SubmitProposal(_) | GovMsg::CancelProposal(_) => "proposer",
            GovMsg::Deposit(_) => "depositor",
            GovMsg::Vote(_) => "voter",
            GovMsg::UpdateParams(_) => "authority",
        };
        let why = format_args!("{} must be signed by its {role}", self.type_url());
        tx.require_signer(&self.signer(), SdkError::Unauthorized, why)
    }

    /// Executes the message on `s`.
    ///
    /// Errors: each handler's (see the handler docs); the caller drops the overlay on error.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        match self {
            GovMsg::SubmitProposal(m) => submit_proposal::execute::<C, S>(m, s, tx).await,
            GovMsg::Deposit(m) => deposit::execute::<C, S>(m, s, tx).await,
            GovMsg::Vote(m) => vote::execute(m, s, tx).await,
            GovMsg::CancelProposal(m) => cancel_proposal::execute::<C, S>(m, s, tx).await,
            GovMsg::UpdateParams(m) => update_params::execute(m, s, tx).await,
        }
    }
}
