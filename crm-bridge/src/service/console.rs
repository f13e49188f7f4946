//! The agent console: the queue, tasks, contacts, replies and escalation;
//! canned responses and reminders.

#[allow(unused_imports)]
use super::*;

impl Crm {
    pub fn queue(&self, actor: Actor, filter: &QueueFilter) -> Result<Vec<Task>> {
        ensure_agent(actor)?;
        let mut f = filter.clone();
        if f.limit <= 0 {
            f.limit = 50;
        }
        Ok(on_db!(self.forum.db(), queue(&f))?)
    }

    pub fn task(&self, actor: Actor, id: i64) -> Result<Task> {
        ensure_agent(actor)?;
        Ok(on_db!(self.forum.db(), task(id))?)
    }

    /// The task for a thread, for anyone who can see the thread (the forum
    /// checks that); used for the "answered by staff" mark.
    pub fn task_for_thread(&self, thread_id: i64) -> Result<Option<Task>> {
        Ok(on_db!(self.forum.db(), task_for_thread(thread_id))?)
    }

    pub fn task_view(&self, actor: Actor, id: i64) -> Result<TaskView> {
        ensure_agent(actor)?;
        let db = self.forum.db();
        let task = on_db!(db, task(id))?;
        let facts = on_db!(db, thread_facts(task.thread_id))?;
        let thread_status = on_db!(db, thread_status(task.thread_id))?;
        let customer = self.contact_view(actor, task.contact.id)?;
        let reminders = on_db!(db, reminders(actor.user_id, None, Some(id)))?;
        Ok(TaskView {
            question_md: facts.map(|f| f.body).unwrap_or_default(),
            thread_status,
            task,
            customer,
            reminders,
        })
    }

    pub fn contact(&self, actor: Actor, user_id: i64) -> Result<Contact> {
        ensure_agent(actor)?;
        let seg = self.rules().segments.first().cloned().unwrap_or_default();
        Ok(on_db!(self.forum.db(), contact(user_id, &seg))?)
    }

    /// Whether the CRM keeps a contact record for this member (an escalated
    /// thread or a CRM sync made one); `contact` answers defaults otherwise.
    pub fn has_contact(&self, actor: Actor, user_id: i64) -> Result<bool> {
        ensure_agent(actor)?;
        Ok(on_db!(self.forum.db(), contact_segment(user_id))?.is_some())
    }

    pub fn contact_view(&self, actor: Actor, user_id: i64) -> Result<ContactView> {
        let contact = self.contact(actor, user_id)?;
        let db = self.forum.db();
        Ok(ContactView {
            contact,
            timeline: on_db!(db, timeline(user_id, 200))?,
            tasks: on_db!(db, tasks_of_contact(user_id, 100))?,
            threads: on_db!(db, threads_of(user_id, 100))?,
        })
    }

    pub fn update_contact(
        &self,
        actor: Actor,
        user_id: i64,
        patch: &ContactPatch,
    ) -> Result<Contact> {
        ensure_agent(actor)?;
        let rules = self.rules();
        if let Some(s) = &patch.segment {
            if !rules.segments.contains(s) {
                return Err(ForumError::invalid(
                    "segment",
                    forum::Rule::OneOf {
                        choices: rules.segments.join(", "),
                    },
                    format!("unknown segment; one of: {}", rules.segments.join(", ")),
                )
                .into());
            }
        }
        if let Some(s) = &patch.lifecycle {
            if !rules.lifecycle_stages.contains(s) {
                return Err(ForumError::invalid(
                    "lifecycle",
                    forum::Rule::OneOf {
                        choices: rules.lifecycle_stages.join(", "),
                    },
                    format!(
                        "unknown stage; one of: {}",
                        rules.lifecycle_stages.join(", ")
                    ),
                )
                .into());
            }
        }
        if let Some(tags) = &patch.tags {
            if tags
                .iter()
                .any(|t| t.contains(',') || t.trim().is_empty() || t.len() > 40)
            {
                return Err(ForumError::validation(
                    "tags",
                    "tags are 1 to 40 characters, without commas",
                )
                .into());
            }
        }
        if patch.notes.as_ref().is_some_and(|n| n.len() > 20_000)
            || patch.company.as_ref().is_some_and(|c| c.len() > 200)
        {
            return Err(ForumError::invalid(
                "notes",
                forum::Rule::TooLong { max: 20_000 },
                "too long",
            )
            .into());
        }
        let now = self.forum.now();
        let seg = rules.segments.first().cloned().unwrap_or_default();
        Ok(on_db!(
            self.forum.db(),
            update_contact_tx(now, user_id, &seg, patch, actor.user_id)
        )?)
    }

    /// Change status, priority or owner. Every change lands in the
    /// customer's timeline and, with a connector, in the external CRM.
    pub fn update_task(&self, actor: Actor, id: i64, patch: &TaskPatch) -> Result<Task> {
        ensure_agent(actor)?;
        if let Some(Some(owner)) = patch.owner_id {
            let u = self.forum.user(owner)?;
            if !matches!(u.role, Role::Agent | Role::Admin) {
                return Err(ForumError::invalid(
                    "owner_id",
                    forum::Rule::AgentsOnly,
                    "tasks can only be assigned to agents",
                )
                .into());
            }
        }
        let rules = self.rules();
        let connector = self.connector_name();
        let now = self.forum.now();
        let public_url = self.config.public_url.as_str();
        in_tx!(self.forum.db(), |conn, m| {
            let ctx = Ctx {
                rules: &rules,
                connector,
                now,
                public_url,
                sync_user: None,
            };
            let mut t = m::task_row(conn, id)?;
            if let Some(status) = patch.status {
                if status == TaskStatus::Escalated {
                    m::logic::escalate_row(
                        conn,
                        &ctx,
                        t,
                        &Escalation::Manual { by: actor.user_id },
                        Some(actor.user_id),
                    )?;
                } else {
                    m::logic::set_status_row(
                        conn,
                        &ctx,
                        t,
                        status,
                        Some(actor.user_id),
                        m::logic::StatusReason::ByAgent,
                        true,
                    )?;
                }
                t = m::task_row(conn, id)?;
            }
            let seen = t.updated_at;
            let mut changed = Vec::new();
            // The same changes by name, for the timeline in other languages.
            let mut changed_params = serde_json::Map::new();
            if let Some(p) = patch.priority {
                if t.priority() != p {
                    let (f, r) = rules.sla.due_times(p, t.created_at);
                    changed.push(format!("priority {} → {}", t.priority, p.as_str()));
                    changed_params.insert("priority_from".into(), t.priority.clone().into());
                    changed_params.insert("priority_to".into(), p.as_str().into());
                    t.priority = p.as_str().into();
                    t.first_response_due = f;
                    t.resolution_due = r;
                }
            }
            if let Some(owner) = patch.owner_id {
                if t.owner_id != owner {
                    changed.push(match owner {
                        Some(o) => format!("assigned to user #{o}"),
                        None => "unassigned".into(),
                    });
                    match owner {
                        Some(o) => {
                            let name = m::username_of(conn, o)?;
                            changed_params.insert(
                                "owner".into(),
                                name.unwrap_or_else(|| format!("#{o}")).into(),
                            );
                        }
                        None => {
                            changed_params.insert("unassigned".into(), true.into());
                        }
                    }
                    t.owner_id = owner;
                    if owner.is_some() && t.status() == TaskStatus::New {
                        t.status = TaskStatus::Open.as_str().into();
                    }
                }
            }
            if !changed.is_empty() {
                t.updated_at = now.max(seen + 1);
                if !m::save_task(conn, &t, seen)? {
                    return Err(ForumError::Conflict(
                        "the task changed meanwhile; reload and try again".into(),
                    ));
                }
                m::add_timeline(
                    conn,
                    &m::TimelineNew {
                        contact_id: t.contact_id,
                        at: now,
                        kind: "task.updated",
                        thread_id: Some(t.thread_id),
                        task_id: Some(id),
                        actor_id: Some(actor.user_id),
                        summary: format!("task #{id}: {}", changed.join(", ")),
                        params: {
                            changed_params.insert("task".into(), id.into());
                            serde_json::Value::Object(changed_params)
                        },
                        dedupe_key: format!("task:{id}:update:{}", t.updated_at),
                    },
                )?;
                if let Some(c) = connector {
                    m::enqueue_delivery(conn, now, c, id, "sync", 0)?;
                }
            }
            m::task(conn, id)
        })
        .map_err(CrmError::from)
    }

    /// Take a task: it becomes yours and open.
    pub fn claim(&self, actor: Actor, id: i64) -> Result<Task> {
        self.update_task(
            actor,
            id,
            &TaskPatch {
                owner_id: Some(Some(actor.user_id)),
                ..TaskPatch::default()
            },
        )
    }

    /// Reply in the task's thread as the agent. The post, the first-response
    /// mark and the status change commit together.
    pub fn agent_reply(&self, actor: Actor, id: i64, body: &str) -> Result<i64> {
        ensure_agent(actor)?;
        let db = self.forum.db();
        let task = on_db!(db, task(id))?;
        let rules = self.rules();
        let now = self.forum.now();
        let ctx = Ctx {
            rules: &rules,
            connector: self.connector_name(),
            now,
            public_url: &self.config.public_url,
            sync_user: None,
        };
        let thread = task.thread_id;
        let post = self
            .forum
            .reply_with(actor, thread, body, |conn, _post| match conn {
                TxConn::Sqlite(c) => {
                    crate::db::sqlite::logic::record_staff_reply(c, &ctx, thread, now)
                }
                TxConn::Pg(c) => crate::db::pg::logic::record_staff_reply(c, &ctx, thread, now),
            })?;
        tracing::info!(
            task_id = id,
            post_id = post,
            agent_id = actor.user_id,
            "agent replied"
        );
        Ok(post)
    }

    /// The escalate button: moderators and agents, if the rule is on. A
    /// thread without a task gets one.
    pub fn escalate_thread(&self, actor: Actor, thread_id: i64) -> Result<Task> {
        if !actor.role.is_staff() {
            return Err(ForumError::Forbidden("only moderators and agents can escalate").into());
        }
        let rules = self.rules();
        if !rules.manual_escalation {
            return Err(ForumError::Forbidden("manual escalation is turned off").into());
        }
        // The forum decides whether this actor may see the thread.
        self.forum.thread(thread_id, Some(actor), 1, 1, false)?;
        let connector = self.connector_name();
        let now = self.forum.now();
        let public_url = self.config.public_url.as_str();
        let why = Escalation::Manual { by: actor.user_id };
        in_tx!(self.forum.db(), |conn, m| {
            let ctx = Ctx {
                rules: &rules,
                connector,
                now,
                public_url,
                sync_user: None,
            };
            match m::task_row_for_thread(conn, thread_id)? {
                Some(t) => {
                    m::logic::escalate_row(conn, &ctx, t, &why, Some(actor.user_id))?;
                }
                None => {
                    m::logic::create_task_for_thread(
                        conn,
                        &ctx,
                        thread_id,
                        Some(why.clone()),
                        now,
                    )?;
                }
            }
            m::task_for_thread(conn, thread_id)?.ok_or(ForumError::NotFound("thread"))
        })
        .map_err(CrmError::from)
    }

    // ------------------------------------------------------------ canned responses, reminders

    /// The agents a task can be assigned to: (id, username, display name).
    pub fn agents(&self, actor: Actor) -> Result<Vec<(i64, String, String)>> {
        ensure_agent(actor)?;
        Ok(on_db!(self.forum.db(), agents())?)
    }

    pub fn canned_responses(&self, actor: Actor) -> Result<Vec<CannedResponse>> {
        ensure_agent(actor)?;
        Ok(on_db!(self.forum.db(), canned_responses())?)
    }

    pub fn save_canned_response(
        &self,
        actor: Actor,
        id: Option<i64>,
        title: &str,
        body: &str,
    ) -> Result<i64> {
        ensure_agent(actor)?;
        let (title, body) = (title.trim(), body.trim());
        if title.is_empty() || title.chars().count() > 120 {
            return Err(ForumError::validation(
                "title",
                "a title of 1 to 120 characters is required",
            )
            .into());
        }
        if body.is_empty() || body.len() > 20_000 {
            return Err(
                ForumError::validation("body", "a body of 1 to 20000 bytes is required").into(),
            );
        }
        let now = self.forum.now();
        Ok(on_db!(
            self.forum.db(),
            save_canned(now, id, title, body, actor.user_id)
        )?)
    }

    pub fn delete_canned_response(&self, actor: Actor, id: i64) -> Result<()> {
        ensure_agent(actor)?;
        Ok(on_db!(self.forum.db(), delete_canned(id))?)
    }

    /// A canned response filled in for this task and agent. Placeholders:
    /// `{{customer_name}}`, `{{customer_username}}`, `{{thread_title}}`,
    /// `{{thread_url}}`, `{{task_id}}`, `{{agent_name}}`.
    pub fn render_canned_response(
        &self,
        actor: Actor,
        canned_id: i64,
        task_id: i64,
    ) -> Result<String> {
        ensure_agent(actor)?;
        let db = self.forum.db();
        let canned = on_db!(db, canned_response(canned_id))?;
        let task = on_db!(db, task(task_id))?;
        let agent = self.forum.user(actor.user_id)?;
        let url = format!(
            "{}/t/{}",
            self.config.public_url.trim_end_matches('/'),
            task.thread_id
        );
        let id = task.id.to_string();
        Ok(render_template(
            &canned.body,
            &[
                ("customer_name", &task.contact.display_name),
                ("customer_username", &task.contact.username),
                ("thread_title", &task.thread_title),
                ("thread_url", &url),
                ("task_id", &id),
                ("agent_name", &agent.display_name),
            ],
        ))
    }

    pub fn add_reminder(
        &self,
        actor: Actor,
        task_id: i64,
        remind_at: i64,
        note: &str,
    ) -> Result<i64> {
        ensure_agent(actor)?;
        let now = self.forum.now();
        if remind_at <= now {
            return Err(ForumError::invalid(
                "remind_at",
                forum::Rule::InThePast,
                "a reminder must be in the future",
            )
            .into());
        }
        if note.len() > 2_000 {
            return Err(ForumError::invalid(
                "note",
                forum::Rule::TooLong { max: 2000 },
                "at most 2000 bytes",
            )
            .into());
        }
        Ok(on_db!(
            self.forum.db(),
            add_reminder(now, task_id, actor.user_id, remind_at, note.trim())
        )?)
    }

    /// The agent's reminders whose time has come.
    pub fn due_reminders(&self, actor: Actor) -> Result<Vec<Reminder>> {
        ensure_agent(actor)?;
        let now = self.forum.now();
        Ok(on_db!(
            self.forum.db(),
            reminders(actor.user_id, Some(now), None)
        )?)
    }

    pub fn dismiss_reminder(&self, actor: Actor, id: i64) -> Result<()> {
        ensure_agent(actor)?;
        let now = self.forum.now();
        Ok(on_db!(
            self.forum.db(),
            dismiss_reminder(now, id, actor.user_id)
        )?)
    }
}
