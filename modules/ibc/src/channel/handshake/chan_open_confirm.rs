//! `MsgChannelOpenConfirm`: TRYOPEN → OPEN, once the counterparty's OPEN end is proven (ICS-04
//! `chanOpenConfirm`).

use super::*;

msg_handler! {
    /// TRYOPEN → OPEN after proving the counterparty's OPEN end. Errors: `channel`/3,
    /// `channel`/5, `connection`/6, `client`/17, the app's error.
    MsgChannelOpenConfirm, stateless: |m, tx| check_signer(&m.0.signer, tx),
    |self, s, tx, app| {
        confirm(&self.0, s, tx, app, false).await
    }
}
