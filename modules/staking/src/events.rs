//! Events with the Cosmos SDK's staking and slashing event types and attribute keys.

hub_framework::typed_events! {
    /// `create_validator { validator, amount }`: a validator was created with its self-delegation.
    pub struct CreateValidator = "create_validator" {
        /// Operator address (`hubvaloper1…`).
        validator: String,
        /// Self-delegation as `100uhub`.
        amount: String,
    }

    /// `edit_validator { commission_rate, min_self_delegation }`.
    pub struct EditValidator = "edit_validator" {
        /// The commission rate after the edit (`LegacyDec` string).
        commission_rate: String,
        /// The minimum self-delegation after the edit (integer string).
        min_self_delegation: String,
    }

    /// `delegate { validator, delegator, amount, new_shares }`.
    pub struct Delegate = "delegate" {
        /// Operator address.
        validator: String,
        /// Delegator account address.
        delegator: String,
        /// Tokens bonded as `100uhub`.
        amount: String,
        /// Shares issued (`LegacyDec` string).
        new_shares: String,
    }

    /// `unbond { validator, delegator, amount, completion_time }`.
    pub struct Unbond = "unbond" {
        /// Operator address.
        validator: String,
        /// Delegator account address.
        delegator: String,
        /// Tokens unbonding as `100uhub`.
        amount: String,
        /// RFC 3339 time at which the tokens are paid out.
        completion_time: String,
    }

    /// `complete_unbonding { validator, delegator, amount }`: matured tokens were paid out.
    pub struct CompleteUnbonding = "complete_unbonding" {
        /// Operator address.
        validator: String,
        /// Delegator account address.
        delegator: String,
        /// Tokens paid as `100uhub`.
        amount: String,
    }

    /// `slash { address, power, reason, jailed, burned_coins }` (the SDK slashing module's event).
    pub struct Slash = "slash" {
        /// Consensus address (`hubvalcons1…`).
        address: String,
        /// The validator's voting power at the infraction, as reported by CometBFT.
        power: String,
        /// `double_sign`.
        reason: String,
        /// Consensus address of the jailed validator.
        jailed: String,
        /// Tokens burned, as `5uhub`.
        burned_coins: String,
    }
}
