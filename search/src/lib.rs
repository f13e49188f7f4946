//! The `search` crate owns Hearth's knowledge search: the tantivy schema, the
//! multilingual analyzer (English, Russian, Ukrainian, Persian in one
//! community), indexing with a durable outbox position in each commit, a
//! generational layout so a full rebuild swaps in atomically, and the
//! queries (ranked search with filters and facets, and "similar questions"
//! while a customer types). It knows nothing of databases: callers hand it
//! plain [`SearchDoc`]s.

pub mod analysis;
mod query;
pub mod relevance;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use serde::Serialize;
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use query::{Facets, Matched, SearchHit, SearchQuery, SearchResults};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index files: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index directory: {0}")]
    Directory(String),
    /// Results past `MAX_RESULT_WINDOW` are never collected: the engine
    /// would hold every earlier candidate in memory.
    #[error("results past the first {MAX_RESULT_WINDOW} cannot be listed")]
    PastWindow,
}

/// Memory budget of the long-lived incremental index writer (tantivy's
/// minimum is 15 MB per thread).
const INCREMENTAL_WRITER_BYTES: usize = 20 * 1024 * 1024;

/// How deep into a result list a page may reach (offset + page size).
pub const MAX_RESULT_WINDOW: usize = 10_000;

impl From<tantivy::directory::error::OpenDirectoryError> for SearchError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        SearchError::Directory(e.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Thread,
    Article,
    /// A thread of an ideas board: its status is the idea's.
    Idea,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Thread => "thread",
            DocKind::Article => "article",
            DocKind::Idea => "idea",
        }
    }

    /// The kind a stored `kind` value names (threads for anything else).
    pub fn from_stored(s: &str) -> DocKind {
        match s {
            "article" => DocKind::Article,
            "idea" => DocKind::Idea,
            _ => DocKind::Thread,
        }
    }
}

/// A thread (question plus its accepted answer) or a KB article.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    pub kind: DocKind,
    pub id: i64,
    pub title: String,
    pub body: String,
    /// The accepted answer, indexed with the thread and weighted up.
    pub answer: Option<String>,
    /// Other replies worth finding the thread by (lower weight).
    pub replies: Vec<String>,
    pub tags: Vec<String>,
    pub category: String,
    /// Who may find it: 0 everyone, 1 agents and up, 2 moderators and
    /// up, 3 admins (the board's least role; `forum::Role::level`).
    pub visible_to: u8,
    pub status: String,
    pub solved: bool,
    pub votes: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub url: String,
}

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    title: Field,
    body: Field,
    answer: Field,
    replies: Field,
    tags_text: Field,
    tag: Field,
    category: Field,
    status: Field,
    private: Field,
    solved: Field,
    article: Field,
    votes: Field,
    updated_at: Field,
    url: Field,
    language: Field,
    facets: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(analysis::ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let o = TextOptions::default().set_indexing_options(indexing);
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_i64_field("id", INDEXED | STORED | FAST),
        title: b.add_text_field("title", text(true)),
        body: b.add_text_field("body", text(true)),
        answer: b.add_text_field("answer", text(true)),
        replies: b.add_text_field("replies", text(false)),
        tags_text: b.add_text_field("tags_text", text(false)),
        tag: b.add_text_field("tag", STRING | STORED),
        category: b.add_text_field("category", STRING | STORED),
        status: b.add_text_field("status", STRING | STORED),
        private: b.add_u64_field("private", INDEXED | FAST),
        solved: b.add_u64_field("solved", INDEXED | FAST | STORED),
        article: b.add_u64_field("article", FAST),
        votes: b.add_i64_field("votes", FAST | STORED),
        updated_at: b.add_i64_field("updated_at", FAST | STORED),
        url: b.add_text_field("url", STORED),
        language: b.add_text_field("language", STRING | STORED),
        facets: b.add_facet_field("facets", FacetOptions::default()),
    };
    (b.build(), fields)
}

/// ISO 639-3 code of the text's language, or "und" when unsure.
pub fn detect_language(text: &str) -> String {
    use whatlang::Lang::*;
    // Languages a brand community plausibly mixes; an open list lets short
    // English text come out as Catalan or Latin.
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    let detector = DETECTOR.get_or_init(|| {
        whatlang::Detector::with_allowlist(vec![
            Eng, Rus, Ukr, Pes, Ara, Deu, Fra, Spa, Ita, Por, Pol, Tur, Nld,
        ])
    });
    // Letters only one of two close languages uses settle it.
    let count = |set: &[char]| text.chars().filter(|c| set.contains(c)).count();
    let ukrainian_only = count(&['і', 'ї', 'є', 'ґ', 'І', 'Ї', 'Є', 'Ґ']);
    let russian_only = count(&['ы', 'э', 'ъ', 'ё', 'Ы', 'Э', 'Ъ', 'Ё']);
    if ukrainian_only > 2 && ukrainian_only > russian_only {
        return "ukr".into();
    }
    if count(&['پ', 'چ', 'ژ', 'گ', 'ی', 'ک']) > 2 {
        return "pes".into();
    }
    match detector.detect(text) {
        Some(info) if info.confidence() > 0.2 => info.lang().code().to_string(),
        _ => "und".to_string(),
    }
}

/// The shared sample corpus (`../shared/corpus` next to the project root,
/// or `HEARTH_CORPUS_DIR`), used by tests and benchmarks for real text.
pub fn sample_corpus_dir() -> PathBuf {
    std::env::var_os("HEARTH_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"))
}

fn doc_key(kind: DocKind, id: i64) -> String {
    // Ideas are threads (one id space): a thread moved to or from an ideas
    // board replaces its own document rather than leaving a second one.
    let space = match kind {
        DocKind::Idea => DocKind::Thread,
        k => k,
    };
    format!("{}:{id}", space.as_str())
}

struct Generation {
    index: Index,
    reader: IndexReader,
    /// Opened on first write, so a read-only process never takes the lock.
    writer: Mutex<Option<IndexWriter>>,
    name: String,
}

impl Generation {
    fn open(mut index: Index, name: String) -> Result<Generation, SearchError> {
        // One query searches its segments in parallel: on a small machine
        // that halves the latency of a query over a large index.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores > 1 {
            index.set_multithread_executor(cores.min(4))?;
        }
        index
            .tokenizers()
            .register(analysis::ANALYZER, analysis::analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Generation {
            index,
            reader,
            writer: Mutex::new(None),
            name,
        })
    }

    fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter) -> Result<T, SearchError>,
    ) -> Result<T, SearchError> {
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| SearchError::Directory("writer lock poisoned".into()))?;
        if guard.is_none() {
            // Incremental indexing writes a few documents a batch: one
            // thread and a small budget do it. Each indexing thread keeps a
            // hash table sized by its budget for the life of the writer, so
            // the default (a budget split over every core) held tens of MiB
            // for nothing. Bulk rebuilds use their own, larger writer.
            *guard = Some(
                self.index
                    .writer_with_num_threads(1, INCREMENTAL_WRITER_BYTES)?,
            );
        }
        match guard.as_mut() {
            Some(w) => f(w),
            None => Err(SearchError::Directory("index writer unavailable".into())),
        }
    }
}

/// The knowledge-search index. One process should do the writing (it holds
/// tantivy's writer lock); any number of threads may search.
pub struct SearchIndex {
    fields: Fields,
    schema: Schema,
    current: RwLock<Generation>,
    /// For generational indexes: the directory holding `CURRENT` and `gen-*`.
    base: Option<PathBuf>,
}

const CURRENT: &str = "CURRENT";

/// The analyzer's version: a generation written by an older one must be
/// built again from the database (its terms differ from what queries now
/// produce). 2: Persian pairs written apart also index their joined form.
pub const ANALYZER_VERSION: u32 = 2;
/// Inside each generation's directory: the analyzer version it was built
/// with (absent: version 1).
const ANALYZER_FILE: &str = "hearth-analyzer";

fn write_analyzer_version(dir: &Path) -> Result<(), SearchError> {
    std::fs::write(dir.join(ANALYZER_FILE), ANALYZER_VERSION.to_string())?;
    Ok(())
}

/// Open a generational index under `base` (created if missing).
pub fn open_generational(base: &Path) -> Result<SearchIndex, SearchError> {
    std::fs::create_dir_all(base)?;
    let (schema, fields) = schema();
    let name = match std::fs::read_to_string(base.join(CURRENT)) {
        Ok(n) if !n.trim().is_empty() && base.join(n.trim()).is_dir() => n.trim().to_string(),
        _ => {
            let name = new_generation_name();
            std::fs::create_dir_all(base.join(&name))?;
            Index::create_in_dir(base.join(&name), schema.clone())?;
            write_analyzer_version(&base.join(&name))?;
            write_current(base, &name)?;
            name
        }
    };
    let index = Index::open_in_dir(base.join(&name))?;
    Ok(SearchIndex {
        fields,
        schema,
        current: RwLock::new(Generation::open(index, name)?),
        base: Some(base.to_path_buf()),
    })
}

fn new_generation_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("gen-{nanos}")
}

/// Replace `CURRENT` atomically: readers see the old name or the new one.
fn write_current(base: &Path, name: &str) -> Result<(), SearchError> {
    let tmp = base.join(format!("{CURRENT}.tmp"));
    std::fs::write(&tmp, name)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, base.join(CURRENT))?;
    Ok(())
}

impl SearchIndex {
    /// A plain (non-generational) index in `dir`.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::open_or_create(directory, schema.clone())?;
        Ok(SearchIndex {
            fields,
            schema,
            current: RwLock::new(Generation::open(index, String::new())?),
            base: None,
        })
    }

    pub fn open_in_ram() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema.clone());
        Ok(SearchIndex {
            fields,
            schema,
            current: RwLock::new(Generation::open(index, String::new())?),
            base: None,
        })
    }

    fn read(&self) -> Result<std::sync::RwLockReadGuard<'_, Generation>, SearchError> {
        self.current
            .read()
            .map_err(|_| SearchError::Directory("index state poisoned".into()))
    }

    fn to_document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let language = detect_language(&format!("{} {}", d.title, d.body));
        let mut doc = doc!(
            f.key => doc_key(d.kind, d.id),
            f.kind => d.kind.as_str(),
            f.id => d.id,
            f.title => d.title.as_str(),
            f.body => d.body.as_str(),
            f.category => d.category.as_str(),
            f.status => d.status.as_str(),
            f.private => u64::from(d.visible_to),
            f.solved => u64::from(d.solved),
            f.article => u64::from(d.kind == DocKind::Article),
            f.votes => d.votes,
            f.updated_at => d.updated_at,
            f.url => d.url.as_str(),
            f.language => language,
            f.facets => Facet::from_path(["category", d.category.as_str()]),
            f.facets => Facet::from_path(["status", d.status.as_str()]),
            f.facets => Facet::from_path(["kind", d.kind.as_str()]),
        );
        if let Some(a) = &d.answer {
            doc.add_text(f.answer, a);
        }
        for r in &d.replies {
            doc.add_text(f.replies, r);
        }
        for t in &d.tags {
            doc.add_text(f.tag, t);
            doc.add_text(f.tags_text, t);
            doc.add_facet(f.facets, Facet::from_path(["tag", t.as_str()]));
        }
        doc
    }

    /// Add or replace a document (by kind and id). Visible after `commit`.
    pub fn upsert(&self, d: &SearchDoc) -> Result<(), SearchError> {
        let doc = self.to_document(d);
        let key = Term::from_field_text(self.fields.key, &doc_key(d.kind, d.id));
        self.read()?.with_writer(|w| {
            w.delete_term(key);
            w.add_document(doc)?;
            Ok(())
        })
    }

    pub fn delete(&self, kind: DocKind, id: i64) -> Result<(), SearchError> {
        let key = Term::from_field_text(self.fields.key, &doc_key(kind, id));
        self.read()?.with_writer(|w| {
            w.delete_term(key);
            Ok(())
        })
    }

    /// Make pending changes durable together with `cursor` (the caller's
    /// position in its event stream), and searchable now.
    pub fn commit(&self, cursor: Option<&str>) -> Result<(), SearchError> {
        let generation = self.read()?;
        generation.with_writer(|w| {
            let mut prepared = w.prepare_commit()?;
            if let Some(c) = cursor {
                prepared.set_payload(c);
            }
            prepared.commit()?;
            Ok(())
        })?;
        generation.reader.reload()?;
        Ok(())
    }

    /// The cursor stored by the last commit (survives restarts).
    pub fn committed_cursor(&self) -> Result<Option<String>, SearchError> {
        Ok(self.read()?.index.load_metas()?.payload)
    }

    pub fn num_docs(&self) -> u64 {
        self.read()
            .map(|g| g.reader.searcher().num_docs())
            .unwrap_or(0)
    }

    /// If another process swapped in a new generation, switch to it.
    /// Returns whether it switched.
    pub fn refresh_generation(&self) -> Result<bool, SearchError> {
        let Some(base) = &self.base else {
            return Ok(false);
        };
        let name = std::fs::read_to_string(base.join(CURRENT))?
            .trim()
            .to_string();
        if name == self.read()?.name || !base.join(&name).is_dir() {
            return Ok(false);
        }
        let next = Generation::open(Index::open_in_dir(base.join(&name))?, name)?;
        let mut current = self
            .current
            .write()
            .map_err(|_| SearchError::Directory("index state poisoned".into()))?;
        *current = next;
        Ok(true)
    }

    /// Whether the generation in use was built by an older analyzer (a
    /// generational index only; it should be rebuilt from the database).
    pub fn analyzer_outdated(&self) -> Result<bool, SearchError> {
        let Some(base) = &self.base else {
            return Ok(false);
        };
        let name = self.read()?.name.clone();
        let version = std::fs::read_to_string(base.join(name).join(ANALYZER_FILE))
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(1);
        Ok(version < ANALYZER_VERSION)
    }

    /// Rebuild from `docs` and swap atomically: searches keep answering from
    /// the old generation until the new one is committed and named CURRENT.
    /// Returns the number of documents written.
    pub fn rebuild<I: IntoIterator<Item = SearchDoc>>(
        &self,
        docs: I,
        cursor: Option<&str>,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, SearchError> {
        let Some(base) = &self.base else {
            // In-place for plain indexes (tests, tools).
            let generation = self.read()?;
            let mut n = 0;
            generation.with_writer(|w| {
                w.delete_all_documents()?;
                Ok(())
            })?;
            drop(generation);
            for d in docs {
                self.upsert(&d)?;
                n += 1;
                progress(n);
            }
            self.commit(cursor)?;
            return Ok(n);
        };
        let name = new_generation_name();
        let dir = base.join(&name);
        std::fs::create_dir_all(&dir)?;
        let index = Index::create_in_dir(&dir, self.schema.clone())?;
        write_analyzer_version(&dir)?;
        let fresh = Generation::open(index, name.clone())?;
        let threads = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(4);
        let mut writer: IndexWriter = fresh
            .index
            .writer_with_num_threads(threads, 256 * 1024 * 1024)?;
        let mut n = 0u64;
        for d in docs {
            writer.add_document(self.to_document(&d))?;
            n += 1;
            if n.is_multiple_of(10_000) {
                progress(n);
            }
        }
        let mut prepared = writer.prepare_commit()?;
        if let Some(c) = cursor {
            prepared.set_payload(c);
        }
        prepared.commit()?;
        writer.wait_merging_threads()?;
        fresh.reader.reload()?;
        progress(n);
        write_current(base, &name)?;
        let previous = {
            let mut current = self
                .current
                .write()
                .map_err(|_| SearchError::Directory("index state poisoned".into()))?;
            std::mem::replace(&mut *current, fresh).name
        };
        // Keep the generation just replaced (another process may still read
        // it until it notices the swap); remove any older ones.
        if let Ok(entries) = std::fs::read_dir(base) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().to_string();
                if n.starts_with("gen-") && n != name && n != previous {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod analyzer_version_tests {
    use super::*;

    #[test]
    fn an_index_from_an_older_analyzer_is_told_apart_until_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let index = open_generational(dir.path()).unwrap();
        assert!(
            !index.analyzer_outdated().unwrap(),
            "a new index is current"
        );
        // A generation written before versions were recorded.
        let name = index.read().unwrap().name.clone();
        std::fs::remove_file(dir.path().join(&name).join(ANALYZER_FILE)).unwrap();
        assert!(index.analyzer_outdated().unwrap());
        let reopened = open_generational(dir.path()).unwrap();
        assert!(
            reopened.analyzer_outdated().unwrap(),
            "still, after a restart"
        );
        reopened.rebuild(Vec::new(), None, |_| {}).unwrap();
        assert!(
            !reopened.analyzer_outdated().unwrap(),
            "the rebuilt one is current"
        );
        assert!(!SearchIndex::open_in_ram()
            .unwrap()
            .analyzer_outdated()
            .unwrap());
    }
}
