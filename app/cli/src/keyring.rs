//! The `test` keyring: secp256k1 account keys kept as plain JSON files in `<home>/keyring-test/`.
//!
//! This is the equivalent of the Cosmos SDK's `test` keyring backend: the files are **not
//! encrypted** (only protected by file mode 0600), so it is meant for development networks,
//! localnets and automated tests, never for keys that hold real value.
//!
//! Each key is derived from a BIP-39 mnemonic at the Cosmos path `m/44'/118'/0'/0/0`; its
//! address is `bech32(prefix, ripemd160(sha256(compressed public key)))`.
//!
//! File layout, one file per key (`<home>/keyring-test/<name>.json`):
//! ```json
//! { "name": "alice", "address": "hub1…", "pubkey": "<base64 33-byte compressed key>",
//!   "mnemonic": "word1 word2 … word24" }
//! ```

use std::{
    fs,
    io::Write,
    os::unix::fs::{DirBuilderExt, OpenOptionsExt},
    path::{Path, PathBuf},
};

use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Name of the keyring directory inside a node home.
pub const KEYRING_DIR: &str = "keyring-test";

/// BIP-44 derivation path of Cosmos account keys (coin type 118).
pub const HD_PATH: &str = "m/44'/118'/0'/0/0";

/// Why a keyring operation failed.
#[derive(Debug, Error)]
pub enum KeyringError {
    /// The key name has characters that cannot be used in a file name.
    #[error("invalid key name {0:?}: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")]
    InvalidName(String),
    /// A key with this name exists already.
    #[error("key {name:?} already exists ({path}); choose another name or delete that file first")]
    AlreadyExists {
        /// Key name.
        name: String,
        /// File of the existing key.
        path: PathBuf,
    },
    /// No key with this name.
    #[error("no key named {name:?} in the keyring at {dir}; list keys with `keys list` or create one with `keys add {name}`")]
    NotFound {
        /// Key name.
        name: String,
        /// Keyring directory searched.
        dir: PathBuf,
    },
    /// The mnemonic is not a valid English BIP-39 phrase.
    #[error("invalid mnemonic: {0}")]
    InvalidMnemonic(String),
    /// A keyring file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// File or directory involved.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A keyring file exists but does not hold a valid key record.
    #[error("{path} is not a valid key file ({reason}); remove or repair it")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Key derivation failed (should not happen for a valid mnemonic).
    #[error("cannot derive a key from the mnemonic: {0}")]
    Derivation(String),
}

/// One stored key, exactly as written to `<name>.json`. Its `Debug` output never shows the
/// mnemonic, and the mnemonic is zeroized when the record is dropped.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRecord {
    /// Key name (the file name without `.json`).
    pub name: String,
    /// Bech32 account address.
    pub address: String,
    /// Base64 of the 33-byte compressed secp256k1 public key.
    pub pubkey: String,
    /// BIP-39 mnemonic the key derives from (stored unencrypted).
    pub mnemonic: String,
}

impl std::fmt::Debug for KeyRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRecord")
            .field("name", &self.name)
            .field("address", &self.address)
            .field("pubkey", &self.pubkey)
            .field("mnemonic", &"<redacted>")
            .finish()
    }
}

impl Drop for KeyRecord {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.mnemonic);
    }
}

impl KeyRecord {
    /// Derives the key pair again from the stored mnemonic.
    pub fn derive(&self) -> Result<DerivedKey, KeyringError> {
        DerivedKey::from_mnemonic(&self.mnemonic)
    }
}

/// A secp256k1 key pair derived from a mnemonic at [`HD_PATH`].
#[derive(Clone)]
pub struct DerivedKey {
    key: k256::ecdsa::SigningKey,
    public: [u8; 33],
}

impl std::fmt::Debug for DerivedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DerivedKey")
            .field("public", &hex::encode(self.public))
            .finish_non_exhaustive()
    }
}

impl DerivedKey {
    /// Derives the Cosmos account key of `mnemonic` (English BIP-39, empty passphrase) at
    /// [`HD_PATH`]. Extra whitespace and upper case letters are tolerated.
    pub fn from_mnemonic(mnemonic: &str) -> Result<Self, KeyringError> {
        let normalized = normalize_mnemonic(mnemonic);
        let parsed = bip39::Mnemonic::parse_in(bip39::Language::English, &normalized)
            .map_err(|e| KeyringError::InvalidMnemonic(e.to_string()))?;
        let seed = parsed.to_seed("");
        let path: bip32::DerivationPath = HD_PATH
            .parse()
            .map_err(|e: bip32::Error| KeyringError::Derivation(e.to_string()))?;
        let xprv = bip32::XPrv::derive_from_path(seed, &path)
            .map_err(|e| KeyringError::Derivation(e.to_string()))?;
        Ok(Self::from_signing_key(xprv.private_key().clone()))
    }

    /// Builds a key pair from a raw 32-byte secret scalar (big endian).
    pub fn from_secret(secret: &[u8]) -> Result<Self, KeyringError> {
        let key = k256::ecdsa::SigningKey::from_slice(secret)
            .map_err(|e| KeyringError::Derivation(e.to_string()))?;
        Ok(Self::from_signing_key(key))
    }

    /// Generates a random key pair (not backed by a mnemonic), e.g. for load tests.
    pub fn random() -> Self {
        Self::from_signing_key(k256::ecdsa::SigningKey::random(&mut OsRng))
    }

    fn from_signing_key(key: k256::ecdsa::SigningKey) -> Self {
        let point = key.verifying_key().to_encoded_point(true);
        let mut public = [0u8; 33];
        public.copy_from_slice(point.as_bytes());
        Self { key, public }
    }

    /// The 33-byte compressed public key.
    pub fn public_key_bytes(&self) -> [u8; 33] {
        self.public
    }

    /// The public key in base64, as stored in the keyring and shown by `keys show`.
    pub fn public_key_base64(&self) -> String {
        BASE64.encode(self.public)
    }

    /// The private key as lowercase hex (what `keys export --unsafe-hex` prints).
    pub fn secret_hex(&self) -> String {
        hex::encode(self.key.to_bytes())
    }

    /// The raw 20 address bytes: `ripemd160(sha256(compressed public key))`.
    pub fn address_bytes(&self) -> [u8; 20] {
        use ripemd::Ripemd160;
        use sha2::{Digest, Sha256};
        Ripemd160::digest(Sha256::digest(self.public)).into()
    }

    /// The bech32 account address with `prefix`.
    pub fn address(&self, prefix: &str) -> Result<String, KeyringError> {
        crate::address::encode_address(prefix, &self.address_bytes())
            .map_err(|e| KeyringError::Derivation(e.to_string()))
    }

    /// The public key as a cosmrs value (for signer infos).
    pub fn public_key(&self) -> cosmrs::crypto::PublicKey {
        self.key.verifying_key().into()
    }

    /// A cosmrs signing key for this pair.
    pub fn signing_key(&self) -> cosmrs::crypto::secp256k1::SigningKey {
        cosmrs::crypto::secp256k1::SigningKey::new(Box::new(self.key.clone()))
    }
}

/// Generates a fresh 24-word English BIP-39 mnemonic from the operating system's RNG.
pub fn generate_mnemonic() -> Result<String, KeyringError> {
    let mut entropy = [0u8; 32];
    OsRng.fill_bytes(&mut entropy);
    let mnemonic = bip39::Mnemonic::from_entropy_in(bip39::Language::English, &entropy)
        .map_err(|e| KeyringError::Derivation(e.to_string()))?;
    Ok(mnemonic.to_string())
}

fn normalize_mnemonic(mnemonic: &str) -> String {
    mnemonic
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks that `name` is usable as a key name (and therefore as a file name).
pub fn validate_key_name(name: &str) -> Result<(), KeyringError> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if first_ok && rest_ok && name.len() <= 64 {
        Ok(())
    } else {
        Err(KeyringError::InvalidName(name.to_owned()))
    }
}

/// The keyring of one node home.
#[derive(Debug, Clone)]
pub struct Keyring {
    dir: PathBuf,
    prefix: String,
}

impl Keyring {
    /// The keyring in `<home>/keyring-test`, producing addresses with `bech32_prefix`.
    /// Nothing is created until a key is added.
    pub fn open(home: &Path, bech32_prefix: &str) -> Self {
        Self {
            dir: home.join(KEYRING_DIR),
            prefix: bech32_prefix.to_owned(),
        }
    }

    /// The keyring directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    /// True if a key named `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        validate_key_name(name).is_ok() && self.path_of(name).is_file()
    }

    /// Creates a key from a new random 24-word mnemonic.
    pub fn add_new(&self, name: &str) -> Result<KeyRecord, KeyringError> {
        let mnemonic = generate_mnemonic()?;
        self.add_from_mnemonic(name, &mnemonic)
    }

    /// Creates a key from an existing mnemonic.
    pub fn add_from_mnemonic(&self, name: &str, mnemonic: &str) -> Result<KeyRecord, KeyringError> {
        validate_key_name(name)?;
        let path = self.path_of(name);
        if path.exists() {
            return Err(KeyringError::AlreadyExists {
                name: name.to_owned(),
                path,
            });
        }
        let key = DerivedKey::from_mnemonic(mnemonic)?;
        let record = KeyRecord {
            name: name.to_owned(),
            address: key.address(&self.prefix)?,
            pubkey: key.public_key_base64(),
            mnemonic: normalize_mnemonic(mnemonic),
        };
        self.write(&path, &record)?;
        Ok(record)
    }

    fn write(&self, path: &Path, record: &KeyRecord) -> Result<(), KeyringError> {
        let io = |source| KeyringError::Io {
            path: self.dir.clone(),
            source,
        };
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
            .map_err(io)?;
        let mut text = serde_json::to_string_pretty(record).map_err(|e| KeyringError::Corrupt {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        text.push('\n');
        let io = |source| KeyringError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)
    }

    /// Reads the key named `name`.
    pub fn get(&self, name: &str) -> Result<KeyRecord, KeyringError> {
        validate_key_name(name).map_err(|_| KeyringError::NotFound {
            name: name.to_owned(),
            dir: self.dir.clone(),
        })?;
        let path = self.path_of(name);
        if !path.is_file() {
            return Err(KeyringError::NotFound {
                name: name.to_owned(),
                dir: self.dir.clone(),
            });
        }
        self.read(&path)
    }

    fn read(&self, path: &Path) -> Result<KeyRecord, KeyringError> {
        let text = fs::read_to_string(path).map_err(|source| KeyringError::Io {
            path: path.to_owned(),
            source,
        })?;
        let record: KeyRecord = serde_json::from_str(&text).map_err(|e| KeyringError::Corrupt {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        let derived = record.derive().map_err(|e| KeyringError::Corrupt {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        if derived.address(&self.prefix)? != record.address {
            return Err(KeyringError::Corrupt {
                path: path.to_owned(),
                reason: format!(
                    "its address {} does not match its mnemonic (or belongs to another chain prefix than {:?})",
                    record.address, self.prefix
                ),
            });
        }
        Ok(record)
    }

    /// Every key, sorted by name. An absent keyring directory is an empty keyring.
    pub fn list(&self) -> Result<Vec<KeyRecord>, KeyringError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(KeyringError::Io {
                    path: self.dir.clone(),
                    source,
                })
            }
        };
        let mut records = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| KeyringError::Io {
                path: self.dir.clone(),
                source,
            })?;
            let path = entry.path();
            if path.extension().is_some_and(|ext| ext == "json") {
                records.push(self.read(&path)?);
            }
        }
        records.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABANDON: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    #[test]
    fn derives_the_known_cosmos_test_vector() {
        let key = DerivedKey::from_mnemonic(ABANDON).unwrap();
        assert_eq!(
            key.address("cosmos").unwrap(),
            "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4"
        );
        assert_eq!(key.public_key_bytes().len(), 33);
        // The raw-secret constructor agrees with the mnemonic derivation.
        let secret = hex::decode(key.secret_hex()).unwrap();
        let again = DerivedKey::from_secret(&secret).unwrap();
        assert_eq!(again.public_key_bytes(), key.public_key_bytes());
    }

    #[test]
    fn address_matches_the_cosmrs_derivation() {
        let key = DerivedKey::from_mnemonic(ABANDON).unwrap();
        let via_cosmrs = key.public_key().account_id("hub").unwrap().to_string();
        assert_eq!(key.address("hub").unwrap(), via_cosmrs);
        assert_eq!(
            hex::encode(key.signing_key().public_key().to_bytes()),
            hex::encode(key.public_key_bytes())
        );
    }

    #[test]
    fn tolerates_extra_whitespace_and_case_in_mnemonics() {
        let messy = format!("  {}  ", ABANDON.to_uppercase().replace(' ', "\n "));
        let key = DerivedKey::from_mnemonic(&messy).unwrap();
        assert_eq!(
            key.address("cosmos").unwrap(),
            "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4"
        );
    }

    #[test]
    fn rejects_a_mnemonic_with_a_bad_checksum_or_unknown_word() {
        let bad_checksum = ABANDON.replace("about", "abandon");
        assert!(matches!(
            DerivedKey::from_mnemonic(&bad_checksum),
            Err(KeyringError::InvalidMnemonic(_))
        ));
        assert!(matches!(
            DerivedKey::from_mnemonic("hello world"),
            Err(KeyringError::InvalidMnemonic(_))
        ));
    }

    #[test]
    fn generated_mnemonics_have_24_words() {
        let m = generate_mnemonic().unwrap();
        assert_eq!(m.split(' ').count(), 24);
        DerivedKey::from_mnemonic(&m).unwrap();
    }

    #[test]
    fn a_key_records_debug_output_never_shows_its_mnemonic() {
        let home = tempfile::tempdir().unwrap();
        let keyring = Keyring::open(home.path(), "hub");
        let alice = keyring.add_from_mnemonic("alice", ABANDON).unwrap();
        let shown = format!("{alice:?}");
        assert!(shown.contains(&alice.address), "{shown}");
        assert!(!shown.contains("abandon"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn keyring_round_trip() {
        let home = tempfile::tempdir().unwrap();
        let keyring = Keyring::open(home.path(), "hub");
        assert!(keyring.list().unwrap().is_empty());

        let bob = keyring.add_new("bob").unwrap();
        let alice = keyring.add_from_mnemonic("alice", ABANDON).unwrap();
        assert!(bob.address.starts_with("hub1"));
        assert_eq!(bob.mnemonic.split(' ').count(), 24);

        // Stored unencrypted, readable only by the owner.
        use std::os::unix::fs::PermissionsExt;
        let path = home.path().join("keyring-test/alice.json");
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);

        assert_eq!(keyring.get("alice").unwrap(), alice);
        assert_eq!(keyring.get("bob").unwrap(), bob);
        let names: Vec<_> = keyring
            .list()
            .unwrap()
            .into_iter()
            .map(|k| k.name.clone())
            .collect();
        assert_eq!(names, ["alice", "bob"]);

        let derived = keyring.get("alice").unwrap().derive().unwrap();
        assert_eq!(derived.address("hub").unwrap(), alice.address);
        assert_eq!(derived.public_key_base64(), alice.pubkey);
    }

    #[test]
    fn refuses_duplicate_names_unknown_keys_and_bad_names() {
        let home = tempfile::tempdir().unwrap();
        let keyring = Keyring::open(home.path(), "hub");
        keyring.add_from_mnemonic("alice", ABANDON).unwrap();
        assert!(matches!(
            keyring.add_new("alice"),
            Err(KeyringError::AlreadyExists { .. })
        ));
        let err = keyring.get("carol").unwrap_err();
        assert!(matches!(err, KeyringError::NotFound { .. }));
        assert!(err.to_string().contains("keys add carol"));
        for bad in ["", "../x", "a/b", ".hidden", &"a".repeat(65)] {
            assert!(matches!(
                keyring.add_new(bad),
                Err(KeyringError::InvalidName(_))
            ));
        }
    }

    #[test]
    fn detects_a_tampered_key_file() {
        let home = tempfile::tempdir().unwrap();
        let keyring = Keyring::open(home.path(), "hub");
        let mut record = keyring.add_from_mnemonic("alice", ABANDON).unwrap();
        record.address = keyring.add_new("bob").unwrap().address.clone();
        let path = home.path().join("keyring-test/alice.json");
        fs::write(&path, serde_json::to_string(&record).unwrap()).unwrap();
        assert!(matches!(
            keyring.get("alice"),
            Err(KeyringError::Corrupt { .. })
        ));
    }
}
