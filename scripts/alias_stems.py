#!/usr/bin/env python3
"""Single-word Spanish aliases whose stem is the stem of another word (docs/quality.md, stop 53).

The matcher stems aliases and posts alike (Snowball, as tantivy does), so an alias names its
concept in every word that shares its stem: "podrido" (rotten) in "podrán" (will be able to).
`kb check` cannot tell such a collision from an inflection ("robo" and "roban" are meant to
meet). This prints, for every single-word Spanish alias of a knowledge base, the common Spanish
words (`src/text/spanish_common_words.txt`) and the words of the Spanish fitting sets' negatives
that share its stem, for a curator to read.

    pip install snowballstemmer   # the Snowball stemmers, BSD licence
    python3 scripts/alias_stems.py [INDEX_DIR]
"""
import glob
import json
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

try:
    import snowballstemmer
except ImportError:
    sys.exit("needs snowballstemmer: pip install snowballstemmer")

ROOT = Path(__file__).resolve().parent.parent


def fold(word):
    """`word` in lower case without accents, as the analyser indexes it."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def main():
    index = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "index"
    stemmer = snowballstemmer.stemmer("spanish")
    stem = lambda word: stemmer.stemWord(fold(word))
    common = ROOT / "src" / "text" / "spanish_common_words.txt"
    words = {l.strip() for l in common.open(encoding="utf-8") if l.strip() and not l.startswith("#")}
    for path in glob.glob(str(ROOT / "tests" / "fixtures" / "tuning_es*.jsonl")):
        for line in open(path, encoding="utf-8"):
            post = json.loads(line)
            if not post.get("narrative"):
                words |= set(re.findall(r"[a-záéíóúñü]+", post["text"].lower()))
    by_stem = {}
    for word in words:
        by_stem.setdefault(stem(word), set()).add(word)
    for path in sorted((index / "narratives").glob("*.toml")):
        narrative = tomllib.load(path.open("rb"))
        for concept in narrative.get("concept", []):
            for alias in concept.get("es", []):
                if " " in alias:
                    continue
                others = sorted(w for w in by_stem.get(stem(alias), ()) if fold(w) != fold(alias))
                if others:
                    print(f"{narrative['id']} {concept['id']} {alias}: {', '.join(others[:8])}")


if __name__ == "__main__":
    main()
