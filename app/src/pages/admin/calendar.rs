//! 节假日安排: the official calendar by year; an administrator adds the next year by hand when the
//! State Council publishes it (cases with 「暂定」 dates are recomputed when it is saved).

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use super::{AdminPage, TableHead};
use crate::{
    api::{
        ApiError,
        calendar::{self, CalendarYearInput, CalendarYearView, HolidayEntry, MakeupEntry},
        validate::{Checks, Invalid, Problems},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{ErrorSummary, FieldError, FormProblem, described_by, option},
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
/// `workday`) are read too. Every bad line is told at once, and then none is taken.
fn parse_lines(text: &str, next_id: &mut u32) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("date,") {
            continue;
        }
        match parse_line(line) {
            Ok((date, kind, name)) => {
                let weekend = date.weekday().number_from_monday() >= 6;
                *next_id += 1;
                let part_of_run = kind == HOLIDAY && weekend;
                rows.push(Row::new(
                    *next_id,
                    date.to_string(),
                    kind,
                    name,
                    part_of_run,
                ));
            }
            Err(problem) => bad.push(format!("第 {} 行{problem}", n + 1)),
        }
    }
    if bad.is_empty() {
        Ok(rows)
    } else {
        Err(bad.join("；"))
    }
}

/// One pasted line: its date, kind and name, or what is wrong with it.
fn parse_line(line: &str) -> Result<(NaiveDate, &'static str, String), String> {
    let parts: Vec<&str> = line.split([',', '，']).map(str::trim).collect();
    if parts.len() < 3 {
        return Err("格式应为：日期,放假或上班,名称".into());
    }
    let date: NaiveDate = parts[0]
        .parse()
        .map_err(|_| format!("日期无效：{}", parts[0]))?;
    let kind = match parts[1] {
        HOLIDAY | "放假" | "休" | "假" => HOLIDAY,
        WORKDAY | "上班" | "调休上班" | "班" => WORKDAY,
        other => return Err(format!("类型无效：{other}")),
    };
    Ok((date, kind, parts[2].to_string()))
}

/// The id of one of a row's inputs (`date`, `name` or `run`), where the problems of that part
/// of the row are told.
fn row_input_id(row: u32, part: &str) -> String {
    format!("calendar-row-{row}-{part}")
}

fn date_input_id(row: u32) -> String {
    row_input_id(row, "date")
}

/// The input of a row that a rule's objection concerns.
fn objected_part(issue: &rules::CalendarIssue) -> &'static str {
    match issue {
        rules::CalendarIssue::EmptyName { .. } => "name",
        rules::CalendarIssue::WeekendHolidayNotInRun { .. } => "run",
        _ => "date",
    }
}

const YEAR_INPUT: &str = "edit-year";
const PASTE_INPUT: &str = "paste-lines";

/// The year and its days as the server takes them, or every problem at once: the year at its
/// input, each row's unreadable date at that row, and the rules' objections (the same check the
/// server makes) at the row of the day each names.
fn checked_year(year: &str, rows: &[Row]) -> Result<(i32, CalendarYearInput), Problems> {
    let mut checks = Checks::default();
    let year = checks.ok(year.trim().parse::<i32>().map_err(|_| {
        Invalid::new(
            "invalid_year",
            YEAR_INPUT,
            "请填写年份（四位数字，如 2027）",
        )
    }));
    let mut input = CalendarYearInput {
        holidays: Vec::new(),
        makeup_workdays: Vec::new(),
    };
    for row in rows {
        let raw = row.date.get_untracked();
        let Ok(date) = raw.parse::<NaiveDate>() else {
            let message = if raw.is_empty() {
                "请填写日期".to_string()
            } else {
                format!("日期无效：{raw}")
            };
            checks.fail(Invalid::new(
                "invalid_date",
                &date_input_id(row.id),
                message,
            ));
            continue;
        };
        let name = row.name.get_untracked();
        if row.kind.get_untracked() == HOLIDAY {
            let part_of_run = row.part_of_run.get_untracked();
            input.holidays.push(HolidayEntry {
                date,
                name,
                part_of_run,
            });
        } else {
            input.makeup_workdays.push(MakeupEntry { date, name });
        }
    }
    let Some(year) = year else {
        // Refused above: the rules cannot judge the days without their year.
        return Err(checks.finish(()).unwrap_err());
    };
    let judged = match rules::validate_year(&input.to_arrangement(year)) {
        Ok(()) => Ok((year, input)),
        Err(issues) => {
            let mut objections = Checks::default();
            for issue in &issues {
                let row = issue.date().and_then(|day| row_of_day(rows, issue, day));
                let field = row.map_or(YEAR_INPUT.to_string(), |row| {
                    row_input_id(row, objected_part(issue))
                });
                objections.fail(Invalid::new(issue.code(), &field, issue.message_zh()));
            }
            objections.finish((year, input))
        }
    };
    checks.finish_with(judged)
}

/// The row an objection about `day` is told at: the later of two rows that repeat a day (the
/// one to delete), else the row of that day.
fn row_of_day(rows: &[Row], issue: &rules::CalendarIssue, day: NaiveDate) -> Option<u32> {
    let mut of_day = rows
        .iter()
        .filter(|r| r.date.get_untracked().parse() == Ok(day))
        .map(|r| r.id);
    match issue {
        rules::CalendarIssue::DuplicateDate { .. }
        | rules::CalendarIssue::BothHolidayAndMakeupDay { .. } => of_day.next_back(),
        _ => of_day.next(),
    }
}

/// The server's answer with each day it names (`holidays[i]`) told at that row's date input.
fn at_rows(mut error: ApiError, rows: &[Row]) -> ApiError {
    let at_row = |field: &mut String| {
        if let Some(id) = row_of_field(rows, field) {
            *field = id;
        }
    };
    if let Some(field) = error.field.as_mut() {
        at_row(field);
    }
    for problem in &mut error.problems {
        at_row(&mut problem.field);
    }
    error
}

/// One day of the year being edited: its inputs, each with its message, and its delete button.
#[component]
fn EditorRow(row: Row, rows: RwSignal<Vec<Row>>, problem: FormProblem) -> impl IntoView {
    // A row's input's id, and while it has a message, `aria-invalid` and the message's id.
    let wired = move |part: &'static str| {
        let id = row_input_id(row.id, part);
        let error = error_of(problem, id.clone());
        let described = described_by(&id, false, error);
        view! { <{..} id=id aria-invalid=invalid(error) aria-describedby=described /> }
    };
    let cell = move |part| row_input_id(row.id, part);
    view! {
        <tr>
            <RowCell id=cell("date") problem>
                <input type="date" aria-label="日期" bind:value=row.date {..wired("date")} />
            </RowCell>
            <td>
                <select
                    aria-label="类型"
                    on:change=move |ev| row.kind.set(event_target_value(&ev))
                    prop:value=move || row.kind.get()
                >
                    {option(HOLIDAY, "放假")}
                    {option(WORKDAY, "调休上班")}
                </select>
            </td>
            <RowCell id=cell("name") problem>
                <input aria-label="名称" bind:value=row.name {..wired("name")} />
            </RowCell>
            <RowCell id=cell("run") problem>
                <input
                    type="checkbox"
                    aria-label="连休中的周末"
                    bind:checked=row.part_of_run
                    {..wired("run")}
                />
            </RowCell>
            <td>
                <button
                    type="button"
                    class="button small ghost"
                    aria-label="删除此行"
                    on:click=move |_| rows.update(|r| r.retain(|x| x.id != row.id))
                >
                    "删除"
                </button>
            </td>
        </tr>
    }
}

/// A cell of a row, with the message of its input `id` above it.
#[component]
fn RowCell(id: String, problem: FormProblem, children: Children) -> impl IntoView {
    let error = error_of(problem, id.clone());
    view! {
        <td>
            <FieldError id error />
            {children()}
        </td>
    }
}

/// The message of `problem` at the input `id`.
fn error_of(problem: FormProblem, id: String) -> MaybeProp<String> {
    MaybeProp::derive(move || problem.message_for(&id))
}

/// `aria-invalid` of an input whose message is `error`.
fn invalid(error: MaybeProp<String>) -> impl Fn() -> Option<&'static str> {
    move || error.with(Option::is_some).then_some("true")
}

/// The row a server's objection names (`holidays[i]`, `makeup_workdays[i]`: the i-th row of
/// that kind, in the order sent), by its date input's id.
fn row_of_field(rows: &[Row], field: &str) -> Option<String> {
    let (list, index) = field.strip_suffix(']')?.split_once('[')?;
    let holidays = match list {
        "holidays" => true,
        "makeup_workdays" => false,
        _ => return None,
    };
    let index: usize = index.parse().ok()?;
    let mut of_kind = rows
        .iter()
        .filter(|r| (r.kind.get_untracked() == HOLIDAY) == holidays);
    of_kind.nth(index).map(|r| date_input_id(r.id))
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
    // What went well, in a status line; what did not, at the fields it concerns.
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    let problem = FormProblem::default();

    let save = Action::new(|(year, input): &(i32, CalendarYearInput)| {
        let (year, input) = (*year, input.clone());
        async move { calendar::replace_year(year, input).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            selected.set(Some(saved.year));
            result.set(Some(Ok(format!(
                "已保存 {} 年：{} 个节假日、{} 个调休上班日",
                saved.year,
                saved.holidays.len(),
                saved.makeup_workdays.len()
            ))));
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => problem.set(at_rows(e, &rows.get_untracked())),
        None => {}
    });
    let start_again = move || {
        result.set(None);
        problem.clear();
    };

    let load_into_editor = move |view: CalendarYearView| {
        edit_year.set(view.year.to_string());
        next_id.update_value(|id| rows.set(rows_of(&view, id)));
        start_again();
    };
    let add_row = move |_| {
        next_id.update_value(|id| {
            *id += 1;
            let row = Row::new(*id, String::new(), HOLIDAY, String::new(), false);
            rows.update(|r| r.push(row));
        });
    };
    let import = move |_| {
        start_again();
        let mut outcome = Ok(Vec::new());
        next_id.update_value(|id| outcome = parse_lines(&paste.get_untracked(), id));
        match outcome {
            Ok(new_rows) => {
                let count = new_rows.len();
                rows.update(|r| r.extend(new_rows));
                paste.set(String::new());
                result.set(Some(Ok(format!("已导入 {count} 行，请核对后保存"))));
            }
            Err(msg) => problem.set(Invalid::new("invalid_lines", PASTE_INPUT, msg).into()),
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        start_again();
        match checked_year(&edit_year.get_untracked(), &rows.get_untracked()) {
            Ok(checked) => {
                save.dispatch(checked);
            }
            Err(problems) => problem.set(problems.into()),
        }
    };
    // The input a message belongs to: the year, the pasted lines, or a row's date.
    let target = Callback::new(move |field: String| match field.as_str() {
        YEAR_INPUT | PASTE_INPUT => Some(field),
        _ => field.starts_with("calendar-row-").then_some(field),
    });
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
                                        <TableHead columns=&["日期", "类型", "名称"] />
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
                        <label for=YEAR_INPUT>"年份"</label>
                        <FieldError id=YEAR_INPUT error=problem.at(YEAR_INPUT) />
                        <input
                            id=YEAR_INPUT
                            inputmode="numeric"
                            bind:value=edit_year
                            placeholder="如 2027"
                            aria-invalid=invalid(problem.at(YEAR_INPUT).into())
                            aria-describedby=described_by(
                                YEAR_INPUT,
                                false,
                                problem.at(YEAR_INPUT).into(),
                            )
                        />
                    </div>
                    // Wider than a phone: a region the keyboard can scroll (axe).
                    <div
                        class="calendar-rows-wrap"
                        tabindex="0"
                        role="region"
                        aria-label="该年度的节假日和调休上班日"
                    >
                        <table class="table compact">
                            <TableHead
                                columns=&["日期", "类型", "名称", "连休中的周末"]
                                hidden="删除"
                            />
                            <tbody>
                                <For each=move || rows.get() key=|r| r.id let:row>
                                    <EditorRow row rows problem />
                                </For>
                            </tbody>
                        </table>
                    </div>
                    <div class="row wrap">
                        <button type="button" class="button" on:click=add_row>
                            "添加一行"
                        </button>
                    </div>
                    <div class="field">
                        <label for=PASTE_INPUT>
                            "粘贴（每行：日期,放假 或 上班,名称）"
                        </label>
                        <FieldError id=PASTE_INPUT error=problem.at(PASTE_INPUT) />
                        <textarea
                            id=PASTE_INPUT
                            aria-invalid=invalid(problem.at(PASTE_INPUT).into())
                            aria-describedby=described_by(
                                PASTE_INPUT,
                                false,
                                problem.at(PASTE_INPUT).into(),
                            )
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
                    <ErrorSummary error=problem.signal() target />
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
