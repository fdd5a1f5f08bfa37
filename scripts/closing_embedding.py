#!/usr/bin/env python3
"""Can the sentence embedding of a closing tell a verdict that rejects from one that endorses?

    pip install -r scripts/fit-requirements.txt
    cargo build --release --example embed_lines
    python3 scripts/closing_embedding.py

Takes the last sentence of every post of the two closing fitting sets whose form names the
verdict (`*-reject`, `*-affirm`), embeds it with the model (`embed_lines --normalize`), fits a
logistic regression on one set and reports its accuracy on the other, both ways, for a few
strengths of regularisation. At stop 47 it told them apart 65-77 % of the time (docs/quality.md):
not enough for a learned reader of closings to ship.
"""
import json
import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
SETS = ["tuning_closing43", "tuning_closing43b"]


def closings(name):
    """(last sentence, 1 if it rejects) for each post whose form names its verdict."""
    rows = []
    for line in (ROOT / "tests" / "fixtures" / f"{name}.jsonl").open():
        post = json.loads(line)
        form = post.get("form", "")
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", post["text"].strip()) if s]
        if len(sentences) > 1 and form.endswith(("-reject", "-affirm")):
            rows.append((sentences[-1], int(form.endswith("-reject"))))
    return rows


def embed(lines):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "vectors.f32"
        subprocess.run([str(ROOT / "target" / "release" / "examples" / "embed_lines"), str(out),
                        "--normalize"], input="\n".join(lines) + "\n", text=True, check=True,
                       stderr=subprocess.DEVNULL)
        return np.fromfile(out, dtype="<f4").reshape(len(lines), -1)


def main():
    data = {name: closings(name) for name in SETS}
    X = {name: embed([c for c, _ in rows]) for name, rows in data.items()}
    Y = {name: np.array([y for _, y in rows]) for name, rows in data.items()}
    for fit, test in [(SETS[0], SETS[1]), (SETS[1], SETS[0])]:
        for C in [0.3, 1, 3, 10]:
            model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
            guess = model.fit(X[fit], Y[fit]).predict(X[test])
            print(f"fit {fit}, test {test}, C={C}: {len(guess)} closings, accuracy "
                  f"{(guess == Y[test]).mean():.3f}, rejecting read {guess[Y[test] == 1].mean():.3f}, "
                  f"endorsing read {(1 - guess[Y[test] == 0]).mean():.3f}")


if __name__ == "__main__":
    main()
