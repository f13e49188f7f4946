//! Boards (categories), public and private.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;

use crate::boards::{BoardSettings, CrmTasks, Direction, Premoderation, StartThreads};

pub(super) fn category_row_to_model(r: CategoryRow) -> Category {
    let see_min_role = r.see_role();
    Category {
        id: r.id,
        slug: r.slug,
        name: r.name,
        description: r.description,
        is_private: see_min_role != Role::Customer,
        position: r.position,
        thread_count: r.thread_count,
        see_min_role,
        start_threads: StartThreads::from_stored(&r.start_threads),
        crm_tasks: CrmTasks::from_column(r.creates_crm_tasks),
        premoderation: Premoderation::parse(&r.premoderation).unwrap_or_default(),
        archived_at: r.archived_at,
        kind: crate::boards::BoardKind::from_stored(&r.kind),
    }
}

/// The roles that see what `viewer` sees.
fn roles_up_to(viewer: Option<Actor>) -> Vec<&'static str> {
    let top = viewer.map_or(Role::Customer, |a| a.role);
    [Role::Customer, Role::Agent, Role::Moderator, Role::Admin]
        .into_iter()
        .filter(|r| *r <= top)
        .map(Role::as_str)
        .collect()
}

pub(super) fn visible_category_ids(conn: &mut Conn, viewer: Option<Actor>) -> Result<Vec<i64>> {
    Ok(categories::table
        .filter(categories::see_min_role.eq_any(roles_up_to(viewer)))
        .select(categories::id)
        .load(conn)?)
}

pub fn list_categories(conn: &mut Conn, viewer: Option<Actor>) -> Result<Vec<Category>> {
    visible_boards(conn, viewer)
}

/// The boards a viewer may see, in order, as (id, slug, name).
pub fn board_names(conn: &mut Conn, viewer: Option<Actor>) -> Result<Vec<(i64, String, String)>> {
    Ok(visible_boards(conn, viewer)?
        .into_iter()
        .map(|c| (c.id, c.slug, c.name))
        .collect())
}

/// The boards a viewer may see, in order, with their settings and kept
/// thread counts.
pub fn visible_boards(conn: &mut Conn, viewer: Option<Actor>) -> Result<Vec<Category>> {
    let rows: Vec<CategoryRow> = categories::table
        .order((categories::position.asc(), categories::name.asc()))
        .select(CategoryRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|c| c.archived_at.is_none() && policy::can_see_category(viewer, c.see_role()))
        .map(category_row_to_model)
        .collect())
}

/// A board the viewer may see, with its settings and kept thread count.
pub fn visible_board(conn: &mut Conn, slug: &str, viewer: Option<Actor>) -> Result<Category> {
    let row: CategoryRow = categories::table
        .filter(categories::slug.eq(slug))
        .select(CategoryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("category"))?;
    if !policy::can_see_category(viewer, row.see_role()) {
        return Err(ForumError::NotFound("category"));
    }
    Ok(category_row_to_model(row))
}

pub fn category_by_slug(conn: &mut Conn, slug: &str, viewer: Option<Actor>) -> Result<Category> {
    visible_board(conn, slug, viewer)
}

/// Boards keep their thread count (threads not deleted, held ones too) in
/// a column, so no page walks a board's threads to show it. Creating a
/// thread adds one; the rarer changes (deleting, holding or restoring a
/// question, moving, importing) count the board again, which is exact
/// whatever the change was.
pub(super) fn add_board_thread(conn: &mut Conn, category_id: i64) -> Result<()> {
    diesel::update(categories::table.find(category_id))
        .set(categories::thread_count.eq(categories::thread_count + 1))
        .execute(conn)?;
    Ok(())
}

/// Count a board's threads again (see `add_board_thread`).
pub(super) fn recount_board_threads(conn: &mut Conn, category_id: i64) -> Result<()> {
    let n: i64 = threads::table
        .filter(threads::category_id.eq(category_id))
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    diesel::update(categories::table.find(category_id))
        .set(categories::thread_count.eq(n))
        .execute(conn)?;
    Ok(())
}

/// Count the board of this thread again.
pub(super) fn recount_board_of_thread(conn: &mut Conn, thread_id: i64) -> Result<()> {
    let category_id: i64 = threads::table
        .find(thread_id)
        .select(threads::category_id)
        .first(conn)?;
    recount_board_threads(conn, category_id)
}

pub fn insert_category(conn: &mut Conn, now: i64, rec: &CategoryRecord) -> Result<Category> {
    let row: CategoryRow = diesel::insert_into(categories::table)
        .values((
            categories::slug.eq(&rec.slug),
            categories::name.eq(&rec.name),
            categories::description.eq(&rec.description),
            categories::is_private.eq(rec.is_private),
            categories::see_min_role.eq(if rec.is_private {
                Role::Agent.as_str()
            } else {
                Role::Customer.as_str()
            }),
            categories::position.eq(rec.position),
            categories::kind.eq(rec.kind.as_str()),
            categories::created_at.eq(now),
        ))
        .returning(CategoryRow::as_returning())
        .get_result(conn)?;
    if rec.kind == crate::boards::BoardKind::Ideas {
        super::idea_store::set_up_board(conn, row.id)?;
    }
    Ok(category_row_to_model(row))
}

/// Every board, archived ones too, in list order: what staff administer.
pub fn all_boards(conn: &mut Conn) -> Result<Vec<Category>> {
    let rows: Vec<CategoryRow> = categories::table
        .order((
            categories::position.asc(),
            categories::name.asc(),
            categories::id.asc(),
        ))
        .select(CategoryRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(category_row_to_model).collect())
}

fn board_row(conn: &mut Conn, slug: &str) -> Result<CategoryRow> {
    categories::table
        .filter(categories::slug.eq(slug))
        .select(CategoryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("board"))
}

/// One board as staff see it, whoever may read it.
pub fn board(conn: &mut Conn, slug: &str) -> Result<Category> {
    Ok(category_row_to_model(board_row(conn, slug)?))
}

/// The settings an audit entry records, as `key=value` lines.
fn settings_of(c: &Category) -> Vec<(&'static str, String)> {
    vec![
        ("name", c.name.clone()),
        ("description", c.description.clone()),
        ("see", c.see_min_role.as_str().to_owned()),
        ("start_threads", c.start_threads.as_string()),
        ("crm_tasks", c.crm_tasks.as_str().to_owned()),
        ("premoderation", c.premoderation.as_str().to_owned()),
        ("position", c.position.to_string()),
        ("kind", c.kind.as_str().to_owned()),
        (
            "archived",
            if c.archived_at.is_some() { "yes" } else { "no" }.to_owned(),
        ),
    ]
}

/// (before, after) holding only what differs.
fn difference(before: &Category, after: &Category) -> (String, String) {
    let (mut b, mut a) = (Vec::new(), Vec::new());
    for ((k, x), (_, y)) in settings_of(before).into_iter().zip(settings_of(after)) {
        if x != y {
            b.push(format!("{k}={x}"));
            a.push(format!("{k}={y}"));
        }
    }
    (b.join("\n"), a.join("\n"))
}

/// Audit and announce a board change, in the caller's transaction. The
/// search index hears of every thread when who may see the board changed.
fn record(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    action: &str,
    before: Option<&Category>,
    after: &Category,
) -> Result<()> {
    let (b, a) = match before {
        Some(before) => difference(before, after),
        None => (
            String::new(),
            settings_of(after)
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    };
    super::members::audit(
        conn,
        now,
        actor,
        &format!("board.{action}"),
        ("board", after.id),
        &b,
        &a,
        "",
    )?;
    let threads: Vec<i64> = match before {
        Some(before) if before.see_min_role != after.see_min_role => threads::table
            .filter(threads::category_id.eq(after.id))
            .order(threads::id.asc())
            .select(threads::id)
            .load(conn)?,
        _ => Vec::new(),
    };
    emit(
        conn,
        now,
        actor.map(|a| a.user_id),
        EventBody::BoardChanged(events::BoardChanged {
            category_id: after.id,
            slug: after.slug.clone(),
            action: action.to_owned(),
            private: after.is_private,
            see_min_role: after.see_min_role.as_str().to_owned(),
            archived: after.archived_at.is_some(),
            threads,
        }),
    )
}

/// Create a board (`actor` None: the command line). `position` None puts
/// it after the last one.
pub fn create_board(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    slug: &str,
    settings: &BoardSettings,
    position: Option<i32>,
) -> Result<Category> {
    transaction(conn, |conn| {
        let taken: i64 = categories::table
            .filter(categories::slug.eq(slug))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ForumError::invalid(
                "slug",
                crate::Rule::SlugTaken,
                "there is already a board with this slug",
            ));
        }
        let position = match position {
            Some(p) => p,
            None => categories::table
                .select(diesel::dsl::max(categories::position))
                .first::<Option<i32>>(conn)?
                .map_or(0, |p| p.saturating_add(1)),
        };
        let row: CategoryRow = diesel::insert_into(categories::table)
            .values((
                categories::slug.eq(slug),
                categories::name.eq(&settings.name),
                categories::description.eq(&settings.description),
                categories::is_private.eq(settings.see_min_role != Role::Customer),
                categories::see_min_role.eq(settings.see_min_role.as_str()),
                categories::start_threads.eq(settings.start_threads.as_string()),
                categories::creates_crm_tasks.eq(settings.crm_tasks.to_column()),
                categories::premoderation.eq(settings.premoderation.as_str()),
                categories::position.eq(position),
                categories::created_at.eq(now),
                categories::kind.eq(settings.kind.as_str()),
            ))
            .returning(CategoryRow::as_returning())
            .get_result(conn)?;
        if settings.kind == crate::boards::BoardKind::Ideas {
            super::idea_store::set_up_board(conn, row.id)?;
        }
        let created = category_row_to_model(row);
        record(conn, now, actor, "create", None, &created)?;
        Ok(created)
    })
}

/// Change a board's settings and, with `position`, its place.
pub fn update_board(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    slug: &str,
    settings: &BoardSettings,
    position: Option<i32>,
) -> Result<Category> {
    transaction(conn, |conn| {
        let before = board(conn, slug)?;
        diesel::update(categories::table.find(before.id))
            .set((
                categories::name.eq(&settings.name),
                categories::description.eq(&settings.description),
                categories::is_private.eq(settings.see_min_role != Role::Customer),
                categories::see_min_role.eq(settings.see_min_role.as_str()),
                categories::start_threads.eq(settings.start_threads.as_string()),
                categories::creates_crm_tasks.eq(settings.crm_tasks.to_column()),
                categories::premoderation.eq(settings.premoderation.as_str()),
                categories::position.eq(position.unwrap_or(before.position)),
            ))
            .execute(conn)?;
        let after = board(conn, slug)?;
        if settings_of(&before) != settings_of(&after) {
            record(conn, now, actor, "update", Some(&before), &after)?;
        }
        Ok(after)
    })
}

/// Archive (read-only, off the board list) or bring back a board.
pub fn set_board_archived(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    slug: &str,
    archived: bool,
) -> Result<Category> {
    transaction(conn, |conn| {
        let before = board(conn, slug)?;
        if before.archived_at.is_some() == archived {
            return Ok(before);
        }
        diesel::update(categories::table.find(before.id))
            .set(categories::archived_at.eq(archived.then_some(now)))
            .execute(conn)?;
        let after = board(conn, slug)?;
        let action = if archived { "archive" } else { "unarchive" };
        record(conn, now, actor, action, Some(&before), &after)?;
        Ok(after)
    })
}

/// Move a board one place up or down the list. Positions are numbered
/// again 0, 1, 2… in list order, so ties from older data resolve.
pub fn move_board(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    slug: &str,
    direction: Direction,
) -> Result<Category> {
    transaction(conn, |conn| {
        let mut order = all_boards(conn)?;
        let Some(i) = order.iter().position(|c| c.slug == slug) else {
            return Err(ForumError::NotFound("board"));
        };
        let before = order[i].clone();
        let j = match direction {
            Direction::Up => i.checked_sub(1),
            Direction::Down => (i + 1 < order.len()).then_some(i + 1),
        };
        if let Some(j) = j {
            order.swap(i, j);
        }
        for (n, c) in order.iter().enumerate() {
            let n = i32::try_from(n).unwrap_or(i32::MAX);
            if c.position != n {
                diesel::update(categories::table.find(c.id))
                    .set(categories::position.eq(n))
                    .execute(conn)?;
            }
        }
        let after = board(conn, slug)?;
        if j.is_some() && after.position != before.position {
            record(conn, now, actor, "move", Some(&before), &after)?;
        }
        Ok(after)
    })
}
