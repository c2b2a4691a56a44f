//! 07-tendermint client messages: `Header` and `Misbehaviour` (ibc-go
//! `modules/light-clients/07-tendermint/header.go`, `misbehaviour.go`).
//!
//! Converting from the wire types performs ibc-go's `ValidateBasic` checks, so a value of these
//! types is well formed: the signed header's commit is for this header, the validator set hashes
//! to the header's `validators_hash`, and the trusted height is below the header height.
//! Signature checks are stateful work and happen in [`super::update`].

use super::types::{required, unwrap_any, wrap_any, ConsensusState};
use crate::{revision_of_chain_id, Height, IbcError};
use ibc_proto::google::protobuf::Any;
use ibc_proto::ibc::lightclients::tendermint::v1 as pb;
use tendermint::block::signed_header::SignedHeader;
use tendermint::validator::Set as ValidatorSet;
use tendermint::Time;

/// Type URL of a 07-tendermint header.
pub const HEADER_TYPE_URL: &str = "/ibc.lightclients.tendermint.v1.Header";
/// Type URL of a 07-tendermint misbehaviour.
pub const MISBEHAVIOUR_TYPE_URL: &str = "/ibc.lightclients.tendermint.v1.Misbehaviour";

/// CometBFT's block protocol version (`version.BlockProtocol`), required of every header.
pub const BLOCK_PROTOCOL: u64 = 11;

/// A counterparty block header with its commit and the validator sets needed to verify it
/// against a trusted consensus state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The block header and the commit (precommit signatures) for it.
    pub signed_header: SignedHeader,
    /// The validator set of the header's height; hashes to `header.validators_hash`.
    pub validator_set: ValidatorSet,
    /// The height of the consensus state this header is verified against (< header height).
    pub trusted_height: Height,
    /// The validators that signed the block after the trusted height; must hash to the trusted
    /// consensus state's `next_validators_hash`.
    pub trusted_validators: ValidatorSet,
}

/// Two headers that prove the counterparty's validators misbehaved: a fork (same height,
/// different block hashes) or a BFT time violation (`header_1` higher but not later).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misbehaviour {
    /// The header at the greater or equal height.
    pub header_1: Header,
    /// The other header.
    pub header_2: Header,
}

impl Header {
    /// The header's height: revision from its chain id (ibc-go `ParseChainID`), block height.
    pub fn height(&self) -> Height {
        let h = &self.signed_header.header;
        Height::new(revision_of_chain_id(h.chain_id.as_str()), h.height.value())
    }

    /// The block time of the header.
    pub fn time(&self) -> Time {
        self.signed_header.header.time
    }

    /// The chain id the header was produced on.
    pub fn chain_id(&self) -> &str {
        self.signed_header.header.chain_id.as_str()
    }

    /// The consensus state this header yields (ibc-go `Header.ConsensusState`): its time, its
    /// app hash as the commitment root and its next validators hash.
    pub fn consensus_state(&self) -> ConsensusState {
        let h = &self.signed_header.header;
        ConsensusState {
            timestamp: h.time,
            root: h.app_hash.as_bytes().to_vec(),
            next_validators_hash: h.next_validators_hash.as_bytes().to_vec(),
        }
    }

    /// The wire form.
    pub fn to_proto(&self) -> pb::Header {
        pb::Header {
            signed_header: Some(self.signed_header.clone().into()),
            validator_set: Some(self.validator_set.clone().into()),
            trusted_height: Some(self.trusted_height.into()),
            trusted_validators: Some(self.trusted_validators.clone().into()),
        }
    }

    /// Wraps as `Any` with ibc-go's type URL.
    pub fn to_any(&self) -> Any {
        wrap_any(HEADER_TYPE_URL, &self.to_proto())
    }

    /// Decodes an `Any`. Errors: `client`/10 wrong type URL, `client`/12 undecodable, and the
    /// errors of `TryFrom<pb::Header>`.
    pub fn from_any(any: &Any) -> Result<Self, IbcError> {
        let undecodable = |e| IbcError::InvalidHeader(format!("undecodable header: {e}"));
        let p: pb::Header = unwrap_any(any, HEADER_TYPE_URL, undecodable)?;
        Header::try_from(p)
    }
}

fn decode_validator_set(
    p: Option<tendermint_proto::types::ValidatorSet>,
    what: &str,
    err: fn(String) -> IbcError,
) -> Result<ValidatorSet, IbcError> {
    let set: ValidatorSet = required(p, what, err)?;
    if set.validators().is_empty() {
        return Err(err(format!("{what} is empty")));
    }
    Ok(set)
}

impl TryFrom<pb::Header> for Header {
    type Error = IbcError;

    /// ibc-go `Header.ValidateBasic`, plus a required trusted validator set.
    ///
    /// Errors: `client`/12 for a missing or malformed signed header, a commit not for this
    /// header (height or block hash), a block protocol other than 11, an empty app hash, or a
    /// validator set missing or not hashing to `validators_hash`; `07-tendermint`/5 for a
    /// trusted height at or above the header height; `07-tendermint`/14 for missing or malformed
    /// trusted validators.
    fn try_from(p: pb::Header) -> Result<Self, IbcError> {
        let signed_header: SignedHeader =
            required(p.signed_header, "signed header", IbcError::InvalidHeader)?;
        let header = &signed_header.header;
        if header.version.block != BLOCK_PROTOCOL {
            return Err(IbcError::InvalidHeader(format!(
                "block protocol is {}, expected {BLOCK_PROTOCOL}",
                header.version.block
            )));
        }
        let commit = &signed_header.commit;
        if commit.signatures.is_empty() {
            return Err(IbcError::InvalidHeader("commit has no signatures".into()));
        }
        let hash = header.hash();
        if commit.block_id.hash != hash {
            return Err(IbcError::InvalidHeader(format!(
                "commit signs block {}, but the header hash is {hash}",
                commit.block_id.hash
            )));
        }
        // An empty root could never be read back as a consensus state.
        if header.app_hash.as_bytes().is_empty() {
            return Err(IbcError::InvalidHeader("app hash is empty".into()));
        }
        let trusted_height = p.trusted_height.map(Height::from).unwrap_or_default();
        let height = Height::new(
            revision_of_chain_id(header.chain_id.as_str()),
            header.height.value(),
        );
        if trusted_height >= height {
            return Err(IbcError::TmInvalidHeaderHeight(format!(
                "trusted height {trusted_height} must be less than header height {height}"
            )));
        }
        let validator_set =
            decode_validator_set(p.validator_set, "validator set", IbcError::InvalidHeader)?;
        if validator_set.hash() != header.validators_hash {
            return Err(IbcError::InvalidHeader(format!(
                "validator set hashes to {}, header has validators hash {}",
                validator_set.hash(),
                header.validators_hash
            )));
        }
        let trusted_validators = decode_validator_set(
            p.trusted_validators,
            "trusted validator set",
            IbcError::TmInvalidValidatorSet,
        )?;
        Ok(Header {
            signed_header,
            validator_set,
            trusted_height,
            trusted_validators,
        })
    }
}

impl Misbehaviour {
    /// The wire form (the deprecated `client_id` left empty).
    #[allow(deprecated)]
    pub fn to_proto(&self) -> pb::Misbehaviour {
        pb::Misbehaviour {
            client_id: String::new(),
            header_1: Some(self.header_1.to_proto()),
            header_2: Some(self.header_2.to_proto()),
        }
    }

    /// Wraps as `Any` with ibc-go's type URL.
    pub fn to_any(&self) -> Any {
        wrap_any(MISBEHAVIOUR_TYPE_URL, &self.to_proto())
    }

    /// Decodes an `Any`. Errors: `client`/10 wrong type URL, `client`/13 undecodable, and the
    /// errors of `TryFrom<pb::Misbehaviour>`.
    pub fn from_any(any: &Any) -> Result<Self, IbcError> {
        let undecodable = |e| IbcError::InvalidMisbehaviour(format!("undecodable: {e}"));
        let p: pb::Misbehaviour = unwrap_any(any, MISBEHAVIOUR_TYPE_URL, undecodable)?;
        Misbehaviour::try_from(p)
    }
}

impl TryFrom<pb::Misbehaviour> for Misbehaviour {
    type Error = IbcError;

    /// ibc-go `Misbehaviour.ValidateBasic` without the commit signature checks (those are
    /// stateful work, done by [`super::update::verify_misbehaviour`]).
    ///
    /// Errors: `07-tendermint`/6 a missing header; `07-tendermint`/5 a zero trusted height;
    /// `07-tendermint`/14 missing trusted validators; `client`/13 headers of different chain
    /// ids, a header failing `Header` validation, or `header_1` below `header_2`.
    fn try_from(p: pb::Misbehaviour) -> Result<Self, IbcError> {
        let h1 = p
            .header_1
            .ok_or_else(|| IbcError::TmInvalidHeader("misbehaviour header 1 is missing".into()))?;
        let h2 = p
            .header_2
            .ok_or_else(|| IbcError::TmInvalidHeader("misbehaviour header 2 is missing".into()))?;
        for (i, h) in [(1, &h1), (2, &h2)] {
            if h.trusted_height.map(|t| t.revision_height).unwrap_or(0) == 0 {
                return Err(IbcError::TmInvalidHeaderHeight(format!(
                    "misbehaviour header {i} has a zero trusted revision height"
                )));
            }
            if h.trusted_validators.is_none() {
                return Err(IbcError::TmInvalidValidatorSet(format!(
                    "trusted validator set in header {i} is missing"
                )));
            }
        }
        let convert = |i: u8, h: pb::Header| {
            Header::try_from(h).map_err(|e| {
                IbcError::InvalidMisbehaviour(format!("header {i} failed validation: {e}"))
            })
        };
        let header_1 = convert(1, h1)?;
        let header_2 = convert(2, h2)?;
        if header_1.chain_id() != header_2.chain_id() {
            return Err(IbcError::InvalidMisbehaviour(format!(
                "headers must have identical chain ids ({} != {})",
                header_1.chain_id(),
                header_2.chain_id()
            )));
        }
        if header_1.height() < header_2.height() {
            return Err(IbcError::InvalidMisbehaviour(format!(
                "header 1 height is less than header 2 height ({} < {})",
                header_1.height(),
                header_2.height()
            )));
        }
        Ok(Misbehaviour { header_1, header_2 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_headers_are_rejected_with_ibc_go_codes() {
        let e = Header::try_from(pb::Header::default()).unwrap_err();
        assert!(matches!(e, IbcError::InvalidHeader(_)), "{e}");
        let any = Any {
            type_url: "/x".into(),
            value: vec![],
        };
        assert!(matches!(
            Header::from_any(&any),
            Err(IbcError::InvalidClientType(_))
        ));
        assert!(matches!(
            Misbehaviour::try_from(pb::Misbehaviour::default()),
            Err(IbcError::TmInvalidHeader(_))
        ));
        let bad = Any {
            type_url: HEADER_TYPE_URL.into(),
            value: vec![0xff, 0xff],
        };
        assert!(matches!(
            Header::from_any(&bad),
            Err(IbcError::InvalidHeader(_))
        ));
    }
}
