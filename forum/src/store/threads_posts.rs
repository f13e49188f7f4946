//! Threads and posts: asking, replying, editing with revisions,
//! kudos, accepted solutions, locking, deletion, listings and pages.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;

pub(super) fn summaries(
    conn: &mut Conn,
    rows: Vec<(ThreadRow, UserRefRow, String)>,
) -> Result<Vec<ThreadSummary>> {
    let ids: Vec<i64> = rows.iter().map(|(t, _, _)| t.id).collect();
    let tags: Vec<(i64, String)> = thread_tags::table
        .filter(thread_tags::thread_id.eq_any(&ids))
        .order((thread_tags::thread_id, thread_tags::tag))
        .load(conn)?;
    rows.into_iter()
        .map(|(t, author, slug)| {
            Ok(ThreadSummary {
                id: t.id,
                category_id: t.category_id,
                category_slug: slug,
                title: t.title,
                status: parse_status(&t.status)?,
                author: author.into_ref()?,
                tags: tags
                    .iter()
                    .filter(|(id, _)| *id == t.id)
                    .map(|(_, tag)| tag.clone())
                    .collect(),
                reply_count: t.reply_count,
                view_count: t.view_count,
                accepted_post_id: t.accepted_post_id,
                created_at: t.created_at,
                last_activity_at: t.last_activity_at,
            })
        })
        .collect()
}

pub(super) fn load_category_for(conn: &mut Conn, category_id: i64) -> Result<CategoryRow> {
    Ok(categories::table
        .find(category_id)
        .select(CategoryRow::as_select())
        .first(conn)?)
}

/// A live (not deleted) thread the viewer may see, with its category.
pub(super) fn visible_thread(
    conn: &mut Conn,
    thread_id: i64,
    viewer: Option<Actor>,
) -> Result<(ThreadRow, CategoryRow)> {
    let thread: ThreadRow = threads::table
        .find(thread_id)
        .select(ThreadRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("thread"))?;
    let deleted_visible = viewer.is_some_and(|a| a.role.can_moderate());
    if thread.deleted_at.is_some() && !deleted_visible {
        // The asker still sees their own question while it waits for
        // review (held, or hidden by flags), with the reason.
        let own = viewer.is_some_and(|a| a.user_id == thread.author_id);
        let waiting = own
            && posts::table
                .filter(posts::thread_id.eq(thread_id))
                .filter(posts::is_question.eq(true))
                .filter(posts::review_state.eq_any(["held", "hidden"]))
                .select(posts::id)
                .first::<i64>(conn)
                .optional()?
                .is_some();
        if !waiting {
            return Err(ForumError::NotFound("thread"));
        }
    }
    let category = load_category_for(conn, thread.category_id)?;
    policy::ensure_can_see(viewer, category.see_role())?;
    Ok((thread, category))
}

#[allow(clippy::too_many_arguments)]
pub fn insert_thread(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    category_slug: &str,
    title: &str,
    body_md: &str,
    body_html: &str,
    tags: &[String],
    reached_ranks: &[String],
    screening: &crate::review::Screening,
    product_area: &str,
) -> Result<crate::review::Submitted> {
    transaction(conn, |conn| {
        let category: CategoryRow = categories::table
            .filter(categories::slug.eq(category_slug))
            .select(CategoryRow::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| {
                ForumError::invalid(
                    "category",
                    crate::Rule::Unknown {
                        value: category_slug.to_string(),
                    },
                    format!("no category {category_slug:?}"),
                )
            })?;
        if !policy::can_see_category(Some(actor), category.see_role()) {
            return Err(ForumError::invalid(
                "category",
                crate::Rule::Unknown {
                    value: category_slug.to_string(),
                },
                format!("no category {category_slug:?}"),
            ));
        }
        if category.archived_at.is_some() {
            return Err(ForumError::invalid(
                "category",
                crate::Rule::BoardArchived,
                "this board is archived: it is read-only and takes no new threads",
            ));
        }
        crate::boards::ensure_may_start_thread(
            actor,
            &crate::boards::StartThreads::from_stored(&category.start_threads),
            reached_ranks,
        )?;
        let thread_id: i64 = diesel::insert_into(threads::table)
            .values(NewThreadRow {
                category_id: category.id,
                author_id: actor.user_id,
                title,
                status: ThreadStatus::Open.as_str(),
                reply_count: 0,
                view_count: 0,
                created_at: now,
                last_activity_at: now,
            })
            .returning(threads::id)
            .get_result(conn)?;
        super::boards::add_board_thread(conn, category.id)?;
        let held = screen_post(
            conn,
            now,
            actor,
            body_md,
            true,
            crate::boards::Premoderation::parse(&category.premoderation).unwrap_or_default(),
            screening,
        )?;
        let post_id: i64 = diesel::insert_into(posts::table)
            .values(NewPostRow {
                thread_id,
                author_id: actor.user_id,
                is_question: true,
                body_md,
                body_html,
                kudos: 0,
                created_at: now,
                edited_at: None,
                deleted_at: None,
            })
            .returning(posts::id)
            .get_result(conn)?;
        insert_tags(conn, thread_id, tags)?;
        if category.kind == crate::boards::BoardKind::Ideas.as_str() {
            super::idea_store::attach(conn, now, thread_id, category.id, product_area)?;
        }
        if !actor.role.is_staff() {
            record_post(conn, now, post_id, actor.user_id, body_md, held.is_empty())?;
        }
        if !held.is_empty() {
            hold_new_post(conn, now, post_id, thread_id, actor, true, &held)?;
            return Ok(crate::review::Submitted {
                thread_id,
                post_id,
                held,
            });
        }
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::ThreadCreated(events::ThreadCreated {
                thread_id,
                post_id,
                category_id: category.id,
                category: category.slug.clone(),
                author_id: actor.user_id,
                title: title.to_owned(),
                tags: tags.to_vec(),
                private: category.is_private,
            }),
        )?;
        Ok(crate::review::Submitted {
            thread_id,
            post_id,
            held,
        })
    })
}

pub(super) fn insert_tags(conn: &mut Conn, thread_id: i64, tags: &[String]) -> Result<()> {
    if tags.is_empty() {
        return Ok(());
    }
    let values: Vec<_> = tags
        .iter()
        .map(|t| (thread_tags::thread_id.eq(thread_id), thread_tags::tag.eq(t)))
        .collect();
    diesel::insert_into(thread_tags::table)
        .values(&values)
        .execute(conn)?;
    Ok(())
}

pub fn list_threads(
    conn: &mut Conn,
    category_slug: &str,
    viewer: Option<Actor>,
    sort: ThreadSort,
    page: i64,
    per_page: i64,
) -> Result<(Category, Paged<ThreadSummary>)> {
    let category = category_by_slug(conn, category_slug, viewer)?;
    let base = || {
        let mut q = threads::table
            .filter(threads::category_id.eq(category.id))
            .filter(threads::deleted_at.is_null())
            .into_boxed();
        match sort {
            ThreadSort::Unanswered => {
                q = q
                    .filter(threads::reply_count.eq(0))
                    .filter(threads::status.ne(ThreadStatus::Locked.as_str()))
            }
            ThreadSort::Solved => q = q.filter(threads::status.eq(ThreadStatus::Solved.as_str())),
            ThreadSort::Latest | ThreadSort::Top => {}
        }
        q
    };
    let total: i64 = base().count().get_result(conn)?;
    let ids_query = base().select(threads::id);
    let ids_query = match sort {
        ThreadSort::Top => ids_query.order((threads::view_count.desc(), threads::id.desc())),
        ThreadSort::Unanswered => ids_query
            .order(threads::created_at.desc())
            .then_order_by(threads::id.desc()),
        _ => ids_query
            .order(threads::last_activity_at.desc())
            .then_order_by(threads::id.desc()),
    };
    let ids: Vec<i64> = ids_query
        .limit(per_page)
        .offset((page - 1) * per_page)
        .load(conn)?;
    let mut rows = threads::table
        .inner_join(users::table)
        .inner_join(categories::table)
        .filter(threads::id.eq_any(&ids))
        .select((
            ThreadRow::as_select(),
            UserRefRow::as_select(),
            categories::slug,
        ))
        .load::<(ThreadRow, UserRefRow, String)>(conn)?;
    rows.sort_by_key(|(t, _, _)| ids.iter().position(|id| *id == t.id));
    let items = summaries(conn, rows)?;
    Ok((
        category,
        Paged {
            items,
            page,
            per_page,
            total,
        },
    ))
}

pub(super) fn post_models(
    conn: &mut Conn,
    rows: Vec<(PostRow, UserRefRow)>,
    accepted: Option<i64>,
    viewer: Option<Actor>,
) -> Result<Vec<Post>> {
    let ids: Vec<i64> = rows.iter().map(|(p, _)| p.id).collect();
    let voted: Vec<i64> = match viewer {
        Some(a) => votes::table
            .filter(votes::user_id.eq(a.user_id))
            .filter(votes::post_id.eq_any(&ids))
            .select(votes::post_id)
            .load(conn)?,
        None => Vec::new(),
    };
    let moderator = viewer.is_some_and(|a| a.role.can_moderate());
    rows.into_iter()
        .map(|(p, author)| {
            let deleted = p.deleted_at.is_some();
            let own = viewer.is_some_and(|a| a.user_id == p.author_id);
            let review = p
                .review_state
                .as_deref()
                .and_then(crate::review::ReviewState::parse);
            // Authors see their own held or hidden post (and why it waits).
            let hide = deleted && !moderator && !(own && review.is_some());
            Ok(Post {
                id: p.id,
                thread_id: p.thread_id,
                author: author.into_ref()?,
                is_question: p.is_question,
                body_md: if hide { String::new() } else { p.body_md },
                body_html: if hide { String::new() } else { p.body_html },
                kudos: p.kudos,
                is_accepted: accepted == Some(p.id),
                deleted,
                review,
                created_at: p.created_at,
                edited_at: p.edited_at,
                viewer_voted: voted.contains(&p.id),
            })
        })
        .collect()
}

pub fn thread_page(
    conn: &mut Conn,
    thread_id: i64,
    viewer: Option<Actor>,
    page: i64,
    per_page: i64,
) -> Result<ThreadPage> {
    let (thread, category) = visible_thread(conn, thread_id, viewer)?;
    let author: UserRefRow = users::table
        .find(thread.author_id)
        .select(UserRefRow::as_select())
        .first(conn)?;
    let question_row: (PostRow, UserRefRow) = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(true))
        .select((PostRow::as_select(), UserRefRow::as_select()))
        .first(conn)?;
    let moderator = viewer.is_some_and(|a| a.role.can_moderate());
    let mut replies_q = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(false))
        .into_boxed();
    let mut count_q = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(false))
        .into_boxed();
    if !moderator {
        // Others see a hidden reply as a placeholder, and authors their own
        // held replies; rejected and deleted ones are gone.
        let me = viewer.map_or(0, |a| a.user_id);
        let shown = || {
            posts::deleted_at
                .is_null()
                .or(posts::review_state.eq("hidden"))
                .or(posts::review_state.eq("held").and(posts::author_id.eq(me)))
        };
        replies_q = replies_q.filter(shown());
        count_q = count_q.filter(shown());
    }
    let total_replies: i64 = count_q.count().get_result(conn)?;
    let reply_rows: Vec<(PostRow, UserRefRow)> = replies_q
        .order(posts::id.asc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select((PostRow::as_select(), UserRefRow::as_select()))
        .load(conn)?;
    let mut all = vec![question_row];
    all.extend(reply_rows);
    let mut posts = post_models(conn, all, thread.accepted_post_id, viewer)?;
    let question = posts.remove(0);
    let tags: Vec<String> = thread_tags::table
        .filter(thread_tags::thread_id.eq(thread_id))
        .order(thread_tags::tag)
        .select(thread_tags::tag)
        .load(conn)?;
    let slug = category.slug.clone();
    Ok(ThreadPage {
        thread: ThreadSummary {
            id: thread.id,
            category_id: thread.category_id,
            category_slug: slug,
            title: thread.title,
            status: parse_status(&thread.status)?,
            author: author.into_ref()?,
            tags,
            reply_count: thread.reply_count,
            view_count: thread.view_count,
            accepted_post_id: thread.accepted_post_id,
            created_at: thread.created_at,
            last_activity_at: thread.last_activity_at,
        },
        category: category_row_to_model(category),
        question,
        replies: posts,
        total_replies,
        page,
        per_page,
    })
}

/// Status implied by a thread's state; `locked` wins until unlocked.
pub(super) fn recompute_status(conn: &mut Conn, thread: &ThreadRow) -> Result<ThreadStatus> {
    if thread.status == ThreadStatus::Locked.as_str() {
        return Ok(ThreadStatus::Locked);
    }
    if thread.accepted_post_id.is_some() {
        return Ok(ThreadStatus::Solved);
    }
    // Whether one live reply by someone else exists: the first found ends
    // the search (a count walked every reply of a long thread).
    let answered = posts::table
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(posts::author_id.ne(thread.author_id))
        .select(posts::id)
        .first::<i64>(conn)
        .optional()?
        .is_some();
    Ok(if answered {
        ThreadStatus::Answered
    } else {
        ThreadStatus::Open
    })
}

pub(super) fn load_thread(conn: &mut Conn, thread_id: i64) -> Result<ThreadRow> {
    Ok(threads::table
        .find(thread_id)
        .select(ThreadRow::as_select())
        .first(conn)?)
}

#[allow(clippy::too_many_arguments)]
pub fn insert_reply(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    thread_id: i64,
    body_md: &str,
    body_html: &str,
    screening: &crate::review::Screening,
    same_tx: &mut dyn FnMut(&mut Conn, i64) -> Result<()>,
) -> Result<crate::review::Submitted> {
    transaction(conn, |conn| {
        let (thread, category) = visible_thread(conn, thread_id, Some(actor))?;
        if thread.deleted_at.is_some() {
            return Err(ForumError::NotFound("thread"));
        }
        policy::ensure_can_reply(actor, parse_status(&thread.status)?)?;
        if category.archived_at.is_some() {
            return Err(ForumError::Forbidden(
                "this board is archived: its threads are read-only",
            ));
        }
        let held = screen_post(
            conn,
            now,
            actor,
            body_md,
            false,
            crate::boards::Premoderation::parse(&category.premoderation).unwrap_or_default(),
            screening,
        )?;
        let post_id: i64 = diesel::insert_into(posts::table)
            .values(NewPostRow {
                thread_id,
                author_id: actor.user_id,
                is_question: false,
                body_md,
                body_html,
                kudos: 0,
                created_at: now,
                edited_at: None,
                deleted_at: None,
            })
            .returning(posts::id)
            .get_result(conn)?;
        if !actor.role.is_staff() {
            record_post(conn, now, post_id, actor.user_id, body_md, held.is_empty())?;
        }
        if !held.is_empty() {
            hold_new_post(conn, now, post_id, thread_id, actor, false, &held)?;
            same_tx(conn, post_id)?;
            return Ok(crate::review::Submitted {
                thread_id,
                post_id,
                held,
            });
        }
        // A reply by someone other than the asker answers an open thread;
        // nothing else about the status changes, so no need to look at the
        // other replies.
        let status = match parse_status(&thread.status)? {
            ThreadStatus::Open if actor.user_id != thread.author_id => ThreadStatus::Answered,
            unchanged => unchanged,
        };
        diesel::update(threads::table.find(thread_id))
            .set((
                threads::reply_count.eq(threads::reply_count + 1),
                threads::last_activity_at.eq(now),
                threads::status.eq(status.as_str()),
            ))
            .execute(conn)?;
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::PostCreated(events::PostCreated {
                post_id,
                thread_id,
                category_id: category.id,
                author_id: actor.user_id,
                thread_author_id: thread.author_id,
                private: category.is_private,
            }),
        )?;
        same_tx(conn, post_id)?;
        Ok(crate::review::Submitted {
            thread_id,
            post_id,
            held,
        })
    })
}

pub(super) fn set_status(conn: &mut Conn, thread_id: i64, status: ThreadStatus) -> Result<()> {
    diesel::update(threads::table.find(thread_id))
        .set(threads::status.eq(status.as_str()))
        .execute(conn)?;
    Ok(())
}

pub(super) fn load_post(conn: &mut Conn, post_id: i64) -> Result<PostRow> {
    posts::table
        .find(post_id)
        .select(PostRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("post"))
}

/// Render the stored Markdown of posts after `after_id` again (up to
/// `limit` of them) and write back the HTML that changed. Returns the last
/// id seen, how many were read and how many changed.
pub fn rerender_posts(
    conn: &mut Conn,
    after_id: i64,
    limit: i64,
    render: &dyn Fn(&str) -> String,
) -> Result<(Option<i64>, u64, u64)> {
    let rows: Vec<(i64, String, String)> = posts::table
        .filter(posts::id.gt(after_id))
        .order(posts::id.asc())
        .limit(limit)
        .select((posts::id, posts::body_md, posts::body_html))
        .load(conn)?;
    let last = rows.last().map(|r| r.0);
    let read = rows.len() as u64;
    let changed: Vec<(i64, String)> = rows
        .into_iter()
        .filter_map(|(id, md, html)| {
            let fresh = render(&md);
            (fresh != html).then_some((id, fresh))
        })
        .collect();
    let n = changed.len() as u64;
    transaction(conn, |conn| {
        for (id, html) in &changed {
            diesel::update(posts::table.find(id))
                .set(posts::body_html.eq(html))
                .execute(conn)?;
        }
        Ok(())
    })?;
    Ok((last, read, n))
}

/// One post as `viewer` sees it on the thread page (a deleted one hidden
/// from non-moderators, as there).
pub fn post_view(conn: &mut Conn, post_id: i64, viewer: Option<Actor>) -> Result<Post> {
    let post = load_post(conn, post_id)?;
    let (thread, _) = visible_thread(conn, post.thread_id, viewer)?;
    let row: (PostRow, UserRefRow) = posts::table
        .inner_join(users::table)
        .filter(posts::id.eq(post_id))
        .select((PostRow::as_select(), UserRefRow::as_select()))
        .first(conn)?;
    post_models(conn, vec![row], thread.accepted_post_id, viewer)?
        .pop()
        .ok_or(ForumError::NotFound("post"))
}

/// Whether a staff member (agent, moderator or admin) replied in the
/// thread where everyone can read it: not deleted, not held for review.
pub fn staff_replied(conn: &mut Conn, thread_id: i64) -> Result<bool> {
    let replies: i64 = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(posts::review_state.is_null())
        .filter(users::role.ne(Role::Customer.as_str()))
        .count()
        .get_result(conn)?;
    Ok(replies > 0)
}

/// Where a post is on its thread's pages of `per_page` replies, as
/// `viewer` sees them: (thread, page). The question is on page 1.
pub fn post_location(
    conn: &mut Conn,
    post_id: i64,
    viewer: Option<Actor>,
    per_page: i64,
) -> Result<(i64, i64)> {
    let post = load_post(conn, post_id)?;
    visible_thread(conn, post.thread_id, viewer)?;
    if post.is_question {
        return Ok((post.thread_id, 1));
    }
    let mut before = posts::table
        .filter(posts::thread_id.eq(post.thread_id))
        .filter(posts::is_question.eq(false))
        .filter(posts::id.lt(post_id))
        .into_boxed();
    if !viewer.is_some_and(|a| a.role.can_moderate()) {
        // The same replies the thread page lists for this viewer.
        let me = viewer.map_or(0, |a| a.user_id);
        before = before.filter(
            posts::deleted_at
                .is_null()
                .or(posts::review_state.eq("hidden"))
                .or(posts::review_state.eq("held").and(posts::author_id.eq(me))),
        );
    }
    let earlier: i64 = before.count().get_result(conn)?;
    Ok((post.thread_id, earlier / per_page.max(1) + 1))
}

/// Ok when `viewer` may read thread `id` (NotFound otherwise).
pub fn ensure_thread_visible(conn: &mut Conn, id: i64, viewer: Option<Actor>) -> Result<()> {
    visible_thread(conn, id, viewer).map(|_| ())
}

pub fn thread_id_of_post(conn: &mut Conn, post_id: i64, viewer: Option<Actor>) -> Result<i64> {
    let post = load_post(conn, post_id)?;
    visible_thread(conn, post.thread_id, viewer)?;
    Ok(post.thread_id)
}

/// Edit a post (and, for the question, optionally the title). The first edit
/// also records the original, so the history is complete.
#[allow(clippy::too_many_arguments)]
pub fn update_post(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    post_id: i64,
    new_title: Option<&str>,
    body_md: &str,
    body_html: &str,
    may_edit_others: bool,
) -> Result<()> {
    transaction(conn, |conn| {
        let post = load_post(conn, post_id)?;
        let (thread, _) = visible_thread(conn, post.thread_id, Some(actor))?;
        policy::ensure_can_edit(
            actor,
            post.author_id,
            post.deleted_at.is_some(),
            may_edit_others,
        )?;
        if new_title.is_some() && !post.is_question {
            return Err(ForumError::invalid(
                "title",
                crate::Rule::OnlyQuestionHasTitle,
                "only the question has a title",
            ));
        }
        let has_history: i64 = post_revisions::table
            .filter(post_revisions::post_id.eq(post_id))
            .count()
            .get_result(conn)?;
        let title_of = |t: &str| {
            if post.is_question {
                Some(t.to_string())
            } else {
                None
            }
        };
        if has_history == 0 {
            diesel::insert_into(post_revisions::table)
                .values((
                    post_revisions::post_id.eq(post_id),
                    post_revisions::editor_id.eq(post.author_id),
                    post_revisions::title.eq(title_of(&thread.title)),
                    post_revisions::body_md.eq(&post.body_md),
                    post_revisions::created_at.eq(post.created_at),
                ))
                .execute(conn)?;
        }
        let title = new_title.unwrap_or(&thread.title);
        diesel::insert_into(post_revisions::table)
            .values((
                post_revisions::post_id.eq(post_id),
                post_revisions::editor_id.eq(actor.user_id),
                post_revisions::title.eq(title_of(title)),
                post_revisions::body_md.eq(body_md),
                post_revisions::created_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(posts::table.find(post_id))
            .set((
                posts::body_md.eq(body_md),
                posts::body_html.eq(body_html),
                posts::edited_at.eq(Some(now)),
            ))
            .execute(conn)?;
        if let Some(t) = new_title {
            diesel::update(threads::table.find(thread.id))
                .set(threads::title.eq(t))
                .execute(conn)?;
        }
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::PostEdited(events::PostEdited {
                post_id,
                thread_id: thread.id,
                is_question: post.is_question,
                editor_id: actor.user_id,
                title_changed: new_title.is_some(),
            }),
        )?;
        Ok(())
    })
}

pub fn revisions(conn: &mut Conn, post_id: i64, viewer: Option<Actor>) -> Result<Vec<Revision>> {
    let post = load_post(conn, post_id)?;
    visible_thread(conn, post.thread_id, viewer)?;
    if post.deleted_at.is_some() && !viewer.is_some_and(|a| a.role.can_moderate()) {
        return Err(ForumError::NotFound("post"));
    }
    let rows: Vec<(i64, Option<String>, String, i64, UserRefRow)> = post_revisions::table
        .inner_join(users::table.on(users::id.eq(post_revisions::editor_id)))
        .filter(post_revisions::post_id.eq(post_id))
        .order(post_revisions::id.asc())
        .select((
            post_revisions::id,
            post_revisions::title,
            post_revisions::body_md,
            post_revisions::created_at,
            UserRefRow::as_select(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, title, body_md, created_at, editor)| {
            Ok(Revision {
                id,
                post_id,
                editor: editor.into_ref()?,
                title,
                body_md,
                created_at,
            })
        })
        .collect()
}

/// Soft delete by a moderator. Deleting the question removes the thread.
pub fn soft_delete_post(conn: &mut Conn, now: i64, actor: Actor, post_id: i64) -> Result<()> {
    policy::ensure_can_moderate(actor)?;
    transaction(conn, |conn| {
        let post = load_post(conn, post_id)?;
        if post.deleted_at.is_some() {
            return Ok(());
        }
        let thread = load_thread(conn, post.thread_id)?;
        diesel::update(posts::table.find(post_id))
            .set((
                posts::deleted_at.eq(Some(now)),
                posts::deleted_by.eq(Some(actor.user_id)),
            ))
            .execute(conn)?;
        if post.is_question {
            diesel::update(threads::table.find(thread.id))
                .set(threads::deleted_at.eq(Some(now)))
                .execute(conn)?;
            super::boards::recount_board_threads(conn, thread.category_id)?;
        } else {
            let accepted = thread.accepted_post_id == Some(post_id);
            diesel::update(threads::table.find(thread.id))
                .set((
                    threads::reply_count.eq(threads::reply_count - 1),
                    threads::accepted_post_id.eq(if accepted {
                        None
                    } else {
                        thread.accepted_post_id
                    }),
                    threads::accepted_at.eq(if accepted { None } else { thread.accepted_at }),
                ))
                .execute(conn)?;
            let fresh = load_thread(conn, thread.id)?;
            let status = recompute_status(conn, &fresh)?;
            set_status(conn, thread.id, status)?;
        }
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::PostDeleted(events::PostDeleted {
                post_id,
                thread_id: thread.id,
                author_id: post.author_id,
                is_question: post.is_question,
                kudos: post.kudos.into(),
                was_accepted: thread.accepted_post_id == Some(post_id),
            }),
        )?;
        Ok(())
    })
}

/// Give (`on`) or withdraw a kudo. Repeats are no-ops. Returns the new count.
pub fn set_vote(conn: &mut Conn, now: i64, actor: Actor, post_id: i64, on: bool) -> Result<i32> {
    transaction(conn, |conn| {
        let post = load_post(conn, post_id)?;
        let (thread, _) = visible_thread(conn, post.thread_id, Some(actor))?;
        policy::ensure_can_vote(actor, post.author_id, post.deleted_at.is_some())?;
        let changed = if on {
            diesel::insert_into(votes::table)
                .values((
                    votes::post_id.eq(post_id),
                    votes::user_id.eq(actor.user_id),
                    votes::created_at.eq(now),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?
        } else {
            diesel::delete(votes::table.find((post_id, actor.user_id))).execute(conn)?
        };
        if changed > 0 {
            let delta = if on { 1 } else { -1 };
            diesel::update(posts::table.find(post_id))
                .set(posts::kudos.eq(posts::kudos + delta))
                .execute(conn)?;
            let vote = events::PostVote {
                post_id,
                thread_id: thread.id,
                voter_id: actor.user_id,
                author_id: post.author_id,
            };
            emit(
                conn,
                now,
                Some(actor.user_id),
                if on {
                    EventBody::PostVoted(vote)
                } else {
                    EventBody::PostUnvoted(vote)
                },
            )?;
        }
        Ok(post.kudos
            + if changed > 0 {
                if on {
                    1
                } else {
                    -1
                }
            } else {
                0
            })
    })
}

pub fn accept(conn: &mut Conn, now: i64, actor: Actor, post_id: i64) -> Result<()> {
    transaction(conn, |conn| {
        let post = load_post(conn, post_id)?;
        let (thread, category) = visible_thread(conn, post.thread_id, Some(actor))?;
        policy::ensure_can_accept(
            actor,
            thread.author_id,
            parse_status(&thread.status)?,
            post.is_question,
            post.deleted_at.is_some(),
        )?;
        if thread.accepted_post_id == Some(post_id) {
            return Ok(());
        }
        diesel::update(threads::table.find(thread.id))
            .set((
                threads::accepted_post_id.eq(Some(post_id)),
                threads::accepted_at.eq(Some(now)),
                threads::last_activity_at.eq(now),
            ))
            .execute(conn)?;
        if thread.status != ThreadStatus::Locked.as_str() {
            set_status(conn, thread.id, ThreadStatus::Solved)?;
        }
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::SolutionAccepted(events::SolutionAccepted {
                thread_id: thread.id,
                post_id,
                answer_author_id: post.author_id,
                asker_id: thread.author_id,
                previous_post_id: thread.accepted_post_id,
                category_id: category.id,
            }),
        )?;
        Ok(())
    })
}

pub fn unaccept(conn: &mut Conn, now: i64, actor: Actor, thread_id: i64) -> Result<()> {
    transaction(conn, |conn| {
        let (thread, _) = visible_thread(conn, thread_id, Some(actor))?;
        let Some(post_id) = thread.accepted_post_id else {
            return Ok(());
        };
        if actor.user_id != thread.author_id && !actor.role.can_moderate() {
            return Err(ForumError::Forbidden(
                "only the asker or a moderator can do this",
            ));
        }
        diesel::update(threads::table.find(thread_id))
            .set((
                threads::accepted_post_id.eq(None::<i64>),
                threads::accepted_at.eq(None::<i64>),
            ))
            .execute(conn)?;
        let fresh = load_thread(conn, thread_id)?;
        let status = recompute_status(conn, &fresh)?;
        set_status(conn, thread_id, status)?;
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::SolutionUnaccepted(events::SolutionUnaccepted { thread_id, post_id }),
        )?;
        Ok(())
    })
}

pub fn set_locked(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    thread_id: i64,
    locked: bool,
) -> Result<()> {
    policy::ensure_can_moderate(actor)?;
    transaction(conn, |conn| {
        let (thread, _) = visible_thread(conn, thread_id, Some(actor))?;
        let is_locked = thread.status == ThreadStatus::Locked.as_str();
        if is_locked == locked {
            return Ok(());
        }
        if locked {
            set_status(conn, thread_id, ThreadStatus::Locked)?;
        } else {
            let mut unlocked = thread.clone();
            unlocked.status = ThreadStatus::Open.as_str().into();
            let status = recompute_status(conn, &unlocked)?;
            set_status(conn, thread_id, status)?;
        }
        let thread = events::ThreadRef { thread_id };
        emit(
            conn,
            now,
            Some(actor.user_id),
            if locked {
                EventBody::ThreadLocked(thread)
            } else {
                EventBody::ThreadUnlocked(thread)
            },
        )?;
        Ok(())
    })
}

pub fn add_views(conn: &mut Conn, counts: &[(i64, i64)]) -> Result<()> {
    transaction(conn, |conn| {
        for (thread_id, n) in counts {
            diesel::update(threads::table.find(thread_id))
                .set(threads::view_count.eq(threads::view_count + n))
                .execute(conn)?;
        }
        Ok(())
    })
}
