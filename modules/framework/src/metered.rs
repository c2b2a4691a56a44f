//! Gas metering of state access, in the framework so that no module can forget it.
//!
//! [`Metered`] wraps the state a transaction runs on and charges its [`GasMeter`] for every
//! read, write, delete and iteration step, with the Cosmos SDK's default KV gas config
//! (`storetypes.KVGasConfig`): a read costs `ReadCostFlat` + `ReadCostPerByte` × (key +
//! value), a write `WriteCostFlat` + `WriteCostPerByte` × (key + value), a delete
//! `DeleteCost`, each iteration step `IterNextCostFlat` + `ReadCostPerByte` × (key + value).
//! Ephemeral objects and events are free (they are not stored).
//!
//! A write cannot fail ([`StateWrite::put_raw`] returns nothing), so crossing the limit is
//! recorded by the meter; reads past the limit fail. The executor checks the meter after each
//! message and turns a crossed limit into `sdk`/11, dropping every write of the messages.
//! Code with state access but no [`crate::TxCtx`] (proof verification) charges through
//! [`charge`], which finds the meter in the state.

use crate::gas::{GasMeter, GAS_COSTS};
use cnidarium::{StateRead, StateWrite};
use futures::{FutureExt, StreamExt};
use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The ephemeral-object key under which [`Metered`] exposes its meter (see [`charge`]).
pub const GAS_METER_KEY: &str = "hub/gas_meter";

/// A state whose every access is charged to a gas meter.
pub struct Metered<S> {
    inner: S,
    gas: Arc<GasMeter>,
}

impl<S> Metered<S> {
    /// Wraps `inner`, charging `gas`.
    pub fn new(inner: S, gas: Arc<GasMeter>) -> Self {
        Metered { inner, gas }
    }

    /// The wrapped state.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

/// Charges `amount` gas to the meter of the state `s` runs under, if it runs under one (a
/// transaction's); outside a transaction (genesis, block hooks, queries) nothing is charged.
///
/// Errors: [`crate::SdkError::OutOfGas`] (`sdk`/11) when the limit is crossed.
pub fn charge<S: StateRead + ?Sized>(
    s: &S,
    amount: u64,
    descriptor: &'static str,
) -> crate::Handled {
    match s.object_get::<Arc<GasMeter>>(GAS_METER_KEY) {
        Some(gas) => gas
            .charge(amount, descriptor)
            .map_err(|e| crate::SdkError::OutOfGas(e.to_string()).into()),
        None => Ok(()),
    }
}

fn out_of_gas(gas: &GasMeter) -> anyhow::Error {
    anyhow::anyhow!(
        "out of gas: gas wanted {}, gas used {}",
        gas.limit(),
        gas.used()
    )
}

fn read_cost(bytes: usize) -> u64 {
    GAS_COSTS.read_byte.saturating_mul(bytes as u64)
}

fn iter_cost(bytes: usize) -> u64 {
    GAS_COSTS.iter_next_flat.saturating_add(read_cost(bytes))
}

/// `stream` with each item charged one iteration step of `bytes(item)` bytes; past the limit
/// the item becomes an error.
fn metered_stream<T: Send + 'static>(
    stream: impl futures::Stream<Item = anyhow::Result<T>> + Send + 'static,
    gas: &Arc<GasMeter>,
    bytes: fn(&T) -> usize,
) -> futures::stream::BoxStream<'static, anyhow::Result<T>> {
    let gas = gas.clone();
    stream
        .map(move |item| {
            let item = item?;
            gas.charge(iter_cost(bytes(&item)), "IterNextFlat")
                .map_err(|_| out_of_gas(&gas))?;
            Ok(item)
        })
        .boxed()
}

impl<S: StateRead> StateRead for Metered<S> {
    type GetRawFut = futures::future::BoxFuture<'static, anyhow::Result<Option<Vec<u8>>>>;
    type PrefixRawStream = futures::stream::BoxStream<'static, anyhow::Result<(String, Vec<u8>)>>;
    type PrefixKeysStream = futures::stream::BoxStream<'static, anyhow::Result<String>>;
    type NonconsensusPrefixRawStream =
        futures::stream::BoxStream<'static, anyhow::Result<(Vec<u8>, Vec<u8>)>>;
    type NonconsensusRangeRawStream =
        futures::stream::BoxStream<'static, anyhow::Result<(Vec<u8>, Vec<u8>)>>;

    fn get_raw(&self, key: &str) -> Self::GetRawFut {
        self.read(key.len(), self.inner.get_raw(key))
    }

    fn nonverifiable_get_raw(&self, key: &[u8]) -> Self::GetRawFut {
        self.read(key.len(), self.inner.nonverifiable_get_raw(key))
    }

    fn object_get<T: Any + Send + Sync + Clone>(&self, key: &'static str) -> Option<T> {
        if key == GAS_METER_KEY {
            let any: Box<dyn Any> = Box::new(self.gas.clone());
            return any.downcast::<T>().ok().map(|b| *b);
        }
        self.inner.object_get(key)
    }

    fn object_type(&self, key: &'static str) -> Option<std::any::TypeId> {
        self.inner.object_type(key)
    }

    fn prefix_raw(&self, prefix: &str) -> Self::PrefixRawStream {
        metered_stream(self.inner.prefix_raw(prefix), &self.gas, |(k, v)| {
            k.len() + v.len()
        })
    }

    fn prefix_keys(&self, prefix: &str) -> Self::PrefixKeysStream {
        metered_stream(self.inner.prefix_keys(prefix), &self.gas, String::len)
    }

    fn nonverifiable_prefix_raw(&self, prefix: &[u8]) -> Self::NonconsensusPrefixRawStream {
        metered_stream(
            self.inner.nonverifiable_prefix_raw(prefix),
            &self.gas,
            |(k, v)| k.len() + v.len(),
        )
    }

    fn nonverifiable_range_raw(
        &self,
        prefix: Option<&[u8]>,
        range: impl std::ops::RangeBounds<Vec<u8>>,
    ) -> anyhow::Result<Self::NonconsensusRangeRawStream> {
        Ok(metered_stream(
            self.inner.nonverifiable_range_raw(prefix, range)?,
            &self.gas,
            |(k, v)| k.len() + v.len(),
        ))
    }
}

impl<S: StateRead> Metered<S> {
    /// Charges the flat read cost and the key now, the value's bytes when it arrives.
    fn read<F>(
        &self,
        key_len: usize,
        fut: F,
    ) -> futures::future::BoxFuture<'static, anyhow::Result<Option<Vec<u8>>>>
    where
        F: std::future::Future<Output = anyhow::Result<Option<Vec<u8>>>> + Send + 'static,
    {
        let gas = self.gas.clone();
        let flat = GAS_COSTS.read_flat.saturating_add(read_cost(key_len));
        if gas.charge(flat, "ReadFlat").is_err() {
            let e = out_of_gas(&gas);
            return futures::future::ready(Err(e)).boxed();
        }
        fut.map(move |r| {
            let v = r?;
            let n = v.as_ref().map_or(0, Vec::len);
            gas.charge(read_cost(n), "ReadPerByte")
                .map_err(|_| out_of_gas(&gas))?;
            Ok(v)
        })
        .boxed()
    }
}

impl<S: StateWrite> StateWrite for Metered<S> {
    fn put_raw(&mut self, key: String, value: Vec<u8>) {
        let bytes = (key.len() + value.len()) as u64;
        let cost = GAS_COSTS
            .write_flat
            .saturating_add(GAS_COSTS.write_byte.saturating_mul(bytes));
        // Crossing the limit is recorded; the executor fails the tx after the message.
        let _ = self.gas.charge(cost, "WriteFlat");
        self.inner.put_raw(key, value);
    }

    fn delete(&mut self, key: String) {
        let _ = self.gas.charge(GAS_COSTS.delete, "Delete");
        self.inner.delete(key);
    }

    fn nonverifiable_put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
        let bytes = (key.len() + value.len()) as u64;
        let cost = GAS_COSTS
            .write_flat
            .saturating_add(GAS_COSTS.write_byte.saturating_mul(bytes));
        let _ = self.gas.charge(cost, "WriteFlat");
        self.inner.nonverifiable_put_raw(key, value);
    }

    fn nonverifiable_delete(&mut self, key: Vec<u8>) {
        let _ = self.gas.charge(GAS_COSTS.delete, "Delete");
        self.inner.nonverifiable_delete(key);
    }

    fn object_put<T: Clone + Any + Send + Sync>(&mut self, key: &'static str, value: T) {
        self.inner.object_put(key, value);
    }

    fn object_delete(&mut self, key: &'static str) {
        self.inner.object_delete(key);
    }

    fn object_merge(
        &mut self,
        objects: BTreeMap<&'static str, Option<Box<dyn Any + Send + Sync>>>,
    ) {
        self.inner.object_merge(objects);
    }

    fn record(&mut self, event: tendermint::abci::Event) {
        self.inner.record(event);
    }
}
