//! The list queries of interchain-upgrade on in-process cnidarium state.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_interchain_upgrade::{query, InterchainUpgradeWrite};
use hub_proto::interchain_upgrade::v1 as pb;
use hub_testkit::paging::assert_paginates;

#[tokio::test]
async fn dispatches_and_bindings_come_in_pages_by_chain_id_and_next_key_continues() {
    let (_storage, mut s) = hub_testkit::temp_state(&["interchain-upgrade"]).await;
    // 130 spokes written in reverse order, each with one binding and two dispatches.
    for i in (0..130).rev() {
        let chain_id = format!("spoke-{i:03}");
        s.put_binding(&pb::Binding {
            chain_id: chain_id.clone(),
            client_id: format!("07-tendermint-{i}"),
            connection_id: format!("connection-{i}"),
            channel_id: String::new(),
        })
        .await
        .unwrap();
        for name in ["v3", "v2"] {
            s.put_dispatch(&pb::Dispatch {
                spoke_chain_id: chain_id.clone(),
                plan: Some(pb::Plan {
                    name: name.into(),
                    height: 100,
                    info: String::new(),
                }),
                ..Default::default()
            });
        }
    }
    let s = &s;

    let chains: Vec<String> = (0..130).map(|i| format!("spoke-{i:03}")).collect();
    assert_paginates(&chains, |pagination| async move {
        let r = query::bindings(s, &pb::QueryBindingsRequest { pagination })
            .await
            .unwrap();
        let ids = r.bindings.into_iter().map(|b| b.chain_id).collect();
        (ids, r.pagination)
    })
    .await;

    let dispatches: Vec<(String, String)> = chains
        .iter()
        .flat_map(|c| [(c.clone(), "v2".to_owned()), (c.clone(), "v3".to_owned())])
        .collect();
    assert_paginates(&dispatches, |pagination| async move {
        let request = pb::QueryDispatchesRequest {
            spoke_chain_id: String::new(),
            pagination,
        };
        let r = query::dispatches(s, &request).await.unwrap();
        let ids = r
            .dispatches
            .into_iter()
            .map(|d| (d.spoke_chain_id, d.plan.unwrap().name))
            .collect();
        (ids, r.pagination)
    })
    .await;

    // One spoke's dispatches only, still paged.
    let request = pb::QueryDispatchesRequest {
        spoke_chain_id: "spoke-007".into(),
        pagination: None,
    };
    let r = query::dispatches(s, &request).await.unwrap();
    let names: Vec<_> = r
        .dispatches
        .iter()
        .map(|d| d.plan.clone().unwrap().name)
        .collect();
    assert_eq!(names, ["v2", "v3"]);
    assert_eq!(r.pagination.unwrap().total, 2);
}
