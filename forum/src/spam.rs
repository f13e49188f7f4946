//! Spam scoring, offline. A new member's post gets a score from 0 to 100
//! out of signals in the community's own data (link hosts never seen here
//! or seen in spam, the same text from other accounts, many links) and a
//! naive Bayes token classifier **trained from moderators' decisions** in
//! the review queue. Tokens come from a tokenizer the caller supplies (the
//! search analyzer, so Russian, Ukrainian and Persian words count as in
//! search). Above `hold_at` the post is held for review with its score and
//! reasons. A remote checker (Akismet's API shape) is an optional plugin
//! behind [`RemoteSpamChecker`]; nothing here needs a network.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Turns text into the tokens the classifier counts.
pub type Tokenize = Arc<dyn Fn(&str) -> Vec<String> + Send + Sync>;

/// Lower-cased words of two letters or more (any script): the tokenizer
/// when none is supplied.
pub fn plain_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .collect()
}

/// `[moderation.spam]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SpamConfig {
    pub enabled: bool,
    /// A new member's post scoring this or more is held.
    pub hold_at: i32,
    /// The classifier speaks once it has learnt from this many decisions
    /// of each kind (spam, not spam).
    pub min_training_docs: i64,
}

impl Default for SpamConfig {
    fn default() -> Self {
        SpamConfig {
            enabled: true,
            hold_at: 60,
            min_training_docs: 5,
        }
    }
}

/// What the score is made of.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpamFacts {
    /// The classifier's probability of spam, once trained.
    pub bayes: Option<f64>,
    /// Link hosts no published post in the community has used.
    pub unseen_hosts: usize,
    /// Link hosts seen more in spam than in published posts.
    pub spam_hosts: usize,
    /// Other accounts that posted the same text in the last day.
    pub other_accounts_same_text: i64,
    pub links: usize,
    /// The remote checker's verdict, when one is configured and answered.
    pub remote_says_spam: Option<bool>,
    /// A first post written faster than a person types: (characters,
    /// milliseconds from the first keystroke to sending, on the ask page).
    pub first_post_typed: Option<(usize, i64)>,
}

/// Faster than this, over a long enough text, nobody typed it (a paste is
/// normal in a reply, so only a member's very first post counts).
const PLAUSIBLE_CHARS_PER_SEC: f64 = 40.0;

/// One reason a post scored as spam. Stored as its English sentence
/// (`describe`), which `parse` reads back, so an interface can say it in
/// its reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// The word filter's probability, in percent.
    ReadsLikeSpam { percent: i64 },
    /// The same text from other accounts today.
    SameText { accounts: i64 },
    /// Links to hosts seen in spam.
    SpamHosts { hosts: i64 },
    /// Links to hosts never seen in this community.
    UnseenHosts { hosts: i64 },
    /// Several links.
    Links { count: i64 },
    /// A long first post written implausibly fast (`seconds` with one
    /// decimal, as written).
    TypedTooFast { chars: i64, seconds: String },
    /// The remote checking service says spam.
    RemoteSaysSpam,
}

impl Signal {
    /// The English sentence stored with the hold.
    pub fn describe(&self) -> String {
        match self {
            Signal::ReadsLikeSpam { percent } => format!("reads like past spam ({percent}%)"),
            Signal::SameText { accounts } => {
                format!("the same text came from {accounts} other account(s) today")
            }
            Signal::SpamHosts { hosts } => format!("{hosts} link host(s) seen in spam"),
            Signal::UnseenHosts { hosts } => {
                format!("{hosts} link host(s) never seen in this community")
            }
            Signal::Links { count } => format!("{count} links"),
            Signal::TypedTooFast { chars, seconds } => {
                format!("a first post of {chars} characters written in {seconds} s")
            }
            Signal::RemoteSaysSpam => "the spam checking service says spam".into(),
        }
    }

    /// The signal a stored sentence describes.
    pub fn parse(text: &str) -> Option<Signal> {
        let number = |s: &str| s.parse::<i64>().ok();
        if let Some(p) = text
            .strip_prefix("reads like past spam (")
            .and_then(|r| r.strip_suffix("%)"))
        {
            return number(p).map(|percent| Signal::ReadsLikeSpam { percent });
        }
        if let Some(n) = text
            .strip_prefix("the same text came from ")
            .and_then(|r| r.strip_suffix(" other account(s) today"))
        {
            return number(n).map(|accounts| Signal::SameText { accounts });
        }
        if let Some(n) = text.strip_suffix(" link host(s) seen in spam") {
            return number(n).map(|hosts| Signal::SpamHosts { hosts });
        }
        if let Some(n) = text.strip_suffix(" link host(s) never seen in this community") {
            return number(n).map(|hosts| Signal::UnseenHosts { hosts });
        }
        if let Some(n) = text.strip_suffix(" links") {
            return number(n).map(|count| Signal::Links { count });
        }
        if let Some((chars, seconds)) = text
            .strip_prefix("a first post of ")
            .and_then(|r| r.strip_suffix(" s"))
            .and_then(|r| r.split_once(" characters written in "))
        {
            return number(chars).map(|chars| Signal::TypedTooFast {
                chars,
                seconds: seconds.to_string(),
            });
        }
        (text == "the spam checking service says spam").then_some(Signal::RemoteSaysSpam)
    }
}

/// A score from 0 to 100 with the signals that made it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpamScore {
    pub score: i32,
    pub signals: Vec<String>,
}

pub fn score(f: &SpamFacts) -> SpamScore {
    let mut score = 0;
    let mut signals = Vec::new();
    if let Some(p) = f.bayes.filter(|p| *p >= 0.5) {
        let points = (70.0 * p).round() as i32;
        score += points;
        signals.push(
            Signal::ReadsLikeSpam {
                percent: (p * 100.0).round() as i64,
            }
            .describe(),
        );
    }
    if f.other_accounts_same_text > 0 {
        score += if f.other_accounts_same_text >= 3 {
            60
        } else {
            40
        };
        signals.push(
            Signal::SameText {
                accounts: f.other_accounts_same_text,
            }
            .describe(),
        );
    }
    if f.spam_hosts > 0 {
        score += 50;
        signals.push(
            Signal::SpamHosts {
                hosts: f.spam_hosts as i64,
            }
            .describe(),
        );
    }
    if f.unseen_hosts > 0 {
        score += (15 * f.unseen_hosts as i32).min(30);
        signals.push(
            Signal::UnseenHosts {
                hosts: f.unseen_hosts as i64,
            }
            .describe(),
        );
    }
    if f.links > 1 {
        score += (5 * (f.links as i32 - 1)).min(15);
        signals.push(
            Signal::Links {
                count: f.links as i64,
            }
            .describe(),
        );
    }
    if let Some((chars, ms)) = f.first_post_typed {
        let rate = chars as f64 * 1000.0 / ms.max(1) as f64;
        if chars >= 80 && rate > PLAUSIBLE_CHARS_PER_SEC {
            score += 25;
            signals.push(
                Signal::TypedTooFast {
                    chars: chars as i64,
                    seconds: format!("{:.1}", ms as f64 / 1000.0),
                }
                .describe(),
            );
        }
    }
    if f.remote_says_spam == Some(true) {
        score += 60;
        signals.push(Signal::RemoteSaysSpam.describe());
    }
    SpamScore {
        score: score.clamp(0, 100),
        signals,
    }
}

/// The hosts a post links to, lower-cased, without `www.` and ports.
pub fn link_hosts(body_md: &str) -> Vec<String> {
    let lower = body_md.to_lowercase();
    let mut hosts = BTreeSet::new();
    let mut i = 0;
    while i < lower.len() {
        let rest = &lower[i..];
        let host_at = if rest.starts_with("://") {
            Some(i + 3)
        } else if rest.starts_with("www.") && !lower[..i].ends_with("//") {
            Some(i)
        } else {
            None
        };
        match host_at {
            Some(at) => {
                let raw: String = lower[at..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
                    .collect();
                let host = raw.trim_start_matches("www.").trim_end_matches('.');
                if host.contains('.') {
                    hosts.insert(host.to_owned());
                }
                i = at
                    + if raw.is_empty() {
                        lower[at..].chars().next().map_or(1, char::len_utf8)
                    } else {
                        raw.len()
                    };
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    hosts.into_iter().collect()
}

/// A fingerprint of a post's text that ignores case, digits, punctuation
/// and spacing, so one message varied by numbers still matches (FNV-1a).
pub fn fingerprint(body_md: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for c in body_md.chars().filter(|c| c.is_alphabetic()) {
        for l in c.to_lowercase() {
            let mut buf = [0u8; 4];
            for b in l.encode_utf8(&mut buf).bytes() {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    format!("{hash:016x}")
}

/// Distinct tokens of a post (a token counts once per post).
pub fn distinct_tokens(tokenize: &Tokenize, body_md: &str) -> Vec<String> {
    let set: BTreeSet<String> = tokenize(body_md)
        .into_iter()
        .filter(|t| t.chars().count() <= 64)
        .collect();
    set.into_iter().collect()
}

/// Naive Bayes over token counts (Robinson's smoothing, the 15 most
/// telling tokens, combined as log-odds). `counts`: (in spam, in not spam)
/// for each token of the post that the model has seen.
pub fn bayes(counts: &[(i64, i64)], spam_docs: i64, ham_docs: i64) -> f64 {
    if spam_docs == 0 || ham_docs == 0 {
        return 0.5;
    }
    let mut probs: Vec<f64> = counts
        .iter()
        .map(|&(s, h)| {
            let (s, h) = (s as f64, h as f64);
            let spam_rate = s / spam_docs as f64;
            let ham_rate = h / ham_docs as f64;
            let p = if spam_rate + ham_rate == 0.0 {
                0.5
            } else {
                spam_rate / (spam_rate + ham_rate)
            };
            // Weak evidence stays near the prior of 0.5.
            let n = s + h;
            ((0.5 + n * p) / (1.0 + n)).clamp(0.01, 0.99)
        })
        .collect();
    probs.sort_by(|a, b| {
        (b - 0.5)
            .abs()
            .partial_cmp(&(a - 0.5).abs())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let log_odds: f64 = probs.iter().take(15).map(|p| (p / (1.0 - p)).ln()).sum();
    1.0 / (1.0 + (-log_odds).exp())
}

/// What a remote checker is told about a post (Akismet's fields).
#[derive(Debug, Clone, Default)]
pub struct RemoteCheck {
    pub author_name: String,
    pub author_email: String,
    pub client_addr: String,
    pub user_agent: String,
    pub content: String,
    /// `forum-post` (Akismet's comment_type for a new topic or reply).
    pub kind: &'static str,
}

/// An optional service that says whether a post is spam. Off by default;
/// its failure never blocks a post (the local score still applies).
pub trait RemoteSpamChecker: Send + Sync {
    fn check(&self, post: &RemoteCheck) -> Result<bool, String>;
}

/// Where a post came from, for the remote checker and the log.
#[derive(Debug, Clone, Default)]
pub struct PostOrigin {
    pub client_addr: String,
    pub user_agent: String,
    /// Milliseconds from the first keystroke to sending (the ask page
    /// measures it; None elsewhere).
    pub typed_ms: Option<i64>,
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_signal_is_read_back_from_its_sentence() {
        for s in [
            Signal::ReadsLikeSpam { percent: 87 },
            Signal::SameText { accounts: 3 },
            Signal::SpamHosts { hosts: 1 },
            Signal::UnseenHosts { hosts: 2 },
            Signal::Links { count: 4 },
            Signal::TypedTooFast {
                chars: 120,
                seconds: "1.5".into(),
            },
            Signal::RemoteSaysSpam,
        ] {
            assert_eq!(Signal::parse(&s.describe()), Some(s.clone()));
        }
        // What `score` writes is what `parse` reads.
        let scored = score(&SpamFacts {
            bayes: Some(0.9),
            links: 3,
            unseen_hosts: 2,
            ..SpamFacts::default()
        });
        assert!(!scored.signals.is_empty());
        for s in &scored.signals {
            assert!(Signal::parse(s).is_some(), "{s}");
        }
        assert_eq!(Signal::parse("an old sentence"), None);
    }

    use super::*;

    #[test]
    fn hosts_are_found_in_any_link_form() {
        assert_eq!(
            link_hosts("see https://Shop.Example/buy?x=1 and www.pills.example, and http://shop.example:8080"),
            vec!["pills.example".to_string(), "shop.example".to_string()]
        );
        assert!(link_hosts("no links, e.g. a.b without scheme").is_empty());
        assert!(link_hosts("ends with ://").is_empty());
        assert!(link_hosts("odd ://«host» and ://").is_empty());
    }

    #[test]
    fn fingerprints_ignore_numbers_case_and_spacing() {
        assert_eq!(
            fingerprint("Cheap pills 1-2: https://pills1.example"),
            fingerprint("cheap  PILLS 7-9: https://pills8.example")
        );
        assert_ne!(fingerprint("Cheap pills"), fingerprint("Cheap bills"));
        assert_eq!(fingerprint("Купить"), fingerprint("купить"));
    }

    #[test]
    fn the_classifier_learns_from_counts() {
        // Tokens seen mostly in spam push the probability up, and the
        // other way round; unknown tokens stay at 0.5.
        assert!(bayes(&[(9, 0), (8, 1)], 10, 10) > 0.9);
        assert!(bayes(&[(0, 9), (1, 8)], 10, 10) < 0.1);
        assert!((bayes(&[], 10, 10) - 0.5).abs() < 1e-9);
        assert!((bayes(&[(5, 0)], 0, 10) - 0.5).abs() < 1e-9, "untrained");
    }

    #[test]
    fn scores_add_up_with_reasons() {
        let clean = score(&SpamFacts::default());
        assert_eq!(clean.score, 0);
        assert!(clean.signals.is_empty());
        let wave = score(&SpamFacts {
            other_accounts_same_text: 5,
            unseen_hosts: 1,
            links: 1,
            ..Default::default()
        });
        assert_eq!(wave.score, 75);
        assert_eq!(wave.signals.len(), 2);
        let learnt = score(&SpamFacts {
            bayes: Some(0.95),
            ..Default::default()
        });
        assert_eq!(learnt.score, 67);
        let capped = score(&SpamFacts {
            bayes: Some(0.99),
            spam_hosts: 2,
            other_accounts_same_text: 4,
            remote_says_spam: Some(true),
            ..Default::default()
        });
        assert_eq!(capped.score, 100);
        let pasted = score(&SpamFacts {
            first_post_typed: Some((400, 1_000)),
            ..Default::default()
        });
        assert_eq!(pasted.score, 25);
        let typed = score(&SpamFacts {
            first_post_typed: Some((400, 60_000)),
            ..Default::default()
        });
        assert_eq!(typed.score, 0);
        let short = score(&SpamFacts {
            first_post_typed: Some((40, 100)),
            ..Default::default()
        });
        assert_eq!(short.score, 0, "a short first post may well be quick");
    }

    #[test]
    fn plain_tokens_work_in_every_script() {
        assert_eq!(
            plain_tokens("Купить дешево! خرید ارزان a"),
            vec!["купить", "дешево", "خرید", "ارزان"]
        );
    }
}
