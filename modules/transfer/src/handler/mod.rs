//! One file per message: `check_stateless`, then `check_and_execute`.

mod transfer;
mod update_params;

pub use transfer::{release_queued, send_transfer};
