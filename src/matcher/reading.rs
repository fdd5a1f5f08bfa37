//! How a matched post reads, stance-wise: its cues, the learned read-out, and a closing verdict
//! on the rest of the post (`closing/`).

use super::Matcher;
use super::closing::{Verdict, asks_yes_or_no, closing_verdict, echoed_words, sentences};
use super::polarity::{accuses, polarity, scare_quotes, side_of};
use super::readout::Readout;
use super::reported::{may_report, reported, sourced, speaks_for_the_process};
use super::stance::{self, PostCues, Stance};
use crate::kb::KnowledgeBase;
use crate::text::{self, Lang, Lexicon};

/// A post's reading, computed once for every narrative it matches.
pub(super) struct Reading<'m> {
    cues: PostCues,
    /// The read-out, if there is one for the post, and its stance.
    read: Option<(&'m Readout, Stance)>,
    /// The verdict the post's last sentence passes on the rest, and what it judges.
    closing: Option<(Verdict, Judged<'m>)>,
    /// The side the writer's own words take after a sentence that reports somebody's.
    answer: Option<Stance>,
    /// The side a closing takes that rejects words it echoes from what it judges: the other
    /// side from theirs ("Los medios dicen que es normal. Normal mis narices." promotes).
    echoed: Option<Stance>,
}

/// What a closing verdict judges.
enum Judged<'m> {
    /// The writer's own words, read.
    Own(Box<Reading<'m>>),
    /// Somebody else's words, read.
    Reported(Box<Reading<'m>>),
    /// The writer's own words holding a few words of somebody's at arm's length ("Thursday:
    /// 'trust the process.' LOL no."), read.
    Quoting(Box<Reading<'m>>),
    /// The words of somebody who speaks for the election process (officials, fact-checkers,
    /// the FBI…), or a question that plainly asks a defence: a defence of it, whatever the
    /// read-outs make of them.
    Defence,
    /// Words that plainly accuse ("My boss says the week-long count means it was stolen."):
    /// the claim, whatever the read-outs make of them.
    Accusation { reported: bool },
}

impl Reading<'_> {
    /// The stance toward `narrative`, whose best rebuttal statement scores `rebuttal_lead` more
    /// than its best claim or variant. A closing verdict turns the stance of what it judges.
    /// Otherwise a fact-checker's opening verdict or a short post's plain polarity outranks the
    /// read-out, which outranks the cues, for the narratives it was fitted on.
    pub(super) fn stance(&self, narrative: usize, rebuttal_lead: f32) -> Stance {
        if let Some(stance) = self.echoed {
            return stance;
        }
        if let Some((verdict, judged)) = &self.closing {
            return match judged {
                Judged::Own(read) => verdict.on(read.stance(narrative, rebuttal_lead), false),
                Judged::Reported(read) => verdict.on(read.stance(narrative, rebuttal_lead), true),
                // Words that promote and quote somebody quote the other side: a rejection
                // sneers at the quoted line ("A week of 'late ballots' and every one breaks
                // the same way. Spare me."), not at the writer's own words.
                Judged::Quoting(read) => match read.stance(narrative, rebuttal_lead) {
                    Stance::Promotes => Stance::Promotes,
                    stance => verdict.on(stance, false),
                },
                Judged::Defence => verdict.on(Stance::Debunks, true),
                Judged::Accusation { reported } => verdict.on(Stance::Promotes, *reported),
            };
        }
        if let Some(stance) = self.answer {
            return stance;
        }
        self.read
            .filter(|(readout, _)| readout.covers(narrative) && !self.cues.settled())
            .map(|(_, stance)| stance)
            .unwrap_or_else(|| stance::decide(&self.cues, rebuttal_lead))
    }
}

/// The side of a rejection of `words`, the words a closing echoes from somebody's: rejecting
/// them as [`Verdict::on`] rejects what was said, when each that takes a side takes the same
/// ("normal" defends, so rejecting it promotes; "rigged" accuses, so rejecting it debunks).
fn rejected_side(words: &[String]) -> Option<Stance> {
    let mut sides = words.iter().filter_map(|w| side_of(w));
    let side = sides.next()?;
    sides
        .all(|other| other == side)
        .then(|| Verdict::Rejects.on(side, true))
}

/// `said` without the quotation marks around all of it (`Dems: "Mass mailing ballots is totally
/// orderly and safe."`): what is reported is read as said, not as words held at arm's length.
fn unquoted(said: &str) -> &str {
    let said = said.trim();
    let quote = |c: char| matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’');
    match (said.chars().next(), said.chars().next_back()) {
        (Some(open), Some(close)) if said.len() > 2 && quote(open) && quote(close) => {
            said[open.len_utf8()..said.len() - close.len_utf8()].trim()
        }
        _ => said,
    }
}

/// The shortest surname read as naming an official ("Krebs says …"; not "Lee").
const MIN_SURNAME_CHARS: usize = 5;

/// The surnames of the named speakers of `kb`'s statements, normalised and sorted: the
/// officials who rebut its narratives ("Chris Krebs" gives "krebs"; "Senior FBI official
/// (unnamed)" none).
pub(super) fn rebutters(kb: &KnowledgeBase, lexicon: &Lexicon) -> Vec<String> {
    let mut names: Vec<String> = (kb.statements().iter())
        .filter(|s| !s.speaker.contains('('))
        .filter_map(|s| {
            let name = text::normalize(&s.speaker, lexicon).text;
            let surname = name.rsplit(' ').next()?;
            (surname.chars().count() >= MIN_SURNAME_CHARS).then(|| surname.to_owned())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// What a sentence reports somebody as saying (see [`Matcher::report`]).
struct Report {
    raw: String,
    words: String,
    /// Whether the one who says it speaks for the election process.
    by_authority: bool,
}

impl Matcher {
    /// Reads `raw` (normalised: `normalized`, in `lang`): the read-out reads the post's
    /// embedding if it has one and the read-out reads embeddings, else its words alone (Spanish
    /// posts, lexical mode, posts the probe's first stage keeps from the model). What a closing
    /// verdict judges is read the same way, embedded on its own (its normalised words, without
    /// the spelling correction the post's embedding reads) when the post was: what the first
    /// sentence of the rest that reports somebody has them say ("Krebs says other countries
    /// couldn't fake our ballots. He's wrong." rejects a defence, so it promotes), else the
    /// rest.
    pub(super) fn reading(
        &self,
        raw: &str,
        normalized: &str,
        lang: Lang,
        embedding: Option<&[f32]>,
    ) -> Reading<'_> {
        let mut reading = self.reading_alone(raw, normalized, lang, embedding);
        let closing = closing_verdict(raw, &self.lexicon);
        reading.echoed = closing
            .filter(|(verdict, _)| *verdict == Verdict::Rejects)
            .and_then(|(_, rest)| rejected_side(&echoed_words(raw, rest, &self.lexicon)));
        reading.closing = closing.map(|(verdict, rest)| {
            // What a sentence of the rest reports somebody as saying, if one does (the
            // sentences after it are the writer's own: "Trump says it's fraud. Utah votes by
            // mail and it's fine. Nonsense." rejects Trump), else all of it.
            let report = sentences(rest).find_map(|sentence| self.report(sentence));
            if report.as_ref().is_some_and(|r| r.by_authority) {
                return (verdict, Judged::Defence);
            }
            // A question asked with an auxiliary ("Is counting for days just routine? Not a
            // chance.") puts forward what it asks as a report does: rejecting a defence the
            // read-outs read in it promotes.
            let asks = rest.ends_with('?');
            let asked =
                asks && (sentences(rest).last()).is_some_and(|q| asks_yes_or_no(q, &self.lexicon));
            let reported = report.is_some() || asked;
            let (raw, words) = report.map_or_else(
                || {
                    // A question the verdict answers is read as stated ("Is mail voting
                    // rigged? Nah."), and one that plainly asks a defence is a defence ("Do
                    // you really think mail voting is safe? No." promotes).
                    let stated = rest.trim_end_matches('?').replace('¿', "");
                    let words = text::normalize(&stated, &self.lexicon).text;
                    (stated, words)
                },
                |r| (r.raw, r.words),
            );
            if asks && polarity(&raw, &words, false) == Some(Stance::Debunks) {
                return (verdict, Judged::Defence);
            }
            if accuses(&raw, &words) {
                return (verdict, Judged::Accusation { reported });
            }
            let vector = embedding.and_then(|_| self.embed(&[&words]).pop().flatten());
            let read = Box::new(self.reading_alone(&raw, &words, lang, vector.as_deref()));
            let judged = match reported {
                true => Judged::Reported(read),
                false if scare_quotes(&raw) => Judged::Quoting(read),
                false => Judged::Own(read),
            };
            (verdict, judged)
        });
        if reading.closing.is_none() && may_report(raw, normalized) {
            reading.answer = self.own_answer(raw, lang, embedding.is_some());
        }
        reading
    }

    /// The side the writer's own words take after the first sentence of `raw` that reports
    /// somebody's, with a reporting verb or a source ("Según CNN, …", stop 59: +2 / −0 on the
    /// fitting sets in either mode), when their statements plainly take one and no other
    /// ([`polarity`], or a plain accusation) and the read-out, reading them on their own,
    /// agrees: "Trump tweeted that if we don't know the winner on election night, it's
    /// rigged. Counting mail ballots takes days in lots of states, by law. *Slow isn't
    /// stolen.*" debunks; "Fact-checkers say the overnight jump was a data entry error.
    /// Quickly fixed after they got caught. *The count was stolen while you slept.*" promotes.
    /// The post as a whole reads as a report of the claim or of the defence; its answer tells
    /// which side the writer takes.
    fn own_answer(&self, raw: &str, lang: Lang, embedded: bool) -> Option<Stance> {
        let mut sentences = sentences(raw);
        let report = (sentences.by_ref()).find(|s| {
            sourced(s).is_some() || reported(&text::normalize(s, &self.lexicon).text).is_some()
        })?;
        let mut sides = (sentences.filter(|s| !s.ends_with('?'))).filter_map(|sentence| {
            let words = text::normalize(sentence, &self.lexicon).text;
            (polarity(sentence, &words, false))
                .or_else(|| accuses(sentence, &words).then_some(Stance::Promotes))
        });
        let side = sides.next()?;
        if !sides.all(|other| other == side) {
            return None;
        }
        let at = report.as_ptr() as usize - raw.as_ptr() as usize + report.len();
        let own = raw[at..].trim();
        let words = text::normalize(own, &self.lexicon).text;
        let vector = embedded
            .then(|| self.embed(&[&words]).pop().flatten())
            .flatten();
        let read = self
            .reading_alone(own, &words, lang, vector.as_deref())
            .read;
        read.is_some_and(|(_, stance)| stance == side)
            .then_some(side)
    }

    /// Whether `raw` ends with a verdict on a defence of the process it reports: on anything
    /// somebody who speaks for the process is said to say ("Officials say mail ballots are
    /// secure. Lies.", "The county clerk says mail ballots are audited. Well said."), or on
    /// words of anybody else that plainly call the process sound ("My coworker says counting
    /// for days is normal. Dream on."). Either way the post takes a side on the narrative.
    /// `normalized` is the post's normalised text: a post that reports nobody, as most do, is
    /// not read further.
    pub(super) fn judges_a_defence(&self, raw: &str, normalized: &str) -> bool {
        if !may_report(raw, normalized) {
            return false;
        }
        closing_verdict(raw, &self.lexicon).is_some_and(|(_, rest)| {
            sentences(rest)
                .find_map(|sentence| self.report(sentence))
                .is_some_and(|report| {
                    report.by_authority
                        || polarity(&report.raw, &report.words, false) == Some(Stance::Debunks)
                })
        })
    }

    /// What `sentence` reports somebody as saying, if it does: after a source ("According to
    /// my boss, …", "Fact-checkers: …") or a reporting verb ("Krebs says …"); as written and
    /// normalised (after a reporting verb, the normalised words stand for both).
    fn report(&self, sentence: &str) -> Option<Report> {
        let source = sourced(sentence);
        let said = source.map_or(sentence, |(said, _)| said);
        let words = text::normalize(said, &self.lexicon).text;
        // Who says it: the words around the reporting verb, else the source named before the
        // comma or colon.
        let (raw, words, speaker) = match reported(&words) {
            Some((content, speaker)) => {
                (content.to_owned(), content.to_owned(), speaker.to_owned())
            }
            None => {
                let (said, source) = source?;
                let speaker = text::normalize(source, &self.lexicon).text;
                (unquoted(said).to_owned(), words, speaker)
            }
        };
        let rebutter = |w: &str| {
            self.rebutters
                .binary_search_by(|n| n.as_str().cmp(w))
                .is_ok()
        };
        Some(Report {
            raw,
            words,
            by_authority: speaks_for_the_process(&speaker) || speaker.split(' ').any(rebutter),
        })
    }

    /// The reading of `raw` without looking for a closing verdict.
    fn reading_alone(
        &self,
        raw: &str,
        normalized: &str,
        lang: Lang,
        embedding: Option<&[f32]>,
    ) -> Reading<'_> {
        let cues = PostCues::new(raw, normalized, lang);
        let readout = match (&self.readout, embedding) {
            (Some(readout), Some(_)) if readout.reads_embeddings() => Some(readout),
            _ => self.words_readout.as_ref(),
        };
        let read = readout.map(|r| (r, r.stance(normalized, cues.asks, embedding)));
        Reading {
            cues,
            read,
            closing: None,
            answer: None,
            echoed: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unquoted;

    #[test]
    fn what_is_reported_is_read_without_the_quotation_marks_around_it() {
        assert_eq!(
            unquoted(" \"Mail ballots are totally safe.\" "),
            "Mail ballots are totally safe."
        );
        assert_eq!(unquoted("“Counting takes time.”"), "Counting takes time.");
        assert_eq!(
            unquoted("'safe' ballots, they say"),
            "'safe' ballots, they say",
            "a quoted word is no quoted report"
        );
    }
}
