//! Domain forms of the `cosmos.gov.v1` messages. A value of these types has passed every
//! stateless check of the SDK's `ValidateBasic` (and this chain's limits).

use crate::{dec::Dec, params, GovError};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::gov::v1 as pb;
use cosmos_sdk_proto::Any;
use hub_auth::Address;
use hub_bank::Coins;
use hub_framework::{ModuleError, ModuleMsg, SdkError};
use prost::Message;

/// Maximum metadata length in bytes (SDK default `MaxMetadataLen`).
pub const MAX_METADATA_LEN: usize = 255;
/// Maximum title length in bytes.
pub const MAX_TITLE_LEN: usize = 255;
/// Maximum summary length in bytes.
pub const MAX_SUMMARY_LEN: usize = 10_200;

/// `cosmos.gov.v1.MsgSubmitProposal`. Signer: `proposer`.
#[derive(Clone, Debug, PartialEq)]
pub struct MsgSubmitProposal {
    /// Messages executed with the gov authority if the proposal passes (may be empty: a text
    /// proposal). Checked by the router at execution of the submission.
    pub messages: Vec<Any>,
    /// Initial deposit (possibly empty), sorted coins.
    pub initial_deposit: Coins,
    /// Proposer.
    pub proposer: Address,
    /// Free-form metadata, ≤ [`MAX_METADATA_LEN`] bytes.
    pub metadata: String,
    /// Title, 1..=[`MAX_TITLE_LEN`] bytes.
    pub title: String,
    /// Summary, 1..=[`MAX_SUMMARY_LEN`] bytes.
    pub summary: String,
}

/// `cosmos.gov.v1.MsgDeposit`. Signer: `depositor`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgDeposit {
    /// Proposal id.
    pub proposal_id: u64,
    /// Depositor.
    pub depositor: Address,
    /// Positive, sorted coins.
    pub amount: Coins,
}

/// `cosmos.gov.v1.MsgVote` or `MsgVoteWeighted` (a plain vote is one option of weight 1).
/// Signer: `voter`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgVote {
    /// Proposal id.
    pub proposal_id: u64,
    /// Voter.
    pub voter: Address,
    /// `(option, weight)`: distinct options 1..=4 (yes, abstain, no, no_with_veto), weights
    /// in (0, 1] summing to exactly 1.
    pub options: Vec<(pb::VoteOption, Dec)>,
    /// Metadata, ≤ [`MAX_METADATA_LEN`] bytes.
    pub metadata: String,
    /// Whether it came as `MsgVoteWeighted` (for the type URL).
    pub weighted: bool,
}

/// `cosmos.gov.v1.MsgCancelProposal`. Signer: `proposer`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgCancelProposal {
    /// Proposal id.
    pub proposal_id: u64,
    /// Must be the proposal's proposer (checked statefully).
    pub proposer: Address,
}

/// `cosmos.gov.v1.MsgUpdateParams`. Signer: `authority`, which must be the gov module account
/// (checked at execution: `gov`/13 otherwise).
#[derive(Clone, Debug, PartialEq)]
pub struct MsgUpdateParams {
    /// Authority.
    pub authority: Address,
    /// The new params, validated.
    pub params: pb::Params,
}

/// Every gov message.
#[derive(Clone, Debug, PartialEq)]
pub enum GovMsg {
    /// Submit a proposal.
    SubmitProposal(MsgSubmitProposal),
    /// Add a deposit.
    Deposit(MsgDeposit),
    /// Vote (plain or weighted).
    Vote(MsgVote),
    /// Cancel a proposal.
    CancelProposal(MsgCancelProposal),
    /// Replace the params.
    UpdateParams(MsgUpdateParams),
}

/// Type URLs of the gov messages.
pub mod type_url {
    /// `MsgSubmitProposal`.
    pub const SUBMIT_PROPOSAL: &str = "/cosmos.gov.v1.MsgSubmitProposal";
    /// `MsgDeposit`.
    pub const DEPOSIT: &str = "/cosmos.gov.v1.MsgDeposit";
    /// `MsgVote`.
    pub const VOTE: &str = "/cosmos.gov.v1.MsgVote";
    /// `MsgVoteWeighted`.
    pub const VOTE_WEIGHTED: &str = "/cosmos.gov.v1.MsgVoteWeighted";
    /// `MsgCancelProposal`.
    pub const CANCEL_PROPOSAL: &str = "/cosmos.gov.v1.MsgCancelProposal";
    /// `MsgUpdateParams`.
    pub const UPDATE_PARAMS: &str = "/cosmos.gov.v1.MsgUpdateParams";
    /// All of them.
    pub const ALL: &[&str] = &[
        SUBMIT_PROPOSAL,
        DEPOSIT,
        VOTE,
        VOTE_WEIGHTED,
        CANCEL_PROPOSAL,
        UPDATE_PARAMS,
    ];
}

fn addr(s: &str, hrp: &str, field: &str) -> Result<Address, ModuleError> {
    Address::from_bech32(s, hrp).map_err(|e| {
        let mut m: ModuleError = e.into();
        m.log = format!("{field}: {}", m.log);
        m
    })
}

/// Coins that may be empty (an initial deposit of nothing).
fn coins_or_empty(list: &[ProtoCoin]) -> Result<Coins, ModuleError> {
    if list.is_empty() {
        Ok(Coins::default())
    } else {
        Ok(Coins::from_proto(list)?)
    }
}

/// A vote option from its proto number: 1 yes, 2 abstain, 3 no, 4 no_with_veto.
pub fn vote_option(n: i32) -> Result<pb::VoteOption, GovError> {
    match pb::VoteOption::try_from(n) {
        Ok(o) if o != pb::VoteOption::Unspecified => Ok(o),
        _ => Err(GovError::InvalidVote(format!(
            "{n} is not a valid vote option"
        ))),
    }
}

fn check_metadata(m: &str) -> Result<(), GovError> {
    if m.len() > MAX_METADATA_LEN {
        return Err(GovError::MetadataTooLong(format!(
            "{} bytes, at most {MAX_METADATA_LEN}",
            m.len()
        )));
    }
    Ok(())
}

impl ModuleMsg for GovMsg {
    const TYPE_URLS: &'static [&'static str] = type_url::ALL;

    const FORMS: &'static [hub_framework::form::MsgForm] = {
        use hub_framework::form::MsgForm as F;
        &[
            F::of::<pb::MsgSubmitProposal>(type_url::SUBMIT_PROPOSAL),
            F::of::<pb::MsgDeposit>(type_url::DEPOSIT),
            F::of::<pb::MsgVote>(type_url::VOTE),
            F::of::<pb::MsgVoteWeighted>(type_url::VOTE_WEIGHTED),
            F::of::<pb::MsgCancelProposal>(type_url::CANCEL_PROPOSAL),
            F::of::<pb::MsgUpdateParams>(type_url::UPDATE_PARAMS),
        ]
    };

    /// Decodes and validates an `Any` if its type URL is a gov message; `None` otherwise.
    ///
    /// Errors: `sdk`/2 undecodable bytes, `sdk`/7 bad address, `sdk`/10 bad coins, `gov`/5
    /// empty or long title/summary, `gov`/7 bad vote options, `gov`/15 long metadata,
    /// `gov`/21 expedited, `gov`/100 bad params.
    fn decode(any: &Any, hrp: &str) -> Option<Result<Self, ModuleError>> {
        let url = any.type_url.as_str();
        if !type_url::ALL.contains(&url) {
            return None;
        }
        Some(Self::decode_known(any, hrp))
    }

    /// The address that must sign the message.
    fn signer(&self) -> [u8; 20] {
        match self {
            GovMsg::SubmitProposal(m) => m.proposer.0,
            GovMsg::Deposit(m) => m.depositor.0,
            GovMsg::Vote(m) => m.voter.0,
            GovMsg::CancelProposal(m) => m.proposer.0,
            GovMsg::UpdateParams(m) => m.authority.0,
        }
    }

    /// The type URL (the `message.action` attribute).
    fn type_url(&self) -> &'static str {
        match self {
            GovMsg::SubmitProposal(_) => type_url::SUBMIT_PROPOSAL,
            GovMsg::Deposit(_) => type_url::DEPOSIT,
            GovMsg::Vote(m) if m.weighted => type_url::VOTE_WEIGHTED,
            GovMsg::Vote(_) => type_url::VOTE,
            GovMsg::CancelProposal(_) => type_url::CANCEL_PROPOSAL,
            GovMsg::UpdateParams(_) => type_url::UPDATE_PARAMS,
        }
    }

    const MODULE: &'static str = crate::NAME;
}

impl GovMsg {
    fn decode_known(any: &Any, hrp: &str) -> Result<Self, ModuleError> {
        let bad = |e: prost::DecodeError| -> ModuleError {
            SdkError::TxDecode(format!("{}: {e}", any.type_url)).into()
        };
        let v = any.value.as_slice();
        Ok(match any.type_url.as_str() {
            type_url::SUBMIT_PROPOSAL => {
                let m = pb::MsgSubmitProposal::decode(v).map_err(bad)?;
                GovMsg::SubmitProposal(MsgSubmitProposal::from_proto(&m, hrp)?)
            }
            type_url::DEPOSIT => {
                let m = pb::MsgDeposit::decode(v).map_err(bad)?;
                GovMsg::Deposit(MsgDeposit {
                    proposal_id: m.proposal_id,
                    depositor: addr(&m.depositor, hrp, "depositor")?,
                    amount: Coins::from_proto(&m.amount)?,
                })
            }
            type_url::VOTE => {
                let m = pb::MsgVote::decode(v).map_err(bad)?;
                check_metadata(&m.metadata)?;
                GovMsg::Vote(MsgVote {
                    proposal_id: m.proposal_id,
                    voter: addr(&m.voter, hrp, "voter")?,
                    options: vec![(vote_option(m.option)?, Dec::ONE)],
                    metadata: m.metadata,
                    weighted: false,
                })
            }
            type_url::VOTE_WEIGHTED => {
                let m = pb::MsgVoteWeighted::decode(v).map_err(bad)?;
                check_metadata(&m.metadata)?;
                GovMsg::Vote(MsgVote {
                    proposal_id: m.proposal_id,
                    voter: addr(&m.voter, hrp, "voter")?,
                    options: weighted_options(&m.options)?,
                    metadata: m.metadata,
                    weighted: true,
                })
            }
            type_url::CANCEL_PROPOSAL => {
                let m = pb::MsgCancelProposal::decode(v).map_err(bad)?;
                GovMsg::CancelProposal(MsgCancelProposal {
                    proposal_id: m.proposal_id,
                    proposer: addr(&m.proposer, hrp, "proposer")?,
                })
            }
            _ => {
                let m = pb::MsgUpdateParams::decode(v).map_err(bad)?;
                let params = m
                    .params
                    .ok_or_else(|| GovError::InvalidParams("params: missing".into()))?;
                params::validate(&params, hrp)?;
                GovMsg::UpdateParams(MsgUpdateParams {
                    authority: addr(&m.authority, hrp, "authority")?,
                    params,
                })
            }
        })
    }
}

impl MsgSubmitProposal {
    /// Validates a proto `MsgSubmitProposal` (see [`GovMsg::decode`] for the errors).
    pub fn from_proto(m: &pb::MsgSubmitProposal, hrp: &str) -> Result<Self, ModuleError> {
        let proposer = addr(&m.proposer, hrp, "proposer")?;
        let initial_deposit = coins_or_empty(&m.initial_deposit)?;
        if m.expedited {
            return Err(GovError::InvalidProposal(
                "expedited proposals are not supported on this chain; set expedited to false"
                    .into(),
            )
            .into());
        }
        if m.title.trim().is_empty() || m.title.len() > MAX_TITLE_LEN {
            return Err(GovError::InvalidProposalContent(format!(
                "title must be 1 to {MAX_TITLE_LEN} bytes, got {}",
                m.title.len()
            ))
            .into());
        }
        if m.summary.trim().is_empty() || m.summary.len() > MAX_SUMMARY_LEN {
            return Err(GovError::InvalidProposalContent(format!(
                "summary must be 1 to {MAX_SUMMARY_LEN} bytes, got {}",
                m.summary.len()
            ))
            .into());
        }
        check_metadata(&m.metadata)?;
        Ok(MsgSubmitProposal {
            messages: m.messages.clone(),
            initial_deposit,
            proposer,
            metadata: m.metadata.clone(),
            title: m.title.clone(),
            summary: m.summary.clone(),
        })
    }
}

/// Validates weighted options: non-empty, distinct valid options, weights in (0, 1] that sum
/// to exactly 1 (SDK `WeightedVoteOptions.ValidWeightedVoteOption` + sum check).
///
/// Errors: `gov`/7 naming what is wrong.
pub fn weighted_options(
    list: &[pb::WeightedVoteOption],
) -> Result<Vec<(pb::VoteOption, Dec)>, GovError> {
    if list.is_empty() {
        return Err(GovError::InvalidVote("no vote options given".into()));
    }
    let mut out: Vec<(pb::VoteOption, Dec)> = Vec::with_capacity(list.len());
    let mut sum = Dec::ZERO;
    for o in list {
        let opt = vote_option(o.option)?;
        if out.iter().any(|(x, _)| *x == opt) {
            return Err(GovError::InvalidVote(format!(
                "option {} given twice",
                opt.as_str_name()
            )));
        }
        let w = Dec::parse(&o.weight).map_err(|e| GovError::InvalidVote(e.to_string()))?;
        if w == Dec::ZERO || w > Dec::ONE {
            return Err(GovError::InvalidVote(format!(
                "weight {} of {} must be above 0 and at most 1",
                o.weight,
                opt.as_str_name()
            )));
        }
        sum = sum
            .checked_add(w)
            .ok_or_else(|| GovError::InvalidVote("weights overflow".into()))?;
        out.push((opt, w));
    }
    if sum != Dec::ONE {
        return Err(GovError::InvalidVote(format!(
            "total weight must be exactly 1, got {sum}"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(option: i32, weight: &str) -> pb::WeightedVoteOption {
        pb::WeightedVoteOption {
            option,
            weight: weight.into(),
        }
    }

    #[test]
    fn weighted_votes_must_sum_to_exactly_one() {
        assert!(weighted_options(&[w(1, "0.6"), w(3, "0.4")]).is_ok());
        for bad in [
            vec![w(1, "0.6"), w(3, "0.3")],
            vec![w(1, "0.6"), w(1, "0.4")],
            vec![w(1, "1.1")],
            vec![w(1, "0"), w(3, "1")],
            vec![w(5, "1")],
            vec![w(0, "1")],
            vec![],
            vec![w(1, "0.5"), w(2, "0.5000000000000000001")],
        ] {
            let e: ModuleError = weighted_options(&bad).unwrap_err().into();
            assert_eq!((e.codespace, e.code), ("gov", 7), "{bad:?}");
        }
    }
}
