//! Events with the Cosmos SDK's staking and slashing event types and attribute keys.

use hub_framework::TypedEvent;

/// `create_validator { validator, amount }`: a validator was created with its self-delegation.
pub struct CreateValidator {
    /// Operator address (`hubvaloper1…`).
    pub validator: String,
    /// Self-delegation as `100uhub`.
    pub amount: String,
}

impl TypedEvent for CreateValidator {
    const TYPE: &'static str = "create_validator";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("validator", self.validator.clone()),
            ("amount", self.amount.clone()),
        ]
    }
}

/// `edit_validator { commission_rate, min_self_delegation }`.
pub struct EditValidator {
    /// The commission rate after the edit (`LegacyDec` string).
    pub commission_rate: String,
    /// The minimum self-delegation after the edit (integer string).
    pub min_self_delegation: String,
}

impl TypedEvent for EditValidator {
    const TYPE: &'static str = "edit_validator";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("commission_rate", self.commission_rate.clone()),
            ("min_self_delegation", self.min_self_delegation.clone()),
        ]
    }
}

/// `delegate { validator, delegator, amount, new_shares }`.
pub struct Delegate {
    /// Operator address.
    pub validator: String,
    /// Delegator account address.
    pub delegator: String,
    /// Tokens bonded as `100uhub`.
    pub amount: String,
    /// Shares issued (`LegacyDec` string).
    pub new_shares: String,
}

impl TypedEvent for Delegate {
    const TYPE: &'static str = "delegate";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("validator", self.validator.clone()),
            ("delegator", self.delegator.clone()),
            ("amount", self.amount.clone()),
            ("new_shares", self.new_shares.clone()),
        ]
    }
}

/// `unbond { validator, delegator, amount, completion_time }`.
pub struct Unbond {
    /// Operator address.
    pub validator: String,
    /// Delegator account address.
    pub delegator: String,
    /// Tokens unbonding as `100uhub`.
    pub amount: String,
    /// RFC 3339 time at which the tokens are paid out.
    pub completion_time: String,
}

impl TypedEvent for Unbond {
    const TYPE: &'static str = "unbond";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("validator", self.validator.clone()),
            ("delegator", self.delegator.clone()),
            ("amount", self.amount.clone()),
            ("completion_time", self.completion_time.clone()),
        ]
    }
}

/// `complete_unbonding { validator, delegator, amount }`: matured tokens were paid out.
pub struct CompleteUnbonding {
    /// Operator address.
    pub validator: String,
    /// Delegator account address.
    pub delegator: String,
    /// Tokens paid as `100uhub`.
    pub amount: String,
}

impl TypedEvent for CompleteUnbonding {
    const TYPE: &'static str = "complete_unbonding";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("validator", self.validator.clone()),
            ("delegator", self.delegator.clone()),
            ("amount", self.amount.clone()),
        ]
    }
}

/// `slash { address, power, reason, jailed, burned_coins }` (the SDK slashing module's event).
pub struct Slash {
    /// Consensus address (`hubvalcons1…`).
    pub address: String,
    /// The validator's voting power at the infraction, as reported by CometBFT.
    pub power: String,
    /// `double_sign`.
    pub reason: String,
    /// Consensus address of the jailed validator.
    pub jailed: String,
    /// Tokens burned, as `5uhub`.
    pub burned_coins: String,
}

impl TypedEvent for Slash {
    const TYPE: &'static str = "slash";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("address", self.address.clone()),
            ("power", self.power.clone()),
            ("reason", self.reason.clone()),
            ("jailed", self.jailed.clone()),
            ("burned_coins", self.burned_coins.clone()),
        ]
    }
}
