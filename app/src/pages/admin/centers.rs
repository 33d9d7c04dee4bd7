//! Service centers: name, kind, address, phone and business hours.

use leptos::prelude::*;

use super::org_panel::{Field, Lookups, OrgPanel, OrgRecord, Summary, Words};
use crate::{
    api::{
        org::{CenterInput, CenterKind, CenterView},
        validate::{Invalid, Problems, refuse_also},
    },
    components::hours_text,
};

#[component]
pub fn AdminCenters() -> impl IntoView {
    view! { <OrgPanel form=CenterForm::default() /> }
}

#[derive(Clone, Copy)]
pub struct CenterForm {
    name: RwSignal<String>,
    kind: RwSignal<String>,
    address: RwSignal<String>,
    phone: RwSignal<String>,
    hours: RwSignal<String>,
}

/// A new center: a town center, with the district hall's hours to start from.
impl Default for CenterForm {
    fn default() -> Self {
        CenterForm {
            name: RwSignal::new(String::new()),
            kind: RwSignal::new(CenterKind::Town.code().to_string()),
            address: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            hours: RwSignal::new(default_hours()),
        }
    }
}

/// The district hall's hours, as the form writes them.
fn default_hours() -> String {
    hours_text::to_text(&rules::BusinessHours::district_hall_default())
}

const HOURS_HINT: &str = "每行一条：“工作日 09:00-12:00 13:00-17:00”；可加“周五 …”、\
    “季节 夏季作息 05-01~09-30 …”、“闭厅 2026-12-01 原因”。\
    法定节假日按国务院安排自动休息，调休上班日按工作日作息。";

impl OrgRecord for CenterForm {
    type Row = CenterView;
    type Input = CenterInput;

    const WORDS: Words = Words::new("/admin/centers", "中心", "center");
    const COLUMNS: &'static [&'static str] = &["名称", "类型", "电话"];

    fn summary(row: &CenterView, _: &Lookups) -> Summary {
        let cells = vec![row.name.clone(), row.kind.label().into(), row.phone.clone()];
        Summary::new(row.id, row.active, row.name.clone(), cells)
    }

    fn fields(self, _: Signal<Lookups>, _: Signal<Option<i64>>) -> Vec<Field> {
        let kinds = Signal::derive(|| {
            let kinds = CenterKind::ALL.iter();
            kinds
                .map(|k| (k.code().to_string(), k.label().to_string()))
                .collect()
        });
        vec![
            Field::text("center-name", "名称", "name", self.name).required(),
            Field::select("center-kind", "类型", "kind", self.kind, kinds).kept(),
            Field::text("center-address", "地址", "address", self.address).required(),
            Field::text("center-phone", "电话", "phone", self.phone)
                .required()
                .hint("如 0951-6888123"),
            Field::text_area("center-hours", "办公时间", "business_hours", self.hours)
                .hint(HOURS_HINT)
                .resets_to(default_hours()),
        ]
    }

    fn load(self, c: &CenterView) {
        self.name.set(c.name.clone());
        self.kind.set(c.kind.code().into());
        self.address.set(c.address.clone());
        self.phone.set(c.phone.clone());
        self.hours.set(hours_text::to_text(&c.business_hours));
    }

    fn input(self, _: Option<i64>) -> Result<CenterInput, Problems> {
        // Hours the form cannot read are told with the rest of the form's problems.
        let hours = hours_text::parse(&self.hours.get_untracked());
        let input = CenterInput {
            name: self.name.get_untracked(),
            kind: CenterKind::from_code(&self.kind.get_untracked()).unwrap_or(CenterKind::Town),
            address: self.address.get_untracked(),
            phone: self.phone.get_untracked(),
            business_hours: hours.as_ref().ok().cloned(),
        }
        .validated();
        match hours {
            Ok(_) => input,
            Err(message) => refuse_also(
                input,
                Invalid::new("invalid_business_hours", "business_hours", message),
            ),
        }
    }
}
