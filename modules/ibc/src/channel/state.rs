//! Channel and packet state at ibc-go's ICS-24 paths.

use super::ChannelEnd;
use crate::{state_key, IbcError, Path};
use cnidarium::{StateRead, StateWrite};
use hub_framework::{StateReadProto, StateWriteProto};

pub use crate::state_key::NEXT_CHANNEL_SEQUENCE;

fn pc(port: &str, chan: &str) -> (String, String) {
    (port.to_string(), chan.to_string())
}

/// Which of a channel end's three counters (ICS-04 `nextSequenceSend`, `nextSequenceRecv`,
/// `nextSequenceAck`), each at its own ICS-24 path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SequenceKind {
    /// The sequence the next sent packet gets.
    Send,
    /// The sequence an ORDERED channel receives next.
    Recv,
    /// The sequence an ORDERED channel acknowledges next.
    Ack,
}

impl SequenceKind {
    /// The three, in the order a new channel end initialises them.
    pub const ALL: [SequenceKind; 3] = [SequenceKind::Send, SequenceKind::Recv, SequenceKind::Ack];
}

fn seq_path(kind: SequenceKind, port: &str, chan: &str) -> Path {
    let (port_id, channel_id) = pc(port, chan);
    match kind {
        SequenceKind::Send => Path::NextSequenceSend {
            port_id,
            channel_id,
        },
        SequenceKind::Recv => Path::NextSequenceRecv {
            port_id,
            channel_id,
        },
        SequenceKind::Ack => Path::NextSequenceAck {
            port_id,
            channel_id,
        },
    }
}

/// Path of a packet commitment.
pub fn commitment_path(port: &str, chan: &str, sequence: u64) -> Path {
    let (port_id, channel_id) = pc(port, chan);
    Path::Commitment {
        port_id,
        channel_id,
        sequence,
    }
}

/// Path of a packet receipt.
pub fn receipt_path(port: &str, chan: &str, sequence: u64) -> Path {
    let (port_id, channel_id) = pc(port, chan);
    Path::Receipt {
        port_id,
        channel_id,
        sequence,
    }
}

/// Path of an acknowledgement commitment.
pub fn ack_path(port: &str, chan: &str, sequence: u64) -> Path {
    let (port_id, channel_id) = pc(port, chan);
    Path::Ack {
        port_id,
        channel_id,
        sequence,
    }
}

/// Path of a channel end.
pub fn channel_path(port: &str, chan: &str) -> Path {
    let (port_id, channel_id) = pc(port, chan);
    Path::ChannelEnd {
        port_id,
        channel_id,
    }
}

/// Path of the next receive sequence.
pub fn next_recv_path(port: &str, chan: &str) -> Path {
    seq_path(SequenceKind::Recv, port, chan)
}

fn internal(e: hub_framework::ModuleError) -> IbcError {
    IbcError::InvalidChannel(e.log)
}

/// Reads of channel state. Blanket-implemented for every `StateRead`.
pub trait ChannelRead: StateRead {
    /// The channel end. Errors: `channel`/3.
    async fn channel(&self, port: &str, chan: &str) -> Result<ChannelEnd, IbcError> {
        self.get_proto(&state_key::path(&channel_path(port, chan)))
            .await
            .map_err(internal)?
            .ok_or_else(|| IbcError::ChannelNotFound(format!("port {port}, channel {chan}")))
    }

    /// Every channel end bound to `port`, as `(channel_id, end)` in key order.
    ///
    /// Errors: `channel`/… on a corrupt stored value.
    async fn channels_on_port(&self, port: &str) -> Result<Vec<(String, ChannelEnd)>, IbcError> {
        // `ibc/channelEnds/ports/{port}/channels/`
        let prefix = state_key::path(&channel_path(port, ""));
        let mut out = Vec::new();
        for (key, _) in self.prefix_raw_vec(&prefix).await.map_err(internal)? {
            let chan = key.trim_start_matches(&prefix).to_string();
            if let Some(end) = self.get_proto(&key).await.map_err(internal)? {
                out.push((chan, end));
            }
        }
        Ok(out)
    }

    /// The next sequence to send / receive / acknowledge; 1 if unset.
    async fn next_sequence(
        &self,
        kind: SequenceKind,
        port: &str,
        chan: &str,
    ) -> Result<u64, IbcError> {
        Ok(self
            .get_u64(&state_key::path(&seq_path(kind, port, chan)))
            .await
            .map_err(internal)?
            .unwrap_or(1))
    }

    /// The stored packet commitment, if any.
    async fn packet_commitment(
        &self,
        port: &str,
        chan: &str,
        seq: u64,
    ) -> Result<Option<Vec<u8>>, IbcError> {
        self.get_raw(&state_key::path(&commitment_path(port, chan, seq)))
            .await
            .map_err(|e| IbcError::InvalidChannel(e.to_string()))
    }

    /// True if a receipt is stored.
    async fn has_receipt(&self, port: &str, chan: &str, seq: u64) -> Result<bool, IbcError> {
        Ok(self
            .get_raw(&state_key::path(&receipt_path(port, chan, seq)))
            .await
            .map_err(|e| IbcError::InvalidChannel(e.to_string()))?
            .is_some())
    }

    /// The stored ack commitment, if any.
    async fn ack_commitment(
        &self,
        port: &str,
        chan: &str,
        seq: u64,
    ) -> Result<Option<Vec<u8>>, IbcError> {
        self.get_raw(&state_key::path(&ack_path(port, chan, seq)))
            .await
            .map_err(|e| IbcError::InvalidChannel(e.to_string()))
    }

    /// The next channel sequence (0 before the first channel).
    async fn next_channel_sequence(&self) -> Result<u64, IbcError> {
        state_key::read_sequence(self, NEXT_CHANNEL_SEQUENCE, IbcError::InvalidChannel).await
    }
}

impl<T: StateRead + ?Sized> ChannelRead for T {}

/// Writes of channel state. Blanket-implemented for every `StateWrite`.
pub trait ChannelWrite: StateWrite {
    /// Stores a channel end.
    fn put_channel(&mut self, port: &str, chan: &str, c: &ChannelEnd) {
        self.put_proto(state_key::path(&channel_path(port, chan)), c);
    }

    /// Sets a next sequence, be64 as ibc-go.
    fn put_next_sequence(&mut self, kind: SequenceKind, port: &str, chan: &str, seq: u64) {
        self.put_u64(state_key::path(&seq_path(kind, port, chan)), seq);
    }

    /// Stores a packet commitment.
    fn put_packet_commitment(&mut self, port: &str, chan: &str, seq: u64, c: [u8; 32]) {
        self.put_raw(
            state_key::path(&commitment_path(port, chan, seq)),
            c.to_vec(),
        );
    }

    /// Deletes a packet commitment (on ack or timeout).
    fn delete_packet_commitment(&mut self, port: &str, chan: &str, seq: u64) {
        self.delete(state_key::path(&commitment_path(port, chan, seq)));
    }

    /// Stores a receipt with `value` (`0x01`; ORDERED_ALLOW_TIMEOUT uses `0x02` for a
    /// timeout receipt).
    fn put_receipt(&mut self, port: &str, chan: &str, seq: u64, value: &[u8]) {
        self.put_raw(
            state_key::path(&receipt_path(port, chan, seq)),
            value.to_vec(),
        );
    }

    /// Stores an ack commitment.
    fn put_ack_commitment(&mut self, port: &str, chan: &str, seq: u64, c: [u8; 32]) {
        self.put_raw(state_key::path(&ack_path(port, chan, seq)), c.to_vec());
    }
}

impl<T: StateWrite + ?Sized> ChannelWrite for T {}
