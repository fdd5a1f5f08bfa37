//! Batch scoring: dumps of millions of posts (JSONL, CSV or TSV, optionally gzip- or
//! zstd-compressed) scored against the knowledge base, one output record per post.
//!
//! Three promises shape the design:
//!
//! - **Streaming, bounded memory.** A reader thread reads the inputs one record at a time and
//!   hands them over in chunks of at most [`CHUNK_POSTS`] posts ([`HYBRID_CHUNK_POSTS`] in
//!   hybrid mode) or [`CHUNK_BYTES`] bytes, through a channel a few chunks deep. A record
//!   longer than [`MAX_RECORD_BYTES`] is never held whole. Memory therefore depends on these
//!   constants, never on the size of the input.
//! - **Input order.** Each chunk is parsed and matched in parallel on a rayon pool of the run's
//!   own (not the global one), and its results are written in the order they were read. Chunks
//!   are taken in order, and inputs one after another, so the output lists the posts exactly as
//!   the inputs do.
//! - **Nothing dropped silently.** Every post read is either written, with its matches or the
//!   reason it has none, or skipped as a bad record: counted, written to the errors file, and
//!   logged (the first [`REPORTED_BAD_RECORDS`], then a count). `posts_read == written +
//!   skipped` always (blank JSONL lines are not posts, and not counted). In strict mode, the
//!   first bad record ends the run with [`BatchError::BadRecord`]. An input that cannot be read
//!   on (I/O, a truncated archive, a CSV header without the columns) ends the run with an error
//!   after the posts before it: never a silently short run. A CSV quote that swallows the lines
//!   after it makes its record bad, and the report names the lines. When no record of an
//!   input has been a post and the first line looks like another format, or every record fails
//!   for the same reason, the log says what the input looks like and which setting to change.
//!
//! Files:
//! - `input`: input formats, opening and decompressing inputs.
//! - `reader`: reading records (JSONL lines, CSV/TSV records) in bounded memory.
//! - `quotes`: catching CSV quotes that swallow the lines after them.
//! - `record`: a raw record → a [`Post`](crate::matcher::Post), or the reason it is bad.
//! - `output`: the JSONL and CSV writers, and the errors file.
//! - `run`: the pipeline itself ([`score`]).
//! - `progress`: the progress bar on stderr (also `counterclaim publish`'s).
//! - `summary`: the counts of a run ([`Summary`]).
//! - `verdict`: a record parsed and matched ([`score_records`]), for `run` and the NATS worker.

mod input;
mod output;
mod progress;
mod quotes;
mod reader;
mod record;
mod run;
mod summary;
mod verdict;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::matcher::MatchOptions;

pub use input::{InputFormat, decompress};
pub use output::{OutputFormat, ScoredWith, jsonl_record};
pub(crate) use progress::Progress;
pub use reader::{MAX_RECORD_BYTES, RecordReader};
pub use record::{Fields, RawRecord};
pub use run::{
    CHUNK_BYTES, CHUNK_POSTS, HYBRID_CHUNK_POSTS, MatchSink, REPORTED_BAD_RECORDS, score,
    score_with,
};
pub use summary::Summary;
pub use verdict::{RecordVerdict, score_records};

/// The records of one input, opened as `score` opens its inputs: the format from the name
/// unless given, compression from the name or the first bytes, [`STDIN`] for standard input.
pub fn read_input(
    path: &Path,
    format: Option<InputFormat>,
    fields: &Fields,
) -> Result<RecordReader<'static>, BatchError> {
    let source = input::Source::resolve(path, format)?;
    let src = source.open(Arc::default())?;
    RecordReader::new(src, source.format, &source.name, fields)
}

/// The name standing for standard input among [`ScoreConfig::inputs`].
pub const STDIN: &str = "-";

/// Everything a batch run needs besides the matcher.
#[derive(Debug, Clone)]
pub struct ScoreConfig {
    /// Read in this order; `-` is standard input.
    pub inputs: Vec<PathBuf>,
    /// `None`: from each input's extension (`.jsonl`, `.ndjson`, `.json`, `.csv`, `.tsv`, each
    /// optionally followed by `.gz` or `.zst`); standard input is JSONL.
    pub input_format: Option<InputFormat>,
    /// `None`: standard output.
    pub output: Option<PathBuf>,
    pub output_format: OutputFormat,
    /// The field (JSONL) or column (CSV/TSV) holding the post id: a string or a number.
    pub id_field: String,
    /// The field or column holding the post text: a string.
    pub text_field: String,
    /// Top-k is `max_matches`; a `min_score` of 0 keeps every top-k candidate whatever its score.
    pub options: MatchOptions,
    /// Scoring threads; `None` (or 0): one per core.
    pub threads: Option<usize>,
    /// Where to write bad records, as JSONL `{"input", "line", "error", "record"?}`.
    pub errors: Option<PathBuf>,
    /// Stop at the first bad record with [`BatchError::BadRecord`].
    pub strict: bool,
    /// Draw a progress bar on stderr.
    pub progress: bool,
}

impl ScoreConfig {
    /// Defaults for everything but the inputs: JSONL out to stdout, fields `id` and `text`,
    /// default match options, all cores, no errors file, not strict, no progress bar.
    pub fn new(inputs: Vec<PathBuf>) -> Self {
        Self {
            inputs,
            input_format: None,
            output: None,
            output_format: OutputFormat::Jsonl,
            id_field: "id".to_owned(),
            text_field: "text".to_owned(),
            options: MatchOptions::default(),
            threads: None,
            errors: None,
            strict: false,
            progress: false,
        }
    }

    /// Checks the settings and resolves the inputs, before anything is written.
    fn check(&self) -> Result<Vec<input::Source>, BatchError> {
        let config_error = |m: String| Err(BatchError::Config(m));
        if self.inputs.is_empty() {
            return config_error("no inputs: give files, or - for standard input".to_owned());
        }
        if let Err(e) = self.options.validate() {
            return config_error(format!("match options: {e}"));
        }
        if self.id_field.is_empty() || self.text_field.is_empty() {
            return config_error("the id and text fields must be named".to_owned());
        }
        if self.id_field == self.text_field {
            return config_error(format!(
                "the id and text fields are both {:?}",
                self.id_field
            ));
        }
        let sources: Vec<input::Source> = self
            .inputs
            .iter()
            .map(|p| input::Source::resolve(p, self.input_format))
            .collect::<Result<_, _>>()?;
        let is_input = |target: &Path| {
            sources
                .iter()
                .filter_map(|s| s.path.as_deref())
                .any(|input| same_file(target, input))
        };
        for (what, target) in [("output", &self.output), ("errors file", &self.errors)] {
            if let Some(target) = target
                && is_input(target)
            {
                return config_error(format!("the {what} {} is also an input", target.display()));
            }
        }
        if let (Some(output), Some(errors)) = (&self.output, &self.errors)
            && same_file(output, errors)
        {
            return config_error(format!(
                "the errors file {} is also the output",
                errors.display()
            ));
        }
        Ok(sources)
    }
}

/// Checks a run's settings and inputs (each exists and has a known format) without reading
/// them, so a caller can fail before building the matcher; [`score`] checks them again.
pub fn check(config: &ScoreConfig) -> Result<(), BatchError> {
    config.check().map(drop)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Why a batch run failed. Bad records only fail a run in strict mode; otherwise they are
/// skipped and counted.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// Opening, reading, decompressing or writing a file (or stdin/stdout) failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A bad record, in strict mode. `line` is 1-based; for CSV, the line the record starts on.
    #[error("{input}, line {line}: {message}")]
    BadRecord {
        input: String,
        line: u64,
        message: String,
    },
    /// An input that cannot be read past this point: a CSV header without the id or text
    /// column, or a CSV record running past [`MAX_RECORD_BYTES`] (usually an unclosed quote).
    #[error("{input}, line {line}: {message}")]
    BadInput {
        input: String,
        line: u64,
        message: String,
    },
    /// The run's settings are unusable: no inputs, an unknown input format, invalid match
    /// options, an output that would overwrite an input.
    #[error("{0}")]
    Config(String),
    /// The matcher failed on a valid post: an internal fault, not the input's.
    #[error("{input}, line {line}: matching failed: {source}")]
    Match {
        input: String,
        line: u64,
        source: crate::Error,
    },
}

impl BatchError {
    fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        BatchError::Io {
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests;
