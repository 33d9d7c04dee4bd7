//! Pages for one role: the content shows only to staff who hold it. The server checks again on
//! every call; this only spares people a page of errors.

use leptos::prelude::*;

use super::suspend::suspend;

use crate::{
    api::{Me, Role},
    components::feedback::Loading,
    session::Session,
};

/// Renders `render(me)` for a signed-in staff member holding `role` (or `also`, where a page
/// serves a second role too).
#[component]
pub fn RequireRole<F, V>(
    role: Role,
    render: F,
    #[prop(optional)] also: Option<Role>,
) -> impl IntoView
where
    F: Fn(Me) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let session = Session::get();
    view! {
        <Suspense fallback=Loading>
            {
                let render = render.clone();
                move || {
                    let render = render.clone();
                    suspend(async move {
                        match session.me.await {
                            Ok(me) if me.has(role) || also.is_some_and(|r| me.has(r)) => {
                                render(me).into_any()
                            }
                            Ok(_) => {
                                let who = match also {
                                    Some(r) => format!("{}、{}", role.label(), r.label()),
                                    None => role.label().to_string(),
                                };
                                view! {
                                    <section class="panel">
                                        <h1>"无权访问"</h1>
                                        <p>{format!("此页面仅供{who}使用。")}</p>
                                    </section>
                                }
                                    .into_any()
                            }
                            Err(_) => {
                                view! {
                                    <section class="panel">
                                        <h1>"请先登录"</h1>
                                        <p>"此页面供工作人员使用，请先登录。"</p>
                                        <p>
                                            <a class="button" href="/login">
                                                "前往登录"
                                            </a>
                                        </p>
                                    </section>
                                }
                                    .into_any()
                            }
                        }
                    })
                }
            }
        </Suspense>
    }
}
