//! Sending a transaction from the command line: the signing flags, broadcast with
//! `broadcast_tx_sync`, the wait for the commit and the printed result.
//!
//! Every command that sends a transaction (the generated ones, `tx ibc-transfer transfer`,
//! `tx gov …`, `tx interchain-upgrade …`) goes through [`Sender::submit`]; signing itself is the client layer's
//! ([`hub_client::sign::sign_tx`]). Command modules depend on this one, never on each other.

use anyhow::{bail, Context as _};
use clap::Args;
use cosmrs::Any;
use serde_json::json;

pub use hub_client::sign::{
    msg_send, msg_transfer, sign_tx, SignerData, Transfer, TxOptions, COMMIT_TIMEOUT,
    DEFAULT_FEE_AMOUNT, DEFAULT_GAS, MSG_SEND_TYPE_URL, MSG_TRANSFER_TYPE_URL,
};

use crate::{
    coins::{parse_coins, Coin},
    keyring::Keyring,
    output::Lines,
    rpc::{BroadcastResult, Node, TxResult},
    ChainProfile, OutputFormat,
};

/// Signing and broadcast options shared by every transaction command.
#[derive(Debug, Args)]
pub(crate) struct TxFlags {
    /// Fee [default: 2000<denom>, e.g. 2000uhub]
    #[arg(long, value_name = "COINS")]
    pub(crate) fees: Option<String>,
    /// Gas limit
    #[arg(long, default_value_t = DEFAULT_GAS)]
    pub(crate) gas: u64,
    /// Chain id to sign for [default: read from the node's /status]
    #[arg(long, value_name = "ID")]
    pub(crate) chain_id: Option<String>,
    /// Return after CheckTx instead of waiting for the commit
    #[arg(long)]
    pub(crate) no_wait: bool,
    /// Sequence to sign with [default: from the chain]
    #[arg(long, value_name = "N")]
    pub(crate) sequence: Option<u64>,
    /// Account number to sign with [default: from the chain]
    #[arg(long, value_name = "N")]
    pub(crate) account_number: Option<u64>,
}

/// What a command that sends a transaction works with: the chain, the keyring of its home,
/// the node it talks to and how it prints.
pub(crate) struct Sender<'a> {
    pub(crate) profile: &'a ChainProfile,
    pub(crate) keyring: &'a Keyring,
    pub(crate) node: &'a Node,
    pub(crate) output: OutputFormat,
}

/// The messages of a tx, its memo, and a one-line description for `--no-wait` output.
pub(crate) struct Submission {
    pub(crate) msgs: Vec<Any>,
    pub(crate) memo: String,
    pub(crate) summary: String,
}

/// Extra `(json key, value)` fields a command prints with its committed tx (the text label
/// is the key with spaces).
pub(crate) type Extras = Vec<(&'static str, Option<String>)>;

impl Sender<'_> {
    /// The address of the keyring key `name`, which a message names as its signer.
    ///
    /// Errors: no such key.
    pub(crate) fn address(&self, name: &str) -> anyhow::Result<String> {
        Ok(self.keyring.info(name)?.address)
    }

    /// Signs `submission` with the keyring key `from` (account number and sequence from the
    /// chain unless both flags are given), broadcasts it with `broadcast_tx_sync`, waits for
    /// the commit unless `--no-wait`, and prints the result with the fields `extras` derives
    /// from it.
    ///
    /// Errors: bad flags, an unknown key or account, a CheckTx rejection or a failed execution
    /// (each printed first, as JSON in JSON mode), a commit timeout.
    pub(crate) async fn submit(
        &self,
        from: &str,
        submission: Submission,
        flags: &TxFlags,
        extras: impl FnOnce(&TxResult) -> Extras,
    ) -> anyhow::Result<()> {
        let (profile, node, output) = (self.profile, self.node, self.output);
        let record = self.keyring.get(from)?;
        let key = record.derive()?;
        let fee = match &flags.fees {
            Some(fees) => parse_coins(fees).context("invalid --fees")?,
            None => vec![Coin {
                denom: profile.denom.to_owned(),
                amount: DEFAULT_FEE_AMOUNT,
            }],
        };
        if flags.gas == 0 {
            bail!("--gas must be greater than zero");
        }
        let chain_id = match &flags.chain_id {
            Some(id) => id.clone(),
            None => node.chain_id().await?,
        };
        let (account_number, sequence) = match (flags.account_number, flags.sequence) {
            (Some(number), Some(sequence)) => (number, sequence),
            (number, sequence) => {
                let account = node.account(&record.address, None).await?.with_context(|| {
                    format!(
                        "account {} ({}) not found on chain {chain_id}; fund it first (e.g. `{} tx bank send <funded-key> {} 1000000{}`)",
                        record.address, record.name, profile.binary_name, record.address, profile.denom
                    )
                })?;
                (
                    number.unwrap_or(account.account_number),
                    sequence.unwrap_or(account.sequence),
                )
            }
        };
        let options = TxOptions {
            fee,
            gas: flags.gas,
            memo: submission.memo,
        };
        let signer_data = SignerData {
            chain_id,
            account_number,
            sequence,
        };
        let tx = sign_tx(&key, submission.msgs, &options, &signer_data)?;
        let check = node.broadcast_sync(tx).await?;
        if check.code != 0 {
            print_check_failure(output, &check, &options);
            bail!(
                "transaction {} rejected by CheckTx: code {} (codespace {:?}): {}",
                check.hash,
                check.code,
                check.codespace,
                check.log
            );
        }
        if flags.no_wait {
            output.print(
                &json!({ "txhash": check.hash, "code": 0, "codespace": "", "log": check.log, "height": "0", "gas_wanted": options.gas.to_string(), "gas_used": "0" }),
                || {
                    Lines::new()
                        .row("txhash", &check.hash)
                        .row("status", "accepted into the mempool (not waiting for the commit)")
                        .row("sent", &submission.summary)
                        .render()
                },
            );
            return Ok(());
        }
        let result = node.wait_for_tx(&check.hash, COMMIT_TIMEOUT).await?;
        let extras = extras(&result);
        print_tx_result_with(output, &result, &extras);
        if result.code != 0 {
            bail!(
                "transaction {} failed in block {}: code {} (codespace {:?}): {}",
                result.hash,
                result.height,
                result.code,
                result.codespace,
                result.log
            );
        }
        Ok(())
    }
}

fn print_check_failure(output: OutputFormat, check: &BroadcastResult, options: &TxOptions) {
    output.print(
        &json!({ "txhash": check.hash, "height": "0", "code": check.code, "codespace": check.codespace, "log": check.log, "gas_wanted": options.gas.to_string(), "gas_used": "0" }),
        || {
            Lines::new()
                .row("txhash", &check.hash)
                .row("code", check.code)
                .row("codespace", &check.codespace)
                .row("log", &check.log)
                .render()
        },
    );
}

/// Prints a committed tx (text or JSON).
pub fn print_tx_result(output: OutputFormat, result: &TxResult) {
    print_tx_result_with(output, result, &[]);
}

/// Prints a committed tx (text or JSON) with extra fields: each `(key, value)` is a JSON
/// field `key` (null when `None`) and, when set, a text row labelled `key` with spaces.
pub fn print_tx_result_with(
    output: OutputFormat,
    result: &TxResult,
    extras: &[(&'static str, Option<String>)],
) {
    let mut value = result.to_json();
    for (key, extra) in extras {
        value[*key] = extra.as_ref().map_or(serde_json::Value::Null, |v| json!(v));
    }
    output.print(&value, || {
        let mut lines = Lines::new()
            .row("txhash", &result.hash)
            .row("height", result.height)
            .row("code", result.code);
        if result.code != 0 {
            lines = lines
                .row("codespace", &result.codespace)
                .row("log", &result.log);
        }
        lines = lines.row(
            "gas used",
            format!("{} / {}", result.gas_used, result.gas_wanted),
        );
        for (key, extra) in extras {
            if let Some(v) = extra {
                lines = lines.row(&key.replace('_', " "), v);
            }
        }
        lines.render()
    });
}
