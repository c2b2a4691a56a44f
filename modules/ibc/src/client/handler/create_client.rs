use crate::client::events::CreateClient;
use crate::client::msgs::MsgCreateClient;
use crate::client::state::{ClientRead, ClientWrite};
use crate::identifier::{client_id, TENDERMINT_CLIENT_TYPE};
use crate::msgs_common::msg_handler;
use crate::params::ParamsRead;
use crate::IbcError;

msg_handler! {
    /// ibc-go 02-client `CreateClient` with 07-tendermint `Initialize`: the id is
    /// `07-tendermint-{nextClientSequence}`; the client state and its consensus state (at the
    /// latest height, processed now) are stored; the new client must be Active, so a non-zero
    /// frozen height or a consensus state already expired at block time fails with `client`/29
    /// (checked before anything is written), and a chain whose governance took 07-tendermint
    /// off `allowed_clients` refuses it with `client`/10.
    MsgCreateClient, stateless: |m, tx| Ok(m.signer.check(tx)?),
    |self, s, tx| {
        let cs = &self.client_state;
        if !s.tendermint_allowed().await? {
            return Err(IbcError::InvalidClientType(format!(
                "client state type {TENDERMINT_CLIENT_TYPE} is not registered in the allowlist"
            ))
            .into());
        }
        if !cs.frozen_height.is_zero() {
            return Err(IbcError::ClientNotActive(format!(
                "cannot create a client with status Frozen (frozen height {})",
                cs.frozen_height
            ))
            .into());
        }
        if cs.is_expired(self.consensus_state.timestamp, tx.block.time) {
            return Err(IbcError::ClientNotActive(
                "cannot create a client with status Expired: the consensus state is older than the trusting period"
                    .into(),
            )
            .into());
        }
        let seq = s.next_client_sequence().await?;
        let next = seq
            .checked_add(1)
            .ok_or_else(|| IbcError::InvalidClient("client sequence overflows".into()))?;
        let id = client_id(seq);
        s.put_next_client_sequence(next);
        s.put_client_state(&id, cs);
        s.put_consensus_state(
            &id,
            cs.latest_height,
            &self.consensus_state,
            tx.block.time,
            tx.block.height,
        );
        crate::events::emit_client(
            s,
            &CreateClient {
                client_id: id,
                consensus_height: cs.latest_height,
            },
        );
        Ok(())
    }
}
