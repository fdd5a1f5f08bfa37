#!/usr/bin/env python3
"""The fitting posts that open with "Says", as a fact-checker summarises a claim (docs/quality.md,
stop 59): how many are about a narrative, with which labelled stance, and how a build reads them.

    python3 scripts/claim_summaries.py [BINARY] [--lexical]

Scores every `tests/fixtures/tuning_*.jsonl` with `counterclaim score` (default
target/release/counterclaim) and prints the counts of (labelled stance, stance read) for the
posts about a narrative, and how many of the others raise an alarm. Only fitting sets.
"""
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    binary = args[0] if args else str(ROOT / "target/release/counterclaim")
    about, others = Counter(), Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for posts in sorted((ROOT / "tests/fixtures").glob("tuning_*.jsonl")):
            out = Path(tmp) / posts.name
            subprocess.run([binary, "score", str(posts), *flags, "-o", str(out)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            read = {r["id"]: {m["narrative_id"]: m["stance"] for m in r["matches"]}
                    for r in map(json.loads, out.open())}
            for post in map(json.loads, posts.open()):
                if not post["text"].lstrip().startswith("Says "):
                    continue
                if post.get("narrative"):
                    about[(post["stance"], read[post["id"]].get(post["narrative"]))] += 1
                else:
                    others["alarm" if read[post["id"]] else "none"] += 1
    print(f"about a narrative: {sum(about.values())}")
    for (labelled, got), n in sorted(about.items(), key=str):
        print(f"  labelled {labelled}, read {got}: {n}")
    print(f"about nothing: {sum(others.values())} ({others['alarm']} alarm)")


if __name__ == "__main__":
    main()
