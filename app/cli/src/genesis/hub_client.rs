//! The trust root a spoke's genesis pins: a 07-tendermint client state and consensus state of
//! the hub at its latest block, read from a hub node's RPC. The spoke's validators check
//! these against the hub (its chain id, height, app hash and next validators hash) before
//! they sign the genesis, as consumer chains of Interchain Security do with the provider's.

use crate::rpc::Node;
use anyhow::Context;
use base64::Engine;
use hub_ibc::client::{ClientState, ConsensusState};
use hub_ibc::{revision_of_chain_id, Height};
use serde_json::{json, Value};
use std::time::Duration;

/// Light-client parameters of the pinned client.
#[derive(Clone, Copy, Debug)]
pub struct ClientParams {
    /// How long a consensus state is trusted (< `unbonding`).
    pub trusting: Duration,
    /// The hub's unbonding period.
    pub unbonding: Duration,
    /// Tolerated clock skew between a hub header and the spoke's block time.
    pub max_clock_drift: Duration,
}

/// `app_state.interchain_upgrade.hub_client` of the hub `hub_chain_id` at its latest block
/// on `rpc`, and that block's height.
///
/// Errors: the node is unreachable, serves another chain id, or the parameters make an
/// invalid client state (trusting period not below unbonding, …).
pub async fn from_rpc(
    rpc: &str,
    hub_chain_id: &str,
    params: ClientParams,
) -> anyhow::Result<(Value, u64)> {
    let block = Node::new(rpc)?
        .block(None)
        .await
        .with_context(|| format!("cannot read the latest block of the hub at {rpc}"))?;
    let header = block.block.header;
    anyhow::ensure!(
        header.chain_id.as_str() == hub_chain_id,
        "the node at {rpc} serves {}, not {hub_chain_id}",
        header.chain_id
    );
    let height = header.height.value();
    let client_state = ClientState {
        chain_id: hub_chain_id.to_string(),
        trust_level: (1, 3),
        trusting_period: params.trusting,
        unbonding_period: params.unbonding,
        max_clock_drift: params.max_clock_drift,
        frozen_height: Height::ZERO,
        latest_height: Height::new(revision_of_chain_id(hub_chain_id), height),
        proof_specs: hub_ibc::commitment::proof_specs(),
        upgrade_path: vec!["upgrade".into(), "upgradedIBCState".into()],
    };
    client_state
        .validate()
        .map_err(|e| anyhow::anyhow!("invalid hub client: {e}"))?;
    let consensus_state = ConsensusState {
        timestamp: header.time,
        root: header.app_hash.as_bytes().to_vec(),
        next_validators_hash: header.next_validators_hash.as_bytes().to_vec(),
    };
    let b64 = |a: ibc_proto::google::protobuf::Any| {
        base64::engine::general_purpose::STANDARD.encode(prost::Message::encode_to_vec(&a))
    };
    Ok((
        json!({
            "client_state": b64(client_state.to_any()),
            "consensus_state": b64(consensus_state.to_any()),
        }),
        height,
    ))
}
