//! Account keyrings: secp256k1 keys kept as one JSON file per key under a node home, with the
//! Cosmos SDK's two file-based backends.
//!
//! - **`file`** (the default, for operators): `<home>/keyring-file/<name>.json`. The mnemonic is
//!   sealed with XChaCha20-Poly1305 under a key derived from the keyring passphrase with
//!   Argon2id; name, address and public key stay readable (and are bound to the ciphertext as
//!   associated data, so swapping them is detected). Every key of one keyring shares one
//!   passphrase, asked on stdin when a secret is needed (adding a key, signing, exporting), as
//!   the SDK's `file` backend does.
//! - **`test`** (localnets, automated tests): `<home>/keyring-test/<name>.json`, the mnemonic
//!   in plain text, protected only by file mode 0600. Never for keys that hold value.
//!
//! Each key is derived from a BIP-39 mnemonic at the Cosmos path `m/44'/118'/0'/0/0`; its
//! address is `bech32(prefix, ripemd160(sha256(compressed public key)))`.
//!
//! File layout (`test`):
//! ```json
//! { "name": "alice", "address": "hub1…", "pubkey": "<base64 33-byte compressed key>",
//!   "mnemonic": "word1 word2 … word24" }
//! ```
//! File layout (`file`): the same without `mnemonic`, plus
//! `"sealed": { "kdf": "argon2id", "m_cost_kib", "t_cost", "p_cost", "salt",
//! "cipher": "xchacha20poly1305", "nonce", "ciphertext" }` (byte fields in base64).

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

/// A keyring backend, as the Cosmos SDK's `--keyring-backend` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum KeyringBackend {
    /// Mnemonics encrypted with a passphrase (Argon2id + XChaCha20-Poly1305); the default.
    #[default]
    File,
    /// Mnemonics in plain text: for localnets and tests only.
    Test,
}

impl KeyringBackend {
    /// The name used by `--keyring-backend` and `client.toml` (`file`, `test`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Test => "test",
        }
    }

    /// Parses a `--keyring-backend` / `client.toml` value.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "file" => Some(Self::File),
            "test" => Some(Self::Test),
            _ => None,
        }
    }

    /// The keyring directory inside a node home (`keyring-file`, `keyring-test`).
    pub fn dir_name(self) -> &'static str {
        match self {
            Self::File => "keyring-file",
            Self::Test => "keyring-test",
        }
    }
}

/// Shortest passphrase a new `file` keyring accepts (the SDK's file backend asks for 8).
pub const MIN_PASSPHRASE_LEN: usize = 8;

/// Where a `file` keyring gets its passphrase.
#[derive(Clone)]
pub enum Passphrase {
    /// Ask on stdin: without echo on a terminal, else one line per question (so scripts can
    /// pipe it, as with the SDK).
    Prompt,
    /// A passphrase the caller already has (tests, programs).
    Given(zeroize::Zeroizing<String>),
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Prompt => "Prompt",
            Self::Given(_) => "Given(<redacted>)",
        })
    }
}

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
    /// The passphrase does not open this keyring's keys.
    #[error("incorrect keyring passphrase for {dir} (or its key file was altered)")]
    WrongPassphrase {
        /// Keyring directory.
        dir: PathBuf,
    },
    /// A passphrase was needed and none could be read.
    #[error("{0}")]
    NoPassphrase(String),
    /// A new keyring's passphrase was refused (too short, or the two entries differ).
    #[error("{0}")]
    BadNewPassphrase(String),
    /// Key derivation failed (should not happen for a valid mnemonic).
    #[error("cannot derive a key from the mnemonic: {0}")]
    Derivation(String),
}

/// One stored key, exactly as written to `<name>.json`. Its `Debug` output never shows the
/// mnemonic, and the mnemonic is zeroized when the record is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyRecord {
    /// Key name (the file name without `.json`).
    pub name: String,
    /// Bech32 account address.
    pub address: String,
    /// Base64 of the 33-byte compressed secp256k1 public key.
    pub pubkey: String,
    /// BIP-39 mnemonic the key derives from.
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
    /// The public part of this key.
    pub fn info(&self) -> KeyInfo {
        KeyInfo {
            name: self.name.clone(),
            address: self.address.clone(),
            pubkey: self.pubkey.clone(),
        }
    }

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

/// The public part of a stored key: what `keys list` and `keys show` print, readable from
/// either backend without a passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInfo {
    /// Key name (the file name without `.json`).
    pub name: String,
    /// Bech32 account address.
    pub address: String,
    /// Base64 of the 33-byte compressed secp256k1 public key.
    pub pubkey: String,
}

/// A mnemonic sealed by the `file` backend.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Sealed {
    kdf: String,
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
    cipher: String,
    nonce: String,
    ciphertext: String,
}

/// One key file of either backend: the public part, and the mnemonic in plain text (`test`)
/// or sealed (`file`).
#[derive(Serialize, Deserialize)]
struct StoredKey {
    #[serde(flatten)]
    info: KeyInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mnemonic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed: Option<Sealed>,
}

impl Drop for StoredKey {
    fn drop(&mut self) {
        if let Some(m) = self.mnemonic.as_mut() {
            zeroize::Zeroize::zeroize(m);
        }
    }
}

/// Argon2id cost of new `file` keys: 19 MiB, 2 passes, 1 lane (OWASP's minimum for Argon2id).
/// Stored with each key, so raising it later keeps old keys readable.
const ARGON2_M_COST_KIB: u32 = 19 * 1024;
const ARGON2_T_COST: u32 = 2;
const ARGON2_P_COST: u32 = 1;

/// The 32-byte sealing key of `passphrase` and `salt` under the stored Argon2id costs.
fn derive_sealing_key(
    passphrase: &str,
    salt: &[u8],
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
) -> Result<zeroize::Zeroizing<[u8; 32]>, KeyringError> {
    let params = argon2::Params::new(m_cost_kib, t_cost, p_cost, Some(32))
        .map_err(|e| KeyringError::Derivation(format!("argon2 parameters: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = zeroize::Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| KeyringError::Derivation(format!("argon2: {e}")))?;
    Ok(key)
}

/// The associated data that binds a sealed mnemonic to its public fields.
fn associated_data(info: &KeyInfo) -> Vec<u8> {
    format!(
        "hub-keyring-v1\n{}\n{}\n{}",
        info.name, info.address, info.pubkey
    )
    .into_bytes()
}

fn seal(info: &KeyInfo, mnemonic: &str, passphrase: &str) -> Result<Sealed, KeyringError> {
    use chacha20poly1305::{aead::Aead as _, KeyInit as _};
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut nonce);
    let key = derive_sealing_key(
        passphrase,
        &salt,
        ARGON2_M_COST_KIB,
        ARGON2_T_COST,
        ARGON2_P_COST,
    )?;
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(key.as_ref().into());
    let payload = chacha20poly1305::aead::Payload {
        msg: mnemonic.as_bytes(),
        aad: &associated_data(info),
    };
    let ciphertext = cipher
        .encrypt(&nonce.into(), payload)
        .map_err(|e| KeyringError::Derivation(format!("sealing: {e}")))?;
    Ok(Sealed {
        kdf: "argon2id".to_owned(),
        m_cost_kib: ARGON2_M_COST_KIB,
        t_cost: ARGON2_T_COST,
        p_cost: ARGON2_P_COST,
        salt: BASE64.encode(salt),
        cipher: "xchacha20poly1305".to_owned(),
        nonce: BASE64.encode(nonce),
        ciphertext: BASE64.encode(ciphertext),
    })
}

/// Opens a sealed mnemonic. `Ok(None)` means the passphrase is wrong (or the public fields
/// were changed); `Err` means the file itself is malformed (the reason).
fn unseal(
    info: &KeyInfo,
    sealed: &Sealed,
    passphrase: &str,
) -> Result<Option<zeroize::Zeroizing<String>>, String> {
    use chacha20poly1305::{aead::Aead as _, KeyInit as _};
    if sealed.kdf != "argon2id" || sealed.cipher != "xchacha20poly1305" {
        return Err(format!(
            "unknown sealing {} / {}",
            sealed.kdf, sealed.cipher
        ));
    }
    let bytes = |field: &str, text: &str| {
        BASE64
            .decode(text)
            .map_err(|e| format!("sealed.{field} is not base64: {e}"))
    };
    let salt = bytes("salt", &sealed.salt)?;
    let nonce: [u8; 24] = bytes("nonce", &sealed.nonce)?
        .try_into()
        .map_err(|_| "sealed.nonce is not 24 bytes".to_owned())?;
    let ciphertext = bytes("ciphertext", &sealed.ciphertext)?;
    let key = derive_sealing_key(
        passphrase,
        &salt,
        sealed.m_cost_kib,
        sealed.t_cost,
        sealed.p_cost,
    )
    .map_err(|e| e.to_string())?;
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(key.as_ref().into());
    let payload = chacha20poly1305::aead::Payload {
        msg: &ciphertext,
        aad: &associated_data(info),
    };
    let Ok(plain) = cipher.decrypt(&nonce.into(), payload) else {
        return Ok(None);
    };
    String::from_utf8(plain)
        .map(|m| Some(zeroize::Zeroizing::new(m)))
        .map_err(|_| "the sealed mnemonic is not UTF-8".to_owned())
}

/// Reads one passphrase answer: without echo from a terminal, else a line of stdin.
fn read_passphrase(prompt: &str) -> Result<zeroize::Zeroizing<String>, KeyringError> {
    use std::io::{BufRead as _, IsTerminal as _};
    let stdin = std::io::stdin();
    let no_passphrase = |why: String| {
        KeyringError::NoPassphrase(format!(
            "{why}; the file keyring needs its passphrase on stdin (type it, or pipe it in), or use --keyring-backend test for throwaway keys"
        ))
    };
    let line = if stdin.is_terminal() {
        rpassword::prompt_password(format!("{prompt}: "))
            .map_err(|e| no_passphrase(format!("cannot read the passphrase: {e}")))?
    } else {
        eprintln!("{prompt}:");
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| no_passphrase(format!("cannot read the passphrase: {e}")))?;
        line
    };
    let line = zeroize::Zeroizing::new(line);
    let trimmed = line.trim_end_matches(['\r', '\n']);
    if trimmed.is_empty() {
        return Err(no_passphrase("no passphrase given".to_owned()));
    }
    Ok(zeroize::Zeroizing::new(trimmed.to_owned()))
}

/// The keyring of one node home.
#[derive(Debug, Clone)]
pub struct Keyring {
    dir: PathBuf,
    prefix: String,
    backend: KeyringBackend,
    passphrase: Passphrase,
    /// The passphrase once read (a command asks at most once).
    known: std::sync::Arc<std::sync::OnceLock<zeroize::Zeroizing<String>>>,
}

impl Keyring {
    /// The keyring of `backend` in `<home>/keyring-<backend>`, producing addresses with
    /// `bech32_prefix`; a `file` keyring asks for its passphrase as `passphrase` says, when
    /// a secret is first needed. Nothing is created until a key is added.
    pub fn open(
        home: &Path,
        bech32_prefix: &str,
        backend: KeyringBackend,
        passphrase: Passphrase,
    ) -> Self {
        Self {
            dir: home.join(backend.dir_name()),
            prefix: bech32_prefix.to_owned(),
            backend,
            passphrase,
            known: Default::default(),
        }
    }

    /// The plaintext `test` keyring of `home` (localnets, tests, load generators).
    pub fn test(home: &Path, bech32_prefix: &str) -> Self {
        Self::open(
            home,
            bech32_prefix,
            KeyringBackend::Test,
            Passphrase::Prompt,
        )
    }

    /// The keyring directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The backend of this keyring.
    pub fn backend(&self) -> KeyringBackend {
        self.backend
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
        let mnemonic = zeroize::Zeroizing::new(generate_mnemonic()?);
        self.add_from_mnemonic(name, &mnemonic)
    }

    /// Creates a key from an existing mnemonic. A `file` keyring asks for its passphrase
    /// (twice, for its first key) and refuses one that does not open its existing keys.
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
        let info = record.info();
        let stored = match self.backend {
            KeyringBackend::Test => StoredKey {
                info,
                mnemonic: Some(record.mnemonic.clone()),
                sealed: None,
            },
            KeyringBackend::File => {
                let passphrase = self.passphrase_for_writing()?;
                let sealed = seal(&info, &record.mnemonic, &passphrase)?;
                StoredKey {
                    info,
                    mnemonic: None,
                    sealed: Some(sealed),
                }
            }
        };
        self.write(&path, &stored)?;
        Ok(record)
    }

    /// The passphrase to seal a new key with: checked against an existing key, or chosen
    /// (entered twice) for an empty keyring.
    fn passphrase_for_writing(&self) -> Result<zeroize::Zeroizing<String>, KeyringError> {
        if let Some(first) = self.list()?.first() {
            let stored = self.read_stored(&self.path_of(&first.name))?;
            self.open_sealed(&stored, &self.path_of(&first.name))?;
            return Ok(self.known.get().cloned().unwrap_or_default());
        }
        if let Some(known) = self.known.get() {
            return Ok(known.clone());
        }
        let chosen = match &self.passphrase {
            Passphrase::Given(p) => p.clone(),
            Passphrase::Prompt => {
                let first = read_passphrase("Enter keyring passphrase")?;
                let again = read_passphrase("Re-enter keyring passphrase")?;
                if *first != *again {
                    return Err(KeyringError::BadNewPassphrase(
                        "the two passphrases differ; nothing was written".to_owned(),
                    ));
                }
                first
            }
        };
        if chosen.chars().count() < MIN_PASSPHRASE_LEN {
            return Err(KeyringError::BadNewPassphrase(format!(
                "the keyring passphrase must have at least {MIN_PASSPHRASE_LEN} characters; nothing was written"
            )));
        }
        let _ = self.known.set(chosen.clone());
        Ok(chosen)
    }

    /// The passphrase to open existing keys with (asked once per command).
    fn passphrase_for_reading(&self) -> Result<zeroize::Zeroizing<String>, KeyringError> {
        if let Some(known) = self.known.get() {
            return Ok(known.clone());
        }
        match &self.passphrase {
            Passphrase::Given(p) => Ok(p.clone()),
            Passphrase::Prompt => read_passphrase("Enter keyring passphrase"),
        }
    }

    fn open_sealed(
        &self,
        stored: &StoredKey,
        path: &Path,
    ) -> Result<zeroize::Zeroizing<String>, KeyringError> {
        let corrupt = |reason: String| KeyringError::Corrupt {
            path: path.to_owned(),
            reason,
        };
        let Some(sealed) = &stored.sealed else {
            return Err(corrupt(
                "a file-keyring key without a sealed mnemonic".to_owned(),
            ));
        };
        let passphrase = self.passphrase_for_reading()?;
        match unseal(&stored.info, sealed, &passphrase).map_err(corrupt)? {
            Some(mnemonic) => {
                let _ = self.known.set(passphrase);
                Ok(mnemonic)
            }
            None => Err(KeyringError::WrongPassphrase {
                dir: self.dir.clone(),
            }),
        }
    }

    fn write(&self, path: &Path, stored: &StoredKey) -> Result<(), KeyringError> {
        let io = |source| KeyringError::Io {
            path: self.dir.clone(),
            source,
        };
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
            .map_err(io)?;
        let mut text =
            zeroize::Zeroizing::new(serde_json::to_string_pretty(stored).map_err(|e| {
                KeyringError::Corrupt {
                    path: path.to_owned(),
                    reason: e.to_string(),
                }
            })?);
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

    fn not_found(&self, name: &str) -> KeyringError {
        KeyringError::NotFound {
            name: name.to_owned(),
            dir: self.dir.clone(),
        }
    }

    /// The file of the existing key `name`. Errors: [`KeyringError::NotFound`].
    fn existing(&self, name: &str) -> Result<PathBuf, KeyringError> {
        validate_key_name(name).map_err(|_| self.not_found(name))?;
        let path = self.path_of(name);
        if !path.is_file() {
            return Err(self.not_found(name));
        }
        Ok(path)
    }

    /// The public part of the key named `name` (no passphrase needed).
    pub fn info(&self, name: &str) -> Result<KeyInfo, KeyringError> {
        Ok(self.read_stored(&self.existing(name)?)?.info.clone())
    }

    /// Reads the key named `name` with its mnemonic (a `file` keyring asks for its
    /// passphrase) and checks that the mnemonic derives the stored address.
    pub fn get(&self, name: &str) -> Result<KeyRecord, KeyringError> {
        let path = self.existing(name)?;
        let stored = self.read_stored(&path)?;
        let info = stored.info.clone();
        let mnemonic = match self.backend {
            KeyringBackend::Test => match &stored.mnemonic {
                Some(m) => zeroize::Zeroizing::new(m.clone()),
                None => {
                    return Err(KeyringError::Corrupt {
                        path,
                        reason: "a test-keyring key without a mnemonic".to_owned(),
                    })
                }
            },
            KeyringBackend::File => self.open_sealed(&stored, &path)?,
        };
        let record = KeyRecord {
            name: info.name,
            address: info.address,
            pubkey: info.pubkey,
            mnemonic: mnemonic.to_string(),
        };
        let derived = record.derive().map_err(|e| KeyringError::Corrupt {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        if derived.address(&self.prefix)? != record.address {
            return Err(KeyringError::Corrupt {
                path,
                reason: format!(
                    "its address {} does not match its mnemonic (or belongs to another chain prefix than {:?})",
                    record.address, self.prefix
                ),
            });
        }
        Ok(record)
    }

    fn read_stored(&self, path: &Path) -> Result<StoredKey, KeyringError> {
        let text = zeroize::Zeroizing::new(fs::read_to_string(path).map_err(|source| {
            KeyringError::Io {
                path: path.to_owned(),
                source,
            }
        })?);
        serde_json::from_str(&text).map_err(|e| KeyringError::Corrupt {
            path: path.to_owned(),
            reason: e.to_string(),
        })
    }

    /// The public part of every key, sorted by name. An absent keyring directory is an empty
    /// keyring.
    pub fn list(&self) -> Result<Vec<KeyInfo>, KeyringError> {
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
        let mut keys = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| KeyringError::Io {
                path: self.dir.clone(),
                source,
            })?;
            let path = entry.path();
            if path.extension().is_some_and(|ext| ext == "json") {
                keys.push(self.read_stored(&path)?.info.clone());
            }
        }
        keys.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(keys)
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
        let keyring = Keyring::test(home.path(), "hub");
        let alice = keyring.add_from_mnemonic("alice", ABANDON).unwrap();
        let shown = format!("{alice:?}");
        assert!(shown.contains(&alice.address), "{shown}");
        assert!(!shown.contains("abandon"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn keyring_round_trip() {
        let home = tempfile::tempdir().unwrap();
        let keyring = Keyring::test(home.path(), "hub");
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
        let keyring = Keyring::test(home.path(), "hub");
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
        let keyring = Keyring::test(home.path(), "hub");
        keyring.add_from_mnemonic("alice", ABANDON).unwrap();
        let bob = keyring.add_new("bob").unwrap();
        let path = home.path().join("keyring-test/alice.json");
        let mut value: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        value["address"] = bob.address.clone().into();
        fs::write(&path, value.to_string()).unwrap();
        assert!(matches!(
            keyring.get("alice"),
            Err(KeyringError::Corrupt { .. })
        ));
    }

    fn file_keyring(home: &Path, passphrase: &str) -> Keyring {
        Keyring::open(
            home,
            "hub",
            KeyringBackend::File,
            Passphrase::Given(zeroize::Zeroizing::new(passphrase.to_owned())),
        )
    }

    #[test]
    fn the_file_keyring_keeps_no_mnemonic_word_on_disk_and_opens_only_with_its_passphrase() {
        let home = tempfile::tempdir().unwrap();
        let keyring = file_keyring(home.path(), "correct horse");
        let alice = keyring.add_from_mnemonic("alice", ABANDON).unwrap();

        let path = home.path().join("keyring-file/alice.json");
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.contains("abandon"), "{text}");
        assert!(text.contains(&alice.address), "{text}");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );

        // Public parts need no passphrase; the secret needs the right one.
        let stranger = file_keyring(home.path(), "wrong horse");
        assert_eq!(stranger.info("alice").unwrap(), alice.info());
        assert_eq!(stranger.list().unwrap(), vec![alice.info()]);
        assert!(matches!(
            stranger.get("alice"),
            Err(KeyringError::WrongPassphrase { .. })
        ));
        let reopened = file_keyring(home.path(), "correct horse")
            .get("alice")
            .unwrap();
        assert_eq!(reopened, alice);
        assert_eq!(
            reopened.derive().unwrap().address("hub").unwrap(),
            alice.address
        );
    }

    #[test]
    fn an_attacker_who_swaps_the_address_of_a_sealed_key_is_detected() {
        let home = tempfile::tempdir().unwrap();
        let keyring = file_keyring(home.path(), "correct horse");
        keyring.add_from_mnemonic("alice", ABANDON).unwrap();
        let bob = keyring.add_new("bob").unwrap();
        let path = home.path().join("keyring-file/alice.json");
        let mut value: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        value["address"] = bob.address.clone().into();
        fs::write(&path, value.to_string()).unwrap();
        // `keys show` would print bob's address for alice, but nothing signs with it.
        assert!(file_keyring(home.path(), "correct horse")
            .get("alice")
            .is_err());
    }

    #[test]
    fn a_file_keyring_keeps_one_passphrase_and_refuses_a_short_one() {
        let home = tempfile::tempdir().unwrap();
        assert!(matches!(
            file_keyring(home.path(), "short").add_new("alice"),
            Err(KeyringError::BadNewPassphrase(_))
        ));
        assert!(!home.path().join("keyring-file/alice.json").exists());
        file_keyring(home.path(), "correct horse")
            .add_new("alice")
            .unwrap();
        assert!(matches!(
            file_keyring(home.path(), "another horse").add_new("bob"),
            Err(KeyringError::WrongPassphrase { .. })
        ));
        assert!(!home.path().join("keyring-file/bob.json").exists());
        file_keyring(home.path(), "correct horse")
            .add_new("bob")
            .unwrap();
    }
}
