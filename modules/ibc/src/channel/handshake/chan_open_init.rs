//! `MsgChannelOpenInit`: a new channel end in INIT, after the app agrees (ICS-04 `chanOpenInit`).

use super::*;

msg_handler! {
    /// Creates `channel-N` in INIT with the app's version. Errors: `port`/3, `connection`/3,
    /// `connection`/9 ordering unsupported, `client`/29, the app's error.
    MsgChannelOpenInit, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx, app| {
        let (port, proposed) = (&self.port_id, &self.channel);
        bound(app, port)?;
        check_connection(s, tx, proposed, self.ordering, false).await?;
        let cp = proposed.counterparty.clone().unwrap_or_default();
        let id = next_channel_id(s).await?;
        let version = app
            .on_chan_open_init(s, tx, &info(port, &id, proposed, &cp)?, &proposed.version)
            .await?;
        let kind = "channel_open_init";
        create_channel(s, port, &id, proposed, ChanState::Init, version, kind).await?;
        Ok(())
    }
}
