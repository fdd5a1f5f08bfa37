//! The shipped knowledge base quotes its seed reports exactly: every claim, official statement,
//! passage and context is a verbatim part of the report it names. Skipped without the seeds
//! (`../shared/seeds`, beside the repository), unless `COUNTERCLAIM_REQUIRE_DATASETS` is set.

mod util;

use counterclaim::kb::{KnowledgeBase, Provenance};

/// The text of a seed report, or `None` (with a message) when the seeds are not there.
fn seed(provenance: &Provenance) -> Option<String> {
    let path = util::shared(&std::path::Path::new("seeds").join(&provenance.file))?;
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

#[test]
fn every_quote_passage_and_context_is_verbatim_from_its_report() {
    let kb = KnowledgeBase::load(&util::root().join("index")).unwrap();
    let mut checked = 0;
    let mut check = |item: &str, provenance: &Provenance, texts: &[(&str, &str)]| {
        let Some(seed) = seed(provenance) else { return };
        let paragraphs: Vec<&str> = seed.lines().collect();
        for (what, text) in texts.iter().filter(|(_, t)| !t.is_empty()) {
            assert!(
                paragraphs.iter().any(|p| p.contains(text)),
                "{item}: its {what} is not within one paragraph of {}: {text:?}",
                provenance.file
            );
            checked += 1;
        }
    };
    for n in kb.narratives() {
        for c in &n.claims {
            let item = format!("claim {:?}", c.id);
            check(
                &item,
                &c.provenance,
                &[("text", &c.text), ("passage", &c.provenance.passage)],
            );
            assert!(
                c.provenance.passage.contains(&c.text),
                "{item}: text not in its passage"
            );
        }
    }
    for s in kb.statements() {
        let item = format!("statement {:?}", s.id);
        let texts = [
            ("quote", s.quote.as_str()),
            ("passage", s.provenance.passage.as_str()),
            ("context", s.context.as_str()),
        ];
        check(&item, &s.provenance, &texts);
        assert!(
            s.provenance.passage.contains(&s.quote),
            "{item}: quote not in its passage"
        );
    }
    eprintln!("{checked} texts checked");
}

#[test]
fn every_shipped_statement_stands_alone() {
    let kb = KnowledgeBase::load(&util::root().join("index")).unwrap();
    assert_eq!(kb.warnings(), Vec::<String>::new());
    // A warning about an attack, not a rebuttal of the late-count narrative (issue 15).
    assert!(kb.statement("krebs-ripe-for-attack").is_none());
    for n in kb.narratives() {
        assert!(
            kb.statements_for(n).next().is_some(),
            "{} has no statement",
            n.id
        );
    }
}
