//! Spanish as typed in chats: `voto x correo` → `voto por correo`, `q nadie pidió` → `que
//! nadie pidió`, `está arreglao` → `está arreglado`.
//!
//! Spanish posts write the commonest little words as a letter or two ("x" for "por", "q" or "k"
//! for "que", "xq" for "porque", "d" for "de") and drop the d of a participle as it is spoken in
//! the Caribbean, Andalusia and much of Latin America ("arreglao", "cocinao", "robao"). A phrase
//! of the knowledge base ("voto por correo") then no longer meets its words, and a participle no
//! longer meets its alias. Only Spanish words are read so (`normalize` asks the language of the
//! normalised words): in an English post "x" and "q" are other things ("Trump x Biden").

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
/// dropped d restored; `None` if it has none. The caller asks whether `s` is Spanish. A letter
/// next to another letter is left alone: it may be part of a word spelt out letter by letter,
/// which the spaced-letter joiner reads ("x l i i i"), and spelling it out would make a new run
/// of letters for the next normalisation to join.
pub(crate) fn spelled_out(s: &str) -> Option<String> {
    // Most posts have no chat spelling: they cost one pass over their words and no allocation.
    if !s
        .split(' ')
        .any(|word| full_form(word).is_some() || participle(word).is_some())
    {
        return None;
    }
    let words: Vec<&str> = s.split(' ').collect();
    let letter = |i: Option<usize>| {
        i.and_then(|i| words.get(i))
            .is_some_and(|w| w.chars().count() == 1)
    };
    let spelled: Vec<Option<Cow<str>>> = (0..words.len())
        .map(|i| {
            let alone =
                words[i].chars().count() > 1 || !(letter(i.checked_sub(1)) || letter(Some(i + 1)));
            alone.then(|| respelled(words[i])).flatten()
        })
        .collect();
    if spelled.iter().all(Option::is_none) {
        return None;
    }
    let out: Vec<Cow<str>> = (words.iter().zip(spelled))
        .map(|(&word, full)| full.unwrap_or(Cow::Borrowed(word)))
        .collect();
    Some(out.join(" "))
}

/// How a chat-typed word is written out, if it is one.
fn respelled(word: &str) -> Option<Cow<'static, str>> {
    match full_form(word) {
        Some(full) => Some(Cow::Borrowed(full)),
        None => participle(word).map(|stem| Cow::Owned(format!("{stem}ado"))),
    }
}

/// The word a chat spelling stands for ("x": "por").
fn full_form(word: &str) -> Option<&'static str> {
    SPELLED_OUT
        .iter()
        .find(|(short, _)| *short == word)
        .map(|&(_, full)| full)
}

/// The stem of a participle that lost its d ("arreglao": "arregl").
fn participle(word: &str) -> Option<&str> {
    let stem = word.strip_suffix("ao")?;
    let participle = word.chars().count() >= MIN_PARTICIPLE_CHARS
        && stem.chars().all(char::is_alphabetic)
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
        && !NOT_PARTICIPLES.contains(&word);
    participle.then_some(stem)
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
            assert_eq!(
                spelled_out(typed).as_deref().unwrap_or(typed),
                meant,
                "{typed}"
            );
        }
    }

    #[test]
    fn words_that_end_in_ao_are_left_alone() {
        for word in [
            "bacalao",
            "cacao",
            "bao",
            "caos",
            "cuidao2",
            "leao",
            "nada que ver",
        ] {
            assert_eq!(spelled_out(word), None, "{word}");
        }
    }

    #[test]
    fn spelling_out_twice_changes_nothing_more() {
        let once = spelled_out("q x d k arreglao").unwrap();
        assert_eq!(spelled_out(&once), None);
    }
}
