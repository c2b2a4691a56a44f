//! The IBC module's genesis: every record of the `ibc` substore, exported and imported exactly
//! (ibc-go `core/genesis.go`: clients with their consensus states and metadata, connections,
//! channels, packet commitments, receipts and acknowledgements, sequences).
//!
//! The sections and field names follow ibc-go's `GenesisState` (`client_genesis`,
//! `connection_genesis`, `channel_genesis`). Protobuf values (client and consensus states as
//! `Any`, `ConnectionEnd`, `Channel`) and packet bytes are base64 of their stored bytes, as the
//! hub's other genesis sections carry protobuf (`interchain_upgrade.hub_client`), so that an
//! export imports back to the same state root. Integers (sequences) are decimal strings.
//! Records that are none of these (each consensus state's processed time and height and the
//! height index, under `clients/{id}/…`, in `clients_metadata`; anything else under `ibc/`
//! in `other`) are kept as raw key suffix and base64 value.

use crate::channel::ChannelEnd;
use crate::connection::ConnectionEnd;
use crate::params::{
    validate_client_params, validate_connection_params, ClientParams, ConnectionParams,
    ParamsWrite, CLIENT_PARAMS_KEY, CONNECTION_PARAMS_KEY,
};
use crate::state_key::{
    COMMITMENT_PREFIX, NEXT_CHANNEL_SEQUENCE, NEXT_CLIENT_SEQUENCE, NEXT_CONNECTION_SEQUENCE,
};
use crate::{IbcError, Path};
use base64::{engine::general_purpose::STANDARD as B64, Engine as _};
use cnidarium::{StateRead, StateWrite};
use hub_framework::{GenesisCtx, Handled, Module, ModuleError, StateReadProto, StateWriteProto};
use ibc_proto::google::protobuf::Any;
use ibc_proto::ibc::core::connection::v1::ClientPaths;
use prost::Message;
use serde::{Deserialize, Serialize};

/// The IBC core module (substore `ibc`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Ibc;

/// `app_state.ibc`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IbcGenesis {
    /// Clients, their consensus states and metadata.
    pub client_genesis: ClientGenesis,
    /// Connections.
    pub connection_genesis: ConnectionGenesis,
    /// Channels and packets.
    pub channel_genesis: ChannelGenesis,
    /// Any other record under `ibc/` (e.g. the `ping` application's), raw.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<RawRecord>,
}

/// `app_state.ibc.client_genesis`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientGenesis {
    /// `clients/{id}/clientState`.
    #[serde(default)]
    pub clients: Vec<ClientRecord>,
    /// `clients/{id}/consensusStates/{height}`.
    #[serde(default)]
    pub clients_consensus: Vec<ConsensusRecord>,
    /// Other records under `clients/{id}/` (processed time and height, height index).
    #[serde(default)]
    pub clients_metadata: Vec<RawRecord>,
    /// `nextClientSequence`.
    #[serde(default = "zero")]
    pub next_client_sequence: String,
    /// `clientParams`, absent when governance never set them (ibc-go's default applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<ClientParamsJson>,
}

/// `client_genesis.params` (ibc-go JSON): the allowed client types, `["*"]` for all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientParamsJson {
    /// Client types, e.g. `["07-tendermint"]`.
    pub allowed_clients: Vec<String>,
}

/// `connection_genesis.params` (ibc-go JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionParamsJson {
    /// Expected time per block in nanoseconds, as a decimal string.
    pub max_expected_time_per_block: String,
}

/// `app_state.ibc.connection_genesis`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionGenesis {
    /// `connections/{id}`.
    #[serde(default)]
    pub connections: Vec<ConnectionRecord>,
    /// `clients/{id}/connections`.
    #[serde(default)]
    pub client_connection_paths: Vec<ClientConnectionPaths>,
    /// `nextConnectionSequence`.
    #[serde(default = "zero")]
    pub next_connection_sequence: String,
    /// `connectionParams`, absent when governance never set them (30 s per block applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<ConnectionParamsJson>,
}

/// `app_state.ibc.channel_genesis`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelGenesis {
    /// `channelEnds/ports/{port}/channels/{channel}`.
    #[serde(default)]
    pub channels: Vec<ChannelRecord>,
    /// `acks/…/sequences/{n}`: acknowledgement commitments.
    #[serde(default)]
    pub acknowledgements: Vec<PacketRecord>,
    /// `commitments/…/sequences/{n}`: packet commitments.
    #[serde(default)]
    pub commitments: Vec<PacketRecord>,
    /// `receipts/…/sequences/{n}`.
    #[serde(default)]
    pub receipts: Vec<PacketRecord>,
    /// `nextSequenceSend/…`.
    #[serde(default)]
    pub send_sequences: Vec<SequenceRecord>,
    /// `nextSequenceRecv/…`.
    #[serde(default)]
    pub recv_sequences: Vec<SequenceRecord>,
    /// `nextSequenceAck/…`.
    #[serde(default)]
    pub ack_sequences: Vec<SequenceRecord>,
    /// `nextChannelSequence`.
    #[serde(default = "zero")]
    pub next_channel_sequence: String,
}

fn zero() -> String {
    "0".into()
}

impl Default for ClientGenesis {
    fn default() -> Self {
        Self {
            clients: Vec::new(),
            clients_consensus: Vec::new(),
            clients_metadata: Vec::new(),
            next_client_sequence: zero(),
            params: None,
        }
    }
}

impl Default for ConnectionGenesis {
    fn default() -> Self {
        Self {
            connections: Vec::new(),
            client_connection_paths: Vec::new(),
            next_connection_sequence: zero(),
            params: None,
        }
    }
}

impl Default for ChannelGenesis {
    fn default() -> Self {
        Self {
            channels: Vec::new(),
            acknowledgements: Vec::new(),
            commitments: Vec::new(),
            receipts: Vec::new(),
            send_sequences: Vec::new(),
            recv_sequences: Vec::new(),
            ack_sequences: Vec::new(),
            next_channel_sequence: zero(),
        }
    }
}

/// Writes a next-id sequence; 0 (the value of a key never written) writes nothing, so a
/// chain's genesis state is the same with or without an empty `ibc` section.
fn put_next_sequence<S: StateWrite>(s: &mut S, key: &str, value: u64) {
    if value != 0 {
        s.put_u64(key.into(), value);
    }
}

/// A client state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientRecord {
    /// Client id.
    pub client_id: String,
    /// Base64 of the stored `Any`.
    pub client_state: String,
}

/// A consensus state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsensusRecord {
    /// Client id.
    pub client_id: String,
    /// `{revision}-{height}`.
    pub height: String,
    /// Base64 of the stored `Any`.
    pub consensus_state: String,
}

/// A connection end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionRecord {
    /// Connection id.
    pub connection_id: String,
    /// Base64 of the stored `ConnectionEnd`.
    pub connection_end: String,
}

/// The connections of a client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConnectionPaths {
    /// Client id.
    pub client_id: String,
    /// Its connection ids.
    pub paths: Vec<String>,
}

/// A channel end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelRecord {
    /// Port id.
    pub port_id: String,
    /// Channel id.
    pub channel_id: String,
    /// Base64 of the stored `Channel`.
    pub channel_end: String,
}

/// A packet record (commitment, receipt or acknowledgement commitment).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PacketRecord {
    /// Port id.
    pub port_id: String,
    /// Channel id.
    pub channel_id: String,
    /// Packet sequence.
    pub sequence: String,
    /// Base64 of the stored bytes.
    pub data: String,
}

/// A channel end's next send, receive or ack sequence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceRecord {
    /// Port id.
    pub port_id: String,
    /// Channel id.
    pub channel_id: String,
    /// The sequence.
    pub sequence: String,
}

/// A record kept as its key (after `ibc/`) and base64 value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecord {
    /// The key after `ibc/`.
    pub key: String,
    /// Base64 of the value.
    pub value: String,
}

fn raw(key: &str, value: &[u8]) -> RawRecord {
    RawRecord {
        key: key.to_owned(),
        value: B64.encode(value),
    }
}

fn be64(key: &str, value: &[u8]) -> Result<String, ModuleError> {
    <[u8; 8]>::try_from(value)
        .map(|b| u64::from_be_bytes(b).to_string())
        .map_err(|_| ModuleError::internal(format!("corrupt u64 at ibc/{key}")))
}

/// Sorts one record of the substore into `g`.
fn export_record(g: &mut IbcGenesis, key: &str, value: &[u8]) -> Handled {
    let prefix = |k: &str| format!("{COMMITMENT_PREFIX}/{k}");
    if prefix(key) == NEXT_CLIENT_SEQUENCE {
        g.client_genesis.next_client_sequence = be64(key, value)?;
        return Ok(());
    }
    if prefix(key) == NEXT_CONNECTION_SEQUENCE {
        g.connection_genesis.next_connection_sequence = be64(key, value)?;
        return Ok(());
    }
    if prefix(key) == CLIENT_PARAMS_KEY {
        let p = decode_params::<ClientParams>(key, value)?;
        g.client_genesis.params = Some(ClientParamsJson {
            allowed_clients: p.allowed_clients,
        });
        return Ok(());
    }
    if prefix(key) == CONNECTION_PARAMS_KEY {
        let p = decode_params::<ConnectionParams>(key, value)?;
        g.connection_genesis.params = Some(ConnectionParamsJson {
            max_expected_time_per_block: p.max_expected_time_per_block.to_string(),
        });
        return Ok(());
    }
    if prefix(key) == NEXT_CHANNEL_SEQUENCE {
        g.channel_genesis.next_channel_sequence = be64(key, value)?;
        return Ok(());
    }
    let (c, ch) = (&mut g.client_genesis, &mut g.channel_genesis);
    let packet = |port_id: String, channel_id: String, sequence: u64| PacketRecord {
        port_id,
        channel_id,
        sequence: sequence.to_string(),
        data: B64.encode(value),
    };
    let seq = |port_id: String, channel_id: String| -> Result<SequenceRecord, ModuleError> {
        Ok(SequenceRecord {
            port_id,
            channel_id,
            sequence: be64(key, value)?,
        })
    };
    match key.parse::<Path>() {
        Ok(Path::ClientState { client_id }) => c.clients.push(ClientRecord {
            client_id,
            client_state: B64.encode(value),
        }),
        Ok(Path::ConsensusState { client_id, height }) => {
            c.clients_consensus.push(ConsensusRecord {
                client_id,
                height: height.to_string(),
                consensus_state: B64.encode(value),
            })
        }
        Ok(Path::ClientConnections { client_id }) => {
            let paths = ClientPaths::decode(value)
                .map_err(|e| ModuleError::internal(format!("corrupt ibc/{key}: {e}")))?;
            g.connection_genesis
                .client_connection_paths
                .push(ClientConnectionPaths {
                    client_id,
                    paths: paths.paths,
                });
        }
        Ok(Path::Connection { connection_id }) => {
            g.connection_genesis.connections.push(ConnectionRecord {
                connection_id,
                connection_end: B64.encode(value),
            })
        }
        Ok(Path::ChannelEnd {
            port_id,
            channel_id,
        }) => ch.channels.push(ChannelRecord {
            port_id,
            channel_id,
            channel_end: B64.encode(value),
        }),
        Ok(Path::NextSequenceSend {
            port_id,
            channel_id,
        }) => ch.send_sequences.push(seq(port_id, channel_id)?),
        Ok(Path::NextSequenceRecv {
            port_id,
            channel_id,
        }) => ch.recv_sequences.push(seq(port_id, channel_id)?),
        Ok(Path::NextSequenceAck {
            port_id,
            channel_id,
        }) => ch.ack_sequences.push(seq(port_id, channel_id)?),
        Ok(Path::Commitment {
            port_id,
            channel_id,
            sequence,
        }) => ch.commitments.push(packet(port_id, channel_id, sequence)),
        Ok(Path::Receipt {
            port_id,
            channel_id,
            sequence,
        }) => ch.receipts.push(packet(port_id, channel_id, sequence)),
        Ok(Path::Ack {
            port_id,
            channel_id,
            sequence,
        }) => ch
            .acknowledgements
            .push(packet(port_id, channel_id, sequence)),
        _ if key.starts_with("clients/") => c.clients_metadata.push(raw(key, value)),
        _ => g.other.push(raw(key, value)),
    }
    Ok(())
}

fn decode_params<M: Message + Default>(key: &str, value: &[u8]) -> Result<M, ModuleError> {
    M::decode(value).map_err(|e| ModuleError::internal(format!("corrupt ibc/{key}: {e}")))
}

/// A genesis field's base64 value. Errors: `host`/3 naming the field.
fn bytes(field: &str, text: &str) -> Result<Vec<u8>, ModuleError> {
    B64.decode(text)
        .map_err(|e| IbcError::InvalidPath(format!("{field}: not base64 ({e})")).into())
}

/// A genesis field's decimal u64. Errors: `host`/3 naming the field.
fn number(field: &str, text: &str) -> Result<u64, ModuleError> {
    text.parse()
        .map_err(|_| IbcError::InvalidPath(format!("{field}: {text:?} is not a u64")).into())
}

/// Writes `value` at the store key of `path`, checking that the key it names parses back to
/// the same path (so ids with `/` cannot write elsewhere).
fn put_path<S: StateWrite>(s: &mut S, field: &str, path: Path, value: Vec<u8>) -> Handled {
    let key = path.to_string();
    if key.parse::<Path>().as_ref() != Ok(&path) {
        return Err(
            IbcError::InvalidIdentifier(format!("{field}: {key:?} is not a valid path")).into(),
        );
    }
    s.put_raw(crate::state_key::path(&path), value);
    Ok(())
}

fn check_any(field: &str, value: &[u8], type_url: &str) -> Handled {
    let any = Any::decode(value)
        .map_err(|e| IbcError::InvalidClient(format!("{field}: not a protobuf Any ({e})")))?;
    if any.type_url != type_url {
        return Err(IbcError::InvalidClientType(format!(
            "{field}: {:?}, this chain supports {type_url}",
            any.type_url
        ))
        .into());
    }
    Ok(())
}

fn init_clients<S: StateWrite>(s: &mut S, g: &ClientGenesis) -> Handled {
    let at = "app_state.ibc.client_genesis";
    for (i, r) in g.clients.iter().enumerate() {
        let field = format!("{at}.clients[{i}].client_state");
        let value = bytes(&field, &r.client_state)?;
        check_any(&field, &value, crate::client::types::CLIENT_STATE_TYPE_URL)?;
        let path = Path::ClientState {
            client_id: r.client_id.clone(),
        };
        put_path(s, &field, path, value)?;
    }
    for (i, r) in g.clients_consensus.iter().enumerate() {
        let field = format!("{at}.clients_consensus[{i}]");
        let value = bytes(&field, &r.consensus_state)?;
        check_any(
            &field,
            &value,
            crate::client::types::CONSENSUS_STATE_TYPE_URL,
        )?;
        let height = r
            .height
            .parse()
            .map_err(|_| IbcError::InvalidHeight(format!("{field}.height: {:?}", r.height)))?;
        let path = Path::ConsensusState {
            client_id: r.client_id.clone(),
            height,
        };
        put_path(s, &field, path, value)?;
    }
    for (i, r) in g.clients_metadata.iter().enumerate() {
        let field = format!("{at}.clients_metadata[{i}]");
        if !r.key.starts_with("clients/") || r.key.contains("..") {
            return Err(IbcError::InvalidPath(format!("{field}.key: {:?}", r.key)).into());
        }
        s.put_raw(
            format!("{COMMITMENT_PREFIX}/{}", r.key),
            bytes(&field, &r.value)?,
        );
    }
    let next = number(
        &format!("{at}.next_client_sequence"),
        &g.next_client_sequence,
    )?;
    put_next_sequence(s, NEXT_CLIENT_SEQUENCE, next);
    if let Some(p) = &g.params {
        let p = ClientParams {
            allowed_clients: p.allowed_clients.clone(),
        };
        validate_client_params(&p).map_err(|e| at_field(&format!("{at}.params"), e))?;
        s.put_client_params(&p);
    }
    Ok(())
}

/// `e` with the genesis field it comes from.
fn at_field(field: &str, e: IbcError) -> ModuleError {
    IbcError::InvalidParams(format!("{field}: {e}")).into()
}

fn init_connections<S: StateWrite>(s: &mut S, g: &ConnectionGenesis) -> Handled {
    let at = "app_state.ibc.connection_genesis";
    for (i, r) in g.connections.iter().enumerate() {
        let field = format!("{at}.connections[{i}].connection_end");
        let value = bytes(&field, &r.connection_end)?;
        ConnectionEnd::decode(value.as_slice())
            .map_err(|e| IbcError::InvalidConnection(format!("{field}: {e}")))?;
        let path = Path::Connection {
            connection_id: r.connection_id.clone(),
        };
        put_path(s, &field, path, value)?;
    }
    for (i, r) in g.client_connection_paths.iter().enumerate() {
        let field = format!("{at}.client_connection_paths[{i}]");
        let value = ClientPaths {
            paths: r.paths.clone(),
        }
        .encode_to_vec();
        let path = Path::ClientConnections {
            client_id: r.client_id.clone(),
        };
        put_path(s, &field, path, value)?;
    }
    let next = number(
        &format!("{at}.next_connection_sequence"),
        &g.next_connection_sequence,
    )?;
    put_next_sequence(s, NEXT_CONNECTION_SEQUENCE, next);
    if let Some(p) = &g.params {
        let field = format!("{at}.params.max_expected_time_per_block");
        let p = ConnectionParams {
            max_expected_time_per_block: number(&field, &p.max_expected_time_per_block)?,
        };
        validate_connection_params(&p).map_err(|e| at_field(&field, e))?;
        s.put_connection_params(&p);
    }
    Ok(())
}

fn init_channels<S: StateWrite>(s: &mut S, g: &ChannelGenesis) -> Handled {
    let at = "app_state.ibc.channel_genesis";
    for (i, r) in g.channels.iter().enumerate() {
        let field = format!("{at}.channels[{i}].channel_end");
        let value = bytes(&field, &r.channel_end)?;
        ChannelEnd::decode(value.as_slice())
            .map_err(|e| IbcError::InvalidChannel(format!("{field}: {e}")))?;
        let path = Path::ChannelEnd {
            port_id: r.port_id.clone(),
            channel_id: r.channel_id.clone(),
        };
        put_path(s, &field, path, value)?;
    }
    type PacketPath = fn(String, String, u64) -> Path;
    let packet_lists: [(&str, &Vec<PacketRecord>, PacketPath); 3] = [
        (
            "acknowledgements",
            &g.acknowledgements,
            |port_id, channel_id, sequence| Path::Ack {
                port_id,
                channel_id,
                sequence,
            },
        ),
        (
            "commitments",
            &g.commitments,
            |port_id, channel_id, sequence| Path::Commitment {
                port_id,
                channel_id,
                sequence,
            },
        ),
        ("receipts", &g.receipts, |port_id, channel_id, sequence| {
            Path::Receipt {
                port_id,
                channel_id,
                sequence,
            }
        }),
    ];
    for (name, list, make) in packet_lists {
        for (i, r) in list.iter().enumerate() {
            let field = format!("{at}.{name}[{i}]");
            let sequence = number(&format!("{field}.sequence"), &r.sequence)?;
            let value = bytes(&format!("{field}.data"), &r.data)?;
            let path = make(r.port_id.clone(), r.channel_id.clone(), sequence);
            put_path(s, &field, path, value)?;
        }
    }
    type SeqPath = fn(String, String) -> Path;
    let sequence_lists: [(&str, &Vec<SequenceRecord>, SeqPath); 3] = [
        (
            "send_sequences",
            &g.send_sequences,
            |port_id, channel_id| Path::NextSequenceSend {
                port_id,
                channel_id,
            },
        ),
        (
            "recv_sequences",
            &g.recv_sequences,
            |port_id, channel_id| Path::NextSequenceRecv {
                port_id,
                channel_id,
            },
        ),
        ("ack_sequences", &g.ack_sequences, |port_id, channel_id| {
            Path::NextSequenceAck {
                port_id,
                channel_id,
            }
        }),
    ];
    for (name, list, make) in sequence_lists {
        for (i, r) in list.iter().enumerate() {
            let field = format!("{at}.{name}[{i}]");
            let sequence = number(&format!("{field}.sequence"), &r.sequence)?;
            let path = make(r.port_id.clone(), r.channel_id.clone());
            put_path(s, &field, path, sequence.to_be_bytes().to_vec())?;
        }
    }
    let next = number(
        &format!("{at}.next_channel_sequence"),
        &g.next_channel_sequence,
    )?;
    put_next_sequence(s, NEXT_CHANNEL_SEQUENCE, next);
    Ok(())
}

impl Module for Ibc {
    const NAME: &'static str = crate::NAME;
    type Genesis = IbcGenesis;

    /// Writes every record of `g`. Errors (nothing is committed): `host`/2 or `host`/3 for a
    /// bad id, key, number or base64 value, `client`/3 or `client`/10 for a client or
    /// consensus state that is not a 07-tendermint `Any`, `client`/26 for a bad height,
    /// `connection`/8 or `channel`/4 for an undecodable end — each naming its field.
    async fn init_genesis<S: StateWrite>(s: &mut S, _ctx: &GenesisCtx, g: &IbcGenesis) -> Handled {
        init_clients(s, &g.client_genesis)?;
        init_connections(s, &g.connection_genesis)?;
        init_channels(s, &g.channel_genesis)?;
        for (i, r) in g.other.iter().enumerate() {
            let field = format!("app_state.ibc.other[{i}]");
            if r.key.is_empty() || r.key.contains("..") {
                return Err(IbcError::InvalidPath(format!("{field}.key: {:?}", r.key)).into());
            }
            s.put_raw(
                format!("{COMMITMENT_PREFIX}/{}", r.key),
                bytes(&field, &r.value)?,
            );
        }
        Ok(())
    }

    /// Every record of the `ibc` substore, in key order.
    async fn export_genesis<S: StateRead>(s: &S) -> Result<IbcGenesis, ModuleError> {
        let mut g = IbcGenesis::default();
        let prefix = format!("{COMMITMENT_PREFIX}/");
        for (key, value) in s.prefix_raw_vec(&prefix).await? {
            export_record(&mut g, &key[prefix.len()..], &value)?;
        }
        Ok(g)
    }
}
