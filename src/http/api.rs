//! The JSON API for dashboards, `/api/v1/`: thin handlers over `answers.rs` and the trend store.
//! Query parameters arrive as text and are checked here, so a malformed one gets the same
//! INVALID_ARGUMENT JSON naming the field as any other mistake.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};

use super::HttpState;
use super::answers::{self, CheckAnswer, NarrativeDetail, NarrativeSummary, SearchHit};
use super::error::ApiError;
use super::trends::{self, Point, StanceCounts, Window};
use crate::{Error, limits};

type ApiResult<T> = Result<Json<T>, ApiError>;

#[derive(Serialize)]
pub struct NarrativeList {
    pub narratives: Vec<NarrativeWithCounts>,
    pub kb_version: String,
    /// False when the server records no trends: the counts are then absent.
    pub trends: bool,
}

#[derive(Serialize)]
pub struct NarrativeWithCounts {
    #[serde(flatten)]
    pub narrative: NarrativeSummary,
    /// Matched posts in the last 24 hours and 7 days, by stance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_24h: Option<StanceCounts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_7d: Option<StanceCounts>,
}

/// Every narrative with its recent volume.
pub async fn narratives(State(state): State<HttpState>) -> ApiResult<NarrativeList> {
    let matcher = state.live.snapshot();
    let kb = matcher.kb();
    let counts = super::console::narratives::recent_counts(&state).await?;
    Ok(Json(NarrativeList {
        narratives: kb
            .narratives()
            .iter()
            .map(|n| NarrativeWithCounts {
                narrative: n.into(),
                last_24h: counts
                    .as_ref()
                    .map(|c| c.day.get(&n.id).copied().unwrap_or_default()),
                last_7d: counts
                    .as_ref()
                    .map(|c| c.week.get(&n.id).copied().unwrap_or_default()),
            })
            .collect(),
        kb_version: kb.version().to_owned(),
        trends: counts.is_some(),
    }))
}

#[derive(Serialize)]
pub struct NarrativeAnswer {
    pub narrative: NarrativeDetail,
    pub kb_version: String,
}

pub async fn narrative(
    State(state): State<HttpState>,
    Path(id): Path<String>,
) -> ApiResult<NarrativeAnswer> {
    let matcher = state.live.snapshot();
    Ok(Json(NarrativeAnswer {
        narrative: answers::narrative(matcher.kb(), &id)?,
        kb_version: matcher.kb().version().to_owned(),
    }))
}

/// `/api/v1/narratives/{id}/claimreview.json`: the narrative's rebuttals as schema.org
/// ClaimReview, its `url` the narrative's page on this console (the `Host` the request was sent
/// to); `kb export --format claimreview --base-url` writes them for another site.
pub async fn claimreview(
    State(state): State<HttpState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> ApiResult<serde_json::Value> {
    let host = (headers.get(axum::http::header::HOST))
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.len() <= 255 && !h.contains(['/', '?', '#', '@']))
        .unwrap_or("127.0.0.1");
    let matcher = state.live.snapshot();
    let review = answers::claimreview(matcher.kb(), &id, &format!("http://{host}"))?;
    Ok(Json(review))
}

#[derive(Deserialize)]
pub struct TrendQuery {
    narrative: Option<String>,
    from: Option<String>,
    to: Option<String>,
    bucket: Option<String>,
}

#[derive(Serialize)]
pub struct TrendAnswer {
    /// Absent: every narrative together.
    pub narrative: Option<String>,
    pub from: i64,
    pub to: i64,
    pub bucket: trends::Bucket,
    /// Every bucket of the window, empty ones too.
    pub points: Vec<Point>,
}

pub async fn trends(
    State(state): State<HttpState>,
    Query(query): Query<TrendQuery>,
) -> ApiResult<TrendAnswer> {
    let window = Window::parse(
        query.from.as_deref(),
        query.to.as_deref(),
        query.bucket.as_deref(),
        trends::now(),
    )?;
    let narrative = query.narrative.filter(|n| !n.is_empty());
    if let Some(id) = &narrative {
        answers::narrative(state.live.snapshot().kb(), id)
            .map_err(|e| rename(e, "id", "narrative"))?;
    }
    let id = narrative.clone();
    let points = state
        .trends
        .read(move |store| store.series(id.as_deref(), window.from, window.to, window.bucket))
        .await?
        .ok_or_else(|| Error::Conflict("trend recording is off on this server".into()))?;
    Ok(Json(TrendAnswer {
        narrative,
        from: window.from,
        to: window.to,
        bucket: window.bucket,
        points,
    }))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    max_results: Option<String>,
}

#[derive(Serialize)]
pub struct SearchAnswer {
    pub hits: Vec<SearchHit>,
    pub kb_version: String,
}

pub async fn search(
    State(state): State<HttpState>,
    Query(query): Query<SearchQuery>,
) -> ApiResult<SearchAnswer> {
    let q = query.q.unwrap_or_default();
    let max_results = match query.max_results.as_deref() {
        None | Some("") => 0,
        Some(n) => n
            .parse::<usize>()
            .map_err(|_| Error::invalid("max_results", "a whole number"))?,
    };
    // `Matcher::search` names the field `query`, as SearchNarratives does; here it is `q`.
    let (hits, kb_version) = state
        .matching(move |m| {
            let hits = answers::search(m, &q, max_results).map_err(|e| rename(e, "query", "q"))?;
            Ok((hits, m.kb().version().to_owned()))
        })
        .await?;
    Ok(Json(SearchAnswer { hits, kb_version }))
}

#[derive(Deserialize)]
pub struct CheckRequest {
    text: String,
    #[serde(default)]
    id: String,
}

/// A post to check: `{"text": "...", "id": "optional"}`.
pub async fn check(
    State(state): State<HttpState>,
    body: Result<Json<CheckRequest>, JsonRejection>,
) -> ApiResult<CheckAnswer> {
    let Json(request) = body.map_err(|e| match e {
        JsonRejection::BytesRejection(_) => Error::invalid(
            "body",
            format!("larger than {} bytes", super::MAX_BODY_BYTES),
        ),
        other => Error::invalid("body", other.body_text()),
    })?;
    if request.text.len() > limits::MAX_POST_TEXT_BYTES {
        // Refused before it takes a matching slot.
        return Err(Error::invalid(
            "text",
            format!("longer than {} bytes", limits::MAX_POST_TEXT_BYTES),
        )
        .into());
    }
    let answer = state
        .matching(move |m| answers::check(m, &request.id, &request.text).map_err(unprefixed))
        .await?;
    Ok(Json(answer))
}

fn rename(error: Error, from: &str, to: &str) -> Error {
    match error {
        Error::InvalidArgument { field, reason } if field == from => Error::invalid(to, reason),
        other => other,
    }
}

/// The matcher names post fields `post.text`, `post.id`; this API's body has them at the top.
fn unprefixed(error: Error) -> Error {
    match error {
        Error::InvalidArgument { field, reason } => match field.strip_prefix("post.") {
            Some(field) => Error::invalid(field, reason),
            None => Error::InvalidArgument { field, reason },
        },
        other => other,
    }
}
