//! The fuzz targets and their seeds. Each target feeds its entry point the way users and clients
//! do, and checks what the entry point promises beyond not panicking.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::Target;
use super::grpc::{grpc_request, grpc_seeds, mutate_request};
use super::mutate::mutate;
use super::structured::{mutate_json, mutate_jsonl, mutate_native};
use crate::kb::KnowledgeBase;
use crate::kb::import::{Imported, checkthat2020, checkthat2022, claimreview, write_flat};
use crate::matcher::Matcher;
use crate::text;

pub(super) const ALL: [Target; 7] = [
    Target {
        name: "normalize",
        run: normalize,
        seeds: post_texts,
        mutate,
        dictionary: &[
            "#",
            "@",
            "https://t.co/",
            "b4ll0ts",
            "ｆｒａｕｄ",
            "a a a",
            "—",
            "(@x)",
        ],
        max_len: 4 * 1024,
    },
    Target {
        name: "kb_native",
        run: kb_native,
        seeds: native_seeds,
        mutate: mutate_native,
        dictionary: &[
            "\n[[claim]]\n",
            "\n[[statement]]\n",
            "\n[[source]]\n",
            "\n[[concept]]\n",
            "id = \"x\"\n",
            "rebuts = []\n",
            "source = \"\"\n",
            "= [",
            "\"\"\"",
            "'''",
            "\n==> narratives/x.toml <==\n",
            "\n==> statements.toml <==\n",
        ],
        max_len: 32 * 1024,
    },
    Target {
        name: "kb_flat",
        run: kb_flat,
        seeds: flat_seeds,
        mutate: mutate_jsonl,
        dictionary: &[
            "{\"id\":1,\"text\":\"t\"}\n",
            "\"narrative_id\":",
            "\"concepts\":[{\"id\":\"c\",\"en\":[\"a\"]}]",
            "\"vclaim_id\":",
            "null",
            "\n",
            "\\u0000",
            "\\ud800",
        ],
        max_len: 16 * 1024,
    },
    Target {
        name: "kb_claimreview",
        run: kb_claimreview,
        seeds: claimreview_seeds,
        mutate: mutate_json,
        dictionary: &[
            "\"@type\":\"ClaimReview\",",
            "\"@graph\":[",
            "\"itemListElement\":[",
            "\"dataFeedElement\":[{\"item\":",
            "\"claimReviewed\":\"\",",
            "\"url\":\"https://a/b/\",",
            "\"author\":{\"name\":[]},",
            "\"reviewRating\":{\"alternateName\":\"False\"},",
            "\"itemReviewed\":{\"appearance\":[{}]},",
            "null",
            "[]",
            "{}",
        ],
        max_len: 16 * 1024,
    },
    Target {
        name: "kb_checkthat2020",
        run: kb_checkthat2020,
        seeds: |root| {
            Ok(vec![fs::read(
                root.join("tests/fixtures/import/checkthat2020.tsv"),
            )?])
        },
        mutate,
        dictionary: &[
            "\t",
            "\"",
            "\"\"",
            "\n",
            "\r\n",
            "vclaim_id\tvclaim\ttitle\n",
        ],
        max_len: 16 * 1024,
    },
    Target {
        name: "kb_checkthat2022",
        run: kb_checkthat2022,
        seeds: |root| {
            Ok(vec![fs::read(
                root.join("tests/fixtures/import/checkthat2022.jsonl"),
            )?])
        },
        mutate: mutate_jsonl,
        dictionary: &["\"vclaim_id\":", "\"vclaim\":", "null", "\n", "\\ud800"],
        max_len: 16 * 1024,
    },
    Target {
        name: "grpc_request",
        run: grpc_request,
        seeds: grpc_seeds,
        mutate: mutate_request,
        dictionary: &["en", "es", "\u{1}", "\u{7f}"],
        max_len: 16 * 1024,
    },
];

/// The matcher every target that needs one shares: the built-in knowledge base, lexical mode.
pub(super) fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let kb = KnowledgeBase::built_in().expect("the built-in knowledge base loads");
        Matcher::new(Arc::new(kb), None).expect("the matcher builds")
    })
}

/// The text normaliser with the lexicon posts are normalised with. Besides not panicking, it
/// keeps its documented length bound and is idempotent.
pub fn normalize(data: &[u8]) {
    let raw = String::from_utf8_lossy(data);
    let lexicon = matcher().lexicon();
    let once = text::normalize(&raw, lexicon);
    let bound = text::max_output_chars(&raw);
    assert!(
        once.text.chars().count() <= bound,
        "output of {} chars is over the bound of {bound}",
        once.text.chars().count()
    );
    let twice = text::normalize(&once.text, lexicon);
    assert_eq!(twice.text, once.text, "normalising again changed the text");
}

/// The native loader on a directory given as one text: each file starts with a line
/// `==> PATH <==` (`sources.toml`, `statements.toml`, `narratives/x.toml`), as `head` prints
/// several files.
pub fn kb_native(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let files = native_files(&text);
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let _ = KnowledgeBase::from_native_files(Path::new("kb"), &files);
}

/// Splits a text of `==> PATH <==` sections into files under `kb/`.
pub fn native_files(text: &str) -> Vec<(String, &str)> {
    let mut files = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("==> ") {
        let after = &rest[start + 4..];
        let Some(end) = after.find(" <==\n") else {
            break;
        };
        let path = format!("kb/{}", &after[..end]);
        let body = &after[end + 5..];
        let body_end = body.find("\n==> ").map_or(body.len(), |i| i + 1);
        files.push((path, &body[..body_end]));
        rest = &body[body_end..];
    }
    files
}

/// The flat JSONL loader.
pub fn kb_flat(data: &[u8]) {
    let _ = KnowledgeBase::read_flat(Path::new("kb.jsonl"), data);
}

/// The ClaimReview importer; what it imports, written in the flat format, must load back (the
/// importers' documented promise).
pub fn kb_claimreview(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice(data) {
        flat_output_loads(&claimreview::from_value(&value));
    }
}

/// The CheckThat! 2020 importer (TSV), likewise.
pub fn kb_checkthat2020(data: &[u8]) {
    if let Ok(imported) = checkthat2020::read(Path::new("claims.tsv"), data) {
        flat_output_loads(&imported);
    }
}

/// The CheckThat! 2022 importer (JSONL), likewise.
pub fn kb_checkthat2022(data: &[u8]) {
    if let Ok(imported) = checkthat2022::read(Path::new("vclaims.jsonl"), data) {
        flat_output_loads(&imported);
    }
}

fn flat_output_loads(imported: &Imported) {
    if imported.narratives.is_empty() {
        return;
    }
    let mut flat = Vec::new();
    write_flat(imported, &mut flat).expect("writing to memory cannot fail");
    if let Err(e) = KnowledgeBase::read_flat(Path::new("imported.jsonl"), flat.as_slice()) {
        panic!("the flat output of an import does not load: {e}");
    }
}

/// Seeds: the texts of the labelled posts in `tests/fixtures/`.
fn post_texts(root: &Path) -> io::Result<Vec<Vec<u8>>> {
    Ok(fixture_posts(root)?
        .into_iter()
        .map(String::into_bytes)
        .collect())
}

pub(super) fn fixture_posts(root: &Path) -> io::Result<Vec<String>> {
    let mut texts = Vec::new();
    for file in ["posts.jsonl", "heldout_posts.jsonl", "tuning_hard.jsonl"] {
        let jsonl = fs::read_to_string(root.join("tests/fixtures").join(file))?;
        for line in jsonl.lines() {
            let value: serde_json::Value = serde_json::from_str(line).map_err(io::Error::other)?;
            if let Some(text) = value["text"].as_str() {
                texts.push(text.to_owned());
            }
        }
    }
    Ok(texts)
}

/// Seeds: `index/`, one narrative at a time, with the sources and the statements that rebut it.
fn native_seeds(root: &Path) -> io::Result<Vec<Vec<u8>>> {
    let index = root.join("index");
    let sources = fs::read_to_string(index.join("sources.toml"))?;
    let statements = fs::read_to_string(index.join("statements.toml"))?;
    let mut narratives: Vec<_> = fs::read_dir(index.join("narratives"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    narratives.sort();
    let mut seeds = Vec::new();
    for path in narratives {
        let (Some(stem), Some(name)) = (path.file_stem(), path.file_name()) else {
            continue;
        };
        let subset = statements_rebutting(&statements, &stem.to_string_lossy())?;
        let narrative = fs::read_to_string(&path)?;
        seeds.push(
            format!(
                "==> sources.toml <==\n{sources}\n==> statements.toml <==\n{subset}\n\
                 ==> narratives/{} <==\n{narrative}",
                name.to_string_lossy()
            )
            .into_bytes(),
        );
    }
    Ok(seeds)
}

/// The statements of `statements.toml` that rebut narrative `id`, as rebutting it alone.
fn statements_rebutting(statements: &str, id: &str) -> io::Result<String> {
    let mut file: toml::Table = toml::from_str(statements).map_err(io::Error::other)?;
    if let Some(toml::Value::Array(list)) = file.get_mut("statement") {
        list.retain(|s| {
            let rebuts = s.get("rebuts").and_then(toml::Value::as_array);
            rebuts.is_some_and(|r| r.iter().any(|n| n.as_str() == Some(id)))
        });
        for statement in list.iter_mut().filter_map(toml::Value::as_table_mut) {
            statement.insert("rebuts".into(), toml::Value::Array(vec![id.into()]));
        }
    }
    toml::to_string(&file).map_err(io::Error::other)
}

/// Seeds: the CheckThat! 2022 fixture (the flat loader reads its field names), without the
/// broken lines it holds for the importer's tests, and the flat output of the ClaimReview
/// fixtures.
fn flat_seeds(root: &Path) -> io::Result<Vec<Vec<u8>>> {
    let checkthat = fs::read_to_string(root.join("tests/fixtures/import/checkthat2022.jsonl"))?;
    let mut ids = HashSet::new();
    let loads = |line: &&str| {
        KnowledgeBase::read_flat(Path::new("line"), line.as_bytes()).is_ok_and(|kb| {
            kb.narratives()
                .first()
                .is_some_and(|n| ids.insert(n.id.clone()))
        })
    };
    let lines: Vec<&str> = checkthat.lines().filter(loads).collect();
    let mut seeds = vec![(lines.join("\n") + "\n").into_bytes()];
    for json in claimreview_seeds(root)? {
        let value = serde_json::from_slice(&json).map_err(io::Error::other)?;
        let mut flat = Vec::new();
        write_flat(&claimreview::from_value(&value), &mut flat)?;
        seeds.push(flat);
    }
    Ok(seeds)
}

/// Seeds: the ClaimReview fixtures (a single review, an array, an item list, a data feed).
fn claimreview_seeds(root: &Path) -> io::Result<Vec<Vec<u8>>> {
    ["single", "array", "itemlist", "datafeed"]
        .iter()
        .map(|kind| fs::read(root.join(format!("tests/fixtures/import/claimreview_{kind}.json"))))
        .collect()
}
