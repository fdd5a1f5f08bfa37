//! The home page: every narrative with its recent volume, and the search box. A search answers
//! with the narratives found and, right under each, what officials said, with copy buttons: the
//! shortest path from "what do I say to this?" to the words.

use std::collections::HashMap;

use axum::extract::{Query, State};
use maud::{Markup, html};
use serde::Deserialize;

use super::super::HttpState;
use super::super::answers::{self, SearchHit};
use super::super::trends::{self, Bucket, Point, StanceCounts, Window};
use super::chart;
use super::layout::{PageError, frame, statement};
use crate::Error;

/// Statements shown under each search hit; the narrative page has them all.
const STATEMENTS_PER_HIT: usize = 2;

/// Narratives drawn with a sparkline.
const MAX_SPARKLINES: usize = 200;

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    sort: Option<String>,
}

/// Per narrative, matched posts in the last 24 hours and 7 days, and 7 days by day.
pub struct RecentCounts {
    pub day: HashMap<String, StanceCounts>,
    pub week: HashMap<String, StanceCounts>,
    pub daily: HashMap<String, Vec<Point>>,
}

/// `None` when trend recording is off.
pub async fn recent_counts(state: &HttpState) -> Result<Option<RecentCounts>, Error> {
    // One series read per sparkline: a flat collection of thousands of narratives gets them
    // for its first ones only, so the page stays quick.
    let ids: Vec<String> = (state.live.snapshot().kb().narratives().iter())
        .take(MAX_SPARKLINES)
        .map(|n| n.id.clone())
        .collect();
    let now = trends::now();
    state
        .trends
        .read(move |store| {
            let week = Window::last_days(7, now, Bucket::Day);
            let mut daily = HashMap::new();
            for id in ids {
                let points = store.series(Some(&id), week.from, week.to, Bucket::Day)?;
                daily.insert(id, points);
            }
            Ok(RecentCounts {
                day: store.counts(now - 86_400, now)?,
                week: store.counts(week.from, week.to)?,
                daily,
            })
        })
        .await
}

pub async fn page(
    State(state): State<HttpState>,
    Query(query): Query<ListQuery>,
) -> Result<Markup, PageError> {
    let fail = |e: Error| PageError::from_error(&state, e);
    let q = query.q.unwrap_or_default();
    let by_volume = query.sort.as_deref() == Some("volume");
    let hits = match q.trim() {
        "" => None,
        _ => {
            let text = q.clone();
            let found = state
                .matching(move |m| answers::search(m, &text, 0))
                .await
                .map_err(|e| fail(rename_query(e)))?;
            Some(found)
        }
    };
    let counts = recent_counts(&state).await.map_err(fail)?;
    let matcher = state.live.snapshot();
    let kb = matcher.kb();
    let mut narratives: Vec<_> = kb.narratives().iter().collect();
    if let (true, Some(c)) = (by_volume, &counts) {
        narratives.sort_by_key(|n| std::cmp::Reverse(c.week.get(&n.id).map_or(0, |s| s.total())));
    }
    let title = if q.trim().is_empty() {
        "Narratives".to_owned()
    } else {
        format!("Search: {q}")
    };
    Ok(frame(
        kb.version(),
        &title,
        &q,
        html! {
            @if let Some(hits) = &hits { (search_results(&q, hits)) }
            section aria-labelledby="all-narratives" {
                h1 #all-narratives { "Known false narratives" }
                p.lead { "Click a narrative to see the official statements that rebut it, ready to copy." }
                @if counts.is_none() {
                    p.notice { "Trend recording is off on this server: no counts of matched posts." }
                }
                p.sort {
                    "Sort: "
                    @if by_volume { a href="/" { "knowledge-base order" } " · " strong { "by volume (7 days)" } }
                    @else { strong { "knowledge-base order" } " · " a href="/?sort=volume" { "by volume (7 days)" } }
                }
                table.narratives {
                    thead { tr {
                        th scope="col" { "Narrative" }
                        th scope="col" { "Last 24 h" }
                        th scope="col" { "Last 7 days" }
                        th scope="col" { "Trend (7 days)" }
                        th scope="col" { "Promotes / debunks (7 days)" }
                    } }
                    tbody {
                        @for n in &narratives {
                            @let day = counts.as_ref().map(|c| c.day.get(&n.id).copied().unwrap_or_default());
                            @let week = counts.as_ref().map(|c| c.week.get(&n.id).copied().unwrap_or_default());
                            tr data-narrative=(n.id) {
                                th scope="row" {
                                    a.title href={ "/narratives/" (n.id) } { (n.title) }
                                    p.summary { (n.summary) }
                                    p.meta { (n.statement_ids.len()) " official statements · " (n.claims.len()) " documented claims" }
                                }
                                td.count data-count=[day.map(|d| d.total())] { (count(day)) }
                                td.count data-count=[week.map(|w| w.total())] { (count(week)) }
                                td { @if let Some(points) = counts.as_ref().and_then(|c| c.daily.get(&n.id)) {
                                    (chart::sparkline(points, &n.title))
                                } @else { "—" } }
                                td { @if let Some(w) = week { (split(w)) } @else { "—" } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

fn count(c: Option<StanceCounts>) -> String {
    c.map_or("—".to_owned(), |c| c.total().to_string())
}

fn split(c: StanceCounts) -> Markup {
    html! {
        span.split data-promotes=(c.promotes) data-debunks=(c.debunks) {
            span.promotes { (c.promotes) " promote" } " / " span.debunks { (c.debunks) " debunk" }
        }
    }
}

fn search_results(q: &str, hits: &[SearchHit]) -> Markup {
    html! {
        section.results aria-labelledby="results" {
            h1 #results { "Narratives matching “" (q) "”" }
            @if hits.is_empty() { p { "No narrative matches these words. Try other words, or check the whole post." } }
            ol.hits {
                @for hit in hits {
                    li.hit data-narrative=(hit.narrative.id) {
                        h2 { a href={ "/narratives/" (hit.narrative.id) } { (hit.narrative.title) } }
                        p.summary { (hit.narrative.summary) }
                        h3 { "What to say" }
                        @for s in hit.statements.iter().take(STATEMENTS_PER_HIT) { (statement(s)) }
                        p { a href={ "/narratives/" (hit.narrative.id) "#statements" } {
                            "All " (hit.statements.len()) " statements and the claims →" } }
                    }
                }
            }
        }
    }
}

/// The search box's field is `q`; the matcher names it `query`, as SearchNarratives does.
fn rename_query(e: Error) -> Error {
    match e {
        Error::InvalidArgument { field, reason } if field == "query" => Error::invalid("q", reason),
        other => other,
    }
}
