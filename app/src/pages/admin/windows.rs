//! Windows: number, name and the units each serves.

use leptos::prelude::*;

use super::org_panel::{
    Field, Lookups, OrgList, OrgPanel, OrgRecord, Summary, Words, chosen_center, on_center,
};
use crate::api::{
    org::{WindowInput, WindowView},
    validate::Problems,
};

#[component]
pub fn AdminWindows() -> impl IntoView {
    view! { <OrgPanel form=WindowForm::default() /> }
}

#[derive(Clone, Copy, Default)]
pub struct WindowForm {
    center: RwSignal<String>,
    number: RwSignal<String>,
    name: RwSignal<String>,
    units: RwSignal<Vec<String>>,
}

impl OrgRecord for WindowForm {
    type Row = WindowView;
    type Input = WindowInput;

    const WORDS: Words = Words::new("/admin/windows", "窗口", "window");
    const COLUMNS: &'static [&'static str] = &["窗口", "中心", "服务单位"];
    const LOOKUPS: &'static [OrgList] = &[OrgList::Centers, OrgList::Units];

    /// The buttons read 编辑窗口A01, 停用窗口A01.
    fn summary(row: &WindowView, lists: &Lookups) -> Summary {
        let title = format!("{} {}", row.number, row.name.clone().unwrap_or_default());
        let (center, units) = (
            lists.center_name(row.center_id),
            lists.unit_names(&row.unit_ids),
        );
        let name = format!("窗口{}", row.number);
        Summary::new(row.id, row.active, name, vec![title, center, units])
    }

    fn saved(row: &WindowView) -> String {
        format!("已保存：{} 号窗口", row.number)
    }

    fn fields(self, lists: Signal<Lookups>, _: Signal<Option<i64>>) -> Vec<Field> {
        // A window serves units of its own center.
        let units = Signal::derive(move || {
            let center = self.center.get().parse().ok();
            lists.with(|l| l.active_units_of(center))
        });
        vec![
            Field::center("window-center", self.center, lists),
            Field::text("window-number", "窗口号", "number", self.number)
                .required()
                .hint("如 A01"),
            Field::text("window-name", "窗口名称", "name", self.name),
            Field::checks("window-units", "服务单位", "unit_ids", self.units, units),
        ]
    }

    fn load(self, w: &WindowView) {
        self.center.set(w.center_id.to_string());
        self.number.set(w.number.clone());
        self.name.set(w.name.clone().unwrap_or_default());
        self.units
            .set(w.unit_ids.iter().map(i64::to_string).collect());
    }

    fn input(self, _: Option<i64>) -> Result<WindowInput, Problems> {
        let units = self.units.get_untracked();
        on_center(chosen_center(self.center), |center_id| {
            WindowInput {
                center_id,
                number: self.number.get_untracked(),
                name: Some(self.name.get_untracked()),
                unit_ids: units.iter().filter_map(|u| u.parse().ok()).collect(),
            }
            .validated()
        })
    }
}
