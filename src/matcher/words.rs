//! The analysis of every word the matcher can look up rather than compute: the embedded English
//! word list and the knowledge base's own words, each with what the analyser (stop words,
//! stemming) makes of it in each language.
//!
//! Most words of a post are in the table, so most posts need neither stemming nor spelling
//! correction: this is what keeps the path of a post that matches nothing cheap. The table is
//! computed once, when the matcher is built, and does not depend on the posts it sees. Words
//! it does not hold take the full path (correction, then the analyser) and give the same
//! result as they would without the table.
//!
//! Words outside the table (numbers, names, contractions: about one word in ten of the
//! benchmark tweets) took a fifth of lexical scoring. Each thread remembers what analysis made
//! of them in the [`WordCache`], up to a bound.

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

use super::entries::{TermId, Terms};
use crate::text::{Lang, WordMap, WordMemo};

/// What analysis makes of one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordTerm {
    /// A stop word: no term.
    Stop,
    /// A term of the knowledge base.
    Known(TermId),
    /// A term the knowledge base does not have, identified by [`unknown_key`].
    Unknown(u64),
}

impl WordTerm {
    /// The term of an analysed token.
    pub fn of(terms: &Terms, lang: Lang, term: &str) -> Self {
        terms
            .id(lang, term)
            .map_or(WordTerm::Unknown(unknown_key(term)), WordTerm::Known)
    }

    /// The term as one number, for bigrams: known terms are their id, unknown ones a hash
    /// with the top bit set, so the two never collide.
    pub fn key(self) -> Option<u64> {
        match self {
            WordTerm::Stop => None,
            WordTerm::Known(id) => Some(u64::from(id)),
            WordTerm::Unknown(key) => Some(key),
        }
    }
}

/// A fixed identity for a term the knowledge base lacks (distinct unknown terms each add to a
/// post's weight).
pub fn unknown_key(term: &str) -> u64 {
    FxBuildHasher.hash_one(term) | 1 << 63
}

#[derive(Default)]
pub struct WordTable {
    by_lang: [WordMap<WordTerm>; 2],
}

impl WordTable {
    /// Analyses the knowledge base's words in each language it has, and the English word list
    /// in English. `analyze` is the matcher's analyser; words it splits into several tokens are
    /// left out (they take the full path).
    pub fn build<'a>(
        kb_words: &[&'a str],
        english: impl Iterator<Item = &'a str>,
        terms: &Terms,
        analyze: impl Fn(&str, Lang) -> Vec<String>,
    ) -> Self {
        let mut table = WordTable::default();
        let mut add = |lang: Lang, word: &str| {
            let term = match analyze(word, lang).as_slice() {
                [] => WordTerm::Stop,
                [term] => WordTerm::of(terms, lang, term),
                _ => return,
            };
            table.insert(lang, word, term);
        };
        for lang in [Lang::En, Lang::Es].into_iter().filter(|&l| terms.has(l)) {
            for word in kb_words {
                add(lang, word);
            }
        }
        if terms.has(Lang::En) {
            for word in english {
                add(Lang::En, word);
            }
        }
        table
    }

    fn insert(&mut self, lang: Lang, word: &str, term: WordTerm) {
        self.by_lang[lang as usize].insert(word, term);
    }

    pub fn get(&self, lang: Lang, word: &str) -> Option<WordTerm> {
        self.by_lang[lang as usize].get(word).copied()
    }
}

/// What analysis made of the words the [`WordTable`] lacks, remembered per thread: only words
/// analysed without a spelling correction, since a correction borrows from the corrector. A
/// value is what the full path computes for the word, so the cache changes no result.
#[derive(Default)]
pub struct WordCache {
    by_lang: [WordMemo<Box<[WordTerm]>>; 2],
}

impl WordCache {
    /// Appends the remembered terms of `word`, each with `at`, to `found`; false if `word` is
    /// not remembered.
    pub fn append(
        &self,
        lang: Lang,
        word: &str,
        at: usize,
        found: &mut Vec<(WordTerm, usize)>,
    ) -> bool {
        self.by_lang[lang as usize]
            .with(word, |terms| found.extend(terms.iter().map(|&t| (t, at))))
            .is_some()
    }

    /// Remembers the terms of `word`.
    pub fn insert(&self, lang: Lang, word: &str, terms: impl Iterator<Item = WordTerm>) {
        self.by_lang[lang as usize].insert(word, terms.collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_kept_apart() {
        let mut table = WordTable::default();
        table.insert(Lang::En, "voto", WordTerm::Stop);
        table.insert(Lang::Es, "voto", WordTerm::Known(3));
        assert_eq!(table.get(Lang::En, "voto"), Some(WordTerm::Stop));
        assert_eq!(table.get(Lang::Es, "voto"), Some(WordTerm::Known(3)));
        assert_eq!(table.get(Lang::Es, "ballot"), None);
    }

    #[test]
    fn the_cache_remembers_terms_per_language() {
        let cache = WordCache::default();
        let mut found = Vec::new();
        assert!(!cache.append(Lang::En, "it's", 0, &mut found));
        cache.insert(
            Lang::En,
            "it's",
            [WordTerm::Stop, WordTerm::Known(7)].into_iter(),
        );
        assert!(cache.append(Lang::En, "it's", 4, &mut found));
        assert_eq!(found, [(WordTerm::Stop, 4), (WordTerm::Known(7), 4)]);
        assert!(!cache.append(Lang::Es, "it's", 0, &mut found));
    }
}
