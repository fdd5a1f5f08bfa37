//! Conversions between the wire types of `counterclaim.v1` and the domain types. Nothing here
//! decides anything.

use super::pb;
use crate::kb::{Claim, KnowledgeBase, Narrative, OfficialStatement, Provenance};
use crate::matcher::{
    Evidence, MatchOptions, MatchOutcome, NarrativeMatch, Post, Stance, lang_code_str,
};

impl From<pb::Post> for Post {
    fn from(p: pb::Post) -> Self {
        Post {
            id: p.id,
            text: p.text,
            lang: p.lang,
            author: p.author,
            created_at: p.created_at,
            platform: p.platform,
            url: p.url,
        }
    }
}

pub fn options(o: Option<pb::MatchOptions>) -> MatchOptions {
    let o = o.unwrap_or_default();
    MatchOptions::from_request(o.max_matches, o.min_score, o.include_statements)
}

fn stance(s: Stance) -> i32 {
    match s {
        Stance::Promotes => pb::Stance::Promotes,
        Stance::Debunks => pb::Stance::Debunks,
        Stance::Neutral => pb::Stance::Neutral,
    }
    .into()
}

fn evidence(e: Evidence) -> pb::Evidence {
    pb::Evidence {
        kind: e.kind.to_owned(),
        id: e.id,
        text: e.text,
        matched_words: e.matched_words,
        concepts: (e.concepts.into_iter())
            .map(|c| pb::ConceptEvidence {
                concept_id: c.concept_id,
                words: c.words,
            })
            .collect(),
    }
}

fn provenance(p: &Provenance) -> pb::Provenance {
    pb::Provenance {
        source_id: p.source_id.clone(),
        outlet: p.outlet.clone(),
        title: p.title.clone(),
        passage: p.passage.clone(),
        url: p.url.clone(),
        file: p.file.clone(),
    }
}

pub fn statement(s: &OfficialStatement) -> pb::OfficialStatement {
    pb::OfficialStatement {
        id: s.id.clone(),
        speaker: s.speaker.clone(),
        role: s.role.clone(),
        agency: s.agency.clone(),
        date: s.date.clone(),
        date_note: s.date_note.clone(),
        published_in: s.published_in.clone(),
        quote: s.quote.clone(),
        rebuts: s.rebuts.clone(),
        provenance: Some(provenance(&s.provenance)),
        context: s.context.clone(),
    }
}

fn statements(kb: &KnowledgeBase, narrative_id: &str) -> Vec<pb::OfficialStatement> {
    kb.narrative(narrative_id)
        .map(|n| kb.statements_for(n).map(statement).collect())
        .unwrap_or_default()
}

fn claim(c: &Claim) -> pb::Claim {
    pb::Claim {
        id: c.id.clone(),
        text: c.text.clone(),
        claimant: c.claimant.clone(),
        claimant_role: c.claimant_role.clone(),
        date: c.date.clone(),
        date_note: c.date_note.clone(),
        venue: c.venue.clone(),
        provenance: Some(provenance(&c.provenance)),
    }
}

pub fn summary(n: &Narrative) -> pb::NarrativeSummary {
    pb::NarrativeSummary {
        id: n.id.clone(),
        title: n.title.clone(),
        summary: n.summary.clone(),
        claim_count: n.claims.len() as u32,
        statement_count: n.statement_ids.len() as u32,
    }
}

pub fn narrative(kb: &KnowledgeBase, n: &Narrative) -> pb::Narrative {
    pb::Narrative {
        id: n.id.clone(),
        title: n.title.clone(),
        summary: n.summary.clone(),
        context: n.context.clone(),
        claims: n.claims.iter().map(claim).collect(),
        variants: n.variants.clone(),
        statements: statements(kb, &n.id),
    }
}

pub fn narrative_match(kb: &KnowledgeBase, m: NarrativeMatch, with_statements: bool) -> pb::Match {
    pb::Match {
        statements: if with_statements {
            statements(kb, &m.narrative_id)
        } else {
            Vec::new()
        },
        narrative_id: m.narrative_id,
        narrative_title: m.narrative_title,
        score: m.score,
        stance: stance(m.stance),
        evidence: Some(evidence(m.evidence)),
    }
}

pub fn search_hit(
    kb: &KnowledgeBase,
    m: NarrativeMatch,
    with_statements: bool,
) -> pb::NarrativeHit {
    pb::NarrativeHit {
        narrative: kb.narrative(&m.narrative_id).map(summary),
        score: m.score,
        statements: if with_statements {
            statements(kb, &m.narrative_id)
        } else {
            Vec::new()
        },
        evidence: Some(evidence(m.evidence)),
    }
}

pub fn outcome(
    kb: &KnowledgeBase,
    o: MatchOutcome,
    with_statements: bool,
) -> pb::MatchPostResponse {
    pb::MatchPostResponse {
        post_id: o.post_id,
        lang: lang_code_str(o.lang).to_owned(),
        no_match_reason: o.no_match_reason.unwrap_or_default().to_owned(),
        matches: o
            .matches
            .into_iter()
            .map(|m| narrative_match(kb, m, with_statements))
            .collect(),
        kb_version: kb.version().to_owned(),
        error: None,
    }
}

/// The entry of a `MatchPosts` post that could not be matched.
pub fn failed_post(
    kb: &KnowledgeBase,
    post_id: String,
    error: pb::PostError,
) -> pb::MatchPostResponse {
    pb::MatchPostResponse {
        post_id,
        kb_version: kb.version().to_owned(),
        error: Some(error),
        ..Default::default()
    }
}
