//! The shipped knowledge base, built into the binary: the files of `index/` as they were when it
//! was compiled (`build.rs` lists them), so `counterclaim` needs no checkout to run.

use std::path::{Path, PathBuf};

use super::native::{self, Files};
use super::{KbError, KnowledgeBase};

include!(concat!(env!("OUT_DIR"), "/index_files.rs"));

/// Where the files were, relative to the crate; errors name them so.
const ORIGIN: &str = "index";

pub(super) fn load() -> Result<KnowledgeBase, KbError> {
    native::load_from(Path::new(ORIGIN), &BuiltIn)
}

struct BuiltIn;

impl Files for BuiltIn {
    fn read(&self, path: &Path) -> Result<String, KbError> {
        INDEX_FILES
            .iter()
            .find(|(name, _)| Path::new(name) == path)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| KbError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "not among the knowledge-base files built into the binary",
                ),
            })
    }

    fn toml_files(&self, dir: &Path) -> Result<Vec<PathBuf>, KbError> {
        // Sorted by build.rs.
        Ok(INDEX_FILES
            .iter()
            .map(|(name, _)| Path::new(name))
            .filter(|path| path.parent() == Some(dir))
            .map(Path::to_path_buf)
            .collect())
    }
}
