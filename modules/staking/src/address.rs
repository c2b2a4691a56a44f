//! Validator operator and consensus addresses in bech32.
//!
//! As in the Cosmos SDK, a validator's operator address is its operator's 20-byte account
//! address under the prefix `<account hrp>valoper` (`hubvaloper1…`, `spokevaloper1…`), and its
//! consensus address (the CometBFT validator address, `sha256(ed25519 key)[..20]`) is shown
//! under `<account hrp>valcons`.

use hub_auth::Address;
use hub_framework::SdkError;
use sha2::{Digest, Sha256};

/// The operator-address prefix of a chain whose accounts use `hrp` (`hub` → `hubvaloper`).
pub fn valoper_hrp(hrp: &str) -> String {
    format!("{hrp}valoper")
}

/// `<hrp>valoper1…` of an operator account.
pub fn to_valoper(operator: &Address, hrp: &str) -> String {
    operator.to_bech32(&valoper_hrp(hrp))
}

/// Parses `<hrp>valoper1…` into the operator's account address.
///
/// Errors: `sdk`/7 when the string is not bech32, has another prefix or is not 20 bytes.
pub fn from_valoper(s: &str, hrp: &str) -> Result<Address, SdkError> {
    Address::from_bech32(s, &valoper_hrp(hrp))
}

/// `<hrp>valcons1…` of a consensus address.
pub fn to_valcons(cons: &[u8; 20], hrp: &str) -> String {
    Address(*cons).to_bech32(&format!("{hrp}valcons"))
}

/// The CometBFT consensus address of an ed25519 key: `sha256(key)[..20]`.
pub fn consensus_address(pubkey: &[u8]) -> [u8; 20] {
    let mut out = [0u8; 20];
    out.copy_from_slice(&Sha256::digest(pubkey)[..20]);
    out
}

/// The consensus address of an ed25519 key in lower-case hex, as in state keys.
pub fn consensus_address_hex(pubkey: &[u8]) -> String {
    hex::encode(consensus_address(pubkey))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_addresses_use_the_valoper_prefix_over_the_account_bytes() {
        let a = Address([9; 20]);
        let s = to_valoper(&a, "hub");
        assert!(s.starts_with("hubvaloper1"), "{s}");
        assert_eq!(from_valoper(&s, "hub").unwrap(), a);
        assert!(from_valoper(&a.to_bech32("hub"), "hub").is_err());
        assert!(to_valoper(&a, "spoke").starts_with("spokevaloper1"));
    }
}
