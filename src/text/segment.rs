//! Word segmentation, and hashtags: `#fakeballotsfromchina` → `fake ballots from china`.
//!
//! Hashtags glue words together and hide the words the matcher looks for.
//! [`split_hashtags`] first uses the writer's own boundaries (`_`,
//! CamelCase, digit runs), then splits each remaining lowercase run by
//! dynamic programming over the [`Lexicon`]: the
//! split with the lowest total cost wins, where an unknown chunk costs much
//! more than a known word and grows with its length. A split is only
//! accepted when it looks like real words (not all one/two-letter pieces,
//! never three single letters in a row); otherwise the tag is kept whole
//! (`#MAGA` stays `maga`). The same segmenter serves `join_spaced_letters`
//! (unknown chunks allowed, as here) and the leetspeak decoder (known words
//! only).

use std::borrow::Cow;

use super::lexicon::{Lexicon, WORD_COST};

/// Extra cost of one- and two-letter words: they fit almost anywhere.
const SHORT_WORD_COST: f32 = WORD_COST;
/// Cost of an unknown chunk of `len` letters: `UNKNOWN_BASE + UNKNOWN_PER_LETTER * len`.
const UNKNOWN_BASE: f32 = 8.0;
const UNKNOWN_PER_LETTER: f32 = 2.5;
/// Extra cost of an unknown chunk of one or two letters: a stray letter is very unlikely, and so
/// is an ending cut off its stem (`falsificar án` for `falsificarán`).
const UNKNOWN_SHORT: f32 = 40.0;
/// How much cheaper than one unknown chunk a split with unknown chunks must be.
const UNKNOWN_SPLIT_MARGIN: f32 = 5.0;
/// How much cheaper than the whole word, as one unknown chunk, a split of a decoded leetspeak
/// word into known words must be: `fakeb4ll0ts` is two glued words, `b4l0t5` a misspelt one
/// that the matcher's spelling correction can still read (`balots`, not `ba lots`).
const MISSPELLING_MARGIN: f32 = 10.0;
/// Longer inputs are not segmented (bounds the quadratic DP).
const MAX_SEGMENT_INPUT: usize = 64;

/// Whether chunks not in the lexicon may be part of a segmentation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// Hashtags and letter-spaced runs: unknown chunks allowed (names, acronyms, misspelt
    /// words), at a high cost.
    AllowUnknown,
    /// Leetspeak: known words only.
    KnownOnly,
}

/// Cheapest split of `word` (lowercase letters, accented ones too) into pieces, with its
/// cost; `None` if the input is unsuitable or (in `KnownOnly` mode) cannot be covered by known
/// words. May return the whole word as one piece.
pub(crate) fn best_split<'a>(
    word: &'a str,
    lex: &Lexicon,
    mode: Mode,
) -> Option<(Vec<&'a str>, f32)> {
    let lowercase_letters = word.chars().all(|c| c.is_alphabetic() && !c.is_uppercase());
    if word.is_empty() || word.len() > MAX_SEGMENT_INPUT || !lowercase_letters {
        return None;
    }
    // The pieces start and end at character boundaries ("elección" is eight letters).
    let bounds: Vec<usize> = (word.char_indices().map(|(at, _)| at))
        .chain([word.len()])
        .collect();
    let n = bounds.len() - 1;
    let max_len = lex.max_word_len();
    let mut best = vec![f32::INFINITY; n + 1];
    let mut back = vec![0usize; n + 1];
    best[0] = 0.0;
    for end in 1..=n {
        for start in 0..end {
            if best[start].is_infinite() {
                continue;
            }
            let piece = &word[bounds[start]..bounds[end]];
            let len = end - start;
            let known = if piece.len() <= max_len && (len > 1 || piece == "a" || piece == "i") {
                lex.cost(piece)
                    .map(|c| c + if len <= 2 { SHORT_WORD_COST } else { 0.0 })
            } else {
                None
            };
            let cost = match (known, mode) {
                (Some(c), _) => c,
                (None, Mode::AllowUnknown) => unknown_cost(len),
                (None, Mode::KnownOnly) => continue,
            };
            let total = best[start] + cost;
            if total < best[end] {
                best[end] = total;
                back[end] = start;
            }
        }
    }
    if best[n].is_infinite() {
        return None;
    }
    let mut pieces = Vec::new();
    let mut end = n;
    while end > 0 {
        let start = back[end];
        pieces.push(&word[bounds[start]..bounds[end]]);
        end = start;
    }
    pieces.reverse();
    Some((pieces, best[n]))
}

/// Cost of a chunk of `len` letters that is not a word.
fn unknown_cost(len: usize) -> f32 {
    let short = if len <= 2 { UNKNOWN_SHORT } else { 0.0 };
    UNKNOWN_BASE + UNKNOWN_PER_LETTER * len as f32 + short
}

/// Whether a multi-piece split looks like real words: not only one- and
/// two-letter pieces, and never three single letters in a row (which would
/// form a new letter-spaced run).
pub(crate) fn plausible(pieces: &[&str]) -> bool {
    let letters = |p: &&str| p.chars().count();
    pieces.iter().any(|p| letters(p) > 2)
        && !pieces.windows(3).any(|w| w.iter().all(|p| letters(p) == 1))
}

/// Whether a split of `word` costing `cost` beats keeping the word whole, as one unknown chunk,
/// by `margin`.
fn beats_whole(word: &str, cost: f32, margin: f32) -> bool {
    cost + margin <= unknown_cost(word.chars().count())
}

/// Whether a split of the unknown `word` costing `cost` is clearly likelier than `word` as a
/// misspelling of one word ([`MISSPELLING_MARGIN`]).
pub(crate) fn beats_misspelling(word: &str, cost: f32) -> bool {
    beats_whole(word, cost, MISSPELLING_MARGIN)
}

/// Splits `word` (lowercase letters) into words if a plausible split exists.
/// A split that still contains unknown chunks must also beat keeping the
/// whole word by [`UNKNOWN_SPLIT_MARGIN`] (`#sharpiegate` is not `sharp iegate`).
pub(crate) fn split_word<'a>(word: &'a str, lex: &Lexicon, mode: Mode) -> Option<Vec<&'a str>> {
    if lex.cost(word).is_some() {
        return None;
    }
    let (pieces, cost) = best_split(word, lex, mode)?;
    if pieces.len() < 2 || !plausible(&pieces) {
        return None;
    }
    let has_unknown = pieces
        .iter()
        .any(|p| (p.len() == 1 && !matches!(*p, "a" | "i")) || lex.cost(p).is_none());
    (!has_unknown || beats_whole(word, cost, UNKNOWN_SPLIT_MARGIN)).then_some(pieces)
}

/// Replaces each `#tag` by its words, lowercased: `#RiggedElection` →
/// `rigged election`, `#fakeballotsfromchina` → `fake ballots from china`,
/// `#MAGA2020` → `maga 2020`. Short all-caps pieces are treated as acronyms
/// and kept whole; pieces with digits inside (`b4ll0ts`) are left for the
/// leetspeak step. A `#` not followed by a letter or digit is left alone.
pub fn split_hashtags(s: &str, lexicon: &Lexicon) -> String {
    split_hashtags_cow(s, lexicon).into_owned()
}

pub(crate) fn split_hashtags_cow<'a>(s: &'a str, lex: &Lexicon) -> Cow<'a, str> {
    let mut out = String::new();
    let mut copied = 0;
    for i in memchr::memchr_iter(b'#', s.as_bytes()) {
        let boundary = s[..i]
            .chars()
            .next_back()
            .is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == '&'));
        if i < copied || !boundary {
            continue;
        }
        let rest = &s[i + 1..];
        let body_len = rest
            .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
            .unwrap_or(rest.len());
        if !rest.starts_with(char::is_alphanumeric) {
            continue;
        }
        if out.is_empty() {
            out.reserve(s.len() + 16);
        }
        out.push_str(&s[copied..i]);
        push_tag_words(&rest[..body_len], lex, &mut out);
        copied = i + 1 + body_len;
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// Pushes the words of a hashtag's body, joined by spaces. Each thread remembers the tags it
/// split: segmentation was a tenth of lexical scoring of the benchmark tweets, and a stream of
/// posts repeats its tags and handles.
fn push_tag_words(tag: &str, lex: &Lexicon, out: &mut String) {
    if lex
        .tag_words
        .with(tag, |words| out.push_str(words))
        .is_some()
    {
        return;
    }
    let from = out.len();
    for (n, piece) in tag.split('_').flat_map(camel_pieces).enumerate() {
        if n > 0 {
            out.push(' ');
        }
        let lower = piece.to_lowercase();
        let acronym = piece.len() <= 5 && !piece.chars().any(char::is_lowercase);
        let words = (!acronym)
            .then(|| split_word(&lower, lex, Mode::AllowUnknown))
            .flatten();
        match words {
            Some(words) => out.push_str(&words.join(" ")),
            None => out.push_str(&lower),
        }
    }
    lex.tag_words.insert(tag, out[from..].into());
}

/// Splits at CamelCase boundaries (`RiggedElection`, `USAElection`,
/// `G7Summit`) and around digit runs that start or end the part or are at
/// least three long (`MAGA2020`, `2020Election`, `Trump2020Landslide`);
/// short digit runs inside letters (`b4ll0ts`) stay attached.
fn camel_pieces(part: &str) -> impl Iterator<Item = &str> {
    let chars: Vec<(usize, char)> = part.char_indices().collect();
    let n = chars.len();
    let digit_run_len = |k: usize| {
        chars[k..]
            .iter()
            .take_while(|(_, c)| c.is_numeric())
            .count()
    };
    let mut cuts = vec![0];
    let mut k = 1;
    while k < n {
        let (a, b) = (chars[k - 1].1, chars[k].1);
        let next_lower = chars.get(k + 1).is_some_and(|(_, c)| c.is_lowercase());
        let cut = if b.is_uppercase() {
            a.is_lowercase() || ((a.is_uppercase() || a.is_numeric()) && next_lower)
        } else if b.is_numeric() && !a.is_numeric() {
            let run = digit_run_len(k);
            k + run == n || run >= 3
        } else if a.is_numeric() && !b.is_numeric() {
            let start = chars[..k]
                .iter()
                .rev()
                .take_while(|(_, c)| c.is_numeric())
                .count();
            start == k || start >= 3
        } else {
            false
        };
        if cut {
            cuts.push(chars[k].0);
        }
        k += 1;
    }
    cuts.push(part.len());
    let pieces: Vec<&str> = cuts
        .windows(2)
        .map(|w| &part[w[0]..w[1]])
        .filter(|p| !p.is_empty())
        .collect();
    pieces.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        Lexicon::english()
    }

    #[test]
    fn hashtags_camel_case_and_digits() {
        let l = lex();
        assert_eq!(
            split_hashtags("#RiggedElection now", &l),
            "rigged election now"
        );
        assert_eq!(split_hashtags("#MAGA2020", &l), "maga 2020");
        assert_eq!(split_hashtags("#StopTheSteal!", &l), "stop the steal!");
        assert_eq!(split_hashtags("#USAElection", &l), "usa election");
        assert_eq!(split_hashtags("#G7Summit", &l), "g7 summit");
        assert_eq!(
            split_hashtags("#Trump2020Landslide", &l),
            "trump 2020 landslide"
        );
        assert_eq!(split_hashtags("#stop_the_steal", &l), "stop the steal");
        assert_eq!(split_hashtags("#FakeB4ll0ts", &l), "fake b4ll0ts");
    }

    #[test]
    fn hashtags_dynamic_programming() {
        let l = lex();
        assert_eq!(
            split_hashtags("#fakeballotsfromchina", &l),
            "fake ballots from china"
        );
        assert_eq!(
            split_hashtags("#stopthesteal #votehimout", &l),
            "stop the steal vote him out"
        );
        assert_eq!(split_hashtags("#RIGGEDELECTION", &l), "rigged election");
        assert_eq!(split_hashtags("#maga #xkcd", &l), "maga xkcd");
        assert_eq!(
            split_hashtags("#sharpiegate #xkcdfan", &l),
            "sharpiegate xkcdfan"
        );
        assert_eq!(
            split_hashtags("#riggedelection #thebiglie", &l),
            "rigged election the big lie"
        );
        assert_eq!(split_hashtags("#together #nowhere", &l), "together nowhere");
        let kb = lex().with_domain_words(["biden", "dominion"]);
        assert_eq!(
            split_hashtags("#bidencrimefamily", &kb),
            "biden crime family"
        );
        assert_eq!(
            split_hashtags("#dominionvotingmachines", &kb),
            "dominion voting machines"
        );
    }

    #[test]
    fn hashtags_edge_cases() {
        let l = lex();
        assert_eq!(split_hashtags("", &l), "");
        assert_eq!(split_hashtags("# alone ## #", &l), "# alone ## #");
        assert_eq!(split_hashtags("a#b &#39; #1", &l), "a#b &#39; 1");
        assert_eq!(split_hashtags("##Tag", &l), "#tag");
        assert_eq!(split_hashtags("#FraudeEnMéxico", &l), "fraude en méxico");
        let es = lex().with_domain_words(["elección", "robada"]);
        assert_eq!(split_hashtags("#elecciónrobada", &es), "elección robada");
        assert!(matches!(
            split_hashtags_cow("no tags", &l),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_remembered_tag_splits_as_the_first_time_and_only_for_its_lexicon() {
        let plain = lex();
        let post = "#bidenlies #StopTheSteal #MAGA";
        let first = split_hashtags(post, &plain);
        assert_eq!(first, "bidenlies stop the steal maga");
        assert_eq!(split_hashtags(post, &plain), first);
        let kb = plain.clone().with_domain_words(["biden"]);
        assert_eq!(split_hashtags(post, &kb), "biden lies stop the steal maga");
    }

    #[test]
    fn split_plausibility() {
        assert!(plausible(&["fake", "ballots"]));
        assert!(!plausible(&["ma", "ga"]));
        assert!(!plausible(&["a", "i", "a", "fan"]));
        let l = lex();
        assert_eq!(split_word("maga", &l, Mode::AllowUnknown), None);
        assert_eq!(split_word("ballots", &l, Mode::AllowUnknown), None);
        assert_eq!(best_split("Upper", &l, Mode::AllowUnknown), None);
    }
}
