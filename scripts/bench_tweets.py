#!/usr/bin/env python3
"""The benchmarks' posts: the CheckThat! 2020 train and dev tweets as `score` input, repeated to
N posts in OUT and, if DISTINCT_OUT is given, each distinct tweet once (at most DISTINCT_MAX) in
DISTINCT_OUT. Used by bench_score.sh, bench_nats.sh and memory.sh.

    scripts/bench_tweets.py CHECKTHAT2020_DIR OUT N [DISTINCT_OUT DISTINCT_MAX]
"""
import csv, json, sys

csv.field_size_limit(1 << 30)


def main(data, out, n, distinct_out=None, distinct_max="100000"):
    tweets = []
    for split in ("train", "dev"):
        with open(f"{data}/{split}/tweets.queries.tsv", encoding="utf-8", newline="") as f:
            rows = csv.reader(f, delimiter="\t")
            next(rows)
            tweets += [row[1] for row in rows]
    write(out, (tweets[i % len(tweets)] for i in range(int(n))))
    if distinct_out:
        write(distinct_out, list(dict.fromkeys(tweets))[: int(distinct_max)])


def write(path, texts):
    with open(path, "w", encoding="utf-8") as f:
        for i, text in enumerate(texts):
            f.write(json.dumps({"id": str(i), "text": text}) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
