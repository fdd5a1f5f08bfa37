#!/usr/bin/env python3
"""MAP@5 of a TREC run file as three scorers read it, and how often the labelled claim ties.

trec_eval and the CheckThat! scorer (trectools) ignore a run's rank column: they sort by score
and break ties by docid, descending (trec_eval compares strings, trectools numbers when every
docid is one). A run whose tied scores were ranked another way measures lower there than in
`counterclaim eval`. Runs `eval --run` writes never tie, so the three agree:

    ./target/release/counterclaim eval --kb claims2020.jsonl --queries $D/dev/tweets.queries.tsv \\
        --qrels $D/dev/tweet-vclaim-pairs.qrels --run /tmp/dev.trec
    python3 scripts/tie_rules.py /tmp/dev.trec $D/dev/tweet-vclaim-pairs.qrels [claims2020.jsonl]

With the claims (flat JSONL), it also counts the queries whose labelled claim scores within
2e-6 of a neighbour with the same title (a duplicate: `eval --run` separates ties by 1e-6), and
whether the labelled copy ranks above it (won) or below (lost).
"""

import collections
import json
import sys


def main(run_path, qrels_path, claims_path=None):
    relevant = collections.defaultdict(set)
    for line in open(qrels_path, encoding="utf-8"):
        query, _, doc, grade = line.split()
        if int(grade) > 0:
            relevant[query].add(doc)
    runs = collections.defaultdict(list)
    for line in open(run_path, encoding="utf-8"):
        query, _, doc, _, score, _ = line.split()
        runs[query].append((float(score), doc))

    numeric = all(d.isdigit() for ranked in runs.values() for _, d in ranked)
    orders = {
        "file order (eval)": lambda ranked: ranked,
        "trec_eval": lambda ranked: sorted(
            sorted(ranked, key=lambda t: t[1], reverse=True), key=lambda t: -t[0]),
        "trectools": lambda ranked: sorted(
            ranked, key=lambda t: (-t[0], -int(t[1]) if numeric else 0)),
    }
    for name, order in orders.items():
        total = 0.0
        for query, docs in relevant.items():
            hits, ap = 0, 0.0
            for rank, (_, doc) in enumerate(order(runs.get(query, []))[:5], 1):
                if doc in docs:
                    hits += 1
                    ap += hits / rank
            total += ap / len(docs)
        print(f"MAP@5 {total / len(relevant):.4f}  {name}")

    if claims_path:
        titles = {}
        for line in open(claims_path, encoding="utf-8"):
            claim = json.loads(line)
            titles[str(claim["id"])] = claim.get("title", "")
        won = lost = 0
        for query, ranked in runs.items():
            ids = [d for _, d in ranked]
            for k, doc in enumerate(ids):
                if doc not in relevant.get(query, ()):
                    continue
                for j in (k - 1, k + 1):
                    if (0 <= j < len(ids) and abs(ranked[j][0] - ranked[k][0]) <= 2e-6
                            and titles.get(ids[j]) == titles.get(doc)):
                        won, lost = (won, lost + 1) if j < k else (won + 1, lost)
                        break
        print(f"labelled claim tied with a duplicate: {won + lost} queries, "
              f"ranked above it in {won}, below in {lost}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
