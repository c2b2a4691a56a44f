//! Building and signing a transaction: SIGN_MODE_DIRECT, one secp256k1 signer, the
//! `cosmos.tx.v1beta1.TxRaw` bytes a node's `broadcast_tx_sync` takes.

use std::time::Duration;

use cosmrs::{
    tx::{Body, Fee, SignDoc, SignerInfo},
    Any,
};

use crate::{coins::Coin, keyring::DerivedKey};

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
