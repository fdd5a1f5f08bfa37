#!/usr/bin/env python3
"""Prepares the real streams that narrative matching is measured on, split into a fitting half
and a reporting half, from the data sets in ../shared/datasets (never copied into the repo).

    python3 scripts/streams.py [DATASETS_DIR]     # writes target/streams/*.jsonl

- checkthat2022.jsonl: the 14,231 fact-checked claims of the CheckThat! 2022 collection as
  posts (`id`, `text` = the claim); .fit.jsonl / .report.jsonl split them by a hash of the id.
- checkthat2020.jsonl: the 997 CheckThat! 2020 tweets; .fit.jsonl is the train split,
  .report.jsonl the dev split.
- checkthat2020claims.jsonl: the 3,235 claims of the CheckThat! 2020 collection that the 2022
  one does not hold (`id` = its row id), reporting only: none is about the four narratives.
- heldout17_posts.jsonl to heldout2_posts.jsonl, heldout_posts.jsonl and posts.jsonl (+
  .labels.jsonl): the labelled sets of tests/fixtures as streams, so `eval --stream` prints
  their reliability tables too (docs/quality.md sums the tables of the
  two real streams, the held-out sets from the second on, and posts).

Labels (sparse: a post not labelled should match nothing) are in tests/fixtures/streams/.
Then, for instance:

    counterclaim eval --stream target/streams/checkthat2022.jsonl \\
        --labels tests/fixtures/streams/checkthat2022.labels.jsonl
"""

import csv
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fit_half(post_id):
    """The fitting half: a fixed, even split that does not depend on the order of the file."""
    return hashlib.sha256(post_id.encode()).digest()[0] % 2 == 0


def write(path, posts):
    with open(path, "w", encoding="utf-8") as out:
        for post in posts:
            out.write(json.dumps(post, ensure_ascii=False) + "\n")
    print(f"{path}: {len(posts)} posts")


def tweets(path):
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="\t")
        next(rows)
        return [{"id": row[0], "text": row[1]} for row in rows if len(row) >= 2]


def labelled_as_stream(out, name):
    """A labelled set of tests/fixtures as a stream and its sparse labels."""
    with open(os.path.join(ROOT, "tests", "fixtures", name + ".jsonl"), encoding="utf-8") as f:
        posts = [json.loads(line) for line in f if line.strip()]
    write(os.path.join(out, name + ".jsonl"), [{"id": p["id"], "text": p["text"]} for p in posts])
    write(os.path.join(out, name + ".labels.jsonl"),
          [{"id": p["id"], "narrative": p["narrative"], "stance": p["stance"]}
           for p in posts if p["narrative"]])


def main(datasets):
    out = os.path.join(ROOT, "target", "streams")
    os.makedirs(out, exist_ok=True)
    for name in ("heldout17_posts", "heldout16_posts", "heldout15_posts", "heldout14_posts",
                 "heldout13_posts", "heldout12_posts", "heldout11_posts", "heldout10_posts",
                 "heldout9_posts", "heldout8_posts", "heldout7_posts", "heldout6_posts",
                 "heldout5_posts", "heldout4_posts", "heldout3_posts", "heldout2_posts",
                 "heldout_posts", "posts"):
        labelled_as_stream(out, name)
    with open(os.path.join(datasets, "checkthat2022", "vclaims.jsonl"), encoding="utf-8") as f:
        claims = [json.loads(line) for line in f if line.strip()]
    claims = [{"id": str(c["vclaim_id"]), "text": c["vclaim"]} for c in claims]
    write(os.path.join(out, "checkthat2022.jsonl"), claims)
    write(os.path.join(out, "checkthat2022.fit.jsonl"), [c for c in claims if fit_half(c["id"])])
    write(os.path.join(out, "checkthat2022.report.jsonl"),
          [c for c in claims if not fit_half(c["id"])])
    base = os.path.join(datasets, "checkthat2020")
    train = tweets(os.path.join(base, "train", "tweets.queries.tsv"))
    dev = tweets(os.path.join(base, "dev", "tweets.queries.tsv"))
    write(os.path.join(out, "checkthat2020.jsonl"), train + dev)
    write(os.path.join(out, "checkthat2020.fit.jsonl"), train)
    write(os.path.join(out, "checkthat2020.report.jsonl"), dev)
    # The 2020 collection's claims that the 2022 one does not hold (by text): a third stream,
    # first run at stop 29, so never fitted on.
    known = {c["text"].strip().lower() for c in claims}
    with open(os.path.join(base, "verified_claims.docs.tsv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    write(os.path.join(out, "checkthat2020claims.jsonl"),
          [{"id": r[""], "text": r["vclaim"]} for r in rows
           if r["vclaim"].strip().lower() not in known])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "datasets"))
