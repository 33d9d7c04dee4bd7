//! The service-item catalog (事项目录): one source for every channel — the public guide, the
//! one-time notice, the clerk's review screen, the kiosk and the booking pages all read these
//! records, so the promised limit shown anywhere is the same number (Seed §二(三)一).

use rules::{
    SpecialProcedure, Stage, StageLimit, TimeLimit,
    review::{MaterialRequirement, MaterialSpec},
};
use serde::{Deserialize, Serialize};

use super::{
    ApiError,
    client::{encode, get},
    validate::{Checks, Invalid, Problems, contact_phone, required_text},
};

/// The seven categories every item belongs to (Seed §二(二)一).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemCategory {
    /// 行政许可
    Licensing,
    /// 行政确认
    Confirmation,
    /// 行政给付
    Benefit,
    /// 行政裁决
    Adjudication,
    /// 行政奖励
    Reward,
    /// 其他行政权力
    OtherPower,
    /// 公共服务
    PublicService,
}

impl ItemCategory {
    pub const ALL: [ItemCategory; 7] = [
        ItemCategory::Licensing,
        ItemCategory::Confirmation,
        ItemCategory::Benefit,
        ItemCategory::Adjudication,
        ItemCategory::Reward,
        ItemCategory::OtherPower,
        ItemCategory::PublicService,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ItemCategory::Licensing => "licensing",
            ItemCategory::Confirmation => "confirmation",
            ItemCategory::Benefit => "benefit",
            ItemCategory::Adjudication => "adjudication",
            ItemCategory::Reward => "reward",
            ItemCategory::OtherPower => "other_power",
            ItemCategory::PublicService => "public_service",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemCategory::Licensing => "行政许可",
            ItemCategory::Confirmation => "行政确认",
            ItemCategory::Benefit => "行政给付",
            ItemCategory::Adjudication => "行政裁决",
            ItemCategory::Reward => "行政奖励",
            ItemCategory::OtherPower => "其他行政权力",
            ItemCategory::PublicService => "公共服务",
        }
    }
}

/// Originals, copies, or both (原件 / 复印件 / 原件及复印件).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Copies {
    Original,
    Copy,
    OriginalAndCopy,
}

impl Copies {
    pub fn label(self) -> &'static str {
        match self {
            Copies::Original => "原件",
            Copies::Copy => "复印件",
            Copies::OriginalAndCopy => "原件及复印件",
        }
    }
}

/// Paper, electronic, or either (纸质 / 电子).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MaterialForm {
    Paper,
    Electronic,
    PaperOrElectronic,
}

impl MaterialForm {
    pub fn label(self) -> &'static str {
        match self {
            MaterialForm::Paper => "纸质",
            MaterialForm::Electronic => "电子",
            MaterialForm::PaperOrElectronic => "纸质或电子",
        }
    }
}

/// One material an applicant hands in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Material {
    /// Stable within the item (`m1`, `id_card` …); verdicts and notices refer to it.
    pub key: String,
    pub name: String,
    pub copies: Copies,
    /// How many (份).
    pub count: u32,
    pub form: MaterialForm,
    /// Where the applicant gets it (申请人自备, 公安机关 …).
    pub source: String,
    /// Required, conditional (with the condition) or optional.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub requirement: MaterialRequirement,
    #[serde(default)]
    pub note: Option<String>,
}

impl Material {
    /// "原件及复印件 1 份，纸质；申请人自备"
    pub fn description(&self) -> String {
        format!(
            "{} {} 份，{}；{}",
            self.copies.label(),
            self.count,
            self.form.label(),
            self.source
        )
    }

    pub fn requirement_label(&self) -> String {
        match &self.requirement {
            MaterialRequirement::Required => "必交".into(),
            MaterialRequirement::Conditional { condition } => format!("{condition}时提交"),
            MaterialRequirement::Optional => "选交".into(),
        }
    }
}

/// The time limit as the catalog states it: an immediate item in minutes, or a promised item in
/// working days with the statutory limit beside it (promised ≤ statutory).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum LimitSpec {
    /// 即办件
    Immediate { minutes: u32 },
    /// 承诺件
    Promised {
        working_days: u32,
        statutory_working_days: u32,
    },
}

impl LimitSpec {
    pub fn time_limit(self) -> TimeLimit {
        match self {
            LimitSpec::Immediate { minutes } => TimeLimit::Immediate { minutes },
            LimitSpec::Promised { working_days, .. } => TimeLimit::Promised { working_days },
        }
    }

    /// The promised limit as every channel shows it.
    pub fn promised_label(self) -> String {
        match self {
            LimitSpec::Immediate { minutes } if minutes % 60 == 0 => {
                format!("即办件，{} 小时内办结", minutes / 60)
            }
            LimitSpec::Immediate { minutes } => format!("即办件，{minutes} 分钟内办结"),
            LimitSpec::Promised { working_days, .. } => format!("承诺件，{working_days} 个工作日"),
        }
    }

    pub fn statutory_label(self) -> Option<String> {
        match self {
            LimitSpec::Immediate { .. } => None,
            LimitSpec::Promised {
                statutory_working_days,
                ..
            } => Some(format!("法定 {statutory_working_days} 个工作日")),
        }
    }
}

/// 告知承诺制: what the applicant is told and commits to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommitmentSpec {
    /// The conditions, standards and technical requirements the applicant commits to meet.
    pub standards: Vec<String>,
    /// Materials the applicant may hand in later, and by when (working days after the decision).
    pub deferred_materials: Vec<String>,
    pub deferred_within_working_days: u32,
    /// When the follow-up check (核查) is due after the decision.
    pub follow_up_after_working_days: u32,
}

/// A service item as stored and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceItem {
    /// The item's code (事项编码), stable.
    pub code: String,
    pub name: String,
    pub category: ItemCategory,
    pub unit_id: i64,
    pub unit_name: String,
    pub center_id: i64,
    pub center_name: String,
    /// 设定依据
    pub legal_basis: String,
    /// 受理条件
    pub conditions: Vec<String>,
    pub materials: Vec<Material>,
    /// True when the item needs no material at all (then `materials` is empty).
    pub no_materials: bool,
    /// 办理流程
    pub steps: Vec<String>,
    pub time_limit: LimitSpec,
    /// 受理/审查/决定/送达 limits inside the total.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub stage_limits: Vec<StageLimit>,
    /// Special procedures it may need (they stop the clock).
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub special_procedures: Vec<SpecialProcedure>,
    /// Extension bound in working days (行政许可: 10), 0 when none is allowed.
    pub extension_bound_days: u32,
    /// The statutory fee and its basis; `None` means free of charge (不收费).
    pub fee: Option<String>,
    /// 办理地点
    pub place: String,
    /// 咨询电话
    pub phone: String,
    /// 告知承诺制 applies.
    pub commitment: Option<CommitmentSpec>,
    pub active: bool,
}

impl ServiceItem {
    /// The materials as the review needs them.
    pub fn material_specs(&self) -> Vec<MaterialSpec> {
        self.materials
            .iter()
            .map(|m| MaterialSpec {
                key: m.key.clone(),
                name: m.name.clone(),
                requirement: m.requirement.clone(),
            })
            .collect()
    }

    /// What the guide and the notices say of its special procedures (see
    /// `rules::SpecialProcedure::clock_clause`); `None` when it lists none.
    pub fn special_procedures_clause(&self) -> Option<String> {
        SpecialProcedure::clock_clause(
            &self.special_procedures,
            self.category == ItemCategory::Licensing,
        )
    }

    pub fn fee_label(&self) -> String {
        self.fee.clone().unwrap_or_else(|| "不收费".into())
    }
}

/// What an administrator sends to create or replace an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceItemInput {
    pub code: String,
    pub name: String,
    pub category: ItemCategory,
    pub unit_id: i64,
    pub legal_basis: String,
    pub conditions: Vec<String>,
    pub materials: Vec<Material>,
    #[serde(default)]
    pub no_materials: bool,
    pub steps: Vec<String>,
    pub time_limit: LimitSpec,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub stage_limits: Vec<StageLimit>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub special_procedures: Vec<SpecialProcedure>,
    #[serde(default)]
    pub extension_bound_days: u32,
    #[serde(default)]
    pub fee: Option<String>,
    pub place: String,
    pub phone: String,
    #[serde(default)]
    pub commitment: Option<CommitmentSpec>,
}

/// The most any item may be extended by (行政许可法 第四十二条: ten working days for licensing;
/// other categories follow their own laws, none beyond thirty here).
pub const MAX_EXTENSION_DAYS: u32 = 30;

impl ServiceItemInput {
    /// The catalog's rules: promised ≤ statutory; stages add up to no more than the total; at
    /// least one material unless marked none; material keys unique; licensing extensions ≤ 10.
    pub fn validated(&self) -> Result<Self, Problems> {
        let mut checks = Checks::default();
        let code = self.code.trim().to_string();
        if code.is_empty()
            || code.len() > 40
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            checks.fail(Invalid::new(
                "invalid_item_code",
                "code",
                "事项编码须为 1–40 位字母、数字、- 或 _",
            ));
        }
        let name = checks.value(required_text(&self.name, "name", "事项名称", 80));
        let legal_basis = checks.value(required_text(
            &self.legal_basis,
            "legal_basis",
            "设定依据",
            2000,
        ));
        let place = checks.value(required_text(&self.place, "place", "办理地点", 200));
        let phone = checks.value(contact_phone(&self.phone, "phone"));
        match self.time_limit {
            LimitSpec::Immediate { minutes } if minutes == 0 || minutes > 24 * 60 => {
                checks.fail(Invalid::new(
                    "invalid_time_limit",
                    "time_limit",
                    "即办件时限须为 1–1440 分钟",
                ));
            }
            LimitSpec::Promised {
                working_days,
                statutory_working_days,
            } => {
                if working_days == 0 {
                    checks.fail(Invalid::new(
                        "invalid_time_limit",
                        "time_limit",
                        "承诺时限至少 1 个工作日",
                    ));
                }
                if working_days > statutory_working_days {
                    checks.fail(Invalid::new(
                        "promised_exceeds_statutory",
                        "time_limit",
                        format!(
                            "承诺时限 {working_days} 个工作日超过法定时限 {statutory_working_days} \
                                个工作日"
                        ),
                    ));
                }
                if let Err(e) =
                    rules::deadline::validate_stage_limits(&self.stage_limits, working_days)
                {
                    let message = e.to_string();
                    let code = match e {
                        rules::deadline::StageLimitError::ZeroDays { .. } => "invalid_stage_limit",
                        _ => "stage_limits_exceed_total",
                    };
                    checks.fail(Invalid::new(code, "stage_limits", message));
                }
            }
            LimitSpec::Immediate { .. } => {
                if !self.stage_limits.is_empty() {
                    checks.fail(Invalid::new(
                        "stage_limits_exceed_total",
                        "stage_limits",
                        "即办件不设环节时限",
                    ));
                }
            }
        }
        if self.no_materials && !self.materials.is_empty() {
            checks.fail(Invalid::new(
                "materials_conflict",
                "materials",
                "标注“无需材料”的事项不能再列材料",
            ));
        }
        if !self.no_materials && self.materials.is_empty() {
            checks.fail(Invalid::new(
                "materials_required",
                "materials",
                "请至少列出一项申请材料，或标注“无需材料”",
            ));
        }
        let mut materials = Vec::with_capacity(self.materials.len());
        for (i, m) in self.materials.iter().enumerate() {
            let field = format!("materials[{i}]");
            let key = m.key.trim().to_string();
            if key.is_empty() || materials.iter().any(|x: &Material| x.key == key) {
                checks.fail(Invalid::new(
                    "duplicate_material_key",
                    &field,
                    "材料标识不能为空或重复",
                ));
            }
            if m.count == 0 || m.count > 99 {
                checks.fail(Invalid::new("invalid_count", &field, "材料份数须为 1–99"));
            }
            if let MaterialRequirement::Conditional { condition } = &m.requirement
                && condition.trim().is_empty()
            {
                checks.fail(Invalid::new(
                    "condition_required",
                    &field,
                    "条件性材料须写明提交条件",
                ));
            }
            materials.push(Material {
                key,
                name: checks.value(required_text(&m.name, &field, "材料名称", 80)),
                source: checks.value(required_text(&m.source, &field, "材料来源", 80)),
                ..m.clone()
            });
        }
        let bound = self.extension_bound_days;
        if bound > MAX_EXTENSION_DAYS
            || (self.category == ItemCategory::Licensing
                && bound > rules::deadline::LICENSING_EXTENSION_BOUND)
        {
            checks.fail(Invalid::new(
                "extension_bound_too_large",
                "extension_bound_days",
                "延期上限超过法定上限（行政许可：10 个工作日）",
            ));
        }
        if matches!(self.time_limit, LimitSpec::Immediate { .. })
            && (bound > 0 || !self.special_procedures.is_empty())
        {
            checks.fail(Invalid::new(
                "not_for_immediate_items",
                "extension_bound_days",
                "即办件不能延期或中止计时",
            ));
        }
        let clean = |list: &[String]| {
            list.iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        checks.finish(Self {
            code,
            name,
            legal_basis,
            place,
            phone,
            conditions: clean(&self.conditions),
            steps: clean(&self.steps),
            materials,
            fee: self
                .fee
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_string),
            ..self.clone()
        })
    }
}

/// Catalog filters (all optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CatalogQuery {
    pub category: Option<ItemCategory>,
    pub unit: Option<i64>,
    pub center: Option<i64>,
    /// Words in the name, code or legal basis.
    pub q: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Catalog {
    pub items: Vec<ServiceItem>,
}

pub async fn list(query: CatalogQuery) -> Result<Catalog, ApiError> {
    let mut params = Vec::new();
    if let Some(c) = query.category {
        params.push(format!("category={}", c.code()));
    }
    if let Some(u) = query.unit {
        params.push(format!("unit={u}"));
    }
    if let Some(c) = query.center {
        params.push(format!("center={c}"));
    }
    if let Some(q) = query.q.filter(|q| !q.trim().is_empty()) {
        params.push(format!("q={}", encode(q.trim())));
    }
    let qs = if params.is_empty() {
        String::new()
    } else {
        format!("?{}", params.join("&"))
    };
    get(format!("/api/v1/service-items{qs}")).await
}

pub async fn item(code: &str) -> Result<ServiceItem, ApiError> {
    get(format!("/api/v1/service-items/{}", encode(code))).await
}

/// Which stages of a promised item have a limit, in order.
pub fn stage_label(stage: Stage) -> &'static str {
    stage.label_zh()
}

/// The whole catalog including deactivated items (Admin).
pub async fn list_all() -> Result<Catalog, ApiError> {
    get("/api/v1/admin/service-items".into()).await
}

/// Creates an item (`existing_code` is `None`) or replaces the item with that code (Admin).
pub async fn save(
    existing_code: Option<String>,
    input: ServiceItemInput,
) -> Result<ServiceItem, ApiError> {
    use super::{Method, client::send};
    match existing_code {
        Some(code) => {
            send(
                Method::Put,
                format!("/api/v1/service-items/{}", encode(&code)),
                Some(&input),
            )
            .await
        }
        None => send(Method::Post, "/api/v1/service-items".into(), Some(&input)).await,
    }
}

/// Takes an item back into service or stops offering it (Admin).
pub async fn set_active(code: &str, active: bool) -> Result<(), ApiError> {
    use super::{Method, client::send};
    let verb = if active { "activate" } else { "deactivate" };
    send::<(), ()>(
        Method::Post,
        format!("/api/v1/service-items/{}/{verb}", encode(code)),
        None,
    )
    .await
}
