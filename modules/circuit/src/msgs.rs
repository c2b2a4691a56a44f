//! The circuit breaker's messages (`hub.circuit.v1`) with their stateless checks, and their
//! execution.

use crate::{CircuitError, CircuitRead, CircuitWrite, PauseRelay, MAX_PAUSES};
use hub_framework::{
    authority::parse_gov_authority, cnidarium::StateWrite, Address, Handled, ModuleError,
    MsgHandler, TxCtx,
};
use hub_proto::circuit::v1 as pb;

/// What a pause covers: a `channel-N` id and a denom, either empty for "any".
fn check_scope(channel: &str, denom: &str) -> Handled {
    let numbered = channel
        .strip_prefix("channel-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if !channel.is_empty() && !numbered {
        return Err(CircuitError::InvalidRequest(format!(
            "channel_id {channel:?} is neither empty nor channel-{{N}}"
        ))
        .into());
    }
    if !denom.is_empty() {
        hub_framework::validate_denom(denom)
            .map_err(|e| CircuitError::InvalidRequest(format!("denom {denom:?}: {e}")))?;
    }
    Ok(())
}

fn signer_of(s: &str, hrp: &str) -> Result<Address, ModuleError> {
    Address::from_bech32(s, hrp).map_err(|e| {
        CircuitError::InvalidRequest(format!("signer {s:?} is not an address: {e}")).into()
    })
}

fn gov(s: &str, hrp: &str) -> Result<Address, ModuleError> {
    parse_gov_authority(s, hrp).map_err(|e| CircuitError::Unauthorized(e.to_string()).into())
}

fn check_tx_signer(signer: &Address, tx: &TxCtx) -> Handled {
    let why = "the message's signer must sign";
    tx.require_signer(&signer.0, CircuitError::Unauthorized, why)
}

/// `MsgPause`: the guardian or governance pauses a scope for a while.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgPause {
    /// The guardian or the gov module account (checked against the params when executed).
    pub signer: Address,
    /// `channel-N`, or empty for every channel.
    pub channel_id: String,
    /// A denom on this chain, or empty for every denom.
    pub denom: String,
    /// Seconds of block time, 1..=`max_pause_seconds`.
    pub duration_seconds: u64,
    /// Why (at most 256 bytes).
    pub reason: String,
    /// Also send the pause to the registered spokes ([`crate::PauseRelay`]).
    pub propagate: bool,
}

impl MsgPause {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/hub.circuit.v1.MsgPause";

    /// Errors: `circuit`/4 a bad signer, scope, zero duration or a reason over 256 bytes.
    pub fn from_proto(m: &pb::MsgPause, hrp: &str) -> Result<Self, ModuleError> {
        check_scope(&m.channel_id, &m.denom)?;
        if m.duration_seconds == 0 {
            return Err(CircuitError::InvalidRequest("a pause needs a duration".into()).into());
        }
        if m.reason.len() > 256 {
            return Err(CircuitError::InvalidRequest("reason over 256 bytes".into()).into());
        }
        Ok(MsgPause {
            signer: signer_of(&m.signer, hrp)?,
            channel_id: m.channel_id.clone(),
            denom: m.denom.clone(),
            duration_seconds: m.duration_seconds,
            reason: m.reason.clone(),
            propagate: m.propagate,
        })
    }
}

impl<R: PauseRelay> MsgHandler<R> for MsgPause {
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        check_tx_signer(&self.signer, tx)
    }

    /// Stores the pause, expiring `duration_seconds` after this block's time (a pause on the
    /// same scope is replaced); with `propagate`, hands it to the runtime's [`PauseRelay`]
    /// for the spokes (a spoke pauses only the channel side it can name: every transfer
    /// channel toward the hub, for the pause's denom).
    ///
    /// Errors: `circuit`/3 neither the guardian nor governance, `circuit`/4 longer than
    /// `max_pause_seconds`, `circuit`/6 [`MAX_PAUSES`] exist, and the relay's.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        let params = s.circuit_params().await?;
        let hrp = &tx.bech32_prefix;
        let by = self.signer.to_bech32(hrp);
        let is_gov = self.signer == hub_framework::authority::gov_authority();
        if !is_gov && (params.guardian.is_empty() || params.guardian != by) {
            return Err(CircuitError::Unauthorized(format!(
                "{by} is neither the guardian nor governance"
            ))
            .into());
        }
        if self.duration_seconds > params.max_pause_seconds {
            return Err(CircuitError::InvalidRequest(format!(
                "a pause lasts at most {} s, not {}",
                params.max_pause_seconds, self.duration_seconds
            ))
            .into());
        }
        let replacing = s.pause(&self.channel_id, &self.denom).await?.is_some();
        if !replacing && s.pauses().await?.len() >= MAX_PAUSES {
            return Err(CircuitError::TooManyPauses(format!("at most {MAX_PAUSES}")).into());
        }
        let now = u64::try_from(tx.block.time.unix_timestamp_nanos()).unwrap_or(0);
        let pause = pb::Pause {
            channel_id: self.channel_id.clone(),
            denom: self.denom.clone(),
            expires_at: now.saturating_add(self.duration_seconds.saturating_mul(1_000_000_000)),
            reason: self.reason.clone(),
            paused_by: by,
        };
        s.put_pause(&pause).await?;
        if self.propagate {
            R::default().propagate(s, tx, &pause).await?;
        }
        Ok(())
    }
}

/// `MsgUnpause`: governance lifts a pause early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgUnpause {
    /// The gov module account.
    pub authority: Address,
    /// As paused.
    pub channel_id: String,
    /// As paused.
    pub denom: String,
}

impl MsgUnpause {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/hub.circuit.v1.MsgUnpause";

    /// Errors: `circuit`/3 not governance, `circuit`/4 a bad scope.
    pub fn from_proto(m: &pb::MsgUnpause, hrp: &str) -> Result<Self, ModuleError> {
        check_scope(&m.channel_id, &m.denom)?;
        Ok(MsgUnpause {
            authority: gov(&m.authority, hrp)?,
            channel_id: m.channel_id.clone(),
            denom: m.denom.clone(),
        })
    }
}

impl<R> MsgHandler<R> for MsgUnpause {
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        check_tx_signer(&self.authority, tx)
    }

    /// Removes the pause. Errors: `circuit`/5 none on exactly this scope.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, _tx: &TxCtx) -> Handled {
        if s.pause(&self.channel_id, &self.denom).await?.is_none() {
            return Err(CircuitError::NotFound(format!(
                "channel {:?} denom {:?}",
                self.channel_id, self.denom
            ))
            .into());
        }
        s.delete_pause(&self.channel_id, &self.denom).await
    }
}

/// `MsgUpdateParams`: governance names the guardian and the longest pause.
#[derive(Clone, Debug, PartialEq)]
pub struct MsgUpdateParams {
    /// The gov module account.
    pub authority: Address,
    /// The new params.
    pub params: pb::Params,
}

impl MsgUpdateParams {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/hub.circuit.v1.MsgUpdateParams";

    /// Errors: `circuit`/3 not governance, `circuit`/4 a guardian that is not an address of
    /// this chain or a zero `max_pause_seconds`.
    pub fn from_proto(m: &pb::MsgUpdateParams, hrp: &str) -> Result<Self, ModuleError> {
        let authority = gov(&m.authority, hrp)?;
        let params = m.params.clone().unwrap_or_default();
        validate_params(&params, hrp).map_err(CircuitError::InvalidRequest)?;
        Ok(MsgUpdateParams { authority, params })
    }
}

/// A guardian that is empty or an address of this chain, and a positive longest pause.
pub fn validate_params(p: &pb::Params, hrp: &str) -> Result<(), String> {
    if !p.guardian.is_empty() {
        Address::from_bech32(&p.guardian, hrp).map_err(|e| format!("guardian: {e}"))?;
    }
    if p.max_pause_seconds == 0 {
        return Err("max_pause_seconds must be positive".into());
    }
    Ok(())
}

impl<R> MsgHandler<R> for MsgUpdateParams {
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        check_tx_signer(&self.authority, tx)
    }

    /// Stores the params; pauses in force keep their expiry.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, _tx: &TxCtx) -> Handled {
        s.put_circuit_params(&self.params);
        Ok(())
    }
}

hub_framework::module_msgs! {
    /// Every circuit-breaker message: the module's message enum.
    pub enum CircuitMsg [crate::NAME] {
        /// `MsgPause`.
        Pause(MsgPause = pb::MsgPause, signer: |m| m.signer.0),
        /// `MsgUnpause`.
        Unpause(MsgUnpause = pb::MsgUnpause, signer: |m| m.authority.0),
        /// `MsgUpdateParams`.
        UpdateParams(MsgUpdateParams = pb::MsgUpdateParams, signer: |m| m.authority.0),
    }
}
