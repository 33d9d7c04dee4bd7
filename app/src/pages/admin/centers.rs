//! Service centers: create, edit, deactivate.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminTabs, status_label};
use crate::{
    api::{
        ApiError, Role,
        org::{self, CenterInput, CenterKind, CenterView},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{SelectField, TextField},
        guard::RequireRole,
        hours_text,
        suspend::suspend,
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
    let centers = Resource::new(move || version.get(), |_| org::centers());
    let editing = RwSignal::new(None::<i64>);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(CenterKind::Town.code().to_string());
    let address = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let hours = RwSignal::new(hours_text::to_text(
        &rules::BusinessHours::district_hall_default(),
    ));
    let result = RwSignal::new(None::<Result<String, ApiError>>);

    let edit = move |c: CenterView| {
        editing.set(Some(c.id));
        name.set(c.name);
        kind.set(c.kind.code().into());
        address.set(c.address);
        phone.set(c.phone);
        hours.set(hours_text::to_text(&c.business_hours));
        result.set(None);
    };
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        address.set(String::new());
        phone.set(String::new());
        hours.set(hours_text::to_text(
            &rules::BusinessHours::district_hall_default(),
        ));
    };
    let save = Action::new(move |input: &(Option<i64>, CenterInput)| {
        let (id, body) = input.clone();
        async move { org::save_center(id, body).await }
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
        async move { org::set_active("centers", id, active).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = toggle.value().get() {
            result.set(Some(outcome.map(|_| "状态已更新".to_string())));
            version.update(|v| *v += 1);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let business_hours = match hours_text::parse(&hours.get()) {
            Ok(h) => h,
            Err(message) => {
                result.set(Some(Err(ApiError {
                    code: "invalid_business_hours".into(),
                    message,
                    field: Some("business_hours".into()),
                    status: 422,
                })));
                return;
            }
        };
        let body = CenterInput {
            name: name.get(),
            kind: CenterKind::from_code(&kind.get()).unwrap_or(CenterKind::Town),
            address: address.get(),
            phone: phone.get(),
            business_hours: Some(business_hours),
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
                    {move || suspend(async move {
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
                    <div class="field">
                        <label for="center-hours">"办公时间"</label>
                        <textarea id="center-hours" rows="4" bind:value=hours aria-describedby="center-hours-hint"></textarea>
                        <small id="center-hours-hint" class="hint">"每行一条：“工作日 09:00-12:00 13:00-17:00”；可加“周五 …”、“季节 夏季作息 05-01~09-30 …”、“闭厅 2026-12-01 原因”。法定节假日按国务院安排自动休息，调休上班日按工作日作息。"</small>
                    </div>
                    <div class="row">
                        <button type="submit" class="button primary">"保存"</button>
                        <button type="button" class="button ghost" on:click=move |_| clear()>"清空"</button>
                    </div>
                </form>
            </section>
        </div>
    }
}
