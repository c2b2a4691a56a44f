//! Criterion benchmark: the tally of 10 000 delegator votes over 100 validators on a cnidarium
//! `TempStorage` state (votes and fixture stake committed, tally read from the snapshot).
#![allow(missing_docs, clippy::unwrap_used)]

use cosmos_sdk_proto::cosmos::gov::v1::{Vote, WeightedVoteOption};
use criterion::{criterion_group, criterion_main, Criterion};
use hub_auth::Address;
use hub_framework::{GenesisCtx, Module};
use hub_gov::fixture::{FixtureConfig, StakeFixture};
use hub_gov::{tally, Gov, GovGenesis, GovRead, GovWrite};

const VALIDATORS: u32 = 100;
const VOTERS: u32 = 10_000;

fn addr(kind: u8, n: u32) -> [u8; 20] {
    let mut a = [kind; 20];
    a[16..].copy_from_slice(&n.to_be_bytes());
    a
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (storage, params) = rt.block_on(async {
        let (storage, mut s) = hub_testkit::temp_state(&["gov"]).await;
        let ctx = GenesisCtx {
            chain_id: "hub-1".into(),
            bech32_prefix: "hub".into(),
            time: tendermint::Time::unix_epoch(),
        };
        Gov::<FixtureConfig>::init_genesis(&mut s, &ctx, &GovGenesis::default())
            .await
            .unwrap();
        for v in 0..VALIDATORS {
            StakeFixture::put_validator(&mut s, addr(1, v), 1_000_000_000, 1_000_000_000);
        }
        for d in 0..VOTERS {
            let delegator = addr(2, d);
            StakeFixture::put_delegation(
                &mut s,
                delegator,
                addr(1, d % VALIDATORS),
                1_000 + d as u128,
            );
            s.put_vote(
                &Vote {
                    proposal_id: 1,
                    voter: Address(delegator).to_bech32("hub"),
                    options: vec![WeightedVoteOption {
                        option: 1 + (d % 4) as i32,
                        weight: "1.000000000000000000".into(),
                    }],
                    metadata: String::new(),
                },
                &Address(delegator),
            );
        }
        // every validator votes too, so deductions apply
        for v in 0..VALIDATORS {
            s.put_vote(
                &Vote {
                    proposal_id: 1,
                    voter: Address(addr(1, v)).to_bech32("hub"),
                    options: vec![WeightedVoteOption {
                        option: 1,
                        weight: "1.000000000000000000".into(),
                    }],
                    metadata: String::new(),
                },
                &Address(addr(1, v)),
            );
        }
        let params = s.gov_params().await.unwrap();
        storage.commit(s).await.unwrap();
        (storage, params)
    });
    c.bench_function("tally 10000 delegator votes over 100 validators", |b| {
        b.iter(|| {
            rt.block_on(async {
                let snap = storage.latest_snapshot();
                tally::tally(&snap, &StakeFixture, &params, 1)
                    .await
                    .unwrap()
            })
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
