#!/usr/bin/env python3
"""The cross-validation behind the probe's choices (docs/quality.md, "A network probe, and
posts that name no concept"): 5 folds over the labelled fitting posts, the knowledge base's
texts and the streams' fitting halves always in training, on the embeddings fit_probe.py
caches. Each table compares against a baseline build's answers (what it already finds).

    python3 scripts/cv_probe.py probe     # linear against network probes, at 0.9 and 0.95
    python3 scripts/cv_probe.py floors    # the floors with some concepts named / none
    python3 scripts/cv_probe.py first     # first stages: what they pass, what they keep
    python3 scripts/cv_probe.py stance    # stance read-outs (CUES=build: the cues beside them)
    python3 scripts/cv_probe.py stanceset # what one set (SET=name) adds to the read-out, out of fold
    python3 scripts/cv_probe.py polarity  # the polarity of short posts over the read-out, out of fold
    python3 scripts/cv_probe.py ngrams    # a linear probe on the read-out's features (not shipped)
    python3 scripts/cv_probe.py words     # the word probe for Spanish posts: rows, C, floors
    python3 scripts/cv_probe.py lexwords  # a word probe for English posts in lexical mode
    python3 scripts/cv_probe.py either    # the network, that word probe, or either (BASELINE lexical)
    python3 scripts/cv_probe.py probeset  # what a set (SET=a[,b], WEIGHT=w) adds to the probes
    python3 scripts/cv_probe.py alone     # the shipped ensemble alone against one network, a bigger one
    python3 scripts/cv_probe.py veto      # the probe as a veto on the concepts' alarms, by floor
    python3 scripts/cv_probe.py wordveto  # the word probe as a veto on Spanish alarms, by floor
                                          # (LANG_READ=en: fitted on English posts, on English alarms)
    python3 scripts/cv_probe.py background  # real text on other subjects in the word probes' fit
                                          # (LANG_READ=en: the English word probe)
    python3 scripts/cv_probe.py netbackground  # the same in the network probe's fit
    python3 scripts/cv_probe.py bare      # posts naming no concept: with a guard that they name any
    python3 scripts/cv_probe.py assent    # the network's vouch for a post naming no concept, needing
                                          # the English word probe's assent (BASELINE lexical)
    python3 scripts/cv_probe.py agree     # the network and the English word probe agreeing at
                                          # lower floors (SET: sets no fit reads; stop 55)
    CONCEPTS=DIR python3 scripts/cv_probe.py concepts  # what another index's concepts change
    python3 scripts/cv_probe.py texts     # fitted on the corrected text against the normalised

BASELINE=path/to/counterclaim is the build whose misses the probe is read on (docs/quality.md
used a755e19's); default target/release/counterclaim. `stance` shows the cues' own stance
beside the read-outs when given CUES=path/to/counterclaim, a build whose src/matcher/readout.json
lists no narratives (so the cues decide every stance).
Needs what fit_probe.py needs (its caches under target/probe, numpy, scikit-learn).
"""
import glob, hashlib, json, os, re, subprocess, sys, tomllib
import numpy as np
from sklearn.linear_model import LogisticRegression

sys.argv, COMMAND = sys.argv[:1], (sys.argv[1:] or ["probe"])[0]
import fit_probe as fp

# The sets the probes fit on at full weight: the out-of-fold measures leave fit_probe.SETS["half"]
# out, except `probeset`, which weighs sets as told.
LABELLED = fp.SETS["fit"]
# The stance read-outs fit on those too, at full weight.
STANCE_LABELLED = LABELLED + fp.SETS["half"]
ALWAYS = ["kb", "checkthat2022.fit", "checkthat2020.fit"]
REPORT = ["posts", "checkthat2022.report", "checkthat2020.report"]
# The English word probe's assent that the network's vouch for a post naming no concept of the
# narrative needs (src/matcher/probe.rs, BARE_ASSENT).
BARE_ASSENT = 0.2
OUT = os.path.join(fp.OUT, "cv")
os.makedirs(OUT, exist_ok=True)


def probs(X, W):
    return fp.softmax(np.hstack([X, np.ones((len(X), 1))]) @ W)


def softmax_fit(X, Y, k, l2=1e-3, steps=3000, lr=0.5):
    Xb = np.hstack([X, np.ones((len(X), 1))])
    T = np.eye(k)[Y]
    # Class weights: each class counts as much as the negatives together.
    counts = T.sum(0)
    w = (T * (counts.sum() / (k * np.maximum(counts, 1)))).sum(1)
    W = np.zeros((Xb.shape[1], k))
    for _ in range(steps):
        P = probs(X, W)
        G = Xb.T @ ((P - T) * w[:, None]) / w.sum() + l2 * W
        W -= lr * G
    return W


def answers(exe, name, path):
    """`exe`'s best narrative and stance per post of `path`, cached under target/probe/cv."""
    tag = re.sub(r"\W", "_", os.path.relpath(os.path.abspath(exe), fp.ROOT))
    out = os.path.join(OUT, f"{name}.{tag}.jsonl")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(exe):
        subprocess.run([exe, "score", path, "-o", out], check=True, stderr=subprocess.DEVNULL)
    rows = [r["matches"][0] if r.get("matches") else {} for r in fp.jsonl(out)]
    return [(r.get("narrative_id"), (r.get("stance") or "").lower() or None) for r in rows]


def folds(y):
    rng = np.random.default_rng(0)
    return {k: rng.integers(0, 5, len(y[k])) for k in LABELLED}


def network(hidden, alpha, X, Y, repeat=True, seed=0):
    """fit_probe.network_fit with its size, l2, repetition and seed open: its probabilities."""
    return fp.network_fit(X, Y, seed, hidden, alpha, repeat).predict_proba


def networks(count, X, Y, **fit):
    """`count` networks of fit_probe.network_fit's shape (seeds 0 on, its options `fit`), their
    logits averaged as the shipped probe's are: their probabilities."""
    return fp.Ensemble([fp.network_fit(X, Y, seed, **fit) for seed in range(count)]).predict_proba


def shipped(X, Y, weight=None):
    """The shipped probe's fit (fit_probe.ensemble_fit): ten networks' logits averaged (five until
    stop 37)."""
    return fp.ensemble_fit(X, Y, weight).predict_proba


def cross_validated(fit, X, y, weight=None):
    """Each labelled post's probabilities from a fit without its fold; the report sets' from a
    fit on everything. With `weight` (a set's name → its posts' weight; other sets weigh 1),
    `fit` is also handed each row's weight."""
    f = folds(y)
    P = {k: np.zeros((len(y[k]), int(max(v.max() for v in y.values())) + 1)) for k in LABELLED}

    def fit_on(rows):
        names = LABELLED + ALWAYS
        W = row_weights(rows, names, weight)
        return fit(np.vstack([X[k][rows[k]] for k in names]),
                   np.concatenate([y[k][rows[k]] for k in names]),
                   *([] if W is None else [W]))
    for i in range(5):
        predict = fit_on({**{k: f[k] != i for k in LABELLED}, **{k: y[k] >= 0 for k in ALWAYS}})
        for k in LABELLED:
            P[k][f[k] == i] = predict(X[k][f[k] == i])
    predict = fit_on({k: y[k] >= 0 for k in LABELLED + ALWAYS})
    return {**P, **{k: predict(X[k]) for k in REPORT}}


def row_weights(rows, names, weight):
    """The weight of each row `rows` keeps of the sets `names`, in order: `weight` maps a set's
    name to its posts' weight, and other sets weigh 1. None without `weight` (every row 1)."""
    if not weight:
        return None
    return np.concatenate([np.full(int(rows[k].sum()), weight.get(k, 1.0)) for k in names])


def shipped_out_of_fold(emb, y, weight=None):
    """cross_validated(shipped, …): the out-of-fold fits take half an hour, so they are cached
    under what they were fitted on and read, and how each set weighs
    (target/probe/cv/veto-*.npz); sets the network does not fit on leave the cache as it is."""
    digest = hashlib.sha256()
    for k in sorted(set(LABELLED + ALWAYS + REPORT)):
        digest.update(k.encode() + emb[k].tobytes() + y[k].tobytes())
    for k, w in sorted((weight or {}).items()):
        digest.update(f"{k}={w}".encode())
    cache = os.path.join(OUT, f"veto-{digest.hexdigest()[:16]}.npz")
    if os.path.exists(cache):
        return dict(np.load(cache))
    P = cross_validated(shipped, emb, y, weight)
    np.savez(cache, **P)
    return P


def add_unlabelled(data, y, names):
    """The unlabelled streams `names` (fp.unlabelled) in `data`, every post "none" in `y`."""
    for n in names:
        data[n] = fp.unlabelled(n)
        y[n] = np.zeros(len(data[n]), int)


def classes(data):
    """The narratives in order, their class numbers (0 is "none") and each set's classes."""
    narratives = sorted({n for rows in data.values() for _, n, _ in rows if n})
    cls = {n: i + 1 for i, n in enumerate(narratives)}
    y = {k: np.array([cls.get(n, 0) if n else 0 for _, n, _ in v]) for k, v in data.items()}
    return narratives, cls, y


def forms_of(sets=LABELLED):
    """Each labelled set's posts' forms ("other-election" marks a hard election negative)."""
    return {k: [p.get("form") for p in fp.jsonl(os.path.join(fp.FIX, k + ".jsonl"))]
            for k in sets}


def setup():
    data = fp.load()
    narratives, cls, y = classes(data)
    base = os.environ.get("BASELINE", os.path.join(fp.ROOT, "target", "release", "counterclaim"))
    paths = fp.paths()
    now = {k: np.array([cls.get(n, 0) for n, _ in answers(base, k, paths[k])]) for k in paths}
    return data, narratives, cls, y, now


def added(P, y, now, k, floor, keep=None):
    """What the probe adds at `floor` to the baseline's answers on set `k`: right, wrong."""
    c = P[:, 1:].argmax(1) + 1
    add = (now[k] == 0) & (P[:, 1:].max(1) >= floor) & (True if keep is None else keep)
    return int((add & (c == y[k])).sum()), int((add & (c != y[k])).sum())


def probe():
    data, _, _, y, now = setup()
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    probes = {
        "linear (shipped before)": lambda X, Y: (lambda W: lambda Z: probs(Z, W))(
            softmax_fit(X, Y, int(Y.max()) + 1)),
        "network, 256 units, l2 1e-3": lambda X, Y: network(256, 1e-3, X, Y),
        "network, 64 units, l2 1e-2": lambda X, Y: network(64, 1e-2, X, Y),
        "ten of 64 units, logits averaged (shipped)": shipped,
        "network, 256 units, l2 1e-1": lambda X, Y: network(256, 1e-1, X, Y),
    }
    misses = int(((now["tuning_wide"] == 0) & (y["tuning_wide"] > 0)).sum())
    print(f"found / wrong among tuning_wide's posts the baseline misses ({misses} positives);"
          " wrong on the 2022 stream's reporting half")
    for name, fit in probes.items():
        P = cross_validated(fit, emb, y)
        cells = [f"{added(P['tuning_wide'], y, now, 'tuning_wide', t)} / 2022 "
                 f"{added(P['checkthat2022.report'], y, now, 'checkthat2022.report', t)[1]}"
                 for t in (0.9, 0.95)]
        print(f"  {name:38} at 0.9: {cells[0]:22} at 0.95: {cells[1]}")


def concepts_by_class(cls, index=None):
    """Each narrative's concepts, as lists of lower-case aliases, by its class number (from
    `index`, by default the shipped index/)."""
    out = {}
    for f in glob.glob(os.path.join(index or os.path.join(fp.ROOT, "index"), "narratives", "*.toml")):
        d = tomllib.load(open(f, "rb"))
        out[cls[d["id"]]] = [[a.lower() for a in c.get("en", []) + c.get("es", [])] for c in d.get("concept", [])]
    return out


def named(text, concepts):
    """How many of `concepts` `text` names: aliases as substrings, an approximation of the
    matcher's analysis."""
    t = " " + re.sub(r"[^\w']+", " ", text.lower()) + " "
    return sum(any(f" {a} " in t or f" {a}s " in t for a in c) for c in concepts)


def floors():
    data, _, cls, y, now = setup()
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    by_class = concepts_by_class(cls)

    P = shipped_out_of_fold(emb, y)
    forms = forms_of()
    positives = sum(int((y[k] > 0).sum()) for k in LABELLED)
    hard = sum(f == "other-election" for k in LABELLED for f in forms[k])
    print(f"additions over the baseline on the fitting sets ({positives} positives, {hard} hard election negatives)")
    for some, none in [(0.8, 0.98), (0.9, 0.98), (0.95, 0.98), (0.98, 0.98)]:
        right = wrong = wrong_hard = 0
        for k in LABELLED:
            c = P[k][:, 1:].argmax(1) + 1
            for i, (text, _, _) in enumerate(data[k]):
                n, m = c[i], named(text, by_class[c[i]])
                if now[k][i] or m == len(by_class[n]) or P[k][i, n] < (some if m else none):
                    continue
                right += n == y[k][i]
                wrong += n != y[k][i]
                wrong_hard += n != y[k][i] and forms[k][i] == "other-election"
        print(f"  some concepts {some} / none {none}: found +{right}, wrong +{wrong}, of which hard negatives {wrong_hard}")
    print("per set, at the shipped floors (0.95 / 0.98): the baseline's misses; found, wrong (hard)")
    for k in LABELLED:
        c = P[k][:, 1:].argmax(1) + 1
        add = [i for i, (text, _, _) in enumerate(data[k]) if not now[k][i]
               and named(text, by_class[c[i]]) < len(by_class[c[i]])
               and P[k][i, c[i]] >= (0.95 if named(text, by_class[c[i]]) else 0.98)]
        wrong = [i for i in add if c[i] != y[k][i]]
        print(f"  {k:14} misses {int(((now[k] == 0) & (y[k] > 0)).sum()):3}; +{len(add) - len(wrong)},"
              f" +{len(wrong)} ({sum(forms[k][i] == 'other-election' for i in wrong)})")


def first():
    data, _, _, y, _ = setup()
    means = {k: fp.embed(k, v, "--token-mean") for k, v in data.items()}
    any_ = {k: (v > 0).astype(int) for k, v in y.items()}

    def logistic(X, Y):
        mu, sd = X.mean(0), X.std(0) + 1e-6
        W = softmax_fit((X - mu) / sd, Y, 2, steps=4000)
        return lambda Z: probs((Z - mu) / sd, W)

    def net(X, Y):
        mu, sd = X.mean(0), X.std(0) + 1e-6
        predict = network(64, 1e-2, (X - mu) / sd, Y)
        return lambda Z: predict((Z - mu) / sd)

    for name, fit, floors_ in [("logistic", logistic, (0.2, 0.3, 0.5)), ("network, 64 units", net, (0.05, 0.1, 0.2))]:
        P = cross_validated(fit, means, any_)
        pos = np.concatenate([P[k][any_[k] > 0, 1] for k in LABELLED])
        for f in floors_:
            print(f"  {name:18} at {f}: passes 2022 {np.mean(P['checkthat2022.report'][any_['checkthat2022.report'] == 0, 1] >= f):.3f},"
                  f" 2020 {np.mean(P['checkthat2020.report'][:, 1] >= f):.3f}; keeps fitting positives {np.mean(pos >= f):.3f}")


def stance_rows(sets):
    """The stance examples of the labelled `sets` (texts, embeddings, stances), whether the
    baseline finds each under its narrative, whether it is Spanish, and its fold; the data, the
    embeddings and the knowledge base's rows (always in training)."""
    data, _, _, _, _ = setup()
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    base = os.environ.get("BASELINE", os.path.join(fp.ROOT, "target", "release", "counterclaim"))
    paths = fp.paths()
    T, X, Y, found, es, fold = [], [], [], [], [], []
    rng = np.random.default_rng(1)
    for k in sets:
        T_, X_, Y_ = fp.readout_rows({k: data[k]}, {k: emb[k]}, [k], with_statements=False)
        got = [n for n, _ in answers(base, k, paths[k])]
        about = [i for i, (_, n, st) in enumerate(data[k]) if n and st]
        T += T_; X.append(X_); Y.append(Y_)
        found += [got[i] == data[k][i][1] for i in about]
        es += [not x.any() for x in X_]
        fold += list(rng.integers(0, 5, len(about)))
    rows = (T, np.vstack(X), np.concatenate(Y), np.array(found), np.array(es), np.array(fold))
    return rows, data, emb, fp.readout_rows({"kb": data["kb"]}, {"kb": emb["kb"]}, ["kb"])


def readout_cv(C, with_embedding=True, min_df=3):
    """A read-out's fit (words and pairs as TF-IDF, the embedding unless told not to) for the
    folds: it returns what predicts the stance probabilities."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    def fit(T_, X_, Y_):
        vec = TfidfVectorizer(analyzer=fp.grams, min_df=min_df, sublinear_tf=True)
        feats = lambda A, Z: sp.hstack([A, sp.csr_matrix(Z if with_embedding else Z[:, :0])]).tocsr()
        m = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(feats(vec.fit_transform(T_), X_), Y_)
        return lambda T2, X2: m.predict_proba(feats(vec.transform(T2), X2))
    return fit


def stance():
    """The stance read-outs in 5-fold cross-validation over the labelled posts about a
    narrative (the knowledge base's texts and the statements always in training), read on
    those the baseline finds under their narrative; with CUES, the cues alone beside them."""
    (T, X, Y, found, es, fold), data, _, (Tk, Xk, Yk) = stance_rows(STANCE_LABELLED)
    paths = fp.paths()

    def linear(T_, X_, Y_):
        W = softmax_fit(X_, Y_, 3, steps=2000)
        return lambda T2, X2: probs(X2, W)

    def show(name, pred):
        m = found
        print(f"  {name:44} {np.mean(pred[m] == Y[m]):.3f}  English {np.mean(pred[m & ~es] == Y[m & ~es]):.3f}"
              f"  Spanish {np.mean(pred[m & es] == Y[m & es]):.3f}  debunking {np.mean(pred[m & (Y == 1)] == 1):.2f}"
              f"  neutral {np.mean(pred[m & (Y == 2)] == 2):.2f}")

    print(f"{int(found.sum())} posts found under their narrative ({int((found & es).sum())} Spanish): stance accuracy")
    if os.environ.get("CUES"):
        cues = [st for k in STANCE_LABELLED for i, (n, st) in enumerate(answers(os.environ["CUES"], k, paths[k]))
                if data[k][i][1] and data[k][i][2]]
        show("the cues alone (CUES)", np.array([fp.STANCES.index(c) if c else 0 for c in cues]))
    for name, fit in [("embedding, linear softmax (shipped before)", linear),
                      ("words and pairs, C 30", readout_cv(30, with_embedding=False)),
                      ("words and pairs + embedding, C 3", readout_cv(3)),
                      ("words and pairs + embedding, C 30 (shipped)", readout_cv(30)),
                      ("words and pairs + embedding, C 100", readout_cv(100))]:
        P = np.zeros((len(Y), 3))
        for i in range(5):
            tr = fold != i
            predict = fit([t for t, b in zip(T, tr) if b] + Tk, np.vstack([X[tr], Xk]), np.concatenate([Y[tr], Yk]))
            P[~tr] = predict([t for t, b in zip(T, tr) if not b], X[~tr])
        show(name, P.argmax(1))


def stanceset():
    """What one fitting set (SET=name, default tuning_events16) adds to the shipped read-out's
    fit, out of fold on the other sets: their stance read in the folds of `stance` with the
    set's rows in every training fold, or in none (docs/quality.md, stop 37)."""
    name = os.environ.get("SET", "tuning_events16")
    # fit_probe loads the sets it does not list from its arguments: a new set too.
    sys.argv[1:] = [name] if name not in sum(fp.SETS.values(), []) else []
    (T, X, Y, found, _, fold), data, emb, (Tk, Xk, Yk) = stance_rows([k for k in STANCE_LABELLED if k != name])
    Te, Xe, Ye = fp.readout_rows({name: data[name]}, {name: emb[name]}, [name], with_statements=False)
    for label, (Ta, Xa, Ya) in [(f"without {name}", ([], Xk[:0], Yk[:0])), (f"with {name}", (Te, Xe, Ye))]:
        P = np.zeros((len(Y), 3))
        for i in range(5):
            tr = fold != i
            predict = readout_cv(30)([t for t, b in zip(T, tr) if b] + Tk + Ta,
                                     np.vstack([X[tr], Xk, Xa]), np.concatenate([Y[tr], Yk, Ya]))
            P[~tr] = predict([t for t, b in zip(T, tr) if not b], X[~tr])
        pred, m = P.argmax(1), found
        print(f"  {label:28} stance right {int((pred[m] == Y[m]).sum())} of {int(m.sum())}"
              f"; debunking {int((pred[m & (Y == 1)] == 1).sum())} of {int((m & (Y == 1)).sum())}"
              f"; neutral {int((pred[m & (Y == 2)] == 2).sum())} of {int((m & (Y == 2)).sum())}", flush=True)


# The polarity of a short post (src/matcher/polarity.rs, the same lists): a sound word alone
# defends, negated it attacks; an accusation negated, none standing, denies.
MAX_WORDS, REACH = 12, 3
SOUND = set("safe secure legitimate legit normal legal accurate reliable reliably trustworthy trusted "
            "trust valid routine clean fair orderly calm seguro seguros segura seguras normales "
            "legales legítimo legítimos legítima legítimas válido válidos válida válidas confiable "
            "confiables fiable fiables limpio limpios limpia limpias".split())
ACCUSING = set("fraud frauds fraudulent rigged rig rigging steal stolen stealing stole fake fakes faked "
               "forged forgery counterfeit cheat cheating cheated scam chaos chaotic corrupt bogus phony "
               "hoax disaster mess nightmare illegal illegitimate fraude fraudes robo robar robaron robada "
               "falsas falsos amañada amañadas trampa trampas caos ilegal ilegales".split())
NEGATIONS = set("not no never isn't aren't wasn't weren't don't doesn't didn't won't can't cannot couldn't "
                "wouldn't shouldn't ain't isnt arent wasnt werent dont doesnt didnt wont cant couldnt "
                "wouldnt shouldnt aint nothing nobody without hardly less neither nor ni nunca nada sin "
                "menos jamás nadie ninguna ninguno ningún tampoco zero cero".split())
# The words a negation reaches across to the word it turns ("not a fraud", "no es un fraude").
BETWEEN = set("a an the be is are was were been being that so very too really actually even at all "
              "got get gets getting es son era eran fue fueron ser está están estaba estaban estar un "
              "una muy tan nada".split())
REJECTING = set("lie lies lying liar liars myth false claim claims claiming says said debunked if mentira "
                "mentiras falso falsa bulo dicen dice".split())
SARCASM = ["sure", "yeah", "right", "lol", "totally", "lmao", "claro", "ajá", "🙄", "🤡", "😂", "😏"]
# Quotation marks, an apostrophe only where it is not inside a word ("'safe'", not "it's").
QUOTED = re.compile(r"[\"“”«»]|(?<!\w)['‘’]|['‘’](?!\w)")


def clauses(raw, words):
    """The clause of each normalised word (src/matcher/polarity.rs): all one clause if the post
    has one; else the raw post's words clause by clause if there are as many; else None."""
    import unicodedata
    visible = "".join(c for c in raw if unicodedata.category(c) != "Cf")
    counts = [n for n in (sum(any(ch.isalnum() for ch in t) for t in
                              re.split(r"[^\w'’]|_", piece)) for piece in re.split(r"[.!?;=…]", visible)) if n]
    if len(counts) <= 1:
        return [0] * len(words)
    return [n for n, c in enumerate(counts) for _ in range(c)] if sum(counts) == len(words) else None


def polarity(raw, normalized, cap=MAX_WORDS, rules=("defence", "attack", "denial")):
    """The stance index the rules settle for a post (`normalized`: the question flag, a tab, the
    normalised text), or None."""
    question, text = normalized.split("\t", 1)
    w = text.split()
    low = raw.lower()
    mocks = any(re.search(r"(?<!\w)" + re.escape(m) + r"(?!\w)", low) if m.isalpha() else m in raw
                for m in SARCASM)
    if question == "1" or len(w) > cap or QUOTED.search(raw) or mocks or set(w) & REJECTING:
        return None
    # "far from" negates as one word does, at its "from"; "from" or "against" after a sound word
    # turns an accusation it reaches ("safe from fraud"), and is no negation otherwise.
    negates = lambda j: w[j] in NEGATIONS or (j > 0 and w[j - 1:j + 1] == ["far", "from"])
    negations = [j for j in range(len(w)) if negates(j)]
    turns = lambda j: negates(j) or (j > 0 and w[j] in ("from", "against") and w[j - 1] in SOUND)
    clause = clauses(raw, w)
    if clause is None:
        if negations:
            return None
        clause = [0] * len(w)

    def negation_of(i):
        for j in range(i - 1, max(-1, i - 1 - REACH), -1):
            if clause[j] != clause[i] or not (turns(j) or w[j] in BETWEEN):
                return None
            if turns(j):
                return j
        return None
    sound = attacked = accused = denied = 0
    used = set()
    for i, x in enumerate(w):
        if x not in SOUND and x not in ACCUSING:
            continue
        j = negation_of(i)
        if j is not None:
            used.add(j)
        if x in SOUND:
            attacked += j is not None; sound += j is None
        else:
            denied += j is not None; accused += j is None
    if set(negations) - used:
        return None
    if "defence" in rules and sound and not negations and not accused:
        return fp.STANCES.index("debunks")
    if "attack" in rules and attacked and not denied:
        return fp.STANCES.index("promotes")
    if "denial" in rules and denied and not attacked and not accused:
        return fp.STANCES.index("debunks")
    return None


def polarity_out_of_fold():
    """The polarity rules over the shipped read-out, out of fold (the folds of `stance`): per
    rule and word cap, the posts they settle among those found, and the stances they put right
    and wrong. SET=name adds a fitting set's posts, read in the folds and fitted on only with
    FIT_SET=1; SHOW=1 lists the posts the rules settle wrong."""
    added = [n for n in os.environ.get("SET", "").split(",") if n]
    sys.argv[1:] = added  # fit_probe.load reads the sets it does not list from its arguments
    sets = STANCE_LABELLED + added
    (T, X, Y, found, _, fold), data, _, (Tk, Xk, Yk) = stance_rows(sets)
    raw = [text for k in sets for text, n, st in data[k] if n and st]
    origin = np.array([k for k in sets for text, n, st in data[k] if n and st])
    assert len(raw) == len(T)
    extra = np.isin(origin, added)
    # The read-out as shipped (the added sets read, never fitted on), or refitted with them (in
    # folds, like the others) when FIT_SET=1.
    fitted = os.environ.get("FIT_SET") == "1"
    P = np.zeros((len(Y), 3))
    for i in range(5):
        tr = (fold != i) & (fitted | ~extra)
        te = fold == i
        predict = readout_cv(30)([t for t, b in zip(T, tr) if b] + Tk, np.vstack([X[tr], Xk]),
                                 np.concatenate([Y[tr], Yk]))
        P[te] = predict([t for t, b in zip(T, te) if b], X[te])
    pred = P.argmax(1)

    def right(p, rows):
        return f"{int((p[found & rows] == Y[found & rows]).sum())} of {int((found & rows).sum())}"
    print(f"read-out {'refitted with' if fitted else 'without'} {','.join(added) or 'no added set'}: stance "
          f"right {right(pred, ~extra)}" + (f", the added sets {right(pred, extra)}" if added else ""))
    for rules in [("defence",), ("attack",), ("denial",), ("defence", "attack", "denial")]:
        for cap in (8, 12, 16):
            settled = [polarity(r, t, cap, rules) for r, t in zip(raw, T)]
            fires = np.array([s is not None for s in settled]) & found
            ruled = np.array([pred[j] if s is None else s for j, s in enumerate(settled)])
            cells = [f"{name} settles {int((fires & rows).sum())}, right {right(ruled, rows)}: mends "
                     f"{int((fires & rows & (pred != Y) & (ruled == Y)).sum())}, breaks "
                     f"{int((fires & rows & (pred == Y) & (ruled != Y)).sum())}"
                     for name, rows in [("older sets", ~extra), ("added", extra)] if rows.any()]
            print(f"  {'+'.join(rules):22} at most {cap:2} words: {'; '.join(cells)}", flush=True)
            if os.environ.get("SHOW") and cap == MAX_WORDS:
                for j in np.flatnonzero(fires & (ruled != Y)):
                    print(f"    {origin[j]}: {fp.STANCES[Y[j]]} read {fp.STANCES[ruled[j]]}: {raw[j]}")


def ngrams():
    """A linear probe on the read-out's features (words and pairs as TF-IDF, and the embedding
    for English posts) against the shipped network, in the same folds: what each adds to the
    baseline's answers on the fitting sets, by floor (some concepts named / none), and on the
    report sets when fitted on everything. Not shipped: the next step (docs/quality.md)."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    data, _, cls, y, now = setup()
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    read = {k: fp.word_texts(k, v) for k, v in data.items()}
    by_class = concepts_by_class(cls)

    def texts(k):
        return [q + "\t" + t for _, q, t in read[k]]

    # Spanish posts read zeros for the embedding, as in the matcher.
    english = {k: np.array([[l == "en"] for l, _, _ in read[k]], dtype=float) for k in data}
    X = {k: (texts(k), emb[k] * english[k]) for k in data}

    def linear(_, Y, rows):
        vec = TfidfVectorizer(analyzer=fp.grams, min_df=3, sublinear_tf=True).fit([t for T, _ in rows for t in T])
        feats = lambda T, E: sp.hstack([vec.transform(T), sp.csr_matrix(E)]).tocsr()
        m = LogisticRegression(C=10, max_iter=3000, class_weight="balanced")
        m.fit(sp.vstack([feats(T, E) for T, E in rows]), Y)
        return lambda T, E: m.predict_proba(feats(T, E))

    f = folds(y)
    take = lambda k, keep: ([t for t, b in zip(X[k][0], keep) if b], X[k][1][keep])
    P = {k: np.zeros((len(y[k]), len(cls) + 1)) for k in LABELLED}
    for i in range(5):
        rows = [take(k, f[k] != i) for k in LABELLED] + [X[k] for k in ALWAYS]
        predict = linear(None, np.concatenate([y[k][f[k] != i] for k in LABELLED] + [y[k] for k in ALWAYS]), rows)
        for k in LABELLED:
            P[k][f[k] == i] = predict(*take(k, f[k] == i))
    predict = linear(None, np.concatenate([y[k] for k in LABELLED + ALWAYS]), [X[k] for k in LABELLED + ALWAYS])
    P.update({k: predict(*X[k]) for k in REPORT})
    N = shipped_out_of_fold(emb, y)
    forms = forms_of()

    def adds(Q, k, some, none):
        c = Q[:, 1:].argmax(1) + 1
        return {i for i, (text, _, _) in enumerate(data[k]) if not now[k][i]
                and named(text, by_class[c[i]]) < len(by_class[c[i]])
                and Q[i, c[i]] >= (some if named(text, by_class[c[i]]) else none)}, c

    print("additions over the baseline: found / wrong (hard negatives); fitting sets in CV, then the report sets")
    for name, Q, floors_ in [("network (shipped)", N, [(0.95, 0.98)]),
                             ("linear, words and pairs + embedding", P, [(0.8, 0.9), (0.9, 0.95), (0.95, 0.98)])]:
        for some, none in floors_:
            cells = []
            for sets in (LABELLED, REPORT):
                right = wrong = hard = 0
                for k in sets:
                    added, c = adds(Q[k], k, some, none)
                    right += sum(c[i] == y[k][i] for i in added)
                    wrong += sum(c[i] != y[k][i] for i in added)
                    hard += sum(c[i] != y[k][i] and k in forms and forms[k][i] == "other-election" for i in added)
                cells.append(f"+{right} / +{wrong} ({hard})")
            print(f"  {name:38} {some} / {none}: fitting {cells[0]:18} report {cells[1]}")
    cells = []
    for sets in (LABELLED, REPORT):
        right = wrong = hard = 0
        for k in sets:
            (an, cn), (ap, cp) = adds(N[k], k, 0.95, 0.98), adds(P[k], k, 0.95, 0.98)
            for i in an | ap:
                c = cn[i] if i in an else cp[i]
                right += c == y[k][i]
                wrong += c != y[k][i]
                hard += c != y[k][i] and k in forms and forms[k][i] == "other-election"
        cells.append(f"+{right} / +{wrong} ({hard})")
    print(f"  {'either, each at 0.95 / 0.98':38}            fitting {cells[0]:18} report {cells[1]}")


def words():
    """The word probe (src/matcher/readout.rs) in the same folds: what it adds to the baseline's
    answers on the Spanish fitting posts (the only ones it reads), fitted on every text or on
    the Spanish ones alone, by C and floor (some concepts named / none)."""
    data, _, cls, y, now = setup()
    read = {k: fp.word_texts(k, v) for k, v in data.items()}
    by_class = concepts_by_class(cls)
    spanish = {k: np.array([lang == "es" for lang, _, _ in read[k]]) for k in data}
    forms = forms_of()
    misses = sum(int(((now[k] == 0) & (y[k] > 0) & spanish[k]).sum()) for k in LABELLED)
    hard = sum(int(sum(s and fm == "other-election" for s, fm in zip(spanish[k], forms[k]))) for k in LABELLED)
    print(f"additions over the baseline on the Spanish fitting posts ({misses} positives missed,"
          f" {hard} hard election negatives): found / wrong (hard negatives)")

    for rows, C, min_df in [("all", 30, 2), ("all", 100, 2), ("Spanish", 30, 2), ("Spanish", 100, 2),
                            ("Spanish", 100, 1), ("Spanish", 300, 2), ("Spanish", 1000, 2)]:
        keep = {k: (spanish[k] if rows == "Spanish" else np.ones(len(y[k]), bool)) for k in data}
        P, size = word_probe_out_of_fold(read, y, keep, len(cls) + 1, C, min_df)
        cells = []
        for some, none in [(0.7, 0.95), (0.8, 0.98), (0.9, 0.98), (0.9, 0.99), (0.95, 0.99)]:
            right = wrong = wrong_hard = 0
            for k in LABELLED:
                c = P[k][:, 1:].argmax(1) + 1
                for i, (text, _, _) in enumerate(data[k]):
                    m = named(text, by_class[c[i]])
                    if (not spanish[k][i] or now[k][i] or m == len(by_class[c[i]])
                            or P[k][i, c[i]] < (some if m else none)):
                        continue
                    right += c[i] == y[k][i]
                    wrong += c[i] != y[k][i]
                    wrong_hard += c[i] != y[k][i] and forms[k][i] == "other-election"
            cells.append(f"{some}/{none}: +{right} / +{wrong} ({wrong_hard})")
        print(f"  {rows:7} C {C:<3} min_df {min_df} ({size} grams): " + "  ".join(cells))


def alone():
    """The probe network alone, whatever the matcher finds: out-of-fold over the fitting sets,
    positives found under their narrative and negatives given one, at 0.9, 0.95 and 0.98; and
    wrong alarms on the 2022 stream's reporting half. No baseline build: one network, a wider
    one, five with their probabilities averaged, and the shipped ten with their logits averaged."""
    data = fp.load()
    _, _, y = classes(data)
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    forms = forms_of()

    def seeded(hidden, alpha, seed):
        return lambda X, Y: network(hidden, alpha, X, Y, seed=seed)

    def averaged(fits):
        def fit(X, Y):
            predicts = [f(X, Y) for f in fits]
            return lambda Z: np.mean([p(Z) for p in predicts], axis=0)
        return fit

    variants = {"64 units, l2 1e-2": seeded(64, 1e-2, 0),
                "128 units, l2 1e-2": seeded(128, 1e-2, 0),
                "five of 64, probabilities averaged": averaged([seeded(64, 1e-2, s) for s in range(5)]),
                "ten of 64, logits averaged (shipped)": shipped}
    for name, fit in variants.items():
        P = cross_validated(fit, emb, y)
        for floor in (0.9, 0.95, 0.98):
            found = positives = hard = hard_n = others = 0
            for k in LABELLED:
                c, p = P[k][:, 1:].argmax(1) + 1, P[k][:, 1:].max(1)
                is_hard = np.array([f == "other-election" for f in forms[k]])
                positives += int((y[k] > 0).sum())
                found += int(((y[k] > 0) & (c == y[k]) & (p >= floor)).sum())
                hard_n += int(is_hard.sum())
                hard += int(((y[k] == 0) & is_hard & (p >= floor)).sum())
                others += int(((y[k] == 0) & ~is_hard & (p >= floor)).sum())
            r, yr = P["checkthat2022.report"], y["checkthat2022.report"]
            stream = int(((r[:, 1:].max(1) >= floor) & (r[:, 1:].argmax(1) + 1 != yr)).sum())
            print(f"  {name:28} >= {floor}: found {found}/{positives}, hard negatives {hard}/{hard_n},"
                  f" other negatives {others}, 2022 reporting half {stream}", flush=True)


def veto():
    """The probe as a veto: the baseline's alarms on English posts (the ones the model embeds)
    that name every concept of their narrative (roughly, as `named` reads them) and whose
    narrative the probe, out of fold, gives less than a floor. What each floor would
    remove: right alarms, wrong ones (hard election negatives among them), on the fitting sets
    and on the reporting sets (fitted on everything else)."""
    data, _, cls, y, now = setup()
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    forms = forms_of()
    by_class = concepts_by_class(cls)
    P = shipped_out_of_fold(emb, y)
    lang = {k: [t[0] for t in fp.normalized(k, data[k])] for k in LABELLED + REPORT}
    # Alarms the concepts made (the probe did not vouch for them: out of fold it might not).
    alarms = {k: [i for i in range(len(y[k])) if now[k][i] and lang[k][i] == "en"
                  and named(data[k][i][0], by_class[now[k][i]]) == len(by_class[now[k][i]])]
              for k in lang}
    wrong_in = {k: sum(now[k][i] != y[k][i] for i in alarms[k]) for k in lang}
    print("alarms the concepts made on English posts (wrong): fitting sets",
          sum(len(alarms[k]) for k in LABELLED), f"({sum(wrong_in[k] for k in LABELLED)})",
          "; reporting sets", {k: f"{len(alarms[k])} ({wrong_in[k]})" for k in REPORT})
    for floor in (0.001, 0.002, 0.003, 0.005, 0.01, 0.03, 0.1, 0.3):
        cells = []
        for group in (LABELLED, REPORT):
            right = wrong = hard = 0
            for k in group:
                for i in alarms[k]:
                    if P[k][i, now[k][i]] >= floor:
                        continue
                    ok = now[k][i] == y[k][i]
                    right += ok
                    wrong += not ok
                    hard += not ok and k in forms and forms[k][i] == "other-election"
            cells.append(f"right -{right}, wrong -{wrong} ({hard} hard)")
        print(f"  below {floor}: fitting sets {cells[0]}; reporting sets {cells[1]}", flush=True)


def word_fit(T, Y, C, min_df, weight=None, background=None):
    """fit_probe.word_fit on texts `T` and labels `Y` (each text weighing `weight`, default 1;
    `background` as there): its probabilities for other texts, and its number of grams."""
    vec, m = fp.word_fit(T, Y, C, min_df, weight, background)
    return lambda T2: m.predict_proba(vec.transform(T2)), len(vec.vocabulary_)


def word_probe_out_of_fold(read, y, in_lang, k, C=300, min_df=2, weight=None, background=(),
                           balanced=False):
    """A word probe's fit (by default the shipped Spanish one's: C 300, min_df 2) on the rows
    `in_lang` marks, in the five folds: each labelled post's probabilities from a fit without
    its fold, and the report sets' from a fit on all the rows; and that fit's number of grams.
    `weight` as for `cross_validated`. The sets `background` are always in training as
    fit_probe's background texts (or, `balanced`, as any other "none" text)."""
    texts = {n: ["0\t" + t for _, _, t in read[n]] for n in read}
    f = folds(y)
    P = {n: np.zeros((len(y[n]), k)) for n in LABELLED}

    def fit_on(rows):
        names = LABELLED + ALWAYS + list(background)
        mask = np.concatenate([np.full(int(rows[n].sum()), n in background) for n in names])
        return word_fit([t for n in names for t, b in zip(texts[n], rows[n]) if b],
                        np.concatenate([y[n][rows[n]] for n in names]), C, min_df,
                        row_weights(rows, names, weight), None if balanced else mask)
    for i in range(5):
        predict, _ = fit_on({**{n: in_lang[n] & (f[n] != i) for n in LABELLED},
                             **{n: in_lang[n] for n in ALWAYS + list(background)}})
        for n in LABELLED:
            P[n][f[n] == i] = predict([t for t, b in zip(texts[n], f[n] == i) if b])
    predict, size = fit_on({n: in_lang[n] for n in LABELLED + ALWAYS + list(background)})
    P.update({n: predict(texts[n]) for n in REPORT + FORTUNES_REPORT if n in texts})
    return P, size


FORTUNES_REPORT = ["fortunes_en.report", "fortunes_es.report"]


def background():
    """Real text on other subjects (a fortunes stream's fitting half) in a word probe's fit, as
    fit_probe does for the Spanish one since stop 49: out of fold, what the word probe of
    LANG_READ (default es) adds over BASELINE's misses in its language (found / wrong (hard
    negatives)) and how many of the fortunes' reporting half it would vouch for: without them,
    with them weighing as any "none" text in balanced classes ("diluted": every other "none"
    text then weighs less), and as background texts weighing 1, 0.3 or 0.1 (fit_probe.word_fit).
    BASELINE is a build without word probes; for the English probe it answers as lexical mode
    does (a wrapper adding --lexical). Spanish posts are read so in both modes. FLOORS="0.9/0.98
    0.95/0.99" reads each at other floors (some concepts named / none) than the shipped ones."""
    data, _, cls, y, now = setup()
    lang_read = os.environ.get("LANG_READ", "es")
    # The Spanish probe reads the fortunes of both halves that read as Spanish, as fit_probe.
    fit = fp.FORTUNES if lang_read == "es" else ["fortunes_en.fit"]
    add_unlabelled(data, y, FORTUNES_REPORT + fit)
    read = {k: fp.word_texts(k, v) for k, v in data.items()}
    by_class = concepts_by_class(cls)
    forms = forms_of()
    in_lang = {k: np.array([lang == lang_read for lang, _, _ in read[k]]) for k in data}
    C, min_df, some, none = (30, 4, 0.95, 0.98) if lang_read == "en" else (300, 2, 0.9, 0.98)
    # FLOORS="0.9/0.98 0.95/0.99": the floors (some concepts named / none) to read it at.
    floors = [tuple(map(float, f.split("/")))
              for f in os.environ.get("FLOORS", f"{some}/{none}").split()]
    report = f"fortunes_{lang_read}.report"
    for name, bg, w, balanced in [("without", (), None, False), ("diluted", fit, None, True),
                                  ("weight 1", fit, None, False), ("weight 0.3", fit, 0.3, False),
                                  ("weight 0.1", fit, 0.1, False)]:
        weight = {n: w for n in bg} if w else None
        P, _ = word_probe_out_of_fold(read, y, in_lang, len(cls) + 1, C, min_df, weight, bg,
                                      balanced)
        for some, none in floors:
            fortunes = sum(vouched(P[report][i], data[report][i][0], by_class, some, none)
                           is not None for i in range(len(y[report])) if in_lang[report][i])
            found = additions(P, LABELLED, data, y, now, by_class, forms, in_lang, some, none)
            print(f"  {lang_read} {name:10} {some}/{none}: fitting {found:18} fortunes vouched "
                  f"{fortunes}", flush=True)


def netbackground():
    """Real text on other subjects (the English fortunes' fitting half) in the network probe's
    fit, as `background` does for the word probes: out of fold, what one network of the
    probe's shape (NETS=10: the shipped ten) adds over BASELINE's English misses (found / wrong
    (hard negatives)), and how many posts of the English fortunes' reporting half it would vouch
    for, without the fortunes and with them as background texts weighing WEIGHTS (default "1
    0.3 0.1"; fit_probe.network_fit leaves them out of the classes' balance). BASELINE is a
    lexical build without word probes, as for `probeset`."""
    data, _, cls, y, now = setup()
    fit, report = "fortunes_en.fit", "fortunes_en.report"
    add_unlabelled(data, y, [fit, report])
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    english = {k: np.array([lang == "en" for lang, _, _ in fp.normalized(k, v)])
               for k, v in data.items()}
    by_class, forms = concepts_by_class(cls), forms_of()
    nets = int(os.environ.get("NETS", "1"))
    REPORT.append(report)
    for w in [None] + [float(x) for x in os.environ.get("WEIGHTS", "1 0.3 0.1").split()]:
        if w:
            ALWAYS.append(fit)
        count = len(emb[fit]) if w else 0

        def fitted(X, Y, W=None):
            background = np.arange(len(Y)) >= len(Y) - count
            return networks(nets, X, Y, weight=W, background=background)
        P = cross_validated(fitted, emb, y, {fit: w} if w else None)
        fortunes = sum(vouched(P[report][i], data[report][i][0], by_class, 0.95, 0.98)
                       is not None for i in range(len(y[report])) if english[report][i])
        found = additions(P, LABELLED, data, y, now, by_class, forms, english, 0.95, 0.98)
        print(f"  {'without' if not w else f'weight {w}':10}: fitting {found:18} fortunes "
              f"vouched {fortunes}", flush=True)
        if w:
            ALWAYS.remove(fit)
    REPORT.remove(report)


def assent():
    """The network probe's vouch for an English post that names no concept of the narrative,
    needing the English word probe to give that narrative ASSENTS (default "0 0.1 0.2 0.3 0.5")
    or more (src/matcher/probe.rs, BARE_ASSENT; docs/quality.md, stop 51). Both out of fold: one
    network of the probe's shape (NETS=10: the shipped ten) and the English word probe, over the
    English fitting posts BASELINE misses (a lexical build without word probes, as for
    `either`); either probe may vouch, as in hybrid mode. Found / wrong (hard negatives), and
    how many English fortunes of each half it would vouch for (neither probe fits on them)."""
    data, _, cls, y, now = setup()
    halves = ["fortunes_en.fit", "fortunes_en.report"]
    add_unlabelled(data, y, halves)
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    read = {k: fp.word_texts(k, v) for k, v in data.items()}
    english = {k: np.array([lang == "en" for lang, _, _ in read[k]]) for k in data}
    by_class, forms = concepts_by_class(cls), forms_of()
    nets = int(os.environ.get("NETS", "1"))
    REPORT.extend(halves)
    N = cross_validated(lambda X, Y: networks(nets, X, Y), emb, y)
    W, _ = word_probe_out_of_fold(read, y, english, len(cls) + 1, 30, 4)
    del REPORT[-len(halves):]
    print("additions over the baseline's English misses: found / wrong (hard negatives); "
          "English fortunes vouched for, fitting and reporting half")
    for floor in [float(x) for x in os.environ.get("ASSENTS", "0 0.1 0.2 0.3 0.5").split()]:
        def pick(k, i):
            return either_vouches(N[k][i], W[k][i], data[k][i][0], by_class, floor)
        fortunes = [sum(pick(n, i) is not None for i in range(len(y[n])) if english[n][i])
                    for n in halves]
        print(f"  word probe at {floor:<4}: fitting {tally(pick, LABELLED, y, now, english, forms):20}"
              f" fortunes {fortunes[0]} and {fortunes[1]}", flush=True)


def wordveto():
    """The word probe as a veto, as the probe is one for English posts: the baseline's alarms on
    Spanish posts (the ones the word probe reads) whose narrative the word probe, out of fold
    (the shipped fit: Spanish rows, C 300, min_df 2), gives less than a floor. What each floor
    would remove: right alarms, wrong ones (hard election negatives among them)."""
    data, _, cls, y, now = setup()
    read = {k: fp.word_texts(k, v) for k, v in data.items()}
    # LANG_READ=en: the same read-out fitted on English posts, as a veto for English alarms.
    lang_read = os.environ.get("LANG_READ", "es")
    in_lang = {k: np.array([lang == lang_read for lang, _, _ in read[k]]) for k in data}
    forms = forms_of()
    # The shipped fit in each language: Spanish C 300, min_df 2; English C 30, min_df 4.
    P, _ = word_probe_out_of_fold(read, y, in_lang, len(cls) + 1, *((30, 4) if lang_read == "en" else (300, 2)))
    alarms = [(k, i) for k in LABELLED for i in range(len(y[k])) if now[k][i] and in_lang[k][i]]
    print(f"alarms on {lang_read} fitting posts:", len(alarms),
          "wrong:", sum(now[k][i] != y[k][i] for k, i in alarms))
    for floor in (0.001, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2):
        right = wrong = hard = 0
        for k, i in alarms:
            if P[k][i, now[k][i]] >= floor:
                continue
            ok = now[k][i] == y[k][i]
            right += ok
            wrong += not ok
            hard += not ok and forms[k][i] == "other-election"
        print(f"  below {floor}: right -{right}, wrong -{wrong} ({hard} hard)", flush=True)
    if os.environ.get("SHOW"):
        floor = float(os.environ["SHOW"])
        for k, i in alarms:
            if P[k][i, now[k][i]] < floor:
                print(f"    {k} {data[k][i][0][:120]!r} y={y[k][i]} now={now[k][i]} p={P[k][i, now[k][i]]:.3f}")


def bare():
    """What the probe adds, from BARE_FLOOR, on posts that name no concept of the narrative it
    vouches for, with and without asking them to name a concept of any narrative (be about an
    election at all). Run with BASELINE= a build whose BARE_FLOOR is above 1."""
    data, _, cls, y, now = setup()
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    by_class = concepts_by_class(cls)
    P = shipped_out_of_fold(emb, y)
    forms = forms_of()
    print("posts naming no concept of the narrative the probe gives 0.98 or more (fitting sets out"
          " of fold; reporting sets from a fit on all)")
    election = re.compile(r"\b(elect\w*|vot\w*|ballot\w*|polls?|polling|elecci\w*|electoral\w*|"
                          r"boleta\w*|papeleta\w*|urnas?)\b")
    # The post's cosine to its narrative's nearest claim or variant (the shipped texts).
    texts = [cls[n] for _, n, _ in data["kb"]]
    unit = {k: e / np.linalg.norm(e, axis=1, keepdims=True) for k, e in emb.items()}
    nearest = {k: np.stack([(unit[k] @ unit["kb"][[j for j, t in enumerate(texts) if t == n]].T)
                            .max(1) for n in range(1, len(cls) + 1)], 1) for k in unit}
    guards = {"all (shipped)": lambda k, i, n, text: True,
              "naming a concept of any narrative": lambda k, i, n, text: any(
                  named(text, cs) for cs in by_class.values()),
              "that, or an election word": lambda k, i, n, text: any(
                  named(text, cs) for cs in by_class.values()) or election.search(text.lower()),
              **{f"cosine to its nearest text >= {d}": (lambda d: lambda k, i, n, text:
                                                        nearest[k][i, n - 1] >= d)(d)
                 for d in (0.35, 0.4, 0.45, 0.5)}}
    for name, guard in guards.items():
        cells = []
        for group in (LABELLED, REPORT):
            right = wrong = hard = 0
            for k in group:
                c = P[k][:, 1:].argmax(1) + 1
                for i, (text, _, _) in enumerate(data[k]):
                    n = c[i]
                    if now[k][i] or named(text, by_class[n]) or P[k][i, n] < 0.98:
                        continue
                    if not guard(k, i, n, text):
                        continue
                    ok = n == y[k][i]
                    right += ok
                    wrong += not ok
                    hard += not ok and k in forms and forms[k][i] == "other-election"
            cells.append(f"found +{right}, wrong +{wrong} ({hard} hard)")
        print(f"  {name:36} fitting sets {cells[0]}; reporting sets {cells[1]}", flush=True)


def texts():
    """The probe fitted on the text the matcher hands the model (normalised with the knowledge
    base's word lists and spelling-corrected) against the text normalised with English word
    lists alone, as until stop 34: one network of the shipped shape (seed 0), out of fold. Per
    floor, the fitting positives whose own narrative it reaches, and the posts it gives another
    narrative (or any, for negatives); then the same for the posts whose text correction
    changes."""
    data, _, _, y, _ = setup()
    read = {c: {k: fp.embed(k, v, corrected=c) for k, v in data.items()} for c in (False, True)}
    changed = {k: np.abs(read[False][k] - read[True][k]).max(1) > 1e-4 for k in LABELLED}
    one = lambda X, Y: network(64, 1e-2, X, Y)
    print("out of fold, one network: own narrative reached / another given (positives, negatives)")
    for c, name in ((False, "normalised, English lists"), (True, "as the model reads it")):
        P = cross_validated(one, read[c], y)
        for floor in (0.95, 0.98):
            cells = []
            for only in (False, True):
                right = wrong = 0
                for k in LABELLED:
                    keep = changed[k] if only else np.ones(len(y[k]), bool)
                    best = P[k][:, 1:].argmax(1) + 1
                    top = P[k][:, 1:].max(1) >= floor
                    right += int((keep & top & (best == y[k]) & (y[k] > 0)).sum())
                    wrong += int((keep & top & (best != y[k])).sum())
                cells.append(f"{right} / {wrong}")
            print(f"  {name:28} at {floor}: all posts {cells[0]:12} posts correction changes"
                  f" ({sum(int(v.sum()) for v in changed.values())}) {cells[1]}", flush=True)


def exclusions_by_class(cls, index):
    """Each narrative's exclusion phrases, lower-case, by its class number."""
    out = {}
    for f in glob.glob(os.path.join(index, "narratives", "*.toml")):
        d = tomllib.load(open(f, "rb"))
        out[cls[d["id"]]] = [a.lower() for e in d.get("exclusion", []) for a in e.get("en", []) + e.get("es", [])]
    return out


def concepts():
    """What another index's concepts change, against the shipped ones: CONCEPTS=DIR, a copy of
    index/ with narrative files changed. For every fitting post and narrative, whether the
    narrative is a candidate under each, by the matcher's rules: in lexical mode when the post
    names every concept; in hybrid mode, from the probe (English posts) or the word probe
    (Spanish), both out of fold, at the shipped floors when it names some or none, and above
    the veto when it names all. Posts an exclusion phrase covers are no candidate either way.
    A candidate still needs its score, so the counts bound what a build would gain or lose:
    candidates of the post's own narrative (right) and of another or none (wrong)."""
    data, narratives, cls, y, _ = setup()
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    read = {k: fp.word_texts(k, v) for k, v in data.items()}
    spanish = {k: np.array([lang == "es" for lang, _, _ in read[k]]) for k in data}
    P = shipped_out_of_fold(emb, y)
    W, _ = word_probe_out_of_fold(read, y, spanish, len(cls) + 1)
    index = os.path.join(fp.ROOT, "index")
    old, new = concepts_by_class(cls, index), concepts_by_class(cls, os.environ["CONCEPTS"])
    excluded = exclusions_by_class(cls, index)
    forms = forms_of()

    def candidate(mode, k, i, n, concepts):
        m = named(read[k][i][2], concepts)
        if mode == "lexical":
            return m == len(concepts)
        es = spanish[k][i]
        p = (W if es else P)[k][i, n]
        if m == len(concepts):
            return p >= (0.005 if es else 0.003)
        return p >= ((0.9 if es else 0.95) if m else 0.98)

    for mode in ("lexical", "hybrid"):
        print(f"{mode}: candidates gained / lost, right and wrong (hard election negatives)")
        for n in [c for c in range(1, len(cls) + 1) if old[c] != new[c]]:
            cells = {"gained": [0, 0, 0], "lost": [0, 0, 0]}
            for k in LABELLED:
                for i in range(len(y[k])):
                    if any(f" {a} " in f" {read[k][i][2]} " for a in excluded.get(n, [])):
                        continue
                    before, after = candidate(mode, k, i, n, old[n]), candidate(mode, k, i, n, new[n])
                    if before == after:
                        continue
                    c = cells["gained" if after else "lost"]
                    ok = y[k][i] == n
                    c[0] += ok
                    c[1] += not ok
                    c[2] += not ok and forms[k][i] == "other-election"
            print(f"  {narratives[n - 1]}: " + "; ".join(
                f"{w} right {r}, wrong {x} ({h})" for w, (r, x, h) in cells.items()), flush=True)


def either_vouches(N, W, text, by_class, assent=BARE_ASSENT):
    """What the network's probabilities `N` or the English word probe's `W` vouch for, as in
    hybrid mode (0.95 with some concept named, 0.98 with none): the network's vouch for a post
    naming no concept of the narrative needs the word probe to give it `assent` or more."""
    c = vouched(N, text, by_class, 0.95, 0.98)
    if c is not None and named(text, by_class[c]) == 0 and W[c] < assent:
        c = None
    return c or vouched(W, text, by_class, 0.95, 0.98)


def vouched(P, text, by_class, some, none):
    """The narrative a probe's probabilities `P` for one post vouch for, if any: the likeliest,
    when the post does not name every concept of it, from `some` (some named) or `none` (none
    named)."""
    c = P[1:].argmax() + 1
    m = named(text, by_class[c])
    return None if m == len(by_class[c]) or P[c] < (some if m else none) else c


def tally(pick, sets, y, now, lang, forms):
    """What `pick(k, i)` (a narrative or None) adds to the baseline's answers `now` on `sets`,
    over the posts `lang` marks that the baseline misses: found / wrong (hard negatives)."""
    right = wrong = hard = 0
    for k in sets:
        for i in range(len(y[k])):
            if not lang[k][i] or now[k][i]:
                continue
            c = pick(k, i)
            if c is None:
                continue
            right += c == y[k][i]
            wrong += c != y[k][i]
            hard += c != y[k][i] and k in forms and forms[k][i] == "other-election"
    return f"+{right} / +{wrong} ({hard})"


def additions(P, sets, data, y, now, by_class, forms, lang, some, none):
    """What a probe's probabilities `P` add to the baseline's answers (`tally`, `vouched`)."""
    return tally(lambda k, i: vouched(P[k][i], data[k][i][0], by_class, some, none),
                 sets, y, now, lang, forms)


def lexwords():
    """A word probe for English posts in lexical mode, where the network probe cannot run (no
    embedding): what it would add in the same folds to a lexical build's answers on the English
    fitting posts, and on the report sets when fitted on everything, by C and floor (some
    concepts named / none). BASELINE must answer as lexical mode does (a wrapper that adds
    --lexical). Shipped as word_probe_en.json (docs/quality.md, stop 38); FITS="30,4" gives
    the shipped fit alone."""
    data, _, cls, y, now = setup()
    read = {k: fp.word_texts(k, v) for k, v in data.items()}
    by_class = concepts_by_class(cls)
    english = {k: np.array([lang == "en" for lang, _, _ in read[k]]) for k in data}
    forms = forms_of()
    misses = sum(int(((now[k] != y[k]) & (y[k] > 0) & english[k]).sum()) for k in LABELLED)
    print(f"additions over the baseline on the English fitting posts ({misses} positives missed):"
          " found / wrong (hard negatives); then the report sets, fitted on everything")

    def adds(P, sets, some, none):
        return additions(P, sets, data, y, now, by_class, forms, english, some, none)

    fits = [x.split(",") for x in os.environ.get("FITS", "30,2 100,2 300,2 100,3 30,3 30,4 10,3").split()]
    for C, min_df in [(int(c), int(d)) for c, d in fits]:
        P, size = word_probe_out_of_fold(read, y, english, len(cls) + 1, C, min_df)
        print(f"  C {C:<3} min_df {min_df} ({size} grams)", flush=True)
        for some, none in [(0.8, 0.95), (0.9, 0.98), (0.95, 0.98), (0.95, 0.99), (0.98, 0.99)]:
            cells = adds(P, LABELLED, some, none), adds(P, REPORT, some, none)
            print(f"    {some} / {none}: fitting {cells[0]:18} report {cells[1]}", flush=True)


def either():
    """The network probe and the English word probe, each out of fold, over the misses of a
    build with no probe for English posts (BASELINE: a wrapper adding --lexical): what each
    adds alone at its floors and what either adds, on the English fitting posts and the report
    sets. Whether the word probe should vouch in hybrid mode too (docs/quality.md, stop 38)."""
    data, _, cls, y, now = setup()
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    read = {k: fp.word_texts(k, v) for k, v in data.items()}
    by_class = concepts_by_class(cls)
    english = {k: np.array([lang == "en" for lang, _, _ in read[k]]) for k in data}
    forms = forms_of()
    N = shipped_out_of_fold(emb, y)
    W, _ = word_probe_out_of_fold(read, y, english, len(cls) + 1, 30, 4)

    def at_floors(P, k, i):
        return vouched(P[k][i], data[k][i][0], by_class, 0.95, 0.98)

    print("additions over the baseline's English misses: found / wrong (hard negatives)")
    for name, pick in [("network", lambda k, i: at_floors(N, k, i)),
                       ("word probe", lambda k, i: at_floors(W, k, i)),
                       ("either (network first)", lambda k, i: at_floors(N, k, i) or at_floors(W, k, i))]:
        cells = [tally(pick, sets, y, now, english, forms) for sets in (LABELLED, REPORT)]
        print(f"  {name:24} fitting {cells[0]:20} report {cells[1]}", flush=True)


def probeset():
    """What one set (SET=name, default tuning_stance17; SET=a,b for several together) would
    add if the probes fitted on it: out of fold, without it and with it appended to the fitting
    sets (the others keep their folds), the network and the word probes (as shipped, the set's
    posts weighing WEIGHT, default 1) over the English (for the Spanish word probe, Spanish)
    misses of BASELINE (a lexical build without an English probe, as for
    `either`): found / wrong (hard negatives) on the older sets, the report sets and the set
    itself (docs/quality.md, stops 39 and 40: why the network fits on fit_probe.SETS["half"] at
    half weight, and the word probes not at all)."""
    # A set may carry its own weight after a colon ("tuning_affirm55:0.5"); WEIGHT is the rest's.
    named_sets = [s.partition(":") for s in os.environ.get("SET", "tuning_stance17").split(",")]
    names = [n for n, _, _ in named_sets]
    weight = float(os.environ.get("WEIGHT", "1"))
    own = {n: float(w) if w else weight for n, _, w in named_sets}
    name = " and ".join(names)
    # fit_probe loads the sets named on the command line beside its own: a new set too.
    sys.argv[1:] = [n for n in names if n not in sum(fp.SETS.values(), [])]
    data, _, cls, y, now = setup()
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    read = {k: fp.word_texts(k, v) for k, v in data.items()}
    by_class = concepts_by_class(cls)
    english = {k: np.array([lang == "en" for lang, _, _ in read[k]]) for k in data}
    spanish = {k: ~english[k] for k in data}
    forms = forms_of(LABELLED + names)
    older = list(LABELLED)

    def adds(P, sets, lang, some, none):
        return additions(P, sets, data, y, now, by_class, forms, lang, some, none)

    print("additions over the baseline's misses: found / wrong (hard negatives)")
    for with_set in (False, True):
        if with_set:
            LABELLED.extend(names)
        weights = own if with_set and set(own.values()) != {1.0} else None
        probes = [("network", shipped_out_of_fold(emb, y, weights), english, 0.95, 0.98),
                  ("English word probe", word_probe_out_of_fold(
                      read, y, english, len(cls) + 1, 30, 4, weights)[0], english, 0.95, 0.98),
                  ("Spanish word probe", word_probe_out_of_fold(
                      read, y, spanish, len(cls) + 1, weight=weights)[0], spanish, 0.9, 0.98)]
        for probe_name, P, lang, some, none in probes:
            cells = [adds(P, older, lang, some, none), adds(P, REPORT, lang, some, none)]
            if with_set:
                cells.append("the set " + adds(P, names, lang, some, none))
            print(f"  {probe_name:18} {'with' if with_set else 'without'} {name}: older sets {cells[0]}, "
                  f"report {'; '.join(cells[1:])}", flush=True)
    del LABELLED[len(older):]


def agree():
    """Two readers that agree at lower floors: the network probe's vouch for an English post
    that names some concept of a narrative, from a floor of 0.5 to 0.9 when the English word
    probe gives the same narrative one of 0.3 to 0.7 or more, beside each probe's own vouch
    (`either_vouches`). Out of fold, NETS networks (default 1) and the word probe as
    shipped (C 30, min_df 4), both fitted on fit_probe.SETS["fit"] and ["words"]; the sets SET
    (default tuning_affirm55), fit_probe.SETS["half"] and the English fortunes' reporting half
    are read by the fits on everything, which never read them. Found / wrong (hard negatives)
    over BASELINE's English misses, and the English fortunes vouched for."""
    names = os.environ.get("SET", "tuning_affirm55").split(",")
    sys.argv[1:] = [n for n in names if n not in sum(fp.SETS.values(), [])]
    LABELLED.extend(fp.SETS["words"])
    unseen = names + fp.SETS["half"]
    REPORT.extend(unseen + ["fortunes_en.report"])
    data, _, cls, y, now = setup()
    add_unlabelled(data, y, ["fortunes_en.report"])
    now["fortunes_en.report"] = np.zeros(len(y["fortunes_en.report"]), int)
    emb = {k: fp.embed(k, v) for k, v in data.items()}
    read = {k: fp.word_texts(k, v) for k, v in data.items()}
    english = {k: np.array([lang == "en" for lang, _, _ in read[k]]) for k in data}
    by_class, forms = concepts_by_class(cls), forms_of(LABELLED + unseen)
    N = cross_validated(lambda X, Y: networks(int(os.environ.get("NETS", "1")), X, Y), emb, y)
    W, _ = word_probe_out_of_fold(read, y, english, len(cls) + 1, 30, 4)
    print("additions over the baseline's English misses: found / wrong (hard negatives)")
    # None: each probe's own vouch alone, as shipped.
    pairs = [None] + [(a, b) for a in (0.5, 0.6, 0.7, 0.8, 0.9) for b in (0.3, 0.5, 0.7)]
    for pair in pairs:
        def pick(k, i):
            text = data[k][i][0]
            c = either_vouches(N[k][i], W[k][i], text, by_class)
            a = N[k][i][1:].argmax() + 1
            if c is None and pair and 0 < named(text, by_class[a]) < len(by_class[a]) \
                    and N[k][i][a] >= pair[0] and W[k][i][a] >= pair[1]:
                c = a
            return c
        cells = [tally(pick, LABELLED, y, now, english, forms)] + [
            tally(pick, [k], y, now, english, forms) for k in unseen + REPORT[:3]]
        fortunes = sum(pick("fortunes_en.report", i) is not None
                       for i in range(len(y["fortunes_en.report"])) if english["fortunes_en.report"][i])
        label = f"{pair[0]} and {pair[1]}" if pair else "as shipped"
        print(f"  {label:12} fitting {cells[0]:16} " + "  ".join(
            f"{k} {c}" for k, c in zip(unseen + REPORT[:3], cells[1:])) + f"  fortunes {fortunes}",
            flush=True)


if __name__ == "__main__":
    {"probe": probe, "floors": floors, "first": first, "stance": stance, "stanceset": stanceset, "polarity": polarity_out_of_fold,
     "ngrams": ngrams, "lexwords": lexwords, "either": either, "probeset": probeset,
     "words": words, "alone": alone, "veto": veto, "wordveto": wordveto, "bare": bare,
     "concepts": concepts, "texts": texts, "background": background,
     "netbackground": netbackground, "assent": assent, "agree": agree}[COMMAND]()
