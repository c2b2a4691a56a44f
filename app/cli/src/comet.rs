//! CometBFT identities of a node home: the node id (p2p) and the validator consensus key.
//!
//! Both are read from the JSON files `cometbft init` writes:
//! - `config/node_key.json`: `{"priv_key": {"type": "tendermint/PrivKeyEd25519", "value": <base64 of seed ‖ pubkey>}}`;
//!   the node id is the lowercase hex of the first 20 bytes of `sha256(pubkey)`.
//! - `config/priv_validator_key.json`: `{"pub_key": {"type": "tendermint/PubKeyEd25519", "value": <base64>}, …}`.

use std::path::Path;

use anyhow::{bail, Context as _};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::{ChainProfile, CommonArgs};

/// Type URL of ed25519 public keys in Cosmos JSON.
pub const ED25519_PUBKEY_TYPE_URL: &str = "/cosmos.crypto.ed25519.PubKey";

/// Reads and parses the JSON file `what` of a home (the node key, the genesis file …).
///
/// Errors: a missing file (pointing at `init` and `--home`) or one that is not JSON.
pub(crate) fn read_json(path: &Path, what: &str) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read {what} {}; is this an initialized home? (create one with `init`, or pass the right --home)",
            path.display()
        )
    })?;
    serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))
}

fn key_value(
    file: &Value,
    path: &Path,
    field: &str,
    expected_type: &str,
) -> anyhow::Result<Vec<u8>> {
    let key = file
        .get(field)
        .with_context(|| format!("{} has no {field:?} field", path.display()))?;
    let key_type = key.get("type").and_then(Value::as_str).unwrap_or_default();
    if key_type != expected_type {
        bail!(
            "{}: {field}.type is {key_type:?}; only {expected_type:?} keys are supported",
            path.display()
        );
    }
    let value = key
        .get("value")
        .and_then(Value::as_str)
        .with_context(|| format!("{}: {field}.value is missing", path.display()))?;
    BASE64
        .decode(value)
        .with_context(|| format!("{}: {field}.value is not base64", path.display()))
}

/// The ed25519 key `field` of the home's key file `file` (`what` names it in messages): a
/// private key of `len` 64 bytes (seed and public key) or a public key of 32.
fn home_key(
    home: &Path,
    file: &str,
    what: &str,
    field: &str,
    len: usize,
) -> anyhow::Result<Vec<u8>> {
    let path = home.join("config").join(file);
    let (kind, size) = match len {
        64 => (
            "tendermint/PrivKeyEd25519",
            "an ed25519 private key has 64 (seed and public key)",
        ),
        _ => ("tendermint/PubKeyEd25519", "an ed25519 public key has 32"),
    };
    let bytes = key_value(&read_json(&path, what)?, &path, field, kind)?;
    if bytes.len() != len {
        bail!(
            "{}: {field}.value has {} bytes; {size}",
            path.display(),
            bytes.len()
        );
    }
    Ok(bytes)
}

/// The CometBFT node id of the home: hex of the first 20 bytes of sha256 of the node's
/// ed25519 public key (read from `config/node_key.json`).
pub fn node_id(home: &Path) -> anyhow::Result<String> {
    let bytes = home_key(home, "node_key.json", "the node key", "priv_key", 64)?;
    Ok(node_id_of_pubkey(&bytes[32..]))
}

/// The node id of an ed25519 public key.
pub fn node_id_of_pubkey(pubkey: &[u8]) -> String {
    hex::encode(&Sha256::digest(pubkey)[..20])
}

/// The validator's ed25519 consensus public key in base64 (from `config/priv_validator_key.json`).
pub fn validator_pubkey(home: &Path) -> anyhow::Result<String> {
    let file = "priv_validator_key.json";
    Ok(BASE64.encode(home_key(home, file, "the validator key", "pub_key", 32)?))
}

/// The moniker in `config/config.toml`.
pub fn moniker(home: &Path) -> anyhow::Result<String> {
    let path = home.join("config").join("config.toml");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {} to find the moniker; pass --moniker or the right --home",
            path.display()
        )
    })?;
    let doc: toml_edit::DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    doc.get("moniker")
        .and_then(|m| m.as_str())
        .map(str::to_owned)
        .with_context(|| format!("{} has no moniker; pass --moniker", path.display()))
}

/// `comet` command group.
#[derive(Debug, Args)]
pub struct CometArgs {
    #[command(flatten)]
    common: CommonArgs,
    #[command(subcommand)]
    command: CometCommand,
}

#[derive(Debug, Subcommand)]
enum CometCommand {
    /// Print this node's CometBFT node id (used in persistent_peers as <id>@<host>:<port>)
    ShowNodeId,
    /// Print this node's validator consensus public key as Cosmos JSON
    ShowValidator,
}

/// Runs a `comet` subcommand.
pub fn run(profile: &ChainProfile, args: CometArgs) -> anyhow::Result<()> {
    let home = args.common.home(profile)?;
    match args.command {
        CometCommand::ShowNodeId => {
            let id = node_id(&home)?;
            args.common
                .output
                .print(&json!({ "node_id": id }), || id.clone());
        }
        CometCommand::ShowValidator => {
            let key = validator_pubkey(&home)?;
            // Cosmos prints this JSON in both modes.
            println!(
                "{}",
                json!({ "@type": ED25519_PUBKEY_TYPE_URL, "key": key })
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_id_is_the_truncated_sha256_of_the_public_key() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join("config")).unwrap();
        let mut key = [1u8; 64];
        key[32..].copy_from_slice(&[2u8; 32]);
        std::fs::write(
            home.path().join("config/node_key.json"),
            json!({ "priv_key": { "type": "tendermint/PrivKeyEd25519", "value": BASE64.encode(key) } }).to_string(),
        )
        .unwrap();
        let expected = hex::encode(&Sha256::digest([2u8; 32])[..20]);
        assert_eq!(node_id(home.path()).unwrap(), expected);
        assert_eq!(expected.len(), 40);
    }

    #[test]
    fn missing_files_give_a_hint() {
        let home = tempfile::tempdir().unwrap();
        let err = validator_pubkey(home.path()).unwrap_err().to_string();
        assert!(err.contains("priv_validator_key.json"), "{err}");
        assert!(err.contains("--home"), "{err}");
    }
}
