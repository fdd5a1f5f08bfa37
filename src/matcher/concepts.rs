//! Narratives' declared concepts, compiled to term keys, and which of them a post mentions.
//!
//! A narrative may declare its core concepts with their aliases (`[[concept]]` in the native
//! format): "a foreign country" (China, Beijing, Kremlin, overseas…), "counterfeit" (fake, bogus,
//! phony, forged…), "ballots". A post matches such a narrative only if it mentions every one of
//! them, so sharing a few incidental words with one of its texts ("extraordinarily difficult")
//! is never enough, while a post that says the same thing in other words ("Moscow is cranking out
//! phony ballots") is found.
//!
//! Posts missing a concept are not rescued by their similarity to the narrative's texts: on the
//! fitting sets, of the 202 candidates that mentioned all but one concept and were within 0.4
//! cosine of one of the narrative's texts, 12 were the narrative, and above any similarity floor
//! false alarms outnumbered them (docs/quality.md). Only the probe, fitted for the question,
//! may vouch for such a post (`probe.rs`).
//!
//! Aliases are analysed like posts (normalised, stemmed, stop words dropped), so one alias covers
//! its inflections ("ballot" covers "ballots"), and an alias of several words matches only as a
//! phrase: its terms next to each other in the post, stop words aside ("vote by mail"). Negation
//! words are stop words too, and "no solicitadas" analysed is "solicitadas", the opposite: an
//! alias that loses a negation to analysis matches the post's normalised words as they are.
//!
//! A narrative may also declare exclusions (`[[exclusion]]`): phrases that mark a post as about
//! something else though it names the concepts ("was charged with", "pleaded guilty": one
//! prosecuted case, not mail voting as a whole). A post using one does not match on its concepts;
//! only a probe may still vouch for it, as for a post naming none. They match the post's
//! normalised words as written, so a phrase's stop words count and each form is listed.

use std::ops::Range;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;

use super::entries::Terms;
use super::words::WordTerm;
use crate::kb::{KnowledgeBase, MAX_CONCEPTS};
use crate::search::SearchIndex;
use crate::text::{self, Lang, Lexicon};

/// One alias: the rest of its term keys after the first, which indexes it.
struct Alias {
    narrative: u32,
    concept: u8,
    rest: Box<[u64]>,
}

/// Words whose loss to the stop-word filter turns an alias into its opposite.
const NEGATIONS: &[&str] = &[
    "no", "not", "never", "didn't", "didnt", "don't", "dont", "sin", "nunca", "ni",
];

/// Phrases matched on a post's normalised words as written, all in one pass, each with what it
/// marks: an exclusion its narrative, an alias with a negation its narrative and concept.
struct Phrases<T> {
    /// What each phrase marks, by the phrase's number in the automaton.
    marks: Vec<T>,
    automaton: Option<AhoCorasick>,
}

impl<T> Default for Phrases<T> {
    fn default() -> Self {
        Phrases {
            marks: Vec::new(),
            automaton: None,
        }
    }
}

impl<T: Copy> Phrases<T> {
    fn new(phrases: Vec<(String, T)>) -> Self {
        let (words, marks): (Vec<String>, Vec<T>) = phrases.into_iter().unzip();
        if words.is_empty() {
            return Phrases::default();
        }
        // A few dozen short phrases: far under the automaton's limits.
        match AhoCorasick::new(&words) {
            Ok(automaton) => Phrases {
                marks,
                automaton: Some(automaton),
            },
            Err(error) => {
                tracing::error!(%error, "phrases left out");
                Phrases::default()
            }
        }
    }

    /// What the phrases that `normalized` uses as whole words mark, once per occurrence.
    fn found<'a>(&'a self, normalized: &'a str) -> impl Iterator<Item = T> + 'a {
        self.found_where(normalized).map(|(mark, _)| mark)
    }

    /// The same, each with the bytes of `normalized` that the phrase occupies.
    fn found_where<'a>(
        &'a self,
        normalized: &'a str,
    ) -> impl Iterator<Item = (T, Range<usize>)> + 'a {
        (self.automaton.iter())
            .flat_map(move |automaton| automaton.find_overlapping_iter(normalized))
            .filter(|m| text::is_whole_words(normalized, m.range()))
            .map(|m| (self.marks[m.pattern().as_usize()], m.range()))
    }
}

#[derive(Default)]
pub struct Concepts {
    /// Per language: an alias's first term key -> the aliases starting with it.
    by_first: [FxHashMap<u64, Vec<Alias>>; 2],
    /// Per language: the aliases with a negation, each marking its narrative and concept.
    surface: [Phrases<(u32, u8)>; 2],
    /// Per language: the exclusions' phrases, each marking its narrative.
    exclusions: [Phrases<u32>; 2],
    /// Per language, each narrative's concepts that have an alias in it, as a bit mask; empty
    /// when no narrative declares any.
    declared: [Vec<u32>; 2],
    /// What a curator should know of the aliases (see [`Concepts::warnings`]).
    warnings: Vec<String>,
}

/// Which of a narrative's concepts a post mentions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mention {
    declared: u32,
    mentioned: u32,
    /// The post uses one of the narrative's exclusions.
    excluded: bool,
    /// What a word probe vouched for, if anything.
    vouched: Vouch,
}

/// What a word probe vouched for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Vouch {
    #[default]
    Nothing,
    /// The concepts missing from a post that names some.
    TheRest,
    /// Every concept, the post naming none.
    All,
}

/// How far a post covers a narrative's concepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// The narrative declares no concepts: lexical overlap alone decides.
    Undeclared,
    /// Every concept is mentioned.
    Complete,
    /// Some concept is not: the post is not about the narrative.
    Missing,
}

impl Mention {
    /// Some of the narrative's concepts are mentioned, not all: a candidate only if the probe
    /// vouches for it.
    pub fn partial(self) -> bool {
        self.mentioned != 0 && self.coverage() == Coverage::Missing
    }

    /// Every concept but one is mentioned.
    pub fn missing_one(self) -> bool {
        (self.declared & !self.mentioned).count_ones() == 1
    }

    /// Every concept counted as mentioned (the probe stands in for the missing ones).
    pub fn completed(self) -> Mention {
        Mention {
            mentioned: self.declared,
            ..self
        }
    }

    /// Every concept counted as mentioned because a word probe vouched for the missing ones of a
    /// post that names some: the probe's veto then does not overrule it.
    pub fn vouched_by_words(self) -> Mention {
        Mention {
            vouched: Vouch::TheRest,
            ..self.completed()
        }
    }

    /// Whether a word probe vouched for the concepts missing from a post that names some.
    pub fn is_vouched_by_words(self) -> bool {
        self.vouched == Vouch::TheRest
    }

    /// Every concept counted as mentioned because a word probe vouched for a post that names
    /// none of them: the probe must then assent.
    pub fn vouched_bare_by_words(self) -> Mention {
        Mention {
            vouched: Vouch::All,
            ..self.completed()
        }
    }

    /// Whether a word probe vouched for a post that names none of the concepts.
    pub fn is_vouched_bare_by_words(self) -> bool {
        self.vouched == Vouch::All
    }

    /// No concept counted as mentioned: the probe says the post is not about the narrative,
    /// whatever words it uses.
    pub fn vetoed(self) -> Mention {
        Mention {
            mentioned: 0,
            ..self
        }
    }

    /// No concept counted as mentioned, because the post uses one of the narrative's
    /// exclusions.
    fn excluded(self) -> Mention {
        Mention {
            excluded: true,
            ..self.vetoed()
        }
    }

    /// Whether the post uses one of the narrative's exclusions.
    pub fn is_excluded(self) -> bool {
        self.excluded
    }

    pub fn coverage(self) -> Coverage {
        if self.declared == 0 {
            Coverage::Undeclared
        } else if self.declared & !self.mentioned == 0 {
            Coverage::Complete
        } else {
            Coverage::Missing
        }
    }
}

impl Concepts {
    /// Compiles every narrative's aliases with the matcher's own analysis. Aliases that analyse
    /// to nothing (only stop words) are logged and left out.
    pub fn build(
        kb: &KnowledgeBase,
        lexicon: &Lexicon,
        terms: &Terms,
        index: &SearchIndex,
    ) -> Self {
        let narratives = kb.narratives().len();
        let mut concepts = Concepts {
            declared: [vec![0; narratives], vec![0; narratives]],
            ..Concepts::default()
        };
        let mut excluding: [Vec<(String, u32)>; 2] = Default::default();
        let mut surface: [Vec<(String, (u32, u8))>; 2] = Default::default();
        for (n, narrative) in kb.narratives().iter().enumerate() {
            for exclusion in &narrative.exclusions {
                for (lang, phrases) in [(Lang::En, &exclusion.en), (Lang::Es, &exclusion.es)] {
                    for phrase in phrases {
                        let words = text::normalize(phrase, lexicon).text;
                        if words.is_empty() {
                            tracing::warn!(narrative = %narrative.id, exclusion = %exclusion.id, phrase, "exclusion phrase has no words once normalised; ignored");
                            continue;
                        }
                        excluding[lang as usize].push((words, n as u32));
                    }
                }
            }
            for (c, concept) in narrative.concepts.iter().take(MAX_CONCEPTS).enumerate() {
                for (lang, aliases) in [(Lang::En, &concept.en), (Lang::Es, &concept.es)] {
                    let analysed: Vec<Analysed> = aliases
                        .iter()
                        .map(|alias| {
                            let words = text::normalize(alias, lexicon).text;
                            let terms = alias_terms(&words, lang, terms, index);
                            (alias.as_str(), words, terms)
                        })
                        .collect();
                    for (alias, term) in narrowed(&analysed) {
                        let warning = narrowed_warning(&narrative.id, &concept.id, alias, term);
                        concepts.warnings.push(warning);
                    }
                    for (alias, words, terms) in analysed {
                        let keys: Vec<u64> = terms.into_iter().map(|(_, key)| key).collect();
                        let dropped = keys.len() < words.split(' ').count();
                        let bit = 1u32 << c;
                        if dropped && words.split(' ').any(|w| NEGATIONS.contains(&w)) {
                            concepts.declared[lang as usize][n] |= bit;
                            surface[lang as usize].push((words, (n as u32, c as u8)));
                            continue;
                        }
                        let Some((&first, rest)) = keys.split_first() else {
                            tracing::warn!(narrative = %narrative.id, concept = %concept.id, alias, "concept alias has no words once stop words are dropped; ignored");
                            continue;
                        };
                        concepts.declared[lang as usize][n] |= bit;
                        concepts.by_first[lang as usize]
                            .entry(first)
                            .or_default()
                            .push(Alias {
                                narrative: n as u32,
                                concept: c as u8,
                                rest: rest.into(),
                            });
                    }
                }
            }
        }
        for declared in &mut concepts.declared {
            if declared.iter().all(|&d| d == 0) {
                declared.clear();
            }
        }
        concepts.exclusions = excluding.map(Phrases::new);
        concepts.surface = surface.map(Phrases::new);
        concepts
    }

    /// What a curator should fix in the aliases though they load (`kb check` prints it): one
    /// line for each alias of several words that analyses to a single word no alias of its
    /// concept names alone ("moved out" is `move`, "should have been called" is `call`). Such
    /// an alias silently widens its concept to every post using that word.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Whether every narrative declares concepts in `lang`: a post that mentions none's all
    /// then matches nothing, whatever words it shares.
    pub fn everywhere(&self, lang: Lang) -> bool {
        let declared = &self.declared[lang as usize];
        !declared.is_empty() && declared.iter().all(|&d| d != 0)
    }

    /// What a post mentions, narrative by narrative (indexed like the knowledge base's
    /// narratives; empty when no narrative declares concepts in the post's language: a concept
    /// with no alias in it is not asked of the post). `keys` are the post's term keys in text
    /// order (see `WordTerm::key`), `normalized` its normalised words.
    pub fn mentions(&self, lang: Lang, keys: &[u64], normalized: &str) -> Vec<Mention> {
        let declared = &self.declared[lang as usize];
        if declared.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<Mention> = declared
            .iter()
            .map(|&declared| Mention {
                declared,
                ..Mention::default()
            })
            .collect();
        for (alias, _) in self.aliases_in(lang, keys) {
            out[alias.narrative as usize].mentioned |= 1 << alias.concept;
        }
        for (narrative, concept) in self.surface[lang as usize].found(normalized) {
            out[narrative as usize].mentioned |= 1 << concept;
        }
        // Only a post that names some of a narrative's concepts can lose anything to its
        // exclusions (most posts name none: the search is then skipped).
        if out.iter().any(|m| m.mentioned != 0) {
            for n in self.exclusions[lang as usize].found(normalized) {
                let n = n as usize;
                if out[n].mentioned != 0 {
                    out[n] = out[n].excluded();
                }
            }
        }
        out
    }

    /// How a post names narrative `narrative`'s concepts: for each concept it declares in
    /// `lang`, in order, where the post names it, as a range of `keys` (aliases of terms, from
    /// the alias's first key to its last) or of bytes of `normalized` (aliases matched on
    /// their words as written). A concept the post does not name gets no place.
    pub fn named(
        &self,
        lang: Lang,
        narrative: usize,
        keys: &[u64],
        normalized: &str,
    ) -> Vec<(usize, Vec<Place>)> {
        let declared = self.declared[lang as usize]
            .get(narrative)
            .copied()
            .unwrap_or(0);
        let mut out: Vec<(usize, Vec<Place>)> = (0..MAX_CONCEPTS)
            .filter(|&c| declared & 1 << c != 0)
            .map(|c| (c, Vec::new()))
            .collect();
        let mut add = |concept: u8, place: Place| {
            if let Some((_, places)) = out.iter_mut().find(|(c, _)| *c == usize::from(concept)) {
                places.push(place);
            }
        };
        for (alias, at) in self.aliases_in(lang, keys) {
            if alias.narrative as usize == narrative {
                add(alias.concept, Place::Keys(at..at + alias.rest.len() + 1));
            }
        }
        for ((n, concept), bytes) in self.surface[lang as usize].found_where(normalized) {
            if n as usize == narrative {
                add(concept, Place::Bytes(bytes));
            }
        }
        out
    }

    /// Every alias of term keys that `keys` (a post's, in text order) holds, each with the
    /// number of its first key.
    fn aliases_in<'a>(
        &'a self,
        lang: Lang,
        keys: &'a [u64],
    ) -> impl Iterator<Item = (&'a Alias, usize)> + 'a {
        let table = &self.by_first[lang as usize];
        keys.iter().enumerate().flat_map(move |(i, key)| {
            (table.get(key).into_iter().flatten())
                .filter(move |alias| keys[i + 1..].starts_with(&alias.rest))
                .map(move |alias| (alias, i))
        })
    }
}

/// Where a post names a concept: term keys of the post (in text order), or bytes of its
/// normalised text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Keys(Range<usize>),
    Bytes(Range<usize>),
}

/// An alias, its normalised words, and its terms with their keys.
type Analysed<'a> = (&'a str, String, Vec<(String, u64)>);

/// Of one concept's aliases in one language, those of several words that keep one term which
/// no one-word alias of the concept has, with that term. Aliases with a negation are matched on
/// their words as written (see [`NEGATIONS`]), so they keep their meaning and are not counted.
fn narrowed<'a>(analysed: &'a [Analysed<'a>]) -> Vec<(&'a str, &'a str)> {
    let alone: Vec<&str> = (analysed.iter())
        .filter(|(_, words, terms)| !words.contains(' ') && terms.len() == 1)
        .map(|(_, _, terms)| terms[0].0.as_str())
        .collect();
    (analysed.iter())
        .filter_map(|(alias, words, terms)| match terms.as_slice() {
            [(term, _)]
                if words.contains(' ')
                    && !words.split(' ').any(|w| NEGATIONS.contains(&w))
                    && !alone.contains(&term.as_str()) =>
            {
                Some((*alias, term.as_str()))
            }
            _ => None,
        })
        .collect()
}

/// What `kb check` says of an alias that keeps the one term `term`.
fn narrowed_warning(narrative: &str, concept: &str, alias: &str, term: &str) -> String {
    format!(
        "narrative {narrative:?}, concept {concept:?}: the alias {alias:?} matches as the single \
         term {term:?} (its other words are stop words), so every post with that word mentions \
         the concept: list the word itself if that is meant, or give the phrase a second word \
         that is not a stop word"
    )
}

/// An alias's terms (from its normalised words) with their keys, in order, as a post with the
/// same words would have them.
fn alias_terms(
    normalized: &str,
    lang: Lang,
    terms: &Terms,
    index: &SearchIndex,
) -> Vec<(String, u64)> {
    let analysed = index.analyze(normalized, lang);
    tracing::debug!(alias = normalized, terms = ?analysed.iter().map(|(t, _)| t).collect::<Vec<_>>(), "concept alias");
    analysed
        .into_iter()
        .filter_map(|(term, _)| {
            let key = WordTerm::of(terms, lang, &term).key()?;
            Some((term, key))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_needs_every_concept() {
        let mention = |declared, mentioned| Mention {
            declared,
            mentioned,
            excluded: false,
            vouched: Vouch::Nothing,
        };
        assert_eq!(mention(0, 0).coverage(), Coverage::Undeclared);
        assert_eq!(mention(0b111, 0b111).coverage(), Coverage::Complete);
        assert_eq!(mention(0b111, 0b011).coverage(), Coverage::Missing);
        assert_eq!(mention(0b11, 0b00).coverage(), Coverage::Missing);
    }

    #[test]
    fn a_word_probes_vouch_completes_a_mention_and_says_for_what() {
        let named = |mentioned| Mention {
            declared: 0b111,
            mentioned,
            ..Mention::default()
        };
        let some = named(0b001).vouched_by_words();
        let none = named(0).vouched_bare_by_words();
        for mention in [some, none] {
            assert_eq!(mention.coverage(), Coverage::Complete);
        }
        assert!(some.is_vouched_by_words() && !some.is_vouched_bare_by_words());
        assert!(none.is_vouched_bare_by_words() && !none.is_vouched_by_words());
        let plain = named(0b111);
        assert!(!plain.is_vouched_by_words() && !plain.is_vouched_bare_by_words());
        // A veto takes every concept away, whatever vouched for them.
        assert_eq!(none.vetoed().coverage(), Coverage::Missing);
    }

    #[test]
    fn phrases_are_found_as_whole_words_even_where_occurrences_overlap() {
        let phrases = Phrases::new(vec![("no no".to_owned(), 1), ("no pedidas".to_owned(), 2)]);
        let found = |text| phrases.found(text).collect::<Vec<u32>>();
        assert_eq!(found("boletas no pedidas"), [2]);
        assert_eq!(found("boletas nopedidas"), Vec::<u32>::new());
        assert_eq!(found("anono pedidas"), Vec::<u32>::new(), "part of a word");
        // The first occurrence of "no no" is inside "nono"; the whole-word one overlaps it.
        assert_eq!(found("nono no no"), [1]);
        assert_eq!(found("no no no"), [1, 1]);
        assert!(
            Phrases::<u32>::new(Vec::new())
                .found("no no")
                .next()
                .is_none()
        );
    }
}
