//! Moderation storage: trust facts, screening a post before it is written,
//! holds, members' flags and automatic hiding, the review queue and its
//! decisions. Every action is one transaction with its audit entry, its
//! outbox events and the author's notice. Compiled per backend as `review`.

#[allow(unused_imports)]
use super::*;

use crate::members::{MemberStatus, StandingChange};
use crate::notify::Notice;
use crate::review::{
    flag_weight, new_member_holds, DecisionInput, FlagOutcome, FlagReason, FlagView, HoldReason,
    Premoderation, QueueFilter, RecentActivity, ReviewItem, ReviewState, ReviewStats, Screening,
    TrustFacts, TrustLevel, DAY_MS,
};

/// How far Hearth trusts `user_id`, from their record.
pub fn trust_of(conn: &mut Conn, now: i64, user_id: i64, s: &Screening) -> Result<TrustLevel> {
    let (role, created_at): (String, i64) = users::table
        .find(user_id)
        .select((users::role, users::created_at))
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("member"))?;
    let role = parse_role(&role)?;
    if role.is_staff() {
        return Ok(TrustLevel::Staff);
    }
    let cfg = &s.cfg.trust;
    let (points, accepted): (i64, i32) = user_reputation::table
        .find(user_id)
        .select((user_reputation::points, user_reputation::accepted))
        .first(conn)
        .optional()?
        .unwrap_or((0, 0));
    let is_leader_rank = s
        .leader
        .is_some_and(|(p, a)| points >= p && i64::from(accepted) >= a);
    let mut facts = TrustFacts {
        role: Some(role),
        account_age_ms: now - created_at,
        points,
        is_leader_rank,
        ..TrustFacts::default()
    };
    // The cheap facts settle most members; look further only when needed.
    if cfg.level(&facts) > TrustLevel::New {
        return Ok(cfg.level(&facts));
    }
    facts.visible_posts = posts::table
        .filter(posts::author_id.eq(user_id))
        .filter(posts::deleted_at.is_null())
        .select(posts::id)
        .limit(cfg.trusted_after_posts.max(0))
        .load::<i64>(conn)?
        .len() as i64;
    if cfg.sso_is_trusted {
        facts.has_sso_identity = user_identities::table
            .filter(user_identities::user_id.eq(user_id))
            .select(user_identities::provider)
            .first::<String>(conn)
            .optional()?
            .is_some();
    }
    if cfg.crm_company_is_trusted {
        facts.has_crm_company = crm_contacts::table
            .find(user_id)
            .select(crm_contacts::company)
            .first::<String>(conn)
            .optional()?
            .is_some_and(|c| !c.trim().is_empty());
    }
    Ok(cfg.level(&facts))
}

/// Check a post before it is written: refuse the same body posted twice
/// within the window; otherwise return why it must be held (empty: it may
/// be shown). Runs in the posting transaction.
#[allow(clippy::too_many_arguments)]
pub(super) fn screen_post(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    body_md: &str,
    is_topic: bool,
    premoderation: Premoderation,
    s: &Screening,
) -> Result<Vec<HoldReason>> {
    if actor.role.is_staff() {
        return Ok(Vec::new());
    }
    let limits = &s.cfg.new_members;
    if limits.duplicate_window_secs > 0 {
        let since = now - limits.duplicate_window_secs.saturating_mul(1000);
        let again = posts::table
            .filter(posts::author_id.eq(actor.user_id))
            .filter(posts::created_at.ge(since))
            .filter(posts::body_md.eq(body_md))
            .filter(
                posts::deleted_at
                    .is_null()
                    .or(posts::review_state.eq(ReviewState::Held.as_str())),
            )
            .select(posts::id)
            .first::<i64>(conn)
            .optional()?;
        if again.is_some() {
            return Err(ForumError::invalid(
                "body", crate::Rule::RepeatedPost,
                "you posted this same text a moment ago; it is already there (or waiting for review)",
            ));
        }
    }
    let trust = trust_of(conn, now, actor.user_id, s)?;
    let mut reasons = Vec::new();
    if trust == TrustLevel::New && limits.enabled {
        let created_at: i64 = users::table
            .find(actor.user_id)
            .select(users::created_at)
            .first(conn)?;
        let age = now - created_at;
        let (mut topics, mut replies) = (0, 0);
        if age < DAY_MS {
            let kinds: Vec<bool> = posts::table
                .filter(posts::author_id.eq(actor.user_id))
                .filter(posts::created_at.ge(created_at))
                .select(posts::is_question)
                .load(conn)?;
            topics = kinds.iter().filter(|q| **q).count() as i64;
            replies = kinds.len() as i64 - topics;
        }
        let last: Option<i64> = posts::table
            .filter(posts::author_id.eq(actor.user_id))
            .select(diesel::dsl::max(posts::created_at))
            .first(conn)?;
        reasons = new_member_holds(
            limits,
            body_md,
            is_topic,
            &RecentActivity {
                account_age_ms: age,
                topics_first_day: topics,
                replies_first_day: replies,
                secs_since_last_post: last.map(|t| (now - t) / 1000),
            },
        );
    }
    if trust == TrustLevel::New && s.cfg.spam.enabled {
        let mut facts = super::spam::spam_facts(
            conn,
            now,
            actor.user_id,
            body_md,
            s.tokenize,
            s.cfg.spam.min_training_docs,
        )?;
        facts.remote_says_spam = s.remote_says_spam;
        if let Some(ms) = s.typed_ms {
            let first = posts::table
                .filter(posts::author_id.eq(actor.user_id))
                .select(posts::id)
                .first::<i64>(conn)
                .optional()?
                .is_none();
            if first {
                facts.first_post_typed = Some((body_md.chars().count(), ms));
            }
        }
        let scored = crate::spam::score(&facts);
        if scored.score >= s.cfg.spam.hold_at {
            reasons.push(HoldReason::LikelySpam {
                score: scored.score,
                signals: scored.signals,
            });
        }
    }
    if premoderation.holds(trust) {
        reasons.push(HoldReason::Premoderation);
    }
    Ok(reasons)
}

fn reason_codes(reasons: &[HoldReason]) -> Vec<String> {
    reasons
        .iter()
        .filter_map(|r| serde_json::to_value(r).ok())
        .filter_map(|v| v["code"].as_str().map(str::to_owned))
        .collect()
}

fn reasons_json(reasons: &[HoldReason]) -> Result<String> {
    serde_json::to_string(reasons).map_err(|e| ForumError::Internal(e.to_string()))
}

fn parse_reasons(json: &str) -> Vec<HoldReason> {
    serde_json::from_str(json).unwrap_or_default()
}

/// A post just written is held: out of sight (with its thread, for a
/// question), in the queue with its reasons, and its author told. Called
/// by the posting transaction after the rows exist.
pub(super) fn hold_new_post(
    conn: &mut Conn,
    now: i64,
    post_id: i64,
    thread_id: i64,
    actor: Actor,
    is_question: bool,
    reasons: &[HoldReason],
) -> Result<()> {
    diesel::update(posts::table.find(post_id))
        .set((
            posts::deleted_at.eq(Some(now)),
            posts::review_state.eq(Some(ReviewState::Held.as_str())),
        ))
        .execute(conn)?;
    if is_question {
        diesel::update(threads::table.find(thread_id))
            .set(threads::deleted_at.eq(Some(now)))
            .execute(conn)?;
        super::boards::recount_board_of_thread(conn, thread_id)?;
    }
    diesel::insert_into(review_items::table)
        .values((
            review_items::post_id.eq(post_id),
            review_items::author_id.eq(actor.user_id),
            review_items::hold_reasons.eq(reasons_json(reasons)?),
            review_items::hid_post.eq(true),
            review_items::held_at_creation.eq(true),
            review_items::spam_score.eq(reasons
                .iter()
                .find_map(|r| match r {
                    HoldReason::LikelySpam { score, .. } => Some(*score),
                    _ => None,
                })
                .unwrap_or(0)),
            review_items::created_at.eq(now),
        ))
        .execute(conn)?;
    emit(
        conn,
        now,
        Some(actor.user_id),
        EventBody::PostHeld(events::PostModerated {
            post_id,
            thread_id,
            author_id: actor.user_id,
            is_question,
            reasons: reason_codes(reasons),
        }),
    )
    // No notice or mail now: the author is told in the answer to posting
    // and sees the post marked on the thread; a spam wave must not make
    // the site mail every (often fake) address it came from. The decision
    // is told.
}

fn thread_title(conn: &mut Conn, thread_id: i64) -> Result<String> {
    Ok(threads::table
        .find(thread_id)
        .select(threads::title)
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

fn tell_author(
    conn: &mut Conn,
    now: i64,
    user_id: i64,
    (thread_id, post_id): (i64, i64),
    title: String,
    params: serde_json::Value,
) -> Result<()> {
    super::notify::deliver(
        conn,
        now,
        &Notice {
            user_id,
            kind: "account".into(),
            title,
            link: format!("/t/{thread_id}#p{post_id}"),
            dedupe_key: format!("review:{post_id}:{now}:{params}"),
            group_key: format!("thread:{thread_id}"),
            params,
        },
    )?;
    Ok(())
}

/// Take a shown post out of sight: it leaves the thread's count, search
/// and the KB sources (a `post.hidden` event), and comes back on approval.
fn take_down(
    conn: &mut Conn,
    now: i64,
    actor: Option<i64>,
    post: &PostRow,
    state: ReviewState,
    reasons: Vec<String>,
) -> Result<()> {
    diesel::update(posts::table.find(post.id))
        .set((
            posts::deleted_at.eq(Some(now)),
            posts::review_state.eq(Some(state.as_str())),
        ))
        .execute(conn)?;
    if post.is_question {
        diesel::update(threads::table.find(post.thread_id))
            .set(threads::deleted_at.eq(Some(now)))
            .execute(conn)?;
        super::boards::recount_board_of_thread(conn, post.thread_id)?;
    } else {
        diesel::update(threads::table.find(post.thread_id))
            .set(threads::reply_count.eq(threads::reply_count - 1))
            .execute(conn)?;
        let fresh = load_thread(conn, post.thread_id)?;
        let status = recompute_status(conn, &fresh)?;
        set_status(conn, post.thread_id, status)?;
    }
    emit(
        conn,
        now,
        actor,
        EventBody::PostHidden(events::PostModerated {
            post_id: post.id,
            thread_id: post.thread_id,
            author_id: post.author_id,
            is_question: post.is_question,
            reasons,
        }),
    )
}

/// Show a held post for the first time (publishing it: `thread.created` or
/// `post.created`, as if just written) or a hidden one again.
fn bring_back(conn: &mut Conn, now: i64, actor: Actor, post: &PostRow) -> Result<()> {
    let was = post.review_state.as_deref().and_then(ReviewState::parse);
    diesel::update(posts::table.find(post.id))
        .set((
            posts::deleted_at.eq(None::<i64>),
            posts::review_state.eq(None::<String>),
        ))
        .execute(conn)?;
    let thread = load_thread(conn, post.thread_id)?;
    let category = load_category_for(conn, thread.category_id)?;
    if post.is_question {
        diesel::update(threads::table.find(thread.id))
            .set(threads::deleted_at.eq(None::<i64>))
            .execute(conn)?;
        super::boards::recount_board_threads(conn, thread.category_id)?;
    } else {
        let mut activity = thread.last_activity_at;
        if was == Some(ReviewState::Held) {
            activity = now;
        }
        diesel::update(threads::table.find(thread.id))
            .set((
                threads::reply_count.eq(threads::reply_count + 1),
                threads::last_activity_at.eq(activity),
            ))
            .execute(conn)?;
        let fresh = load_thread(conn, thread.id)?;
        let status = recompute_status(conn, &fresh)?;
        set_status(conn, thread.id, status)?;
    }
    let body = match (was, post.is_question) {
        (Some(ReviewState::Held), true) => {
            let tags: Vec<String> = thread_tags::table
                .filter(thread_tags::thread_id.eq(thread.id))
                .order(thread_tags::tag)
                .select(thread_tags::tag)
                .load(conn)?;
            EventBody::ThreadCreated(events::ThreadCreated {
                thread_id: thread.id,
                post_id: post.id,
                category_id: category.id,
                category: category.slug.clone(),
                author_id: post.author_id,
                title: thread.title.clone(),
                tags,
                private: category.is_private,
            })
        }
        (Some(ReviewState::Held), false) => EventBody::PostCreated(events::PostCreated {
            post_id: post.id,
            thread_id: thread.id,
            category_id: category.id,
            author_id: post.author_id,
            thread_author_id: thread.author_id,
            private: category.is_private,
        }),
        _ => EventBody::PostRestored(events::PostModerated {
            post_id: post.id,
            thread_id: thread.id,
            author_id: post.author_id,
            is_question: post.is_question,
            reasons: Vec::new(),
        }),
    };
    // The publishing event carries the author as its actor, as if the post
    // had just been written: consumers credit and notify by it.
    let event_actor = match body {
        EventBody::PostRestored(_) => actor.user_id,
        _ => post.author_id,
    };
    emit(conn, now, Some(event_actor), body)
}

fn open_item_for(conn: &mut Conn, post_id: i64) -> Result<Option<(i64, i32, bool)>> {
    Ok(review_items::table
        .filter(review_items::post_id.eq(post_id))
        .filter(review_items::state.eq("open"))
        .select((
            review_items::id,
            review_items::flag_score,
            review_items::hid_post,
        ))
        .first(conn)
        .optional()?)
}

/// A member reports a post. At most one flag per member per post, within
/// the daily allowance; when the weighted flags reach the threshold the
/// post is hidden pending review and its author told.
#[allow(clippy::too_many_arguments)]
pub fn flag_post(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    post_id: i64,
    reason: FlagReason,
    note: &str,
    s: &Screening,
) -> Result<FlagOutcome> {
    transaction(conn, |conn| {
        lock_post(conn, post_id)?;
        let post = load_post(conn, post_id)?;
        visible_thread(conn, post.thread_id, Some(actor))?;
        let already = flags::table
            .filter(flags::post_id.eq(post_id))
            .filter(flags::flagger_id.eq(actor.user_id))
            .select(flags::id)
            .first::<i64>(conn)
            .optional()?;
        if already.is_some() {
            return Err(ForumError::Conflict(
                "you have already reported this post".into(),
            ));
        }
        if post.deleted_at.is_some() {
            return Err(ForumError::NotFound("post"));
        }
        if post.author_id == actor.user_id {
            return Err(ForumError::Forbidden("you cannot report your own post"));
        }
        let flagger = trust_of(conn, now, actor.user_id, s)?;
        if flagger < s.cfg.flags.min_trust {
            return Err(ForumError::Forbidden(
                "your account is too new to report posts; a moderator will see problems soon",
            ));
        }
        let today: i64 = flags::table
            .filter(flags::flagger_id.eq(actor.user_id))
            .filter(flags::created_at.gt(now - DAY_MS))
            .count()
            .get_result(conn)?;
        if today >= i64::from(s.cfg.flags.daily_allowance) {
            return Err(ForumError::RateLimited {
                retry_after_ms: DAY_MS / 24,
            });
        }
        // A decision stands until the post is edited: reports of a post a
        // moderator approved as it is now are not queued again.
        let approved_at: Option<i64> = review_items::table
            .filter(review_items::post_id.eq(post_id))
            .filter(review_items::state.eq("approved"))
            .select(diesel::dsl::max(review_items::decided_at))
            .first::<Option<i64>>(conn)?;
        if approved_at.is_some_and(|at| at >= post.edited_at.unwrap_or(post.created_at)) {
            return Err(ForumError::Conflict(
                "a moderator has already reviewed this post".into(),
            ));
        }
        let author = trust_of(conn, now, post.author_id, s)?;
        let weight = flag_weight(&s.cfg.flags, flagger, author);
        let (review_id, score, hidden) = match open_item_for(conn, post_id)? {
            Some(open) => open,
            None => {
                let id: i64 = diesel::insert_into(review_items::table)
                    .values((
                        review_items::post_id.eq(post_id),
                        review_items::author_id.eq(post.author_id),
                        review_items::created_at.eq(now),
                    ))
                    .returning(review_items::id)
                    .get_result(conn)?;
                (id, 0, false)
            }
        };
        diesel::insert_into(flags::table)
            .values((
                flags::post_id.eq(post_id),
                flags::flagger_id.eq(actor.user_id),
                flags::review_id.eq(review_id),
                flags::reason.eq(reason.as_str()),
                flags::note.eq(note),
                flags::weight.eq(weight),
                flags::created_at.eq(now),
            ))
            .execute(conn)?;
        let score = score + weight;
        let hide = !hidden && score >= s.cfg.flags.hide_threshold;
        diesel::update(review_items::table.find(review_id))
            .set((
                review_items::flag_score.eq(score),
                review_items::hid_post.eq(hidden || hide),
            ))
            .execute(conn)?;
        if hide {
            let reasons = vec![HoldReason::Flagged { score }];
            diesel::update(review_items::table.find(review_id))
                .set(review_items::hold_reasons.eq(reasons_json(&reasons)?))
                .execute(conn)?;
            take_down(
                conn,
                now,
                Some(actor.user_id),
                &post,
                ReviewState::Hidden,
                reason_codes(&reasons),
            )?;
            let title = thread_title(conn, post.thread_id)?;
            tell_author(
                conn,
                now,
                post.author_id,
                (post.thread_id, post_id),
                format!(
                    "Your post in “{title}” was hidden after members reported it; a moderator will review it"
                ),
                serde_json::json!({ "review": "hidden", "thread": title }),
            )?;
        }
        Ok(FlagOutcome {
            review_id,
            hid_post: hide,
        })
    })
}

/// Claim an item so two moderators do not work it at once. A claim older
/// than half an hour is abandoned and may be taken over.
pub fn claim_review(conn: &mut Conn, now: i64, actor: Actor, review_id: i64) -> Result<()> {
    policy::ensure_can_moderate(actor)?;
    transaction(conn, |conn| {
        let (state, claimed_by, claimed_at): (String, Option<i64>, Option<i64>) =
            review_items::table
                .find(review_id)
                .select((
                    review_items::state,
                    review_items::claimed_by,
                    review_items::claimed_at,
                ))
                .first(conn)
                .optional()?
                .ok_or(ForumError::NotFound("review item"))?;
        if state != "open" {
            return Err(ForumError::Conflict(
                "this item has already been decided".into(),
            ));
        }
        let stale = claimed_at.is_some_and(|at| now - at > 30 * 60_000);
        if claimed_by.is_some_and(|by| by != actor.user_id) && !stale {
            return Err(ForumError::Conflict(
                "another moderator is working on this item".into(),
            ));
        }
        diesel::update(review_items::table.find(review_id))
            .set((
                review_items::claimed_by.eq(Some(actor.user_id)),
                review_items::claimed_at.eq(Some(now)),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// A moderator decides an item, in one transaction: the post is shown
/// (published, if it was held), or kept out of sight; the author is told
/// the reason; with `RejectAndSilence` the author is silenced, with
/// `DeleteSpam` every post of theirs leaves and the account is suspended
/// (banned when no period is given). An item is decided exactly once: a
/// second decision, from any node, gets a conflict.
pub fn decide_review(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    review_id: i64,
    input: &DecisionInput,
    s: &Screening,
) -> Result<()> {
    use crate::review::Decision;
    policy::ensure_can_moderate(actor)?;
    let reason = if input.reason.trim().is_empty() {
        String::new()
    } else {
        crate::validate::line("reason", &input.reason, 500)?
    };
    if input.decision != Decision::Approve && reason.is_empty() {
        return Err(ForumError::invalid(
            "reason",
            crate::Rule::Required,
            "give a reason: the author is told why",
        ));
    }
    transaction(conn, |conn| {
        let post_id: i64 = review_items::table
            .find(review_id)
            .select(review_items::post_id)
            .first(conn)
            .optional()?
            .ok_or(ForumError::NotFound("review item"))?;
        lock_post(conn, post_id)?;
        let state = if input.decision == Decision::Approve {
            "approved"
        } else {
            "rejected"
        };
        let decided = diesel::update(
            review_items::table
                .find(review_id)
                .filter(review_items::state.eq("open")),
        )
        .set((
            review_items::state.eq(state),
            review_items::decided_by.eq(Some(actor.user_id)),
            review_items::decided_at.eq(Some(now)),
            review_items::decision.eq(input.decision.as_str()),
            review_items::decision_reason.eq(&reason),
        ))
        .execute(conn)?;
        if decided == 0 {
            return Err(ForumError::Conflict(
                "this item has already been decided".into(),
            ));
        }
        let post = load_post(conn, post_id)?;
        if post.author_id == actor.user_id {
            return Err(ForumError::Forbidden(
                "another moderator decides on your own posts",
            ));
        }
        let title = thread_title(conn, post.thread_id)?;
        let state_before = post.review_state.as_deref().and_then(ReviewState::parse);
        let moderated_out = matches!(
            state_before,
            Some(ReviewState::Held) | Some(ReviewState::Hidden)
        );
        // A post a moderator deleted outright stays deleted whatever the
        // queue says.
        let deleted_outright = post.deleted_at.is_some() && !moderated_out;
        match input.decision {
            Decision::Approve => {
                if moderated_out {
                    // What a moderator lets through teaches the classifier
                    // what is not spam, and its hosts become known.
                    super::spam::train(conn, now, post.id, false, s.tokenize)?;
                    if state_before == Some(ReviewState::Held) {
                        super::spam::hosts_published(conn, &post.body_md)?;
                    }
                    bring_back(conn, now, actor, &post)?;
                    let (text, was) = if state_before == Some(ReviewState::Held) {
                        (
                            format!("Your post in “{title}” was approved and is now visible"),
                            "held",
                        )
                    } else {
                        (format!("Your post in “{title}” is visible again"), "hidden")
                    };
                    tell_author(
                        conn,
                        now,
                        post.author_id,
                        (post.thread_id, post.id),
                        text,
                        serde_json::json!({ "review": "approved", "was": was, "thread": title }),
                    )?;
                }
            }
            Decision::Reject | Decision::RejectAndSilence | Decision::DeleteSpam => {
                if !deleted_outright {
                    reject_post(conn, now, actor, &post)?;
                }
                if input.decision == Decision::DeleteSpam
                    || looks_reported_as_spam(conn, review_id)?
                {
                    super::spam::train(conn, now, post.id, true, s.tokenize)?;
                }
                tell_author(
                    conn,
                    now,
                    post.author_id,
                    (post.thread_id, post.id),
                    format!("Your post in “{title}” was removed by a moderator: {reason}"),
                    serde_json::json!({ "review": "rejected", "reason": reason, "thread": title }),
                )?;
            }
        }
        let author_role: String = users::table
            .find(post.author_id)
            .select(users::role)
            .first(conn)?;
        let author_is_customer = parse_role(&author_role)? == Role::Customer;
        match input.decision {
            Decision::RejectAndSilence | Decision::DeleteSpam if !author_is_customer => {
                return Err(ForumError::Forbidden(
                    "staff accounts are not silenced or suspended from the review queue",
                ));
            }
            Decision::RejectAndSilence => {
                let days = input
                    .days
                    .unwrap_or(7)
                    .clamp(1, i64::from(crate::members::MAX_DAYS));
                super::members::standing_in_tx(
                    conn,
                    now,
                    Some(actor),
                    post.author_id,
                    &StandingChange {
                        status: MemberStatus::Silenced,
                        for_days: u32::try_from(days).ok(),
                        reason: reason.clone(),
                    },
                    true,
                )?;
            }
            Decision::DeleteSpam => {
                for other in remove_all_posts_of(conn, now, actor, post.author_id, review_id)? {
                    super::spam::train(conn, now, other, true, s.tokenize)?;
                }
                // Moderators may suspend a customer as a spammer from the
                // queue, though not otherwise: the evidence is in front of
                // them and the decision is audited.
                let change = match input.days {
                    Some(d) => StandingChange {
                        status: MemberStatus::Suspended,
                        for_days: u32::try_from(d.clamp(1, i64::from(crate::members::MAX_DAYS)))
                            .ok(),
                        reason: reason.clone(),
                    },
                    None => StandingChange {
                        status: MemberStatus::Banned,
                        for_days: None,
                        reason: reason.clone(),
                    },
                };
                super::members::standing_in_tx(
                    conn,
                    now,
                    Some(actor),
                    post.author_id,
                    &change,
                    false,
                )?;
            }
            Decision::Approve | Decision::Reject => {}
        }
        super::members::audit(
            conn,
            now,
            Some(actor),
            &format!("review.{}", input.decision.as_str()),
            ("post", post.id),
            state_before.map_or("visible", ReviewState::as_str),
            state,
            &reason,
        )
    })
}

/// Keep a post out of sight for good (it stays for the record).
fn reject_post(conn: &mut Conn, now: i64, actor: Actor, post: &PostRow) -> Result<()> {
    if post.deleted_at.is_none() {
        take_down(
            conn,
            now,
            Some(actor.user_id),
            post,
            ReviewState::Rejected,
            vec!["rejected".into()],
        )
    } else {
        diesel::update(posts::table.find(post.id))
            .set(posts::review_state.eq(Some(ReviewState::Rejected.as_str())))
            .execute(conn)?;
        Ok(())
    }
}

/// A spammer's every post leaves, and their other open items close with
/// the same decision.
fn remove_all_posts_of(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    author_id: i64,
    decided_item: i64,
) -> Result<Vec<i64>> {
    let rows: Vec<PostRow> = posts::table
        .filter(posts::author_id.eq(author_id))
        .filter(
            posts::deleted_at
                .is_null()
                .or(posts::review_state.eq_any(["held", "hidden"])),
        )
        .order(posts::id.asc())
        .select(PostRow::as_select())
        .load(conn)?;
    for post in &rows {
        reject_post(conn, now, actor, post)?;
    }
    diesel::update(
        review_items::table
            .filter(review_items::author_id.eq(author_id))
            .filter(review_items::state.eq("open"))
            .filter(review_items::id.ne(decided_item)),
    )
    .set((
        review_items::state.eq("rejected"),
        review_items::decided_by.eq(Some(actor.user_id)),
        review_items::decided_at.eq(Some(now)),
        review_items::decision.eq("delete_spam"),
    ))
    .execute(conn)?;
    Ok(rows.iter().map(|p| p.id).collect())
}

/// A rejected item counts as spam for the classifier when it was held as
/// likely spam or a member reported it as spam.
fn looks_reported_as_spam(conn: &mut Conn, review_id: i64) -> Result<bool> {
    let reasons: String = review_items::table
        .find(review_id)
        .select(review_items::hold_reasons)
        .first(conn)?;
    if parse_reasons(&reasons)
        .iter()
        .any(|r| matches!(r, HoldReason::LikelySpam { .. }))
    {
        return Ok(true);
    }
    Ok(flags::table
        .filter(flags::review_id.eq(review_id))
        .filter(flags::reason.eq("spam"))
        .select(flags::id)
        .first::<i64>(conn)
        .optional()?
        .is_some())
}

/// One page of the queue: open items oldest first (or by priority), or
/// decided items newest first.
pub fn moderation_queue(
    conn: &mut Conn,
    now: i64,
    filter: QueueFilter,
    by_priority: bool,
    page: i64,
    per_page: i64,
    s: &Screening,
) -> Result<Paged<ReviewItem>> {
    let open = filter == QueueFilter::Open;
    let base = || {
        let q = review_items::table.into_boxed();
        if open {
            q.filter(review_items::state.eq("open"))
        } else {
            q.filter(review_items::state.ne("open"))
        }
    };
    let total: i64 = base().count().get_result(conn)?;
    let ids_q = base().select(review_items::id);
    let ids_q = match (open, by_priority) {
        (false, _) => ids_q.order(review_items::decided_at.desc()),
        (true, true) => ids_q.order((
            review_items::hid_post.desc(),
            review_items::flag_score.desc(),
            review_items::created_at.asc(),
        )),
        (true, false) => ids_q.order(review_items::created_at.asc()),
    };
    let ids: Vec<i64> = ids_q
        .then_order_by(review_items::id.asc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .load(conn)?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(moderation_item(conn, now, id, s)?);
    }
    Ok(Paged {
        items,
        page,
        per_page,
        total,
    })
}

type ItemCore = (
    (i64, i64, String, String, i32, bool, bool, i64),
    (
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        String,
        String,
    ),
);

/// One item with its post, flags and the author's trust.
pub fn moderation_item(conn: &mut Conn, now: i64, id: i64, s: &Screening) -> Result<ReviewItem> {
    let (
        (id, post_id, state, hold_reasons, flag_score, hid_post, held_at_creation, created_at),
        decided,
    ): ItemCore = review_items::table
        .find(id)
        .select((
            (
                review_items::id,
                review_items::post_id,
                review_items::state,
                review_items::hold_reasons,
                review_items::flag_score,
                review_items::hid_post,
                review_items::held_at_creation,
                review_items::created_at,
            ),
            (
                review_items::claimed_by,
                review_items::claimed_at,
                review_items::decided_by,
                review_items::decided_at,
                review_items::decision,
                review_items::decision_reason,
            ),
        ))
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("review item"))?;
    let (claimed_by, claimed_at, decided_by, decided_at, decision, decision_reason) = decided;
    let (post, author): (PostRow, UserRefRow) = posts::table
        .inner_join(users::table)
        .filter(posts::id.eq(post_id))
        .select((PostRow::as_select(), UserRefRow::as_select()))
        .first(conn)?;
    let thread_title = thread_title(conn, post.thread_id)?;
    let flag_rows: Vec<(i64, String, String, i32, i64, UserRefRow)> = flags::table
        .inner_join(users::table.on(users::id.eq(flags::flagger_id)))
        .filter(flags::review_id.eq(id))
        .order(flags::id.asc())
        .select((
            flags::id,
            flags::reason,
            flags::note,
            flags::weight,
            flags::created_at,
            UserRefRow::as_select(),
        ))
        .load(conn)?;
    let mut flags_out = Vec::with_capacity(flag_rows.len());
    for (fid, reason, note, weight, at, who) in flag_rows {
        flags_out.push(FlagView {
            id: fid,
            flagger: who.into_ref()?,
            reason: FlagReason::parse(&reason)?,
            note,
            weight,
            created_at: at,
        });
    }
    let needs_staff = flags_out.iter().any(|f| f.reason == FlagReason::NeedsStaff);
    let user_ref = |conn: &mut Conn, id: Option<i64>| -> Result<Option<UserRef>> {
        match id {
            Some(id) => users::table
                .find(id)
                .select(UserRefRow::as_select())
                .first(conn)
                .optional()?
                .map(UserRefRow::into_ref)
                .transpose(),
            None => Ok(None),
        }
    };
    let author_trust = trust_of(conn, now, author.id, s).ok();
    Ok(ReviewItem {
        id,
        post_id,
        thread_id: post.thread_id,
        thread_title,
        is_question: post.is_question,
        author: author.into_ref()?,
        author_trust,
        post_state: post.review_state.as_deref().and_then(ReviewState::parse),
        body_md: post.body_md,
        body_html: post.body_html,
        state,
        hold_reasons: parse_reasons(&hold_reasons),
        priority: crate::review::priority(flag_score, hid_post, needs_staff),
        flags: flags_out,
        flag_score,
        held_at_creation,
        created_at,
        claimed_by: user_ref(conn, claimed_by)?,
        claimed_at,
        decided_by: user_ref(conn, decided_by)?,
        decided_at,
        decision,
        decision_reason,
    })
}

/// The open item of a post, if any (to link a post to its review).
pub fn open_review_of(conn: &mut Conn, post_id: i64) -> Result<Option<i64>> {
    Ok(open_item_for(conn, post_id)?.map(|(id, _, _)| id))
}

/// Queue and SLA figures; decisions and flags counted since `since`.
pub fn moderation_stats(
    conn: &mut Conn,
    now: i64,
    since: i64,
    sla_hours: i64,
) -> Result<ReviewStats> {
    let open_items: i64 = review_items::table
        .filter(review_items::state.eq("open"))
        .count()
        .get_result(conn)?;
    let overdue_items: i64 = review_items::table
        .filter(review_items::state.eq("open"))
        .filter(review_items::created_at.lt(now - sla_hours.saturating_mul(3_600_000)))
        .count()
        .get_result(conn)?;
    let open_flags: i64 = flags::table
        .inner_join(review_items::table.on(review_items::id.eq(flags::review_id)))
        .filter(review_items::state.eq("open"))
        .count()
        .get_result(conn)?;
    let held_posts: i64 = posts::table
        .filter(posts::review_state.eq("held"))
        .count()
        .get_result(conn)?;
    let hidden_posts: i64 = posts::table
        .filter(posts::review_state.eq("hidden"))
        .count()
        .get_result(conn)?;
    let decided_rows: Vec<(i64, Option<i64>, String)> = review_items::table
        .filter(review_items::state.ne("open"))
        .filter(review_items::decided_at.ge(since))
        .select((
            review_items::created_at,
            review_items::decided_at,
            review_items::state,
        ))
        .load(conn)?;
    let mut durations: Vec<i64> = decided_rows
        .iter()
        .filter_map(|(c, d, _)| d.map(|d| d - c))
        .collect();
    durations.sort_unstable();
    let approved = decided_rows.iter().filter(|r| r.2 == "approved").count() as i64;
    let flags_in_window: i64 = flags::table
        .filter(flags::created_at.ge(since))
        .count()
        .get_result(conn)?;
    let posts_in_window: i64 = posts::table
        .filter(posts::created_at.ge(since))
        .count()
        .get_result(conn)?;
    Ok(ReviewStats {
        open_items,
        open_flags,
        held_posts,
        hidden_posts,
        overdue_items,
        review_p50_ms: crate::review::percentile(&durations, 50.0),
        review_p90_ms: crate::review::percentile(&durations, 90.0),
        decided: decided_rows.len() as i64,
        approved,
        flags_in_window,
        posts_in_window,
    })
}

/// Flags a member received on their posts, and gave (for their page).
pub fn flag_counts(conn: &mut Conn, user_id: i64) -> Result<(i64, i64)> {
    let received: i64 = flags::table
        .inner_join(posts::table.on(posts::id.eq(flags::post_id)))
        .filter(posts::author_id.eq(user_id))
        .count()
        .get_result(conn)?;
    let given: i64 = flags::table
        .filter(flags::flagger_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok((received, given))
}
