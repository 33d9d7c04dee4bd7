//! 督查 on the phone (390×844): the overview with charts drawn here as SVG, the drill-down from
//! every figure to its list and on to the case, the rectification list with one-tap 销号, and
//! the public 好差评 page reached by the code printed on a ticket or notice.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use rules::supervision::{RatingIndicator, RatingLevel};

use crate::{
    api::{
        ApiError, Role,
        auth::SUPERVISOR_PAGES,
        events::Topic,
        supervision::{
            self, Bar, CenterQueue, DecidedCase, NewRating, Overview, ProblemQuery, ProblemView,
            RateBar, RatingForm, RectificationQuery, RectificationView, SupervisorStep,
            UnitSubmission,
        },
    },
    components::{
        feedback::{ErrorBox, Loading, listed, unreadable_form},
        form::{option, selected_option, typed_before_script},
        guard::RequireRole,
        hall_clock::HallClock,
        live::LiveRefresh,
        suspend::suspend,
    },
    format,
    pages::{monthly_export::MonthlyExport, public::rate_entry::RatingCodeForm},
};

/// A supervisor's page on the phone: its title, the way back to the overview, then the page.
#[component]
pub fn SupervisorPanel(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="panel phone-panel">
            <h1>{title}</h1>
            <p>
                <a href="/supervisor/overview">"返回督查总览"</a>
            </p>
            {children()}
        </section>
    }
}

/// An error found in the browser before any call (kept at its field).
fn local_error(code: &str, message: &str, field: Option<&str>) -> ApiError {
    ApiError {
        code: code.into(),
        message: message.into(),
        field: field.map(str::to_string),
        status: 422,
        problems: Vec::new(),
    }
}

/// The page a problem's evidence opens, where there is one, and its button's words: a case, a
/// ticket or a booking has a read-only page.
fn evidence_page(p: &ProblemView) -> Option<(String, &'static str)> {
    let link = p.evidence_link.as_deref()?;
    [
        ("/api/v1/cases/", "/cases/", "查看办件"),
        (
            "/api/v1/supervision/tickets/",
            "/supervisor/tickets/",
            "查看号票记录",
        ),
        (
            "/api/v1/supervision/bookings/",
            "/supervisor/bookings/",
            "查看预约记录",
        ),
    ]
    .into_iter()
    .find_map(|(api, page, words)| Some((format!("{page}{}", link.strip_prefix(api)?), words)))
}

/// Chart geometry: one horizontal bar per value, scaled to the largest.
fn bar_widths(bars: &[Bar], width: f64) -> Vec<f64> {
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    bars.iter()
        .map(|b| {
            if max > 0.0 {
                b.value / max * width
            } else {
                0.0
            }
        })
        .collect()
}

/// A bar chart drawn as SVG (no script, nothing fetched) with the figures as links below it: the
/// picture is for the eye, the list for drill-down and screen readers.
#[component]
fn BarChart(
    title: &'static str,
    id: &'static str,
    bars: Vec<Bar>,
    unit: &'static str,
) -> impl IntoView {
    let row = 22.0;
    let height = (bars.len() as f64 * row).max(row);
    let widths = bar_widths(&bars, 200.0);
    let summary = bars
        .iter()
        .map(|b| format!("{} {}{}", b.label, b.value, unit))
        .collect::<Vec<_>>()
        .join("，");
    if bars.is_empty() {
        return view! {
            <figure class="chart" aria-labelledby=id>
                <figcaption id=id>{title}</figcaption>
                <p class="muted">"本月暂无。"</p>
            </figure>
        }
        .into_any();
    }
    let view_box = format!("0 0 340 {height}");
    let label = format!(
        "{title}：{}",
        if summary.is_empty() {
            "暂无数据".into()
        } else {
            summary
        }
    );
    view! {
        <figure class="chart" aria-labelledby=id>
            <figcaption id=id>{title}</figcaption>
            <svg viewBox=view_box role="img" aria-label=label class="chart-svg">
                {bars
                    .iter()
                    .zip(widths)
                    .enumerate()
                    .map(|(i, (b, w))| {
                        let y = i as f64 * row;
                        let text_y = format!("{:.1}", y + 15.0);
                        let bar_y = format!("{:.1}", y + 4.0);
                        let bar_w = format!("{:.1}", w.max(1.0));
                        let value_x = format!("{:.1}", 115.0 + w);
                        let name: String = b.label.chars().take(8).collect();
                        view! {
                            <g>
                                <text x="0" y=text_y.clone() class="chart-label">
                                    {name}
                                </text>
                                <rect
                                    x="110"
                                    y=bar_y
                                    width=bar_w
                                    height="14"
                                    class="chart-bar"
                                ></rect>
                                <text x=value_x y=text_y class="chart-value">
                                    {b.value.to_string()}
                                </text>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <ul class="plain chart-links">
                {bars
                    .into_iter()
                    .map(|b| {
                        view! {
                            <li>
                                <a href=b
                                    .link
                                    .clone()>{format!("{}：{}{}", b.label, b.value, unit)}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </figure>
    }
    .into_any()
}

/// The on-time trend as a line (SVG polyline), with the days as links.
#[component]
fn TrendChart(bars: Vec<RateBar>) -> impl IntoView {
    let lines = trend_lines(&bars);
    let dots = trend_dots(&bars);
    let latest = bars
        .iter()
        .rev()
        .find_map(|b| Some((b.label.clone(), b.value?)));
    let said = match &latest {
        Some((day, rate)) => format!("最近有办结的一天（{day}）：{rate}%"),
        None => format!("近 {} 天没有办结的办件", bars.len()),
    };
    let label = format!("近 {} 天按时办结率，{said}", bars.len());
    view! {
        <figure class="chart" aria-labelledby="trend-title">
            <figcaption id="trend-title">"按时办结率趋势（%）"</figcaption>
            <svg viewBox="0 0 340 120" role="img" aria-label=label class="chart-svg">
                <line x1="10" y1="10" x2="330" y2="10" class="chart-grid"></line>
                <line x1="10" y1="110" x2="330" y2="110" class="chart-grid"></line>
                <text x="12" y="22" class="chart-label">"100%"</text>
                <text x="12" y="106" class="chart-label">"0%"</text>
                // A day with nothing decided has no rate: the line breaks there.
                {lines
                    .into_iter()
                    .map(|points| {
                        view! { <polyline points=points fill="none" class="chart-line"></polyline> }
                    })
                    .collect_view()}
                // Each day with a rate is a dot: a month with one such day showed a two-pixel
                // stroke at the chart's edge that nobody saw on a phone.
                {dots
                    .into_iter()
                    .map(|(x, y)| {
                        view! {
                            <circle
                                cx=format!("{x:.1}")
                                cy=format!("{y:.1}")
                                r="4"
                                class="chart-dot"
                            ></circle>
                        }
                    })
                    .collect_view()}
            </svg>
            <p class="muted">{said}" "<a href="/supervisor">"查看在办件"</a></p>
            // Each day drills down to the cases decided that day.
            <details class="chart-days">
                <summary>"逐日查看办结的办件"</summary>
                <ul class="plain chart-links">
                    {bars
                        .into_iter()
                        .rev()
                        .map(|b| {
                            let text = day_text(&b);
                            view! {
                                <li>
                                    <a href=b.link>{text}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        </figure>
    }
}

/// One day of the trend, as its link reads.
fn day_text(day: &RateBar) -> String {
    match day.value {
        Some(rate) => format!("{}：办结 {} 件，按时办结率 {rate}%", day.label, day.decided),
        None => format!("{}：无办结", day.label),
    }
}

/// Where day `i` of `len` with `rate` sits in the trend's 340×120 box.
fn trend_point(i: usize, len: usize, rate: f64) -> (f64, f64) {
    let step = 320.0 / (len.max(2) as f64 - 1.0);
    (10.0 + i as f64 * step, 110.0 - rate)
}

/// The days that have a rate, as dots.
fn trend_dots(bars: &[RateBar]) -> Vec<(f64, f64)> {
    bars.iter()
        .enumerate()
        .filter_map(|(i, b)| Some(trend_point(i, bars.len(), b.value?)))
        .collect()
}

/// The trend's polylines (SVG `points`): one per run of days that have a rate; a lone day is a
/// short level stroke so that it shows.
fn trend_lines(bars: &[RateBar]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (i, bar) in bars.iter().enumerate() {
        match bar.value {
            Some(rate) => run.push(trend_point(i, bars.len(), rate)),
            None => lines.extend(close_run(&mut run)),
        }
    }
    lines.extend(close_run(&mut run));
    lines
}

fn close_run(run: &mut Vec<(f64, f64)>) -> Option<String> {
    if let [(x, y)] = run.as_slice() {
        let (x, y) = (*x, *y);
        run.push((x + 2.0, y));
        run[0].0 = x - 2.0;
    }
    let points = run
        .drain(..)
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    (!points.is_empty()).then_some(points)
}

#[component]
fn Figure(label: &'static str, value: String, href: &'static str) -> impl IntoView {
    view! {
        <li class="figure">
            <a href=href>
                <span class="figure-value">{value}</span>
                <span class="figure-label">{label}</span>
            </a>
        </li>
    }
}

#[component]
fn OverviewBody(o: Overview) -> impl IntoView {
    view! {
        {o
            .monthly_reminder
            .clone()
            .map(|text| {
                view! {
                    <p class="notice-box" role="status">
                        {text}
                    </p>
                }
            })}
        <ul class="plain figures" aria-label="今日监控">
            <Figure
                label="待整改问题"
                value=o.pending_rectifications.to_string()
                href="/supervisor/rectifications"
            />
            <Figure
                label="整改逾期"
                value=o.overdue_rectifications.to_string()
                href="/supervisor/rectifications"
            />
            <Figure
                label="超期办件"
                value=o.cases_overdue.to_string()
                href="/supervisor/problems?kind=case_overdue"
            />
            <Figure label="临近到期" value=o.cases_near_due.to_string() href="/supervisor" />
            <Figure
                label="排队等候"
                value=o.waiting_tickets.to_string()
                href="/supervisor/problems?kind=ticket_unserved_at_close"
            />
            <Figure
                label="平均等候（分钟）"
                value=o.mean_wait_minutes.to_string()
                href="/supervisor"
            />
            <Figure
                label="值守到岗"
                value=format!("{}/{}", o.duty_checked_in, o.duty_expected)
                href="/supervisor/problems?kind=duty_check_in_missing"
            />
            <Figure
                label="差评回访率"
                value=if o.bad_ratings == 0 {
                    "—".to_string()
                } else {
                    format!("{}%", o.follow_up_rate)
                }
                href="/supervisor/problems?kind=bad_rating"
            />
            <Figure
                label="待复核申诉"
                value=o.pending_appeals.to_string()
                href="/supervisor/ratings?appeal=pending"
            />
        </ul>
        <QueueTable queues=o.queues.clone() />
        <TrendChart bars=o.on_time_trend.clone() />
        <BarChart
            title="本月问题（按类型）"
            id="by-kind"
            bars=o.problems_by_kind.clone()
            unit="件"
        />
        <BarChart
            title="本月问题（按单位）"
            id="by-unit"
            bars=o.problems_by_unit.clone()
            unit="件"
        />
        <BarChart title="本月好差评" id="ratings" bars=o.ratings.clone() unit="次" />
    }
}

/// Today's queue at every center: a small table (three figures per center read better as rows
/// than as a chart on a phone).
#[component]
fn QueueTable(queues: Vec<CenterQueue>) -> impl IntoView {
    view! {
        <table class="table compact" id="queues">
            <caption>"各中心排队（今日）"</caption>
            <thead>
                <tr>
                    <th scope="col">"服务中心"</th>
                    // Two groups of people: side by side, "平均 1.3, 最长 0" read as a
                    // contradiction, so each heading says whose wait it is.
                    <th scope="col">"正在等候（人）"</th>
                    <th scope="col">"已叫号平均等候（分钟）"</th>
                    <th scope="col">"正在等候中最久（分钟）"</th>
                </tr>
            </thead>
            <tbody>
                {queues
                    .into_iter()
                    .map(|q| {
                        view! {
                            <tr>
                                <th scope="row">{q.center_name}</th>
                                <td>{q.waiting}</td>
                                <td>{q.mean_wait_minutes}</td>
                                <td>{q.longest_wait_minutes}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// One case behind a day of the trend, linking to its read-only page.
#[component]
fn DecidedCard(c: DecidedCase) -> impl IntoView {
    let clock = HallClock::get();
    let when = format::date_time(clock.to_local(c.decided_at));
    let due = c
        .due_at
        .map(|d| format::date_time(clock.to_local(d)))
        .unwrap_or_else(|| "—".into());
    let verdict = if c.on_time {
        "按时办结"
    } else {
        "超期办结"
    };
    view! {
        <li class="card">
            <a href=format!("/cases/{}", c.id)>
                <span class="case-number">{c.number}</span>
                {format!(" {}", c.item_name)}
            </a>
            <p class=if c.on_time {
                "muted"
            } else {
                "error-text"
            }>{format!("{verdict} · 办结 {when} · 时限 {due}")}</p>
            <p class="muted">{c.unit_name}</p>
        </li>
    }
}

/// `/supervisor/decided?day=YYYY-MM-DD`: the cases behind one bar of the on-time trend.
#[component]
pub fn DecidedPage() -> impl IntoView {
    let query = use_query_map();
    let day = move || {
        query.with(|q| {
            q.get("day")
                .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        })
    };
    view! {
        <Title text="当日办结" />
        <RequireRole
            role=Role::Supervisor
            render=move |_me| {
                let data = Resource::new(
                    day,
                    |day| async move {
                        match day {
                            Some(day) => supervision::decided_cases(day).await,
                            None => {
                                Err(
                                    local_error(
                                        "invalid_day",
                                        "日期应为 年-月-日",
                                        Some("day"),
                                    ),
                                )
                            }
                        }
                    },
                );
                view! {
                    <SupervisorPanel title="当日办结的办件">
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                match data.await {
                                    Ok(d) => {
                                        let shown = d.cases.len() as u64;
                                        view! {
                                            <p class="lead">
                                                {format!(
                                                    "{}：办结 {} 件，按时 {} 件，超期 {} 件",
                                                    format::date(d.day),
                                                    d.decided,
                                                    d.on_time,
                                                    d.decided - d.on_time,
                                                )}
                                            </p>
                                            {(shown < d.decided)
                                                .then(|| {
                                                    view! {
                                                        <p class="muted">
                                                            {format!(
                                                                "列出前 {shown} \
                                                                件（超期的在前）",
                                                            )}
                                                        </p>
                                                    }
                                                })}
                                            <ul class="plain card-list">
                                                {d
                                                    .cases
                                                    .into_iter()
                                                    .map(|c| view! { <DecidedCard c /> })
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }
                                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                }
                            })}
                        </Suspense>
                    </SupervisorPanel>
                }
            }
        />
    }
}

/// `/supervisor/overview`: 日监控 on the supervisor's phone.
#[component]
pub fn SupervisionOverview() -> impl IntoView {
    view! {
        <Title text="督查总览" />
        <RequireRole
            role=Role::Supervisor
            render=|_me| {
                let version = RwSignal::new(0u32);
                let data = Resource::new(move || version.get(), |_| supervision::overview());
                // 日监控 is live: any change to cases, tickets or duty refreshes the figures.
                view! {
                    <LiveRefresh
                        topics=&[Topic::Cases, Topic::Queue, Topic::Appointments]
                        version=version
                    />
                    <section class="panel phone-panel">
                        <h1>"督查总览"</h1>
                        <nav class="sub-nav" aria-label="督查">
                            {SUPERVISOR_PAGES[1..]
                                .iter()
                                .map(|(label, href)| view! { <a href=*href>{*label}</a> })
                                .collect_view()}
                        </nav>
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                match data.await {
                                    Ok(o) => view! { <OverviewBody o=o /> }.into_any(),
                                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                }
                            })}
                        </Suspense>
                    </section>
                }
            }
        />
    }
}

/// `/supervisor/problems?kind=…&unit_id=…&staff_id=…&from=…&to=…`: the list behind a figure or
/// a 约谈 flag.
#[component]
pub fn ProblemList() -> impl IntoView {
    let query = use_query_map();
    let number = move |name: &str| query.with(|q| q.get(name).and_then(|u| u.parse().ok()));
    let day = move |name: &str| query.with(|q| q.get(name).and_then(|d| d.parse().ok()));
    let q = move || ProblemQuery {
        kind: query.with(|q| q.get("kind")),
        unit_id: number("unit_id"),
        staff_id: number("staff_id"),
        from: day("from"),
        to: day("to"),
        ..ProblemQuery::default()
    };
    view! {
        <Title text="问题列表" />
        <RequireRole
            role=Role::Supervisor
            render=move |_me| {
                let list = Resource::new(q, supervision::problems);
                view! {
                    <SupervisorPanel title="问题列表">
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                listed(
                                    list.await,
                                    "没有符合条件的问题。",
                                    "plain card-list",
                                    |p| view! { <ProblemCard p=p /> },
                                )
                            })}
                        </Suspense>
                    </SupervisorPanel>
                }
            }
        />
    }
}

/// `/supervisor/problems/:id`: one problem, its evidence (a case, ticket or booking) and its
/// rectification.
#[component]
pub fn ProblemPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    view! {
        <Title text="问题详情" />
        <RequireRole
            role=Role::Supervisor
            render=move |_me| {
                let data = Resource::new(
                    id,
                    |id| async move {
                        match id {
                            Some(id) => supervision::problem(id).await,
                            None => Err(local_error("not_found", "没有这个问题", None)),
                        }
                    },
                );
                view! {
                    <section class="panel phone-panel">
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                match data.await {
                                    Ok(p) => {
                                        let evidence = evidence_page(&p);
                                        let staff = p
                                            .staff_name
                                            .clone()
                                            .unwrap_or_else(|| "—".into());
                                        view! {
                                            <h1>{p.kind_label.clone()}</h1>
                                            <dl class="facts">
                                                <dt>"问题描述"</dt>
                                                <dd>{p.description.clone()}</dd>
                                                <dt>"问题来源"</dt>
                                                <dd>{p.source_label.clone()}</dd>
                                                <dt>"单位"</dt>
                                                <dd>{p.unit_name.clone().unwrap_or_default()}</dd>
                                                <dt>"责任人"</dt>
                                                <dd>{staff}</dd>
                                                <dt>"发现时间"</dt>
                                                <dd>{format::date(p.found_on)}</dd>
                                            </dl>
                                            <ProblemFiles p=p.clone() />
                                            {evidence
                                                .map(|(href, words)| {
                                                    view! {
                                                        <p>
                                                            <a class="button" href=href>
                                                                {words}
                                                            </a>
                                                        </p>
                                                    }
                                                })}
                                            <p>
                                                <a href="/supervisor/rectifications">"整改清单"</a>
                                            </p>
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
        />
    }
}

/// What the supervisor does with a reported fix: close it out, or send it back for more work.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Close,
    SendBack,
}

/// One item of the list. A reported fix is closed out (销号) or sent back (退回整改) after a
/// second look with a note: one tap closed an item for good, and sending back had no button.
#[component]
fn RectificationCard(
    item: RectificationView,
    done: WriteSignal<u32>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = item.id;
    let what = item.description.clone();
    let version = item.version;
    let verdict = RwSignal::new(None::<Verdict>);
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<String>);
    let decide = Action::new(move |(v, note): &(Verdict, String)| {
        let body = SupervisorStep {
            version,
            note: note.clone(),
        };
        let v = *v;
        async move {
            match v {
                Verdict::Close => supervision::close_out(id, body).await,
                Verdict::SendBack => supervision::send_back(id, body).await,
            }
        }
    });
    // The card leaves the list (or moves down it) once decided: the list says what was done.
    Effect::new(move |_| {
        if let Some(Ok(_)) = decide.value().get() {
            let words = match verdict.get_untracked() {
                Some(Verdict::SendBack) => "已退回整改",
                _ => "已销号",
            };
            said.set(Some(format!("{words}：{what}")));
            done.update(|v| *v += 1);
        }
    });
    let note_id = format!("rect-note-{id}");
    Effect::new(move |_| {
        if verdict.get().is_some() {
            crate::components::form::focus_field(&format!("rect-note-{id}"));
        }
    });
    let can_close = item.status == rules::RectificationStatus::Reported;
    let status = item
        .report_status
        .map(|s| s.label_zh().to_string())
        .unwrap_or_else(|| item.status_label.clone());
    let description = item.description.clone();
    let open = move |v: Verdict| {
        note.set(match v {
            Verdict::Close => "督查复核，整改到位，予以销号".into(),
            Verdict::SendBack => String::new(),
        });
        note_error.set(None);
        verdict.set(Some(v));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(v) = verdict.get() else {
            return;
        };
        let text = note.get().trim().to_string();
        if text.is_empty() {
            let message = match v {
                Verdict::Close => "请填写复核意见",
                Verdict::SendBack => "请写明退回的理由和需要补做的整改",
            };
            note_error.set(Some(message.into()));
            crate::components::form::focus_field(&format!("rect-note-{id}"));
            return;
        }
        note_error.set(None);
        decide.dispatch((v, text));
    };
    let second_look = move || {
        let note_id = note_id.clone();
        let error_id = format!("{note_id}-error");
        verdict.get().map(|v| {
            let (label, confirm) = match v {
                Verdict::Close => ("复核意见（销号后整改事项结束）", "确认销号"),
                Verdict::SendBack => ("退回理由（单位将据此继续整改）", "确认退回"),
            };
            view! {
                <form class="stack" novalidate on:submit=submit>
                    <div class="field">
                        <label for=note_id.clone()>{label}</label>
                        {move || {
                            note_error
                                .get()
                                .map(|m| {
                                    view! {
                                        <p
                                            id=format!("rect-note-{id}-error")
                                            class="error-text field-error"
                                        >
                                            <span class="sr-only">"错误："</span>
                                            {m}
                                        </p>
                                    }
                                })
                        }}
                        <input
                            id=note_id.clone()
                            bind:value=note
                            aria-invalid=move || note_error.with(Option::is_some).then_some("true")
                            aria-describedby=move || {
                                note_error.with(Option::is_some).then_some(error_id.clone())
                            }
                        />
                    </div>
                    <div class="row">
                        <button
                            type="submit"
                            class="button primary"
                            disabled=move || decide.pending().get()
                        >
                            {confirm}
                        </button>
                        <button
                            type="button"
                            class="button ghost"
                            on:click=move |_| verdict.set(None)
                        >
                            "取消"
                        </button>
                    </div>
                </form>
            }
        })
    };
    view! {
        <li class="card">
            <p>
                <a href=format!(
                    "/supervisor/problems/{}",
                    item.problem_id,
                )>{format!("{}：{}", item.kind_label, item.description)}</a>
            </p>
            <p class="muted">
                {format!(
                    "{} · 时限 {} · {}（{}）",
                    item.unit_name,
                    format::date(item.deadline),
                    item.status_label,
                    status,
                )}
            </p>
            {can_close
                .then(|| {
                    view! {
                        <p>
                            <span class="state-pill">"待销号"</span>
                        </p>
                    }
                })}
            {matches!(
                item.status,
                rules::RectificationStatus::Open | rules::RectificationStatus::Reopened
            )
                .then(|| item.close_note.clone())
                .flatten()
                .map(|n| view! { <p class="warn-box">{format!("已退回整改，督查意见：{n}")}</p> })}
            {item.measure.clone().map(|m| view! { <p>{format!("整改措施：{m}")}</p> })}
            {item.report_note.clone().map(|n| view! { <p>{format!("整改情况：{n}")}</p> })}
            {can_close
                .then(|| {
                    let shown = description.clone();
                    view! {
                        <p>
                            <a href=format!(
                                "/supervisor/problems/{}",
                                item.problem_id,
                            )>"查看问题和整改证据"</a>
                        </p>
                        <div class="row" hidden=move || verdict.get().is_some()>
                            <button
                                type="button"
                                class="button primary"
                                aria-label=format!("销号：{shown}")
                                on:click=move |_| open(Verdict::Close)
                            >
                                "销号"
                            </button>
                            <button
                                type="button"
                                class="button ghost"
                                aria-label=format!("退回整改：{description}")
                                on:click=move |_| open(Verdict::SendBack)
                            >
                                "退回整改"
                            </button>
                        </div>
                        {second_look.clone()}
                    }
                })}
            {move || {
                decide.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })
            }}
        </li>
    }
}

/// `/supervisor/rectifications`: the list, reported items first to close out in one tap.
#[component]
pub fn RectificationList() -> impl IntoView {
    view! {
        <Title text="整改清单" />
        <RequireRole
            role=Role::Supervisor
            render=|_me| {
                let (version, bump) = signal(0u32);
                let said = RwSignal::new(None::<String>);
                let list = Resource::new(
                    move || version.get(),
                    |_| supervision::rectifications(RectificationQuery::pending()),
                );
                view! {
                    <SupervisorPanel title="问题整改清单">
                        <p class="ok-box" role="status" hidden=move || said.get().is_none()>
                            {move || said.get()}
                        </p>
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                match list.await {
                                    Ok(mut items) if !items.is_empty() => {
                                        items
                                            .sort_by_key(|i| {
                                                i.status != rules::RectificationStatus::Reported
                                            });
                                        view! {
                                            <RectificationCards items=items done=bump said=said />
                                        }
                                            .into_any()
                                    }
                                    Ok(_) => {
                                        view! {
                                            <p class="muted" role="status">
                                                "没有待整改的事项。"
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                }
                            })}
                        </Suspense>
                    </SupervisorPanel>
                }
            }
        />
    }
}

/// What the plain rating form sent, back with its refusal: the refusal's code, the levels chosen
/// (codes only; anything else is dropped) and the comment.
#[derive(Clone, Default)]
struct SentRating {
    refused: Option<String>,
    level: String,
    indicators: Vec<(String, String)>,
    comment: String,
}

impl SentRating {
    fn from_query(q: &leptos_router::params::ParamsMap) -> Self {
        let level_code = |v: Option<String>| v.filter(|v| level_of(v).is_some());
        SentRating {
            refused: q.get("error"),
            level: level_code(q.get("level")).unwrap_or_default(),
            indicators: RatingIndicator::ALL
                .iter()
                .filter_map(|i| {
                    let v = level_code(q.get(&format!("i_{}", i.code())))?;
                    Some((i.code().to_string(), v))
                })
                .collect(),
            // Back from the plain form in a cookie of the page's own, never in the address.
            comment: use_context::<supervision::TypedComment>()
                .map(|t| t.0)
                .unwrap_or_default(),
        }
    }

    fn indicator(&self, i: RatingIndicator) -> String {
        let chosen = self.indicators.iter().find(|(code, _)| code == i.code());
        chosen.map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

/// The page's own words for why the plain form's rating was refused (never text from the URL).
fn rating_refusal(code: &str) -> ApiError {
    match code {
        "level_required" | "required" => local_error(code, "请选择整体满意度", Some("level")),
        "comment_too_long" | "too_long" => local_error(
            code,
            "意见建议最多 300 个字，请删减后再提交",
            Some("comment"),
        ),
        "control_characters" | "invisible_characters" => local_error(
            code,
            "意见建议中含有不能使用的字符，请修改后再提交",
            Some("comment"),
        ),
        "staff_cannot_rate" => local_error(
            code,
            "工作人员登录状态下不能评价；评价须由办事群众本人作出",
            None,
        ),
        "too_many_lookups" | "too_many_requests" => {
            local_error(code, "提交过于频繁，请一分钟后再试", None)
        }
        _ => local_error(
            code,
            unreadable_form(code).unwrap_or("评价未能提交，请重新提交"),
            None,
        ),
    }
}

fn level_of(code: &str) -> Option<RatingLevel> {
    RatingLevel::from_code(code)
}

#[component]
fn RatingFormView(
    form: RatingForm,
    /// What the plain form sent back with its refusal (no JavaScript).
    sent: SentRating,
) -> impl IntoView {
    let code = form.code.clone();
    let form_code = form.code.clone();
    // A phone on a slow network shows this form seconds before its script runs: what was
    // chosen and typed meanwhile stands (hydration emptied the comment, and a level checked
    // then was not seen: "请选择整体满意度" under a checked choice). The markup keeps what the
    // server rendered, so hydration finds the same nodes.
    let before = |selector: &str, sent: &str| typed_before_script(selector).unwrap_or(sent.into());
    let level = RwSignal::new(before("input[name=level]:checked", &sent.level));
    let comment = RwSignal::new(before("#rating-comment", &sent.comment));
    let others: Vec<RatingIndicator> = form
        .indicators
        .iter()
        .copied()
        .filter(|i| *i != RatingIndicator::Overall)
        .collect();
    let picks: Vec<(RatingIndicator, RwSignal<String>)> = others
        .iter()
        .map(|i| {
            let chosen = before(&format!("#rating-{}", i.code()), &sent.indicator(*i));
            (*i, RwSignal::new(chosen))
        })
        .collect();
    let picks_for_submit = picks.clone();
    let error = RwSignal::new(sent.refused.as_deref().map(rating_refusal));
    let send = Action::new(move |body: &NewRating| {
        let code = code.clone();
        let body = body.clone();
        async move { supervision::rate(&code, body).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(l) = level_of(&level.get()) else {
            error.set(Some(local_error(
                "required",
                "请选择整体满意度",
                Some("level"),
            )));
            return;
        };
        error.set(None);
        let indicators = picks_for_submit
            .iter()
            .filter_map(|(i, s)| level_of(&s.get()).map(|lv| (*i, lv)))
            .collect();
        let text = comment.get();
        send.dispatch(NewRating {
            level: l,
            indicators,
            comment: (!text.trim().is_empty()).then_some(text),
        });
    };
    let done = move || matches!(send.value().get(), Some(Ok(_)));
    // The message of a problem with `field`, at that field.
    let message_at = move |field: &'static str| {
        move || {
            error
                .get()
                .filter(|e| e.field.as_deref() == Some(field))
                .map(|e| {
                    view! {
                        <p class="error-text field-error" role="alert">
                            {e.message}
                        </p>
                    }
                })
        }
    };
    view! {
        <p class="lead">
            {format!("{} · {} · {}", form.subject_label, form.reference, form.unit_name)}
        </p>
        <Show
            when=move || !done()
            fallback=|| {
                view! {
                    <p class="ok-box" role="status">
                        {RATING_THANKS}
                    </p>
                }
            }
        >
            <form
                method="post"
                action="/rate/submit"
                class="rating-form"
                on:submit=submit.clone()
                novalidate
            >
                <input type="hidden" name="code" value=form_code.clone() />
                <fieldset class="field">
                    <legend>"整体满意度"</legend>
                    {RatingLevel::ALL
                        .iter()
                        .map(|l| {
                            let code = l.code();
                            view! {
                                <label class="choice">
                                    <input
                                        type="radio"
                                        name="level"
                                        value=code
                                        checked=sent.level == code
                                        on:change=move |_| level.set(code.to_string())
                                    />
                                    {l.label_zh()}
                                </label>
                            }
                        })
                        .collect_view()}
                    {message_at("level")}
                </fieldset>
                {picks
                    .iter()
                    .map(|(ind, sig)| {
                        let sig = *sig;
                        let rendered = sent.indicator(*ind);
                        let id = format!("rating-{}", ind.code());
                        view! {
                            <div class="field">
                                <label for=id.clone()>{ind.label_zh()}</label>
                                <select
                                    id=id
                                    name=format!("i_{}", ind.code())
                                    on:change=move |ev| sig.set(event_target_value(&ev))
                                >
                                    {option("", "（可不选）")}
                                    {RatingLevel::ALL
                                        .iter()
                                        .map(|l| {
                                            let chosen = rendered == l.code();
                                            selected_option(l.code(), l.label_zh(), chosen)
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                        }
                    })
                    .collect_view()}
                <div class="field">
                    <label for="rating-comment">"意见建议（可选）"</label>
                    {message_at("comment")}
                    <textarea
                        id="rating-comment"
                        name="comment"
                        maxlength="300"
                        prop:value=move || comment.get()
                        on:input=move |ev| comment.set(event_target_value(&ev))
                    >
                        {sent.comment.clone()}
                    </textarea>
                </div>
                <button type="submit" class="button primary">
                    "提交评价"
                </button>
                {move || {
                    let sent = send.value().get().and_then(|r| r.err());
                    let other = error.get().filter(|e| e.field.is_none());
                    sent.or(other).map(|e| view! { <ErrorBox error=e /> })
                }}
            </form>
        </Show>
    }
}

const RATING_THANKS: &str = "感谢您的评价！如有不满意，我们会在 15 个工作日内核实整改并回访。";

/// `/rate/:code`: 好差评 from the code printed on a ticket or notice (anyone).
#[component]
pub fn RatePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let sent = move || query.with(SentRating::from_query);
    // Back from the form without JavaScript, the rating just given.
    let just_rated = move || query.with(|q| q.get("rated").as_deref() == Some("1"));
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let form = Resource::new(
        code,
        |code| async move { supervision::rating_form(&code).await },
    );
    view! {
        <Title text="服务评价" />
        <section class="panel phone-panel">
            <h1>"服务评价（好差评）"</h1>
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    match form.await {
                        Ok(f) if f.already_rated && just_rated() => {
                            view! { <p class="ok-box" role="status">{RATING_THANKS}</p> }
                                .into_any()
                        }
                        Ok(f) if f.already_rated => {
                            view! {
                                <p class="notice-box" role="status">
                                    "此次服务已经评价过了，感谢您的参与。"
                                </p>
                            }
                                .into_any()
                        }
                        Ok(f) => view! { <RatingFormView form=f sent=sent() /> }.into_any(),
                        // An unknown code is said at a field holding it, to correct in place.
                        Err(mut e) if e.code == "rating_code_unknown" => {
                            e.field = Some("code".into());
                            let typed = RwSignal::new(code());
                            let problem = RwSignal::new(Some(e));
                            view! { <RatingCodeForm typed problem /> }.into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Suspense>
            <p>
                <a href="/rate">"输入其他评价码"</a>
            </p>
        </section>
    }
}

/// `/supervisor/monthly?month=YYYY-MM`: attachment 1 for a month — the page, printable on A4
/// landscape, with the XLSX download and the units' submissions.
#[component]
pub fn MonthlyPage() -> impl IntoView {
    let query = use_query_map();
    let clock = crate::components::hall_clock::HallClock::get();
    let month = move || {
        query
            .with(|q| q.get("month"))
            .unwrap_or_else(|| clock.local_now_untracked().format("%Y-%m").to_string())
    };
    view! {
        <Title text="问题整改清单月报表" />
        <RequireRole
            role=Role::Supervisor
            render=move |_me| {
                let report = Resource::new(month, supervision::monthly);
                view! {
                    // A4 landscape when printed (`@page monthly` in main.css).
                    <section class="panel monthly-report">
                        <form method="get" action="/supervisor/monthly" class="no-print row wrap">
                            <div class="field">
                                <label for="month">"月份"</label>
                                <input id="month" name="month" type="month" value=month />
                            </div>
                            <button type="submit" class="button">
                                "查看"
                            </button>
                        </form>
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                match report.await {
                                    Ok(r) => view! { <MonthlyTable r=r /> }.into_any(),
                                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                }
                            })}
                        </Suspense>
                    </section>
                }
            }
        />
    }
}

#[component]
fn MonthlyTable(r: supervision::MonthlyReport) -> impl IntoView {
    let totals = format!(
        "合计 {} 项：已销号 {} 项，整改中 {} 项，逾期 {} 项（截至 {}）",
        r.rows.len(),
        r.closed,
        r.in_progress,
        r.overdue,
        r.as_of
    );
    view! {
        <h1>{r.title.clone()}</h1>
        <MonthlyExport month=r.month.clone() />
        <div class="monthly-wrap" tabindex="0" role="region" aria-label="整改清单明细">
            <table class="monthly-table">
                <thead>
                    <tr>
                        <th scope="col">"序号"</th>
                        <th scope="col">"单位"</th>
                        <th scope="col">"问题来源"</th>
                        <th scope="col">"发现时间"</th>
                        <th scope="col">"问题描述"</th>
                        <th scope="col">"责任人"</th>
                        <th scope="col">"整改措施"</th>
                        <th scope="col">"整改时限"</th>
                        <th scope="col">"整改情况"</th>
                        <th scope="col">"备注"</th>
                    </tr>
                </thead>
                <tbody>
                    {r
                        .rows
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    <td>{row.seq}</td>
                                    <td>{row.unit}</td>
                                    <td>{row.source}</td>
                                    <td>{format::plain_date(row.found_on)}</td>
                                    <td>{row.description}</td>
                                    <td>{row.responsible}</td>
                                    <td>{row.measure}</td>
                                    <td>{format::plain_date(row.deadline)}</td>
                                    <td>{row.status.label_zh()}</td>
                                    <td>{row.note}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p>{totals}</p>
        <h2>"各单位报送情况（每月22日前）"</h2>
        <ul class="plain">
            {r
                .units
                .into_iter()
                .map(|u| view! { <UnitSubmissionLine u=u /> })
                .collect_view()}
        </ul>
    }
}

/// One unit's line under 各单位报送情况: a unit late with its report stands out in red (as the
/// overview's reminder does), and a submitted report says on which day it came in.
#[component]
fn UnitSubmissionLine(u: UnitSubmission) -> impl IntoView {
    let late = u.state.missed_the_due_day();
    let on = u
        .submitted_on
        .map(|d| format!("，{}报送", format::date(d)))
        .unwrap_or_default();
    view! { <li class:overdue-text=late>{format!("{}：{}{on}", u.unit_name, u.state_label)}</li> }
}

/// The photos and files attached to a problem, each a link to download it.
#[component]
fn ProblemFiles(p: ProblemView) -> impl IntoView {
    let id = p.id;
    (!p.files.is_empty()).then(|| {
        view! {
            <h2>"照片与文件"</h2>
            <ul class="plain">
                {p
                    .files
                    .into_iter()
                    .map(|f| {
                        let href = format!("/api/v1/supervision/problems/{id}/files/{}", f.id);
                        view! {
                            <li>
                                <a href=href>{f.file_name}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// One problem in a list: what it is, where it came from, and when it was found.
#[component]
fn ProblemCard(p: ProblemView) -> impl IntoView {
    let unit = p.unit_name.clone().unwrap_or_default();
    view! {
        <li class="card">
            <a href=format!(
                "/supervisor/problems/{}",
                p.id,
            )>{format!("{}：{}", p.kind_label, p.description)}</a>
            <p class="muted">
                {format!("{} · {} · {}", p.source_label, unit, format::date(p.found_on))}
            </p>
        </li>
    }
}

#[component]
fn RectificationCards(
    items: Vec<RectificationView>,
    done: WriteSignal<u32>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <ul class="plain card-list">
            {items
                .into_iter()
                .map(|item| view! { <RectificationCard item=item done=done said=said /> })
                .collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(v: f64) -> Bar {
        Bar {
            key: String::new(),
            label: String::new(),
            value: v,
            link: String::new(),
        }
    }

    fn day(value: Option<f64>) -> RateBar {
        RateBar {
            key: String::new(),
            label: String::new(),
            value,
            decided: u64::from(value.is_some()),
            link: String::new(),
        }
    }

    #[test]
    fn the_trend_breaks_at_a_day_with_nothing_decided() {
        let days = [Some(100.0), Some(50.0), None, Some(80.0), None];
        let lines = trend_lines(&days.map(day));
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0].split(' ').count(), 2);
        // The lone day is drawn as a short level stroke at its rate.
        assert_eq!(lines[1], "248.0,30.0 252.0,30.0");
        assert!(trend_lines(&[None, None].map(day)).is_empty());
    }

    #[test]
    fn the_longest_bar_fills_the_chart_and_an_empty_chart_draws_nothing() {
        assert_eq!(bar_widths(&[bar(2.0), bar(4.0)], 200.0), vec![100.0, 200.0]);
        assert_eq!(bar_widths(&[bar(0.0)], 200.0), vec![0.0]);
    }
}
