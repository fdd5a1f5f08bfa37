//! The probe: a learned gate that lets the sentence-embedding model find a post that misses one
//! of a narrative's concepts, or all of them.
//!
//! Declared concepts carry the precision, but a post that says the idea in words no alias has
//! ("Any country with a decent printer can now vote in America") misses a concept and was never
//! a candidate. The probe is a small network over the post's embedding (one hidden layer of
//! rectified units, then a softmax over the shipped narratives and "none"), fitted by
//! `scripts/fit_probe.py` on the fitting posts, the knowledge base's texts and the real streams'
//! fitting halves (about 8,000 texts on every topic as "none"), and at half weight on posts
//! that defend the process in an affirmative voice ("Military families vote absentee.
//! Trustworthy system."; stop 40). The shipped one is ten networks
//! of 64 units fitted from different seeds with their logits averaged, which is one network of
//! their 640 units side by side: this file reads any width. A narrative the post mentions
//! at least one concept of, but not all, becomes a candidate when the probe gives it [`FLOOR`]
//! or more; one it mentions no concept of, when the probe gives it [`BARE_FLOOR`] or more and the
//! English word probe [`BARE_ASSENT`] or more. It is then scored as if every concept were
//! mentioned. The other way round, a narrative whose concepts an embedded post all mentions is
//! no candidate when the probe gives it less than [`VETO`]: the words are there, the sentence
//! is about something else. docs/quality.md has what each buys.
//!
//! Embedding a post takes milliseconds, and a concept is often a common word (*count*, *fake*):
//! embedding every post that mentions one would slow a stream thirtyfold. So the probe has a
//! first stage, in the spirit of model2vec: a network of the same shape (a logistic unit over 64
//! rectified ones) on the mean of the post's tokens' input vectors (the model's static token
//! embeddings, no model run, microseconds), fitted on the same data to say whether the post may
//! be about any of the narratives. Only a post it gives [`FIRST_FLOOR`] or more is embedded for
//! the probe.
//!
//! It applies only to the narratives it was fitted on (by id), and only with the model it was
//! fitted with: a knowledge base's own narratives keep the concepts and the cues alone.
//!
//! In `probe.json` a row of weights is either a JSON array of numbers or, to keep the file
//! small, a string: the base64 of its values as little-endian 32-bit floats. The fit writes the
//! hidden layers that way; a row that is neither reads as no probe.

use base64::prelude::{BASE64_STANDARD, Engine as _};
use serde::{Deserialize, Deserializer};

use crate::kb::KnowledgeBase;

/// The probe's probability from which a narrative missing a concept becomes a candidate.
pub const FLOOR: f32 = 0.95;

/// The probe's probability from which a narrative the post mentions no concept of becomes a
/// candidate: higher, since nothing in the post's words backs the model.
pub const BARE_FLOOR: f32 = 0.98;

/// The English word probe's probability that a narrative the post names no concept of also
/// needs, beside the probe's [`BARE_FLOOR`], when the word probe has read the post: two readers
/// that agree. Out of fold (one network, `docs/quality.md`, stop 51) it lost no fitting post, and
/// the probe vouched for 4 of the English fortunes' fitting half where it had for 13. The other
/// way round too, the probe's probability that an embedded post the word probe vouched for,
/// naming no concept, needs (stop 60): no fitting post is lost, and 4 of the 14 alarms left on
/// WordNet's fitting half go ("rag paper: paper made partly or wholly from rags").
pub const BARE_ASSENT: f32 = 0.2;

/// The probe's probability under which a narrative whose concepts the post all mentions is not
/// a candidate after all: the words name its subject and idea, but the sentence is about
/// something else ("the refs rigged the count").
pub const VETO: f32 = 0.003;

/// The first stage's probability from which a post is embedded for the probe: low, since it
/// only saves time, and what it lets through the probe itself still decides.
pub const FIRST_FLOOR: f32 = 0.1;
const SHIPPED: &str = include_str!("probe.json");

#[derive(Deserialize)]
struct File {
    model: String,
    labels: Vec<String>,
    /// The probe's hidden layer, one row per unit: a weight per embedding dimension, then the
    /// bias. Without it the probe is linear in the embedding.
    #[serde(default)]
    hidden: Vec<Row>,
    /// One row per label: a weight per hidden unit (or embedding dimension), then the bias.
    weights: Vec<Row>,
    /// The first stage's hidden layer, over the token mean; without it the first stage is
    /// linear in the token mean.
    #[serde(default)]
    first_hidden: Vec<Row>,
    /// The first stage's logistic row: a weight per hidden unit (or dimension), then the bias.
    first_stage: Row,
}

/// A row of weights, written as numbers or packed as base64 (see the module's documentation).
struct Row(Vec<f32>);

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Row, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Numbers(Vec<f32>),
            Packed(String),
        }
        match Written::deserialize(deserializer)? {
            Written::Numbers(values) => Ok(Row(values)),
            Written::Packed(text) => unpack(&text)
                .map(Row)
                .ok_or_else(|| serde::de::Error::custom("a row is not base64 of 32-bit floats")),
        }
    }
}

/// The little-endian 32-bit floats that `text` is the base64 of.
fn unpack(text: &str) -> Option<Vec<f32>> {
    let bytes = BASE64_STANDARD.decode(text).ok()?;
    let chunks = bytes.chunks_exact(4);
    chunks.remainder().is_empty().then(|| {
        chunks
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    })
}

fn rows(rows: Vec<Row>) -> Vec<Vec<f32>> {
    rows.into_iter().map(|Row(values)| values).collect()
}

/// A read-out of a vector: an optional hidden layer of rectified units, then one row per output
/// (a weight per unit, or per dimension without the layer, then the bias).
struct Net {
    hidden: Vec<Vec<f32>>,
    out: Vec<Vec<f32>>,
}

impl Net {
    fn well_formed(&self, dim: usize) -> bool {
        let width = if self.hidden.is_empty() {
            dim
        } else {
            self.hidden.len()
        };
        self.hidden.iter().all(|row| row.len() == dim + 1)
            && self.out.iter().all(|row| row.len() == width + 1)
    }

    /// The outputs' logits for `x`.
    fn logits(&self, x: &[f32]) -> Vec<f32> {
        let units: Vec<f32>;
        let input = if self.hidden.is_empty() {
            x
        } else {
            units = self
                .hidden
                .iter()
                .map(|row| affine(row, x).max(0.0))
                .collect();
            &units
        };
        self.out.iter().map(|row| affine(row, input)).collect()
    }
}

pub struct Probe {
    /// Over the embedding, one output per label of the fit.
    narratives: Net,
    /// For each of the knowledge base's narratives, its label's output, if the probe was fitted
    /// on it.
    rows: Vec<Option<usize>>,
    /// Over the token mean, one logistic output.
    first_stage: Net,
}

impl Probe {
    /// The shipped probe for `kb`'s narratives, if it was fitted with the model `model_id` (of
    /// `dim` dimensions) and on at least one of them.
    pub fn shipped(kb: &KnowledgeBase, model_id: &str, dim: usize) -> Option<Probe> {
        Self::parse(SHIPPED, kb, model_id, dim)
    }

    fn parse(json: &str, kb: &KnowledgeBase, model_id: &str, dim: usize) -> Option<Probe> {
        let file: File = serde_json::from_str(json).ok()?;
        let narratives = Net {
            hidden: rows(file.hidden),
            out: rows(file.weights),
        };
        let first_stage = Net {
            hidden: rows(file.first_hidden),
            out: vec![file.first_stage.0],
        };
        let well_formed = file.labels.len() == narratives.out.len()
            && [&narratives, &first_stage]
                .iter()
                .all(|net| net.well_formed(dim));
        if file.model != model_id || !well_formed {
            return None;
        }
        let rows: Vec<Option<usize>> = kb
            .narratives()
            .iter()
            .map(|n| file.labels.iter().position(|l| *l == n.id))
            .collect();
        rows.iter().any(Option::is_some).then_some(Probe {
            narratives,
            rows,
            first_stage,
        })
    }

    /// Whether the probe was fitted on narrative `n` of the knowledge base.
    pub fn covers(&self, n: usize) -> bool {
        self.rows.get(n).is_some_and(Option::is_some)
    }

    /// Whether a post is worth embedding for the probe, from the mean of its tokens' input
    /// vectors (see [`Encoder::token_mean`](super::Encoder::token_mean)).
    pub fn worth_embedding(&self, token_mean: &[f32]) -> bool {
        let logit = self.first_stage.logits(token_mean)[0];
        1.0 / (1.0 + (-logit).exp()) >= FIRST_FLOOR
    }

    /// The probability the probe gives each of the knowledge base's narratives (0 for those it
    /// was not fitted on), for a post's unit-length embedding.
    pub fn probabilities(&self, embedding: &[f32]) -> Vec<f32> {
        let p = softmax(self.narratives.logits(embedding));
        self.rows
            .iter()
            .map(|row| row.map_or(0.0, |r| p[r]))
            .collect()
    }
}

/// `row` (weights, then the bias) applied to `x`.
fn affine(row: &[f32], x: &[f32]) -> f32 {
    let (bias, weights) = row.split_last().unwrap_or((&0.0, &[]));
    bias + super::dense::dot(weights, x)
}

/// The softmax of `logits`.
pub(super) fn softmax(logits: Vec<f32>) -> Vec<f32> {
    let top = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exp: Vec<f32> = logits.iter().map(|l| (l - top).exp()).collect();
    let total: f32 = exp.iter().sum();
    exp.into_iter().map(|e| e / total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> KnowledgeBase {
        KnowledgeBase::built_in().unwrap()
    }

    const TWO_D: &str = r#"{"model":"m","labels":["none","mail-voting-widespread-fraud"],
        "weights":[[0,0,0],[4,0,-1]],
        "first_stage":[2,0,-1]}"#;

    #[test]
    fn it_applies_only_with_its_model_and_its_narratives() {
        let kb = kb();
        assert!(Probe::parse(TWO_D, &kb, "other model", 2).is_none());
        assert!(
            Probe::parse(TWO_D, &kb, "m", 3).is_none(),
            "wrong dimension"
        );
        let probe = Probe::parse(TWO_D, &kb, "m", 2).unwrap();
        let n = kb
            .narratives()
            .iter()
            .position(|n| n.id == "mail-voting-widespread-fraud")
            .unwrap();
        assert!(probe.covers(n));
        assert_eq!((0..4).filter(|&i| probe.covers(i)).count(), 1);
        let p = probe.probabilities(&[1.0, 0.0]);
        // softmax(0, 4 - 1): e^3 / (1 + e^3)
        assert!((p[n] - 0.9526).abs() < 1e-3, "{p:?}");
        assert_eq!(p.iter().filter(|&&x| x > 0.0).count(), 1);
        // The first stage: sigmoid(2 - 1) = 0.73; sigmoid(-1) = 0.27; sigmoid(-3) = 0.05.
        assert!(probe.worth_embedding(&[1.0, 0.0]));
        assert!(probe.worth_embedding(&[0.0, 5.0]));
        assert!(!probe.worth_embedding(&[-1.0, 0.0]));
    }

    #[test]
    fn a_hidden_layer_is_rectified_before_the_softmax() {
        // Two units: relu(x0 - x1) and relu(x1 - x0); the label row reads the first.
        let json = r#"{"model":"m","labels":["none","mail-voting-widespread-fraud"],
            "hidden":[[1,-1,0],[-1,1,0]],
            "weights":[[0,0,0],[4,0,-1]],
            "first_hidden":[[-1,0,0]],
            "first_stage":[4,-4]}"#;
        let kb = kb();
        let probe = Probe::parse(json, &kb, "m", 2).unwrap();
        // The first stage: sigmoid(4 relu(-x0) - 4).
        assert!(probe.worth_embedding(&[-2.0, 0.0]), "sigmoid(4) = 0.98");
        assert!(!probe.worth_embedding(&[2.0, 0.0]), "sigmoid(-4) = 0.02");
        let n = kb
            .narratives()
            .iter()
            .position(|n| n.id == "mail-voting-widespread-fraud")
            .unwrap();
        // Unit one is 1: softmax(0, 4 - 1) = 0.953.
        assert!((probe.probabilities(&[1.0, 0.0])[n] - 0.9526).abs() < 1e-3);
        // Unit one is cut to 0 (not -1): softmax(0, -1) = 0.269, not softmax(0, -5) = 0.007.
        assert!((probe.probabilities(&[0.0, 1.0])[n] - 0.2689).abs() < 1e-3);
        let wrong_width = json.replace("[4,0,-1]", "[4,-1]");
        assert!(Probe::parse(&wrong_width, &kb, "m", 2).is_none());
        let wrong_first = json.replace("[4,-4]", "[4,0,-4]");
        assert!(Probe::parse(&wrong_first, &kb, "m", 2).is_none());
    }

    #[test]
    fn a_row_reads_as_numbers_or_as_base64_of_floats() {
        let packed: Vec<u8> = [4.0f32, 0.0, -1.0]
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        let packed = BASE64_STANDARD.encode(packed);
        let kb = kb();
        let as_text = TWO_D.replace("[4,0,-1]", &format!("\"{packed}\""));
        let probe = Probe::parse(&as_text, &kb, "m", 2).unwrap();
        let plain = Probe::parse(TWO_D, &kb, "m", 2).unwrap();
        assert_eq!(
            probe.probabilities(&[1.0, 0.0]),
            plain.probabilities(&[1.0, 0.0])
        );
        let cut = &packed[..packed.len() - 4];
        for bad in ["not base64!", cut] {
            let json = TWO_D.replace("[4,0,-1]", &format!("\"{bad}\""));
            assert!(Probe::parse(&json, &kb, "m", 2).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_shipped_probe_reads_and_covers_the_shipped_narratives() {
        let kb = kb();
        let file: File = serde_json::from_str(SHIPPED).unwrap();
        let probe = Probe::shipped(&kb, &file.model, file.hidden[0].0.len() - 1).unwrap();
        assert!((0..kb.narratives().len()).all(|n| probe.covers(n)));
    }
}
