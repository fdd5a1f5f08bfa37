//! Letter-spaced words: `b a l l o t s` → `ballots`.
//!
//! Spacing letters out defeats word matching just like gluing words together
//! does. Runs of three or more single letters separated by single spaces are
//! joined and accepted only when the letters are a known word or split into
//! known words (`f a k e b a l l o t s` → `fake ballots`); when that split is
//! not much likelier than one misspelt word, the letters stay one word
//! (`b a l o t s` → `balots`, not `ba lots`), as in leetspeak. So ordinary text
//! such as "i am a fan" (no such run) or a list "x q z" is left alone. The
//! split never yields three single letters in a row, so a second pass finds
//! nothing new to join.

use std::borrow::Cow;

use super::lexicon::{Lexicon, has_triple};
use super::segment::{Mode, beats_misspelling, best_split, plausible};

/// Joins runs of three or more single letters separated by single spaces
/// (`b a l l o t s` → `ballots`, `f a k e b a l l o t s` → `fake ballots`)
/// when the joined letters are a known word or split into known words;
/// other runs, and ordinary text such as "i am a fan", are left as they are.
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
            && let Some(joined) = join_run(&s[st..en], lex)
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

fn join_run(run: &str, lex: &Lexicon) -> Option<String> {
    let joined: String = run
        .split(' ')
        .flat_map(|l| l.chars().flat_map(char::to_lowercase))
        .collect();
    if lex.cost(&joined).is_some() {
        return Some(joined);
    }
    let (pieces, cost) = best_split(&joined, lex, Mode::KnownOnly)?;
    if pieces.len() < 2 || !plausible(&pieces) {
        return None;
    }
    // `b a l o t s` is one misspelt word, which spelling correction reads, not `ba lots`; but
    // never a letter tripled, which a second pass would squeeze (`l i i i`).
    Some(
        match beats_misspelling(&joined, cost) || has_triple(&joined) {
            true => pieces.join(" "),
            false => joined,
        },
    )
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
        assert_eq!(join_spaced_letters("x q z and a b", &l), "x q z and a b");
        assert_eq!(join_spaced_letters("q x z  z q x", &l), "q x z  z q x");
        assert_eq!(join_spaced_letters("", &l), "");
        assert!(matches!(
            join_spaced_letters_cow("plain words here", &l),
            Cow::Borrowed(_)
        ));
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
