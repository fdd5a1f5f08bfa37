#!/usr/bin/env python3
"""Which fitting posts two builds answer differently, and whether each change is right.

    python3 scripts/changed_answers.py OLD_BINARY NEW_BINARY [--lexical] [--new-kb DIR]

Scores every `tests/fixtures/tuning_*.jsonl` with both builds (`counterclaim score`) and prints
one line per post whose narratives or stances differ: `+` when the new answer is right and the
old one was not, `-` the other way round, `~` otherwise; then the counts. Only fitting sets:
the held-out sets are measured with `counterclaim eval`, which prints no items.

`--new-kb DIR` scores the new side with the knowledge base in DIR (`--kb`) instead of the one
built in: an alias changed in a copy of `index/` is measured without a build, the same binary
given twice.
"""
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def answers(binary, posts, flags, out):
    subprocess.run([binary, "score", str(posts), *flags, "-o", str(out)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {r["id"]: sorted((m["narrative_id"], m["stance"]) for m in r["matches"])
            for r in map(json.loads, out.open())}


def right(post, answer):
    if not post.get("narrative"):
        return not answer
    return (post["narrative"], post["stance"]) in answer


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    old, new, flags = sys.argv[1], sys.argv[2], sys.argv[3:]
    new_flags = list(flags)
    if "--new-kb" in flags:
        at = flags.index("--new-kb")
        if at + 1 >= len(flags):
            sys.exit("--new-kb needs a directory")
        new_flags = flags[:at] + ["--kb", flags[at + 1]] + flags[at + 2:]
        flags = flags[:at] + flags[at + 2:]
    counts = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted((ROOT / "tests/fixtures").glob("tuning_*.jsonl")):
            a = answers(old, path, flags, Path(tmp) / "old.jsonl")
            b = answers(new, path, new_flags, Path(tmp) / "new.jsonl")
            for post in map(json.loads, path.open()):
                was, now = a[post["id"]], b[post["id"]]
                if was == now:
                    continue
                tag = ("+" if right(post, now) and not right(post, was) else
                       "-" if right(post, was) and not right(post, now) else "~")
                counts[tag] += 1
                label = f'{post.get("narrative")}/{post.get("stance")}'
                print(tag, path.stem, label, was, "->", now, post["text"][:160])
    print(f"right now, wrong before: {counts['+']}; wrong now, right before: {counts['-']}; "
          f"other changes: {counts['~']}")


if __name__ == "__main__":
    main()
