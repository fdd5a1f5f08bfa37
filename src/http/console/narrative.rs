//! One narrative: what it is, what officials said against it (first, with copy buttons: that is
//! what an official comes for), the documented claims, matched posts over a chosen window split
//! by stance, and recent example posts.

use axum::extract::{Path, Query, State};
use maud::{Markup, html};
use serde::Deserialize;

use super::super::HttpState;
use super::super::answers::{self, NarrativeDetail};
use super::super::trends::{self, Bucket, MatchRecord, Point, Window};
use super::chart;
use super::layout::{PageError, frame, provenance, statement};
use crate::Error;

/// The windows offered, in days.
const WINDOWS: [(&str, i64); 5] = [
    ("24h", 1),
    ("7d", 7),
    ("30d", 30),
    ("90d", 90),
    ("365d", 365),
];
/// Example posts shown.
const RECENT_POSTS: usize = 20;

#[derive(Deserialize)]
pub struct ChartQuery {
    window: Option<String>,
    bucket: Option<String>,
}

struct Trend {
    points: Vec<Point>,
    recent: Vec<MatchRecord>,
}

pub async fn page(
    State(state): State<HttpState>,
    Path(id): Path<String>,
    Query(query): Query<ChartQuery>,
) -> Result<Markup, PageError> {
    let fail = |e: Error| PageError::from_error(&state, e);
    let matcher = state.live.snapshot();
    let narrative = answers::narrative(matcher.kb(), &id).map_err(fail)?;
    let window_name = query.window.unwrap_or_else(|| "7d".to_owned());
    let days = WINDOWS
        .iter()
        .find(|(name, _)| *name == window_name)
        .map(|&(_, days)| days)
        .ok_or_else(|| fail(Error::invalid("window", "one of 24h, 7d, 30d, 90d, 365d")))?;
    let bucket = match query.bucket.as_deref() {
        Some(b) => trends::parse_bucket(b).map_err(fail)?,
        None if days <= 2 => Bucket::Hour,
        None => Bucket::Day,
    };
    let now = trends::now();
    let window = Window::new(now - days * 86_400, now, bucket).map_err(fail)?;
    let trend_id = narrative.id.clone();
    let trend = state
        .trends
        .read(move |store| {
            let points = store.series(Some(&trend_id), window.from, window.to, window.bucket)?;
            Ok(Trend {
                points,
                recent: store.recent(&trend_id, RECENT_POSTS)?,
            })
        })
        .await
        .map_err(fail)?;
    Ok(frame(
        matcher.kb().version(),
        &narrative.title,
        "",
        html! {
            (head(&narrative))
            section #statements aria-labelledby="statements-heading" {
                h2 #statements-heading { "What officials said" }
                @if narrative.statements.is_empty() { p { "No official statement yet." } }
                @for s in &narrative.statements { (statement(s)) }
            }
            (claims(&narrative))
            section #trend aria-labelledby="trend-heading" {
                h2 #trend-heading { "Matched posts" }
                @match &trend {
                    None => p.notice { "Trend recording is off on this server." },
                    Some(t) => {
                        (window_picker(&narrative.id, &window_name, bucket))
                        (chart::stacked(&t.points, bucket, &format!("Matched posts per {}, last {window_name}", chart::bucket_name(bucket))))
                        (table(&t.points, bucket))
                        (recent(&t.recent))
                    }
                }
            }
        },
    ))
}

fn head(n: &NarrativeDetail) -> Markup {
    html! {
        h1 { (n.title) }
        p.summary { (n.summary) }
        @if !n.context.is_empty() { p.context { span.label { "Background: " } (n.context) } }
        p.jump { a href="#statements" { "What officials said" } " · " a href="#claims" { "Documented claims" } " · " a href="#trend" { "Matched posts" } }
    }
}

fn claims(n: &NarrativeDetail) -> Markup {
    html! {
        section #claims aria-labelledby="claims-heading" {
            h2 #claims-heading { "Documented claims" }
            @for c in &n.claims {
                article.claim id={ "claim-" (c.id) } {
                    blockquote { p { (c.text) } }
                    p.who {
                        @if c.claimant.is_empty() { "Unattributed" } @else { strong { (c.claimant) } }
                        @if !c.claimant_role.is_empty() { ", " (c.claimant_role) }
                        @if !c.venue.is_empty() { " — " (c.venue) }
                        @let date = if c.date.is_empty() { &c.date_note } else { &c.date };
                        @if !date.is_empty() { " — " (date) }
                    }
                    (provenance(&c.provenance, ""))
                }
            }
        }
    }
}

/// Plain links, not a script: each window is a page of its own.
fn window_picker(id: &str, current: &str, bucket: Bucket) -> Markup {
    html! {
        nav.windows aria-label="Chart window" {
            "Window: "
            @for (name, _) in WINDOWS {
                @if name == current { strong aria-current="page" { (name) } }
                @else { a href={ "/narratives/" (id) "?window=" (name) } { (name) } }
                " "
            }
            " · Per: "
            @for b in [Bucket::Hour, Bucket::Day] {
                @if b == bucket { strong { (chart::bucket_name(b)) } }
                @else { a href={ "/narratives/" (id) "?window=" (current) "&bucket=" (chart::bucket_name(b)) } { (chart::bucket_name(b)) } }
                " "
            }
        }
    }
}

/// The chart's numbers for those who cannot see it; buckets with no posts are left out.
fn table(points: &[Point], bucket: Bucket) -> Markup {
    let busy: Vec<&Point> = points.iter().filter(|p| p.counts.total() > 0).collect();
    html! {
        details.numbers {
            summary { "The numbers (" (busy.len()) " " (chart::bucket_name(bucket)) "s with posts)" }
            table {
                thead { tr { th scope="col" { "From" } th scope="col" { "Promotes" } th scope="col" { "Debunks" } th scope="col" { "Neutral" } } }
                tbody { @for p in busy { tr {
                    th scope="row" { (chart::when(p.start, bucket)) }
                    td { (p.counts.promotes) } td { (p.counts.debunks) } td { (p.counts.neutral) }
                } } }
            }
        }
    }
}

fn recent(posts: &[MatchRecord]) -> Markup {
    html! {
        h3 { "Recent example posts" }
        @if posts.is_empty() { p { "No post has matched this narrative yet." } }
        @else {
            table.recent {
                thead { tr {
                    th scope="col" { "Post" } th scope="col" { "Time (UTC)" } th scope="col" { "Platform" }
                    th scope="col" { "Score" } th scope="col" { "Stance" } th scope="col" { "Matched words" }
                } }
                tbody { @for p in posts { tr.post data-stance=(p.stance) {
                    td { code { (p.post_id) } @if let Some(text) = &p.text { p.text { (text) } } }
                    td { (chart::moment(p.at)) }
                    td { (p.platform) }
                    td { (format!("{:.2}", p.score)) }
                    td class={ "stance " (p.stance) } { (p.stance) }
                    td { (p.matched_words.join(", ")) }
                } } }
            }
        }
    }
}
