//! The IBC core message enum: decoding by type URL, signers, and execution with the runtime's
//! ICS-26 router as the capability (the framework's `ModuleMsg` and `MsgHandler<A>`).

use crate::channel::msgs as ch;
use crate::client::msgs as cl;
use crate::connection::msgs as conn;
use crate::params;
use crate::router::IbcApp;
use crate::IbcError;
use cnidarium::StateWrite;
use cosmos_sdk_proto::Any;
use hub_framework::{
    decode_any as dec, form::MsgForm, Handled, ModuleError, ModuleMsg, MsgHandler, TxCtx,
};
use ibc_proto::ibc::core::{channel::v1 as chpb, client::v1 as clpb, connection::v1 as connpb};

/// Declares [`IbcMsg`] and its `ModuleMsg` and `MsgHandler` implementations from one table,
/// in type-URL order. Rows come in sections by how the domain message is built from its
/// protobuf: `try_from` ([`TryFrom`], the client messages) or a constructor `(&proto, hrp)`,
/// with the type-URL constant of the section. Each row names its variant, domain message,
/// protobuf type, the capability its handler needs (`()`, or the router `A` for the channel
/// messages, which call back the application of their port) and the address that must sign it.
macro_rules! ibc_msgs {
    (
        $(#[$meta:meta])*
        pub enum $name:ident;
        $(
            ($conv:ident, $url:ident) {
                $(
                    $(#[$vmeta:meta])*
                    $variant:ident($ty:ty = $proto:ty, $cap:ty, |$m:ident| $signer:expr),
                )*
            }
        )*
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub enum $name {
            $($( $(#[$vmeta])* $variant($ty), )*)*
        }

        impl ModuleMsg for $name {
            const TYPE_URLS: &'static [&'static str] = &[$($( <$ty>::$url, )*)*];

            const FORMS: &'static [MsgForm] = &[$($( MsgForm::of::<$proto>(<$ty>::$url), )*)*];

            /// Decodes `any` if it is an IBC message type; `None` for other types.
            ///
            /// Errors: `sdk`/2 undecodable, and each message's validation errors (ibc-go codes).
            fn decode(any: &Any, hrp: &str) -> Option<Result<Self, ModuleError>> {
                $($(
                    if any.type_url == <$ty>::$url {
                        let m = dec::<$proto>(any)
                            .and_then(|m| ibc_msgs!(@conv $conv, $ty, m, hrp));
                        return Some(m.map($name::$variant));
                    }
                )*)*
                None
            }

            /// The address that must sign the message.
            fn signer(&self) -> [u8; 20] {
                match self {
                    $($( $name::$variant($m) => $signer, )*)*
                }
            }

            /// The type URL (`message.action`).
            fn type_url(&self) -> &'static str {
                match self {
                    $($( $name::$variant(_) => <$ty>::$url, )*)*
                }
            }

            /// `ibc`: the module-specific `ibc_client|ibc_connection|ibc_channel` events come
            /// from the handlers.
            const MODULE: &'static str = crate::NAME;
        }

        impl<A: IbcApp + Default> MsgHandler<A> for $name {
            /// Stateless checks (signer).
            fn check_stateless(&self, tx: &TxCtx) -> Handled {
                match self {
                    $($( $name::$variant(m) => {
                        <$ty as MsgHandler<$cap>>::check_stateless(m, tx)
                    } )*)*
                }
            }

            /// Executes the message; channel messages call back the application of their port
            /// through the router `A`.
            async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
                match self {
                    $($( $name::$variant(m) => {
                        <$ty as MsgHandler<$cap>>::check_and_execute(m, s, tx).await
                    } )*)*
                }
            }
        }
    };
    (@conv try_from, $ty:ty, $m:ident, $hrp:ident) => {
        ibc(<$ty>::try_from($m))
    };
    (@conv $conv:ident, $ty:ty, $m:ident, $hrp:ident) => {
        <$ty>::$conv(&$m, $hrp)
    };
}

ibc_msgs! {
    /// Every IBC core message (ICS-02 clients, ICS-03 connections, ICS-04 channels and packets):
    /// the module's message enum.
    pub enum IbcMsg;

    (try_from, TYPE_URL) {
        /// `MsgCreateClient`.
        CreateClient(cl::MsgCreateClient = clpb::MsgCreateClient, (), |m| m.signer.address),
        /// `MsgUpdateClient` (header or misbehaviour).
        UpdateClient(cl::MsgUpdateClient = clpb::MsgUpdateClient, (), |m| m.signer.address),
        /// `MsgSubmitMisbehaviour`.
        SubmitMisbehaviour(
            cl::MsgSubmitMisbehaviour = clpb::MsgSubmitMisbehaviour, (), |m| m.signer.address
        ),
        /// `MsgUpgradeClient`.
        UpgradeClient(cl::MsgUpgradeClient = clpb::MsgUpgradeClient, (), |m| m.signer.address),
        /// `MsgRecoverClient` (governance authority).
        RecoverClient(cl::MsgRecoverClient = clpb::MsgRecoverClient, (), |m| m.signer.address),
    }
    (from_proto, TYPE_URL) {
        /// Client `MsgUpdateParams` (governance authority).
        UpdateClientParams(params::MsgUpdateClientParams = clpb::MsgUpdateParams, (), |m| m.signer),
        /// Connection `MsgUpdateParams` (governance authority).
        UpdateConnectionParams(
            params::MsgUpdateConnectionParams = connpb::MsgUpdateParams, (), |m| m.signer
        ),
        /// `MsgConnectionOpenInit`.
        ConnOpenInit(conn::MsgConnectionOpenInit = connpb::MsgConnectionOpenInit, (), |m| m.signer),
        /// `MsgConnectionOpenTry`.
        ConnOpenTry(conn::MsgConnectionOpenTry = connpb::MsgConnectionOpenTry, (), |m| m.signer),
        /// `MsgConnectionOpenAck`.
        ConnOpenAck(conn::MsgConnectionOpenAck = connpb::MsgConnectionOpenAck, (), |m| m.signer),
        /// `MsgConnectionOpenConfirm`.
        ConnOpenConfirm(
            conn::MsgConnectionOpenConfirm = connpb::MsgConnectionOpenConfirm, (), |m| m.signer
        ),
        /// `MsgChannelOpenInit`.
        ChanOpenInit(ch::MsgChannelOpenInit = chpb::MsgChannelOpenInit, A, |m| m.signer),
        /// `MsgChannelOpenTry`.
        ChanOpenTry(ch::MsgChannelOpenTry = chpb::MsgChannelOpenTry, A, |m| m.signer),
        /// `MsgChannelOpenAck`.
        ChanOpenAck(ch::MsgChannelOpenAck = chpb::MsgChannelOpenAck, A, |m| m.signer),
        /// `MsgChannelOpenConfirm`.
        ChanOpenConfirm(ch::MsgChannelOpenConfirm = chpb::MsgChannelOpenConfirm, A, |m| m.0.signer),
        /// `MsgChannelCloseInit`.
        ChanCloseInit(ch::MsgChannelCloseInit = chpb::MsgChannelCloseInit, A, |m| m.signer),
        /// `MsgChannelCloseConfirm`.
        ChanCloseConfirm(
            ch::MsgChannelCloseConfirm = chpb::MsgChannelCloseConfirm, A, |m| m.0.signer
        ),
        /// `MsgRecvPacket`.
        RecvPacket(ch::MsgRecvPacket = chpb::MsgRecvPacket, A, |m| m.signer),
        /// `MsgAcknowledgement`.
        Acknowledgement(ch::MsgAcknowledgement = chpb::MsgAcknowledgement, A, |m| m.signer),
        /// `MsgTimeout`.
        Timeout(ch::MsgTimeout = chpb::MsgTimeout, A, |m| m.signer),
    }
    (from_on_close_proto, ON_CLOSE_TYPE_URL) {
        /// `MsgTimeoutOnClose`.
        TimeoutOnClose(ch::MsgTimeout = chpb::MsgTimeoutOnClose, A, |m| m.signer),
    }
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
