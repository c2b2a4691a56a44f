//! Transactions: build, sign with SIGN_MODE_DIRECT, broadcast, wait for the commit.
//!
//! The library functions ([`msg_send`], [`sign_tx`]) build standard `cosmos.tx.v1beta1.TxRaw`
//! bytes and are usable without the command line (the localnet load generator uses them).

use std::time::Duration;

use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};
use cosmos_sdk_proto::cosmos::{bank::v1beta1::MsgSend, base::v1beta1::Coin as ProtoCoin};
use cosmrs::{
    tx::{Body, Fee, SignDoc, SignerInfo},
    Any,
};
use prost::Message;
use serde_json::json;

use crate::{
    address::decode_address,
    coins::{format_coins, parse_coins, Coin},
    genesis::resolve_address,
    keyring::{DerivedKey, Keyring},
    output::Lines,
    rpc::{BroadcastResult, Node, TxResult},
    ChainProfile, CommonArgs, NodeArgs, OutputFormat,
};

/// Type URL of `MsgSend`.
pub const MSG_SEND_TYPE_URL: &str = "/cosmos.bank.v1beta1.MsgSend";
/// Default gas limit.
pub const DEFAULT_GAS: u64 = 200_000;
/// Default fee amount (in the profile's denom).
pub const DEFAULT_FEE_AMOUNT: u128 = 2_000;
/// How long to wait for a broadcast tx to be committed.
pub const COMMIT_TIMEOUT: Duration = Duration::from_secs(30);

/// Who signs and with which replay-protection values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerData {
    /// Chain id the signature is bound to.
    pub chain_id: String,
    /// The signer's account number.
    pub account_number: u64,
    /// The signer's sequence (number of txs it has sent).
    pub sequence: u64,
}

/// Fee, gas and memo of a tx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxOptions {
    /// Fee paid by the signer.
    pub fee: Vec<Coin>,
    /// Gas limit.
    pub gas: u64,
    /// Memo.
    pub memo: String,
}

fn proto_coins(coins: &[Coin]) -> Vec<ProtoCoin> {
    coins
        .iter()
        .map(|c| ProtoCoin {
            denom: c.denom.clone(),
            amount: c.amount.to_string(),
        })
        .collect()
}

/// A `cosmos.bank.v1beta1.MsgSend` packed in an `Any`.
pub fn msg_send(from: &str, to: &str, amount: &[Coin]) -> Any {
    Any {
        type_url: MSG_SEND_TYPE_URL.to_owned(),
        value: MsgSend {
            from_address: from.to_owned(),
            to_address: to.to_owned(),
            amount: proto_coins(amount),
        }
        .encode_to_vec(),
    }
}

/// Builds and signs (SIGN_MODE_DIRECT, single secp256k1 signer) a tx carrying `msgs`;
/// returns the `TxRaw` bytes to broadcast.
pub fn sign_tx(
    key: &DerivedKey,
    msgs: Vec<Any>,
    options: &TxOptions,
    signer: &SignerData,
) -> anyhow::Result<Vec<u8>> {
    let body = Body::new(msgs, options.memo.clone(), 0u32);
    let mut fee_coins = Vec::with_capacity(options.fee.len());
    for coin in &options.fee {
        fee_coins.push(cosmrs::Coin {
            denom: coin
                .denom
                .parse()
                .map_err(|e| anyhow::anyhow!("invalid fee denomination {:?}: {e}", coin.denom))?,
            amount: coin.amount,
        });
    }
    let fee = Fee {
        amount: fee_coins,
        gas_limit: options.gas,
        payer: None,
        granter: None,
    };
    let auth_info =
        SignerInfo::single_direct(Some(key.public_key()), signer.sequence).auth_info(fee);
    let sign_doc = SignDoc::new(
        &body,
        &auth_info,
        &signer
            .chain_id
            .parse()
            .map_err(|e| anyhow::anyhow!("invalid chain id {:?}: {e}", signer.chain_id))?,
        signer.account_number,
    )
    .map_err(|e| anyhow::anyhow!("cannot build the sign doc: {e}"))?;
    let raw = sign_doc
        .sign(&key.signing_key())
        .map_err(|e| anyhow::anyhow!("cannot sign the transaction: {e}"))?;
    raw.to_bytes()
        .map_err(|e| anyhow::anyhow!("cannot encode the transaction: {e}"))
}

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
    /// Bank transactions
    #[command(subcommand)]
    Bank(BankTx),
}

#[derive(Debug, Subcommand)]
enum BankTx {
    /// Send coins from a key of the keyring to an address
    Send(SendArgs),
}

#[derive(Debug, Args)]
struct SendArgs {
    /// Name of the sending key (in the keyring of --home)
    from: String,
    /// Recipient address (or key name)
    to: String,
    /// Coins to send, e.g. 1000uhub or 1000uhub,5foo
    #[arg(allow_hyphen_values = true)]
    coins: String,
    /// Fee [default: 2000<denom>, e.g. 2000uhub]
    #[arg(long, value_name = "COINS")]
    fees: Option<String>,
    /// Gas limit
    #[arg(long, default_value_t = DEFAULT_GAS)]
    gas: u64,
    /// Memo
    #[arg(long, default_value = "")]
    memo: String,
    /// Chain id to sign for [default: read from the node's /status]
    #[arg(long, value_name = "ID")]
    chain_id: Option<String>,
    /// Return after CheckTx instead of waiting for the commit
    #[arg(long)]
    no_wait: bool,
    /// Sequence to sign with [default: from the chain]
    #[arg(long, value_name = "N")]
    sequence: Option<u64>,
    /// Account number to sign with [default: from the chain]
    #[arg(long, value_name = "N")]
    account_number: Option<u64>,
}

/// Runs a `tx` subcommand.
pub async fn run(profile: &ChainProfile, args: TxArgs) -> anyhow::Result<()> {
    let home = args.common.home(profile)?;
    let output = args.common.output;
    let node = Node::new(&args.node.node)?;
    match args.command {
        TxCommand::Bank(BankTx::Send(send)) => {
            let keyring = Keyring::open(&home, profile.bech32_prefix);
            let record = keyring.get(&send.from)?;
            let key = record.derive()?;
            let to = resolve_address(profile, &home, &send.to)?;
            decode_address(&to, profile.bech32_prefix)?;
            let amount = parse_coins(&send.coins).context("invalid coins to send")?;
            let fee = match &send.fees {
                Some(fees) => parse_coins(fees).context("invalid --fees")?,
                None => vec![Coin {
                    denom: profile.denom.to_owned(),
                    amount: DEFAULT_FEE_AMOUNT,
                }],
            };
            if send.gas == 0 {
                bail!("--gas must be greater than zero");
            }
            let chain_id = match send.chain_id {
                Some(id) => id,
                None => node.chain_id().await?,
            };
            let (account_number, sequence) = match (send.account_number, send.sequence) {
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
                gas: send.gas,
                memo: send.memo,
            };
            let signer = SignerData {
                chain_id,
                account_number,
                sequence,
            };
            let tx = sign_tx(
                &key,
                vec![msg_send(&record.address, &to, &amount)],
                &options,
                &signer,
            )?;
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
            if send.no_wait {
                output.print(
                    &json!({ "txhash": check.hash, "code": 0, "codespace": "", "log": check.log, "height": "0", "gas_wanted": options.gas.to_string(), "gas_used": "0" }),
                    || {
                        Lines::new()
                            .row("txhash", &check.hash)
                            .row("status", "accepted into the mempool (not waiting for the commit)")
                            .row("sent", format!("{} → {to}", format_coins(&amount)))
                            .render()
                    },
                );
                return Ok(());
            }
            let result = node.wait_for_tx(&check.hash, COMMIT_TIMEOUT).await?;
            print_tx_result(output, &result);
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
    output.print(&result.to_json(), || {
        let mut lines = Lines::new()
            .row("txhash", &result.hash)
            .row("height", result.height)
            .row("code", result.code);
        if result.code != 0 {
            lines = lines
                .row("codespace", &result.codespace)
                .row("log", &result.log);
        }
        lines
            .row(
                "gas used",
                format!("{} / {}", result.gas_used, result.gas_wanted),
            )
            .render()
    });
}

#[cfg(test)]
mod tests {
    use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, TxBody, TxRaw};

    use super::*;

    #[test]
    fn signed_send_is_a_valid_tx_raw_with_a_verifiable_signature() {
        use k256::ecdsa::{signature::Verifier, Signature, VerifyingKey};
        let key = DerivedKey::from_mnemonic(
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        )
        .unwrap();
        let from = key.address("hub").unwrap();
        let to = crate::address::encode_address("hub", &[9; 20]).unwrap();
        let options = TxOptions {
            fee: parse_coins("2000uhub").unwrap(),
            gas: 200_000,
            memo: "hi".into(),
        };
        let signer = SignerData {
            chain_id: "hub-1".into(),
            account_number: 3,
            sequence: 7,
        };
        let bytes = sign_tx(
            &key,
            vec![msg_send(&from, &to, &parse_coins("5uhub").unwrap())],
            &options,
            &signer,
        )
        .unwrap();

        let raw = TxRaw::decode(bytes.as_slice()).unwrap();
        let body = TxBody::decode(raw.body_bytes.as_slice()).unwrap();
        assert_eq!(body.memo, "hi");
        assert_eq!(body.messages[0].type_url, MSG_SEND_TYPE_URL);
        let send = MsgSend::decode(body.messages[0].value.as_slice()).unwrap();
        assert_eq!(
            (send.from_address.as_str(), send.to_address.as_str()),
            (from.as_str(), to.as_str())
        );
        assert_eq!(send.amount[0].amount, "5");
        let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap();
        assert_eq!(auth.signer_infos[0].sequence, 7);
        let fee = auth.fee.unwrap();
        assert_eq!(
            (fee.gas_limit, fee.amount[0].amount.as_str()),
            (200_000, "2000")
        );

        // The signature verifies over the SignDoc as the chain rebuilds it.
        let doc = cosmos_sdk_proto::cosmos::tx::v1beta1::SignDoc {
            body_bytes: raw.body_bytes.clone(),
            auth_info_bytes: raw.auth_info_bytes.clone(),
            chain_id: "hub-1".into(),
            account_number: 3,
        };
        let vk = VerifyingKey::from_sec1_bytes(&key.public_key_bytes()).unwrap();
        let sig = Signature::from_slice(&raw.signatures[0]).unwrap();
        vk.verify(&doc.encode_to_vec(), &sig).unwrap();
        assert!(sig.normalize_s().is_none(), "signatures are low-S");
    }
}
