#!/usr/bin/env python3
"""Evasions written many ways, on posts the matcher is fitted on: the promoting posts of
tuning_posts, tuning_hard and tuning_more, each with its three longest words rewritten in one
way. Leetspeak in several alphabets (`basic` 4 3 0 1 5; `symbols` @ $ ! |; `t7b8`; `g9`, `g6`;
`z2`; `euro` with € and `(`; `mixed`, some letters of each word from any of them, as people
write it), letters spaced by several separators (`spaced-*`), invisible
characters of several kinds (`invisible-*`), look-alike letters from several scripts
(`lookalike-*`), elongations (`elongated`) and typos (`typo-*`: a letter dropped,
swapped or doubled, a vowel for another, a keyboard neighbour, or one of those per word).
Measures what the normaliser (src/text/) and the spelling correction lose against the clear
posts, without touching a held-out set.

    python3 scripts/evasion_variants.py              # writes target/variants/*.jsonl
    for f in target/variants/*.jsonl; do echo "$f $(counterclaim eval --posts $f | head -1)"; done
"""
import json, os, random

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


# Every stand-in a letter has in the alphabets above, for `leet-mixed`.
STAND_INS = {}
for _alphabet in ALPHABETS.values():
    for _letter, _sign in _alphabet.items():
        STAND_INS.setdefault(_letter, set()).add(_sign)
STAND_INS["l"].add("1")


def mixed(word, rng):
    """`word` with each letter that has stand-ins replaced, with probability 0.6, by one of
    them; at least one letter always is."""
    places = [i for i, c in enumerate(word) if c.lower() in STAND_INS]
    if not places:
        return word
    chars = list(word)
    chosen = [i for i in places if rng.random() < 0.6] or [rng.choice(places)]
    for i in chosen:
        chars[i] = rng.choice(sorted(STAND_INS[chars[i].lower()]))
    return "".join(chars)


CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}
GREEK = {"a": "α", "o": "ο", "i": "ι", "n": "η", "t": "τ", "u": "υ", "v": "ν", "k": "κ"}


def styled(base):
    """Letters a-z mapped from the Unicode block whose `a` is `base` (bold, circled, …)."""
    return lambda w: "".join(chr(base + ord(c) - ord("a")) if "a" <= c <= "z" else c for c in w.lower())


WORDS = {
    **{f"leet-{name}": (lambda a: lambda w: "".join(a.get(c.lower(), c) for c in w))(a)
       for name, a in ALPHABETS.items()},
    **{f"spaced-{name}": (lambda sep: lambda w: sep.join(w))(sep)
       for name, sep in {"space": " ", "dot": ".", "dash": "-", "underscore": "_", "star": "*",
                         "slash": "/", "double-space": "  "}.items()},
    **{f"invisible-{name}": (lambda ch: lambda w: w[:2] + ch + w[2:-1] + ch + w[-1:])(ch)
       for name, ch in {"zwsp": "\u200b", "zwnj": "\u200c", "zwj": "\u200d", "word-joiner": "\u2060",
                        "soft-hyphen": "\u00ad", "bom": "\ufeff", "cgj": "\u034f",
                        "invisible-times": "\u2062", "variation-selector": "\ufe0f"}.items()},
    "lookalike-cyrillic": lambda w: "".join(CYRILLIC.get(c, c) for c in w),
    "lookalike-greek": lambda w: "".join(GREEK.get(c, c) for c in w),
    "lookalike-fullwidth": styled(0xFF41),
    "lookalike-bold": styled(0x1D41A),
    "lookalike-circled": styled(0x24D0),
    "lookalike-small-caps": lambda w: "".join({"a": "ᴀ", "b": "ʙ", "d": "ᴅ", "e": "ᴇ", "l": "ʟ", "n": "ɴ",
                                               "o": "ᴏ", "r": "ʀ", "t": "ᴛ", "u": "ᴜ"}.get(c, c) for c in w.lower()),
    "elongated": lambda w: w[:-1] + w[-2] * 3 + w[-1] if len(w) > 2 else w,
}


# Letters next to each other on a QWERTY keyboard, for `typo-keyboard`.
NEIGHBOURS = dict(zip("abcdefghijklmnopqrstuvwxyz", [
    "qsz", "vgn", "xdv", "sfe", "wrd", "dgr", "fht", "gjy", "uok", "hku", "jli", "ko", "nj",
    "bmh", "ipl", "ol", "wa", "etf", "adw", "ryg", "yij", "cbf", "qes", "zc", "tuh", "xa"]))


def typo(kind, rng):
    """A typo of `kind` in a word, away from its first letter, as people make them when typing
    fast: a letter dropped, two swapped, one doubled, a vowel for another, a key's neighbour;
    `mixed` picks one of those for each word."""
    def one(w, kind=kind):
        if len(w) < 4:
            return w
        if kind == "mixed":
            kind = rng.choice(["drop", "swap", "double", "vowel", "keyboard"])
        i = rng.randrange(1, len(w) - 1)
        if kind == "drop":
            return w[:i] + w[i + 1:]
        if kind == "swap":
            return w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if kind == "double":
            return w[:i] + w[i] + w[i:]
        if kind == "vowel":
            vowels = [j for j in range(1, len(w)) if w[j] in "aeiou"]
            if not vowels:
                return w
            j = rng.choice(vowels)
            return w[:j] + rng.choice([v for v in "aeiou" if v != w[j]]) + w[j + 1:]
        c = w[i].lower()
        return w[:i] + rng.choice(NEIGHBOURS.get(c, c)) + w[i + 1:]
    return one


def rewrite(text, word):
    """`text` with its three longest alphabetic words of four letters or more rewritten by
    `word`."""
    words = text.split(" ")
    chosen = sorted((i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()),
                    key=lambda i: -len(words[i]))[:3]
    for i in chosen:
        words[i] = word(words[i])
    return " ".join(words)


def main():
    os.makedirs(OUT, exist_ok=True)
    posts = [json.loads(line) for name in ("tuning_posts", "tuning_hard", "tuning_more")
             for line in open(os.path.join(ROOT, "tests", "fixtures", name + ".jsonl"), encoding="utf-8")
             if line.strip()]
    promoting = [p for p in posts if p.get("narrative") and p.get("stance") == "promotes"]
    rng = random.Random(2026)
    words = {**WORDS, "leet-mixed": lambda w: mixed(w, rng),
             **{f"typo-{kind}": typo(kind, rng)
                for kind in ("drop", "swap", "double", "vowel", "keyboard", "mixed")}}
    for name, word in words.items():
        with open(os.path.join(OUT, name + ".jsonl"), "w", encoding="utf-8") as out:
            for p in promoting:
                out.write(json.dumps({**p, "text": rewrite(p["text"], word), "form": name},
                                     ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
