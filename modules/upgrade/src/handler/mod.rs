//! Message handlers of the upgrade module.

mod cancel_upgrade;
mod software_upgrade;
