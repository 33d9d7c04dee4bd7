//! 收费、地点与电话: the fee and its basis, where the item is handled and whom to call.

use leptos::prelude::*;

use crate::{
    api::catalog::ServiceItem,
    components::form::FormProblem,
    pages::admin::org_panel::{Field, fields_view},
};

#[derive(Clone, Copy)]
pub struct Fees {
    fee: RwSignal<String>,
    place: RwSignal<String>,
    phone: RwSignal<String>,
}

impl Fees {
    pub fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Fees {
            fee: text(),
            place: text(),
            phone: text(),
        }
    }

    pub fn load(self, item: &ServiceItem) {
        self.fee.set(item.fee.clone().unwrap_or_default());
        self.place.set(item.place.clone());
        self.phone.set(item.phone.clone());
    }

    pub fn clear(self) {
        for text in [self.fee, self.place, self.phone] {
            text.set(String::new());
        }
    }

    /// The fee (`None`: free of charge), the place and the phone as typed.
    pub fn read(self) -> (Option<String>, String, String) {
        let fee = self.fee.get_untracked();
        (
            (!fee.trim().is_empty()).then_some(fee),
            self.place.get_untracked(),
            self.phone.get_untracked(),
        )
    }
}

/// The ids of the inputs, by the request field an error names.
pub fn target(field: &str) -> Option<&'static str> {
    Some(match field {
        "fee" => "item-fee",
        "place" => "item-place",
        "phone" => "item-phone",
        _ => return None,
    })
}

#[component]
pub fn FeesFieldset(fees: Fees, problem: FormProblem) -> impl IntoView {
    let fee = Field::text("item-fee", "收费标准及依据", "fee", fees.fee).hint("留空表示不收费");
    let reach = vec![
        Field::text("item-place", "办理地点", "place", fees.place).required(),
        Field::text("item-phone", "咨询电话", "phone", fees.phone)
            .required()
            .hint("如 0951-6888123"),
    ];
    view! {
        <fieldset class="group">
            <legend>"收费、地点与电话"</legend>
            {fields_view(vec![fee], problem)}
            <div class="grid2">{fields_view(reach, problem)}</div>
        </fieldset>
    }
}
