#!/usr/bin/env python3
"""Fits the matcher's score (a logistic regression over its overlap features) on labelled posts.

Usage: cargo build --release && python3 scripts/fit_score.py tests/fixtures/tuning_posts.jsonl

For every post it asks `counterclaim match --json --min-score 0` for up to four candidate
narratives, labels each candidate 1 when it is the post's narrative, and fits weights and an
intercept by gradient descent with an L2 penalty (no numpy needed). It prints the weights to put in
`src/matcher/score.rs` and the precision/recall of top-1 decisions at threshold 0.5 on the same
posts. Fit on the tuning posts only: the test posts are the held-out check.
"""

import json
import math
import subprocess
import sys

BINARY = "./target/release/counterclaim"
L2 = 0.001
STEPS = 20000
RATE = 2.0


def features(o):
    return [
        o["entry_coverage"],
        o["post_coverage"],
        o["narrative_coverage"],
        1.0 if o["anchored"] else 0.0,
        min(o["matched_terms"], 5) / 5,
    ]


def candidates(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        post = json.loads(line)
        out = subprocess.run(
            [BINARY, "match", "--json", "--min-score", "0", "--max-matches", "4", post["text"]],
            capture_output=True, text=True, check=True,
        ).stdout
        for m in json.loads(out)["matches"]:
            if m["overlap"]["matched_terms"] >= 2:
                rows.append((post["id"], post["narrative"], m["narrative_id"], features(m["overlap"])))
    return rows


def sigmoid(z):
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def fit(rows):
    xs = [r[3] for r in rows]
    ys = [1.0 if r[1] == r[2] else 0.0 for r in rows]
    w, b, n = [0.0] * len(xs[0]), 0.0, len(xs)
    for _ in range(STEPS):
        gw, gb = [0.0] * len(w), 0.0
        for x, y in zip(xs, ys):
            e = sigmoid(sum(wi * xi for wi, xi in zip(w, x)) + b) - y
            gw = [g + e * xi for g, xi in zip(gw, x)]
            gb += e
        w = [wi - RATE * (g / n + L2 * wi) for wi, g in zip(w, gw)]
        b -= RATE * gb / n
    return w, b


def main(path):
    rows = candidates(path)
    w, b = fit(rows)
    print("const WEIGHTS: [f32; 5] = [%s];" % ", ".join("%.3f" % v for v in w))
    print("const INTERCEPT: f32 = %.3f;" % b)
    best = {}
    for post_id, label, narrative, x in rows:
        s = sigmoid(sum(wi * xi for wi, xi in zip(w, x)) + b)
        if post_id not in best or s > best[post_id][0]:
            best[post_id] = (s, label, narrative)
    labelled = sum(1 for line in open(path, encoding="utf-8") if json.loads(line)["narrative"])
    tp = sum(1 for s, label, n in best.values() if s >= 0.5 and label == n)
    fp = sum(1 for s, label, n in best.values() if s >= 0.5 and label != n)
    print("in-sample top-1 at 0.5: precision %.3f recall %.3f" % (tp / max(1, tp + fp), tp / max(1, labelled)))


if __name__ == "__main__":
    main(sys.argv[1])
