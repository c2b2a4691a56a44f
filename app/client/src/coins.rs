//! Coins and denominations in the Cosmos SDK text form (`1000uhub,5foo`).
//!
//! Amounts are unsigned 128-bit integers in the base denomination; decimal amounts are refused
//! so that an operator never sends `1.5hub` believing it means something it does not.

use std::fmt;

use thiserror::Error;

/// An amount of one denomination, e.g. `1000uhub`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Coin {
    /// Denomination, checked by [`validate_denom`].
    pub denom: String,
    /// Amount in the base unit of `denom`; always greater than zero when parsed by [`parse_coins`].
    pub amount: u128,
}

impl fmt::Display for Coin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.denom)
    }
}

impl Coin {
    /// The coin as the JSON object used in genesis files and queries:
    /// `{"denom": "uhub", "amount": "1000"}` (the amount is a string, as in the Cosmos SDK).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "denom": self.denom, "amount": self.amount.to_string() })
    }
}

/// Formats a list of coins as `1000uhub,5foo` (an empty list as the empty string).
pub fn format_coins(coins: &[Coin]) -> String {
    coins
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Why a coin list or a denomination is invalid.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoinError {
    /// The input was empty.
    #[error("no coins given: expected a list like 1000uhub or 1000uhub,5foo")]
    Empty,
    /// One entry of a comma-separated list was empty (e.g. a trailing comma).
    #[error("empty entry in coin list {0:?}: remove the extra comma")]
    EmptyEntry(String),
    /// The amount starts with a minus sign.
    #[error("{0:?}: amounts cannot be negative")]
    Negative(String),
    /// The amount has a decimal point.
    #[error("{0:?}: decimal amounts are not supported; give the amount in the base denomination (e.g. 1500000uhub, not 1.5hub)")]
    Decimal(String),
    /// The entry does not start with a digit.
    #[error("{0:?}: expected an amount followed by a denomination, like 1000uhub")]
    MissingAmount(String),
    /// The entry has digits but no denomination.
    #[error("{0:?}: missing denomination after the amount (e.g. 1000uhub)")]
    MissingDenom(String),
    /// The amount is zero.
    #[error("{0:?}: amount must be greater than zero")]
    Zero(String),
    /// The amount does not fit in 128 bits.
    #[error("{0:?}: amount is larger than the maximum {max}", max = u128::MAX)]
    Overflow(String),
    /// The denomination does not match `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`.
    #[error("{0:?} is not a valid denomination: it must start with a letter, be 3 to 128 characters long and contain only letters, digits and / : . _ -")]
    BadDenom(String),
    /// The same denomination appears twice in one list.
    #[error("denomination {0:?} appears more than once; give each denomination once")]
    DuplicateDenom(String),
}

/// Checks a denomination against the Cosmos SDK rule `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`.
pub fn validate_denom(denom: &str) -> Result<(), CoinError> {
    let mut chars = denom.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok =
        chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | ':' | '.' | '_' | '-'));
    if first_ok && rest_ok && (3..=128).contains(&denom.len()) {
        Ok(())
    } else {
        Err(CoinError::BadDenom(denom.to_owned()))
    }
}

/// Parses a non-negative integer amount given as a decimal string (`"1000"`).
///
/// Returns the same errors as [`parse_coins`] for the amount part; zero is accepted here.
pub fn parse_amount(text: &str) -> Result<u128, CoinError> {
    if text.starts_with('-') {
        return Err(CoinError::Negative(text.to_owned()));
    }
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        if text.contains('.') {
            return Err(CoinError::Decimal(text.to_owned()));
        }
        return Err(CoinError::MissingAmount(text.to_owned()));
    }
    text.parse::<u128>()
        .map_err(|_| CoinError::Overflow(text.to_owned()))
}

/// Parses one coin such as `1000uhub`. The amount must be greater than zero.
pub fn parse_coin(text: &str) -> Result<Coin, CoinError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CoinError::Empty);
    }
    if text.starts_with('-') {
        return Err(CoinError::Negative(text.to_owned()));
    }
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (amount, denom) = text.split_at(split);
    if amount.is_empty() {
        return Err(CoinError::MissingAmount(text.to_owned()));
    }
    if denom.starts_with('.') || denom.starts_with(',') {
        return Err(CoinError::Decimal(text.to_owned()));
    }
    if denom.is_empty() {
        return Err(CoinError::MissingDenom(text.to_owned()));
    }
    let amount = amount
        .parse::<u128>()
        .map_err(|_| CoinError::Overflow(text.to_owned()))?;
    if amount == 0 {
        return Err(CoinError::Zero(text.to_owned()));
    }
    validate_denom(denom)?;
    Ok(Coin {
        denom: denom.to_owned(),
        amount,
    })
}

/// Parses a comma-separated coin list such as `1000uhub,5foo`.
///
/// Every amount must be a positive integer that fits in 128 bits, every denomination must be
/// valid and appear once. The result is sorted by denomination (the Cosmos SDK canonical order).
pub fn parse_coins(text: &str) -> Result<Vec<Coin>, CoinError> {
    if text.trim().is_empty() {
        return Err(CoinError::Empty);
    }
    let mut coins = Vec::new();
    for entry in text.split(',') {
        if entry.trim().is_empty() {
            return Err(CoinError::EmptyEntry(text.to_owned()));
        }
        coins.push(parse_coin(entry)?);
    }
    coins.sort();
    for pair in coins.windows(2) {
        if pair[0].denom == pair[1].denom {
            return Err(CoinError::DuplicateDenom(pair[0].denom.clone()));
        }
    }
    Ok(coins)
}

/// `coins` as Cosmos SDK protobuf coins (amounts as decimal strings).
pub fn proto_coins(coins: &[Coin]) -> Vec<cosmos_sdk_proto::cosmos::base::v1beta1::Coin> {
    coins
        .iter()
        .map(|c| cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
            denom: c.denom.clone(),
            amount: c.amount.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_list_and_sorts_it_by_denom() {
        let coins = parse_coins("5foo, 1000uhub").unwrap();
        assert_eq!(
            coins,
            vec![
                Coin {
                    denom: "foo".into(),
                    amount: 5
                },
                Coin {
                    denom: "uhub".into(),
                    amount: 1000
                },
            ]
        );
        assert_eq!(format_coins(&coins), "5foo,1000uhub");
    }

    #[test]
    fn accepts_ibc_style_denoms_and_the_largest_amount() {
        let max = format!(
            "{}ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
            u128::MAX
        );
        let coins = parse_coins(&max).unwrap();
        assert_eq!(coins[0].amount, u128::MAX);
    }

    #[test]
    fn rejects_bad_input_with_the_matching_error() {
        type Expect = fn(&CoinError) -> bool;
        let cases: &[(&str, Expect)] = &[
            ("", |e| matches!(e, CoinError::Empty)),
            ("  ", |e| matches!(e, CoinError::Empty)),
            ("1000uhub,", |e| matches!(e, CoinError::EmptyEntry(_))),
            ("-5uhub", |e| matches!(e, CoinError::Negative(_))),
            ("1.5hub", |e| matches!(e, CoinError::Decimal(_))),
            ("uhub", |e| matches!(e, CoinError::MissingAmount(_))),
            ("1000", |e| matches!(e, CoinError::MissingDenom(_))),
            ("0uhub", |e| matches!(e, CoinError::Zero(_))),
            ("340282366920938463463374607431768211456uhub", |e| {
                matches!(e, CoinError::Overflow(_))
            }),
            ("10u", |e| matches!(e, CoinError::BadDenom(_))),
            ("10u$hub", |e| matches!(e, CoinError::BadDenom(_))),
            ("10uhub,5uhub", |e| {
                matches!(e, CoinError::DuplicateDenom(_))
            }),
        ];
        for (input, expected) in cases {
            let err = parse_coins(input).unwrap_err();
            assert!(expected(&err), "{input:?} gave {err:?}");
        }
    }

    #[test]
    fn denom_rule_matches_the_cosmos_sdk() {
        for good in [
            "uhub",
            "hub",
            "ibc/ABC",
            "gamm/pool/1",
            "a:b.c_d-e",
            &"a".repeat(128),
        ] {
            assert!(validate_denom(good).is_ok(), "{good}");
        }
        for bad in ["", "ab", "1abc", "/abc", "ab c", "abç", &"a".repeat(129)] {
            assert!(validate_denom(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts_parse_as_non_negative_integers() {
        assert_eq!(parse_amount("0").unwrap(), 0);
        assert_eq!(parse_amount("1000").unwrap(), 1000);
        assert!(matches!(parse_amount("-5"), Err(CoinError::Negative(_))));
        assert!(matches!(parse_amount("1.5"), Err(CoinError::Decimal(_))));
        assert!(matches!(parse_amount(""), Err(CoinError::MissingAmount(_))));
        assert!(matches!(
            parse_amount("1e3"),
            Err(CoinError::MissingAmount(_))
        ));
        assert!(matches!(
            parse_amount("340282366920938463463374607431768211456"),
            Err(CoinError::Overflow(_))
        ));
    }
}
