//! Tests of the ClaimReview importer and the native writer.

use sha2::{Digest, Sha256};

use super::tests::{fixture, flat_round_trip};
use super::{ImportFormat, Imported, SourceInfo, import, write_native};
use crate::kb::{KbError, KnowledgeBase, Narrative};

fn load(name: &str) -> Imported {
    import(&fixture(name), ImportFormat::ClaimReview).unwrap()
}

fn ids(imported: &Imported) -> Vec<&str> {
    imported.narratives.iter().map(|n| n.id.as_str()).collect()
}

fn skipped(imported: &Imported) -> Vec<String> {
    imported.skipped.iter().map(ToString::to_string).collect()
}

const ALL_FIXTURES: [&str; 4] = [
    "claimreview_single.json",
    "claimreview_array.json",
    "claimreview_itemlist.json",
    "claimreview_datafeed.json",
];

#[test]
fn single_object_maps_every_field() {
    let imported = load("claimreview_single.json");
    assert!(imported.skipped.is_empty());
    let id = "foreign-counterfeit-mail-in-ballots";
    assert_eq!(ids(&imported), [id]);
    let headline = "No, foreign countries are not printing counterfeit mail-in ballots";
    let review_url =
        "https://factcheck.example.org/2020/06/foreign-counterfeit-mail-in-ballots.html";

    let narrative = &imported.narratives[0];
    assert_eq!(
        narrative.title,
        "Foreign countries are printing counterfeit mail-in ballots"
    );
    assert_eq!(narrative.summary, "Rated False by Example Fact Check.");
    let claim = &narrative.claims[0];
    assert_eq!(claim.id, format!("{id}-claim"));
    assert_eq!(
        claim.text,
        "Foreign countries are printing counterfeit mail-in ballots"
    );
    assert_eq!(claim.claimant, "Example Claimant");
    assert_eq!(claim.date, "2020-06-22");
    assert_eq!(claim.provenance.source_id, format!("{id}-appearance"));
    assert_eq!(claim.provenance.outlet, "Example Fact Check");
    assert_eq!(claim.provenance.title, headline);
    assert_eq!(
        claim.provenance.url,
        "https://social.example.com/examplecl/status/1001"
    );

    let statement = &imported.statements[0];
    assert_eq!(imported.statements.len(), 1);
    assert_eq!(statement.id, format!("{id}-fact-check"));
    assert_eq!(statement.speaker, "Example Fact Check");
    assert_eq!(statement.role, "Fact-checker");
    assert_eq!(statement.agency, "Example Fact Check");
    assert_eq!(statement.date, "2020-06-25");
    assert_eq!(statement.published_in, review_url);
    assert!(
        statement
            .quote
            .starts_with("Rated: False — Election officials said")
    );
    assert_eq!(statement.rebuts, [id]);
    assert_eq!(statement.provenance.source_id, format!("{id}-source"));
    assert_eq!(statement.provenance.outlet, "Example Fact Check");
    assert_eq!(statement.provenance.title, headline);
    assert_eq!(statement.provenance.url, review_url);

    let source = |id: String, url: &str| SourceInfo {
        id,
        outlet: "Example Fact Check".into(),
        title: headline.into(),
        url: url.into(),
    };
    assert_eq!(
        imported.sources,
        [
            source(format!("{id}-source"), review_url),
            source(
                format!("{id}-appearance"),
                "https://social.example.com/examplecl/status/1001"
            ),
        ]
    );
}

#[test]
fn array_maps_author_publisher_and_falls_back_to_a_hash_id() {
    let imported = load("claimreview_array.json");
    let claim = "If counting continues after election night, the election is being stolen";
    let digest = Sha256::digest(claim.as_bytes());
    let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    let hashed = format!("cr-{hash}");
    assert_eq!(
        ids(&imported),
        ["unsolicited-ballots-chaos", hashed.as_str()]
    );

    let first = &imported.statements[0];
    assert_eq!(first.speaker, "Riley Examiner");
    assert_eq!(first.agency, "Example Checkers Network");
    assert_eq!(
        first.quote,
        "Rated: Misleading — Most states mail ballots only to voters who request them."
    );
    let first_claim = &imported.narratives[0].claims[0];
    assert_eq!(first_claim.claimant, "First Claimant");
    assert_eq!(
        first_claim.provenance.url,
        "https://video.example.com/watch?v=abc123"
    );

    let narrative = &imported.narratives[1];
    assert_eq!(narrative.title, claim);
    assert_eq!(narrative.summary, "");
    assert_eq!(narrative.claims[0].text, claim);
    assert_eq!(narrative.claims[0].claimant, "Anonymous social media users");
    assert_eq!(narrative.claims[0].date, "2020-11-04");
    assert_eq!(
        narrative.claims[0].provenance.source_id,
        format!("{hashed}-source")
    );
    let statement = &imported.statements[1];
    assert_eq!(statement.speaker, "Example Fact Check");
    assert_eq!(statement.quote, "Fact-check by Example Fact Check");
    assert_eq!(statement.published_in, "ClaimReview by Example Fact Check");
    assert_eq!(imported.sources.len(), 3);
}

#[test]
fn array_skips_malformed_and_foreign_records_by_index() {
    let imported = load("claimreview_array.json");
    assert_eq!(
        skipped(&imported),
        [
            "[1]: missing claimReviewed",
            "[2]: not a ClaimReview (@type \"Article\")",
        ]
    );
}

#[test]
fn item_list_feed_unwraps_list_items_and_keeps_ids_unique() {
    let imported = load("claimreview_itemlist.json");
    assert_eq!(
        ids(&imported),
        ["ballots-found-in-ditch", "ballots-found-in-ditch-2"]
    );
    assert_eq!(
        imported.narratives[1].title,
        "Hundreds of mail-in ballots were thrown in a ditch in Ohio"
    );
    assert_eq!(
        imported.statements[1].provenance.title,
        "Ballots in a ditch, again"
    );
    assert_eq!(imported.statements[1].quote, "Rated: Mostly False");
    assert_eq!(
        skipped(&imported),
        [
            "itemListElement[2].item: not a ClaimReview (@type \"WebPage\")",
            "itemListElement[3]: expected an object, found a string",
        ]
    );
}

#[test]
fn data_feed_reads_item_objects_and_arrays() {
    let imported = load("claimreview_datafeed.json");
    assert_eq!(ids(&imported), ["dead-voters-michigan", "sharpie-ballots"]);
    assert_eq!(
        imported.narratives[0].title,
        "Thousands of dead people voted in Michigan"
    );
    assert_eq!(
        imported.narratives[1].claims[0].provenance.url,
        "https://social.example.com/post/77"
    );
    assert_eq!(
        skipped(&imported),
        ["dataFeedElement[1].item: empty claimReviewed"]
    );
}

#[test]
fn fact_checker_falls_back_to_the_url_host() {
    let value = serde_json::json!({"@type": "schema:ClaimReview", "claimReviewed": "X",
        "url": "https://www.checks.example/"});
    let imported = super::claimreview::from_value(&value);
    assert!(imported.narratives[0].id.starts_with("cr-"));
    assert_eq!(imported.statements[0].speaker, "checks.example");
    assert_eq!(imported.statements[0].quote, "Fact-check by checks.example");
}

#[test]
fn invalid_json_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.json");
    std::fs::write(&path, "{\"@type\": \"ClaimReview\",").unwrap();
    let err = import(&path, ImportFormat::ClaimReview).unwrap_err();
    assert!(matches!(err, KbError::Parse { .. }), "{err:?}");
    assert!(err.to_string().contains("feed.json: invalid JSON"), "{err}");
}

#[test]
fn native_output_round_trips() {
    for name in ALL_FIXTURES {
        let imported = load(name);
        let dir = tempfile::tempdir().unwrap();
        write_native(&imported, dir.path()).unwrap();
        let kb = KnowledgeBase::load(dir.path()).unwrap();
        let mut expected = imported.narratives.clone();
        expected.sort_by(|a, b| a.id.cmp(&b.id));
        for narrative in &mut expected {
            narrative.statement_ids = vec![format!("{}-fact-check", narrative.id)];
        }
        assert_eq!(kb.narratives(), expected, "{name}");
        assert_eq!(kb.statements(), imported.statements, "{name}");
        for narrative in kb.narratives() {
            let file = dir.path().join(format!("narratives/{}.toml", narrative.id));
            assert!(file.is_file(), "{}", file.display());
        }
    }
}

#[test]
fn flat_output_round_trips_claim_review_imports() {
    let imported = load("claimreview_single.json");
    let loaded = flat_round_trip(&imported);
    let (original, loaded) = (&imported.narratives[0], &loaded[0]);
    assert_eq!(loaded.id, original.id);
    assert_eq!(loaded.title, original.title);
    assert_eq!(loaded.claims[0].id, original.claims[0].id);
    assert_eq!(loaded.claims[0].text, original.claims[0].text);
    assert_eq!(loaded.claims[0].date, original.claims[0].date);
    assert_eq!(loaded.claims[0].provenance.outlet, "Example Fact Check");
    assert_eq!(
        loaded.claims[0].provenance.url,
        original.claims[0].provenance.url
    );
}

#[test]
fn native_output_refuses_a_non_empty_directory() {
    let imported = load("claimreview_single.json");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sources.toml"), "").unwrap();
    let err = write_native(&imported, dir.path()).unwrap_err();
    assert!(err.to_string().contains("is not empty"), "{err}");
}

#[test]
fn native_output_refuses_claims_citing_unknown_sources() {
    let mut imported = load("claimreview_single.json");
    imported.sources.pop();
    let dir = tempfile::tempdir().unwrap();
    let err = write_native(&imported, &dir.path().join("kb")).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, KbError::Invalid { .. }), "{err:?}");
    assert!(
        message.contains("-appearance\", which is not among"),
        "{message}"
    );
}

#[test]
fn native_output_refuses_a_narrative_no_statement_rebuts() {
    let mut imported = load("claimreview_array.json");
    imported.statements.pop();
    let dir = tempfile::tempdir().unwrap();
    let err = write_native(&imported, &dir.path().join("kb")).unwrap_err();
    assert!(
        err.to_string().contains("no official statement rebuts it"),
        "{err}"
    );
}

#[test]
fn native_file_names_are_sanitized_and_unique() {
    let mut imported = load("claimreview_single.json");
    let template = imported.narratives[0].clone();
    let statement = imported.statements[0].clone();
    imported.narratives.clear();
    imported.statements.clear();
    for (i, id) in ["../Evil Id", "evil-id", "***"].into_iter().enumerate() {
        let mut narrative = Narrative {
            id: id.to_owned(),
            ..template.clone()
        };
        narrative.claims[0].id = format!("claim-{i}");
        imported.narratives.push(narrative);
        imported.statements.push(crate::kb::OfficialStatement {
            id: format!("statement-{i}"),
            rebuts: vec![id.to_owned()],
            ..statement.clone()
        });
    }
    let dir = tempfile::tempdir().unwrap();
    write_native(&imported, dir.path()).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("narratives"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["evil-id-2.toml", "evil-id.toml", "narrative.toml"]);
    let text = std::fs::read_to_string(dir.path().join("narratives/evil-id.toml")).unwrap();
    assert!(text.starts_with("id = \"../Evil Id\""), "{text}");
}
