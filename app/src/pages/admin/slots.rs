//! 预约时段: the recurring after-hours slots of each center (which days, what time, how many
//! seats, which items, who is on duty) and the duty roster (排班) of the slots of one date.
//! The form checks with the same rules as the server; the server checks again.

use chrono::{NaiveDate, NaiveTime, Weekday};
use leptos::{html, prelude::*};
use serde::{Deserialize, Serialize};

use super::{
    AdminPage, TableHead,
    org_panel::{Field, fields_view},
    status_label,
};
use crate::{
    api::{
        ApiError,
        appointments::{
            self, BookingRow, DutyRequest, DutyView, SlotRuleInput, SlotRuleView, StaffSlotView,
        },
        catalog::{self, ServiceItem},
        org::{self, CenterView, StaffView, UnitView},
        time,
        validate::{Checks, Invalid, Problems},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{CheckGroup, ErrorSummary, FormProblem, SelectField, TextField},
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
};

/// ISO order: Monday = 1 … Sunday = 7, as `SlotRuleInput::weekdays` counts.
const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

#[component]
pub fn AdminSlots() -> impl IntoView {
    view! {
        <AdminPage path="/admin/slots">
            <SlotsPage />
        </AdminPage>
    }
}

/// What the page chooses from, read once: the organisation, the catalog and the hall's date.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Org {
    centers: Vec<CenterView>,
    units: Vec<UnitView>,
    staff: Vec<StaffView>,
    items: Vec<ServiceItem>,
    today: NaiveDate,
}

async fn load_org() -> Result<Org, ApiError> {
    // Joined, all five calls start on the first poll, while the render's context is current (a
    // call started after an await may find it gone), and they run at once.
    let (centers, units, staff, items, now) = futures::try_join!(
        org::centers(),
        org::units(),
        org::staff(),
        catalog::list_all(),
        time::now()
    )?;
    Ok(Org {
        centers: centers.items,
        units: units.items,
        staff: staff.items,
        items: items.items,
        today: now.today,
    })
}

impl Org {
    fn center_name(&self, id: i64) -> String {
        self.centers
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }

    fn center_options(&self) -> Vec<(String, String)> {
        self.centers
            .iter()
            .filter(|c| c.active)
            .map(|c| (c.id.to_string(), c.name.clone()))
            .collect()
    }

    fn unit_options(&self, center: Option<i64>) -> Vec<(String, String)> {
        self.units
            .iter()
            .filter(|u| u.active && Some(u.center_id) == center)
            .map(|u| (u.id.to_string(), u.name.clone()))
            .collect()
    }

    /// Items a slot of this center (and unit, if one) can serve.
    fn item_options(&self, center: Option<i64>, unit: Option<i64>) -> Vec<(String, String)> {
        self.items
            .iter()
            .filter(|i| i.active && Some(i.center_id) == center)
            .filter(|i| unit.is_none_or(|u| i.unit_id == u))
            .map(|i| (i.code.clone(), i.name.clone()))
            .collect()
    }

    /// Active staff stationed in the center through their unit: who can be on duty there.
    fn staff_options(&self, center: Option<i64>) -> Vec<(i64, String)> {
        self.staff
            .iter()
            .filter(|s| s.active)
            .filter(|s| {
                self.units
                    .iter()
                    .any(|u| Some(u.id) == s.unit_id && Some(u.center_id) == center)
            })
            .map(|s| (s.id, s.name.clone()))
            .collect()
    }

    fn staff_names(&self, ids: &[i64]) -> String {
        let names: Vec<String> = ids
            .iter()
            .filter_map(|id| self.staff.iter().find(|s| s.id == *id))
            .map(|s| s.name.clone())
            .collect();
        if names.is_empty() {
            "未排班".into()
        } else {
            names.join("、")
        }
    }

    /// What a rule serves, in words: its items, else its unit's items, else the center's.
    fn scope(&self, rule: &SlotRuleInput) -> String {
        if !rule.item_codes.is_empty() {
            return rule
                .item_codes
                .iter()
                .map(|code| {
                    self.items
                        .iter()
                        .find(|i| &i.code == code)
                        .map(|i| i.name.clone())
                        .unwrap_or_else(|| code.clone())
                })
                .collect::<Vec<_>>()
                .join("、");
        }
        match rule
            .unit_id
            .and_then(|id| self.units.iter().find(|u| u.id == id))
        {
            Some(u) => format!("{}的全部事项", u.name),
            None => "本中心全部事项".into(),
        }
    }
}

const REST_DAYS: &str = "rest_days";
const PUBLIC_HOLIDAYS: &str = "public_holidays";

/// The days of a rule in words: its working weekdays, then 公休日 and 法定节假日.
fn days_text(rule: &SlotRuleInput) -> String {
    let mut parts = Vec::new();
    if !rule.weekdays.is_empty() {
        parts.push(weekdays_text(&rule.weekdays));
    }
    if rule.rest_days {
        parts.push("公休日".to_string());
    }
    if rule.public_holidays {
        parts.push("法定节假日".to_string());
    }
    parts.join("、")
}

/// 周一至周五 · 周六、周日: runs of three or more days read as a range.
fn weekdays_text(days: &[u32]) -> String {
    let name = |d: u32| format::weekday(WEEK[(d as usize).clamp(1, 7) - 1]);
    let mut days = days.to_vec();
    days.sort_unstable();
    days.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1] == days[j] + 1 {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(format!("{}至{}", name(days[i]), name(days[j])));
        } else {
            parts.extend(days[i..=j].iter().map(|d| name(*d).to_string()));
        }
        i = j + 1;
    }
    parts.join("、")
}

/// A time input's value (`HH:MM`, or `HH:MM:SS` where the browser adds seconds).
fn parse_time(value: &str, field: &str, label: &str) -> Result<NaiveTime, Invalid> {
    let value = value.trim();
    NaiveTime::parse_from_str(value, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(value, "%H:%M:%S"))
        .map_err(|_| Invalid::new("required", field, format!("请填写{label}")))
}

fn ids(values: &[String]) -> Vec<i64> {
    values.iter().filter_map(|v| v.parse().ok()).collect()
}

fn strings<T: ToString>(values: &[T]) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

/// The rule being added or edited, one signal per field as the inputs hold it.
#[derive(Clone, Copy)]
struct RuleForm {
    editing: RwSignal<Option<i64>>,
    center: RwSignal<String>,
    unit: RwSignal<String>,
    name: RwSignal<String>,
    weekdays: RwSignal<Vec<String>>,
    /// `rest_days` and/or `public_holidays`.
    days_off: RwSignal<Vec<String>>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    capacity: RwSignal<String>,
    items: RwSignal<Vec<String>>,
    duty: RwSignal<Vec<String>>,
}

impl RuleForm {
    fn new(center: String) -> Self {
        Self {
            editing: RwSignal::new(None),
            center: RwSignal::new(center),
            unit: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            weekdays: RwSignal::new(Vec::new()),
            days_off: RwSignal::new(Vec::new()),
            start: RwSignal::new(String::new()),
            end: RwSignal::new(String::new()),
            capacity: RwSignal::new(String::new()),
            items: RwSignal::new(Vec::new()),
            duty: RwSignal::new(Vec::new()),
        }
    }

    fn load(&self, r: &SlotRuleView) {
        let rule = &r.rule;
        self.editing.set(Some(r.id));
        self.center.set(rule.center_id.to_string());
        self.unit
            .set(rule.unit_id.map(|u| u.to_string()).unwrap_or_default());
        self.name.set(rule.name.clone());
        self.weekdays.set(strings(&rule.weekdays));
        let days_off = [
            (rule.rest_days, REST_DAYS),
            (rule.public_holidays, PUBLIC_HOLIDAYS),
        ];
        self.days_off.set(
            days_off
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, code)| code.to_string())
                .collect(),
        );
        self.start.set(rule.start_time.format("%H:%M").to_string());
        self.end.set(rule.end_time.format("%H:%M").to_string());
        self.capacity.set(rule.capacity.to_string());
        self.items.set(rule.item_codes.clone());
        self.duty.set(strings(&rule.duty_staff_ids));
    }

    /// Empties the form; the center stays, the next rule is often for the same one.
    fn clear(&self) {
        self.editing.set(None);
        for text in [self.unit, self.name, self.start, self.end, self.capacity] {
            text.set(String::new());
        }
        for list in [self.weekdays, self.days_off, self.items, self.duty] {
            list.set(Vec::new());
        }
    }

    /// The request as the server will check it, or every problem in the server's words.
    fn input(&self) -> Result<SlotRuleInput, Problems> {
        let mut checks = Checks::default();
        let center = self.center.get_untracked().parse();
        let center_id =
            checks.ok(center.map_err(|_| Invalid::new("required", "center_id", "请选择服务中心")));
        let capacity = self.capacity.get_untracked().trim().parse();
        let capacity = checks
            .ok(capacity
                .map_err(|_| Invalid::new("invalid_capacity", "capacity", "请填写容量（人）")));
        let start_time = checks.ok(parse_time(
            &self.start.get_untracked(),
            "start_time",
            "开始时间",
        ));
        let end_time = checks.ok(parse_time(
            &self.end.get_untracked(),
            "end_time",
            "结束时间",
        ));
        // What did not read stands in as a value the rules accept, so that they tell the rest.
        let checked = SlotRuleInput {
            center_id: center_id.unwrap_or_default(),
            unit_id: self.unit.get_untracked().parse().ok(),
            name: self.name.get_untracked(),
            weekdays: self
                .weekdays
                .get_untracked()
                .iter()
                .filter_map(|d| d.parse().ok())
                .collect(),
            rest_days: self
                .days_off
                .with_untracked(|d| d.iter().any(|c| c == REST_DAYS)),
            public_holidays: self
                .days_off
                .with_untracked(|d| d.iter().any(|c| c == PUBLIC_HOLIDAYS)),
            item_codes: self.items.get_untracked(),
            start_time: start_time.unwrap_or(NaiveTime::MIN),
            end_time: end_time.unwrap_or(NaiveTime::MIN),
            capacity: capacity.unwrap_or(1),
            duty_staff_ids: ids(&self.duty.get_untracked()),
        }
        .validated();
        checks.finish_with(checked)
    }
}

/// The form's input of each field an error may name.
fn slot_field(name: &str) -> Option<String> {
    let id = match name {
        "center_id" => "slot-center",
        "name" => "slot-name",
        "start_time" => "slot-start",
        "end_time" => "slot-end",
        "capacity" => "slot-capacity",
        "unit_id" => "slot-unit",
        "weekdays" => "slot-weekdays",
        "item_codes" => "slot-items",
        "duty_staff_ids" => "slot-duty",
        _ => return None,
    };
    Some(id.to_string())
}

#[component]
fn SlotsPage() -> impl IntoView {
    let org = Resource::new(|| (), |_| load_org());
    view! {
        <p class="lead">
            "延时服务预约的固定时段：哪些日子、几点到几点、每个时段可约几人、办理哪些事项、由谁值班\
                。"
        </p>
        <Suspense fallback=Loading>
            {move || suspend(async move {
                match org.await {
                    Ok(org) => view! { <SlotsEditor org=org /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SlotsEditor(org: Org) -> impl IntoView {
    let today = org.today;
    let first_center = org
        .center_options()
        .first()
        .map(|(id, _)| id.clone())
        .unwrap_or_default();
    let org = StoredValue::new(org);
    let version = RwSignal::new(0u32);
    let rules = Resource::new(move || version.get(), |_| appointments::slot_rules());
    let form = RuleForm::new(first_center.clone());
    // The outcome of saving; what is wrong with the form shows at its fields.
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    let problem = FormProblem::default();
    let heading = NodeRef::<html::H2>::new();

    let save = Action::new(|(id, body): &(Option<i64>, SlotRuleInput)| {
        appointments::save_rule(*id, body.clone())
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            form.clear();
            version.update(|v| *v += 1);
            problem.clear();
            result.set(Some(Ok(format!("已保存：{}", saved.rule.name))));
        }
        Some(Err(refused)) => {
            result.set(None);
            problem.set(refused);
        }
        None => {}
    });
    // Stopping a rule keeps it and its bookings; the list shows the outcome above it.
    let listed = RwSignal::new(None::<Result<String, ApiError>>);
    let toggle =
        Action::new(|(id, active): &(i64, bool)| appointments::set_rule_active(*id, *active));
    Effect::new(move |_| {
        if let Some(outcome) = toggle.value().get() {
            if outcome.is_ok() {
                version.update(|v| *v += 1);
            }
            listed.set(Some(outcome.map(|r| {
                let state = if r.active {
                    "已启用"
                } else {
                    "已停用（已有预约照常有效）"
                };
                format!("{}：{state}", r.rule.name)
            })));
        }
    });
    let on_toggle = Callback::new(move |(id, active): (i64, bool)| {
        toggle.dispatch((id, active));
    });
    let edit = Callback::new(move |r: SlotRuleView| {
        form.load(&r);
        result.set(None);
        problem.clear();
        // The form is below the list: take the eyes (and the screen reader) there.
        if let Some(h) = heading.get_untracked() {
            let _ = h.focus();
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        result.set(None);
        match form.input() {
            Ok(body) => {
                problem.clear();
                save.dispatch((form.editing.get_untracked(), body));
            }
            Err(problems) => problem.set(problems.into()),
        }
    };

    view! {
        <section class="panel" aria-labelledby="slot-rules">
            <h2 id="slot-rules">"时段规则"</h2>
            <ActionResult message=listed />
            <Transition fallback=Loading>
                {move || suspend(async move {
                    match rules.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="muted">"还没有预约时段。"</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <RuleTable rules=list org=org on_edit=edit on_toggle=on_toggle />
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="panel" aria-labelledby="slot-form">
            <h2 id="slot-form" tabindex="-1" node_ref=heading>
                {move || if form.editing.get().is_some() { "编辑时段" } else { "新增时段" }}
            </h2>
            <ErrorSummary error=problem.signal() target=Callback::new(|f: String| slot_field(&f)) />
            <form class="stack" on:submit=on_submit novalidate=true>
                <RuleFields form=form org=org problem=problem />
                <ActionResult message=result />
                <div class="row wrap">
                    <button type="submit" class="button primary">
                        "保存时段"
                    </button>
                    <button
                        type="button"
                        class="button ghost"
                        on:click=move |_| {
                            form.clear();
                            result.set(None);
                            problem.clear();
                        }
                    >
                        {move || {
                            if form.editing.get().is_some() { "取消编辑" } else { "清空" }
                        }}
                    </button>
                </div>
            </form>
        </section>
        <Roster org=org today=today center=first_center rules_version=version />
    }
}

#[component]
fn RuleTable(
    rules: Vec<SlotRuleView>,
    org: StoredValue<Org>,
    on_edit: Callback<SlotRuleView>,
    on_toggle: Callback<(i64, bool)>,
) -> impl IntoView {
    let mut rules = rules;
    rules.sort_by_key(|r| (r.rule.center_id, r.rule.start_time, r.id));
    view! {
        <div class="slots-table-wrap">
            <table class="table stacked slots-rules">
                <TableHead columns=&[
                    "服务中心",
                    "时段",
                    "星期",
                    "时间",
                    "容量（人）",
                    "办理事项",
                    "值班人员",
                    "状态",
                    "操作",
                ] />
                <tbody>
                    {rules
                        .into_iter()
                        .map(|r| {
                            let (center, scope, duty) = org
                                .with_value(|o| {
                                    (
                                        o.center_name(r.rule.center_id),
                                        o.scope(&r.rule),
                                        o.staff_names(&r.rule.duty_staff_ids),
                                    )
                                });
                            let label = format!("编辑时段 {} {}", center, r.rule.name);
                            let (toggle_text, toggle_label) = if r.active {
                                ("停用", format!("停用时段 {} {}", center, r.rule.name))
                            } else {
                                ("启用", format!("启用时段 {} {}", center, r.rule.name))
                            };
                            let (id, active) = (r.id, r.active);
                            let row = r.clone();
                            view! {
                                <tr class:inactive=!r.active>
                                    <td data-label="服务中心">{center}</td>
                                    <td data-label="时段">{r.rule.name.clone()}</td>
                                    <td class="slots-nowrap" data-label="星期">
                                        {days_text(&r.rule)}
                                    </td>
                                    <td class="slots-nowrap" data-label="时间">
                                        {format::time_range(r.rule.start_time, r.rule.end_time)}
                                    </td>
                                    <td data-label="容量（人）">{r.rule.capacity}</td>
                                    <td data-label="办理事项">{scope}</td>
                                    <td data-label="值班人员">{duty}</td>
                                    <td class="slots-nowrap" data-label="状态">
                                        {status_label(r.active)}
                                    </td>
                                    <td class="actions" data-label="操作">
                                        <button
                                            type="button"
                                            class="button"
                                            aria-label=label
                                            on:click=move |_| on_edit.run(row.clone())
                                        >
                                            "编辑"
                                        </button>
                                        <button
                                            type="button"
                                            class="button ghost"
                                            aria-label=toggle_label
                                            on:click=move |_| on_toggle.run((id, !active))
                                        >
                                            {toggle_text}
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The fields of a rule. Choices follow the chosen center (and unit); choices of another center
/// are dropped, so that a rule never names staff or items of a hall it is not in.
#[component]
fn RuleFields(form: RuleForm, org: StoredValue<Org>, problem: FormProblem) -> impl IntoView {
    let center_id = move || form.center.get().parse::<i64>().ok();
    let unit_id = move || form.unit.get().parse::<i64>().ok();
    let center_options = Signal::derive(move || org.with_value(Org::center_options));
    let unit_options = Signal::derive(move || org.with_value(|o| o.unit_options(center_id())));
    let item_options =
        Signal::derive(move || org.with_value(|o| o.item_options(center_id(), unit_id())));
    let staff_options = Signal::derive(move || {
        org.with_value(|o| {
            o.staff_options(center_id())
                .into_iter()
                .map(|(id, name)| (id.to_string(), name))
                .collect::<Vec<_>>()
        })
    });
    let weekday_options: Vec<(String, String)> = WEEK
        .iter()
        .zip(1..)
        .map(|(w, n): (&Weekday, u32)| (n.to_string(), format::weekday(*w).to_string()))
        .collect();
    let days_off_options = vec![
        (REST_DAYS.to_string(), "公休日".to_string()),
        (PUBLIC_HOLIDAYS.to_string(), "法定节假日".to_string()),
    ];
    Effect::new(move |_| {
        let unit = form.unit.get();
        if !unit.is_empty() && !unit_options.get().iter().any(|(v, _)| *v == unit) {
            form.unit.set(String::new());
        }
        let items = item_options.get();
        form.items
            .update(|c| c.retain(|code| items.iter().any(|(v, _)| v == code)));
        let staff = staff_options.get();
        form.duty
            .update(|c| c.retain(|id| staff.iter().any(|(v, _)| v == id)));
    });
    let grid = vec![
        Field::select(
            "slot-center",
            "服务中心",
            "center_id",
            form.center,
            center_options,
        )
        .placeholder("请选择"),
        Field::text("slot-name", "时段名称", "name", form.name)
            .required()
            .hint("如“工作日下班后”“周六上午”"),
        Field::text("slot-start", "开始时间", "start_time", form.start)
            .typed("time")
            .required(),
        Field::text("slot-end", "结束时间", "end_time", form.end)
            .typed("time")
            .required(),
        Field::text("slot-capacity", "容量（人）", "capacity", form.capacity)
            .typed("number")
            .required()
            .hint("每个时段可预约人数，1–500"),
        Field::select("slot-unit", "办理单位", "unit_id", form.unit, unit_options)
            .placeholder("本中心全部单位"),
    ];
    view! {
        <div class="slots-form-grid">{fields_view(grid, problem)}</div>
        <CheckGroup
            legend="星期"
            options=weekday_options
            chosen=form.weekdays
            id="slot-weekdays"
            error=problem.at("weekdays")
        />
        <CheckGroup
            legend="休息日（延时服务可安排在公休日、法定节假日）"
            options=days_off_options
            chosen=form.days_off
        />
        <p class="hint">
            "星期指工作日（含调休上班日）。工作日的时段须在办公时间以外。"
        </p>
        <CheckGroup
            legend="办理事项（不选则为所选单位或本中心的全部事项）"
            options=item_options
            chosen=form.items
            id="slot-items"
            error=problem.at("item_codes")
        />
        <CheckGroup
            legend="默认值班人员"
            options=staff_options
            chosen=form.duty
            id="slot-duty"
            error=problem.at("duty_staff_ids")
        />
    }
}

/// The slots of one date at one center, with seats, bookings and the duty roster to change.
#[component]
fn Roster(
    org: StoredValue<Org>,
    today: NaiveDate,
    center: String,
    rules_version: RwSignal<u32>,
) -> impl IntoView {
    let date = RwSignal::new(today.to_string());
    let center = RwSignal::new(center);
    let version = RwSignal::new(0u32);
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    let slots = Resource::new(
        move || (center.get(), date.get(), version.get(), rules_version.get()),
        |(center, date, _, _)| async move {
            match (center.parse::<i64>(), date.parse::<NaiveDate>()) {
                (Ok(center_id), Ok(date)) => appointments::staff_slots(center_id, date)
                    .await
                    .map(|list| Some((center_id, date, list))),
                _ => Ok(None),
            }
        },
    );
    let save = Action::new(|(slot_id, range, staff_ids): &(i64, String, Vec<i64>)| {
        let (slot_id, range) = (*slot_id, range.clone());
        let body = DutyRequest {
            staff_ids: staff_ids.clone(),
        };
        async move {
            appointments::set_duty(slot_id, body)
                .await
                .map(|_| format!("已保存 {range} 的排班"))
        }
    });
    Effect::new(move |_| {
        if let Some(outcome) = save.value().get() {
            result.set(Some(outcome));
            version.update(|v| *v += 1);
        }
    });
    let center_options = Signal::derive(move || org.with_value(Org::center_options));
    // While another date or center loads, the roster shown is the previous one: it must not be
    // edited (a save would change that other day), so its controls are disabled until the new
    // roster is in, and each roster names its own day and center.
    let loading = RwSignal::new(false);
    view! {
        <section class="panel" aria-labelledby="slot-roster">
            <h2 id="slot-roster">"值班排班"</h2>
            <p class="muted">
                "某一天的预约时段由规则生成，默认值班人员取自规则；可在此调整当天的值班人员。"
            </p>
            <div class="row wrap">
                <TextField id="roster-date" label="日期" value=date input_type="date" />
                <SelectField
                    id="roster-center"
                    label="中心"
                    value=center
                    options=center_options
                />
            </div>
            <ActionResult message=result />
            <fieldset
                class="roster"
                disabled=move || loading.get()
                aria-busy=move || loading.get().to_string()
            >
                <Transition fallback=Loading set_pending=loading>
                    {move || suspend(async move {
                        match slots.await {
                            Ok(None) => {
                                view! { <p class="muted">"请选择日期和中心。"</p> }
                                    .into_any()
                            }
                            Ok(Some((center_id, day, list))) => {
                                let caption = format!(
                                    "{} · {}",
                                    format::date(day),
                                    org.with_value(|o| o.center_name(center_id)),
                                );
                                view! {
                                    <p class="roster-day">
                                        <strong>{caption}</strong>
                                    </p>
                                    {if list.is_empty() {
                                        view! {
                                            <p class="muted">
                                                "这一天没有预约时段（节假日，或没有适用的规则）。"
                                            </p>
                                        }
                                            .into_any()
                                    } else {
                                        view! {
                                            <ul class="plain slots-day">
                                                {list
                                                    .into_iter()
                                                    .map(|entry| slot_duty(entry, org, save))
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        }
                    })}
                </Transition>
            </fieldset>
        </section>
    }
}

type DutyAction = Action<(i64, String, Vec<i64>), Result<String, ApiError>>;

/// One slot of the day: seats, who is on duty (and whether they checked in), the bookings.
fn slot_duty(entry: StaffSlotView, org: StoredValue<Org>, save: DutyAction) -> impl IntoView {
    let clock = HallClock::get();
    let range = clock.time_range(entry.slot.start, entry.slot.end);
    let booked = (entry.slot.capacity - entry.slot.remaining).max(0);
    // Everyone of the center may be put on duty; someone already on it stays listed even if they
    // moved away, so that they can be taken off.
    let mut people = org.with_value(|o| o.staff_options(Some(entry.center_id)));
    for d in &entry.duty {
        if !people.iter().any(|(id, _)| *id == d.staff_id) {
            people.push((d.staff_id, d.staff_name.clone()));
        }
    }
    let chosen = RwSignal::new(entry.duty.iter().map(|d| d.staff_id).collect::<Vec<_>>());
    // The server keeps whoever already checked in; the box says so instead of pretending.
    let checked_in: Vec<i64> = entry
        .duty
        .iter()
        .filter(|d| d.checked_in_at.is_some())
        .map(|d| d.staff_id)
        .collect();
    let slot_id = entry.slot.id;
    let label = format!("保存排班 {range}");
    let legend = format!("值班人员 {range}");
    let submit_range = range.clone();
    view! {
        <li class="slots-slot">
            <div class="slots-slot-head">
                <h3>{format!("{range} {}", entry.name)}</h3>
                <p class="slots-seats">
                    {format!(
                        "容量 {} 人 · 已约 {} 人 · 剩余 {} 人",
                        entry.slot.capacity,
                        booked,
                        entry.slot.remaining,
                    )}
                </p>
            </div>
            <p>"值班："{duty_text(&entry.duty, clock)}</p>
            <div class="slots-duty">
                <fieldset class="checkgroup">
                    <legend>{legend}</legend>
                    {people
                        .into_iter()
                        .map(|(id, name)| {
                            let locked = checked_in.contains(&id);
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || chosen.with(|c| c.contains(&id))
                                        disabled=locked
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen
                                                .update(|c| {
                                                    c.retain(|x| *x != id);
                                                    if on {
                                                        c.push(id);
                                                    }
                                                });
                                        }
                                    />
                                    <span>{name}{locked.then_some("（已签到）")}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <button
                    type="button"
                    class="button"
                    aria-label=label
                    on:click=move |_| {
                        save.dispatch((slot_id, submit_range.clone(), chosen.get_untracked()));
                    }
                >
                    "保存排班"
                </button>
            </div>
            <Bookings rows=entry.bookings />
        </li>
    }
}

/// 张三（17:02 签到，迟到 2 分钟）、李四（未签到）
fn duty_text(duty: &[DutyView], clock: HallClock) -> String {
    if duty.is_empty() {
        return "未排班".into();
    }
    duty.iter()
        .map(|d| {
            let at = d.checked_in_at.map(|t| clock.to_local(t).format("%H:%M"));
            match (at, d.late_minutes.filter(|m| *m > 0)) {
                (Some(at), Some(late)) => {
                    format!("{}（{at} 签到，迟到 {late} 分钟）", d.staff_name)
                }
                (Some(at), None) => format!("{}（{at} 签到）", d.staff_name),
                (None, _) => format!("{}（未签到）", d.staff_name),
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

#[component]
fn Bookings(rows: Vec<BookingRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"暂无预约。"</p> }.into_any();
    }
    let summary = format!("预约名单（{} 条）", rows.len());
    let rows = rows.into_iter().map(|b| {
        view! {
            <tr>
                <td data-label="姓名">{b.name}</td>
                <td class="slots-nowrap" data-label="电话">
                    {b.phone_masked}
                </td>
                <td data-label="事项">{b.item_name}</td>
                <td data-label="方式">{b.method.label()}</td>
                <td data-label="状态">
                    {appointments::status_label(b.status)}
                    {b.ticket_number.map(|n| format!("（{n} 号）"))}
                </td>
            </tr>
        }
    });
    view! {
        <details class="slots-bookings">
            <summary>{summary}</summary>
            <div class="slots-table-wrap">
                <table class="table compact stacked">
                    <TableHead columns=&["姓名", "电话", "事项", "方式", "状态"] />
                    <tbody>{rows.collect_view()}</tbody>
                </table>
            </div>
        </details>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rules_days_name_weekdays_rest_days_and_holidays() {
        let rule = SlotRuleInput {
            center_id: 1,
            unit_id: None,
            name: "节假日".into(),
            weekdays: vec![6],
            rest_days: true,
            public_holidays: true,
            item_codes: Vec::new(),
            start_time: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            end_time: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            capacity: 5,
            duty_staff_ids: Vec::new(),
        };
        assert_eq!(days_text(&rule), "周六、公休日、法定节假日");
    }

    #[test]
    fn weekday_runs_read_as_ranges() {
        assert_eq!(weekdays_text(&[1, 2, 3, 4, 5]), "周一至周五");
        assert_eq!(weekdays_text(&[6, 7]), "周六、周日");
        assert_eq!(weekdays_text(&[7, 1, 3, 2, 6]), "周一至周三、周六、周日");
    }
}
