//! The IBC query services (`ibc.core.{client,connection,channel}.v1.Query`) over an in-process
//! two-chain network with real handshakes and packets: the answers Hermes relies on (lists,
//! heights, unreceived packets and acks, ack filters, pagination) and ibc-go's not-found and
//! invalid-argument errors; one round trip through the real gRPC server.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::ping::{net, ping_net, send_ping};

use common::{grpc_channel, AppNode};
use hub_framework::ModuleError;
use hub_testkit::ibc::{connect, open_channel, written_acks, ClientParams, TestChain};
use ibc_proto::cosmos::base::query::v1beta1::PageRequest;
use ibc_proto::ibc::core::channel::v1 as chpb;
use ibc_proto::ibc::core::client::v1 as cpb;
use ibc_proto::ibc::core::connection::v1 as connpb;
use prost::{Message, Name};

const UNORDERED: i32 = 1;
const ORDERED: i32 = 2;

/// The gRPC path of the `Query` service method that takes `Req`: `/{package}.Query/{Method}`
/// for a request named `Query{Method}Request`.
fn path_of<Req: Name>() -> String {
    let method = Req::NAME
        .strip_prefix("Query")
        .and_then(|m| m.strip_suffix("Request"))
        .expect("a Query…Request");
    format!("/{}.Query/{method}", Req::PACKAGE)
}

/// Runs the gRPC method that takes `req` ([`path_of`]) on the latest state of `c`.
async fn q<Req: Message + Name, Resp: Message + Default>(
    c: &TestChain<AppNode>,
    req: &Req,
) -> Result<Resp, ModuleError> {
    let snap = c.node.app.storage().latest_snapshot();
    let out = c
        .node
        .queries
        .grpc(&path_of::<Req>(), &req.encode_to_vec(), &snap)
        .await?;
    Ok(Resp::decode(out.as_slice()).unwrap())
}

fn code(e: ModuleError) -> (&'static str, u32) {
    (e.codespace, e.code)
}

const NOT_FOUND: (&str, u32) = ("sdk", 38);
const INVALID: (&str, u32) = ("sdk", 18);

fn height(c: &TestChain<AppNode>) -> Option<cpb::Height> {
    Some(cpb::Height {
        revision_number: 1,
        revision_height: c.height,
    })
}

fn port_chan(chan: &str) -> (String, String) {
    ("ping".into(), chan.into())
}

#[tokio::test]
async fn clients_connections_and_channels_are_listed_and_missing_ones_are_not_found() {
    let (mut n, ab) = ping_net(UNORDERED).await;
    // a second client, connection and (ORDERED) channel on A, initiated from B
    let mut rev = connect(&mut n.b, &mut n.a, &ClientParams::default()).await;
    let ba = open_channel(&mut n.b, &mut n.a, &mut rev, ("ping", "ping"), ORDERED, "").await;
    assert_eq!(
        (rev.b.client_id.as_str(), ba.chan_b.as_str()),
        ("07-tendermint-1", "channel-1")
    );

    // ---- clients
    let r: cpb::QueryClientStatesResponse =
        q(&n.a, &cpb::QueryClientStatesRequest { pagination: None })
            .await
            .unwrap();
    let ids: Vec<_> = r
        .client_states
        .iter()
        .map(|c| c.client_id.as_str())
        .collect();
    assert_eq!(ids, ["07-tendermint-0", "07-tendermint-1"]);
    for c in &r.client_states {
        let any = c.client_state.as_ref().unwrap();
        assert_eq!(any.type_url, "/ibc.lightclients.tendermint.v1.ClientState");
        let cs =
            ibc_proto::ibc::lightclients::tendermint::v1::ClientState::decode(any.value.as_slice())
                .unwrap();
        assert_eq!(cs.chain_id, "spoke-1", "both clients on A track B");
    }
    assert_eq!(r.pagination.unwrap().total, 2);
    let one: cpb::QueryClientStateResponse = q(
        &n.a,
        &cpb::QueryClientStateRequest {
            client_id: "07-tendermint-0".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(one.client_state, r.client_states[0].client_state);
    assert_eq!(one.proof_height, height(&n.a));
    assert!(one.proof.is_empty());

    let hs: cpb::QueryConsensusStateHeightsResponse = q(
        &n.a,
        &cpb::QueryConsensusStateHeightsRequest {
            client_id: "07-tendermint-0".into(),
            pagination: None,
        },
    )
    .await
    .unwrap();
    let heights: Vec<u64> = hs
        .consensus_state_heights
        .iter()
        .map(|h| h.revision_height)
        .collect();
    assert!(heights.len() >= 3, "{heights:?}");
    assert!(
        heights.windows(2).all(|w| w[0] < w[1]),
        "ascending: {heights:?}"
    );
    assert!(hs
        .consensus_state_heights
        .iter()
        .all(|h| h.revision_number == 1));
    let css: cpb::QueryConsensusStatesResponse = q(
        &n.a,
        &cpb::QueryConsensusStatesRequest {
            client_id: "07-tendermint-0".into(),
            pagination: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        css.consensus_states
            .iter()
            .map(|c| c.height.unwrap().revision_height)
            .collect::<Vec<_>>(),
        heights
    );
    let latest: cpb::QueryConsensusStateResponse = q(
        &n.a,
        &cpb::QueryConsensusStateRequest {
            client_id: "07-tendermint-0".into(),
            revision_number: 0,
            revision_height: 0,
            latest_height: true,
        },
    )
    .await
    .unwrap();
    let last = css.consensus_states.last().unwrap();
    assert_eq!(latest.consensus_state, last.consensus_state);
    assert_eq!(
        latest.consensus_state.unwrap().type_url,
        "/ibc.lightclients.tendermint.v1.ConsensusState"
    );
    let missing = q::<_, cpb::QueryConsensusStateResponse>(
        &n.a,
        &cpb::QueryConsensusStateRequest {
            client_id: "07-tendermint-0".into(),
            revision_number: 1,
            revision_height: 999_999,
            latest_height: false,
        },
    )
    .await;
    assert_eq!(code(missing.unwrap_err()), NOT_FOUND);
    let zero = q::<_, cpb::QueryConsensusStateResponse>(
        &n.a,
        &cpb::QueryConsensusStateRequest {
            client_id: "07-tendermint-0".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(code(zero.unwrap_err()), INVALID);

    let st: cpb::QueryClientStatusResponse = q(
        &n.a,
        &cpb::QueryClientStatusRequest {
            client_id: "07-tendermint-0".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(st.status, "Active");
    let params: cpb::QueryClientParamsResponse =
        q(&n.a, &cpb::QueryClientParamsRequest {}).await.unwrap();
    // ibc-go's default: every client type (governance can narrow it)
    assert_eq!(params.params.unwrap().allowed_clients, ["*"]);
    for (path, req) in [
        (
            "/ibc.core.client.v1.Query/ClientState",
            cpb::QueryClientStateRequest {
                client_id: "07-tendermint-9".into(),
            }
            .encode_to_vec(),
        ),
        (
            "/ibc.core.client.v1.Query/ClientStatus",
            cpb::QueryClientStatusRequest {
                client_id: "07-tendermint-9".into(),
            }
            .encode_to_vec(),
        ),
    ] {
        let snap = n.a.node.app.storage().latest_snapshot();
        let e = n.a.node.queries.grpc(path, &req, &snap).await.unwrap_err();
        assert_eq!(code(e), NOT_FOUND, "{path}");
    }
    let bad = q::<_, cpb::QueryClientStateResponse>(
        &n.a,
        &cpb::QueryClientStateRequest {
            client_id: "bad/id".into(),
        },
    )
    .await;
    assert_eq!(code(bad.unwrap_err()), INVALID);

    // ---- connections
    let c: connpb::QueryConnectionResponse = q(
        &n.a,
        &connpb::QueryConnectionRequest {
            connection_id: "connection-0".into(),
        },
    )
    .await
    .unwrap();
    let c = c.connection.unwrap();
    assert_eq!(c.client_id, "07-tendermint-0");
    assert_eq!(c.state, connpb::State::Open as i32);
    let cs: connpb::QueryConnectionsResponse =
        q(&n.a, &connpb::QueryConnectionsRequest { pagination: None })
            .await
            .unwrap();
    let conns: Vec<_> = cs
        .connections
        .iter()
        .map(|c| (c.id.as_str(), c.client_id.as_str(), c.state))
        .collect();
    let open = connpb::State::Open as i32;
    assert_eq!(
        conns,
        [
            ("connection-0", "07-tendermint-0", open),
            ("connection-1", "07-tendermint-1", open)
        ]
    );
    assert_eq!(cs.height, height(&n.a));
    let cc: connpb::QueryClientConnectionsResponse = q(
        &n.a,
        &connpb::QueryClientConnectionsRequest {
            client_id: "07-tendermint-1".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(cc.connection_paths, ["connection-1"]);
    let none = q::<_, connpb::QueryClientConnectionsResponse>(
        &n.a,
        &connpb::QueryClientConnectionsRequest {
            client_id: "07-tendermint-9".into(),
        },
    )
    .await;
    assert_eq!(code(none.unwrap_err()), NOT_FOUND);
    let missing = q::<_, connpb::QueryConnectionResponse>(
        &n.a,
        &connpb::QueryConnectionRequest {
            connection_id: "connection-9".into(),
        },
    )
    .await;
    assert_eq!(code(missing.unwrap_err()), NOT_FOUND);
    let ccs: connpb::QueryConnectionClientStateResponse = q(
        &n.a,
        &connpb::QueryConnectionClientStateRequest {
            connection_id: "connection-0".into(),
        },
    )
    .await
    .unwrap();
    let ics = ccs.identified_client_state.unwrap();
    assert_eq!(ics.client_id, "07-tendermint-0");
    assert_eq!(ics.client_state, one.client_state);
    let ccons: connpb::QueryConnectionConsensusStateResponse = q(
        &n.a,
        &connpb::QueryConnectionConsensusStateRequest {
            connection_id: "connection-0".into(),
            revision_number: 1,
            revision_height: heights[0],
        },
    )
    .await
    .unwrap();
    assert_eq!(ccons.client_id, "07-tendermint-0");
    assert_eq!(
        ccons.consensus_state,
        css.consensus_states[0].consensus_state
    );
    let cp: connpb::QueryConnectionParamsResponse =
        q(&n.a, &connpb::QueryConnectionParamsRequest {})
            .await
            .unwrap();
    assert_eq!(
        cp.params.unwrap().max_expected_time_per_block,
        30_000_000_000
    );

    // ---- channels
    let chs: chpb::QueryChannelsResponse =
        q(&n.a, &chpb::QueryChannelsRequest { pagination: None })
            .await
            .unwrap();
    let list: Vec<_> = chs
        .channels
        .iter()
        .map(|c| {
            (
                c.port_id.as_str(),
                c.channel_id.as_str(),
                c.ordering,
                c.state,
            )
        })
        .collect();
    let open = chpb::State::Open as i32;
    assert_eq!(
        list,
        [
            ("ping", "channel-0", UNORDERED, open),
            ("ping", "channel-1", ORDERED, open)
        ]
    );
    assert_eq!(chs.channels[0].connection_hops, ["connection-0"]);
    assert_eq!(chs.channels[0].version, "ping-1");
    assert_eq!(chs.height, height(&n.a));
    for (conn, want) in [
        ("connection-0", vec!["channel-0"]),
        ("connection-1", vec!["channel-1"]),
        ("connection-7", vec![]),
    ] {
        let r: chpb::QueryConnectionChannelsResponse = q(
            &n.a,
            &chpb::QueryConnectionChannelsRequest {
                connection: conn.into(),
                pagination: None,
            },
        )
        .await
        .unwrap();
        let got: Vec<_> = r.channels.iter().map(|c| c.channel_id.as_str()).collect();
        assert_eq!(got, want, "{conn}");
        assert_eq!(r.height, height(&n.a));
    }
    let (port_id, channel_id) = port_chan(&ab.chan_a);
    let ch: chpb::QueryChannelResponse = q(
        &n.a,
        &chpb::QueryChannelRequest {
            port_id: port_id.clone(),
            channel_id: channel_id.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        ch.channel.unwrap().counterparty.unwrap().channel_id,
        ab.chan_b
    );
    let chcs: chpb::QueryChannelClientStateResponse = q(
        &n.a,
        &chpb::QueryChannelClientStateRequest {
            port_id: "ping".into(),
            channel_id: "channel-1".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        chcs.identified_client_state.unwrap().client_id,
        "07-tendermint-1"
    );
    let chcons: chpb::QueryChannelConsensusStateResponse = q(
        &n.a,
        &chpb::QueryChannelConsensusStateRequest {
            port_id,
            channel_id,
            revision_number: 1,
            revision_height: heights[0],
        },
    )
    .await
    .unwrap();
    assert_eq!(chcons.client_id, "07-tendermint-0");
    assert!(chcons.consensus_state.is_some());
    for chan in ["channel-9"] {
        let e = q::<_, chpb::QueryChannelResponse>(
            &n.a,
            &chpb::QueryChannelRequest {
                port_id: "ping".into(),
                channel_id: chan.into(),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(code(e), NOT_FOUND);
        let e = q::<_, chpb::QueryUnreceivedPacketsResponse>(
            &n.a,
            &chpb::QueryUnreceivedPacketsRequest {
                port_id: "ping".into(),
                channel_id: chan.into(),
                packet_commitment_sequences: vec![1],
            },
        )
        .await
        .unwrap_err();
        assert_eq!(code(e), NOT_FOUND);
    }
    // an unknown method
    let snap = n.a.node.app.storage().latest_snapshot();
    let e =
        n.a.node
            .queries
            .grpc("/ibc.core.channel.v1.Query/Nope", &[], &snap)
            .await
            .unwrap_err();
    assert_eq!(code(e), ("sdk", 6));
}

#[tokio::test]
async fn packet_queries_answer_what_hermes_asks_when_clearing() {
    let (mut n, pair) = ping_net(UNORDERED).await;
    let p1 = send_ping(&mut n, &pair, b"one").await;
    let p2 = send_ping(&mut n, &pair, b"two").await;
    let p3 = send_ping(&mut n, &pair, b"three").await;
    // 1 and 3 arrive on B; only 1's ack comes back to A
    let r1 = n.recv(&p1).await.ok();
    n.recv(&p3).await.ok();
    let (p, ack) = written_acks(&r1).pop().unwrap();
    n.ack(&p, &ack).await.ok();
    let (port_id, a_chan) = port_chan(&pair.chan_a);
    let b_chan = pair.chan_b.clone();

    // A (sender): commitments of 2 and 3 remain, with the height
    let pcs: chpb::QueryPacketCommitmentsResponse = q(
        &n.a,
        &chpb::QueryPacketCommitmentsRequest {
            port_id: port_id.clone(),
            channel_id: a_chan.clone(),
            pagination: Some(PageRequest {
                limit: u64::from(u32::MAX),
                ..Default::default()
            }),
        },
    )
    .await
    .unwrap();
    let seqs: Vec<u64> = pcs.commitments.iter().map(|c| c.sequence).collect();
    assert_eq!(seqs, [p2.sequence, p3.sequence]);
    assert!(pcs.commitments.iter().all(|c| c.data.len() == 32));
    assert_eq!(pcs.height, height(&n.a));
    assert!(pcs.pagination.unwrap().next_key.is_empty());
    // the same in chunks of one, following next_key
    let mut key = vec![];
    let mut chunked = vec![];
    loop {
        let r: chpb::QueryPacketCommitmentsResponse = q(
            &n.a,
            &chpb::QueryPacketCommitmentsRequest {
                port_id: port_id.clone(),
                channel_id: a_chan.clone(),
                pagination: Some(PageRequest {
                    key: key.clone(),
                    limit: 1,
                    ..Default::default()
                }),
            },
        )
        .await
        .unwrap();
        chunked.extend(r.commitments.iter().map(|c| c.sequence));
        key = r.pagination.unwrap().next_key;
        if key.is_empty() {
            break;
        }
    }
    assert_eq!(chunked, seqs);
    let pc: chpb::QueryPacketCommitmentResponse = q(
        &n.a,
        &chpb::QueryPacketCommitmentRequest {
            port_id: port_id.clone(),
            channel_id: a_chan.clone(),
            sequence: 2,
        },
    )
    .await
    .unwrap();
    assert_eq!(pc.commitment, pcs.commitments[0].data);
    assert_eq!(pc.proof_height, height(&n.a));
    for (seq, want) in [(1, NOT_FOUND), (0, INVALID)] {
        let e = q::<_, chpb::QueryPacketCommitmentResponse>(
            &n.a,
            &chpb::QueryPacketCommitmentRequest {
                port_id: port_id.clone(),
                channel_id: a_chan.clone(),
                sequence: seq,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(code(e), want, "sequence {seq}");
    }

    // B (receiver): 2 is unreceived
    let un: chpb::QueryUnreceivedPacketsResponse = q(
        &n.b,
        &chpb::QueryUnreceivedPacketsRequest {
            port_id: port_id.clone(),
            channel_id: b_chan.clone(),
            packet_commitment_sequences: vec![1, 2, 3],
        },
    )
    .await
    .unwrap();
    assert_eq!(un.sequences, [2]);
    assert_eq!(un.height, height(&n.b));
    // a long request (Hermes asks about every pending packet), in the request's order
    let long: chpb::QueryUnreceivedPacketsResponse = q(
        &n.b,
        &chpb::QueryUnreceivedPacketsRequest {
            port_id: port_id.clone(),
            channel_id: b_chan.clone(),
            packet_commitment_sequences: (1..=400).rev().collect(),
        },
    )
    .await
    .unwrap();
    let want: Vec<u64> = (1..=400).rev().filter(|s| ![1, 3].contains(s)).collect();
    assert_eq!(long.sequences, want, "in the request's order");
    let zero = q::<_, chpb::QueryUnreceivedPacketsResponse>(
        &n.b,
        &chpb::QueryUnreceivedPacketsRequest {
            port_id: port_id.clone(),
            channel_id: b_chan.clone(),
            packet_commitment_sequences: vec![2, 0],
        },
    )
    .await;
    assert_eq!(code(zero.unwrap_err()), INVALID);
    for (seq, want) in [(1, true), (2, false), (3, true)] {
        let r: chpb::QueryPacketReceiptResponse = q(
            &n.b,
            &chpb::QueryPacketReceiptRequest {
                port_id: port_id.clone(),
                channel_id: b_chan.clone(),
                sequence: seq,
            },
        )
        .await
        .unwrap();
        assert_eq!(r.received, want, "receipt {seq}");
    }

    // B's acks: 1 and 3; filtered by the commitments Hermes still sees on A
    let acks: chpb::QueryPacketAcknowledgementsResponse = q(
        &n.b,
        &chpb::QueryPacketAcknowledgementsRequest {
            port_id: port_id.clone(),
            channel_id: b_chan.clone(),
            pagination: None,
            packet_commitment_sequences: vec![],
        },
    )
    .await
    .unwrap();
    let seqs: Vec<u64> = acks.acknowledgements.iter().map(|a| a.sequence).collect();
    assert_eq!(seqs, [1, 3]);
    assert_eq!(acks.height, height(&n.b));
    assert_eq!(acks.pagination.unwrap().total, 2);
    let filtered: chpb::QueryPacketAcknowledgementsResponse = q(
        &n.b,
        &chpb::QueryPacketAcknowledgementsRequest {
            port_id: port_id.clone(),
            channel_id: b_chan.clone(),
            pagination: None,
            packet_commitment_sequences: vec![2, 3],
        },
    )
    .await
    .unwrap();
    assert_eq!(
        filtered
            .acknowledgements
            .iter()
            .map(|a| a.sequence)
            .collect::<Vec<_>>(),
        [3]
    );
    assert_eq!(filtered.height, height(&n.b));
    let one: chpb::QueryPacketAcknowledgementResponse = q(
        &n.b,
        &chpb::QueryPacketAcknowledgementRequest {
            port_id: port_id.clone(),
            channel_id: b_chan.clone(),
            sequence: 3,
        },
    )
    .await
    .unwrap();
    assert_eq!(one.acknowledgement, acks.acknowledgements[1].data);
    let e = q::<_, chpb::QueryPacketAcknowledgementResponse>(
        &n.b,
        &chpb::QueryPacketAcknowledgementRequest {
            port_id: port_id.clone(),
            channel_id: b_chan.clone(),
            sequence: 2,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(code(e), NOT_FOUND);

    // A: of the acks B wrote (1, 3), 3's has not come back
    let ua: chpb::QueryUnreceivedAcksResponse = q(
        &n.a,
        &chpb::QueryUnreceivedAcksRequest {
            port_id: port_id.clone(),
            channel_id: a_chan.clone(),
            packet_ack_sequences: vec![1, 3],
        },
    )
    .await
    .unwrap();
    assert_eq!(ua.sequences, [3]);
    assert_eq!(ua.height, height(&n.a));
    // asked about 400 (answered from one scan of the commitments): 2 (never received) and 3
    // are pending
    let long: chpb::QueryUnreceivedAcksResponse = q(
        &n.a,
        &chpb::QueryUnreceivedAcksRequest {
            port_id: port_id.clone(),
            channel_id: a_chan.clone(),
            packet_ack_sequences: (1..=400).collect(),
        },
    )
    .await
    .unwrap();
    assert_eq!(long.sequences, [2, 3]);

    // next sequences: A sends 4 next; B's UNORDERED end reports 0, as ibc-go
    let ns: chpb::QueryNextSequenceSendResponse = q(
        &n.a,
        &chpb::QueryNextSequenceSendRequest {
            port_id: port_id.clone(),
            channel_id: a_chan.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(ns.next_sequence_send, 4);
    let nr: chpb::QueryNextSequenceReceiveResponse = q(
        &n.b,
        &chpb::QueryNextSequenceReceiveRequest {
            port_id: port_id.clone(),
            channel_id: b_chan.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(nr.next_sequence_receive, 0);
    let e = q::<_, chpb::QueryNextSequenceSendResponse>(
        &n.a,
        &chpb::QueryNextSequenceSendRequest {
            port_id: port_id.clone(),
            channel_id: "channel-9".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(code(e), NOT_FOUND);

    // a past height through QueryService::snapshot: before the ack, 1's commitment existed
    let past = n.a.node.queries.snapshot(n.a.height - 1).unwrap();
    let out =
        n.a.node
            .queries
            .grpc(
                "/ibc.core.channel.v1.Query/PacketCommitments",
                &chpb::QueryPacketCommitmentsRequest {
                    port_id,
                    channel_id: a_chan,
                    pagination: None,
                }
                .encode_to_vec(),
                &past,
            )
            .await
            .unwrap();
    let old = chpb::QueryPacketCommitmentsResponse::decode(out.as_slice()).unwrap();
    assert_eq!(old.commitments.len(), 3);
    assert_eq!(old.height.unwrap().revision_height, n.a.height - 1);
}

#[tokio::test]
async fn ordered_channels_report_unreceived_from_the_next_receive_sequence() {
    let (mut n, pair) = ping_net(ORDERED).await;
    let p1 = send_ping(&mut n, &pair, b"one").await;
    send_ping(&mut n, &pair, b"two").await;
    send_ping(&mut n, &pair, b"three").await;
    n.recv(&p1).await.ok();
    let (port_id, channel_id) = port_chan(&pair.chan_b);
    let un: chpb::QueryUnreceivedPacketsResponse = q(
        &n.b,
        &chpb::QueryUnreceivedPacketsRequest {
            port_id: port_id.clone(),
            channel_id: channel_id.clone(),
            packet_commitment_sequences: vec![1, 2, 3],
        },
    )
    .await
    .unwrap();
    assert_eq!(un.sequences, [2, 3]);
    let nr: chpb::QueryNextSequenceReceiveResponse = q(
        &n.b,
        &chpb::QueryNextSequenceReceiveRequest {
            port_id,
            channel_id,
        },
    )
    .await
    .unwrap();
    assert_eq!(nr.next_sequence_receive, 2);
    assert_eq!(nr.proof_height, height(&n.b));
}

#[tokio::test]
async fn client_status_is_expired_once_the_block_time_passes_the_trusting_period() {
    let mut n = net().await;
    let status = |c: &TestChain<AppNode>| {
        let snap = c.node.app.storage().latest_snapshot();
        let queries = c.node.queries.clone();
        async move {
            let out = queries
                .grpc(
                    "/ibc.core.client.v1.Query/ClientStatus",
                    &cpb::QueryClientStatusRequest {
                        client_id: "07-tendermint-0".into(),
                    }
                    .encode_to_vec(),
                    &snap,
                )
                .await
                .unwrap();
            cpb::QueryClientStatusResponse::decode(out.as_slice())
                .unwrap()
                .status
        }
    };
    assert_eq!(status(&n.a).await, "Active");
    // 15 days > the 14-day trusting period; two blocks so a header with the new time runs
    n.clock.advance(15 * 24 * 3600);
    n.a.idle(2).await;
    assert_eq!(status(&n.a).await, "Expired");
}

#[tokio::test]
async fn the_grpc_server_serves_the_ibc_queries_at_the_requested_height() {
    use chpb::query_client::QueryClient as ChannelClient;
    use connpb::query_client::QueryClient as ConnectionClient;
    let (mut n, pair) = ping_net(UNORDERED).await;
    send_ping(&mut n, &pair, b"one").await;
    let channel = grpc_channel(n.a.node.queries.clone()).await;
    let mut req = tonic::Request::new(chpb::QueryPacketCommitmentsRequest {
        port_id: "ping".into(),
        channel_id: pair.chan_a.clone(),
        pagination: Some(PageRequest {
            limit: u64::from(u32::MAX),
            ..Default::default()
        }),
    });
    let at = n.a.height.to_string();
    req.metadata_mut()
        .insert("x-cosmos-block-height", at.parse().unwrap());
    let r = ChannelClient::new(channel.clone())
        .packet_commitments(req)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.commitments.len(), 1);
    assert_eq!(r.height, height(&n.a));
    let e = ConnectionClient::new(channel)
        .connection(connpb::QueryConnectionRequest {
            connection_id: "connection-9".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), tonic::Code::NotFound);
}
