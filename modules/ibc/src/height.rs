//! ICS-02 heights and revision numbers (ibc-go `modules/core/02-client/types/height.go`).

use crate::IbcError;
use ibc_proto::ibc::core::client::v1 as pb;

/// A height on a counterparty chain: `(revision_number, revision_height)`, ordered
/// lexicographically. The zero height `0-0` means "unset" (e.g. no timeout height).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Height {
    /// The revision (the `N` of a chain id `name-N`; bumped by chain upgrades that reset heights).
    pub revision_number: u64,
    /// The block height within the revision.
    pub revision_height: u64,
}

impl Height {
    /// A height from its two parts.
    pub const fn new(revision_number: u64, revision_height: u64) -> Self {
        Height {
            revision_number,
            revision_height,
        }
    }

    /// `0-0`, the unset height.
    pub const ZERO: Height = Height::new(0, 0);

    /// True for `0-0`.
    pub fn is_zero(&self) -> bool {
        *self == Height::ZERO
    }

    /// The next height in the same revision. Errors: `client`/26 on overflow.
    pub fn increment(&self) -> Result<Height, IbcError> {
        let h = self
            .revision_height
            .checked_add(1)
            .ok_or_else(|| IbcError::InvalidHeight(format!("{self} cannot be incremented")))?;
        Ok(Height::new(self.revision_number, h))
    }

    /// A height that must not be zero. Errors: `client`/26 naming `what`.
    pub fn non_zero(p: Option<&pb::Height>, what: &str) -> Result<Height, IbcError> {
        let h = p.map(Height::from).unwrap_or_default();
        if h.revision_height == 0 {
            return Err(IbcError::InvalidHeight(format!(
                "{what} must have a non-zero revision height"
            )));
        }
        Ok(h)
    }
}

impl std::fmt::Display for Height {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.revision_number, self.revision_height)
    }
}

impl std::str::FromStr for Height {
    type Err = IbcError;
    /// Parses `{revision}-{height}`. Errors: `client`/26.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || IbcError::InvalidHeight(format!("{s:?} is not {{revision}}-{{height}}"));
        let (r, h) = s.split_once('-').ok_or_else(bad)?;
        Ok(Height::new(
            r.parse().map_err(|_| bad())?,
            h.parse().map_err(|_| bad())?,
        ))
    }
}

impl From<&pb::Height> for Height {
    fn from(p: &pb::Height) -> Self {
        Height::new(p.revision_number, p.revision_height)
    }
}

impl From<pb::Height> for Height {
    fn from(p: pb::Height) -> Self {
        Height::from(&p)
    }
}

impl From<Height> for pb::Height {
    fn from(h: Height) -> Self {
        pb::Height {
            revision_number: h.revision_number,
            revision_height: h.revision_height,
        }
    }
}

/// The revision number encoded in a chain id of the form `{name}-{N}` (N ≥ 1, no leading
/// zero), or 0 if the chain id is not in that form — ibc-go's `ParseChainID`.
pub fn revision_of_chain_id(chain_id: &str) -> u64 {
    let Some((name, rev)) = chain_id.rsplit_once('-') else {
        return 0;
    };
    let formatted = !name.is_empty()
        && !name.ends_with('-')
        && !name.ends_with('\n')
        && rev.starts_with(|c: char| ('1'..='9').contains(&c))
        && rev.bytes().all(|b| b.is_ascii_digit());
    if !formatted {
        return 0;
    }
    rev.parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_id_revisions_follow_ibc_go() {
        for (id, rev) in [
            ("hub-1", 1),
            ("cosmoshub-4", 4),
            ("evmos_9000-10", 10),
            ("gaia", 0),
            ("gaia-0", 0),
            ("gaia-01", 0),
            ("gaia--1", 0),
            ("-1", 0),
            ("a-b-3", 3),
        ] {
            assert_eq!(revision_of_chain_id(id), rev, "{id}");
        }
    }

    #[test]
    fn heights_order_by_revision_first_and_parse_back() {
        assert!(Height::new(1, 1) > Height::new(0, 100));
        assert!(Height::new(1, 2) > Height::new(1, 1));
        let h: Height = "2-17".parse().unwrap();
        assert_eq!(h, Height::new(2, 17));
        assert_eq!(h.to_string(), "2-17");
        assert!("17".parse::<Height>().is_err());
    }
}
