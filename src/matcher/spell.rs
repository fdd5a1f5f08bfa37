//! Spelling correction of post words against the knowledge base's own vocabulary.
//!
//! Only words the knowledge base does not know and that are neither real English words nor
//! common Spanish ones are corrected, so `balots` becomes `ballots` but `ballet` stays a ballet
//! and `tengo` (I have) never becomes `tongo` (a fix). The allowed edit
//! distance grows with the word's length (short words have too many neighbours to correct
//! safely), and the first letter must agree, which is how most typos look.
//!
//! Candidates come from a symmetric-deletion index (the idea behind SymSpell): every vocabulary
//! word is stored under the hashes of the strings obtained by deleting up to two of its letters,
//! so a lookup touches a handful of buckets instead of the whole vocabulary; strsim's
//! Damerau–Levenshtein distance then confirms each candidate.

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap};

/// How many edits a word of `len` letters may be corrected by. Four-letter words get one:
/// "mial" and "skam" are how people misspell the words a narrative turns on, and only
/// words that are neither English nor the knowledge base's are corrected at all (on the fitting
/// posts +2 found, on the CheckThat! streams no new alarm).
pub fn max_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

pub struct Corrector {
    /// Each vocabulary word and how often the knowledge base uses it (breaks ties).
    words: Vec<(String, u32)>,
    known: FxHashMap<String, u32>,
    deletes: FxHashMap<u64, Vec<u32>>,
    /// (first letter, length) of every vocabulary word: most words have no vocabulary word
    /// near enough in length with their first letter, and need no lookup at all.
    shapes: rustc_hash::FxHashSet<(char, usize)>,
}

impl Corrector {
    /// Builds the corrector from every word occurrence of the knowledge base (lowercase).
    pub fn new<'a>(occurrences: impl IntoIterator<Item = &'a str>) -> Self {
        let mut known: FxHashMap<String, u32> = FxHashMap::default();
        for w in occurrences {
            if w.chars().all(char::is_alphabetic) {
                *known.entry(w.to_owned()).or_default() += 1;
            }
        }
        let mut words: Vec<(String, u32)> = known.iter().map(|(w, &n)| (w.clone(), n)).collect();
        words.sort();
        let mut deletes: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        for (i, (word, _)) in words.iter().enumerate() {
            let chars: Vec<char> = word.chars().collect();
            if chars.len() < 4 {
                continue;
            }
            for key in deletion_keys(&chars, max_edits(chars.len() + 1)) {
                let bucket = deletes.entry(key).or_default();
                if bucket.last() != Some(&(i as u32)) {
                    bucket.push(i as u32);
                }
            }
        }
        let shapes = words
            .iter()
            .filter_map(|(w, _)| Some((w.chars().next()?, w.chars().count())))
            .collect();
        Self {
            words,
            known,
            deletes,
            shapes,
        }
    }

    pub fn knows(&self, word: &str) -> bool {
        self.known.contains_key(word)
    }

    /// Whether some vocabulary word could be close enough to `word` to correct it to: same
    /// first letter, length within the edit limit. A cheap test to run before anything else.
    pub fn may_correct(&self, word: &str) -> bool {
        let (Some(first), len) = (word.chars().next(), word.chars().count()) else {
            return false;
        };
        let limit = max_edits(len);
        limit > 0
            && (len.saturating_sub(limit)..=len + limit).any(|l| self.shapes.contains(&(first, l)))
    }

    /// The vocabulary word `word` is most likely a misspelling of, if any is close enough.
    pub fn correct(&self, word: &str) -> Option<&str> {
        let chars: Vec<char> = word.chars().collect();
        let limit = max_edits(chars.len());
        if limit == 0 || self.knows(word) || !chars.iter().all(|c| c.is_alphabetic()) {
            return None;
        }
        let mut best: Option<(usize, u32, &str)> = None;
        for key in deletion_keys(&chars, limit) {
            for &i in self.deletes.get(&key).into_iter().flatten() {
                let (candidate, count) = &self.words[i as usize];
                if candidate.chars().next() != chars.first().copied() {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(word, candidate);
                if distance > limit || distance > max_edits(candidate.chars().count()).max(1) {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some((d, n, w)) => {
                        (distance, u32::MAX - count, candidate.as_str()) < (d, u32::MAX - n, w)
                    }
                };
                if better {
                    best = Some((distance, *count, candidate));
                }
            }
        }
        best.map(|(_, _, w)| w)
    }
}

/// Hashes of `chars` with every combination of up to `depth` (at most 2) letters deleted
/// (itself included), sorted and deduplicated. One buffer is reused for every variant: this
/// runs for every unfamiliar word of every post.
fn deletion_keys(chars: &[char], depth: usize) -> Vec<u64> {
    let n = chars.len();
    let mut keys = vec![hash(chars)];
    let mut buffer: Vec<char> = Vec::with_capacity(n);
    let mut without = |skip: &[usize]| {
        buffer.clear();
        buffer.extend(
            (chars.iter().enumerate())
                .filter(|(i, _)| !skip.contains(i))
                .map(|(_, &c)| c),
        );
        hash(&buffer)
    };
    for i in (0..n).filter(|_| depth >= 1) {
        keys.push(without(&[i]));
        for j in (i + 1..n).filter(|_| depth >= 2) {
            keys.push(without(&[i, j]));
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn hash(chars: &[char]) -> u64 {
    FxBuildHasher.hash_one(chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corrector() -> Corrector {
        let text = "foreign countries will counterfeit mail ballots ballot fraud election rigged \
                    unsolicited ballots chaos counting stolen scam";
        Corrector::new(text.split_whitespace())
    }

    #[test]
    fn corrects_typical_misspellings() {
        let c = corrector();
        assert_eq!(c.correct("counterfit"), Some("counterfeit"));
        assert_eq!(c.correct("balots"), Some("ballots"));
        assert_eq!(c.correct("frawd"), Some("fraud"));
        assert_eq!(c.correct("elecshun"), None, "three edits is too far");
        assert_eq!(c.correct("unsolicted"), Some("unsolicited"));
        assert_eq!(c.correct("countng"), Some("counting"));
        assert_eq!(c.correct("mial"), Some("mail"), "one edit in four letters");
        assert_eq!(c.correct("skam"), Some("scam"));
    }

    #[test]
    fn leaves_short_known_and_distant_words_alone() {
        let c = corrector();
        assert_eq!(
            c.correct("mal"),
            None,
            "three letters are too short to correct"
        );
        assert_eq!(c.correct("ballots"), None, "already known");
        assert_eq!(c.correct("pallots"), None, "first letter differs");
        assert_eq!(c.correct("bxllxts"), None);
        assert_eq!(
            c.correct("b4llots"),
            None,
            "not alphabetic: leetspeak is undone elsewhere"
        );
    }

    #[test]
    fn the_cheap_test_never_rules_out_a_real_correction() {
        let c = corrector();
        for word in ["counterfit", "balots", "frawd", "unsolicted", "countng"] {
            assert!(c.may_correct(word), "{word}");
        }
        assert!(!c.may_correct("zebras"), "no vocabulary word starts with z");
        assert!(!c.may_correct("fox"), "too short to correct");
    }

    #[test]
    fn deletion_keys_cover_every_variant_once() {
        let chars = |w: &str| w.chars().collect::<Vec<_>>();
        let mut expected: Vec<u64> = ["abca", "bca", "aca", "aba", "abc", "ca", "ba", "bc"]
            .iter()
            .chain(&["aa", "ac", "ab"])
            .map(|w| hash(&chars(w)))
            .collect();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(deletion_keys(&chars("abca"), 2), expected);
        assert_eq!(deletion_keys(&chars("abca"), 0), vec![hash(&chars("abca"))]);
    }

    #[test]
    fn thresholds_grow_with_length() {
        assert_eq!(max_edits(3), 0);
        assert_eq!(max_edits(4), 1);
        assert_eq!(max_edits(6), 1);
        assert_eq!(max_edits(10), 2);
    }
}
