//! Queries: ranked search with inline filters and facets, and similar
//! questions for the ask page.

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, QueryParser,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Score, Searcher, SegmentReader, TantivyDocument, Term};

use crate::{analysis, DocKind, SearchError, SearchIndex};

/// Neighbouring query words found at most this many positions apart
/// count as "together" (`text_query`).
const PROXIMITY_SLOP: u32 = 5;
/// Their extra weight, against the words' own BM25.
const PROXIMITY_BOOST: f32 = 0.5;
/// Word pairs of a long query looked at (the first ones).
const PROXIMITY_PAIRS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    AllWords,
    AnyWord,
    Fuzzy,
}

#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub status: Option<String>,
    /// `thread`, `idea` or `article`.
    pub kind: Option<String>,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
    /// The searcher's role level (`forum::Role::level`; 0 for visitors):
    /// documents visible only to higher roles are left out.
    pub viewer_level: u8,
    /// Leave facet counts out (cheaper, for clients that do not show them).
    pub skip_facets: bool,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Facets {
    pub categories: Vec<(String, u64)>,
    pub tags: Vec<(String, u64)>,
    pub statuses: Vec<(String, u64)>,
    /// Threads, ideas and articles.
    pub kinds: Vec<(String, u64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub kind: DocKind,
    pub id: i64,
    pub title: String,
    /// Escaped text with matches in `<b>`.
    pub snippet_html: String,
    pub score: f32,
    pub url: String,
    pub category: String,
    pub status: String,
    pub solved: bool,
    pub language: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
    /// How the words matched: every word (the default), or, when nothing
    /// had them all, any word or near spellings; a page says so.
    pub matched: Matched,
}

/// How a search's words matched the results it returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Matched {
    /// Every word (or no words, only filters).
    #[default]
    AllWords,
    /// Nothing had every word: results with any of them.
    AnyWord,
    /// Nothing had any word as typed: results with near spellings.
    NearWords,
}

/// Text and inline filters (`tag:`, `category:`, `status:`, `is:`, `kind:`) split
/// apart. Filters inside quotes stay text.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Parsed {
    pub text: String,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
}

pub(crate) fn parse_filters(input: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut words: Vec<String> = Vec::new();
    let mut in_quotes = false;
    for word in input.split_whitespace() {
        let quotes = word.matches('"').count();
        if !in_quotes {
            let lower = word.to_lowercase();
            let filter = |prefix: &str| {
                lower
                    .strip_prefix(prefix)
                    .filter(|v| !v.is_empty())
                    .map(String::from)
            };
            if let Some(v) = filter("tag:") {
                p.tag = Some(v.trim_start_matches('#').to_string());
                continue;
            }
            if let Some(v) = filter("category:") {
                p.category = Some(v);
                continue;
            }
            if let Some(v) = filter("status:") {
                p.status = Some(v);
                continue;
            }
            if let Some(v) = filter("is:") {
                p.status = Some(v);
                continue;
            }
            if let Some(v) = filter("kind:") {
                p.kind = Some(v);
                continue;
            }
        }
        if quotes % 2 == 1 {
            in_quotes = !in_quotes;
        }
        words.push(word.to_string());
    }
    p.text = words.join(" ");
    p
}

/// Keep phrases and exclusions; drop every other piece of query syntax, so
/// a colon or bracket a customer types is just punctuation.
fn sanitise(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| match c {
            ':' | '(' | ')' | '[' | ']' | '{' | '}' | '^' | '~' | '\\' | '!' | '*' | '?' | '/'
            | '+' | '\'' | '<' | '>' | '=' | '&' | '|' => ' ',
            c => c,
        })
        .collect();
    if out.matches('"').count() % 2 == 1 {
        if let Some(i) = out.rfind('"') {
            out.replace_range(i..i + 1, " ");
        }
    }
    // Operators typed as words are words; a dash only excludes at a word start.
    let out = out
        .split_whitespace()
        .map(|w| match w {
            "AND" | "OR" | "NOT" | "IN" => w.to_lowercase(),
            "-" => String::new(),
            _ => w.to_string(),
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    analysis::join_persian_morphemes(&out)
}

impl SearchIndex {
    fn parser(&self, index: &tantivy::Index, all_words: bool) -> QueryParser {
        let f = &self.fields;
        let mut p = QueryParser::for_index(
            index,
            vec![f.title, f.body, f.answer, f.replies, f.tags_text],
        );
        // Tuned on the relevance development set (`hearth-bench
        // relevance`): tantivy weighs a word by its rarity in each field,
        // so a heavy title boost let common words that are rare in titles
        // ("my", "run") outrank the answer; title ×3 → ×1.5 raised MRR@10
        // from 0.580 to 0.617 (paraphrased 0.157 → 0.225).
        p.set_field_boost(f.title, 1.5);
        p.set_field_boost(f.answer, 1.5);
        p.set_field_boost(f.replies, 0.5);
        p.set_field_boost(f.tags_text, 2.0);
        if all_words {
            p.set_conjunction_by_default();
        }
        p
    }

    /// The text part: BM25 over all text fields, plus fuzzy variants of the
    /// words in short queries so a typo still finds something.
    /// How hard a pass tries: every word, any word, any word or a near miss.
    fn text_query(&self, index: &tantivy::Index, text: &str, pass: Pass) -> Option<Box<dyn Query>> {
        let clean = sanitise(text);
        if clean.is_empty() {
            return None;
        }
        let (parsed, _errors) = self
            .parser(index, pass == Pass::AllWords)
            .parse_query_lenient(&clean);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, parsed)];
        // Typo tolerance only for words outside quotes: a phrase means exact.
        let unquoted: String = clean.split('"').step_by(2).collect::<Vec<_>>().join(" ");
        let words: Vec<String> = analysis::terms(&unquoted);
        if pass == Pass::Fuzzy && words.len() <= 3 {
            for w in &words {
                let n = w.chars().count();
                let distance = match n {
                    0..=3 => continue,
                    4..=7 => 1,
                    _ => 2,
                };
                for field in [self.fields.title, self.fields.body, self.fields.answer] {
                    let fuzzy =
                        FuzzyTermQuery::new(Term::from_field_text(field, w), distance, true);
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(fuzzy), 0.3)),
                    ));
                }
            }
        }
        let matches: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
        // Proximity: neighbouring words of the query found near each other
        // (within `PROXIMITY_SLOP`) score extra; it ranks, never widens
        // what matches. Tuned on the relevance development set: MRR@10
        // 0.617 → 0.635 (question-style 0.729 → 0.748); it costs about a
        // tenth more time on multi-word searches (see the issue 19 note).
        if words.len() < 2 {
            return Some(matches);
        }
        let mut ranked: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, matches)];
        for pair in words.windows(2).take(PROXIMITY_PAIRS) {
            for field in [self.fields.title, self.fields.body, self.fields.answer] {
                let mut near = PhraseQuery::new(vec![
                    Term::from_field_text(field, &pair[0]),
                    Term::from_field_text(field, &pair[1]),
                ]);
                near.set_slop(PROXIMITY_SLOP);
                ranked.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(near), PROXIMITY_BOOST)),
                ));
            }
        }
        Some(Box::new(BooleanQuery::new(ranked)))
    }

    fn filtered(
        &self,
        text: Option<Box<dyn Query>>,
        p: &Parsed,
        viewer_level: u8,
    ) -> Box<dyn Query> {
        let f = &self.fields;
        let exact = |field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, text.unwrap_or_else(|| Box::new(AllQuery)))];
        if let Some(c) = &p.category {
            clauses.push((Occur::Must, exact(f.category, c)));
        }
        if let Some(t) = &p.tag {
            clauses.push((Occur::Must, exact(f.tag, &t.to_lowercase())));
        }
        if let Some(k) = &p.kind {
            clauses.push((Occur::Must, exact(f.kind, k)));
        }
        match p.status.as_deref() {
            None => {}
            Some("unsolved") => clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.solved, 1),
                    IndexRecordOption::Basic,
                )),
            )),
            Some(s) => clauses.push((Occur::Must, exact(f.status, s))),
        }
        // The field holds the least role level that sees the document
        // (documents indexed before levels existed hold 1: agents and up).
        for hidden in u64::from(viewer_level) + 1..=3 {
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.private, hidden),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Search with BM25, then re-rank: the final score is
    ///
    /// `bm25 × (1.5 if solved) × (2.0 if KB article) × (1 + 0.1·ln(1 + votes)) × (1 + age_days/365)^-0.3`
    ///
    /// so a solved answer or a curated article beats an otherwise equal open
    /// thread, kudos help a little, and a year of age costs about 19%.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let mut parsed = parse_filters(&q.text);
        parsed.category = q.category.clone().or(parsed.category);
        parsed.tag = q.tag.clone().or(parsed.tag);
        parsed.status = q.status.clone().or(parsed.status);
        parsed.kind = q.kind.clone().or(parsed.kind);
        let generation = self.read()?;
        let searcher = generation.reader.searcher();
        let per_page = q.per_page.clamp(1, 100);
        let offset = q.page.max(1).saturating_sub(1).saturating_mul(per_page);
        if offset.saturating_add(per_page) > crate::MAX_RESULT_WINDOW {
            return Err(SearchError::PastWindow);
        }
        let skip_facets = q.skip_facets;
        let facet_collector = || {
            (!skip_facets).then(|| {
                let mut facets = FacetCollector::for_field("facets");
                facets.add_facet("/category");
                facets.add_facet("/tag");
                facets.add_facet("/status");
                facets.add_facet("/kind");
                facets
            })
        };
        // Every word first (cheap, and what a search box means); any word
        // only when that finds nothing; near misses only after that, as fuzzy
        // automata and wide ORs cost far more than the search itself. Each pass is the
        // full search, so the common case runs exactly one.
        let text = self.text_query(&generation.index, &parsed.text, Pass::AllWords);
        let has_text = text.is_some();
        let mut query = self.filtered(text, &parsed, q.viewer_level);
        let mut matched = Matched::AllWords;
        let (top_docs, total, facet_counts) = if has_text {
            let words = sanitise(&parsed.text);
            let unquoted: String = words.split('"').step_by(2).collect::<Vec<_>>().join(" ");
            let unquoted_terms = analysis::terms(&unquoted);
            let mut passes = Vec::new();
            if unquoted_terms.len() > 1 {
                passes.push(Pass::AnyWord);
            }
            if (1..=3).contains(
                &unquoted_terms
                    .iter()
                    .filter(|w| w.chars().count() >= 4)
                    .count(),
            ) {
                passes.push(Pass::Fuzzy);
            }
            let mut result = searcher.search(
                &query,
                &(ranked(now_ms(), per_page, offset), Count, facet_collector()),
            )?;
            for pass in passes {
                if result.1 > 0 {
                    break;
                }
                matched = match pass {
                    Pass::AllWords => Matched::AllWords,
                    Pass::AnyWord => Matched::AnyWord,
                    Pass::Fuzzy => Matched::NearWords,
                };
                query = self.filtered(
                    self.text_query(&generation.index, &parsed.text, pass),
                    &parsed,
                    q.viewer_level,
                );
                result = searcher.search(
                    &query,
                    &(ranked(now_ms(), per_page, offset), Count, facet_collector()),
                )?;
            }
            let (docs, total, facets) = result;
            (
                docs.into_iter().map(|((s, _), a)| (s, a)).collect(),
                total,
                facets,
            )
        } else {
            // Without words to rank by, newest first (deterministic, and what
            // a filter like `tag:billing` is for).
            let newest = TopDocs::with_limit(per_page)
                .and_offset(offset)
                .custom_score(|segment: &SegmentReader| {
                    let updated = segment.fast_fields().i64("updated_at").ok();
                    let id = segment.fast_fields().i64("id").ok();
                    move |doc| {
                        let get = |c: &Option<tantivy::columnar::Column<i64>>| {
                            c.as_ref().and_then(|c| c.first(doc)).unwrap_or(0)
                        };
                        // Ties go to the lower id, so any two indexes agree.
                        (get(&updated), -get(&id))
                    }
                });
            let (docs, total, facets) =
                searcher.search(&query, &(newest, Count, facet_collector()))?;
            (
                docs.into_iter().map(|(_, a)| (1.0, a)).collect(),
                total,
                facets,
            )
        };
        let hits = self.hits(&searcher, &*query, has_text, top_docs)?;
        let read = |prefix: &str| -> Vec<(String, u64)> {
            let Some(counts) = &facet_counts else {
                return Vec::new();
            };
            let mut v: Vec<(String, u64)> = counts
                .get(prefix)
                .filter_map(|(facet, n)| facet.to_path().last().map(|s| (s.to_string(), n)))
                .collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.truncate(20);
            v
        };
        Ok(SearchResults {
            // Widening that found nothing either is still "no results".
            matched: if total == 0 {
                Matched::AllWords
            } else {
                matched
            },
            total,
            hits,
            facets: Facets {
                categories: read("/category"),
                tags: read("/tag"),
                statuses: read("/status"),
                kinds: read("/kind"),
            },
        })
    }

    fn hits(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        has_text: bool,
        top: Vec<(Score, DocAddress)>,
    ) -> Result<Vec<SearchHit>, SearchError> {
        let f = &self.fields;
        let snippets = if has_text {
            let mut gens = Vec::new();
            for field in [f.answer, f.body] {
                let mut g = SnippetGenerator::create(searcher, query, field)?;
                g.set_max_num_chars(220);
                gens.push((field, g));
            }
            gens
        } else {
            Vec::new()
        };
        let mut out = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let mut snippet_html = String::new();
            for (field, g) in &snippets {
                // Only the opening of long texts: re-analysing whole posts for
                // every hit was the largest cost of a search.
                let full = text(*field);
                let head = match full.char_indices().nth(SNIPPET_SCAN_CHARS) {
                    Some((i, _)) => &full[..i],
                    None => full.as_str(),
                };
                let s = g.snippet(head);
                if !s.highlighted().is_empty() {
                    snippet_html = s.to_html();
                    break;
                }
            }
            if snippet_html.is_empty() {
                let body = text(f.body);
                let cut: String = body.chars().take(200).collect();
                snippet_html = escape_html(&cut);
            }
            out.push(SearchHit {
                kind: DocKind::from_stored(&text(f.kind)),
                id: doc.get_first(f.id).and_then(|v| v.as_i64()).unwrap_or(0),
                title: text(f.title),
                snippet_html,
                score,
                url: text(f.url),
                category: text(f.category),
                status: text(f.status),
                solved: doc.get_first(f.solved).and_then(|v| v.as_u64()) == Some(1),
                language: text(f.language),
            });
        }
        Ok(out)
    }

    /// Existing threads and articles like a question being typed, solved
    /// ones and articles first. Empty input gives an empty list.
    pub fn similar(
        &self,
        title: &str,
        body: &str,
        viewer_level: u8,
        limit: usize,
    ) -> Result<Vec<SearchHit>, SearchError> {
        let title_terms = analysis::terms(title);
        let body_start: String = body.chars().take(300).collect();
        let body_terms = analysis::terms(&body_start);
        if title_terms.is_empty() && body_terms.is_empty() {
            return Ok(Vec::new());
        }
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let term_query = |field, t: &str, boost: f32| -> Box<dyn Query> {
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                )),
                boost,
            ))
        };
        for t in title_terms.iter().take(30) {
            clauses.push((Occur::Should, term_query(f.title, t, 3.0)));
            clauses.push((Occur::Should, term_query(f.body, t, 1.0)));
            clauses.push((Occur::Should, term_query(f.answer, t, 1.5)));
        }
        for t in body_terms.iter().take(40) {
            clauses.push((Occur::Should, term_query(f.title, t, 1.0)));
            clauses.push((Occur::Should, term_query(f.body, t, 0.5)));
        }
        let text: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
        let query = self.filtered(Some(text), &Parsed::default(), viewer_level);
        let generation = self.read()?;
        let searcher = generation.reader.searcher();
        let limit = limit.clamp(1, 20);
        let top: Vec<(Score, DocAddress)> = searcher
            .search(&query, &ranked(now_ms(), limit * 3, 0))?
            .into_iter()
            .map(|((s, _), a)| (s, a))
            .collect();
        let mut hits = self.hits(&searcher, &*query, true, top)?;
        // Among comparable matches, what already has an answer leads.
        let best = hits.first().map_or(0.0, |h| h.score);
        hits.sort_by(|a, b| {
            let lead =
                |h: &SearchHit| (h.solved || h.kind == DocKind::Article) && h.score * 2.0 >= best;
            lead(b).cmp(&lead(a)).then(b.score.total_cmp(&a.score))
        });
        hits.truncate(limit);
        Ok(hits)
    }
}

const SNIPPET_SCAN_CHARS: usize = 700;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Top docs by the boosted score documented on [`SearchIndex::search`],
/// ties to the lower id.
fn ranked(now: i64, limit: usize, offset: usize) -> Ranked {
    Ranked {
        now,
        keep: limit + offset,
        offset,
    }
}

/// A top-k collector that applies the ranking boosts only to documents that
/// could still enter the top k. The boosts are bounded per segment (solved,
/// article, the segment's most votes, recency ≤ 1), so a match whose BM25
/// times that bound is below the current k-th score is skipped without
/// reading a fast field: with common words that is nearly every match.
struct Ranked {
    now: i64,
    keep: usize,
    offset: usize,
}

type RankKey = (Score, i64);

/// Heap entry ordered so the heap's top is the worst kept document.
#[derive(Clone, Copy)]
struct Kept {
    score: Score,
    neg_id: i64,
    doc: tantivy::DocId,
}

impl Kept {
    fn beats(&self, other: &Kept) -> bool {
        self.score
            .total_cmp(&other.score)
            .then(self.neg_id.cmp(&other.neg_id))
            .is_gt()
    }
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Kept {}
impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Kept {
    // Reversed: BinaryHeap is a max-heap and the top must be the worst.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(other.neg_id.cmp(&self.neg_id))
    }
}

struct RankedSegment {
    segment: tantivy::SegmentOrdinal,
    keep: usize,
    now: i64,
    max_boost: f32,
    ids: std::sync::Arc<dyn tantivy::columnar::ColumnValues<i64>>,
    solved: std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>,
    article: std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>,
    votes: std::sync::Arc<dyn tantivy::columnar::ColumnValues<i64>>,
    updated: std::sync::Arc<dyn tantivy::columnar::ColumnValues<i64>>,
    /// ln(1 + votes) for small vote counts, the common case.
    vote_boost: [f32; 64],
    heap: std::collections::BinaryHeap<Kept>,
}

impl RankedSegment {
    fn boosted(&self, doc: tantivy::DocId, score: Score) -> Score {
        let mut s = score;
        if self.solved.get_val(doc) == 1 {
            s *= 1.5;
        }
        if self.article.get_val(doc) == 1 {
            s *= 2.0;
        }
        let votes = self.votes.get_val(doc).max(0);
        s *= match self.vote_boost.get(votes as usize) {
            Some(b) => *b,
            None => 1.0 + 0.1 * (1.0 + votes as f32).ln(),
        };
        let age_days = ((self.now - self.updated.get_val(doc)).max(0) as f32) / 86_400_000.0;
        s * (1.0 + age_days / 365.0).powf(-0.3)
    }
}

impl tantivy::collector::SegmentCollector for RankedSegment {
    type Fruit = Vec<(RankKey, DocAddress)>;

    fn collect(&mut self, doc: tantivy::DocId, score: Score) {
        if self.keep == 0 {
            return;
        }
        if self.heap.len() == self.keep {
            if let Some(worst) = self.heap.peek() {
                // Ties are decided by id, so only a strictly lower bound may skip.
                if score * self.max_boost < worst.score {
                    return;
                }
            }
        }
        let candidate = Kept {
            score: self.boosted(doc, score),
            neg_id: -self.ids.get_val(doc),
            doc,
        };
        if self.heap.len() < self.keep {
            self.heap.push(candidate);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if candidate.beats(&worst) {
                *worst = candidate;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let segment = self.segment;
        self.heap
            .into_iter()
            .map(|k| ((k.score, k.neg_id), DocAddress::new(segment, k.doc)))
            .collect()
    }
}

impl tantivy::collector::Collector for Ranked {
    type Fruit = Vec<(RankKey, DocAddress)>;
    type Child = RankedSegment;

    fn for_segment(
        &self,
        segment: tantivy::SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<RankedSegment> {
        let fast = reader.fast_fields();
        let ids = fast.i64("id")?;
        let votes = fast.i64("votes")?;
        let max_votes = votes.max_value().max(0) as f32;
        let mut vote_boost = [1.0f32; 64];
        for (v, b) in vote_boost.iter_mut().enumerate() {
            *b = 1.0 + 0.1 * (1.0 + v as f32).ln();
        }
        Ok(RankedSegment {
            segment,
            keep: self.keep,
            now: self.now,
            // Recency only ever lowers a score, so it is left out of the bound.
            max_boost: 1.5 * 2.0 * (1.0 + 0.1 * (1.0 + max_votes).ln()),
            ids: ids.first_or_default_col(0),
            solved: fast.u64("solved")?.first_or_default_col(0),
            article: fast.u64("article")?.first_or_default_col(0),
            votes: votes.first_or_default_col(0),
            updated: fast.i64("updated_at")?.first_or_default_col(0),
            vote_boost,
            heap: std::collections::BinaryHeap::with_capacity(self.keep.min(1024)),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(RankKey, DocAddress)>>,
    ) -> tantivy::Result<Vec<(RankKey, DocAddress)>> {
        let mut all: Vec<(RankKey, DocAddress)> = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| b.0 .0.total_cmp(&a.0 .0).then(b.0 .1.cmp(&a.0 .1)));
        Ok(all
            .into_iter()
            .skip(self.offset)
            .take(self.keep - self.offset)
            .collect())
    }
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_filters_are_pulled_out() {
        let p = parse_filters("printer tag:Hardware is:solved category:support \"tag:literal\"");
        assert_eq!(p.text, "printer \"tag:literal\"");
        assert_eq!(p.tag.as_deref(), Some("hardware"));
        assert_eq!(p.status.as_deref(), Some("solved"));
        assert_eq!(p.category.as_deref(), Some("support"));
        assert_eq!(parse_filters("tag:").text, "tag:");
        assert_eq!(parse_filters("x kind:Idea").kind.as_deref(), Some("idea"));
    }

    #[test]
    fn syntax_is_neutralised() {
        assert_eq!(sanitise("title: (((x"), "title x");
        assert_eq!(sanitise("\"unclosed phrase"), "unclosed phrase");
        assert_eq!(sanitise("\"a b\" c"), "\"a b\" c");
        assert_eq!(sanitise("AND OR"), "and or");
        assert_eq!(sanitise("<script>"), "script");
    }

    /// The pruning collector must return exactly what a full sort would,
    /// page by page, whatever order the documents arrive in.
    #[test]
    fn pruned_pages_match_the_full_ranking() {
        let index = SearchIndex::open_in_ram().unwrap();
        let now = now_ms();
        for id in 1..=300i64 {
            let repeats = (id % 7 + 1) as usize;
            index
                .upsert(&crate::SearchDoc {
                    kind: if id % 11 == 0 {
                        DocKind::Article
                    } else {
                        DocKind::Thread
                    },
                    id,
                    title: format!("printer question {id}"),
                    body: "printer ".repeat(repeats) + "jams when printing labels",
                    answer: None,
                    replies: Vec::new(),
                    tags: Vec::new(),
                    category: "support".into(),
                    visible_to: 0,
                    status: "open".into(),
                    solved: id % 3 == 0,
                    votes: (id * 37) % 90,
                    created_at: now,
                    updated_at: now - (id % 13) * 86_400_000 * 30,
                    url: format!("/t/{id}"),
                })
                .unwrap();
        }
        index.commit(None).unwrap();
        let page = |page: usize, per_page: usize| -> Vec<i64> {
            index
                .search(&SearchQuery {
                    text: "printer labels".into(),
                    page,
                    per_page,
                    skip_facets: true,
                    ..SearchQuery::default()
                })
                .unwrap()
                .hits
                .iter()
                .map(|h| h.id)
                .collect()
        };
        let all: Vec<i64> = (1..=3).flat_map(|p| page(p, 100)).collect();
        assert_eq!(all.len(), 300);
        let paged: Vec<i64> = (1..=30).flat_map(|p| page(p, 10)).collect();
        assert_eq!(paged, all);
        assert_eq!(page(1, 5), all[..5].to_vec());
    }

    /// An open thread in "general" with `title` and `body`, for ranking tests.
    fn open_thread(id: i64, title: &str, body: &str) -> crate::SearchDoc {
        crate::SearchDoc {
            kind: DocKind::Thread,
            id,
            title: title.into(),
            body: body.into(),
            answer: None,
            replies: Vec::new(),
            tags: Vec::new(),
            category: "general".into(),
            visible_to: 0,
            status: "open".into(),
            solved: false,
            votes: 0,
            created_at: 0,
            updated_at: 0,
            url: format!("/t/{id}"),
        }
    }

    /// Words of the query found together rank above the same words
    /// scattered; proximity never adds a match.
    #[test]
    fn words_found_together_rank_first() {
        let index = SearchIndex::open_in_ram().unwrap();
        let bodies = [
            // Short, so plain BM25 prefers it; the words far apart.
            "network cable replaced last month and later the office printer \
             stopped, the whole floor complains the connection drops",
            // Longer, with the words side by side.
            "since the firmware update last week our shared network printer drops \
             every second job; we restarted it, cleared the queue, reinstalled \
             the driver on three laptops, checked the cabling and the switch \
             port, and asked the vendor, who had no idea what changed",
            "nothing in common with the query at all",
        ];
        for (i, body) in bodies.iter().enumerate() {
            index
                .upsert(&open_thread(
                    i as i64 + 1,
                    &format!("question {}", i + 1),
                    body,
                ))
                .unwrap();
        }
        index.commit(None).unwrap();
        let found: Vec<i64> = index
            .search(&SearchQuery {
                text: "network printer drops".into(),
                page: 1,
                per_page: 10,
                skip_facets: true,
                ..SearchQuery::default()
            })
            .unwrap()
            .hits
            .iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(found, vec![2, 1], "together first; no match for the third");
    }

    /// Persian writers put ZWNJ, a space or nothing between a word and
    /// its bound parts; each spelling finds the other two.
    #[test]
    fn persian_compounds_find_each_other_in_every_spelling() {
        let index = SearchIndex::open_in_ram().unwrap();
        let spellings = [
            "کتاب\u{200c}ها را می\u{200c}خواهم",
            "کتاب ها را می خواهم",
            "کتابها را میخواهم",
        ];
        for (i, text) in spellings.iter().enumerate() {
            index
                .upsert(&open_thread(i as i64 + 1, &format!("پرسش {}", i + 1), text))
                .unwrap();
        }
        index.commit(None).unwrap();
        for query in [
            "کتاب\u{200c}ها",
            "کتاب ها",
            "کتابها",
            "می\u{200c}خواهم",
            "می خواهم",
            "میخواهم",
        ] {
            let mut found: Vec<i64> = index
                .search(&SearchQuery {
                    text: query.into(),
                    page: 1,
                    per_page: 10,
                    skip_facets: true,
                    ..SearchQuery::default()
                })
                .unwrap()
                .hits
                .iter()
                .map(|h| h.id)
                .collect();
            found.sort_unstable();
            assert_eq!(found, vec![1, 2, 3], "{query:?}");
        }
    }

    #[test]
    fn ideas_have_a_kind_facet_a_filter_and_their_status() {
        let index = SearchIndex::open_in_ram().unwrap();
        let doc = |kind, id: i64, status: &str| crate::SearchDoc {
            kind,
            id,
            title: format!("dark mode {id}"),
            body: "a dark theme for the mobile app".into(),
            answer: None,
            replies: Vec::new(),
            tags: Vec::new(),
            category: "ideas".into(),
            visible_to: 0,
            status: status.into(),
            solved: false,
            votes: 0,
            created_at: 0,
            updated_at: id,
            url: format!("/x/{id}"),
        };
        index.upsert(&doc(DocKind::Thread, 1, "open")).unwrap();
        index.upsert(&doc(DocKind::Idea, 2, "planned")).unwrap();
        index.upsert(&doc(DocKind::Idea, 3, "new")).unwrap();
        index
            .upsert(&doc(DocKind::Article, 4, "published"))
            .unwrap();
        // Thread 1 moved to an ideas board: one document, now an idea.
        index.upsert(&doc(DocKind::Idea, 1, "new")).unwrap();
        index.commit(None).unwrap();
        let all = index
            .search(&SearchQuery {
                text: "dark mode".into(),
                page: 1,
                per_page: 10,
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(all.total, 4);
        assert_eq!(
            all.facets.kinds,
            vec![("idea".to_string(), 3), ("article".to_string(), 1)]
        );
        let planned = all.hits.iter().find(|h| h.id == 2).unwrap();
        assert_eq!(
            (planned.kind, planned.status.as_str()),
            (DocKind::Idea, "planned")
        );
        let ideas = |text: &str, kind: Option<&str>| -> Vec<i64> {
            let mut ids: Vec<i64> = index
                .search(&SearchQuery {
                    text: text.into(),
                    kind: kind.map(String::from),
                    page: 1,
                    per_page: 10,
                    ..SearchQuery::default()
                })
                .unwrap()
                .hits
                .iter()
                .map(|h| h.id)
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(ideas("dark", Some("idea")), [1, 2, 3]);
        assert_eq!(ideas("dark kind:article", None), [4]);
        assert_eq!(ideas("dark kind:idea status:planned", None), [2]);
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_html("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
