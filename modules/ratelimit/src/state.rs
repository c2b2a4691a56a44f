//! Typed access to rate-limit state: limits, their window counters, pending sends, the
//! blacklist, the whitelist and the hour epoch.

use crate::{flow::RateLimit, state_key, HourEpoch};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    ModuleError, StateReadProto, StateWriteProto,
};
use hub_proto::rate_limiting::v1 as pb;

fn corrupt(key: &str, e: impl std::fmt::Display) -> ModuleError {
    ModuleError::internal(format!("corrupt rate-limit state at {key}: {e}"))
}

fn decode_limit(key: &str, p: &pb::RateLimit) -> Result<RateLimit, ModuleError> {
    RateLimit::from_proto(p).map_err(|e| corrupt(key, e))
}

/// A send counted against a limit until its packet is acknowledged or times out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSend {
    /// The limit's window the send was counted in (see [`state_key::window`]).
    pub window: u64,
    /// The denom on this chain.
    pub denom: String,
}

/// Reads of rate-limit state. Blanket-implemented for every `StateRead`.
pub trait RateLimitRead: StateRead {
    /// The limit on `channel` and `denom`, if any.
    async fn rate_limit(
        &self,
        channel: &str,
        denom: &str,
    ) -> Result<Option<RateLimit>, ModuleError> {
        let key = state_key::rate_limit(channel, denom);
        match self.get_proto::<pb::RateLimit>(&key).await? {
            None => Ok(None),
            Some(p) => decode_limit(&key, &p).map(Some),
        }
    }

    /// Every limit under `prefix` (all of them, or one channel's), by channel then denom.
    async fn rate_limits_under(&self, prefix: &str) -> Result<Vec<RateLimit>, ModuleError> {
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(prefix).await? {
            let p: pb::RateLimit =
                prost::Message::decode(value.as_slice()).map_err(|e| corrupt(&key, e))?;
            out.push(decode_limit(&key, &p)?);
        }
        Ok(out)
    }

    /// How many windows of the limit on `channel` and `denom` have opened.
    async fn window(&self, channel: &str, denom: &str) -> Result<u64, ModuleError> {
        Ok(self
            .get_u64(&state_key::window(channel, denom))
            .await?
            .unwrap_or(0))
    }

    /// The pending send of packet `sequence` on `channel`, if it was counted.
    async fn pending_send(
        &self,
        channel: &str,
        sequence: u64,
    ) -> Result<Option<PendingSend>, ModuleError> {
        let key = state_key::pending_send(channel, sequence);
        let Some(raw) = self.get_raw(&key).await.map_err(ModuleError::internal)? else {
            return Ok(None);
        };
        parse_pending(&raw)
            .map(Some)
            .ok_or_else(|| corrupt(&key, "not {window}/{denom}"))
    }

    /// Every pending send as `(channel, sequence, record)`, by channel then sequence.
    async fn all_pending_sends(&self) -> Result<Vec<(String, u64, PendingSend)>, ModuleError> {
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(state_key::PENDING_SEND_PREFIX).await? {
            let rest = &key[state_key::PENDING_SEND_PREFIX.len()..];
            let parsed = rest.split_once('/').and_then(|(chan, seq)| {
                Some((chan.to_string(), seq.parse().ok()?, parse_pending(&value)?))
            });
            out.push(parsed.ok_or_else(|| corrupt(&key, "bad pending send"))?);
        }
        Ok(out)
    }

    /// Whether no transfer may move `denom`.
    async fn is_blacklisted(&self, denom: &str) -> Result<bool, ModuleError> {
        Ok(self
            .get_raw(&state_key::blacklisted(denom))
            .await
            .map_err(ModuleError::internal)?
            .is_some())
    }

    /// Every blacklisted denom, sorted.
    async fn blacklisted_denoms(&self) -> Result<Vec<String>, ModuleError> {
        Ok(self
            .prefix_raw_vec(state_key::BLACKLIST_PREFIX)
            .await?
            .into_iter()
            .map(|(k, _)| k[state_key::BLACKLIST_PREFIX.len()..].to_string())
            .collect())
    }

    /// Whether transfers from `sender` to `receiver` escape every limit.
    async fn is_whitelisted(&self, sender: &str, receiver: &str) -> Result<bool, ModuleError> {
        Ok(self
            .get_raw(&state_key::whitelisted(sender, receiver))
            .await
            .map_err(ModuleError::internal)?
            .is_some())
    }

    /// Every whitelisted `(sender, receiver)` pair, by hex of sender then receiver.
    async fn whitelisted_pairs(&self) -> Result<Vec<(String, String)>, ModuleError> {
        let mut out = Vec::new();
        for (key, _) in self.prefix_raw_vec(state_key::WHITELIST_PREFIX).await? {
            let rest = &key[state_key::WHITELIST_PREFIX.len()..];
            let pair = rest.split_once('/').and_then(|(a, b)| {
                let text = |h: &str| String::from_utf8(hex::decode(h).ok()?).ok();
                Some((text(a)?, text(b)?))
            });
            out.push(pair.ok_or_else(|| corrupt(&key, "bad address pair"))?);
        }
        Ok(out)
    }

    /// The hour epoch (`None` before genesis wrote it).
    async fn hour_epoch(&self) -> Result<Option<HourEpoch>, ModuleError> {
        let Some(raw) = self
            .get_raw(state_key::HOUR_EPOCH)
            .await
            .map_err(ModuleError::internal)?
        else {
            return Ok(None);
        };
        serde_json::from_slice(&raw)
            .map(Some)
            .map_err(|e| corrupt(state_key::HOUR_EPOCH, e))
    }
}

impl<T: StateRead + ?Sized> RateLimitRead for T {}

fn parse_pending(raw: &[u8]) -> Option<PendingSend> {
    let text = std::str::from_utf8(raw).ok()?;
    let (window, denom) = text.split_once('/')?;
    Some(PendingSend {
        window: window.parse().ok()?,
        denom: denom.to_string(),
    })
}

/// Writes of rate-limit state. Blanket-implemented for every `StateWrite`.
pub trait RateLimitWrite: StateWrite {
    /// Stores a limit under its channel and denom.
    fn put_rate_limit(&mut self, l: &RateLimit) {
        self.put_proto(
            state_key::rate_limit(&l.channel_id, &l.denom),
            &l.to_proto(),
        );
    }

    /// Removes a limit (its window counter stays: see [`state_key::window`]).
    fn delete_rate_limit(&mut self, channel: &str, denom: &str) {
        self.delete(state_key::rate_limit(channel, denom));
    }

    /// Sets the window counter of a limit.
    fn put_window(&mut self, channel: &str, denom: &str, window: u64) {
        self.put_u64(state_key::window(channel, denom), window);
    }

    /// Records a counted send.
    fn put_pending_send(&mut self, channel: &str, sequence: u64, p: &PendingSend) {
        self.put_raw(
            state_key::pending_send(channel, sequence),
            format!("{}/{}", p.window, p.denom).into_bytes(),
        );
    }

    /// Forgets a counted send.
    fn delete_pending_send(&mut self, channel: &str, sequence: u64) {
        self.delete(state_key::pending_send(channel, sequence));
    }

    /// Blacklists a denom.
    fn put_blacklisted(&mut self, denom: &str) {
        self.put_raw(state_key::blacklisted(denom), Vec::new());
    }

    /// Whitelists a sender/receiver pair.
    fn put_whitelisted(&mut self, sender: &str, receiver: &str) {
        self.put_raw(state_key::whitelisted(sender, receiver), Vec::new());
    }

    /// Stores the hour epoch.
    fn put_hour_epoch(&mut self, e: &HourEpoch) {
        // A struct of integers and strings: its JSON cannot fail to serialize.
        let bytes = serde_json::to_vec(e).unwrap_or_default();
        self.put_raw(state_key::HOUR_EPOCH.to_string(), bytes);
    }
}

impl<T: StateWrite + ?Sized> RateLimitWrite for T {}
