//! 办事事项: the service-item catalog editor — guide texts, materials, time limits, fees and
//! 告知承诺制. Each part of the form is its own module (`catalog/`); this page puts them together,
//! lists the catalog and saves. The browser checks an item with the same
//! `ServiceItemInput::validated()` the server runs again on save.

mod basics;
mod commitment;
mod fees;
mod limits;
mod list;
mod materials;
mod text;

use leptos::{html, prelude::*};

use super::{
    AdminPage,
    lookups::{self, OrgList},
};
use crate::{
    api::{
        ApiError,
        catalog::{self, ServiceItem, ServiceItemInput},
        validate::{Checks, Invalid, Problems},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{ErrorSummary, FormProblem},
        suspend::suspend,
    },
};
use basics::{Basics, BasicsFieldsets};
use commitment::{Commitment, CommitmentFieldset};
use fees::{Fees, FeesFieldset};
use limits::{Limits, LimitsFieldset};
use list::ItemTable;
use materials::{Materials, MaterialsFieldset};

#[component]
pub fn AdminCatalog() -> impl IntoView {
    view! {
        <AdminPage path="/admin/catalog">
            <CatalogPanel />
        </AdminPage>
    }
}

/// The item being edited, part by part.
#[derive(Clone, Copy)]
struct ItemForm {
    /// The code of the item being edited, or `None` for a new one.
    editing: RwSignal<Option<String>>,
    basics: Basics,
    materials: Materials,
    limits: Limits,
    fees: Fees,
    commitment: Commitment,
}

impl ItemForm {
    fn new() -> Self {
        ItemForm {
            editing: RwSignal::new(None),
            basics: Basics::new(),
            materials: Materials::new(),
            limits: Limits::new(),
            fees: Fees::new(),
            commitment: Commitment::new(),
        }
    }

    fn load(self, item: &ServiceItem) {
        self.editing.set(Some(item.code.clone()));
        self.basics.load(item);
        self.materials.load(&item.materials, item.no_materials);
        self.limits.load(item);
        self.fees.load(item);
        self.commitment.load(item);
    }

    fn clear(self) {
        self.editing.set(None);
        self.basics.clear();
        self.materials.clear();
        self.limits.clear();
        self.fees.clear();
        self.commitment.clear();
    }

    /// The form as a `ServiceItemInput`; numbers that do not read are reported by the parts, the
    /// rules of the catalog by `validated()`.
    fn input(self) -> Result<ServiceItemInput, Problems> {
        // Each part's problem is told together with the others'.
        let mut checks = Checks::default();
        let basics = checks.ok(self.basics.read());
        let limits = checks.ok(self.limits.read());
        let materials = checks.ok(self.materials.read());
        let commitment = materials
            .as_ref()
            .and_then(|m| checks.ok(self.commitment.read(m)));
        let (Some(basics), Some(limits), Some(materials), Some(commitment)) =
            (basics, limits, materials, commitment)
        else {
            // Every part that gave nothing kept its problem.
            let told = checks.finish(()).err();
            return Err(
                told.unwrap_or_else(|| Invalid::new("required", "code", "请填写事项").into())
            );
        };
        let (fee, place, phone) = self.fees.read();
        ServiceItemInput {
            code: basics.code,
            name: basics.name,
            category: basics.category,
            unit_id: basics.unit_id,
            legal_basis: basics.legal_basis,
            conditions: basics.conditions,
            materials,
            no_materials: self.materials.none(),
            steps: basics.steps,
            time_limit: limits.time_limit,
            stage_limits: limits.stage_limits,
            special_procedures: limits.special_procedures,
            extension_bound_days: limits.extension_bound_days,
            fee,
            place,
            phone,
            commitment,
        }
        .validated()
    }

    /// The id of the input that an error about `field` concerns.
    fn target(self, field: &str) -> Option<String> {
        let fixed = basics::target(field)
            .or_else(|| self.limits.target(field))
            .or_else(|| fees::target(field))
            .or_else(|| (field == "commitment").then_some("item-deferred-within"))
            .or_else(|| (field == "materials").then_some("item-materials"));
        fixed
            .map(str::to_string)
            .or_else(|| self.materials.target(field))
    }
}

#[component]
fn CatalogPanel() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let items = Resource::new(move || version.get(), |_| catalog::list_all());
    let lists = Resource::new(
        || (),
        |_| lookups::load(&[OrgList::Centers, OrgList::Units]),
    );
    let form = ItemForm::new();
    // Results of 停用/启用 (shown above the list) and of saving (shown beside the save button);
    // what is wrong with the form shows at the top of the form and at the field.
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    let saved = RwSignal::new(None::<Result<String, ApiError>>);
    let problem = FormProblem::default();
    let form_heading = NodeRef::<html::H2>::new();
    let focus_form = move || {
        if let Some(h) = form_heading.get_untracked() {
            let _ = h.focus();
        }
    };
    let reset_messages = move || {
        result.set(None);
        saved.set(None);
        problem.clear();
    };

    // Read only inside the form's <Suspense>, after the lists have arrived.
    let unit_options = Signal::derive(move || {
        let chosen = form.basics.unit();
        lists
            .get()
            .and_then(Result::ok)
            .map(|l| l.units_with_centers(&chosen))
            .unwrap_or_default()
    });
    let editing = Signal::derive(move || form.editing.get().is_some());

    let edit = Callback::new(move |item: ServiceItem| {
        form.load(&item);
        reset_messages();
        focus_form();
    });
    let start_new = move |_| {
        form.clear();
        reset_messages();
        focus_form();
    };

    let save = Action::new(|(existing, body): &(Option<String>, ServiceItemInput)| {
        catalog::save(existing.clone(), body.clone())
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(item)) => {
            saved.set(Some(Ok(format!("已保存：{}", item.name))));
            version.update(|v| *v += 1);
            form.clear();
        }
        Some(Err(error)) => problem.set(error),
        None => {}
    });
    let toggle = Action::new(|(code, name, active): &(String, String, bool)| {
        let (code, name, active) = (code.clone(), name.clone(), *active);
        async move {
            catalog::set_active(&code, active).await.map(|()| {
                let done = if active { "已启用" } else { "已停用" };
                format!("{done}：{name}")
            })
        }
    });
    Effect::new(move |_| {
        if let Some(outcome) = toggle.value().get() {
            result.set(Some(outcome));
            version.update(|v| *v += 1);
        }
    });
    let on_toggle = Callback::new(move |args: (String, String, bool)| {
        toggle.dispatch(args);
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        match form.input() {
            Ok(body) => {
                problem.clear();
                save.dispatch((form.editing.get_untracked(), body));
            }
            Err(invalid) => problem.set(invalid.into()),
        }
    };
    let target = Callback::new(move |field: String| form.target(&field));

    view! {
        <ActionResult message=result />
        <section class="panel" aria-labelledby="item-list">
            <div class="row catalog-list-head">
                <h2 id="item-list">"事项目录"</h2>
                <button type="button" class="button small" on:click=start_new>
                    "新建事项"
                </button>
            </div>
            <Transition fallback=Loading>
                {move || suspend(async move {
                    match items.await {
                        Ok(list) => {
                            view! { <ItemTable items=list.items on_edit=edit on_toggle /> }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorBox error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="panel catalog-form" aria-labelledby="item-form">
            <h2 id="item-form" tabindex="-1" node_ref=form_heading>
                {move || match form.editing.get() {
                    Some(c) => format!("编辑事项 {c}"),
                    None => "新建事项".to_string(),
                }}
            </h2>
            <ErrorSummary error=problem.signal() target />
            // The unit select's choices come from the lists: render the form once they are here,
            // on the server and in the browser alike (otherwise hydration would meet other
            // options).
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    let _ = lists.await;
                    let ItemForm { basics, materials, limits, fees, commitment, .. } = form;
                    view! {
                        <form class="stack" novalidate=true on:submit=on_submit>
                            <BasicsFieldsets basics editing units=unit_options problem />
                            <MaterialsFieldset materials problem />
                            <LimitsFieldset limits problem />
                            <FeesFieldset fees problem />
                            <CommitmentFieldset commitment materials problem />
                            <ActionResult message=saved />
                            <div class="row">
                                <button type="submit" class="button primary">
                                    "保存事项"
                                </button>
                                <button type="button" class="button ghost" on:click=start_new>
                                    "清空"
                                </button>
                            </div>
                            <p class="muted">
                                "修改只影响此后受理的案件；已受理的案件按受理时的事项内容办理。"
                            </p>
                        </form>
                    }
                })}
            </Suspense>
        </section>
    }
}
