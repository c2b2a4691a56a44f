//! Every key the transfer module writes (substore `transfer`).

/// `transfer/port` → the bound port id (UTF-8), `transfer`.
pub const PORT: &str = "transfer/port";

/// `transfer/params` → `ibc.applications.transfer.v1.Params`.
pub const PARAMS: &str = "transfer/params";

/// Prefix of all denom traces.
pub const DENOM_TRACES_PREFIX: &str = "transfer/denomTraces/";

/// `transfer/denomTraces/{UPPERHEX(sha256(path/base))}` → `ibc.applications.transfer.v1.DenomTrace`.
pub fn denom_trace(hash: &[u8; 32]) -> String {
    format!("{DENOM_TRACES_PREFIX}{}", hex::encode_upper(hash))
}

/// Prefix of all total-escrow entries (as ibc-go's `totalEscrowForDenom/`).
pub const TOTAL_ESCROW_PREFIX: &str = "transfer/totalEscrowForDenom/";

/// `transfer/totalEscrowForDenom/{denom}` → big-endian u128 (absent = 0; zero is deleted).
pub fn total_escrow(denom: &str) -> String {
    format!("{TOTAL_ESCROW_PREFIX}{denom}")
}
