//! 办事指南: the public catalog. A plain GET form (category, unit, words) whose values come back
//! as query parameters, so the page filters the same way with or without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{hooks::use_query_map, params::ParamsMap};

use crate::{
    api::{
        ApiError,
        catalog::{self, CatalogQuery, ItemCategory, ServiceItem},
    },
    components::{
        feedback::{ErrorBox, Loading},
        form::selected_option,
        suspend::suspend,
    },
};

/// The filters as read from the address.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    category: Option<ItemCategory>,
    unit: Option<i64>,
    q: String,
}

impl Filters {
    /// Unknown or malformed values are ignored (the filter is then "all").
    fn from_query(query: &ParamsMap) -> Self {
        Filters {
            category: query.get_str("category").and_then(ItemCategory::from_code),
            unit: query.get_str("unit").and_then(|u| u.trim().parse().ok()),
            q: query.get_str("q").unwrap_or_default().trim().to_string(),
        }
    }

    fn is_empty(&self) -> bool {
        self.category.is_none() && self.unit.is_none() && self.q.is_empty()
    }

    fn as_query(&self) -> CatalogQuery {
        CatalogQuery {
            category: self.category,
            unit: self.unit,
            center: None,
            q: (!self.q.is_empty()).then(|| self.q.clone()),
        }
    }
}

/// The units of the catalog as (id, label) options; a unit name held by units of several
/// centers is told apart by its center.
fn unit_options(items: &[ServiceItem]) -> Vec<(i64, String)> {
    let mut units: Vec<(i64, String, String)> = Vec::new();
    for item in items {
        if !units.iter().any(|(id, _, _)| *id == item.unit_id) {
            units.push((
                item.unit_id,
                item.unit_name.clone(),
                item.center_name.clone(),
            ));
        }
    }
    units.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    units
        .iter()
        .map(|(id, name, center)| {
            let shared = units.iter().filter(|(_, n, _)| n == name).count() > 1;
            let label = if shared {
                format!("{name}（{center}）")
            } else {
                name.clone()
            };
            (*id, label)
        })
        .collect()
}

/// The unit options (from the whole catalog) and the items matching the filters.
async fn load(filters: Filters) -> Result<(Vec<(i64, String)>, Vec<ServiceItem>), ApiError> {
    // Joined, both calls start on the first poll, while the render's context is current (a call
    // started after an await may find it gone), and they run at once.
    let filtered = (!filters.is_empty()).then(|| filters.as_query());
    let (all, filtered) = futures::try_join!(catalog::list(CatalogQuery::default()), async move {
        match filtered {
            Some(query) => catalog::list(query).await.map(Some),
            None => Ok(None),
        }
    })?;
    let units = unit_options(&all.items);
    let matches = filtered.map_or(all.items, |f| f.items);
    Ok((units, matches))
}

#[component]
pub fn GuideList() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(Filters::from_query));
    let data = Resource::new(move || filters.get(), load);
    view! {
        <Title text="办事指南" />
        <section class="hero guide-hero">
            <h1>"办事指南"</h1>
            <p>
                "按事项类别、实施单位或关键词查找事项，查看申请条件、所需材料、办理时限和收费标准。\
                    材料请一次带齐。"
            </p>
        </section>
        <Suspense fallback=Loading>
            {move || suspend(async move {
                let current = filters.get_untracked();
                match data.await {
                    Ok((units, items)) => {
                        view! {
                            <FilterForm filters=current.clone() units=units />
                            <Results items=items filtered=!current.is_empty() />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(filters: Filters, units: Vec<(i64, String)>) -> impl IntoView {
    let category = filters.category;
    let unit = filters.unit;
    let filtered = !filters.is_empty();
    view! {
        <form
            method="get"
            action="/guide"
            class="panel guide-filter"
            role="search"
            aria-label="查询办事指南"
        >
            <div class="field">
                <label for="guide-category">"事项类别"</label>
                <select id="guide-category" name="category">
                    {selected_option("", "全部类别", category.is_none())}
                    {ItemCategory::ALL
                        .into_iter()
                        .map(|c| selected_option(c.code(), c.label(), category == Some(c)))
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="guide-unit">"实施单位"</label>
                <select id="guide-unit" name="unit">
                    {selected_option("", "全部单位", unit.is_none())}
                    {units
                        .into_iter()
                        .map(|(id, label)| selected_option(id, label, unit == Some(id)))
                        .collect_view()}
                </select>
            </div>
            <div class="field guide-filter-q">
                <label for="guide-q">"关键词"</label>
                <input
                    id="guide-q"
                    name="q"
                    type="search"
                    value=filters.q.clone()
                    placeholder="事项名称、编码或设定依据"
                    autocomplete="off"
                />
            </div>
            <div class="guide-filter-actions">
                <button type="submit" class="button primary">
                    "查询"
                </button>
                {filtered
                    .then(|| {
                        view! {
                            <a class="button ghost" href="/guide">
                                "清除条件"
                            </a>
                        }
                    })}
            </div>
        </form>
    }
}

#[component]
fn Results(items: Vec<ServiceItem>, filtered: bool) -> impl IntoView {
    let count = items.len();
    view! {
        <section aria-labelledby="guide-results-title">
            <h2 id="guide-results-title">"事项列表"</h2>
            {if items.is_empty() {
                view! {
                    <div class="panel empty-note" role="status">
                        <p>
                            {if filtered {
                                "没有找到符合条件的事项。请减少查询条件或换个关键词再试。"
                            } else {
                                "目前没有可公开查询的事项。"
                            }}
                        </p>
                        {filtered
                            .then(|| {
                                view! {
                                    <p>
                                        <a href="/guide">"查看全部事项"</a>
                                    </p>
                                }
                            })}
                    </div>
                }
                    .into_any()
            } else {
                view! {
                    <p class="muted" role="status">
                        {format!("共 {count} 项")}
                    </p>
                    <ul class="cards guide-list">
                        {items
                            .into_iter()
                            .map(|item| view! { <ItemCard item=item /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn ItemCard(item: ServiceItem) -> impl IntoView {
    let href = format!("/guide/{}", item.code);
    view! {
        <li class="card guide-card">
            <h3>
                <a href=href>{item.name.clone()}</a>
                {item
                    .commitment
                    .is_some()
                    .then(|| view! { <span class="badge commitment">"告知承诺"</span> })}
            </h3>
            <dl class="facts">
                <dt>"事项类别"</dt>
                <dd>{item.category.label()}</dd>
                <dt>"实施单位"</dt>
                <dd>{item.unit_name.clone()}</dd>
                <dt>"办理时限"</dt>
                <dd>{item.time_limit.promised_label()}</dd>
                <dt>"事项编码"</dt>
                <dd class="code">{item.code.clone()}</dd>
            </dl>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_ignore_unknown_values() {
        let mut q = ParamsMap::new();
        q.insert("category", "nonsense".into());
        q.insert("unit", "x".into());
        q.insert("q", "  营业执照 ".into());
        let f = Filters::from_query(&q);
        assert_eq!(f.category, None);
        assert_eq!(f.unit, None);
        assert_eq!(f.q, "营业执照");
        assert!(!f.is_empty());
        assert!(Filters::from_query(&ParamsMap::new()).is_empty());
    }
}
