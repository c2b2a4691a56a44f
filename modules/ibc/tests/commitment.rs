//! ICS-23 verification against real cnidarium proofs: membership and non-membership under
//! this chain's own proof specs and prefix, and every way a proof can be wrong.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use cnidarium::{StateWrite, TempStorage};
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
    let (s, mut d) = hub_testkit::temp_state(&["ibc"]).await;
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

// The advisory catalogue for proofs (docs/security.md): each test is named after the incident
// whose proof shape it replays against this chain's JMT spec, and asserts that the true pair
// (`k30` = `v3`) no longer verifies once the proof is edited that way.

/// Edits the innermost existence proof of `k30` (the `ibc` substore's) with `edit`, checks that
/// the edited proof proves neither the true pair nor a forged value, and returns its error.
async fn refused_after(edit: impl Fn(&mut ics23::ExistenceProof)) -> String {
    let st = store().await;
    let specs = proof_specs();
    let mut p = proof(&st, "k30").await;
    match p.proofs[0].proof.as_mut() {
        Some(Proof::Exist(e)) => edit(e),
        other => panic!("expected an existence proof, got {other:?}"),
    }
    merkle_err(verify_membership(&specs, &st.root, P, "k30", b"forged", &p));
    merkle_err(verify_membership(&specs, &st.root, P, "k30", b"v3", &p))
}

fn leaf(e: &mut ics23::ExistenceProof) -> &mut ics23::LeafOp {
    e.leaf.as_mut().expect("an existence proof has a leaf op")
}

/// Dragonberry (ICS-23 / ibc-go, October 2022): a proof whose leaf op is not the spec's (another
/// hash, no key or value prehash, a length prefix, another domain prefix) could compute a root
/// from bytes that are not a leaf of the tree. Each such leaf op is refused.
#[tokio::test]
async fn dragonberry_a_leaf_op_that_differs_from_the_spec_is_refused() {
    use ics23::{HashOp, LengthOp};
    refused_after(|e| leaf(e).hash = HashOp::Sha512.into()).await;
    refused_after(|e| leaf(e).prehash_key = HashOp::NoHash.into()).await;
    refused_after(|e| leaf(e).prehash_value = HashOp::NoHash.into()).await;
    refused_after(|e| leaf(e).length = LengthOp::VarProto.into()).await;
    refused_after(|e| leaf(e).prefix = vec![0]).await;
    refused_after(|e| leaf(e).prefix.clear()).await;
}

/// Dragonberry: an inner op that is not the spec's (another hash, a domain prefix shortened or
/// lengthened, a suffix that is not a whole number of 32-byte children) is refused.
#[tokio::test]
async fn dragonberry_an_inner_op_outside_the_spec_is_refused() {
    refused_after(|e| e.path[0].hash = ics23::HashOp::Sha512.into()).await;
    refused_after(|e| {
        e.path[0].prefix.remove(0);
    })
    .await;
    refused_after(|e| e.path[0].prefix.insert(0, b'J')).await;
    refused_after(|e| e.path[0].suffix.push(0)).await;
}

/// Dragonberry's fix (ics23 v0.9): an inner op whose prefix starts with the leaf prefix could
/// let a leaf pass for an inner node. Such an op is refused.
#[tokio::test]
async fn dragonberry_an_inner_op_that_starts_like_a_leaf_is_refused() {
    let leaf_prefix = proof_specs()[0].leaf_spec.clone().unwrap().prefix;
    refused_after(|e| {
        let width = e.path[0].prefix.len();
        let mut prefix = leaf_prefix.clone();
        prefix.resize(width, 0);
        e.path[0].prefix = prefix;
    })
    .await;
}

/// Dragonberry: a path longer than the spec's `max_depth` (64 for the JMT) is refused before any
/// hashing, whatever it computes.
#[tokio::test]
async fn dragonberry_a_path_deeper_than_the_spec_allows_is_refused() {
    let max_depth = usize::try_from(proof_specs()[0].max_depth).unwrap();
    refused_after(|e| {
        let op = e.path[0].clone();
        e.path.resize(max_depth + 1, op);
    })
    .await;
}

/// The BNB Bridge exploit (October 2022) forged an IAVL range proof whose inner node carried a
/// second, unverified child next to the verified one. The same shape here: an inner op with a
/// sibling both before and after the proven child (three children, in a binary tree) is
/// refused, and so is one whose sibling bytes are one byte short or long.
#[tokio::test]
async fn bnb_bridge_an_inner_op_that_hides_a_second_child_is_refused() {
    refused_after(|e| {
        let op = &mut e.path[0];
        if op.suffix.is_empty() {
            op.suffix = vec![7; 32];
        } else {
            op.prefix.extend_from_slice(&[7; 32]);
        }
    })
    .await;
    refused_after(|e| {
        let op = &mut e.path[0];
        op.prefix.extend_from_slice(&[7; 32]);
        op.suffix.extend_from_slice(&[7; 32]);
    })
    .await;
    refused_after(|e| e.path[0].prefix.push(7)).await;
}

/// Nomad (August 2022): the zero root was trusted, so anything "proved" against it passed. A
/// real proof, checked against a zero (or empty) root, proves neither membership nor absence.
#[tokio::test]
async fn nomad_a_zero_or_empty_root_proves_nothing() {
    let st = store().await;
    let specs = proof_specs();
    let p = proof(&st, "k30").await;
    let absent = proof(&st, "k35").await;
    for root in [&[0u8; 32][..], &[]] {
        merkle_err(verify_membership(&specs, root, P, "k30", b"v3", &p));
        merkle_err(verify_non_membership(&specs, root, P, "k35", &absent));
    }
}
