//! The workbench: my cases by urgency with live countdowns, what waits for me, and the
//! promised-date calculator.

use leptos::prelude::*;
use rules::{BusinessHours, WorkCalendar};

use crate::api::events::Topic;
use leptos_meta::Title;

use crate::{
    api::{
        ApiError, Me, Role, calendar,
        cases::{self, CaseScope, CaseSummary},
        inquiries,
        org::{self, CenterView, Items},
    },
    components::{
        countdown::{Countdown, WithCalendar},
        due_preview::DuePreview,
        feedback::{ErrorBox, Loading},
        form::FieldError,
        guard::RequireRole,
        hall_clock::HallClock,
        live::LiveRefresh,
        suspend::suspend,
    },
    format,
};

#[component]
pub fn Workbench() -> impl IntoView {
    view! {
        <Title text="窗口工作台" />
        <RequireRole role=Role::Clerk render=|me| view! { <Desk me=me /> } />
    }
}

#[component]
fn Desk(me: Me) -> impl IntoView {
    let clock = HallClock::get();
    let version = RwSignal::new(0u32);
    let my_cases = Resource::new(
        move || version.get(),
        |_| cases::list(CaseScope::Mine, false),
    );
    let inbox = Resource::new(move || version.get(), |_| inquiries::inbox());
    let full_calendar = Resource::new(|| (), |_| calendar::full());
    let centers = Resource::new(|| (), |_| org::centers());
    let center_id = me.center_id;
    view! {
        <LiveRefresh topics=&[Topic::Cases] version=version />
        <div class="page-head">
            <div>
                <h1>"窗口工作台"</h1>
                <p class="lead">
                    {format!(
                        "{} · {} · {}",
                        me.staff.name,
                        me.unit_name.clone().unwrap_or_default(),
                        me.center_name.clone().unwrap_or_default(),
                    )} " · " {move || format::date(clock.local_now().date())}
                </p>
            </div>
            <div class="row wrap">
                <a class="button primary big" href="/clerk/receive">
                    "收件"
                </a>
                <a class="button big" href="/clerk/inquiries">
                    "咨询登记"
                </a>
                <a class="button big" href="/clerk/queue">
                    "叫号"
                </a>
                <a class="button big" href="/clerk/appointments">
                    "延时预约"
                </a>
                <a class="button big" href="/unit/supervision">
                    "本单位整改与评价"
                </a>
            </div>
        </div>
        <Suspense fallback=Loading>
            {move || suspend(async move {
                let (cal, hours) = hall_time(full_calendar, centers, center_id).await;
                let inbox = inbox.await;
                let cases = my_cases.await;
                let waiting = inbox
                    .as_ref()
                    .map(|i| (
                        i.referrals_to_confirm.len(),
                        i.mine.iter().filter(|q| q.status != rules::InquiryStatus::Closed).count(),
                        i.mine.iter().filter(|q| q.overdue).count(),
                    ))
                    .unwrap_or_default();
                let overdue = waiting.2 > 0;
                // With the hours, immediate items count the business time of the clerk's center.
                view! {
                    <WithCalendar calendar=cal hours=hours>
                        <section class="panel" aria-labelledby="my-cases">
                            <h2 id="my-cases">"我的办件（按紧急程度）"</h2>
                            {match cases {
                                Ok(list) if list.items.is_empty() => {
                                    view! { <p class="muted">"目前没有在办的件。"</p> }
                                        .into_any()
                                }
                                Ok(list) => view! { <CaseTable cases=list.items /> }.into_any(),
                                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            }}
                        </section>
                    </WithCalendar>
                    <section class="panel" aria-labelledby="waiting-for-me">
                        <h2 id="waiting-for-me">"首问负责"</h2>
                        <ul class="plain">
                            <li>{format!("待确认的转办：{} 件", waiting.0)}</li>
                            <li>{format!("我负责的未办结咨询：{} 条", waiting.1)}</li>
                            <li class:overdue-text=overdue>
                                {format!("超时未处理：{} 条", waiting.2)}
                            </li>
                        </ul>
                        <a class="button" href="/clerk/inquiries">
                            "处理咨询与转办"
                        </a>
                    </section>
                }
            })}
        </Suspense>
        <FindCase full_calendar centers center_id />
        <section class="panel" aria-labelledby="due-calc">
            <h2 id="due-calc">"承诺时限试算"</h2>
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    let hours = centers
                        .await
                        .ok()
                        .and_then(|l| l.items.into_iter().find(|c| Some(c.id) == center_id))
                        .map(|c| c.business_hours);
                    match (full_calendar.await, hours) {
                        (Ok(full), Some(hours)) => {
                            match full.work_calendar() {
                                Ok(cal) => {
                                    view! { <DuePreview calendar=cal hours=hours /> }.into_any()
                                }
                                Err(msg) => view! { <p class="error-box">{msg}</p> }.into_any(),
                            }
                        }
                        (Err(e), _) => view! { <ErrorBox error=e /> }.into_any(),
                        (_, None) => {
                            view! {
                                <p class="muted">"未找到所属服务中心的办公时间。"</p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

type CalendarResource = Resource<Result<calendar::FullCalendar, ApiError>>;
type CentersResource = Resource<Result<Items<CenterView>, ApiError>>;

/// The calendar and the business hours of the clerk's center, which the countdowns count in.
async fn hall_time(
    full_calendar: CalendarResource,
    centers: CentersResource,
    center_id: Option<i64>,
) -> (Option<WorkCalendar>, Option<BusinessHours>) {
    let cal = full_calendar
        .await
        .ok()
        .and_then(|f| f.work_calendar().ok());
    let hours = centers
        .await
        .ok()
        .and_then(|l| l.items.into_iter().find(|c| Some(c.id) == center_id))
        .map(|c| c.business_hours);
    (cal, hours)
}

/// A case of the unit found by its application number, finished ones too (an applicant back
/// with a receipt, a decision to print again): the list above holds open cases only, and a
/// closed case was reachable from no page.
#[component]
fn FindCase(
    full_calendar: CalendarResource,
    centers: CentersResource,
    center_id: Option<i64>,
) -> impl IntoView {
    let number = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let find = Action::new(|typed: &String| {
        let typed = typed.clone();
        async move { cases::find_by_number(&typed).await }
    });
    let ready = crate::components::scripted();
    Effect::new(move |_| {
        let message = match find.value().get() {
            Some(Ok(None)) => Some("本单位没有这个编号的办件，请核对申请编号".to_string()),
            Some(Err(e)) => Some(e.message),
            _ => None,
        };
        error.set(message);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if number.with(|n| n.trim().is_empty()) {
            error.set(Some("请填写申请编号".into()));
            crate::components::form::focus_field("find-case-number");
            return;
        }
        error.set(None);
        find.dispatch(number.get_untracked());
    };
    view! {
        <section class="panel" aria-labelledby="find-case">
            <h2 id="find-case">"查找办件（含已办结）"</h2>
            <form class="row wrap find-case" on:submit=submit novalidate>
                <div class="field">
                    <label for="find-case-number">"申请编号"</label>
                    <FieldError id="find-case-number" error=error />
                    <input
                        id="find-case-number"
                        name="number"
                        inputmode="numeric"
                        autocomplete="off"
                        placeholder="例如 2026-01-00001"
                        aria-invalid=move || error.with(Option::is_some).to_string()
                        aria-describedby=move || {
                            error.with(Option::is_some).then_some("find-case-number-error")
                        }
                        bind:value=number
                    />
                </div>
                <button type="submit" class="button" disabled=move || !ready.get()>
                    "查找"
                </button>
            </form>
            // An open case found counts down as the list above does.
            <Suspense fallback=Loading>
                {move || {
                    let found = find.value().get().and_then(Result::ok).flatten();
                    suspend(async move {
                        let case = found?;
                        let (cal, hours) = hall_time(full_calendar, centers, center_id).await;
                        Some(
                            view! {
                                <WithCalendar calendar=cal hours=hours>
                                    <CaseTable cases=vec![case] />
                                </WithCalendar>
                            },
                        )
                    })
                }}
            </Suspense>
        </section>
    }
}

/// Cases with their live deadlines; a row opens the case.
#[component]
pub fn CaseTable(cases: Vec<CaseSummary>, #[prop(optional)] read_only: bool) -> impl IntoView {
    // A table on the tablet, a list of cards on a phone (CSS shows one of the two).
    let rows: Vec<CaseRow> = cases
        .into_iter()
        .map(|c| CaseRow::new(c, read_only))
        .collect();
    let cards = rows.clone();
    view! {
        <table class="table cases case-table-wide">
            <thead>
                <tr>
                    <th scope="col">"编号"</th>
                    <th scope="col">"事项"</th>
                    <th scope="col">"申请人"</th>
                    <th scope="col">"状态"</th>
                    <th scope="col">"期限"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <td class="case-number">
                                    <a href=r.href.clone() aria-label=r.link_label()>
                                        {r.case.number.clone()}
                                    </a>
                                </td>
                                <td>{r.case.item_name.clone()}</td>
                                <td>{r.case.applicant_name.clone()}</td>
                                <td>{r.state_view()}</td>
                                <td>{r.countdown()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <ul class="case-cards">
            {cards
                .into_iter()
                .map(|r| {
                    view! {
                        <li class="case-card">
                            <p class="case-card-head">
                                <a
                                    class="case-number"
                                    href=r.href.clone()
                                    aria-label=r.link_label()
                                >
                                    {r.case.number.clone()}
                                </a>
                                <span>{r.state_view()}</span>
                            </p>
                            <p class="case-card-item">{r.case.item_name.clone()}</p>
                            <p class="muted">{format!("申请人：{}", r.case.applicant_name)}</p>
                            {r.countdown()}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// One case of the list, as the table row and the phone's card show it.
#[derive(Clone)]
struct CaseRow {
    case: CaseSummary,
    href: String,
}

impl CaseRow {
    fn new(case: CaseSummary, read_only: bool) -> Self {
        let href = if read_only {
            format!("/cases/{}", case.id)
        } else {
            format!("/clerk/cases/{}", case.id)
        };
        Self { case, href }
    }

    fn link_label(&self) -> String {
        format!("办理 {} {}", self.case.number, self.case.item_name)
    }

    fn state_view(&self) -> impl IntoView + use<> {
        let stage = self.case.stage.clone();
        view! {
            {self.case.state_label.clone()}
            {stage.map(|s| view! { <span class="muted">{format!(" · {s}")}</span> })}
        }
    }

    /// The review's or the case's countdown, while one runs.
    fn countdown(&self) -> impl IntoView + use<> {
        let c = &self.case;
        let reviewing = c.state == rules::CaseState::Received;
        let (label, due) = if reviewing {
            (Some("受理审查"), c.review_due_at)
        } else {
            (None, c.due_at)
        };
        let limit = if reviewing {
            rules::TimeLimit::Promised { working_days: 5 }
        } else {
            c.time_limit
        };
        let provisional = c.due_provisional;
        let show = due.is_some() || c.state == rules::CaseState::Suspended;
        let label = label.unwrap_or("");
        let center = c.center_id;
        show.then(|| {
            view! {
                <Countdown
                    due_at=due
                    limit=limit
                    provisional=provisional
                    label=label
                    center_id=center
                />
            }
        })
    }
}
