//! Form controls with their labels, sized for touch, and the GOV.UK error pattern: a summary at
//! the top linking to each field it concerns, and the same message at the field itself.

use leptos::{html, prelude::*};

use super::feedback::ErrorBox;
use crate::api::ApiError;

/// The `aria-describedby` of the input `id`: its hint (`{id}-hint`, if it has one) and its
/// error message (`{id}-error`) while there is one.
pub fn described_by(
    id: &str,
    hint: bool,
    error: MaybeProp<String>,
) -> impl Fn() -> Option<String> + use<> {
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    move || {
        let ids: Vec<&str> = [
            hint.then_some(hint_id.as_str()),
            error.with(Option::is_some).then_some(error_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// One `<option>` of a select: the value sent and the label shown.
pub fn option(value: impl ToString, label: impl IntoView + 'static) -> impl IntoView {
    view! { <option value=value.to_string()>{label}</option> }
}

/// One `<option>` of a select, chosen when `selected` (as the page is first drawn).
pub fn selected_option(
    value: impl ToString,
    label: impl IntoView + 'static,
    selected: bool,
) -> impl IntoView {
    view! { <option value=value.to_string() selected=selected>{label}</option> }
}

/// The message at a field, above its input (`{id}-error`, which the input is described by).
#[component]
pub fn FieldError(
    /// The input's id (a row's input has one made at run time).
    #[prop(into)]
    id: String,
    #[prop(into)] error: MaybeProp<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    move || {
        error.get().map(|message| {
            view! {
                <p id=error_id.clone() class="error-text field-error">
                    <span class="sr-only">"错误："</span>
                    {message}
                </p>
            }
        })
    }
}

/// A labelled text input bound to a signal.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(default = None, into)] input_type: Option<&'static str>,
    #[prop(default = None, into)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(default = None, into)] autocomplete: Option<&'static str>,
    /// Shown but not editable while this holds (e.g. a code that cannot change once saved).
    #[prop(optional, into)]
    readonly: MaybeProp<bool>,
    /// What is wrong with the value, shown at the field.
    #[prop(optional, into)]
    error: MaybeProp<String>,
) -> impl IntoView {
    let described = described_by(id, hint.is_some(), error);
    view! {
        <div class="field">
            <label for=id>{label}{required.then_some(" *")}</label>
            <FieldError id error />
            <input
                id=id
                name=id
                type=input_type.unwrap_or("text")
                bind:value=value
                required=required
                autocomplete=autocomplete.unwrap_or("off")
                readonly=move || readonly.get().unwrap_or(false)
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
            />
            {hint
                .map(|h| {
                    view! {
                        <small id=format!("{id}-hint") class="hint">
                            {h}
                        </small>
                    }
                })}
        </div>
    }
}

/// A labelled multi-line text input; `hint` explains the format.
#[component]
pub fn TextArea(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(default = None, into)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(default = 4)] rows: u32,
    /// What is wrong with the value, shown at the field.
    #[prop(optional, into)]
    error: MaybeProp<String>,
) -> impl IntoView {
    let described = described_by(id, hint.is_some(), error);
    view! {
        <div class="field">
            <label for=id>{label}{required.then_some(" *")}</label>
            <FieldError id error />
            <textarea
                id=id
                name=id
                rows=rows
                bind:value=value
                required=required
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
            ></textarea>
            {hint
                .map(|h| {
                    view! {
                        <small id=format!("{id}-hint") class="hint">
                            {h}
                        </small>
                    }
                })}
        </div>
    }
}

/// A labelled select; `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(default = None, into)] placeholder: Option<&'static str>,
    /// What is wrong with the choice, shown at the field.
    #[prop(optional, into)]
    error: MaybeProp<String>,
) -> impl IntoView {
    let described = described_by(id, false, error);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <FieldError id error />
            <select
                id=id
                name=id
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()
            >
                {placeholder.map(|p| view! { <option value="">{p}</option> })}
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == value.get_untracked();
                            view! {
                                <option value=v.clone() selected=selected>
                                    {l}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// A group of checkboxes for a multi-choice field; `chosen` holds the checked values. With an
/// `id`, the group can carry an error message and an error summary can link to it.
#[component]
pub fn CheckGroup(
    legend: &'static str,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    chosen: RwSignal<Vec<String>>,
    #[prop(default = None, into)] id: Option<&'static str>,
    /// What is wrong with the choice, shown under the legend.
    #[prop(optional, into)]
    error: MaybeProp<String>,
    /// Said in place of the boxes while there is nothing to choose (an empty group explained
    /// nothing).
    #[prop(default = None, into)]
    empty: Option<&'static str>,
) -> impl IntoView {
    let described = id.map(|id| described_by(id, false, error));
    view! {
        <fieldset
            class="checkgroup"
            id=id
            aria-describedby=move || described.as_ref().and_then(|d| d())
        >
            <legend>{legend}</legend>
            {id.map(|id| view! { <FieldError id error /> })}
            {move || {
                empty
                    .filter(|_| options.with(Vec::is_empty))
                    .map(|text| view! { <p class="muted">{text}</p> })
            }}
            {move || {
                options
                    .get()
                    .into_iter()
                    .map(|(v, l)| {
                        let value = v.clone();
                        let checked = move || chosen.with(|c| c.contains(&v));
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen
                                            .update(|c| {
                                                c.retain(|x| x != &value);
                                                if on {
                                                    c.push(value.clone());
                                                }
                                            });
                                    }
                                />
                                <span>{l}</span>
                            </label>
                        }
                    })
                    .collect_view()
            }}
        </fieldset>
    }
}

/// What is wrong with a form: every problem its checks found, or the server's answer. Each
/// field asks for the message that concerns it (`ApiError::field`, or each of `problems`).
#[derive(Clone, Copy)]
pub struct FormProblem(RwSignal<Option<ApiError>>);

impl Default for FormProblem {
    fn default() -> Self {
        FormProblem(RwSignal::new(None))
    }
}

impl FormProblem {
    pub fn set(self, error: ApiError) {
        self.0.set(Some(error));
    }

    pub fn clear(self) {
        self.0.set(None);
    }

    /// The message for the field named `name`, if the problem concerns it (tracked).
    pub fn message_for(self, name: &str) -> Option<String> {
        self.0.with(|p| {
            let fields = p.as_ref().map(ApiError::field_messages).unwrap_or_default();
            fields
                .into_iter()
                .find_map(|(field, message)| (field == name).then_some(message))
        })
    }

    /// Drops what was said of the field `name` (its meaning changed), keeping the rest.
    pub fn forget(self, name: &str) {
        self.0.update(|problem| {
            let Some(error) = problem else {
                return;
            };
            error.problems.retain(|p| p.field != name);
            if error.field.as_deref() != Some(name) {
                return;
            }
            match error.problems.first().cloned() {
                Some(next) => {
                    error.code = next.code;
                    error.field = Some(next.field);
                    error.message = next.message;
                }
                None => *problem = None,
            }
        });
    }

    /// `message_for(name)` as a signal, for a field's `error`.
    pub fn at(self, name: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.message_for(name))
    }

    pub fn signal(self) -> Signal<Option<ApiError>> {
        self.0.into()
    }
}

/// The code of an error about a part of a submission that was saved otherwise (a problem filed
/// whose file was refused): its summary does not say the submission failed.
pub const SAVED_WITH_PROBLEM: &str = "saved_with_problem";

/// The GOV.UK error summary, at the top of a form's page: it says that there is a problem and
/// links each message to the field it concerns, where the field repeats it. Focus moves here
/// when a problem appears, so that a keyboard or screen-reader user learns of it at once. An
/// error that concerns no field of the form (a lost session, a conflict) shows as a plain box.
#[component]
pub fn ErrorSummary(
    #[prop(into)] error: Signal<Option<ApiError>>,
    /// The id of the input that an API field name (`ApiError::field`) belongs to, if any.
    target: Callback<String, Option<String>>,
) -> impl IntoView {
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if error.with(Option::is_some)
            && let Some(el) = summary.get()
        {
            let _ = el.focus();
        }
    });
    move || {
        let error = error.get()?;
        // Each message whose field is on this form, linked to its input.
        let linked: Vec<(String, String)> = error
            .field_messages()
            .into_iter()
            .filter_map(|(field, message)| Some((target.run(field)?, message)))
            .collect();
        if linked.is_empty() {
            return Some(view! { <ErrorBox error /> }.into_any());
        }
        let headline = if error.code == SAVED_WITH_PROBLEM {
            "已登记，但有以下问题："
        } else {
            "提交未成功，请更正以下问题："
        };
        Some(
            view! {
                <div class="error-box error-summary" role="alert" tabindex="-1" node_ref=summary>
                    <p>
                        <strong>{headline}</strong>
                    </p>
                    <ul>
                        {linked
                            .into_iter()
                            .map(|(id, message)| {
                                view! {
                                    <li>
                                        <a
                                            href=format!("#{id}")
                                            on:click=move |ev| {
                                                ev.prevent_default();
                                                focus_field(&id);
                                            }
                                        >
                                            {message}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
            .into_any(),
        )
    }
}

/// Puts the cursor in the field with this id (the first box of a group of checkboxes).
pub fn focus_field(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let Some(el) = document().get_element_by_id(id) else {
            return;
        };
        let target = match el.tag_name().as_str() {
            "FIELDSET" => el.query_selector("input").ok().flatten(),
            _ => Some(el),
        };
        if let Some(input) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = input.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// What the user chose or typed in the element `selector` finds before the page's script ran
/// (a phone on a slow network shows a server-rendered form seconds before it hydrates, and
/// hydration sets a bound value back to the signal's): its current value, if not empty. `None`
/// on the server and when no such element is on the page yet (a page rendered in the browser).
pub fn typed_before_script(selector: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let el = document().query_selector(selector).ok()??;
        let value = js_sys::Reflect::get(&el, &"value".into())
            .ok()?
            .as_string()?;
        (!value.is_empty()).then_some(value)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = selector;
        None
    }
}
