//! 事项目录: every item of the catalog, active or not, with 编辑 and 停用/启用.

use leptos::prelude::*;

use super::super::{RowActions, TableHead, status_label};
use crate::api::catalog::ServiceItem;

#[component]
pub fn ItemTable(
    items: Vec<ServiceItem>,
    on_edit: Callback<ServiceItem>,
    /// (code, name, active) to set.
    on_toggle: Callback<(String, String, bool)>,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">"目录中还没有事项。"</p> }.into_any();
    }
    let rows = items.into_iter().map(|item| {
        let row = item.clone();
        let (code, name, active) = (item.code.clone(), item.name.clone(), item.active);
        let on_edit = Callback::new(move |()| on_edit.run(row.clone()));
        let on_toggle =
            Callback::new(move |()| on_toggle.run((code.clone(), name.clone(), !active)));
        let commitment = if item.commitment.is_some() {
            "是"
        } else {
            "否"
        };
        view! {
            <tr class:inactive=!active>
                <td class="code">{item.code}</td>
                <td>{item.name.clone()}</td>
                <td>{item.category.label()}</td>
                <td>{item.unit_name}</td>
                <td>{item.time_limit.promised_label()}</td>
                <td>{commitment}</td>
                <td class="nowrap">{status_label(active)}</td>
                <RowActions name=item.name active on_edit on_toggle />
            </tr>
        }
    });
    view! {
        <div class="catalog-list-wrap">
            <table class="table catalog-list">
                <TableHead columns=&[
                    "编码",
                    "事项名称",
                    "类别",
                    "实施单位",
                    "承诺时限",
                    "告知承诺",
                    "状态",
                    "操作",
                ] />
                <tbody>{rows.collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}
