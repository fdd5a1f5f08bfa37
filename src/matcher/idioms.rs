//! Set phrases that pass a verdict on what was just said ("Give me a break.", "Well said.",
//! "Ni de broma.", "Tal cual."), for `closing.rs`.
//!
//! A closing verdict is mostly an idiom, not a word with a meaning of its own: "Yeah, right."
//! rejects though both words agree, "Couldn't agree more." endorses though it negates, "Sure,
//! Jan." rejects by who it is said to. The word lists of `closing.rs` read a verdict word by
//! word; these phrases are read whole, each with the way it points, before the words around
//! them are. They are common English and Spanish set phrases of agreement and dismissal,
//! written in the normalised form a post's words take (lower case, apostrophes dropped,
//! hyphens as spaces).

/// Phrases that reject what they judge.
const REJECTING: &[&str] = &[
    "yeah right",
    "yeah no",
    "sure jan",
    "as if",
    "in your dreams",
    "dream on",
    "keep dreaming",
    "get real",
    "give me a break",
    "give it a rest",
    "come off it",
    "pull the other one",
    "tell me another one",
    "nice try",
    "says who",
    "who says",
    "not a chance",
    "no chance",
    "fat chance",
    "not a hope",
    "not in a million years",
    "not on your life",
    "not happening",
    "not gonna happen",
    "never gonna happen",
    "not going to happen",
    "when pigs fly",
    "pigs might fly",
    "my foot",
    "my ass",
    "my arse",
    "my backside",
    "spare me",
    "get a grip",
    "get over it",
    "touch grass",
    "go touch grass",
    "go touch some grass",
    "you wish",
    "wishful thinking",
    "big whoop",
    "far from it",
    "doubt it",
    "i doubt it",
    "i dont think so",
    "dont think so",
    "not buying it",
    "im not buying it",
    "not convinced",
    "tinfoil",
    "tinfoil hat",
    "tin foil hat",
    "conspiracy theory",
    "urban legend",
    "old wives tale",
    "fairy tale",
    "load of rubbish",
    "load of nonsense",
    "load of bull",
    "full of it",
    "nothing burger",
    "nothingburger",
    "tosh",
    "codswallop",
    "balderdash",
    "poppycock",
    "bollocks",
    "bunk",
    "bunkum",
    "malarkey",
    "drivel",
    "twaddle",
    "claptrap",
    "hooey",
    "horseshit",
    "hokum",
    "piffle",
    "laughable",
    "laughably wrong",
    "ridiculous",
    "absurd",
    "preposterous",
    "ludicrous",
    "delusional",
    "paranoid",
    "paranoia",
    "overblown",
    "overhyped",
    "exaggerated",
    "clickbait",
    "not a shred of evidence",
    "not a scrap of proof",
    "zero evidence",
    "zero proof",
    "no proof",
    "try again",
    "wrong again",
    "swing and a miss",
    "sweet summer child",
    "having a laugh",
    "whatever helps you sleep at night",
    "keep telling yourself that",
    "not how it works",
    "not how this works",
    "not how any of this works",
    "famous last words",
    "absolutely not",
    "definitely not",
    "certainly not",
    "not by a long shot",
    "not remotely",
    "not even remotely",
    "not even slightly",
    "not for a second",
    "not for one second",
    "not even a little",
    "not in the slightest",
    "no shot",
    "no way",
    "mentira gorda",
    "ni un poco",
    "ni de broma",
    "ni de coña",
    "ni hablar",
    "ni en sueños",
    "ni de lejos",
    "ni loco",
    "ni por asomo",
    "ni mucho menos",
    "ni lo sueñes",
    "sigue soñando",
    "venga ya",
    "anda ya",
    "vamos hombre",
    "sí claro",
    "sí hombre",
    "ya claro",
    "claro que no",
    "cuento chino",
    "paja",
    "pura paja",
    "habladurías",
    "chorradas",
    "paparruchas",
    "sandeces",
    "estupideces",
    "de eso nada",
    "no me lo creo",
    "no me la creo",
    "conspiranoia",
    "paranoia pura",
    "exageración",
    "exagerado",
    "falso de toda falsedad",
];

/// Phrases that endorse what they judge.
const AFFIRMING: &[&str] = &[
    "well said",
    "well put",
    "hear hear",
    "nailed it",
    "spot on",
    "bang on",
    "dead on",
    "on the money",
    "on point",
    "nail on the head",
    "hit the nail on the head",
    "couldnt agree more",
    "could not agree more",
    "couldnt have said it better",
    "couldnt have put it better",
    "couldnt be clearer",
    "cant argue with that",
    "hard to argue with that",
    "hard to disagree",
    "no doubt",
    "no doubt about it",
    "no doubt in my mind",
    "without a doubt",
    "no question",
    "you said it",
    "preach",
    "say it louder",
    "say it louder for the people in the back",
    "truer words were never spoken",
    "truer words never spoken",
    "that tracks",
    "makes sense",
    "case closed",
    "simple as that",
    "end of story",
    "enough said",
    "nuff said",
    "can confirm",
    "can vouch",
    "i agree",
    "agree",
    "hard agree",
    "called it",
    "told you so",
    "i told you so",
    "knew it",
    "i knew it",
    "has a point",
    "got a point",
    "fair point",
    "fair call",
    "fair shout",
    "harsh but fair",
    "right all along",
    "damn right",
    "right on",
    "got it in one",
    "crystal clear",
    "wouldnt surprise me",
    "tal cual",
    "así es",
    "así mismo es",
    "así mismito es",
    "toda la razón",
    "de acuerdo",
    "estoy de acuerdo",
    "no podría estar más de acuerdo",
    "dio en el clavo",
    "en el clavo",
    "lo clavó",
    "no le falta razón",
    "ni más ni menos",
    "sin duda",
    "sin ninguna duda",
    "eso mismo",
    "bien dicho",
    "muy bien dicho",
    "bien explicado",
    "muy bien explicado",
    "clarísimo",
    "te lo dije",
    "you bet",
    "you betcha",
    "count on it",
    "of course",
    "for sure",
    "por supuesto",
    "desde luego",
];

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
        ],
        "and ",
    ),
    (&["sí claro", "sí hombre", "ya claro"], "y "),
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
    Idiom { rejects: bool },
}

/// `words` (a last sentence's normalised words, apostrophes dropped) with its idioms read whole,
/// the longest first where two start at a word.
pub fn read_idioms(words: Vec<String>) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let longest = (REJECTING.iter().map(|p| (p, true)))
            .chain(AFFIRMING.iter().map(|p| (p, false)))
            .filter_map(|(phrase, rejects)| {
                let len = phrase.split(' ').count();
                let here = words.get(at..at + len)?;
                (here.iter().map(String::as_str))
                    .eq(phrase.split(' '))
                    .then_some((len, rejects))
            })
            .max_by_key(|&(len, _)| len);
        match longest {
            Some((len, rejects)) => {
                pieces.push(Piece::Idiom { rejects });
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
        {
            let normalized = text::normalize(phrase, &lexicon).text.replace('\'', "");
            assert_eq!(&normalized, phrase);
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
            [Piece::Idiom { rejects: false }]
        );
        assert_eq!(
            read_idioms(words("thats just wishful thinking")),
            [word("thats"), word("just"), Piece::Idiom { rejects: true }]
        );
        assert_eq!(
            read_idioms(words("he is wrong")),
            [word("he"), word("is"), word("wrong")]
        );
    }
}
