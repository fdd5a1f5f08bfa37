//! Matching a post against the knowledge base:
//! normalise → correct spelling → retrieve (BM25) → measure overlap → score → stance → evidence.
//!
//! The same [`Matcher`] serves gRPC, the command line and batch scoring. It is immutable after
//! construction and shared across threads; matching is deterministic (ties break by narrative
//! id, in natural order: `14` before `1056`).

mod analysis;
mod bm25;
mod closing;
mod concepts;
mod dense;
mod entries;
mod evidence;
mod model;
mod pipeline;
mod polarity;
mod post;
mod probe;
mod reading;
mod readout;
mod reported;
mod score;
mod spell;
mod stance;
mod words;

use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::kb::KnowledgeBase;
use crate::search::SearchIndex;
use crate::text::{Lang, Lexicon};
use crate::{Error, limits};

use analysis::Analysis;
use concepts::{Concepts, Coverage};
use dense::Dense;
pub use dense::{Encoder, cache_file};
use entries::{Entry, EntryKind, NarrativeVocab, TermId, Terms};
pub use evidence::{ConceptEvidence, Evidence, concepts_line};
pub use post::{MatchOptions, Post};
pub use score::Overlap;
pub use score::{DEFAULT_THRESHOLD, FEATURES};
use score::{ScoreModel, ratio};
use spell::Corrector;
pub use stance::{Stance, is_question};
use words::{WordCache, WordTable};

/// How many entries BM25 retrieval hands to the scorer.
const CANDIDATES: usize = 20;

/// A match resting on a rebuttal statement rather than a claim or variant counts for this much
/// of its score: statements share the narrative's words but also talk about other things.
const STATEMENT_DISCOUNT: f32 = 0.9;

/// Why a post matched nothing.
pub const REASON_EMPTY: &str = "the post has no words once links and emoji are removed";
pub const REASON_NO_SHARED_WORDS: &str = "the post shares no words with the knowledge base";
pub const REASON_BELOW_THRESHOLD: &str = "no narrative scored above the threshold";
pub const REASON_NO_CONCEPTS: &str =
    "the post does not mention every core concept of any narrative (its subject and idea)";
pub const REASON_EXCLUDED: &str =
    "the post uses a phrase that a narrative excludes (it is about something else)";
pub const REASON_VETOED: &str =
    "the post names a narrative's core concepts, but the probe reads it as about something else";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NarrativeMatch {
    pub narrative_id: String,
    pub narrative_title: String,
    /// Calibrated score in [0, 1]: see [`score`](self::score).
    pub score: f32,
    pub stance: Stance,
    pub evidence: Evidence,
    /// The best-matching documented claim of the narrative, if any claim shares words with the
    /// post (the evidence may be a variant that matched better).
    pub claim_id: Option<String>,
    pub statement_ids: Vec<String>,
    /// The overlap features the score was computed from, for explanation and tuning.
    pub overlap: Overlap,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchOutcome {
    pub post_id: String,
    #[serde(serialize_with = "lang_code")]
    pub lang: Lang,
    pub matches: Vec<NarrativeMatch>,
    /// Set when `matches` is empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_match_reason: Option<&'static str>,
}

/// The ISO 639-1 code of a language.
pub fn lang_code_str(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Es => "es",
    }
}

fn lang_code<S: serde::Serializer>(lang: &Lang, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(lang_code_str(*lang))
}

/// How candidates are scored: the models (one for narratives that declare concepts, one for
/// the others), and what they are told of their similarity to the post.
pub(crate) struct Scoring<'a> {
    model: &'static ScoreModel,
    concept_model: &'static ScoreModel,
    similarity: Similarity<'a>,
    /// Whether a narrative's declared concepts decide if it is a candidate (matching posts);
    /// free-text search ranks every narrative by its words.
    concepts: bool,
}

/// The dense similarity of a post to the entries.
#[derive(Clone, Copy)]
pub(crate) enum Similarity<'a> {
    /// Lexical scoring: none (0).
    None,
    /// The highest there can be (1) for every entry: with no weight negative, the scores are
    /// then an upper bound of what the post's embedding could give.
    Ceiling,
    /// The post's embedding against the entries'.
    Embedded(&'a [f32], &'a Dense),
}

/// The best-scoring entries of one narrative for a post: any claim, variant or title; any
/// documented claim (named in the answer even when a variant matched better); any statement.
#[derive(Default)]
pub(crate) struct Best {
    text: Option<(usize, f32, Overlap)>,
    claim: Option<(usize, f32, Overlap)>,
    statement: Option<(usize, f32, Overlap)>,
}

impl Best {
    /// The entry the match rests on, its score and overlap. The score is always the best claim's
    /// or variant's: words shared only with a rebuttal statement never make a match. When a
    /// statement matched clearly better (a post echoing the rebuttal), it is the evidence.
    fn choice(&self) -> Option<(usize, f32, Overlap)> {
        let (text, score, overlap) = self.text?;
        match self.statement {
            Some((statement, s, _)) if s * STATEMENT_DISCOUNT > score => {
                Some((statement, score, overlap))
            }
            _ => Some((text, score, overlap)),
        }
    }

    fn score(&self) -> f32 {
        self.choice().map_or(0.0, |(_, s, _)| s)
    }

    /// How much better the best rebuttal statement scores than the best claim or variant.
    fn rebuttal_lead(&self) -> f32 {
        let score = |slot: Option<(usize, f32, Overlap)>| slot.map_or(0.0, |(_, s, _)| s);
        score(self.statement) - score(self.text)
    }

    fn offer(&mut self, kind: EntryKind, entry: usize, overlap: Overlap, score: f32) {
        let keep = |slot: &mut Option<(usize, f32, Overlap)>| {
            if slot.is_none_or(|(_, s, _)| score > s) {
                *slot = Some((entry, score, overlap));
            }
        };
        match kind {
            EntryKind::Statement(_) => keep(&mut self.statement),
            EntryKind::Claim(_) => {
                keep(&mut self.claim);
                keep(&mut self.text);
            }
            EntryKind::Variant(_) | EntryKind::Title => keep(&mut self.text),
        }
    }
}

/// The elements of `other` that the post's sorted `post` slice also holds, in `other`'s order.
/// `post` is small and stays in cache while every candidate's `other` is read once, in order:
/// cheaper than a merge, whose branches the processor cannot predict.
fn shared_with<'a, T: Ord + Copy>(post: &'a [T], other: &'a [T]) -> impl Iterator<Item = T> + 'a {
    other
        .iter()
        .copied()
        .filter(|t| post.binary_search(t).is_ok())
}

pub struct Matcher {
    kb: Arc<KnowledgeBase>,
    /// Retrieval for matching posts.
    bm25: bm25::Bm25,
    /// Retrieval for free-text narrative search.
    index: SearchIndex,
    entries: Vec<Entry>,
    terms: Terms,
    vocabularies: Vec<NarrativeVocab>,
    /// Curated knowledge bases and flat collections are scored by different fits, and each has
    /// one fit for lexical matching and one for hybrid.
    model: &'static ScoreModel,
    hybrid_model: &'static ScoreModel,
    /// The narratives' declared concepts, and each narrative's entries (a range of `entries`).
    concepts: Concepts,
    narrative_entries: Vec<std::ops::Range<u32>>,
    /// The entries' embeddings, in hybrid mode.
    dense: Option<Dense>,
    /// The learned gate for the narratives it was fitted on, in hybrid mode with its model.
    probe: Option<probe::Probe>,
    /// The learned stance read-out, for the narratives it was fitted on: with the embedding,
    /// and on words alone for posts without one.
    readout: Option<readout::Readout>,
    words_readout: Option<readout::Readout>,
    /// The learned gates on a post's words, by language: for Spanish posts, which the model
    /// never embeds, and for English ones beside the probe (or in its stead, lexically).
    word_probes: [Option<readout::WordProbe>; 2],
    lexicon: Lexicon,
    /// Spelling correction towards the knowledge base's English words, then its Spanish ones.
    correctors: [Corrector; 2],
    words: WordTable,
    word_cache: WordCache,
    /// The lowest of the narratives' thresholds (their own, else the default), computed once
    /// rather than per post over thousands of narratives.
    lowest_own_threshold: f32,
    /// The surnames of the officials whose statements the knowledge base holds: what they are
    /// reported to say defends the process (`reading.rs`).
    rebutters: Vec<String>,
}

impl Matcher {
    /// Builds the matcher: indexes the knowledge base in RAM, or in `index_dir` (reused across
    /// restarts while the knowledge base is unchanged).
    pub fn new(kb: Arc<KnowledgeBase>, index_dir: Option<&Path>) -> Result<Self, Error> {
        let domain_words: Vec<String> = entries::entry_texts(&kb)
            .iter()
            .map(|(_, _, t)| t.to_lowercase())
            .chain(
                kb.narratives()
                    .iter()
                    .flat_map(|n| n.keywords.iter().map(|k| k.to_lowercase())),
            )
            .chain(
                [Lang::En, Lang::Es]
                    .iter()
                    .flat_map(|&lang| concept_aliases(&kb, lang))
                    .map(str::to_lowercase),
            )
            .collect();
        let lexicon = Lexicon::english().with_domain_words(
            domain_words
                .iter()
                .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
                .filter(|w| w.len() > 1),
        );
        let entries::Corpus {
            entries,
            terms,
            vocabularies,
            bm25,
            index,
        } = entries::build(&kb, &lexicon, index_dir)?;
        // The words of the concepts' aliases join the knowledge base's: spelling is corrected
        // towards them ("absentie") and never away from them ("Beijing").
        let alias_texts = [Lang::En, Lang::Es].map(|lang| {
            concept_aliases(&kb, lang)
                .map(|a| crate::text::normalize(a, &lexicon).text)
                .collect::<Vec<_>>()
        });
        let words_in = |lang: Lang| -> Vec<&str> {
            (entries.iter().filter(|e| e.lang == lang))
                .map(|e| e.indexed.as_str())
                .chain(alias_texts[lang as usize].iter().map(String::as_str))
                .flat_map(|t| t.split(' '))
                .filter(|w| !w.is_empty())
                .collect()
        };
        let by_lang = [words_in(Lang::En), words_in(Lang::Es)];
        // Each language's posts are corrected towards its own words only: a Spanish post's
        // "lote" is no misspelt "late", nor "presidente" a misspelt "president".
        let correctors = by_lang
            .each_ref()
            .map(|w| Corrector::new(w.iter().copied()));
        let kb_words: Vec<&str> = by_lang.concat();
        let mut alphabetic = kb_words.clone();
        alphabetic.retain(|w| w.chars().all(char::is_alphabetic));
        alphabetic.sort_unstable();
        alphabetic.dedup();
        let words = WordTable::build(
            &alphabetic,
            lexicon.english_words().map(|w| w as &str),
            &terms,
            |word, lang| {
                index
                    .analyze(word, lang)
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect()
            },
        );
        tracing::debug!(
            narratives = kb.narratives().len(),
            entries = entries.len(),
            version = kb.version(),
            "matcher ready"
        );
        let concepts = Concepts::build(&kb, &lexicon, &terms, &index);
        let mut narrative_entries = vec![0..0; kb.narratives().len()];
        // A narrative's entries are next to each other (see `entries::entry_texts`).
        for (i, e) in (0u32..).zip(&entries) {
            let range = &mut narrative_entries[e.narrative];
            if range.end <= range.start {
                range.start = i;
            }
            range.end = i + 1;
        }
        let (model, hybrid_model) = if kb.narratives().iter().any(|n| !n.variants.is_empty()) {
            (&score::CURATED, &score::CURATED_HYBRID)
        } else {
            (&score::COLLECTION, &score::COLLECTION_HYBRID)
        };
        let lowest_own_threshold = kb
            .narratives()
            .iter()
            .map(|n| n.threshold.unwrap_or(DEFAULT_THRESHOLD))
            .fold(f32::INFINITY, f32::min);
        let readout = readout::Readout::shipped(&kb);
        let words_readout = readout::Readout::shipped_words(&kb);
        let word_probes = [Lang::En, Lang::Es].map(|lang| readout::WordProbe::shipped(&kb, lang));
        let rebutters = reading::rebutters(&kb, &lexicon);
        Ok(Self {
            kb,
            index,
            bm25,
            entries,
            terms,
            vocabularies,
            model,
            hybrid_model,
            concepts,
            narrative_entries,
            dense: None,
            probe: None,
            readout,
            words_readout,
            word_probes,
            lexicon,
            correctors,
            words,
            word_cache: WordCache::default(),
            lowest_own_threshold,
            rebutters,
        })
    }

    /// What a curator should fix in the knowledge base's concept aliases though they load: each
    /// alias of several words that matches as one word (see `Concepts::warnings`).
    pub fn alias_warnings(&self) -> &[String] {
        self.concepts.warnings()
    }

    /// The word lists posts are normalised with (English and the knowledge base's words).
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// What the model embeds for a post: its normalised text, spelling-corrected (see
    /// `Analysis::model_text`); `None` when nothing is left of it. The probes are fitted on
    /// this (`scripts/fit_probe.py` through `examples/embed_lines.rs --model-text`).
    pub fn model_text(&self, post: &str) -> Option<String> {
        self.analyze(post, None).map(|a| a.model_text().to_owned())
    }

    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// "hybrid" when a sentence-embedding model is in use, else "lexical".
    pub fn mode(&self) -> &'static str {
        if self.dense.is_some() {
            "hybrid"
        } else {
            "lexical"
        }
    }

    /// The hash of the model's weights, in hybrid mode.
    pub fn model_id(&self) -> Option<&str> {
        self.dense.as_ref().map(Dense::model_id)
    }

    /// Free-text search over narratives ("fake ballots from China"): the best narratives whatever
    /// their score, best first.
    pub fn search(&self, query: &str, max_results: usize) -> Result<Vec<NarrativeMatch>, Error> {
        if query.len() > limits::MAX_QUERY_BYTES {
            return Err(Error::invalid(
                "query",
                format!("longer than {} bytes", limits::MAX_QUERY_BYTES),
            ));
        }
        if max_results > limits::MAX_SEARCH_RESULTS {
            return Err(Error::invalid(
                "max_results",
                format!("at most {}", limits::MAX_SEARCH_RESULTS),
            ));
        }
        if query.trim().is_empty() {
            return Err(Error::invalid("query", "empty"));
        }
        let max_results = if max_results == 0 {
            limits::DEFAULT_SEARCH_RESULTS
        } else {
            max_results
        };
        let Some(analysis) = self.analyze(query, None) else {
            return Ok(Vec::new());
        };
        let terms = self
            .index
            .analyze(&analysis.corrected_text(), analysis.lang);
        let texts: Vec<&str> = terms.iter().map(|(t, _)| t.as_str()).collect();
        let hits: Vec<(u32, f32)> = (self
            .index
            .search(&texts, analysis.lang, CANDIDATES)
            .into_iter())
        .filter_map(|(entry, score)| Some((u32::try_from(entry).ok()?, score)))
        .collect();
        let scoring = Scoring {
            concepts: false,
            ..self.lexical_scoring()
        };
        let ranked = self.rank(&analysis, &hits, &scoring);
        Ok(self.answer(
            query,
            &analysis,
            ranked,
            |_| f32::MIN_POSITIVE,
            max_results,
            None,
        ))
    }

    /// The best `max` ranked narratives (see [`rank`](Self::rank)) scoring at least their
    /// threshold (`threshold(narrative)`), explained.
    fn answer(
        &self,
        raw: &str,
        analysis: &Analysis,
        ranked: Vec<(usize, Best)>,
        threshold: impl Fn(usize) -> f32,
        max: usize,
        embedding: Option<&[f32]>,
    ) -> Vec<NarrativeMatch> {
        let chosen: Vec<(usize, Best)> = ranked
            .into_iter()
            .filter(|&(narrative, ref best)| best.score() >= threshold(narrative))
            .take(max)
            .collect();
        if chosen.is_empty() {
            return Vec::new();
        }
        let reading = self.reading(raw, &analysis.normalized, analysis.lang, embedding);
        chosen
            .iter()
            .filter_map(|(narrative, best)| {
                let stance = reading.stance(*narrative, best.rebuttal_lead());
                self.explain(stance, analysis, *narrative, best)
            })
            .collect()
    }

    /// The narratives of the retrieved entries (`hits`: entry and BM25 score), scored, best first
    /// (ties in the knowledge base's natural id order).
    fn rank(
        &self,
        analysis: &Analysis,
        hits: &[(u32, f32)],
        scoring: &Scoring,
    ) -> Vec<(usize, Best)> {
        let top_bm25 = hits.iter().map(|(_, s)| *s).fold(0.0, f32::max);
        // Each candidate's dense similarity (0 in lexical mode), computed once.
        let similarities: Vec<f32> = hits
            .iter()
            .map(|&(entry, _)| match scoring.similarity {
                Similarity::None => 0.0,
                Similarity::Ceiling => 1.0,
                Similarity::Embedded(post, dense) => {
                    dense.similarity(post, entry as usize).max(0.0)
                }
            })
            .collect();
        let top_similarity = similarities.iter().copied().fold(0.0, f32::max);
        // Per narrative, the best entry of each kind that matched.
        let mut best: FxHashMap<usize, Best> =
            FxHashMap::with_capacity_and_hasher(hits.len(), Default::default());
        let mut narrative_coverage: FxHashMap<usize, f32> =
            FxHashMap::with_capacity_and_hasher(hits.len(), Default::default());
        let mut shared: Vec<TermId> = Vec::new();
        for (&(entry_no, bm25), &similarity) in hits.iter().zip(&similarities) {
            let entry = &self.entries[entry_no as usize];
            let mention = analysis
                .mentions
                .get(entry.narrative)
                .filter(|_| scoring.concepts)
                .copied()
                .unwrap_or_default();
            let coverage = mention.coverage();
            if coverage == Coverage::Missing {
                continue;
            }
            shared.clear();
            shared.extend(shared_with(&analysis.term_ids, &entry.terms));
            let matched_weight: f32 = shared.iter().map(|&t| self.terms.idf(t)).sum();
            let vocab = &self.vocabularies[entry.narrative];
            let on_topic = *narrative_coverage
                .entry(entry.narrative)
                .or_insert_with(|| {
                    let in_vocab = shared_with(&analysis.term_ids, vocab.terms(analysis.lang));
                    ratio(in_vocab.map(|t| self.terms.idf(t)).sum(), analysis.weight)
                });
            let shared_bigrams = shared_with(&analysis.bigrams, &entry.bigrams).count();
            let overlap = Overlap {
                entry_coverage: ratio(matched_weight, entry.weight),
                post_coverage: ratio(matched_weight, analysis.weight),
                narrative_coverage: on_topic,
                matched_terms: shared.len(),
                anchored: vocab.anchored(analysis.lang, &shared),
                bm25_share: ratio(bm25, top_bm25),
                bigram_share: ratio(shared_bigrams as f32, analysis.bigrams.len() as f32),
                dense: similarity,
                dense_share: ratio(similarity, top_similarity),
            };
            // The concepts the post mentions stand in for shared terms: the concept models ask
            // for none.
            let model = match coverage {
                Coverage::Undeclared => scoring.model,
                _ => scoring.concept_model,
            };
            let mut score = model.score(&overlap);
            // A candidate that names the narrative's concepts in words none of its texts has
            // gives the lexical score model nothing to read but its intercept: the word probe,
            // which read the post's words, scores it when its probability reaches the floor
            // from which it vouches for a concept a post leaves out; the higher of the two
            // scores stands (stop 44: on the fitting sets +120 posts found in hybrid mode, +222
            // in lexical mode, none lost and no new alarm; nor any on the held-out sets or the
            // streams).
            if coverage != Coverage::Undeclared
                && matches!(scoring.similarity, Similarity::None)
                && overlap.matched_terms == 0
                && overlap.narrative_coverage == 0.0
                && let Some(&p) = analysis.word_probabilities.get(entry.narrative)
                && (self.word_probes[analysis.lang as usize].as_ref())
                    .is_some_and(|words| p >= words.floors.0)
            {
                score = score.max(p);
            }
            best.entry(entry.narrative).or_default().offer(
                entry.kind,
                entry_no as usize,
                overlap,
                score,
            );
        }
        let mut ranked: Vec<(usize, Best)> = best.into_iter().collect();
        ranked.sort_by(|(a, x), (b, y)| y.score().total_cmp(&x.score()).then(a.cmp(b)));
        ranked
    }

    /// The match on `narrative`, read with `stance`.
    fn explain(
        &self,
        stance: stance::Stance,
        analysis: &Analysis,
        narrative: usize,
        best: &Best,
    ) -> Option<NarrativeMatch> {
        let (entry_no, score, overlap) = best.choice()?;
        let n = &self.kb.narratives()[narrative];
        let claim_id = best.claim.and_then(|(e, _, _)| match self.entries[e].kind {
            EntryKind::Claim(i) => Some(n.claims[i].id.clone()),
            _ => None,
        });
        Some(NarrativeMatch {
            narrative_id: n.id.clone(),
            narrative_title: n.title.clone(),
            score,
            stance,
            evidence: self.evidence(analysis, narrative, entry_no),
            claim_id,
            statement_ids: n.statement_ids.clone(),
            overlap,
        })
    }

    /// Lexical scoring, with the models for this knowledge base.
    fn lexical_scoring(&self) -> Scoring<'static> {
        Scoring {
            model: self.model,
            concept_model: &score::CONCEPT,
            similarity: Similarity::None,
            concepts: true,
        }
    }
}

/// Every alias of every narrative's concepts, in both languages.
fn concept_aliases(kb: &KnowledgeBase, lang: Lang) -> impl Iterator<Item = &str> {
    kb.narratives()
        .iter()
        .flat_map(|n| &n.concepts)
        .flat_map(move |c| match lang {
            Lang::En => &c.en,
            Lang::Es => &c.es,
        })
        .map(String::as_str)
}

/// The shipped knowledge base, indexed once for all the library's tests.
#[cfg(test)]
pub(crate) fn shipped_for_tests() -> &'static Matcher {
    static MATCHER: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
    MATCHER.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("index");
        let kb = KnowledgeBase::load(&dir).expect("the shipped knowledge base loads");
        Matcher::new(Arc::new(kb), None).expect("the matcher builds")
    })
}

#[cfg(test)]
mod hybrid_tests;
#[cfg(test)]
mod tests;
