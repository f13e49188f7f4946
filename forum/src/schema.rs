//! Diesel table definitions shared by both backends (kept in step with
//! `migrations/sqlite` and `migrations/postgres` by the storage test suite).

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        username_key -> Text,
        email -> Text,
        email_key -> Text,
        display_name -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        language -> Text,
        created_at -> BigInt,
        last_seen_at -> BigInt,
        status -> Text,
        status_until -> Nullable<BigInt>,
        status_reason -> Text,
        email_confirmed_at -> Nullable<BigInt>,
        bio -> Text,
        time_zone -> Nullable<Text>,
    }
}

diesel::table! {
    email_confirmations (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        email -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    auth_tokens (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        kind -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        is_private -> Bool,
        position -> Integer,
        created_at -> BigInt,
        see_min_role -> Text,
        start_threads -> Text,
        creates_crm_tasks -> Nullable<Bool>,
        premoderation -> Text,
        archived_at -> Nullable<BigInt>,
        kind -> Text,
        thread_count -> BigInt,
    }
}

diesel::table! {
    threads (id) {
        id -> BigInt,
        category_id -> BigInt,
        author_id -> BigInt,
        title -> Text,
        status -> Text,
        accepted_post_id -> Nullable<BigInt>,
        reply_count -> Integer,
        view_count -> BigInt,
        created_at -> BigInt,
        last_activity_at -> BigInt,
        deleted_at -> Nullable<BigInt>,
        accepted_at -> Nullable<BigInt>,
        duplicate_of -> Nullable<BigInt>,
    }
}

diesel::table! {
    thread_tags (thread_id, tag) {
        thread_id -> BigInt,
        tag -> Text,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        thread_id -> BigInt,
        author_id -> BigInt,
        is_question -> Bool,
        body_md -> Text,
        body_html -> Text,
        kudos -> Integer,
        created_at -> BigInt,
        edited_at -> Nullable<BigInt>,
        deleted_at -> Nullable<BigInt>,
        deleted_by -> Nullable<BigInt>,
        review_state -> Nullable<Text>,
    }
}

diesel::table! {
    post_revisions (id) {
        id -> BigInt,
        post_id -> BigInt,
        editor_id -> BigInt,
        title -> Nullable<Text>,
        body_md -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    votes (post_id, user_id) {
        post_id -> BigInt,
        user_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    outbox_events (id) {
        id -> BigInt,
        tx_id -> BigInt,
        kind -> Text,
        aggregate_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        payload -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    outbox_cursors (consumer) {
        consumer -> Text,
        last_tx_id -> BigInt,
        last_event_id -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::joinable!(auth_tokens -> users (user_id));
diesel::joinable!(email_confirmations -> users (user_id));
diesel::joinable!(threads -> categories (category_id));
diesel::joinable!(threads -> users (author_id));
diesel::table! {
    kb_articles (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        body_md -> Text,
        body_html -> Text,
        category_id -> BigInt,
        tags -> Text,
        language -> Text,
        status -> Text,
        version -> Integer,
        helpful -> Integer,
        not_helpful -> Integer,
        created_by -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
        published_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    kb_article_sources (article_id) {
        article_id -> BigInt,
        thread_id -> BigInt,
        post_id -> BigInt,
        author_id -> BigInt,
        question_md -> Text,
        answer_md -> Text,
        changed -> Bool,
        auto_promoted -> Bool,
    }
}

diesel::table! {
    kb_revisions (id) {
        id -> BigInt,
        article_id -> BigInt,
        version -> Integer,
        title -> Text,
        body_md -> Text,
        editor_id -> Nullable<BigInt>,
        note -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    kb_feedback (article_id, user_id) {
        article_id -> BigInt,
        user_id -> BigInt,
        helpful -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    reputation_awards (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        source_key -> Text,
        amount -> Integer,
        category_id -> Nullable<BigInt>,
        thread_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        voter_id -> Nullable<BigInt>,
        awarded_at -> BigInt,
    }
}

diesel::table! {
    user_reputation (user_id) {
        user_id -> BigInt,
        points -> BigInt,
        accepted -> Integer,
        kudos -> Integer,
        kb_articles -> Integer,
        posts -> Integer,
        answer_categories -> Integer,
        best_streak -> Integer,
        updated_at -> BigInt,
    }
}

diesel::table! {
    user_active_days (user_id, day) {
        user_id -> BigInt,
        day -> BigInt,
    }
}

diesel::table! {
    user_badges (user_id, badge, level) {
        user_id -> BigInt,
        badge -> Text,
        level -> Integer,
        awarded_at -> BigInt,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        title -> Text,
        link -> Text,
        dedupe_key -> Text,
        created_at -> BigInt,
        read_at -> Nullable<BigInt>,
        params -> Text,
    }
}

diesel::joinable!(kb_articles -> categories (category_id));
diesel::joinable!(kb_article_sources -> kb_articles (article_id));
diesel::joinable!(kb_revisions -> kb_articles (article_id));
diesel::joinable!(user_badges -> users (user_id));
diesel::joinable!(user_reputation -> users (user_id));
diesel::joinable!(reputation_awards -> users (user_id));
diesel::joinable!(posts -> threads (thread_id));
diesel::joinable!(posts -> users (author_id));
diesel::joinable!(thread_tags -> threads (thread_id));
diesel::joinable!(post_revisions -> posts (post_id));
diesel::joinable!(votes -> posts (post_id));

diesel::allow_tables_to_appear_in_same_query!(
    kb_articles,
    kb_article_sources,
    kb_revisions,
    kb_feedback,
    reputation_awards,
    user_reputation,
    user_active_days,
    user_badges,
    notifications,
    users,
    auth_tokens,
    email_confirmations,
    categories,
    threads,
    thread_tags,
    posts,
    post_revisions,
    votes,
    outbox_events,
    outbox_cursors,
    subscriptions,
    notification_prefs,
    mail_outbox,
    digest_items,
    delivery_queue,
    review_items,
    flags,
);

diesel::table! {
    ask_sessions (ask_id) {
        ask_id -> Text,
        user_id -> Nullable<BigInt>,
        started_at -> BigInt,
        opened_kind -> Nullable<Text>,
        opened_id -> Nullable<BigInt>,
        opened_at -> Nullable<BigInt>,
        opened_count -> Integer,
        posted_thread_id -> Nullable<BigInt>,
        category_id -> Nullable<BigInt>,
        holdout -> Bool,
    }
}

diesel::table! {
    subscriptions (user_id, target_kind, target_id) {
        user_id -> BigInt,
        target_kind -> Text,
        target_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    notification_prefs (user_id, kind) {
        user_id -> BigInt,
        kind -> Text,
        mode -> Text,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        dedupe_key -> Text,
        title -> Text,
        link -> Text,
        group_key -> Text,
        params -> Text,
        created_at -> BigInt,
        sent_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    digest_items (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        title -> Text,
        link -> Text,
        group_key -> Text,
        dedupe_key -> Text,
        created_at -> BigInt,
        mailed_at -> Nullable<BigInt>,
        params -> Text,
    }
}

diesel::table! {
    login_failures (key) {
        key -> Text,
        failures -> Integer,
        window_start -> BigInt,
        locked_until -> Nullable<BigInt>,
    }
}

// ---------------------------------------------------------------- single sign-on

diesel::table! {
    sso_flows (state) {
        state -> Text,
        provider -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        next -> Text,
        browser_key -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    user_identities (provider, subject) {
        provider -> Text,
        subject -> Text,
        user_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    sso_pending_links (token) {
        token -> Text,
        provider -> Text,
        subject -> Text,
        user_id -> BigInt,
        role -> Text,
        next -> Text,
        id_token -> Text,
        browser_key -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    sso_sessions (token_hash) {
        token_hash -> Text,
        provider -> Text,
        id_token -> Text,
        created_at -> BigInt,
    }
}

diesel::joinable!(user_identities -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(user_identities, users);

diesel::table! {
    outbox_dead_letters (consumer, event_id) {
        consumer -> Text,
        event_id -> BigInt,
        tx_id -> BigInt,
        kind -> Text,
        error -> Text,
        failed_at -> BigInt,
    }
}

// ---- the CRM bridge's tables (crm-bridge re-exports this module, so every
// table in the database is defined once)

diesel::table! {
    crm_contacts (user_id) {
        user_id -> BigInt,
        company -> Text,
        segment -> Text,
        lifecycle -> Text,
        tags -> Text,
        notes -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    crm_tasks (id) {
        id -> BigInt,
        thread_id -> BigInt,
        contact_id -> BigInt,
        subject -> Text,
        description -> Text,
        priority -> Text,
        status -> Text,
        owner_id -> Nullable<BigInt>,
        first_response_due -> BigInt,
        resolution_due -> BigInt,
        first_response_at -> Nullable<BigInt>,
        resolved_at -> Nullable<BigInt>,
        sla_flags -> Integer,
        escalation -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    crm_task_links (task_id) {
        task_id -> BigInt,
        connector -> Text,
        external_id -> Nullable<Text>,
        sync_state -> Text,
        last_error -> Nullable<Text>,
        synced_at -> Nullable<BigInt>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    crm_timeline (id) {
        id -> BigInt,
        contact_id -> BigInt,
        at -> BigInt,
        kind -> Text,
        thread_id -> Nullable<BigInt>,
        task_id -> Nullable<BigInt>,
        actor_id -> Nullable<BigInt>,
        summary -> Text,
        dedupe_key -> Text,
        params -> Text,
    }
}

diesel::table! {
    crm_canned_responses (id) {
        id -> BigInt,
        title -> Text,
        body -> Text,
        updated_by -> Nullable<BigInt>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    crm_reminders (id) {
        id -> BigInt,
        task_id -> BigInt,
        agent_id -> BigInt,
        remind_at -> BigInt,
        note -> Text,
        done_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    crm_inbound (key) {
        key -> Text,
        received_at -> BigInt,
    }
}

diesel::table! {
    crm_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> BigInt,
    }
}

diesel::joinable!(crm_tasks -> threads (thread_id));
diesel::joinable!(crm_tasks -> users (contact_id));
diesel::joinable!(crm_task_links -> crm_tasks (task_id));
diesel::allow_tables_to_appear_in_same_query!(
    crm_contacts,
    crm_tasks,
    crm_task_links,
    crm_timeline,
    delivery_queue,
);

/// Each CRM table may share a query with each forum table it reads (those
/// already may with each other).
macro_rules! with_forum_tables {
    ($($crm:ident),* $(,)?) => {
        $(
            diesel::allow_tables_to_appear_in_same_query!($crm, users);
            diesel::allow_tables_to_appear_in_same_query!($crm, categories);
            diesel::allow_tables_to_appear_in_same_query!($crm, threads);
            diesel::allow_tables_to_appear_in_same_query!($crm, posts);
        )*
    };
}
with_forum_tables!(crm_contacts, crm_tasks, crm_task_links, crm_timeline,);

diesel::table! {
    outbox_retention (id) {
        id -> Integer,
        pruned_tx_id -> BigInt,
        pruned_event_id -> BigInt,
        pruned_at -> BigInt,
    }
}

diesel::table! {
    /// The one retry queue for mail and CRM deliveries (`crate::delivery`).
    delivery_queue (id) {
        id -> BigInt,
        channel -> Text,
        kind -> Text,
        subject_id -> BigInt,
        ref_id -> BigInt,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    /// Every staff action, written in the transaction of the action.
    staff_audit (id) {
        id -> BigInt,
        at -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        target_kind -> Text,
        target_id -> BigInt,
        before_value -> Text,
        after_value -> Text,
        reason -> Text,
    }
}

diesel::table! {
    /// Shared rate-limit state (GCRA), one row per key.
    rate_limits (key) {
        key -> Text,
        tat -> BigInt,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> BigInt,
        key -> Text,
        request_hash -> Text,
        status -> Nullable<Integer>,
        content_type -> Nullable<Text>,
        location -> Nullable<Text>,
        body -> Nullable<Binary>,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// The review queue: one open item per post (flags and holds).
    review_items (id) {
        id -> BigInt,
        post_id -> BigInt,
        author_id -> BigInt,
        state -> Text,
        hold_reasons -> Text,
        flag_score -> Integer,
        hid_post -> Bool,
        held_at_creation -> Bool,
        spam_score -> Integer,
        created_at -> BigInt,
        claimed_by -> Nullable<BigInt>,
        claimed_at -> Nullable<BigInt>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<BigInt>,
        decision -> Text,
        decision_reason -> Text,
    }
}

diesel::table! {
    /// Members' reports on posts, one per member per post.
    flags (id) {
        id -> BigInt,
        post_id -> BigInt,
        flagger_id -> BigInt,
        review_id -> BigInt,
        reason -> Text,
        note -> Text,
        weight -> Integer,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// The spam classifier's token counts (posts judged spam / not spam).
    spam_tokens (token) {
        token -> Text,
        spam -> Integer,
        ham -> Integer,
    }
}

diesel::table! {
    /// Which posts taught the classifier what.
    spam_training (post_id) {
        post_id -> BigInt,
        label -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    /// Link hosts published in the community, and seen in spam.
    link_hosts (host) {
        host -> Text,
        published -> Integer,
        spam -> Integer,
    }
}

diesel::table! {
    /// Fingerprints of members' posts, to see one text from many accounts.
    post_fingerprints (post_id) {
        post_id -> BigInt,
        author_id -> BigInt,
        fingerprint -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// Client addresses members signed in or registered from.
    member_addresses (user_id, address) {
        user_id -> BigInt,
        address -> Text,
        first_seen -> BigInt,
        last_seen -> BigInt,
        times -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(staff_audit, users);

diesel::table! {
    /// Site settings changed live over the configuration file's values
    /// (`forum::settings`); the value is JSON.
    site_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> BigInt,
        updated_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// One row, bumped by every change of `site_settings`.
    site_settings_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    drafts (user_id, draft_key) {
        user_id -> BigInt,
        draft_key -> Text,
        title -> Text,
        body -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    /// Files members uploaded; the bytes are in the file store.
    uploads (id) {
        id -> BigInt,
        storage_key -> Text,
        user_id -> BigInt,
        purpose -> Text,
        file_name -> Text,
        kind -> Text,
        byte_size -> BigInt,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        sha256 -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// Members' uploaded avatars.
    member_avatars (user_id) {
        user_id -> BigInt,
        storage_key -> Text,
        updated_at -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(uploads, users, member_avatars);

diesel::table! {
    /// Searches, without who made them (analytics' search gaps).
    search_log (id) {
        id -> BigInt,
        at -> BigInt,
        lang -> Text,
        query -> Text,
        results -> BigInt,
        search_id -> Nullable<Text>,
    }
}

diesel::table! {
    /// Results opened from a logged search (click-through).
    search_clicks (id) {
        id -> BigInt,
        search_id -> Text,
        at -> BigInt,
        rank -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(search_log, search_clicks);

diesel::table! {
    /// Page views of members and visitors (never staff, bots or the API),
    /// by a daily-salted hash.
    page_views (id) {
        id -> BigInt,
        at -> BigInt,
        visitor -> Text,
        kind -> Text,
        category_id -> Nullable<BigInt>,
        target_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// One random salt per UTC day for the page-view hashes.
    analytics_salts (day) {
        day -> BigInt,
        salt -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(crm_contacts, votes);
diesel::allow_tables_to_appear_in_same_query!(crm_contacts, ask_sessions);

diesel::table! {
    /// A member's visible questions, replies and kudos per day and board
    /// (0: site-wide).
    analytics_member_days (category_id, day, user_id) {
        category_id -> BigInt,
        day -> BigInt,
        user_id -> BigInt,
        questions -> Integer,
        replies -> Integer,
        kudos -> Integer,
    }
}

diesel::table! {
    /// A member's member-day rows added up by Monday-aligned week.
    analytics_member_weeks (category_id, week, user_id) {
        category_id -> BigInt,
        week -> BigInt,
        user_id -> BigInt,
        questions -> Integer,
        replies -> Integer,
        kudos -> Integer,
    }
}

diesel::table! {
    /// Each day's totals per board (0: site-wide), with its distinct
    /// members.
    analytics_days (category_id, day) {
        category_id -> BigInt,
        day -> BigInt,
        questions -> BigInt,
        replies -> BigInt,
        kudos -> BigInt,
        members -> BigInt,
    }
}

diesel::table! {
    /// Page views per UTC day and board (0: site-wide) and kind ('' for
    /// all pages, with visits).
    analytics_traffic_days (day, category_id, kind) {
        day -> BigInt,
        category_id -> BigInt,
        kind -> Text,
        views -> BigInt,
        visits -> BigInt,
        single_visits -> BigInt,
    }
}

diesel::table! {
    /// KB article views per UTC day, site-wide (0) and in its board.
    analytics_article_days (category_id, day, article_id) {
        day -> BigInt,
        category_id -> BigInt,
        article_id -> BigInt,
        views -> BigInt,
    }
}

diesel::table! {
    /// The first day whose page views are not rolled up yet (one row).
    analytics_traffic_state (id) {
        id -> Integer,
        rolled_to -> BigInt,
    }
}

diesel::table! {
    /// A member's first visible post per board (0: site-wide).
    analytics_first_posts (user_id, category_id) {
        user_id -> BigInt,
        category_id -> BigInt,
        first_at -> BigInt,
    }
}

diesel::table! {
    /// Each visible question's first replies and acceptance.
    analytics_questions (thread_id) {
        thread_id -> BigInt,
        category_id -> BigInt,
        asker_id -> BigInt,
        created_at -> BigInt,
        accepted_at -> Nullable<BigInt>,
        first_community_at -> Nullable<BigInt>,
        first_staff_at -> Nullable<BigInt>,
        accepted_author_id -> Nullable<BigInt>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(analytics_member_days, crm_contacts);
diesel::allow_tables_to_appear_in_same_query!(analytics_first_posts, crm_contacts);
diesel::allow_tables_to_appear_in_same_query!(analytics_questions, crm_contacts);
diesel::allow_tables_to_appear_in_same_query!(analytics_member_days, users);
diesel::allow_tables_to_appear_in_same_query!(analytics_member_weeks, crm_contacts);

diesel::table! {
    /// An ideas board's voting settings (`forum::ideas`).
    idea_boards (category_id) {
        category_id -> BigInt,
        vote_budget -> Nullable<Integer>,
        self_vote -> Bool,
        segment_weights -> Text,
    }
}

diesel::table! {
    /// The statuses of an ideas board, each mapped to a kind.
    idea_statuses (id) {
        id -> BigInt,
        category_id -> BigInt,
        slug -> Text,
        name -> Text,
        kind -> Text,
        colour -> Text,
        position -> Integer,
    }
}

diesel::table! {
    /// One row per idea (a thread of an ideas board).
    ideas (thread_id) {
        thread_id -> BigInt,
        category_id -> BigInt,
        status_id -> BigInt,
        product_area -> Text,
        vote_count -> Integer,
        trending_votes -> Integer,
        created_at -> BigInt,
        status_changed_at -> BigInt,
        merged_into -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Where the trending window of ideas starts (one row).
    idea_trending (id) {
        id -> Integer,
        window_from -> BigInt,
    }
}

diesel::table! {
    /// Merges of one idea into another, and their undoing.
    idea_merges (id) {
        id -> BigInt,
        from_thread_id -> BigInt,
        into_thread_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        created_at -> BigInt,
        undone_at -> Nullable<BigInt>,
        undone_by -> Nullable<BigInt>,
        status_before -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// A merged idea's own votes, kept so an unmerge restores them.
    idea_merge_votes (merge_id, user_id) {
        merge_id -> BigInt,
        user_id -> BigInt,
        created_at -> BigInt,
        moved -> Bool,
    }
}

diesel::table! {
    /// One vote per member per idea.
    idea_votes (thread_id, user_id) {
        thread_id -> BigInt,
        user_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// Every status change of an idea, with its public note.
    idea_status_changes (id) {
        id -> BigInt,
        thread_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        from_status_id -> Nullable<BigInt>,
        from_name -> Text,
        to_status_id -> BigInt,
        to_name -> Text,
        to_kind -> Text,
        note -> Text,
        link -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// Votes cast on a suggested similar idea instead of submitting one.
    idea_deflections (id) {
        id -> BigInt,
        user_id -> BigInt,
        thread_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::joinable!(ideas -> threads (thread_id));
diesel::joinable!(ideas -> idea_statuses (status_id));
diesel::joinable!(idea_votes -> users (user_id));
diesel::joinable!(idea_votes -> ideas (thread_id));
diesel::allow_tables_to_appear_in_same_query!(
    ideas,
    idea_statuses,
    idea_votes,
    idea_boards,
    idea_status_changes,
    idea_merges,
    idea_merge_votes,
);

/// Each ideas table may share a query with the forum tables it reads.
macro_rules! with_idea_tables {
    ($($t:ident),* $(,)?) => {
        $(
            diesel::allow_tables_to_appear_in_same_query!($t, users);
            diesel::allow_tables_to_appear_in_same_query!($t, categories);
            diesel::allow_tables_to_appear_in_same_query!($t, threads);
            diesel::allow_tables_to_appear_in_same_query!($t, thread_tags);
            diesel::allow_tables_to_appear_in_same_query!($t, crm_contacts);
        )*
    };
}
with_idea_tables!(
    ideas,
    idea_statuses,
    idea_votes,
    idea_boards,
    idea_status_changes,
    idea_merges,
    idea_merge_votes,
);
diesel::allow_columns_to_appear_in_same_group_by_clause!(threads::category_id, posts::is_question);
