"""SQuAD/FQuAD importer: corpus documents + eval items an evaluator can run with two commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.evaluate import load_evalset
from assistant.squad import import_squad, slugify

ROOT = Path(__file__).resolve().parents[1]

SQUAD = {
    "version": "1.1",
    "data": [
        {
            "title": "Pôle d'équilibre territorial et rural",
            "paragraphs": [
                {
                    "context": "Le pôle d'équilibre territorial et rural (PETR) a été créé par la loi MAPAM du 27 janvier 2014. "
                    "Un EPCI à fiscalité propre ne peut appartenir à plus d'un PETR.",
                    "qas": [
                        {"id": "q1", "question": "Quelle loi a créé les PETR ?", "answers": [{"text": "la loi MAPAM", "answer_start": 56}]},
                        {"id": "q2", "question": "Un EPCI peut-il appartenir à deux PETR ?",
                         "answers": [{"text": "ne peut appartenir à plus d'un PETR", "answer_start": 125}, {"text": "plus d'un PETR", "answer_start": 146}]},
                    ],
                },
                {
                    "context": "Le PETR élabore un projet de territoire dans les douze mois suivant sa mise en place.",
                    "qas": [
                        {"id": "q3", "question": "In how many months must a PETR adopt its territorial project?",
                         "answers": [{"text": "douze mois", "answer_start": 51}]},
                        {"id": "q4", "question": "Quel est le budget du PETR ?", "answers": [], "is_impossible": True},
                    ],
                },
            ],
        },
        {
            "title": "Les Pays / loi Voynet",
            "paragraphs": [
                {
                    "context": "Les Pays ont été généralisés par la loi Voynet en 1999, après la loi Pasqua de 1995.",
                    "qas": [{"id": "q5", "question": "En quelle année la loi Voynet a-t-elle généralisé les Pays ?",
                             "answers": [{"text": "1999", "answer_start": 49}]}],
                }
            ],
        },
    ],
}


@pytest.fixture
def squad_file(tmp_path) -> Path:
    path = tmp_path / "mini-fquad.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    return path


def test_slugify_gives_safe_file_names():
    assert slugify("Pôle d'équilibre / PETR : œuvre") == "pole-d-equilibre-petr-oeuvre"
    assert slugify("../../etc") == "etc"
    assert slugify("???") == "document"
    assert len(slugify("mot " * 100)) <= 60


def test_import_writes_one_document_per_context_and_one_item_per_question(squad_file, tmp_path):
    report = import_squad(squad_file, tmp_path / "corpus", tmp_path / "set.jsonl")
    assert (report.documents, report.questions, report.unanswerable) == (3, 5, 1)
    texts = sorted(p.name for p in (tmp_path / "corpus").glob("*.txt"))
    assert texts == ["les-pays-loi-voynet-1.txt", "pole-d-equilibre-territorial-et-rural-1.txt", "pole-d-equilibre-territorial-et-rural-2.txt"]
    sidecar = json.loads((tmp_path / "corpus" / "les-pays-loi-voynet-1.txt.meta.json").read_text(encoding="utf-8"))
    assert sidecar == {"title": "Les Pays / loi Voynet", "doc_type": "fiche", "date": None, "language": "fr", "source": "mini-fquad.json"}

    items = {item.id: item for item in load_evalset(tmp_path / "set.jsonl")}  # the runner reads what the importer writes
    assert set(items) == {"squad-q1", "squad-q2", "squad-q3", "squad-q4", "squad-q5"}
    q2 = items["squad-q2"]
    assert q2.answerable and q2.key_facts == [["ne peut appartenir à plus d'un PETR", "plus d'un PETR"]]
    assert {e.source for e in q2.evidence} == {"pole-d-equilibre-territorial-et-rural-1.txt"}
    assert items["squad-q3"].tags == {"kind": "external", "doc": "squad", "lang": "en"}
    assert items["squad-q5"].tags["lang"] == "fr"
    impossible = items["squad-q4"]
    assert not impossible.answerable and impossible.evidence == [] and impossible.key_facts == []

    # Importing again rewrites the same files instead of adding copies.
    import_squad(squad_file, tmp_path / "corpus", tmp_path / "set.jsonl")
    assert len(list((tmp_path / "corpus").glob("*.txt"))) == 3


def test_same_titles_get_unique_names_and_limit_caps_questions(tmp_path):
    data = {"data": [{"title": "Même titre", "paragraphs": [{"context": "Texte A.", "qas": [{"id": "a", "question": "A ?", "answers": [{"text": "A", "answer_start": 6}]}]}]},
                     {"title": "Meme titre!", "paragraphs": [{"context": "Texte B.", "qas": [{"id": "a", "question": "B ?", "answers": [{"text": "B", "answer_start": 6}]}]}]}]}
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = import_squad(path, tmp_path / "c", tmp_path / "s.jsonl")
    assert sorted(p.name for p in (tmp_path / "c").glob("*.txt")) == ["meme-titre-1-2.txt", "meme-titre-1.txt"]
    assert [json.loads(line)["id"] for line in (tmp_path / "s.jsonl").read_text().splitlines()] == ["squad-a", "squad-a-2"]
    assert report.questions == 2
    assert import_squad(path, tmp_path / "c2", tmp_path / "s2.jsonl", limit=1).questions == 1


def test_not_a_squad_file_is_a_clear_error(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"questions": []}', encoding="utf-8")
    with pytest.raises(ConfigError, match="SQuAD"):
        import_squad(path, tmp_path / "c", tmp_path / "s.jsonl")


def test_import_ingest_eval_as_an_evaluator_would(squad_file, tmp_path):
    env = {**os.environ, "ASSISTANT_EMBEDDER": "fake", "HF_HUB_OFFLINE": "1"}

    def cli(*args):
        result = subprocess.run([sys.executable, "-m", "assistant", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result

    out = cli("import-squad", str(squad_file), "--corpus", "squad_corpus", "--set", "squad.jsonl")
    assert "3 document(s)" in out.stdout and "python -m assistant ingest" in out.stdout
    cli("ingest", "squad_corpus", "--index", "squad_index")
    out = cli("eval", "--set", "squad.jsonl", "--index", "squad_index", "--report", "report")
    assert "5 items (4 answerable, 1 unanswerable)" in out.stdout
    metrics = json.loads((tmp_path / "report" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["warnings"] == []  # every answer span was found in an indexed passage of its document
    assert metrics["meta"]["corpus_dir"] == "squad_corpus"  # taken from the index manifest
    assert metrics["systems"]["bm25"]["hit@10"] == 1.0  # 3 documents: every evidence passage is in the top 10
