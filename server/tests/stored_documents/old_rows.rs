//! Rows written before the store had types of its own read to the values they were written from,
//! checked field by field against values written out here (never against the fixture itself).

use app::api::{
    catalog::{
        CommitmentSpec, Copies, ItemCategory, LimitSpec, Material, MaterialForm, ServiceItem,
        ServiceItemInput,
    },
    inquiries::InquiryOutcome,
    notices::NoticeKind,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
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

use super::fixtures::{load, stored};

fn s(text: &str) -> String {
    text.to_string()
}

fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| s(t)).collect()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

fn session(from: (u32, u32), to: (u32, u32)) -> Session {
    let t = |(h, m): (u32, u32)| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    Session {
        start: t(from),
        end: t(to),
    }
}

fn stages(limits: &[(Stage, u32)]) -> Vec<StageLimit> {
    limits
        .iter()
        .map(|&(stage, working_days)| StageLimit {
            stage,
            working_days,
        })
        .collect()
}

/// The materials of the sample licensing item: one of each requirement, copies and form.
fn sample_materials() -> Vec<Material> {
    vec![
        Material {
            key: s("form"),
            name: s("申请表"),
            copies: Copies::Original,
            count: 1,
            form: MaterialForm::Paper,
            source: s("窗口领取"),
            requirement: MaterialRequirement::Required,
            note: Some(s("须法定代表人签字")),
        },
        Material {
            key: s("lease"),
            name: s("场所租赁合同"),
            copies: Copies::Copy,
            count: 2,
            form: MaterialForm::Electronic,
            source: s("申请人自备"),
            requirement: MaterialRequirement::Conditional {
                condition: s("经营场所为租赁"),
            },
            note: None,
        },
        Material {
            key: s("photos"),
            name: s("场所照片"),
            copies: Copies::OriginalAndCopy,
            count: 3,
            form: MaterialForm::PaperOrElectronic,
            source: s("申请人自备"),
            requirement: MaterialRequirement::Optional,
            note: None,
        },
    ]
}

fn sample_stage_limits() -> Vec<StageLimit> {
    use Stage::*;
    stages(&[(Acceptance, 1), (Review, 4), (Decision, 2), (Delivery, 1)])
}

fn sample_commitment() -> Option<CommitmentSpec> {
    Some(CommitmentSpec {
        standards: strings(&["符合卫生标准"]),
        deferred_materials: strings(&["photos"]),
        deferred_within_working_days: 20,
        follow_up_after_working_days: 30,
    })
}

#[test]
fn a_stored_item_definition_reads_field_by_field() {
    let json = stored(
        "item_definition",
        "service_item.definition",
        "640106-XK-0901",
    );
    let item = documents::item_definition(&json).unwrap();
    let expected = ServiceItemInput {
        code: s("640106-XK-0901"),
        name: s("样例许可事项"),
        category: ItemCategory::Licensing,
        unit_id: 1,
        legal_basis: s("《样例条例》第三条"),
        conditions: strings(&["具有固定经营场所", "从业人员持有健康证明"]),
        materials: sample_materials(),
        no_materials: false,
        steps: strings(&["申请", "受理", "审查", "决定", "送达"]),
        time_limit: LimitSpec::Promised {
            working_days: 8,
            statutory_working_days: 20,
        },
        stage_limits: sample_stage_limits(),
        special_procedures: vec![
            SpecialProcedure::Hearing,
            SpecialProcedure::OnSiteVerification,
        ],
        extension_bound_days: 10,
        fee: Some(s("每件 50 元（《样例收费办法》）")),
        place: s("A01 窗口"),
        phone: s("0951-6888201"),
        commitment: sample_commitment(),
    };
    assert_eq!(item, expected);

    let json = stored(
        "item_definition",
        "service_item.definition",
        "640106-GG-0902",
    );
    let item = documents::item_definition(&json).unwrap();
    let expected = ServiceItemInput {
        code: s("640106-GG-0902"),
        name: s("样例公共服务"),
        category: ItemCategory::PublicService,
        unit_id: 1,
        legal_basis: s("《样例办法》第五条"),
        conditions: Vec::new(),
        materials: Vec::new(),
        no_materials: true,
        steps: strings(&["现场办理"]),
        time_limit: LimitSpec::Immediate { minutes: 30 },
        stage_limits: Vec::new(),
        special_procedures: Vec::new(),
        extension_bound_days: 0,
        fee: None,
        place: s("A02 窗口"),
        phone: s("0951-6888202"),
        commitment: None,
    };
    assert_eq!(item, expected);
}

#[test]
fn a_stored_demo_item_reads_its_limits_materials_and_procedures() {
    let json = stored(
        "item_definition",
        "service_item.definition",
        "640106-XK-0001",
    );
    let item = documents::item_definition(&json).unwrap();
    assert_eq!(item.name, "食品经营许可（新办）");
    assert_eq!(item.category, ItemCategory::Licensing);
    assert_eq!(item.conditions.len(), 5);
    assert_eq!(
        item.time_limit,
        LimitSpec::Promised {
            working_days: 5,
            statutory_working_days: 10
        }
    );
    use Stage::*;
    assert_eq!(
        item.stage_limits,
        stages(&[(Acceptance, 1), (Review, 2), (Decision, 1), (Delivery, 1)])
    );
    assert_eq!(
        item.special_procedures,
        [SpecialProcedure::OnSiteVerification]
    );
    assert_eq!(item.extension_bound_days, 5);
    assert_eq!((item.fee, item.commitment), (None, None));
    let keys: Vec<&str> = item.materials.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "application_form",
            "business_license",
            "id_card",
            "layout_docs",
            "safety_rules",
            "vending_machine",
            "proxy"
        ]
    );
    let license = &item.materials[1];
    assert_eq!(
        (license.copies, license.form, license.count),
        (Copies::Copy, MaterialForm::PaperOrElectronic, 1)
    );
    assert_eq!(
        license.note.as_deref(),
        Some("已在本局登记的，窗口通过系统共享核验，可不再提交")
    );
    assert_eq!(
        item.materials[5].requirement,
        MaterialRequirement::Conditional {
            condition: s("利用自动售货设备从事食品销售")
        }
    );
    assert_eq!(item.materials[5].copies, Copies::OriginalAndCopy);
}

#[test]
fn a_stored_case_item_snapshot_reads_field_by_field() {
    let json = stored("case_item", "cases.item_snapshot", "2026-01-00001");
    let expected = ServiceItem {
        code: s("640106-XK-0901"),
        name: s("样例许可事项"),
        category: ItemCategory::Licensing,
        unit_id: 1,
        unit_name: s("区市场监督管理局"),
        center_id: 1,
        center_name: s("金凤区政务服务中心"),
        legal_basis: s("《样例条例》第三条"),
        conditions: strings(&["具有固定经营场所", "从业人员持有健康证明"]),
        materials: sample_materials(),
        no_materials: false,
        steps: strings(&["申请", "受理", "审查", "决定", "送达"]),
        time_limit: LimitSpec::Promised {
            working_days: 8,
            statutory_working_days: 20,
        },
        stage_limits: sample_stage_limits(),
        special_procedures: vec![
            SpecialProcedure::Hearing,
            SpecialProcedure::OnSiteVerification,
        ],
        extension_bound_days: 10,
        fee: Some(s("每件 50 元（《样例收费办法》）")),
        place: s("A01 窗口"),
        phone: s("0951-6888201"),
        commitment: sample_commitment(),
        active: true,
    };
    assert_eq!(documents::case_item(&json).unwrap(), expected);

    let json = stored("case_item", "cases.item_snapshot", "2026-01-00002");
    let expected = ServiceItem {
        code: s("640106-GG-0902"),
        name: s("样例公共服务"),
        category: ItemCategory::PublicService,
        unit_id: 1,
        unit_name: s("区市场监督管理局"),
        center_id: 1,
        center_name: s("金凤区政务服务中心"),
        legal_basis: s("《样例办法》第五条"),
        conditions: Vec::new(),
        materials: Vec::new(),
        no_materials: true,
        steps: strings(&["现场办理"]),
        time_limit: LimitSpec::Immediate { minutes: 30 },
        stage_limits: Vec::new(),
        special_procedures: Vec::new(),
        extension_bound_days: 0,
        fee: None,
        place: s("A02 窗口"),
        phone: s("0951-6888202"),
        commitment: None,
        active: true,
    };
    assert_eq!(documents::case_item(&json).unwrap(), expected);
}

#[test]
fn a_case_list_reads_the_same_name_and_time_limit_from_every_stored_snapshot_as_the_whole_read() {
    let rows = load("case_item");
    for row in rows.iter().filter(|r| r.column == "cases.item_snapshot") {
        let whole = documents::case_item(&row.stored).unwrap();
        let head = documents::case_item_head(&row.stored).unwrap();
        assert_eq!(head.name, whole.name, "row {}", row.row);
        assert_eq!(head.time_limit, whole.time_limit, "row {}", row.row);
    }
}

fn hours(name: &str) -> BusinessHours {
    let json = stored("business_hours", "service_center.business_hours", name);
    documents::business_hours(&json).unwrap()
}

fn week(sessions: Vec<Session>, overrides: Vec<WeekdayOverride>) -> WeekSchedule {
    WeekSchedule {
        working_day: DaySchedule { sessions },
        overrides,
    }
}

#[test]
fn stored_business_hours_read_field_by_field() {
    assert_eq!(
        hours("金凤区政务服务中心"),
        BusinessHours {
            regular: week(
                vec![session((9, 0), (12, 0)), session((13, 0), (17, 0))],
                vec![]
            ),
            seasons: Vec::new(),
            closures: Vec::new(),
        }
    );
    assert_eq!(
        hours("良田镇民生服务中心"),
        BusinessHours {
            regular: week(
                vec![session((8, 30), (12, 0)), session((14, 0), (17, 30))],
                vec![]
            ),
            seasons: vec![Season {
                name: s("夏季作息"),
                from: MonthDay { month: 5, day: 1 },
                to: MonthDay { month: 9, day: 30 },
                schedule: week(
                    vec![session((8, 30), (12, 0)), session((14, 30), (18, 0))],
                    vec![]
                ),
            }],
            closures: Vec::new(),
        }
    );
    let friday = WeekdayOverride {
        weekday: Weekday::Fri,
        schedule: DaySchedule {
            sessions: vec![session((8, 30), (12, 0))],
        },
    };
    let wednesday_closed = WeekdayOverride {
        weekday: Weekday::Wed,
        schedule: DaySchedule { sessions: vec![] },
    };
    assert_eq!(
        hours("样例街道民生服务中心"),
        BusinessHours {
            regular: week(
                vec![session((8, 30), (12, 0)), session((14, 0), (17, 30))],
                vec![friday]
            ),
            seasons: vec![Season {
                name: s("冬季作息"),
                from: MonthDay { month: 11, day: 1 },
                to: MonthDay { month: 2, day: 28 },
                schedule: week(
                    vec![session((9, 0), (12, 0)), session((13, 30), (17, 0))],
                    vec![wednesday_closed]
                ),
            }],
            closures: vec![
                Closure {
                    date: day(2026, 4, 20),
                    reason: s("线路检修停电"),
                },
                Closure {
                    date: day(2026, 6, 1),
                    reason: s("消防演练"),
                },
            ],
        }
    );
}

fn verdicts(row: &str) -> Vec<MaterialReview> {
    let json = stored("review_verdicts", "case_review.verdicts", row);
    documents::review_verdicts(&json).unwrap()
}

fn verdict(key: &str, verdict: MaterialVerdict) -> MaterialReview {
    MaterialReview {
        key: s(key),
        verdict,
    }
}

#[test]
fn stored_review_verdicts_read_field_by_field() {
    use MaterialVerdict::*;
    assert_eq!(verdicts("1"), []);
    assert_eq!(
        verdicts("2"),
        [
            verdict("application_form", Ok),
            verdict("business_license", Ok),
            verdict("layout_docs", Ok),
            verdict("safety_rules", Ok),
            verdict(
                "id_card",
                CorrectedOnSpot {
                    applicant_confirmed: true,
                    corrected_on: day(2026, 3, 4),
                }
            ),
        ]
    );
    assert_eq!(
        verdicts("3"),
        [
            verdict("application_form", Ok),
            verdict("id_card", Ok),
            verdict("safety_rules", Ok),
            verdict("business_license", Missing),
            verdict(
                "layout_docs",
                Nonconforming {
                    reason: s("布局图未标注清洗消毒区"),
                }
            ),
        ]
    );
}

fn outcome(row: &str) -> ReviewOutcome {
    let json = stored("review_outcome", "case_review.outcome_detail", row);
    documents::review_outcome(&json).unwrap()
}

#[test]
fn stored_review_outcomes_read_field_by_field() {
    assert_eq!(outcome("1"), ReviewOutcome::AcceptAndHandleOnSpot);
    assert_eq!(outcome("2"), ReviewOutcome::Accept);
    assert_eq!(
        outcome("3"),
        ReviewOutcome::CorrectionRequired {
            deficiencies: vec![
                Deficiency {
                    key: s("business_license"),
                    name: s("营业执照或者其他主体资格证明文件"),
                    kind: DeficiencyKind::Missing,
                },
                Deficiency {
                    key: s("layout_docs"),
                    name: s("与食品经营相适应的主要设备设施、经营布局、操作流程等文件"),
                    kind: DeficiencyKind::Nonconforming {
                        reason: s("布局图未标注清洗消毒区"),
                    },
                },
            ],
        }
    );
    assert_eq!(
        outcome("5"),
        ReviewOutcome::NotAccepted {
            ground: NonAcceptanceGround::NotWithinAuthority,
            competent_authority: Some(s("银川市兴庆区市场监督管理局")),
        }
    );
    assert_eq!(
        outcome("6"),
        ReviewOutcome::NotAccepted {
            ground: NonAcceptanceGround::NotSubjectToApproval,
            competent_authority: None,
        }
    );
    assert_eq!(
        outcome("7"),
        ReviewOutcome::CommitmentDecision {
            follow_up_check: day(2026, 4, 7),
            deferred_materials: strings(&["premises_proof"]),
        }
    );
}

fn inquiry(topic: &str) -> InquiryOutcome {
    let json = stored("inquiry_outcome", "inquiry.outcome_detail", topic);
    documents::inquiry_outcome(&json).unwrap()
}

#[test]
fn stored_inquiry_outcomes_read_field_by_field() {
    assert_eq!(
        inquiry("营业执照遗失怎么办"),
        InquiryOutcome::HandledOnSpot {
            note: s("告知登报声明后补领")
        }
    );
    assert_eq!(
        inquiry("开饭馆需要办什么证"),
        InquiryOutcome::GuideGiven {
            item_code: s("640106-XK-0001")
        }
    );
    assert_eq!(
        inquiry("失业金怎么领"),
        InquiryOutcome::InternalReferral {
            unit_id: 2,
            window_id: Some(3),
            note: Some(s("请 B01 接待")),
        }
    );
    assert_eq!(
        inquiry("社保卡补办"),
        InquiryOutcome::InternalReferral {
            unit_id: 2,
            window_id: None,
            note: None,
        }
    );
    assert_eq!(
        inquiry("办理护照"),
        InquiryOutcome::ExternalReferral {
            agency: s("银川市公安局出入境管理支队"),
            address: s("金凤区人民广场东街"),
            phone: s("0951-1234567"),
        }
    );
    assert_eq!(
        inquiry("跨区经营的食品许可如何变更"),
        InquiryOutcome::Escalation {
            question: s("申请人在两个区都有门店，主体登记在兴庆区")
        }
    );
    assert_eq!(
        inquiry("办食品经营许可"),
        InquiryOutcome::BecameCase { case_id: 9 }
    );
}

fn notice(number: &str) -> NoticeData {
    NoticeData::from_stored(&stored("notice", "notice.data", number)).unwrap()
}

/// What every notice of the sample run shares, with the parts that differ as arguments.
struct Header {
    kind: NoticeKind,
    number: &'static str,
    title: &'static str,
    issued_on: NaiveDate,
    licensing: bool,
    case_number: &'static str,
    item: (&'static str, &'static str),
    received_on: NaiveDate,
}

impl Header {
    fn with(self, body: NoticeBody) -> NoticeData {
        NoticeData {
            kind: self.kind,
            number: s(self.number),
            title: s(self.title),
            issued_on: self.issued_on,
            licensing: self.licensing,
            unit_name: s("区市场监督管理局"),
            center_name: s("金凤区政务服务中心"),
            center_address: s("宁夏回族自治区银川市金凤区市民大厅一楼"),
            center_phone: s("0951-6888123"),
            applicant_name: s("银川金味餐饮有限公司"),
            case_number: s(self.case_number),
            item_code: s(self.item.0),
            item_name: s(self.item.1),
            received_on: self.received_on,
            body,
        }
    }
}

const FOOD: (&str, &str) = ("640106-XK-0001", "食品经营许可（新办）");

fn food_case(
    kind: NoticeKind,
    number: &'static str,
    title: &'static str,
    issued_on: NaiveDate,
) -> Header {
    Header {
        kind,
        number,
        title,
        issued_on,
        licensing: true,
        case_number: "2026-01-00003",
        item: FOOD,
        received_on: day(2026, 3, 4),
    }
}

#[test]
fn stored_acceptance_approval_and_denial_notices_read_field_by_field() {
    let number = "区市场监督管理局受字〔2026〕第00001号";
    let immediate = Header {
        kind: NoticeKind::AcceptanceNotice,
        number,
        title: "受理通知书",
        issued_on: day(2026, 3, 4),
        licensing: false,
        case_number: "2026-01-00002",
        item: ("640106-GG-0902", "样例公共服务"),
        received_on: day(2026, 3, 4),
    };
    assert_eq!(
        notice(number),
        immediate.with(NoticeBody::Acceptance {
            accepted_on: day(2026, 3, 4),
            limit_label: s("即办件，30 分钟内办结"),
            due: Some(at(2026, 3, 4, 10, 30)),
            due_provisional: false,
            deemed: false,
            clock_from_correction: None,
            special_procedures: Vec::new(),
            // Not in rows written before these fields.
            in_minutes: false,
            drawn_up_at: None,
        })
    );
    let number = "区市场监督管理局准字〔2026〕第00001号";
    let approval = Header {
        kind: NoticeKind::ApprovalDecision,
        number,
        title: "准予办理决定书",
        issued_on: day(2026, 3, 4),
        licensing: false,
        case_number: "2026-01-00002",
        item: ("640106-GG-0902", "样例公共服务"),
        received_on: day(2026, 3, 4),
    };
    assert_eq!(
        notice(number),
        approval.with(NoticeBody::Approval {
            decided_on: day(2026, 3, 4),
            content: s("准予办理“样例公共服务”。"),
        })
    );
    let number = "区市场监督管理局受字〔2026〕第00002号";
    let kind = NoticeKind::AcceptanceNotice;
    assert_eq!(
        notice(number),
        food_case(kind, number, "受理通知书", day(2026, 3, 4)).with(NoticeBody::Acceptance {
            accepted_on: day(2026, 3, 4),
            limit_label: s("承诺件，5 个工作日"),
            due: Some(at(2026, 3, 11, 17, 0)),
            due_provisional: false,
            deemed: false,
            clock_from_correction: None,
            special_procedures: Vec::new(),
            // Not in rows written before these fields.
            in_minutes: false,
            drawn_up_at: None,
        })
    );
    let number = "区市场监督管理局不准字〔2026〕第00001号";
    let kind = NoticeKind::DenialDecision;
    assert_eq!(
        notice(number),
        food_case(kind, number, "不予行政许可决定书", day(2026, 3, 6)).with(NoticeBody::Denial {
            decided_on: day(2026, 3, 6),
            reasons: s("经营场所与污染源距离不符合要求"),
        })
    );
}

#[test]
fn stored_suspension_and_extension_notices_read_field_by_field() {
    let number = "区市场监督管理局特字〔2026〕第00001号";
    let kind = NoticeKind::SuspensionNotice;
    assert_eq!(
        notice(number),
        food_case(kind, number, "特别程序告知书", day(2026, 3, 5)).with(NoticeBody::Suspension {
            procedure: s("现场核查"),
            reason: s("对经营场所进行现场核查"),
            start_date: day(2026, 3, 5),
            // Rows written before the field was added read without it.
            expected_working_days: None,
        })
    );
    let number = "区市场监督管理局延字〔2026〕第00001号";
    let kind = NoticeKind::ExtensionNotice;
    assert_eq!(
        notice(number),
        food_case(kind, number, "延期办理告知书", day(2026, 3, 6)).with(NoticeBody::Extension {
            days: 5,
            reason: s("需征求卫生部门意见"),
            new_due: Some(at(2026, 3, 19, 17, 0)),
            new_due_provisional: false,
        })
    );
}

fn correction_header(number: &'static str) -> Header {
    Header {
        kind: NoticeKind::CorrectionNotice,
        number,
        title: "一次性补正告知书",
        issued_on: day(2026, 3, 6),
        licensing: true,
        case_number: "2026-01-00004",
        item: FOOD,
        received_on: day(2026, 3, 6),
    }
}

fn line(material: &str, problem: &str) -> DeficiencyLine {
    DeficiencyLine {
        material: s(material),
        problem: s(problem),
    }
}

#[test]
fn stored_correction_notices_read_field_by_field() {
    let number = "区市场监督管理局补字〔2026〕第00001号";
    assert_eq!(
        notice(number),
        correction_header(number).with(NoticeBody::Correction {
            deficiencies: vec![
                line("营业执照或者其他主体资格证明文件", "缺少，请补交"),
                line(
                    "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
                    "不符合法定形式（布局图未标注清洗消毒区），请补正"
                ),
            ],
            exception_reason: None,
            in_minutes: false,
        })
    );
    let number = "区市场监督管理局补字〔2026〕第00002号";
    assert_eq!(
        notice(number),
        correction_header(number).with(NoticeBody::Correction {
            deficiencies: vec![line(
                "食品经营许可申请书",
                "不符合法定形式（未签字），请补正"
            )],
            exception_reason: Some(s("首次审查时申请书夹在材料中未展开，漏看签字栏")),
            in_minutes: false,
        })
    );
}

fn non_acceptance(number: &'static str, case_number: &'static str) -> Header {
    Header {
        kind: NoticeKind::NonAcceptanceNotice,
        number,
        title: "不予受理通知书",
        issued_on: day(2026, 3, 9),
        licensing: true,
        case_number,
        item: FOOD,
        received_on: day(2026, 3, 9),
    }
}

#[test]
fn stored_non_acceptance_and_commitment_notices_read_field_by_field() {
    let number = "区市场监督管理局不受字〔2026〕第00001号";
    assert_eq!(
        notice(number),
        non_acceptance(number, "2026-01-00005").with(NoticeBody::NonAcceptance {
            ground: s("申请事项依法不属于本行政机关职权范围"),
            competent_authority: Some(s("银川市兴庆区市场监督管理局")),
        })
    );
    let number = "区市场监督管理局不受字〔2026〕第00002号";
    assert_eq!(
        notice(number),
        non_acceptance(number, "2026-01-00006").with(NoticeBody::NonAcceptance {
            ground: s("申请事项依法不需要取得行政许可"),
            competent_authority: None,
        })
    );
    let number = "区市场监督管理局诺字〔2026〕第00001号";
    let header = Header {
        kind: NoticeKind::CommitmentNotice,
        number,
        title: "告知承诺书",
        issued_on: day(2026, 3, 9),
        licensing: true,
        case_number: "2026-01-00007",
        item: ("640106-XK-0002", "食品经营许可延续"),
        received_on: day(2026, 3, 9),
    };
    let standards = [
        concat!(
            "依据《中华人民共和国食品安全法》第三十三条、第三十五条",
            "和《食品经营许可和备案管理办法》，",
            "食品经营者应当持续符合许可条件"
        ),
        concat!(
            "经营场所、主要设备设施、经营布局、操作流程与原许可时相比未发生变化，",
            "并与有毒、有害场所以及其他污染源保持规定的距离"
        ),
        concat!(
            "配备专职或者兼职的食品安全管理人员，保证食品安全的规章制度持续有效；",
            "从事接触直接入口食品工作的从业人员取得健康证明后方可上岗"
        ),
        concat!(
            "申请人对所填信息和所交材料的真实性负责；",
            "承诺内容与实际不符的，依法撤销许可，并记入信用记录"
        ),
    ];
    assert_eq!(
        notice(number),
        header.with(NoticeBody::Commitment {
            standards: strings(&standards),
            deferred_materials: strings(&["经营场所使用证明（房屋产权证明或租赁合同）"]),
            deferred_within_working_days: 10,
            follow_up_check_on: day(2026, 4, 7),
            // A notice of version 1 without the fields added since.
            legal_basis: None,
            deferred_by: None,
        })
    );
}

#[test]
fn stored_lists_read_field_by_field() {
    let keys = |column: &str| documents::list::<String>(&stored("lists", column, "1")).unwrap();
    assert_eq!(
        keys("case_correction.material_keys"),
        ["business_license", "layout_docs", "application_form"]
    );
    assert_eq!(
        keys("one_time_exception.material_keys"),
        ["application_form"]
    );
    assert!(keys("slot_rule.item_codes").is_empty());
    assert!(keys("appointment_slot.item_codes").is_empty());
    let weekdays =
        |row: &str| documents::list::<u32>(&stored("lists", "slot_rule.weekdays", row)).unwrap();
    assert_eq!(weekdays("1"), [1, 2, 3, 4, 5]);
    assert_eq!(weekdays("2"), [6]);
    let staff = |row: &str| {
        documents::list::<i64>(&stored("lists", "slot_rule.duty_staff_ids", row)).unwrap()
    };
    assert_eq!(staff("1"), [1, 2]);
    assert_eq!(staff("3"), [3]);
}
