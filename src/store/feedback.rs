//! Moderators' feedback in the data directory: `feedback.jsonl`, one JSON record a line,
//! appended and never rewritten.
//!
//! A record is acknowledged only once it is on disk: each one is written with a single
//! `write_all` of the whole line to a file opened in append mode, then `sync_data`. A mutex
//! serialises writers, so lines never interleave. A crash can still leave the last line torn;
//! reading skips it (and any other line that does not parse or validate) and says which, and
//! the next append starts on a fresh line so a torn record never swallows a good one.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::Error;
use crate::feedback::Feedback;

/// The file's name in the data directory.
pub const FILE_NAME: &str = "feedback.jsonl";

/// The feedback file, open for appending.
pub struct FeedbackLog {
    path: PathBuf,
    state: Mutex<Appender>,
}

struct Appender {
    file: File,
    /// Good records in the file, so an append can say how many there are without reading it.
    records: u64,
}

/// What reading the file found: the good records, and the lines skipped.
#[derive(Debug, Default)]
pub struct FeedbackRead {
    pub records: Vec<Feedback>,
    pub skipped: Vec<SkippedLine>,
}

/// A line that is not a valid record, by its number (from 1) and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SkippedLine {
    pub line: usize,
    pub reason: String,
}

impl FeedbackLog {
    /// Opens (creating them if need be) the data directory and its feedback file.
    pub fn open(data_dir: &Path) -> Result<Self, Error> {
        let path = data_dir.join(FILE_NAME);
        std::fs::create_dir_all(data_dir).map_err(|e| named(data_dir, e))?;
        let records = match read(&path) {
            Ok(read) => read.records.len() as u64,
            Err(Error::Io(e)) if e.kind() == io::ErrorKind::NotFound => 0,
            Err(e) => return Err(e),
        };
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&path)
            .map_err(|e| named(&path, e))?;
        end_torn_line(&mut file).map_err(|e| named(&path, e))?;
        Ok(Self {
            path,
            state: Mutex::new(Appender { file, records }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Validates `feedback`, stamps it with the time, and appends it durably. Returns how many
    /// records the file holds now. Blocks on the disk: call it off the async runtime.
    pub fn append(&self, mut feedback: Feedback) -> Result<u64, Error> {
        feedback.validate()?;
        feedback.recorded_at = super::now_rfc3339();
        let mut line = serde_json::to_vec(&feedback)
            .map_err(|e| Error::Io(io::Error::other(format!("encoding feedback: {e}"))))?;
        line.push(b'\n');
        // A writer that panicked left at most a torn line, which readers skip.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state
            .file
            .write_all(&line)
            .and_then(|()| state.file.sync_data())
            .map_err(|e| named(&self.path, e))?;
        state.records += 1;
        Ok(state.records)
    }
}

/// Reads every record of a feedback file. A line that does not parse or validate is skipped
/// and reported with its number; only failing to read the file is an error (naming it).
pub fn read(path: &Path) -> Result<FeedbackRead, Error> {
    let file = File::open(path).map_err(|e| named(path, e))?;
    let mut found = FeedbackRead::default();
    let mut reader = BufReader::new(file);
    let mut bytes = Vec::new();
    for line in 1.. {
        bytes.clear();
        if reader
            .read_until(b'\n', &mut bytes)
            .map_err(|e| named(path, e))?
            == 0
        {
            break;
        }
        let text = String::from_utf8_lossy(&bytes);
        if text.trim().is_empty() {
            continue;
        }
        let parsed = serde_json::from_str::<Feedback>(&text)
            .map_err(|e| e.to_string())
            .and_then(|f| f.validate().map(|()| f).map_err(|e| e.to_string()));
        match parsed {
            Ok(feedback) => found.records.push(feedback),
            Err(reason) => found.skipped.push(SkippedLine { line, reason }),
        }
    }
    Ok(found)
}

/// If the file ends inside a line (a write torn by a crash), ends that line, so that the next
/// record starts on a line of its own.
fn end_torn_line(file: &mut File) -> io::Result<()> {
    let len = file.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok(());
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    if last[0] != b'\n' {
        file.write_all(b"\n")?;
        file.sync_data()?;
    }
    Ok(())
}

/// An I/O error that names its file, as every error the user reads does.
fn named(path: &Path, error: io::Error) -> Error {
    Error::Io(io::Error::new(
        error.kind(),
        format!("{}: {error}", path.display()),
    ))
}

#[cfg(test)]
mod tests;
