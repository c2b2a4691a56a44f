//! Genesis of the interchain-upgrade module.

use crate::{InterchainUpgradeError, InterchainUpgradeRead, InterchainUpgradeWrite, Params};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    GenesisCtx, Module, ModuleError,
};
use serde::{Deserialize, Serialize};

/// The module name: substore, codespace.
pub const NAME: &str = "interchain-upgrade";

/// The interchain-upgrade module.
pub struct InterchainUpgrade;

/// `app_state.interchain_upgrade.params`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ParamsJson {
    /// On a spoke, the hub's chain id (e.g. `hub-1`); empty on the hub.
    #[serde(default)]
    pub hub_chain_id: String,
    /// Minimum distance in blocks from the spoke's height to a plan's height (string u64).
    pub min_upgrade_delay: String,
    /// Lifetime of an upgrade packet as `"<seconds>s"`, after the hub's block time.
    pub packet_timeout: String,
}

impl Default for ParamsJson {
    fn default() -> Self {
        ParamsJson {
            hub_chain_id: String::new(),
            min_upgrade_delay: "20".into(),
            packet_timeout: "600s".into(),
        }
    }
}

/// `app_state.interchain_upgrade`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InterchainUpgradeGenesis {
    /// Params.
    #[serde(default)]
    pub params: ParamsJson,
    /// Plan names a spoke has accepted, with the spoke height (never cleared: no replay,
    /// also across export / import).
    #[serde(default)]
    pub consumed: Vec<ConsumedJson>,
}

/// One consumed plan name.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConsumedJson {
    /// Plan name.
    pub name: String,
    /// Spoke height it was accepted at (string u64).
    pub height: String,
}

fn invalid(m: String) -> ModuleError {
    InterchainUpgradeError::InvalidGenesis(m).into()
}

impl Module for InterchainUpgrade {
    const NAME: &'static str = NAME;
    type Genesis = InterchainUpgradeGenesis;

    /// Errors: `interchain-upgrade`/10 naming the field.
    async fn init_genesis<S: StateWrite>(
        s: &mut S,
        _ctx: &GenesisCtx,
        g: &InterchainUpgradeGenesis,
    ) -> Result<(), ModuleError> {
        let p = &g.params;
        let delay: u64 = p.min_upgrade_delay.parse().map_err(|_| {
            invalid(format!(
                "app_state.interchain_upgrade.params.min_upgrade_delay: {:?} is not a block count",
                p.min_upgrade_delay
            ))
        })?;
        let timeout_s = p
            .packet_timeout
            .strip_suffix('s')
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|v| *v > 0 && *v < u64::MAX / 1_000_000_000)
            .ok_or_else(|| {
                invalid(format!(
                    "app_state.interchain_upgrade.params.packet_timeout: {:?} is not a positive duration like \"600s\"",
                    p.packet_timeout
                ))
            })?;
        s.put_iu_params(&Params {
            hub_chain_id: p.hub_chain_id.clone(),
            min_upgrade_delay: delay,
            packet_timeout_ns: timeout_s * 1_000_000_000,
        });
        for (i, c) in g.consumed.iter().enumerate() {
            let h: u64 = c.height.parse().map_err(|_| {
                invalid(format!(
                    "app_state.interchain_upgrade.consumed[{i}].height: {:?} is not a height",
                    c.height
                ))
            })?;
            s.put_consumed(&c.name, h);
        }
        Ok(())
    }

    async fn export_genesis<S: StateRead>(s: &S) -> Result<InterchainUpgradeGenesis, ModuleError> {
        let p = s.iu_params().await?;
        Ok(InterchainUpgradeGenesis {
            params: ParamsJson {
                hub_chain_id: p.hub_chain_id,
                min_upgrade_delay: p.min_upgrade_delay.to_string(),
                packet_timeout: format!("{}s", p.packet_timeout_ns / 1_000_000_000),
            },
            consumed: s
                .consumed_plans()
                .await?
                .into_iter()
                .map(|(name, h)| ConsumedJson {
                    name,
                    height: h.to_string(),
                })
                .collect(),
        })
    }
}
