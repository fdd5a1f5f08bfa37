//! The built `counterclaim` binary, run the way users run it.

#[path = "../util/mod.rs"]
mod util;

mod admin;
mod anywhere;
mod export;
mod feedback;
mod keys;
mod score;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary with `args`, in the crate root, logging warnings, with none of the variables a
/// user may have set.
fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_counterclaim"));
    command
        .args(args)
        .current_dir(util::root())
        .env("RUST_LOG", "warn");
    for var in [
        "COUNTERCLAIM_KB",
        "COUNTERCLAIM_MODEL",
        "COUNTERCLAIM_INDEX_DIR",
        "COUNTERCLAIM_DATA_DIR",
        "COUNTERCLAIM_LOG_FORMAT",
        "COUNTERCLAIM_API_KEYS",
        "COUNTERCLAIM_API_KEYS_FILE",
        "COUNTERCLAIM_TLS_CERT",
        "COUNTERCLAIM_TLS_KEY",
        "COUNTERCLAIM_TLS_CLIENT_CA",
        "NO_COLOR",
    ] {
        command.env_remove(var);
    }
    command
}

fn run(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

/// Runs `command` with `input` on its standard input.
fn run_with_stdin(mut command: Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A file named `name` holding `contents`, in a new temporary directory (removed with it).
fn temp_file(name: &str, contents: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, contents).unwrap();
    (dir, file)
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

    // Every stance reads as a sentence.
    for (post, sentence) in [
        (
            "Is China really printing fake mail-in ballots?",
            "the post mentions it without taking a side",
        ),
        (
            "China will print millions of fake mail-in ballots",
            "the post promotes it",
        ),
        (
            "There is no evidence that China is printing fake mail-in ballots, that claim was debunked",
            "the post debunks it",
        ),
    ] {
        let s = stdout(&run(&["match", post]));
        assert!(s.contains(&format!(": {sentence}\n")), "{s}");
        assert!(!s.contains("the post neutral"), "{s}");
    }

    // Statements carry their date and the report's words they need to stand alone.
    let s = stdout(&run(&[
        "match",
        "China will print millions of fake mail-in ballots",
    ]));
    assert!(
        s.contains(
            "2020-07-24 (July 24 statement on electoral threats, 100 days before November 3)"
        ),
        "{s}"
    );
    assert!(
        s.contains("In context: When asked if he had heard those concerns"),
        "{s}"
    );
    assert!(s.contains("undated in the report"), "{s}");

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
    assert!(!search.contains("0.00"), "hits scoring nothing: {search}");
    let none = run(&["narratives", "search", "my sourdough starter"]);
    assert!(none.status.success());
    assert!(
        stdout(&none).starts_with("No narrative matches \"my sourdough starter\"."),
        "{}",
        stdout(&none)
    );
    let empty = run(&["narratives", "search", " "]);
    assert!(!empty.status.success());
    assert!(
        stderr(&empty).contains("the query is empty: give a few words to look for"),
        "{}",
        stderr(&empty)
    );
}

#[test]
fn narratives_show_dates_and_context_of_every_statement() {
    let show = run(&["narratives", "show", "foreign-counterfeit-mail-ballots"]);
    let s = stdout(&show);
    assert!(show.status.success());
    assert!(
        s.contains(
            "- Bill Evanina, Top election official of the US intelligence community, \
             Office of the Director of National Intelligence (ODNI); 2020-07-24 (July 24 \
             statement on electoral threats, 100 days before November 3):\n  \"extraordinarily \
             difficult\"\n  In context: Changing actual votes, he said, as the President \
             repeatedly alleges, is \"extraordinarily difficult.\""
        ),
        "{s}"
    );
    // A claim's timing too.
    assert!(
        s.contains("(Donald Trump, Friday, at the White House"),
        "{s}"
    );
    // The late-count narrative no longer offers a warning about attacks as its rebuttal.
    let s = stdout(&run(&["narratives", "show", "delayed-count-means-rigged"]));
    assert!(!s.contains("ripe for a destructive"), "{s}");
    assert!(s.contains("The reality is that it is no longer about election day"));
}

#[test]
fn a_flat_collection_shows_what_it_has_and_says_what_it_lacks() {
    let (_dir, kb) = temp_file(
        "claims.jsonl",
        "{\"id\": \"c1\", \"text\": \"Foreign countries will counterfeit mail-in ballots\"}\n",
    );
    let s = stdout(&run(&["narratives", "show", "c1", "--kb", path(&kb)]));
    assert!(
        s.contains("- c1: \"Foreign countries"),
        "no empty claimant: {s}"
    );
    assert!(
        s.contains("Official statements: none in this knowledge base."),
        "{s}"
    );
    let s = stdout(&run(&[
        "match",
        "--kb",
        path(&kb),
        "China will counterfeit mail-in ballots",
    ]));
    assert!(
        s.contains("(c1)") && !s.contains("official statements"),
        "{s}"
    );
}

/// A copy of the shipped knowledge base in `dir`, with `edit` applied to statements.toml.
fn edited_kb(dir: &Path, edit: impl Fn(String) -> String) -> std::path::PathBuf {
    let index = util::root().join("index");
    let kb = dir.join("kb");
    std::fs::create_dir_all(kb.join("narratives")).unwrap();
    for entry in std::fs::read_dir(index.join("narratives")).unwrap() {
        let from = entry.unwrap().path();
        std::fs::copy(&from, kb.join("narratives").join(from.file_name().unwrap())).unwrap();
    }
    std::fs::copy(index.join("sources.toml"), kb.join("sources.toml")).unwrap();
    let statements = std::fs::read_to_string(index.join("statements.toml")).unwrap();
    std::fs::write(kb.join("statements.toml"), edit(statements)).unwrap();
    kb
}

#[test]
fn kb_check_warns_about_statements_that_do_not_stand_alone() {
    let ok = run(&["kb", "check", "index"]);
    assert!(ok.status.success());
    assert_eq!(stderr(&ok), "", "the shipped statements stand alone");

    let dir = tempfile::tempdir().unwrap();
    let kb = edited_kb(dir.path(), |statements| {
        (statements.lines())
            .filter(|l| !l.starts_with("context = 'When asked if he had heard"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let out = run(&["kb", "check", path(&kb)]);
    assert!(out.status.success(), "a warning, not an error");
    let log = stderr(&out);
    assert!(log.starts_with("warning: "), "{log}");
    assert!(
        log.contains(
            "statement \"jackson-lee-not-heard-concerns\": the quote \"I have not\" has fewer \
             than 6 words and no context"
        ),
        "{log}"
    );
    assert_eq!(log.lines().count(), 1, "{log}");
}

#[test]
fn kb_check_warns_about_an_alias_that_matches_as_one_word() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kb.jsonl");
    std::fs::write(
        &path,
        r#"{"id": "c1", "text": "Ballots mailed to people who moved", "concepts": [{"id": "moved", "en": ["moved out"]}]}"#,
    )
    .unwrap();
    let out = run(&["kb", "check", path.to_str().unwrap()]);
    assert!(out.status.success(), "a warning, not an error");
    let log = stderr(&out);
    assert!(
        log.starts_with("warning: ")
            && log.contains(
                r#"concept "moved": the alias "moved out" matches as the single term "move""#
            ),
        "{log}"
    );
    assert_eq!(log.lines().count(), 1, "{log}");
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
    assert!(
        s.contains("concepts: mail-voting: absentee; fraud: steal"),
        "{s}"
    );
    assert!(s.contains("- 4 [label: unsolicited-ballots-chaos]"), "{s}");
    // A miss shows how the post names the labelled narrative's concepts: here, not at all.
    assert!(
        s.contains("concepts of unsolicited-ballots-chaos: ballots: (no alias in the post);"),
        "{s}"
    );
}

#[test]
fn eval_stream_reads_standard_input() {
    let (_dir, labels) = temp_file(
        "labels.jsonl",
        r#"{"id": "1", "narrative": "foreign-counterfeit-mail-ballots"}"#,
    );
    let out = run_with_stdin(
        command(&[
            "eval",
            "--lexical",
            "--stream",
            "-",
            "--labels",
            path(&labels),
        ]),
        "{\"id\": \"1\", \"text\": \"Moscow and Beijing are cranking out phony ballots\"}\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("recall=1.0000 (1/1)"),
        "{}",
        stdout(&out)
    );
}
