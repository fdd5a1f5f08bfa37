//! Reported speech: what a post reports somebody as saying, who says it, and whether they
//! speak for the election process. A closing verdict judges what is reported (`closing/`), and
//! `reading.rs` reads it on its own.

use crate::text;

/// The fewest words a report needs to be read as saying something, and the rest of a post
/// needs for a closing verdict to judge something.
pub(super) const MIN_REST_WORDS: usize = 3;

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
pub(super) const REPORTING: &[&str] = &[
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
    // Gerunds after "keep" ("Election officials keep insisting China couldn't …").
    "insisting",
    "swearing",
    "arguing",
    "repeating",
    "repeats",
    "repeated",
    "explaining",
    "promising",
    "assuring",
    "admitting",
    // Verbs that pass a verdict on somebody's claim ("Fact-checkers call the warning baseless").
    "calls",
    "call",
    "calling",
    "called",
    "rates",
    "rate",
    "rated",
    "labels",
    "labeled",
    "labelled",
    "dismisses",
    "dismissed",
    "llama",
    "llaman",
    "califica",
    "califican",
    "calificó",
];
/// Verbs of a clause of its own: words after a reporting verb that hold one are what is said, not
/// who says it.
const CLAUSE_VERBS: &[&str] = &[
    "is", "are", "was", "were", "will", "would", "can", "could", "has", "have", "had", "do",
    "does", "did", "means", "mean", "es", "son", "fue", "era", "será", "hay", "va", "van",
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
/// label before a colon ("Fact-checkers: …", not "Reminder: …"); or closes it (see
/// [`attributed`]); and that source ("According to my boss").
pub(crate) fn sourced(rest: &str) -> Option<(&str, &str)> {
    opened(rest).or_else(|| attributed(rest))
}

/// What `rest` says and its source, when the source opens it (see [`sourced`]).
fn opened(rest: &str) -> Option<(&str, &str)> {
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

/// What the sentence `rest` says and who says it, when the source is named last, after a comma
/// or a closing quote, with a reporting verb first or last ("'Fraud is vanishingly rare,' says
/// the Brennan Center.", "Mail ballots are safe, officials said."): words the normalised words
/// cannot tell from a report of the source ("says *the brennan center*").
fn attributed(rest: &str) -> Option<(&str, &str)> {
    let body = rest.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '!' | '…'));
    let quote = |c: char| matches!(c, '\'' | '"' | '’' | '”');
    // From the last comma or closing quote back: "says Chris Krebs, director of CISA" is one.
    body.char_indices()
        .rev()
        .filter(|&(at, c)| {
            let after = body[at + c.len_utf8()..].starts_with(' ');
            let closes = quote(c) && body[..at].ends_with([',', '.', '!', '?']);
            after && (c == ',' || closes)
        })
        .find_map(|(at, c)| {
            let source = body[at + c.len_utf8()..].trim();
            let words: Vec<String> = (source.split_whitespace())
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .collect();
            let verb = |w: Option<&String>| w.is_some_and(|w| REPORTING.contains(&w.as_str()));
            // A verb first names who says it, not what ("…, says mail ballots are where the
            // fraud is" reports after a speaker named before).
            let fits = match verb(words.first()) {
                true => {
                    words.len() <= MAX_SOURCE_WORDS
                        && !words.iter().any(|w| CLAUSE_VERBS.contains(&w.as_str()))
                }
                false => words.len() <= MAX_SPEAKER_WORDS + 1 && verb(words.last()),
            };
            let said = body[..at].trim_matches(|c: char| c.is_whitespace() || quote(c) || c == ',');
            (words.len() >= 2 && fits && said.split_whitespace().count() >= MIN_REST_WORDS)
                .then_some((said, source))
        })
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
            // Not a gerund that opens the words, which is their subject ("Calling absentee
            // voting 'fraud' is an insult"), nor "show up" ("Biden's lead showed up after …").
            None if REPORTING.contains(&word)
                && !(start == 0 && word.ends_with("ing"))
                && !(word.starts_with("show")
                    && words[at.min(words.len())..].starts_with("up")) =>
            {
                verb = Some((start, at))
            }
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
    "official",
    "governor",
    "attorney general",
    "election director",
    "elections director",
    "election chief",
    "elections chief",
    "politifact",
    "snopes",
    "ap",
    "associated press",
    "reuters",
    "gobernador",
    "gobernadora",
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            sourced("'Fraud in mail voting is vanishingly rare,' says the Brennan Center.")
                .map(|(said, _)| said),
            Some("Fraud in mail voting is vanishingly rare")
        );
        assert_eq!(
            sourced("Mail ballots are checked twice, election officials said."),
            Some(("Mail ballots are checked twice", "election officials said"))
        );
        assert_eq!(
            sourced("Counting takes days, says Chris Krebs, director of CISA.")
                .map(|(said, _)| said),
            Some("Counting takes days")
        );
        assert_eq!(
            sourced("They mailed ballots to every dead voter, and nobody said a word.")
                .map(|(said, _)| said),
            None,
            "a clause that ends on a reporting verb is no source"
        );
        assert_eq!(
            sourced("My grandpa, who was a poll worker, says mail ballots are where the fraud is.")
                .map(|(said, _)| said),
            None,
            "what follows the verb is what he says"
        );
        assert_eq!(
            reported("calling absentee voting fraud is an insult to every senior").map(|(s, _)| s),
            None,
            "a gerund subject"
        );
        assert_eq!(
            reported("bidens lead showed up after the mail ballots were counted").map(|(s, _)| s),
            None,
            "showing up is not saying"
        );
        assert_eq!(
            reported("election officials keep insisting china couldnt fake our ballots")
                .map(|(said, _)| said),
            Some("china couldnt fake our ballots")
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
    fn officials_and_fact_checkers_speak_for_the_process() {
        assert!(speaks_for_the_process("election officials keep saying"));
        assert!(speaks_for_the_process("the fbi says"));
        assert!(speaks_for_the_process(
            "el secretario de estado asegura que"
        ));
        assert!(!speaks_for_the_process("my uncle says"));
        assert!(speaks_for_the_process("utahs republican lt governor"));
        assert!(speaks_for_the_process("ap"));
        assert!(!speaks_for_the_process("my gap year"), "a part of a word");
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
}
