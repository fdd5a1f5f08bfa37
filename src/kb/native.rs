//! The native knowledge-base format: a directory of TOML files, reviewed in diffs.
//!
//! ```text
//! index/sources.toml          [[source]]     the reports claims and statements are taken from
//! index/statements.toml       [[statement]]  official statements, each naming what it `rebuts`
//! index/narratives/*.toml     one narrative a file, with its [[claim]]s and `variants`
//! ```
//! `index/README.md` documents every field for curators.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Claim, Concept, KbError, KnowledgeBase, Narrative, OfficialStatement, Provenance};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(default)]
    source: Vec<SourceRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceRecord {
    id: String,
    outlet: String,
    title: String,
    #[serde(default)]
    file: String,
    #[serde(default)]
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementsFile {
    #[serde(default)]
    statement: Vec<StatementRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatementRecord {
    id: String,
    speaker: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    date_note: String,
    #[serde(default)]
    published_in: String,
    quote: String,
    #[serde(default)]
    context: String,
    /// Required in `statements.toml` (validation says so when it is empty); a narrative
    /// document's statements default to rebutting its narrative.
    #[serde(default)]
    pub(super) rebuts: Vec<String>,
    source: String,
    #[serde(default)]
    passage: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NarrativeFile {
    pub(super) id: String,
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    variants: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    threshold: Option<f32>,
    #[serde(default)]
    concept: Vec<ConceptRecord>,
    #[serde(default)]
    exclusion: Vec<ConceptRecord>,
    #[serde(default)]
    claim: Vec<ClaimRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptRecord {
    id: String,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    es: Vec<String>,
}

impl From<ConceptRecord> for Concept {
    fn from(c: ConceptRecord) -> Concept {
        Concept {
            id: c.id,
            en: c.en,
            es: c.es,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimRecord {
    id: String,
    text: String,
    #[serde(default)]
    claimant: String,
    #[serde(default)]
    claimant_role: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    date_note: String,
    #[serde(default)]
    venue: String,
    source: String,
    #[serde(default)]
    passage: String,
}

pub(super) fn load(dir: &Path) -> Result<KnowledgeBase, KbError> {
    load_from(dir, &Disk)
}

/// Loads the knowledge base whose files `files` holds under `dir`.
pub(super) fn load_from(dir: &Path, files: &dyn Files) -> Result<KnowledgeBase, KbError> {
    let sources_path = dir.join("sources.toml");
    let sources: SourcesFile = read_toml(files, &sources_path)?;
    let sources = Sources::new(sources.source, std::iter::empty());
    let statements_path = dir.join("statements.toml");
    let statements: StatementsFile = read_toml(files, &statements_path)?;
    let statements = statements
        .statement
        .into_iter()
        .map(|s| statement(&statements_path, s, &sources))
        .collect::<Result<Vec<_>, KbError>>()?;
    let mut narratives = Vec::new();
    for path in files.toml_files(&dir.join("narratives"))? {
        let file: NarrativeFile = read_toml(files, &path)?;
        narratives.push(narrative(&path, file, &sources)?);
    }
    KnowledgeBase::from_parts(dir, narratives, statements, true)
}

/// The reports claims and statements quote, by id: a file's `[[source]]`s, and those a
/// knowledge base already names (for a narrative document that refers to them by id).
pub(super) struct Sources(HashMap<String, Provenance>);

impl Sources {
    pub(super) fn new(records: Vec<SourceRecord>, known: impl Iterator<Item = Provenance>) -> Self {
        let mut sources: HashMap<String, Provenance> = known
            .map(|p| {
                (
                    p.source_id.clone(),
                    Provenance {
                        passage: String::new(),
                        ..p
                    },
                )
            })
            .collect();
        for s in records {
            let provenance = Provenance {
                source_id: s.id.clone(),
                outlet: s.outlet,
                title: s.title,
                passage: String::new(),
                url: s.url,
                file: s.file,
            };
            sources.insert(s.id, provenance);
        }
        Self(sources)
    }

    fn provenance(
        &self,
        path: &Path,
        item: &str,
        source: &str,
        passage: String,
    ) -> Result<Provenance, KbError> {
        let known = self.0.get(source).ok_or_else(|| KbError::Invalid {
            path: path.to_path_buf(),
            item: item.to_owned(),
            message: format!("unknown source {source:?} (not in sources.toml)"),
        })?;
        Ok(Provenance {
            passage,
            ..known.clone()
        })
    }
}

pub(super) fn statement(
    path: &Path,
    s: StatementRecord,
    sources: &Sources,
) -> Result<OfficialStatement, KbError> {
    let item = format!("statement {:?}", s.id);
    Ok(OfficialStatement {
        provenance: sources.provenance(path, &item, &s.source, s.passage)?,
        id: s.id,
        speaker: s.speaker,
        role: s.role,
        agency: s.agency,
        date: s.date,
        date_note: s.date_note,
        published_in: s.published_in,
        quote: s.quote,
        context: s.context,
        rebuts: s.rebuts,
    })
}

pub(super) fn narrative(
    path: &Path,
    file: NarrativeFile,
    sources: &Sources,
) -> Result<Narrative, KbError> {
    let claims = file
        .claim
        .into_iter()
        .map(|c| {
            let item = format!("claim {:?}", c.id);
            Ok(Claim {
                provenance: sources.provenance(path, &item, &c.source, c.passage)?,
                id: c.id,
                text: c.text,
                claimant: c.claimant,
                claimant_role: c.claimant_role,
                date: c.date,
                date_note: c.date_note,
                venue: c.venue,
                ..Claim::default()
            })
        })
        .collect::<Result<Vec<_>, KbError>>()?;
    Ok(Narrative {
        id: file.id,
        title: file.title,
        summary: file.summary,
        context: file.context,
        variants: file.variants,
        keywords: file.keywords,
        concepts: file.concept.into_iter().map(Concept::from).collect(),
        exclusions: file.exclusion.into_iter().map(Concept::from).collect(),
        claims,
        statement_ids: Vec::new(),
        threshold: file.threshold,
    })
}

/// Where the files of a native knowledge base are read from: a directory ([`Disk`]), or files
/// held in memory ([`InMemory`]: the copy of `index/` built into the binary, or a fuzz input).
/// Read every file through it, never `fs` directly, so that both load the same.
pub(super) trait Files {
    fn read(&self, path: &Path) -> Result<String, KbError>;
    /// The `.toml` files of `dir`, sorted so loading is deterministic.
    fn toml_files(&self, dir: &Path) -> Result<Vec<PathBuf>, KbError>;
}

/// The file system.
struct Disk;

/// Files inside a knowledge-base folder must be its own: a link could make a parse error print
/// the first line of any file the server can read.
fn refuse_link(path: &Path) -> Result<(), KbError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(KbError::Parse {
            path: path.to_path_buf(),
            message: "is a symbolic link; a knowledge base's files must be inside its folder"
                .to_owned(),
        }),
        _ => Ok(()),
    }
}

impl Files for Disk {
    fn read(&self, path: &Path) -> Result<String, KbError> {
        refuse_link(path)?;
        fs::read_to_string(path).map_err(|source| KbError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    fn toml_files(&self, dir: &Path) -> Result<Vec<PathBuf>, KbError> {
        let io = |source| KbError::Io {
            path: dir.to_path_buf(),
            source,
        };
        refuse_link(dir)?;
        let mut files = Vec::new();
        for entry in fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
        files.sort();
        Ok(files)
    }
}

/// Files held in memory as `(path, text)` pairs, paths such as `index/narratives/x.toml`.
pub(super) struct InMemory<'a> {
    pub files: &'a [(&'a str, &'a str)],
    /// Why a file is not there, for the error that names it.
    pub missing: &'static str,
}

impl Files for InMemory<'_> {
    fn read(&self, path: &Path) -> Result<String, KbError> {
        self.files
            .iter()
            .find(|(name, _)| Path::new(name) == path)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| KbError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, self.missing),
            })
    }

    fn toml_files(&self, dir: &Path) -> Result<Vec<PathBuf>, KbError> {
        let mut files: Vec<PathBuf> = self
            .files
            .iter()
            .map(|(name, _)| Path::new(name))
            .filter(|path| path.parent() == Some(dir) && path.extension() == Some("toml".as_ref()))
            .map(Path::to_path_buf)
            .collect();
        files.sort();
        Ok(files)
    }
}

fn read_toml<T: serde::de::DeserializeOwned>(files: &dyn Files, path: &Path) -> Result<T, KbError> {
    let text = files.read(path)?;
    toml::from_str(&text).map_err(|e| KbError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}
