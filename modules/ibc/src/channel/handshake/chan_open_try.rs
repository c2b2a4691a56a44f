//! `MsgChannelOpenTry`: a new channel end in TRYOPEN, once the counterparty's INIT end is proven
//! (ICS-04 `chanOpenTry`).

use super::*;

msg_handler! {
    /// Proves the counterparty's INIT end and creates `channel-N` in TRYOPEN.
    /// Errors: `port`/3, `connection`/6, `connection`/9, `client`/17 proof, the app's error.
    MsgChannelOpenTry, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx, app| {
        let (port, proposed) = (&self.port_id, &self.channel);
        bound(app, port)?;
        let conn = check_connection(s, tx, proposed, self.ordering, true).await?;
        let cp = proposed.counterparty.clone().unwrap_or_default();
        let version = &self.counterparty_version;
        // Our channel id is not chosen yet: the counterparty's INIT end names none.
        let expected = expected_end(ChanState::Init, proposed.ordering, (port, ""), &conn, version);
        let (proof, height) = (&self.proof_init, self.proof_height);
        verify_counterparty_channel(s, tx, &conn, &cp, &expected, proof, height).await?;
        let id = next_channel_id(s).await?;
        let version = app
            .on_chan_open_try(s, tx, &info(port, &id, proposed, &cp)?, version)
            .await?;
        let kind = "channel_open_try";
        create_channel(s, port, &id, proposed, ChanState::TryOpen, version, kind).await?;
        Ok(())
    }
}
