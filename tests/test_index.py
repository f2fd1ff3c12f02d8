"""Index build: manifest, incremental re-ingest, embedding cache, bad files, atomic swap."""

import json

import pytest

from assistant.embed import FakeEmbedder
from assistant.errors import IndexMismatchError, IndexMissingError
from assistant.index import build_index, is_stale, read_manifest
from assistant.retrieve import Retriever


class CountingEmbedder(FakeEmbedder):
    def __init__(self):
        self.calls = 0

    def embed_passages(self, texts):
        self.calls += len(texts)
        return super().embed_passages(texts)


def test_manifest_records_model_chunking_and_hashes(fake_settings):
    report = build_index(fake_settings, FakeEmbedder())
    manifest = read_manifest(fake_settings.index_dir)
    assert manifest["format_version"] == 1
    assert manifest["embedder"] == {"id": "fake/hashed-stems-64", "dim": 64}
    assert manifest["chunking"]["chunk_size"] == fake_settings.chunk_size
    assert set(manifest["files"]) == {p.name for p in fake_settings.corpus_dir.iterdir() if not p.name.endswith(".json")}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())
    assert report.chunks == manifest["chunk_count"] > 20


def test_reingest_embeds_only_new_or_changed_files_and_drops_deleted(fake_settings):
    embedder = CountingEmbedder()
    build_index(fake_settings, embedder)
    first = embedder.calls
    assert not is_stale(fake_settings)

    report = build_index(fake_settings, embedder)
    assert report.up_to_date and embedder.calls == first

    corpus = fake_settings.corpus_dir
    (corpus / "nouveau.txt").write_text("Le contrat local de santé associe l'ARS et le PETR.", encoding="utf-8")
    (corpus / "petr-hautes-alpes-presentation.txt").unlink()
    assert is_stale(fake_settings)
    report = build_index(fake_settings, embedder)
    assert report.files_indexed == ["nouveau.txt"]
    assert report.files_removed == ["petr-hautes-alpes-presentation.txt"]
    assert embedder.calls == first + 2  # only the new file: its single chunk and its single sentence
    sources = {c.doc.source for c in Retriever.from_persist_dir(fake_settings, FakeEmbedder()).chunks}
    assert "nouveau.txt" in sources and "petr-hautes-alpes-presentation.txt" not in sources


def test_embedding_cache_makes_forced_rebuild_free(fake_settings):
    embedder = CountingEmbedder()
    build_index(fake_settings, embedder)
    calls = embedder.calls
    build_index(fake_settings, embedder, force=True)
    assert embedder.calls == calls


def test_bad_files_are_reported_and_the_rest_is_indexed(fake_settings):
    corpus = fake_settings.corpus_dir
    (corpus / "vide.txt").write_bytes(b"")
    (corpus / "faux.pdf").write_bytes(b"%PDF-1.4 garbage")
    (corpus / "photo.jpg").write_bytes(b"\xff\xd8")
    report = build_index(fake_settings, FakeEmbedder())
    reasons = dict(report.skipped)
    assert "vide" in reasons["vide.txt"]
    assert "PDF" in reasons["faux.pdf"]
    assert "non pris en charge" in reasons["photo.jpg"]
    assert len(report.files_indexed) == 5
    assert "faux.pdf" in report.summary()


def test_loading_with_another_embedder_or_chunking_asks_to_reingest(fake_settings):
    build_index(fake_settings, FakeEmbedder())

    class OtherEmbedder(FakeEmbedder):
        model_id = "other/model"

    with pytest.raises(IndexMismatchError, match="ingest"):
        Retriever.from_persist_dir(fake_settings, OtherEmbedder())
    with pytest.raises(IndexMismatchError, match="ingest"):
        Retriever.from_persist_dir(fake_settings.replace(chunk_size=500), FakeEmbedder())
    with pytest.raises(IndexMissingError, match="ingest"):
        Retriever.from_persist_dir(fake_settings.replace(index_dir=fake_settings.index_dir / "nowhere"), FakeEmbedder())


def test_crash_midway_keeps_the_previous_index(fake_settings, monkeypatch):
    build_index(fake_settings, FakeEmbedder())
    before = (fake_settings.index_dir / "manifest.json").read_text()
    (fake_settings.corpus_dir / "nouveau.txt").write_text("Un texte nouveau sur les PNR.", encoding="utf-8")

    import assistant.index as index_module

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(index_module, "build_vector_index", boom)
    with pytest.raises(RuntimeError):
        build_index(fake_settings, FakeEmbedder())
    assert (fake_settings.index_dir / "manifest.json").read_text() == before
    assert not list(fake_settings.index_dir.parent.glob(".index.tmp-*"))
    Retriever.from_persist_dir(fake_settings, FakeEmbedder())  # still loads


def test_empty_corpus_leaves_index_untouched(fake_settings, tmp_path):
    build_index(fake_settings, FakeEmbedder())
    empty = tmp_path / "empty"
    empty.mkdir()
    from assistant.errors import DocumentError

    with pytest.raises(DocumentError, match="aucun document"):
        build_index(fake_settings.replace(corpus_dir=empty), FakeEmbedder())
    assert json.loads((fake_settings.index_dir / "manifest.json").read_text())["chunk_count"] > 0


def test_ingest_embeds_the_answer_sentences_so_ask_does_not(fake_assistant, monkeypatch):
    from assistant.text import unit_texts

    extractor = fake_assistant.extractor
    stored = extractor.stored
    sentences = [t for chunk in fake_assistant.retriever.chunks for t in unit_texts(chunk.text)]
    assert sentences and all(stored.key(t) in stored.vectors for t in sentences)
    calls = []
    embed = extractor.embedder.embed_passages
    monkeypatch.setattr(extractor.embedder, "embed_passages", lambda texts: calls.append(texts) or embed(texts))
    monkeypatch.setattr(extractor, "_cache", {})
    answer = fake_assistant.ask("Un EPCI peut-il appartenir à deux PETR ?")
    assert not answer.abstained and calls == []
