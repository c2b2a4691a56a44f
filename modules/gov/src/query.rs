//! Queries of `cosmos.gov.v1.Query`, served over gRPC and gRPC-over-ABCI. Lists come back in
//! one page (`pagination.total` set, no `next_key`).

use crate::{
    capability::StakeView,
    state::GovRead,
    tally::{empty_tally, live_tally},
};
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageResponse;
use cosmos_sdk_proto::cosmos::gov::v1::*;
use hub_auth::Address;
use hub_framework::{cnidarium::StateRead, ModuleError, SdkError};

fn page(total: usize) -> Option<PageResponse> {
    Some(PageResponse {
        next_key: vec![],
        total: total as u64,
    })
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
/// depositor (has a deposit).
///
/// Errors: `sdk`/7 bad voter or depositor address.
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
        out.push(p);
    }
    Ok(QueryProposalsResponse {
        pagination: page(out.len()),
        proposals: out,
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

/// `Query/Votes`: the votes of a proposal (votes are deleted when its voting period ends, as
/// in the SDK).
pub async fn votes<S: StateRead>(
    s: &S,
    req: &QueryVotesRequest,
) -> Result<QueryVotesResponse, ModuleError> {
    let votes = s.votes(nonzero(req.proposal_id)?).await?;
    Ok(QueryVotesResponse {
        pagination: page(votes.len()),
        votes,
    })
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

/// `Query/Deposits`: the deposits of a proposal (deleted once refunded or burned).
pub async fn deposits<S: StateRead>(
    s: &S,
    req: &QueryDepositsRequest,
) -> Result<QueryDepositsResponse, ModuleError> {
    let deposits = s.deposits(nonzero(req.proposal_id)?).await?;
    Ok(QueryDepositsResponse {
        pagination: page(deposits.len()),
        deposits,
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
