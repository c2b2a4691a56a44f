//! Typed access to circuit state: params and pauses.

use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError, StateReadProto, StateWriteProto,
};
use hub_proto::circuit::v1::{Params, Pause};

/// `circuit/params`.
pub const PARAMS: &str = "circuit/params";
/// Prefix of every pause.
pub const PAUSES_PREFIX: &str = "circuit/pauses/";
/// The latest expiry (Unix ns) of the stored pauses, absent when there are none: one read
/// tells a transfer that nothing can pause it (the common case) instead of four.
pub const PAUSED_UNTIL: &str = "circuit/paused_until";

/// `circuit/pauses/{channel or *}/{denom or *}` (a channel id holds no `/`, so the key is
/// unambiguous for any denom).
pub fn pause_key(channel: &str, denom: &str) -> String {
    let star = |s: &str| {
        if s.is_empty() {
            "*".to_string()
        } else {
            s.to_string()
        }
    };
    format!("{PAUSES_PREFIX}{}/{}", star(channel), star(denom))
}

/// The default params: no guardian, pauses of at most one day.
pub fn default_params() -> Params {
    Params {
        guardian: String::new(),
        max_pause_seconds: 86_400,
    }
}

/// Reads of circuit state. Blanket-implemented for every `StateRead`.
pub trait CircuitRead: StateRead {
    /// The params ([`default_params`] if never set).
    async fn circuit_params(&self) -> Result<Params, ModuleError> {
        Ok(self.get_proto(PARAMS).await?.unwrap_or_else(default_params))
    }

    /// The latest expiry (Unix ns) of any stored pause; `None` when there is none.
    async fn paused_until(&self) -> Result<Option<u64>, ModuleError> {
        self.get_u64(PAUSED_UNTIL).await
    }

    /// The pause on exactly `channel` and `denom` (empty = any), if stored.
    async fn pause(&self, channel: &str, denom: &str) -> Result<Option<Pause>, ModuleError> {
        self.get_proto(&pause_key(channel, denom)).await
    }

    /// Every stored pause with its key, by key.
    async fn pauses(&self) -> Result<Vec<(String, Pause)>, ModuleError> {
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(PAUSES_PREFIX).await? {
            let p: Pause = prost::Message::decode(value.as_slice())
                .map_err(|e| ModuleError::internal(format!("corrupt pause at {key}: {e}")))?;
            out.push((key, p));
        }
        Ok(out)
    }
}

impl<T: StateRead + ?Sized> CircuitRead for T {}

/// Writes of circuit state. Blanket-implemented for every `StateWrite`.
pub trait CircuitWrite: StateWrite {
    /// Stores the params.
    fn put_circuit_params(&mut self, p: &Params) {
        self.put_proto(PARAMS.to_string(), p);
    }

    /// Stores a pause under its channel and denom, and its expiry in [`PAUSED_UNTIL`].
    async fn put_pause(&mut self, p: &Pause) -> Handled {
        self.put_proto(pause_key(&p.channel_id, &p.denom), p);
        self.refresh_paused_until().await
    }

    /// Removes the pause on exactly `channel` and `denom`, and updates [`PAUSED_UNTIL`].
    async fn delete_pause(&mut self, channel: &str, denom: &str) -> Handled {
        self.delete(pause_key(channel, denom));
        self.refresh_paused_until().await
    }

    /// Recomputes [`PAUSED_UNTIL`] from the stored pauses (at most `MAX_PAUSES`). Every
    /// change to the pauses goes through it, so it is exact (an export imports to the same
    /// state) and no pause can be stored that [`crate::check_transfer`] would skip.
    async fn refresh_paused_until(&mut self) -> Handled {
        match self.pauses().await?.iter().map(|(_, p)| p.expires_at).max() {
            Some(until) => self.put_u64(PAUSED_UNTIL.to_string(), until),
            None => self.delete(PAUSED_UNTIL.to_string()),
        }
        Ok(())
    }
}

impl<T: StateWrite + ?Sized> CircuitWrite for T {}
