//! 系统管理: the organisation, the holiday calendar.

mod calendar;
mod catalog;
mod centers;
mod lookups;
mod org_panel;
mod slots;
mod staff;
mod units;
mod windows;

pub use calendar::AdminCalendar;
pub use catalog::AdminCatalog;
pub use centers::AdminCenters;
pub use slots::AdminSlots;
pub use staff::AdminStaff;
pub use units::AdminUnits;
pub use windows::AdminWindows;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::Role,
    components::{calendar_warning::NextYearCalendarWarning, guard::RequireRole},
};

const SECTIONS: [(&str, &str, &str); 7] = [
    (
        "/admin/centers",
        "服务中心",
        "区级大厅和镇、街道中心：地址、电话、办公时间",
    ),
    ("/admin/units", "进驻单位", "各中心的进驻单位及其首席代表"),
    ("/admin/windows", "窗口", "窗口号与其服务的单位"),
    ("/admin/staff", "工作人员", "账号、角色、所属单位与窗口"),
    (
        "/admin/calendar",
        "节假日安排",
        "国务院公布的节假日与调休；录入新年度",
    ),
    (
        "/admin/catalog",
        "办事事项",
        "事项目录：材料、时限、收费、告知承诺",
    ),
    (
        "/admin/slots",
        "预约时段",
        "延时服务预约时段、容量与值班排班",
    ),
];

/// The section tabs above every admin page.
#[component]
pub fn AdminTabs(current: &'static str) -> impl IntoView {
    view! {
        <nav aria-label="系统管理" class="tabs">
            {SECTIONS
                .iter()
                .map(|(href, label, _)| {
                    let here = *href == current;
                    view! {
                        <a href=*href class:active=here aria-current=here.then_some("page")>
                            {*label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// A section's page: its title and, for administrators, its heading, the section tabs and
/// `children`.
#[component]
pub fn AdminPage(path: &'static str, children: ChildrenFn) -> impl IntoView {
    let section = SECTIONS.iter().find(|(href, ..)| *href == path);
    let title = section.map_or("系统管理", |(_, label, _)| *label);
    view! {
        <Title text=format!("{title} · 系统管理") />
        <RequireRole
            role=Role::Admin
            render=move |_me| {
                view! {
                    <h1>{title}</h1>
                    <AdminTabs current=path />
                    {children()}
                }
            }
        />
    }
}

#[component]
pub fn AdminHome() -> impl IntoView {
    view! {
        <Title text="系统管理" />
        <RequireRole
            role=Role::Admin
            render=|_me| {
                view! {
                    <h1>"系统管理"</h1>
                    <NextYearCalendarWarning link=true />
                    <ul class="cards">
                        {SECTIONS
                            .iter()
                            .map(|(href, label, what)| {
                                view! {
                                    <li class="card">
                                        <h2>
                                            <a href=*href>{*label}</a>
                                        </h2>
                                        <p class="muted">{*what}</p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            }
        />
    }
}

/// "启用"/"停用" for a row.
pub fn status_label(active: bool) -> &'static str {
    if active { "启用" } else { "已停用" }
}

/// The 编辑 and 停用 (or 启用) buttons of a row, named after what the row holds (`编辑{name}`).
#[component]
pub fn RowActions(
    name: String,
    active: bool,
    on_edit: Callback<()>,
    on_toggle: Callback<()>,
) -> impl IntoView {
    let verb = if active { "停用" } else { "启用" };
    view! {
        <td class="actions">
            <button
                type="button"
                class="button small"
                on:click=move |_| on_edit.run(())
                aria-label=format!("编辑{name}")
            >
                "编辑"
            </button>
            <button
                type="button"
                class="button small ghost"
                on:click=move |_| on_toggle.run(())
                aria-label=format!("{verb}{name}")
            >
                {verb}
            </button>
        </td>
    }
}

/// A table's header row. `hidden` names a last column for screen readers only (its cells hold a
/// button that says what it does).
#[component]
pub fn TableHead(
    #[prop(into)] columns: Vec<&'static str>,
    #[prop(default = None, into)] hidden: Option<&'static str>,
) -> impl IntoView {
    let hidden = hidden.map(|h| {
        view! {
            <th scope="col">
                <span class="sr-only">{h}</span>
            </th>
        }
    });
    view! {
        <thead>
            <tr>
                {columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                {hidden}
            </tr>
        </thead>
    }
}
