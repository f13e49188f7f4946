//! Measuring relevance: the development set (`bench/data/relevance`:
//! queries written over the shared corpus, each with the corpus documents
//! that answer it, by category), deterministic distractor documents, the
//! metrics (MRR@10, nDCG@10, recall@5 and @10, per category), and Hearth's
//! own ranking of the set. The benchmark (`hearth-bench relevance`) puts
//! the baselines beside it; a test keeps a floor under Hearth's figures.

use std::collections::BTreeMap;
use std::path::Path;

use crate::{DocKind, SearchDoc, SearchError, SearchIndex, SearchQuery};

/// One query of the development set.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct DevQuery {
    pub id: String,
    pub lang: String,
    pub category: String,
    pub query: String,
    /// Corpus ids that answer it, best first; empty: no answer exists.
    pub expected: Vec<String>,
}

/// A document to search: a corpus row (a question with its answer, or an
/// article paragraph) or a distractor.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct EvalDoc {
    pub id: String,
    pub lang: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub answer: String,
}

fn bad(what: &str, e: impl std::fmt::Display) -> SearchError {
    SearchError::Directory(format!("{what}: {e}"))
}

/// The development set's queries.
pub fn load_queries(path: &Path) -> Result<Vec<DevQuery>, SearchError> {
    let text = std::fs::read_to_string(path)?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| bad("a relevance query", e)))
        .collect()
}

/// The development set shipped in the repository.
pub fn dev_set_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/data/relevance/queries.jsonl")
}

/// Every row of the shared corpus (`sample_corpus_dir`).
pub fn load_corpus(dir: &Path) -> Result<Vec<EvalDoc>, SearchError> {
    let mut docs = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    for file in files {
        for line in std::fs::read_to_string(&file)?.lines() {
            if !line.trim().is_empty() {
                docs.push(serde_json::from_str(line).map_err(|e| bad("a corpus row", e))?);
            }
        }
    }
    Ok(docs)
}

/// `n` distractors: documents made of the corpus's own words in each of
/// its languages (so they match many query words), answering nothing.
/// Deterministic.
pub fn distractors(corpus: &[EvalDoc], n: usize) -> Vec<EvalDoc> {
    let mut words: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in corpus {
        let list = words.entry(d.lang.as_str()).or_default();
        for text in [&d.title, &d.body, &d.answer] {
            list.extend(
                text.split(|c: char| !c.is_alphanumeric() && c != '\u{200c}')
                    .filter(|w| w.chars().count() > 2),
            );
        }
    }
    let langs: Vec<(&str, Vec<&str>)> = words.into_iter().filter(|(_, w)| !w.is_empty()).collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        // xorshift64*: enough to scatter words, reproducible everywhere.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    (0..n)
        .map(|i| {
            let (lang, list) = &langs[i % langs.len()];
            let mut sentence = |len: usize| {
                (0..len)
                    .map(|_| list[(next() % list.len() as u64) as usize])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            // Titled like the questions of a community (and of the FAQ),
            // so question phrasing alone does not tell answers apart.
            let openings = match *lang {
                "en" => &[
                    "How do I",
                    "Why does",
                    "What is",
                    "How can I",
                    "Is there a",
                    "Can I",
                ][..],
                "ru" => &["Как", "Почему", "Что такое", "Можно ли", "Где"][..],
                "uk" => &["Як", "Чому", "Що таке", "Чи можна", "Де"][..],
                "fa" => &["چگونه", "چرا", "چه", "آیا می‌توان", "کجا"][..],
                _ => &[""][..],
            };
            let opening = openings[(i / langs.len()) % openings.len()];
            let title = format!("{opening} {}?", sentence(5)).trim().to_string();
            EvalDoc {
                id: format!("distractor-{i}"),
                lang: lang.to_string(),
                title,
                body: sentence(40),
                answer: if i % 2 == 0 {
                    sentence(30)
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

/// Scores of one query, or the mean of several.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub mrr10: f64,
    pub ndcg10: f64,
    pub recall5: f64,
    pub recall10: f64,
    pub queries: usize,
}

impl Scores {
    /// One query: `ranked` ids, best first, against `expected`.
    pub fn of(expected: &[String], ranked: &[String]) -> Scores {
        let top = &ranked[..ranked.len().min(10)];
        let relevant = |id: &String| expected.contains(id);
        let mrr10 = top
            .iter()
            .position(relevant)
            .map_or(0.0, |p| 1.0 / (p as f64 + 1.0));
        let dcg: f64 = top
            .iter()
            .enumerate()
            .filter(|(_, id)| relevant(id))
            .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
            .sum();
        let ideal: f64 = (0..expected.len().min(10))
            .map(|i| 1.0 / (i as f64 + 2.0).log2())
            .sum();
        let found = |k: usize| {
            let k = k.min(ranked.len());
            ranked[..k].iter().filter(|id| relevant(id)).count() as f64
                / expected.len().max(1) as f64
        };
        Scores {
            mrr10,
            ndcg10: if ideal > 0.0 { dcg / ideal } else { 0.0 },
            recall5: found(5),
            recall10: found(10),
            queries: 1,
        }
    }

    fn mean(all: &[Scores]) -> Scores {
        let n = all.len().max(1) as f64;
        Scores {
            mrr10: all.iter().map(|s| s.mrr10).sum::<f64>() / n,
            ndcg10: all.iter().map(|s| s.ndcg10).sum::<f64>() / n,
            recall5: all.iter().map(|s| s.recall5).sum::<f64>() / n,
            recall10: all.iter().map(|s| s.recall10).sum::<f64>() / n,
            queries: all.len(),
        }
    }
}

/// Mean scores per category, plus `all` (queries that have an answer;
/// `no_answer` queries are left out: they measure thresholds, not ranking).
pub fn by_category(queries: &[DevQuery], rankings: &[Vec<String>]) -> BTreeMap<String, Scores> {
    let mut per: BTreeMap<String, Vec<Scores>> = BTreeMap::new();
    for (q, ranked) in queries.iter().zip(rankings) {
        if q.expected.is_empty() {
            continue;
        }
        let s = Scores::of(&q.expected, ranked);
        per.entry(q.category.clone()).or_default().push(s);
        per.entry("all".into()).or_default().push(s);
    }
    per.into_iter()
        .map(|(k, v)| (k, Scores::mean(&v)))
        .collect()
}

/// Hearth's search over `docs`: an index in memory with every document as
/// a solved thread (its answer as the accepted answer), then the top ten
/// for each query as a visitor would get them on the search page.
pub fn hearth_rankings(
    docs: &[EvalDoc],
    queries: &[DevQuery],
) -> Result<Vec<Vec<String>>, SearchError> {
    let index = SearchIndex::open_in_ram()?;
    let docs_by_number: Vec<&EvalDoc> = docs.iter().collect();
    index.rebuild(
        docs_by_number.iter().enumerate().map(|(i, d)| SearchDoc {
            kind: DocKind::Thread,
            id: i as i64 + 1,
            title: d.title.clone(),
            body: d.body.clone(),
            answer: (!d.answer.is_empty()).then(|| d.answer.clone()),
            replies: Vec::new(),
            tags: Vec::new(),
            category: "general".into(),
            visible_to: 0,
            status: if d.answer.is_empty() {
                "open"
            } else {
                "solved"
            }
            .into(),
            solved: !d.answer.is_empty(),
            votes: 0,
            created_at: 0,
            updated_at: 0,
            url: format!("/t/{}", i + 1),
        }),
        None,
        |_| {},
    )?;
    queries
        .iter()
        .map(|q| {
            let results = index.search(&SearchQuery {
                text: q.query.clone(),
                category: None,
                tag: None,
                status: None,
                kind: None,
                page: 1,
                per_page: 10,
                viewer_level: 0,
                skip_facets: true,
            })?;
            Ok(results
                .hits
                .iter()
                .filter_map(|h| usize::try_from(h.id - 1).ok())
                .filter_map(|i| docs_by_number.get(i).map(|d| d.id.clone()))
                .collect())
        })
        .collect()
}

/// The table of several engines' scores by category (markdown).
pub fn table(engines: &[(&str, BTreeMap<String, Scores>)]) -> String {
    let mut out = String::from("| category | queries |");
    for (name, _) in engines {
        out.push_str(&format!(" {name} MRR@10 | nDCG@10 | R@5 | R@10 |"));
    }
    out.push_str("\n|---|---|");
    for _ in engines {
        out.push_str("---|---|---|---|");
    }
    out.push('\n');
    let Some((_, first)) = engines.first() else {
        return out;
    };
    for (category, s) in first {
        out.push_str(&format!("| {category} | {} |", s.queries));
        for (_, scores) in engines {
            let s = scores.get(category).copied().unwrap_or_default();
            out.push_str(&format!(
                " {:.3} | {:.3} | {:.3} | {:.3} |",
                s.mrr10, s.ndcg10, s.recall5, s.recall10
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn metrics_follow_their_definitions() {
        let s = Scores::of(&ids(&["a"]), &ids(&["x", "a", "y"]));
        assert_eq!(s.mrr10, 0.5);
        assert!((s.ndcg10 - 1.0 / 3f64.log2()).abs() < 1e-9);
        assert_eq!((s.recall5, s.recall10), (1.0, 1.0));
        let s = Scores::of(&ids(&["a", "b"]), &ids(&["a", "x", "x", "x", "x", "b"]));
        assert_eq!(s.mrr10, 1.0);
        assert_eq!(s.recall5, 0.5, "b is sixth");
        assert_eq!(s.recall10, 1.0);
        let s = Scores::of(&ids(&["a"]), &ids(&["x"; 12]));
        assert_eq!(
            s,
            Scores {
                queries: 1,
                ..Scores::default()
            }
        );
    }

    #[test]
    fn distractors_are_reproducible_and_answer_nothing() {
        let corpus = vec![EvalDoc {
            id: "c1".into(),
            lang: "en".into(),
            title: "How do I print a list".into(),
            body: "printing lists of numbers".into(),
            answer: "use the print function".into(),
        }];
        let a = distractors(&corpus, 5);
        let b = distractors(&corpus, 5);
        assert_eq!(a.len(), 5);
        assert!(a
            .iter()
            .zip(&b)
            .all(|(x, y)| x.title == y.title && x.body == y.body));
        assert!(a.iter().all(|d| d.id.starts_with("distractor-")));
    }
}
