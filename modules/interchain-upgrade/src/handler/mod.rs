//! Message handlers of the interchain-upgrade module.

mod confirm_applied;
mod dispatch_upgrade;
mod register_spoke;
mod update_params;
