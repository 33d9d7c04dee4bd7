//! Staff accounts: roles, unit, windows, initial password.

use leptos::prelude::*;

use super::org_panel::{Field, Lookups, OrgList, OrgPanel, OrgRecord, Summary, Words};
use crate::api::{
    Role,
    org::{StaffInput, StaffView},
    validate::{Invalid, Problems, refuse_also},
};

#[component]
pub fn AdminStaff() -> impl IntoView {
    view! { <OrgPanel form=StaffForm::default() /> }
}

/// A select's or a group's choices: each value with its label.
type Options = Vec<(String, String)>;

#[derive(Clone, Copy, Default)]
pub struct StaffForm {
    number: RwSignal<String>,
    name: RwSignal<String>,
    unit: RwSignal<String>,
    roles: RwSignal<Vec<String>>,
    windows: RwSignal<Vec<String>>,
    password: RwSignal<String>,
    /// The windows the form offers (those serving the chosen unit): a window checked before the
    /// unit changed, or one deactivated since, is no longer shown and is not sent either.
    offered_windows: StoredValue<Option<Signal<Options>>>,
}

impl OrgRecord for StaffForm {
    type Row = StaffView;
    type Input = StaffInput;

    const WORDS: Words = Words::new("/admin/staff", "账号", "staff");
    const COLUMNS: &'static [&'static str] = &["工号", "姓名", "单位", "角色"];
    const LOOKUPS: &'static [OrgList] = &[OrgList::Units, OrgList::Windows];

    fn summary(row: &StaffView, lists: &Lookups) -> Summary {
        let roles: Vec<&str> = row.roles.iter().map(|r| r.label()).collect();
        let (number, unit) = (row.staff_number.clone(), lists.unit_name(row.unit_id));
        let cells = vec![number, row.name.clone(), unit, roles.join("、")];
        Summary::new(row.id, row.active, row.name.clone(), cells)
    }

    fn fields(self, lists: Signal<Lookups>, _: Signal<Option<i64>>) -> Vec<Field> {
        let units = Signal::derive(move || lists.with(Lookups::active_units));
        // Staff sit at windows that serve their unit.
        let windows = Signal::derive(move || {
            let unit = self.unit.get().parse().ok();
            lists.with(|l| l.windows_of_unit(unit))
        });
        self.offered_windows.set_value(Some(windows));
        let roles = Signal::derive(|| {
            let roles = Role::ALL.iter();
            roles
                .map(|r| (r.code().to_string(), r.label().to_string()))
                .collect()
        });
        vec![
            Field::text("staff-number", "工号", "staff_number", self.number).required(),
            Field::text("staff-name", "姓名", "name", self.name).required(),
            Field::select("staff-unit", "所属单位", "unit_id", self.unit, units)
                .placeholder("无（督查、管理员）")
                .kept(),
            Field::checks("staff-roles", "角色", "roles", self.roles, roles),
            Field::checks("staff-windows", "窗口", "window_ids", self.windows, windows)
                .hint("请先选择所属单位，这里列出办理该单位业务的窗口"),
            Field::text("staff-password", "密码", "password", self.password)
                .new_password()
                .hint("新建时必填，至少 8 位；编辑时留空表示不修改"),
        ]
    }

    fn load(self, s: &StaffView) {
        self.number.set(s.staff_number.clone());
        self.name.set(s.name.clone());
        self.unit
            .set(s.unit_id.map(|u| u.to_string()).unwrap_or_default());
        self.roles
            .set(s.roles.iter().map(|r| r.code().to_string()).collect());
        self.windows
            .set(s.window_ids.iter().map(i64::to_string).collect());
        self.password.set(String::new());
    }

    fn input(self, editing: Option<i64>) -> Result<StaffInput, Problems> {
        let password = Some(self.password.get_untracked()).filter(|p| !p.is_empty());
        let (roles, mut windows) = (self.roles.get_untracked(), self.windows.get_untracked());
        if let Some(offered) = self.offered_windows.get_value() {
            let offered = offered.get_untracked();
            windows.retain(|w| offered.iter().any(|(id, _)| id == w));
        }
        let input = StaffInput {
            staff_number: self.number.get_untracked(),
            name: self.name.get_untracked(),
            unit_id: self.unit.get_untracked().parse().ok(),
            window_ids: windows.iter().filter_map(|w| w.parse().ok()).collect(),
            roles: roles.iter().filter_map(|r| Role::from_code(r)).collect(),
            password: password.clone(),
        }
        .validated();
        // A new account needs its first password, told with the form's other problems.
        if editing.is_none() && password.is_none() {
            let missing = Invalid::new("required", "password", "请设置初始密码");
            return refuse_also(input, missing);
        }
        input
    }
}
