//! The built `counterclaim` binary, run the way users run it.

mod util;

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_counterclaim"))
        .args(args)
        .current_dir(util::root())
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn match_prints_a_readable_answer_and_json() {
    let text = "Rusia y China van a falsificar boletas por correo";
    let out = run(&["match", text]);
    assert!(out.status.success());
    let s = stdout(&out);
    assert!(s.contains("foreign-counterfeit-mail-ballots"), "{s}");
    assert!(s.contains("official statements"), "{s}");

    let out = run(&["match", "--json", text]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["lang"], "es");
    assert_eq!(
        json["matches"][0]["narrative_id"],
        "foreign-counterfeit-mail-ballots"
    );

    let out = run(&["match", "--json", "https://t.co/xyz 🎉"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["matches"].as_array().unwrap().is_empty());
    assert!(
        json["no_match_reason"]
            .as_str()
            .unwrap()
            .contains("no words")
    );
}

#[test]
fn narratives_can_be_listed_shown_and_searched() {
    let list = stdout(&run(&["narratives", "list"]));
    assert_eq!(list.lines().count(), 4, "{list}");
    let show = run(&["narratives", "show", "delayed-count-means-rigged"]);
    assert!(show.status.success());
    assert!(stdout(&show).contains("Official statements:"));
    let missing = run(&["narratives", "show", "nope"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no narrative \"nope\""));
    let search = stdout(&run(&["narratives", "search", "fake ballots from China"]));
    assert!(
        search
            .lines()
            .next()
            .unwrap()
            .contains("foreign-counterfeit-mail-ballots"),
        "{search}"
    );
}

#[test]
fn kb_check_validates_and_names_the_problem() {
    let ok = run(&["kb", "check", "index"]);
    assert!(ok.status.success());
    assert!(stdout(&ok).contains("4 narratives"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    std::fs::write(&path, "{\"id\": \"a\", \"text\": \"fine\"}\nnot json\n").unwrap();
    let bad = run(&["kb", "check", path.to_str().unwrap()]);
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("bad.jsonl:2:"), "{stderr}");
}

#[test]
fn score_keeps_order_reports_bad_records_and_strict_stops() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "a", "text": "China will counterfeit millions of mail-in ballots"}"#,
            "\nnot json\n",
            r#"{"id": "b", "text": "lovely weather"}"#,
            "\n",
            r#"{"id": "c"}"#,
            "\n",
        ),
    )
    .unwrap();
    let errors = dir.path().join("errors.jsonl");
    let out = run(&[
        "score",
        input.to_str().unwrap(),
        "--errors",
        errors.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let records: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(
        records[0]["matches"][0]["narrative_id"],
        "foreign-counterfeit-mail-ballots"
    );
    let bad = std::fs::read_to_string(&errors).unwrap();
    let lines: Vec<serde_json::Value> = bad
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{bad}");
    assert_eq!(lines[0]["line"], 2);
    assert_eq!(lines[1]["line"], 4);

    let strict = run(&["score", input.to_str().unwrap(), "--strict"]);
    assert!(!strict.status.success());
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(
        stderr.contains("posts.jsonl, line 2: invalid JSON"),
        "{stderr}"
    );
}

#[test]
fn eval_ranks_a_flat_collection() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("claims.jsonl");
    std::fs::write(
        &kb,
        concat!(
            r#"{"id": "c1", "text": "Foreign countries will counterfeit mail-in ballots"}"#,
            "\n",
            r#"{"id": "c2", "text": "The moon landing was staged in a studio"}"#,
            "\n",
        ),
    )
    .unwrap();
    let queries = dir.path().join("q.tsv");
    std::fs::write(
        &queries,
        "\ttweet_content\n1\tthe moon landing was staged\n2\tcounterfeit ballots from abroad\n",
    )
    .unwrap();
    let qrels = dir.path().join("q.qrels");
    std::fs::write(&qrels, "1 0 c2 1\n2 0 c1 1\n").unwrap();
    let out = run(&[
        "eval",
        "--kb",
        kb.to_str().unwrap(),
        "--queries",
        queries.to_str().unwrap(),
        "--qrels",
        qrels.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).starts_with("n=2  MAP@5=1.0000"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_missing_or_corrupt_model_falls_back_to_lexical_matching() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt");
    std::fs::create_dir(&corrupt).unwrap();
    for file in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::write(corrupt.join(file), b"not a model").unwrap();
    }
    let missing = dir.path().join("missing");
    let post = "Russia and China will print counterfeit mail-in ballots";
    for model in [&missing, &corrupt] {
        let o = run(&["match", "--model", model.to_str().unwrap(), post]);
        assert!(o.status.success());
        assert!(stdout(&o).contains("foreign-counterfeit-mail-ballots"));
        let log = String::from_utf8_lossy(&o.stderr);
        assert!(log.contains("lexical only"), "{log}");
        assert!(
            log.contains(model.to_str().unwrap()),
            "names the model: {log}"
        );
    }
}

#[test]
fn eval_stream_counts_alarms_misses_and_shows_why() {
    let dir = tempfile::tempdir().unwrap();
    let stream = dir.path().join("stream.csv");
    std::fs::write(
        &stream,
        concat!(
            "id,text\n",
            "1,Moscow and Beijing are cranking out phony ballots\n",
            "2,My sourdough starter finally bubbled today\n",
            "3,Absentee voting is how they will steal it\n",
            "4,Happy birthday to my favourite aunt\n",
        ),
    )
    .unwrap();
    let labels = dir.path().join("labels.jsonl");
    std::fs::write(
        &labels,
        concat!(
            r#"{"id": "1", "narrative": "foreign-counterfeit-mail-ballots", "stance": "promotes"}"#,
            "\n",
            r#"{"id": "4", "narrative": "unsolicited-ballots-chaos"}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = run(&[
        "eval",
        "--lexical",
        "--stream",
        stream.to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = stdout(&out);
    // Post 3 matches a narrative nobody labelled: a false alarm, shown with its evidence;
    // post 4 is labelled but matches nothing: a miss.
    assert!(s.starts_with("posts=4  labelled=2"), "{s}");
    assert!(s.contains("false alarms=1 (2500.00 per 10,000)"), "{s}");
    assert!(s.contains("recall=0.5000 (1/2)"), "{s}");
    assert!(s.contains("- 3 [label: none] Absentee voting"), "{s}");
    assert!(s.contains("best: mail-voting-widespread-fraud"), "{s}");
    assert!(s.contains("- 4 [label: unsolicited-ballots-chaos]"), "{s}");
}
