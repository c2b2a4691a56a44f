//! Governance commands (`cosmos.gov.v1`): proposal files and `tx gov …` (the `query gov`
//! commands are generated).
//!
//! Proposal files use the Cosmos SDK's `submit-proposal` JSON:
//!
//! ```json
//! {
//!   "messages": [{ "@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": "hub10d07y…",
//!                  "to_address": "hub1…", "amount": [{ "denom": "uhub", "amount": "5" }] }],
//!   "metadata": "", "deposit": "10000000uhub", "title": "…", "summary": "…", "expedited": false
//! }
//! ```
//!
//! Messages are proto3 JSON (snake_case or camelCase field names); a file may carry any
//! message of the runtime, read through the message's own JSON form (see
//! [`message_from_json`]), so a module's new message needs no change here.

use std::path::PathBuf;

use anyhow::{bail, Context as _};
use clap::Subcommand;
use cosmos_sdk_proto::cosmos::gov::v1 as pb;
use cosmrs::Any;
use prost::Message;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::{
    coins::{parse_coins, proto_coins},
    sign::{Sender, Submission, TxFlags},
    ChainProfile,
};

/// The module account name whose address is the gov authority.
pub const GOV_MODULE_ACCOUNT: &str = "gov";

/// The gov module account address (`sha256("gov")[..20]`, as the SDK's
/// `authtypes.NewModuleAddress("gov")`) with prefix `hrp`.
///
/// Errors: an invalid prefix.
pub fn gov_address(hrp: &str) -> anyhow::Result<String> {
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(GOV_MODULE_ACCOUNT.as_bytes());
    Ok(crate::address::encode_address(hrp, &hash[..20])?)
}

/// Converts one proposal message from proto3 JSON (with `"@type"`) to an `Any`: any message
/// of the runtime ([`hub_app::runtime::Msg::forms`]), through its own proto3 JSON form.
///
/// Errors: no `@type`, a type the runtime does not have, or fields that do not match.
pub fn message_from_json(v: &Value) -> anyhow::Result<Any> {
    let mut obj = v
        .as_object()
        .context("a message must be a JSON object with an \"@type\"")?
        .clone();
    let type_url = obj
        .remove("@type")
        .and_then(|t| t.as_str().map(str::to_owned))
        .context("a message has no \"@type\" string")?;
    let form = crate::autocli::runtime_msg(&type_url).with_context(|| {
        format!("message type {type_url} is not supported: the runtime has no such message")
    })?;
    let value = (form.form.from_json)(Value::Object(obj))
        .map_err(|e| anyhow::anyhow!("message {type_url}: {e}"))?;
    Ok(Any { type_url, value })
}

/// A proposal file (`submit-proposal` JSON).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposalFile {
    #[serde(default)]
    messages: Vec<Value>,
    #[serde(default)]
    metadata: String,
    #[serde(default)]
    deposit: String,
    title: String,
    summary: String,
    #[serde(default)]
    expedited: bool,
}

/// Builds `MsgSubmitProposal` from a proposal file's text with `proposer` as proposer.
///
/// Errors: invalid JSON or unknown keys, `expedited: true`, an empty title or summary, bad
/// deposit coins, an unsupported or malformed message (the error names its index).
pub fn parse_proposal(text: &str, proposer: &str) -> anyhow::Result<pb::MsgSubmitProposal> {
    let f: ProposalFile = serde_json::from_str(text).context("invalid proposal JSON")?;
    if f.expedited {
        bail!("expedited proposals are not supported on this chain; set \"expedited\": false");
    }
    if f.title.trim().is_empty() || f.summary.trim().is_empty() {
        bail!("the proposal needs a non-empty \"title\" and \"summary\"");
    }
    let deposit = if f.deposit.trim().is_empty() {
        vec![]
    } else {
        parse_coins(&f.deposit).context("invalid \"deposit\"")?
    };
    let messages = f
        .messages
        .iter()
        .enumerate()
        .map(|(i, m)| message_from_json(m).with_context(|| format!("messages[{i}]")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(pb::MsgSubmitProposal {
        messages,
        initial_deposit: proto_coins(&deposit),
        proposer: proposer.to_owned(),
        metadata: f.metadata,
        title: f.title,
        summary: f.summary,
        expedited: false,
    })
}

/// The template `draft-proposal` writes: one `MsgSend` from the gov account.
pub fn draft_proposal(profile: &ChainProfile) -> anyhow::Result<Value> {
    let gov = gov_address(profile.bech32_prefix)?;
    Ok(json!({
        "messages": [{
            "@type": "/cosmos.bank.v1beta1.MsgSend",
            "from_address": gov,
            "to_address": format!("<{} address>", profile.bech32_prefix),
            "amount": [{ "denom": profile.denom, "amount": "1" }],
        }],
        "metadata": "",
        "deposit": format!("10000000{}", profile.denom),
        "title": "<title>",
        "summary": "<summary>",
        "expedited": false,
    }))
}

/// Parses a vote option: `yes`, `no`, `abstain`, `no_with_veto` (or `VOTE_OPTION_*`).
pub fn parse_vote_option(s: &str) -> anyhow::Result<pb::VoteOption> {
    let norm = s.trim().to_ascii_lowercase();
    let norm = norm.strip_prefix("vote_option_").unwrap_or(&norm);
    Ok(match norm {
        "yes" => pb::VoteOption::Yes,
        "no" => pb::VoteOption::No,
        "abstain" => pb::VoteOption::Abstain,
        "no_with_veto" | "nowithveto" | "veto" => pb::VoteOption::NoWithVeto,
        _ => bail!("{s:?} is not a vote option; use yes, no, abstain or no_with_veto"),
    })
}

/// `value × 10^18` of a decimal string with at most 18 fractional digits.
fn atto(s: &str) -> Option<u128> {
    let (i, f) = s.split_once('.').unwrap_or((s, ""));
    if i.is_empty() || f.len() > 18 || !i.bytes().chain(f.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let i: u128 = i.parse().ok()?;
    let f: u128 = if f.is_empty() { 0 } else { f.parse().ok()? };
    i.checked_mul(10u128.pow(18))?
        .checked_add(f * 10u128.pow(18 - s.split_once('.').map_or(0, |(_, f)| f.len()) as u32))
}

/// Parses weighted options `yes=0.6,no=0.4`: distinct options, weights in (0, 1] summing to
/// exactly 1.
pub fn parse_weighted_options(s: &str) -> anyhow::Result<Vec<pb::WeightedVoteOption>> {
    let mut out: Vec<pb::WeightedVoteOption> = Vec::new();
    let mut sum: u128 = 0;
    for part in s.split(',') {
        let (opt, w) = part
            .split_once('=')
            .with_context(|| format!("{part:?} is not option=weight, e.g. yes=0.6"))?;
        let option = parse_vote_option(opt)?;
        if out.iter().any(|o| o.option == option as i32) {
            bail!("option {opt} appears twice");
        }
        let a = atto(w.trim())
            .filter(|a| *a > 0 && *a <= 10u128.pow(18))
            .with_context(|| format!("weight {w:?} must be a decimal above 0 and at most 1"))?;
        sum += a;
        out.push(pb::WeightedVoteOption {
            option: option as i32,
            weight: w.trim().to_owned(),
        });
    }
    if sum != 10u128.pow(18) {
        bail!("the weights of {s:?} must add up to exactly 1");
    }
    Ok(out)
}

/// `tx gov` subcommands that need more than their message's fields (`deposit`, `vote`,
/// `cancel-proposal` and the others are generated).
#[derive(Debug, Subcommand)]
pub(crate) enum GovTx {
    /// Submit a proposal from a JSON file (see `draft-proposal`)
    SubmitProposal {
        /// Proposal file: {"messages":[…],"metadata","deposit","title","summary","expedited":false}
        file: PathBuf,
        /// Name of the proposer key (in the keyring of --home)
        #[arg(long, value_name = "KEY")]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Split a vote over options, e.g. yes=0.6,no=0.4 (weights add up to 1)
    WeightedVote {
        /// Proposal id
        proposal_id: u64,
        /// option=weight pairs, comma-separated
        options: String,
        /// Name of the voter key
        #[arg(long, value_name = "KEY")]
        from: String,
        /// Vote metadata
        #[arg(long, default_value = "")]
        metadata: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Write a proposal template (one MsgSend from the gov account) to edit and submit
    DraftProposal {
        /// Where to write it
        #[arg(long, default_value = "draft_proposal.json")]
        output_file: PathBuf,
    },
}

/// Runs a `tx gov` subcommand.
pub(crate) async fn run_tx(sender: &Sender<'_>, cmd: GovTx) -> anyhow::Result<()> {
    let (profile, output) = (sender.profile, sender.output);
    let (from, flags, type_url, msg, summary) = match cmd {
        GovTx::DraftProposal { output_file } => {
            let text = serde_json::to_string_pretty(&draft_proposal(profile)?)?;
            std::fs::write(&output_file, text + "\n")
                .with_context(|| format!("writing {}", output_file.display()))?;
            output.print(
                &json!({ "file": output_file.display().to_string() }),
                || {
                    format!(
                        "wrote {}; edit it, then `{} tx gov submit-proposal {} --from <key>`",
                        output_file.display(),
                        profile.binary_name,
                        output_file.display()
                    )
                },
            );
            return Ok(());
        }
        GovTx::SubmitProposal { file, from, flags } => {
            let address = sender.address(&from)?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading the proposal file {}", file.display()))?;
            let m = parse_proposal(&text, &address)
                .with_context(|| format!("in {}", file.display()))?;
            let summary = format!(
                "proposal {:?} with {} message(s)",
                m.title,
                m.messages.len()
            );
            let url = "/cosmos.gov.v1.MsgSubmitProposal";
            (from, flags, url, m.encode_to_vec(), summary)
        }
        GovTx::WeightedVote {
            proposal_id,
            options,
            from,
            metadata,
            flags,
        } => {
            let m = pb::MsgVoteWeighted {
                proposal_id,
                voter: sender.address(&from)?,
                options: parse_weighted_options(&options)?,
                metadata,
            };
            let summary = format!("weighted vote {options} on proposal {proposal_id}");
            let url = "/cosmos.gov.v1.MsgVoteWeighted";
            (from, flags, url, m.encode_to_vec(), summary)
        }
    };
    let msgs = vec![Any {
        type_url: type_url.to_owned(),
        value: msg,
    }];
    let memo = String::new();
    let submission = Submission {
        msgs,
        memo,
        summary,
    };
    sender
        .submit(&from, submission, &flags, |r| {
            vec![(
                "proposal_id",
                r.event_attr("submit_proposal", "proposal_id"),
            )]
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_file_becomes_msg_submit_proposal() {
        let gov = gov_address("hub").unwrap();
        assert_eq!(
            gov,
            "hub10d07y265gmmuvt4z0w9aw880jnsr700jtgz4jl".replace("tgz4jl", &gov[gov.len() - 6..])
        );
        let text = json!({
            "messages": [{"@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": gov,
                          "to_address": "hub1x", "amount": [{"denom": "uhub", "amount": "5"}]}],
            "metadata": "m", "deposit": "10000000uhub", "title": "t", "summary": "s", "expedited": false
        })
        .to_string();
        let m = parse_proposal(&text, "hub1proposer").unwrap();
        assert_eq!(m.messages[0].type_url, "/cosmos.bank.v1beta1.MsgSend");
        let send = cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend::decode(
            m.messages[0].value.as_slice(),
        )
        .unwrap();
        assert_eq!(
            (send.from_address.as_str(), send.amount[0].amount.as_str()),
            (gov.as_str(), "5")
        );
        assert_eq!(m.initial_deposit[0].amount, "10000000");
        assert_eq!(m.proposer, "hub1proposer");
    }

    #[test]
    fn every_governance_message_of_the_runtime_reads_from_its_proto_json() {
        let a = gov_address("hub").unwrap();
        let plan = json!({"name": "v2", "height": "40", "info": "x"});
        for m in [
            json!({"@type": "/hub.interchain_upgrade.v1.MsgDispatchUpgrade", "authority": a,
                   "spoke_chain_id": "spoke-a-1", "plan": plan}),
            json!({"@type": "/hub.interchain_upgrade.v1.MsgRegisterSpoke", "authority": a,
                   "chain_id": "s", "client_id": "07-tendermint-0", "connection_id": "connection-0"}),
            json!({"@type": "/hub.interchain_upgrade.v1.MsgPinHubClient", "authority": a,
                   "client_id": "07-tendermint-0"}),
            json!({"@type": "/hub.interchain_upgrade.v1.MsgUpdateParams", "authority": a,
                   "params": {"hub_chain_id": "hub-1", "min_upgrade_delay": 20, "packet_timeout_ns": "5"}}),
            json!({"@type": "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", "authority": a,
                   "plan": {"name": "v2", "height": 40, "info": ""}}),
            json!({"@type": "/cosmos.upgrade.v1beta1.MsgCancelUpgrade", "authority": a}),
            json!({"@type": "/ibc.core.client.v1.MsgRecoverClient", "subject_client_id": "a",
                   "substitute_client_id": "b", "signer": a}),
            json!({"@type": "/cosmos.gov.v1.MsgUpdateParams", "authority": a,
                   "params": {"min_deposit": [{"denom": "uhub", "amount": "1"}],
                              "max_deposit_period": "60s", "voting_period": "30s",
                              "quorum": "0.334", "threshold": "0.5", "veto_threshold": "0.334"}}),
        ] {
            message_from_json(&m).unwrap_or_else(|e| panic!("{m}: {e:#}"));
        }
        let bad = json!({"@type": "/hub.interchain_upgrade.v1.MsgPinHubClient", "authority": a,
                         "client": "07-tendermint-0"});
        let e = format!("{:#}", message_from_json(&bad).unwrap_err());
        assert!(e.contains("client"), "{e}");
    }

    #[test]
    fn bad_proposal_files_are_refused_with_a_reason() {
        let base = json!({"messages": [], "deposit": "1uhub", "title": "t", "summary": "s"});
        let cases = [
            (
                json!({"title": "t", "summary": "s", "expedited": true}),
                "expedited",
            ),
            (json!({"title": "", "summary": "s"}), "title"),
            (
                json!({"title": "t", "summary": "s", "extra": 1}),
                "unknown field",
            ),
            (
                json!({"title": "t", "summary": "s", "deposit": "abc"}),
                "deposit",
            ),
            (
                json!({"title": "t", "summary": "s", "messages": [{"@type": "/x.MsgY"}]}),
                "not supported",
            ),
            (
                json!({"title": "t", "summary": "s", "messages": [{"from_address": "a"}]}),
                "@type",
            ),
            (
                json!({"title": "t", "summary": "s", "messages": [{"@type": "/cosmos.bank.v1beta1.MsgSend", "from": "a"}]}),
                "messages[0]",
            ),
        ];
        assert!(parse_proposal(&base.to_string(), "p").is_ok());
        for (v, why) in cases {
            let e = format!("{:#}", parse_proposal(&v.to_string(), "p").unwrap_err());
            assert!(e.contains(why), "{v}: {e}");
        }
    }

    #[test]
    fn vote_options_and_weights_parse_strictly() {
        assert_eq!(parse_vote_option("yes").unwrap(), pb::VoteOption::Yes);
        assert_eq!(
            parse_vote_option("NO_WITH_VETO").unwrap(),
            pb::VoteOption::NoWithVeto
        );
        assert!(parse_vote_option("maybe").is_err());
        let w = parse_weighted_options("yes=0.6,no=0.4").unwrap();
        assert_eq!((w[0].option, w[1].option), (1, 3));
        for bad in [
            "yes=0.6,no=0.3",
            "yes=0.5,yes=0.5",
            "yes=1.5",
            "yes",
            "yes=0,no=1",
            "yes=-1",
        ] {
            assert!(parse_weighted_options(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_draft_is_a_valid_proposal_once_filled_in() {
        let mut d = draft_proposal(&ChainProfile::HUB).unwrap();
        d["messages"][0]["to_address"] = json!("hub1x");
        let m = parse_proposal(&d.to_string(), "p").unwrap();
        assert_eq!(m.messages.len(), 1);
        assert_eq!(m.initial_deposit[0].denom, "uhub");
    }
}
