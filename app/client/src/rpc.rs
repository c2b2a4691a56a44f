//! A node seen through CometBFT RPC: status, blocks, transactions and `abci_query` calls with
//! Cosmos SDK gRPC method paths (`/cosmos.bank.v1beta1.Query/AllBalances`, …) and protobuf
//! request/response messages.

use std::time::Duration;

use anyhow::{bail, Context as _};
use cosmos_sdk_proto::cosmos::{
    auth::v1beta1::{BaseAccount, QueryAccountRequest, QueryAccountResponse},
    bank::v1beta1::{
        QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest,
        QueryBalanceResponse,
    },
    base::query::v1beta1::PageRequest,
};
use prost::Message;
use tendermint_rpc::{
    endpoint::{block, block_results, broadcast::tx_sync, status, tx},
    error::ErrorDetail,
    Client, HttpClient, HttpClientUrl,
};

use crate::coins::{parse_amount, Coin};

/// gRPC method path of the auth `Account` query.
pub const ACCOUNT_QUERY_PATH: &str = "/cosmos.auth.v1beta1.Query/Account";
/// gRPC method path of the bank `AllBalances` query.
pub const ALL_BALANCES_QUERY_PATH: &str = "/cosmos.bank.v1beta1.Query/AllBalances";
/// gRPC method path of the bank `Balance` query.
pub const BALANCE_QUERY_PATH: &str = "/cosmos.bank.v1beta1.Query/Balance";
/// Type URL of `BaseAccount` inside `QueryAccountResponse.account`.
pub const BASE_ACCOUNT_TYPE_URL: &str = "/cosmos.auth.v1beta1.BaseAccount";
/// Timeout of one RPC request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A non-zero response code of an `abci_query`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query {path} failed: code {code}, codespace {codespace:?}: {log}")]
pub struct AbciQueryError {
    /// Query path.
    pub path: String,
    /// ABCI response code (non-zero).
    pub code: u32,
    /// Module that produced the error.
    pub codespace: String,
    /// Error message of the application.
    pub log: String,
}

impl AbciQueryError {
    /// True when the error means "no such entry" (Cosmos SDK `ErrKeyNotFound`, code 22 in
    /// codespace `sdk`, or gRPC NotFound reported in the log).
    pub fn is_not_found(&self) -> bool {
        (self.code == 22 && self.codespace == "sdk")
            || self.log.contains("not found")
            || self.log.contains("NotFound")
    }
}

/// A committed transaction and its execution result.
#[derive(Debug, Clone)]
pub struct TxResult {
    /// Upper-case hex transaction hash.
    pub hash: String,
    /// Block height.
    pub height: u64,
    /// Execution result code (0 = success).
    pub code: u32,
    /// Codespace of a failure.
    pub codespace: String,
    /// Log of the execution.
    pub log: String,
    /// Gas limit of the tx.
    pub gas_wanted: i64,
    /// Gas consumed.
    pub gas_used: i64,
    /// Raw tx bytes.
    pub tx: Vec<u8>,
    /// Events emitted by the tx, as `(type, [(key, value)])`.
    pub events: Vec<(String, Vec<(String, String)>)>,
}

impl TxResult {
    /// The attribute `key` of the first `kind` event of the tx that has it (e.g. the
    /// `packet_sequence` ibc-go gave a packet in `send_packet`), if there is one.
    pub fn event_attr(&self, kind: &str, key: &str) -> Option<String> {
        self.events
            .iter()
            .filter(|(k, _)| k == kind)
            .flat_map(|(_, attrs)| attrs.iter())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// The result as Cosmos-style JSON (`txhash`, `height`, `code`, `codespace`, `log`,
    /// `gas_wanted`, `gas_used`, `events`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "txhash": self.hash,
            "height": self.height.to_string(),
            "code": self.code,
            "codespace": self.codespace,
            "log": self.log,
            "gas_wanted": self.gas_wanted.to_string(),
            "gas_used": self.gas_used.to_string(),
            "events": self.events.iter().map(|(kind, attrs)| serde_json::json!({
                "type": kind,
                "attributes": attrs.iter().map(|(k, v)| serde_json::json!({ "key": k, "value": v })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// What `/abci_info` reports about the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppInfo {
    /// Last height the application committed.
    pub last_block_height: u64,
    /// The application's app hash after that height.
    pub last_block_app_hash: Vec<u8>,
}

/// tendermint-rpc 0.40 deserializes `last_block_app_hash` of `/abci_info` (base64 in CometBFT's
/// JSON) into the bytes of the base64 text itself; decode such text back into the hash.
fn undo_base64_text(bytes: &[u8]) -> Vec<u8> {
    let is_b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
    if !bytes.is_empty() && bytes.len() % 4 == 0 && bytes.iter().all(is_b64) {
        use base64::{engine::general_purpose::STANDARD, Engine as _};
        if let Ok(decoded) = STANDARD.decode(bytes) {
            return decoded;
        }
    }
    bytes.to_vec()
}

/// Result of `broadcast_tx_sync` (CheckTx).
#[derive(Debug, Clone)]
pub struct BroadcastResult {
    /// Upper-case hex transaction hash.
    pub hash: String,
    /// CheckTx code (0 = accepted into the mempool).
    pub code: u32,
    /// Codespace of a rejection.
    pub codespace: String,
    /// CheckTx log.
    pub log: String,
}

/// The answer of CometBFT's `/block_results`.
pub type BlockResults = block_results::Response;

/// A CometBFT RPC endpoint.
#[derive(Debug, Clone)]
pub struct Node {
    url: String,
    client: HttpClient,
}

impl Node {
    /// Connects (lazily) to the RPC endpoint `url` (`http://`, `https://` or `tcp://host:port`).
    pub fn new(url: &str) -> anyhow::Result<Self> {
        let normalized = match url.strip_prefix("tcp://") {
            Some(rest) => format!("http://{rest}"),
            None if !url.contains("://") => format!("http://{url}"),
            None => url.to_owned(),
        };
        let parsed: HttpClientUrl = normalized.parse().with_context(|| {
            format!("{url:?} is not a valid node URL; use e.g. --node http://127.0.0.1:26657")
        })?;
        let client = HttpClient::builder(parsed)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .with_context(|| format!("cannot create an RPC client for {url}"))?;
        Ok(Self {
            url: normalized,
            client,
        })
    }

    /// The endpoint URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn explain(&self, what: &str, error: tendermint_rpc::Error) -> anyhow::Error {
        match error.detail() {
            ErrorDetail::Http(_) | ErrorDetail::Io(_) | ErrorDetail::Timeout(_) => anyhow::anyhow!(
                "cannot reach the node at {} ({what}: {}). Is the node running? Pass the right --node URL",
                self.url,
                concise(&error)
            ),
            ErrorDetail::Response(e) if e.source.data().is_some_and(|d| d.contains("tx already exists in cache")) => {
                anyhow::anyhow!(
                    "the node at {} already has this exact transaction (same signer, sequence and contents): it is pending or was committed; check with `query tx <hash>` or sign with the next --sequence",
                    self.url
                )
            }
            ErrorDetail::Response(e) => {
                let e = &e.source;
                anyhow::anyhow!(
                    "the node at {} refused {what}: {}{}",
                    self.url,
                    e.message(),
                    e.data().map(|d| format!(": {d}")).unwrap_or_default()
                )
            }
            _ => anyhow::anyhow!("{what} at {} failed: {}", self.url, concise(&error)),
        }
    }

    /// `/status`.
    pub async fn status(&self) -> anyhow::Result<status::Response> {
        self.client
            .status()
            .await
            .map_err(|e| self.explain("/status", e))
    }

    /// `/abci_info`: the application's last committed height and app hash.
    pub async fn abci_info(&self) -> anyhow::Result<AppInfo> {
        let info = self
            .client
            .abci_info()
            .await
            .map_err(|e| self.explain("/abci_info", e))?;
        Ok(AppInfo {
            last_block_height: info.last_block_height.value(),
            last_block_app_hash: undo_base64_text(info.last_block_app_hash.as_bytes()),
        })
    }

    /// The chain id the node reports in `/status`.
    pub async fn chain_id(&self) -> anyhow::Result<String> {
        Ok(self.status().await?.node_info.network.to_string())
    }

    /// `/block` at `height` (latest when `None`).
    pub async fn block(&self, height: Option<u64>) -> anyhow::Result<block::Response> {
        match height {
            Some(h) => {
                let height = tendermint::block::Height::try_from(h)
                    .with_context(|| format!("{h} is not a valid block height"))?;
                self.client
                    .block(height)
                    .await
                    .map_err(|e| self.explain(&format!("/block?height={h}"), e))
            }
            None => self
                .client
                .latest_block()
                .await
                .map_err(|e| self.explain("/block", e)),
        }
    }

    /// `/block_results` at `height` ([`BlockResults`]).
    pub async fn block_results(&self, height: u64) -> anyhow::Result<block_results::Response> {
        let h = tendermint::block::Height::try_from(height)
            .with_context(|| format!("{height} is not a valid block height"))?;
        self.client
            .block_results(h)
            .await
            .map_err(|e| self.explain(&format!("/block_results?height={height}"), e))
    }

    /// `abci_query` of a gRPC method `path` with protobuf `data`, at `height` (0/None = latest).
    /// A non-zero response code is returned as an [`AbciQueryError`] inside the error.
    pub async fn abci_query(
        &self,
        path: &str,
        data: Vec<u8>,
        height: Option<u64>,
    ) -> anyhow::Result<Vec<u8>> {
        let height = match height {
            Some(0) | None => None,
            Some(h) => Some(
                tendermint::block::Height::try_from(h)
                    .with_context(|| format!("{h} is not a valid block height"))?,
            ),
        };
        let response = self
            .client
            .abci_query(Some(path.to_owned()), data, height, false)
            .await
            .map_err(|e| self.explain(&format!("abci_query {path}"), e))?;
        if response.code.is_err() {
            return Err(AbciQueryError {
                path: path.to_owned(),
                code: response.code.value(),
                codespace: response.codespace,
                log: response.log,
            }
            .into());
        }
        Ok(response.value)
    }

    /// `abci_query store/<substore>/key` of `key` at `height` with proof: the value (empty if
    /// absent) and the ICS-23 proofs `[inner, outer]` as an encoded `MerkleProof`.
    ///
    /// Errors: the node is unreachable, a non-zero code, an answer without proof.
    pub async fn store_query_with_proof(
        &self,
        substore: &str,
        key: &str,
        height: u64,
    ) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
        let path = format!("store/{substore}/key");
        let h = tendermint::block::Height::try_from(height)
            .with_context(|| format!("{height} is not a valid block height"))?;
        let response = self
            .client
            .abci_query(Some(path.clone()), key.as_bytes().to_vec(), Some(h), true)
            .await
            .map_err(|e| self.explain(&format!("abci_query {path}"), e))?;
        if response.code.is_err() {
            return Err(AbciQueryError {
                path,
                code: response.code.value(),
                codespace: response.codespace,
                log: response.log,
            }
            .into());
        }
        let ops = response
            .proof
            .with_context(|| format!("the node answered {path} {key} without a proof"))?;
        let proofs = ops
            .ops
            .iter()
            .map(|op| ics23::CommitmentProof::decode(op.data.as_slice()))
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("the proof of {key} is not ICS-23"))?;
        let merkle = ibc_proto::ibc::core::commitment::v1::MerkleProof { proofs };
        Ok((response.value, merkle.encode_to_vec()))
    }

    /// The `BaseAccount` of `address`, or `None` if the chain has no such account.
    pub async fn account(
        &self,
        address: &str,
        height: Option<u64>,
    ) -> anyhow::Result<Option<BaseAccount>> {
        let request = QueryAccountRequest {
            address: address.to_owned(),
        };
        let value = match self
            .abci_query(ACCOUNT_QUERY_PATH, request.encode_to_vec(), height)
            .await
        {
            Ok(value) => value,
            Err(e)
                if e.downcast_ref::<AbciQueryError>()
                    .is_some_and(AbciQueryError::is_not_found) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        if value.is_empty() {
            return Ok(None);
        }
        let response = QueryAccountResponse::decode(value.as_slice()).with_context(|| {
            format!("the node's answer to {ACCOUNT_QUERY_PATH} is not a QueryAccountResponse")
        })?;
        let Some(any) = response.account else {
            return Ok(None);
        };
        if any.type_url != BASE_ACCOUNT_TYPE_URL {
            bail!(
                "account {address} is a {} (only {BASE_ACCOUNT_TYPE_URL} accounts can sign here)",
                any.type_url
            );
        }
        let account = BaseAccount::decode(any.value.as_slice())
            .context("the account in the node's answer is not a valid BaseAccount")?;
        Ok(Some(account))
    }

    /// Every balance of `address` (follows pagination).
    pub async fn all_balances(
        &self,
        address: &str,
        height: Option<u64>,
    ) -> anyhow::Result<Vec<Coin>> {
        let mut coins = Vec::new();
        let mut next_key: Option<Vec<u8>> = None;
        loop {
            let request = QueryAllBalancesRequest {
                address: address.to_owned(),
                pagination: next_key.take().map(|key| PageRequest {
                    key,
                    ..PageRequest::default()
                }),
                resolve_denom: false,
            };
            let value = self
                .abci_query(ALL_BALANCES_QUERY_PATH, request.encode_to_vec(), height)
                .await?;
            let response = QueryAllBalancesResponse::decode(value.as_slice()).with_context(|| {
                format!("the node's answer to {ALL_BALANCES_QUERY_PATH} is not a QueryAllBalancesResponse")
            })?;
            for coin in response.balances {
                let amount = parse_amount(&coin.amount).with_context(|| {
                    format!("the node returned an invalid amount {:?}", coin.amount)
                })?;
                coins.push(Coin {
                    denom: coin.denom,
                    amount,
                });
            }
            match response.pagination {
                Some(page) if !page.next_key.is_empty() => next_key = Some(page.next_key),
                _ => break,
            }
        }
        Ok(coins)
    }

    /// The balance of `address` in `denom` (0 if none).
    pub async fn balance(
        &self,
        address: &str,
        denom: &str,
        height: Option<u64>,
    ) -> anyhow::Result<u128> {
        let request = QueryBalanceRequest {
            address: address.to_owned(),
            denom: denom.to_owned(),
        };
        let value = self
            .abci_query(BALANCE_QUERY_PATH, request.encode_to_vec(), height)
            .await?;
        let response = QueryBalanceResponse::decode(value.as_slice()).with_context(|| {
            format!("the node's answer to {BALANCE_QUERY_PATH} is not a QueryBalanceResponse")
        })?;
        match response.balance {
            Some(coin) => parse_amount(&coin.amount)
                .with_context(|| format!("the node returned an invalid amount {:?}", coin.amount)),
            None => Ok(0),
        }
    }

    /// `broadcast_tx_sync`: submits a signed tx and returns the CheckTx result.
    pub async fn broadcast_sync(&self, tx: Vec<u8>) -> anyhow::Result<BroadcastResult> {
        let response: tx_sync::Response = self
            .client
            .broadcast_tx_sync(tx)
            .await
            .map_err(|e| self.explain("broadcast_tx_sync", e))?;
        Ok(BroadcastResult {
            hash: response.hash.to_string(),
            code: response.code.value(),
            codespace: response.codespace,
            log: response.log,
        })
    }

    /// `/tx?hash=`: the committed tx, or `None` if the node does not know it (yet).
    pub async fn tx(&self, hash: &str) -> anyhow::Result<Option<TxResult>> {
        let parsed = tendermint::Hash::from_hex_upper(
            tendermint::hash::Algorithm::Sha256,
            &hash.to_uppercase(),
        )
        .map_err(|_| anyhow::anyhow!("{hash:?} is not a transaction hash (64 hex characters)"))?;
        match self.client.tx(parsed, false).await {
            Ok(response) => Ok(Some(tx_result(response))),
            Err(e) => match e.detail() {
                ErrorDetail::Response(r)
                    if r.source.data().is_some_and(|d| d.contains("not found")) =>
                {
                    Ok(None)
                }
                _ => Err(self.explain("/tx", e)),
            },
        }
    }

    /// Polls `/tx` until the transaction is committed, at most `timeout`.
    pub async fn wait_for_tx(&self, hash: &str, timeout: Duration) -> anyhow::Result<TxResult> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(result) = self.tx(hash).await? {
                return Ok(result);
            }
            if tokio::time::Instant::now() >= deadline {
                bail!(
                    "transaction {hash} was accepted into the mempool but not committed within {} s; check later with `query tx {hash} --node {}` (is the chain producing blocks?)",
                    timeout.as_secs(),
                    self.url
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

/// The message of a tendermint-rpc error and its causes on one line, without the trace and
/// backtrace its error tracer may append.
fn concise(error: &tendermint_rpc::Error) -> String {
    let text = error.to_string();
    let text = text.split("Location:").next().unwrap_or_default();
    text.lines()
        .map(|line| {
            let line = line.trim();
            // eyre numbers causes as "0: …"
            match line.split_once(": ") {
                Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
                _ => line,
            }
        })
        .filter(|line| !line.is_empty() && *line != "Caused by:")
        .collect::<Vec<_>>()
        .join(": ")
}

fn tx_result(response: tx::Response) -> TxResult {
    let r = response.tx_result;
    TxResult {
        hash: response.hash.to_string(),
        height: response.height.value(),
        code: r.code.value(),
        codespace: r.codespace,
        log: r.log,
        gas_wanted: r.gas_wanted,
        gas_used: r.gas_used,
        tx: response.tx,
        events: r
            .events
            .into_iter()
            .map(|event| {
                let attrs = event
                    .attributes
                    .into_iter()
                    .map(|a| {
                        (
                            a.key_str().unwrap_or_default().to_owned(),
                            a.value_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect();
                (event.kind, attrs)
            })
            .collect(),
    }
}

/// The upper-case hex SHA-256 of raw tx bytes (the CometBFT tx hash).
pub fn tx_hash(tx: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode_upper(Sha256::digest(tx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_urls_are_normalized() {
        assert_eq!(
            Node::new("tcp://127.0.0.1:26657").unwrap().url(),
            "http://127.0.0.1:26657"
        );
        assert_eq!(
            Node::new("127.0.0.1:26657").unwrap().url(),
            "http://127.0.0.1:26657"
        );
        assert!(Node::new("http://").is_err());
    }

    #[test]
    fn app_hash_text_from_abci_info_is_decoded() {
        let hash = [0x57u8, 0xE4, 0x2D, 0x81];
        assert_eq!(undo_base64_text(b"V+QtgQ=="), hash);
        assert_eq!(undo_base64_text(&[0xFF, 0x00]), [0xFF, 0x00]);
        assert_eq!(undo_base64_text(b""), b"");
    }

    #[test]
    fn not_found_errors_are_recognized() {
        let e = AbciQueryError {
            path: ACCOUNT_QUERY_PATH.into(),
            code: 22,
            codespace: "sdk".into(),
            log: "key not found".into(),
        };
        assert!(e.is_not_found());
        let other = AbciQueryError {
            code: 1,
            codespace: "auth".into(),
            log: "internal".into(),
            ..e
        };
        assert!(!other.is_not_found());
    }

    #[test]
    fn the_packet_sequence_comes_from_send_packet() {
        let mut result = TxResult {
            hash: "AB".into(),
            height: 9,
            code: 0,
            codespace: String::new(),
            log: String::new(),
            gas_wanted: 1,
            gas_used: 1,
            tx: vec![],
            events: vec![
                (
                    "message".into(),
                    vec![("packet_sequence".into(), "99".into())],
                ),
                (
                    "send_packet".into(),
                    vec![
                        ("packet_src_port".into(), "transfer".into()),
                        ("packet_sequence".into(), "17".into()),
                    ],
                ),
            ],
        };
        assert_eq!(
            result
                .event_attr("send_packet", "packet_sequence")
                .as_deref(),
            Some("17")
        );
        result.events.remove(1);
        assert_eq!(result.event_attr("send_packet", "packet_sequence"), None);
    }
}
