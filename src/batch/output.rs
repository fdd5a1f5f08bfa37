//! Writing results, one record per post (JSONL) or one row per match (CSV), and the errors file.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;

use super::BatchError;
use crate::matcher::MatchOutcome;

const BUFFER_BYTES: usize = 256 * 1024;

/// The header of CSV output.
pub const CSV_HEADER: [&str; 7] = [
    "id",
    "narrative_id",
    "score",
    "stance",
    "claim_id",
    "statement_ids",
    "reason",
];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// One object per post: `{"id", "matches": [{"narrative_id", "score", "stance",
    /// "claim_id", "statement_ids"}], "reason"}`, `reason` only when there is no match.
    #[default]
    Jsonl,
    /// `id,narrative_id,score,stance,claim_id,statement_ids,reason`: one row per match, or one
    /// row with empty match columns and the reason when there is none. Statement ids are
    /// joined with `;`.
    Csv,
}

impl OutputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Csv => "csv",
        }
    }
}

impl FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" => Ok(OutputFormat::Jsonl),
            "csv" => Ok(OutputFormat::Csv),
            other => Err(format!("unknown output format {other:?}: use jsonl or csv")),
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A score as written: 4 decimals are all the calibration means.
fn rounded(score: f32) -> f32 {
    (score * 10_000.0).round() / 10_000.0
}

#[derive(Serialize)]
struct JsonRecord<'a> {
    id: &'a str,
    matches: Vec<JsonMatch<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    /// Only from the NATS worker, whose results may come from workers on different versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    kb_version: Option<&'a str>,
    /// The versions of other live workers, when they differ from `kb_version`.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    other_kb_versions: &'a [String],
}

/// What the NATS worker adds to `score`'s record: the knowledge-base version it scored with,
/// and the other versions live workers score with, if any differ (otherwise left out).
#[derive(Debug, Clone, Copy)]
pub struct ScoredWith<'a> {
    pub kb_version: &'a str,
    pub other_kb_versions: &'a [String],
}

#[derive(Serialize)]
struct JsonMatch<'a> {
    narrative_id: &'a str,
    score: f32,
    stance: &'static str,
    claim_id: Option<&'a str>,
    statement_ids: &'a [String],
}

/// The results of a run, on a file or standard output.
pub(super) struct Output {
    /// For error messages.
    name: PathBuf,
    sink: Sink,
}

enum Sink {
    Jsonl(BufWriter<Box<dyn Write + Send>>),
    Csv(Box<csv::Writer<Box<dyn Write + Send>>>),
}

impl Output {
    /// Creates (truncates) `path`, or writes to standard output when `None`.
    pub fn create(path: Option<&Path>, format: OutputFormat) -> Result<Self, BatchError> {
        let (name, writer): (PathBuf, Box<dyn Write + Send>) = match path {
            None => ("<stdout>".into(), Box::new(io::stdout())),
            Some(p) => {
                let file = File::create(p).map_err(|e| BatchError::io(p, e))?;
                (p.to_owned(), Box::new(file))
            }
        };
        let sink = match format {
            OutputFormat::Jsonl => Sink::Jsonl(BufWriter::with_capacity(BUFFER_BYTES, writer)),
            OutputFormat::Csv => Sink::Csv(Box::new(
                csv::WriterBuilder::new()
                    .buffer_capacity(BUFFER_BYTES)
                    .from_writer(writer),
            )),
        };
        let mut output = Self { name, sink };
        if let Sink::Csv(w) = &mut output.sink {
            let result = w.write_record(CSV_HEADER);
            output.check(result.map_err(io::Error::from))?;
        }
        Ok(output)
    }

    pub fn write(&mut self, outcome: &MatchOutcome) -> Result<(), BatchError> {
        let result = match &mut self.sink {
            Sink::Jsonl(w) => write_json(w, outcome),
            Sink::Csv(w) => write_csv(w, outcome).map_err(io::Error::from),
        };
        self.check(result)
    }

    /// Flushes everything written.
    pub fn finish(&mut self) -> Result<(), BatchError> {
        let result = match &mut self.sink {
            Sink::Jsonl(w) => w.flush(),
            Sink::Csv(w) => w.flush(),
        };
        self.check(result)
    }

    fn check(&self, result: io::Result<()>) -> Result<(), BatchError> {
        result.map_err(|e| BatchError::io(&self.name, e))
    }
}

fn write_json(w: &mut impl Write, outcome: &MatchOutcome) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &json_record(outcome, None))?;
    w.write_all(b"\n")
}

/// The JSONL record `score` writes for `outcome` (without its newline), with what it was
/// scored with added when given: the NATS worker publishes exactly this, so a run through the
/// cluster gives the file `score` gives.
pub fn jsonl_record(outcome: &MatchOutcome, with: Option<ScoredWith<'_>>) -> Vec<u8> {
    serde_json::to_vec(&json_record(outcome, with)).expect("a record always serialises")
}

fn json_record<'a>(outcome: &'a MatchOutcome, with: Option<ScoredWith<'a>>) -> JsonRecord<'a> {
    JsonRecord {
        id: &outcome.post_id,
        matches: outcome
            .matches
            .iter()
            .map(|m| JsonMatch {
                narrative_id: &m.narrative_id,
                score: rounded(m.score),
                stance: m.stance.as_str(),
                claim_id: m.claim_id.as_deref(),
                statement_ids: &m.statement_ids,
            })
            .collect(),
        reason: outcome
            .matches
            .is_empty()
            .then(|| outcome.no_match_reason.unwrap_or_default()),
        kb_version: with.map(|w| w.kb_version),
        other_kb_versions: with.map_or(&[], |w| w.other_kb_versions),
    }
}

fn write_csv(w: &mut csv::Writer<impl Write>, outcome: &MatchOutcome) -> csv::Result<()> {
    if outcome.matches.is_empty() {
        let reason = outcome.no_match_reason.unwrap_or_default();
        return w.write_record([outcome.post_id.as_str(), "", "", "", "", "", reason]);
    }
    for m in &outcome.matches {
        w.write_record([
            outcome.post_id.as_str(),
            m.narrative_id.as_str(),
            rounded(m.score).to_string().as_str(),
            m.stance.as_str(),
            m.claim_id.as_deref().unwrap_or_default(),
            m.statement_ids.join(";").as_str(),
            "",
        ])?;
    }
    Ok(())
}

/// The errors file: one JSON object per bad record.
pub(super) struct ErrorLog {
    path: PathBuf,
    writer: BufWriter<File>,
}

#[derive(Serialize)]
struct BadRecordLine<'a> {
    input: &'a str,
    line: u64,
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<&'a str>,
}

impl ErrorLog {
    pub fn create(path: &Path) -> Result<Self, BatchError> {
        let file = File::create(path).map_err(|e| BatchError::io(path, e))?;
        Ok(Self {
            path: path.to_owned(),
            writer: BufWriter::new(file),
        })
    }

    pub fn write(
        &mut self,
        input: &str,
        line: u64,
        error: &str,
        record: Option<&str>,
    ) -> Result<(), BatchError> {
        let entry = BadRecordLine {
            input,
            line,
            error,
            record,
        };
        serde_json::to_writer(&mut self.writer, &entry)
            .map_err(io::Error::from)
            .and_then(|()| self.writer.write_all(b"\n"))
            .map_err(|e| BatchError::io(&self.path, e))
    }

    pub fn finish(&mut self) -> Result<(), BatchError> {
        self.writer
            .flush()
            .map_err(|e| BatchError::io(&self.path, e))
    }
}
