//! The sentence-embedding model alone: one post at a time (what `MatchPost` pays when the gate
//! lets a post through) and 32 posts in one call (what `score` and `MatchPosts` pay). Criterion
//! prints posts/s ("elem/s"). Skips when the model is absent (`scripts/fetch_model.sh`).
//!
//! And the model's largest matrix product alone, on random numbers (it needs no model), as
//! candle runs it on this machine's cores: there criterion's "elem/s" is floating-point
//! operations per second, the rate that bounds hybrid scoring (docs/quality.md).
//!
//! `cargo bench --bench embed`

use std::hint::black_box;
use std::path::Path;

use candle_core::{Device, Module, Tensor};
use counterclaim::embed::Embedder;
use counterclaim::eval::labelled::read_posts;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Where the binary looks: `COUNTERCLAIM_MODEL`, a checkout's `models/`, the user's data dir.
    let dir = std::env::var_os("COUNTERCLAIM_MODEL")
        .map(Into::into)
        .or_else(counterclaim::embed::find_default_model)
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

/// A batch of 1,280 tokens (about 35 tweets) through the feed-forward layer's first weight,
/// 384 → 1,536, as `candle_nn::Linear` runs it in the model: 2 × 1,280 × 384 × 1,536 operations.
fn matmul(c: &mut Criterion) {
    let (tokens, hidden, inner) = (1280usize, 384usize, 1536usize);
    let x = Tensor::randn(0f32, 1.0, (tokens, hidden), &Device::Cpu).expect("input");
    let w = Tensor::randn(0f32, 1.0, (inner, hidden), &Device::Cpu).expect("weight");
    let layer = candle_nn::Linear::new(w, None);
    let mut group = c.benchmark_group("matmul");
    group.sample_size(20);
    group.throughput(Throughput::Elements((2 * tokens * hidden * inner) as u64));
    group.bench_function("feed_forward_1280_tokens", |b| {
        b.iter(|| layer.forward(black_box(&x)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench, matmul);
criterion_main!(benches);
