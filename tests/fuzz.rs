//! The short fuzz run of CI: every fuzz target (`src/fuzz/`) on a few thousand mutated inputs,
//! none of which may panic. `scripts/fuzz.sh` runs a million each.

use std::path::Path;

use counterclaim::fuzz;

/// Inputs per target: about 8 s in all in a debug build on two idle cores (the native loader,
/// which parses about 10 KB an input, takes most of it).
const INPUTS: u64 = 3_000;

#[test]
fn no_target_panics_on_mutated_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    let mut failures = Vec::new();
    for target in fuzz::all() {
        let seeds = (target.seeds)(root).expect("seed files");
        assert!(!seeds.is_empty(), "{} has no seeds", target.name);
        let report = fuzz::run(target, &seeds, INPUTS, 1, &out);
        eprintln!(
            "{}: {} inputs in {:.1} s, {} panics",
            report.target,
            report.inputs,
            report.elapsed.as_secs_f64(),
            report.panics
        );
        for (message, path) in report.found {
            failures.push(format!(
                "{}: {message} (input: {})",
                target.name,
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "panics:\n{}", failures.join("\n"));
}

#[test]
fn the_seeds_themselves_are_accepted() {
    // The seeds are valid inputs, so a target that rejects them all early fuzzes nothing.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let native = &(fuzz::find("kb_native").unwrap().seeds)(root).unwrap();
    for seed in native {
        let text = String::from_utf8_lossy(seed);
        let files = fuzz::targets::native_files(&text);
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
        assert_eq!(files.len(), 3);
        counterclaim::kb::KnowledgeBase::from_native_files(Path::new("kb"), &files)
            .expect("a seed loads");
    }
    for seed in &(fuzz::find("kb_flat").unwrap().seeds)(root).unwrap() {
        counterclaim::kb::KnowledgeBase::read_flat(Path::new("seed.jsonl"), seed.as_slice())
            .expect("a seed loads");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // Far past any parser's depth limit; a recursive parser without one would overflow the stack,
    // which no `catch_unwind` survives.
    let depth = 30_000;
    let array = format!("x = {}{}", "[".repeat(depth), "]".repeat(depth));
    let table = format!("x = {}1{}", "{a=".repeat(depth), "}".repeat(depth));
    for sources in [array, table] {
        let files = [("kb/sources.toml", sources.as_str())];
        assert!(
            counterclaim::kb::KnowledgeBase::from_native_files(Path::new("kb"), &files).is_err()
        );
    }
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let flat = counterclaim::kb::KnowledgeBase::read_flat(Path::new("deep.jsonl"), json.as_bytes());
    assert!(flat.is_err());
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_err());
}
