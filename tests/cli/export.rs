//! `kb export`: the shipped knowledge base published as ClaimReview, read back by `kb import`.

use super::{path, run, stderr, stdout};

#[test]
fn exported_claim_reviews_import_back_into_a_knowledge_base_that_checks() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("claimreview.json");
    let out = run(&[
        "kb",
        "export",
        "--format",
        "claimreview",
        "--base-url",
        "https://elections.example.gov/",
        "-o",
        path(&feed),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "-o writes to the file only");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&feed).unwrap()).unwrap();
    assert_eq!(json["@type"], "DataFeed");
    let items = json["dataFeedElement"].as_array().unwrap();
    assert_eq!(items.len(), 4, "every shipped narrative");
    assert_eq!(
        items[0]["item"]["url"],
        "https://elections.example.gov/narratives/delayed-count-means-rigged"
    );

    let kb = dir.path().join("kb");
    let out = run(&[
        "kb",
        "import",
        "--format",
        "claimreview",
        path(&feed),
        "--to",
        "native",
        "-o",
        path(&kb),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("4 narratives"), "{}", stderr(&out));
    let out = run(&["kb", "check", path(&kb)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok"), "{}", stdout(&out));

    // The same ids as the shipped knowledge base.
    let listed = |args: &[&str]| -> Vec<String> {
        stdout(&run(args))
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        listed(&["narratives", "--kb", path(&kb), "list"]),
        listed(&["narratives", "list"])
    );
}

#[test]
fn one_narrative_goes_to_stdout_and_errors_name_the_flag() {
    let out = run(&[
        "kb",
        "export",
        "--format",
        "claimreview",
        "--narrative",
        "foreign-counterfeit-mail-ballots",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let review: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(review["@type"], "ClaimReview");
    assert_eq!(
        review["url"],
        "https://counterclaim.invalid/narratives/foreign-counterfeit-mail-ballots"
    );

    for (args, flag) in [
        (
            &["--narrative", "no-such-narrative"][..],
            "--narrative no-such-narrative",
        ),
        (&["--base-url", "elections.example.gov"][..], "--base-url"),
    ] {
        let mut all = vec!["kb", "export", "--format", "claimreview"];
        all.extend_from_slice(args);
        let out = run(&all);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(flag), "{}", stderr(&out));
    }
    let out = run(&["kb", "export", "--format", "rss"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("--format") && err.contains("claimreview"),
        "{err}"
    );
}
