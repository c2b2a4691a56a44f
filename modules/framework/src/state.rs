//! Typed reads and writes over cnidarium's verifiable store.
//!
//! Values are protobuf (the same bytes a Cosmos client decodes) or fixed-width big-endian
//! integers. A value that fails to decode is an internal error: only this node wrote it.

use crate::ModuleError;
use cnidarium::{StateRead, StateWrite};
use futures::StreamExt;

/// Decodes a stored big-endian `u128` (balances, supplies). Errors: internal, naming `key`.
pub fn decode_u128(key: &str, bytes: &[u8]) -> Result<u128, ModuleError> {
    <[u8; 16]>::try_from(bytes)
        .map(u128::from_be_bytes)
        .map_err(|_| ModuleError::internal(format!("corrupt u128 at {key}")))
}

/// Typed reads. Blanket-implemented for every `StateRead` (snapshots and overlays).
pub trait StateReadProto: StateRead {
    /// Reads and decodes a protobuf value; `Ok(None)` if the key is absent.
    async fn get_proto<M: prost::Message + Default>(
        &self,
        key: &str,
    ) -> Result<Option<M>, ModuleError> {
        match self.get_raw(key).await.map_err(ModuleError::internal)? {
            None => Ok(None),
            Some(bytes) => M::decode(bytes.as_slice())
                .map(Some)
                .map_err(|e| ModuleError::internal(format!("corrupt value at {key}: {e}"))),
        }
    }

    /// Reads a big-endian `u64`; `Ok(None)` if absent.
    async fn get_u64(&self, key: &str) -> Result<Option<u64>, ModuleError> {
        match self.get_raw(key).await.map_err(ModuleError::internal)? {
            None => Ok(None),
            Some(b) => <[u8; 8]>::try_from(b.as_slice())
                .map(|a| Some(u64::from_be_bytes(a)))
                .map_err(|_| ModuleError::internal(format!("corrupt u64 at {key}"))),
        }
    }

    /// Reads a big-endian `u128`; `Ok(None)` if absent.
    async fn get_u128(&self, key: &str) -> Result<Option<u128>, ModuleError> {
        match self.get_raw(key).await.map_err(ModuleError::internal)? {
            None => Ok(None),
            Some(b) => decode_u128(key, &b).map(Some),
        }
    }

    /// Every `(key, value)` under `prefix`, in key order (deterministic).
    async fn prefix_raw_vec(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, ModuleError> {
        let mut stream = std::pin::pin!(self.prefix_raw(prefix));
        let mut out = Vec::new();
        while let Some(item) = stream.next().await {
            out.push(item.map_err(ModuleError::internal)?);
        }
        Ok(out)
    }
}

impl<T: StateRead + ?Sized> StateReadProto for T {}

/// Typed writes. Blanket-implemented for every `StateWrite` (overlays).
pub trait StateWriteProto: StateWrite {
    /// Encodes and writes a protobuf value.
    fn put_proto<M: prost::Message>(&mut self, key: String, value: &M) {
        self.put_raw(key, value.encode_to_vec());
    }

    /// Writes a big-endian `u64`.
    fn put_u64(&mut self, key: String, value: u64) {
        self.put_raw(key, value.to_be_bytes().to_vec());
    }

    /// Writes a big-endian `u128`.
    fn put_u128(&mut self, key: String, value: u128) {
        self.put_raw(key, value.to_be_bytes().to_vec());
    }
}

impl<T: StateWrite + ?Sized> StateWriteProto for T {}

#[cfg(test)]
mod tests {
    use super::*;
    use cnidarium::{StateDelta, TempStorage};

    #[tokio::test]
    async fn typed_values_round_trip_and_prefix_reads_are_ordered() {
        let storage = TempStorage::new_with_prefixes(vec!["m".into()])
            .await
            .unwrap();
        let mut s = StateDelta::new(storage.latest_snapshot());
        s.put_u64("m/b".into(), 7);
        s.put_u128("m/a".into(), u128::MAX);
        s.put_proto(
            "m/c".into(),
            &prost_types::Duration {
                seconds: 5,
                nanos: 1,
            },
        );
        assert_eq!(s.get_u64("m/b").await.unwrap(), Some(7));
        assert_eq!(s.get_u128("m/a").await.unwrap(), Some(u128::MAX));
        let d: prost_types::Duration = s.get_proto("m/c").await.unwrap().unwrap();
        assert_eq!(d.seconds, 5);
        assert_eq!(s.get_u64("m/zz").await.unwrap(), None);
        // a u64 read of a u128 value is reported, not misread
        assert!(s.get_u64("m/a").await.is_err());
        storage.commit(s).await.unwrap();
        let keys: Vec<String> = storage
            .latest_snapshot()
            .prefix_raw_vec("m/")
            .await
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, vec!["m/a", "m/b", "m/c"]);
    }
}
