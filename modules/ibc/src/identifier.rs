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
}
