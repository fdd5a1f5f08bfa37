//! Hybrid matching with a stand-in model: the cache, the gate, the fusion and the fallbacks.
//! The stand-in embeds a text as the normalised sum of its words' concept vectors, where a few
//! paraphrase words share a concept (as a sentence-embedding model would place them close).

use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

const DIM: usize = 64;

/// Words a real model would see as near-synonyms.
const CONCEPTS: &[&[&str]] = &[
    &[
        "printer",
        "print",
        "printing",
        "counterfeit",
        "fake",
        "forge",
        "forged",
    ],
    &[
        "country",
        "countries",
        "foreign",
        "abroad",
        "overseas",
        "nation",
        "nations",
    ],
    &["ballot", "ballots", "vote", "votes", "voting"],
];

#[derive(Default)]
struct StandIn {
    texts_encoded: AtomicUsize,
    fail: bool,
    revision: u32,
}

impl StandIn {
    fn encoded(&self) -> usize {
        self.texts_encoded.load(Ordering::SeqCst)
    }
}

fn concept(word: &str) -> usize {
    match CONCEPTS.iter().position(|c| c.contains(&word)) {
        Some(i) => i,
        None => {
            use std::hash::BuildHasher;
            CONCEPTS.len() + (rustc_hash::FxBuildHasher.hash_one(word) as usize) % (DIM - 3)
        }
    }
}

impl Encoder for StandIn {
    fn id(&self) -> &str {
        "stand-in-model"
    }

    fn revision(&self) -> u32 {
        self.revision
    }

    fn dim(&self) -> usize {
        DIM
    }

    fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        if self.fail {
            return Err("the stand-in model fails on purpose".into());
        }
        self.texts_encoded.fetch_add(texts.len(), Ordering::SeqCst);
        Ok(texts
            .iter()
            .map(|t| {
                let mut v = vec![0.0f32; DIM];
                for w in t
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                {
                    v[concept(&w.to_lowercase())] += 1.0;
                }
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.iter().map(|x| x / norm).collect()
            })
            .collect())
    }
}

fn shipped() -> Arc<KnowledgeBase> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("index");
    Arc::new(KnowledgeBase::load(&dir).unwrap())
}

fn hybrid(encoder: Arc<StandIn>, cache: Option<&Path>) -> Matcher {
    let mut m = Matcher::new(shipped(), None).unwrap();
    m.use_encoder(encoder, cache).unwrap();
    m
}

fn first(m: &Matcher, text: &str) -> Option<NarrativeMatch> {
    let outcome = m.match_post(&Post::new("p", text), &MatchOptions::default());
    outcome.unwrap().matches.into_iter().next()
}

#[test]
fn entry_embeddings_are_cached_by_kb_version_and_model() {
    let dir = tempfile::tempdir().unwrap();
    let first_run = Arc::new(StandIn::default());
    let m = hybrid(first_run.clone(), Some(dir.path()));
    assert_eq!(m.mode(), "hybrid");
    let distinct: std::collections::HashSet<&str> =
        m.entries.iter().map(|e| e.indexed.as_str()).collect();
    assert_eq!(
        first_run.encoded(),
        distinct.len(),
        "every distinct entry text embedded once"
    );
    let file = cache_file(dir.path(), m.kb().version(), "stand-in-model", 0);
    assert!(file.exists());

    let restart = Arc::new(StandIn::default());
    hybrid(restart.clone(), Some(dir.path()));
    assert_eq!(restart.encoded(), 0, "a restart reads the cache");

    // New code that computes different numbers with the same weights does not reuse them.
    let new_code = Arc::new(StandIn {
        revision: 1,
        ..StandIn::default()
    });
    hybrid(new_code.clone(), Some(dir.path()));
    assert_eq!(new_code.encoded(), distinct.len());

    // A damaged cache is ignored and rewritten, never trusted.
    std::fs::write(&file, b"CCEMB002 truncated").unwrap();
    let after_damage = Arc::new(StandIn::default());
    hybrid(after_damage.clone(), Some(dir.path()));
    assert_eq!(after_damage.encoded(), distinct.len());
    assert!(std::fs::metadata(&file).unwrap().len() > 1000);
}

#[test]
fn the_gate_keeps_unrelated_posts_away_from_the_model() {
    let model = Arc::new(StandIn::default());
    let m = hybrid(model.clone(), None);
    let before = model.encoded();
    let unrelated = "Lovely weather for the marathon today, my legs are done but the ballot \
                     of runners voted the course the best in the state";
    let outcome = m
        .match_post(&Post::new("u", unrelated), &MatchOptions::default())
        .unwrap();
    assert!(outcome.matches.is_empty());
    assert_eq!(
        model.encoded(),
        before,
        "the model never saw the unrelated post"
    );

    first(&m, "China is printing fake mail-in ballots");
    assert_eq!(model.encoded(), before + 1, "a related post is embedded");
}

#[test]
fn posts_no_embedding_could_lift_to_the_threshold_skip_the_model_and_lose_nothing() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let posts: Vec<Post> = ["posts.jsonl", "tuning_posts.jsonl"]
        .iter()
        .flat_map(|f| crate::eval::labelled::read_posts(&fixtures.join(f)).unwrap())
        .map(|p| Post::new(&p.id, &p.text))
        .collect();
    let model = Arc::new(StandIn::default());
    let m = hybrid(model.clone(), None);

    // At the lowest threshold every post through the lexical gate is embedded.
    let every = MatchOptions {
        min_score: Some(f32::MIN_POSITIVE),
        max_matches: m.kb().narratives().len(),
        ..MatchOptions::default()
    };
    let before = model.encoded();
    let everything = m.match_posts(&posts, &every);
    let embedded_all = model.encoded() - before;
    let defaults = MatchOptions::default();
    let before = model.encoded();
    let at_default = m.match_posts(&posts, &defaults);
    let embedded_default = model.encoded() - before;

    // A post through the gate mentions all of a narrative's concepts, and nearly every such
    // post could reach the threshold: the ceiling seldom spares the model any work now, but
    // it must never change an answer.
    assert!(
        embedded_default <= embedded_all,
        "posts that cannot reach the threshold are not embedded ({embedded_default} of {embedded_all})"
    );
    for (all, default) in everything.into_iter().zip(at_default) {
        let (all, default) = (all.unwrap(), default.unwrap());
        let expected: Vec<NarrativeMatch> = all
            .matches
            .into_iter()
            .filter(|n| n.score >= DEFAULT_THRESHOLD)
            .take(defaults.max_matches)
            .collect();
        assert_eq!(default.matches, expected, "post {}", default.post_id);
    }
}

#[test]
fn posts_in_a_batch_are_embedded_together_in_order() {
    let model = Arc::new(StandIn::default());
    let m = hybrid(model.clone(), None);
    let posts = [
        Post::new("a", "China is printing fake mail-in ballots"),
        Post::new("b", "nothing to see here"),
        Post::new(
            "c",
            "Russia and China will print counterfeit mail-in ballots",
        ),
    ];
    let before = model.encoded();
    let outcomes = m.match_posts(&posts, &MatchOptions::default());
    let ids: Vec<String> = outcomes
        .iter()
        .map(|o| o.as_ref().unwrap().post_id.clone())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(model.encoded(), before + 2);
    for (post, outcome) in posts.iter().zip(&outcomes) {
        let alone = m.match_post(post, &MatchOptions::default()).unwrap();
        assert_eq!(
            outcome.as_ref().unwrap(),
            &alone,
            "batching changes nothing"
        );
    }
}

#[test]
fn spanish_posts_and_model_failures_are_scored_lexically() {
    let lexical = Matcher::new(shipped(), None).unwrap();
    let model = Arc::new(StandIn::default());
    let m = hybrid(model.clone(), None);
    let spanish = "China va a imprimir boletas falsas para el voto por correo";
    let before = model.encoded();
    assert_eq!(first(&m, spanish), first(&lexical, spanish));
    assert_eq!(
        model.encoded(),
        before,
        "the English model never sees Spanish posts"
    );

    let mut failing = Matcher::new(shipped(), None).unwrap();
    failing
        .use_encoder(Arc::new(StandIn::default()), None)
        .unwrap();
    failing
        .dense
        .as_mut()
        .unwrap()
        .replace_encoder(Arc::new(StandIn {
            fail: true,
            ..StandIn::default()
        }));
    let post = "Russia and China will print counterfeit mail-in ballots";
    assert_eq!(first(&failing, post), first(&lexical, post));
}

#[test]
fn a_model_that_fails_while_indexing_leaves_the_matcher_lexical() {
    let mut m = Matcher::new(shipped(), None).unwrap();
    let failing = Arc::new(StandIn {
        fail: true,
        ..StandIn::default()
    });
    let error = m.use_encoder(failing, None).unwrap_err();
    assert!(matches!(error, Error::Model(_)), "{error}");
    assert_eq!(m.mode(), "lexical");
    assert!(
        first(
            &m,
            "Russia and China will print counterfeit mail-in ballots"
        )
        .is_some()
    );
}

#[test]
fn dense_similarity_lifts_the_paraphrased_claim_in_a_collection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.jsonl");
    std::fs::write(
        &path,
        concat!(
            r#"{"id": "c1", "text": "Foreign countries will counterfeit mail-in ballots"}"#,
            "\n",
            r#"{"id": "c2", "text": "Mail-in ballots arrive late in Ohio and Texas"}"#,
            "\n",
            r#"{"id": "c3", "text": "Dead people voted in Michigan"}"#,
            "\n",
        ),
    )
    .unwrap();
    let kb = Arc::new(KnowledgeBase::load(&path).unwrap());
    let lexical = Matcher::new(kb.clone(), None).unwrap();
    let mut hybrid = Matcher::new(kb, None).unwrap();
    hybrid
        .use_encoder(Arc::new(StandIn::default()), None)
        .unwrap();
    let post = Post::new("p", "overseas nations are forging mail ballots");
    let ranking = MatchOptions {
        min_score: Some(0.0),
        ..MatchOptions::default()
    };
    let lexical = lexical.match_post(&post, &ranking).unwrap().matches;
    let fused = hybrid.match_post(&post, &ranking).unwrap().matches;
    assert_eq!(fused[0].narrative_id, "c1", "{fused:?}");
    assert!(fused[0].overlap.dense > 0.5 && fused[0].overlap.dense_share == 1.0);
    let lexical_c1 = lexical.iter().find(|m| m.narrative_id == "c1").unwrap();
    assert!(fused[0].score > lexical_c1.score, "{fused:?} {lexical:?}");
    assert_eq!(
        lexical_c1.overlap.dense, 0.0,
        "no dense feature without a model"
    );
}

#[test]
fn a_knowledge_base_update_embeds_only_the_texts_it_adds() {
    let encoder = Arc::new(StandIn::default());
    let served = hybrid(encoder.clone(), None);
    let before = encoder.encoded();
    let document = include_str!("../../tests/fixtures/admin/voting-machines.toml");
    let (kb, _) = served
        .kb()
        .with_narrative_document(document, crate::kb::DocumentFormat::Toml)
        .unwrap();
    let updated = served.for_knowledge_base(Arc::new(kb), None).unwrap();
    let added = encoder.encoded() - before;
    let new_entries = updated.entries.len() - served.entries.len();
    assert!(
        added > 0 && added <= new_entries,
        "{added} embedded for {new_entries} new entries"
    );
    // The same vectors a matcher built from scratch computes.
    let fresh = hybrid(Arc::new(StandIn::default()), None);
    let post = served
        .dense
        .as_ref()
        .unwrap()
        .encode(&["forged ballots from abroad"])
        .unwrap();
    for entry in 0..served.entries.len() {
        let (a, b) = (updated.dense.as_ref(), fresh.dense.as_ref());
        let same = updated
            .entries
            .iter()
            .position(|e| e.indexed == served.entries[entry].indexed);
        let same = same.unwrap();
        assert_eq!(
            a.unwrap().similarity(&post[0], same),
            b.unwrap().similarity(&post[0], entry)
        );
    }
}
