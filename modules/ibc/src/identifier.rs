//! ICS-24 identifiers (ibc-go `modules/core/24-host/validate.go`).
//!
//! An identifier is 1..=N characters of `[a-zA-Z0-9._+\-#\[\]<>]` with a per-kind length range;
//! `/` is never allowed because identifiers are path segments.

use crate::IbcError;

/// Checks `id` against ICS-24: length within `min..=max` and allowed characters only.
/// Errors: `host`/2 naming the kind and the rule broken.
pub fn validate_identifier(kind: &str, id: &str, min: usize, max: usize) -> Result<(), IbcError> {
    if id.trim().is_empty() {
        return Err(IbcError::InvalidIdentifier(format!("{kind} is empty")));
    }
    if id.len() < min || id.len() > max {
        return Err(IbcError::InvalidIdentifier(format!(
            "{kind} {id:?} has length {}, must be between {min} and {max}",
            id.len()
        )));
    }
    let ok = id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._+-#[]<>".contains(&b));
    if !ok {
        return Err(IbcError::InvalidIdentifier(format!(
            "{kind} {id:?} must contain only alphanumerics and ._+-#[]<>"
        )));
    }
    Ok(())
}

/// A client id (9..=64 chars), e.g. `07-tendermint-0`.
pub fn validate_client_id(id: &str) -> Result<(), IbcError> {
    validate_identifier("client identifier", id, 9, 64)
}

/// A connection id (10..=64 chars), e.g. `connection-0`.
pub fn validate_connection_id(id: &str) -> Result<(), IbcError> {
    validate_identifier("connection identifier", id, 10, 64)
}

/// A channel id (8..=64 chars), e.g. `channel-0`.
pub fn validate_channel_id(id: &str) -> Result<(), IbcError> {
    validate_identifier("channel identifier", id, 8, 64)
}

/// A port id (2..=128 chars), e.g. `transfer`.
pub fn validate_port_id(id: &str) -> Result<(), IbcError> {
    validate_identifier("port identifier", id, 2, 128)
}

/// Declares a validating identifier newtype: it can only be made by `parse`, which applies the
/// kind's ICS-24 rule, so a value of the type is a valid identifier wherever it goes. It reads
/// as a `&str` (`Deref`), prints as itself and compares with strings.
macro_rules! identifier {
    ($(#[$meta:meta])* $name:ident, $validate:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("Checks `id` with [`", stringify!($validate), "`].")]
            ///
            /// Errors: `host`/2 naming the rule broken.
            pub fn parse(id: &str) -> Result<Self, IbcError> {
                $validate(id)?;
                Ok(Self(id.to_owned()))
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }
    };
}

identifier!(
    /// An ICS-24 client identifier (9..=64 characters), e.g. `07-tendermint-0`.
    ClientId,
    validate_client_id
);
identifier!(
    /// An ICS-24 connection identifier (10..=64 characters), e.g. `connection-0`.
    ConnectionId,
    validate_connection_id
);
identifier!(
    /// An ICS-24 channel identifier (8..=64 characters), e.g. `channel-0`.
    ChannelId,
    validate_channel_id
);
identifier!(
    /// An ICS-24 port identifier (2..=128 characters), e.g. `transfer`.
    PortId,
    validate_port_id
);

/// The client type of every client this chain runs.
pub const TENDERMINT_CLIENT_TYPE: &str = "07-tendermint";

/// `07-tendermint-{seq}`, the id of the `seq`-th client (ibc-go `FormatClientIdentifier`).
pub fn client_id(seq: u64) -> String {
    format!("{TENDERMINT_CLIENT_TYPE}-{seq}")
}

/// `connection-{seq}` (ibc-go `FormatConnectionIdentifier`).
pub fn connection_id(seq: u64) -> String {
    format!("connection-{seq}")
}

/// `channel-{seq}` (ibc-go `FormatChannelIdentifier`).
pub fn channel_id(seq: u64) -> String {
    format!("channel-{seq}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_ics24() {
        assert!(validate_client_id("07-tendermint-0").is_ok());
        assert!(validate_client_id("short").is_err());
        assert!(validate_connection_id("connection-12").is_ok());
        assert!(validate_channel_id("channel-0").is_ok());
        assert!(validate_channel_id("chan/0xx").is_err());
        assert!(validate_port_id("transfer").is_ok());
        assert!(validate_port_id("t").is_err());
        assert!(validate_port_id("a b").is_err());
        assert!(validate_port_id(&"p".repeat(129)).is_err());
        assert_eq!(client_id(3), "07-tendermint-3");
    }

    #[test]
    fn an_identifier_newtype_exists_only_for_a_valid_id_and_reads_as_its_text() {
        let chan = ChannelId::parse("channel-7").unwrap();
        assert_eq!(chan, "channel-7");
        assert_eq!(chan.as_str(), "channel-7");
        assert_eq!(format!("{chan}"), "channel-7");
        assert_eq!(String::from(chan.clone()), "channel-7".to_string());
        assert!(chan.starts_with("channel-")); // str methods through Deref
                                               // A path segment separator, a too-short port and an over-long client id never parse:
                                               // a handler holding one of these types never sees them.
        let e = ChannelId::parse("channel/7").unwrap_err();
        assert_eq!(hub_framework::ModuleError::from(e).codespace, "host");
        assert!(PortId::parse("t").is_err());
        assert!(ClientId::parse(&"c".repeat(65)).is_err());
        assert!(ConnectionId::parse("connection-0").is_ok());
    }
}
