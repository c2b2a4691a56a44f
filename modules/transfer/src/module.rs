//! Genesis of the transfer module (ibc-go `GenesisState`, as JSON).

use crate::{
    bank::ensure_voucher_metadata,
    denom::{parse_amount, trace_hash, validate_trace, DenomTrace, PORT_ID},
    forward::{all_in_flight, put_in_flight, InFlightPacket},
    TransferError, TransferRead, TransferWrite,
};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    BeginBlocker, BlockCtx, GenesisCtx, Handled, Module, ModuleError,
};
use ibc_proto::ibc::applications::transfer::v1::Params;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The transfer module.
pub struct Transfer;

/// `app_state.transfer.denom_traces[i]`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DenomTraceJson {
    /// `port/channel` pairs, e.g. `transfer/channel-0` (empty for a native denom).
    pub path: String,
    /// The denom on its origin chain, e.g. `uatom`.
    pub base_denom: String,
}

/// `app_state.transfer.params`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ParamsJson {
    /// `MsgTransfer` allowed.
    pub send_enabled: bool,
    /// Incoming packets accepted (else error acknowledgements, `transfer`/8).
    pub receive_enabled: bool,
}

impl Default for ParamsJson {
    fn default() -> Self {
        ParamsJson {
            send_enabled: true,
            receive_enabled: true,
        }
    }
}

/// A coin with a decimal string amount (`{"denom":"uhub","amount":"100"}`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EscrowJson {
    /// Denom on this chain (`uhub`, `ibc/{HASH}`).
    pub denom: String,
    /// Total escrowed over every channel, in the smallest unit.
    pub amount: String,
}

/// `app_state.transfer`, field for field ibc-go's `GenesisState` JSON.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TransferGenesis {
    /// The bound port; must be `transfer`.
    #[serde(default = "default_port")]
    pub port_id: String,
    /// Known denom traces (for vouchers in circulation).
    #[serde(default)]
    pub denom_traces: Vec<DenomTraceJson>,
    /// Params.
    #[serde(default)]
    pub params: ParamsJson,
    /// Total escrow per denom, sorted by denom without duplicates (as `sdk.Coins`).
    #[serde(default)]
    pub total_escrowed: Vec<EscrowJson>,
    /// Forwards awaiting their downstream acknowledgement, by `{channel}/{port}/{sequence}` of
    /// the forwarded packet (packet-forward-middleware's `in_flight_packets`; omitted when
    /// empty, so the section stays ibc-go's otherwise).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub in_flight_packets: BTreeMap<String, InFlightPacket>,
}

fn default_port() -> String {
    PORT_ID.to_string()
}

impl Default for TransferGenesis {
    fn default() -> Self {
        TransferGenesis {
            port_id: default_port(),
            denom_traces: vec![],
            params: ParamsJson::default(),
            total_escrowed: vec![],
            in_flight_packets: BTreeMap::new(),
        }
    }
}

/// `{channel}/{port}/{sequence}` with valid ids and a sequence ≥ 1.
fn parse_in_flight_key(key: &str) -> Option<(&str, &str, u64)> {
    let mut parts = key.split('/');
    let (channel, port, seq) = (parts.next()?, parts.next()?, parts.next()?);
    let valid = parts.next().is_none()
        && hub_ibc::identifier::validate_channel_id(channel).is_ok()
        && hub_ibc::identifier::validate_port_id(port).is_ok();
    let seq: u64 = seq.parse().ok().filter(|n| *n > 0)?;
    valid.then_some((channel, port, seq))
}

fn bad(field: String, e: impl std::fmt::Display) -> ModuleError {
    TransferError::InvalidGenesis(format!("{field}: {e}")).into()
}

impl BeginBlocker for Transfer {
    /// Sends the queued transfers that now fit (see [`crate::handler::release_queued`]) and
    /// credits the queued receives that do (see [`crate::TransferApp::release_queued_receives`]).
    async fn begin_block<S: StateWrite>(s: &mut S, ctx: &BlockCtx) -> Handled {
        crate::handler::release_queued(&hub_bank::Keeper, s, ctx).await?;
        crate::TransferApp::new()
            .release_queued_receives(s, ctx)
            .await
    }
}

impl Module for Transfer {
    const NAME: &'static str = "transfer";
    type Genesis = TransferGenesis;

    /// Stores the port, params, denom traces (with bank metadata for their vouchers, as
    /// ibc-go) and total escrows.
    ///
    /// Errors: `transfer`/100 naming the field: a port other than `transfer`, an invalid or
    /// duplicate trace, an escrow with a bad denom, a zero or non-u128 amount, or escrows not
    /// sorted by denom / repeated.
    async fn init_genesis<S: StateWrite>(
        s: &mut S,
        _ctx: &GenesisCtx,
        g: &TransferGenesis,
    ) -> Handled {
        if g.port_id != PORT_ID {
            return Err(bad(
                "app_state.transfer.port_id".into(),
                format!("must be {PORT_ID:?}, got {:?}", g.port_id),
            ));
        }
        s.put_port(&g.port_id);
        s.put_params(&Params {
            send_enabled: g.params.send_enabled,
            receive_enabled: g.params.receive_enabled,
        });
        let mut seen: Vec<[u8; 32]> = Vec::new();
        for (i, t) in g.denom_traces.iter().enumerate() {
            let field = format!("app_state.transfer.denom_traces[{i}]");
            let trace = DenomTrace {
                path: t.path.clone(),
                base_denom: t.base_denom.clone(),
            };
            validate_trace(&trace).map_err(|e| bad(field.clone(), e.log))?;
            let hash = trace_hash(&trace);
            if seen.contains(&hash) {
                return Err(bad(field, "duplicated denomination trace"));
            }
            seen.push(hash);
            s.put_denom_trace(&trace);
            if !trace.path.is_empty() {
                ensure_voucher_metadata(s, &trace).await?;
            }
        }
        let mut last: Option<&str> = None;
        for (i, c) in g.total_escrowed.iter().enumerate() {
            let field = format!("app_state.transfer.total_escrowed[{i}]");
            hub_bank::validate_denom(&c.denom).map_err(|e| bad(field.clone(), e))?;
            if last.is_some_and(|l| l >= c.denom.as_str()) {
                return Err(bad(field, "must be sorted by denom without duplicates"));
            }
            last = Some(&c.denom);
            let amount = parse_amount(&c.amount)
                .map_err(|e| bad(format!("{field}.amount"), e.describe(&c.amount)))?;
            s.put_total_escrow(&c.denom, amount);
        }
        for (key, f) in &g.in_flight_packets {
            let field = format!("app_state.transfer.in_flight_packets[{key:?}]");
            let (channel, port, sequence) = parse_in_flight_key(key)
                .ok_or_else(|| bad(field.clone(), "key must be {channel}/{port}/{sequence}"))?;
            f.original().map_err(|e| bad(field, e.log))?;
            put_in_flight(s, channel, port, sequence, f);
        }
        Ok(())
    }

    async fn export_genesis<S: StateRead>(s: &S) -> Result<TransferGenesis, ModuleError> {
        let params = s.params().await?;
        Ok(TransferGenesis {
            port_id: s.port().await?.unwrap_or_else(default_port),
            denom_traces: s
                .all_denom_traces()
                .await?
                .into_iter()
                .map(|t| DenomTraceJson {
                    path: t.path,
                    base_denom: t.base_denom,
                })
                .collect(),
            params: ParamsJson {
                send_enabled: params.send_enabled,
                receive_enabled: params.receive_enabled,
            },
            total_escrowed: s
                .all_total_escrow()
                .await?
                .into_iter()
                .map(|(denom, amount)| EscrowJson {
                    denom,
                    amount: amount.to_string(),
                })
                .collect(),
            in_flight_packets: all_in_flight(s).await?.into_iter().collect(),
        })
    }
}
