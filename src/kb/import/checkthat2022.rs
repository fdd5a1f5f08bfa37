//! CheckThat! 2022 Task 2A claim collection (`vclaims.jsonl`, format name `checkthat2022`).
//!
//! One JSON object a line:
//! `{"vclaim_id", "vclaim", "title", "subtitle", "author", "date"}`. Blank lines are ignored;
//! unknown keys are ignored too.
//!
//! Each line becomes one narrative holding one claim:
//!
//! | key | becomes |
//! |-----|---------|
//! | `vclaim_id` (string or integer) | the narrative's id and the claim's id (surrounding whitespace removed) |
//! | `vclaim` | the claim's `text`, verbatim |
//! | `title` | the claim's `title` and its provenance title; also the narrative's title. A line without a title is titled by its `vclaim` |
//! | `subtitle` | the claim's `subtitle` |
//! | `author` | the claim's provenance outlet. This is the author of the fact-check (e.g. a Snopes writer), not the claimant |
//! | `date` | the claim's `date`, as written (e.g. `26 May 2015`) |
//!
//! A missing or `null` optional key counts as empty. There are no official statements or sources:
//! write the result with `--to flat`.
//!
//! A line is skipped, with its 1-based number (`line 12`), when it is not valid UTF-8 or not a
//! JSON object of that shape, when its id or its claim text is empty, or when its id repeats an
//! earlier line's.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;

use super::{Imported, io_error};
use crate::kb::{Claim, KbError, Narrative, Provenance};

#[derive(Deserialize)]
struct Record {
    #[serde(default, deserialize_with = "crate::kb::flat::id_string")]
    vclaim_id: String,
    #[serde(default)]
    vclaim: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    subtitle: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    date: Option<String>,
}

pub(super) fn import(path: &Path) -> Result<Imported, KbError> {
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    read(path, BufReader::new(file))
}

/// Parses the JSONL from any buffered reader; `path` only names the input in errors.
pub(crate) fn read(path: &Path, mut input: impl BufRead) -> Result<Imported, KbError> {
    let mut imported = Imported::default();
    let mut seen = HashSet::new();
    let mut buf = Vec::new();
    let mut number = 0;
    loop {
        buf.clear();
        let read = input.read_until(b'\n', &mut buf).map_err(|source| {
            io_error(
                path,
                std::io::Error::new(source.kind(), format!("line {}: {source}", number + 1)),
            )
        })?;
        if read == 0 {
            break;
        }
        number += 1;
        let position = format!("line {number}");
        let Ok(line) = std::str::from_utf8(&buf) else {
            imported.skip(position, "invalid UTF-8");
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let record = match serde_json::from_str::<serde_json::Value>(line) {
            Err(e) => Err(format!("invalid JSON: {e}")),
            Ok(value) if !value.is_object() => Err("expected a JSON object".to_owned()),
            Ok(value) => {
                Record::deserialize(value).map_err(|e| format!("not a CheckThat! 2022 record: {e}"))
            }
        };
        let record = match record {
            Ok(record) => record,
            Err(message) => {
                imported.skip(position, message);
                continue;
            }
        };
        let id = record.vclaim_id.trim();
        let text = record.vclaim.unwrap_or_default();
        if id.is_empty() {
            imported.skip(position, "missing or empty vclaim_id");
            continue;
        }
        if text.trim().is_empty() {
            imported.skip(position, format!("claim {id:?}: missing or empty vclaim"));
            continue;
        }
        if !seen.insert(id.to_owned()) {
            imported.skip(position, format!("duplicate vclaim_id {id:?}"));
            continue;
        }
        let title = record.title.unwrap_or_default();
        let narrative_title = if title.trim().is_empty() {
            text.clone()
        } else {
            title.clone()
        };
        imported.narratives.push(Narrative {
            id: id.to_owned(),
            title: narrative_title,
            claims: vec![Claim {
                id: id.to_owned(),
                text,
                title: title.clone(),
                subtitle: record.subtitle.unwrap_or_default(),
                date: record.date.unwrap_or_default(),
                provenance: Provenance {
                    outlet: record.author.unwrap_or_default(),
                    title,
                    ..Provenance::default()
                },
                ..Claim::default()
            }],
            ..Narrative::default()
        });
    }
    Ok(imported)
}
