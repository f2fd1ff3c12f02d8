"""Answer: pick the sentences of the retrieved passages that answer the question, cite them, or abstain.

Offline and extractive by default: every word of the answer comes from the corpus, so every
sentence is supported by the passage its `[n]` points to.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .glossary import expand_query
from .records import Chunk, Citation, Hit
from .settings import Settings
from .text import analyze, content_terms, normalize_for_match, split_sentences

REFUSAL = {
    "fr": "Je ne trouve pas la réponse dans le corpus.",
    "en": "I cannot find the answer in the corpus.",
}


@dataclass
class Sentence:
    hit_rank: int  # 0-based rank of the passage it comes from
    start: int  # offsets inside the passage text
    end: int
    text: str
    coverage: float = 0.0
    dense: float = 0.0
    score: float = 0.0


class TermStats:
    """Inverse document frequencies over the indexed chunks: rare question words weigh more."""

    def __init__(self, chunks: list[Chunk]):
        df: Counter[str] = Counter()
        for chunk in chunks:
            df.update(set(analyze(expand_query(chunk.search_text()))))
        self.n = max(len(chunks), 1)
        self.df = df

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))


def coverage(terms: list[str], text: str, stats: TermStats) -> float:
    """IDF-weighted share of the question's terms found in `text` (acronyms match long forms)."""
    if not terms:
        return 0.0
    tokens = set(analyze(expand_query(text)))
    total = sum(stats.idf(t) for t in terms)
    found = sum(stats.idf(t) for t in terms if t in tokens)
    return found / total if total > 0 else 0.0


def question_terms(question: str) -> list[str]:
    """Content stems of the question, with glossary expansions folded into the same terms."""
    return content_terms(question)


class Extractor:
    """Scores sentences of the top passages; keeps a small cache of sentence embeddings."""

    def __init__(self, settings: Settings, embedder, stats: TermStats):
        self.settings = settings
        self.embedder = embedder
        self.stats = stats
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _embed_sentences(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
            if missing:
                for text, vector in zip(missing, self.embedder.embed_passages(missing)):
                    self._cache[text] = vector
                if len(self._cache) > 20000:  # bounded memory in long-running apps
                    self._cache = dict(list(self._cache.items())[-10000:])
            return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 1))

    def sentences(self, hits: list[Hit], terms: list[str], query_vector: np.ndarray | None) -> list[Sentence]:
        found = []
        for rank, hit in enumerate(hits):
            text = hit.chunk.text
            for start, end in split_sentences(text):
                sentence = text[start:end]
                if len(re.findall(r"\w+", sentence)) < 4 or sentence.lstrip().startswith("http"):
                    continue
                start, end = _extend_list_intro(text, start, end)
                sentence = text[start:end]
                context = f"{hit.chunk.section}\n{sentence}"
                found.append(Sentence(rank, start, end, sentence, coverage=coverage(terms, context, self.stats)))
        if query_vector is not None and found:
            vectors = self._embed_sentences([s.text for s in found])
            sims = vectors @ query_vector
            for sentence, sim in zip(found, sims):
                sentence.dense = float(sim)
        low, high = self.embedder.similarity_range
        for sentence in found:
            dense = min(max((sentence.dense - low) / (high - low), 0.0), 1.0) if query_vector is not None else 0.0
            weight = self.settings.sentence_dense_weight if query_vector is not None else 0.0
            sentence.score = (1 - weight) * sentence.coverage + weight * dense - 0.03 * sentence.hit_rank
        return found


def _extend_list_intro(text: str, start: int, end: int, limit: int = 500) -> tuple[int, int]:
    """A sentence announcing a list ("L'État s'engage à :") is useless without its items."""
    if not text[start:end].rstrip().endswith(":"):
        return start, end
    new_end = end
    for match in re.finditer(r"\n[ \t]*- [^\n]+", text[end:]):
        if match.start() > new_end - end + 2 or match.end() + end - start > limit:
            break
        new_end = end + match.end()
    return start, new_end


def thresholds(settings: Settings, embedder) -> tuple[float, float]:
    """(min dense score, confident dense score): settings override the embedder's calibrated values."""
    low = settings.min_dense_score if settings.min_dense_score is not None else embedder.min_dense_score
    high = settings.confident_dense_score if settings.confident_dense_score is not None else embedder.confident_dense_score
    return low, high


def confidence_ok(settings: Settings, hits: list[Hit], terms: list[str], stats: TermStats, embedder) -> tuple[bool, float, float]:
    """Is the evidence strong enough to answer? Returns (ok, best dense score, best coverage)."""
    if not hits:
        return False, 0.0, 0.0
    dense = max((h.dense_score for h in hits if h.dense_score is not None), default=None)
    cov = max(coverage(terms, h.chunk.search_text(), stats) for h in hits[:3])
    if dense is None:  # sparse-only baseline: coverage alone decides
        return cov >= settings.min_coverage, 0.0, cov
    min_dense, confident_dense = thresholds(settings, embedder)
    ok = dense >= min_dense and (cov >= settings.min_coverage or dense >= confident_dense)
    return ok, dense, cov


def make_citation(n: int, hit: Hit, sentence: Sentence | None, used: bool) -> Citation:
    chunk = hit.chunk
    quote_start, quote_end = (sentence.start, sentence.end) if sentence else (0, 0)
    return Citation(
        n=n,
        source=chunk.doc.source,
        title=chunk.doc.title,
        page=chunk.page,
        section=chunk.section,
        text=chunk.text,
        quote=chunk.text[quote_start:quote_end],
        score=round(float(hit.score), 6),
        doc_type=chunk.doc.doc_type,
        date=chunk.doc.date,
        quote_start=quote_start,
        quote_end=quote_end,
        chunk_id=chunk.id,
        used=used,
    )


def citations_for(hits: list[Hit], best: dict[int, Sentence], used: set[int]) -> list[Citation]:
    return [make_citation(i + 1, hit, best.get(i), i in used) for i, hit in enumerate(hits)]


def extractive_answer(
    question: str, hits: list[Hit], extractor: Extractor, query_vector: np.ndarray | None, language: str
) -> tuple[str, bool, list[Citation], list[Citation]]:
    """(answer text, abstained, citations, closest passages shown on abstention)."""
    settings = extractor.settings
    terms = question_terms(question)
    ok, _, _ = confidence_ok(settings, hits, terms, extractor.stats, extractor.embedder)
    sentences = extractor.sentences(hits, terms, query_vector) if hits else []
    best: dict[int, Sentence] = {}
    for sentence in sentences:
        if sentence.hit_rank not in best or sentence.score > best[sentence.hit_rank].score:
            best[sentence.hit_rank] = sentence
    if not ok or not sentences:
        closest = citations_for(hits[:3], best, set())
        return REFUSAL.get(language, REFUSAL["fr"]), True, [], closest

    ranked = sorted(sentences, key=lambda s: s.score, reverse=True)
    top = ranked[0]
    chosen = [top]
    for sentence in ranked[1:]:
        if len(chosen) >= settings.max_answer_sentences:
            break
        overlaps = any(s.hit_rank == sentence.hit_rank and s.start < sentence.end and sentence.start < s.end for s in chosen)
        duplicate = any(_same_text(s.text, sentence.text) for s in chosen)
        if not overlaps and not duplicate and sentence.score >= settings.second_sentence_ratio * top.score:
            chosen.append(sentence)
    for sentence in chosen:  # the quoted span of a passage is the sentence the answer took from it
        if sentence.score >= best[sentence.hit_rank].score - 1e-9 or sentence is top:
            best[sentence.hit_rank] = sentence
    used = {s.hit_rank for s in chosen}
    parts = [f"{_clean_sentence(s.text)} [{s.hit_rank + 1}]" for s in chosen]
    return " ".join(parts), False, citations_for(hits, best, used), []


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


def _clean_sentence(text: str) -> str:
    """One line of prose for the answer; the passage keeps the original layout."""
    return re.sub(r"\s*\n\s*", " ", text).strip()
