//! Two chains that bind the `ping` test application, connected: the fixture of the IBC core
//! tests (handshakes, orderings, timeouts, queries).
#![allow(dead_code)] // each test file uses part of it

use super::{chain_with, ping_runtime, AppNode};
use hub_testkit::ibc::{
    connect, open_channel, relay_ack, relay_recv, relay_timeout, sent_packets, ChannelPair,
    ClientParams, Clock, Link, TestChain, TxResult,
};
use ibc_proto::ibc::core::channel::v1 as chpb;
use prost::Message;

/// Chains A (`hub-1`) and B (`spoke-1`) of the ping runtime, with a connection.
pub struct Net {
    pub clock: Clock,
    pub a: TestChain<AppNode>,
    pub b: TestChain<AppNode>,
    pub link: Link,
}

impl Net {
    /// Relays the receive of `p`, sent on A, into B; returns the result of B's tx.
    pub async fn recv(&mut self, p: &chpb::Packet) -> TxResult {
        relay_recv(&mut self.a, &mut self.b, &mut self.link.b, p).await
    }

    /// Relays `ack`, written on B for `p`, back to A; returns the result of A's tx.
    pub async fn ack(&mut self, p: &chpb::Packet, ack: &[u8]) -> TxResult {
        relay_ack(&mut self.b, &mut self.a, &mut self.link.a, p, ack).await
    }

    /// Relays the timeout of `p`, sent on A over a channel of `ordering`, back to A; returns
    /// the result of A's tx.
    pub async fn timeout(&mut self, p: &chpb::Packet, ordering: i32) -> TxResult {
        relay_timeout(&mut self.b, &mut self.a, &mut self.link.a, p, ordering).await
    }
}

/// A fresh [`Net`].
pub async fn net() -> Net {
    let clock = Clock::new(1_700_000_000);
    let mut a = chain_with("hub-1", &clock, &[], ping_runtime(), |_| {}).await;
    let mut b = chain_with("spoke-1", &clock, &[], ping_runtime(), |_| {}).await;
    let link = connect(&mut a, &mut b, &ClientParams::default()).await;
    Net { clock, a, b, link }
}

/// A fresh [`Net`] with a `ping` channel A → B of `ordering`.
pub async fn ping_net(ordering: i32) -> (Net, ChannelPair) {
    let mut n = net().await;
    let pair = ping_channel(&mut n, ordering).await;
    (n, pair)
}

/// Opens a `ping` channel A → B with `ordering`.
pub async fn ping_channel(n: &mut Net, ordering: i32) -> ChannelPair {
    let ports = ("ping", "ping");
    open_channel(&mut n.a, &mut n.b, &mut n.link, ports, ordering, "ping-1").await
}

/// `MsgSendPing` of `chain`'s relayer on `channel`, with the given timeouts.
pub fn ping_msg(
    chain: &TestChain<AppNode>,
    channel: &str,
    data: &[u8],
    timeout: (u64, u64),
    timeout_ts: u64,
) -> ibc_proto::google::protobuf::Any {
    ibc_proto::google::protobuf::Any {
        type_url: "/hub.ping.v1.MsgSendPing".into(),
        value: hub_proto::ping::v1::MsgSendPing {
            sender: chain.relayer_address(),
            source_channel: channel.into(),
            data: data.to_vec(),
            timeout_revision_number: timeout.0,
            timeout_revision_height: timeout.1,
            timeout_timestamp: timeout_ts,
        }
        .encode_to_vec(),
    }
}

/// Sends a ping from A with a timeout far in B's future; returns the packet.
pub async fn send_ping(n: &mut Net, pair: &ChannelPair, data: &[u8]) -> chpb::Packet {
    let far = n.b.height + 1000;
    send_ping_until(n, pair, data, (1, far), 0).await
}

/// Sends a ping from A that times out `blocks` blocks after B's current height; returns the
/// packet.
pub async fn send_ping_expiring(
    n: &mut Net,
    pair: &ChannelPair,
    data: &[u8],
    blocks: u64,
) -> chpb::Packet {
    let at = n.b.height + blocks;
    send_ping_until(n, pair, data, (1, at), 0).await
}

/// Sends a ping from A with the given timeouts (as [`ping_msg`]); returns the packet.
pub async fn send_ping_until(
    n: &mut Net,
    pair: &ChannelPair,
    data: &[u8],
    timeout: (u64, u64),
    timeout_ts: u64,
) -> chpb::Packet {
    let m = ping_msg(&n.a, &pair.chan_a, data, timeout, timeout_ts);
    let r = n.a.submit(vec![m]).await.ok();
    sent_packets(&r).pop().unwrap()
}
