//! Knowledge-base versions in the data directory, one whole knowledge base a file:
//!
//! ```text
//! DATA_DIR/kb/00000042.jsonl    line 1: the header (VersionInfo), line 2: narratives and statements
//! ```
//!
//! A version is written to a temporary file, fsynced, renamed to its name and the directory
//! fsynced, so a crash leaves either the whole version or none of it; a stray temporary file
//! is removed at the next start. Start-up serves the newest version that reads back whole and
//! whose content hashes to the version in its header; one that does not (a disk fault) is
//! logged and skipped. The newest `keep` versions are kept.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::kb::{KnowledgeBase, Narrative, OfficialStatement};

/// What can go wrong with the data directory. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Corrupt { path: PathBuf, message: String },
    /// SQLite failed (the trend store).
    #[error("{path}: {message}")]
    Database { path: PathBuf, message: String },
}

/// A stored version, as `ListVersions` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub sequence: u64,
    /// The knowledge base's content hash (`kb-…`).
    pub kb_version: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub action: String,
    pub key_name: String,
    pub narratives: usize,
    pub requires_statements: bool,
}

#[derive(Serialize, Deserialize)]
struct Content {
    narratives: Vec<Narrative>,
    statements: Vec<OfficialStatement>,
}

/// The versions of one data directory.
pub struct Versions {
    dir: PathBuf,
    keep: usize,
}

impl Versions {
    /// Opens (creating it if needed) the versions folder of `data_dir`, keeping the newest `keep`
    /// versions (at least one).
    pub fn open(data_dir: &Path, keep: usize) -> Result<Self, StoreError> {
        let dir = data_dir.join("kb");
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        let versions = Self {
            dir,
            keep: keep.max(1),
        };
        for path in versions.files()?.temporary {
            tracing::warn!(file = %path.display(), "removing an unfinished knowledge-base version");
            fs::remove_file(&path).map_err(io(&path))?;
        }
        Ok(versions)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The newest version that reads back whole, or `None` in a new data directory. Versions that
    /// do not are logged and skipped.
    pub fn latest(&self) -> Result<Option<(VersionInfo, KnowledgeBase)>, StoreError> {
        for sequence in self.files()?.sequences.into_iter().rev() {
            match self.load(sequence) {
                Ok(version) => return Ok(Some(version)),
                Err(e) => tracing::error!(error = %e, "skipping a knowledge-base version"),
            }
        }
        Ok(None)
    }

    /// Reads version `sequence` back and checks it against its header; `Ok(None)` if it is not
    /// kept.
    pub fn get(&self, sequence: u64) -> Result<Option<(VersionInfo, KnowledgeBase)>, StoreError> {
        if !self.path(sequence).exists() {
            return Ok(None);
        }
        self.load(sequence).map(Some)
    }

    /// The versions kept, newest first (their headers only).
    pub fn list(&self) -> Result<Vec<VersionInfo>, StoreError> {
        let mut infos = Vec::new();
        for sequence in self.files()?.sequences.into_iter().rev() {
            let path = self.path(sequence);
            let mut lines = BufReader::new(File::open(&path).map_err(io(&path))?).lines();
            match header(&path, lines.next()) {
                Ok(info) => infos.push(info),
                Err(e) => tracing::error!(error = %e, "skipping a knowledge-base version"),
            }
        }
        Ok(infos)
    }

    /// Stores `kb` as the next version, durably, and prunes the oldest beyond `keep`.
    pub fn write(
        &self,
        kb: &KnowledgeBase,
        action: &str,
        key_name: &str,
    ) -> Result<VersionInfo, StoreError> {
        let sequence = self.files()?.sequences.last().map_or(1, |last| last + 1);
        let info = VersionInfo {
            sequence,
            kb_version: kb.version().to_owned(),
            created_at: super::now_rfc3339(),
            action: action.to_owned(),
            key_name: key_name.to_owned(),
            narratives: kb.narratives().len(),
            requires_statements: kb.requires_statements(),
        };
        let content = Content {
            narratives: kb.narratives().to_vec(),
            statements: kb.statements().to_vec(),
        };
        let path = self.path(sequence);
        let temporary = self.dir.join(format!(".{sequence:08}.tmp"));
        let corrupt = |e: serde_json::Error| StoreError::Corrupt {
            path: path.clone(),
            message: e.to_string(),
        };
        let mut bytes = serde_json::to_vec(&info).map_err(corrupt)?;
        bytes.push(b'\n');
        serde_json::to_writer(&mut bytes, &content).map_err(corrupt)?;
        bytes.push(b'\n');
        let mut file = File::create(&temporary).map_err(io(&temporary))?;
        file.write_all(&bytes).map_err(io(&temporary))?;
        file.sync_all().map_err(io(&temporary))?;
        drop(file);
        fs::rename(&temporary, &path).map_err(io(&path))?;
        sync_dir(&self.dir)?;
        self.prune()?;
        Ok(info)
    }

    fn prune(&self) -> Result<(), StoreError> {
        let sequences = self.files()?.sequences;
        let excess = sequences.len().saturating_sub(self.keep);
        for &sequence in &sequences[..excess] {
            let path = self.path(sequence);
            fs::remove_file(&path).map_err(io(&path))?;
        }
        Ok(())
    }

    fn load(&self, sequence: u64) -> Result<(VersionInfo, KnowledgeBase), StoreError> {
        let path = self.path(sequence);
        let corrupt = |message: String| StoreError::Corrupt {
            path: path.clone(),
            message,
        };
        let mut lines = BufReader::new(File::open(&path).map_err(io(&path))?).lines();
        let info = header(&path, lines.next())?;
        let content = lines
            .next()
            .ok_or_else(|| corrupt("no content line".into()))?
            .map_err(io(&path))?;
        let content: Content =
            serde_json::from_str(&content).map_err(|e| corrupt(format!("content: {e}")))?;
        let kb = KnowledgeBase::from_parts(
            &path,
            content.narratives,
            content.statements,
            info.requires_statements,
        )
        .map_err(|e| corrupt(e.to_string()))?;
        if kb.version() != info.kb_version {
            return Err(corrupt(format!(
                "content hashes to {}, the header says {}",
                kb.version(),
                info.kb_version
            )));
        }
        Ok((info, kb))
    }

    fn path(&self, sequence: u64) -> PathBuf {
        self.dir.join(format!("{sequence:08}.jsonl"))
    }

    /// The folder's versions, oldest first, and its unfinished temporary files.
    fn files(&self) -> Result<Files, StoreError> {
        let mut files = Files::default();
        for entry in fs::read_dir(&self.dir).map_err(io(&self.dir))? {
            let entry = entry.map_err(io(&self.dir))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if let Some(sequence) = name.strip_suffix(".jsonl").and_then(|n| n.parse().ok()) {
                files.sequences.push(sequence);
            } else if name.starts_with('.') && name.ends_with(".tmp") {
                files.temporary.push(entry.path());
            }
        }
        files.sequences.sort_unstable();
        Ok(files)
    }
}

#[derive(Default)]
struct Files {
    sequences: Vec<u64>,
    temporary: Vec<PathBuf>,
}

fn header(path: &Path, line: Option<std::io::Result<String>>) -> Result<VersionInfo, StoreError> {
    let corrupt = |message: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        message,
    };
    let line = line.ok_or_else(|| corrupt("empty".into()))?;
    let line = line.map_err(io(path))?;
    serde_json::from_str(&line).map_err(|e| corrupt(format!("header: {e}")))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> KnowledgeBase {
        KnowledgeBase::built_in().unwrap()
    }

    #[test]
    fn versions_read_back_whole_and_only_the_newest_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let versions = Versions::open(dir.path(), 2).unwrap();
        assert!(versions.latest().unwrap().is_none());
        let kb = kb();
        for action in ["seed", "second", "third"] {
            versions.write(&kb, action, "curator").unwrap();
        }
        let listed: Vec<(u64, String)> = (versions.list().unwrap().into_iter())
            .map(|v| (v.sequence, v.action))
            .collect();
        assert_eq!(listed, [(3, "third".to_owned()), (2, "second".to_owned())]);
        let (info, loaded) = versions.latest().unwrap().unwrap();
        assert_eq!(info.key_name, "curator");
        assert_eq!(loaded.version(), kb.version());
        assert_eq!(loaded.narratives(), kb.narratives());
        assert!(versions.get(1).unwrap().is_none());
    }

    #[test]
    fn a_damaged_version_is_skipped_and_an_unfinished_one_removed() {
        let dir = tempfile::tempdir().unwrap();
        let versions = Versions::open(dir.path(), 5).unwrap();
        let kb = kb();
        versions.write(&kb, "seed", "").unwrap();
        versions.write(&kb, "second", "").unwrap();
        // A bit flipped in the newest version's content: its hash no longer matches.
        let newest = versions.path(2);
        let text = fs::read_to_string(&newest).unwrap();
        fs::write(&newest, text.replacen("ballot", "ballet", 1)).unwrap();
        let stray = versions.dir().join(".00000003.tmp");
        fs::write(&stray, "half a vers").unwrap();
        let versions = Versions::open(dir.path(), 5).unwrap();
        assert!(!stray.exists());
        let (info, _) = versions.latest().unwrap().unwrap();
        assert_eq!(info.sequence, 1);
        let error = versions.get(2).err().unwrap().to_string();
        assert!(
            error.contains("00000002.jsonl") && error.contains("hashes to"),
            "{error}"
        );
    }
}
