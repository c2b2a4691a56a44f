//! Module tests of the bank handlers on in-process cnidarium state.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use cosmos_sdk_proto::cosmos::bank::v1beta1 as pb;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use hub_auth::{Address, AuthRead};
use hub_bank::{msgs::MsgMultiSend, msgs::MsgSend, BankRead, BankWrite, Coin, Coins};
use hub_framework::cnidarium::{StateDelta, TempStorage};
use hub_framework::{BlockCtx, GasMeter, Metered, MsgHandler, TxCtx};
use hub_testkit::paging::assert_paginates;

fn addr(b: u8) -> Address {
    Address([b; 20])
}

fn ctx(signer: Address) -> TxCtx {
    TxCtx::new(
        BlockCtx {
            chain_id: "hub-1".into(),
            height: 1,
            time: tendermint::Time::unix_epoch(),
        },
        "hub",
        signer.0,
        1_000_000,
    )
}

fn coins(n: u128) -> Coins {
    Coins(vec![Coin {
        denom: "uhub".into(),
        amount: n,
    }])
}

/// `MsgSend` of `amount` uhub from addr(1) to addr(2).
fn send(amount: u128) -> MsgSend {
    MsgSend {
        from: addr(1),
        to: addr(2),
        amount: coins(amount),
    }
}

async fn funded() -> (TempStorage, StateDelta<hub_framework::cnidarium::Snapshot>) {
    let (storage, mut s) = hub_testkit::temp_state(&["auth", "bank"]).await;
    s.mint(
        &addr(1),
        &Coin {
            denom: "uhub".into(),
            amount: 100,
        },
    )
    .await
    .unwrap();
    (storage, s)
}

#[tokio::test]
async fn send_moves_coins_creates_the_recipient_and_keeps_supply() {
    let (_st, mut s) = funded().await;
    let m = send(40);
    let tx = ctx(addr(1));
    m.check_stateless(&tx).unwrap();
    m.check_and_execute(&mut Metered::new(&mut s, tx.gas.clone()), &tx)
        .await
        .unwrap();
    assert_eq!(s.balance(&addr(1), "uhub").await.unwrap(), 60);
    assert_eq!(s.balance(&addr(2), "uhub").await.unwrap(), 40);
    assert_eq!(s.supply("uhub").await.unwrap(), 100);
    assert!(s.account(&addr(2)).await.unwrap().is_some());
    assert!(tx.gas.used() > 0);
}

#[tokio::test]
async fn send_of_more_than_the_balance_fails_and_writes_nothing() {
    let (_st, mut s) = funded().await;
    let m = send(101);
    let e = m
        .check_and_execute(&mut s, &ctx(addr(1)))
        .await
        .unwrap_err();
    assert_eq!((e.codespace, e.code), ("sdk", 5));
    assert_eq!(s.balance(&addr(1), "uhub").await.unwrap(), 100);
    assert_eq!(s.balance(&addr(2), "uhub").await.unwrap(), 0);
}

#[tokio::test]
async fn send_must_be_signed_by_the_sender() {
    let m = send(1);
    let e = m.check_stateless(&ctx(addr(3))).unwrap_err();
    assert_eq!((e.codespace, e.code), ("sdk", 4));
}

#[tokio::test]
async fn send_under_a_metered_state_fails_past_a_tiny_limit() {
    let (_st, mut s) = funded().await;
    let m = send(1);
    let mut tx = ctx(addr(1));
    tx.gas = std::sync::Arc::new(GasMeter::new(10));
    // The framework meters the state: the first balance read crosses the limit.
    let r = m
        .check_and_execute(&mut Metered::new(&mut s, tx.gas.clone()), &tx)
        .await;
    assert!(r.is_err());
    assert!(tx.gas.used() > tx.gas.limit(), "{}", tx.gas.used());
}

#[test]
fn msg_send_from_proto_names_the_bad_field() {
    let good = Address([1; 20]).to_bech32("hub");
    let p = pb::MsgSend {
        from_address: good.clone(),
        to_address: "cosmos1zzz".into(),
        amount: vec![PCoin {
            denom: "uhub".into(),
            amount: "1".into(),
        }],
    };
    let e = MsgSend::from_proto(&p, "hub").unwrap_err();
    assert_eq!((e.codespace, e.code), ("sdk", 7));
    assert!(e.log.starts_with("to_address"), "{}", e.log);
    let p = pb::MsgSend {
        from_address: good.clone(),
        to_address: good,
        amount: vec![],
    };
    assert_eq!(MsgSend::from_proto(&p, "hub").unwrap_err().code, 10);
}

#[tokio::test]
async fn multi_send_pays_every_output() {
    let (_st, mut s) = funded().await;
    let hub = |a: Address| a.to_bech32("hub");
    let io = |a: Address, n: u128| {
        (
            hub(a),
            vec![PCoin {
                denom: "uhub".into(),
                amount: n.to_string(),
            }],
        )
    };
    let (i, ic) = io(addr(1), 30);
    let p = pb::MsgMultiSend {
        inputs: vec![pb::Input {
            address: i,
            coins: ic,
        }],
        outputs: [io(addr(2), 10), io(addr(3), 20)]
            .into_iter()
            .map(|(address, coins)| pb::Output { address, coins })
            .collect(),
    };
    let m = MsgMultiSend::from_proto(&p, "hub").unwrap();
    m.check_and_execute(&mut s, &ctx(addr(1))).await.unwrap();
    assert_eq!(s.balance(&addr(1), "uhub").await.unwrap(), 70);
    assert_eq!(s.balance(&addr(3), "uhub").await.unwrap(), 20);
}

#[test]
fn multi_send_rejects_mismatched_sums_and_several_inputs() {
    let a = |b: u8| Address([b; 20]).to_bech32("hub");
    let c = |n: &str| {
        vec![PCoin {
            denom: "uhub".into(),
            amount: n.into(),
        }]
    };
    let bad_sum = pb::MsgMultiSend {
        inputs: vec![pb::Input {
            address: a(1),
            coins: c("5"),
        }],
        outputs: vec![pb::Output {
            address: a(2),
            coins: c("4"),
        }],
    };
    let e = MsgMultiSend::from_proto(&bad_sum, "hub").unwrap_err();
    assert_eq!((e.codespace, e.code), ("bank", 4));
    let two = pb::MsgMultiSend {
        inputs: vec![
            pb::Input {
                address: a(1),
                coins: c("5"),
            },
            pb::Input {
                address: a(3),
                coins: c("5"),
            },
        ],
        outputs: vec![pb::Output {
            address: a(2),
            coins: c("10"),
        }],
    };
    assert_eq!(MsgMultiSend::from_proto(&two, "hub").unwrap_err().code, 9);
    let none = pb::MsgMultiSend {
        inputs: vec![],
        outputs: vec![],
    };
    assert_eq!(MsgMultiSend::from_proto(&none, "hub").unwrap_err().code, 2);
}

#[tokio::test]
async fn balance_and_supply_lists_come_in_pages_by_denom_and_next_key_continues() {
    let (_st, mut s) = funded().await;
    // 150 denoms minted in reverse order, to addr 2 (amount = index + 1)
    for i in (0..150u128).rev() {
        let c = Coin {
            denom: format!("tok{i:03}"),
            amount: i + 1,
        };
        s.mint(&addr(2), &c).await.unwrap();
    }
    let s = &s;
    let mut held: Vec<(String, String)> = (0..150u128)
        .map(|i| (format!("tok{i:03}"), (i + 1).to_string()))
        .collect();
    let pairs = |coins: Vec<PCoin>| -> Vec<(String, String)> {
        coins.into_iter().map(|c| (c.denom, c.amount)).collect()
    };
    assert_paginates(&held, |pagination| async move {
        let r = hub_bank::query::all_balances(
            s,
            &pb::QueryAllBalancesRequest {
                address: addr(2).to_bech32("hub"),
                pagination,
                resolve_denom: false,
            },
            "hub",
        )
        .await
        .unwrap();
        (pairs(r.balances), r.pagination)
    })
    .await;
    // the supply: the same denoms and uhub (minted by `funded`), in denom order
    held.push(("uhub".into(), "100".into()));
    assert_paginates(&held, |pagination| async move {
        let r = hub_bank::query::total_supply(s, &pb::QueryTotalSupplyRequest { pagination })
            .await
            .unwrap();
        (pairs(r.supply), r.pagination)
    })
    .await;
}
