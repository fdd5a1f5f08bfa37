//! A raw record (a JSONL line, a CSV/TSV record) → a [`Post`], or the reason it is bad.
//! Parsing runs on the scoring threads, next to matching, so the reader thread only splits the
//! input.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use crate::limits::MAX_POST_TEXT_BYTES;
use crate::matcher::Post;

/// The names of the id and text fields (JSONL) or columns (CSV, TSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    pub id: String,
    pub text: String,
}

impl Default for Fields {
    fn default() -> Self {
        Self {
            id: "id".to_owned(),
            text: "text".to_owned(),
        }
    }
}

/// Where the id and text are in a CSV record.
#[derive(Debug, Clone, Copy)]
pub(super) struct Columns {
    pub id: usize,
    pub text: usize,
}

/// One record as read, not yet parsed.
#[derive(Debug, Clone)]
pub struct RawRecord {
    /// 1-based; for CSV, the line the record starts on.
    pub line: u64,
    pub(super) body: Body,
}

#[derive(Debug, Clone)]
pub(super) enum Body {
    Json(Vec<u8>),
    Csv {
        record: csv::ByteRecord,
        columns: Columns,
        delimiter: u8,
        /// Why the record swallowed lines after it (a quote gone wrong), if it did.
        runaway: Option<String>,
    },
    /// Bad before parsing (too long): why.
    Unreadable(String),
}

impl RawRecord {
    pub(super) fn new(line: u64, body: Body) -> Self {
        Self { line, body }
    }

    /// One JSON object received whole (a NATS message), checked as a JSONL line is: over
    /// [`MAX_RECORD_BYTES`](super::MAX_RECORD_BYTES) it is bad before parsing. `line` numbers
    /// it in reports (the worker gives the stream sequence).
    pub fn json(line: u64, bytes: &[u8]) -> Self {
        let limit = super::MAX_RECORD_BYTES;
        let body = match bytes.len() > limit {
            true => Body::Unreadable(format!("longer than {limit} bytes")),
            false => Body::Json(bytes.to_vec()),
        };
        Self { line, body }
    }

    /// The post, or why the record is not one. Sizes are not checked here: the matcher does.
    pub fn parse(&self, fields: &Fields) -> Result<Post, String> {
        match &self.body {
            Body::Json(bytes) => parse_json(bytes, fields),
            Body::Csv {
                record,
                columns,
                runaway,
                ..
            } => {
                if let Some(runaway) = runaway {
                    return Err(runaway.clone());
                }
                let get = |column: usize, name: &str| match record.get(column) {
                    None => Err(format!("no {name:?} column in this record")),
                    Some(bytes) => std::str::from_utf8(bytes)
                        .map_err(|e| format!("{name:?} is not valid UTF-8: {e}")),
                };
                let id = get(columns.id, &fields.id)?;
                if id.is_empty() {
                    return Err(format!("{:?} is empty", fields.id));
                }
                if id.contains(['\n', '\r']) {
                    return Err(format!(
                        "{:?} holds a line break: a quote opened in it is closed only on a \
                         later line, so the lines in between were read into it",
                        fields.id
                    ));
                }
                let text = get(columns.text, &fields.text)?;
                if text.len() > MAX_POST_TEXT_BYTES && text.contains('\n') {
                    return Err(format!(
                        "{:?} runs over {} lines to {} bytes, past the limit of \
                         {MAX_POST_TEXT_BYTES}: a quote not closed where it should be?",
                        fields.text,
                        text.lines().count(),
                        text.len()
                    ));
                }
                Ok(Post::new(id, text))
            }
            Body::Unreadable(message) => Err(message.clone()),
        }
    }

    /// The JSON object as read, for a JSONL record; `None` for CSV and unreadable records.
    pub fn json_bytes(&self) -> Option<&[u8]> {
        match &self.body {
            Body::Json(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The record as read, for the errors file (invalid UTF-8 replaced); `None` when it was not
    /// kept (too long).
    pub fn text(&self) -> Option<String> {
        match &self.body {
            Body::Json(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
            Body::Csv {
                record, delimiter, ..
            } => {
                let mut writer = csv::WriterBuilder::new()
                    .delimiter(*delimiter)
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_writer(Vec::new());
                writer.write_byte_record(record).ok()?;
                let mut bytes = writer.into_inner().ok()?;
                bytes.pop();
                Some(String::from_utf8_lossy(&bytes).into_owned())
            }
            Body::Unreadable(_) => None,
        }
    }

    /// Roughly how much memory the record holds.
    pub(super) fn size(&self) -> usize {
        match &self.body {
            Body::Json(bytes) => bytes.len(),
            Body::Csv { record, .. } => record.as_slice().len(),
            Body::Unreadable(message) => message.len(),
        }
    }
}

fn parse_json(bytes: &[u8], fields: &Fields) -> Result<Post, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let found = Wanted(fields)
        .deserialize(&mut de)
        .and_then(|found| de.end().map(|()| found))
        .map_err(|e| match e.classify() {
            serde_json::error::Category::Data => format!("not a post: {e}"),
            _ => format!("invalid JSON: {e}"),
        })?;
    let id = match found.id {
        None | Some(Value::Null) => return Err(format!("no {:?} field", fields.id)),
        Some(Value::String(s)) if s.is_empty() => {
            return Err(format!("{:?} is empty", fields.id));
        }
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            return Err(format!(
                "{:?} must be a string or a number, not {}",
                fields.id,
                kind(&other)
            ));
        }
    };
    let text = match found.text {
        None | Some(Value::Null) => return Err(format!("no {:?} field", fields.text)),
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(format!(
                "{:?} must be a string, not {}",
                fields.text,
                kind(&other)
            ));
        }
    };
    Ok(Post::new(id, text))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The two wanted fields of a JSON object, every other field skipped without being built.
struct Wanted<'f>(&'f Fields);

#[derive(Default)]
struct Found {
    id: Option<Value>,
    text: Option<Value>,
}

impl<'de> DeserializeSeed<'de> for Wanted<'_> {
    type Value = Found;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Found, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Wanted<'_> {
    type Value = Found;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
        let mut found = Found::default();
        while let Some(key) = map.next_key_seed(KeyOf(self.0))? {
            match key {
                Key::Id => found.id = Some(map.next_value()?),
                Key::Text => found.text = Some(map.next_value()?),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

enum Key {
    Id,
    Text,
    Other,
}

/// Classifies a key without allocating it.
struct KeyOf<'f>(&'f Fields);

impl<'de> DeserializeSeed<'de> for KeyOf<'_> {
    type Value = Key;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyOf<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(if key == self.0.id {
            Key::Id
        } else if key == self.0.text {
            Key::Text
        } else {
            Key::Other
        })
    }
}
