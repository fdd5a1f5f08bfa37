//! The sentence-embedding model alone: one post at a time (what `MatchPost` pays when the gate
//! lets a post through) and 32 posts in one call (what `score` and `MatchPosts` pay). Criterion
//! prints posts/s ("elem/s"). Skips when the model is absent (`scripts/fetch_model.sh`).
//!
//! `cargo bench --bench embed`

use std::hint::black_box;
use std::path::Path;

use counterclaim::embed::Embedder;
use counterclaim::eval::labelled::read_posts;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("COUNTERCLAIM_MODEL")
        .map(Into::into)
        .unwrap_or_else(|| root.join("models/all-MiniLM-L6-v2"));
    let embedder = match Embedder::load(&dir) {
        Ok(embedder) => embedder,
        Err(e) => {
            eprintln!("skipping the embedding benchmark: {e}");
            return;
        }
    };
    let labelled = read_posts(&root.join("tests/fixtures/posts.jsonl")).expect("fixture posts");
    let texts: Vec<&str> = labelled.iter().map(|p| p.text.as_str()).take(32).collect();

    let mut group = c.benchmark_group("embed");
    group.sample_size(20);
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_post", |b| {
        let mut next = texts.iter().cycle();
        b.iter(|| embedder.embed(black_box(&[next.next().unwrap()])).unwrap())
    });
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("batch_of_32", |b| {
        b.iter(|| embedder.embed(black_box(&texts)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
