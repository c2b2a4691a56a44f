//! One file per message: `check_stateless`, then `check_and_execute`.

mod transfer;

pub use transfer::send_transfer;
