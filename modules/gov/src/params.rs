//! `cosmos.gov.v1.Params`: JSON form for genesis, validation, and typed access.

use crate::{dec::Dec, GovError};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::gov::v1::Params;
use hub_bank::Coins;
use serde::{Deserialize, Serialize};
use tendermint_proto::google::protobuf::Duration;

pub use hub_framework::CoinJson;

/// `app_state.gov.params`, the SDK's JSON of `cosmos.gov.v1.Params` (durations as `"<n>s"`,
/// decimals as LegacyDec strings).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ParamsJson {
    /// Total deposit that moves a proposal into its voting period.
    pub min_deposit: Vec<CoinJson>,
    /// Length of the deposit period, e.g. `"300s"`.
    pub max_deposit_period: String,
    /// Length of the voting period, e.g. `"60s"`.
    pub voting_period: String,
    /// Minimum share of bonded stake that must vote.
    pub quorum: String,
    /// Minimum share of non-abstain votes that must be yes.
    pub threshold: String,
    /// Share of no-with-veto votes (of all votes) above which the proposal is vetoed.
    pub veto_threshold: String,
    /// Share of `min_deposit` the initial deposit must reach.
    #[serde(default = "zero")]
    pub min_initial_deposit_ratio: String,
    /// Share of deposits burned (or sent to `proposal_cancel_dest`) on cancel.
    #[serde(default = "zero")]
    pub proposal_cancel_ratio: String,
    /// Address receiving the cancel share; empty = burn.
    #[serde(default)]
    pub proposal_cancel_dest: String,
    /// Expedited voting period (expedited proposals are refused; kept for compatibility).
    #[serde(default = "expedited_period")]
    pub expedited_voting_period: String,
    /// Expedited threshold (unused, see above).
    #[serde(default = "expedited_threshold")]
    pub expedited_threshold: String,
    /// Expedited minimum deposit (unused, see above).
    #[serde(default)]
    pub expedited_min_deposit: Vec<CoinJson>,
    /// Burn deposits when quorum is not reached.
    #[serde(default)]
    pub burn_vote_quorum: bool,
    /// Burn deposits of proposals that never reached the voting period.
    #[serde(default)]
    pub burn_proposal_deposit_prevote: bool,
    /// Burn deposits of vetoed proposals.
    #[serde(default = "yes")]
    pub burn_vote_veto: bool,
    /// Share of `min_deposit` each `MsgDeposit` coin must reach (0 disables the check).
    #[serde(default = "zero")]
    pub min_deposit_ratio: String,
}

fn zero() -> String {
    "0.000000000000000000".into()
}
fn yes() -> bool {
    true
}
fn expedited_period() -> String {
    "30s".into()
}
fn expedited_threshold() -> String {
    "0.667000000000000000".into()
}

impl ParamsJson {
    /// Defaults for a local network with staking denom `denom`: 10 000 000 of it as minimum
    /// deposit, a 300 s deposit period, a 60 s voting period, quorum 0.334, threshold 0.5,
    /// veto 0.334, cancel ratio 0.5, veto deposits burned.
    pub fn local(denom: &str) -> Self {
        ParamsJson {
            min_deposit: vec![CoinJson {
                denom: denom.into(),
                amount: "10000000".into(),
            }],
            max_deposit_period: "300s".into(),
            voting_period: "60s".into(),
            quorum: "0.334000000000000000".into(),
            threshold: "0.500000000000000000".into(),
            veto_threshold: "0.334000000000000000".into(),
            min_initial_deposit_ratio: zero(),
            proposal_cancel_ratio: "0.500000000000000000".into(),
            proposal_cancel_dest: String::new(),
            expedited_voting_period: expedited_period(),
            expedited_threshold: expedited_threshold(),
            expedited_min_deposit: vec![CoinJson {
                denom: denom.into(),
                amount: "50000000".into(),
            }],
            burn_vote_quorum: false,
            burn_proposal_deposit_prevote: false,
            burn_vote_veto: true,
            min_deposit_ratio: "0.010000000000000000".into(),
        }
    }

    /// The proto form, validated with [`validate`]. Errors name the field.
    pub fn to_proto(&self, hrp: &str) -> Result<Params, GovError> {
        let coins = |v: &[CoinJson]| -> Vec<ProtoCoin> {
            v.iter()
                .map(|c| ProtoCoin {
                    denom: c.denom.clone(),
                    amount: c.amount.clone(),
                })
                .collect()
        };
        let dur = |field: &str, s: &str| -> Result<Duration, GovError> {
            parse_duration(s).ok_or_else(|| {
                GovError::InvalidParams(format!(
                    "{field}: {s:?} is not a positive duration like \"60s\""
                ))
            })
        };
        let p = Params {
            min_deposit: coins(&self.min_deposit),
            max_deposit_period: Some(dur("max_deposit_period", &self.max_deposit_period)?),
            voting_period: Some(dur("voting_period", &self.voting_period)?),
            quorum: self.quorum.clone(),
            threshold: self.threshold.clone(),
            veto_threshold: self.veto_threshold.clone(),
            min_initial_deposit_ratio: self.min_initial_deposit_ratio.clone(),
            proposal_cancel_ratio: self.proposal_cancel_ratio.clone(),
            proposal_cancel_dest: self.proposal_cancel_dest.clone(),
            expedited_voting_period: Some(dur(
                "expedited_voting_period",
                &self.expedited_voting_period,
            )?),
            expedited_threshold: self.expedited_threshold.clone(),
            expedited_min_deposit: coins(&self.expedited_min_deposit),
            burn_vote_quorum: self.burn_vote_quorum,
            burn_proposal_deposit_prevote: self.burn_proposal_deposit_prevote,
            burn_vote_veto: self.burn_vote_veto,
            min_deposit_ratio: self.min_deposit_ratio.clone(),
        };
        validate(&p, hrp)?;
        Ok(p)
    }

    /// The JSON form of stored params.
    pub fn from_proto(p: &Params) -> Self {
        let coins = |v: &[ProtoCoin]| -> Vec<CoinJson> {
            v.iter()
                .map(|c| CoinJson {
                    denom: c.denom.clone(),
                    amount: c.amount.clone(),
                })
                .collect()
        };
        let dur = |d: &Option<Duration>| format!("{}s", d.as_ref().map_or(0, |d| d.seconds));
        ParamsJson {
            min_deposit: coins(&p.min_deposit),
            max_deposit_period: dur(&p.max_deposit_period),
            voting_period: dur(&p.voting_period),
            quorum: p.quorum.clone(),
            threshold: p.threshold.clone(),
            veto_threshold: p.veto_threshold.clone(),
            min_initial_deposit_ratio: p.min_initial_deposit_ratio.clone(),
            proposal_cancel_ratio: p.proposal_cancel_ratio.clone(),
            proposal_cancel_dest: p.proposal_cancel_dest.clone(),
            expedited_voting_period: dur(&p.expedited_voting_period),
            expedited_threshold: p.expedited_threshold.clone(),
            expedited_min_deposit: coins(&p.expedited_min_deposit),
            burn_vote_quorum: p.burn_vote_quorum,
            burn_proposal_deposit_prevote: p.burn_proposal_deposit_prevote,
            burn_vote_veto: p.burn_vote_veto,
            min_deposit_ratio: p.min_deposit_ratio.clone(),
        }
    }
}

impl Default for ParamsJson {
    /// [`ParamsJson::local`] with `uhub`.
    fn default() -> Self {
        Self::local("uhub")
    }
}

/// Parses `"<n>s"` (n > 0 whole seconds) into a Duration.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let seconds = s
        .strip_suffix('s')?
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0)?;
    Some(Duration { seconds, nanos: 0 })
}

/// Checks params as the SDK's `Params.ValidateBasic`: valid non-empty `min_deposit`, positive
/// periods, quorum in [0, 1], threshold and veto in (0, 1], ratios in [0, 1], a valid cancel
/// destination (or empty).
///
/// Errors: [`GovError::InvalidParams`] naming the field.
pub fn validate(p: &Params, hrp: &str) -> Result<(), GovError> {
    let bad = |f: &str, why: String| GovError::InvalidParams(format!("{f}: {why}"));
    let mut sorted = p.min_deposit.clone();
    sorted.sort_by(|a, b| a.denom.cmp(&b.denom));
    Coins::from_proto(&sorted).map_err(|e| bad("min_deposit", e.to_string()))?;
    for (f, d) in [
        ("max_deposit_period", &p.max_deposit_period),
        ("voting_period", &p.voting_period),
    ] {
        if d.as_ref().is_none_or(|d| d.seconds <= 0 || d.nanos < 0) {
            return Err(bad(f, "must be positive".into()));
        }
    }
    let dec = |f: &str, s: &str, allow_zero: bool| -> Result<Dec, GovError> {
        let d = Dec::parse(s).map_err(|e| bad(f, e.to_string()))?;
        if d > Dec::ONE || (!allow_zero && d == Dec::ZERO) {
            return Err(bad(
                f,
                format!(
                    "{s} must be {} 1",
                    if allow_zero {
                        "between 0 and"
                    } else {
                        "above 0 and at most"
                    }
                ),
            ));
        }
        Ok(d)
    };
    dec("quorum", &p.quorum, true)?;
    dec("threshold", &p.threshold, false)?;
    dec("veto_threshold", &p.veto_threshold, false)?;
    dec(
        "min_initial_deposit_ratio",
        &p.min_initial_deposit_ratio,
        true,
    )?;
    dec("proposal_cancel_ratio", &p.proposal_cancel_ratio, true)?;
    dec("min_deposit_ratio", &p.min_deposit_ratio, true)?;
    dec("expedited_threshold", &p.expedited_threshold, false)?;
    if !p.proposal_cancel_dest.is_empty() {
        hub_auth::Address::from_bech32(&p.proposal_cancel_dest, hrp)
            .map_err(|e| bad("proposal_cancel_dest", e.to_string()))?;
    }
    Ok(())
}

/// Params with decimals parsed, for the handlers and the tally (only from validated params).
#[derive(Clone, Debug)]
pub struct ParsedParams {
    /// The stored proto.
    pub proto: Params,
    /// Quorum.
    pub quorum: Dec,
    /// Threshold.
    pub threshold: Dec,
    /// Veto threshold.
    pub veto_threshold: Dec,
    /// Minimum initial deposit ratio.
    pub min_initial_deposit_ratio: Dec,
    /// Cancel ratio.
    pub proposal_cancel_ratio: Dec,
    /// Minimum ratio of each deposit.
    pub min_deposit_ratio: Dec,
    /// Deposit period, seconds.
    pub max_deposit_period_s: u64,
    /// Voting period, seconds.
    pub voting_period_s: u64,
}

impl ParsedParams {
    /// Parses stored params. Errors: internal (only validated params are stored).
    pub fn new(p: Params) -> Result<Self, hub_framework::ModuleError> {
        let d = |s: &str| Dec::parse(s).map_err(hub_framework::ModuleError::internal);
        let secs = |x: &Option<Duration>| x.as_ref().map_or(0, |d| d.seconds.max(0) as u64);
        Ok(ParsedParams {
            quorum: d(&p.quorum)?,
            threshold: d(&p.threshold)?,
            veto_threshold: d(&p.veto_threshold)?,
            min_initial_deposit_ratio: d(&p.min_initial_deposit_ratio)?,
            proposal_cancel_ratio: d(&p.proposal_cancel_ratio)?,
            min_deposit_ratio: d(&p.min_deposit_ratio)?,
            max_deposit_period_s: secs(&p.max_deposit_period),
            voting_period_s: secs(&p.voting_period),
            proto: p,
        })
    }

    /// `min_deposit` as coins.
    pub fn min_deposit(&self) -> Coins {
        let mut v = self.proto.min_deposit.clone();
        v.sort_by(|a, b| a.denom.cmp(&b.denom));
        Coins::from_proto(&v).unwrap_or_default()
    }
}
