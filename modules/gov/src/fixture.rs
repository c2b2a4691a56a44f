//! In-state fixtures of the gov capabilities, for module tests and benchmarks (not used by
//! the runtimes).
//!
//! - [`StakeFixture`]: validators and delegations written under the main-store prefix
//!   `fixture/stake/` with [`StakeFixture::put_validator`] / [`StakeFixture::put_delegation`].
//! - [`FixtureRouter`]: routes `cosmos.bank.v1beta1.MsgSend` (through `hub-bank`) and the gov
//!   messages themselves, requiring the gov module account as signer.
//! - [`FixtureConfig`]: the three together with `hub_bank::Keeper`.

use crate::{
    capability::{
        module_address, BondedValidator, DelegationView, GovConfig, ProposalRouter, StakeView,
    },
    dec::Dec,
    msgs::GovMsg,
    GovError,
};
use cosmos_sdk_proto::Any;
use hub_auth::Address;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    decode_u128, Handled, ModuleError, ModuleMsg, MsgHandler, SdkError, StateReadProto,
    StateWriteProto, TxCtx,
};
use prost::Message;

const VALIDATORS: &str = "fixture/stake/validators/";
const DELEGATIONS: &str = "fixture/stake/delegations/";

/// A [`StakeView`] over fixture keys in the state.
#[derive(Clone, Copy, Debug, Default)]
pub struct StakeFixture;

impl StakeFixture {
    /// Writes a bonded validator with `tokens` and `shares` (whole shares).
    pub fn put_validator<S: StateWrite>(s: &mut S, operator: [u8; 20], tokens: u128, shares: u128) {
        let mut v = tokens.to_be_bytes().to_vec();
        v.extend_from_slice(&shares.saturating_mul(crate::dec::PRECISION).to_be_bytes());
        s.put_raw(format!("{VALIDATORS}{}", hex::encode(operator)), v);
    }

    /// Writes a delegation of `shares` (whole shares) from `delegator` to `validator`.
    pub fn put_delegation<S: StateWrite>(
        s: &mut S,
        delegator: [u8; 20],
        validator: [u8; 20],
        shares: u128,
    ) {
        s.put_u128(
            format!(
                "{DELEGATIONS}{}/{}",
                hex::encode(delegator),
                hex::encode(validator)
            ),
            shares.saturating_mul(crate::dec::PRECISION),
        );
    }
}

fn hex20(s: &str) -> Result<[u8; 20], ModuleError> {
    hex::decode(s)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| ModuleError::internal(format!("bad fixture address {s}")))
}

impl StakeView for StakeFixture {
    async fn bonded_validators<S: StateRead>(
        &self,
        s: &S,
    ) -> Result<Vec<BondedValidator>, ModuleError> {
        let mut out = Vec::new();
        for (k, v) in s.prefix_raw_vec(VALIDATORS).await? {
            let operator = hex20(&k[VALIDATORS.len()..])?;
            if v.len() != 32 {
                return Err(ModuleError::internal("bad fixture validator"));
            }
            out.push(BondedValidator {
                operator,
                operator_address: Address(operator).to_bech32("hubvaloper"),
                tokens: decode_u128(&k, &v[..16])?,
                delegator_shares: Dec(decode_u128(&k, &v[16..])?),
            });
        }
        Ok(out)
    }

    async fn delegations<S: StateRead>(
        &self,
        s: &S,
        delegator: &[u8; 20],
    ) -> Result<Vec<DelegationView>, ModuleError> {
        let prefix = format!("{DELEGATIONS}{}/", hex::encode(delegator));
        let mut out = Vec::new();
        for (k, v) in s.prefix_raw_vec(&prefix).await? {
            out.push(DelegationView {
                validator: hex20(&k[prefix.len()..])?,
                shares: Dec(decode_u128(&k, &v)?),
            });
        }
        Ok(out)
    }
}

/// A [`ProposalRouter`] for tests: bank `MsgSend` and the gov messages.
#[derive(Clone, Copy, Debug, Default)]
pub struct FixtureRouter;

enum Routed {
    Send(hub_bank::msgs::MsgSend),
    Gov(Box<GovMsg>),
}

fn decode(msg: &Any, hrp: &str) -> Result<Routed, ModuleError> {
    let invalid = |e: ModuleError| -> ModuleError { GovError::InvalidProposalMsg(e.log).into() };
    let routed = if msg.type_url == hub_bank::msgs::MsgSend::TYPE_URL {
        let m = cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend::decode(msg.value.as_slice())
            .map_err(|e| invalid(SdkError::TxDecode(e.to_string()).into()))?;
        Routed::Send(hub_bank::msgs::MsgSend::from_proto(&m, hrp).map_err(invalid)?)
    } else if let Some(r) = GovMsg::decode(msg, hrp) {
        Routed::Gov(Box::new(r.map_err(invalid)?))
    } else {
        return Err(GovError::UnroutableProposalMsg(msg.type_url.clone()).into());
    };
    let signer = match &routed {
        Routed::Send(m) => m.from,
        Routed::Gov(m) => Address(m.signer()),
    };
    if signer != module_address() {
        return Err(GovError::InvalidSigner(format!(
            "{} is signed by {}, not the gov module account {}",
            msg.type_url,
            signer.to_bech32(hrp),
            module_address().to_bech32(hrp)
        ))
        .into());
    }
    Ok(routed)
}

impl ProposalRouter for FixtureRouter {
    fn validate(&self, msg: &Any, hrp: &str) -> Handled {
        decode(msg, hrp).map(|_| ())
    }

    async fn execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx, msg: &Any) -> Handled {
        match decode(msg, &tx.bech32_prefix)? {
            Routed::Send(m) => {
                m.check_stateless(tx)?;
                m.check_and_execute(s, tx).await
            }
            Routed::Gov(m) => {
                MsgHandler::<FixtureConfig>::check_stateless(&*m, tx)?;
                MsgHandler::<FixtureConfig>::check_and_execute(&*m, s, tx).await
            }
        }
    }
}

/// [`GovConfig`] of the fixtures.
pub struct FixtureConfig;

impl GovConfig for FixtureConfig {
    type Bank = hub_bank::Keeper;
    type Stake = StakeFixture;
    type Router = FixtureRouter;
}
