//! `MsgUpdateClient` per second on one core (criterion), for validator sets of 4, 100 and 150
//! equal-power validators, beside the raw ed25519 verification of the same commit signatures.
//!
//! - `update_client/{n}`: the whole 07-tendermint update of an adjacent header (validator-set
//!   hashing, commit verification through tendermint-light-client-verifier, consensus-state
//!   write) on a fresh overlay each iteration.
//! - `ed25519_only/{n}`: verifying the header's `n` precommit signatures over their canonical
//!   sign bytes with `ed25519-consensus`, one by one, nothing else.
//! - `commit_batch/{n}` and `commit_reference/{n}`: the +2/3 voting power of the commit, with
//!   the signatures the walk counts verified as one batch (what the client runs) or one by one
//!   (`tendermint-light-client-verifier`'s production calculator).
//!
//! Run with `cargo bench -p hub-ibc`; the figures go to docs/BENCHMARKS.md.

#![allow(clippy::unwrap_used)] // benchmark setup: a failure aborts the run
#![allow(missing_docs)] // criterion_main! generates an undocumented main

use cnidarium::{StateDelta, TempStorage};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use hub_ibc::client::batch::{precommits, BatchVotingPowerCalculator};
use hub_ibc::client::header::Header;
use hub_ibc::client::update::{update_client, ClientMessage};
use hub_ibc::client::{ClientState, ClientWrite, ConsensusState};
use hub_ibc::{commitment, Height};
use hub_testkit::chain::{ibc_header, signed_header, time, TestValidatorSet};
use std::time::Duration;
use tendermint_light_client_verifier::operations::{
    ProdVotingPowerCalculator, VotingPowerCalculator,
};

const CP: &str = "spoke-1";

struct Fixture {
    _storage: TempStorage,
    base: StateDelta<cnidarium::Snapshot>,
    msg: ClientMessage,
    /// `(public key, sign bytes, signature)` of every precommit of the header.
    sigs: Vec<(
        ed25519_consensus::VerificationKey,
        Vec<u8>,
        ed25519_consensus::Signature,
    )>,
}

async fn fixture(n: usize) -> Fixture {
    let (storage, mut base) = hub_testkit::temp_state(&["ibc"]).await;
    let vals = TestValidatorSet::uniform("v", n, 10);
    let trusted = signed_header(CP, 1, time(1_000), vec![1; 32], &vals, &vals, None);
    let cs = ClientState {
        chain_id: CP.into(),
        trust_level: (1, 3),
        trusting_period: Duration::from_secs(1_000_000),
        unbonding_period: Duration::from_secs(2_000_000),
        max_clock_drift: Duration::from_secs(20),
        frozen_height: Height::ZERO,
        latest_height: Height::new(1, 1),
        proof_specs: commitment::proof_specs(),
        upgrade_path: vec!["upgrade".into(), "upgradedIBCState".into()],
    };
    base.put_client_state("07-tendermint-0", &cs);
    let cons = ConsensusState {
        timestamp: trusted.header.time,
        root: vec![1; 32],
        next_validators_hash: trusted.header.next_validators_hash.as_bytes().to_vec(),
    };
    base.put_consensus_state("07-tendermint-0", Height::new(1, 1), &cons, time(1_000), 1);
    let sh = signed_header(CP, 2, time(1_005), vec![2; 32], &vals, &vals, None);
    let header = Header::try_from(ibc_header(&sh, &vals, (1, 1), &vals)).unwrap();
    let sigs = precommits(&sh)
        .unwrap()
        .into_iter()
        .map(|(address, bytes, sig)| {
            let v = vals.validators.iter().find(|v| v.address() == address);
            let key = v.unwrap().public_key().to_bytes();
            let key = ed25519_consensus::VerificationKey::try_from(key.as_slice()).unwrap();
            (key, bytes, ed25519_consensus::Signature::from(sig))
        })
        .collect();
    Fixture {
        _storage: storage,
        base,
        msg: ClientMessage::Header(Box::new(header)),
        sigs,
    }
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("update_client");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    for n in [4usize, 100, 150] {
        let mut f = rt.block_on(fixture(n));
        assert_eq!(f.sigs.len(), n);
        g.throughput(Throughput::Elements(1));
        g.bench_with_input(BenchmarkId::new("update_client", n), &n, |b, _| {
            b.iter(|| {
                let mut overlay = StateDelta::new(&mut f.base);
                rt.block_on(update_client(
                    &mut overlay,
                    "07-tendermint-0",
                    &f.msg,
                    time(1_006),
                    10,
                ))
                .unwrap();
            })
        });
        g.bench_with_input(BenchmarkId::new("ed25519_only", n), &n, |b, _| {
            b.iter(|| {
                for (k, m, s) in &f.sigs {
                    k.verify(s, m).unwrap();
                }
            })
        });
        let ClientMessage::Header(h) = &f.msg else {
            unreachable!("the fixture is a header")
        };
        let two_thirds = tendermint::trust_threshold::TrustThresholdFraction::TWO_THIRDS;
        g.bench_with_input(BenchmarkId::new("commit_batch", n), &n, |b, _| {
            b.iter(|| {
                BatchVotingPowerCalculator
                    .voting_power_in(&h.signed_header, &h.validator_set, two_thirds)
                    .unwrap()
            })
        });
        g.bench_with_input(BenchmarkId::new("commit_reference", n), &n, |b, _| {
            b.iter(|| {
                ProdVotingPowerCalculator::default()
                    .voting_power_in(&h.signed_header, &h.validator_set, two_thirds)
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
