//! A post's analysis: normalised words, spelling corrected, mapped to the knowledge base's
//! terms. Words in the [`WordTable`](super::words::WordTable) are looked up; the rest are
//! corrected and run through the analyser.

use std::ops::Range;

use super::Matcher;
use super::concepts::{Coverage, Mention};
use super::entries::{self, TermId};
use super::score::UNKNOWN_TERM_WEIGHT;
use super::words::WordTerm;
use crate::text::{self, Lang};

pub(super) struct Analysis<'m> {
    pub lang: Lang,
    pub normalized: String,
    /// Each word's byte range in `normalized`.
    spans: Vec<Range<usize>>,
    /// The words that were corrected: word number and correction.
    corrections: Vec<(usize, &'m str)>,
    /// The corrected text, made the first time the model asks for it (see
    /// [`Analysis::model_text`]).
    model_text: std::cell::OnceCell<String>,
    /// (term, number of the word it came from), only terms the knowledge base knows.
    pub known: Vec<(TermId, usize)>,
    /// The distinct known terms, sorted.
    pub term_ids: Vec<TermId>,
    /// Sum of IDF of known distinct terms plus a fixed weight per unknown one.
    pub weight: f32,
    /// Hashes of adjacent term pairs (see `entries::bigrams`).
    pub bigrams: Vec<u64>,
    /// Which of each narrative's declared concepts the post mentions (empty when the knowledge
    /// base declares none).
    pub mentions: Vec<Mention>,
    /// The word probe's probability for each narrative once it has read the post (0 for those
    /// it does not cover): the score of a post it vouches for, and the assent the probe's vouch
    /// for a narrative the post names no concept of needs
    /// ([`BARE_ASSENT`](super::probe::BARE_ASSENT)). Empty when no word probe has read the
    /// post: there is none in its language, or no narrative it covers declares concepts in that
    /// language.
    pub word_probabilities: Vec<f32>,
}

/// Normalised words read as terms (see [`Matcher::read`]).
pub(super) struct Read<'m> {
    /// Each word's byte range in the text.
    spans: Vec<Range<usize>>,
    /// The words that were corrected: word number and correction.
    corrections: Vec<(usize, &'m str)>,
    /// Every term, stop words too, with the number of the word it came from, in text order.
    pub terms: Vec<(WordTerm, usize)>,
}

impl Analysis<'_> {
    /// Whether the post mentions every concept of some narrative.
    pub fn names_a_narrative(&self) -> bool {
        self.mentions
            .iter()
            .any(|m| m.coverage() == Coverage::Complete)
    }

    /// The bytes of word `i` in `normalized`.
    pub fn span(&self, i: usize) -> Range<usize> {
        self.spans[i].clone()
    }

    /// Word `i` of the post, as corrected.
    pub fn word(&self, i: usize) -> &str {
        match self.corrections.iter().find(|(w, _)| *w == i) {
            Some((_, corrected)) => corrected,
            None => &self.normalized[self.spans[i].clone()],
        }
    }

    /// The whole post as corrected.
    pub fn corrected_text(&self) -> String {
        (0..self.spans.len())
            .map(|i| self.word(i))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// What the model embeds and the probe's first stage reads: the post as corrected (`balots`
    /// as `ballots`: the model splits a misspelled word into pieces that mean little), the
    /// normalised text when nothing was corrected. The word probes read it too, and were fitted
    /// on the fitting posts read this way.
    pub fn model_text(&self) -> &str {
        if self.corrections.is_empty() {
            return &self.normalized;
        }
        self.model_text.get_or_init(|| self.corrected_text())
    }
}

impl Matcher {
    /// Normalises, corrects and analyses a text; `None` when nothing is left of it.
    pub(super) fn analyze(&self, raw: &str, lang_hint: Option<Lang>) -> Option<Analysis<'_>> {
        let text::Normalized {
            text: normalized,
            lang: detected,
        } = text::normalize(raw, &self.lexicon);
        if normalized.is_empty() {
            return None;
        }
        let lang = match lang_hint.unwrap_or(detected) {
            lang if self.terms.has(lang) => lang,
            _ => Lang::En,
        };
        let Read {
            spans,
            corrections,
            terms: found,
        } = self.read(&normalized, lang);
        // One pass, into vectors sized once (collecting each grew it several times).
        let mut keys = Vec::with_capacity(found.len());
        let mut known = Vec::with_capacity(found.len());
        let mut unknown = Vec::with_capacity(found.len());
        for &(term, i) in &found {
            keys.extend(term.key());
            match term {
                WordTerm::Known(id) => known.push((id, i)),
                WordTerm::Unknown(key) => unknown.push(key),
                WordTerm::Stop => {}
            }
        }
        let mut term_ids: Vec<TermId> = known.iter().map(|&(t, _)| t).collect();
        term_ids.sort_unstable();
        term_ids.dedup();
        unknown.sort_unstable();
        unknown.dedup();
        let weight = term_ids.iter().map(|&t| self.terms.idf(t)).sum::<f32>()
            + unknown.len() as f32 * UNKNOWN_TERM_WEIGHT;
        let mentions = self.concepts.mentions(lang, &keys, &normalized);
        Some(Analysis {
            lang,
            normalized,
            spans,
            corrections,
            model_text: std::cell::OnceCell::new(),
            known,
            term_ids,
            weight,
            bigrams: entries::bigrams(&keys),
            mentions,
            word_probabilities: Vec::new(),
        })
    }

    /// The terms of normalised words in `lang`, each word looked up, or corrected and
    /// analysed.
    pub(super) fn read(&self, normalized: &str, lang: Lang) -> Read<'_> {
        let words = memchr::memchr_iter(b' ', normalized.as_bytes()).count() + 1;
        let mut read = Read {
            spans: Vec::with_capacity(words),
            corrections: Vec::new(),
            terms: Vec::with_capacity(words),
        };
        let found = &mut read.terms;
        let mut at = 0;
        for (i, word) in normalized.split(' ').enumerate() {
            read.spans.push(at..at + word.len());
            at += word.len() + 1;
            if let Some(term) = self.words.get(lang, word) {
                found.push((term, i));
                continue;
            }
            if self.word_cache.append(lang, word, i, found) {
                continue;
            }
            let corrected = self.correct(word, lang);
            let from = found.len();
            for (term, _) in self.index.analyze(corrected.unwrap_or(word), lang) {
                found.push((WordTerm::of(&self.terms, lang, &term), i));
            }
            match corrected {
                Some(c) => read.corrections.push((i, c)),
                None => {
                    let terms = found[from..].iter().map(|&(t, _)| t);
                    self.word_cache.insert(lang, word, terms);
                }
            }
        }
        read
    }

    /// A correction, towards the knowledge base's words in the post's language, for a word it
    /// does not know in any language and that is neither English nor a common Spanish word.
    fn correct(&self, word: &str, lang: Lang) -> Option<&str> {
        let corrector = &self.correctors[lang as usize];
        if !corrector.may_correct(word)
            || self.correctors.iter().any(|c| c.knows(word))
            || self.lexicon.is_english_word(word)
            || self.lexicon.is_common_spanish_word(word)
        {
            return None;
        }
        corrector.correct(word)
    }
}
