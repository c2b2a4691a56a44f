//! `query` and `status` commands.

use anyhow::Context as _;
use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use clap::{Args, Subcommand};
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, TxBody, TxRaw};
use prost::Message;
use serde_json::json;

use crate::{
    autocli::{expand_anys, proto_names},
    output::Lines,
    rpc::Node,
    sign::print_tx_result,
    CommonArgs, NodeArgs, OutputFormat,
};

/// `query` command group.
#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    node: NodeArgs,
    /// Query state at this block height [default: latest]
    #[arg(long, global = true, value_name = "N")]
    height: Option<u64>,
    #[command(subcommand)]
    command: QueryCommand,
}

#[derive(Debug, Subcommand)]
enum QueryCommand {
    /// A committed transaction by hash
    Tx {
        /// Transaction hash (64 hex characters)
        hash: String,
    },
    /// A block (latest if no height is given)
    Block {
        /// Block height
        height: Option<u64>,
    },
    /// Upgrades dispatched to spoke chains and their status
    #[command(subcommand)]
    InterchainUpgrade(crate::upgrade::InterchainUpgradeQuery),
}

/// Arguments of `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    node: NodeArgs,
}

/// Runs a `query` subcommand.
pub async fn run(args: QueryArgs) -> anyhow::Result<()> {
    let output = args.common.output;
    let node = Node::new(&args.node.node)?;
    let height = args.height;
    match args.command {
        QueryCommand::InterchainUpgrade(q) => {
            return crate::upgrade::run_iu_query(&node, output, height, q).await
        }
        QueryCommand::Tx { hash } => {
            let result = node.tx(&hash).await?.with_context(|| {
                format!(
                    "transaction {hash} not found on {}: it is not committed (yet), or the node does not index transactions (config.toml [tx_index] indexer = \"kv\")",
                    node.url()
                )
            })?;
            match output {
                OutputFormat::Json => {
                    let mut value = result.to_json();
                    value["tx"] = json!(BASE64.encode(&result.tx));
                    value["tx_summary"] = describe_tx(&result.tx);
                    println!("{value}");
                }
                OutputFormat::Text => {
                    print_tx_result(output, &result);
                    let summary = describe_tx(&result.tx);
                    if let Some(msgs) = summary["messages"].as_array() {
                        for msg in msgs {
                            println!("message:   {msg}");
                        }
                    }
                    if let Some(memo) = summary["memo"].as_str().filter(|m| !m.is_empty()) {
                        println!("memo:      {memo}");
                    }
                    if let Some(fee) = summary["fee"].as_str() {
                        println!("fee:       {fee}");
                    }
                    if result.code == 0 {
                        println!("log:       {}", result.log);
                    }
                    for (kind, attrs) in &result.events {
                        let attrs: Vec<_> = attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                        println!("event:     {kind} {}", attrs.join(" "));
                    }
                }
            }
        }
        QueryCommand::Block {
            height: block_height,
        } => {
            let response = node.block(block_height.or(height)).await?;
            match output {
                OutputFormat::Json => {
                    let value = serde_json::to_value(&response)
                        .context("cannot encode the block as JSON")?;
                    println!("{value}");
                }
                OutputFormat::Text => {
                    let header = &response.block.header;
                    let txs = response
                        .block
                        .data
                        .iter()
                        .map(|tx| crate::rpc::tx_hash(tx))
                        .collect::<Vec<_>>();
                    let mut lines = Lines::new()
                        .row("height", header.height)
                        .row("time", header.time)
                        .row("hash", response.block_id.hash)
                        .row("chain id", &header.chain_id)
                        .row("proposer", header.proposer_address)
                        .row("app hash", hex::encode_upper(header.app_hash.as_bytes()))
                        .row("txs", txs.len());
                    for hash in &txs {
                        lines = lines.row("tx", hash);
                    }
                    print!("{}", lines.render());
                }
            }
        }
    }
    Ok(())
}

/// The messages (`{"@type", …fields}` where the type is known), memo and fee of raw tx bytes.
fn describe_tx(bytes: &[u8]) -> serde_json::Value {
    let Ok(raw) = TxRaw::decode(bytes) else {
        return json!({ "error": "not a cosmos.tx.v1beta1.TxRaw" });
    };
    let body = TxBody::decode(raw.body_bytes.as_slice()).unwrap_or_default();
    let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap_or_default();
    let messages: Vec<_> = (body.messages.iter())
        .map(|m| json!({ "typeUrl": m.type_url, "value": BASE64.encode(&m.value) }))
        .map(|any| proto_names(expand_anys(any)))
        .collect();
    let fee = auth.fee.map(|fee| {
        let coins: Vec<_> = (fee.amount.iter())
            .map(|c| format!("{}{}", c.amount, c.denom))
            .collect();
        format!("{} (gas limit {})", coins.join(","), fee.gas_limit)
    });
    json!({ "messages": messages, "memo": body.memo, "fee": fee })
}

/// Runs `status`.
pub async fn run_status(args: StatusArgs) -> anyhow::Result<()> {
    let node = Node::new(&args.node.node)?;
    let status = node.status().await?;
    let sync = &status.sync_info;
    let app_hash = hex::encode_upper(sync.latest_app_hash.as_bytes());
    let value = json!({
        "chain_id": status.node_info.network.to_string(),
        "node_id": status.node_info.id.to_string(),
        "moniker": status.node_info.moniker.to_string(),
        "latest_block_height": sync.latest_block_height.value().to_string(),
        "latest_block_hash": sync.latest_block_hash.to_string(),
        "latest_block_time": sync.latest_block_time.to_rfc3339(),
        "latest_app_hash": app_hash,
        "catching_up": sync.catching_up,
        "voting_power": status.validator_info.power.value().to_string(),
    });
    args.common.output.print(&value, || {
        Lines::new()
            .row("chain id", &status.node_info.network)
            .row("node id", status.node_info.id)
            .row("moniker", &status.node_info.moniker)
            .row("latest height", sync.latest_block_height)
            .row("latest block time", sync.latest_block_time.to_rfc3339())
            .row("app hash", &app_hash)
            .row("catching up", sync.catching_up)
            .row("voting power", status.validator_info.power)
            .render()
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::TestCli;

    #[test]
    fn a_tx_is_described_with_its_decoded_messages() {
        let mnemonic = format!("{} about", ["abandon"; 11].join(" "));
        let key = crate::keyring::DerivedKey::from_mnemonic(&mnemonic).unwrap();
        let send = crate::tx::msg_send(
            "hub1a",
            "hub1b",
            &crate::coins::parse_coins("5uhub").unwrap(),
        );
        let options = crate::tx::TxOptions {
            fee: vec![],
            gas: 1,
            memo: "m".into(),
        };
        let signer = crate::tx::SignerData {
            chain_id: "c".into(),
            account_number: 0,
            sequence: 0,
        };
        let summary =
            super::describe_tx(&crate::tx::sign_tx(&key, vec![send], &options, &signer).unwrap());
        assert_eq!(
            summary["messages"][0]["@type"],
            "/cosmos.bank.v1beta1.MsgSend"
        );
        assert_eq!(
            (&summary["messages"][0]["to_address"], &summary["memo"]),
            (&"hub1b".into(), &"m".into())
        );
    }

    #[test]
    fn the_command_tree_is_consistent() {
        use clap::CommandFactory as _;
        TestCli::command().debug_assert();
    }
}
