//! The shipped official calendar (embedded at compile time; no file is read at run time) and its
//! CSV form.
//!
//! Format: a header `date,kind,name`, then one line per date: `YYYY-MM-DD,holiday|workday,name`.
//! The name is the rest of the line (it may contain commas); blank lines and `#` comments are
//! skipped.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::arrangement::{Holiday, MakeupWorkday, YearArrangement, is_weekend};

/// The official arrangements 2022–2026 as published by the State Council, embedded in the binary.
const SHIPPED_CSV: &str = include_str!("../../data/cn_calendar.csv");

const HEADER: &str = "date,kind,name";

/// What is wrong with one line of a calendar CSV.
///
/// Source: product rule (the shipped calendar file, issue #4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CsvProblem {
    /// The first line is not `date,kind,name`.
    #[error("表头应为 date,kind,name")]
    BadHeader,
    /// Fewer than three fields.
    #[error("应有三列：日期、类型、名称")]
    MissingField,
    /// The date is not `YYYY-MM-DD`.
    #[error("日期“{text}”格式错误，应为YYYY-MM-DD")]
    BadDate {
        /// The text found.
        text: String,
    },
    /// The kind is neither `holiday` nor `workday`.
    #[error("类型“{text}”无效，应为 holiday 或 workday")]
    UnknownKind {
        /// The text found.
        text: String,
    },
}

/// A calendar CSV that could not be read, with its 1-based line number.
///
/// Source: product rule (the shipped calendar file, issue #4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[error("日历文件第{line}行：{problem}")]
pub struct CalendarCsvError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub problem: CsvProblem,
}

impl CalendarCsvError {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self.problem {
            CsvProblem::BadHeader => "bad_header",
            CsvProblem::MissingField => "missing_field",
            CsvProblem::BadDate { .. } => "bad_date",
            CsvProblem::UnknownKind { .. } => "unknown_kind",
        }
    }
}

/// Reads a calendar CSV into one arrangement per year (ascending), dates in file order.
///
/// Weekend holidays are marked `part_of_run` (in official data they always belong to a run, e.g.
/// 2022-12-31 of 2023's 元旦). The result is not validated:
/// [`WorkCalendar::new`](super::WorkCalendar::new) does that. Source: 国务院 yearly holiday notices
/// (the data), issue #4.
pub fn parse_csv(text: &str) -> Result<Vec<YearArrangement>, CalendarCsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut years: BTreeMap<i32, YearArrangement> = BTreeMap::new();
    let mut header_seen = false;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let fail = |problem| CalendarCsvError { line, problem };
        if !header_seen {
            if !content.replace(' ', "").eq_ignore_ascii_case(HEADER) {
                return Err(fail(CsvProblem::BadHeader));
            }
            header_seen = true;
            continue;
        }
        let mut fields = content.splitn(3, ',').map(str::trim);
        let (Some(date), Some(kind), Some(name)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(fail(CsvProblem::MissingField));
        };
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
            fail(CsvProblem::BadDate {
                text: date.to_owned(),
            })
        })?;
        let year = years
            .entry(date.year())
            .or_insert_with(|| YearArrangement::empty(date.year()));
        match kind {
            "holiday" => year.holidays.push(Holiday {
                date,
                name: name.to_owned(),
                part_of_run: is_weekend(date),
            }),
            "workday" => year.makeup_workdays.push(MakeupWorkday {
                date,
                name: name.to_owned(),
            }),
            other => {
                return Err(fail(CsvProblem::UnknownKind {
                    text: other.to_owned(),
                }));
            }
        }
    }
    if !header_seen {
        return Err(CalendarCsvError {
            line: 1,
            problem: CsvProblem::BadHeader,
        });
    }
    Ok(years.into_values().collect())
}

/// Writes arrangements in the CSV form read by [`parse_csv`] (dates ascending), e.g. for an export.
/// Source: product rule (issue #4: the administrator manages the calendar).
pub fn to_csv(years: &[YearArrangement]) -> String {
    let mut rows: Vec<(NaiveDate, &str, &str)> = years
        .iter()
        .flat_map(|y| {
            let holidays = y
                .holidays
                .iter()
                .map(|h| (h.date, "holiday", h.name.as_str()));
            let makeups = y
                .makeup_workdays
                .iter()
                .map(|m| (m.date, "workday", m.name.as_str()));
            holidays.chain(makeups)
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    let mut out = String::from(HEADER);
    out.push('\n');
    for (date, kind, name) in rows {
        out.push_str(&format!("{date},{kind},{name}\n"));
    }
    out
}

/// The official arrangements shipped with the product (2022–2026), parsed from the embedded CSV.
/// Source: 国务院办公厅 yearly notices on holiday arrangements 2022–2026.
pub fn shipped_years() -> Vec<YearArrangement> {
    parse_csv(SHIPPED_CSV).expect("the shipped calendar parses (see tests)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_holds_2022_to_2026() {
        let years: Vec<i32> = shipped_years().iter().map(|y| y.year).collect();
        assert_eq!(years, vec![2022, 2023, 2024, 2025, 2026]);
    }

    #[test]
    fn weekend_holidays_of_the_shipped_file_are_part_of_runs() {
        let years = shipped_years();
        let y2022 = &years[0];
        let new_year_eve = y2022
            .holiday_on(NaiveDate::from_ymd_opt(2022, 12, 31).unwrap())
            .unwrap();
        assert_eq!(new_year_eve.name, "元旦");
        assert!(new_year_eve.part_of_run);
        let weekday = y2022
            .holiday_on(NaiveDate::from_ymd_opt(2022, 1, 3).unwrap())
            .unwrap();
        assert!(!weekday.part_of_run);
    }

    #[test]
    fn csv_round_trips_through_to_csv() {
        let years = shipped_years();
        assert_eq!(parse_csv(&to_csv(&years)).unwrap(), years);
    }

    #[test]
    fn a_name_may_contain_commas_and_blank_lines_and_comments_are_skipped() {
        let text = "\u{feff}date,kind,name\r\n\r\n# comment\n2030-10-01,holiday,国庆节,中秋节\n";
        let years = parse_csv(text).unwrap();
        assert_eq!(years[0].holidays[0].name, "国庆节,中秋节");
    }

    #[test]
    fn a_missing_header_is_an_error_on_line_one() {
        let e = parse_csv("2030-10-01,holiday,国庆节\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert_eq!(e.code(), "bad_header");
        assert_eq!(parse_csv("").unwrap_err().code(), "bad_header");
    }

    #[test]
    fn a_bad_date_names_its_line_in_chinese() {
        let e = parse_csv("date,kind,name\n2030-02-30,holiday,春节\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(
            e.to_string(),
            "日历文件第2行：日期“2030-02-30”格式错误，应为YYYY-MM-DD"
        );
    }

    #[test]
    fn an_unknown_kind_or_missing_field_is_an_error() {
        let e = parse_csv("date,kind,name\n2030-10-01,rest,国庆节\n").unwrap_err();
        assert_eq!(e.code(), "unknown_kind");
        let e = parse_csv("date,kind,name\n2030-10-01,holiday\n").unwrap_err();
        assert_eq!(e.code(), "missing_field");
    }
}
