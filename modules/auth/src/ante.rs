//! Authentication of a decoded transaction against state ("ante handler").
//!
//! Order, as in the Cosmos SDK ante chain: size and memo limits → fee covers
//! `gas_limit × min_gas_price` → signer account exists → public key matches the signer →
//! sequence equals the account's → signature over the SignDoc → sequence + 1.
//! Nothing is written unless every check passes.

use crate::{tx::DecodedTx, tx::SECP256K1_PUBKEY_TYPE_URL, Address, AuthRead, AuthWrite};
use cosmos_sdk_proto::cosmos::tx::v1beta1::SignDoc;
use hub_framework::{cnidarium::StateWrite, GasMeter, Handled, SdkError, GAS_COSTS};
use prost::Message;

/// Why the transaction is being authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Mempool admission of a new tx (CheckTx of kind New): all checks.
    Check,
    /// Mempool re-admission after a commit (CheckTx of kind Recheck): all checks but the
    /// signature, which was verified when the same bytes were first admitted and cannot have
    /// changed (the Cosmos SDK's `SigVerificationDecorator` skips it on ReCheckTx too). The
    /// sequence, the fee and the balance are checked again against the new state.
    Recheck,
    /// Block execution (FinalizeBlock): all checks.
    Deliver,
    /// Gas estimation (`Simulate`): the signature and the fee minimum are not checked, as in
    /// the Cosmos SDK, so a client can estimate before it knows the fee. Simulate runs on the
    /// mempool's check-state (as the SDK's does), which holds the signer's admitted txs; a
    /// sequence *ahead* of it is still accepted (a client may sign several txs before it
    /// broadcasts the first), one behind is `sdk`/32.
    Simulate,
}

const DECIMALS: u128 = 1_000_000_000_000_000_000;

/// Parses a non-negative decimal ("0.001") into an integer scaled by 10^18.
/// Returns `None` for anything else (signs, exponents, more than 18 fractional digits).
pub fn parse_decimal_18(s: &str) -> Option<u128> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty()
        || frac.len() > 18
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let int: u128 = int.parse().ok()?;
    let frac_val: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    let scale = 10u128.pow(18 - frac.len() as u32);
    int.checked_mul(DECIMALS)?.checked_add(frac_val * scale)
}

/// The minimum fee for `gas_limit` at `price_18` (price × 10^18), rounded up.
pub fn required_fee(gas_limit: u64, price_18: u128) -> u128 {
    let product = (gas_limit as u128).saturating_mul(price_18);
    product.div_ceil(DECIMALS)
}

/// Authenticates `tx` signed by `signer` and increments the signer's sequence.
///
/// `chain_id` is this chain's id (part of the SignDoc). Charges the tx size and signature
/// verification to `gas`.
///
/// Errors (codespace `sdk`): 21 tx too large, 12 memo too large, 13 insufficient fee or a fee
/// in another denom, 9 unknown signer account, 8 missing or mismatching public key,
/// 32 wrong sequence, 4 bad signature (the log names the account number and chain id used),
/// 11 out of gas.
pub async fn authenticate<S: StateWrite>(
    s: &mut S,
    tx: &DecodedTx,
    signer: &Address,
    chain_id: &str,
    hrp: &str,
    mode: Mode,
    gas: &GasMeter,
) -> Handled {
    let params = s.auth_params().await?;
    if tx.raw_len as u64 > params.tx_size_limit {
        return Err(SdkError::TxTooLarge(format!(
            "{} bytes, the limit is {}",
            tx.raw_len, params.tx_size_limit
        ))
        .into());
    }
    let memo_chars = tx.memo.chars().count() as u64;
    if memo_chars > params.max_memo_characters {
        return Err(SdkError::MemoTooLarge(format!(
            "{memo_chars} characters, the limit is {}",
            params.max_memo_characters
        ))
        .into());
    }
    gas.charge(GAS_COSTS.tx_byte * tx.raw_len as u64, "txSize")
        .map_err(|e| SdkError::OutOfGas(e.to_string()))?;
    check_fee(tx, &params, mode)?;
    if !tx.fee_payer.is_empty() && tx.fee_payer != signer.to_bech32(hrp) {
        return Err(SdkError::InvalidRequest(
            "a fee payer other than the signer is not supported".into(),
        )
        .into());
    }

    let mut account = s.account(signer).await?.ok_or_else(|| {
        SdkError::UnknownAddress(format!(
            "account {} does not exist; it must receive funds first",
            signer.to_bech32(hrp)
        ))
    })?;
    let pubkey = signer_pubkey(&account, tx, signer)?;
    let sequence_ok = match mode {
        Mode::Simulate => tx.sequence >= account.sequence,
        Mode::Check | Mode::Recheck | Mode::Deliver => tx.sequence == account.sequence,
    };
    if !sequence_ok {
        return Err(SdkError::WrongSequence {
            expected: account.sequence,
            got: tx.sequence,
        }
        .into());
    }
    gas.charge(GAS_COSTS.sig_verify_secp256k1, "sigVerify")
        .map_err(|e| SdkError::OutOfGas(e.to_string()))?;
    if matches!(mode, Mode::Check | Mode::Deliver) {
        verify_signature(tx, &pubkey, chain_id, account.account_number)?;
    }
    if account.pub_key.is_none() {
        account.pub_key = Some(pubkey_any(&pubkey));
    }
    account.sequence += 1;
    s.put_account(signer, &account);
    Ok(())
}

fn check_fee(
    tx: &DecodedTx,
    params: &hub_proto::auth::v1::Params,
    mode: Mode,
) -> Result<(), SdkError> {
    if tx.fee_amount > 0 && tx.fee_denom != params.fee_denom {
        return Err(SdkError::InsufficientFee(format!(
            "fees must be paid in {}, got {}",
            params.fee_denom, tx.fee_denom
        )));
    }
    if mode == Mode::Simulate {
        return Ok(());
    }
    let price = parse_decimal_18(&params.min_gas_price).unwrap_or(0);
    let required = required_fee(tx.gas_limit, price);
    if tx.fee_amount < required {
        return Err(SdkError::InsufficientFee(format!(
            "got {}{}, required at least {required}{} ({} gas × {} {}/gas)",
            tx.fee_amount,
            params.fee_denom,
            params.fee_denom,
            tx.gas_limit,
            params.min_gas_price,
            params.fee_denom
        )));
    }
    Ok(())
}

/// The public key to verify with: the account's, or the one carried by the tx (which must hash
/// to the signer address).
fn signer_pubkey(
    account: &cosmos_sdk_proto::cosmos::auth::v1beta1::BaseAccount,
    tx: &DecodedTx,
    signer: &Address,
) -> Result<Vec<u8>, SdkError> {
    let stored = match &account.pub_key {
        Some(any) => Some(
            cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey::decode(any.value.as_slice())
                .map_err(|e| SdkError::InvalidPubKey(format!("stored key: {e}")))?
                .key,
        ),
        None => None,
    };
    let key = match (stored, &tx.signer_pubkey) {
        (Some(a), Some(b)) if &a != b => {
            return Err(SdkError::InvalidPubKey(
                "the tx's public key differs from the account's".into(),
            ))
        }
        (Some(a), _) => a,
        (None, Some(b)) => b.clone(),
        (None, None) => {
            return Err(SdkError::InvalidPubKey(
                "the account has no public key yet; the first tx must carry it".into(),
            ))
        }
    };
    if Address::from_pubkey(&key) != *signer {
        return Err(SdkError::InvalidPubKey(
            "the public key does not belong to the message signer".into(),
        ));
    }
    Ok(key)
}

fn verify_signature(
    tx: &DecodedTx,
    pubkey: &[u8],
    chain_id: &str,
    account_number: u64,
) -> Result<(), SdkError> {
    let unauthorized = || {
        SdkError::Unauthorized(format!(
            "signature verification failed; please verify account number ({account_number}) and chain-id ({chain_id})"
        ))
    };
    let doc = SignDoc {
        body_bytes: tx.body_bytes.clone(),
        auth_info_bytes: tx.auth_info_bytes.clone(),
        chain_id: chain_id.to_string(),
        account_number,
    }
    .encode_to_vec();
    verify_secp256k1(pubkey, &doc, &tx.signature).map_err(|e| match e {
        SigError::Key => SdkError::InvalidPubKey("not a valid secp256k1 point".into()),
        SigError::HighS => SdkError::Unauthorized("signature is not in low-S form".into()),
        SigError::Invalid => unauthorized(),
    })
}

/// Why a secp256k1 signature does not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigError {
    /// The public key is not a point of the curve (SEC1, compressed or not).
    Key,
    /// The signature's `s` is in the upper half of the group order: Cosmos accepts only low-S
    /// signatures, so that a signature is not malleable.
    HighS,
    /// Not 64 bytes `r ‖ s`, or not a signature of the message by the key.
    Invalid,
}

/// Verifies the 64-byte `r ‖ s` ECDSA signature `sig` of `sha256(msg)` by the SEC1 key
/// `pubkey`, as the Cosmos SDK's `secp256k1.PubKey.VerifySignature`: low-S only. Runs on
/// libsecp256k1.
///
/// Errors: [`SigError`].
pub fn verify_secp256k1(pubkey: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), SigError> {
    use secp256k1::{ecdsa::Signature, Message, PublicKey, Secp256k1, VerifyOnly};
    use sha2::Digest as _;
    static VERIFIER: std::sync::OnceLock<Secp256k1<VerifyOnly>> = std::sync::OnceLock::new();
    let key = PublicKey::from_slice(pubkey).map_err(|_| SigError::Key)?;
    if sig.len() != 64 {
        return Err(SigError::Invalid);
    }
    let signature = Signature::from_compact(sig).map_err(|_| SigError::Invalid)?;
    let mut low = signature;
    low.normalize_s();
    if low != signature {
        return Err(SigError::HighS);
    }
    let digest: [u8; 32] = sha2::Sha256::digest(msg).into();
    let message = Message::from_digest(digest);
    VERIFIER
        .get_or_init(Secp256k1::verification_only)
        .verify_ecdsa(&message, &signature, &key)
        .map_err(|_| SigError::Invalid)
}

/// Wraps a compressed secp256k1 key as `Any{/cosmos.crypto.secp256k1.PubKey}`.
pub fn pubkey_any(key: &[u8]) -> cosmos_sdk_proto::Any {
    cosmos_sdk_proto::Any {
        type_url: SECP256K1_PUBKEY_TYPE_URL.into(),
        value: cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey { key: key.to_vec() }
            .encode_to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_exactly_and_reject_garbage() {
        assert_eq!(parse_decimal_18("0.001"), Some(1_000_000_000_000_000));
        assert_eq!(parse_decimal_18("2"), Some(2 * DECIMALS));
        assert_eq!(parse_decimal_18("0"), Some(0));
        for bad in [
            "",
            "-1",
            "1e3",
            ".5",
            "0.0000000000000000001",
            "1.2.3",
            " 1",
        ] {
            assert_eq!(parse_decimal_18(bad), None, "{bad}");
        }
    }

    fn signed(msg: &[u8]) -> (Vec<u8>, Vec<u8>) {
        use k256::ecdsa::{signature::Signer, Signature, SigningKey};
        let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let sig: Signature = key.sign(msg);
        let sig = sig.normalize_s().unwrap_or(sig);
        let pubkey = key.verifying_key().to_sec1_bytes().to_vec();
        (pubkey, sig.to_bytes().to_vec())
    }

    #[test]
    fn a_low_s_signature_verifies_and_any_other_message_or_key_does_not() {
        let (pubkey, sig) = signed(b"sign doc");
        assert_eq!(pubkey.len(), 33, "compressed");
        assert_eq!(verify_secp256k1(&pubkey, b"sign doc", &sig), Ok(()));
        assert_eq!(
            verify_secp256k1(&pubkey, b"sign dog", &sig),
            Err(SigError::Invalid)
        );
        let (other, _) = {
            use k256::ecdsa::SigningKey;
            let k = SigningKey::from_slice(&[8u8; 32]).unwrap();
            (k.verifying_key().to_sec1_bytes().to_vec(), ())
        };
        assert_eq!(
            verify_secp256k1(&other, b"sign doc", &sig),
            Err(SigError::Invalid)
        );
        assert_eq!(
            verify_secp256k1(&[5u8; 33], b"sign doc", &sig),
            Err(SigError::Key)
        );
        assert_eq!(
            verify_secp256k1(&pubkey, b"sign doc", &sig[..63]),
            Err(SigError::Invalid)
        );
    }

    #[test]
    fn a_high_s_signature_of_the_right_message_is_refused_as_malleable() {
        // The same signature with s' = n - s verifies under plain ECDSA; the SDK refuses it.
        let (pubkey, sig) = signed(b"sign doc");
        let low = k256::ecdsa::Signature::from_slice(&sig).unwrap();
        let (r, s) = low.split_scalars();
        let high = k256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
        assert!(
            high.normalize_s().is_some(),
            "the flipped signature is high-S"
        );
        assert_eq!(
            verify_secp256k1(&pubkey, b"sign doc", &high.to_bytes()),
            Err(SigError::HighS)
        );
    }

    #[test]
    fn required_fee_rounds_up() {
        let p = parse_decimal_18("0.001").unwrap();
        assert_eq!(required_fee(200_000, p), 200);
        assert_eq!(required_fee(1, p), 1);
        assert_eq!(required_fee(0, p), 0);
    }
}
