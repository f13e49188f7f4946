//! The idea exchange: ideas boards' settings and statuses, ideas, votes and
//! the status history (`crate::ideas`).
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`) as `idea_store`; portable diesel only.

use std::collections::HashMap;

#[allow(unused_imports)]
use super::*;

use crate::boards::BoardKind;
use crate::ideas::{
    vote_refusal, Idea, IdeaBoard, IdeaBoardChange, IdeaQuery, IdeaSort, IdeaStatus, IdeaSummary,
    StatusChange, StatusKind, VoteOutcome, VoteRefusal, Voter, DEFAULT_STATUSES,
};

type StatusRow = (i64, String, String, String, String, i32);

fn status_of(r: StatusRow) -> IdeaStatus {
    IdeaStatus {
        id: r.0,
        slug: r.1,
        name: r.2,
        kind: StatusKind::from_stored(&r.3),
        colour: r.4,
        position: r.5,
    }
}

fn statuses_of(conn: &mut Conn, category_id: i64) -> Result<Vec<IdeaStatus>> {
    let rows: Vec<StatusRow> = idea_statuses::table
        .filter(idea_statuses::category_id.eq(category_id))
        .order((idea_statuses::position.asc(), idea_statuses::id.asc()))
        .select((
            idea_statuses::id,
            idea_statuses::slug,
            idea_statuses::name,
            idea_statuses::kind,
            idea_statuses::colour,
            idea_statuses::position,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(status_of).collect())
}

fn user_refs(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, UserRef>> {
    let rows: Vec<(i64, String, String, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username, users::display_name, users::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display_name, role)| {
            (
                id,
                UserRef {
                    id,
                    username,
                    display_name,
                    role: role.parse().unwrap_or(Role::Customer),
                },
            )
        })
        .collect())
}

fn unknown_user(id: i64) -> UserRef {
    UserRef {
        id,
        username: String::new(),
        display_name: String::new(),
        role: Role::Customer,
    }
}

/// Make a new board an ideas board: its voting settings (no budget, no
/// self-votes) and the six default statuses. In the creating transaction.
pub fn set_up_board(conn: &mut Conn, category_id: i64) -> Result<()> {
    diesel::insert_into(idea_boards::table)
        .values((
            idea_boards::category_id.eq(category_id),
            idea_boards::vote_budget.eq(None::<i32>),
            idea_boards::self_vote.eq(false),
        ))
        .execute(conn)?;
    for (i, (slug, name, kind, colour)) in DEFAULT_STATUSES.iter().enumerate() {
        diesel::insert_into(idea_statuses::table)
            .values((
                idea_statuses::category_id.eq(category_id),
                idea_statuses::slug.eq(*slug),
                idea_statuses::name.eq(*name),
                idea_statuses::kind.eq(kind.as_str()),
                idea_statuses::colour.eq(*colour),
                idea_statuses::position.eq(i as i32),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A new thread of an ideas board becomes an idea in its board's first
/// status. In the thread's transaction.
pub fn attach(
    conn: &mut Conn,
    now: i64,
    thread_id: i64,
    category_id: i64,
    product_area: &str,
) -> Result<()> {
    let first: i64 = idea_statuses::table
        .filter(idea_statuses::category_id.eq(category_id))
        .order((idea_statuses::position.asc(), idea_statuses::id.asc()))
        .select(idea_statuses::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| ForumError::Internal("an ideas board without statuses".into()))?;
    diesel::insert_into(ideas::table)
        .values((
            ideas::thread_id.eq(thread_id),
            ideas::category_id.eq(category_id),
            ideas::status_id.eq(first),
            ideas::product_area.eq(product_area),
            ideas::vote_count.eq(0),
            ideas::created_at.eq(now),
            ideas::status_changed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// An imported thread of an ideas board becomes an idea as the other tool
/// had it: its status (by slug; none: the board's first), product area
/// and votes with their times (a member once, at their first vote). In
/// the import's transaction. Returns the votes written.
pub fn import_idea(
    conn: &mut Conn,
    thread_id: i64,
    category_id: i64,
    created_at: i64,
    status: Option<&str>,
    product_area: &str,
    votes: &[(i64, i64)],
) -> Result<u64> {
    let statuses = statuses_of(conn, category_id)?;
    let status_id = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => statuses.first().map(|s| s.id),
        Some(slug) => statuses.iter().find(|s| s.slug == slug).map(|s| s.id),
    }
    .ok_or_else(|| {
        ForumError::validation(
            "idea.status",
            format!("the board has no status “{}”", status.unwrap_or_default()),
        )
    })?;
    let mut firsts: HashMap<i64, i64> = HashMap::with_capacity(votes.len());
    for (user_id, at) in votes {
        let first = firsts.entry(*user_id).or_insert(*at);
        *first = (*first).min(*at);
    }
    let mut rows: Vec<(i64, i64)> = firsts.into_iter().collect();
    rows.sort_unstable();
    let window_from = trending_window_from(conn)?;
    let trending = rows.iter().filter(|(_, at)| *at >= window_from).count();
    diesel::insert_into(ideas::table)
        .values((
            ideas::thread_id.eq(thread_id),
            ideas::category_id.eq(category_id),
            ideas::status_id.eq(status_id),
            ideas::product_area.eq(product_area),
            ideas::vote_count.eq(i32::try_from(rows.len()).unwrap_or(i32::MAX)),
            ideas::trending_votes.eq(i32::try_from(trending).unwrap_or(i32::MAX)),
            ideas::created_at.eq(created_at),
            ideas::status_changed_at.eq(created_at),
        ))
        .execute(conn)?;
    let mut written = 0;
    for chunk in rows.chunks(1000) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(user_id, at)| {
                (
                    idea_votes::thread_id.eq(thread_id),
                    idea_votes::user_id.eq(*user_id),
                    idea_votes::created_at.eq(*at),
                )
            })
            .collect();
        written += diesel::insert_into(idea_votes::table)
            .values(&values)
            .execute(conn)? as u64;
    }
    Ok(written)
}

fn board_of(conn: &mut Conn, c: &Category) -> Result<IdeaBoard> {
    let (vote_budget, self_vote, weights): (Option<i32>, bool, String) = idea_boards::table
        .find(c.id)
        .select((
            idea_boards::vote_budget,
            idea_boards::self_vote,
            idea_boards::segment_weights,
        ))
        .first(conn)
        .optional()?
        .unwrap_or((None, false, String::new()));
    Ok(IdeaBoard {
        category_id: c.id,
        slug: c.slug.clone(),
        name: c.name.clone(),
        description: c.description.clone(),
        vote_budget,
        self_vote,
        statuses: statuses_of(conn, c.id)?,
        // Written by `update_board` from a checked map; unreadable: none.
        segment_weights: serde_json::from_str(&weights).unwrap_or_default(),
    })
}

/// One ideas board the viewer sees.
pub fn board(conn: &mut Conn, slug: &str, viewer: Option<Actor>) -> Result<IdeaBoard> {
    let c = super::visible_board(conn, slug, viewer)?;
    if c.kind != BoardKind::Ideas {
        return Err(ForumError::NotFound("ideas board"));
    }
    board_of(conn, &c)
}

/// Every ideas board the viewer sees, in list order.
pub fn boards(conn: &mut Conn, viewer: Option<Actor>) -> Result<Vec<IdeaBoard>> {
    let all = super::visible_boards(conn, viewer)?;
    all.iter()
        .filter(|c| c.kind == BoardKind::Ideas)
        .map(|c| board_of(conn, c))
        .collect()
}

fn staff_board(conn: &mut Conn, slug: &str) -> Result<Category> {
    let c = super::board(conn, slug)?;
    if c.kind != BoardKind::Ideas {
        return Err(ForumError::NotFound("ideas board"));
    }
    Ok(c)
}

/// Change an ideas board's voting settings; audited.
pub fn update_board(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    slug: &str,
    change: &IdeaBoardChange,
) -> Result<IdeaBoard> {
    transaction(conn, |conn| {
        let c = staff_board(conn, slug)?;
        let before = board_of(conn, &c)?;
        let budget = change.vote_budget.unwrap_or(before.vote_budget);
        let self_vote = change.self_vote.unwrap_or(before.self_vote);
        let weights = change
            .segment_weights
            .clone()
            .unwrap_or_else(|| before.segment_weights.clone());
        let weights_text = serde_json::to_string(&weights)
            .map_err(|e| ForumError::Internal(format!("segment weights: {e}")))?;
        diesel::update(idea_boards::table.find(c.id))
            .set((
                idea_boards::vote_budget.eq(budget),
                idea_boards::self_vote.eq(self_vote),
                idea_boards::segment_weights.eq(&weights_text),
            ))
            .execute(conn)?;
        let before_weights = serde_json::to_string(&before.segment_weights).unwrap_or_default();
        let show = |b: Option<i32>, s: bool, w: &str| {
            format!(
                "vote_budget={}\nself_vote={}\nsegment_weights={w}",
                b.map_or("none".to_owned(), |b| b.to_string()),
                if s { "yes" } else { "no" }
            )
        };
        super::members::audit(
            conn,
            now,
            actor,
            "board.ideas",
            ("board", c.id),
            &show(before.vote_budget, before.self_vote, &before_weights),
            &show(budget, self_vote, &weights_text),
            "",
        )?;
        board_of(conn, &c)
    })
}

/// Add a status at the end of a board's list; audited.
#[allow(clippy::too_many_arguments)]
pub fn add_status(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    board: &str,
    slug: &str,
    name: &str,
    kind: StatusKind,
    colour: &str,
) -> Result<IdeaBoard> {
    transaction(conn, |conn| {
        let c = staff_board(conn, board)?;
        let taken: i64 = idea_statuses::table
            .filter(idea_statuses::category_id.eq(c.id))
            .filter(idea_statuses::slug.eq(slug))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ForumError::invalid(
                "slug",
                crate::Rule::SlugTaken,
                "this board already has a status with this slug",
            ));
        }
        let last: Option<i32> = idea_statuses::table
            .filter(idea_statuses::category_id.eq(c.id))
            .select(diesel::dsl::max(idea_statuses::position))
            .first(conn)?;
        diesel::insert_into(idea_statuses::table)
            .values((
                idea_statuses::category_id.eq(c.id),
                idea_statuses::slug.eq(slug),
                idea_statuses::name.eq(name),
                idea_statuses::kind.eq(kind.as_str()),
                idea_statuses::colour.eq(colour),
                idea_statuses::position.eq(last.map_or(0, |p| p.saturating_add(1))),
            ))
            .execute(conn)?;
        super::members::audit(
            conn,
            now,
            actor,
            "board.idea_status",
            ("board", c.id),
            "",
            &format!(
                "status={slug}\nname={name}\nkind={}\ncolour={colour}",
                kind.as_str()
            ),
            "",
        )?;
        board_of(conn, &c)
    })
}

type IdeaRow = (
    (i64, i64, String, i32, i32, i64, i64),
    (String, i64, i32),
    StatusRow,
);

/// A status of this board by slug, or NotFound.
fn status_by_slug(conn: &mut Conn, category_id: i64, slug: &str) -> Result<IdeaStatus> {
    statuses_of(conn, category_id)?
        .into_iter()
        .find(|s| s.slug == slug)
        .ok_or(ForumError::NotFound("idea status"))
}

fn describe_status(s: &IdeaStatus) -> String {
    format!(
        "status={}\nname={}\nkind={}\ncolour={}\nposition={}",
        s.slug,
        s.name,
        s.kind.as_str(),
        s.colour,
        s.position
    )
}

/// Give the board's statuses positions 0, 1, … in this order.
fn renumber(conn: &mut Conn, order: &[i64]) -> Result<()> {
    for (i, id) in order.iter().enumerate() {
        diesel::update(idea_statuses::table.find(id))
            .set(idea_statuses::position.eq(i32::try_from(i).unwrap_or(i32::MAX)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn edit_status(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    board: &str,
    slug: &str,
    edit: &crate::ideas::StatusEdit,
) -> Result<IdeaBoard> {
    transaction(conn, |conn| {
        let c = staff_board(conn, board)?;
        let before = status_by_slug(conn, c.id, slug)?;
        diesel::update(idea_statuses::table.find(before.id))
            .set((
                idea_statuses::name.eq(edit.name.as_deref().unwrap_or(&before.name)),
                idea_statuses::kind.eq(edit.kind.unwrap_or(before.kind).as_str()),
                idea_statuses::colour.eq(edit.colour.as_deref().unwrap_or(&before.colour)),
            ))
            .execute(conn)?;
        if let Some(position) = edit.position {
            let mut order: Vec<i64> = statuses_of(conn, c.id)?
                .into_iter()
                .map(|s| s.id)
                .filter(|id| *id != before.id)
                .collect();
            let at = usize::try_from(position.max(0))
                .unwrap_or(0)
                .min(order.len());
            order.insert(at, before.id);
            renumber(conn, &order)?;
        }
        let after = status_by_slug(conn, c.id, slug)?;
        super::members::audit(
            conn,
            now,
            actor,
            "board.idea_status",
            ("board", c.id),
            &describe_status(&before),
            &describe_status(&after),
            "",
        )?;
        board_of(conn, &c)
    })
}

pub fn remove_status(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    board: &str,
    slug: &str,
    move_to: &str,
) -> Result<IdeaBoard> {
    transaction(conn, |conn| {
        let c = staff_board(conn, board)?;
        let gone = status_by_slug(conn, c.id, slug)?;
        if move_to == slug {
            return Err(ForumError::validation(
                "move_to",
                "ideas must move to another status than the one removed",
            ));
        }
        let target = status_by_slug(conn, c.id, move_to).map_err(|_| {
            ForumError::validation("move_to", "choose another status of this board")
        })?;
        let moved = diesel::update(ideas::table.filter(ideas::status_id.eq(gone.id)))
            .set(ideas::status_id.eq(target.id))
            .execute(conn)?;
        diesel::delete(idea_statuses::table.find(gone.id)).execute(conn)?;
        let order: Vec<i64> = statuses_of(conn, c.id)?.iter().map(|s| s.id).collect();
        renumber(conn, &order)?;
        super::members::audit(
            conn,
            now,
            actor,
            "board.idea_status_removed",
            ("board", c.id),
            &describe_status(&gone),
            &format!("moved_to={move_to}\nideas={moved}"),
            "",
        )?;
        board_of(conn, &c)
    })
}

pub fn set_product_area(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    thread_id: i64,
    area: &str,
) -> Result<()> {
    transaction(conn, |conn| {
        let (thread, _) = super::threads_posts::visible_thread(conn, thread_id, Some(actor))?;
        let row = idea_row(conn, thread_id)?;
        if thread.author_id != actor.user_id && !actor.role.is_staff() {
            return Err(ForumError::Forbidden(
                "only the idea's author or staff change its product area",
            ));
        }
        diesel::update(ideas::table.find(thread_id))
            .set(ideas::product_area.eq(area))
            .execute(conn)?;
        if actor.role.is_staff() && thread.author_id != actor.user_id {
            super::members::audit(
                conn,
                now,
                Some(actor),
                "idea.product_area",
                ("thread", thread_id),
                &row.0 .2,
                area,
                "",
            )?;
        }
        Ok(())
    })
}

/// Lock the trending window's row (every roll, withdrawal and recount
/// takes it, so they run one at a time on every backend) and return where
/// the window starts.
fn lock_trending(conn: &mut Conn) -> Result<i64> {
    diesel::update(idea_trending::table.find(1))
        .set(idea_trending::window_from.eq(idea_trending::window_from))
        .execute(conn)?;
    Ok(idea_trending::table
        .find(1)
        .select(idea_trending::window_from)
        .first(conn)?)
}

/// Where the trending window starts (see `crate::ideas::trending_from`).
pub fn trending_window_from(conn: &mut Conn) -> Result<i64> {
    Ok(idea_trending::table
        .find(1)
        .select(idea_trending::window_from)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// Move the trending window's start to `target` (later only): the votes
/// cast before it leave each idea's trending count, in one transaction.
/// Returns whether it moved.
pub fn roll_trending(conn: &mut Conn, target: i64) -> Result<bool> {
    transaction(conn, |conn| {
        let from = lock_trending(conn)?;
        if from >= target {
            return Ok(false);
        }
        let gone: Vec<(i64, i64)> = idea_votes::table
            .filter(idea_votes::created_at.ge(from))
            .filter(idea_votes::created_at.lt(target))
            .group_by(idea_votes::thread_id)
            .select((idea_votes::thread_id, diesel::dsl::count_star()))
            .load(conn)?;
        for (thread_id, n) in gone {
            let n = i32::try_from(n).unwrap_or(i32::MAX);
            diesel::update(ideas::table.find(thread_id))
                .set(ideas::trending_votes.eq(ideas::trending_votes - n))
                .execute(conn)?;
        }
        diesel::update(idea_trending::table.find(1))
            .set(idea_trending::window_from.eq(target))
            .execute(conn)?;
        Ok(true)
    })
}

/// Fill in authors, tags and the viewer's votes for rows of ideas.
fn summaries(
    conn: &mut Conn,
    viewer: Option<Actor>,
    rows: Vec<IdeaRow>,
    slugs: &HashMap<i64, String>,
) -> Result<Vec<IdeaSummary>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0 .0).collect();
    let authors: Vec<i64> = rows.iter().map(|r| r.1 .1).collect();
    let people = user_refs(conn, &authors)?;
    let tag_rows: Vec<(i64, String)> = thread_tags::table
        .filter(thread_tags::thread_id.eq_any(&ids))
        .order((thread_tags::thread_id.asc(), thread_tags::tag.asc()))
        .select((thread_tags::thread_id, thread_tags::tag))
        .load(conn)?;
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for (t, tag) in tag_rows {
        tags.entry(t).or_default().push(tag);
    }
    let voted: Vec<i64> = match viewer {
        Some(a) => idea_votes::table
            .filter(idea_votes::user_id.eq(a.user_id))
            .filter(idea_votes::thread_id.eq_any(&ids))
            .select(idea_votes::thread_id)
            .load(conn)?,
        None => Vec::new(),
    };
    Ok(rows
        .into_iter()
        .map(
            |((id, cat, area, votes, trending, created, changed), (title, author, replies), st)| {
                IdeaSummary {
                    thread_id: id,
                    board_slug: slugs.get(&cat).cloned().unwrap_or_default(),
                    title,
                    author: people
                        .get(&author)
                        .cloned()
                        .unwrap_or_else(|| unknown_user(author)),
                    tags: tags.remove(&id).unwrap_or_default(),
                    product_area: area,
                    status: status_of(st),
                    vote_count: votes,
                    recent_votes: i64::from(trending),
                    reply_count: replies,
                    created_at: created,
                    status_changed_at: changed,
                    voted: voted.contains(&id),
                }
            },
        )
        .collect())
}

macro_rules! idea_columns {
    () => {
        (
            (
                ideas::thread_id,
                ideas::category_id,
                ideas::product_area,
                ideas::vote_count,
                ideas::trending_votes,
                ideas::created_at,
                ideas::status_changed_at,
            ),
            (threads::title, threads::author_id, threads::reply_count),
            (
                idea_statuses::id,
                idea_statuses::slug,
                idea_statuses::name,
                idea_statuses::kind,
                idea_statuses::colour,
                idea_statuses::position,
            ),
        )
    };
}

/// One page of ideas, sorted and filtered.
pub fn list(conn: &mut Conn, viewer: Option<Actor>, q: &IdeaQuery) -> Result<Paged<IdeaSummary>> {
    let empty = |q: &IdeaQuery| Paged {
        items: Vec::new(),
        page: q.page,
        per_page: q.per_page,
        total: 0,
    };
    let boards: Vec<Category> = match &q.board {
        Some(slug) => {
            let c = super::visible_board(conn, slug, viewer)?;
            if c.kind != BoardKind::Ideas {
                return Err(ForumError::NotFound("ideas board"));
            }
            vec![c]
        }
        None => super::visible_boards(conn, viewer)?
            .into_iter()
            .filter(|c| c.kind == BoardKind::Ideas)
            .collect(),
    };
    let ids: Vec<i64> = boards.iter().map(|c| c.id).collect();
    let slugs: HashMap<i64, String> = boards.into_iter().map(|c| (c.id, c.slug)).collect();
    if ids.is_empty() || (q.voted_by_me && viewer.is_none()) {
        return Ok(empty(q));
    }
    // The boards' statuses, joined here rather than in SQL: the list is
    // then an ORDER BY … LIMIT over one index of `ideas`.
    let mut statuses: HashMap<i64, IdeaStatus> = HashMap::new();
    for board in &ids {
        statuses.extend(statuses_of(conn, *board)?.into_iter().map(|s| (s.id, s)));
    }
    let kind_ids: Vec<i64> = statuses
        .values()
        .filter(|s| q.status_kind.is_none_or(|k| s.kind == k))
        .map(|s| s.id)
        .collect();
    // The filtered ideas (deleted threads not yet excluded), built once
    // per query below.
    macro_rules! filtered {
        () => {{
            let mut query = ideas::table
                .filter(ideas::merged_into.is_null())
                .into_boxed();
            // One board (the usual list) is an equality, so the sort can
            // walk the board's index in order (`= ANY(…)` would make
            // PostgreSQL sort the whole board instead).
            query = match ids.as_slice() {
                [one] => query.filter(ideas::category_id.eq(*one)),
                many => query.filter(ideas::category_id.eq_any(many.to_vec())),
            };
            if q.status_kind.is_some() {
                query = query.filter(ideas::status_id.eq_any(&kind_ids));
            }
            if let Some(tag) = &q.tag {
                query = query.filter(
                    ideas::thread_id.eq_any(
                        thread_tags::table
                            .filter(thread_tags::tag.eq(tag.clone()))
                            .select(thread_tags::thread_id),
                    ),
                );
            }
            if let Some(area) = &q.product_area {
                query = query.filter(ideas::product_area.eq(area.clone()));
            }
            if let (true, Some(a)) = (q.voted_by_me, viewer) {
                query = query.filter(
                    ideas::thread_id.eq_any(
                        idea_votes::table
                            .filter(idea_votes::user_id.eq(a.user_id))
                            .select(idea_votes::thread_id),
                    ),
                );
            }
            query
        }};
    }
    // Counted as all minus those of deleted threads, so no count walks
    // every thread. Without other filters, all is one grouped count by
    // status over the board's covering index (`ideas_listed`), summed
    // here for the status kind asked for.
    let plain = q.tag.is_none() && q.product_area.is_none() && !q.voted_by_me;
    let all: i64 = if plain {
        let mut by_status = ideas::table
            .filter(ideas::merged_into.is_null())
            .group_by((ideas::category_id, ideas::status_id))
            .select((ideas::status_id, diesel::dsl::count_star()))
            .into_boxed();
        by_status = match ids.as_slice() {
            [one] => by_status.filter(ideas::category_id.eq(*one)),
            many => by_status.filter(ideas::category_id.eq_any(many.to_vec())),
        };
        let counts: Vec<(i64, i64)> = by_status.load(conn)?;
        counts
            .into_iter()
            .filter(|(status, _)| q.status_kind.is_none() || kind_ids.contains(status))
            .map(|(_, n)| n)
            .sum()
    } else {
        filtered!().count().get_result(conn)?
    };
    // The boards' deleted threads (few, by their partial index), then
    // those of them the filters keep.
    let deleted_threads: Vec<i64> = threads::table
        .filter(threads::deleted_at.is_not_null())
        .filter(threads::category_id.eq_any(&ids))
        .select(threads::id)
        .load(conn)?;
    let mut deleted = 0i64;
    for chunk in deleted_threads.chunks(10_000) {
        deleted += filtered!()
            .filter(ideas::thread_id.eq_any(chunk))
            .count()
            .get_result::<i64>(conn)?;
    }
    let total = all - deleted;
    let start = ((q.page - 1) * q.per_page).max(0);
    type ListRow = (
        (i64, i64, String, i32, i32, i64, i64),
        (String, i64, i32),
        i64,
    );
    macro_rules! list_columns {
        () => {
            (
                (
                    ideas::thread_id,
                    ideas::category_id,
                    ideas::product_area,
                    ideas::vote_count,
                    ideas::trending_votes,
                    ideas::created_at,
                    ideas::status_changed_at,
                ),
                (threads::title, threads::author_id, threads::reply_count),
                ideas::status_id,
            )
        };
    }
    let listed = || {
        filtered!()
            .inner_join(threads::table)
            .filter(threads::deleted_at.is_null())
            .select(list_columns!())
    };
    let rows: Vec<ListRow> = if q.sort == IdeaSort::Score {
        // Staff only, and weighed per voter's segment: sorted here.
        let scores = scores_of(conn, &ids)?;
        let mut rows: Vec<ListRow> = listed().load(conn)?;
        rows.sort_by_key(|r| {
            std::cmp::Reverse((scores.get(&r.0 .0).copied().unwrap_or(0), r.0 .0))
        });
        rows.into_iter()
            .skip(start as usize)
            .take(q.per_page.max(0) as usize)
            .collect()
    } else {
        // Every other sort is an indexed ORDER BY … LIMIT (issue 17's
        // benchmark: 100k ideas); ties go to the newer idea.
        let query = listed();
        let query = match q.sort {
            IdeaSort::Trending => {
                query.order((ideas::trending_votes.desc(), ideas::thread_id.desc()))
            }
            IdeaSort::Top => query.order((ideas::vote_count.desc(), ideas::thread_id.desc())),
            IdeaSort::Newest => query.order((ideas::created_at.desc(), ideas::thread_id.desc())),
            IdeaSort::Status | IdeaSort::Score => {
                query.order((ideas::status_changed_at.desc(), ideas::thread_id.desc()))
            }
        };
        query.offset(start).limit(q.per_page.max(0)).load(conn)?
    };
    let rows: Vec<IdeaRow> = rows
        .into_iter()
        .filter_map(|(idea, thread, status_id)| {
            let s = statuses.get(&status_id)?;
            let status: StatusRow = (
                s.id,
                s.slug.clone(),
                s.name.clone(),
                s.kind.as_str().to_owned(),
                s.colour.clone(),
                s.position,
            );
            Some((idea, thread, status))
        })
        .collect();
    let items = summaries(conn, viewer, rows, &slugs)?;
    Ok(Paged {
        items,
        page: q.page,
        per_page: q.per_page,
        total,
    })
}

/// The idea's row with its status; NotFound for a thread that is no idea.
fn idea_row(conn: &mut Conn, thread_id: i64) -> Result<IdeaRow> {
    ideas::table
        .inner_join(threads::table)
        .inner_join(idea_statuses::table)
        .filter(ideas::thread_id.eq(thread_id))
        .select(idea_columns!())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("idea"))
}

/// A member's votes in a board that still count against a budget (on
/// ideas that are not closed).
fn votes_used(conn: &mut Conn, user_id: i64, category_id: i64) -> Result<i64> {
    Ok(idea_votes::table
        .inner_join(ideas::table.inner_join(idea_statuses::table))
        .filter(idea_votes::user_id.eq(user_id))
        .filter(ideas::category_id.eq(category_id))
        .filter(
            idea_statuses::kind.eq_any([StatusKind::Open.as_str(), StatusKind::Active.as_str()]),
        )
        .count()
        .get_result(conn)?)
}

fn board_by_id(conn: &mut Conn, category_id: i64) -> Result<IdeaBoard> {
    let row = super::threads_posts::load_category_for(conn, category_id)?;
    let c = super::boards::category_row_to_model(row);
    board_of(conn, &c)
}

/// One idea, as the viewer sees it.
pub fn idea(conn: &mut Conn, thread_id: i64, viewer: Option<Actor>) -> Result<Idea> {
    let (thread, _) = super::threads_posts::visible_thread(conn, thread_id, viewer)?;
    let row = idea_row(conn, thread_id)?;
    let board = board_by_id(conn, thread.category_id)?;
    let slugs = HashMap::from([(board.category_id, board.slug.clone())]);
    let summary = summaries(conn, viewer, vec![row], &slugs)?
        .pop()
        .ok_or(ForumError::NotFound("idea"))?;
    let (votes_used, can_vote) = match viewer {
        Some(a) => {
            let used = votes_used(conn, a.user_id, board.category_id)?;
            let refusal = vote_refusal(
                summary.status.kind,
                thread.author_id == a.user_id,
                board.self_vote,
                board.vote_budget,
                used,
            );
            (used, refusal.is_none() || summary.voted)
        }
        None => (0, false),
    };
    let history = history_rows(conn, thread_id)?;
    let merged_into = merged_into_of(conn, thread_id)?;
    let merged_here: Vec<(i64, String)> = idea_merges::table
        .inner_join(threads::table.on(threads::id.eq(idea_merges::from_thread_id)))
        .filter(idea_merges::into_thread_id.eq(thread_id))
        .filter(idea_merges::undone_at.is_null())
        .order(idea_merges::id.asc())
        .select((idea_merges::from_thread_id, threads::title))
        .load(conn)?;
    Ok(Idea {
        can_vote: can_vote && merged_into.is_none(),
        summary,
        board,
        votes_used,
        history,
        merged_into,
        merged_here,
    })
}

/// Chosen instead of submitting a new idea: a deflected duplicate,
/// whether or not the vote was already there.
fn record_deflection(conn: &mut Conn, now: i64, actor: Actor, thread_id: i64) -> Result<()> {
    diesel::insert_into(idea_deflections::table)
        .values((
            idea_deflections::user_id.eq(actor.user_id),
            idea_deflections::thread_id.eq(thread_id),
            idea_deflections::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Vote for an idea; a second vote is the first. A refusal writes nothing.
pub fn vote(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    thread_id: i64,
    deflected: bool,
) -> Result<std::result::Result<VoteOutcome, VoteRefusal>> {
    transaction(conn, |conn| {
        let (thread, _) = super::threads_posts::visible_thread(conn, thread_id, Some(actor))?;
        if thread.deleted_at.is_some() {
            return Err(ForumError::NotFound("idea"));
        }
        let row = idea_row(conn, thread_id)?;
        if merged_into_of(conn, thread_id)?.is_some() {
            return Err(ForumError::Conflict(
                "this idea was merged into another one; vote there".into(),
            ));
        }
        let board = board_by_id(conn, thread.category_id)?;
        let kind = StatusKind::from_stored(&row.2 .3);
        let used = votes_used(conn, actor.user_id, board.category_id)?;
        let already: i64 = idea_votes::table
            .find((thread_id, actor.user_id))
            .count()
            .get_result(conn)?;
        if already > 0 {
            if deflected {
                record_deflection(conn, now, actor, thread_id)?;
            }
            return Ok(Ok(VoteOutcome {
                vote_count: row.0 .3,
                voted: true,
                votes_used: used,
                vote_budget: board.vote_budget,
            }));
        }
        if let Some(r) = vote_refusal(
            kind,
            thread.author_id == actor.user_id,
            board.self_vote,
            board.vote_budget,
            used,
        ) {
            return Ok(Err(r));
        }
        if deflected {
            record_deflection(conn, now, actor, thread_id)?;
        }
        diesel::insert_into(idea_votes::table)
            .values((
                idea_votes::thread_id.eq(thread_id),
                idea_votes::user_id.eq(actor.user_id),
                idea_votes::created_at.eq(now),
            ))
            .execute(conn)?;
        // A vote cast now is inside the trending window whatever a roll
        // does meanwhile (a roll only moves the start to a past midnight).
        let count: i32 = diesel::update(ideas::table.find(thread_id))
            .set((
                ideas::vote_count.eq(ideas::vote_count + 1),
                ideas::trending_votes.eq(ideas::trending_votes + 1),
            ))
            .returning(ideas::vote_count)
            .get_result(conn)?;
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::IdeaVoted(events::IdeaVote {
                thread_id,
                category_id: thread.category_id,
                voter_id: actor.user_id,
                author_id: thread.author_id,
            }),
        )?;
        Ok(Ok(VoteOutcome {
            vote_count: count,
            voted: true,
            votes_used: used + 1,
            vote_budget: board.vote_budget,
        }))
    })
}

/// Withdraw a vote; without one nothing changes.
pub fn unvote(conn: &mut Conn, now: i64, actor: Actor, thread_id: i64) -> Result<VoteOutcome> {
    transaction(conn, |conn| {
        let (thread, _) = super::threads_posts::visible_thread(conn, thread_id, Some(actor))?;
        let row = idea_row(conn, thread_id)?;
        let board = board_by_id(conn, thread.category_id)?;
        let cast: Option<i64> = idea_votes::table
            .find((thread_id, actor.user_id))
            .select(idea_votes::created_at)
            .first(conn)
            .optional()?;
        let count = if let Some(cast) = cast {
            // Whether the vote still counts as trending depends on where
            // the window starts: held still until this commits.
            let recent = i32::from(cast >= lock_trending(conn)?);
            diesel::delete(idea_votes::table.find((thread_id, actor.user_id))).execute(conn)?;
            let count: i32 = diesel::update(ideas::table.find(thread_id))
                .set((
                    ideas::vote_count.eq(ideas::vote_count - 1),
                    ideas::trending_votes.eq(ideas::trending_votes - recent),
                ))
                .returning(ideas::vote_count)
                .get_result(conn)?;
            emit(
                conn,
                now,
                Some(actor.user_id),
                EventBody::IdeaUnvoted(events::IdeaVote {
                    thread_id,
                    category_id: thread.category_id,
                    voter_id: actor.user_id,
                    author_id: thread.author_id,
                }),
            )?;
            count
        } else {
            row.0 .3
        };
        Ok(VoteOutcome {
            vote_count: count,
            voted: false,
            votes_used: votes_used(conn, actor.user_id, board.category_id)?,
            vote_budget: board.vote_budget,
        })
    })
}

/// Move an idea to another status of its board, keep the change in the
/// history and announce it on the outbox, in one transaction.
pub fn change_status(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    thread_id: i64,
    status_slug: &str,
    note: &str,
    link: &str,
) -> Result<StatusChange> {
    transaction(conn, |conn| {
        let (thread, _) = super::threads_posts::visible_thread(conn, thread_id, Some(actor))?;
        let row = idea_row(conn, thread_id)?;
        let from = status_of(row.2);
        let to: StatusRow = idea_statuses::table
            .filter(idea_statuses::category_id.eq(thread.category_id))
            .filter(idea_statuses::slug.eq(status_slug))
            .select((
                idea_statuses::id,
                idea_statuses::slug,
                idea_statuses::name,
                idea_statuses::kind,
                idea_statuses::colour,
                idea_statuses::position,
            ))
            .first(conn)
            .optional()?
            .ok_or_else(|| {
                ForumError::invalid(
                    "status",
                    crate::Rule::Unknown {
                        value: status_slug.to_owned(),
                    },
                    format!("this board has no status {status_slug:?}"),
                )
            })?;
        let to = status_of(to);
        if to.id == from.id {
            return Err(ForumError::Conflict(
                "the idea already has this status".into(),
            ));
        }
        let change_id: i64 = diesel::insert_into(idea_status_changes::table)
            .values((
                idea_status_changes::thread_id.eq(thread_id),
                idea_status_changes::actor_id.eq(Some(actor.user_id)),
                idea_status_changes::from_status_id.eq(Some(from.id)),
                idea_status_changes::from_name.eq(&from.name),
                idea_status_changes::to_status_id.eq(to.id),
                idea_status_changes::to_name.eq(&to.name),
                idea_status_changes::to_kind.eq(to.kind.as_str()),
                idea_status_changes::note.eq(note),
                idea_status_changes::link.eq(link),
                idea_status_changes::created_at.eq(now),
            ))
            .returning(idea_status_changes::id)
            .get_result(conn)?;
        diesel::update(ideas::table.find(thread_id))
            .set((ideas::status_id.eq(to.id), ideas::status_changed_at.eq(now)))
            .execute(conn)?;
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::IdeaStatusChanged(events::IdeaStatusChanged {
                change_id,
                thread_id,
                category_id: thread.category_id,
                to_kind: to.kind.as_str().to_owned(),
            }),
        )?;
        let actor_ref = user_refs(conn, &[actor.user_id])?.remove(&actor.user_id);
        Ok(StatusChange {
            id: change_id,
            actor: actor_ref,
            from_name: Some(from.name),
            to_name: to.name,
            to_kind: to.kind,
            note: note.to_owned(),
            link: link.to_owned(),
            at: now,
        })
    })
}

type ChangeRow = (
    i64,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
    String,
    String,
    i64,
);

fn history_rows(conn: &mut Conn, thread_id: i64) -> Result<Vec<StatusChange>> {
    let rows: Vec<ChangeRow> = idea_status_changes::table
        .filter(idea_status_changes::thread_id.eq(thread_id))
        .order(idea_status_changes::id.asc())
        .select((
            idea_status_changes::id,
            idea_status_changes::actor_id,
            idea_status_changes::from_status_id,
            idea_status_changes::from_name,
            idea_status_changes::to_name,
            idea_status_changes::to_kind,
            idea_status_changes::note,
            idea_status_changes::link,
            idea_status_changes::created_at,
        ))
        .load(conn)?;
    let actors: Vec<i64> = rows.iter().filter_map(|r| r.1).collect();
    let people = user_refs(conn, &actors)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, actor, from_id, from_name, to_name, to_kind, note, link, at)| StatusChange {
                id,
                actor: actor.and_then(|a| people.get(&a).cloned()),
                from_name: from_id.map(|_| from_name),
                to_name,
                to_kind: StatusKind::from_stored(&to_kind),
                note,
                link,
                at,
            },
        )
        .collect())
}

/// An idea's status changes, oldest first.
pub fn history(
    conn: &mut Conn,
    thread_id: i64,
    viewer: Option<Actor>,
) -> Result<Vec<StatusChange>> {
    super::threads_posts::visible_thread(conn, thread_id, viewer)?;
    idea_row(conn, thread_id)?;
    history_rows(conn, thread_id)
}

/// Who voted, newest first.
pub fn voters(conn: &mut Conn, thread_id: i64, actor: Actor) -> Result<Vec<Voter>> {
    super::threads_posts::visible_thread(conn, thread_id, Some(actor))?;
    idea_row(conn, thread_id)?;
    let rows: Vec<(i64, i64)> = idea_votes::table
        .filter(idea_votes::thread_id.eq(thread_id))
        .order((idea_votes::created_at.desc(), idea_votes::user_id.desc()))
        .select((idea_votes::user_id, idea_votes::created_at))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let people = user_refs(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(u, at)| Voter {
            user: people.get(&u).cloned().unwrap_or_else(|| unknown_user(u)),
            at,
        })
        .collect())
}

/// Who hears of a status change, each once: voters, the author,
/// commenters, then watchers of the idea and of its board — never the
/// member who made the change, nor anyone who can no longer read the
/// board. The dedupe key is the event's and the member's, so a replayed
/// batch (a crash before the notifier's cursor moved) tells nobody twice.
pub fn status_notices(
    conn: &mut Conn,
    e: &Event,
    p: &events::IdeaStatusChanged,
) -> Result<Vec<crate::notify::Notice>> {
    let Some((from_name, to_name, note)): Option<(String, String, String)> =
        idea_status_changes::table
            .find(p.change_id)
            .select((
                idea_status_changes::from_name,
                idea_status_changes::to_name,
                idea_status_changes::note,
            ))
            .first(conn)
            .optional()?
    else {
        return Ok(Vec::new());
    };
    let Some((title, author, category_id, deleted)): Option<(String, i64, i64, Option<i64>)> =
        threads::table
            .find(p.thread_id)
            .select((
                threads::title,
                threads::author_id,
                threads::category_id,
                threads::deleted_at,
            ))
            .first(conn)
            .optional()?
    else {
        return Ok(Vec::new());
    };
    if deleted.is_some() {
        return Ok(Vec::new());
    }
    let category = super::threads_posts::load_category_for(conn, category_id)?;
    let see = category.see_role();
    let budget: Option<i32> = idea_boards::table
        .find(category_id)
        .select(idea_boards::vote_budget)
        .first(conn)
        .optional()?
        .flatten();
    let returned = budget.is_some() && StatusKind::from_stored(&p.to_kind).is_closed();
    let voters: Vec<i64> = idea_votes::table
        .filter(idea_votes::thread_id.eq(p.thread_id))
        .order(idea_votes::user_id.asc())
        .select(idea_votes::user_id)
        .load(conn)?;
    let commenters: Vec<i64> = posts::table
        .filter(posts::thread_id.eq(p.thread_id))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .select(posts::author_id)
        .distinct()
        .load(conn)?;
    let watchers: Vec<i64> = subscriptions::table
        .filter(
            subscriptions::target_kind
                .eq("thread")
                .and(subscriptions::target_id.eq(p.thread_id))
                .or(subscriptions::target_kind
                    .eq("category")
                    .and(subscriptions::target_id.eq(category_id))),
        )
        .select(subscriptions::user_id)
        .load(conn)?;
    let mut everyone: Vec<(i64, bool)> = voters.iter().map(|v| (*v, true)).collect();
    everyone.extend(
        std::iter::once(author)
            .chain(commenters)
            .chain(watchers)
            .map(|u| (u, false)),
    );
    let mut told: std::collections::HashSet<i64> = e.actor_id.into_iter().collect();
    let ids: Vec<i64> = everyone.iter().map(|(u, _)| *u).collect();
    // In chunks: an idea may have more voters than a statement may bind.
    let mut roles: HashMap<i64, Role> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(5000) {
        let rows = users::table
            .filter(users::id.eq_any(chunk))
            .filter(users::status_reason.ne("erased"))
            .select((users::id, users::role))
            .load::<(i64, String)>(conn)?;
        roles.extend(
            rows.into_iter()
                .map(|(id, r)| (id, r.parse().unwrap_or(Role::Customer))),
        );
    }
    let mut out = Vec::new();
    for (user_id, voter) in everyone {
        if !told.insert(user_id) {
            continue;
        }
        let Some(role) = roles.get(&user_id) else {
            continue;
        };
        if *role < see {
            continue;
        }
        let returned_here = returned && voter;
        out.push(crate::notify::Notice {
            user_id,
            kind: "idea_status".into(),
            title: if returned_here {
                format!("“{title}” is now {to_name}; your vote is returned")
            } else {
                format!("“{title}” is now {to_name}")
            },
            link: format!("/ideas/{}#timeline", p.thread_id),
            dedupe_key: format!("n:{}:{user_id}", e.id),
            group_key: format!("thread:{}", p.thread_id),
            params: serde_json::json!({
                "thread": title,
                "from": from_name,
                "to": to_name,
                "excerpt": note,
                "returned": returned_here,
            }),
        });
    }
    Ok(out)
}

/// How many submissions were deflected to an existing idea since `since`.
pub fn deflections_since(conn: &mut Conn, since: i64) -> Result<i64> {
    Ok(idea_deflections::table
        .filter(idea_deflections::created_at.ge(since))
        .count()
        .get_result(conn)?)
}

fn merged_into_of(conn: &mut Conn, thread_id: i64) -> Result<Option<i64>> {
    Ok(ideas::table
        .find(thread_id)
        .select(ideas::merged_into)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten())
}

/// Count an idea's votes, and its trending votes, afresh (after a merge
/// moved votes with their own times).
fn recount(conn: &mut Conn, thread_id: i64) -> Result<()> {
    let from = lock_trending(conn)?;
    let n: i64 = idea_votes::table
        .filter(idea_votes::thread_id.eq(thread_id))
        .count()
        .get_result(conn)?;
    let recent: i64 = idea_votes::table
        .filter(idea_votes::thread_id.eq(thread_id))
        .filter(idea_votes::created_at.ge(from))
        .count()
        .get_result(conn)?;
    diesel::update(ideas::table.find(thread_id))
        .set((
            ideas::vote_count.eq(i32::try_from(n).unwrap_or(i32::MAX)),
            ideas::trending_votes.eq(i32::try_from(recent).unwrap_or(i32::MAX)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Keep a status change made by a merge or an unmerge in the idea's
/// history (no notice: the votes moved, the voters hear of the idea they
/// now back).
fn record_merge_status(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    thread_id: i64,
    from: &IdeaStatus,
    to: &IdeaStatus,
) -> Result<()> {
    diesel::insert_into(idea_status_changes::table)
        .values((
            idea_status_changes::thread_id.eq(thread_id),
            idea_status_changes::actor_id.eq(Some(actor.user_id)),
            idea_status_changes::from_status_id.eq(Some(from.id)),
            idea_status_changes::from_name.eq(&from.name),
            idea_status_changes::to_status_id.eq(to.id),
            idea_status_changes::to_name.eq(&to.name),
            idea_status_changes::to_kind.eq(to.kind.as_str()),
            idea_status_changes::note.eq(""),
            idea_status_changes::link.eq(""),
            idea_status_changes::created_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(ideas::table.find(thread_id))
        .set((ideas::status_id.eq(to.id), ideas::status_changed_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Merge idea `from` into `into`: `from`'s votes move (a member who voted
/// on both counts once), `from` is marked merged and leaves the lists, and
/// its own vote set is kept so an unmerge restores it exactly. Audited.
pub fn merge(conn: &mut Conn, now: i64, actor: Actor, from: i64, into: i64) -> Result<i64> {
    transaction(conn, |conn| {
        if from == into {
            return Err(ForumError::invalid(
                "into",
                crate::Rule::Unspecified,
                "an idea cannot be merged into itself",
            ));
        }
        for id in [from, into] {
            super::threads_posts::visible_thread(conn, id, Some(actor))?;
            idea_row(conn, id)?;
            if merged_into_of(conn, id)?.is_some() {
                return Err(ForumError::Conflict(format!(
                    "idea #{id} is merged into another idea already"
                )));
            }
        }
        let merge_id: i64 = diesel::insert_into(idea_merges::table)
            .values((
                idea_merges::from_thread_id.eq(from),
                idea_merges::into_thread_id.eq(into),
                idea_merges::actor_id.eq(Some(actor.user_id)),
                idea_merges::created_at.eq(now),
            ))
            .returning(idea_merges::id)
            .get_result(conn)?;
        let votes: Vec<(i64, i64)> = idea_votes::table
            .filter(idea_votes::thread_id.eq(from))
            .select((idea_votes::user_id, idea_votes::created_at))
            .load(conn)?;
        let there: Vec<i64> = idea_votes::table
            .filter(idea_votes::thread_id.eq(into))
            .select(idea_votes::user_id)
            .load(conn)?;
        for (user_id, at) in &votes {
            let moved = !there.contains(user_id);
            diesel::insert_into(idea_merge_votes::table)
                .values((
                    idea_merge_votes::merge_id.eq(merge_id),
                    idea_merge_votes::user_id.eq(user_id),
                    idea_merge_votes::created_at.eq(at),
                    idea_merge_votes::moved.eq(moved),
                ))
                .execute(conn)?;
            if moved {
                diesel::insert_into(idea_votes::table)
                    .values((
                        idea_votes::thread_id.eq(into),
                        idea_votes::user_id.eq(user_id),
                        idea_votes::created_at.eq(at),
                    ))
                    .execute(conn)?;
            }
        }
        diesel::delete(idea_votes::table.filter(idea_votes::thread_id.eq(from))).execute(conn)?;
        diesel::update(ideas::table.find(from))
            .set(ideas::merged_into.eq(Some(into)))
            .execute(conn)?;
        // The board's duplicate status, if it has one, says what happened.
        let current = status_of(idea_row(conn, from)?.2);
        let category_id: i64 = ideas::table
            .find(from)
            .select(ideas::category_id)
            .first(conn)?;
        let duplicate = statuses_of(conn, category_id)?
            .into_iter()
            .find(|s| s.kind == StatusKind::Duplicate);
        if let Some(dup) = duplicate.filter(|d| d.id != current.id) {
            record_merge_status(conn, now, actor, from, &current, &dup)?;
            diesel::update(idea_merges::table.find(merge_id))
                .set(idea_merges::status_before.eq(Some(current.id)))
                .execute(conn)?;
        }
        recount(conn, from)?;
        recount(conn, into)?;
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::IdeaMerged(events::IdeaMerge {
                merge_id,
                from_thread_id: from,
                into_thread_id: into,
            }),
        )?;
        super::members::audit(
            conn,
            now,
            Some(actor),
            "idea.merge",
            ("thread", from),
            "",
            &format!("into={into}\nvotes={}", votes.len()),
            "",
        )?;
        Ok(merge_id)
    })
}

/// Undo the last merge of `from`: its own votes come back exactly, the
/// votes the merge added to the other idea go, and it is listed again.
/// Audited. Returns the idea it had been merged into.
pub fn unmerge(conn: &mut Conn, now: i64, actor: Actor, from: i64) -> Result<i64> {
    transaction(conn, |conn| {
        super::threads_posts::visible_thread(conn, from, Some(actor))?;
        let (merge_id, into, status_before): (i64, i64, Option<i64>) = idea_merges::table
            .filter(idea_merges::from_thread_id.eq(from))
            .filter(idea_merges::undone_at.is_null())
            .order(idea_merges::id.desc())
            .select((
                idea_merges::id,
                idea_merges::into_thread_id,
                idea_merges::status_before,
            ))
            .first(conn)
            .optional()?
            .ok_or(ForumError::NotFound("merge"))?;
        let kept: Vec<(i64, i64, bool)> = idea_merge_votes::table
            .filter(idea_merge_votes::merge_id.eq(merge_id))
            .select((
                idea_merge_votes::user_id,
                idea_merge_votes::created_at,
                idea_merge_votes::moved,
            ))
            .load(conn)?;
        for (user_id, at, moved) in kept {
            diesel::insert_into(idea_votes::table)
                .values((
                    idea_votes::thread_id.eq(from),
                    idea_votes::user_id.eq(user_id),
                    idea_votes::created_at.eq(at),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?;
            if moved {
                diesel::delete(idea_votes::table.find((into, user_id))).execute(conn)?;
            }
        }
        diesel::update(ideas::table.find(from))
            .set(ideas::merged_into.eq(None::<i64>))
            .execute(conn)?;
        // The status it had before the merge comes back (if it still exists).
        if let Some(before) = status_before {
            let current = status_of(idea_row(conn, from)?.2);
            let category_id: i64 = ideas::table
                .find(from)
                .select(ideas::category_id)
                .first(conn)?;
            let back = statuses_of(conn, category_id)?
                .into_iter()
                .find(|s| s.id == before);
            if let Some(back) = back.filter(|b| b.id != current.id) {
                record_merge_status(conn, now, actor, from, &current, &back)?;
            }
        }
        diesel::update(idea_merges::table.find(merge_id))
            .set((
                idea_merges::undone_at.eq(Some(now)),
                idea_merges::undone_by.eq(Some(actor.user_id)),
            ))
            .execute(conn)?;
        recount(conn, from)?;
        recount(conn, into)?;
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::IdeaUnmerged(events::IdeaMerge {
                merge_id,
                from_thread_id: from,
                into_thread_id: into,
            }),
        )?;
        super::members::audit(
            conn,
            now,
            Some(actor),
            "idea.unmerge",
            ("thread", from),
            &format!("into={into}"),
            "",
            "",
        )?;
        Ok(into)
    })
}

/// Every voter of an idea with when they voted, in member order (tests
/// and the merge check compare exact sets).
pub fn vote_set(conn: &mut Conn, thread_id: i64) -> Result<Vec<(i64, i64)>> {
    Ok(idea_votes::table
        .filter(idea_votes::thread_id.eq(thread_id))
        .order(idea_votes::user_id.asc())
        .select((idea_votes::user_id, idea_votes::created_at))
        .load(conn)?)
}

/// Each voter's (segment, lifecycle stage, company) from the CRM; members
/// without a contact record count with empty values.
pub fn voter_profiles(conn: &mut Conn, thread_id: i64) -> Result<Vec<(String, String, String)>> {
    let rows: Vec<(Option<String>, Option<String>, Option<String>)> = idea_votes::table
        .left_join(crm_contacts::table.on(crm_contacts::user_id.eq(idea_votes::user_id)))
        .filter(idea_votes::thread_id.eq(thread_id))
        .select((
            crm_contacts::segment.nullable(),
            crm_contacts::lifecycle.nullable(),
            crm_contacts::company.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(s, l, c)| {
            (
                s.unwrap_or_default(),
                l.unwrap_or_default(),
                c.unwrap_or_default(),
            )
        })
        .collect())
}

/// The weighted score of every idea of these boards (each board's own
/// segment weights).
fn scores_of(conn: &mut Conn, boards: &[i64]) -> Result<HashMap<i64, i64>> {
    let mut weights: HashMap<i64, std::collections::BTreeMap<String, i64>> = HashMap::new();
    let rows: Vec<(i64, String)> = idea_boards::table
        .filter(idea_boards::category_id.eq_any(boards))
        .select((idea_boards::category_id, idea_boards::segment_weights))
        .load(conn)?;
    for (c, w) in rows {
        weights.insert(c, serde_json::from_str(&w).unwrap_or_default());
    }
    let votes: Vec<(i64, i64, Option<String>)> = idea_votes::table
        .inner_join(ideas::table)
        .left_join(crm_contacts::table.on(crm_contacts::user_id.eq(idea_votes::user_id)))
        .filter(ideas::category_id.eq_any(boards))
        .select((
            idea_votes::thread_id,
            ideas::category_id,
            crm_contacts::segment.nullable(),
        ))
        .load(conn)?;
    let mut out: HashMap<i64, i64> = HashMap::new();
    let none = std::collections::BTreeMap::new();
    for (t, c, seg) in votes {
        let w = weights.get(&c).unwrap_or(&none);
        *out.entry(t).or_default() += crate::ideas::segment_weight(w, seg.as_deref().unwrap_or(""));
    }
    Ok(out)
}
