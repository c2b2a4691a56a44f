//! Genesis and the begin-block prune of the circuit breaker.

use crate::{
    msgs::validate_params, state::default_params, CircuitError, CircuitRead, CircuitWrite,
    MAX_PAUSES,
};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    BeginBlocker, BlockCtx, GenesisCtx, Handled, Module, ModuleError,
};
use hub_proto::circuit::v1::{Params, Pause};
use serde::{Deserialize, Serialize};

/// The circuit-breaker module.
pub struct Circuit;

/// `app_state.circuit.params`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ParamsJson {
    /// The guardian's address (empty: governance only).
    #[serde(default)]
    pub guardian: String,
    /// The longest pause in seconds (a string, as proto3 JSON writes uint64).
    pub max_pause_seconds: String,
}

impl Default for ParamsJson {
    fn default() -> Self {
        let p = default_params();
        ParamsJson {
            guardian: p.guardian,
            max_pause_seconds: p.max_pause_seconds.to_string(),
        }
    }
}

/// `app_state.circuit.pauses[i]`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PauseJson {
    /// `channel-N` or empty.
    #[serde(default)]
    pub channel_id: String,
    /// Denom or empty.
    #[serde(default)]
    pub denom: String,
    /// Unix ns of block time (string).
    pub expires_at: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
    /// Who.
    #[serde(default)]
    pub paused_by: String,
}

/// `app_state.circuit`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CircuitGenesis {
    /// Guardian and longest pause.
    pub params: ParamsJson,
    /// Pauses in force.
    pub pauses: Vec<PauseJson>,
}

fn bad(field: String, e: impl std::fmt::Display) -> ModuleError {
    CircuitError::InvalidGenesis(format!("{field}: {e}")).into()
}

impl Module for Circuit {
    const NAME: &'static str = crate::NAME;
    type Genesis = CircuitGenesis;

    /// Errors: `circuit`/7 naming the field: bad params, a bad integer, more than
    /// [`MAX_PAUSES`] pauses.
    async fn init_genesis<S: StateWrite>(
        s: &mut S,
        ctx: &GenesisCtx,
        g: &CircuitGenesis,
    ) -> Handled {
        let f = |n: &str| format!("app_state.circuit.{n}");
        let params = Params {
            guardian: g.params.guardian.clone(),
            max_pause_seconds: g
                .params
                .max_pause_seconds
                .parse()
                .map_err(|e| bad(f("params.max_pause_seconds"), e))?,
        };
        validate_params(&params, &ctx.bech32_prefix).map_err(|e| bad(f("params"), e))?;
        s.put_circuit_params(&params);
        if g.pauses.len() > MAX_PAUSES {
            return Err(bad(f("pauses"), format!("at most {MAX_PAUSES}")));
        }
        for (i, p) in g.pauses.iter().enumerate() {
            s.put_pause(&Pause {
                channel_id: p.channel_id.clone(),
                denom: p.denom.clone(),
                expires_at: p
                    .expires_at
                    .parse()
                    .map_err(|e| bad(f(&format!("pauses[{i}].expires_at")), e))?,
                reason: p.reason.clone(),
                paused_by: p.paused_by.clone(),
            })
            .await?;
        }
        Ok(())
    }

    async fn export_genesis<S: StateRead>(s: &S) -> Result<CircuitGenesis, ModuleError> {
        let p = s.circuit_params().await?;
        Ok(CircuitGenesis {
            params: ParamsJson {
                guardian: p.guardian,
                max_pause_seconds: p.max_pause_seconds.to_string(),
            },
            pauses: s
                .pauses()
                .await?
                .into_iter()
                .map(|(_, p)| PauseJson {
                    channel_id: p.channel_id,
                    denom: p.denom,
                    expires_at: p.expires_at.to_string(),
                    reason: p.reason,
                    paused_by: p.paused_by,
                })
                .collect(),
        })
    }
}

impl BeginBlocker for Circuit {
    /// Deletes the pauses whose expiry has come (at most [`MAX_PAUSES`] to look at; one
    /// read when there is none).
    async fn begin_block<S: StateWrite>(s: &mut S, ctx: &BlockCtx) -> Handled {
        if s.paused_until().await?.is_none() {
            return Ok(());
        }
        let now = u64::try_from(ctx.time.unix_timestamp_nanos()).unwrap_or(0);
        for (_, p) in s.pauses().await? {
            if now >= p.expires_at {
                s.delete_pause(&p.channel_id, &p.denom).await?;
            }
        }
        Ok(())
    }
}
