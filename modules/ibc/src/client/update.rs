//! 07-tendermint client updates and misbehaviour (ibc-go 02-client `UpdateClient` with
//! 07-tendermint `verifyHeader`, `verifyMisbehaviour`, `CheckForMisbehaviour`, `UpdateState`,
//! `UpdateStateOnMisbehaviour` and `pruneOldestConsensusState`).
//!
//! Header signatures are checked with `tendermint_light_client_verifier`'s production
//! predicates (`verify_update_header`: adjacent headers need +2/3 of their own validators;
//! skipping headers also need more than the trust level of the trusted validators), with `now`
//! the host block time, never the wall clock, and the commit's signatures verified as one
//! ed25519 batch ([`super::batch`]).

use super::batch::BatchVotingPowerCalculator;
use super::header::{Header, Misbehaviour, HEADER_TYPE_URL, MISBEHAVIOUR_TYPE_URL};
use super::state::{ClientRead, ClientWrite};
use super::types::{ClientState, ConsensusState, Status};
use crate::{revision_of_chain_id, Height, IbcError};
use cnidarium::{StateRead, StateWrite};
use ibc_proto::google::protobuf::Any;
use tendermint::hash::{Algorithm, Hash};
use tendermint::trust_threshold::TrustThreshold as _;
use tendermint::Time;
use tendermint_light_client_verifier::errors::VerificationErrorDetail;
use tendermint_light_client_verifier::operations::{ProdCommitValidator, VotingPowerCalculator};
use tendermint_light_client_verifier::options::Options;
use tendermint_light_client_verifier::predicates::ProdPredicates;
use tendermint_light_client_verifier::types::{TrustedBlockState, UntrustedBlockState};
use tendermint_light_client_verifier::{PredicateVerifier, Verdict, Verifier};

/// The light-client verifier of 07-tendermint clients: the production predicates and commit
/// validator of `tendermint_light_client_verifier`, with commit signatures checked as one
/// batch ([`BatchVotingPowerCalculator`], same verdicts as the production calculator).
type HeaderVerifier =
    PredicateVerifier<ProdPredicates, BatchVotingPowerCalculator, ProdCommitValidator>;

/// The frozen height ibc-go sets on misbehaviour (`FrozenHeight` = `0-1`): only its being
/// non-zero matters.
pub const FROZEN_HEIGHT: Height = Height::new(0, 1);

/// What `MsgUpdateClient.client_message` carries: a header or misbehaviour (ibc-go v8 routes
/// both through `UpdateClient`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientMessage {
    /// A header to update the client with.
    Header(Box<Header>),
    /// Evidence that freezes the client.
    Misbehaviour(Box<Misbehaviour>),
}

impl ClientMessage {
    /// Decodes by type URL. Errors: `client`/10 for any other type URL, else the decoding
    /// errors of [`Header::from_any`] / [`Misbehaviour::from_any`].
    pub fn from_any(any: &Any) -> Result<Self, IbcError> {
        match any.type_url.as_str() {
            HEADER_TYPE_URL => Ok(ClientMessage::Header(Box::new(Header::from_any(any)?))),
            MISBEHAVIOUR_TYPE_URL => Ok(ClientMessage::Misbehaviour(Box::new(
                Misbehaviour::from_any(any)?,
            ))),
            other => Err(IbcError::InvalidClientType(format!(
                "client message type {other} is not a 07-tendermint header or misbehaviour"
            ))),
        }
    }

    /// Number of commit signatures the message carries (for gas).
    pub fn signature_count(&self) -> usize {
        match self {
            ClientMessage::Header(h) => h.signed_header.commit.signatures.len(),
            ClientMessage::Misbehaviour(m) => {
                m.header_1.signed_header.commit.signatures.len()
                    + m.header_2.signed_header.commit.signatures.len()
            }
        }
    }
}

/// The result of a successful [`update_client`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// The header was applied (or was a duplicate); the consensus heights it touched (one).
    Updated(Vec<Height>),
    /// Misbehaviour was found and the client is now frozen at [`FROZEN_HEIGHT`].
    Frozen,
}

/// ibc-go 02-client `UpdateClient` for a 07-tendermint client, at host block time `now` and
/// host height `host_height`.
///
/// Steps: the client must be Active (`client`/29, also when expired exactly at its latest
/// consensus state's time + trusting period, or frozen); the message is verified
/// ([`verify_header`] / [`verify_misbehaviour`]); if [`check_for_misbehaviour`] finds
/// misbehaviour the client is frozen ([`UpdateOutcome::Frozen`]); else a header updates the
/// state ([`update_state`]). A `Misbehaviour` message that proves nothing fails with
/// `client`/13 (as ibc-rs; ibc-go v8 accepts it as a no-op), so a relayer learns its evidence
/// was useless.
///
/// On error nothing is written.
pub async fn update_client<S: StateWrite>(
    s: &mut S,
    client_id: &str,
    msg: &ClientMessage,
    now: Time,
    host_height: u64,
) -> Result<UpdateOutcome, IbcError> {
    let cs = s.client_state(client_id).await?;
    let status = s.client_status(client_id, now).await?;
    if status != Status::Active {
        return Err(IbcError::ClientNotActive(format!(
            "cannot update client {client_id} with status {status}"
        )));
    }
    match msg {
        ClientMessage::Header(h) => verify_header(s, client_id, &cs, h, now).await?,
        ClientMessage::Misbehaviour(m) => verify_misbehaviour(s, client_id, &cs, m, now).await?,
    }
    if check_for_misbehaviour(s, client_id, msg).await? {
        update_state_on_misbehaviour(s, client_id, &cs);
        return Ok(UpdateOutcome::Frozen);
    }
    match msg {
        ClientMessage::Header(h) => Ok(UpdateOutcome::Updated(
            update_state(s, client_id, &cs, h, now, host_height).await?,
        )),
        ClientMessage::Misbehaviour(_) => Err(IbcError::InvalidMisbehaviour(
            "the headers are verified but show no misbehaviour (same block, or monotonic time)"
                .into(),
        )),
    }
}

/// ibc-go `checkTrustedHeader`: the header's trusted validators must hash to the trusted
/// consensus state's `next_validators_hash`. Errors: `07-tendermint`/14.
fn check_trusted_header(header: &Header, trusted: &ConsensusState) -> Result<(), IbcError> {
    let got = header.trusted_validators.hash();
    if got.as_bytes() != trusted.next_validators_hash.as_slice() {
        return Err(IbcError::TmInvalidValidatorSet(format!(
            "trusted validators hash to {got}, the trusted consensus state expects {}",
            hex::encode_upper(&trusted.next_validators_hash)
        )));
    }
    Ok(())
}

/// Rejects a trust level whose arithmetic against the trusted validators' power would overflow
/// (CometBFT's `VerifyCommitLightTrusting` fails the same way). Errors: `07-tendermint`/15.
fn check_trust_arithmetic(cs: &ClientState, header: &Header) -> Result<(), IbcError> {
    let total = header.trusted_validators.total_voting_power().value() as u128;
    let (n, d) = cs.trust_level;
    if total * (d.max(n) as u128) > u64::MAX as u128 {
        return Err(IbcError::TmInvalidTrustLevel(format!(
            "trust level {n}/{d} overflows against a total voting power of {total}"
        )));
    }
    Ok(())
}

fn verification_error(d: VerificationErrorDetail) -> IbcError {
    match d {
        VerificationErrorDetail::NotWithinTrustPeriod(e) => {
            IbcError::TmTrustingPeriodExpired(format!(
                "trusted state expired at {}, block time is {}",
                e.expires_at, e.now
            ))
        }
        VerificationErrorDetail::InvalidSignature(e) => IbcError::TmInvalidHeader(format!(
            "failed to verify header: invalid commit signature of validator {}",
            e.validator.address
        )),
        other => IbcError::TmInvalidHeader(format!("failed to verify header: {other}")),
    }
}

/// The trusted consensus state at `header.trusted_height`, whose next validators must be the
/// header's trusted validators ([`check_trusted_header`]). Errors: `client`/7, and those of
/// [`check_trusted_header`].
async fn trusted_consensus_state<S: StateRead>(
    s: &S,
    client_id: &str,
    header: &Header,
) -> Result<ConsensusState, IbcError> {
    let trusted = s
        .try_consensus_state(client_id, header.trusted_height)
        .await?
        .ok_or_else(|| {
            IbcError::ConsensusStateNotFound(format!(
                "no trusted consensus state of client {client_id} at trusted height {}",
                header.trusted_height
            ))
        })?;
    check_trusted_header(header, &trusted)?;
    Ok(trusted)
}

/// ibc-go 07-tendermint `verifyHeader`: `header` is a valid successor of the consensus state at
/// its trusted height, at host block time `now`.
///
/// Errors: `client`/7 no consensus state at the trusted height; `07-tendermint`/14 trusted
/// validators not hashing to its `next_validators_hash`; `07-tendermint`/5 header revision ≠
/// trusted revision; `client`/12 header height ≤ trusted height; `07-tendermint`/11 trusted
/// state older than the trusting period; `07-tendermint`/15 a trust level that overflows;
/// `07-tendermint`/6 any other verification failure: another chain id, header time not after
/// the trusted time or not before `now` + max clock drift, adjacent header whose validators are
/// not the trusted next validators, < 2/3 of its own validators signing, < trust level of the
/// trusted validators signing a skipping header, an invalid or duplicate signature, or a
/// signer not in the validator set.
pub async fn verify_header<S: StateRead>(
    s: &S,
    client_id: &str,
    cs: &ClientState,
    header: &Header,
    now: Time,
) -> Result<(), IbcError> {
    let trusted = trusted_consensus_state(s, client_id, header).await?;
    let height = header.height();
    if height.revision_number != header.trusted_height.revision_number {
        return Err(IbcError::TmInvalidHeaderHeight(format!(
            "header height revision {} does not match trusted header revision {}",
            height.revision_number, header.trusted_height.revision_number
        )));
    }
    if height <= header.trusted_height {
        return Err(IbcError::InvalidHeader(format!(
            "header height ≤ consensus state height ({height} ≤ {})",
            header.trusted_height
        )));
    }
    check_trust_arithmetic(cs, header)?;
    let chain_id = tendermint::chain::Id::try_from(cs.chain_id.as_str())
        .map_err(|e| IbcError::TmInvalidChainId(format!("{}: {e}", cs.chain_id)))?;
    let trusted_height = tendermint::block::Height::try_from(header.trusted_height.revision_height)
        .map_err(|e| IbcError::InvalidHeader(format!("trusted height: {e}")))?;
    let next_validators_hash =
        Hash::from_bytes(Algorithm::Sha256, &trusted.next_validators_hash)
            .map_err(|e| IbcError::InvalidConsensus(format!("next validators hash: {e}")))?;
    let trusted_state = TrustedBlockState {
        chain_id: &chain_id,
        header_time: trusted.timestamp,
        height: trusted_height,
        next_validators: &header.trusted_validators,
        next_validators_hash,
    };
    let untrusted = UntrustedBlockState {
        signed_header: &header.signed_header,
        validators: &header.validator_set,
        next_validators: None,
    };
    let options = Options {
        trust_threshold: cs.trust_threshold()?,
        trusting_period: cs.trusting_period,
        clock_drift: cs.max_clock_drift,
    };
    match HeaderVerifier::default().verify_update_header(untrusted, trusted_state, &options, now) {
        Verdict::Success => Ok(()),
        Verdict::NotEnoughTrust(tally) => Err(IbcError::TmInvalidHeader(format!(
            "failed to verify header: not enough trust: {tally}"
        ))),
        Verdict::Invalid(d) => Err(verification_error(d)),
    }
}

/// The chain id with its revision replaced by `revision`, if it is in revision format
/// (ibc-go `SetRevisionNumber`); unchanged otherwise.
fn chain_id_at_revision(chain_id: &str, revision: u64) -> String {
    match chain_id.rsplit_once('-') {
        Some((name, _)) if revision_of_chain_id(chain_id) != 0 => format!("{name}-{revision}"),
        _ => chain_id.to_string(),
    }
}

/// ibc-go `validCommit` (from `Misbehaviour.ValidateBasic`): the header's commit is for its
/// block and +2/3 of its own validator set signed it. Errors: `client`/13.
fn check_valid_commit(i: u8, header: &Header) -> Result<(), IbcError> {
    let untrusted = UntrustedBlockState {
        signed_header: &header.signed_header,
        validators: &header.validator_set,
        next_validators: None,
    };
    let verifier = HeaderVerifier::default();
    let verdict = match verifier.verify_validator_sets(&untrusted) {
        Verdict::Success => verifier.verify_commit(&untrusted),
        other => other,
    };
    match verdict {
        Verdict::Success => Ok(()),
        Verdict::NotEnoughTrust(t) => Err(IbcError::InvalidMisbehaviour(format!(
            "validator set did not commit to header {i}: {t}"
        ))),
        Verdict::Invalid(d) => Err(IbcError::InvalidMisbehaviour(format!(
            "validator set did not commit to header {i}: {}",
            verification_error(d)
        ))),
    }
}

/// ibc-go `checkMisbehaviourHeader`: `header` (number `i` of the misbehaviour) would have been
/// trusted from its `trusted` consensus state at time `now`.
fn check_misbehaviour_header(
    i: u8,
    cs: &ClientState,
    header: &Header,
    trusted: &ConsensusState,
    now: Time,
) -> Result<(), IbcError> {
    if cs.is_expired(trusted.timestamp, now) {
        return Err(IbcError::TmTrustingPeriodExpired(format!(
            "header {i}: the trusted consensus state at {} is older than the trusting period",
            header.trusted_height
        )));
    }
    // Signatures are over the chain id of the header's revision.
    let chain_id = chain_id_at_revision(&cs.chain_id, header.height().revision_number);
    if header.chain_id() != chain_id {
        return Err(IbcError::InvalidMisbehaviour(format!(
            "header {i} is for chain {}, the client expects {chain_id}",
            header.chain_id()
        )));
    }
    check_trust_arithmetic(cs, header)?;
    let threshold = cs.trust_threshold()?;
    let tally = BatchVotingPowerCalculator
        .voting_power_in(&header.signed_header, &header.trusted_validators, threshold)
        .map_err(|e| {
            IbcError::InvalidMisbehaviour(format!(
                "header {i}: validator set in header has too much change from trusted validator set: {}",
                verification_error(e.0)
            ))
        })?;
    if !threshold.is_enough_power(tally.tallied, tally.total) {
        return Err(IbcError::InvalidMisbehaviour(format!(
            "header {i}: validator set in header has too much change from trusted validator set: {tally}"
        )));
    }
    Ok(())
}

/// ibc-go 07-tendermint misbehaviour verification: both headers carry +2/3 commits of their
/// own validator sets (`Misbehaviour.ValidateBasic`), and both would have been trusted from
/// their trusted consensus states at `now` (`verifyMisbehaviour`).
///
/// Errors: `client`/13 a commit not signed by +2/3 of its validators, a header for another
/// chain, or less than the trust level of the trusted validators signing; `client`/7 a missing
/// trusted consensus state; `07-tendermint`/14 trusted validators not matching it;
/// `07-tendermint`/11 a trusted consensus state older than the trusting period.
pub async fn verify_misbehaviour<S: StateRead>(
    s: &S,
    client_id: &str,
    cs: &ClientState,
    m: &Misbehaviour,
    now: Time,
) -> Result<(), IbcError> {
    check_valid_commit(1, &m.header_1)?;
    check_valid_commit(2, &m.header_2)?;
    for (i, header) in [(1, &m.header_1), (2, &m.header_2)] {
        let trusted = trusted_consensus_state(s, client_id, header).await?;
        check_misbehaviour_header(i, cs, header, &trusted, now)?;
    }
    Ok(())
}

/// The consensus states just below and just above `height`, if any. A header above the
/// client's latest height (every update of a client that follows its chain) reads one
/// consensus state, the latest; only a header below it scans the height index (gas-metered,
/// paid by its submitter).
async fn neighbours<S: StateRead>(
    s: &S,
    client_id: &str,
    height: Height,
) -> Result<(Option<ConsensusState>, Option<ConsensusState>), IbcError> {
    let latest = s.client_state(client_id).await?.latest_height;
    if height > latest {
        return Ok((s.try_consensus_state(client_id, latest).await?, None));
    }
    let heights = s.consensus_heights(client_id).await?;
    let prev = heights.iter().rev().find(|h| **h < height).copied();
    let next = heights.iter().find(|h| **h > height).copied();
    let prev = match prev {
        Some(h) => s.try_consensus_state(client_id, h).await?,
        None => None,
    };
    let next = match next {
        Some(h) => s.try_consensus_state(client_id, h).await?,
        None => None,
    };
    Ok((prev, next))
}

/// ibc-go 07-tendermint `CheckForMisbehaviour` on an already verified message.
///
/// A header is misbehaviour if a different consensus state is stored at its height (an
/// identical one is a duplicate, not misbehaviour), or if its time is not strictly between the
/// times of the neighbouring consensus states. A `Misbehaviour` is misbehaviour if its headers
/// are at the same height with different block hashes (a fork), or if `header_1` (higher) is not
/// later than `header_2` (a BFT time violation).
pub async fn check_for_misbehaviour<S: StateRead>(
    s: &S,
    client_id: &str,
    msg: &ClientMessage,
) -> Result<bool, IbcError> {
    match msg {
        ClientMessage::Header(h) => {
            let height = h.height();
            let cons = h.consensus_state();
            if let Some(existing) = s.try_consensus_state(client_id, height).await? {
                return Ok(existing != cons);
            }
            let (prev, next) = neighbours(s, client_id, height).await?;
            if prev.is_some_and(|p| p.timestamp >= cons.timestamp) {
                return Ok(true);
            }
            if next.is_some_and(|n| n.timestamp <= cons.timestamp) {
                return Ok(true);
            }
            Ok(false)
        }
        ClientMessage::Misbehaviour(m) => {
            let (h1, h2) = (&m.header_1, &m.header_2);
            if h1.height() == h2.height() {
                Ok(h1.signed_header.commit.block_id.hash != h2.signed_header.commit.block_id.hash)
            } else {
                Ok(h1.time() <= h2.time())
            }
        }
    }
}

/// How many expired consensus states one update prunes at most.
pub const PRUNE_BATCH: usize = 4;

/// ibc-go 07-tendermint `pruneOldestConsensusState`, in bounded batches: deletes the oldest
/// consensus states (and their processed time/height) that are expired at `now`, at most
/// [`PRUNE_BATCH`] per update, stopping at the first unexpired one. It reads only those index
/// entries, so an update costs the same whatever the number of stored states; the latest of an
/// Active client is never expired, so it is never pruned. Returns the pruned heights.
pub async fn prune_oldest_consensus_state<S: StateWrite>(
    s: &mut S,
    client_id: &str,
    cs: &ClientState,
    now: Time,
) -> Result<Vec<Height>, IbcError> {
    let mut pruned = Vec::new();
    for h in s.oldest_consensus_heights(client_id, PRUNE_BATCH).await? {
        let cons = s.consensus_state(client_id, h).await?;
        if !cs.is_expired(cons.timestamp, now) {
            break;
        }
        s.delete_consensus_state(client_id, h);
        pruned.push(h);
    }
    Ok(pruned)
}

/// ibc-go 07-tendermint `UpdateState` for a verified header: prunes the oldest expired
/// consensus state, then stores the header's consensus state at its height with processed
/// time `now` and processed height `host_height`, raising the client's latest height if the
/// header is higher. A header whose consensus state is already stored is a no-op. Returns the
/// header's height.
pub async fn update_state<S: StateWrite>(
    s: &mut S,
    client_id: &str,
    cs: &ClientState,
    header: &Header,
    now: Time,
    host_height: u64,
) -> Result<Vec<Height>, IbcError> {
    prune_oldest_consensus_state(s, client_id, cs, now).await?;
    let height = header.height();
    if s.try_consensus_state(client_id, height).await?.is_some() {
        return Ok(vec![height]);
    }
    if height > cs.latest_height {
        let mut cs = cs.clone();
        cs.latest_height = height;
        s.put_client_state(client_id, &cs);
    }
    s.put_consensus_state(
        client_id,
        height,
        &header.consensus_state(),
        now,
        host_height,
    );
    Ok(vec![height])
}

/// ibc-go 07-tendermint `UpdateStateOnMisbehaviour`: freezes the client at [`FROZEN_HEIGHT`].
pub fn update_state_on_misbehaviour<S: StateWrite>(s: &mut S, client_id: &str, cs: &ClientState) {
    let mut cs = cs.clone();
    cs.frozen_height = FROZEN_HEIGHT;
    s.put_client_state(client_id, &cs);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_ids_take_the_header_revision_when_formatted() {
        assert_eq!(chain_id_at_revision("gaia-1", 2), "gaia-2");
        assert_eq!(chain_id_at_revision("a-b-3", 4), "a-b-4");
        assert_eq!(chain_id_at_revision("gaia", 2), "gaia");
        assert_eq!(chain_id_at_revision("gaia-01", 2), "gaia-01");
    }
}
