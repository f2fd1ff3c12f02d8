"""Index: embeddings in FAISS (through LlamaIndex's FaissVectorStore) + French BM25, and a manifest.

Layout of an index folder:
    manifest.json    format version, embedder id + dim, chunking parameters, file hashes
    chunks.jsonl     one chunk per line (text, page, section, offsets, document metadata)
    embeddings.npy   passage vectors, aligned with chunks.jsonl
    vector/          LlamaIndex storage context (FAISS inner-product index + docstore)
    bm25/            bm25s index built with the French analyzer
    cache/           embedding cache per model, keyed by text hash: passages and answer sentences

Ingest writes a complete new folder next to the old one and swaps them at the end, so a crash
midway leaves the previous index usable.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import bm25s
import numpy as np
from llama_index.core.schema import BaseNode, NodeWithScore, QueryBundle
from llama_index.core.vector_stores.utils import metadata_dict_to_node, node_to_metadata_dict
from llama_index.retrievers.bm25 import BM25Retriever

from .embed import Embedder, LlamaIndexEmbedding, text_hash
from .errors import DocumentError, IndexMismatchError, IndexMissingError
from .ingest import file_hash, list_corpus_files, load_document, relative_source
from .records import Chunk, DocumentMeta
from .settings import Settings
from .text import analyze, unit_texts

FORMAT_VERSION = 1
# Bump when cleaning, chunking or the BM25 analyzer changes, so unchanged files are redone too.
CHUNKER_VERSION = 22

ProgressFn = Callable[[int, int, str], None]  # (done, total, message)


@dataclass
class IngestReport:
    files_indexed: list[str] = field(default_factory=list)  # new or changed, re-chunked
    files_unchanged: list[str] = field(default_factory=list)
    files_removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    chunks: int = 0
    embedded: int = 0  # chunks that needed the model (not in the cache)
    seconds: float = 0.0
    up_to_date: bool = False

    def summary(self) -> str:
        lines = []
        if self.up_to_date:
            lines.append("Index déjà à jour : aucun fichier nouveau, modifié ou supprimé.")
        n_docs = len(self.files_indexed) + len(self.files_unchanged)
        lines.append(
            f"{n_docs} document(s) dans l'index ({len(self.files_indexed)} nouveau(x) ou modifié(s), "
            f"{len(self.files_unchanged)} inchangé(s), {len(self.files_removed)} retiré(s)), "
            f"{self.chunks} passages, {self.embedded} passage(s) encodé(s), {self.seconds:.1f} s."
        )
        if self.skipped:
            lines.append(f"{len(self.skipped)} fichier(s) ignoré(s) :")
            lines.extend(f"  - {name} : {reason}" for name, reason in self.skipped)
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------------------------
# Serialisation of chunks


def chunk_to_dict(chunk: Chunk) -> dict:
    return {
        "id": chunk.id,
        "text": chunk.text,
        "page": chunk.page,
        "section": chunk.section,
        "start_char": chunk.start_char,
        "end_char": chunk.end_char,
        "doc": asdict(chunk.doc),
    }


def chunk_from_dict(data: dict, docs: dict[str, DocumentMeta]) -> Chunk:
    doc_data = data["doc"]
    doc = docs.get(doc_data["source"])
    if doc is None:
        doc = docs[doc_data["source"]] = DocumentMeta(**doc_data)
    return Chunk(data["id"], doc, data["text"], data["page"], data["section"], data["start_char"], data["end_char"])


def read_manifest(index_dir: Path) -> dict:
    path = Path(index_dir) / "manifest.json"
    if not path.exists():
        raise IndexMissingError(
            f"Aucun index dans {index_dir}. Lancez d'abord : python -m assistant ingest"
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise IndexMismatchError(f"{path} est illisible ({exc}). Relancez : python -m assistant ingest") from exc


def read_chunks(index_dir: Path) -> list[Chunk]:
    docs: dict[str, DocumentMeta] = {}
    with open(Path(index_dir) / "chunks.jsonl", encoding="utf-8") as handle:
        return [chunk_from_dict(json.loads(line), docs) for line in handle if line.strip()]


def expected_config(settings: Settings, embedder_id: str, dim: int) -> dict:
    return {
        "embedder": {"id": embedder_id, "dim": dim},
        "chunking": {**settings.chunking_params(), "chunker_version": CHUNKER_VERSION},
    }


def check_manifest(manifest: dict, settings: Settings, embedder: Embedder, index_dir: Path) -> None:
    """Refuse an index built with another embedder or chunking than the current settings."""
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatchError(
            f"L'index {index_dir} a le format {manifest.get('format_version')} ; ce programme attend le format "
            f"{FORMAT_VERSION}. Relancez : python -m assistant ingest"
        )
    expected = expected_config(settings, embedder.model_id, embedder.dim)
    problems = []
    if manifest.get("embedder") != expected["embedder"]:
        problems.append(
            f"embedder {manifest.get('embedder')} dans l'index, {expected['embedder']} configuré"
        )
    if manifest.get("chunking") != expected["chunking"]:
        problems.append(f"découpage {manifest.get('chunking')} dans l'index, {expected['chunking']} configuré")
    if problems:
        raise IndexMismatchError(
            f"L'index {index_dir} a été construit avec d'autres paramètres ({'; '.join(problems)}). "
            "Relancez : python -m assistant ingest"
        )


# ---------------------------------------------------------------------------------------------
# Embedding cache


class EmbeddingCache:
    """Vectors keyed by hash(model id + text): re-ingesting unchanged text never calls the model."""

    def __init__(self, model_id: str, dim: int):
        self.model_id, self.dim = model_id, dim
        self.vectors: dict[str, np.ndarray] = {}

    def key(self, text: str) -> str:
        return text_hash(f"{self.model_id}\n{text}")

    @staticmethod
    def file_name(model_id: str) -> str:
        return "".join(ch if ch.isalnum() else "_" for ch in model_id) + ".npz"

    @classmethod
    def load(cls, folder: Path, model_id: str, dim: int) -> "EmbeddingCache":
        cache = cls(model_id, dim)
        path = Path(folder) / cls.file_name(model_id)
        if path.exists():
            try:
                data = np.load(path)
                if data["vectors"].shape[1:] == (dim,):
                    cache.vectors = dict(zip(data["keys"].tolist(), data["vectors"]))
            except (OSError, ValueError, KeyError):
                pass  # a damaged cache only costs re-embedding
        return cache

    def save(self, folder: Path, keep: set[str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        keys = [k for k in self.vectors if k in keep]
        vectors = np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)
        np.savez(folder / self.file_name(self.model_id), keys=np.array(keys, dtype=str), vectors=vectors)

    def embed(self, texts: list[str], embedder: Embedder, progress: ProgressFn | None = None, batch: int = 32,
              label: str = "encodage des passages") -> tuple[np.ndarray, int]:
        keys = [self.key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self.vectors))
        todo = {k: t for k, t in zip(keys, texts) if k in missing}
        items = list(todo.items())
        for start in range(0, len(items), batch):
            part = items[start:start + batch]
            vectors = embedder.embed_passages([t for _, t in part])
            for (k, _), v in zip(part, vectors):
                self.vectors[k] = np.asarray(v, dtype=np.float32)
            if progress:
                progress(min(start + batch, len(items)), len(items), label)
        if not texts:
            return np.zeros((0, self.dim), np.float32), 0
        return np.stack([self.vectors[k] for k in keys]).astype(np.float32), len(items)


# ---------------------------------------------------------------------------------------------
# LlamaIndex stores


def _nodes(chunks: list[Chunk], embeddings: np.ndarray | None = None, sparse: bool = False):
    from llama_index.core.schema import TextNode

    nodes = []
    for i, chunk in enumerate(chunks):
        metadata = {"source": chunk.doc.source, "doc_type": chunk.doc.doc_type, "year": chunk.doc.year or 0}
        node = TextNode(
            id_=chunk.id,
            text=chunk.sparse_text() if sparse else chunk.search_text(),
            metadata=metadata,
            # Metadata is for filtering only; the title and section are already in the text.
            excluded_embed_metadata_keys=list(metadata),
            excluded_llm_metadata_keys=list(metadata),
        )
        if embeddings is not None:
            node.embedding = embeddings[i].tolist()
        nodes.append(node)
    return nodes


def build_vector_index(chunks: list[Chunk], embeddings: np.ndarray, embedder: Embedder):
    import faiss
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.vector_stores.faiss import FaissVectorStore

    # Inner product on L2-normalised vectors = cosine similarity.
    store = FaissVectorStore(faiss_index=faiss.IndexFlatIP(embedder.dim))
    storage = StorageContext.from_defaults(vector_store=store)
    return VectorStoreIndex(
        _nodes(chunks, embeddings),
        storage_context=storage,
        embed_model=LlamaIndexEmbedding(embedder),  # explicit: never fall back to OpenAI
        show_progress=False,
    )


def load_vector_index(folder: Path, embedder: Embedder):
    from llama_index.core import StorageContext, load_index_from_storage
    from llama_index.vector_stores.faiss import FaissVectorStore

    store = FaissVectorStore.from_persist_dir(str(folder))
    storage = StorageContext.from_defaults(vector_store=store, persist_dir=str(folder))
    return load_index_from_storage(storage, embed_model=LlamaIndexEmbedding(embedder))


class FrenchBM25Retriever(BM25Retriever):
    """BM25 over our French analyzer instead of the integration's English defaults.

    The stock retriever stems with the English stemmer, drops English stopwords only and tokenises
    with `\\b\\w\\w+\\b`, so "l'article" keeps the elided "l" glued to the word's neighbours, accents
    must match exactly and "L. 5741-1" becomes noise. `text.analyze` splits elisions, folds accents,
    removes French stopwords and applies the French Snowball stemmer, for documents and queries alike.
    """

    @classmethod
    def from_chunks(cls, chunks: list[Chunk], similarity_top_k: int = 30) -> "FrenchBM25Retriever":
        return cls.from_nodes(_nodes(chunks, sparse=True), similarity_top_k)

    @classmethod
    def from_nodes(cls, nodes: list[BaseNode], similarity_top_k: int = 30) -> "FrenchBM25Retriever":
        bm25 = bm25s.BM25()
        bm25.index([analyze(node.get_content()) for node in nodes], show_progress=False)
        bm25.corpus = [node_to_metadata_dict(node) | {"node_id": node.node_id} for node in nodes]
        # Never more than the corpus holds: LlamaIndex warns otherwise.
        return cls(existing_bm25=bm25, similarity_top_k=max(1, min(similarity_top_k, len(nodes))))

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        tokens = analyze(query_bundle.query_str)
        if not tokens:
            return []
        k = min(self.similarity_top_k, len(self.corpus))
        mask = np.array(self.corpus_weight_mask) if self.corpus_weight_mask else None
        indexes, scores = self.bm25.retrieve([tokens], k=k, show_progress=False, weight_mask=mask)
        return [
            # bm25s returns the stored corpus entries once a corpus is loaded, positions otherwise
            NodeWithScore(node=metadata_dict_to_node(i if isinstance(i, dict) else self.corpus[int(i)]), score=float(s))
            for i, s in zip(indexes[0], scores[0])
            if s > 0  # bm25s pads with zero-score documents
        ]


# ---------------------------------------------------------------------------------------------
# Build


def _previous_state(index_dir: Path, settings: Settings, embedder: Embedder) -> tuple[dict, dict[str, list[Chunk]]]:
    """Manifest files and chunks of the current index, when it was built with the same config."""
    try:
        manifest = read_manifest(index_dir)
        check_manifest(manifest, settings, embedder, index_dir)
        chunks = read_chunks(index_dir)
    except (IndexMissingError, IndexMismatchError, OSError, json.JSONDecodeError, KeyError):
        return {}, {}
    by_source: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_source.setdefault(chunk.doc.source, []).append(chunk)
    return manifest.get("files", {}), by_source


def build_index(settings: Settings, embedder: Embedder, progress: ProgressFn | None = None, force: bool = False) -> IngestReport:
    """Ingest `settings.corpus_dir` into `settings.index_dir`, incrementally. Returns a report."""
    started = time.perf_counter()
    corpus_dir, index_dir = Path(settings.corpus_dir), Path(settings.index_dir)
    report = IngestReport()
    files, report.skipped = list_corpus_files(corpus_dir)
    old_files, old_chunks = ({}, {}) if force else _previous_state(index_dir, settings, embedder)

    manifest_files: dict[str, dict] = {}
    skipped_hashes: dict[str, str] = {}
    all_chunks: list[Chunk] = []
    for i, path in enumerate(files):
        source = relative_source(path, corpus_dir)
        if progress:
            progress(i, len(files), f"lecture de {source}")
        digest = ""
        try:
            digest = file_hash(path)
            if old_files.get(source, {}).get("sha256") == digest and source in old_chunks:
                chunks = old_chunks[source]
                report.files_unchanged.append(source)
            else:
                _, chunks = load_document(path, corpus_dir, settings.chunk_size, settings.chunk_overlap)
                report.files_indexed.append(source)
        except DocumentError as exc:
            report.skipped.append((source, exc.reason))
            skipped_hashes[source] = digest
            continue
        except OSError as exc:
            report.skipped.append((source, f"lecture impossible ({exc.strerror or exc})"))
            continue
        except Exception as exc:  # a reader bug must not take the whole corpus down
            report.skipped.append((source, f"erreur inattendue à la lecture ({exc.__class__.__name__}: {exc})"))
            continue
        doc = chunks[0].doc
        manifest_files[source] = {
            "sha256": digest, "chunks": len(chunks), "title": doc.title, "doc_type": doc.doc_type,
            "date": doc.date, "language": doc.language,
        }
        all_chunks.extend(chunks)
    if progress:
        progress(len(files), len(files), "lecture terminée")
    report.files_removed = sorted(set(old_files) - set(manifest_files))
    report.chunks = len(all_chunks)

    if not force and old_files and not report.files_indexed and not report.files_removed:
        report.up_to_date = True
        report.seconds = time.perf_counter() - started
        return report
    if not all_chunks:
        reasons = "; ".join(f"{n} : {r}" for n, r in report.skipped) or "aucun fichier pris en charge"
        raise DocumentError(corpus_dir, f"aucun document indexable ({reasons}). L'index existant n'a pas été modifié")

    cache = EmbeddingCache.load(index_dir / "cache", embedder.model_id, embedder.dim)
    passages = [c.search_text() for c in all_chunks]
    embeddings, report.embedded = cache.embed(passages, embedder, progress)
    # The answer stage compares the question with each sentence of the top passages: embedding them
    # now spares a one-off `ask` about a second of work (see `answer.Extractor`).
    sentences = list(dict.fromkeys(unit for c in all_chunks for unit in unit_texts(c.text)))
    cache.embed(sentences, embedder, progress, label="encodage des phrases")

    tmp_dir = index_dir.parent / f".{index_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp_dir, ignore_errors=True)
    tmp_dir.mkdir(parents=True)
    try:
        with open(tmp_dir / "chunks.jsonl", "w", encoding="utf-8") as handle:
            for chunk in all_chunks:
                handle.write(json.dumps(chunk_to_dict(chunk), ensure_ascii=False) + "\n")
        np.save(tmp_dir / "embeddings.npy", embeddings)
        vector_index = build_vector_index(all_chunks, embeddings, embedder)
        vector_index.storage_context.persist(persist_dir=str(tmp_dir / "vector"))
        FrenchBM25Retriever.from_chunks(all_chunks).persist(str(tmp_dir / "bm25"), show_progress=False)
        if (index_dir / "cache").is_dir():  # keep other models' caches
            shutil.copytree(index_dir / "cache", tmp_dir / "cache")
        cache.save(tmp_dir / "cache", keep={cache.key(t) for t in passages + sentences})
        manifest = {
            "format_version": FORMAT_VERSION,
            **expected_config(settings, embedder.model_id, embedder.dim),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "corpus_dir": str(corpus_dir),
            "chunk_count": len(all_chunks),
            "files": manifest_files,
            "skipped": [{"file": n, "reason": r, "sha256": skipped_hashes.get(n, "")} for n, r in report.skipped],
        }
        # The manifest is written last: a folder without it is never taken for an index.
        (tmp_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _swap(tmp_dir, index_dir)
    except BaseException:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    report.seconds = time.perf_counter() - started
    return report


def _swap(new_dir: Path, index_dir: Path) -> None:
    backup = index_dir.parent / f".{index_dir.name}.previous"
    shutil.rmtree(backup, ignore_errors=True)
    if index_dir.exists():
        os.replace(index_dir, backup)
    os.replace(new_dir, index_dir)
    shutil.rmtree(backup, ignore_errors=True)


def resolve_index_dir(index_dir: Path) -> Path:
    """The index folder, or the previous one if a swap was interrupted between its two renames."""
    index_dir = Path(index_dir)
    backup = index_dir.parent / f".{index_dir.name}.previous"
    if not (index_dir / "manifest.json").exists() and (backup / "manifest.json").exists():
        return backup
    return index_dir


def is_stale(settings: Settings) -> bool:
    """True when the corpus has new, changed or deleted files compared with the index manifest."""
    try:
        manifest = read_manifest(resolve_index_dir(settings.index_dir))
    except (IndexMissingError, IndexMismatchError):
        return True
    if manifest.get("chunking") != {**settings.chunking_params(), "chunker_version": CHUNKER_VERSION}:
        return True
    files, _ = list_corpus_files(settings.corpus_dir)
    known = manifest.get("files", {})
    skipped = {item["file"]: item.get("sha256", "") for item in manifest.get("skipped", [])}
    current = {relative_source(p, settings.corpus_dir): p for p in files}
    if set(known) - set(current):
        return True
    for source, path in current.items():
        if source in skipped:
            if skipped[source] and skipped[source] != file_hash(path):
                return True  # a rejected file was replaced: try it again
            continue
        if source not in known or known[source]["sha256"] != file_hash(path):
            return True
    return False
