//! Double-sign evidence (SDK `x/evidence` `handleEquivocationEvidence` with
//! `x/slashing` `SlashWithInfractionReason`, simplified; see the crate docs).

use crate::address::to_valcons;
use crate::bank::StakingBank;
use crate::stake::pool_of;
use crate::state::{validator_operator, validator_tokens};
use crate::{events, StakingRead, StakingWrite};
use hub_framework::{cnidarium::StateWrite, ModuleError, StateEventExt};
use tendermint::Time;

/// One piece of duplicate-vote evidence reported by CometBFT in FinalizeBlock
/// (`Misbehavior` of type `DUPLICATE_VOTE`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DoubleSignEvidence {
    /// The offender's CometBFT consensus address (`sha256(ed25519 key)[..20]`).
    pub consensus_address: [u8; 20],
    /// The height of the double sign.
    pub infraction_height: u64,
    /// The block time at the infraction height.
    pub time: Time,
    /// The offender's voting power at the infraction height (reported in the `slash` event).
    pub power: u64,
}

/// What handling one piece of evidence did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceOutcome {
    /// The validator was slashed by `burned` tokens, jailed and tombstoned.
    Slashed {
        /// Tokens burned from its pool (`uhub`).
        burned: u128,
    },
    /// No validator has this consensus address; nothing changed.
    UnknownValidator,
    /// The validator was already tombstoned (slashed once for double signing); nothing changed.
    AlreadyTombstoned,
}

/// Handles duplicate-vote evidence before the block's transactions, as the SDK's BeginBlock:
/// burns `floor(tokens × slash_fraction_double_sign)` of the validator's tokens from its pool
/// (lowering the supply), jails and tombstones it, and emits `slash`. The validator then
/// leaves the active set at this block's end_block (a power-0 update). Delegators' shares
/// are unchanged, so each share is worth less.
///
/// Evidence for an unknown or already tombstoned validator is ignored (logged), never an
/// error: CometBFT may report evidence about validators that have since left, and one
/// infraction may be reported more than once. `hrp` is the account prefix (for the
/// `hubvalcons1…` address in the event).
///
/// Errors: only internal faults (storage, a pool holding less than its validators' tokens).
pub async fn handle_double_sign<S: StateWrite, B: StakingBank>(
    s: &mut S,
    bank: &B,
    hrp: &str,
    ev: &DoubleSignEvidence,
) -> Result<EvidenceOutcome, ModuleError> {
    let cons = hex::encode(ev.consensus_address);
    let valcons = to_valcons(&ev.consensus_address, hrp);
    let Some(mut v) = s.validator(&cons).await? else {
        tracing::info!(validator = %valcons, height = ev.infraction_height, "ignoring double-sign evidence of an unknown validator");
        return Ok(EvidenceOutcome::UnknownValidator);
    };
    if s.is_tombstoned(&cons).await? {
        tracing::info!(validator = %valcons, height = ev.infraction_height, "ignoring double-sign evidence of a tombstoned validator");
        return Ok(EvidenceOutcome::AlreadyTombstoned);
    }
    let fraction = s.slash_fraction_double_sign().await?;
    let denom = s.staking_params().await?.bond_denom;
    let tokens = validator_tokens(&v)?;
    let burned = fraction.mul_int_floor(tokens).min(tokens);
    if burned > 0 {
        bank.burn(s, &pool_of(&v), &denom, burned).await?;
    }
    v.tokens = (tokens - burned).to_string();
    v.jailed = true;
    let operator = validator_operator(&v)?;
    s.put_validator(&cons, &operator, &v);
    s.put_tombstoned(&cons);
    tracing::warn!(validator = %valcons, height = ev.infraction_height, burned, "double sign: slashed, jailed and tombstoned");
    s.emit(&events::Slash {
        address: valcons.clone(),
        power: ev.power.to_string(),
        reason: "double_sign".into(),
        jailed: valcons,
        burned_coins: format!("{burned}{denom}"),
    });
    Ok(EvidenceOutcome::Slashed { burned })
}
