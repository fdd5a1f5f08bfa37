#!/usr/bin/env python3
"""What the knowledge base's exclusions (`[[exclusion]]` in index/narratives/*.toml) touch on the
fitting posts: for each narrative that declares any, how many of its own posts (positives) and
how many posts about nothing (negatives) use one of its phrases. Given a build, also the alarms
that build raises on the narrative for posts that use one, right and wrong, on the fitting sets
and the claim streams (a build from before the exclusions shows what they were for).

    python3 scripts/exclusion_hits.py [path/to/counterclaim]

Phrases are found in the post's lower-cased words with punctuation as spaces, close to the
matcher's normalised words (which also undo leetspeak, look-alike letters and the like).
"""
import glob, json, os, re, subprocess, sys, tempfile, tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "tests", "fixtures")


def words(text):
    return " " + " ".join(re.findall(r"[\w']+", text.lower())) + " "


def exclusions():
    out = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "index", "narratives", "*.toml"))):
        d = tomllib.load(open(path, "rb"))
        phrases = [p.lower() for e in d.get("exclusion", []) for p in e.get("en", []) + e.get("es", [])]
        if phrases:
            out[d["id"]] = phrases
    return out


def uses(text, phrases):
    t = words(text)
    return any(f" {p} " in t for p in phrases)


def sets():
    """(name, path, labels by id) for the fitting sets and the claim streams scripts/streams.py
    writes (unlabelled means about nothing)."""
    out = [(os.path.basename(p)[:-6], p, None) for p in sorted(glob.glob(os.path.join(FIX, "tuning_*.jsonl")))]
    for name in ["checkthat2022", "checkthat2020claims"]:
        path = os.path.join(ROOT, "target", "streams", name + ".jsonl")
        labels = os.path.join(FIX, "streams", name + ".labels.jsonl")
        if os.path.exists(path):
            out.append((name, path, {str(json.loads(l)["id"]): json.loads(l)["narrative"] for l in open(labels)}))
    return out


def main():
    excl = exclusions()
    rows = []
    for name, path, labels in sets():
        for line in open(path, encoding="utf-8"):
            p = json.loads(line)
            label = p.get("narrative") if labels is None else labels.get(str(p["id"]))
            rows.append((name, str(p["id"]), p["text"], label))
    fitting = [r for r in rows if r[0].startswith("tuning_")]
    for narrative, phrases in excl.items():
        pos = sum(uses(t, phrases) for _, _, t, label in fitting if label == narrative)
        neg = sum(uses(t, phrases) for _, _, t, label in fitting if label is None)
        print(f"{narrative}: {len(phrases)} phrases; fitting posts using one: {pos} of its own, {neg} about nothing")
    if len(sys.argv) < 2:
        return
    with tempfile.TemporaryDirectory() as tmp:
        best = {}
        for name, path, _ in sets():
            out = os.path.join(tmp, name + ".jsonl")
            subprocess.run([sys.argv[1], "score", path, "-o", out], check=True, stderr=subprocess.DEVNULL)
            for line in open(out):
                r = json.loads(line)
                best[(name, str(r["id"]))] = r["matches"][0]["narrative_id"] if r.get("matches") else None
    for narrative, phrases in excl.items():
        alarms = [(n, i, label) for n, i, t, label in rows if best.get((n, i)) == narrative and uses(t, phrases)]
        right = sum(label == narrative for _, _, label in alarms)
        print(f"{narrative}: {sys.argv[1]}'s alarms on posts using a phrase: {right} right, {len(alarms) - right} wrong")


if __name__ == "__main__":
    main()
