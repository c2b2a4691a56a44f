//! Upgrade errors (codespace `upgrade`).

use hub_framework::AbciCode;

/// Failures of the upgrade module. Codes are stable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UpgradeError {
    /// The plan's height is not in the future (code 2, as `x/upgrade` `ErrUpgradeScheduled`).
    #[error("upgrade cannot be scheduled in the past: {0}")]
    HeightNotInFuture(String),
    /// A plan of this name was already applied (code 3, as `ErrUpgradeCompleted`).
    #[error("upgrade has already been completed: {0}")]
    AlreadyApplied(String),
    /// The plan is malformed: name, height or info (code 100).
    #[error("invalid upgrade plan: {0}")]
    InvalidPlan(String),
    /// The signer is not the gov module account (code 101).
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Another plan is already scheduled and may not be replaced here (code 102).
    #[error("an upgrade plan is already scheduled: {0}")]
    PlanScheduled(String),
    /// A genesis field is invalid (code 103).
    #[error("invalid upgrade genesis: {0}")]
    InvalidGenesis(String),
}

impl AbciCode for UpgradeError {
    fn codespace(&self) -> &'static str {
        "upgrade"
    }
    fn code(&self) -> u32 {
        match self {
            UpgradeError::HeightNotInFuture(_) => 2,
            UpgradeError::AlreadyApplied(_) => 3,
            UpgradeError::InvalidPlan(_) => 100,
            UpgradeError::Unauthorized(_) => 101,
            UpgradeError::PlanScheduled(_) => 102,
            UpgradeError::InvalidGenesis(_) => 103,
        }
    }
}
