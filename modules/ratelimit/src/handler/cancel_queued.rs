//! `MsgCancelQueuedTransfer` (a Hub addition): the sender takes a queued transfer back; its
//! coins return at once.

use crate::{
    msgs::MsgCancelQueuedTransfer,
    queue::{give_back, queued},
    RateLimitError,
};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, TxCtx};

impl MsgHandler for MsgCancelQueuedTransfer {
    /// The sender signs. Errors: `ratelimit`/104.
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        let why = "the sender must sign";
        tx.require_signer(&self.sender.0, RateLimitError::QueuedTransfer, why)
    }

    /// Errors: `ratelimit`/104 no queued transfer `id`, or another sender's.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        let mine = |t: &hub_proto::ratelimit::v1::QueuedTransfer| {
            t.sender == self.sender.to_bech32(&tx.bech32_prefix)
        };
        let t = queued(s, self.id).await?.filter(mine).ok_or_else(|| {
            RateLimitError::QueuedTransfer(format!("no queued transfer {} of this sender", self.id))
        })?;
        give_back(&hub_bank::Keeper, s, &t, "cancelled", String::new()).await
    }
}
