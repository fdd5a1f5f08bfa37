#!/usr/bin/env python3
"""Measured at stop 44, not shipped (docs/quality.md): can a logistic regression on the sentence
embedding of a post's last sentence tell a closing verdict ("Sure, Jan.", "Bang on.") from any
other last sentence, and which way it turns? Fitted on `tuning_closing43`'s English closings
(rejects or endorses, from each post's form) and the last sentences of half the other English
fitting sets (no verdict); read out of sample on `tuning_closing43b`'s closings and the other
half's last sentences. Prints, for a few regularisations, class weights and probability
floors, how many of the new set's closings it reads right and how often it fires elsewhere; then
how well it tells the two kinds of verdict apart when told a sentence is one.

    pip install -r scripts/fit-requirements.txt
    cargo build --release --example embed_lines
    python3 scripts/closing_embedding.py
"""
import glob, json, os, re, subprocess, tempfile
import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "tests", "fixtures")
EMBED_LINES = os.path.join(ROOT, "target", "release", "examples", "embed_lines")
NONE, REJECTS, AFFIRMS = 0, 1, 2


def last_sentence(text):
    """The last sentence of `text` and what comes before it, roughly as `src/matcher/closing/` cuts them;
    (None, None) if it asks or has one sentence."""
    body = text.rstrip().rstrip(".!…")
    if body.endswith("?"):
        return None, None
    ends = [m.end() for m in re.finditer(r"(?<=[a-z0-9\"”'’)A-Z])[.!?…]+[\"”'’]?(?=\s)|\n", body)]
    if not ends:
        return None, None
    return body[ends[-1]:].strip(), body[:ends[-1]].strip()


def rows(name):
    with open(os.path.join(FIX, name + ".jsonl"), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def embed(sentences, tmp):
    path = os.path.join(tmp, "lines.f32")
    subprocess.run([EMBED_LINES, path, "--normalize"], check=True, capture_output=True,
                   text=True, input="\n".join(s.replace("\n", " ") for s in sentences) + "\n")
    return np.fromfile(path, dtype="<f4").reshape(len(sentences), -1)


def verdicts(name):
    """The English closings of a closing set, labelled by the post's form."""
    out = []
    for post in rows(name):
        form = post.get("form", "")
        label = REJECTS if form.endswith("reject") else AFFIRMS if form.endswith("affirm") else None
        last, _ = last_sentence(post["text"])
        if post.get("lang") == "en" and post.get("narrative") and label and last:
            out.append((last, label))
    return out


def others():
    """The last sentences of the other English fitting sets, each with its set's half (0 or 1)."""
    names = sorted(os.path.basename(p)[:-6] for p in glob.glob(os.path.join(FIX, "tuning_*.jsonl")))
    names = [n for n in names if not n.startswith("tuning_es") and "closing" not in n]
    out = []
    for i, name in enumerate(names):
        for post in rows(name):
            last, rest = last_sentence(post["text"])
            if post.get("lang", "en") == "en" and last and len(rest.split()) >= 3:
                out.append((last, i % 2))
    return out


def report(fit, P_new, P_rest, y_new):
    """For each probability floor, a line on a reader's probabilities (none, rejects, affirms):
    how many of the new closings it reads right and the other way, and how many verdicts it
    passes on the other sentences. `fit` names the fit's settings."""
    for floor in [0.5, 0.7, 0.9]:
        read = lambda P: np.where(P[:, 1:].max(1) >= floor, P[:, 1:].argmax(1) + 1, NONE)
        new_read, rest_read = read(P_new), read(P_rest)
        print(f"  {fit} floor={floor}: new closings read right "
              f"{int((new_read == y_new).sum())}/{len(y_new)}, the other way "
              f"{int(((new_read > 0) & (new_read != y_new)).sum())}; verdicts on other "
              f"sentences {int((rest_read > 0).sum())}/{len(rest_read)}")


def main():
    fit, new, rest = verdicts("tuning_closing43"), verdicts("tuning_closing43b"), others()
    with tempfile.TemporaryDirectory() as tmp:
        X_fit, X_new, X_rest = (embed([s for s, _ in part], tmp) for part in (fit, new, rest))
    y_fit, y_new = np.array([l for _, l in fit]), np.array([l for _, l in new])
    half = np.array([h for _, h in rest])
    print(f"closings: {len(fit)} to fit on, {len(new)} new; other last sentences: "
          f"{(half == 0).sum()} to fit on, {(half == 1).sum()} to read")
    for C in [0.3, 1, 3, 10]:
        for weight in [1, 3]:
            X = np.vstack([X_fit, X_rest[half == 0]])
            y = np.concatenate([y_fit, np.full((half == 0).sum(), NONE)])
            w = np.concatenate([np.full(len(y_fit), weight), np.ones((half == 0).sum())])
            model = LogisticRegression(C=C, max_iter=2000).fit(X, y, sample_weight=w)
            P_new, P_rest = model.predict_proba(X_new), model.predict_proba(X_rest[half == 1])
            report(f"C={C} weight={weight}", P_new, P_rest, y_new)
    share = (y_new == REJECTS).mean()
    for C in [0.1, 1, 10]:
        right = (LogisticRegression(C=C, max_iter=2000).fit(X_fit, y_fit).predict(X_new) == y_new)
        print(f"told it is a verdict, C={C}: which way, right {right.mean():.2f} "
              f"(always 'rejects': {share:.2f})")


if __name__ == "__main__":
    main()
