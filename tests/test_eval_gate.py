"""CI gate: the product, with the real default embedder, must keep its eval-set figures.

Runs the whole eval set (evals/evalset.jsonl) through `Assistant.ask` on a fresh index of the
seed corpus and compares the product's metrics with the minimums in evals/thresholds.json.
Baselines are skipped: they describe alternatives, not the product. Raise the thresholds when the
product improves; a failure lists every metric that dropped below its minimum.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluate import check_thresholds, load_evalset, load_thresholds, run_eval, write_report

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
EVALSET = ROOT / "evals" / "evalset.jsonl"
THRESHOLDS = ROOT / "evals" / "thresholds.json"


def test_product_meets_eval_thresholds(real_assistant, tmp_path):
    if not EVALSET.exists():
        pytest.skip(f"{EVALSET} is missing")
    items = load_evalset(EVALSET)
    run = run_eval(real_assistant, items, baselines=False, progress=False, meta={"eval_set": str(EVALSET)})
    report_dir = tmp_path / "report"
    metrics = write_report(run, report_dir)  # kept for inspection when the gate fails
    failures = check_thresholds(metrics, load_thresholds(THRESHOLDS))
    assert not run.warnings, "eval set problems:\n" + "\n".join(run.warnings)
    assert not failures, (
        f"{len(failures)} eval metric(s) below the thresholds of {THRESHOLDS.relative_to(ROOT)}:\n  - "
        + "\n  - ".join(failures)
        + f"\nFull report: {report_dir / 'report.md'}"
    )
