//! IBC core params that governance sets (ibc-go v8 `02-client` and `03-connection` `Params`
//! and their `MsgUpdateParams`): which light-client types may be used, and the expected time
//! per block that turns a connection's time delay into a block delay.
//!
//! Both are stored as ibc-go stores them, the params protobuf at `clientParams` and
//! `connectionParams` of the `ibc` substore. A chain whose genesis sets neither uses ibc-go's
//! defaults: every client type (`["*"]`) and 30 s per block.

use crate::identifier::TENDERMINT_CLIENT_TYPE;
use crate::msgs_common::{check_signer, parse_signer};
use crate::IbcError;
use cnidarium::{StateRead, StateWrite};
use hub_framework::{Handled, ModuleError, StateReadProto, StateWriteProto, TxCtx};
use ibc_proto::ibc::core::{client::v1 as clpb, connection::v1 as connpb};

/// Key of the client params in the `ibc` substore (ibc-go `clienttypes.ParamsKey`).
pub const CLIENT_PARAMS_KEY: &str = "ibc/clientParams";
/// Key of the connection params in the `ibc` substore (ibc-go `connectiontypes.ParamsKey`).
pub const CONNECTION_PARAMS_KEY: &str = "ibc/connectionParams";
/// The allowed-clients entry that allows every client type (ibc-go `AllowAllClients`).
pub const ALLOW_ALL_CLIENTS: &str = "*";
/// ibc-go's default `max_expected_time_per_block`: 30 s, in nanoseconds.
pub const DEFAULT_MAX_EXPECTED_TIME_PER_BLOCK_NS: u64 = 30_000_000_000;

/// The client params: ibc-go `02-client` `Params`.
pub type ClientParams = clpb::Params;
/// The connection params: ibc-go `03-connection` `Params`.
pub type ConnectionParams = connpb::Params;

/// ibc-go `DefaultParams`: every client type allowed.
pub fn default_client_params() -> ClientParams {
    ClientParams {
        allowed_clients: vec![ALLOW_ALL_CLIENTS.into()],
    }
}

/// ibc-go `DefaultParams`: 30 s per block.
pub fn default_connection_params() -> ConnectionParams {
    ConnectionParams {
        max_expected_time_per_block: DEFAULT_MAX_EXPECTED_TIME_PER_BLOCK_NS,
    }
}

/// ibc-go `Params.Validate`: no blank or duplicate client type, and `*` only alone.
/// Errors: `sdk`/18 naming the offending entry.
pub fn validate_client_params(p: &ClientParams) -> Result<(), IbcError> {
    let list = &p.allowed_clients;
    if list.len() > 1 && list.iter().any(|c| c == ALLOW_ALL_CLIENTS) {
        return Err(IbcError::InvalidParams(format!(
            "allowed_clients: the wildcard {ALLOW_ALL_CLIENTS:?} must be the only entry"
        )));
    }
    for (i, c) in list.iter().enumerate() {
        if c.trim().is_empty() {
            return Err(IbcError::InvalidParams(format!(
                "allowed_clients: client type {i} is blank"
            )));
        }
        if list[..i].contains(c) {
            return Err(IbcError::InvalidParams(format!(
                "allowed_clients: duplicate client type {c:?}"
            )));
        }
    }
    Ok(())
}

/// ibc-go `Params.Validate`: a zero time per block would make every block delay infinite.
/// Errors: `sdk`/18.
pub fn validate_connection_params(p: &ConnectionParams) -> Result<(), IbcError> {
    if p.max_expected_time_per_block == 0 {
        return Err(IbcError::InvalidParams(
            "max_expected_time_per_block cannot be zero".into(),
        ));
    }
    Ok(())
}

/// ibc-go `Params.IsAllowedClient`: `*` alone allows every non-blank type.
pub fn is_allowed_client(p: &ClientParams, client_type: &str) -> bool {
    if client_type.trim().is_empty() {
        return false;
    }
    match p.allowed_clients.as_slice() {
        [only] if only == ALLOW_ALL_CLIENTS => true,
        list => list.iter().any(|c| c == client_type),
    }
}

/// The block delay ibc-go derives from a connection's time delay (ns):
/// `ceil(delay / max_expected_time_per_block)` (03-connection `GetBlockDelay`).
pub fn block_delay(p: &ConnectionParams, delay_period_ns: u64) -> u64 {
    delay_period_ns.div_ceil(p.max_expected_time_per_block.max(1))
}

/// Reads of the core params. Blanket-implemented for every `StateRead`.
pub trait ParamsRead: StateRead {
    /// The client params, ibc-go's default if none are stored. Errors: `client`/3 if the
    /// stored bytes do not decode.
    async fn client_params(&self) -> Result<ClientParams, IbcError> {
        Ok(self
            .get_proto(CLIENT_PARAMS_KEY)
            .await
            .map_err(|e| IbcError::InvalidClient(e.log))?
            .unwrap_or_else(default_client_params))
    }

    /// Whether 07-tendermint clients may be created and used (the hub's only client type).
    async fn tendermint_allowed(&self) -> Result<bool, IbcError> {
        Ok(is_allowed_client(
            &self.client_params().await?,
            TENDERMINT_CLIENT_TYPE,
        ))
    }

    /// The connection params, ibc-go's default if none are stored. Errors: `connection`/8.
    async fn connection_params(&self) -> Result<ConnectionParams, IbcError> {
        Ok(self
            .get_proto(CONNECTION_PARAMS_KEY)
            .await
            .map_err(|e| IbcError::InvalidConnection(e.log))?
            .unwrap_or_else(default_connection_params))
    }
}

impl<T: StateRead + ?Sized> ParamsRead for T {}

/// Writes of the core params. Blanket-implemented for every `StateWrite`.
pub trait ParamsWrite: StateWrite {
    /// Stores the client params (already validated).
    fn put_client_params(&mut self, p: &ClientParams) {
        self.put_proto(CLIENT_PARAMS_KEY.into(), p);
    }

    /// Stores the connection params (already validated).
    fn put_connection_params(&mut self, p: &ConnectionParams) {
        self.put_proto(CONNECTION_PARAMS_KEY.into(), p);
    }
}

impl<T: StateWrite + ?Sized> ParamsWrite for T {}

/// Only the governance authority may set params (ibc-go `keeper.authority`), and it must sign
/// the transaction (a passed proposal). Errors: `sdk`/4.
fn check_gov(signer: &[u8; 20], what: &str, tx: &TxCtx) -> Handled {
    if *signer != hub_framework::authority::gov_authority().0 {
        return Err(IbcError::Unauthorized(format!(
            "{what} must be signed by the gov module account"
        ))
        .into());
    }
    check_signer(signer, tx)
}

/// The params of a `MsgUpdateParams`, which must be present. Errors: `sdk`/18.
fn required<P: Clone>(params: &Option<P>) -> Result<P, IbcError> {
    params
        .clone()
        .ok_or_else(|| IbcError::InvalidParams("params are missing".into()))
}

/// `ibc.core.client.v1.MsgUpdateParams`: governance sets the allowed client types.
#[derive(Clone, Debug, PartialEq)]
pub struct MsgUpdateClientParams {
    /// Must be the governance authority.
    pub signer: [u8; 20],
    /// The new params, validated.
    pub params: ClientParams,
}

impl MsgUpdateClientParams {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.client.v1.MsgUpdateParams";
}

impl MsgUpdateClientParams {
    /// ibc-go `MsgUpdateParams.ValidateBasic`, with this chain's bech32 prefix `hrp`.
    /// Errors: `sdk`/7 bad signer; `sdk`/18 missing or invalid params.
    pub fn from_proto(m: &clpb::MsgUpdateParams, hrp: &str) -> Result<Self, ModuleError> {
        let signer = parse_signer(&m.signer, hrp)?;
        let params = required(&m.params)?;
        validate_client_params(&params)?;
        Ok(Self { signer, params })
    }
}

/// `ibc.core.connection.v1.MsgUpdateParams`: governance sets the expected time per block.
#[derive(Clone, Debug, PartialEq)]
pub struct MsgUpdateConnectionParams {
    /// Must be the governance authority.
    pub signer: [u8; 20],
    /// The new params, validated.
    pub params: ConnectionParams,
}

impl MsgUpdateConnectionParams {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.connection.v1.MsgUpdateParams";
}

impl MsgUpdateConnectionParams {
    /// ibc-go `MsgUpdateParams.ValidateBasic`, with this chain's bech32 prefix `hrp`.
    /// Errors: `sdk`/7 bad signer; `sdk`/18 missing or zero `max_expected_time_per_block`.
    pub fn from_proto(m: &connpb::MsgUpdateParams, hrp: &str) -> Result<Self, ModuleError> {
        let signer = parse_signer(&m.signer, hrp)?;
        let params = required(&m.params)?;
        validate_connection_params(&params)?;
        Ok(Self { signer, params })
    }
}

crate::msgs_common::msg_handler! {
    /// ibc-go `UpdateClientParams`: only governance (`sdk`/4); the next client created or used
    /// follows the new list (a disallowed type is Unauthorized).
    MsgUpdateClientParams, stateless: |m, tx| check_gov(&m.signer, "MsgUpdateParams", tx),
    |self, s, _tx| {
        s.put_client_params(&self.params);
        Ok(())
    }
}

crate::msgs_common::msg_handler! {
    /// ibc-go `UpdateConnectionParams`: only governance (`sdk`/4); the next proof checked over
    /// a connection with a delay uses the new block delay.
    MsgUpdateConnectionParams, stateless: |m, tx| check_gov(&m.signer, "MsgUpdateParams", tx),
    |self, s, _tx| {
        s.put_connection_params(&self.params);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clients(list: &[&str]) -> ClientParams {
        ClientParams {
            allowed_clients: list.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_wildcard_allows_every_type_only_when_alone() {
        assert!(is_allowed_client(&default_client_params(), "07-tendermint"));
        assert!(!is_allowed_client(&default_client_params(), " "));
        assert!(validate_client_params(&clients(&["*", "07-tendermint"])).is_err());
        assert!(is_allowed_client(
            &clients(&["07-tendermint"]),
            "07-tendermint"
        ));
        assert!(!is_allowed_client(
            &clients(&["06-solomachine"]),
            "07-tendermint"
        ));
        assert!(!is_allowed_client(&clients(&[]), "07-tendermint"));
    }

    #[test]
    fn blank_and_duplicate_client_types_are_refused() {
        let e = validate_client_params(&clients(&["07-tendermint", "07-tendermint"]));
        assert!(e.unwrap_err().to_string().contains("duplicate"));
        assert!(validate_client_params(&clients(&["07-tendermint", ""])).is_err());
        assert!(validate_client_params(&clients(&[])).is_ok());
    }

    #[test]
    fn block_delay_rounds_up_and_a_zero_time_per_block_is_refused() {
        let p = default_connection_params();
        assert_eq!(block_delay(&p, 0), 0);
        assert_eq!(block_delay(&p, 1), 1);
        assert_eq!(block_delay(&p, 60_000_000_000), 2);
        let zero = ConnectionParams {
            max_expected_time_per_block: 0,
        };
        assert!(validate_connection_params(&zero).is_err());
        assert_eq!(block_delay(&zero, 5), 5, "never divides by zero");
    }
}
