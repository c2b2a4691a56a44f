//! The gRPC server answers the Cosmos query services with the same handlers as abci_query.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::grpc_channel;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    query_client::QueryClient as AuthClient, BaseAccount, QueryAccountRequest,
};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{
    query_client::QueryClient as BankClient, QueryAllBalancesRequest,
};
use cosmos_sdk_proto::cosmos::staking::v1beta1::{
    query_client::QueryClient as StakingClient, QueryParamsRequest,
};
use hub_app::{app::App, query::QueryService, ChainConfig};
use hub_testkit::{app_state, TestKey};
use prost::Message;

#[tokio::test]
async fn grpc_serves_account_balances_and_staking_params() {
    let dir = tempfile::tempdir().unwrap();
    let alice = TestKey::new("alice");
    let mut app = App::load(&dir.path().join("db"), ChainConfig::hub())
        .await
        .unwrap();
    app.init_chain(
        "hub-1",
        app_state(&[(alice.hub(), 77)], &[[1u8; 32]])
            .to_string()
            .as_bytes(),
        1,
    )
    .await
    .unwrap();
    let channel = grpc_channel(QueryService::new(app.storage(), ChainConfig::hub())).await;

    let acc = AuthClient::new(channel.clone())
        .account(QueryAccountRequest {
            address: alice.hub(),
        })
        .await
        .unwrap()
        .into_inner();
    let any = acc.account.unwrap();
    assert_eq!(any.type_url, "/cosmos.auth.v1beta1.BaseAccount");
    let base = BaseAccount::decode(any.value.as_slice()).unwrap();
    assert_eq!((base.address, base.sequence), (alice.hub(), 0));

    let missing = AuthClient::new(channel.clone())
        .account(QueryAccountRequest {
            address: TestKey::new("nobody").hub(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), tonic::Code::NotFound);

    let bals = BankClient::new(channel.clone())
        .all_balances(QueryAllBalancesRequest {
            address: alice.hub(),
            pagination: None,
            resolve_denom: false,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(bals.balances[0].amount, "77");

    let p = StakingClient::new(channel)
        .params(QueryParamsRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(p.params.unwrap().bond_denom, "uhub");
}
