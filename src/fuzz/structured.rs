//! Mutations that know the input's format: the input is parsed (JSON, a JSONL line, a TOML file
//! of a native knowledge base), one value in it is changed, and it is written out again. Byte
//! edits mostly stop at the parser; these reach what the loaders do with well-formed records
//! whose fields are missing, of the wrong type, empty, repeated or strange.

use serde_json::{Map, Value};

use super::mutate::{Rng, mutate, structured_or_bytes};
use super::targets::native_files;

/// A whole JSON document (ClaimReview).
pub fn mutate_json(
    rng: &mut Rng,
    input: &mut Vec<u8>,
    seeds: &[Vec<u8>],
    dictionary: &[&str],
    max_len: usize,
) {
    structured_or_bytes(rng, input, seeds, dictionary, max_len, |rng, input| {
        let mut value = serde_json::from_slice::<Value>(input).ok()?;
        edit_value(rng, &mut value);
        if rng.chance(2) {
            serde_json::to_vec(&value).ok()
        } else {
            serde_json::to_vec_pretty(&value).ok()
        }
    });
}

/// One line of a JSONL file (the flat format).
pub fn mutate_jsonl(
    rng: &mut Rng,
    input: &mut Vec<u8>,
    seeds: &[Vec<u8>],
    dictionary: &[&str],
    max_len: usize,
) {
    structured_or_bytes(rng, input, seeds, dictionary, max_len, |rng, input| {
        let mut lines: Vec<Vec<u8>> = input.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        let at = rng.below(lines.len());
        let mut value = serde_json::from_slice::<Value>(&lines[at]).ok()?;
        edit_value(rng, &mut value);
        lines[at] = serde_json::to_vec(&value).unwrap_or_default();
        Some(lines.join(&b'\n'))
    });
}

/// One TOML file of a native knowledge base given as `==> PATH <==` sections.
pub fn mutate_native(
    rng: &mut Rng,
    input: &mut Vec<u8>,
    seeds: &[Vec<u8>],
    dictionary: &[&str],
    max_len: usize,
) {
    structured_or_bytes(rng, input, seeds, dictionary, max_len, edit_native);
}

fn edit_native(rng: &mut Rng, input: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(input).ok()?;
    let mut files: Vec<(String, String)> = native_files(text)
        .into_iter()
        .map(|(path, body)| (path, body.to_owned()))
        .collect();
    if files.is_empty() {
        return None;
    }
    let at = rng.below(files.len());
    let table: toml::Table = toml::from_str(&files[at].1).ok()?;
    let mut value = serde_json::to_value(table).ok()?;
    edit_value(rng, &mut value);
    // TOML has no null: an edit that made one is dropped.
    files[at].1 = toml::to_string(&toml::Value::try_from(value).ok()?).ok()?;
    let mut out = String::new();
    for (path, body) in files {
        let path = path.strip_prefix("kb/").unwrap_or(&path);
        out.push_str(&format!("==> {path} <==\n{body}\n"));
    }
    Some(out.into_bytes())
}

/// Changes one value somewhere in `value`: a string edited, a value of another type, an element
/// or a key removed or repeated.
pub fn edit_value(rng: &mut Rng, value: &mut Value) {
    let count = count_values(value);
    let target = rng.below(count);
    let mut seen = 0;
    if let Some(node) = nth_value(value, target, &mut seen) {
        edit_node(rng, node);
    }
}

fn count_values(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_values).sum(),
        Value::Object(map) => map.values().map(count_values).sum(),
        _ => 0,
    }
}

/// The `n`th value in depth-first order.
fn nth_value<'a>(value: &'a mut Value, n: usize, seen: &mut usize) -> Option<&'a mut Value> {
    if *seen == n {
        return Some(value);
    }
    *seen += 1;
    match value {
        Value::Array(items) => items.iter_mut().find_map(|v| nth_value(v, n, seen)),
        Value::Object(map) => map.values_mut().find_map(|v| nth_value(v, n, seen)),
        _ => None,
    }
}

fn edit_node(rng: &mut Rng, node: &mut Value) {
    match (rng.below(4), node) {
        (0 | 1, Value::String(s)) => {
            let mut bytes = std::mem::take(s).into_bytes();
            mutate(rng, &mut bytes, &[], &[], 4 * 1024);
            *s = String::from_utf8_lossy(&bytes).into_owned();
        }
        (0 | 1, Value::Array(items)) if !items.is_empty() => {
            let at = rng.below(items.len());
            if rng.chance(2) {
                items.remove(at);
            } else {
                items.push(items[at].clone());
            }
        }
        (0 | 1, Value::Object(map)) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(rng.below(map.len()))
                .cloned()
                .unwrap_or_default();
            if rng.chance(2) {
                map.remove(&key);
            } else if let Some(v) = map.get(&key).cloned() {
                // The same value under a near-miss key, or the key given another value.
                map.insert(format!("{key}{}", rng.below(3)), v);
            }
        }
        (_, node) => *node = other_value(rng),
    }
}

fn other_value(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(2)),
        2 => Value::from(*rng.pick(&[0i64, -1, 1, i64::MAX, i64::MIN])),
        3 => Value::from(*rng.pick(&[0.5f64, -0.0, 1e308])),
        4 => Value::Array(Vec::new()),
        5 => Value::Object(Map::new()),
        6 => Value::from(vec![Value::from("")]),
        7 => Value::from(" "),
        8 => Value::from("ClaimReview"),
        _ => Value::from(*rng.pick(&["", "\u{200B}", "x", "ﷺ", "https://", "a/b/"])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_keeps_json_well_formed_and_changes_it_now_and_then() {
        let seed = br#"{"a": ["x", {"b": 1}], "c": "text"}"#.to_vec();
        let mut rng = Rng::new(5);
        let mut changed = 0;
        for _ in 0..200 {
            let mut value: Value = serde_json::from_slice(&seed).unwrap();
            edit_value(&mut rng, &mut value);
            let text = serde_json::to_vec(&value).unwrap();
            changed += usize::from(
                text != serde_json::to_vec(&serde_json::from_slice::<Value>(&seed).unwrap())
                    .unwrap(),
            );
        }
        assert!(changed > 150, "{changed}");
    }

    #[test]
    fn a_native_edit_keeps_the_sections() {
        let seed = b"==> sources.toml <==\n[[source]]\nid = \"s\"\n==> narratives/n.toml <==\nid = \"n\"\ntitle = \"t\"\n";
        let mut rng = Rng::new(1);
        let edited = (0..50).find_map(|_| edit_native(&mut rng, seed)).unwrap();
        let text = String::from_utf8(edited).unwrap();
        assert_eq!(native_files(&text).len(), 2, "{text}");
    }
}
