//! Validation shared by every loader: at least one narrative, unique ids, references that
//! resolve, no empty text, thresholds within [0, 1], and every narrative backed by at least one claim and (in curated
//! knowledge bases) one statement.

use std::collections::HashSet;
use std::path::Path;

use super::{Concept, KbError, Narrative, OfficialStatement};

pub(super) fn check(
    origin: &Path,
    narratives: &[Narrative],
    statements: &[OfficialStatement],
    require_statements: bool,
) -> Result<(), KbError> {
    let invalid = |item: String, message: &str| KbError::Invalid {
        path: origin.to_path_buf(),
        item,
        message: message.to_owned(),
    };
    if narratives.is_empty() {
        // Served, it would answer every post with "no match", which looks like good news.
        return Err(invalid(
            "the knowledge base".to_owned(),
            "has no narratives: there is nothing to match posts against",
        ));
    }
    let mut narrative_ids = HashSet::new();
    let mut item_ids = HashSet::new();
    for n in narratives {
        let item = format!("narrative {:?}", n.id);
        if n.id.trim().is_empty() {
            return Err(invalid(item, "empty id"));
        }
        if !narrative_ids.insert(n.id.as_str()) {
            return Err(invalid(item, "duplicate narrative id"));
        }
        if n.title.trim().is_empty() {
            return Err(invalid(item, "empty title"));
        }
        if n.claims.is_empty() {
            return Err(invalid(item, "has no claims"));
        }
        if n.variants.iter().any(|v| v.trim().is_empty()) {
            return Err(invalid(item, "has an empty variant"));
        }
        check_concepts(n).map_err(|message| invalid(item.clone(), &message))?;
        check_exclusions(n).map_err(|message| invalid(item.clone(), &message))?;
        if n.threshold.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
            return Err(invalid(item, "threshold must be within [0, 1]"));
        }
        for c in &n.claims {
            let item = format!("claim {:?}", c.id);
            if c.id.trim().is_empty() {
                return Err(invalid(item, "empty id"));
            }
            if !item_ids.insert(c.id.as_str()) {
                return Err(invalid(item, "duplicate claim or statement id"));
            }
            if c.text.trim().is_empty() {
                return Err(invalid(item, "empty text"));
            }
        }
    }
    for s in statements {
        let item = format!("statement {:?}", s.id);
        if s.id.trim().is_empty() {
            return Err(invalid(item, "empty id"));
        }
        if !item_ids.insert(s.id.as_str()) {
            return Err(invalid(item, "duplicate claim or statement id"));
        }
        if s.quote.trim().is_empty() || s.speaker.trim().is_empty() {
            return Err(invalid(item, "empty quote or speaker"));
        }
        if s.rebuts.is_empty() {
            return Err(invalid(item, "rebuts no narrative"));
        }
        if let Some(missing) = s
            .rebuts
            .iter()
            .find(|id| !narrative_ids.contains(id.as_str()))
        {
            return Err(invalid(
                item,
                &format!("rebuts unknown narrative {missing:?}"),
            ));
        }
    }
    if require_statements {
        for n in narratives {
            if !statements.iter().any(|s| s.rebuts.contains(&n.id)) {
                return Err(invalid(
                    format!("narrative {:?}", n.id),
                    "no official statement rebuts it",
                ));
            }
        }
    }
    Ok(())
}

/// At most this many concepts a narrative (the matcher keeps them as the bits of a `u32`).
pub const MAX_CONCEPTS: usize = 32;

/// A narrative's concepts: unique non-empty ids, no empty alias, at least one alias each.
fn check_concepts(n: &Narrative) -> Result<(), String> {
    check_aliases("concept", &n.concepts)?;
    if n.concepts.len() > MAX_CONCEPTS {
        return Err(format!("more than {MAX_CONCEPTS} concepts"));
    }
    Ok(())
}

/// A narrative's exclusions: checked like its concepts, and only beside concepts, since what
/// they do is stop a post matching on them.
fn check_exclusions(n: &Narrative) -> Result<(), String> {
    if !n.exclusions.is_empty() && n.concepts.is_empty() {
        return Err(
            "has exclusions but no concepts (exclusions only stop a match on concepts)".into(),
        );
    }
    check_aliases("exclusion", &n.exclusions)
}

/// Concepts or exclusions (`kind`): unique non-empty ids, no empty alias, at least one alias
/// each.
fn check_aliases(kind: &str, list: &[Concept]) -> Result<(), String> {
    let mut ids = HashSet::new();
    for c in list {
        if c.id.trim().is_empty() {
            return Err(format!("a {kind} has an empty id"));
        }
        if !ids.insert(c.id.as_str()) {
            return Err(format!("duplicate {kind} id {:?}", c.id));
        }
        if c.en.is_empty() && c.es.is_empty() {
            return Err(format!("{kind} {:?} has no alias (en or es)", c.id));
        }
        if c.en.iter().chain(&c.es).any(|a| a.trim().is_empty()) {
            return Err(format!("{kind} {:?} has an empty alias", c.id));
        }
    }
    Ok(())
}

/// A quote of fewer words than this rarely stands alone ("I have not", "fully aware"): it needs a
/// `context` from its report.
pub const MIN_STANDALONE_WORDS: usize = 6;

/// What loading accepts but a curator should fix: official statements too short to stand alone
/// without a `context`. One line per statement, naming it.
pub(super) fn warnings(statements: &[OfficialStatement]) -> Vec<String> {
    statements
        .iter()
        .filter(|s| {
            s.context.trim().is_empty() && s.quote.split_whitespace().count() < MIN_STANDALONE_WORDS
        })
        .map(|s| {
            format!(
                "statement {:?}: the quote {:?} has fewer than {MIN_STANDALONE_WORDS} words and no \
                 context: add the report's words around it (the question it answered, the \
                 sentence it completes) as `context`",
                s.id, s.quote
            )
        })
        .collect()
}
