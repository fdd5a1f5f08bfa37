#!/usr/bin/env python3
"""Fits the matcher's score models (logistic regressions over its overlap features).

    cargo build --release
    # the curated model, on the tuning posts (never the test posts):
    ./target/release/counterclaim eval --posts tests/fixtures/tuning_posts.jsonl --features /tmp/curated.jsonl
    python3 scripts/fit_score.py curated /tmp/curated.jsonl [more rows.jsonl ...]
    # the collection model, on the CheckThat! 2020 train split:
    ./target/release/counterclaim eval --kb claims.jsonl --queries train/tweets.queries.tsv \
        --qrels train/tweet-vclaim-pairs.qrels --features /tmp/collection.jsonl
    python3 scripts/fit_score.py collection /tmp/collection.jsonl

Each input line is a candidate (`group`, `narrative_id`, `relevant`, `features`) as written by
`counterclaim eval --features`. The fit is Newton's method (IRLS) with an L2 penalty of 0.001 per
row on the weights, in plain Python. It prints the `ScoreModel` to paste into
`src/matcher/score.rs`.

- curated: all features; candidates sharing fewer than two terms are left out (they score 0).
- collection: post coverage, BM25 share and bigram share only (the others carry nothing when a
  narrative is one claim).
- curated-hybrid: the curated features plus the dense similarity; collection-hybrid: post
  coverage, BM25 share, the dense similarity, its share of the post's best, that share squared
  and the similarity squared (the best on train of the variants
  `sweep_collection_features.py --hybrid` fits, where the last is the extra term `dense^2`).
  Both from `eval --features` run with the model (hybrid mode).
- concept, concept-hybrid: the candidates of narratives that declare concepts (lexical, or with
  the model), from builds whose probes had not seen the posts: a probe vouches for its own
  fitting posts far more surely than for new ones, and a score fitted on those would pass
  whatever it vouches for. The shipped ones (src/matcher/score.rs):

    git worktree add /tmp/b26 d3e76cd && git worktree add /tmp/b27 a637117   # build each
    for s in tuning_wide6 tuning_wide7 tuning_es4; do B=/tmp/b26/target/release/counterclaim
      $B eval --posts tests/fixtures/$s.jsonl --features /tmp/h_$s.jsonl
      $B eval --lexical --posts tests/fixtures/$s.jsonl --features /tmp/l_$s.jsonl; done
    # the same with /tmp/b27's build for tuning_wide8 and tuning_es5, then
    python3 scripts/fit_score.py concept-hybrid /tmp/h_*.jsonl
    python3 scripts/fit_score.py concept /tmp/l_*.jsonl
"""

import json
import math
import sys

FEATURES = ["entry_coverage", "post_coverage", "narrative_coverage", "anchored",
            "matched_terms", "bm25_share", "bigram_share", "dense", "dense_share",
            "dense_share_squared", "dense_squared"]
MODELS = {
    "curated": {"use": [0, 1, 2, 3, 4, 5, 6], "min_matched": 2},
    "collection": {"use": [1, 5, 6], "min_matched": 1},
    "curated-hybrid": {"use": [0, 1, 2, 3, 4, 5, 6, 7], "min_matched": 0},
    "collection-hybrid": {"use": [1, 5, 7, 8, 9, 10], "min_matched": 0},
    "concept": {"use": [0, 1, 2, 3, 4, 5, 6], "min_matched": 0},
    "concept-hybrid": {"use": [0, 1, 2, 3, 4, 5, 6, 7], "min_matched": 0},
}
L2 = 1e-3


def sigmoid(z):
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(xs, ys, iterations=30):
    d = len(xs[0])
    beta = [0.0] * d
    for _ in range(iterations):
        h = [[0.0] * d for _ in range(d)]
        g = [0.0] * d
        for x, y in zip(xs, ys):
            p = sigmoid(sum(b * xi for b, xi in zip(beta, x)))
            for i in range(d):
                g[i] += (p - y) * x[i]
                for j in range(d):
                    h[i][j] += p * (1 - p) * x[i] * x[j]
        for i in range(1, d):
            h[i][i] += L2 * len(xs)
            g[i] += L2 * len(xs) * beta[i]
        beta = [b - s for b, s in zip(beta, solve(h, g))]
    return beta


def main(kind, paths):
    model = MODELS[kind]
    rows = [json.loads(line) for path in paths for line in open(path, encoding="utf-8")]
    # matched_terms is stored as min(n, 5) / 5.
    rows = [r for r in rows if r["features"][4] * 5 + 1e-6 >= model["min_matched"]]
    ys = [1.0 if r["relevant"] else 0.0 for r in rows]
    # The matcher's ceiling needs every weight non-negative: a feature whose weight comes out
    # negative is left out and the rest refitted.
    use = list(model["use"])
    while True:
        xs = [[1.0] + [r["features"][i] for i in use] for r in rows]
        beta = fit(xs, ys)
        negative = [(b, i) for i, b in zip(use, beta[1:]) if b < 0]
        if not negative:
            break
        dropped = min(negative)[1]
        print(f"// {FEATURES[dropped]} left out (weight {min(negative)[0]:.3f})")
        use.remove(dropped)
    weights = [0.0] * len(FEATURES)
    for i, b in zip(use, beta[1:]):
        weights[i] = b
    print(f"// fitted on {len(rows)} candidates, {int(sum(ys))} relevant")
    print("weights: [%s]," % ", ".join("%.3f" % w for w in weights))
    print("intercept: %.3f," % beta[0])
    print("min_matched_terms: %d," % model["min_matched"])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
