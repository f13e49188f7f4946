//! Knowledge base: articles promoted from solved threads, with provenance,
//! review, versions and feedback. Pure helpers here (drafting, slugs, diffs,
//! staleness); storage is in `kb_store.rs`.

use serde::{Deserialize, Serialize};

/// The knowledge base's outbox cursor (staleness, promotion by kudos).
pub const OUTBOX_CONSUMER: &str = "kb";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    Review,
    Published,
    Archived,
}

impl ArticleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Review => "review",
            ArticleStatus::Published => "published",
            ArticleStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<ArticleStatus> {
        Some(match s {
            "draft" => ArticleStatus::Draft,
            "review" => ArticleStatus::Review,
            "published" => ArticleStatus::Published,
            "archived" => ArticleStatus::Archived,
            _ => return None,
        })
    }
}

/// Promotion and review rules, from the `[kb]` config section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct KbConfig {
    /// Promote a solved thread to a draft for review when its accepted answer
    /// has at least this many kudos (0 turns the rule off).
    pub auto_promote_min_kudos: i32,
    /// … or when the thread has been viewed at least this often (0: off).
    pub auto_promote_min_views: i64,
    /// Other replies with at least this many kudos are quoted in a draft.
    pub quote_min_kudos: i32,
    /// An article is flagged when it has this many votes, mostly not helpful.
    pub unhelpful_min_votes: i32,
    /// The headings and credits a promoted draft is written with, in the
    /// site's language (the interface sets them from its catalogue).
    #[serde(skip)]
    pub draft_words: DraftWords,
}

/// The words of a promoted draft's scaffold. `{author}`, `{link}` and
/// `{kudos}` are filled in; the rest is the site's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftWords {
    pub question: String,
    pub answer: String,
    /// "Answer by {author} in {link}."
    pub answer_by: String,
    /// The link text to the community thread.
    pub thread_link: String,
    pub also_useful: String,
    /// "{author} ({link}, {kudos} kudos)"
    pub reply_by: String,
    /// The link text to another reply.
    pub reply_link: String,
}

impl Default for DraftWords {
    fn default() -> Self {
        DraftWords {
            question: "Question".into(),
            answer: "Answer".into(),
            answer_by: "Answer by {author} in {link}.".into(),
            thread_link: "the community thread".into(),
            also_useful: "Also useful".into(),
            reply_by: "{author} ({link}, {kudos} kudos)".into(),
            reply_link: "reply".into(),
        }
    }
}

impl Default for KbConfig {
    fn default() -> Self {
        KbConfig {
            auto_promote_min_kudos: 5,
            auto_promote_min_views: 500,
            quote_min_kudos: 2,
            unhelpful_min_votes: 5,
            draft_words: DraftWords::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body_md: String,
    pub body_html: String,
    pub category: String,
    pub category_id: i64,
    pub category_name: String,
    pub private: bool,
    pub tags: Vec<String>,
    pub language: String,
    pub status: ArticleStatus,
    pub version: i32,
    pub source_thread_id: Option<i64>,
    pub source_post_id: Option<i64>,
    /// The answer's author, credited on the page.
    pub source_author: Option<(i64, String)>,
    pub source_changed: bool,
    pub auto_promoted: bool,
    pub helpful: i32,
    pub not_helpful: i32,
    pub needs_review_for_feedback: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

/// A published article as search indexes it (or a tombstone to delete).
#[derive(Debug, Clone)]
pub struct ArticleDocument {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body_md: String,
    pub tags: Vec<String>,
    pub category_slug: String,
    pub private: bool,
    /// The least role that sees the article's board.
    pub visible_to: crate::Role,
    pub helpful: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub published: bool,
    /// The solved thread it was promoted from: search shows one of the two.
    pub source_thread_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleRevision {
    pub version: i32,
    pub title: String,
    pub body_md: String,
    pub editor: Option<String>,
    pub note: String,
    pub created_at: i64,
}

/// What changed in the source since the article was last reviewed.
#[derive(Debug, Clone, Serialize)]
pub struct SourceChange {
    pub question: Vec<DiffLine>,
    pub answer: Vec<DiffLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
}

/// Edits to an article; `None` keeps a field.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ArticleEdit {
    pub title: Option<String>,
    pub body: Option<String>,
    pub category: Option<String>,
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub note: String,
}

/// Mostly not helpful, once enough people have said so.
pub fn flagged_by_feedback(cfg: &KbConfig, helpful: i32, not_helpful: i32) -> bool {
    let total = helpful + not_helpful;
    cfg.unhelpful_min_votes > 0 && total >= cfg.unhelpful_min_votes && not_helpful * 2 > total
}

/// A URL slug from a title, in any script: letters and digits kept (lower
/// case), everything else a single dash, at most 80 characters.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.chars().count() >= 80 {
            break;
        }
    }
    let s = out.trim_matches('-').to_string();
    if s.is_empty() {
        "article".into()
    } else {
        s
    }
}

/// A forum title as an article title: chatter and pleading dropped, the
/// question mark kept once, capitalised. "HELP!! printer wont print???" →
/// "Printer wont print?".
pub fn article_title(question_title: &str) -> String {
    let mut t = question_title.trim().to_string();
    let lower = t.to_lowercase();
    for prefix in [
        "help!",
        "help:",
        "help -",
        "help",
        "urgent:",
        "urgent!",
        "urgent",
        "question:",
        "q:",
        "please help:",
        "please help",
        "pls help",
        "hi all,",
        "hi,",
        "hello,",
    ] {
        if lower.starts_with(prefix) && lower.len() > prefix.len() {
            if let Some(rest) = t.get(prefix.len()..) {
                t = rest.to_string();
            }
            break;
        }
    }
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric()).trim();
    let asks = t.contains('?');
    let t = t.trim_end_matches(['?', '!', '.', ' ']);
    // ALL CAPS reads as shouting; keep the first letter capital only.
    let t = if t.chars().filter(|c| c.is_alphabetic()).count() > 3
        && t.chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase())
    {
        t.to_lowercase()
    } else {
        t.to_string()
    };
    let mut chars = t.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return question_title.trim().to_string(),
    };
    if asks {
        out.push('?');
    }
    out
}

/// A reply quoted in a draft, with a link back to it.
pub struct Quoted<'a> {
    pub post_id: i64,
    pub thread_id: i64,
    pub author: &'a str,
    pub kudos: i32,
    pub body_md: &'a str,
}

/// The draft body: the question for context, the accepted answer, then the
/// useful parts of other well-voted replies, each quoted and linked.
pub fn draft_body(
    words: &DraftWords,
    question_md: &str,
    answer: &Quoted<'_>,
    others: &[Quoted<'_>],
) -> String {
    // Words from the catalogue are text, not Markdown: a `*` or `[` in a
    // translation must not change the draft's structure.
    let text = |s: &str| {
        s.chars()
            .flat_map(|c| {
                let escape = matches!(c, '\\' | '*' | '_' | '[' | ']' | '`' | '#' | '<' | '>');
                escape.then_some('\\').into_iter().chain(std::iter::once(c))
            })
            .collect::<String>()
    };
    let fill = |template: &str, author: &str, link: String, kudos: i32| {
        text(template)
            .replace("{author}", &format!("@{author}"))
            .replace("{link}", &link)
            .replace("{kudos}", &kudos.to_string())
    };
    let mut body = String::new();
    body.push_str(&format!("## {}\n\n", text(&words.question)));
    body.push_str(&quote(question_md));
    body.push_str(&format!("\n\n## {}\n\n", text(&words.answer)));
    body.push_str(answer.body_md.trim());
    let link = format!(
        "[{}](/t/{}#p{})",
        text(&words.thread_link),
        answer.thread_id,
        answer.post_id
    );
    body.push_str(&format!(
        "\n\n*{}*\n",
        fill(&words.answer_by, answer.author, link, answer.kudos)
    ));
    if !others.is_empty() {
        body.push_str(&format!("\n## {}\n", text(&words.also_useful)));
        for o in others {
            body.push('\n');
            body.push_str(&quote(o.body_md));
            let link = format!(
                "[{}](/t/{}#p{})",
                text(&words.reply_link),
                o.thread_id,
                o.post_id
            );
            body.push_str(&format!(
                "\n\n— {}\n",
                fill(&words.reply_by, o.author, link, o.kudos)
            ));
        }
    }
    body
}

fn quote(md: &str) -> String {
    md.trim()
        .lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The language of a text by its letters: Persian for Arabic script,
/// Ukrainian for Cyrillic with і/ї/є/ґ, Russian for other Cyrillic, else
/// English. Search does the careful detection; this labels an article.
pub fn guess_language(text: &str) -> &'static str {
    let (mut arabic, mut cyrillic, mut latin, mut ukrainian) = (0, 0, 0, 0);
    for c in text.chars() {
        match c {
            '\u{0600}'..='\u{06FF}' | '\u{FB50}'..='\u{FDFF}' => arabic += 1,
            'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ' => {
                ukrainian += 1;
                cyrillic += 1
            }
            '\u{0400}'..='\u{04FF}' => cyrillic += 1,
            c if c.is_ascii_alphabetic() => latin += 1,
            _ => {}
        }
    }
    if arabic > cyrillic && arabic > latin {
        "fa"
    } else if cyrillic > latin {
        if ukrainian > 0 {
            "uk"
        } else {
            "ru"
        }
    } else {
        "en"
    }
}

/// A line diff (longest common subsequence), enough for reviewers to see
/// what changed in a source post. Large inputs fall back to all-removed /
/// all-added rather than spending quadratic memory.
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    if a.len() * b.len() > 4_000_000 {
        return a
            .iter()
            .map(|l| DiffLine::Removed(l.to_string()))
            .chain(b.iter().map(|l| DiffLine::Added(l.to_string())))
            .collect();
    }
    // lcs[i][j]: common length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(DiffLine::Removed(a[i].to_string()));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j].to_string()));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| DiffLine::Removed(l.to_string())));
    out.extend(b[j..].iter().map(|l| DiffLine::Added(l.to_string())));
    out
}

// ---------------------------------------------------------------- service

use crate::db::dispatch;
use crate::{markdown, validate, Actor, Forum, ForumError};

impl Forum {
    pub fn kb_rules(&self) -> &KbConfig {
        &self.kb
    }

    /// A blank KB draft titled `title` in the board `category` (staff):
    /// the answer a search gap asks for. Returns its slug.
    pub fn create_article_draft(
        &self,
        actor: Actor,
        category: &str,
        title: &str,
    ) -> crate::Result<String> {
        let title = crate::validate::title(title)?;
        let board = self.category(category, Some(actor))?;
        dispatch!(
            &self.db,
            kb::create_draft(self.now(), actor, board.id, &title)
        )
    }

    /// "Promote to KB": a draft prefilled from a solved thread. Returns the
    /// article's slug and whether it is new (promoting twice gives the same one).
    pub fn promote_thread(&self, actor: Actor, thread_id: i64) -> crate::Result<(String, bool)> {
        let cfg = self.kb.clone();
        dispatch!(
            &self.db,
            kb::promote(&cfg, self.now(), Some(actor), thread_id)
        )
    }

    pub fn update_article(&self, actor: Actor, slug: &str, edit: ArticleEdit) -> crate::Result<()> {
        let mut edit = edit;
        if let Some(t) = &edit.title {
            edit.title = Some(validate::title(t)?);
        }
        if let Some(b) = &edit.body {
            edit.body = Some(validate::body(b)?);
        }
        if let Some(tags) = &edit.tags {
            edit.tags = Some(validate::tags(tags)?);
        }
        if edit.note.chars().count() > 500 {
            return Err(ForumError::invalid(
                "note",
                crate::Rule::TooLong { max: 500 },
                "keep the note under 500 characters",
            ));
        }
        let html = edit.body.as_deref().map(markdown::render);
        dispatch!(
            &self.db,
            kb::update(self.now(), actor, slug, &edit, html.as_deref())
        )
    }

    pub fn set_article_status(
        &self,
        actor: Actor,
        slug: &str,
        status: ArticleStatus,
    ) -> crate::Result<()> {
        dispatch!(&self.db, kb::set_status(self.now(), actor, slug, status))
    }

    pub fn article_feedback(
        &self,
        actor: Actor,
        slug: &str,
        helpful: bool,
    ) -> crate::Result<Article> {
        let cfg = self.kb.clone();
        dispatch!(
            &self.db,
            kb::feedback(&cfg, self.now(), actor, slug, helpful)
        )
    }

    pub fn article(&self, slug: &str, viewer: Option<Actor>) -> crate::Result<Article> {
        let cfg = self.kb.clone();
        dispatch!(&self.db, kb::article(&cfg, slug, viewer))
    }

    pub fn articles(
        &self,
        viewer: Option<Actor>,
        category: Option<&str>,
    ) -> crate::Result<Vec<Article>> {
        let cfg = self.kb.clone();
        dispatch!(&self.db, kb::list(&cfg, viewer, category, 500))
    }

    pub fn review_queue(&self, actor: Actor) -> crate::Result<Vec<Article>> {
        let cfg = self.kb.clone();
        dispatch!(&self.db, kb::review_queue(&cfg, actor))
    }

    pub fn article_revisions(
        &self,
        actor: Actor,
        slug: &str,
    ) -> crate::Result<Vec<ArticleRevision>> {
        dispatch!(&self.db, kb::revisions(actor, slug))
    }

    pub fn article_source_change(
        &self,
        actor: Actor,
        slug: &str,
    ) -> crate::Result<Option<SourceChange>> {
        dispatch!(&self.db, kb::source_change(actor, slug))
    }

    /// Apply the next batch of outbox events to the knowledge base (staleness,
    /// promotion by kudos).
    pub fn process_kb_events(&self, limit: i64) -> crate::Result<usize> {
        let cfg = self.kb.clone();
        dispatch!(
            &self.db,
            kb::process(&cfg, self.now(), limit.clamp(1, 10_000))
        )
    }

    /// Promote solved threads with enough views; returns how many.
    pub fn promote_by_views(&self, limit: i64) -> crate::Result<usize> {
        let cfg = self.kb.clone();
        dispatch!(
            &self.db,
            kb::promote_by_views(&cfg, self.now(), limit.clamp(1, 1000))
        )
    }

    /// The article promoted from a thread, if any: (slug, status).
    pub fn article_for_thread(&self, thread_id: i64) -> crate::Result<Option<(String, String)>> {
        dispatch!(&self.db, kb::for_thread(thread_id))
    }

    /// (article, thread) for the articles among `ids` promoted from a
    /// thread `viewer` may read: search links the article to its origin.
    pub fn article_origins(
        &self,
        ids: &[i64],
        viewer: Option<Actor>,
    ) -> crate::Result<Vec<(i64, i64)>> {
        dispatch!(&self.db, kb::origins(ids, viewer))
    }

    pub fn article_documents(&self, ids: &[i64]) -> crate::Result<Vec<ArticleDocument>> {
        dispatch!(&self.db, kb::documents(ids))
    }

    pub fn published_articles_after(
        &self,
        after_id: i64,
        limit: i64,
    ) -> crate::Result<Vec<ArticleDocument>> {
        dispatch!(&self.db, kb::published_after(after_id, limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_in_every_script() {
        assert_eq!(
            slugify("How do I reset my password?"),
            "how-do-i-reset-my-password"
        );
        assert_eq!(slugify("Как сбросить пароль?"), "как-сбросить-пароль");
        assert_eq!(slugify("چگونه رمز را تغییر دهم؟"), "چگونه-رمز-را-تغییر-دهم");
        assert_eq!(slugify("!!!"), "article");
        assert!(slugify(&"word ".repeat(50)).chars().count() <= 80);
    }

    #[test]
    fn titles_are_rewritten_as_articles() {
        assert_eq!(
            article_title("HELP!! printer wont print???"),
            "Printer wont print?"
        );
        assert_eq!(
            article_title("URGENT: VPN DROPS EVERY HOUR"),
            "Vpn drops every hour"
        );
        assert_eq!(
            article_title("how to export invoices?"),
            "How to export invoices?"
        );
        assert_eq!(
            article_title("Не работает оплата картой!"),
            "Не работает оплата картой"
        );
        assert_eq!(article_title("?"), "?");
    }

    #[test]
    fn draft_quotes_and_credits() {
        let answer = Quoted {
            post_id: 12,
            thread_id: 3,
            author: "alice",
            kudos: 7,
            body_md: "Turn it off and on.",
        };
        let other = Quoted {
            post_id: 14,
            thread_id: 3,
            author: "bob",
            kudos: 3,
            body_md: "Also check the cable.\n\nReally.",
        };
        let words = DraftWords::default();
        let body = draft_body(
            &words,
            "My printer is stuck.",
            &answer,
            std::slice::from_ref(&other),
        );
        assert!(body.starts_with("## Question\n\n> My printer is stuck."));
        assert!(body.contains("## Answer\n\nTurn it off and on."));
        assert!(body.contains("*Answer by @alice in [the community thread](/t/3#p12).*"));
        assert!(body.contains("> Also check the cable.\n>\n> Really."));
        assert!(body.contains("@bob ([reply](/t/3#p14), 3 kudos)"));
        // In the site's language; a translation's own `*` stays text.
        let ru = DraftWords {
            question: "Вопрос".into(),
            answer: "Ответ".into(),
            answer_by: "Ответ {author} в {link}.".into(),
            thread_link: "теме сообщества".into(),
            also_useful: "Полезно также".into(),
            reply_by: "{author} ({link}, отметок: {kudos}) *".into(),
            reply_link: "ответ".into(),
        };
        let body = draft_body(&ru, "Принтер завис.", &answer, &[other]);
        assert!(body.starts_with("## Вопрос\n"));
        assert!(body.contains("*Ответ @alice в [теме сообщества](/t/3#p12).*"));
        assert!(body.contains("## Полезно также"));
        assert!(body.contains("@bob ([ответ](/t/3#p14), отметок: 3) \\*"));
    }

    #[test]
    fn languages_by_script() {
        assert_eq!(guess_language("How do I reset it?"), "en");
        assert_eq!(guess_language("Как сбросить пароль?"), "ru");
        assert_eq!(guess_language("Як змінити пароль і пошту?"), "uk");
        assert_eq!(guess_language("چگونه رمز را تغییر دهم؟"), "fa");
    }

    #[test]
    fn diff_marks_changed_lines() {
        let d = line_diff("a\nb\nc", "a\nB\nc\nd");
        assert_eq!(
            d,
            vec![
                DiffLine::Same("a".into()),
                DiffLine::Removed("b".into()),
                DiffLine::Added("B".into()),
                DiffLine::Same("c".into()),
                DiffLine::Added("d".into()),
            ]
        );
        assert!(line_diff("same", "same")
            .iter()
            .all(|l| matches!(l, DiffLine::Same(_))));
    }

    #[test]
    fn unhelpful_flag_needs_enough_votes_and_a_majority() {
        let cfg = KbConfig::default();
        assert!(!flagged_by_feedback(&cfg, 0, 4));
        assert!(flagged_by_feedback(&cfg, 2, 3));
        assert!(!flagged_by_feedback(&cfg, 3, 3));
    }
}
