#!/usr/bin/env python3
"""The cross-validation behind stop 54's refits of the word probes (docs/quality.md, stop 54):
what fitting them on fit_probe.SETS["words"] too (the nine fitting sets written after the
other probes' last fit) does out of fold, on the texts they were fitted on before.

    python3 scripts/cv_word_sets.py vouch                  # the Spanish word probe
    LANG_READ=en python3 scripts/cv_word_sets.py vouch     # the English one
    BASELINE=<build> python3 scripts/cv_word_sets.py veto  # the Spanish one as a veto

`vouch`: 5 folds over every text of the language the probe was fitted on before (the older
fitting sets, the knowledge base's texts, the streams' fitting halves; for the Spanish probe the
fortunes too, as background, not counted), with and without the nine sets in every fold's
training. Prints, at each floor, the texts it vouches for under their own narrative and those it
vouches for wrongly; then, fitted on all of it, the same on fit_probe.SETS["half"], which the
word probes never fit on.

`veto`: the alarms on Spanish fitting posts of BASELINE, a build whose `WORD_VETO`
(src/matcher/readout.rs) is 0, scored here in hybrid mode; 5 folds over the older and the nine
sets' Spanish posts (the knowledge base's texts, the streams' fitting halves and the fortunes in
every fold's training), with and without the nine sets in training. Prints, for each veto floor,
the right and the wrong alarms it would remove.

Needs what fit_probe.py needs (its caches under target/probe, numpy, scikit-learn).
"""
import json, os, subprocess, sys, tempfile
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fit_probe as fp  # noqa: E402

LANG = os.environ.get("LANG_READ", "es")
# The shipped fits: Spanish C 300, min_df 2; English C 30, min_df 4 (fit_probe.word_probe_fit).
C, MIN_DF = (300, 2) if LANG == "es" else (30, 4)
BEFORE = fp.SETS["fit"] + ["kb", "checkthat2022.fit", "checkthat2020.fit"]
ALWAYS = ["kb", "checkthat2022.fit", "checkthat2020.fit"] + fp.FORTUNES


def setup():
    data = fp.load()
    narratives = sorted({n for rows in data.values() for _, n, _ in rows if n})
    cls = {n: i + 1 for i, n in enumerate(narratives)}
    y = {k: np.array([cls.get(n, 0) if n else 0 for _, n, _ in v]) for k, v in data.items()}
    return data, cls, y


def rows(data, y, names):
    """The texts of `names` in LANG as the word probes read them: texts, labels, whether each is
    background (a fortune), and (set, index)."""
    T, Y, B, K = [], [], [], []
    for k in names:
        for i, ((lang, _, text), label) in enumerate(zip(fp.word_texts(k, data[k]), y[k])):
            if lang == LANG:
                T += ["0\t" + text]
                Y += [label]
                B += [k in fp.FORTUNES]
                K += [(k, i)]
    return T, np.array(Y, dtype=int), np.array(B, dtype=bool), K


def fit(T, Y, B):
    return fp.word_fit(T, Y, C, MIN_DF, np.where(B, fp.BACKGROUND_WEIGHT, 1.0), B)


def joined(*parts):
    return ([t for p in parts for t in p[0]], np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]))


def subset(part, mask):
    return [t for t, m in zip(part[0], mask) if m], part[1][mask], part[2][mask]


def vouch():
    data, cls, y = setup()
    base = rows(data, y, BEFORE + (fp.FORTUNES if LANG == "es" else []))
    words = rows(data, y, fp.SETS["words"])
    half = rows(data, y, fp.SETS["half"])
    fold = np.random.default_rng(0).integers(0, 5, len(base[0]))

    def tally(P, Y, name):
        c, p = P[:, 1:].argmax(1) + 1, P[:, 1:].max(1)
        cells = [f"{f}: {int(((p >= f) & (c == Y) & (Y > 0)).sum())} right / "
                 f"{int(((p >= f) & (c != Y)).sum())} wrong" for f in (0.9, 0.95, 0.98)]
        print(f"  {name:44} " + "  ".join(cells), flush=True)

    for arm in ["without the nine sets", "with them"]:
        extra = [words] if arm == "with them" else []
        P = np.zeros((len(base[0]), len(cls) + 1))
        for k in range(5):
            vec, m = fit(*joined(subset(base, fold != k), *extra))
            P[fold == k] = m.predict_proba(vec.transform(subset(base, fold == k)[0]))
        counted = ~base[2]
        tally(P[counted], base[1][counted], f"{arm}: older texts, out of fold")
        vec, m = fit(*joined(base, *extra))
        tally(m.predict_proba(vec.transform(half[0])), half[1], f"{arm}: {', '.join(fp.SETS['half'])}")


def veto():
    baseline = os.environ.get("BASELINE")
    if not baseline:
        sys.exit("veto needs BASELINE=<a build whose WORD_VETO is 0>")
    if LANG != "es":
        sys.exit("veto reads the Spanish word probe only")
    data, cls, y = setup()
    sets = fp.SETS["fit"] + fp.SETS["words"]
    always = rows(data, y, ALWAYS)
    posts = rows(data, y, sets)
    index = {key: j for j, key in enumerate(posts[3])}
    alarms = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in sets:
            out = os.path.join(tmp, k + ".jsonl")
            subprocess.run([baseline, "score", os.path.join(fp.FIX, k + ".jsonl"), "-o", out],
                           check=True, stderr=subprocess.DEVNULL)
            for i, r in enumerate(map(json.loads, open(out, encoding="utf-8"))):
                if (k, i) in index and r["matches"]:
                    alarms.append((index[(k, i)], cls[r["matches"][0]["narrative_id"]]))
    print(f"alarms on Spanish fitting posts: {len(alarms)}, wrong: "
          f"{sum(n != posts[1][j] for j, n in alarms)}")
    fold = np.random.default_rng(0).integers(0, 5, len(posts[0]))
    for arm in ["without the nine sets", "with them"]:
        pooled = np.array([k in fp.SETS["fit"] or arm == "with them" for k, _ in posts[3]])
        P = np.zeros((len(posts[0]), len(cls) + 1))
        for f in range(5):
            vec, m = fit(*joined(always, subset(posts, (fold != f) & pooled)))
            P[fold == f] = m.predict_proba(vec.transform(subset(posts, fold == f)[0]))
        print(f"  {arm}:")
        for floor in (0.005, 0.01, 0.02, 0.03, 0.05, 0.1):
            removed = [(j, n) for j, n in alarms if P[j, n] < floor]
            right = sum(n == posts[1][j] for j, n in removed)
            print(f"    below {floor}: right -{right}, wrong -{len(removed) - right}")


if __name__ == "__main__":
    commands = {"vouch": vouch, "veto": veto}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    command = commands[sys.argv.pop(1)]
    command()
