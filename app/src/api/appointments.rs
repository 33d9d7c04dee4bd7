//! After-hours appointments (预约延时服务): slots, bookings by code, the duty roster.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rules::ids::MobilePhone;
use serde::{Deserialize, Serialize};

use super::{
    ApiError, Method,
    catalog::Material,
    client::{after, encode, every_page, get, get_page, send},
    validate::{Checks, Invalid, Problems, required_text},
};

/// A slot as citizens choose it. `start`/`end` are RFC 3339 instants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlotView {
    pub id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub capacity: i32,
    pub remaining: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlotList {
    pub slots: Vec<SlotView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SlotQuery {
    pub center: i64,
    pub item: String,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub date: NaiveDate,
}

/// The days with slots for an item, from today to the end of the booking window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DayQuery {
    pub center: i64,
    pub item: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DayView {
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub date: NaiveDate,
    /// Slots still open for booking that day.
    pub slots: u32,
    /// Seats left over those slots (0: all full).
    pub remaining: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DayList {
    pub days: Vec<DayView>,
}

/// A booking by a citizen (online) or recorded by staff (`method`: phone / on site).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BookingRequest {
    pub slot_id: i64,
    pub item_code: String,
    pub name: String,
    pub phone: String,
    #[serde(default)]
    pub id_number: Option<String>,
}

/// How an appointment was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingMethod {
    Online,
    Phone,
    OnSite,
}

impl BookingMethod {
    pub fn code(self) -> &'static str {
        match self {
            BookingMethod::Online => "online",
            BookingMethod::Phone => "phone",
            BookingMethod::OnSite => "on_site",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BookingMethod::Online => "网上预约",
            BookingMethod::Phone => "电话预约",
            BookingMethod::OnSite => "现场预约",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Online, Self::Phone, Self::OnSite]
            .into_iter()
            .find(|m| m.code() == code)
    }
}

/// Staff record an appointment taken by phone or at the counter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffBookingRequest {
    #[serde(flatten)]
    pub booking: BookingRequest,
    pub method: BookingMethod,
}

/// The checked person who books.
pub struct CheckedBooker {
    pub name: String,
    /// Parsed once: "138-1234-5678" and "+86 138 1234 5678" are the same number.
    pub phone: MobilePhone,
    pub id_number: Option<String>,
}

impl BookingRequest {
    /// The same checks in the browser and on the server, on the hall's `today` (a resident ID
    /// born after today is refused).
    pub fn check(&self, today: NaiveDate) -> Result<CheckedBooker, Problems> {
        let mut checks = Checks::default();
        let name = checks.value(required_text(&self.name, "name", "姓名", 50));
        // An empty field is missing, not "incorrect".
        let phone = if self.phone.trim().is_empty() {
            Err(Invalid::new("phone_required", "phone", "请填写手机号码"))
        } else {
            MobilePhone::parse(&self.phone)
                .map_err(|e| Invalid::new("invalid_phone", "phone", e.to_string()))
        };
        let phone = checks.value(phone.map(Some));
        let id_number = self
            .id_number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|id| {
                rules::ids::ResidentId::parse_as_of(id, today)
                    .map(|r| r.as_str().to_string())
                    .map_err(|e| Invalid::new("invalid_resident_id", "id_number", e.to_string()))
            })
            .transpose();
        let id_number = checks.value(id_number);
        // With no problem kept, the phone was read.
        let Some(phone) = checks.finish(phone)? else {
            return Err(Invalid::new("invalid_phone", "phone", "请填写手机号码").into());
        };
        Ok(CheckedBooker {
            name,
            phone,
            id_number,
        })
    }
}

/// A booking as its holder names it: the code (any case, spaces or hyphens) and the phone it was
/// made with, parsed once — "138-1234-5678", "+86 138 1234 5678" and "13812345678" are the
/// same number and find the same booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingKey {
    /// In its stored form (`normalize_code`).
    pub code: String,
    pub phone: MobilePhone,
}

impl BookingKey {
    /// `None` when the phone is no mobile number (then no booking can match it).
    pub fn parse(code: &str, phone: &str) -> Option<Self> {
        Some(BookingKey {
            code: normalize_code(code),
            phone: MobilePhone::parse(phone).ok()?,
        })
    }
}

/// Booking codes: 8 characters without look-alikes (no 0/O, 1/I/L), shown as `K7M2-QX9P`.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A code as typed (any case, spaces or hyphens) in its stored form.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// `K7M2QX9P` → `K7M2-QX9P`.
pub fn display_code(code: &str) -> String {
    if code.len() == 8 {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

/// A booking's status (`AppointmentView::status`, `BookingRow::status`) in words.
pub fn status_label(status: rules::AppointmentStatus) -> &'static str {
    use rules::AppointmentStatus as S;
    match status {
        S::Booked => "已预约",
        S::Cancelled => "已取消",
        S::Arrived => "已到达取号",
        S::NoShow => "未到",
    }
}

/// An appointment as its holder sees it (by code and phone), with the materials to bring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppointmentView {
    pub code: String,
    /// `booked` · `cancelled` · `arrived` · `no_show`
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: rules::AppointmentStatus,
    pub slot: SlotView,
    pub center_id: i64,
    pub center_name: String,
    pub center_address: String,
    pub center_phone: String,
    pub item_code: String,
    pub item_name: String,
    pub name: String,
    pub phone_masked: String,
    pub method: BookingMethod,
    /// The one-time list of everything to bring (一次性告知).
    pub materials: Vec<Material>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RescheduleRequest {
    /// As in [`PhoneQuery`]: left out, the phone this browser proved for the code.
    #[serde(default)]
    pub phone: String,
    pub slot_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PhoneQuery {
    /// The phone the booking was made with; left out, the phone this browser proved for the code
    /// (the `chuangkou_booking` cookie set by the booking pages' form posts).
    #[serde(default)]
    pub phone: String,
}

/// The cookie holding the bookings this browser proved (code and phone), so that page addresses
/// carry the code alone (see the server's `routes::holder`).
pub const BOOKING_HOLDER_COOKIE: &str = "chuangkou_booking";
/// The cookie giving a refused booking form its typed values back (one minute).
pub const BOOKING_TYPED_COOKIE: &str = "chuangkou_booking_typed";

/// What was typed into a refused booking form, given to the page rendered on the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedBooking {
    pub name: String,
    pub phone: String,
    pub id_number: String,
}

/// A recurring after-hours slot, as administrators define it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SlotRuleInput {
    pub center_id: i64,
    /// The unit whose items it serves; none: every item of the center.
    #[serde(default)]
    pub unit_id: Option<i64>,
    pub name: String,
    /// Working days falling on these ISO weekdays, Monday = 1 … Sunday = 7 (a make-up working
    /// Saturday is a working day falling on Saturday).
    #[serde(default)]
    pub weekdays: Vec<u32>,
    /// Every rest day (公休日: a weekend day neither worked nor in a holiday run).
    #[serde(default)]
    pub rest_days: bool,
    /// Every day of a public holiday (法定节假日).
    #[serde(default)]
    pub public_holidays: bool,
    /// Only these items (empty: every item of the unit / center).
    #[serde(default)]
    pub item_codes: Vec<String>,
    #[serde(deserialize_with = "rules::hours::time_of_day::deserialize")]
    pub start_time: NaiveTime,
    #[serde(deserialize_with = "rules::hours::time_of_day::deserialize")]
    pub end_time: NaiveTime,
    pub capacity: i32,
    /// The duty roster (排班) copied to each slot.
    #[serde(default)]
    pub duty_staff_ids: Vec<i64>,
}

impl SlotRuleInput {
    /// Every field checked; every problem told.
    pub fn validated(&self) -> Result<Self, Problems> {
        let mut checks = Checks::default();
        let name = checks.value(required_text(&self.name, "name", "时段名称", 40));
        let mut weekdays = self.weekdays.clone();
        weekdays.sort_unstable();
        weekdays.dedup();
        if weekdays.iter().any(|d| !(1..=7).contains(d)) {
            checks.fail(Invalid::new(
                "invalid_weekdays",
                "weekdays",
                "星期须为周一至周日",
            ));
        }
        if weekdays.is_empty() && !self.rest_days && !self.public_holidays {
            checks.fail(Invalid::new(
                "invalid_weekdays",
                "weekdays",
                "请选择星期，或公休日、法定节假日",
            ));
        }
        if self.start_time >= self.end_time {
            checks.fail(Invalid::new(
                "invalid_times",
                "end_time",
                "结束时间须晚于开始时间",
            ));
        }
        if !(1..=500).contains(&self.capacity) {
            checks.fail(Invalid::new(
                "invalid_capacity",
                "capacity",
                "每个时段可预约人数须为 1–500",
            ));
        }
        // One roster row per member and slot: a member named twice is a mistake to show.
        let mut seen = std::collections::BTreeSet::new();
        if let Some(twice) = self.duty_staff_ids.iter().find(|id| !seen.insert(**id)) {
            checks.fail(Invalid::new(
                "duplicate_staff",
                "duty_staff_ids",
                format!("值班人员重复（编号 {twice}）"),
            ));
        }
        let mut item_codes: Vec<String> = self
            .item_codes
            .iter()
            .map(|c| c.trim().to_string())
            .collect();
        item_codes.sort_unstable();
        item_codes.dedup();
        checks.finish(Self {
            name,
            weekdays,
            item_codes,
            ..self.clone()
        })
    }

    /// The days the rule makes slots on, as the rules see them.
    pub fn slot_days(&self) -> rules::SlotDays {
        rules::SlotDays {
            weekdays: self
                .weekdays
                .iter()
                .filter_map(|d| {
                    chrono::Weekday::try_from(u8::try_from(d.wrapping_sub(1)).ok()?).ok()
                })
                .collect(),
            rest_days: self.rest_days,
            public_holidays: self.public_holidays,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlotRuleView {
    pub id: i64,
    #[serde(flatten)]
    pub rule: SlotRuleInput,
    pub active: bool,
}

/// A slot as staff see it: seats, bookings and the duty roster with check-ins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffSlotView {
    pub slot: SlotView,
    pub name: String,
    pub center_id: i64,
    pub duty: Vec<DutyView>,
    pub bookings: Vec<BookingRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DutyView {
    pub staff_id: i64,
    pub staff_name: String,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub late_minutes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BookingRow {
    pub id: i64,
    /// The booking code: only for the clerks of the booking's center, who mark arrivals and
    /// no-shows by it (with the last phone digits it would cancel the booking).
    pub code: Option<String>,
    pub name: String,
    pub phone_masked: String,
    pub item_name: String,
    pub method: BookingMethod,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: rules::AppointmentStatus,
    pub ticket_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DutyRequest {
    pub staff_ids: Vec<i64>,
}

pub async fn slots(center: i64, item: &str, date: NaiveDate) -> Result<SlotList, ApiError> {
    get(format!(
        "/api/v1/public/appointment-slots?center={center}&item={}&date={date}",
        encode(item)
    ))
    .await
}

pub async fn days(center: i64, item: &str) -> Result<DayList, ApiError> {
    get(format!(
        "/api/v1/public/appointment-days?center={center}&item={}",
        encode(item)
    ))
    .await
}

pub async fn book(body: BookingRequest) -> Result<AppointmentView, ApiError> {
    send(
        Method::Post,
        "/api/v1/public/appointments".into(),
        Some(&body),
    )
    .await
}

pub async fn view(code: &str, phone: &str) -> Result<AppointmentView, ApiError> {
    get(format!(
        "/api/v1/public/appointments/{}?phone={}",
        encode(&normalize_code(code)),
        encode(phone)
    ))
    .await
}

/// The booking of a code that this browser proved it holds (the phone comes from its cookie).
pub async fn view_held(code: &str) -> Result<AppointmentView, ApiError> {
    get(format!(
        "/api/v1/public/appointments/{}",
        encode(&normalize_code(code))
    ))
    .await
}

pub async fn cancel(code: &str, phone: &str) -> Result<AppointmentView, ApiError> {
    send::<(), AppointmentView>(
        Method::Delete,
        format!(
            "/api/v1/public/appointments/{}?phone={}",
            encode(&normalize_code(code)),
            encode(phone)
        ),
        None,
    )
    .await
}

pub async fn reschedule(code: &str, body: RescheduleRequest) -> Result<AppointmentView, ApiError> {
    send(
        Method::Post,
        format!(
            "/api/v1/public/appointments/{}/reschedule",
            encode(&normalize_code(code))
        ),
        Some(&body),
    )
    .await
}

pub async fn staff_slots(center: i64, date: NaiveDate) -> Result<Vec<StaffSlotView>, ApiError> {
    get(format!(
        "/api/v1/appointment-slots?center={center}&date={date}"
    ))
    .await
}

pub async fn check_in(slot_id: i64) -> Result<DutyView, ApiError> {
    send::<(), DutyView>(
        Method::Post,
        format!("/api/v1/appointment-slots/{slot_id}/check-in"),
        None,
    )
    .await
}

pub async fn arrive(code: &str) -> Result<super::queue::TicketView, ApiError> {
    send::<(), super::queue::TicketView>(
        Method::Post,
        format!("/api/v1/appointments/{}/arrive", encode(code)),
        None,
    )
    .await
}

pub async fn no_show(code: &str) -> Result<BookingRow, ApiError> {
    send::<(), BookingRow>(
        Method::Post,
        format!("/api/v1/appointments/{}/no-show", encode(code)),
        None,
    )
    .await
}

pub async fn record(body: StaffBookingRequest) -> Result<AppointmentView, ApiError> {
    send(Method::Post, "/api/v1/appointments".into(), Some(&body)).await
}

/// Every slot rule, page after page.
pub async fn slot_rules() -> Result<Vec<SlotRuleView>, ApiError> {
    every_page(|cursor| {
        get_page(format!(
            "/api/v1/slot-rules?limit=200{}",
            after(cursor.as_deref())
        ))
    })
    .await
}

pub async fn save_rule(id: Option<i64>, body: SlotRuleInput) -> Result<SlotRuleView, ApiError> {
    match id {
        Some(id) => send(Method::Put, format!("/api/v1/slot-rules/{id}"), Some(&body)).await,
        None => send(Method::Post, "/api/v1/slot-rules".into(), Some(&body)).await,
    }
}

/// Starts (`true`) or stops a slot rule; stopping keeps bookings already made.
pub async fn set_rule_active(id: i64, active: bool) -> Result<SlotRuleView, ApiError> {
    let verb = if active { "activate" } else { "deactivate" };
    send::<(), _>(
        Method::Post,
        format!("/api/v1/slot-rules/{id}/{verb}"),
        None,
    )
    .await
}

pub async fn set_duty(slot_id: i64, body: DutyRequest) -> Result<StaffSlotView, ApiError> {
    send(
        Method::Put,
        format!("/api/v1/appointment-slots/{slot_id}/duty"),
        Some(&body),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_back_whatever_the_case_and_separators() {
        assert_eq!(normalize_code(" k7m2-qx9p "), "K7M2QX9P");
        assert_eq!(display_code("K7M2QX9P"), "K7M2-QX9P");
    }

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        for c in b"01ILO" {
            assert!(!CODE_ALPHABET.contains(c));
        }
    }
}
