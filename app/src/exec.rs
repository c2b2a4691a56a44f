//! Execution of one transaction, shared by CheckTx, FinalizeBlock and Simulate.
//!
//! Stages, each in its own cnidarium overlay over the caller's state:
//! 1. decode (`TxRaw`, messages) and stateless checks — nothing written on failure;
//! 2. ante: authenticate (signature, sequence + 1) and collect the fee — on failure nothing
//!    is written and the tx is not charged;
//! 3. messages (Deliver and Simulate only) — on failure their writes and events are dropped,
//!    the fee and the sequence increment stay, as in the Cosmos SDK.
//!
//! CheckTx (and ReCheckTx) runs decode, ante and then the tx's IBC relay messages
//! (`MsgUpdateClient`, `MsgRecvPacket`, `MsgAcknowledgement`, `MsgTimeout`,
//! `MsgTimeoutOnClose`) on the mempool's check-state, as ibc-go's `RedundantRelayDecorator`
//! does in the ante chain of every ibc-go chain: a relay tx whose proofs do not verify, or whose
//! packets were all relayed already, is refused before it costs a block anything, and the
//! check-state holds the client updates and receipts of admitted txs, so the next tx of a
//! relayer's batch (and its Simulate) verifies against the client update still in the mempool.
//! Admission is all or nothing: a tx refused by any of these checks leaves the check-state as it
//! was.

use crate::runtime::{ChainConfig, Msg};
use hub_auth::{ante, tx::DecodedTx, Address};
use hub_framework::{
    cnidarium::{StateDelta, StateWrite},
    BlockCtx, Handled, Metered, ModuleError, SdkError, TxCtx, GAS_COSTS,
};
use tendermint::abci::{Event, EventAttribute};

/// Outcome of a transaction, as reported in `ExecTxResult` / `CheckTx`.
#[derive(Clone, Debug, Default)]
pub struct TxOutcome {
    /// 0 on success, else the error's code.
    pub code: u32,
    /// Empty on success, else the error's codespace.
    pub codespace: &'static str,
    /// Human-readable result or reason.
    pub log: String,
    /// The tx's gas limit (0 if it did not decode).
    pub gas_wanted: u64,
    /// Gas consumed.
    pub gas_used: u64,
    /// Events of the applied stages (ante events are kept even if messages fail).
    pub events: Vec<Event>,
}

impl TxOutcome {
    /// A tx refused before any stage ran (no gas used, no events).
    pub fn rejected(e: &ModuleError) -> Self {
        Self::failed(e, 0, 0, vec![])
    }

    fn failed(e: &ModuleError, gas_wanted: u64, gas_used: u64, events: Vec<Event>) -> Self {
        TxOutcome {
            code: e.code,
            codespace: e.codespace,
            log: e.log.clone(),
            gas_wanted,
            gas_used,
            events,
        }
    }
}

/// Which stages run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecMode {
    /// CheckTx of a new tx: decode + ante + IBC relay checks.
    Check,
    /// CheckTx of kind Recheck (after a commit, for a tx still in the mempool): as `Check`
    /// without the signature, which was verified on first admission.
    Recheck,
    /// FinalizeBlock: all stages.
    Deliver,
    /// Simulate: all stages, signature and minimum fee not checked.
    Simulate,
}

/// A decoded transaction with its messages and signer.
pub struct ParsedTx {
    /// The decoded envelope.
    pub tx: DecodedTx,
    /// Messages in order.
    pub msgs: Vec<Msg>,
    /// The single signer of every message.
    pub signer: Address,
}

/// Decodes a raw tx and its messages; every message must have the same signer.
///
/// Errors: `sdk`/2 undecodable, `sdk`/6 unknown message type, message validation errors,
/// `sdk`/14 messages with different signers.
pub fn parse(bytes: &[u8], chain: &ChainConfig) -> Result<ParsedTx, ModuleError> {
    let tx = DecodedTx::decode(bytes)?;
    let msgs = tx
        .messages
        .iter()
        .map(|m| chain.decode_msg(m))
        .collect::<Result<Vec<_>, _>>()?;
    let signer = msgs[0].signer();
    if msgs.iter().any(|m| m.signer() != signer) {
        return Err(
            SdkError::TooManySignatures("all messages must have the same signer".into()).into(),
        );
    }
    Ok(ParsedTx {
        tx,
        msgs,
        signer: Address(signer),
    })
}

/// Runs a transaction on `state` (the block's or the mempool's check-state).
///
/// Never fails: every error becomes a [`TxOutcome`] with its code, and `state` then holds
/// only what the stages before the failure wrote (see the module docs).
pub async fn execute<S: StateWrite>(
    state: &mut S,
    bytes: &[u8],
    block: &BlockCtx,
    chain: &ChainConfig,
    mode: ExecMode,
) -> TxOutcome {
    let parsed = match parse(bytes, chain) {
        Ok(p) => p,
        Err(e) => return TxOutcome::failed(&e, 0, 0, vec![]),
    };
    let wanted = parsed.tx.gas_limit;
    let limit = match mode {
        // The SDK simulates with an infinite meter under the node's query gas limit; the hub
        // caps simulation at the block gas limit, so an estimate never exceeds what a block
        // can hold and a query cannot run unbounded.
        ExecMode::Simulate => simulate_cap(state).await,
        _ => wanted,
    };
    let ctx = tx_ctx(block, chain, &parsed, limit);
    for m in &parsed.msgs {
        if let Err(e) = m.check_stateless(&ctx) {
            return TxOutcome::failed(&e, wanted, 0, vec![]);
        }
    }
    let ante_mode = match mode {
        ExecMode::Check => ante::Mode::Check,
        ExecMode::Recheck => ante::Mode::Recheck,
        ExecMode::Deliver => ante::Mode::Deliver,
        ExecMode::Simulate => ante::Mode::Simulate,
    };
    if matches!(mode, ExecMode::Check | ExecMode::Recheck) {
        return match admit(state, &parsed, &ctx, ante_mode).await {
            Ok(events) => TxOutcome {
                gas_wanted: wanted,
                gas_used: ctx.gas.used(),
                events,
                ..Default::default()
            },
            Err(e) => TxOutcome::failed(&e, wanted, ctx.gas.used(), vec![]),
        };
    }
    let mut events = match run_ante(state, &parsed, &ctx, ante_mode).await {
        Ok(ev) => ev,
        Err(e) => return TxOutcome::failed(&e, wanted, ctx.gas.used(), vec![]),
    };
    match run_msgs(state, &parsed, &ctx).await {
        Ok(ev) => {
            events.extend(ev);
            TxOutcome {
                gas_wanted: wanted,
                gas_used: ctx.gas.used(),
                events,
                log: ctx.log(),
                ..Default::default()
            }
        }
        Err(e) => TxOutcome::failed(&e, wanted, ctx.gas.used(), events),
    }
}

/// The context of `parsed` in `block`, with a gas meter of `limit` and the runtime's bound
/// ports.
fn tx_ctx(block: &BlockCtx, chain: &ChainConfig, parsed: &ParsedTx, limit: u64) -> TxCtx {
    TxCtx::new(block.clone(), &chain.bech32_prefix, parsed.signer.0, limit)
        .with_bound_ports(chain.ports)
}

/// The gas available to a simulation: the block gas limit, or [`SIMULATE_GAS_CAP`] on a
/// chain without one.
async fn simulate_cap<S: StateWrite>(state: &S) -> u64 {
    state
        .get_raw(crate::chain_state::MAX_BLOCK_GAS_KEY)
        .await
        .ok()
        .flatten()
        .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
        .map(u64::from_be_bytes)
        .unwrap_or(SIMULATE_GAS_CAP)
}

/// The gas cap of a simulation on a chain without a block gas limit (the default block gas
/// limit of `hubd init`).
pub const SIMULATE_GAS_CAP: u64 = 100_000_000;

/// ProcessProposal's check of one proposed tx (the Cosmos SDK's `ProcessProposalVerifyTx`):
/// decode, stateless checks, and the ante in Deliver mode (signature, sequence, fee and
/// balance) on `state`, which keeps the ante's writes so that the next tx of the same signer
/// is checked against its new sequence. Messages do not run. Returns the tx's gas limit.
///
/// Errors: the first failing check's error.
pub async fn verify_proposed<S: StateWrite>(
    state: &mut S,
    bytes: &[u8],
    block: &BlockCtx,
    chain: &ChainConfig,
) -> Result<u64, ModuleError> {
    let parsed = parse(bytes, chain)?;
    let ctx = tx_ctx(block, chain, &parsed, parsed.tx.gas_limit);
    for m in &parsed.msgs {
        m.check_stateless(&ctx)?;
    }
    run_ante(state, &parsed, &ctx, ante::Mode::Deliver).await?;
    Ok(parsed.tx.gas_limit)
}

/// Mempool admission: ante, then the IBC relay checks, in one overlay that reaches `state`
/// only if both pass.
async fn admit<S: StateWrite>(
    state: &mut S,
    p: &ParsedTx,
    ctx: &TxCtx,
    mode: ante::Mode,
) -> Result<Vec<Event>, ModuleError> {
    let mut overlay = StateDelta::new(&mut *state);
    let events = run_ante(&mut overlay, p, ctx, mode).await?;
    relay_checks(&mut overlay, p, ctx).await?;
    overlay.apply();
    Ok(events)
}

/// ibc-go's `RedundantRelayDecorator`: executes the tx's IBC relay messages, in order, each
/// metered on the tx's gas, up to the first message of another kind (which, as in ibc-go, ends
/// the checks: a tx mixing other messages with relays is never refused as redundant). A tx of
/// relay messages only, whose packet messages were all relayed before, is refused with
/// `channel`/22 "packet messages are redundant" (the text Hermes matches: it then drops the tx
/// without touching its sequence). Other messages are not run before the block, as in the
/// Cosmos SDK. Unlike ibc-go, a `MsgRecvPacket` runs its application callback here too (the
/// check-state is thrown away at the next commit, and one code path is easier to keep right).
///
/// Errors: the first failing relay message's error; `channel`/22; `sdk`/11 out of gas.
async fn relay_checks<S: StateWrite>(s: &mut S, p: &ParsedTx, ctx: &TxCtx) -> Handled {
    let (mut packets, mut redundant) = (0usize, 0usize);
    for m in &p.msgs {
        let Some(kind) = m.relay_kind() else {
            return Ok(());
        };
        // Its own context, to learn whether this message alone was a no-op; its gas is then
        // charged to the tx.
        let remaining = ctx.gas.limit().saturating_sub(ctx.gas.used());
        let one = TxCtx::new(ctx.block.clone(), &ctx.bech32_prefix, ctx.signer, remaining)
            .with_bound_ports(ctx.bound_ports);
        let result = m
            .check_and_execute(&mut Metered::new(&mut *s, one.gas.clone()), &one)
            .await;
        ctx.gas
            .charge(one.gas.used(), "ibcRelayCheck")
            .map_err(|e| SdkError::OutOfGas(e.to_string()))?;
        result?;
        if kind == hub_ibc::RelayKind::Packet {
            packets += 1;
            if one.log().contains(hub_ibc::channel::packet::REDUNDANT) {
                redundant += 1;
            }
        }
    }
    if packets > 0 && redundant == packets {
        return Err(hub_ibc::IbcError::RedundantTx.into());
    }
    Ok(())
}

async fn run_ante<S: StateWrite>(
    state: &mut S,
    p: &ParsedTx,
    ctx: &TxCtx,
    mode: ante::Mode,
) -> Result<Vec<Event>, ModuleError> {
    let mut overlay = StateDelta::new(&mut *state);
    let mut metered = Metered::new(&mut overlay, ctx.gas.clone());
    ante::authenticate(
        &mut metered,
        &p.tx,
        &p.signer,
        &ctx.block.chain_id,
        &ctx.bech32_prefix,
        mode,
        &ctx.gas,
    )
    .await?;
    hub_bank::deduct_fee(
        &mut metered,
        &p.signer,
        p.tx.fee_amount,
        &p.tx.fee_denom,
        &ctx.bech32_prefix,
    )
    .await?;
    within_limit(ctx, "ante state access")?;
    drop(metered);
    let (_, mut events) = overlay.apply();
    let signer = p.signer.to_bech32(&ctx.bech32_prefix);
    events.push(indexed(
        "tx",
        [
            ("fee", format!("{}{}", p.tx.fee_amount, p.tx.fee_denom)),
            ("fee_payer", signer.clone()),
        ],
    ));
    events.push(indexed(
        "tx",
        [("acc_seq", format!("{signer}/{}", p.tx.sequence))],
    ));
    Ok(events)
}

async fn run_msgs<S: StateWrite>(
    state: &mut S,
    p: &ParsedTx,
    ctx: &TxCtx,
) -> Result<Vec<Event>, ModuleError> {
    let mut overlay = StateDelta::new(&mut *state);
    let mut metered = Metered::new(&mut overlay, ctx.gas.clone());
    let sender = p.signer.to_bech32(&ctx.bech32_prefix);
    let mut msg_events = Vec::new();
    for m in &p.msgs {
        ctx.gas
            .charge(GAS_COSTS.msg, "msg")
            .map_err(|e| SdkError::OutOfGas(e.to_string()))?;
        let result = m.check_and_execute(&mut metered, ctx).await;
        // Out of gas wins over the handler's own error: a read past the limit surfaces
        // there as a state error.
        within_limit(ctx, m.type_url())?;
        result?;
        msg_events.push(indexed(
            "message",
            [
                ("action", m.type_url().to_string()),
                ("sender", sender.clone()),
                ("module", m.module().to_string()),
            ],
        ));
    }
    drop(metered);
    let (_, mut events) = overlay.apply();
    events.extend(msg_events);
    Ok(events)
}

/// `sdk`/11 if the tx's meter went past its limit (writes are charged without failing; see
/// [`Metered`]).
fn within_limit(ctx: &TxCtx, location: &str) -> Handled {
    let (used, limit) = (ctx.gas.used(), ctx.gas.limit());
    if used > limit {
        return Err(SdkError::OutOfGas(format!(
            "out of gas in location: {location}; gas wanted: {limit}, gas used: {used}"
        ))
        .into());
    }
    Ok(())
}

/// An event whose attributes are all `index = true`.
pub fn indexed<const N: usize>(kind: &str, attrs: [(&str, String); N]) -> Event {
    Event::new(
        kind,
        attrs
            .into_iter()
            .map(|(k, v)| EventAttribute::from((k, v, true))),
    )
}
