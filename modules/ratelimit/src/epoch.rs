//! The hour epoch (ibc-go v10 rate-limiting `keeper/epoch.go`, `keeper/abci.go`): a clock of
//! block time that ticks once an epoch `duration` (an hour) has passed; at each tick every
//! limit whose `duration_hours` divides the epoch number opens a new window.

use crate::{RateLimitError, RateLimitRead, RateLimitWrite};
use hub_bank::BankRead;
use hub_framework::{cnidarium::StateWrite, Handled};
use serde::{Deserialize, Serialize};

/// One hour in nanoseconds: the epoch duration unless genesis says otherwise.
pub const HOUR_NS: u64 = 3_600_000_000_000;

/// The hour epoch as stored. Times are Unix nanoseconds of block time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourEpoch {
    /// Ticks so far.
    pub epoch_number: u64,
    /// Length of an epoch in ns (> 0).
    pub duration_ns: u64,
    /// When the current epoch started.
    pub epoch_start_ns: u64,
    /// The height whose block started it.
    pub epoch_start_height: u64,
}

impl HourEpoch {
    /// Advances the clock to block time `now_ns` at `height` by at most one tick (ibc-go
    /// `CheckHourEpochStarting`: a tick when `now` is after the epoch's end; the new epoch
    /// starts at that end, not at `now`, so epochs do not drift). Returns the new epoch
    /// number on a tick.
    pub fn tick(&mut self, now_ns: u64, height: u64) -> Option<u64> {
        let end = self.epoch_start_ns.saturating_add(self.duration_ns);
        if now_ns <= end {
            return None;
        }
        self.epoch_number += 1;
        self.epoch_start_ns = end;
        self.epoch_start_height = height;
        Some(self.epoch_number)
    }
}

/// Opens a new window of the limit on `channel` and `denom`: flows to zero, the channel value
/// read again from the bank's supply, the window counter up by one (so sends counted in the
/// old window are no longer undone against the new one).
///
/// Errors: `ratelimit`/2 no such limit.
pub async fn open_window<S: StateWrite>(s: &mut S, channel: &str, denom: &str) -> Handled {
    let mut limit = s
        .rate_limit(channel, denom)
        .await?
        .ok_or_else(|| RateLimitError::NotFound(format!("{denom} on {channel}")))?;
    limit.reset(s.supply(denom).await?);
    s.put_rate_limit(&limit);
    let window = s.window(channel, denom).await?;
    s.put_window(channel, denom, window.saturating_add(1));
    Ok(())
}

/// The begin-block hook: ticks the hour epoch with the block's time and, on a tick, opens a
/// new window of every limit whose `duration_hours` divides the epoch number. Visits every
/// limit once an hour at most; limits are set by governance only, so their number is not
/// in a user's hands.
///
/// Errors: unreadable state (a bug: it halts the chain).
pub async fn begin_block<S: StateWrite>(s: &mut S, now_ns: u64, height: u64) -> Handled {
    let Some(mut epoch) = s.hour_epoch().await? else {
        return Ok(());
    };
    let Some(number) = epoch.tick(now_ns, height) else {
        return Ok(());
    };
    s.put_hour_epoch(&epoch);
    let due: Vec<_> = s
        .rate_limits_under(crate::state_key::RATE_LIMITS_PREFIX)
        .await?
        .into_iter()
        .filter(|l| number % l.duration_hours == 0)
        .collect();
    for l in due {
        open_window(s, &l.channel_id, &l.denom).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_ticks_once_its_hour_has_passed_and_does_not_drift() {
        let mut e = HourEpoch {
            epoch_number: 0,
            duration_ns: HOUR_NS,
            epoch_start_ns: 1_000,
            epoch_start_height: 1,
        };
        assert_eq!(e.tick(1_000 + HOUR_NS, 5), None, "not after the end yet");
        assert_eq!(e.tick(1_000 + HOUR_NS + 7, 6), Some(1));
        assert_eq!(e.epoch_start_ns, 1_000 + HOUR_NS, "starts at the old end");
        assert_eq!(e.epoch_start_height, 6);
        // A long halt: one tick per block until caught up, as ibc-go.
        assert_eq!(e.tick(1_000 + 10 * HOUR_NS, 7), Some(2));
    }
}
