//! Learned read-outs of a post's words: the stance read-out, and the word probe for the posts
//! the model never embeds. Both are logistic regressions (one softmax over their labels) on the
//! post's words and word pairs as the matcher normalises them ("no evidence", "is it",
//! "desmintieron"), weighted as TF-IDF (sublinear term frequency, each post's vector scaled to
//! unit length), so they read Spanish as well as English.
//!
//! **The stance read-out** says which of promotes, debunks and neutral a post about a narrative
//! takes, learned from labelled posts rather than written as cues. Beside the words it reads
//! [`QUESTION`] if the post asks rather than asserts (normalising drops the question mark), and
//! the post's sentence embedding when the post has one from the model the read-out was fitted
//! with. Spanish posts are never embedded (the model is English-only) and read zeros there, as
//! they did in the fit. `scripts/fit_probe.py` fits it on the labelled posts, the knowledge
//! base's texts (they promote) and the official statements (they debunk). In cross-validation it
//! reads 0.94 of the English posts' stances right and 0.92 of the Spanish ones (stop 25), where
//! the cues of `stance.rs` read 0.76 and 0.79 (stop 24; docs/quality.md). It decides the stance
//! of a match on a narrative it was fitted on (by id). A post without an embedding it reads
//! (Spanish posts, lexical mode, posts the probe's first stage keeps from the model) is read by
//! its twin fitted on the words and pairs alone (`readout_words.json`, stop 30): in lexical
//! mode it reads 0.97 of the ninth held-out set's stances right, where the cues read 0.89.
//! Both are also fitted on posts that defend the process in an affirmative voice
//! (`tuning_stance17`, stop 39; `tuning_defend18`, stop 40, with short ones such as "Absentee
//! voting works."), which the network probe fits on at half weight and the word probes not at
//! all (out of fold, at full weight they cost alarms on other election rumours).
//!
//! **The word probe** does for Spanish posts what the probe of `probe.rs` does for English ones
//! on their embedding: a softmax over "none" and the narratives, fitted on the Spanish fitting
//! posts and the knowledge base's Spanish variants, that may vouch for a narrative whose concepts
//! the post does not all mention ([`WORD_FLOOR`], [`WORD_BARE_FLOOR`]), and veto one whose concepts
//! it all mentions but whose sentence is about something else ([`WORD_VETO`]). It needs no
//! model, so it works in both modes.
//!
//! **The English word probe** (`word_probe_en.json`, stop 38) is its twin fitted on the English
//! texts. In lexical mode it stands in for the probe, which has no embedding to read; in hybrid
//! mode either may vouch: out of fold, over the posts neither finds alone, the network finds 831
//! for 22 wrong and the two together 966 for 28 (`scripts/cv_probe.py either`). It vouches from
//! [`WORD_FLOOR_EN`] and [`WORD_BARE_FLOOR_EN`], and vetoes below [`WORD_VETO_EN`] in lexical
//! mode only: in hybrid mode the probe's veto stands alone.
//!
//! Both word probes read a post as the model does, spelling-corrected (`Analysis::model_text`),
//! and were fitted on the fitting posts read that way (stop 39): a misspelled word counts as the
//! word it stands for, which a word probe reading the words as written would not know. Out of
//! fold the English one finds 667 of lexical mode's 1,391 misses for 8 wrong, where reading the
//! words as written it found 654 for 10; the Spanish one is as good either way.

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::stance::Stance;
use crate::kb::KnowledgeBase;
use crate::text::Lang;

/// The stances in the order of the fit's columns.
const STANCES: [(&str, Stance); 3] = [
    ("promotes", Stance::Promotes),
    ("debunks", Stance::Debunks),
    ("neutral", Stance::Neutral),
];

const SHIPPED: &str = include_str!("readout.json");
const SHIPPED_WORDS: &str = include_str!("readout_words.json");
const SHIPPED_WORD_PROBE: &str = include_str!("word_probe.json");
const SHIPPED_WORD_PROBE_EN: &str = include_str!("word_probe_en.json");

/// The word a post that asks rather than asserts (`stance::is_question`) is read with.
pub const QUESTION: &str = "?";

/// The word probe's probability from which a narrative a post mentions some concepts of (not
/// all) becomes a candidate.
pub const WORD_FLOOR: f32 = 0.9;

/// The word probe's probability from which a narrative a post mentions no concept of becomes a
/// candidate.
pub const WORD_BARE_FLOOR: f32 = 0.98;

/// The word probe's probability under which a narrative whose concepts the post all mentions is
/// not a candidate after all, as the probe's [`VETO`](super::probe::VETO) for embedded posts:
/// "me robaron la bici en la madrugada" names a theft and a night, not a late count. Chosen
/// out of fold (`scripts/cv_probe.py wordveto`).
pub const WORD_VETO: f32 = 0.005;

/// The English word probe's floors, as [`WORD_FLOOR`] and [`WORD_BARE_FLOOR`]: chosen out of
/// fold (`scripts/cv_probe.py lexwords`): at 0.95 / 0.98 it finds 667 of the 1,391 English
/// positives lexical mode missed, for 8 wrong (3 hard negatives); at 0.98 / 0.99, 468 for 3.
pub const WORD_FLOOR_EN: f32 = 0.95;
pub const WORD_BARE_FLOOR_EN: f32 = 0.98;

/// The English word probe's veto, as [`WORD_VETO`], in lexical mode only (in hybrid mode the
/// probe's veto stands alone): out of fold (`LANG_READ=en scripts/cv_probe.py wordveto`), of
/// lexical mode's 2,424 alarms on English fitting posts it removes 39 of the 96 wrong (7 hard
/// negatives) and no right one (3 when it read the words as written); in hybrid mode it would
/// remove as many right alarms as wrong (stop 38).
pub const WORD_VETO_EN: f32 = 0.02;

#[derive(Deserialize)]
struct File {
    model: String,
    narratives: Vec<String>,
    labels: Vec<String>,
    /// Each word or word pair: its inverse document frequency, then a weight per label.
    grams: FxHashMap<String, Vec<f32>>,
    /// One row per label: a weight per embedding dimension (none: the embedding is not read).
    #[serde(default)]
    embedding: Vec<Vec<f32>>,
    bias: Vec<f32>,
}

/// A logistic regression over a post's words and word pairs (TF-IDF) and, optionally, its
/// embedding: one logit per label.
struct Linear {
    labels: Vec<String>,
    grams: FxHashMap<String, Vec<f32>>,
    /// The model the embedding's rows were fitted with, and the rows.
    model: String,
    embedding: Vec<Vec<f32>>,
    /// Whether the matcher's model is that one, so that the rows read its embeddings.
    reads_embeddings: bool,
    bias: Vec<f32>,
    /// For each of the knowledge base's narratives, whether the read-out was fitted on it.
    covers: Vec<bool>,
}

impl Linear {
    /// The read-out of `json` for `kb`'s narratives, if it is well formed and was fitted on at
    /// least one of them.
    fn parse(json: &str, kb: &KnowledgeBase) -> Option<Linear> {
        let file: File = serde_json::from_str(json).ok()?;
        let width = file.labels.len();
        let well_formed = file.bias.len() == width
            && file.grams.values().all(|row| row.len() == width + 1)
            && (file.embedding.is_empty() || file.embedding.len() == width);
        let covers: Vec<bool> = kb
            .narratives()
            .iter()
            .map(|n| file.narratives.contains(&n.id))
            .collect();
        (well_formed && covers.contains(&true)).then_some(Linear {
            labels: file.labels,
            grams: file.grams,
            model: file.model,
            embedding: file.embedding,
            reads_embeddings: false,
            bias: file.bias,
            covers,
        })
    }

    fn covers(&self, n: usize) -> bool {
        self.covers.get(n).copied().unwrap_or(false)
    }

    fn use_model(&mut self, model: Option<(&str, usize)>) {
        self.reads_embeddings = !self.embedding.is_empty()
            && model.is_some_and(|(id, dim)| {
                id == self.model && self.embedding.iter().all(|row| row.len() == dim)
            });
    }

    /// The labels' logits for a post, from its normalised text, whether it asks, and its
    /// embedding if it has one.
    fn logits(&self, normalized: &str, question: bool, embedding: Option<&[f32]>) -> Vec<f32> {
        let mut logits = self.bias.clone();
        let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
        // Every known gram's row, once per occurrence: the words, the question mark, and the
        // word pairs, which are slices of the text when one space parts them (as it does in
        // normalised text).
        let mut found: Vec<&[f32]> = Vec::new();
        let mut known = |gram: &str| found.extend(self.grams.get(gram).map(Vec::as_slice));
        for word in words.iter().chain(question.then_some(&QUESTION)) {
            known(word);
        }
        for pair in words.windows(2) {
            let (first, second) = (pair[0], pair[1]);
            let start = first.as_ptr() as usize - normalized.as_ptr() as usize;
            let end = second.as_ptr() as usize - normalized.as_ptr() as usize + second.len();
            match normalized.get(start..end) {
                Some(gram) if end - start == first.len() + 1 + second.len() => known(gram),
                _ => known(&pair.join(" ")),
            }
        }
        // Term frequency, sublinear: rows of one gram are the same slice.
        found.sort_unstable_by_key(|row| row.as_ptr());
        let values: Vec<(f32, &[f32])> = found
            .chunk_by(|a, b| a.as_ptr() == b.as_ptr())
            .map(|run| {
                let row = run[0];
                ((1.0 + (run.len() as f32).ln()) * row[0], &row[1..])
            })
            .collect();
        let norm = values.iter().map(|(v, _)| v * v).sum::<f32>().sqrt();
        for (value, weights) in values.iter().filter(|_| norm > 0.0) {
            for (logit, weight) in logits.iter_mut().zip(*weights) {
                *logit += value / norm * weight;
            }
        }
        if let Some(x) = embedding.filter(|_| self.reads_embeddings) {
            for (logit, row) in logits.iter_mut().zip(&self.embedding) {
                *logit += super::dense::dot(row, x);
            }
        }
        logits
    }
}

/// The stance read-out.
pub struct Readout(Linear);

impl Readout {
    /// The shipped read-out for `kb`'s narratives, if it was fitted on at least one of them. It
    /// reads no embeddings until [`use_model`](Self::use_model) names its model.
    pub fn shipped(kb: &KnowledgeBase) -> Option<Readout> {
        Self::parse(SHIPPED, kb)
    }

    /// The shipped read-out on words alone, for posts without an embedding, if it was fitted
    /// on at least one of `kb`'s narratives.
    pub fn shipped_words(kb: &KnowledgeBase) -> Option<Readout> {
        Self::parse(SHIPPED_WORDS, kb)
    }

    fn parse(json: &str, kb: &KnowledgeBase) -> Option<Readout> {
        let linear = Linear::parse(json, kb)?;
        let stances_known = linear.labels.len() == STANCES.len()
            && linear.labels.iter().zip(STANCES).all(|(s, (n, _))| s == n);
        stances_known.then_some(Readout(linear))
    }

    /// Whether the read-out was fitted on narrative `n` of the knowledge base.
    pub fn covers(&self, n: usize) -> bool {
        self.0.covers(n)
    }

    /// The matcher's model (its id and dimension), if it has one: the read-out reads its
    /// embeddings if it was fitted with it.
    pub fn use_model(&mut self, model: Option<(&str, usize)>) {
        self.0.use_model(model);
    }

    /// Whether it reads the matcher's embeddings.
    pub fn reads_embeddings(&self) -> bool {
        self.0.reads_embeddings
    }

    /// The stance of a post, from its normalised text, whether it asks, and its embedding if it
    /// has one.
    pub fn stance(&self, normalized: &str, question: bool, embedding: Option<&[f32]>) -> Stance {
        let logits = self.0.logits(normalized, question, embedding);
        let best = (0..STANCES.len())
            .max_by(|&a, &b| logits[a].total_cmp(&logits[b]))
            .unwrap_or(0);
        STANCES[best].1
    }
}

/// The word probe: which narrative a post the model never embeds (a Spanish one) is about, from
/// its words and word pairs alone: a softmax over "none" and the narratives it was fitted on.
pub struct WordProbe {
    linear: Linear,
    /// For each of the knowledge base's narratives, its label's column, if it was fitted on it.
    columns: Vec<Option<usize>>,
    /// The probability from which it vouches for a narrative the post names some concepts of,
    /// then none of.
    pub floors: (f32, f32),
    /// The probability under which it vetoes a narrative the post names every concept of.
    pub veto: f32,
}

impl WordProbe {
    /// The shipped word probe for `kb`'s narratives and posts in `lang`, if it was fitted on at
    /// least one of them.
    pub fn shipped(kb: &KnowledgeBase, lang: Lang) -> Option<WordProbe> {
        let (json, floors, veto) = match lang {
            Lang::Es => (SHIPPED_WORD_PROBE, (WORD_FLOOR, WORD_BARE_FLOOR), WORD_VETO),
            Lang::En => (
                SHIPPED_WORD_PROBE_EN,
                (WORD_FLOOR_EN, WORD_BARE_FLOOR_EN),
                WORD_VETO_EN,
            ),
        };
        Self::parse(json, kb, floors, veto)
    }

    fn parse(json: &str, kb: &KnowledgeBase, floors: (f32, f32), veto: f32) -> Option<WordProbe> {
        let linear = Linear::parse(json, kb)?;
        let columns = kb
            .narratives()
            .iter()
            .map(|n| linear.labels.iter().position(|l| *l == n.id))
            .collect();
        Some(WordProbe {
            linear,
            columns,
            floors,
            veto,
        })
    }

    /// Whether the probe was fitted on narrative `n` of the knowledge base.
    pub fn covers(&self, n: usize) -> bool {
        self.columns.get(n).is_some_and(Option::is_some)
    }

    /// How many of the words of a post's normalised, spelling-corrected text it knows: a word
    /// it has no weights for adds nothing to its reading.
    pub fn known_words(&self, text: &str) -> usize {
        text.split_whitespace()
            .filter(|word| self.linear.grams.contains_key(*word))
            .count()
    }

    /// Each of the knowledge base's narratives' probability for a post's normalised,
    /// spelling-corrected text (0 for those it was not fitted on).
    pub fn probabilities(&self, text: &str) -> Vec<f32> {
        let p = super::probe::softmax(self.linear.logits(text, false, None));
        self.columns
            .iter()
            .map(|c| c.map_or(0.0, |c| p[c]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> KnowledgeBase {
        KnowledgeBase::built_in().unwrap()
    }

    /// The read-out of `json` for `kb`, with the matcher's `model`.
    fn read(json: &str, kb: &KnowledgeBase, model: Option<(&str, usize)>) -> Option<Readout> {
        let mut readout = Readout::parse(json, kb)?;
        readout.use_model(model);
        Some(readout)
    }

    /// "myth" debunks, "asks" is neutral, and the second embedding dimension promotes.
    const SMALL: &str = r#"{"model":"m","narratives":["mail-voting-widespread-fraud"],
        "labels":["promotes","debunks","neutral"],
        "grams":{"myth":[2,0,3,0],"asks whether":[1,0,0,3],"whether":[1,0,0,0],"?":[1,0,0,2]},
        "embedding":[[0,4],[0,0],[0,0]],
        "bias":[1,0,0]}"#;

    #[test]
    fn words_and_pairs_decide_and_the_embedding_counts_only_with_its_model() {
        let kb = kb();
        let readout = read(SMALL, &kb, Some(("m", 2))).unwrap();
        assert!(readout.reads_embeddings());
        assert_eq!(
            readout.stance("mail voting is rigged", false, None),
            Stance::Promotes
        );
        // One known word: its unit vector, so myth's weight 3 counts whole: 3 > 1.
        assert_eq!(
            readout.stance("that is a myth", false, None),
            Stance::Debunks
        );
        // A repeated word is not weighed more once scaled to unit length.
        assert_eq!(
            readout.stance("myth myth myth", false, None),
            Stance::Debunks
        );
        // "asks whether" (1) and "whether" (1): the pair's weight 3 over sqrt 2 = 2.1 > 1.
        assert_eq!(
            readout.stance("he asks whether mail voting is rigged", false, None),
            Stance::Neutral
        );
        // A question: "?" alone, 2 > 1. Beside "myth" it is one word of the vector like any
        // other: debunks 2 * 3 / sqrt 5 = 2.7 against neutral 2 / sqrt 5 = 0.9.
        assert_eq!(
            readout.stance("mail voting is rigged", true, None),
            Stance::Neutral
        );
        assert_eq!(
            readout.stance("that is a myth", true, None),
            Stance::Debunks
        );
        // The embedding: 1 + 4 * 1 = 5 > 3.
        assert_eq!(
            readout.stance("that is a myth", false, Some(&[0.0, 1.0])),
            Stance::Promotes
        );
        let other_model = read(SMALL, &kb, Some(("other", 2))).unwrap();
        assert!(!other_model.reads_embeddings());
        assert_eq!(
            other_model.stance("that is a myth", false, Some(&[0.0, 1.0])),
            Stance::Debunks
        );
        assert!(!read(SMALL, &kb, Some(("m", 3))).unwrap().reads_embeddings());
    }

    #[test]
    fn it_covers_only_its_narratives() {
        let kb = kb();
        let readout = read(SMALL, &kb, None).unwrap();
        assert_eq!((0..4).filter(|&n| readout.covers(n)).count(), 1);
        assert!(!readout.covers(99));
        let none = SMALL.replace("mail-voting-widespread-fraud", "elsewhere");
        assert!(read(&none, &kb, None).is_none());
        let two_stances = SMALL.replace(r#","neutral"]"#, "]");
        assert!(read(&two_stances, &kb, None).is_none());
    }

    /// "cartero" is about mail-voting fraud; the other narratives are not in the fit.
    const WORDS: &str = r#"{"model":"m","narratives":["mail-voting-widespread-fraud"],
        "labels":["none","mail-voting-widespread-fraud"],
        "grams":{"cartero":[1,0,4],"el cartero":[1,0,1]},
        "bias":[1,0]}"#;

    #[test]
    fn the_word_probe_gives_each_narrative_its_probability() {
        let kb = kb();
        let probe = WordProbe::parse(WORDS, &kb, (WORD_FLOOR, WORD_BARE_FLOOR), WORD_VETO).unwrap();
        let mail = kb
            .narratives()
            .iter()
            .position(|n| n.id == "mail-voting-widespread-fraud")
            .unwrap();
        assert!((0..4).all(|n| probe.covers(n) == (n == mail)));
        // No known word: "none" 1 against 0.
        let p = probe.probabilities("hola");
        assert_eq!(p.len(), 4);
        assert!((p[mail] - 1.0 / (1.0 + 1f32.exp())).abs() < 1e-6);
        // "cartero" and "el cartero", each 1 / sqrt 2: 5 / sqrt 2 = 3.5 against 1.
        let p = probe.probabilities("el cartero");
        let expected = 1.0 / (1.0 + (1.0 - 5.0 / 2f32.sqrt()).exp());
        assert!((p[mail] - expected).abs() < 1e-5, "{p:?}");
        assert!(p.iter().enumerate().all(|(n, &q)| n == mail || q == 0.0));
        // A word pair is no word: "el" alone is unknown.
        assert_eq!(probe.known_words("el cartero dijo cartero"), 2);
        let bad_row = WORDS.replace("[1,0,4]", "[1,0]");
        assert!(
            WordProbe::parse(&bad_row, &kb, (WORD_FLOOR, WORD_BARE_FLOOR), WORD_VETO).is_none()
        );
    }

    #[test]
    fn the_shipped_readout_covers_the_shipped_narratives_and_reads_spanish() {
        let kb = kb();
        let readout = Readout::shipped(&kb).unwrap();
        assert!((0..kb.narratives().len()).all(|n| readout.covers(n)));
        assert_eq!(
            readout.stance(
                "es mentira no hay pruebas de fraude con el voto por correo",
                false,
                None
            ),
            Stance::Debunks
        );
    }

    #[test]
    fn the_shipped_words_readout_reads_no_embedding_and_reads_english() {
        let kb = kb();
        let mut words = Readout::shipped_words(&kb).unwrap();
        words.use_model(Some((
            &serde_json::from_str::<File>(SHIPPED).unwrap().model,
            384,
        )));
        assert!(!words.reads_embeddings());
        assert!((0..kb.narratives().len()).all(|n| words.covers(n)));
        assert_eq!(
            words.stance(
                "poll worker here every mail ballot gets a signature check so the mail fraud story does not hold up",
                false,
                None
            ),
            Stance::Debunks
        );
    }

    #[test]
    fn each_language_has_its_shipped_word_probe_and_floors() {
        let kb = kb();
        let spanish = WordProbe::shipped(&kb, Lang::Es).unwrap();
        let english = WordProbe::shipped(&kb, Lang::En).unwrap();
        for probe in [&spanish, &english] {
            assert!((0..kb.narratives().len()).all(|n| probe.covers(n)));
        }
        assert_eq!((spanish.floors, spanish.veto), ((0.9, 0.98), WORD_VETO));
        assert_eq!((english.floors, english.veto), ((0.95, 0.98), WORD_VETO_EN));
        // Each reads its own language: the English probe knows the words of an English claim.
        let claim = "once your ballot goes into a mailbox nobody knows who fills it out";
        let best = |probe: &WordProbe| probe.probabilities(claim).into_iter().fold(0.0, f32::max);
        assert!(best(&english) > best(&spanish), "{claim}");
    }
}
