//! ICS-24 paths: the exact keys ibc-go writes (`modules/core/24-host/*.go`).
//!
//! `Display` produces the key inside the IBC store (the part after the commitment prefix
//! `ibc`), and `FromStr` parses it back, so the same type names a key we write and a key we
//! prove on a counterparty. The state key in cnidarium is `ibc/` + this path.

use crate::{Height, IbcError};

/// A provable ICS-24 path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Path {
    /// `clients/{client_id}/clientState` → `Any(ClientState)`.
    ClientState {
        /// The client id.
        client_id: String,
    },
    /// `clients/{client_id}/consensusStates/{rev}-{height}` → `Any(ConsensusState)`.
    ConsensusState {
        /// The client id.
        client_id: String,
        /// The height of the consensus state.
        height: Height,
    },
    /// `clients/{client_id}/connections` → `ClientPaths`.
    ClientConnections {
        /// The client id.
        client_id: String,
    },
    /// `connections/{connection_id}` → `ConnectionEnd`.
    Connection {
        /// The connection id.
        connection_id: String,
    },
    /// `channelEnds/ports/{port}/channels/{channel}` → `Channel`.
    ChannelEnd {
        /// The port id.
        port_id: String,
        /// The channel id.
        channel_id: String,
    },
    /// `nextSequenceSend/ports/{port}/channels/{channel}` → be64.
    NextSequenceSend {
        /// The port id.
        port_id: String,
        /// The channel id.
        channel_id: String,
    },
    /// `nextSequenceRecv/ports/{port}/channels/{channel}` → be64.
    NextSequenceRecv {
        /// The port id.
        port_id: String,
        /// The channel id.
        channel_id: String,
    },
    /// `nextSequenceAck/ports/{port}/channels/{channel}` → be64.
    NextSequenceAck {
        /// The port id.
        port_id: String,
        /// The channel id.
        channel_id: String,
    },
    /// `commitments/ports/{port}/channels/{channel}/sequences/{seq}` → packet commitment.
    Commitment {
        /// The port id.
        port_id: String,
        /// The channel id.
        channel_id: String,
        /// The packet sequence.
        sequence: u64,
    },
    /// `receipts/ports/{port}/channels/{channel}/sequences/{seq}` → `0x01`.
    Receipt {
        /// The port id.
        port_id: String,
        /// The channel id.
        channel_id: String,
        /// The packet sequence.
        sequence: u64,
    },
    /// `acks/ports/{port}/channels/{channel}/sequences/{seq}` → ack commitment.
    Ack {
        /// The port id.
        port_id: String,
        /// The channel id.
        channel_id: String,
        /// The packet sequence.
        sequence: u64,
    },
    /// `{upgrade_key}/{height}/upgradedClient` under a counterparty's upgrade path (ibc-go
    /// `UpgradedClientKey`, `upgradedIBCState/{h}/upgradedClient`).
    UpgradedClient {
        /// The last element of the client's upgrade path (ibc-go: `upgradedIBCState`).
        upgrade_key: String,
        /// The height at which the upgrade happens.
        height: u64,
    },
    /// `{upgrade_key}/{height}/upgradedConsState`.
    UpgradedConsState {
        /// The last element of the client's upgrade path.
        upgrade_key: String,
        /// The height at which the upgrade happens.
        height: u64,
    },
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Path::*;
        match self {
            ClientState { client_id } => write!(f, "clients/{client_id}/clientState"),
            ConsensusState { client_id, height } => {
                write!(f, "clients/{client_id}/consensusStates/{height}")
            }
            ClientConnections { client_id } => write!(f, "clients/{client_id}/connections"),
            Connection { connection_id } => write!(f, "connections/{connection_id}"),
            ChannelEnd {
                port_id,
                channel_id,
            } => write!(f, "channelEnds/ports/{port_id}/channels/{channel_id}"),
            NextSequenceSend {
                port_id,
                channel_id,
            } => write!(f, "nextSequenceSend/ports/{port_id}/channels/{channel_id}"),
            NextSequenceRecv {
                port_id,
                channel_id,
            } => write!(f, "nextSequenceRecv/ports/{port_id}/channels/{channel_id}"),
            NextSequenceAck {
                port_id,
                channel_id,
            } => write!(f, "nextSequenceAck/ports/{port_id}/channels/{channel_id}"),
            Commitment {
                port_id,
                channel_id,
                sequence,
            } => write!(
                f,
                "commitments/ports/{port_id}/channels/{channel_id}/sequences/{sequence}"
            ),
            Receipt {
                port_id,
                channel_id,
                sequence,
            } => write!(
                f,
                "receipts/ports/{port_id}/channels/{channel_id}/sequences/{sequence}"
            ),
            Ack {
                port_id,
                channel_id,
                sequence,
            } => write!(
                f,
                "acks/ports/{port_id}/channels/{channel_id}/sequences/{sequence}"
            ),
            UpgradedClient {
                upgrade_key,
                height,
            } => write!(f, "{upgrade_key}/{height}/upgradedClient"),
            UpgradedConsState {
                upgrade_key,
                height,
            } => write!(f, "{upgrade_key}/{height}/upgradedConsState"),
        }
    }
}

impl std::str::FromStr for Path {
    type Err = IbcError;

    /// Parses a key back into its path. Errors: `host`/3 for anything that is not one of the
    /// paths above.
    fn from_str(s: &str) -> Result<Self, IbcError> {
        let bad = || IbcError::InvalidPath(format!("{s:?} is not an ICS-24 path"));
        let parts: Vec<&str> = s.split('/').collect();
        let seq = |x: &str| x.parse::<u64>().map_err(|_| bad());
        let own = |x: &str| x.to_string();
        Ok(match parts.as_slice() {
            ["clients", c, "clientState"] => Path::ClientState { client_id: own(c) },
            ["clients", c, "consensusStates", h] => Path::ConsensusState {
                client_id: own(c),
                height: h.parse().map_err(|_| bad())?,
            },
            ["clients", c, "connections"] => Path::ClientConnections { client_id: own(c) },
            ["connections", c] => Path::Connection {
                connection_id: own(c),
            },
            [kind, "ports", p, "channels", c] => {
                let (port_id, channel_id) = (own(p), own(c));
                match *kind {
                    "channelEnds" => Path::ChannelEnd {
                        port_id,
                        channel_id,
                    },
                    "nextSequenceSend" => Path::NextSequenceSend {
                        port_id,
                        channel_id,
                    },
                    "nextSequenceRecv" => Path::NextSequenceRecv {
                        port_id,
                        channel_id,
                    },
                    "nextSequenceAck" => Path::NextSequenceAck {
                        port_id,
                        channel_id,
                    },
                    _ => return Err(bad()),
                }
            }
            [kind, "ports", p, "channels", c, "sequences", n] => {
                let (port_id, channel_id, sequence) = (own(p), own(c), seq(n)?);
                match *kind {
                    "commitments" => Path::Commitment {
                        port_id,
                        channel_id,
                        sequence,
                    },
                    "receipts" => Path::Receipt {
                        port_id,
                        channel_id,
                        sequence,
                    },
                    "acks" => Path::Ack {
                        port_id,
                        channel_id,
                        sequence,
                    },
                    _ => return Err(bad()),
                }
            }
            [k, h, "upgradedClient"] => Path::UpgradedClient {
                upgrade_key: own(k),
                height: seq(h)?,
            },
            [k, h, "upgradedConsState"] => Path::UpgradedConsState {
                upgrade_key: own(k),
                height: seq(h)?,
            },
            _ => return Err(bad()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys as ibc-go's `24-host/{client,connection,channel,packet}_paths` build them for the
    /// same inputs (`FullClientStatePath`, `FullConsensusStatePath`, `ClientConnectionsPath`,
    /// `ConnectionPath`, `ChannelPath`, `NextSequence*Path`, `PacketCommitmentPath`,
    /// `PacketReceiptPath`, `PacketAcknowledgementPath`, upgrade `UpgradedClientKey`).
    #[test]
    fn paths_display_the_ibc_go_keys_and_parse_back() {
        let (p, c) = ("transfer".to_string(), "channel-7".to_string());
        let table = [
            (
                Path::ClientState {
                    client_id: "07-tendermint-0".into(),
                },
                "clients/07-tendermint-0/clientState",
            ),
            (
                Path::ConsensusState {
                    client_id: "07-tendermint-0".into(),
                    height: Height::new(1, 42),
                },
                "clients/07-tendermint-0/consensusStates/1-42",
            ),
            (
                Path::ClientConnections {
                    client_id: "07-tendermint-3".into(),
                },
                "clients/07-tendermint-3/connections",
            ),
            (
                Path::Connection {
                    connection_id: "connection-0".into(),
                },
                "connections/connection-0",
            ),
            (
                Path::ChannelEnd {
                    port_id: p.clone(),
                    channel_id: c.clone(),
                },
                "channelEnds/ports/transfer/channels/channel-7",
            ),
            (
                Path::NextSequenceSend {
                    port_id: p.clone(),
                    channel_id: c.clone(),
                },
                "nextSequenceSend/ports/transfer/channels/channel-7",
            ),
            (
                Path::NextSequenceRecv {
                    port_id: p.clone(),
                    channel_id: c.clone(),
                },
                "nextSequenceRecv/ports/transfer/channels/channel-7",
            ),
            (
                Path::NextSequenceAck {
                    port_id: p.clone(),
                    channel_id: c.clone(),
                },
                "nextSequenceAck/ports/transfer/channels/channel-7",
            ),
            (
                Path::Commitment {
                    port_id: p.clone(),
                    channel_id: c.clone(),
                    sequence: 5,
                },
                "commitments/ports/transfer/channels/channel-7/sequences/5",
            ),
            (
                Path::Receipt {
                    port_id: p.clone(),
                    channel_id: c.clone(),
                    sequence: 5,
                },
                "receipts/ports/transfer/channels/channel-7/sequences/5",
            ),
            (
                Path::Ack {
                    port_id: p.clone(),
                    channel_id: c.clone(),
                    sequence: 5,
                },
                "acks/ports/transfer/channels/channel-7/sequences/5",
            ),
            (
                Path::UpgradedClient {
                    upgrade_key: "upgradedIBCState".into(),
                    height: 100,
                },
                "upgradedIBCState/100/upgradedClient",
            ),
            (
                Path::UpgradedConsState {
                    upgrade_key: "upgradedIBCState".into(),
                    height: 100,
                },
                "upgradedIBCState/100/upgradedConsState",
            ),
        ];
        for (path, key) in table {
            assert_eq!(path.to_string(), key);
            assert_eq!(key.parse::<Path>().unwrap(), path, "{key}");
        }
        assert_eq!(
            crate::state_key::path(&Path::Connection {
                connection_id: "connection-0".into()
            }),
            "ibc/connections/connection-0"
        );
        for bad in [
            "",
            "clients/x",
            "acks/ports/p/channels/c/sequences/x",
            "foo/bar",
        ] {
            assert!(bad.parse::<Path>().is_err(), "{bad}");
        }
    }
}
