//! 18-decimal fixed point (`cosmossdk.io/math.LegacyDec`) over integers, no floats: the one
//! decimal type of every module (shares, commission rates, slash fractions, vote weights,
//! tally thresholds).
//!
//! A [`Dec`] holds its *atomics*, `value × 10^18`, in a `u128` (non-negative only: no module
//! needs negative values). Products and quotients go through a 256-bit intermediate, so
//! `tokens × shares` of any realistic chain cannot overflow before the division.
//! [`Dec::checked_mul`] and [`Dec::checked_quo`] round half to even, as `LegacyDec.Mul`/`Quo`
//! do (`chopPrecisionAndRound`); [`mul_div_floor`] and [`Dec::mul_int_floor`] round down,
//! as the SDK's truncating variants (`TokensFromSharesTruncated`, `MulInt(…).TruncateInt()`).

use std::fmt;

/// 10^18, the scale of [`Dec`].
pub const PRECISION: u128 = 1_000_000_000_000_000_000;

/// A non-negative decimal with 18 fractional digits (`value × 10^18` as u128).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dec(pub u128);

/// Why a decimal string was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a non-negative decimal with at most 18 fractional digits")]
pub struct DecParseError(pub String);

impl Dec {
    /// Zero.
    pub const ZERO: Dec = Dec(0);
    /// One.
    pub const ONE: Dec = Dec(PRECISION);

    /// The integer `n` as a decimal. `None` if `n × 10^18` overflows u128.
    pub fn from_int(n: u128) -> Option<Dec> {
        n.checked_mul(PRECISION).map(Dec)
    }

    /// Parses `"0.5"`, `"1"`, `"0.334000000000000000"` (LegacyDec strings).
    ///
    /// Errors: empty, signs, exponents, more than 18 fractional digits, overflow.
    pub fn parse(s: &str) -> Result<Dec, DecParseError> {
        let err = || DecParseError(s.to_string());
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 18
            || (s.contains('.') && frac.is_empty())
        {
            return Err(err());
        }
        let i: u128 = int.parse().map_err(|_| err())?;
        let mut f: u128 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| err())?
        };
        for _ in frac.len()..18 {
            f *= 10;
        }
        i.checked_mul(PRECISION)
            .and_then(|v| v.checked_add(f))
            .map(Dec)
            .ok_or_else(err)
    }

    /// The atomics (value × 10^18).
    pub fn atomics(self) -> u128 {
        self.0
    }

    /// Parses a `LegacyDec` in either of the SDK's encodings:
    ///
    /// - with a point (`"0.05"`, `"1.000000000000000000"`): at most 18 fraction digits, the
    ///   JSON and CLI form (as [`Dec::parse`]);
    /// - without a point (`"50000000000000000"`): the atomics, as the SDK's protobuf encoding
    ///   of `LegacyDec` carries them (so staking messages built by SDK clients decode).
    ///
    /// Returns `None` for anything else (sign, exponent, empty parts, more than 18 fraction
    /// digits, overflow).
    pub fn parse_atomics_or_decimal(s: &str) -> Option<Dec> {
        if s.contains('.') {
            Dec::parse(s).ok()
        } else if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse::<u128>().ok().map(Dec)
        } else {
            None
        }
    }

    /// `self × n`, rounded down, as an integer: `floor(self × n)`; `u128::MAX` if that does
    /// not fit.
    pub fn mul_int_floor(self, n: u128) -> u128 {
        mul_div_floor(self.0, n, PRECISION).unwrap_or(u128::MAX)
    }

    /// The integer part (truncated), as `LegacyDec.TruncateInt`.
    pub fn truncate(self) -> u128 {
        self.0 / PRECISION
    }

    /// `self × other`, rounded half to even. `None` on overflow.
    pub fn checked_mul(self, other: Dec) -> Option<Dec> {
        mul_div_round(self.0, other.0, PRECISION).map(Dec)
    }

    /// `self × n` for an integer `n` (exact). `None` on overflow.
    pub fn mul_int(self, n: u128) -> Option<Dec> {
        self.0.checked_mul(n).map(Dec)
    }

    /// `self / other`, rounded half to even. `None` when `other` is zero or on overflow.
    pub fn checked_quo(self, other: Dec) -> Option<Dec> {
        if other.0 == 0 {
            return None;
        }
        mul_div_round(self.0, PRECISION, other.0).map(Dec)
    }

    /// `self + other`. `None` on overflow.
    pub fn checked_add(self, other: Dec) -> Option<Dec> {
        self.0.checked_add(other.0).map(Dec)
    }

    /// `self − other`, saturating at zero.
    pub fn saturating_sub(self, other: Dec) -> Dec {
        Dec(self.0.saturating_sub(other.0))
    }
}

impl fmt::Display for Dec {
    /// Always 18 fractional digits, as LegacyDec prints (`0.500000000000000000`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:018}", self.0 / PRECISION, self.0 % PRECISION)
    }
}

/// `round_half_even(a × b / d)` with a 256-bit intermediate. `None` if `d == 0` or the result
/// exceeds u128.
pub fn mul_div_round(a: u128, b: u128, d: u128) -> Option<u128> {
    if d == 0 {
        return None;
    }
    let (hi, lo) = mul_wide(a, b);
    let (q, r) = div_wide(hi, lo, d)?;
    // Round half to even: compare 2r with d without overflowing.
    let half_up = match r.cmp(&(d - r)) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => q % 2 == 1,
    };
    if half_up {
        q.checked_add(1)
    } else {
        Some(q)
    }
}

/// `floor(a × b / d)` with a 256-bit intermediate. `None` if `d == 0` or on overflow.
pub fn mul_div_floor(a: u128, b: u128, d: u128) -> Option<u128> {
    if d == 0 {
        return None;
    }
    let (hi, lo) = mul_wide(a, b);
    div_wide(hi, lo, d).map(|(q, _)| q)
}

/// The 256-bit product of two u128 as `(high, low)`.
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const M: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & M);
    let (b1, b0) = (b >> 64, b & M);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 64) + (p01 & M) + (p10 & M);
    let lo = (p00 & M) | (mid << 64);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

/// `(hi·2^128 + lo) / d` as (quotient, remainder); `None` if the quotient exceeds u128.
fn div_wide(hi: u128, lo: u128, d: u128) -> Option<(u128, u128)> {
    if hi == 0 {
        return Some((lo / d, lo % d));
    }
    if hi >= d {
        return None;
    }
    // Shift-subtract long division over the 128 low bits; the remainder starts at `hi` < d.
    let mut rem = hi;
    let mut q: u128 = 0;
    for i in (0..128).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((lo >> i) & 1);
        q <<= 1;
        if carry == 1 || rem >= d {
            rem = rem.wrapping_sub(d);
            q |= 1;
        }
    }
    Some((q, rem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_and_print_like_legacy_dec() {
        assert_eq!(
            Dec::parse("0.5").unwrap().to_string(),
            "0.500000000000000000"
        );
        assert_eq!(Dec::parse("1").unwrap(), Dec::ONE);
        assert_eq!(
            Dec::parse("0.334000000000000000").unwrap().0,
            334_000_000_000_000_000
        );
        for bad in [
            "",
            "-1",
            "1.",
            ".5",
            "1e3",
            "0.1234567890123456789",
            "a",
            "1.2.3",
        ] {
            assert!(Dec::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wide_arithmetic_is_exact_and_rounds_half_to_even() {
        // 10^30 × 10^30 / 10^30 does not fit u128 in the middle.
        let big = 10u128.pow(30);
        assert_eq!(mul_div_round(big, big, big), Some(big));
        assert_eq!(mul_div_round(5, 1, 2), Some(2)); // 2.5 → 2
        assert_eq!(mul_div_round(7, 1, 2), Some(4)); // 3.5 → 4
        assert_eq!(mul_div_round(10, 1, 3), Some(3));
        assert_eq!(
            mul_div_floor(u128::MAX, u128::MAX, u128::MAX),
            Some(u128::MAX)
        );
        assert_eq!(mul_div_floor(u128::MAX, 2, 1), None);
        let third = Dec::ONE.checked_quo(Dec::from_int(3).unwrap()).unwrap();
        assert_eq!(third.to_string(), "0.333333333333333333");
        assert_eq!(
            Dec::parse("0.6")
                .unwrap()
                .checked_mul(Dec::from_int(10).unwrap()),
            Some(Dec::from_int(6).unwrap())
        );
    }

    #[test]
    fn both_sdk_encodings_parse_and_print_with_18_places() {
        let twentieth = Some(Dec(50_000_000_000_000_000));
        assert_eq!(Dec::parse_atomics_or_decimal("0.05"), twentieth);
        assert_eq!(
            Dec::parse_atomics_or_decimal("50000000000000000"),
            twentieth
        );
        assert_eq!(
            Dec::parse_atomics_or_decimal("1.000000000000000000"),
            Some(Dec::ONE)
        );
        assert_eq!(
            Dec(50_000_000_000_000_000).to_string(),
            "0.050000000000000000"
        );
        assert_eq!(
            Dec::from_int(7).unwrap().to_string(),
            "7.000000000000000000"
        );
        for bad in [
            "",
            ".",
            "1.",
            ".5",
            "-1",
            "1e3",
            "0.1234567890123456789",
            "1.2.3",
            " 1",
        ] {
            assert_eq!(Dec::parse_atomics_or_decimal(bad), None, "{bad:?}");
        }
        assert_eq!(
            Dec::parse_atomics_or_decimal(&format!("{}.0", u128::MAX)),
            None
        );
    }

    #[test]
    fn floor_division_is_exact_beyond_128_bits() {
        assert_eq!(mul_div_floor(7, 3, 2), Some(10));
        assert_eq!(mul_div_floor(u128::MAX, 2, 4), Some(u128::MAX / 2));
        assert_eq!(mul_div_floor(u128::MAX, 3, 2), None);
        assert_eq!(mul_div_floor(1, 1, 0), None);
        let big = 10u128.pow(30);
        assert_eq!(
            mul_div_floor(big, big, 10u128.pow(25)),
            Some(10u128.pow(35))
        );
        assert_eq!(mul_div_floor(big + 1, big, big * 3), Some((big + 1) / 3));
        assert_eq!(Dec::parse("0.05").unwrap().mul_int_floor(1_999), 99);
    }
}
