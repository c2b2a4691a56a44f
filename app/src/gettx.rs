//! `cosmos.tx.v1beta1.Service/GetTx`: a committed transaction and its result, read from
//! CometBFT's tx index (as the Cosmos SDK does), served over gRPC only.

use base64::Engine;
use cosmos_sdk_proto::cosmos::base::abci::v1beta1::TxResponse;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{GetTxRequest, GetTxResponse, Tx};
use prost::Message;
use serde_json::Value;
use tonic::Status;

/// Looks `req.hash` (hex) up at the CometBFT RPC `rpc` (`http://host:port`).
///
/// Errors: InvalidArgument for a malformed hash, NotFound if CometBFT has no such tx,
/// Unavailable if CometBFT does not answer.
pub async fn get_tx(rpc: &str, req: &GetTxRequest) -> Result<GetTxResponse, Status> {
    let hash = req.hash.trim_start_matches("0x");
    if hash.len() != 64 || hex::decode(hash).is_err() {
        return Err(Status::invalid_argument(format!(
            "tx hash {:?} is not 32 bytes of hex",
            req.hash
        )));
    }
    let url = format!("{}/tx?hash=0x{hash}", rpc.trim_end_matches('/'));
    let body: Value = reqwest::get(&url)
        .await
        .map_err(|e| Status::unavailable(format!("CometBFT RPC {rpc}: {e}")))?
        .json()
        .await
        .map_err(|e| Status::unavailable(format!("CometBFT RPC {rpc}: {e}")))?;
    let Some(r) = body.get("result") else {
        return Err(Status::not_found(format!("tx {hash} not found")));
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let raw = b64
        .decode(r["tx"].as_str().unwrap_or_default())
        .map_err(|e| Status::internal(e.to_string()))?;
    let tx = Tx::decode(raw.as_slice()).map_err(|e| Status::internal(format!("stored tx: {e}")))?;
    let res = &r["tx_result"];
    let num = |v: &Value| {
        v.as_str()
            .and_then(|s| s.parse::<i64>().ok())
            .or(v.as_i64())
            .unwrap_or(0)
    };
    let events = res["events"]
        .as_array()
        .map(|evs| {
            evs.iter()
                .map(|e| tendermint_proto::abci::Event {
                    r#type: e["type"].as_str().unwrap_or_default().into(),
                    attributes: e["attributes"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .map(|kv| tendermint_proto::abci::EventAttribute {
                                    key: kv["key"].as_str().unwrap_or_default().into(),
                                    value: kv["value"].as_str().unwrap_or_default().into(),
                                    index: kv["index"].as_bool().unwrap_or(false),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let tx_response = TxResponse {
        height: num(&r["height"]),
        txhash: hash.to_uppercase(),
        codespace: res["codespace"].as_str().unwrap_or_default().into(),
        code: num(&res["code"]) as u32,
        data: String::new(),
        raw_log: res["log"].as_str().unwrap_or_default().into(),
        logs: vec![],
        info: res["info"].as_str().unwrap_or_default().into(),
        gas_wanted: num(&res["gas_wanted"]),
        gas_used: num(&res["gas_used"]),
        tx: Some(cosmos_sdk_proto::Any {
            type_url: "/cosmos.tx.v1beta1.Tx".into(),
            value: raw,
        }),
        timestamp: String::new(),
        events,
    };
    Ok(GetTxResponse {
        tx: Some(tx),
        tx_response: Some(tx_response),
    })
}
