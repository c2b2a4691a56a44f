//! ICS-20 packet data and acknowledgements, byte-identical to ibc-go v8.
//!
//! ibc-go encodes `FungibleTokenPacketData` with jsonpb (`OrigName`, no default values, so an
//! empty field — in practice the memo — is omitted) and then `sdk.MustSortJSON`: keys sorted,
//! no whitespace, strings escaped as Go's `encoding/json` does (`<`, `>`, `&`, U+2028 and
//! U+2029 as `\u003c`-style escapes). Acknowledgements are channel `Acknowledgement` JSON:
//! `{"result":"AQ=="}` or `{"error":"ABCI code: N: error handling packet: see events for details"}`.
//!
//! Decoding is canonical: the bytes must be exactly what this encoder produces for the decoded
//! value (no whitespace, sorted keys, no unknown or duplicate fields, no empty fields). This is
//! stricter than ibc-go's receive path, which accepts any JSON with known fields.

use crate::{
    denom::{parse_amount, validate_prefixed_denom},
    TransferError,
};
use base64::Engine;
use hub_framework::ModuleError;
use serde::Deserialize;

/// `ibc.applications.transfer.v2.FungibleTokenPacketData` (the ics20-1 packet).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FungibleTokenPacketData {
    /// Full denom path on the sending chain (`uhub`, `transfer/channel-0/uatom`).
    pub denom: String,
    /// Decimal amount (ICS-20 allows up to 2^256 - 1).
    pub amount: String,
    /// Sender address on the sending chain.
    pub sender: String,
    /// Receiver address on the receiving chain.
    pub receiver: String,
    /// Optional memo (omitted from the JSON when empty).
    pub memo: String,
}

impl FungibleTokenPacketData {
    /// The packet bytes (ibc-go `GetBytes`): sorted keys, no whitespace, empty fields omitted,
    /// e.g. `{"amount":"100","denom":"uhub","receiver":"cosmos1…","sender":"hub1…"}`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::from("{");
        let fields = [
            ("amount", &self.amount),
            ("denom", &self.denom),
            ("memo", &self.memo),
            ("receiver", &self.receiver),
            ("sender", &self.sender),
        ];
        let mut first = true;
        for (k, v) in fields {
            if v.is_empty() {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            go_json_string(&mut out, k);
            out.push(':');
            go_json_string(&mut out, v);
        }
        out.push('}');
        out.into_bytes()
    }

    /// Decodes packet bytes that must be canonical (re-encoding gives the same bytes).
    ///
    /// Errors: `ibc`/12 for anything that is not the canonical JSON of this struct (invalid
    /// JSON, whitespace, unsorted keys, an unknown field, an explicit empty field).
    pub fn decode_canonical(bytes: &[u8]) -> Result<Self, TransferError> {
        let data: Self = serde_json::from_slice(bytes).map_err(|e| {
            TransferError::InvalidType(format!("cannot unmarshal ICS-20 transfer packet data: {e}"))
        })?;
        if data.to_bytes() != bytes {
            return Err(TransferError::InvalidType(
                "ICS-20 transfer packet data is not canonical JSON (sorted keys, no whitespace, no empty fields)".into(),
            ));
        }
        Ok(data)
    }

    /// ibc-go `ValidateBasic` plus this chain's range: returns the amount as u128. The
    /// length limits bound what a counterparty can make this chain store and emit per packet.
    ///
    /// Errors: `transfer`/5 amount not a positive integer below 2^256, `transfer`/101 amount
    /// ≥ 2^128, `ibc`/5 blank sender or receiver or a receiver over
    /// [`MAX_RECEIVER_LENGTH`] bytes, `transfer`/11 a memo over
    /// [`crate::msgs::MAX_MEMO_LENGTH`] bytes, `transfer`/3 or `host`/2 bad denom path.
    pub fn validate_basic(&self) -> Result<u128, ModuleError> {
        let amount = parse_amount(&self.amount).map_err(|e| e.packet_error(&self.amount))?;
        if self.sender.trim().is_empty() {
            return Err(
                TransferError::InvalidAddress("sender address cannot be blank".into()).into(),
            );
        }
        if self.receiver.trim().is_empty() {
            return Err(
                TransferError::InvalidAddress("receiver address cannot be blank".into()).into(),
            );
        }
        if self.receiver.len() > MAX_RECEIVER_LENGTH {
            return Err(TransferError::InvalidAddress(format!(
                "receiver address must not exceed {MAX_RECEIVER_LENGTH} bytes"
            ))
            .into());
        }
        if self.memo.len() > crate::msgs::MAX_MEMO_LENGTH {
            return Err(TransferError::InvalidMemo(format!(
                "memo must not exceed {} bytes",
                crate::msgs::MAX_MEMO_LENGTH
            ))
            .into());
        }
        validate_prefixed_denom(&self.denom)?;
        Ok(amount)
    }
}

/// The longest receiver a packet may name, in bytes (ibc-go `MaximumReceiverLength`).
pub const MAX_RECEIVER_LENGTH: usize = 2048;

/// The fixed text of an error acknowledgement (ibc-go `ackErrorString`; consensus-relevant,
/// because acknowledgements are committed).
pub const ACK_ERROR_STRING: &str = "error handling packet: see events for details";

/// An ICS-04 `Acknowledgement` as ICS-20 uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ics20Ack {
    /// Success; ICS-20 writes the single byte `0x01`.
    Result(Vec<u8>),
    /// Failure with a reason.
    Error(String),
}

impl Ics20Ack {
    /// The success acknowledgement, `{"result":"AQ=="}` (ibc-go `NewResultAcknowledgement([]byte{1})`).
    pub fn success() -> Self {
        Ics20Ack::Result(vec![1])
    }

    /// The error acknowledgement for ABCI code `code` (ibc-go v8 `NewErrorAcknowledgement`):
    /// `ABCI code: {code}: error handling packet: see events for details`.
    pub fn error(code: u32) -> Self {
        Ics20Ack::Error(format!("ABCI code: {code}: {ACK_ERROR_STRING}"))
    }

    /// True for a result acknowledgement.
    pub fn is_success(&self) -> bool {
        matches!(self, Ics20Ack::Result(_))
    }

    /// The acknowledgement bytes: `{"result":"<base64>"}` or `{"error":"<text>"}`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::from("{");
        match self {
            Ics20Ack::Result(r) => {
                out.push_str("\"result\":");
                go_json_string(
                    &mut out,
                    &base64::engine::general_purpose::STANDARD.encode(r),
                );
            }
            Ics20Ack::Error(e) => {
                out.push_str("\"error\":");
                go_json_string(&mut out, e);
            }
        }
        out.push('}');
        out.into_bytes()
    }

    /// Decodes acknowledgement bytes that must be canonical, as ibc-go's
    /// `OnAcknowledgementPacket` requires (it re-marshals and compares).
    ///
    /// Errors: `ibc`/4 not an acknowledgement (bad JSON, unknown field, neither or both of
    /// `result` / `error`, bad base64, empty result or error), `ibc`/12 valid but not canonical.
    pub fn decode_canonical(bytes: &[u8]) -> Result<Self, TransferError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            result: Option<String>,
            error: Option<String>,
        }
        let bad = |m: String| {
            TransferError::UnknownRequest(format!(
                "cannot unmarshal ICS-20 transfer packet acknowledgement: {m}"
            ))
        };
        let raw: Raw = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
        let ack = match (raw.result, raw.error) {
            (Some(r), None) => {
                let b = base64::engine::general_purpose::STANDARD
                    .decode(&r)
                    .map_err(|e| bad(format!("result is not base64: {e}")))?;
                if b.is_empty() {
                    return Err(bad("acknowledgement result cannot be empty".into()));
                }
                Ics20Ack::Result(b)
            }
            (None, Some(e)) => {
                if e.trim().is_empty() {
                    return Err(bad("acknowledgement error cannot be empty".into()));
                }
                Ics20Ack::Error(e)
            }
            _ => return Err(bad("exactly one of `result` and `error` must be set".into())),
        };
        if ack.to_bytes() != bytes {
            return Err(TransferError::InvalidType(format!(
                "acknowledgement did not marshal to expected bytes: {} ≠ {}",
                hex::encode_upper(ack.to_bytes()),
                hex::encode_upper(bytes)
            )));
        }
        Ok(ack)
    }

    /// gogoproto's compact text form, which ibc-go v8 puts in the `acknowledgement` event
    /// attribute (`ack.String()`): `result:"\001" ` or `error:"…" `.
    pub fn proto_text(&self) -> String {
        let (name, bytes) = match self {
            Ics20Ack::Result(r) => ("result", r.as_slice()),
            Ics20Ack::Error(e) => ("error", e.as_bytes()),
        };
        let mut out = format!("{name}:\"");
        for &b in bytes {
            match b {
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                b'"' => out.push_str("\\\""),
                b'\'' => out.push_str("\\'"),
                b'\\' => out.push_str("\\\\"),
                0x20..=0x7e => out.push(b as char),
                _ => out.push_str(&format!("\\{b:03o}")),
            }
        }
        out.push_str("\" ");
        out
    }
}

/// Appends `s` as a JSON string escaped exactly as Go's `encoding/json` (with HTML escaping,
/// Go ≥ 1.22): `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control characters and `<`, `>`,
/// `&`, U+2028, U+2029 as `\u00xx` / `\u2028` (lower-case hex).
pub fn go_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(memo: &str) -> FungibleTokenPacketData {
        FungibleTokenPacketData {
            denom: "transfer/channel-0/uatom".into(),
            amount: "100".into(),
            sender: "cosmos1sender".into(),
            receiver: "hub1receiver".into(),
            memo: memo.into(),
        }
    }

    #[test]
    fn packet_bytes_are_sorted_compact_and_omit_an_empty_memo() {
        assert_eq!(
            String::from_utf8(data("").to_bytes()).unwrap_or_default(),
            r#"{"amount":"100","denom":"transfer/channel-0/uatom","receiver":"hub1receiver","sender":"cosmos1sender"}"#
        );
        assert_eq!(
            String::from_utf8(data(r#"{"wasm":{"a":"<&>"}}"#).to_bytes()).unwrap_or_default(),
            r#"{"amount":"100","denom":"transfer/channel-0/uatom","memo":"{\"wasm\":{\"a\":\"\u003c\u0026\u003e\"}}","receiver":"hub1receiver","sender":"cosmos1sender"}"#
        );
    }

    #[test]
    fn canonical_packets_round_trip_and_others_are_refused() {
        for memo in ["", "hello", "tab\tnew\nline \u{1} \u{2028} é"] {
            let d = data(memo);
            assert_eq!(
                FungibleTokenPacketData::decode_canonical(&d.to_bytes()),
                Ok(d)
            );
        }
        for bad in [
            r#"{"amount":"100", "denom":"uatom","receiver":"r","sender":"s"}"#,
            r#"{"denom":"uatom","amount":"100","receiver":"r","sender":"s"}"#,
            r#"{"amount":"100","denom":"uatom","extra":"x","receiver":"r","sender":"s"}"#,
            r#"{"amount":"100","denom":"uatom","memo":"","receiver":"r","sender":"s"}"#,
            r#"{"amount":100,"denom":"uatom","receiver":"r","sender":"s"}"#,
            r#"{"amount":"100","amount":"100","denom":"uatom","receiver":"r","sender":"s"}"#,
            r#"{"amount":"100","denom":"u<","receiver":"r","sender":"s"}"#,
            "{\"amount\":\"100\",\"denom\":\"uatom\",\"receiver\":\"r\",\"sender\":\"s\"}\n",
            "not json",
        ] {
            let e = FungibleTokenPacketData::decode_canonical(bad.as_bytes()).unwrap_err();
            assert!(matches!(e, TransferError::InvalidType(_)), "{bad}");
        }
    }

    #[test]
    fn acks_are_ibc_go_bytes() {
        assert_eq!(Ics20Ack::success().to_bytes(), br#"{"result":"AQ=="}"#);
        assert_eq!(
            Ics20Ack::error(5).to_bytes(),
            br#"{"error":"ABCI code: 5: error handling packet: see events for details"}"#
        );
        assert_eq!(Ics20Ack::success().proto_text(), "result:\"\\001\" ");
        for a in [Ics20Ack::success(), Ics20Ack::error(12)] {
            assert_eq!(Ics20Ack::decode_canonical(&a.to_bytes()), Ok(a));
        }
    }

    #[test]
    fn non_canonical_acks_are_refused() {
        for bad in [
            r#"{ "result":"AQ=="}"#,
            r#"{"result":"AQ"}"#,
            r#"{"result":""}"#,
            r#"{}"#,
            r#"{"result":"AQ==","error":"x"}"#,
            r#"{"error":""}"#,
            r#"{"other":"x"}"#,
            r#"{"error":"a<b"}"#,
            "[]",
        ] {
            assert!(Ics20Ack::decode_canonical(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
