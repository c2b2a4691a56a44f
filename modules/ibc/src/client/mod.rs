//! ICS-02 client registry and the 07-tendermint light client.

pub mod state;
pub mod types;
pub mod verify;

pub use state::{ClientRead, ClientWrite};
pub use types::{ClientState, ConsensusState, Status};
pub use verify::{verify_membership, verify_non_membership, ProofContext};
