//! Staking errors (codespace `staking`), numbered as cosmos-sdk `x/staking/types/errors.go`
//! where the SDK has the error; codes ≥ 100 are this chain's own. Never renumber.

hub_framework::abci_errors! {
    /// Failures of the staking module. Codes are stable.
    pub enum StakingError in "staking" {
        /// A genesis field is invalid; the message names the field (code 100).
        #[error("invalid staking genesis: {0}")]
        InvalidGenesis(String) = 100,
        /// No validator with this address (code 3, `ErrNoValidatorFound`).
        #[error("validator does not exist: {0}")]
        NoValidatorFound(String) = 3,
        /// The operator already runs a validator (code 4, `ErrValidatorOwnerExists`).
        #[error("validator already exist for this operator address; must use new validator operator address: {0}")]
        ValidatorOwnerExists(String) = 4,
        /// The consensus key is already used by a validator (code 5, `ErrValidatorPubKeyExists`).
        #[error("validator already exist for this pubkey; must use new validator pubkey: {0}")]
        ValidatorPubKeyExists(String) = 5,
        /// The consensus key is not `/cosmos.crypto.ed25519.PubKey` (code 6,
        /// `ErrValidatorPubKeyTypeNotSupported`).
        #[error("validator pubkey type is not supported: {0}")]
        PubKeyTypeNotSupported(String) = 6,
        /// A commission rate is above 100 % (code 10, `ErrCommissionHuge`).
        #[error("commission cannot be more than 100%: {0}")]
        CommissionHuge(String) = 10,
        /// The commission rate is above the max rate (code 11, `ErrCommissionGTMaxRate`).
        #[error("commission cannot be more than the max rate: {0}")]
        CommissionGtMaxRate(String) = 11,
        /// The commission was changed less than 24 h ago (code 12, `ErrCommissionUpdateTime`).
        #[error("commission cannot be changed more than once in 24h")]
        CommissionUpdateTime = 12,
        /// The max change rate is above the max rate (code 14, `ErrCommissionChangeRateGTMaxRate`).
        #[error("commission change rate cannot be more than the max rate: {0}")]
        CommissionChangeRateGtMaxRate(String) = 14,
        /// The rate changes by more than the max change rate (code 15, `ErrCommissionGTMaxChangeRate`).
        #[error("commission cannot be changed more than max change rate: {0}")]
        CommissionGtMaxChangeRate(String) = 15,
        /// The self-delegation is below the validator's minimum (code 16,
        /// `ErrSelfDelegationBelowMinimum`).
        #[error("validator's self delegation must be greater than their minimum self delegation: {0}")]
        SelfDelegationBelowMinimum(String) = 16,
        /// The minimum self-delegation may only increase (code 17, `ErrMinSelfDelegationDecreased`).
        #[error("minimum self delegation cannot be decrease: {0}")]
        MinSelfDelegationDecreased(String) = 17,
        /// No delegation of this delegator to this validator (code 19, `ErrNoDelegation`).
        #[error("no delegation for (address, validator) tuple: {0}")]
        NoDelegation(String) = 19,
        /// The validator has shares but no tokens left (code 34, `ErrDelegatorShareExRateInvalid`).
        #[error("cannot delegate to validators with invalid (zero) ex-rate: {0}")]
        InvalidExchangeRate(String) = 34,
        /// Undelegating more than the delegation holds (code 24, `ErrNotEnoughDelegationShares`).
        #[error("not enough delegation shares: {0}")]
        NotEnoughDelegationShares(String) = 24,
        /// The delegator has `max_entries` unbonding entries with this validator already
        /// (code 27, `ErrMaxUnbondingDelegationEntries`).
        #[error("too many unbonding delegation entries for (delegator, validator) tuple")]
        MaxUnbondingEntries = 27,
        /// The undelegated amount is worth zero tokens after rounding (code 30,
        /// `ErrTinyRedelegationAmount`, which the SDK also returns for undelegations).
        #[error("too few tokens to undelegate (truncates to zero tokens)")]
        TinyUnbondingAmount = 30,
        /// `MsgCreateValidator` without a consensus key (code 39, `ErrEmptyValidatorPubKey`).
        #[error("empty validator public key")]
        EmptyValidatorPubKey = 39,
        /// The commission rate is below the chain's `min_commission_rate` (code 40,
        /// `ErrCommissionLTMinRate`).
        #[error("commission cannot be less than min rate: {0}")]
        CommissionLtMinRate(String) = 40,
        /// A token or share amount would exceed u128 (code 101).
        #[error("amount overflow: {0}")]
        Overflow(String) = 101,
    }
}
