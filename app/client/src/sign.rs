//! Building and signing a transaction: SIGN_MODE_DIRECT, one secp256k1 signer, the
//! `cosmos.tx.v1beta1.TxRaw` bytes a node's `broadcast_tx_sync` takes, and the messages
//! programs send without the command line (bank sends, ICS-20 transfers).

use std::time::Duration;

use cosmrs::{
    tx::{Body, Fee, SignDoc, SignerInfo},
    Any,
};

use cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend;
use prost::Message;

use crate::{
    coins::{proto_coins, Coin},
    ibc::IbcHeight,
    keyring::DerivedKey,
};

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

/// Type URL of `MsgSend`.
pub const MSG_SEND_TYPE_URL: &str = "/cosmos.bank.v1beta1.MsgSend";

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

/// Type URL of `MsgTransfer`.
pub const MSG_TRANSFER_TYPE_URL: &str = "/ibc.applications.transfer.v1.MsgTransfer";

/// An ICS-20 transfer: the fields of `ibc.applications.transfer.v1.MsgTransfer` (ibc-go v8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// Port of the sending channel end on this chain, normally `transfer`.
    pub source_port: String,
    /// Sending channel end on this chain, e.g. `channel-0`.
    pub source_channel: String,
    /// The coin sent: a native denomination or an `ibc/{HASH}` voucher.
    pub token: Coin,
    /// Sender address on this chain.
    pub sender: String,
    /// Receiver address on the counterparty chain (its own bech32 prefix, not checked here).
    pub receiver: String,
    /// Absolute timeout height on the counterparty (`0-0` = none).
    pub timeout_height: IbcHeight,
    /// Absolute timeout in ns since the Unix epoch on the counterparty's clock (0 = none).
    pub timeout_timestamp_ns: u64,
    /// Packet memo (ICS-20 `memo`, up to 32768 bytes).
    pub memo: String,
}

/// A `ibc.applications.transfer.v1.MsgTransfer` packed in an `Any`.
pub fn msg_transfer(t: &Transfer) -> Any {
    use ibc_proto::{cosmos::base::v1beta1::Coin as IbcCoin, ibc::apps::transfer::v1::MsgTransfer};
    Any {
        type_url: MSG_TRANSFER_TYPE_URL.to_owned(),
        value: MsgTransfer {
            source_port: t.source_port.clone(),
            source_channel: t.source_channel.clone(),
            token: Some(IbcCoin {
                denom: t.token.denom.clone(),
                amount: t.token.amount.to_string(),
            }),
            sender: t.sender.clone(),
            receiver: t.receiver.clone(),
            timeout_height: Some(t.timeout_height.to_proto()),
            timeout_timestamp: t.timeout_timestamp_ns,
            memo: t.memo.clone(),
        }
        .encode_to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, TxBody, TxRaw};

    use super::*;
    use crate::coins::parse_coins;

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

    #[test]
    fn msg_transfer_carries_every_field() {
        use ibc_proto::ibc::apps::transfer::v1::MsgTransfer;
        let t = Transfer {
            source_port: "transfer".into(),
            source_channel: "channel-0".into(),
            token: Coin {
                denom: crate::ics20::transfer_denom("transfer/channel-0/uatom"),
                amount: 42,
            },
            sender: "hub1sender".into(),
            receiver: "cosmos1receiver".into(),
            timeout_height: IbcHeight::new(1, 1500),
            timeout_timestamp_ns: 1_700_000_600_000_000_000,
            memo: "hello".into(),
        };
        let any = msg_transfer(&t);
        assert_eq!(any.type_url, MSG_TRANSFER_TYPE_URL);
        let m = MsgTransfer::decode(any.value.as_slice()).unwrap();
        assert_eq!(
            (m.source_port.as_str(), m.source_channel.as_str()),
            ("transfer", "channel-0")
        );
        let token = m.token.unwrap();
        assert_eq!(
            (token.denom.as_str(), token.amount.as_str()),
            (
                "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
                "42"
            )
        );
        assert_eq!(
            (m.sender.as_str(), m.receiver.as_str()),
            ("hub1sender", "cosmos1receiver")
        );
        let h = m.timeout_height.unwrap();
        assert_eq!((h.revision_number, h.revision_height), (1, 1500));
        assert_eq!(m.timeout_timestamp, 1_700_000_600_000_000_000);
        assert_eq!(m.memo, "hello");
    }
}
