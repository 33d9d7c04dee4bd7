//! The frame of every page: the header with role-aware navigation, and the footer.

use leptos::prelude::*;

use super::suspend::suspend;

use crate::{api::Role, session::Session};

#[component]
pub fn Header() -> impl IntoView {
    let session = Session::get();
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">
                    "窗"
                </span>
                <span>"政务窗口"</span>
            </a>
            <nav aria-label="主导航" class="mainnav">
                <Transition fallback=|| ()>
                    {move || suspend(async move {
                        match session.me.await {
                            Ok(me) => {
                                let roles: Vec<Role> = Role::ALL
                                    .into_iter()
                                    .filter(|r| me.has(*r))
                                    .collect();
                                let links = || {
                                    roles
                                        .iter()
                                        .map(|r| {
                                            let (label, href) = r.workspace();
                                            view! {
                                                <li>
                                                    <a href=href>{label}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()
                                };
                                let in_bar = links();
                                let in_menu = roles
                                    .iter()
                                    .flat_map(|r| r.menu().iter())
                                    .map(|(label, href)| {
                                        view! {
                                            <li>
                                                <a href=*href>{*label}</a>
                                            </li>
                                        }
                                    })
                                    .collect_view();
                                view! {
                                    <NavMenu>{in_menu}</NavMenu>
                                    <ul class="navlinks wide">{in_bar}</ul>
                                    <div class="whoami">
                                        <span class="who">{me.staff.name.clone()}</span>
                                        <form method="post" action="/session/logout">
                                            <button type="submit" class="linkish">
                                                "退出"
                                            </button>
                                        </form>
                                    </div>
                                }
                                    .into_any()
                            }
                            Err(_) => {
                                let links = || {
                                    view! {
                                        <li>
                                            <a href="/guide">"办事指南"</a>
                                        </li>
                                        <li>
                                            <a href="/track">"办件查询"</a>
                                        </li>
                                        <li>
                                            <a href="/booking">"预约办理"</a>
                                        </li>
                                        <li>
                                            <a href="/#centers">"服务中心"</a>
                                        </li>
                                    }
                                };
                                let (in_menu, in_bar) = (links(), links());
                                view! {
                                    <NavMenu>{in_menu}</NavMenu>
                                    <ul class="navlinks wide">{in_bar}</ul>
                                    <a class="button small" href="/login">
                                        "工作人员登录"
                                    </a>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Transition>
            </nav>
        </header>
    }
}

/// On a phone the links fold into a 菜单 that opens below the header (which stays one row, at
/// most 64 px); on a tablet they are in the header itself (`.navlinks.wide`). Works without script.
#[component]
fn NavMenu(children: Children) -> impl IntoView {
    view! {
        <details class="navmenu">
            <summary>"菜单"</summary>
            <ul class="navlinks">{children()}</ul>
        </details>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="footer">
            <p>"首问负责 · 一次性告知 · 限时办结 · 延时服务"</p>
            <p>
                <a href="/systems">"金凤区政务服务首问负责制等七项制度"</a>
            </p>
            <p>
                <a href="/rate">"服务评价（好差评）：输入评价码"</a>
            </p>
        </footer>
    }
}
