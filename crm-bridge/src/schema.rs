//! Diesel tables: the CRM's own, and read-only views of the forum tables the
//! CRM joins against (only the columns it reads).

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
    crm_deliveries (id) {
        id -> BigInt,
        task_id -> BigInt,
        kind -> Text,
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

// ---- forum tables, read only

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        email -> Text,
        display_name -> Text,
        role -> Text,
        language -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        is_private -> Bool,
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
        created_at -> BigInt,
        last_activity_at -> BigInt,
        deleted_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        thread_id -> BigInt,
        author_id -> BigInt,
        is_question -> Bool,
        body_md -> Text,
        created_at -> BigInt,
        deleted_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(crm_tasks -> threads (thread_id));
diesel::joinable!(crm_tasks -> users (contact_id));
diesel::joinable!(threads -> categories (category_id));
diesel::joinable!(crm_task_links -> crm_tasks (task_id));
diesel::allow_tables_to_appear_in_same_query!(
    crm_contacts,
    crm_tasks,
    crm_task_links,
    crm_timeline,
    crm_deliveries,
    users,
    categories,
    threads,
    posts,
);
