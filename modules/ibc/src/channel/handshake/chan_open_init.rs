//! `MsgChannelOpenInit`: a new channel end in INIT, after the app agrees (ICS-04 `chanOpenInit`).

use super::*;

impl<A: IbcApp + Default> MsgHandler<A> for MsgChannelOpenInit {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// Creates `channel-N` in INIT with the app's version. Errors: `port`/3, `connection`/3,
    /// `connection`/9 ordering unsupported, `client`/29, the app's error.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        let app = &A::default();
        bound(app, &self.port_id)?;
        check_connection(s, tx, &self.channel, self.ordering, false).await?;
        let cp = self.channel.counterparty.clone().unwrap_or_default();
        let seq = s.next_channel_sequence().await?;
        let id = channel_id(seq);
        let version = app
            .on_chan_open_init(
                s,
                tx,
                &info(&self.port_id, &id, &self.channel, &cp)?,
                &self.channel.version,
            )
            .await?;
        let ch = ChannelEnd {
            state: ChanState::Init.to_i32(),
            version,
            upgrade_sequence: 0,
            ..self.channel.clone()
        };
        new_channel(s, &self.port_id, &ch).await?;
        event(s, "channel_open_init", &self.port_id, &id, &ch);
        Ok(())
    }
}
