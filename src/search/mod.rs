//! The one place that talks to tantivy: a BM25 index over the knowledge base's texts (claims,
//! variants, titles, statements), in RAM or on disk.
//!
//! Each indexed text is an *entry* identified by a number the caller chooses; the index stores it
//! in a fast field and hands it back with each hit. English and Spanish texts go to separate
//! fields, each with its own stemmer and stop words, so a post is searched with the analysis of
//! its own language.

use std::fs;
use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::text::Lang;

/// Bumped whenever the schema or the analysis changes, so an on-disk index built by an older
/// version is rebuilt rather than misread.
const SCHEMA_VERSION: &str = "counterclaim-index-2";
const VERSION_FILE: &str = "counterclaim.version";
const WRITER_MEMORY: usize = 50_000_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// A text to index: the caller's entry number, the text, and its language.
pub struct IndexText<'a> {
    pub entry: u64,
    pub text: &'a str,
    pub lang: Lang,
}

pub struct SearchIndex {
    reader: IndexReader,
    field_en: Field,
    field_es: Field,
    entry_columns: Vec<Column<u64>>,
}

thread_local! {
    /// Analysis needs a mutable analyzer; one per thread and language avoids cloning one for
    /// every post. They are the same analyzers the index is built with.
    static ANALYZERS: std::cell::RefCell<[TextAnalyzer; 2]> =
        std::cell::RefCell::new([analyzer(Language::English), analyzer(Language::Spanish)]);
}

impl SearchIndex {
    /// Builds the index in RAM, or in `dir` when given. An existing index in `dir` built for the
    /// same `kb_version` is reused; anything else in `dir` is rebuilt.
    pub fn build<'a>(
        texts: impl IntoIterator<Item = IndexText<'a>>,
        dir: Option<&Path>,
        kb_version: &str,
    ) -> Result<Self, SearchError> {
        let stamp = format!("{SCHEMA_VERSION} {kb_version}");
        let (schema, field_en, field_es, field_entry) = schema();
        let index = match dir {
            None => Index::create_in_ram(schema),
            Some(dir) if fs::read_to_string(dir.join(VERSION_FILE)).is_ok_and(|s| s == stamp) => {
                let reused = Index::open_in_dir(dir)
                    .map_err(SearchError::from)
                    .and_then(|index| Self::open(index, field_en, field_es));
                match reused {
                    Ok(index) => {
                        tracing::info!(dir = %dir.display(), "reusing the on-disk search index");
                        return Ok(index);
                    }
                    Err(error) => tracing::warn!(
                        dir = %dir.display(),
                        %error,
                        "the on-disk search index is damaged: rebuilding it"
                    ),
                }
                recreate_dir(dir)?;
                Index::create_in_dir(dir, schema)?
            }
            Some(dir) => {
                recreate_dir(dir)?;
                // Marked ours before anything is written, so an index cut off half-built (a
                // crash) is rebuilt at the next start instead of refused as somebody's files.
                fs::write(dir.join(VERSION_FILE), "unfinished")
                    .map_err(|source| io_error(dir, source))?;
                Index::create_in_dir(dir, schema)?
            }
        };
        register_analyzers(&index);
        // One indexing thread keeps document ids in insertion order, which keeps results
        // deterministic.
        let mut writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        for t in texts {
            let mut doc = TantivyDocument::default();
            doc.add_u64(field_entry, t.entry);
            doc.add_text(
                if t.lang == Lang::Es {
                    field_es
                } else {
                    field_en
                },
                t.text,
            );
            writer.add_document(doc)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        if let Some(dir) = dir {
            fs::write(dir.join(VERSION_FILE), &stamp).map_err(|source| io_error(dir, source))?;
        }
        Self::open(index, field_en, field_es)
    }

    fn open(index: Index, field_en: Field, field_es: Field) -> Result<Self, SearchError> {
        register_analyzers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let entry_columns = reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("entry"))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            reader,
            field_en,
            field_es,
            entry_columns,
        })
    }

    /// The index terms of a text (lowercased, ASCII-folded, stop words removed, stemmed), each
    /// with the byte range of the word it came from.
    pub fn analyze(&self, text: &str, lang: Lang) -> Vec<(String, std::ops::Range<usize>)> {
        ANALYZERS.with_borrow_mut(|analyzers| {
            let mut stream = analyzers[lang as usize].token_stream(text);
            let mut terms = Vec::new();
            while let Some(token) = stream.next() {
                terms.push((token.text.clone(), token.offset_from..token.offset_to));
            }
            terms
        })
    }

    /// BM25 search for any of `terms` (already analysed) in the field of `lang`: the best `limit`
    /// entries, best first, ties broken by entry number.
    pub fn search(&self, terms: &[&str], lang: Lang, limit: usize) -> Vec<(u64, f32)> {
        let field = if lang == Lang::Es {
            self.field_es
        } else {
            self.field_en
        };
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|t| {
                let query = TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                );
                (Occur::Should, Box::new(query) as Box<dyn Query>)
            })
            .collect();
        if clauses.is_empty() {
            return Vec::new();
        }
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(limit.max(1)).order_by_score();
        let Ok(hits) = searcher.search(&BooleanQuery::new(clauses), &top) else {
            return Vec::new();
        };
        let mut hits: Vec<(u64, f32)> = hits
            .into_iter()
            .filter_map(|(score, addr)| {
                let column = self.entry_columns.get(addr.segment_ord as usize)?;
                Some((column.first(addr.doc_id)?, score))
            })
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits
    }
}

fn schema() -> (Schema, Field, Field, Field) {
    let mut builder = Schema::builder();
    let text = |name| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(name)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let en = builder.add_text_field("text_en", text("cc_en"));
    let es = builder.add_text_field("text_es", text("cc_es"));
    let entry = builder.add_u64_field("entry", FAST | INDEXED | STORED);
    (builder.build(), en, es, entry)
}

/// English function words, after Snowball's English stop-word list (tantivy ships only Lucene's
/// 33 words), plus the fragments the tokenizer leaves of contractions ("they're" → "they", "re").
/// Matching on "about" or "you" is what makes unrelated posts look similar.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "i",
    "me",
    "my",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "what",
    "which",
    "who",
    "whom",
    "this",
    "that",
    "these",
    "those",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "having",
    "do",
    "does",
    "did",
    "doing",
    "would",
    "should",
    "could",
    "ought",
    "a",
    "an",
    "the",
    "and",
    "but",
    "if",
    "or",
    "because",
    "as",
    "until",
    "while",
    "of",
    "at",
    "by",
    "for",
    "with",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "before",
    "above",
    "below",
    "to",
    "from",
    "up",
    "down",
    "in",
    "out",
    "on",
    "off",
    "over",
    "under",
    "again",
    "further",
    "then",
    "once",
    "here",
    "there",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "both",
    "each",
    "few",
    "more",
    "most",
    "other",
    "some",
    "such",
    "no",
    "nor",
    "not",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
    "will",
    "can",
    "just",
    "now",
    "also",
    "get",
    "got",
    "going",
    "gonna",
    "like",
    "s",
    "t",
    "re",
    "ve",
    "ll",
    "d",
    "m",
    "don",
    "doesn",
    "didn",
    "isn",
    "aren",
    "wasn",
    "weren",
    "won",
    "wouldn",
    "shouldn",
    "couldn",
    "can't",
    "via",
    "amp",
    "rt",
];

fn analyzer(language: Language) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .dynamic();
    let stop = match language {
        Language::English => Some(StopWordFilter::remove(
            ENGLISH_STOP_WORDS.iter().map(|w| w.to_string()),
        )),
        other => StopWordFilter::new(other),
    };
    let builder = match stop {
        Some(stop) => builder.filter_dynamic(stop),
        None => builder,
    };
    builder.filter_dynamic(Stemmer::new(language)).build()
}

fn register_analyzers(index: &Index) {
    index
        .tokenizers()
        .register("cc_en", analyzer(Language::English));
    index
        .tokenizers()
        .register("cc_es", analyzer(Language::Spanish));
}

/// Empties `dir` for a new index, but only if it is ours (it holds our version file) or empty:
/// a mistyped `--index-dir` must never delete somebody's files.
fn recreate_dir(dir: &Path) -> Result<(), SearchError> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map_err(|source| io_error(dir, source))?
            .next()
            .is_none();
        if !empty && !dir.join(VERSION_FILE).exists() {
            let refusal = std::io::Error::other(
                "not empty and not a counterclaim index; refusing to overwrite it",
            );
            return Err(io_error(dir, refusal));
        }
        fs::remove_dir_all(dir).map_err(|source| io_error(dir, source))?;
    }
    fs::create_dir_all(dir).map_err(|source| io_error(dir, source))
}

fn io_error(dir: &Path, source: std::io::Error) -> SearchError {
    SearchError::Io {
        path: dir.display().to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Vec<IndexText<'static>> {
        vec![
            IndexText {
                entry: 10,
                text: "Russia will counterfeit mail ballots",
                lang: Lang::En,
            },
            IndexText {
                entry: 11,
                text: "Mail voting is safe",
                lang: Lang::En,
            },
            IndexText {
                entry: 12,
                text: "China falsificará las boletas",
                lang: Lang::Es,
            },
        ]
    }

    #[test]
    fn finds_stemmed_terms_in_the_right_language() {
        let index = SearchIndex::build(texts(), None, "v").unwrap();
        let terms = index.analyze("Counterfeiting BALLOTS", Lang::En);
        let words: Vec<&str> = terms.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(words, ["counterfeit", "ballot"]);
        let hits = index.search(&words, Lang::En, 5);
        assert_eq!(hits[0].0, 10);
        assert!(hits.iter().all(|(e, _)| *e != 12));
        let es = index.analyze("boleta", Lang::Es);
        let es: Vec<&str> = es.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(index.search(&es, Lang::Es, 5)[0].0, 12);
        assert!(index.search(&[], Lang::En, 5).is_empty());
    }

    #[test]
    fn on_disk_index_is_reused_for_the_same_version_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        SearchIndex::build(texts(), Some(&path), "v1").unwrap();
        // Same version: the texts given are ignored because the stored index is reused.
        let reused = SearchIndex::build(Vec::new(), Some(&path), "v1").unwrap();
        assert_eq!(reused.search(&["ballot"], Lang::En, 5)[0].0, 10);
        // A new version rebuilds from the texts given.
        let rebuilt = SearchIndex::build(Vec::new(), Some(&path), "v2").unwrap();
        assert!(rebuilt.search(&["ballot"], Lang::En, 5).is_empty());
    }

    #[test]
    fn a_damaged_or_unfinished_index_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        SearchIndex::build(texts(), Some(&path), "v1").unwrap();
        std::fs::write(path.join("meta.json"), "{ torn").unwrap();
        let rebuilt = SearchIndex::build(texts(), Some(&path), "v1").unwrap();
        assert_eq!(rebuilt.search(&["ballot"], Lang::En, 5)[0].0, 10);
        // Cut off while building: marked ours, so rebuilt rather than refused.
        std::fs::write(path.join(VERSION_FILE), "unfinished").unwrap();
        let rebuilt = SearchIndex::build(texts(), Some(&path), "v1").unwrap();
        assert_eq!(rebuilt.search(&["ballot"], Lang::En, 5)[0].0, 10);
    }

    #[test]
    fn a_directory_that_is_not_an_index_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "precious").unwrap();
        let err = SearchIndex::build(texts(), Some(dir.path()), "v1")
            .err()
            .unwrap();
        assert!(err.to_string().contains("refusing to overwrite"), "{err}");
        assert!(dir.path().join("notes.txt").exists());
    }
}
