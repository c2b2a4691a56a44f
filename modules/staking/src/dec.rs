//! Exchange-rate arithmetic of validator shares, over the framework's [`Dec`] (re-exported
//! here with the SDK name of its scale, `DEC_ONE`).

pub use hub_framework::dec::{mul_div_floor, Dec, PRECISION as DEC_ONE};

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
    mul_div_floor(amount, total_shares.0, tokens).map(Dec)
}

/// Tokens represented by `shares` of a validator holding `tokens` and `total_shares`
/// (SDK `TokensFromShares`, truncated): `floor(shares × tokens / total_shares)`; 0 if the
/// validator has no shares.
pub fn tokens_for_shares(shares: Dec, tokens: u128, total_shares: Dec) -> u128 {
    mul_div_floor(shares.0, tokens, total_shares.0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_rate_rounds_in_the_chains_favour() {
        // 1000 tokens, 1000 shares, slashed to 999 tokens: 1 share is worth < 1 token
        let shares = Dec::from_int(1000).unwrap();
        assert_eq!(tokens_for_shares(Dec::from_int(1).unwrap(), 999, shares), 0);
        // delegating 999 tokens issues exactly 1000 shares
        assert_eq!(shares_for_tokens(999, 999, shares), Some(shares));
        assert_eq!(shares_for_tokens(5, 0, Dec::ZERO), Dec::from_int(5));
        assert_eq!(shares_for_tokens(5, 0, shares), None);
    }
}
