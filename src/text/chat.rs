//! Spanish as typed in chats: `voto x correo` → `voto por correo`, `q nadie pidió` → `que
//! nadie pidió`, `está arreglao` → `está arreglado`.
//!
//! Spanish posts write the commonest little words as a letter or two ("x" for "por", "q" or "k"
//! for "que", "xq" for "porque", "d" for "de") and drop the d of a participle as it is spoken in
//! the Caribbean, Andalusia and much of Latin America ("arreglao", "cocinao", "robao"). A phrase
//! of the knowledge base ("voto por correo") then no longer meets its words, and a participle no
//! longer meets its alias. Only Spanish posts are read so: in an English post "x" and "q" are
//! other things ("Trump x Biden").

use std::borrow::Cow;

/// Chat spellings of whole words, and the words they stand for.
const SPELLED_OUT: &[(&str, &str)] = &[
    ("x", "por"),
    ("q", "que"),
    ("k", "que"),
    ("ke", "que"),
    ("qe", "que"),
    ("xq", "porque"),
    ("pq", "porque"),
    ("porq", "porque"),
    ("d", "de"),
    ("tb", "también"),
    ("tmb", "también"),
    ("ta", "está"),
    ("toy", "estoy"),
    ("xfa", "por favor"),
];

/// Words that end in "ao" and are no participle that lost its d.
const NOT_PARTICIPLES: &[&str] = &[
    "bacalao", "cacao", "callao", "sarao", "macao", "bilbao", "curacao", "mindanao",
];

/// The shortest word read as a participle that lost its d ("robao"; not "bao").
const MIN_PARTICIPLE_CHARS: usize = 5;

/// `s` (lower case, words separated by spaces) with chat spellings spelled out and participles'
/// dropped d restored.
pub(crate) fn spell_out_cow(s: &str) -> Cow<'_, str> {
    if !s.split(' ').any(|word| respelled(word).is_some()) {
        return Cow::Borrowed(s);
    }
    let words: Vec<Cow<str>> = s
        .split(' ')
        .map(|word| respelled(word).unwrap_or(Cow::Borrowed(word)))
        .collect();
    Cow::Owned(words.join(" "))
}

/// How a chat-typed word is written out, if it is one.
fn respelled(word: &str) -> Option<Cow<'static, str>> {
    if let Some(&(_, full)) = SPELLED_OUT.iter().find(|(short, _)| *short == word) {
        return Some(Cow::Borrowed(full));
    }
    let stem = word.strip_suffix("ao")?;
    let participle = word.chars().count() >= MIN_PARTICIPLE_CHARS
        && stem.chars().all(char::is_alphabetic)
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
        && !NOT_PARTICIPLES.contains(&word);
    participle.then(|| Cow::Owned(format!("{stem}ado")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_spellings_are_spelled_out() {
        for (typed, meant) in [
            ("el voto x correo", "el voto por correo"),
            ("boletas q nadie pidió", "boletas que nadie pidió"),
            ("k fraude xq lo digo yo", "que fraude porque lo digo yo"),
            ("esto ta arreglao", "esto está arreglado"),
            ("eso ta cocinao compay", "eso está cocinado compay"),
            ("sin pedirlas", "sin pedirlas"),
        ] {
            assert_eq!(spell_out_cow(typed), meant, "{typed}");
        }
    }

    #[test]
    fn words_that_end_in_ao_are_left_alone() {
        for word in ["bacalao", "cacao", "bao", "caos", "cuidao2", "leao"] {
            assert_eq!(spell_out_cow(word), word);
        }
        assert!(matches!(spell_out_cow("nada que ver"), Cow::Borrowed(_)));
    }

    #[test]
    fn spelling_out_twice_changes_nothing_more() {
        let once = spell_out_cow("q x d k arreglao").into_owned();
        assert_eq!(spell_out_cow(&once), once);
    }
}
