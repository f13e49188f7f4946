//! Site settings overridden in the database (`crate::settings`): every
//! override, its version, and setting or clearing one (audited in the same
//! transaction). Compiled per backend as `settings`.

#[allow(unused_imports)]
use super::*;

type Row = (String, String, i64, Option<i64>);

pub fn version(conn: &mut Conn) -> Result<i64> {
    Ok(site_settings_version::table
        .find(1)
        .select(site_settings_version::version)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// The version and every row (key, JSON value, when, by whom), read in one
/// transaction so they agree.
pub fn all(conn: &mut Conn) -> Result<(i64, Vec<Row>)> {
    conn.transaction(|conn| {
        let v = version(conn)?;
        let rows = site_settings::table
            .order(site_settings::key.asc())
            .select((
                site_settings::key,
                site_settings::value,
                site_settings::updated_at,
                site_settings::updated_by,
            ))
            .load::<Row>(conn)?;
        Ok((v, rows))
    })
}

fn bump(conn: &mut Conn) -> Result<()> {
    diesel::update(site_settings_version::table.find(1))
        .set(site_settings_version::version.eq(site_settings_version::version + 1))
        .execute(conn)?;
    Ok(())
}

fn current(conn: &mut Conn, key: &str) -> Result<Option<String>> {
    Ok(site_settings::table
        .find(key)
        .select(site_settings::value)
        .first::<String>(conn)
        .optional()?)
}

fn shown(key: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{key} = {v}"),
        None => format!("{key} (file value)"),
    }
}

/// Set each (key, JSON value), already validated, in one transaction.
pub fn set(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    changes: &[(&str, String)],
) -> Result<()> {
    transaction(conn, |conn| {
        for (key, value) in changes {
            let before = current(conn, key)?;
            if before.as_deref() == Some(value.as_str()) {
                continue;
            }
            diesel::insert_into(site_settings::table)
                .values((
                    site_settings::key.eq(key),
                    site_settings::value.eq(value),
                    site_settings::updated_at.eq(now),
                    site_settings::updated_by.eq(actor.map(|a| a.user_id)),
                ))
                .on_conflict(site_settings::key)
                .do_update()
                .set((
                    site_settings::value.eq(value),
                    site_settings::updated_at.eq(now),
                    site_settings::updated_by.eq(actor.map(|a| a.user_id)),
                ))
                .execute(conn)?;
            super::members::audit(
                conn,
                now,
                actor,
                "setting.set",
                ("setting", 0),
                &shown(key, before.as_deref()),
                &shown(key, Some(value)),
                "",
            )?;
        }
        bump(conn)
    })
}

/// Remove the override of `key`; false when there was none.
pub fn clear(conn: &mut Conn, now: i64, actor: Option<Actor>, key: &str) -> Result<bool> {
    transaction(conn, |conn| {
        let Some(before) = current(conn, key)? else {
            return Ok(false);
        };
        diesel::delete(site_settings::table.find(key)).execute(conn)?;
        super::members::audit(
            conn,
            now,
            actor,
            "setting.clear",
            ("setting", 0),
            &shown(key, Some(&before)),
            &shown(key, None),
            "",
        )?;
        bump(conn)?;
        Ok(true)
    })
}
