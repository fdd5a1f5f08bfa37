//! What the console and the JSON API answer, computed once from the same `Matcher` methods and
//! knowledge-base lookups as gRPC's `MatchPost`, `GetNarrative` and `SearchNarratives` (see
//! `grpc/service.rs`), so a browser, a dashboard and a gRPC client get the same narratives,
//! scores and statements for the same input. The shapes follow the proto messages' fields.

use serde::Serialize;

use crate::kb::{Claim, KnowledgeBase, Narrative, OfficialStatement};
use crate::matcher::{
    Evidence, MatchOptions, Matcher, NarrativeMatch, Post, Stance, lang_code_str,
};
use crate::{Error, limits};

/// A narrative in a list (`NarrativeSummary`).
#[derive(Debug, Clone, Serialize)]
pub struct NarrativeSummary {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub claim_count: usize,
    pub statement_count: usize,
}

impl From<&Narrative> for NarrativeSummary {
    fn from(n: &Narrative) -> Self {
        Self {
            id: n.id.clone(),
            title: n.title.clone(),
            summary: n.summary.clone(),
            claim_count: n.claims.len(),
            statement_count: n.statement_ids.len(),
        }
    }
}

/// One narrative in full (`GetNarrative`): its claims and the statements that rebut it.
#[derive(Debug, Clone, Serialize)]
pub struct NarrativeDetail {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub context: String,
    pub claims: Vec<Claim>,
    pub variants: Vec<String>,
    pub statements: Vec<OfficialStatement>,
}

/// A narrative that matched a post (`Match`), with the statements that rebut it.
#[derive(Debug, Clone, Serialize)]
pub struct PostMatch {
    pub narrative_id: String,
    pub narrative_title: String,
    pub score: f32,
    pub stance: Stance,
    pub evidence: Evidence,
    pub statements: Vec<OfficialStatement>,
}

/// The answer to a checked post (`MatchPostResponse`).
#[derive(Debug, Clone, Serialize)]
pub struct CheckAnswer {
    pub post_id: String,
    pub lang: &'static str,
    pub matches: Vec<PostMatch>,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub no_match_reason: &'static str,
    pub kb_version: String,
}

/// A narrative found by free-text search (`NarrativeHit`).
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub narrative: NarrativeSummary,
    pub score: f32,
    pub evidence: Evidence,
    pub statements: Vec<OfficialStatement>,
}

fn statements(kb: &KnowledgeBase, narrative_id: &str) -> Vec<OfficialStatement> {
    kb.narrative(narrative_id)
        .map(|n| kb.statements_for(n).cloned().collect())
        .unwrap_or_default()
}

/// `GetNarrative`: the same id checks, the same NOT_FOUND.
pub fn narrative(kb: &KnowledgeBase, id: &str) -> Result<NarrativeDetail, Error> {
    if id.is_empty() || id.len() > limits::MAX_POST_ID_BYTES {
        return Err(Error::invalid("id", "must be a narrative id"));
    }
    let n = kb.narrative(id).ok_or_else(|| Error::NotFound {
        what: "narrative",
        id: id.to_owned(),
    })?;
    Ok(NarrativeDetail {
        id: n.id.clone(),
        title: n.title.clone(),
        summary: n.summary.clone(),
        context: n.context.clone(),
        claims: n.claims.clone(),
        variants: n.variants.clone(),
        statements: statements(kb, &n.id),
    })
}

/// A narrative's rebuttals as one schema.org ClaimReview (what `kb export --format claimreview`
/// writes), its `url` under `base_url`. NOT_FOUND for a narrative no statement rebuts: there is
/// nothing to publish.
pub fn claimreview(
    kb: &KnowledgeBase,
    id: &str,
    base_url: &str,
) -> Result<serde_json::Value, Error> {
    narrative(kb, id)?;
    let n = kb.narrative(id).expect("found above");
    if n.statement_ids.is_empty() {
        return Err(Error::NotFound {
            what: "official statement rebutting narrative",
            id: id.to_owned(),
        });
    }
    Ok(crate::kb::export::claimreview::narrative(kb, n, base_url))
}

/// `MatchPost` with the default options and the statements attached: CPU work, so handlers run
/// it on the blocking pool.
pub fn check(matcher: &Matcher, post_id: &str, text: &str) -> Result<CheckAnswer, Error> {
    let post = Post::new(post_id, text);
    let options = MatchOptions::from_request(0, None, true);
    let outcome = matcher.match_post(&post, &options)?;
    let kb = matcher.kb();
    Ok(CheckAnswer {
        post_id: outcome.post_id,
        lang: lang_code_str(outcome.lang),
        matches: outcome
            .matches
            .into_iter()
            .map(|m| post_match(kb, m))
            .collect(),
        no_match_reason: outcome.no_match_reason.unwrap_or_default(),
        kb_version: kb.version().to_owned(),
    })
}

fn post_match(kb: &KnowledgeBase, m: NarrativeMatch) -> PostMatch {
    PostMatch {
        statements: statements(kb, &m.narrative_id),
        narrative_id: m.narrative_id,
        narrative_title: m.narrative_title,
        score: m.score,
        stance: m.stance,
        evidence: m.evidence,
    }
}

/// `SearchNarratives` with the statements attached: the same limits and errors (`query`,
/// `max_results`). CPU work, like [`check`].
pub fn search(matcher: &Matcher, query: &str, max_results: usize) -> Result<Vec<SearchHit>, Error> {
    let kb = matcher.kb();
    Ok(matcher
        .search(query, max_results)?
        .into_iter()
        .filter_map(|m| {
            Some(SearchHit {
                narrative: kb.narrative(&m.narrative_id)?.into(),
                score: m.score,
                statements: statements(kb, &m.narrative_id),
                evidence: m.evidence,
            })
        })
        .collect())
}
