//! English or Spanish? Decided from function words and Spanish-only letters.
//!
//! The knowledge base has claims in both languages and matching should
//! compare like with like. Posts are short and noisy, so a full language
//! model is overkill: frequent function words (and a few election words) are
//! strong evidence, `ñ ¿ ¡` and accented vowels weaker evidence. Spanish
//! needs at least two points and more points than English; anything else,
//! including a post with no evidence at all, is English.

use std::sync::LazyLock;

use super::{Lang, WordMap};

/// Words that signal Spanish: two points each (function words and a few election words).
const SPANISH_STRONG: &[&str] = &[
    "el",
    "los",
    "las",
    "del",
    "que",
    "por",
    "para",
    "una",
    "es",
    "se",
    "al",
    "lo",
    "su",
    "sus",
    "pero",
    "como",
    "este",
    "esta",
    "estos",
    "estas",
    "fue",
    "ya",
    "hay",
    "muy",
    "sin",
    "sobre",
    "porque",
    "cuando",
    "también",
    "más",
    "está",
    "están",
    "eso",
    "esa",
    "ese",
    "han",
    "nos",
    "les",
    "qué",
    "cómo",
    "ellos",
    "todo",
    "todos",
    "hasta",
    "desde",
    "entre",
    "contra",
    "donde",
    "dónde",
    "aquí",
    "ahora",
    "así",
    "de",
    "en",
    "votos",
    "boletas",
    "fraude",
    "elecciones",
    "elección",
    "voto",
    "correo",
    "urnas",
    "gobierno",
    "robaron",
    "trampa",
    "mentira",
];
/// Weaker Spanish signals (also common in other languages, or as names): one point.
const SPANISH_WEAK: &[&str] = &["la", "y", "con", "un", "o", "son", "le", "mi", "sí", "ha"];
/// Words that signal English: two points each.
const ENGLISH_STRONG: &[&str] = &[
    "the", "and", "of", "to", "is", "are", "was", "were", "that", "this", "with", "for", "they",
    "be", "have", "has", "had", "not", "you", "he", "she", "we", "it", "his", "her", "their",
    "will", "would", "by", "from", "at", "or", "an", "what", "who", "all", "been", "just", "but",
    "if", "can", "do", "did", "does", "so", "there", "about", "which", "our", "your", "them",
    "these", "those", "than", "then", "into", "out", "up", "how", "why", "when", "where", "on",
    "votes", "ballots", "election", "vote", "fraud", "mail", "rigged", "stolen",
];
/// Weaker English signals: one point.
const ENGLISH_WEAK: &[&str] = &["i", "in", "my", "me", "us"];

/// Each signal word with its (Spanish, English) points: one hash lookup per word of a post (a
/// chain of string comparisons took 5% of lexical scoring).
static POINTS: LazyLock<WordMap<(u32, u32)>> = LazyLock::new(|| {
    let mut points = WordMap::default();
    let lists = [
        (SPANISH_STRONG, (2, 0)),
        (SPANISH_WEAK, (1, 0)),
        (ENGLISH_STRONG, (0, 2)),
        (ENGLISH_WEAK, (0, 1)),
    ];
    for (words, (es, en)) in lists {
        for &word in words {
            let (es0, en0) = points.get(word).copied().unwrap_or_default();
            points.insert(word, (es0 + es, en0 + en));
        }
    }
    points
});

/// Spanish vs English by function-word evidence plus Spanish-only letters
/// (`ñ`, `¿`, `¡`, accented vowels); English by default and on ties.
pub fn detect_lang(s: &str) -> Lang {
    let mut es = 0u32;
    let mut en = 0u32;
    let mut word_points = |word: &str| {
        let lower;
        let upper = if word.is_ascii() {
            word.bytes().any(|b| b.is_ascii_uppercase())
        } else {
            word.chars().any(char::is_uppercase)
        };
        let word = if upper {
            lower = word.to_lowercase();
            lower.as_str()
        } else {
            word
        };
        if let Some((s, e)) = POINTS.get(word) {
            es += s;
            en += e;
        }
    };
    // One pass over the words (runs of letters): ASCII bytes are taken as they are, and only
    // other characters are decoded (and scored as letters).
    let mut letters = 0;
    let mut word_start = None;
    let mut i = 0;
    while i < s.len() {
        let b = s.as_bytes()[i];
        let (alphabetic, len) = if b.is_ascii() {
            (b.is_ascii_alphabetic(), 1)
        } else if let Some(c) = s[i..].chars().next() {
            letters += spanish_letter_points(c);
            (c.is_alphabetic(), c.len_utf8())
        } else {
            break;
        };
        match (alphabetic, word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(start)) => {
                word_points(&s[start..i]);
                word_start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(start) = word_start {
        word_points(&s[start..]);
    }
    es += letters;
    if es >= 2 && es > en {
        Lang::Es
    } else {
        Lang::En
    }
}

fn spanish_letter_points(c: char) -> u32 {
    match c {
        'ñ' | 'Ñ' | '¿' | '¡' => 2,
        'á' | 'é' | 'í' | 'ó' | 'ú' | 'Á' | 'É' | 'Í' | 'Ó' | 'Ú' => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_posts() {
        assert_eq!(
            detect_lang("¡Fraude! Los votos por correo están amañados"),
            Lang::Es
        );
        assert_eq!(detect_lang("fraude electoral"), Lang::Es);
        assert_eq!(detect_lang("¿Quién contó?"), Lang::Es);
        assert_eq!(detect_lang("EL FRAUDE DE LAS BOLETAS"), Lang::Es);
    }

    #[test]
    fn english_posts() {
        assert_eq!(
            detect_lang("Russia & China will print millions of fake ballots"),
            Lang::En
        );
        assert_eq!(detect_lang("José said the votes were fake"), Lang::En);
        assert_eq!(detect_lang("Dominion"), Lang::En);
        assert_eq!(detect_lang("no"), Lang::En);
    }

    #[test]
    fn empty_and_emoji_default_to_english() {
        assert_eq!(detect_lang(""), Lang::En);
        assert_eq!(detect_lang("🔥🔥 2020"), Lang::En);
    }
}
