//! One input of a record's form, described as data so that one panel can render every record's
//! form, show each error at its field and empty the form again.

use leptos::prelude::*;

use super::Lookups;
use crate::{
    api::validate::Invalid,
    components::form::{CheckGroup, FormProblem, SelectField, TextArea, TextField},
};

/// Choices of a select or a group of checkboxes: (value, label) pairs.
pub type Options = Signal<Vec<(String, String)>>;

/// What kind of input, and the signal it writes to.
#[derive(Clone)]
pub enum Control {
    Text {
        value: RwSignal<String>,
        input_type: &'static str,
        autocomplete: Option<&'static str>,
    },
    TextArea {
        value: RwSignal<String>,
        rows: u32,
    },
    Select {
        value: RwSignal<String>,
        options: Options,
        placeholder: Option<&'static str>,
    },
    Checks {
        chosen: RwSignal<Vec<String>>,
        options: Options,
    },
}

/// What 清空 (and a successful save) does to a field.
#[derive(Clone)]
enum Reset {
    /// Empty it.
    Empty,
    /// Put this text back (a default worth starting from).
    To(String),
    /// Leave it: the next record is often in the same center or unit.
    Keep,
}

#[derive(Clone)]
pub struct Field {
    /// The input's id, which the error summary links to.
    pub id: &'static str,
    pub label: &'static str,
    /// The request field that errors name (`ApiError::field`), e.g. `center_id`.
    pub name: &'static str,
    control: Control,
    required: bool,
    hint: Option<&'static str>,
    /// Shown only while this holds.
    shown: Option<Signal<bool>>,
    /// Shown but not editable while this holds (a code that cannot change once saved).
    readonly: Option<Signal<bool>>,
    reset: Reset,
}

impl Field {
    fn new(id: &'static str, label: &'static str, name: &'static str, control: Control) -> Self {
        Field {
            id,
            label,
            name,
            control,
            required: false,
            hint: None,
            shown: None,
            readonly: None,
            reset: Reset::Empty,
        }
    }

    pub fn text(
        id: &'static str,
        label: &'static str,
        name: &'static str,
        value: RwSignal<String>,
    ) -> Self {
        let control = Control::Text {
            value,
            input_type: "text",
            autocomplete: None,
        };
        Field::new(id, label, name, control)
    }

    pub fn text_area(
        id: &'static str,
        label: &'static str,
        name: &'static str,
        value: RwSignal<String>,
    ) -> Self {
        Field::new(id, label, name, Control::TextArea { value, rows: 4 })
    }

    /// A text input of another type (`time`, `number`).
    pub fn typed(mut self, kind: &'static str) -> Self {
        if let Control::Text { input_type, .. } = &mut self.control {
            *input_type = kind;
        }
        self
    }

    /// A text area of this many rows.
    pub fn rows(mut self, count: u32) -> Self {
        if let Control::TextArea { rows, .. } = &mut self.control {
            *rows = count;
        }
        self
    }

    pub fn readonly_when(mut self, when: Signal<bool>) -> Self {
        self.readonly = Some(when);
        self
    }

    pub fn select(
        id: &'static str,
        label: &'static str,
        name: &'static str,
        value: RwSignal<String>,
        options: Options,
    ) -> Self {
        let control = Control::Select {
            value,
            options,
            placeholder: None,
        };
        Field::new(id, label, name, control)
    }

    pub fn checks(
        id: &'static str,
        label: &'static str,
        name: &'static str,
        chosen: RwSignal<Vec<String>>,
        options: Options,
    ) -> Self {
        Field::new(id, label, name, Control::Checks { chosen, options })
    }

    /// The center a unit or window belongs to, among the active ones. The choice stays when the
    /// form is emptied: the next record is often in the same center.
    pub fn center(id: &'static str, value: RwSignal<String>, lists: Signal<Lookups>) -> Self {
        let centers = Signal::derive(move || lists.with(Lookups::active_centers));
        let field = Field::select(id, "所属服务中心", "center_id", value, centers);
        field.placeholder("请选择").kept()
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// A select's first, empty choice.
    pub fn placeholder(mut self, text: &'static str) -> Self {
        if let Control::Select { placeholder, .. } = &mut self.control {
            *placeholder = Some(text);
        }
        self
    }

    /// A password input, which the browser may offer to fill with a new password.
    pub fn new_password(mut self) -> Self {
        if let Control::Text {
            input_type,
            autocomplete,
            ..
        } = &mut self.control
        {
            *input_type = "password";
            *autocomplete = Some("new-password");
        }
        self
    }

    pub fn shown_when(mut self, when: Signal<bool>) -> Self {
        self.shown = Some(when);
        self
    }

    /// Keeps the value when the form is emptied.
    pub fn kept(mut self) -> Self {
        self.reset = Reset::Keep;
        self
    }

    /// Puts `text` back when the form is emptied.
    pub fn resets_to(mut self, text: String) -> Self {
        self.reset = Reset::To(text);
        self
    }

    /// Empties the field for the next record (or leaves it, see `kept`).
    pub fn clear(&self) {
        let text = match &self.reset {
            Reset::Keep => return,
            Reset::Empty => String::new(),
            Reset::To(text) => text.clone(),
        };
        match &self.control {
            Control::Text { value, .. }
            | Control::TextArea { value, .. }
            | Control::Select { value, .. } => value.set(text),
            Control::Checks { chosen, .. } => chosen.set(Vec::new()),
        }
    }

    /// The field with its label, hint and `error` (the message at the field).
    pub fn view(self, error: Signal<Option<String>>) -> AnyView {
        let Field {
            id,
            label,
            required,
            hint,
            shown,
            readonly,
            ..
        } = self;
        let readonly = Signal::derive(move || readonly.is_some_and(|r| r.get()));
        let control = move || match self.control.clone() {
            Control::Text {
                value,
                input_type,
                autocomplete,
            } => view! {
                <TextField id label value required hint input_type autocomplete readonly error />
            }
            .into_any(),
            Control::TextArea { value, rows } => {
                view! { <TextArea id label value required hint rows error /> }.into_any()
            }
            Control::Select {
                value,
                options,
                placeholder,
            } => view! { <SelectField id label value options placeholder error /> }.into_any(),
            // A group's hint is what it says while it offers nothing.
            Control::Checks { chosen, options } => {
                view! { <CheckGroup id legend=label options chosen error empty=hint /> }.into_any()
            }
        };
        match shown {
            Some(when) => {
                view! { <Show when=move || when.get()>{control.clone()}</Show> }.into_any()
            }
            None => control().into_any(),
        }
    }
}

/// Each field with the message of `problem` that concerns it (by its request field's name).
pub fn fields_view(fields: Vec<Field>, problem: FormProblem) -> Vec<AnyView> {
    let shown = fields.into_iter().map(|field| {
        let error = problem.at(field.name);
        field.view(error)
    });
    shown.collect()
}

/// The center chosen in a `Field::center`.
pub fn chosen_center(value: RwSignal<String>) -> Result<i64, Invalid> {
    let chosen = value.get_untracked().parse::<i64>();
    chosen.map_err(|_| Invalid::new("required", "center_id", "请选择所属服务中心"))
}
