#!/usr/bin/env bash
# The batch-scoring benchmark: scores 100,000 posts (the CheckThat! 2020 train+dev tweets,
# repeated) with `counterclaim score`, against the 10,375-claim CheckThat! 2020 collection and
# against the shipped knowledge base, lexically and in hybrid mode, and prints posts/s and peak
# memory for each. Hybrid mode against the collection embeds every tweet (the gate passes them
# all), so it scores each distinct tweet once (997 of them; HYBRID_POSTS caps the number): the
# model embeds a text that repeats within a chunk once, and repeated tweets would make it look
# faster than it is. Run it once before measuring so the claims' embeddings are cached
# (computing them takes about 70 seconds).
#
#   scripts/bench_score.sh [DATASETS_DIR]     (default ../shared/datasets)
#
# COUNTERCLAIM_BIN=path runs another build instead of building this one: docs/performance.md pairs each
# figure with an older build run in the same minutes (`git worktree add /tmp/old ab335ba`,
# build there, then COUNTERCLAIM_BIN=/tmp/old/target/release/counterclaim, alternating runs).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/datasets}/checkthat2020
[ -f "$data/verified_claims.docs.tsv" ] || { echo "no CheckThat! 2020 data in $data" >&2; exit 1; }
out=target/bench-score
mkdir -p "$out"
bin=${COUNTERCLAIM_BIN:-target/release/counterclaim}
[ -n "${COUNTERCLAIM_BIN:-}" ] || cargo build --release --quiet

"$bin" kb import --format checkthat2020 "$data/verified_claims.docs.tsv" -o "$out/claims2020.jsonl" 2>/dev/null
scripts/bench_tweets.py "$data" "$out/posts.jsonl" 100000 "$out/posts-hybrid.jsonl" "${HYBRID_POSTS:-100000}"

run() {
  local name=$1 posts=$2; shift 2
  /usr/bin/time -f "%M" -o "$out/rss" "$bin" score "$posts" -o /dev/null \
    --summary "$out/summary.json" "$@" 2>/dev/null
  python3 - "$name" "$out/summary.json" "$(cat "$out/rss")" <<'PY'
import json, sys
name, summary, rss_kb = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3])
print(f"{name}: {summary['posts_read']} posts, {summary['matched']} matched, "
      f"{summary['posts_per_second']:.0f} posts/s, peak memory {rss_kb / 1024:.0f} MB")
PY
}

echo "machine: $(nproc) cores"
all="$out/posts.jsonl" some="$out/posts-hybrid.jsonl"
run "lexical, CheckThat! 2020 collection (10,375 claims)" "$all" --lexical --kb "$out/claims2020.jsonl"
run "lexical, shipped knowledge base (index/)" "$all" --lexical --kb index
# Where counterclaim looks for the model (src/embed/location.rs).
user_model="${XDG_DATA_HOME:-$HOME/.local/share}/counterclaim/models/all-MiniLM-L6-v2"
if [ -f "${COUNTERCLAIM_MODEL:-models/all-MiniLM-L6-v2}/model.safetensors" ] ||
  [ -f "$user_model/model.safetensors" ]; then
  run "hybrid, shipped knowledge base (index/)" "$all" --kb index
  run "hybrid, CheckThat! 2020 collection" "$some" --kb "$out/claims2020.jsonl"
else
  echo "no model in models/all-MiniLM-L6-v2 or $user_model (scripts/fetch_model.sh): hybrid runs skipped"
fi
