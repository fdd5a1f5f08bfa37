//! The texts the matcher searches: every narrative's title, claims, variants and rebuttal
//! statements, each an *entry* with its analysed terms, and the IDF weight of every term.

use std::collections::HashMap;

use super::bm25::Bm25;
use crate::kb::KnowledgeBase;
use crate::search::{IndexText, SearchIndex};
use crate::text::{self, Lang, Lexicon};

/// What an entry's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Title,
    Claim(usize),
    Variant(usize),
    Statement(usize),
}

impl EntryKind {
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Title => "title",
            EntryKind::Claim(_) => "claim",
            EntryKind::Variant(_) => "variant",
            EntryKind::Statement(_) => "statement",
        }
    }
}

pub struct Entry {
    pub narrative: usize,
    pub kind: EntryKind,
    /// The text as written in the knowledge base.
    pub text: String,
    /// The normalised text that was indexed.
    pub indexed: String,
    pub lang: Lang,
    /// Distinct analysed terms, sorted.
    pub terms: Vec<TermId>,
    /// Hashes of adjacent term pairs, sorted: shared pairs mean shared phrasing.
    pub bigrams: Vec<u64>,
    /// Sum of the terms' IDF: the most a post can match of this entry.
    pub weight: f32,
}

/// A narrative's vocabulary in each language: every term of its claims, variants and title, and
/// its *anchors*, the terms in at least [`ANCHOR_SHARE`] of those texts. A post that shares none
/// of the anchors with a narrative ("prints hoodies in China" against "China will print
/// ballots") is not about it, whatever else it shares. Narratives with fewer than
/// [`ANCHOR_MIN_TEXTS`] texts in a language have no anchors there (one claim says too little
/// about which of its words matter most).
#[derive(Default)]
pub struct NarrativeVocab {
    terms: [Vec<TermId>; 2],
    anchors: [Option<Vec<TermId>>; 2],
}

const ANCHOR_SHARE: f32 = 0.3;
const ANCHOR_MIN_TEXTS: usize = 3;

impl NarrativeVocab {
    /// Whether `shared` (terms a post shares with the narrative) holds an anchor; true when the
    /// narrative has no anchors in that language.
    pub fn anchored(&self, lang: Lang, shared: &[TermId]) -> bool {
        match &self.anchors[lang as usize] {
            None => true,
            Some(anchors) => shared.iter().any(|t| anchors.binary_search(t).is_ok()),
        }
    }

    /// Every term of the narrative's claims, variants and title in `lang`, sorted.
    pub fn terms(&self, lang: Lang) -> &[TermId] {
        &self.terms[lang as usize]
    }
}

fn vocabularies(entries: &[Entry], narratives: usize) -> Vec<NarrativeVocab> {
    let mut texts: Vec<[Vec<&Entry>; 2]> = (0..narratives).map(|_| Default::default()).collect();
    for e in entries
        .iter()
        .filter(|e| !matches!(e.kind, EntryKind::Statement(_)))
    {
        texts[e.narrative][e.lang as usize].push(e);
    }
    texts
        .iter()
        .map(|by_lang| {
            let mut vocab = NarrativeVocab::default();
            for (lang, group) in by_lang.iter().enumerate() {
                let mut df: HashMap<TermId, usize> = HashMap::new();
                for &t in group.iter().flat_map(|e| &e.terms) {
                    *df.entry(t).or_default() += 1;
                }
                let mut terms: Vec<TermId> = df.keys().copied().collect();
                terms.sort_unstable();
                vocab.terms[lang] = terms;
                if group.len() >= ANCHOR_MIN_TEXTS {
                    let mut anchors: Vec<TermId> = df
                        .into_iter()
                        .filter(|&(_, d)| d as f32 >= ANCHOR_SHARE * group.len() as f32)
                        .map(|(t, _)| t)
                        .collect();
                    anchors.sort_unstable();
                    vocab.anchors[lang] = Some(anchors);
                }
            }
            vocab
        })
        .collect()
}

/// A term's number in [`Terms`]; entries and posts compare these rather than strings.
pub type TermId = u32;

/// Every analysed term of the knowledge base, per language, numbered, with its inverse
/// document frequency over entries.
#[derive(Default)]
pub struct Terms {
    ids: [rustc_hash::FxHashMap<String, TermId>; 2],
    /// IDF by term id (ids are shared across languages).
    idf: Vec<f32>,
}

impl Terms {
    pub fn id(&self, lang: Lang, term: &str) -> Option<TermId> {
        self.ids[lang as usize].get(term).copied()
    }

    pub fn idf(&self, term: TermId) -> f32 {
        self.idf.get(term as usize).copied().unwrap_or(0.0)
    }

    /// Whether the knowledge base has any text in this language.
    pub fn has(&self, lang: Lang) -> bool {
        !self.ids[lang as usize].is_empty()
    }

    fn intern(&mut self, lang: Lang, term: &str) -> TermId {
        let next = self.idf.len() as TermId;
        let id = *self.ids[lang as usize]
            .entry(term.to_owned())
            .or_insert(next);
        if id == next {
            self.idf.push(0.0);
        }
        id
    }
}

/// The raw texts of every entry, in a fixed order (narratives in the knowledge base's order,
/// then title, claims, variants, statements), so entry numbers are stable for a given knowledge
/// base.
pub fn entry_texts(kb: &KnowledgeBase) -> Vec<(usize, EntryKind, String)> {
    let mut out = Vec::new();
    for (n, narrative) in kb.narratives().iter().enumerate() {
        // The title is its own entry unless a claim already carries it.
        let title_in_claims = narrative
            .claims
            .iter()
            .any(|c| c.text == narrative.title || c.title == narrative.title);
        if !narrative.title.is_empty() && !title_in_claims {
            out.push((n, EntryKind::Title, narrative.title.clone()));
        }
        for (i, claim) in narrative.claims.iter().enumerate() {
            let text = [&claim.text, &claim.title, &claim.subtitle]
                .into_iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" \n ");
            out.push((n, EntryKind::Claim(i), text));
        }
        for (i, variant) in narrative.variants.iter().enumerate() {
            out.push((n, EntryKind::Variant(i), variant.clone()));
        }
        for statement in kb.statements_for(narrative) {
            let i = kb
                .statements()
                .iter()
                .position(|s| s.id == statement.id)
                .unwrap_or(0);
            out.push((n, EntryKind::Statement(i), statement.quote.clone()));
        }
    }
    out
}

/// Everything the matcher derives from the knowledge base's texts.
pub struct Corpus {
    pub entries: Vec<Entry>,
    pub terms: Terms,
    pub vocabularies: Vec<NarrativeVocab>,
    pub bm25: Bm25,
    pub index: SearchIndex,
}

/// Normalises and analyses every entry, computes term weights and indexes the entries.
pub fn build(
    kb: &KnowledgeBase,
    lexicon: &Lexicon,
    index_dir: Option<&std::path::Path>,
) -> Result<Corpus, crate::Error> {
    let mut entries: Vec<Entry> = entry_texts(kb)
        .into_iter()
        .map(|(narrative, kind, text)| {
            let normalized = text::normalize(&text, lexicon);
            Entry {
                narrative,
                kind,
                text,
                indexed: normalized.text,
                lang: normalized.lang,
                terms: Vec::new(),
                bigrams: Vec::new(),
                weight: 0.0,
            }
        })
        .collect();
    let index = SearchIndex::build(
        entries.iter().enumerate().map(|(i, e)| IndexText {
            entry: i as u64,
            text: &e.indexed,
            lang: e.lang,
        }),
        index_dir,
        kb.version(),
    )?;
    let mut terms = Terms::default();
    let mut df: Vec<u32> = Vec::new();
    let mut count = [0u32; 2];
    let mut docs: Vec<(Lang, Vec<TermId>)> = Vec::with_capacity(entries.len());
    for entry in &mut entries {
        let analysed: Vec<String> = index
            .analyze(&entry.indexed, entry.lang)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        let in_order: Vec<TermId> = analysed
            .iter()
            .map(|t| terms.intern(entry.lang, t))
            .collect();
        entry.bigrams = bigrams(&in_order.iter().map(|&t| u64::from(t)).collect::<Vec<_>>());
        let mut ids = in_order.clone();
        docs.push((entry.lang, in_order));
        ids.sort_unstable();
        ids.dedup();
        count[entry.lang as usize] += 1;
        df.resize(terms.idf.len(), 0);
        for &t in &ids {
            df[t as usize] += 1;
        }
        entry.terms = ids;
    }
    // BM25's IDF, over the entries of the term's language.
    for lang in [Lang::En, Lang::Es] {
        let n = count[lang as usize] as f32;
        for &id in terms.ids[lang as usize].values() {
            let d = df[id as usize] as f32;
            terms.idf[id as usize] = (1.0 + (n - d + 0.5) / (d + 0.5)).ln();
        }
    }
    for entry in &mut entries {
        entry.weight = entry.terms.iter().map(|&t| terms.idf(t)).sum();
    }
    let vocabularies = vocabularies(&entries, kb.narratives().len());
    let bm25 = Bm25::new(&docs, terms.idf.len());
    Ok(Corpus {
        entries,
        terms,
        vocabularies,
        bm25,
        index,
    })
}

/// Hashes of the adjacent pairs of `terms` (in text order, each a term id or the key of an
/// unknown term, see `words::WordTerm::key`), sorted and deduplicated.
pub fn bigrams(terms: &[u64]) -> Vec<u64> {
    use std::hash::BuildHasher;
    let mut out: Vec<u64> = terms
        .windows(2)
        .map(|pair| rustc_hash::FxBuildHasher.hash_one((pair[0], pair[1])))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}
