//! 20-byte account addresses and their bech32 form.

use crate::SdkError;
use bech32::{Bech32, Hrp};
use sha2::{Digest, Sha256};
use std::fmt;

/// An account address: `ripemd160(sha256(compressed secp256k1 pubkey))`, 20 bytes, as in the
/// Cosmos SDK. Shown as bech32 with the chain's prefix (`hub1…` on the hub).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address(pub [u8; 20]);

impl Address {
    /// Derives the address of a 33-byte compressed secp256k1 public key.
    pub fn from_pubkey(pubkey: &[u8]) -> Self {
        use ripemd::Ripemd160;
        let sha = Sha256::digest(pubkey);
        let rip = Ripemd160::digest(sha);
        let mut out = [0u8; 20];
        out.copy_from_slice(&rip);
        Address(out)
    }

    /// Parses a bech32 address and checks its prefix.
    ///
    /// Errors: [`SdkError::InvalidAddress`] when the string is not bech32, has another prefix
    /// than `hrp`, or does not hold exactly 20 bytes.
    pub fn from_bech32(s: &str, hrp: &str) -> Result<Self, SdkError> {
        let (got_hrp, data) = bech32::decode(s)
            .map_err(|e| SdkError::InvalidAddress(format!("{s:?} is not valid bech32: {e}")))?;
        if got_hrp.as_str() != hrp {
            return Err(SdkError::InvalidAddress(format!(
                "{s:?} has prefix {:?}, expected {hrp:?}",
                got_hrp.as_str()
            )));
        }
        let bytes: [u8; 20] = data.as_slice().try_into().map_err(|_| {
            SdkError::InvalidAddress(format!("{s:?} holds {} bytes, expected 20", data.len()))
        })?;
        Ok(Address(bytes))
    }

    /// The bech32 string with prefix `hrp`.
    pub fn to_bech32(&self, hrp: &str) -> String {
        // An HRP from our own configuration is always valid; fall back to hex if not.
        match Hrp::parse(hrp) {
            Ok(h) => bech32::encode::<Bech32>(h, &self.0).unwrap_or_else(|_| self.to_hex()),
            Err(_) => self.to_hex(),
        }
    }

    /// Lower-case hex of the 20 bytes, as used in state keys (prefix-independent).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The address of a module account: `sha256(name)[..20]`, as `authtypes.NewModuleAddress`.
    pub fn module(name: &str) -> Self {
        let h = Sha256::digest(name.as_bytes());
        let mut out = [0u8; 20];
        out.copy_from_slice(&h[..20]);
        Address(out)
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({})", self.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bech32_round_trips_and_checks_prefix() {
        let a = Address([7u8; 20]);
        let s = a.to_bech32("hub");
        assert!(s.starts_with("hub1"));
        assert_eq!(Address::from_bech32(&s, "hub").unwrap(), a);
        let e = Address::from_bech32(&s, "cosmos").unwrap_err();
        assert!(e.to_string().contains("expected \"cosmos\""));
        assert!(Address::from_bech32("hub1notbech32", "hub").is_err());
        assert!(Address::from_bech32("", "hub").is_err());
    }

    #[test]
    fn fee_collector_address_matches_cosmos_sdk() {
        // cosmos-sdk: authtypes.NewModuleAddress("fee_collector") = cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta
        assert_eq!(
            Address::module("fee_collector").to_bech32("cosmos"),
            "cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta"
        );
    }
}
