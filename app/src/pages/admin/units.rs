//! Units stationed in the centers, with their chief representatives.

use leptos::prelude::*;

use super::org_panel::{
    Field, Lookups, OrgList, OrgPanel, OrgRecord, Summary, Words, chosen_center, on_center,
};
use crate::api::{
    org::{UnitInput, UnitView},
    validate::Problems,
};

#[component]
pub fn AdminUnits() -> impl IntoView {
    view! { <OrgPanel form=UnitForm::default() /> }
}

#[derive(Clone, Copy, Default)]
pub struct UnitForm {
    center: RwSignal<String>,
    name: RwSignal<String>,
    phone: RwSignal<String>,
    chief: RwSignal<String>,
}

impl OrgRecord for UnitForm {
    type Row = UnitView;
    type Input = UnitInput;

    const WORDS: Words = Words::new("/admin/units", "单位", "unit");
    const COLUMNS: &'static [&'static str] = &["单位", "所属中心", "首席代表"];
    const LOOKUPS: &'static [OrgList] = &[OrgList::Centers, OrgList::Staff];
    const NOTE: Option<&'static str> = Some(
        "首席代表须是本单位持有“首席代表”角色的工作人员：先在“工作人员”中添加，再回到这里指定。",
    );

    fn summary(row: &UnitView, lists: &Lookups) -> Summary {
        let chief = row.chief_representative_name.clone();
        let center = lists.center_name(row.center_id);
        let cells = vec![
            row.name.clone(),
            center,
            chief.unwrap_or_else(|| "未指定".into()),
        ];
        Summary::new(row.id, row.active, row.name.clone(), cells)
    }

    fn fields(self, lists: Signal<Lookups>, editing: Signal<Option<i64>>) -> Vec<Field> {
        // A chief representative belongs to the unit: only an existing unit can have one.
        let chiefs = Signal::derive(move || lists.with(|l| l.chiefs_of_unit(editing.get())));
        let is_editing = Signal::derive(move || editing.get().is_some());
        vec![
            Field::center("unit-center", self.center, lists),
            Field::text("unit-name", "单位名称", "name", self.name).required(),
            Field::text("unit-phone", "电话", "phone", self.phone),
            Field::select(
                "unit-chief",
                "首席代表",
                "chief_representative_id",
                self.chief,
                chiefs,
            )
            .placeholder("未指定")
            .shown_when(is_editing),
        ]
    }

    fn load(self, u: &UnitView) {
        self.center.set(u.center_id.to_string());
        self.name.set(u.name.clone());
        self.phone.set(u.phone.clone().unwrap_or_default());
        let chief = u.chief_representative_id.map(|c| c.to_string());
        self.chief.set(chief.unwrap_or_default());
    }

    fn input(self, _: Option<i64>) -> Result<UnitInput, Problems> {
        on_center(chosen_center(self.center), |center_id| {
            UnitInput {
                center_id,
                name: self.name.get_untracked(),
                phone: Some(self.phone.get_untracked()),
                chief_representative_id: self.chief.get_untracked().parse().ok(),
            }
            .validated()
        })
    }
}
