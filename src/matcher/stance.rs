//! The stance of a post toward a narrative it matches: does it promote it, debunk it, or neither?
//!
//! Three kinds of evidence, in order of strength:
//! 1. debunk cues: phrases people use to reject a claim ("no evidence", "debunked", "falso");
//! 2. how close the post is to the narrative's rebuttal statements compared with its claims: a
//!    post quoting Krebs on ballot cardstock is answering the narrative, not spreading it;
//! 3. negation ("won't", "can't", "no") in a post that matches the narrative.
//!
//! A fact-checker's verdict that opens a post ("False: …", "Fact check: …", "Es falso que …")
//! debunks whatever follows, before any of these is read: fact-check collections file their
//! titles that way, and the words after it state the claim being rated.
//!
//! So do the words of a short post whose polarity is plain (`polarity.rs`): "Mail-in voting is
//! safe." debunks, "Mail-in voting is NOT safe." promotes, "El voto por correo no es un
//! fraude" debunks.
//!
//! A question that carries none of these ("Is it true China could print ballots?") is neutral,
//! as is a post that only reports somebody's claim ("Barr says ..."). Everything else promotes.
//!
//! For the shipped narratives the learned read-out of `readout.rs` decides instead (with the
//! post's embedding, or on its words alone); the cues decide for a knowledge base's own
//! narratives.

use serde::Serialize;

use super::polarity::polarity;
use crate::text::{Lang, has_words};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Promotes,
    Debunks,
    Neutral,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Promotes => "promotes",
            Stance::Debunks => "debunks",
            Stance::Neutral => "neutral",
        }
    }
}

/// Phrases (normalised, word-aligned) that reject a claim.
const DEBUNK_EN: &[&str] = &[
    "no evidence",
    "not true",
    "isn't true",
    "is false",
    "false claim",
    "false claims",
    "debunk",
    "debunked",
    "debunking",
    "myth",
    "baseless",
    "unfounded",
    "misinformation",
    "disinformation",
    "conspiracy theory",
    "conspiracy theories",
    "fact check",
    "fact-check",
    "lie",
    "lies",
    "lying",
    "stop spreading",
    "no proof",
    "nonsense",
    "not how",
    "doesn't work",
    "does not work",
    "ruled out",
    "extremely difficult",
    "no documented",
    "no information",
    "not a thing",
    "is not evidence",
    "doesn't mean",
    "does not mean",
    "nothing suspicious",
    "not fraud",
    "not rigged",
    "isn't rigged",
    "safe and secure",
    "is safe",
    "are safe",
    "hoax claims",
    "officials say",
    "experts say",
    "said there is no",
    "no sign",
    "no signs",
    "rare",
    "vanishingly",
    "propaganda",
    "scare",
    "fearmongering",
    "fear-mongering",
    "don't fall for",
    "do not fall for",
    "false",
    "rounding error",
    "no coordinated",
    "no widespread",
    "not widespread",
    "no such thing",
    "misleading",
    "takes time",
    "always takes",
    "for years",
    "never showed up",
    "not evidence",
    "isn't a conspiracy",
    "not a conspiracy",
    "smoothly",
    "calm down",
    "confusion",
    "is secure",
    "are secure",
    "isn't a thing",
    "struck by lightning",
    "would flag",
    "would catch",
];
const DEBUNK_ES: &[&str] = &[
    "falso",
    "falsa",
    "no hay pruebas",
    "no hay evidencia",
    "sin pruebas",
    "sin evidencia",
    "bulo",
    "mentira",
    "mentiras",
    "desmentido",
    "desmiente",
    "desmienten",
    "desinformación",
    "desinformacion",
    "no es cierto",
    "no es verdad",
    "teoría conspirativa",
    "es seguro",
    "son seguros",
    "no significa",
    "no es fraude",
    "no hay fraude",
    "extremadamente difícil",
    "bulos",
    "no tiene pruebas",
    "no tienen pruebas",
    "sin fundamento",
    "engañoso",
    "engañosa",
    "no hay ningún",
    "siempre se tarda",
    "tardar no es",
    "desmintieron",
    "ninguna evidencia",
    "ninguna prueba",
    "nada de robo",
    "nada de fraude",
    "rarísimo",
    "no es tan simple",
    "se verifica",
    "se verifican",
];
const NEGATIONS_EN: &[&str] = &[
    "not",
    "no",
    "never",
    "won't",
    "can't",
    "cannot",
    "don't",
    "doesn't",
    "isn't",
    "aren't",
    "wasn't",
    "couldn't",
    "wouldn't",
    "nobody",
    "impossible",
    "nope",
];
const NEGATIONS_ES: &[&str] = &["no", "nunca", "imposible", "nadie", "jamás", "jamas"];
const REPORTING: &[&str] = &[
    "says",
    "said",
    "claims",
    "claimed",
    "claiming",
    "reportedly",
    "asked whether",
    "asks whether",
    "alleges",
    "alleged",
    "according to",
    "dice",
    "afirma",
    "asegura",
];

/// Verdict labels a fact-checker puts before a colon or a dash at the start of a title
/// ("Misleading: …"), lowercase.
const VERDICT_LABELS: &[&str] = &[
    "false",
    "mostly false",
    "partly false",
    "misleading",
    "missing context",
    "pants on fire",
    "incorrect",
    "unproven",
    "fact check",
    "fact-check",
    "fact checked",
    "fact-checked",
    "falso",
    "engañoso",
    "engañosa",
    "inexacto",
    "no es cierto",
];

/// Openings that rate what follows as untrue, lowercase, followed by a space. "No," is one: of
/// the fitting sets' 63 narrative posts that open with it, 62 debunk. So is "Debunking", as a
/// fact-checker files a series ("Debunking Trump Tweets: Biden's 143K Vote 'Dump' in Wisconsin").
const VERDICT_OPENINGS: &[&str] = &[
    "no,",
    "debunking",
    "it is false that",
    "it's false that",
    "there is no evidence that",
    "there's no evidence that",
    "es falso que",
    "no es cierto que",
    "es engañoso que",
    "no hay evidencia de que",
    "no hay pruebas de que",
];

/// Whether the post opens with a fact-checker's verdict on what follows: a label before a colon
/// or a dash ("False: …", "Fact check — …") or an opening that rates the rest ("Es falso que …").
/// Read on the raw text, since normalising drops the colon that makes "False:" a verdict and
/// "False ballots" a claim. A question ("Fact check: did China print ballots?") asks instead.
pub fn opens_with_verdict(raw: &str) -> bool {
    let head: String = raw
        .trim_start()
        .chars()
        .take(40)
        .collect::<String>()
        .to_lowercase();
    let head = head.replace('’', "'");
    let labelled = VERDICT_LABELS.iter().any(|label| {
        head.strip_prefix(label).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with([':', '—', '–', '|']) || rest.starts_with("- ")
        })
    });
    let opening = VERDICT_OPENINGS.iter().any(|opening| {
        head.strip_prefix(opening)
            .is_some_and(|rest| rest.starts_with(' '))
    });
    (labelled || opening) && !is_question(raw)
}

/// Whether the post is a fact-checker's summary of a claim, which opens with "Says" and states
/// the claim ("Says the law requires ballots to be tallied before the polls close, …"): it
/// promotes what it states. Of the fitting sets' 188 such posts about a narrative, every one
/// promotes it (`scripts/claim_summaries.py`). Not a question ("Says who?") nor a retort ("Says
/// the guy who votes by mail").
pub fn summarises_a_claim(normalized: &str, asks: bool) -> bool {
    let Some(rest) = normalized.strip_prefix("says ") else {
        return false;
    };
    !asks && !rest.split(' ').take(4).any(|word| word == "who")
}

/// What a post says regardless of which narrative it matches; computed once per post.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostCues {
    pub debunk_cues: usize,
    pub negations: usize,
    /// It ends asking ([`is_question`]): what the read-out reads.
    pub asks: bool,
    /// It asks, or opens with "is it true": what the cues read.
    pub question: bool,
    pub reporting: bool,
    /// It opens with a fact-checker's verdict ([`opens_with_verdict`]): it debunks, whatever
    /// else is read.
    pub verdict: bool,
    /// The stance a short post's words settle ([`polarity`]), whatever else is read.
    pub polarity: Option<Stance>,
    /// It summarises a claim ([`summarises_a_claim`]): it promotes, unless its polarity says
    /// otherwise.
    pub claim: bool,
}

impl PostCues {
    pub fn new(raw: &str, normalized: &str, lang: Lang) -> Self {
        let count = |phrases: &[&str]| count_in(normalized, phrases);
        let (debunk_cues, negations) = match lang {
            Lang::En => (count(DEBUNK_EN), count(NEGATIONS_EN)),
            Lang::Es => (count(DEBUNK_ES) + count(DEBUNK_EN), count(NEGATIONS_ES)),
        };
        let asks = is_question(raw);
        // A claim's summary is read for polarity as the claim it states.
        let claim = summarises_a_claim(normalized, asks);
        let (stated, stated_words) = if claim {
            let said = "says ".len();
            (
                raw.trim_start().get(said..).unwrap_or(raw),
                &normalized[said..],
            )
        } else {
            (raw, normalized)
        };
        Self {
            debunk_cues,
            negations,
            asks,
            question: asks || normalized.starts_with("is it true"),
            reporting: count_in(without_headline_verb(normalized), REPORTING) > 0,
            verdict: opens_with_verdict(raw),
            polarity: polarity(stated, stated_words, asks),
            claim,
        }
    }

    /// Whether the cues settle the stance before any read-out: a verdict, a short post's
    /// polarity or a claim's summary.
    pub fn settled(&self) -> bool {
        self.verdict || self.polarity.is_some() || self.claim
    }
}

/// How many of `phrases` occur in `text` as whole words.
fn count_in(text: &str, phrases: &[&str]) -> usize {
    phrases.iter().filter(|p| has_words(text, p)).count()
}

/// The post without an opening "says" or "claims": a fact-checker's summary of a claim ("Says
/// 80 million ballots are being mailed…") states the claim, where a report names who makes it.
fn without_headline_verb(normalized: &str) -> &str {
    ["says ", "claims "]
        .iter()
        .find_map(|verb| normalized.strip_prefix(verb))
        .unwrap_or(normalized)
}

/// Whether the post asks rather than asserts: it ends with a question mark (or opens one, in
/// Spanish) and no sentence of it ends with a full stop or an exclamation mark. "Late-night
/// vote dumps = a stolen election. Still counting on Friday?" asserts; "Why is it taking so
/// long? Is that fraud?" asks. A stop counts only after a lowercase letter or digit and before a
/// space or the end, so "U.S." and links do not end sentences.
pub fn is_question(raw: &str) -> bool {
    let raw = raw.trim_end();
    if !(raw.ends_with('?') || raw.contains('¿')) {
        return false;
    }
    let chars: Vec<char> = raw.chars().collect();
    !chars.iter().enumerate().any(|(i, &c)| {
        (c == '.' || c == '!')
            && i > 0
            && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit())
            && chars.get(i + 1).is_none_or(|n| n.is_whitespace())
    })
}

/// The stance, from the post's cues and `rebuttal_lead`: the score of the narrative's best
/// rebuttal statement minus that of its best claim or variant.
pub fn decide(cues: &PostCues, rebuttal_lead: f32) -> Stance {
    if cues.verdict {
        return Stance::Debunks;
    }
    if let Some(stance) = cues.polarity {
        return stance;
    }
    if cues.claim {
        return Stance::Promotes;
    }
    let evidence = cues.debunk_cues as f32
        + 0.5 * cues.negations.min(2) as f32
        + if rebuttal_lead > 0.0 { 1.0 } else { 0.0 };
    if evidence >= 1.0 {
        Stance::Debunks
    } else if cues.question || (cues.reporting && cues.negations == 0) {
        Stance::Neutral
    } else {
        Stance::Promotes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stance(raw: &str, claim_sim: f32, statement_sim: f32) -> Stance {
        let normalized = raw.to_lowercase().replace(['?', '.', ',', '!', ':'], "");
        decide(
            &PostCues::new(raw, &normalized, Lang::En),
            statement_sim - claim_sim,
        )
    }

    #[test]
    fn debunk_cues_and_rebuttal_similarity_debunk() {
        assert_eq!(
            stance("There is no evidence China will print ballots", 0.6, 0.1),
            Stance::Debunks
        );
        assert_eq!(
            stance(
                "Krebs: you need special cardstock to fake a ballot",
                0.2,
                0.5
            ),
            Stance::Debunks
        );
        assert_eq!(
            stance("China won't and can't forge our ballots", 0.6, 0.0),
            Stance::Debunks
        );
    }

    /// A fact-checker's "Says …" states the claim it summarises, even where the official
    /// statements are nearer than the claims; its polarity still settles a defence it states.
    #[test]
    fn a_claims_summary_promotes_what_it_states() {
        let summary = "Says the law requires ballots to be tallied before the polls close";
        assert_eq!(stance(summary, 0.2, 0.5), Stance::Promotes);
        assert_eq!(
            stance(&summary.replacen("Says t", "T", 1), 0.2, 0.5),
            Stance::Debunks,
            "the same words, no summary"
        );
        assert_eq!(
            stance("Says mail voting is safe", 0.2, 0.5),
            Stance::Debunks
        );
        for other in [
            "Says who? Mail ballots are audited",
            "Says the guy who votes by mail",
        ] {
            let normalized = other.to_lowercase().replace(['?', '.', ','], "");
            assert!(!summarises_a_claim(&normalized, false), "{other}");
        }
    }

    #[test]
    fn questions_and_reports_are_neutral_assertions_promote() {
        assert_eq!(
            stance("Could China really print fake ballots?", 0.6, 0.0),
            Stance::Neutral
        );
        assert_eq!(
            stance("Barr says a foreign country could print ballots", 0.7, 0.0),
            Stance::Neutral
        );
        assert_eq!(
            stance("China will print millions of fake ballots", 0.7, 0.0),
            Stance::Promotes
        );
    }

    #[test]
    fn a_headline_opening_with_says_states_the_claim() {
        let claim = "80 million unrequested ballots are going out, a recipe for chaos";
        assert_eq!(stance(&format!("Says {claim}"), 0.7, 0.0), Stance::Promotes);
        assert_eq!(
            stance(&format!("Claims {claim}"), 0.7, 0.0),
            Stance::Promotes
        );
        assert_eq!(
            stance(&format!("Biden says {claim}"), 0.7, 0.0),
            Stance::Neutral
        );
    }

    #[test]
    fn a_question_after_an_assertion_asserts() {
        assert!(is_question(
            "Is China really printing fake mail-in ballots?"
        ));
        assert!(is_question(
            "Why so slow? Is that fraud, or is it the U.S. mail?"
        ));
        assert!(!is_question(
            "Vote dumps = a stolen election. Still counting on Friday?"
        ));
        assert!(!is_question("Stolen! Who's counting?"));
        assert!(is_question("Rigged? https://t.co/x.y?"));
    }

    #[test]
    fn spanish_cues_count() {
        let cues = PostCues::new(
            "Es falso que China imprima boletas",
            "es falso que china imprima boletas",
            Lang::Es,
        );
        assert_eq!(decide(&cues, -0.5), Stance::Debunks);
    }

    #[test]
    fn a_verdict_opening_debunks_and_a_claim_does_not() {
        for title in [
            "False: China did not print millions of mail-in ballots",
            "Fact check — Video of a van shows camera gear, not late ballots",
            "MISLEADING: photo of unrequested ballots does not show chaos",
            "Es falso que seguir contando votos signifique un robo",
            "It’s false that counting after Election Day is illegal",
            "No, Russia cannot mass-produce fake ballots and slip them into the mail",
            "No, las boletas de Arizona no fueron fabricadas en Asia",
            "Debunking Trump Tweets: Biden’s 143K Vote ‘Dump’ in Wisconsin",
        ] {
            assert!(opens_with_verdict(title), "{title}");
            assert_eq!(stance(title, 0.7, 0.0), Stance::Debunks, "{title}");
        }
        for claim in [
            "False ballots printed in China flood the mail",
            "Fake ballots: China prints them by the million",
            "Fact check: did China print ballots for the election?",
            "Falsos votos por correo desde China",
            "Nobody asked for these ballots, and China printed half of them",
        ] {
            assert!(!opens_with_verdict(claim), "{claim}");
        }
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(has_words("there is no evidence here", "no evidence"));
        assert!(has_words("lies", "lies"));
        assert!(!has_words("the evidence is nothing", "no"));
        assert!(!has_words("believes", "lie"));
    }
}
