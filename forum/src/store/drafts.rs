//! Drafts: what a member is writing, one per member and place.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;
use crate::schema::drafts;

/// Keep `title` and `body` as `user_id`'s draft for `key` (replacing it).
pub fn save(
    conn: &mut Conn,
    now: i64,
    user_id: i64,
    key: &str,
    title: &str,
    body: &str,
) -> Result<()> {
    let changed = diesel::update(drafts::table.find((user_id, key)))
        .set((
            drafts::title.eq(title),
            drafts::body.eq(body),
            drafts::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        // Two tabs saving the first draft at once: the second insert is
        // refused by the key and its text arrives with the next save.
        diesel::insert_into(drafts::table)
            .values((
                drafts::user_id.eq(user_id),
                drafts::draft_key.eq(key),
                drafts::title.eq(title),
                drafts::body.eq(body),
                drafts::updated_at.eq(now),
            ))
            .on_conflict((drafts::user_id, drafts::draft_key))
            .do_nothing()
            .execute(conn)?;
    }
    Ok(())
}

/// `user_id`'s draft for `key`: (title, body, updated_at).
pub fn load(conn: &mut Conn, user_id: i64, key: &str) -> Result<Option<(String, String, i64)>> {
    Ok(drafts::table
        .find((user_id, key))
        .select((drafts::title, drafts::body, drafts::updated_at))
        .first(conn)
        .optional()?)
}

/// Forget `user_id`'s draft for `key` (posted, or thrown away).
pub fn discard(conn: &mut Conn, user_id: i64, key: &str) -> Result<()> {
    diesel::delete(drafts::table.find((user_id, key))).execute(conn)?;
    Ok(())
}
