//! Acceptance review of a food business licence (食品经营许可) application.

use chrono::NaiveDate;

use super::*;
use crate::calendar::{CalendarError, WorkCalendar};

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn spec(key: &str, name: &str, requirement: MaterialRequirement) -> MaterialSpec {
    MaterialSpec {
        key: key.into(),
        name: name.into(),
        requirement,
    }
}

fn materials() -> Vec<MaterialSpec> {
    vec![
        spec(
            "application_form",
            "食品经营许可申请书",
            MaterialRequirement::Required,
        ),
        spec(
            "business_license",
            "营业执照复印件",
            MaterialRequirement::Required,
        ),
        spec(
            "id_card",
            "法定代表人身份证明",
            MaterialRequirement::Required,
        ),
        spec(
            "power_of_attorney",
            "授权委托书",
            MaterialRequirement::Conditional {
                condition: "委托他人办理的".into(),
            },
        ),
        spec(
            "floor_plan",
            "经营场所平面图",
            MaterialRequirement::Optional,
        ),
    ]
}

fn verdict(key: &str, verdict: MaterialVerdict) -> MaterialReview {
    MaterialReview {
        key: key.into(),
        verdict,
    }
}

fn all_ok() -> Vec<MaterialReview> {
    ["application_form", "business_license", "id_card"]
        .iter()
        .map(|k| verdict(k, MaterialVerdict::Ok))
        .collect()
}

fn input(verdicts: Vec<MaterialReview>) -> ReviewInput {
    ReviewInput {
        verdicts,
        conditions_apply: Vec::new(),
        jurisdiction: Jurisdiction::Competent,
        item_kind: ItemKind::Promised,
        commitment: None,
        reviewed_on: d("2025-09-30"),
        received_on: Some(d("2025-09-29")),
    }
}

fn run(input: &ReviewInput) -> Result<ReviewOutcome, ReviewError> {
    review(&materials(), input, &WorkCalendar::shipped())
}

fn nonconforming(reason: &str) -> MaterialVerdict {
    MaterialVerdict::Nonconforming {
        reason: reason.into(),
    }
}

#[test]
fn complete_and_lawful_materials_are_accepted_at_once() {
    assert_eq!(run(&input(all_ok())), Ok(ReviewOutcome::Accept));
}

#[test]
fn a_complete_immediate_item_is_handled_on_the_spot() {
    let mut i = input(all_ok());
    i.item_kind = ItemKind::Immediate;
    assert_eq!(run(&i), Ok(ReviewOutcome::AcceptAndHandleOnSpot));
}

#[test]
fn a_correction_on_the_spot_confirmed_by_the_applicant_counts_as_complete() {
    let mut v = all_ok();
    v[0].verdict = MaterialVerdict::CorrectedOnSpot {
        applicant_confirmed: true,
        corrected_on: d("2025-09-30"),
    };
    assert_eq!(run(&input(v)), Ok(ReviewOutcome::Accept));
}

#[test]
fn every_deficiency_is_listed_at_once_in_material_order() {
    let v = vec![
        verdict("id_card", nonconforming("复印件不清晰")),
        verdict("application_form", MaterialVerdict::Missing),
        verdict("business_license", MaterialVerdict::Ok),
    ];
    let outcome = run(&input(v)).unwrap();
    let ReviewOutcome::CorrectionRequired { deficiencies } = &outcome else {
        panic!("expected a correction notice, got {outcome:?}");
    };
    assert_eq!(
        deficiencies,
        &vec![
            Deficiency {
                key: "application_form".into(),
                name: "食品经营许可申请书".into(),
                kind: DeficiencyKind::Missing,
            },
            Deficiency {
                key: "id_card".into(),
                name: "法定代表人身份证明".into(),
                kind: DeficiencyKind::Nonconforming {
                    reason: "复印件不清晰".into()
                },
            },
        ]
    );
    assert_eq!(
        deficiencies[0].line_zh(),
        "食品经营许可申请书：缺少，请补交"
    );
    assert_eq!(
        deficiencies[1].line_zh(),
        "法定代表人身份证明：不符合法定形式（复印件不清晰），请补正"
    );
    // The applicant's lookup tells the same, reason included.
    assert_eq!(
        deficiencies[1].todo_zh(),
        "法定代表人身份证明（不符合法定形式：复印件不清晰，请补正）"
    );
    assert_eq!(outcome.label_zh(), "一次性告知补正");
}

#[test]
fn a_missing_verdict_for_a_required_material_is_an_error_not_an_acceptance() {
    let v = vec![verdict("application_form", MaterialVerdict::Ok)];
    let e = run(&input(v)).unwrap_err();
    assert_eq!(
        e,
        ReviewError::MissingVerdicts {
            keys: vec!["business_license".into(), "id_card".into()],
            names: vec!["营业执照复印件".into(), "法定代表人身份证明".into()],
        }
    );
    assert_eq!(
        e.message_zh(),
        "以下必需材料尚未作出审查结论：营业执照复印件、法定代表人身份证明"
    );
}

#[test]
fn a_conditional_material_is_required_only_when_its_condition_applies() {
    assert_eq!(run(&input(all_ok())), Ok(ReviewOutcome::Accept));
    let mut i = input(all_ok());
    i.conditions_apply = vec!["power_of_attorney".into()];
    assert_eq!(run(&i).unwrap_err().code(), "missing_verdicts");
    i.verdicts
        .push(verdict("power_of_attorney", MaterialVerdict::Missing));
    assert_eq!(run(&i).unwrap().code(), "correction_required");
}

#[test]
fn an_optional_or_inapplicable_material_never_blocks_acceptance() {
    let mut v = all_ok();
    v.push(verdict("floor_plan", MaterialVerdict::Missing));
    v.push(verdict("power_of_attorney", nonconforming("未签字")));
    assert_eq!(run(&input(v)), Ok(ReviewOutcome::Accept));
}

#[test]
fn a_verdict_for_a_material_the_item_does_not_list_is_an_error() {
    let mut v = all_ok();
    v.push(verdict("tax_certificate", MaterialVerdict::Ok));
    assert_eq!(
        run(&input(v)),
        Err(ReviewError::UnknownMaterials {
            keys: vec!["tax_certificate".into()]
        })
    );
}

#[test]
fn two_verdicts_for_one_material_are_an_error() {
    let mut v = all_ok();
    v.push(verdict("id_card", MaterialVerdict::Missing));
    assert_eq!(run(&input(v)).unwrap_err().code(), "duplicate_verdicts");
}

#[test]
fn a_nonconforming_verdict_needs_a_reason() {
    let mut v = all_ok();
    v[1].verdict = nonconforming("  ");
    assert_eq!(
        run(&input(v)).unwrap_err().message_zh(),
        "材料“营业执照复印件”不符合法定形式，须写明原因"
    );
}

#[test]
fn a_correction_on_the_spot_needs_the_applicants_confirmation() {
    let mut v = all_ok();
    v[2].verdict = MaterialVerdict::CorrectedOnSpot {
        applicant_confirmed: false,
        corrected_on: d("2025-09-30"),
    };
    assert_eq!(
        run(&input(v)).unwrap_err().code(),
        "correction_not_confirmed"
    );
}

#[test]
fn a_correction_dated_before_the_application_came_in_is_an_error() {
    let mut v = all_ok();
    v[2].verdict = MaterialVerdict::CorrectedOnSpot {
        applicant_confirmed: true,
        corrected_on: d("2020-01-01"),
    };
    assert_eq!(
        run(&input(v)).unwrap_err().code(),
        "correction_date_before_receipt"
    );
    let mut v = all_ok();
    v[2].verdict = MaterialVerdict::CorrectedOnSpot {
        applicant_confirmed: true,
        corrected_on: d("2025-09-29"),
    };
    assert!(run(&input(v)).is_ok(), "the day of receipt itself is fine");
}

#[test]
fn a_correction_dated_after_the_review_is_an_error() {
    let mut v = all_ok();
    v[2].verdict = MaterialVerdict::CorrectedOnSpot {
        applicant_confirmed: true,
        corrected_on: d("2025-10-01"),
    };
    assert_eq!(
        run(&input(v)).unwrap_err().code(),
        "correction_date_after_review"
    );
}

#[test]
fn a_matter_needing_no_approval_is_not_accepted_without_naming_an_authority() {
    let mut i = input(Vec::new());
    i.jurisdiction = Jurisdiction::NotSubjectToApproval;
    assert_eq!(
        run(&i),
        Ok(ReviewOutcome::NotAccepted {
            ground: NonAcceptanceGround::NotSubjectToApproval,
            competent_authority: None
        })
    );
}

#[test]
fn a_matter_of_another_authority_is_not_accepted_and_names_it() {
    let mut i = input(Vec::new());
    i.jurisdiction = Jurisdiction::OtherAuthority {
        name: Some("银川市市场监督管理局".into()),
    };
    let outcome = run(&i).unwrap();
    assert_eq!(
        outcome,
        ReviewOutcome::NotAccepted {
            ground: NonAcceptanceGround::NotWithinAuthority,
            competent_authority: Some("银川市市场监督管理局".into())
        }
    );
    // Without the authority's name the applicant would not know where to apply (第三十二条第一款
    // 第（二）项): refused, blank or missing alike.
    i.jurisdiction = Jurisdiction::OtherAuthority {
        name: Some(" ".into()),
    };
    assert_eq!(run(&i), Err(ReviewError::CompetentAuthorityRequired));
    i.jurisdiction = Jurisdiction::OtherAuthority { name: None };
    assert_eq!(run(&i), Err(ReviewError::CompetentAuthorityRequired));
    assert_eq!(
        NonAcceptanceGround::NotWithinAuthority.label_zh(),
        "申请事项依法不属于本行政机关职权范围"
    );
}

fn commitment(signed: bool) -> CommitmentTerms {
    CommitmentTerms {
        signed,
        follow_up_after_working_days: 20,
        deferred_materials: vec!["id_card".into()],
    }
}

#[test]
fn a_signed_commitment_gives_the_decision_at_once_with_a_follow_up_check() {
    let mut i = input(
        all_ok()
            .into_iter()
            .filter(|v| v.key != "id_card")
            .collect(),
    );
    i.commitment = Some(commitment(true));
    // 20 working days after 2025-09-30 across National Day (10-09 is the first).
    assert_eq!(
        run(&i),
        Ok(ReviewOutcome::CommitmentDecision {
            follow_up_check: d("2025-11-04"),
            deferred_materials: vec!["id_card".into()]
        })
    );
}

#[test]
fn an_unsigned_commitment_is_reviewed_like_any_application() {
    let mut i = input(all_ok());
    i.verdicts[2].verdict = MaterialVerdict::Missing;
    i.commitment = Some(commitment(false));
    assert_eq!(run(&i).unwrap().code(), "correction_required");
}

#[test]
fn a_commitment_does_not_excuse_materials_it_does_not_defer() {
    let mut i = input(all_ok());
    i.verdicts[0].verdict = MaterialVerdict::Missing;
    i.commitment = Some(commitment(true));
    assert_eq!(run(&i).unwrap().code(), "correction_required");
}

#[test]
fn a_follow_up_check_in_a_year_not_held_is_an_error() {
    let mut i = input(all_ok());
    i.reviewed_on = d("2026-12-10");
    i.commitment = Some(commitment(true));
    assert_eq!(
        run(&i),
        Err(ReviewError::Calendar(CalendarError::CalendarYearUnknown(
            2027
        )))
    );
}

#[test]
fn conditions_and_deferred_materials_must_name_listed_materials() {
    let mut i = input(all_ok());
    i.conditions_apply = vec!["id_card".into()];
    assert_eq!(run(&i).unwrap_err().code(), "not_conditional");
    let mut i = input(all_ok());
    let mut c = commitment(true);
    c.deferred_materials = vec!["tax_certificate".into()];
    i.commitment = Some(c);
    assert_eq!(run(&i).unwrap_err().code(), "unknown_deferred_materials");
}

#[test]
fn verdicts_have_chinese_labels() {
    assert_eq!(MaterialVerdict::Missing.label_zh(), "缺少");
    assert_eq!(nonconforming("x").code(), "nonconforming");
}

#[test]
fn a_misspelt_field_inside_a_review_or_the_hours_is_refused_not_silently_dropped() {
    // `competent_authority` for `name` issued a 不予受理通知书 naming no authority.
    let misspelt = r#"{"kind": "other_authority", "competent_authority": "区税务局"}"#;
    assert!(serde_json::from_str::<Jurisdiction>(misspelt).is_err());
    let extra = r#"{"kind": "other_authority", "name": "区税务局", "zzz": 1}"#;
    assert!(serde_json::from_str::<Jurisdiction>(extra).is_err());
    let right = r#"{"kind": "other_authority", "name": "区税务局"}"#;
    assert!(serde_json::from_str::<Jurisdiction>(right).is_ok());
    let verdict = r#"{"key": "id_card", "verdict": {"verdict": "ok"}, "zzz": 1}"#;
    assert!(serde_json::from_str::<MaterialReview>(verdict).is_err());
    // `closure` for `closures` lost a closed day.
    let hours = crate::BusinessHours::district_hall_default();
    let mut json = serde_json::to_value(&hours).unwrap();
    json["closure"] = serde_json::json!([]);
    assert!(serde_json::from_value::<crate::BusinessHours>(json).is_err());
}
