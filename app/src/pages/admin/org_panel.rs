//! One list/edit panel for the plain records of the organisation (centers, units, windows,
//! staff): a table of the records, each with 编辑 and 停用/启用, beside a form to add or edit one.
//! A record says what differs ([`OrgRecord`]: words, columns, fields, calls, checks); the panel
//! does the rest in one way for all. Forms follow the GOV.UK error pattern: a summary at the top
//! links to the field, the field shows the message, every typed value stays.

mod field;

use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

pub use super::lookups::{Lookups, OrgList};
pub use field::{Field, chosen_center, fields_view};

use super::{AdminPage, RowActions, TableHead, lookups, status_label};
use crate::{
    api::{
        ApiError, org,
        validate::{Checks, Invalid, Problems},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{ErrorSummary, FormProblem},
        suspend::suspend,
    },
};

/// The words of a record's page.
#[derive(Clone, Copy)]
pub struct Words {
    /// The page's address, `/admin/{resource}` after the API's collection (`/api/v1/{resource}`).
    path: &'static str,
    /// What one record is called: 已有{noun}, 新建{noun}, 编辑{noun}.
    noun: &'static str,
    /// Prefix of the sections' ids (`{prefix}-list`, `{prefix}-form`).
    id_prefix: &'static str,
}

impl Words {
    pub const fn new(path: &'static str, noun: &'static str, id_prefix: &'static str) -> Self {
        Words {
            path,
            noun,
            id_prefix,
        }
    }

    fn resource(self) -> &'static str {
        self.path.trim_start_matches("/admin/")
    }
}

/// What the table shows of a record.
pub struct Summary {
    id: i64,
    active: bool,
    /// What the row's buttons act on: 编辑{name}, 停用{name}.
    name: String,
    /// One cell for each of the record's `COLUMNS`.
    cells: Vec<String>,
}

impl Summary {
    pub fn new(id: i64, active: bool, name: String, cells: Vec<String>) -> Self {
        Summary {
            id,
            active,
            name,
            cells,
        }
    }
}

/// A kind of record the panel lists, adds, edits and deactivates. A value of it is the form:
/// one signal per input.
pub trait OrgRecord: Copy + Send + Sync + 'static {
    /// A record as the server lists it.
    type Row: Clone + Send + Sync + Serialize + DeserializeOwned + 'static;
    /// What saving sends.
    type Input: Clone + Send + Sync + Serialize + 'static;

    const WORDS: Words;
    /// The table's columns before 状态 and 操作.
    const COLUMNS: &'static [&'static str];
    /// The other lists that the table names and the form chooses from.
    const LOOKUPS: &'static [OrgList] = &[];
    /// A note under the form.
    const NOTE: Option<&'static str> = None;

    fn summary(row: &Self::Row, lookups: &Lookups) -> Summary;

    /// The note after a save.
    fn saved(row: &Self::Row) -> String {
        let name = Self::summary(row, &Lookups::default()).name;
        format!("已保存：{name}")
    }

    /// The form's inputs, in order. Choices may follow the lists and the record being edited.
    fn fields(self, lookups: Signal<Lookups>, editing: Signal<Option<i64>>) -> Vec<Field>;
    /// Puts a record into the form for editing.
    fn load(self, row: &Self::Row);
    /// The request the form stands for, checked as the server will check it, or the first
    /// problem, naming its field.
    fn input(self, editing: Option<i64>) -> Result<Self::Input, Problems>;
}

/// The input built on the chosen center; when none is chosen, that is told together with the
/// rest of the form's problems.
pub fn on_center<T>(
    center: Result<i64, Invalid>,
    input: impl FnOnce(i64) -> Result<T, Problems>,
) -> Result<T, Problems> {
    let mut checks = Checks::default();
    let id = checks.ok(center);
    checks.finish_with(input(id.unwrap_or_default()))
}

/// The page of one kind of record; `form` starts empty.
#[component]
pub fn OrgPanel<R: OrgRecord>(form: R) -> impl IntoView {
    view! {
        <AdminPage path=R::WORDS.path>
            <Editor form />
        </AdminPage>
    }
}

#[component]
fn Editor<R: OrgRecord>(form: R) -> impl IntoView {
    let words = R::WORDS;
    let version = RwSignal::new(0u32);
    let rows = Resource::new(
        move || version.get(),
        |_| org::list::<R::Row>(R::WORDS.resource()),
    );
    let lookups = Resource::new(|| (), |_| lookups::load(R::LOOKUPS));
    // Read by the form's choices, inside its <Suspense>, once the lists are here.
    let lists = Signal::derive(move || lookups.get().and_then(Result::ok).unwrap_or_default());
    let editing = RwSignal::new(None::<i64>);
    let fields = StoredValue::new(form.fields(lists, editing.into()));
    // Outcomes of saving and of 停用/启用, and what is wrong with the form: one shows at a time.
    let notice = RwSignal::new(None::<Result<String, ApiError>>);
    let problem = FormProblem::default();
    let tell = move |outcome: Result<String, ApiError>| {
        problem.clear();
        notice.set(Some(outcome));
    };
    let object = move |error: ApiError| {
        notice.set(None);
        problem.set(error);
    };

    let clear = move || {
        editing.set(None);
        fields.with_value(|fields| fields.iter().for_each(Field::clear));
        problem.clear();
    };
    let heading = NodeRef::<leptos::html::H2>::new();
    let edit = Callback::new(move |(id, row): (i64, R::Row)| {
        editing.set(Some(id));
        form.load(&row);
        notice.set(None);
        problem.clear();
        // The form is below the list (a screen and more down on a phone): take the eyes and the
        // screen reader there, or 编辑 seemed to do nothing.
        if let Some(h) = heading.get_untracked() {
            let _ = h.focus();
        }
    });
    let save = Action::new(|(id, input): &(Option<i64>, R::Input)| {
        org::save::<_, R::Row>(R::WORDS.resource(), *id, input.clone())
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(row)) => {
            tell(Ok(R::saved(&row)));
            version.update(|v| *v += 1);
            clear();
        }
        Some(Err(error)) => object(error),
        None => {}
    });
    let toggle = Action::new(|(id, active): &(i64, bool)| {
        org::set_active(R::WORDS.resource(), *id, *active)
    });
    Effect::new(move |_| {
        if let Some(outcome) = toggle.value().get() {
            tell(outcome.map(|()| "状态已更新".to_string()));
            version.update(|v| *v += 1);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = editing.get_untracked();
        match form.input(id) {
            Ok(body) => {
                problem.clear();
                save.dispatch((id, body));
            }
            Err(invalid) => object(invalid.into()),
        }
    };
    let target = Callback::new(move |name: String| {
        fields.with_value(|fields| {
            let field = fields.iter().find(|f| f.name == name);
            field.map(|f| f.id.to_string())
        })
    });
    let id = move |part: &str| format!("{}-{part}", words.id_prefix);

    view! {
        <ActionResult message=notice />
        <ErrorSummary error=problem.signal() target />
        <div class="split">
            <section class="panel" aria-labelledby=id("list")>
                <h2 id=id("list")>{format!("已有{}", words.noun)}</h2>
                <Transition fallback=Loading>
                    {move || suspend(async move {
                        let lists = lookups.await.unwrap_or_default();
                        match rows.await {
                            Ok(list) => record_table::<R>(list.items, &lists, edit, toggle),
                            Err(error) => view! { <ErrorBox error /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <section class="panel" aria-labelledby=id("form")>
                <h2 id=id("form") tabindex="-1" node_ref=heading>
                    {move || {
                        let verb = if editing.get().is_some() { "编辑" } else { "新建" };
                        format!("{verb}{}", words.noun)
                    }}
                </h2>
                // The form's choices come from the lists: render it once they are here, on the
                // server and in the browser alike (otherwise hydration would meet other options).
                <Suspense fallback=Loading>
                    {move || suspend(async move {
                        let _ = lookups.await;
                        let inputs = fields
                            .get_value()
                            .into_iter()
                            .map(|f| {
                                let error = problem.at(f.name);
                                f.view(error)
                            });
                        view! {
                            <form class="stack" novalidate=true on:submit=on_submit>
                                {inputs.collect_view()}
                                <div class="row">
                                    <button type="submit" class="button primary">
                                        "保存"
                                    </button>
                                    <button
                                        type="button"
                                        class="button ghost"
                                        on:click=move |_| clear()
                                    >
                                        "清空"
                                    </button>
                                </div>
                                {R::NOTE.map(|note| view! { <p class="muted">{note}</p> })}
                            </form>
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}

type Toggle = Action<(i64, bool), Result<(), ApiError>>;

/// The records, each row with its 状态 and [`RowActions`].
fn record_table<R: OrgRecord>(
    rows: Vec<R::Row>,
    lists: &Lookups,
    edit: Callback<(i64, R::Row)>,
    toggle: Toggle,
) -> AnyView {
    let head: Vec<&str> = R::COLUMNS
        .iter()
        .chain(&["状态", "操作"])
        .copied()
        .collect();
    let body = rows.into_iter().map(|row| {
        let Summary {
            id,
            active,
            name,
            cells,
        } = R::summary(&row, lists);
        let on_edit = Callback::new(move |()| edit.run((id, row.clone())));
        let on_toggle = Callback::new(move |()| {
            toggle.dispatch((id, !active));
        });
        view! {
            <tr class:inactive=!active>
                {cells
                    .into_iter()
                    .map(|cell| {
                        // A phone or a code never breaks ("0951-/6888123").
                        let number = cell
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "-+ ()".contains(c));
                        view! { <td class:nowrap=number>{cell}</td> }
                    })
                    .collect_view()}
                <td class="nowrap">{status_label(active)}</td>
                <RowActions name active on_edit on_toggle />
            </tr>
        }
    });
    view! {
        <table class="table">
            <TableHead columns=head />
            <tbody>{body.collect_view()}</tbody>
        </table>
    }
    .into_any()
}
