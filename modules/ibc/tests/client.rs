//! ICS-02 / 07-tendermint handler tests on in-process cnidarium state, with really signed
//! CometBFT headers from `hub_testkit::chain`.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_framework::cnidarium::{Snapshot, StateDelta, TempStorage};
use hub_framework::StateReadProto;
use hub_framework::{AbciCode, BlockCtx, Metered, ModuleError, MsgHandler, TxCtx};
use hub_ibc::client::handler::zero_custom_fields;
use hub_ibc::client::{
    module_address, ClientRead, ClientState, ConsensusState, MsgCreateClient, MsgRecoverClient,
    MsgSubmitMisbehaviour, MsgUpdateClient, MsgUpgradeClient, Status, FROZEN_HEIGHT,
    GOV_AUTHORITY_MODULE, HEADER_TYPE_URL, MISBEHAVIOUR_TYPE_URL,
};
use hub_ibc::{commitment, state_key, Height, IbcError, Path};
use hub_testkit::chain::{
    ibc_header, time, BlockSpec, CommitOptions, TestValidator, TestValidatorSet,
};
use ibc_proto::google::protobuf::Any;
use ibc_proto::ibc::core::client::v1 as pb;
use ibc_proto::ibc::core::commitment::v1::MerkleProof;
use ibc_proto::ibc::lightclients::tendermint::v1 as tm;
use prost::Message;
use sha2::{Digest, Sha256};
use std::time::Duration;
use tendermint::abci::Event;
use tendermint::block::signed_header::SignedHeader;
use tendermint::Time;

type State = StateDelta<Snapshot>;

/// The counterparty chain (revision 1).
const CP: &str = "counter-1";
const T0: i64 = 1_700_000_000;
const CLIENT: &str = "07-tendermint-0";
const RELAYER: [u8; 20] = [7; 20];
const TRUSTING: u64 = 1_000;

/// Block time of counterparty height `h`: 10 s per block.
fn t(h: u64) -> Time {
    time(T0 + 10 * h as i64)
}

fn secs(t0: Time, s: u64) -> Time {
    t0.checked_add(Duration::from_secs(s)).unwrap()
}

fn app(h: u64) -> Vec<u8> {
    Sha256::digest(format!("app {h}")).to_vec()
}

fn vals() -> TestValidatorSet {
    TestValidatorSet::uniform("val", 4, 10)
}

fn bech(addr: [u8; 20]) -> String {
    bech32::encode::<bech32::Bech32>(bech32::Hrp::parse("hub").unwrap(), &addr).unwrap()
}

fn tx_as(signer: [u8; 20], now: Time) -> TxCtx {
    TxCtx::new(
        BlockCtx {
            chain_id: "hub-1".into(),
            height: 100,
            time: now,
        },
        "hub",
        signer,
        10_000_000,
    )
}

fn tx(now: Time) -> TxCtx {
    tx_as(RELAYER, now)
}

fn client_state(latest: u64) -> ClientState {
    ClientState {
        chain_id: CP.into(),
        trust_level: (1, 3),
        trusting_period: Duration::from_secs(TRUSTING),
        unbonding_period: Duration::from_secs(2_000),
        max_clock_drift: Duration::from_secs(20),
        frozen_height: Height::ZERO,
        latest_height: Height::new(1, latest),
        proof_specs: commitment::proof_specs(),
        upgrade_path: vec!["upgrade".into(), "upgradedIBCState".into()],
    }
}

fn spec<'a>(
    h: u64,
    time: Time,
    vals: &'a TestValidatorSet,
    next: &'a TestValidatorSet,
) -> BlockSpec<'a> {
    BlockSpec {
        chain_id: CP,
        height: h,
        time,
        app_hash: app(h),
        validators: vals,
        next_validators: next,
        last_block_id: None,
        commit: CommitOptions::default(),
    }
}

fn cons_of(sh: &SignedHeader) -> ConsensusState {
    ConsensusState {
        timestamp: sh.header.time,
        root: sh.header.app_hash.as_bytes().to_vec(),
        next_validators_hash: sh.header.next_validators_hash.as_bytes().to_vec(),
    }
}

fn create_msg(cs: &ClientState, cons: &ConsensusState) -> Result<MsgCreateClient, IbcError> {
    MsgCreateClient::try_from(pb::MsgCreateClient {
        client_state: Some(cs.to_any()),
        consensus_state: Some(cons.to_any()),
        signer: bech(RELAYER),
    })
}

fn header_any(
    sh: &SignedHeader,
    vals: &TestValidatorSet,
    trusted: u64,
    trusted_vals: &TestValidatorSet,
) -> Any {
    Any {
        type_url: HEADER_TYPE_URL.into(),
        value: ibc_header(sh, vals, (1, trusted), trusted_vals).encode_to_vec(),
    }
}

fn update_msg(any: Any) -> Result<MsgUpdateClient, IbcError> {
    MsgUpdateClient::try_from(pb::MsgUpdateClient {
        client_id: CLIENT.into(),
        client_message: Some(any),
        signer: bech(RELAYER),
    })
}

/// Header `h` signed by `vals`, trusted at `trusted` with `vals`, as a `MsgUpdateClient`.
fn simple_update(h: u64, trusted: u64, v: &TestValidatorSet) -> MsgUpdateClient {
    let sh = spec(h, t(h), v, v).signed_header();
    update_msg(header_any(&sh, v, trusted, v)).unwrap()
}

fn misbehaviour_any(h1: tm::Header, h2: tm::Header) -> Any {
    #[allow(deprecated)]
    let m = tm::Misbehaviour {
        client_id: CLIENT.into(),
        header_1: Some(h1),
        header_2: Some(h2),
    };
    Any {
        type_url: MISBEHAVIOUR_TYPE_URL.into(),
        value: m.encode_to_vec(),
    }
}

fn misbehaviour_msg(any: Any) -> Result<MsgSubmitMisbehaviour, IbcError> {
    MsgSubmitMisbehaviour::try_from(pb::MsgSubmitMisbehaviour {
        client_id: CLIENT.into(),
        misbehaviour: Some(any),
        signer: bech(RELAYER),
    })
}

/// Runs a message as the runtime does (stateless check, then execution in a transaction
/// overlay) and returns its events. On error, asserts the handler wrote nothing and emitted
/// nothing, so the state is unchanged.
async fn run<M: MsgHandler>(s: &mut State, m: &M, tx: &TxCtx) -> Result<Vec<Event>, ModuleError> {
    m.check_stateless(tx)?;
    let mut d = StateDelta::new(&mut *s);
    let r = m.check_and_execute(&mut d, tx).await;
    let (inner, mut cache) = d.flatten();
    let events = cache.take_events();
    match r {
        Ok(()) => {
            cache.apply_to(inner);
            Ok(events)
        }
        Err(e) => {
            assert!(
                cache.unwritten_changes().is_empty(),
                "state written on error {e}: {:?}",
                cache.unwritten_changes().keys().collect::<Vec<_>>()
            );
            assert!(events.is_empty(), "events emitted on error {e}");
            Err(e)
        }
    }
}

/// Runs a `MsgUpdateClient` with the header `sh` of `vals`, trusted at counterparty height
/// `trusted` with `trusted_vals`, at block time `now`.
async fn update_with(
    s: &mut State,
    sh: &SignedHeader,
    vals: &TestValidatorSet,
    (trusted, trusted_vals): (u64, &TestValidatorSet),
    now: Time,
) -> Result<Vec<Event>, ModuleError> {
    let m = update_msg(header_any(sh, vals, trusted, trusted_vals)).unwrap();
    run(s, &m, &tx(now)).await
}

/// A `MsgSubmitMisbehaviour` of header `a` (validators `av`) and header `b` (validators `bv`),
/// both trusted at height 10 with [`vals`].
fn misbehaviour_of(
    (a, av): (&SignedHeader, &TestValidatorSet),
    (b, bv): (&SignedHeader, &TestValidatorSet),
) -> MsgSubmitMisbehaviour {
    let v = vals();
    let (h1, h2) = (
        ibc_header(a, av, (1, 10), &v),
        ibc_header(b, bv, (1, 10), &v),
    );
    misbehaviour_msg(misbehaviour_any(h1, h2)).unwrap()
}

/// Runs [`simple_update`]`(h, trusted, vals)` at block time `now`.
async fn update_to(
    s: &mut State,
    h: u64,
    trusted: u64,
    now: Time,
) -> Result<Vec<Event>, ModuleError> {
    run(s, &simple_update(h, trusted, &vals()), &tx(now)).await
}

/// Asserts that client [`CLIENT`] is frozen.
async fn assert_frozen(s: &State) {
    let cs = s.client_state(CLIENT).await.unwrap();
    assert_eq!(cs.frozen_height, FROZEN_HEIGHT);
}

/// Asserts the `(codespace, code)` of `e` is that of `expected`.
fn assert_code(e: &ModuleError, expected: IbcError) {
    assert_eq!(
        (e.codespace, e.code),
        (expected.codespace(), expected.code()),
        "got {e}, expected {expected:?}"
    );
}

fn attr<'a>(ev: &'a Event, key: &str) -> &'a str {
    ev.attributes
        .iter()
        .find(|a| a.key_bytes() == key.as_bytes())
        .map(|a| a.value_str().unwrap())
        .unwrap_or_else(|| panic!("no attribute {key} in {}", ev.kind))
}

fn event<'a>(events: &'a [Event], kind: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} event in {events:?}"))
}

async fn empty_state() -> (TempStorage, State) {
    let (storage, s) = hub_testkit::temp_state(&["ibc"]).await;
    (storage, s)
}

/// State with client `07-tendermint-0` created at counterparty height 10 (validators
/// [`vals`]) at block time `t(10) + 1 s`.
async fn env() -> (TempStorage, State) {
    let (st, mut s) = empty_state().await;
    let v = vals();
    let sh = spec(10, t(10), &v, &v).signed_header();
    let m = create_msg(&client_state(10), &cons_of(&sh)).unwrap();
    run(&mut s, &m, &tx(secs(t(10), 1))).await.unwrap();
    (st, s)
}

async fn ibc_keys(s: &State) -> Vec<(String, Vec<u8>)> {
    s.prefix_raw_vec("ibc/").await.unwrap()
}

// ---------------------------------------------------------------- create

#[test]
fn create_rejects_invalid_client_states_with_ibc_go_codes() {
    let cons = ConsensusState {
        timestamp: t(10),
        root: app(10),
        next_validators_hash: vals().hash().as_bytes().to_vec(),
    };
    type Mutation = Box<dyn Fn(&mut ClientState)>;
    let cases: Vec<(&str, Mutation, IbcError)> = vec![
        (
            "trust level below 1/3",
            Box::new(|c| c.trust_level = (1, 4)),
            IbcError::TmInvalidTrustLevel(String::new()),
        ),
        (
            "trust level above 1",
            Box::new(|c| c.trust_level = (4, 3)),
            IbcError::TmInvalidTrustLevel(String::new()),
        ),
        (
            "trusting period = unbonding period",
            Box::new(|c| c.trusting_period = c.unbonding_period),
            IbcError::TmInvalidTrustingPeriod(String::new()),
        ),
        (
            "zero clock drift",
            Box::new(|c| c.max_clock_drift = Duration::ZERO),
            IbcError::TmInvalidMaxClockDrift(String::new()),
        ),
        (
            "empty proof specs",
            Box::new(|c| c.proof_specs.clear()),
            IbcError::TmInvalidProofSpecs(String::new()),
        ),
        (
            "empty upgrade path element",
            Box::new(|c| c.upgrade_path = vec!["upgrade".into(), " ".into()]),
            IbcError::InvalidClient(String::new()),
        ),
        (
            "latest height revision differs from the chain id's",
            Box::new(|c| c.latest_height = Height::new(2, 10)),
            IbcError::TmInvalidChainId(String::new()),
        ),
    ];
    for (name, mutate, expected) in cases {
        let mut cs = client_state(10);
        mutate(&mut cs);
        let e = create_msg(&cs, &cons).unwrap_err();
        assert_eq!(
            (e.codespace(), e.code()),
            (expected.codespace(), expected.code()),
            "{name}: {e}"
        );
    }
}

#[tokio::test]
async fn create_of_a_frozen_or_expired_client_fails_with_client_29_and_writes_nothing() {
    let (_st, mut s) = empty_state().await;
    let v = vals();
    let sh = spec(10, t(10), &v, &v).signed_header();
    let mut frozen = client_state(10);
    frozen.frozen_height = Height::new(0, 1);
    let m = create_msg(&frozen, &cons_of(&sh)).unwrap();
    let e = run(&mut s, &m, &tx(secs(t(10), 1))).await.unwrap_err();
    assert_code(&e, IbcError::ClientNotActive(String::new()));

    // expired exactly at timestamp + trusting period
    let m = create_msg(&client_state(10), &cons_of(&sh)).unwrap();
    let e = run(&mut s, &m, &tx(secs(t(10), TRUSTING)))
        .await
        .unwrap_err();
    assert_code(&e, IbcError::ClientNotActive(String::new()));
    assert!(ibc_keys(&s).await.is_empty());
    assert_eq!(s.next_client_sequence().await.unwrap(), 0);
}

#[tokio::test]
async fn create_assigns_sequential_ids_and_stores_ibc_go_bytes() {
    let (_st, mut s) = empty_state().await;
    let v = vals();
    let sh = spec(10, t(10), &v, &v).signed_header();
    let cs = client_state(10);
    let cons = cons_of(&sh);
    let m = create_msg(&cs, &cons).unwrap();
    let now = secs(t(10), 1);
    let events = run(&mut s, &m, &tx(now)).await.unwrap();
    let ev = event(&events, "create_client");
    assert_eq!(attr(ev, "client_id"), "07-tendermint-0");
    assert_eq!(attr(ev, "client_type"), "07-tendermint");
    assert_eq!(attr(ev, "consensus_height"), "1-10");
    assert!(ev.attributes.iter().all(|a| a.index()));

    let events = run(&mut s, &m, &tx(now)).await.unwrap();
    assert_eq!(
        attr(event(&events, "create_client"), "client_id"),
        "07-tendermint-1"
    );
    assert_eq!(s.next_client_sequence().await.unwrap(), 2);

    // stored Any bytes decode back to the same values
    let key = state_key::path(&Path::ClientState {
        client_id: CLIENT.into(),
    });
    let any: Any = s.get_proto(&key).await.unwrap().unwrap();
    assert_eq!(any, cs.to_any());
    assert_eq!(ClientState::from_any(&any).unwrap(), cs);
    let key = state_key::path(&Path::ConsensusState {
        client_id: CLIENT.into(),
        height: Height::new(1, 10),
    });
    let any: Any = s.get_proto(&key).await.unwrap().unwrap();
    assert_eq!(ConsensusState::from_any(&any).unwrap(), cons);
    assert_eq!(s.client_status(CLIENT, now).await.unwrap(), Status::Active);
    assert_eq!(
        s.processed_time(CLIENT, Height::new(1, 10)).await.unwrap(),
        (now.unix_timestamp_nanos()) as u64
    );
    assert_eq!(
        s.processed_height(CLIENT, Height::new(1, 10))
            .await
            .unwrap(),
        100
    );
}

#[tokio::test]
async fn create_must_be_signed_by_the_tx_signer() {
    let v = vals();
    let sh = spec(10, t(10), &v, &v).signed_header();
    let m = create_msg(&client_state(10), &cons_of(&sh)).unwrap();
    let e = m.check_stateless(&tx_as([8; 20], t(10))).unwrap_err();
    assert_eq!((e.codespace, e.code), ("sdk", 4));
    let e = MsgCreateClient::try_from(pb::MsgCreateClient {
        client_state: Some(client_state(10).to_any()),
        consensus_state: Some(cons_of(&sh).to_any()),
        signer: "hub1notbech32".into(),
    })
    .unwrap_err();
    assert_eq!((e.codespace(), e.code()), ("sdk", 7));
}

// ---------------------------------------------------------------- update

#[tokio::test]
async fn adjacent_update_stores_the_consensus_state_and_processed_time() {
    let (_st, mut s) = env().await;
    let v = vals();
    let sh = spec(11, t(11), &v, &v).signed_header();
    let any = header_any(&sh, &v, 10, &v);
    let m = update_msg(any.clone()).unwrap();
    let now = secs(t(11), 2);
    let events = run(&mut s, &m, &tx(now)).await.unwrap();

    let cs = s.client_state(CLIENT).await.unwrap();
    assert_eq!(cs.latest_height, Height::new(1, 11));
    let h = Height::new(1, 11);
    assert_eq!(s.consensus_state(CLIENT, h).await.unwrap(), cons_of(&sh));
    assert_eq!(
        s.processed_time(CLIENT, h).await.unwrap(),
        now.unix_timestamp_nanos() as u64
    );
    assert_eq!(s.processed_height(CLIENT, h).await.unwrap(), 100);

    let ev = event(&events, "update_client");
    assert_eq!(attr(ev, "client_id"), CLIENT);
    assert_eq!(attr(ev, "client_type"), "07-tendermint");
    assert_eq!(attr(ev, "consensus_height"), "1-11");
    assert_eq!(attr(ev, "consensus_heights"), "1-11");
    assert_eq!(attr(ev, "header"), hex::encode(any.encode_to_vec()));
}

/// The first `kept` validators of `v`, then new ones (`new-0`, …) of power 10 up to four.
fn partly_new(v: &TestValidatorSet, kept: usize) -> TestValidatorSet {
    let new = (0..4 - kept).map(|i| TestValidator::new(&format!("new-{i}"), 10));
    TestValidatorSet::new(v.validators[..kept].iter().cloned().chain(new).collect())
}

/// [`env`], then a skipping update to height 20 signed by [`partly_new`]`(vals, kept)`.
async fn skipping_update(kept: usize) -> (TempStorage, State, Result<Vec<Event>, ModuleError>) {
    let (st, mut s) = env().await;
    let v = vals();
    let w = partly_new(&v, kept);
    let sh = spec(20, t(20), &w, &w).signed_header();
    let r = update_with(&mut s, &sh, &w, (10, &v), secs(t(20), 1)).await;
    (st, s, r)
}

#[tokio::test]
async fn skipping_update_with_enough_trusted_power_succeeds() {
    // half of the trusted power (20/40 > 1/3) carries over into the new set
    let (_st, s, r) = skipping_update(2).await;
    r.unwrap();
    let cs = s.client_state(CLIENT).await.unwrap();
    assert_eq!(cs.latest_height, Height::new(1, 20));
    assert_eq!(
        s.consensus_heights(CLIENT).await.unwrap(),
        vec![Height::new(1, 10), Height::new(1, 20)]
    );
}

#[tokio::test]
async fn skipping_update_below_the_trust_level_fails() {
    // only 10/40 < 1/3 of the trusted power signs
    let (_st, _s, r) = skipping_update(1).await;
    let e = r.unwrap_err();
    assert_code(&e, IbcError::TmInvalidHeader(String::new()));
    assert!(e.log.contains("not enough trust"), "{e}");
}

#[tokio::test]
async fn bad_commits_are_rejected() {
    let (_st, mut s) = env().await;
    let v = vals();
    let before = ibc_keys(&s).await;
    let cases = [
        (
            "adjacent header signed by 20/40 < 2/3",
            CommitOptions {
                absent: vec![0, 1],
                ..Default::default()
            },
        ),
        (
            "signature by another validator's key",
            CommitOptions {
                forged: Some((0, 1)),
                ..Default::default()
            },
        ),
        (
            "the same signature twice",
            CommitOptions {
                duplicate: Some((0, 1)),
                ..Default::default()
            },
        ),
    ];
    for (name, opts) in cases {
        let mut sp = spec(11, t(11), &v, &v);
        sp.commit = opts;
        let sh = sp.signed_header();
        let m = update_msg(header_any(&sh, &v, 10, &v)).unwrap();
        let e = run(&mut s, &m, &tx(secs(t(11), 1))).await.unwrap_err();
        assert_code(&e, IbcError::TmInvalidHeader(String::new()));
        eprintln!("{name}: {e}");
    }
    assert_eq!(ibc_keys(&s).await, before);
}

#[tokio::test]
async fn headers_failing_light_client_rules_are_rejected() {
    let (_st, mut s) = env().await;
    let v = vals();
    let before = ibc_keys(&s).await;
    let now = secs(t(11), 1);

    let w = TestValidatorSet::uniform("other", 4, 10);
    let mut other_chain = spec(11, t(11), &v, &v);
    other_chain.chain_id = "other-1";
    let invalid_header = || IbcError::TmInvalidHeader(String::new());
    let invalid_vals = IbcError::TmInvalidValidatorSet(String::new());
    let no_consensus = IbcError::ConsensusStateNotFound(String::new());
    // (header, (trusted height, trusted validators), error, a word of its log)
    let cases = [
        // another chain
        (other_chain, (10, &v), invalid_header(), Some("chain")),
        // time not after the trusted time
        (spec(11, t(10), &v, &v), (10, &v), invalid_header(), None),
        // beyond the max clock drift (20 s)
        (
            spec(11, secs(now, 21), &v, &v),
            (10, &v),
            invalid_header(),
            Some("future"),
        ),
        // trusted validators that are not the trusted next validators
        (spec(11, t(11), &v, &v), (10, &w), invalid_vals, None),
        // adjacent header whose validators are not the trusted next validators
        (spec(11, t(11), &w, &w), (10, &v), invalid_header(), None),
        // trusted height without a consensus state
        (spec(12, t(12), &v, &v), (11, &v), no_consensus, None),
    ];
    for (sp, trusted, expected, word) in cases {
        let sh = sp.signed_header();
        let e = update_with(&mut s, &sh, sp.validators, trusted, now)
            .await
            .unwrap_err();
        assert_code(&e, expected);
        if let Some(word) = word {
            assert!(e.log.contains(word), "{e}");
        }
    }

    assert_eq!(ibc_keys(&s).await, before);
}

#[tokio::test]
async fn headers_at_or_below_the_trusted_height_are_rejected_statelessly() {
    let v = vals();
    for (h, trusted) in [(10, 10), (9, 10)] {
        let sh = spec(h, t(h), &v, &v).signed_header();
        let e = update_msg(header_any(&sh, &v, trusted, &v)).unwrap_err();
        assert!(matches!(e, IbcError::TmInvalidHeaderHeight(_)), "{e}");
    }
    // a validator set that is not the header's
    let sh = spec(11, t(11), &v, &v).signed_header();
    let e = update_msg(header_any(
        &sh,
        &TestValidatorSet::uniform("x", 4, 10),
        10,
        &v,
    ))
    .unwrap_err();
    assert!(matches!(e, IbcError::InvalidHeader(_)), "{e}");
    // an unknown client message type
    let e = update_msg(Any {
        type_url: "/foo.Bar".into(),
        value: vec![],
    })
    .unwrap_err();
    assert!(matches!(e, IbcError::InvalidClientType(_)), "{e}");
}

#[tokio::test]
async fn update_of_an_expired_client_fails_exactly_at_the_trusting_period() {
    let (_st, mut s) = env().await;
    let v = vals();
    let m = simple_update(11, 10, &v);
    let boundary = secs(t(10), TRUSTING);
    let e = run(&mut s, &m, &tx(boundary)).await.unwrap_err();
    assert_code(&e, IbcError::ClientNotActive(String::new()));
    assert_eq!(
        s.client_status(CLIENT, boundary).await.unwrap(),
        Status::Expired
    );
    // one second earlier the same update is accepted
    run(&mut s, &m, &tx(secs(t(10), TRUSTING - 1)))
        .await
        .unwrap();
}

#[tokio::test]
async fn update_prunes_the_oldest_expired_consensus_state() {
    let (_st, mut s) = env().await;
    update_to(&mut s, 11, 10, secs(t(11), 1)).await.unwrap();
    // consensus state 10 is expired (t10 + 1000 s), 11 is not (t11 + 1000 s)
    let now = secs(t(10), TRUSTING + 5);
    update_to(&mut s, 12, 11, now).await.unwrap();
    assert_eq!(
        s.consensus_heights(CLIENT).await.unwrap(),
        vec![Height::new(1, 11), Height::new(1, 12)]
    );
    let h10 = Height::new(1, 10);
    assert!(s.try_consensus_state(CLIENT, h10).await.unwrap().is_none());
    assert!(matches!(
        s.processed_time(CLIENT, h10).await,
        Err(IbcError::TmProcessedTimeNotFound(_))
    ));
    assert!(s.processed_height(CLIENT, h10).await.is_err());
}

#[tokio::test]
async fn duplicate_update_is_a_no_op_and_a_conflicting_one_freezes() {
    let (_st, mut s) = env().await;
    let v = vals();
    let m = simple_update(11, 10, &v);
    run(&mut s, &m, &tx(secs(t(11), 1))).await.unwrap();
    let before = ibc_keys(&s).await;
    let events = run(&mut s, &m, &tx(secs(t(11), 2))).await.unwrap();
    assert_eq!(
        attr(event(&events, "update_client"), "consensus_heights"),
        "1-11"
    );
    assert_eq!(ibc_keys(&s).await, before);

    // the same height with another app hash, validly signed: a fork
    let mut sp = spec(11, t(11), &v, &v);
    sp.app_hash = app(999);
    let sh = sp.signed_header();
    let events = update_with(&mut s, &sh, &v, (10, &v), secs(t(11), 3))
        .await
        .unwrap();
    let ev = event(&events, "client_misbehaviour");
    assert_eq!(attr(ev, "client_id"), CLIENT);
    assert_eq!(attr(ev, "client_type"), "07-tendermint");
    let cs = s.client_state(CLIENT).await.unwrap();
    assert_eq!(cs.frozen_height, FROZEN_HEIGHT);
    assert_eq!(
        s.client_status(CLIENT, secs(t(11), 3)).await.unwrap(),
        Status::Frozen
    );
    // the fork's consensus state was not stored
    assert_eq!(
        s.consensus_state(CLIENT, Height::new(1, 11))
            .await
            .unwrap()
            .root,
        app(11)
    );
}

#[tokio::test]
async fn header_breaking_monotonic_time_freezes() {
    let (_st, mut s) = env().await;
    let v = vals();
    update_to(&mut s, 20, 10, secs(t(20), 1)).await.unwrap();
    // height 15 with a time after height 20's
    let sh = spec(15, secs(t(20), 1), &v, &v).signed_header();
    let events = update_with(&mut s, &sh, &v, (10, &v), secs(t(20), 5))
        .await
        .unwrap();
    event(&events, "client_misbehaviour");
    assert_frozen(&s).await;
}

// ---------------------------------------------------------------- misbehaviour

fn fork_headers(v: &TestValidatorSet) -> (tm::Header, tm::Header) {
    let a = spec(12, t(12), v, v).signed_header();
    let mut sp = spec(12, t(12), v, v);
    sp.app_hash = app(777);
    let b = sp.signed_header();
    (ibc_header(&a, v, (1, 10), v), ibc_header(&b, v, (1, 10), v))
}

/// The [`fork_headers`] of [`vals`] as misbehaviour.
fn fork_any() -> Any {
    let (h1, h2) = fork_headers(&vals());
    misbehaviour_any(h1, h2)
}

#[tokio::test]
async fn conflicting_headers_at_the_same_height_freeze_the_client() {
    let (_st, mut s) = env().await;
    let m = misbehaviour_msg(fork_any()).unwrap();
    let now = secs(t(12), 1);
    let events = run(&mut s, &m, &tx(now)).await.unwrap();
    let ev = event(&events, "client_misbehaviour");
    assert_eq!(attr(ev, "client_id"), CLIENT);
    assert_eq!(s.client_status(CLIENT, now).await.unwrap(), Status::Frozen);
    // the frozen height is ibc-go's sentinel 0-1
    assert_eq!(FROZEN_HEIGHT, Height::new(0, 1));
    assert_frozen(&s).await;
    // a frozen client takes no more updates
    let e = update_to(&mut s, 11, 10, now).await.unwrap_err();
    assert_code(&e, IbcError::ClientNotActive(String::new()));
}

#[tokio::test]
async fn misbehaviour_through_msg_update_client_also_freezes() {
    let (_st, mut s) = env().await;
    let m = update_msg(fork_any()).unwrap();
    let events = run(&mut s, &m, &tx(secs(t(12), 1))).await.unwrap();
    event(&events, "client_misbehaviour");
    assert_frozen(&s).await;
}

#[tokio::test]
async fn bft_time_violation_freezes_the_client() {
    let (_st, mut s) = env().await;
    let v = vals();
    // header 1 higher but not later than header 2
    let a = spec(13, t(12), &v, &v).signed_header();
    let b = spec(12, t(12), &v, &v).signed_header();
    let m = misbehaviour_of((&a, &v), (&b, &v));
    run(&mut s, &m, &tx(secs(t(13), 1))).await.unwrap();
    assert_frozen(&s).await;
}

#[tokio::test]
async fn misbehaviour_that_proves_nothing_fails_with_client_13() {
    let (_st, mut s) = env().await;
    let v = vals();
    let before = ibc_keys(&s).await;
    let (h1, _) = fork_headers(&v);
    let m = misbehaviour_msg(misbehaviour_any(h1.clone(), h1)).unwrap();
    let e = run(&mut s, &m, &tx(secs(t(12), 1))).await.unwrap_err();
    assert_code(&e, IbcError::InvalidMisbehaviour(String::new()));

    // a fork whose second header is signed by less than the trust level of the trusted set
    let w = TestValidatorSet::uniform("other", 4, 10);
    let a = spec(12, t(12), &v, &v).signed_header();
    let b = spec(12, t(12), &w, &w).signed_header();
    let m = misbehaviour_of((&a, &v), (&b, &w));
    let e = run(&mut s, &m, &tx(secs(t(12), 1))).await.unwrap_err();
    assert_code(&e, IbcError::InvalidMisbehaviour(String::new()));

    // header 1 below header 2 is malformed
    let (h1, h2) = fork_headers(&v);
    let low = ibc_header(&spec(11, t(11), &v, &v).signed_header(), &v, (1, 10), &v);
    assert!(matches!(
        misbehaviour_msg(misbehaviour_any(low, h2)),
        Err(IbcError::InvalidMisbehaviour(_))
    ));
    let _ = h1;
    assert_eq!(ibc_keys(&s).await, before);
    assert_eq!(
        s.client_status(CLIENT, secs(t(12), 1)).await.unwrap(),
        Status::Active
    );
}

// ---------------------------------------------------------------- recover

fn gov() -> [u8; 20] {
    module_address(GOV_AUTHORITY_MODULE)
}

fn recover_msg(signer: [u8; 20], subject: &str, substitute: &str) -> MsgRecoverClient {
    MsgRecoverClient::try_from(pb::MsgRecoverClient {
        subject_client_id: subject.into(),
        substitute_client_id: substitute.into(),
        signer: bech(signer),
    })
    .unwrap()
}

/// Client 0 at height 10 frozen by misbehaviour; client 1 (the substitute) created at
/// height 20 from `substitute`.
async fn recover_env(substitute: ClientState) -> (TempStorage, State) {
    let (st, mut s) = env().await;
    let v = vals();
    let m = misbehaviour_msg(fork_any()).unwrap();
    run(&mut s, &m, &tx(secs(t(12), 1))).await.unwrap();
    let sh = spec(20, t(20), &v, &v).signed_header();
    let m = create_msg(&substitute, &cons_of(&sh)).unwrap();
    let tx20 = TxCtx::new(
        BlockCtx {
            chain_id: "hub-1".into(),
            height: 150,
            time: secs(t(20), 3),
        },
        "hub",
        RELAYER,
        10_000_000,
    );
    run(&mut s, &m, &tx20).await.unwrap();
    (st, s)
}

#[tokio::test]
async fn recover_requires_the_gov_authority() {
    let (_st, mut s) = recover_env(client_state(20)).await;
    let m = recover_msg(RELAYER, CLIENT, "07-tendermint-1");
    let e = run(&mut s, &m, &tx(secs(t(20), 5))).await.unwrap_err();
    assert_eq!((e.codespace, e.code), ("sdk", 4));
    let e = MsgRecoverClient::try_from(pb::MsgRecoverClient {
        subject_client_id: CLIENT.into(),
        substitute_client_id: CLIENT.into(),
        signer: bech(gov()),
    })
    .unwrap_err();
    assert!(matches!(e, IbcError::InvalidSubstitute(_)), "{e}");
}

#[tokio::test]
async fn recover_enforces_the_substitute_rules() {
    let now = secs(t(20), 5);
    let gov_tx = || tx_as(gov(), now);

    // a substitute with another max clock drift does not match
    let mut other = client_state(20);
    other.max_clock_drift = Duration::from_secs(21);
    let (_st, mut s) = recover_env(other).await;
    let m = recover_msg(gov(), CLIENT, "07-tendermint-1");
    let e = run(&mut s, &m, &gov_tx()).await.unwrap_err();
    assert_code(&e, IbcError::InvalidSubstitute(String::new()));

    // an Active subject cannot be recovered
    let m = recover_msg(gov(), "07-tendermint-1", CLIENT);
    let e = run(&mut s, &m, &gov_tx()).await.unwrap_err();
    assert_code(&e, IbcError::InvalidRecoveryClient(String::new()));

    // the substitute must be higher than the subject
    let (_st, mut s) = recover_env(client_state(20)).await;
    let mut low = client_state(5);
    low.trusting_period = Duration::from_secs(1_500);
    let v = vals();
    let sh = spec(5, secs(t(20), 2), &v, &v).signed_header();
    run(&mut s, &create_msg(&low, &cons_of(&sh)).unwrap(), &tx(now))
        .await
        .unwrap();
    let m = recover_msg(gov(), CLIENT, "07-tendermint-2");
    let e = run(&mut s, &m, &gov_tx()).await.unwrap_err();
    assert_code(&e, IbcError::InvalidHeight(String::new()));

    // an expired substitute is not Active
    let late = tx_as(gov(), secs(t(20), TRUSTING));
    let m = recover_msg(gov(), CLIENT, "07-tendermint-1");
    let e = run(&mut s, &m, &late).await.unwrap_err();
    assert_code(&e, IbcError::ClientNotActive(String::new()));

    // an unknown substitute
    let m = recover_msg(gov(), CLIENT, "07-tendermint-9");
    let e = run(&mut s, &m, &gov_tx()).await.unwrap_err();
    assert_code(&e, IbcError::ClientNotFound(String::new()));
}

#[tokio::test]
async fn recover_copies_the_substitute_and_unfreezes() {
    let mut sub = client_state(20);
    sub.trusting_period = Duration::from_secs(1_500);
    let (_st, mut s) = recover_env(sub).await;
    let now = secs(t(20), 5);
    let m = recover_msg(gov(), CLIENT, "07-tendermint-1");
    let events = run(&mut s, &m, &tx_as(gov(), now)).await.unwrap();
    let ev = event(&events, "recover_client");
    assert_eq!(attr(ev, "subject_client_id"), CLIENT);
    assert_eq!(attr(ev, "client_type"), "07-tendermint");

    let cs = s.client_state(CLIENT).await.unwrap();
    assert_eq!(cs.frozen_height, Height::ZERO);
    assert_eq!(cs.latest_height, Height::new(1, 20));
    assert_eq!(cs.trusting_period, Duration::from_secs(1_500));
    assert_eq!(s.client_status(CLIENT, now).await.unwrap(), Status::Active);
    let h = Height::new(1, 20);
    assert_eq!(
        s.consensus_state(CLIENT, h).await.unwrap(),
        s.consensus_state("07-tendermint-1", h).await.unwrap()
    );
    assert_eq!(s.processed_height(CLIENT, h).await.unwrap(), 150);
    assert_eq!(
        s.processed_time(CLIENT, h).await.unwrap(),
        s.processed_time("07-tendermint-1", h).await.unwrap()
    );
    // and it can be updated again
    update_to(&mut s, 21, 20, secs(t(21), 1)).await.unwrap();
}

// ---------------------------------------------------------------- upgrade

/// A counterparty store committing an upgraded client and consensus state at
/// `upgrade/upgradedIBCState/10/...`; returns its app hash and the two proofs.
async fn counterparty_upgrade(
    upgraded: &ClientState,
    upgraded_cons: &ConsensusState,
) -> (TempStorage, Vec<u8>, Vec<u8>, Vec<u8>) {
    use hub_framework::cnidarium::StateWrite;
    let (storage, mut d) = hub_testkit::temp_state(&["upgrade", "ibc"]).await;
    d.put_raw(
        "upgrade/upgradedIBCState/10/upgradedClient".into(),
        zero_custom_fields(upgraded).to_any().encode_to_vec(),
    );
    d.put_raw(
        "upgrade/upgradedIBCState/10/upgradedConsState".into(),
        upgraded_cons.to_any().encode_to_vec(),
    );
    d.put_raw("ibc/clients/x/clientState".into(), vec![1]);
    storage.commit(d).await.unwrap();
    let snap = storage.latest_snapshot();
    let root = snap.root_hash().await.unwrap().0.to_vec();
    let mut proofs = Vec::new();
    for key in [
        "upgrade/upgradedIBCState/10/upgradedClient",
        "upgrade/upgradedIBCState/10/upgradedConsState",
    ] {
        let (value, proof) = snap.get_with_proof(key.as_bytes().to_vec()).await.unwrap();
        assert!(value.is_some());
        proofs.push(
            MerkleProof {
                proofs: proof.proofs.clone(),
            }
            .encode_to_vec(),
        );
    }
    let cons_proof = proofs.pop().unwrap();
    let client_proof = proofs.pop().unwrap();
    (storage, root, client_proof, cons_proof)
}

fn upgraded() -> (ClientState, ConsensusState) {
    let mut up = client_state(1);
    up.chain_id = "counter-2".into();
    up.latest_height = Height::new(2, 1);
    up.unbonding_period = Duration::from_secs(3_000);
    // relayer-chosen fields in the committed client are ignored
    up.trusting_period = Duration::from_secs(5);
    let cons = ConsensusState {
        timestamp: secs(t(10), 5),
        root: vec![], // ibc-go commits the upgraded consensus state without a root
        next_validators_hash: vals().hash().as_bytes().to_vec(),
    };
    (up, cons)
}

/// A hub client at counterparty height 10 whose root is the counterparty store's app hash.
async fn upgrade_env(root: Vec<u8>) -> (TempStorage, State) {
    let (st, mut s) = empty_state().await;
    let cons = ConsensusState {
        timestamp: t(10),
        root,
        next_validators_hash: vals().hash().as_bytes().to_vec(),
    };
    run(
        &mut s,
        &create_msg(&client_state(10), &cons).unwrap(),
        &tx(secs(t(10), 1)),
    )
    .await
    .unwrap();
    (st, s)
}

fn upgrade_msg(
    up: &ClientState,
    cons: &ConsensusState,
    client_proof: Vec<u8>,
    cons_proof: Vec<u8>,
) -> MsgUpgradeClient {
    MsgUpgradeClient::try_from(pb::MsgUpgradeClient {
        client_id: CLIENT.into(),
        client_state: Some(up.to_any()),
        consensus_state: Some(cons.to_any()),
        proof_upgrade_client: client_proof,
        proof_upgrade_consensus_state: cons_proof,
        signer: bech(RELAYER),
    })
    .unwrap()
}

#[tokio::test]
async fn upgrade_with_real_proofs_moves_the_client_to_the_new_revision() {
    let (up, up_cons) = upgraded();
    let (_cp, root, client_proof, cons_proof) = counterparty_upgrade(&up, &up_cons).await;
    let (_st, mut s) = upgrade_env(root).await;
    let m = upgrade_msg(&up, &up_cons, client_proof, cons_proof);
    let now = secs(t(10), 6);
    let events = run(&mut s, &m, &tx(now)).await.unwrap();
    let ev = event(&events, "upgrade_client");
    assert_eq!(attr(ev, "client_id"), CLIENT);
    assert_eq!(attr(ev, "consensus_height"), "2-1");

    let cs = s.client_state(CLIENT).await.unwrap();
    assert_eq!(cs.chain_id, "counter-2");
    assert_eq!(cs.latest_height, Height::new(2, 1));
    assert_eq!(cs.unbonding_period, Duration::from_secs(3_000));
    assert_eq!(cs.trusting_period, Duration::from_secs(TRUSTING));
    assert_eq!(cs.trust_level, (1, 3));
    let cons = s.consensus_state(CLIENT, Height::new(2, 1)).await.unwrap();
    assert_eq!(cons.root, b"sentinel_root".to_vec());
    assert_eq!(cons.timestamp, up_cons.timestamp);
    assert_eq!(s.client_status(CLIENT, now).await.unwrap(), Status::Active);
}

#[tokio::test]
async fn upgrade_with_wrong_proofs_fails_and_writes_nothing() {
    let (up, up_cons) = upgraded();
    let (_cp, root, client_proof, cons_proof) = counterparty_upgrade(&up, &up_cons).await;
    let (_st, mut s) = upgrade_env(root).await;
    let now = secs(t(10), 6);
    // proofs swapped
    let m = upgrade_msg(&up, &up_cons, cons_proof.clone(), client_proof.clone());
    let e = run(&mut s, &m, &tx(now)).await.unwrap_err();
    assert_code(&e, IbcError::InvalidMerkleProof(String::new()));
    // a committed client other than the one proven
    let mut other = up.clone();
    other.unbonding_period = Duration::from_secs(2_500);
    let m = upgrade_msg(&other, &up_cons, client_proof.clone(), cons_proof.clone());
    let e = run(&mut s, &m, &tx(now)).await.unwrap_err();
    assert_code(&e, IbcError::InvalidMerkleProof(String::new()));
    // undecodable proof
    let m = upgrade_msg(&up, &up_cons, vec![0xff, 0xff], cons_proof.clone());
    let e = run(&mut s, &m, &tx(now)).await.unwrap_err();
    assert_code(&e, IbcError::InvalidProof(String::new()));
    // an upgrade that does not raise the height
    let mut same = up.clone();
    same.latest_height = Height::new(1, 10);
    let m = upgrade_msg(&same, &up_cons, client_proof, cons_proof);
    let e = run(&mut s, &m, &tx(now)).await.unwrap_err();
    assert_code(&e, IbcError::InvalidHeight(String::new()));
    assert_eq!(
        s.client_state(CLIENT).await.unwrap().latest_height,
        Height::new(1, 10)
    );
}

/// Gas of one client update (header `H0 + 1`, run under the framework's metered state) of a
/// client at `H0` that stores `stored` consensus states, none of them expired.
async fn update_gas_with(stored: u64) -> u64 {
    use hub_ibc::client::ClientWrite;
    const H0: u64 = 20_000;
    let (st, mut s) = empty_state().await;
    let v = vals();
    let mut cs = client_state(H0);
    cs.trusting_period = Duration::from_secs(10_000_000);
    cs.unbonding_period = Duration::from_secs(20_000_000);
    let sh = spec(H0, t(H0), &v, &v).signed_header();
    run(
        &mut s,
        &create_msg(&cs, &cons_of(&sh)).unwrap(),
        &tx(secs(t(H0), 1)),
    )
    .await
    .unwrap();
    for h in (H0 - stored + 1)..H0 {
        let sh = spec(h, t(h), &v, &v).signed_header();
        s.put_consensus_state(CLIENT, Height::new(1, h), &cons_of(&sh), t(h), 1);
    }
    st.commit(s).await.unwrap();
    let mut s = StateDelta::new(st.latest_snapshot());
    let ctx = tx(secs(t(H0 + 1), 1));
    let m = simple_update(H0 + 1, H0, &v);
    m.check_and_execute(&mut Metered::new(&mut s, ctx.gas.clone()), &ctx)
        .await
        .unwrap();
    assert_eq!(
        s.client_state(CLIENT).await.unwrap().latest_height,
        Height::new(1, H0 + 1)
    );
    ctx.gas.used()
}

#[tokio::test]
async fn an_update_of_a_client_with_10_000_stored_consensus_states_costs_the_same_gas_as_one_with_10(
) {
    let small = update_gas_with(10).await;
    let large = update_gas_with(10_000).await;
    assert!(small > 0);
    assert_eq!(small, large);
}

#[tokio::test]
async fn expired_consensus_states_are_pruned_in_bounded_batches() {
    use hub_ibc::client::update::PRUNE_BATCH;
    let (_st, mut s) = env().await;
    for h in 11..=20 {
        update_to(&mut s, h, h - 1, secs(t(h), 1)).await.unwrap();
    }
    // 10..=19 are expired long after; 20 is the latest and is refreshed by the update to 21
    let now = secs(t(20), TRUSTING - 1);
    update_to(&mut s, 21, 20, now).await.unwrap();
    let left = s.consensus_heights(CLIENT).await.unwrap();
    assert_eq!(left.len(), 12 - PRUNE_BATCH, "{left:?}");
    assert_eq!(left[0], Height::new(1, 10 + PRUNE_BATCH as u64));
}

// The advisory catalogue for light clients (docs/security.md).

/// Nomad (August 2022): a zero root was marked trusted, so every message "proved" against it
/// passed. A consensus state with an empty root or an empty next-validators hash cannot become
/// trusted here: creating such a client fails and writes nothing.
#[tokio::test]
async fn nomad_a_consensus_state_with_an_empty_root_or_validator_hash_is_refused() {
    let (_st, mut s) = empty_state().await;
    let good = ConsensusState {
        timestamp: t(10),
        root: app(10),
        next_validators_hash: vals().hash().as_bytes().to_vec(),
    };
    let no_root = ConsensusState {
        root: vec![],
        ..good.clone()
    };
    let no_vals = ConsensusState {
        next_validators_hash: vec![],
        ..good
    };
    for cons in [no_root, no_vals] {
        let refused = match create_msg(&client_state(10), &cons) {
            Err(e) => e.codespace() == "client",
            Ok(m) => run(&mut s, &m, &tx(secs(t(10), 1))).await.is_err(),
        };
        assert!(
            refused,
            "a consensus state without a root or validators was trusted"
        );
    }
    assert!(ibc_keys(&s).await.is_empty());
}

/// Adds the group order L to the S half of an ed25519 signature: the same signature in a
/// non-canonical encoding (S ≥ L), which ZIP-215 and CometBFT refuse.
fn malleate(sig: &mut tendermint::block::CommitSig) {
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let tendermint::block::CommitSig::BlockIdFlagCommit {
        signature: Some(s), ..
    } = sig
    else {
        panic!("expected a commit signature");
    };
    let mut bytes = s.as_bytes().to_vec();
    let mut carry = 0u16;
    for (b, l) in bytes[32..].iter_mut().zip(L) {
        let sum = u16::from(*b) + u16::from(l) + carry;
        *b = sum as u8;
        carry = sum >> 8;
    }
    *s = tendermint::Signature::try_from(bytes.as_slice()).unwrap();
}

/// Wormhole (February 2022): signatures that were never really checked let a forged message
/// pass. The same signatures re-encoded with S + L (valid for a verifier that reduces S, refused
/// by ZIP-215 as CometBFT uses it) do not count: with two of four validators' signatures so
/// malleated, the update lacks 2/3 and fails, writing nothing. (A signature made with another
/// key, and one validator's signature counted twice, are in `bad_commits_are_rejected`.)
#[tokio::test]
async fn wormhole_non_canonical_ed25519_signatures_do_not_count() {
    let (_st, mut s) = env().await;
    let v = vals();
    let before = ibc_keys(&s).await;
    let mut sh = spec(11, t(11), &v, &v).signed_header();
    malleate(&mut sh.commit.signatures[0]);
    malleate(&mut sh.commit.signatures[3]);
    let e = update_with(&mut s, &sh, &v, (10, &v), secs(t(11), 1))
        .await
        .unwrap_err();
    assert_code(&e, IbcError::TmInvalidHeader(String::new()));
    assert_eq!(ibc_keys(&s).await, before);
}
