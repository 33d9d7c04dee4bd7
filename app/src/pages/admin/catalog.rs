//! 办事事项: the service-item catalog editor — guide texts, materials, time limits, fees and
//! 告知承诺制. The browser checks an item with the same `ServiceItemInput::validated()` the server
//! runs again on save.

use leptos::{html, prelude::*};
use leptos_meta::Title;
use rules::{SpecialProcedure, Stage, StageLimit, review::MaterialRequirement};

use super::{AdminTabs, status_label};
use crate::{
    api::{
        ApiError, Role,
        catalog::{
            self, CommitmentSpec, Copies, ItemCategory, LimitSpec, Material, MaterialForm,
            ServiceItem, ServiceItemInput,
        },
        org,
        validate::Invalid,
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{CheckGroup, SelectField, TextField},
        guard::RequireRole,
        suspend::suspend,
    },
};

const IMMEDIATE: &str = "immediate";
const PROMISED: &str = "promised";
const REQUIRED: &str = "required";
const CONDITIONAL: &str = "conditional";
const OPTIONAL: &str = "optional";

#[component]
pub fn AdminCatalog() -> impl IntoView {
    view! {
        <Title text="办事事项 · 系统管理"/>
        <RequireRole role=Role::Admin render=|_me| view! { <CatalogPanel/> }/>
    }
}

// --- Codes of the select boxes -------------------------------------------------------------

const COPIES: [Copies; 3] = [Copies::Original, Copies::Copy, Copies::OriginalAndCopy];
const FORMS: [MaterialForm; 3] = [
    MaterialForm::Paper,
    MaterialForm::Electronic,
    MaterialForm::PaperOrElectronic,
];

fn copies_code(c: Copies) -> &'static str {
    match c {
        Copies::Original => "original",
        Copies::Copy => "copy",
        Copies::OriginalAndCopy => "original_and_copy",
    }
}

fn form_code(f: MaterialForm) -> &'static str {
    match f {
        MaterialForm::Paper => "paper",
        MaterialForm::Electronic => "electronic",
        MaterialForm::PaperOrElectronic => "paper_or_electronic",
    }
}

fn copies_options() -> Vec<(&'static str, &'static str)> {
    COPIES
        .iter()
        .map(|c| (copies_code(*c), c.label()))
        .collect()
}

fn form_options() -> Vec<(&'static str, &'static str)> {
    FORMS.iter().map(|f| (form_code(*f), f.label())).collect()
}

fn requirement_options() -> Vec<(&'static str, &'static str)> {
    vec![
        (REQUIRED, "必交"),
        (CONDITIONAL, "条件"),
        (OPTIONAL, "选交"),
    ]
}

/// Non-empty trimmed lines of a textarea.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A whole number typed into a field.
fn number(text: &str, field: &str, label: &str) -> Result<u32, Invalid> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| Invalid::new("invalid_number", field, format!("{label}须填写为非负整数")))
}

/// A whole number where blank means zero.
fn number_or_zero(text: &str, field: &str, label: &str) -> Result<u32, Invalid> {
    if text.trim().is_empty() {
        Ok(0)
    } else {
        number(text, field, label)
    }
}

// --- One editable material row -------------------------------------------------------------

/// A row of the materials table; every cell is its own signal.
#[derive(Clone, Copy)]
struct MaterialRow {
    id: u32,
    key: RwSignal<String>,
    name: RwSignal<String>,
    copies: RwSignal<String>,
    count: RwSignal<String>,
    form: RwSignal<String>,
    source: RwSignal<String>,
    requirement: RwSignal<String>,
    condition: RwSignal<String>,
    note: RwSignal<String>,
}

impl MaterialRow {
    fn new(id: u32, m: Option<&Material>, default_key: String) -> Self {
        let (requirement, condition) = match m.map(|m| &m.requirement) {
            Some(MaterialRequirement::Conditional { condition }) => {
                (CONDITIONAL, condition.clone())
            }
            Some(MaterialRequirement::Optional) => (OPTIONAL, String::new()),
            _ => (REQUIRED, String::new()),
        };
        MaterialRow {
            id,
            key: RwSignal::new(m.map_or(default_key, |m| m.key.clone())),
            name: RwSignal::new(m.map(|m| m.name.clone()).unwrap_or_default()),
            copies: RwSignal::new(copies_code(m.map_or(Copies::Original, |m| m.copies)).into()),
            count: RwSignal::new(m.map_or(1, |m| m.count).to_string()),
            form: RwSignal::new(form_code(m.map_or(MaterialForm::Paper, |m| m.form)).into()),
            source: RwSignal::new(m.map_or_else(|| "申请人自备".into(), |m| m.source.clone())),
            requirement: RwSignal::new(requirement.into()),
            condition: RwSignal::new(condition),
            note: RwSignal::new(m.and_then(|m| m.note.clone()).unwrap_or_default()),
        }
    }

    fn to_material(self, position: usize) -> Result<Material, Invalid> {
        let field = format!("materials[{position}]");
        let count = number(
            &self.count.get_untracked(),
            &field,
            &format!("第 {} 项材料的份数", position + 1),
        )?;
        let copies_code_now = self.copies.get_untracked();
        let form_code_now = self.form.get_untracked();
        let requirement = match self.requirement.get_untracked().as_str() {
            CONDITIONAL => MaterialRequirement::Conditional {
                condition: self.condition.get_untracked().trim().to_string(),
            },
            OPTIONAL => MaterialRequirement::Optional,
            _ => MaterialRequirement::Required,
        };
        let note = self.note.get_untracked().trim().to_string();
        Ok(Material {
            key: self.key.get_untracked(),
            name: self.name.get_untracked(),
            copies: COPIES
                .into_iter()
                .find(|c| copies_code(*c) == copies_code_now)
                .unwrap_or(Copies::Original),
            count,
            form: FORMS
                .into_iter()
                .find(|f| form_code(*f) == form_code_now)
                .unwrap_or(MaterialForm::Paper),
            source: self.source.get_untracked(),
            requirement,
            note: (!note.is_empty()).then_some(note),
        })
    }
}

/// A select inside a table cell, named by `label` for assistive technology.
#[component]
fn CellSelect(
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    view! {
        <select aria-label=move || label.get()
            on:change=move |ev| value.set(event_target_value(&ev))
            prop:value=move || value.get()>
            {options.into_iter().map(|(v, l)| {
                let selected = v == value.get_untracked();
                view! { <option value=v selected=selected>{l}</option> }
            }).collect_view()}
        </select>
    }
}

#[component]
fn MaterialRowView(row: MaterialRow, rows: RwSignal<Vec<MaterialRow>>) -> impl IntoView {
    let id = row.id;
    let position = move || {
        rows.with(|r| r.iter().position(|x| x.id == id))
            .map_or(0, |p| p + 1)
    };
    let label = move |what: &'static str| move || format!("第{}项材料的{what}", position());
    view! {
        <tr>
            <td><input type="text" aria-label=label("标识") bind:value=row.key autocomplete="off" class="mat-key"/></td>
            <td><input type="text" aria-label=label("名称") bind:value=row.name autocomplete="off"/></td>
            <td><CellSelect label=Signal::derive(label("原件或复印件")) value=row.copies options=copies_options()/></td>
            <td><input type="number" min="1" max="99" inputmode="numeric" aria-label=label("份数") bind:value=row.count class="mat-count"/></td>
            <td><CellSelect label=Signal::derive(label("形式")) value=row.form options=form_options()/></td>
            <td><input type="text" aria-label=label("来源") bind:value=row.source autocomplete="off"/></td>
            <td>
                <div class="mat-requirement">
                    <CellSelect label=Signal::derive(label("提交要求")) value=row.requirement options=requirement_options()/>
                    <Show when=move || row.requirement.get() == CONDITIONAL>
                        <input type="text" aria-label=label("提交条件") placeholder="如：委托办理的" bind:value=row.condition autocomplete="off"/>
                    </Show>
                </div>
            </td>
            <td><input type="text" aria-label=label("备注") bind:value=row.note autocomplete="off"/></td>
            <td>
                <button type="button" class="button small ghost"
                    aria-label=move || format!("删除第{}项材料", position())
                    on:click=move |_| rows.update(|r| r.retain(|x| x.id != id))>"删除"</button>
            </td>
        </tr>
    }
}

/// A labelled multi-line text field; `hint` explains the format.
#[component]
fn TextArea(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{label}{required.then_some(" *")}</label>
            <textarea id=id name=id rows=rows bind:value=value required=required
                aria-describedby=hint.map(|_| hint_id.clone())></textarea>
            {hint.map(|h| view! { <small id=hint_id.clone() class="hint">{h}</small> })}
        </div>
    }
}

// --- The page ------------------------------------------------------------------------------

#[component]
fn CatalogPanel() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let items = Resource::new(move || version.get(), |_| catalog::list_all());
    let units = Resource::new(|| (), |_| org::units());
    let centers = Resource::new(|| (), |_| org::centers());

    // The item being edited (its code), or `None` for a new one.
    let editing = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let category = RwSignal::new(ItemCategory::Licensing.code().to_string());
    let unit = RwSignal::new(String::new());
    let legal_basis = RwSignal::new(String::new());
    let conditions = RwSignal::new(String::new());
    let steps = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<MaterialRow>::new());
    let no_materials = RwSignal::new(false);
    let limit_kind = RwSignal::new(PROMISED.to_string());
    let minutes = RwSignal::new(String::new());
    let promised_days = RwSignal::new(String::new());
    let statutory_days = RwSignal::new(String::new());
    let stage_days: [RwSignal<String>; 4] = Stage::ALL.map(|_| RwSignal::new(String::new()));
    let procedures = RwSignal::new(Vec::<String>::new());
    let extension = RwSignal::new(String::new());
    let fee = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let commitment_on = RwSignal::new(false);
    let standards = RwSignal::new(String::new());
    let deferred = RwSignal::new(Vec::<String>::new());
    let deferred_within = RwSignal::new(String::new());
    let follow_up = RwSignal::new(String::new());
    // Results of 停用/启用 (shown above the list) and of saving (shown beside the save button).
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    let form_result = RwSignal::new(None::<Result<String, ApiError>>);
    let form_heading = NodeRef::<html::H2>::new();

    // Rows added later (in event handlers) belong to this panel, so they go when it goes.
    let owner = StoredValue::new(Owner::current());
    let next_row = StoredValue::new(0u32);
    let make_row = move |m: Option<&Material>, taken: &[String]| {
        let id = next_row.get_value();
        next_row.set_value(id + 1);
        let default_key = (1..)
            .map(|n| format!("m{n}"))
            .find(|k| !taken.contains(k))
            .unwrap_or_default();
        match owner.get_value() {
            Some(o) => o.with(|| MaterialRow::new(id, m, default_key)),
            None => MaterialRow::new(id, m, default_key),
        }
    };
    let add_row = move |_| {
        let taken: Vec<String> =
            rows.with_untracked(|r| r.iter().map(|x| x.key.get_untracked()).collect());
        let row = make_row(None, &taken);
        rows.update(|r| r.push(row));
    };

    let immediate = move || limit_kind.get() == IMMEDIATE;

    let category_options = Signal::derive(|| {
        ItemCategory::ALL
            .iter()
            .map(|c| (c.code().to_string(), c.label().to_string()))
            .collect::<Vec<_>>()
    });
    let limit_options = Signal::derive(|| {
        vec![
            (IMMEDIATE.to_string(), "即办件（按分钟计）".to_string()),
            (PROMISED.to_string(), "承诺件（按工作日计）".to_string()),
        ]
    });
    // Read only inside the form's <Suspense>, after both lists have arrived.
    let unit_options = Signal::derive(move || {
        let chosen = unit.get();
        let centers = centers
            .get()
            .and_then(Result::ok)
            .map(|l| l.items)
            .unwrap_or_default();
        units
            .get()
            .and_then(Result::ok)
            .map(|l| {
                l.items
                    .into_iter()
                    .filter(|u| u.active || u.id.to_string() == chosen)
                    .map(|u| {
                        let center = centers
                            .iter()
                            .find(|c| c.id == u.center_id)
                            .map(|c| c.name.clone());
                        let mut label = match center {
                            Some(c) => format!("{}（{c}）", u.name),
                            None => u.name.clone(),
                        };
                        if !u.active {
                            label.push_str("［已停用］");
                        }
                        (u.id.to_string(), label)
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let procedure_options = Signal::derive(|| {
        SpecialProcedure::ALL
            .iter()
            .map(|p| (p.code().to_string(), p.label_zh().to_string()))
            .collect::<Vec<_>>()
    });
    // This item's materials, for choosing which may be handed in later.
    let deferred_options = Signal::derive(move || {
        rows.get()
            .iter()
            .filter_map(|r| {
                let key = r.key.get().trim().to_string();
                let name = r.name.get().trim().to_string();
                (!key.is_empty()).then(|| {
                    let label = if name.is_empty() {
                        key.clone()
                    } else {
                        format!("{name}（{key}）")
                    };
                    (key, label)
                })
            })
            .collect::<Vec<_>>()
    });

    let focus_form = move || {
        if let Some(h) = form_heading.get_untracked() {
            let _ = h.focus();
        }
    };
    let clear = move || {
        editing.set(None);
        code.set(String::new());
        name.set(String::new());
        category.set(ItemCategory::Licensing.code().to_string());
        unit.set(String::new());
        legal_basis.set(String::new());
        conditions.set(String::new());
        steps.set(String::new());
        rows.set(Vec::new());
        no_materials.set(false);
        limit_kind.set(PROMISED.to_string());
        minutes.set(String::new());
        promised_days.set(String::new());
        statutory_days.set(String::new());
        for s in stage_days {
            s.set(String::new());
        }
        procedures.set(Vec::new());
        extension.set(String::new());
        fee.set(String::new());
        place.set(String::new());
        phone.set(String::new());
        commitment_on.set(false);
        standards.set(String::new());
        deferred.set(Vec::new());
        deferred_within.set(String::new());
        follow_up.set(String::new());
    };
    let edit = move |item: ServiceItem| {
        editing.set(Some(item.code.clone()));
        code.set(item.code);
        name.set(item.name);
        category.set(item.category.code().to_string());
        unit.set(item.unit_id.to_string());
        legal_basis.set(item.legal_basis);
        conditions.set(item.conditions.join("\n"));
        steps.set(item.steps.join("\n"));
        let mut taken = Vec::new();
        let new_rows = item
            .materials
            .iter()
            .map(|m| {
                let row = make_row(Some(m), &taken);
                taken.push(m.key.clone());
                row
            })
            .collect();
        rows.set(new_rows);
        no_materials.set(item.no_materials);
        match item.time_limit {
            LimitSpec::Immediate { minutes: m } => {
                limit_kind.set(IMMEDIATE.to_string());
                minutes.set(m.to_string());
                promised_days.set(String::new());
                statutory_days.set(String::new());
            }
            LimitSpec::Promised {
                working_days,
                statutory_working_days,
            } => {
                limit_kind.set(PROMISED.to_string());
                minutes.set(String::new());
                promised_days.set(working_days.to_string());
                statutory_days.set(statutory_working_days.to_string());
            }
        }
        for (stage, days) in Stage::ALL.iter().zip(stage_days) {
            days.set(
                item.stage_limits
                    .iter()
                    .find(|s| s.stage == *stage)
                    .map(|s| s.working_days.to_string())
                    .unwrap_or_default(),
            );
        }
        procedures.set(
            item.special_procedures
                .iter()
                .map(|p| p.code().to_string())
                .collect(),
        );
        extension.set(item.extension_bound_days.to_string());
        fee.set(item.fee.unwrap_or_default());
        place.set(item.place);
        phone.set(item.phone);
        match item.commitment {
            Some(c) => {
                commitment_on.set(true);
                standards.set(c.standards.join("\n"));
                deferred.set(c.deferred_materials);
                deferred_within.set(c.deferred_within_working_days.to_string());
                follow_up.set(c.follow_up_after_working_days.to_string());
            }
            None => {
                commitment_on.set(false);
                standards.set(String::new());
                deferred.set(Vec::new());
                deferred_within.set(String::new());
                follow_up.set(String::new());
            }
        }
        result.set(None);
        form_result.set(None);
        focus_form();
    };

    // The form as a ServiceItemInput; numbers that do not parse are reported here, the rules of
    // the catalog by `validated()`.
    let build = move || -> Result<ServiceItemInput, Invalid> {
        let category = ItemCategory::from_code(&category.get_untracked())
            .ok_or_else(|| Invalid::new("required", "category", "请选择事项类别"))?;
        let unit_id = unit
            .get_untracked()
            .parse::<i64>()
            .map_err(|_| Invalid::new("required", "unit_id", "请选择实施单位"))?;
        let is_immediate = limit_kind.get_untracked() == IMMEDIATE;
        let time_limit = if is_immediate {
            LimitSpec::Immediate {
                minutes: number(&minutes.get_untracked(), "time_limit", "即办时限（分钟）")?,
            }
        } else {
            LimitSpec::Promised {
                working_days: number(
                    &promised_days.get_untracked(),
                    "time_limit",
                    "承诺时限（工作日）",
                )?,
                statutory_working_days: number(
                    &statutory_days.get_untracked(),
                    "time_limit",
                    "法定时限（工作日）",
                )?,
            }
        };
        let mut stage_limits = Vec::new();
        if !is_immediate {
            for (stage, days) in Stage::ALL.iter().zip(stage_days) {
                let text = days.get_untracked();
                if text.trim().is_empty() {
                    continue;
                }
                let label = format!("{}环节时限", stage.label_zh());
                let working_days = number(&text, "stage_limits", &label)?;
                if working_days == 0 {
                    return Err(Invalid::new(
                        "invalid_number",
                        "stage_limits",
                        format!("{label}至少 1 个工作日，不设时限请留空"),
                    ));
                }
                stage_limits.push(StageLimit {
                    stage: *stage,
                    working_days,
                });
            }
        }
        let materials = if no_materials.get_untracked() {
            Vec::new()
        } else {
            rows.get_untracked()
                .into_iter()
                .enumerate()
                .map(|(i, r)| r.to_material(i))
                .collect::<Result<Vec<_>, _>>()?
        };
        let (special_procedures, extension_bound_days) = if is_immediate {
            (Vec::new(), 0)
        } else {
            let chosen = procedures.get_untracked();
            (
                SpecialProcedure::ALL
                    .into_iter()
                    .filter(|p| chosen.iter().any(|c| c == p.code()))
                    .collect(),
                number_or_zero(
                    &extension.get_untracked(),
                    "extension_bound_days",
                    "延期上限（工作日）",
                )?,
            )
        };
        let commitment = if commitment_on.get_untracked() {
            let keys: Vec<String> = materials.iter().map(|m| m.key.trim().to_string()).collect();
            Some(CommitmentSpec {
                standards: lines(&standards.get_untracked()),
                deferred_materials: deferred
                    .get_untracked()
                    .into_iter()
                    .filter(|k| keys.contains(k))
                    .collect(),
                deferred_within_working_days: number_or_zero(
                    &deferred_within.get_untracked(),
                    "commitment",
                    "后补材料期限（工作日）",
                )?,
                follow_up_after_working_days: number_or_zero(
                    &follow_up.get_untracked(),
                    "commitment",
                    "核查时间（工作日）",
                )?,
            })
        } else {
            None
        };
        let fee = fee.get_untracked();
        ServiceItemInput {
            code: code.get_untracked(),
            name: name.get_untracked(),
            category,
            unit_id,
            legal_basis: legal_basis.get_untracked(),
            conditions: lines(&conditions.get_untracked()),
            materials,
            no_materials: no_materials.get_untracked(),
            steps: lines(&steps.get_untracked()),
            time_limit,
            stage_limits,
            special_procedures,
            extension_bound_days,
            fee: (!fee.trim().is_empty()).then_some(fee),
            place: place.get_untracked(),
            phone: phone.get_untracked(),
            commitment,
        }
        .validated()
    };

    let save = Action::new(move |input: &(Option<String>, ServiceItemInput)| {
        let (existing, body) = input.clone();
        async move { catalog::save(existing, body).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = save.value().get() {
            let ok = outcome.is_ok();
            form_result.set(Some(outcome.map(|item| format!("已保存：{}", item.name))));
            version.update(|v| *v += 1);
            if ok {
                clear();
            }
        }
    });
    let toggle = Action::new(move |(code, name, active): &(String, String, bool)| {
        let (code, name, active) = (code.clone(), name.clone(), *active);
        async move {
            catalog::set_active(&code, active).await.map(|()| {
                if active {
                    format!("已启用：{name}")
                } else {
                    format!("已停用：{name}")
                }
            })
        }
    });
    Effect::new(move |_| {
        if let Some(outcome) = toggle.value().get() {
            result.set(Some(outcome));
            version.update(|v| *v += 1);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match build() {
            Ok(body) => {
                form_result.set(None);
                save.dispatch((editing.get_untracked(), body));
            }
            Err(invalid) => form_result.set(Some(Err(invalid.into()))),
        }
    };
    let start_new = move |_| {
        clear();
        result.set(None);
        form_result.set(None);
        focus_form();
    };

    view! {
        <h1>"办事事项"</h1>
        <AdminTabs current="/admin/catalog"/>
        <ActionResult message=result/>
        <section class="panel" aria-labelledby="item-list">
            <div class="row catalog-list-head">
                <h2 id="item-list">"事项目录"</h2>
                <button type="button" class="button small" on:click=start_new>"新建事项"</button>
            </div>
            <Transition fallback=Loading>
                {move || suspend(async move {
                    match items.await {
                        Ok(list) if list.items.is_empty() => view! {
                            <p class="muted">"目录中还没有事项。"</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <div class="catalog-list-wrap">
                            <table class="table catalog-list">
                                <thead><tr>
                                    <th scope="col">"编码"</th>
                                    <th scope="col">"事项名称"</th>
                                    <th scope="col">"类别"</th>
                                    <th scope="col">"实施单位"</th>
                                    <th scope="col">"承诺时限"</th>
                                    <th scope="col">"告知承诺"</th>
                                    <th scope="col">"状态"</th>
                                    <th scope="col">"操作"</th>
                                </tr></thead>
                                <tbody>
                                    {list.items.into_iter().map(|item| {
                                        let row = item.clone();
                                        let active = item.active;
                                        let (code, name) = (item.code.clone(), item.name.clone());
                                        let verb = if active { "停用" } else { "启用" };
                                        view! {
                                            <tr class:inactive=!active>
                                                <td class="code">{item.code.clone()}</td>
                                                <td>{item.name.clone()}</td>
                                                <td>{item.category.label()}</td>
                                                <td>{item.unit_name.clone()}</td>
                                                <td>{item.time_limit.promised_label()}</td>
                                                <td>{if item.commitment.is_some() { "是" } else { "否" }}</td>
                                                <td>{status_label(active)}</td>
                                                <td class="actions">
                                                    <button type="button" class="button small" on:click=move |_| edit(row.clone())
                                                        aria-label=format!("编辑{}", item.name)>"编辑"</button>
                                                    <button type="button" class="button small ghost"
                                                        on:click=move |_| { toggle.dispatch((code.clone(), name.clone(), !active)); }
                                                        aria-label=format!("{verb}{}", item.name)>{verb}</button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="panel catalog-form" aria-labelledby="item-form">
            <h2 id="item-form" tabindex="-1" node_ref=form_heading>
                {move || match editing.get() {
                    Some(c) => format!("编辑事项 {c}"),
                    None => "新建事项".to_string(),
                }}
            </h2>
            // The unit select's choices come from these lists: render the form once they are
            // here, on the server and in the browser alike (otherwise hydration would meet other
            // options).
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    let _ = units.await;
                    let _ = centers.await;
                    view! {
                    <form class="stack" on:submit=on_submit>
                        <fieldset class="group">
                            <legend>"基本信息"</legend>
                            <div class="grid2">
                                <div class="field">
                                    <label for="item-code">"事项编码 *"</label>
                                    <input id="item-code" name="item-code" type="text" bind:value=code required=true
                                        autocomplete="off" readonly=move || editing.get().is_some()
                                        aria-describedby="item-code-hint"/>
                                    <small id="item-code-hint" class="hint">"字母、数字、- 或 _，最长 40 位；保存后不能修改"</small>
                                </div>
                                <TextField id="item-name" label="事项名称" value=name required=true/>
                                <SelectField id="item-category" label="事项类别" value=category options=category_options/>
                                <SelectField id="item-unit" label="实施单位" value=unit options=unit_options placeholder="请选择"/>
                            </div>
                            <TextArea id="item-legal-basis" label="设定依据" value=legal_basis required=true rows=3/>
                        </fieldset>

                        <fieldset class="group">
                            <legend>"受理条件与办理流程"</legend>
                            <TextArea id="item-conditions" label="受理条件" value=conditions hint="每行一条"/>
                            <TextArea id="item-steps" label="办理流程" value=steps hint="每行一步，按先后顺序"/>
                        </fieldset>

                        <fieldset class="group">
                            <legend>"申请材料"</legend>
                            <label class="check">
                                <input type="checkbox" bind:checked=no_materials/>
                                <span>"无需申请材料"</span>
                            </label>
                            <Show when=move || !no_materials.get()
                                fallback=|| view! { <p class="muted">"本事项不需要申请人提交材料。"</p> }>
                                <div class="materials-wrap">
                                    <table class="table compact materials-table">
                                        <thead><tr>
                                            <th scope="col">"标识"</th>
                                            <th scope="col">"材料名称"</th>
                                            <th scope="col">"原件/复印件"</th>
                                            <th scope="col">"份数"</th>
                                            <th scope="col">"形式"</th>
                                            <th scope="col">"来源"</th>
                                            <th scope="col">"提交要求"</th>
                                            <th scope="col">"备注"</th>
                                            <th scope="col"><span class="sr-only">"删除"</span></th>
                                        </tr></thead>
                                        <tbody>
                                            <For each=move || rows.get() key=|r| r.id
                                                children=move |row| view! { <MaterialRowView row rows/> }/>
                                        </tbody>
                                    </table>
                                </div>
                                <Show when=move || rows.with(Vec::is_empty)>
                                    <p class="muted">"还没有材料：请添加，或勾选“无需申请材料”。"</p>
                                </Show>
                                <div class="row">
                                    <button type="button" class="button small" on:click=add_row>"添加材料"</button>
                                </div>
                                <p class="hint">"标识在本事项内唯一（如 m1、id_card），受理审查和告知书按它对应材料；“条件”类材料须写明提交条件。"</p>
                            </Show>
                        </fieldset>

                        <fieldset class="group">
                            <legend>"办理时限"</legend>
                            <div class="grid2">
                                <SelectField id="item-limit-kind" label="办件类型" value=limit_kind options=limit_options/>
                                <Show when=immediate
                                    fallback=move || view! {
                                        <TextField id="item-promised-days" label="承诺时限（工作日）" value=promised_days
                                            input_type="number" required=true/>
                                        <TextField id="item-statutory-days" label="法定时限（工作日）" value=statutory_days
                                            input_type="number" required=true hint="承诺时限不得超过法定时限"/>
                                    }>
                                    <TextField id="item-minutes" label="即办时限（分钟）" value=minutes
                                        input_type="number" required=true hint="1–1440 分钟"/>
                                </Show>
                            </div>
                            <Show when=move || !immediate()
                                fallback=|| view! { <p class="muted">"即办件不设环节时限，不中止计时，不延期。"</p> }>
                                <fieldset class="group">
                                    <legend>"环节时限（工作日，留空表示不单独设定）"</legend>
                                    <div class="grid4">
                                        {Stage::ALL.iter().zip(stage_days).map(|(stage, days)| {
                                            let id = format!("item-stage-{}", stage_code(*stage));
                                            view! {
                                                <div class="field">
                                                    <label for=id.clone()>{stage.label_zh()}</label>
                                                    <input id=id.clone() name=id type="number" min="1" inputmode="numeric" bind:value=days/>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </div>
                                    <p class="hint">"各环节合计不得超过承诺时限；上级机关审批时间包含在内。"</p>
                                </fieldset>
                                <CheckGroup legend="可能需要的特别程序（期间不计入时限）" options=procedure_options chosen=procedures/>
                                <TextField id="item-extension" label="延期上限（工作日）" value=extension input_type="number"
                                    hint="行政许可最多 10 个工作日；留空或 0 表示不可延期"/>
                            </Show>
                        </fieldset>

                        <fieldset class="group">
                            <legend>"收费、地点与电话"</legend>
                            <TextField id="item-fee" label="收费标准及依据" value=fee hint="留空表示不收费"/>
                            <div class="grid2">
                                <TextField id="item-place" label="办理地点" value=place required=true/>
                                <TextField id="item-phone" label="咨询电话" value=phone required=true hint="如 0951-6888123"/>
                            </div>
                        </fieldset>

                        <fieldset class="group">
                            <legend>"告知承诺制"</legend>
                            <label class="check">
                                <input type="checkbox" bind:checked=commitment_on/>
                                <span>"本事项实行告知承诺制"</span>
                            </label>
                            <Show when=move || commitment_on.get()>
                                <TextArea id="item-standards" label="条件、标准和技术要求" value=standards
                                    hint="每行一条；申请人承诺符合这些要求"/>
                                <Show when=move || !deferred_options.with(Vec::is_empty)
                                    fallback=|| view! { <p class="muted">"可后补的材料须先在“申请材料”中列出。"</p> }>
                                    <CheckGroup legend="可容后补交的材料" options=deferred_options chosen=deferred/>
                                </Show>
                                <div class="grid2">
                                    <TextField id="item-deferred-within" label="后补材料期限（决定后工作日）"
                                        value=deferred_within input_type="number"/>
                                    <TextField id="item-follow-up" label="核查时间（决定后第几个工作日）"
                                        value=follow_up input_type="number"/>
                                </div>
                            </Show>
                        </fieldset>

                        <ActionResult message=form_result/>
                        <div class="row">
                            <button type="submit" class="button primary">"保存事项"</button>
                            <button type="button" class="button ghost" on:click=start_new>"清空"</button>
                        </div>
                        <p class="muted">"修改只影响此后受理的案件；已受理的案件按受理时的事项内容办理。"</p>
                    </form>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A stable id fragment for a stage's input.
fn stage_code(stage: Stage) -> &'static str {
    match stage {
        Stage::Acceptance => "acceptance",
        Stage::Review => "review",
        Stage::Decision => "decision",
        Stage::Delivery => "delivery",
    }
}
