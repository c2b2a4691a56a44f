//! ICS-23 verification against real cnidarium proofs: membership and non-membership under
//! this chain's own proof specs and prefix, and every way a proof can be wrong.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use cnidarium::{StateDelta, StateWrite, TempStorage};
use hub_ibc::commitment::{
    proof_specs, verify_membership, verify_non_membership, COMMITMENT_PREFIX,
};
use hub_ibc::IbcError;
use ibc_proto::ibc::core::commitment::v1::MerkleProof;
use ics23::commitment_proof::Proof;

struct Store {
    _s: TempStorage,
    root: Vec<u8>,
    snap: cnidarium::Snapshot,
}

/// A store with the `ibc` substore holding keys `k10`, `k20`, …, `k90`.
async fn store() -> Store {
    let s = TempStorage::new_with_prefixes(vec!["ibc".into()])
        .await
        .unwrap();
    let mut d = StateDelta::new(s.latest_snapshot());
    for i in 1..10 {
        d.put_raw(format!("ibc/k{}0", i), format!("v{i}").into_bytes());
    }
    let root = s.commit(d).await.unwrap().0.to_vec();
    Store {
        snap: s.latest_snapshot(),
        _s: s,
        root,
    }
}

async fn proof(st: &Store, key: &str) -> MerkleProof {
    let (_, p) = st
        .snap
        .get_with_proof(format!("ibc/{key}").into_bytes())
        .await
        .unwrap();
    let proofs = p
        .proofs
        .iter()
        .map(|x| prost::Message::decode(prost::Message::encode_to_vec(x).as_slice()).unwrap())
        .collect();
    MerkleProof { proofs }
}

fn merkle_err(r: Result<(), IbcError>) -> String {
    match r {
        Err(IbcError::InvalidMerkleProof(m)) => m,
        other => panic!("expected an invalid merkle proof, got {other:?}"),
    }
}

const P: &[u8] = COMMITMENT_PREFIX.as_bytes();

#[tokio::test]
async fn the_store_proves_membership_and_absence_under_our_published_specs() {
    let st = store().await;
    let specs = proof_specs();
    let p = proof(&st, "k30").await;
    verify_membership(&specs, &st.root, P, "k30", b"v3", &p).unwrap();
    let absent = proof(&st, "k35").await;
    verify_non_membership(&specs, &st.root, P, "k35", &absent).unwrap();
}

#[tokio::test]
async fn wrong_value_key_root_prefix_and_shape_are_refused() {
    let st = store().await;
    let specs = proof_specs();
    let p = proof(&st, "k30").await;
    merkle_err(verify_membership(&specs, &st.root, P, "k30", b"other", &p));
    merkle_err(verify_membership(&specs, &st.root, P, "k40", b"v3", &p));
    merkle_err(verify_membership(&specs, &[7; 32], P, "k30", b"v3", &p));
    merkle_err(verify_membership(
        &specs, &st.root, b"bank", "k30", b"v3", &p,
    ));
    // proofs / specs / path length mismatch
    let mut short = p.clone();
    short.proofs.pop();
    merkle_err(verify_membership(&specs, &st.root, P, "k30", b"v3", &short));
    merkle_err(verify_membership(
        &specs[..1],
        &st.root,
        P,
        "k30",
        b"v3",
        &p,
    ));
    let mut long = p.clone();
    long.proofs.push(long.proofs[1].clone());
    merkle_err(verify_membership(&specs, &st.root, P, "k30", b"v3", &long));
    // an existence proof is not a non-existence proof, and vice versa
    merkle_err(verify_non_membership(&specs, &st.root, P, "k30", &p));
    let absent = proof(&st, "k35").await;
    merkle_err(verify_membership(&specs, &st.root, P, "k35", b"x", &absent));
}

#[tokio::test]
async fn extra_or_malformed_inner_ops_are_refused() {
    let st = store().await;
    let specs = proof_specs();
    let p = proof(&st, "k30").await;
    let inner = |m: &mut MerkleProof| match m.proofs[0].proof.as_mut().unwrap() {
        Proof::Exist(e) => e.path.clone(),
        _ => unreachable!(),
    };
    let mut extra = p.clone();
    let mut path = inner(&mut extra);
    path.push(path[0].clone());
    if let Some(Proof::Exist(e)) = extra.proofs[0].proof.as_mut() {
        e.path = path;
    }
    merkle_err(verify_membership(&specs, &st.root, P, "k30", b"v3", &extra));
    let mut malformed = p.clone();
    if let Some(Proof::Exist(e)) = malformed.proofs[0].proof.as_mut() {
        e.path[0].prefix = vec![0xde, 0xad];
    }
    merkle_err(verify_membership(
        &specs, &st.root, P, "k30", b"v3", &malformed,
    ));
}

#[tokio::test]
async fn a_non_existence_proof_with_non_adjacent_neighbours_is_refused() {
    let st = store().await;
    let specs = proof_specs();
    let absent = proof(&st, "k35").await;
    // swap in a neighbour that is not adjacent: the existence proof of another key
    let far = proof(&st, "k80").await;
    let far_exist = match far.proofs[0].proof.clone().unwrap() {
        Proof::Exist(e) => e,
        _ => unreachable!(),
    };
    let mut forged = absent.clone();
    if let Some(Proof::Nonexist(n)) = forged.proofs[0].proof.as_mut() {
        if n.left.is_some() {
            n.left = Some(far_exist.clone());
        } else {
            n.right = Some(far_exist.clone());
        }
    }
    merkle_err(verify_non_membership(&specs, &st.root, P, "k35", &forged));
    // a genuine proof of absence of one key does not prove another key absent
    merkle_err(verify_non_membership(&specs, &st.root, P, "k70", &absent));
}

/// Dragonberry's lesson as a property: whatever bytes a relayer sends as a proof (here, a real
/// proof of `k30` with up to four bytes changed anywhere: leaf and inner ops, prefixes,
/// hashes, lengths, the specs' depth), it never proves a value the tree does not hold, nor a key
/// it lacks.
#[test]
fn a_corrupted_proof_never_proves_a_key_or_value_absent_from_the_tree() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let st = rt.block_on(store());
    let good = prost::Message::encode_to_vec(&rt.block_on(proof(&st, "k30")));
    let specs = proof_specs();
    let config = Config {
        cases: 4096,
        failure_persistence: None,
        ..Config::default()
    };
    let edits = prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..=4);
    TestRunner::new(config)
        .run(&edits, |edits| {
            let mut bytes = good.clone();
            for (at, x) in edits {
                let i = at.index(bytes.len());
                bytes[i] ^= x;
            }
            if let Ok(p) = hub_ibc::commitment::decode_proof(&bytes) {
                for (key, value) in [
                    ("k30", &b"other"[..]),
                    ("k30", b"v30"),
                    ("k35", b"v3"),
                    ("k40", b"v3"),
                ] {
                    prop_assert!(
                        verify_membership(&specs, &st.root, P, key, value, &p).is_err(),
                        "{key}={value:?} verified with a corrupted proof"
                    );
                }
                prop_assert!(
                    verify_non_membership(&specs, &st.root, P, "k30", &p).is_err(),
                    "k30 proven absent"
                );
            }
            Ok(())
        })
        .unwrap();
}
