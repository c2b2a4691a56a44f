//! Test fixtures shared by module and app tests: deterministic keys, signed Cosmos SDK
//! transactions (with knobs to make them wrong in every way a test needs), genesis files, and
//! real CometBFT signed headers for light-client tests ([`chain`]), and a check that a list
//! query pages as the Cosmos SDK's `query.Paginate` ([`paging`]).

pub mod chain;
pub mod ibc;
pub mod paging;

use base64::Engine;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{
    mode_info, AuthInfo, Fee, ModeInfo, SignDoc, SignerInfo, TxBody, TxRaw,
};
use cosmos_sdk_proto::Any;
use hub_auth::Address;
use k256::ecdsa::{signature::Signer, Signature, SigningKey};
use prost::Message;
use sha2::{Digest, Sha256};

/// A secp256k1 account key derived deterministically from a seed string.
#[derive(Clone)]
pub struct TestKey {
    /// The signing key.
    pub signing: SigningKey,
}

impl TestKey {
    /// The key whose secret is sha256(seed).
    pub fn new(seed: &str) -> Self {
        let secret = Sha256::digest(seed.as_bytes());
        // sha256 output is a valid scalar with overwhelming probability; seeds in tests are fixed
        TestKey {
            signing: SigningKey::from_slice(&secret).expect("valid test key"),
        }
    }

    /// Compressed public key (33 bytes).
    pub fn pubkey(&self) -> Vec<u8> {
        self.signing
            .verifying_key()
            .to_encoded_point(true)
            .as_bytes()
            .to_vec()
    }

    /// The account address.
    pub fn address(&self) -> Address {
        Address::from_pubkey(&self.pubkey())
    }

    /// The bech32 address with prefix `hub`.
    pub fn hub(&self) -> String {
        self.address().to_bech32("hub")
    }
}

/// Everything that goes into a signed transaction; defaults make a valid one.
#[derive(Clone)]
pub struct TxSpec {
    /// Messages.
    pub msgs: Vec<Any>,
    /// Chain id in the SignDoc.
    pub chain_id: String,
    /// Account number in the SignDoc.
    pub account_number: u64,
    /// Sequence in the signer info.
    pub sequence: u64,
    /// Fee amount in `fee_denom`.
    pub fee: u128,
    /// Fee denom.
    pub fee_denom: String,
    /// Gas limit.
    pub gas: u64,
    /// Memo.
    pub memo: String,
    /// Include the public key in the signer info.
    pub include_pubkey: bool,
}

impl TxSpec {
    /// A valid spec for `msgs` on `hub-1` with account number 0, sequence 0, fee 1000uhub,
    /// gas 200 000.
    pub fn new(msgs: Vec<Any>) -> Self {
        TxSpec {
            msgs,
            chain_id: "hub-1".into(),
            account_number: 0,
            sequence: 0,
            fee: 1_000,
            fee_denom: "uhub".into(),
            gas: 200_000,
            memo: String::new(),
            include_pubkey: true,
        }
    }

    /// Signs with `key` and returns the `TxRaw` bytes.
    pub fn sign(&self, key: &TestKey) -> Vec<u8> {
        self.sign_as(key, key)
    }

    /// Puts `claimed`'s public key in the tx but signs with `signer` (a forged signature).
    pub fn sign_as(&self, claimed: &TestKey, signer: &TestKey) -> Vec<u8> {
        let body = TxBody {
            messages: self.msgs.clone(),
            memo: self.memo.clone(),
            ..Default::default()
        };
        #[allow(deprecated)] // `tip` is deprecated in the SDK; it is left empty
        let auth = AuthInfo {
            signer_infos: vec![SignerInfo {
                public_key: self
                    .include_pubkey
                    .then(|| hub_auth::ante::pubkey_any(&claimed.pubkey())),
                mode_info: Some(ModeInfo {
                    sum: Some(mode_info::Sum::Single(mode_info::Single {
                        mode: SignMode::Direct as i32,
                    })),
                }),
                sequence: self.sequence,
            }],
            fee: Some(Fee {
                amount: if self.fee == 0 {
                    vec![]
                } else {
                    vec![Coin {
                        denom: self.fee_denom.clone(),
                        amount: self.fee.to_string(),
                    }]
                },
                gas_limit: self.gas,
                payer: String::new(),
                granter: String::new(),
            }),
            tip: None,
        };
        let (body_bytes, auth_info_bytes) = (body.encode_to_vec(), auth.encode_to_vec());
        let doc = SignDoc {
            body_bytes: body_bytes.clone(),
            auth_info_bytes: auth_info_bytes.clone(),
            chain_id: self.chain_id.clone(),
            account_number: self.account_number,
        };
        let sig: Signature = signer.signing.sign(&doc.encode_to_vec());
        let sig = sig.normalize_s().unwrap_or(sig);
        TxRaw {
            body_bytes,
            auth_info_bytes,
            signatures: vec![sig.to_bytes().to_vec()],
        }
        .encode_to_vec()
    }
}

/// `Any` of a `MsgSend` of `amount` `denom` (amount as a string, so tests can send "0", "-5"…).
pub fn msg_send(from: &str, to: &str, amount: &str, denom: &str) -> Any {
    Any {
        type_url: "/cosmos.bank.v1beta1.MsgSend".into(),
        value: cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend {
            from_address: from.into(),
            to_address: to.into(),
            amount: vec![Coin {
                denom: denom.into(),
                amount: amount.into(),
            }],
        }
        .encode_to_vec(),
    }
}

/// The `app_state` JSON of a hub with the given funded accounts (uhub) and one validator per
/// ed25519 key (power 10), operated by the account at the same index (or, past the accounts,
/// by `Address([i + 1; 20])`). Min gas price 0.001uhub.
pub fn app_state(accounts: &[(String, u128)], validator_keys: &[[u8; 32]]) -> serde_json::Value {
    let b64 = base64::engine::general_purpose::STANDARD;
    serde_json::json!({
        "auth": {
            "params": {"max_memo_characters": "256", "tx_size_limit": "65536", "min_gas_price": "0.001", "fee_denom": "uhub"},
            "accounts": accounts.iter().map(|(a, _)| serde_json::json!({"address": a})).collect::<Vec<_>>(),
        },
        "bank": {
            "balances": accounts.iter().map(|(a, n)| serde_json::json!({"address": a, "coins": [{"denom": "uhub", "amount": n.to_string()}]})).collect::<Vec<_>>(),
            "denom_metadata": [{"base": "uhub", "display": "hub", "description": "hub token", "denom_units": [{"denom": "uhub", "exponent": 0}, {"denom": "hub", "exponent": 6}]}],
        },
        "staking": {
            "params": {"unbonding_time": "1814400s", "max_validators": 100, "bond_denom": "uhub", "historical_entries": 10000},
            "validators": validator_keys.iter().enumerate().map(|(i, k)| serde_json::json!({
                "moniker": format!("val{i}"),
                "operator_address": accounts.get(i).map(|a| a.0.clone()).unwrap_or_else(|| Address([i as u8 + 1; 20]).to_bech32("hub")),
                "consensus_pubkey": b64.encode(k),
                "power": "10",
            })).collect::<Vec<_>>(),
        },
    })
}

/// An empty temporary store with the substores `prefixes`, and an uncommitted state over its
/// latest snapshot. The store must outlive the state.
pub async fn temp_state(
    prefixes: &[&str],
) -> (
    hub_framework::cnidarium::TempStorage,
    hub_framework::cnidarium::StateDelta<hub_framework::cnidarium::Snapshot>,
) {
    let prefixes = prefixes.iter().map(|p| p.to_string()).collect();
    let storage = hub_framework::cnidarium::TempStorage::new_with_prefixes(prefixes)
        .await
        .expect("a temporary store");
    let state = hub_framework::cnidarium::StateDelta::new(storage.latest_snapshot());
    (storage, state)
}

/// The value of the first attribute `key` of the events of type `kind`, if there is one.
pub fn first_attr(events: &[tendermint::abci::Event], kind: &str, key: &str) -> Option<String> {
    events
        .iter()
        .filter(|e| e.kind == kind)
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key_str().ok() == Some(key))
        .map(|a| a.value_str().expect("a UTF-8 attribute value").to_string())
}
