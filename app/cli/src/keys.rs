//! `keys` commands over the [`crate::keyring`] (`add`, `list`, `show`, `export`).

use std::io::{BufRead as _, IsTerminal as _};

use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};
use serde_json::json;

use crate::{
    keyring::{KeyInfo, KeyringBackend},
    output::Lines,
    ChainProfile, CommonArgs, OutputFormat,
};

/// `keys` command group.
#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(flatten)]
    common: CommonArgs,
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Create a key from a new 24-word mnemonic (printed once), or recover one with --recover
    Add {
        /// Key name (letters, digits, '.', '_', '-')
        name: String,
        /// Read an existing BIP-39 mnemonic from stdin instead of generating one
        #[arg(long)]
        recover: bool,
    },
    /// List all keys
    List,
    /// Show a key's address and public key
    Show {
        /// Key name
        name: String,
        /// Print only the address
        #[arg(short = 'a', long)]
        address: bool,
    },
    /// Print a key's mnemonic (or, with --unsafe-hex, its raw private key)
    Export {
        /// Key name
        name: String,
        /// Print the hex-encoded secp256k1 private key instead of the mnemonic
        #[arg(long)]
        unsafe_hex: bool,
    },
}

fn key_json(record: &KeyInfo) -> serde_json::Value {
    json!({
        "name": record.name,
        "type": "local",
        "address": record.address,
        "pubkey": json!({ "@type": "/cosmos.crypto.secp256k1.PubKey", "key": record.pubkey }).to_string(),
    })
}

fn key_lines(record: &KeyInfo) -> Lines {
    Lines::new()
        .row("name", &record.name)
        .row("address", &record.address)
        .row("pubkey", &record.pubkey)
}

fn read_mnemonic() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Enter your BIP-39 mnemonic:");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the mnemonic from stdin")?;
    if line.trim().is_empty() {
        bail!("no mnemonic on stdin; pipe it in, e.g. `echo \"word1 … word24\" | … keys add <name> --recover`");
    }
    Ok(line)
}

/// Runs a `keys` subcommand.
pub fn run(profile: &ChainProfile, args: KeysArgs) -> anyhow::Result<()> {
    let output = args.common.output;
    let keyring = args.common.keyring(profile)?;
    match args.command {
        KeysCommand::Add { name, recover } => {
            let record = if recover {
                let mnemonic = read_mnemonic()?;
                keyring.add_from_mnemonic(&name, &mnemonic)?
            } else {
                keyring.add_new(&name)?
            };
            let info = record.info();
            let mut value = key_json(&info);
            if !recover {
                value["mnemonic"] = json!(record.mnemonic);
            }
            output.print(&value, || {
                let mut text = key_lines(&info).render();
                if !recover {
                    text.push_str(&format!(
                        "\n**Important** write this mnemonic phrase in a safe place.\nIt is the only way to recover your account if you ever forget your password.\n\n{}\n",
                        record.mnemonic,
                    ));
                    if keyring.backend() == KeyringBackend::Test {
                        text.push_str(&format!(
                            "\nNote: the test keyring stores it unencrypted in {}.\n",
                            keyring.dir().display()
                        ));
                    }
                }
                text
            });
        }
        KeysCommand::List => {
            let records = keyring.list()?;
            output.print(
                &json!(records.iter().map(key_json).collect::<Vec<_>>()),
                || {
                    if records.is_empty() {
                        return format!(
                            "no keys in {}; create one with `{} keys add <name>`",
                            keyring.dir().display(),
                            profile.binary_name
                        );
                    }
                    records
                        .iter()
                        .map(|r| key_lines(r).render())
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            );
        }
        KeysCommand::Show { name, address } => {
            let record = keyring.info(&name)?;
            if address && output == OutputFormat::Text {
                println!("{}", record.address);
            } else {
                output.print(&key_json(&record), || key_lines(&record).render());
            }
        }
        KeysCommand::Export { name, unsafe_hex } => {
            let record = keyring.get(&name)?;
            if unsafe_hex {
                let hex = record.derive()?.secret_hex();
                output.print(&json!({ "name": name, "private_key_hex": hex }), || {
                    hex.clone()
                });
            } else {
                output.print(
                    &json!({ "name": name, "mnemonic": record.mnemonic }),
                    || record.mnemonic.clone(),
                );
            }
        }
    }
    Ok(())
}
