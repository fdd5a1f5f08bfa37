//! The [`Lexicon`]: which words exist, and how likely each one is.
//!
//! Segmentation (hashtags, letter-spaced runs), leetspeak decoding and
//! elongation squeezing all have to choose between several readings of the
//! same characters; they ask the lexicon which readings are words and how
//! plausible each is. Plausibility is a *cost* (lower = more likely): for the
//! embedded English list it is `ln(rank + 2)` plus a constant per word, the
//! usual Zipf approximation of `-ln P(word)`; knowledge-base words get a
//! small flat cost, since they are exactly what the matcher wants to find.
//!
//! The spell corrector also asks it whether a word is common Spanish
//! (`spanish_common_words.txt`, 521 words from spaCy's list, see its header).
//!
//! The English list (`english_words.txt`, see its header and the module
//! docs of `text`) is parsed once into a static [`WordMap`] of costs (and a
//! list of the words, which borrow the embedded text), so
//! [`Lexicon::english`] is cheap and never copies it. Adding knowledge-base
//! words copies it once, so that every word costs one lookup whichever list
//! it comes from: segmentation asks for the cost of every piece of every
//! hashtag, and a second lookup in a map of domain words was a twentieth of
//! lexical scoring.

use std::fmt;
use std::sync::{Arc, LazyLock};

use super::{WordMap, WordMemo};

/// Cost added to every word: makes fewer, longer words win over many short ones.
pub(crate) const WORD_COST: f32 = 3.0;
/// Cost of a knowledge-base word (about that of the most common English words).
pub(crate) const DOMAIN_COST: f32 = WORD_COST + 1.0;

/// Common misspellings that occur among the most frequent words of the web
/// corpus. They are kept out of the lexicon so that the spell corrector still
/// corrects them and segmentation or squeezing never produces them.
#[rustfmt::skip]
pub(crate) const EXCLUDED_MISSPELLINGS: &[&str] = &[
    "accomodation", "accomodations", "adress", "advertisment", "alot", "amature", "amatuer",
    "bufing", "calender", "definately", "ect", "independant", "lingere", "millenium", "occured",
    "recieve", "recieved", "seperate", "soo", "sooo", "teh", "ther", "thier", "voyuer", "wierd",
];

const ENGLISH_WORDS: &str = include_str!("english_words.txt");

/// Common Spanish words (see the file's header), which the spell corrector leaves alone.
static SPANISH_COMMON: LazyLock<rustc_hash::FxHashSet<&'static str>> = LazyLock::new(|| {
    include_str!("spanish_common_words.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// What the lexicon knows of a word.
#[derive(Clone, Copy)]
struct Known {
    cost: f32,
    /// Whether the word is in the English list (it may be a knowledge-base word too).
    english: bool,
}

struct EnglishList {
    costs: Arc<WordMap<Known>>,
    /// The words, in rank order.
    words: Vec<&'static str>,
    max_len: usize,
}

static ENGLISH: LazyLock<EnglishList> = LazyLock::new(|| {
    let mut costs = WordMap::with_capacity(32_768);
    let mut in_order = Vec::with_capacity(32_768);
    let mut max_len = 0;
    let words = ENGLISH_WORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|w| !EXCLUDED_MISSPELLINGS.contains(w) && !has_triple(w));
    for (rank, word) in words.enumerate() {
        max_len = max_len.max(word.len());
        let cost = (rank as f32 + 2.0).ln() + WORD_COST;
        if costs.insert_new(
            word,
            Known {
                cost,
                english: true,
            },
        ) {
            in_order.push(word);
        }
    }
    EnglishList {
        costs: Arc::new(costs),
        words: in_order,
        max_len,
    }
});

/// True if some character occurs three times in a row (`www`, `sooo`).
pub(crate) fn has_triple(word: &str) -> bool {
    let mut prev = None;
    let mut run = 0;
    for c in word.chars() {
        run = if Some(c) == prev { run + 1 } else { 1 };
        if run >= 3 {
            return true;
        }
        prev = Some(c);
    }
    false
}

/// Words the segmenter and leetspeak decoder may produce, with a cost
/// (lower = more likely). Built from an embedded English word list plus the
/// knowledge base's own vocabulary (KB words are preferred: they are what we
/// want to find).
#[derive(Clone)]
pub struct Lexicon {
    /// Every known word, English or from the knowledge base.
    words: Arc<WordMap<Known>>,
    max_len: usize,
    /// Hashtags split with these words (see `segment::push_tag_words`).
    pub(crate) tag_words: Arc<WordMemo<Box<str>>>,
}

impl fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lexicon")
            .field("english_words", &ENGLISH.costs.len())
            .field("words", &self.words.len())
            .finish()
    }
}

impl Lexicon {
    /// The embedded English list only.
    pub fn english() -> Lexicon {
        Lexicon {
            words: Arc::clone(&ENGLISH.costs),
            max_len: ENGLISH.max_len,
            tag_words: Arc::default(),
        }
    }

    /// Adds knowledge-base words (lowercased) with a low cost. Each item is
    /// split on whitespace and trimmed of surrounding punctuation; words of
    /// one character and words with a tripled character are skipped (they
    /// would make segmentation and squeezing unstable).
    pub fn with_domain_words<'a>(mut self, words: impl IntoIterator<Item = &'a str>) -> Lexicon {
        self.tag_words = Arc::default();
        for item in words {
            for raw in item.split_whitespace() {
                let word = raw
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                if word.chars().count() < 2 || has_triple(&word) {
                    continue;
                }
                let words = Arc::make_mut(&mut self.words);
                let english = words.get(&word).is_some_and(|k| k.english);
                let known = Known {
                    cost: DOMAIN_COST,
                    english,
                };
                words.insert(&word, known);
                self.max_len = self.max_len.max(word.len());
            }
        }
        self
    }

    /// Every word of the embedded English list (lowercase), most frequent first.
    pub fn english_words(&self) -> impl Iterator<Item = &'static str> + Clone {
        ENGLISH.words.iter().copied()
    }

    /// Whether `word` (any case) is a known word, English or domain.
    pub fn contains(&self, word: &str) -> bool {
        self.with_lower(word, |w| self.cost(w).is_some())
    }

    /// Whether `word` (any case) is in the embedded English list. The spell
    /// corrector uses this to leave real words such as "ballet" alone.
    pub fn is_english_word(&self, word: &str) -> bool {
        self.with_lower(word, |w| self.words.get(w).is_some_and(|k| k.english))
    }

    /// Whether `word` (any case) is a common Spanish word ("tengo", "cuenta"), which the spell
    /// corrector leaves alone as it does English ones.
    pub fn is_common_spanish_word(&self, word: &str) -> bool {
        self.with_lower(word, |w| SPANISH_COMMON.contains(w))
    }

    fn with_lower(&self, word: &str, f: impl Fn(&str) -> bool) -> bool {
        if word.chars().any(char::is_uppercase) {
            f(&word.to_lowercase())
        } else {
            f(word)
        }
    }

    /// Cost of an already-lowercase word, `None` if unknown.
    pub(crate) fn cost(&self, word: &str) -> Option<f32> {
        self.words.get(word).map(|k| k.cost)
    }

    /// Length in bytes of the longest known word (bounds segmentation work).
    pub(crate) fn max_word_len(&self) -> usize {
        self.max_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_spanish_words_are_known_as_such() {
        let lex = Lexicon::english();
        for w in ["tengo", "Cuenta", "va", "para"] {
            assert!(lex.is_common_spanish_word(w), "{w}");
        }
        for w in ["tongo", "fraude", "boletas", "ballot", "# Common"] {
            assert!(!lex.is_common_spanish_word(w), "{w}");
        }
    }

    #[test]
    fn list_is_loaded_in_rank_order() {
        let lex = Lexicon::english();
        assert!(ENGLISH.costs.len() > 25_000);
        assert!(lex.cost("the").unwrap() < lex.cost("ballots").unwrap());
        assert!(lex.contains("ballots") && lex.contains("Election"));
        assert!(!lex.contains("") && !lex.contains("qzxv"));
    }

    #[test]
    fn common_real_words_are_english() {
        let lex = Lexicon::english();
        for w in [
            "ballet",
            "ballad",
            "ballot",
            "fraud",
            "mail",
            "vote",
            "china",
            "counterfeit",
        ] {
            assert!(lex.is_english_word(w), "{w}");
        }
    }

    #[test]
    fn misspellings_and_tripled_letters_are_excluded() {
        let lex = Lexicon::english();
        for w in EXCLUDED_MISSPELLINGS
            .iter()
            .chain(&["counterfit", "balots", "www", "xxx"])
        {
            assert!(!lex.contains(w), "{w}");
        }
    }

    #[test]
    fn domain_words_are_lowercased_and_cheap() {
        let lex = Lexicon::english().with_domain_words(["Rigged", "Dominion mail-in", "x", "zzz"]);
        assert!(lex.contains("rigged") && lex.contains("RIGGED"));
        assert!(lex.contains("mail-in") && lex.contains("dominion"));
        assert!(!lex.is_english_word("rigged"));
        assert_eq!(lex.cost("dominion"), Some(DOMAIN_COST));
        assert!(!lex.contains("zzz"));
        assert!(lex.cost("x").unwrap() > DOMAIN_COST);
        let english = Lexicon::english();
        let new = ["rigged", "dominion", "mail-in"]
            .into_iter()
            .filter(|w| !english.contains(w));
        assert_eq!(lex.words.len(), english.words.len() + new.count());
        assert!(
            english.cost("rigged").is_none(),
            "the English list is not changed"
        );
    }

    #[test]
    fn triple_detection() {
        assert!(has_triple("sooo") && has_triple("aaa"));
        assert!(!has_triple("too") && !has_triple(""));
    }
}
