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

use entries::{Entry, EntryKind, NarrativeVocab, TermId, Terms};
pub use post::{MatchOptions, Post};
pub use score::Overlap;
pub use score::{DEFAULT_THRESHOLD, FEATURES};
use score::{ScoreModel, UNKNOWN_TERM_WEIGHT, ratio};
use spell::Corrector;
pub use stance::Stance;

/// How many entries BM25 retrieval hands to the scorer.
const CANDIDATES: usize = 20;

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
    text: Option<(usize, f32, Overlap)>,
    claim: Option<(usize, f32, Overlap)>,
    statement: Option<(usize, f32, Overlap)>,
}

impl Best {
    /// The entry the match rests on and its score: the best claim or variant, unless a rebuttal
    /// statement matched clearly better (a post echoing the rebuttals is about the narrative
    /// too, if a little less surely).
    fn choice(&self) -> Option<(usize, f32, Overlap)> {
        let text = self.text.map_or(0.0, |(_, s, _)| s);
        let statement = self.statement.map_or(0.0, |(_, s, _)| s);
        match (self.text, self.statement) {
            (Some(t), _) if text >= statement * STATEMENT_DISCOUNT => Some(t),
            (_, Some((e, s, o))) => Some((e, s * STATEMENT_DISCOUNT, o)),
            (Some(t), None) => Some(t),
            (None, None) => None,
        }
    }

    fn score(&self) -> f32 {
        self.choice().map_or(0.0, |(_, s, _)| s)
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

/// The elements of two sorted slices that both hold, in order.
fn sorted_intersection(a: &[TermId], b: &[TermId]) -> Vec<TermId> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// A post after analysis: its normalised words (spelling corrected) and analysed terms.
struct Analysis {
    lang: Lang,
    normalized: String,
    words: Vec<String>,
    /// (term, index of the word it came from), only terms the knowledge base knows.
    known: Vec<(TermId, usize)>,
    /// The distinct known terms: ids sorted, and their text for retrieval.
    term_ids: Vec<TermId>,
    term_texts: Vec<String>,
    /// Sum of IDF of known distinct terms plus a fixed weight per unknown one.
    weight: f32,
    /// Hashes of adjacent term pairs (see `entries::bigrams`).
    bigrams: Vec<u64>,
}

pub struct Matcher {
    kb: Arc<KnowledgeBase>,
    index: SearchIndex,
    entries: Vec<Entry>,
    terms: Terms,
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
        let (entries, terms, vocabularies, index) =
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
            terms,
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
        if analysis.term_ids.is_empty() {
            return Ok(outcome(analysis.lang, Vec::new(), REASON_NO_SHARED_WORDS));
        }
        // The cheap path most posts take: too few shared terms to score above zero.
        if analysis.term_ids.len() < self.model.min_matched_terms() && options.min_score > 0.0 {
            return Ok(outcome(analysis.lang, Vec::new(), REASON_BELOW_THRESHOLD));
        }
        let matches = self.answer(
            &post.text,
            &analysis,
            options.min_score,
            options.max_matches,
        );
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
        Ok(self.answer(query, &analysis, f32::MIN_POSITIVE, max_results))
    }

    /// Normalises, corrects and analyses a text; `None` when nothing is left of it.
    fn analyze(&self, raw: &str, lang_hint: Option<Lang>) -> Option<Analysis> {
        let normalized = text::normalize(raw, &self.lexicon);
        if normalized.text.is_empty() {
            return None;
        }
        let mut lang = lang_hint.unwrap_or(normalized.lang);
        if !self.terms.has(lang) {
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
        let mut term_ids = Vec::new();
        let mut term_texts = Vec::new();
        let mut unknown: HashSet<&str> = HashSet::new();
        let mut weight = 0.0;
        let analysed = self.index.analyze(&corrected, lang);
        let bigrams =
            entries::bigrams(&analysed.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>());
        for (term, range) in &analysed {
            let word = starts
                .partition_point(|&s| s <= range.start)
                .saturating_sub(1);
            match self.terms.id(lang, term) {
                Some(id) => {
                    if !term_ids.contains(&id) {
                        term_ids.push(id);
                        term_texts.push(term.clone());
                        weight += self.terms.idf(id);
                    }
                    known.push((id, word));
                }
                None => {
                    if unknown.insert(term) {
                        weight += UNKNOWN_TERM_WEIGHT;
                    }
                }
            }
        }
        term_ids.sort_unstable();
        Some(Analysis {
            lang,
            normalized: normalized.text,
            words,
            known,
            term_ids,
            term_texts,
            weight,
            bigrams,
        })
    }

    /// A correction for a word the knowledge base does not know and English does not have.
    fn correct(&self, word: &str) -> Option<&str> {
        if !self.corrector.may_correct(word)
            || self.corrector.knows(word)
            || self.lexicon.is_english_word(word)
        {
            return None;
        }
        self.corrector.correct(word)
    }

    /// The best `max` narratives scoring at least `min_score`, explained.
    fn answer(
        &self,
        raw: &str,
        analysis: &Analysis,
        min_score: f32,
        max: usize,
    ) -> Vec<NarrativeMatch> {
        let chosen: Vec<(usize, Best)> = self
            .rank(analysis)
            .into_iter()
            .filter(|(_, best)| best.score() >= min_score)
            .take(max)
            .collect();
        if chosen.is_empty() {
            return Vec::new();
        }
        let cues = stance::PostCues::new(raw, &analysis.normalized, analysis.lang);
        chosen
            .iter()
            .filter_map(|(narrative, best)| self.explain(&cues, analysis, *narrative, best))
            .collect()
    }

    /// Every narrative with any overlap, best first (ties in narrative id order).
    fn rank(&self, analysis: &Analysis) -> Vec<(usize, Best)> {
        let texts: Vec<&str> = analysis.term_texts.iter().map(String::as_str).collect();
        let hits = self.index.search(&texts, analysis.lang, CANDIDATES);
        let top_bm25 = hits.first().map_or(0.0, |(_, s)| *s);
        // Per narrative, the best entry of each kind that matched.
        let mut best: HashMap<usize, Best> = HashMap::new();
        let mut narrative_coverage: HashMap<usize, f32> = HashMap::new();
        for (entry_no, bm25) in hits {
            let entry = &self.entries[entry_no as usize];
            let shared = sorted_intersection(&analysis.term_ids, &entry.terms);
            let matched_weight: f32 = shared.iter().map(|&t| self.terms.idf(t)).sum();
            let vocab = &self.vocabularies[entry.narrative];
            let on_topic = *narrative_coverage
                .entry(entry.narrative)
                .or_insert_with(|| {
                    let in_vocab = analysis
                        .term_ids
                        .iter()
                        .filter(|&&t| vocab.contains(analysis.lang, t));
                    ratio(in_vocab.map(|&t| self.terms.idf(t)).sum(), analysis.weight)
                });
            let shared_bigrams = analysis
                .bigrams
                .iter()
                .filter(|b| entry.bigrams.binary_search(b).is_ok())
                .count();
            let overlap = Overlap {
                entry_coverage: ratio(matched_weight, entry.weight),
                post_coverage: ratio(matched_weight, analysis.weight),
                narrative_coverage: on_topic,
                matched_terms: shared.len(),
                anchored: vocab.anchored(analysis.lang, &shared),
                bm25_share: ratio(bm25, top_bm25),
                bigram_share: ratio(shared_bigrams as f32, analysis.bigrams.len() as f32),
            };
            let score = self.model.score(&overlap);
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

    fn explain(
        &self,
        cues: &stance::PostCues,
        analysis: &Analysis,
        narrative: usize,
        best: &Best,
    ) -> Option<NarrativeMatch> {
        let (entry_no, score, overlap) = best.choice()?;
        let claim_sim = best.text.map_or(0.0, |(_, s, _)| s);
        let statement_sim = best.statement.map_or(0.0, |(_, s, _)| s);
        let entry = &self.entries[entry_no];
        let n = &self.kb.narratives()[narrative];
        let matched_words = self.matched_words(analysis, entry);
        let id = match entry.kind {
            EntryKind::Claim(i) => n.claims[i].id.clone(),
            EntryKind::Statement(i) => self.kb.statements()[i].id.clone(),
            EntryKind::Variant(i) => format!("{}#variant-{i}", n.id),
            EntryKind::Title => format!("{}#title", n.id),
        };
        let claim_id = best.claim.and_then(|(e, _, _)| match self.entries[e].kind {
            EntryKind::Claim(i) => Some(n.claims[i].id.clone()),
            _ => None,
        });
        Some(NarrativeMatch {
            narrative_id: n.id.clone(),
            narrative_title: n.title.clone(),
            score,
            stance: stance::decide(cues, statement_sim - claim_sim),
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
mod tests;
