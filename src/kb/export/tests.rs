//! Tests of the ClaimReview export: the mapping, and the round trip through the importer.

use std::path::Path;

use serde_json::{Value, json};

use super::claimreview;
use super::{ExportFormat, claimreview::narrative_url};
use crate::kb::import::claimreview::from_value;
use crate::kb::{Claim, KnowledgeBase, Narrative, OfficialStatement, Provenance};

const BASE: &str = "https://elections.example.gov/";

fn claim(id: &str, claimant: &str, role: &str, date: &str, url: &str) -> Claim {
    Claim {
        id: id.into(),
        text: format!("words of {id}"),
        claimant: claimant.into(),
        claimant_role: role.into(),
        date: date.into(),
        provenance: Provenance {
            url: url.into(),
            ..Provenance::default()
        },
        ..Claim::default()
    }
}

fn statement(
    id: &str,
    agency: &str,
    date: &str,
    date_note: &str,
    context: &str,
) -> OfficialStatement {
    OfficialStatement {
        id: id.into(),
        speaker: format!("Speaker {id}"),
        role: "Director".into(),
        agency: agency.into(),
        date: date.into(),
        date_note: date_note.into(),
        quote: format!("Quote of {id}, which stands alone well enough to be read."),
        context: context.into(),
        rebuts: vec!["forged-ballots".into()],
        ..OfficialStatement::default()
    }
}

/// A narrative with two claims and three statements from two agencies, and one narrative that
/// nothing rebuts.
fn kb() -> KnowledgeBase {
    let forged = Narrative {
        id: "forged-ballots".into(),
        title: "Foreign countries forge mail ballots".into(),
        summary: "False: ballots cannot be forged at scale.".into(),
        claims: vec![
            claim(
                "c1",
                "A Claimant",
                "Senator",
                "2020-09-03",
                "https://social.example/1",
            ),
            claim("c2", "A Claimant", "", "2020-08-01", ""),
            claim("c3", "Another", "", "", "https://social.example/3"),
        ],
        ..Narrative::default()
    };
    let unrebutted = Narrative {
        id: "unrebutted".into(),
        title: "Nobody answered this".into(),
        claims: vec![claim("c4", "", "", "", "")],
        ..Narrative::default()
    };
    let statements = vec![
        statement("s1", "Agency One", "2020-07-24", "", ""),
        statement(
            "s2",
            "Agency Two",
            "",
            "the day before",
            "The report's words.",
        ),
        statement("s3", "Agency One", "2020-09-10", "", ""),
    ];
    KnowledgeBase::from_parts(
        Path::new("test"),
        vec![forged, unrebutted],
        statements,
        false,
    )
    .unwrap()
}

#[test]
fn a_narrative_maps_to_a_claim_review() {
    let kb = kb();
    let review = claimreview::narrative(&kb, kb.narrative("forged-ballots").unwrap(), BASE);
    assert_eq!(review["@context"], "https://schema.org");
    assert_eq!(review["@type"], "ClaimReview");
    assert_eq!(
        review["url"],
        "https://elections.example.gov/narratives/forged-ballots"
    );
    assert_eq!(
        review["claimReviewed"],
        "Foreign countries forge mail ballots"
    );
    assert_eq!(
        review["name"],
        "False: Foreign countries forge mail ballots"
    );
    assert_eq!(
        review["description"],
        "False: ballots cannot be forged at scale."
    );
    assert_eq!(
        review["datePublished"], "2020-09-10",
        "the latest statement date"
    );
    assert_eq!(
        review["author"],
        json!([
            {"@type": "Organization", "name": "Agency One"},
            {"@type": "Organization", "name": "Agency Two"},
        ])
    );
    assert_eq!(
        review["publisher"],
        json!({"@type": "Organization", "name": "Agency One"})
    );
    assert_eq!(
        review["reviewRating"],
        json!({"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
               "alternateName": "False"})
    );
    let body = review["reviewBody"].as_str().unwrap();
    let paragraphs: Vec<&str> = body.split("\n\n").collect();
    assert_eq!(
        paragraphs,
        [
            "“Quote of s1, which stands alone well enough to be read.” — Speaker s1, Director, \
             Agency One, 2020-07-24.",
            "“Quote of s2, which stands alone well enough to be read.” — Speaker s2, Director, \
             Agency Two, the day before. Reported context: The report's words.",
            "“Quote of s3, which stands alone well enough to be read.” — Speaker s3, Director, \
             Agency One, 2020-09-10.",
        ]
    );
    assert_eq!(
        review["itemReviewed"],
        json!({
            "@type": "Claim",
            "name": "Foreign countries forge mail ballots",
            "author": [
                {"@type": "Person", "name": "A Claimant", "jobTitle": "Senator"},
                {"@type": "Person", "name": "Another"},
            ],
            "datePublished": "2020-08-01",
            "appearance": [
                {"@type": "CreativeWork", "url": "https://social.example/1"},
                {"@type": "CreativeWork", "url": "https://social.example/3"},
            ],
        })
    );
}

#[test]
fn missing_values_are_left_out_not_invented() {
    let kb = kb();
    let review = claimreview::narrative(&kb, kb.narrative("unrebutted").unwrap(), BASE);
    for key in [
        "author",
        "publisher",
        "reviewBody",
        "datePublished",
        "description",
    ] {
        assert!(review.get(key).is_none(), "{key}: {review}");
    }
    assert_eq!(
        review["itemReviewed"],
        json!({"@type": "Claim", "name": "Nobody answered this"})
    );
    assert_eq!(review["reviewRating"]["alternateName"], "False");
}

#[test]
fn the_feed_holds_every_rebutted_narrative() {
    let kb = kb();
    let feed = claimreview::all(&kb, BASE);
    assert_eq!(feed["@context"], "https://schema.org");
    assert_eq!(feed["@type"], "DataFeed");
    assert_eq!(feed["url"], "https://elections.example.gov");
    let items = feed["dataFeedElement"].as_array().unwrap();
    assert_eq!(items.len(), 1, "the unrebutted narrative is left out");
    assert_eq!(items[0]["@type"], "DataFeedItem");
    let review = &items[0]["item"];
    assert!(
        review.get("@context").is_none(),
        "the feed gives the context"
    );
    let mut standalone = claimreview::narrative(&kb, &kb.narratives()[0], BASE);
    standalone.as_object_mut().unwrap().remove("@context");
    assert_eq!(review, &standalone);
}

#[test]
fn urls_join_the_base_and_the_id() {
    for base in ["https://x.gov", "https://x.gov/", "https://x.gov//"] {
        assert_eq!(narrative_url(base, "a-b"), "https://x.gov/narratives/a-b");
    }
    assert_eq!(
        narrative_url("https://x.gov/elections", "a"),
        "https://x.gov/elections/narratives/a"
    );
}

#[test]
fn formats_parse_by_name() {
    assert_eq!(" ClaimReview ".parse(), Ok(ExportFormat::ClaimReview));
    let e = "rss".parse::<ExportFormat>().unwrap_err();
    assert_eq!(
        e,
        "unknown export format \"rss\" (expected one of: claimreview)"
    );
}

/// "The same narratives": the same ids and titles, one per exported narrative, each rebutted by
/// one statement holding the quote and speaker of every statement that rebutted it.
fn assert_round_trip(kb: &KnowledgeBase, feed: &Value) {
    let imported = from_value(feed);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    let exported: Vec<&Narrative> = kb
        .narratives()
        .iter()
        .filter(|n| !n.statement_ids.is_empty())
        .collect();
    let pairs = |ns: &mut dyn Iterator<Item = &Narrative>| -> Vec<(String, String)> {
        ns.map(|n| (n.id.clone(), n.title.clone())).collect()
    };
    assert_eq!(
        pairs(&mut imported.narratives.iter()),
        pairs(&mut exported.iter().copied())
    );
    assert_eq!(imported.statements.len(), exported.len());
    for (original, statement) in exported.iter().zip(&imported.statements) {
        assert_eq!(statement.rebuts, std::slice::from_ref(&original.id));
        assert!(
            statement.quote.starts_with("Rated: False — “"),
            "{}",
            statement.quote
        );
        for s in kb.statements_for(original) {
            assert!(
                statement.quote.contains(&s.quote),
                "{}: {}",
                original.id,
                s.id
            );
            assert!(
                statement.quote.contains(&s.speaker),
                "{}: {}",
                original.id,
                s.id
            );
        }
        let first_agency = &kb.statements_for(original).next().unwrap().agency;
        assert_eq!(&statement.speaker, first_agency);
        assert_eq!(&statement.agency, first_agency);
    }
    // What the importer writes out loads as a curated knowledge base.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kb");
    crate::kb::import::write_native(&imported, &out).unwrap();
    let reloaded = KnowledgeBase::load(&out).unwrap();
    assert_eq!(reloaded.narratives().len(), exported.len());
}

#[test]
fn the_shipped_knowledge_base_round_trips_through_the_importer() {
    let kb = KnowledgeBase::built_in().unwrap();
    let feed = claimreview::all(&kb, "https://counterclaim.invalid");
    assert_eq!(
        feed["dataFeedElement"].as_array().unwrap().len(),
        kb.narratives().len(),
        "every shipped narrative is rebutted"
    );
    assert_round_trip(&kb, &feed);
    // One narrative's review re-imports alone the same way.
    let first = &kb.narratives()[0];
    let one = from_value(&claimreview::narrative(&kb, first, BASE));
    assert_eq!(one.narratives.len(), 1);
    assert_eq!(
        (&one.narratives[0].id, &one.narratives[0].title),
        (&first.id, &first.title)
    );
}

#[test]
fn the_mapping_fixture_round_trips_too() {
    let kb = kb();
    assert_round_trip(&kb, &claimreview::all(&kb, BASE));
    let imported = from_value(&claimreview::all(&kb, BASE));
    let claim = &imported.narratives[0].claims[0];
    assert_eq!(claim.claimant, "A Claimant");
    assert_eq!(claim.date, "2020-08-01");
    assert_eq!(claim.provenance.url, "https://social.example/1");
    assert_eq!(imported.statements[0].date, "2020-09-10");
}
