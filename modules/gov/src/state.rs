//! Typed access to gov state. Other modules read gov only through [`GovRead`].

use crate::{params::ParsedParams, state_key};
use cosmos_sdk_proto::cosmos::gov::v1::{Deposit, Params, Proposal, Vote};
use hub_auth::Address;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    ModuleError, StateReadProto, StateWriteProto,
};

/// Reads of gov state.
pub trait GovRead: StateRead {
    /// The params (always present after genesis). Errors: internal if missing.
    async fn gov_params(&self) -> Result<ParsedParams, ModuleError> {
        let p: Params = self
            .get_proto(state_key::PARAMS)
            .await?
            .ok_or_else(|| ModuleError::internal("gov params missing"))?;
        ParsedParams::new(p)
    }

    /// The id the next proposal gets (1 on a fresh chain).
    async fn next_proposal_id(&self) -> Result<u64, ModuleError> {
        Ok(self
            .get_u64(state_key::NEXT_PROPOSAL_ID)
            .await?
            .unwrap_or(1))
    }

    /// The chain's bech32 account prefix, as written at genesis.
    async fn gov_bech32_prefix(&self) -> Result<String, ModuleError> {
        let raw = self
            .get_raw(state_key::BECH32_PREFIX)
            .await
            .map_err(ModuleError::internal)?
            .ok_or_else(|| ModuleError::internal("gov bech32 prefix missing"))?;
        String::from_utf8(raw).map_err(ModuleError::internal)
    }

    /// A proposal, if it exists.
    async fn proposal(&self, id: u64) -> Result<Option<Proposal>, ModuleError> {
        self.get_proto(&state_key::proposal(id)).await
    }

    /// Every proposal, in id order.
    async fn proposals(&self) -> Result<Vec<Proposal>, ModuleError> {
        decode_all(self.prefix_raw_vec(state_key::PROPOSALS_PREFIX).await?)
    }

    /// A deposit, if any.
    async fn deposit(&self, id: u64, depositor: &Address) -> Result<Option<Deposit>, ModuleError> {
        self.get_proto(&state_key::deposit(id, depositor)).await
    }

    /// The deposits of a proposal, in depositor-address order.
    async fn deposits(&self, id: u64) -> Result<Vec<Deposit>, ModuleError> {
        decode_all(self.prefix_raw_vec(&state_key::deposits_of(id)).await?)
    }

    /// The deposits of a proposal, each with its depositor's hex address (the store key
    /// suffix, whose byte order is the order of the rows), in depositor-address order.
    async fn deposits_with_depositors(
        &self,
        id: u64,
    ) -> Result<Vec<(String, Deposit)>, ModuleError> {
        decode_keyed(&state_key::deposits_of(id), self).await
    }

    /// A vote, if any.
    async fn vote(&self, id: u64, voter: &Address) -> Result<Option<Vote>, ModuleError> {
        self.get_proto(&state_key::vote(id, voter)).await
    }

    /// The votes of a proposal, in voter-address order.
    async fn votes(&self, id: u64) -> Result<Vec<Vote>, ModuleError> {
        decode_all(self.prefix_raw_vec(&state_key::votes_of(id)).await?)
    }

    /// The votes of a proposal, each with its voter's hex address (the store key suffix, whose
    /// byte order is the order of the rows), in voter-address order.
    async fn votes_with_voters(&self, id: u64) -> Result<Vec<(String, Vote)>, ModuleError> {
        decode_keyed(&state_key::votes_of(id), self).await
    }

    /// `(end ns, id)` of the queue entries under `prefix` with end time ≤ `now_ns`, in order.
    async fn due(&self, prefix: &str, now_ns: u64) -> Result<Vec<(u64, u64)>, ModuleError> {
        let mut out = Vec::new();
        for (key, _) in self.prefix_raw_vec(prefix).await? {
            let (t, id) = state_key::parse_queue_key(prefix, &key)
                .ok_or_else(|| ModuleError::internal(format!("corrupt queue key {key}")))?;
            if t > now_ns {
                break;
            }
            out.push((t, id));
        }
        Ok(out)
    }
}

fn decode_all<M: prost::Message + Default>(
    rows: Vec<(String, Vec<u8>)>,
) -> Result<Vec<M>, ModuleError> {
    rows.into_iter()
        .map(|(k, v)| {
            M::decode(v.as_slice())
                .map_err(|e| ModuleError::internal(format!("corrupt value at {k}: {e}")))
        })
        .collect()
}

/// The values under `prefix` decoded, each with the rest of its key, in key order.
async fn decode_keyed<M: prost::Message + Default, S: StateRead + ?Sized>(
    prefix: &str,
    s: &S,
) -> Result<Vec<(String, M)>, ModuleError> {
    s.prefix_raw_vec(prefix)
        .await?
        .into_iter()
        .map(|(k, v)| {
            let m = M::decode(v.as_slice())
                .map_err(|e| ModuleError::internal(format!("corrupt value at {k}: {e}")))?;
            let rest = k.strip_prefix(prefix).unwrap_or(&k).to_string();
            Ok((rest, m))
        })
        .collect()
}

impl<T: StateRead + ?Sized> GovRead for T {}

/// Writes of gov state.
pub trait GovWrite: StateWrite {
    /// Stores params (validated by the caller).
    fn put_gov_params(&mut self, p: &Params) {
        self.put_proto(state_key::PARAMS.to_string(), p);
    }

    /// Stores the next proposal id.
    fn put_next_proposal_id(&mut self, id: u64) {
        self.put_u64(state_key::NEXT_PROPOSAL_ID.to_string(), id);
    }

    /// Stores a proposal.
    fn put_proposal(&mut self, p: &Proposal) {
        self.put_proto(state_key::proposal(p.id), p);
    }

    /// Deletes a proposal (not its deposits or votes).
    fn delete_proposal(&mut self, id: u64) {
        self.delete(state_key::proposal(id));
    }

    /// Stores a deposit.
    fn put_deposit(&mut self, d: &Deposit, depositor: &Address) {
        self.put_proto(state_key::deposit(d.proposal_id, depositor), d);
    }

    /// Stores a vote (replacing an earlier one of the same voter).
    fn put_vote(&mut self, v: &Vote, voter: &Address) {
        self.put_proto(state_key::vote(v.proposal_id, voter), v);
    }

    /// Enqueues a key of a queue (empty value).
    fn put_queue(&mut self, key: String) {
        self.put_raw(key, vec![]);
    }
}

impl<T: StateWrite + ?Sized> GovWrite for T {}
