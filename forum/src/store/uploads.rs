//! Uploads: who uploaded which file, and members' avatars.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;
use crate::schema::uploads;
use crate::uploads::{FileKind, NewUpload, Upload};

type UploadRow = (
    String,
    i64,
    String,
    String,
    i64,
    Option<i32>,
    Option<i32>,
    i64,
);

fn select() -> (
    uploads::storage_key,
    uploads::user_id,
    uploads::file_name,
    uploads::kind,
    uploads::byte_size,
    uploads::width,
    uploads::height,
    uploads::created_at,
) {
    (
        uploads::storage_key,
        uploads::user_id,
        uploads::file_name,
        uploads::kind,
        uploads::byte_size,
        uploads::width,
        uploads::height,
        uploads::created_at,
    )
}

fn upload(r: UploadRow) -> Result<Upload> {
    let (key, user_id, file_name, kind, byte_size, width, height, created_at) = r;
    Ok(Upload {
        kind: FileKind::parse(&kind)
            .ok_or_else(|| ForumError::Internal(format!("stored file kind {kind:?} is unknown")))?,
        key,
        user_id,
        file_name,
        byte_size,
        width,
        height,
        created_at,
    })
}

pub fn insert(conn: &mut Conn, u: &NewUpload<'_>) -> Result<()> {
    diesel::insert_into(uploads::table)
        .values((
            uploads::storage_key.eq(u.key),
            uploads::user_id.eq(u.user_id),
            uploads::purpose.eq(u.purpose),
            uploads::file_name.eq(u.file_name),
            uploads::kind.eq(u.kind),
            uploads::byte_size.eq(u.byte_size),
            uploads::width.eq(u.width),
            uploads::height.eq(u.height),
            uploads::sha256.eq(u.sha256),
            uploads::created_at.eq(u.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn by_key(conn: &mut Conn, key: &str) -> Result<Option<Upload>> {
    uploads::table
        .filter(uploads::storage_key.eq(key))
        .select(select())
        .first::<UploadRow>(conn)
        .optional()?
        .map(upload)
        .transpose()
}

/// The member's earlier upload of the same bytes for the same purpose.
pub fn same_bytes(
    conn: &mut Conn,
    user_id: i64,
    purpose: &str,
    sha256: &str,
) -> Result<Option<Upload>> {
    uploads::table
        .filter(uploads::user_id.eq(user_id))
        .filter(uploads::sha256.eq(sha256))
        .filter(uploads::purpose.eq(purpose))
        .select(select())
        .order(uploads::id.asc())
        .first::<UploadRow>(conn)
        .optional()?
        .map(upload)
        .transpose()
}

/// Files and bytes `user_id` uploaded since `since`.
pub fn since(conn: &mut Conn, user_id: i64, since: i64) -> Result<(i64, i64)> {
    let sizes: Vec<i64> = uploads::table
        .filter(uploads::user_id.eq(user_id))
        .filter(uploads::created_at.ge(since))
        .select(uploads::byte_size)
        .load(conn)?;
    Ok((sizes.len() as i64, sizes.iter().sum()))
}

/// Make `key` the member's avatar, or go back to initials (`None`).
pub fn set_avatar(conn: &mut Conn, now: i64, user_id: i64, key: Option<&str>) -> Result<()> {
    use crate::schema::member_avatars as a;
    match key {
        None => {
            diesel::delete(a::table.find(user_id)).execute(conn)?;
        }
        Some(key) => {
            diesel::insert_into(a::table)
                .values((
                    a::user_id.eq(user_id),
                    a::storage_key.eq(key),
                    a::updated_at.eq(now),
                ))
                .on_conflict(a::user_id)
                .do_update()
                .set((a::storage_key.eq(key), a::updated_at.eq(now)))
                .execute(conn)?;
        }
    }
    Ok(())
}

pub fn avatar_key(conn: &mut Conn, user_id: i64) -> Result<Option<String>> {
    use crate::schema::member_avatars as a;
    Ok(a::table
        .find(user_id)
        .select(a::storage_key)
        .first::<String>(conn)
        .optional()?)
}
