use crate::client::events::UpgradeClient;
use crate::client::msgs::MsgUpgradeClient;
use crate::client::state::{ClientRead, ClientWrite};
use crate::client::types::{ClientState, ConsensusState, Status};
use crate::commitment::{self, decode_proof};
use crate::msgs_common::msg_handler;
use crate::{Height, IbcError, Path};
use prost::Message;
use std::time::Duration;

/// The root of an upgraded consensus state (ibc-go `SentinelRoot`): a stand-in, since the new
/// chain's first app hash is unknown; no proof verifies against it.
pub const SENTINEL_ROOT: &[u8] = b"sentinel_root";

/// ibc-go `ClientState.ZeroCustomFields`: keeps the chain-chosen fields (chain id, unbonding
/// period, latest height, proof specs, upgrade path) and zeroes the relayer-chosen ones (trust
/// level, trusting period, max clock drift, frozen height). The counterparty commits its
/// upgraded client in this form.
pub fn zero_custom_fields(cs: &ClientState) -> ClientState {
    ClientState {
        chain_id: cs.chain_id.clone(),
        trust_level: (0, 0),
        trusting_period: Duration::ZERO,
        unbonding_period: cs.unbonding_period,
        max_clock_drift: Duration::ZERO,
        frozen_height: Height::ZERO,
        latest_height: cs.latest_height,
        proof_specs: cs.proof_specs.clone(),
        upgrade_path: cs.upgrade_path.clone(),
    }
}

msg_handler! {
    /// ibc-go 02-client `UpgradeClient` with 07-tendermint `VerifyUpgradeAndUpdateState`.
    ///
    /// The client must be Active (`client`/29) and have an upgrade path `[prefix, key]`
    /// (`client`/25); the upgraded latest height must be above the current one (`client`/26). The
    /// upgraded client (custom fields zeroed) and consensus state must be proven at
    /// `{key}/{latest revision height}/upgradedClient` and `.../upgradedConsState` under store
    /// prefix `prefix`, against the root of the consensus state at the current latest height
    /// (`client`/7 if absent; `commitment`/2 undecodable proofs, `commitment`/4 proofs that do not
    /// verify). The new client takes chain id, unbonding period, latest height, proof specs and
    /// upgrade path from the upgraded client and the rest from the current one, and must pass
    /// [`ClientState::validate`]. Its consensus state has the upgraded timestamp and next
    /// validators hash (32 bytes, else `client`/8) with [`SENTINEL_ROOT`].
    MsgUpgradeClient, stateless: |m, tx| Ok(m.signer.check(tx)?),
    |self, s, tx| {
        let id = self.client_id.as_str();
        let cs = s.client_state(id).await?;
        let status = s.client_status(id, tx.block.time).await?;
        if status != Status::Active {
            return Err(IbcError::ClientNotActive(format!(
                "cannot upgrade client {id} with status {status}"
            ))
            .into());
        }
        let (prefix, key) = match cs.upgrade_path.as_slice() {
            [] => {
                return Err(IbcError::InvalidUpgradeClient(
                    "cannot upgrade client, no upgrade path set".into(),
                )
                .into())
            }
            [prefix, key] => (prefix.as_str(), key.as_str()),
            other => {
                return Err(IbcError::InvalidUpgradeClient(format!(
                    "upgrade path must be [store prefix, key], got {} elements",
                    other.len()
                ))
                .into())
            }
        };
        let last = cs.latest_height;
        let up = &self.client_state;
        if up.latest_height <= last {
            return Err(IbcError::InvalidHeight(format!(
                "upgraded client height {} must be greater than current client height {last}",
                up.latest_height
            ))
            .into());
        }
        let client_proof = decode_proof(&self.proof_upgrade_client)?;
        let cons_proof = decode_proof(&self.proof_upgrade_consensus_state)?;
        let cons = s.consensus_state(id, last).await?;

        let client_path = Path::UpgradedClient {
            upgrade_key: key.into(),
            height: last.revision_height,
        };
        let value = zero_custom_fields(up).to_any().encode_to_vec();
        commitment::verify_membership(
            &cs.proof_specs,
            &cons.root,
            prefix.as_bytes(),
            &client_path.to_string(),
            &value,
            &client_proof,
        )?;
        let cons_path = Path::UpgradedConsState {
            upgrade_key: key.into(),
            height: last.revision_height,
        };
        let value = self.consensus_state.to_any().encode_to_vec();
        commitment::verify_membership(
            &cs.proof_specs,
            &cons.root,
            prefix.as_bytes(),
            &cons_path.to_string(),
            &value,
            &cons_proof,
        )?;

        let new_cs = ClientState {
            chain_id: up.chain_id.clone(),
            trust_level: cs.trust_level,
            trusting_period: cs.trusting_period,
            unbonding_period: up.unbonding_period,
            max_clock_drift: cs.max_clock_drift,
            frozen_height: Height::ZERO,
            latest_height: up.latest_height,
            proof_specs: up.proof_specs.clone(),
            upgrade_path: up.upgrade_path.clone(),
        };
        new_cs.validate()?;
        if self.consensus_state.next_validators_hash.len() != 32 {
            return Err(IbcError::InvalidConsensus(
                "upgraded next validators hash must be 32 bytes".into(),
            )
            .into());
        }
        let new_cons = ConsensusState {
            timestamp: self.consensus_state.timestamp,
            root: SENTINEL_ROOT.to_vec(),
            next_validators_hash: self.consensus_state.next_validators_hash.clone(),
        };
        s.put_client_state(id, &new_cs);
        s.put_consensus_state(
            id,
            new_cs.latest_height,
            &new_cons,
            tx.block.time,
            tx.block.height,
        );
        crate::events::emit_client(
            s,
            &UpgradeClient {
                client_id: id.into(),
                consensus_height: new_cs.latest_height,
            },
        );
        Ok(())
    }
}
