#!/usr/bin/env bash
# Instructions per post of lexical scoring on one thread: steadier than time on a shared host.
# Prints them for the benchmark tweets against the shipped knowledge base and against the
# CheckThat! 2020 collection, and for the distinct fact-check claims of CheckThat! 2020 and 2022
# scored as posts against the shipped knowledge base (a stream with no repeated post). A one-post
# run's instructions (start-up) are taken off. Run scripts/bench_score.sh first: it writes the
# tweets and the collection to target/bench-score.
#
#   scripts/instructions_per_post.sh [DATASETS_DIR]     (default ../shared/datasets)
#
# COUNTERCLAIM_BIN=path measures another build (docs/performance.md compares with `55158c0`).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/datasets}
out=target/bench-score
[ -f "$out/posts.jsonl" ] || { echo "no $out/posts.jsonl: run scripts/bench_score.sh first" >&2; exit 1; }
bin=${COUNTERCLAIM_BIN:-target/release/counterclaim}
python3 - "$data" "$out/claims-as-posts.jsonl" <<'PY'
import csv, json, sys
csv.field_size_limit(1 << 30)
data, path = sys.argv[1], sys.argv[2]
texts = [f"{d.get('vclaim', '')} {d.get('title', '')}"
         for d in map(json.loads, open(f"{data}/checkthat2022/vclaims.jsonl", encoding="utf-8"))]
with open(f"{data}/checkthat2020/verified_claims.docs.tsv", encoding="utf-8", newline="") as f:
    rows = csv.reader(f, delimiter="\t")
    next(rows)
    texts += [f"{row[1]} {row[2]}" for row in rows]
with open(path, "w", encoding="utf-8") as f:
    for i, text in enumerate(texts):
        f.write(json.dumps({"id": i, "text": text}) + "\n")
PY
head -n 1 "$out/posts.jsonl" > "$out/one-post.jsonl"

instructions() {
  perf stat -x, -e instructions "$bin" score "$1" -o /dev/null --kb "$2" --lexical --threads 1 2>&1 \
    | grep instructions | cut -d, -f1
}
per_post() {
  local posts=$1 kb=$2 name=$3 n all startup
  n=$(wc -l < "$posts")
  all=$(instructions "$posts" "$kb")
  startup=$(instructions "$out/one-post.jsonl" "$kb")
  echo "$name: $(( (all - startup) / (n - 1) )) instructions per post ($n posts)"
}
per_post "$out/posts.jsonl" index "benchmark tweets, shipped knowledge base"
per_post "$out/posts.jsonl" "$out/claims2020.jsonl" "benchmark tweets, CheckThat! 2020 collection"
per_post "$out/claims-as-posts.jsonl" index "distinct fact-check claims, shipped knowledge base"
