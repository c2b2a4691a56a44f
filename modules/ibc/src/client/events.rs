//! ICS-02 events with ibc-go v8's types and attribute keys (`02-client/types/events.go`,
//! `02-client/keeper/events.go`). Relayers (Hermes) find client updates by these.

use crate::identifier::TENDERMINT_CLIENT_TYPE;
use crate::Height;
use hub_framework::TypedEvent;

/// `create_client { client_id, client_type, consensus_height }`.
pub struct CreateClient {
    /// The new client's id (`07-tendermint-N`).
    pub client_id: String,
    /// The client's latest height, the height of its first consensus state.
    pub consensus_height: Height,
}

impl TypedEvent for CreateClient {
    const TYPE: &'static str = "create_client";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("client_id", self.client_id.clone()),
            ("client_type", TENDERMINT_CLIENT_TYPE.into()),
            ("consensus_height", self.consensus_height.to_string()),
        ]
    }
}

/// `update_client { client_id, client_type, consensus_height, consensus_heights, header }`.
pub struct UpdateClient {
    /// The updated client.
    pub client_id: String,
    /// The consensus heights written (one for a header); `consensus_height` is the first, or
    /// empty.
    pub consensus_heights: Vec<Height>,
    /// The client message as an `Any`, protobuf-encoded; emitted as lower-case hex.
    pub header: Vec<u8>,
}

impl TypedEvent for UpdateClient {
    const TYPE: &'static str = "update_client";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        let first = self
            .consensus_heights
            .first()
            .map(|h| h.to_string())
            .unwrap_or_default();
        let all: Vec<String> = self
            .consensus_heights
            .iter()
            .map(|h| h.to_string())
            .collect();
        vec![
            ("client_id", self.client_id.clone()),
            ("client_type", TENDERMINT_CLIENT_TYPE.into()),
            ("consensus_height", first),
            ("consensus_heights", all.join(",")),
            ("header", hex::encode(&self.header)),
        ]
    }
}

/// `upgrade_client { client_id, client_type, consensus_height }`.
pub struct UpgradeClient {
    /// The upgraded client.
    pub client_id: String,
    /// The upgraded client's latest height.
    pub consensus_height: Height,
}

impl TypedEvent for UpgradeClient {
    const TYPE: &'static str = "upgrade_client";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("client_id", self.client_id.clone()),
            ("client_type", TENDERMINT_CLIENT_TYPE.into()),
            ("consensus_height", self.consensus_height.to_string()),
        ]
    }
}

/// `client_misbehaviour { client_id, client_type }`: the client was frozen.
pub struct ClientMisbehaviour {
    /// The frozen client.
    pub client_id: String,
}

impl TypedEvent for ClientMisbehaviour {
    const TYPE: &'static str = "client_misbehaviour";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("client_id", self.client_id.clone()),
            ("client_type", TENDERMINT_CLIENT_TYPE.into()),
        ]
    }
}

/// `recover_client { subject_client_id, client_type }`.
pub struct RecoverClient {
    /// The recovered (subject) client.
    pub subject_client_id: String,
}

impl TypedEvent for RecoverClient {
    const TYPE: &'static str = "recover_client";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("subject_client_id", self.subject_client_id.clone()),
            ("client_type", TENDERMINT_CLIENT_TYPE.into()),
        ]
    }
}
