//! Genesis and the begin-block hook of the rate-limit module (ibc-go v10 rate-limiting
//! `GenesisState` as JSON, `keeper/genesis.go`, `keeper/abci.go`).

use crate::{
    epoch::{begin_block, HourEpoch},
    flow::{Quota, RateLimit},
    state::PendingSend,
    RateLimitError, RateLimitRead, RateLimitWrite,
};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    BeginBlocker, BlockCtx, GenesisCtx, Handled, Module, ModuleError,
};
use hub_proto::ratelimit::v1::{QueuedReceive, QueuedTransfer};
use serde::{Deserialize, Serialize};
use tendermint::Time;

/// The rate-limit module.
pub struct RateLimits;

/// `rate_limits[i].path`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PathJson {
    /// Denom on this chain.
    pub denom: String,
    /// `channel-N`.
    pub channel_or_client_id: String,
}

/// `rate_limits[i].quota` (integers as strings, as proto3 JSON writes them).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct QuotaJson {
    /// 0..=100.
    pub max_percent_send: String,
    /// 0..=100.
    pub max_percent_recv: String,
    /// Hours, ≥ 1.
    pub duration_hours: String,
}

/// `rate_limits[i].flow`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FlowJson {
    /// Arrived in the current window.
    pub inflow: String,
    /// Left in the current window.
    pub outflow: String,
    /// Supply when the window opened.
    pub channel_value: String,
}

/// `rate_limits[i]`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RateLimitJson {
    /// Channel and denom.
    pub path: PathJson,
    /// The quota.
    pub quota: QuotaJson,
    /// The current window.
    pub flow: FlowJson,
}

/// `whitelisted_address_pairs[i]`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AddressPairJson {
    /// Sender as written in packets.
    pub sender: String,
    /// Receiver as written in packets.
    pub receiver: String,
}

/// `hour_epoch`: `duration` as proto3 JSON (`"3600s"`), the start as RFC 3339 (empty: the
/// genesis time), integers as strings.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HourEpochJson {
    /// Ticks so far.
    #[serde(default)]
    pub epoch_number: String,
    /// Epoch length, e.g. `3600s`.
    pub duration: String,
    /// Start of the current epoch.
    #[serde(default)]
    pub epoch_start_time: String,
    /// Height that started it.
    #[serde(default)]
    pub epoch_start_height: String,
}

impl Default for HourEpochJson {
    fn default() -> Self {
        HourEpochJson {
            epoch_number: "0".into(),
            duration: "3600s".into(),
            epoch_start_time: String::new(),
            epoch_start_height: "0".into(),
        }
    }
}

/// `app_state.ratelimit`, field for field ibc-go v10's rate-limiting `GenesisState` JSON.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RateLimitGenesis {
    /// The limits with their current windows.
    #[serde(default)]
    pub rate_limits: Vec<RateLimitJson>,
    /// Pairs no limit counts.
    #[serde(default)]
    pub whitelisted_address_pairs: Vec<AddressPairJson>,
    /// Denoms no transfer may move.
    #[serde(default)]
    pub blacklisted_denoms: Vec<String>,
    /// Sends counted in the current windows: `{channel}/{sequence}/{denom}` (ibc-go writes
    /// `{channel}/{sequence}`, which is accepted and dropped: without its denom the send
    /// cannot be given back, so its failure keeps its quota used — the safe side).
    #[serde(default)]
    pub pending_send_packet_sequence_numbers: Vec<String>,
    /// The hour clock.
    #[serde(default)]
    pub hour_epoch: HourEpochJson,
    /// ibc-go v10's pending receives (async acknowledgements); always empty here.
    #[serde(default)]
    pub pending_recv_packet_sequence_numbers: Vec<String>,
    /// The limits that queue sends over their quota (a Hub addition; omitted when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queueing: Vec<PathJson>,
    /// The queued transfers, oldest first, as base64 of each `hub.ratelimit.v1.QueuedTransfer`
    /// (a Hub addition; omitted when none). Their coins are in the `ratelimit` module
    /// account's balance of `app_state.bank`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queued_transfers: Vec<String>,
    /// The queued receives, oldest first, as base64 of each `hub.ratelimit.v1.QueuedReceive`
    /// (a Hub addition; omitted when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queued_receives: Vec<String>,
    /// How long a queued receive waits for quota before its error acknowledgement, as a
    /// proto3 JSON duration (a Hub addition; default `86400s`).
    #[serde(default = "default_max_delay")]
    pub receive_queue_max_delay: String,
}

fn default_max_delay() -> String {
    format_duration(crate::queue::DEFAULT_RECEIVE_MAX_DELAY_NS)
}

impl Default for RateLimitGenesis {
    fn default() -> Self {
        RateLimitGenesis {
            rate_limits: vec![],
            whitelisted_address_pairs: vec![],
            blacklisted_denoms: vec![],
            pending_send_packet_sequence_numbers: vec![],
            hour_epoch: HourEpochJson::default(),
            pending_recv_packet_sequence_numbers: vec![],
            queueing: vec![],
            queued_transfers: vec![],
            queued_receives: vec![],
            receive_queue_max_delay: default_max_delay(),
        }
    }
}

/// Decodes base64 protobuf entries of a genesis list, naming a bad one.
fn decode_all<M: prost::Message + Default>(
    field: &str,
    list: &[String],
) -> Result<Vec<M>, ModuleError> {
    use base64::Engine;
    list.iter()
        .enumerate()
        .map(|(i, b64)| {
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .ok()
                .and_then(|b| M::decode(b.as_slice()).ok())
                .ok_or_else(|| {
                    bad(
                        format!("app_state.ratelimit.{field}[{i}]"),
                        "not base64 of its protobuf",
                    )
                })
        })
        .collect()
}

fn encode_all<M: prost::Message>(list: &[M]) -> Vec<String> {
    use base64::Engine;
    list.iter()
        .map(|m| base64::engine::general_purpose::STANDARD.encode(m.encode_to_vec()))
        .collect()
}

fn bad(field: String, e: impl std::fmt::Display) -> ModuleError {
    RateLimitError::InvalidGenesis(format!("{field}: {e}")).into()
}

fn int<T: std::str::FromStr>(field: &str, s: &str) -> Result<T, ModuleError> {
    if s.is_empty() {
        return "0".parse().map_err(|_| bad(field.into(), "empty"));
    }
    s.parse()
        .map_err(|_| bad(field.into(), format!("{s:?} is not an integer")))
}

/// `3600s`, `0.5s` → ns (proto3 JSON `Duration`), > 0.
fn duration_ns(s: &str) -> Option<u64> {
    let secs = s.strip_suffix('s')?;
    let (whole, frac) = secs.split_once('.').unwrap_or((secs, ""));
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let frac: u64 = format!("{frac:0<9}").parse().ok()?;
    whole
        .checked_mul(1_000_000_000)?
        .checked_add(frac)
        .filter(|n| *n > 0)
}

fn format_duration(ns: u64) -> String {
    if ns % 1_000_000_000 == 0 {
        format!("{}s", ns / 1_000_000_000)
    } else {
        format!("{}.{:09}s", ns / 1_000_000_000, ns % 1_000_000_000)
    }
}

fn epoch_of(j: &HourEpochJson, genesis_time: Time) -> Result<HourEpoch, ModuleError> {
    let f = |n: &str| format!("app_state.ratelimit.hour_epoch.{n}");
    let start = if j.epoch_start_time.is_empty() {
        genesis_time
    } else {
        Time::parse_from_rfc3339(&j.epoch_start_time).map_err(|e| bad(f("epoch_start_time"), e))?
    };
    Ok(HourEpoch {
        epoch_number: int(&f("epoch_number"), &j.epoch_number)?,
        duration_ns: duration_ns(&j.duration).ok_or_else(|| {
            bad(
                f("duration"),
                format!("{:?} is not a positive duration", j.duration),
            )
        })?,
        epoch_start_ns: hub_ibc::client::types::time_nanos(start),
        epoch_start_height: int(&f("epoch_start_height"), &j.epoch_start_height)?,
    })
}

fn limit_of(i: usize, j: &RateLimitJson) -> Result<RateLimit, ModuleError> {
    let f = |n: &str| format!("app_state.ratelimit.rate_limits[{i}].{n}");
    let hours: u64 = int(&f("quota.duration_hours"), &j.quota.duration_hours)?;
    let q = Quota::parse(&j.quota.max_percent_send, &j.quota.max_percent_recv, hours)
        .map_err(|e| bad(f("quota"), e))?;
    hub_framework::validate_denom(&j.path.denom).map_err(|e| bad(f("path.denom"), e))?;
    hub_ibc::identifier::validate_channel_id(&j.path.channel_or_client_id)
        .map_err(|e| bad(f("path.channel_or_client_id"), e))?;
    Ok(RateLimit {
        denom: j.path.denom.clone(),
        channel_id: j.path.channel_or_client_id.clone(),
        max_percent_send: q.max_percent_send,
        max_percent_recv: q.max_percent_recv,
        duration_hours: q.duration_hours,
        inflow: int(&f("flow.inflow"), &j.flow.inflow)?,
        outflow: int(&f("flow.outflow"), &j.flow.outflow)?,
        channel_value: int(&f("flow.channel_value"), &j.flow.channel_value)?,
    })
}

fn json_of(l: &RateLimit) -> RateLimitJson {
    RateLimitJson {
        path: PathJson {
            denom: l.denom.clone(),
            channel_or_client_id: l.channel_id.clone(),
        },
        quota: QuotaJson {
            max_percent_send: l.max_percent_send.to_string(),
            max_percent_recv: l.max_percent_recv.to_string(),
            duration_hours: l.duration_hours.to_string(),
        },
        flow: FlowJson {
            inflow: l.inflow.to_string(),
            outflow: l.outflow.to_string(),
            channel_value: l.channel_value.to_string(),
        },
    }
}

impl Module for RateLimits {
    const NAME: &'static str = crate::NAME;
    type Genesis = RateLimitGenesis;

    /// Stores the limits (each in window 0), the blacklist, the whitelist, the pending sends
    /// and the hour epoch (starting at the genesis time unless given).
    ///
    /// Errors: `ratelimit`/102 naming the field: a bad quota, denom, channel id, amount,
    /// duration or time, a limit or pending send listed twice.
    async fn init_genesis<S: StateWrite>(
        s: &mut S,
        ctx: &GenesisCtx,
        g: &RateLimitGenesis,
    ) -> Handled {
        for (i, j) in g.rate_limits.iter().enumerate() {
            let l = limit_of(i, j)?;
            if s.rate_limit(&l.channel_id, &l.denom).await?.is_some() {
                return Err(bad(
                    format!("app_state.ratelimit.rate_limits[{i}]"),
                    "listed twice",
                ));
            }
            s.put_rate_limit(&l);
        }
        for (i, d) in g.blacklisted_denoms.iter().enumerate() {
            hub_framework::validate_denom(d)
                .map_err(|e| bad(format!("app_state.ratelimit.blacklisted_denoms[{i}]"), e))?;
            s.put_blacklisted(d);
        }
        for p in &g.whitelisted_address_pairs {
            s.put_whitelisted(&p.sender, &p.receiver);
        }
        for (i, entry) in g.pending_send_packet_sequence_numbers.iter().enumerate() {
            let field = format!("app_state.ratelimit.pending_send_packet_sequence_numbers[{i}]");
            let mut parts = entry.splitn(3, '/');
            let (chan, seq, denom) = (parts.next(), parts.next(), parts.next());
            let (Some(chan), Some(seq)) = (chan, seq) else {
                return Err(bad(field, "not {channel}/{sequence}[/{denom}]"));
            };
            let seq: u64 = int(&field, seq)?;
            let Some(denom) = denom else { continue };
            if s.pending_send(chan, seq).await?.is_some() {
                return Err(bad(field, "listed twice"));
            }
            s.put_pending_send(
                chan,
                seq,
                &PendingSend {
                    window: 0,
                    denom: denom.to_string(),
                },
            );
        }
        s.put_hour_epoch(&epoch_of(&g.hour_epoch, ctx.time)?);
        for p in &g.queueing {
            crate::queue::set_queueing(s, &p.channel_or_client_id, &p.denom, true);
        }
        for t in decode_all::<QueuedTransfer>("queued_transfers", &g.queued_transfers)? {
            crate::queue::restore(s, &t).await?;
        }
        for r in decode_all::<QueuedReceive>("queued_receives", &g.queued_receives)? {
            crate::queue::restore_receive(s, &r).await?;
        }
        let delay = duration_ns(&g.receive_queue_max_delay).ok_or_else(|| {
            bad(
                "app_state.ratelimit.receive_queue_max_delay".into(),
                format!("{:?} is not a positive duration", g.receive_queue_max_delay),
            )
        })?;
        crate::queue::set_receive_max_delay(s, delay);
        Ok(())
    }

    /// Exports every limit, the lists, the sends pending in their limit's current window and
    /// the hour epoch.
    async fn export_genesis<S: StateRead>(s: &S) -> Result<RateLimitGenesis, ModuleError> {
        let mut pending = Vec::new();
        for (chan, seq, p) in s.all_pending_sends().await? {
            if s.window(&chan, &p.denom).await? == p.window {
                pending.push(format!("{chan}/{seq}/{}", p.denom));
            }
        }
        let epoch = s.hour_epoch().await?;
        Ok(RateLimitGenesis {
            rate_limits: s
                .rate_limits_under(crate::state_key::RATE_LIMITS_PREFIX)
                .await?
                .iter()
                .map(json_of)
                .collect(),
            whitelisted_address_pairs: s
                .whitelisted_pairs()
                .await?
                .into_iter()
                .map(|(sender, receiver)| AddressPairJson { sender, receiver })
                .collect(),
            blacklisted_denoms: s.blacklisted_denoms().await?,
            pending_send_packet_sequence_numbers: pending,
            hour_epoch: match epoch {
                None => HourEpochJson::default(),
                Some(e) => HourEpochJson {
                    epoch_number: e.epoch_number.to_string(),
                    duration: format_duration(e.duration_ns),
                    epoch_start_time: rfc3339(e.epoch_start_ns),
                    epoch_start_height: e.epoch_start_height.to_string(),
                },
            },
            pending_recv_packet_sequence_numbers: vec![],
            queueing: crate::queue::queueing_limits(s)
                .await?
                .into_iter()
                .map(|(channel_or_client_id, denom)| PathJson {
                    denom,
                    channel_or_client_id,
                })
                .collect(),
            queued_transfers: encode_all(&crate::queue::oldest(s, usize::MAX).await?),
            queued_receives: encode_all(&crate::queue::oldest_receives(s, usize::MAX).await?),
            receive_queue_max_delay: format_duration(crate::queue::receive_max_delay(s).await?),
        })
    }
}

fn rfc3339(ns: u64) -> String {
    let secs = (ns / 1_000_000_000) as i64;
    let nanos = (ns % 1_000_000_000) as u32;
    Time::from_unix_timestamp(secs, nanos)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

impl BeginBlocker for RateLimits {
    /// Ticks the hour epoch and opens the windows due (see [`crate::epoch::begin_block`]).
    async fn begin_block<S: StateWrite>(s: &mut S, ctx: &BlockCtx) -> Handled {
        begin_block(s, hub_ibc::client::types::time_nanos(ctx.time), ctx.height).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_proto3_json_and_positive() {
        assert_eq!(duration_ns("3600s"), Some(3_600_000_000_000));
        assert_eq!(duration_ns("0.5s"), Some(500_000_000));
        assert_eq!(duration_ns("0s"), None);
        assert_eq!(duration_ns("1h"), None);
        assert_eq!(format_duration(3_600_000_000_000), "3600s");
        assert_eq!(format_duration(500_000_000), "0.500000000s");
    }
}
