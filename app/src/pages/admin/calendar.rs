//! 节假日安排: the official calendar by year; an administrator adds the next year by hand when the
//! State Council publishes it (cases with 「暂定」 dates are recomputed when it is saved).

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use super::AdminPage;
use crate::{
    api::{
        ApiError,
        calendar::{self, CalendarYearInput, CalendarYearView, HolidayEntry, MakeupEntry},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::option,
        suspend::suspend,
    },
    format,
};

#[component]
pub fn AdminCalendar() -> impl IntoView {
    view! {
        <AdminPage path="/admin/calendar">
            <CalendarPanel />
        </AdminPage>
    }
}

const HOLIDAY: &str = "holiday";
const WORKDAY: &str = "workday";

/// One editable line: a holiday or a make-up working day.
#[derive(Clone, Copy)]
struct Row {
    id: u32,
    date: RwSignal<String>,
    kind: RwSignal<String>,
    name: RwSignal<String>,
    part_of_run: RwSignal<bool>,
}

impl Row {
    fn new(id: u32, date: String, kind: &str, name: String, part_of_run: bool) -> Self {
        Row {
            id,
            date: RwSignal::new(date),
            kind: RwSignal::new(kind.to_string()),
            name: RwSignal::new(name),
            part_of_run: RwSignal::new(part_of_run),
        }
    }
}

fn rows_of(view: &CalendarYearView, next_id: &mut u32) -> Vec<Row> {
    let mut rows = Vec::new();
    for h in &view.holidays {
        *next_id += 1;
        rows.push(Row::new(
            *next_id,
            h.date.to_string(),
            HOLIDAY,
            h.name.clone(),
            h.part_of_run,
        ));
    }
    for m in &view.makeup_workdays {
        *next_id += 1;
        rows.push(Row::new(
            *next_id,
            m.date.to_string(),
            WORKDAY,
            m.name.clone(),
            false,
        ));
    }
    rows.sort_by_key(|r| r.date.get_untracked());
    rows
}

/// Reads pasted lines `YYYY-MM-DD,放假|上班,名称`; the shipped file's words (`holiday`,
/// `workday`) are read too.
fn parse_lines(text: &str, next_id: &mut u32) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("date,") {
            continue;
        }
        let parts: Vec<&str> = line.split([',', '，']).map(str::trim).collect();
        if parts.len() < 3 {
            return Err(format!("第 {} 行格式应为：日期,放假或上班,名称", n + 1));
        }
        let date: NaiveDate = parts[0]
            .parse()
            .map_err(|_| format!("第 {} 行日期无效：{}", n + 1, parts[0]))?;
        let kind = match parts[1] {
            HOLIDAY | "放假" | "休" | "假" => HOLIDAY,
            WORKDAY | "上班" | "调休上班" | "班" => WORKDAY,
            other => return Err(format!("第 {} 行类型无效：{other}", n + 1)),
        };
        let weekend = date.weekday().number_from_monday() >= 6;
        *next_id += 1;
        rows.push(Row::new(
            *next_id,
            date.to_string(),
            kind,
            parts[2].to_string(),
            kind == HOLIDAY && weekend,
        ));
    }
    Ok(rows)
}

fn to_input(rows: &[Row]) -> Result<CalendarYearInput, String> {
    let mut input = CalendarYearInput {
        holidays: Vec::new(),
        makeup_workdays: Vec::new(),
    };
    for row in rows {
        let raw = row.date.get_untracked();
        let date: NaiveDate = raw.parse().map_err(|_| format!("日期无效：{raw}"))?;
        let name = row.name.get_untracked();
        if row.kind.get_untracked() == HOLIDAY {
            input.holidays.push(HolidayEntry {
                date,
                name,
                part_of_run: row.part_of_run.get_untracked(),
            });
        } else {
            input.makeup_workdays.push(MakeupEntry { date, name });
        }
    }
    Ok(input)
}

#[component]
fn CalendarPanel() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let years = Resource::new(move || version.get(), |_| calendar::years());
    let selected = RwSignal::new(None::<i32>);
    let shown = Resource::new(
        move || (selected.get(), version.get()),
        |(year, _)| async move {
            match year {
                Some(y) => calendar::year(y).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let edit_year = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<Row>::new());
    let next_id = StoredValue::new(0u32);
    let paste = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<String, ApiError>>);

    let save = Action::new(|(year, input): &(i32, CalendarYearInput)| {
        let (year, input) = (*year, input.clone());
        async move { calendar::replace_year(year, input).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = save.value().get() {
            if let Ok(saved) = &outcome {
                selected.set(Some(saved.year));
            }
            result.set(Some(outcome.map(|y| {
                format!(
                    "已保存 {} 年：{} 个节假日、{} 个调休上班日",
                    y.year,
                    y.holidays.len(),
                    y.makeup_workdays.len()
                )
            })));
            version.update(|v| *v += 1);
        }
    });

    let load_into_editor = move |view: CalendarYearView| {
        edit_year.set(view.year.to_string());
        next_id.update_value(|id| rows.set(rows_of(&view, id)));
        result.set(None);
    };
    let add_row = move |_| {
        next_id.update_value(|id| {
            *id += 1;
            let row = Row::new(*id, String::new(), HOLIDAY, String::new(), false);
            rows.update(|r| r.push(row));
        });
    };
    let import = move |_| {
        let mut outcome = Ok(Vec::new());
        next_id.update_value(|id| outcome = parse_lines(&paste.get_untracked(), id));
        match outcome {
            Ok(new_rows) => {
                let count = new_rows.len();
                rows.update(|r| r.extend(new_rows));
                paste.set(String::new());
                result.set(Some(Ok(format!("已导入 {count} 行，请核对后保存"))));
            }
            Err(msg) => result.set(Some(Err(ApiError {
                code: "invalid_lines".into(),
                message: msg,
                field: None,
                status: 400,
                problems: Vec::new(),
            }))),
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(year) = edit_year.get_untracked().trim().parse::<i32>() else {
            result.set(Some(Err(ApiError {
                code: "invalid_year".into(),
                message: "请填写年份".into(),
                field: Some("year".into()),
                status: 400,
                problems: Vec::new(),
            })));
            return;
        };
        let input = match to_input(&rows.get_untracked()) {
            Ok(i) => i,
            Err(msg) => {
                result.set(Some(Err(ApiError {
                    code: "invalid_date".into(),
                    message: msg,
                    field: None,
                    status: 400,
                    problems: Vec::new(),
                })));
                return;
            }
        };
        // The same check the server makes, before sending.
        if let Err(issues) = rules::validate_year(&input.to_arrangement(year)) {
            let text: Vec<String> = issues.iter().map(|i| i.message_zh()).collect();
            result.set(Some(Err(ApiError {
                code: issues[0].code().into(),
                message: text.join("；"),
                field: None,
                status: 422,
                problems: Vec::new(),
            })));
            return;
        }
        save.dispatch((year, input));
    };

    view! {
        <div class="split">
            <section class="panel" aria-labelledby="years-held">
                <h2 id="years-held">"已收录年度"</h2>
                <Transition fallback=Loading>
                    {move || suspend(async move {
                        match years.await {
                            Ok(list) => {
                                view! {
                                    <div class="row wrap">
                                        {list
                                            .years
                                            .into_iter()
                                            .map(|y| {
                                                let on = move || selected.get() == Some(y);
                                                view! {
                                                    <button
                                                        type="button"
                                                        class="button small"
                                                        class:active=on
                                                        aria-pressed=move || on().to_string()
                                                        on:click=move |_| selected.set(Some(y))
                                                    >
                                                        {format!("{y} 年")}
                                                    </button>
                                                }
                                            })
                                            .collect_view()}
                                    </div>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        }
                    })}
                </Transition>
                <Transition fallback=Loading>
                    {move || suspend(async move {
                        match shown.await {
                            Ok(Some(view_year)) => {
                                let copy = view_year.clone();
                                let source = if view_year.source == "shipped" {
                                    "国务院公布（随系统提供）"
                                } else {
                                    "管理员录入"
                                };
                                view! {
                                    <h3>{format!("{} 年 · {}", view_year.year, source)}</h3>
                                    <table class="table compact">
                                        <thead>
                                            <tr>
                                                <th scope="col">"日期"</th>
                                                <th scope="col">"类型"</th>
                                                <th scope="col">"名称"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {days_in_date_order(&view_year)
                                                .into_iter()
                                                .map(|(d, (k, n))| {
                                                    view! {
                                                        <tr>
                                                            <td>{format::date(d)}</td>
                                                            <td>{k}</td>
                                                            <td>{n}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                    <button
                                        type="button"
                                        class="button"
                                        on:click=move |_| load_into_editor(copy.clone())
                                    >
                                        "载入到右侧编辑"
                                    </button>
                                }
                                    .into_any()
                            }
                            Ok(None) => {
                                view! { <p class="muted">"选择一个年度查看。"</p> }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <section class="panel" aria-labelledby="year-editor">
                <h2 id="year-editor">"录入或替换年度"</h2>
                <form class="stack" on:submit=on_submit>
                    <div class="field">
                        <label for="edit-year">"年份"</label>
                        <input
                            id="edit-year"
                            inputmode="numeric"
                            bind:value=edit_year
                            placeholder="如 2027"
                        />
                    </div>
                    <table class="table compact">
                        <thead>
                            <tr>
                                <th scope="col">"日期"</th>
                                <th scope="col">"类型"</th>
                                <th scope="col">"名称"</th>
                                <th scope="col">"连休中的周末"</th>
                                <th scope="col">
                                    <span class="sr-only">"删除"</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || rows.get() key=|r| r.id let:row>
                                <tr>
                                    <td>
                                        <input
                                            type="date"
                                            aria-label="日期"
                                            bind:value=row.date
                                        />
                                    </td>
                                    <td>
                                        <select
                                            aria-label="类型"
                                            on:change=move |ev| {
                                                row.kind.set(event_target_value(&ev))
                                            }
                                            prop:value=move || row.kind.get()
                                        >
                                            {option(HOLIDAY, "放假")}
                                            {option(WORKDAY, "调休上班")}
                                        </select>
                                    </td>
                                    <td>
                                        <input aria-label="名称" bind:value=row.name />
                                    </td>
                                    <td>
                                        <input
                                            type="checkbox"
                                            aria-label="连休中的周末"
                                            bind:checked=row.part_of_run
                                        />
                                    </td>
                                    <td>
                                        <button
                                            type="button"
                                            class="button small ghost"
                                            aria-label="删除此行"
                                            on:click=move |_| {
                                                rows.update(|r| r.retain(|x| x.id != row.id))
                                            }
                                        >
                                            "删除"
                                        </button>
                                    </td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                    <div class="row wrap">
                        <button type="button" class="button" on:click=add_row>
                            "添加一行"
                        </button>
                    </div>
                    <div class="field">
                        <label for="paste-lines">
                            "粘贴（每行：日期,放假 或 上班,名称）"
                        </label>
                        <textarea
                            id="paste-lines"
                            rows="4"
                            bind:value=paste
                            placeholder="2027-01-01,放假,元旦"
                        ></textarea>
                        <button type="button" class="button small" on:click=import>
                            "导入粘贴内容"
                        </button>
                    </div>
                    // Said beside the button that was pressed (at the top of the page it was
                    // out of view, the page scrolled down to the save).
                    <ActionResult message=result />
                    <button type="submit" class="button primary">
                        "保存该年度"
                    </button>
                    <p class="muted">
                        "保存后，落在该年度的「暂定」办结期限将按正式安排重新计算。"
                    </p>
                </form>
            </section>
        </div>
    }
}

/// A year's holidays and make-up workdays together, in date order, with the kind of each.
fn days_in_date_order(
    year: &CalendarYearView,
) -> std::collections::BTreeMap<NaiveDate, (&'static str, String)> {
    let holidays = year
        .holidays
        .iter()
        .map(|h| (h.date, ("放假", h.name.clone())));
    let workdays = year
        .makeup_workdays
        .iter()
        .map(|m| (m.date, ("调休上班", m.name.clone())));
    holidays.chain(workdays).collect()
}
