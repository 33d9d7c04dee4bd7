//! Staff accounts: roles, unit, windows, initial password.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminTabs, status_label};
use crate::{
    api::{
        ApiError, Role,
        org::{self, StaffInput, StaffView},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{CheckGroup, SelectField, TextField},
        guard::RequireRole,
        suspend::suspend,
    },
};

#[component]
pub fn AdminStaff() -> impl IntoView {
    view! {
        <Title text="工作人员 · 系统管理"/>
        <RequireRole role=Role::Admin render=|_me| view! { <StaffPanel/> }/>
    }
}

#[component]
fn StaffPanel() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let staff = Resource::new(move || version.get(), |_| org::staff());
    let units = Resource::new(|| (), |_| org::units());
    let windows = Resource::new(|| (), |_| org::windows());
    let editing = RwSignal::new(None::<i64>);
    let number = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<String>::new());
    let chosen_windows = RwSignal::new(Vec::<String>::new());
    let password = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<String, ApiError>>);

    let unit_options = Signal::derive(move || {
        units
            .get()
            .and_then(Result::ok)
            .map(|l| {
                l.items
                    .into_iter()
                    .filter(|u| u.active)
                    .map(|u| (u.id.to_string(), u.name))
                    .collect()
            })
            .unwrap_or_default()
    });
    let window_options = Signal::derive(move || {
        let unit_id: Option<i64> = unit.get().parse().ok();
        windows
            .get()
            .and_then(Result::ok)
            .map(|l| {
                l.items
                    .into_iter()
                    .filter(|w| w.active && unit_id.is_some_and(|u| w.unit_ids.contains(&u)))
                    .map(|w| {
                        (
                            w.id.to_string(),
                            format!("{} {}", w.number, w.name.unwrap_or_default()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let role_options = Signal::derive(|| {
        Role::ALL
            .iter()
            .map(|r| (r.code().to_string(), r.label().to_string()))
            .collect::<Vec<_>>()
    });

    let edit = move |s: StaffView| {
        editing.set(Some(s.id));
        number.set(s.staff_number);
        name.set(s.name);
        unit.set(s.unit_id.map(|u| u.to_string()).unwrap_or_default());
        roles.set(s.roles.iter().map(|r| r.code().to_string()).collect());
        chosen_windows.set(s.window_ids.iter().map(|w| w.to_string()).collect());
        password.set(String::new());
        result.set(None);
    };
    let clear = move || {
        editing.set(None);
        number.set(String::new());
        name.set(String::new());
        roles.set(Vec::new());
        chosen_windows.set(Vec::new());
        password.set(String::new());
    };
    let save = Action::new(move |input: &(Option<i64>, StaffInput)| {
        let (id, body) = input.clone();
        async move { org::save_staff(id, body).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = save.value().get() {
            let ok = outcome.is_ok();
            result.set(Some(outcome.map(|s| format!("已保存：{}", s.name))));
            version.update(|v| *v += 1);
            if ok {
                clear();
            }
        }
    });
    let toggle = Action::new(move |(id, active): &(i64, bool)| {
        let (id, active) = (*id, *active);
        async move { org::set_active("staff", id, active).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = toggle.value().get() {
            result.set(Some(outcome.map(|_| "状态已更新".to_string())));
            version.update(|v| *v += 1);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = StaffInput {
            staff_number: number.get(),
            name: name.get(),
            unit_id: unit.get().parse().ok(),
            window_ids: chosen_windows
                .get()
                .iter()
                .filter_map(|w| w.parse().ok())
                .collect(),
            roles: roles
                .get()
                .iter()
                .filter_map(|r| Role::from_code(r))
                .collect(),
            password: Some(password.get()).filter(|p| !p.is_empty()),
        };
        if editing.get().is_none() && body.password.is_none() {
            result.set(Some(Err(ApiError {
                code: "required".into(),
                message: "请设置初始密码".into(),
                field: Some("password".into()),
                status: 422,
            })));
            return;
        }
        match body.validated() {
            Ok(_) => {
                save.dispatch((editing.get(), body));
            }
            Err(invalid) => result.set(Some(Err(invalid.into()))),
        }
    };

    view! {
        <h1>"工作人员"</h1>
        <AdminTabs current="/admin/staff"/>
        <ActionResult message=result/>
        <div class="split">
            <section class="panel" aria-labelledby="staff-list">
                <h2 id="staff-list">"已有账号"</h2>
                <Transition fallback=Loading>
                    {move || suspend(async move {
                        let units = units.await.map(|l| l.items).unwrap_or_default();
                        match staff.await {
                            Ok(list) => view! {
                                <table class="table">
                                    <thead><tr><th scope="col">"工号"</th><th scope="col">"姓名"</th><th scope="col">"单位"</th><th scope="col">"角色"</th><th scope="col">"状态"</th><th scope="col">"操作"</th></tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|s| {
                                            let row = s.clone();
                                            let (id, active) = (s.id, s.active);
                                            let unit_name = units.iter().find(|u| Some(u.id) == s.unit_id).map(|u| u.name.clone()).unwrap_or_else(|| "—".into());
                                            let role_names = s.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、");
                                            view! {
                                                <tr class:inactive=!active>
                                                    <td>{s.staff_number.clone()}</td>
                                                    <td>{s.name.clone()}</td>
                                                    <td>{unit_name}</td>
                                                    <td>{role_names}</td>
                                                    <td>{status_label(active)}</td>
                                                    <td class="actions">
                                                        <button type="button" class="button small" on:click=move |_| edit(row.clone())
                                                            aria-label=format!("编辑{}", s.name)>"编辑"</button>
                                                        <button type="button" class="button small ghost" on:click=move |_| { toggle.dispatch((id, !active)); }
                                                            aria-label=format!("{}{}", if active { "停用" } else { "启用" }, s.name)>
                                                            {if active { "停用" } else { "启用" }}
                                                        </button>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <section class="panel" aria-labelledby="staff-form">
                <h2 id="staff-form">{move || if editing.get().is_some() { "编辑账号" } else { "新建账号" }}</h2>
                // The form's choices come from these lists: render it once they are here, on the
                // server and in the browser alike (otherwise hydration would meet other options).
                <Suspense fallback=Loading>
                    {move || suspend(async move {
                        let _ = units.await; let _ = windows.await;
                        view! {
                        <form class="stack" on:submit=on_submit>
                            <TextField id="staff-number" label="工号" value=number required=true/>
                            <TextField id="staff-name" label="姓名" value=name required=true/>
                            <SelectField id="staff-unit" label="所属单位" value=unit options=unit_options placeholder="无（督查、管理员）"/>
                            <CheckGroup legend="角色" options=role_options chosen=roles/>
                            <CheckGroup legend="窗口" options=window_options chosen=chosen_windows/>
                            <TextField id="staff-password" label="密码" value=password input_type="password" autocomplete="new-password"
                                hint="新建时必填，至少 8 位；编辑时留空表示不修改"/>
                            <div class="row">
                                <button type="submit" class="button primary">"保存"</button>
                                <button type="button" class="button ghost" on:click=move |_| clear()>"清空"</button>
                            </div>
                        </form>
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}
