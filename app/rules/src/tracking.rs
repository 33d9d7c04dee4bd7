//! 办件查询 (track and trace): what a citizen is told about their case — the case number as
//! typed, the current stage in plain words, the working days left and what they must still do.
//! Source: issue 14 point 10; Seed §二(三) (working days from the official calendar).

use chrono::NaiveDate;

use crate::{
    CalendarError, CaseState, Decision, WorkCalendar, WorkingDays, review::CorrectionProgress,
};

/// A case number as a person types it — `2026-01-00001`, `20260100001`, `2026 01 00001`,
/// `2026－01－00001` — in its stored form `{year}-{center:02}-{seq:05}`. `None` when it cannot be
/// one (then nothing is looked up). Source: issue 14 point 10.
pub fn case_number(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            // Full-width digits, as a phone's Chinese keyboard may type them.
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        })
        .collect();
    let other = input.chars().any(|c| {
        !(c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || c.is_whitespace()
            || matches!(c, '-' | '－' | '—' | '–' | '_' | '/'))
    });
    if other || digits.len() < 11 || digits.len() > 16 {
        return None;
    }
    let (year, rest) = digits.split_at(4);
    let (center, seq) = rest.split_at(rest.len() - 5);
    Some(format!("{year}-{center}-{seq}"))
}

/// Working days from `today` to the `due` date: 0 when the limit ends today, negative when it
/// has passed. Years not held are guessed (the answer is then provisional, as the due
/// date is). Source: Seed §二(三)二; 民法典 第二百零一条.
pub fn working_days_left(
    calendar: &WorkCalendar,
    today: NaiveDate,
    due: NaiveDate,
) -> Result<i64, CalendarError> {
    calendar.provisional().working_days_between(today, due)
}

/// The current stage in plain words, for the applicant. Source: issue 14 point 10.
pub fn plain_stage(state: CaseState) -> &'static str {
    match state {
        CaseState::Received => "窗口已收到您的申请材料，正在进行受理审查。",
        CaseState::CorrectionRequested => {
            "申请材料需要补正：请按《一次性补正告知书》补齐后交回窗口。"
        }
        CaseState::Accepted { deemed: false } => "申请已受理，正在等待审查。",
        CaseState::Accepted { deemed: true } => {
            "窗口未在规定时间内答复，依法视为受理，正在等待审查。"
        }
        CaseState::NotAccepted => "申请未被受理，原因见《不予受理通知书》。",
        CaseState::InReview => "正在审查办理中。",
        CaseState::Suspended => {
            "正在进行特别程序（如现场勘验、专家评审），此期间暂停计算办理时限。"
        }
        CaseState::Decided(Decision::Approved) => "已作出准予决定，正在送达办理结果。",
        CaseState::Decided(Decision::Denied) => "已作出不予准予的决定，正在送达决定书。",
        CaseState::Delivered => "办理结果已送达。",
        CaseState::Closed => "已办结。",
        CaseState::Withdrawn => "申请已撤回，办理终止。",
    }
}

/// What the applicant must still do (nothing: empty). `corrections` splits what the last
/// correction notice asked for by what has come in since (`None`: no notice on record). What
/// was handed in already is not asked again (a citizen was told to bring an ID card the window
/// had registered). Source: Seed §二(二) (一次性告知), §二(三)二; 行政许可法 第三十二条.
pub fn applicant_todo(state: CaseState, corrections: Option<&CorrectionProgress>) -> Vec<String> {
    let lines = |ds: &[crate::review::Deficiency]| {
        ds.iter()
            .map(|d| d.todo_zh())
            .collect::<Vec<_>>()
            .join("；")
    };
    match state {
        CaseState::CorrectionRequested => match corrections {
            None => vec!["按《一次性补正告知书》补齐材料，交回受理窗口。".to_string()],
            Some(p) if p.complete() => {
                vec!["补正材料已全部收到，窗口将重新审查，请等待受理结果。".to_string()]
            }
            Some(p) => {
                let mut todo = vec![format!("补正以下材料：{}。", lines(&p.outstanding))];
                if !p.received.is_empty() {
                    let names: Vec<&str> = p.received.iter().map(|d| d.name.as_str()).collect();
                    todo.push(format!("已收到：{}，无需再交。", names.join("、")));
                }
                // As the correction notice and the receipt say: working days are counted from
                // the day after all the corrections came in (Seed §二(三)二: 从全部补齐材料之时
                // 计算; an item timed in minutes counts from that moment).
                todo.push(
                    "补正材料交回受理窗口后，办理时限自收到全部补正材料时起算：按工作日计的，自\
                     次日起计算。"
                        .to_string(),
                );
                todo
            }
        },
        CaseState::Decided(Decision::Approved) => {
            vec!["按决定书载明的方式领取办理结果（到窗口领取的，请携带收件凭证）。".to_string()]
        }
        // 行政许可法 第三十八条: a denial tells the applicant of the right to review.
        CaseState::Decided(Decision::Denied) => vec![
            "按决定书载明的方式领取决定书（到窗口领取的，请携带收件凭证）。".to_string(),
            "如对决定有异议，可依法申请行政复议或者提起行政诉讼。".to_string(),
        ],
        CaseState::NotAccepted => {
            vec!["如对不予受理有异议，可依法申请行政复议或者提起行政诉讼。".to_string()]
        }
        _ => Vec::new(),
    }
}

/// What `/track` says when the applicant has nothing to do: wait, or nothing more at all once
/// the case has ended.
pub fn nothing_to_do_text(state: CaseState) -> &'static str {
    match state {
        CaseState::Delivered | CaseState::Closed => "本件已办结，您无需再做任何事。",
        CaseState::Withdrawn => "申请已撤回，办理已终止，您无需再做任何事。",
        _ => "目前无需您做任何事，请等待办理结果。",
    }
}

/// The working days left in words; `passed`: the due moment itself has passed (on the last
/// day, after its hour, the case is late although no whole working day is). Source: issue 14
/// point 10; RULES §3 (overdue the moment `now` passes the due moment).
pub fn days_left_text(days: i64, passed: bool) -> String {
    match days {
        d if d < 0 => format!("已超过办结期限 {} 个工作日", -d),
        _ if passed => "已超过办结期限（期限已于今天届满）".to_string(),
        0 => "今天为办结期限的最后一个工作日".to_string(),
        d => format!("还剩 {d} 个工作日"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_number_is_read_with_or_without_hyphens() {
        let stored = Some("2026-01-00001".to_string());
        assert_eq!(case_number("2026-01-00001"), stored);
        assert_eq!(case_number("20260100001"), stored);
        assert_eq!(case_number(" 2026 01 00001 "), stored);
        assert_eq!(case_number("2026－01－00001"), stored);
        assert_eq!(case_number("２０２６０１００００１"), stored);
        assert_eq!(
            case_number("2026-123-00042"),
            Some("2026-123-00042".to_string())
        );
        assert_eq!(case_number("2026-01"), None);
        assert_eq!(case_number("2026-01-0000x"), None);
        assert_eq!(case_number(""), None);
    }

    #[test]
    fn a_finished_case_asks_nothing_more_and_does_not_say_to_wait() {
        for state in [
            CaseState::Delivered,
            CaseState::Closed,
            CaseState::Withdrawn,
        ] {
            assert!(applicant_todo(state, None).is_empty());
            assert!(!nothing_to_do_text(state).contains("等待"), "{state:?}");
        }
        assert!(nothing_to_do_text(CaseState::InReview).contains("等待办理结果"));
    }

    #[test]
    fn days_left_count_working_days_from_the_calendar() {
        let cal = WorkCalendar::shipped();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Wednesday 2026-03-04 to Wednesday 2026-03-11: five working days.
        assert_eq!(
            working_days_left(&cal, d("2026-03-04"), d("2026-03-11")).unwrap(),
            5
        );
        assert_eq!(
            working_days_left(&cal, d("2026-03-11"), d("2026-03-11")).unwrap(),
            0
        );
        assert_eq!(
            working_days_left(&cal, d("2026-03-12"), d("2026-03-11")).unwrap(),
            -1
        );
        assert_eq!(days_left_text(5, false), "还剩 5 个工作日");
        assert_eq!(days_left_text(-1, true), "已超过办结期限 1 个工作日");
    }

    #[test]
    fn on_the_due_day_after_its_hour_the_case_is_said_to_be_late_not_on_its_last_day() {
        assert_eq!(days_left_text(0, false), "今天为办结期限的最后一个工作日");
        assert_eq!(
            days_left_text(0, true),
            "已超过办结期限（期限已于今天届满）"
        );
    }

    #[test]
    fn a_correction_tells_what_to_bring_and_not_what_came_in_already() {
        use crate::review::{Deficiency, DeficiencyKind};
        let licence = Deficiency {
            key: "licence".into(),
            name: "营业执照".into(),
            kind: DeficiencyKind::Missing,
        };
        let plan = Deficiency {
            key: "plan".into(),
            name: "平面图".into(),
            kind: DeficiencyKind::Nonconforming {
                reason: "未标注比例".into(),
            },
        };
        let asked = [licence.clone(), plan.clone()];
        let none_yet = CorrectionProgress::of(&asked, &1, [(0, ["licence"])]);
        let todo = applicant_todo(CaseState::CorrectionRequested, Some(&none_yet));
        assert_eq!(
            todo[0],
            format!("补正以下材料：{}；{}。", licence.todo_zh(), plan.todo_zh())
        );
        let one_in = CorrectionProgress::of(&asked, &1, [(2, ["licence"])]);
        let todo = applicant_todo(CaseState::CorrectionRequested, Some(&one_in));
        assert_eq!(todo[0], format!("补正以下材料：{}。", plan.todo_zh()));
        assert_eq!(todo[1], "已收到：营业执照，无需再交。");
        let all_in = CorrectionProgress::of(&asked, &1, [(2, ["licence", "plan"])]);
        let todo = applicant_todo(CaseState::CorrectionRequested, Some(&all_in));
        assert!(todo[0].contains("已全部收到"), "{todo:?}");
        assert!(applicant_todo(CaseState::InReview, None).is_empty());
    }
}
