//! Elongations: `fraaaaud` → `fraud`, `tooooo` → `too`, `!!!!` → `!`.
//!
//! Stretched letters express emphasis but hide the word. No English word has
//! a letter three times in a row, so any such run is squeezed: to two letters
//! if that spelling is a known word ("riggged" → "rigged", "tooooo" → "too"),
//! otherwise to one ("fraaaaud" → "fraud", "soooo" → "so"). With several
//! runs, spellings with more doubled runs are tried first. Words containing
//! digits are left alone (numbers, and leetspeak the decoder kept).

use std::borrow::Cow;

use super::lexicon::Lexicon;

/// Runs beyond this many in one word are all squeezed to one letter.
const MAX_RUNS: usize = 4;

/// Squeezes runs of three or more identical letters inside words (to two
/// letters if that makes a lexicon word, else to one) and runs of three or
/// more identical punctuation characters to one.
pub fn squeeze_elongations(s: &str, lexicon: &Lexicon) -> String {
    squeeze_cow(s, lexicon).into_owned()
}

pub(crate) fn squeeze_cow<'a>(s: &'a str, lex: &Lexicon) -> Cow<'a, str> {
    if !has_squeezable_run(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c.is_alphanumeric() {
            let end = rest
                .find(|ch: char| !ch.is_alphanumeric())
                .unwrap_or(rest.len());
            squeeze_word(&rest[..end], lex, &mut out);
            rest = &rest[end..];
        } else {
            let run = rest.chars().take_while(|&x| x == c).count();
            let keep = if run >= 3 && !c.is_whitespace() {
                1
            } else {
                run
            };
            out.extend(std::iter::repeat_n(c, keep));
            rest = &rest[run * c.len_utf8()..];
        }
    }
    Cow::Owned(out)
}

fn has_squeezable_run(s: &str) -> bool {
    let squeezable = |c: char| !c.is_whitespace() && !c.is_numeric();
    if s.is_ascii() {
        return s
            .as_bytes()
            .windows(3)
            .any(|w| w[0] == w[1] && w[1] == w[2] && squeezable(char::from(w[0])));
    }
    let mut prev = None;
    let mut run = 0;
    for c in s.chars() {
        run = if Some(c) == prev { run + 1 } else { 1 };
        if run >= 3 && squeezable(c) {
            return true;
        }
        prev = Some(c);
    }
    false
}

fn squeeze_word(word: &str, lex: &Lexicon, out: &mut String) {
    if word.chars().any(char::is_numeric) || !has_squeezable_run(word) {
        out.push_str(word);
        return;
    }
    // (char, run length) for each maximal run of identical characters
    let mut runs: Vec<(char, usize)> = Vec::new();
    for c in word.chars() {
        match runs.last_mut() {
            Some((p, n)) if *p == c => *n += 1,
            _ => runs.push((c, 1)),
        }
    }
    let long = runs.iter().filter(|(_, n)| *n >= 3).count();
    let build = |mask: usize| {
        let mut s = String::with_capacity(word.len());
        let mut k = 0;
        for &(c, n) in &runs {
            let keep = if n >= 3 {
                let two = (mask >> k) & 1 == 1;
                k += 1;
                if two { 2 } else { 1 }
            } else {
                n
            };
            s.extend(std::iter::repeat_n(c, keep));
        }
        s
    };
    if long <= MAX_RUNS {
        let mut masks: Vec<usize> = (0..1usize << long).collect();
        masks.sort_by_key(|&m| (std::cmp::Reverse(m.count_ones()), std::cmp::Reverse(m)));
        for mask in masks {
            let candidate = build(mask);
            if lex.contains(&candidate) {
                out.push_str(&candidate);
                return;
            }
        }
    }
    out.push_str(&build(0));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sq(s: &str) -> String {
        squeeze_elongations(s, &Lexicon::english().with_domain_words(["rigged"]))
    }

    #[test]
    fn squeezable_runs_in_ascii_and_other_text() {
        for (s, want) in [
            ("sooo", true),
            ("2000", false),
            ("a   b", false),
            ("a\u{0B}\u{0B}\u{0B}", false),
            ("!!!", true),
            ("ééé", true),
            ("é sooo", true),
            ("é 2000", false),
            ("ab", false),
        ] {
            assert_eq!(has_squeezable_run(s), want, "{s:?}");
        }
    }

    #[test]
    fn squeezes_brief_examples() {
        assert_eq!(sq("soooo"), "so");
        assert_eq!(sq("fraaaaud"), "fraud");
        assert_eq!(sq("riggged"), "rigged");
        assert_eq!(sq("tooooo"), "too");
        assert_eq!(sq("!!!! ???"), "! ?");
        assert_eq!(sq("SOOOO"), "SO");
    }

    #[test]
    fn multiple_runs_and_unknown_words() {
        assert_eq!(sq("fraaauuud"), "fraud");
        assert_eq!(sq("gooooood"), "good");
        assert_eq!(sq("hmmmm nooooo grrrr yesssss"), "hmm no gr yes");
        assert_eq!(sq("aaaaaaabbbbbbcccccddddddeeeeee"), "abcde");
    }

    #[test]
    fn leaves_numbers_and_short_runs() {
        for s in [
            "1000",
            "b000k",
            "too",
            "ballots",
            "  spaced   out  ",
            "",
            "ok!!",
        ] {
            assert_eq!(sq(s), s, "{s}");
        }
        assert!(matches!(
            squeeze_cow("nothing to do", &Lexicon::english()),
            Cow::Borrowed(_)
        ));
    }
}
