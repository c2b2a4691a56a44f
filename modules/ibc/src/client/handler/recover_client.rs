use crate::client::events::RecoverClient;
use crate::client::msgs::{module_address, MsgRecoverClient, GOV_AUTHORITY_MODULE};
use crate::client::state::{ClientRead, ClientWrite};
use crate::client::types::{ClientState, Status};
use crate::msgs_common::msg_handler;
use crate::{Height, IbcError};
use hub_framework::{Handled, TxCtx};
use std::time::Duration;

/// ibc-go `IsMatchingClientState`: every field equal except latest height, frozen height,
/// trusting period and chain id.
fn matching(subject: &ClientState, substitute: &ClientState) -> bool {
    let strip = |c: &ClientState| ClientState {
        chain_id: String::new(),
        trusting_period: Duration::ZERO,
        frozen_height: Height::ZERO,
        latest_height: Height::ZERO,
        ..c.clone()
    };
    strip(subject) == strip(substitute)
}

msg_handler! {
    /// ibc-go `MsgServer.RecoverClient` → 02-client `RecoverClient` → 07-tendermint
    /// `CheckSubstituteAndUpdateState`.
    ///
    /// Only the governance authority may send it (`sdk`/4). The subject must exist (`client`/4) and
    /// not be Active (`client`/24); the substitute must exist (`client`/4), be higher than the
    /// subject (`client`/26), be Active (`client`/29) and match the subject in every field but
    /// latest height, frozen height, trusting period and chain id (`client`/27). The subject is
    /// unfrozen and takes the substitute's latest height, chain id, trusting period and latest
    /// consensus state with its processed time and height (`client`/7, `07-tendermint`/8 if
    /// missing).
    MsgRecoverClient, stateless: |m, tx| m.check_authority(tx),
    |self, s, tx| {
        let now = tx.block.time;
        let (subject_id, substitute_id) = (&self.subject_client_id, &self.substitute_client_id);
        let subject = s.client_state(subject_id).await?;
        if s.client_status(subject_id, now).await? == Status::Active {
            return Err(IbcError::InvalidRecoveryClient(format!(
                "cannot recover Active subject client {subject_id}"
            ))
            .into());
        }
        let substitute = s.client_state(substitute_id).await?;
        if subject.latest_height >= substitute.latest_height {
            return Err(IbcError::InvalidHeight(format!(
                "subject client latest height {} is not below substitute client latest height {}",
                subject.latest_height, substitute.latest_height
            ))
            .into());
        }
        let status = s.client_status(substitute_id, now).await?;
        if status != Status::Active {
            return Err(IbcError::ClientNotActive(format!(
                "substitute client {substitute_id} is {status}, not Active"
            ))
            .into());
        }
        if !matching(&subject, &substitute) {
            return Err(IbcError::InvalidSubstitute(
                "subject client state does not match substitute client state".into(),
            )
            .into());
        }
        let height = substitute.latest_height;
        let cons = s.consensus_state(substitute_id, height).await?;
        let processed_height = s.processed_height(substitute_id, height).await?;
        let processed_ns = s.processed_time(substitute_id, height).await?;
        let processed_time = tendermint::Time::from_unix_timestamp(
            (processed_ns / 1_000_000_000) as i64,
            (processed_ns % 1_000_000_000) as u32,
        )
        .map_err(|e| IbcError::TmProcessedTimeNotFound(format!("processed time: {e}")))?;

        let recovered = ClientState {
            frozen_height: Height::ZERO,
            latest_height: substitute.latest_height,
            chain_id: substitute.chain_id.clone(),
            trusting_period: substitute.trusting_period,
            ..subject
        };
        s.put_consensus_state(subject_id, height, &cons, processed_time, processed_height);
        s.put_client_state(subject_id, &recovered);
        crate::events::emit_client(
            s,
            &RecoverClient {
                subject_client_id: subject_id.to_string(),
            },
        );
        Ok(())
    }
}

impl MsgRecoverClient {
    /// Only the governance authority may recover a client, signing as itself.
    /// Errors: `sdk`/4 another signer; the signer's own check.
    fn check_authority(&self, tx: &TxCtx) -> Handled {
        if self.signer.address != module_address(GOV_AUTHORITY_MODULE) {
            return Err(IbcError::Unauthorized(format!(
                "MsgRecoverClient must be signed by the {GOV_AUTHORITY_MODULE} module account"
            ))
            .into());
        }
        Ok(self.signer.check(tx)?)
    }
}
