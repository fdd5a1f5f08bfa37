//! Letter-spaced words: `b a l l o t s` → `ballots`.
//!
//! Spacing letters out defeats word matching just like gluing words together
//! does. Runs of three or more single letters separated by single spaces are
//! joined: into a known word, into known words (`f a k e b a l l o t s` →
//! `fake ballots`), accented ones too (`e l e c c i ó n`), or into known words
//! around an unknown one when that split is clearly likelier than one
//! misspelt word; otherwise Latin letters stay one word (`b a l o t s` →
//! `balots`, not `ba lots`), which spelling correction reads, as in leetspeak.
//! Three letters that make no word stay apart (a list, "x q z"), and so do
//! letters of other scripts. "a U.S." is the article and an initialism
//! (`a us`). Ordinary text such as "i am a fan" has no run. The split never yields three single
//! letters in a row, so a second pass finds nothing new to join.

use std::borrow::Cow;

use super::lexicon::Lexicon;
use super::segment::{Mode, beats_misspelling, best_split, plausible};
use super::squeeze::squeeze_cow;

/// The fewest letters of a run that is no known word and splits into none, for it to be read
/// as one misspelt word rather than a list (`x q z`).
const MIN_GLUED_LETTERS: usize = 4;

/// Initialisms that follow an article: "a U.S. senator", "a U.K. court", "a D.C. judge".
const INITIALISMS: &[&str] = &["us", "uk", "eu", "dc"];

/// Joins runs of three or more single letters separated by single spaces
/// (`b a l l o t s` → `ballots`, `f a k e b a l l o t s` → `fake ballots`;
/// see [`join_run`]); ordinary text such as "i am a fan" has no run.
pub fn join_spaced_letters(s: &str, lexicon: &Lexicon) -> String {
    join_spaced_letters_cow(s, lexicon).into_owned()
}

pub(crate) fn join_spaced_letters_cow<'a>(s: &'a str, lex: &Lexicon) -> Cow<'a, str> {
    if !may_have_run(s) {
        return Cow::Borrowed(s);
    }
    let mut out: Option<String> = None;
    let mut copied = 0;
    // (start byte, end byte, letter count) of the current run of single letters
    let mut run: Option<(usize, usize, usize)> = None;
    let mut pos = 0;
    let mut tokens = s.split(' ').peekable();
    while let Some(tok) = tokens.next() {
        let start = pos;
        pos += tok.len() + 1;
        let mut chars = tok.chars();
        let single = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
        if single {
            run = Some(match run {
                Some((st, _, count)) => (st, start + tok.len(), count + 1),
                None => (start, start + tok.len(), 1),
            });
        }
        let run_ends = !single || tokens.peek().is_none();
        if let Some((st, en, count)) = run.filter(|_| run_ends)
            && count >= 3
            && let Some(joined) =
                initialism_after_word(&s[st..en]).or_else(|| join_run(&s[st..en], lex))
        {
            let buf = out.get_or_insert_with(String::new);
            buf.push_str(&s[copied..st]);
            buf.push_str(&joined);
            copied = en;
        }
        if run_ends {
            run = None;
        }
    }
    match out {
        Some(mut buf) => {
            buf.push_str(&s[copied..]);
            Cow::Owned(buf)
        }
        None => Cow::Borrowed(s),
    }
}

/// Letters spelt out one by one with wider gaps between the words, read as those words:
/// `P A R A R O N  E L  C O N T E O` → `PARARON EL CONTEO`. The writer marked the words, so
/// each group of letters a single space apart is one word, and each gap of two spaces or more
/// is a word break. It runs before spaces are collapsed, which would lose the breaks. A chain
/// needs a wide gap and a word of three characters or more; any other text ("I  am a fan",
/// "a  b  c", "x  y z") is returned borrowed.
pub(crate) fn join_gapped_words_cow(s: &str) -> Cow<'_, str> {
    if !s.contains("  ") {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut copied = 0;
    // (start byte, end byte) of each single character of the current chain
    let mut chain: Vec<(usize, usize)> = Vec::new();
    let mut flush = |chain: &mut Vec<(usize, usize)>| {
        if let Some(words) = gapped_words(s, chain) {
            out.push_str(&s[copied..chain[0].0]);
            out.push_str(&words);
            copied = chain[chain.len() - 1].1;
        }
        chain.clear();
    };
    let mut pos = 0;
    for tok in s.split(' ') {
        let start = pos;
        pos += tok.len() + 1;
        match tok.chars().count() {
            0 => {}
            1 => chain.push((start, start + tok.len())),
            _ => flush(&mut chain),
        }
    }
    flush(&mut chain);
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// The words of a chain of single characters (their byte spans in `s`), if its gaps mark
/// words: some wider than a single space, and a word of three characters or more.
fn gapped_words(s: &str, chain: &[(usize, usize)]) -> Option<String> {
    let gaps = || chain.windows(2).map(|pair| pair[1].0 - pair[0].1);
    let longest_word = gaps()
        .scan(1, |letters, gap| {
            *letters = if gap == 1 { *letters + 1 } else { 1 };
            Some(*letters)
        })
        .max();
    if longest_word < Some(3) || !gaps().any(|gap| gap > 1) {
        return None;
    }
    let mut words = String::from(&s[chain[0].0..chain[0].1]);
    for (gap, &(start, end)) in gaps().zip(&chain[1..]) {
        if gap > 1 {
            words.push(' ');
        }
        words.push_str(&s[start..end]);
    }
    Some(words)
}

/// A run of three letters that is an article before an initialism whose stops are gone, read
/// as such: "a U.S. senator" is `a us senator`, not `aus senator`. Any other run ("a l l",
/// "I.R.S.") is joined as letters.
fn initialism_after_word(run: &str) -> Option<String> {
    match run.split(' ').collect::<Vec<_>>()[..] {
        ["a", first, second] => {
            let initialism = format!("{first}{second}");
            INITIALISMS
                .contains(&initialism.as_str())
                .then(|| format!("a {initialism}"))
        }
        _ => None,
    }
}

/// Whether `s` has three tokens in a row short enough to be single letters, which a run needs:
/// one byte in ASCII text, up to four in other text. Most posts have none.
fn may_have_run(s: &str) -> bool {
    let max_len = if s.is_ascii() { 1 } else { 4 };
    let mut in_row = 0;
    let mut start = 0;
    for end in memchr::memchr_iter(b' ', s.as_bytes()).chain([s.len()]) {
        in_row = if (1..=max_len).contains(&(end - start)) {
            in_row + 1
        } else {
            0
        };
        if in_row == 3 {
            return true;
        }
        start = end + 1;
    }
    false
}

/// The letters of `run` joined: a known word, or known words with unknown ones among them
/// (`g o b i e r n o s f a l s i f i c a r á n` → `gobiernos falsificarán`) when that split is
/// clearly likelier than one misspelt word, else one word of Latin letters, which spelling
/// correction may read (`b a l o t s` → `balots`, not `ba lots`; `o b v i u s` → `obvius`).
/// Elongated letters are squeezed as in a word written whole (`r i i i g h t` → `right`).
/// Three letters that are no word and split into none stay apart (`x q z`): a list, or
/// initials; and so do letters of other scripts, which are words of their own.
fn join_run(run: &str, lex: &Lexicon) -> Option<String> {
    let letters: String = run
        .split(' ')
        .flat_map(|l| l.chars().flat_map(char::to_lowercase))
        .collect();
    let joined = squeeze_cow(&letters, lex);
    if lex.cost(&joined).is_some() {
        return Some(joined.into_owned());
    }
    match best_split(&joined, lex, Mode::AllowUnknown) {
        Some((pieces, cost))
            if pieces.len() > 1 && plausible(&pieces) && beats_misspelling(&joined, cost) =>
        {
            Some(pieces.join(" "))
        }
        _ => (joined.chars().count() >= MIN_GLUED_LETTERS && joined.chars().all(is_latin))
            .then(|| joined.into_owned()),
    }
}

/// A letter of the Latin script, accented or not (not Greek, Cyrillic, Han or Hangul).
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        Lexicon::english()
    }

    #[test]
    fn joins_spaced_letters() {
        let l = lex();
        assert_eq!(
            join_spaced_letters("the b a l l o t s are fake", &l),
            "the ballots are fake"
        );
        assert_eq!(
            join_spaced_letters("f a k e b a l l o t s", &l),
            "fake ballots"
        );
        assert_eq!(join_spaced_letters("F R A U D", &l), "fraud");
        assert_eq!(join_spaced_letters("b a l o t s", &l), "balots");
        assert!(!join_spaced_letters("l i i i", &l).contains("iii"));
        assert_eq!(join_spaced_letters("i am a fan", &l), "i am a fan");
        // An article before an initialism ("a U.S. senator"), not before a word or other letters.
        assert_eq!(join_spaced_letters("a u s senator", &l), "a us senator");
        assert_eq!(join_spaced_letters("a l l of it", &l), "all of it");
        assert_eq!(join_spaced_letters("the i r s", &l), "the irs");
        // Letters of other scripts are words of their own.
        assert_eq!(join_spaced_letters("안 녕 하 세", &l), "안 녕 하 세");
        // A misspelt word spelt out is one word, for spelling correction to read.
        assert_eq!(join_spaced_letters("so o b v i u s", &l), "so obvius");
        // Elongated as people write it whole.
        assert_eq!(join_spaced_letters("r i i i i g h t now", &l), "right now");
        assert_eq!(join_spaced_letters("x q z and a b", &l), "x q z and a b");
        assert_eq!(join_spaced_letters("q x z  z q x", &l), "q x z  z q x");
        assert_eq!(join_spaced_letters("", &l), "");
        assert!(matches!(
            join_spaced_letters_cow("plain words here", &l),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn spanish_words_spelt_out_keep_their_accents() {
        let l = lex().with_domain_words(["demócratas", "gobiernos", "elección", "robada"]);
        assert_eq!(
            join_spaced_letters("los d e m ó c r a t a s mandan", &l),
            "los demócratas mandan"
        );
        assert_eq!(
            join_spaced_letters("e l e c c i ó n r o b a d a", &l),
            "elección robada"
        );
        // Known words around an unknown one: the unknown one stays whole, ending and all.
        assert_eq!(
            join_spaced_letters("g o b i e r n o s f a l s i f i c a r á n", &l),
            "gobiernos falsificarán"
        );
    }

    #[test]
    fn wider_gaps_between_letters_spelt_out_mark_the_words() {
        let join = |s| join_gapped_words_cow(s).into_owned();
        assert_eq!(
            join("P A R A R O N  E L  C O N T E O  de votos"),
            "PARARON EL CONTEO  de votos"
        );
        assert_eq!(join("F A K E   B A L L O T S"), "FAKE BALLOTS");
        assert_eq!(join("v o t e  a  l o t"), "vote a lot");
        // One word spelt out among words is left to `join_spaced_letters`.
        for borrowed in ["I  am a fan", "a  b  c", "x  y z", "so  F R 4 U D  it is"] {
            assert!(
                matches!(join_gapped_words_cow(borrowed), Cow::Borrowed(_)),
                "{borrowed}"
            );
        }
    }

    #[test]
    fn a_run_needs_three_short_tokens_in_a_row() {
        assert!(may_have_run("x b a l l"));
        assert!(may_have_run("a b c"));
        assert!(!may_have_run("i am a fan of a b"));
        assert!(!may_have_run("a  b c"));
        assert!(may_have_run("é ñ a"));
        assert!(!may_have_run("é ñ abcde"));
    }
}
