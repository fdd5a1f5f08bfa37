//! Unicode clean-up: invisible characters out, look-alikes folded to Latin.
//!
//! Posts that want to dodge keyword filters hide zero-width characters inside
//! words ("fr\u{200B}aud") and swap Latin letters for identical-looking ones
//! from other scripts or from the mathematical/fullwidth blocks ("ЬаIIоts",
//! "𝐟𝐫𝐚𝐮𝐝"). Matching works on plain Latin text, so these are undone first:
//!
//! 1. [`strip_invisible`] deletes format characters that render as nothing.
//! 2. [`fold_unicode`] applies NFKC (compatibility forms: fullwidth, math
//!    alphanumerics, ligatures), then maps each remaining *non-ASCII* letter or
//!    digit through the UTS #39 confusable skeleton, accepting the result only
//!    when it is plain ASCII letters/digits (or through a short table of
//!    look-alikes the skeleton leaves alone: small capitals, `κ η τ`), then
//!    lowercases. ASCII is never mapped (the skeleton turns `m` into `rn`),
//!    and Spanish letters such as `ñ` or `á` survive because their skeleton
//!    keeps a combining mark.
//!
//! Both are idempotent, and both return their input untouched (no work beyond
//! one scan) for ASCII text.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

use rustc_hash::FxBuildHasher;

/// Whether `c` is an invisible format character that [`strip_invisible`] removes.
pub(crate) fn is_invisible(c: char) -> bool {
    // The first invisible character is U+00AD: ASCII and most Latin-1 exit here.
    if c < '\u{00AD}' {
        return false;
    }
    matches!(c,
        '\u{00AD}'                      // soft hyphen
        | '\u{034F}'                    // combining grapheme joiner
        | '\u{0600}'..='\u{0605}'       // Arabic prepended format marks
        | '\u{061C}'                    // Arabic letter mark
        | '\u{06DD}' | '\u{070F}' | '\u{0890}' | '\u{0891}' | '\u{08E2}'
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
        | '\u{17B4}' | '\u{17B5}'       // Khmer inherent vowels
        | '\u{180B}'..='\u{180F}'       // Mongolian variation selectors, vowel separator
        | '\u{200B}'..='\u{200F}'       // zero-width space/non-joiner/joiner, LRM, RLM
        | '\u{202A}'..='\u{202E}'       // bidi embeddings and overrides
        | '\u{2060}'..='\u{206F}'       // word joiner, invisible operators, bidi isolates
        | '\u{FE00}'..='\u{FE0F}'       // variation selectors
        | '\u{FEFF}'                    // BOM / zero-width no-break space
        | '\u{FFF9}'..='\u{FFFB}'       // interlinear annotation
        | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}'     // Egyptian hieroglyph format controls
        | '\u{1BCA0}'..='\u{1BCA3}'     // shorthand format controls
        | '\u{1D173}'..='\u{1D17A}'     // musical format controls
        | '\u{E0000}'..='\u{E0FFF}'     // tags, variation selectors supplement
    )
}

/// Removes invisible characters: zero-width space/non-joiner/joiner
/// (U+200B..U+200D), word joiner and invisible operators (U+2060..U+2064),
/// BOM (U+FEFF), soft hyphen (U+00AD), bidi controls (U+200E, U+200F,
/// U+202A..U+202E, U+2066..U+2069), variation selectors (U+FE00..U+FE0F and
/// the supplement), tags, Hangul fillers and the other format (Cf)
/// characters. Ordinary whitespace is kept.
pub fn strip_invisible(s: &str) -> String {
    strip_invisible_cow(s).into_owned()
}

pub(crate) fn strip_invisible_cow(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !s.chars().any(is_invisible) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|&c| !is_invisible(c)).collect())
}

/// NFKC, then look-alike letters from other scripts mapped to Latin via the
/// UTS #39 confusable skeleton (non-ASCII letters/digits only, and only when
/// the result is ASCII letters/digits), then full Unicode lowercase.
///
/// Lowercasing happens before the look-alike mapping is tried a second time,
/// so that both `Р` and `р` (Cyrillic) become `p` and the function is
/// idempotent. Text is recomposed (NFC) when a mapped base letter is
/// followed by a combining accent, so that they become one character.
pub fn fold_unicode(s: &str) -> String {
    fold_cow(s, true).into_owned()
}

/// [`fold_unicode`] with the lowercasing optional: the pipeline folds
/// look-alikes *before* splitting hashtags (which needs CamelCase) and
/// lowercases afterwards.
pub(crate) fn fold_cow(s: &str, lowercase: bool) -> Cow<'_, str> {
    if s.is_ascii() {
        if lowercase && s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(s.to_ascii_lowercase());
        }
        return Cow::Borrowed(s);
    }
    Cow::Owned(fold_nfkc(&nfkc(s), lowercase))
}

/// `s` in NFKC, normalising only around its non-ASCII characters.
///
/// An ASCII character is a safe place to cut text for normalisation (UAX #15, "stable code
/// points"): it neither decomposes nor composes with what comes before it. So each run of
/// non-ASCII characters, with the ASCII character before it (which a combining mark may compose
/// with), is normalised on its own, and the runs the quick check passes (most: precomposed
/// accents, emoji, curly quotes) are copied.
pub(super) fn nfkc(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    let mut out: Option<String> = None;
    let (mut copied, mut at) = (0, 0);
    while let Some(start) = bytes[at..].iter().position(|b| !b.is_ascii()) {
        let start = at + start;
        let end = bytes[start..]
            .iter()
            .position(u8::is_ascii)
            .map_or(s.len(), |n| start + n);
        let run = &s[start.saturating_sub(1)..end];
        if unicode_normalization::is_nfkc_quick(run.chars()) != IsNormalized::Yes {
            let buf = out.get_or_insert_with(|| String::with_capacity(s.len() + 8));
            buf.push_str(&s[copied..start.saturating_sub(1)]);
            buf.extend(run.nfkc());
            copied = end;
        }
        at = end;
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut buf) => {
            buf.push_str(&s[copied..]);
            Cow::Owned(buf)
        }
    }
}

/// Folds text already in NFKC. Runs of ASCII, most of nearly every post, are copied whole.
fn fold_nfkc(s: &str, lowercase: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut after_mapped = false;
    let mut needs_nfc = false;
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        if ascii > 0 {
            let start = out.len();
            out.push_str(&rest[..ascii]);
            if lowercase {
                out[start..].make_ascii_lowercase();
            }
            after_mapped = false;
            rest = &rest[ascii..];
        }
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
        // A mapped base letter followed by a combining mark must be recomposed.
        if after_mapped && unicode_normalization::char::canonical_combining_class(c) != 0 {
            needs_nfc = true;
        }
        let folded = fold_char_cached(c, lowercase);
        out.push_str(folded.as_str());
        after_mapped = folded.mapped;
        // `İ` lowercases to `i` + U+0307, which may need reordering.
        needs_nfc |= folded.expanded;
    }
    if needs_nfc {
        out = out.nfc().collect();
    }
    out
}

/// The folded form of one non-ASCII character (at most 16 bytes of UTF-8).
#[derive(Clone, Copy)]
struct FoldedChar {
    bytes: [u8; 16],
    len: u8,
    /// Whether a look-alike was mapped to ASCII.
    mapped: bool,
    /// Whether lowercasing produced more than one character.
    expanded: bool,
}

impl FoldedChar {
    fn as_str(&self) -> &str {
        // Only ever filled from whole `str`s, see `fold_char`.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

/// Entries kept per thread; posts use few distinct characters, so this is
/// plenty, and it bounds memory on adversarial input.
const FOLD_CACHE_MAX: usize = 4096;

thread_local! {
    /// Folding one character (property lookups, lowercase tables and, above
    /// all, the skeleton's two normalisations) dominates the cost of non-Latin
    /// text, while a post repeats the same few characters.
    static FOLD_CACHE: RefCell<HashMap<(char, bool), FoldedChar, FxBuildHasher>> = RefCell::default();
}

fn fold_char_cached(c: char, lowercase: bool) -> FoldedChar {
    if let Some(hit) = FOLD_CACHE.with(|cache| cache.borrow().get(&(c, lowercase)).copied()) {
        return hit;
    }
    let folded = fold_char(c, lowercase);
    FOLD_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() < FOLD_CACHE_MAX {
            cache.insert((c, lowercase), folded);
        }
    });
    folded
}

/// Maps a non-ASCII letter or digit whose skeleton is ASCII letters/digits;
/// otherwise (when asked) lowercases it and tries the mapping on the result.
fn fold_char(c: char, lowercase: bool) -> FoldedChar {
    let mut out = String::with_capacity(16);
    let mut mapped = push_confusable(c, lowercase, &mut out);
    let mut expanded = false;
    if !mapped {
        if lowercase {
            expanded = c.to_lowercase().len() > 1;
            for l in c.to_lowercase() {
                if push_confusable(l, true, &mut out) {
                    mapped = true;
                } else {
                    out.push(l);
                }
            }
        } else {
            out.push(c);
        }
    }
    let mut bytes = [0u8; 16];
    // Lowercase expands to at most 3 characters and a skeleton is at most 8
    // ASCII bytes, so this never truncates; cut at a char boundary anyway.
    let mut len = out.len().min(bytes.len());
    while !out.is_char_boundary(len) {
        len -= 1;
    }
    bytes[..len].copy_from_slice(&out.as_bytes()[..len]);
    FoldedChar {
        bytes,
        len: len as u8,
        mapped,
        expanded,
    }
}

/// Look-alikes the skeleton leaves alone: the small capitals of "fancy text" generators
/// (`ꜰᴀᴋᴇ ʙᴀʟʟᴏᴛꜱ`) and Greek letters written for Latin ones (`κ`, `η`, `τ`).
const LOOKALIKES: [(char, char); 28] = [
    ('ᴀ', 'a'),
    ('ʙ', 'b'),
    ('ᴄ', 'c'),
    ('ᴅ', 'd'),
    ('ᴇ', 'e'),
    ('ꜰ', 'f'),
    ('ɢ', 'g'),
    ('ʜ', 'h'),
    ('ɪ', 'i'),
    ('ᴊ', 'j'),
    ('ᴋ', 'k'),
    ('ʟ', 'l'),
    ('ᴍ', 'm'),
    ('ɴ', 'n'),
    ('ᴏ', 'o'),
    ('ᴘ', 'p'),
    ('ʀ', 'r'),
    ('ꜱ', 's'),
    ('ᴛ', 't'),
    ('ᴜ', 'u'),
    ('ᴠ', 'v'),
    ('ᴡ', 'w'),
    ('ʏ', 'y'),
    ('ᴢ', 'z'),
    ('κ', 'k'),
    ('η', 'n'),
    ('τ', 't'),
    ('ϲ', 'c'),
];

/// If the non-ASCII `c` is a letter or digit whose confusable skeleton is
/// 1 to 8 ASCII letters/digits, pushes that (lowercased if asked) and
/// returns true; otherwise pushes nothing and returns false.
fn push_confusable(c: char, lowercase: bool, out: &mut String) -> bool {
    if c.is_ascii() || !c.is_alphanumeric() || decomposes(c) {
        return false;
    }
    if let Some(&(_, latin)) = LOOKALIKES.iter().find(|&&(from, _)| from == c) {
        out.push(latin);
        return true;
    }
    let mut buf = [0u8; 4];
    let mut mapped = [0u8; 8];
    let mut len = 0;
    for m in unicode_security::skeleton(c.encode_utf8(&mut buf)) {
        if !m.is_ascii_alphanumeric() || len == mapped.len() {
            return false;
        }
        mapped[len] = m as u8;
        len += 1;
    }
    for &b in &mapped[..len] {
        let m = char::from(b);
        out.push(if lowercase { m.to_ascii_lowercase() } else { m });
    }
    len > 0
}

/// Deletes combining marks that do not belong to a letter: after NFKC has
/// composed the real accents (`á`, `ñ`), marks still stacked on a letter or
/// digit are decoration ("Zalgo" text, `f̷r̷a̷u̷d̷`) and would otherwise split
/// the word in two when punctuation becomes spaces. Marks that are letters
/// themselves (Indic vowel signs) are kept.
pub(crate) fn drop_stray_marks_cow(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let mut out: Option<String> = None;
    let mut after_word = false;
    for (i, c) in s.char_indices() {
        let stray = after_word && !c.is_ascii() && is_combining_mark(c) && !c.is_alphabetic();
        match (&mut out, stray) {
            (None, true) => out = Some(s[..i].to_owned()),
            (Some(buf), false) => buf.push(c),
            _ => {}
        }
        if !stray {
            after_word = c.is_alphanumeric();
        }
    }
    // Removing a mark can unblock a composition (Tamil `ெ` + mark + `ா`).
    out.map_or(Cow::Borrowed(s), |buf| Cow::Owned(buf.nfc().collect()))
}

/// Whether `c` has a canonical decomposition (an accented letter such as `á`).
/// Its skeleton then keeps the combining mark, so it is never mapped; testing
/// this first skips the costlier skeleton computation for Spanish text.
fn decomposes(c: char) -> bool {
    let mut n = 0;
    unicode_normalization::char::decompose_canonical(c, |_| n += 1);
    n > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_around_non_ascii_runs_equals_normalising_the_whole() {
        for s in [
            "e\u{0301}t\u{00E9} …and ﬁne",
            "Ｆａｋｅ ballots…",
            "\u{1100}\u{1161}\u{11A8}x\u{0915}\u{093C}",
            "a\u{0323}\u{0302}b\u{0302}\u{0323}",
            "no change: é ñ 🔥 “quotes”",
            "\u{0301}start",
            "plain ascii",
        ] {
            let whole: String = s.nfkc().collect();
            assert_eq!(nfkc(s), whole, "{s:?}");
        }
        assert!(matches!(nfkc("é ñ 🔥"), Cow::Borrowed(_)));
    }

    #[test]
    fn strips_invisible_keeps_whitespace() {
        assert_eq!(strip_invisible("fr\u{200B}au\u{200D}d"), "fraud");
        assert_eq!(
            strip_invisible("\u{FEFF}a\u{00AD}b\u{2060}\u{2063}c"),
            "abc"
        );
        assert_eq!(
            strip_invisible("\u{202E}x\u{202C} \u{2066}y\u{2069}\u{200E}"),
            "x y"
        );
        assert_eq!(strip_invisible("vote\u{FE0F}\u{E0067}"), "vote");
        assert_eq!(strip_invisible("a b\tc\nd\u{00A0}e"), "a b\tc\nd\u{00A0}e");
        assert_eq!(strip_invisible(""), "");
        assert_eq!(strip_invisible("\u{200B}\u{200C}"), "");
    }

    #[test]
    fn ascii_is_borrowed() {
        assert!(matches!(
            strip_invisible_cow("plain text"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(fold_cow("plain text", true), Cow::Borrowed(_)));
        assert!(matches!(fold_cow("Plain Text", false), Cow::Borrowed(_)));
        assert_eq!(fold_unicode("Plain TEXT"), "plain text");
    }

    #[test]
    fn folds_cyrillic_and_greek_lookalikes() {
        // Cyrillic а е о р с х у, Greek ο α ν
        assert_eq!(fold_unicode("\u{0440}\u{0430}\u{0441}\u{0435}"), "pace");
        assert_eq!(fold_unicode("b\u{0430}ll\u{043E}ts"), "ballots");
        assert_eq!(fold_unicode("\u{0445}\u{0443}"), "xy");
        assert_eq!(
            fold_unicode("v\u{03BF}te \u{03B1}nd \u{03BD}ote"),
            "vote and vote"
        );
        assert_eq!(fold_unicode("\u{0420}\u{0410}\u{0421}\u{0415}"), "pace");
    }

    #[test]
    fn folds_small_capitals_and_greek_stand_ins() {
        assert_eq!(fold_unicode("ꜰᴀᴋᴇ ʙᴀʟʟᴏᴛꜱ"), "fake ballots");
        assert_eq!(fold_unicode("ʀɪɢɢᴇᴅ ᴇʟᴇᴄᴛɪᴏɴ"), "rigged election");
        assert_eq!(fold_unicode("bαllοτs κηοw"), "ballots know");
    }

    #[test]
    fn folds_fullwidth_and_math_letters() {
        assert_eq!(fold_unicode("ＦＲＡＵＤ"), "fraud");
        assert_eq!(fold_unicode("𝐟𝐫𝐚𝐮𝐝 𝔳𝔬𝔱𝔢 𝟐𝟎𝟐𝟎"), "fraud vote 2020");
        assert_eq!(fold_unicode("ﬁx"), "fix");
    }

    #[test]
    fn keeps_spanish_letters_and_ascii() {
        assert_eq!(
            fold_unicode("Están AMAÑADOS ¿Qué? ¡Sí!"),
            "están amañados ¿qué? ¡sí!"
        );
        assert_eq!(fold_unicode("m rn l 1 I 0 O"), "m rn l 1 i 0 o");
        assert_eq!(fold_unicode("Ünïcödé"), "ünïcödé");
    }

    #[test]
    fn recomposes_after_mapping() {
        // Cyrillic о + combining acute: mapped to "o", then composed to "ó".
        assert_eq!(fold_unicode("\u{043E}\u{0301}"), "ó");
        assert_eq!(fold_unicode(&fold_unicode("\u{043E}\u{0301}")), "ó");
    }

    #[test]
    fn drops_marks_stacked_on_letters_only() {
        let zalgo = "f\u{337}r\u{337}a\u{335}\u{322}u\u{337}d\u{337}";
        assert_eq!(drop_stray_marks_cow(&fold_unicode(zalgo)), "fraud");
        assert_eq!(drop_stray_marks_cow("e\u{301}"), "e");
        assert_eq!(drop_stray_marks_cow(" \u{301}x 1\u{20E3}"), " \u{301}x 1");
        assert_eq!(
            drop_stray_marks_cow("está ñ \u{915}\u{93E}"),
            "está ñ \u{915}\u{93E}"
        );
        // the dropped mark blocked a composition
        assert_eq!(drop_stray_marks_cow("\u{BC6}\u{301}\u{BBE}"), "\u{BCA}");
        assert!(matches!(drop_stray_marks_cow("están"), Cow::Borrowed(_)));
    }

    #[test]
    fn lowercase_expansion_is_reordered() {
        // `İ` → `i` + U+0307 (class 230) must come after U+0BCD (class 9).
        assert_eq!(fold_unicode("\u{130}\u{BCD}"), "i\u{BCD}\u{307}");
    }

    #[test]
    fn keep_case_variant() {
        assert_eq!(
            fold_cow("Ｒｉｇｇｅｄ\u{0415}lection", false),
            "RiggedElection"
        );
    }

    #[test]
    fn emoji_and_empty() {
        assert_eq!(fold_unicode(""), "");
        assert_eq!(fold_unicode("🔥🗳️"), "🔥🗳\u{FE0F}");
    }
}
