use std::fs;
use std::path::Path;

use super::{KbError, KnowledgeBase};

const SOURCES: &str = r#"
[[source]]
id = "report"
outlet = "CNN"
title = "A report"
file = "000.txt"
"#;

const STATEMENTS: &str = r#"
[[statement]]
id = "official-says-no"
speaker = "An Official"
role = "Director"
agency = "Agency"
quote = "There is no evidence."
rebuts = ["alpha"]
source = "report"
passage = "An Official said: There is no evidence."
"#;

const ALPHA: &str = r#"
id = "alpha"
title = "Alpha narrative"
summary = "False."
variants = ["alpha variant"]

[[claim]]
id = "alpha-claim"
text = "Alpha is happening."
claimant = "Someone"
source = "report"
passage = "Someone said Alpha is happening."
"#;

fn write_kb(dir: &Path, statements: &str, narratives: &[(&str, &str)]) {
    fs::create_dir_all(dir.join("narratives")).unwrap();
    fs::write(dir.join("sources.toml"), SOURCES).unwrap();
    fs::write(dir.join("statements.toml"), statements).unwrap();
    for (name, text) in narratives {
        fs::write(dir.join("narratives").join(name), text).unwrap();
    }
}

fn load_err(statements: &str, narratives: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    write_kb(dir.path(), statements, narratives);
    KnowledgeBase::load(dir.path()).unwrap_err().to_string()
}

#[test]
fn loads_native_directory_and_links_statements() {
    let dir = tempfile::tempdir().unwrap();
    write_kb(dir.path(), STATEMENTS, &[("alpha.toml", ALPHA)]);
    let kb = KnowledgeBase::load(dir.path()).unwrap();
    let alpha = kb.narrative("alpha").unwrap();
    assert_eq!(alpha.claims[0].provenance.outlet, "CNN");
    assert_eq!(alpha.statement_ids, vec!["official-says-no"]);
    assert_eq!(kb.statements_for(alpha).count(), 1);
    assert!(kb.version().starts_with("kb-") && kb.version().len() == 19);
}

#[test]
fn version_changes_with_content_only() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    write_kb(a.path(), STATEMENTS, &[("alpha.toml", ALPHA)]);
    write_kb(b.path(), STATEMENTS, &[("alpha.toml", ALPHA)]);
    let same = KnowledgeBase::load(b.path()).unwrap();
    assert_eq!(
        KnowledgeBase::load(a.path()).unwrap().version(),
        same.version()
    );
    let edited = ALPHA.replace("Alpha is happening.", "Alpha is happening now.");
    write_kb(b.path(), STATEMENTS, &[("alpha.toml", &edited)]);
    assert_ne!(
        KnowledgeBase::load(b.path()).unwrap().version(),
        same.version()
    );
}

#[test]
fn rejects_duplicate_ids_naming_the_item() {
    let beta = ALPHA.replace("id = \"alpha\"", "id = \"beta\"");
    let err = load_err(STATEMENTS, &[("alpha.toml", ALPHA), ("beta.toml", &beta)]);
    assert!(
        err.contains("claim \"alpha-claim\"") && err.contains("duplicate"),
        "{err}"
    );
}

#[test]
fn rejects_unknown_references() {
    let statements = STATEMENTS.replace("rebuts = [\"alpha\"]", "rebuts = [\"alpha\", \"nope\"]");
    let err = load_err(&statements, &[("alpha.toml", ALPHA)]);
    assert!(err.contains("unknown narrative \"nope\""), "{err}");
    let claim = ALPHA.replace("source = \"report\"", "source = \"elsewhere\"");
    let err = load_err(STATEMENTS, &[("alpha.toml", &claim)]);
    assert!(
        err.contains("alpha.toml") && err.contains("unknown source"),
        "{err}"
    );
}

#[test]
fn rejects_empty_text_and_unbacked_narratives() {
    let empty = ALPHA.replace("Alpha is happening.", "  ");
    assert!(load_err(STATEMENTS, &[("alpha.toml", &empty)]).contains("empty text"));
    let no_claims = "id = \"alpha\"\ntitle = \"Alpha\"\n";
    assert!(load_err(STATEMENTS, &[("alpha.toml", no_claims)]).contains("has no claims"));
    let err = load_err("", &[("alpha.toml", ALPHA)]);
    assert!(err.contains("no official statement rebuts it"), "{err}");
}

#[test]
fn rejects_unknown_fields_with_the_file_name() {
    let typo = ALPHA.replace("claimant = ", "claimnt = ");
    let err = load_err(STATEMENTS, &[("alpha.toml", &typo)]);
    assert!(
        err.contains("alpha.toml") && err.contains("claimnt"),
        "{err}"
    );
}

#[test]
fn loads_flat_jsonl_grouping_by_narrative_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.jsonl");
    fs::write(
        &path,
        concat!(
            r#"{"id": "c1", "text": "Claim one", "title": "Title one", "narrative_id": "n"}"#,
            "\n\n",
            r#"{"id": "c2", "text": "Claim two", "narrative_id": "n"}"#,
            "\n",
            r#"{"vclaim_id": 7, "vclaim": "A CheckThat claim", "subtitle": "Rumor: it"}"#,
            "\n"
        ),
    )
    .unwrap();
    let kb = KnowledgeBase::load(&path).unwrap();
    assert_eq!(kb.narratives().len(), 2);
    assert_eq!(kb.narrative("n").unwrap().claims.len(), 2);
    let own = kb.narrative("7").unwrap();
    assert_eq!(own.title, "A CheckThat claim");
    assert_eq!(own.claims[0].subtitle, "Rumor: it");
}

#[test]
fn narratives_are_in_natural_id_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.jsonl");
    let lines: String = ["claim-10", "claim-9", "b", "claim-2", "a"]
        .iter()
        .map(|id| format!("{{\"id\": \"{id}\", \"text\": \"Claim {id}\"}}\n"))
        .collect();
    fs::write(&path, lines).unwrap();
    let kb = KnowledgeBase::load(&path).unwrap();
    let ids: Vec<&str> = kb.narratives().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "claim-2", "claim-9", "claim-10"]);
}

#[test]
fn flat_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.jsonl");
    fs::write(
        &path,
        "{\"id\": \"a\", \"text\": \"ok\"}\n{\"id\": \"b\"}\n",
    )
    .unwrap();
    let err = KnowledgeBase::load(&path).unwrap_err();
    assert!(matches!(err, KbError::Line { line: 2, .. }), "{err}");
    assert!(err.to_string().contains("claims.jsonl:2:"), "{err}");
}

#[test]
fn missing_path_is_an_io_error() {
    let err = KnowledgeBase::load(Path::new("/nonexistent/kb")).unwrap_err();
    assert!(matches!(err, KbError::Io { .. }));
}

#[test]
fn shipped_knowledge_base_loads() {
    let kb = KnowledgeBase::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/index")))
        .unwrap_or_else(|e| panic!("{e}"));
    for id in [
        "foreign-counterfeit-mail-ballots",
        "mail-voting-widespread-fraud",
        "unsolicited-ballots-chaos",
        "delayed-count-means-rigged",
    ] {
        let n = kb.narrative(id).unwrap_or_else(|| panic!("missing {id}"));
        assert!(!n.claims.is_empty() && !n.statement_ids.is_empty());
    }
}

#[test]
fn concepts_load_and_bad_ones_are_named() {
    let with = |concepts: &str| format!("{ALPHA}\n{concepts}");
    let dir = tempfile::tempdir().unwrap();
    let good = with(
        "[[concept]]\nid = \"ballots\"\nen = [\"ballot\", \"vote by mail\"]\nes = [\"boletas\"]\n",
    );
    write_kb(dir.path(), STATEMENTS, &[("alpha.toml", &good)]);
    let kb = KnowledgeBase::load(dir.path()).unwrap();
    let concepts = &kb.narratives()[0].concepts;
    assert_eq!(concepts.len(), 1);
    assert_eq!(concepts[0].en, ["ballot", "vote by mail"]);
    assert_eq!(concepts[0].es, ["boletas"]);

    for (concepts, expected) in [
        ("[[concept]]\nid = \"x\"\n", "concept \"x\" has no alias"),
        (
            "[[concept]]\nid = \"x\"\nen = [\" \"]\n",
            "concept \"x\" has an empty alias",
        ),
        (
            "[[concept]]\nid = \"x\"\nen = [\"a\"]\n[[concept]]\nid = \"x\"\nen = [\"b\"]\n",
            "duplicate concept id \"x\"",
        ),
        (
            "[[concept]]\nid = \"x\"\nen = [\"a\"]\nsubject = true\n",
            "unknown field",
        ),
    ] {
        let err = load_err(STATEMENTS, &[("alpha.toml", &with(concepts))]);
        assert!(err.contains(expected), "{concepts}: {err}");
    }
}

#[test]
fn exclusions_load_beside_concepts_and_bad_ones_are_named() {
    let concept = "[[concept]]\nid = \"ballots\"\nen = [\"ballot\"]\n";
    let with = |exclusions: &str| format!("{ALPHA}\n{concept}{exclusions}");
    let dir = tempfile::tempdir().unwrap();
    let good =
        with("[[exclusion]]\nid = \"case\"\nen = [\"was charged\"]\nes = [\"fue detenido\"]\n");
    write_kb(dir.path(), STATEMENTS, &[("alpha.toml", &good)]);
    let kb = KnowledgeBase::load(dir.path()).unwrap();
    let exclusions = &kb.narratives()[0].exclusions;
    assert_eq!(exclusions.len(), 1);
    assert_eq!(exclusions[0].en, ["was charged"]);
    assert_eq!(exclusions[0].es, ["fue detenido"]);

    for (text, expected) in [
        (
            with("[[exclusion]]\nid = \"x\"\n"),
            "exclusion \"x\" has no alias",
        ),
        (
            with("[[exclusion]]\nid = \"x\"\nen = [\"\"]\n"),
            "exclusion \"x\" has an empty alias",
        ),
        (
            with(
                "[[exclusion]]\nid = \"x\"\nen = [\"a\"]\n[[exclusion]]\nid = \"x\"\nen = [\"b\"]\n",
            ),
            "duplicate exclusion id \"x\"",
        ),
        (
            format!("{ALPHA}\n[[exclusion]]\nid = \"x\"\nen = [\"a\"]\n"),
            "has exclusions but no concepts",
        ),
    ] {
        let err = load_err(STATEMENTS, &[("alpha.toml", &text)]);
        assert!(err.contains(expected), "{text}: {err}");
    }
}

#[test]
fn a_flat_collection_may_declare_concepts_once_per_narrative() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kb.jsonl");
    let line = |id: &str, concepts: &str| {
        format!(r#"{{"id": "{id}", "text": "t", "narrative_id": "n"{concepts}}}"#)
    };
    let concepts = r#", "concepts": [{"id": "c", "en": ["ballot"]}]"#;
    fs::write(&path, [line("a", concepts), line("b", "")].join("\n")).unwrap();
    let kb = KnowledgeBase::load(&path).unwrap();
    assert_eq!(kb.narratives()[0].concepts[0].en, ["ballot"]);

    fs::write(&path, [line("a", concepts), line("b", concepts)].join("\n")).unwrap();
    let err = KnowledgeBase::load(&path).unwrap_err().to_string();
    assert!(
        err.contains("kb.jsonl:2:") && err.contains("already has its concepts"),
        "{err}"
    );
}

#[test]
fn every_shipped_narrative_declares_its_concepts() {
    let kb = KnowledgeBase::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("index")).unwrap();
    for n in kb.narratives() {
        assert!(n.concepts.len() >= 2, "{}", n.id);
        assert!(
            n.concepts
                .iter()
                .all(|c| !c.en.is_empty() && !c.es.is_empty()),
            "{}",
            n.id
        );
    }
}

#[test]
fn a_knowledge_base_without_narratives_is_refused() {
    let message = load_err("", &[]);
    assert!(message.contains("has no narratives"), "{message}");
}

#[cfg(unix)]
#[test]
fn links_inside_the_folder_are_refused_and_their_target_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    write_kb(dir.path(), STATEMENTS, &[("alpha.toml", ALPHA)]);
    let secret = dir.path().join("secret.txt");
    fs::write(&secret, "root:x:0:0:secret first line\n").unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("narratives/beta.toml")).unwrap();
    let message = KnowledgeBase::load(dir.path()).unwrap_err().to_string();
    assert!(
        message.contains("beta.toml") && message.contains("symbolic link"),
        "{message}"
    );
    assert!(!message.contains("secret"), "{message}");

    let linked = tempfile::tempdir().unwrap();
    write_kb(linked.path(), STATEMENTS, &[("alpha.toml", ALPHA)]);
    fs::remove_file(linked.path().join("statements.toml")).unwrap();
    std::os::unix::fs::symlink(&secret, linked.path().join("statements.toml")).unwrap();
    let message = KnowledgeBase::load(linked.path()).unwrap_err().to_string();
    assert!(message.contains("symbolic link"), "{message}");
}

#[test]
fn a_narrative_may_carry_its_own_threshold_within_0_and_1() {
    let dir = tempfile::tempdir().unwrap();
    let plain = {
        write_kb(dir.path(), STATEMENTS, &[("alpha.toml", ALPHA)]);
        KnowledgeBase::load(dir.path()).unwrap()
    };
    assert_eq!(plain.narratives()[0].threshold, None);
    let with = |t: &str| ALPHA.replacen("variants", &format!("threshold = {t}\nvariants"), 1);
    write_kb(dir.path(), STATEMENTS, &[("alpha.toml", &with("0.7"))]);
    let kb = KnowledgeBase::load(dir.path()).unwrap();
    assert_eq!(kb.narratives()[0].threshold, Some(0.7));
    assert_ne!(kb.version(), plain.version());
    let err = load_err(STATEMENTS, &[("alpha.toml", &with("1.5"))]);
    assert!(
        err.contains("narrative \"alpha\"") && err.contains("threshold"),
        "{err}"
    );
}
