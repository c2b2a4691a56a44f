//! Staking errors (codespace `staking`), numbered as cosmos-sdk `x/staking/types/errors.go`
//! where the SDK has the error; codes ≥ 100 are this chain's own. Never renumber.

use hub_framework::AbciCode;

/// Failures of the staking module. Codes are stable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StakingError {
    /// A genesis field is invalid; the message names the field (code 100).
    #[error("invalid staking genesis: {0}")]
    InvalidGenesis(String),
    /// No validator with this address (code 3, `ErrNoValidatorFound`).
    #[error("validator does not exist: {0}")]
    NoValidatorFound(String),
    /// The operator already runs a validator (code 4, `ErrValidatorOwnerExists`).
    #[error("validator already exist for this operator address; must use new validator operator address: {0}")]
    ValidatorOwnerExists(String),
    /// The consensus key is already used by a validator (code 5, `ErrValidatorPubKeyExists`).
    #[error("validator already exist for this pubkey; must use new validator pubkey: {0}")]
    ValidatorPubKeyExists(String),
    /// The consensus key is not `/cosmos.crypto.ed25519.PubKey` (code 6,
    /// `ErrValidatorPubKeyTypeNotSupported`).
    #[error("validator pubkey type is not supported: {0}")]
    PubKeyTypeNotSupported(String),
    /// A commission rate is above 100 % (code 10, `ErrCommissionHuge`).
    #[error("commission cannot be more than 100%: {0}")]
    CommissionHuge(String),
    /// The commission rate is above the max rate (code 11, `ErrCommissionGTMaxRate`).
    #[error("commission cannot be more than the max rate: {0}")]
    CommissionGtMaxRate(String),
    /// The commission was changed less than 24 h ago (code 12, `ErrCommissionUpdateTime`).
    #[error("commission cannot be changed more than once in 24h")]
    CommissionUpdateTime,
    /// The max change rate is above the max rate (code 14, `ErrCommissionChangeRateGTMaxRate`).
    #[error("commission change rate cannot be more than the max rate: {0}")]
    CommissionChangeRateGtMaxRate(String),
    /// The rate changes by more than the max change rate (code 15, `ErrCommissionGTMaxChangeRate`).
    #[error("commission cannot be changed more than max change rate: {0}")]
    CommissionGtMaxChangeRate(String),
    /// The self-delegation is below the validator's minimum (code 16,
    /// `ErrSelfDelegationBelowMinimum`).
    #[error("validator's self delegation must be greater than their minimum self delegation: {0}")]
    SelfDelegationBelowMinimum(String),
    /// The minimum self-delegation may only increase (code 17, `ErrMinSelfDelegationDecreased`).
    #[error("minimum self delegation cannot be decrease: {0}")]
    MinSelfDelegationDecreased(String),
    /// No delegation of this delegator to this validator (code 19, `ErrNoDelegation`).
    #[error("no delegation for (address, validator) tuple: {0}")]
    NoDelegation(String),
    /// The validator has shares but no tokens left (code 34, `ErrDelegatorShareExRateInvalid`).
    #[error("cannot delegate to validators with invalid (zero) ex-rate: {0}")]
    InvalidExchangeRate(String),
    /// Undelegating more than the delegation holds (code 24, `ErrNotEnoughDelegationShares`).
    #[error("not enough delegation shares: {0}")]
    NotEnoughDelegationShares(String),
    /// The delegator has `max_entries` unbonding entries with this validator already
    /// (code 27, `ErrMaxUnbondingDelegationEntries`).
    #[error("too many unbonding delegation entries for (delegator, validator) tuple")]
    MaxUnbondingEntries,
    /// The undelegated amount is worth zero tokens after rounding (code 30,
    /// `ErrTinyRedelegationAmount`, which the SDK also returns for undelegations).
    #[error("too few tokens to undelegate (truncates to zero tokens)")]
    TinyUnbondingAmount,
    /// `MsgCreateValidator` without a consensus key (code 39, `ErrEmptyValidatorPubKey`).
    #[error("empty validator public key")]
    EmptyValidatorPubKey,
    /// The commission rate is below the chain's `min_commission_rate` (code 40,
    /// `ErrCommissionLTMinRate`).
    #[error("commission cannot be less than min rate: {0}")]
    CommissionLtMinRate(String),
    /// A token or share amount would exceed u128 (code 101).
    #[error("amount overflow: {0}")]
    Overflow(String),
}

impl AbciCode for StakingError {
    fn codespace(&self) -> &'static str {
        "staking"
    }
    fn code(&self) -> u32 {
        match self {
            StakingError::InvalidGenesis(_) => 100,
            StakingError::NoValidatorFound(_) => 3,
            StakingError::ValidatorOwnerExists(_) => 4,
            StakingError::ValidatorPubKeyExists(_) => 5,
            StakingError::PubKeyTypeNotSupported(_) => 6,
            StakingError::CommissionHuge(_) => 10,
            StakingError::CommissionGtMaxRate(_) => 11,
            StakingError::CommissionUpdateTime => 12,
            StakingError::CommissionChangeRateGtMaxRate(_) => 14,
            StakingError::CommissionGtMaxChangeRate(_) => 15,
            StakingError::SelfDelegationBelowMinimum(_) => 16,
            StakingError::MinSelfDelegationDecreased(_) => 17,
            StakingError::NoDelegation(_) => 19,
            StakingError::NotEnoughDelegationShares(_) => 24,
            StakingError::MaxUnbondingEntries => 27,
            StakingError::TinyUnbondingAmount => 30,
            StakingError::InvalidExchangeRate(_) => 34,
            StakingError::EmptyValidatorPubKey => 39,
            StakingError::CommissionLtMinRate(_) => 40,
            StakingError::Overflow(_) => 101,
        }
    }
}
