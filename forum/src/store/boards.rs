//! Boards (categories), public and private.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;

pub(super) fn category_row_to_model(r: CategoryRow, thread_count: i64) -> Category {
    Category {
        id: r.id,
        slug: r.slug,
        name: r.name,
        description: r.description,
        is_private: r.is_private,
        position: r.position,
        thread_count,
    }
}

pub(super) fn visible_category_ids(conn: &mut Conn, viewer: Option<Actor>) -> Result<Vec<i64>> {
    let mut q = categories::table.select(categories::id).into_boxed();
    if !policy::can_see_category(viewer, true) {
        q = q.filter(categories::is_private.eq(false));
    }
    Ok(q.load(conn)?)
}

pub fn list_categories(conn: &mut Conn, viewer: Option<Actor>) -> Result<Vec<Category>> {
    let rows: Vec<CategoryRow> = categories::table
        .order((categories::position.asc(), categories::name.asc()))
        .select(CategoryRow::as_select())
        .load(conn)?;
    let counts: Vec<(i64, i64)> = threads::table
        .filter(threads::deleted_at.is_null())
        .group_by(threads::category_id)
        .select((threads::category_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|c| policy::can_see_category(viewer, c.is_private))
        .map(|c| {
            let n = counts
                .iter()
                .find(|(id, _)| *id == c.id)
                .map_or(0, |(_, n)| *n);
            category_row_to_model(c, n)
        })
        .collect())
}

pub fn category_by_slug(conn: &mut Conn, slug: &str, viewer: Option<Actor>) -> Result<Category> {
    let row: CategoryRow = categories::table
        .filter(categories::slug.eq(slug))
        .select(CategoryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("category"))?;
    if !policy::can_see_category(viewer, row.is_private) {
        return Err(ForumError::NotFound("category"));
    }
    let n: i64 = threads::table
        .filter(threads::category_id.eq(row.id))
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(category_row_to_model(row, n))
}

pub fn insert_category(conn: &mut Conn, now: i64, rec: &CategoryRecord) -> Result<Category> {
    let row: CategoryRow = diesel::insert_into(categories::table)
        .values((
            categories::slug.eq(&rec.slug),
            categories::name.eq(&rec.name),
            categories::description.eq(&rec.description),
            categories::is_private.eq(rec.is_private),
            categories::position.eq(rec.position),
            categories::created_at.eq(now),
        ))
        .returning(CategoryRow::as_returning())
        .get_result(conn)?;
    Ok(category_row_to_model(row, 0))
}
