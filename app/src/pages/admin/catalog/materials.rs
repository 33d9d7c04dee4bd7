//! 申请材料: the editable table of an item's materials, one signal per cell.

use leptos::prelude::*;
use rules::review::MaterialRequirement;

use super::{super::TableHead, text::number};
use crate::{
    api::{
        catalog::{Copies, Material, MaterialForm},
        validate::Invalid,
    },
    components::form::{FieldError, FormProblem, selected_option},
};

const REQUIRED: &str = "required";
const CONDITIONAL: &str = "conditional";
const OPTIONAL: &str = "optional";

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

    /// The id of the row's name input, where an error about the row takes the cursor.
    fn name_id(self) -> String {
        format!("material-{}-name", self.id)
    }
}

/// The materials of the item being edited.
#[derive(Clone, Copy)]
pub struct Materials {
    rows: RwSignal<Vec<MaterialRow>>,
    /// 无需申请材料.
    none: RwSignal<bool>,
    next_row: StoredValue<u32>,
    /// Rows added later (in event handlers) belong to the panel, so they go when it goes.
    owner: StoredValue<Option<Owner>>,
}

impl Materials {
    pub fn new() -> Self {
        Materials {
            rows: RwSignal::new(Vec::new()),
            none: RwSignal::new(false),
            next_row: StoredValue::new(0),
            owner: StoredValue::new(Owner::current()),
        }
    }

    fn make_row(self, m: Option<&Material>, taken: &[String]) -> MaterialRow {
        let id = self.next_row.get_value();
        self.next_row.set_value(id + 1);
        let default_key = (1..)
            .map(|n| format!("m{n}"))
            .find(|k| !taken.contains(k))
            .unwrap_or_default();
        match self.owner.get_value() {
            Some(o) => o.with(|| MaterialRow::new(id, m, default_key)),
            None => MaterialRow::new(id, m, default_key),
        }
    }

    fn add_row(self) {
        let taken: Vec<String> = self
            .rows
            .with_untracked(|r| r.iter().map(|x| x.key.get_untracked()).collect());
        let row = self.make_row(None, &taken);
        self.rows.update(|r| r.push(row));
    }

    pub fn load(self, materials: &[Material], none: bool) {
        let mut taken = Vec::new();
        let rows = materials
            .iter()
            .map(|m| {
                let row = self.make_row(Some(m), &taken);
                taken.push(m.key.clone());
                row
            })
            .collect();
        self.rows.set(rows);
        self.none.set(none);
    }

    pub fn clear(self) {
        self.load(&[], false);
    }

    pub fn none(self) -> bool {
        self.none.get_untracked()
    }

    /// The materials as typed; the first unreadable number is the problem.
    pub fn read(self) -> Result<Vec<Material>, Invalid> {
        if self.none() {
            return Ok(Vec::new());
        }
        let rows = self.rows.get_untracked().into_iter().enumerate();
        rows.map(|(i, r)| r.to_material(i)).collect()
    }

    /// (key, label) of every material with a key, for choosing which may be handed in later.
    pub fn choices(self) -> Vec<(String, String)> {
        let rows = self.rows.get();
        let keyed = rows.iter().filter_map(|r| {
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
        });
        keyed.collect()
    }

    /// Where an error about `field` (`materials[2]`) takes the cursor: that row's name input.
    pub fn target(self, field: &str) -> Option<String> {
        let position: usize = field
            .strip_prefix("materials[")?
            .strip_suffix(']')?
            .parse()
            .ok()?;
        self.rows
            .with_untracked(|rows| rows.get(position).map(|r| r.name_id()))
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
        <select
            aria-label=move || label.get()
            on:change=move |ev| value.set(event_target_value(&ev))
            prop:value=move || value.get()
        >
            {options
                .into_iter()
                .map(|(v, l)| {
                    let selected = v == value.get_untracked();
                    selected_option(v, l, selected)
                })
                .collect_view()}
        </select>
    }
}

#[component]
fn MaterialRowView(row: MaterialRow, materials: Materials, problem: FormProblem) -> impl IntoView {
    let (id, rows) = (row.id, materials.rows);
    let index = move || rows.with(|r| r.iter().position(|x| x.id == id));
    let position = move || index().map_or(0, |p| p + 1);
    let label = move |what: &'static str| move || format!("第{}项材料的{what}", position());
    // The message about this row, in a line under it.
    let error = Signal::derive(move || {
        index().and_then(|i| problem.message_for(&format!("materials[{i}]")))
    });
    let error_id = format!("material-{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.with(Option::is_some).then(|| error_id.clone())
    };
    view! {
        <tr>
            <td>
                <input
                    type="text"
                    aria-label=label("标识")
                    bind:value=row.key
                    autocomplete="off"
                    class="mat-key"
                />
            </td>
            <td>
                <input
                    type="text"
                    id=row.name_id()
                    aria-label=label("名称")
                    bind:value=row.name
                    autocomplete="off"
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=described
                />
            </td>
            <td>
                <CellSelect
                    label=Signal::derive(label("原件或复印件"))
                    value=row.copies
                    options=copies_options()
                />
            </td>
            <td>
                <input
                    type="number"
                    min="1"
                    max="99"
                    inputmode="numeric"
                    aria-label=label("份数")
                    bind:value=row.count
                    class="mat-count"
                />
            </td>
            <td>
                <CellSelect
                    label=Signal::derive(label("形式"))
                    value=row.form
                    options=form_options()
                />
            </td>
            <td>
                <input
                    type="text"
                    aria-label=label("来源")
                    bind:value=row.source
                    autocomplete="off"
                />
            </td>
            <td>
                <div class="mat-requirement">
                    <CellSelect
                        label=Signal::derive(label("提交要求"))
                        value=row.requirement
                        options=requirement_options()
                    />
                    <Show when=move || row.requirement.get() == CONDITIONAL>
                        <input
                            type="text"
                            aria-label=label("提交条件")
                            placeholder="如：委托办理的"
                            bind:value=row.condition
                            autocomplete="off"
                        />
                    </Show>
                </div>
            </td>
            <td>
                <input
                    type="text"
                    aria-label=label("备注")
                    bind:value=row.note
                    autocomplete="off"
                />
            </td>
            <td>
                <button
                    type="button"
                    class="button small ghost"
                    aria-label=move || format!("删除第{}项材料", position())
                    on:click=move |_| rows.update(|r| r.retain(|x| x.id != id))
                >
                    "删除"
                </button>
            </td>
        </tr>
        {move || {
            error
                .get()
                .map(|message| {
                    view! {
                        <tr>
                            <td colspan="9" id=error_id.clone() class="error-text">
                                <span class="sr-only">"错误："</span>
                                {format!("第{}项材料：{message}", position())}
                            </td>
                        </tr>
                    }
                })
        }}
    }
}

/// The 申请材料 fieldset: 无需申请材料, or the table of materials with 添加材料.
#[component]
pub fn MaterialsFieldset(materials: Materials, problem: FormProblem) -> impl IntoView {
    let Materials { rows, none, .. } = materials;
    let error = problem.at("materials");
    view! {
        <fieldset
            class="group"
            id="item-materials"
            aria-describedby=move || error.with(Option::is_some).then_some("item-materials-error")
        >
            <legend>"申请材料"</legend>
            <FieldError id="item-materials" error />
            <label class="check">
                <input type="checkbox" bind:checked=none />
                <span>"无需申请材料"</span>
            </label>
            <Show
                when=move || !none.get()
                fallback=|| {
                    view! { <p class="muted">"本事项不需要申请人提交材料。"</p> }
                }
            >
                // Wider than a phone: a region the keyboard can scroll (axe).
                <div class="materials-wrap" tabindex="0" role="region" aria-label="申请材料清单">
                    <table class="table compact materials-table">
                        <TableHead
                            hidden="删除"
                            columns=&[
                                "标识",
                                "材料名称",
                                "原件/复印件",
                                "份数",
                                "形式",
                                "来源",
                                "提交要求",
                                "备注",
                            ]
                        />
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|r| r.id
                                children=move |row| {
                                    view! { <MaterialRowView row materials problem /> }
                                }
                            />
                        </tbody>
                    </table>
                </div>
                <Show when=move || rows.with(Vec::is_empty)>
                    <p class="muted">
                        "还没有材料：请添加，或勾选“无需申请材料”。"
                    </p>
                </Show>
                <div class="row">
                    <button
                        type="button"
                        class="button small"
                        on:click=move |_| materials.add_row()
                    >
                        "添加材料"
                    </button>
                </div>
                <p class="hint">
                    "标识在本事项内唯一（如 m1、id_card），受理审查和告知书按它对应材料；“条件”类材\
                        料须写明提交条件。"
                </p>
            </Show>
        </fieldset>
    }
}
