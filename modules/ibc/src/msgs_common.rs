//! Shared decoding of IBC message fields.

use crate::{Height, IbcError};
use hub_auth::Address;
use hub_framework::{Handled, ModuleError, SdkError, TxCtx};
use ibc_proto::ibc::core::client::v1 as clientpb;

/// Decodes the `signer` field (bech32 with the chain's prefix). Errors: `sdk`/7.
pub fn parse_signer(signer: &str, hrp: &str) -> Result<[u8; 20], ModuleError> {
    Address::from_bech32(signer, hrp)
        .map(|a| a.0)
        .map_err(|e| IbcError::InvalidAddress(format!("signer: {e}")).into())
}

/// Requires the message signer to be the transaction's signer. Errors: `sdk`/4.
pub fn check_signer(signer: &[u8; 20], tx: &TxCtx) -> Handled {
    let why = "the message signer is not the transaction signer";
    tx.require_signer(signer, SdkError::Unauthorized, why)
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

/// Implements the framework's `MsgHandler` for one IBC message. `stateless: |m, tx| …` is the
/// whole of `check_stateless` (the signer check, with `m` the message); the block after it is
/// `check_and_execute`, with the message, the state and the transaction bound to the names the
/// caller gives (`|self, s, tx|`). A channel message names a fourth binding, `app`: the
/// application of its port, built by the runtime's ICS-26 router `A` (the handler's
/// capability, so the impl is `MsgHandler<A>` for every `A: IbcApp + Default`).
macro_rules! msg_handler {
    (
        $(#[$attr:meta])*
        $msg:ty, stateless: |$m:ident, $ctx:ident| $check:expr,
        |$this:ident, $s:ident, $tx:ident| $body:block
    ) => {
        $crate::msgs_common::msg_handler!(@impl [] [] $(#[$attr])* $msg, $m, $ctx, $check,
            $this, $s, $tx, [], $body);
    };
    (
        $(#[$attr:meta])*
        $msg:ty, stateless: |$m:ident, $ctx:ident| $check:expr,
        |$this:ident, $s:ident, $tx:ident, $app:ident| $body:block
    ) => {
        $crate::msgs_common::msg_handler!(@impl [A: $crate::router::IbcApp + Default] [A]
            $(#[$attr])* $msg, $m, $ctx, $check, $this, $s, $tx,
            [let $app = &A::default();], $body);
    };
    (
        @impl [$($gen:tt)*] [$($cap:tt)*] $(#[$attr:meta])* $msg:ty, $m:ident, $ctx:ident,
        $check:expr, $this:ident, $s:ident, $tx:ident, [$($pre:tt)*], $body:block
    ) => {
        $(#[$attr])*
        impl<$($gen)*> hub_framework::MsgHandler<$($cap)*> for $msg {
            fn check_stateless(&self, $ctx: &hub_framework::TxCtx) -> hub_framework::Handled {
                let $m = self;
                $check
            }

            async fn check_and_execute<S: cnidarium::StateWrite>(&$this, $s: &mut S, $tx: &hub_framework::TxCtx) -> hub_framework::Handled {
                $($pre)*
                $body
            }
        }
    };
}
pub(crate) use msg_handler;
