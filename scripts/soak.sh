#!/usr/bin/env bash
# Soak test of `counterclaim serve`, on loopback only and bounded in time: starts the release
# server on free 127.0.0.1 ports, measures its capacity (closed loop, 32 callers, 20 s), then
# sends MatchPost calls open-loop at twice that rate for N minutes while sampling the server's
# RSS (from /proc) and its rejections (from /metrics) every 5 s, stops it with SIGTERM and
# prints a summary: throughput, p50/p99 of accepted calls, rejection rate, RSS over time, errors.
# It exits non-zero when any call failed with a code other than RESOURCE_EXHAUSTED (the server's
# deliberate shedding) or the server did not exit 0 on SIGTERM.
#
#   scripts/soak.sh [--minutes N] [--mode hybrid|lexical] [--rate CALLS_PER_S]
#                   [--capacity-seconds S] [--posts FILE.jsonl] [-- SERVE_FLAGS...]
#
# --rate skips the capacity measurement; flags after -- go to `serve` (--max-posts-in-flight 64).
# Results (reports, samples, the server's log) are kept in target/soak/DATE-MODE/.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=10 mode=hybrid rate="" capacity_seconds=20 posts=tests/fixtures/heldout_posts.jsonl
while [ $# -gt 0 ]; do
    case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --capacity-seconds) capacity_seconds=$2; shift 2 ;;
    --posts) posts=$2; shift 2 ;;
    --) shift; break ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "soak: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case $mode in
hybrid) mode_flags=() ;;
lexical) mode_flags=(--lexical) ;;
*) echo "soak: --mode is hybrid or lexical" >&2; exit 2 ;;
esac

cargo build --release --bin counterclaim --example loadgen
bin=target/release/counterclaim
loadgen=target/release/examples/loadgen
out=target/soak/$(date -u +%Y%m%dT%H%M%SZ)-$mode
mkdir -p "$out"
echo "soak: $mode, $minutes min, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (modified)'), results in $out"

# The access log (a line per call) is off: at thousands of calls a second it would be most of
# the work. Rejections are still logged, as in production.
RUST_LOG=${RUST_LOG:-info,counterclaim::access=off} "$bin" serve --addr 127.0.0.1:0 \
    --http-addr 127.0.0.1:0 --data-dir "$out/data" "${mode_flags[@]}" "$@" >"$out/serve.out" 2>"$out/serve.log" &
server=$!
sampler=""
cleanup() {
    [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
    kill "$server" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 900); do # the model and the embedding cache load in seconds, more when cold
    grep -q '^http listening on ' "$out/serve.out" && break
    kill -0 "$server" 2>/dev/null || { tail "$out/serve.log"; echo "soak: the server exited" >&2; exit 1; }
    sleep 0.2
done
addr=$(sed -n 's/^listening on //p' "$out/serve.out")
http=$(sed -n 's/^http listening on //p' "$out/serve.out")
[ -n "$http" ] || { echo "soak: the server announced no addresses" >&2; exit 1; }
grep -m1 -e 'matching mode' "$out/serve.log" | sed 's/^.*INFO //'
grep -m1 -e 'serving counterclaim.v1' "$out/serve.log" | sed 's/^.*INFO //'
if [ "$mode" = hybrid ] && ! grep -q 'matching mode mode="hybrid"' "$out/serve.log"; then
    echo "soak: the server is not hybrid (no model? scripts/fetch_model.sh fetches it)" >&2
    exit 1
fi
run=(--url "http://$addr" --posts "$posts")
failed=0

if [ -z "$rate" ]; then
    echo "soak: capacity, closed loop for $capacity_seconds s"
    "$loadgen" "${run[@]}" --clients 32 --seconds "$capacity_seconds" \
        --json "$out/capacity.json" | tee "$out/capacity.txt" || failed=1
    rate=$(jq '.ok_per_s * 2 | floor' "$out/capacity.json")
fi

# Every 5 s: seconds since the soak started, the server's RSS, rejections and posts in flight.
sample() {
    local start=$SECONDS metrics rss
    echo "seconds rss_mb rejections_total in_flight_posts"
    while kill -0 "$server" 2>/dev/null; do
        rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$server/status")
        metrics=$(curl -s --max-time 2 "http://$http/metrics" || true)
        echo "$((SECONDS - start)) $rss $(awk '/^counterclaim_rejections_total/ { n += $2 }
            /^counterclaim_in_flight_posts/ { f = $2 } END { print n + 0, f + 0 }' <<<"$metrics")"
        sleep 5
    done
}
sample >"$out/samples.txt" &
sampler=$!

echo "soak: open loop at $rate calls/s for $minutes min"
"$loadgen" "${run[@]}" --rate "$rate" --seconds $((minutes * 60)) --progress 60 \
    --json "$out/soak.json" | tee "$out/soak.txt" || failed=1
curl -s --max-time 5 "http://$http/metrics" >"$out/metrics.txt" || true
kill "$sampler" 2>/dev/null || true
sampler=""

kill -TERM "$server"
status=0
wait "$server" || status=$?
trap - EXIT
[ "$status" = 0 ] || failed=1

echo
echo "== soak summary ($mode, $minutes min at $rate calls/s; $out)"
jq -r '"throughput: \(.ok_per_s | floor) accepted calls/s of \(.sent_per_s | floor) sent/s",
    "accepted latency: p50 \(.ok_ms.p50) ms, p99 \(.ok_ms.p99) ms, max \(.ok_ms.max) ms",
    "RESOURCE_EXHAUSTED: \(.resource_exhausted) of \(.sent) calls (\(.rejection_rate * 1000 | round / 10)%), p99 \(.resource_exhausted_ms.p99) ms",
    "due but not sent (the generator at its cap): \(.not_sent)",
    "errors other than RESOURCE_EXHAUSTED: \(.errors) \(.errors_by_code)"' "$out/soak.json"
echo "rejections by reason, from /metrics: $(grep '^counterclaim_rejections_total' "$out/metrics.txt" |
    sed 's/counterclaim_rejections_total{reason="\(.*\)"} /\1=/' | tr '\n' ' ')"
awk 'NR > 1 && $2 != "" { if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2; last = $2 }
    END { printf "server RSS: min %s MB, max %s MB, at the end %s MB\n", min, max, last }' "$out/samples.txt"
echo "RSS over time (MB, a sample a minute): $(awk 'NR > 1 && ($1 % 60) < 5 { printf "%s@%ss ", $2, $1 }' "$out/samples.txt")"
echo "server exit status on SIGTERM: $status"
if [ "$failed" != 0 ]; then
    echo "soak: FAILED (errors other than RESOURCE_EXHAUSTED, or an unclean stop)" >&2
    exit 1
fi
echo "soak: passed"
