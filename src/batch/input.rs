//! Opening inputs: the format from the file name, decompression (by name, or by magic number when
//! the name says nothing). Records are read from the result by [`RecordReader`](super::RecordReader).

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::read::MultiGzDecoder;

use super::{BatchError, STDIN};

/// Read buffer of an input, before and after decompression.
const BUFFER_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated, with a header line; RFC 4180 quoting.
    Csv,
    /// Tab-separated, with a header line; quoted like CSV.
    Tsv,
}

impl InputFormat {
    /// The format named by a file's extension, under an optional `.gz` or `.zst`: `.jsonl`,
    /// `.ndjson` and `.json` are JSONL, then `.csv` and `.tsv`.
    pub fn from_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let name = name
            .strip_suffix(".gz")
            .or_else(|| name.strip_suffix(".zst"))
            .unwrap_or(&name);
        name.rsplit_once('.')?.1.parse().ok()
    }

    /// The format a line of an input looks like: JSONL if it starts with `{`, TSV if it holds a
    /// tab, CSV if it holds a comma; `None` if it gives no sign. For hints only: a CSV line may
    /// start with `{` too.
    pub fn sniff(line: &str) -> Option<Self> {
        let line = line.trim_start_matches('\u{feff}').trim_start();
        if line.starts_with('{') {
            Some(InputFormat::Jsonl)
        } else if line.contains('\t') {
            Some(InputFormat::Tsv)
        } else if line.contains(',') {
            Some(InputFormat::Csv)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Jsonl => "jsonl",
            InputFormat::Csv => "csv",
            InputFormat::Tsv => "tsv",
        }
    }
}

impl FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Ok(InputFormat::Jsonl),
            "csv" => Ok(InputFormat::Csv),
            "tsv" => Ok(InputFormat::Tsv),
            other => Err(format!(
                "unknown input format {other:?}: use jsonl, csv or tsv"
            )),
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One input of a run, resolved before any work is done.
#[derive(Debug, Clone)]
pub(super) struct Source {
    /// `None`: standard input.
    pub path: Option<PathBuf>,
    /// How reports name it: the path as given, or `<stdin>`.
    pub name: String,
    pub format: InputFormat,
    /// Bytes on disk, when known (for the progress bar).
    pub size: Option<u64>,
}

impl Source {
    /// Checks that the input exists and settles its format, so a typo in the last of many
    /// inputs fails before the first is scored.
    pub fn resolve(path: &Path, format: Option<InputFormat>) -> Result<Self, BatchError> {
        if path.as_os_str() == STDIN {
            return Ok(Self {
                path: None,
                name: "<stdin>".to_owned(),
                format: format.unwrap_or(InputFormat::Jsonl),
                size: None,
            });
        }
        let meta = std::fs::metadata(path).map_err(|e| BatchError::io(path, e))?;
        if meta.is_dir() {
            return Err(BatchError::Config(format!(
                "{}: is a directory, not an input file",
                path.display()
            )));
        }
        let format = format
            .or_else(|| InputFormat::from_path(path))
            .ok_or_else(|| {
                BatchError::Config(format!(
                    "{}: cannot tell the input format from the name: name it .jsonl, .csv or .tsv \
                     (optionally .gz or .zst), or give the format (--input-format jsonl, csv or \
                     tsv)",
                    path.display()
                ))
            })?;
        Ok(Self {
            path: Some(path.to_owned()),
            name: path.display().to_string(),
            format,
            size: Some(meta.len()),
        })
    }

    /// Opens the input, decompressed; `consumed` counts the bytes read from it as stored.
    pub fn open(&self, consumed: Arc<AtomicU64>) -> Result<Box<dyn BufRead + Send>, BatchError> {
        let err = |e| BatchError::io(&self.name, e);
        let raw: Box<dyn Read + Send> = match &self.path {
            None => Box::new(io::stdin()),
            Some(path) => Box::new(File::open(path).map_err(err)?),
        };
        let counted = BufReader::with_capacity(BUFFER_BYTES, Counted { raw, consumed });
        let name = self.name.to_ascii_lowercase();
        let by_name = if name.ends_with(".gz") {
            Compression::Gzip
        } else if name.ends_with(".zst") {
            Compression::Zstd
        } else {
            Compression::None
        };
        decompress_as(Box::new(counted), by_name).map_err(err)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Wraps `raw` in the decompressor its first bytes call for (gzip or zstd magic number), if
/// any: a plain JSONL or CSV file cannot start with either. Used for standard input and files
/// whose name says nothing.
pub fn decompress(raw: Box<dyn BufRead + Send>) -> io::Result<Box<dyn BufRead + Send>> {
    decompress_as(raw, Compression::None)
}

/// Wraps `raw` in the decompressor its name calls for (`by_name`), or when the name says
/// nothing, the one its first bytes call for.
fn decompress_as(
    mut raw: Box<dyn BufRead + Send>,
    by_name: Compression,
) -> io::Result<Box<dyn BufRead + Send>> {
    let compression = match by_name {
        Compression::None => {
            let head = raw.fill_buf()?;
            if head.starts_with(&[0x1f, 0x8b]) {
                Compression::Gzip
            } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
                Compression::Zstd
            } else {
                Compression::None
            }
        }
        c => c,
    };
    Ok(match compression {
        Compression::None => raw,
        Compression::Gzip => Box::new(BufReader::with_capacity(
            BUFFER_BYTES,
            MultiGzDecoder::new(raw),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            BUFFER_BYTES,
            zstd::Decoder::with_buffer(raw)?,
        )),
    })
}

/// Counts the bytes read through it.
struct Counted {
    raw: Box<dyn Read + Send>,
    consumed: Arc<AtomicU64>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.raw.read(buf)?;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}
