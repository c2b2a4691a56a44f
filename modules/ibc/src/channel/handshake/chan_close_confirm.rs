//! `MsgChannelCloseConfirm`: → CLOSED, once the counterparty's CLOSED end is proven (ICS-04
//! `chanCloseConfirm`).

use super::*;

msg_handler! {
    /// → CLOSED after proving the counterparty's CLOSED end. Errors: `channel`/3,
    /// `channel`/5 already closed, `connection`/6, `client`/17, the app's error.
    MsgChannelCloseConfirm, stateless: |m, tx| check_signer(&m.0.signer, tx),
    |self, s, tx, app| {
        confirm(&self.0, s, tx, app, true).await
    }
}
