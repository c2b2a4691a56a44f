//! Typed access to staking state. Other modules read staking only through [`StakingRead`].

use crate::{dec::Dec, state_key, StakingError};
use cosmos_sdk_proto::cosmos::staking::v1beta1::{
    BondStatus, Delegation, Params, UnbondingDelegation, Validator,
};
use hub_auth::Address;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    ModuleError, StateReadProto, StateWriteProto,
};

/// 5 %: the SDK's default `slash_fraction_double_sign`.
pub const DEFAULT_SLASH_FRACTION_DOUBLE_SIGN: Dec = Dec(50_000_000_000_000_000);

/// A bonded validator as governance tallies it (see [`StakingRead::bonded_validators`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BondedValidator {
    /// The operator's account address (the 20 bytes behind `hubvaloper1…`).
    pub operator: Address,
    /// The operator address in bech32 (`<hrp>valoper1…`).
    pub operator_address: String,
    /// Bonded tokens, in the bond denom's smallest unit (`uhub`).
    pub tokens: u128,
    /// Total shares issued to the validator's delegators.
    pub delegator_shares: Dec,
}

/// One delegation of a delegator (see [`StakingRead::delegator_delegations`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelegatorDelegation {
    /// The validator's operator account address.
    pub validator: Address,
    /// Shares held in that validator.
    pub shares: Dec,
}

/// The tokens of a stored validator. Errors: internal (only this module writes it).
pub fn validator_tokens(v: &Validator) -> Result<u128, ModuleError> {
    v.tokens
        .parse()
        .map_err(|_| ModuleError::internal(format!("corrupt tokens {:?}", v.tokens)))
}

/// The delegator shares of a stored validator. Errors: internal.
pub fn validator_shares(v: &Validator) -> Result<Dec, ModuleError> {
    Dec::parse_atomics_or_decimal(&v.delegator_shares)
        .ok_or_else(|| ModuleError::internal(format!("corrupt shares {:?}", v.delegator_shares)))
}

/// The shares of a stored delegation. Errors: internal.
pub fn delegation_shares(d: &Delegation) -> Result<Dec, ModuleError> {
    Dec::parse_atomics_or_decimal(&d.shares)
        .ok_or_else(|| ModuleError::internal(format!("corrupt shares {:?}", d.shares)))
}

/// The operator account behind a stored validator's `<hrp>valoper1…` address. Errors: internal.
pub fn validator_operator(v: &Validator) -> Result<Address, ModuleError> {
    let (_, data) = bech32::decode(&v.operator_address)
        .map_err(|e| ModuleError::internal(format!("corrupt operator address: {e}")))?;
    <[u8; 20]>::try_from(data.as_slice())
        .map(Address)
        .map_err(|_| ModuleError::internal("corrupt operator address length"))
}

/// Reads of staking state.
pub trait StakingRead: StateRead {
    /// The staking params (always present after genesis).
    async fn staking_params(&self) -> Result<Params, ModuleError> {
        self.get_proto(state_key::PARAMS)
            .await?
            .ok_or_else(|| ModuleError::internal("staking params missing"))
    }

    /// The fraction of a validator's tokens burned for double signing (default 5 %).
    async fn slash_fraction_double_sign(&self) -> Result<Dec, ModuleError> {
        Ok(self
            .get_u128(state_key::SLASH_FRACTION_DOUBLE_SIGN)
            .await?
            .map(Dec)
            .unwrap_or(DEFAULT_SLASH_FRACTION_DOUBLE_SIGN))
    }

    /// Every validator, in consensus-address order.
    async fn validators(&self) -> Result<Vec<Validator>, ModuleError> {
        Ok(self
            .validators_with_cons()
            .await?
            .into_iter()
            .map(|(_, v)| v)
            .collect())
    }

    /// Every validator with its consensus address (hex), in consensus-address order.
    async fn validators_with_cons(&self) -> Result<Vec<(String, Validator)>, ModuleError> {
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(state_key::VALIDATORS_PREFIX).await? {
            let v = <Validator as prost::Message>::decode(value.as_slice())
                .map_err(|e| ModuleError::internal(format!("corrupt value at {key}: {e}")))?;
            out.push((key[state_key::VALIDATORS_PREFIX.len()..].to_string(), v));
        }
        Ok(out)
    }

    /// The validator with consensus address `cons_addr_hex`, if any.
    async fn validator(&self, cons_addr_hex: &str) -> Result<Option<Validator>, ModuleError> {
        self.get_proto(&state_key::validator(cons_addr_hex)).await
    }

    /// The validator run by `operator` with its consensus address (hex), if any.
    async fn validator_by_operator(
        &self,
        operator: &Address,
    ) -> Result<Option<(String, Validator)>, ModuleError> {
        let Some(raw) = self
            .get_raw(&state_key::validator_by_operator(&operator.to_hex()))
            .await
            .map_err(ModuleError::internal)?
        else {
            return Ok(None);
        };
        let cons = String::from_utf8(raw).map_err(ModuleError::internal)?;
        Ok(self.validator(&cons).await?.map(|v| (cons, v)))
    }

    /// Like [`StakingRead::validator_by_operator`], failing with
    /// [`StakingError::NoValidatorFound`] (code 3) if there is none.
    async fn existing_validator(
        &self,
        operator: &Address,
        hrp: &str,
    ) -> Result<(String, Validator), ModuleError> {
        self.validator_by_operator(operator).await?.ok_or_else(|| {
            StakingError::NoValidatorFound(crate::address::to_valoper(operator, hrp)).into()
        })
    }

    /// The delegation of `delegator` to the validator run by `operator`, if any.
    async fn delegation(
        &self,
        delegator: &Address,
        operator: &Address,
    ) -> Result<Option<Delegation>, ModuleError> {
        self.get_proto(&state_key::delegation(
            &delegator.to_hex(),
            &operator.to_hex(),
        ))
        .await
    }

    /// Every delegation of `delegator`, in operator-address order.
    async fn delegations_of(&self, delegator: &Address) -> Result<Vec<Delegation>, ModuleError> {
        Ok(self
            .delegations_of_with_operators(delegator)
            .await?
            .into_iter()
            .map(|(_, d)| d)
            .collect())
    }

    /// Every delegation of `delegator` with its validator's operator address (hex, the store
    /// key suffix, whose byte order is the order of the rows), in operator-address order.
    async fn delegations_of_with_operators(
        &self,
        delegator: &Address,
    ) -> Result<Vec<(String, Delegation)>, ModuleError> {
        let prefix = state_key::delegations_of(&delegator.to_hex());
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(&prefix).await? {
            let d = <Delegation as prost::Message>::decode(value.as_slice())
                .map_err(|e| ModuleError::internal(format!("corrupt value at {key}: {e}")))?;
            out.push((key[prefix.len()..].to_string(), d));
        }
        Ok(out)
    }

    /// Every delegation to the validator run by `operator`, in delegator-address order.
    async fn delegations_to(&self, operator: &Address) -> Result<Vec<Delegation>, ModuleError> {
        Ok(self
            .delegations_to_with_delegators(operator)
            .await?
            .into_iter()
            .map(|(_, d)| d)
            .collect())
    }

    /// Every delegation to the validator run by `operator` with its delegator's address (hex,
    /// the index key suffix, whose byte order is the order of the rows), in delegator-address
    /// order.
    async fn delegations_to_with_delegators(
        &self,
        operator: &Address,
    ) -> Result<Vec<(String, Delegation)>, ModuleError> {
        let op = operator.to_hex();
        let prefix = state_key::delegations_to(&op);
        let mut out = Vec::new();
        for (key, _) in self.prefix_raw_vec(&prefix).await? {
            let del = &key[prefix.len()..];
            if let Some(d) = self.get_proto(&state_key::delegation(del, &op)).await? {
                out.push((del.to_string(), d));
            }
        }
        Ok(out)
    }

    /// The unbonding delegation of `delegator` from the validator run by `operator`, if any.
    async fn unbonding_delegation(
        &self,
        delegator: &Address,
        operator: &Address,
    ) -> Result<Option<UnbondingDelegation>, ModuleError> {
        self.get_proto(&state_key::unbonding_delegation(
            &delegator.to_hex(),
            &operator.to_hex(),
        ))
        .await
    }

    /// Every unbonding delegation of `delegator`, in operator-address order.
    async fn unbonding_delegations_of(
        &self,
        delegator: &Address,
    ) -> Result<Vec<UnbondingDelegation>, ModuleError> {
        Ok(self
            .unbonding_delegations_of_with_operators(delegator)
            .await?
            .into_iter()
            .map(|(_, u)| u)
            .collect())
    }

    /// Every unbonding delegation of `delegator` with its validator's operator address (hex,
    /// the store key suffix, whose byte order is the order of the rows), in operator-address
    /// order.
    async fn unbonding_delegations_of_with_operators(
        &self,
        delegator: &Address,
    ) -> Result<Vec<(String, UnbondingDelegation)>, ModuleError> {
        let prefix = state_key::unbonding_delegations_of(&delegator.to_hex());
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(&prefix).await? {
            let u = <UnbondingDelegation as prost::Message>::decode(value.as_slice())
                .map_err(|e| ModuleError::internal(format!("corrupt value at {key}: {e}")))?;
            out.push((key[prefix.len()..].to_string(), u));
        }
        Ok(out)
    }

    /// The validator set last reported to CometBFT: `(hex consensus address, power)`, in
    /// consensus-address order.
    async fn last_powers(&self) -> Result<Vec<(String, u64)>, ModuleError> {
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(state_key::LAST_POWER_PREFIX).await? {
            let p = <[u8; 8]>::try_from(value.as_slice())
                .map(u64::from_be_bytes)
                .map_err(|_| ModuleError::internal(format!("corrupt u64 at {key}")))?;
            out.push((key[state_key::LAST_POWER_PREFIX.len()..].to_string(), p));
        }
        Ok(out)
    }

    /// Whether the validator with this consensus address was tombstoned for double signing.
    async fn is_tombstoned(&self, cons_addr_hex: &str) -> Result<bool, ModuleError> {
        Ok(self
            .get_raw(&state_key::tombstoned(cons_addr_hex))
            .await
            .map_err(ModuleError::internal)?
            .is_some())
    }

    /// **Governance API.** The validators in the active (BONDED) set, in consensus-address
    /// order, with operator account, tokens and delegator shares. A delegator's voting power
    /// through validator `v` is `shares × v.tokens / v.delegator_shares`
    /// ([`crate::dec::tokens_for_shares`]), as the SDK's gov tally computes it.
    async fn bonded_validators(&self) -> Result<Vec<BondedValidator>, ModuleError> {
        let mut out = Vec::new();
        for v in self.validators().await? {
            if v.status != BondStatus::Bonded as i32 {
                continue;
            }
            out.push(BondedValidator {
                operator: validator_operator(&v)?,
                operator_address: v.operator_address.clone(),
                tokens: validator_tokens(&v)?,
                delegator_shares: validator_shares(&v)?,
            });
        }
        Ok(out)
    }

    /// **Governance API.** Every delegation of `delegator` as (validator operator account,
    /// shares), in operator-address order. Includes delegations to validators that are not
    /// bonded; filter with [`StakingRead::bonded_validators`].
    async fn delegator_delegations(
        &self,
        delegator: &Address,
    ) -> Result<Vec<DelegatorDelegation>, ModuleError> {
        let mut out = Vec::new();
        for d in self.delegations_of(delegator).await? {
            let (_, data) = bech32::decode(&d.validator_address)
                .map_err(|e| ModuleError::internal(format!("corrupt validator address: {e}")))?;
            let validator = <[u8; 20]>::try_from(data.as_slice())
                .map(Address)
                .map_err(|_| ModuleError::internal("corrupt validator address length"))?;
            out.push(DelegatorDelegation {
                validator,
                shares: delegation_shares(&d)?,
            });
        }
        Ok(out)
    }

    /// **Governance API.** Total tokens of the BONDED validators (`uhub`), the denominator of
    /// the gov quorum. Equals the bonded pool's balance.
    async fn total_bonded_tokens(&self) -> Result<u128, ModuleError> {
        let mut sum: u128 = 0;
        for v in self.bonded_validators().await? {
            sum = sum.saturating_add(v.tokens);
        }
        Ok(sum)
    }
}

impl<T: StateRead + ?Sized> StakingRead for T {}

/// Writes of staking state. Only this module's handlers and hooks call them: they keep the
/// indexes (operator → validator, validator → delegations, unbonding queue) consistent.
pub trait StakingWrite: StateWrite {
    /// Stores the params.
    fn put_staking_params(&mut self, p: &Params) {
        self.put_proto(state_key::PARAMS.to_string(), p);
    }

    /// Stores the double-sign slash fraction.
    fn put_slash_fraction_double_sign(&mut self, f: Dec) {
        self.put_u128(state_key::SLASH_FRACTION_DOUBLE_SIGN.to_string(), f.0);
    }

    /// Stores a validator under its consensus address (hex) and indexes its operator.
    fn put_validator(&mut self, cons_addr_hex: &str, operator: &Address, v: &Validator) {
        self.put_proto(state_key::validator(cons_addr_hex), v);
        self.put_raw(
            state_key::validator_by_operator(&operator.to_hex()),
            cons_addr_hex.as_bytes().to_vec(),
        );
    }

    /// Stores a delegation (and its by-validator index), or deletes both if its shares are zero.
    fn put_delegation(&mut self, delegator: &Address, operator: &Address, d: &Delegation) {
        let (del, op) = (delegator.to_hex(), operator.to_hex());
        if Dec::parse_atomics_or_decimal(&d.shares).unwrap_or_default() == Dec::ZERO {
            self.delete(state_key::delegation(&del, &op));
            self.delete(state_key::delegation_by_validator(&op, &del));
        } else {
            self.put_proto(state_key::delegation(&del, &op), d);
            self.put_raw(state_key::delegation_by_validator(&op, &del), vec![1]);
        }
    }

    /// Stores an unbonding delegation, or deletes it when it has no entries left.
    fn put_unbonding_delegation(
        &mut self,
        delegator: &Address,
        operator: &Address,
        u: &UnbondingDelegation,
    ) {
        let key = state_key::unbonding_delegation(&delegator.to_hex(), &operator.to_hex());
        if u.entries.is_empty() {
            self.delete(key);
        } else {
            self.put_proto(key, u);
        }
    }

    /// Adds (delegator, validator) to the unbonding queue at `completion_ns`.
    fn queue_unbonding(&mut self, completion_ns: u64, delegator: &Address, operator: &Address) {
        self.put_raw(
            state_key::unbonding_queue(completion_ns, &delegator.to_hex(), &operator.to_hex()),
            vec![1],
        );
    }

    /// Takes the next unbonding id (1, 2, …).
    async fn take_unbonding_id(&mut self) -> Result<u64, ModuleError> {
        let id = self
            .get_u64(state_key::NEXT_UNBONDING_ID)
            .await?
            .unwrap_or(1);
        self.put_u64(state_key::NEXT_UNBONDING_ID.to_string(), id + 1);
        Ok(id)
    }

    /// Records the power reported to CometBFT for a validator (0 deletes the record).
    fn put_last_power(&mut self, cons_addr_hex: &str, power: u64) {
        let key = state_key::last_power(cons_addr_hex);
        if power == 0 {
            self.delete(key);
        } else {
            self.put_u64(key, power);
        }
    }

    /// Marks a validator as tombstoned.
    fn put_tombstoned(&mut self, cons_addr_hex: &str) {
        self.put_raw(state_key::tombstoned(cons_addr_hex), vec![1]);
    }
}

impl<T: StateWrite + ?Sized> StakingWrite for T {}
