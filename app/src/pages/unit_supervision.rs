//! `/unit/supervision` (本单位整改与评价): the responsible unit's side of supervision (issue #13,
//! 谁办理、谁负责). Its open rectification items, each reported with the measure taken, what was
//! done and evidence files; its 差评 with the recorded phone 回访 and the 申诉复核; and the
//! month's list (attachment 1) to submit before the 22nd. Clerks and the chief representative
//! report fixes; 回访, 申诉 and the monthly submission are the chief representative's (the server
//! holds both to it, and re-checks everything).

mod month;
mod ratings;
mod rectifications;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{Me, Role},
    components::{form::FieldError, guard::RequireRole},
};

use self::{month::MonthSubmission, ratings::BadRatings, rectifications::Rectifications};

#[component]
pub fn UnitSupervisionPage() -> impl IntoView {
    view! {
        <Title text="本单位整改与评价" />
        <RequireRole
            role=Role::Clerk
            also=Role::ChiefRepresentative
            render=|me| view! { <UnitDesk me=me /> }
        />
    }
}

#[component]
fn UnitDesk(me: Me) -> impl IntoView {
    let chief = me.has(Role::ChiefRepresentative);
    let (back, back_label) = if chief {
        ("/chief", "返回首席代表工作台")
    } else {
        ("/clerk", "返回窗口工作台")
    };
    view! {
        <div class="page-head">
            <div>
                <h1>"本单位整改与评价"</h1>
                <p class="lead">
                    {format!("{} · {}", me.unit_name.clone().unwrap_or_default(), me.staff.name)}
                </p>
            </div>
        </div>
        <nav class="sub-nav" aria-label="本页内容">
            <a href="#unit-rect-title">"本单位整改清单"</a>
            <a href="#unit-ratings-title">"差评回访与申诉"</a>
            <a href="#unit-month-title">"月报提交"</a>
            <a href=back>{back_label}</a>
        </nav>
        <Rectifications />
        <BadRatings chief=chief />
        <MonthSubmission chief=chief />
    }
}

/// A multi-line input of one item's form (its id carries the item's), with its message at the
/// field, kept while the server's answer concerns it.
#[component]
fn ItemText(
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    max: usize,
    #[prop(default = 3)] rows: u32,
    #[prop(default = None)] hint: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}" *"</label>
            <FieldError id=id.clone() error=error />
            <textarea
                id=id.clone()
                name=id
                rows=rows
                maxlength=max.to_string()
                required=true
                bind:value=value
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
            ></textarea>
            {hint
                .map(|h| {
                    view! {
                        <small id=hint_id class="hint">
                            {h}
                        </small>
                    }
                })}
        </div>
    }
}
