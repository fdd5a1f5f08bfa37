//! The knowledge base's types, independent of any file format or transport.

use serde::{Deserialize, Serialize};

/// Where a claim or statement comes from: the report (outlet and title) and the passage of it
/// that reports the words.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub source_id: String,
    pub outlet: String,
    pub title: String,
    pub passage: String,
    pub url: String,
    /// The source's file name, for sources kept as files (the seed reports).
    pub file: String,
}

/// A documented claim: somebody's words, as reported, that express a narrative.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub id: String,
    pub text: String,
    /// Flat collections carry a title and subtitle that restate the claim; they are indexed with
    /// it because they carry much of the signal.
    pub title: String,
    pub subtitle: String,
    pub claimant: String,
    pub claimant_role: String,
    pub date: String,
    pub date_note: String,
    pub venue: String,
    pub provenance: Provenance,
}

/// A false narrative: a group of claims saying the same thing, how it shows up in posts, and the
/// statements that rebut it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Narrative {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Facts the source itself gives that are not an official's words.
    pub context: String,
    /// Curated paraphrases of how the narrative appears in posts (any language).
    pub variants: Vec<String>,
    /// Distinctive words, added to the vocabulary used to split hashtags.
    pub keywords: Vec<String>,
    /// The narrative's core concepts: a post must mention every one of them (by one of its
    /// aliases) to match. Empty for knowledge bases that declare none (flat collections).
    pub concepts: Vec<Concept>,
    /// Phrases that mark a post as about something else though it names the concepts ("was
    /// charged with": one prosecuted case, not mail voting as a whole): a post using one is not
    /// matched on its concepts. Matched on the post's normalised words as written (no stemming),
    /// so each form is listed. Left out of the content hash when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<Concept>,
    pub claims: Vec<Claim>,
    /// Derived when loading from each statement's `rebuts`.
    pub statement_ids: Vec<String>,
    /// The score from which the narrative is reported when a request names none, in place of
    /// the service's default: curators raise it for a narrative whose feedback shows false
    /// alarms (`counterclaim feedback report`). Left out of the content hash when unset, so
    /// knowledge bases without thresholds keep their versions (and their cached embeddings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f32>,
}

/// One core concept of a narrative ("a foreign country", "counterfeit", "ballots") and the words
/// posts use for it, per language. An alias of several words matches only as a phrase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Concept {
    pub id: String,
    pub en: Vec<String>,
    pub es: Vec<String>,
}

/// An official's statement that rebuts one or more narratives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OfficialStatement {
    pub id: String,
    pub speaker: String,
    pub role: String,
    pub agency: String,
    pub date: String,
    pub date_note: String,
    pub published_in: String,
    pub quote: String,
    /// Words of the same report that the quote needs to stand alone (the question it answered,
    /// the sentence it completes, what it refers to), verbatim; empty when it stands alone.
    pub context: String,
    pub rebuts: Vec<String>,
    pub provenance: Provenance,
}
