//! 基本信息 and 受理条件与办理流程: what the item is, who does it, on what legal basis, and how.

use leptos::prelude::*;

use super::text::lines;
use crate::{
    api::{
        catalog::{ItemCategory, ServiceItem},
        validate::Invalid,
    },
    components::form::FormProblem,
    pages::admin::org_panel::{Field, fields_view},
};

#[derive(Clone, Copy)]
pub struct Basics {
    code: RwSignal<String>,
    name: RwSignal<String>,
    category: RwSignal<String>,
    unit: RwSignal<String>,
    legal_basis: RwSignal<String>,
    conditions: RwSignal<String>,
    steps: RwSignal<String>,
}

/// The basic fields as the request carries them.
pub struct BasicsInput {
    pub code: String,
    pub name: String,
    pub category: ItemCategory,
    pub unit_id: i64,
    pub legal_basis: String,
    pub conditions: Vec<String>,
    pub steps: Vec<String>,
}

fn default_category() -> String {
    ItemCategory::Licensing.code().to_string()
}

impl Basics {
    pub fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Basics {
            code: text(),
            name: text(),
            category: RwSignal::new(default_category()),
            unit: text(),
            legal_basis: text(),
            conditions: text(),
            steps: text(),
        }
    }

    pub fn load(self, item: &ServiceItem) {
        self.code.set(item.code.clone());
        self.name.set(item.name.clone());
        self.category.set(item.category.code().to_string());
        self.unit.set(item.unit_id.to_string());
        self.legal_basis.set(item.legal_basis.clone());
        self.conditions.set(item.conditions.join("\n"));
        self.steps.set(item.steps.join("\n"));
    }

    pub fn clear(self) {
        let texts = [self.code, self.name, self.unit, self.legal_basis];
        for text in texts.into_iter().chain([self.conditions, self.steps]) {
            text.set(String::new());
        }
        self.category.set(default_category());
    }

    pub fn read(self) -> Result<BasicsInput, Invalid> {
        let category = ItemCategory::from_code(&self.category.get_untracked())
            .ok_or_else(|| Invalid::new("required", "category", "请选择事项类别"))?;
        let unit_id = self
            .unit
            .get_untracked()
            .parse::<i64>()
            .map_err(|_| Invalid::new("required", "unit_id", "请选择实施单位"))?;
        Ok(BasicsInput {
            code: self.code.get_untracked(),
            name: self.name.get_untracked(),
            category,
            unit_id,
            legal_basis: self.legal_basis.get_untracked(),
            conditions: lines(&self.conditions.get_untracked()),
            steps: lines(&self.steps.get_untracked()),
        })
    }

    /// The unit chosen now (tracked), so that its choice stays offered even if deactivated.
    pub fn unit(self) -> String {
        self.unit.get()
    }
}

/// The ids of the basic fields' inputs, by the request field an error names.
pub fn target(field: &str) -> Option<&'static str> {
    Some(match field {
        "code" => "item-code",
        "name" => "item-name",
        "category" => "item-category",
        "unit_id" => "item-unit",
        "legal_basis" => "item-legal-basis",
        "conditions" => "item-conditions",
        "steps" => "item-steps",
        _ => return None,
    })
}

#[component]
pub fn BasicsFieldsets(
    basics: Basics,
    /// The item's code cannot change once saved.
    editing: Signal<bool>,
    units: Signal<Vec<(String, String)>>,
    problem: FormProblem,
) -> impl IntoView {
    let categories = Signal::derive(|| {
        let all = ItemCategory::ALL.iter();
        all.map(|c| (c.code().to_string(), c.label().to_string()))
            .collect::<Vec<_>>()
    });
    let identity = vec![
        Field::text("item-code", "事项编码", "code", basics.code)
            .required()
            .readonly_when(editing)
            .hint("字母、数字、- 或 _，最长 40 位；保存后不能修改"),
        Field::text("item-name", "事项名称", "name", basics.name).required(),
        Field::select(
            "item-category",
            "事项类别",
            "category",
            basics.category,
            categories,
        ),
        Field::select("item-unit", "实施单位", "unit_id", basics.unit, units).placeholder("请选择"),
    ];
    let basis = Field::text_area(
        "item-legal-basis",
        "设定依据",
        "legal_basis",
        basics.legal_basis,
    );
    let how = vec![
        Field::text_area(
            "item-conditions",
            "受理条件",
            "conditions",
            basics.conditions,
        )
        .hint("每行一条"),
        Field::text_area("item-steps", "办理流程", "steps", basics.steps)
            .hint("每行一步，按先后顺序"),
    ];
    view! {
        <fieldset class="group">
            <legend>"基本信息"</legend>
            <div class="grid2">{fields_view(identity, problem)}</div>
            {fields_view(vec![basis.required().rows(3)], problem)}
        </fieldset>

        <fieldset class="group">
            <legend>"受理条件与办理流程"</legend>
            {fields_view(how, problem)}
        </fieldset>
    }
}
