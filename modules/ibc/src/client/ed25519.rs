//! ZIP-215 ed25519 batch verification over `curve25519-dalek` 4, with the validators'
//! decompressed public keys kept between client updates.
//!
//! CometBFT (and `ed25519-consensus`, which `tendermint-light-client-verifier` uses) verify
//! under ZIP-215: `s` must be canonical (below the group order ℓ), `R` and the key `A` may be
//! any encoding that decompresses (non-canonical `y` included), and the equation is the
//! cofactored one, `[8]([-s]B + R + [k]A) = 0` with `k = SHA-512(R ‖ A ‖ M) mod ℓ`. Under those
//! rules a random linear combination of the equations (the batch, as in `ed25519-zebra` and
//! `ed25519-consensus`) holds exactly when every equation holds, up to a 2⁻¹²⁸ chance over the
//! weights: `[8]([-Σ zᵢsᵢ]B + Σ [zᵢ]Rᵢ + Σ [zᵢkᵢ]Aᵢ) = 0` with 128-bit weights `zᵢ`.
//!
//! What this adds to those crates' batch verifiers is [`KeyCache`]: a client's validator set
//! changes little between updates, and decompressing a key costs a square root in the field
//! (about a quarter of a signature's share of the batch). The cache only saves work: a key is
//! cached only once it decompressed, to the point it decompresses to, so every verdict is the
//! one the uncached computation gives.

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity as _, VartimeMultiscalarMul as _};
use rand_core::{RngCore as _, SeedableRng as _};
use sha2::{Digest as _, Sha512};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Most keys [`KeyCache`] holds: a few large validator sets (CometBFT caps none, Cosmos
/// chains run 100–200 validators) at 192 bytes each. Past it the cache starts again empty.
pub const KEY_CACHE_CAPACITY: usize = 4_096;

/// Decompressed ed25519 public keys by their 32-byte encoding, shared by every client of the
/// process. Bounded by [`KEY_CACHE_CAPACITY`].
#[derive(Debug, Default)]
pub struct KeyCache {
    points: Mutex<BTreeMap<[u8; 32], EdwardsPoint>>,
}

/// The process's key cache, used by the 07-tendermint clients' commit verification.
pub static KEY_CACHE: KeyCache = KeyCache {
    points: Mutex::new(BTreeMap::new()),
};

impl KeyCache {
    /// The point `key` decompresses to (ZIP-215: any encoding of a curve point), from the
    /// cache or decompressed and then cached; `None` if it is not a point.
    pub fn point(&self, key: &[u8; 32]) -> Option<EdwardsPoint> {
        // A poisoned lock only loses the cache: decompress without it.
        let mut points = self.points.lock().ok();
        if let Some(point) = points.as_ref().and_then(|p| p.get(key)) {
            return Some(*point);
        }
        let point = CompressedEdwardsY(*key).decompress()?;
        if let Some(points) = points.as_mut() {
            if points.len() >= KEY_CACHE_CAPACITY {
                points.clear();
            }
            points.insert(*key, point);
        }
        Some(point)
    }

    /// Number of keys held (for tests and metrics).
    pub fn len(&self) -> usize {
        self.points.lock().map(|p| p.len()).unwrap_or(0)
    }

    /// Whether the cache holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One signature to verify: `(public key, 64-byte signature R ‖ s, message)`.
pub type Item<'a> = (&'a [u8; 32], &'a [u8; 64], &'a [u8]);

/// Whether every item's signature verifies under ZIP-215 (see the module docs), as one batch.
/// The weights come from a ChaCha20 stream seeded with `seed`, which the caller derives from
/// everything verified (so that they are the same on every validator and unknown to whoever
/// chose the signatures). `false` when any signature is invalid (or, with probability 2⁻¹²⁸,
/// when all are valid: callers fall back to verifying one by one).
pub fn verify_batch(items: &[Item<'_>], keys: &KeyCache, seed: [u8; 32]) -> bool {
    let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
    let mut b_coeff = Scalar::ZERO;
    let mut scalars = Vec::with_capacity(2 * items.len() + 1);
    let mut points = Vec::with_capacity(2 * items.len() + 1);
    for (key, signature, message) in items {
        let (mut r_bytes, mut s_bytes) = ([0u8; 32], [0u8; 32]);
        r_bytes.copy_from_slice(&signature[..32]);
        s_bytes.copy_from_slice(&signature[32..]);
        let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes)) else {
            return false; // ZIP-215: s ≥ ℓ is refused
        };
        let Some(r) = CompressedEdwardsY(r_bytes).decompress() else {
            return false;
        };
        let Some(a) = keys.point(key) else {
            return false;
        };
        let k = challenge(&r_bytes, key, message);
        let mut weight = [0u8; 32];
        rng.fill_bytes(&mut weight[..16]);
        let z = Scalar::from_bytes_mod_order(weight);
        b_coeff -= z * s;
        scalars.push(z);
        points.push(r);
        scalars.push(z * k);
        points.push(a);
    }
    scalars.push(b_coeff);
    points.push(ED25519_BASEPOINT_POINT);
    EdwardsPoint::vartime_multiscalar_mul(&scalars, &points)
        .mul_by_cofactor()
        .is_identity()
}

/// `k = SHA-512(R ‖ A ‖ M) mod ℓ` over the encodings as given (RFC 8032, ZIP-215).
fn challenge(r: &[u8; 32], key: &[u8; 32], message: &[u8]) -> Scalar {
    let mut hash = Sha512::new();
    hash.update(r);
    hash.update(key);
    hash.update(message);
    Scalar::from_bytes_mod_order_wide(&hash.finalize().into())
}
