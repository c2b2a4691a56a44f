//! `query` and `status` commands.

use anyhow::Context as _;
use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use clap::{Args, Subcommand};
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, TxBody, TxRaw};
use prost::Message;
use serde_json::json;

use crate::{
    coins::{format_coins, validate_denom, Coin},
    genesis::resolve_address,
    ibc_query::{self, IbcQuery, TransferQuery},
    output::{explain_query, Lines},
    rpc::Node,
    sign::print_tx_result,
    ChainProfile, CommonArgs, NodeArgs, OutputFormat,
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
    /// Bank balances
    #[command(subcommand)]
    Bank(BankQuery),
    /// An account's number, sequence and public key
    Account {
        /// Address or key name
        account: String,
    },
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
    /// IBC core: clients, connections, channels, packets
    #[command(subcommand)]
    Ibc(IbcQuery),
    /// ICS-20 transfers: denomination traces and hashes, escrow addresses
    #[command(subcommand)]
    IbcTransfer(TransferQuery),
    /// Local software upgrades: the scheduled plan and applied ones
    #[command(subcommand)]
    Upgrade(crate::upgrade::UpgradeQuery),
    /// Upgrades dispatched to spoke chains and their status
    #[command(subcommand)]
    InterchainUpgrade(crate::upgrade::InterchainUpgradeQuery),
    /// Governance: proposals, votes, tallies, params (cosmos.gov.v1)
    #[command(subcommand)]
    Gov(crate::gov::GovQuery),
}

#[derive(Debug, Subcommand)]
enum BankQuery {
    /// All balances of an account
    Balances {
        /// Address or key name
        account: String,
    },
    /// The balance of an account in one denomination
    Balance {
        /// Address or key name
        account: String,
        /// Denomination, e.g. uhub
        denom: String,
    },
}

/// Arguments of `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    node: NodeArgs,
}

fn coins_json(coins: &[Coin]) -> serde_json::Value {
    json!(coins.iter().map(Coin::to_json).collect::<Vec<_>>())
}

/// Runs a `query` subcommand.
pub async fn run(profile: &ChainProfile, args: QueryArgs) -> anyhow::Result<()> {
    let output = args.common.output;
    let keyring = args.common.keyring(profile)?;
    let node = Node::new(&args.node.node)?;
    let height = args.height;
    match args.command {
        QueryCommand::Ibc(query) => return ibc_query::run_ibc(&node, output, height, query).await,
        QueryCommand::Upgrade(q) => {
            return crate::upgrade::run_upgrade_query(&node, output, height, q).await
        }
        QueryCommand::InterchainUpgrade(q) => {
            return crate::upgrade::run_iu_query(&node, output, height, q).await
        }
        QueryCommand::IbcTransfer(query) => {
            return ibc_query::run_transfer(&node, output, height, query).await
        }
        QueryCommand::Gov(query) => {
            return crate::gov::run_query(&node, output, height, query)
                .await
                .map_err(explain_query(output))
        }
        QueryCommand::Bank(BankQuery::Balances { account }) => {
            let address = resolve_address(profile, &keyring, &account)?;
            let coins = node
                .all_balances(&address, height)
                .await
                .map_err(explain_query(output))?;
            output.print(
                &json!({ "address": address, "balances": coins_json(&coins) }),
                || {
                    if coins.is_empty() {
                        format!("{address} has no balance")
                    } else {
                        coins
                            .iter()
                            .map(|c| format!("{} {}", c.amount, c.denom))
                            .collect::<Vec<_>>()
                            .join("\n")
                    }
                },
            );
        }
        QueryCommand::Bank(BankQuery::Balance { account, denom }) => {
            let address = resolve_address(profile, &keyring, &account)?;
            validate_denom(&denom)?;
            let amount = node
                .balance(&address, &denom, height)
                .await
                .map_err(explain_query(output))?;
            output.print(
                &json!({ "address": address, "balance": { "denom": denom, "amount": amount.to_string() } }),
                || format!("{amount} {denom}"),
            );
        }
        QueryCommand::Account { account } => {
            let address = resolve_address(profile, &keyring, &account)?;
            let found = node
                .account(&address, height)
                .await
                .map_err(explain_query(output))?
                .with_context(|| {
                    format!(
                        "account {address} not found on chain: it has never received funds (fund it with `{} tx bank send`)",
                        profile.binary_name
                    )
                })?;
            let pubkey = found.pub_key.as_ref().map(|any| {
                let key = cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey::decode(
                    any.value.as_slice(),
                )
                .map(|k| BASE64.encode(k.key))
                .unwrap_or_else(|_| BASE64.encode(&any.value));
                json!({ "@type": any.type_url, "key": key })
            });
            output.print(
                &json!({
                    "account": {
                        "@type": crate::rpc::BASE_ACCOUNT_TYPE_URL,
                        "address": found.address,
                        "pub_key": pubkey,
                        "account_number": found.account_number.to_string(),
                        "sequence": found.sequence.to_string(),
                    }
                }),
                || {
                    Lines::new()
                        .row("address", &found.address)
                        .row("account number", found.account_number)
                        .row("sequence", found.sequence)
                        .row(
                            "pubkey",
                            pubkey
                                .as_ref()
                                .and_then(|p| p["key"].as_str().map(str::to_owned))
                                .unwrap_or_else(|| {
                                    "(none: the account has not signed a tx yet)".into()
                                }),
                        )
                        .render()
                },
            );
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
                            println!("message:   {}", msg.as_str().unwrap_or_default());
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

/// A short description of raw tx bytes: message type URLs (with MsgSend details), memo, fee.
fn describe_tx(bytes: &[u8]) -> serde_json::Value {
    let Ok(raw) = TxRaw::decode(bytes) else {
        return json!({ "error": "not a cosmos.tx.v1beta1.TxRaw" });
    };
    let body = TxBody::decode(raw.body_bytes.as_slice()).unwrap_or_default();
    let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap_or_default();
    let messages: Vec<String> = body
        .messages
        .iter()
        .map(|any| {
            if any.type_url == crate::tx::MSG_SEND_TYPE_URL {
                if let Ok(send) =
                    cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend::decode(any.value.as_slice())
                {
                    let amount: Vec<_> = send
                        .amount
                        .iter()
                        .map(|c| format!("{}{}", c.amount, c.denom))
                        .collect();
                    return format!(
                        "{} {} → {} {}",
                        any.type_url,
                        send.from_address,
                        send.to_address,
                        amount.join(",")
                    );
                }
            }
            any.type_url.clone()
        })
        .collect();
    let fee = auth.fee.map(|fee| {
        let coins: Vec<_> = fee
            .amount
            .iter()
            .filter_map(|c| {
                Some(Coin {
                    denom: c.denom.clone(),
                    amount: c.amount.parse().ok()?,
                })
            })
            .collect();
        format!("{} (gas limit {})", format_coins(&coins), fee.gas_limit)
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
    use super::*;
    use crate::ibc_query::{ChannelQuery, ClientQuery, ConnectionQuery};

    #[derive(Debug, clap::Parser)]
    struct TestCli {
        #[command(subcommand)]
        command: crate::ClientCommand,
    }

    fn parse(args: &[&str]) -> Result<QueryArgs, clap::Error> {
        use clap::Parser as _;
        let cli = TestCli::try_parse_from(std::iter::once("hubd").chain(args.iter().copied()))?;
        match cli.command {
            crate::ClientCommand::Query(q) => Ok(q),
            other => panic!("not a query: {other:?}"),
        }
    }

    fn ibc(args: &[&str]) -> IbcQuery {
        match parse(args).unwrap().command {
            QueryCommand::Ibc(q) => q,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_command_tree_is_consistent() {
        use clap::CommandFactory as _;
        TestCli::command().debug_assert();
    }

    #[test]
    fn ibc_client_queries_parse() {
        assert!(matches!(
            ibc(&["query", "ibc", "client", "state", "07-tendermint-0"]),
            IbcQuery::Client(ClientQuery::State { client_id }) if client_id == "07-tendermint-0"
        ));
        assert!(matches!(
            ibc(&["query", "ibc", "client", "status", "07-tendermint-1"]),
            IbcQuery::Client(ClientQuery::Status { .. })
        ));
        assert!(parse(&["query", "ibc", "client", "state"]).is_err());
        assert!(parse(&["query", "ibc", "client", "bogus"]).is_err());
    }

    #[test]
    fn ibc_connection_and_channel_queries_parse() {
        assert!(matches!(
            ibc(&["query", "ibc", "connection", "end", "connection-0"]),
            IbcQuery::Connection(ConnectionQuery::End { connection_id }) if connection_id == "connection-0"
        ));
        assert!(matches!(
            ibc(&["query", "ibc", "channel", "end", "transfer", "channel-0"]),
            IbcQuery::Channel(ChannelQuery::End { port, channel }) if port == "transfer" && channel == "channel-0"
        ));
        assert!(matches!(
            ibc(&["query", "ibc", "channel", "channels"]),
            IbcQuery::Channel(ChannelQuery::Channels)
        ));
        assert!(matches!(
            ibc(&[
                "query",
                "ibc",
                "channel",
                "packet-commitments",
                "transfer",
                "channel-0"
            ]),
            IbcQuery::Channel(ChannelQuery::PacketCommitments { .. })
        ));
        assert!(parse(&["query", "ibc", "channel", "end", "transfer"]).is_err());
    }

    #[test]
    fn ibc_transfer_queries_parse_with_global_flags() {
        let q = parse(&[
            "query",
            "ibc-transfer",
            "denom-trace",
            "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
            "--height",
            "12",
            "-o",
            "json",
        ])
        .unwrap();
        assert_eq!(q.height, Some(12));
        assert_eq!(q.common.output, OutputFormat::Json);
        assert!(matches!(
            q.command,
            QueryCommand::IbcTransfer(TransferQuery::DenomTrace { .. })
        ));
    }
}
