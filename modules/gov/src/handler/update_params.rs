//! `MsgUpdateParams` (SDK `msg_server.UpdateParams`).

use crate::{capability::module_address, msgs::MsgUpdateParams, state::GovWrite, GovError};
use hub_framework::{cnidarium::StateWrite, Handled, TxCtx};

/// Replaces the params (already validated by the message); only the gov module account, i.e.
/// a passed proposal, may do it.
///
/// Errors: `gov`/13 if `authority` is not the gov module account.
pub async fn execute<S: StateWrite>(m: &MsgUpdateParams, s: &mut S, tx: &TxCtx) -> Handled {
    let gov = module_address();
    if m.authority != gov {
        return Err(GovError::InvalidSigner(format!(
            "invalid authority; expected {}, got {}",
            gov.to_bech32(&tx.bech32_prefix),
            m.authority.to_bech32(&tx.bech32_prefix)
        ))
        .into());
    }
    s.put_gov_params(&m.params);
    Ok(())
}
