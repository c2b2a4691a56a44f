//! ICS-03 handshake handlers (ibc-go `03-connection/keeper/handshake.go`).
//!
//! The counterparty's client of this chain is not validated (no self client or self consensus
//! state checks), as in ibc-go ≥ 8.5: those checks tied every counterparty to one light-client
//! implementation of this chain and blocked client upgrades, while the security of the
//! connection rests on our own client of the counterparty, whose proofs we do verify.
//!
//! One file per message; the checks they share are here.

mod conn_open_ack;
mod conn_open_confirm;
mod conn_open_init;
mod conn_open_try;

use super::msgs::*;
use super::{
    default_version, our_prefix, pick_version, proof_ctx, ConnState, ConnectionEnd, ConnectionRead,
    ConnectionWrite, Counterparty, Version, NEXT_CONNECTION_SEQUENCE,
};
use crate::client::{verify_membership, ClientRead, Status};
use crate::events::{emit_ibc, MODULE_CONNECTION};
use crate::identifier::connection_id;
use crate::msgs_common::{check_signer, msg_handler};
use crate::{Height, IbcError, Path, VerifyKind};
use cnidarium::{StateRead, StateWrite};
use hub_framework::{StateWriteProto, TxCtx};
use prost::Message;

async fn require_active<S: StateRead>(s: &S, client_id: &str, tx: &TxCtx) -> Result<(), IbcError> {
    let status = s.client_status(client_id, tx.block.time).await?;
    if status != Status::Active {
        return Err(IbcError::ClientNotActive(format!(
            "client {client_id} is {status}"
        )));
    }
    Ok(())
}

/// Allocates the next connection id and records it under its client.
async fn new_connection<S: StateWrite>(s: &mut S, c: &ConnectionEnd) -> Result<String, IbcError> {
    let seq = s.next_connection_sequence().await?;
    let id = connection_id(seq);
    s.put_u64(NEXT_CONNECTION_SEQUENCE.into(), seq + 1);
    let mut ids = s.client_connections(&c.client_id).await?;
    ids.push(id.clone());
    s.put_client_connections(&c.client_id, ids);
    s.put_connection(&id, c);
    Ok(id)
}

fn event<S: StateWrite>(s: &mut S, kind: &str, id: &str, c: &ConnectionEnd) {
    let cp = c.counterparty.clone().unwrap_or_default();
    emit_ibc(
        s,
        MODULE_CONNECTION,
        kind,
        vec![
            ("connection_id", id.to_string()),
            ("client_id", c.client_id.clone()),
            ("counterparty_client_id", cp.client_id),
            ("counterparty_connection_id", cp.connection_id),
        ],
    );
}

/// The connection `id`, which must be in state `want`. Errors: `connection`/3 no such
/// connection, `connection`/6 another state.
async fn connection_in<S: StateRead>(
    s: &S,
    id: &str,
    want: ConnState,
) -> Result<ConnectionEnd, IbcError> {
    let end = s.connection(id).await?;
    if ConnState::of(&end) != want {
        return Err(IbcError::InvalidConnectionState(format!(
            "connection {id} is {:?}, expected {want:?}",
            ConnState::of(&end)
        )));
    }
    Ok(end)
}

/// The counterparty's connection end as its proof must show it: in `state` with `versions`,
/// on the counterparty's client `cp_client`, facing our connection `id` (empty before it has
/// one) on the client of `ours`, under our commitment prefix, with the delay period of `ours`.
fn expected_end(
    state: ConnState,
    versions: Vec<Version>,
    cp_client: &str,
    ours: &ConnectionEnd,
    id: &str,
) -> ConnectionEnd {
    ConnectionEnd {
        client_id: cp_client.to_string(),
        versions,
        state: state.to_i32(),
        counterparty: Some(Counterparty {
            client_id: ours.client_id.clone(),
            connection_id: id.to_string(),
            prefix: Some(our_prefix()),
        }),
        delay_period: ours.delay_period,
    }
}

/// Proves the counterparty's end `expected` at `connections/{cp_id}`.
#[allow(clippy::too_many_arguments)]
async fn verify_counterparty<S: StateRead>(
    s: &S,
    tx: &TxCtx,
    ours: &ConnectionEnd,
    cp_id: &str,
    expected: &ConnectionEnd,
    proof: &[u8],
    height: Height,
) -> Result<(), IbcError> {
    let ctx = proof_ctx(tx, ours, false);
    let path = Path::Connection {
        connection_id: cp_id.into(),
    };
    verify_membership(
        s,
        &ctx,
        height,
        proof,
        &path,
        &expected.encode_to_vec(),
        VerifyKind::Connection,
    )
    .await
}
