//! Knowledge-base storage, compiled per backend (`db/sqlite_store.rs`, `db/pg_store.rs`) as `…_store::kb`.
//! Promotion, editing with versions, review and publishing, feedback, the
//! staleness watch on source posts, and the documents search indexes.

#[allow(unused_imports)]
use super::*;

use crate::kb::{
    self as rules, Article, ArticleDocument, ArticleEdit, ArticleRevision, ArticleStatus, KbConfig,
    Quoted, SourceChange,
};
use crate::policy;

pub const CONSUMER: &str = crate::kb::OUTBOX_CONSUMER;

type ArticleParts = (KbCoreRow, Option<KbSourceRow>);

fn split_tags(tags: &str) -> Vec<String> {
    tags.split(',')
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

fn load_article_row(conn: &mut Conn, slug: &str) -> Result<KbArticleRow> {
    kb_articles::table
        .left_join(kb_article_sources::table)
        .filter(kb_articles::slug.eq(slug))
        .select((KbCoreRow::as_select(), Option::<KbSourceRow>::as_select()))
        .first::<ArticleParts>(conn)
        .optional()?
        .map(KbArticleRow::from)
        .ok_or(ForumError::NotFound("article"))
}

/// Staff see every article; others only published ones in boards they may see.
fn ensure_can_read(viewer: Option<Actor>, row: &KbArticleRow, see_min_role: Role) -> Result<()> {
    let staff = viewer.is_some_and(|a| a.role.is_staff());
    if (!staff && row.status != "published") || !policy::can_see_category(viewer, see_min_role) {
        return Err(ForumError::NotFound("article"));
    }
    Ok(())
}

fn ensure_staff(actor: Actor) -> Result<()> {
    if actor.role.is_staff() {
        Ok(())
    } else {
        Err(ForumError::Forbidden(
            "only agents and moderators can curate the knowledge base",
        ))
    }
}

fn to_article(conn: &mut Conn, cfg: &KbConfig, row: KbArticleRow) -> Result<Article> {
    let category = load_category_for(conn, row.category_id)?;
    let source_author = match row.source_author_id {
        Some(id) => users::table
            .find(id)
            .select(users::username)
            .first::<String>(conn)
            .optional()?
            .map(|name| (id, name)),
        None => None,
    };
    Ok(Article {
        id: row.id,
        slug: row.slug,
        title: row.title,
        body_md: row.body_md,
        body_html: row.body_html,
        category: category.slug,
        category_id: row.category_id,
        category_name: category.name,
        private: category.is_private,
        tags: split_tags(&row.tags),
        language: row.language,
        status: ArticleStatus::parse(&row.status).unwrap_or(ArticleStatus::Draft),
        version: row.version,
        source_thread_id: row.source_thread_id,
        source_post_id: row.source_post_id,
        source_author,
        source_changed: row.source_changed,
        auto_promoted: row.auto_promoted,
        helpful: row.helpful,
        not_helpful: row.not_helpful,
        needs_review_for_feedback: rules::flagged_by_feedback(cfg, row.helpful, row.not_helpful),
        created_at: row.created_at,
        updated_at: row.updated_at,
        published_at: row.published_at,
    })
}

fn unique_slug(conn: &mut Conn, base: &str, suffix: i64) -> Result<String> {
    let taken = |conn: &mut Conn, s: &str| -> Result<bool> {
        Ok(kb_articles::table
            .filter(kb_articles::slug.eq(s))
            .count()
            .get_result::<i64>(conn)?
            > 0)
    };
    // "review" is a page of its own under /kb/.
    if base != "review" && !taken(conn, base)? {
        return Ok(base.to_string());
    }
    let candidate = format!("{base}-{suffix}");
    if !taken(conn, &candidate)? {
        return Ok(candidate);
    }
    Ok(format!("{base}-{suffix}-{}", rand_suffix()))
}

fn rand_suffix() -> String {
    use rand::Rng;
    format!("{:06x}", rand::thread_rng().gen::<u32>() & 0xff_ffff)
}

/// The current question and accepted answer of a thread (markdown).
fn source_texts(conn: &mut Conn, thread_id: i64, post_id: Option<i64>) -> Result<(String, String)> {
    let question: String = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(true))
        .select(posts::body_md)
        .first(conn)
        .optional()?
        .unwrap_or_default();
    let answer: String = match post_id {
        Some(id) => posts::table
            .find(id)
            .filter(posts::deleted_at.is_null())
            .select(posts::body_md)
            .first(conn)
            .optional()?
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok((question, answer))
}

/// Tell moderators and administrators an article needs a look; `reason`
/// (`awaiting`, `unhelpful`, `source_changed`) and the article's title are
/// what the notice's text is written from in each reader's language.
fn notify_curators(
    conn: &mut Conn,
    now: i64,
    (reason, article): (&str, &str),
    title: &str,
    link: &str,
    key: &str,
) -> Result<()> {
    let curators: Vec<i64> = users::table
        .filter(users::role.eq_any(["moderator", "admin"]))
        .select(users::id)
        .load(conn)?;
    for user_id in curators {
        super::reputation::notify(
            conn,
            now,
            user_id,
            "kb_review",
            (title, link),
            &format!("{key}:{user_id}"),
            serde_json::json!({ "reason": reason, "article": article }),
        )?;
    }
    Ok(())
}

/// Promote a solved thread to a draft (by staff) or to review (by rule).
/// Idempotent: a thread has at most one article; promoting again returns it.
/// Returns the article's slug and whether it was created now.
pub fn promote(
    conn: &mut Conn,
    cfg: &KbConfig,
    now: i64,
    actor: Option<Actor>,
    thread_id: i64,
) -> Result<(String, bool)> {
    if let Some(a) = actor {
        ensure_staff(a)?;
    }
    transaction(conn, |conn| promote_in_tx(conn, cfg, now, actor, thread_id))
}

/// A blank draft titled `title` in `category` (a gap the community's
/// searches found): staff only. Returns its slug.
pub fn create_draft(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    category_id: i64,
    title: &str,
) -> Result<String> {
    ensure_staff(actor)?;
    transaction(conn, |conn| {
        let title = rules::article_title(title);
        let language = rules::guess_language(&title);
        let slug = unique_slug(conn, &rules::slugify(&title), now / 1000)?;
        let article_id: i64 = diesel::insert_into(kb_articles::table)
            .values(NewKbArticleRow {
                slug: &slug,
                title: &title,
                body_md: "",
                body_html: "",
                category_id,
                tags: "",
                language,
                status: "draft",
                version: 1,
                created_by: Some(actor.user_id),
                created_at: now,
                updated_at: now,
            })
            .returning(kb_articles::id)
            .get_result(conn)?;
        insert_revision(
            conn,
            now,
            article_id,
            1,
            &title,
            "",
            Some(actor.user_id),
            "Drafted from a search that found nothing",
        )?;
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::KbCreated(events::KbCreated {
                article_id,
                slug: slug.clone(),
                thread_id: None,
                status: "draft".into(),
                auto: false,
            }),
        )?;
        Ok(slug)
    })
}

fn promote_in_tx(
    conn: &mut Conn,
    cfg: &KbConfig,
    now: i64,
    actor: Option<Actor>,
    thread_id: i64,
) -> Result<(String, bool)> {
    let existing: Option<String> = kb_articles::table
        .inner_join(kb_article_sources::table)
        .filter(kb_article_sources::thread_id.eq(thread_id))
        .select(kb_articles::slug)
        .first(conn)
        .optional()?;
    if let Some(slug) = existing {
        return Ok((slug, false));
    }
    let (thread, _category) = visible_thread(conn, thread_id, actor)?;
    let Some(accepted_id) = thread.accepted_post_id else {
        return Err(ForumError::invalid(
            "thread",
            crate::Rule::NotSolved,
            "only a solved thread can be promoted",
        ));
    };
    let accepted = load_post(conn, accepted_id)?;
    if accepted.deleted_at.is_some() {
        return Err(ForumError::invalid(
            "thread",
            crate::Rule::AnswerDeleted,
            "the accepted answer was deleted",
        ));
    }
    let question: PostRow = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(true))
        .select(PostRow::as_select())
        .first(conn)?;
    let others: Vec<(PostRow, String)> = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(posts::id.ne(accepted_id))
        .filter(posts::kudos.ge(cfg.quote_min_kudos.max(1)))
        .order((posts::kudos.desc(), posts::id.asc()))
        .limit(3)
        .select((PostRow::as_select(), users::username))
        .load(conn)?;
    let answer_author: String = users::table
        .find(accepted.author_id)
        .select(users::username)
        .first(conn)?;
    let answer = Quoted {
        post_id: accepted.id,
        thread_id,
        author: &answer_author,
        kudos: accepted.kudos,
        body_md: &accepted.body_md,
    };
    let quoted: Vec<Quoted> = others
        .iter()
        .map(|(p, author)| Quoted {
            post_id: p.id,
            thread_id,
            author,
            kudos: p.kudos,
            body_md: &p.body_md,
        })
        .collect();
    let title = rules::article_title(&thread.title);
    let body = rules::draft_body(&cfg.draft_words, &question.body_md, &answer, &quoted);
    let html = crate::markdown::render(&body);
    let slug = unique_slug(conn, &rules::slugify(&title), thread_id)?;
    let tags: Vec<String> = thread_tags::table
        .filter(thread_tags::thread_id.eq(thread_id))
        .order(thread_tags::tag.asc())
        .select(thread_tags::tag)
        .load(conn)?;
    let tags = tags.join(",");
    let language = rules::guess_language(&format!("{} {}", thread.title, accepted.body_md));
    let auto = actor.is_none();
    let status = if auto { "review" } else { "draft" };
    let article_id: i64 = diesel::insert_into(kb_articles::table)
        .values(NewKbArticleRow {
            slug: &slug,
            title: &title,
            body_md: &body,
            body_html: &html,
            category_id: thread.category_id,
            tags: &tags,
            language,
            status,
            version: 1,
            created_by: actor.map(|a| a.user_id),
            created_at: now,
            updated_at: now,
        })
        .returning(kb_articles::id)
        .get_result(conn)?;
    diesel::insert_into(kb_article_sources::table)
        .values(KbSourceRow {
            article_id,
            thread_id,
            post_id: accepted_id,
            author_id: accepted.author_id,
            question_md: question.body_md.clone(),
            answer_md: accepted.body_md.clone(),
            changed: false,
            auto_promoted: auto,
        })
        .execute(conn)?;
    insert_revision(
        conn,
        now,
        article_id,
        1,
        &title,
        &body,
        actor.map(|a| a.user_id),
        &format!("Promoted from thread #{thread_id}"),
    )?;
    emit(
        conn,
        now,
        actor.map(|a| a.user_id),
        EventBody::KbCreated(events::KbCreated {
            article_id,
            slug: slug.to_owned(),
            thread_id: Some(thread_id),
            status: status.to_owned(),
            auto,
        }),
    )?;
    if auto {
        notify_curators(
            conn,
            now,
            ("awaiting", &title),
            &format!("Article awaiting review: {title}"),
            &format!("/kb/{slug}/edit"),
            &format!("kb-review:{article_id}"),
        )?;
    }
    Ok((slug, true))
}

#[allow(clippy::too_many_arguments)]
fn insert_revision(
    conn: &mut Conn,
    now: i64,
    article_id: i64,
    version: i32,
    title: &str,
    body: &str,
    editor: Option<i64>,
    note: &str,
) -> Result<()> {
    diesel::insert_into(kb_revisions::table)
        .values((
            kb_revisions::article_id.eq(article_id),
            kb_revisions::version.eq(version),
            kb_revisions::title.eq(title),
            kb_revisions::body_md.eq(body),
            kb_revisions::editor_id.eq(editor),
            kb_revisions::note.eq(note),
            kb_revisions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Edit an article; every edit is a new version. `body_html` is the rendered body.
pub fn update(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    slug: &str,
    edit: &ArticleEdit,
    body_html: Option<&str>,
) -> Result<()> {
    ensure_staff(actor)?;
    transaction(conn, |conn| {
        let row = load_article_row(conn, slug)?;
        let category_id = match &edit.category {
            Some(c) => category_by_slug(conn, c, Some(actor))?.id,
            None => row.category_id,
        };
        let title = edit.title.clone().unwrap_or(row.title.clone());
        let body = edit.body.clone().unwrap_or(row.body_md.clone());
        let html = body_html.map_or(row.body_html.clone(), String::from);
        let tags = edit.tags.as_ref().map_or(row.tags.clone(), |t| t.join(","));
        let version = row.version + 1;
        diesel::update(kb_articles::table.find(row.id))
            .set((
                kb_articles::title.eq(&title),
                kb_articles::body_md.eq(&body),
                kb_articles::body_html.eq(&html),
                kb_articles::category_id.eq(category_id),
                kb_articles::tags.eq(&tags),
                kb_articles::version.eq(version),
                kb_articles::updated_at.eq(now),
            ))
            .execute(conn)?;
        insert_revision(
            conn,
            now,
            row.id,
            version,
            &title,
            &body,
            Some(actor.user_id),
            &edit.note,
        )?;
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::KbUpdated(events::KbChanged {
                article_id: row.id,
                slug: slug.to_owned(),
                status: None,
            }),
        )?;
        Ok(())
    })
}

/// Move an article through review: staff submit for review or return to
/// draft; moderators publish and archive. Publishing marks the source as
/// reviewed (the current question and answer become the new baseline).
pub fn set_status(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    slug: &str,
    status: ArticleStatus,
) -> Result<()> {
    ensure_staff(actor)?;
    if matches!(status, ArticleStatus::Published | ArticleStatus::Archived)
        && !actor.role.can_moderate()
    {
        return Err(ForumError::Forbidden(
            "only moderators can publish or archive articles",
        ));
    }
    transaction(conn, |conn| {
        let row = load_article_row(conn, slug)?;
        if row.status == status.as_str()
            && !(status == ArticleStatus::Published && row.source_changed)
        {
            return Ok(());
        }
        diesel::update(kb_articles::table.find(row.id))
            .set((
                kb_articles::status.eq(status.as_str()),
                kb_articles::updated_at.eq(now),
            ))
            .execute(conn)?;
        if status == ArticleStatus::Published {
            let (question, answer) = match row.source_thread_id {
                Some(t) => source_texts(conn, t, row.source_post_id)?,
                None => Default::default(),
            };
            diesel::update(kb_articles::table.find(row.id))
                .set(kb_articles::published_at.eq(Some(row.published_at.unwrap_or(now))))
                .execute(conn)?;
            diesel::update(kb_article_sources::table.find(row.id))
                .set((
                    kb_article_sources::changed.eq(false),
                    kb_article_sources::question_md.eq(question),
                    kb_article_sources::answer_md.eq(answer),
                ))
                .execute(conn)?;
        }
        let changed = events::KbChanged {
            article_id: row.id,
            slug: slug.to_owned(),
            status: Some(status.as_str().to_owned()),
        };
        emit(
            conn,
            now,
            Some(actor.user_id),
            match status {
                ArticleStatus::Published => EventBody::KbPublished(changed),
                ArticleStatus::Archived => EventBody::KbArchived(changed),
                _ => EventBody::KbUpdated(changed),
            },
        )?;
        Ok(())
    })
}

/// One helpful / not-helpful vote per member and article; voting again changes it.
pub fn feedback(
    conn: &mut Conn,
    cfg: &KbConfig,
    now: i64,
    actor: Actor,
    slug: &str,
    helpful: bool,
) -> Result<Article> {
    transaction(conn, |conn| {
        let row = load_article_row(conn, slug)?;
        let category = load_category_for(conn, row.category_id)?;
        ensure_can_read(Some(actor), &row, category.see_role())?;
        if row.status != "published" {
            return Err(ForumError::invalid(
                "article",
                crate::Rule::NotPublished,
                "only published articles take feedback",
            ));
        }
        diesel::delete(
            kb_feedback::table
                .filter(kb_feedback::article_id.eq(row.id))
                .filter(kb_feedback::user_id.eq(actor.user_id)),
        )
        .execute(conn)?;
        diesel::insert_into(kb_feedback::table)
            .values((
                kb_feedback::article_id.eq(row.id),
                kb_feedback::user_id.eq(actor.user_id),
                kb_feedback::helpful.eq(helpful),
                kb_feedback::created_at.eq(now),
            ))
            .execute(conn)?;
        let count = |conn: &mut Conn, h: bool| -> Result<i32> {
            Ok(kb_feedback::table
                .filter(kb_feedback::article_id.eq(row.id))
                .filter(kb_feedback::helpful.eq(h))
                .count()
                .get_result::<i64>(conn)? as i32)
        };
        let (yes, no) = (count(conn, true)?, count(conn, false)?);
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::KbFeedback(crate::events::KbChanged {
                article_id: row.id,
                slug: row.slug.clone(),
                status: None,
            }),
        )?;
        diesel::update(kb_articles::table.find(row.id))
            .set((
                kb_articles::helpful.eq(yes),
                kb_articles::not_helpful.eq(no),
            ))
            .execute(conn)?;
        if rules::flagged_by_feedback(cfg, yes, no)
            && !rules::flagged_by_feedback(cfg, row.helpful, row.not_helpful)
        {
            notify_curators(
                conn,
                now,
                ("unhelpful", &row.title),
                &format!("Readers find this article unhelpful: {}", row.title),
                &format!("/kb/{slug}/edit"),
                &format!("kb-unhelpful:{}:{}", row.id, yes + no),
            )?;
        }
        let fresh = load_article_row(conn, slug)?;
        to_article(conn, cfg, fresh)
    })
}

pub fn article(
    conn: &mut Conn,
    cfg: &KbConfig,
    slug: &str,
    viewer: Option<Actor>,
) -> Result<Article> {
    let row = load_article_row(conn, slug)?;
    let category = load_category_for(conn, row.category_id)?;
    ensure_can_read(viewer, &row, category.see_role())?;
    to_article(conn, cfg, row)
}

/// Published articles the viewer may see, newest first, optionally by category.
pub fn list(
    conn: &mut Conn,
    cfg: &KbConfig,
    viewer: Option<Actor>,
    category: Option<&str>,
    limit: i64,
) -> Result<Vec<Article>> {
    let visible = visible_category_ids(conn, viewer)?;
    let mut q = kb_articles::table
        .left_join(kb_article_sources::table)
        .filter(kb_articles::status.eq("published"))
        .filter(kb_articles::category_id.eq_any(visible))
        .into_boxed();
    if let Some(slug) = category {
        let c = category_by_slug(conn, slug, viewer)?;
        q = q.filter(kb_articles::category_id.eq(c.id));
    }
    let rows: Vec<ArticleParts> = q
        .order((kb_articles::published_at.desc(), kb_articles::id.desc()))
        .limit(limit.clamp(1, 500))
        .select((KbCoreRow::as_select(), Option::<KbSourceRow>::as_select()))
        .load(conn)?;
    rows.into_iter()
        .map(|r| to_article(conn, cfg, r.into()))
        .collect()
}

/// What reviewers should look at: drafts, articles in review, and published
/// ones whose source changed or whose readers mostly found them unhelpful.
pub fn review_queue(conn: &mut Conn, cfg: &KbConfig, actor: Actor) -> Result<Vec<Article>> {
    ensure_staff(actor)?;
    let rows: Vec<ArticleParts> = kb_articles::table
        .left_join(kb_article_sources::table)
        .filter(
            kb_articles::status
                .eq_any(["draft", "review"])
                .or(kb_article_sources::changed.nullable().eq(true))
                .or(kb_articles::not_helpful.gt(kb_articles::helpful)),
        )
        .filter(kb_articles::status.ne("archived"))
        .order((kb_articles::updated_at.desc(), kb_articles::id.desc()))
        .limit(500)
        .select((KbCoreRow::as_select(), Option::<KbSourceRow>::as_select()))
        .load(conn)?;
    let mut out = Vec::new();
    for r in rows {
        let a = to_article(conn, cfg, r.into())?;
        let wanted = matches!(a.status, ArticleStatus::Draft | ArticleStatus::Review)
            || a.source_changed
            || a.needs_review_for_feedback;
        if wanted {
            out.push(a);
        }
    }
    Ok(out)
}

pub fn revisions(conn: &mut Conn, actor: Actor, slug: &str) -> Result<Vec<ArticleRevision>> {
    ensure_staff(actor)?;
    let row = load_article_row(conn, slug)?;
    let rows: Vec<(i32, String, String, Option<String>, String, i64)> = kb_revisions::table
        .left_join(users::table.on(users::id.nullable().eq(kb_revisions::editor_id)))
        .filter(kb_revisions::article_id.eq(row.id))
        .order(kb_revisions::version.desc())
        .select((
            kb_revisions::version,
            kb_revisions::title,
            kb_revisions::body_md,
            users::username.nullable(),
            kb_revisions::note,
            kb_revisions::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(version, title, body_md, editor, note, created_at)| ArticleRevision {
                version,
                title,
                body_md,
                editor,
                note,
                created_at,
            },
        )
        .collect())
}

/// How the source question and answer differ from what was last reviewed.
pub fn source_change(conn: &mut Conn, actor: Actor, slug: &str) -> Result<Option<SourceChange>> {
    ensure_staff(actor)?;
    let row = load_article_row(conn, slug)?;
    let Some(thread_id) = row.source_thread_id else {
        return Ok(None);
    };
    if !row.source_changed {
        return Ok(None);
    }
    let (question, answer) = source_texts(conn, thread_id, row.source_post_id)?;
    Ok(Some(SourceChange {
        question: rules::line_diff(&row.source_question_md, &question),
        answer: rules::line_diff(&row.source_answer_md, &answer),
    }))
}

/// The worker's share: flag articles whose source changed, and promote
/// threads whose accepted answer reached the kudos threshold.
pub fn apply_events(conn: &mut Conn, cfg: &KbConfig, now: i64, events: &[Event]) -> Result<()> {
    let mut stale_threads = std::collections::BTreeSet::new();
    let mut candidates = std::collections::BTreeSet::new();
    for e in events {
        match &e.body {
            EventBody::PostEdited(p) => stale_threads.insert(p.thread_id),
            EventBody::PostDeleted(p) => stale_threads.insert(p.thread_id),
            // A hidden source reads as gone until it is shown again.
            EventBody::PostHidden(p) | EventBody::PostRestored(p) => {
                stale_threads.insert(p.thread_id)
            }
            EventBody::SolutionAccepted(p) => candidates.insert(p.thread_id),
            EventBody::PostVoted(p) => candidates.insert(p.thread_id),
            _ => false,
        };
    }
    for thread_id in stale_threads {
        let row: Option<KbArticleRow> = kb_articles::table
            .left_join(kb_article_sources::table)
            .filter(kb_article_sources::thread_id.nullable().eq(thread_id))
            .select((KbCoreRow::as_select(), Option::<KbSourceRow>::as_select()))
            .first::<ArticleParts>(conn)
            .optional()?
            .map(KbArticleRow::from);
        let Some(row) = row else { continue };
        let (question, answer) = source_texts(conn, thread_id, row.source_post_id)?;
        let changed = question != row.source_question_md || answer != row.source_answer_md;
        if changed != row.source_changed {
            diesel::update(kb_article_sources::table.find(row.id))
                .set(kb_article_sources::changed.eq(changed))
                .execute(conn)?;
            if changed {
                emit(
                    conn,
                    now,
                    None,
                    EventBody::KbSourceChanged(events::KbSourceChanged {
                        article_id: row.id,
                        slug: row.slug.clone(),
                        thread_id,
                    }),
                )?;
                notify_curators(
                    conn,
                    now,
                    ("source_changed", &row.title),
                    &format!("Source changed: {}", row.title),
                    &format!("/kb/{}/edit", row.slug),
                    &format!("kb-source:{}:{}", row.id, e_key(&question, &answer)),
                )?;
            }
        }
    }
    if cfg.auto_promote_min_kudos > 0 {
        for thread_id in candidates {
            let ready: Option<i64> = threads::table
                .inner_join(posts::table.on(threads::accepted_post_id.eq(posts::id.nullable())))
                .filter(threads::id.eq(thread_id))
                .filter(threads::deleted_at.is_null())
                .filter(posts::deleted_at.is_null())
                .filter(posts::kudos.ge(cfg.auto_promote_min_kudos))
                .select(threads::id)
                .first(conn)
                .optional()?;
            if ready.is_some() {
                promote_in_tx(conn, cfg, now, None, thread_id)?;
            }
        }
    }
    Ok(())
}

/// A short fingerprint of source texts, so each distinct change notifies once.
fn e_key(question: &str, answer: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{question}\u{0}{answer}").as_bytes());
    hex::encode(&digest[..8])
}

/// Promote solved threads viewed at least `auto_promote_min_views` times.
/// Views are counted without events, so the worker checks on a timer.
pub fn promote_by_views(conn: &mut Conn, cfg: &KbConfig, now: i64, limit: i64) -> Result<usize> {
    if cfg.auto_promote_min_views <= 0 {
        return Ok(0);
    }
    let ids: Vec<i64> = threads::table
        .left_join(kb_article_sources::table.on(kb_article_sources::thread_id.eq(threads::id)))
        .filter(kb_article_sources::article_id.nullable().is_null())
        .filter(threads::deleted_at.is_null())
        .filter(threads::accepted_post_id.is_not_null())
        .filter(threads::view_count.ge(cfg.auto_promote_min_views))
        .order(threads::id.asc())
        .limit(limit)
        .select(threads::id)
        .load(conn)?;
    let mut n = 0;
    for id in ids {
        // Another worker may have promoted it meanwhile: the unique source
        // thread makes that a no-op here.
        match transaction(conn, |conn| promote_in_tx(conn, cfg, now, None, id)) {
            Ok((_, true)) => n += 1,
            Ok(_) | Err(ForumError::Conflict(_)) => {}
            Err(ForumError::Validation { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

pub fn process(conn: &mut Conn, cfg: &KbConfig, now: i64, limit: i64) -> Result<usize> {
    poll_events_in_tx(conn, now, CONSUMER, limit, &mut |conn, events| {
        apply_events(conn, cfg, now, events)
    })
}

fn article_documents(conn: &mut Conn, rows: Vec<KbArticleRow>) -> Result<Vec<ArticleDocument>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let category = load_category_for(conn, r.category_id)?;
        let source_thread_id: Option<i64> = kb_article_sources::table
            .find(r.id)
            .select(kb_article_sources::thread_id)
            .first(conn)
            .optional()?;
        out.push(ArticleDocument {
            id: r.id,
            source_thread_id,
            published: r.status == "published",
            slug: r.slug,
            title: r.title,
            body_md: r.body_md,
            tags: split_tags(&r.tags),
            visible_to: category.see_role(),
            category_slug: category.slug,
            private: category.is_private,
            helpful: r.helpful as i64 - r.not_helpful as i64,
            created_at: r.published_at.unwrap_or(r.created_at),
            updated_at: r.updated_at,
        });
    }
    Ok(out)
}

/// The articles with these ids, published or not (unpublished ones are removed from search).
pub fn documents(conn: &mut Conn, ids: &[i64]) -> Result<Vec<ArticleDocument>> {
    let rows: Vec<ArticleParts> = kb_articles::table
        .left_join(kb_article_sources::table)
        .filter(kb_articles::id.eq_any(ids))
        .select((KbCoreRow::as_select(), Option::<KbSourceRow>::as_select()))
        .load(conn)?;
    article_documents(conn, rows.into_iter().map(KbArticleRow::from).collect())
}

/// Published articles after `after_id`, in id order, for a full reindex.
pub fn published_after(conn: &mut Conn, after_id: i64, limit: i64) -> Result<Vec<ArticleDocument>> {
    let rows: Vec<ArticleParts> = kb_articles::table
        .left_join(kb_article_sources::table)
        .filter(kb_articles::id.gt(after_id))
        .filter(kb_articles::status.eq("published"))
        .order(kb_articles::id.asc())
        .limit(limit)
        .select((KbCoreRow::as_select(), Option::<KbSourceRow>::as_select()))
        .load(conn)?;
    article_documents(conn, rows.into_iter().map(KbArticleRow::from).collect())
}

/// The article promoted from a thread, if any: (slug, status).
/// (article, thread) for the articles among `ids` made from a thread that
/// `viewer` may read (not deleted, on a board they see).
pub fn origins(conn: &mut Conn, ids: &[i64], viewer: Option<Actor>) -> Result<Vec<(i64, i64)>> {
    let sources: Vec<(i64, i64)> = kb_article_sources::table
        .filter(kb_article_sources::article_id.eq_any(ids))
        .select((
            kb_article_sources::article_id,
            kb_article_sources::thread_id,
        ))
        .load(conn)?;
    let thread_ids: Vec<i64> = sources.iter().map(|(_, t)| *t).collect();
    let readable: Vec<(i64, String)> = threads::table
        .inner_join(categories::table)
        .filter(threads::id.eq_any(&thread_ids))
        .filter(threads::deleted_at.is_null())
        .select((threads::id, categories::see_min_role))
        .load(conn)?;
    Ok(sources
        .into_iter()
        .filter(|(_, t)| {
            readable.iter().any(|(id, role)| {
                id == t && policy::can_see_category(viewer, role.parse().unwrap_or(Role::Admin))
            })
        })
        .collect())
}

pub fn for_thread(conn: &mut Conn, thread_id: i64) -> Result<Option<(String, String)>> {
    Ok(kb_articles::table
        .inner_join(kb_article_sources::table)
        .filter(kb_article_sources::thread_id.eq(thread_id))
        .select((kb_articles::slug, kb_articles::status))
        .first(conn)
        .optional()?)
}
