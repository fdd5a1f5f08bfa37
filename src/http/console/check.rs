//! "Check a post": paste a post, see what `MatchPost` answers for it — the narratives, their
//! scores and stance, the words that matched, and the statements to answer with. A GET form, so
//! a result can be bookmarked or sent to a colleague, and no script is needed.

use axum::extract::{Query, State};
use maud::{Markup, html};
use serde::Deserialize;

use super::super::HttpState;
use super::super::answers::{self, CheckAnswer};
use super::layout::{PageError, frame, statement};
use crate::{Error, limits};

#[derive(Deserialize)]
pub struct CheckQuery {
    text: Option<String>,
}

pub async fn page(
    State(state): State<HttpState>,
    Query(query): Query<CheckQuery>,
) -> Result<Markup, PageError> {
    let fail = |e: Error| PageError::from_error(&state, e);
    let text = query.text.unwrap_or_default();
    let answer = match text.trim() {
        "" => None,
        _ => {
            if text.len() > limits::MAX_POST_TEXT_BYTES {
                return Err(fail(Error::invalid(
                    "text",
                    format!(
                        "the post is longer than {} bytes",
                        limits::MAX_POST_TEXT_BYTES
                    ),
                )));
            }
            let post = text.clone();
            Some(
                state
                    .matching(move |m| answers::check(m, "", &post))
                    .await
                    .map_err(fail)?,
            )
        }
    };
    let kb_version = state.live.snapshot().kb().version().to_owned();
    Ok(frame(
        &kb_version,
        "Check a post",
        "",
        html! {
            h1 { "Check a post" }
            form.check action="/check" method="get" {
                label for="text" { "Paste the post's text" }
                textarea #text name="text" rows="6" maxlength=(limits::MAX_POST_TEXT_BYTES) required { (text) }
                button type="submit" { "Check" }
            }
            @if let Some(answer) = &answer { (result(answer)) }
        },
    ))
}

fn result(answer: &CheckAnswer) -> Markup {
    html! {
        section.result aria-labelledby="result-heading" {
            h2 #result-heading {
                @match answer.matches.len() {
                    0 => "No known narrative",
                    1 => "1 narrative matched",
                    n => { (n) " narratives matched" }
                }
            }
            @if !answer.no_match_reason.is_empty() { p { "Why: " (answer.no_match_reason) "." } }
            @for m in &answer.matches {
                article.match data-narrative=(m.narrative_id) data-stance=(m.stance.as_str()) {
                    h3 { a href={ "/narratives/" (m.narrative_id) } { (m.narrative_title) } }
                    p.scores {
                        "Score " strong { (format!("{:.2}", m.score)) }
                        " · the post " span class={ "stance " (m.stance.as_str()) } { (stance_words(m.stance.as_str())) } " it"
                    }
                    p.evidence {
                        "Closest " (m.evidence.kind) ": " q { (m.evidence.text) }
                        @if !m.evidence.matched_words.is_empty() {
                            br; "Words in common: " (m.evidence.matched_words.join(", "))
                        }
                        @if !m.evidence.concepts.is_empty() {
                            br; "Core concepts named: " span.concepts { (m.evidence.concepts_line()) }
                        }
                    }
                    h4 { "What to say" }
                    @for s in &m.statements { (statement(s)) }
                }
            }
        }
    }
}

fn stance_words(stance: &str) -> &'static str {
    match stance {
        "promotes" => "promotes",
        "debunks" => "debunks",
        _ => "mentions",
    }
}
