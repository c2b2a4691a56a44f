//! Composition of modules into a runtime.

use crate::ibc::Router;
use crate::staking::RuntimeStaking;
use cosmos_sdk_proto::Any;
use hub_auth::{Auth, AuthGenesis};
use hub_bank::{Bank, BankGenesis, BankMsg};
use hub_circuit::{Circuit, CircuitGenesis, CircuitMsg};
use hub_framework::{
    cnidarium::StateWrite, BeginBlocker, BlockCtx, EndBlocker, GenesisCtx, Handled, Module,
    ModuleError, ModuleMsg, MsgHandler, SdkError, TxCtx, ValidatorUpdate,
};
use hub_gov::{module_address, GovConfig, GovError, GovGenesis, GovMsg, ProposalRouter};
use hub_ibc::{IbcMsg, RelayKind};
use hub_interchain_upgrade::{InterchainUpgrade, InterchainUpgradeGenesis, InterchainUpgradeMsg};
use hub_ping::PingMsg;
use hub_ratelimit::{RateLimitGenesis, RateLimitMsg, RateLimits};
use hub_staking::{StakingGenesis, StakingMsg};
use hub_transfer::{Transfer, TransferGenesis, TransferMsg};
use hub_upgrade::{Upgrade, UpgradeGenesis, UpgradeMsg};
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
    /// The IBC ports bound to an application (ICS-05): the channels and packets the router
    /// hands on. A port the router knows but the runtime does not bind is refused at channel
    /// opening and its application's messages are not accepted.
    pub ports: &'static [&'static str],
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
    RateLimits::NAME,
    Circuit::NAME,
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
    RateLimits::NAME,
    Circuit::NAME,
    Upgrade::NAME,
    InterchainUpgrade::NAME,
    hub_gov::NAME,
];

/// The ports the hub binds: ICS-20 and the interchain-upgrade control channel.
pub const HUB_PORTS: &[&str] = &[hub_transfer::PORT_ID, hub_interchain_upgrade::PORT];

/// The ports the example spoke binds: the hub's, plus `ping`, the diagnostics application that
/// accepts ordered channels (a test application the hub does not bind).
pub const SPOKE_PORTS: &[&str] = &[
    hub_transfer::PORT_ID,
    hub_interchain_upgrade::PORT,
    hub_ping::PORT,
];

impl ChainConfig {
    /// The hub runtime: addresses `hub1…`, modules [`HUB_MODULES`], ports [`HUB_PORTS`].
    pub fn hub() -> Self {
        ChainConfig {
            name: "hub",
            bech32_prefix: "hub".into(),
            modules: HUB_MODULES,
            ports: HUB_PORTS,
            upgrade_handlers: &[],
        }
    }

    /// The example spoke runtime: addresses `spoke1…`, modules [`SPOKE_MODULES`], ports
    /// [`SPOKE_PORTS`].
    pub fn spoke() -> Self {
        ChainConfig {
            name: "spoke",
            bech32_prefix: "spoke".into(),
            modules: SPOKE_MODULES,
            ports: SPOKE_PORTS,
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

    /// Decodes one message of a transaction (see [`Msg::decode`]) and checks that this
    /// runtime runs it: its module is listed, or it is the application of a bound port.
    ///
    /// Errors: those of [`Msg::decode`]; `sdk`/6 for a message of a module or application
    /// the runtime leaves out (the hub does not run `ping`).
    pub fn decode_msg(&self, any: &Any) -> Result<Msg, ModuleError> {
        let msg = Msg::decode(any, &self.bech32_prefix)?;
        let module = msg.module();
        if !self.runs(module) {
            return Err(SdkError::UnknownRequest(format!(
                "unrecognized message type: {}: {module} is not part of the {} runtime",
                any.type_url, self.name
            ))
            .into());
        }
        Ok(msg)
    }

    /// Whether this runtime runs the messages of `module` (a `ModuleMsg::MODULE`): a listed
    /// module, or the application of a bound port.
    pub fn runs(&self, module: &str) -> bool {
        self.modules.contains(&module) || self.ports.contains(&module)
    }

    /// The substores of this runtime's state: one per module.
    pub fn substores(&self) -> &'static [&'static str] {
        self.modules
    }

    /// Checks that the runtime's module list is wired everywhere a module must be (the Cosmos
    /// SDK's `assertNoForgottenModules`): each module has its section of the genesis app state
    /// and a query service, no module is listed twice, and every end-block hook belongs to a
    /// listed module. `App::from_storage` runs it, so a node composed wrongly refuses to start.
    ///
    /// Errors: the first problem, naming the module and what it lacks.
    pub fn check_composition(&self) -> Result<(), String> {
        let sections = serde_json::to_value(AppState::default()).map_err(|e| e.to_string())?;
        for (i, module) in self.modules.iter().enumerate() {
            if self.modules[..i].contains(module) {
                return Err(format!("the {} runtime lists {module} twice", self.name));
            }
            if sections.get(module.replace('-', "_")).is_none() {
                return Err(format!(
                    "{module} of the {} runtime has no section in the genesis app state",
                    self.name
                ));
            }
            if !crate::services::MODULE_SERVICES
                .iter()
                .any(|(m, _)| m == module)
            {
                return Err(format!(
                    "{module} of the {} runtime has no query service in the route table",
                    self.name
                ));
            }
        }
        for hooked in BEGIN_BLOCK_ORDER.iter().chain(END_BLOCK_ORDER) {
            if !self.modules.contains(hooked) {
                return Err(format!(
                    "{hooked} has a block hook but is not in the {} runtime",
                    self.name
                ));
            }
        }
        Ok(())
    }
}

/// Declares [`Msg`]: one variant per module, each with the module's message enum and the
/// capabilities the runtime gives it (FRAME's `Config`), and the routing that follows from
/// that list alone: decoding by type URL (each module claims its own), signers, labels,
/// stateless checks and execution. Adding a message to a module touches only that module.
macro_rules! runtime_msgs {
    ($( $(#[$meta:meta])* $variant:ident($ty:ty, $boxed:ty, caps: $caps:ty) ),* $(,)?) => {
        /// Every message the runtime executes: one variant per module.
        #[derive(Clone, Debug)]
        pub enum Msg {
            $( $(#[$meta])* $variant($boxed), )*
        }

        impl Msg {
            /// Every type URL the runtime decodes, module by module, in runtime order.
            pub fn type_urls() -> Vec<(&'static str, &'static [&'static str])> {
                vec![$( (stringify!($variant), <$ty as ModuleMsg>::TYPE_URLS), )*]
            }

            /// The protobuf form of every message, module by module (by variant name), in
            /// runtime order.
            pub fn forms() -> Vec<(&'static str, &'static [hub_framework::form::MsgForm])> {
                vec![$( (stringify!($variant), <$ty as ModuleMsg>::FORMS), )*]
            }

            /// [`Msg::forms`] of the modules `chain` runs ([`ChainConfig::runs`]): what the
            /// CLI of that chain makes its generated `tx` commands of.
            pub fn forms_run_by(
                chain: &ChainConfig,
            ) -> Vec<(&'static str, &'static [hub_framework::form::MsgForm])> {
                let all = [$( (
                    stringify!($variant),
                    <$ty as ModuleMsg>::MODULE,
                    <$ty as ModuleMsg>::FORMS,
                ), )*];
                all.into_iter()
                    .filter(|(_, module, _)| chain.runs(module))
                    .map(|(variant, _, forms)| (variant, forms))
                    .collect()
            }

            /// Decodes and validates one `Any`, asking each module in turn.
            ///
            /// Errors: `sdk`/6 for an unknown type URL, `sdk`/2 for undecodable bytes, and
            /// the message's own stateless errors.
            pub fn decode(any: &Any, hrp: &str) -> Result<Self, ModuleError> {
                $(
                    if let Some(r) = <$ty as ModuleMsg>::decode(any, hrp) {
                        return r.map(|m| Msg::$variant(m.into()));
                    }
                )*
                Err(SdkError::UnknownRequest(format!(
                    "unrecognized message type: {}",
                    any.type_url
                ))
                .into())
            }

            /// The address that must sign this message.
            pub fn signer(&self) -> [u8; 20] {
                match self {
                    $( Msg::$variant(m) => ModuleMsg::signer(&**m), )*
                }
            }

            /// The type URL (the `message.action` event attribute).
            pub fn type_url(&self) -> &'static str {
                match self {
                    $( Msg::$variant(m) => ModuleMsg::type_url(&**m), )*
                }
            }

            /// The module that executes it (the `message.module` event attribute).
            pub fn module(&self) -> &'static str {
                match self {
                    $( Msg::$variant(m) => ModuleMsg::module(&**m), )*
                }
            }

            /// Stateless checks of the message in the context of its transaction.
            pub fn check_stateless(&self, tx: &TxCtx) -> Handled {
                match self {
                    $( Msg::$variant(m) => <$ty as MsgHandler<$caps>>::check_stateless(&**m, tx), )*
                }
            }

            /// Executes the message on the transaction overlay, with its module's
            /// capabilities.
            pub async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
                match self {
                    $( Msg::$variant(m) => {
                        Box::pin(<$ty as MsgHandler<$caps>>::check_and_execute(&**m, s, tx)).await
                    } )*
                }
            }
        }
    };
}

runtime_msgs! {
    /// `cosmos.bank.v1beta1` messages.
    Bank(BankMsg, Box<BankMsg>, caps: ()),
    /// `cosmos.staking.v1beta1` messages, with the bank adapter.
    Staking(StakingMsg, Box<StakingMsg>, caps: hub_bank::Keeper),
    /// IBC core messages, with the runtime's ICS-26 router.
    Ibc(IbcMsg, Box<IbcMsg>, caps: Router),
    /// ICS-20 `MsgTransfer`.
    Transfer(TransferMsg, Box<TransferMsg>, caps: ()),
    /// `ibc.applications.rate_limiting.v1` messages (gov authority).
    Ratelimit(RateLimitMsg, Box<RateLimitMsg>, caps: ()),
    /// `hub.circuit.v1` messages (the guardian's pause, governance's).
    Circuit(CircuitMsg, Box<CircuitMsg>, caps: ControlChannel),
    /// The `ping` application's messages.
    Ping(PingMsg, Box<PingMsg>, caps: ()),
    /// `cosmos.upgrade.v1beta1` messages (gov authority).
    Upgrade(UpgradeMsg, Box<UpgradeMsg>, caps: ()),
    /// `hub.interchain_upgrade.v1` messages.
    InterchainUpgrade(InterchainUpgradeMsg, Box<InterchainUpgradeMsg>, caps: ()),
    /// `cosmos.gov.v1` messages, with the runtime's gov capabilities.
    Gov(GovMsg, Box<GovMsg>, caps: HubGov),
}

impl Msg {
    /// Whether the message is an IBC relay message that CheckTx executes (see
    /// [`crate::exec`]), and of which kind; `None` for every other message.
    pub fn relay_kind(&self) -> Option<RelayKind> {
        match self {
            Msg::Ibc(m) => m.relay_kind(),
            _ => None,
        }
    }
}

/// The `app_state` of the genesis file: one section per module.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppState {
    /// `app_state.auth`.
    pub auth: AuthGenesis,
    /// `app_state.bank`.
    pub bank: BankGenesis,
    /// `app_state.staking`.
    pub staking: StakingGenesis,
    /// `app_state.ibc` (clients, connections, channels, packets, sequences).
    pub ibc: hub_ibc::IbcGenesis,
    /// `app_state.transfer` (ICS-20: port, denom traces, escrow totals, params).
    pub transfer: TransferGenesis,
    /// `app_state.ratelimit` (flow limits, blacklist, whitelist, hour epoch: ibc-go v10's
    /// rate-limiting genesis).
    pub ratelimit: RateLimitGenesis,
    /// `app_state.circuit` (the guardian, the longest pause, pauses in force).
    pub circuit: CircuitGenesis,
    /// `app_state.upgrade` (scheduled and applied plans).
    pub upgrade: UpgradeGenesis,
    /// `app_state.interchain_upgrade` (params: the hub a spoke trusts; consumed plan names).
    pub interchain_upgrade: InterchainUpgradeGenesis,
    /// `app_state.gov` (params in the SDK's JSON; deposits in the chain's staking denom).
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
pub async fn init_genesis<S: StateWrite>(s: &mut S, ctx: &GenesisCtx, g: &AppState) -> Handled {
    Auth::init_genesis(s, ctx, &g.auth).await?;
    Bank::init_genesis(s, ctx, &g.bank).await?;
    RuntimeStaking::init_genesis(s, ctx, &g.staking).await?;
    // IBC before its applications and before interchain-upgrade, which creates the pinned
    // client through IBC (after any imported clients, so with the next free id).
    hub_ibc::Ibc::init_genesis(s, ctx, &g.ibc).await?;
    Transfer::init_genesis(s, ctx, &g.transfer).await?;
    RateLimits::init_genesis(s, ctx, &g.ratelimit).await?;
    Circuit::init_genesis(s, ctx, &g.circuit).await?;
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
        ratelimit: RateLimits::export_genesis(s).await?,
        circuit: Circuit::export_genesis(s).await?,
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

    async fn migrate<S: StateWrite>(&self, _s: &mut S, ctx: &BlockCtx, name: &str) -> Handled {
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

/// Names of the modules with a begin-block hook, in the order they run. A test checks it
/// against [`begin_block`].
///
/// The flow limits open their windows and the expired pauses go before ICS-20 sends what its
/// queue holds, so a queued transfer goes out in the first block with room.
pub const BEGIN_BLOCK_ORDER: &[&str] = &[RateLimits::NAME, Circuit::NAME, Transfer::NAME];

/// Runs every begin-block hook in [`BEGIN_BLOCK_ORDER`]: the flow limits' hour epoch, the
/// prune of expired pauses, then the release of queued transfers.
pub async fn begin_block<S: StateWrite>(s: &mut S, ctx: &BlockCtx) -> Handled {
    RateLimits::begin_block(s, ctx).await?;
    Circuit::begin_block(s, ctx).await?;
    Transfer::begin_block(s, ctx).await
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

// ---- The circuit breaker's capability: pauses reach the spokes over the control channel.

/// [`hub_circuit::PauseRelay`] over interchain-upgrade's control channels: on the hub, a
/// pause with `propagate` goes to every registered spoke.
#[derive(Clone, Copy, Debug, Default)]
pub struct ControlChannel;

impl hub_circuit::PauseRelay for ControlChannel {
    async fn propagate<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        pause: &hub_circuit::Pause,
    ) -> Result<u32, ModuleError> {
        hub_interchain_upgrade::dispatch_pause(s, tx, pause).await
    }
}

// ---- Gov's capabilities: proposals carry the runtime's own messages.

/// The gov capabilities of the hub and spoke runtimes.
pub struct HubGov;

impl GovConfig for HubGov {
    type Bank = hub_bank::Keeper;
    type Stake = crate::gov::StakingView;
    type Router = RuntimeRouter;
}

/// The gov module as the runtimes compose it.
pub type GovModule = hub_gov::Gov<HubGov>;

/// [`ProposalRouter`] over the runtime's [`Msg`] enum.
#[derive(Clone, Copy, Debug, Default)]
pub struct RuntimeRouter;

/// Decodes a proposal message and checks that its signer is the gov module account.
///
/// Errors: `gov`/10 for a type the runtime does not route, `gov`/12 for a message that fails
/// its stateless checks, `gov`/13 for another signer.
pub fn decode_proposal_msg(any: &Any, hrp: &str) -> Result<Msg, ModuleError> {
    let m = Msg::decode(any, hrp).map_err(|e| -> ModuleError {
        if (e.codespace, e.code) == ("sdk", 6) {
            GovError::UnroutableProposalMsg(any.type_url.clone()).into()
        } else {
            GovError::InvalidProposalMsg(format!("{}: {}", any.type_url, e.log)).into()
        }
    })?;
    let gov = module_address();
    if m.signer() != gov.0 {
        return Err(GovError::InvalidSigner(format!(
            "{} is signed by {}, not the gov module account {}",
            any.type_url,
            hub_auth::Address(m.signer()).to_bech32(hrp),
            gov.to_bech32(hrp)
        ))
        .into());
    }
    Ok(m)
}

impl ProposalRouter for RuntimeRouter {
    fn validate(&self, msg: &Any, hrp: &str) -> Handled {
        decode_proposal_msg(msg, hrp).map(|_| ())
    }

    async fn execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx, msg: &Any) -> Handled {
        let m = decode_proposal_msg(msg, &tx.bech32_prefix)?;
        m.check_stateless(tx)?;
        Box::pin(m.check_and_execute(s, tx)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_with_a_block_hook_is_in_the_order() {
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
        fn has_begin_block<M: BeginBlocker>() -> &'static str {
            M::NAME
        }
        assert_eq!(
            BEGIN_BLOCK_ORDER,
            [
                has_begin_block::<RateLimits>(),
                has_begin_block::<Circuit>(),
                has_begin_block::<Transfer>(),
            ]
        );
        for runtime in [ChainConfig::hub(), ChainConfig::spoke()] {
            for name in BEGIN_BLOCK_ORDER.iter().chain(END_BLOCK_ORDER) {
                assert!(
                    runtime.substores().contains(name),
                    "{name} has a hook but no substore in the {} runtime",
                    runtime.name
                );
            }
        }
    }

    #[test]
    fn both_runtimes_are_composed_completely_and_a_forgotten_module_is_refused() {
        for runtime in [
            ChainConfig::hub(),
            ChainConfig::spoke(),
            ChainConfig::spoke_v2(),
        ] {
            runtime.check_composition().unwrap();
        }
        // A module with no genesis section, nor a query service: refused at start-up.
        const WITH_UNKNOWN: &[&str] = &["auth", "bank", "staking", "gov", "escrow"];
        let e = ChainConfig {
            modules: WITH_UNKNOWN,
            ..ChainConfig::hub()
        }
        .check_composition()
        .unwrap_err();
        assert!(e.contains("escrow") && e.contains("genesis"), "{e}");
        // A hooked module left out of the list.
        const NO_GOV: &[&str] = &[
            "auth",
            "bank",
            "staking",
            "ratelimit",
            "circuit",
            "transfer",
        ];
        let e = ChainConfig {
            modules: NO_GOV,
            ..ChainConfig::hub()
        }
        .check_composition()
        .unwrap_err();
        assert!(e.contains("gov") && e.contains("block hook"), "{e}");
        const TWICE: &[&str] = &["auth", "bank", "bank"];
        assert!(ChainConfig {
            modules: TWICE,
            ..ChainConfig::hub()
        }
        .check_composition()
        .unwrap_err()
        .contains("twice"));
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
    fn the_type_url_table_is_the_union_of_the_modules_tables_each_url_claimed_once() {
        // The runtime names no message: a module's new message (a variant of its enum) is in
        // this table, and routed to that module, with no change here.
        let mut seen = std::collections::BTreeMap::new();
        for (module, urls) in Msg::type_urls() {
            assert!(!urls.is_empty(), "{module} declares no message");
            for url in urls {
                if let Some(other) = seen.insert(*url, module) {
                    panic!("{url} is claimed by both {other} and {module}");
                }
                // Empty bytes decode to the default proto, which fails validation or passes:
                // either way the module that claimed the URL answered, not `sdk`/6.
                let any = cosmos_sdk_proto::Any {
                    type_url: (*url).into(),
                    value: vec![],
                };
                if let Err(e) = Msg::decode(&any, "hub") {
                    assert_ne!((e.codespace, e.code), ("sdk", 6), "{url}: {}", e.log);
                }
            }
        }
        // A floor, not a census: a module dropped from the table fails it, a message added to
        // a module needs no edit here (bank 2, staking 4, IBC core 19, transfer 2, ping 1,
        // upgrade 2, interchain-upgrade 5 and gov 6 with MsgVoteWeighted, today).
        assert!(seen.len() >= 41, "{seen:#?}");
    }

    #[test]
    fn every_message_has_a_form_under_its_own_type_url_whose_default_decodes_as_it() {
        // The CLI's tx commands come from the forms: a form missing, or of the wrong proto,
        // would give a command that builds a message the chain refuses to decode.
        for ((module, urls), (_, forms)) in Msg::type_urls().into_iter().zip(Msg::forms()) {
            let form_urls: Vec<_> = forms.iter().map(|f| f.type_url).collect();
            assert_eq!(form_urls, urls, "{module}");
            for form in forms {
                let name = (form.form.name)();
                assert!(
                    form.type_url.ends_with(&name),
                    "{} is {name}",
                    form.type_url
                );
                let wire = (form.form.from_json)(serde_json::json!({})).expect("empty JSON");
                let json = (form.form.to_json)(&wire).expect("its own bytes");
                assert_eq!((form.form.from_json)(json), Ok(wire), "{name}");
            }
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
