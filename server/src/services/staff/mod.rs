//! Staff: accounts, roles, windows, and signing in.

use std::collections::BTreeMap;

use app::api::{
    Me, Role,
    org::{StaffInput, StaffView},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, Func},
};

pub mod password;

use super::{
    Ctx, Principal,
    audit::{self, Change},
    org::{active_unit, active_windows, ensure_no_ticket_in_hand},
    paging::{Page, PageRequest},
    versioned,
};
use crate::{
    error::{AppError, AppResult, ErrorKind},
    services::{found, taken},
    store::entities::{queue_ticket, service_center, staff, staff_role, staff_window, unit},
};

const ENTITY: &str = "staff";

/// The principal of an active staff member, or `None` (unknown or deactivated).
pub async fn load_principal<C: ConnectionTrait>(
    db: &C,
    staff_id: i64,
) -> AppResult<Option<Principal>> {
    let Some(row) = staff::Entity::find_by_id(staff_id).one(db).await? else {
        return Ok(None);
    };
    if !row.active {
        return Ok(None);
    }
    let roles = roles_of(db, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let center_id = match row.unit_id {
        Some(id) => unit::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| u.center_id),
        None => None,
    };
    Ok(Some(Principal {
        id: row.id,
        center_id,
        credential_stamp: password::credential_stamp(&row.password_hash),
        staff_number: row.staff_number,
        name: row.name,
        unit_id: row.unit_id,
        roles,
    }))
}

/// Checks a staff number and password. Unknown number, wrong password and deactivated account
/// all answer the same `invalid_credentials`, after the same amount of hashing work.
/// Whether the unit has an active chief representative (a staff member of the unit holding the
/// role) other than `except`: someone who can decide what a chief decides, never one's own
/// request.
pub async fn has_active_chief<C: ConnectionTrait>(
    db: &C,
    unit_id: i64,
    except: &[i64],
) -> AppResult<bool> {
    let chiefs: Vec<i64> = staff_role::Entity::find()
        .filter(staff_role::Column::Role.eq(Role::ChiefRepresentative.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.staff_id)
        .collect();
    let present = staff::Entity::find()
        .filter(staff::Column::Id.is_in(chiefs))
        .filter(staff::Column::UnitId.eq(unit_id))
        .filter(staff::Column::Active.eq(true))
        .filter(staff::Column::Id.is_not_in(except.iter().copied()))
        .count(db)
        .await?;
    Ok(present > 0)
}

/// A request that only the unit's chief representative decides (an extension, a one-time
/// exception) is refused at once where nobody could ever decide it: it would wait while the
/// case ran out of time. Nobody decides what concerns them (`interested`: who asks, and whose
/// case it is), so a chief among them does not count.
pub async fn ensure_a_chief_decides<C: ConnectionTrait>(
    db: &C,
    unit_id: i64,
    interested: &[i64],
) -> AppResult<()> {
    if has_active_chief(db, unit_id, interested).await? {
        return Ok(());
    }
    Err(AppError::invalid(
        "no_chief_representative",
        "本单位没有可以审批的首席代表（本人的申请、本人负责的办件须由他人审批），申请无法提交；\
         请联系管理员指定首席代表",
    ))
}

/// The stamp of the password of the account `staff_number` (empty when there is no such
/// account): what a browser's device mark is signed under (see `routes::known_device`).
pub async fn credential_stamp_of(ctx: &Ctx, staff_number: &str) -> AppResult<String> {
    let row = by_number(ctx, staff_number).await?;
    Ok(row.map_or_else(String::new, |r| {
        password::credential_stamp(&r.password_hash)
    }))
}

/// The account a typed staff number names. Numbers are unique ignoring case (a tablet's
/// keyboard capitalises the first letter: "Clerk01" was refused as a wrong password), so a
/// number typed in another case names the one account that matches it ignoring case — only
/// when there is exactly one: a database from before that rule may hold two.
async fn by_number(ctx: &Ctx, staff_number: &str) -> AppResult<Option<staff::Model>> {
    let typed = staff_number.trim();
    let exact = staff::Entity::find()
        .filter(staff::Column::StaffNumber.eq(typed))
        .one(&ctx.db.conn)
        .await?;
    if exact.is_some() {
        return Ok(exact);
    }
    let lower = Func::lower(Expr::col(staff::Column::StaffNumber));
    let mut alike = staff::Entity::find()
        .filter(Expr::expr(lower).eq(typed.to_lowercase()))
        .limit(2)
        .all(&ctx.db.conn)
        .await?;
    Ok(if alike.len() == 1 { alike.pop() } else { None })
}

pub async fn authenticate(ctx: &Ctx, staff_number: &str, password_text: &str) -> AppResult<i64> {
    let row = by_number(ctx, staff_number).await?;
    let stored = row.as_ref().map(|r| r.password_hash.clone());
    let matches = password::verify(password_text.to_string(), stored).await?;
    match row {
        Some(r) if matches && r.active => Ok(r.id),
        _ => Err(AppError::new(
            ErrorKind::Unauthenticated,
            "invalid_credentials",
            "工号或密码不正确",
        )),
    }
}

pub async fn me<C: ConnectionTrait>(db: &C, staff_id: i64) -> AppResult<Me> {
    let view = get(db, staff_id).await?;
    let unit = match view.unit_id {
        Some(id) => unit::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let center = match &unit {
        Some(u) => {
            service_center::Entity::find_by_id(u.center_id)
                .one(db)
                .await?
        }
        None => None,
    };
    Ok(Me {
        staff: view,
        unit_name: unit.map(|u| u.name),
        center_id: center.as_ref().map(|c| c.id),
        center_name: center.map(|c| c.name),
    })
}

async fn roles_of<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<BTreeMap<i64, Vec<Role>>> {
    let rows = staff_role::Entity::find()
        .filter(staff_role::Column::StaffId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut map: BTreeMap<i64, Vec<Role>> = BTreeMap::new();
    for row in rows {
        if let Some(role) = Role::from_code(&row.role) {
            map.entry(row.staff_id).or_default().push(role);
        }
    }
    for roles in map.values_mut() {
        roles.sort();
    }
    Ok(map)
}

async fn windows_of<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<BTreeMap<i64, Vec<i64>>> {
    let rows = staff_window::Entity::find()
        .filter(staff_window::Column::StaffId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut map: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for row in rows {
        map.entry(row.staff_id).or_default().push(row.window_id);
    }
    for windows in map.values_mut() {
        windows.sort_unstable();
    }
    Ok(map)
}

async fn views<C: ConnectionTrait>(db: &C, rows: Vec<staff::Model>) -> AppResult<Vec<StaffView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut roles = roles_of(db, &ids).await?;
    let mut windows = windows_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| StaffView {
            id: r.id,
            roles: roles.remove(&r.id).unwrap_or_default(),
            window_ids: windows.remove(&r.id).unwrap_or_default(),
            staff_number: r.staff_number,
            name: r.name,
            unit_id: r.unit_id,
            active: r.active,
        })
        .collect())
}

/// The staff of the units of `center`: what a unit's staff may read of the directory (its staff
/// numbers are the accounts' login names; another hall's are none of their business).
fn of_center(center: i64) -> sea_orm::sea_query::SimpleExpr {
    let units = sea_orm::sea_query::Query::select()
        .column(unit::Column::Id)
        .from(unit::Entity)
        .and_where(unit::Column::CenterId.eq(center))
        .to_owned();
    staff::Column::UnitId.in_subquery(units)
}

/// One page of the staff in order of staff number (unique: a keyset), of `center` only when
/// one is given.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    request: &PageRequest<String>,
    center: Option<i64>,
) -> AppResult<Page<StaffView, String>> {
    let mut query = staff::Entity::find();
    if let Some(center) = center {
        query = query.filter(of_center(center));
    }
    if let Some(after) = &request.after {
        query = query.filter(staff::Column::StaffNumber.gt(after.as_str()));
    }
    let rows = query
        .order_by_asc(staff::Column::StaffNumber)
        .limit(request.fetch())
        .all(db)
        .await?;
    let page = request.page(rows, |r| r.staff_number.clone());
    Ok(Page {
        items: views(db, page.items).await?,
        next: page.next,
    })
}

pub async fn get<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<StaffView> {
    read(db, id, None).await
}

/// One staff member, of `center` only when one is given (another's is not found).
pub async fn read<C: ConnectionTrait>(
    db: &C,
    id: i64,
    center: Option<i64>,
) -> AppResult<StaffView> {
    let mut query = staff::Entity::find_by_id(id);
    if let Some(center) = center {
        query = query.filter(of_center(center));
    }
    let row = query
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("工作人员"))?;
    Ok(views(db, vec![row]).await?.remove(0))
}

/// Checks the references of a staff input (unit, windows) against the database.
async fn check_references(txn: &DatabaseTransaction, input: &StaffInput) -> AppResult<()> {
    if let Some(unit_id) = input.unit_id {
        active_unit(txn, unit_id, "unit_id").await?;
    }
    let windows = active_windows(txn, &input.window_ids, "window_ids").await?;
    if let Some(unit_id) = input.unit_id {
        for window in &windows {
            if !window.1.contains(&unit_id) {
                return Err(AppError::invalid(
                    "window_not_of_unit",
                    format!("窗口 {} 不服务于该工作人员所在单位", window.0.number),
                )
                .with_field("window_ids"));
            }
        }
    } else if !windows.is_empty() {
        return Err(
            AppError::invalid("unit_required", "分配窗口前须先选择所在单位").with_field("unit_id"),
        );
    }
    Ok(())
}

async fn write_links(
    txn: &DatabaseTransaction,
    staff_id: i64,
    input: &StaffInput,
) -> AppResult<()> {
    staff_role::Entity::delete_many()
        .filter(staff_role::Column::StaffId.eq(staff_id))
        .exec(txn)
        .await?;
    staff_window::Entity::delete_many()
        .filter(staff_window::Column::StaffId.eq(staff_id))
        .exec(txn)
        .await?;
    for role in &input.roles {
        staff_role::ActiveModel {
            staff_id: Set(staff_id),
            role: Set(role.code().to_string()),
        }
        .insert(txn)
        .await?;
    }
    for window_id in &input.window_ids {
        staff_window::ActiveModel {
            staff_id: Set(staff_id),
            window_id: Set(*window_id),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

async fn ensure_number_free(
    txn: &DatabaseTransaction,
    number: &str,
    except: Option<i64>,
) -> AppResult<()> {
    // Case does not tell two people apart: "CLERK01" beside "clerk01" would share the login
    // limiter's budget (which lowercases) and confuse whoever reads the audit log.
    let lower = Func::lower(Expr::col(staff::Column::StaffNumber));
    let same_number = staff::Entity::find().filter(Expr::expr(lower).eq(number.to_lowercase()));
    if taken(txn, same_number, staff::Column::Id, except).await? {
        return Err(
            AppError::conflict("staff_number_taken", format!("工号 {number} 已被使用"))
                .with_field("staff_number"),
        );
    }
    Ok(())
}

pub async fn create(ctx: &Ctx, actor: Option<i64>, input: StaffInput) -> AppResult<StaffView> {
    let now = ctx.now;
    let input = input.validated()?;
    let Some(password_text) = input.password.clone() else {
        return Err(AppError::invalid("required", "请设置初始密码").with_field("password"));
    };
    password::check_strength(&password_text)?;
    let hash = password::hash(password_text).await?;
    ctx.write(move |txn, _| {
        Box::pin(async move {
            ensure_number_free(txn, &input.staff_number, None).await?;
            check_references(txn, &input).await?;
            let row = staff::ActiveModel {
                staff_number: Set(input.staff_number.clone()),
                name: Set(input.name.clone()),
                unit_id: Set(input.unit_id),
                password_hash: Set(hash),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            write_links(txn, row.id, &input).await?;
            let view = get(txn, row.id).await?;
            audit::record_views(
                txn,
                now,
                actor,
                ("staff.create", ENTITY),
                row.id,
                None,
                view,
            )
            .await
        })
    })
    .await
}

pub async fn update(ctx: &Ctx, actor: i64, id: i64, input: StaffInput) -> AppResult<StaffView> {
    let now = ctx.now;
    let input = input.validated()?;
    let new_hash = match input.password.clone() {
        Some(p) => {
            password::check_strength(&p)?;
            Some(password::hash(p).await?)
        }
        None => None,
    };
    ctx.write(move |txn, _| {
        Box::pin(async move {
            let before = get(txn, id).await?;
            if id == actor
                && before.roles.contains(&Role::Admin)
                && !input.roles.contains(&Role::Admin)
            {
                return Err(AppError::conflict(
                    "cannot_drop_own_admin",
                    "不能取消自己的系统管理员角色",
                ));
            }
            ensure_number_free(txn, &input.staff_number, Some(id)).await?;
            check_references(txn, &input).await?;
            let mut row: staff::ActiveModel =
                found(txn, staff::Entity, id, "工作人员").await?.into();
            row.staff_number = Set(input.staff_number.clone());
            row.name = Set(input.name.clone());
            row.unit_id = Set(input.unit_id);
            let reset = new_hash.is_some();
            if let Some(hash) = new_hash {
                row.password_hash = Set(hash);
            }
            row.updated_at = Set(now);
            row.update(txn).await?;
            write_links(txn, id, &input).await?;
            if reset {
                // The views hold no password: without a record of its own, an administrator
                // could set a clerk's password, sign in as them and leave no trace of it.
                let change = Change {
                    actor_id: Some(actor),
                    action: "staff.reset_password",
                    entity: ENTITY,
                    entity_id: id.to_string(),
                    before: None,
                    after: None,
                };
                audit::record(txn, now, change).await?;
            }
            let after = get(txn, id).await?;
            audit::record_views(
                txn,
                now,
                Some(actor),
                ("staff.update", ENTITY),
                id,
                Some(&before),
                after,
            )
            .await
        })
    })
    .await
}

pub async fn set_active(ctx: &Ctx, actor: i64, id: i64, on: bool) -> AppResult<()> {
    if id == actor && !on {
        return Err(AppError::conflict(
            "cannot_deactivate_self",
            "不能停用自己的账号",
        ));
    }
    ctx.write(move |txn, ctx| {
        Box::pin(async move {
            let row = found(txn, staff::Entity, id, "工作人员").await?;
            if !on && row.active {
                let theirs = Condition::any()
                    .add(queue_ticket::Column::CalledBy.eq(id))
                    .add(queue_ticket::Column::ServedBy.eq(id));
                ensure_no_ticket_in_hand(txn, theirs, "该工作人员").await?;
            }
            versioned::set_active(txn, ctx.now, actor, row, on).await?;
            Ok(())
        })
    })
    .await
}

pub async fn change_password(
    ctx: &Ctx,
    staff_id: i64,
    current: String,
    new: String,
) -> AppResult<()> {
    let now = ctx.now;
    password::check_strength(&new).map_err(|e| e.with_field("new_password"))?;
    let row = staff::Entity::find_by_id(staff_id)
        .one(&ctx.db.conn)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    app::api::validate::password_names_account(&new, &row.staff_number, "new_password")?;
    let same = current == new;
    if !password::verify(current, Some(row.password_hash.clone())).await? {
        return Err(
            AppError::invalid("wrong_password", "当前密码不正确").with_field("current_password")
        );
    }
    if same {
        return Err(
            AppError::invalid("same_password", "新密码不能与当前密码相同")
                .with_field("new_password"),
        );
    }
    let hash = password::hash(new).await?;
    ctx.write(move |txn, _| {
        Box::pin(async move {
            let mut model: staff::ActiveModel = row.into();
            model.password_hash = Set(hash);
            model.updated_at = Set(now);
            model.update(txn).await?;
            audit::record(
                txn,
                now,
                Change {
                    actor_id: Some(staff_id),
                    action: "staff.change_password",
                    entity: ENTITY,
                    entity_id: staff_id.to_string(),
                    before: None,
                    after: None,
                },
            )
            .await
        })
    })
    .await
}
