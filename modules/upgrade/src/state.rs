//! Typed access to upgrade state.

use crate::{state_key, UpgradeError};
use cosmos_sdk_proto::cosmos::upgrade::v1beta1::Plan;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError, StateReadProto, StateWriteProto,
};

/// Reads of upgrade state.
pub trait UpgradeRead: StateRead {
    /// The scheduled plan, if any.
    async fn upgrade_plan(&self) -> Result<Option<Plan>, ModuleError> {
        self.get_proto(state_key::PLAN).await
    }

    /// The height `name` was applied at, if it was.
    async fn applied_height(&self, name: &str) -> Result<Option<u64>, ModuleError> {
        self.get_u64(&state_key::applied(name)).await
    }

    /// Every applied plan as `(name, height)`, in name order.
    async fn applied_plans(&self) -> Result<Vec<(String, u64)>, ModuleError> {
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(state_key::APPLIED_PREFIX).await? {
            let name = key
                .trim_start_matches(state_key::APPLIED_PREFIX)
                .to_string();
            let h = <[u8; 8]>::try_from(value.as_slice())
                .map(u64::from_be_bytes)
                .map_err(|_| ModuleError::internal(format!("corrupt u64 at {key}")))?;
            out.push((name, h));
        }
        Ok(out)
    }
}

impl<T: StateRead + ?Sized> UpgradeRead for T {}

/// Writes of upgrade state.
pub trait UpgradeWrite: StateWrite {
    /// Schedules `plan` at block height `current` (the block executing now).
    ///
    /// `replace` allows replacing a scheduled plan (governance may, as in the SDK); the
    /// interchain receiver passes `false`.
    ///
    /// Errors: `upgrade`/100 malformed plan, `upgrade`/2 height ≤ `current`, `upgrade`/3 name
    /// already applied, `upgrade`/102 another plan scheduled and `replace` is false.
    async fn schedule_plan(&mut self, plan: &Plan, current: u64, replace: bool) -> Handled {
        crate::plan::validate_plan(&plan.name, plan.height, &plan.info)?;
        if plan.height <= 0 || (plan.height as u64) <= current {
            return Err(UpgradeError::HeightNotInFuture(format!(
                "plan height {} is not above the current height {current}",
                plan.height
            ))
            .into());
        }
        if let Some(h) = self.applied_height(&plan.name).await? {
            return Err(UpgradeError::AlreadyApplied(format!(
                "{:?} was applied at height {h}",
                plan.name
            ))
            .into());
        }
        if let Some(p) = self.upgrade_plan().await? {
            if !replace {
                return Err(UpgradeError::PlanScheduled(format!(
                    "{:?} at height {}",
                    p.name, p.height
                ))
                .into());
            }
        }
        self.put_proto(state_key::PLAN.to_string(), plan);
        hub_framework::StateEventExt::emit(
            self,
            &crate::UpgradeScheduled {
                name: plan.name.clone(),
                height: plan.height,
                info: plan.info.clone(),
            },
        );
        Ok(())
    }

    /// Removes the scheduled plan (no-op if none).
    fn clear_plan(&mut self) {
        self.delete(state_key::PLAN.to_string());
    }

    /// Records that `name` was applied at `height`.
    fn put_applied(&mut self, name: &str, height: u64) {
        self.put_u64(state_key::applied(name), height);
    }

    /// Records that the migration handler of `name` ran at `height`.
    fn put_migration(&mut self, name: &str, height: u64) {
        self.put_u64(state_key::migration(name), height);
    }
}

impl<T: StateWrite + ?Sized> UpgradeWrite for T {}
