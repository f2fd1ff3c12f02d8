"""The Streamlit app's logic through Streamlit's AppTest (no browser), over fake-embedder indexes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant.export import CLOSEST_LABEL, conversation_markdown
from assistant.pipeline import ingest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SEED = "Un EPCI peut-il appartenir à deux PETR ?"
OFF_TOPIC = "Quelle est la recette de la tarte tatin ?"
NOTE = (
    "Note sur les contrats de réciprocité\n\n"
    "Le contrat de réciprocité ville-campagne organise la coopération entre une métropole et les "
    "territoires ruraux voisins, autour de projets communs.\n"
).encode("utf-8")


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def use_settings(monkeypatch, settings) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "fake")
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(settings.index_dir))
    for name in ("ASSISTANT_USE_LLM", "ASSISTANT_LLM_BASE_URL", "ASSISTANT_LLM_MODEL", "ASSISTANT_TOP_K",
                 "ASSISTANT_MAX_UPLOAD_MB", "ASSISTANT_CHUNK_SIZE", "ASSISTANT_CHUNK_OVERLAP"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def app(monkeypatch, fake_index) -> AppTest:
    """The app over the shared, read-only seed index (questions only, no index change)."""
    use_settings(monkeypatch, fake_index)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def writable_app(monkeypatch, fake_settings):
    """The app over a private copy of the corpus and its own index (uploads, rebuilds)."""
    ingest(fake_settings)
    use_settings(monkeypatch, fake_settings)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at, fake_settings


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def markdowns(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def citation_titles(at: AppTest) -> list[str]:
    return [m for m in markdowns(at) if m.startswith("**[")]


# -- questions ---------------------------------------------------------------------------------


def test_empty_state_shows_examples_and_index_status(app):
    assert app.title[0].value == "Assistant coopération territoriale"
    labels = [b.label for b in app.button]
    for example in ("Qu'est-ce qu'une convention d'articulation ?", SEED, "Quand la loi MAPAM a-t-elle créé les PETR ?"):
        assert example in labels
    assert metric(app, "Documents") == "5" and int(metric(app, "Passages")) > 5
    assert any("fake/hashed-stems" in c for c in captions(app))
    assert not app.chat_message and not app.chat_input[0].disabled
    assert button(app, "Nouvelle conversation").disabled


def test_example_button_asks_it_and_shows_answer_with_sources(app):
    button(app, SEED).click().run()
    assert not app.exception
    assert [m.name for m in app.chat_message] == ["user", "assistant"]
    texts = markdowns(app)
    assert SEED in texts
    answer = next(t for t in texts if "ne peut appartenir à plus d’un PETR" in t)
    n = re.search(r"ne peut appartenir à plus d’un PETR\. \[(\d)\]", answer).group(1)
    assert any(e.label.startswith("Sources (") for e in app.expander)
    assert any(t.startswith(f"**[{n}] Le PETR : outil de coopération des EPCI") for t in texts)
    passages = [t for t in texts if t.startswith('<div class="passage">')]
    assert passages and any("<mark>Un EPCI à fiscalité propre ne peut appartenir à plus d’un PETR.</mark>" in p for p in passages)
    assert any("Réponse extractive" in c for c in captions(app))
    assert any("petr-hautes-alpes-presentation.txt" in c for c in captions(app))
    assert SEED not in [b.label for b in app.button]  # examples only on an empty conversation


def test_passages_are_html_escaped(app):
    ask(app, "Qu'est-ce qu'un PETR ?")
    for passage in (t for t in markdowns(app) if t.startswith('<div class="passage">')):
        body = passage.replace("<mark>", "").replace("</mark>", "").replace("<br>", "")
        body = body[len('<div class="passage">'):-len("</div>")]
        assert "<" not in body and ">" not in body and "'" not in body


def test_abstention_says_so_and_shows_closest_passages_labelled(app):
    ask(app, OFF_TOPIC)
    assert any("Je ne trouve pas la réponse" in t for t in markdowns(app))
    assert any("ne contient pas de réponse" in i.value for i in app.info)
    labels = [e.label for e in app.expander]
    assert CLOSEST_LABEL in labels and not any(label.startswith("Sources (") for label in labels)
    assert citation_titles(app)  # the closest passages themselves are shown


def test_follow_up_question_is_rewritten_with_the_conversation(app):
    ask(app, "Qu'est-ce qu'un PETR ?")
    ask(app, "Et pour les CRTE ?")
    assert "Question comprise : Qu'est-ce qu'un CRTE ?" in captions(app)
    assert [m.name for m in app.chat_message] == ["user", "assistant"] * 2
    turns = app.session_state["turns"]
    assert turns[1].standalone_question == "Qu'est-ce qu'un CRTE ?"


def test_english_question_is_answered_in_english(app):
    ask(app, "What is a PETR?")
    answer = app.session_state["turns"][0]
    assert answer.language == "en" and not answer.abstained
    assert any("PETR" in t and "[" in t for t in markdowns(app))


def test_filters_restrict_the_sources(app):
    app.multiselect(key="filter_years").set_value([2021]).run()
    ask(app, "Qu'est-ce qu'un PETR ?")
    titles = citation_titles(app)
    assert titles and all("Accord de partenariat État-ANPP" in t for t in titles)

    app.multiselect(key="filter_years").set_value([])
    app.multiselect(key="filter_sources").set_value(["petr-hautes-alpes-presentation.txt"]).run()
    ask(app, SEED)
    answer = app.session_state["turns"][-1]
    assert answer.citations and {c.source for c in answer.citations} == {"petr-hautes-alpes-presentation.txt"}


def test_type_filter_and_top_k(app):
    app.multiselect(key="filter_types").set_value(["accord"])
    app.slider(key="top_k").set_value(2).run()
    ask(app, "Qu'est-ce qu'un PETR ?")
    answer = app.session_state["turns"][-1]
    shown = answer.citations or answer.closest
    assert 0 < len(shown) <= 2 and {c.doc_type for c in shown} == {"accord"}


def test_open_a_source_in_full(app):
    ask(app, SEED)
    app.toggle[0].set_value(True).run()
    assert not app.exception
    documents = [t for t in markdowns(app) if t.startswith('<div class="document">')]
    assert len(documents) == 1 and '<span class="cited">' in documents[0]
    labels = [b.label for b in app.get("download_button")]
    assert "Télécharger le fichier original" in labels


def test_export_and_new_conversation(app):
    ask(app, SEED)
    ask(app, OFF_TOPIC)
    export = next(b for b in app.get("download_button") if b.label == "Exporter la conversation (Markdown)")
    assert not export.proto.disabled
    md = conversation_markdown(app.session_state["turns"])
    assert f"## Question 1 : {SEED}" in md and f"## Question 2 : {OFF_TOPIC}" in md
    assert "### Sources" in md and CLOSEST_LABEL in md

    button(app, "Nouvelle conversation").click().run()
    assert not app.chat_message and SEED in [b.label for b in app.button]


# -- index and uploads -------------------------------------------------------------------------


def test_upload_adds_and_indexes_a_document(writable_app):
    at, settings = writable_app
    at.file_uploader[0].set_value(("Note réciprocité.txt", NOTE, "text/plain")).run()
    button(at, "Ajouter au corpus et indexer").click().run()
    assert not at.exception
    assert any("« Note-reciprocite.txt » ajouté au corpus et indexé" in s.value for s in at.success)
    assert metric(at, "Documents") == "6"
    assert (settings.corpus_dir / "Note-reciprocite.txt").read_bytes() == NOTE
    ask(at, "Qu'est-ce qu'un contrat de réciprocité ville-campagne ?")
    assert any(c.source == "Note-reciprocite.txt" for c in at.session_state["turns"][-1].citations)


def test_bad_upload_shows_the_reason_and_changes_nothing(writable_app):
    at, settings = writable_app
    before = sorted(p.name for p in settings.corpus_dir.iterdir())
    at.file_uploader[0].set_value(("rapport.pdf", b"%PDF-1.4 pas vraiment un PDF", "application/pdf")).run()
    button(at, "Ajouter au corpus et indexer").click().run()
    assert not at.exception
    assert any("ne peut pas être indexé" in e.value and "PDF illisible" in e.value for e in at.error)
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == before
    assert metric(at, "Documents") == "5"


def test_upload_refuses_to_overwrite_without_confirmation(writable_app):
    at, settings = writable_app
    target = settings.corpus_dir / "petr-hautes-alpes-presentation.txt"
    original = target.read_bytes()
    at.file_uploader[0].set_value(("petr-hautes-alpes-presentation.txt", NOTE, "text/plain")).run()
    button(at, "Ajouter au corpus et indexer").click().run()
    assert any("existe déjà" in e.value for e in at.error)
    assert target.read_bytes() == original

    at.checkbox(key="replace_existing").check().run()
    button(at, "Ajouter au corpus et indexer").click().run()
    assert any("remplacé dans le corpus et indexé" in s.value for s in at.success)
    assert target.read_bytes() == NOTE and metric(at, "Documents") == "5"


def test_upload_with_a_traversal_name_stays_in_the_corpus(writable_app, tmp_path):
    at, settings = writable_app
    at.file_uploader[0].set_value(("../../evasion.txt", NOTE, "text/plain")).run()
    button(at, "Ajouter au corpus et indexer").click().run()
    assert (settings.corpus_dir / "evasion.txt").is_file()
    assert not (tmp_path / "evasion.txt").exists() and not (tmp_path.parent / "evasion.txt").exists()


def test_oversize_upload_is_refused(monkeypatch, writable_app):
    at, settings = writable_app
    monkeypatch.setenv("ASSISTANT_MAX_UPLOAD_MB", "1")
    at.run()
    at.file_uploader[0].set_value(("gros.txt", b"mot " * 300_000, "text/plain")).run()
    button(at, "Ajouter au corpus et indexer").click().run()
    assert any("trop volumineux" in e.value for e in at.error)
    assert not (settings.corpus_dir / "gros.txt").exists()


def test_rebuild_index_shows_the_summary(writable_app):
    at, settings = writable_app
    (settings.corpus_dir / "nouveau.md").write_text("# Nouveau\n\nUn PETR peut signer un contrat de réciprocité.\n", encoding="utf-8")
    st.cache_data.clear()  # the stale check is cached for a few seconds
    at.run()
    assert any("reconstruisez l'index" in w.value for w in at.warning)  # stale corpus
    button(at, "Reconstruire l'index").click().run()
    assert not at.exception
    assert any(s.value == "Index reconstruit." for s in at.success)
    assert any("6 document(s) dans l'index (1 nouveau(x)" in c for c in captions(at))
    assert metric(at, "Documents") == "6"
    assert not any("reconstruisez l'index" in w.value for w in at.warning)


def test_missing_index_is_explained_and_can_be_built(monkeypatch, fake_settings):
    use_settings(monkeypatch, fake_settings)  # no ingest: the index folder does not exist
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("Aucun index" in i.value for i in at.info)
    assert at.chat_input[0].disabled and not at.metric
    button(at, "Reconstruire l'index").click().run()
    assert metric(at, "Documents") == "5" and not at.chat_input[0].disabled


def test_index_built_with_another_embedder_is_explained(monkeypatch, fake_index):
    use_settings(monkeypatch, fake_index)
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "sentence-transformers:/nonexistent-model")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert at.chat_input[0].disabled
    assert any("introuvable" in w.value or "Reconstruire" in w.value for w in at.warning)


def test_index_built_with_other_settings_is_explained(monkeypatch, fake_index):
    use_settings(monkeypatch, fake_index)
    monkeypatch.setenv("ASSISTANT_CHUNK_SIZE", "500")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert at.chat_input[0].disabled
    assert any("autre modèle ou d'autres réglages" in i.value for i in at.info)


# -- generated answers (scripted OpenAI-compatible server on loopback) --------------------------


@pytest.fixture
def llm_server():
    from fake_llm_server import FakeLLMServer

    with FakeLLMServer() as server:
        yield server


def use_llm(monkeypatch, server, model: str, default_on: bool = True) -> None:
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", model)
    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT_S", "5")
    monkeypatch.setenv("ASSISTANT_USE_LLM", "1" if default_on else "0")


def test_llm_answer_is_streamed_checked_and_labelled(monkeypatch, fake_index, llm_server):
    from fake_llm_server import INVENTED

    use_settings(monkeypatch, fake_index)
    use_llm(monkeypatch, llm_server, "unsupported")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert at.toggle(key="use_llm").value is True
    ask(at, SEED)
    answer = at.session_state["turns"][-1]
    assert answer.backend == "llm:unsupported" and answer.removed_sentences
    request = [r for r in llm_server.requests if "<passage" in json_dumps(r["body"])][-1]
    assert request["body"]["stream"] is True  # tokens were streamed to the page
    assert not any(INVENTED in t for t in markdowns(at) if not t.startswith("- ~~"))  # checked text only
    assert any("Réponse générée par le modèle unsupported" in c for c in captions(at))
    assert any("retirée" in i.value for i in at.info)  # the notice
    assert any(e.label.startswith("Phrases retirées") for e in at.expander)
    assert any(INVENTED in t for t in markdowns(at) if t.startswith("- ~~"))


def test_llm_can_be_switched_off_and_failures_fall_back(monkeypatch, fake_index, llm_server):
    use_settings(monkeypatch, fake_index)
    use_llm(monkeypatch, llm_server, "error-503")
    at = AppTest.from_file(APP, default_timeout=120).run()
    ask(at, SEED)
    failed = at.session_state["turns"][-1]
    assert failed.backend == "extractive" and failed.notice and not failed.abstained
    assert any(failed.notice.replace("$", "\\$") == i.value for i in at.info)

    at.toggle(key="use_llm").set_value(False).run()
    n_requests = len(llm_server.requests)
    ask(at, "Qu'est-ce qu'un PETR ?")
    assert at.session_state["turns"][-1].backend == "extractive"
    assert len(llm_server.requests) == n_requests  # no call to the LLM at all


def test_no_llm_toggle_without_configuration(app):
    assert not [t for t in app.toggle if t.label == "Réponse rédigée par le LLM"]


def json_dumps(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


# -- several users ------------------------------------------------------------------------------


def test_sessions_share_the_assistant_but_not_the_conversation(monkeypatch, fake_index):
    from assistant.pipeline import Assistant

    loads = []
    original = Assistant.from_settings.__func__

    def counting(cls, settings=None, embedder=None):
        loads.append(settings)
        return original(cls, settings, embedder)

    monkeypatch.setattr(Assistant, "from_settings", classmethod(counting))
    use_settings(monkeypatch, fake_index)
    alice = AppTest.from_file(APP, default_timeout=120).run()
    bob = AppTest.from_file(APP, default_timeout=120).run()
    ask(alice, SEED)
    ask(bob, OFF_TOPIC)
    ask(alice, "Et pour les CRTE ?")
    assert len(loads) == 1  # one index + model load for the whole process
    assert [t.question for t in alice.session_state["turns"]] == [SEED, "Et pour les CRTE ?"]
    assert [t.question for t in bob.session_state["turns"]] == [OFF_TOPIC]
