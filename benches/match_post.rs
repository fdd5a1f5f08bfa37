//! Matching one post on the shipped knowledge base, single-threaded. Criterion prints the
//! throughput in posts/s ("elem/s"); the README quotes it.
//!
//! `cargo bench --bench match_post`

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use counterclaim::eval::labelled::read_posts;
use counterclaim::kb::KnowledgeBase;
use counterclaim::matcher::{MatchOptions, Matcher, Post};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let kb = KnowledgeBase::load(&root.join("index")).expect("shipped kb");
    let matcher = Matcher::new(Arc::new(kb), None).expect("matcher");
    let options = MatchOptions::default();
    let labelled = read_posts(&root.join("tests/fixtures/posts.jsonl")).expect("fixture posts");
    let posts: Vec<Post> = labelled
        .iter()
        .map(|p| Post::new(p.id.clone(), p.text.clone()))
        .collect();

    let mut group = c.benchmark_group("match_post");
    group.throughput(Throughput::Elements(1));
    let cases = [
        (
            "promoting",
            "Russia and China will print millions of counterfeit mail-in ballots #RiggedElection",
        ),
        (
            "unrelated",
            "Had the best tacos of my life in Austin today, highly recommend 🌮",
        ),
        (
            "messy",
            "ch1na w1ll c0unterfit m@il-in b a l l o t s sooooo rigged\u{200b} https://t.co/x",
        ),
    ];
    for (name, text) in cases {
        let post = Post::new("bench", text);
        group.bench_function(name, |b| {
            b.iter(|| matcher.match_post(black_box(&post), &options).unwrap())
        });
    }
    group.throughput(Throughput::Elements(posts.len() as u64));
    group.bench_function("test_set", |b| {
        b.iter(|| {
            for post in &posts {
                black_box(matcher.match_post(post, &options).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
