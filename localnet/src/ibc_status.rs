//! The IBC state of one chain for `localnet status`: every client (counterparty chain, status,
//! latest height, time left before it expires), connection, channel, and the packets each
//! channel has sent that are not yet acknowledged or timed out.
//!
//! Everything is read through gRPC-over-ABCI (`abci_query` with the `ibc.core.*` method
//! paths), the interfaces a relayer uses.

use anyhow::Context as _;
use hub_client::rpc::Node;
use ibc_proto::{
    cosmos::base::query::v1beta1::PageRequest,
    ibc::core::{channel::v1 as chpb, client::v1 as clpb, connection::v1 as connpb},
    ibc::lightclients::tendermint::v1 as tmpb,
};
use prost::Message;
use serde_json::{json, Value};

use crate::state::ChainNet;

/// One light client hosted on the chain.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    /// Client id (`07-tendermint-0`).
    pub id: String,
    /// The chain it tracks.
    pub chain_id: String,
    /// `Active`, `Expired`, `Frozen`, … (ibc-go's `ClientStatus`).
    pub status: String,
    /// Latest height as `"{revision}-{height}"`.
    pub latest_height: String,
    /// Trusting period in seconds.
    pub trusting_period_s: i64,
    /// Seconds until the latest consensus state leaves the trusting period, measured against
    /// the hosting chain's latest block time; negative once expired.
    pub expires_in_s: Option<i64>,
}

/// One connection end.
#[derive(Debug, Clone)]
pub struct ConnectionInfo {
    /// Connection id.
    pub id: String,
    /// `STATE_OPEN`, ….
    pub state: String,
    /// The client it uses.
    pub client_id: String,
    /// The counterparty's connection id.
    pub counterparty_connection: String,
}

/// One channel end and its pending packets.
#[derive(Debug, Clone)]
pub struct ChannelInfo {
    /// Port id.
    pub port: String,
    /// Channel id.
    pub channel: String,
    /// `STATE_OPEN`, ….
    pub state: String,
    /// `ORDER_ORDERED`, ….
    pub ordering: String,
    /// The counterparty's port and channel.
    pub counterparty: String,
    /// Sent packets whose commitment still exists (not acknowledged, not timed out).
    pub pending: Vec<u64>,
}

/// The IBC state of a chain.
#[derive(Debug, Clone)]
pub struct ChainIbc {
    /// Clients.
    pub clients: Vec<ClientInfo>,
    /// Connections.
    pub connections: Vec<ConnectionInfo>,
    /// Channels.
    pub channels: Vec<ChannelInfo>,
}

fn all() -> Option<PageRequest> {
    Some(PageRequest {
        limit: u64::from(u32::MAX),
        ..Default::default()
    })
}

async fn query<Req: Message, Resp: Message + Default>(
    node: &Node,
    path: &str,
    request: &Req,
) -> anyhow::Result<Resp> {
    let bytes = node.abci_query(path, request.encode_to_vec(), None).await?;
    Resp::decode(bytes.as_slice()).with_context(|| format!("{path}: undecodable response"))
}

fn height_text(h: Option<&clpb::Height>) -> String {
    h.map_or("-".into(), |h| {
        format!("{}-{}", h.revision_number, h.revision_height)
    })
}

async fn client_info(
    node: &Node,
    id: &str,
    any: &ibc_proto::google::protobuf::Any,
    now_s: i64,
) -> anyhow::Result<ClientInfo> {
    let cs = tmpb::ClientState::decode(any.value.as_slice())
        .with_context(|| format!("{id}: not a 07-tendermint client state"))?;
    let status: clpb::QueryClientStatusResponse = query(
        node,
        "/ibc.core.client.v1.Query/ClientStatus",
        &clpb::QueryClientStatusRequest {
            client_id: id.to_owned(),
        },
    )
    .await?;
    let trusting = cs.trusting_period.as_ref().map_or(0, |d| d.seconds);
    let latest = cs.latest_height.unwrap_or_default();
    let consensus: anyhow::Result<clpb::QueryConsensusStateResponse> = query(
        node,
        "/ibc.core.client.v1.Query/ConsensusState",
        &clpb::QueryConsensusStateRequest {
            client_id: id.to_owned(),
            revision_number: latest.revision_number,
            revision_height: latest.revision_height,
            latest_height: false,
        },
    )
    .await;
    let expires_in_s = consensus
        .ok()
        .and_then(|r| r.consensus_state)
        .and_then(|any| tmpb::ConsensusState::decode(any.value.as_slice()).ok())
        .and_then(|c| c.timestamp)
        .map(|t| t.seconds + trusting - now_s);
    Ok(ClientInfo {
        id: id.to_owned(),
        chain_id: cs.chain_id,
        status: status.status,
        latest_height: height_text(Some(&latest)),
        trusting_period_s: trusting,
        expires_in_s,
    })
}

/// Reads the IBC state of `chain` through its node0.
pub async fn collect(chain: &ChainNet) -> anyhow::Result<ChainIbc> {
    let node = Node::new(&chain.node0().rpc)?;
    let now_s = node
        .status()
        .await?
        .sync_info
        .latest_block_time
        .unix_timestamp();
    let clients: clpb::QueryClientStatesResponse = query(
        &node,
        "/ibc.core.client.v1.Query/ClientStates",
        &clpb::QueryClientStatesRequest { pagination: all() },
    )
    .await?;
    let mut client_infos = Vec::new();
    for c in &clients.client_states {
        if let Some(any) = &c.client_state {
            client_infos.push(client_info(&node, &c.client_id, any, now_s).await?);
        }
    }
    let connections: connpb::QueryConnectionsResponse = query(
        &node,
        "/ibc.core.connection.v1.Query/Connections",
        &connpb::QueryConnectionsRequest { pagination: all() },
    )
    .await?;
    let connections = connections
        .connections
        .into_iter()
        .map(|c| ConnectionInfo {
            id: c.id,
            state: connpb::State::try_from(c.state)
                .map_or("?".into(), |s| s.as_str_name().to_owned()),
            client_id: c.client_id,
            counterparty_connection: c
                .counterparty
                .map(|cp| cp.connection_id)
                .unwrap_or_default(),
        })
        .collect();
    let channels: chpb::QueryChannelsResponse = query(
        &node,
        "/ibc.core.channel.v1.Query/Channels",
        &chpb::QueryChannelsRequest { pagination: all() },
    )
    .await?;
    let mut channel_infos = Vec::new();
    for c in channels.channels {
        let pending: chpb::QueryPacketCommitmentsResponse = query(
            &node,
            "/ibc.core.channel.v1.Query/PacketCommitments",
            &chpb::QueryPacketCommitmentsRequest {
                port_id: c.port_id.clone(),
                channel_id: c.channel_id.clone(),
                pagination: all(),
            },
        )
        .await?;
        channel_infos.push(ChannelInfo {
            counterparty: c
                .counterparty
                .map(|cp| format!("{}/{}", cp.port_id, cp.channel_id))
                .unwrap_or_default(),
            state: chpb::State::try_from(c.state).map_or("?".into(), |s| s.as_str_name().into()),
            ordering: chpb::Order::try_from(c.ordering)
                .map_or("?".into(), |s| s.as_str_name().into()),
            port: c.port_id,
            channel: c.channel_id,
            pending: pending.commitments.iter().map(|p| p.sequence).collect(),
        });
    }
    Ok(ChainIbc {
        clients: client_infos,
        connections,
        channels: channel_infos,
    })
}

/// `0`, `2 (sequences 4,9)`, or for many `1500 (sequences 1…1500)`.
fn pending_text(seqs: &[u64]) -> String {
    match seqs {
        [] => "0".to_owned(),
        [first, .., last] if seqs.len() > 5 => {
            format!("{} (sequences {first}…{last})", seqs.len())
        }
        seqs => format!(
            "{} (sequences {})",
            seqs.len(),
            seqs.iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

fn duration_text(seconds: i64) -> String {
    let (sign, s) = if seconds < 0 {
        ("-", -seconds)
    } else {
        ("", seconds)
    };
    match s {
        s if s >= 86_400 => format!("{sign}{}d{}h", s / 86_400, (s % 86_400) / 3600),
        s if s >= 3600 => format!("{sign}{}h{}m", s / 3600, (s % 3600) / 60),
        s if s >= 60 => format!("{sign}{}m{}s", s / 60, s % 60),
        s => format!("{sign}{s}s"),
    }
}

impl ChainIbc {
    /// The JSON document of `status --output json`.
    pub fn to_json(&self) -> Value {
        json!({
            "clients": self.clients.iter().map(|c| json!({
                "client_id": c.id,
                "chain_id": c.chain_id,
                "status": c.status,
                "latest_height": c.latest_height,
                "trusting_period_s": c.trusting_period_s,
                "expires_in_s": c.expires_in_s,
            })).collect::<Vec<_>>(),
            "connections": self.connections.iter().map(|c| json!({
                "connection_id": c.id,
                "state": c.state,
                "client_id": c.client_id,
                "counterparty_connection_id": c.counterparty_connection,
            })).collect::<Vec<_>>(),
            "channels": self.channels.iter().map(|c| json!({
                "port_id": c.port,
                "channel_id": c.channel,
                "state": c.state,
                "ordering": c.ordering,
                "counterparty": c.counterparty,
                "pending_packets": c.pending,
            })).collect::<Vec<_>>(),
        })
    }

    /// The text of `status`: one line per client, connection and channel.
    pub fn to_text(&self) -> String {
        if self.clients.is_empty() && self.channels.is_empty() {
            return "  ibc: no clients, connections or channels\n".into();
        }
        let mut text = String::new();
        for c in &self.clients {
            text.push_str(&format!(
                "  client  {:<18} of {:<12} {:<8} height {:<10} expires in {}\n",
                c.id,
                c.chain_id,
                c.status,
                c.latest_height,
                c.expires_in_s.map_or("?".into(), duration_text)
            ));
        }
        for c in &self.connections {
            text.push_str(&format!(
                "  conn    {:<18} {:<11} client {:<18} counterparty {}\n",
                c.id, c.state, c.client_id, c.counterparty_connection
            ));
        }
        for c in &self.channels {
            text.push_str(&format!(
                "  channel {:<18} {:<11} {:<16} counterparty {:<22} pending {}\n",
                format!("{}/{}", c.port, c.channel),
                c.state,
                c.ordering,
                c.counterparty,
                pending_text(&c.pending)
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_packets_are_listed_briefly() {
        assert_eq!(pending_text(&[]), "0");
        assert_eq!(pending_text(&[4, 9]), "2 (sequences 4,9)");
        let many: Vec<u64> = (1..=1500).collect();
        assert_eq!(pending_text(&many), "1500 (sequences 1…1500)");
    }

    #[test]
    fn durations_read_as_days_hours_minutes() {
        assert_eq!(duration_text(59), "59s");
        assert_eq!(duration_text(61), "1m1s");
        assert_eq!(duration_text(3 * 3600 + 120), "3h2m");
        assert_eq!(duration_text(14 * 86_400 + 3600), "14d1h");
        assert_eq!(duration_text(-30), "-30s");
    }
}
