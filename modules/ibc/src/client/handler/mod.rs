//! One file per message: `check_stateless` (signer), then `check_and_execute` (ibc-go's keeper
//! and 07-tendermint logic, then events). A runtime routes each decoded message to its
//! `MsgHandler` impl; on `Err` it drops the transaction's overlay.

mod create_client;
mod recover_client;
mod submit_misbehaviour;
mod update_client;
mod upgrade_client;

pub use upgrade_client::{zero_custom_fields, SENTINEL_ROOT};

use super::events::{ClientMisbehaviour, UpdateClient};
use super::update::{update_client, ClientMessage, UpdateOutcome};
use hub_framework::cnidarium::StateWrite;
use hub_framework::{Handled, ModuleError, SdkError, TxCtx, GAS_COSTS};
use ibc_proto::google::protobuf::Any;
use prost::Message;

/// Charges the commit signatures a header's verification checks (state access is metered by
/// the framework).
fn charge_signatures(tx: &TxCtx, signatures: usize) -> Handled {
    let sig_gas = GAS_COSTS
        .sig_verify_secp256k1
        .saturating_mul(signatures as u64);
    tx.gas
        .charge(sig_gas, "ed25519 commit signatures")
        .map_err(|e| ModuleError::from(SdkError::OutOfGas(e.to_string())))
}

/// `MsgUpdateClient` and `MsgSubmitMisbehaviour`: ibc-go v8 `UpdateClient`, then the
/// `update_client` or (when frozen) `client_misbehaviour` event.
async fn execute_update<S: StateWrite>(
    s: &mut S,
    tx: &TxCtx,
    client_id: &str,
    msg: &ClientMessage,
    raw: &Any,
) -> Handled {
    charge_signatures(tx, msg.signature_count())?;
    match update_client(s, client_id, msg, tx.block.time, tx.block.height).await? {
        UpdateOutcome::Updated(heights) => crate::events::emit_client(
            s,
            &UpdateClient {
                client_id: client_id.into(),
                consensus_heights: heights,
                header: raw.encode_to_vec(),
            },
        ),
        UpdateOutcome::Frozen => crate::events::emit_client(
            s,
            &ClientMisbehaviour {
                client_id: client_id.into(),
            },
        ),
    }
    Ok(())
}
