//! Set phrases that pass a verdict on what was just said ("Give me a break.", "Well said.",
//! "Ni de broma.", "Tal cual."), for the closing verdict (`mod.rs`).
//!
//! A closing verdict is mostly an idiom, not a word with a meaning of its own: "Yeah, right."
//! rejects though both words agree, "Couldn't agree more." endorses though it negates, "Sure, Jan."
//! rejects by who it is said to. The word lists of `words.rs` read a verdict word by word; these
//! phrases (`phrases.rs`) are read whole, each with the way it points, before the words around them
//! are. They are common English and Spanish set phrases of agreement and dismissal, written in the
//! normalised form a post's words take (lower case, apostrophes dropped, hyphens as spaces).

use std::collections::HashMap;
use std::sync::LazyLock;

use super::phrases::{AFFIRMING, REJECTING};

/// Words by which a verdict may address somebody after a comma ("Sure, pal."); a name or
/// title written with a capital does too ("Get real, Denise.").
pub const ADDRESS: &[&str] = &[
    "pal",
    "mate",
    "buddy",
    "bud",
    "dude",
    "bro",
    "man",
    "folks",
    "people",
    "guys",
    "sweetheart",
    "honey",
    "hon",
    "genius",
    "sir",
    "maam",
    "madam",
    "son",
    "kid",
    "friend",
    "chief",
    "boss",
    "amigo",
    "amiga",
    "compa",
    "hermano",
    "tío",
    "tía",
    "papá",
    "mamá",
    "señor",
    "señora",
    "jefe",
    "vecino",
    "vecina",
    "primo",
    "prima",
    "mijo",
    "mija",
    "loco",
    "che",
    "güey",
    "wey",
    "parce",
    "uncle",
    "aunt",
    "auntie",
    "grandma",
    "grandpa",
    "granny",
    "mom",
    "dad",
    "cousin",
    "abuela",
    "abuelo",
];

/// Agreement that goes on in mockery: an opener, then a comma and the link ("Sure, and I'm the
/// Pope.", "Right, because the post office never loses anything.", "Sí, claro, y yo soy
/// Batman."). Only openers that are sarcastic before such a link: "Right, and the courts
/// agreed." agrees.
pub const MOCKING: &[(&[&str], &str)] = &[
    (
        &[
            "sure",
            "oh sure",
            "yeah right",
            "oh right",
            "sí claro",
            "sí hombre",
            "ya claro",
            "totally",
            "oh totally",
            "yeah totally",
            "oh yeah",
        ],
        "and ",
    ),
    (&["sí claro", "sí hombre", "ya claro", "ajá"], "y "),
    (
        &[
            "right",
            "sure",
            "oh sure",
            "yeah",
            "yeah right",
            "oh right",
            "claro",
            "sí claro",
        ],
        "because ",
    ),
    (&["claro", "sí claro", "sí hombre"], "porque "),
];

/// How a last sentence that mocks what it follows opens ("Said no one who has ever voted.").
pub const MOCKING_PREFIXES: &[&str] = &[
    "said no one",
    "said nobody",
    "says no one",
    "says nobody",
    "dijo nadie",
    "says the guy who",
    "says the man who",
    "says the woman who",
    "says the person who",
    "says the one who",
    "says the party that",
    "says the party who",
    "said the guy who",
    "said the man who",
    "dice el que",
    "dijo el que",
    "lo dice el que",
];
/// Phrases that reject the word before them ("Rare, my foot."): only an echo of what was said
/// tells what they judge.
pub const ECHOING: &[&str] = &[
    "my foot",
    "my ass",
    "my arse",
    "my backside",
    "mis calzones",
    "mis narices",
    "y una porra",
    "y un jamón",
];
/// Phrases that may open a clause of the writer's own ("No way November is honest.", "Of
/// course they'd say that."): they pass a verdict only as the whole of a last sentence.
pub const CLAUSAL: &[&str] = &[
    "no way",
    "of course",
    "for sure",
    "no doubt",
    "without a doubt",
    "no question",
    "not a chance",
    "no chance",
    "fat chance",
    "no shot",
    "absolutely not",
    "definitely not",
    "certainly not",
    "sin duda",
    "sin lugar a dudas",
    "por supuesto",
    "desde luego",
];
/// Words that mock whatever comes before them in a last sentence ("Yep, and I'm the Pope.",
/// "Y yo soy Napoleón.").
pub const MOCKING_LINKS: &[&str] = &[
    "and im the",
    "and i am the",
    "and pigs",
    "y yo soy",
    "y yo me chupo el dedo",
    "y yo nací ayer",
];
/// The auxiliary verbs of a mocking echo ("Sure they will.", "Sure it doesn't.").
pub const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "do", "does", "did", "will", "would", "can", "could", "has",
    "have", "had", "should",
];

/// A piece of a last sentence: a word, or an idiom read whole.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    Word(String),
    /// A set phrase, as written in the lists.
    Idiom {
        rejects: bool,
        phrase: &'static str,
    },
}

/// `words` (a last sentence's normalised words, apostrophes dropped) with its idioms read whole,
/// the longest first where two start at a word.
pub fn read_idioms(words: Vec<String>) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let candidates = BY_FIRST_WORD.get(words[at].as_str());
        let longest = candidates.into_iter().flatten().find(|(phrase, len, _)| {
            words
                .get(at..at + len)
                .is_some_and(|here| (here.iter().map(String::as_str)).eq(phrase.split(' ')))
        });
        match longest {
            Some(&(phrase, len, rejects)) => {
                pieces.push(Piece::Idiom { rejects, phrase });
                at += len;
            }
            None => {
                pieces.push(Piece::Word(words[at].clone()));
                at += 1;
            }
        }
    }
    pieces
}

/// A phrase, its length in words, and whether it rejects.
type Phrase = (&'static str, usize, bool);

/// The phrases by their first word, the longest first: a last sentence's words are looked up,
/// not compared with every phrase.
static BY_FIRST_WORD: LazyLock<HashMap<&str, Vec<Phrase>>> = LazyLock::new(|| {
    let mut by_first: HashMap<&str, Vec<Phrase>> = HashMap::new();
    let phrases =
        (REJECTING.iter().map(|p| (*p, true))).chain(AFFIRMING.iter().map(|p| (*p, false)));
    for (phrase, rejects) in phrases {
        let first = phrase.split(' ').next().unwrap_or(phrase);
        let len = phrase.split(' ').count();
        by_first
            .entry(first)
            .or_default()
            .push((phrase, len, rejects));
    }
    for candidates in by_first.values_mut() {
        candidates.sort_by_key(|&(_, len, _)| std::cmp::Reverse(len));
    }
    by_first
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{self, Lexicon};

    #[test]
    fn every_phrase_is_written_as_a_post_normalises() {
        let lexicon = Lexicon::english();
        let openers = MOCKING.iter().flat_map(|(openers, _)| openers.iter());
        for phrase in REJECTING
            .iter()
            .chain(AFFIRMING)
            .chain(openers)
            .chain(MOCKING_PREFIXES)
            .chain(MOCKING_LINKS)
            .chain(CLAUSAL)
        {
            let normalized = text::normalize(phrase, &lexicon).text.replace('\'', "");
            assert_eq!(&normalized, phrase);
        }
        for phrase in CLAUSAL {
            assert!(
                REJECTING.contains(phrase) || AFFIRMING.contains(phrase),
                "{phrase}"
            );
        }
        for word in ADDRESS {
            assert_eq!(
                &text::normalize(word, &lexicon).text.replace('\'', ""),
                word
            );
        }
    }

    #[test]
    fn the_longest_idiom_is_read_whole() {
        let words = |text: &str| text.split(' ').map(str::to_owned).collect::<Vec<_>>();
        let word = |w: &str| Piece::Word(w.to_owned());
        assert_eq!(
            read_idioms(words("no doubt in my mind")),
            [Piece::Idiom {
                rejects: false,
                phrase: "no doubt in my mind"
            }]
        );
        assert_eq!(
            read_idioms(words("thats just wishful thinking")),
            [
                word("thats"),
                word("just"),
                Piece::Idiom {
                    rejects: true,
                    phrase: "wishful thinking"
                }
            ]
        );
        assert_eq!(
            read_idioms(words("he is wrong")),
            [word("he"), word("is"), word("wrong")]
        );
    }
}
