//! `MsgDeposit` (SDK `keeper.AddDeposit`).

use crate::{
    capability::GovConfig,
    keeper::{self, Origin},
    msgs::MsgDeposit,
    state::GovRead,
    GovError,
};
use cosmos_sdk_proto::cosmos::gov::v1::ProposalStatus;
use hub_framework::{cnidarium::StateWrite, Handled, TxCtx};

/// Adds a deposit to a proposal in its deposit or voting period; opens the voting period
/// when the total reaches `min_deposit`.
///
/// Errors: `gov`/2 unknown proposal, `gov`/3 not in the deposit or voting period, `gov`/23
/// denom not in `min_deposit`, `gov`/16 no coin reaches `min_deposit_ratio × min_deposit`,
/// `sdk`/5 insufficient funds.
pub async fn execute<C: GovConfig, S: StateWrite>(
    m: &MsgDeposit,
    s: &mut S,
    tx: &TxCtx,
) -> Handled {
    let mut proposal = keeper::load_proposal(s, m.proposal_id).await?;
    if proposal.status != ProposalStatus::DepositPeriod as i32
        && proposal.status != ProposalStatus::VotingPeriod as i32
    {
        return Err(GovError::InactiveProposal(format!(
            "proposal {} is not in its deposit or voting period",
            m.proposal_id
        ))
        .into());
    }
    let p = s.gov_params().await?;
    keeper::check_deposit_denoms(&p, &m.amount)?;
    if p.min_deposit_ratio > crate::dec::Dec::ZERO {
        let floor = keeper::scale(&p.min_deposit(), p.min_deposit_ratio);
        let any_gte = floor.0.is_empty()
            || m.amount.0.iter().any(|c| {
                floor
                    .0
                    .iter()
                    .any(|f| f.denom == c.denom && c.amount >= f.amount)
            });
        if !any_gte {
            return Err(GovError::MinDepositTooSmall(format!(
                "deposit {} is below {floor} (min_deposit_ratio {} of min_deposit)",
                m.amount, p.min_deposit_ratio
            ))
            .into());
        }
    }
    let now = keeper::time_ns(tx.block.time);
    keeper::add_deposit(
        &C::Bank::default(),
        s,
        &p,
        &mut proposal,
        &m.depositor,
        &m.amount,
        &tx.bech32_prefix,
        now,
        Origin::Deposit,
    )
    .await?;
    Ok(())
}
