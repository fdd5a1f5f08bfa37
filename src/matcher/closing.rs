//! A closing verdict: the last sentence of a post judging what comes before it.
//!
//! "Trump says mail-in voting means massive fraud. He's wrong." reports the claim, then rejects
//! it; "Officials say mail ballots are secure. They are not." reports a defence, then rejects
//! it; "Barr says China could print fake ballots. He's right." endorses the claim. The last
//! sentence has no word of the narrative, so the read-outs cannot tell what it turns: they read
//! the first as a neutral report and the second as a debunk. The rest of the post is read on its
//! own, and the verdict then turns that reading ([`Verdict::on`]).
//!
//! Only a last sentence that is a verdict and nothing else counts, or a verdict opening it before
//! a comma ("Correct, and nobody has produced one since."): words that reject or endorse, turned
//! by a negation, among little words ([`verdict`]), however they are written ("FALSE!!!", "N0t
//! tru3.", "Wrong, wrong, wrong."). Set phrases are read whole, each pointing its own way
//! ("Yeah, right." rejects, "Couldn't agree more." endorses: `idioms.rs`), a verdict may address
//! somebody after a comma ("Get real, Denise."), and agreement that goes on in mockery rejects
//! ("Sure, and I'm the Pope."). A last sentence that asks ("He's right?") passes none but
//! "Says who?". One that answers a question passes a verdict on it when the question puts a
//! proposition ("Is mail voting rigged? Nah.": [`puts_a_proposition`]), and on the sentence
//! before it when the question echoes it ("Officials say fraud is rare. Rare? My foot."), but
//! not when the question is a word of doubt ("Biden up 40k at 4am. Coincidence? No.") or the
//! verdict mocks ("Ballots at 4 a.m.? Sure, Jan." agrees with the disbelief).

use super::idioms::{self, Piece};
use super::stance::Stance;
use crate::text::{self, Lexicon};

/// The fewest words the rest of the post needs for the verdict to judge something.
const MIN_REST_WORDS: usize = 3;
/// The longest last sentence or opening clause, in bytes, worth normalising to read as a verdict
/// (eight words, with room for emphasis).
const MAX_VERDICT_CHARS: usize = 60;

/// The most words a verdict has ("That's a flat-out lie, all of it" has eight).
const MAX_VERDICT_WORDS: usize = 8;
/// Words that keep a set phrase among words of their own from passing a verdict (see
/// [`anchored`]): that mock it, take it back, name it, or pass somebody's words on.
const UNANCHORING: &[&str] = &[
    "sure", "right", "claro", "but", "pero", "call", "calls", "called", "llaman", "dirán", "dirá",
    "pongo", "comparto", "copio", "share", "sharing", "quote", "quoting",
];
/// Words that reject what they judge (normalised, apostrophes dropped).
const REJECTING: &[&str] = &[
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
const AFFIRMING: &[&str] = &[
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
/// Words that turn a verdict's word around ("not true", "never happened"), or deny on their own
/// what they judge ("It isn't.").
const DENYING: &[&str] = &[
    "not", "never", "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "wont", "cant",
    "couldnt", "wouldnt", "hasnt", "havent", "hadnt", "nowhere", "nunca",
];
/// Words that open the condition of a qualified denial (see [`qualified`]).
const CONDITIONS: &[&str] = &[
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
const NO: &[&str] = &["no", "nope", "nah", "nada", "va", "hardly"];
const YES: &[&str] = &["yes", "yep", "yup", "indeed"];
/// The subjects an elliptical denial needs ("It isn't.", "They weren't.", "No lo es.").
const SUBJECTS: &[&str] = &[
    "it", "its", "they", "theyre", "he", "hes", "she", "shes", "that", "thats", "this", "lo",
];
/// The Spanish words after which "no" turns what follows ("no es cierto", "no lo es").
const SPANISH_AFTER_NO: &[&str] = &[
    "es", "lo", "la", "son", "fue", "fueron", "era", "tiene", "tienen", "se", "está", "hay",
];
/// The other words a verdict may have: who or what it judges, how strongly, little words.
const VERDICT_FILLER: &[&str] = &[
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
const INTERJECTIONS: &[&str] = &[
    "lol", "lmao", "lmfao", "haha", "hahaha", "ha", "jaja", "jajaja", "ay", "pfft", "ugh", "meh",
    "wow",
];

/// Questions that dispute what was said: who says it, in what world it holds, whether anybody
/// believes it.
const DISPUTING: &[&str] = &[
    "says who",
    "who says",
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
const TAGS: &[&str] = &[
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
const TRUTH: &[&str] = &[
    "true", "real", "accurate", "legit", "verdad", "cierto", "seguro",
];
/// Words of a question that asks the reader to believe what it says.
const BELIEVING: &[&str] = &[
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
const WH_WORDS: &[&str] = &[
    "why", "how", "who", "whose", "what", "whats", "when", "where", "which", "por", "cómo",
    "quién", "quiénes", "qué", "cuándo", "dónde", "cuál", "cuáles", "cuánto", "cuántos",
];

/// How a clause after a verdict may take it back or mock it ("True, but …", "Right, because …").
const TAKING_BACK: &[&str] = &[
    "but ", "though", "although", "except", "because", "pero ", "aunque", "salvo", "porque",
];
/// Where what a report says ends and the writer's answer begins, in normalised words.
const TAKING_BACK_WORDS: &[&str] = &[" but ", " however ", " pero ", " sin embargo "];
/// The most words before a reporting verb read as who speaks ("election officials keep
/// saying").
const MAX_SPEAKER_WORDS: usize = 4;
/// The most words a source before a comma or colon may have ("According to the guy at my gym").
const MAX_SOURCE_WORDS: usize = 8;
/// The most words a source before a colon may have ("Congressman on the radio this morning:").
const MAX_LABEL_WORDS: usize = 6;
/// Labels before a colon that open the writer's own words, not somebody else's ("Reminder: …").
const OWN_LABELS: &[&str] = &[
    "reminder",
    "psa",
    "fact",
    "facts",
    "note",
    "fyi",
    "truth",
    "hint",
    "tip",
    "thread",
    "folks",
    "friends",
    "people",
    "everyone",
    "y'all",
    "ok",
    "okay",
    "recordatorio",
    "ojo",
    "dato",
];
/// Verbs that report somebody's words, normalised: what follows them is what a verdict judges.
const REPORTING: &[&str] = &[
    "says",
    "said",
    "say",
    "saying",
    "tell",
    "claims",
    "claimed",
    "claim",
    "claiming",
    "insists",
    "insisted",
    "insist",
    "swears",
    "swore",
    "swear",
    "tweeted",
    "posted",
    "posting",
    "argues",
    "argued",
    "warns",
    "warned",
    "warning",
    "thinks",
    "believes",
    "tells",
    "told",
    "telling",
    "dice",
    "dicen",
    "dijo",
    "asegura",
    "aseguran",
    "aseguró",
    "afirma",
    "afirman",
    "afirmó",
    "jura",
    "juran",
    "juró",
    "sostiene",
    "sostienen",
    "insiste",
    "insisten",
    "cree",
    "creen",
    "diciendo",
    // Verbs that pass on somebody's words in writing, or explain, promise or find (stop 52).
    "wrote",
    "writes",
    "explains",
    "explained",
    "notes",
    "noted",
    "promises",
    "promised",
    "assures",
    "assured",
    "announced",
    "announces",
    "reported",
    "reports",
    "admits",
    "admitted",
    "shows",
    "show",
    "showed",
    "heard",
    "escribió",
    "escribe",
    "explicó",
    "explica",
    "explican",
    "promete",
    "prometen",
    "prometió",
    "anunció",
    "publicó",
    "repite",
    "repiten",
    "señala",
    "señaló",
    "advierte",
    "advirtió",
];
/// Words that open a source named before a comma ("According to my boss, …").
const SOURCE_OPENERS: &[&str] = &["according to ", "según "];
/// Words between a reporting verb and what it reports.
const REPORTED_LEAD: &[&str] = &["that", "us", "me", "everyone", "que"];

/// Whether a post may report somebody's words at all, as [`sourced`] and [`reported`] read
/// them: a reporting verb in its normalised words `normalized`, or a source before a colon or
/// after "According to" in `raw`. A cheap test, before its sentences are read one by one.
pub(crate) fn may_report(raw: &str, normalized: &str) -> bool {
    normalized.split(' ').any(|word| REPORTING.contains(&word)) || raw.contains(": ") || {
        let lower = raw.to_lowercase();
        SOURCE_OPENERS.iter().any(|opener| lower.contains(opener))
    }
}

/// What `rest` reports somebody as saying, when a source of a few words opens it: "According to"
/// or "Según" before a comma ("According to my boss, …"), or anything but the writer's own
/// label before a colon ("Fact-checkers: …", not "Reminder: …"); and that source ("According to
/// my boss").
pub(crate) fn sourced(rest: &str) -> Option<(&str, &str)> {
    let lower = rest.trim_start().to_lowercase();
    let named = SOURCE_OPENERS
        .iter()
        .any(|opener| lower.starts_with(opener));
    let (source, content) = if named {
        rest.split_once(", ")?
    } else {
        rest.split_once(": ")?
    };
    let own = OWN_LABELS.contains(&source.trim().to_lowercase().as_str());
    let most = if named {
        MAX_SOURCE_WORDS
    } else {
        MAX_LABEL_WORDS
    };
    (!own && source.split_whitespace().count() <= most && !content.trim().is_empty())
        .then_some((content, source))
}

/// What the normalised words `words` report somebody as saying: the words after the first
/// reporting verb ("Krebs says *other countries couldn't fake our ballots*"), up to a "but", or
/// before it if too few follow ("*ballots go only to registered voters*, says the clerk"); and
/// who says it: the few words up to the reporting verb ("the fbi says"), or from it when the
/// source is named last ("says the clerk").
pub(crate) fn reported<'a>(words: &'a str) -> Option<(&'a str, &'a str)> {
    let enough = |piece: &&str| piece.split(' ').count() >= MIN_REST_WORDS;
    let mut at = 0;
    let mut verb = None;
    for word in words.split(' ') {
        let start = at;
        at += word.len() + 1;
        match verb {
            None if REPORTING.contains(&word) => verb = Some((start, at)),
            Some((from, _)) if REPORTED_LEAD.contains(&word) => verb = Some((from, at)),
            Some(_) => break,
            None => {}
        }
    }
    let (start, end) = verb?;
    // Up to where the writer takes it back ("Trump says X, but audits found none").
    let after = words.get(end..).map(|after| {
        let cut = TAKING_BACK_WORDS
            .iter()
            .filter_map(|word| after.find(word))
            .min();
        cut.map_or(after, |at| after[..at].trim_end())
    });
    // Or what comes before it, when the source is named last ("…, says their clerk").
    let last_words = |text: &'a str| {
        let cut =
            (text.match_indices(' ').rev().nth(MAX_SPEAKER_WORDS - 1)).map_or(0, |(at, _)| at + 1);
        &text[cut..]
    };
    match after.filter(enough) {
        Some(after) => Some((after, last_words(words[..end].trim_end()))),
        None => {
            let before = Some(words[..start].trim_end()).filter(enough)?;
            let speaker = words[start..].split(' ').take(MAX_SPEAKER_WORDS);
            let len = speaker
                .map(|w| w.len() + 1)
                .sum::<usize>()
                .saturating_sub(1);
            Some((before, &words[start..start + len]))
        }
    }
}

/// Who speaks for the election process, in a post's normalised words: what they are reported
/// to say is a defence of it ("The FBI says there's no evidence of fraud. Sure there isn't.").
const AUTHORITIES: &[&str] = &[
    "officials",
    "authorities",
    "fact check",
    "fact checks",
    "fact checkers",
    "fact checker",
    "factcheckers",
    "experts",
    "clerk",
    "registrar",
    "commissioner",
    "secretary of state",
    "election office",
    "elections office",
    "board of elections",
    "elections board",
    "election board",
    "fbi",
    "cisa",
    "dhs",
    "odni",
    "intelligence community",
    "cnn",
    "msnbc",
    "funcionarios",
    "funcionaria",
    "funcionario",
    "autoridades",
    "secretario de estado",
    "secretaria de estado",
    "verificadores",
    "expertos",
];

/// Whether `speaker` (normalised words) names one who speaks for the election process.
pub(crate) fn speaks_for_the_process(speaker: &str) -> bool {
    AUTHORITIES.iter().any(|who| {
        speaker
            .match_indices(who)
            .any(|(at, _)| text::is_whole_words(speaker, at..at + who.len()))
    })
}

/// What a closing verdict does to the reading of the rest of the post.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Rejects,
    Affirms,
}

impl Verdict {
    /// The post's stance, given that of what the verdict judges, which `reported` says is
    /// somebody else's words: rejecting a claim or a report of it debunks, and rejecting a
    /// defence somebody made promotes ("Officials say mail ballots are secure. Lies."), while
    /// rejecting after the writer's own debunk still debunks ("If it were fraud, we'd know.
    /// It's a lie."); endorsing what reads as neutral (a report of the claim) promotes, and
    /// endorsing anything else keeps its stance.
    pub(crate) fn on(self, judged: Stance, reported: bool) -> Stance {
        match (self, judged) {
            (Verdict::Rejects, Stance::Debunks) if reported => Stance::Promotes,
            (Verdict::Rejects, _) => Stance::Debunks,
            (Verdict::Affirms, Stance::Neutral) => Stance::Promotes,
            (Verdict::Affirms, stance) => stance,
        }
    }
}

/// The verdict the last sentence of `raw` passes on the rest, and that rest (or the part of it
/// that an echoing question points to); `None` if the last sentence is no verdict, asks (but
/// "Says who?"), answers a question that puts no proposition, or the rest is too short to
/// judge.
pub(crate) fn closing_verdict<'a>(raw: &'a str, lexicon: &Lexicon) -> Option<(Verdict, &'a str)> {
    // Trailing stops and symbols ("Yeah, right. 🙄") are no part of the verdict.
    let body = raw.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | '!' | '…') || is_symbol(c)
    });
    let asking = body.strip_suffix('?');
    let body = asking.map_or(body, |b| b.trim_end_matches('?'));
    let start = body
        .char_indices()
        .rev()
        .find(|&(at, c)| ends_sentence(body, at, c))
        .map(|(at, c)| at + c.len_utf8())?;
    let (rest, last) = body.split_at(start);
    let untagged = asking.and_then(|_| untagged(last));
    if asking.is_some() && untagged.is_none() {
        // It asks ("He's wrong?", "Is it true?!"), unless it disputes what was said ("Says
        // who?", "In what universe?", "Paranoid much?").
        let asked = text::normalize(last, lexicon).text;
        let rest = rest.trim_end();
        let much = asked.split(' ').count() == 2 && asked.ends_with(" much");
        return ((DISPUTING.contains(&asked.as_str()) || much) && judgeable(rest, lexicon))
            .then_some((Verdict::Rejects, rest));
    }
    let last = untagged.unwrap_or(last);
    // The verdict is the last sentence, or opens it ("Correct, and nobody has produced one.").
    // A whole last sentence may be a set phrase among words of its own; a clause of it may not.
    let read = |piece: &str, whole: bool| {
        (piece.len() <= MAX_VERDICT_CHARS)
            .then(|| verdict(&text::normalize(piece, lexicon).text, whole))
            .flatten()
    };
    // Not when the clause after it takes it back ("True, but only in a few cases.").
    let opening = last.split_once(',').filter(|(_, after)| {
        let after = after.trim_start().to_lowercase();
        !TAKING_BACK.iter().any(|word| after.starts_with(word))
    });
    let opening = opening.map(|(first, _)| first);
    // Not a bare "No, …", which opens the writer's own statement ("No, it doesn't mean a theft"),
    // unless it answers a question ("Can they forge our ballots? No, the paper vendors know
    // every customer.").
    // After a report it rejects what was reported ("My uncle posted that the overnight dumps
    // prove theft. Nah, that's just the mail ballots getting counted.").
    let answers = rest.trim_end().ends_with('?');
    let opening = opening.filter(|first| {
        let bare_no = matches!(first.trim().to_lowercase().as_str(), "no" | "nope" | "nah");
        answers || !bare_no || reports(rest, lexicon)
    });
    let verdict = (read(last, true))
        .or_else(|| read(unaddressed(last)?, true))
        .or_else(|| mocking(last, lexicon))
        .or_else(|| mocking(unaddressed(last)?, lexicon))
        .or_else(|| read(opening?, false))
        .or_else(|| read(after_but(last)?, false))
        .or_else(|| read(echoed(last, rest, lexicon)?, false))
        .or_else(|| echoed_phrase(last, rest, lexicon))
        .or_else(|| answers.then(|| qualified(last, lexicon)).flatten())?;
    let mut rest = rest.trim_end();
    if rest.ends_with('?') {
        // The verdict answers a question. After mockery the question asks in disbelief
        // ("Ballots at 4 a.m.? Sure, Jan." agrees with it), and a question that echoes words of
        // the sentences before it asks about them ("Officials say fraud is rare. Rare? My
        // foot."); otherwise the question must put a proposition ("Biden up 40k at 4am.
        // Coincidence? No." passes none).
        if !plain(last, lexicon) {
            return None;
        }
        let question = sentences(rest).last().unwrap_or(rest);
        let before = rest[..rest.len() - question.len()].trim_end();
        if echoes(question, before, lexicon) {
            rest = before;
        } else if !puts_a_proposition(question, lexicon) {
            return None;
        }
    }
    judgeable(rest, lexicon).then_some((verdict, rest))
}

/// `last` without a tag that makes it a question ("Convenient explanation, isn't it" gives
/// "Convenient explanation").
fn untagged(last: &str) -> Option<&str> {
    TAGS.iter().find_map(|tag| {
        let at = last.len().checked_sub(tag.len())?;
        let tail = last.get(at..)?;
        (tail.to_lowercase() == *tag).then(|| &last[..at])
    })
}

/// What follows the last ", but" of `last` ("Love you, Aunt Deb, but that's hogwash." gives
/// "that's hogwash"): a verdict there outweighs the kind words before it.
fn after_but(last: &str) -> Option<&str> {
    let lower = last.to_lowercase();
    [", but ", ", pero "].iter().find_map(|but| {
        let at = lower.rfind(but)?;
        last.get(at + but.len()..)
    })
}

/// Whether a sentence of `rest` reports somebody's words (see [`sourced`] and [`reported`]).
fn reports(rest: &str, lexicon: &Lexicon) -> bool {
    sentences(rest).any(|sentence| {
        sourced(sentence).is_some() || reported(&text::normalize(sentence, lexicon).text).is_some()
    })
}

/// A phrase that rejects the words before it, with no comma between, when they echo what was
/// said ("Los expertos dicen que tiene explicación. Explicación mis calzones.").
fn echoed_phrase(last: &str, rest: &str, lexicon: &Lexicon) -> Option<Verdict> {
    let words = text::normalize(last, lexicon).text;
    let echoing = (idioms::ECHOING.iter())
        .find_map(|phrase| Some(words.split_once(&format!(" {phrase}"))?.0))?;
    let words = echo(echoing, rest, lexicon)?;
    words
        .iter()
        .all(|(_, echoed)| *echoed)
        .then_some(Verdict::Rejects)
}

/// Whether `rest` has words enough for a verdict to judge.
fn judgeable(rest: &str, lexicon: &Lexicon) -> bool {
    text::normalize(rest, lexicon).text.split(' ').count() >= MIN_REST_WORDS
}

/// Whether `question` (one to three words) echoes a word of `before`, or asks whether it is true
/// ("The rumour: Dems mailed 50 million ballots nobody asked for. True? Nowhere near.").
fn echoes(question: &str, before: &str, lexicon: &Lexicon) -> bool {
    echo(question, before, lexicon).is_some_and(|words| {
        words.iter().any(|(_, echoed)| *echoed)
            || matches!(words.as_slice(), [(only, _)] if TRUTH.contains(&only.as_str()))
    })
}

/// The normalised words of `short`, if it has one to three, each with whether `said` has it too.
fn echo(short: &str, said: &str, lexicon: &Lexicon) -> Option<Vec<(String, bool)>> {
    let said = text::normalize(said, lexicon).text;
    let words: Vec<(String, bool)> = (text::normalize(short, lexicon).text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| (w.to_owned(), said.split(' ').any(|s| s == w)))
        .collect();
    matches!(words.len(), 1..=3).then_some(words)
}

/// Whether `question` opens on an auxiliary verb, asking yes or no ("Is mail voting safe?",
/// "Will the count be honest?").
pub(crate) fn asks_yes_or_no(question: &str, lexicon: &Lexicon) -> bool {
    let words = text::normalize(question, lexicon).text;
    idioms::AUXILIARIES.contains(&words.split(' ').next().unwrap_or_default())
}

/// Whether `question` puts a proposition forward for a verdict to answer ("Is mail voting
/// rigged? Nah.", "¿Boletas falsificadas en Rusia? Ni de broma."): it asks yes or no, not why
/// or how ("Why would anyone trust mail ballots? Nope." agrees with what it implies), in three
/// words or more ("Coincidence? No.").
fn puts_a_proposition(question: &str, lexicon: &Lexicon) -> bool {
    // A Spanish question may follow words of its own sentence ("Tío, en Asia te hacen un
    // bolso idéntico, ¿y no van a poder hacer una papeleta?").
    let question = question
        .rsplit_once('¿')
        .map_or(question, |(_, asked)| asked);
    let words = text::normalize(question, lexicon).text.replace('\'', "");
    let words: Vec<&str> = words.split(' ').collect();
    // A question that opens on a negation asks for agreement, not an answer ("Isn't it
    // obvious?", "¿Y no van a poder hacer una papeleta?").
    let negated = words
        .iter()
        .take(2)
        .any(|w| DENYING.contains(w) || *w == "no");
    // Nor does one that asks the reader to believe something ("So we're supposed to trust
    // that no foreign government will print ballots? Nope.").
    let joined = words.join(" ");
    let believing = BELIEVING.iter().any(|phrase| joined.contains(phrase));
    words.len() >= MIN_REST_WORDS && !WH_WORDS.contains(&words[0]) && !negated && !believing
}

/// Whether the verdict `last` rejects or endorses plainly, with no mockery: not an agreement
/// said in sarcasm ("Sure, Jan.", "Yeah, right.", "Sure they are.", "Claro, y yo soy Batman.").
/// It opens the way mockery does: as one of [`idioms::MOCKING`]'s openers opens, or as "as if"
/// and "ajá" do.
fn plain(last: &str, lexicon: &Lexicon) -> bool {
    let words = text::normalize(last, lexicon).text;
    let first = words.split(' ').next().unwrap_or_default();
    let openers = idioms::MOCKING
        .iter()
        .flat_map(|(openers, _)| openers.iter());
    let mocks = matches!(first, "as" | "ajá")
        || openers
            .map(|opener| opener.split(' ').next())
            .any(|word| word == Some(first));
    !mocks && mocking(last, lexicon).is_none()
}

/// Whether `c` is an emoji or other symbol, no letter, digit, punctuation a sentence needs
/// (a question mark, quotes, brackets) or space.
fn is_symbol(c: char) -> bool {
    !c.is_alphanumeric()
        && !c.is_whitespace()
        && !c.is_ascii_punctuation()
        && !matches!(c, '¿' | '”' | '’' | '“' | '‘')
}

/// `last` without the person it addresses after its last comma ("Get real, Denise", "Nice
/// try, senator", "Sure they are, pal"): one or two words, each a name or title in capitals or
/// a word of address.
fn unaddressed(last: &str) -> Option<&str> {
    let (said, to) = last.rsplit_once(',')?;
    let to: Vec<&str> = to
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let addressed = |w: &&str| {
        let lower = w.to_lowercase().replace('\'', "");
        let taking_back = TAKING_BACK.iter().any(|t| t.trim() == lower) || lower == "i";
        !taking_back
            && (w.chars().next().is_some_and(char::is_uppercase)
                || idioms::ADDRESS.contains(&lower.as_str()))
    };
    // A bare "No, …" stays the writer's own statement ("No, Texas Democrats.").
    let bare_no = matches!(said.trim().to_lowercase().as_str(), "no" | "nope" | "nah");
    (matches!(to.len(), 1 | 2) && to.iter().all(addressed) && !said.trim().is_empty() && !bare_no)
        .then_some(said)
}

/// A denial that states when it would hold, answering a question ("Is sending everyone a
/// ballot harmless? Not when half the addresses are wrong.", "¿Hubo fraude masivo por correo?
/// No según los datos del condado."): "not" or "no" before a condition, in its normalised
/// words. Only after a question: after a statement it may agree with a negative sentence
/// ("They never check. Not when it counts.").
fn qualified(last: &str, lexicon: &Lexicon) -> Option<Verdict> {
    let words = text::normalize(last, lexicon).text;
    let mut words = words.split(' ');
    let (first, second) = (words.next()?, words.next()?);
    (matches!(first, "not" | "no") && CONDITIONS.contains(&second)).then_some(Verdict::Rejects)
}

/// The verdict after the words `last` echoes from `rest` ("Officials say mail voting fraud is
/// rare. Rare, my foot."): one to three words before a comma, each a word of the rest. Not
/// mockery, which may mock the echoed word itself ("… 'papelería electoral' de Asia.
/// Papelería, sí claro." mocks the cover story, and promotes).
fn echoed<'a>(last: &'a str, rest: &str, lexicon: &Lexicon) -> Option<&'a str> {
    let (echoing, verdict) = last.split_once(',')?;
    if !plain(verdict, lexicon) {
        return None;
    }
    let words = echo(echoing, rest, lexicon)?;
    words.iter().all(|(_, echoed)| *echoed).then_some(verdict)
}

/// A verdict that agrees in mockery: "Sure, and I'm the Pope.", "Right, because the post office
/// never loses anything." (see [`idioms::MOCKING_OPENERS`]).
fn mocking(last: &str, lexicon: &Lexicon) -> Option<Verdict> {
    let lower = (last.trim_start_matches(|c: char| !c.is_alphanumeric())).to_lowercase();
    if idioms::MOCKING_PREFIXES
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Some(Verdict::Rejects);
    }
    // "Sure it is.", "Sure there isn't.", "Sure they will.": a mocking echo of what was said.
    let words = text::normalize(last, lexicon).text.replace('\'', "");
    let linked = |link: &&str| words.starts_with(link) || words.contains(&format!(" {link}"));
    if idioms::MOCKING_LINKS.iter().any(linked) {
        return Some(Verdict::Rejects);
    }
    // "Routine theft, sure.": agreement tacked on in mockery, after words that are no verdict.
    let trimmed = lower.trim_end_matches(|c: char| !c.is_alphanumeric());
    let tacked_on = trimmed.strip_suffix(", sure");
    if tacked_on
        .is_some_and(|before| verdict(&text::normalize(before, lexicon).text, false).is_none())
    {
        return Some(Verdict::Rejects);
    }
    let words = (words.split(' '))
        .skip_while(|w| INTERJECTIONS.contains(w))
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(("sure", echo)) = words.split_once(' ') {
        let subject = |w: &str| SUBJECTS.contains(&w) || matches!(w, "there" | "theres");
        let echoes =
            |w: &str| subject(w) || DENYING.contains(&w) || idioms::AUXILIARIES.contains(&w);
        if echo.split(' ').any(subject) && echo.split(' ').all(echoes) {
            return Some(Verdict::Rejects);
        }
    }
    // The opener runs to the comma before the link ("Sí, claro, y yo soy Batman.").
    let lower = last.to_lowercase();
    idioms::MOCKING.iter().find_map(|(openers, link)| {
        let (opener, _) = lower.split_once(&format!(", {link}"))?;
        let opener = text::normalize(opener, lexicon).text;
        openers
            .contains(&opener.as_str())
            .then_some(Verdict::Rejects)
    })
}

/// The sentences of `text`, in order (see [`ends_sentence`]).
pub(crate) fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = (text.char_indices())
        .filter(|&(at, c)| ends_sentence(text, at, c))
        .map(|(at, c)| at + c.len_utf8())
        .chain([text.len()]);
    ends.filter_map(move |end| {
        let sentence = text[start..end].trim();
        start = end;
        (!sentence.is_empty()).then_some(sentence)
    })
}

/// Whether `c`, at byte `at` of `text`, ends a sentence: a line break, or a stop, exclamation or
/// question mark or ellipsis before a space, or a quotation mark after one. A stop needs a
/// lowercase letter, digit, closing quote or a word in capitals before it, so that "U.S." ends
/// none.
fn ends_sentence(text: &str, at: usize, c: char) -> bool {
    let next = text[at + c.len_utf8()..].chars().next();
    match c {
        '\n' => true,
        '!' | '?' | '…' => next.is_some_and(char::is_whitespace),
        // A quotation closing on a stop ("… came." Debunked.).
        '"' | '”' | '\'' | '’' => {
            let before = text[..at].chars().next_back();
            before.is_some_and(|b| matches!(b, '.' | '!' | '?'))
                && next.is_some_and(char::is_whitespace)
        }
        '.' => {
            let mut before = text[..at].chars().rev();
            let (last, second) = (before.next(), before.next());
            // A capital ends a sentence only at the end of a word ("FRAUD."), not of initials.
            let capital_word =
                |b: char| b.is_uppercase() && second.is_some_and(char::is_alphabetic);
            next.is_some_and(char::is_whitespace)
                && last.is_some_and(|b| {
                    b.is_lowercase()
                        || b.is_ascii_digit()
                        || capital_word(b)
                        || matches!(b, '"' | '”' | '\'' | '’' | ')')
                })
        }
        _ => false,
    }
}

/// The verdict of a short last sentence with words of its own, anchored by a set phrase of two
/// words or more that opens no clause ("Cable news fan fiction, as usual.", "Stellar detective
/// work there, Sherlock."; not "No way November is honest.": [`idioms::CLAUSAL`]): every set
/// phrase points the same way, and no word of the rest points, turns it, mocks it or passes
/// somebody's words on ("They call it a conspiracy theory.", "But sure,
/// it's a conspiracy theory.", "Lo pongo aquí tal cual." pass none).
fn anchored(pieces: &[Piece]) -> Option<Verdict> {
    let mut rejects = None;
    for piece in pieces {
        match piece {
            Piece::Idiom { rejects: way, .. } => {
                if *rejects.get_or_insert(*way) != *way {
                    return None;
                }
            }
            Piece::Word(w) => {
                let w = w.as_str();
                let turns = DENYING.contains(&w) || NO.contains(&w) || UNANCHORING.contains(&w);
                let points = REJECTING.contains(&w) || AFFIRMING.contains(&w);
                if turns || points || REPORTING.contains(&w) {
                    return None;
                }
            }
        }
    }
    let anchors = |p: &Piece| {
        matches!(p, Piece::Idiom { phrase, .. }
            if phrase.contains(' ') && !idioms::CLAUSAL.contains(phrase))
    };
    rejects
        .filter(|_| pieces.iter().any(anchors))
        .map(|rejects| match rejects {
            true => Verdict::Rejects,
            false => Verdict::Affirms,
        })
}

/// The verdict of a last sentence's normalised words, if they are a verdict and nothing else:
/// words that reject or endorse, all one way ("that's a flat-out lie", "so true", "tiene
/// razón"), turned by each negation ("not true", "no es cierto", "he's not wrong", "no sense";
/// a negation repeated counts once); else a
/// negation or a no alone ("It isn't.", "No, it wasn't.", "Para nada."), or a yes; with words of
/// [`VERDICT_FILLER`] around them.
fn verdict(normalized: &str, anchoring: bool) -> Option<Verdict> {
    let words: Vec<String> = normalized.split(' ').map(|w| w.replace('\'', "")).collect();
    // Set phrases count as one verdict word each, pointing their own way ("hear hear" before
    // a word repeated counts once: "wrong, wrong, wrong").
    let mut pieces = idioms::read_idioms(words);
    pieces.dedup();
    if pieces.len() > MAX_VERDICT_WORDS {
        return None;
    }
    let is = |list: &[&str], w: &str| list.contains(&w);
    let known = |w: &str| {
        [
            REJECTING,
            AFFIRMING,
            DENYING,
            NO,
            YES,
            VERDICT_FILLER,
            INTERJECTIONS,
            idioms::ADDRESS,
        ]
        .iter()
        .any(|list| is(list, w))
    };
    let words = || {
        pieces.iter().filter_map(|p| match p {
            Piece::Word(w) => Some(w.as_str()),
            Piece::Idiom { .. } => None,
        })
    };
    if !words().all(known) {
        let echoing = idioms::ECHOING
            .iter()
            .any(|phrase| normalized.contains(phrase));
        return (anchoring && !echoing).then(|| anchored(&pieces)).flatten();
    }
    // "no" turns a verdict word it stands before ("no sense", "no lie") or a Spanish copula's
    // ("no es cierto"); elsewhere it is a no of its own ("No, he's wrong.").
    let turning = |piece: Option<&Piece>| match piece {
        Some(Piece::Word(w)) => is(SPANISH_AFTER_NO, w) || is(REJECTING, w) || is(AFFIRMING, w),
        Some(Piece::Idiom { .. }) => true,
        None => false,
    };
    // Each verdict word or idiom points its own way, turned by each negation since the one
    // before it ("not true, not even close" rejects twice); negations after the last turn it.
    let mut pointing: Vec<bool> = Vec::new();
    let mut negations = 0;
    for (at, piece) in pieces.iter().enumerate() {
        let rejects = match piece {
            Piece::Idiom { rejects, .. } => *rejects,
            Piece::Word(w) if is(REJECTING, w) => true,
            Piece::Word(w) if is(AFFIRMING, w) => false,
            Piece::Word(w) => {
                if is(DENYING, w) || (is(&["no", "hardly"], w) && turning(pieces.get(at + 1))) {
                    negations += 1;
                }
                continue;
            }
        };
        pointing.push(rejects != (negations % 2 == 1));
        negations = 0;
    }
    if let Some(last) = pointing.last_mut() {
        *last = *last != (negations % 2 == 1);
    }
    // A negation alone denies what it judges only with a subject or a no ("It isn't.", "No, it
    // wasn't."): "Never." or "Not." may as well agree with a negative sentence before it.
    let any = |list: &[&str]| words().any(|w| is(list, w));
    let rejects = match pointing.first() {
        None if any(NO) || (any(DENYING) && any(SUBJECTS)) => true,
        None if any(YES) => false,
        None => return None,
        Some(&first) if pointing.iter().all(|&p| p == first) => first,
        Some(_) => return None,
    };
    Some(if rejects {
        Verdict::Rejects
    } else {
        Verdict::Affirms
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> Option<(Verdict, &str)> {
        closing_verdict(raw, &Lexicon::english())
    }

    #[test]
    fn a_last_sentence_that_is_a_verdict_judges_the_rest() {
        let claim = "Trump says mail-in voting means massive fraud";
        for (closing, verdict) in [
            ("He's wrong.", Verdict::Rejects),
            ("FALSE!!!", Verdict::Rejects),
            ("N0t tru3.", Verdict::Rejects),
            ("Wrong, wrong, wrong.", Verdict::Rejects),
            ("No, it isn't.", Verdict::Rejects),
            ("They aren’t.", Verdict::Rejects),
            ("He is right.", Verdict::Affirms),
            ("Exactly!", Verdict::Affirms),
            ("Es mentira.", Verdict::Rejects),
            ("Tiene razón.", Verdict::Affirms),
            (
                "Correct, and nobody has produced one since.",
                Verdict::Affirms,
            ),
            ("It's not, and every audit says so.", Verdict::Rejects),
            ("Totally made up.", Verdict::Rejects),
            ("Qué va, es un bulo.", Verdict::Rejects),
            ("He's not wrong.", Verdict::Affirms),
            ("That makes no sense.", Verdict::Rejects),
            ("That's no lie.", Verdict::Affirms),
        ] {
            let post = format!("{claim}. {closing}");
            assert_eq!(
                read(&post),
                Some((verdict, &post[..claim.len() + 1])),
                "{post}"
            );
        }
        let quoted = format!("Viral tweet: \"{claim}.\" Debunked.");
        assert_eq!(read(&quoted).map(|(v, _)| v), Some(Verdict::Rejects));
        let capitals = "Trump says mail-in voting means massive FRAUD. He's wrong.";
        assert_eq!(read(capitals).map(|(v, _)| v), Some(Verdict::Rejects));
        let lines = format!("{claim}\nfalse");
        assert_eq!(read(&lines), Some((Verdict::Rejects, claim)));
        // Idioms, read whole; somebody addressed; agreement in mockery.
        for (closing, verdict) in [
            ("Yeah, right.", Verdict::Rejects),
            ("Couldn't agree more.", Verdict::Affirms),
            ("Not true, not even close.", Verdict::Rejects),
            ("Hear, hear!", Verdict::Affirms),
            ("Get real, Denise.", Verdict::Rejects),
            ("Nice try, pal.", Verdict::Rejects),
            ("Sure, and I'm the Pope.", Verdict::Rejects),
            (
                "Said no one who has ever counted a ballot.",
                Verdict::Rejects,
            ),
            ("Ni de broma.", Verdict::Rejects),
            ("Tal cual.", Verdict::Affirms),
            ("Sure it doesn't.", Verdict::Rejects),
            ("Sure there isn't.", Verdict::Rejects),
            ("Sure they are, pal.", Verdict::Rejects),
            ("Sí, claro, y yo soy Batman.", Verdict::Rejects),
            ("Right, and the courts agreed.", Verdict::Affirms),
            ("Yeah, right. 🙄", Verdict::Rejects),
            ("Hardly.", Verdict::Rejects),
            ("Hardly true.", Verdict::Rejects),
            ("Yup, that's a lie.", Verdict::Rejects),
            ("\"Said no one who ever voted.\"", Verdict::Rejects),
            ("Fraud, my foot.", Verdict::Rejects),
            ("Nah bro.", Verdict::Rejects),
            ("Says who?", Verdict::Rejects),
            ("Absolutely not.", Verdict::Rejects),
            ("Massive fraud, my backside.", Verdict::Rejects),
        ] {
            let post = format!("{claim}. {closing}");
            assert_eq!(read(&post).map(|(v, _)| v), Some(verdict), "{post}");
        }
    }

    #[test]
    fn anything_else_passes_no_verdict() {
        for post in [
            "Trump says mail-in voting means massive fraud.",
            "Trump says mail-in voting means massive fraud. He's wrong?",
            "Trump says mail-in voting means massive fraud. He is wrong about most things.",
            "Mail-in voting is not true voting. It is fraud.",
            "The U.S. count is false",
            "Fraud? False.",
            "Ballots go to registered voters. That's it.",
            "So we're supposed to trust that no foreign government will print ballots? Nope.",
            "Xi would have to forge millions of envelopes. Never.",
            "False.",
            "Trump says mail-in voting means massive fraud. He's wrong?!",
            "Trump says mail-in voting means massive fraud. Says who, exactly?",
            "Trump says mail-in voting means massive fraud. True, but only in a few cases.",
            "Trump says mail-in voting means massive fraud. True, But Rarely.",
            // A bare "No, …" opens the writer's own words, unless it follows a report.
            "Mail-in voting means massive fraud. No, Texas Democrats.",
            "Trump says mail-in voting means massive fraud. Turnout, my foot.",
        ] {
            assert_eq!(read(post), None, "{post}");
        }
    }

    #[test]
    fn a_set_phrase_among_words_of_its_own_passes_a_verdict() {
        let claim = "Trump says mail-in voting means massive fraud.";
        for (closing, expected) in [
            ("Cable news fan fiction, as usual.", Verdict::Rejects),
            ("Stellar detective work there, Sherlock.", Verdict::Rejects),
            ("Yep, and I'm the Pope.", Verdict::Rejects),
            ("Dale gets it.", Verdict::Affirms),
            ("There's no way around it.", Verdict::Affirms),
        ] {
            let post = format!("{claim} {closing}");
            assert_eq!(read(&post).map(|(v, _)| v), Some(expected), "{post}");
        }
        // Not when a word of its own names it, mocks it, passes it on or points, nor after an
        // opening clause, nor on a phrase of one word.
        for closing in [
            "They call it a conspiracy theory.",
            "But sure, it's a conspiracy theory.",
            "Lo pongo aquí tal cual.",
            "The real threats are hacking and disinformation.",
            "The threat is disinformation, not printing.",
            "Misleading doesn't even begin to cover it.",
            "No way November is honest.",
        ] {
            let post = format!("{claim} {closing}");
            assert_eq!(read(&post), None, "{post}");
        }
    }

    #[test]
    fn disputes_tags_mock_agreement_and_echoes_without_a_comma_pass_a_verdict() {
        let claim = "Trump says mail-in voting means massive fraud.";
        for closing in [
            "In what universe?",
            "Paranoid much?",
            "Convenient explanation, isn't it?",
            "Routine theft, sure.",
            "Lol, sure they would.",
            "Oh totally, and they're flying them in by carrier pigeon.",
            "Nah, that's just the mail ballots getting counted.",
            "Fraud my foot.",
            "Love you, Aunt Deb, but that's hogwash.",
            "And you actually believe them?",
        ] {
            let post = format!("{claim} {closing}");
            assert_eq!(
                read(&post).map(|(v, _)| v),
                Some(Verdict::Rejects),
                "{post}"
            );
        }
        // Not a bare "Nah, …" after the writer's own words, nor a phrase after words that echo
        // nothing, nor a tag on what is no verdict.
        for post in [
            "Mail-in voting means massive fraud. Nah, the numbers are made up.",
            "Trump says mail-in voting means massive fraud. Turnout my foot.",
            "Trump says mail-in voting means massive fraud. It's normal, right?",
        ] {
            assert_eq!(read(post), None, "{post}");
        }
    }

    #[test]
    fn a_verdict_may_answer_a_question_that_puts_a_proposition() {
        let led = "Lots of panic in the group chat. Does voting by mail lead to massive fraud?";
        let rare = "Officials keep saying mail voting fraud is vanishingly rare.";
        let rumour = "The rumor: Dems mailed 50 million ballots nobody asked for.";
        let aunt = "Mi tía dice que el voto por correo es puro fraude.";
        // What the verdict judges: the question, with a sentence leading to it; or what a
        // question that echoes a word of it, or asks whether it is true, asks about.
        for (post, judged) in [
            (
                "Is mail voting rigged? Nah.".to_owned(),
                "Is mail voting rigged?",
            ),
            (
                "¿Boletas falsificadas en Rusia para Pensilvania? Ni de broma.".to_owned(),
                "¿Boletas falsificadas en Rusia para Pensilvania?",
            ),
            (
                "A lead that flips after Tuesday is proof of theft? Hardly.".to_owned(),
                "A lead that flips after Tuesday is proof of theft?",
            ),
            (format!("{led} Not by a long shot."), led),
            (format!("{rare} Rare? My foot."), rare),
            (format!("{rumour} True? Nowhere near true."), rumour),
            (
                format!("{aunt} ¿Fraude generalizado? Qué va, hombre, son casos aislados."),
                aunt,
            ),
            // A bare "No, …" answers a question.
            (
                "Can they forge our ballots? No, the vendors know every customer.".to_owned(),
                "Can they forge our ballots?",
            ),
            // So does a denial that states when it would hold.
            (format!("{led} Not according to any study ever done."), led),
            (
                "Is mailing everyone a ballot harmless? Not when half the addresses are wrong."
                    .to_owned(),
                "Is mailing everyone a ballot harmless?",
            ),
            (
                "¿Hubo fraude masivo por correo? No según los datos del condado.".to_owned(),
                "¿Hubo fraude masivo por correo?",
            ),
        ] {
            assert_eq!(read(&post), Some((Verdict::Rejects, judged)), "{post}");
        }
        assert!(asks_yes_or_no(
            "Will the count be honest?",
            &Lexicon::english()
        ));
        assert!(!asks_yes_or_no(
            "Foreign fake ballots?",
            &Lexicon::english()
        ));
        // A word that asks after a statement, a question asking why, one opening on a
        // negation, one asking to be believed, and mockery answer no proposition.
        for post in [
            "Biden up 40k after a 4am batch. Coincidence? No.",
            "Why would anyone trust mail ballots? Nope.",
            "Isn't it obvious the late ballots were rigged? No.",
            "En Asia te hacen un bolso idéntico, ¿y no van a poder hacer una papeleta? Venga ya.",
            "And we're expected to believe mail voting is secure? Nope.",
            "Ballots showing up at 4 a.m. in Detroit? Sure, Jan.",
            "Mail ballots printed in China? Yeah, right.",
            // A qualified denial after a statement may agree with it, and "like" compares.
            "They never check the signatures. Not when it counts.",
            "Is it normal to count for days after the election? Not like this it isn't.",
        ] {
            assert_eq!(read(post), None, "{post}");
        }
    }

    #[test]
    fn officials_and_fact_checkers_speak_for_the_process() {
        assert!(speaks_for_the_process("election officials keep saying"));
        assert!(speaks_for_the_process("the fbi says"));
        assert!(speaks_for_the_process(
            "el secretario de estado asegura que"
        ));
        assert!(!speaks_for_the_process("my uncle says"));
        assert!(
            !speaks_for_the_process("the statement says"),
            "a part of a word"
        );
        // Who speaks is read around the reporting verb, not anywhere in the sentence.
        let speaker = |words| reported(words).map(|(_, speaker)| speaker);
        assert_eq!(
            speaker("in an official statement trump says mail voting is fraud"),
            Some("official statement trump says")
        );
        assert_eq!(
            speaker("ballots go only to registered voters says the clerk"),
            Some("says the clerk")
        );
    }

    /// How many last sentences of the closing fitting sets read as a verdict: 203 of
    /// `tuning_closing43`'s 240 and 133 of `tuning_closing43b`'s at stop 45; at stop 52, 217,
    /// 170 and 132 of `tuning_closing52`'s (205, 148 and 68 at stop 51).
    /// `cargo test --lib verdicts_are_read_in_most_closings -- --nocapture` prints them.
    #[test]
    fn verdicts_are_read_in_most_closings() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for (set, floor) in [
            ("tuning_closing43", 217),
            ("tuning_closing43b", 170),
            ("tuning_closing52", 132),
        ] {
            let lines = std::fs::read_to_string(dir.join(format!("{set}.jsonl"))).unwrap();
            let read = (lines.lines())
                .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
                .filter(|post| read(post["text"].as_str().unwrap()).is_some())
                .count();
            println!(
                "{set}: a verdict in {read} of {} last sentences",
                lines.lines().count()
            );
            assert!(read >= floor, "{set}: {read}");
        }
    }

    #[test]
    fn a_text_splits_into_its_sentences() {
        let text = "Trump says it's 'fraud.' Utah votes by mail, and it's fine! Nonsense";
        assert_eq!(
            sentences(text).collect::<Vec<_>>(),
            [
                "Trump says it's 'fraud.'",
                "Utah votes by mail, and it's fine!",
                "Nonsense"
            ]
        );
        assert_eq!(sentences("The U.S. count").count(), 1);
    }

    #[test]
    fn what_a_report_says_is_what_its_verdict_judges() {
        assert_eq!(
            reported("krebs says other countries couldn't fake our ballots").map(|(said, _)| said),
            Some("other countries couldn't fake our ballots")
        );
        assert_eq!(
            reported("state officials keep telling us that mail in voting is secure")
                .map(|(said, _)| said),
            Some("mail in voting is secure")
        );
        assert_eq!(
            reported("trump dice que el voto por correo es un fraude").map(|(said, _)| said),
            Some("el voto por correo es un fraude")
        );
        assert_eq!(
            reported("china will print fake ballots").map(|(said, _)| said),
            None
        );
        assert_eq!(
            sourced("According to my boss, the long count means it was stolen.")
                .map(|(said, _)| said),
            Some("the long count means it was stolen.")
        );
        assert_eq!(
            sourced("Fact-checkers: a lead changing overnight is normal.").map(|(said, _)| said),
            Some("a lead changing overnight is normal.")
        );
        assert_eq!(
            sourced("China will print ballots, by the million.").map(|(said, _)| said),
            None
        );
        assert_eq!(
            sourced("Reminder: a fake ballot has no voter attached.").map(|(said, _)| said),
            None
        );
        assert_eq!(reported("he said so").map(|(said, _)| said), None);
        assert_eq!(
            reported("trump says mail in voting means fraud but audits found none")
                .map(|(said, _)| said),
            Some("mail in voting means fraud")
        );
        assert_eq!(
            reported("ballots go only to registered voters says the clerk").map(|(said, _)| said),
            Some("ballots go only to registered voters")
        );
    }

    #[test]
    fn a_verdict_turns_the_reading_of_the_rest() {
        use Stance::*;
        for reported in [true, false] {
            assert_eq!(Verdict::Rejects.on(Neutral, reported), Debunks);
            assert_eq!(Verdict::Rejects.on(Promotes, reported), Debunks);
            assert_eq!(Verdict::Affirms.on(Neutral, reported), Promotes);
            assert_eq!(Verdict::Affirms.on(Promotes, reported), Promotes);
            assert_eq!(Verdict::Affirms.on(Debunks, reported), Debunks);
        }
        assert_eq!(Verdict::Rejects.on(Debunks, true), Promotes);
        assert_eq!(Verdict::Rejects.on(Debunks, false), Debunks);
    }
}
