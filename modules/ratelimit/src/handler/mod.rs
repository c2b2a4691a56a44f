//! One file per message: `check_stateless` (the gov module account signs), then
//! `check_and_execute`.

mod add;
mod cancel_queued;
mod remove;
mod reset;
mod set_queueing;
mod update;

use crate::{msgs::LimitPath, RateLimitError};
use hub_framework::{Handled, TxCtx};

/// The gov module account named by the message must be the transaction's signer (a passed
/// proposal). Errors: `ratelimit`/101.
fn check_signer(path: &LimitPath, tx: &TxCtx) -> Handled {
    let why = "signer is not the gov module";
    tx.require_signer(&path.signer.0, RateLimitError::Unauthorized, why)
}

/// Implements `MsgHandler` for a governance message of the limits: [`check_signer`], then
/// `$body` with the message as `$m` and the state as `$s`.
macro_rules! gov_handler {
    ($msg:ty, |$m:ident, $s:ident| $body:block) => {
        impl hub_framework::MsgHandler for $msg {
            fn check_stateless(&self, tx: &hub_framework::TxCtx) -> hub_framework::Handled {
                super::check_signer(&self.path, tx)
            }

            async fn check_and_execute<S: hub_framework::cnidarium::StateWrite>(
                &self,
                $s: &mut S,
                _tx: &hub_framework::TxCtx,
            ) -> hub_framework::Handled {
                let $m = self;
                $body
            }
        }
    };
}
use gov_handler;
