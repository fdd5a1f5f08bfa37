//! Princeton WordNet's glosses as a stream of real English text on every subject (Debian's
//! `wordnet-base`), read as `scripts/streams.py` reads them.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

const FOLDER: &str = "/usr/share/wordnet";

/// WordNet's folder, or `None` with a message where it is not installed (a failure instead when
/// `COUNTERCLAIM_REQUIRE_WORDNET` is set, as under CI).
pub fn folder() -> Option<PathBuf> {
    let path = Path::new(FOLDER);
    if path.join("data.noun").exists() {
        return Some(path.to_path_buf());
    }
    assert!(
        std::env::var_os("COUNTERCLAIM_REQUIRE_WORDNET").is_none(),
        "{FOLDER}/data.noun not found and COUNTERCLAIM_REQUIRE_WORDNET is set"
    );
    eprintln!("SKIPPED: {FOLDER}/data.noun not found (apt-get install wordnet-base)");
    None
}

/// The posts of the reporting half, as (id, text): each synset's definition after its first word
/// and each of its examples of three words or more, for the synsets whose id's SHA-256 opens
/// with an odd byte.
pub fn reporting_half(folder: &Path) -> Vec<(String, String)> {
    let mut posts = Vec::new();
    for pos in ["noun", "verb", "adj", "adv"] {
        let bytes = std::fs::read(folder.join(format!("data.{pos}"))).unwrap();
        for line in String::from_utf8_lossy(&bytes).lines() {
            let Some((fields, gloss)) = line.split_once(" | ").filter(|_| !line.starts_with("  "))
            else {
                continue;
            };
            let fields: Vec<&str> = fields.split(' ').collect();
            let synset = format!("wn-{pos}-{}", fields[0]);
            if Sha256::digest(synset.as_bytes())[0] % 2 == 0 {
                continue;
            }
            let word = without_marker(fields[4]).replace('_', " ");
            let parts: Vec<&str> = gloss.trim().split(';').map(str::trim).collect();
            let definition: Vec<&str> = (parts.iter().copied())
                .filter(|p| !p.is_empty() && !p.starts_with('"'))
                .collect();
            if !definition.is_empty() {
                posts.push((synset.clone(), format!("{word}: {}", definition.join("; "))));
            }
            let examples = parts.iter().filter(|p| p.starts_with('"'));
            for (n, example) in examples.enumerate() {
                let example = example.trim_matches('"');
                if example.split_whitespace().count() >= 3 {
                    posts.push((format!("{synset}:ex{n}"), example.to_owned()));
                }
            }
        }
    }
    posts
}

/// An adjective's word without its syntactic marker ("galore(ip)" is "galore").
fn without_marker(word: &str) -> &str {
    match word.strip_suffix(')').and_then(|w| w.rsplit_once('(')) {
        Some((bare, marker)) if marker.chars().all(|c| c.is_ascii_lowercase()) => bare,
        _ => word,
    }
}
