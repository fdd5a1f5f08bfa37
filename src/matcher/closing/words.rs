//! The words a closing verdict is read with, word by word (`mod.rs`); the set phrases read
//! whole are in `phrases.rs`. Normalised: lower case, apostrophes dropped.

/// Words that keep a set phrase among words of their own from passing a verdict (see
/// [`anchored`](super::anchored)): that mock it, take it back, name it, or pass somebody's
/// words on.
pub(super) const UNANCHORING: &[&str] = &[
    "sure", "right", "claro", "but", "pero", "call", "calls", "called", "llaman", "dirán", "dirá",
    "pongo", "comparto", "copio", "share", "sharing", "quote", "quoting",
];
/// Words that reject what they judge (normalised, apostrophes dropped).
pub(super) const REJECTING: &[&str] = &[
    "false",
    "untrue",
    "wrong",
    "lie",
    "lies",
    "lying",
    "liar",
    "liars",
    "nonsense",
    "rubbish",
    "garbage",
    "bs",
    "bullshit",
    "baloney",
    "hogwash",
    "myth",
    "fabrication",
    "fabricated",
    "fiction",
    "fantasy",
    "fairytale",
    "debunked",
    "propaganda",
    "joke",
    "mistaken",
    "misleading",
    "fake",
    "made",
    "falso",
    "falsa",
    "mentira",
    "mentiras",
    "bulo",
    "bulos",
    "tontería",
    "tonterías",
    "invento",
    "cuento",
    "patraña",
    "patrañas",
    "disparate",
    "equivoca",
    "equivocan",
    "equivocado",
    "equivocados",
];
/// Words that endorse what they judge.
pub(super) const AFFIRMING: &[&str] = &[
    "true",
    "right",
    "correct",
    "exactly",
    "facts",
    "fact",
    "agreed",
    "accurate",
    "bingo",
    "truth",
    "100",
    "sense",
    "spot",
    "close",
    "chance",
    "happened",
    "happen",
    "buy",
    "buying",
    "amen",
    "believe",
    "verdad",
    "cierto",
    "cierta",
    "razón",
    "exacto",
    "exactamente",
    "correcto",
    "así",
];
/// Words that thank or praise the person a closing addresses ("Thank you, Senator.", "Keep it
/// up, sir.", "Bien dicho, che.").
pub(super) const THANKING: &[&str] = &[
    "thank", "thanks", "thx", "ty", "bless", "love", "keep", "preach", "well", "said", "good",
    "great", "nice", "gracias", "bendiga", "dicho", "bien", "sigue", "chapó", "bravo", "grande",
];

/// Words that address the writer's audience, not the person whose words were passed on
/// ("Nothing to see here, folks."), or nobody in particular (Spain's "tío", "dude").
pub(super) const AUDIENCE: &[&str] = &[
    "folks",
    "people",
    "guys",
    "yall",
    "everyone",
    "everybody",
    "all",
    "gente",
    "todos",
    "chicos",
    "amigos",
    "tío",
    "tía",
];

/// Days and months, which may close a sentence after a comma as a name does ("… in Tampa,
/// Saturday.").
pub(super) const CALENDAR: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// Words that turn a verdict's word around ("not true", "never happened"), or deny on their own
/// what they judge ("It isn't.").
pub(super) const DENYING: &[&str] = &[
    "not", "never", "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "wont", "cant",
    "couldnt", "wouldnt", "hasnt", "havent", "hadnt", "nowhere", "nunca",
];
/// Words that open the condition of a qualified denial (see [`qualified`](super::qualified)).
pub(super) const CONDITIONS: &[&str] = &[
    "when",
    "if",
    "unless",
    "according",
    "while",
    "cuando",
    "si",
    "según",
    "mientras",
];
/// Words that say no or yes on their own ("Nope.", "No, it wasn't.", "Para nada.", "Qué va.",
/// "Yep, that's the truth.").
pub(super) const NO: &[&str] = &["no", "nope", "nah", "nada", "va", "hardly"];
pub(super) const YES: &[&str] = &["yes", "yep", "yup", "indeed"];
/// The subjects an elliptical denial needs ("It isn't.", "They weren't.", "No lo es.").
pub(super) const SUBJECTS: &[&str] = &[
    "it", "its", "they", "theyre", "he", "hes", "she", "shes", "that", "thats", "this", "lo",
];
/// The Spanish words after which "no" turns what follows ("no es cierto", "no lo es").
pub(super) const SPANISH_AFTER_NO: &[&str] = &[
    "es", "lo", "la", "son", "fue", "fueron", "era", "tiene", "tienen", "se", "está", "hay",
];
/// The other words a verdict may have: who or what it judges, how strongly, little words.
pub(super) const VERDICT_FILLER: &[&str] = &[
    "that",
    "thats",
    "this",
    "it",
    "its",
    "is",
    "was",
    "are",
    "were",
    "be",
    "a",
    "an",
    "the",
    "he",
    "hes",
    "she",
    "shes",
    "they",
    "theyre",
    "you",
    "youre",
    "i",
    "im",
    "we",
    "all",
    "of",
    "totally",
    "completely",
    "utterly",
    "absolutely",
    "simply",
    "just",
    "flat",
    "out",
    "dead",
    "plain",
    "categorically",
    "absolute",
    "oh",
    "well",
    "honestly",
    "sadly",
    "pretty",
    "much",
    "really",
    "truly",
    "yeah",
    "perfect",
    "myself",
    "in",
    "hell",
    "heck",
    "one",
    "bit",
    "y",
    "con",
    "él",
    "ella",
    "pure",
    "total",
    "complete",
    "utter",
    "big",
    "biggest",
    "another",
    "such",
    "so",
    "what",
    "very",
    "outright",
    "blatant",
    "even",
    "again",
    "at",
    "do",
    "does",
    "did",
    "will",
    "can",
    "makes",
    "on",
    "up",
    "news",
    "also",
    "to",
    "es",
    "eso",
    "qué",
    "esto",
    "un",
    "una",
    "puro",
    "pura",
    "puros",
    "puras",
    "totalmente",
    "completamente",
    "absolutamente",
    "otra",
    "otro",
    "se",
    "lo",
    "la",
    "son",
    "fue",
    "fueron",
    "era",
    "para",
    "tiene",
    "tienen",
    "está",
    "hay",
    "vil",
    "gran",
    "near",
];
/// Interjections around a verdict ("LOL no.", "Ha, fair point.", "Lol, sure they would.").
pub(super) const INTERJECTIONS: &[&str] = &[
    "lol", "lmao", "lmfao", "haha", "hahaha", "ha", "jaja", "jajaja", "ay", "pfft", "ugh", "meh",
    "wow",
];

/// Words that soften the verdict they lead before a comma ("With respect, it isn't."), lower
/// case, apostrophes dropped.
pub(super) const SOFTENERS: &[&str] = &[
    "oh",
    "look",
    "listen",
    "sorry",
    "honestly",
    "respectfully",
    "with",
    "respect",
    "all",
    "due",
    "please",
    "mira",
    "oye",
    "perdón",
    "con",
    "todo",
    "respeto",
];
/// Abbreviations whose stop ends no sentence, lower case, without their last stop (not "Jan.",
/// which ends "Sure, Jan.").
pub(super) const ABBREVIATIONS: &[&str] = &[
    "a.m", "p.m", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mr", "mrs", "ms", "dr", "st", "gov", "sen", "rep", "vs", "lt", "jr", "sr",
];
/// Retorts with a slot for any words, in normalised words: they reject what they answer.
pub(super) const RETORTS: &[&str] = &[
    "tell that to ",
    "tell it to ",
    "try telling that to ",
    "explain that to ",
    "díselo a ",
    "cuéntaselo a ",
];

/// Questions that dispute what was said: who says it, in what world it holds, whether anybody
/// believes it.
pub(super) const DISPUTING: &[&str] = &[
    "says who",
    "who says",
    "according to whom",
    "según quién",
    "quién lo dice",
    "in what universe",
    "in what world",
    "on what planet",
    "since when",
    "desde cuándo",
    "en qué mundo",
    "en qué universo",
    "and you believe that",
    "and you believe them",
    "and you actually believe that",
    "and you actually believe them",
    "you believe that",
    "you buy that",
    "and you buy that",
    "who believes that",
    "who buys that",
    "y te lo crees",
    "y tú te lo crees",
];
/// Tags that turn a statement into a question without asking it ("Convenient explanation,
/// isn't it?"), lower case.
pub(super) const TAGS: &[&str] = &[
    ", isn't it",
    ", isnt it",
    ", right",
    ", huh",
    ", eh",
    ", ¿verdad",
    ", ¿no",
    ", verdad",
];
/// A question of one word that asks whether what was said is true.
pub(super) const TRUTH: &[&str] = &[
    "true", "real", "accurate", "legit", "verdad", "cierto", "seguro",
];
/// Words of a question that asks the reader to believe what it says.
pub(super) const BELIEVING: &[&str] = &[
    "supposed to",
    "expected to",
    "expect us",
    "expects us",
    "want us to",
    "wants us to",
    "asking us",
    "quieren que",
    "pretenden que",
    "esperan que",
];
/// Words that open a question asking for something other than yes or no.
pub(super) const WH_WORDS: &[&str] = &[
    "why", "how", "who", "whose", "what", "whats", "when", "where", "which", "por", "cómo",
    "quién", "quiénes", "qué", "cuándo", "dónde", "cuál", "cuáles", "cuánto", "cuántos",
];

/// How a clause after a verdict may take it back or mock it ("True, but …", "Right, because
/// …").
pub(super) const TAKING_BACK: &[&str] = &[
    "but ", "though", "although", "except", "because", "pero ", "aunque", "salvo", "porque",
];
