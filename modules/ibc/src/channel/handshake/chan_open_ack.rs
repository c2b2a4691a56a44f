//! `MsgChannelOpenAck`: INIT → OPEN, once the counterparty's TRYOPEN end is proven (ICS-04
//! `chanOpenAck`).

use super::*;

impl<A: IbcApp + Default> MsgHandler<A> for MsgChannelOpenAck {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// INIT → OPEN after proving the counterparty's TRYOPEN end. Errors: `channel`/3,
    /// `channel`/5 not INIT (e.g. TRYOPEN), `connection`/6, `client`/17, the app's error.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        let app = &A::default();
        let (port, chan) = (&self.port_id, &self.channel_id);
        let mut ch = s.channel(port, chan).await?;
        require_state(&ch, ChanState::Init, port, chan)?;
        bound(app, port)?;
        let (_, conn) = open_connection(s, &ch).await?;
        let cp = ch.counterparty.clone().unwrap_or_default();
        let expected = ChannelEnd {
            state: ChanState::TryOpen.to_i32(),
            ordering: ch.ordering,
            counterparty: Some(Counterparty {
                port_id: port.to_string(),
                channel_id: chan.to_string(),
            }),
            connection_hops: vec![cp_connection(&conn)],
            version: self.counterparty_version.clone(),
            upgrade_sequence: 0,
        };
        verify_counterparty_channel(
            s,
            tx,
            &conn,
            &cp.port_id,
            &self.counterparty_channel_id,
            &expected,
            &self.proof_try,
            self.proof_height,
        )
        .await?;
        let cp = Counterparty {
            channel_id: self.counterparty_channel_id.to_string(),
            ..cp
        };
        app.on_chan_open_ack(
            s,
            tx,
            &info(port, chan, &ch, &cp)?,
            &self.counterparty_version,
        )
        .await?;
        ch.state = ChanState::Open.to_i32();
        ch.version = self.counterparty_version.clone();
        ch.counterparty = Some(cp);
        s.put_channel(port, chan, &ch);
        event(s, "channel_open_ack", port, chan, &ch);
        Ok(())
    }
}
