//! The governance authority: the one signer of a module's governance messages
//! (`MsgUpdateParams` and its kin), as the Cosmos SDK's `authority` field, which defaults to
//! the gov module account.

use crate::Address;

/// The module account whose signature a passed proposal carries: `Address::module("gov")`.
pub fn gov_authority() -> Address {
    Address::module("gov")
}

/// Why a governance message's authority was refused, for the module to turn into its own
/// error code (ibc-go's `ibc`/2, the upgrade module's `upgrade`/101, …).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthorityError {
    /// Not a bech32 address of this chain.
    #[error("authority {given:?} is not an address of this chain: {reason}")]
    NotAnAddress {
        /// The field as given.
        given: String,
        /// The decoding error.
        reason: String,
    },
    /// A valid address, but not the gov module account.
    #[error("expected the gov module account {expected} as authority, got {given}")]
    NotGov {
        /// The gov module account's bech32 address.
        expected: String,
        /// The field as given.
        given: String,
    },
}

/// Parses a governance message's authority (bech32 with prefix `hrp`) and checks that it is
/// the gov module account ([`gov_authority`]).
///
/// Errors: [`AuthorityError::NotAnAddress`], [`AuthorityError::NotGov`].
pub fn parse_gov_authority(given: &str, hrp: &str) -> Result<Address, AuthorityError> {
    let a = Address::from_bech32(given, hrp).map_err(|e| AuthorityError::NotAnAddress {
        given: given.to_string(),
        reason: e.to_string(),
    })?;
    if a != gov_authority() {
        return Err(AuthorityError::NotGov {
            expected: gov_authority().to_bech32(hrp),
            given: given.to_string(),
        });
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_gov_module_account_is_the_authority() {
        let gov = gov_authority().to_bech32("hub");
        assert_eq!(parse_gov_authority(&gov, "hub"), Ok(gov_authority()));
        let other = Address([7; 20]).to_bech32("hub");
        assert!(matches!(
            parse_gov_authority(&other, "hub"),
            Err(AuthorityError::NotGov { .. })
        ));
        assert!(matches!(
            parse_gov_authority(&gov_authority().to_bech32("spoke"), "hub"),
            Err(AuthorityError::NotAnAddress { .. })
        ));
    }
}
