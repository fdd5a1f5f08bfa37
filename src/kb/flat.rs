//! The flat format for fact-check collections: JSONL, one claim a line.
//!
//! `{"id", "text", "title"?, "subtitle"?, "author"?, "date"?, "url"?, "narrative_id"?,
//! "concepts"?}`
//!
//! A line without `narrative_id` is a narrative of its own whose id is the line's `id`, titled by
//! `title`, else by its text. Lines sharing a `narrative_id` are claims of one narrative. Flat
//! collections carry no official statements, so they are not required to have any.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;

use super::{Claim, Concept, KbError, KnowledgeBase, Narrative, Provenance};

/// The field names CheckThat! 2022 uses (`vclaim_id`, `vclaim`) are accepted as aliases, so its
/// collection loads as it is.
#[derive(Deserialize)]
struct FlatRecord {
    #[serde(alias = "vclaim_id", deserialize_with = "id_string")]
    id: String,
    #[serde(alias = "vclaim")]
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    subtitle: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    narrative_id: Option<String>,
    /// The narrative's core concepts, on any one of its lines (see `Concept`).
    #[serde(default)]
    concepts: Vec<FlatConcept>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlatConcept {
    id: String,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    es: Vec<String>,
}

/// An id given as a string or a number (CheckThat! uses both); `null` reads as empty, which
/// validation then rejects with the record's position.
pub(crate) fn id_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        S(String),
        U(u64),
        I(i64),
        Null(()),
    }
    Ok(match Id::deserialize(d)? {
        Id::S(s) => s,
        Id::U(n) => n.to_string(),
        Id::I(n) => n.to_string(),
        Id::Null(()) => String::new(),
    })
}

pub(super) fn load(path: &Path) -> Result<KnowledgeBase, KbError> {
    let file = File::open(path).map_err(|source| KbError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read(path, BufReader::new(file))
}

/// Reads the flat format from `reader`; errors name `path` and the line.
pub(super) fn read(path: &Path, reader: impl BufRead) -> Result<KnowledgeBase, KbError> {
    let mut narratives: Vec<Narrative> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, line) in reader.lines().enumerate() {
        let line_error = |message: String| KbError::Line {
            path: path.to_path_buf(),
            line: i + 1,
            message,
        };
        let line = line.map_err(|e| line_error(e.to_string()))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: FlatRecord =
            serde_json::from_str(&line).map_err(|e| line_error(e.to_string()))?;
        let narrative_id = record.narrative_id.clone().unwrap_or(record.id.clone());
        let claim = Claim {
            id: record.id.clone(),
            text: record.text.clone(),
            title: record.title.clone().unwrap_or_default(),
            subtitle: record.subtitle.unwrap_or_default(),
            claimant: String::new(),
            date: record.date.unwrap_or_default(),
            provenance: Provenance {
                outlet: record.author.unwrap_or_default(),
                title: record.title.clone().unwrap_or_default(),
                url: record.url.unwrap_or_default(),
                ..Provenance::default()
            },
            ..Claim::default()
        };
        let slot = *by_id.entry(narrative_id.clone()).or_insert_with(|| {
            narratives.push(Narrative {
                id: narrative_id,
                title: record
                    .title
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or(record.text),
                ..Narrative::default()
            });
            narratives.len() - 1
        });
        let narrative = &mut narratives[slot];
        narrative.claims.push(claim);
        if !record.concepts.is_empty() {
            if !narrative.concepts.is_empty() {
                return Err(line_error(format!(
                    "narrative {:?} already has its concepts from an earlier line",
                    narrative.id
                )));
            }
            narrative.concepts = record
                .concepts
                .into_iter()
                .map(|c| Concept {
                    id: c.id,
                    en: c.en,
                    es: c.es,
                })
                .collect();
        }
    }
    KnowledgeBase::from_parts(path, narratives, Vec::new(), false)
}
