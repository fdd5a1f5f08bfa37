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
