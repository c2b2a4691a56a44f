//! The batch verifier of commit signatures gives `ed25519-consensus`'s verdict (ZIP-215, what
//! CometBFT and the reference light client use) on every edge case ZIP-215 settles: small-order
//! keys and `R` values in canonical and non-canonical encodings, a non-canonical `s`, and
//! keys that are not points; and its key cache never changes a verdict.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::scalar::Scalar;
use hub_ibc::client::ed25519::{verify_batch, Item, KeyCache};

/// The reference's verdict on one signature.
fn reference(key: &[u8; 32], sig: &[u8; 64], msg: &[u8]) -> bool {
    match ed25519_consensus::VerificationKey::try_from(*key) {
        Ok(vk) => vk
            .verify(&ed25519_consensus::Signature::from(*sig), msg)
            .is_ok(),
        Err(_) => false,
    }
}

fn batch(items: &[Item<'_>]) -> bool {
    verify_batch(items, &KeyCache::default(), [7; 32])
}

/// Every encoding of a small-order point ZIP-215 must accept: the eight torsion points'
/// canonical encodings, `y = 0` and `y = 1` written as `p` and `p + 1`, and the "negative
/// zero" `x` of the two points with `x = 0`, with the sign bit flipped.
fn small_order_encodings() -> Vec<[u8; 32]> {
    let mut all: Vec<[u8; 32]> = EIGHT_TORSION.iter().map(|p| p.compress().0).collect();
    let mut p = [0xff; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    let mut p_plus_one = p;
    p_plus_one[0] = 0xee;
    for y in [p, p_plus_one] {
        let mut signed = y;
        signed[31] |= 0x80;
        all.extend([y, signed]);
    }
    let mut one_negative = [0; 32];
    one_negative[0] = 1;
    one_negative[31] = 0x80;
    let mut minus_one_negative = [0xff; 32];
    minus_one_negative[0] = 0xec;
    all.extend([one_negative, minus_one_negative]);
    all
}

fn signed(seed: u8, msg: &[u8]) -> ([u8; 32], [u8; 64]) {
    let key = ed25519_consensus::SigningKey::from([seed; 32]);
    (key.verification_key().to_bytes(), key.sign(msg).to_bytes())
}

#[test]
fn small_order_keys_and_r_values_get_the_reference_verdict_alone_and_in_a_batch() {
    let encodings = small_order_encodings();
    let msg = b"Zcash";
    let (good_key, good_sig) = signed(1, msg);
    let mut accepted = 0;
    for a in &encodings {
        for r in &encodings {
            let mut sig = [0u8; 64]; // s = 0
            sig[..32].copy_from_slice(r);
            let expected = reference(a, &sig, msg);
            accepted += usize::from(expected);
            assert_eq!(batch(&[(a, &sig, msg)]), expected, "A {a:02x?} R {r:02x?}");
            let mixed = [(&good_key, &good_sig, &msg[..]), (a, &sig, &msg[..])];
            assert_eq!(batch(&mixed), expected, "in a batch: A {a:02x?} R {r:02x?}");
        }
    }
    // ZIP-215 accepts every one of them: the cofactored equation holds for s = 0.
    assert_eq!(accepted, encodings.len() * encodings.len());
}

#[test]
fn a_non_canonical_s_is_refused_as_the_reference_refuses_it() {
    let msg = b"header";
    let (key, sig) = signed(2, msg);
    let s = Scalar::from_canonical_bytes(sig[32..].try_into().unwrap()).unwrap();
    // s + ℓ: the same residue, written above the group order.
    let l_bytes = {
        let mut l = (Scalar::ZERO - Scalar::ONE).to_bytes();
        l[0] += 1;
        l
    };
    let mut wide = [0u8; 32];
    let mut carry = 0u16;
    for (i, byte) in wide.iter_mut().enumerate() {
        let sum = u16::from(s.to_bytes()[i]) + u16::from(l_bytes[i]) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0, "s + ℓ fits in 256 bits");
    let mut bad = sig;
    bad[32..].copy_from_slice(&wide);
    assert!(reference(&key, &sig, msg) && batch(&[(&key, &sig, msg)]));
    assert!(!reference(&key, &bad, msg));
    assert!(!batch(&[(&key, &bad, msg)]));
}

#[test]
fn one_wrong_signature_among_many_fails_the_batch_wherever_it_sits() {
    let msgs: Vec<Vec<u8>> = (0..40u8).map(|i| vec![i; 100]).collect();
    let signed: Vec<_> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| signed(i as u8 + 10, m))
        .collect();
    let items: Vec<Item<'_>> = signed
        .iter()
        .zip(&msgs)
        .map(|((k, s), m)| (k, s, &m[..]))
        .collect();
    assert!(batch(&items));
    for bad in [0, 17, 39] {
        let mut wrong = signed[bad].1;
        wrong[5] ^= 1;
        let mut items = items.clone();
        items[bad].1 = &wrong;
        assert!(!reference(items[bad].0, &wrong, &msgs[bad]));
        assert!(!batch(&items), "entry {bad}");
        // Right signature, another's message.
        let mut items2 = items.clone();
        items2[bad] = (&signed[bad].0, &signed[bad].1, &msgs[(bad + 1) % 40]);
        assert!(!batch(&items2), "entry {bad}, other message");
    }
}

#[test]
fn a_key_that_is_not_a_point_is_refused_and_never_cached() {
    let msg = b"header";
    let (_, sig) = signed(3, msg);
    // y = 2 is not the y of any curve point (the curve equation has no x for it).
    let mut not_a_point = [0u8; 32];
    not_a_point[0] = 2;
    assert!(!reference(&not_a_point, &sig, msg));
    let cache = KeyCache::default();
    assert!(!verify_batch(&[(&not_a_point, &sig, msg)], &cache, [1; 32]));
    assert!(cache.is_empty());
}

#[test]
fn the_key_cache_changes_no_verdict() {
    let msg = b"header";
    let (key, sig) = signed(4, msg);
    let (other_key, _) = signed(5, msg);
    let cache = KeyCache::default();
    assert!(verify_batch(&[(&key, &sig, msg)], &cache, [1; 32]));
    assert_eq!(cache.len(), 1);
    // Cached now: the same verdicts, right and wrong.
    assert!(verify_batch(&[(&key, &sig, msg)], &cache, [2; 32]));
    assert!(!verify_batch(&[(&other_key, &sig, msg)], &cache, [2; 32]));
    assert!(!verify_batch(&[(&key, &sig, b"other")], &cache, [2; 32]));
    assert_eq!(cache.len(), 2);
}
