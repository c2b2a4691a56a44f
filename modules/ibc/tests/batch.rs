//! Commit signatures verified as one batch give exactly the production calculator's verdicts:
//! the same tallies when every signature is good, and the same error or the same acceptance
//! when one is forged, wherever it sits among 150.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_ibc::client::batch::BatchVotingPowerCalculator;
use hub_testkit::chain::{signed_header, time, TestValidatorSet};
use proptest::prelude::*;
use tendermint::block::signed_header::SignedHeader;
use tendermint::block::CommitSig;
use tendermint::trust_threshold::TrustThresholdFraction;
use tendermint::Signature;
use tendermint_light_client_verifier::operations::{
    ProdVotingPowerCalculator, VotingPowerCalculator,
};

const CP: &str = "spoke-1";

fn header(vals: &TestValidatorSet) -> SignedHeader {
    signed_header(CP, 2, time(1_005), vec![2; 32], vals, vals, None)
}

/// `header` with the signature of commit entry `i` replaced by a valid-looking forgery.
fn forged(header: &SignedHeader, i: usize) -> SignedHeader {
    let mut forged = header.clone();
    if let CommitSig::BlockIdFlagCommit {
        validator_address,
        timestamp,
        signature: Some(signature),
    } = forged.commit.signatures[i].clone()
    {
        let mut bytes = signature.as_bytes().to_vec();
        bytes[7] ^= 1;
        forged.commit.signatures[i] = CommitSig::BlockIdFlagCommit {
            validator_address,
            timestamp,
            signature: Signature::new(bytes).unwrap(),
        };
    }
    forged
}

/// Both calculators' answers, as text (the error types carry no equality; an error is its
/// detail, without the tracer's backtrace, which differs from call to call when
/// `RUST_BACKTRACE` is set).
fn both(
    header: &SignedHeader,
    trusted: &TestValidatorSet,
    untrusted: &TestValidatorSet,
    level: TrustThresholdFraction,
) -> (String, String) {
    let ask = |c: &dyn Fn() -> String| c();
    let sets = |calc: &dyn VotingPowerCalculator| {
        let answer = calc.voting_power_in_sets(
            header,
            (&trusted.set(), level),
            (&untrusted.set(), TrustThresholdFraction::TWO_THIRDS),
        );
        format!("{:?}", answer.map_err(|e| e.0))
    };
    let batch = ask(&|| sets(&BatchVotingPowerCalculator));
    let reference = ask(&|| sets(&ProdVotingPowerCalculator::default()));
    (batch, reference)
}

#[test]
fn a_good_commit_of_150_gets_the_reference_tallies() {
    let vals = TestValidatorSet::uniform("v", 150, 10);
    let h = header(&vals);
    let (batch, reference) = both(&h, &vals, &vals, TrustThresholdFraction::ONE_THIRD);
    assert!(batch.starts_with("Ok("), "{batch}");
    assert_eq!(batch, reference);
    let single = BatchVotingPowerCalculator
        .voting_power_in(&h, &vals.set(), TrustThresholdFraction::TWO_THIRDS)
        .unwrap();
    let want = ProdVotingPowerCalculator::default()
        .voting_power_in(&h, &vals.set(), TrustThresholdFraction::TWO_THIRDS)
        .unwrap();
    assert_eq!(single, want);
    assert_eq!(
        single.tallied, 1010,
        "stops at the first tally past 2/3 of 1500"
    );
}

#[test]
fn one_forged_signature_among_150_falls_back_and_rejects_or_accepts_as_the_reference() {
    let vals = TestValidatorSet::uniform("v", 150, 10);
    let h = header(&vals);
    let (mut rejected, mut accepted) = (0, 0);
    // Entries the walk counts (early in validator order) are refused with the reference's
    // own error; entries after its early stop were never checked by the reference either.
    for i in [0, 1, 37, 75, 100, 101, 120, 149] {
        let bad = forged(&h, i);
        let (batch, reference) = both(&bad, &vals, &vals, TrustThresholdFraction::ONE_THIRD);
        assert_eq!(batch, reference, "forged entry {i}");
        if batch.starts_with("Ok(") {
            accepted += 1;
        } else {
            assert!(batch.contains("InvalidSignature"), "{batch}");
            rejected += 1;
        }
    }
    assert!(
        rejected > 0 && accepted > 0,
        "{rejected} rejected, {accepted} accepted"
    );
}

#[test]
fn a_commit_signed_twice_by_one_validator_is_refused_as_the_reference_refuses_it() {
    let vals = TestValidatorSet::uniform("v", 10, 10);
    let mut h = header(&vals);
    let first = h.commit.signatures[0].clone();
    h.commit.signatures[1] = first;
    let (batch, reference) = both(&h, &vals, &vals, TrustThresholdFraction::ONE_THIRD);
    assert!(batch.contains("DuplicateValidator"), "{batch}");
    assert_eq!(batch, reference);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any one forged entry, any trust level, trusted and untrusted sets that differ: the batch
    /// answer is the reference's.
    #[test]
    fn any_forged_entry_gets_the_reference_verdict(
        i in 0usize..40,
        shift in 0usize..20,
        num in 1u64..3,
    ) {
        let vals = TestValidatorSet::uniform("v", 40, 10);
        let trusted = TestValidatorSet::uniform(if shift == 0 { "v" } else { "w" }, shift.max(1), 10);
        let level = TrustThresholdFraction::new(num, 3).unwrap();
        let bad = forged(&header(&vals), i);
        let (batch, reference) = both(&bad, &trusted, &vals, level);
        prop_assert_eq!(batch, reference);
    }
}
