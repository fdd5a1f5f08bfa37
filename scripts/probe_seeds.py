#!/usr/bin/env python3
"""How far a refit's probe moves with its seeds alone, five networks a fit against ten
(docs/quality.md, stop 36). Twenty networks are fitted, on what fit_probe.py fits on minus three
claim sets held apart; then on those sets and the streams' reporting halves, for each floor,
the posts whose decision (the probe's narrative at or above the floor, or none) differs between
two ensembles of disjoint seeds: two pairs of five (seeds 0-4 against 5-9, 10-14 against 15-19)
and one pair of ten (0-9 against 10-19). "found" is each side's positives found under their
narrative. About 20 minutes on two cores.

    python3 scripts/probe_seeds.py

Needs what fit_probe.py needs (its caches under target/probe, numpy, scikit-learn).
"""
import sys
import time

import numpy as np

sys.argv = sys.argv[:1]
import cv_probe as cv
import fit_probe as fp

APART = ["tuning_factcheck15", "tuning_verdicts15", "tuning_claims13"]
TEST = APART + ["checkthat2022.report", "checkthat2020.report"]
PAIRS = [("5 against 5", range(0, 5), range(5, 10)),
         ("5 against 5", range(10, 15), range(15, 20)),
         ("10 against 10", range(0, 10), range(10, 20))]


def main():
    data = fp.load()
    _, _, y = cv.classes(data)
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    train = [k for k in cv.LABELLED + cv.ALWAYS if k not in APART]
    X = np.vstack([emb[k] for k in train])
    Y = np.concatenate([y[k] for k in train])
    nets = []
    for seed in range(20):
        start = time.time()
        nets.append(fp.network_fit(X, Y, seed))
        print(f"network {seed}: {time.time() - start:.0f} s", flush=True)

    def decisions(ensemble, k, floor):
        P = ensemble.predict_proba(emb[k])
        return np.where(P[:, 1:].max(1) >= floor, P[:, 1:].argmax(1) + 1, 0)

    for floor in (0.9, 0.95, 0.98):
        for name, a, b in PAIRS:
            A, B = fp.Ensemble([nets[i] for i in a]), fp.Ensemble([nets[i] for i in b])
            cells, total = [], 0
            for k in TEST:
                da, db = decisions(A, k, floor), decisions(B, k, floor)
                pos = y[k] > 0
                differ = int((da != db).sum())
                total += differ if k in APART else 0
                cells.append(f"{k} {differ} (found {int(((da == y[k]) & pos).sum())}"
                             f" / {int(((db == y[k]) & pos).sum())})")
            print(f"floor {floor}, {name}: the three sets {total}; " + "; ".join(cells), flush=True)


if __name__ == "__main__":
    main()
