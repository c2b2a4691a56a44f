//! The hand-written `tx` commands: ICS-20 transfers and pings with relative packet timeouts,
//! and the routing of `tx gov` and `tx interchain-upgrade`; signing and broadcasting are
//! [`crate::sign`]'s, every other `tx` command is generated ([`crate::autocli`]).
//!
//! The client layer's message builders ([`msg_send`], [`msg_transfer`]) and [`sign_tx`] are
//! re-exported here for programs that build transactions without the command line (the
//! localnet load generator).

use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};
use cosmrs::Any;
use prost::Message;

use crate::{
    coins::{parse_coins, Coin},
    ibc::{
        now_unix_ns, resolve_timeouts, validate_channel_id, validate_port_id, IbcHeight,
        TimeoutError, TimeoutFlags, DEFAULT_PACKET_TIMEOUT_HEIGHT,
        DEFAULT_PACKET_TIMEOUT_TIMESTAMP_NS, MAX_MEMO_LENGTH, MAX_RECEIVER_LENGTH,
    },
    ics20::transfer_denom,
    rpc::{Node, TxResult},
    ChainProfile, CommonArgs, NodeArgs,
};

pub use crate::sign::{
    msg_send, msg_transfer, print_tx_result, print_tx_result_with, sign_tx, SignerData, Transfer,
    TxOptions, COMMIT_TIMEOUT, DEFAULT_FEE_AMOUNT, DEFAULT_GAS, MSG_SEND_TYPE_URL,
    MSG_TRANSFER_TYPE_URL,
};
use crate::sign::{Sender, Submission, TxFlags};

/// `tx` command group.
#[derive(Debug, Args)]
pub struct TxArgs {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    node: NodeArgs,
    #[command(subcommand)]
    command: TxCommand,
}

#[derive(Debug, Subcommand)]
enum TxCommand {
    /// ICS-20 fungible token transfers over IBC
    #[command(subcommand)]
    IbcTransfer(IbcTransferTx),
    /// Diagnostic packets on the `ping` port, which accepts every channel ordering
    #[command(subcommand)]
    Ping(PingTx),
    /// Upgrades of spoke chains dispatched by hub governance
    #[command(subcommand)]
    InterchainUpgrade(crate::upgrade::InterchainUpgradeTx),
    /// Governance: proposals, deposits, votes (cosmos.gov.v1)
    #[command(subcommand)]
    Gov(crate::gov::GovTx),
}

#[derive(Debug, Subcommand)]
enum PingTx {
    /// Send a ping packet (hub.ping.v1.MsgSendPing) on a `ping` channel; the receiver acks it,
    /// or answers an error ack for the data `fail`
    Send(PingArgs),
}

#[derive(Debug, Args)]
struct PingArgs {
    /// Sending channel end on port `ping`, e.g. channel-1
    channel: String,
    /// Packet data (text, non-empty)
    data: String,
    /// Name of the sending key (in the keyring of --home)
    #[arg(long, value_name = "KEY")]
    from: String,
    #[command(flatten)]
    timeouts: PacketTimeoutArgs,
    #[command(flatten)]
    flags: TxFlags,
}

#[derive(Debug, Subcommand)]
enum IbcTransferTx {
    /// Transfer a fungible token through IBC (MsgTransfer). Timeouts are relative to the
    /// counterparty client's latest height and time unless --absolute-timeouts is given
    Transfer(TransferArgs),
}

/// Packet timeout options shared by the commands that send packets.
#[derive(Debug, Args)]
struct PacketTimeoutArgs {
    /// Timeout height on the counterparty as {revision}-{height}; relative to the client's
    /// latest height unless --absolute-timeouts; 0-0 disables it
    #[arg(long, value_name = "REV-H", default_value = DEFAULT_PACKET_TIMEOUT_HEIGHT)]
    packet_timeout_height: String,
    /// Timeout in nanoseconds; relative (added to the later of the local clock and the
    /// client's latest consensus time) unless --absolute-timeouts; 0 disables it
    #[arg(long, value_name = "NS", default_value_t = DEFAULT_PACKET_TIMEOUT_TIMESTAMP_NS)]
    packet_timeout_timestamp: u64,
    /// Use --packet-timeout-height and --packet-timeout-timestamp as absolute values
    #[arg(long)]
    absolute_timeouts: bool,
}

impl PacketTimeoutArgs {
    /// The absolute timeouts of a packet sent on `port`/`channel`: as given, or relative to
    /// the counterparty client's latest height and time (read through the node), as ibc-go's
    /// CLI does.
    ///
    /// Errors: a malformed height, both timeouts zero, the counterparty view unavailable.
    async fn resolve(
        &self,
        node: &Node,
        port: &str,
        channel: &str,
    ) -> anyhow::Result<(IbcHeight, u64)> {
        let flags = TimeoutFlags {
            height: self
                .packet_timeout_height
                .parse::<IbcHeight>()
                .context("invalid --packet-timeout-height")?,
            timestamp_ns: self.packet_timeout_timestamp,
            absolute: self.absolute_timeouts,
        };
        if flags.height.is_zero() && flags.timestamp_ns == 0 {
            return Err(TimeoutError::BothZero.into());
        }
        let view = if flags.absolute {
            None
        } else {
            let (_, view) = node
                .ibc_counterparty_view(port, channel)
                .await
                .with_context(|| {
                    format!(
                        "cannot read the counterparty's latest height and time for relative timeouts on {port}/{channel} (or pass --absolute-timeouts)"
                    )
                })?;
            Some(view)
        };
        Ok(resolve_timeouts(&flags, view.as_ref(), now_unix_ns())?)
    }
}

#[derive(Debug, Args)]
struct TransferArgs {
    /// Port of the sending channel end, normally `transfer`
    src_port: String,
    /// Sending channel end on this chain, e.g. channel-0
    src_channel: String,
    /// Receiver address on the counterparty chain (any bech32 prefix; not checked here)
    receiver: String,
    /// One coin, e.g. 1000uhub, 5ibc/27394FB0… or 5transfer/channel-0/uspoke (a trace is sent
    /// as its ibc/{hash} voucher denomination)
    #[arg(allow_hyphen_values = true)]
    amount: String,
    /// Name of the sending key (in the keyring of --home)
    #[arg(long, value_name = "KEY")]
    from: String,
    #[command(flatten)]
    timeouts: PacketTimeoutArgs,
    /// Memo of the packet (ICS-20 memo, read by the receiving chain)
    #[arg(long, default_value = "")]
    memo: String,
    /// Memo of the transaction
    #[arg(long, default_value = "")]
    note: String,
    #[command(flatten)]
    flags: TxFlags,
}

/// Runs a `tx` subcommand.
pub async fn run(profile: &ChainProfile, args: TxArgs) -> anyhow::Result<()> {
    let keyring = args.common.keyring(profile)?;
    let node = Node::new(&args.node.node)?;
    let sender = &Sender {
        profile,
        keyring: &keyring,
        node: &node,
        output: args.common.output,
    };
    match args.command {
        TxCommand::IbcTransfer(IbcTransferTx::Transfer(t)) => transfer(sender, t).await,
        TxCommand::Ping(PingTx::Send(p)) => ping(sender, p).await,
        TxCommand::InterchainUpgrade(t) => crate::upgrade::run_tx(sender, t).await,
        TxCommand::Gov(g) => crate::gov::run_tx(sender, g).await,
    }
}

async fn transfer(sender: &Sender<'_>, t: TransferArgs) -> anyhow::Result<()> {
    let address = sender.address(&t.from)?;
    validate_port_id(&t.src_port)?;
    validate_channel_id(&t.src_channel)?;
    let receiver = t.receiver.trim().to_owned();
    if receiver.is_empty() {
        bail!("the receiver address cannot be empty");
    }
    if receiver.len() > MAX_RECEIVER_LENGTH {
        bail!(
            "the receiver address is {} bytes long; ibc-go accepts at most {MAX_RECEIVER_LENGTH}",
            receiver.len()
        );
    }
    if t.memo.len() > MAX_MEMO_LENGTH {
        bail!(
            "the packet memo is {} bytes long; ibc-go accepts at most {MAX_MEMO_LENGTH}",
            t.memo.len()
        );
    }
    let coins = parse_coins(&t.amount).context("invalid amount to transfer")?;
    let [coin] = coins.as_slice() else {
        bail!(
            "{:?} has {} coins; an IBC transfer sends exactly one, e.g. 1000{}",
            t.amount,
            coins.len(),
            sender.profile.denom
        );
    };
    let token = Coin {
        denom: transfer_denom(&coin.denom),
        amount: coin.amount,
    };
    let (timeout_height, timeout_timestamp_ns) = t
        .timeouts
        .resolve(sender.node, &t.src_port, &t.src_channel)
        .await?;
    let msg = Transfer {
        source_port: t.src_port.clone(),
        source_channel: t.src_channel.clone(),
        token: token.clone(),
        sender: address,
        receiver: receiver.clone(),
        timeout_height,
        timeout_timestamp_ns,
        memo: t.memo,
    };
    let submission = Submission {
        msgs: vec![msg_transfer(&msg)],
        memo: t.note,
        summary: format!(
            "{token} → {receiver} over {}/{} (timeout height {timeout_height}, timeout timestamp {timeout_timestamp_ns})",
            t.src_port, t.src_channel
        ),
    };
    let extras = |result: &TxResult| {
        vec![
            packet_sequence(result),
            ("timeout_height", Some(timeout_height.to_string())),
            ("timeout_timestamp", Some(timeout_timestamp_ns.to_string())),
        ]
    };
    sender.submit(&t.from, submission, &t.flags, extras).await
}

/// The `packet_sequence` ibc-go gave the packet a tx sent (its `send_packet` event), as the
/// output field of the same name.
fn packet_sequence(result: &TxResult) -> (&'static str, Option<String>) {
    let sequence = result.event_attr("send_packet", "packet_sequence");
    ("packet_sequence", sequence)
}

/// Type URL of `MsgSendPing`.
pub const MSG_SEND_PING_TYPE_URL: &str = "/hub.ping.v1.MsgSendPing";

async fn ping(sender: &Sender<'_>, p: PingArgs) -> anyhow::Result<()> {
    let address = sender.address(&p.from)?;
    validate_channel_id(&p.channel)?;
    if p.data.is_empty() {
        bail!("the ping data cannot be empty");
    }
    let (timeout_height, timeout_timestamp_ns) =
        p.timeouts.resolve(sender.node, "ping", &p.channel).await?;
    let msg = hub_proto::ping::v1::MsgSendPing {
        sender: address,
        source_channel: p.channel.clone(),
        data: p.data.clone().into_bytes(),
        timeout_revision_number: timeout_height.revision_number,
        timeout_revision_height: timeout_height.revision_height,
        timeout_timestamp: timeout_timestamp_ns,
    };
    let submission = Submission {
        msgs: vec![Any {
            type_url: MSG_SEND_PING_TYPE_URL.to_owned(),
            value: msg.encode_to_vec(),
        }],
        memo: String::new(),
        summary: format!("ping {:?} over ping/{}", p.data, p.channel),
    };
    let extras = |result: &TxResult| vec![packet_sequence(result)];
    sender.submit(&p.from, submission, &p.flags, extras).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TestCli;

    fn parse_tx(args: &[&str]) -> Result<TxArgs, clap::Error> {
        use clap::Parser as _;
        let cli = TestCli::try_parse_from(std::iter::once("hubd").chain(args.iter().copied()))?;
        match cli.command {
            crate::ClientCommand::Tx(tx) => Ok(tx),
            other => panic!("not a tx command: {other:?}"),
        }
    }

    fn parse_transfer(args: &[&str]) -> Result<TransferArgs, clap::Error> {
        match parse_tx(args)?.command {
            TxCommand::IbcTransfer(IbcTransferTx::Transfer(t)) => Ok(t),
            other => panic!("not a transfer: {other:?}"),
        }
    }

    #[test]
    fn ping_send_takes_a_channel_data_and_the_packet_timeouts() {
        let p = match parse_tx(&[
            "tx",
            "ping",
            "send",
            "channel-3",
            "hello",
            "--from",
            "alice",
            "--absolute-timeouts",
            "--packet-timeout-height",
            "1-90",
            "--packet-timeout-timestamp",
            "0",
        ])
        .unwrap()
        .command
        {
            TxCommand::Ping(PingTx::Send(p)) => p,
            other => panic!("not a ping: {other:?}"),
        };
        assert_eq!(
            (p.channel.as_str(), p.data.as_str()),
            ("channel-3", "hello")
        );
        assert_eq!(p.from, "alice");
        assert!(p.timeouts.absolute_timeouts);
        assert_eq!(p.timeouts.packet_timeout_height, "1-90");
        assert_eq!(p.timeouts.packet_timeout_timestamp, 0);
        assert!(parse_tx(&["tx", "ping", "send", "channel-3"]).is_err());
    }

    #[test]
    fn transfer_defaults_follow_ibc_go() {
        let t = parse_transfer(&[
            "tx",
            "ibc-transfer",
            "transfer",
            "transfer",
            "channel-0",
            "cosmos1a53udazy8ayufvy0s434pfwjcedzqv34kvz9tw",
            "1000uhub",
            "--from",
            "alice",
        ])
        .unwrap();
        assert_eq!(
            (
                t.src_port.as_str(),
                t.src_channel.as_str(),
                t.amount.as_str()
            ),
            ("transfer", "channel-0", "1000uhub")
        );
        assert_eq!(t.receiver, "cosmos1a53udazy8ayufvy0s434pfwjcedzqv34kvz9tw");
        assert_eq!(t.from, "alice");
        assert_eq!(t.timeouts.packet_timeout_height, "0-1000");
        assert_eq!(t.timeouts.packet_timeout_timestamp, 600_000_000_000);
        assert!(!t.timeouts.absolute_timeouts);
        assert_eq!((t.memo.as_str(), t.note.as_str()), ("", ""));
        assert_eq!(t.flags.gas, DEFAULT_GAS);
        assert!(t.flags.fees.is_none() && !t.flags.no_wait);
    }

    #[test]
    fn transfer_flags_parse_anywhere() {
        let t = parse_transfer(&[
            "tx",
            "--node",
            "http://127.0.0.1:1",
            "ibc-transfer",
            "transfer",
            "--absolute-timeouts",
            "transfer",
            "channel-7",
            "spoke1xyz",
            "5transfer/channel-0/uspoke",
            "--packet-timeout-height",
            "1-500",
            "--packet-timeout-timestamp",
            "0",
            "--memo",
            "{\"forward\":{}}",
            "--note",
            "tx memo",
            "--from",
            "bob",
            "--fees",
            "10uhub",
            "--gas",
            "300000",
            "--no-wait",
            "--sequence",
            "4",
            "--account-number",
            "2",
            "-o",
            "json",
        ])
        .unwrap();
        assert!(t.timeouts.absolute_timeouts);
        assert_eq!(t.amount, "5transfer/channel-0/uspoke");
        assert_eq!(t.timeouts.packet_timeout_height, "1-500");
        assert_eq!(t.timeouts.packet_timeout_timestamp, 0);
        assert_eq!(t.memo, "{\"forward\":{}}");
        assert_eq!(t.note, "tx memo");
        assert_eq!(t.flags.fees.as_deref(), Some("10uhub"));
        assert_eq!(
            (t.flags.gas, t.flags.sequence, t.flags.account_number),
            (300_000, Some(4), Some(2))
        );
        assert!(t.flags.no_wait);
    }

    #[test]
    fn bad_transfer_command_lines_are_refused() {
        let base = [
            "tx",
            "ibc-transfer",
            "transfer",
            "transfer",
            "channel-0",
            "cosmos1abc",
            "1uhub",
        ];
        // --from is required
        assert!(parse_transfer(&base).is_err());
        // a fifth positional argument
        let mut extra = base.to_vec();
        extra.extend(["more", "--from", "a"]);
        assert!(parse_transfer(&extra).is_err());
        // a timestamp that is not a u64
        let mut ts = base.to_vec();
        ts.extend(["--from", "a", "--packet-timeout-timestamp", "-5"]);
        assert!(parse_transfer(&ts).is_err());
        // missing amount
        assert!(parse_transfer(&base[..6]).is_err());
    }
}
