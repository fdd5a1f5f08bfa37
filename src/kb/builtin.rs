//! The shipped knowledge base, built into the binary: the files of `index/` as they were when it
//! was compiled (`build.rs` lists them), so `counterclaim` needs no checkout to run.

use std::path::Path;

use super::native::{self, InMemory};
use super::{KbError, KnowledgeBase};

include!(concat!(env!("OUT_DIR"), "/index_files.rs"));

/// Where the files were, relative to the crate; errors name them so.
const ORIGIN: &str = "index";

pub(super) fn load() -> Result<KnowledgeBase, KbError> {
    native::load_from(
        Path::new(ORIGIN),
        &InMemory {
            files: INDEX_FILES,
            missing: "not among the knowledge-base files built into the binary",
        },
    )
}
