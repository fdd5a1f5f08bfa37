#!/usr/bin/env python3
"""Leetspeak written in several common alphabets, on posts the matcher is fitted on: the
promoting posts of tuning_posts, tuning_hard and tuning_more, each with its three longest
words rewritten in one alphabet (`basic` 4 3 0 1 5; `symbols` @ $ ! |; `t7b8`; `g9` and `g6`;
`z2`; `euro` with € and `(`). Measures how much the normaliser's leetspeak decoding
(src/text/leet.rs) loses against the clear posts, without touching a held-out set.

    python3 scripts/leet_variants.py              # writes target/variants/*.jsonl
    for f in target/variants/*.jsonl; do echo "$f $(counterclaim eval --posts $f | head -1)"; done
"""
import json, os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "variants")
ALPHABETS = {
    "clear": {},
    "basic": {"a": "4", "e": "3", "o": "0", "i": "1", "s": "5"},
    "symbols": {"a": "@", "s": "$", "i": "!", "l": "|"},
    "t7b8": {"t": "7", "b": "8", "a": "4", "o": "0"},
    "g9": {"g": "9", "a": "4", "e": "3", "o": "0"},
    "g6": {"g": "6", "a": "4", "e": "3", "o": "0"},
    "z2": {"z": "2", "s": "5", "e": "3", "o": "0"},
    "euro": {"e": "€", "a": "4", "o": "0", "c": "("},
}


def rewrite(text, alphabet):
    """`text` with its three longest alphabetic words of four letters or more that hold a
    letter of `alphabet` written in it."""
    words = text.split(" ")
    chosen = sorted((i for i, w in enumerate(words)
                     if len(w) >= 4 and w.isalpha() and any(c in alphabet for c in w.lower())),
                    key=lambda i: -len(words[i]))[:3]
    for i in chosen:
        words[i] = "".join(alphabet.get(c.lower(), c) for c in words[i])
    return " ".join(words)


def main():
    os.makedirs(OUT, exist_ok=True)
    posts = [json.loads(line) for name in ("tuning_posts", "tuning_hard", "tuning_more")
             for line in open(os.path.join(ROOT, "tests", "fixtures", name + ".jsonl"), encoding="utf-8")
             if line.strip()]
    promoting = [p for p in posts if p.get("narrative") and p.get("stance") == "promotes"]
    for name, alphabet in ALPHABETS.items():
        with open(os.path.join(OUT, name + ".jsonl"), "w", encoding="utf-8") as out:
            for p in promoting:
                out.write(json.dumps({**p, "text": rewrite(p["text"], alphabet), "form": name},
                                     ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
