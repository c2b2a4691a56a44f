//! ICS-20 on the client side: denomination traces, `ibc/{HASH}` denominations and escrow
//! addresses, computed as ibc-go v8 does (`modules/apps/transfer/types/{trace,keys}.go`).
//!
//! The chain's transfer module (`hub-transfer`) implements the same derivations; this crate
//! keeps its own small copy because it is a client library that talks to nodes only through
//! RPC, and depending on the module would pull the whole state machine (cnidarium, RocksDB)
//! into every client build. The tests pin both to the same ibc-go and Cosmos Hub vectors.

use sha2::{Digest, Sha256};

use crate::address::{encode_address, AddressError};

/// The ICS-20 v1 channel version, also the domain separator of escrow addresses
/// (ibc-go `types.Version`).
pub const ICS20_VERSION: &str = "ics20-1";

/// The prefix of voucher denominations, `ibc/{HASH}` (ibc-go `types.DenomPrefix`).
pub const IBC_DENOM_PREFIX: &str = "ibc/";

/// A denomination trace: the `{port}/{channel}` hops a token took and its base denomination
/// (ibc-go `types.DenomTrace`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DenomTrace {
    /// `port/channel` pairs joined with `/`, e.g. `transfer/channel-0`; empty for a native
    /// token.
    pub path: String,
    /// The denomination on the chain the token originates from, e.g. `uatom` (may contain `/`,
    /// e.g. `gamm/pool/1`).
    pub base_denom: String,
}

impl DenomTrace {
    /// `path/base_denom`, or `base_denom` when the path is empty (ibc-go `GetFullDenomPath`).
    pub fn full_path(&self) -> String {
        if self.path.is_empty() {
            self.base_denom.clone()
        } else {
            format!("{}/{}", self.path, self.base_denom)
        }
    }

    /// Upper-case hex of `sha256(full path)` (ibc-go `DenomTrace.Hash`, printed as `HexBytes`).
    pub fn hash_hex(&self) -> String {
        hex::encode_upper(Sha256::digest(self.full_path().as_bytes()))
    }

    /// The bank denomination of the trace: `ibc/{HASH}`, or the base denomination of a trace
    /// without path (ibc-go `DenomTrace.IBCDenom`).
    pub fn ibc_denom(&self) -> String {
        if self.path.is_empty() {
            self.base_denom.clone()
        } else {
            format!("{IBC_DENOM_PREFIX}{}", self.hash_hex())
        }
    }
}

/// True for an ibc-go channel identifier `channel-{N}` (1 to 20 digits, N fits in a u64),
/// the test ibc-go's `ParseDenomTrace` uses to tell path hops from the base denomination.
pub fn is_channel_id(id: &str) -> bool {
    match id.strip_prefix("channel-") {
        Some(digits) if !digits.is_empty() && digits.len() <= 20 => {
            digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse::<u64>().is_ok()
        }
        _ => false,
    }
}

/// Splits a full denomination path into its trace (ibc-go `ParseDenomTrace`): leading
/// `{port}/{channel-N}` pairs are the path, the rest is the base denomination.
///
/// `transfer/channel-0/uatom` → (`transfer/channel-0`, `uatom`);
/// `transfer/channel-0/gamm/pool/1` → (`transfer/channel-0`, `gamm/pool/1`);
/// `uatom` and `gamm/pool/1` have an empty path.
pub fn parse_denom_trace(raw: &str) -> DenomTrace {
    let items: Vec<&str> = raw.split('/').collect();
    let n = items.len();
    if n == 1 {
        return DenomTrace {
            path: String::new(),
            base_denom: raw.to_owned(),
        };
    }
    let mut path = Vec::new();
    let mut i = 0;
    while i < n {
        if n > 2 && i + 1 < n && is_channel_id(items[i + 1]) {
            path.push(items[i]);
            path.push(items[i + 1]);
            i += 2;
        } else {
            break;
        }
    }
    DenomTrace {
        path: path.join("/"),
        base_denom: items[i..].join("/"),
    }
}

/// The denomination `tx ibc-transfer transfer` puts in `MsgTransfer.token`: an `ibc/{HASH}`
/// denomination as given, anything else through its trace (ibc-go's CLI does
/// `ParseDenomTrace(denom).IBCDenom()`), so `transfer/channel-0/uatom` becomes
/// `ibc/27394FB0…` and `uhub` stays `uhub`.
pub fn transfer_denom(denom: &str) -> String {
    if denom.starts_with(IBC_DENOM_PREFIX) {
        denom.to_owned()
    } else {
        parse_denom_trace(denom).ibc_denom()
    }
}

/// The 20 bytes of the escrow account of a channel end (ibc-go `types.GetEscrowAddress`,
/// ADR-028 style): `sha256("ics20-1" ‖ 0x00 ‖ "{port}/{channel}")[..20]`.
pub fn escrow_address_bytes(port: &str, channel: &str) -> [u8; 20] {
    let mut hasher = Sha256::new();
    hasher.update(ICS20_VERSION.as_bytes());
    hasher.update([0u8]);
    hasher.update(format!("{port}/{channel}").as_bytes());
    let digest = hasher.finalize();
    let mut out = [0u8; 20];
    out.copy_from_slice(&digest[..20]);
    out
}

/// The escrow account of a channel end as a bech32 address with `prefix` (the chain
/// profile's account prefix). Errors: an invalid prefix.
pub fn escrow_address(prefix: &str, port: &str, channel: &str) -> Result<String, AddressError> {
    encode_address(prefix, &escrow_address_bytes(port, channel))
}

/// The hash part of a `denom-trace` argument: `ibc/{HASH}` or `{HASH}`, 64 hex characters
/// (either case), returned upper-case.
///
/// Errors: a message saying what is wrong with the argument.
pub fn parse_trace_hash(text: &str) -> Result<String, String> {
    let hash = text.strip_prefix(IBC_DENOM_PREFIX).unwrap_or(text);
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "{text:?} is not a denomination trace hash: expected 64 hex characters, optionally after ibc/ (e.g. ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2)"
        ));
    }
    Ok(hash.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escrow_address_matches_ibc_go_and_the_cosmos_hub() {
        // ibc-go: a transfer over transfer/channel-0 on a `cosmos` chain moves the tokens to
        // cosmos1a53udazy8ayufvy0s434pfwjcedzqv34kvz9tw (its escrow account).
        assert_eq!(
            hex::encode(escrow_address_bytes("transfer", "channel-0")),
            "ed23c6f4443f49c4b08f856350a5d2c65a203235"
        );
        assert_eq!(
            escrow_address("cosmos", "transfer", "channel-0").unwrap(),
            "cosmos1a53udazy8ayufvy0s434pfwjcedzqv34kvz9tw"
        );
        // `gaiad query ibc-transfer escrow-address transfer channel-141` on the Cosmos Hub
        assert_eq!(
            escrow_address("cosmos", "transfer", "channel-141").unwrap(),
            "cosmos1x54ltnyg88k0ejmk8ytwrhd3ltm84xehrnlslf"
        );
        // the same account under another prefix
        assert_eq!(
            escrow_address("hub", "transfer", "channel-0").unwrap(),
            "hub1a53udazy8ayufvy0s434pfwjcedzqv34tv0y8f"
        );
        assert_ne!(
            escrow_address_bytes("transfer", "channel-0"),
            escrow_address_bytes("transfer", "channel-1")
        );
    }

    #[test]
    fn denom_hash_and_ibc_denom_match_ibc_go() {
        let trace = parse_denom_trace("transfer/channel-0/uatom");
        assert_eq!(trace.path, "transfer/channel-0");
        assert_eq!(trace.base_denom, "uatom");
        assert_eq!(
            trace.hash_hex(),
            "27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
        );
        // ibc-go keeper/migrations_test.go: transfer/channel-0/foo
        assert_eq!(
            parse_denom_trace("transfer/channel-0/foo").ibc_denom(),
            "ibc/EB7094899ACFB7A6F2A67DB084DEE2E9A83DEFAA5DEF92D9A9814FFD9FF673FA"
        );
        assert_eq!(
            parse_denom_trace("transfer/channel-1/uatom").ibc_denom(),
            "ibc/C4CFF46FD6DE35CA4CF4CE031E643C8FDC9BA4B99AE598E9B0ED98FE3A2319F9"
        );
        assert_eq!(parse_denom_trace("uatom").ibc_denom(), "uatom");
    }

    #[test]
    fn traces_split_like_ibc_go() {
        let cases = [
            ("uatom", "", "uatom"),
            ("gamm/pool/1", "", "gamm/pool/1"),
            (
                "transfer/channel-0/gamm/pool/1",
                "transfer/channel-0",
                "gamm/pool/1",
            ),
            (
                "transfer/channel-1/transfer/channel-0/uspoke",
                "transfer/channel-1/transfer/channel-0",
                "uspoke",
            ),
            // a trailing pair is part of the base (ibc-go keeps at least one base item)
            ("transfer/channel-0", "", "transfer/channel-0"),
            ("transfer/channelX/uatom", "", "transfer/channelX/uatom"),
        ];
        for (raw, path, base) in cases {
            let t = parse_denom_trace(raw);
            assert_eq!(
                (t.path.as_str(), t.base_denom.as_str()),
                (path, base),
                "{raw}"
            );
            assert_eq!(t.full_path(), raw);
        }
    }

    #[test]
    fn transfer_denoms_become_voucher_denoms() {
        assert_eq!(transfer_denom("uhub"), "uhub");
        assert_eq!(
            transfer_denom("transfer/channel-0/uatom"),
            "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
        );
        let voucher = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2";
        assert_eq!(transfer_denom(voucher), voucher);
    }

    #[test]
    fn trace_hash_arguments_are_checked() {
        let hash = "27394fb092d2eccd56123c74f36e4c1f926001ceada9ca97ea622b25f41e5eb2";
        let upper = hash.to_ascii_uppercase();
        assert_eq!(parse_trace_hash(hash).unwrap(), upper);
        assert_eq!(parse_trace_hash(&format!("ibc/{hash}")).unwrap(), upper);
        assert!(parse_trace_hash("ibc/ABC").is_err());
        assert!(parse_trace_hash(&format!("{}Z", &upper[..63])).is_err());
        assert!(parse_trace_hash("").is_err());
    }

    #[test]
    fn channel_ids_follow_ibc_go() {
        assert!(is_channel_id("channel-0"));
        assert!(is_channel_id("channel-18446744073709551615"));
        assert!(!is_channel_id("channel-18446744073709551616"));
        assert!(!is_channel_id("channel-"));
        assert!(!is_channel_id("channel-1a"));
        assert!(!is_channel_id("connection-0"));
    }
}
