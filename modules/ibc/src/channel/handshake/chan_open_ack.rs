//! `MsgChannelOpenAck`: INIT → OPEN, once the counterparty's TRYOPEN end is proven (ICS-04
//! `chanOpenAck`).

use super::*;

msg_handler! {
    /// INIT → OPEN after proving the counterparty's TRYOPEN end. Errors: `channel`/3,
    /// `channel`/5 not INIT (e.g. TRYOPEN), `connection`/6, `client`/17, the app's error.
    MsgChannelOpenAck, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx, app| {
        let (port, chan) = (&self.port_id, &self.channel_id);
        let mut ch = s.channel(port, chan).await?;
        require_state(&ch, ChanState::Init, port, chan)?;
        bound(app, port)?;
        let (_, conn) = open_connection(s, &ch).await?;
        // The counterparty's end, now with the channel id it chose.
        let cp = Counterparty {
            channel_id: self.counterparty_channel_id.to_string(),
            ..ch.counterparty.clone().unwrap_or_default()
        };
        let version = &self.counterparty_version;
        let expected = expected_end(ChanState::TryOpen, ch.ordering, (port, chan), &conn, version);
        let (proof, height) = (&self.proof_try, self.proof_height);
        verify_counterparty_channel(s, tx, &conn, &cp, &expected, proof, height).await?;
        app.on_chan_open_ack(s, tx, &info(port, chan, &ch, &cp)?, version)
            .await?;
        ch.state = ChanState::Open.to_i32();
        ch.version = version.clone();
        ch.counterparty = Some(cp);
        s.put_channel(port, chan, &ch);
        event(s, "channel_open_ack", port, chan, &ch);
        Ok(())
    }
}
