//! Governance in the multi-chain tests: a quick voting period and a proposal passed by the
//! chain's one genesis validator (operated by its relayer key).
#![allow(dead_code)] // not every test file passes proposals

use super::AppNode;
use cosmos_sdk_proto::cosmos::gov::v1 as govpb;
use hub_testkit::ibc::{Clock, TestChain, TxResult};
use ibc_proto::google::protobuf::Any as IbcAny;
use prost::Message;

/// `app_state.gov` with a 1000uhub deposit and a 10 s voting period.
pub fn gov_genesis() -> serde_json::Value {
    serde_json::json!({"params": {
        "min_deposit": [{"denom": "uhub", "amount": "1000"}],
        "max_deposit_period": "20s", "voting_period": "10s",
        "quorum": "0.334", "threshold": "0.5", "veto_threshold": "0.334",
    }})
}

/// An `Any` of `m` under `type_url`.
pub fn raw_any<M: Message>(type_url: &str, m: &M) -> IbcAny {
    IbcAny {
        type_url: type_url.into(),
        value: m.encode_to_vec(),
    }
}

/// Runs the gRPC query `path` over ABCI at the latest height; the answer must be OK.
pub async fn query<Req: Message, Resp: Message + Default>(
    c: &TestChain<AppNode>,
    path: &str,
    req: &Req,
) -> Resp {
    super::abci_query(&c.node.queries, path, req).await
}

/// Passes proposal number `id` of `msgs` on `chain` (its relayer operates its only
/// validator): submit, vote yes, run past the voting period. Returns the id and the end
/// block's events.
pub async fn pass_on(
    chain: &mut TestChain<AppNode>,
    clock: &Clock,
    id: u64,
    msgs: Vec<IbcAny>,
) -> (u64, TxResult) {
    // A block sealed earlier (for a proof) carries an older time: run it first, so that the
    // voting period ends in the last block below.
    chain.block(vec![]).await;
    let submit = govpb::MsgSubmitProposal {
        messages: msgs
            .into_iter()
            .map(|m| cosmos_sdk_proto::Any {
                type_url: m.type_url,
                value: m.value,
            })
            .collect(),
        initial_deposit: vec![cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
            denom: "uhub".into(),
            amount: "1000".into(),
        }],
        proposer: chain.relayer_address(),
        metadata: String::new(),
        title: "upgrade the spoke".into(),
        summary: "dispatch a plan".into(),
        expedited: false,
    };
    chain
        .submit(vec![raw_any("/cosmos.gov.v1.MsgSubmitProposal", &submit)])
        .await
        .ok();
    let vote = govpb::MsgVote {
        proposal_id: id,
        voter: chain.relayer_address(),
        option: govpb::VoteOption::Yes as i32,
        metadata: String::new(),
    };
    chain
        .submit(vec![raw_any("/cosmos.gov.v1.MsgVote", &vote)])
        .await
        .ok();
    clock.advance(10);
    chain.block(vec![]).await;
    let events = TxResult {
        code: 0,
        codespace: String::new(),
        log: String::new(),
        events: chain.node.block_events.clone(),
    };
    (id, events)
}
