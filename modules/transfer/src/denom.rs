//! ICS-20 denominations: traces, `ibc/{hash}` vouchers, escrow addresses and amounts
//! (ibc-go v8 `modules/apps/transfer/types/{trace,coin,keys}.go`).

use crate::TransferError;
use hub_auth::Address;
use sha2::{Digest, Sha256};

pub use ibc_proto::ibc::applications::transfer::v1::DenomTrace;

/// The channel version of ICS-20 v1 (ibc-go `types.Version`).
pub const VERSION: &str = "ics20-1";

/// The port the transfer module binds (ibc-go `types.PortID`).
pub const PORT_ID: &str = "transfer";

/// The prefix of voucher denoms: `ibc/{HASH}` (ibc-go `types.DenomPrefix`).
pub const DENOM_PREFIX: &str = "ibc";

/// `2^256 - 1`, the largest ICS-20 amount (ibc-go `math.Int` is 256-bit).
pub const MAX_UINT256: &str =
    "115792089237316195423570985008687907853269984665640564039457584007913129639935";

/// `"{port}/{channel}/"`, the prefix a receiving chain adds (ibc-go `GetDenomPrefix`).
pub fn denom_prefix(port: &str, channel: &str) -> String {
    format!("{port}/{channel}/")
}

/// True if `denom` (a full denom path) starts with `{port}/{channel}/`: the token came from
/// the chain at the other end of that channel's counterparty (ibc-go `ReceiverChainIsSource`).
pub fn receiver_chain_is_source(port: &str, channel: &str, denom: &str) -> bool {
    denom.starts_with(&denom_prefix(port, channel))
}

/// Negation of [`receiver_chain_is_source`] (ibc-go `SenderChainIsSource`): sending escrows.
pub fn sender_chain_is_source(port: &str, channel: &str, denom: &str) -> bool {
    !receiver_chain_is_source(port, channel, denom)
}

/// ibc-go `channeltypes.IsValidChannelID`: `channel-{N}` with 1..=20 digits and N a u64.
pub fn is_channel_id_format(id: &str) -> bool {
    channel_sequence(id).is_some()
}

/// The N of `channel-{N}` (ibc-go `ParseChannelSequence`), `None` if not that format.
pub fn channel_sequence(id: &str) -> Option<u64> {
    let digits = id.strip_prefix("channel-")?;
    if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Splits a full denom path into `(path, base_denom)` (ibc-go `ParseDenomTrace`).
///
/// Leading `{port}/{channel-N}` pairs form the path; the rest (which may contain `/`) is the
/// base denom: `transfer/channel-0/gamm/pool/1` → (`transfer/channel-0`, `gamm/pool/1`), and a
/// denom without `/` has an empty path.
pub fn parse_denom_trace(raw: &str) -> DenomTrace {
    let items: Vec<&str> = raw.split('/').collect();
    if items.len() == 1 {
        return DenomTrace {
            path: String::new(),
            base_denom: raw.to_string(),
        };
    }
    let (path, base) = split_path_and_base(&items);
    DenomTrace {
        path,
        base_denom: base,
    }
}

/// ibc-go `extractPathAndBaseFromFullDenom`.
fn split_path_and_base(items: &[&str]) -> (String, String) {
    let n = items.len();
    let mut path: Vec<&str> = Vec::new();
    let mut base: &[&str] = &[];
    let mut i = 0;
    while i < n {
        if i < n - 1 && n > 2 && is_channel_id_format(items[i + 1]) {
            path.push(items[i]);
            path.push(items[i + 1]);
            i += 2;
        } else {
            base = &items[i..];
            break;
        }
    }
    (path.join("/"), base.join("/"))
}

/// `path/base_denom`, or `base_denom` when the path is empty (ibc-go `GetFullDenomPath`).
pub fn full_denom_path(t: &DenomTrace) -> String {
    if t.path.is_empty() {
        t.base_denom.clone()
    } else {
        format!("{}/{}", t.path, t.base_denom)
    }
}

/// `sha256(full denom path)` (ibc-go `DenomTrace.Hash`).
pub fn trace_hash(t: &DenomTrace) -> [u8; 32] {
    Sha256::digest(full_denom_path(t).as_bytes()).into()
}

/// Upper-case hex of [`trace_hash`], as ibc-go prints `HexBytes`.
pub fn trace_hash_hex(t: &DenomTrace) -> String {
    hex::encode_upper(trace_hash(t))
}

/// The bank denom of a trace: `ibc/{UPPERHEX(sha256(path/base))}`, or the base denom of a
/// native (path-less) trace (ibc-go `IBCDenom`).
pub fn ibc_denom(t: &DenomTrace) -> String {
    if t.path.is_empty() {
        t.base_denom.clone()
    } else {
        format!("{DENOM_PREFIX}/{}", trace_hash_hex(t))
    }
}

/// ibc-go `DenomTrace.Validate`: a non-blank base denom and, if a path is present, pairs of
/// valid port / channel identifiers. Errors: `transfer`/3 or `host`/2.
pub fn validate_trace(t: &DenomTrace) -> hub_framework::Handled {
    if t.path.is_empty() && !t.base_denom.is_empty() {
        return Ok(());
    }
    if t.base_denom.trim().is_empty() {
        return Err(TransferError::InvalidDenomForTransfer(
            "base denomination cannot be blank".into(),
        )
        .into());
    }
    validate_trace_identifiers(&t.path.split('/').collect::<Vec<_>>())
}

fn validate_trace_identifiers(ids: &[&str]) -> hub_framework::Handled {
    use hub_ibc::identifier::{validate_channel_id, validate_port_id};
    if ids.is_empty() || ids.len() % 2 != 0 {
        return Err(TransferError::InvalidDenomForTransfer(format!(
            "trace info must come in pairs of port and channel identifiers '{{portID}}/{{channelID}}', got the identifiers: {ids:?}"
        ))
        .into());
    }
    for pair in ids.chunks(2) {
        validate_port_id(pair[0])?;
        validate_channel_id(pair[1])?;
    }
    Ok(())
}

/// ibc-go `ValidatePrefixedDenom` (packet denoms): `baseDenom` or
/// `{port}/{channel}/…/baseDenom` with a non-blank base and valid identifiers.
///
/// Errors: `transfer`/3 blank denom or base, `host`/2 a bad identifier in the path.
pub fn validate_prefixed_denom(denom: &str) -> hub_framework::Handled {
    let items: Vec<&str> = denom.split('/').collect();
    if items.len() == 1 {
        if denom.trim().is_empty() {
            return Err(TransferError::InvalidDenomForTransfer(
                "base denomination cannot be blank".into(),
            )
            .into());
        }
        return Ok(());
    }
    if items.last().map(|b| b.trim().is_empty()).unwrap_or(true) {
        return Err(TransferError::InvalidDenomForTransfer(
            "base denomination cannot be blank".into(),
        )
        .into());
    }
    let (path, _) = split_path_and_base(&items);
    if path.is_empty() {
        return Ok(());
    }
    validate_trace_identifiers(&path.split('/').collect::<Vec<_>>())
}

/// Checks a denom to send (ibc-go `ValidateIBCDenom`, stricter on case): a valid bank denom,
/// and if it starts with `ibc/`, exactly 64 upper-case hex digits after it.
///
/// Upper case is required because bank balances are keyed by the exact string and vouchers
/// are only ever minted as `ibc/{UPPERHEX}`. Errors: `ibc`/6 invalid bank denom, `transfer`/3
/// a bare `ibc` or a malformed hash.
pub fn validate_ibc_denom(denom: &str) -> hub_framework::Handled {
    hub_bank::validate_denom(denom)
        .map_err(|e| TransferError::InvalidCoins(e.to_string().replace("invalid coins: ", "")))?;
    if denom == DENOM_PREFIX {
        return Err(TransferError::InvalidDenomForTransfer(
            "denomination should be prefixed with the format 'ibc/{hash(trace + \"/\" + ibc)}'"
                .into(),
        )
        .into());
    }
    if let Some(hash) = denom.strip_prefix("ibc/") {
        parse_hash(hash).map_err(|e| {
            TransferError::InvalidDenomForTransfer(format!("invalid denom trace hash {hash}: {e}"))
        })?;
        if hash.bytes().any(|b| b.is_ascii_lowercase()) {
            return Err(TransferError::InvalidDenomForTransfer(format!(
                "denom trace hash {hash} must be upper-case hex"
            ))
            .into());
        }
    }
    Ok(())
}

/// Parses a 32-byte hex hash (either case). Errors: a description of what is wrong.
pub fn parse_hash(hex_hash: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(hex_hash).map_err(|e| format!("not hex: {e}"))?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| format!("expected 32 bytes, got {}", bytes.len()))
}

/// The escrow account of a channel end (ibc-go `GetEscrowAddress`, ADR-028):
/// `sha256("ics20-1" ‖ 0x00 ‖ "{port}/{channel}")[..20]`.
pub fn escrow_address(port: &str, channel: &str) -> Address {
    let mut h = Sha256::new();
    h.update(VERSION.as_bytes());
    h.update([0u8]);
    h.update(format!("{port}/{channel}").as_bytes());
    let digest = h.finalize();
    let mut out = [0u8; 20];
    out.copy_from_slice(&digest[..20]);
    Address(out)
}

/// Why an ICS-20 amount string is unusable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Not `[+-]?[0-9]+` (Go `big.Int.SetString(s, 10)` syntax).
    NotInteger,
    /// |amount| ≥ 2^256 (ibc-go's `math.Int` cannot hold it).
    Uint256Overflow,
    /// Negative.
    Negative,
    /// Zero.
    Zero,
    /// Positive and below 2^256 but ≥ 2^128: valid ICS-20, but this chain's bank holds u128.
    ExceedsU128,
}

impl AmountError {
    /// A human-readable reason naming `amount`.
    pub fn describe(self, amount: &str) -> String {
        match self {
            AmountError::NotInteger => format!("unable to parse transfer amount {amount:?}"),
            AmountError::Uint256Overflow => {
                format!("transfer amount {amount:?} does not fit in 256 bits")
            }
            AmountError::Negative => format!("amount must be strictly positive: got {amount}"),
            AmountError::Zero => format!("amount must be strictly positive: got {amount}"),
            AmountError::ExceedsU128 => format!(
                "transfer amount {amount} is at least 2^128; this chain's bank holds amounts below 2^128"
            ),
        }
    }

    /// The error of a packet amount (receive side): `transfer`/5 for everything ICS-20 itself
    /// rejects, `transfer`/101 for an amount only this chain cannot hold.
    pub fn packet_error(self, amount: &str) -> TransferError {
        match self {
            AmountError::ExceedsU128 => TransferError::AmountExceedsBank(self.describe(amount)),
            _ => TransferError::InvalidAmount(self.describe(amount)),
        }
    }
}

/// Parses an ICS-20 amount: the full uint256 range first, then u128 (the bank's range).
///
/// Accepts what Go's `big.Int.SetString(s, 10)` accepts (an optional sign, leading zeros).
/// Errors in this order: [`AmountError::NotInteger`], [`AmountError::Uint256Overflow`],
/// [`AmountError::Negative`], [`AmountError::Zero`], [`AmountError::ExceedsU128`].
pub fn parse_amount(s: &str) -> Result<u128, AmountError> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountError::NotInteger);
    }
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() > MAX_UINT256.len()
        || (trimmed.len() == MAX_UINT256.len() && trimmed > MAX_UINT256)
    {
        return Err(AmountError::Uint256Overflow);
    }
    if trimmed.is_empty() {
        return Err(AmountError::Zero);
    }
    if negative {
        return Err(AmountError::Negative);
    }
    trimmed
        .parse::<u128>()
        .map_err(|_| AmountError::ExceedsU128)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(path: &str, base: &str) -> DenomTrace {
        DenomTrace {
            path: path.into(),
            base_denom: base.into(),
        }
    }

    #[test]
    fn traces_parse_as_ibc_go() {
        // the examples of ibc-go `ParseDenomTrace`
        assert_eq!(parse_denom_trace("uatom"), t("", "uatom"));
        assert_eq!(
            parse_denom_trace("portidone/channel-0/uatom"),
            t("portidone/channel-0", "uatom")
        );
        assert_eq!(
            parse_denom_trace("portidone/channel-0/portidtwo/channel-1/uatom"),
            t("portidone/channel-0/portidtwo/channel-1", "uatom")
        );
        assert_eq!(
            parse_denom_trace("portidone/channel-0/gamm/pool/1"),
            t("portidone/channel-0", "gamm/pool/1")
        );
        assert_eq!(parse_denom_trace("gamm/pool/1"), t("", "gamm/pool/1"));
        // a non-ibc-go channel id ends the path
        assert_eq!(
            parse_denom_trace("transfer/chan-0/uatom"),
            t("", "transfer/chan-0/uatom")
        );
        assert_eq!(parse_denom_trace("a/channel-0"), t("", "a/channel-0"));
    }

    #[test]
    fn voucher_denoms_match_ibc_go_vectors() {
        // ibc-go v8 types/trace_test.go TestDenomTrace_IBCDenom
        assert_eq!(
            ibc_denom(&t("transfer/channel-1", "uatom")),
            "ibc/C4CFF46FD6DE35CA4CF4CE031E643C8FDC9BA4B99AE598E9B0ED98FE3A2319F9"
        );
        // ibc-go v8 keeper/migrations_test.go (denom metadata of transfer/channel-0/foo)
        assert_eq!(
            ibc_denom(&t("transfer/channel-0", "foo")),
            "ibc/EB7094899ACFB7A6F2A67DB084DEE2E9A83DEFAA5DEF92D9A9814FFD9FF673FA"
        );
        // ATOM over Osmosis' transfer/channel-0, the best known voucher denom
        assert_eq!(
            ibc_denom(&t("transfer/channel-0", "uatom")),
            "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
        );
        assert_eq!(ibc_denom(&t("", "uatom")), "uatom");
    }

    #[test]
    fn escrow_addresses_match_gaia() {
        // `gaiad query ibc-transfer escrow-address transfer channel-N` on the Cosmos Hub, as
        // pinned by ibc-rs' `test_cosmos_escrow_address`.
        for (chan, addr) in [
            (
                "channel-141",
                "cosmos1x54ltnyg88k0ejmk8ytwrhd3ltm84xehrnlslf",
            ),
            (
                "channel-207",
                "cosmos1ju6tlfclulxumtt2kglvnxduj5d93a64r5czge",
            ),
            (
                "channel-187",
                "cosmos177x69sver58mcfs74x6dg0tv6ls4s3xmmcaw53",
            ),
        ] {
            assert_eq!(escrow_address("transfer", chan).to_bech32("cosmos"), addr);
        }
        assert_eq!(
            escrow_address("transfer", "channel-0").to_hex(),
            "ed23c6f4443f49c4b08f856350a5d2c65a203235"
        );
    }

    #[test]
    fn amounts_parse_the_uint256_range_then_u128() {
        assert_eq!(parse_amount("100"), Ok(100));
        assert_eq!(parse_amount("+0100"), Ok(100));
        assert_eq!(parse_amount(&u128::MAX.to_string()), Ok(u128::MAX));
        assert_eq!(
            parse_amount("340282366920938463463374607431768211456"),
            Err(AmountError::ExceedsU128)
        );
        assert_eq!(parse_amount(MAX_UINT256), Err(AmountError::ExceedsU128));
        assert_eq!(
            parse_amount(
                "115792089237316195423570985008687907853269984665640564039457584007913129639936"
            ),
            Err(AmountError::Uint256Overflow)
        );
        assert_eq!(
            parse_amount(&format!("-{MAX_UINT256}0")),
            Err(AmountError::Uint256Overflow)
        );
        assert_eq!(parse_amount("0"), Err(AmountError::Zero));
        assert_eq!(parse_amount("-0"), Err(AmountError::Zero));
        assert_eq!(parse_amount("-5"), Err(AmountError::Negative));
        for bad in ["", "+", "-", "1.5", "1e9", " 1", "1_000", "0x10", "１"] {
            assert_eq!(parse_amount(bad), Err(AmountError::NotInteger), "{bad}");
        }
    }

    #[test]
    fn send_denoms_are_checked() {
        assert!(validate_ibc_denom("uhub").is_ok());
        assert!(validate_ibc_denom("gamm/pool/1").is_ok());
        assert!(validate_ibc_denom(
            "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
        )
        .is_ok());
        for bad in [
            "ibc",
            "ibc/",
            "ibc/1234",
            "ibc/27394fb092d2eccd56123c74f36e4c1f926001ceada9ca97ea622b25f41e5eb2",
            "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EBZ",
            "1abc",
            "u hub",
        ] {
            assert!(validate_ibc_denom(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn packet_denoms_are_checked() {
        for good in [
            "uatom",
            "transfer/channel-0/uatom",
            "gamm/pool/1",
            "transfer/channel-0/gamm/pool/1",
        ] {
            assert!(validate_prefixed_denom(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            " ",
            "transfer/channel-0/",
            "t/channel-0/x",
            "transfer/channel-0/ ",
        ] {
            assert!(validate_prefixed_denom(bad).is_err(), "{bad:?}");
        }
    }
}
