//! Property tests: decoders never panic on outside bytes; coin movements conserve supply.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_app::{app::App, exec, query::QueryService, ChainConfig};
use hub_testkit::{app_state, msg_send, TestKey, TxSpec};
use prop::collection::vec;
use proptest::prelude::*;
use prost::Message;
use tendermint::Time;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary bytes from the network are rejected with a code, never a panic.
    #[test]
    fn tx_decoding_never_panics_on_arbitrary_bytes(bytes in vec(any::<u8>(), 0..512)) {
        if let Err(e) = exec::parse(&bytes, &ChainConfig::hub()) {
            prop_assert!(e.code >= 2 && !e.log.is_empty());
        }
    }

    /// A valid tx with one byte flipped is either rejected or still well-formed: no panic.
    #[test]
    fn tx_decoding_never_panics_on_corrupted_txs(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let k = TestKey::new("p");
        let mut tx = TxSpec::new(vec![msg_send(&k.hub(), &k.hub(), "1", "uhub")]).sign(&k);
        let i = pos.index(tx.len());
        tx[i] ^= 1 << bit;
        let _ = exec::parse(&tx, &ChainConfig::hub());
    }
}

async fn totals(q: &QueryService, holders: &[String]) -> (u128, u128) {
    let sup = cosmos_sdk_proto::cosmos::bank::v1beta1::QuerySupplyOfRequest {
        denom: "uhub".into(),
    };
    let a = q
        .abci_query(
            "/cosmos.bank.v1beta1.Query/SupplyOf",
            &sup.encode_to_vec(),
            0,
            false,
        )
        .await;
    let supply: u128 =
        cosmos_sdk_proto::cosmos::bank::v1beta1::QuerySupplyOfResponse::decode(a.value.as_slice())
            .unwrap()
            .amount
            .unwrap()
            .amount
            .parse()
            .unwrap();
    let mut sum = 0u128;
    for h in holders {
        let req = cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceRequest {
            address: h.clone(),
            denom: "uhub".into(),
        };
        let a = q
            .abci_query(
                "/cosmos.bank.v1beta1.Query/Balance",
                &req.encode_to_vec(),
                0,
                false,
            )
            .await;
        let b: u128 = cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceResponse::decode(
            a.value.as_slice(),
        )
        .unwrap()
        .balance
        .unwrap()
        .amount
        .parse()
        .unwrap();
        sum += b;
    }
    (supply, sum)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever sends are attempted (including overdrafts), the supply never changes and equals
    /// the sum of all balances (fee collector included).
    #[test]
    fn random_sends_conserve_supply(sends in vec((0usize..4, 0usize..4, 1u128..600_000), 1..24)) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let keys: Vec<TestKey> = (0..4).map(|i| TestKey::new(&format!("p{i}"))).collect();
            let accounts: Vec<(String, u128)> = keys.iter().map(|k| (k.hub(), 500_000)).collect();
            let mut app = App::load(&dir.path().join("db"), ChainConfig::hub()).await.unwrap();
            app.init_chain("hub-1", app_state(&accounts, &[[1u8; 32]]).to_string().as_bytes(), 1).await.unwrap();
            let q = QueryService::new(app.storage(), ChainConfig::hub());
            let mut seqs = [0u64; 4];
            let mut txs = Vec::new();
            for (from, to, amount) in &sends {
                let mut spec = TxSpec::new(vec![msg_send(&keys[*from].hub(), &keys[*to].hub(), &amount.to_string(), "uhub")]);
                spec.account_number = *from as u64;
                spec.sequence = seqs[*from];
                seqs[*from] += 1;
                txs.push(spec.sign(&keys[*from]));
            }
            let r = app.finalize_block(1, Time::from_unix_timestamp(1_700_000_000, 0).unwrap(), &txs, &[]).await.unwrap();
            app.commit().await.unwrap();
            // A send may overdraw (sdk/5, fee kept). If the sender cannot even pay the fee,
            // the ante stage writes nothing, so the sender's later txs carry a sequence one
            // ahead and must fail with sdk/32.
            let mut fee_failed = [false; 4];
            for ((from, _, _), t) in sends.iter().zip(&r.tx_results) {
                let code = (t.codespace, t.code);
                if fee_failed[*from] {
                    assert_eq!(code, ("sdk", 32), "{}", t.log);
                } else if t.log.contains("to pay the fee") {
                    assert_eq!(code, ("sdk", 5), "{}", t.log);
                    fee_failed[*from] = true;
                } else {
                    assert!(t.code == 0 || code == ("sdk", 5), "{}", t.log);
                }
            }
            let mut holders: Vec<String> = keys.iter().map(|k| k.hub()).collect();
            holders.push(hub_auth::Address::module("fee_collector").to_bech32("hub"));
            // the genesis validator's 10 × 10^6 self-bonded tokens sit in the bonded pool
            holders.push(hub_auth::Address::module("bonded_tokens_pool").to_bech32("hub"));
            let (supply, sum) = totals(&q, &holders).await;
            assert_eq!(supply, 12_000_000);
            assert_eq!(sum, supply);
        });
    }
}
