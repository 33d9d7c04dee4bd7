//! `/supervisor/scores?level=unit|window|staff&period=2026Q1|2026`: 季考核 / 年评定 on the
//! supervisor's phone — each unit's, window's or person's score out of 100 with the line of the
//! formula behind every point (on-time rate, one-time compliance, extended service, ratings,
//! rectification).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rules::supervision::ScoreLine;

use crate::{
    api::{
        Role,
        supervision::{self, ScoreRow},
    },
    components::{
        feedback::{Loading, listed},
        guard::RequireRole,
        suspend::suspend,
    },
};

#[component]
pub fn ScoresPage() -> impl IntoView {
    let query = use_query_map();
    let level = move || {
        query
            .with(|q| q.get("level"))
            .filter(|l| l == "window" || l == "staff")
            .unwrap_or_else(|| "unit".to_string())
    };
    let period = move || query.with(|q| q.get("period")).filter(|p| !p.is_empty());
    view! {
        <Title text="季考核与年评定" />
        <RequireRole
            role=Role::Supervisor
            render=move |_me| {
                let rows = Resource::new(
                    move || (level(), period()),
                    |(l, p)| supervision::scores(l, p),
                );
                view! {
                    <section class="panel phone-panel scores">
                        <h1>"季考核与年评定"</h1>
                        <p>
                            <a href="/supervisor/overview">"返回督查总览"</a>
                        </p>
                        <form method="get" action="/supervisor/scores" class="stack">
                            <div class="field">
                                <label for="level">"考核对象"</label>
                                <select id="level" name="level">
                                    <option value="unit" selected=move || level() == "unit">
                                        "单位"
                                    </option>
                                    <option
                                        value="window"
                                        selected=move || level() == "window"
                                    >
                                        "窗口"
                                    </option>
                                    <option value="staff" selected=move || level() == "staff">
                                        "人员"
                                    </option>
                                </select>
                            </div>
                            <div class="field">
                                <label for="period">
                                    "考核期（如 2026Q1 或 2026，留空为本季度）"
                                </label>
                                <input
                                    id="period"
                                    name="period"
                                    type="text"
                                    value=move || period().unwrap_or_default()
                                />
                            </div>
                            <button type="submit" class="button">
                                "查看"
                            </button>
                        </form>
                        <p class="muted">
                            "得分＝各项权重×达标率之和（满分 100 分）；"
                            "无可统计事项的一项按 100% 计。"
                        </p>
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                let loaded = rows.await;
                                let weights = loaded
                                    .as_ref()
                                    .ok()
                                    .and_then(|rows| rows.first())
                                    .map(weights_in_use);
                                view! {
                                    {weights
                                        .map(|w| {
                                            view! {
                                                <p class="weights">
                                                    <strong>"当前各项权重（满分 100）："</strong>
                                                    {w}
                                                </p>
                                            }
                                        })}
                                    {listed(
                                        loaded,
                                        "没有可评分的对象。",
                                        "plain card-list",
                                        |r| view! { <ScoreCard row=r /> },
                                    )}
                                }
                                    .into_any()
                            })}
                        </Suspense>
                    </section>
                }
            }
        />
    }
}

/// The weights the hall set (setting `score_weights`), as every row is scored with them:
/// “限时办结 25 分、一次性告知 20 分、…”.
fn weights_in_use(row: &ScoreRow) -> String {
    row.breakdown
        .lines
        .iter()
        .map(|l| format!("{} {} 分", l.label_zh, l.weight))
        .collect::<Vec<_>>()
        .join("、")
}

/// “达标/总数” of one line; a line with nothing to count says it got full points for that.
fn ratio_text(l: &ScoreLine) -> String {
    // 好差评 counts points (0–4 a rating) out of 4 per rating: "0 / 8" read as eight ratings
    // where there were two.
    if l.assessed && l.code == "ratings" {
        let count = l.ratio.total / 4;
        format!(
            "{count} 次评价，得 {} / {} 分（{}%）",
            l.ratio.good,
            l.ratio.total,
            l.ratio.percent()
        )
    } else if l.assessed {
        format!(
            "{} / {}（{}%）",
            l.ratio.good,
            l.ratio.total,
            l.ratio.percent()
        )
    } else {
        "本期无此项业务（按满分计）".to_owned()
    }
}

/// One unit's or person's score and the lines it is made of.
#[component]
fn ScoreCard(row: ScoreRow) -> impl IntoView {
    let heading = format!("score-{}-{}", row.level, row.id);
    let labelled_by = heading.clone();
    // An idle subject has no score to compare: saying 100 would rank it above working ones.
    let (total, total_class) = if row.breakdown.assessed {
        (format!("{} 分", row.breakdown.total), "score-total")
    } else {
        (
            "本期无可考核业务，不评分".to_owned(),
            "score-total not-assessed",
        )
    };
    view! {
        <li class="card">
            <article aria-labelledby=labelled_by>
                <h2 id=heading class="score-name">
                    {row.name.clone()}
                    " "
                    <span class=total_class>{total}</span>
                </h2>
                <table class="bulletin-table">
                    <caption class="sr-only">{format!("{}的得分明细", row.name)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"项目"</th>
                            <th scope="col">"达标/总数"</th>
                            <th scope="col">"得分/权重"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {row
                            .breakdown
                            .lines
                            .into_iter()
                            .map(|l| {
                                let ratio = ratio_text(&l);
                                view! {
                                    <tr>
                                        <th scope="row">{l.label_zh}</th>
                                        <td>{ratio}</td>
                                        <td>{format!("{} / {}", l.points, l.weight)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </article>
        </li>
    }
}
