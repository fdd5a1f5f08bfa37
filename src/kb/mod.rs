//! The knowledge base: narratives, the documented claims that make them up, and the official
//! statements that rebut them.
//!
//! Two formats load into the same [`KnowledgeBase`]:
//! - a directory in the native, human-editable TOML format ([`native`], documented in
//!   `index/README.md`), which is what ships in `index/`;
//! - a flat JSONL file of fact-checked claims ([`flat`]), one claim a line, for fact-check
//!   collections such as CheckThat!'s.
//!
//! Loading validates everything ([`validate`]) and fails with an error naming the file and the
//! item, so a curator's typo never reaches a running service.

mod builtin;
mod edit;
pub mod export;
mod flat;
pub mod import;
mod model;
mod native;
mod validate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use edit::DocumentFormat;
pub(crate) use flat::id_string;
pub use model::{Claim, Concept, Narrative, OfficialStatement, Provenance};
pub use validate::{MAX_CONCEPTS, MIN_STANDALONE_WORDS};

/// What can go wrong while loading a knowledge base. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}:{line}: {message}")]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: {item}: {message}")]
    Invalid {
        path: PathBuf,
        item: String,
        message: String,
    },
}

/// A loaded, validated knowledge base. Immutable once built; share it behind an `Arc`.
#[derive(Debug)]
pub struct KnowledgeBase {
    narratives: Vec<Narrative>,
    statements: Vec<OfficialStatement>,
    narrative_index: HashMap<String, usize>,
    statement_index: HashMap<String, usize>,
    version: String,
    /// Whether every narrative must have a statement that rebuts it (curated knowledge bases;
    /// not fact-check collections), kept so that writes are validated as loading was.
    requires_statements: bool,
}

impl KnowledgeBase {
    /// Loads a knowledge base: a directory is the native TOML format, a `.jsonl` file the flat
    /// one.
    pub fn load(path: &Path) -> Result<Self, KbError> {
        if path.is_dir() {
            native::load(path)
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            flat::load(path)
        } else if path.exists() {
            Err(KbError::Parse {
                path: path.to_path_buf(),
                message: "expected a directory (native format) or a .jsonl file (flat format)"
                    .into(),
            })
        } else {
            Err(KbError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            })
        }
    }

    /// Reads the flat JSONL format from `reader` (what [`load`](Self::load) does with a `.jsonl`
    /// file); `origin` names it in errors.
    pub fn read_flat(origin: &Path, reader: impl std::io::BufRead) -> Result<Self, KbError> {
        flat::read(origin, reader)
    }

    /// Loads the native format from files held in memory, as `(path, text)` pairs whose paths
    /// lie under `dir` (`dir/sources.toml`, `dir/narratives/x.toml`, …): what
    /// [`load`](Self::load) does with a directory.
    pub fn from_native_files(dir: &Path, files: &[(&str, &str)]) -> Result<Self, KbError> {
        native::load_from(
            dir,
            &native::InMemory {
                files,
                missing: "no such file among those given",
            },
        )
    }

    /// The shipped knowledge base (`index/`), as the binary was built with it: loading it
    /// needs no file.
    pub fn built_in() -> Result<Self, KbError> {
        builtin::load()
    }

    /// Builds a knowledge base from parts, validating it. `origin` names the file or directory in
    /// errors. Narratives are kept in natural id order (`claim-2` before `claim-10`), so listings
    /// read as people number things and matching is deterministic: two narratives that score
    /// exactly the same rank in this order.
    pub fn from_parts(
        origin: &Path,
        mut narratives: Vec<Narrative>,
        statements: Vec<OfficialStatement>,
        require_statements: bool,
    ) -> Result<Self, KbError> {
        narratives.sort_by(|a, b| {
            alphanumeric_sort::compare_str(&a.id, &b.id).then_with(|| a.id.cmp(&b.id))
        });
        validate::check(origin, &narratives, &statements, require_statements)?;
        for narrative in &mut narratives {
            narrative.statement_ids = statements
                .iter()
                .filter(|s| s.rebuts.contains(&narrative.id))
                .map(|s| s.id.clone())
                .collect();
        }
        let narrative_index = index_by_id(narratives.iter().map(|n| n.id.as_str()));
        let statement_index = index_by_id(statements.iter().map(|s| s.id.as_str()));
        let version = content_hash(&narratives, &statements);
        Ok(Self {
            narratives,
            statements,
            narrative_index,
            statement_index,
            version,
            requires_statements: require_statements,
        })
    }

    /// The content hash that names this exact knowledge base in every response, e.g.
    /// `kb-3f2a…` (16 hex digits of SHA-256 over the canonical JSON of its content).
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn narratives(&self) -> &[Narrative] {
        &self.narratives
    }

    pub fn statements(&self) -> &[OfficialStatement] {
        &self.statements
    }

    pub fn narrative(&self, id: &str) -> Option<&Narrative> {
        self.narrative_index.get(id).map(|&i| &self.narratives[i])
    }

    pub fn statement(&self, id: &str) -> Option<&OfficialStatement> {
        self.statement_index.get(id).map(|&i| &self.statements[i])
    }

    /// The official statements that rebut a narrative, in knowledge-base order.
    pub fn statements_for<'a>(
        &'a self,
        narrative: &'a Narrative,
    ) -> impl Iterator<Item = &'a OfficialStatement> + 'a {
        narrative
            .statement_ids
            .iter()
            .filter_map(|id| self.statement(id))
    }

    /// What a curator should fix though loading accepts it (`counterclaim kb check` prints it):
    /// official statements too short to stand alone without a `context`.
    pub fn warnings(&self) -> Vec<String> {
        validate::warnings(&self.statements)
    }

    /// Whether it was loaded as a curated knowledge base, where every narrative needs an official
    /// statement that rebuts it.
    pub fn requires_statements(&self) -> bool {
        self.requires_statements
    }

    pub fn claim_count(&self) -> usize {
        self.narratives.iter().map(|n| n.claims.len()).sum()
    }
}

fn index_by_id<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.to_owned(), i)).collect()
}

fn content_hash(narratives: &[Narrative], statements: &[OfficialStatement]) -> String {
    let mut hasher = Sha256::new();
    // serde_json of plain structs is deterministic (field order is declaration order).
    hasher.update(serde_json::to_vec(narratives).unwrap_or_default());
    hasher.update(serde_json::to_vec(statements).unwrap_or_default());
    let digest = hasher.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("kb-{hex}")
}

#[cfg(test)]
mod tests;
