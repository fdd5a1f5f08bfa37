//! The quality gate on the labelled test posts (`tests/fixtures/posts.jsonl`), written
//! independently of the matcher; thresholds were tuned on `tuning_posts.jsonl` only. The figures
//! we commit to are the floors below; `cargo test --test quality -- --nocapture` prints the
//! measured ones.

use std::path::Path;
use std::sync::Arc;

use counterclaim::eval::labelled::{evaluate, read_posts};
use counterclaim::kb::KnowledgeBase;
use counterclaim::matcher::{MatchOptions, Matcher};

const MIN_PRECISION: f64 = 0.95;
const MIN_RECALL: f64 = 0.80;
const MIN_STANCE_ACCURACY: f64 = 0.90;

#[test]
fn labelled_test_set_meets_the_committed_figures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let kb = KnowledgeBase::load(&root.join("index")).unwrap();
    let matcher = Matcher::new(Arc::new(kb), None).unwrap();
    let posts = read_posts(&root.join("tests/fixtures/posts.jsonl")).unwrap();
    assert!(posts.len() >= 100, "the test set has {} posts", posts.len());
    let report = evaluate(&matcher, &posts, &MatchOptions::default());
    let o = report.overall;
    print!("{}", report.to_text());
    assert!(
        o.precision() >= MIN_PRECISION,
        "precision {:.3}",
        o.precision()
    );
    assert!(o.recall() >= MIN_RECALL, "recall {:.3}", o.recall());
    assert!(
        o.stance_accuracy() >= MIN_STANCE_ACCURACY,
        "stance {:.3}",
        o.stance_accuracy()
    );
}
