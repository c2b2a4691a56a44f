//! Shared decoding of IBC message fields.

use crate::{Height, IbcError};
use hub_auth::Address;
use hub_framework::{ModuleError, SdkError, TxCtx};
use ibc_proto::ibc::core::client::v1 as clientpb;

/// Decodes the `signer` field (bech32 with the chain's prefix). Errors: `sdk`/7.
pub fn parse_signer(signer: &str, hrp: &str) -> Result<[u8; 20], ModuleError> {
    Address::from_bech32(signer, hrp)
        .map(|a| a.0)
        .map_err(|e| IbcError::InvalidAddress(format!("signer: {e}")).into())
}

/// Requires the message signer to be the transaction's signer. Errors: `sdk`/4.
pub fn check_signer(signer: &[u8; 20], tx: &TxCtx) -> Result<(), ModuleError> {
    if *signer != tx.signer {
        return Err(SdkError::Unauthorized(
            "the message signer is not the transaction signer".into(),
        )
        .into());
    }
    Ok(())
}

/// A proof height that must be set. Errors: `client`/26.
pub fn proof_height(h: Option<&clientpb::Height>) -> Result<Height, IbcError> {
    Height::non_zero(h, "proof height")
}

/// A proof that must not be empty. Errors: `commitment`/2 naming the field.
pub fn non_empty_proof(p: &[u8], field: &str) -> Result<Vec<u8>, IbcError> {
    if p.is_empty() {
        return Err(IbcError::InvalidProof(format!("{field} cannot be empty")));
    }
    Ok(p.to_vec())
}
