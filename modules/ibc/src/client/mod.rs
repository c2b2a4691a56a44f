//! ICS-02 client registry and the 07-tendermint light client.

pub mod batch;
pub mod ed25519;
pub mod events;
pub mod handler;
pub mod header;
pub mod msgs;
pub mod state;
pub mod types;
pub mod update;
pub mod verify;

pub use header::{Header, Misbehaviour, HEADER_TYPE_URL, MISBEHAVIOUR_TYPE_URL};
pub use msgs::{
    module_address, MsgCreateClient, MsgRecoverClient, MsgSubmitMisbehaviour, MsgUpdateClient,
    MsgUpgradeClient, Signer, GOV_AUTHORITY_MODULE,
};
pub use state::{ClientRead, ClientWrite};
pub use types::{ClientState, ConsensusState, Status};
pub use update::{update_client, ClientMessage, UpdateOutcome, FROZEN_HEIGHT};
pub use verify::{verify_membership, verify_non_membership, ProofContext};
