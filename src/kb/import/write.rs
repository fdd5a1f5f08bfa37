//! Writing an import out in a format [`KnowledgeBase::load`] reads.
//!
//! **Flat** ([`write_flat`]): one claim a line,
//! `{"id", "text", "title"?, "subtitle"?, "author"?, "date"?, "url"?, "narrative_id"?}`, with
//! empty fields left out. `author` is the claim's provenance outlet (for CheckThat! 2022 the
//! fact-check's author, for ClaimReview the fact-checker) and `url` its provenance url. `title` is
//! the claim's title, or, when it has none, the narrative's title unless that is just the claim
//! text, so the narrative keeps its title when loaded. `narrative_id` is left out when it equals
//! the claim's id, the flat format's default. Official statements, sources, claimants and
//! summaries have no place in the flat format and are dropped.
//!
//! **Native** ([`write_native`]): the TOML directory documented in `index/README.md`:
//! `sources.toml`, `statements.toml` and `narratives/<id>.toml`. The narrative file name is the
//! id reduced to `[a-z0-9-]` (`narrative` if nothing is left; `-2`, `-3`, … when two ids reduce
//! to the same name); the `id` inside the file is unchanged. Claim titles and subtitles have no
//! place in the native format and are dropped. The native format requires every narrative to be
//! rebutted by at least one official statement, which only ClaimReview imports provide.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{Imported, io_error, slug};
use crate::kb::{Claim, KbError, KnowledgeBase, Narrative};

#[derive(Serialize)]
struct FlatLine<'a> {
    id: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    subtitle: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    author: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    date: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    narrative_id: &'a str,
}

/// Writes every claim as one line of the flat JSONL format (see the module documentation).
pub fn write_flat(imported: &Imported, out: &mut impl Write) -> std::io::Result<()> {
    for narrative in &imported.narratives {
        for claim in &narrative.claims {
            let title = if !claim.title.is_empty() || narrative.title == claim.text {
                &claim.title
            } else {
                &narrative.title
            };
            let line = FlatLine {
                id: &claim.id,
                text: &claim.text,
                title,
                subtitle: &claim.subtitle,
                author: &claim.provenance.outlet,
                date: &claim.date,
                url: &claim.provenance.url,
                narrative_id: if narrative.id == claim.id {
                    ""
                } else {
                    &narrative.id
                },
            };
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()
}

#[derive(Serialize)]
struct SourcesFile<'a> {
    source: Vec<SourceTable<'a>>,
}

#[derive(Serialize)]
struct SourceTable<'a> {
    id: &'a str,
    outlet: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
}

#[derive(Serialize)]
struct StatementsFile<'a> {
    statement: Vec<StatementTable<'a>>,
}

#[derive(Serialize)]
struct StatementTable<'a> {
    id: &'a str,
    speaker: &'a str,
    role: &'a str,
    agency: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    date: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    date_note: &'a str,
    published_in: &'a str,
    quote: &'a str,
    rebuts: &'a [String],
    source: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    passage: &'a str,
}

/// Top-level keys first, then the `[[claim]]` tables, as TOML requires.
#[derive(Serialize)]
struct NarrativeFile<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    context: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    variants: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    keywords: &'a [String],
    claim: Vec<ClaimTable<'a>>,
}

#[derive(Serialize)]
struct ClaimTable<'a> {
    id: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    claimant: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    claimant_role: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    date: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    date_note: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    venue: &'a str,
    source: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    passage: &'a str,
}

/// Writes the import as a native knowledge-base directory (see the module documentation).
///
/// `dir` must not exist or be empty. Nothing is written unless the collection would load: every
/// narrative needs a statement that rebuts it, and every claim and statement a source; otherwise
/// this fails with [`KbError::Invalid`] (a collection without statements, such as a CheckThat!
/// import, is told to use the flat format).
pub fn write_native(imported: &Imported, dir: &Path) -> Result<(), KbError> {
    check_native(imported, dir)?;
    let narratives_dir = dir.join("narratives");
    fs::create_dir_all(&narratives_dir).map_err(|e| io_error(&narratives_dir, e))?;

    let sources = SourcesFile {
        source: imported
            .sources
            .iter()
            .map(|s| SourceTable {
                id: &s.id,
                outlet: &s.outlet,
                title: &s.title,
                url: &s.url,
            })
            .collect(),
    };
    write_toml(&dir.join("sources.toml"), &sources)?;

    let statements = StatementsFile {
        statement: imported
            .statements
            .iter()
            .map(|s| StatementTable {
                id: &s.id,
                speaker: &s.speaker,
                role: &s.role,
                agency: &s.agency,
                date: &s.date,
                date_note: &s.date_note,
                published_in: &s.published_in,
                quote: &s.quote,
                rebuts: &s.rebuts,
                source: &s.provenance.source_id,
                passage: &s.provenance.passage,
            })
            .collect(),
    };
    write_toml(&dir.join("statements.toml"), &statements)?;

    let mut names = HashSet::new();
    for narrative in &imported.narratives {
        let name = file_name(&narrative.id, &mut names);
        write_toml(&narratives_dir.join(name), &narrative_file(narrative))?;
    }
    Ok(())
}

fn check_native(imported: &Imported, dir: &Path) -> Result<(), KbError> {
    let invalid = |item: &str, message: String| KbError::Invalid {
        path: dir.to_path_buf(),
        item: item.to_owned(),
        message,
    };
    if imported.statements.is_empty() {
        return Err(invalid(
            "collection",
            "it has no official statements (CheckThat! collections have none), and the native \
             format requires every narrative to be rebutted by one; write it with --to flat"
                .to_owned(),
        ));
    }
    if let Ok(mut entries) = fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(invalid(
            "directory",
            "is not empty; write a native knowledge base into a new or empty directory".to_owned(),
        ));
    }
    let source_ids: HashSet<&str> = imported.sources.iter().map(|s| s.id.as_str()).collect();
    let unknown_source = |item: String, source: &str| {
        (!source_ids.contains(source)).then(|| {
            invalid(
                &item,
                format!("cites source {source:?}, which is not among the collection's sources"),
            )
        })
    };
    for s in &imported.statements {
        if let Some(e) = unknown_source(format!("statement {:?}", s.id), &s.provenance.source_id) {
            return Err(e);
        }
    }
    for c in imported.narratives.iter().flat_map(|n| &n.claims) {
        if let Some(e) = unknown_source(format!("claim {:?}", c.id), &c.provenance.source_id) {
            return Err(e);
        }
    }
    // The loader's own validation (ids, references, every narrative rebutted), before any write.
    KnowledgeBase::from_parts(
        dir,
        imported.narratives.clone(),
        imported.statements.clone(),
        true,
    )
    .map(drop)
    .map_err(|e| match e {
        KbError::Invalid { item, message, .. } => {
            invalid(&item, format!("{message} (the native format requires it)"))
        }
        other => other,
    })
}

fn narrative_file(n: &Narrative) -> NarrativeFile<'_> {
    NarrativeFile {
        id: &n.id,
        title: &n.title,
        summary: &n.summary,
        context: &n.context,
        variants: &n.variants,
        keywords: &n.keywords,
        claim: n.claims.iter().map(claim_table).collect(),
    }
}

fn claim_table(c: &Claim) -> ClaimTable<'_> {
    ClaimTable {
        id: &c.id,
        text: &c.text,
        claimant: &c.claimant,
        claimant_role: &c.claimant_role,
        date: &c.date,
        date_note: &c.date_note,
        venue: &c.venue,
        source: &c.provenance.source_id,
        passage: &c.provenance.passage,
    }
}

/// `<id>.toml` with the id reduced to `[a-z0-9-]`, unique among `taken`.
fn file_name(id: &str, taken: &mut HashSet<String>) -> String {
    let base = slug(id, 100);
    let base = if base.is_empty() {
        "narrative".to_owned()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    format!("{name}.toml")
}

fn write_toml(path: &Path, value: &impl Serialize) -> Result<(), KbError> {
    let text = toml::to_string(value).map_err(|e| KbError::Parse {
        path: path.to_path_buf(),
        message: format!("cannot write TOML: {e}"),
    })?;
    fs::write(path, text).map_err(|e| io_error(path, e))
}
