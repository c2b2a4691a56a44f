//! IBC core params under governance (ibc-go v8 `02-client` and `03-connection`
//! `MsgUpdateParams`), between two in-process chains with real headers: only a passed proposal
//! changes them; taking 07-tendermint off `allowed_clients` makes every client Unauthorized
//! (no create, no update) until governance allows it again; the params are queryable and
//! exported in genesis.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::gov::{gov_genesis, pass_on, query, raw_any};
use common::{chain_with, AppNode};
use hub_testkit::ibc::{
    any, client_states, create_client, update_msg, ClientParams, Clock, End, TestChain,
};
use hub_testkit::TestKey;
use ibc_proto::ibc::core::{client::v1 as clpb, connection::v1 as connpb};

struct Net {
    clock: Clock,
    /// The chain whose params change (its relayer operates its only validator).
    h: TestChain<AppNode>,
    /// The chain it runs a client of.
    a: TestChain<AppNode>,
    /// `h`'s client of `a`.
    end: End,
    proposals: u64,
}

async fn net() -> Net {
    let clock = Clock::new(1_700_000_000);
    let edit = |g: &mut serde_json::Value| g["gov"] = gov_genesis();
    let cfg = hub_app::ChainConfig::hub;
    let mut a = chain_with("spoke-1", &clock, &[], cfg(), |_| {}).await;
    let mut h = chain_with("hub-1", &clock, &[&TestKey::new("bob")], cfg(), edit).await;
    let end = create_client(&mut a, &mut h, &ClientParams::default()).await;
    Net {
        clock,
        h,
        a,
        end,
        proposals: 0,
    }
}

fn gov() -> String {
    hub_auth::Address::module("gov").to_bech32("hub")
}

fn client_params_msg(signer: &str, allowed: &[&str]) -> ibc_proto::google::protobuf::Any {
    let m = clpb::MsgUpdateParams {
        signer: signer.into(),
        params: Some(clpb::Params {
            allowed_clients: allowed.iter().map(|s| s.to_string()).collect(),
        }),
    };
    raw_any("/ibc.core.client.v1.MsgUpdateParams", &m)
}

fn connection_params_msg(signer: &str, ns: u64) -> ibc_proto::google::protobuf::Any {
    let m = connpb::MsgUpdateParams {
        signer: signer.into(),
        params: Some(connpb::Params {
            max_expected_time_per_block: ns,
        }),
    };
    raw_any("/ibc.core.connection.v1.MsgUpdateParams", &m)
}

impl Net {
    async fn pass(&mut self, msgs: Vec<ibc_proto::google::protobuf::Any>) {
        self.proposals += 1;
        let (_, r) = pass_on(&mut self.h, &self.clock, self.proposals, msgs).await;
        let result = r.attr("active_proposal", "proposal_result");
        assert_eq!(result, ["proposal_passed"], "{:?}", r.events);
    }

    async fn allowed(&self) -> Vec<String> {
        let r: clpb::QueryClientParamsResponse = query(
            &self.h,
            "/ibc.core.client.v1.Query/ClientParams",
            &clpb::QueryClientParamsRequest {},
        )
        .await;
        r.params.unwrap().allowed_clients
    }

    async fn status(&self) -> String {
        let r: clpb::QueryClientStatusResponse = query(
            &self.h,
            "/ibc.core.client.v1.Query/ClientStatus",
            &clpb::QueryClientStatusRequest {
                client_id: self.end.client_id.clone(),
            },
        )
        .await;
        r.status
    }

    /// Lets `a` make a block, then submits an update of `h`'s client of `a` to it.
    async fn update(&mut self) -> hub_testkit::ibc::TxResult {
        self.a.block(vec![]).await;
        let trusted = self.end.trusted;
        let m = update_msg(&mut self.a, &self.h, &mut self.end).unwrap();
        let r = self.h.submit(vec![m]).await;
        if r.code != 0 {
            self.end.trusted = trusted;
        }
        r
    }
}

/// A relayer (any account but the gov module's) cannot narrow the allowed clients or change
/// the block time that connection delays count in: `sdk`/4, and nothing changes.
#[tokio::test]
async fn a_relayer_cannot_change_the_ibc_core_params() {
    let mut n = net().await;
    let me = n.h.relayer_address();
    let r = n.h.submit(vec![client_params_msg(&me, &["none"])]).await;
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 4), "{}", r.log);
    assert!(r.log.contains("gov module account"), "{}", r.log);
    let r = n.h.submit(vec![connection_params_msg(&me, 1)]).await;
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 4), "{}", r.log);
    assert_eq!(n.allowed().await, ["*"]);
    assert_eq!(n.status().await, "Active");
}

/// Governance can take 07-tendermint off the allow list (as ibc-go: the client becomes
/// Unauthorized, so it can be neither created nor updated) and put it back; invalid params
/// never pass validation.
#[tokio::test]
async fn governance_stops_tendermint_clients_and_allows_them_again() {
    let mut n = net().await;
    assert_eq!(n.update().await.code, 0);
    n.pass(vec![client_params_msg(&gov(), &["06-solomachine"])])
        .await;
    assert_eq!(n.allowed().await, ["06-solomachine"]);
    assert_eq!(n.status().await, "Unauthorized");
    let r = n.update().await;
    assert_eq!((r.codespace.as_str(), r.code), ("client", 29), "{}", r.log);
    let (cs, cons, _) = client_states(&mut n.a, &ClientParams::default());
    let create = clpb::MsgCreateClient {
        client_state: Some(any(&cs)),
        consensus_state: Some(any(&cons)),
        signer: n.h.relayer_address(),
    };
    let r = n.h.submit(vec![any(&create)]).await;
    assert_eq!((r.codespace.as_str(), r.code), ("client", 10), "{}", r.log);
    assert!(r.log.contains("allowlist"), "{}", r.log);

    n.pass(vec![client_params_msg(&gov(), &["07-tendermint"])])
        .await;
    assert_eq!(n.status().await, "Active");
    assert_eq!(n.update().await.code, 0, "updates resume");
}

/// Params that ibc-go's validation refuses never reach the state, even from governance's own
/// account: a wildcard beside a type, a duplicate type, a zero time per block.
#[tokio::test]
async fn invalid_ibc_core_params_are_refused_when_decoded() {
    let mut n = net().await;
    for m in [
        client_params_msg(&gov(), &["*", "07-tendermint"]),
        client_params_msg(&gov(), &["07-tendermint", "07-tendermint"]),
        connection_params_msg(&gov(), 0),
    ] {
        let r = n.h.submit(vec![m]).await;
        assert_eq!((r.codespace.as_str(), r.code), ("sdk", 18), "{}", r.log);
    }
}

/// The connection params a proposal sets are what the query shows and what a genesis export
/// carries; params never set are not exported, so an export imports to the same state.
#[tokio::test]
async fn the_time_per_block_governance_sets_is_queried_and_exported() {
    let mut n = net().await;
    n.pass(vec![connection_params_msg(&gov(), 5_000_000_000)])
        .await;
    let r: connpb::QueryConnectionParamsResponse = query(
        &n.h,
        "/ibc.core.connection.v1.Query/ConnectionParams",
        &connpb::QueryConnectionParamsRequest {},
    )
    .await;
    assert_eq!(r.params.unwrap().max_expected_time_per_block, 5_000_000_000);
    let snap = n.h.node.app.storage().latest_snapshot();
    let g = hub_app::runtime::export_genesis(&snap).await.unwrap().ibc;
    let p = g.connection_genesis.params.unwrap();
    assert_eq!(p.max_expected_time_per_block, "5000000000");
    assert!(g.client_genesis.params.is_none(), "never set, not exported");
}
