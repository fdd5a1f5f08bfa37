//! The binary run as an installed command: from any directory, with the model where
//! `scripts/fetch_model.sh` puts it, and logs fit for a file or a log shipper.

use std::path::PathBuf;

use super::*;

/// `command` run in an empty directory, for a user whose home and data directories are empty.
fn elsewhere(args: &[&str], dir: &Path) -> Command {
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut command = command(args);
    command
        .current_dir(dir)
        .env("HOME", &home)
        .env_remove("XDG_DATA_HOME")
        .env("XDG_CACHE_HOME", dir.join("cache"));
    command
}

#[test]
fn every_command_works_outside_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let list = elsewhere(&["narratives", "list"], dir.path())
        .output()
        .unwrap();
    assert!(list.status.success(), "{}", stderr(&list));
    assert_eq!(stdout(&list).lines().count(), 4, "{}", stdout(&list));

    let check = elsewhere(&["kb", "check"], dir.path()).output().unwrap();
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).contains("4 narratives"));
    assert!(!stderr(&check).contains("warning"), "{}", stderr(&check));

    let post = "Russia and China will print counterfeit mail-in ballots";
    let matched = elsewhere(&["match", post], dir.path()).output().unwrap();
    assert!(matched.status.success(), "{}", stderr(&matched));
    assert!(stdout(&matched).contains("foreign-counterfeit-mail-ballots"));
    // No model anywhere: it says where it looked and how to point at one.
    let log = stderr(&matched);
    let data_dir = dir
        .path()
        .join("home/.local/share/counterclaim/models/all-MiniLM-L6-v2");
    assert!(log.contains(path(&data_dir)), "{log}");
    assert!(log.contains("--model or COUNTERCLAIM_MODEL"), "{log}");
}

#[test]
fn the_built_in_knowledge_base_is_the_one_in_index() {
    let dir = tempfile::tempdir().unwrap();
    let built_in = elsewhere(&["kb", "check"], dir.path()).output().unwrap();
    let on_disk = run(&["kb", "check", "index"]);
    let version = |o: &Output| {
        let out = stdout(o);
        let start = out.find("version ").expect("a version") + "version ".len();
        out[start..].split(':').next().unwrap().to_owned()
    };
    assert_eq!(version(&built_in), version(&on_disk));
}

#[test]
fn a_missing_path_names_the_flag_or_variable_that_set_it() {
    let out = run(&["narratives", "list", "--kb", "no-such-kb"]);
    assert!(!out.status.success());
    let log = stderr(&out);
    assert!(
        log.contains("knowledge base no-such-kb: no such file or directory"),
        "{log}"
    );
    assert!(log.contains("set by --kb"), "{log}");

    let mut command = command(&["narratives", "list"]);
    command.env("COUNTERCLAIM_KB", "no-such-kb");
    let log = stderr(&command.output().unwrap());
    assert!(
        log.contains("set by the environment variable COUNTERCLAIM_KB"),
        "{log}"
    );

    let out = run(&["match", "--model", "no-such-model", "mail-in ballots"]);
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("no-such-model does not exist (set by --model"),
        "{log}"
    );
}

/// The model fetched into the user's data directory (`scripts/fetch_model.sh`'s default) is the
/// one the binary uses, from any directory.
#[test]
fn the_model_is_found_in_the_user_data_directory() {
    let Some(model) = counterclaim::embed::find_default_model() else {
        assert!(
            std::env::var_os("COUNTERCLAIM_REQUIRE_MODEL").is_none(),
            "no model and COUNTERCLAIM_REQUIRE_MODEL is set"
        );
        eprintln!("SKIPPED the_model_is_found_in_the_user_data_directory: no model");
        return;
    };
    let model = util::root().join(model);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let copy: PathBuf = data.join("counterclaim/models/all-MiniLM-L6-v2");
    std::fs::create_dir_all(&copy).unwrap();
    for file in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::os::unix::fs::symlink(model.join(file), copy.join(file)).unwrap();
    }
    let mut command = elsewhere(&["match", "mail-in ballots are fraud"], dir.path());
    command.env("XDG_DATA_HOME", &data).env("RUST_LOG", "info");
    let out = command.output().unwrap();
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("mode=\"hybrid\""), "{log}");
}

#[test]
fn logs_have_no_colour_off_a_terminal_and_can_be_json() {
    let mut text = command(&["match", "--model", "no-such-model", "mail-in ballots"]);
    text.env("RUST_LOG", "info");
    let log = stderr(&text.output().unwrap());
    assert!(log.contains("lexical only"), "{log}");
    assert!(!log.contains('\u{1b}'), "escape codes in {log:?}");

    let mut json = command(&[
        "match",
        "--model",
        "no-such-model",
        "--log-format",
        "json",
        "x",
    ]);
    json.env("RUST_LOG", "info");
    let log = stderr(&json.output().unwrap());
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(lines.len() >= 2, "{log}");
    assert!(lines.iter().any(|l| {
        l["level"] == "WARN"
            && l["fields"]["message"]
                .as_str()
                .unwrap()
                .contains("lexical only")
    }));
}

#[test]
fn narratives_help_lists_only_the_flags_that_matter() {
    let help = stdout(&run(&["narratives", "--help"]));
    assert!(help.contains("--kb"), "{help}");
    for flag in ["--model", "--lexical", "--cache-dir", "--index-dir"] {
        assert!(!help.contains(flag), "{flag} in {help}");
    }
    let help = stdout(&run(&["narratives", "show", "--help"]));
    assert!(help.contains("--kb") && !help.contains("--model"), "{help}");
}
