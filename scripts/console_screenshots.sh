#!/usr/bin/env bash
# Screenshots of each console page for docs/console/: starts `counterclaim serve` on a temporary
# data directory, sends posts through gRPC (Python grpcio, as tests/python/client.py does;
# spread over the past week with created_at so the charts have a shape), then has headless
# Chromium photograph each page. Usage: scripts/console_screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/console}"
bin="${COUNTERCLAIM_BIN:-target/debug/counterclaim}"
[ -x "$bin" ] || cargo build --bin counterclaim
mkdir -p "$out"
data="$(mktemp -d)"
log="$data/serve.out"
"$bin" serve --addr 127.0.0.1:0 --http-addr 127.0.0.1:0 --data-dir "$data" --record-text >"$log" 2>"$data/serve.err" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do grep -q "http listening" "$log" && break; sleep 0.2; done
grpc_addr="$(awk '/^listening on/ {print $3}' "$log")"
http_addr="$(awk '/^http listening on/ {print $4}' "$log")"

python3 - "$grpc_addr" <<'PY'
import datetime, random, sys
import grpc
from google.protobuf import message_factory
from google.protobuf.descriptor_pool import DescriptorPool
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

channel = grpc.insecure_channel(sys.argv[1])
grpc.channel_ready_future(channel).result(timeout=10)
service = DescriptorPool(ProtoReflectionDescriptorDatabase(channel)).FindServiceByName("counterclaim.v1.Counterclaim")
method = service.FindMethodByName("MatchPosts")
Request = message_factory.GetMessageClass(method.input_type)
Response = message_factory.GetMessageClass(method.output_type)
match_posts = channel.unary_unary("/counterclaim.v1.Counterclaim/MatchPosts",
    request_serializer=Request.SerializeToString, response_deserializer=Response.FromString)
texts = [
    "China will forge our mail ballots",
    "Russia and China will print millions of fake mail-in ballots to rig the election",
    "Foreign countries are going to counterfeit mail-in ballots",
    "No evidence at all that China is forging mail ballots, the FBI says it would be caught",
    "Mail-in voting leads to massive fraud, the election is rigged",
    "If there is no winner on election night the election is being stolen",
    "Democrats are flooding the country with unsolicited ballots to cause chaos",
]
random.seed(18)
now = datetime.datetime.now(datetime.timezone.utc)
posts = []
for i in range(200):
    at = now - datetime.timedelta(hours=random.triangular(0, 7 * 24, 12))
    posts.append({"id": f"demo-{i}", "text": random.choice(texts), "platform": random.choice(["x", "facebook", "telegram"]),
                  "created_at": at.strftime("%Y-%m-%dT%H:%M:%SZ")})
match_posts(Request(posts=posts))
PY
sleep 2  # the trend store's writer commits in the background

shoot() {
  chromium --headless=new --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" --user-data-dir="$data/chromium" \
    --window-size="1280,${3:-1000}" --screenshot="$out/$1.png" "http://$http_addr$2" 2>/dev/null
}
shoot narratives "/?sort=volume" 800
shoot search "/?q=foreign+countries+will+forge+mail+ballots"
# A narrative with few statements, photographed tall enough to show its chart and posts.
shoot narrative "/narratives/unsolicited-ballots-chaos?window=7d" 2900
shoot check "/check?text=Beijing+is+printing+fake+absentee+ballots+to+flood+our+election"
shoot not-found "/narratives/no-such-narrative" 500
ls -l "$out"
