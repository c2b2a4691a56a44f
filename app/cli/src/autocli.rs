//! `query` and `tx` commands generated from the runtime's own tables, as the Cosmos SDK's
//! AutoCLI generates them from proto descriptors.
//!
//! Every gRPC method of every module's route table ([`hub_app::services::MODULE_METHODS`]) is
//! `query <module> <method>` and every message of the runtime ([`hub_app::runtime::Msg::forms`])
//! is `tx <module> <message>`, in kebab case (`query bank all-balances`,
//! `tx staking begin-redelegate`); [`ALIASES`] gives some of them the names ibc-go's CLI and
//! older scripts use (`query ibc channel end`, `query bank balances`). A message's fields are
//! its arguments: positional in the order the `.proto` declares them, or as `--<field>` flags;
//! a value that reads as a JSON object, list or boolean is taken as JSON (nested messages,
//! repeated fields), any other as a string (proto3 JSON takes 64-bit numbers, enums and base64
//! bytes as strings), or where the field wants it as an enum's short name (`yes`) or coins
//! (`10uhub`) ([`field_value`]); an address field also takes a key name. A query with a
//! `pagination` field also takes `--limit`, `--offset`, `--page-key`, `--count-total` and
//! `--reverse`; a tx takes `--from` (which fills its signer field, e.g. `from_address`,
//! `sender` or `signer`; a signer that comes first is also positional and names the key), the
//! usual fee flags and `--note`.
//!
//! Where a human flow needs more than the message (relative packet timeouts, proposal files,
//! light-client proofs), a hand-written command of the same name takes precedence; the
//! generated one fills every other name. Output is the response's proto3 JSON with the
//! `.proto` field names (`next_key`) and known `Any`s expanded ([`expand_anys`]), as the SDK's
//! CLI prints it, with `--output json`, and the same document as indented `key: value` lines
//! otherwise.

use anyhow::{bail, Context as _};
use clap::{Arg, ArgAction, ArgMatches, Args as _, Command, FromArgMatches as _};
use hub_framework::form::{MsgForm, ProtoForm};
use hub_framework::route::QueryMethod;
use serde_json::{Map, Value};

use crate::{
    output::explain_query,
    rpc::Node,
    sign::{Sender, Submission, TxFlags},
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
    /// Other command paths of generated commands (see [`ALIASES`]).
    aliases: Vec<(Vec<&'static str>, Kind)>,
}

/// Other names of generated commands, `"<other name> = <generated command>"`. These are the
/// names ibc-go's and the SDK's CLIs (and this one's earlier hand-written commands) use, kept
/// so that scripts and habits keep working; a word of the other name may be a group of its
/// own (`query ibc channel end`) even where it is also a command (`query ibc channel`).
const ALIASES: &[&str] = &[
    "query account = query auth account",
    "query bank balances = query bank all-balances",
    "query gov tally = query gov tally-result",
    "query upgrade plan = query upgrade current-plan",
    "query upgrade applied = query upgrade applied-plan",
    "query ibc client state = query ibc client-state",
    "query ibc client status = query ibc client-status",
    "query ibc connection end = query ibc connection",
    "query ibc channel end = query ibc channel",
    "query ibc channel channels = query ibc channels",
    "query ibc channel packet-commitments = query ibc packet-commitments",
    "query ibc channel next-sequence-receive = query ibc next-sequence-receive",
    "tx staking unbond = tx staking undelegate",
];

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

/// `AllBalances` → `all-balances`, `….Query/ClientState` → `client-state`, `MsgSend` → `send`.
pub fn command_name(proto_name: &str) -> String {
    let base = proto_name.rsplit(['/', '.']).next().unwrap_or(proto_name);
    let base = base.strip_prefix("Msg").unwrap_or(base);
    // An acronym stays one word: `RateLimitsByChainID` → `rate-limits-by-chain-id`.
    let c: Vec<char> = base.chars().collect();
    let upper = |i: usize| c.get(i).is_some_and(char::is_ascii_uppercase);
    let lower = |i: usize| c.get(i).is_some_and(char::is_ascii_lowercase);
    let mut out = String::new();
    for (i, ch) in c.iter().enumerate() {
        if i > 0 && upper(i) && (!upper(i - 1) || lower(i + 1)) {
            out.push('-');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// The `tx` command names of one module's messages: [`command_name`], except that messages
/// whose names collide (IBC core's client and connection `MsgUpdateParams`) take their proto
/// package's word before their last word: `update-client-params`, `update-connection-params`.
pub fn tx_command_names(forms: &[hub_framework::form::MsgForm]) -> Vec<String> {
    let plain: Vec<String> = forms.iter().map(|f| command_name(f.type_url)).collect();
    let shared = |name: &String| plain.iter().filter(|n| *n == name).count() > 1;
    let name_of = |form: &hub_framework::form::MsgForm, name: &String| match name.rsplit_once('-') {
        // `/ibc.core.client.v1.MsgUpdateParams`: `client`, the word before the version
        Some((head, last)) if shared(name) => {
            let package = form.type_url.rsplit('.').nth(2).unwrap_or_default();
            format!("{head}-{package}-{last}")
        }
        _ => name.clone(),
    };
    forms
        .iter()
        .zip(&plain)
        .map(|(f, n)| name_of(f, n))
        .collect()
}

/// The command group of a module: its name in kebab case, ICS-20 as the SDK's `ibc-transfer`.
pub fn group_name(module: &str) -> String {
    let kebab = command_name(module).replace('_', "-");
    match kebab.as_str() {
        "transfer" => "ibc-transfer".into(),
        _ => kebab,
    }
}

/// Adds the generated `query` and `tx` commands of `runtime` to `root` (which has
/// hand-written `query` and `tx` commands), and their [`ALIASES`], skipping every name a
/// hand-written command already has. `tx` commands come only for the messages the runtime
/// runs ([`hub_app::ChainConfig::runs`]): `hubd` offers no `tx ping`, and hides the
/// hand-written one.
pub fn augment(mut root: Command, runtime: &hub_app::ChainConfig) -> (Command, Generated) {
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
    for (variant, forms) in hub_app::runtime::Msg::forms_run_by(runtime) {
        for (form, name) in forms.iter().zip(tx_command_names(forms)) {
            generated.entries.push(Entry {
                top: "tx",
                group: group_name(variant),
                name,
                kind: Kind::Tx(*form),
            });
        }
    }
    // `tx ping send` is hand-written (relative timeouts) for the runtimes that bind `ping`.
    if !runtime.runs("ping") {
        root = root.mut_subcommand("tx", |tx| tx.mut_subcommand("ping", |p| p.hide(true)));
    }
    let mut kept = Vec::new();
    for entry in generated.entries {
        let top = root.find_subcommand(entry.top);
        let existing = top.and_then(|t| t.find_subcommand(&entry.group));
        if existing.is_some_and(|g| g.find_subcommand(&entry.name).is_some()) {
            continue; // the hand-written command of this name stays
        }
        let leaf = leaf_command(&entry.name, &entry.kind);
        root = insert(root, &[entry.top, &entry.group], leaf);
        kept.push(entry);
    }
    for line in ALIASES {
        let (alias, target) = line.split_once(" = ").expect("`<other name> = <command>`");
        let path: Vec<&'static str> = alias.split(' ').collect();
        let taken = path
            .iter()
            .try_fold(&root, |cmd, word| cmd.find_subcommand(word))
            .is_some();
        let target = kept
            .iter()
            .find(|e| format!("{} {} {}", e.top, e.group, e.name) == target);
        let Some(entry) = target.filter(|_| !taken) else {
            continue; // a hand-written command serves it
        };
        let (name, groups) = path.split_last().expect("an alias has words");
        root = insert(root, groups, leaf_command(name, &entry.kind));
        generated.aliases.push((path, entry.kind));
    }
    generated.entries = kept;
    (root, generated)
}

/// `cmd` with `leaf` at the end of the command path `groups`, making the groups it lacks.
fn insert(cmd: Command, groups: &[&str], leaf: Command) -> Command {
    match groups {
        [] => cmd.subcommand(leaf),
        [first, rest @ ..] if cmd.find_subcommand(first).is_some() => {
            cmd.mut_subcommand(first, |g| insert(g, rest, leaf))
        }
        [first, rest @ ..] => cmd.subcommand(insert(
            Command::new(first.to_string())
                .about(format!("{first} (generated from its protos)"))
                .subcommand_required(true),
            rest,
            leaf,
        )),
    }
}

impl Generated {
    /// The generated command `matches` invoked, if it invoked one.
    pub fn call(&self, matches: &ArgMatches) -> Option<Call> {
        let mut path = Vec::new();
        let mut leaf = matches;
        while let Some((name, m)) = leaf.subcommand() {
            path.push(name);
            leaf = m;
        }
        let kind = match path.as_slice() {
            [top, group, name] => self
                .entries
                .iter()
                .find(|e| e.top == *top && e.group == *group && e.name == *name)
                .map(|e| e.kind),
            _ => None,
        };
        let kind = kind.or_else(|| {
            let (_, kind) = self.aliases.iter().find(|(p, _)| *p == path)?;
            Some(*kind)
        })?;
        Some(Call {
            kind,
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

/// The field of a tx message `--from` fills: its first [`SIGNER_FIELDS`] field.
fn signer_field(form: &ProtoForm) -> Option<&'static str> {
    let fields = fields(form);
    SIGNER_FIELDS.iter().copied().find(|f| fields.contains(f))
}

/// Whether `field` is also a positional argument: all fields but a query's `pagination` (its
/// flags are `--limit` …) and a tx's signer (which `--from` gives) unless it comes first, where
/// the SDK's CLI takes the signing key (`tx bank send <from> <to> <coins>`).
fn positional(kind: &Kind, field: &str) -> bool {
    match kind {
        Kind::Query { .. } => field != "pagination",
        Kind::Tx(m) => {
            signer_field(&m.form) != Some(field) || fields(&m.form).first() == Some(&field)
        }
    }
}

fn leaf_command(name: &str, kind: &Kind) -> Command {
    let (form, about) = match kind {
        Kind::Query { prefix, method } => (
            method.request,
            format!("{prefix}{} (generated)", method.name),
        ),
        Kind::Tx(m) => (m.form, format!("{} (generated)", m.type_url)),
    };
    let message = (form.name)();
    let fields = fields(&form);
    let mut cmd = Command::new(name.to_owned());
    cmd = match kind {
        Kind::Query { .. } if fields.contains(&"pagination") => page_flags(cmd),
        Kind::Query { .. } => cmd,
        Kind::Tx(_) => {
            let note = flag("note", "TEXT", "Memo of the transaction");
            // `--memo` too where the message has no `memo` of its own (`tx bank send --memo`).
            let note = match fields.contains(&"memo") {
                true => note,
                false => note.visible_alias("memo"),
            };
            let from = flag("from", "KEY", "Name of the signing key (in the keyring of --home) [default: the signer given in position]");
            TxFlags::augment_args(cmd.arg(from).arg(note))
        }
    }
    .about(about);
    let mut index = 1;
    for field in fields {
        let paged = field == "pagination" && matches!(kind, Kind::Query { .. });
        if positional(kind, field) {
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
    cmd.args([
        flag("limit", "N", "Page size (0: 100)"),
        flag("offset", "N", "Rows to skip"),
        flag("page-key", "BASE64", "Key of the page"),
        flag("count-total", "", "Count all rows"),
        flag("reverse", "", "Descending order"),
    ])
}

/// A `--name VALUE` flag, or an on/off switch where `value` is empty.
fn flag(name: &'static str, value: &'static str, help: &'static str) -> Arg {
    let arg = Arg::new(name).long(name).help(help);
    match value {
        "" => arg.action(ArgAction::SetTrue),
        value => arg.value_name(value),
    }
}

/// A flag's text as the JSON value of `field` of `form`: objects, lists and booleans as JSON,
/// anything else as a string (proto3 JSON reads numbers, enums and bytes from strings), except
/// where the message takes no such value but takes, as the SDK's CLI reads them, an enum by its
/// short name (`yes` for `VOTE_OPTION_YES`) or coins written `10uhub,5foo` (a list of `Coin`s
/// or one `Coin`).
pub fn field_value(form: &ProtoForm, field: &str, text: &str) -> Value {
    let plain = match serde_json::from_str::<Value>(text) {
        Ok(v @ (Value::Object(_) | Value::Array(_) | Value::Bool(_))) => v,
        _ => Value::String(text.to_owned()),
    };
    let takes = |v: &Value| (form.from_json)(serde_json::json!({ field: v })).is_ok();
    if takes(&plain) {
        return plain;
    }
    // An enum's JSON form names its variants when it refuses one.
    if let Err(e) = (form.from_json)(serde_json::json!({ field: "" })) {
        let suffix = format!("_{}", text.to_ascii_uppercase());
        let variant = e
            .split_once("expected one of ")
            .into_iter()
            .flat_map(|(_, list)| list.split(", "))
            .map(|v| v.trim_matches('`'))
            .find(|v| v.ends_with(&suffix));
        if let Some(v) = variant {
            return Value::String(v.to_owned());
        }
    }
    if let Ok(coins) = crate::coins::parse_coins(text) {
        let list: Vec<Value> = coins.iter().map(crate::coins::Coin::to_json).collect();
        match list.as_slice() {
            _ if takes(&Value::Array(list.clone())) => return Value::Array(list),
            [one] if takes(one) => return one.clone(),
            _ => {}
        }
    }
    plain
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
        json.insert(field.to_owned(), field_value(form, field, text));
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

/// Replaces a key name given for an address field (`address`, `…_address`, `…_addr`) with
/// that key's address, so `query bank balances alice` reads alice's account, and the account
/// address of a validator's operator given for a validator field with its operator address
/// (`<prefix>valoper1…`).
///
/// Errors: an unreadable key.
fn resolve_key_names(
    json: &mut Map<String, Value>,
    keyring: Option<&crate::keyring::Keyring>,
    profile: &ChainProfile,
) -> anyhow::Result<()> {
    for (field, value) in json.iter_mut() {
        let address_field =
            field == "address" || field.ends_with("_address") || field.ends_with("_addr");
        let Value::String(text) = value else { continue };
        if !address_field {
            continue;
        }
        if let Some(keyring) = keyring.filter(|k| k.contains(text)) {
            *text = keyring.info(text)?.address;
        }
        if field.contains("validator") {
            if let Ok(valoper) = operator_address(profile, text) {
                *text = valoper;
            }
        }
    }
    Ok(())
}

/// The operator address (`<prefix>valoper1…`) of `validator`, given as an operator address or
/// as the operator's account address.
///
/// Errors: neither form with the chain's prefix.
pub fn operator_address(profile: &ChainProfile, validator: &str) -> anyhow::Result<String> {
    use crate::address::{decode_address, encode_address};
    let valoper = format!("{}valoper", profile.bech32_prefix);
    let bytes = decode_address(validator, &valoper)
        .or_else(|_| decode_address(validator, profile.bech32_prefix))
        .with_context(|| {
            format!(
                "{validator:?} is neither a {valoper}1… nor a {}1… address",
                profile.bech32_prefix
            )
        })?;
    Ok(encode_address(&valoper, &bytes)?)
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
            Kind::Tx(m) if positional(&e.kind, signer_field(&m.form).unwrap_or_default()) => {
                (m.form, m.type_url.to_owned(), " [--from KEY]")
            }
            Kind::Tx(m) => (m.form, m.type_url.to_owned(), " --from KEY"),
        };
        let args: String = fields(&form)
            .iter()
            .filter(|f| positional(&e.kind, f))
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
            let mut json = message_json(&method.request, m)?;
            resolve_key_names(&mut json, common.keyring(profile).ok().as_ref(), profile)?;
            let request = (method.request.from_json)(Value::Object(json))
                .map_err(|e| anyhow::anyhow!("invalid request for {path}: {e}"))?;
            let height = m.try_get_one::<u64>("height").ok().flatten().copied();
            let answer = node
                .abci_query(&path, request, height)
                .await
                .map_err(explain_query(common.output))?;
            let json = (method.response.to_json)(&answer)
                .map(|v| proto_names(expand_anys(v)))
                .map_err(|e| anyhow::anyhow!("undecodable answer of {path}: {e}"))?;
            common.output.print(&json, || render_text(&json, 0));
            Ok(())
        }
        Kind::Tx(form) => {
            let keyring = common.keyring(profile)?;
            let mut json = message_json(&form.form, m)?;
            let signer_field = signer_field(&form.form);
            // A signer given in position names the key that signs (`tx bank send alice …`).
            let named = signer_field.and_then(|f| json.get(f)?.as_str().map(str::to_owned));
            let from = m.get_one::<String>("from").cloned().or(named).context(
                "--from is required: the name of the signing key (in the keyring of --home)",
            )?;
            resolve_key_names(&mut json, Some(&keyring), profile)?;
            let sender = Sender {
                profile,
                keyring: &keyring,
                node: &node,
                output: common.output,
            };
            if let Some(field) = signer_field {
                let address = Value::String(sender.address(&from)?);
                let given = json.entry(field).or_insert_with(|| address.clone());
                if *given != address {
                    bail!("`{field}` is {given} but the signing key {from} is {address}");
                }
            }
            let value = (form.form.from_json)(Value::Object(json))
                .map_err(|e| anyhow::anyhow!("invalid {}: {e}", form.type_url))?;
            let submission = Submission {
                msgs: vec![cosmrs::Any {
                    type_url: form.type_url.to_owned(),
                    value,
                }],
                memo: m.get_one::<String>("note").cloned().unwrap_or_default(),
                summary: form.type_url.to_owned(),
            };
            let flags = TxFlags::from_arg_matches(m)?;
            sender
                .submit(&from, submission, &flags, |_| Vec::new())
                .await
        }
    }
}

/// The forms an `Any` in an answer may hold beyond the runtime's messages: accounts, keys and
/// IBC light client states (each under its type URL, `/` and its full name).
const ANY_FORMS: &[ProtoForm] = {
    use cosmos_sdk_proto::cosmos::{auth::v1beta1 as auth, crypto::secp256k1};
    use ibc_proto::ibc::lightclients::{localhost::v2 as local, tendermint::v1 as tm};
    &[
        ProtoForm::of::<auth::BaseAccount>(),
        ProtoForm::of::<auth::ModuleAccount>(),
        ProtoForm::of::<secp256k1::PubKey>(),
        ProtoForm::of::<tm::ClientState>(),
        ProtoForm::of::<tm::ConsensusState>(),
        ProtoForm::of::<local::ClientState>(),
    ]
};

/// `value` with every `Any` of a known type (a runtime message or one of [`ANY_FORMS`])
/// shown as `{"@type", …its fields}`, as the Cosmos SDK prints them; others stay
/// `{"typeUrl", "value" (base64)}`.
pub fn expand_anys(value: Value) -> Value {
    use base64::Engine as _;
    match value {
        Value::Object(map) if map.len() == 2 && map.contains_key("typeUrl") => {
            let url = map["typeUrl"].as_str().unwrap_or_default().to_owned();
            let form = runtime_msg(&url).map(|m| m.form).or_else(|| {
                let mut forms = ANY_FORMS.iter().copied();
                forms.find(|f| url.strip_prefix('/') == Some(&(f.name)()))
            });
            let bytes = map["value"].as_str().map(|v| {
                let base64 = base64::engine::general_purpose::STANDARD;
                base64.decode(v).unwrap_or_default()
            });
            let Some(Ok(Value::Object(fields))) = form.zip(bytes).map(|(f, b)| (f.to_json)(&b))
            else {
                return Value::Object(map);
            };
            let mut out = Map::from_iter([("@type".to_owned(), Value::String(url))]);
            out.extend(fields);
            expand_anys(Value::Object(out))
        }
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, expand_anys(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(expand_anys).collect()),
        other => other,
    }
}

/// The runtime's message of type URL `url` ([`hub_app::runtime::Msg::forms`]), if it has one.
pub fn runtime_msg(url: &str) -> Option<MsgForm> {
    let forms = hub_app::runtime::Msg::forms();
    let mut all = forms.into_iter().flat_map(|(_, f)| f.iter());
    all.find(|m| m.type_url == url).copied()
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
        augment(
            crate::node::NodeCli::command_tree(),
            &hub_app::ChainConfig::hub(),
        )
    }

    /// The arguments of `hubd <line>` (words without spaces).
    fn argv(line: &str) -> Vec<&str> {
        std::iter::once("hubd").chain(line.split(' ')).collect()
    }

    #[test]
    fn names_are_kebab_case_without_the_msg_prefix_or_the_service() {
        assert_eq!(command_name("AllBalances"), "all-balances");
        assert_eq!(command_name("client.v1.Query/ClientState"), "client-state");
        assert_eq!(command_name("/cosmos.bank.v1beta1.MsgSend"), "send");
        assert_eq!(group_name("transfer"), "ibc-transfer");
        let acronyms = ["RateLimitsByChainID", "MsgIBCSoftwareUpgrade"].map(command_name);
        assert_eq!(
            acronyms,
            ["rate-limits-by-chain-id", "ibc-software-upgrade"]
        );
        assert_eq!(group_name("InterchainUpgrade"), "interchain-upgrade");
        assert_eq!(group_name("interchain_upgrade"), "interchain-upgrade");
    }

    #[test]
    fn every_method_and_message_of_the_runtime_has_a_command_hand_written_or_generated() {
        let (root, _) = tree();
        root.clone().debug_assert();
        let has = |path: [&str; 3]| path.iter().try_fold(&root, |c, w| c.find_subcommand(w));
        for (module, _, methods) in hub_app::services::MODULE_METHODS {
            for method in *methods {
                let path = ["query", &group_name(module), &command_name(method.name)];
                assert!(has(path).is_some(), "{path:?}");
            }
        }
        for (variant, forms) in hub_app::runtime::Msg::forms_run_by(&hub_app::ChainConfig::hub()) {
            let names = tx_command_names(forms);
            let unique: std::collections::BTreeSet<&String> = names.iter().collect();
            assert_eq!(
                unique.len(),
                names.len(),
                "tx {variant}: one name, two messages"
            );
            for n in &names {
                assert!(
                    has(["tx", &group_name(variant), n]).is_some(),
                    "tx {variant} {n}"
                );
            }
        }
    }

    #[test]
    fn each_binary_offers_the_messages_of_its_own_runtime() {
        let ping = |runtime: hub_app::ChainConfig| {
            let (root, _) = augment(crate::node::NodeCli::command_tree(), &runtime);
            let tx_ping = root
                .find_subcommand("tx")
                .and_then(|t| t.find_subcommand("ping"))
                .cloned()
                .expect("the hand-written command is in the tree");
            (
                tx_ping.is_hide_set(),
                tx_ping.find_subcommand("send-ping").is_some(),
            )
        };
        assert_eq!(ping(hub_app::ChainConfig::hub()), (true, false));
        assert_eq!(ping(hub_app::ChainConfig::spoke()), (false, true));
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

    /// The request JSON of the generated query `args` invokes, with its gRPC method name.
    fn request(args: &[&str]) -> (&'static str, Map<String, Value>) {
        let (method, m) = query(args);
        (
            method.name,
            message_json(&method.request, &m).expect("json"),
        )
    }

    #[test]
    fn older_and_ibc_go_names_are_aliases_of_generated_queries() {
        for (line, method, fields) in [
            (
                "query ibc client state 07-tendermint-0",
                "Query/ClientState",
                &["client_id", "07-tendermint-0"][..],
            ),
            (
                "query ibc client status 07-tendermint-1",
                "Query/ClientStatus",
                &["client_id", "07-tendermint-1"],
            ),
            (
                "query ibc connection end connection-0",
                "Query/Connection",
                &["connection_id", "connection-0"],
            ),
            (
                "query ibc channel end transfer channel-0",
                "Query/Channel",
                &["port_id", "transfer", "channel_id", "channel-0"],
            ),
            // The generated command under the same words keeps working.
            (
                "query ibc channel transfer channel-0",
                "Query/Channel",
                &["port_id", "transfer"],
            ),
            ("query ibc channel channels", "Query/Channels", &[]),
            (
                "query ibc channel packet-commitments transfer channel-0",
                "Query/PacketCommitments",
                &["channel_id", "channel-0"],
            ),
            (
                "query ibc channel next-sequence-receive ping channel-1",
                "Query/NextSequenceReceive",
                &["port_id", "ping"],
            ),
            (
                "query bank balances hub1a",
                "AllBalances",
                &["address", "hub1a"],
            ),
            (
                "query bank balance hub1a uhub",
                "Balance",
                &["address", "hub1a", "denom", "uhub"],
            ),
            ("query account hub1a", "Account", &["address", "hub1a"]),
            ("query gov tally 1", "TallyResult", &["proposal_id", "1"]),
            ("query gov proposal 1", "Proposal", &["proposal_id", "1"]),
            ("query upgrade plan", "CurrentPlan", &[]),
            ("query upgrade applied v2", "AppliedPlan", &["name", "v2"]),
            ("query interchain-upgrade bindings", "Bindings", &[]),
        ] {
            let (name, json) = request(&argv(line));
            assert!(name.ends_with(method), "{line}: {name}");
            for pair in fields.chunks(2) {
                assert_eq!(json[pair[0]], pair[1], "{line}");
            }
        }
        let (root, _) = tree();
        for bad in [
            "query ibc client bogus",
            "query ibc channel end transfer channel-0 x",
        ] {
            assert!(
                root.clone().try_get_matches_from(argv(bad)).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn ibc_transfer_queries_parse_with_global_flags() {
        let (root, generated) = tree();
        let hash = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2";
        let args = [
            "hubd",
            "query",
            "ibc-transfer",
            "denom-trace",
            hash,
            "--height",
            "12",
            "-o",
            "json",
        ];
        let m = root.try_get_matches_from(args).expect("parses");
        let call = generated.call(&m).expect("generated");
        assert_eq!(call.matches.get_one::<u64>("height"), Some(&12));
        let common = CommonArgs::from_arg_matches(&call.matches).expect("common flags");
        assert_eq!(common.output, crate::OutputFormat::Json);
        let Kind::Query { method, .. } = call.kind else {
            panic!("a query")
        };
        let json = message_json(&method.request, &call.matches).expect("json");
        assert_eq!(json["hash"], hash);
    }

    #[test]
    fn known_anys_in_answers_show_their_fields() {
        use prost::Message as _;
        let state = ibc_proto::ibc::lightclients::tendermint::v1::ClientState {
            chain_id: "spoke-a-1".into(),
            ..Default::default()
        };
        use base64::Engine as _;
        let value = base64::engine::general_purpose::STANDARD.encode(state.encode_to_vec());
        let json = serde_json::json!({ "clientState": {
            "typeUrl": "/ibc.lightclients.tendermint.v1.ClientState", "value": value,
        }, "other": { "typeUrl": "/x.Y", "value": "AQ==" } });
        let shown = proto_names(expand_anys(json));
        assert_eq!(
            shown["client_state"]["@type"],
            "/ibc.lightclients.tendermint.v1.ClientState"
        );
        assert_eq!(shown["client_state"]["chain_id"], "spoke-a-1");
        assert_eq!(shown["other"]["value"], "AQ==");
    }

    /// The message form and the fields' JSON of the generated tx `args` invokes.
    fn tx(args: &[&str]) -> (MsgForm, Map<String, Value>) {
        let (root, generated) = tree();
        let m = root.try_get_matches_from(args).expect("parses");
        let call = generated.call(&m).expect("generated");
        let Kind::Tx(form) = call.kind else {
            panic!("{args:?} is not a tx")
        };
        (form, message_json(&form.form, &call.matches).expect("json"))
    }

    #[test]
    fn gov_txs_take_vote_options_by_name_and_coins_as_text_with_the_signer_from_the_key() {
        let (form, json) = tx(&["hubd", "tx", "gov", "vote", "1", "yes", "--from", "a"]);
        assert_eq!(form.type_url, "/cosmos.gov.v1.MsgVote");
        assert_eq!(
            (&json["proposal_id"], &json["option"]),
            (&Value::from("1"), &Value::from("VOTE_OPTION_YES"))
        );
        assert!(!json.contains_key("voter"), "--from fills it");
        let (_, json) = tx(&[
            "hubd",
            "tx",
            "gov",
            "vote",
            "2",
            "no_with_veto",
            "--metadata",
            "m",
            "--from",
            "a",
        ]);
        assert_eq!(
            (&json["option"], &json["metadata"]),
            (&Value::from("VOTE_OPTION_NO_WITH_VETO"), &Value::from("m"))
        );
        let (form, json) = tx(&["hubd", "tx", "gov", "vote", "2", "maybe", "--from", "a"]);
        let err = (form.form.from_json)(Value::Object(json)).unwrap_err();
        assert!(err.starts_with("option"), "{err}");

        let (form, json) = tx(&[
            "hubd",
            "tx",
            "gov",
            "deposit",
            "1",
            "10000000uhub,5foo",
            "--from",
            "a",
        ]);
        assert_eq!(form.type_url, "/cosmos.gov.v1.MsgDeposit");
        assert_eq!(
            json["amount"],
            serde_json::json!([{"denom": "foo", "amount": "5"}, {"denom": "uhub", "amount": "10000000"}])
        );
        (form.form.from_json)(Value::Object(json)).expect("a MsgDeposit");
        let (form, json) = tx(&["hubd", "tx", "gov", "cancel-proposal", "3", "--from", "a"]);
        assert_eq!(
            (form.type_url, &json["proposal_id"]),
            ("/cosmos.gov.v1.MsgCancelProposal", &Value::from("3"))
        );
        let (root, _) = tree();
        let extra = [
            "hubd",
            "tx",
            "gov",
            "cancel-proposal",
            "3",
            "4",
            "--from",
            "a",
        ];
        assert!(
            root.try_get_matches_from(extra).is_err(),
            "the proposer is not positional"
        );
    }

    #[test]
    fn bank_send_and_staking_take_the_signing_key_first_and_the_shared_flags() {
        let args = [
            "hubd", "tx", "bank", "send", "alice", "bob", "5uhub", "--memo", "m", "--gas", "7",
        ];
        let (root, generated) = tree();
        let call = generated
            .call(&root.try_get_matches_from(args).expect("parses"))
            .expect("generated");
        let flags = TxFlags::from_arg_matches(&call.matches).expect("flags");
        assert_eq!(
            (
                call.matches.get_one::<String>("note").map(String::as_str),
                flags.gas
            ),
            (Some("m"), 7)
        );
        assert!(call.matches.get_one::<String>("from").is_none());
        let (form, json) = tx(&args);
        assert_eq!(form.type_url, "/cosmos.bank.v1beta1.MsgSend");
        assert_eq!(
            (&json["from_address"], &json["to_address"]),
            (&Value::from("alice"), &Value::from("bob"))
        );
        assert_eq!(
            json["amount"],
            serde_json::json!([{"denom": "uhub", "amount": "5"}])
        );

        for (verb, url) in [("delegate", "MsgDelegate"), ("unbond", "MsgUndelegate")] {
            let (form, json) = tx(&["hubd", "tx", "staking", verb, "alice", "hub1xyz", "5uhub"]);
            assert!(form.type_url.ends_with(url), "{verb}: {}", form.type_url);
            assert_eq!(
                (&json["delegator_address"], &json["validator_address"]),
                (&Value::from("alice"), &Value::from("hub1xyz"))
            );
            assert_eq!(
                json["amount"],
                serde_json::json!({"denom": "uhub", "amount": "5"})
            );
        }
        let profile = ChainProfile::HUB;
        let account = crate::address::encode_address("hub", &[7; 20]).unwrap();
        let valoper = operator_address(&profile, &account).unwrap();
        assert!(valoper.starts_with("hubvaloper1"), "{valoper}");
        assert_eq!(operator_address(&profile, &valoper).unwrap(), valoper);
        assert!(operator_address(&profile, "cosmos1xyz").is_err());
        // The validator of a message may be given by its operator's account address.
        let mut json = Map::new();
        json.insert("validator_address".into(), Value::from(account.clone()));
        json.insert("delegator_address".into(), Value::from(account.clone()));
        resolve_key_names(&mut json, None, &profile).unwrap();
        assert_eq!(
            (&json["validator_address"], &json["delegator_address"]),
            (&Value::from(valoper), &Value::from(account))
        );
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
            .try_get_matches_from(["hubd", "query", "interchain-upgrade", "dispatches"])
            .expect("parses");
        assert!(generated.call(&m).is_none());
        let m = root
            .clone()
            .try_get_matches_from([
                "hubd",
                "tx",
                "gov",
                "submit-proposal",
                "p.json",
                "--from",
                "k",
            ])
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
