//! Composition of modules into a runtime.

use crate::gov::GovModule;
use crate::ibc::IbcMsg;
use crate::staking::{RuntimeStaking, StakingBankAdapter};
use cosmos_sdk_proto::cosmos::bank::v1beta1 as bankpb;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as stakingpb;
use cosmos_sdk_proto::Any;
use hub_auth::{Auth, AuthGenesis};
use hub_bank::{msgs, Bank, BankGenesis};
use hub_framework::{
    cnidarium::StateWrite, BlockCtx, EndBlocker, GenesisCtx, Module, ModuleError, MsgHandler,
    SdkError, TxCtx, ValidatorUpdate,
};
use hub_gov::{GovGenesis, GovMsg};
use hub_interchain_upgrade::{msgs as iumsgs, InterchainUpgrade, InterchainUpgradeGenesis};
use hub_staking::{msgs as staking_msgs, StakingGenesis, StakingMsgHandler};
use hub_transfer::{Transfer, TransferGenesis};
use hub_upgrade::{msgs as upmsgs, Upgrade, UpgradeGenesis};
use prost::Message;
use serde::{Deserialize, Serialize};

/// A runtime: which chain binary it is, its address prefix and the modules it is composed of.
///
/// The hub and the example spoke are two such lists over the same module crates
/// ([`ChainConfig::hub`], [`ChainConfig::spoke`]). The module list gives the substores of the
/// state (one per `Module::NAME`, created when the database is opened) and the stores that
/// `abci_query store/<substore>/key` serves.
#[derive(Clone, Debug)]
pub struct ChainConfig {
    /// Runtime name (`hub`, `spoke`), for logs.
    pub name: &'static str,
    /// Bech32 prefix of account addresses (`hub` gives `hub1…`).
    pub bech32_prefix: String,
    /// The modules, by `Module::NAME`, in genesis order.
    pub modules: &'static [&'static str],
    /// The upgrade plans this binary can apply (its migration handlers, see
    /// [`RuntimeMigrations`]); at a plan's height a binary without its name halts.
    pub upgrade_handlers: &'static [&'static str],
}

/// The hub runtime's modules.
pub const HUB_MODULES: &[&str] = &[
    Auth::NAME,
    Bank::NAME,
    RuntimeStaking::NAME,
    hub_ibc::NAME,
    Transfer::NAME,
    Upgrade::NAME,
    InterchainUpgrade::NAME,
    hub_gov::NAME,
];

/// The spoke runtime's modules. The interchain-upgrade module is the dispatcher on the hub
/// and the receiver on a spoke, as its genesis params say (`hub_chain_id`).
pub const SPOKE_MODULES: &[&str] = &[
    Auth::NAME,
    Bank::NAME,
    RuntimeStaking::NAME,
    hub_ibc::NAME,
    Transfer::NAME,
    Upgrade::NAME,
    InterchainUpgrade::NAME,
    hub_gov::NAME,
];

impl ChainConfig {
    /// The hub runtime: addresses `hub1…`, modules [`HUB_MODULES`].
    pub fn hub() -> Self {
        ChainConfig {
            name: "hub",
            bech32_prefix: "hub".into(),
            modules: HUB_MODULES,
            upgrade_handlers: &[],
        }
    }

    /// The example spoke runtime: addresses `spoke1…`, modules [`SPOKE_MODULES`].
    pub fn spoke() -> Self {
        ChainConfig {
            name: "spoke",
            bech32_prefix: "spoke".into(),
            modules: SPOKE_MODULES,
            upgrade_handlers: &[],
        }
    }

    /// The spoke runtime's next release: as [`ChainConfig::spoke`], plus the migration of
    /// the plan `v2` (the `spoked-v2` binary of the local network's upgrade demo).
    pub fn spoke_v2() -> Self {
        ChainConfig {
            upgrade_handlers: &[V2],
            ..Self::spoke()
        }
    }

    /// The substores of this runtime's state: one per module.
    pub fn substores(&self) -> &'static [&'static str] {
        self.modules
    }
}

/// Every message the runtime executes. Adding a module adds a variant, and the compiler then
/// points at each `match` that must route it.
#[derive(Clone, Debug)]
pub enum Msg {
    /// `cosmos.bank.v1beta1.MsgSend`.
    Send(msgs::MsgSend),
    /// `cosmos.bank.v1beta1.MsgMultiSend`.
    MultiSend(msgs::MsgMultiSend),
    /// `cosmos.staking.v1beta1.MsgCreateValidator`.
    CreateValidator(Box<staking_msgs::MsgCreateValidator>),
    /// `cosmos.staking.v1beta1.MsgDelegate`.
    Delegate(staking_msgs::MsgDelegate),
    /// `cosmos.staking.v1beta1.MsgUndelegate`.
    Undelegate(staking_msgs::MsgUndelegate),
    /// `cosmos.staking.v1beta1.MsgEditValidator`.
    EditValidator(Box<staking_msgs::MsgEditValidator>),
    /// IBC core messages and the `ping` app.
    Ibc(Box<IbcMsg>),
    /// `cosmos.upgrade.v1beta1.MsgSoftwareUpgrade` (gov authority).
    SoftwareUpgrade(upmsgs::MsgSoftwareUpgrade),
    /// `cosmos.upgrade.v1beta1.MsgCancelUpgrade` (gov authority).
    CancelUpgrade(upmsgs::MsgCancelUpgrade),
    /// `hub.interchain_upgrade.v1.MsgDispatchUpgrade` (gov authority).
    DispatchUpgrade(iumsgs::MsgDispatchUpgrade),
    /// `hub.interchain_upgrade.v1.MsgConfirmUpgradeApplied` (anyone).
    ConfirmUpgradeApplied(iumsgs::MsgConfirmUpgradeApplied),
    /// `hub.interchain_upgrade.v1.MsgUpdateParams` (gov authority).
    UpdateInterchainUpgradeParams(iumsgs::MsgUpdateParams),
    /// `hub.interchain_upgrade.v1.MsgRegisterSpoke` (gov authority, hub).
    RegisterSpoke(iumsgs::MsgRegisterSpoke),
    /// `hub.interchain_upgrade.v1.MsgPinHubClient` (gov authority, spoke).
    PinHubClient(iumsgs::MsgPinHubClient),
    /// `cosmos.gov.v1` messages.
    Gov(Box<GovMsg>),
}

fn dec<M: Message + Default>(any: &Any) -> Result<M, ModuleError> {
    M::decode(any.value.as_slice())
        .map_err(|e| SdkError::TxDecode(format!("{}: {e}", any.type_url)).into())
}

impl Msg {
    /// Decodes and validates one `Any`.
    ///
    /// Errors: `sdk`/6 for an unknown type URL, `sdk`/2 for undecodable bytes, and the
    /// message's own stateless errors.
    pub fn decode(any: &Any, hrp: &str) -> Result<Self, ModuleError> {
        let bad = |e: prost::DecodeError| -> ModuleError {
            SdkError::TxDecode(format!("{}: {e}", any.type_url)).into()
        };
        match any.type_url.as_str() {
            msgs::MsgSend::TYPE_URL => {
                let m = bankpb::MsgSend::decode(any.value.as_slice()).map_err(bad)?;
                Ok(Msg::Send(msgs::MsgSend::from_proto(&m, hrp)?))
            }
            msgs::MsgMultiSend::TYPE_URL => {
                let m = bankpb::MsgMultiSend::decode(any.value.as_slice()).map_err(bad)?;
                Ok(Msg::MultiSend(msgs::MsgMultiSend::from_proto(&m, hrp)?))
            }
            staking_msgs::MsgCreateValidator::TYPE_URL => {
                let m = stakingpb::MsgCreateValidator::decode(any.value.as_slice()).map_err(bad)?;
                Ok(Msg::CreateValidator(Box::new(
                    staking_msgs::MsgCreateValidator::from_proto(&m, hrp)?,
                )))
            }
            staking_msgs::MsgDelegate::TYPE_URL => {
                let m = stakingpb::MsgDelegate::decode(any.value.as_slice()).map_err(bad)?;
                Ok(Msg::Delegate(staking_msgs::MsgDelegate::from_proto(
                    &m, hrp,
                )?))
            }
            staking_msgs::MsgUndelegate::TYPE_URL => {
                let m = stakingpb::MsgUndelegate::decode(any.value.as_slice()).map_err(bad)?;
                Ok(Msg::Undelegate(staking_msgs::MsgUndelegate::from_proto(
                    &m, hrp,
                )?))
            }
            staking_msgs::MsgEditValidator::TYPE_URL => {
                let m = stakingpb::MsgEditValidator::decode(any.value.as_slice()).map_err(bad)?;
                Ok(Msg::EditValidator(Box::new(
                    staking_msgs::MsgEditValidator::from_proto(&m, hrp)?,
                )))
            }
            upmsgs::MsgSoftwareUpgrade::TYPE_URL => Ok(Msg::SoftwareUpgrade(
                upmsgs::MsgSoftwareUpgrade::from_proto(&dec(any)?, hrp)?,
            )),
            upmsgs::MsgCancelUpgrade::TYPE_URL => Ok(Msg::CancelUpgrade(
                upmsgs::MsgCancelUpgrade::from_proto(&dec(any)?, hrp)?,
            )),
            iumsgs::MsgDispatchUpgrade::TYPE_URL => Ok(Msg::DispatchUpgrade(
                iumsgs::MsgDispatchUpgrade::from_proto(&dec(any)?, hrp)?,
            )),
            iumsgs::MsgConfirmUpgradeApplied::TYPE_URL => Ok(Msg::ConfirmUpgradeApplied(
                iumsgs::MsgConfirmUpgradeApplied::from_proto(&dec(any)?, hrp)?,
            )),
            iumsgs::MsgUpdateParams::TYPE_URL => Ok(Msg::UpdateInterchainUpgradeParams(
                iumsgs::MsgUpdateParams::from_proto(&dec(any)?, hrp)?,
            )),
            iumsgs::MsgRegisterSpoke::TYPE_URL => Ok(Msg::RegisterSpoke(
                iumsgs::MsgRegisterSpoke::from_proto(&dec(any)?, hrp)?,
            )),
            iumsgs::MsgPinHubClient::TYPE_URL => Ok(Msg::PinHubClient(
                iumsgs::MsgPinHubClient::from_proto(&dec(any)?, hrp)?,
            )),
            other => {
                if let Some(r) = GovMsg::decode(any, hrp) {
                    return r.map(|m| Msg::Gov(Box::new(m)));
                }
                match IbcMsg::decode(any, hrp) {
                    Some(r) => r.map(|m| Msg::Ibc(Box::new(m))),
                    None => Err(SdkError::UnknownRequest(format!(
                        "unrecognized message type: {other}"
                    ))
                    .into()),
                }
            }
        }
    }

    /// The address that must sign this message.
    pub fn signer(&self) -> [u8; 20] {
        match self {
            Msg::Send(m) => m.from.0,
            Msg::MultiSend(m) => m.input.0 .0,
            Msg::CreateValidator(m) => m.operator.0,
            Msg::Delegate(m) => m.delegator.0,
            Msg::Undelegate(m) => m.delegator.0,
            Msg::EditValidator(m) => m.operator.0,
            Msg::Ibc(m) => m.signer(),
            Msg::SoftwareUpgrade(m) => m.authority.0,
            Msg::CancelUpgrade(m) => m.authority.0,
            Msg::DispatchUpgrade(m) => m.authority.0,
            Msg::ConfirmUpgradeApplied(m) => m.signer.0,
            Msg::UpdateInterchainUpgradeParams(m) => m.authority.0,
            Msg::RegisterSpoke(m) => m.authority.0,
            Msg::PinHubClient(m) => m.authority.0,
            Msg::Gov(m) => m.signer(),
        }
    }

    /// Whether the message is an IBC relay message that CheckTx executes (see
    /// [`crate::exec`]), and of which kind; `None` for every other message.
    pub fn relay_kind(&self) -> Option<crate::ibc::RelayKind> {
        match self {
            Msg::Ibc(m) => m.relay_kind(),
            _ => None,
        }
    }

    /// The type URL (the `message.action` event attribute).
    pub fn type_url(&self) -> &'static str {
        match self {
            Msg::Send(_) => msgs::MsgSend::TYPE_URL,
            Msg::MultiSend(_) => msgs::MsgMultiSend::TYPE_URL,
            Msg::CreateValidator(_) => staking_msgs::MsgCreateValidator::TYPE_URL,
            Msg::Delegate(_) => staking_msgs::MsgDelegate::TYPE_URL,
            Msg::Undelegate(_) => staking_msgs::MsgUndelegate::TYPE_URL,
            Msg::EditValidator(_) => staking_msgs::MsgEditValidator::TYPE_URL,
            Msg::Ibc(m) => m.type_url(),
            Msg::SoftwareUpgrade(_) => upmsgs::MsgSoftwareUpgrade::TYPE_URL,
            Msg::CancelUpgrade(_) => upmsgs::MsgCancelUpgrade::TYPE_URL,
            Msg::DispatchUpgrade(_) => iumsgs::MsgDispatchUpgrade::TYPE_URL,
            Msg::ConfirmUpgradeApplied(_) => iumsgs::MsgConfirmUpgradeApplied::TYPE_URL,
            Msg::UpdateInterchainUpgradeParams(_) => iumsgs::MsgUpdateParams::TYPE_URL,
            Msg::RegisterSpoke(_) => iumsgs::MsgRegisterSpoke::TYPE_URL,
            Msg::PinHubClient(_) => iumsgs::MsgPinHubClient::TYPE_URL,
            Msg::Gov(m) => m.type_url(),
        }
    }

    /// The module that executes it (the `message.module` event attribute).
    pub fn module(&self) -> &'static str {
        match self {
            Msg::Send(_) | Msg::MultiSend(_) => Bank::NAME,
            Msg::CreateValidator(_)
            | Msg::Delegate(_)
            | Msg::Undelegate(_)
            | Msg::EditValidator(_) => RuntimeStaking::NAME,
            Msg::Ibc(m) => m.module(),
            Msg::SoftwareUpgrade(_) | Msg::CancelUpgrade(_) => Upgrade::NAME,
            Msg::DispatchUpgrade(_)
            | Msg::ConfirmUpgradeApplied(_)
            | Msg::UpdateInterchainUpgradeParams(_)
            | Msg::RegisterSpoke(_)
            | Msg::PinHubClient(_) => InterchainUpgrade::NAME,
            Msg::Gov(_) => hub_gov::NAME,
        }
    }

    /// Stateless checks of the message in the context of its transaction.
    pub fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        match self {
            Msg::Send(m) => m.check_stateless(tx),
            Msg::MultiSend(m) => m.check_stateless(tx),
            Msg::CreateValidator(m) => StakingMsgHandler::check_stateless(&**m, tx),
            Msg::Delegate(m) => StakingMsgHandler::check_stateless(m, tx),
            Msg::Undelegate(m) => StakingMsgHandler::check_stateless(m, tx),
            Msg::EditValidator(m) => StakingMsgHandler::check_stateless(&**m, tx),
            Msg::Ibc(m) => m.check_stateless(tx),
            Msg::SoftwareUpgrade(m) => m.check_stateless(tx),
            Msg::CancelUpgrade(m) => m.check_stateless(tx),
            Msg::DispatchUpgrade(m) => m.check_stateless(tx),
            Msg::ConfirmUpgradeApplied(m) => m.check_stateless(tx),
            Msg::UpdateInterchainUpgradeParams(m) => m.check_stateless(tx),
            Msg::RegisterSpoke(m) => m.check_stateless(tx),
            Msg::PinHubClient(m) => m.check_stateless(tx),
            Msg::Gov(m) => m.check_stateless(tx),
        }
    }

    /// Executes the message on the transaction overlay.
    pub async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        match self {
            Msg::Send(m) => m.check_and_execute(s, tx).await,
            Msg::MultiSend(m) => m.check_and_execute(s, tx).await,
            Msg::CreateValidator(m) => {
                StakingMsgHandler::check_and_execute(&**m, s, &StakingBankAdapter, tx).await
            }
            Msg::Delegate(m) => {
                StakingMsgHandler::check_and_execute(m, s, &StakingBankAdapter, tx).await
            }
            Msg::Undelegate(m) => {
                StakingMsgHandler::check_and_execute(m, s, &StakingBankAdapter, tx).await
            }
            Msg::EditValidator(m) => {
                StakingMsgHandler::check_and_execute(&**m, s, &StakingBankAdapter, tx).await
            }
            Msg::Ibc(m) => Box::pin(m.check_and_execute(s, tx)).await,
            Msg::SoftwareUpgrade(m) => m.check_and_execute(s, tx).await,
            Msg::CancelUpgrade(m) => m.check_and_execute(s, tx).await,
            Msg::DispatchUpgrade(m) => Box::pin(m.check_and_execute(s, tx)).await,
            Msg::ConfirmUpgradeApplied(m) => Box::pin(m.check_and_execute(s, tx)).await,
            Msg::UpdateInterchainUpgradeParams(m) => m.check_and_execute(s, tx).await,
            Msg::RegisterSpoke(m) => m.check_and_execute(s, tx).await,
            Msg::PinHubClient(m) => m.check_and_execute(s, tx).await,
            Msg::Gov(m) => {
                Box::pin(hub_gov::handler::execute::<crate::gov::HubGov, S>(m, s, tx)).await
            }
        }
    }
}

/// The `app_state` of the genesis file: one section per module.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppState {
    /// `app_state.auth`.
    #[serde(default)]
    pub auth: AuthGenesis,
    /// `app_state.bank`.
    #[serde(default)]
    pub bank: BankGenesis,
    /// `app_state.staking`.
    #[serde(default)]
    pub staking: StakingGenesis,
    /// `app_state.ibc` (clients, connections, channels, packets, sequences).
    #[serde(default)]
    pub ibc: hub_ibc::IbcGenesis,
    /// `app_state.transfer` (ICS-20: port, denom traces, escrow totals, params).
    #[serde(default)]
    pub transfer: TransferGenesis,
    /// `app_state.upgrade` (scheduled and applied plans).
    #[serde(default)]
    pub upgrade: UpgradeGenesis,
    /// `app_state.interchain_upgrade` (params: the hub a spoke trusts; consumed plan names).
    #[serde(default)]
    pub interchain_upgrade: InterchainUpgradeGenesis,
    /// `app_state.gov` (params in the SDK's JSON; deposits in the chain's staking denom).
    #[serde(default)]
    pub gov: GovGenesis,
}

impl AppState {
    /// Parses `app_state` JSON. Errors name the JSON path and line (serde's message).
    pub fn from_json(bytes: &[u8]) -> Result<Self, String> {
        serde_json::from_slice(bytes).map_err(|e| format!("app_state: {e}"))
    }
}

/// Writes every module's genesis, in dependency order (auth before bank, which creates
/// accounts).
pub async fn init_genesis<S: StateWrite>(
    s: &mut S,
    ctx: &GenesisCtx,
    g: &AppState,
) -> Result<(), ModuleError> {
    Auth::init_genesis(s, ctx, &g.auth).await?;
    Bank::init_genesis(s, ctx, &g.bank).await?;
    RuntimeStaking::init_genesis(s, ctx, &g.staking).await?;
    // IBC before its applications and before interchain-upgrade, which creates the pinned
    // client through IBC (after any imported clients, so with the next free id).
    hub_ibc::Ibc::init_genesis(s, ctx, &g.ibc).await?;
    Transfer::init_genesis(s, ctx, &g.transfer).await?;
    Upgrade::init_genesis(s, ctx, &g.upgrade).await?;
    InterchainUpgrade::init_genesis(s, ctx, &g.interchain_upgrade).await?;
    GovModule::init_genesis(s, ctx, &g.gov).await?;
    Ok(())
}

/// Exports every module's state in genesis form.
pub async fn export_genesis<S: hub_framework::cnidarium::StateRead>(
    s: &S,
) -> Result<AppState, ModuleError> {
    Ok(AppState {
        auth: Auth::export_genesis(s).await?,
        bank: Bank::export_genesis(s).await?,
        staking: RuntimeStaking::export_genesis(s).await?,
        ibc: hub_ibc::Ibc::export_genesis(s).await?,
        transfer: Transfer::export_genesis(s).await?,
        upgrade: Upgrade::export_genesis(s).await?,
        interchain_upgrade: InterchainUpgrade::export_genesis(s).await?,
        gov: GovModule::export_genesis(s).await?,
    })
}

/// The example release's plan name (see [`ChainConfig::spoke_v2`]).
pub const V2: &str = "v2";

/// The migration handlers of a runtime: the names in [`ChainConfig::upgrade_handlers`], each
/// dispatched here by `match`.
#[derive(Clone, Copy, Debug)]
pub struct RuntimeMigrations(pub &'static [&'static str]);

impl hub_upgrade::Migrations for RuntimeMigrations {
    fn has_handler(&self, name: &str) -> bool {
        self.0.contains(&name)
    }

    async fn migrate<S: StateWrite>(
        &self,
        _s: &mut S,
        ctx: &BlockCtx,
        name: &str,
    ) -> Result<(), ModuleError> {
        match name {
            // The example release changes no state layout: its migration is the record the
            // upgrade module writes (`migrations/v2`, `applied/v2`). A real release migrates
            // its modules' state here.
            V2 => {
                tracing::info!(height = ctx.height, "applying upgrade v2");
                Ok(())
            }
            other => Err(ModuleError::internal(format!(
                "no migration handler is compiled in for {other:?}"
            ))),
        }
    }
}

/// Names of the modules with an end-block hook, in the order they run. A test checks it
/// against [`end_block`].
///
/// Gov runs before staking, as in the Cosmos SDK's default order: a passed proposal's
/// effects on stake are then part of this block's validator updates.
pub const END_BLOCK_ORDER: &[&str] = &[GovModule::NAME, RuntimeStaking::NAME];

/// Runs every begin-block hook (none yet: no module has one).
pub async fn begin_block<S: StateWrite>(_s: &mut S, _ctx: &BlockCtx) -> Result<(), ModuleError> {
    Ok(())
}

/// Runs every end-block hook in [`END_BLOCK_ORDER`] and collects validator updates.
pub async fn end_block<S: StateWrite>(
    s: &mut S,
    ctx: &BlockCtx,
) -> Result<Vec<ValidatorUpdate>, ModuleError> {
    let mut updates = Box::pin(GovModule::end_block(s, ctx)).await?;
    updates.extend(RuntimeStaking::end_block(s, ctx).await?);
    Ok(updates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_with_an_end_block_hook_is_in_the_order() {
        // A module implementing `EndBlocker` must be listed; this fails to compile or to pass
        // when one is added without updating `END_BLOCK_ORDER` and `end_block`.
        fn has_end_block<M: EndBlocker>() -> &'static str {
            M::NAME
        }
        let hooked = [
            has_end_block::<GovModule>(),
            has_end_block::<RuntimeStaking>(),
        ];
        assert_eq!(END_BLOCK_ORDER, hooked);
        for runtime in [ChainConfig::hub(), ChainConfig::spoke()] {
            for name in END_BLOCK_ORDER {
                assert!(
                    runtime.substores().contains(name),
                    "{name} has a hook but no substore in the {} runtime",
                    runtime.name
                );
            }
        }
    }

    #[test]
    fn every_module_of_each_runtime_has_a_genesis_section_and_every_section_a_module() {
        // As the Cosmos SDK's `assertNoForgottenModules`: a module added to a runtime list
        // without its `AppState` section (or a section left behind) fails here.
        let sections = serde_json::to_value(AppState::default()).unwrap();
        let sections: Vec<String> = sections.as_object().unwrap().keys().cloned().collect();
        for runtime in [ChainConfig::hub(), ChainConfig::spoke()] {
            let mut modules: Vec<String> = runtime
                .modules
                .iter()
                .map(|m| m.replace('-', "_"))
                .collect();
            modules.sort();
            let mut expected = sections.clone();
            expected.sort();
            assert_eq!(modules, expected, "the {} runtime", runtime.name);
        }
    }

    #[test]
    fn unknown_message_types_are_refused_with_sdk_code_6() {
        let any = cosmos_sdk_proto::Any {
            type_url: "/x.y.MsgZ".into(),
            value: vec![],
        };
        let e = Msg::decode(&any, "hub").unwrap_err();
        assert_eq!((e.codespace, e.code), ("sdk", 6));
        assert!(e.log.contains("/x.y.MsgZ"));
    }
}
