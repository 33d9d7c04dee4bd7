//! The monthly report's XLSX export with its progress (issue #13, "a long export shows
//! progress"): the server makes the file in the background and this button polls the job —
//! items of the month's list read of the total — until the file can be downloaded.

use leptos::prelude::*;

use crate::{
    api::{
        ApiError,
        supervision::{self, ExportJobView, ExportState},
    },
    components::feedback::ErrorBox,
};

/// How often the page asks for the job's progress.
const POLL_MS: u32 = 400;

/// Waits `ms` in the browser (an action's future runs only there).
async fn pause(ms: u32) {
    #[cfg(feature = "hydrate")]
    send_wrapper::SendWrapper::new(gloo_timers::future::TimeoutFuture::new(ms)).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = ms;
}

/// Starts the job, then follows it until it is made or fails; `job` holds the last answer.
async fn export(
    month: String,
    job: RwSignal<Option<ExportJobView>>,
    failed: RwSignal<Option<ApiError>>,
) {
    failed.set(None);
    job.set(None);
    let mut current = match supervision::start_monthly_export(month).await {
        Ok(j) => j,
        Err(e) => return failed.set(Some(e)),
    };
    loop {
        let running = current.state == ExportState::Running;
        let id = current.id;
        job.set(Some(current));
        if !running {
            return;
        }
        pause(POLL_MS).await;
        current = match supervision::export_job(id).await {
            Ok(j) => j,
            Err(e) => return failed.set(Some(e)),
        };
    }
}

/// "导出 Excel（XLSX）": makes the month's file with a progress bar, then offers it. Until the
/// script runs (and without it) the plain download link stands in its place.
#[component]
pub fn MonthlyExport(month: String) -> impl IntoView {
    let job = RwSignal::new(None::<ExportJobView>);
    let failed = RwSignal::new(None::<ApiError>);
    let start = Action::new(move |month: &String| export(month.clone(), job, failed));
    let busy = move || start.pending().get();
    // Effects run only in the browser: the server's page and the first render keep the link.
    let scripted = RwSignal::new(false);
    Effect::new(move |_| scripted.set(true));
    let direct = format!("/api/v1/supervision/monthly/xlsx?month={month}");
    view! {
        <div class="monthly-export no-print">
            {move || {
                if scripted.get() {
                    let month = month.clone();
                    view! {
                        <button
                            type="button"
                            class="button"
                            disabled=busy
                            on:click=move |_| {
                                start.dispatch(month.clone());
                            }
                        >
                            "导出 Excel（XLSX）"
                        </button>
                    }
                        .into_any()
                } else {
                    view! {
                        <a class="button" href=direct.clone() download>
                            "导出 Excel（XLSX）"
                        </a>
                    }
                        .into_any()
                }
            }}
            // One live region for the whole export, so that each step is read out.
            <div role="status" aria-live="polite">
                {move || job.get().map(|j| view! { <ExportProgress job=j /> })}
            </div>
            {move || failed.get().map(|e| view! { <ErrorBox error=e /> })}
        </div>
    }
}

/// The job's progress as a bar and a sentence; once made, the download link.
#[component]
fn ExportProgress(job: ExportJobView) -> impl IntoView {
    let text = match job.state {
        ExportState::Running if job.total > 0 && job.done >= job.total => {
            format!("已读取全部 {} 项，正在生成文件…", job.total)
        }
        ExportState::Running => format!(
            "正在导出：已处理 {} / {} 项（{}%）",
            job.done, job.total, job.percent
        ),
        ExportState::Ready => format!("导出完成：共 {} 项，可以下载。", job.total),
        ExportState::Failed => job.error.clone().unwrap_or_else(|| job.state_label.clone()),
    };
    let failed = job.state == ExportState::Failed;
    view! {
        <div class="export-progress">
            <progress aria-label="导出进度" max="100" value=job.percent.to_string()>
                {format!("{}%", job.percent)}
            </progress>
            <p class=if failed { "error-box" } else { "muted" }>{text}</p>
            {job
                .download
                .map(|href| {
                    let name = job.file_name.clone().unwrap_or_default();
                    view! {
                        <a class="button primary" href=href download=name>
                            "下载 Excel（XLSX）"
                        </a>
                    }
                })}
        </div>
    }
}
