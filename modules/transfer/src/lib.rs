//! `transfer`: ICS-20 fungible token transfer (`ics20-1`), behaving as ibc-go v8's
//! `modules/apps/transfer` so that Hermes and ibc-go chains interoperate byte for byte.
//!
//! ## Flow
//! - [`msgs::MsgTransfer`] (`/ibc.applications.transfer.v1.MsgTransfer`): a native token
//!   (`uhub`, or any denom whose full path does not start with `{source_port}/{source_channel}/`)
//!   is escrowed at the channel's [`escrow_address`] and its total escrow grows; a voucher
//!   returning through the channel it came from is burned. The packet carries
//!   [`FungibleTokenPacketData`] JSON with sorted keys and the full denom path.
//! - [`TransferApp`] (the ICS-26 callbacks for port `transfer`): a received native token is
//!   unescrowed; a foreign token is minted as the voucher `ibc/{UPPERHEX(sha256(path/base))}`
//!   and its trace stored. Error acknowledgements and timeouts refund the sender.
//! - [`forward`]: a received packet whose memo holds a packet-forward-middleware `forward`
//!   object is sent on over the named channel, and acknowledged when that packet is.
//!
//! ## State (substore `transfer`)
//! | key | value |
//! |---|---|
//! | `port` | `transfer` (UTF-8) |
//! | `params` | `ibc.applications.transfer.v1.Params` |
//! | `denomTraces/{UPPERHEX hash}` | `ibc.applications.transfer.v1.DenomTrace` |
//! | `totalEscrowForDenom/{denom}` | big-endian u128 (absent = 0) |
//! | `inFlight/{channel}/{port}/{sequence}` | [`forward::InFlightPacket`] JSON: a forward awaiting its acknowledgement |
//!
//! Coins move only through [`TransferBank`] (the runtime gives `hub_bank::Keeper`); vouchers are
//! minted to and burned from the module account `Address::module("transfer")`.
//!
//! ## Amounts
//! ICS-20 amounts are decimal strings up to 2^256 − 1; this chain's bank holds u128. Amounts
//! are parsed over the whole uint256 range first (so zero, negative and ≥ 2^256 get ibc-go's
//! errors), then an amount ≥ 2^128 is refused with `transfer`/101 (an error acknowledgement
//! on receive, so the sending chain refunds).
//!
//! ## Strictness beyond ibc-go
//! - Received packet data must be canonical (exactly the bytes ibc-go's `GetBytes` produces);
//!   anything else gets an error acknowledgement (`ibc`/12).
//! - `ibc/` denoms in `MsgTransfer` must use upper-case hex.
//!
//! ## Errors
//! [`TransferError`]: ibc-go's codespace `transfer` codes plus the `ibc` root codes its
//! transfer module uses.

mod app;
pub mod bank;
pub mod denom;
mod error;
pub mod events;
pub mod forward;
pub mod handler;
mod module;
pub mod msgs;
pub mod packet;
pub mod query;
mod state;
pub mod state_key;

pub use app::{validate_channel_params, TransferApp};
pub use bank::{ensure_voucher_metadata, module_address, TransferBank, MODULE_ACCOUNT};
pub use denom::{escrow_address, DenomTrace, PORT_ID, VERSION};
pub use error::TransferError;
pub use handler::send_transfer;
pub use module::{DenomTraceJson, EscrowJson, ParamsJson, Transfer, TransferGenesis};
pub use msgs::{MsgTransfer, MsgUpdateParams, TransferMsg};
pub use packet::{FungibleTokenPacketData, Ics20Ack};
pub use state::{default_params, TransferRead, TransferWrite};
