//! Fixed-point decimals and exchange-rate arithmetic, integers only.
//!
//! A [`Dec`] is the Cosmos SDK `LegacyDec`: a non-negative number with 18 decimal places, held
//! as its *atomics* (the value × 10^18) in a `u128`. Shares, commission rates and the
//! double-sign slash fraction are `Dec`s. Products of two 128-bit values are formed in 256 bits
//! ([`mul_div`]), so `shares × tokens / total_shares` never overflows before the division.

use std::fmt;

/// 10^18: the atomics of one whole [`Dec`] (`LegacyDec` precision).
pub const DEC_ONE: u128 = 1_000_000_000_000_000_000;

/// A non-negative decimal with 18 decimal places, stored as atomics (value × 10^18).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dec(pub u128);

impl Dec {
    /// Zero.
    pub const ZERO: Dec = Dec(0);
    /// One (atomics 10^18).
    pub const ONE: Dec = Dec(DEC_ONE);

    /// The decimal equal to the integer `n`; `None` if `n × 10^18` exceeds u128.
    pub fn from_int(n: u128) -> Option<Dec> {
        n.checked_mul(DEC_ONE).map(Dec)
    }

    /// The atomics (value × 10^18).
    pub fn atomics(self) -> u128 {
        self.0
    }

    /// The integer part, rounded down.
    pub fn truncate(self) -> u128 {
        self.0 / DEC_ONE
    }

    /// Parses a decimal string.
    ///
    /// - With a point (`"0.05"`, `"1.000000000000000000"`): at most 18 fraction digits, as the
    ///   SDK's JSON and CLI form.
    /// - Without a point (`"50000000000000000"`): the atomics, as the Cosmos SDK's protobuf
    ///   encoding of `LegacyDec` carries them (so messages built by SDK clients decode).
    ///
    /// Returns `None` for anything else (sign, exponent, empty parts, more than 18 fraction
    /// digits, overflow).
    pub fn parse(s: &str) -> Option<Dec> {
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        match s.split_once('.') {
            None => digits(s).then(|| s.parse::<u128>().ok()).flatten().map(Dec),
            Some((int, frac)) => {
                if !digits(int) || !digits(frac) || frac.len() > 18 {
                    return None;
                }
                let int: u128 = int.parse().ok()?;
                let frac_atomics: u128 =
                    frac.parse::<u128>().ok()? * 10u128.pow(18 - frac.len() as u32);
                int.checked_mul(DEC_ONE)?.checked_add(frac_atomics).map(Dec)
            }
        }
    }

    /// `self × n`, rounded down to 18 decimals, as an integer part: `floor(self × n)`.
    pub fn mul_int_floor(self, n: u128) -> u128 {
        mul_div(self.0, n, DEC_ONE).unwrap_or(u128::MAX)
    }
}

impl fmt::Display for Dec {
    /// `"<int>.<18 digits>"`, the `LegacyDec` string form (`"0.050000000000000000"`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:018}", self.0 / DEC_ONE, self.0 % DEC_ONE)
    }
}

/// `floor(a × b / c)` computed with a 256-bit intermediate product.
///
/// Returns `None` if `c == 0` or the quotient exceeds u128.
pub fn mul_div(a: u128, b: u128, c: u128) -> Option<u128> {
    if c == 0 {
        return None;
    }
    let (hi, lo) = mul_wide(a, b);
    if hi == 0 {
        return Some(lo / c);
    }
    if hi >= c {
        return None;
    }
    // Long division of the 256-bit (hi, lo) by c, one bit at a time; hi < c keeps the
    // quotient within 128 bits.
    let mut rem = hi;
    let mut q: u128 = 0;
    for i in (0..128).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((lo >> i) & 1);
        q <<= 1;
        if carry == 1 || rem >= c {
            rem = rem.wrapping_sub(c);
            q |= 1;
        }
    }
    Some(q)
}

/// The 256-bit product of two u128s as `(high, low)` halves.
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    let ll = a_lo * b_lo;
    let lh = a_lo * b_hi;
    let hl = a_hi * b_lo;
    let hh = a_hi * b_hi;
    let mid = (ll >> 64) + (lh & MASK) + (hl & MASK);
    let lo = (ll & MASK) | (mid << 64);
    let hi = hh + (lh >> 64) + (hl >> 64) + (mid >> 64);
    (hi, lo)
}

/// Shares issued for delegating `amount` tokens to a validator holding `tokens` and
/// `total_shares` (SDK `AddTokensFromDel`): `amount` whole shares for a validator without
/// shares, else `floor(amount × total_shares / tokens)`.
///
/// Returns `None` if the validator has shares but no tokens (an invalid exchange rate, SDK
/// `ErrDelegatorShareExRateInvalid`) or on overflow.
pub fn shares_for_tokens(amount: u128, tokens: u128, total_shares: Dec) -> Option<Dec> {
    if total_shares.0 == 0 {
        return Dec::from_int(amount);
    }
    if tokens == 0 {
        return None;
    }
    mul_div(amount, total_shares.0, tokens).map(Dec)
}

/// Tokens represented by `shares` of a validator holding `tokens` and `total_shares`
/// (SDK `TokensFromShares`, truncated): `floor(shares × tokens / total_shares)`; 0 if the
/// validator has no shares.
pub fn tokens_for_shares(shares: Dec, tokens: u128, total_shares: Dec) -> u128 {
    mul_div(shares.0, tokens, total_shares.0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_in_both_forms_and_print_with_18_places() {
        assert_eq!(Dec::parse("0.05"), Some(Dec(50_000_000_000_000_000)));
        assert_eq!(
            Dec::parse("50000000000000000"),
            Some(Dec(50_000_000_000_000_000))
        );
        assert_eq!(Dec::parse("1.000000000000000000"), Some(Dec::ONE));
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
            assert_eq!(Dec::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Dec::parse(&format!("{}.0", u128::MAX)), None);
    }

    #[test]
    fn mul_div_is_exact_beyond_128_bits_and_rounds_down() {
        assert_eq!(mul_div(7, 3, 2), Some(10));
        assert_eq!(mul_div(u128::MAX, u128::MAX, u128::MAX), Some(u128::MAX));
        assert_eq!(mul_div(u128::MAX, 2, 4), Some(u128::MAX / 2));
        assert_eq!(mul_div(u128::MAX, 3, 2), None);
        assert_eq!(mul_div(1, 1, 0), None);
        let big = 10u128.pow(30);
        assert_eq!(mul_div(big, big, 10u128.pow(25)), Some(10u128.pow(35)));
        assert_eq!(mul_div(big + 1, big, big * 3), Some((big + 1) / 3));
    }

    #[test]
    fn exchange_rate_rounds_in_the_chains_favour() {
        // 1000 tokens, 1000 shares, slashed to 999 tokens: 1 share is worth < 1 token
        let shares = Dec::from_int(1000).unwrap();
        assert_eq!(tokens_for_shares(Dec::from_int(1).unwrap(), 999, shares), 0);
        // delegating 999 tokens issues exactly 1000 shares
        assert_eq!(shares_for_tokens(999, 999, shares), Some(shares));
        assert_eq!(shares_for_tokens(5, 0, Dec::ZERO), Dec::from_int(5));
        assert_eq!(shares_for_tokens(5, 0, shares), None);
        assert_eq!(Dec::parse("0.05").unwrap().mul_int_floor(1_999), 99);
    }
}
