//! Logic shared by the handlers and the end-block hook: time, coin sums, deposits, queues.

use crate::{
    capability::{module_address, GovBank},
    dec::Dec,
    events,
    params::ParsedParams,
    state::{GovRead, GovWrite},
    state_key, GovError,
};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::gov::v1::{Deposit, Proposal, ProposalStatus};
use hub_auth::Address;
use hub_bank::{Coin, Coins};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError, StateEventExt, StateReadProto,
};
use std::collections::BTreeMap;
use tendermint_proto::google::protobuf::Timestamp;

/// Nanoseconds since the Unix epoch of a block time (0 for times before it).
pub fn time_ns(t: tendermint::Time) -> u64 {
    u64::try_from(t.unix_timestamp_nanos()).unwrap_or(0)
}

/// A protobuf timestamp of `ns` nanoseconds since the epoch.
pub fn timestamp(ns: u64) -> Timestamp {
    Timestamp {
        seconds: (ns / 1_000_000_000) as i64,
        nanos: (ns % 1_000_000_000) as i32,
    }
}

/// Nanoseconds since the epoch of a stored timestamp (0 if absent or negative).
pub fn ts_ns(t: &Option<Timestamp>) -> u64 {
    t.as_ref().map_or(0, |t| {
        (t.seconds.max(0) as u64)
            .saturating_mul(1_000_000_000)
            .saturating_add(t.nanos.max(0) as u64)
    })
}

/// `ns + secs` seconds, saturating.
pub fn add_secs(ns: u64, secs: u64) -> u64 {
    ns.saturating_add(secs.saturating_mul(1_000_000_000))
}

/// Coins from stored proto coins (sorted, zero amounts dropped). Errors: internal.
pub fn stored_coins(list: &[ProtoCoin]) -> Result<Coins, ModuleError> {
    let mut m: BTreeMap<String, u128> = BTreeMap::new();
    for c in list {
        let a: u128 = c.amount.parse().map_err(ModuleError::internal)?;
        if a > 0 {
            *m.entry(c.denom.clone()).or_default() += a;
        }
    }
    Ok(Coins(
        m.into_iter()
            .map(|(denom, amount)| Coin { denom, amount })
            .collect(),
    ))
}

/// `a + b` as sorted coins. Errors: `bank`-style overflow as internal.
pub fn add_coins(a: &Coins, b: &Coins) -> Result<Coins, ModuleError> {
    let mut m: BTreeMap<String, u128> = a.0.iter().map(|c| (c.denom.clone(), c.amount)).collect();
    for c in &b.0 {
        let e = m.entry(c.denom.clone()).or_default();
        *e = e
            .checked_add(c.amount)
            .ok_or_else(|| ModuleError::internal(format!("deposit of {} overflows", c.denom)))?;
    }
    Ok(Coins(
        m.into_iter()
            .map(|(denom, amount)| Coin { denom, amount })
            .collect(),
    ))
}

/// Whether `have` holds at least every coin of `need` (`Coins.IsAllGTE`).
pub fn all_gte(have: &Coins, need: &Coins) -> bool {
    need.0.iter().all(|n| {
        have.0
            .iter()
            .find(|h| h.denom == n.denom)
            .is_some_and(|h| h.amount >= n.amount)
    })
}

/// `coins × ratio`, truncated per coin, zero amounts dropped.
pub fn scale(coins: &Coins, ratio: Dec) -> Coins {
    Coins(
        coins
            .0
            .iter()
            .filter_map(|c| {
                let a = crate::dec::mul_div_floor(c.amount, ratio.0, crate::dec::PRECISION)?;
                (a > 0).then(|| Coin {
                    denom: c.denom.clone(),
                    amount: a,
                })
            })
            .collect(),
    )
}

/// Checks that every deposited denom is one of `min_deposit`'s.
///
/// Errors: `gov`/23 naming the denom.
pub fn check_deposit_denoms(p: &ParsedParams, coins: &Coins) -> Handled {
    let min = p.min_deposit();
    for c in &coins.0 {
        if !min.0.iter().any(|m| m.denom == c.denom) {
            return Err(GovError::InvalidDepositDenom(format!(
                "deposited {c}, but this chain accepts deposits only in {}",
                min.0
                    .iter()
                    .map(|m| m.denom.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .into());
        }
    }
    Ok(())
}

/// How a deposit opening the voting period is announced.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The initial deposit of `MsgSubmitProposal` (`submit_proposal.voting_period_start`).
    Submit,
    /// A `MsgDeposit` (`proposal_deposit.voting_period_start`).
    Deposit,
}

/// Moves `coins` from `depositor` to the gov account, records the deposit, and opens the
/// voting period when the total reaches `min_deposit`. Returns whether it opened.
///
/// Errors: `sdk`/5 insufficient funds.
#[allow(clippy::too_many_arguments)]
pub async fn add_deposit<B: GovBank, S: StateWrite>(
    bank: &B,
    s: &mut S,
    p: &ParsedParams,
    proposal: &mut Proposal,
    depositor: &Address,
    coins: &Coins,
    hrp: &str,
    now_ns: u64,
    origin: Origin,
) -> Result<bool, ModuleError> {
    bank.deposit(s, depositor, coins, hrp).await?;
    let total = add_coins(&stored_coins(&proposal.total_deposit)?, coins)?;
    proposal.total_deposit = total.to_proto();
    let earlier = match s.deposit(proposal.id, depositor).await? {
        Some(d) => stored_coins(&d.amount)?,
        None => Coins::default(),
    };
    let mine = add_coins(&earlier, coins)?;
    s.put_deposit(
        &Deposit {
            proposal_id: proposal.id,
            depositor: depositor.to_bech32(hrp),
            amount: mine.to_proto(),
        },
        depositor,
    );
    s.emit(&events::ProposalDeposit {
        depositor: depositor.to_bech32(hrp),
        amount: coins.to_string(),
        proposal_id: proposal.id,
    });
    let opens = proposal.status == ProposalStatus::DepositPeriod as i32
        && all_gte(&total, &p.min_deposit());
    if opens {
        s.delete(state_key::inactive_queue(
            ts_ns(&proposal.deposit_end_time),
            proposal.id,
        ));
        let end = add_secs(now_ns, p.voting_period_s);
        proposal.status = ProposalStatus::VotingPeriod as i32;
        proposal.voting_start_time = Some(timestamp(now_ns));
        proposal.voting_end_time = Some(timestamp(end));
        s.put_queue(state_key::active_queue(end, proposal.id));
        match origin {
            Origin::Submit => s.emit(&events::SubmitVotingPeriodStart {
                proposal_id: proposal.id,
            }),
            Origin::Deposit => s.emit(&events::DepositVotingPeriodStart {
                proposal_id: proposal.id,
            }),
        }
    }
    s.put_proposal(proposal);
    Ok(opens)
}

/// What happens to a proposal's deposits when it leaves the deposit or voting period.
#[derive(Clone, Debug)]
pub enum Settlement {
    /// Every depositor gets its deposit back.
    Refund,
    /// Every deposit is burned (supply drops).
    Burn,
    /// Cancel: `ratio` of each deposit is burned, or sent to `dest` if set; the rest refunded.
    Cancel {
        /// Share charged.
        ratio: Dec,
        /// Receiver of the charge; `None` burns it.
        dest: Option<Address>,
    },
}

/// Settles and deletes every deposit of proposal `id`, in depositor order.
///
/// Errors: internal, if the module account holds less than the recorded deposits.
pub async fn settle_deposits<B: GovBank, S: StateWrite>(
    bank: &B,
    s: &mut S,
    id: u64,
    how: &Settlement,
    hrp: &str,
) -> Handled {
    let rows = s.prefix_raw_vec(&state_key::deposits_of(id)).await?;
    let mut charged = Coins::default();
    for (key, value) in rows {
        let d: Deposit = prost::Message::decode(value.as_slice())
            .map_err(|e| ModuleError::internal(format!("corrupt deposit at {key}: {e}")))?;
        let hex = key.rsplit('/').next().unwrap_or_default();
        let depositor = <[u8; 20]>::try_from(hex::decode(hex).unwrap_or_default().as_slice())
            .map(Address)
            .map_err(|_| ModuleError::internal(format!("corrupt deposit key {key}")))?;
        let coins = stored_coins(&d.amount)?;
        match how {
            Settlement::Refund => refund(bank, s, &depositor, &coins, hrp).await?,
            Settlement::Burn => charged = add_coins(&charged, &coins)?,
            Settlement::Cancel { ratio, .. } => {
                let charge = scale(&coins, *ratio);
                let back = Coins(
                    coins
                        .0
                        .iter()
                        .filter_map(|c| {
                            let fee = charge
                                .0
                                .iter()
                                .find(|x| x.denom == c.denom)
                                .map_or(0, |x| x.amount);
                            let left = c.amount - fee;
                            (left > 0).then(|| Coin {
                                denom: c.denom.clone(),
                                amount: left,
                            })
                        })
                        .collect(),
                );
                refund(bank, s, &depositor, &back, hrp).await?;
                charged = add_coins(&charged, &charge)?;
            }
        }
        s.delete(key);
    }
    if !charged.0.is_empty() {
        match how {
            Settlement::Cancel {
                dest: Some(dest), ..
            } => bank.refund(s, dest, &charged, hrp).await?,
            _ => bank.burn_deposits(s, &charged, hrp).await?,
        }
    }
    Ok(())
}

async fn refund<B: GovBank, S: StateWrite>(
    bank: &B,
    s: &mut S,
    to: &Address,
    coins: &Coins,
    hrp: &str,
) -> Handled {
    if coins.0.is_empty() {
        return Ok(());
    }
    bank.refund(s, to, coins, hrp).await
}

/// Deletes every vote of proposal `id`.
pub async fn delete_votes<S: StateWrite>(s: &mut S, id: u64) -> Handled {
    for (key, _) in s.prefix_raw_vec(&state_key::votes_of(id)).await? {
        s.delete(key);
    }
    Ok(())
}

/// The proposal `id`. Errors: `gov`/2.
pub async fn load_proposal<S: StateRead>(s: &S, id: u64) -> Result<Proposal, ModuleError> {
    s.proposal(id)
        .await?
        .ok_or_else(|| GovError::UnknownProposal(id).into())
}

/// The gov module account (re-exported for handlers).
pub fn gov_address() -> Address {
    module_address()
}
