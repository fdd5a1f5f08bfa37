//! A closing verdict: the last sentence of a post judging what comes before it.
//!
//! "Trump says mail-in voting means massive fraud. He's wrong." reports the claim, then rejects
//! it; "Officials say mail ballots are secure. They are not." reports a defence, then rejects
//! it; "Barr says China could print fake ballots. He's right." endorses the claim. The last
//! sentence has no word of the narrative, so the read-outs cannot tell what it turns: they read
//! the first as a neutral report and the second as a debunk. The rest of the post is read on its
//! own, and the verdict then turns that reading ([`Verdict::on`]).
//!
//! Only a last sentence that is a verdict and nothing else counts, or a verdict opening it before a
//! comma ("Correct, and nobody has produced one since."): words that reject or endorse, turned by a
//! negation, among little words ([`verdict`]), however they are written ("FALSE!!!", "N0t tru3.",
//! "Wrong, wrong, wrong."). Set phrases are read whole, each pointing its own way ("Yeah, right."
//! rejects, "Couldn't agree more." endorses: `idioms.rs`, `phrases.rs`), a verdict may address
//! somebody after a comma ("Get real, Denise.") or follow addresses and softeners ("Ma'am, with
//! respect, it isn't."), a retort takes any words in its slot ("Tell that to the ballots on my
//! doormat."), and agreement that goes on in mockery rejects ("Sure, and I'm the Pope."). A last
//! sentence that asks ("He's right?") passes none but "Says who?". One that answers a question
//! passes a verdict on it when the question puts a proposition ("Is mail voting rigged? Nah.":
//! [`puts_a_proposition`]), and on the sentence before it when the question echoes it
//! ("Officials say fraud is rare. Rare? My foot."), but not when the question is a word of doubt
//! ("Biden up 40k at 4am. Coincidence? No.") or the verdict mocks ("Ballots at 4 a.m.? Sure,
//! Jan." agrees with the disbelief).
//!
//! One form is read in any sentence after a report, not only the last: talking back to the one
//! person it addresses rejects the report before it, whatever reasons follow ("Uncle Rick, no.
//! You have voted absentee for twenty years.": [`talked_back`]).

use super::reported::{MIN_REST_WORDS, REPORTING, reported, sourced};
use super::stance::Stance;
use crate::text::{self, Lexicon};
use idioms::Piece;
use words::*;

mod idioms;
mod phrases;
mod words;

/// The longest last sentence or opening clause, in bytes, worth normalising to read as a verdict
/// (eight words, with room for emphasis).
const MAX_VERDICT_CHARS: usize = 60;

/// The most words a verdict has ("That's a flat-out lie, all of it" has eight).
const MAX_VERDICT_WORDS: usize = 8;

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
    last_verdict(raw, lexicon).or_else(|| talked_back(raw, lexicon))
}

/// The verdict the last sentence of `raw` passes on the rest (see [`closing_verdict`]).
fn last_verdict<'a>(raw: &'a str, lexicon: &Lexicon) -> Option<(Verdict, &'a str)> {
    let body = unstopped(raw);
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
        // who?", "In what universe?", "Paranoid much?", "Debunked by whom, exactly?", "Fine for
        // who??").
        let asked = text::normalize(last, lexicon).text;
        let asked = asked.strip_suffix(" exactly").unwrap_or(&asked);
        let rest = rest.trim_end();
        let much = asked.split(' ').count() == 2 && asked.ends_with(" much");
        let whom = asked.split(' ').count() <= 3
            && ["by whom", "for who", "for whom"]
                .iter()
                .any(|w| asked.ends_with(w));
        return ((DISPUTING.contains(&asked) || much || whom) && judgeable(rest, lexicon))
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
        .or_else(|| read(unled(last)?, true))
        .or_else(|| retort(last, lexicon))
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

/// The normalised words a closing echoes from `rest`, what it judges (see [`closing_verdict`]),
/// as it rejects them: before a phrase that rejects the word before it ("Normal mis
/// narices."), before a comma and a verdict ("Rare, my foot."), or as a question the verdict
/// answers ("Rare? My foot.").
pub(crate) fn echoed_words(raw: &str, rest: &str, lexicon: &Lexicon) -> Vec<String> {
    let tail = raw.get(rest.len()..).unwrap_or_default();
    let mut echoed = Vec::new();
    for sentence in sentences(tail) {
        let words = text::normalize(sentence, lexicon).text;
        let piece = if let Some(asked) = sentence.strip_suffix('?') {
            asked.to_owned()
        } else if let Some(before) = before_echoing(&words) {
            before.to_owned()
        } else if let Some((first, _)) = sentence.split_once(',') {
            first.to_owned()
        } else {
            continue;
        };
        let words = echo(&piece, rest, lexicon).unwrap_or_default();
        echoed.extend(words.into_iter().filter(|(_, e)| *e).map(|(w, _)| w));
    }
    echoed
}

/// A phrase that rejects the words before it, with no comma between, when they echo what was
/// said ("Los expertos dicen que tiene explicación. Explicación mis calzones.").
fn echoed_phrase(last: &str, rest: &str, lexicon: &Lexicon) -> Option<Verdict> {
    let words = text::normalize(last, lexicon).text;
    let words = echo(before_echoing(&words)?, rest, lexicon)?;
    words
        .iter()
        .all(|(_, echoed)| *echoed)
        .then_some(Verdict::Rejects)
}

/// The normalised words before a phrase that rejects the word before it ("normal" in "normal
/// mis narices").
fn before_echoing(words: &str) -> Option<&str> {
    (idioms::ECHOING.iter()).find_map(|phrase| Some(words.split_once(&format!(" {phrase}"))?.0))
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

/// `sentence` without its trailing stops and symbols, which are no part of a verdict ("Yeah,
/// right. 🙄").
fn unstopped(sentence: &str) -> &str {
    sentence.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | '!' | '…') || is_symbol(c)
    })
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
    let to = bare_words(to);
    let addressed = |w: &&str| {
        let lower = w.to_lowercase();
        !TAKING_BACK.iter().any(|t| t.trim() == lower) && addresses(w, true)
    };
    // A bare "No, …" stays the writer's own statement ("No, Texas Democrats.").
    let bare_no = matches!(said.trim().to_lowercase().as_str(), "no" | "nope" | "nah");
    (matches!(to.len(), 1 | 2) && to.iter().all(addressed) && !said.trim().is_empty() && !bare_no)
        .then_some(said)
}

/// `last` without the addresses and softeners that lead it, each before a comma ("Ma'am, with
/// respect, it isn't." gives "it isn't"; "Oh, Mom, no, that's not happening." gives "no, that's
/// not happening"): words of address (`idioms::ADDRESS`), a name or title after the first
/// piece ("Mom", "Uncle Mike"), or words that only soften what follows.
fn unled(last: &str) -> Option<&str> {
    let mut rest = last.trim_start();
    let mut first = true;
    while let Some((lead, after)) = rest.split_once(", ") {
        let words = bare_words(lead);
        let leads = |w: &&str| {
            let lower = w.to_lowercase().replace('\'', "");
            let softens =
                SOFTENERS.contains(&lower.as_str()) || INTERJECTIONS.contains(&lower.as_str());
            softens || addresses(w, !first)
        };
        if !(1..=3).contains(&words.len()) || !words.iter().all(leads) {
            break;
        }
        (rest, first) = (after, false);
    }
    (!first).then_some(rest)
}

/// The words of `piece` without the punctuation around them ("Get real, *Denise*!").
fn bare_words(piece: &str) -> Vec<&str> {
    (piece.split_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `word` addresses somebody: a word of address (`idioms::ADDRESS`: "pal", "ma'am"),
/// or, with `names`, a name or title in capitals ("Denise", "Senator"; not "I").
fn addresses(word: &str, names: bool) -> bool {
    let lower = word.to_lowercase().replace('\'', "");
    idioms::ADDRESS.contains(&lower.as_str())
        || (names && word != "I" && word.chars().next().is_some_and(char::is_uppercase))
}

/// The first sentence after a report that talks back to the one person it addresses, and the
/// report before it: "Sit down, Gary.", "Prima, eso es pura carreta. Cada boleta va con el
/// código del votante.", "Wrong as usual, Uncle Mike." People answer the person whose words
/// they pass on when they disagree, and agree in set phrases, which the last sentence is read
/// for first. Not a question, nor a sentence with a word that thanks or agrees ("Thank you,
/// Senator."), nor one that addresses the writer's audience ("Nothing to see here, folks.") or
/// ends on a date ("Rally was in Tampa, Saturday."). An address that opens the sentence is a
/// word of address, with a name after it or not ("Uncle Rick, no."), not a name alone ("Biden,
/// for his part, said …").
fn talked_back<'a>(raw: &'a str, lexicon: &Lexicon) -> Option<(Verdict, &'a str)> {
    sentences(raw).skip(1).find_map(|sentence| {
        let at = sentence.as_ptr() as usize - raw.as_ptr() as usize;
        let rest = raw[..at].trim_end();
        let body = unstopped(sentence);
        let said = (!body.ends_with('?'))
            .then(|| addressed_last(body).or_else(|| addressed_first(body)))
            .flatten()?;
        let words = text::normalize(said, lexicon).text.replace('\'', "");
        let words: Vec<&str> = words.split(' ').filter(|w| !w.is_empty()).collect();
        let agrees = |w: &&str| AFFIRMING.contains(w) || THANKING.contains(w);
        let short = (1..=MAX_TALK_BACK_WORDS).contains(&words.len());
        (short && !words.iter().any(agrees) && judgeable(rest, lexicon) && reports(rest, lexicon))
            .then_some((Verdict::Rejects, rest))
    })
}

/// The most words said to the person a sentence talks back to.
const MAX_TALK_BACK_WORDS: usize = 15;

/// What `body` says to the one person it addresses after its last comma ("Sit down, Gary").
fn addressed_last(body: &str) -> Option<&str> {
    let said = unaddressed(body)?;
    bare_words(&body[said.len() + 1..])
        .iter()
        .all(|w| somebody(w))
        .then_some(said)
}

/// What `body` says to the one person it addresses before its first comma ("Prima, eso es pura
/// carreta", "Uncle Rick, no"): a word of address, alone or before a name; not one that
/// exclaims there ("Genius, if you're trying to steal it.", "Man, …").
fn addressed_first(body: &str) -> Option<&str> {
    let (to, said) = body.split_once(", ")?;
    let to = bare_words(to);
    let word = |w: &&str| {
        let exclaims = EXCLAIMED.contains(&w.to_lowercase().as_str());
        addresses(w, false) && somebody(w) && !exclaims
    };
    let named = to.first().is_some_and(word) && to.iter().all(|w| addresses(w, true));
    (matches!(to.len(), 1 | 2) && named && !said.trim().is_empty()).then_some(said)
}

/// Whether `word`, one of the words a sentence addresses, may name one person: not the
/// writer's audience ("folks") nor a day or month.
fn somebody(word: &str) -> bool {
    let lower = word.to_lowercase().replace('\'', "");
    !AUDIENCE.contains(&lower.as_str()) && !CALENDAR.contains(&lower.as_str())
}

/// A retort whose slot takes any words ("Tell that to the three ballots on my doormat for
/// people I've never met."): it rejects, however long the sentence it opens.
fn retort(last: &str, lexicon: &Lexicon) -> Option<Verdict> {
    let words = text::normalize(last, lexicon).text;
    RETORTS
        .iter()
        .any(|retort| words.starts_with(retort))
        .then_some(Verdict::Rejects)
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
/// never loses anything." (see [`idioms::MOCKING`]).
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
        // A quotation closing on a stop ("… came." Debunked.), or a quotation a source opens
        // before a colon closing before a capital (`Uncle Rick: "MAIL VOTING = FRAUD" Everybody
        // except the data, Rick.`).
        '"' | '”' | '\'' | '’' => {
            let before = text[..at].chars().next_back();
            let stops = before.is_some_and(|b| matches!(b, '.' | '!' | '?'));
            (stops || (c != '\'' && c != '’' && quoted_after_colon(text, at)))
                && next.is_some_and(char::is_whitespace)
        }
        '.' => {
            // Not after an abbreviation ("at 3 a.m. dumps", "after Nov. 3").
            let word = text[..at].rsplit(char::is_whitespace).next().unwrap_or("");
            if ABBREVIATIONS.contains(&word.to_lowercase().as_str()) {
                return false;
            }
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

/// Whether the double quotation mark at byte `at` of `text` closes a quotation opened just
/// after a colon, and a capital opens the words after it.
fn quoted_after_colon(text: &str, at: usize) -> bool {
    let mut after = text[at..].chars();
    after.next();
    let capital = after.as_str().trim_start().chars().next();
    let opened = text[..at].rfind(['"', '“']);
    capital.is_some_and(char::is_uppercase)
        && opened.is_some_and(|open| text[..open].trim_end().ends_with(':'))
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
mod tests;
