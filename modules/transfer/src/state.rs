//! Typed access to transfer state: params, denom traces and total escrow per denom.

use crate::{
    denom::{trace_hash, DenomTrace},
    state_key,
};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError, StateReadProto, StateWriteProto,
};
use ibc_proto::ibc::applications::transfer::v1::Params;

/// The default params: sending and receiving enabled (ibc-go `DefaultParams`).
pub fn default_params() -> Params {
    Params {
        send_enabled: true,
        receive_enabled: true,
    }
}

/// Reads of transfer state. Blanket-implemented for every `StateRead`.
pub trait TransferRead: StateRead {
    /// The params ([`default_params`] if never set).
    async fn params(&self) -> Result<Params, ModuleError> {
        Ok(self
            .get_proto(state_key::PARAMS)
            .await?
            .unwrap_or_else(default_params))
    }

    /// The bound port id, if genesis set one.
    async fn port(&self) -> Result<Option<String>, ModuleError> {
        match self
            .get_raw(state_key::PORT)
            .await
            .map_err(ModuleError::internal)?
        {
            None => Ok(None),
            Some(b) => String::from_utf8(b)
                .map(Some)
                .map_err(|_| ModuleError::internal("corrupt transfer port")),
        }
    }

    /// The denom trace with `sha256(full path) == hash`, if stored.
    async fn denom_trace(&self, hash: &[u8; 32]) -> Result<Option<DenomTrace>, ModuleError> {
        self.get_proto(&state_key::denom_trace(hash)).await
    }

    /// Every stored denom trace, sorted by full denom path (ibc-go `Traces.Sort`).
    async fn all_denom_traces(&self) -> Result<Vec<DenomTrace>, ModuleError> {
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(state_key::DENOM_TRACES_PREFIX).await? {
            let t: DenomTrace = prost::Message::decode(value.as_slice())
                .map_err(|e| ModuleError::internal(format!("corrupt value at {key}: {e}")))?;
            out.push(t);
        }
        out.sort_by_key(crate::denom::full_denom_path);
        Ok(out)
    }

    /// Total amount of `denom` escrowed over all channels (0 if none).
    async fn total_escrow(&self, denom: &str) -> Result<u128, ModuleError> {
        Ok(self
            .get_u128(&state_key::total_escrow(denom))
            .await?
            .unwrap_or(0))
    }

    /// Every non-zero total escrow as `(denom, amount)`, sorted by denom.
    async fn all_total_escrow(&self) -> Result<Vec<(String, u128)>, ModuleError> {
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(state_key::TOTAL_ESCROW_PREFIX).await? {
            let amount = hub_framework::decode_u128(&key, &value)?;
            out.push((
                key[state_key::TOTAL_ESCROW_PREFIX.len()..].to_string(),
                amount,
            ));
        }
        Ok(out)
    }
}

impl<T: StateRead + ?Sized> TransferRead for T {}

/// Writes of transfer state. Blanket-implemented for every `StateWrite`.
pub trait TransferWrite: StateWrite {
    /// Stores the params.
    fn put_params(&mut self, p: &Params) {
        self.put_proto(state_key::PARAMS.to_string(), p);
    }

    /// Stores the bound port id.
    fn put_port(&mut self, port: &str) {
        self.put_raw(state_key::PORT.to_string(), port.as_bytes().to_vec());
    }

    /// Stores a denom trace under its hash.
    fn put_denom_trace(&mut self, t: &DenomTrace) {
        self.put_proto(state_key::denom_trace(&trace_hash(t)), t);
    }

    /// Sets the total escrow of `denom` (deleting the key at zero, as ibc-go).
    fn put_total_escrow(&mut self, denom: &str, amount: u128) {
        let key = state_key::total_escrow(denom);
        if amount == 0 {
            self.delete(key);
        } else {
            self.put_u128(key, amount);
        }
    }

    /// Raises the total escrow of `denom` by `amount` (after coins moved into an escrow).
    ///
    /// Errors: internal, if the total would exceed u128.
    async fn add_total_escrow(&mut self, denom: &str, amount: u128) -> Handled {
        let total = self
            .total_escrow(denom)
            .await?
            .checked_add(amount)
            .ok_or_else(|| ModuleError::internal("total escrow exceeds u128"))?;
        self.put_total_escrow(denom, total);
        Ok(())
    }
}

impl<T: StateWrite + ?Sized> TransferWrite for T {}
