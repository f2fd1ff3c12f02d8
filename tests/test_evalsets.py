"""The eval set and the held-out set pass their own checker (schema, quotes found in the corpus)."""

import importlib.util
from pathlib import Path

EVALS = Path(__file__).resolve().parents[1] / "evals"


def _checker():
    spec = importlib.util.spec_from_file_location("check_set", EVALS / "check_set.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_eval_set_is_valid(capsys):
    assert _checker().check(EVALS / "evalset.jsonl") == 0, capsys.readouterr().out


def test_held_out_sets_are_valid(capsys):
    for name in ("holdout.jsonl", *(f"holdout{n}.jsonl" for n in range(2, 148))):
        assert _checker().check(EVALS / name, minimums=False) == 0, (name, capsys.readouterr().out)
