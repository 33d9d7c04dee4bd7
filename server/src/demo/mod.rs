//! Demo data (`--demo`): a district hall and a town center, three units, six windows, a staff
//! member for every role, and a catalog of realistic items. Loaded only when asked, and only into
//! an empty organisation.

pub mod catalog;

use app::api::{
    Role,
    org::{CenterInput, CenterKind, StaffInput, UnitInput, WindowInput},
};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::{
    services::{Ctx, org, staff},
    store::entities::service_center,
};

/// The one password of every demo account (printed at start; demo mode only).
pub const DEMO_PASSWORD: &str = "chuangkou-demo";

/// The area the demo hall serves (`region_name` when the settings leave it empty).
pub const REGION_NAME: &str = "金凤区";

/// Demo accounts: staff number, name, role.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 7] = [
    ("clerk01", "王晓燕", Role::Clerk),
    ("clerk02", "李建军", Role::Clerk),
    ("clerk03", "马红梅", Role::Clerk),
    ("chief01", "张卫东", Role::ChiefRepresentative),
    ("chief02", "刘芳", Role::ChiefRepresentative),
    ("super01", "赵督查", Role::Supervisor),
    ("admin", "系统管理员", Role::Admin),
];

pub async fn load(ctx: &Ctx) -> anyhow::Result<()> {
    if service_center::Entity::find().count(ctx.conn()).await? > 0 {
        tracing::info!("demo data: the organisation is not empty, nothing loaded");
        print_accounts();
        return Ok(());
    }
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo data: {e}");

    let hall = org::create_center(
        ctx,
        None,
        CenterInput {
            name: "金凤区政务服务中心".into(),
            kind: CenterKind::District,
            address: "宁夏回族自治区银川市金凤区市民大厅一楼".into(),
            phone: "0951-6888123".into(),
            business_hours: Some(rules::BusinessHours::district_hall_default()),
        },
    )
    .await
    .map_err(fail)?;
    let town = org::create_center(
        ctx,
        None,
        CenterInput {
            name: "良田镇民生服务中心".into(),
            kind: CenterKind::Town,
            address: "银川市金凤区良田镇便民服务路 8 号".into(),
            phone: "0951-6012345".into(),
            business_hours: Some(town_hours()),
        },
    )
    .await
    .map_err(fail)?;

    let unit = |center_id: i64, name: &str, phone: &str| UnitInput {
        center_id,
        name: name.into(),
        phone: Some(phone.into()),
        chief_representative_id: None,
    };
    let market = org::create_unit(ctx, None, unit(hall.id, "区市场监督管理局", "0951-6888201"))
        .await
        .map_err(fail)?;
    let social = org::create_unit(
        ctx,
        None,
        unit(hall.id, "区人力资源和社会保障局", "0951-6888202"),
    )
    .await
    .map_err(fail)?;
    let town_affairs =
        org::create_unit(ctx, None, unit(town.id, "良田镇社会事务办", "0951-6012346"))
            .await
            .map_err(fail)?;

    let window = |center_id: i64, number: &str, name: &str, units: Vec<i64>| WindowInput {
        center_id,
        number: number.into(),
        name: Some(name.into()),
        unit_ids: units,
    };
    let a01 = org::create_window(
        ctx,
        None,
        window(hall.id, "A01", "企业开办", vec![market.id]),
    )
    .await
    .map_err(fail)?;
    let a02 = org::create_window(
        ctx,
        None,
        window(hall.id, "A02", "食品经营许可", vec![market.id]),
    )
    .await
    .map_err(fail)?;
    let b01 = org::create_window(
        ctx,
        None,
        window(hall.id, "B01", "社保业务", vec![social.id]),
    )
    .await
    .map_err(fail)?;
    let b02 = org::create_window(
        ctx,
        None,
        window(hall.id, "B02", "就业创业", vec![social.id]),
    )
    .await
    .map_err(fail)?;
    org::create_window(
        ctx,
        None,
        window(hall.id, "C01", "综合受理", vec![market.id, social.id]),
    )
    .await
    .map_err(fail)?;
    let t01 = org::create_window(
        ctx,
        None,
        window(town.id, "01", "综合窗口", vec![town_affairs.id]),
    )
    .await
    .map_err(fail)?;

    let person =
        |number: &str, name: &str, unit_id: Option<i64>, windows: Vec<i64>, roles: Vec<Role>| {
            StaffInput {
                staff_number: number.into(),
                name: name.into(),
                unit_id,
                window_ids: windows,
                roles,
                password: Some(DEMO_PASSWORD.into()),
            }
        };
    let [clerk01, clerk02, clerk03, chief01, chief02, super01, admin] = DEMO_ACCOUNTS;
    let c1 = staff::create(
        ctx,
        None,
        person(
            clerk01.0,
            clerk01.1,
            Some(market.id),
            vec![a01.id, a02.id],
            vec![Role::Clerk],
        ),
    )
    .await
    .map_err(fail)?;
    let c2 = staff::create(
        ctx,
        None,
        person(
            clerk02.0,
            clerk02.1,
            Some(social.id),
            vec![b01.id, b02.id],
            vec![Role::Clerk],
        ),
    )
    .await
    .map_err(fail)?;
    let c3 = staff::create(
        ctx,
        None,
        person(
            clerk03.0,
            clerk03.1,
            Some(town_affairs.id),
            vec![t01.id],
            vec![Role::Clerk],
        ),
    )
    .await
    .map_err(fail)?;
    let chief_market = staff::create(
        ctx,
        None,
        person(
            chief01.0,
            chief01.1,
            Some(market.id),
            vec![],
            vec![Role::ChiefRepresentative],
        ),
    )
    .await
    .map_err(fail)?;
    let chief_social = staff::create(
        ctx,
        None,
        person(
            chief02.0,
            chief02.1,
            Some(social.id),
            vec![],
            vec![Role::ChiefRepresentative],
        ),
    )
    .await
    .map_err(fail)?;
    staff::create(
        ctx,
        None,
        person(super01.0, super01.1, None, vec![], vec![Role::Supervisor]),
    )
    .await
    .map_err(fail)?;
    staff::create(
        ctx,
        None,
        person(admin.0, admin.1, None, vec![], vec![Role::Admin]),
    )
    .await
    .map_err(fail)?;

    for (unit_view, chief) in [(&market, &chief_market), (&social, &chief_social)] {
        org::update_unit(
            ctx,
            None,
            unit_view.id,
            UnitInput {
                center_id: unit_view.center_id,
                name: unit_view.name.clone(),
                phone: unit_view.phone.clone(),
                chief_representative_id: Some(chief.id),
            },
        )
        .await
        .map_err(fail)?;
    }
    let units = catalog::DemoUnits {
        market: market.id,
        social: social.id,
        town_affairs: town_affairs.id,
    };
    for item in catalog::items(&units) {
        crate::services::catalog::save(ctx, None, None, item)
            .await
            .map_err(fail)?;
    }
    // Queues (ticket letters) and after-hours slots with their duty roster.
    let queue =
        |center_id: i64, letter: &str, unit_id: i64, name: &str| app::api::queue::QueueInput {
            center_id,
            letter: letter.into(),
            unit_id,
            name: name.into(),
        };
    for q in [
        queue(hall.id, "A", market.id, "市场监管业务"),
        queue(hall.id, "B", social.id, "人社业务"),
        queue(town.id, "A", town_affairs.id, "社会事务"),
    ] {
        crate::services::queue::create_queue(ctx, None, q)
            .await
            .map_err(fail)?;
    }
    let time = |h: u32, m: u32| chrono::NaiveTime::from_hms_opt(h, m, 0).expect("valid time");
    let slot = |center_id: i64,
                name: &str,
                weekdays: Vec<u32>,
                from: (u32, u32),
                to: (u32, u32),
                capacity: i32,
                duty: Vec<i64>| {
        app::api::appointments::SlotRuleInput {
            center_id,
            unit_id: None,
            name: name.into(),
            weekdays,
            rest_days: false,
            public_holidays: false,
            item_codes: Vec::new(),
            start_time: time(from.0, from.1),
            end_time: time(to.0, to.1),
            capacity,
            duty_staff_ids: duty,
        }
    };
    for rule in [
        // Every working day: a Saturday or Sunday is one only when it is worked (调休), with the
        // working days' hours and so their evening too.
        slot(
            hall.id,
            "工作日下班后",
            vec![1, 2, 3, 4, 5, 6, 7],
            (17, 0),
            (19, 0),
            10,
            vec![c1.id, c2.id],
        ),
        // 公休日 (Saturdays and Sundays off): 延时服务 on rest days (Seed §二(四)).
        app::api::appointments::SlotRuleInput {
            rest_days: true,
            ..slot(
                hall.id,
                "公休日上午",
                vec![],
                (9, 0),
                (12, 0),
                20,
                vec![c1.id],
            )
        },
        slot(
            town.id,
            "工作日下班后",
            vec![1, 2, 3, 4, 5, 6, 7],
            // After the summer close (18:00) too: a slot never shares time with opening hours.
            (18, 0),
            (19, 30),
            5,
            vec![c3.id],
        ),
    ] {
        crate::services::appointments::save_rule(ctx, None, None, rule)
            .await
            .map_err(fail)?;
    }
    tracing::info!("demo data loaded");
    print_accounts();
    Ok(())
}

/// The town center keeps its own hours: a long lunch break, and later afternoons in summer.
fn town_hours() -> rules::BusinessHours {
    use rules::hours::{DaySchedule, MonthDay, Season, Session, WeekSchedule};
    let day = |afternoon: ((u32, u32), (u32, u32))| {
        WeekSchedule::uniform(DaySchedule::new(vec![
            Session::hm((8, 30), (12, 0)),
            Session::hm(afternoon.0, afternoon.1),
        ]))
    };
    rules::BusinessHours {
        regular: day(((14, 0), (17, 30))),
        seasons: vec![Season {
            name: "夏季作息".into(),
            from: MonthDay::new(5, 1),
            to: MonthDay::new(9, 30),
            schedule: day(((14, 30), (18, 0))),
        }],
        closures: Vec::new(),
    }
}

fn print_accounts() {
    println!("演示账号（仅演示模式）— 密码均为 {DEMO_PASSWORD}");
    for (number, name, role) in DEMO_ACCOUNTS {
        println!("  {:<8} {:<6} {}", number, name, role.label());
    }
}
