//! schema.org `ClaimReview` JSON-LD (format name `claimreview`), as published by fact-checkers
//! and aggregated in ClaimReview feeds.
//!
//! The file is one JSON document, which may be:
//! - a single `ClaimReview` object;
//! - an array of them;
//! - a feed: an object with `itemListElement` (its items are `ClaimReview`s or `ListItem`
//!   wrappers `{"item": {…}}`) or with `dataFeedElement` (its items carry `item`, an object or an
//!   array); a JSON-LD `@graph` array is read the same way.
//!
//! An object is a `ClaimReview` when its `@type` is `"ClaimReview"` or an array containing it
//! (a prefix such as `schema:` or `https://schema.org/` is ignored). Each one becomes a narrative
//! with one claim, one official statement (the fact-check itself) that rebuts it, and one or two
//! sources. Text values are trimmed. A "name" is a string, an object's `name`, or the first
//! element of an array of those.
//!
//! | ClaimReview field | becomes |
//! |-------------------|---------|
//! | `claimReviewed` (required) | the claim's `text` |
//! | `claimReviewed` | also the narrative's `title` (narratives are stated as what is claimed) |
//! | `headline`, else `name`, else `claimReviewed` | the provenance title of the claim and the statement |
//! | `url` | the narrative's id (see below); the statement's `published_in`; the provenance url |
//! | `author` (name) | the fact-checker: the statement's `speaker` and the provenance outlet. Missing: the `publisher` name, else the url's host, else `Unnamed fact-checker` |
//! | `publisher` (name) | the statement's `agency` (missing: the fact-checker) |
//! | `datePublished` | the statement's `date` |
//! | `reviewRating.alternateName` | the rating: statement `quote` `Rated: <rating>`, narrative `summary` `Rated <rating> by <fact-checker>.` |
//! | `reviewBody`, else `description` | appended to the quote after ` — ` |
//! | `itemReviewed.author` (name) | the claim's `claimant` |
//! | `itemReviewed.datePublished` | the claim's `date` |
//! | `itemReviewed.firstAppearance`, else `appearance` (a url string, an object's `url`, or the first of an array) | the claim's provenance url, through a second source `<id>-appearance` |
//!
//! The statement's `role` is `Fact-checker`. Without a rating its quote starts
//! `Fact-check by <fact-checker>` instead, so it is never empty; without a `url`,
//! `published_in` is `ClaimReview by <fact-checker>`.
//!
//! Ids are kebab-case. The narrative's id is the last path segment of `url` as a slug
//! (`…/2020/jun/foreign-ballots.html` → `foreign-ballots`), or, when there is no usable url,
//! `cr-` and 12 hex digits of the SHA-256 of `claimReviewed`. A repeated id gets `-2`, `-3`, ….
//! The records derived from narrative `<id>` are the claim `<id>-claim`, the statement
//! `<id>-fact-check` and the sources `<id>-source` (the review) and `<id>-appearance`.
//!
//! A record is skipped, with its JSON path (`[3]`, `itemListElement[4]`,
//! `dataFeedElement[1].item[0]`, `top-level object`; indices are 0-based), when it is not an
//! object, when it is an object of another `@type`, or when `claimReviewed` is missing or empty.
//! A file that is not valid JSON is an error.
//!
//! [`crate::kb::export::claimreview`] writes a knowledge base as ClaimReview that this importer
//! reads back to the same narrative ids and titles.

use std::collections::HashSet;
use std::path::Path;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::jsonld::{first, host, last_segment, name, or, text, url_of};
use super::{Imported, SourceInfo, io_error, slug};
use crate::kb::{Claim, KbError, Narrative, OfficialStatement, Provenance};

pub(super) fn import(path: &Path) -> Result<Imported, KbError> {
    let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| KbError::Parse {
        path: path.to_path_buf(),
        message: format!("invalid JSON: {e}"),
    })?;
    Ok(from_value(&value))
}

/// Imports every ClaimReview found in a parsed JSON-LD document.
pub fn from_value(value: &Value) -> Imported {
    let mut imported = Imported::default();
    collect(value, String::new(), &mut imported, &mut HashSet::new());
    imported
}

fn position(path: &str) -> String {
    if path.is_empty() {
        "top-level object".to_owned()
    } else {
        path.to_owned()
    }
}

fn key_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Walks arrays, feeds and wrappers down to the ClaimReview objects and imports them in
/// document order, skipping everything else. `used` holds the ids taken so far.
fn collect(value: &Value, path: String, imported: &mut Imported, used: &mut HashSet<String>) {
    let object = match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, format!("{path}[{i}]"), imported, used);
            }
            return;
        }
        Value::Object(object) => object,
        other => {
            let found = match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                _ => "a string",
            };
            imported.skip(
                position(&path),
                format!("expected an object, found {found}"),
            );
            return;
        }
    };
    if is_claim_review(object) {
        match Review::read(object) {
            Ok(review) => review.add_to(imported, used),
            Err(message) => imported.skip(position(&path), message),
        }
        return;
    }
    for key in ["itemListElement", "dataFeedElement", "@graph", "item"] {
        if let Some(inner) = object.get(key) {
            collect(inner, key_path(&path, key), imported, used);
            return;
        }
    }
    let message = match object.get("@type") {
        Some(t) => format!("not a ClaimReview (@type {t})"),
        None => "not a ClaimReview (no @type)".to_owned(),
    };
    imported.skip(position(&path), message);
}

fn is_claim_review(object: &Map<String, Value>) -> bool {
    let is = |v: &Value| {
        v.as_str()
            .and_then(|t| t.rsplit(['/', ':', '#']).next())
            .is_some_and(|t| t == "ClaimReview")
    };
    match object.get("@type") {
        Some(Value::Array(types)) => types.iter().any(is),
        Some(t) => is(t),
        None => false,
    }
}

/// The fields of one ClaimReview, already reduced to text.
struct Review {
    claim: String,
    title: String,
    url: String,
    checker: String,
    agency: String,
    date: String,
    rating: String,
    body: String,
    claimant: String,
    claim_date: String,
    appearance: String,
}

impl Review {
    fn read(o: &Map<String, Value>) -> Result<Review, String> {
        let claim = match o.get("claimReviewed") {
            None | Some(Value::Null) => return Err("missing claimReviewed".to_owned()),
            Some(v @ Value::String(_)) => text(Some(v)),
            Some(_) => return Err("claimReviewed is not a string".to_owned()),
        };
        if claim.is_empty() {
            return Err("empty claimReviewed".to_owned());
        }
        let url = text(o.get("url"));
        let publisher = name(o.get("publisher"));
        let checker = or(name(o.get("author")), || publisher.clone());
        let checker = or(checker, || host(&url));
        let checker = or(checker, || "Unnamed fact-checker".to_owned());
        let reviewed = match o.get("itemReviewed") {
            Some(Value::Array(items)) => items.iter().find_map(Value::as_object),
            other => other.and_then(Value::as_object),
        };
        let field = |key: &str| reviewed.and_then(|r| r.get(key));
        let rating = match o.get("reviewRating") {
            Some(Value::Array(items)) => first(items, |r| text(r.get("alternateName"))),
            Some(r) => text(r.get("alternateName")),
            None => String::new(),
        };
        Ok(Review {
            title: or(text(o.get("headline")), || {
                or(text(o.get("name")), || claim.clone())
            }),
            agency: or(publisher, || checker.clone()),
            date: text(o.get("datePublished")),
            body: or(text(o.get("reviewBody")), || text(o.get("description"))),
            claimant: name(field("author")),
            claim_date: text(field("datePublished")),
            appearance: or(url_of(field("firstAppearance")), || {
                url_of(field("appearance"))
            }),
            claim,
            url,
            checker,
            rating,
        })
    }

    /// The narrative id before it is made unique.
    fn base_id(&self) -> String {
        let id = slug(last_segment(&self.url), 80);
        if !id.is_empty() {
            return id;
        }
        let digest = Sha256::digest(self.claim.as_bytes());
        let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        format!("cr-{hex}")
    }

    fn add_to(self, imported: &mut Imported, used: &mut HashSet<String>) {
        let id = unique_id(&self.base_id(), used);
        let source_id = format!("{id}-source");
        let provenance = Provenance {
            source_id: source_id.clone(),
            outlet: self.checker.clone(),
            title: self.title.clone(),
            url: self.url.clone(),
            ..Provenance::default()
        };
        imported.sources.push(SourceInfo {
            id: source_id,
            outlet: self.checker.clone(),
            title: self.title.clone(),
            url: self.url.clone(),
        });
        let mut claim_provenance = provenance.clone();
        if !self.appearance.is_empty() && self.appearance != self.url {
            claim_provenance.source_id = format!("{id}-appearance");
            claim_provenance.url = self.appearance.clone();
            imported.sources.push(SourceInfo {
                id: claim_provenance.source_id.clone(),
                outlet: self.checker.clone(),
                title: self.title.clone(),
                url: self.appearance,
            });
        }
        let lead = if self.rating.is_empty() {
            format!("Fact-check by {}", self.checker)
        } else {
            format!("Rated: {}", self.rating)
        };
        let quote = if self.body.is_empty() {
            lead
        } else {
            format!("{lead} — {}", self.body)
        };
        let summary = if self.rating.is_empty() {
            String::new()
        } else {
            format!("Rated {} by {}.", self.rating, self.checker)
        };
        imported.statements.push(OfficialStatement {
            id: format!("{id}-fact-check"),
            speaker: self.checker.clone(),
            role: "Fact-checker".to_owned(),
            agency: self.agency,
            date: self.date,
            published_in: or(self.url, || format!("ClaimReview by {}", self.checker)),
            quote,
            rebuts: vec![id.clone()],
            provenance,
            ..OfficialStatement::default()
        });
        imported.narratives.push(Narrative {
            // Titled as the claim, not the fact-check's headline (often "No, …"): narratives
            // are stated as what is claimed.
            title: self.claim.clone(),
            claims: vec![Claim {
                id: format!("{id}-claim"),
                text: self.claim,
                claimant: self.claimant,
                date: self.claim_date,
                provenance: claim_provenance,
                ..Claim::default()
            }],
            id,
            summary,
            ..Narrative::default()
        });
    }
}

/// `base`, or `base-2`, `base-3`, … so that neither it nor any id derived from it is taken.
fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    const SUFFIXES: [&str; 5] = ["", "-claim", "-fact-check", "-source", "-appearance"];
    let mut id = base.to_owned();
    let mut n = 2;
    while SUFFIXES.iter().any(|s| used.contains(&format!("{id}{s}"))) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.extend(SUFFIXES.iter().map(|s| format!("{id}{s}")));
    id
}
