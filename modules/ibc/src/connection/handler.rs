//! ICS-03 handshake handlers (ibc-go `03-connection/keeper/handshake.go`).
//!
//! The counterparty's client of this chain is not validated (no self client or self consensus
//! state checks), as in ibc-go ≥ 8.5: those checks tied every counterparty to one light-client
//! implementation of this chain and blocked client upgrades, while the security of the
//! connection rests on our own client of the counterparty, whose proofs we do verify.

use super::msgs::*;
use super::{
    default_version, our_prefix, pick_version, ConnState, ConnectionEnd, ConnectionRead,
    ConnectionWrite, Counterparty, Version, NEXT_CONNECTION_SEQUENCE,
};
use crate::client::{verify_membership, ClientRead, ProofContext, Status};
use crate::events::{emit_ibc, MODULE_CONNECTION};
use crate::identifier::connection_id;
use crate::msgs_common::check_signer;
use crate::{Height, IbcError, Path, VerifyKind};
use cnidarium::{StateRead, StateWrite};
use hub_framework::{ModuleError, MsgHandler, StateWriteProto, TxCtx};
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
    let prefix = ours
        .counterparty
        .as_ref()
        .and_then(|c| c.prefix.as_ref())
        .map(|p| p.key_prefix.clone())
        .unwrap_or_default();
    let ctx = ProofContext {
        client_id: &ours.client_id,
        now: tx.block.time,
        host_height: tx.block.height,
        delay_period_ns: 0,
        prefix: &prefix,
    };
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

impl MsgHandler for MsgConnectionOpenInit {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// Creates `connection-N` in INIT. Errors: `client`/4, `client`/29.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        require_active(s, &self.client_id, tx).await?;
        let versions = match &self.version {
            Some(v) => vec![v.clone()],
            None => vec![default_version()],
        };
        let end = ConnectionEnd {
            client_id: self.client_id.clone(),
            versions,
            state: ConnState::Init.to_i32(),
            counterparty: Some(self.counterparty.clone()),
            delay_period: self.delay_period,
        };
        let id = new_connection(s, &end).await?;
        event(s, "connection_open_init", &id, &end);
        Ok(())
    }
}

impl MsgHandler for MsgConnectionOpenTry {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// Proves the counterparty's INIT end, picks a version and creates `connection-N` in
    /// TRYOPEN. Errors: `client`/29, `client`/16 proof, `connection`/10 no common version.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        require_active(s, &self.client_id, tx).await?;
        let version = pick_version(&self.counterparty_versions)?;
        let end = ConnectionEnd {
            client_id: self.client_id.clone(),
            versions: vec![version],
            state: ConnState::TryOpen.to_i32(),
            counterparty: Some(self.counterparty.clone()),
            delay_period: self.delay_period,
        };
        let expected = ConnectionEnd {
            client_id: self.counterparty.client_id.clone(),
            versions: self.counterparty_versions.clone(),
            state: ConnState::Init.to_i32(),
            counterparty: Some(Counterparty {
                client_id: self.client_id.clone(),
                connection_id: String::new(),
                prefix: Some(our_prefix()),
            }),
            delay_period: self.delay_period,
        };
        verify_counterparty(
            s,
            tx,
            &end,
            &self.counterparty.connection_id,
            &expected,
            &self.proof_init,
            self.proof_height,
        )
        .await?;
        let id = new_connection(s, &end).await?;
        event(s, "connection_open_try", &id, &end);
        Ok(())
    }
}

impl MsgHandler for MsgConnectionOpenAck {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// INIT → OPEN after proving the counterparty's TRYOPEN end with the chosen version.
    /// Errors: `connection`/3, `connection`/6 not INIT, `connection`/9 version not proposed,
    /// `client`/16 proof.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        let mut end = s.connection(&self.connection_id).await?;
        if ConnState::of(&end) != ConnState::Init {
            return Err(IbcError::InvalidConnectionState(format!(
                "connection {} is {:?}, expected Init",
                self.connection_id,
                ConnState::of(&end)
            ))
            .into());
        }
        if !proposed(&end.versions, &self.version) {
            return Err(IbcError::InvalidVersion(format!(
                "version {:?} was not proposed by connection {}",
                self.version, self.connection_id
            ))
            .into());
        }
        let cp = end.counterparty.clone().unwrap_or_default();
        let expected = ConnectionEnd {
            client_id: cp.client_id.clone(),
            versions: vec![self.version.clone()],
            state: ConnState::TryOpen.to_i32(),
            counterparty: Some(Counterparty {
                client_id: end.client_id.clone(),
                connection_id: self.connection_id.clone(),
                prefix: Some(our_prefix()),
            }),
            delay_period: end.delay_period,
        };
        verify_counterparty(
            s,
            tx,
            &end,
            &self.counterparty_connection_id,
            &expected,
            &self.proof_try,
            self.proof_height,
        )
        .await?;
        end.state = ConnState::Open.to_i32();
        end.versions = vec![self.version.clone()];
        end.counterparty = Some(Counterparty {
            connection_id: self.counterparty_connection_id.clone(),
            ..cp
        });
        s.put_connection(&self.connection_id, &end);
        event(s, "connection_open_ack", &self.connection_id, &end);
        Ok(())
    }
}

/// A chosen version must be one we proposed, with a subset of its features.
fn proposed(ours: &[Version], chosen: &Version) -> bool {
    ours.iter().any(|v| {
        v.identifier == chosen.identifier && chosen.features.iter().all(|f| v.features.contains(f))
    })
}

impl MsgHandler for MsgConnectionOpenConfirm {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// TRYOPEN → OPEN after proving the counterparty's OPEN end. Errors: `connection`/3,
    /// `connection`/6, `client`/16.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        let mut end = s.connection(&self.connection_id).await?;
        if ConnState::of(&end) != ConnState::TryOpen {
            return Err(IbcError::InvalidConnectionState(format!(
                "connection {} is {:?}, expected TryOpen",
                self.connection_id,
                ConnState::of(&end)
            ))
            .into());
        }
        let cp = end.counterparty.clone().unwrap_or_default();
        let expected = ConnectionEnd {
            client_id: cp.client_id.clone(),
            versions: end.versions.clone(),
            state: ConnState::Open.to_i32(),
            counterparty: Some(Counterparty {
                client_id: end.client_id.clone(),
                connection_id: self.connection_id.clone(),
                prefix: Some(our_prefix()),
            }),
            delay_period: end.delay_period,
        };
        verify_counterparty(
            s,
            tx,
            &end,
            &cp.connection_id,
            &expected,
            &self.proof_ack,
            self.proof_height,
        )
        .await?;
        end.state = ConnState::Open.to_i32();
        s.put_connection(&self.connection_id, &end);
        event(s, "connection_open_confirm", &self.connection_id, &end);
        Ok(())
    }
}
