//! Order, counts, output shapes, settings.

use std::collections::BTreeMap;
use std::fs;

use super::*;

#[test]
fn keeps_input_order_across_inputs_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.jsonl", jsonl_posts(0..2500, true));
    let b = write(dir.path(), "b.ndjson", jsonl_posts(2500..5000, false));
    let out = dir.path().join("out.jsonl");
    let mut config = config(&[&a, &b], &out);
    config.threads = Some(8);
    let (summary, records) = score_checked(&config);

    let expected: Vec<String> = (0..5000).map(|i| i.to_string()).collect();
    assert_eq!(ids(&records), expected);
    assert_eq!((summary.posts_read, summary.skipped), (5000, 0));

    let mut per_narrative: BTreeMap<String, u64> = BTreeMap::new();
    let mut matched = 0;
    for (i, r) in records.iter().enumerate() {
        let matches = r["matches"].as_array().unwrap();
        // Same text, same answer, wherever the post sits in the run.
        let same_text = &records[i % TEXTS.len()];
        assert_eq!(r["matches"], same_text["matches"], "post {i}");
        if matches.is_empty() {
            assert!(r["reason"].as_str().is_some_and(|s| !s.is_empty()), "{r}");
        } else {
            matched += 1;
            assert!(r.get("reason").is_none(), "{r}");
        }
        for m in matches {
            *per_narrative
                .entry(m["narrative_id"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
    }
    assert_eq!(summary.matched, matched);
    assert!(matched > 0);
    assert_eq!(summary.matches_per_narrative, per_narrative);
    assert!(
        records[0]["matches"][0]["narrative_id"] == "foreign-counterfeit-mail-ballots",
        "{}",
        records[0]
    );
}

#[test]
fn one_thread_and_many_write_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "posts.jsonl", jsonl_posts(0..300, false));
    let one = dir.path().join("one.jsonl");
    let many = dir.path().join("many.jsonl");
    let mut config = config(&[&input], &one);
    config.threads = Some(1);
    score(matcher(), &config).unwrap();
    config.output = Some(many.clone());
    config.threads = Some(6);
    score(matcher(), &config).unwrap();
    assert_eq!(fs::read(&one).unwrap(), fs::read(&many).unwrap());
}

#[test]
fn jsonl_output_shape() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "posts.jsonl", jsonl_posts(0..2, false));
    let out = dir.path().join("out.jsonl");
    let (_, records) = score_checked(&config(&[&input], &out));
    // serde_json sorts the keys it reads.
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();

    let matched = &records[0];
    assert_eq!(keys(matched), ["id", "matches"]);
    let m = &matched["matches"][0];
    assert_eq!(
        keys(m),
        [
            "claim_id",
            "narrative_id",
            "score",
            "stance",
            "statement_ids"
        ]
    );
    let score = m["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));
    assert!(m["score"].to_string().len() <= 6, "rounded: {}", m["score"]);
    assert!(["promotes", "debunks", "neutral"].contains(&m["stance"].as_str().unwrap()));
    assert!(m["claim_id"].is_null() || m["claim_id"].is_string());
    assert!(!m["statement_ids"].as_array().unwrap().is_empty());

    let unmatched = &records[1];
    assert_eq!(keys(unmatched), ["id", "matches", "reason"]);
    assert_eq!(unmatched["matches"], serde_json::json!([]));
}

#[test]
fn csv_output_shape_with_every_top_k_candidate() {
    let dir = tempfile::tempdir().unwrap();
    // Post 0 is about foreign ballots and about mail fraud as a whole: two candidates.
    let both = "Mail-in voting is rife with fraud, and Russia and China will print counterfeit mail-in ballots to rig the election";
    let posts = jsonl_posts(0..6, false).replacen(MATCHING, both, 1);
    let input = write(dir.path(), "posts.jsonl", posts);
    let out = dir.path().join("out.csv");
    let mut config = config(&[&input], &out);
    config.output_format = OutputFormat::Csv;
    config.options.max_matches = 3;
    config.options.min_score = Some(0.0);
    score_checked(&config);

    let mut reader = csv::Reader::from_path(&out).unwrap();
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "id",
            "narrative_id",
            "score",
            "stance",
            "claim_id",
            "statement_ids",
            "reason"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let first: Vec<_> = rows.iter().filter(|r| &r[0] == "0").collect();
    // min_score 0: every candidate up to the top 3, however weak. A candidate is a narrative
    // whose concepts the post all mentions and no probe vetoes: "mail-in voting is rife with
    // fraud" is mail fraud too.
    assert_eq!(first.len(), 2, "{rows:?}");
    assert_eq!(&first[0][1], "foreign-counterfeit-mail-ballots");
    assert_eq!(&first[1][1], "mail-voting-widespread-fraud");
    for row in &first {
        assert!(row[2].parse::<f32>().is_ok(), "{row:?}");
        assert!(!row[5].is_empty() && !row[5].contains(' '), "{row:?}");
        assert_eq!(&row[6], "");
    }
    assert!(first.iter().any(|r| r[5].contains(';')), "{first:?}");
    // Nothing left to match (links and emoji): one row, the reason, whatever min_score says.
    let second: Vec<_> = rows.iter().filter(|r| &r[0] == "5").collect();
    assert_eq!(second.len(), 1);
    assert_eq!(
        &second[0].iter().collect::<Vec<_>>()[1..6],
        ["", "", "", "", ""]
    );
    assert_eq!(&second[0][6], crate::matcher::REASON_EMPTY);
}

#[test]
fn summary_counts_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "posts.jsonl",
        format!("{}not json\n", jsonl_posts(0..12, false)),
    );
    let out = dir.path().join("out.jsonl");
    let mut config = config(&[&input], &out);
    config.progress = true; // stderr is no terminal here: drawn nowhere, but exercised
    let (summary, records) = score_checked(&config);
    assert_eq!(summary.posts_read, 13);
    assert_eq!(summary.skipped, 1);
    assert_eq!(records.len(), 12);
    let with_matches = records
        .iter()
        .filter(|r| r["matches"] != serde_json::json!([]));
    assert_eq!(summary.matched, with_matches.count() as u64);
    assert!(summary.seconds > 0.0 && summary.posts_per_second > 0.0);

    let text = summary.to_text();
    assert!(text.starts_with("13 posts read in "), "{text}");
    assert!(text.contains("12 written"), "{text}");
    assert!(text.contains("1 skipped"), "{text}");
    assert!(text.contains("foreign-counterfeit-mail-ballots"), "{text}");
    let json = serde_json::to_value(&summary).unwrap();
    for key in [
        "posts_read",
        "matched",
        "skipped",
        "matches_per_narrative",
        "seconds",
        "posts_per_second",
    ] {
        assert!(json.get(key).is_some(), "{key}: {json}");
    }
}

#[test]
fn refuses_unusable_settings_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "posts.jsonl", jsonl_posts(0..2, false));
    let out = dir.path().join("out.jsonl");
    let config_error = |config: &ScoreConfig| match score(matcher(), config) {
        Err(BatchError::Config(message)) => message,
        other => panic!("{other:?}"),
    };

    let mut c = config(&[], &out);
    assert!(config_error(&c).contains("no inputs"));
    c = config(&[&write(dir.path(), "posts.txt", "")], &out);
    assert!(config_error(&c).contains("cannot tell the input format"));
    c = config(&[&input], &input);
    assert!(config_error(&c).contains("also an input"));
    c = config(&[&input], &out);
    c.errors = Some(out.clone());
    assert!(config_error(&c).contains("is also the output"));
    c = config(&[&input], &out);
    c.options.min_score = Some(2.0);
    assert!(config_error(&c).contains("min_score"));
    c.options.min_score = Some(0.5);
    c.text_field = "id".to_owned();
    assert!(config_error(&c).contains("both"));
    assert!(!out.exists(), "nothing written");
    assert_eq!(
        fs::read_to_string(&input).unwrap(),
        jsonl_posts(0..2, false)
    );

    c = config(&[&input, &dir.path().join("missing.jsonl")], &out);
    match score(matcher(), &c) {
        Err(BatchError::Io { path, .. }) => assert!(path.ends_with("missing.jsonl")),
        other => panic!("{other:?}"),
    }
    assert!(
        !out.exists(),
        "a missing input fails before the first is read"
    );
}
