//! 叫号: the clerk's queue panel on the tablet. Pick the window, call the next citizen, serve, and
//! hand a ticket on — to another window, or to the chief representative when this window cannot
//! serve it. A window has no way to drop a ticket (Seed §二(四)三: staff may not refuse).

use chrono::DateTime;
use leptos::prelude::*;

use crate::api::events::Topic;
use leptos_meta::Title;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};
use rules::{extended::ExtendedKind, supervision::RatedSubject};

use crate::{
    api::{
        ApiError, Me, Role,
        org::{self, WindowView},
        queue::{
            self, CannotServeRequest, ExtendedRequest, QueueView, TicketView, TransferRequest,
            WindowBoard,
        },
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{FieldError, option, selected_option},
        guard::RequireRole,
        hall_clock::HallClock,
        hall_closed::HallClosedNotice,
        live::{LiveRefresh, RefreshAt},
        rating_slip::{ShownSlip, SlipInAddress},
        suspend::suspend,
    },
};

#[component]
pub fn QueuePanel() -> impl IntoView {
    view! {
        <Title text="叫号" />
        <RequireRole role=Role::Clerk render=|me| view! { <WindowDesk me=me /> } />
    }
}

/// The ticket states in the words the hall uses.
fn ticket_status_label(status: rules::TicketStatus) -> &'static str {
    use rules::TicketStatus as S;
    match status {
        S::Waiting => "等候中",
        S::Called => "已呼叫",
        S::Serving => "办理中",
        S::Done => "已办结",
        S::NoShow => "过号",
        S::Reassigning => "待重新指派",
    }
}

/// The ticket as read: the optimistic-concurrency version travels with every step.
#[derive(Clone)]
struct Held {
    id: i64,
    version: i64,
}

impl From<&TicketView> for Held {
    fn from(t: &TicketView) -> Self {
        Held {
            id: t.id,
            version: t.version,
        }
    }
}

/// One thing the window does; a single action runs them all.
#[derive(Clone)]
enum Op {
    CallNext(i64),
    Recall(Held),
    NoShow(Held),
    Start(Held),
    Finish(Held),
    /// Finished, but its business could not be finished on the spot (someone or something not at
    /// the window was needed): no extended service is counted over the noon break.
    FinishNotFinishable(Held),
    Transfer(Held, i64),
    CannotServe(Held, String),
    Extended(Held, ExtendedRequest),
}

/// What a step did: the line to show, and what becomes of the rating slip on the board.
#[derive(Clone)]
struct Done {
    message: String,
    slip: Option<SlipChange>,
}

#[derive(Clone, Copy)]
enum SlipChange {
    /// The ticket was served: its rating code is shown to the citizen.
    Show(i64),
    /// The next citizen was called: the last one's slip goes.
    Clear,
}

async fn run(op: Op) -> Result<Done, ApiError> {
    let slip = match &op {
        Op::CallNext(_) => Some(SlipChange::Clear),
        Op::Finish(t) | Op::FinishNotFinishable(t) => Some(SlipChange::Show(t.id)),
        _ => None,
    };
    let message = run_step(op).await?;
    Ok(Done { message, slip })
}

async fn run_step(op: Op) -> Result<String, ApiError> {
    let step = |t: Held, action: &'static str| queue::ticket_step(t.id, action, t.version);
    match op {
        Op::CallNext(window) => queue::call_next(window).await.map(|t| {
            format!(
                "已呼叫 {}，请到 {} 号窗口",
                t.number,
                t.window_number.unwrap_or_default()
            )
        }),
        Op::Recall(t) => step(t, "recall").await.map(|t| {
            format!(
                "已重新呼叫 {}（第 {} 次），请到 {} 号窗口",
                t.number,
                t.recalls,
                t.window_number.unwrap_or_default()
            )
        }),
        Op::NoShow(t) => step(t, "no-show")
            .await
            .map(|t| format!("{} 已记为过号", t.number)),
        Op::Start(t) => step(t, "start")
            .await
            .map(|t| format!("{} 开始办理", t.number)),
        Op::Finish(t) => step(t, "finish")
            .await
            .map(|t| format!("{} 已办结", t.number)),
        Op::FinishNotFinishable(t) => {
            queue::finish(t.id, t.version, rules::OnTheSpot::NotFinishable)
                .await
                .map(|t| format!("{} 已办结（记为当场无法办结的业务）", t.number))
        }
        Op::Transfer(t, window_id) => queue::transfer(
            t.id,
            TransferRequest {
                version: t.version,
                window_id,
            },
        )
        .await
        .map(|t| {
            format!(
                "{} 已转至 {} 号窗口，在该窗口优先叫号",
                t.number,
                t.window_number.unwrap_or_default()
            )
        }),
        Op::CannotServe(t, reason) => queue::cannot_serve(
            t.id,
            CannotServeRequest {
                version: t.version,
                reason,
            },
        )
        .await
        .map(|r| {
            format!(
                "已将 {} 报告首席代表，由首席代表指派其他工作人员办理",
                r.ticket.number
            )
        }),
        Op::Extended(t, body) => queue::extended(t.id, body).await.map(|e| {
            format!(
                "已记录 {} 的延时服务（{}）",
                e.ticket_number.unwrap_or_default(),
                e.kind_label
            )
        }),
    }
}

/// What the board's buttons need: the action, and whether they must wait.
#[derive(Clone, Copy)]
struct Controls {
    act: Action<Op, Result<Done, ApiError>>,
    busy: Signal<bool>,
}

impl Controls {
    fn button(
        self,
        label: &'static str,
        class: &'static str,
        op: impl Fn() -> Op + Send + Sync + 'static,
    ) -> impl IntoView {
        view! {
            <button
                type="button"
                class=class
                disabled=move || self.busy.get()
                on:click=move |_| {
                    self.act.dispatch(op());
                }
            >
                {label}
            </button>
        }
    }
}

/// The panel's address: the window, and the ticket whose rating slip is shown.
fn panel_url(window: i64, slip: Option<i64>) -> String {
    match slip {
        Some(ticket) => format!("/clerk/queue?window={window}&slip={ticket}"),
        None => format!("/clerk/queue?window={window}"),
    }
}

/// The window the clerk works at: `?window=` (so that a reload keeps it) when it is one of theirs,
/// else their first.
fn chosen_window(requested: Option<i64>, mine: &[i64]) -> Option<i64> {
    requested
        .filter(|id| mine.contains(id))
        .or(mine.first().copied())
}

#[component]
fn WindowDesk(me: Me) -> impl IntoView {
    let query = use_query_map();
    let window_id = Memo::new({
        let mine = me.staff.window_ids.clone();
        move |_| {
            let requested = query.read().get("window").and_then(|v| v.parse().ok());
            chosen_window(requested, &mine)
        }
    });
    remember_window(me.staff.id, me.staff.window_ids.clone());
    let center_id = me.center_id.unwrap_or_default();
    let mine = StoredValue::new(me.staff.window_ids.clone());
    move || match window_id.get() {
        Some(id) => {
            view! { <Board window_id=id center_id=center_id mine=mine.get_value() /> }.into_any()
        }
        None => view! {
            <h1>"叫号"</h1>
            <section class="panel">
                <p>
                    "您还没有被分配到窗口，不能叫号。请联系系统管理员分配窗口。"
                </p>
            </section>
        }
        .into_any(),
    }
}

/// This tablet keeps the window its clerk chose last, and opens the panel there: a clerk of
/// A01 and A02 sitting at A02 opened it at A01 (their first window) every time, and the first
/// tap on 叫下一位 called a citizen to the wrong window. Kept per clerk (a tablet is shared
/// between shifts), in the browser only: the server renders the first window, and the page
/// moves to the kept one once it runs.
#[cfg(feature = "hydrate")]
fn remember_window(staff_id: i64, mine: Vec<i64>) {
    let query = use_query_map();
    let navigate = use_navigate();
    let key = format!("chuangkou.window.{staff_id}");
    Effect::new(move |_| {
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        let Some(storage) = storage else {
            return;
        };
        let requested = query
            .read()
            .get("window")
            .and_then(|v| v.parse::<i64>().ok());
        match requested.filter(|id| mine.contains(id)) {
            Some(id) => {
                let _ = storage.set_item(&key, &id.to_string());
            }
            None => {
                let kept = storage.get_item(&key).ok().flatten();
                let kept = kept.and_then(|v| v.parse::<i64>().ok());
                if let Some(id) = kept.filter(|id| mine.contains(id) && mine.first() != Some(id)) {
                    let options = NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    };
                    navigate(&format!("/clerk/queue?window={id}"), options);
                }
            }
        }
    });
}

/// On the server there is no tablet to remember anything.
#[cfg(not(feature = "hydrate"))]
fn remember_window(_staff_id: i64, _mine: Vec<i64>) {}

#[component]
fn Board(window_id: i64, center_id: i64, mine: Vec<i64>) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let windows = Resource::new(|| (), |_| org::windows());
    let board = Resource::new(
        move || version.get(),
        move |_| queue::window_board(window_id),
    );
    let queues = Resource::new(move || version.get(), move |_| queue::queues(center_id));
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    // The ticket whose rating slip is shown, from its finish until the next call (or closed): in
    // the address (`?slip=`), so that a reload keeps it until the citizen has it.
    let slip = SlipInAddress::new(move |ticket| panel_url(window_id, ticket));
    let act = Action::new(|op: &Op| run(op.clone()));
    Effect::new(move |_| {
        if let Some(outcome) = act.value().get() {
            match outcome {
                Ok(done) => {
                    match done.slip {
                        Some(SlipChange::Show(id)) => slip.show.run(Some(id)),
                        Some(SlipChange::Clear) => slip.show.run(None),
                        None => {}
                    }
                    result.set(Some(Ok(done.message)));
                }
                Err(e) => result.set(Some(Err(e))),
            }
            version.update(|v| *v += 1);
        }
    });
    // Buttons wait while a step runs; a step on a ticket that changed meanwhile is refused by the
    // server (stale version) and the board is re-read.
    let controls = Controls {
        act,
        busy: act.pending().into(),
    };
    // The forms that hand a ticket on live outside the re-rendered board (a live refresh must not
    // wipe a reason being typed); they follow the current ticket once the page runs.
    let current = RwSignal::new(None::<TicketView>);
    let colleagues = RwSignal::new(false);
    let all_windows = RwSignal::new(Vec::<WindowView>::new());
    Effect::new(move |_| {
        if let Some(Ok(b)) = board.get() {
            // A colleague's ticket at a shared window is not this clerk's to serve: it can only
            // be sent to another window (when the colleague has gone).
            colleagues.set(b.current_held_by.is_some());
            current.set(b.current);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(list)) = windows.get() {
            all_windows.set(list.items);
        }
    });
    view! {
        <LiveRefresh topics=&[Topic::Queue] version=version />
        <Suspense fallback=Loading>
            {move || {
                let mine = mine.clone();
                suspend(async move {
                    match windows.await {
                        Ok(list) => {
                            let own = list
                                .items
                                .into_iter()
                                .filter(|w| w.active && mine.contains(&w.id))
                                .collect();
                            view! { <Head own=own window_id=window_id /> }.into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
        <ActionResult message=result />
        <Transition fallback=|| ()>
            {move || suspend(async move {
                queues
                    .await
                    .ok()
                    .map(|list| {
                        view! {
                            <RefreshAt at=list.changes_at version=version />
                            <HallClosedNotice list=list for_staff=true />
                        }
                    })
            })}
        </Transition>
        <div class="qp-grid">
            <div class="qp-main">
                // Transition keeps the last board on screen while it is re-read (no flicker on
                // every queue event).
                <Transition fallback=Loading>
                    {move || suspend(async move {
                        match board.await {
                            Ok(b) => view! { <Current board=b controls=controls /> }.into_any(),
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        }
                    })}
                </Transition>
                <ShownSlip slip=slip subject=RatedSubject::Ticket />
                <Handover
                    current=current
                    colleagues=colleagues
                    windows=all_windows
                    window_id=window_id
                    controls=controls
                />
            </div>
            <Transition fallback=Loading>
                {move || suspend(async move {
                    let served = windows
                        .await
                        .ok()
                        .and_then(|l| l.items.into_iter().find(|w| w.id == window_id))
                        .map(|w| w.unit_ids)
                        .unwrap_or_default();
                    let queues: Vec<QueueView> = queues
                        .await
                        .map(|l| l.queues)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|q| served.contains(&q.unit_id))
                        .collect();
                    match board.await {
                        Ok(b) => view! { <Waiting board=b queues=queues /> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// The page title with the window, and the window choice for a clerk at more than one window.
#[component]
fn Head(own: Vec<WindowView>, window_id: i64) -> impl IntoView {
    let this = own.iter().find(|w| w.id == window_id).cloned();
    view! {
        <div class="page-head">
            <div>
                <h1>
                    {format!(
                        "叫号 · {} 号窗口",
                        this.as_ref().map(|w| w.number.clone()).unwrap_or_default(),
                    )}
                </h1>
                {this.and_then(|w| w.name).map(|n| view! { <p class="lead">{n}</p> })}
            </div>
            <WindowChoice own=own current=window_id />
        </div>
    }
}

/// The window choice, for a clerk who works at more than one window.
#[component]
fn WindowChoice(own: Vec<WindowView>, current: i64) -> impl IntoView {
    let navigate = use_navigate();
    (own.len() > 1).then(move || {
        let choose = move |ev: leptos::ev::Event| {
            navigate(
                &format!("/clerk/queue?window={}", event_target_value(&ev)),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        };
        view! {
            <div class="field qp-window">
                <label for="qp-window">"窗口"</label>
                <select id="qp-window" on:change=choose prop:value=current.to_string()>
                    {own
                        .iter()
                        .map(|w| selected_option(w.id, w.label(), w.id == current))
                        .collect_view()}
                </select>
            </div>
        }
    })
}

/// The ticket at the window now, shown big, with the steps it can take.
#[component]
fn Current(board: WindowBoard, controls: Controls) -> impl IntoView {
    let window_id = board.window_id;
    let idle = board.current.is_none();
    let call_class = if idle {
        "button primary big"
    } else {
        "button big"
    };
    let call = controls.button("叫下一位", call_class, move || Op::CallNext(window_id));
    // The clerk's own citizen at another window comes first: one ticket in hand at a time.
    let elsewhere = board.yours_elsewhere.clone().map(|(id, window, number)| {
        view! {
            <p class="warn-box" role="note">
                {format!("您正在 {window} 号窗口接待 {number} 号，办结或转窗口后才能再叫号。")}
                " "
                <a href=format!("/clerk/queue?window={id}")>{format!("回到 {window} 号窗口")}</a>
            </p>
        }
    });
    let free = board.yours_elsewhere.is_none();
    let body = match (board.current, board.current_held_by) {
        (None, _) => view! {
            <p class="qp-number qp-idle">"暂无"</p>
            <p class="muted">"当前没有在办的号，请叫下一位。"</p>
            {elsewhere}
            <div class="qp-actions">{free.then_some(call)}</div>
        }
        .into_any(),
        // A colleague called it: theirs to serve; this panel shows it only.
        (Some(t), Some(holder)) => view! {
            <TicketFacts ticket=t />
            <p class="muted">{format!("此号由{holder}叫号接待，只能由其本人办理或转窗口。")}</p>
            {elsewhere}
        }
        .into_any(),
        // While a ticket is in hand the next cannot be called (the server refuses it): the
        // panel offers only what the ticket can take.
        (Some(t), None) => {
            let held = Held::from(&t);
            let steps = ticket_steps(&t, held, controls);
            view! {
                <TicketFacts ticket=t />
                <div class="qp-actions">{steps}</div>
            }
            .into_any()
        }
    };
    view! {
        <section class="panel qp-current" aria-labelledby="qp-current-title">
            <h2 id="qp-current-title">"当前号码"</h2>
            {body}
        </section>
    }
}

#[component]
fn TicketFacts(ticket: TicketView) -> impl IntoView {
    let clock = HallClock::get();
    let called = ticket
        .called_at
        .map(|at| clock.to_local(at).format("%H:%M").to_string());
    view! {
        <p class="qp-number" aria-live="polite">
            {ticket.number.clone()}
        </p>
        <p class="qp-facts">
            <span class="state-pill">{ticket_status_label(ticket.status)}</span>
            <span>{ticket.queue_name.clone()}</span>
            {ticket
                .priority
                .then(|| view! { <span class="badge qp-priority">"预约优先"</span> })}
        </p>
        <p class="muted">
            {called.map(|c| format!("{c} 呼叫"))}
            {(ticket.recalls > 0).then(|| format!("，已重新呼叫 {} 次", ticket.recalls))}
        </p>
    }
}

/// The steps of a called or served ticket. A no-show needs a recall first: the server says so.
fn ticket_steps(t: &TicketView, held: Held, controls: Controls) -> AnyView {
    let with = move |make: fn(Held) -> Op| {
        let held = held.clone();
        move || make(held.clone())
    };
    match t.status {
        // 过号 only after a recall, as the server requires; before it, the panel says so.
        rules::TicketStatus::Called if t.recalls == 0 => view! {
            {controls.button("开始办理", "button primary big", with(Op::Start))}
            {controls.button("重新呼叫", "button big", with(Op::Recall))}
            <p class="muted">"群众未到时，请先重新呼叫一次，仍不在场再登记过号。"</p>
        }
        .into_any(),
        rules::TicketStatus::Called => view! {
            {controls.button("开始办理", "button primary big", with(Op::Start))}
            {controls.button("重新呼叫", "button big", with(Op::Recall))}
            {controls.button("过号", "button ghost big", with(Op::NoShow))}
        }
        .into_any(),
        rules::TicketStatus::Serving => view! {
            {controls.button("办结", "button primary big", with(Op::Finish))}
            {controls
                .button(
                    "办结：当场无法办完的业务",
                    "button big",
                    with(Op::FinishNotFinishable),
                )}
            <p class="muted">
                "业务需要窗口以外的人员或材料、当场无法办完的，请用第二个按钮办结。"
            </p>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

/// Handing the current ticket on, and recording extended service. The forms keep what was typed
/// while the board refreshes, and start empty for each new ticket: the panel is drawn again only
/// when the ticket, the windows offered or whose ticket it is really change (a refused 无法办理
/// had its reason wiped by the refresh that followed).
#[component]
fn Handover(
    current: RwSignal<Option<TicketView>>,
    /// The ticket is a colleague's: only sending it to another window is offered.
    colleagues: RwSignal<bool>,
    windows: RwSignal<Vec<WindowView>>,
    window_id: i64,
    controls: Controls,
) -> impl IntoView {
    let ticket =
        Memo::new(move |_| current.with(|c| c.as_ref().map(|t| (t.id, t.center_id, t.unit_id))));
    let held = move || current.with_untracked(|c| c.as_ref().map(Held::from));
    // Other windows of the center that do this ticket's business.
    let options = Memo::new(move |_| {
        let Some((_, center, unit)) = ticket.get() else {
            return Vec::new();
        };
        windows.with(|all| {
            all.iter()
                .filter(|w| w.active && w.center_id == center && w.id != window_id)
                .filter(|w| w.unit_ids.contains(&unit))
                .cloned()
                .collect::<Vec<WindowView>>()
        })
    });
    let own = Memo::new(move |_| !colleagues.get());
    let reason = RwSignal::new(String::new());
    Effect::new(move |before: Option<Option<i64>>| {
        let now = ticket.get().map(|t| t.0);
        if before.is_some_and(|b| b != now) {
            reason.set(String::new());
        }
        now
    });
    move || {
        ticket.get().map(|_| {
            view! {
                <section class="panel qp-handover" aria-labelledby="qp-handover-title">
                    <h2 id="qp-handover-title">"转交与延时服务"</h2>
                    <TransferForm options=options.get() held=held controls=controls />
                    {own
                        .get()
                        .then(|| {
                            view! {
                                <ExtendedForm held=held controls=controls />
                                <CannotServeForm held=held controls=controls reason=reason />
                            }
                        })}
                </section>
            }
        })
    }
}

#[component]
fn TransferForm(
    options: Vec<WindowView>,
    held: impl Fn() -> Option<Held> + Send + Sync + Copy + 'static,
    controls: Controls,
) -> impl IntoView {
    if options.is_empty() {
        return view! { <p class="muted">"本中心没有其他办理该业务的窗口，不能转窗口。"</p> }
            .into_any();
    }
    let target = RwSignal::new(options[0].id.to_string());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let (Some(t), Ok(w)) = (held(), target.get_untracked().parse()) {
            controls.act.dispatch(Op::Transfer(t, w));
        }
    };
    view! {
        <form class="row wrap qp-form" on:submit=submit>
            <div class="field grow">
                <label for="qp-transfer">"转至窗口"</label>
                <select
                    id="qp-transfer"
                    on:change=move |ev| target.set(event_target_value(&ev))
                    prop:value=move || target.get()
                >
                    {options
                        .iter()
                        .map(|w| option(w.id, w.label()))
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button" disabled=move || controls.busy.get()>
                "转窗口"
            </button>
        </form>
    }
    .into_any()
}

#[component]
fn ExtendedForm(
    held: impl Fn() -> Option<Held> + Send + Sync + Copy + 'static,
    controls: Controls,
) -> impl IntoView {
    let kinds = [ExtendedKind::CitizenRequest, ExtendedKind::StaffStarted];
    let kind = RwSignal::new(kinds[0].code().to_string());
    let note = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(t) = held() {
            let note = Some(note.get_untracked()).filter(|n| !n.trim().is_empty());
            controls.act.dispatch(Op::Extended(
                t,
                ExtendedRequest {
                    kind: kind.get_untracked(),
                    note,
                },
            ));
        }
    };
    view! {
        <form class="row wrap qp-form" on:submit=submit>
            <div class="field">
                <label for="qp-ext-kind">"延时服务类型"</label>
                <select
                    id="qp-ext-kind"
                    on:change=move |ev| kind.set(event_target_value(&ev))
                    prop:value=move || kind.get()
                >
                    {kinds
                        .into_iter()
                        .map(|k| option(k.code(), k.label_zh()))
                        .collect_view()}
                </select>
            </div>
            <div class="field grow">
                <label for="qp-ext-note">"延时服务说明（选填）"</label>
                <input id="qp-ext-note" bind:value=note autocomplete="off" />
            </div>
            <button type="submit" class="button" disabled=move || controls.busy.get()>
                "记录延时服务"
            </button>
        </form>
    }
}

#[component]
fn CannotServeForm(
    held: impl Fn() -> Option<Held> + Send + Sync + Copy + 'static,
    controls: Controls,
    reason: RwSignal<String>,
) -> impl IntoView {
    // The form's own problem, or the server's refusal of what it sent: said at the reason (it
    // showed only at the top of the page, and the reason was emptied).
    let error = RwSignal::new(None::<String>);
    let sent = StoredValue::new(false);
    Effect::new(move || {
        let answer = controls.act.value().get();
        if sent.get_value()
            && let Some(answer) = answer
        {
            sent.set_value(false);
            if let Err(e) = answer {
                error.set(Some(e.message));
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked();
        if !crate::api::validate::shows_something(&text) {
            error.set(Some("请填写无法办理的原因".to_string()));
            crate::components::form::focus_field("qp-reason");
            return;
        }
        error.set(None);
        if let Some(t) = held() {
            sent.set_value(true);
            controls.act.dispatch(Op::CannotServe(t, text));
            // The button is disabled while the step runs, which drops the focus to the page:
            // it waits at the reason instead, where a refusal will be said. (The board's
            // refresh after a refusal can still move it; focus after queue steps is known.)
            crate::components::form::focus_field("qp-reason");
        }
    };
    view! {
        <form class="stack qp-form qp-cannot" novalidate on:submit=submit>
            <p id="qp-cannot-hint" class="hint">
                "确实无法办理时，须说明原因：该号交由本单位首席代表，由首席代表指派其他工作人员办理\
                    。号不会被取消，群众无需重新取号。"
            </p>
            <div class="field">
                <label for="qp-reason">"无法办理的原因"</label>
                <FieldError id="qp-reason" error=error />
                <textarea
                    id="qp-reason"
                    bind:value=reason
                    aria-describedby=move || {
                        if error.get().is_some() {
                            "qp-cannot-hint qp-reason-error"
                        } else {
                            "qp-cannot-hint"
                        }
                    }
                    aria-invalid=move || error.get().map(|_| "true")
                ></textarea>
            </div>
            <div>
                <button type="submit" class="button ghost" disabled=move || controls.busy.get()>
                    "无法办理"
                </button>
            </div>
        </form>
    }
}

/// Who waits for this window: tickets sent to it first, then the queues it serves. The heading
/// counts what this window can call; each queue's line counts the whole queue (tickets sent to
/// other windows included), and says so: side by side, "等候（2 人）" and "等候 3 人" read as
/// a contradiction.
#[component]
fn Waiting(board: WindowBoard, queues: Vec<QueueView>) -> impl IntoView {
    let total = board.waiting.len() + board.assigned.len();
    view! {
        <section class="panel qp-waiting" aria-labelledby="qp-waiting-title">
            <h2 id="qp-waiting-title">{format!("等候（本窗口可叫 {total} 人）")}</h2>
            <ul class="plain qp-queues">
                {queues
                    .into_iter()
                    .map(|q| {
                        view! {
                            <li>
                                <strong>{format!("{} {}", q.letter, q.name)}</strong>
                                <span class="muted">
                                    {format!(
                                        "全队列等候 {} 人，新取号预计等候约 {} 分钟",
                                        q.waiting,
                                        q.estimate_minutes,
                                    )}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {(!board.assigned.is_empty())
                .then(|| {
                    view! {
                        <TicketTable
                            tickets=board.assigned.clone()
                            caption="转给本窗口的号（优先叫号）"
                        />
                    }
                })}
            {if board.waiting.is_empty() {
                (board.assigned.is_empty())
                    .then(|| view! { <p class="muted">"目前没有等候的群众。"</p> })
                    .into_any()
            } else {
                view! {
                    <TicketTable
                        tickets=board.waiting
                        caption="等候中的号（按叫号顺序）"
                    />
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn TicketTable(tickets: Vec<TicketView>, caption: &'static str) -> impl IntoView {
    let clock = HallClock::get();
    // Minutes since the ticket was taken, on the hall's shared clock.
    let waited = move |issued: DateTime<chrono::Utc>| {
        (clock.local_now() - clock.to_local(issued))
            .num_minutes()
            .max(0)
    };
    view! {
        <table class="table qp-table">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"号码"</th>
                    <th scope="col">"队列"</th>
                    <th scope="col">"已等候"</th>
                </tr>
            </thead>
            <tbody>
                {tickets
                    .into_iter()
                    .map(|t| {
                        let issued = t.issued_at;
                        view! {
                            <tr>
                                <td class="qp-num-cell">
                                    {t.number.clone()}
                                    {t
                                        .priority
                                        .then(|| {
                                            view! {
                                                <span class="badge qp-priority">"预约优先"</span>
                                            }
                                        })}
                                </td>
                                <td>{t.queue_name.clone()}</td>
                                <td>{move || format!("{} 分钟", waited(issued))}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
