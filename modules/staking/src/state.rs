//! Typed access to staking state.

use crate::state_key;
use cosmos_sdk_proto::cosmos::staking::v1beta1::{Params, Validator};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    ModuleError, StateReadProto, StateWriteProto,
};

/// Reads of staking state.
pub trait StakingRead: StateRead {
    /// The staking params (always present after genesis).
    async fn staking_params(&self) -> Result<Params, ModuleError> {
        self.get_proto(state_key::PARAMS)
            .await?
            .ok_or_else(|| ModuleError::internal("staking params missing"))
    }

    /// Every validator, in consensus-address order.
    async fn validators(&self) -> Result<Vec<Validator>, ModuleError> {
        let mut out = Vec::new();
        for (key, _) in self.prefix_raw_vec(state_key::VALIDATORS_PREFIX).await? {
            if let Some(v) = self.get_proto(&key).await? {
                out.push(v);
            }
        }
        Ok(out)
    }
}

impl<T: StateRead + ?Sized> StakingRead for T {}

/// Writes of staking state.
pub trait StakingWrite: StateWrite {
    /// Stores the params.
    fn put_staking_params(&mut self, p: &Params) {
        self.put_proto(state_key::PARAMS.to_string(), p);
    }

    /// Stores a validator under its consensus address (hex).
    fn put_validator(&mut self, cons_addr_hex: &str, v: &Validator) {
        self.put_proto(state_key::validator(cons_addr_hex), v);
    }
}

impl<T: StateWrite + ?Sized> StakingWrite for T {}
