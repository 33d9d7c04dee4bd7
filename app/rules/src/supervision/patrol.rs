//! 周巡查: the weekly patrol checklist (Seed §三(四): 日监控、周巡查、月通报、季考核、年评定). A
//! supervisor walks the hall once a week with the checklist on the phone; every item is
//! answered, and each item found wanting becomes a problem for the unit named.

use chrono::{Datelike, NaiveDate};

/// The checklist when the configuration names none: one line per point of the four systems a
/// walk through the hall can see. Source: Seed §二(一)–(四); product rule for the wording.
pub const DEFAULT_PATROL_ITEMS: [&str; 8] = [
    "窗口工作人员按时到岗、在岗在位，无脱岗离岗",
    "首问负责人主动接待、有效指引，无推诿扯皮",
    "服务指南、一次性告知书齐全并按要求发放",
    "办件在承诺时限内办结，无超期未办结件",
    "中午及下班时正在办理的业务办完再下班（延时服务）",
    "预约延时服务的值守人员准时到岗",
    "窗口公示的事项、时限、收费等内容齐全准确",
    "好差评评价二维码可正常使用",
];

/// The ISO week of `day`, e.g. `2026-W12` (one patrol per center and week).
/// Source: product rule.
pub fn patrol_week(day: NaiveDate) -> String {
    let w = day.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// A week code as [`patrol_week`] writes it, as people read it: `2026-W10` is 2026年第10周 (the
/// code had reached problem texts and the monthly report).
pub fn patrol_week_zh(code: &str) -> String {
    match code.split_once("-W") {
        Some((year, week)) if week.parse::<u32>().is_ok() => {
            format!("{year}年第{}周", week.trim_start_matches('0'))
        }
        _ => code.to_owned(),
    }
}

/// Reads an ISO week written as [`patrol_week`] writes it (`2026-W12`): a week that exists, of
/// a year 2000–2099. Source: product rule (a filter that names no week is an error, not an
/// empty list).
pub fn parse_patrol_week(text: &str) -> Option<String> {
    let (year, week) = text.split_once("-W")?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(week, 2) {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let monday = NaiveDate::from_isoywd_opt(year, week.parse().ok()?, chrono::Weekday::Mon)?;
    (2000..=2099).contains(&year).then(|| patrol_week(monday))
}

/// One answer of a filled-in checklist, as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PatrolAnswer {
    /// Position of the item in the checklist (0-based).
    pub item: usize,
    /// The item was found as it should be.
    pub ok: bool,
    /// A note was written.
    pub has_note: bool,
    /// A unit was named.
    pub has_unit: bool,
}

/// Why a filled-in checklist is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PatrolRefusal {
    /// An item of the checklist has no answer.
    #[error("第 {} 项未填写", .0 + 1)]
    Unanswered(usize),
    /// An item is answered twice.
    #[error("第 {} 项填写了两次", .0 + 1)]
    Twice(usize),
    /// An answer names no item of the checklist.
    #[error("检查项不存在：第 {} 项", .0 + 1)]
    Unknown(usize),
    /// A finding does not say what was found.
    #[error("第 {} 项发现问题，请写明问题情况", .0 + 1)]
    FindingWithoutNote(usize),
    /// A finding names no unit.
    #[error("第 {} 项发现问题，请选择责任单位", .0 + 1)]
    FindingWithoutUnit(usize),
}

impl PatrolRefusal {
    /// The error code the API answers with.
    pub fn code(self) -> &'static str {
        match self {
            PatrolRefusal::Unanswered(_) => "patrol_item_unanswered",
            PatrolRefusal::Twice(_) => "patrol_item_twice",
            PatrolRefusal::Unknown(_) => "patrol_item_unknown",
            PatrolRefusal::FindingWithoutNote(_) => "patrol_finding_without_note",
            PatrolRefusal::FindingWithoutUnit(_) => "patrol_finding_without_unit",
        }
    }
}

/// Every one of `items` items answered exactly once; a finding (not ok) says what was found
/// and names the unit responsible. Source: Seed §三(四) (问题清单: every finding is a problem
/// for a unit); product rule.
pub fn check_patrol(items: usize, answers: &[PatrolAnswer]) -> Result<(), PatrolRefusal> {
    let mut seen = vec![false; items];
    for a in answers {
        let slot = seen.get_mut(a.item).ok_or(PatrolRefusal::Unknown(a.item))?;
        if *slot {
            return Err(PatrolRefusal::Twice(a.item));
        }
        *slot = true;
        if !a.ok && !a.has_note {
            return Err(PatrolRefusal::FindingWithoutNote(a.item));
        }
        if !a.ok && !a.has_unit {
            return Err(PatrolRefusal::FindingWithoutUnit(a.item));
        }
    }
    match seen.iter().position(|s| !s) {
        Some(i) => Err(PatrolRefusal::Unanswered(i)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_week_code_reads_as_the_year_and_the_week_number() {
        assert_eq!(patrol_week_zh("2026-W10"), "2026年第10周");
        assert_eq!(
            patrol_week_zh(&patrol_week(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())),
            "2026年第53周"
        );
    }

    use super::*;

    #[test]
    fn a_week_filter_reads_only_a_week_that_exists() {
        assert_eq!(parse_patrol_week("2026-W10").as_deref(), Some("2026-W10"));
        assert_eq!(parse_patrol_week("2025-W53"), None, "2025 has 52 weeks");
        assert_eq!(parse_patrol_week("2026-W53").as_deref(), Some("2026-W53"));
        assert_eq!(parse_patrol_week("2020-W53").as_deref(), Some("2020-W53"));
        for bad in [
            "abc",
            "2026-W54",
            "2026-W00",
            "2026-W1",
            " 2026-W10",
            "1900-W01",
            "+2026-W10",
        ] {
            assert_eq!(parse_patrol_week(bad), None, "{bad}");
        }
    }

    fn ok(item: usize) -> PatrolAnswer {
        PatrolAnswer {
            item,
            ok: true,
            has_note: false,
            has_unit: false,
        }
    }

    #[test]
    fn weeks_are_iso_weeks() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(patrol_week(d("2026-03-18")), "2026-W12");
        assert_eq!(patrol_week(d("2026-01-01")), "2026-W01");
        assert_eq!(patrol_week(d("2027-01-01")), "2026-W53");
    }

    #[test]
    fn every_item_is_answered_once_and_a_finding_names_what_and_whom() {
        assert_eq!(check_patrol(2, &[ok(0), ok(1)]), Ok(()));
        assert_eq!(check_patrol(2, &[ok(0)]), Err(PatrolRefusal::Unanswered(1)));
        assert_eq!(
            check_patrol(2, &[ok(0), ok(0)]),
            Err(PatrolRefusal::Twice(0))
        );
        assert_eq!(
            check_patrol(2, &[ok(0), ok(2)]),
            Err(PatrolRefusal::Unknown(2))
        );
        let finding = PatrolAnswer {
            ok: false,
            has_note: true,
            ..ok(1)
        };
        assert_eq!(
            check_patrol(2, &[ok(0), finding]),
            Err(PatrolRefusal::FindingWithoutUnit(1))
        );
        let silent = PatrolAnswer {
            ok: false,
            has_unit: true,
            ..ok(1)
        };
        assert_eq!(
            check_patrol(2, &[ok(0), silent]),
            Err(PatrolRefusal::FindingWithoutNote(1))
        );
        let named = PatrolAnswer {
            has_unit: true,
            ..finding
        };
        assert_eq!(check_patrol(2, &[ok(0), named]), Ok(()));
    }
}
