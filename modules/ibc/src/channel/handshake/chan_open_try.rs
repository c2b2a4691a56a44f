//! `MsgChannelOpenTry`: a new channel end in TRYOPEN, once the counterparty's INIT end is proven
//! (ICS-04 `chanOpenTry`).

use super::*;

impl<A: IbcApp + Default> MsgHandler<A> for MsgChannelOpenTry {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// Proves the counterparty's INIT end and creates `channel-N` in TRYOPEN.
    /// Errors: `port`/3, `connection`/6, `connection`/9, `client`/17 proof, the app's error.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        let app = &A::default();
        bound(app, &self.port_id)?;
        let conn = check_connection(s, tx, &self.channel, self.ordering, true).await?;
        let cp = self.channel.counterparty.clone().unwrap_or_default();
        let expected = ChannelEnd {
            state: ChanState::Init.to_i32(),
            ordering: self.channel.ordering,
            counterparty: Some(Counterparty {
                port_id: self.port_id.to_string(),
                channel_id: String::new(),
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
            &cp.channel_id,
            &expected,
            &self.proof_init,
            self.proof_height,
        )
        .await?;
        let seq = s.next_channel_sequence().await?;
        let id = channel_id(seq);
        let version = app
            .on_chan_open_try(
                s,
                tx,
                &info(&self.port_id, &id, &self.channel, &cp)?,
                &self.counterparty_version,
            )
            .await?;
        let ch = ChannelEnd {
            state: ChanState::TryOpen.to_i32(),
            version,
            upgrade_sequence: 0,
            ..self.channel.clone()
        };
        new_channel(s, &self.port_id, &ch).await?;
        event(s, "channel_open_try", &self.port_id, &id, &ch);
        Ok(())
    }
}
