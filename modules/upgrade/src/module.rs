//! Genesis and the pre-block decision of the upgrade module.

use crate::{UpgradeApplied, UpgradeError, UpgradeRead, UpgradeWrite};
use cosmos_sdk_proto::cosmos::upgrade::v1beta1::Plan;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    BlockCtx, GenesisCtx, Handled, Module, ModuleError, StateEventExt,
};
use serde::{Deserialize, Serialize};

/// The upgrade module.
pub struct Upgrade;

/// `app_state.upgrade[.plan]` / `[.applied]` entries.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PlanJson {
    /// Plan name.
    pub name: String,
    /// Height (string-encoded, as Cosmos JSON int64).
    pub height: String,
    /// Plan info.
    #[serde(default)]
    pub info: String,
}

/// `app_state.upgrade`: the scheduled plan and the applied ones (export / import keeps
/// "no replay" across a restart from genesis).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct UpgradeGenesis {
    /// The scheduled plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanJson>,
    /// Applied plans (`height` = the height applied at).
    #[serde(default)]
    pub applied: Vec<PlanJson>,
}

fn height_of(field: &str, s: &str) -> Result<i64, ModuleError> {
    s.parse::<i64>().ok().filter(|h| *h > 0).ok_or_else(|| {
        UpgradeError::InvalidGenesis(format!("{field}: {s:?} is not a positive height")).into()
    })
}

impl Module for Upgrade {
    const NAME: &'static str = "upgrade";
    type Genesis = UpgradeGenesis;

    /// Errors: `upgrade`/103 for a bad height, `upgrade`/100 for a bad plan.
    async fn init_genesis<S: StateWrite>(
        s: &mut S,
        _ctx: &GenesisCtx,
        g: &UpgradeGenesis,
    ) -> Handled {
        for (i, a) in g.applied.iter().enumerate() {
            let h = height_of(&format!("app_state.upgrade.applied[{i}].height"), &a.height)?;
            s.put_applied(&a.name, h as u64);
        }
        if let Some(p) = &g.plan {
            let plan = Plan {
                name: p.name.clone(),
                height: height_of("app_state.upgrade.plan.height", &p.height)?,
                info: p.info.clone(),
                ..Default::default()
            };
            s.schedule_plan(&plan, 0, false).await?;
        }
        Ok(())
    }

    async fn export_genesis<S: StateRead>(s: &S) -> Result<UpgradeGenesis, ModuleError> {
        Ok(UpgradeGenesis {
            plan: s.upgrade_plan().await?.map(|p| PlanJson {
                name: p.name,
                height: p.height.to_string(),
                info: p.info,
            }),
            applied: s
                .applied_plans()
                .await?
                .into_iter()
                .map(|(name, h)| PlanJson {
                    name,
                    height: h.to_string(),
                    info: String::new(),
                })
                .collect(),
        })
    }
}

/// The migration handlers a binary was built with (the runtime implements it).
pub trait Migrations: Sync {
    /// True if this binary can migrate to the plan `name`.
    fn has_handler(&self, name: &str) -> bool;

    /// Runs the migration of `name` on the block's state (before its transactions).
    /// An error halts the node: a migration that fails is a bug of the release.
    async fn migrate<S: StateWrite>(&self, s: &mut S, ctx: &BlockCtx, name: &str) -> Handled;
}

/// The plan `name` is due at `height` and this binary has no handler for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpgradeNeeded {
    /// Plan name.
    pub name: String,
    /// Plan height (the block that was not executed).
    pub height: u64,
    /// Plan info.
    pub info: String,
}

impl UpgradeNeeded {
    /// The contents of `data/upgrade-info.json` that cosmovisor watches:
    /// `{"name":…,"height":…,"info":…}`.
    pub fn upgrade_info_json(&self) -> String {
        serde_json::json!({
            "name": self.name,
            "height": self.height,
            "info": self.info,
        })
        .to_string()
    }
}

impl std::fmt::Display for UpgradeNeeded {
    /// The Cosmos SDK's halt line, which operators and tools grep for.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "UPGRADE \"{}\" NEEDED at height {}: {}",
            self.name, self.height, self.info
        )
    }
}

impl std::error::Error for UpgradeNeeded {}

/// Why a node must stop before executing a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Halt {
    /// The plan is due and this binary cannot apply it: switch binaries.
    Needed(UpgradeNeeded),
    /// This binary carries the handler of a plan whose height is not reached yet: it is the
    /// new release started too early; run the old one until the plan height.
    BinaryTooNew {
        /// Plan name.
        name: String,
        /// Plan height.
        height: u64,
        /// Current block.
        current: u64,
    },
}

impl std::fmt::Display for Halt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Halt::Needed(n) => n.fmt(f),
            Halt::BinaryTooNew { name, height, current } => write!(
                f,
                "BINARY UPDATED BEFORE TRIGGER! UPGRADE \"{name}\" is planned at height {height}, but this binary already applies it and the chain is at height {current}: run the previous binary until then"
            ),
        }
    }
}

impl std::error::Error for Halt {}

/// What [`pre_block`] decided for the block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreBlock {
    /// No plan due: execute the block.
    Continue,
    /// The plan `name` was applied (handler ran, `applied/{name}` written): execute the block.
    Applied(String),
    /// Do not execute the block: stop the node.
    Halt(Halt),
}

/// The upgrade decision at the start of block `ctx.height`, before any other hook.
///
/// With the plan due (`ctx.height == plan.height`, or past it after an import): apply it if
/// `m` has its handler (run the migration, write `applied/{name}` = height and
/// `migrations/{name}`, clear the plan, emit `upgrade_applied`), else halt with
/// [`Halt::Needed`]. With the plan ahead and a handler present: [`Halt::BinaryTooNew`].
///
/// Errors: a failing migration (the node must stop), storage faults.
pub async fn pre_block<S: StateWrite, M: Migrations>(
    s: &mut S,
    ctx: &BlockCtx,
    m: &M,
) -> Result<PreBlock, ModuleError> {
    let Some(plan) = s.upgrade_plan().await? else {
        return Ok(PreBlock::Continue);
    };
    let height = u64::try_from(plan.height).unwrap_or(0);
    if ctx.height < height {
        if m.has_handler(&plan.name) {
            return Ok(PreBlock::Halt(Halt::BinaryTooNew {
                name: plan.name,
                height,
                current: ctx.height,
            }));
        }
        return Ok(PreBlock::Continue);
    }
    if !m.has_handler(&plan.name) {
        return Ok(PreBlock::Halt(Halt::Needed(UpgradeNeeded {
            name: plan.name,
            height,
            info: plan.info,
        })));
    }
    m.migrate(s, ctx, &plan.name).await?;
    s.put_migration(&plan.name, ctx.height);
    s.put_applied(&plan.name, ctx.height);
    s.clear_plan();
    s.emit(&UpgradeApplied {
        name: plan.name.clone(),
        height: ctx.height,
    });
    Ok(PreBlock::Applied(plan.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hub_framework::cnidarium::{StateDelta, TempStorage};

    struct Knows(&'static [&'static str]);

    impl Migrations for Knows {
        fn has_handler(&self, name: &str) -> bool {
            self.0.contains(&name)
        }
        async fn migrate<S: StateWrite>(&self, s: &mut S, _ctx: &BlockCtx, name: &str) -> Handled {
            s.put_raw(format!("upgrade/test-migrated/{name}"), vec![1]);
            Ok(())
        }
    }

    fn block(height: u64) -> BlockCtx {
        BlockCtx {
            chain_id: "spoke-a-1".into(),
            height,
            time: tendermint::Time::unix_epoch(),
        }
    }

    const INFO: &str = r#"{"binaries":{"linux/amd64":"file:///s?checksum=sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}"#;

    async fn state_with_plan(
        h: i64,
    ) -> (TempStorage, StateDelta<hub_framework::cnidarium::Snapshot>) {
        let storage = TempStorage::new_with_prefixes(vec!["upgrade".into()])
            .await
            .unwrap();
        let mut s = StateDelta::new(storage.latest_snapshot());
        let plan = Plan {
            name: "v2".into(),
            height: h,
            info: INFO.into(),
            ..Default::default()
        };
        s.schedule_plan(&plan, 1, false).await.unwrap();
        (storage, s)
    }

    #[tokio::test]
    async fn an_old_binary_halts_exactly_at_the_plan_height() {
        let (_st, mut s) = state_with_plan(10).await;
        let old = Knows(&[]);
        assert_eq!(
            pre_block(&mut s, &block(9), &old).await.unwrap(),
            PreBlock::Continue
        );
        let PreBlock::Halt(Halt::Needed(n)) = pre_block(&mut s, &block(10), &old).await.unwrap()
        else {
            panic!("expected a halt")
        };
        assert_eq!(
            n.to_string(),
            format!("UPGRADE \"v2\" NEEDED at height 10: {INFO}")
        );
        let json: serde_json::Value = serde_json::from_str(&n.upgrade_info_json()).unwrap();
        assert_eq!(
            (json["name"].as_str(), json["height"].as_u64()),
            (Some("v2"), Some(10))
        );
        // the halt writes nothing: the plan stays for the new binary
        assert!(s.upgrade_plan().await.unwrap().is_some());
        assert_eq!(s.applied_height("v2").await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_new_binary_refuses_to_run_early_and_applies_once_at_the_height() {
        let (_st, mut s) = state_with_plan(10).await;
        let new = Knows(&["v2"]);
        assert!(matches!(
            pre_block(&mut s, &block(9), &new).await.unwrap(),
            PreBlock::Halt(Halt::BinaryTooNew {
                height: 10,
                current: 9,
                ..
            })
        ));
        assert_eq!(
            pre_block(&mut s, &block(10), &new).await.unwrap(),
            PreBlock::Applied("v2".into())
        );
        assert_eq!(s.applied_height("v2").await.unwrap(), Some(10));
        assert!(s
            .get_raw("upgrade/test-migrated/v2")
            .await
            .unwrap()
            .is_some());
        assert!(s.upgrade_plan().await.unwrap().is_none());
        // once applied, the next block runs normally and the name cannot be scheduled again
        assert_eq!(
            pre_block(&mut s, &block(11), &new).await.unwrap(),
            PreBlock::Continue
        );
        let again = Plan {
            name: "v2".into(),
            height: 50,
            info: INFO.into(),
            ..Default::default()
        };
        let e = s.schedule_plan(&again, 11, true).await.unwrap_err();
        assert_eq!((e.codespace, e.code), ("upgrade", 3));
    }

    #[tokio::test]
    async fn plans_in_the_past_or_over_another_are_refused() {
        let (_st, mut s) = state_with_plan(10).await;
        let other = Plan {
            name: "v3".into(),
            height: 20,
            info: INFO.into(),
            ..Default::default()
        };
        let e = s.schedule_plan(&other, 5, false).await.unwrap_err();
        assert_eq!((e.codespace, e.code), ("upgrade", 102));
        let past = Plan {
            name: "v3".into(),
            height: 5,
            info: INFO.into(),
            ..Default::default()
        };
        let e = s.schedule_plan(&past, 5, true).await.unwrap_err();
        assert_eq!((e.codespace, e.code), ("upgrade", 2));
    }
}
