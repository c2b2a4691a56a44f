//! `query ibc …` and `query ibc-transfer …`: IBC core and ICS-20 queries, named as in ibc-go
//! v8's CLI, made through gRPC-over-ABCI (see [`crate::ibc`]).

use clap::Subcommand;
use serde_json::json;

use crate::{
    ibc::{
        abci_error_in, channel_json, channel_order_name, channel_state_name, client_state_json,
        connection_json, connection_state_name, final_page_json, height_json,
        identified_channel_json, packet_state_json, proof_fields, summarize_client_state,
        IbcQueryError,
    },
    ics20::parse_trace_hash,
    output::Lines,
    rpc::Node,
    OutputFormat,
};

/// `query ibc`: IBC core state (clients, connections, channels, packets).
#[derive(Debug, Subcommand)]
pub enum IbcQuery {
    /// Light clients (ICS-02)
    #[command(subcommand)]
    Client(ClientQuery),
    /// Connections (ICS-03)
    #[command(subcommand)]
    Connection(ConnectionQuery),
    /// Channels and packets (ICS-04)
    #[command(subcommand)]
    Channel(ChannelQuery),
}

/// `query ibc client …`.
#[derive(Debug, Subcommand)]
pub enum ClientQuery {
    /// A client's state: type, counterparty chain id, latest height, status, trusting period
    State {
        /// Client identifier, e.g. 07-tendermint-0
        client_id: String,
    },
    /// A client's status: Active, Expired, Frozen or Unknown
    Status {
        /// Client identifier, e.g. 07-tendermint-0
        client_id: String,
    },
}

/// `query ibc connection …`.
#[derive(Debug, Subcommand)]
pub enum ConnectionQuery {
    /// A connection end: state, client, counterparty, versions, delay
    End {
        /// Connection identifier, e.g. connection-0
        connection_id: String,
    },
}

/// `query ibc channel …`.
#[derive(Debug, Subcommand)]
pub enum ChannelQuery {
    /// A channel end: state, ordering, version, counterparty, connection hops
    End {
        /// Port identifier, e.g. transfer
        port: String,
        /// Channel identifier, e.g. channel-0
        channel: String,
    },
    /// Every channel end
    Channels,
    /// Commitments of packets sent on a channel and not yet acknowledged or timed out
    PacketCommitments {
        /// Port identifier, e.g. transfer
        port: String,
        /// Channel identifier, e.g. channel-0
        channel: String,
    },
    /// The sequence of the next packet a channel end will receive (ORDERED channels)
    NextSequenceReceive {
        /// Port identifier, e.g. ping
        port: String,
        /// Channel identifier, e.g. channel-1
        channel: String,
    },
}

/// `query ibc-transfer …`: ICS-20 denominations and escrow accounts.
#[derive(Debug, Subcommand)]
pub enum TransferQuery {
    /// The trace (path and base denomination) of an ibc/{hash} denomination
    DenomTrace {
        /// The hash, with or without ibc/ (64 hex characters)
        hash: String,
    },
}

/// Prints the code, codespace and log of a failed query as JSON in JSON mode (the text form
/// is the error itself) and hands the error back.
fn report(output: OutputFormat) -> impl Fn(anyhow::Error) -> anyhow::Error {
    move |error| {
        if output == OutputFormat::Json {
            if let Some(q) = abci_error_in(&error) {
                println!(
                    "{}",
                    json!({ "path": q.path, "code": q.code, "codespace": q.codespace, "log": q.log, "error": format!("{error}") })
                );
            }
        }
        error
    }
}

/// Aligned columns under a header.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<String>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                let width = widths.get(i).copied().unwrap_or(0);
                let pad = width.saturating_sub(cell.chars().count()) + 2;
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(header.iter().map(|h| (*h).to_owned()).collect());
    for row in rows {
        out.push_str(&line(row.clone()));
    }
    out
}

fn or_none(text: &str) -> String {
    if text.is_empty() {
        "(none)".into()
    } else {
        text.to_owned()
    }
}

/// Runs a `query ibc` subcommand at `height` (latest if `None`).
pub async fn run_ibc(
    node: &Node,
    output: OutputFormat,
    height: Option<u64>,
    query: IbcQuery,
) -> anyhow::Result<()> {
    let report = report(output);
    match query {
        IbcQuery::Client(ClientQuery::State { client_id }) => {
            let r = node
                .ibc_client_state(&client_id, height)
                .await
                .map_err(&report)?;
            let any = r.client_state.as_ref().ok_or(IbcQueryError::Missing {
                path: crate::ibc::CLIENT_STATE_PATH,
                field: "client_state",
            })?;
            match output {
                OutputFormat::Json => {
                    let (proof, proof_height) = proof_fields(&r.proof, r.proof_height.as_ref());
                    println!(
                        "{}",
                        json!({ "client_state": client_state_json(any), "proof": proof, "proof_height": proof_height })
                    );
                }
                OutputFormat::Text => {
                    let status = node
                        .ibc_client_status(&client_id, height)
                        .await
                        .unwrap_or_else(|e| format!("unknown ({e:#})"));
                    print!("{}", client_lines(&client_id, any, Some(&status)).render());
                }
            }
        }
        IbcQuery::Client(ClientQuery::Status { client_id }) => {
            let status = node
                .ibc_client_status(&client_id, height)
                .await
                .map_err(&report)?;
            output.print(&json!({ "status": status }), || status.clone());
        }
        IbcQuery::Connection(ConnectionQuery::End { connection_id }) => {
            let r = node
                .ibc_connection(&connection_id, height)
                .await
                .map_err(&report)?;
            let c = r.connection.as_ref().ok_or(IbcQueryError::Missing {
                path: crate::ibc::CONNECTION_PATH,
                field: "connection",
            })?;
            let (proof, proof_height) = proof_fields(&r.proof, r.proof_height.as_ref());
            output.print(
                &json!({ "connection": connection_json(c), "proof": proof, "proof_height": proof_height }),
                || {
                    let cp = c.counterparty.clone().unwrap_or_default();
                    Lines::new()
                        .row("connection id", &connection_id)
                        .row("state", connection_state_name(c.state))
                        .row("client id", &c.client_id)
                        .row("counterparty connection", or_none(&cp.connection_id))
                        .row("counterparty client", or_none(&cp.client_id))
                        .row(
                            "counterparty prefix",
                            cp.prefix
                                .map(|p| String::from_utf8_lossy(&p.key_prefix).into_owned())
                                .unwrap_or_else(|| "(none)".into()),
                        )
                        .row(
                            "versions",
                            c.versions
                                .iter()
                                .map(|v| format!("{} [{}]", v.identifier, v.features.join(", ")))
                                .collect::<Vec<_>>()
                                .join("; "),
                        )
                        .row("delay period", format!("{} ns", c.delay_period))
                        .render()
                },
            );
        }
        IbcQuery::Channel(ChannelQuery::End { port, channel }) => {
            let r = node
                .ibc_channel(&port, &channel, height)
                .await
                .map_err(&report)?;
            let c = r.channel.as_ref().ok_or(IbcQueryError::Missing {
                path: crate::ibc::CHANNEL_PATH,
                field: "channel",
            })?;
            let (proof, proof_height) = proof_fields(&r.proof, r.proof_height.as_ref());
            output.print(
                &json!({ "channel": channel_json(c), "proof": proof, "proof_height": proof_height }),
                || {
                    let cp = c.counterparty.clone().unwrap_or_default();
                    Lines::new()
                        .row("channel", format!("{port}/{channel}"))
                        .row("state", channel_state_name(c.state))
                        .row("ordering", channel_order_name(c.ordering))
                        .row("version", or_none(&c.version))
                        .row(
                            "counterparty",
                            format!("{}/{}", cp.port_id, or_none(&cp.channel_id)),
                        )
                        .row("connection hops", c.connection_hops.join(", "))
                        .row("upgrade sequence", c.upgrade_sequence)
                        .render()
                },
            );
        }
        IbcQuery::Channel(ChannelQuery::Channels) => {
            let (channels, h) = node.ibc_channels(height).await.map_err(&report)?;
            match output {
                OutputFormat::Json => println!(
                    "{}",
                    json!({
                        "channels": channels.iter().map(identified_channel_json).collect::<Vec<_>>(),
                        "pagination": final_page_json(channels.len()),
                        "height": height_json(h.as_ref()),
                    })
                ),
                OutputFormat::Text if channels.is_empty() => println!("no IBC channels"),
                OutputFormat::Text => {
                    let rows: Vec<Vec<String>> = channels
                        .iter()
                        .map(|c| {
                            let cp = c.counterparty.clone().unwrap_or_default();
                            vec![
                                format!("{}/{}", c.port_id, c.channel_id),
                                channel_state_name(c.state),
                                channel_order_name(c.ordering),
                                or_none(&c.version),
                                format!("{}/{}", cp.port_id, or_none(&cp.channel_id)),
                                c.connection_hops.join(","),
                            ]
                        })
                        .collect();
                    print!(
                        "{}",
                        table(
                            &[
                                "CHANNEL",
                                "STATE",
                                "ORDERING",
                                "VERSION",
                                "COUNTERPARTY",
                                "CONNECTION HOPS"
                            ],
                            &rows
                        )
                    );
                }
            }
        }
        IbcQuery::Channel(ChannelQuery::PacketCommitments { port, channel }) => {
            let (commitments, h) = node
                .ibc_packet_commitments(&port, &channel, height)
                .await
                .map_err(&report)?;
            match output {
                OutputFormat::Json => println!(
                    "{}",
                    json!({
                        "commitments": commitments.iter().map(packet_state_json).collect::<Vec<_>>(),
                        "pagination": final_page_json(commitments.len()),
                        "height": height_json(h.as_ref()),
                    })
                ),
                OutputFormat::Text if commitments.is_empty() => {
                    println!("no packet commitments on {port}/{channel}")
                }
                OutputFormat::Text => {
                    let rows: Vec<Vec<String>> = commitments
                        .iter()
                        .map(|p| vec![p.sequence.to_string(), hex::encode_upper(&p.data)])
                        .collect();
                    print!("{}", table(&["SEQUENCE", "COMMITMENT"], &rows));
                }
            }
        }
        IbcQuery::Channel(ChannelQuery::NextSequenceReceive { port, channel }) => {
            let r = node
                .ibc_next_sequence_receive(&port, &channel, height)
                .await
                .map_err(&report)?;
            let (proof, proof_height) = proof_fields(&r.proof, r.proof_height.as_ref());
            output.print(
                &json!({
                    "next_sequence_receive": r.next_sequence_receive.to_string(),
                    "proof": proof,
                    "proof_height": proof_height,
                }),
                || r.next_sequence_receive.to_string(),
            );
        }
    }
    Ok(())
}

/// The text lines of a client state.
fn client_lines(
    client_id: &str,
    any: &ibc_proto::google::protobuf::Any,
    status: Option<&str>,
) -> Lines {
    let s = summarize_client_state(client_id, any);
    let mut lines = Lines::new()
        .row("client id", client_id)
        .row("client type", &s.client_type);
    if let Some(chain_id) = &s.chain_id {
        lines = lines.row("chain id", chain_id);
    }
    if let Some(h) = s.latest_height {
        lines = lines.row("latest height", h);
    }
    if let Some(status) = status {
        lines = lines.row("status", status);
    }
    if let Some(p) = &s.trusting_period {
        lines = lines.row("trusting period", p);
    }
    if let Some(h) = s.frozen_height {
        lines = lines.row("frozen height", h);
    }
    lines
}

/// Runs a `query ibc-transfer` subcommand at `height` (latest if `None`).
pub async fn run_transfer(
    node: &Node,
    output: OutputFormat,
    height: Option<u64>,
    query: TransferQuery,
) -> anyhow::Result<()> {
    let report = report(output);
    match query {
        TransferQuery::DenomTrace { hash } => {
            let hash = parse_trace_hash(&hash).map_err(anyhow::Error::msg)?;
            let trace = node.ibc_denom_trace(&hash, height).await.map_err(&report)?;
            let local = crate::ics20::DenomTrace {
                path: trace.path.clone(),
                base_denom: trace.base_denom.clone(),
            };
            output.print(
                &json!({ "denom_trace": { "path": trace.path, "base_denom": trace.base_denom } }),
                || {
                    Lines::new()
                        .row("denom", local.ibc_denom())
                        .row("path", or_none(&trace.path))
                        .row("base denom", &trace.base_denom)
                        .render()
                },
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns() {
        let out = table(
            &["ID", "STATE"],
            &[
                vec!["channel-10".into(), "STATE_OPEN".into()],
                vec!["c".into(), "STATE_INIT".into()],
            ],
        );
        assert_eq!(
            out,
            "ID          STATE\nchannel-10  STATE_OPEN\nc           STATE_INIT\n"
        );
    }
}
