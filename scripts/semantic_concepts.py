#!/usr/bin/env python3
"""Would matching concepts by meaning, not only by their aliases, find more? (issue 14)

Every word of the fitting posts and of the fitting halves of the real streams is embedded alone
with the sentence-embedding model (the model2vec idea: a word's vector without context). A
narrative's concept then counts as mentioned when a post word lies within cosine TAU of one of
the concept's one-word aliases. For each TAU the script counts the posts whose labelled
narrative becomes complete that way (found) and the other posts for which some narrative
becomes complete (new candidates, which would be false alarms), and lists them.

The lexical side is approximated here (lowercase words, a plural s dropped), so the counts
measure what meaning adds, not the shipped matcher's exact output.

Usage: python3 scripts/streams.py && python3 scripts/semantic_concepts.py [TAU ...]
Needs numpy and the model (scripts/fetch_model.sh); writes its work files to target/semantic/.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tomllib

import numpy as np

WORD = re.compile(r"[a-záéíóúñü]+")
STOP = set(
    "the a an of to in on and or for is are was were be been it this that with by at from as "
    "not no but they we you he she i my our their his her its will would can could do does did "
    "have has had just so if than then there here what who when how all any some more most very "
    "about into over out up down after before".split()
)
FITTING = ["tuning_posts", "tuning_hard", "tuning_more"]
STREAMS = ["checkthat2022", "checkthat2020"]
WORK = "target/semantic"


def posts():
    for name in FITTING:
        for line in open(f"tests/fixtures/{name}.jsonl", encoding="utf-8"):
            d = json.loads(line)
            yield "fitting", d["text"], d.get("narrative")
    for name in STREAMS:
        labels = {}
        for line in open(f"tests/fixtures/streams/{name}.labels.jsonl", encoding="utf-8"):
            d = json.loads(line)
            labels[str(d["id"])] = d.get("narrative")
        for line in open(f"target/streams/{name}.fit.jsonl", encoding="utf-8"):
            d = json.loads(line)
            yield name, d["text"], labels.get(str(d["id"]))


def concepts():
    out = {}
    for path in sorted(glob.glob("index/narratives/*.toml")):
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        narrative = os.path.basename(path)[:-5]
        out[narrative] = [(c["id"], c.get("en", []) + c.get("es", [])) for c in doc.get("concept", [])]
    return out


def stem(w):
    return w[:-1] if w.endswith("s") and len(w) > 3 else w


def mentions(words, aliases):
    stems = [stem(w) for w in words]
    for alias in aliases:
        a = [stem(w) for w in WORD.findall(alias.lower())]
        if a and any(stems[i : i + len(a)] == a for i in range(len(stems) - len(a) + 1)):
            return True
    return False


def main():
    taus = [float(t) for t in sys.argv[1:]] or [0.6, 0.7, 0.75, 0.8, 0.85, 0.9]
    all_posts, kb = list(posts()), concepts()
    vocabulary = set()
    for _, text, _ in all_posts:
        vocabulary.update(WORD.findall(text.lower()))
    for cs in kb.values():
        for _, aliases in cs:
            vocabulary.update(a.lower() for a in aliases if " " not in a)
    words = sorted(vocabulary)
    os.makedirs(WORK, exist_ok=True)
    vectors_path = f"{WORK}/words.f32"
    subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--example", "embed_lines", "--", vectors_path],
        input="\n".join(words) + "\n", text=True, check=True,
    )
    vectors = np.fromfile(vectors_path, dtype="<f4").reshape(len(words), -1)
    index = {w: i for i, w in enumerate(words)}
    alias_vectors = {
        (n, cid): vectors[[index[a.lower()] for a in aliases if " " not in a]]
        for n, cs in kb.items() for cid, aliases in cs
    }

    def closeness(words, key):
        """The closest any post word comes to one of the concept's aliases, and that word."""
        best = (0.0, None)
        for w in set(words):
            if w in STOP or len(w) < 3:
                continue
            s = float((alias_vectors[key] @ vectors[index[w]]).max())
            best = max(best, (s, w))
        return best

    rows = []  # (source, right narrative?, the weakest concept's closeness, the words, text)
    for source, text, label in all_posts:
        words = WORD.findall(text.lower())
        for n, cs in kb.items():
            lexical = [mentions(words, aliases) for _, aliases in cs]
            if all(lexical):
                continue
            near = [(1.0, None) if hit else closeness(words, (n, cid)) for (cid, _), hit in zip(cs, lexical)]
            rows.append((source, label == n, min(s for s, _ in near), [w for _, w in near], n, text))
    for tau in taus:
        found = sum(1 for r in rows if r[1] and r[2] >= tau)
        wrong = [r for r in rows if not r[1] and r[2] >= tau]
        streams = sum(1 for r in wrong if r[0] != "fitting")
        print(f"tau {tau:.2f}: found {found}, new wrong candidates {len(wrong)} ({streams} from the real streams)")
    print(f"\nat tau {taus[0]:.2f} (+ found, - wrong; the words that stood in for a concept):")
    for source, right, s, near, n, text in sorted(rows, key=lambda r: -r[2]):
        if s >= taus[0]:
            print(f"{'+' if right else '-'} {s:.3f} {n} {near} {text[:100]!r}")


if __name__ == "__main__":
    main()
