//! The organisation: service centers, units stationed in them, windows, staff.

use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::{
    ApiError,
    auth::Role,
    client::{Method, after, every_page, get, send},
    validate::{
        Checks, Invalid, Problems, contact_phone, optional_text, password_names_account,
        password_strength, required_text, staff_number,
    },
};

/// District hall, or a town / street center with its own hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CenterKind {
    /// 区政务服务中心
    District,
    /// 镇民生服务中心
    Town,
    /// 街道民生服务中心
    Street,
}

impl CenterKind {
    pub const ALL: [CenterKind; 3] = [CenterKind::District, CenterKind::Town, CenterKind::Street];

    pub fn code(self) -> &'static str {
        match self {
            CenterKind::District => "district",
            CenterKind::Town => "town",
            CenterKind::Street => "street",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            CenterKind::District => "区级政务服务中心",
            CenterKind::Town => "镇民生服务中心",
            CenterKind::Street => "街道民生服务中心",
        }
    }
}

/// One opening session of a day, local time, `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpeningSession {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CenterView {
    pub id: i64,
    pub name: String,
    pub kind: CenterKind,
    pub address: String,
    pub phone: String,
    pub active: bool,
    /// The center's business hours (regular week, seasons, closures).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub business_hours: rules::BusinessHours,
}

/// A center as citizens see it: where, how to call, and today's opening hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicCenter {
    pub id: i64,
    pub name: String,
    pub kind: CenterKind,
    pub address: String,
    pub phone: String,
    /// Local date these hours are for.
    pub today: String,
    /// Empty when the center is closed today.
    pub today_hours: Vec<OpeningSession>,
}

/// The booking page of a center as a QR code, for the kiosk and the call display of a closed hall:
/// the address it holds and the code as an SVG image drawn on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BookingQr {
    pub url: String,
    /// A standalone `<svg>` element (no XML declaration), ready to be placed in the page.
    pub svg: String,
}

/// `GET /api/v1/public/booking-qr?center=`.
pub async fn booking_qr(center_id: i64) -> Result<BookingQr, super::ApiError> {
    super::client::get(format!("/api/v1/public/booking-qr?center={center_id}")).await
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicCenters {
    pub centers: Vec<PublicCenter>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CenterInput {
    pub name: String,
    pub kind: CenterKind,
    pub address: String,
    pub phone: String,
    /// Defaults to the district hall's hours (9:00–12:00, 13:00–17:00 on working days).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub business_hours: Option<rules::BusinessHours>,
}

impl CenterInput {
    /// Every field checked; every problem told.
    pub fn validated(&self) -> Result<Self, Problems> {
        let mut checks = Checks::default();
        if let Some(hours) = &self.business_hours
            && let Err(issues) = hours.validate()
        {
            let text: Vec<String> = issues.iter().map(|i| i.message_zh()).collect();
            let message = text.join("；");
            checks.fail(Invalid::new(
                "invalid_business_hours",
                "business_hours",
                message,
            ));
        }
        let name = checks.value(required_text(&self.name, "name", "中心名称", 60));
        let address = checks.value(required_text(&self.address, "address", "地址", 120));
        let phone = checks.value(contact_phone(&self.phone, "phone"));
        checks.finish(Self {
            name,
            kind: self.kind,
            address,
            phone,
            business_hours: self.business_hours.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitView {
    pub id: i64,
    pub center_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub chief_representative_id: Option<i64>,
    pub chief_representative_name: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    pub center_id: i64,
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// Must hold the chief representative role and belong to this unit.
    #[serde(default)]
    pub chief_representative_id: Option<i64>,
}

impl UnitInput {
    /// Every field checked; every problem told.
    pub fn validated(&self) -> Result<Self, Problems> {
        let mut checks = Checks::default();
        let name = checks.value(required_text(&self.name, "name", "单位名称", 60));
        let phone = optional_text(self.phone.as_deref(), "phone", "电话", 20)
            .and_then(|p| p.map(|p| contact_phone(&p, "phone")).transpose());
        let phone = checks.value(phone);
        checks.finish(Self {
            center_id: self.center_id,
            name,
            phone,
            chief_representative_id: self.chief_representative_id,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WindowView {
    pub id: i64,
    pub center_id: i64,
    pub number: String,
    pub name: Option<String>,
    pub unit_ids: Vec<i64>,
    pub active: bool,
}

impl WindowView {
    /// "A01 号窗口（企业开办）", as the windows' own choices read.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{} 号窗口（{name}）", self.number),
            None => format!("{} 号窗口", self.number),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowInput {
    pub center_id: i64,
    /// Shown above the counter, e.g. `A01`.
    pub number: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Units this window serves (of the same center); at least one.
    pub unit_ids: Vec<i64>,
}

impl WindowInput {
    /// Every field checked; every problem told.
    pub fn validated(&self) -> Result<Self, Problems> {
        let mut checks = Checks::default();
        let number = checks.value(required_text(&self.number, "number", "窗口号", 10));
        if !number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            checks.fail(Invalid::new(
                "invalid_window_number",
                "number",
                "窗口号只能包含字母、数字和 -",
            ));
        }
        if self.unit_ids.is_empty() {
            checks.fail(Invalid::new(
                "required",
                "unit_ids",
                "请至少选择一个服务单位",
            ));
        }
        let name = checks.value(optional_text(self.name.as_deref(), "name", "窗口名称", 40));
        let mut unit_ids = self.unit_ids.clone();
        unit_ids.sort_unstable();
        unit_ids.dedup();
        checks.finish(Self {
            center_id: self.center_id,
            number,
            name,
            unit_ids,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffView {
    pub id: i64,
    pub staff_number: String,
    pub name: String,
    pub unit_id: Option<i64>,
    pub window_ids: Vec<i64>,
    pub roles: Vec<Role>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffInput {
    pub staff_number: String,
    pub name: String,
    #[serde(default)]
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub window_ids: Vec<i64>,
    pub roles: Vec<Role>,
    /// Required when creating; when updating, a new password or none to keep it.
    #[serde(default)]
    pub password: Option<String>,
}

impl StaffInput {
    /// Every field checked; every problem told.
    pub fn validated(&self) -> Result<Self, Problems> {
        let mut checks = Checks::default();
        if self.roles.is_empty() {
            checks.fail(Invalid::new("required", "roles", "请至少选择一个角色"));
        }
        let mut roles = self.roles.clone();
        roles.sort();
        roles.dedup();
        let needs_unit = roles.contains(&Role::Clerk) || roles.contains(&Role::ChiefRepresentative);
        // Separation of duties: a supervisor closes out (销号) rectifications and decides
        // appeals, never on a unit of their own.
        if needs_unit && roles.contains(&Role::Supervisor) {
            checks.fail(Invalid::new(
                "roles_conflict",
                "roles",
                "督查人员不能兼任窗口工作人员或首席代表",
            ));
        }
        if needs_unit && self.unit_id.is_none() {
            checks.fail(Invalid::new(
                "unit_required",
                "unit_id",
                "窗口工作人员和首席代表须属于一个单位",
            ));
        }
        let mut window_ids = self.window_ids.clone();
        window_ids.sort_unstable();
        window_ids.dedup();
        let number = checks.value(staff_number(&self.staff_number, "staff_number"));
        let name = checks.value(required_text(&self.name, "name", "姓名", 30));
        if let Some(password) = self.password.as_deref().filter(|p| !p.is_empty()) {
            checks.value(password_strength(password, "password"));
            let named = password_names_account(password, &self.staff_number, "password");
            checks.value(named);
        }
        checks.finish(Self {
            staff_number: number,
            name,
            unit_id: self.unit_id,
            window_ids,
            roles,
            password: self.password.clone().filter(|p| !p.is_empty()),
        })
    }
}

/// Lists come wrapped, so that they can grow fields (paging) without breaking clients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Items<T> {
    pub items: Vec<T>,
    /// Paged lists (staff): the `cursor` of the next page, also in the `Link` and
    /// `X-Next-Cursor` headers; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl<T> From<Vec<T>> for Items<T> {
    fn from(items: Vec<T>) -> Self {
        Items {
            items,
            next_cursor: None,
        }
    }
}

/// A page of a long list: `limit` 1 to 200 (default 100), `cursor` from the previous page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Rows per page: 1 to 200, default 100.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The next page's cursor, from the previous answer's `Link` / `X-Next-Cursor`.
    #[serde(default)]
    pub cursor: Option<String>,
}

pub async fn public_centers() -> Result<PublicCenters, ApiError> {
    get("/api/v1/public/centers".into()).await
}

pub async fn centers() -> Result<Items<CenterView>, ApiError> {
    list("centers").await
}

pub async fn units() -> Result<Items<UnitView>, ApiError> {
    list("units").await
}

/// Every window, by center and number (the server lists them in the order they were set up).
pub async fn windows() -> Result<Items<WindowView>, ApiError> {
    let mut all = list::<WindowView>("windows").await?;
    all.items
        .sort_by(|a, b| (a.center_id, &a.number).cmp(&(b.center_id, &b.number)));
    Ok(all)
}

/// Every staff member, page after page.
pub async fn staff() -> Result<Items<StaffView>, ApiError> {
    list("staff").await
}

/// Every record of `resource` (`centers`, `units`, `windows` or `staff`), page after page.
pub async fn list<T>(resource: &'static str) -> Result<Items<T>, ApiError>
where
    T: DeserializeOwned + Send + 'static,
{
    let rows = every_page(|cursor| async move {
        let path = format!("/api/v1/{resource}?limit=200{}", after(cursor.as_deref()));
        let page: Items<T> = get(path).await?;
        Ok((page.items, page.next_cursor))
    })
    .await?;
    Ok(rows.into())
}

/// Creates a record of `resource` (no `id`) or replaces the record `id`.
pub async fn save<B, T>(resource: &'static str, id: Option<i64>, body: B) -> Result<T, ApiError>
where
    B: Serialize,
    T: DeserializeOwned + Send + 'static,
{
    match id {
        Some(id) => send(Method::Put, format!("/api/v1/{resource}/{id}"), Some(&body)).await,
        None => send(Method::Post, format!("/api/v1/{resource}"), Some(&body)).await,
    }
}

/// `resource` is `centers`, `units`, `windows` or `staff`.
pub async fn set_active(resource: &'static str, id: i64, active: bool) -> Result<(), ApiError> {
    let verb = if active { "activate" } else { "deactivate" };
    send::<(), ()>(
        Method::Post,
        format!("/api/v1/{resource}/{id}/{verb}"),
        None,
    )
    .await
}
