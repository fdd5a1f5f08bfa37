#!/usr/bin/env bash
# The NATS JetStream benchmark: posts/s through 1, 2 and 3 `counterclaim worker`s against
# local `counterclaim score` on the same input, lexical and hybrid, and what the log costs per
# post. The input is bench_score.sh's: CheckThat! 2020 tweets against the 10,375-claim
# CheckThat! 2020 collection; lexical scores LEXICAL_POSTS tweets (repeated, default 100,000),
# hybrid the distinct tweets (997; HYBRID_POSTS caps them), each of which the model embeds.
#
#   scripts/bench_nats.sh [DATASETS_DIR]     (default ../shared/datasets)
#
# BENCH_KB=index scores against the shipped knowledge base instead of the collection.
#
# It starts its own nats-server (JetStream, a free loopback port, a temporary store) and stops
# it and every worker it started when it ends. A run through the cluster: workers started and
# waited for (their start-up, loading the knowledge base, is not counted), then the clock runs
# from `publish` until `collect` holds every result. `score`'s figure is its own summary's
# (scoring only, start-up not counted either). On C cores, one worker scores on C threads
# (like `score`), n workers on max(1, C/n) each. The log's cost per post is the time one
# worker takes per post minus the time `score` takes, and the CPU time nats-server spent per
# post in that run. COUNTERCLAIM_BIN=path runs another build instead of building this one.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/datasets}/checkthat2020
[ -f "$data/verified_claims.docs.tsv" ] || { echo "no CheckThat! 2020 data in $data" >&2; exit 1; }
nats=$(command -v nats-server || echo /usr/sbin/nats-server)
[ -x "$nats" ] || { echo "no nats-server (Debian: apt-get install nats-server)" >&2; exit 1; }
out=target/bench-nats
mkdir -p "$out"
bin=${COUNTERCLAIM_BIN:-target/release/counterclaim}
[ -n "${COUNTERCLAIM_BIN:-}" ] || cargo build --release --quiet
cores=$(nproc)

tmp=$(mktemp -d)
started=()  # every process this script started, stopped by its id when it ends
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$bin" kb import --format checkthat2020 "$data/verified_claims.docs.tsv" -o "$out/claims2020.jsonl" 2>/dev/null
kb=${BENCH_KB:-$out/claims2020.jsonl}
scripts/bench_tweets.py "$data" "$out/posts.jsonl" "${LEXICAL_POSTS:-100000}" \
  "$out/posts-hybrid.jsonl" "${HYBRID_POSTS:-100000}"

# Port -1: the server picks a free port and writes it to the ports file.
"$nats" -js -a 127.0.0.1 -p -1 -sd "$tmp/store" --ports_file_dir "$tmp" 2>"$tmp/nats.log" &
server=$!
started+=("$server")
for _ in $(seq 100); do ls "$tmp"/*.ports >/dev/null 2>&1 && break; sleep 0.1; done
url=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["nats"][0])' "$tmp"/*.ports)

now() { date +%s.%N; }
# CPU seconds nats-server has used (user + system).
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$server/stat"; }

# score MODE_FLAGS... POSTS: posts/s from score's summary.
score() {
  local posts=$1; shift
  echo "score $*" >&2
  "$bin" score "$posts" -o /dev/null --kb "$kb" --summary "$tmp/summary.json" "$@" 2>/dev/null
  python3 -c 'import json, sys; print(round(json.load(open(sys.argv[1]))["posts_per_second"]))' "$tmp/summary.json"
}

# through N POSTS MODE_FLAGS...: sets rate (posts/s) and server_us (nats-server's CPU µs per
# post) for a run through N workers, on a stream of its own.
run=0 rate=0 server_us=0
through() {
  local n=$1 posts=$2; shift 2
  run=$((run + 1))
  local stream=BENCH$run count threads=$(( cores / n > 1 ? cores / n : 1 )) workers=()
  count=$(wc -l <"$posts")
  echo "$n worker(s) $*" >&2
  for i in $(seq "$n"); do
    "$bin" worker --nats "$url" --stream "$stream" --subject "$stream.posts" --consumer scorers \
      --results-subject "$stream.results" --dead-letter-subject "$stream.dead" \
      --kb "$kb" --threads "$threads" "$@" 2>"$out/worker$run-$i.log" &
    workers+=($!)
    started+=($!)
  done
  for i in $(seq "$n"); do
    until grep -q "worker started" "$out/worker$run-$i.log"; do
      kill -0 "${workers[$((i - 1))]}" 2>/dev/null || { cat "$out/worker$run-$i.log" >&2; exit 1; }
      sleep 0.2
    done
  done
  local t0 cpu0 t1 cpu1
  t0=$(now) cpu0=$(server_cpu)
  "$bin" publish --nats "$url" --subject "$stream.posts" "$posts" 2>/dev/null
  "$bin" collect --nats "$url" --subject "$stream.results" --expect "$count" --idle 120 \
    -o "$tmp/results.jsonl" 2>/dev/null
  t1=$(now) cpu1=$(server_cpu)
  kill -TERM "${workers[@]}"
  for pid in "${workers[@]}"; do wait "$pid"; done
  started=("$server")
  read -r rate server_us < <(python3 -c 'import sys; c, t0, t1, s0, s1 = map(float, sys.argv[1:]); print(round(c / (t1 - t0)), round((s1 - s0) / c * 1e6))' \
    "$count" "$t0" "$t1" "$cpu0" "$cpu1")
}

# row NAME POSTS MODE_FLAGS...: one line of the table.
row() {
  local name=$1 posts=$2; shift 2
  local local_rate one cpu two three
  local_rate=$(score "$posts" "$@")
  through 1 "$posts" "$@"
  one=$rate cpu=$server_us
  through 2 "$posts" "$@"
  two=$rate
  through 3 "$posts" "$@"
  three=$rate
  python3 - "$name" "$(wc -l <"$posts")" "$local_rate" "$one" "$two" "$three" "$cpu" <<'PY'
import sys
name, n, local, one, two, three, cpu = sys.argv[1], *map(int, sys.argv[2:])
extra = 1e6 / one - 1e6 / local
print(f"| {name}, {n:,} posts | {local:,} | {one:,} | {two:,} | {three:,} | {extra:,.0f} µs | {cpu:,} µs |")
PY
}

echo "machine: $cores cores; $("$nats" --version); $("$bin" --version)"
echo "| scoring | local \`score\` posts/s | 1 worker | 2 workers | 3 workers | log's cost per post (1 worker vs \`score\`) | nats-server CPU per post |"
echo "|---|---|---|---|---|---|---|"
row "lexical" "$out/posts.jsonl" --lexical
user_model="${XDG_DATA_HOME:-$HOME/.local/share}/counterclaim/models/all-MiniLM-L6-v2"
if [ -f "${COUNTERCLAIM_MODEL:-models/all-MiniLM-L6-v2}/model.safetensors" ] ||
  [ -f "$user_model/model.safetensors" ]; then
  row "hybrid" "$out/posts-hybrid.jsonl"
else
  echo "no model in models/all-MiniLM-L6-v2 or $user_model (scripts/fetch_model.sh): hybrid skipped"
fi
