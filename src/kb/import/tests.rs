//! Tests of the CheckThat! importers, the flat writer and the format names.

use std::path::{Path, PathBuf};

use super::{ImportFormat, Imported, import, write_flat, write_native};
use crate::kb::{KbError, KnowledgeBase, Narrative};

pub(super) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn positions(imported: &Imported) -> Vec<&str> {
    imported
        .skipped
        .iter()
        .map(|s| s.position.as_str())
        .collect()
}

/// Writes `imported` as flat JSONL, loads it back and returns the loaded narratives.
pub(super) fn flat_round_trip(imported: &Imported) -> Vec<Narrative> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kb.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_flat(imported, &mut out).unwrap();
    drop(out);
    KnowledgeBase::load(&path).unwrap().narratives().to_vec()
}

fn sorted(narratives: &[Narrative]) -> Vec<Narrative> {
    let mut narratives = narratives.to_vec();
    narratives.sort_by(|a, b| a.id.cmp(&b.id));
    narratives
}

#[test]
fn format_names_parse_and_display() {
    for format in ImportFormat::ALL {
        assert_eq!(format.name().parse::<ImportFormat>(), Ok(format));
        assert_eq!(format.to_string(), format.name());
    }
    assert_eq!(" ClaimReview ".parse(), Ok(ImportFormat::ClaimReview));
    let err = "checkthat".parse::<ImportFormat>().unwrap_err();
    assert!(
        err.contains("checkthat2020, checkthat2022, claimreview"),
        "{err}"
    );
}

#[test]
fn checkthat2020_maps_fields_and_unquotes() {
    let imported = import(&fixture("checkthat2020.tsv"), ImportFormat::CheckThat2020).unwrap();
    let ids: Vec<&str> = imported.narratives.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["0", "1", "4"]);
    assert!(imported.statements.is_empty() && imported.sources.is_empty());

    let first = &imported.narratives[0];
    assert_eq!(first.title, "Are Foreign Countries Printing Fake Ballots?");
    assert_eq!(first.claims.len(), 1);
    assert_eq!(first.claims[0].id, "0");
    assert_eq!(
        first.claims[0].text,
        "Foreign countries are printing counterfeit mail-in ballots."
    );
    assert_eq!(first.claims[0].title, first.title);

    let quoted = &imported.narratives[1].claims[0];
    assert_eq!(
        quoted.text,
        "A viral post says \"millions\" of ballots\nwere mailed to dead voters."
    );
    assert_eq!(
        quoted.title,
        "Were \"Millions\" of Ballots Mailed to Dead Voters?"
    );

    let untitled = &imported.narratives[2];
    assert_eq!(untitled.claims[0].title, "");
    assert_eq!(untitled.title, untitled.claims[0].text);
}

#[test]
fn checkthat2020_skips_bad_rows_with_their_line() {
    let imported = import(&fixture("checkthat2020.tsv"), ImportFormat::CheckThat2020).unwrap();
    assert_eq!(
        positions(&imported),
        ["line 5", "line 6", "line 7", "line 9"]
    );
    let messages: Vec<&str> = imported
        .skipped
        .iter()
        .map(|s| s.message.as_str())
        .collect();
    assert_eq!(messages[0], "found 2 fields, expected 3");
    assert_eq!(messages[1], "empty vclaim_id");
    assert_eq!(messages[2], "claim \"3\": empty vclaim");
    assert_eq!(messages[3], "duplicate vclaim_id \"1\"");
    assert_eq!(
        imported.skipped[0].to_string(),
        "line 5: found 2 fields, expected 3"
    );
}

#[test]
fn checkthat2020_rejects_a_file_without_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.tsv");
    std::fs::write(&path, "id\ttext\n1\tSomething\n").unwrap();
    let err = import(&path, ImportFormat::CheckThat2020).unwrap_err();
    assert!(matches!(err, KbError::Parse { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("claims.tsv") && message.contains("vclaim"),
        "{message}"
    );
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    for format in ImportFormat::ALL {
        let err = import(&fixture("does-not-exist.txt"), format).unwrap_err();
        assert!(matches!(err, KbError::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("does-not-exist.txt"), "{err}");
    }
}

#[test]
fn checkthat2022_maps_fields() {
    let imported = import(&fixture("checkthat2022.jsonl"), ImportFormat::CheckThat2022).unwrap();
    let ids: Vec<&str> = imported.narratives.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        ["vclaim-ex-foreign-ballots", "vclaim-ex-unsolicited", "42"]
    );
    let claim = &imported.narratives[0].claims[0];
    assert_eq!(
        imported.narratives[0].title,
        "Are Foreign Countries Printing Fake Ballots?"
    );
    assert_eq!(claim.id, "vclaim-ex-foreign-ballots");
    assert_eq!(claim.title, "Are Foreign Countries Printing Fake Ballots?");
    assert_eq!(claim.subtitle, "A claim that spread in the summer of 2020.");
    assert_eq!(claim.date, "24 June 2020");
    assert_eq!(claim.provenance.outlet, "Jane Example");
    assert_eq!(claim.claimant, "");

    let untitled = &imported.narratives[1];
    assert_eq!(
        untitled.title,
        "Democrats mailed 80 million unsolicited ballots."
    );
    assert_eq!(untitled.claims[0].title, "");
    assert_eq!(imported.narratives[2].claims[0].date, "4 November 2020");
}

#[test]
fn checkthat2022_skips_bad_lines_with_their_number() {
    let imported = import(&fixture("checkthat2022.jsonl"), ImportFormat::CheckThat2022).unwrap();
    assert_eq!(
        positions(&imported),
        ["line 3", "line 6", "line 7", "line 8", "line 9"]
    );
    let messages: Vec<&str> = imported
        .skipped
        .iter()
        .map(|s| s.message.as_str())
        .collect();
    assert!(messages[0].starts_with("invalid JSON: "), "{}", messages[0]);
    assert_eq!(
        messages[1],
        "claim \"vclaim-ex-no-text\": missing or empty vclaim"
    );
    assert_eq!(messages[2], "expected a JSON object");
    assert_eq!(
        messages[3],
        "duplicate vclaim_id \"vclaim-ex-foreign-ballots\""
    );
    assert!(
        messages[4].starts_with("not a CheckThat! 2022 record: invalid type: integer `7`"),
        "{}",
        messages[4]
    );
}

#[test]
fn a_file_with_no_importable_record_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wrong.jsonl");
    std::fs::write(&path, "vclaim_id,vclaim\n1,Something\n").unwrap();
    let err = import(&path, ImportFormat::CheckThat2022).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("wrong.jsonl"), "{message}");
    assert!(
        message.contains("2 skipped; first: line 1: invalid JSON"),
        "{message}"
    );
}

#[test]
fn flat_output_round_trips_checkthat_imports() {
    for (name, format) in [
        ("checkthat2020.tsv", ImportFormat::CheckThat2020),
        ("checkthat2022.jsonl", ImportFormat::CheckThat2022),
    ] {
        let imported = import(&fixture(name), format).unwrap();
        assert_eq!(
            flat_round_trip(&imported),
            sorted(&imported.narratives),
            "{name}"
        );
    }
}

#[test]
fn flat_output_leaves_out_empty_fields() {
    let imported = import(&fixture("checkthat2022.jsonl"), ImportFormat::CheckThat2022).unwrap();
    let mut out = Vec::new();
    write_flat(&imported, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let keys = |v: &serde_json::Value| {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(
        keys(&lines[0]),
        ["author", "date", "id", "subtitle", "text", "title"]
    );
    assert_eq!(keys(&lines[1]), ["author", "id", "text"]);
    assert_eq!(lines[2]["id"], "42");
}

#[test]
fn native_output_refuses_a_collection_without_statements() {
    let imported = import(&fixture("checkthat2020.tsv"), ImportFormat::CheckThat2020).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kb");
    let err = write_native(&imported, &out).unwrap_err();
    assert!(matches!(err, KbError::Invalid { .. }), "{err:?}");
    assert!(err.to_string().contains("--to flat"), "{err}");
    assert!(!out.exists(), "nothing may be written");
}
