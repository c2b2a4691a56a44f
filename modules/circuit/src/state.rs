//! Typed access to circuit state: params and pauses.

use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    ModuleError, StateReadProto, StateWriteProto,
};
use hub_proto::circuit::v1::{Params, Pause};

/// `circuit/params`.
pub const PARAMS: &str = "circuit/params";
/// Prefix of every pause.
pub const PAUSES_PREFIX: &str = "circuit/pauses/";

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

    /// Stores a pause under its channel and denom.
    fn put_pause(&mut self, p: &Pause) {
        self.put_proto(pause_key(&p.channel_id, &p.denom), p);
    }

    /// Removes the pause on exactly `channel` and `denom`.
    fn delete_pause(&mut self, channel: &str, denom: &str) {
        self.delete(pause_key(channel, denom));
    }
}

impl<T: StateWrite + ?Sized> CircuitWrite for T {}
