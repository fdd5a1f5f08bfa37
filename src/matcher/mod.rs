//! Matching a post against the knowledge base:
//! normalise → correct spelling → retrieve (BM25) → measure overlap → score → stance → evidence.
//!
//! The same [`Matcher`] serves gRPC, the command line and batch scoring. It is immutable after
//! construction and shared across threads; matching is deterministic (ties break by narrative
//! id).

mod entries;
mod post;
mod score;
mod spell;
mod stance;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::kb::KnowledgeBase;
use crate::search::SearchIndex;
use crate::text::{self, Lang, Lexicon};
use crate::{Error, limits};

use entries::{Entry, EntryKind, NarrativeVocab, TermWeights};
pub use post::{MatchOptions, Post};
pub use score::Overlap;
pub use score::{DEFAULT_THRESHOLD, FEATURES};
use score::{ScoreModel, UNKNOWN_TERM_WEIGHT, ratio};
use spell::Corrector;
pub use stance::Stance;

/// How many entries BM25 retrieval hands to the scorer.
const CANDIDATES: usize = 40;

/// A match resting on a rebuttal statement rather than a claim or variant counts for this much
/// of its score: statements share the narrative's words but also talk about other things.
const STATEMENT_DISCOUNT: f32 = 0.9;

/// Why a post matched nothing.
pub const REASON_EMPTY: &str = "the post has no words once links, handles and emoji are removed";
pub const REASON_NO_SHARED_WORDS: &str = "the post shares no words with the knowledge base";
pub const REASON_BELOW_THRESHOLD: &str = "no narrative scored above the threshold";

/// Which knowledge-base text a match rests on, and the post's words that matched it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// "claim", "variant", "title" or "statement".
    pub kind: &'static str,
    /// The claim or statement id; `<narrative>#variant-<n>` or `<narrative>#title` otherwise.
    pub id: String,
    pub text: String,
    pub matched_words: Vec<String>,
}

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

/// The best-scoring entries of one narrative for a post: any claim, variant or title; any
/// documented claim (named in the answer even when a variant matched better); any statement.
#[derive(Default)]
struct Best {
    text: Option<(usize, f32)>,
    claim: Option<(usize, f32)>,
    statement: Option<(usize, f32)>,
    /// Each entry's overlap, for the explanation.
    overlaps: HashMap<usize, Overlap>,
}

impl Best {
    fn offer(&mut self, kind: EntryKind, entry: usize, overlap: Overlap, score: f32) {
        let keep = |slot: &mut Option<(usize, f32)>| {
            if slot.is_none_or(|(_, s)| score > s) {
                *slot = Some((entry, score));
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
        self.overlaps.insert(entry, overlap);
    }
}

/// A post after analysis: its normalised words (spelling corrected) and analysed terms.
struct Analysis {
    lang: Lang,
    normalized: String,
    words: Vec<String>,
    /// (term, index of the word it came from), only terms the knowledge base knows.
    known: Vec<(String, usize)>,
    /// Sum of IDF of known distinct terms plus a fixed weight per unknown one.
    weight: f32,
    /// Hashes of adjacent term pairs (see `entries::bigrams`).
    bigrams: Vec<u64>,
}

pub struct Matcher {
    kb: Arc<KnowledgeBase>,
    index: SearchIndex,
    entries: Vec<Entry>,
    weights: TermWeights,
    vocabularies: Vec<NarrativeVocab>,
    /// Curated knowledge bases and flat collections are scored by different fits.
    model: &'static ScoreModel,
    lexicon: Lexicon,
    corrector: Corrector,
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
            .collect();
        let lexicon = Lexicon::english().with_domain_words(
            domain_words
                .iter()
                .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
                .filter(|w| w.len() > 1),
        );
        let (entries, weights, vocabularies, index) =
            entries::build_entries(&kb, &lexicon, index_dir)?;
        let corrector = Corrector::new(entries.iter().flat_map(|e| e.indexed.split(' ')));
        tracing::info!(
            narratives = kb.narratives().len(),
            entries = entries.len(),
            version = kb.version(),
            "matcher ready"
        );
        let model = if kb.narratives().iter().any(|n| !n.variants.is_empty()) {
            &score::CURATED
        } else {
            &score::COLLECTION
        };
        Ok(Self {
            kb,
            index,
            entries,
            weights,
            vocabularies,
            model,
            lexicon,
            corrector,
        })
    }

    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// Matches one post. Input is validated first (sizes, options); a post with nothing to match
    /// is not an error: it gets no matches and a reason.
    pub fn match_post(&self, post: &Post, options: &MatchOptions) -> Result<MatchOutcome, Error> {
        post.validate()?;
        options.validate()?;
        let lang_hint = post.lang_hint()?;
        let outcome = |lang, matches: Vec<NarrativeMatch>, reason| MatchOutcome {
            post_id: post.id.clone(),
            lang,
            no_match_reason: matches.is_empty().then_some(reason),
            matches,
        };
        let Some(analysis) = self.analyze(&post.text, lang_hint) else {
            return Ok(outcome(
                lang_hint.unwrap_or(Lang::En),
                Vec::new(),
                REASON_EMPTY,
            ));
        };
        if analysis.known.is_empty() {
            return Ok(outcome(analysis.lang, Vec::new(), REASON_NO_SHARED_WORDS));
        }
        let mut matches = self.rank(&post.text, &analysis);
        matches.retain(|m| m.score >= options.min_score);
        matches.truncate(options.max_matches);
        Ok(outcome(analysis.lang, matches, REASON_BELOW_THRESHOLD))
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
        let mut hits = self.rank(query, &analysis);
        hits.retain(|m| m.score > 0.0);
        hits.truncate(max_results);
        Ok(hits)
    }

    /// Normalises, corrects and analyses a text; `None` when nothing is left of it.
    fn analyze(&self, raw: &str, lang_hint: Option<Lang>) -> Option<Analysis> {
        let normalized = text::normalize(raw, &self.lexicon);
        if normalized.text.is_empty() {
            return None;
        }
        let mut lang = lang_hint.unwrap_or(normalized.lang);
        if !self.weights.has(lang) {
            lang = Lang::En;
        }
        let words: Vec<String> = normalized
            .text
            .split(' ')
            .map(|w| self.correct(w).unwrap_or(w).to_owned())
            .collect();
        // Analyse the corrected text once and map each term back to the word it came from.
        let corrected = words.join(" ");
        let starts: Vec<usize> = words
            .iter()
            .scan(0, |at, w| {
                let start = *at;
                *at += w.len() + 1;
                Some(start)
            })
            .collect();
        let mut known = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut weight = 0.0;
        let analysed = self.index.analyze(&corrected, lang);
        let bigrams =
            entries::bigrams(&analysed.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>());
        for (term, range) in analysed {
            let word = starts
                .partition_point(|&s| s <= range.start)
                .saturating_sub(1);
            let w = self.weights.get(lang, &term);
            if !seen.contains(&term) {
                weight += w.unwrap_or(UNKNOWN_TERM_WEIGHT);
                seen.insert(term.clone());
            }
            if w.is_some() {
                known.push((term, word));
            }
        }
        Some(Analysis {
            lang,
            normalized: normalized.text,
            words,
            known,
            weight,
            bigrams,
        })
    }

    /// A correction for a word the knowledge base does not know and English does not have.
    fn correct(&self, word: &str) -> Option<&str> {
        if self.corrector.knows(word) || self.lexicon.is_english_word(word) {
            return None;
        }
        self.corrector.correct(word)
    }

    /// Every narrative with any overlap, scored, best first.
    fn rank(&self, raw: &str, analysis: &Analysis) -> Vec<NarrativeMatch> {
        let mut terms: Vec<&str> = analysis.known.iter().map(|(t, _)| t.as_str()).collect();
        terms.sort_unstable();
        terms.dedup();
        let weight_of = |t: &str| self.weights.get(analysis.lang, t).unwrap_or(0.0);
        // Per narrative, the best entry of each kind that matched.
        let mut best: HashMap<usize, Best> = HashMap::new();
        let mut narrative_coverage: HashMap<usize, f32> = HashMap::new();
        let hits = self.index.search(&terms, analysis.lang, CANDIDATES);
        let top_bm25 = hits.first().map_or(0.0, |(_, s)| *s);
        for (entry_no, bm25) in hits {
            let entry = &self.entries[entry_no as usize];
            let shared: Vec<&str> = terms
                .iter()
                .copied()
                .filter(|t| entry.terms.binary_search_by(|e| e.as_str().cmp(t)).is_ok())
                .collect();
            let matched_weight: f32 = shared.iter().map(|t| weight_of(t)).sum();
            let vocab = &self.vocabularies[entry.narrative];
            let on_topic = *narrative_coverage
                .entry(entry.narrative)
                .or_insert_with(|| {
                    let in_vocab = terms.iter().filter(|t| vocab.contains(analysis.lang, t));
                    ratio(in_vocab.map(|t| weight_of(t)).sum(), analysis.weight)
                });
            let overlap = Overlap {
                entry_coverage: ratio(matched_weight, entry.weight),
                post_coverage: ratio(matched_weight, analysis.weight),
                narrative_coverage: on_topic,
                matched_terms: shared.len(),
                anchored: vocab.anchored(analysis.lang, &shared),
                bm25_share: ratio(bm25, top_bm25),
                bigram_share: ratio(
                    analysis
                        .bigrams
                        .iter()
                        .filter(|b| entry.bigrams.binary_search(b).is_ok())
                        .count() as f32,
                    analysis.bigrams.len() as f32,
                ),
            };
            let score = self.model.score(&overlap);
            best.entry(entry.narrative).or_default().offer(
                entry.kind,
                entry_no as usize,
                overlap,
                score,
            );
        }
        let mut matches: Vec<NarrativeMatch> = best
            .into_iter()
            .filter_map(|(narrative, best)| self.explain(raw, analysis, narrative, &best))
            .collect();
        matches.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.narrative_id.cmp(&b.narrative_id))
        });
        matches
    }

    fn explain(
        &self,
        raw: &str,
        analysis: &Analysis,
        narrative: usize,
        best: &Best,
    ) -> Option<NarrativeMatch> {
        let (claim, statement) = (best.text, best.statement);
        let claim_sim = claim.map_or(0.0, |(_, s)| s);
        let statement_sim = statement.map_or(0.0, |(_, s)| s);
        // A post echoing the rebuttals is about the narrative too, if a little less surely.
        let (entry_no, score) = match (claim, statement) {
            (Some((e, _)), _) if claim_sim >= statement_sim * STATEMENT_DISCOUNT => (e, claim_sim),
            (_, Some((e, _))) => (e, statement_sim * STATEMENT_DISCOUNT),
            (Some((e, _)), None) => (e, claim_sim),
            (None, None) => return None,
        };
        let overlap = best.overlaps.get(&entry_no).copied().unwrap_or_default();
        let entry = &self.entries[entry_no];
        let n = &self.kb.narratives()[narrative];
        let signals = stance::signals(
            raw,
            &analysis.normalized,
            analysis.lang,
            claim_sim,
            statement_sim,
        );
        let matched_words = self.matched_words(analysis, entry);
        let id = match entry.kind {
            EntryKind::Claim(i) => n.claims[i].id.clone(),
            EntryKind::Statement(i) => self.kb.statements()[i].id.clone(),
            EntryKind::Variant(i) => format!("{}#variant-{i}", n.id),
            EntryKind::Title => format!("{}#title", n.id),
        };
        let claim_id = best.claim.and_then(|(e, _)| match self.entries[e].kind {
            EntryKind::Claim(i) => Some(n.claims[i].id.clone()),
            _ => None,
        });
        Some(NarrativeMatch {
            narrative_id: n.id.clone(),
            narrative_title: n.title.clone(),
            score,
            stance: stance::decide(&signals),
            evidence: Evidence {
                kind: entry.kind.name(),
                id,
                text: entry.text.clone(),
                matched_words,
            },
            claim_id,
            statement_ids: n.statement_ids.clone(),
            overlap,
        })
    }

    /// The post's words (normalised, corrected) whose terms the entry contains, in post order.
    fn matched_words(&self, analysis: &Analysis, entry: &Entry) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (term, word) in &analysis.known {
            if entry.terms.binary_search(term).is_ok() && !out.contains(&analysis.words[*word]) {
                out.push(analysis.words[*word].clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
