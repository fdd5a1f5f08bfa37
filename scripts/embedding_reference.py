#!/usr/bin/env python3
"""Write tests/fixtures/embeddings_reference.json with sentence-transformers.

Builds all-MiniLM-L6-v2 exactly as the published sentence-transformers model
(Transformer with max_seq_length=256 -> mean Pooling -> Normalize) from the
three files fetched by scripts/fetch_model.sh, and records the 384-d
embedding of each test text rounded to 6 decimals.

Run it in a throwaway venv (it needs torch + sentence-transformers):
    python3 -m venv /tmp/st-venv
    /tmp/st-venv/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu \
        || /tmp/st-venv/bin/pip install torch
    /tmp/st-venv/bin/pip install sentence-transformers
    /tmp/st-venv/bin/python scripts/embedding_reference.py [MODEL_DIR]
"""
import hashlib
import json
import sys
from pathlib import Path

from sentence_transformers import SentenceTransformer, models

ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "all-MiniLM-L6-v2"
OUT = ROOT / "tests" / "fixtures" / "embeddings_reference.json"

LONG = " ".join(
    f"Claim {i}: ballots in county {i} were counted twice, according to a viral post."
    for i in range(40)
)  # well over 256 word pieces: exercises truncation

TEXTS = [
    "Hello world",
    "The election was stolen.",
    "Dead people voted in Michigan, thousands of them!",
    "Dominion voting machines switched votes from Trump to Biden.",
    "Las máquinas de votación cambiaron millones de votos en Arizona.",
    "🗳️🔥 They are hiding the truth!!! 😡😡",
    "#StopTheSteal #Election2020 #VoterFraud",
    "!!!",
    "",
    "BREAKING: Poll workers in Philadelphia caught on video throwing away mail-in "
    "ballots 🚨 Share before this gets deleted!! https://t.co/abc123 @realDonaldTrump",
    "Mail-in ballots are safe and secure; there is no evidence of widespread fraud.",
    LONG,
]


def main() -> None:
    transformer = models.Transformer(str(MODEL_DIR), max_seq_length=256)
    dim_of = getattr(transformer, "get_embedding_dimension", None) or transformer.get_word_embedding_dimension
    pooling = models.Pooling(dim_of(), pooling_mode="mean")
    model = SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu")
    assert model.max_seq_length == 256, model.max_seq_length
    n_tokens = [len(transformer.tokenizer(t)["input_ids"]) for t in TEXTS]
    embeddings = model.encode(TEXTS, batch_size=4, convert_to_numpy=True)
    digest = hashlib.sha256((MODEL_DIR / "model.safetensors").read_bytes()).hexdigest()
    out = {
        "model_sha256": digest,
        "pipeline": "Transformer(max_seq_length=256) + Pooling(mean) + Normalize",
        "items": [
            {"text": t, "tokens_untruncated": n, "embedding": [round(float(x), 6) for x in e]}
            for t, n, e in zip(TEXTS, n_tokens, embeddings)
        ],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(TEXTS)} texts, dim {embeddings.shape[1]}, tokens {n_tokens}")


if __name__ == "__main__":
    main()
