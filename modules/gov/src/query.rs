//! Queries of `cosmos.gov.v1.Query`, served over gRPC and gRPC-over-ABCI.
//!
//! Lists are paginated like the Cosmos SDK's `query.Paginate` ([`hub_framework::paginate`]):
//! the request's `pagination` (`key` or `offset`, `limit`: 0 = 100 and count the total, at most
//! [`hub_framework::MAX_LIMIT`] = 1000, `count_total`, `reverse`); `next_key` is empty on the
//! last page. Page keys are the proposal id in big-endian (proposals) and the voter's or
//! depositor's hex address (votes, deposits).

use crate::{
    capability::StakeView,
    state::GovRead,
    tally::{empty_tally, live_tally},
};
use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use cosmos_sdk_proto::cosmos::gov::v1::*;
use hub_auth::Address;
use hub_framework::{cnidarium::StateRead, paginate, ModuleError, SdkError};

/// The page of `(page key, item)` rows that `req` asks for, and its `PageResponse`.
/// Errors: `sdk`/18 if the request sets both `key` and `offset`.
fn page<T>(
    rows: Vec<(Vec<u8>, T)>,
    req: Option<&PageRequest>,
) -> Result<(Vec<T>, Option<PageResponse>), ModuleError> {
    let (items, p) = paginate(rows, req)?;
    Ok((items, Some(p)))
}

fn nonzero(id: u64) -> Result<u64, ModuleError> {
    if id == 0 {
        return Err(SdkError::InvalidRequest("proposal id can not be 0".into()).into());
    }
    Ok(id)
}

async fn proposal_or_not_found<S: StateRead>(s: &S, id: u64) -> Result<Proposal, ModuleError> {
    s.proposal(nonzero(id)?)
        .await?
        .ok_or_else(|| SdkError::NotFound(format!("proposal {id} doesn't exist")).into())
}

/// `Query/Params`: `params` always; `voting_params`, `deposit_params`, `tally_params` (the
/// deprecated split forms) for `params_type` `voting`, `deposit`, `tallying`, or all three when
/// it is empty.
///
/// Errors: `sdk`/18 for another `params_type`.
pub async fn params<S: StateRead>(
    s: &S,
    req: &QueryParamsRequest,
) -> Result<QueryParamsResponse, ModuleError> {
    let p = s.gov_params().await?.proto;
    let voting = || VotingParams {
        voting_period: p.voting_period,
    };
    let deposit = || DepositParams {
        min_deposit: p.min_deposit.clone(),
        max_deposit_period: p.max_deposit_period,
    };
    let tally = || TallyParams {
        quorum: p.quorum.clone(),
        threshold: p.threshold.clone(),
        veto_threshold: p.veto_threshold.clone(),
    };
    #[allow(deprecated)]
    let mut out = QueryParamsResponse {
        voting_params: None,
        deposit_params: None,
        tally_params: None,
        params: Some(p.clone()),
    };
    #[allow(deprecated)]
    match req.params_type.as_str() {
        "" => {
            out.voting_params = Some(voting());
            out.deposit_params = Some(deposit());
            out.tally_params = Some(tally());
        }
        "voting" => out.voting_params = Some(voting()),
        "deposit" => out.deposit_params = Some(deposit()),
        "tallying" => out.tally_params = Some(tally()),
        other => {
            return Err(SdkError::InvalidRequest(format!(
                "{other} is not a valid parameter type; use voting, deposit or tallying"
            ))
            .into())
        }
    }
    Ok(out)
}

/// `Query/Proposal`. Errors: `sdk`/18 id 0, `sdk`/38 unknown proposal.
pub async fn proposal<S: StateRead>(
    s: &S,
    req: &QueryProposalRequest,
) -> Result<QueryProposalResponse, ModuleError> {
    Ok(QueryProposalResponse {
        proposal: Some(proposal_or_not_found(s, req.proposal_id).await?),
    })
}

/// `Query/Proposals`: in id order, filtered by status (0 = any), voter (has voted) and
/// depositor (has a deposit), then paginated (the filters apply before paging, as in the
/// Cosmos SDK; `total` counts the matching proposals).
///
/// Errors: `sdk`/7 bad voter or depositor address, `sdk`/18 both `key` and `offset` set.
pub async fn proposals<S: StateRead>(
    s: &S,
    req: &QueryProposalsRequest,
    hrp: &str,
) -> Result<QueryProposalsResponse, ModuleError> {
    let voter = (!req.voter.is_empty())
        .then(|| Address::from_bech32(&req.voter, hrp))
        .transpose()?;
    let depositor = (!req.depositor.is_empty())
        .then(|| Address::from_bech32(&req.depositor, hrp))
        .transpose()?;
    let mut out = Vec::new();
    for p in s.proposals().await? {
        if req.proposal_status != 0 && p.status != req.proposal_status {
            continue;
        }
        if let Some(v) = &voter {
            if s.vote(p.id, v).await?.is_none() {
                continue;
            }
        }
        if let Some(d) = &depositor {
            if s.deposit(p.id, d).await?.is_none() {
                continue;
            }
        }
        out.push((p.id.to_be_bytes().to_vec(), p));
    }
    let (proposals, pagination) = page(out, req.pagination.as_ref())?;
    Ok(QueryProposalsResponse {
        proposals,
        pagination,
    })
}

/// `Query/Vote`. Errors: `sdk`/7 bad address, `sdk`/38 no such vote.
pub async fn vote<S: StateRead>(
    s: &S,
    req: &QueryVoteRequest,
    hrp: &str,
) -> Result<QueryVoteResponse, ModuleError> {
    let voter = Address::from_bech32(&req.voter, hrp)?;
    let v = s
        .vote(nonzero(req.proposal_id)?, &voter)
        .await?
        .ok_or_else(|| {
            SdkError::NotFound(format!(
                "voter: {} not found for proposal: {}",
                req.voter, req.proposal_id
            ))
        })?;
    Ok(QueryVoteResponse { vote: Some(v) })
}

/// `Query/Votes`: the votes of a proposal in voter-address order, paginated (votes are
/// deleted when its voting period ends, as in the SDK).
///
/// Errors: `sdk`/18 id 0 or both `key` and `offset` set.
pub async fn votes<S: StateRead>(
    s: &S,
    req: &QueryVotesRequest,
) -> Result<QueryVotesResponse, ModuleError> {
    let rows = s
        .votes_with_voters(nonzero(req.proposal_id)?)
        .await?
        .into_iter()
        .map(|(voter, v)| (voter.into_bytes(), v))
        .collect();
    let (votes, pagination) = page(rows, req.pagination.as_ref())?;
    Ok(QueryVotesResponse { votes, pagination })
}

/// `Query/Deposit`. Errors: `sdk`/7 bad address, `sdk`/38 no such deposit.
pub async fn deposit<S: StateRead>(
    s: &S,
    req: &QueryDepositRequest,
    hrp: &str,
) -> Result<QueryDepositResponse, ModuleError> {
    let depositor = Address::from_bech32(&req.depositor, hrp)?;
    let d = s
        .deposit(nonzero(req.proposal_id)?, &depositor)
        .await?
        .ok_or_else(|| {
            SdkError::NotFound(format!(
                "depositor: {} not found for proposal: {}",
                req.depositor, req.proposal_id
            ))
        })?;
    Ok(QueryDepositResponse { deposit: Some(d) })
}

/// `Query/Deposits`: the deposits of a proposal in depositor-address order, paginated
/// (deposits are deleted once refunded or burned).
///
/// Errors: `sdk`/18 id 0 or both `key` and `offset` set.
pub async fn deposits<S: StateRead>(
    s: &S,
    req: &QueryDepositsRequest,
) -> Result<QueryDepositsResponse, ModuleError> {
    let rows = s
        .deposits_with_depositors(nonzero(req.proposal_id)?)
        .await?
        .into_iter()
        .map(|(depositor, d)| (depositor.into_bytes(), d))
        .collect();
    let (deposits, pagination) = page(rows, req.pagination.as_ref())?;
    Ok(QueryDepositsResponse {
        deposits,
        pagination,
    })
}

/// `Query/TallyResult`: zeros in the deposit period, the live tally in the voting period, the
/// final tally afterwards.
///
/// Errors: `sdk`/18 id 0, `sdk`/38 unknown proposal.
pub async fn tally_result<S: StateRead, V: StakeView>(
    s: &S,
    stake: &V,
    req: &QueryTallyResultRequest,
) -> Result<QueryTallyResultResponse, ModuleError> {
    let p = proposal_or_not_found(s, req.proposal_id).await?;
    let tally = if p.status == ProposalStatus::DepositPeriod as i32 {
        empty_tally()
    } else if p.status == ProposalStatus::VotingPeriod as i32 {
        live_tally(s, stake, &s.gov_params().await?, p.id).await?
    } else {
        p.final_tally_result.unwrap_or_else(empty_tally)
    };
    Ok(QueryTallyResultResponse { tally: Some(tally) })
}

/// The service this module answers.
pub const SERVICE: &str = "/cosmos.gov.v1.Query/";

hub_framework::query_service! {
    /// Gov's [`ModuleQuery`](hub_framework::route::ModuleQuery), with the runtime's stake view
    /// `V` as its capability (the tally reads bonded stake).
    Queries, caps V: StakeView, |s, ctx| {
        "Params"(r: QueryParamsRequest) -> QueryParamsResponse {
            params(s, &r).await
        }
        "Proposal"(r: QueryProposalRequest) -> QueryProposalResponse {
            proposal(s, &r).await
        }
        "Proposals"(r: QueryProposalsRequest) -> QueryProposalsResponse {
            proposals(s, &r, ctx.hrp).await
        }
        "Vote"(r: QueryVoteRequest) -> QueryVoteResponse {
            vote(s, &r, ctx.hrp).await
        }
        "Votes"(r: QueryVotesRequest) -> QueryVotesResponse {
            votes(s, &r).await
        }
        "Deposit"(r: QueryDepositRequest) -> QueryDepositResponse {
            deposit(s, &r, ctx.hrp).await
        }
        "Deposits"(r: QueryDepositsRequest) -> QueryDepositsResponse {
            deposits(s, &r).await
        }
        "TallyResult"(r: QueryTallyResultRequest) -> QueryTallyResultResponse {
            tally_result(s, &V::default(), &r).await
        }
    }
}
