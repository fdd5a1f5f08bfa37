//! Error type for loading and running the sentence embedder.

use std::path::PathBuf;

/// Boxed underlying cause of an [`EmbedError::InvalidFile`].
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong while loading or running the [`Embedder`](super::Embedder).
///
/// Loading never panics: a missing, truncated or malformed model file is
/// reported as [`EmbedError::MissingFile`], [`EmbedError::Io`] or
/// [`EmbedError::InvalidFile`], always naming the offending path.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A required model file does not exist.
    #[error("model file not found: {}", path.display())]
    MissingFile { path: PathBuf },

    /// A model file exists but could not be read.
    #[error("cannot read model file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A model file was read but its contents are unusable (bad JSON, bad
    /// safetensors header, missing tensors, wrong tensor shapes, ...).
    #[error("invalid model file {}: {source}", path.display())]
    InvalidFile {
        path: PathBuf,
        #[source]
        source: Cause,
    },

    /// A tensor operation failed while embedding.
    #[error("embedding inference failed: {0}")]
    Candle(#[from] candle_core::Error),

    /// The tokenizer failed while embedding.
    #[error("tokenization failed: {0}")]
    Tokenizer(#[source] tokenizers::Error),
}

impl EmbedError {
    /// Wraps `source` as an [`EmbedError::InvalidFile`] for `path`.
    pub(crate) fn invalid(path: impl Into<PathBuf>, source: impl Into<Cause>) -> Self {
        EmbedError::InvalidFile {
            path: path.into(),
            source: source.into(),
        }
    }
}

/// Drops the backtrace candle attaches when `RUST_BACKTRACE` is set, so a
/// bad-file message stays one line (the backtrace points into candle, not at
/// the file problem).
pub(crate) fn without_backtrace(mut e: candle_core::Error) -> candle_core::Error {
    while let candle_core::Error::WithBacktrace { inner, .. } = e {
        e = *inner;
    }
    e
}
