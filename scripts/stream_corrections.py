#!/usr/bin/env python3
"""What spelling correction does to real text: every word of the CheckThat! streams' posts (both
halves; the 2022 claims and the 2020 tweets) that the matcher reads as another word, counted, as
the matcher on the shipped knowledge base normalises and corrects it (docs/quality.md, stop 44).
A build's `examples/embed_lines` writes both readings; run it with a changed corrector to see
what the change adds.

    python3 scripts/streams.py
    cargo build --release --example embed_lines
    python3 scripts/stream_corrections.py [--top N]
"""
import collections, json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EMBED_LINES = os.path.join(ROOT, "target", "release", "examples", "embed_lines")
STREAMS = ["checkthat2022", "checkthat2020"]


def lines(path, flags, texts):
    """embed_lines' text output (`--text` or `--model-text`) for `texts`, one line each."""
    subprocess.run([EMBED_LINES, path] + flags, input="\n".join(texts) + "\n", text=True,
                   check=True)
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")[:len(texts)]


def main():
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 60
    texts = []
    for name in STREAMS:
        with open(os.path.join(ROOT, "target", "streams", name + ".jsonl"), encoding="utf-8") as f:
            texts += [json.loads(l)["text"].replace("\n", " ") for l in f if l.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        # `--text --kb`: language, asks, normalised words (tab-separated); `--model-text`: the
        # same words spelling-corrected.
        normalised = [l.split("\t")[-1] for l in lines(os.path.join(tmp, "n"), ["--text", "--kb"], texts)]
        corrected = lines(os.path.join(tmp, "c"), ["--model-text"], texts)
    changed = collections.Counter()
    for before, after in zip(normalised, corrected):
        words, read = before.split(), after.split()
        if len(words) == len(read):
            changed.update((w, r) for w, r in zip(words, read) if w != r)
    print(f"{len(texts)} posts; {sum(changed.values())} words read as another "
          f"({len(changed)} distinct)")
    for (word, read), n in changed.most_common(top):
        print(f"  {n:3}  {word} -> {read}")


if __name__ == "__main__":
    main()
