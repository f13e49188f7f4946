//! Relevance (issue 19): the development set (`bench/data/relevance`)
//! over the shared corpus plus 2,000 distractors, ranked by Hearth's
//! search and, in the same run on the same documents, by two baselines:
//! SQLite FTS5 (bm25, porter + unicode61, title weighted ×3, the query's
//! words OR-ed) and PostgreSQL full-text search (a weighted tsvector,
//! title A and body/answer B, the document's and the query's language
//! configuration where PostgreSQL has one, else `simple`, words OR-ed,
//! `ts_rank_cd`). Prints MRR@10, nDCG@10 and recall@5/@10 per category.
//!
//!     cargo run --release -p hearth-bench -- relevance [--backends sqlite,postgres]

use std::collections::BTreeMap;

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use search::relevance::{
    by_category, distractors, hearth_rankings, load_corpus, load_queries, table, DevQuery, EvalDoc,
    Scores,
};

use crate::Options;

/// Distractor documents added to the corpus.
const DISTRACTORS: usize = 2000;

pub fn run(o: &Options) -> anyhow::Result<()> {
    let queries = load_queries(&search::relevance::dev_set_path())?;
    let mut docs = load_corpus(&search::sample_corpus_dir())?;
    let corpus = docs.len();
    docs.extend(distractors(&docs, DISTRACTORS));
    println!(
        "relevance bench: {} queries ({} with an answer), {corpus} corpus documents + {DISTRACTORS} distractors",
        queries.len(),
        queries.iter().filter(|q| !q.expected.is_empty()).count()
    );
    let mut engines: Vec<(&str, BTreeMap<String, Scores>)> = Vec::new();
    let started = std::time::Instant::now();
    engines.push((
        "Hearth",
        by_category(&queries, &hearth_rankings(&docs, &queries)?),
    ));
    println!("Hearth: {:.1}s", started.elapsed().as_secs_f64());
    if o.backends.iter().any(|b| b == "sqlite") {
        engines.push((
            "SQLite FTS5",
            by_category(&queries, &fts5_rankings(&docs, &queries)?),
        ));
    }
    if o.backends.iter().any(|b| b == "postgres") {
        match pg_rankings(&docs, &queries) {
            Ok(r) => engines.push(("PostgreSQL FTS", by_category(&queries, &r))),
            Err(e) => println!("PostgreSQL baseline failed: {e:#}"),
        }
    }
    println!("{}", table(&engines));
    let (hearth, rest) = engines.split_first().context("no engine")?;
    for (name, scores) in rest {
        let behind: Vec<&String> = hearth
            .1
            .iter()
            .filter(|(c, s)| scores.get(*c).is_some_and(|b| s.mrr10 < b.mrr10))
            .map(|(c, _)| c)
            .collect();
        println!(
            "{}: Hearth's MRR@10 at least {name}'s in every category (issue 19){}",
            if behind.is_empty() { "PASS" } else { "FAIL" },
            if behind.is_empty() {
                String::new()
            } else {
                format!("; behind in {behind:?}")
            }
        );
    }
    Ok(())
}

/// The query's words (letters, digits, ZWNJ), lower-cased, for OR queries.
fn words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric() && c != '\u{200c}')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

fn fts5_rankings(docs: &[EvalDoc], queries: &[DevQuery]) -> anyhow::Result<Vec<Vec<String>>> {
    let mut conn = SqliteConnection::establish(":memory:")?;
    conn.batch_execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, answer, tokenize = 'porter unicode61 remove_diacritics 2')",
    )
    .context("FTS5 (is it compiled into this SQLite?)")?;
    for (i, d) in docs.iter().enumerate() {
        diesel::sql_query("INSERT INTO docs (rowid, title, body, answer) VALUES (?, ?, ?, ?)")
            .bind::<BigInt, _>(i as i64)
            .bind::<Text, _>(&d.title)
            .bind::<Text, _>(&d.body)
            .bind::<Text, _>(&d.answer)
            .execute(&mut conn)?;
    }
    queries
        .iter()
        .map(|q| {
            let terms: Vec<String> = words(&q.query)
                .iter()
                .map(|w| format!("\"{}\"", w.replace('"', "")))
                .collect();
            if terms.is_empty() {
                return Ok(Vec::new());
            }
            let rows: Vec<Row> = diesel::sql_query(
                "SELECT rowid AS id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 3.0, 1.0, 1.0) LIMIT 10",
            )
            .bind::<Text, _>(terms.join(" OR "))
            .load(&mut conn)?;
            Ok(rows
                .iter()
                .filter_map(|r| docs.get(r.id as usize).map(|d| d.id.clone()))
                .collect())
        })
        .collect()
}

/// PostgreSQL's text search configuration for a language, where it has one.
fn pg_config(lang: &str) -> &'static str {
    match lang {
        "en" => "english",
        "ru" => "russian",
        _ => "simple",
    }
}

fn pg_rankings(docs: &[EvalDoc], queries: &[DevQuery]) -> anyhow::Result<Vec<Vec<String>>> {
    let schema = format!("hearth_relevance_{}", std::process::id());
    let url = crate::pg_schema_url(&schema, true)?;
    let mut conn = PgConnection::establish(&url)?;
    conn.batch_execute("CREATE TABLE docs (id BIGINT PRIMARY KEY, tsv TSVECTOR NOT NULL)")?;
    for (i, d) in docs.iter().enumerate() {
        diesel::sql_query(
            "INSERT INTO docs (id, tsv) VALUES ($1, \
             setweight(to_tsvector($2::regconfig, $3), 'A') || \
             setweight(to_tsvector($2::regconfig, $4), 'B'))",
        )
        .bind::<BigInt, _>(i as i64)
        .bind::<Text, _>(pg_config(&d.lang))
        .bind::<Text, _>(&d.title)
        .bind::<Text, _>(format!("{} {}", d.body, d.answer))
        .execute(&mut conn)?;
    }
    let rankings = queries
        .iter()
        .map(|q| {
            let text = words(&q.query).join(" ");
            let rows: Vec<Row> = diesel::sql_query(
                "WITH q AS (SELECT to_tsquery($1::regconfig, \
                     coalesce(nullif(replace(plainto_tsquery($1::regconfig, $2)::text, '&', '|'), ''), 'zzzz')) AS q) \
                 SELECT docs.id FROM docs, q WHERE docs.tsv @@ q.q \
                 ORDER BY ts_rank_cd(docs.tsv, q.q) DESC, docs.id LIMIT 10",
            )
            .bind::<Text, _>(pg_config(&q.lang))
            .bind::<Text, _>(text)
            .load(&mut conn)?;
            Ok(rows
                .iter()
                .filter_map(|r| docs.get(r.id as usize).map(|d| d.id.clone()))
                .collect())
        })
        .collect::<anyhow::Result<Vec<Vec<String>>>>();
    let _ = conn.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    rankings
}
