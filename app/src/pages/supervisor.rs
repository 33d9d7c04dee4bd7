//! 督查: the supervisor's desk (审批服务管理局).

use leptos::prelude::*;

use crate::api::events::Topic;
use leptos_meta::Title;

use crate::{
    api::{
        ApiError, Role, audit, calendar,
        cases::{self, CaseScope},
        org,
    },
    components::{
        countdown::WithCalendar,
        feedback::{ErrorBox, Loading},
        guard::RequireRole,
        live::LiveRefresh,
        suspend::suspend,
    },
    pages::clerk::CaseTable,
};

#[component]
pub fn SupervisorDesk() -> impl IntoView {
    view! {
        <Title text="督查" />
        <RequireRole role=Role::Supervisor render=|_me| view! { <Overview /> } />
    }
}

#[component]
fn Overview() -> impl IntoView {
    let centers = Resource::new(|| (), |_| org::centers());
    let units = Resource::new(|| (), |_| org::units());
    let verify = Action::new(|_: &()| audit::verify());
    let version = RwSignal::new(0u32);
    let all_cases = Resource::new(
        move || version.get(),
        |_| cases::list(CaseScope::All, false),
    );
    let full_calendar = Resource::new(|| (), |_| calendar::full());
    let verdict = move || {
        verify.value().get().map(
            |outcome: Result<audit::Verification, ApiError>| match outcome {
                Ok(v) if v.ok => view! {
                    <p class="ok-box" role="status">
                        {format!(
                            "审计链完整：共 {} 条记录，未发现改动。",
                            v.records,
                        )}
                    </p>
                }
                .into_any(),
                Ok(v) => view! {
                    <p class="error-box" role="alert">
                        {format!(
                            "审计链断裂：第一条异常记录编号 {}（{}）",
                            v.first_broken_id.unwrap_or_default(),
                            v.reason.unwrap_or_default(),
                        )}
                    </p>
                }
                .into_any(),
                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
            },
        )
    };
    view! {
        <LiveRefresh topics=&[Topic::Cases] version=version />
        <h1>"督查"</h1>
        <p>
            <a class="button" href="/supervisor/overview">
                "督查总览（问题、整改、好差评）"
            </a>
        </p>
        <div class="split">
            <section class="panel" aria-labelledby="org-overview">
                <h2 id="org-overview">"机构概况"</h2>
                <Suspense fallback=Loading>
                    {move || suspend(async move {
                        match (centers.await, units.await) {
                            (Ok(c), Ok(u)) => {
                                let active_units = u.items.iter().filter(|x| x.active).count();
                                let missing_chief = u
                                    .items
                                    .iter()
                                    .filter(|x| x.active && x.chief_representative_id.is_none())
                                    .count();
                                view! {
                                    <dl class="facts">
                                        <dt>"服务中心"</dt>
                                        <dd>{c.items.iter().filter(|x| x.active).count()}</dd>
                                        <dt>"进驻单位"</dt>
                                        <dd>{active_units}</dd>
                                        <dt>"未指定首席代表的单位"</dt>
                                        <dd>{missing_chief}</dd>
                                    </dl>
                                }
                                    .into_any()
                            }
                            (Err(e), _) | (_, Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="panel" aria-labelledby="audit-check">
                <h2 id="audit-check">"审计记录核验"</h2>
                <p>
                    "每次状态变更都记入审计链；任何一条记录被改动都会在这里被发现。"
                </p>
                <button
                    type="button"
                    class="button primary"
                    on:click=move |_| {
                        verify.dispatch(());
                    }
                >
                    "核验审计链"
                </button>
                {verdict}
            </section>
        </div>
        <section class="panel" aria-labelledby="all-cases">
            <h2 id="all-cases">"在办件（全部单位，按紧急程度）"</h2>
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    let cal = full_calendar.await.ok().and_then(|f| f.work_calendar().ok());
                    // Immediate items are timed in their own center's business hours, as on
                    // the case page (the list had counted nights and weekends).
                    let hours: Vec<(i64, rules::BusinessHours)> = centers
                        .await
                        .map(|l| l.items.into_iter().map(|c| (c.id, c.business_hours)).collect())
                        .unwrap_or_default();
                    match all_cases.await {
                        Ok(list) if list.items.is_empty() => {
                            view! { <p class="muted">"目前没有在办件。"</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <WithCalendar calendar=cal center_hours=hours>
                                    <CaseTable cases=list.items read_only=true />
                                </WithCalendar>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
