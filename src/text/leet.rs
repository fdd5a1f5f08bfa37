//! Leetspeak decoding: `b4ll0ts` → `ballots`, `m@il` → `mail`, `€l€ction` → `election`.
//!
//! Digits and symbols stand in for letters to slip past keyword filters, but
//! posts are also full of real numbers ("2020", "58,000", "3.5", "10%",
//! "$100", "24/7", "4pm", "1st", "covid19", "mp3") that must survive. A token
//! (a run of letters, digits and `@ $ ! | €`) is decoded only when it mixes
//! letters with such characters and either
//! - some decoding is a known word — for ambiguous `1` (i or l) the known
//!   decoding with the lowest cost wins; when all substituted characters sit
//!   at the token's edges (`vot3`, `84ll07`, `mp3`) this needs a word of four
//!   letters or more from one of them, or of five or more (six when one
//!   letter is left: `b@|1075`, five with a symbol inside: `60!n6`), so
//!   model names and units stay; or
//! - a digit, `@` or `$` has letters on both sides (`fr4ud`, `fakeb4ll0ts`):
//!   then the decoding is used even if unknown, split into known words when
//!   that is much likelier than one misspelt word (`fake ballots`, but
//!   `b4l0t5` → `balots`, which the matcher's spelling correction reads, not
//!   `ba lots`).
//!
//! `!`, `|` and `(` are usually punctuation, so they are weak evidence: `!`
//! and `|` only count inside a token (never at its start, never `!!`, never a
//! `!` after a plain word and before a known one: `wow!this`,
//! `alight!photographer`); `(` counts between letters into a known word
//! (`che(k!ng`) and, beside a digit or `@ $ €` somewhere in the token or
//! another `(` between letters, also at its start into a known word
//! (`(h€4ting`, `(he(k`, never `(all` or `(mepk00alcom)`). A `|` or `(` ends
//! a known word of five letters or more only in a token marked as leetspeak
//! (`univ€rsa|`, `pand3m!(`); a `!` never does. A digit or `@ $ €` between
//! letters marks a token as leetspeak: a decoding the lexicon does not know
//! may then start with `$` or `€` (`€v4p0r4t€s`); one starting with `@` is a
//! handle, and a `$` after an `s` is emphasis (`b4ll0ts$`). A `$` before a
//! digit is a price only when a number follows (`$100`, `$5k`; `$7olen` is
//! `stolen`), and a handle that is a known word once decoded, with a stand-in
//! besides its `@`, is that word (`@8sen73€`: `absentee`; see `links.rs`).
//! `6` and `9` stand for `g` (`ni9ht`, `bi66er`).
//! A run of three or more of one leet character is an elongation and counts
//! once (`fr4444ud` → `fraud`, `0bv10u5555` → `obvious`); any other run of
//! three or more digits is decoded only into a known word (`5urpr153d` →
//! `surprised`, never `x509`). Tokens with a `2` are never decoded, nor those
//! shaped like a number with a unit (`4pm`, `10am`, `1st`, `9mm`, `100s`)
//! unless they spell a known word of six letters or more (`841107s`). When a
//! token is not decoded as a whole, its symbols will become spaces, so the
//! pieces between them are decoded on their own — exactly as a second pass
//! over the output would see them.

use std::borrow::Cow;

use super::lexicon::Lexicon;
use super::punct::is_word_char;
use super::segment::{Mode, beats_misspelling, best_split, plausible};

const SYMBOLS: [char; 6] = ['@', '$', '!', '|', '€', '('];

/// The first byte of `€`, the one leet character outside ASCII (curly quotes and dashes start
/// with it too).
const EURO_LEAD: u8 = 0xE2;

/// Suffixes that make a leading number a quantity, ordinal or time.
const UNITS: &[&str] = &[
    "st", "nd", "rd", "th", "am", "pm", "k", "m", "b", "s", "x", "d", "g", "p", "v", "w", "gb",
    "mb", "kb", "tb", "km", "kg", "mg", "ml", "mm", "cm", "lb", "lbs", "ft", "h", "hr", "hrs",
    "min", "mins", "yr", "yrs", "mph", "px",
];

/// At most this many ambiguous characters are tried both ways (2^6 decodings).
const MAX_AMBIGUOUS: usize = 6;

fn leet_letters(c: char) -> Option<&'static [char]> {
    match c {
        '4' | '@' => Some(&['a']),
        '3' | '€' => Some(&['e']),
        '1' => Some(&['i', 'l']),
        '0' => Some(&['o']),
        '5' | '$' => Some(&['s']),
        '7' => Some(&['t']),
        '8' => Some(&['b']),
        '6' | '9' => Some(&['g']),
        '!' => Some(&['i']),
        '|' => Some(&['l']),
        '(' => Some(&['c']),
        _ => None,
    }
}

fn is_leet_char(c: char) -> bool {
    c.is_ascii_digit() || SYMBOLS.contains(&c)
}

fn is_token_char(c: char) -> bool {
    is_word_char(c) || SYMBOLS.contains(&c)
}

/// Decodes leetspeak inside words that mix letters with digits or symbols
/// (`b4ll0ts` → `ballots`, `m@il` → `mail`, `fr4ud` → `fraud`, `v0t3` →
/// `vote`, `el3cti0n` → `election`), choosing among ambiguous mappings the
/// one the lexicon knows; real numbers and number-like tokens are kept.
/// Decoded tokens come out lowercase.
pub fn undo_leetspeak(s: &str, lexicon: &Lexicon) -> String {
    undo_leetspeak_cow(s, lexicon).into_owned()
}

pub(crate) fn undo_leetspeak_cow<'a>(s: &'a str, lex: &Lexicon) -> Cow<'a, str> {
    let mut out: Option<String> = None;
    let (mut copied, mut at) = (0, 0);
    // Only a token holding a digit or symbol can change: find those, then the token around.
    // Every leet character but `€` is ASCII, so a byte can be tested as the character it
    // encodes.
    while let Some(n) = s.as_bytes()[at..]
        .iter()
        .position(|&b| is_leet_char(char::from(b)) || b == EURO_LEAD)
    {
        let hit = at + n;
        match s[hit..].chars().next() {
            Some(c) if !is_leet_char(c) => {
                at = hit + c.len_utf8();
                continue;
            }
            _ => {}
        }
        let start = s[..hit]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_token_char(c))
            .last()
            .map_or(hit, |(i, _)| i);
        let end = s[hit..]
            .find(|c| !is_token_char(c))
            .map_or(s.len(), |n| hit + n);
        if let Some(rep) = decode(&s[start..end], lex) {
            let buf = out.get_or_insert_with(|| String::with_capacity(s.len()));
            buf.push_str(&s[copied..start]);
            buf.push_str(&rep);
            copied = end;
        }
        at = end;
    }
    match out {
        Some(mut buf) => {
            buf.push_str(&s[copied..]);
            Cow::Owned(buf)
        }
        None => Cow::Borrowed(s),
    }
}

/// Whether `token`, which starts with `@`, is a word in leetspeak (`@8sen73€`, `@bs3nt33`:
/// absentee) rather than a handle: a known word once decoded whole, with a stand-in besides the
/// `@` (`@pple` stays a handle).
pub(crate) fn is_leet_word(token: &str, lex: &Lexicon) -> bool {
    token[1..].chars().any(is_leet_char) && decode_whole(token, lex).is_some()
}

/// The replacement for one token, or `None` to keep it.
fn decode(tok: &str, lex: &Lexicon) -> Option<String> {
    // A token of stand-ins alone is a number unless `@ | €` sit inside it (`8@1|07`).
    if (!tok.chars().any(char::is_alphabetic) && !has_inside(tok.chars(), &['@', '|', '€']))
        || !tok.chars().any(is_leet_char)
    {
        return None;
    }
    if let Some(word) = decode_whole(tok, lex) {
        return Some(word);
    }
    if !tok.contains(SYMBOLS) {
        return None;
    }
    let mut out = String::with_capacity(tok.len());
    let mut changed = false;
    let mut rest = tok;
    loop {
        let end = rest.find(SYMBOLS).unwrap_or(rest.len());
        match decode(&rest[..end], lex) {
            Some(rep) => {
                changed = true;
                out.push_str(&rep);
            }
            None => out.push_str(&rest[..end]),
        }
        let Some(sep) = rest[end..].chars().next() else {
            break;
        };
        out.push(sep);
        rest = &rest[end + sep.len_utf8()..];
    }
    changed.then_some(out)
}

fn decode_whole(tok: &str, lex: &Lexicon) -> Option<String> {
    let chars = squeeze_leet_runs(tok);
    let punct = |c: &char| matches!(c, '!' | '|');
    let weak = |c: &char| matches!(c, '!' | '|' | '(');
    let strong = |c: &char| is_leet_char(*c) && !weak(c);
    let letters_around = |p: usize| {
        chars[..p].iter().any(|c| c.is_alphabetic())
            && chars[p + 1..].iter().any(|c| c.is_alphabetic())
    };
    let (first, last) = (chars[0], chars[chars.len() - 1]);
    // Three digits in a row are a number unless they spell a known word.
    let known_only = chars.windows(3).any(|w| w.iter().all(char::is_ascii_digit));
    // A digit or `@ $ €` between letters: the token is leetspeak, not punctuated text.
    let marked = (0..chars.len()).any(|p| strong(&chars[p]) && letters_around(p));
    // `(he(k`: a bracket between letters makes one at the start a `c` too.
    let bracket_inside = (0..chars.len()).any(|p| chars[p] == '(' && letters_around(p));
    if punct(&first)
        || last == '!'
        || chars.windows(2).any(|w| w == ['!', '!'])
        || (first == '(' && !chars.iter().any(strong) && !bracket_inside)
        || chars
            .iter()
            .any(|&c| is_leet_char(c) && leet_letters(c).is_none())
        || (first == '$' && is_price(&tok[1..]))
    {
        return None;
    }
    let leet: Vec<usize> = (0..chars.len())
        .filter(|&p| is_leet_char(chars[p]))
        .collect();
    let inside = leet.iter().any(|&p| letters_around(p));
    let ambiguous = leet
        .iter()
        .filter(|&&p| leet_letters(chars[p]).is_some_and(|l| l.len() > 1))
        .count();
    let combos = if ambiguous <= MAX_AMBIGUOUS {
        1usize << ambiguous
    } else {
        1
    };
    let decodings: Vec<String> = (0..combos).map(|mask| decoding(&chars, mask)).collect();
    let known = decodings
        .iter()
        .filter_map(|d| lex.cost(d).map(|cost| (cost, d)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, word)) = known {
        // Only at the edges (`vot3`, `84ll07`, `b@|1075`): one character into a word of four
        // letters or more, more characters into a word of five or more (six with one letter
        // or none left: `8@1|07`), so `mp3`, `win10` and `100s` stay.
        let letters = chars.iter().filter(|c| c.is_alphabetic()).count();
        let length = word.chars().count();
        // `60!n6`: a symbol inside is no number's.
        let symbol_inside = has_inside(chars.iter().copied(), &SYMBOLS);
        let edge_ok = (leet.len() == 1 && length >= 4)
            || (length >= 5 && (letters >= 2 || symbol_inside))
            || length >= 6;
        // `univ€rsa|`, `pand3m!(`: a weak last character only in a token marked as leetspeak;
        // `841107s`: a number with a unit only into a long word.
        let ends_ok = !weak(&last) || (marked && length >= 5);
        let unit_ok = !is_number_with_unit(tok) || length >= 6;
        return ((inside || edge_ok) && ends_ok && unit_ok).then(|| word.clone());
    }
    if weak(&last) || is_number_with_unit(tok) {
        return None;
    }
    // `ballot(s)`: a bracket before a word's last letters is not a `c`.
    let bracket_tail = chars.iter().rev().take(3).any(|&c| c == '(');
    // `wow!b4ll0ts`, `alight!photographer`: a `!` after a plain word and before a known one
    // ends a sentence.
    let known =
        |part: &[char], min: usize| part.len() >= min && lex.cost(&decoding(part, 0)).is_some();
    let sentence_break = (0..chars.len()).any(|p| {
        let (left, right) = (&chars[..p], &chars[p + 1..]);
        chars[p] == '!'
            && left.iter().all(|c| c.is_alphabetic())
            && ((known(left, 2) && known(right, 2)) || (left.len() >= 3 && known(right, 3)))
    });
    if !inside
        || known_only
        || bracket_tail
        || sentence_break
        || (chars.contains(&'(') && !marked)
        // A handle (`@a@b`) or a bracket before a word: only a known word may start so.
        || matches!(first, '@' | '(')
        || (matches!(first, '$' | '€') && !marked)
        // `b4ll0ts$`: a dollar after an s is emphasis.
        || last == '@'
        || (last == '$' && matches!(chars[chars.len() - 2], 's' | 'S' | '5' | '$'))
    {
        return None;
    }
    let split = decodings
        .iter()
        .filter_map(|d| Some((d, best_split(d, lex, Mode::KnownOnly)?)))
        .filter(|(d, (pieces, cost))| {
            pieces.len() > 1
                && plausible(pieces)
                && pieces.iter().all(|p| p.len() > 1)
                && beats_misspelling(d, *cost)
        })
        .map(|(_, split)| split)
        .min_by(|a, b| a.1.total_cmp(&b.1));
    Some(match split {
        Some((pieces, _)) => pieces.join(" "),
        None => decodings[0].clone(),
    })
}

/// `tok`'s characters with each run of three or more of one leet character (an elongation,
/// `fr4444ud`) cut to one, in a token that has letters (`1000` stays a number).
fn squeeze_leet_runs(tok: &str) -> Vec<char> {
    let chars: Vec<char> = tok.chars().collect();
    if !chars.iter().any(|c| c.is_alphabetic()) {
        return chars;
    }
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    for run in chars.chunk_by(|a, b| a == b) {
        match run.len() >= 3 && is_leet_char(run[0]) {
            true => out.push(run[0]),
            false => out.extend_from_slice(run),
        }
    }
    out
}

/// One decoding of `chars`: bit `k` of `mask` picks the letter for the
/// `k`-th ambiguous character; other characters are lowercased.
fn decoding(chars: &[char], mask: usize) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut bit = 0;
    for &c in chars {
        match leet_letters(c).filter(|_| is_leet_char(c)) {
            Some([only]) => out.push(*only),
            Some(options) => {
                out.push(options[(mask >> bit) & 1]);
                bit += 1;
            }
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether one of `set` sits inside a token's characters: neither first nor last.
fn has_inside(mut chars: impl DoubleEndedIterator<Item = char>, set: &[char]) -> bool {
    chars.next();
    chars.next_back();
    chars.any(|c| set.contains(&c))
}

/// What follows the `$` of a price: `100`, `3.50`, `5k`, `20m` (`$7e4|!ng` is leetspeak).
fn is_price(rest: &str) -> bool {
    rest.starts_with(|c: char| c.is_ascii_digit())
        && (rest
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
            || is_number_with_unit(rest))
}

/// `4pm`, `10am`, `1st`, `5k`: leading digits followed by a unit suffix.
fn is_number_with_unit(tok: &str) -> bool {
    let digits = tok.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && UNITS.iter().any(|u| u.eq_ignore_ascii_case(&tok[digits..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> String {
        undo_leetspeak(s, &Lexicon::english())
    }

    #[test]
    fn decodes_brief_examples() {
        assert_eq!(u("fake b4ll0ts"), "fake ballots");
        assert_eq!(u("m@il in"), "mail in");
        assert_eq!(u("fr4ud"), "fraud");
        assert_eq!(u("v0t3 now"), "vote now");
        assert_eq!(u("el3cti0n!"), "election!");
        assert_eq!(u("B4LL0TS"), "ballots");
        assert_eq!(u("po11s"), "polls");
        assert_eq!(u("v!ct0ry $cam vot3"), "victory scam vote");
        assert_eq!(u("s|ow"), "slow");
        assert_eq!(u("p0||s ba||ots"), "polls ballots");
        assert_eq!(u("h1n1"), "hini");
        assert_eq!(u("your 84ll07"), "your ballot");
        assert_eq!(u("b@|1075 8@||07s 8@1|07"), "ballots ballots ballot");
        assert_eq!(u("che(k!ng"), "checking");
        assert_eq!(u("f0r€ign €l€ction"), "foreign election");
        assert_eq!(
            u("don’t pay €100 or 100€ — “€”"),
            "don’t pay €100 or 100€ — “€”"
        );
    }

    #[test]
    fn weak_symbols_count_beside_strong_ones() {
        assert_eq!(u("m!||!on$ of b@||ot$"), "millions of ballots");
        assert_eq!(u("wh!|e fr@du|ent"), "while fradulent");
        assert_eq!(u("e|ec$hun un$o|!cted"), "elecshun unsolicted");
        assert_eq!(u("b!ge$t"), "bigest");
        assert_eq!(u("vot!n w!ner obv!u$"), "votin winer obvius");
        // Between known words a `!` ends a sentence.
        for s in ["yes!no", "wow!this", "Trump!He", "alight!Photographer"] {
            assert_eq!(u(s), s, "{s}");
        }
    }

    #[test]
    fn a_bracket_stands_for_c_only_in_leetspeak() {
        assert_eq!(
            u("(h€4ting (0unting w4t(hing"),
            "cheating counting watching"
        );
        assert_eq!(u("(r00k€d"), "crooked");
        // At a word's start only into a known word: an attribution keeps its bracket.
        assert_eq!(u("(h4ndl3)"), "(handle)");
        assert_eq!(u("(mepk00alcom)"), "(mepkooalcom)");
        for s in [
            "(all of them)",
            "ballot(s)",
            "b4ll0t(s)",
            "f(x)",
            "(2020)",
            "(4 years)",
            "(9am",
            ":(",
        ] {
            assert!(!u(s).contains('c') || s.contains('c'), "{s} → {}", u(s));
        }
        assert_eq!(u("b4ll0t(s)"), "ballot(s)");
    }

    #[test]
    fn leetspeak_marked_inside_may_start_with_a_symbol_or_end_with_euro() {
        assert_eq!(u("€v4p0r4t€s"), "evaporates");
        assert_eq!(u("4bs€nti€"), "absentie");
        // A `$` after an `s` is emphasis, one before digits a price.
        assert_eq!(u("b4ll0ts$"), "ballots$");
        assert_eq!(u("$100"), "$100");
    }

    #[test]
    fn stand_ins_at_a_words_edges_in_marked_leetspeak() {
        // A `$` before a digit starts a word unless a price follows.
        assert_eq!(u("$7olen $7r4ight"), "stolen straight");
        for s in ["$100", "$3.50", "$5k", "$20m", "$4billion", "$1,000"] {
            assert_eq!(u(s), s, "{s}");
        }
        // A weak last character in a token marked inside, into a known word.
        assert_eq!(u("univ€rsa| pand3m!("), "universal pandemic");
        assert_eq!(u("(he(k"), "check");
        // One letter left, a symbol inside: a word of five letters.
        assert_eq!(u("60!n6"), "going");
        // A number with a unit only into a long word.
        assert_eq!(u("841107s"), "ballots");
        assert_eq!(u("v0t3! b4ll0t|"), "vote! ballot|");
        for s in ["100s", "1000s", "80s", "7000lbs", "(all", "f(x"] {
            assert_eq!(u(s), s, "{s}");
        }
    }

    #[test]
    fn a_leading_at_with_other_stand_ins_is_a_word() {
        let lex = Lexicon::english();
        assert!(is_leet_word("@8sen73€", &lex));
        assert!(is_leet_word("@bs3nt33", &lex));
        for handle in ["@pple", "@user123", "@m1ke", "@Steve4Congress", "@b4ll0ts"] {
            assert!(!is_leet_word(handle, &lex), "{handle}");
        }
    }

    #[test]
    fn six_and_nine_stand_for_g() {
        assert_eq!(u("ni9ht"), "night");
        assert_eq!(u("they're st34lin9 it"), "they're stealing it");
        assert_eq!(u("v0tin9"), "voting");
        assert_eq!(u("bi66er"), "bigger");
    }

    #[test]
    fn elongated_leet_counts_once() {
        assert_eq!(u("FR4444UD"), "fraud");
        assert_eq!(u("0bv10u55555"), "obvious");
        assert_eq!(u("0v3rs34444s"), "overseas");
    }

    #[test]
    fn three_digits_in_a_row_decode_only_to_a_known_word() {
        assert_eq!(u("m1ll10n5"), "millions");
        assert_eq!(u("5urpr153d"), "surprised");
        for s in ["x509", "a1000", "t1000", "b4ll0t500x"] {
            assert_eq!(u(s), s, "{s}");
        }
    }

    #[test]
    fn splits_decoded_compounds() {
        assert_eq!(u("fakeb4ll0ts"), "fake ballots");
        assert_eq!(u("m41lb4ll0t5"), "mail ballots");
        assert_eq!(u("b4ll0ts$"), "ballots$");
    }

    #[test]
    fn keeps_decoded_misspellings_whole() {
        for (leet, clear) in [
            ("b4l0t5", "balots"),
            ("b1g35t", "bigest"),
            ("un50l1ct3d", "unsolicted"),
            ("m1llyun5", "millyuns"),
        ] {
            assert_eq!(u(leet), clear, "{leet}");
        }
    }

    #[test]
    fn keeps_numbers() {
        for s in [
            "2020", "58,000", "3.5", "10%", "$100", "24/7", "4pm", "10am", "11am", "1st", "2nd",
            "3rd", "4th", "covid19", "mp3", "i7", "a1", "g7", "5g", "80s", "1990s", "100k", "$5k",
            "win10", "4x4", "9am", "6pm", "9mm", "6th", "49ers", "1969", "iphone6", "x86",
            "area51", "h264", "b2b", "9/11", "g6",
        ] {
            assert_eq!(u(s), s, "{s}");
        }
    }

    #[test]
    fn punctuation_is_not_leet() {
        for s in [
            "fraud!!!",
            "wow!",
            "a!",
            "hello!world",
            "a | b",
            "yes!!no",
            "@",
            "$",
            "!!!",
        ] {
            assert_eq!(u(s), s, "{s}");
        }
    }

    #[test]
    fn falls_back_to_pieces_between_symbols() {
        assert_eq!(u("b4ll0ts@2"), "ballots@2");
        assert_eq!(u("wow!b4ll0ts"), "wow!ballots");
    }

    #[test]
    fn edge_cases() {
        assert_eq!(u(""), "");
        assert_eq!(u("🔥4🔥"), "🔥4🔥");
        assert!(matches!(
            undo_leetspeak_cow("no digits", &Lexicon::english()),
            Cow::Borrowed(_)
        ));
    }
}
