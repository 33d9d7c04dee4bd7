//! How dates and times read in the UI (Simplified Chinese).

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// Why a due is marked 暂定: the year's arrangement is not published, and the guess takes off
/// weekends and the statutory holidays whose dates are fixed (the lunar ones are not known).
pub const PROVISIONAL_HINT: &str = "该年度节假日安排尚未公布，暂按周末和固定日期的法定节日计算";

pub fn weekday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

/// 12月9日（周三）: a day of this week or the next, where the year goes without saying.
pub fn month_day(d: NaiveDate) -> String {
    format!("{}月{}日（{}）", d.month(), d.day(), weekday(d.weekday()))
}

/// 2026年12月9日（周三）
pub fn date(d: NaiveDate) -> String {
    format!(
        "{}年{}月{}日（{}）",
        d.year(),
        d.month(),
        d.day(),
        weekday(d.weekday())
    )
}

/// 2026年12月9日: a date in a table's narrow column.
pub fn plain_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 2026年12月9日（周三）17:00
pub fn date_time(t: NaiveDateTime) -> String {
    format!("{} {}", date(t.date()), t.format("%H:%M"))
}

/// 17:00–19:00
pub fn time_range(start: NaiveTime, end: NaiveTime) -> String {
    format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_chinese_with_the_weekday() {
        let t = NaiveDate::from_ymd_opt(2026, 12, 9)
            .unwrap()
            .and_hms_opt(17, 0, 0)
            .unwrap();
        assert_eq!(date_time(t), "2026年12月9日（周三） 17:00");
    }
}
