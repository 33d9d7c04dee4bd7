use clap::Parser;
use server::{
    Application,
    cli::{self, Cli, Command},
    config::Settings,
    telemetry,
    time_source::ShiftedClock,
};

/// See `mimalloc` in `Cargo.toml`.
#[global_allocator]
static HEAP: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    let settings = match Settings::load(&cli.overrides()) {
        Ok(s) => s,
        Err(err) => {
            eprintln!("配置错误 / configuration error: {err}");
            std::process::exit(2);
        }
    };
    match cli.command.clone().unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = match cli.demo_clock {
                Some(start) => {
                    let clock = ShiftedClock::starting_at(start.with_timezone(&chrono::Utc));
                    Application::build_with_clock(settings, std::sync::Arc::new(clock)).await?
                }
                None => Application::build(settings).await?,
            };
            let db = app.db();
            println!(
                "政务窗口已启动：http://{}:{}/  （数据库：{}）",
                app.state.settings.addr.ip(),
                app.port(),
                db.backend_name()
            );
            app.run().await?;
        }
        Command::Openapi => {
            println!("{:#}", server::openapi::full_document());
        }
        Command::Backup { dest } => {
            let bytes = cli::backup(&settings, &dest).await?;
            println!("备份完成：{}（{} 字节）", dest.display(), bytes);
        }
        Command::AuditSeal => {
            cli::audit_seal(&settings).await?;
            println!("审计链已用配置的审计密钥封存");
        }
        Command::AuditVerify { anchors } => {
            let result = cli::audit_verify(&settings, anchors).await?;
            if result.ok {
                println!("审计链完整：共 {} 条记录", result.records);
            } else {
                println!(
                    "审计链断裂：第一条异常记录 id={}（{}）",
                    result.first_broken_id.unwrap_or_default(),
                    result.reason.unwrap_or_default()
                );
                std::process::exit(1);
            }
        }
    }
    Ok(())
}
