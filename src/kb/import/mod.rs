//! Importers: turn published fact-check collections into knowledge-base records, and write them
//! out in one of the two formats [`KnowledgeBase::load`](super::KnowledgeBase::load) reads.
//!
//! | format ([`ImportFormat`]) | input | yields |
//! |---------------------------|-------|--------|
//! | `checkthat2020` ([`checkthat2020`]) | CheckThat! 2020 `verified_claims.docs.tsv` | one narrative per claim, no statements |
//! | `checkthat2022` ([`checkthat2022`]) | CheckThat! 2022 `vclaims.jsonl` | one narrative per claim, no statements |
//! | `claimreview` ([`claimreview`]) | schema.org `ClaimReview` JSON-LD (object, array or feed) | one narrative per review, rebutted by one statement: the fact-check |
//!
//! [`import`] reads a file. A file that cannot be opened, or cannot be parsed at all, is an error
//! that names the file. So is a file in which records exist but not one of them could be
//! imported: that is almost always the wrong format. A single bad record does not stop the
//! import: it is left out and listed in [`Imported::skipped`] with its position (`line 12` for
//! line-based formats, a JSON path such as `itemListElement[4]` for JSON-LD) and the reason.
//! A record whose id repeats an earlier record's id is skipped the same way.
//!
//! The result is written with [`write_flat`] (the flat JSONL format, which takes any import) or
//! [`write_native`] (the native TOML directory documented in `index/README.md`, which requires
//! every narrative to be rebutted by an official statement, so it only takes ClaimReview
//! imports). Either output loads back with `KnowledgeBase::load`.

pub mod checkthat2020;
pub mod checkthat2022;
pub mod claimreview;
mod jsonld;
mod write;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use super::{KbError, Narrative, OfficialStatement};

pub use write::{write_flat, write_native};

/// The collection formats [`import`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportFormat {
    /// CheckThat! 2020 Task 2 `verified_claims.docs.tsv`. Name: `checkthat2020`.
    CheckThat2020,
    /// CheckThat! 2022 Task 2A `vclaims.jsonl`. Name: `checkthat2022`.
    CheckThat2022,
    /// schema.org `ClaimReview` JSON-LD. Name: `claimreview`.
    ClaimReview,
}

impl ImportFormat {
    /// Every format, in the order they are listed to users.
    pub const ALL: [ImportFormat; 3] =
        [Self::CheckThat2020, Self::CheckThat2022, Self::ClaimReview];

    /// The name used on the command line (`checkthat2020`, `checkthat2022`, `claimreview`).
    pub fn name(self) -> &'static str {
        match self {
            Self::CheckThat2020 => "checkthat2020",
            Self::CheckThat2022 => "checkthat2022",
            Self::ClaimReview => "claimreview",
        }
    }
}

impl fmt::Display for ImportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ImportFormat {
    type Err = String;

    /// Parses a format name, ignoring ASCII case and surrounding whitespace.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        format_named(s, &Self::ALL, Self::name, "import")
    }
}

/// The format of `formats` that `name(format)` calls `text` (ignoring ASCII case and surrounding
/// whitespace), or a message listing them; `kind` says which ("import", "export").
pub(crate) fn format_named<F: Copy>(
    text: &str,
    formats: &[F],
    name: fn(F) -> &'static str,
    kind: &str,
) -> Result<F, String> {
    let wanted = text.trim();
    (formats.iter().copied())
        .find(|&f| name(f).eq_ignore_ascii_case(wanted))
        .ok_or_else(|| {
            let names: Vec<&str> = formats.iter().map(|&f| name(f)).collect();
            format!(
                "unknown {kind} format {text:?} (expected one of: {})",
                names.join(", ")
            )
        })
}

/// A record that was left out of an import, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where the record is: `line 12` (TSV, JSONL; 1-based, the line the record starts on) or a
    /// JSON path with 0-based indices (`[3]`, `itemListElement[4]`, `dataFeedElement[1].item[0]`,
    /// `top-level object`).
    pub position: String,
    pub message: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position, self.message)
    }
}

/// A report that claims or statements cite, as a `[[source]]` table of the native format.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceInfo {
    pub id: String,
    pub outlet: String,
    pub title: String,
    pub url: String,
}

/// What an import produced. Claims and statements cite sources through
/// `provenance.source_id`; an empty `source_id` means the format has no source records
/// (CheckThat!).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imported {
    pub narratives: Vec<Narrative>,
    pub statements: Vec<OfficialStatement>,
    pub sources: Vec<SourceInfo>,
    pub skipped: Vec<Skipped>,
}

impl Imported {
    /// The number of claims across all narratives.
    pub fn claim_count(&self) -> usize {
        self.narratives.iter().map(|n| n.claims.len()).sum()
    }

    fn skip(&mut self, position: impl Into<String>, message: impl Into<String>) {
        self.skipped.push(Skipped {
            position: position.into(),
            message: message.into(),
        });
    }
}

/// Reads a fact-check collection. See the [module documentation](self) for what is an error and
/// what is a skipped record, and each format's module for how its fields map.
pub fn import(path: &Path, format: ImportFormat) -> Result<Imported, KbError> {
    let imported = match format {
        ImportFormat::CheckThat2020 => checkthat2020::import(path)?,
        ImportFormat::CheckThat2022 => checkthat2022::import(path)?,
        ImportFormat::ClaimReview => claimreview::import(path)?,
    };
    if imported.narratives.is_empty()
        && let Some(first) = imported.skipped.first()
    {
        return Err(KbError::Parse {
            path: path.to_path_buf(),
            message: format!(
                "no record could be imported as {format} ({} skipped; first: {first})",
                imported.skipped.len()
            ),
        });
    }
    Ok(imported)
}

fn io_error(path: &Path, source: std::io::Error) -> KbError {
    KbError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reduces `text` to a kebab-case slug: lowercase ASCII letters and digits with single hyphens
/// between runs, at most `max` bytes, no leading or trailing hyphen. May return "".
pub(crate) fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if out.len() >= max {
                break;
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_claimreview;
