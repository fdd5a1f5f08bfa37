//! The polarity of a short post: which way its few words point, when a negation flips them.
//!
//! With a handful of words the stance read-outs lean on the subject's words ("mail-in",
//! "correo"), which are those of promotions, and on negation, which is that of debunks. So they
//! read "Mail-in voting is safe." as promoting the fraud claim and "Mail-in voting is NOT safe."
//! as debunking it. A short post says its stance in two kinds of words: *sound* words that
//! call the process safe, secure, legal or normal, and *accusing* words (fraud, rigged,
//! counterfeit, chaos). A negation just before one turns it around:
//! - a sound word alone, nothing negated or accused: a defence, it debunks ("Absentee voting
//!   is safe");
//! - a sound word negated: an attack, it promotes ("Mail ballots aren't secure", "less secure
//!   than in person"), unless a negated accusation pulls the other way;
//! - an accusation negated, none left standing: a denial, it debunks ("Mail voting is not a
//!   fraud risk", "El voto por correo no es un fraude").
//! - a sound word of rarity, standing, judges the accusation itself: it debunks, accused or not
//!   ("Mail fraud is rare", "El fraude por correo es rarísimo"), unless a negation pulls either
//!   way.
//!
//! A negation reaches at most [`REACH`] words ahead, across little words only ("not a fraud", "no
//! es un fraude", "nadie se roba", but not "nobody asked, chaos"), and within its clause
//! ("Unsolicited ballots? No chaos here."); "from" or "against" after a sound word turns the
//! accusation it reaches ("safe from fraud"). Only posts of at most [`MAX_WORDS`] normalised words
//! that do not ask, quote or mock ("'safe', sure"), whose every negation turns a sound or accusing
//! word ("don't tell me those batches weren't rigged" has one that turns none), and that hold no
//! word of rejection, report or supposition ("anyone who says it isn't safe is lying", "if you
//! think …") are read; the rest is the read-outs'. `scripts/cv_probe.py polarity` measures the
//! rules over the read-out, out of fold (`docs/quality.md`, stop 42).

use super::stance::Stance;

/// The longest post, in normalised words, that [`polarity`] reads.
const MAX_WORDS: usize = 12;
/// How many words before a sound or accusing word a negation turns it around.
const REACH: usize = 3;
/// Words that call the process sound.
const SOUND: &[&str] = &[
    "safe",
    "secure",
    "legitimate",
    "legit",
    "normal",
    "legal",
    "accurate",
    "reliable",
    "trustworthy",
    "trusted",
    "trust",
    "valid",
    "routine",
    "clean",
    "fair",
    "orderly",
    "calm",
    "reliably",
    "seguro",
    "seguros",
    "segura",
    "seguras",
    "normales",
    "legales",
    "legítimo",
    "legítimos",
    "legítima",
    "legítimas",
    "válido",
    "válidos",
    "válida",
    "válidas",
    "confiable",
    "confiables",
    "fiable",
    "fiables",
    "limpio",
    "limpios",
    "limpia",
    "limpias",
    "rare",
    "rarely",
    "smooth",
    "smoothly",
    "raro",
    "raros",
    "rara",
    "raras",
    // Written from common usage (stop 57): "Mail voting is honest." read as the claim.
    "honest",
    "transparent",
    "sound",
    "airtight",
    "safer",
    "safest",
    "verified",
    "audited",
    "honesto",
    "honestos",
    "honesta",
    "honestas",
    "transparente",
    "transparentes",
    "rarísimo",
    "rarísimos",
    "rarísima",
    "rarísimas",
    "impecable",
    "ordenado",
    "ordenada",
    "tranquila",
    "tranquilo",
];
/// The sound words that say how rare a thing is.
const RARITY: &[&str] = &[
    "rare",
    "rarely",
    "raro",
    "raros",
    "rara",
    "raras",
    "rarísimo",
    "rarísimos",
    "rarísima",
    "rarísimas",
];
/// Words that accuse.
const ACCUSING: &[&str] = &[
    "fraud",
    "frauds",
    "fraudulent",
    "rigged",
    "rig",
    "rigging",
    "steal",
    "stolen",
    "stealing",
    "stole",
    "fake",
    "fakes",
    "faked",
    "forged",
    "forgery",
    "counterfeit",
    "cheat",
    "cheating",
    "cheated",
    "scam",
    "chaos",
    "chaotic",
    "corrupt",
    "bogus",
    "phony",
    "hoax",
    "disaster",
    "mess",
    "nightmare",
    "illegal",
    "illegitimate",
    "fraude",
    "fraudes",
    "robo",
    "robar",
    "robaron",
    "robada",
    "falsas",
    "falsos",
    "amañada",
    "amañadas",
    "trampa",
    "trampas",
    "caos",
    "ilegal",
    "ilegales",
    // Spanish verbs and participles of the accusations, as they are conjugated (stop 53).
    "roba",
    "roban",
    "robó",
    "robando",
    "robado",
    "robados",
    "robadas",
    "falsificada",
    "falsificadas",
    "falsificado",
    "falsificados",
    "falsifican",
    "falsificar",
    "fraudulento",
    "fraudulenta",
    "fraudulentos",
    "fraudulentas",
    "amañado",
    "amañados",
    "amañar",
    "amañan",
    "inunda",
    "inundan",
    "inundar",
    "tramposo",
    "tramposa",
    "estafa",
    "manipulada",
    "manipulado",
];
/// Words that turn a sound or accusing word around, with or without their apostrophe.
const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "never",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "can't",
    "cannot",
    "couldn't",
    "wouldn't",
    "shouldn't",
    "ain't",
    "isnt",
    "arent",
    "wasnt",
    "werent",
    "dont",
    "doesnt",
    "didnt",
    "wont",
    "cant",
    "couldnt",
    "wouldnt",
    "shouldnt",
    "aint",
    "nothing",
    "nobody",
    "without",
    "hardly",
    "less",
    "neither",
    "nor",
    "ni",
    "nunca",
    "nada",
    "sin",
    "menos",
    "jamás",
    "nadie",
    "ninguna",
    "ninguno",
    "ningún",
    "tampoco",
    "zero",
    "cero",
];
/// The words a negation reaches across to the word it turns ("not a fraud", "no es un fraude");
/// any other word between them ("nobody asked, chaos") ends its reach.
const BETWEEN: &[&str] = &[
    "a", "an", "the", "be", "is", "are", "was", "were", "been", "being", "that", "so", "very",
    "too", "really", "actually", "even", "at", "all", "es", "son", "era", "eran", "fue", "fueron",
    "ser", "un", "una", "muy", "tan", "nada", "got", "get", "gets", "getting", "está", "están",
    "estaba", "estaban", "estar", "se", "la", "lo", "los", "las", "le", "les", "el", "ha", "han",
    "hay", "va", "van",
];
/// Words that reject, report or suppose a claim: the post may be answering somebody else's
/// words ("if you think a slow count isn't legitimate, …").
const REJECTING: &[&str] = &[
    "lie", "lies", "lying", "liar", "liars", "myth", "false", "claim", "claims", "claiming",
    "says", "said", "debunked", "mentira", "mentiras", "falso", "falsa", "bulo", "dicen", "dice",
    "if",
];
/// Words that dismiss an accusation they stand beside ("fake ballots from abroad are next to
/// impossible", "all the rigged-election talk is just talk"): with one, the post makes no
/// accusation.
const DISMISSING: &[&str] = &[
    "baseless",
    "unfounded",
    "impossible",
    "misleading",
    "untrue",
    "infundado",
    "infundada",
    "infundados",
    "imposible",
    "engañoso",
    "engañosa",
    "talk",
    "talking",
    "narrative",
    "rumor",
    "rumors",
    "rumour",
    "rumours",
    "theory",
    "theories",
    // Written from common usage (stop 57): words that file a claim as false. Not "falso" and
    // "falsa", which also call a ballot fake.
    "disinformation",
    "misinformation",
    "myth",
    "myths",
    "hoax",
    "debunked",
    "false",
    "desinformación",
    "bulo",
    "bulos",
    "mito",
    "mitos",
    "desmentido",
    "rumores",
    "teoría",
    "teorías",
];
/// Words and emoji of sarcasm ("safe, sure", "seguro, claro").
const SARCASM: &[&str] = &[
    "sure", "yeah", "right", "lol", "totally", "lmao", "claro", "ajá", "🙄", "🤡", "😂", "😏",
];

/// The stance a short post's words settle (module docs), or `None` to leave it to the
/// read-outs. `raw` is the post as sent, `normalized` its normalised words.
pub(crate) fn polarity(raw: &str, normalized: &str, asks: bool) -> Option<Stance> {
    weigh(raw, normalized, asks)?.stance()
}

/// The side one normalised word takes on its own: a sound or dismissing word defends the process
/// ("normal", "myth"), an accusing word accuses ("rigged").
pub(crate) fn side_of(word: &str) -> Option<Stance> {
    if SOUND.contains(&word) || DISMISSING.contains(&word) {
        Some(Stance::Debunks)
    } else if ACCUSING.contains(&word) {
        Some(Stance::Promotes)
    } else {
        None
    }
}

/// Whether a short statement plainly accuses: accusing words, and no sound word, negation or
/// dismissal ("the week-long count means it was stolen", not "fake ballots from abroad are next
/// to impossible"). Not a post's stance on its own (stop 42 measured it so and left it out:
/// "Slow count ≠ stolen election." is no accusation), but what a closing verdict judges, and a
/// side the writer's answer to a report may take (`reading.rs`).
pub(crate) fn accuses(raw: &str, normalized: &str) -> bool {
    let dismissed = normalized.split(' ').any(|w| DISMISSING.contains(&w));
    !dismissed
        && weigh(raw, normalized, false)
            .is_some_and(|w| w.accused > 0 && w.sound + w.attacked + w.denied == 0)
}

/// How many sound and accusing words a short post has, standing or turned by a negation.
struct Weights {
    sound: usize,
    /// Sound words that say how rare a thing is, standing: they judge the accusation itself
    /// ("Mail fraud is rare.", "El fraude por correo es rarísimo.").
    rare: usize,
    attacked: usize,
    accused: usize,
    denied: usize,
    negated: bool,
}

impl Weights {
    fn stance(&self) -> Option<Stance> {
        let &Weights {
            sound,
            rare,
            attacked,
            accused,
            denied,
            negated,
        } = self;
        if sound > 0 && !negated && accused == 0 || rare > 0 && attacked + denied == 0 {
            Some(Stance::Debunks)
        } else if attacked > 0 && denied == 0 {
            Some(Stance::Promotes)
        } else if denied > 0 && attacked == 0 && accused == 0 {
            Some(Stance::Debunks)
        } else {
            None
        }
    }
}

/// The words of a short post weighed (module docs), or `None` if they are not read.
fn weigh(raw: &str, normalized: &str, asks: bool) -> Option<Weights> {
    let words: Vec<&str> = normalized.split(' ').collect();
    let is = |list: &[&str], w: &str| list.contains(&w);
    if asks
        || words.len() > MAX_WORDS
        || quotes(raw)
        || mocks(raw)
        || words.iter().any(|w| is(REJECTING, w))
    {
        return None;
    }
    // "far from" negates as one word does, at its "from".
    let negates =
        |j: usize| is(NEGATIONS, words[j]) || (j > 0 && words[j - 1..=j] == ["far", "from"]);
    let negations: Vec<usize> = (0..words.len()).filter(|&j| negates(j)).collect();
    // So does "from" or "against" after a sound word, for an accusation it reaches ("safe from
    // fraud"), though it is no negation where it reaches none.
    let turns = |j: usize| {
        negates(j) || (j > 0 && matches!(words[j], "from" | "against") && is(SOUND, words[j - 1]))
    };
    // Which clause each word is in, when the normalised words can be told apart by clause.
    let clause = match clauses(raw, &words) {
        Some(clause) => clause,
        None if negations.is_empty() => vec![0; words.len()],
        None => return None,
    };
    // The negation that turns word `i`: within its clause, at most `REACH` words before it,
    // across the words of `BETWEEN` (and other negations) only.
    let negation_of = |i: usize| {
        (i.saturating_sub(REACH)..i)
            .rev()
            .take_while(|&j| clause[j] == clause[i] && (turns(j) || is(BETWEEN, words[j])))
            .find(|&j| turns(j))
    };
    let (mut sound, mut rare, mut attacked, mut accused, mut denied) = (0, 0, 0, 0, 0);
    let mut used = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let (sounds, accuses) = (is(SOUND, w), is(ACCUSING, w));
        if !sounds && !accuses {
            continue;
        }
        let negation = negation_of(i);
        used.extend(negation);
        match (sounds, negation.is_some()) {
            (true, false) => {
                sound += 1;
                rare += usize::from(is(RARITY, w));
            }
            (true, true) => attacked += 1,
            (false, false) => accused += 1,
            (false, true) => denied += 1,
        }
    }
    // A negation that turns no sound or accusing word ("don't tell me they weren't rigged")
    // makes the post mean more than its words show.
    if negations.iter().any(|j| !used.contains(j)) {
        return None;
    }
    Some(Weights {
        sound,
        rare,
        attacked,
        accused,
        denied,
        negated: !negations.is_empty(),
    })
}

/// The clause of each of `words`, the post's normalised words: a stop, a question or
/// exclamation mark, a semicolon or "=" ends one ("Unsolicited ballots? No chaos here."), and
/// a negation in one clause does not turn the words of the next. A post of one clause needs no
/// more ("#MailInVoting is N0T safe!!!"). Otherwise the raw post's words, split plainly clause by
/// clause, stand for the normalised ones if there are as many (leetspeak and look-alike letters
/// keep a word a word); `None` if not (a hashtag split, a link dropped): then where a clause
/// ends is not known.
fn clauses(raw: &str, words: &[&str]) -> Option<Vec<usize>> {
    let ends = |c: char| matches!(c, '.' | '!' | '?' | ';' | '=' | '…');
    let visible = crate::text::strip_invisible(raw);
    let plain = |piece: &str| {
        piece
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    };
    let counts: Vec<usize> = visible.split(ends).map(plain).filter(|&n| n > 0).collect();
    if counts.len() <= 1 {
        return Some(vec![0; words.len()]);
    }
    (counts.iter().sum::<usize>() == words.len()).then(|| {
        counts
            .iter()
            .enumerate()
            .flat_map(|(n, &count)| std::iter::repeat_n(n, count))
            .collect()
    })
}

/// Whether `raw` has a quotation mark, or an apostrophe that is not inside a word.
fn quotes(raw: &str) -> bool {
    quotation_marks(raw).next().is_some()
}

/// Where `raw`'s quotation marks are, and apostrophes not inside a word: their byte ranges.
fn quotation_marks(raw: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    (raw.char_indices())
        .filter(|&(at, c)| match c {
            '"' | '“' | '”' | '«' | '»' => true,
            '\'' | '‘' | '’' => touches_letter(raw, at, at + c.len_utf8()) != (true, true),
            _ => false,
        })
        .map(|(at, c)| (at, at + c.len_utf8()))
}

/// The most words a quotation has to be read as a few words held at arm's length ("a week of
/// 'late ballots'", "'trust the process'"), not a statement quoted whole.
const MAX_SCARE_QUOTE_WORDS: usize = 4;

/// Whether `raw` quotes a few words (see [`MAX_SCARE_QUOTE_WORDS`]) between two of its
/// [`quotation_marks`].
pub(crate) fn scare_quotes(raw: &str) -> bool {
    let marks: Vec<(usize, usize)> = quotation_marks(raw).collect();
    marks.chunks_exact(2).any(|pair| {
        let words = raw[pair[0].1..pair[1].0].split_whitespace().count();
        (1..=MAX_SCARE_QUOTE_WORDS).contains(&words)
    })
}

/// Whether `raw` has a word or emoji of sarcasm.
fn mocks(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    SARCASM.iter().any(|m| {
        let word = m.chars().all(char::is_alphabetic);
        lower
            .match_indices(m)
            .any(|(at, _)| !word || touches_letter(&lower, at, at + m.len()) == (false, false))
    })
}

/// Whether the characters before `start` and after `end` of `text` are letters or digits.
fn touches_letter(text: &str, start: usize, end: usize) -> (bool, bool) {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    (
        word(text[..start].chars().next_back()),
        word(text[end..].chars().next()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> Option<Stance> {
        let normalized = crate::text::normalize(raw, &crate::text::Lexicon::english()).text;
        polarity(raw, &normalized, crate::matcher::is_question(raw))
    }

    #[test]
    fn a_word_takes_the_side_of_the_list_it_is_on() {
        assert_eq!(side_of("normal"), Some(Stance::Debunks));
        assert_eq!(side_of("myth"), Some(Stance::Debunks));
        assert_eq!(side_of("rigged"), Some(Stance::Promotes));
        assert_eq!(side_of("ballots"), None);
    }

    #[test]
    fn a_short_defence_debunks() {
        for defence in [
            "Mail-in voting is safe.",
            "Los votos por correo son seguros",
            "Counting after election night is normal and legal.",
            // An apostrophe inside a word is no quotation.
            "It's safe to vote by mail",
            "The all-mail election went smoothly.",
            "Mail voting is honest.",
            "El voto por correo es honesto y transparente.",
            // How rare a thing is judges the accusation itself.
            "Mail fraud is rare.",
            "El fraude por correo es rarísimo.",
        ] {
            assert_eq!(read(defence), Some(Stance::Debunks), "{defence}");
        }
    }

    #[test]
    fn a_negated_sound_word_promotes_and_a_negated_accusation_debunks() {
        for attack in [
            "Mail-in voting is NOT safe.",
            "Mail voting isn't safe at all, it's rigged",
            "Mail ballots are less secure than in-person voting",
            "Mass mail voting is not normal and not fair.",
            "Unrequested ballots? Not orderly. Not safe.",
            "Unsolicited ballots are far from orderly.",
            "Mail-in voting is n0t s4fe.",
            "#MailInVoting is NOT safe",
            "El voto por correo no es seguro",
            "Mailing everyone a ballot won't be smooth",
            "Mail fraud isn't rare.",
        ] {
            assert_eq!(read(attack), Some(Stance::Promotes), "{attack}");
        }
        for denial in [
            "Mail-in voting is not a fraud risk",
            "Unsolicited ballots? No chaos here.",
            "Zero counterfeit ballots from China turned up anywhere.",
            "El voto por correo no es un fraude",
            "China can't fake our ballots",
            "Mail-in ballots are safe from fraud",
            // A Spanish accusation conjugated, reached across a reflexive pronoun (stop 53).
            "Nadie se roba la elección por correo, cálmate.",
            "Nadie inunda el país con boletas.",
        ] {
            assert_eq!(read(denial), Some(Stance::Debunks), "{denial}");
        }
    }

    #[test]
    fn a_few_quoted_words_are_held_at_arms_length() {
        assert!(scare_quotes(
            "A week of 'late ballots' and every one breaks the same way."
        ));
        assert!(scare_quotes(
            "Three days of “processing” later, he's behind."
        ));
        assert!(!scare_quotes(
            "The headline reads 'Mail Voting Will Make 2020 the Most Rigged Election Ever.'"
        ));
        assert!(!scare_quotes(
            "If they're counting for days, they're finding votes."
        ));
    }

    #[test]
    fn questions_quotes_sarcasm_rejections_and_double_negations_are_left_alone() {
        for other in [
            "Surprise ballots everywhere. Nobody asked. Chaos intended.",
            "Dems mailing millions of ballots nobody asked for, chaos is the plan",
            "DONT TRUST ANY VOTE THAT WASNT CAST IN PERSON",
            "Mail-in voting is safe? Really?",
            "Mail-in voting is 'safe', sure it is.",
            "Mail-in voting is “secure” 🙄",
            "Yeah, totally safe.",
            "Mail voting is safe, they say, but it is riddled with fraud",
            "Anyone who says mail voting isn't safe is lying",
            "If you think a slow count isn't legitimate, blame your legislature.",
            "Don't tell me those 4am batches weren't rigged",
            "Mail-in voting is what they want, because the count is whatever they say it is, \
             and nobody ever checks it again",
            "Mail ballots are counted by machines",
            "Mail ballots are rigged",
        ] {
            assert_eq!(read(other), None, "{other}");
        }
    }

    #[test]
    fn a_plain_accusation_has_accusing_words_and_nothing_that_turns_them() {
        let accuses = |raw: &str| {
            let normalized = crate::text::normalize(raw, &crate::text::Lexicon::english()).text;
            accuses(raw, &normalized)
        };
        for accusation in [
            "the week-long count in Arizona means it was stolen",
            "millions of mail ballots get forged every election",
            "Mail ballots are rigged",
        ] {
            assert!(accuses(accusation), "{accusation}");
        }
        for other in [
            "Mail-in voting fraud is incredibly rare",
            "the count was slow, not stolen",
            "Mail ballots are counted by machines",
            "Anyone who says the count was rigged is lying",
            "Mail voting is safe, they say, but it is riddled with fraud",
            "foreign forgery of mail ballots is next to impossible",
            "the warning about fake mail ballots is baseless",
        ] {
            assert!(!accuses(other), "{other}");
        }
    }
}
