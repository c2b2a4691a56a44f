//! The proposals of a running chain in its genesis export (`app_state.gov.state`): every
//! proposal with its deposits and votes, so that an exported chain imports with its open
//! proposals, their deposits held and their votes counted. The deposit and voting queues are
//! rebuilt from the proposals' end times.
//!
//! Records are base64 of their `cosmos.gov.v1` protobuf.

use crate::{state_key, GovError, GovRead, GovWrite};
use cosmos_sdk_proto::cosmos::gov::v1::{Deposit, Proposal, ProposalStatus, Vote};
use hub_auth::Address;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    encode_record, Handled, ModuleError,
};
use prost::Message;
use serde::{Deserialize, Serialize};

/// `app_state.gov.state`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct GovState {
    /// Base64 `Proposal`s, by id.
    pub proposals: Vec<String>,
    /// Base64 `Deposit`s.
    pub deposits: Vec<String>,
    /// Base64 `Vote`s.
    pub votes: Vec<String>,
}

fn invalid(msg: String) -> ModuleError {
    GovError::InvalidGenesis(msg).into()
}

fn decode<M: Message + Default>(field: &str, s: &str) -> Result<M, ModuleError> {
    hub_framework::decode_record(s).map_err(|e| invalid(format!("{field}: {e}")))
}

/// Reads every proposal, deposit and vote for an export.
///
/// Errors: internal, if a stored record does not decode.
pub async fn export_state<S: StateRead>(s: &S) -> Result<GovState, ModuleError> {
    let mut out = GovState::default();
    for p in s.proposals().await? {
        out.deposits
            .extend(s.deposits(p.id).await?.iter().map(encode_record));
        out.votes
            .extend(s.votes(p.id).await?.iter().map(encode_record));
        out.proposals.push(encode_record(&p));
    }
    Ok(out)
}

/// Nanoseconds since the epoch of an open proposal's end time, for its queue key.
fn end_ns(
    field: &str,
    t: Option<&tendermint_proto::google::protobuf::Timestamp>,
) -> Result<u64, ModuleError> {
    let t = t.ok_or_else(|| invalid(format!("{field}: an open proposal without its end time")))?;
    hub_framework::timestamp_ns(t)
        .ok_or_else(|| invalid(format!("{field}: an end time before 1970 or after 2554")))
}

/// Writes exported proposals, deposits and votes, and queues every open proposal. Coins are not
/// minted: the bank section of the same export holds the gov account's deposits.
///
/// Errors: [`GovError::InvalidGenesis`] naming the record (`app_state.gov.state.votes[2]: …`).
pub async fn import_state<S: StateWrite>(s: &mut S, hrp: &str, g: &GovState) -> Handled {
    let f = "app_state.gov.state";
    let address = |field: &str, a: &str| {
        Address::from_bech32(a, hrp).map_err(|e| invalid(format!("{field}: {e}")))
    };
    for (i, p) in g.proposals.iter().enumerate() {
        let field = format!("{f}.proposals[{i}]");
        let p: Proposal = decode(&field, p)?;
        if p.status == ProposalStatus::DepositPeriod as i32 {
            let end = end_ns(&field, p.deposit_end_time.as_ref())?;
            s.put_queue(state_key::inactive_queue(end, p.id));
        } else if p.status == ProposalStatus::VotingPeriod as i32 {
            let end = end_ns(&field, p.voting_end_time.as_ref())?;
            s.put_queue(state_key::active_queue(end, p.id));
        }
        s.put_proposal(&p);
    }
    for (i, d) in g.deposits.iter().enumerate() {
        let field = format!("{f}.deposits[{i}]");
        let d: Deposit = decode(&field, d)?;
        s.put_deposit(&d, &address(&field, &d.depositor)?);
    }
    for (i, v) in g.votes.iter().enumerate() {
        let field = format!("{f}.votes[{i}]");
        let v: Vote = decode(&field, v)?;
        s.put_vote(&v, &address(&field, &v.voter)?);
    }
    Ok(())
}
