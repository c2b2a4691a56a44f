//! Denominations: the Cosmos SDK's default rule, shared by every module that names one.

use crate::SdkError;
use serde::{Deserialize, Serialize};

/// A coin in genesis JSON, as the Cosmos SDK writes `cosmos.base.v1beta1.Coin`:
/// `{"denom":"uhub","amount":"10000000"}` (the amount a decimal string). Bank balances and
/// gov deposits use it; each module checks the denom and amount where it reads them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CoinJson {
    /// Denom.
    pub denom: String,
    /// Amount as a decimal string.
    pub amount: String,
}

/// Checks a denom: `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}` (the Cosmos SDK default).
///
/// Errors: [`SdkError::InvalidCoins`] naming the denom.
pub fn validate_denom(d: &str) -> Result<(), SdkError> {
    let ok = (3..=128).contains(&d.len())
        && d.as_bytes()[0].is_ascii_alphabetic()
        && d.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/:._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(SdkError::InvalidCoins(format!("invalid denom {d:?}")))
    }
}
