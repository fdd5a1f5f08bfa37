//! Changes to a knowledge base while it is served: a narrative put (added or replaced) from a
//! document in the native format, a narrative deleted, an import merged. Each builds a new,
//! validated knowledge base; the one being served never changes.
//!
//! A narrative document is a narrative file of the native format (`index/narratives/*.toml`)
//! that may also hold the `[[statement]]`s that rebut it and the `[[source]]`s they quote, as in
//! `statements.toml` and `sources.toml`; TOML or the same fields in JSON. A statement's `rebuts`
//! defaults to the document's narrative, and a source the knowledge base already cites may be
//! named by its id without being repeated.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::import::Imported;
use super::native::{self, NarrativeFile, SourceRecord, Sources, StatementRecord};
use super::{KbError, KnowledgeBase, Narrative, OfficialStatement};

/// How a narrative document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    Toml,
    Json,
}

/// What errors about a document name as its file.
const DOCUMENT: &str = "document";

/// The sections a narrative document has besides a narrative file's own.
#[derive(Deserialize, Default)]
struct Attached {
    #[serde(default)]
    statement: Vec<StatementRecord>,
    #[serde(default)]
    source: Vec<SourceRecord>,
}

impl KnowledgeBase {
    /// This knowledge base with the document's narrative added, or replacing the narrative of
    /// the same id. The narrative's statements become the document's: a statement given is added
    /// or replaced by id; one that rebutted this narrative and is not given no longer does (and
    /// is removed if it rebutted nothing else). Returns the new knowledge base and the
    /// narrative's id.
    pub fn with_narrative_document(
        &self,
        text: &str,
        format: DocumentFormat,
    ) -> Result<(KnowledgeBase, String), KbError> {
        let (file, attached) = parse(text, format)?;
        let path = Path::new(DOCUMENT);
        let known = self
            .narratives
            .iter()
            .flat_map(|n| n.claims.iter().map(|c| c.provenance.clone()))
            .chain(self.statements.iter().map(|s| s.provenance.clone()));
        let sources = Sources::new(attached.source, known);
        let narrative = native::narrative(path, file, &sources)?;
        let id = narrative.id.clone();
        let given = (attached.statement.into_iter())
            .map(|mut record| {
                if record.rebuts.is_empty() {
                    record.rebuts = vec![id.clone()];
                }
                native::statement(path, record, &sources)
            })
            .collect::<Result<Vec<_>, KbError>>()?;
        let given_ids: HashSet<&str> = given.iter().map(|s| s.id.as_str()).collect();
        let kept = self
            .statements
            .iter()
            .filter(|s| !given_ids.contains(s.id.as_str()))
            .cloned();
        let statements = without_rebuttal(kept, &id)
            .chain(given.iter().cloned())
            .collect();
        let narratives = (self.narratives.iter())
            .filter(|n| n.id != id)
            .cloned()
            .chain([narrative])
            .collect();
        let kb = Self::from_parts(path, narratives, statements, self.requires_statements)?;
        Ok((kb, id))
    }

    /// This knowledge base without narrative `id`, and without the statements that rebutted it
    /// alone. Validation refuses to leave it empty.
    pub fn without_narrative(&self, id: &str) -> Result<KnowledgeBase, KbError> {
        let narratives = (self.narratives.iter())
            .filter(|n| n.id != id)
            .cloned()
            .collect();
        let statements = without_rebuttal(self.statements.iter().cloned(), id).collect();
        Self::from_parts(
            Path::new(DOCUMENT),
            narratives,
            statements,
            self.requires_statements,
        )
    }

    /// This knowledge base with an import's narratives and statements added; those with an id
    /// already here replace the old ones.
    pub fn merged(&self, imported: &Imported) -> Result<KnowledgeBase, KbError> {
        let narrative_ids: HashSet<&str> =
            imported.narratives.iter().map(|n| n.id.as_str()).collect();
        let statement_ids: HashSet<&str> =
            imported.statements.iter().map(|s| s.id.as_str()).collect();
        let narratives: Vec<Narrative> = (self.narratives.iter())
            .filter(|n| !narrative_ids.contains(n.id.as_str()))
            .chain(&imported.narratives)
            .cloned()
            .collect();
        let statements: Vec<OfficialStatement> = (self.statements.iter())
            .filter(|s| !statement_ids.contains(s.id.as_str()))
            .chain(&imported.statements)
            .cloned()
            .collect();
        Self::from_parts(
            Path::new(DOCUMENT),
            narratives,
            statements,
            self.requires_statements,
        )
    }
}

/// The statements with narrative `id` taken out of what they rebut; those left rebutting
/// nothing are dropped.
fn without_rebuttal(
    statements: impl Iterator<Item = OfficialStatement>,
    id: &str,
) -> impl Iterator<Item = OfficialStatement> {
    statements.filter_map(move |mut s| {
        let before = s.rebuts.len();
        s.rebuts.retain(|r| r != id);
        (s.rebuts.len() == before || !s.rebuts.is_empty()).then_some(s)
    })
}

/// Splits a document into the narrative file and the sections attached to it, each checked for
/// unknown fields.
fn parse(text: &str, format: DocumentFormat) -> Result<(NarrativeFile, Attached), KbError> {
    let error = |message: String| KbError::Parse {
        path: DOCUMENT.into(),
        message,
    };
    match format {
        DocumentFormat::Toml => {
            let mut table: toml::Table = toml::from_str(text).map_err(|e| error(e.to_string()))?;
            let attached = toml::Table::from_iter(
                ["statement", "source"]
                    .into_iter()
                    .filter_map(|key| table.remove(key).map(|v| (key.to_owned(), v))),
            );
            let attached: Attached = attached.try_into().map_err(|e| error(e.to_string()))?;
            let file: NarrativeFile = table.try_into().map_err(|e| error(e.to_string()))?;
            Ok((file, attached))
        }
        DocumentFormat::Json => {
            let mut object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(text).map_err(|e| error(e.to_string()))?;
            let attached = serde_json::Map::from_iter(
                ["statement", "source"]
                    .into_iter()
                    .filter_map(|key| object.remove(key).map(|v| (key.to_owned(), v))),
            );
            let attached: Attached =
                serde_json::from_value(attached.into()).map_err(|e| error(e.to_string()))?;
            let file: NarrativeFile =
                serde_json::from_value(object.into()).map_err(|e| error(e.to_string()))?;
            Ok((file, attached))
        }
    }
}
