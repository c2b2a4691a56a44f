//! One file per message: `check_stateless`, then `check_and_execute`.

mod transfer;
mod update_params;

pub use transfer::send_transfer;
