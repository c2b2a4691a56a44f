//! Domain messages of the interchain-upgrade module (`hub.interchain_upgrade.v1`).

use crate::InterchainUpgradeError;
use hub_auth::Address;
use hub_framework::ModuleError;
use hub_ibc::Height;
use hub_proto::interchain_upgrade::v1 as pb;

/// The longest chain id accepted (ibc-go's limit on client chain ids).
const MAX_CHAIN_ID_LEN: usize = 50;

fn bad(m: String) -> ModuleError {
    InterchainUpgradeError::InvalidRequest(m).into()
}

fn chain_id(s: &str) -> Result<String, ModuleError> {
    if s.is_empty() || s.len() > MAX_CHAIN_ID_LEN || s.contains('/') {
        return Err(bad(format!(
            "spoke_chain_id {s:?} must be 1 to {MAX_CHAIN_ID_LEN} bytes without '/'"
        )));
    }
    Ok(s.to_string())
}

/// `MsgDispatchUpgrade { authority, spoke_chain_id, plan }` (gov authority only).
#[derive(Clone, Debug)]
pub struct MsgDispatchUpgrade {
    /// The gov module account.
    pub authority: Address,
    /// The spoke's chain id.
    pub spoke_chain_id: String,
    /// The plan (validated by `hub_upgrade::validate_plan`).
    pub plan: pb::Plan,
}

impl MsgDispatchUpgrade {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/hub.interchain_upgrade.v1.MsgDispatchUpgrade";

    /// Validates the proto.
    ///
    /// Errors: `interchain-upgrade`/2 authority not the gov module account, `/9` bad chain
    /// id, `upgrade`/100 a malformed plan (no sha256 for a binary, bad name or height).
    pub fn from_proto(m: &pb::MsgDispatchUpgrade, hrp: &str) -> Result<Self, ModuleError> {
        let authority = gov_authority(&m.authority, hrp, "dispatch upgrades")?;
        let plan = m
            .plan
            .clone()
            .ok_or_else(|| bad("plan is missing".into()))?;
        hub_upgrade::validate_plan(&plan.name, plan.height, &plan.info)?;
        Ok(MsgDispatchUpgrade {
            authority,
            spoke_chain_id: chain_id(&m.spoke_chain_id)?,
            plan,
        })
    }
}

/// `MsgConfirmUpgradeApplied { signer, spoke_chain_id, name, proof_height, proof }`
/// (permissionless).
#[derive(Clone, Debug)]
pub struct MsgConfirmUpgradeApplied {
    /// The submitter.
    pub signer: Address,
    /// The spoke.
    pub spoke_chain_id: String,
    /// The plan name.
    pub name: String,
    /// The spoke height of the proof (a consensus state of the hub's client of the spoke).
    pub proof_height: Height,
    /// ICS-23 `MerkleProof` bytes of `["upgrade", "applied/{name}"]`.
    pub proof: Vec<u8>,
}

impl MsgConfirmUpgradeApplied {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/hub.interchain_upgrade.v1.MsgConfirmUpgradeApplied";

    /// Validates the proto. Errors: `sdk`/7 bad signer, `interchain-upgrade`/9 empty name,
    /// zero proof height or empty proof.
    pub fn from_proto(m: &pb::MsgConfirmUpgradeApplied, hrp: &str) -> Result<Self, ModuleError> {
        let signer = Address::from_bech32(&m.signer, hrp)?;
        if m.name.is_empty() {
            return Err(bad("name is empty".into()));
        }
        if m.proof_revision_height == 0 {
            return Err(bad("proof height is zero".into()));
        }
        if m.proof.is_empty() {
            return Err(bad("proof is empty".into()));
        }
        Ok(MsgConfirmUpgradeApplied {
            signer,
            spoke_chain_id: chain_id(&m.spoke_chain_id)?,
            name: m.name.clone(),
            proof_height: Height::new(m.proof_revision_number, m.proof_revision_height),
            proof: m.proof.clone(),
        })
    }
}

/// `MsgUpdateParams { authority, params }` (gov authority only).
#[derive(Clone, Debug)]
pub struct MsgUpdateParams {
    /// The gov module account.
    pub authority: Address,
    /// The new params.
    pub params: pb::Params,
}

impl MsgUpdateParams {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/hub.interchain_upgrade.v1.MsgUpdateParams";

    /// Validates the proto.
    ///
    /// Errors: `interchain-upgrade`/2 authority not the gov module account, `/9` params
    /// missing, a malformed `hub_chain_id` or a zero `packet_timeout_ns`.
    pub fn from_proto(m: &pb::MsgUpdateParams, hrp: &str) -> Result<Self, ModuleError> {
        let authority = gov_authority(&m.authority, hrp, "change the params")?;
        let params = m
            .params
            .clone()
            .ok_or_else(|| bad("params are missing".into()))?;
        if !params.hub_chain_id.is_empty() {
            chain_id(&params.hub_chain_id)?;
        }
        if params.packet_timeout_ns == 0 {
            return Err(bad("packet_timeout_ns must be positive".into()));
        }
        Ok(MsgUpdateParams { authority, params })
    }
}

/// The gov module account as `authority`. Errors: `interchain-upgrade`/2 naming `what`.
fn gov_authority(authority: &str, hrp: &str, what: &str) -> Result<Address, ModuleError> {
    use hub_framework::authority::{parse_gov_authority, AuthorityError};
    parse_gov_authority(authority, hrp).map_err(|e| {
        let why = match e {
            AuthorityError::NotAnAddress { reason, .. } => format!("authority: {reason}"),
            AuthorityError::NotGov { expected, .. } => {
                format!("only the gov module account {expected} may {what}, not {authority}")
            }
        };
        InterchainUpgradeError::Unauthorized(why).into()
    })
}

/// An ICS-24 identifier (client or connection id): 1 to 64 bytes of `[a-zA-Z0-9._+-#[]<>]`.
fn identifier(what: &str, s: &str) -> Result<String, ModuleError> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._+-#[]<>".contains(c));
    if !ok {
        return Err(bad(format!("{what} {s:?} is not an ICS-24 identifier")));
    }
    Ok(s.to_string())
}

/// `MsgRegisterSpoke { authority, chain_id, client_id, connection_id }` (hub, gov authority
/// only).
#[derive(Clone, Debug)]
pub struct MsgRegisterSpoke {
    /// The gov module account.
    pub authority: Address,
    /// The spoke's chain id.
    pub chain_id: String,
    /// The hub's client of the spoke.
    pub client_id: String,
    /// A connection on that client.
    pub connection_id: String,
}

impl MsgRegisterSpoke {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/hub.interchain_upgrade.v1.MsgRegisterSpoke";

    /// Validates the proto. Errors: `interchain-upgrade`/2 authority not the gov module
    /// account, `/9` a malformed chain, client or connection id.
    pub fn from_proto(m: &pb::MsgRegisterSpoke, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgRegisterSpoke {
            authority: gov_authority(&m.authority, hrp, "register spokes")?,
            chain_id: chain_id(&m.chain_id)?,
            client_id: identifier("client_id", &m.client_id)?,
            connection_id: identifier("connection_id", &m.connection_id)?,
        })
    }
}

/// `MsgPinHubClient { authority, client_id }` (spoke, gov authority only).
#[derive(Clone, Debug)]
pub struct MsgPinHubClient {
    /// The gov module account.
    pub authority: Address,
    /// The spoke's client of the hub.
    pub client_id: String,
}

impl MsgPinHubClient {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/hub.interchain_upgrade.v1.MsgPinHubClient";

    /// Validates the proto. Errors: `interchain-upgrade`/2 authority not the gov module
    /// account, `/9` a malformed client id.
    pub fn from_proto(m: &pb::MsgPinHubClient, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgPinHubClient {
            authority: gov_authority(&m.authority, hrp, "pin the hub client")?,
            client_id: identifier("client_id", &m.client_id)?,
        })
    }
}

hub_framework::module_msgs! {
    /// Every interchain-upgrade message: the module's message enum.
    pub enum InterchainUpgradeMsg [crate::module::NAME] {
        /// `hub.interchain_upgrade.v1.MsgDispatchUpgrade` (gov authority).
        DispatchUpgrade(MsgDispatchUpgrade = pb::MsgDispatchUpgrade, signer: |m| m.authority.0),
        /// `hub.interchain_upgrade.v1.MsgConfirmUpgradeApplied` (anyone).
        ConfirmUpgradeApplied(MsgConfirmUpgradeApplied = pb::MsgConfirmUpgradeApplied, signer: |m| m.signer.0),
        /// `hub.interchain_upgrade.v1.MsgUpdateParams` (gov authority).
        UpdateParams(MsgUpdateParams = pb::MsgUpdateParams, signer: |m| m.authority.0),
        /// `hub.interchain_upgrade.v1.MsgRegisterSpoke` (gov authority, hub).
        RegisterSpoke(MsgRegisterSpoke = pb::MsgRegisterSpoke, signer: |m| m.authority.0),
        /// `hub.interchain_upgrade.v1.MsgPinHubClient` (gov authority, spoke).
        PinHubClient(MsgPinHubClient = pb::MsgPinHubClient, signer: |m| m.authority.0),
    }
}
