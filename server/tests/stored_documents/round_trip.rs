//! API → store → API is the identity, for any value of every stored document.

use app::api::{
    catalog::{
        CommitmentSpec, Copies, ItemCategory, LimitSpec, Material, MaterialForm, ServiceItem,
        ServiceItemInput,
    },
    inquiries::InquiryOutcome,
    notices::NoticeKind,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use proptest::{option, prelude::*, sample::select};
use rules::{
    BusinessHours, MaterialReview, ReviewOutcome, SpecialProcedure, Stage, StageLimit,
    hours::{Closure, DaySchedule, MonthDay, Season, Session, WeekSchedule, WeekdayOverride},
    review::{
        Deficiency, DeficiencyKind, MaterialRequirement, MaterialVerdict, NonAcceptanceGround,
    },
};
use server::{
    services::notices::{NoticeBody, NoticeData, data::DeficiencyLine},
    store::documents,
};

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,6}"
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(text(), 0..3)
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1990_i32..2100, 1_u32..=365).prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d).unwrap())
}

fn time() -> impl Strategy<Value = NaiveTime> {
    (0_u32..86_400).prop_map(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, 0).unwrap())
}

fn moment() -> impl Strategy<Value = NaiveDateTime> {
    (date(), time()).prop_map(|(d, t)| d.and_time(t))
}

fn requirement() -> impl Strategy<Value = MaterialRequirement> {
    prop_oneof![
        Just(MaterialRequirement::Required),
        text().prop_map(|condition| MaterialRequirement::Conditional { condition }),
        Just(MaterialRequirement::Optional),
    ]
}

fn material() -> impl Strategy<Value = Material> {
    let copies = select(vec![
        Copies::Original,
        Copies::Copy,
        Copies::OriginalAndCopy,
    ]);
    let form = select(vec![
        MaterialForm::Paper,
        MaterialForm::Electronic,
        MaterialForm::PaperOrElectronic,
    ]);
    (
        (text(), text(), copies, any::<u32>()),
        (form, text(), requirement(), option::of(text())),
    )
        .prop_map(
            |((key, name, copies, count), (form, source, requirement, note))| Material {
                key,
                name,
                copies,
                count,
                form,
                source,
                requirement,
                note,
            },
        )
}

fn limit() -> impl Strategy<Value = LimitSpec> {
    prop_oneof![
        any::<u32>().prop_map(|minutes| LimitSpec::Immediate { minutes }),
        (any::<u32>(), any::<u32>()).prop_map(|(working_days, statutory_working_days)| {
            LimitSpec::Promised {
                working_days,
                statutory_working_days,
            }
        }),
    ]
}

fn stage_limits() -> impl Strategy<Value = Vec<StageLimit>> {
    let one =
        (select(Stage::ALL.to_vec()), any::<u32>()).prop_map(|(stage, working_days)| StageLimit {
            stage,
            working_days,
        });
    prop::collection::vec(one, 0..5)
}

fn procedures() -> impl Strategy<Value = Vec<SpecialProcedure>> {
    prop::collection::vec(select(SpecialProcedure::ALL.to_vec()), 0..4)
}

fn commitment() -> impl Strategy<Value = Option<CommitmentSpec>> {
    option::of(
        (texts(), texts(), any::<u32>(), any::<u32>()).prop_map(|(s, d, within, after)| {
            CommitmentSpec {
                standards: s,
                deferred_materials: d,
                deferred_within_working_days: within,
                follow_up_after_working_days: after,
            }
        }),
    )
}

fn item_input() -> impl Strategy<Value = ServiceItemInput> {
    (
        (
            text(),
            text(),
            select(ItemCategory::ALL.to_vec()),
            any::<i64>(),
            text(),
            texts(),
        ),
        (
            prop::collection::vec(material(), 0..3),
            any::<bool>(),
            texts(),
            limit(),
        ),
        (
            stage_limits(),
            procedures(),
            any::<u32>(),
            option::of(text()),
        ),
        (text(), text(), commitment()),
    )
        .prop_map(|(a, b, c, d)| ServiceItemInput {
            code: a.0,
            name: a.1,
            category: a.2,
            unit_id: a.3,
            legal_basis: a.4,
            conditions: a.5,
            materials: b.0,
            no_materials: b.1,
            steps: b.2,
            time_limit: b.3,
            stage_limits: c.0,
            special_procedures: c.1,
            extension_bound_days: c.2,
            fee: c.3,
            place: d.0,
            phone: d.1,
            commitment: d.2,
        })
}

fn case_item() -> impl Strategy<Value = ServiceItem> {
    (item_input(), text(), any::<i64>(), text(), any::<bool>()).prop_map(
        |(i, unit_name, center_id, center_name, active)| ServiceItem {
            code: i.code,
            name: i.name,
            category: i.category,
            unit_id: i.unit_id,
            unit_name,
            center_id,
            center_name,
            legal_basis: i.legal_basis,
            conditions: i.conditions,
            materials: i.materials,
            no_materials: i.no_materials,
            steps: i.steps,
            time_limit: i.time_limit,
            stage_limits: i.stage_limits,
            special_procedures: i.special_procedures,
            extension_bound_days: i.extension_bound_days,
            fee: i.fee,
            place: i.place,
            phone: i.phone,
            commitment: i.commitment,
            active,
        },
    )
}

fn day_schedule() -> impl Strategy<Value = DaySchedule> {
    let session = (time(), time()).prop_map(|(start, end)| Session { start, end });
    prop::collection::vec(session, 0..3).prop_map(|sessions| DaySchedule { sessions })
}

fn week() -> impl Strategy<Value = WeekSchedule> {
    let weekday = select(vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]);
    let one = (weekday, day_schedule())
        .prop_map(|(weekday, schedule)| WeekdayOverride { weekday, schedule });
    (day_schedule(), prop::collection::vec(one, 0..3)).prop_map(|(working_day, overrides)| {
        WeekSchedule {
            working_day,
            overrides,
        }
    })
}

fn hours() -> impl Strategy<Value = BusinessHours> {
    let month_day = (any::<u32>(), any::<u32>()).prop_map(|(month, day)| MonthDay { month, day });
    let season =
        (text(), month_day.clone(), month_day, week()).prop_map(|(name, from, to, schedule)| {
            Season {
                name,
                from,
                to,
                schedule,
            }
        });
    let closure = (date(), text()).prop_map(|(date, reason)| Closure { date, reason });
    (
        week(),
        prop::collection::vec(season, 0..3),
        prop::collection::vec(closure, 0..3),
    )
        .prop_map(|(regular, seasons, closures)| BusinessHours {
            regular,
            seasons,
            closures,
        })
}

fn verdicts() -> impl Strategy<Value = Vec<MaterialReview>> {
    let verdict = prop_oneof![
        Just(MaterialVerdict::Ok),
        Just(MaterialVerdict::Missing),
        text().prop_map(|reason| MaterialVerdict::Nonconforming { reason }),
        (any::<bool>(), date()).prop_map(|(applicant_confirmed, corrected_on)| {
            MaterialVerdict::CorrectedOnSpot {
                applicant_confirmed,
                corrected_on,
            }
        }),
    ];
    let one = (text(), verdict).prop_map(|(key, verdict)| MaterialReview { key, verdict });
    prop::collection::vec(one, 0..4)
}

fn review_outcome() -> impl Strategy<Value = ReviewOutcome> {
    let kind = prop_oneof![
        Just(DeficiencyKind::Missing),
        text().prop_map(|reason| DeficiencyKind::Nonconforming { reason }),
    ];
    let deficiency =
        (text(), text(), kind).prop_map(|(key, name, kind)| Deficiency { key, name, kind });
    let ground = select(vec![
        NonAcceptanceGround::NotSubjectToApproval,
        NonAcceptanceGround::NotWithinAuthority,
    ]);
    prop_oneof![
        Just(ReviewOutcome::Accept),
        Just(ReviewOutcome::AcceptAndHandleOnSpot),
        prop::collection::vec(deficiency, 0..3)
            .prop_map(|deficiencies| ReviewOutcome::CorrectionRequired { deficiencies }),
        (ground, option::of(text())).prop_map(|(ground, competent_authority)| {
            ReviewOutcome::NotAccepted {
                ground,
                competent_authority,
            }
        }),
        (date(), texts()).prop_map(|(follow_up_check, deferred_materials)| {
            ReviewOutcome::CommitmentDecision {
                follow_up_check,
                deferred_materials,
            }
        }),
    ]
}

fn inquiry_outcome() -> impl Strategy<Value = InquiryOutcome> {
    prop_oneof![
        text().prop_map(|note| InquiryOutcome::HandledOnSpot { note }),
        text().prop_map(|item_code| InquiryOutcome::GuideGiven { item_code }),
        (any::<i64>(), option::of(any::<i64>()), option::of(text())).prop_map(
            |(unit_id, window_id, note)| InquiryOutcome::InternalReferral {
                unit_id,
                window_id,
                note,
            }
        ),
        (text(), text(), text()).prop_map(|(agency, address, phone)| {
            InquiryOutcome::ExternalReferral {
                agency,
                address,
                phone,
            }
        }),
        text().prop_map(|question| InquiryOutcome::Escalation { question }),
        any::<i64>().prop_map(|case_id| InquiryOutcome::BecameCase { case_id }),
    ]
}

fn notice_body() -> impl Strategy<Value = NoticeBody> {
    let line =
        (text(), text()).prop_map(|(material, problem)| DeficiencyLine { material, problem });
    prop_oneof![
        (
            date(),
            text(),
            option::of(moment()),
            any::<bool>(),
            any::<bool>(),
            option::of(moment()),
            prop::collection::vec(
                prop::sample::select(rules::SpecialProcedure::ALL.to_vec()),
                0..3
            )
        )
            .prop_map(
                |(
                    accepted_on,
                    limit_label,
                    due,
                    due_provisional,
                    deemed,
                    corrected,
                    procedures,
                )| {
                    NoticeBody::Acceptance {
                        accepted_on,
                        limit_label,
                        due,
                        due_provisional,
                        deemed,
                        clock_from_correction: corrected.map(|m| m.date()),
                        special_procedures: procedures,
                        // The two later fields, both ways, from values drawn above.
                        in_minutes: due_provisional,
                        drawn_up_at: corrected,
                    }
                }
            ),
        (
            prop::collection::vec(line, 0..3),
            option::of(text()),
            any::<bool>()
        )
            .prop_map(|(deficiencies, exception_reason, in_minutes)| {
                NoticeBody::Correction {
                    deficiencies,
                    exception_reason,
                    in_minutes,
                }
            }),
        (text(), option::of(text())).prop_map(|(ground, competent_authority)| {
            NoticeBody::NonAcceptance {
                ground,
                competent_authority,
            }
        }),
        (date(), text()).prop_map(|(decided_on, content)| NoticeBody::Approval {
            decided_on,
            content
        }),
        (date(), text()).prop_map(|(decided_on, reasons)| NoticeBody::Denial {
            decided_on,
            reasons
        }),
        (
            (texts(), texts(), any::<u32>(), date()),
            (option::of(text()), option::of(date()))
        )
            .prop_map(|((s, d, within, check), (basis, by))| {
                NoticeBody::Commitment {
                    standards: s,
                    deferred_materials: d,
                    deferred_within_working_days: within,
                    follow_up_check_on: check,
                    legal_basis: basis,
                    deferred_by: by,
                }
            }),
        (text(), text(), date(), option::of(any::<u32>())).prop_map(
            |(procedure, reason, start_date, expected_working_days)| NoticeBody::Suspension {
                procedure,
                reason,
                start_date,
                expected_working_days,
            },
        ),
        (any::<u32>(), text(), option::of(moment()), any::<bool>()).prop_map(
            |(days, reason, new_due, new_due_provisional)| NoticeBody::Extension {
                days,
                reason,
                new_due,
                new_due_provisional,
            }
        ),
    ]
}

fn notice() -> impl Strategy<Value = NoticeData> {
    (
        (
            select(NoticeKind::ALL.to_vec()),
            text(),
            text(),
            date(),
            any::<bool>(),
        ),
        (text(), text(), text(), text(), text()),
        (text(), text(), text(), date(), notice_body()),
    )
        .prop_map(|(a, b, c)| NoticeData {
            kind: a.0,
            number: a.1,
            title: a.2,
            issued_on: a.3,
            licensing: a.4,
            unit_name: b.0,
            center_name: b.1,
            center_address: b.2,
            center_phone: b.3,
            applicant_name: b.4,
            case_number: c.0,
            item_code: c.1,
            item_name: c.2,
            received_on: c.3,
            body: c.4,
        })
}

proptest! {
    #[test]
    fn an_item_definition_comes_back_from_the_store_unchanged(item in item_input()) {
        let stored = documents::item_definition_json(&item).unwrap();
        prop_assert_eq!(documents::item_definition(&stored).unwrap(), item);
    }

    #[test]
    fn a_case_item_snapshot_comes_back_from_the_store_unchanged(item in case_item()) {
        let stored = documents::case_item_json(&item).unwrap();
        prop_assert_eq!(documents::case_item(&stored).unwrap(), item.clone());
        let head = documents::case_item_head(&stored).unwrap();
        prop_assert_eq!(head.name, item.name);
        prop_assert_eq!(head.time_limit, item.time_limit);
    }

    #[test]
    fn business_hours_come_back_from_the_store_unchanged(hours in hours()) {
        let stored = documents::business_hours_json(&hours).unwrap();
        prop_assert_eq!(documents::business_hours(&stored).unwrap(), hours);
    }

    #[test]
    fn review_verdicts_come_back_from_the_store_unchanged(verdicts in verdicts()) {
        let stored = documents::review_verdicts_json(&verdicts).unwrap();
        prop_assert_eq!(documents::review_verdicts(&stored).unwrap(), verdicts);
    }

    #[test]
    fn a_review_outcome_comes_back_from_the_store_unchanged(outcome in review_outcome()) {
        let stored = documents::review_outcome_json(&outcome).unwrap();
        prop_assert_eq!(documents::review_outcome(&stored).unwrap(), outcome);
    }

    #[test]
    fn an_inquiry_outcome_comes_back_from_the_store_unchanged(outcome in inquiry_outcome()) {
        let stored = documents::inquiry_outcome_json(&outcome).unwrap();
        prop_assert_eq!(documents::inquiry_outcome(&stored).unwrap(), outcome);
    }

    #[test]
    fn notice_data_comes_back_from_the_store_unchanged(data in notice()) {
        let stored = data.to_stored().unwrap();
        prop_assert_eq!(NoticeData::from_stored(&stored).unwrap(), data);
    }

    #[test]
    fn a_list_comes_back_from_the_store_unchanged(
        keys in texts(),
        days in prop::collection::vec(any::<u32>(), 0..4),
        ids in prop::collection::vec(any::<i64>(), 0..4),
    ) {
        let stored = documents::list_json(&keys).unwrap();
        prop_assert_eq!(documents::list::<String>(&stored).unwrap(), keys);
        let stored = documents::list_json(&days).unwrap();
        prop_assert_eq!(documents::list::<u32>(&stored).unwrap(), days);
        let stored = documents::list_json(&ids).unwrap();
        prop_assert_eq!(documents::list::<i64>(&stored).unwrap(), ids);
    }
}
