//! Commit signatures verified as one ed25519 batch: a [`VotingPowerCalculator`] with exactly
//! the tallies of `tendermint_light_client_verifier`'s `ProdVotingPowerCalculator`, faster.
//!
//! The reference walks a validator set in order, verifies each signature of a validator that
//! voted for the block, adds its power, and stops as soon as the tally passes the threshold
//! (CometBFT's `VerifyCommitLight`). [`BatchVotingPowerCalculator`] makes the same walk and
//! the same early stop without verifying, then verifies every signature the walk counted in
//! one ed25519 batch ([`super::ed25519`]: ZIP-215 rules, as CometBFT and the reference use,
//! under which a batch accepts exactly when every one of its signatures does). When the batch
//! fails, or anything is unusual (a duplicate or unsigned vote, a key that is not ed25519),
//! it hands the whole question to the reference, so that every verdict and every error is the
//! reference's own. The batch's random weights come from a ChaCha20 stream seeded with the
//! hash of everything verified: deterministic across validators, and as unpredictable to a
//! forger as fresh randomness (a forgery would have to be chosen before the weights that
//! depend on it).

use sha2::{Digest as _, Sha256};
use tendermint::block::CommitSig;
use tendermint::trust_threshold::TrustThreshold as _;
use tendermint::vote::{SignedVote, ValidatorIndex, Vote};
use tendermint::{account, PublicKey};
use tendermint_light_client_verifier::errors::VerificationError;
use tendermint_light_client_verifier::operations::{
    ProdVotingPowerCalculator, VotingPowerCalculator, VotingPowerTally,
};
use tendermint_light_client_verifier::types::{SignedHeader, TrustThreshold, ValidatorSet};

/// The production [`VotingPowerCalculator`] of the hub's 07-tendermint clients: batch
/// verification with the reference's verdicts (see the module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct BatchVotingPowerCalculator;

/// A precommit for the block: who cast it and what was signed.
struct CastVote {
    validator: account::Id,
    sign_bytes: Vec<u8>,
    signature: [u8; 64],
}

/// The commit's votes for the block, sorted by validator address; `None` if one lacks a
/// signature, has a malformed one, or two come from one validator (the reference's errors).
fn cast_votes(header: &SignedHeader) -> Option<Vec<CastVote>> {
    let commit = &header.commit;
    let mut votes = Vec::with_capacity(commit.signatures.len());
    for (index, sig) in commit.signatures.iter().enumerate() {
        let CommitSig::BlockIdFlagCommit {
            validator_address,
            timestamp,
            signature,
        } = sig
        else {
            continue; // absent and nil votes count for nothing
        };
        let vote = Vote {
            vote_type: tendermint::vote::Type::Precommit,
            height: commit.height,
            round: commit.round,
            block_id: Some(commit.block_id),
            timestamp: Some(timestamp.to_owned()),
            validator_address: validator_address.to_owned(),
            validator_index: ValidatorIndex::try_from(index).ok()?,
            signature: signature.clone(),
            extension: Default::default(),
            extension_signature: None,
        };
        let signed = SignedVote::from_vote(vote, header.header.chain_id.clone())?;
        let signature = <[u8; 64]>::try_from(signed.signature().as_bytes()).ok()?;
        let mut sign_bytes = Vec::with_capacity(166);
        signed.sign_bytes_into(&mut sign_bytes).ok()?;
        votes.push(CastVote {
            validator: validator_address.to_owned(),
            sign_bytes,
            signature,
        });
    }
    votes.sort_unstable_by_key(|v| v.validator);
    if votes.windows(2).any(|w| w[0].validator == w[1].validator) {
        return None;
    }
    Some(votes)
}

/// A precommit for the block: `(validator address, canonical vote sign bytes, ed25519
/// signature)`.
pub type Precommit = (account::Id, Vec<u8>, [u8; 64]);

/// The commit's precommits for the block, sorted by validator address: the signatures
/// [`BatchVotingPowerCalculator`] verifies. `None` where the reference errs: a vote without a
/// signature or with a malformed one, or two votes of one validator.
pub fn precommits(header: &SignedHeader) -> Option<Vec<Precommit>> {
    let votes = cast_votes(header)?;
    Some(
        votes
            .into_iter()
            .map(|v| (v.validator, v.sign_bytes, v.signature))
            .collect(),
    )
}

/// The reference's walk over `set` without verifying: the tally at its early stop and the
/// indices (into `votes`) of the votes it counted; `None` for a validator set naming one
/// voter twice or a key that is not ed25519.
fn walk(
    votes: &[CastVote],
    set: &ValidatorSet,
    threshold: TrustThreshold,
    total: u64,
    keys: &mut Vec<(usize, [u8; 32])>,
) -> Option<VotingPowerTally> {
    let mut tally = VotingPowerTally {
        total,
        tallied: 0,
        trust_threshold: threshold,
    };
    let mut seen = Vec::new();
    for validator in set.validators() {
        let Ok(i) = votes.binary_search_by_key(&validator.address, |v| v.validator) else {
            continue;
        };
        if seen.contains(&i) {
            return None;
        }
        seen.push(i);
        let PublicKey::Ed25519(key) = validator.pub_key else {
            return None;
        };
        keys.push((i, key.as_bytes().try_into().ok()?));
        tally.tallied = tally.tallied.saturating_add(validator.power());
        if threshold.is_enough_power(tally.tallied, tally.total) {
            break;
        }
    }
    Some(tally)
}

/// Verifies the counted votes as one batch (each vote once, however many sets counted it).
fn batch_verifies(votes: &[CastVote], counted: &mut Vec<(usize, [u8; 32])>) -> bool {
    counted.sort_unstable();
    counted.dedup();
    let mut seed = Sha256::new();
    let mut items = Vec::with_capacity(counted.len());
    for (i, key) in counted.iter() {
        let vote = &votes[*i];
        seed.update(key);
        seed.update(vote.signature);
        seed.update((vote.sign_bytes.len() as u64).to_be_bytes());
        seed.update(&vote.sign_bytes);
        items.push((key, &vote.signature, &vote.sign_bytes[..]));
    }
    super::ed25519::verify_batch(&items, &super::ed25519::KEY_CACHE, seed.finalize().into())
}

impl BatchVotingPowerCalculator {
    /// The tallies of `sets` if every signature the reference would verify verifies as a
    /// batch; `None` to ask the reference.
    fn fast(
        &self,
        header: &SignedHeader,
        sets: &[(&ValidatorSet, TrustThreshold)],
    ) -> Option<Vec<VotingPowerTally>> {
        let votes = cast_votes(header)?;
        let mut counted = Vec::new();
        let mut tallies = Vec::with_capacity(sets.len());
        for (set, threshold) in sets {
            let total = self.total_power_of(set);
            tallies.push(walk(&votes, set, *threshold, total, &mut counted)?);
        }
        batch_verifies(&votes, &mut counted).then_some(tallies)
    }
}

impl VotingPowerCalculator for BatchVotingPowerCalculator {
    fn voting_power_in(
        &self,
        signed_header: &SignedHeader,
        validator_set: &ValidatorSet,
        trust_threshold: TrustThreshold,
    ) -> Result<VotingPowerTally, VerificationError> {
        match self.fast(signed_header, &[(validator_set, trust_threshold)]) {
            Some(mut tallies) if tallies.len() == 1 => Ok(tallies.remove(0)),
            _ => ProdVotingPowerCalculator::default().voting_power_in(
                signed_header,
                validator_set,
                trust_threshold,
            ),
        }
    }

    fn voting_power_in_sets(
        &self,
        signed_header: &SignedHeader,
        first_set: (&ValidatorSet, TrustThreshold),
        second_set: (&ValidatorSet, TrustThreshold),
    ) -> Result<(VotingPowerTally, VotingPowerTally), VerificationError> {
        match self
            .fast(signed_header, &[first_set, second_set])
            .as_deref()
        {
            Some(&[first, second]) => Ok((first, second)),
            _ => ProdVotingPowerCalculator::default().voting_power_in_sets(
                signed_header,
                first_set,
                second_set,
            ),
        }
    }
}
