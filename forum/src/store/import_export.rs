//! Bulk import and export of JSONL records.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;

/// Resolve a username, creating a login-less customer when an import names
/// someone new.
pub(super) fn import_user_id(
    conn: &mut Conn,
    now: i64,
    username: &str,
    cache: &mut std::collections::HashMap<String, i64>,
    created: &mut u64,
) -> Result<i64> {
    let key = crate::validate::fold_key(username);
    if let Some(id) = cache.get(&key) {
        return Ok(*id);
    }
    let existing: Option<i64> = users::table
        .filter(users::username_key.eq(&key))
        .select(users::id)
        .first(conn)
        .optional()?;
    let id = match existing {
        Some(id) => id,
        None => {
            let email = format!("{key}@import.invalid");
            let id: i64 = diesel::insert_into(users::table)
                .values(NewUserRow {
                    username,
                    username_key: &key,
                    email: &email,
                    email_key: &email,
                    display_name: username,
                    password_hash: None,
                    role: Role::Customer.as_str(),
                    language: "en",
                    created_at: now,
                    last_seen_at: now,
                    // Login-less: nobody to ask.
                    email_confirmed_at: Some(now),
                })
                .returning(users::id)
                .get_result(conn)?;
            *created += 1;
            id
        }
    };
    cache.insert(key, id);
    Ok(id)
}

pub fn import_user(conn: &mut Conn, now: i64, rec: &UserRecord) -> Result<bool> {
    let key = crate::validate::fold_key(&rec.username);
    let exists: i64 = users::table
        .filter(users::username_key.eq(&key))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    let email_key = crate::validate::fold_key(&rec.email);
    diesel::insert_into(users::table)
        .values(NewUserRow {
            username: &rec.username,
            username_key: &key,
            email: &rec.email,
            email_key: &email_key,
            display_name: rec.display_name.as_deref().unwrap_or(&rec.username),
            password_hash: rec.password_hash.as_deref(),
            role: rec.role.as_str(),
            language: rec.language.as_deref().unwrap_or("en"),
            created_at: rec.created_at.unwrap_or(now),
            last_seen_at: rec.created_at.unwrap_or(now),
            // The site the members come from vouched for them, as for the
            // accounts that existed when confirmation was introduced.
            email_confirmed_at: Some(now),
        })
        .execute(conn)?;
    Ok(true)
}

pub fn import_category(conn: &mut Conn, now: i64, rec: &CategoryRecord) -> Result<bool> {
    let exists: i64 = categories::table
        .filter(categories::slug.eq(&rec.slug))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    insert_category(conn, now, rec)?;
    Ok(true)
}

/// Write already-validated thread records in one transaction.
pub fn import_threads(conn: &mut Conn, now: i64, records: &[ThreadRecord]) -> Result<ImportCounts> {
    transaction(conn, |conn| {
        let mut counts = ImportCounts::default();
        let mut users_cache = std::collections::HashMap::new();
        let mut category_cache: std::collections::HashMap<String, (i64, bool, bool)> =
            Default::default();
        for rec in records {
            let (category_id, private, ideas_board) = match category_cache.get(&rec.category) {
                Some(c) => *c,
                None => {
                    let found: Option<(i64, bool, String)> = categories::table
                        .filter(categories::slug.eq(&rec.category))
                        .select((categories::id, categories::is_private, categories::kind))
                        .first(conn)
                        .optional()?;
                    let c = match found {
                        Some((id, private, kind)) => (
                            id,
                            private,
                            crate::boards::BoardKind::from_stored(&kind)
                                == crate::boards::BoardKind::Ideas,
                        ),
                        None => {
                            // A board first named by an idea is an ideas board.
                            let kind = if rec.idea.is_some() {
                                crate::boards::BoardKind::Ideas
                            } else {
                                crate::boards::BoardKind::Discussion
                            };
                            let cat = insert_category(
                                conn,
                                now,
                                &CategoryRecord {
                                    slug: rec.category.clone(),
                                    name: rec.category.clone(),
                                    description: String::new(),
                                    is_private: false,
                                    position: 5,
                                    kind,
                                },
                            )?;
                            counts.categories_created += 1;
                            (cat.id, false, kind == crate::boards::BoardKind::Ideas)
                        }
                    };
                    category_cache.insert(rec.category.clone(), c);
                    c
                }
            };
            let author_id = import_user_id(
                conn,
                now,
                &rec.author,
                &mut users_cache,
                &mut counts.users_created,
            )?;
            let created_at = rec.created_at.unwrap_or(now);
            let last_activity = rec
                .replies
                .iter()
                .filter_map(|r| r.created_at)
                .max()
                .unwrap_or(created_at)
                .max(created_at);
            // Resolve everyone and work out kudos and status in memory, so a
            // thread costs a handful of statements however many replies it has.
            let mut authors = vec![author_id];
            for r in &rec.replies {
                authors.push(import_user_id(
                    conn,
                    now,
                    &r.author,
                    &mut users_cache,
                    &mut counts.users_created,
                )?);
            }
            let mut votes_by_index: Vec<(usize, i64)> = Vec::new();
            let mut voter_lists: Vec<&Vec<String>> = vec![&rec.kudos_from];
            voter_lists.extend(rec.replies.iter().map(|r| &r.kudos_from));
            for (idx, voters) in voter_lists.into_iter().enumerate() {
                for v in voters {
                    let voter =
                        import_user_id(conn, now, v, &mut users_cache, &mut counts.users_created)?;
                    if voter != authors[idx] && !votes_by_index.contains(&(idx, voter)) {
                        votes_by_index.push((idx, voter));
                    }
                }
            }
            let kudos_of =
                |idx: usize| votes_by_index.iter().filter(|(i, _)| *i == idx).count() as i32;
            let live_replies = rec.replies.iter().filter(|r| !r.deleted).count() as i32;
            let accepted_index = rec
                .replies
                .iter()
                .position(|r| r.accepted && !r.deleted)
                .map(|i| i + 1);
            let answered = rec
                .replies
                .iter()
                .zip(&authors[1..])
                .any(|(r, a)| !r.deleted && *a != author_id);
            let status = if rec.locked {
                ThreadStatus::Locked
            } else if accepted_index.is_some() {
                ThreadStatus::Solved
            } else if answered {
                ThreadStatus::Answered
            } else {
                ThreadStatus::Open
            };
            let thread_id: i64 = diesel::insert_into(threads::table)
                .values(NewThreadRow {
                    category_id,
                    author_id,
                    title: &rec.title,
                    status: status.as_str(),
                    reply_count: live_replies,
                    view_count: rec.views,
                    created_at,
                    last_activity_at: last_activity,
                })
                .returning(threads::id)
                .get_result(conn)?;
            insert_tags(conn, thread_id, &rec.tags)?;
            let question_html = crate::markdown::render(&rec.body);
            let reply_html: Vec<String> = rec
                .replies
                .iter()
                .map(|r| crate::markdown::render(&r.body))
                .collect();
            let mut new_posts = Vec::with_capacity(rec.replies.len() + 1);
            new_posts.push(NewPostRow {
                thread_id,
                author_id,
                is_question: true,
                body_md: &rec.body,
                body_html: &question_html,
                kudos: kudos_of(0),
                created_at,
                edited_at: None,
                deleted_at: None,
            });
            for (i, r) in rec.replies.iter().enumerate() {
                let at = r.created_at.unwrap_or(created_at);
                new_posts.push(NewPostRow {
                    thread_id,
                    author_id: authors[i + 1],
                    is_question: false,
                    body_md: &r.body,
                    body_html: &reply_html[i],
                    kudos: kudos_of(i + 1),
                    created_at: at,
                    edited_at: None,
                    deleted_at: r.deleted.then_some(at),
                });
            }
            let post_ids: Vec<i64> = diesel::insert_into(posts::table)
                .values(&new_posts)
                .returning(posts::id)
                .get_results(conn)?;
            counts.threads += 1;
            counts.posts += post_ids.len() as u64;
            if !votes_by_index.is_empty() {
                let values: Vec<_> = votes_by_index
                    .iter()
                    .map(|(idx, u)| {
                        (
                            votes::post_id.eq(post_ids[*idx]),
                            votes::user_id.eq(*u),
                            votes::created_at.eq(created_at),
                        )
                    })
                    .collect();
                counts.votes += diesel::insert_into(votes::table)
                    .values(&values)
                    .execute(conn)? as u64;
            }
            match (&rec.idea, ideas_board) {
                (idea, true) => {
                    let idea = idea.clone().unwrap_or_default();
                    let mut votes = Vec::with_capacity(idea.votes.len());
                    for v in &idea.votes {
                        let voter = import_user_id(
                            conn,
                            now,
                            &v.member,
                            &mut users_cache,
                            &mut counts.users_created,
                        )?;
                        votes.push((voter, v.at.unwrap_or(created_at)));
                    }
                    counts.idea_votes += super::idea_store::import_idea(
                        conn,
                        thread_id,
                        category_id,
                        created_at,
                        idea.status.as_deref(),
                        &idea.product_area,
                        &votes,
                    )?;
                }
                (Some(_), false) => {
                    return Err(ForumError::validation(
                        "idea",
                        format!("board “{}” is not an ideas board", rec.category),
                    ))
                }
                (None, false) => {}
            }
            if let Some(idx) = accepted_index {
                diesel::update(threads::table.find(thread_id))
                    .set((
                        threads::accepted_post_id.eq(Some(post_ids[idx])),
                        threads::accepted_at.eq(Some(created_at)),
                    ))
                    .execute(conn)?;
            }
            emit(
                conn,
                now,
                None,
                EventBody::ThreadImported(events::ThreadImported {
                    thread_id,
                    category_id,
                    private,
                    posts: i64::try_from(post_ids.len()).unwrap_or(i64::MAX),
                }),
            )?;
        }
        for (category_id, _, _) in category_cache.values() {
            super::boards::recount_board_threads(conn, *category_id)?;
        }
        Ok(counts)
    })
}

pub fn export_users(conn: &mut Conn, after_id: i64, limit: i64) -> Result<Vec<(i64, UserRecord)>> {
    let rows: Vec<UserRow> = users::table
        .filter(users::id.gt(after_id))
        .order(users::id.asc())
        .limit(limit)
        .select(UserRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.id,
                UserRecord {
                    username: r.username.clone(),
                    email: r.email.clone(),
                    display_name: Some(r.display_name.clone()),
                    role: parse_role(&r.role)?,
                    password_hash: r.password_hash.clone(),
                    language: Some(r.language.clone()),
                    created_at: Some(r.created_at),
                },
            ))
        })
        .collect()
}

pub fn export_categories(conn: &mut Conn) -> Result<Vec<CategoryRecord>> {
    let rows: Vec<CategoryRow> = categories::table
        .order(categories::id.asc())
        .select(CategoryRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|c| CategoryRecord {
            slug: c.slug,
            name: c.name,
            description: c.description,
            is_private: c.is_private,
            position: c.position,
            kind: crate::boards::BoardKind::from_stored(&c.kind),
        })
        .collect())
}

/// Live threads after `after_id`, with their replies and voters, by id.
pub fn export_threads(
    conn: &mut Conn,
    after_id: i64,
    limit: i64,
) -> Result<Vec<(i64, ThreadRecord)>> {
    let rows: Vec<(ThreadRow, String, String)> = threads::table
        .inner_join(users::table)
        .inner_join(categories::table)
        .filter(threads::id.gt(after_id))
        .filter(threads::deleted_at.is_null())
        .order(threads::id.asc())
        .limit(limit)
        .select((ThreadRow::as_select(), users::username, categories::slug))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(t, _, _)| t.id).collect();
    let post_rows: Vec<(PostRow, String)> = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq_any(&ids))
        .order(posts::id.asc())
        .select((PostRow::as_select(), users::username))
        .load(conn)?;
    let post_ids: Vec<i64> = post_rows.iter().map(|(p, _)| p.id).collect();
    let vote_rows: Vec<(i64, String)> = votes::table
        .inner_join(users::table.on(users::id.eq(votes::user_id)))
        .filter(votes::post_id.eq_any(&post_ids))
        .order((votes::post_id, users::username))
        .select((votes::post_id, users::username))
        .load(conn)?;
    let tags: Vec<(i64, String)> = thread_tags::table
        .filter(thread_tags::thread_id.eq_any(&ids))
        .order((thread_tags::thread_id, thread_tags::tag))
        .load(conn)?;
    let idea_rows: Vec<(i64, String, String)> = ideas::table
        .inner_join(idea_statuses::table)
        .filter(ideas::thread_id.eq_any(&ids))
        .filter(ideas::merged_into.is_null())
        .select((ideas::thread_id, idea_statuses::slug, ideas::product_area))
        .load(conn)?;
    let mut idea_votes_of: std::collections::HashMap<i64, Vec<IdeaVoteRecord>> = Default::default();
    for (thread_id, member, at) in idea_votes::table
        .inner_join(users::table.on(users::id.eq(idea_votes::user_id)))
        .filter(idea_votes::thread_id.eq_any(&ids))
        .order((idea_votes::thread_id, users::username))
        .select((
            idea_votes::thread_id,
            users::username,
            idea_votes::created_at,
        ))
        .load::<(i64, String, i64)>(conn)?
    {
        idea_votes_of
            .entry(thread_id)
            .or_default()
            .push(IdeaVoteRecord {
                member,
                at: Some(at),
            });
    }
    let mut ideas_of: std::collections::HashMap<i64, IdeaRecord> = idea_rows
        .into_iter()
        .map(|(id, status, product_area)| {
            (
                id,
                IdeaRecord {
                    status: Some(status),
                    product_area,
                    votes: idea_votes_of.remove(&id).unwrap_or_default(),
                },
            )
        })
        .collect();
    let voters = |post_id: i64| -> Vec<String> {
        vote_rows
            .iter()
            .filter(|(p, _)| *p == post_id)
            .map(|(_, u)| u.clone())
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|(t, author, category)| {
            let mine = post_rows.iter().filter(|(p, _)| p.thread_id == t.id);
            let mut body = String::new();
            let mut kudos_from = Vec::new();
            let mut replies = Vec::new();
            for (p, username) in mine {
                if p.is_question {
                    body = p.body_md.clone();
                    kudos_from = voters(p.id);
                } else {
                    replies.push(ReplyRecord {
                        author: username.clone(),
                        body: p.body_md.clone(),
                        created_at: Some(p.created_at),
                        accepted: t.accepted_post_id == Some(p.id),
                        deleted: p.deleted_at.is_some(),
                        kudos_from: voters(p.id),
                    });
                }
            }
            (
                t.id,
                ThreadRecord {
                    category,
                    title: t.title,
                    body,
                    author,
                    tags: tags
                        .iter()
                        .filter(|(id, _)| *id == t.id)
                        .map(|(_, tag)| tag.clone())
                        .collect(),
                    created_at: Some(t.created_at),
                    views: t.view_count,
                    locked: t.status == ThreadStatus::Locked.as_str(),
                    kudos_from,
                    replies,
                    idea: ideas_of.remove(&t.id),
                },
            )
        })
        .collect())
}

/// Staff audit entries after `after_id`, oldest first, with the usernames
/// of their actor and (member) target.
pub fn export_audit(
    conn: &mut Conn,
    after_id: i64,
    limit: i64,
) -> Result<Vec<crate::import::AuditRecord>> {
    type Row = (
        i64,
        i64,
        Option<i64>,
        String,
        String,
        i64,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = staff_audit::table
        .filter(staff_audit::id.gt(after_id))
        .order(staff_audit::id.asc())
        .limit(limit)
        .select((
            staff_audit::id,
            staff_audit::at,
            staff_audit::actor_id,
            staff_audit::action,
            staff_audit::target_kind,
            staff_audit::target_id,
            staff_audit::before_value,
            staff_audit::after_value,
            staff_audit::reason,
        ))
        .load(conn)?;
    let mut ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| {
            let target = (r.4 == "user").then_some(r.5);
            r.2.into_iter().chain(target)
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names: std::collections::HashMap<i64, String> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::username))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(
            |(id, at, actor_id, action, target_kind, target_id, before, after, reason)| {
                let target = (target_kind == "user")
                    .then(|| names.get(&target_id).cloned())
                    .flatten();
                crate::import::AuditRecord {
                    id,
                    at,
                    actor: actor_id.and_then(|a| names.get(&a).cloned()),
                    actor_id,
                    action,
                    target_kind,
                    target_id,
                    target,
                    before,
                    after,
                    reason,
                }
            },
        )
        .collect())
}
