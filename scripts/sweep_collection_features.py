#!/usr/bin/env python3
"""Which features should the collection models use? Fits each candidate feature set on the
CheckThat! 2020 train split and reports MAP@5 on train (to choose by) and dev (to check), and how
many candidates score 0.5 or more and how many of those are right (the default threshold), by
re-ranking the candidates `counterclaim eval --features` exports (the 20 best BM25 claims of each
tweet, so MAP@5 equals the one `eval` prints for the same model).

    D=../shared/datasets/checkthat2020
    for s in train dev; do
      ./target/release/counterclaim eval --lexical --kb claims2020.jsonl \
        --queries $D/$s/tweets.queries.tsv --qrels $D/$s/tweet-vclaim-pairs.qrels \
        --features /tmp/lexical-$s.jsonl
    done
    python3 scripts/sweep_collection_features.py /tmp/lexical-train.jsonl \
        $D/train/tweet-vclaim-pairs.qrels /tmp/lexical-dev.jsonl $D/dev/tweet-vclaim-pairs.qrels

With `--hybrid` first, it sweeps the hybrid model's variants instead; export the features with
the model present and without `--lexical`. Feature numbers are those of `FEATURES` in
`fit_score.py`; the extra terms are products the logistic model cannot form by itself.
"""

import json
import sys

from fit_score import FEATURES, fit

EXTRA = {
    "post_coverage*bm25_share": lambda f: f[1] * f[5],
    "bm25_share^2": lambda f: f[5] ** 2,
    "entry_coverage*bm25_share": lambda f: f[0] * f[5],
    "dense^2": lambda f: f[7] ** 2,
    "dense*bm25_share": lambda f: f[7] * f[5],
}
LEXICAL = (
    [[1, 5, 6], [0, 1, 5, 6], [1, 4, 5, 6], [0, 1, 4, 5, 6], [1, 5], [5, 6], [0, 5, 6]],
    [[], ["post_coverage*bm25_share"], ["bm25_share^2"], ["entry_coverage*bm25_share"],
     ["post_coverage*bm25_share", "bm25_share^2"]],
)
HYBRID = (
    [[1, 5, 6, 7, 8], [1, 5, 7, 8], [1, 5, 6, 7], [0, 1, 5, 6, 7, 8], [1, 5, 7, 8, 9],
     [1, 5, 6, 7, 8, 9], [0, 1, 5, 6, 7, 8, 9]],
    [[], ["dense^2"], ["dense*bm25_share"]],
)


def load(features_path, qrels_path):
    rows = [json.loads(line) for line in open(features_path, encoding="utf-8")]
    relevant = {}
    for line in open(qrels_path, encoding="utf-8"):
        query, _, _, grade = line.split()
        if int(grade) > 0:
            relevant[query] = relevant.get(query, 0) + 1
    return rows, relevant


def map_at(rows, relevant, score, k=5):
    """MAP@k as trec_eval computes it (ties keep the exported order, as `eval` does)."""
    groups = {}
    for i, r in enumerate(rows):
        groups.setdefault(r["group"], []).append((score(r["features"]), i, r["relevant"]))
    total = 0.0
    for query, n_relevant in relevant.items():
        ranked = sorted(groups.get(query, []), key=lambda t: (-t[0], t[1]))[:k]
        hits, ap = 0, 0.0
        for rank, (_, _, is_relevant) in enumerate(ranked, 1):
            if is_relevant:
                hits += 1
                ap += hits / rank
        total += ap / n_relevant
    return total / len(relevant)


def at_threshold(rows, score):
    """The candidates scoring 0.5 or more (a logit of 0 or more), and the share of them that is
    the tweet's claim: how well the default threshold holds. Features are clamped to [0, 1], as
    the matcher clamps them."""
    kept = [r["relevant"] for r in rows if score([min(1.0, max(0.0, x)) for x in r["features"]]) >= 0]
    return "%d %.3f" % (len(kept), sum(kept) / max(len(kept), 1))


def main(train_features, train_qrels, dev_features, dev_qrels, sets=LEXICAL):
    train, train_relevant = load(train_features, train_qrels)
    dev, dev_relevant = load(dev_features, dev_qrels)
    print("train   dev     at 0.5: train, dev (candidates, share right)  features")
    feature_sets, extra_sets = sets
    for use in feature_sets:
        for extra in extra_sets:
            def row(f, use=use, extra=extra):
                return [1.0] + [f[i] for i in use] + [EXTRA[e](f) for e in extra]
            beta = fit([row(r["features"]) for r in train],
                       [1.0 if r["relevant"] else 0.0 for r in train], iterations=15)

            def score(f, row=row, beta=beta):
                return sum(b * x for b, x in zip(beta, row(f)))
            names = [FEATURES[i] for i in use] + extra
            print("%.4f  %.4f  %s, %s  %s" % (map_at(train, train_relevant, score),
                                              map_at(dev, dev_relevant, score),
                                              at_threshold(train, score), at_threshold(dev, score),
                                              ", ".join(names)),
                  flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--hybrid":
        main(*sys.argv[2:6], sets=HYBRID)
    else:
        main(*sys.argv[1:5])
