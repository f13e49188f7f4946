//! The relevance floor: Hearth's ranking of the development set
//! (`bench/data/relevance`, over the shared corpus and 2,000 distractors)
//! may not fall below the figures it reached when they were last raised,
//! per category. `hearth-bench relevance` prints the whole table beside
//! SQLite FTS5 and PostgreSQL baselines.

use search::relevance::{by_category, distractors, hearth_rankings, load_corpus, load_queries};

/// MRR@10 per category, a little under the last measured figures (the
/// ranking is deterministic: a fall is a regression; an improvement
/// raises them). Measured 2026-12-01 with Persian pairs joined, title
/// boost ×1.5, proximity, question-titled distractors: all 0.635,
/// cross_lingual 0.033, lexical 0.975, misspelt 0.650, paraphrased 0.267,
/// partial 0.860, persian_variants 1.000, question 0.748.
const FLOORS: &[(&str, f64)] = &[
    ("all", 0.62),
    ("cross_lingual", 0.02),
    ("lexical", 0.96),
    ("misspelt", 0.635),
    ("paraphrased", 0.25),
    ("partial", 0.845),
    ("persian_variants", 0.98),
    ("question", 0.73),
];

#[test]
fn relevance_does_not_regress() {
    let queries = load_queries(&search::relevance::dev_set_path()).expect("development set");
    let mut docs = load_corpus(&search::sample_corpus_dir()).expect("shared corpus");
    let extra = distractors(&docs, 2000);
    docs.extend(extra);
    let rankings = hearth_rankings(&docs, &queries).expect("rankings");
    let scores = by_category(&queries, &rankings);
    println!(
        "{}",
        search::relevance::table(&[("hearth", scores.clone())])
    );
    assert_eq!(
        scores["all"].queries, 206,
        "every query with an answer counted"
    );
    for (category, floor) in FLOORS {
        let got = scores.get(*category).map_or(0.0, |s| s.mrr10);
        assert!(
            got >= *floor,
            "{category}: MRR@10 {got:.3} fell below {floor:.3}"
        );
    }
}
