//! What a match rests on, for the person reading it: the knowledge-base text closest to the
//! post, the words the post shares with it, and the words by which the post names each of the
//! narrative's core concepts.

use std::ops::Range;

use serde::Serialize;

use super::analysis::Analysis;
use super::concepts::Place;
use super::entries::EntryKind;
use super::{Matcher, Post};

/// Which knowledge-base text a match rests on, and the post's words that matched it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// "claim", "variant", "title" or "statement".
    pub kind: &'static str,
    /// The claim or statement id; `<narrative>#variant-<n>` or `<narrative>#title` otherwise.
    pub id: String,
    pub text: String,
    pub matched_words: Vec<String>,
    /// How the post names each of the narrative's core concepts, in the knowledge base's
    /// order (empty when the narrative declares none in the post's language).
    pub concepts: Vec<ConceptEvidence>,
}

/// One of a matched narrative's core concepts, and the post's words that name it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConceptEvidence {
    pub concept_id: String,
    /// The post's words (normalised, spelling corrected) that say one of the concept's
    /// aliases, each once, in post order. Empty when no alias is in the post: the post was read
    /// as a whole as saying it in other words (by a probe, or by an attack on the process that
    /// stands in for the concept it leaves out).
    pub words: Vec<String>,
}

impl Evidence {
    /// The concepts as one line for people: "foreign-power: beijing; counterfeit: bogus, fake;
    /// ballots: ballots", a concept no alias names told as read from the whole post.
    pub fn concepts_line(&self) -> String {
        concepts_line(&self.concepts, "(no alias: read from the post as a whole)")
    }
}

/// `concepts` as one line for people, a concept no word names told as `unnamed`.
pub fn concepts_line(concepts: &[ConceptEvidence], unnamed: &str) -> String {
    let told: Vec<String> = (concepts.iter())
        .map(|c| match c.words.is_empty() {
            true => format!("{}: {unnamed}", c.concept_id),
            false => format!("{}: {}", c.concept_id, c.words.join(", ")),
        })
        .collect();
    told.join("; ")
}

impl Matcher {
    /// The evidence for a match on `narrative` that rests on entry `entry_no`.
    pub(super) fn evidence(
        &self,
        analysis: &Analysis,
        narrative: usize,
        entry_no: usize,
    ) -> Evidence {
        let entry = &self.entries[entry_no];
        let n = &self.kb.narratives()[narrative];
        let id = match entry.kind {
            EntryKind::Claim(i) => n.claims[i].id.clone(),
            EntryKind::Statement(i) => self.kb.statements()[i].id.clone(),
            EntryKind::Variant(i) => format!("{}#variant-{i}", n.id),
            EntryKind::Title => format!("{}#title", n.id),
        };
        // The post's words (normalised, corrected) whose terms the entry contains, in post
        // order.
        let mut matched_words: Vec<String> = Vec::new();
        for (term, word) in &analysis.known {
            let word = analysis.word(*word);
            if entry.terms.binary_search(term).is_ok() && !matched_words.iter().any(|w| w == word) {
                matched_words.push(word.to_owned());
            }
        }
        Evidence {
            kind: entry.kind.name(),
            id,
            text: entry.text.clone(),
            matched_words,
            concepts: self.named_concepts(analysis, narrative),
        }
    }

    /// How `post` names the concepts of the narrative `narrative_id` (see
    /// [`ConceptEvidence`]), whether or not it matches: what `eval --stream` shows of a miss.
    /// Empty when the narrative is unknown or declares no concepts in the post's language.
    pub fn concepts_named(&self, post: &Post, narrative_id: &str) -> Vec<ConceptEvidence> {
        let narrative = (self.kb.narratives().iter()).position(|n| n.id == narrative_id);
        let lang = post.lang_hint().ok().flatten();
        match (narrative, self.analyze(&post.text, lang)) {
            (Some(narrative), Some(analysis)) => self.named_concepts(&analysis, narrative),
            _ => Vec::new(),
        }
    }

    /// How the post names narrative `narrative`'s concepts (see [`ConceptEvidence`]). Only
    /// matches are explained, so the post's words are read again here (from the word tables
    /// and cache) rather than kept for every post.
    fn named_concepts(&self, analysis: &Analysis, narrative: usize) -> Vec<ConceptEvidence> {
        let terms = self.read(&analysis.normalized, analysis.lang).terms;
        let (keys, words): (Vec<u64>, Vec<usize>) = (terms.iter())
            .filter_map(|&(term, word)| Some((term.key()?, word)))
            .unzip();
        let declared = &self.kb.narratives()[narrative].concepts;
        let named = (self.concepts).named(analysis.lang, narrative, &keys, &analysis.normalized);
        named
            .into_iter()
            .map(|(concept, places)| {
                let said = places.into_iter().map(|place| match place {
                    Place::Keys(keys) => {
                        let (first, last) = (words[keys.start], words[keys.end - 1]);
                        let text: Vec<&str> = (first..=last).map(|w| analysis.word(w)).collect();
                        let bytes = analysis.span(first).start..analysis.span(last).end;
                        (bytes, text.join(" "))
                    }
                    Place::Bytes(bytes) => (bytes.clone(), analysis.normalized[bytes].to_owned()),
                });
                ConceptEvidence {
                    concept_id: declared[concept].id.clone(),
                    words: outermost(said.collect()),
                }
            })
            .collect()
    }
}

/// The texts of `places` (bytes of the post and what they say), in post order, each once,
/// leaving out a place inside another ("chinese" in "chinese communist party").
fn outermost(mut places: Vec<(Range<usize>, String)>) -> Vec<String> {
    places.sort_by_key(|(bytes, _)| (bytes.start, std::cmp::Reverse(bytes.end)));
    let mut out: Vec<String> = Vec::new();
    let mut end = 0;
    for (bytes, text) in places {
        if bytes.end <= end {
            continue;
        }
        end = bytes.end;
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::outermost;

    #[test]
    fn places_are_told_in_post_order_once_and_not_inside_another() {
        let place = |start, end, text: &str| (start..end, text.to_owned());
        let places = vec![
            place(30, 37, "ballots"),
            place(0, 7, "chinese"),
            place(0, 23, "chinese communist party"),
            place(50, 57, "ballots"),
        ];
        assert_eq!(
            outermost(places),
            ["chinese communist party", "ballots"],
            "the alias inside the longer one is left out, and a repeated word told once"
        );
        assert!(outermost(Vec::new()).is_empty());
    }
}
