//! One limit and the pure arithmetic of its window (ibc-go v10 rate-limiting `types/flow.go`
//! and `types/quota.go`): net flows against a percentage of the channel value, in integers.

use crate::RateLimitError;
use hub_proto::rate_limiting::v1 as pb;

/// Which way a packet crosses the channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Leaving this chain (`MsgTransfer`, a forward).
    Send,
    /// Arriving on this chain (`MsgRecvPacket`).
    Recv,
}

/// A limit on one channel and denom with its current window. Amounts are in the smallest
/// unit of the denom (`uhub`); percentages are whole numbers 0..=100.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// The denom as known on this chain (`uhub`, `ibc/{HASH}`).
    pub denom: String,
    /// The `transfer` channel on this chain (`channel-N`).
    pub channel_id: String,
    /// At most this percentage of the channel value may leave, net, per window.
    pub max_percent_send: u128,
    /// At most this percentage of the channel value may arrive, net, per window.
    pub max_percent_recv: u128,
    /// Window length in hours of the hour epoch (≥ 1).
    pub duration_hours: u64,
    /// Arrived in this window.
    pub inflow: u128,
    /// Left in this window.
    pub outflow: u128,
    /// The denom's supply when the window opened.
    pub channel_value: u128,
}

/// `floor(value × percent / 100)` without overflow for any u128 value and percent ≤ 100.
pub fn threshold(value: u128, percent: u128) -> u128 {
    (value / 100) * percent + (value % 100) * percent / 100
}

/// `a − b` as a signed decimal, for messages.
fn signed_diff(a: u128, b: u128) -> String {
    if a >= b {
        (a - b).to_string()
    } else {
        format!("-{}", b - a)
    }
}

impl RateLimit {
    /// Counts `amount` in `direction` if the window's net flow stays within the quota
    /// (ibc-go `Flow.AddInflow` / `AddOutflow`): net = this way − the other way + amount must
    /// not exceed `threshold(channel_value, percent)`. A zero channel value limits nothing.
    /// Sums saturate at 2^128 − 1, far beyond any supply a u128 bank holds.
    ///
    /// Errors: `ratelimit`/4, naming the net flow, channel value and percentage.
    pub fn add_flow(&mut self, direction: Direction, amount: u128) -> Result<(), RateLimitError> {
        let (this_way, other_way, percent, name) = match direction {
            Direction::Send => (self.outflow, self.inflow, self.max_percent_send, "Outflow"),
            Direction::Recv => (self.inflow, self.outflow, self.max_percent_recv, "Inflow"),
        };
        let after = this_way.saturating_add(amount);
        let limit = threshold(self.channel_value, percent);
        if self.channel_value != 0 && after > other_way.saturating_add(limit) {
            return Err(RateLimitError::QuotaExceeded(format!(
                "{name} exceeds quota - Net {name}: {}, Channel Value: {}, Threshold: {percent}%",
                signed_diff(after, other_way),
                self.channel_value
            )));
        }
        match direction {
            Direction::Send => self.outflow = after,
            Direction::Recv => self.inflow = after,
        }
        Ok(())
    }

    /// Opens a new window: flows back to zero, the channel value as given (ibc-go
    /// `ResetRateLimit`).
    pub fn reset(&mut self, channel_value: u128) {
        self.inflow = 0;
        self.outflow = 0;
        self.channel_value = channel_value;
    }

    /// The wire form (`Path`, `Quota`, `Flow` with decimal strings).
    pub fn to_proto(&self) -> pb::RateLimit {
        pb::RateLimit {
            path: Some(pb::Path {
                denom: self.denom.clone(),
                channel_or_client_id: self.channel_id.clone(),
            }),
            quota: Some(pb::Quota {
                max_percent_send: self.max_percent_send.to_string(),
                max_percent_recv: self.max_percent_recv.to_string(),
                duration_hours: self.duration_hours,
            }),
            flow: Some(pb::Flow {
                inflow: self.inflow.to_string(),
                outflow: self.outflow.to_string(),
                channel_value: self.channel_value.to_string(),
            }),
        }
    }

    /// Reads the wire form back, checking every field as a message would.
    ///
    /// Errors: `ratelimit`/100 naming the field.
    pub fn from_proto(p: &pb::RateLimit) -> Result<Self, RateLimitError> {
        let missing = |f: &str| RateLimitError::InvalidRequest(format!("{f} is missing"));
        let path = p.path.as_ref().ok_or_else(|| missing("path"))?;
        let quota = p.quota.as_ref().ok_or_else(|| missing("quota"))?;
        let flow = p.flow.clone().unwrap_or_default();
        let q = Quota::parse(
            &quota.max_percent_send,
            &quota.max_percent_recv,
            quota.duration_hours,
        )?;
        Ok(RateLimit {
            denom: path.denom.clone(),
            channel_id: path.channel_or_client_id.clone(),
            max_percent_send: q.max_percent_send,
            max_percent_recv: q.max_percent_recv,
            duration_hours: q.duration_hours,
            inflow: parse_amount("flow.inflow", &flow.inflow)?,
            outflow: parse_amount("flow.outflow", &flow.outflow)?,
            channel_value: parse_amount("flow.channel_value", &flow.channel_value)?,
        })
    }
}

/// A checked quota (ibc-go `MsgAddRateLimit.ValidateBasic`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    /// 0..=100.
    pub max_percent_send: u128,
    /// 0..=100.
    pub max_percent_recv: u128,
    /// ≥ 1.
    pub duration_hours: u64,
}

impl Quota {
    /// Parses the two percentages (decimal integers 0..=100, not both 0) and the duration
    /// (≥ 1 hour).
    ///
    /// Errors: `ratelimit`/100 naming the field.
    pub fn parse(send: &str, recv: &str, duration_hours: u64) -> Result<Self, RateLimitError> {
        let percent = |field: &str, s: &str| -> Result<u128, RateLimitError> {
            s.parse::<u128>().ok().filter(|p| *p <= 100).ok_or_else(|| {
                RateLimitError::InvalidRequest(format!(
                    "{field} percent must be between 0 and 100 (inclusively), Provided: {s:?}"
                ))
            })
        };
        let q = Quota {
            max_percent_send: percent("max-percent-send", send)?,
            max_percent_recv: percent("max-percent-recv", recv)?,
            duration_hours,
        };
        if q.max_percent_send == 0 && q.max_percent_recv == 0 {
            return Err(RateLimitError::InvalidRequest(
                "either the max send or max receive threshold must be greater than 0".into(),
            ));
        }
        if duration_hours == 0 {
            return Err(RateLimitError::InvalidRequest(
                "duration can not be zero".into(),
            ));
        }
        Ok(q)
    }
}

/// A flow amount: a decimal u128 (empty = 0, as a proto3 default).
fn parse_amount(field: &str, s: &str) -> Result<u128, RateLimitError> {
    if s.is_empty() {
        return Ok(0);
    }
    s.parse()
        .map_err(|_| RateLimitError::InvalidRequest(format!("{field}: {s:?} is not a u128 amount")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hub_framework::AbciCode;
    use proptest::prelude::*;

    fn limit(send: u128, recv: u128, value: u128) -> RateLimit {
        RateLimit {
            denom: "uhub".into(),
            channel_id: "channel-0".into(),
            max_percent_send: send,
            max_percent_recv: recv,
            duration_hours: 24,
            inflow: 0,
            outflow: 0,
            channel_value: value,
        }
    }

    #[test]
    fn a_send_up_to_the_threshold_passes_and_one_unit_more_is_refused() {
        let mut l = limit(10, 10, 1_000);
        l.add_flow(Direction::Send, 100).unwrap();
        let e = l.add_flow(Direction::Send, 1).unwrap_err();
        assert_eq!(e.code(), 4);
        assert!(e.to_string().contains("Net Outflow: 101"), "{e}");
        assert_eq!(l.outflow, 100, "a refused flow is not counted");
    }

    #[test]
    fn flows_net_out_an_inflow_makes_room_for_a_send() {
        let mut l = limit(10, 10, 1_000);
        l.add_flow(Direction::Recv, 100).unwrap();
        l.add_flow(Direction::Send, 200).unwrap();
        assert!(l.add_flow(Direction::Send, 1).is_err());
    }

    #[test]
    fn a_zero_channel_value_limits_nothing_as_in_ibc_go() {
        let mut l = limit(1, 1, 0);
        l.add_flow(Direction::Send, u128::MAX).unwrap();
    }

    #[test]
    fn quotas_outside_0_to_100_or_both_zero_or_zero_hours_are_refused() {
        assert!(Quota::parse("101", "0", 1).is_err());
        assert!(Quota::parse("-1", "5", 1).is_err());
        assert!(Quota::parse("0", "0", 1).is_err());
        assert!(Quota::parse("5", "5", 0).is_err());
        assert_eq!(Quota::parse("0", "100", 1).unwrap().max_percent_recv, 100,);
    }

    proptest! {
        #[test]
        fn threshold_is_exact_floor_of_value_times_percent_over_100(
            value in any::<u64>(), percent in 0u128..=100
        ) {
            let exact = u128::from(value) * percent / 100;
            prop_assert_eq!(threshold(u128::from(value), percent), exact);
        }

        #[test]
        fn threshold_never_overflows_and_never_exceeds_the_value(
            value in any::<u128>(), percent in 0u128..=100
        ) {
            prop_assert!(threshold(value, percent) <= value);
        }

        #[test]
        fn the_proto_form_round_trips(
            send in 0u128..=100, recv in 1u128..=100, hours in 1u64..1000,
            inflow in any::<u128>(), outflow in any::<u128>(), value in any::<u128>()
        ) {
            let l = RateLimit { inflow, outflow, channel_value: value,
                duration_hours: hours, ..limit(send, recv, 0) };
            prop_assert_eq!(RateLimit::from_proto(&l.to_proto()).unwrap(), l);
        }
    }
}
