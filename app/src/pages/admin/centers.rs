//! Service centers: create, edit, deactivate.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminTabs, status_label};
use crate::{
    api::{
        ApiError, Role, calls,
        org::{CenterInput, CenterKind, CenterView},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{SelectField, TextField},
        guard::RequireRole,
    },
};

#[component]
pub fn AdminCenters() -> impl IntoView {
    view! {
        <Title text="服务中心 · 系统管理"/>
        <RequireRole role=Role::Admin render=|_me| view! { <CentersPanel/> }/>
    }
}

#[component]
fn CentersPanel() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let centers = Resource::new(move || version.get(), |_| calls::centers());
    let editing = RwSignal::new(None::<i64>);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(CenterKind::Town.code().to_string());
    let address = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<String, ApiError>>);

    let edit = move |c: CenterView| {
        editing.set(Some(c.id));
        name.set(c.name);
        kind.set(c.kind.code().into());
        address.set(c.address);
        phone.set(c.phone);
        result.set(None);
    };
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        address.set(String::new());
        phone.set(String::new());
    };
    let save = Action::new(move |input: &(Option<i64>, CenterInput)| {
        let (id, body) = input.clone();
        async move { calls::save_center(id, body).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = save.value().get() {
            result.set(Some(outcome.map(|c| format!("已保存：{}", c.name))));
            version.update(|v| *v += 1);
            if result.with_untracked(|r| matches!(r, Some(Ok(_)))) {
                clear();
            }
        }
    });
    let toggle = Action::new(move |(id, active): &(i64, bool)| {
        let (id, active) = (*id, *active);
        async move { calls::set_active("centers", id, active).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = toggle.value().get() {
            result.set(Some(outcome.map(|_| "状态已更新".to_string())));
            version.update(|v| *v += 1);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CenterInput {
            name: name.get(),
            kind: CenterKind::from_code(&kind.get()).unwrap_or(CenterKind::Town),
            address: address.get(),
            phone: phone.get(),
            business_hours: None,
        };
        if let Err(invalid) = body.validated() {
            result.set(Some(Err(invalid.into())));
            return;
        }
        save.dispatch((editing.get(), body));
    };
    let kinds = Signal::derive(|| {
        CenterKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect::<Vec<_>>()
    });

    view! {
        <h1>"服务中心"</h1>
        <AdminTabs current="/admin/centers"/>
        <ActionResult message=result/>
        <div class="split">
            <section class="panel" aria-labelledby="center-list">
                <h2 id="center-list">"已有中心"</h2>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match centers.await {
                            Ok(list) => view! {
                                <table class="table">
                                    <thead><tr><th scope="col">"名称"</th><th scope="col">"类型"</th><th scope="col">"电话"</th><th scope="col">"状态"</th><th scope="col">"操作"</th></tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|c| {
                                            let row = c.clone();
                                            let (id, active) = (c.id, c.active);
                                            view! {
                                                <tr class:inactive=!active>
                                                    <td>{c.name.clone()}</td>
                                                    <td>{c.kind.label()}</td>
                                                    <td>{c.phone.clone()}</td>
                                                    <td>{status_label(active)}</td>
                                                    <td class="actions">
                                                        <button type="button" class="button small" on:click=move |_| edit(row.clone())
                                                            aria-label=format!("编辑{}", c.name)>"编辑"</button>
                                                        <button type="button" class="button small ghost" on:click=move |_| { toggle.dispatch((id, !active)); }
                                                            aria-label=format!("{}{}", if active { "停用" } else { "启用" }, c.name)>
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
            <section class="panel" aria-labelledby="center-form">
                <h2 id="center-form">{move || if editing.get().is_some() { "编辑中心" } else { "新建中心" }}</h2>
                <form class="stack" on:submit=on_submit>
                    <TextField id="center-name" label="名称" value=name required=true/>
                    <SelectField id="center-kind" label="类型" value=kind options=kinds/>
                    <TextField id="center-address" label="地址" value=address required=true/>
                    <TextField id="center-phone" label="电话" value=phone required=true hint="如 0951-6888123"/>
                    <div class="row">
                        <button type="submit" class="button primary">"保存"</button>
                        <button type="button" class="button ghost" on:click=move |_| clear()>"清空"</button>
                    </div>
                    <p class="muted">"新建的中心默认按区政务服务中心作息（工作日 9:00–12:00、13:00–17:00）。"</p>
                </form>
            </section>
        </div>
    }
}
