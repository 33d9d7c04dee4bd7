//! `/supervisor/bulletin?month=YYYY-MM&unit_id=N`: 月通报 — a month's figures per unit (on-time
//! rate, problems by kind, rectification status, ratings), on the phone and printable on A4.
//! `/chief/bulletin?month=YYYY-MM`: the same page for a unit's chief representative, their own
//! unit's bulletin.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        Role, org,
        supervision::{self, Bulletin, BulletinCount, UnitBulletin},
    },
    components::{
        feedback::{ErrorBox, Loading},
        guard::RequireRole,
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
    pages::public::one_time_notice::PrintButton,
};

/// A4 portrait when printed, one unit per block; the navigation and the form are not printed.
#[component]
pub fn BulletinPage() -> impl IntoView {
    let query = use_query_map();
    let clock = HallClock::get();
    let month = move || {
        query
            .with(|q| q.get("month"))
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| clock.local_now_untracked().format("%Y-%m").to_string())
    };
    let unit = move || {
        query
            .with(|q| q.get("unit_id"))
            .and_then(|u| u.parse::<i64>().ok())
    };
    view! {
        <Title text="月通报" />
        <RequireRole
            role=Role::Supervisor
            also=Role::ChiefRepresentative
            render=move |me| {
                // A unit's chief representative reads their own unit's (the server holds them
                // to it); supervisors choose any unit or all of them.
                let supervisor = me.has(Role::Supervisor);
                let (path, back, back_label) = if supervisor {
                    ("/supervisor/bulletin", "/supervisor/overview", "返回督查总览")
                } else {
                    ("/chief/bulletin", "/chief", "返回首席代表工作台")
                };
                let data = Resource::new(
                    move || (month(), unit()),
                    |(m, u)| supervision::bulletin(m, u),
                );
                let unit_field = supervisor
                    .then(|| {
                        let units = Resource::new(|| (), |_| org::units());
                        view! {
                            <div class="field">
                                <label for="unit_id">"单位"</label>
                                <select id="unit_id" name="unit_id">
                                    <option value="" selected=move || unit().is_none()>
                                        "全部单位"
                                    </option>
                                    <UnitOptions units=units unit=Signal::derive(unit) />
                                </select>
                            </div>
                        }
                    });
                view! {
                    <section class="panel bulletin">
                        <p class="no-print">
                            <a href=back>{back_label}</a>
                        </p>
                        <form method="get" action=path class="no-print stack">
                            <div class="field">
                                <label for="month">"月份"</label>
                                <input id="month" name="month" type="month" value=month />
                            </div>
                            {unit_field}
                            <button type="submit" class="button">
                                "查看"
                            </button>
                            <PrintButton label="打印月通报" />
                        </form>
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                match data.await {
                                    Ok(b) => view! { <BulletinBody b=b /> }.into_any(),
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

/// The active units as the choices of the form's unit field, the one asked for selected.
#[component]
fn UnitOptions(
    units: Resource<Result<crate::api::Items<org::UnitView>, crate::api::ApiError>>,
    unit: Signal<Option<i64>>,
) -> impl IntoView {
    view! {
        <Suspense>
            {move || suspend(async move {
                let list = units.await.map(|l| l.items).unwrap_or_default();
                list.into_iter()
                    .filter(|u| u.active)
                    .map(|u| {
                        let id = u.id;
                        view! {
                            <option value=id.to_string() selected=move || unit.get() == Some(id)>
                                {u.name}
                            </option>
                        }
                    })
                    .collect_view()
                    .into_any()
            })}
        </Suspense>
    }
}

#[component]
fn BulletinBody(b: Bulletin) -> impl IntoView {
    let several = b.units.len() > 1;
    view! {
        <h1>{b.title.clone()}</h1>
        <p class="muted">
            {format!(
                "统计截至 {}。应办结＝本月办结或到期未办结的办件；满意率＝非常满意、满意、\
                 基本满意之和÷评价总数。",
                format::date(b.as_of),
            )}
        </p>
        {several.then(|| view! { <SummaryTable units=b.units.clone() total=b.total.clone() /> })}
        {b.total.map(|t| view! { <UnitBlock u=t /> })}
        {b.units.into_iter().map(|u| view! { <UnitBlock u=u /> }).collect_view()}
    }
}

/// A rate of `of` things, or a dash when there was nothing to count: a unit that decided
/// nothing has no on-time rate, and must not read as the best of the month with 100 %.
fn pct(v: f64, of: u64) -> String {
    if of == 0 {
        "—".into()
    } else {
        format!("{v}%")
    }
}

/// The on-time sentence of a unit's block.
fn on_time_text(u: &UnitBulletin) -> String {
    if u.decided == 0 {
        return "本月无办结，也无到期未办结的案件，不计按时办结率".into();
    }
    format!(
        "计入 {} 件：按时办结 {} 件，超期 {} 件（含到期未办结），按时办结率 {}%",
        u.decided, u.on_time, u.late, u.on_time_rate,
    )
}

/// The ratings sentence of a unit's block.
fn ratings_text(u: &UnitBulletin) -> String {
    if u.ratings == 0 {
        return "本月无评价".into();
    }
    let levels = u
        .ratings_by_level
        .iter()
        .map(|c| format!("{} {}", c.label, c.count))
        .collect::<Vec<_>>()
        .join("；");
    let follow_up = if u.bad_ratings == 0 {
        "无差评".to_string()
    } else {
        format!(
            "差评 {} 次，已回访 {} 次，回访率 {}%",
            u.bad_ratings, u.followed_up, u.follow_up_rate
        )
    };
    format!(
        "评价 {} 次（{levels}）；满意率 {}%；{follow_up}",
        u.ratings, u.satisfaction_rate
    )
}

/// Every unit on one row: the figures to compare at a glance.
#[component]
fn SummaryTable(units: Vec<UnitBulletin>, total: Option<UnitBulletin>) -> impl IntoView {
    let row = |u: UnitBulletin| {
        view! {
            <tr>
                <th scope="row">{u.unit_name}</th>
                <td>{u.decided}</td>
                <td>{pct(u.on_time_rate, u.decided)}</td>
                <td>{u.problems}</td>
                <td>{u.closed}</td>
                <td>{u.in_progress}</td>
                <td>{u.overdue}</td>
                <td>{u.ratings}</td>
                <td>{pct(u.satisfaction_rate, u.ratings)}</td>
                <td>{pct(u.follow_up_rate, u.bad_ratings)}</td>
            </tr>
        }
    };
    view! {
        <div class="bulletin-wrap" tabindex="0" role="region" aria-label="各单位月通报汇总">
            <table class="bulletin-table">
                <caption>"各单位汇总"</caption>
                <thead>
                    <tr>
                        <th scope="col">"单位"</th>
                        <th scope="col">"应办结"</th>
                        <th scope="col">"按时办结率"</th>
                        <th scope="col">"问题"</th>
                        <th scope="col">"已销号"</th>
                        <th scope="col">"整改中"</th>
                        <th scope="col">"逾期"</th>
                        <th scope="col">"评价"</th>
                        <th scope="col">"满意率"</th>
                        <th scope="col">"回访率"</th>
                    </tr>
                </thead>
                <tbody>{units.into_iter().map(row).collect_view()} {total.map(row)}</tbody>
            </table>
        </div>
    }
}

fn counts(list: &[BulletinCount]) -> String {
    if list.is_empty() {
        return "无".into();
    }
    list.iter()
        .map(|c| format!("{} {} 件", c.label, c.count))
        .collect::<Vec<_>>()
        .join("；")
}

/// One unit's bulletin: four short tables (办件, 问题, 整改, 好差评).
#[component]
fn UnitBlock(u: UnitBulletin) -> impl IntoView {
    let heading = format!("bulletin-unit-{}", u.unit_id.unwrap_or(0));
    let labelled_by = heading.clone();
    let ratings = ratings_text(&u);
    let on_time = on_time_text(&u);
    view! {
        <article class="bulletin-unit" aria-labelledby=labelled_by>
            <h2 id=heading>{u.unit_name.clone()}</h2>
            <table class="bulletin-table">
                <tbody>
                    <tr>
                        <th scope="row">"按时办结"</th>
                        <td>{on_time}</td>
                    </tr>
                    <tr>
                        <th scope="row">"发现问题"</th>
                        <td>
                            {format!("共 {} 件：{}", u.problems, counts(&u.problems_by_kind))}
                        </td>
                    </tr>
                    <tr>
                        <th scope="row">"问题整改"</th>
                        <td>
                            {format!(
                                "清单 {} 项：已销号 {} 项，整改中 {} 项，逾期 {} 项",
                                u.rectifications,
                                u.closed,
                                u.in_progress,
                                u.overdue,
                            )}
                        </td>
                    </tr>
                    <tr>
                        <th scope="row">"好差评"</th>
                        <td>{ratings}</td>
                    </tr>
                </tbody>
            </table>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(decided: u64, ratings: u64, bad: u64) -> UnitBulletin {
        UnitBulletin {
            unit_id: Some(1),
            unit_name: "区市场监管局".into(),
            decided,
            on_time: decided,
            late: 0,
            on_time_rate: 100.0,
            problems: 0,
            problems_by_kind: Vec::new(),
            rectifications: 0,
            closed: 0,
            in_progress: 0,
            overdue: 0,
            ratings,
            ratings_by_level: Vec::new(),
            satisfied: ratings - bad,
            satisfaction_rate: 100.0,
            bad_ratings: bad,
            followed_up: 0,
            follow_up_rate: 100.0,
        }
    }

    #[test]
    fn a_unit_with_nothing_counted_shows_no_rate_instead_of_a_perfect_one() {
        let idle = unit(0, 0, 0);
        assert_eq!(
            on_time_text(&idle),
            "本月无办结，也无到期未办结的案件，不计按时办结率"
        );
        assert_eq!(ratings_text(&idle), "本月无评价");
        assert_eq!(pct(idle.on_time_rate, idle.decided), "—");
        let busy = unit(4, 2, 0);
        assert!(on_time_text(&busy).ends_with("按时办结率 100%"));
        assert!(ratings_text(&busy).ends_with("满意率 100%；无差评"));
        assert_eq!(pct(busy.on_time_rate, busy.decided), "100%");
    }
}
