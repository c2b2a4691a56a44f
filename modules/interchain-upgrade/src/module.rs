//! Genesis of the interchain-upgrade module.

use crate::{InterchainUpgradeError, InterchainUpgradeRead, InterchainUpgradeWrite, Params};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    GenesisCtx, Handled, Module, ModuleError,
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
#[serde(default, deny_unknown_fields)]
pub struct InterchainUpgradeGenesis {
    /// Params.
    pub params: ParamsJson,
    /// Plan names a spoke has accepted, with the spoke height (never cleared: no replay,
    /// also across export / import).
    pub consumed: Vec<ConsumedJson>,
    /// On a spoke, its trust root: the hub's light-client state and consensus state, checked
    /// by the spoke's validators against the hub before they sign genesis (as Interchain
    /// Security's consumer genesis carries the provider's). InitChain creates the client
    /// (`07-tendermint-0`, the first client of a new chain) and pins it: upgrade plans come
    /// only through it. Absent: no client is pinned and the spoke takes no plans until its
    /// governance pins one (`MsgPinHubClient`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hub_client: Option<HubClientJson>,
    /// The bindings of an exported state (the hub's registered spokes, or a spoke's pinned
    /// hub client), whose clients and connections `app_state.ibc` carries. A new spoke gives
    /// `hub_client` instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bindings: Vec<BindingJson>,
    /// The hub's dispatches (base64 of each `Dispatch` protobuf, exactly as stored), so that an
    /// exported hub still shows, times out and confirms the plans it sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dispatches: Vec<String>,
    /// The index from each dispatch packet to its dispatch, which its acknowledgement and
    /// timeout use.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub packets: Vec<PacketIndexJson>,
    /// The hub's pause dispatches (base64 of each `PauseDispatch` protobuf, as stored), so
    /// that an exported hub still records the spokes' answers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pause_dispatches: Vec<String>,
}

/// One entry of the packet index: the upgrade packet `(channel_id, sequence)` carries the plan
/// `name` to `spoke`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PacketIndexJson {
    /// The hub's upgrade channel.
    pub channel_id: String,
    /// The packet sequence (decimal string).
    pub sequence: String,
    /// The spoke's chain id.
    pub spoke: String,
    /// The plan name.
    pub name: String,
}

/// One binding: a chain id, its client and (hub) connection, and its bound upgrade channel
/// (empty while none is open).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BindingJson {
    /// The bound chain's id.
    pub chain_id: String,
    /// Its client on this chain.
    pub client_id: String,
    /// Its registered connection (hub side; empty on a spoke).
    #[serde(default)]
    pub connection_id: String,
    /// The bound upgrade channel (empty: none yet).
    #[serde(default)]
    pub channel_id: String,
}

/// The hub's client at genesis: protobuf `Any`s, base64 (standard, padded).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HubClientJson {
    /// `/ibc.lightclients.tendermint.v1.ClientState` of the hub (chain id = `hub_chain_id`).
    pub client_state: String,
    /// `/ibc.lightclients.tendermint.v1.ConsensusState` of the hub at the client state's
    /// latest height.
    pub consensus_state: String,
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

    /// Errors: `interchain-upgrade`/10 naming the field (also for a `hub_client` on the hub,
    /// of another chain than `hub_chain_id`, undecodable, or already expired at genesis time).
    async fn init_genesis<S: StateWrite>(
        s: &mut S,
        ctx: &GenesisCtx,
        g: &InterchainUpgradeGenesis,
    ) -> Handled {
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
        if let Some(hc) = &g.hub_client {
            if !g.bindings.is_empty() {
                return Err(invalid(
                    "app_state.interchain_upgrade: give hub_client (a new spoke) or bindings (an exported state), not both".into(),
                ));
            }
            pin_genesis_client(s, ctx, &p.hub_chain_id, hc).await?;
        }
        for (i, b) in g.bindings.iter().enumerate() {
            use hub_ibc::client::ClientRead;
            if s.client_state(&b.client_id).await.is_err() {
                return Err(invalid(format!(
                    "app_state.interchain_upgrade.bindings[{i}].client_id: no client {:?} in app_state.ibc",
                    b.client_id
                )));
            }
            s.put_binding(&crate::Binding {
                chain_id: b.chain_id.clone(),
                client_id: b.client_id.clone(),
                connection_id: b.connection_id.clone(),
                channel_id: b.channel_id.clone(),
            })
            .await?;
        }
        import_pause_dispatches(s, g)?;
        import_dispatches(s, g)
    }

    async fn export_genesis<S: StateRead>(s: &S) -> Result<InterchainUpgradeGenesis, ModuleError> {
        let p = s.iu_params().await?;
        Ok(InterchainUpgradeGenesis {
            params: ParamsJson {
                hub_chain_id: p.hub_chain_id.clone(),
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
            // The pinned client itself is in `app_state.ibc`: an import keeps it and its
            // channel instead of creating a new client.
            hub_client: None,
            bindings: s
                .bindings()
                .await?
                .into_iter()
                .map(|b| BindingJson {
                    chain_id: b.chain_id,
                    client_id: b.client_id,
                    connection_id: b.connection_id,
                    channel_id: b.channel_id,
                })
                .collect(),
            dispatches: export_dispatches(s).await?,
            pause_dispatches: s
                .pause_dispatches()
                .await?
                .iter()
                .map(|d| {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD
                        .encode(prost::Message::encode_to_vec(d))
                })
                .collect(),
            packets: export_packet_index(s).await?,
        })
    }
}

/// Every stored dispatch as base64 protobuf, in (spoke, name) order.
async fn export_dispatches<S: StateRead>(s: &S) -> Result<Vec<String>, ModuleError> {
    use base64::Engine;
    use prost::Message;
    Ok(s.dispatches(None)
        .await?
        .iter()
        .map(|d| base64::engine::general_purpose::STANDARD.encode(d.encode_to_vec()))
        .collect())
}

/// Every packet index entry, in key order.
async fn export_packet_index<S: StateRead>(s: &S) -> Result<Vec<PacketIndexJson>, ModuleError> {
    use hub_framework::StateReadProto;
    let prefix = crate::state_key::PACKETS_PREFIX;
    let mut out = Vec::new();
    for (key, value) in s.prefix_raw_vec(prefix).await? {
        let rest = &key[prefix.len()..];
        let bad = || ModuleError::internal(format!("bad packet index entry {key}"));
        let (channel_id, sequence) = rest.rsplit_once('/').ok_or_else(bad)?;
        let target = String::from_utf8(value).map_err(|_| bad())?;
        let (spoke, name) = target.split_once('/').ok_or_else(bad)?;
        out.push(PacketIndexJson {
            channel_id: channel_id.to_string(),
            sequence: sequence.to_string(),
            spoke: spoke.to_string(),
            name: name.to_string(),
        });
    }
    Ok(out)
}

/// Writes the exported pause dispatches back.
///
/// Errors: `interchain-upgrade`/10 naming an entry that is not base64 of a `PauseDispatch`.
fn import_pause_dispatches<S: StateWrite>(s: &mut S, g: &InterchainUpgradeGenesis) -> Handled {
    use base64::Engine;
    for (i, b64) in g.pause_dispatches.iter().enumerate() {
        let d = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .ok()
            .and_then(|b| <crate::PauseDispatch as prost::Message>::decode(b.as_slice()).ok())
            .ok_or_else(|| {
                invalid(format!(
                    "app_state.interchain_upgrade.pause_dispatches[{i}] is not base64 of a PauseDispatch"
                ))
            })?;
        s.put_pause_dispatch(&d);
    }
    Ok(())
}

/// Writes the exported dispatches and packet index back.
///
/// Errors: a dispatch that is not base64 of a `Dispatch` with a spoke and a plan name, a
/// packet entry with a bad sequence or pointing at no dispatch (each naming its field).
fn import_dispatches<S: StateWrite>(s: &mut S, g: &InterchainUpgradeGenesis) -> Handled {
    use base64::Engine;
    use prost::Message;
    let mut known = std::collections::BTreeSet::new();
    for (i, b64) in g.dispatches.iter().enumerate() {
        let field = format!("app_state.interchain_upgrade.dispatches[{i}]");
        let d = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .ok()
            .and_then(|bytes| crate::Dispatch::decode(bytes.as_slice()).ok())
            .ok_or_else(|| invalid(format!("{field}: not base64 of a Dispatch")))?;
        let name = d.plan.as_ref().map(|p| p.name.clone()).unwrap_or_default();
        if d.spoke_chain_id.is_empty() || name.is_empty() {
            return Err(invalid(format!(
                "{field}: a dispatch needs a spoke and a plan name"
            )));
        }
        known.insert((d.spoke_chain_id.clone(), name));
        s.put_dispatch(&d);
    }
    for (i, p) in g.packets.iter().enumerate() {
        let field = format!("app_state.interchain_upgrade.packets[{i}]");
        let sequence: u64 = p.sequence.parse().map_err(|_| {
            invalid(format!(
                "{field}.sequence: {:?} is not a sequence",
                p.sequence
            ))
        })?;
        if !known.contains(&(p.spoke.clone(), p.name.clone())) {
            return Err(invalid(format!(
                "{field}: no dispatch of {:?} to {:?} in dispatches",
                p.name, p.spoke
            )));
        }
        s.put_packet_index(&p.channel_id, sequence, &p.spoke, &p.name);
    }
    Ok(())
}

fn any_from_b64(field: &str, b64: &str) -> Result<ibc_proto::google::protobuf::Any, ModuleError> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| {
            invalid(format!(
                "app_state.interchain_upgrade.hub_client.{field}: {e}"
            ))
        })?;
    prost::Message::decode(bytes.as_slice()).map_err(|e| {
        invalid(format!(
            "app_state.interchain_upgrade.hub_client.{field}: not a protobuf Any: {e}"
        ))
    })
}

/// Creates the genesis hub client through the IBC client handler (the same checks as a
/// `MsgCreateClient` at genesis time) and pins it.
async fn pin_genesis_client<S: StateWrite>(
    s: &mut S,
    ctx: &GenesisCtx,
    hub_chain_id: &str,
    hc: &HubClientJson,
) -> Handled {
    use hub_framework::{BlockCtx, MsgHandler, TxCtx};
    if hub_chain_id.is_empty() {
        return Err(invalid(
            "app_state.interchain_upgrade.hub_client: only a spoke (params.hub_chain_id set) pins a hub client".into(),
        ));
    }
    let client_state =
        hub_ibc::client::ClientState::from_any(&any_from_b64("client_state", &hc.client_state)?)
            .map_err(|e| {
                invalid(format!(
                    "app_state.interchain_upgrade.hub_client.client_state: {e}"
                ))
            })?;
    let consensus_state = hub_ibc::client::ConsensusState::from_any(&any_from_b64(
        "consensus_state",
        &hc.consensus_state,
    )?)
    .map_err(|e| {
        invalid(format!(
            "app_state.interchain_upgrade.hub_client.consensus_state: {e}"
        ))
    })?;
    client_state.validate().map_err(|e| {
        invalid(format!(
            "app_state.interchain_upgrade.hub_client.client_state: {e}"
        ))
    })?;
    if client_state.chain_id != hub_chain_id {
        return Err(invalid(format!(
            "app_state.interchain_upgrade.hub_client.client_state tracks {}, not the hub {hub_chain_id}",
            client_state.chain_id
        )));
    }
    let tx = TxCtx::new(
        BlockCtx {
            chain_id: ctx.chain_id.clone(),
            height: 0,
            time: ctx.time,
        },
        &ctx.bech32_prefix,
        [0; 20],
        u64::MAX,
    );
    let create = hub_ibc::client::msgs::MsgCreateClient {
        client_state,
        consensus_state,
        signer: hub_ibc::client::msgs::Signer {
            hrp: ctx.bech32_prefix.clone(),
            address: [0; 20],
        },
    };
    let client_id =
        hub_ibc::identifier::client_id(hub_ibc::client::ClientRead::next_client_sequence(s).await?);
    create.check_and_execute(s, &tx).await.map_err(|e| {
        invalid(format!(
            "app_state.interchain_upgrade.hub_client: {}",
            e.log
        ))
    })?;
    let b = crate::Binding {
        chain_id: hub_chain_id.to_string(),
        client_id,
        connection_id: String::new(),
        channel_id: String::new(),
    };
    s.put_binding(&b).await
}
