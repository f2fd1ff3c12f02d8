"""Retrieve: dense (FAISS) + French BM25, fused by reciprocal rank on chunk ids."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.llms import MockLLM
from llama_index.core.retrievers import QueryFusionRetriever
from llama_index.core.retrievers.fusion_retriever import FUSION_MODES
from llama_index.core.schema import BaseNode, NodeWithScore, QueryBundle

from .embed import Embedder, make_embedder
from .glossary import english_to_french, expand_query, french_to_english, synonym_words
from .index import FrenchBM25Retriever, check_manifest, load_vector_index, read_chunks, read_manifest, resolve_index_dir
from .records import Chunk, DocumentMeta, Hit
from .settings import Settings
from .text import analyze, guess_language

MODES = ("hybrid", "dense", "sparse")
# A question that names documents ("selon la fiche de l'ANPP et l'accord de 2021") gets at least this
# many passages from each of them, whatever the others score: a comparison needs both sides.
NAMED_DOCUMENT_PASSAGES = 3
# The dense retriever's best passage is kept within this many fused places (see ChunkFusionRetriever).
KEEP_BEST_WITHIN = 5
# ... and so is the first of BM25's passages in another language than the question, among its
# first five: the French slides outrank the English offer on "Quels cabinets proposent ... ?"
# through "accompagner", but the offer is the one that answers in "consultancies ... support".
KEEP_FIRST_OF = 5
# ... and so is BM25's first passage when it scores this many times its second: a clear lexical
# winner ("membre de deux pôles d'équilibre territoriaux et ruraux" for L5741-1's "ne peut appartenir
# à plus d'un PETR") that the embedder ranks fifteenth.
BM25_LEAD = 1.3


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some documents, document types or years (empty = no restriction)."""

    sources: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.sources or self.doc_types or self.years)

    def matches(self, doc: DocumentMeta) -> bool:
        return (
            (not self.sources or doc.source in self.sources)
            and (not self.doc_types or doc.doc_type in self.doc_types)
            and (not self.years or doc.year in self.years)
        )


class FusedNode(NodeWithScore):
    retriever_scores: dict[int, float] = {}


class ChunkFusionRetriever(QueryFusionRetriever):
    """Reciprocal rank fusion keyed by node id.

    The stock implementation keys by `node.hash` (the content), so two different chunks with the
    same text (a boilerplate paragraph repeated across documents) would be merged into one and a
    citation would be lost. It also ignores `retriever_weights` in RRF mode; we apply them.

    RRF alone buries a passage that only one retriever finds, however first it ranks it, behind
    passages both rank in the middle: a paraphrase BM25 cannot match ("Un Italien qui habite en
    France, il peut voter ?") lost the dense retriever's first passage. So the best passage of
    retriever `keep_best_of` (the dense one) is moved up to `KEEP_BEST_WITHIN`: OOD set passage
    hit@5 0.91 -> 0.94, eval and held-out sets unchanged. Keeping BM25's best as well brought
    passages that only share a word ("plan") and cost two abstentions; it is kept only when
    `keep_best_if` says so of it: the first passage in another language among its first
    `KEEP_FIRST_OF`, found through the question's translated words, which the embedder ranks low
    across languages.
    """

    def __init__(self, retrievers, rrf_k: float = 60.0, keep_best_of: int | None = None,
                 keep_best_if: dict[int, Callable[[str], bool]] | None = None,
                 keep_leader_of: dict[int, float] | None = None, **kwargs: Any):
        # MockLLM: with num_queries=1 no LLM is used, but the base class would otherwise resolve
        # `Settings.llm`, which silently means OpenAI.
        super().__init__(
            retrievers, llm=MockLLM(), mode=FUSION_MODES.RECIPROCAL_RANK, num_queries=1, use_async=False, **kwargs
        )
        self._rrf_k = rrf_k
        self._keep_best_if = dict(keep_best_if or {})  # retriever -> whether its best passage (by id) is kept
        self._keep_leader_of = dict(keep_leader_of or {})  # retriever -> lead over its second that keeps its first
        if keep_best_of is not None:
            self._keep_best_if[keep_best_of] = lambda node_id: True

    def _reciprocal_rerank_fusion(self, results) -> list[NodeWithScore]:
        fused: dict[str, float] = {}
        nodes: dict[str, BaseNode] = {}
        scores: dict[str, dict[int, float]] = {}
        for (_, i), hits in results.items():
            weight = self._retriever_weights[i] * len(self._retrievers)
            for rank, hit in enumerate(sorted(hits, key=lambda h: h.score or 0.0, reverse=True)):
                node_id = hit.node.node_id
                fused[node_id] = fused.get(node_id, 0.0) + weight / (rank + 1 + self._rrf_k)
                nodes.setdefault(node_id, hit.node)
                scores.setdefault(node_id, {})[i] = float(hit.score or 0.0)
        ranked = sorted(fused, key=lambda n: fused[n], reverse=True)
        slot = KEEP_BEST_WITHIN - 1  # a second kept passage goes above the first
        for (_, i), hits in sorted(results.items(), key=lambda item: item[0][1]):
            keep = self._keep_best_if.get(i)
            ordered = sorted(hits, key=lambda h: h.score or 0.0, reverse=True)[:KEEP_FIRST_OF]
            best = next((hit.node.node_id for hit in ordered if keep(hit.node.node_id)), None) if keep is not None else None
            lead = self._keep_leader_of.get(i)
            if best is None and lead and len(ordered) > 1 and (ordered[0].score or 0.0) >= lead * (ordered[1].score or 0.0) > 0:
                best = ordered[0].node.node_id
            if best is not None and ranked.index(best) > slot:
                ranked.remove(best)
                ranked.insert(slot, best)
                fused[best] = fused[ranked[slot + 1]]  # scores stay in rank order
                slot -= 1
        return [FusedNode(node=nodes[n], score=fused[n], retriever_scores=scores[n]) for n in ranked]


class Retriever:
    """Loaded index + the retrieval code path shared by the CLI, the app and the eval runner."""

    def __init__(self, settings: Settings, embedder: Embedder, chunks: list[Chunk], vector_index, bm25: FrenchBM25Retriever, manifest: dict, index_dir: Path):
        self.settings = settings
        self.embedder = embedder
        self.chunks = chunks
        self.by_id = {chunk.id: chunk for chunk in chunks}
        self.vector_index = vector_index
        self.bm25 = bm25
        self.manifest = manifest
        self.index_dir = index_dir
        self._lock = threading.Lock()  # the embedder is not guaranteed thread-safe
        self._query_vectors: dict[str, np.ndarray] = {}
        self._documents = sorted({c.doc.source: c.doc for c in chunks}.values(), key=lambda d: d.source)

    @classmethod
    def from_persist_dir(cls, settings: Settings, embedder: Embedder | None = None) -> "Retriever":
        index_dir = resolve_index_dir(settings.index_dir)
        manifest = read_manifest(index_dir)
        embedder = embedder or make_embedder(settings)
        check_manifest(manifest, settings, embedder, index_dir)
        chunks = read_chunks(index_dir)
        vector_index = load_vector_index(index_dir / "vector", embedder)
        bm25 = FrenchBM25Retriever.from_persist_dir(str(index_dir / "bm25"), show_progress=False)
        return cls(settings, embedder, chunks, vector_index, bm25, manifest, index_dir)

    # -- queries ---------------------------------------------------------------------------

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            # one question may be retrieved several times (once per document it names)
            if text not in self._query_vectors:
                if len(self._query_vectors) > 256:
                    self._query_vectors.clear()
                self._query_vectors[text] = self.embedder.embed_queries([text])[0]
            return self._query_vectors[text]

    def retrieve(self, question: str, top_k: int | None = None, filters: Filters | None = None, mode: str = "hybrid") -> list[Hit]:
        """Best chunks for a question, most relevant first; filters are applied before ranking."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        top_k = top_k or self.settings.top_k
        filters = filters or Filters()
        if not filters:
            named = named_documents(question, self.documents())
            if named and len(named) < len(self.documents()):
                return self._with_named(question, named, top_k, mode)
        return self._retrieve(question, top_k, filters, mode)

    def _with_named(self, question: str, named: list[DocumentMeta], top_k: int, mode: str) -> list[Hit]:
        """The best passages of each named document first, taken in turn, then the usual ranking."""
        quota = max(1, min(NAMED_DOCUMENT_PASSAGES, top_k // len(named)))
        # Inside the named documents their names are noise: "l'accord de 2021" would rank the
        # accord's passages about 2021 first.
        topic = without_names(question, named)
        per_doc = [self._retrieve(topic, quota, Filters(sources=(doc.source,)), mode) for doc in named]
        first = [hits[rank] for rank in range(quota) for hits in per_doc if rank < len(hits)]
        taken = {hit.chunk.id for hit in first}
        rest = [hit for hit in self._retrieve(question, top_k, Filters(), mode) if hit.chunk.id not in taken]
        return (first + rest)[:top_k]

    def _retrieve(self, question: str, top_k: int, filters: Filters, mode: str) -> list[Hit]:
        language = guess_language(question)
        query = expand_query(question, language)
        allowed = [c.id for c in self.chunks if filters.matches(c.doc)] if filters else None
        if allowed is not None and not allowed:
            return []
        n_candidates = max(self.settings.candidates, top_k)
        retrievers, weights = [], []
        bundle = QueryBundle(query_str=query)
        if mode in ("hybrid", "dense"):
            bundle.embedding = self.embed_query(query).tolist()
            # FaissVectorStore has no metadata filtering: over-fetch everything when filtering.
            k_dense = len(self.chunks) if allowed is not None else min(n_candidates, len(self.chunks))
            retrievers.append(_FilteredRetriever(self.vector_index.as_retriever(similarity_top_k=k_dense), allowed, n_candidates))
            weights.append(self.settings.dense_weight)
        if mode in ("hybrid", "sparse"):
            mask = None
            if allowed is not None:
                allowed_set = set(allowed)
                mask = [int(item["node_id"] in allowed_set) for item in self.bm25.corpus]
            # Never ask bm25s for more documents than it holds: LlamaIndex warns on every query otherwise.
            k_sparse = min(n_candidates, len(self.bm25.corpus))
            sparse = FrenchBM25Retriever(existing_bm25=self.bm25.bm25, similarity_top_k=k_sparse, corpus_weight_mask=mask)
            translated = english_to_french(question) if language == "en" else french_to_english(question)
            translated = f"{translated} {synonym_words(question, self.bm25.bm25.vocab_dict)}".strip()
            retrievers.append(_FilteredRetriever(sparse, allowed, n_candidates, extra_words=translated))
            weights.append(self.settings.sparse_weight)
        # BM25's best passage is kept when it is in another language than the question: it was
        # found through the question's translated words ("offre d'accompagnement": "offer you support")
        foreign = {1: lambda node_id: node_id in self.by_id and self.by_id[node_id].doc.language != language}
        fusion = ChunkFusionRetriever(
            retrievers, rrf_k=self.settings.rrf_k, keep_best_of=0 if mode == "hybrid" else None,
            keep_best_if=foreign if mode == "hybrid" else None, keep_leader_of={1: BM25_LEAD} if mode == "hybrid" else None,
            similarity_top_k=top_k, retriever_weights=weights
        )
        hits = []
        for result in fusion.retrieve(bundle):
            chunk = self.by_id.get(result.node.node_id)
            if chunk is None:
                continue
            per = getattr(result, "retriever_scores", {})
            dense = per.get(0) if mode in ("hybrid", "dense") else None
            sparse = per.get(1 if mode == "hybrid" else 0) if mode in ("hybrid", "sparse") else None
            hits.append(Hit(chunk=chunk, score=float(result.score or 0.0), dense_score=dense, sparse_score=sparse))
        if mode in ("hybrid", "dense") and hits:
            self._fill_dense_scores(hits, np.asarray(bundle.embedding, dtype=np.float32))
        return hits

    def _fill_dense_scores(self, hits: list[Hit], query_vector: np.ndarray) -> None:
        """BM25-only hits have no dense score from FAISS; compute it so every hit can be judged."""
        missing = [h for h in hits if h.dense_score is None]
        if not missing:
            return
        vectors = self.vector_index.vector_store._faiss_index
        id_map = {v: k for k, v in self.vector_index.index_struct.nodes_dict.items()}
        for hit in missing:
            position = id_map.get(hit.chunk.id)
            if position is not None:
                hit.dense_score = float(np.dot(vectors.reconstruct(int(position)), query_vector))

    # -- index information -----------------------------------------------------------------

    def documents(self) -> list[DocumentMeta]:
        return list(self._documents)

    def status(self) -> dict:
        return {
            "index_dir": str(self.index_dir),
            "documents": len(self.documents()),
            "chunks": len(self.chunks),
            "embedder": self.manifest.get("embedder", {}).get("id"),
            "dim": self.manifest.get("embedder", {}).get("dim"),
            "built_at": self.manifest.get("built_at"),
            "chunking": self.manifest.get("chunking"),
            "skipped": self.manifest.get("skipped", []),
        }


def named_documents(question: str, documents: Iterable[DocumentMeta]) -> list[DocumentMeta]:
    """Documents the question names by one of their aliases ("l'offre de conseil", "the 2021 agreement").

    Aliases are matched on stems, word for word, so "les chiffres clés" matches "chiffres clés"
    and "l'Accord de 2021" matches "accord de 2021".
    """
    documents = list(documents)
    names = _names_in(question, documents)
    return [doc for doc in documents if doc.source in names]


# How a question names the one document of a type ("Que prévoit l'accord ... ?" in a corpus with
# one accord); not when a complement follows ("l'accord de méthode" is another thing). Checked
# against the documents at hand: at the answer stage, those of the retrieved passages.
_NO_COMPLEMENT = r"(?!\s*(?:de |d['’]|des |du ))"
DEFINITE = {
    # "que veulent en faire l'État et l'ANPP dans leur accord ?"
    "accord": rf"\b(?:l['’]|leur |son |cet )accord\b{_NO_COMPLEMENT}|\b(?:the|their|this) agreement\b(?!\s+(?:of|on|for|between)\b)",
    "charte": rf"\bla charte\b{_NO_COMPLEMENT}",
    "contrat": rf"\ble contrat\b{_NO_COMPLEMENT}",
    "convention": rf"\bla convention\b{_NO_COMPLEMENT}",
}


def without_names(question: str, named: list[DocumentMeta]) -> str:
    """The question without the words of the aliases it names documents by."""
    name_stems = set().union(*_names_in(question, named).values())
    kept = [word for word in re.findall(r"\w+(?:[-'’]\w+)*|[^\w]+", question) if not set(analyze(word)) & name_stems]
    return "".join(kept).strip() or question


# How a question names the one document in a language ("dans la plaquette commerciale en anglais",
# "the French page"): only where the documents at hand hold one in that language.
_DOC_NOUN = r"(?:document|texte|plaquette|brochure|page|fiche|version|offre|source|support|doc)s?"
_EN_DOC_NOUN = r"(?:document|text|page|brochure|leaflet|flyer|sheet|version|source|doc)s?"
IN_LANGUAGE = {
    "en": rf"\b{_DOC_NOUN}(?:\s+[^\W\d_]+)?\s+(?:en anglais|anglaise?s?)\b|\bthe english {_EN_DOC_NOUN}\b|\b{_EN_DOC_NOUN} in english\b",
    "fr": rf"\b{_DOC_NOUN}(?:\s+[^\W\d_]+)?\s+(?:en fran[cç]ais|fran[cç]aise?s?)\b|\bthe french {_EN_DOC_NOUN}\b|\b{_EN_DOC_NOUN} in french\b",
}

SELON = re.compile(r"\bselon\b", re.IGNORECASE)


def _names_in(question: str, documents: list[DocumentMeta]) -> dict[str, set[str]]:
    """Source -> the stems of the aliases the question names that document by."""
    # "selon" is a stopword, "d'après" is not: "selon l'ANPP" names the ANPP's fiche as "d'après l'ANPP" does
    stems = analyze(SELON.sub("d'après", question))
    names: dict[str, set[str]] = {}
    for doc in documents:
        for alias in doc.aliases:
            alias_stems = _alias_stems(alias)
            if _holds_sequence(stems, alias_stems):
                names.setdefault(doc.source, set()).update(alias_stems)
    # the one document of its type ("l'accord") or of its language ("la plaquette en anglais")
    for kind, patterns in ((lambda doc: doc.doc_type, DEFINITE), (lambda doc: doc.language, IN_LANGUAGE)):
        groups: dict[str, list[DocumentMeta]] = {}
        for doc in documents:
            groups.setdefault(kind(doc), []).append(doc)
        for value, docs in groups.items():
            found = re.search(patterns[value], question, re.IGNORECASE) if len(docs) == 1 and value in patterns else None
            if found:
                names.setdefault(docs[0].source, set()).update(analyze(found.group(0)))
    return names


@lru_cache(maxsize=4096)
def _alias_stems(alias: str) -> tuple[str, ...]:
    """Stems of an alias, analysed once: every question is checked against every alias."""
    return tuple(analyze(alias))


def _holds_sequence(stems: list[str], part: tuple[str, ...]) -> bool:
    return bool(part) and any(tuple(stems[i:i + len(part)]) == part for i in range(len(stems) - len(part) + 1))


class _FilteredRetriever:
    """Keeps only allowed chunk ids and at most `limit` of them (FAISS is filtered after search)."""

    def __init__(self, inner, allowed: list[str] | None, limit: int, extra_words: str = ""):
        self.inner, self.allowed, self.limit = inner, set(allowed) if allowed is not None else None, limit
        self.extra_words = extra_words  # added to the query of this retriever only

    def retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        if self.extra_words:
            query_bundle = QueryBundle(query_str=f"{query_bundle.query_str} {self.extra_words}")
        hits = self.inner.retrieve(query_bundle)
        if self.allowed is not None:
            hits = [h for h in hits if h.node.node_id in self.allowed]
        return hits[: self.limit]
