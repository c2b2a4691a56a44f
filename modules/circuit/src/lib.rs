//! `circuit`: the circuit breaker of ICS-20. A pause stops transfers on one channel, one
//! denom, one denom on one channel, or all of them, until its expiry in block time.
//!
//! - Governance names a guardian in the params; the guardian (or governance) pauses with
//!   `MsgPause` for at most `max_pause_seconds`; only governance lifts a pause early
//!   (`MsgUnpause`) or changes the params (`MsgUpdateParams`). The guardian has no other
//!   power: it cannot unpause, move funds or change a limit.
//! - While a pause matches, `MsgTransfer` (and a forward) fails with `circuit`/2 and a
//!   received packet gets an error acknowledgement, so its sender is refunded: never a silent
//!   drop. A pause acts until block time reaches `expires_at`, then lifts by itself; the next
//!   block prunes it.
//! - With `propagate`, the runtime's [`PauseRelay`] sends the pause on: on the hub, to every
//!   registered spoke over its control channel, where it pauses the spoke's transfer
//!   channels toward the hub until the same time.
//! - At most [`MAX_PAUSES`] pauses exist at once, so a guardian's key in the wrong hands can
//!   neither grow state nor make the begin-block prune expensive.
//!
//! ## State (substore `circuit`)
//! | key | value |
//! |---|---|
//! | `circuit/params` | `hub.circuit.v1.Params` |
//! | `circuit/pauses/{channel or *}/{denom or *}` | `hub.circuit.v1.Pause` |
//!
//! ## Cost
//! A transfer reads four keys (its channel and denom, each or both wildcarded).

mod error;
mod module;
pub mod msgs;
pub mod query;
mod state;

pub use error::CircuitError;
pub use module::{Circuit, CircuitGenesis};
pub use msgs::CircuitMsg;
pub use state::{CircuitRead, CircuitWrite};

use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError, TxCtx,
};
pub use hub_proto::circuit::v1::Pause;

/// The capability through which a pause with `propagate` reaches other chains: the hub's
/// runtime sends it to every registered spoke over the pinned control channel (the
/// interchain-upgrade channel). `()` sends nothing, for runtimes without one.
pub trait PauseRelay: Default + Sync {
    /// Sends `pause` on; returns how many chains it went to.
    ///
    /// Errors: the sending chain's (a failed send fails the pause: nothing is half done).
    async fn propagate<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        pause: &Pause,
    ) -> Result<u32, ModuleError>;
}

impl PauseRelay for () {
    async fn propagate<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        _pause: &Pause,
    ) -> Result<u32, ModuleError> {
        Ok(0)
    }
}

/// The module name: substore, codespace, `tx circuit` / `query circuit`.
pub const NAME: &str = "circuit";

/// The most pauses that may exist at once.
pub const MAX_PAUSES: usize = 64;

/// Refuses a transfer of `denom` over `channel` at block time `now_ns` (Unix ns) while a pause
/// matches it (its channel, its denom, both, or everything), naming the pause, its reason and
/// its expiry.
///
/// Errors: `circuit`/2.
pub async fn check_transfer<S: StateRead>(
    s: &S,
    channel: &str,
    denom: &str,
    now_ns: u64,
) -> Handled {
    // One read when nothing is paused, or every pause has expired.
    if s.paused_until().await?.is_none_or(|until| now_ns >= until) {
        return Ok(());
    }
    for (c, d) in [(channel, denom), (channel, ""), ("", denom), ("", "")] {
        if let Some(p) = s.pause(c, d).await? {
            if now_ns < p.expires_at {
                return Err(CircuitError::Paused(format!(
                    "transfers of {} over {} are paused until {} ns by {}: {}",
                    or_any(&p.denom, "every denom"),
                    or_any(&p.channel_id, "every channel"),
                    p.expires_at,
                    p.paused_by,
                    p.reason
                ))
                .into());
            }
        }
    }
    Ok(())
}

fn or_any<'a>(s: &'a str, any: &'a str) -> &'a str {
    if s.is_empty() {
        any
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
    use super::*;
    use hub_framework::cnidarium::{StateDelta, TempStorage};

    fn pause(channel: &str, expires_at: u64) -> Pause {
        Pause {
            channel_id: channel.into(),
            denom: String::new(),
            expires_at,
            reason: "test".into(),
            paused_by: "guardian".into(),
        }
    }

    /// The one-read shortcut never skips a pause in force: the bound follows every put and
    /// delete, and a lifted late pause leaves an earlier one acting until its own expiry.
    #[tokio::test]
    async fn the_paused_until_shortcut_never_skips_a_pause_in_force() {
        let storage = TempStorage::new_with_prefixes(vec!["circuit".into()])
            .await
            .unwrap();
        let mut s = StateDelta::new(storage.latest_snapshot());
        assert_eq!(s.paused_until().await.unwrap(), None);
        check_transfer(&s, "channel-0", "uhub", 5).await.unwrap();
        s.put_pause(&pause("channel-0", 100)).await.unwrap();
        s.put_pause(&pause("channel-1", 300)).await.unwrap();
        assert_eq!(s.paused_until().await.unwrap(), Some(300));
        s.delete_pause("channel-1", "").await.unwrap();
        assert_eq!(s.paused_until().await.unwrap(), Some(100));
        assert!(check_transfer(&s, "channel-0", "uhub", 99).await.is_err());
        check_transfer(&s, "channel-0", "uhub", 100).await.unwrap();
        check_transfer(&s, "channel-1", "uhub", 50).await.unwrap();
        s.delete_pause("channel-0", "").await.unwrap();
        assert_eq!(s.paused_until().await.unwrap(), None);
    }
}
