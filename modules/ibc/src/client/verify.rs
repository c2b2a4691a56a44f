//! Verification of counterparty state through a light client (ibc-go 07-tendermint
//! `VerifyMembership` / `VerifyNonMembership` with `verifyDelayPeriodPassed`).

use super::state::ClientRead;
use super::types::{time_nanos, Status};
use crate::commitment::{self, decode_proof};
use crate::{Height, IbcError, Path, VerifyKind};
use cnidarium::StateRead;
use tendermint::Time;

/// Where and when a proof is checked: this chain's block and the connection's delay.
#[derive(Clone, Copy, Debug)]
pub struct ProofContext<'a> {
    /// The client of the counterparty.
    pub client_id: &'a str,
    /// This chain's block time (for status and the time delay).
    pub now: Time,
    /// This chain's height (for the block delay).
    pub host_height: u64,
    /// The connection's delay period in nanoseconds (0 for handshakes).
    pub delay_period_ns: u64,
    /// The counterparty's commitment prefix (from the connection end), e.g. `ibc`.
    pub prefix: &'a [u8],
}

/// Verifies that the counterparty stored `value` at `path` at `proof_height`.
///
/// Errors: `client`/29 client not active; `client`/26 proof height above the client's latest
/// height; `client`/7 no consensus state there; `07-tendermint`/10 delay not passed;
/// `commitment`/2 empty or undecodable proof; `client`/14..21 (per `kind`) a proof that does
/// not verify.
pub async fn verify_membership<S: StateRead>(
    s: &S,
    ctx: &ProofContext<'_>,
    proof_height: Height,
    proof: &[u8],
    path: &Path,
    value: &[u8],
    kind: VerifyKind,
) -> Result<(), IbcError> {
    let proof = decode_proof(proof)?;
    let (specs, root) = prepare(s, ctx, proof_height).await?;
    commitment::verify_membership(&specs, &root, ctx.prefix, &path.to_string(), value, &proof)
        .map_err(|e| wrap(kind, e))
}

/// Verifies that the counterparty stored `value` at `key` of the substore named by
/// `ctx.prefix` (e.g. `applied/v2` under `upgrade`), for state outside ICS-24.
///
/// Errors as [`verify_membership`].
pub async fn verify_key_membership<S: StateRead>(
    s: &S,
    ctx: &ProofContext<'_>,
    proof_height: Height,
    proof: &[u8],
    key: &str,
    value: &[u8],
    kind: VerifyKind,
) -> Result<(), IbcError> {
    let proof = decode_proof(proof)?;
    let (specs, root) = prepare(s, ctx, proof_height).await?;
    commitment::verify_membership(&specs, &root, ctx.prefix, key, value, &proof)
        .map_err(|e| wrap(kind, e))
}

/// Verifies that `path` is absent on the counterparty at `proof_height` (receipts for
/// timeouts). Errors as [`verify_membership`].
pub async fn verify_non_membership<S: StateRead>(
    s: &S,
    ctx: &ProofContext<'_>,
    proof_height: Height,
    proof: &[u8],
    path: &Path,
    kind: VerifyKind,
) -> Result<(), IbcError> {
    let proof = decode_proof(proof)?;
    let (specs, root) = prepare(s, ctx, proof_height).await?;
    commitment::verify_non_membership(&specs, &root, ctx.prefix, &path.to_string(), &proof)
        .map_err(|e| wrap(kind, e))
}

fn wrap(kind: VerifyKind, e: IbcError) -> IbcError {
    match e {
        // Malformed input keeps its commitment code; a proof that does not verify is reported
        // as what it failed to prove.
        IbcError::InvalidProof(_) | IbcError::InvalidPrefix(_) => e,
        other => IbcError::verification(kind, other.to_string()),
    }
}

/// Checks the client and the delay, and returns the client's proof specs and the root at
/// `proof_height`. Charges one ICS-23 verification to the transaction's gas meter (if `s`
/// runs under one); a crossed limit fails the transaction after its message.
async fn prepare<S: StateRead>(
    s: &S,
    ctx: &ProofContext<'_>,
    proof_height: Height,
) -> Result<(Vec<ics23::ProofSpec>, Vec<u8>), IbcError> {
    let _ = hub_framework::charge_gas(s, hub_framework::GAS_COSTS.ics23_verify, "ics23Verify");
    let status = s.client_status(ctx.client_id, ctx.now).await?;
    if status != Status::Active {
        return Err(IbcError::ClientNotActive(format!(
            "client {} is {status}",
            ctx.client_id
        )));
    }
    let cs = s.client_state(ctx.client_id).await?;
    if proof_height > cs.latest_height {
        // ibc-go's wording: relayers recognise it (Hermes retries a batch whose later txs
        // prove against a client update still in the mempool when the message contains
        // "verification failed" and "client state height < proof height").
        return Err(IbcError::InvalidHeight(format!(
            "verification failed: client state height < proof height ({} < {proof_height}) of client {}, please ensure the client has been updated",
            cs.latest_height, ctx.client_id
        )));
    }
    let cons = s.consensus_state(ctx.client_id, proof_height).await?;
    if ctx.delay_period_ns > 0 {
        let processed = s.processed_time(ctx.client_id, proof_height).await?;
        let valid_time = processed.saturating_add(ctx.delay_period_ns);
        if time_nanos(ctx.now) < valid_time {
            return Err(IbcError::TmDelayPeriodNotPassed(format!(
                "cannot verify before {valid_time} ns, block time is {} ns",
                time_nanos(ctx.now)
            )));
        }
        let processed_h = s.processed_height(ctx.client_id, proof_height).await?;
        let params = crate::params::ParamsRead::connection_params(s).await?;
        let blocks = crate::params::block_delay(&params, ctx.delay_period_ns);
        let valid_h = processed_h.saturating_add(blocks);
        if ctx.host_height < valid_h {
            return Err(IbcError::TmDelayPeriodNotPassed(format!(
                "cannot verify before height {valid_h}, current height is {}",
                ctx.host_height
            )));
        }
    }
    Ok((cs.proof_specs, cons.root))
}
