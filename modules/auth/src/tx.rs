//! Decoding of Cosmos SDK transactions (`cosmos.tx.v1beta1.TxRaw`) with all stateless checks.

use crate::Address;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{mode_info, AuthInfo, TxBody, TxRaw};
use cosmos_sdk_proto::Any;
use hub_framework::SdkError;
use prost::Message;

/// Type URL of the only supported account key type.
pub const SECP256K1_PUBKEY_TYPE_URL: &str = "/cosmos.crypto.secp256k1.PubKey";

/// A decoded, shape-checked transaction. Keeps the raw body and auth-info bytes, because the
/// signature is over exactly those bytes (SIGN_MODE_DIRECT), not over a re-encoding.
#[derive(Clone, Debug)]
pub struct DecodedTx {
    /// Size of the raw tx in bytes.
    pub raw_len: usize,
    /// Raw `TxBody` bytes as signed.
    pub body_bytes: Vec<u8>,
    /// Raw `AuthInfo` bytes as signed.
    pub auth_info_bytes: Vec<u8>,
    /// The single 64-byte signature (r ‖ s).
    pub signature: Vec<u8>,
    /// The messages, in order, still as `Any` (the runtime routes them by type URL).
    pub messages: Vec<Any>,
    /// The memo.
    pub memo: String,
    /// Compressed secp256k1 public key of the signer, if the tx carries it.
    pub signer_pubkey: Option<Vec<u8>>,
    /// The signer's sequence the tx was signed with.
    pub sequence: u64,
    /// Fee amount, in `fee_denom` (0 if the fee is empty).
    pub fee_amount: u128,
    /// Denom of the fee (empty if the fee is empty).
    pub fee_denom: String,
    /// Gas limit.
    pub gas_limit: u64,
    /// The fee payer named in the fee, if any (must equal the signer when set).
    pub fee_payer: String,
}

impl DecodedTx {
    /// Decodes `bytes` and checks the shape. Limits (`tx_size_limit`, memo length) are
    /// checked by [`crate::ante`], which knows the params.
    ///
    /// Errors (codespace `sdk`): 2 (not a TxRaw, or unknown critical extension options, or
    /// no messages), 15 (no signature), 14 (more than one signer), 8 (a key type other than
    /// secp256k1), 18 (a sign mode other than DIRECT, timeout height set, a zero gas limit),
    /// 10 (a fee with several coins or an unparsable amount).
    pub fn decode(bytes: &[u8]) -> Result<Self, SdkError> {
        let raw = TxRaw::decode(bytes).map_err(|e| SdkError::TxDecode(format!("TxRaw: {e}")))?;
        let body = TxBody::decode(raw.body_bytes.as_slice())
            .map_err(|e| SdkError::TxDecode(format!("TxBody: {e}")))?;
        let auth_info = AuthInfo::decode(raw.auth_info_bytes.as_slice())
            .map_err(|e| SdkError::TxDecode(format!("AuthInfo: {e}")))?;
        if body.messages.is_empty() {
            return Err(SdkError::TxDecode("the tx has no messages".into()));
        }
        if !body.extension_options.is_empty() {
            return Err(SdkError::TxDecode(
                "unknown extension options are not supported".into(),
            ));
        }
        if body.timeout_height != 0 {
            return Err(SdkError::InvalidRequest(
                "timeout_height is not supported; leave it 0".into(),
            ));
        }
        let signature = match raw.signatures.as_slice() {
            [] => return Err(SdkError::NoSignatures),
            [s] => s.clone(),
            many => {
                return Err(SdkError::TooManySignatures(format!(
                    "{} signatures; only single-signer txs are supported",
                    many.len()
                )))
            }
        };
        let signer = match auth_info.signer_infos.as_slice() {
            [s] => s.clone(),
            [] => return Err(SdkError::NoSignatures),
            many => {
                return Err(SdkError::TooManySignatures(format!(
                    "{} signer infos; only single-signer txs are supported",
                    many.len()
                )))
            }
        };
        let direct = matches!(
            signer.mode_info.as_ref().and_then(|m| m.sum.as_ref()),
            Some(mode_info::Sum::Single(s)) if s.mode == SignMode::Direct as i32
        );
        if !direct {
            return Err(SdkError::InvalidRequest(
                "only SIGN_MODE_DIRECT single signatures are supported".into(),
            ));
        }
        let signer_pubkey = match signer.public_key {
            None => None,
            Some(any) if any.type_url == SECP256K1_PUBKEY_TYPE_URL => {
                let pk = cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey::decode(
                    any.value.as_slice(),
                )
                .map_err(|e| SdkError::InvalidPubKey(format!("secp256k1 PubKey: {e}")))?;
                if pk.key.len() != 33 {
                    return Err(SdkError::InvalidPubKey(format!(
                        "secp256k1 key must be 33 bytes (compressed), got {}",
                        pk.key.len()
                    )));
                }
                Some(pk.key)
            }
            Some(any) => {
                return Err(SdkError::InvalidPubKey(format!(
                    "key type {} is not supported; use {SECP256K1_PUBKEY_TYPE_URL}",
                    any.type_url
                )))
            }
        };
        let fee = auth_info.fee.unwrap_or_default();
        if fee.gas_limit == 0 {
            return Err(SdkError::InvalidRequest(
                "gas limit must be positive".into(),
            ));
        }
        let (fee_amount, fee_denom) = match fee.amount.as_slice() {
            [] => (0, String::new()),
            [c] => (
                c.amount.parse::<u128>().map_err(|_| {
                    SdkError::InvalidCoins(format!("fee amount {:?} is not a u128", c.amount))
                })?,
                c.denom.clone(),
            ),
            _ => {
                return Err(SdkError::InvalidCoins(
                    "the fee must be a single coin in the fee denom".into(),
                ))
            }
        };
        Ok(DecodedTx {
            raw_len: bytes.len(),
            body_bytes: raw.body_bytes,
            auth_info_bytes: raw.auth_info_bytes,
            signature,
            messages: body.messages,
            memo: body.memo,
            signer_pubkey,
            sequence: signer.sequence,
            fee_amount,
            fee_denom,
            gas_limit: fee.gas_limit,
            fee_payer: fee.payer,
        })
    }

    /// The signer address derived from the carried public key, if any.
    pub fn signer_from_pubkey(&self) -> Option<Address> {
        self.signer_pubkey.as_deref().map(Address::from_pubkey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmos_sdk_proto::cosmos::tx::v1beta1::{Fee, ModeInfo, SignerInfo};

    fn raw(body: TxBody, auth: AuthInfo, sigs: usize) -> Vec<u8> {
        TxRaw {
            body_bytes: body.encode_to_vec(),
            auth_info_bytes: auth.encode_to_vec(),
            signatures: vec![vec![0u8; 64]; sigs],
        }
        .encode_to_vec()
    }

    fn signer(mode: SignMode) -> SignerInfo {
        SignerInfo {
            public_key: None,
            mode_info: Some(ModeInfo {
                sum: Some(mode_info::Sum::Single(mode_info::Single {
                    mode: mode as i32,
                })),
            }),
            sequence: 4,
        }
    }

    fn body() -> TxBody {
        TxBody {
            messages: vec![Any {
                type_url: "/x".into(),
                value: vec![],
            }],
            ..Default::default()
        }
    }

    #[allow(deprecated)] // `tip` is deprecated in the SDK; it is left empty
    fn auth(s: Vec<SignerInfo>, gas: u64) -> AuthInfo {
        AuthInfo {
            signer_infos: s,
            fee: Some(Fee {
                amount: vec![],
                gas_limit: gas,
                payer: String::new(),
                granter: String::new(),
            }),
            tip: None,
        }
    }

    #[test]
    fn a_well_formed_tx_decodes_with_its_raw_bytes() {
        let t =
            DecodedTx::decode(&raw(body(), auth(vec![signer(SignMode::Direct)], 10), 1)).unwrap();
        assert_eq!((t.sequence, t.gas_limit, t.fee_amount), (4, 10, 0));
        assert_eq!(t.body_bytes, body().encode_to_vec());
    }

    #[test]
    fn malformed_txs_are_refused_with_sdk_codes() {
        use hub_framework::AbciCode;
        let code = |bytes: Vec<u8>| DecodedTx::decode(&bytes).unwrap_err().code();
        assert_eq!(code(vec![0xff, 0xff, 0xff]), 2);
        assert_eq!(
            code(raw(
                TxBody::default(),
                auth(vec![signer(SignMode::Direct)], 10),
                1
            )),
            2
        );
        assert_eq!(
            code(raw(body(), auth(vec![signer(SignMode::Direct)], 10), 0)),
            15
        );
        assert_eq!(
            code(raw(body(), auth(vec![signer(SignMode::Direct)], 10), 2)),
            14
        );
        assert_eq!(
            code(raw(
                body(),
                auth(vec![signer(SignMode::LegacyAminoJson)], 10),
                1
            )),
            18
        );
        assert_eq!(
            code(raw(body(), auth(vec![signer(SignMode::Direct)], 0), 1)),
            18
        );
        let mut other_key = signer(SignMode::Direct);
        other_key.public_key = Some(Any {
            type_url: "/cosmos.crypto.ed25519.PubKey".into(),
            value: vec![],
        });
        assert_eq!(code(raw(body(), auth(vec![other_key], 10), 1)), 8);
    }
}
