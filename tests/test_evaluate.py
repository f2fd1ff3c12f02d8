"""Eval runner: matching, metrics, report, thresholds, calibration (fast: fake embedder)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.evaluate import (
    CitationCheck,
    EvalItem,
    Evidence,
    ItemResult,
    Ranking,
    answer_metrics,
    check_thresholds,
    compute_metrics,
    contains,
    facts_found,
    first_relevant_rank,
    has_evidence,
    hit_at_k,
    load_evalset,
    ndcg_at_k,
    normalize,
    reciprocal_rank,
    run_eval,
    write_report,
)

ROOT = Path(__file__).resolve().parents[1]
PETR = "petr-hautes-alpes-presentation.txt"
ANPP = "anpp-territoires-de-projet-chiffres-cles.md"
OFFER = "pays-to-petr-consulting-offer-en.txt"

TINY_SET = [
    {"id": "t-001", "question": "Un EPCI peut-il appartenir à deux PETR ?", "turns": None, "answerable": True,
     "evidence": [{"source": PETR, "quote": "Un EPCI à fiscalité propre ne peut appartenir à plus d’un PETR"}],
     "key_facts": [["plus d'un PETR"]], "tags": {"kind": "legal", "doc": "petr", "lang": "fr"}},
    {"id": "t-002", "question": "When was the MAPAM law enacted?", "turns": None, "answerable": True,
     "evidence": [{"source": OFFER, "quote": "enacted on January 27th 2014"}],
     "key_facts": [["2014"]], "tags": {"kind": "figure", "doc": "offer", "lang": "en"}},
    {"id": "t-003", "question": "Quelle loi a introduit les Pays dans la législation ?", "turns": None, "answerable": True,
     "evidence": [{"source": PETR, "quote": "Introduits dans la législation par la loi Pasqua de 1995"}],
     "key_facts": [["1995"], ["Pasqua", "LOADT"]], "tags": {"kind": "legal", "doc": "petr", "lang": "fr"}},
    {"id": "t-004", "question": None, "turns": ["Qu'est-ce qu'un PETR ?", "Et qui l'a créé ?"], "answerable": True,
     "evidence": [{"source": PETR, "quote": "crées par la loi du 27 janvier 2014"}],
     "key_facts": [["2014"]], "tags": {"kind": "followup", "doc": "petr", "lang": "fr"}},
    {"id": "t-005", "question": "Quel est le budget annuel de fonctionnement de l'ANPP ?", "turns": None, "answerable": False,
     "evidence": [], "key_facts": [], "tags": {"kind": "unanswerable", "doc": "none", "lang": "fr"}},
]


@pytest.fixture
def tiny_set(tmp_path) -> Path:
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in TINY_SET) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_run(fake_assistant, tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny") / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in TINY_SET), encoding="utf-8")
    return run_eval(fake_assistant, load_evalset(path), progress=False, meta={"eval_set": str(path)})


# -- matching ---------------------------------------------------------------------------------


def test_normalize_folds_case_accents_apostrophes_punctuation_and_hyphenation():
    assert normalize("L’**Établissement**  public,\n(co-opé-\nration) : œuvre") == "l etablissement public co operation oeuvre"
    assert normalize("Selon l'article L5741-1 CGCT") == normalize("selon l’article L. 5741-1 du CGCT").replace(" du", "")


def test_contains_is_whole_word_and_layout_insensitive():
    assert contains("Ce sont **268 Territoires**, couvrant 62%", "268 territoires, couvrant 62 %")
    assert not contains("1268 territoires", "268")
    assert contains("art. L. 5741-1 du CGCT", "L5741-1")
    assert contains("la co-\nconstruction du projet", "co-construction du projet")  # hyphen that is part of the word
    assert contains("le dévelop-\npement local", "développement local")  # word cut by the layout
    assert not contains("anything", "")


def test_evidence_needs_the_same_source_and_the_quote_in_title_section_or_text():
    evidence = [Evidence(PETR, "ne peut appartenir à plus d'un PETR")]
    text = "Un EPCI à fiscalité propre ne peut appartenir à plus d’un PETR."
    assert has_evidence(PETR, "Titre", "", text, evidence)
    assert not has_evidence(ANPP, "Titre", "", text, evidence)  # right words, wrong document
    assert not has_evidence(PETR, "Titre", "", "Autre chose.", evidence)
    assert has_evidence(PETR, "Titre", "Section ne peut appartenir à plus d'un PETR", "x", evidence)


def test_key_fact_groups_accept_any_alternative():
    answer = "La loi Pasqua de 1995, dite LOADT [1]"
    assert facts_found(answer, [["1995"], ["Voynet", "LOADT"], ["1999"]]) == [True, True, False]
    assert facts_found("Les outils de 1268 communes", [["outil"], ["268"], ["communes"]]) == [True, False, True]


# -- ranking metrics ----------------------------------------------------------------------------


def test_ranking_metrics_on_hand_made_rankings():
    second = [False, True, False, False]
    assert first_relevant_rank(second) == 2
    assert [hit_at_k(second, k) for k in (1, 3, 5, 10)] == [0.0, 1.0, 1.0, 1.0]
    assert reciprocal_rank(second) == 0.5
    assert ndcg_at_k(second, 10, n_relevant=1) == pytest.approx(1 / math.log2(3))

    first_and_third = [True, False, True]
    assert ndcg_at_k(first_and_third, 10, n_relevant=2) == pytest.approx((1 + 0.5) / (1 + 1 / math.log2(3)))
    # two relevant passages exist in the index, only one is found at rank 1: not a perfect score
    assert ndcg_at_k([True, False], 10, n_relevant=2) == pytest.approx(1 / (1 + 1 / math.log2(3)))

    missed = [False] * 10 + [True]  # rank 11 is outside the cut-off
    assert first_relevant_rank(missed) is None
    assert hit_at_k(missed, 10) == 0.0 and reciprocal_rank(missed) == 0.0 and ndcg_at_k(missed) == 0.0


# -- eval set -----------------------------------------------------------------------------------


def test_load_evalset_parses_items_and_rejects_bad_ones(tiny_set, tmp_path):
    items = load_evalset(tiny_set)
    assert [i.id for i in items] == ["t-001", "t-002", "t-003", "t-004", "t-005"]
    assert items[3].scored_question == "Et qui l'a créé ?" and items[3].previous_turns == ["Qu'est-ce qu'un PETR ?"]
    assert load_evalset(tiny_set, limit=2)[-1].id == "t-002"

    bad = tmp_path / "bad.jsonl"
    for line, message in [
        ('{"id": "x", "question": null, "turns": null, "answerable": true}', "question"),
        ('{"question": "q ?", "answerable": true}', "id"),
        ('{"id": "x", "question": "q ?", "answerable": true, "key_facts": [[]]}', "key_facts"),
        ("{not json", "JSON"),
    ]:
        bad.write_text(line + "\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_evalset(bad)
    bad.write_text(json.dumps(TINY_SET[0]) + "\n" + json.dumps(TINY_SET[0]) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="double"):
        load_evalset(bad)


# -- answer metrics on hand-made results ----------------------------------------------------------


def _result(answerable: bool, abstained: bool, cited: list[tuple[bool, bool]], facts: list[bool], rank: int | None = 1) -> ItemResult:
    """A result with citations given as (used, holds evidence) pairs."""
    item = EvalItem(
        id="x", question="q ?", turns=None, answerable=answerable,
        evidence=[Evidence(PETR, "quote words here now")] if answerable else [],
        key_facts=[["a"]] * len(facts), tags={"kind": "k"},
    )
    relevance = [i + 1 == rank for i in range(10)]
    return ItemResult(
        item=item, standalone="q ?", answer="a", abstained=abstained, backend="extractive",
        timings_ms={"retrieve": 1.0, "answer": 2.0, "total": 3.0},
        citations=[CitationCheck(i + 1, PETR, used, ev, "p") for i, (used, ev) in enumerate(cited)],
        closest=[], facts=facts,
        rankings={"product": Ranking(["c"] * 10, [PETR] * 10, ["p"] * 10, relevance)},
        n_relevant=1 if answerable else 0,
    )


def test_answer_metrics_definitions():
    results = [
        _result(True, False, [(True, True), (True, False), (False, True)], [True, True]),  # answered, right
        _result(True, False, [(True, False), (False, False)], [True, False]),  # answered, one fact missing, no evidence cited
        _result(True, True, [], [False]),  # false abstention
        _result(False, True, [], []),  # right abstention
        _result(False, False, [(True, False)], []),  # answered an unanswerable item
    ]
    m = answer_metrics(results)
    assert m["citation_precision"] == pytest.approx(1 / 3, abs=1e-4)  # used citations of answerable items: 3, one holds evidence
    assert m["citation_recall"] == pytest.approx(1 / 3, abs=1e-4)  # any returned citation with evidence: item 1 only
    assert m["key_fact_accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["key_fact_accuracy_answered"] == pytest.approx(1 / 2, abs=1e-4)
    assert m["key_fact_rate"] == pytest.approx(3 / 5, abs=1e-4)
    assert m["abstention_precision"] == pytest.approx(1 / 2, abs=1e-4)
    assert m["abstention_recall"] == pytest.approx(1 / 2, abs=1e-4)
    assert m["false_abstention_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["answer_rate_answerable"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["pass_rate"] == pytest.approx(2 / 5, abs=1e-4)
    assert results[1].failed_checks() == ["a citation holds evidence", "missing key facts: a"]
    assert answer_metrics([_result(True, False, [(True, True)], [True])])["abstention_precision"] is None  # nothing abstained


# -- the runner and the report ------------------------------------------------------------------


def test_run_eval_scores_every_system_and_keeps_the_product_path(tiny_run):
    results = {r.item.id: r for r in tiny_run.results}
    assert set(results) == {"t-001", "t-002", "t-003", "t-004", "t-005"}
    assert [s.name for s in tiny_run.systems] == ["product", "bm25", "dense", "llamaindex"]
    for result in results.values():
        assert set(result.rankings) == {"product", "bm25", "dense", "llamaindex"}
        assert set(result.timings_ms) == {"retrieve", "answer", "total"}
        assert all(len(r.chunk_ids) <= 10 for r in result.rankings.values())
    follow_up = results["t-004"]
    assert follow_up.standalone != "Et qui l'a créé ?" and "PETR" in follow_up.standalone  # condensed with the first turn
    assert results["t-001"].n_relevant >= 1 and results["t-001"].rankings["bm25"].first_rank == 1
    assert not tiny_run.warnings


def test_replayed_query_vectors_give_the_rankings_a_fresh_retrieve_gives(fake_assistant, tiny_run):
    retriever = fake_assistant.retriever
    assert type(retriever.embedder).__name__ == "FakeEmbedder"  # the eval's memo was taken off again
    for result in tiny_run.results:
        for mode, name in (("hybrid", "product"), ("sparse", "bm25"), ("dense", "dense")):
            fresh = [h.chunk.id for h in retriever.retrieve(result.standalone, top_k=10, mode=mode)]
            assert result.rankings[name].chunk_ids == fresh


def test_report_files_and_markdown_tables(tiny_run, tmp_path):
    metrics = write_report(tiny_run, tmp_path / "report")
    for name in ("report.md", "metrics.json", "plot.png"):
        assert (tmp_path / "report" / name).stat().st_size > 0
    assert (tmp_path / "report" / "plot.png").read_bytes()[:4] == b"\x89PNG"
    saved = json.loads((tmp_path / "report" / "metrics.json").read_text(encoding="utf-8"))
    assert saved["counts"] == metrics["counts"] and saved["counts"]["items"] == 5 and saved["counts"]["two_turn"] == 1
    assert set(saved["systems"]) == {"product", "bm25", "dense", "llamaindex"}
    assert set(saved["by_tag"]) == {"kind", "doc", "lang"}
    for key in ("hit@5", "mrr@10", "citation_recall", "key_fact_accuracy", "abstention_recall", "answer_rate_answerable"):
        assert key in saved["summary"]
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "| metric | Product (hybrid) | BM25 only | Dense only | LlamaIndex default |" in md
    assert "| hit@5 |" in md and "| MRR@10 |" in md and "| nDCG@10 |" in md
    assert "## What the metrics mean" in md and "### kind" in md and "### doc" in md and "### lang" in md
    assert "## Failed items" in md and "## All items" in md and "plot.png" in md
    for failed in (r for r in tiny_run.results if not r.passed):
        assert f"### {failed.item.id}" in md  # every failure is listed with what was retrieved


def test_compute_metrics_product_citation_recall_comes_from_real_citations(tiny_run):
    metrics = compute_metrics(tiny_run)
    assert metrics["systems"]["product"]["citation_recall"] == metrics["answer"]["citation_recall"]
    assert metrics["failures"] == [r.item.id for r in tiny_run.results if not r.passed]


# -- thresholds (CI gate) -------------------------------------------------------------------------


def test_check_thresholds_lists_each_metric_below_its_minimum():
    metrics = {"summary": {"hit@5": 0.9, "mrr@10": 0.5, "abstention_precision": None, "false_abstention_rate": 0.3}}
    assert check_thresholds(metrics, {"min": {"hit@5": 0.85}}) == []
    failures = check_thresholds(metrics, {"min": {"hit@5": 0.95, "mrr@10": 0.5, "abstention_precision": 0.5, "nope": 1}, "max": {"false_abstention_rate": 0.2}})
    assert len(failures) == 4
    assert failures[0].startswith("hit@5 = 0.900 is below the minimum 0.950")
    assert any("abstention_precision: not measured" in f for f in failures)
    assert any("nope: not measured" in f for f in failures)
    assert any("false_abstention_rate = 0.300 is above the maximum 0.200" in f for f in failures)
    assert check_thresholds({"hit@5": 0.5}, {"hit@5": 0.6}) == ["hit@5 = 0.500 is below the minimum 0.600"]  # flat forms


def test_thresholds_file_names_metrics_the_runner_produces(tiny_run):
    thresholds = json.loads((ROOT / "evals" / "thresholds.json").read_text(encoding="utf-8"))
    summary = compute_metrics(tiny_run)["summary"]
    assert thresholds["min"] and set(thresholds["min"]) <= set(summary)


def test_gate_fails_when_retrieval_is_broken(fake_assistant, tiny_set, monkeypatch):
    items = load_evalset(tiny_set)
    honest = compute_metrics(run_eval(fake_assistant, items, baselines=False, progress=False))["summary"]
    keys = [k for k in ("hit@1", "hit@5", "mrr@10", "ndcg@10", "citation_recall") if honest[k] and honest[k] > 0.3]
    assert keys, honest
    thresholds = {"min": {k: round(honest[k] - 0.02, 3) for k in keys}}
    assert check_thresholds(honest, thresholds) == []

    retriever = fake_assistant.retriever
    original = retriever.retrieve

    def worst_first(question, top_k=None, filters=None, mode="hybrid"):
        everything = original(question, top_k=len(retriever.chunks), filters=filters, mode=mode)
        return list(reversed(everything))[: top_k or 5]

    monkeypatch.setattr(retriever, "retrieve", worst_first)
    broken = compute_metrics(run_eval(fake_assistant, items, baselines=False, progress=False))
    failures = check_thresholds(broken, thresholds)
    assert {f.split(" ")[0] for f in failures} == set(keys), failures


# -- calibration ----------------------------------------------------------------------------------


def _group(id_, answerable, rows, labels, key_facts=()):
    """An ItemUnits whose units have the given feature rows (dicts of FEATURES) and evidence labels."""
    from assistant.answer import FEATURES, Question, Unit
    from assistant.calibrate import ItemUnits

    units = [Unit(0, i * 10, i * 10 + 5, f"unit {i}", features={n: float(r.get(n, 0.0)) for n in FEATURES}) for i, r in enumerate(rows)]
    features = [[u.features[n] for n in FEATURES] for u in units]
    import numpy as np

    return ItemUnits(id_, answerable, Question.parse("Qui pilote le PETR ?", "fr"), units, np.array(labels, float),
                     np.array(features, float), [list(f) for f in key_facts])


def test_fit_weights_learns_which_features_mark_the_evidence():
    from assistant.answer import FEATURES
    from assistant.calibrate import fit_weights

    # the evidence unit always has the higher coverage; similarity is noise
    groups = [
        _group(f"i{i}", True, [{"coverage": 0.9, "similarity": 0.2 + 0.1 * (i % 3)}, {"coverage": 0.1, "similarity": 0.5}], [1, 0])
        for i in range(6)
    ]
    weights = dict(zip(FEATURES, fit_weights(groups)))
    assert weights["coverage"] > 1.0 > abs(weights["similarity"])


def test_choose_threshold_abstains_where_it_handles_the_most_items_right(fake_assistant):
    from assistant.calibrate import _model, choose_threshold
    import numpy as np
    from assistant.answer import FEATURES

    weights = np.array([1.0 if n == "coverage" else 0.0 for n in FEATURES])
    groups = [
        _group("a1", True, [{"coverage": 0.9, "novelty": 1}], [1]),
        _group("a2", True, [{"coverage": 0.6, "novelty": 1}], [1]),
        _group("a3", True, [{"coverage": 0.2, "novelty": 1}], [1]),  # answering it means answering u1 too
        _group("u1", False, [{"coverage": 0.3, "novelty": 1}], [0]),
        _group("u2", False, [{"coverage": 0.1, "novelty": 1}], [0]),
    ]
    threshold, table = choose_threshold(groups, _model(weights), fake_assistant.extractor)
    # a1, a2 answered; u1, u2 abstained (missing u1 would cost double); halfway between u1 and a2
    assert threshold == 0.45
    row = next(r for r in table if r["min_score"] >= threshold)  # the counts the threshold gives
    assert (row["answerable_answered"], row["unanswerable_abstained"]) == (2, 2)


def test_choose_threshold_keeps_an_unanswerable_item_below_it_whatever_its_rounding(fake_assistant):
    from assistant.calibrate import _model, choose_threshold
    import numpy as np
    from assistant.answer import FEATURES

    weights = np.array([1.0 if n == "coverage" else 0.0 for n in FEATURES])
    groups = [
        _group("a1", True, [{"coverage": 0.9, "novelty": 1}], [1]),
        _group("a2", True, [{"coverage": 0.6, "novelty": 1}], [1]),
        _group("u1", False, [{"coverage": 0.4951, "novelty": 1}], [0]),  # 0.50 once rounded
        _group("u2", False, [{"coverage": 0.2, "novelty": 1}], [0]),
    ]
    threshold, _ = choose_threshold(groups, _model(weights), fake_assistant.extractor)
    assert 0.4951 < threshold <= 0.6


def test_off_topic_gate_refuses_no_answerable_item_and_sits_just_above_the_caught_ones(fake_assistant):
    from assistant.calibrate import _model, choose_similarity_floor
    import numpy as np
    from assistant.answer import FEATURES

    weights = np.array([1.0 if n == "coverage" else 0.0 for n in FEATURES])
    groups = [
        _group("a1", True, [{"coverage": 0.9, "similarity": 0.9, "novelty": 1}], [1]),
        _group("a2", True, [{"coverage": 0.5, "similarity": 0.5, "novelty": 1}], [1]),
        _group("u1", False, [{"coverage": 0.4, "similarity": 0.2, "novelty": 1}], [0]),
        _group("u2", False, [{"coverage": 0.4, "similarity": 0.3, "novelty": 1}], [0]),
        _group("u4", False, [{"coverage": 0.4, "similarity": 0.47, "novelty": 1}], [0]),  # within the margin of a2
        _group("u3", False, [{"coverage": 0.4, "similarity": 0.7, "novelty": 1}], [0]),  # closer than a2: left to the other rules
    ]
    floor, row = choose_similarity_floor(groups, _model(weights), fake_assistant.extractor, across_languages=False)
    assert floor == 0.31 and (row["unanswerable_caught"], row["answerable_refused"]) == (2, 0)
    assert choose_similarity_floor(groups, _model(weights), fake_assistant.extractor, across_languages=True)[0] == 0.0


def test_calibrate_fits_a_model_the_assistant_can_load(fake_assistant, tiny_set, tmp_path):
    from assistant.answer import AnswerModel
    from assistant.calibrate import calibrate, write_calibration

    result = calibrate(fake_assistant, load_evalset(tiny_set), progress=False)
    path = write_calibration(result, tmp_path)
    model = AnswerModel.load(path)
    assert set(model.weights) and model.meta["items"] == 5 and model.meta["unanswerable"] == 1
    assert 0 <= model.meta["best_unit_holds_evidence_cross_validated"] <= 1
    assert (tmp_path / "calibration.json").exists()


# -- CLI -------------------------------------------------------------------------------------------


def _cli(*args):
    env = {**os.environ, "ASSISTANT_EMBEDDER": "fake", "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_cli_eval_smoke(fake_index, tiny_set, tmp_path):
    report = tmp_path / "report"
    result = _cli("eval", "--set", str(tiny_set), "--index", str(fake_index.index_dir), "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert "Report:" in result.stdout and "hit@5" in result.stdout
    assert {p.name for p in report.iterdir()} >= {"report.md", "metrics.json", "plot.png"}

    impossible = tmp_path / "thresholds.json"
    impossible.write_text(json.dumps({"min": {"hit@1": 1.01}}), encoding="utf-8")
    result = _cli("eval", "--set", str(tiny_set), "--index", str(fake_index.index_dir), "--report", str(report),
                  "--no-baselines", "--limit", "2", "--check-thresholds", str(impossible))
    assert result.returncode == 1
    assert "hit@1" in result.stderr and "below the minimum" in result.stderr
    assert json.loads((report / "metrics.json").read_text(encoding="utf-8"))["counts"]["items"] == 2

    result = _cli("eval", "--set", str(tiny_set), "--index", str(fake_index.index_dir), "--report", str(report), "--calibrate")
    assert result.returncode == 0, result.stderr
    assert "Abstention threshold" in result.stdout and (report / "answer_model.json").exists()

    result = _cli("eval", "--set", str(tmp_path / "missing.jsonl"), "--index", str(fake_index.index_dir))
    assert result.returncode == 2 and "introuvable" in result.stderr and "Traceback" not in result.stderr
