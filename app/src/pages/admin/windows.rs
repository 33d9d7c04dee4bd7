//! Windows: number, name and the units each serves.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminTabs, status_label};
use crate::{
    api::{
        ApiError, Role,
        org::{self, WindowInput, WindowView},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{CheckGroup, SelectField, TextField},
        guard::RequireRole,
        suspend::suspend,
    },
};

#[component]
pub fn AdminWindows() -> impl IntoView {
    view! {
        <Title text="窗口 · 系统管理"/>
        <RequireRole role=Role::Admin render=|_me| view! { <WindowsPanel/> }/>
    }
}

#[component]
fn WindowsPanel() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let windows = Resource::new(move || version.get(), |_| org::windows());
    let centers = Resource::new(|| (), |_| org::centers());
    let units = Resource::new(|| (), |_| org::units());
    let editing = RwSignal::new(None::<i64>);
    let center = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let chosen_units = RwSignal::new(Vec::<String>::new());
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
    let unit_options = Signal::derive(move || {
        let center_id: Option<i64> = center.get().parse().ok();
        units
            .get()
            .and_then(Result::ok)
            .map(|l| {
                l.items
                    .into_iter()
                    .filter(|u| u.active && Some(u.center_id) == center_id)
                    .map(|u| (u.id.to_string(), u.name))
                    .collect()
            })
            .unwrap_or_default()
    });

    let edit = move |w: WindowView| {
        editing.set(Some(w.id));
        center.set(w.center_id.to_string());
        number.set(w.number);
        name.set(w.name.unwrap_or_default());
        chosen_units.set(w.unit_ids.iter().map(|u| u.to_string()).collect());
        result.set(None);
    };
    let clear = move || {
        editing.set(None);
        number.set(String::new());
        name.set(String::new());
        chosen_units.set(Vec::new());
    };
    let save = Action::new(move |input: &(Option<i64>, WindowInput)| {
        let (id, body) = input.clone();
        async move { org::save_window(id, body).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = save.value().get() {
            let ok = outcome.is_ok();
            result.set(Some(
                outcome.map(|w| format!("已保存：{} 号窗口", w.number)),
            ));
            version.update(|v| *v += 1);
            if ok {
                clear();
            }
        }
    });
    let toggle = Action::new(move |(id, active): &(i64, bool)| {
        let (id, active) = (*id, *active);
        async move { org::set_active("windows", id, active).await }
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
        let body = WindowInput {
            center_id,
            number: number.get(),
            name: Some(name.get()),
            unit_ids: chosen_units
                .get()
                .iter()
                .filter_map(|u| u.parse().ok())
                .collect(),
        };
        match body.validated() {
            Ok(_) => {
                save.dispatch((editing.get(), body));
            }
            Err(invalid) => result.set(Some(Err(invalid.into()))),
        }
    };

    view! {
        <h1>"窗口"</h1>
        <AdminTabs current="/admin/windows"/>
        <ActionResult message=result/>
        <div class="split">
            <section class="panel" aria-labelledby="window-list">
                <h2 id="window-list">"已有窗口"</h2>
                <Transition fallback=Loading>
                    {move || suspend(async move {
                        let centers = centers.await.map(|l| l.items).unwrap_or_default();
                        let units = units.await.map(|l| l.items).unwrap_or_default();
                        match windows.await {
                            Ok(list) => view! {
                                <table class="table">
                                    <thead><tr><th scope="col">"窗口"</th><th scope="col">"中心"</th><th scope="col">"服务单位"</th><th scope="col">"状态"</th><th scope="col">"操作"</th></tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|w| {
                                            let row = w.clone();
                                            let (id, active) = (w.id, w.active);
                                            let center_name = centers.iter().find(|c| c.id == w.center_id).map(|c| c.name.clone()).unwrap_or_default();
                                            let unit_names = units.iter().filter(|u| w.unit_ids.contains(&u.id)).map(|u| u.name.clone()).collect::<Vec<_>>().join("、");
                                            let title = format!("{} {}", w.number, w.name.clone().unwrap_or_default());
                                            view! {
                                                <tr class:inactive=!active>
                                                    <td>{title.clone()}</td>
                                                    <td>{center_name}</td>
                                                    <td>{unit_names}</td>
                                                    <td>{status_label(active)}</td>
                                                    <td class="actions">
                                                        <button type="button" class="button small" on:click=move |_| edit(row.clone())
                                                            aria-label=format!("编辑窗口{}", w.number)>"编辑"</button>
                                                        <button type="button" class="button small ghost" on:click=move |_| { toggle.dispatch((id, !active)); }
                                                            aria-label=format!("{}窗口{}", if active { "停用" } else { "启用" }, w.number)>
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
            <section class="panel" aria-labelledby="window-form">
                <h2 id="window-form">{move || if editing.get().is_some() { "编辑窗口" } else { "新建窗口" }}</h2>
                // The form's choices come from these lists: render it once they are here, on the
                // server and in the browser alike (otherwise hydration would meet other options).
                <Suspense fallback=Loading>
                    {move || suspend(async move {
                        let _ = centers.await; let _ = units.await;
                        view! {
                        <form class="stack" on:submit=on_submit>
                            <SelectField id="window-center" label="所属服务中心" value=center options=center_options placeholder="请选择"/>
                            <TextField id="window-number" label="窗口号" value=number required=true hint="如 A01"/>
                            <TextField id="window-name" label="窗口名称" value=name/>
                            <CheckGroup legend="服务单位" options=unit_options chosen=chosen_units/>
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
