//! schema.org `ClaimReview` JSON-LD of the knowledge base (format name `claimreview`): each
//! narrative's official rebuttals, published the way fact-checkers publish theirs, so that
//! officials can put them on their own site for search engines.
//!
//! [`narrative`] gives one narrative's review (a standalone JSON-LD document, with `@context`);
//! [`all`] gives a schema.org `DataFeed` whose `dataFeedElement` items carry one review each, for
//! every narrative that at least one official statement rebuts (the others have nothing to
//! publish and are left out).
//!
//! | ClaimReview field | from |
//! |-------------------|------|
//! | `url` | `{base_url}/narratives/{id}` (a trailing `/` of `base_url` dropped) |
//! | `claimReviewed` | the narrative's `title` |
//! | `name` | `False: ` and the title |
//! | `description` | the narrative's `summary`, when it has one |
//! | `datePublished` | the latest `date` of the rebutting statements, when one has a date |
//! | `author` | an `Organization` per distinct `agency` of the rebutting statements, in knowledge-base order (one object, or an array of several) |
//! | `publisher` | the first of those agencies, as an `Organization` |
//! | `reviewRating` | `Rating` `alternateName` `False`, `ratingValue` 1 on a scale of 1 (`worstRating`) to 5 (`bestRating`): every narrative is a known false one |
//! | `reviewBody` | every rebutting statement, one paragraph each: `“<quote>” — <speaker>, <role>, <agency>, <date>.`, the date being `date`, else `date_note`, left out if neither; a statement with a `context` adds ` Reported context: <context>` |
//! | `itemReviewed` | a `Claim` named by the title, with `author` (a `Person` per distinct claimant, `jobTitle` its role), `datePublished` (the earliest claim `date`) and `appearance` (a `CreativeWork` per distinct claim provenance url), each left out when no claim has one |
//!
//! `base_url` is the site the reviews are published on: officials set their own (the command
//! line's default, `https://counterclaim.invalid`, is a placeholder that can never resolve).
//!
//! **Round trip.** `kb import --format claimreview` turns each review back into a narrative
//! ([`crate::kb::import::claimreview`]): the id is the last segment of `url`, so it is the
//! narrative's id for every id that is already a kebab-case slug of at most 80 bytes (every id of
//! the native format, which is what the shipped knowledge base uses); the title is
//! `claimReviewed`, the narrative's title; and the one statement it makes, `<id>-fact-check`,
//! quotes `Rated: False — ` and the review body, so it holds every rebutting statement's quote
//! with its speaker. "The same narratives" therefore means: the same set of ids and titles, one
//! narrative per exported narrative, each rebutted by one statement that contains the text of
//! every official statement that rebutted it. What the importer's mapping has no place for is
//! not kept: the narrative's claims become one claim, its text the title (with the first
//! claimant, the earliest date and the first appearance url); its statements become one, spoken
//! by the first agency; variants, keywords, concepts, context, thresholds and provenance passages
//! stay behind, and the summary becomes the importer's `Rated False by <agency>.`.

use serde_json::{Map, Value, json};

use crate::kb::{KnowledgeBase, Narrative, OfficialStatement};

/// The rating every narrative gets: the knowledge base only holds known false narratives.
const RATING: &str = "False";

/// The page of narrative `id` on the site at `base_url`.
pub fn narrative_url(base_url: &str, id: &str) -> String {
    format!("{}/narratives/{id}", base_url.trim_end_matches('/'))
}

/// One narrative's `ClaimReview`, a standalone JSON-LD document (see the module documentation).
///
/// A narrative that no statement rebuts still gets a review, without `author`, `publisher` or
/// `reviewBody`; [`all`] leaves such narratives out.
pub fn narrative(kb: &KnowledgeBase, narrative: &Narrative, base_url: &str) -> Value {
    let statements: Vec<&OfficialStatement> = kb.statements_for(narrative).collect();
    let mut review = Map::new();
    review.insert("@context".into(), json!("https://schema.org"));
    review.insert("@type".into(), json!("ClaimReview"));
    review.insert("url".into(), json!(narrative_url(base_url, &narrative.id)));
    review.insert("claimReviewed".into(), json!(narrative.title));
    review.insert(
        "name".into(),
        json!(format!("{RATING}: {}", narrative.title)),
    );
    insert_text(&mut review, "description", &narrative.summary);
    let latest = statements.iter().map(|s| s.date.as_str()).max();
    insert_text(&mut review, "datePublished", latest.unwrap_or_default());
    let agencies = distinct(statements.iter().map(|s| s.agency.as_str()));
    let organizations: Vec<Value> = agencies.iter().map(|a| organization(a)).collect();
    insert_one_or_many(&mut review, "author", organizations.clone());
    if let Some(first) = organizations.into_iter().next() {
        review.insert("publisher".into(), first);
    }
    review.insert(
        "reviewRating".into(),
        json!({
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": RATING,
        }),
    );
    let body: Vec<String> = statements.iter().map(|s| quoted(s)).collect();
    insert_text(&mut review, "reviewBody", &body.join("\n\n"));
    review.insert("itemReviewed".into(), claim(narrative));
    Value::Object(review)
}

/// Every narrative that a statement rebuts, as a schema.org `DataFeed` of `ClaimReview`s in
/// knowledge-base order (see the module documentation).
pub fn all(kb: &KnowledgeBase, base_url: &str) -> Value {
    let items: Vec<Value> = kb
        .narratives()
        .iter()
        .filter(|n| kb.statements_for(n).next().is_some())
        .map(|n| {
            let mut review = narrative(kb, n, base_url);
            if let Some(review) = review.as_object_mut() {
                review.remove("@context");
            }
            json!({"@type": "DataFeedItem", "item": review})
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": "Official rebuttals of false election narratives",
        "url": base_url.trim_end_matches('/'),
        "dataFeedElement": items,
    })
}

/// A statement as one paragraph of the review body: the quote and who said it, when.
fn quoted(s: &OfficialStatement) -> String {
    let date = if s.date.is_empty() {
        &s.date_note
    } else {
        &s.date
    };
    let who: Vec<&str> = [s.speaker.as_str(), &s.role, &s.agency, date]
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut paragraph = format!("“{}”", s.quote.trim());
    if !who.is_empty() {
        paragraph.push_str(" — ");
        paragraph.push_str(&who.join(", "));
    }
    paragraph.push('.');
    if !s.context.trim().is_empty() {
        paragraph.push_str(" Reported context: ");
        paragraph.push_str(s.context.trim());
    }
    paragraph
}

/// The `Claim` reviewed: what the narrative's documented claims say about who made it, when and
/// where.
fn claim(narrative: &Narrative) -> Value {
    let mut claim = Map::new();
    claim.insert("@type".into(), json!("Claim"));
    claim.insert("name".into(), json!(narrative.title));
    let mut seen = Vec::new();
    let mut authors = Vec::new();
    for c in &narrative.claims {
        let name = c.claimant.trim();
        if name.is_empty() || seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let mut person = json!({"@type": "Person", "name": name});
        if !c.claimant_role.trim().is_empty() {
            person["jobTitle"] = json!(c.claimant_role.trim());
        }
        authors.push(person);
    }
    insert_one_or_many(&mut claim, "author", authors);
    let earliest = narrative
        .claims
        .iter()
        .map(|c| c.date.trim())
        .filter(|d| !d.is_empty())
        .min();
    insert_text(&mut claim, "datePublished", earliest.unwrap_or_default());
    let urls = distinct(narrative.claims.iter().map(|c| c.provenance.url.as_str()));
    let appearances = urls
        .iter()
        .map(|url| json!({"@type": "CreativeWork", "url": url}))
        .collect();
    insert_one_or_many(&mut claim, "appearance", appearances);
    Value::Object(claim)
}

fn organization(name: &str) -> Value {
    json!({"@type": "Organization", "name": name})
}

/// The non-empty trimmed values, each once, in order.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for v in values.map(str::trim).filter(|v| !v.is_empty()) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn insert_text(object: &mut Map<String, Value>, key: &str, text: &str) {
    if !text.trim().is_empty() {
        object.insert(key.into(), json!(text.trim()));
    }
}

/// Nothing for none, the value for one, an array for several (as schema.org publishers do).
fn insert_one_or_many(object: &mut Map<String, Value>, key: &str, mut values: Vec<Value>) {
    match values.len() {
        0 => {}
        1 => {
            object.insert(key.into(), values.remove(0));
        }
        _ => {
            object.insert(key.into(), Value::Array(values));
        }
    }
}
