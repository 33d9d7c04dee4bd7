//! Acceptance review (Seed §二(二) 一次性告知制; 行政许可法 第三十二条): a verdict per material,
//! then one outcome — accept, correction notice listing every deficiency at once, non-acceptance,
//! or a notification-commitment decision — plus the one-time rule for later correction notices.

mod corrections;
mod error;
mod material;
mod one_time;
mod outcome;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::calendar::WorkingDays;

pub use corrections::CorrectionProgress;
pub use error::ReviewError;
pub use material::{
    MaterialRequirement, MaterialReview, MaterialSpec, MaterialVerdict, handed_in_at_review,
};
pub use one_time::{
    NewItemApproval, OneTimeCheck, OneTimeRuleBreach, OneTimeRuleError, ToldBefore,
    check_one_time_rule,
};
pub use outcome::{
    CommitmentTerms, Deficiency, DeficiencyKind, ItemKind, Jurisdiction, NonAcceptanceGround,
    ReviewInput, ReviewOutcome,
};

/// Decides the review of an application against the item's `materials`.
///
/// 1. Not subject to approval / another authority → [`ReviewOutcome::NotAccepted`] (materials
///    moot).
/// 2. The input must be complete and consistent, else [`ReviewError`]: a verdict for every required
///    material and every conditional one whose condition applies; no verdict for an unknown
///    material or twice; a reason for each nonconforming verdict; applicant confirmation and a date
///    (not after the review) for each correction on the spot.
/// 3. Any required material missing or nonconforming → [`ReviewOutcome::CorrectionRequired`]
///    listing every deficiency at once (optional materials and conditions that do not apply never
///    block).
/// 4. A 告知承诺制 item with a signed commitment → [`ReviewOutcome::CommitmentDecision`]; materials
///    the applicant commits to hand in later are not deficiencies and need no verdict; the
///    follow-up check falls the agreed number of working days after the review.
/// 5. Otherwise accept; an immediate item is handled on the spot.
///
/// Source: Seed §二(二)三—九, §二(一)三; 行政许可法 第三十二条.
pub fn review<C: WorkingDays + ?Sized>(
    materials: &[MaterialSpec],
    input: &ReviewInput,
    cal: &C,
) -> Result<ReviewOutcome, ReviewError> {
    match &input.jurisdiction {
        Jurisdiction::Competent => {}
        Jurisdiction::NotSubjectToApproval => {
            return Ok(ReviewOutcome::NotAccepted {
                ground: NonAcceptanceGround::NotSubjectToApproval,
                competent_authority: None,
            });
        }
        Jurisdiction::OtherAuthority { name } => {
            let Some(name) = name.as_ref().filter(|n| !n.trim().is_empty()) else {
                return Err(ReviewError::CompetentAuthorityRequired);
            };
            return Ok(ReviewOutcome::NotAccepted {
                ground: NonAcceptanceGround::NotWithinAuthority,
                competent_authority: Some(name.clone()),
            });
        }
    }
    let verdicts = index_verdicts(materials, input)?;
    let commitment = input.commitment.as_ref().filter(|c| c.signed);
    let deferred =
        |key: &str| commitment.is_some_and(|c| c.deferred_materials.iter().any(|k| k == key));

    let mut missing_verdicts = Vec::new();
    let mut deficiencies = Vec::new();
    for m in materials {
        let required = m
            .requirement
            .needed(input.conditions_apply.contains(&m.key));
        let verdict = verdicts.get(m.key.as_str());
        if let Some(v) = verdict {
            check_verdict_shape(m, v, input)?;
        }
        if !required || deferred(&m.key) {
            continue;
        }
        let kind = match verdict {
            None => {
                missing_verdicts.push(m);
                continue;
            }
            Some(MaterialVerdict::Missing) => DeficiencyKind::Missing,
            Some(MaterialVerdict::Nonconforming { reason }) => DeficiencyKind::Nonconforming {
                reason: reason.trim().to_owned(),
            },
            Some(MaterialVerdict::Ok | MaterialVerdict::CorrectedOnSpot { .. }) => continue,
        };
        deficiencies.push(Deficiency {
            key: m.key.clone(),
            name: m.name.clone(),
            kind,
        });
    }
    if !missing_verdicts.is_empty() {
        return Err(ReviewError::MissingVerdicts {
            keys: missing_verdicts.iter().map(|m| m.key.clone()).collect(),
            names: missing_verdicts.iter().map(|m| m.name.clone()).collect(),
        });
    }
    if !deficiencies.is_empty() {
        return Ok(ReviewOutcome::CorrectionRequired { deficiencies });
    }
    if let Some(c) = commitment {
        let follow_up_check =
            cal.add_working_days(input.reviewed_on, c.follow_up_after_working_days)?;
        return Ok(ReviewOutcome::CommitmentDecision {
            follow_up_check,
            deferred_materials: c.deferred_materials.clone(),
        });
    }
    Ok(match input.item_kind {
        ItemKind::Immediate => ReviewOutcome::AcceptAndHandleOnSpot,
        ItemKind::Promised => ReviewOutcome::Accept,
    })
}

/// Verdicts by key, after checking keys: none unknown, none twice, conditions and deferred
/// materials known.
fn index_verdicts<'a>(
    materials: &[MaterialSpec],
    input: &'a ReviewInput,
) -> Result<BTreeMap<&'a str, &'a MaterialVerdict>, ReviewError> {
    let spec = |key: &str| materials.iter().find(|m| m.key == key);
    let unknown: Vec<String> = input
        .verdicts
        .iter()
        .filter(|v| spec(&v.key).is_none())
        .map(|v| v.key.clone())
        .collect();
    if !unknown.is_empty() {
        return Err(ReviewError::UnknownMaterials { keys: unknown });
    }
    let mut index = BTreeMap::new();
    let mut duplicates = Vec::new();
    for v in &input.verdicts {
        if index.insert(v.key.as_str(), &v.verdict).is_some() && !duplicates.contains(&v.key) {
            duplicates.push(v.key.clone());
        }
    }
    if !duplicates.is_empty() {
        return Err(ReviewError::DuplicateVerdicts { keys: duplicates });
    }
    let not_conditional: Vec<String> = input
        .conditions_apply
        .iter()
        .filter(|k| {
            !spec(k)
                .is_some_and(|m| matches!(m.requirement, MaterialRequirement::Conditional { .. }))
        })
        .cloned()
        .collect();
    if !not_conditional.is_empty() {
        return Err(ReviewError::NotConditional {
            keys: not_conditional,
        });
    }
    if let Some(c) = &input.commitment {
        let unknown: Vec<String> = c
            .deferred_materials
            .iter()
            .filter(|k| spec(k).is_none())
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(ReviewError::UnknownDeferredMaterials { keys: unknown });
        }
    }
    Ok(index)
}

fn check_verdict_shape(
    m: &MaterialSpec,
    verdict: &MaterialVerdict,
    input: &ReviewInput,
) -> Result<(), ReviewError> {
    let (key, name) = (m.key.clone(), m.name.clone());
    match verdict {
        MaterialVerdict::Nonconforming { reason } if reason.trim().is_empty() => {
            Err(ReviewError::EmptyReason { key, name })
        }
        MaterialVerdict::CorrectedOnSpot {
            applicant_confirmed: false,
            ..
        } => Err(ReviewError::CorrectionNotConfirmed { key, name }),
        MaterialVerdict::CorrectedOnSpot { corrected_on, .. }
            if *corrected_on > input.reviewed_on =>
        {
            Err(ReviewError::CorrectionDateAfterReview {
                key,
                name,
                corrected_on: *corrected_on,
            })
        }
        MaterialVerdict::CorrectedOnSpot { corrected_on, .. }
            if input
                .received_on
                .is_some_and(|received| *corrected_on < received) =>
        {
            Err(ReviewError::CorrectionDateBeforeReceipt {
                key,
                name,
                corrected_on: *corrected_on,
            })
        }
        _ => Ok(()),
    }
}
