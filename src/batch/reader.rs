//! Reading records one JSONL line or one CSV/TSV record at a time, memory bounded by
//! [`MAX_RECORD_BYTES`] whatever the input. Nothing here parses a post: records leave raw, so
//! that parsing runs in parallel with matching (see [`record`](super::record)).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use super::BatchError;
use super::input::InputFormat;
use super::quotes::QuoteWatch;
use super::record::{Body, Columns, Fields, RawRecord};

/// Longest record read (a JSONL line, a CSV record), in bytes: room for a post text at its
/// [limit](crate::limits::MAX_POST_TEXT_BYTES) with every character escaped, plus the other
/// fields of a full platform record. A longer JSONL line is a bad record; a longer CSV record
/// (usually an unclosed quote) ends the input with [`BatchError::BadInput`].
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// The records of one input, in order. Yields `Err` only when the input cannot be read on
/// (I/O, a CSV record running away), and nothing after that; a bad record is an `Ok` record
/// whose [`RawRecord::parse`] fails.
pub struct RecordReader<'a> {
    name: String,
    state: State<'a>,
}

enum State<'a> {
    Jsonl {
        src: Box<dyn BufRead + 'a>,
        line: u64,
        buf: Vec<u8>,
    },
    Csv {
        reader: csv::Reader<Bounded<Box<dyn BufRead + 'a>>>,
        budget: Rc<Cell<usize>>,
        quotes: Rc<RefCell<QuoteWatch>>,
        columns: Columns,
        delimiter: u8,
    },
    Done,
}

impl<'a> RecordReader<'a> {
    /// Starts reading `src` (already decompressed), named `name` in reports. For CSV and TSV
    /// this reads the header, which must name the id and text columns of `fields`.
    pub fn new(
        src: Box<dyn BufRead + 'a>,
        format: InputFormat,
        name: &str,
        fields: &Fields,
    ) -> Result<Self, BatchError> {
        let delimiter = match format {
            InputFormat::Jsonl => {
                let state = State::Jsonl {
                    src,
                    line: 0,
                    buf: Vec::new(),
                };
                return Ok(Self {
                    name: name.to_owned(),
                    state,
                });
            }
            InputFormat::Csv => b',',
            InputFormat::Tsv => b'\t',
        };
        let budget = Rc::new(Cell::new(0));
        let quotes = Rc::new(RefCell::new(QuoteWatch::new(delimiter)));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(Bounded {
                src,
                budget: Rc::clone(&budget),
                quotes: Rc::clone(&quotes),
            });
        let header = reader
            .byte_headers()
            .map_err(|e| csv_error(name, 1, e))?
            .clone();
        if header.is_empty() {
            return Ok(Self {
                name: name.to_owned(),
                state: State::Done,
            });
        }
        let column = |field: &str| {
            header
                .iter()
                .position(|h| h.trim_ascii() == field.as_bytes())
                .ok_or_else(|| BatchError::BadInput {
                    input: name.to_owned(),
                    line: 1,
                    message: format!(
                        "the header has no {field:?} column (it has {}){}",
                        header
                            .iter()
                            .map(|h| format!("{:?}", String::from_utf8_lossy(h)))
                            .collect::<Vec<_>>()
                            .join(", "),
                        format_hint(&header, format)
                    ),
                })
        };
        let columns = Columns {
            id: column(&fields.id)?,
            text: column(&fields.text)?,
        };
        Ok(Self {
            name: name.to_owned(),
            state: State::Csv {
                reader,
                budget,
                quotes,
                columns,
                delimiter,
            },
        })
    }
}

impl Iterator for RecordReader<'_> {
    type Item = Result<RawRecord, BatchError>;

    fn next(&mut self) -> Option<Self::Item> {
        let next = match &mut self.state {
            State::Done => return None,
            State::Jsonl { src, line, buf } => loop {
                match read_line(src.as_mut(), buf, MAX_RECORD_BYTES) {
                    Err(e) => break Err(BatchError::io(&self.name, e)),
                    Ok(Line::Eof) => return None,
                    Ok(Line::TooLong) => {
                        *line += 1;
                        let message = format!("longer than {MAX_RECORD_BYTES} bytes");
                        break Ok(RawRecord::new(*line, Body::Unreadable(message)));
                    }
                    Ok(Line::Complete) => {
                        *line += 1;
                        let mut bytes = buf.as_slice();
                        if *line == 1 {
                            bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
                        }
                        if bytes.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        break Ok(RawRecord::new(*line, Body::Json(bytes.to_vec())));
                    }
                }
            },
            State::Csv {
                reader,
                budget,
                quotes,
                columns,
                delimiter,
            } => {
                let line = reader.position().line();
                budget.set(0);
                let mut record = csv::ByteRecord::new();
                match reader.read_byte_record(&mut record) {
                    Ok(false) => return None,
                    Ok(true) => {
                        let line = record.position().map_or(line, |p| p.line());
                        let runaway = quotes.borrow_mut().take(line, reader.position().line());
                        let body = Body::Csv {
                            record,
                            columns: *columns,
                            delimiter: *delimiter,
                            runaway: runaway.map(|r| r.message(line)),
                        };
                        Ok(RawRecord::new(line, body))
                    }
                    Err(e) => Err(csv_error(&self.name, line, e)),
                }
            }
        };
        if next.is_err() {
            self.state = State::Done;
        }
        Some(next)
    }
}

/// When a header looks like another format than `format` (JSONL or TSV read as CSV...): which
/// `--input-format` to give.
fn format_hint(header: &csv::ByteRecord, format: InputFormat) -> String {
    let delimiter = if format == InputFormat::Tsv {
        "\t"
    } else {
        ","
    };
    let line: Vec<_> = header.iter().map(String::from_utf8_lossy).collect();
    match InputFormat::sniff(&line.join(delimiter)) {
        Some(looks) if looks != format => format!(
            "; it looks like {}, not {}: give --input-format {looks}",
            looks.as_str().to_uppercase(),
            format.as_str().to_uppercase()
        ),
        _ => String::new(),
    }
}

fn csv_error(name: &str, line: u64, error: csv::Error) -> BatchError {
    if let csv::ErrorKind::Io(e) = error.kind()
        && e.get_ref().is_some_and(|e| e.is::<RunawayRecord>())
    {
        return BatchError::BadInput {
            input: name.to_owned(),
            line,
            message: format!(
                "a record runs past {MAX_RECORD_BYTES} bytes (an unclosed quote?); \
                 the rest of the input cannot be read"
            ),
        };
    }
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(e) => BatchError::io(name, e),
        _ => BatchError::BadInput {
            input: name.to_owned(),
            line,
            message,
        },
    }
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq)]
enum Line {
    Eof,
    Complete,
    /// Over the limit: the line was consumed but not kept.
    TooLong,
}

/// Reads a line into `buf` without its `\n` or `\r\n`, keeping at most `max` bytes: a longer
/// line is read through to its end and dropped, so memory stays bounded.
fn read_line(src: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = match src.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let part = &available[..newline.unwrap_or(available.len())];
        if !too_long && buf.len() + part.len() > max {
            too_long = true;
            buf.clear();
        }
        if !too_long {
            buf.extend_from_slice(part);
        }
        let used = newline.map_or(available.len(), |i| i + 1);
        src.consume(used);
        if newline.is_some() {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(match (any, too_long) {
        (false, _) => Line::Eof,
        (true, false) => Line::Complete,
        (true, true) => Line::TooLong,
    })
}

/// Fails a read once the current CSV record has read more than [`MAX_RECORD_BYTES`] (give or
/// take the CSV reader's buffer); `budget` is reset before each record. Shows every byte read
/// to `quotes`.
struct Bounded<R> {
    src: R,
    budget: Rc<Cell<usize>>,
    quotes: Rc<RefCell<QuoteWatch>>,
}

#[derive(Debug)]
struct RunawayRecord;

impl fmt::Display for RunawayRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record longer than {MAX_RECORD_BYTES} bytes")
    }
}

impl std::error::Error for RunawayRecord {}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.budget.get() > MAX_RECORD_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, RunawayRecord));
        }
        let n = self.src.read(buf)?;
        self.budget.set(self.budget.get() + n);
        match n {
            0 if !buf.is_empty() => self.quotes.borrow_mut().end(),
            n => self.quotes.borrow_mut().feed(&buf[..n]),
        }
        Ok(n)
    }
}
