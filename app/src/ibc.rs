//! IBC in the runtime: decoding of every IBC message type and the ICS-26 router that binds
//! ports to application modules (`ping`; `transfer` comes with ICS-20).

use cosmos_sdk_proto::Any;
use hub_framework::{cnidarium::StateWrite, ModuleError, MsgHandler, SdkError, TxCtx};
use hub_ibc::channel::msgs as ch;
use hub_ibc::channel::packet::RoutedMsg;
use hub_ibc::channel::Packet;
use hub_ibc::client::msgs as cl;
use hub_ibc::connection::msgs as conn;
use hub_ibc::router::{Acknowledgement, ChannelInfo, IbcApp};
use hub_ibc::IbcError;
use hub_interchain_upgrade::UpgradeApp;
use hub_ping::{MsgSendPing, PingApp, PORT as PING_PORT};
use hub_transfer::{MsgTransfer, TransferApp, PORT_ID as TRANSFER_PORT};
use ibc_proto::ibc::applications::transfer::v1 as transferpb;
use ibc_proto::ibc::core::{channel::v1 as chpb, client::v1 as clpb, connection::v1 as connpb};
use prost::Message;

/// Every IBC message the runtime executes.
#[derive(Clone, Debug)]
pub enum IbcMsg {
    /// `MsgCreateClient`.
    CreateClient(cl::MsgCreateClient),
    /// `MsgUpdateClient` (header or misbehaviour).
    UpdateClient(cl::MsgUpdateClient),
    /// `MsgSubmitMisbehaviour`.
    SubmitMisbehaviour(cl::MsgSubmitMisbehaviour),
    /// `MsgUpgradeClient`.
    UpgradeClient(cl::MsgUpgradeClient),
    /// `MsgRecoverClient` (governance authority).
    RecoverClient(cl::MsgRecoverClient),
    /// `MsgConnectionOpenInit`.
    ConnOpenInit(conn::MsgConnectionOpenInit),
    /// `MsgConnectionOpenTry`.
    ConnOpenTry(conn::MsgConnectionOpenTry),
    /// `MsgConnectionOpenAck`.
    ConnOpenAck(conn::MsgConnectionOpenAck),
    /// `MsgConnectionOpenConfirm`.
    ConnOpenConfirm(conn::MsgConnectionOpenConfirm),
    /// `MsgChannelOpenInit`.
    ChanOpenInit(ch::MsgChannelOpenInit),
    /// `MsgChannelOpenTry`.
    ChanOpenTry(ch::MsgChannelOpenTry),
    /// `MsgChannelOpenAck`.
    ChanOpenAck(ch::MsgChannelOpenAck),
    /// `MsgChannelOpenConfirm`.
    ChanOpenConfirm(ch::MsgChannelOpenConfirm),
    /// `MsgChannelCloseInit`.
    ChanCloseInit(ch::MsgChannelCloseInit),
    /// `MsgChannelCloseConfirm`.
    ChanCloseConfirm(ch::MsgChannelCloseConfirm),
    /// `MsgRecvPacket`.
    RecvPacket(ch::MsgRecvPacket),
    /// `MsgAcknowledgement`.
    Acknowledgement(ch::MsgAcknowledgement),
    /// `MsgTimeout`.
    Timeout(ch::MsgTimeout),
    /// `MsgTimeoutOnClose`.
    TimeoutOnClose(ch::MsgTimeout),
    /// `hub.ping.v1.MsgSendPing`.
    SendPing(MsgSendPing),
    /// `ibc.applications.transfer.v1.MsgTransfer` (ICS-20).
    Transfer(MsgTransfer),
}

/// The IBC messages a relayer submits that CheckTx executes, as ibc-go's
/// `RedundantRelayDecorator` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelayKind {
    /// `MsgUpdateClient`: verified and applied to the check-state, so that later txs of a
    /// relayer's batch prove against it.
    Client,
    /// `MsgRecvPacket`, `MsgAcknowledgement`, `MsgTimeout`, `MsgTimeoutOnClose`: counted for
    /// redundancy.
    Packet,
}

fn dec<M: Message + Default>(any: &Any) -> Result<M, ModuleError> {
    M::decode(any.value.as_slice())
        .map_err(|e| SdkError::TxDecode(format!("{}: {e}", any.type_url)).into())
}

fn ibc<T>(r: Result<T, IbcError>) -> Result<T, ModuleError> {
    r.map_err(ModuleError::from)
}

impl IbcMsg {
    /// Decodes `any` if it is an IBC message type; `None` for other types.
    ///
    /// Errors: `sdk`/2 undecodable, and each message's validation errors (ibc-go codes).
    pub fn decode(any: &Any, hrp: &str) -> Option<Result<Self, ModuleError>> {
        use IbcMsg::*;
        let r = match any.type_url.as_str() {
            cl::MsgCreateClient::TYPE_URL => dec::<clpb::MsgCreateClient>(any)
                .and_then(|m| ibc(m.try_into()))
                .map(CreateClient),
            cl::MsgUpdateClient::TYPE_URL => dec::<clpb::MsgUpdateClient>(any)
                .and_then(|m| ibc(m.try_into()))
                .map(UpdateClient),
            cl::MsgSubmitMisbehaviour::TYPE_URL => dec::<clpb::MsgSubmitMisbehaviour>(any)
                .and_then(|m| ibc(m.try_into()))
                .map(SubmitMisbehaviour),
            cl::MsgUpgradeClient::TYPE_URL => dec::<clpb::MsgUpgradeClient>(any)
                .and_then(|m| ibc(m.try_into()))
                .map(UpgradeClient),
            cl::MsgRecoverClient::TYPE_URL => dec::<clpb::MsgRecoverClient>(any)
                .and_then(|m| ibc(m.try_into()))
                .map(RecoverClient),
            conn::MsgConnectionOpenInit::TYPE_URL => dec::<connpb::MsgConnectionOpenInit>(any)
                .and_then(|m| conn::MsgConnectionOpenInit::from_proto(&m, hrp))
                .map(ConnOpenInit),
            conn::MsgConnectionOpenTry::TYPE_URL => dec::<connpb::MsgConnectionOpenTry>(any)
                .and_then(|m| conn::MsgConnectionOpenTry::from_proto(&m, hrp))
                .map(ConnOpenTry),
            conn::MsgConnectionOpenAck::TYPE_URL => dec::<connpb::MsgConnectionOpenAck>(any)
                .and_then(|m| conn::MsgConnectionOpenAck::from_proto(&m, hrp))
                .map(ConnOpenAck),
            conn::MsgConnectionOpenConfirm::TYPE_URL => {
                dec::<connpb::MsgConnectionOpenConfirm>(any)
                    .and_then(|m| conn::MsgConnectionOpenConfirm::from_proto(&m, hrp))
                    .map(ConnOpenConfirm)
            }
            ch::MsgChannelOpenInit::TYPE_URL => dec::<chpb::MsgChannelOpenInit>(any)
                .and_then(|m| ch::MsgChannelOpenInit::from_proto(&m, hrp))
                .map(ChanOpenInit),
            ch::MsgChannelOpenTry::TYPE_URL => dec::<chpb::MsgChannelOpenTry>(any)
                .and_then(|m| ch::MsgChannelOpenTry::from_proto(&m, hrp))
                .map(ChanOpenTry),
            ch::MsgChannelOpenAck::TYPE_URL => dec::<chpb::MsgChannelOpenAck>(any)
                .and_then(|m| ch::MsgChannelOpenAck::from_proto(&m, hrp))
                .map(ChanOpenAck),
            ch::MsgChannelOpenConfirm::TYPE_URL => dec::<chpb::MsgChannelOpenConfirm>(any)
                .and_then(|m| ch::MsgChannelOpenConfirm::from_proto(&m, hrp))
                .map(ChanOpenConfirm),
            ch::MsgChannelCloseInit::TYPE_URL => dec::<chpb::MsgChannelCloseInit>(any)
                .and_then(|m| ch::MsgChannelCloseInit::from_proto(&m, hrp))
                .map(ChanCloseInit),
            ch::MsgChannelCloseConfirm::TYPE_URL => dec::<chpb::MsgChannelCloseConfirm>(any)
                .and_then(|m| ch::MsgChannelCloseConfirm::from_proto(&m, hrp))
                .map(ChanCloseConfirm),
            ch::MsgRecvPacket::TYPE_URL => dec::<chpb::MsgRecvPacket>(any)
                .and_then(|m| ch::MsgRecvPacket::from_proto(&m, hrp))
                .map(RecvPacket),
            ch::MsgAcknowledgement::TYPE_URL => dec::<chpb::MsgAcknowledgement>(any)
                .and_then(|m| ch::MsgAcknowledgement::from_proto(&m, hrp))
                .map(Acknowledgement),
            ch::MsgTimeout::TYPE_URL => dec::<chpb::MsgTimeout>(any)
                .and_then(|m| ch::MsgTimeout::from_proto(&m, hrp))
                .map(Timeout),
            ch::MsgTimeout::ON_CLOSE_TYPE_URL => dec::<chpb::MsgTimeoutOnClose>(any)
                .and_then(|m| ch::MsgTimeout::from_on_close_proto(&m, hrp))
                .map(TimeoutOnClose),
            MsgSendPing::TYPE_URL => dec::<hub_proto::ping::v1::MsgSendPing>(any)
                .and_then(|m| MsgSendPing::from_proto(&m, hrp))
                .map(SendPing),
            MsgTransfer::TYPE_URL => dec::<transferpb::MsgTransfer>(any)
                .and_then(|m| MsgTransfer::from_proto(&m, hrp))
                .map(Transfer),
            _ => return None,
        };
        Some(r)
    }

    /// The message's [`RelayKind`], `None` for messages CheckTx does not execute.
    pub fn relay_kind(&self) -> Option<RelayKind> {
        use IbcMsg::*;
        match self {
            UpdateClient(_) => Some(RelayKind::Client),
            RecvPacket(_) | Acknowledgement(_) | Timeout(_) | TimeoutOnClose(_) => {
                Some(RelayKind::Packet)
            }
            _ => None,
        }
    }

    /// The address that must sign the message.
    pub fn signer(&self) -> [u8; 20] {
        use IbcMsg::*;
        match self {
            CreateClient(m) => m.signer.address,
            UpdateClient(m) => m.signer.address,
            SubmitMisbehaviour(m) => m.signer.address,
            UpgradeClient(m) => m.signer.address,
            RecoverClient(m) => m.signer.address,
            ConnOpenInit(m) => m.signer,
            ConnOpenTry(m) => m.signer,
            ConnOpenAck(m) => m.signer,
            ConnOpenConfirm(m) => m.signer,
            ChanOpenInit(m) => m.signer,
            ChanOpenTry(m) => m.signer,
            ChanOpenAck(m) => m.signer,
            ChanOpenConfirm(m) => m.0.signer,
            ChanCloseInit(m) => m.signer,
            ChanCloseConfirm(m) => m.0.signer,
            RecvPacket(m) => m.signer,
            Acknowledgement(m) => m.signer,
            Timeout(m) | TimeoutOnClose(m) => m.signer,
            SendPing(m) => m.sender,
            Transfer(m) => m.sender.0,
        }
    }

    /// The type URL (`message.action`).
    pub fn type_url(&self) -> &'static str {
        use IbcMsg::*;
        match self {
            CreateClient(_) => cl::MsgCreateClient::TYPE_URL,
            UpdateClient(_) => cl::MsgUpdateClient::TYPE_URL,
            SubmitMisbehaviour(_) => cl::MsgSubmitMisbehaviour::TYPE_URL,
            UpgradeClient(_) => cl::MsgUpgradeClient::TYPE_URL,
            RecoverClient(_) => cl::MsgRecoverClient::TYPE_URL,
            ConnOpenInit(_) => conn::MsgConnectionOpenInit::TYPE_URL,
            ConnOpenTry(_) => conn::MsgConnectionOpenTry::TYPE_URL,
            ConnOpenAck(_) => conn::MsgConnectionOpenAck::TYPE_URL,
            ConnOpenConfirm(_) => conn::MsgConnectionOpenConfirm::TYPE_URL,
            ChanOpenInit(_) => ch::MsgChannelOpenInit::TYPE_URL,
            ChanOpenTry(_) => ch::MsgChannelOpenTry::TYPE_URL,
            ChanOpenAck(_) => ch::MsgChannelOpenAck::TYPE_URL,
            ChanOpenConfirm(_) => ch::MsgChannelOpenConfirm::TYPE_URL,
            ChanCloseInit(_) => ch::MsgChannelCloseInit::TYPE_URL,
            ChanCloseConfirm(_) => ch::MsgChannelCloseConfirm::TYPE_URL,
            RecvPacket(_) => ch::MsgRecvPacket::TYPE_URL,
            Acknowledgement(_) => ch::MsgAcknowledgement::TYPE_URL,
            Timeout(_) => ch::MsgTimeout::TYPE_URL,
            TimeoutOnClose(_) => ch::MsgTimeout::ON_CLOSE_TYPE_URL,
            SendPing(_) => MsgSendPing::TYPE_URL,
            Transfer(_) => MsgTransfer::TYPE_URL,
        }
    }

    /// `message.module` of the message: `ibc` for core messages (the module-specific
    /// `ibc_client|ibc_connection|ibc_channel` events come from the handlers), `ping`.
    pub fn module(&self) -> &'static str {
        match self {
            IbcMsg::SendPing(_) => PING_PORT,
            IbcMsg::Transfer(_) => TRANSFER_PORT,
            _ => hub_ibc::NAME,
        }
    }

    /// Stateless checks (signer).
    pub fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        use IbcMsg::*;
        match self {
            CreateClient(m) => m.check_stateless(tx),
            UpdateClient(m) => m.check_stateless(tx),
            SubmitMisbehaviour(m) => m.check_stateless(tx),
            UpgradeClient(m) => m.check_stateless(tx),
            RecoverClient(m) => m.check_stateless(tx),
            ConnOpenInit(m) => m.check_stateless(tx),
            ConnOpenTry(m) => m.check_stateless(tx),
            ConnOpenAck(m) => m.check_stateless(tx),
            ConnOpenConfirm(m) => m.check_stateless(tx),
            ChanOpenInit(m) => RoutedMsg::check_stateless(m, tx),
            ChanOpenTry(m) => RoutedMsg::check_stateless(m, tx),
            ChanOpenAck(m) => RoutedMsg::check_stateless(m, tx),
            ChanOpenConfirm(m) => RoutedMsg::check_stateless(m, tx),
            ChanCloseInit(m) => RoutedMsg::check_stateless(m, tx),
            ChanCloseConfirm(m) => RoutedMsg::check_stateless(m, tx),
            RecvPacket(m) => RoutedMsg::check_stateless(m, tx),
            Acknowledgement(m) => RoutedMsg::check_stateless(m, tx),
            Timeout(m) | TimeoutOnClose(m) => RoutedMsg::check_stateless(m, tx),
            SendPing(m) => m.check_stateless(tx),
            Transfer(m) => m.check_stateless(tx),
        }
    }

    /// Executes the message; channel messages go through [`Router`].
    pub async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        use IbcMsg::*;
        let r = &Router;
        match self {
            CreateClient(m) => m.check_and_execute(s, tx).await,
            UpdateClient(m) => m.check_and_execute(s, tx).await,
            SubmitMisbehaviour(m) => m.check_and_execute(s, tx).await,
            UpgradeClient(m) => m.check_and_execute(s, tx).await,
            RecoverClient(m) => m.check_and_execute(s, tx).await,
            ConnOpenInit(m) => m.check_and_execute(s, tx).await,
            ConnOpenTry(m) => m.check_and_execute(s, tx).await,
            ConnOpenAck(m) => m.check_and_execute(s, tx).await,
            ConnOpenConfirm(m) => m.check_and_execute(s, tx).await,
            ChanOpenInit(m) => m.execute(s, tx, r).await,
            ChanOpenTry(m) => m.execute(s, tx, r).await,
            ChanOpenAck(m) => m.execute(s, tx, r).await,
            ChanOpenConfirm(m) => m.execute(s, tx, r).await,
            ChanCloseInit(m) => m.execute(s, tx, r).await,
            ChanCloseConfirm(m) => m.execute(s, tx, r).await,
            RecvPacket(m) => m.execute(s, tx, r).await,
            Acknowledgement(m) => m.execute(s, tx, r).await,
            Timeout(m) | TimeoutOnClose(m) => m.execute(s, tx, r).await,
            SendPing(m) => m.check_and_execute(s, tx).await,
            Transfer(m) => m.check_and_execute(s, tx).await,
        }
    }
}

/// The ICS-26 router of the runtime: port → application.
#[derive(Clone, Copy, Debug, Default)]
pub struct Router;

/// The ports bound in this runtime.
pub const BOUND_PORTS: &[&str] = &[TRANSFER_PORT, PING_PORT, UPGRADE_PORT];

/// Port of the interchain-upgrade application.
const UPGRADE_PORT: &str = hub_interchain_upgrade::PORT;

fn unbound(port: &str) -> ModuleError {
    IbcError::PortNotFound(format!("no application is bound to port {port}")).into()
}

/// The port → application table: runs `$call` with `$app` bound to the application of
/// `$port`, or `$unbound(port)` when no application is bound to it. Every application is an
/// [`IbcApp`], so each callback is routed by this one table.
macro_rules! route {
    ($port:expr, |$app:ident| $call:expr, $unbound:expr) => {
        match $port {
            TRANSFER_PORT => {
                let $app = TransferApp::new();
                $call
            }
            PING_PORT => {
                let $app = PingApp;
                $call
            }
            UPGRADE_PORT => {
                let $app = UpgradeApp;
                $call
            }
            p => $unbound(p),
        }
    };
}

impl IbcApp for Router {
    fn is_bound(&self, port_id: &str) -> bool {
        BOUND_PORTS.contains(&port_id)
    }

    async fn on_chan_open_init<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        version: &str,
    ) -> Result<String, ModuleError> {
        route!(
            ch.port_id,
            |app| app.on_chan_open_init(s, tx, ch, version).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_chan_open_try<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Result<String, ModuleError> {
        route!(
            ch.port_id,
            |app| app.on_chan_open_try(s, tx, ch, counterparty_version).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_chan_open_ack<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Result<(), ModuleError> {
        route!(
            ch.port_id,
            |app| app.on_chan_open_ack(s, tx, ch, counterparty_version).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_chan_open_confirm<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
    ) -> Result<(), ModuleError> {
        route!(
            ch.port_id,
            |app| app.on_chan_open_confirm(s, tx, ch).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_chan_close_init<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
    ) -> Result<(), ModuleError> {
        route!(
            ch.port_id,
            |app| app.on_chan_close_init(s, tx, ch).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_chan_close_confirm<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
    ) -> Result<(), ModuleError> {
        route!(
            ch.port_id,
            |app| app.on_chan_close_confirm(s, tx, ch).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_recv_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        relayer: &[u8; 20],
    ) -> Acknowledgement {
        route!(
            packet.destination_port.as_str(),
            |app| app.on_recv_packet(s, tx, packet, relayer).await,
            |_| Acknowledgement {
                bytes: br#"{"error":"no application bound to the port"}"#.to_vec(),
                success: false,
            }
        )
    }

    async fn on_acknowledgement_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        ack: &[u8],
        relayer: &[u8; 20],
    ) -> Result<(), ModuleError> {
        route!(
            packet.source_port.as_str(),
            |app| app
                .on_acknowledgement_packet(s, tx, packet, ack, relayer)
                .await,
            |p| Err(unbound(p))
        )
    }

    async fn on_timeout_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        relayer: &[u8; 20],
    ) -> Result<(), ModuleError> {
        route!(
            packet.source_port.as_str(),
            |app| app.on_timeout_packet(s, tx, packet, relayer).await,
            |p| Err(unbound(p))
        )
    }
}
