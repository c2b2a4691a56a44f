//! The IBC core message enum: decoding by type URL, signers, and execution with the runtime's
//! ICS-26 router as the capability (the framework's `ModuleMsg` and `MsgHandler<A>`).

use crate::channel::msgs as ch;
use crate::client::msgs as cl;
use crate::connection::msgs as conn;
use crate::router::IbcApp;
use crate::IbcError;
use cnidarium::StateWrite;
use cosmos_sdk_proto::Any;
use hub_framework::{decode_any as dec, form::MsgForm, ModuleError, ModuleMsg, MsgHandler, TxCtx};
use ibc_proto::ibc::core::{channel::v1 as chpb, client::v1 as clpb, connection::v1 as connpb};

/// Every IBC core message (ICS-02 clients, ICS-03 connections, ICS-04 channels and packets):
/// the module's message enum.
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

fn ibc<T>(r: Result<T, IbcError>) -> Result<T, ModuleError> {
    r.map_err(ModuleError::from)
}

impl IbcMsg {
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
}

impl ModuleMsg for IbcMsg {
    const TYPE_URLS: &'static [&'static str] = &[
        cl::MsgCreateClient::TYPE_URL,
        cl::MsgUpdateClient::TYPE_URL,
        cl::MsgSubmitMisbehaviour::TYPE_URL,
        cl::MsgUpgradeClient::TYPE_URL,
        cl::MsgRecoverClient::TYPE_URL,
        conn::MsgConnectionOpenInit::TYPE_URL,
        conn::MsgConnectionOpenTry::TYPE_URL,
        conn::MsgConnectionOpenAck::TYPE_URL,
        conn::MsgConnectionOpenConfirm::TYPE_URL,
        ch::MsgChannelOpenInit::TYPE_URL,
        ch::MsgChannelOpenTry::TYPE_URL,
        ch::MsgChannelOpenAck::TYPE_URL,
        ch::MsgChannelOpenConfirm::TYPE_URL,
        ch::MsgChannelCloseInit::TYPE_URL,
        ch::MsgChannelCloseConfirm::TYPE_URL,
        ch::MsgRecvPacket::TYPE_URL,
        ch::MsgAcknowledgement::TYPE_URL,
        ch::MsgTimeout::TYPE_URL,
        ch::MsgTimeout::ON_CLOSE_TYPE_URL,
    ];

    const FORMS: &'static [MsgForm] = &[
        MsgForm::of::<clpb::MsgCreateClient>(cl::MsgCreateClient::TYPE_URL),
        MsgForm::of::<clpb::MsgUpdateClient>(cl::MsgUpdateClient::TYPE_URL),
        MsgForm::of::<clpb::MsgSubmitMisbehaviour>(cl::MsgSubmitMisbehaviour::TYPE_URL),
        MsgForm::of::<clpb::MsgUpgradeClient>(cl::MsgUpgradeClient::TYPE_URL),
        MsgForm::of::<clpb::MsgRecoverClient>(cl::MsgRecoverClient::TYPE_URL),
        MsgForm::of::<connpb::MsgConnectionOpenInit>(conn::MsgConnectionOpenInit::TYPE_URL),
        MsgForm::of::<connpb::MsgConnectionOpenTry>(conn::MsgConnectionOpenTry::TYPE_URL),
        MsgForm::of::<connpb::MsgConnectionOpenAck>(conn::MsgConnectionOpenAck::TYPE_URL),
        MsgForm::of::<connpb::MsgConnectionOpenConfirm>(conn::MsgConnectionOpenConfirm::TYPE_URL),
        MsgForm::of::<chpb::MsgChannelOpenInit>(ch::MsgChannelOpenInit::TYPE_URL),
        MsgForm::of::<chpb::MsgChannelOpenTry>(ch::MsgChannelOpenTry::TYPE_URL),
        MsgForm::of::<chpb::MsgChannelOpenAck>(ch::MsgChannelOpenAck::TYPE_URL),
        MsgForm::of::<chpb::MsgChannelOpenConfirm>(ch::MsgChannelOpenConfirm::TYPE_URL),
        MsgForm::of::<chpb::MsgChannelCloseInit>(ch::MsgChannelCloseInit::TYPE_URL),
        MsgForm::of::<chpb::MsgChannelCloseConfirm>(ch::MsgChannelCloseConfirm::TYPE_URL),
        MsgForm::of::<chpb::MsgRecvPacket>(ch::MsgRecvPacket::TYPE_URL),
        MsgForm::of::<chpb::MsgAcknowledgement>(ch::MsgAcknowledgement::TYPE_URL),
        MsgForm::of::<chpb::MsgTimeout>(ch::MsgTimeout::TYPE_URL),
        MsgForm::of::<chpb::MsgTimeoutOnClose>(ch::MsgTimeout::ON_CLOSE_TYPE_URL),
    ];

    /// Decodes `any` if it is an IBC message type; `None` for other types.
    ///
    /// Errors: `sdk`/2 undecodable, and each message's validation errors (ibc-go codes).
    fn decode(any: &Any, hrp: &str) -> Option<Result<Self, ModuleError>> {
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
            _ => return None,
        };
        Some(r)
    }

    /// The address that must sign the message.
    fn signer(&self) -> [u8; 20] {
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
        }
    }

    /// The type URL (`message.action`).
    fn type_url(&self) -> &'static str {
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
        }
    }

    /// `ibc`: the module-specific `ibc_client|ibc_connection|ibc_channel` events come from the
    /// handlers.
    fn module(&self) -> &'static str {
        crate::NAME
    }
}

impl<A: IbcApp + Default> MsgHandler<A> for IbcMsg {
    /// Stateless checks (signer).
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
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
            ChanOpenInit(m) => MsgHandler::<A>::check_stateless(m, tx),
            ChanOpenTry(m) => MsgHandler::<A>::check_stateless(m, tx),
            ChanOpenAck(m) => MsgHandler::<A>::check_stateless(m, tx),
            ChanOpenConfirm(m) => MsgHandler::<A>::check_stateless(m, tx),
            ChanCloseInit(m) => MsgHandler::<A>::check_stateless(m, tx),
            ChanCloseConfirm(m) => MsgHandler::<A>::check_stateless(m, tx),
            RecvPacket(m) => MsgHandler::<A>::check_stateless(m, tx),
            Acknowledgement(m) => MsgHandler::<A>::check_stateless(m, tx),
            Timeout(m) | TimeoutOnClose(m) => MsgHandler::<A>::check_stateless(m, tx),
        }
    }

    /// Executes the message; channel messages call back the application of their port
    /// through the router `A`.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        use IbcMsg::*;
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
            ChanOpenInit(m) => MsgHandler::<A>::check_and_execute(m, s, tx).await,
            ChanOpenTry(m) => MsgHandler::<A>::check_and_execute(m, s, tx).await,
            ChanOpenAck(m) => MsgHandler::<A>::check_and_execute(m, s, tx).await,
            ChanOpenConfirm(m) => MsgHandler::<A>::check_and_execute(m, s, tx).await,
            ChanCloseInit(m) => MsgHandler::<A>::check_and_execute(m, s, tx).await,
            ChanCloseConfirm(m) => MsgHandler::<A>::check_and_execute(m, s, tx).await,
            RecvPacket(m) => MsgHandler::<A>::check_and_execute(m, s, tx).await,
            Acknowledgement(m) => MsgHandler::<A>::check_and_execute(m, s, tx).await,
            Timeout(m) | TimeoutOnClose(m) => MsgHandler::<A>::check_and_execute(m, s, tx).await,
        }
    }
}
