//! Every key the gov module writes (substore `gov`).
//!
//! Ids and times are big-endian and hex-encoded, so the key order is numeric order: queues
//! iterate by end time, then proposal id.

use hub_auth::Address;

/// `gov/params` → `cosmos.gov.v1.Params`.
pub const PARAMS: &str = "gov/params";

/// `gov/next_proposal_id` → big-endian u64 (the id the next proposal gets).
pub const NEXT_PROPOSAL_ID: &str = "gov/next_proposal_id";

/// `gov/bech32_prefix` → the chain's account prefix (UTF-8), written at genesis so end-block
/// work can render addresses.
pub const BECH32_PREFIX: &str = "gov/bech32_prefix";

fn id_hex(id: u64) -> String {
    hex::encode(id.to_be_bytes())
}

/// `gov/proposals/{hex(be64 id)}` → `cosmos.gov.v1.Proposal`.
pub fn proposal(id: u64) -> String {
    format!("gov/proposals/{}", id_hex(id))
}

/// Prefix of all proposals (id order).
pub const PROPOSALS_PREFIX: &str = "gov/proposals/";

/// `gov/deposits/{hex(be64 id)}/{hex(depositor)}` → `cosmos.gov.v1.Deposit`.
pub fn deposit(id: u64, depositor: &Address) -> String {
    format!("gov/deposits/{}/{}", id_hex(id), depositor.to_hex())
}

/// Prefix of the deposits of one proposal (depositor order).
pub fn deposits_of(id: u64) -> String {
    format!("gov/deposits/{}/", id_hex(id))
}

/// `gov/votes/{hex(be64 id)}/{hex(voter)}` → `cosmos.gov.v1.Vote`.
pub fn vote(id: u64, voter: &Address) -> String {
    format!("gov/votes/{}/{}", id_hex(id), voter.to_hex())
}

/// Prefix of the votes of one proposal (voter order).
pub fn votes_of(id: u64) -> String {
    format!("gov/votes/{}/", id_hex(id))
}

/// `gov/inactive/{hex(be64 deposit end ns)}/{hex(be64 id)}` → empty: proposals in their
/// deposit period, by deposit end time.
pub fn inactive_queue(end_ns: u64, id: u64) -> String {
    format!(
        "gov/inactive/{}/{}",
        hex::encode(end_ns.to_be_bytes()),
        id_hex(id)
    )
}

/// Prefix of the inactive (deposit period) queue.
pub const INACTIVE_PREFIX: &str = "gov/inactive/";

/// `gov/active/{hex(be64 voting end ns)}/{hex(be64 id)}` → empty: proposals in their voting
/// period, by voting end time.
pub fn active_queue(end_ns: u64, id: u64) -> String {
    format!(
        "gov/active/{}/{}",
        hex::encode(end_ns.to_be_bytes()),
        id_hex(id)
    )
}

/// Prefix of the active (voting period) queue.
pub const ACTIVE_PREFIX: &str = "gov/active/";

/// Parses the `(end ns, id)` of a queue key under `prefix`. `None` if malformed.
pub fn parse_queue_key(prefix: &str, key: &str) -> Option<(u64, u64)> {
    let rest = key.strip_prefix(prefix)?;
    let (t, id) = rest.split_once('/')?;
    let t = <[u8; 8]>::try_from(hex::decode(t).ok()?.as_slice()).ok()?;
    let id = <[u8; 8]>::try_from(hex::decode(id).ok()?.as_slice()).ok()?;
    Some((u64::from_be_bytes(t), u64::from_be_bytes(id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_keys_sort_by_time_then_id_and_round_trip() {
        let a = inactive_queue(9, 300);
        let b = inactive_queue(10, 2);
        let c = inactive_queue(10, 11);
        assert!(a < b && b < c);
        assert_eq!(parse_queue_key(INACTIVE_PREFIX, &c), Some((10, 11)));
        assert!(proposal(2) < proposal(10));
    }
}
