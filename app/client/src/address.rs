//! Bech32 account addresses, as in the Cosmos SDK.
//!
//! An account address is `ripemd160(sha256(compressed secp256k1 public key))` (20 bytes),
//! encoded as bech32 (not bech32m) with the chain's prefix, e.g. `hub1…`. Module and
//! interchain accounts use 32-byte addresses; both lengths are accepted.

use bech32::{primitives::decode::CheckedHrpstring, Bech32, Hrp};
use thiserror::Error;

/// Why a string is not a valid account address of the expected chain.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AddressError {
    /// Not a bech32 string (bad characters, bad checksum, mixed case…).
    #[error("{address:?} is not a valid bech32 address ({reason})")]
    NotBech32 {
        /// The rejected input.
        address: String,
        /// What the bech32 decoder reported.
        reason: String,
    },
    /// A valid bech32 string with another chain's prefix.
    #[error(
        "{address:?} has the prefix {found:?}, but this chain's addresses start with {expected}1…"
    )]
    WrongPrefix {
        /// The rejected input.
        address: String,
        /// Prefix found in the input.
        found: String,
        /// Prefix of this chain.
        expected: String,
    },
    /// Decoded to a length that is not an account address.
    #[error(
        "{address:?} decodes to {len} bytes; an account address has 20 (or 32 for module accounts)"
    )]
    BadLength {
        /// The rejected input.
        address: String,
        /// Decoded length.
        len: usize,
    },
    /// Valid but not in canonical lowercase form.
    #[error("{address:?} must be written in lowercase")]
    NotLowercase {
        /// The rejected input.
        address: String,
    },
    /// The prefix itself is not a valid bech32 human-readable part.
    #[error("{prefix:?} is not a valid bech32 prefix")]
    BadPrefix {
        /// The rejected prefix.
        prefix: String,
    },
}

/// Decodes `address`, checking that it is bech32 with exactly `prefix` and 20 or 32 bytes long.
/// Returns the raw address bytes.
pub fn decode_address(address: &str, prefix: &str) -> Result<Vec<u8>, AddressError> {
    let checked =
        CheckedHrpstring::new::<Bech32>(address).map_err(|e| AddressError::NotBech32 {
            address: address.to_owned(),
            reason: e.to_string(),
        })?;
    let hrp = checked.hrp().to_lowercase();
    if hrp != prefix {
        return Err(AddressError::WrongPrefix {
            address: address.to_owned(),
            found: hrp,
            expected: prefix.to_owned(),
        });
    }
    if address.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(AddressError::NotLowercase {
            address: address.to_owned(),
        });
    }
    let bytes: Vec<u8> = checked.byte_iter().collect();
    if bytes.len() != 20 && bytes.len() != 32 {
        return Err(AddressError::BadLength {
            address: address.to_owned(),
            len: bytes.len(),
        });
    }
    Ok(bytes)
}

/// Encodes raw address bytes as bech32 with `prefix`.
pub fn encode_address(prefix: &str, bytes: &[u8]) -> Result<String, AddressError> {
    let hrp = Hrp::parse(prefix).map_err(|_| AddressError::BadPrefix {
        prefix: prefix.to_owned(),
    })?;
    bech32::encode::<Bech32>(hrp, bytes).map_err(|_| AddressError::BadPrefix {
        prefix: prefix.to_owned(),
    })
}

/// True when `text` looks like it was meant to be an address of this chain (`<prefix>1…`),
/// as opposed to a key name.
pub fn looks_like_address(text: &str, prefix: &str) -> bool {
    text.to_ascii_lowercase().starts_with(&format!("{prefix}1")) && text.len() > prefix.len() + 7
}

#[cfg(test)]
mod tests {
    use super::*;

    const COSMOS_ADDR: &str = "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4";

    #[test]
    fn decodes_and_reencodes_a_cosmos_address() {
        let bytes = decode_address(COSMOS_ADDR, "cosmos").unwrap();
        assert_eq!(bytes.len(), 20);
        assert_eq!(encode_address("cosmos", &bytes).unwrap(), COSMOS_ADDR);
        let hub = encode_address("hub", &bytes).unwrap();
        assert!(hub.starts_with("hub1"));
        assert_eq!(decode_address(&hub, "hub").unwrap(), bytes);
    }

    #[test]
    fn rejects_another_chains_prefix() {
        let err = decode_address(COSMOS_ADDR, "hub").unwrap_err();
        assert!(matches!(err, AddressError::WrongPrefix { ref found, .. } if found == "cosmos"));
        assert!(err.to_string().contains("hub1"));
    }

    #[test]
    fn rejects_a_bad_checksum_and_uppercase() {
        let mut broken = COSMOS_ADDR.to_owned();
        broken.pop();
        broken.push('5');
        assert!(matches!(
            decode_address(&broken, "cosmos"),
            Err(AddressError::NotBech32 { .. })
        ));
        assert!(matches!(
            decode_address(&COSMOS_ADDR.to_uppercase(), "cosmos"),
            Err(AddressError::NotLowercase { .. })
        ));
    }

    #[test]
    fn rejects_wrong_lengths() {
        let short = encode_address("hub", &[1, 2, 3]).unwrap();
        assert!(matches!(
            decode_address(&short, "hub"),
            Err(AddressError::BadLength { len: 3, .. })
        ));
    }
}
