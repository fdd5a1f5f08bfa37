#!/usr/bin/env bash
# Runs `counterclaim score` on the 100,000 benchmark tweets with several builds in turn, round
# after round, and prints each build's posts/s and peak memory: on a shared host, only builds
# run in the same minutes can be compared. Run scripts/bench_score.sh first (it writes the
# tweets and the collection to target/bench-score).
#
#   scripts/compare_builds.sh [--hybrid] [--kb PATH] [--posts PATH] ROUNDS BIN...
#
# Defaults: lexical, index/, the 100,000 benchmark tweets. `--posts
# target/bench-score/claims-as-posts.jsonl` scores 24,606 distinct fact-check claims instead (a
# stream in which no text repeats; scripts/instructions_per_post.sh writes it).
#
# docs/performance.md pairs this build with `55158c0` this way (`git worktree add /tmp/old 55158c0`,
# build there, then `scripts/compare_builds.sh 4 /tmp/old/target/release/counterclaim
# target/release/counterclaim`).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench-score
mode=--lexical kb=index posts=$out/posts.jsonl
while [ "${1:-}" != "${1#--}" ]; do
  case $1 in
    --hybrid) mode=; shift ;;
    --kb) kb=$2; shift 2 ;;
    --posts) posts=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
rounds=$1; shift
[ -f "$posts" ] || { echo "no $posts: run scripts/bench_score.sh first" >&2; exit 1; }
for _ in $(seq "$rounds"); do
  line="$(date +%T)"
  for bin in "$@"; do
    /usr/bin/time -f "%M" -o "$out/rss" "$bin" score "$posts" -o /dev/null --kb "$kb" \
      $mode --summary "$out/summary.json" 2>/dev/null
    line+=$(python3 - "$out/summary.json" "$(cat "$out/rss")" "$bin" <<'PY'
import json, sys
summary, rss_kb, name = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
print(f"  {name}: {summary['posts_per_second']:.0f} posts/s, {rss_kb / 1024:.0f} MB", end="")
PY
)
  done
  echo "$line"
done
