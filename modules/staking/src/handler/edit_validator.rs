use super::require_signer;
use crate::bank::StakingBank;
use crate::dec::Dec;
use crate::msgs::{MsgEditValidator, DO_NOT_MODIFY};
use crate::state::validator_tokens;
use crate::{events, StakingError, StakingRead, StakingWrite};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, StateEventExt, TxCtx};

/// 24 h in nanoseconds: the minimum time between two commission changes.
const COMMISSION_UPDATE_INTERVAL_NS: u64 = 24 * 3600 * 1_000_000_000;

fn keep_or(new: &str, old: &str) -> String {
    if new == DO_NOT_MODIFY {
        old.to_string()
    } else {
        new.to_string()
    }
}

impl<B: StakingBank> MsgHandler<B> for MsgEditValidator {
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        require_signer(tx, &self.operator, "MsgEditValidator")
    }

    /// Updates description, commission rate and minimum self-delegation (SDK
    /// `msgServer.EditValidator`).
    ///
    /// Errors: `staking`/3 unknown validator, `staking`/12 rate changed less than 24 h ago,
    /// `staking`/11 above the max rate, `staking`/15 changes more than the max change rate,
    /// `staking`/40 below `min_commission_rate`, `staking`/17 min self delegation not
    /// increased, `staking`/16 min self delegation above the validator's tokens.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        let hrp = &tx.bech32_prefix;
        let (cons, mut v) = s.existing_validator(&self.operator, hrp).await?;
        let old = v.description.clone().unwrap_or_default();
        let d = &self.description;
        v.description = Some(cosmos_sdk_proto::cosmos::staking::v1beta1::Description {
            moniker: keep_or(&d.moniker, &old.moniker),
            identity: keep_or(&d.identity, &old.identity),
            website: keep_or(&d.website, &old.website),
            security_contact: keep_or(&d.security_contact, &old.security_contact),
            details: keep_or(&d.details, &old.details),
        });
        let mut commission = v.commission.clone().unwrap_or_default();
        let mut rates = commission.commission_rates.clone().unwrap_or_default();
        if let Some(rate) = self.commission_rate {
            let now = crate::stake::time_ns(tx.block.time);
            let last = commission
                .update_time
                .as_ref()
                .map(|t| (t.seconds.max(0) as u64) * 1_000_000_000 + t.nanos.max(0) as u64)
                .unwrap_or(0);
            if now < last.saturating_add(COMMISSION_UPDATE_INTERVAL_NS) {
                return Err(StakingError::CommissionUpdateTime.into());
            }
            let max = Dec::parse_atomics_or_decimal(&rates.max_rate).unwrap_or(Dec::ONE);
            let max_change =
                Dec::parse_atomics_or_decimal(&rates.max_change_rate).unwrap_or(Dec::ONE);
            let current = Dec::parse_atomics_or_decimal(&rates.rate).unwrap_or_default();
            if rate > max {
                return Err(StakingError::CommissionGtMaxRate(format!(
                    "rate {rate} > max rate {max}"
                ))
                .into());
            }
            let change = Dec(rate.0.abs_diff(current.0));
            if change > max_change {
                return Err(StakingError::CommissionGtMaxChangeRate(format!(
                    "change {change} > max change rate {max_change}"
                ))
                .into());
            }
            let min_rate =
                Dec::parse_atomics_or_decimal(&s.staking_params().await?.min_commission_rate)
                    .unwrap_or_default();
            if rate < min_rate {
                return Err(StakingError::CommissionLtMinRate(format!(
                    "rate {rate} < min rate {min_rate}"
                ))
                .into());
            }
            rates.rate = rate.to_string();
            commission.commission_rates = Some(rates.clone());
            commission.update_time = Some(tendermint_proto::google::protobuf::Timestamp {
                seconds: (now / 1_000_000_000) as i64,
                nanos: (now % 1_000_000_000) as i32,
            });
            v.commission = Some(commission);
        }
        if let Some(min) = self.min_self_delegation {
            let old_min: u128 = v.min_self_delegation.parse().unwrap_or(0);
            if min <= old_min {
                return Err(StakingError::MinSelfDelegationDecreased(format!(
                    "{min} is not above the current {old_min}"
                ))
                .into());
            }
            let tokens = validator_tokens(&v)?;
            if min > tokens {
                return Err(StakingError::SelfDelegationBelowMinimum(format!(
                    "min self delegation {min} exceeds the validator's tokens {tokens}"
                ))
                .into());
            }
            v.min_self_delegation = min.to_string();
        }
        s.put_validator(&cons, &self.operator, &v);
        s.emit(&events::EditValidator {
            commission_rate: rates.rate,
            min_self_delegation: v.min_self_delegation.clone(),
        });
        Ok(())
    }
}
