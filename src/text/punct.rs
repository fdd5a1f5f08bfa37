//! Punctuation and symbols to spaces.
//!
//! Matching works on words, so everything that is not part of a word becomes
//! a word break. Two kinds of punctuation carry meaning inside a word and are
//! kept: an apostrophe between letters ("don't", normalised to `'`) and a
//! `.` or `,` between digits ("58,000", "3.5"). The result has single spaces
//! and no leading or trailing space.

/// Characters that make up words: ASCII letters and digits, and non-ASCII
/// letters and digits other than uppercase ones that have no lowercase form
/// (such as 🅰, which would otherwise survive lowercasing).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric() && !c.is_uppercase())
}

fn is_letter(c: char) -> bool {
    is_word_char(c) && c.is_alphabetic()
}

/// Turns every character that is not a word character into a space (keeping
/// in-word apostrophes and in-number separators), collapses spaces and trims.
pub(crate) fn clean_punctuation(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut prev: Option<char> = None;
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        // A run of ASCII letters and digits, most of any post, is kept whole.
        let run = rest
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let (kept, len, last) = if run > 0 {
            (
                Some(&rest[..run]),
                run,
                char::from(rest.as_bytes()[run - 1]),
            )
        } else {
            let len = c.len_utf8();
            let kept = if is_word_char(c) {
                Some(&rest[..len])
            } else {
                kept_punctuation(c, prev, &rest[len..])
            };
            (kept, len, c)
        };
        match kept {
            Some(k) => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push_str(k);
            }
            None => pending_space = true,
        }
        prev = Some(last);
        rest = &rest[len..];
    }
    out
}

/// What a character that is not a word character becomes: an apostrophe between letters, a
/// `.` or `,` between digits, or `None` (a word break), given the characters around it.
fn kept_punctuation(c: char, prev: Option<char>, after: &str) -> Option<&'static str> {
    let next = || after.chars().next();
    match c {
        '\'' | '’' | '`' | '´' if prev.is_some_and(is_letter) && next().is_some_and(is_letter) => {
            Some("'")
        }
        '.' | ','
            if prev.is_some_and(|p| p.is_ascii_digit())
                && next().is_some_and(|n| n.is_ascii_digit()) =>
        {
            Some(if c == '.' { "." } else { "," })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_becomes_single_spaces() {
        assert_eq!(
            clean_punctuation("  Russia & China!!! (fake)  "),
            "Russia China fake"
        );
        assert_eq!(clean_punctuation("mail-in...ballots?"), "mail in ballots");
        assert_eq!(clean_punctuation("🔥🔥"), "");
        assert_eq!(clean_punctuation(""), "");
        assert_eq!(clean_punctuation("a\u{200B}b\tc\n"), "a b c");
    }

    #[test]
    fn keeps_apostrophes_and_number_separators() {
        assert_eq!(
            clean_punctuation("don't rock’n’roll 'quoted' it's"),
            "don't rock'n'roll quoted it's"
        );
        assert_eq!(
            clean_punctuation("58,000 votes, 3.5%. 1.000.000"),
            "58,000 votes 3.5 1.000.000"
        );
        assert_eq!(clean_punctuation("a''b 1..2 x.5 5,"), "a b 1 2 x 5 5");
        assert_eq!(clean_punctuation("están ñ"), "están ñ");
    }

    #[test]
    fn drops_caseless_uppercase_symbols() {
        assert_eq!(clean_punctuation("\u{1F170}b\u{24B6}'c"), "b c");
    }

    #[test]
    fn idempotent_on_examples() {
        for s in ["a'b'c", "1.2.3", "x' y", "'90s", "l'été"] {
            let once = clean_punctuation(s);
            assert_eq!(clean_punctuation(&once), once);
        }
    }
}
