//! Real CometBFT light blocks for light-client tests: deterministic ed25519 validator sets,
//! block headers with their true hashes, and commits whose precommit signatures are real
//! ed25519 signatures over CometBFT's canonical vote sign bytes — with knobs to make a commit
//! wrong in the ways a light client must catch (missing signers, a forged signer, a duplicated
//! signature).
//!
//! Validators are identified by their index in [`TestValidatorSet::validators`], which is the
//! canonical CometBFT order (power descending, then address ascending), the order of the commit
//! signatures.

use ed25519_consensus::SigningKey;
use ibc_proto::ibc::core::client::v1::Height as PbHeight;
use ibc_proto::ibc::lightclients::tendermint::v1::Header as PbHeader;
use sha2::{Digest, Sha256};
use tendermint::block::{self, header::Version, parts, CommitSig, Round};
use tendermint::block::{signed_header::SignedHeader, Commit};
use tendermint::hash::Hash;
use tendermint::validator::{Info, Set};
use tendermint::vote::{Type as VoteType, ValidatorIndex, Vote};
use tendermint::{account, chain, AppHash, PublicKey, Signature, Time};

/// One validator: a deterministic ed25519 key and a voting power.
#[derive(Clone)]
pub struct TestValidator {
    /// The consensus signing key (secret = sha256(seed)).
    pub key: SigningKey,
    /// Voting power (> 0).
    pub power: u64,
}

impl TestValidator {
    /// The validator whose ed25519 secret is `sha256(seed)`.
    pub fn new(seed: &str, power: u64) -> Self {
        let secret: [u8; 32] = Sha256::digest(seed.as_bytes()).into();
        TestValidator {
            key: SigningKey::from(secret),
            power,
        }
    }

    /// The consensus public key.
    pub fn public_key(&self) -> PublicKey {
        // 32 bytes from a valid verification key: always a valid ed25519 key
        PublicKey::from_raw_ed25519(&self.key.verification_key().to_bytes())
            .expect("ed25519 verification key")
    }

    /// The validator address: the first 20 bytes of sha256(pubkey).
    pub fn address(&self) -> account::Id {
        account::Id::from(self.public_key())
    }

    /// The validator as it appears in a validator set.
    pub fn info(&self) -> Info {
        Info::new(
            self.public_key(),
            self.power.try_into().expect("test voting power fits"),
        )
    }

    /// An ed25519 signature of `msg`.
    pub fn sign(&self, msg: &[u8]) -> Signature {
        let sig = self.key.sign(msg);
        Signature::try_from(sig.to_bytes().as_slice()).expect("64-byte signature")
    }
}

/// A validator set in canonical CometBFT order.
#[derive(Clone)]
pub struct TestValidatorSet {
    /// Validators, power descending then address ascending (the commit signature order).
    pub validators: Vec<TestValidator>,
}

impl TestValidatorSet {
    /// A set of the given validators, sorted canonically.
    pub fn new(mut validators: Vec<TestValidator>) -> Self {
        validators.sort_by_key(|v| (std::cmp::Reverse(v.power), v.address()));
        TestValidatorSet { validators }
    }

    /// `n` validators of power `power`, with seeds `{prefix}-0` … `{prefix}-{n-1}`.
    pub fn uniform(prefix: &str, n: usize, power: u64) -> Self {
        Self::new(
            (0..n)
                .map(|i| TestValidator::new(&format!("{prefix}-{i}"), power))
                .collect(),
        )
    }

    /// Validators with the given `(seed, power)` pairs.
    pub fn with_powers(validators: &[(&str, u64)]) -> Self {
        Self::new(
            validators
                .iter()
                .map(|(s, p)| TestValidator::new(s, *p))
                .collect(),
        )
    }

    /// The tendermint validator set, with the first validator as proposer.
    pub fn set(&self) -> Set {
        let infos: Vec<Info> = self.validators.iter().map(TestValidator::info).collect();
        let proposer = infos.first().cloned();
        Set::new(infos, proposer)
    }

    /// The set's hash (a header's `validators_hash` / `next_validators_hash`).
    pub fn hash(&self) -> Hash {
        self.set().hash()
    }

    /// The wire form (with proposer and total voting power, as CometBFT's RPC returns it).
    pub fn to_proto(&self) -> tendermint_proto::types::ValidatorSet {
        self.set().into()
    }

    /// The index of the validator with this address, if in the set.
    pub fn index_of(&self, address: account::Id) -> Option<usize> {
        self.validators.iter().position(|v| v.address() == address)
    }
}

/// How to sign a commit. The default: every validator signs correctly, round 0.
#[derive(Clone, Debug, Default)]
pub struct CommitOptions {
    /// Validators (indices) whose signatures are absent (`BlockIdFlagAbsent`).
    pub absent: Vec<usize>,
    /// `(slot, key)`: validator `slot`'s signature is made with validator `key`'s key while the
    /// commit still claims validator `slot`'s address.
    pub forged: Option<(usize, usize)>,
    /// `(from, to)`: validator `to`'s place carries a copy of validator `from`'s signature.
    pub duplicate: Option<(usize, usize)>,
    /// The commit round.
    pub round: u32,
}

/// Everything that determines a signed header.
#[derive(Clone)]
pub struct BlockSpec<'a> {
    /// The chain id (e.g. `counterparty-1`).
    pub chain_id: &'a str,
    /// The block height (≥ 1).
    pub height: u64,
    /// The block time.
    pub time: Time,
    /// The app hash (the IBC commitment root).
    pub app_hash: Vec<u8>,
    /// The validators of this block (signers of its commit; `validators_hash`).
    pub validators: &'a TestValidatorSet,
    /// The validators of the next block (`next_validators_hash`).
    pub next_validators: &'a TestValidatorSet,
    /// The previous block's id, if any.
    pub last_block_id: Option<block::Id>,
    /// How the commit is signed.
    pub commit: CommitOptions,
}

fn sha(data: &[u8]) -> Hash {
    Hash::Sha256(Sha256::digest(data).into())
}

impl BlockSpec<'_> {
    /// The CometBFT block header (version block 11, the first validator as proposer).
    pub fn header(&self) -> block::Header {
        let proposer = self
            .validators
            .validators
            .first()
            .map(TestValidator::address)
            .expect("a validator set with at least one validator");
        block::Header {
            version: Version { block: 11, app: 0 },
            chain_id: chain::Id::try_from(self.chain_id).expect("valid chain id"),
            height: block::Height::try_from(self.height).expect("valid height"),
            time: self.time,
            last_block_id: self.last_block_id,
            last_commit_hash: Some(sha(b"last commit")),
            data_hash: Some(sha(b"")),
            validators_hash: self.validators.hash(),
            next_validators_hash: self.next_validators.hash(),
            consensus_hash: sha(b"consensus params"),
            app_hash: AppHash::try_from(self.app_hash.clone()).expect("app hash bytes"),
            last_results_hash: Some(sha(b"results")),
            evidence_hash: Some(sha(b"evidence")),
            proposer_address: proposer,
        }
    }

    /// The header with a commit for it signed as [`CommitOptions`] says.
    pub fn signed_header(&self) -> SignedHeader {
        let header = self.header();
        let block_id = block::Id {
            hash: header.hash(),
            part_set_header: parts::Header::new(1, sha(header.hash().as_bytes()))
                .expect("part set header"),
        };
        let round = Round::try_from(self.commit.round).expect("valid round");
        let vals = &self.validators.validators;
        let mut signatures: Vec<CommitSig> = vals
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if self.commit.absent.contains(&i) {
                    return CommitSig::BlockIdFlagAbsent;
                }
                let signer = match self.commit.forged {
                    Some((slot, key)) if slot == i => &vals[key],
                    _ => v,
                };
                let timestamp = self.time;
                let vote = Vote {
                    vote_type: VoteType::Precommit,
                    height: header.height,
                    round,
                    block_id: Some(block_id),
                    timestamp: Some(timestamp),
                    validator_address: v.address(),
                    validator_index: ValidatorIndex::try_from(i as u32).expect("index"),
                    signature: None,
                    extension: vec![],
                    extension_signature: None,
                };
                let sign_bytes = vote.into_signable_vec(header.chain_id.clone());
                CommitSig::BlockIdFlagCommit {
                    validator_address: v.address(),
                    timestamp,
                    signature: Some(signer.sign(&sign_bytes)),
                }
            })
            .collect();
        if let Some((from, to)) = self.commit.duplicate {
            signatures[to] = signatures[from].clone();
        }
        let commit = Commit {
            height: header.height,
            round,
            block_id,
            signatures,
        };
        SignedHeader::new(header, commit).expect("commit height equals header height")
    }
}

/// A correctly signed header: the first 7 fields of [`BlockSpec`] with default
/// [`CommitOptions`].
pub fn signed_header(
    chain_id: &str,
    height: u64,
    time: Time,
    app_hash: Vec<u8>,
    validators: &TestValidatorSet,
    next_validators: &TestValidatorSet,
    last_block_id: Option<block::Id>,
) -> SignedHeader {
    BlockSpec {
        chain_id,
        height,
        time,
        app_hash,
        validators,
        next_validators,
        last_block_id,
        commit: CommitOptions::default(),
    }
    .signed_header()
}

/// The 07-tendermint `Header` a relayer submits: the signed header, its validator set, the
/// trusted height `(revision, height)` and the validators trusted there (the trusted consensus
/// state's next validators).
pub fn ibc_header(
    signed: &SignedHeader,
    validators: &TestValidatorSet,
    trusted_height: (u64, u64),
    trusted_validators: &TestValidatorSet,
) -> PbHeader {
    PbHeader {
        signed_header: Some(signed.clone().into()),
        validator_set: Some(validators.to_proto()),
        trusted_height: Some(PbHeight {
            revision_number: trusted_height.0,
            revision_height: trusted_height.1,
        }),
        trusted_validators: Some(trusted_validators.to_proto()),
    }
}

/// A block time `secs` seconds after the Unix epoch.
pub fn time(secs: i64) -> Time {
    Time::from_unix_timestamp(secs, 0).expect("valid test time")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tendermint::crypto::signature::Verifier as _;

    #[test]
    fn commits_carry_real_signatures_over_canonical_votes() {
        let vals = TestValidatorSet::uniform("v", 4, 10);
        let sh = signed_header("chain-1", 5, time(1_000), vec![1; 32], &vals, &vals, None);
        assert_eq!(sh.commit.block_id.hash, sh.header.hash());
        assert_eq!(sh.header.validators_hash, vals.set().hash());
        for (i, cs) in sh.commit.signatures.iter().enumerate() {
            let CommitSig::BlockIdFlagCommit {
                validator_address,
                timestamp,
                signature: Some(sig),
            } = cs
            else {
                panic!("signature {i} missing")
            };
            let vote = Vote {
                vote_type: VoteType::Precommit,
                height: sh.header.height,
                round: sh.commit.round,
                block_id: Some(sh.commit.block_id),
                timestamp: Some(*timestamp),
                validator_address: *validator_address,
                validator_index: ValidatorIndex::try_from(i as u32).unwrap(),
                signature: None,
                extension: vec![],
                extension_signature: None,
            };
            let bytes = vote.into_signable_vec(sh.header.chain_id.clone());
            tendermint::crypto::default::signature::Verifier::verify(
                vals.validators[i].public_key(),
                &bytes,
                sig,
            )
            .unwrap();
        }
        let p = ibc_header(&sh, &vals, (1, 4), &vals);
        assert_eq!(p.trusted_height.unwrap().revision_height, 4);
    }

    #[test]
    fn validator_sets_are_canonically_ordered() {
        let vals = TestValidatorSet::with_powers(&[("a", 1), ("b", 5), ("c", 5)]);
        assert_eq!(vals.validators[2].power, 1);
        assert!(vals.validators[0].address() < vals.validators[1].address());
        assert_eq!(
            vals.set().validators()[0].address,
            vals.validators[0].address()
        );
    }
}
