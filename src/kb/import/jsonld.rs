//! Reading schema.org JSON-LD values leniently, for the ClaimReview importer: a property may
//! hold a string, an object or an array of either; urls are cut down to their host or their last
//! path segment.

use serde_json::Value;

/// A trimmed string value; for an array, its first non-empty string.
pub(super) fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Array(items)) => first(items, |v| text(Some(v))),
        _ => String::new(),
    }
}

/// A name: a string, an object's `name`, or the first of an array of those.
pub(super) fn name(value: Option<&Value>) -> String {
    match value {
        Some(Value::Object(o)) => text(o.get("name")),
        Some(Value::Array(items)) => first(items, |v| name(Some(v))),
        other => text(other),
    }
}

/// A url: a string, an object's `url`, or the first of an array of those.
pub(super) fn url_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::Object(o)) => text(o.get("url")),
        Some(Value::Array(items)) => first(items, |v| url_of(Some(v))),
        other => text(other),
    }
}

pub(super) fn first(items: &[Value], f: impl Fn(&Value) -> String) -> String {
    items
        .iter()
        .map(f)
        .find(|s| !s.is_empty())
        .unwrap_or_default()
}

pub(super) fn or(a: String, b: impl FnOnce() -> String) -> String {
    if a.is_empty() { b() } else { a }
}

/// The part of a url after its scheme and before the first `/`, `?` or `#`, without `www.`.
pub(super) fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    host.strip_prefix("www.").unwrap_or(host).to_owned()
}

/// The last non-empty path segment of a url, without a file extension such as `.html`.
pub(super) fn last_segment(url: &str) -> &str {
    let Some((_, rest)) = url.split_once("://") else {
        return "";
    };
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    let Some((_, path)) = path.split_once('/') else {
        return "";
    };
    let segment = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or_default();
    match segment.rsplit_once('.') {
        Some((stem, ext)) if ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphabetic()) => stem,
        _ => segment,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_may_be_strings_objects_or_arrays() {
        let v =
            json!({"a": " A ", "o": {"name": "O", "url": "u"}, "l": [{}, {"name": "L"}], "n": 3});
        assert_eq!(text(v.get("a")), "A");
        assert_eq!(text(v.get("n")), "");
        assert_eq!(name(v.get("a")), "A");
        assert_eq!(name(v.get("o")), "O");
        assert_eq!(name(v.get("l")), "L");
        assert_eq!(name(v.get("missing")), "");
        assert_eq!(url_of(v.get("o")), "u");
    }

    #[test]
    fn urls_give_a_host_and_a_last_segment() {
        assert_eq!(host("https://www.example.org/a/b?q"), "example.org");
        assert_eq!(host("example.org"), "example.org");
        assert_eq!(last_segment("https://x.org/a/b-c.html?q=1#f"), "b-c");
        assert_eq!(last_segment("https://x.org/a/b/"), "b");
        assert_eq!(last_segment("https://x.org/a/v1.2"), "v1.2");
        assert_eq!(last_segment("https://x.org"), "");
        assert_eq!(last_segment("https://x.org/"), "");
        assert_eq!(last_segment("not a url"), "");
    }
}
