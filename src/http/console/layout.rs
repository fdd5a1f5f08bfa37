//! What every page shares: the frame (header with the search box and navigation, footer with
//! the knowledge-base version), the statement block with its copy button, and the readable
//! error page. Markup is compiled (maud), so a typo is a build error.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use super::super::HttpState;
use super::super::error::ErrorBody;
use crate::Error;
use crate::kb::{OfficialStatement, Provenance};

/// Built-in files carry the crate version so their year-long cache ends with an upgrade.
const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A whole page: `title` names it in the tab and the heading.
pub fn frame(kb_version: &str, title: &str, query: &str, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Counterclaim" }
                link rel="stylesheet" href={ "/static/console.css?v=" (ASSET_VERSION) };
                script src={ "/static/copy.js?v=" (ASSET_VERSION) } defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "Counterclaim" }
                    nav aria-label="Main" {
                        a href="/" { "Narratives" }
                        a href="/check" { "Check a post" }
                    }
                    (search_box(query))
                }
                main { (main) }
                footer {
                    p { "Knowledge base version " code.kb-version { (kb_version) } }
                }
            }
        }
    }
}

/// The search of `SearchNarratives`, on every page: officials start from what they heard.
pub fn search_box(query: &str) -> Markup {
    html! {
        form.search role="search" action="/" method="get" {
            label for="q" { "Search narratives" }
            input #q type="search" name="q" value=(query)
                placeholder="e.g. foreign countries will forge mail ballots"
                maxlength=(crate::limits::MAX_QUERY_BYTES);
            button type="submit" { "Search" }
        }
    }
}

/// An official statement: the quote to copy, who said it, and where it was reported. The quote
/// is in a `<blockquote>` so it can be selected by hand where the copy script cannot run.
pub fn statement(s: &OfficialStatement) -> Markup {
    let date = if s.date.is_empty() {
        &s.date_note
    } else {
        &s.date
    };
    html! {
        article.statement id={ "statement-" (s.id) } {
            blockquote { p { (s.quote) } }
            p.who {
                strong { (s.speaker) }
                @if !s.role.is_empty() { ", " (s.role) }
                @if !s.agency.is_empty() { ", " (s.agency) }
                @if !date.is_empty() { " — " (date) }
            }
            @if !s.context.is_empty() {
                p.context { span.label { "Context: " } (s.context) }
            }
            (provenance(&s.provenance, &s.published_in))
            button.copy type="button" data-copy=(s.quote) { "Copy the rebuttal" }
        }
    }
}

/// Where a claim or statement was reported; a link only to a web address.
pub fn provenance(p: &Provenance, published_in: &str) -> Markup {
    let name = match (p.outlet.is_empty(), p.title.is_empty()) {
        (false, false) => format!("{}: {}", p.outlet, p.title),
        (false, true) => p.outlet.clone(),
        _ => p.title.clone(),
    };
    let linked = p.url.starts_with("https://") || p.url.starts_with("http://");
    html! {
        p.source {
            "Source: "
            @if linked {
                a href=(p.url) rel="noreferrer noopener" { (name) }
            } @else {
                cite { (name) }
            }
            @if !published_in.is_empty() { " (" (published_in) ")" }
        }
        @if !p.passage.is_empty() {
            details.passage {
                summary { "The report's words" }
                p { (p.passage) }
            }
        }
    }
}

/// A console error, rendered as a page that says what went wrong and where to go next.
pub struct PageError {
    body: ErrorBody,
    kb_version: String,
}

impl PageError {
    pub fn new(state: &HttpState, body: ErrorBody) -> Self {
        Self {
            body,
            kb_version: state.live.snapshot().kb().version().to_owned(),
        }
    }

    pub fn from_error(state: &HttpState, error: Error) -> Self {
        Self::new(state, error.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = &self.body;
        let (title, advice) = match body.status.as_u16() {
            404 => (
                "Not found",
                "This page or narrative does not exist (it may have been removed from the \
                 knowledge base).",
            ),
            400 => (
                "That request could not be read",
                "Check what you typed and try again.",
            ),
            429 => (
                "Busy",
                "Too many checks are running right now. Wait a moment and try again.",
            ),
            _ => (
                "Something went wrong",
                "Try again; if it keeps happening, tell the operators.",
            ),
        };
        let markup = frame(
            &self.kb_version,
            title,
            "",
            html! {
                section.error {
                    h1 { (title) }
                    p { (advice) }
                    p.detail { (body.message) }
                    p { a href="/" { "See every narrative" } " or " a href="/check" { "check a post" } "." }
                }
            },
        );
        let mut response = (body.status, markup).into_response();
        if let Some((name, value)) = body.retry_after_header() {
            response.headers_mut().insert(name, value);
        }
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        response
    }
}
