//! `query` and `tx` commands generated from the runtime's own tables, as the Cosmos SDK's
//! AutoCLI generates them from proto descriptors.
//!
//! Every gRPC method of every module's route table ([`hub_app::services::MODULE_METHODS`]) is
//! `query <module> <method>` and every message of the runtime ([`hub_app::runtime::Msg::forms`])
//! is `tx <module> <message>`, in kebab case (`query bank all-balances`,
//! `tx staking begin-redelegate`). A message's fields are its arguments: positional in the
//! order the `.proto` declares them, or as `--<field>` flags; a value that reads as a JSON
//! object, list or boolean is taken as JSON (nested messages, repeated fields), any other as a
//! string (proto3 JSON takes 64-bit numbers, enums and base64 bytes as strings). A query with a
//! `pagination` field also takes `--limit`, `--offset`, `--page-key`, `--count-total` and
//! `--reverse`; a tx takes `--from` (its signer field, e.g. `from_address`, `sender` or
//! `signer`, is filled from the key when not given) and the usual fee flags.
//!
//! Where a human flow needs more than the message (relative packet timeouts, proposal files,
//! key names for addresses, readable summaries), a hand-written command of the same name
//! takes precedence; the generated one fills every other name. Output is the response's
//! proto3 JSON with the `.proto` field names (`next_key`), as the SDK's CLI prints it, with
//! `--output json`, and the same document as indented `key: value` lines otherwise.

use anyhow::{bail, Context as _};
use clap::{Arg, ArgAction, ArgMatches, Args as _, Command, FromArgMatches as _};
use hub_framework::form::{MsgForm, ProtoForm};
use hub_framework::route::QueryMethod;
use serde_json::{Map, Value};

use crate::{
    output::explain_query,
    rpc::Node,
    sign::{load_signer, submit, Submission, TxFlags},
    ChainProfile, CommonArgs, NodeArgs,
};

/// What a generated command does.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// `abci_query` of `prefix` + `method.name`.
    Query {
        prefix: &'static str,
        method: QueryMethod,
    },
    /// A tx with one message.
    Tx(MsgForm),
}

/// One generated command: `<top> <group> <name>`.
#[derive(Clone, Debug)]
struct Entry {
    top: &'static str,
    group: String,
    name: String,
    kind: Kind,
}

/// The generated commands of a command tree, to find the one a user invoked.
#[derive(Debug, Default)]
pub struct Generated {
    entries: Vec<Entry>,
}

/// A generated command the user invoked, with its arguments.
#[derive(Debug)]
pub struct Call {
    kind: Kind,
    matches: ArgMatches,
}

/// Flags no message field may take (they are the command's own).
const RESERVED: &[&str] = &[
    "from",
    "limit",
    "offset",
    "page-key",
    "count-total",
    "reverse",
];

/// Flags every command inherits from `query` and `tx`.
const GLOBAL_FLAGS: &[&str] = &["home", "output", "keyring-backend", "node", "height"];

/// Fields a tx command fills with the `--from` key's address when they are not given.
const SIGNER_FIELDS: &[&str] = &[
    "from_address",
    "sender",
    "signer",
    "delegator_address",
    "depositor",
    "voter",
    "proposer",
];

/// `AllBalances` → `all-balances`; `client.v1.Query/ClientState` → `client-state`;
/// `MsgSend` → `send`.
pub fn command_name(proto_name: &str) -> String {
    let base = proto_name.rsplit(['/', '.']).next().unwrap_or(proto_name);
    let base = base.strip_prefix("Msg").unwrap_or(base);
    let mut out = String::new();
    for (i, c) in base.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The command group of a module: its name in kebab case, ICS-20 as the SDK's `ibc-transfer`.
pub fn group_name(module: &str) -> String {
    let kebab = command_name(module).replace('_', "-");
    match kebab.as_str() {
        "transfer" => "ibc-transfer".into(),
        _ => kebab,
    }
}

/// Adds the generated `query` and `tx` commands to `root` (which has hand-written `query` and
/// `tx` commands), skipping every name a hand-written command already has.
pub fn augment(mut root: Command) -> (Command, Generated) {
    let mut generated = Generated::default();
    for (module, prefix, methods) in hub_app::services::MODULE_METHODS {
        for method in *methods {
            generated.entries.push(Entry {
                top: "query",
                group: group_name(module),
                name: command_name(method.name),
                kind: Kind::Query {
                    prefix,
                    method: *method,
                },
            });
        }
    }
    for (variant, forms) in hub_app::runtime::Msg::forms() {
        for form in forms {
            generated.entries.push(Entry {
                top: "tx",
                group: group_name(variant),
                name: command_name(form.type_url),
                kind: Kind::Tx(*form),
            });
        }
    }
    let mut kept = Vec::new();
    for entry in generated.entries {
        let top = root.find_subcommand(entry.top);
        let existing = top.and_then(|t| t.find_subcommand(&entry.group));
        if existing.is_some_and(|g| g.find_subcommand(&entry.name).is_some()) {
            continue; // the hand-written command of this name stays
        }
        let has_group = existing.is_some();
        let leaf = leaf_command(&entry);
        root = root.mut_subcommand(entry.top, |top| {
            if has_group {
                top.mut_subcommand(&entry.group, |g| g.subcommand(leaf))
            } else {
                top.subcommand(
                    Command::new(entry.group.clone())
                        .about(format!("{} (generated from its protos)", entry.group))
                        .subcommand_required(true)
                        .subcommand(leaf),
                )
            }
        });
        kept.push(entry);
    }
    generated.entries = kept;
    (root, generated)
}

impl Generated {
    /// The generated command `matches` invoked, if it invoked one.
    pub fn call(&self, matches: &ArgMatches) -> Option<Call> {
        let (top, m) = matches.subcommand()?;
        let (group, m) = m.subcommand()?;
        let (name, leaf) = m.subcommand()?;
        let entry = self
            .entries
            .iter()
            .find(|e| e.top == top && e.group == group && e.name == name)?;
        Some(Call {
            kind: entry.kind,
            matches: leaf.clone(),
        })
    }
}

fn fields(form: &ProtoForm) -> Vec<&'static str> {
    (form.fields)()
        .into_iter()
        .filter(|f| !RESERVED.contains(&f.replace('_', "-").as_str()))
        .collect()
}

fn leaf_command(entry: &Entry) -> Command {
    let (form, about) = match &entry.kind {
        Kind::Query { prefix, method } => (
            method.request,
            format!("{prefix}{} (generated)", method.name),
        ),
        Kind::Tx(m) => (m.form, format!("{} (generated)", m.type_url)),
    };
    let message = (form.name)();
    let fields = fields(&form);
    let mut cmd = Command::new(entry.name.clone());
    cmd = match entry.kind {
        Kind::Query { .. } if fields.contains(&"pagination") => page_flags(cmd),
        Kind::Query { .. } => cmd,
        Kind::Tx(_) => TxFlags::augment_args(
            cmd.arg(
                Arg::new("from")
                    .long("from")
                    .value_name("KEY")
                    .required(true)
                    .help("Name of the signing key (in the keyring of --home)"),
            ),
        ),
    }
    .about(about);
    let mut index = 1;
    for field in fields {
        let paged = field == "pagination" && matches!(entry.kind, Kind::Query { .. });
        if !paged {
            cmd = cmd.arg(
                Arg::new(format!("pos:{field}"))
                    .value_name(field.to_uppercase())
                    .help(format!("`{field}` of {message}"))
                    .index(index)
                    .allow_hyphen_values(true),
            );
            index += 1;
        }
        // A field whose flag the command already has (`--chain-id` of a tx) is positional only.
        let long = field.replace('_', "-");
        let taken = GLOBAL_FLAGS.contains(&long.as_str())
            || cmd.get_arguments().any(|a| a.get_long() == Some(&long));
        if !taken {
            cmd = cmd.arg(
                Arg::new(format!("field:{field}"))
                    .long(long)
                    .value_name("VALUE")
                    .help(format!("`{field}` of {message} (or give it in position)"))
                    .hide(paged),
            );
        }
    }
    cmd
}

fn page_flags(cmd: Command) -> Command {
    cmd.arg(
        Arg::new("limit")
            .long("limit")
            .value_name("N")
            .help("Page size (0: 100)"),
    )
    .arg(
        Arg::new("offset")
            .long("offset")
            .value_name("N")
            .help("Rows to skip"),
    )
    .arg(
        Arg::new("page-key")
            .long("page-key")
            .value_name("BASE64")
            .help("Key of the page"),
    )
    .arg(
        Arg::new("count-total")
            .long("count-total")
            .action(ArgAction::SetTrue)
            .help("Count all rows"),
    )
    .arg(
        Arg::new("reverse")
            .long("reverse")
            .action(ArgAction::SetTrue)
            .help("Descending order"),
    )
}

/// A flag's text as a JSON value: objects, lists and booleans as JSON, anything else as a
/// string (proto3 JSON reads numbers, enums and bytes from strings).
pub fn field_value(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ (Value::Object(_) | Value::Array(_) | Value::Bool(_))) => v,
        _ => Value::String(text.to_owned()),
    }
}

/// The proto3 JSON of the message the arguments of `matches` describe.
///
/// Errors: a field given both in position and as a flag.
fn message_json(form: &ProtoForm, matches: &ArgMatches) -> anyhow::Result<Map<String, Value>> {
    let mut json = Map::new();
    for field in fields(form) {
        let positional = matches
            .try_get_one::<String>(&format!("pos:{field}"))
            .ok()
            .flatten();
        let flag = matches
            .try_get_one::<String>(&format!("field:{field}"))
            .ok()
            .flatten();
        let text = match (positional, flag) {
            (Some(_), Some(_)) => bail!("`{field}` is given twice: in position and as a flag"),
            (Some(t), None) | (None, Some(t)) => t,
            (None, None) => continue,
        };
        json.insert(field.to_owned(), field_value(text));
    }
    if matches.try_contains_id("limit").unwrap_or(false) {
        let mut page = Map::new();
        for (flag, key) in [
            ("limit", "limit"),
            ("offset", "offset"),
            ("page-key", "key"),
        ] {
            if let Some(v) = matches.get_one::<String>(flag) {
                page.insert(key.into(), Value::String(v.clone()));
            }
        }
        for flag in ["count-total", "reverse"] {
            if matches.get_flag(flag) {
                page.insert(flag.replace('-', "_"), Value::Bool(true));
            }
        }
        if !page.is_empty() {
            json.entry("pagination").or_insert(Value::Object(page));
        }
    }
    Ok(json)
}

/// The reference of every generated command, one line each in a code block per command
/// group: its usage and the gRPC method or message it makes (the section of `docs/cli.md`
/// between the `generated` markers, which a test keeps equal to this).
pub fn reference(generated: &Generated, binary: &str) -> String {
    let mut out = String::new();
    let mut last_group = None;
    for e in &generated.entries {
        let group = (e.top, e.group.as_str());
        if last_group != Some(group) {
            if last_group.is_some() {
                out.push_str("```\n\n");
            }
            out.push_str(&format!("### `{binary} {} {}`\n\n```\n", e.top, e.group));
            last_group = Some(group);
        }
        let (form, target, tail) = match &e.kind {
            Kind::Query { prefix, method } => {
                let paged = fields(&method.request).contains(&"pagination");
                let tail = if paged {
                    " [--limit N] [--page-key K]"
                } else {
                    ""
                };
                (method.request, format!("{prefix}{}", method.name), tail)
            }
            Kind::Tx(m) => (m.form, m.type_url.to_owned(), " --from KEY"),
        };
        let args: String = fields(&form)
            .iter()
            .filter(|f| **f != "pagination" || matches!(e.kind, Kind::Tx(_)))
            .map(|f| format!(" [{}]", f.to_uppercase()))
            .collect();
        out.push_str(&format!(
            "{binary} {} {} {}{args}{tail}  # {target}\n",
            e.top, e.group, e.name
        ));
    }
    if last_group.is_some() {
        out.push_str("```\n");
    }
    out
}

/// Runs a generated command.
///
/// Errors: arguments that do not make the message (naming the field), an unreachable node,
/// a failed query (code, codespace, log) or a failed tx.
pub async fn run(profile: &ChainProfile, call: Call) -> anyhow::Result<()> {
    let m = &call.matches;
    let common = CommonArgs::from_arg_matches(m)?;
    let node = Node::new(&NodeArgs::from_arg_matches(m)?.node)?;
    match call.kind {
        Kind::Query { prefix, method } => {
            let path = format!("{prefix}{}", method.name);
            let json = message_json(&method.request, m)?;
            let request = (method.request.from_json)(Value::Object(json))
                .map_err(|e| anyhow::anyhow!("invalid request for {path}: {e}"))?;
            let height = m.try_get_one::<u64>("height").ok().flatten().copied();
            let answer = node
                .abci_query(&path, request, height)
                .await
                .map_err(explain_query(common.output))?;
            let json = (method.response.to_json)(&answer)
                .map(proto_names)
                .map_err(|e| anyhow::anyhow!("undecodable answer of {path}: {e}"))?;
            common.output.print(&json, || render_text(&json, 0));
            Ok(())
        }
        Kind::Tx(form) => {
            let keyring = common.keyring(profile)?;
            let from = m.get_one::<String>("from").context("--from is required")?;
            let signer = load_signer(&keyring, from)?;
            let mut json = message_json(&form.form, m)?;
            let fields = fields(&form.form);
            if let Some(field) = SIGNER_FIELDS.iter().find(|f| fields.contains(f)) {
                json.entry(*field)
                    .or_insert_with(|| Value::String(signer.0.address.clone()));
            }
            let value = (form.form.from_json)(Value::Object(json))
                .map_err(|e| anyhow::anyhow!("invalid {}: {e}", form.type_url))?;
            let submission = Submission {
                msgs: vec![cosmrs::Any {
                    type_url: form.type_url.to_owned(),
                    value,
                }],
                memo: String::new(),
                summary: form.type_url.to_owned(),
            };
            let flags = TxFlags::from_arg_matches(m)?;
            submit(
                profile,
                &node,
                common.output,
                &signer,
                submission,
                &flags,
                |_| Vec::new(),
            )
            .await
        }
    }
}

/// The proto3 JSON `value` with its field names as the `.proto` spells them
/// (`next_key`, not `nextKey`), as the Cosmos SDK's CLI prints them.
pub fn proto_names(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (snake_case(&k), proto_names(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(proto_names).collect()),
        other => other,
    }
}

/// `nextKey` → `next_key`; `@type` and snake_case names unchanged.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A JSON document as indented `key: value` lines, lists as `- ` items (YAML's shape).
pub fn render_text(value: &Value, indent: usize) -> String {
    let pad = "  ".repeat(indent);
    match value {
        Value::Object(map) if map.is_empty() => format!("{pad}{{}}\n"),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                Value::Object(m) if !m.is_empty() => {
                    format!("{pad}{k}:\n{}", render_text(v, indent + 1))
                }
                Value::Array(a) if !a.is_empty() => {
                    format!("{pad}{k}:\n{}", render_text(v, indent))
                }
                _ => format!("{pad}{k}: {}", render_text(v, 0)),
            })
            .collect(),
        Value::Array(items) if items.is_empty() => format!("{pad}[]\n"),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                let inner = render_text(item, indent + 1);
                format!("{pad}- {}", inner.trim_start())
            })
            .collect(),
        Value::String(s) => format!("{pad}{s}\n"),
        other => format!("{pad}{other}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> (Command, Generated) {
        augment(crate::node::NodeCli::command_tree())
    }

    #[test]
    fn names_are_kebab_case_without_the_msg_prefix_or_the_service() {
        assert_eq!(command_name("AllBalances"), "all-balances");
        assert_eq!(command_name("client.v1.Query/ClientState"), "client-state");
        assert_eq!(command_name("/cosmos.bank.v1beta1.MsgSend"), "send");
        assert_eq!(group_name("transfer"), "ibc-transfer");
        assert_eq!(group_name("InterchainUpgrade"), "interchain-upgrade");
        assert_eq!(group_name("interchain_upgrade"), "interchain-upgrade");
    }

    #[test]
    fn every_method_and_message_of_the_runtime_has_a_command_hand_written_or_generated() {
        let (root, _) = tree();
        root.clone().debug_assert();
        for (module, _, methods) in hub_app::services::MODULE_METHODS {
            for method in *methods {
                let (g, n) = (group_name(module), command_name(method.name));
                let found = root
                    .find_subcommand("query")
                    .and_then(|q| q.find_subcommand(&g))
                    .and_then(|q| q.find_subcommand(&n));
                assert!(found.is_some(), "query {g} {n}");
            }
        }
        for (variant, forms) in hub_app::runtime::Msg::forms() {
            for form in forms {
                let (g, n) = (group_name(variant), command_name(form.type_url));
                let found = root
                    .find_subcommand("tx")
                    .and_then(|t| t.find_subcommand(&g))
                    .and_then(|t| t.find_subcommand(&n));
                assert!(found.is_some(), "tx {g} {n}");
            }
        }
    }

    /// The request method and argument matches of the generated query `args` invokes.
    fn query(args: &[&str]) -> (QueryMethod, ArgMatches) {
        let (root, generated) = tree();
        let m = root.try_get_matches_from(args).expect("parses");
        let call = generated.call(&m).expect("generated");
        match call.kind {
            Kind::Query { method, .. } => (method, call.matches),
            Kind::Tx(_) => panic!("{args:?} is not a query"),
        }
    }

    #[test]
    fn a_generated_query_takes_fields_in_position_or_as_flags_and_pages_with_flags() {
        let (method, m) = query(&[
            "hubd",
            "query",
            "staking",
            "delegation",
            "hub1d",
            "--validator-addr",
            "hubvaloper1v",
        ]);
        let json = message_json(&method.request, &m).expect("json");
        assert_eq!(json["delegator_addr"], "hub1d");
        assert_eq!(json["validator_addr"], "hubvaloper1v");

        let (method, m) = query(&[
            "hubd",
            "query",
            "bank",
            "all-balances",
            "hub1a",
            "--limit",
            "2",
            "--count-total",
        ]);
        let json = message_json(&method.request, &m).expect("json");
        let wire = (method.request.from_json)(Value::Object(json)).expect("a request");
        let back = (method.request.to_json)(&wire).expect("decodes");
        assert_eq!(back["pagination"]["limit"], "2");
        assert_eq!(back["pagination"]["countTotal"], true);
    }

    #[test]
    fn a_field_given_twice_or_of_the_wrong_shape_is_refused_naming_it() {
        let (method, m) = query(&[
            "hubd",
            "query",
            "staking",
            "validator",
            "hubvaloper1a",
            "--validator-addr",
            "x",
        ]);
        let err = message_json(&method.request, &m).unwrap_err();
        assert!(err.to_string().contains("validator_addr"), "{err}");

        let (method, m) = query(&["hubd", "query", "ibc", "client-states", "--pagination", "7"]);
        let json = message_json(&method.request, &m).expect("json");
        let err = (method.request.from_json)(Value::Object(json)).unwrap_err();
        assert!(err.starts_with("pagination"), "{err}");
    }

    #[test]
    fn a_hand_written_command_keeps_its_name_and_is_not_generated() {
        let (root, generated) = tree();
        let m = root
            .clone()
            .try_get_matches_from(["hubd", "query", "bank", "balances", "hub1a"])
            .expect("parses");
        assert!(generated.call(&m).is_none());
        let m = root
            .clone()
            .try_get_matches_from(["hubd", "tx", "bank", "send", "k", "hub1b", "5uhub"])
            .expect("parses");
        assert!(generated.call(&m).is_none());
    }

    #[test]
    fn the_cli_reference_lists_every_generated_command() {
        // `UPDATE_CLI_DOCS=1 cargo test -p hub-cli reference` rewrites the section.
        let (_, generated) = tree();
        let want = reference(&generated, "hubd");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/cli.md");
        let doc = std::fs::read_to_string(path).expect("docs/cli.md");
        let (start, end) = (
            "<!-- generated commands: start -->\n",
            "<!-- generated commands: end -->",
        );
        let (head, rest) = doc.split_once(start).expect("start marker");
        let (section, tail) = rest.split_once(end).expect("end marker");
        if std::env::var_os("UPDATE_CLI_DOCS").is_some() {
            std::fs::write(path, format!("{head}{start}{want}{end}{tail}")).expect("write");
            return;
        }
        assert_eq!(
            section, want,
            "docs/cli.md is stale: run with UPDATE_CLI_DOCS=1"
        );
    }

    #[test]
    fn answers_print_with_the_proto_field_names() {
        let json = serde_json::json!({
            "delegationResponses": [{ "delegation": { "delegatorAddress": "hub1a" } }],
            "pagination": { "nextKey": null, "total": "1" },
            "account": { "@type": "/cosmos.auth.v1beta1.BaseAccount" },
        });
        assert_eq!(
            proto_names(json),
            serde_json::json!({
                "delegation_responses": [{ "delegation": { "delegator_address": "hub1a" } }],
                "pagination": { "next_key": null, "total": "1" },
                "account": { "@type": "/cosmos.auth.v1beta1.BaseAccount" },
            })
        );
    }

    #[test]
    fn text_output_is_indented_key_value_lines() {
        let json = serde_json::json!({
            "balances": [{ "amount": "5", "denom": "uhub" }],
            "empty": [],
            "pagination": { "total": "1" },
        });
        assert_eq!(
            render_text(&json, 0),
            "balances:\n- amount: 5\n  denom: uhub\nempty: []\npagination:\n  total: 1\n"
        );
    }
}
