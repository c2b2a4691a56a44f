//! The capabilities gov needs from the rest of the chain. The runtime supplies them through a
//! [`GovConfig`]; gov never reads another module's keys.
//!
//! All methods take the caller's state (an overlay), so a failed message or a failed proposal
//! execution drops their effects.

use crate::dec::Dec;
use cosmos_sdk_proto::Any;
use hub_auth::Address;
use hub_bank::Coins;
use hub_framework::{
    bank::{BurnCoins, SendCoins},
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError, StateEventExt, TxCtx,
};

/// The gov module account name; deposits are held by `Address::module("gov")`, which is also
/// the authority of proposal messages (as the Cosmos SDK's `gov` module account).
pub const MODULE_ACCOUNT: &str = "gov";

/// The address of the gov module account.
pub fn module_address() -> Address {
    Address::module(MODULE_ACCOUNT)
}

/// Coin movements to, from and out of the gov module account: the framework's
/// [`SendCoins`] and [`BurnCoins`], with gov's three uses written once on top. Implemented for
/// every type with the two (the runtime gives `hub_bank::Keeper`). Amounts in the smallest
/// unit (e.g. `uhub`).
pub trait GovBank: SendCoins + BurnCoins + Default + Sync {
    /// Moves `coins` from `from` to the gov module account.
    /// Errors: `sdk`/5 if `from` holds less (the caller drops the overlay).
    async fn deposit<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        coins: &Coins,
        hrp: &str,
    ) -> Handled {
        for c in &coins.0 {
            self.send(s, from, &module_address(), &c.denom, c.amount, hrp)
                .await?;
        }
        Ok(())
    }

    /// Moves `coins` from the gov module account to `to` (refunds, cancel destination).
    /// Errors: `sdk`/5 if the module account holds less.
    async fn refund<S: StateWrite>(
        &self,
        s: &mut S,
        to: &Address,
        coins: &Coins,
        hrp: &str,
    ) -> Handled {
        for c in &coins.0 {
            self.send(s, &module_address(), to, &c.denom, c.amount, hrp)
                .await?;
        }
        Ok(())
    }

    /// Destroys `coins` held by the gov module account, lowering the supply, with the bank's
    /// `burn { burner, amount }` event per coin (SDK `x/bank` `EventTypeBurn`).
    /// Errors: `sdk`/5 if the module account holds less.
    async fn burn_deposits<S: StateWrite>(&self, s: &mut S, coins: &Coins, hrp: &str) -> Handled {
        let burner = module_address();
        for c in &coins.0 {
            self.burn(s, &burner, &c.denom, c.amount).await?;
            s.emit(&crate::bank::Burn {
                burner: burner.to_bech32(hrp),
                amount: c.to_string(),
            });
        }
        Ok(())
    }
}

impl<T: SendCoins + BurnCoins + Default + Sync> GovBank for T {}

/// A bonded validator as the tally sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BondedValidator {
    /// The operator's 20 account-address bytes (a vote from this account is the validator's).
    pub operator: [u8; 20],
    /// The operator as bech32 `…valoper1…` (for display).
    pub operator_address: String,
    /// Bonded tokens, in the bond denom's smallest unit.
    pub tokens: u128,
    /// Total delegator shares (LegacyDec).
    pub delegator_shares: Dec,
}

/// A delegation of one delegator to one validator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelegationView {
    /// The validator operator's 20 account-address bytes.
    pub validator: [u8; 20],
    /// Shares held (LegacyDec).
    pub shares: Dec,
}

/// Read-only view of bonded stake, for the tally.
pub trait StakeView: Default + Sync {
    /// The bonded validators, in a deterministic order.
    async fn bonded_validators<S: StateRead>(
        &self,
        s: &S,
    ) -> Result<Vec<BondedValidator>, ModuleError>;

    /// The delegations of `delegator` (any validator, bonded or not).
    async fn delegations<S: StateRead>(
        &self,
        s: &S,
        delegator: &[u8; 20],
    ) -> Result<Vec<DelegationView>, ModuleError>;
}

/// Routing of proposal messages.
pub trait ProposalRouter: Default + Sync {
    /// Checks a proposal message at submission: it decodes, passes its stateless checks, and
    /// its signer/authority is the gov module account.
    ///
    /// Errors: `gov`/10 unknown type, `gov`/12 invalid message, `gov`/13 signer not gov.
    fn validate(&self, msg: &Any, hrp: &str) -> Handled;

    /// Executes a message of a passed proposal on `s` (the proposal's overlay); `tx.signer` is
    /// the gov module account.
    async fn execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx, msg: &Any) -> Handled;
}

/// The capabilities a runtime gives gov (FRAME-style `Config`).
pub trait GovConfig: 'static + Send + Sync {
    /// Coin movements.
    type Bank: GovBank;
    /// Bonded stake.
    type Stake: StakeView;
    /// Proposal message routing.
    type Router: ProposalRouter;
}
