//! Forwarding through this chain, wire-compatible with packet-forward-middleware (PFM, the
//! `cosmos/ibc-apps` v8 line that wallets and routers emit).
//!
//! An incoming ICS-20 packet whose memo is `{"forward":{"receiver","port","channel","timeout",
//! "retries","next"}}` is received into an intermediate account derived from the packet (PFM's
//! `GetReceiver`, so senders' tooling computes the same address) and sent on over
//! `port/channel` to `receiver` in the same transaction, with `next` as the memo of the
//! forwarded packet (so further hops chain). The original packet's acknowledgement is
//! deferred (ICS-04 asynchronous acknowledgement) and written when the forwarded packet is
//! acknowledged: the downstream acknowledgement is passed back as it is. On an error
//! acknowledgement, or a timeout once the retries are spent, the hub undoes its side of the
//! receive (the tokens go back to the escrow they came from, or the vouchers it minted are
//! burned) and the origin gets the error acknowledgement, so its sender is refunded there:
//! nothing is minted or escrowed twice, nothing is lost.
//!
//! In-flight forwards are state (`transfer/inFlight/{channel}/{port}/{sequence}`, keyed by the
//! forwarded packet) and part of the transfer genesis.

use crate::{
    denom::{escrow_address, ibc_denom, parse_amount, parse_denom_trace, sender_chain_is_source},
    msgs::{MAX_MEMO_LENGTH, MAX_RECEIVER_LENGTH},
    TransferError,
};
use hub_auth::Address;
use hub_framework::{cnidarium::StateRead, cnidarium::StateWrite, ModuleError};
use hub_ibc::channel::Packet;
use hub_ibc::identifier::{validate_channel_id, validate_port_id};
use hub_ibc::Height;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

/// PFM's module name (sic), the type of its intermediate-account hash.
pub const PFM_MODULE_NAME: &str = "packetfowardmiddleware";

/// Forward timeout when the memo gives none, in ns: 10 minutes after the receiving block
/// (PFM's `DefaultForwardTransferPacketTimeoutTimestamp`).
pub const DEFAULT_FORWARD_TIMEOUT_NS: u64 = 600_000_000_000;

/// Retries on timeout when the memo gives none (the value PFM's integration guide wires).
pub const DEFAULT_RETRIES: u8 = 0;

/// The `forward` object of a memo, validated (PFM `ForwardMetadata.Validate`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForwardMetadata {
    /// The receiver on the next chain (non-blank, at most 2048 bytes).
    pub receiver: String,
    /// This chain's port to send on (`transfer`).
    pub port: String,
    /// This chain's channel to send on.
    pub channel: String,
    /// Relative timeout of the forwarded packet, in ns (> 0).
    pub timeout_ns: u64,
    /// Retries left on timeout.
    pub retries: u8,
    /// The memo of the forwarded packet: `next` as compact JSON, or the string it holds.
    pub next_memo: String,
}

#[derive(Deserialize)]
struct MemoJson<'a> {
    #[serde(borrow, default)]
    forward: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ForwardJson<'a> {
    #[serde(default)]
    receiver: String,
    #[serde(default)]
    port: String,
    #[serde(default)]
    channel: String,
    #[serde(borrow, default)]
    timeout: Option<&'a RawValue>,
    #[serde(default)]
    retries: Option<u8>,
    #[serde(borrow, default)]
    next: Option<&'a RawValue>,
}

fn invalid(m: impl std::fmt::Display) -> ModuleError {
    TransferError::InvalidMemo(format!("invalid forward metadata: {m}")).into()
}

/// Reads the forwarding request of an ICS-20 memo. `Ok(None)` when the memo is not a JSON
/// object or has no (or a null) `forward` key: the packet is received as usual.
///
/// Errors: `transfer`/11 a `forward` object that does not parse or validate (blank or too
/// long receiver, bad port or channel id, bad timeout, retries not 0..=255).
pub fn forward_metadata(memo: &str) -> Result<Option<ForwardMetadata>, ModuleError> {
    // Only a JSON object (serde would also read a struct from an array).
    if !memo.trim_start().starts_with('{') {
        return Ok(None);
    }
    let Ok(m) = serde_json::from_str::<MemoJson<'_>>(memo) else {
        return Ok(None);
    };
    let Some(raw) = m.forward.filter(|r| r.get() != "null") else {
        return Ok(None);
    };
    let f: ForwardJson<'_> = serde_json::from_str(raw.get()).map_err(invalid)?;
    if f.receiver.trim().is_empty() {
        return Err(invalid("receiver cannot be empty"));
    }
    if f.receiver.len() > MAX_RECEIVER_LENGTH {
        return Err(invalid(format!(
            "receiver is longer than {MAX_RECEIVER_LENGTH} bytes"
        )));
    }
    validate_port_id(&f.port).map_err(invalid)?;
    validate_channel_id(&f.channel).map_err(invalid)?;
    let timeout_ns = match f.timeout {
        None => DEFAULT_FORWARD_TIMEOUT_NS,
        Some(t) => parse_timeout(t.get())
            .ok_or_else(|| invalid(format!("timeout {} is not a duration", t.get())))?
            .unwrap_or(DEFAULT_FORWARD_TIMEOUT_NS),
    };
    let next_memo = match f.next {
        None => String::new(),
        Some(n) if n.get().starts_with('"') => serde_json::from_str(n.get()).map_err(invalid)?,
        Some(n) => compact_json(n.get()),
    };
    if next_memo.len() > MAX_MEMO_LENGTH {
        return Err(invalid("next memo is too long"));
    }
    Ok(Some(ForwardMetadata {
        receiver: f.receiver,
        port: f.port,
        channel: f.channel,
        timeout_ns,
        retries: f.retries.unwrap_or(DEFAULT_RETRIES),
        next_memo,
    }))
}

/// A PFM timeout: an integer of ns or a Go duration string (`"10m"`, `"1h30m"`, `"1.5s"`).
/// `Some(None)` for zero or a negative value (PFM then uses its default), `None` when it is
/// neither (a fraction of a ns, an unknown unit, overflow).
fn parse_timeout(raw: &str) -> Option<Option<u64>> {
    let positive = |ns: u64| Some((ns > 0).then_some(ns));
    if let Ok(n) = raw.parse::<i64>() {
        return positive(u64::try_from(n).unwrap_or(0));
    }
    let s: String = serde_json::from_str(raw).ok()?;
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    let ns = go_duration_ns(body)?;
    if negative {
        return Some(None);
    }
    positive(ns)
}

/// Go's `time.ParseDuration` without the sign, in integer arithmetic.
fn go_duration_ns(s: &str) -> Option<u64> {
    if s == "0" {
        return Some(0);
    }
    let mut rest = s;
    let mut total: u128 = 0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let int_len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (int, after) = rest.split_at(int_len);
        let (frac, after) = match after.strip_prefix('.') {
            Some(a) => a.split_at(a.find(|c: char| !c.is_ascii_digit()).unwrap_or(a.len())),
            None => ("", after),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let scale: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        let whole: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut part = whole.checked_mul(scale)?;
        if !frac.is_empty() {
            let digits = frac.get(..frac.len().min(18))?;
            let f: u128 = digits.parse().ok()?;
            part = part.checked_add(f * scale / 10u128.pow(digits.len() as u32))?;
        }
        total = total.checked_add(part)?;
        rest = after;
    }
    u64::try_from(total).ok().filter(|t| *t <= i64::MAX as u64)
}

/// `raw` JSON without the white space outside strings (keys keep their order, as PFM's ordered
/// map keeps them).
fn compact_json(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in raw.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !c.is_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

/// The account a forwarded packet is received into (PFM `GetReceiver`):
/// `sha256(sha256("packetfowardmiddleware") ‖ "{destination channel}/{original sender}")[..20]`.
/// The sender cannot choose it, so a packet cannot move funds through an arbitrary account.
pub fn intermediate_receiver(channel: &str, original_sender: &str) -> Address {
    let typ = Sha256::digest(PFM_MODULE_NAME.as_bytes());
    let h = Sha256::new()
        .chain_update(typ)
        .chain_update(format!("{channel}/{original_sender}").as_bytes())
        .finalize();
    let mut out = [0u8; 20];
    out.copy_from_slice(&h[..20]);
    Address(out)
}

/// A forward waiting for its downstream acknowledgement (PFM `InFlightPacket`): the original
/// packet, to acknowledge it later, and the retries left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InFlightPacket {
    /// The original packet's sender on the origin chain.
    pub original_sender_address: String,
    /// This chain's channel the original packet arrived on.
    pub refund_channel_id: String,
    /// This chain's port the original packet arrived on.
    pub refund_port_id: String,
    /// The original packet's sequence.
    pub refund_sequence: u64,
    /// The origin's channel.
    pub packet_src_channel_id: String,
    /// The origin's port.
    pub packet_src_port_id: String,
    /// The original packet's timeout height: revision number.
    pub packet_timeout_revision_number: u64,
    /// The original packet's timeout height: revision height.
    pub packet_timeout_revision_height: u64,
    /// The original packet's timeout time (ns, 0: none).
    pub packet_timeout_timestamp: u64,
    /// The original packet's data, base64.
    pub packet_data: String,
    /// Retries left on timeout.
    pub retries_remaining: u8,
    /// Relative timeout of each attempt, in ns.
    pub timeout: u64,
}

impl InFlightPacket {
    /// The record of `original`, forwarded from `sender` with `meta`.
    pub fn of(original: &Packet, sender: &str, meta: &ForwardMetadata) -> Self {
        use base64::Engine;
        InFlightPacket {
            original_sender_address: sender.to_string(),
            refund_channel_id: original.destination_channel.clone(),
            refund_port_id: original.destination_port.clone(),
            refund_sequence: original.sequence,
            packet_src_channel_id: original.source_channel.clone(),
            packet_src_port_id: original.source_port.clone(),
            packet_timeout_revision_number: original.timeout_height.revision_number,
            packet_timeout_revision_height: original.timeout_height.revision_height,
            packet_timeout_timestamp: original.timeout_timestamp,
            packet_data: base64::engine::general_purpose::STANDARD.encode(&original.data),
            retries_remaining: meta.retries,
            timeout: meta.timeout_ns,
        }
    }

    /// The original packet, to acknowledge. Errors: internal, for corrupt base64.
    pub fn original(&self) -> Result<Packet, ModuleError> {
        use base64::Engine;
        Ok(Packet {
            sequence: self.refund_sequence,
            source_port: self.packet_src_port_id.clone(),
            source_channel: self.packet_src_channel_id.clone(),
            destination_port: self.refund_port_id.clone(),
            destination_channel: self.refund_channel_id.clone(),
            data: base64::engine::general_purpose::STANDARD
                .decode(&self.packet_data)
                .map_err(|e| ModuleError::internal(format!("corrupt in-flight packet: {e}")))?,
            timeout_height: Height::new(
                self.packet_timeout_revision_number,
                self.packet_timeout_revision_height,
            ),
            timeout_timestamp: self.packet_timeout_timestamp,
        })
    }
}

/// Prefix of every in-flight forward.
pub const IN_FLIGHT_PREFIX: &str = "transfer/inFlight/";

/// `transfer/inFlight/{channel}/{port}/{sequence}` → [`InFlightPacket`] JSON, keyed by the
/// forwarded packet (its source channel, port and sequence, PFM's `RefundPacketKey`).
pub fn in_flight_key(channel: &str, port: &str, sequence: u64) -> String {
    format!("{IN_FLIGHT_PREFIX}{channel}/{port}/{sequence}")
}

/// Stores the record of the forwarded packet `channel/port/sequence`.
pub fn put_in_flight<S: StateWrite>(
    s: &mut S,
    channel: &str,
    port: &str,
    sequence: u64,
    f: &InFlightPacket,
) {
    let bytes = serde_json::to_vec(f).unwrap_or_default();
    s.put_raw(in_flight_key(channel, port, sequence), bytes);
}

/// Removes and returns the record of the forwarded packet `packet`, if it is one.
///
/// Errors: internal, for a corrupt record.
pub async fn take_in_flight<S: StateWrite>(
    s: &mut S,
    packet: &Packet,
) -> Result<Option<InFlightPacket>, ModuleError> {
    let key = in_flight_key(&packet.source_channel, &packet.source_port, packet.sequence);
    let Some(bytes) = s.get_raw(&key).await.map_err(ModuleError::internal)? else {
        return Ok(None);
    };
    s.delete(key.clone());
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| ModuleError::internal(format!("corrupt record at {key}: {e}")))
}

/// Every in-flight forward, by key suffix `{channel}/{port}/{sequence}`, in key order.
///
/// Errors: internal, for a corrupt record.
pub async fn all_in_flight<S: StateRead>(
    s: &S,
) -> Result<Vec<(String, InFlightPacket)>, ModuleError> {
    use hub_framework::StateReadProto;
    let mut out = Vec::new();
    for (key, value) in s.prefix_raw_vec(IN_FLIGHT_PREFIX).await? {
        let f = serde_json::from_slice(&value)
            .map_err(|e| ModuleError::internal(format!("corrupt record at {key}: {e}")))?;
        out.push((key[IN_FLIGHT_PREFIX.len()..].to_string(), f));
    }
    Ok(out)
}

/// Where the tokens of a failed forward go back to, as PFM `WriteAcknowledgementForForwardedPacket`
/// decides from the forwarded packet's full denom path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undo {
    /// The forward escrowed a token the original packet unescrowed here: move it from the
    /// forward channel's escrow back to the arrival channel's.
    MoveEscrow {
        /// The forward channel's escrow.
        from: Address,
        /// The arrival channel's escrow.
        to: Address,
    },
    /// The forward escrowed a voucher the original packet minted here: burn it from the
    /// forward channel's escrow (and lower its total escrow).
    BurnFromEscrow(Address),
    /// The forward burned a voucher the original packet unescrowed here: mint it back into the
    /// arrival channel's escrow (and raise its total escrow).
    MintToEscrow(Address),
}

/// The undo of a failed forward: `forwarded` is the packet this chain sent on, `path` its
/// full denom path, `record` the original packet's.
pub fn undo_of(forwarded: &Packet, path: &str, record: &InFlightPacket) -> Undo {
    let (port, chan) = (&forwarded.source_port, &forwarded.source_channel);
    let refund_escrow = escrow_address(&record.refund_port_id, &record.refund_channel_id);
    if !sender_chain_is_source(port, chan, path) {
        return Undo::MintToEscrow(refund_escrow);
    }
    let escrow = escrow_address(port, chan);
    if sender_chain_is_source(&record.refund_port_id, &record.refund_channel_id, path) {
        Undo::MoveEscrow {
            from: escrow,
            to: refund_escrow,
        }
    } else {
        Undo::BurnFromEscrow(escrow)
    }
}

/// The local denom and amount of a forwarded packet's full path and amount.
///
/// Errors: `transfer`/5 amount.
pub fn local_coin(path: &str, amount: &str) -> Result<(String, u128), ModuleError> {
    let amount = parse_amount(amount).map_err(|e| e.packet_error(amount))?;
    Ok((ibc_denom(&parse_denom_trace(path)), amount))
}

/// `hub.transfer.v1.Query`: the forwards in flight, over gRPC and gRPC-over-ABCI.
pub mod query {
    use super::all_in_flight;
    use hub_framework::{cnidarium::StateRead, paginate, ModuleError};
    use hub_proto::transfer::v1::*;

    /// The gRPC service prefix.
    pub const SERVICE: &str = "/hub.transfer.v1.Query/";

    /// `Query/InFlightPackets`: the forwards awaiting their downstream acknowledgement, in
    /// key order (`{channel}/{port}/{sequence}` of the forwarded packet, which is also the page
    /// key), paginated as every list (default 100, at most 1 000).
    ///
    /// Errors: `sdk`/18 both `key` and `offset` set; internal, for a corrupt record.
    pub async fn in_flight_packets<S: StateRead>(
        s: &S,
        req: &QueryInFlightPacketsRequest,
    ) -> Result<QueryInFlightPacketsResponse, ModuleError> {
        let mut rows = Vec::new();
        for (key, f) in all_in_flight(s).await? {
            let mut parts = key.splitn(3, '/');
            let (channel_id, port_id) = (parts.next(), parts.next());
            let sequence = parts
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_default();
            let row = InFlightForward {
                channel_id: channel_id.unwrap_or_default().into(),
                port_id: port_id.unwrap_or_default().into(),
                sequence,
                original_sender_address: f.original_sender_address,
                refund_channel_id: f.refund_channel_id,
                refund_port_id: f.refund_port_id,
                refund_sequence: f.refund_sequence,
                retries_remaining: f.retries_remaining.into(),
                timeout: f.timeout,
            };
            rows.push((key.into_bytes(), row));
        }
        let (in_flight_packets, pagination) = paginate(rows, req.pagination.as_ref())?;
        Ok(QueryInFlightPacketsResponse {
            in_flight_packets,
            pagination: Some(pagination),
        })
    }

    hub_framework::query_service! {
        /// The forwards' [`ModuleQuery`](hub_framework::route::ModuleQuery): [`SERVICE`] and
        /// its route table.
        Queries, |s, ctx| {
            "InFlightPackets"(r: QueryInFlightPacketsRequest) -> QueryInFlightPacketsResponse {
                in_flight_packets(s, &r).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memos_without_a_forward_object_are_received_as_usual() {
        for memo in [
            "",
            "hello",
            "[1]",
            "{}",
            r#"{"wasm":{}}"#,
            r#"{"forward":null}"#,
        ] {
            assert_eq!(forward_metadata(memo).unwrap(), None, "{memo}");
        }
    }

    #[test]
    fn a_forward_object_is_read_as_pfm_reads_it() {
        let m = forward_metadata(
            r#"{"forward":{"receiver":"cosmos1x","port":"transfer","channel":"channel-7",
                "timeout":"1h30m","retries":2,"next":{"forward":{ "receiver" : "b", "z":1, "a":2}}}}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(m.receiver, "cosmos1x");
        assert_eq!(m.channel, "channel-7");
        assert_eq!(m.timeout_ns, 5_400_000_000_000);
        assert_eq!(m.retries, 2);
        assert_eq!(m.next_memo, r#"{"forward":{"receiver":"b","z":1,"a":2}}"#);
        let m = forward_metadata(
            r#"{"forward":{"receiver":"r","port":"transfer","channel":"channel-0","timeout":5000,"next":"{\"x\":1}"}}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!((m.timeout_ns, m.retries), (5000, DEFAULT_RETRIES));
        assert_eq!(m.next_memo, r#"{"x":1}"#);
    }

    #[test]
    fn invalid_forward_objects_are_refused() {
        for memo in [
            r#"{"forward":{"port":"transfer","channel":"channel-0"}}"#,
            r#"{"forward":{"receiver":"r","port":"transfer","channel":"chan"}}"#,
            r#"{"forward":{"receiver":"r","port":"","channel":"channel-0"}}"#,
            r#"{"forward":{"receiver":"r","port":"transfer","channel":"channel-0","retries":256}}"#,
            r#"{"forward":{"receiver":"r","port":"transfer","channel":"channel-0","timeout":"10 years"}}"#,
            r#"{"forward":{"receiver":"r","port":"transfer","channel":"channel-0","timeout":1.5}}"#,
            r#"{"forward":7}"#,
        ] {
            let e = forward_metadata(memo).unwrap_err();
            assert_eq!((e.codespace, e.code), ("transfer", 11), "{memo}: {}", e.log);
        }
    }

    #[test]
    fn go_durations_parse_as_time_parse_duration() {
        for (s, ns) in [
            ("0", Some(0)),
            ("300ms", Some(300_000_000)),
            ("1.5s", Some(1_500_000_000)),
            ("2h45m", Some(9_900_000_000_000)),
            ("1µs", Some(1_000)),
            (".5m", Some(30_000_000_000)),
            ("", None),
            ("5", None),
            ("3x", None),
            ("9999999999h", None),
        ] {
            assert_eq!(go_duration_ns(s), ns, "{s}");
        }
        assert_eq!(parse_timeout(r#""-5m""#), Some(None));
        assert_eq!(parse_timeout("0"), Some(None));
    }

    #[test]
    fn the_intermediate_receiver_is_pfms_derivation() {
        // `pfm_intermediate_receiver_channel_0` in scripts/ibc-go-vectors/vectors.txt: PFM v8.1.1's
        // own `GetReceiver("channel-0", "cosmos1sender")`, decoded to its 20 address bytes.
        assert_eq!(
            intermediate_receiver("channel-0", "cosmos1sender").to_hex(),
            "7e33d4fede85899cf2e89645aad608819d3e0ad3"
        );
        assert_ne!(
            intermediate_receiver("channel-1", "cosmos1sender"),
            intermediate_receiver("channel-0", "cosmos1sender")
        );
    }
}
