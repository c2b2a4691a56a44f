//! The module contract: genesis, message handlers and block hooks.
//!
//! Async where it touches state, because cnidarium reads are async. Native `async fn` in traits
//! is used with static dispatch only (the runtime matches on an exhaustive `Msg` enum), so the
//! futures' `Send`-ness is known at every call site.
#![allow(async_fn_in_trait)]

use crate::{BlockCtx, GenesisCtx, ModuleError, TxCtx};
use cnidarium::{StateRead, StateWrite};
use serde::{de::DeserializeOwned, Serialize};

/// A self-contained piece of chain logic with its own substore.
pub trait Module: 'static {
    /// The module name: its substore prefix, event prefix and error codespace (e.g. `bank`).
    const NAME: &'static str;
    /// The module's section of the genesis file's `app_state` (JSON, as Cosmos users expect).
    type Genesis: Default + Serialize + DeserializeOwned + Send + Sync;

    /// Writes the genesis state. Fails (naming the bad field) on an invalid genesis; the node
    /// then refuses to start, and nothing is committed.
    async fn init_genesis<S: StateWrite>(s: &mut S, ctx: &GenesisCtx, g: &Self::Genesis)
        -> Handled;

    /// Reads the whole module state back into its genesis form (export / import round trip).
    async fn export_genesis<S: StateRead>(s: &S) -> Result<Self::Genesis, ModuleError>;
}

/// A domain message that a module executes: the one handler contract.
///
/// Validation is split as Penumbra's `ActionHandler` does: `check_stateless` may run in parallel
/// (CheckTx) and sees no state; `check_and_execute` runs in block order on the transaction's
/// overlay and must re-check anything an earlier message in the same block could change.
///
/// `C` is the module's capabilities, as FRAME's `Config`: the types through which the runtime
/// lets the module reach outside its own substore (staking's bank adapter, gov's
/// `GovConfig`, IBC's ICS-26 router). A module that needs none uses the default `()`. The
/// capabilities are types, not values: a handler builds what it needs from them (they are
/// zero-sized adapters), so a runtime picks them once, in its `Msg` table.
pub trait MsgHandler<C = ()> {
    /// Shape checks needing no state (addresses, amounts, lengths), and that the message's
    /// required signer is the transaction's signer.
    fn check_stateless(&self, tx: &TxCtx) -> Handled;

    /// Stateful checks and the state change. On `Err` the caller drops the overlay: nothing is
    /// written and no event is emitted.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled;
}

/// What a handler step, a hook or a module's check returns: `Ok(())`, or the typed error the
/// runtime turns into an ABCI code, codespace and log.
pub type Handled = Result<(), ModuleError>;

/// A module's messages as one enum: what a runtime needs to turn a transaction's `Any`s into
/// messages and to label them, without naming any of them.
///
/// A runtime's `Msg` has one variant per module; its type-URL table is the union of the
/// modules' [`ModuleMsg::TYPE_URLS`] (a runtime test checks that no two modules claim one).
/// Executing is the enum's [`MsgHandler`] implementation, with the module's capabilities.
pub trait ModuleMsg: Sized {
    /// Every type URL the module decodes (`/cosmos.bank.v1beta1.MsgSend`, …).
    const TYPE_URLS: &'static [&'static str];

    /// The protobuf form of each of [`Self::TYPE_URLS`], in the same order: what the
    /// generated CLI builds a `tx` command from.
    const FORMS: &'static [crate::form::MsgForm];

    /// Decodes and validates `any` if its type URL is one of [`Self::TYPE_URLS`]; `None` for
    /// any other type URL, so that the runtime can ask the next module.
    ///
    /// Errors: `sdk`/2 for undecodable bytes, and the message's own stateless errors (bad
    /// address for the chain's bech32 prefix `hrp`, bad amounts, …).
    fn decode(any: &cosmos_sdk_proto::Any, hrp: &str) -> Option<Result<Self, ModuleError>>;

    /// The type URL of this message (the `message.action` event attribute).
    fn type_url(&self) -> &'static str;

    /// The 20-byte address that must sign it.
    fn signer(&self) -> [u8; 20];

    /// The module that executes the messages (the `message.module` event attribute): usually
    /// the module's name; IBC applications name their port. A runtime runs them only if it
    /// lists this module or binds this port.
    const MODULE: &'static str;

    /// [`Self::MODULE`], of a message.
    fn module(&self) -> &'static str {
        Self::MODULE
    }
}

/// Decodes `any`'s bytes as the protobuf `M`.
///
/// Errors: `sdk`/2 (`tx parse error`) naming the type URL.
pub fn decode_any<M: prost::Message + Default>(
    any: &cosmos_sdk_proto::Any,
) -> Result<M, ModuleError> {
    M::decode(any.value.as_slice())
        .map_err(|e| crate::SdkError::TxDecode(format!("{}: {e}", any.type_url)).into())
}

/// A hook that runs at the start of every block, before any transaction.
pub trait BeginBlocker: Module {
    /// Runs the hook. An error halts the chain (it is a bug, not bad input).
    async fn begin_block<S: StateWrite>(s: &mut S, ctx: &BlockCtx) -> Handled;
}

/// A CometBFT validator power change produced at the end of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorUpdate {
    /// Ed25519 consensus public key (32 bytes).
    pub pub_key: [u8; 32],
    /// New voting power; 0 removes the validator.
    pub power: u64,
}

/// A hook that runs at the end of every block, after all transactions.
pub trait EndBlocker: Module {
    /// Runs the hook and returns validator-set changes (empty for most modules).
    async fn end_block<S: StateWrite>(
        s: &mut S,
        ctx: &BlockCtx,
    ) -> Result<Vec<ValidatorUpdate>, ModuleError>;
}

/// Declares a module's message enum and its [`ModuleMsg`] and [`MsgHandler`] implementations
/// from one table: each variant names its domain message type (with a `TYPE_URL` constant and a
/// `from_proto(&Proto, hrp) -> Result<Self, ModuleError>` constructor), its protobuf type and
/// the field that must sign it.
///
/// The enum implements `MsgHandler<C>` for every capability type `C` that all its messages
/// handle, so a runtime picks the capabilities when it executes.
///
/// ```ignore
/// hub_framework::module_msgs! {
///     /// Every bank message.
///     pub enum BankMsg ["bank"] {
///         /// `cosmos.bank.v1beta1.MsgSend`.
///         Send(MsgSend = pb::MsgSend, signer: |m| m.from.0),
///     }
/// }
/// ```
#[macro_export]
macro_rules! module_msgs {
    (
        $(#[$meta:meta])*
        pub enum $name:ident [$module:expr] {
            $(
                $(#[$vmeta:meta])*
                $variant:ident($ty:ty = $proto:ty, signer: |$m:ident| $signer:expr)
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        #[allow(clippy::large_enum_variant)] // the runtime boxes what it must
        pub enum $name {
            $( $(#[$vmeta])* $variant($ty), )*
        }

        impl $crate::ModuleMsg for $name {
            const MODULE: &'static str = $module;

            const TYPE_URLS: &'static [&'static str] = &[$(<$ty>::TYPE_URL),*];

            const FORMS: &'static [$crate::form::MsgForm] =
                &[$( $crate::form::MsgForm::of::<$proto>(<$ty>::TYPE_URL) ),*];

            fn decode(
                any: &$crate::__private::Any,
                hrp: &str,
            ) -> Option<Result<Self, $crate::ModuleError>> {
                $(
                    if any.type_url == <$ty>::TYPE_URL {
                        return Some($crate::decode_any::<$proto>(any).and_then(|p| {
                            <$ty>::from_proto(&p, hrp)
                                .map($name::$variant)
                                .map_err(::core::convert::Into::into)
                        }));
                    }
                )*
                None
            }

            fn type_url(&self) -> &'static str {
                match self {
                    $( $name::$variant(_) => <$ty>::TYPE_URL, )*
                }
            }

            fn signer(&self) -> [u8; 20] {
                match self {
                    $( $name::$variant($m) => $signer, )*
                }
            }

        }

        impl<C> $crate::MsgHandler<C> for $name
        where
            $( $ty: $crate::MsgHandler<C>, )*
        {
            fn check_stateless(&self, tx: &$crate::TxCtx) -> $crate::Handled {
                match self {
                    $( $name::$variant(m) => <$ty as $crate::MsgHandler<C>>::check_stateless(m, tx), )*
                }
            }

            async fn check_and_execute<S: $crate::cnidarium::StateWrite>(&self, s: &mut S, tx: &$crate::TxCtx) -> $crate::Handled {
                match self {
                    $( $name::$variant(m) => <$ty as $crate::MsgHandler<C>>::check_and_execute(m, s, tx).await, )*
                }
            }
        }
    };
}
