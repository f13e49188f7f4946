//! The index over real community text in four languages (../shared/corpus).

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use search::{DocKind, SearchDoc, SearchIndex, SearchQuery};

struct Row {
    lang: String,
    title: String,
    body: String,
    answer: Option<String>,
}

fn corpus() -> Vec<Row> {
    let dir = search::sample_corpus_dir();
    let mut rows = Vec::new();
    for file in [
        "python-faq.en.jsonl",
        "social-crm-004.ru.jsonl",
        "social-crm-002.uk.jsonl",
        "social-crm-000.fa.jsonl",
    ] {
        let text =
            std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            rows.push(Row {
                lang: v["lang"].as_str().unwrap().to_string(),
                title: v["title"].as_str().unwrap_or("").to_string(),
                body: v["body"].as_str().unwrap_or("").to_string(),
                answer: v["answer"]
                    .as_str()
                    .filter(|a| !a.is_empty())
                    .map(String::from),
            });
        }
    }
    rows
}

fn doc(id: i64, r: &Row) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Thread,
        id,
        title: r.title.clone(),
        body: r.body.clone(),
        answer: r.answer.clone(),
        replies: vec![],
        tags: vec![r.lang.clone()],
        category: if r.lang == "en" {
            "python".into()
        } else {
            "crm".into()
        },
        visible_to: 0,
        status: if r.answer.is_some() {
            "solved".into()
        } else {
            "open".into()
        },
        solved: r.answer.is_some(),
        votes: 0,
        created_at: 0,
        updated_at: 0,
        url: format!("/t/{id}"),
    }
}

fn loaded() -> (SearchIndex, Vec<Row>) {
    let index = SearchIndex::open_in_ram().unwrap();
    let rows = corpus();
    for (i, r) in rows.iter().enumerate() {
        index.upsert(&doc(i as i64 + 1, r)).unwrap();
    }
    index.commit(Some("1:1")).unwrap();
    (index, rows)
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    }
}

fn ids(index: &SearchIndex, query: SearchQuery) -> Vec<i64> {
    index
        .search(&query)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

/// A real title, typed as a query, finds its own thread near the top, in
/// every language, and the hit carries the detected language.
#[test]
fn titles_find_their_threads_in_every_language() {
    let (index, rows) = loaded();
    let expected_lang = |l: &str| match l {
        "en" => "eng",
        "ru" => "rus",
        "uk" => "ukr",
        _ => "pes",
    };
    for lang in ["en", "ru", "uk", "fa"] {
        // Some corpus rows are markup (LaTeX, image names); sample real prose.
        let letters = |r: &Row| {
            let in_script = |c: char| match lang {
                "en" => c.is_ascii_alphabetic(),
                "ru" | "uk" => ('\u{0400}'..='\u{04FF}').contains(&c),
                _ => ('\u{0600}'..='\u{06FF}').contains(&c),
            };
            format!(
                "{} {} {}",
                r.title,
                r.body,
                r.answer.clone().unwrap_or_default()
            )
            .chars()
            .filter(|c| in_script(*c))
            .count()
        };
        let sample: Vec<(usize, &Row)> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.lang == lang && letters(r) > 150)
            .step_by(3)
            .take(8)
            .collect();
        assert!(!sample.is_empty());
        let mut found = 0;
        let mut detected = 0;
        for (i, r) in &sample {
            let title: String = r
                .title
                .split_whitespace()
                .take(8)
                .collect::<Vec<_>>()
                .join(" ");
            let res = index.search(&q(&title)).unwrap();
            if res.hits.iter().take(3).any(|h| h.id == *i as i64 + 1) {
                found += 1;
            }
            if let Some(h) = res.hits.iter().find(|h| h.id == *i as i64 + 1) {
                if h.language == expected_lang(lang) {
                    detected += 1;
                }
            }
        }
        assert!(
            found * 10 >= sample.len() * 8,
            "{lang}: only {found}/{} titles found their thread",
            sample.len()
        );
        assert!(
            detected * 10 >= sample.len() * 7,
            "{lang}: language detected for {detected}/{}",
            sample.len()
        );
    }
}

#[test]
fn inflected_queries_find_real_text() {
    let (index, rows) = loaded();
    let langs_of = |hits: Vec<i64>| -> Vec<String> {
        hits.iter()
            .map(|id| rows[*id as usize - 1].lang.clone())
            .collect()
    };
    // Russian: a different case of a word in the articles.
    let ru = langs_of(ids(&index, q("клиентами")));
    assert!(
        !ru.is_empty() && ru.iter().all(|l| l == "ru" || l == "uk"),
        "{ru:?}"
    );
    // English: stemming ("indenting" ~ "indentation" share no stem; "statements" ~ "statement" do).
    let en = ids(&index, q("grouping statements indentation"));
    assert_eq!(
        rows[en[0] as usize - 1].title,
        "Why does Python use indentation for grouping of statements?"
    );
    // Ukrainian inflection.
    let uk = langs_of(ids(&index, q("клієнтів")));
    assert!(uk.contains(&"uk".to_string()), "{uk:?}");
    // Persian typed with ZWNJ finds text published without it.
    let fa = ids(&index, q("می\u{200C}شود"));
    assert!(
        fa.iter()
            .any(|id| rows[*id as usize - 1].body.contains("میشود")),
        "{fa:?}"
    );
    // Arabic letters find Persian text.
    let fa2 = langs_of(ids(&index, q("مشتري")));
    assert!(!fa2.is_empty() && fa2.iter().all(|l| l == "fa"), "{fa2:?}");
}

#[test]
fn phrases_filters_facets_and_typos() {
    let (index, rows) = loaded();
    let phrase = ids(&index, q("\"average Python program\""));
    assert!(!phrase.is_empty());
    assert!(phrase.iter().all(|id| {
        let r = &rows[*id as usize - 1];
        format!("{} {}", r.body, r.answer.clone().unwrap_or_default())
            .to_lowercase()
            .contains("average python program")
    }));
    let all = index.search(&q("python")).unwrap();
    let filtered = index.search(&q("python tag:en is:solved")).unwrap();
    assert!(filtered.total > 0 && filtered.total <= all.total);
    assert!(filtered
        .hits
        .iter()
        .all(|h| h.solved && h.category == "python"));
    let by_category = index
        .search(&SearchQuery {
            category: Some("crm".into()),
            ..q("")
        })
        .unwrap();
    let crm_rows = rows.iter().filter(|r| r.lang != "en").count();
    assert_eq!(
        by_category.total, crm_rows,
        "a filter alone lists everything in it"
    );
    let facets = &index.search(&q("")).unwrap().facets;
    assert_eq!(
        facets
            .categories
            .iter()
            .find(|(c, _)| c == "crm")
            .map(|(_, n)| *n),
        Some(crm_rows as u64)
    );
    assert_eq!(
        facets.tags.iter().map(|(_, n)| *n).sum::<u64>(),
        rows.len() as u64
    );
    // Every word first; a word nothing contains falls back to any word.
    let both = index.search(&q("python indentation")).unwrap();
    assert!(!both.hits.is_empty());
    assert!(both.hits.iter().all(|h| {
        let r = &rows[h.id as usize - 1];
        let t = format!(
            "{} {} {}",
            r.title,
            r.body,
            r.answer.clone().unwrap_or_default()
        )
        .to_lowercase();
        t.contains("python") && t.contains("indent")
    }));
    let fallback = ids(&index, q("indentation zzyzxq"));
    assert!(
        fallback
            .iter()
            .any(|id| rows[*id as usize - 1].title.contains("indentation")),
        "{fallback:?}"
    );
    let typo = ids(&index, q("statment"));
    assert!(
        typo.iter()
            .any(|id| rows[*id as usize - 1].title.contains("statement")),
        "typo: {typo:?}"
    );
    let ru_typo = ids(&index, q("клиентв"));
    assert!(!ru_typo.is_empty(), "Cyrillic typo");
    for bad in [
        "\"unclosed",
        "(((",
        "title:",
        "AND",
        "tag:",
        "OR OR",
        "*",
        "a:b:c",
        "[1 TO",
        "^2",
    ] {
        assert!(index.search(&q(bad)).is_ok(), "{bad}");
    }
    let page2 = index
        .search(&SearchQuery {
            page: 2,
            ..q("python")
        })
        .unwrap();
    assert_eq!(page2.total, all.total);
    assert!(
        page2
            .hits
            .iter()
            .all(|h| !all.hits.iter().any(|a| a.id == h.id)),
        "pages do not overlap"
    );
}

fn thread(id: i64, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Thread,
        id,
        title: title.into(),
        body: body.into(),
        answer: None,
        replies: vec![],
        tags: vec!["printing".into()],
        category: "support".into(),
        visible_to: 0,
        status: "open".into(),
        solved: false,
        votes: 0,
        created_at: 0,
        updated_at: 1_700_000_000_000,
        url: format!("/t/{id}"),
    }
}

#[test]
fn solved_and_articles_rank_first_and_private_stays_hidden() {
    let index = SearchIndex::open_in_ram().unwrap();
    let text = (
        "Printer shows offline status",
        "The office printer shows offline after sleep.",
    );
    index.upsert(&thread(1, text.0, text.1)).unwrap();
    index
        .upsert(&SearchDoc {
            solved: true,
            status: "solved".into(),
            ..thread(2, text.0, text.1)
        })
        .unwrap();
    index
        .upsert(&SearchDoc {
            kind: DocKind::Article,
            status: "published".into(),
            ..thread(3, text.0, text.1)
        })
        .unwrap();
    index
        .upsert(&SearchDoc {
            visible_to: 1,
            category: "staff".into(),
            tags: vec!["secret".into()],
            ..thread(4, text.0, text.1)
        })
        .unwrap();
    index.commit(None).unwrap();
    let hits = index.search(&q("printer offline")).unwrap();
    assert_eq!(
        hits.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![3, 2, 1]
    );
    assert_eq!(hits.hits[0].kind, DocKind::Article);
    assert_eq!(hits.total, 3);
    assert!(!hits.facets.categories.iter().any(|(c, _)| c == "staff"));
    assert!(!hits.facets.tags.iter().any(|(t, _)| t == "secret"));
    let staff = index
        .search(&SearchQuery {
            viewer_level: 1,
            ..q("printer offline")
        })
        .unwrap();
    assert_eq!(staff.total, 4);
    let similar = index.similar("printer offline", "", 0, 5).unwrap();
    assert_eq!(
        similar.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![3, 2, 1]
    );
    assert!(index.similar("  ", "", 0, 5).unwrap().is_empty());
    assert_eq!(index.similar("printer", "", 1, 5).unwrap().len(), 4);
    // A moderators-only board: agents do not find it, moderators do.
    index
        .upsert(&SearchDoc {
            visible_to: 2,
            category: "moderators".into(),
            ..thread(5, text.0, text.1)
        })
        .unwrap();
    index.commit(None).unwrap();
    let total_for = |viewer_level| {
        index
            .search(&SearchQuery {
                viewer_level,
                ..q("printer offline")
            })
            .unwrap()
            .total
    };
    assert_eq!(
        (total_for(0), total_for(1), total_for(2), total_for(3)),
        (3, 4, 5, 5)
    );
    assert_eq!(index.similar("printer", "", 1, 5).unwrap().len(), 4);
}

#[test]
fn snippets_are_escaped_and_highlighted() {
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&thread(
            1,
            "Script error",
            "Pasting <script>alert('x')</script> into the editor breaks the printer page",
        ))
        .unwrap();
    index.commit(None).unwrap();
    let hit = &index.search(&q("editor printer")).unwrap().hits[0];
    assert!(
        !hit.snippet_html.contains("<script"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("&lt;script&gt;"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("<b>editor</b>"),
        "{}",
        hit.snippet_html
    );
}

#[test]
fn upsert_replaces_delete_removes_cursor_persists() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        index
            .upsert(&thread(1, "Router reboots nightly", "at 3am"))
            .unwrap();
        index
            .upsert(&thread(2, "Router firmware", "update failed"))
            .unwrap();
        index.commit(Some("7:42")).unwrap();
        index
            .upsert(&thread(1, "Modem reboots nightly", "at 3am"))
            .unwrap();
        index.delete(DocKind::Thread, 2).unwrap();
        index.commit(Some("7:43")).unwrap();
        assert_eq!(ids(&index, q("router")), Vec::<i64>::new());
        assert_eq!(ids(&index, q("modem")), vec![1]);
        assert_eq!(index.num_docs(), 1);
    }
    let reopened = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(
        reopened.committed_cursor().unwrap().as_deref(),
        Some("7:43")
    );
    assert_eq!(ids(&reopened, q("modem")), vec![1]);
    // Uncommitted changes are not durable.
    reopened
        .upsert(&thread(3, "Lost on crash", "never committed"))
        .unwrap();
    drop(reopened);
    let again = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(ids(&again, q("crash")), Vec::<i64>::new());
}

#[test]
fn generational_rebuild_swaps_while_searches_continue() {
    let dir = tempfile::tempdir().unwrap();
    let rows = corpus();
    let index = Arc::new(search::open_generational(dir.path()).unwrap());
    for (i, r) in rows.iter().enumerate() {
        index.upsert(&doc(i as i64 + 1, r)).unwrap();
    }
    index.commit(Some("3:9")).unwrap();
    let queries = [
        "python indentation",
        "клиенты",
        "клієнтів",
        "مشتری",
        "tag:fa",
        "is:solved",
    ];
    let before: Vec<Vec<i64>> = queries.iter().map(|t| ids(&index, q(t))).collect();

    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let reader = {
        let (index, stop, served) = (index.clone(), stop.clone(), served.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let r = index.search(&q("python")).expect("search during rebuild");
                assert!(r.total > 0, "never an empty index mid-swap");
                served.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let docs: Vec<SearchDoc> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| doc(i as i64 + 1, r))
        .collect();
    let n = index.rebuild(docs, Some("5:10"), |_| {}).unwrap();
    stop.store(true, Ordering::SeqCst);
    reader.join().unwrap();
    assert_eq!(n, rows.len() as u64);
    assert!(served.load(Ordering::SeqCst) > 0);
    let after: Vec<Vec<i64>> = queries.iter().map(|t| ids(&index, q(t))).collect();
    assert_eq!(before, after, "a rebuild gives identical results");
    assert_eq!(index.committed_cursor().unwrap().as_deref(), Some("5:10"));

    // Another process (a second handle on the same directory) sees the swap.
    let other = search::open_generational(dir.path()).unwrap();
    assert_eq!(other.num_docs(), rows.len() as u64);
    let third = search::open_generational(dir.path()).unwrap();
    index
        .rebuild(vec![thread(1, "Only one left", "x")], Some("6:1"), |_| {})
        .unwrap();
    assert!(third.refresh_generation().unwrap(), "the swap is noticed");
    assert_eq!(third.num_docs(), 1);
    assert!(!third.refresh_generation().unwrap());
    let gens = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("gen-")
        })
        .count();
    assert!(gens <= 2, "old generations are cleaned up ({gens})");
}
