//! Following CSV quoting byte by byte, the way the csv crate parses it, to catch what its lenient
//! parsing lets through silently: a quoted field that runs over line ends and is then closed by
//! a quote followed by more text, or is never closed. Either way the lines after the opening
//! quote become part of one field, and the posts on them would vanish without a word.
//!
//! Valid CSV cannot be told from a mistake that happens to stay valid (a stray quote closed by
//! another at the end of a later line): that record is only caught if it breaks a limit (see
//! [`record`](super::record)).

use std::collections::VecDeque;

/// Where a quoted field went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Runaway {
    /// The line of the opening quote (1-based).
    pub opened: u64,
    /// The line of the closing quote that more text followed; `None`: never closed.
    pub closed: Option<u64>,
}

impl Runaway {
    /// Why the record starting on `line` is bad.
    pub fn message(&self, line: u64) -> String {
        match self.closed {
            Some(closed) => format!(
                "the quote opened on line {} closes on line {closed} with text after it: lines \
                 {line}-{closed} were read as one record (a quote not closed where it should be, \
                 or not doubled?), so any post on lines {}-{closed} is in it and was not scored",
                self.opened,
                line + 1,
            ),
            None => format!(
                "the quote opened on line {} is never closed: line {line} and every line after \
                 it were read as one record, so any post after line {line} is in it and was not \
                 scored",
                self.opened
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of the field, or the first of a doubled quote.
    QuoteInQuoted,
}

/// Fed every byte the CSV reader reads (it reads ahead, so this runs ahead of the records it
/// returns); the runaway fields found wait in order until their record is read.
#[derive(Debug)]
pub(super) struct QuoteWatch {
    delimiter: u8,
    state: State,
    /// The line of the byte being read.
    line: u64,
    /// The line the open quoted field started on.
    opened: u64,
    found: VecDeque<Runaway>,
    ended: bool,
}

impl QuoteWatch {
    pub fn new(delimiter: u8) -> Self {
        Self {
            delimiter,
            state: State::FieldStart,
            line: 1,
            opened: 0,
            found: VecDeque::new(),
            ended: false,
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let ends_field = b == self.delimiter || b == b'\n' || b == b'\r';
            self.state = match self.state {
                State::FieldStart if b == b'"' => {
                    self.opened = self.line;
                    State::Quoted
                }
                State::FieldStart | State::Unquoted if ends_field => State::FieldStart,
                State::FieldStart | State::Unquoted => State::Unquoted,
                State::Quoted if b == b'"' => State::QuoteInQuoted,
                State::Quoted => State::Quoted,
                State::QuoteInQuoted if b == b'"' => State::Quoted,
                State::QuoteInQuoted if ends_field => State::FieldStart,
                State::QuoteInQuoted => {
                    // The csv crate reads the rest as unquoted text of the same field.
                    if self.line > self.opened {
                        self.found.push_back(Runaway {
                            opened: self.opened,
                            closed: Some(self.line),
                        });
                    }
                    State::Unquoted
                }
            };
            if b == b'\n' {
                self.line += 1;
            }
        }
    }

    /// The end of the input.
    pub fn end(&mut self) {
        if !self.ended && self.state == State::Quoted {
            self.found.push_back(Runaway {
                opened: self.opened,
                closed: None,
            });
        }
        self.ended = true;
    }

    /// The runaway field of the record just read, on lines `first..next` (`next`: the line the
    /// following record starts on), if it has one. A field never closed runs to the end of the
    /// input, and the csv reader sees that end only while reading the last record.
    pub fn take(&mut self, first: u64, next: u64) -> Option<Runaway> {
        while self.found.front().is_some_and(|r| r.opened < first) {
            self.found.pop_front();
        }
        let ended = self.ended;
        let in_record = |r: &Runaway| r.opened < next || (r.closed.is_none() && ended);
        if self.found.front().is_some_and(in_record) {
            self.found.pop_front()
        } else {
            None
        }
    }
}
