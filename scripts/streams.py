#!/usr/bin/env python3
"""Prepares the real streams that narrative matching is measured on, split into a fitting half
and a reporting half, from the data sets in ../shared/datasets (never copied into the repo).

    python3 scripts/streams.py [DATASETS_DIR]     # writes target/streams/*.jsonl

- checkthat2022.jsonl: the 14,231 fact-checked claims of the CheckThat! 2022 collection as
  posts (`id`, `text` = the claim); .fit.jsonl / .report.jsonl split them by a hash of the id.
- checkthat2022titles.jsonl: the same collection's titles and subtitles as posts (`id` =
  CLAIM:title or CLAIM:subtitle), headlines and decks written by the fact-checkers, not the
  claims; split in the same halves as the claims they belong to. First run at stop 51.
- checkthat2020.jsonl: the 997 CheckThat! 2020 tweets; .fit.jsonl is the train split,
  .report.jsonl the dev split.
- checkthat2020claims.jsonl: the 3,235 claims of the CheckThat! 2020 collection that the 2022
  one does not hold (`id` = its row id), reporting only: none is about the four narratives.
- fortunes_en.jsonl, fortunes_es.jsonl: the quotations, proverbs and jokes of Debian's `fortunes`
  and `fortunes-es` packages (/usr/share/games/fortunes; `apt-get install fortunes
  fortunes-es`), English and Spanish real text on every subject but elections, written by others;
  .fit.jsonl holds each file's even-numbered fortunes, .report.jsonl its odd-numbered ones
  (`fortunes` below). Skipped, with a message, where the packages are not installed.
- wordnet.jsonl: the glosses of Princeton WordNet 3.0 (Debian's `wordnet-base`, /usr/share/wordnet;
  `apt-get install wordnet-base`), English real text on every subject, written by lexicographers:
  each synset's definition after its first word ("foreign agent: a spy for a foreign country",
  `id` = wn-POS-OFFSET) and each of its example sentences of three words or more ("China is
  wooing Russia", `id` = wn-POS-OFFSET:exN); split into halves by a hash of the synset, as
  the claims are. First run at stop 60. tests/quality.rs reads them the same way.
- manpages_es.jsonl: the paragraphs of Debian's Spanish manual pages (`apt-get install
  manpages-es`; rendered with groff), Spanish prose on software, reporting only: never fitted
  on. Skipped, with a message, where the pages or groff are missing.
- heldout17_posts.jsonl to heldout2_posts.jsonl, heldout_posts.jsonl and posts.jsonl (+
  .labels.jsonl): the labelled sets of tests/fixtures as streams, so `eval --stream` prints
  their reliability tables too (docs/quality.md sums the tables of the
  two real streams, the held-out sets from the second on, and posts).

Labels (sparse: a post not labelled should match nothing) are in tests/fixtures/streams/.
Then, for instance:

    counterclaim eval --stream target/streams/checkthat2022.jsonl \\
        --labels tests/fixtures/streams/checkthat2022.labels.jsonl
"""

import csv
import glob
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fit_half(post_id):
    """The fitting half: a fixed, even split that does not depend on the order of the file."""
    return hashlib.sha256(post_id.encode()).digest()[0] % 2 == 0


def write_halves(out, name, posts):
    """NAME.jsonl and its halves, split by fit_half of the claim each post belongs to (the id
    up to a colon)."""
    write(os.path.join(out, name + ".jsonl"), posts)
    for half, keep in (("fit", True), ("report", False)):
        write(os.path.join(out, f"{name}.{half}.jsonl"),
              [p for p in posts if fit_half(p["id"].split(":")[0]) == keep])


def write(path, posts):
    with open(path, "w", encoding="utf-8") as out:
        for post in posts:
            out.write(json.dumps(post, ensure_ascii=False) + "\n")
    print(f"{path}: {len(posts)} posts")


def tweets(path):
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="\t")
        next(rows)
        return [{"id": row[0], "text": row[1]} for row in rows if len(row) >= 2]


def labelled_as_stream(out, name):
    """A labelled set of tests/fixtures as a stream and its sparse labels."""
    with open(os.path.join(ROOT, "tests", "fixtures", name + ".jsonl"), encoding="utf-8") as f:
        posts = [json.loads(line) for line in f if line.strip()]
    write(os.path.join(out, name + ".jsonl"), [{"id": p["id"], "text": p["text"]} for p in posts])
    write(os.path.join(out, name + ".labels.jsonl"),
          [{"id": p["id"], "narrative": p["narrative"], "stance": p["stance"]}
           for p in posts if p["narrative"]])


FORTUNES = "/usr/share/games/fortunes"


def fortunes(folder):
    """The fortunes of every file in `folder` (not its subfolders): `id` = FILE:N for the Nth
    fortune of FILE, `text` = the fortune on one line. Fortunes shorter than 20 characters or
    longer than 1,000 are left out: nobody posts a signature, nor a page. tests/quality.rs reads
    them the same way."""
    posts = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if os.path.isdir(path) or name.endswith((".dat", ".u8")):
            continue
        with open(path, encoding="utf-8") as f:
            for n, fortune in enumerate(f.read().split("\n%\n")):
                text = " ".join(fortune.split())
                if 20 <= len(text) <= 1000:
                    posts.append({"id": f"{name}:{n}", "text": text})
    return posts


def write_fortunes(out):
    if not os.path.isdir(FORTUNES):
        print(f"{FORTUNES} not found (apt-get install fortunes fortunes-es): no fortunes streams")
        return
    for lang, folder in (("en", FORTUNES), ("es", os.path.join(FORTUNES, "es"))):
        posts = fortunes(folder)
        write(os.path.join(out, f"fortunes_{lang}.jsonl"), posts)
        for half, parity in (("fit", 0), ("report", 1)):
            write(os.path.join(out, f"fortunes_{lang}.{half}.jsonl"),
                  [p for p in posts if int(p["id"].rsplit(":", 1)[1]) % 2 == parity])


WORDNET = "/usr/share/wordnet"


def wordnet(folder):
    """The definitions and examples of every synset of WordNet's four data files (see the module
    documentation), in file order. A gloss is the text after ' | ': parts separated by '; ',
    the quoted ones examples."""
    posts = []
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(folder, f"data.{pos}"), encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  ") or " | " not in line:
                    continue
                fields, gloss = line.split(" | ", 1)
                fields = fields.split(" ")
                synset = f"wn-{pos}-{fields[0]}"
                word = re.sub(r"\([a-z]+\)$", "", fields[4]).replace("_", " ")
                parts = [part.strip() for part in gloss.strip().split(";")]
                definition = "; ".join(p for p in parts if p and not p.startswith('"'))
                if definition:
                    posts.append({"id": synset, "text": f"{word}: {definition}"})
                examples = [p.strip('"') for p in parts if p.startswith('"')]
                for n, example in enumerate(examples):
                    if len(example.split()) >= 3:
                        posts.append({"id": f"{synset}:ex{n}", "text": example})
    return posts


def write_wordnet(out):
    if not os.path.exists(os.path.join(WORDNET, "data.noun")):
        print(f"{WORDNET} not found (apt-get install wordnet-base): no wordnet stream")
        return
    write_halves(out, "wordnet", wordnet(WORDNET))


MANPAGES_ES = "/usr/share/man/es"


def write_manpages(out):
    """manpages_es.jsonl: each paragraph of 40 to 600 characters, mostly letters, of every
    Spanish manual page rendered as text (`id` = PAGE:N)."""
    pages = sorted(glob.glob(os.path.join(MANPAGES_ES, "man*", "*.gz")))
    if not pages or not shutil.which("groff"):
        print(f"{MANPAGES_ES} or groff not found (apt-get install manpages-es groff-base): "
              "no manpages stream")
        return
    posts = []
    for page in pages:
        with gzip.open(page) as f:
            rendered = subprocess.run(["groff", "-k", "-Tutf8", "-man", "-rLL=300n"],
                                      input=f.read(), capture_output=True, timeout=60).stdout
        text = re.sub(r"\x1b\[[0-9;]*m|.\x08", "", rendered.decode("utf-8", "replace"))
        for n, paragraph in enumerate(re.split(r"\n\s*\n", text)):
            paragraph = " ".join(paragraph.split())
            letters = sum(map(str.isalpha, paragraph))
            if 40 <= len(paragraph) <= 600 and letters > 0.7 * len(paragraph):
                posts.append({"id": f"{os.path.basename(page)}:{n}", "text": paragraph})
    write(os.path.join(out, "manpages_es.jsonl"), posts)


def main(datasets):
    out = os.path.join(ROOT, "target", "streams")
    os.makedirs(out, exist_ok=True)
    for name in ("heldout17_posts", "heldout16_posts", "heldout15_posts", "heldout14_posts",
                 "heldout13_posts", "heldout12_posts", "heldout11_posts", "heldout10_posts",
                 "heldout9_posts", "heldout8_posts", "heldout7_posts", "heldout6_posts",
                 "heldout5_posts", "heldout4_posts", "heldout3_posts", "heldout2_posts",
                 "heldout_posts", "posts"):
        labelled_as_stream(out, name)
    write_fortunes(out)
    write_wordnet(out)
    write_manpages(out)
    with open(os.path.join(datasets, "checkthat2022", "vclaims.jsonl"), encoding="utf-8") as f:
        raw = [json.loads(line) for line in f if line.strip()]
    claims = [{"id": str(c["vclaim_id"]), "text": c["vclaim"]} for c in raw]
    write_halves(out, "checkthat2022", claims)
    write_halves(out, "checkthat2022titles",
                 [{"id": f"{c['vclaim_id']}:{field}", "text": c[field].strip()}
                  for c in raw for field in ("title", "subtitle") if (c.get(field) or "").strip()])
    base = os.path.join(datasets, "checkthat2020")
    train = tweets(os.path.join(base, "train", "tweets.queries.tsv"))
    dev = tweets(os.path.join(base, "dev", "tweets.queries.tsv"))
    write(os.path.join(out, "checkthat2020.jsonl"), train + dev)
    write(os.path.join(out, "checkthat2020.fit.jsonl"), train)
    write(os.path.join(out, "checkthat2020.report.jsonl"), dev)
    # The 2020 collection's claims that the 2022 one does not hold (by text): a third stream,
    # first run at stop 29, so never fitted on.
    known = {c["text"].strip().lower() for c in claims}
    with open(os.path.join(base, "verified_claims.docs.tsv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    write(os.path.join(out, "checkthat2020claims.jsonl"),
          [{"id": r[""], "text": r["vclaim"]} for r in rows
           if r["vclaim"].strip().lower() not in known])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "datasets"))
