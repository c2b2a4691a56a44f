//! The ante handler's secp256k1 signature check on one core (criterion): libsecp256k1, which
//! the ante handler runs ([`hub_auth::ante::verify_secp256k1`]), against the pure-Rust `k256`
//! it replaced, over one 300-byte sign doc.
//!
//! Run with `cargo bench -p hub-auth --bench signature`; the figures go to docs/BENCHMARKS.md.

#![allow(clippy::unwrap_used)] // benchmark setup: a failure aborts the run
#![allow(missing_docs)] // criterion_main! generates an undocumented main

use criterion::{criterion_group, criterion_main, Criterion};
use k256::ecdsa::{signature::Signer, signature::Verifier, Signature, SigningKey, VerifyingKey};

fn signature(c: &mut Criterion) {
    let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let doc = vec![0xab_u8; 300];
    let sig: Signature = key.sign(&doc);
    let sig = sig.normalize_s().unwrap_or(sig);
    let pubkey = key.verifying_key().to_sec1_bytes().to_vec();
    let bytes = sig.to_bytes().to_vec();

    let mut group = c.benchmark_group("secp256k1_verify");
    group.bench_function("libsecp256k1", |b| {
        b.iter(|| hub_auth::ante::verify_secp256k1(&pubkey, &doc, &bytes).unwrap())
    });
    group.bench_function("k256", |b| {
        b.iter(|| {
            let key = VerifyingKey::from_sec1_bytes(&pubkey).unwrap();
            let sig = Signature::from_slice(&bytes).unwrap();
            key.verify(&doc, &sig).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, signature);
criterion_main!(benches);
