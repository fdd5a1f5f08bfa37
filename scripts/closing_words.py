#!/usr/bin/env python3
"""Measured at stop 59, not shipped (docs/quality.md): a reader of closing verdicts on words, as
`scripts/closing_embedding.py` is one on the sentence embedding. A logistic regression on the
TF-IDF words (and word pairs) and character n-grams of a post's last sentence, fitted on the
English closings of the closing sets FIT (rejects or endorses, from each post's form) and the
last sentences of half the other English fitting sets (no verdict); read out of sample on the
closings of the sets NEW and the other half's last sentences. Prints, for a few
regularisations, class weights and probability floors, how many of the new closings it reads
right, how many the other way, and how many verdicts it passes on the other sentences.

    pip install -r scripts/fit-requirements.txt
    python3 scripts/closing_words.py tuning_closing43,tuning_closing52,tuning_closing56 tuning_closing43b
    python3 scripts/closing_words.py tuning_closing43,tuning_closing43b,tuning_closing52 tuning_closing56
"""
import glob
import os
import sys

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import closing_embedding as ce  # noqa: E402

NONE, REJECTS, AFFIRMS = ce.NONE, ce.REJECTS, ce.AFFIRMS


def closings(names):
    """The English closings of the sets `names`, labelled by each post's form."""
    out = []
    for name in names:
        for post in ce.rows(name):
            form = post.get("form", "")
            label = REJECTS if form.endswith("reject") else AFFIRMS if form.endswith("affirm") else None
            last, _ = ce.last_sentence(post["text"])
            if post.get("lang") == "en" and post.get("narrative") and label and last:
                out.append((last, label))
    return out


def others():
    """The last sentences of the English fitting sets that hold no closing form, with their
    set's half (0 or 1)."""
    names = sorted(os.path.basename(p)[:-6] for p in glob.glob(os.path.join(ce.FIX, "tuning_*.jsonl")))
    names = [n for n in names if not n.startswith("tuning_es")
             and not any(k in n for k in ("closing", "asked", "reply"))]
    out = []
    for i, name in enumerate(names):
        for post in ce.rows(name):
            last, rest = ce.last_sentence(post["text"])
            if post.get("lang", "en") == "en" and last and len(rest.split()) >= 3:
                out.append((last, i % 2))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    fit, new, rest = closings(sys.argv[1].split(",")), closings(sys.argv[2].split(",")), others()
    half = np.array([h for _, h in rest])
    texts = [s for s, _ in fit] + [s for (s, _), h in zip(rest, half) if h == 0]
    y = np.array([label for _, label in fit] + [NONE] * int((half == 0).sum()))
    y_new = np.array([label for _, label in new])
    read_rest = [s for (s, _), h in zip(rest, half) if h == 1]
    print(f"closings: {len(fit)} to fit on, {len(new)} new; other last sentences: "
          f"{int((half == 0).sum())} to fit on, {len(read_rest)} to read")
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
                            token_pattern=r"(?u)\b\w+\b|[^\w\s]")
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2)
    X = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    features = lambda T: hstack([words.transform(T), chars.transform(T)]).tocsr()
    X_new, X_rest = features([s for s, _ in new]), features(read_rest)
    for C in [1, 3, 10, 30]:
        for weight in [None, "balanced"]:
            model = LogisticRegression(C=C, max_iter=3000, class_weight=weight).fit(X, y)
            P_new, P_rest = model.predict_proba(X_new), model.predict_proba(X_rest)
            ce.report(f"C={C} weight={weight}", P_new, P_rest, y_new)


if __name__ == "__main__":
    main()
