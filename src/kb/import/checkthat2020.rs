//! CheckThat! 2020 Task 2 verified claims (`verified_claims.docs.tsv`, format name
//! `checkthat2020`).
//!
//! The file is tab-separated with a header row `vclaim_id<TAB>vclaim<TAB>title` (the published
//! file leaves the first header cell empty; only the second one, `vclaim`, is checked, and the
//! `title` column is optional). Fields use CSV quoting: a field may be wrapped in `"…"`, a `""`
//! inside it stands for one `"`, and a quoted field may span several lines. Columns are read by
//! position, and every row must have as many fields as the header.
//!
//! Each row becomes one narrative holding one claim:
//!
//! | column | becomes |
//! |--------|---------|
//! | `vclaim_id` | the narrative's id and the claim's id (surrounding whitespace removed) |
//! | `vclaim` | the claim's `text`, verbatim |
//! | `title` | the claim's `title`; also the narrative's title. A row without a title is titled by its `vclaim` |
//!
//! There are no official statements or sources: write the result with `--to flat`.
//!
//! A row is skipped, with the line it starts on (`line 12`), when it has the wrong number of
//! fields or is not valid UTF-8, when its id or its claim text is empty, or when its id repeats an
//! earlier row's. A file without the expected header is an error.

use std::collections::HashSet;
use std::fs::File;
use std::path::Path;

use super::{Imported, io_error};
use crate::kb::{Claim, KbError, Narrative, Provenance};

pub(super) fn import(path: &Path) -> Result<Imported, KbError> {
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    read(path, file)
}

/// Parses the TSV from any reader; `path` only names the input in errors.
pub(crate) fn read(path: &Path, input: impl std::io::Read) -> Result<Imported, KbError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(true)
        .flexible(false)
        .quoting(true)
        .double_quote(true)
        .from_reader(input);
    let parse_error = |message: String| KbError::Parse {
        path: path.to_path_buf(),
        message,
    };
    let header = reader
        .headers()
        .map_err(|e| parse_error(format!("cannot read the header row: {e}")))?;
    let has_title = match header.len() {
        2 | 3 if header.get(1).is_some_and(|h| h.trim() == "vclaim") => header.len() == 3,
        _ => {
            return Err(parse_error(format!(
                "not a CheckThat! 2020 claims file: expected the header \
                 vclaim_id<TAB>vclaim<TAB>title, found {:?}",
                header.iter().collect::<Vec<_>>()
            )));
        }
    };

    let mut imported = Imported::default();
    let mut seen = HashSet::new();
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(parse_error(format!("read error near line {line}: {e}")));
                }
                imported.skip(format!("line {line}"), csv_message(&e));
                continue;
            }
        };
        let position = format!("line {}", record.position().map_or(0, |p| p.line()));
        let id = record.get(0).unwrap_or_default().trim();
        let text = record.get(1).unwrap_or_default();
        let title = if has_title {
            record.get(2).unwrap_or_default()
        } else {
            ""
        };
        if id.is_empty() {
            imported.skip(position, "empty vclaim_id");
            continue;
        }
        if text.trim().is_empty() {
            imported.skip(position, format!("claim {id:?}: empty vclaim"));
            continue;
        }
        if !seen.insert(id.to_owned()) {
            imported.skip(position, format!("duplicate vclaim_id {id:?}"));
            continue;
        }
        imported.narratives.push(narrative(id, text, title));
    }
    Ok(imported)
}

fn narrative(id: &str, text: &str, title: &str) -> Narrative {
    let narrative_title = if title.trim().is_empty() { text } else { title };
    Narrative {
        id: id.to_owned(),
        title: narrative_title.to_owned(),
        claims: vec![Claim {
            id: id.to_owned(),
            text: text.to_owned(),
            title: title.to_owned(),
            provenance: Provenance {
                title: title.to_owned(),
                ..Provenance::default()
            },
            ..Claim::default()
        }],
        ..Narrative::default()
    }
}

/// A csv error without the position prefix (the position is reported separately).
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("found {len} fields, expected {expected_len}"),
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {}", err.field() + 1),
        _ => e.to_string(),
    }
}
