//! Compiled once per backend by `db/sqlite.rs` and `db/pg.rs`, which
//! define `Conn`, `transaction` and how deliveries are claimed. Functions
//! here never open a transaction unless their name says so: the event
//! handler runs them inside the forum's.

use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::{forum_tx, transaction, Conn};

use forum::{ForumError, Result};

use crate::model::*;
use crate::rules::{Priority, TaskStatus};
use crate::schema::*;

fn user_row(conn: &mut Conn, id: i64) -> Result<UserRow> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("user"))
}

fn person(u: UserRow) -> PersonRef {
    PersonRef {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        email: u.email,
    }
}

/// Who tasks can be assigned to, by username: (id, username, display name).
pub fn agents(conn: &mut Conn) -> Result<Vec<(i64, String, String)>> {
    let ids = agent_ids(conn)?;
    Ok(users::table
        .filter(users::id.eq_any(&ids))
        .order(users::username.asc())
        .select((users::id, users::username, users::display_name))
        .load(conn)?)
}

pub fn agent_ids(conn: &mut Conn) -> Result<Vec<i64>> {
    Ok(users::table
        .filter(users::role.eq("agent"))
        // The account that speaks for an external CRM has no mailbox.
        .filter(users::email.not_like("%@hearth.invalid"))
        .order(users::id.asc())
        .limit(200)
        .select(users::id)
        .load(conn)?)
}

pub fn user_role(conn: &mut Conn, id: i64) -> Result<Option<String>> {
    Ok(users::table
        .find(id)
        .select(users::role)
        .first(conn)
        .optional()?)
}

// ---------------------------------------------------------------- contacts

pub fn ensure_contact(conn: &mut Conn, now: i64, user_id: i64, segment: &str) -> Result<()> {
    diesel::insert_into(crm_contacts::table)
        .values((
            crm_contacts::user_id.eq(user_id),
            crm_contacts::segment.eq(segment),
            crm_contacts::updated_at.eq(now),
        ))
        .on_conflict(crm_contacts::user_id)
        .do_nothing()
        .execute(conn)?;
    Ok(())
}

pub fn contact_segment(conn: &mut Conn, user_id: i64) -> Result<Option<String>> {
    Ok(crm_contacts::table
        .find(user_id)
        .select(crm_contacts::segment)
        .first(conn)
        .optional()?)
}

pub fn contact(conn: &mut Conn, user_id: i64, default_segment: &str) -> Result<Contact> {
    let u = user_row(conn, user_id)?;
    let c: Option<ContactRow> = crm_contacts::table
        .find(user_id)
        .select(ContactRow::as_select())
        .first(conn)
        .optional()?;
    let c = c.unwrap_or(ContactRow {
        company: String::new(),
        segment: default_segment.into(),
        lifecycle: "customer".into(),
        tags: String::new(),
        notes: String::new(),
    });
    Ok(Contact {
        user_id,
        username: u.username,
        display_name: u.display_name,
        email: u.email,
        language: u.language,
        member_since: u.created_at,
        company: c.company,
        segment: c.segment,
        lifecycle: c.lifecycle,
        tags: c
            .tags
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        notes: c.notes,
    })
}

pub fn update_contact_tx(
    conn: &mut Conn,
    now: i64,
    user_id: i64,
    default_segment: &str,
    patch: &ContactPatch,
    actor: i64,
) -> Result<Contact> {
    transaction(conn, |conn| {
        user_row(conn, user_id)?;
        ensure_contact(conn, now, user_id, default_segment)?;
        let cur: ContactRow = crm_contacts::table
            .find(user_id)
            .select(ContactRow::as_select())
            .first(conn)?;
        let tags = patch.tags.as_ref().map(|t| t.join(","));
        diesel::update(crm_contacts::table.find(user_id))
            .set((
                crm_contacts::company.eq(patch.company.as_deref().unwrap_or(&cur.company)),
                crm_contacts::segment.eq(patch.segment.as_deref().unwrap_or(&cur.segment)),
                crm_contacts::lifecycle.eq(patch.lifecycle.as_deref().unwrap_or(&cur.lifecycle)),
                crm_contacts::tags.eq(tags.as_deref().unwrap_or(&cur.tags)),
                crm_contacts::notes.eq(patch.notes.as_deref().unwrap_or(&cur.notes)),
                crm_contacts::updated_at.eq(now),
            ))
            .execute(conn)?;
        if let Some(seg) = &patch.segment {
            if *seg != cur.segment {
                add_timeline(
                    conn,
                    &TimelineNew {
                        contact_id: user_id,
                        at: now,
                        kind: "contact.segment",
                        thread_id: None,
                        task_id: None,
                        actor_id: Some(actor),
                        summary: format!("segment changed from {} to {seg}", cur.segment),
                        params: serde_json::json!({ "from": cur.segment, "to": seg }),
                        dedupe_key: format!("segment:{user_id}:{now}:{seg}"),
                    },
                )?;
            }
        }
        contact(conn, user_id, default_segment)
    })
}

// ---------------------------------------------------------------- timeline

pub struct TimelineNew<'a> {
    pub contact_id: i64,
    pub at: i64,
    pub kind: &'a str,
    pub thread_id: Option<i64>,
    pub task_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub summary: String,
    /// The entry's figures and words by name, for `timeline-<kind>` in the
    /// interface's catalogue (`summary` is the same in English).
    pub params: serde_json::Value,
    pub dedupe_key: String,
}

impl TimelineNew<'_> {
    /// `params` as stored: empty when there are none.
    pub fn params_text(&self) -> String {
        if self.params.is_null() {
            String::new()
        } else {
            self.params.to_string()
        }
    }
}

/// A member's username, if the account exists.
pub fn username_of(conn: &mut Conn, user_id: i64) -> Result<Option<String>> {
    Ok(users::table
        .find(user_id)
        .select(users::username)
        .first(conn)
        .optional()?)
}

/// Returns false when this entry was recorded before (a replay).
pub fn add_timeline(conn: &mut Conn, e: &TimelineNew<'_>) -> Result<bool> {
    let n = diesel::insert_into(crm_timeline::table)
        .values((
            crm_timeline::contact_id.eq(e.contact_id),
            crm_timeline::at.eq(e.at),
            crm_timeline::kind.eq(e.kind),
            crm_timeline::thread_id.eq(e.thread_id),
            crm_timeline::task_id.eq(e.task_id),
            crm_timeline::actor_id.eq(e.actor_id),
            crm_timeline::summary.eq(&e.summary),
            crm_timeline::dedupe_key.eq(&e.dedupe_key),
            crm_timeline::params.eq(e.params_text()),
        ))
        .on_conflict(crm_timeline::dedupe_key)
        .do_nothing()
        .execute(conn)?;
    Ok(n > 0)
}

pub fn timeline(conn: &mut Conn, contact_id: i64, limit: i64) -> Result<Vec<TimelineEntry>> {
    Ok(crm_timeline::table
        .filter(crm_timeline::contact_id.eq(contact_id))
        .order((crm_timeline::at.desc(), crm_timeline::id.desc()))
        .limit(limit)
        .select((
            crm_timeline::at,
            crm_timeline::kind,
            crm_timeline::thread_id,
            crm_timeline::task_id,
            crm_timeline::actor_id,
            crm_timeline::summary,
            crm_timeline::params,
        ))
        .load(conn)?)
}

// ---------------------------------------------------------------- tasks

pub struct NewTask<'a> {
    pub thread_id: i64,
    pub contact_id: i64,
    pub subject: &'a str,
    pub description: &'a str,
    pub priority: Priority,
    pub status: TaskStatus,
    pub first_response_due: i64,
    pub resolution_due: i64,
    pub escalation: Option<String>,
    pub now: i64,
}

/// Insert the thread's task; None when it already has one.
pub fn insert_task(conn: &mut Conn, t: &NewTask<'_>) -> Result<Option<i64>> {
    let id: Option<i64> = diesel::insert_into(crm_tasks::table)
        .values((
            crm_tasks::thread_id.eq(t.thread_id),
            crm_tasks::contact_id.eq(t.contact_id),
            crm_tasks::subject.eq(t.subject),
            crm_tasks::description.eq(t.description),
            crm_tasks::priority.eq(t.priority.as_str()),
            crm_tasks::status.eq(t.status.as_str()),
            crm_tasks::first_response_due.eq(t.first_response_due),
            crm_tasks::resolution_due.eq(t.resolution_due),
            crm_tasks::sla_flags.eq(0),
            crm_tasks::escalation.eq(&t.escalation),
            crm_tasks::created_at.eq(t.now),
            crm_tasks::updated_at.eq(t.now),
        ))
        .on_conflict(crm_tasks::thread_id)
        .do_nothing()
        .returning(crm_tasks::id)
        .get_result(conn)
        .optional()?;
    Ok(id)
}

pub fn task_row(conn: &mut Conn, id: i64) -> Result<TaskRow> {
    crm_tasks::table
        .find(id)
        .select(TaskRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("task"))
}

pub fn task_row_for_thread(conn: &mut Conn, thread_id: i64) -> Result<Option<TaskRow>> {
    Ok(crm_tasks::table
        .filter(crm_tasks::thread_id.eq(thread_id))
        .select(TaskRow::as_select())
        .first(conn)
        .optional()?)
}

/// Write every mutable column of `t` back, but only if nobody changed the
/// task since `seen_updated_at` (compare-and-set, so concurrent workers and
/// agents never overwrite each other blindly). Returns whether it wrote.
pub fn save_task(conn: &mut Conn, t: &TaskRow, seen_updated_at: i64) -> Result<bool> {
    let n = diesel::update(
        crm_tasks::table
            .find(t.id)
            .filter(crm_tasks::updated_at.eq(seen_updated_at)),
    )
    .set((
        crm_tasks::priority.eq(&t.priority),
        crm_tasks::status.eq(&t.status),
        crm_tasks::owner_id.eq(t.owner_id),
        crm_tasks::first_response_due.eq(t.first_response_due),
        crm_tasks::resolution_due.eq(t.resolution_due),
        crm_tasks::first_response_at.eq(t.first_response_at),
        crm_tasks::resolved_at.eq(t.resolved_at),
        crm_tasks::sla_flags.eq(t.sla_flags),
        crm_tasks::escalation.eq(&t.escalation),
        crm_tasks::updated_at.eq(t.updated_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

fn link_row(conn: &mut Conn, task_id: i64) -> Result<Option<LinkRow>> {
    Ok(crm_task_links::table
        .find(task_id)
        .select(LinkRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn external_id(conn: &mut Conn, task_id: i64) -> Result<Option<String>> {
    Ok(link_row(conn, task_id)?.and_then(|l| l.external_id))
}

pub fn hydrate(conn: &mut Conn, rows: Vec<TaskRow>) -> Result<Vec<Task>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let title: String = threads::table
            .find(r.thread_id)
            .select(threads::title)
            .first(conn)
            .optional()?
            .unwrap_or_default();
        let contact = person(user_row(conn, r.contact_id)?);
        let owner = match r.owner_id {
            Some(o) => Some(person(user_row(conn, o)?)),
            None => None,
        };
        let external = link_row(conn, r.id)?.map(|l| TaskLink {
            connector: l.connector,
            external_id: l.external_id,
            sync_state: l.sync_state,
            last_error: l.last_error,
            synced_at: l.synced_at,
        });
        out.push(Task {
            id: r.id,
            thread_id: r.thread_id,
            thread_title: title,
            contact,
            priority: r.priority(),
            status: r.status(),
            owner,
            subject: r.subject,
            description: r.description,
            first_response_due: r.first_response_due,
            resolution_due: r.resolution_due,
            first_response_at: r.first_response_at,
            resolved_at: r.resolved_at,
            sla_flags: r.sla_flags,
            escalation: r.escalation,
            created_at: r.created_at,
            updated_at: r.updated_at,
            external,
        });
    }
    Ok(out)
}

pub fn task(conn: &mut Conn, id: i64) -> Result<Task> {
    let row = task_row(conn, id)?;
    Ok(hydrate(conn, vec![row])?.remove(0))
}

pub fn task_for_thread(conn: &mut Conn, thread_id: i64) -> Result<Option<Task>> {
    match task_row_for_thread(conn, thread_id)? {
        Some(r) => Ok(hydrate(conn, vec![r])?.pop()),
        None => Ok(None),
    }
}

pub fn queue(conn: &mut Conn, f: &QueueFilter) -> Result<Vec<Task>> {
    let mut q = crm_tasks::table.select(TaskRow::as_select()).into_boxed();
    if f.statuses.is_empty() {
        q = q.filter(crm_tasks::status.ne_all(["resolved", "closed"]));
    } else {
        let s: Vec<&str> = f.statuses.iter().map(|s| s.as_str()).collect();
        q = q.filter(crm_tasks::status.eq_any(s));
    }
    if let Some(p) = f.priority {
        q = q.filter(crm_tasks::priority.eq(p.as_str()));
    }
    match f.owner {
        OwnerFilter::Anyone => {}
        OwnerFilter::Unassigned => q = q.filter(crm_tasks::owner_id.is_null()),
        OwnerFilter::Agent(a) => q = q.filter(crm_tasks::owner_id.eq(a)),
    }
    if let Some(due) = f.due_before {
        q = q.filter(
            crm_tasks::first_response_at
                .is_null()
                .and(crm_tasks::first_response_due.lt(due))
                .or(crm_tasks::resolution_due.lt(due)),
        );
    }
    // Most urgent first, then what is due soonest.
    let rows = q
        .order((
            diesel::dsl::sql::<diesel::sql_types::Integer>(
                "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END",
            ),
            crm_tasks::resolution_due.asc(),
            crm_tasks::id.asc(),
        ))
        .limit(f.limit.clamp(1, 500))
        .offset(f.offset.clamp(0, forum::PageLimits::LISTING.max_window))
        .load(conn)?;
    hydrate(conn, rows)
}

pub fn tasks_of_contact(conn: &mut Conn, contact_id: i64, limit: i64) -> Result<Vec<Task>> {
    let rows = crm_tasks::table
        .filter(crm_tasks::contact_id.eq(contact_id))
        .order(crm_tasks::created_at.desc())
        .limit(limit)
        .select(TaskRow::as_select())
        .load(conn)?;
    hydrate(conn, rows)
}

pub fn threads_of(conn: &mut Conn, author_id: i64, limit: i64) -> Result<Vec<ThreadRef>> {
    Ok(threads::table
        .filter(threads::author_id.eq(author_id))
        .filter(threads::deleted_at.is_null())
        .order(threads::created_at.desc())
        .limit(limit)
        .select((
            threads::id,
            threads::title,
            threads::status,
            threads::created_at,
        ))
        .load(conn)?)
}

type ThreadHead = (i64, String, Option<i64>, Option<i64>);

pub fn thread_facts(conn: &mut Conn, thread_id: i64) -> Result<Option<ThreadFacts>> {
    let t: Option<ThreadHead> = threads::table
        .filter(threads::id.eq(thread_id))
        .select((
            threads::author_id,
            threads::title,
            threads::accepted_post_id,
            threads::deleted_at,
        ))
        .first(conn)
        .optional()?;
    let Some((author, title, accepted, deleted)) = t else {
        return Ok(None);
    };
    let body: String = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(true))
        .select(posts::body_md)
        .first(conn)
        .optional()?
        .unwrap_or_default();
    Ok(Some(ThreadFacts {
        author,
        title,
        body,
        accepted,
        deleted: deleted.is_some(),
    }))
}

pub fn thread_created_at(conn: &mut Conn, thread_id: i64) -> Result<Option<i64>> {
    Ok(threads::table
        .find(thread_id)
        .select(threads::created_at)
        .first(conn)
        .optional()?)
}

pub fn thread_status(conn: &mut Conn, thread_id: i64) -> Result<String> {
    Ok(threads::table
        .find(thread_id)
        .select(threads::status)
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

pub fn post_body(conn: &mut Conn, post_id: i64) -> Result<Option<(i64, String, bool)>> {
    Ok(posts::table
        .find(post_id)
        .select((
            posts::author_id,
            posts::body_md,
            posts::deleted_at.is_not_null(),
        ))
        .first(conn)
        .optional()?)
}

/// Active tasks still waiting for a first reply, created at or before `cutoff`.
pub fn tasks_waiting_since(conn: &mut Conn, cutoff: i64, limit: i64) -> Result<Vec<TaskRow>> {
    Ok(crm_tasks::table
        .filter(crm_tasks::status.eq_any(["new", "open"]))
        .filter(crm_tasks::created_at.le(cutoff))
        .filter(crm_tasks::first_response_at.is_null())
        .order(crm_tasks::created_at.asc())
        .limit(limit)
        .select(TaskRow::as_select())
        .load(conn)?)
}

/// Active tasks with a due time at or before `bound` whose flag for it is
/// not yet set.
pub fn tasks_near_due(conn: &mut Conn, bound: i64, limit: i64) -> Result<Vec<TaskRow>> {
    Ok(crm_tasks::table
        .filter(crm_tasks::status.ne_all(["resolved", "closed"]))
        .filter(
            crm_tasks::first_response_at
                .is_null()
                .and(crm_tasks::first_response_due.le(bound))
                .and(diesel::dsl::sql::<Bool>("(sla_flags & 3) <> 3"))
                .or(crm_tasks::resolution_due
                    .le(bound)
                    .and(diesel::dsl::sql::<Bool>("(sla_flags & 12) <> 12"))),
        )
        .order(crm_tasks::id.asc())
        .limit(limit)
        .select(TaskRow::as_select())
        .load(conn)?)
}

pub fn stats(conn: &mut Conn) -> Result<CrmStats> {
    use diesel::dsl::count_star;
    let by_status: Vec<(String, i64)> = crm_tasks::table
        .group_by(crm_tasks::status)
        .select((crm_tasks::status, count_star()))
        .load(conn)?;
    let escalated_total = crm_tasks::table
        .filter(crm_tasks::escalation.is_not_null())
        .count()
        .get_result(conn)?;
    let first_response_breaches = crm_tasks::table
        .filter(diesel::dsl::sql::<Bool>("(sla_flags & 2) <> 0"))
        .count()
        .get_result(conn)?;
    let resolution_breaches = crm_tasks::table
        .filter(diesel::dsl::sql::<Bool>("(sla_flags & 8) <> 0"))
        .count()
        .get_result(conn)?;
    let mut waits: Vec<i64> = crm_tasks::table
        .filter(crm_tasks::first_response_at.is_not_null())
        .order(crm_tasks::id.desc())
        .limit(10_000)
        .select((
            crm_tasks::first_response_at.assume_not_null(),
            crm_tasks::created_at,
        ))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .map(|(a, c)| a - c)
        .collect();
    waits.sort_unstable();
    let median_first_response_minutes =
        (!waits.is_empty()).then(|| waits[waits.len() / 2] as f64 / 60_000.0);
    let (pending_deliveries, _, dead_letters) =
        forum::delivery::counts(forum_tx(conn), forum::delivery::CRM)?;
    Ok(CrmStats {
        by_status,
        escalated_total,
        first_response_breaches,
        resolution_breaches,
        median_first_response_minutes,
        pending_deliveries,
        dead_letters,
    })
}

// ---------------------------------------------------------------- deliveries

/// Queue work for the connector. A 'sync' item coalesces: if one is queued
/// (or dead, or done) it becomes pending again and its stamp moves on, so an
/// attempt already in flight cannot mark the newer change as delivered.
pub fn enqueue_delivery(
    conn: &mut Conn,
    now: i64,
    connector: &str,
    task_id: i64,
    kind: &str,
    ref_id: i64,
) -> Result<()> {
    forum::delivery::enqueue(
        forum_tx(conn),
        now,
        forum::delivery::NewDelivery {
            channel: forum::delivery::CRM,
            kind,
            subject_id: task_id,
            ref_id,
            coalesce: kind == "sync",
        },
    )?;
    diesel::insert_into(crm_task_links::table)
        .values((
            crm_task_links::task_id.eq(task_id),
            crm_task_links::connector.eq(connector),
            crm_task_links::sync_state.eq("pending"),
            crm_task_links::updated_at.eq(now),
        ))
        .on_conflict(crm_task_links::task_id)
        .do_update()
        .set((
            crm_task_links::connector.eq(connector),
            crm_task_links::sync_state.eq("pending"),
            crm_task_links::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Mark a delivery done, unless it changed since it was claimed.
pub fn finish_delivery(conn: &mut Conn, d: &Delivery, now: i64) -> Result<bool> {
    forum::delivery::finish(forum_tx(conn), now, d.stamp())
}

pub fn set_link(
    conn: &mut Conn,
    now: i64,
    task_id: i64,
    connector: &str,
    external_id: Option<&str>,
    state: &str,
    error: Option<&str>,
) -> Result<()> {
    let synced_at = (state == "synced").then_some(now);
    diesel::insert_into(crm_task_links::table)
        .values((
            crm_task_links::task_id.eq(task_id),
            crm_task_links::connector.eq(connector),
            crm_task_links::external_id.eq(external_id),
            crm_task_links::sync_state.eq(state),
            crm_task_links::last_error.eq(error),
            crm_task_links::synced_at.eq(synced_at),
            crm_task_links::updated_at.eq(now),
        ))
        .on_conflict(crm_task_links::task_id)
        .do_update()
        .set((
            crm_task_links::connector.eq(connector),
            crm_task_links::external_id.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Text>,
            >(
                "COALESCE(excluded.external_id, crm_task_links.external_id)",
            )),
            crm_task_links::sync_state.eq(state),
            crm_task_links::last_error.eq(error),
            crm_task_links::synced_at.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
            >(
                "COALESCE(excluded.synced_at, crm_task_links.synced_at)",
            )),
            crm_task_links::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn task_by_external(
    conn: &mut Conn,
    connector: &str,
    external_id: &str,
) -> Result<Option<i64>> {
    Ok(crm_task_links::table
        .filter(crm_task_links::connector.eq(connector))
        .filter(crm_task_links::external_id.eq(external_id))
        .select(crm_task_links::task_id)
        .first(conn)
        .optional()?)
}

/// Mirrored tasks still worth polling the external CRM for, oldest sync first.
pub fn linked_tasks(
    conn: &mut Conn,
    connector: &str,
    after_task: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    Ok(crm_task_links::table
        .inner_join(crm_tasks::table)
        .filter(crm_task_links::connector.eq(connector))
        .filter(crm_task_links::external_id.is_not_null())
        .filter(crm_tasks::status.ne("closed"))
        .filter(crm_task_links::task_id.gt(after_task))
        .order(crm_task_links::task_id.asc())
        .limit(limit)
        .select((
            crm_task_links::task_id,
            crm_task_links::external_id.assume_not_null(),
        ))
        .load(conn)?)
}

// ---------------------------------------------------------------- inbound

/// Record an inbound change's key; false if it was applied before.
pub fn record_inbound(conn: &mut Conn, now: i64, key: &str) -> Result<bool> {
    let n = diesel::insert_into(crm_inbound::table)
        .values((crm_inbound::key.eq(key), crm_inbound::received_at.eq(now)))
        .on_conflict(crm_inbound::key)
        .do_nothing()
        .execute(conn)?;
    Ok(n == 1)
}

pub fn inbound_seen(conn: &mut Conn, key: &str) -> Result<bool> {
    Ok(crm_inbound::table
        .find(key)
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

// ---------------------------------------------------------------- canned responses, reminders, settings

pub fn canned_responses(conn: &mut Conn) -> Result<Vec<CannedResponse>> {
    Ok(crm_canned_responses::table
        .order(crm_canned_responses::title.asc())
        .select(CannedResponse::as_select())
        .load(conn)?)
}

pub fn canned_response(conn: &mut Conn, id: i64) -> Result<CannedResponse> {
    crm_canned_responses::table
        .find(id)
        .select(CannedResponse::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("canned response"))
}

pub fn save_canned(
    conn: &mut Conn,
    now: i64,
    id: Option<i64>,
    title: &str,
    body: &str,
    by: i64,
) -> Result<i64> {
    match id {
        Some(id) => {
            let n = diesel::update(crm_canned_responses::table.find(id))
                .set((
                    crm_canned_responses::title.eq(title),
                    crm_canned_responses::body.eq(body),
                    crm_canned_responses::updated_by.eq(by),
                    crm_canned_responses::updated_at.eq(now),
                ))
                .execute(conn)?;
            if n == 0 {
                return Err(ForumError::NotFound("canned response"));
            }
            Ok(id)
        }
        None => Ok(diesel::insert_into(crm_canned_responses::table)
            .values((
                crm_canned_responses::title.eq(title),
                crm_canned_responses::body.eq(body),
                crm_canned_responses::updated_by.eq(by),
                crm_canned_responses::updated_at.eq(now),
            ))
            .returning(crm_canned_responses::id)
            .get_result(conn)?),
    }
}

pub fn delete_canned(conn: &mut Conn, id: i64) -> Result<()> {
    let n = diesel::delete(crm_canned_responses::table.find(id)).execute(conn)?;
    if n == 0 {
        return Err(ForumError::NotFound("canned response"));
    }
    Ok(())
}

pub fn add_reminder(
    conn: &mut Conn,
    now: i64,
    task_id: i64,
    agent_id: i64,
    remind_at: i64,
    note: &str,
) -> Result<i64> {
    task_row(conn, task_id)?;
    Ok(diesel::insert_into(crm_reminders::table)
        .values((
            crm_reminders::task_id.eq(task_id),
            crm_reminders::agent_id.eq(agent_id),
            crm_reminders::remind_at.eq(remind_at),
            crm_reminders::note.eq(note),
            crm_reminders::created_at.eq(now),
        ))
        .returning(crm_reminders::id)
        .get_result(conn)?)
}

pub fn reminders(
    conn: &mut Conn,
    agent_id: i64,
    due_by: Option<i64>,
    task_id: Option<i64>,
) -> Result<Vec<Reminder>> {
    let mut q = crm_reminders::table
        .filter(crm_reminders::agent_id.eq(agent_id))
        .filter(crm_reminders::done_at.is_null())
        .select(Reminder::as_select())
        .into_boxed();
    if let Some(d) = due_by {
        q = q.filter(crm_reminders::remind_at.le(d));
    }
    if let Some(t) = task_id {
        q = q.filter(crm_reminders::task_id.eq(t));
    }
    Ok(q.order(crm_reminders::remind_at.asc())
        .limit(200)
        .load(conn)?)
}

pub fn dismiss_reminder(conn: &mut Conn, now: i64, id: i64, agent_id: i64) -> Result<()> {
    let n = diesel::update(
        crm_reminders::table
            .find(id)
            .filter(crm_reminders::agent_id.eq(agent_id)),
    )
    .set(crm_reminders::done_at.eq(now))
    .execute(conn)?;
    if n == 0 {
        return Err(ForumError::NotFound("reminder"));
    }
    Ok(())
}

pub fn setting(conn: &mut Conn, key: &str) -> Result<Option<String>> {
    Ok(crm_settings::table
        .find(key)
        .select(crm_settings::value)
        .first(conn)
        .optional()?)
}

pub fn insert_setting_once(conn: &mut Conn, now: i64, key: &str, value: &str) -> Result<()> {
    diesel::insert_into(crm_settings::table)
        .values((
            crm_settings::key.eq(key),
            crm_settings::value.eq(value),
            crm_settings::updated_at.eq(now),
        ))
        .on_conflict(crm_settings::key)
        .do_nothing()
        .execute(conn)?;
    Ok(())
}

pub fn set_setting(conn: &mut Conn, now: i64, key: &str, value: &str) -> Result<()> {
    diesel::insert_into(crm_settings::table)
        .values((
            crm_settings::key.eq(key),
            crm_settings::value.eq(value),
            crm_settings::updated_at.eq(now),
        ))
        .on_conflict(crm_settings::key)
        .do_update()
        .set((
            crm_settings::value.eq(value),
            crm_settings::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

// ---------------------------------------------------------------- reconciliation

/// Each board's own CRM task setting (`categories.creates_crm_tasks`):
/// None follows the rules' `task_categories`.
pub fn board_task_settings(
    conn: &mut Conn,
    category_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Option<bool>>> {
    let rows: Vec<(i64, Option<bool>)> = categories::table
        .filter(categories::id.eq_any(category_ids))
        .select((categories::id, categories::creates_crm_tasks))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Live threads in `categories` that have no task, after `after_id`.
pub fn threads_without_task(
    conn: &mut Conn,
    categories_in: &[String],
    after_id: i64,
    limit: i64,
) -> Result<Vec<i64>> {
    Ok(threads::table
        .inner_join(categories::table)
        .left_join(crm_tasks::table.on(crm_tasks::thread_id.eq(threads::id)))
        // The board's own setting wins; unset, the rules' list decides.
        .filter(
            categories::creates_crm_tasks
                .eq(true)
                .or(categories::creates_crm_tasks
                    .is_null()
                    .and(categories::slug.eq_any(categories_in))),
        )
        .filter(threads::deleted_at.is_null())
        .filter(crm_tasks::id.is_null())
        .filter(threads::id.gt(after_id))
        .order(threads::id.asc())
        .limit(limit)
        .select(threads::id)
        .load(conn)?)
}

/// Tasks with no external mirror (or a failed one) and no queued delivery.
pub fn tasks_out_of_sync(conn: &mut Conn, after_id: i64, limit: i64) -> Result<Vec<i64>> {
    Ok(crm_tasks::table
        .left_join(crm_task_links::table)
        .filter(
            crm_task_links::task_id
                .is_null()
                .or(crm_task_links::external_id.is_null())
                .or(crm_task_links::sync_state.ne("synced")),
        )
        .filter(diesel::dsl::not(diesel::dsl::exists(
            delivery_queue::table
                .filter(delivery_queue::channel.eq(forum::delivery::CRM))
                .filter(delivery_queue::subject_id.eq(crm_tasks::id))
                .filter(delivery_queue::kind.eq("sync"))
                .filter(delivery_queue::status.eq("pending")),
        )))
        .filter(crm_tasks::id.gt(after_id))
        .order(crm_tasks::id.asc())
        .limit(limit)
        .select(crm_tasks::id)
        .load(conn)?)
}

// ---------------------------------------------------------------- bulk paths for catching up

pub fn segments_of(
    conn: &mut Conn,
    users: &[i64],
) -> Result<std::collections::HashMap<i64, String>> {
    let mut out = std::collections::HashMap::new();
    for chunk in users.chunks(500) {
        let rows: Vec<(i64, String)> = crm_contacts::table
            .filter(crm_contacts::user_id.eq_any(chunk))
            .select((crm_contacts::user_id, crm_contacts::segment))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

pub fn thread_facts_many(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, ThreadFacts>> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let heads: Vec<(i64, ThreadHead)> = threads::table
            .filter(threads::id.eq_any(chunk))
            .select((
                threads::id,
                (
                    threads::author_id,
                    threads::title,
                    threads::accepted_post_id,
                    threads::deleted_at,
                ),
            ))
            .load(conn)?;
        let bodies: std::collections::HashMap<i64, String> = posts::table
            .filter(posts::thread_id.eq_any(chunk))
            .filter(posts::is_question.eq(true))
            .select((posts::thread_id, posts::body_md))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        for (id, (author, title, accepted, deleted)) in heads {
            out.insert(
                id,
                ThreadFacts {
                    author,
                    title,
                    body: bodies.get(&id).cloned().unwrap_or_default(),
                    accepted,
                    deleted: deleted.is_some(),
                },
            );
        }
    }
    Ok(out)
}

/// An idea's title, the status names it went from and to, and its voters.
pub type IdeaChange = (String, String, String, Vec<i64>);

/// An idea's status change for the voters' timelines (issue 17).
pub fn idea_change(conn: &mut Conn, change_id: i64, thread_id: i64) -> Result<Option<IdeaChange>> {
    let Some((to, from)): Option<(String, String)> = idea_status_changes::table
        .find(change_id)
        .select((idea_status_changes::to_name, idea_status_changes::from_name))
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let title: String = threads::table
        .find(thread_id)
        .select(threads::title)
        .first(conn)
        .optional()?
        .unwrap_or_default();
    let voters: Vec<i64> = idea_votes::table
        .filter(idea_votes::thread_id.eq(thread_id))
        .order(idea_votes::user_id.asc())
        .select(idea_votes::user_id)
        .load(conn)?;
    Ok(Some((title, from, to, voters)))
}
