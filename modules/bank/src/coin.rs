//! Coins: a denom and a positive u128 amount.

pub use hub_framework::validate_denom;
use hub_framework::SdkError;
use std::fmt;

/// A positive amount of one denom. Amounts are u128 (Cosmos `Int` is wider, but no supply on
/// this chain can exceed u128; an overflowing amount is rejected, never wrapped).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Coin {
    /// A valid denom (see [`validate_denom`]).
    pub denom: String,
    /// Amount in the smallest unit, > 0.
    pub amount: u128,
}

/// A sorted list of coins with distinct denoms, as the Cosmos SDK requires (`sdk.Coins`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coins(pub Vec<Coin>);

impl fmt::Display for Coin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.denom)
    }
}

impl fmt::Display for Coins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|c| c.to_string()).collect();
        write!(f, "{}", parts.join(","))
    }
}

impl Coin {
    /// Parses a proto coin. Errors: [`SdkError::InvalidCoins`] for a bad denom or an amount
    /// that is not a positive integer that fits in u128 (zero, negative, overflowing).
    pub fn from_proto(c: &cosmos_sdk_proto::cosmos::base::v1beta1::Coin) -> Result<Self, SdkError> {
        validate_denom(&c.denom)?;
        let amount: u128 = c.amount.parse().map_err(|_| {
            SdkError::InvalidCoins(format!(
                "amount {:?} of {} is not a non-negative integer below 2^128",
                c.amount, c.denom
            ))
        })?;
        if amount == 0 {
            return Err(SdkError::InvalidCoins(format!(
                "zero amount of {}",
                c.denom
            )));
        }
        Ok(Coin {
            denom: c.denom.clone(),
            amount,
        })
    }

    /// The proto form.
    pub fn to_proto(&self) -> cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
        cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
            denom: self.denom.clone(),
            amount: self.amount.to_string(),
        }
    }
}

impl Coins {
    /// Parses a non-empty list of proto coins that must be sorted by denom without duplicates.
    ///
    /// Errors: [`SdkError::InvalidCoins`] for an empty list, a bad coin, or bad order.
    pub fn from_proto(
        list: &[cosmos_sdk_proto::cosmos::base::v1beta1::Coin],
    ) -> Result<Self, SdkError> {
        if list.is_empty() {
            return Err(SdkError::InvalidCoins("no coins given".into()));
        }
        let coins = list
            .iter()
            .map(Coin::from_proto)
            .collect::<Result<Vec<_>, _>>()?;
        if coins.windows(2).any(|w| w[0].denom >= w[1].denom) {
            return Err(SdkError::InvalidCoins(
                "coins must be sorted by denom and not repeat a denom".into(),
            ));
        }
        Ok(Coins(coins))
    }

    /// The proto form.
    pub fn to_proto(&self) -> Vec<cosmos_sdk_proto::cosmos::base::v1beta1::Coin> {
        self.0.iter().map(Coin::to_proto).collect()
    }
}

/// Parses `"100uhub,5foo"` into coins (sorted on output). Errors as [`Coins::from_proto`].
pub fn parse_coins(s: &str) -> Result<Coins, SdkError> {
    let mut list = Vec::new();
    for part in s.split(',').map(str::trim) {
        let split = part
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(part.len());
        let (amount, denom) = part.split_at(split);
        list.push(cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
            denom: denom.to_string(),
            amount: amount.to_string(),
        });
    }
    list.sort_by(|a, b| a.denom.cmp(&b.denom));
    Coins::from_proto(&list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as P;

    fn p(d: &str, a: &str) -> P {
        P {
            denom: d.into(),
            amount: a.into(),
        }
    }

    #[test]
    fn amounts_must_be_positive_and_fit_u128() {
        assert!(Coin::from_proto(&p("uhub", "1")).is_ok());
        for bad in [
            "0",
            "-5",
            "1.5",
            "",
            "340282366920938463463374607431768211456",
            "1e9",
        ] {
            let e = Coin::from_proto(&p("uhub", bad)).unwrap_err();
            assert!(matches!(e, SdkError::InvalidCoins(_)), "{bad}");
        }
    }

    #[test]
    fn denoms_follow_the_sdk_pattern() {
        for good in ["uhub", "ibc/ABCDEF", "a.b-c_d:e"] {
            assert!(validate_denom(good).is_ok(), "{good}");
        }
        for bad in ["", "ab", "1abc", "u hub", "uhub!", &"a".repeat(129)] {
            assert!(validate_denom(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn coin_lists_must_be_sorted_and_distinct() {
        assert!(Coins::from_proto(&[p("abc", "1"), p("uhub", "1")]).is_ok());
        assert!(Coins::from_proto(&[p("uhub", "1"), p("abc", "1")]).is_err());
        assert!(Coins::from_proto(&[p("uhub", "1"), p("uhub", "2")]).is_err());
        assert!(Coins::from_proto(&[]).is_err());
        assert_eq!(parse_coins("5uhub,7abc").unwrap().to_string(), "7abc,5uhub");
    }
}
