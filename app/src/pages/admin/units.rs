//! Units stationed in the centers, with their chief representatives.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminTabs, status_label};
use crate::{
    api::{
        ApiError, Role,
        org::{self, UnitInput, UnitView},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{SelectField, TextField},
        guard::RequireRole,
        suspend::suspend,
    },
};

#[component]
pub fn AdminUnits() -> impl IntoView {
    view! {
        <Title text="进驻单位 · 系统管理"/>
        <RequireRole role=Role::Admin render=|_me| view! { <UnitsPanel/> }/>
    }
}

#[component]
fn UnitsPanel() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let units = Resource::new(move || version.get(), |_| org::units());
    let centers = Resource::new(|| (), |_| org::centers());
    let staff = Resource::new(move || version.get(), |_| org::staff());
    let editing = RwSignal::new(None::<i64>);
    let center = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let chief = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<String, ApiError>>);

    let center_options = Signal::derive(move || {
        centers
            .get()
            .and_then(Result::ok)
            .map(|l| {
                l.items
                    .into_iter()
                    .filter(|c| c.active)
                    .map(|c| (c.id.to_string(), c.name))
                    .collect()
            })
            .unwrap_or_default()
    });
    // Chief representatives of the unit being edited.
    let chief_options = Signal::derive(move || {
        let unit_id = editing.get();
        staff
            .get()
            .and_then(Result::ok)
            .map(|l| {
                l.items
                    .into_iter()
                    .filter(|s| {
                        s.active
                            && s.roles.contains(&Role::ChiefRepresentative)
                            && s.unit_id.is_some()
                            && s.unit_id == unit_id
                    })
                    .map(|s| {
                        (
                            s.id.to_string(),
                            format!("{}（{}）", s.name, s.staff_number),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    });

    let edit = move |u: UnitView| {
        editing.set(Some(u.id));
        center.set(u.center_id.to_string());
        name.set(u.name);
        phone.set(u.phone.unwrap_or_default());
        chief.set(
            u.chief_representative_id
                .map(|c| c.to_string())
                .unwrap_or_default(),
        );
        result.set(None);
    };
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        phone.set(String::new());
        chief.set(String::new());
    };
    let save = Action::new(move |input: &(Option<i64>, UnitInput)| {
        let (id, body) = input.clone();
        async move { org::save_unit(id, body).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = save.value().get() {
            let ok = outcome.is_ok();
            result.set(Some(outcome.map(|u| format!("已保存：{}", u.name))));
            version.update(|v| *v += 1);
            if ok {
                clear();
            }
        }
    });
    let toggle = Action::new(move |(id, active): &(i64, bool)| {
        let (id, active) = (*id, *active);
        async move { org::set_active("units", id, active).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = toggle.value().get() {
            result.set(Some(outcome.map(|_| "状态已更新".to_string())));
            version.update(|v| *v += 1);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(center_id) = center.get().parse::<i64>() else {
            result.set(Some(Err(ApiError {
                code: "required".into(),
                message: "请选择所属服务中心".into(),
                field: Some("center_id".into()),
                status: 422,
            })));
            return;
        };
        let body = UnitInput {
            center_id,
            name: name.get(),
            phone: Some(phone.get()),
            chief_representative_id: chief.get().parse().ok(),
        };
        match body.validated() {
            Ok(_) => {
                save.dispatch((editing.get(), body));
            }
            Err(invalid) => result.set(Some(Err(invalid.into()))),
        }
    };

    view! {
        <h1>"进驻单位"</h1>
        <AdminTabs current="/admin/units"/>
        <ActionResult message=result/>
        <div class="split">
            <section class="panel" aria-labelledby="unit-list">
                <h2 id="unit-list">"已有单位"</h2>
                <Transition fallback=Loading>
                    {move || suspend(async move {
                        let centers = centers.await.map(|l| l.items).unwrap_or_default();
                        match units.await {
                            Ok(list) => view! {
                                <table class="table">
                                    <thead><tr><th scope="col">"单位"</th><th scope="col">"所属中心"</th><th scope="col">"首席代表"</th><th scope="col">"状态"</th><th scope="col">"操作"</th></tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|u| {
                                            let row = u.clone();
                                            let (id, active) = (u.id, u.active);
                                            let center_name = centers.iter().find(|c| c.id == u.center_id).map(|c| c.name.clone()).unwrap_or_default();
                                            view! {
                                                <tr class:inactive=!active>
                                                    <td>{u.name.clone()}</td>
                                                    <td>{center_name}</td>
                                                    <td>{u.chief_representative_name.clone().unwrap_or_else(|| "未指定".into())}</td>
                                                    <td>{status_label(active)}</td>
                                                    <td class="actions">
                                                        <button type="button" class="button small" on:click=move |_| edit(row.clone())
                                                            aria-label=format!("编辑{}", u.name)>"编辑"</button>
                                                        <button type="button" class="button small ghost" on:click=move |_| { toggle.dispatch((id, !active)); }
                                                            aria-label=format!("{}{}", if active { "停用" } else { "启用" }, u.name)>
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
            <section class="panel" aria-labelledby="unit-form">
                <h2 id="unit-form">{move || if editing.get().is_some() { "编辑单位" } else { "新建单位" }}</h2>
                // The form's choices come from these lists: render it once they are here, on the
                // server and in the browser alike (otherwise hydration would meet other options).
                <Suspense fallback=Loading>
                    {move || suspend(async move {
                        let _ = centers.await; let _ = staff.await;
                        view! {
                        <form class="stack" on:submit=on_submit>
                            <SelectField id="unit-center" label="所属服务中心" value=center options=center_options placeholder="请选择"/>
                            <TextField id="unit-name" label="单位名称" value=name required=true/>
                            <TextField id="unit-phone" label="电话" value=phone/>
                            <Show when=move || editing.get().is_some()>
                                <SelectField id="unit-chief" label="首席代表" value=chief options=chief_options placeholder="未指定"/>
                            </Show>
                            <div class="row">
                                <button type="submit" class="button primary">"保存"</button>
                                <button type="button" class="button ghost" on:click=move |_| clear()>"清空"</button>
                            </div>
                            <p class="muted">"首席代表须是本单位持有“首席代表”角色的工作人员：先在“工作人员”中添加，再回到这里指定。"</p>
                        </form>
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}
