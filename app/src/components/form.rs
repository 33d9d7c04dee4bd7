//! Form controls with their labels, sized for touch.

use leptos::prelude::*;

/// A labelled text input bound to a signal.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{label}{required.then_some(" *")}</label>
            <input id=id name=id type=input_type.unwrap_or("text") bind:value=value required=required
                autocomplete=autocomplete.unwrap_or("off")
                aria-describedby=hint.map(|_| hint_id.clone())/>
            {hint.map(|h| view! { <small id=hint_id.clone() class="hint">{h}</small> })}
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
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=id
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()>
                {placeholder.map(|p| view! { <option value="">{p}</option> })}
                {move || options.get().into_iter().map(|(v, l)| {
                    let selected = v == value.get_untracked();
                    view! { <option value=v.clone() selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A group of checkboxes for a multi-choice field; `chosen` holds the checked values.
#[component]
pub fn CheckGroup(
    legend: &'static str,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="checkgroup">
            <legend>{legend}</legend>
            {move || options.get().into_iter().map(|(v, l)| {
                let value = v.clone();
                let checked = move || chosen.with(|c| c.contains(&v));
                view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=checked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|x| x != &value);
                                    if on { c.push(value.clone()); }
                                });
                            }/>
                        <span>{l}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}
