//! One file per message: `check_stateless`, then `check_and_execute`.

mod multi_send;
mod send;
