#!/usr/bin/env python3
"""Whether a general sentiment lexicon reads a closing verdict's agreement (docs/quality.md,
stop 45): VADER's compound score of each post's last sentence, on the two closing fitting sets,
against the side the post's form gives (`*-reject` rejects, `*-affirm` endorses).

    pip install vaderSentiment   # the lexicon, MIT licence
    python3 scripts/closing_sentiment.py

A score of 0.05 or more reads as agreement, -0.05 or less as rejection, anything between as
no verdict. Prints right, wrong and unread per set.
"""
import json
import re
import sys
from pathlib import Path

try:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
except ImportError:
    sys.exit("needs vaderSentiment: pip install vaderSentiment")

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def main():
    vader = SentimentIntensityAnalyzer()
    for name in ["tuning_closing43", "tuning_closing43b"]:
        right = wrong = unread = 0
        for post in map(json.loads, (FIXTURES / f"{name}.jsonl").open()):
            form = post["form"]
            want = "rejects" if form.endswith("reject") else "affirms" if form.endswith("affirm") else None
            if want is None:
                continue
            last = re.split(r"(?<=[.!?…])\s+", post["text"].strip())[-1]
            score = vader.polarity_scores(last)["compound"]
            got = "rejects" if score <= -0.05 else "affirms" if score >= 0.05 else None
            if got is None:
                unread += 1
            elif got == want:
                right += 1
            else:
                wrong += 1
        print(f"{name}: right {right}, wrong {wrong}, unread {unread}")


if __name__ == "__main__":
    main()
