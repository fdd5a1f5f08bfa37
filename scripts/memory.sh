#!/usr/bin/env bash
# Memory against the budget (README, "Speed and memory"), in hybrid mode:
#
# 1. `counterclaim serve` on the shipped knowledge base: its RSS once ready, then under CLIENTS
#    (256) slow streaming clients, each on its own connection with one StreamMatchPosts that
#    sends a post, waits for its answer, then PACE_MS (1000) before the next, for SECONDS_RUN
#    (60); then, on a fresh server, under as many clients that send posts as fast as the server
#    takes them and never read an answer (examples/loadgen's --pace-ms, then its --no-read).
#    RSS is read from /proc/PID/status every second (VmRSS), with the peak the kernel kept
#    (VmHWM), and once more after the clients have gone.
# 2. `counterclaim score` of POSTS (20,000) CheckThat! 2020 tweets (997 distinct, repeated)
#    against the 14,231-claim CheckThat! 2022 collection: peak RSS from /usr/bin/time -v. Every
#    tweet passes the gate there, so the model embeds each chunk's distinct tweets. The first
#    run embeds the claims (a few minutes) and caches them; the run measured is the second.
#
#   scripts/memory.sh [DATASETS_DIR]      (default ../shared/datasets)
#
# CLIENTS, PACE_MS, SECONDS_RUN (60) and POSTS change the runs. COUNTERCLAIM_BIN and LOADGEN_BIN
# run other builds (default: this checkout's release build, built here). Needs the model
# (scripts/fetch_model.sh). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/datasets}
clients=${CLIENTS:-256} pace_ms=${PACE_MS:-1000} seconds=${SECONDS_RUN:-60} posts=${POSTS:-20000}
out=target/memory
mkdir -p "$out"
bin=${COUNTERCLAIM_BIN:-target/release/counterclaim}
loadgen=${LOADGEN_BIN:-target/release/examples/loadgen}
[ -n "${COUNTERCLAIM_BIN:-}" ] || cargo build --release --quiet --bin counterclaim --example loadgen

mb() { awk -v k="$2:" '$1 == k { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

echo "machine: $(nproc) cores; $bin"

# 1. The server under slow streaming clients, then under clients that stop reading.
under() {
  local what=$1; shift
  "$bin" serve --addr 127.0.0.1:0 --no-http --data-dir "$out/data" --log-format json >"$out/serve.out" 2>"$out/serve.log" &
  server=$!
  trap 'kill "$server" 2>/dev/null || true' EXIT
  for _ in $(seq 600); do
    grep -q '^listening on ' "$out/serve.out" 2>/dev/null && break
    kill -0 "$server" || { cat "$out/serve.log" >&2; exit 1; }
    sleep 0.5
  done
  addr=$(sed -n 's/^listening on //p' "$out/serve.out")
  grep -q '"mode":"hybrid"' "$out/serve.log" || { echo "the server is not hybrid: no model?" >&2; exit 1; }
  sleep 2
  echo "serve, hybrid, shipped knowledge base, ready: RSS $(mb "$server" VmRSS) MB"
  "$loadgen" --url "http://$addr" --rpc stream --clients "$clients" "$@" >"$out/loadgen.out" 2>&1 &
  load=$!
  peak=0
  while kill -0 "$load" 2>/dev/null; do
    rss=$(mb "$server" VmRSS)
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 1
  done
  wait "$load" || { cat "$out/loadgen.out" >&2; exit 1; }
  echo "  under $clients $what: RSS peak $peak MB (sampled each second), VmHWM $(mb "$server" VmHWM) MB"
  grep -e '^streams opened' -e '^sent ' -e '^OK latency' "$out/loadgen.out" | sed 's/^/  /' || true
  sleep 5
  echo "  5 s after they left: RSS $(mb "$server" VmRSS) MB"
  kill -TERM "$server"
  wait "$server" || true
  trap - EXIT
}
under "slow streaming clients (a post every $pace_ms ms each, $seconds s)" \
  --pace-ms "$pace_ms" --seconds "$seconds"
under "streaming clients that send posts as fast as they can and read no answer ($seconds s)" \
  --no-read --seconds "$seconds"

# 2. Hybrid score against a 14,231-claim collection.
"$bin" kb import --format checkthat2022 "$data/checkthat2022/vclaims.jsonl" \
  -o "$out/claims2022.jsonl" 2>/dev/null
scripts/bench_tweets.py "$data/checkthat2020" "$out/tweets.jsonl" "$posts"
score() {
  /usr/bin/time -v "$bin" score "$out/tweets.jsonl" --kb "$out/claims2022.jsonl" -o /dev/null \
    --summary "$out/summary.json" 2>"$out/score.log"
}
# Embeds and caches the claims on the first run.
[ -f "$out/warm" ] || { score; touch "$out/warm"; }
score
python3 - "$out/summary.json" "$out/score.log" <<'PY'
import json, re, sys
summary = json.load(open(sys.argv[1]))
log = open(sys.argv[2]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", log).group(1))
print(f"score, hybrid, {summary['posts_read']} tweets vs 14,231 CheckThat! 2022 claims: "
      f"{summary['posts_per_second']:.0f} posts/s, peak RSS {rss / 1024:.0f} MB")
PY
