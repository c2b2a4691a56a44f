//! `MsgChannelCloseInit`: OPEN → CLOSED at the app's consent (ICS-04 `chanCloseInit`).

use super::*;

msg_handler! {
    /// → CLOSED if the app allows it. Errors: `channel`/3, `channel`/5 already closed,
    /// `connection`/6, the app's refusal (ICS-20 refuses).
    MsgChannelCloseInit, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx, app| {
        let (port, chan) = (&self.port_id, &self.channel_id);
        let mut ch = s.channel(port, chan).await?;
        not_closed(&ch, port, chan)?;
        bound(app, port)?;
        open_connection(s, &ch).await?;
        let cp = ch.counterparty.clone().unwrap_or_default();
        app.on_chan_close_init(s, tx, &info(port, chan, &ch, &cp)?)
            .await?;
        ch.state = ChanState::Closed.to_i32();
        s.put_channel(port, chan, &ch);
        event(s, "channel_close_init", port, chan, &ch);
        Ok(())
    }
}
