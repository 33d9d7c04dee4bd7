//! The official work calendar (holidays and make-up working days) as the API carries it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ApiError, client::get};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarYears {
    pub years: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HolidayEntry {
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub date: NaiveDate,
    pub name: String,
    /// A weekend day that belongs to an official holiday run (e.g. 2022-12-31 in 2023's 元旦).
    #[serde(default)]
    pub part_of_run: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MakeupEntry {
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub date: NaiveDate,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarYearView {
    pub year: i32,
    /// `shipped` (State Council notice bundled with the product) or `admin` (entered by hand).
    pub source: String,
    pub holidays: Vec<HolidayEntry>,
    pub makeup_workdays: Vec<MakeupEntry>,
}

/// What an administrator sends to add or replace a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarYearInput {
    pub holidays: Vec<HolidayEntry>,
    #[serde(default)]
    pub makeup_workdays: Vec<MakeupEntry>,
}

impl CalendarYearInput {
    pub fn to_arrangement(&self, year: i32) -> rules::YearArrangement {
        rules::YearArrangement {
            year,
            holidays: self
                .holidays
                .iter()
                .map(|h| rules::Holiday {
                    date: h.date,
                    name: h.name.trim().to_string(),
                    part_of_run: h.part_of_run,
                })
                .collect(),
            makeup_workdays: self
                .makeup_workdays
                .iter()
                .map(|m| rules::MakeupWorkday {
                    date: m.date,
                    name: m.name.trim().to_string(),
                })
                .collect(),
        }
    }
}

impl CalendarYearView {
    pub fn to_arrangement(&self) -> rules::YearArrangement {
        CalendarYearInput {
            holidays: self.holidays.clone(),
            makeup_workdays: self.makeup_workdays.clone(),
        }
        .to_arrangement(self.year)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AddWorkingDaysQuery {
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub start: NaiveDate,
    pub days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AddWorkingDaysAnswer {
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub start: NaiveDate,
    pub days: u32,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub due_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct WorkingDaysBetweenQuery {
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub from: NaiveDate,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkingDaysBetweenAnswer {
    pub working_days: i64,
}

/// Every year the server holds, in one answer (the browser builds its `WorkCalendar` from it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FullCalendar {
    pub years: Vec<CalendarYearView>,
}

impl FullCalendar {
    /// The same `WorkCalendar` the server computes with.
    pub fn work_calendar(&self) -> Result<rules::WorkCalendar, String> {
        rules::WorkCalendar::new(self.years.iter().map(CalendarYearView::to_arrangement))
            .map_err(|e| format!("{e:?}"))
    }
}

pub async fn years() -> Result<CalendarYears, ApiError> {
    get("/api/v1/calendar/years".into()).await
}

pub async fn year(year: i32) -> Result<CalendarYearView, ApiError> {
    get(format!("/api/v1/calendar/{year}")).await
}

pub async fn full() -> Result<FullCalendar, ApiError> {
    get("/api/v1/calendar".into()).await
}

pub async fn replace_year(
    year: i32,
    input: CalendarYearInput,
) -> Result<CalendarYearView, ApiError> {
    super::client::send(
        super::Method::Put,
        format!("/api/v1/calendar/{year}"),
        Some(&input),
    )
    .await
}
