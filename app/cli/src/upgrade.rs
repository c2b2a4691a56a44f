//! `query interchain-upgrade dispatches` and `tx interchain-upgrade confirm-applied` (the
//! other upgrade queries are generated).
//!
//! `tx interchain-upgrade confirm-applied` is the permissionless step that turns a spoke's
//! upgrade into a fact on the hub: it reads the hub's client of the spoke (the client under
//! the dispatch's channel), fetches from the spoke a proof of `applied/{name}` in its
//! `upgrade` store at the height that client's latest consensus state commits to, and submits
//! `MsgConfirmUpgradeApplied`.

use crate::output::{explain_query, OutputFormat};
use crate::rpc::Node;
use crate::sign::{Sender, Submission, TxFlags};
use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};
use cosmos_sdk_proto::Any;
use hub_proto::interchain_upgrade::v1 as iupb;
use prost::Message;
use serde_json::json;

/// Type URL of `MsgConfirmUpgradeApplied`.
pub const MSG_CONFIRM_UPGRADE_APPLIED_TYPE_URL: &str =
    "/hub.interchain_upgrade.v1.MsgConfirmUpgradeApplied";
/// Type URL of `MsgDispatchUpgrade` (the message of a dispatch proposal).
pub const MSG_DISPATCH_UPGRADE_TYPE_URL: &str = "/hub.interchain_upgrade.v1.MsgDispatchUpgrade";

/// Type URL of `MsgRegisterSpoke` (hub governance binds a spoke's client and connection).
pub const MSG_REGISTER_SPOKE_TYPE_URL: &str = "/hub.interchain_upgrade.v1.MsgRegisterSpoke";

const DISPATCHES_PATH: &str = "/hub.interchain_upgrade.v1.Query/Dispatches";

/// `query interchain-upgrade …` (its other methods are generated commands).
#[derive(Debug, Subcommand)]
pub enum InterchainUpgradeQuery {
    /// Every plan dispatched to a spoke, with its status
    Dispatches {
        /// Only the dispatches to this spoke chain id
        #[arg(long, value_name = "CHAIN_ID")]
        spoke: Option<String>,
    },
}

/// `tx interchain-upgrade …`.
#[derive(Debug, Subcommand)]
pub enum InterchainUpgradeTx {
    /// Prove to the hub that a spoke applied a dispatched plan (MsgConfirmUpgradeApplied);
    /// anyone may submit it
    ConfirmApplied(ConfirmArgs),
}

/// Arguments of `tx interchain-upgrade confirm-applied`.
#[derive(Debug, Args)]
pub struct ConfirmArgs {
    /// The spoke's chain id
    spoke: String,
    /// Plan name
    name: String,
    /// CometBFT RPC of a spoke node, where the proof is read
    #[arg(long, value_name = "URL")]
    spoke_node: String,
    /// Name of the signing key (in the keyring of --home)
    #[arg(long, value_name = "KEY")]
    from: String,
    #[command(flatten)]
    flags: TxFlags,
}

/// The status name without its prefix (`PENDING`, `APPLIED`, …; `UNSPECIFIED` for an unknown
/// value).
pub fn status_name(status: i32) -> &'static str {
    iupb::DispatchStatus::try_from(status)
        .unwrap_or(iupb::DispatchStatus::Unspecified)
        .as_str_name()
        .trim_start_matches("DISPATCH_STATUS_")
}

/// A dispatch as JSON (the form `--output json` prints).
pub fn dispatch_json(d: &iupb::Dispatch) -> serde_json::Value {
    let plan = d.plan.clone().unwrap_or_default();
    json!({
        "proposal_id": d.proposal_id.to_string(),
        "spoke_chain_id": d.spoke_chain_id,
        "plan": { "name": plan.name, "height": plan.height.to_string(), "info": plan.info },
        "port_id": d.port_id,
        "channel_id": d.channel_id,
        "sequence": d.sequence.to_string(),
        "status": status_name(d.status),
        "status_height": d.status_height.to_string(),
        "dispatch_height": d.dispatch_height.to_string(),
        "scheduled_height": d.scheduled_height.to_string(),
        "reason": d.reason,
    })
}

/// The dispatches of `spoke` (all with `None`) on the hub at `height` (every page).
///
/// Errors: query errors.
pub async fn dispatches(
    node: &Node,
    spoke: Option<&str>,
    height: Option<u64>,
) -> anyhow::Result<Vec<iupb::Dispatch>> {
    let (all, _) = node
        .all_pages(|pagination| async move {
            let request = iupb::QueryDispatchesRequest {
                spoke_chain_id: spoke.unwrap_or_default().to_owned(),
                pagination,
            };
            let r: iupb::QueryDispatchesResponse =
                node.grpc_query(DISPATCHES_PATH, &request, height).await?;
            Ok((r.dispatches, r.pagination, None))
        })
        .await?;
    Ok(all)
}

/// Runs `query interchain-upgrade …`.
pub async fn run_iu_query(
    node: &Node,
    output: OutputFormat,
    height: Option<u64>,
    q: InterchainUpgradeQuery,
) -> anyhow::Result<()> {
    match q {
        InterchainUpgradeQuery::Dispatches { spoke } => {
            let all = dispatches(node, spoke.as_deref(), height)
                .await
                .map_err(explain_query(output))?;
            let rows: Vec<_> = all.iter().map(dispatch_json).collect();
            output.print(&json!({ "dispatches": rows }), || {
                if all.is_empty() {
                    return "no upgrade has been dispatched".into();
                }
                let mut out = format!(
                    "{:<14} {:<10} {:>8} {:<10} {:>4} {:<13} {:>9}  reason\n",
                    "spoke", "plan", "height", "channel", "seq", "status", "proposal"
                );
                for d in &all {
                    let plan = d.plan.clone().unwrap_or_default();
                    out.push_str(&format!(
                        "{:<14} {:<10} {:>8} {:<10} {:>4} {:<13} {:>9}  {}\n",
                        d.spoke_chain_id,
                        plan.name,
                        plan.height,
                        d.channel_id,
                        d.sequence,
                        status_name(d.status),
                        d.proposal_id,
                        d.reason
                    ));
                }
                out.trim_end().to_owned()
            });
        }
    }
    Ok(())
}

/// Runs `tx interchain-upgrade …`.
pub(crate) async fn run_tx(sender: &Sender<'_>, t: InterchainUpgradeTx) -> anyhow::Result<()> {
    let InterchainUpgradeTx::ConfirmApplied(c) = t;
    let address = sender.address(&c.from)?;
    let msg = confirm_applied_msg(sender.node, &c.spoke, &c.name, &c.spoke_node, &address).await?;
    let submission = Submission {
        msgs: vec![Any {
            type_url: MSG_CONFIRM_UPGRADE_APPLIED_TYPE_URL.to_owned(),
            value: msg.encode_to_vec(),
        }],
        memo: String::new(),
        summary: format!(
            "proof that {} applied {} (spoke height {})",
            c.spoke, c.name, msg.proof_revision_height
        ),
    };
    let extras = |_: &_| Vec::new();
    sender.submit(&c.from, submission, &c.flags, extras).await
}

/// Builds `MsgConfirmUpgradeApplied` for plan `name` dispatched to `spoke`: the proof is read
/// from `spoke_node` at the height the hub's client of the spoke commits to.
///
/// Errors: no such dispatch; the dispatch is not ACKNOWLEDGED; the client's latest state
/// predates the upgrade (update the client, e.g. `hermes update client`, and retry); query
/// errors.
pub async fn confirm_applied_msg(
    hub: &Node,
    spoke: &str,
    name: &str,
    spoke_node: &str,
    signer: &str,
) -> anyhow::Result<iupb::MsgConfirmUpgradeApplied> {
    let d = dispatches(hub, Some(spoke), None)
        .await?
        .into_iter()
        .find(|d| d.plan.as_ref().is_some_and(|p| p.name == name))
        .with_context(|| format!("the hub has no dispatch of {name:?} to {spoke}"))?;
    match iupb::DispatchStatus::try_from(d.status) {
        Ok(iupb::DispatchStatus::Acknowledged) => {}
        Ok(iupb::DispatchStatus::Applied) => bail!("{name:?} on {spoke} is already APPLIED"),
        _ => bail!(
            "{name:?} on {spoke} is {}, not ACKNOWLEDGED: the spoke never scheduled it",
            status_name(d.status)
        ),
    }
    let (client_id, view) = hub.ibc_counterparty_view(&d.port_id, &d.channel_id).await?;
    let proof_height = view.latest_height;
    // The consensus state at height H holds the app hash of the state after block H - 1.
    let query_height = proof_height
        .revision_height
        .checked_sub(1)
        .context("the hub's client of the spoke is at height 0")?;
    let spoke = Node::new(spoke_node)?;
    let key = format!("applied/{name}");
    let (value, proof) = spoke
        .store_query_with_proof("upgrade", &key, query_height)
        .await
        .with_context(|| {
            format!("reading upgrade/{key} from {spoke_node} at height {query_height}")
        })?;
    if value.is_empty() {
        bail!(
            "the spoke had not applied {name:?} at height {query_height}, the latest state the hub's client {client_id} knows; update the client (e.g. `hermes update client --host-chain <hub> --client {client_id}`) after the upgrade height and retry"
        );
    }
    Ok(iupb::MsgConfirmUpgradeApplied {
        signer: signer.to_owned(),
        spoke_chain_id: d.spoke_chain_id,
        name: name.to_owned(),
        proof_revision_number: proof_height.revision_number,
        proof_revision_height: proof_height.revision_height,
        proof,
    })
}
