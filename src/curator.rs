//! Knowledge-base writes while serving. Each write, one at a time: the change is applied to the
//! knowledge base being served and validated like `counterclaim kb check`; the new matcher is
//! built (index and embeddings) while the old one keeps serving; the version is stored durably
//! in the data directory; only then is it swapped in ([`LiveMatcher::replace`]) and the write
//! acknowledged, with an audit log line. A write that fails at any step changes nothing.
//!
//! Transports (the admin service) call it on a blocking thread: building a matcher takes a
//! while.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::Error;
use crate::kb::{DocumentFormat, KbError, KnowledgeBase, import};
use crate::limits::MAX_DOCUMENT_BYTES;
use crate::live::LiveMatcher;
use crate::store::versions::{VersionInfo, Versions};

pub struct Curator {
    live: Arc<LiveMatcher>,
    versions: Versions,
    /// Where entry embeddings are cached, so a rollback to a version seen before is quick.
    cache_dir: Option<PathBuf>,
    /// Held through a write, so writes go one at a time.
    writing: Mutex<()>,
    /// The stored version being served.
    current: AtomicU64,
}

/// What a write did.
#[derive(Debug, Clone)]
pub struct Written {
    /// The knowledge-base versions (content hashes) before and after; equal if nothing changed.
    pub before: String,
    pub after: String,
    /// The stored version being served after the write.
    pub sequence: u64,
    pub narratives: usize,
    pub statements: usize,
    /// What `kb check` would warn about, and what an import skipped.
    pub warnings: Vec<String>,
}

impl Curator {
    /// `live` serves version `sequence` of `versions`.
    pub fn new(
        live: Arc<LiveMatcher>,
        versions: Versions,
        sequence: u64,
        cache_dir: Option<PathBuf>,
    ) -> Self {
        Self {
            live,
            versions,
            cache_dir,
            writing: Mutex::new(()),
            current: AtomicU64::new(sequence),
        }
    }

    pub fn live(&self) -> &Arc<LiveMatcher> {
        &self.live
    }

    /// Adds or replaces the narrative a document describes (see [`KnowledgeBase::with_narrative_document`]).
    pub fn put_narrative(
        &self,
        document: &str,
        format: DocumentFormat,
        if_version: &str,
        key_name: &str,
    ) -> Result<Written, Error> {
        check_size(document)?;
        self.write(if_version, key_name, |kb| {
            let (kb, id) = kb
                .with_narrative_document(document, format)
                .map_err(invalid_document)?;
            Ok((kb, format!("put narrative {id}"), Vec::new()))
        })
    }

    /// Removes a narrative and the statements that rebutted it alone.
    pub fn delete_narrative(
        &self,
        narrative_id: &str,
        if_version: &str,
        key_name: &str,
    ) -> Result<Written, Error> {
        self.write(if_version, key_name, |kb| {
            if kb.narrative(narrative_id).is_none() {
                return Err(Error::NotFound {
                    what: "narrative",
                    id: narrative_id.to_owned(),
                });
            }
            if kb.narratives().len() == 1 {
                return Err(Error::Conflict(format!(
                    "{narrative_id:?} is the last narrative; a knowledge base is never empty"
                )));
            }
            let kb = kb.without_narrative(narrative_id)?;
            Ok((kb, format!("delete narrative {narrative_id}"), Vec::new()))
        })
    }

    /// Imports a ClaimReview document; narratives with an id already here are replaced.
    pub fn import_claimreview(
        &self,
        document: &str,
        if_version: &str,
        key_name: &str,
    ) -> Result<Written, Error> {
        check_size(document)?;
        self.write(if_version, key_name, |kb| {
            let value: serde_json::Value = serde_json::from_str(document)
                .map_err(|e| Error::invalid("document", format!("not JSON: {e}")))?;
            let imported = import::claimreview::from_value(&value);
            if imported.narratives.is_empty() {
                return Err(Error::invalid("document", "no ClaimReview in it"));
            }
            let skipped = (imported.skipped.iter())
                .map(|s| format!("skipped {}: {}", s.position, s.message))
                .collect();
            let kb = kb.merged(&imported).map_err(invalid_document)?;
            Ok((kb, "import claimreview".to_owned(), skipped))
        })
    }

    /// Serves stored version `sequence` again, as a new version.
    pub fn rollback(
        &self,
        sequence: u64,
        if_version: &str,
        key_name: &str,
    ) -> Result<Written, Error> {
        self.write(if_version, key_name, |_| {
            let (_, kb) = self
                .versions
                .get(sequence)?
                .ok_or_else(|| Error::NotFound {
                    what: "version",
                    id: sequence.to_string(),
                })?;
            Ok((kb, format!("rollback to {sequence}"), Vec::new()))
        })
    }

    /// The stored versions, newest first, and the one being served.
    pub fn versions(&self) -> Result<(Vec<VersionInfo>, u64), Error> {
        Ok((self.versions.list()?, self.current.load(Ordering::Acquire)))
    }

    fn write(
        &self,
        if_version: &str,
        key_name: &str,
        change: impl FnOnce(&KnowledgeBase) -> Result<(KnowledgeBase, String, Vec<String>), Error>,
    ) -> Result<Written, Error> {
        let _one_at_a_time = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let served = self.live.snapshot();
        let before = served.kb().version().to_owned();
        if !if_version.is_empty() && if_version != before {
            return Err(Error::Conflict(format!(
                "if_version: the knowledge base is at {before}, not {if_version}"
            )));
        }
        let (kb, action, mut warnings) = change(served.kb())?;
        warnings.extend(kb.warnings());
        let mut written = Written {
            before: before.clone(),
            after: kb.version().to_owned(),
            sequence: self.current.load(Ordering::Acquire),
            narratives: kb.narratives().len(),
            statements: kb.statements().len(),
            warnings,
        };
        if written.after == before {
            return Ok(written);
        }
        let kb = Arc::new(kb);
        let matcher = served.for_knowledge_base(kb.clone(), self.cache_dir.as_deref())?;
        written.warnings.extend_from_slice(matcher.alias_warnings());
        let stored = self.versions.write(&kb, &action, key_name)?;
        self.live.replace(matcher);
        self.current.store(stored.sequence, Ordering::Release);
        written.sequence = stored.sequence;
        tracing::info!(
            target: "counterclaim::audit",
            key = key_name,
            action,
            before,
            after = written.after,
            sequence = stored.sequence,
            "knowledge base changed"
        );
        Ok(written)
    }
}

fn check_size(document: &str) -> Result<(), Error> {
    if document.len() > MAX_DOCUMENT_BYTES {
        let reason = format!("longer than {MAX_DOCUMENT_BYTES} bytes");
        return Err(Error::invalid("document", reason));
    }
    Ok(())
}

/// A document that does not load or validate is the client's mistake: INVALID_ARGUMENT with
/// what is wrong, item and field.
fn invalid_document(error: KbError) -> Error {
    let reason = match error {
        KbError::Invalid { item, message, .. } => format!("{item}: {message}"),
        other => other.to_string(),
    };
    Error::invalid("document", reason)
}
