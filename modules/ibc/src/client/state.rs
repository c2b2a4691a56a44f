//! Client state in the IBC store: client and consensus states at their ICS-24 paths, plus the
//! processed time/height and an ordered height index per consensus state (ibc-go
//! `07-tendermint/store.go`), used for connection delays and pruning.

use super::types::{time_nanos, ClientState, ConsensusState, Status};
use crate::{state_key, Height, IbcError};
use cnidarium::{StateRead, StateWrite};
use hub_framework::{StateReadProto, StateWriteProto};
use ibc_proto::google::protobuf::Any;
use tendermint::Time;

pub use crate::state_key::NEXT_CLIENT_SEQUENCE;
use crate::state_key::{
    height_index as height_index_key, height_index_prefix,
    processed_height as processed_height_key, processed_time as processed_time_key,
};

/// The height of a height-index key under `prefix`. Errors: `client`/… on a corrupt key.
fn parse_height_index(prefix: &str, key: &str) -> Result<Height, IbcError> {
    let hex = key.get(prefix.len()..).unwrap_or_default();
    let parse = |s: &str| u64::from_str_radix(s, 16).ok();
    match (hex.get(..16).and_then(parse), hex.get(16..).and_then(parse)) {
        (Some(r), Some(h)) => Ok(Height::new(r, h)),
        _ => Err(IbcError::InvalidClient(format!(
            "corrupt height index {key}"
        ))),
    }
}

/// Reads of light-client state. Blanket-implemented for every `StateRead`.
pub trait ClientRead: StateRead {
    /// The client state. Errors: `client`/4 if absent.
    async fn client_state(&self, client_id: &str) -> Result<ClientState, IbcError> {
        let key = state_key::client_state(client_id);
        let any: Any = self
            .get_proto(&key)
            .await
            .map_err(|e| IbcError::InvalidClient(e.log))?
            .ok_or_else(|| IbcError::ClientNotFound(client_id.into()))?;
        ClientState::from_any(&any)
    }

    /// The consensus state at `height`. Errors: `client`/7 if absent.
    async fn consensus_state(
        &self,
        client_id: &str,
        height: Height,
    ) -> Result<ConsensusState, IbcError> {
        self.try_consensus_state(client_id, height)
            .await?
            .ok_or_else(|| {
                IbcError::ConsensusStateNotFound(format!("client {client_id} at height {height}"))
            })
    }

    /// The consensus state at `height`, if stored.
    async fn try_consensus_state(
        &self,
        client_id: &str,
        height: Height,
    ) -> Result<Option<ConsensusState>, IbcError> {
        let key = state_key::consensus_state(client_id, height);
        match self
            .get_proto::<Any>(&key)
            .await
            .map_err(|e| IbcError::InvalidConsensus(e.log))?
        {
            None => Ok(None),
            Some(any) => ConsensusState::from_any(&any).map(Some),
        }
    }

    /// The heights of the `n` oldest stored consensus states, ascending. Reads only those `n`
    /// index entries (a client update prunes from the front without loading the rest).
    async fn oldest_consensus_heights(
        &self,
        client_id: &str,
        n: usize,
    ) -> Result<Vec<Height>, IbcError> {
        use futures::StreamExt;
        let prefix = height_index_prefix(client_id);
        let mut stream = std::pin::pin!(self.prefix_keys(&prefix));
        let mut out = Vec::new();
        while out.len() < n {
            let Some(key) = stream.next().await else {
                break;
            };
            let key = key.map_err(|e| IbcError::InvalidClient(e.to_string()))?;
            out.push(parse_height_index(&prefix, &key)?);
        }
        Ok(out)
    }

    /// Heights of every stored consensus state, ascending (queries; O(stored states)).
    async fn consensus_heights(&self, client_id: &str) -> Result<Vec<Height>, IbcError> {
        let prefix = height_index_prefix(client_id);
        let rows = self
            .prefix_raw_vec(&prefix)
            .await
            .map_err(|e| IbcError::InvalidClient(e.log))?;
        rows.into_iter()
            .map(|(k, _)| parse_height_index(&prefix, &k))
            .collect()
    }

    /// The block time (ns) at which the consensus state at `height` was stored.
    /// Errors: `07-tendermint`/8.
    async fn processed_time(&self, client_id: &str, height: Height) -> Result<u64, IbcError> {
        self.get_u64(&processed_time_key(client_id, height))
            .await
            .map_err(|e| IbcError::InvalidClient(e.log))?
            .ok_or_else(|| {
                IbcError::TmProcessedTimeNotFound(format!("client {client_id} height {height}"))
            })
    }

    /// The host height at which the consensus state at `height` was stored.
    /// Errors: `07-tendermint`/8.
    async fn processed_height(&self, client_id: &str, height: Height) -> Result<u64, IbcError> {
        self.get_u64(&processed_height_key(client_id, height))
            .await
            .map_err(|e| IbcError::InvalidClient(e.log))?
            .ok_or_else(|| {
                IbcError::TmProcessedTimeNotFound(format!(
                    "processed height of client {client_id} height {height}"
                ))
            })
    }

    /// Active, Expired (latest consensus state older than the trusting period at block time
    /// `now`), Frozen, or Unauthorized when governance took 07-tendermint off the allowed
    /// clients (ibc-go `GetClientStatus`). Errors: `client`/4.
    async fn client_status(&self, client_id: &str, now: Time) -> Result<Status, IbcError> {
        let cs = self.client_state(client_id).await?;
        if !crate::params::ParamsRead::tendermint_allowed(self).await? {
            return Ok(Status::Unauthorized);
        }
        if !cs.frozen_height.is_zero() {
            return Ok(Status::Frozen);
        }
        // A missing latest consensus state means the client cannot be used: expired.
        match self
            .try_consensus_state(client_id, cs.latest_height)
            .await?
        {
            Some(cons) if !cs.is_expired(cons.timestamp, now) => Ok(Status::Active),
            _ => Ok(Status::Expired),
        }
    }

    /// The next client sequence (0 before the first client).
    async fn next_client_sequence(&self) -> Result<u64, IbcError> {
        state_key::read_sequence(self, NEXT_CLIENT_SEQUENCE, IbcError::InvalidClient).await
    }
}

impl<T: StateRead + ?Sized> ClientRead for T {}

/// Writes of light-client state. Blanket-implemented for every `StateWrite`.
pub trait ClientWrite: StateWrite {
    /// Stores the client state as `Any` at `clients/{id}/clientState`.
    fn put_client_state(&mut self, client_id: &str, cs: &ClientState) {
        let key = state_key::client_state(client_id);
        self.put_proto(key, &cs.to_any());
    }

    /// Stores a consensus state at `height` with its processed time (host block time) and
    /// processed height (host height), and indexes the height.
    fn put_consensus_state(
        &mut self,
        client_id: &str,
        height: Height,
        cons: &ConsensusState,
        host_time: Time,
        host_height: u64,
    ) {
        let key = state_key::consensus_state(client_id, height);
        self.put_proto(key, &cons.to_any());
        self.put_u64(processed_time_key(client_id, height), time_nanos(host_time));
        self.put_u64(processed_height_key(client_id, height), host_height);
        self.put_raw(height_index_key(client_id, height), vec![1]);
    }

    /// Removes a consensus state and its metadata (pruning of expired states).
    fn delete_consensus_state(&mut self, client_id: &str, height: Height) {
        self.delete(state_key::consensus_state(client_id, height));
        self.delete(processed_time_key(client_id, height));
        self.delete(processed_height_key(client_id, height));
        self.delete(height_index_key(client_id, height));
    }

    /// Sets the next client sequence.
    fn put_next_client_sequence(&mut self, seq: u64) {
        self.put_u64(NEXT_CLIENT_SEQUENCE.into(), seq);
    }
}

impl<T: StateWrite + ?Sized> ClientWrite for T {}
