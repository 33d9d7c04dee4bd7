//! Business hours as a few lines of text an administrator can read and edit:
//!
//! ```text
//! 工作日 09:00-12:00 13:00-17:00
//! 周五 09:00-12:00 13:00-16:00
//! 季节 夏季作息 05-01~09-30 08:30-12:00 14:30-18:00
//! 闭厅 2026-12-01 线路改造
//! ```
//! The text is turned into `rules::BusinessHours`, which the rules validate (the server again).

use chrono::{NaiveDate, NaiveTime, Weekday};
use rules::hours::{
    BusinessHours, Closure, DaySchedule, MonthDay, Season, Session, WeekSchedule, WeekdayOverride,
};

const WEEKDAYS: [(&str, Weekday); 5] = [
    ("周一", Weekday::Mon),
    ("周二", Weekday::Tue),
    ("周三", Weekday::Wed),
    ("周四", Weekday::Thu),
    ("周五", Weekday::Fri),
];

fn session_text(s: &Session) -> String {
    format!("{}-{}", s.start.format("%H:%M"), s.end.format("%H:%M"))
}

fn day_text(d: &DaySchedule) -> String {
    d.sessions
        .iter()
        .map(session_text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The hours as lines.
pub fn to_text(hours: &BusinessHours) -> String {
    let mut lines = vec![format!("工作日 {}", day_text(&hours.regular.working_day))];
    for o in &hours.regular.overrides {
        if let Some((name, _)) = WEEKDAYS.iter().find(|(_, w)| *w == o.weekday) {
            lines.push(format!("{name} {}", day_text(&o.schedule)));
        }
    }
    for s in &hours.seasons {
        lines.push(format!(
            "季节 {} {:02}-{:02}~{:02}-{:02} {}",
            s.name,
            s.from.month,
            s.from.day,
            s.to.month,
            s.to.day,
            day_text(&s.schedule.working_day)
        ));
    }
    for c in &hours.closures {
        lines.push(format!("闭厅 {} {}", c.date, c.reason));
    }
    lines.join("\n")
}

fn parse_sessions(parts: &[&str], line: usize) -> Result<DaySchedule, String> {
    let mut sessions = Vec::new();
    for p in parts {
        let (a, b) = p
            .split_once(['-', '–'])
            .ok_or_else(|| format!("第 {line} 行：时段“{p}”应写成 09:00-12:00"))?;
        let t = |s: &str| {
            NaiveTime::parse_from_str(s.trim(), "%H:%M")
                .map_err(|_| format!("第 {line} 行：时间“{s}”应写成 09:00"))
        };
        sessions.push(Session::new(t(a)?, t(b)?));
    }
    Ok(DaySchedule::new(sessions))
}

fn month_day(s: &str, line: usize) -> Result<MonthDay, String> {
    let (m, d) = s
        .split_once('-')
        .ok_or_else(|| format!("第 {line} 行：日期“{s}”应写成 05-01"))?;
    let num = |x: &str| {
        x.trim()
            .parse::<u32>()
            .map_err(|_| format!("第 {line} 行：日期“{s}”应写成 05-01"))
    };
    Ok(MonthDay::new(num(m)?, num(d)?))
}

/// Reads the lines back; the first problem is reported with its line number.
pub fn parse(text: &str) -> Result<BusinessHours, String> {
    let mut working_day = None;
    let mut overrides = Vec::new();
    let mut seasons = Vec::new();
    let mut closures = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let parts: Vec<&str> = raw.split_whitespace().collect();
        let Some((&head, rest)) = parts.split_first() else {
            continue;
        };
        match head {
            "工作日" => working_day = Some(parse_sessions(rest, line)?),
            "季节" => {
                let [name, range, sessions @ ..] = rest else {
                    return Err(format!("第 {line} 行：应写成 季节 名称 05-01~09-30 时段…"));
                };
                let (from, to) = range
                    .split_once(['~', '～'])
                    .ok_or_else(|| format!("第 {line} 行：日期范围应写成 05-01~09-30"))?;
                seasons.push(Season {
                    name: (*name).to_string(),
                    from: month_day(from, line)?,
                    to: month_day(to, line)?,
                    schedule: WeekSchedule::uniform(parse_sessions(sessions, line)?),
                });
            }
            "闭厅" => {
                let [date, reason @ ..] = rest else {
                    return Err(format!("第 {line} 行：应写成 闭厅 2026-12-01 原因"));
                };
                let date: NaiveDate = date
                    .parse()
                    .map_err(|_| format!("第 {line} 行：日期“{date}”应写成 2026-12-01"))?;
                closures.push(Closure {
                    date,
                    reason: reason.join(" "),
                });
            }
            other => match WEEKDAYS.iter().find(|(n, _)| *n == other) {
                Some((_, weekday)) => overrides.push(WeekdayOverride {
                    weekday: *weekday,
                    schedule: parse_sessions(rest, line)?,
                }),
                None => {
                    return Err(format!(
                        "第 {line} 行：不认识“{other}”（可用：工作日、周一…周五、季节、闭厅）"
                    ));
                }
            },
        }
    }
    let working_day = working_day.ok_or("请写明“工作日”的办公时段")?;
    let hours = BusinessHours {
        regular: WeekSchedule {
            working_day,
            overrides,
        },
        seasons,
        closures,
    };
    hours.validate().map_err(|issues| {
        issues
            .iter()
            .map(|i| i.message_zh())
            .collect::<Vec<_>>()
            .join("；")
    })?;
    Ok(hours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_district_halls_hours_read_as_one_line_and_back() {
        let hours = BusinessHours::district_hall_default();
        assert_eq!(to_text(&hours), "工作日 09:00-12:00 13:00-17:00");
        assert_eq!(parse(&to_text(&hours)).unwrap(), hours);
    }

    #[test]
    fn seasons_overrides_and_closures_round_trip() {
        let text = "工作日 08:30-12:00 14:00-17:30\n周五 08:30-12:00 14:00-16:30\n季节 夏季作息 \
            05-01~09-30 08:30-12:00 14:30-18:00\n闭厅 2026-12-01 线路改造";
        let hours = parse(text).unwrap();
        assert_eq!(hours.seasons.len(), 1);
        assert_eq!(hours.closures[0].reason, "线路改造");
        assert_eq!(to_text(&hours), text);
    }

    #[test]
    fn a_bad_line_is_named_by_its_number() {
        let err = parse("工作日 09:00-12:00\n周六 09:00-12:00").unwrap_err();
        assert!(err.contains("第 2 行"), "{err}");
        assert!(parse("工作日 9点-12点").unwrap_err().contains("第 1 行"));
    }

    #[test]
    fn overlapping_sessions_are_refused_by_the_rules() {
        assert!(parse("工作日 09:00-12:00 11:00-17:00").is_err());
    }
}
