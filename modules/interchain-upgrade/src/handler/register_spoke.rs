//! `MsgRegisterSpoke` (hub) and `MsgPinHubClient` (spoke): governance names the client, and on
//! the hub the connection, that upgrade plans travel through. Nothing else can bind.

use crate::msgs::{MsgPinHubClient, MsgRegisterSpoke};
use crate::{Binding, InterchainUpgradeError, InterchainUpgradeRead, InterchainUpgradeWrite};
use hub_framework::{cnidarium::StateWrite, Handled, ModuleError, MsgHandler, TxCtx};
use hub_ibc::client::ClientRead;
use hub_ibc::connection::ConnectionRead;

fn bad(m: String) -> ModuleError {
    InterchainUpgradeError::InvalidRequest(m).into()
}

/// Checks that `client_id` exists, is not frozen and tracks `chain_id`.
async fn check_client<S: StateWrite>(s: &S, client_id: &str, chain_id: &str) -> Handled {
    let cs = s.client_state(client_id).await?;
    if cs.chain_id != chain_id {
        return Err(bad(format!(
            "client {client_id} tracks {}, not {chain_id}",
            cs.chain_id
        )));
    }
    if !cs.frozen_height.is_zero() {
        return Err(bad(format!("client {client_id} is frozen")));
    }
    Ok(())
}

impl MsgHandler for MsgRegisterSpoke {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        super::signed_by_authority(tx, &self.authority)
    }

    /// Writes the spoke's binding (client, connection, no channel yet).
    ///
    /// Errors: `/9` on a spoke, or if the client does not exist, is frozen or tracks another
    /// chain, or the connection does not exist or is on another client; `client`/… from the
    /// client lookup.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, _tx: &TxCtx) -> Handled {
        let hub = s.iu_params().await?.hub_chain_id;
        if !hub.is_empty() {
            return Err(bad(format!(
                "this chain is a spoke of {hub}: it registers no spokes"
            )));
        }
        check_client(s, &self.client_id, &self.chain_id).await?;
        let conn = s.connection(&self.connection_id).await?;
        if conn.client_id != self.client_id {
            return Err(bad(format!(
                "connection {} is on client {}, not {}",
                self.connection_id, conn.client_id, self.client_id
            )));
        }
        if let Some(other) = s.binding_of_client(&self.client_id).await? {
            if other.chain_id != self.chain_id {
                return Err(bad(format!(
                    "client {} is already registered for {}",
                    self.client_id, other.chain_id
                )));
            }
        }
        s.put_binding(&Binding {
            chain_id: self.chain_id.clone(),
            client_id: self.client_id.clone(),
            connection_id: self.connection_id.clone(),
            channel_id: String::new(),
        })
        .await
    }
}

impl MsgHandler for MsgPinHubClient {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        super::signed_by_authority(tx, &self.authority)
    }

    /// Pins the client as the spoke's only way to its hub and unbinds the channel.
    ///
    /// Errors: `/9` on the hub, or if the client does not exist, is frozen or does not track
    /// the params' `hub_chain_id`.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, _tx: &TxCtx) -> Handled {
        let hub = s.iu_params().await?.hub_chain_id;
        if hub.is_empty() {
            return Err(bad(
                "this chain is the hub: it pins no hub client (register spokes instead)".into(),
            ));
        }
        check_client(s, &self.client_id, &hub).await?;
        // A spoke has one hub: a binding left from an earlier hub chain id goes.
        for old in s.bindings().await? {
            if old.chain_id != hub {
                s.delete_binding(&old);
            }
        }
        s.put_binding(&Binding {
            chain_id: hub,
            client_id: self.client_id.clone(),
            connection_id: String::new(),
            channel_id: String::new(),
        })
        .await
    }
}
