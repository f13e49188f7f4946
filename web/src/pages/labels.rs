//! Localised names for the internal keys the forum pages show (thread,
//! article and support-task states, sort orders, report reasons), and
//! arrows that point the reading direction's way. Templates call these as
//! `crate::pages::labels::…(layout, key)`; an unknown key is shown as it is
//! rather than hidden.

use crate::layout::Layout;

/// A thread's state, or a search hit's (`published`: a KB article).
pub fn thread_status(layout: &Layout, status: &str) -> String {
    match status {
        "open" => layout.t("thread-status-open"),
        "answered" => layout.t("thread-status-answered"),
        "solved" => layout.t("thread-status-solved"),
        "locked" => layout.t("thread-status-locked"),
        "published" => layout.t("thread-status-published"),
        other => other.to_string(),
    }
}

/// A board's thread order.
pub fn sort(layout: &Layout, sort: &str) -> String {
    match sort {
        "latest" => layout.t("thread-sort-latest"),
        "unanswered" => layout.t("thread-sort-unanswered"),
        "solved" => layout.t("thread-sort-solved"),
        "top" => layout.t("thread-sort-top"),
        other => other.to_string(),
    }
}

/// A knowledge-base article's state.
pub fn article_status(layout: &Layout, status: &str) -> String {
    match status {
        "draft" => layout.t("thread-kb-status-draft"),
        "review" => layout.t("thread-kb-status-review"),
        "published" => layout.t("thread-kb-status-published"),
        "archived" => layout.t("thread-kb-status-archived"),
        other => other.to_string(),
    }
}

/// A support task's state.
pub fn task_status(layout: &Layout, status: &str) -> String {
    match status {
        "new" => layout.t("thread-task-status-new"),
        "open" => layout.t("thread-task-status-open"),
        "pending" => layout.t("thread-task-status-pending"),
        "escalated" => layout.t("thread-task-status-escalated"),
        "resolved" => layout.t("thread-task-status-resolved"),
        "closed" => layout.t("thread-task-status-closed"),
        other => other.to_string(),
    }
}

/// A reason a member gives when reporting a post.
pub fn flag_reason(layout: &Layout, reason: &str) -> String {
    match reason {
        "spam" => layout.t("post-report-spam"),
        "abusive" => layout.t("post-report-abusive"),
        "off_topic" => layout.t("post-report-off_topic"),
        "needs_staff" => layout.t("post-report-needs_staff"),
        _ => layout.t("post-report-other"),
    }
}

/// "Support task #12 (Open)": the id in the language's digits, ungrouped
/// (it is a name, not a quantity).
pub fn support_task(layout: &Layout, id: &i64, status: &str) -> String {
    layout.t2(
        "thread-support-task",
        "id",
        layout.lang.digits(&id.to_string()),
        "status",
        task_status(layout, status),
    )
}

/// The arrow of a "back" link (previous, newer, earlier page): it points
/// where reading came from, left in English, right in Persian.
pub fn arrow_back(layout: &Layout) -> &'static str {
    if layout.lang.is_rtl() {
        "→"
    } else {
        "←"
    }
}

/// The arrow of a "forward" link.
pub fn arrow_forward(layout: &Layout) -> &'static str {
    if layout.lang.is_rtl() {
        "←"
    } else {
        "→"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_key_has_a_label_in_every_language() {
        for lang in Lang::ALL {
            let layout = Layout::visitor("Hearth", lang);
            for s in ["open", "answered", "solved", "locked", "published"] {
                assert!(
                    !thread_status(&layout, s).contains("thread-"),
                    "{lang:?} {s}"
                );
            }
            for s in ["latest", "unanswered", "solved", "top"] {
                assert!(!sort(&layout, s).contains("thread-"), "{lang:?} {s}");
            }
            for s in ["draft", "review", "published", "archived"] {
                assert!(!article_status(&layout, s).contains("thread-"), "{lang:?}");
            }
            for s in forum_task_states() {
                assert!(!task_status(&layout, s).contains("thread-"), "{lang:?} {s}");
            }
            for r in forum::review::FlagReason::ALL {
                assert!(
                    !flag_reason(&layout, r.as_str()).contains("post-"),
                    "{lang:?} {r:?}"
                );
            }
        }
        let fa = Layout::visitor("Hearth", Lang::Fa);
        assert_eq!(
            support_task(&fa, &12, "open"),
            "درخواست پشتیبانی شمارهٔ ۱۲ (باز)"
        );
        let en = Layout::visitor("Hearth", Lang::En);
        assert_eq!(
            support_task(&en, &1234, "resolved"),
            "Support task #1234 (resolved)"
        );
        assert_eq!((arrow_back(&en), arrow_back(&fa)), ("←", "→"));
    }

    fn forum_task_states() -> Vec<&'static str> {
        crm_bridge::rules::TaskStatus::ALL
            .iter()
            .map(|s| s.as_str())
            .collect()
    }
}
