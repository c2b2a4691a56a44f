//! Typed access to interchain-upgrade state.

use crate::{state_key, Binding, Dispatch, Params, PauseDispatch};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError, StateReadProto, StateWriteProto,
};

/// Reads of interchain-upgrade state.
pub trait InterchainUpgradeRead: StateRead {
    /// The params (always present after genesis).
    async fn iu_params(&self) -> Result<Params, ModuleError> {
        self.get_proto(state_key::PARAMS)
            .await?
            .ok_or_else(|| ModuleError::internal("interchain-upgrade params missing"))
    }

    /// The dispatch of plan `name` to `spoke`, if any.
    async fn dispatch(&self, spoke: &str, name: &str) -> Result<Option<Dispatch>, ModuleError> {
        self.get_proto(&state_key::dispatch(spoke, name)).await
    }

    /// Every dispatch (of one spoke with `Some`), in (spoke, name) order.
    async fn dispatches(&self, spoke: Option<&str>) -> Result<Vec<Dispatch>, ModuleError> {
        let mut out = Vec::new();
        for (key, _) in self
            .prefix_raw_vec(&state_key::dispatches_prefix(spoke))
            .await?
        {
            if let Some(d) = self.get_proto(&key).await? {
                out.push(d);
            }
        }
        Ok(out)
    }

    /// The dispatch a packet we sent belongs to, as `(spoke, name)`.
    async fn dispatch_of_packet(
        &self,
        channel: &str,
        sequence: u64,
    ) -> Result<Option<(String, String)>, ModuleError> {
        let Some(raw) = self
            .get_raw(&state_key::packet(channel, sequence))
            .await
            .map_err(ModuleError::internal)?
        else {
            return Ok(None);
        };
        let s = String::from_utf8(raw).map_err(ModuleError::internal)?;
        Ok(s.split_once('/')
            .map(|(a, b)| (a.to_string(), b.to_string())))
    }

    /// The spoke height plan `name` was accepted at, if it was (never cleared).
    async fn consumed_at(&self, name: &str) -> Result<Option<u64>, ModuleError> {
        self.get_u64(&state_key::consumed(name)).await
    }

    /// Every consumed plan as `(name, height)`, in name order.
    async fn consumed_plans(&self) -> Result<Vec<(String, u64)>, ModuleError> {
        let mut out = Vec::new();
        for (key, v) in self.prefix_raw_vec(state_key::CONSUMED_PREFIX).await? {
            let h = <[u8; 8]>::try_from(v.as_slice())
                .map(u64::from_be_bytes)
                .map_err(|_| ModuleError::internal(format!("corrupt u64 at {key}")))?;
            out.push((
                key.trim_start_matches(state_key::CONSUMED_PREFIX)
                    .to_string(),
                h,
            ));
        }
        Ok(out)
    }

    /// The binding with `chain_id` (a registered spoke on the hub, the hub on a spoke).
    async fn binding(&self, chain_id: &str) -> Result<Option<Binding>, ModuleError> {
        self.get_proto(&state_key::binding(chain_id)).await
    }

    /// The binding whose client is `client_id`, if any.
    async fn binding_of_client(&self, client_id: &str) -> Result<Option<Binding>, ModuleError> {
        let Some(raw) = self
            .get_raw(&state_key::binding_by_client(client_id))
            .await
            .map_err(ModuleError::internal)?
        else {
            return Ok(None);
        };
        let chain = String::from_utf8(raw).map_err(ModuleError::internal)?;
        self.binding(&chain).await
    }

    /// The pause sent as packet `sequence` on `channel`, if it is one (hub).
    async fn pause_dispatch(
        &self,
        channel: &str,
        sequence: u64,
    ) -> Result<Option<PauseDispatch>, ModuleError> {
        self.get_proto(&state_key::pause_packet(channel, sequence))
            .await
    }

    /// Every pause sent, by channel and sequence (hub).
    async fn pause_dispatches(&self) -> Result<Vec<PauseDispatch>, ModuleError> {
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(state_key::PAUSE_PACKETS_PREFIX).await? {
            let d = prost::Message::decode(value.as_slice()).map_err(|e| {
                ModuleError::internal(format!("corrupt pause dispatch at {key}: {e}"))
            })?;
            out.push(d);
        }
        Ok(out)
    }

    /// Every binding, in chain-id order.
    async fn bindings(&self) -> Result<Vec<Binding>, ModuleError> {
        let mut out = Vec::new();
        for (key, _) in self.prefix_raw_vec(state_key::BINDINGS_PREFIX).await? {
            if let Some(b) = self.get_proto(&key).await? {
                out.push(b);
            }
        }
        Ok(out)
    }
}

impl<T: StateRead + ?Sized> InterchainUpgradeRead for T {}

/// Writes of interchain-upgrade state.
pub trait InterchainUpgradeWrite: StateWrite {
    /// Stores the params.
    fn put_iu_params(&mut self, p: &Params) {
        self.put_proto(state_key::PARAMS.to_string(), p);
    }

    /// Stores a dispatch under `(spoke, plan name)`.
    fn put_dispatch(&mut self, d: &Dispatch) {
        let name = d.plan.as_ref().map(|p| p.name.as_str()).unwrap_or_default();
        self.put_proto(state_key::dispatch(&d.spoke_chain_id, name), d);
    }

    /// Indexes the packet `(channel, sequence)` to its dispatch.
    fn put_packet_index(&mut self, channel: &str, sequence: u64, spoke: &str, name: &str) {
        self.put_raw(
            state_key::packet(channel, sequence),
            format!("{spoke}/{name}").into_bytes(),
        );
    }

    /// Stores a pause dispatch under its packet.
    fn put_pause_dispatch(&mut self, d: &PauseDispatch) {
        self.put_proto(state_key::pause_packet(&d.channel_id, d.sequence), d);
    }

    /// Records plan `name` as consumed at `height`.
    fn put_consumed(&mut self, name: &str, height: u64) {
        self.put_u64(state_key::consumed(name), height);
    }

    /// Stores `b` under its chain id and indexes it by client, dropping the index of the
    /// client it replaces.
    async fn put_binding(&mut self, b: &Binding) -> Handled {
        if let Some(old) = self.binding(&b.chain_id).await? {
            if old.client_id != b.client_id {
                self.delete(state_key::binding_by_client(&old.client_id));
            }
        }
        self.put_raw(
            state_key::binding_by_client(&b.client_id),
            b.chain_id.clone().into_bytes(),
        );
        self.put_proto(state_key::binding(&b.chain_id), b);
        Ok(())
    }

    /// Deletes binding `b` and its client index.
    fn delete_binding(&mut self, b: &Binding) {
        self.delete(state_key::binding_by_client(&b.client_id));
        self.delete(state_key::binding(&b.chain_id));
    }
}

impl<T: StateWrite + ?Sized> InterchainUpgradeWrite for T {}
