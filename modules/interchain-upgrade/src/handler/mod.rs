//! Message handlers of the interchain-upgrade module.

mod confirm_applied;
mod dispatch_upgrade;
mod update_params;
