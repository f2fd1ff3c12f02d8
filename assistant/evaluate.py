"""Eval runner: run the eval set through `Assistant.ask`, score it, compare with baselines, report.

What is measured, per item of `evals/evalset.jsonl`:
- retrieval: rank of the first retrieved passage that holds an evidence quote (hit@k, MRR@10,
  nDCG@10), for the product (hybrid) and for baselines built on the very same chunks;
- the answer: are the cited passages evidence (citation precision / recall), does the answer text
  hold the key facts, does the assistant abstain when (and only when) the corpus has no answer;
- latency per stage, as reported by `Answer.timings_ms`.

Everything goes through the code path users get (`Assistant.ask`, `Retriever.retrieve`), so the
numbers describe the product, not a re-implementation of it. See `render_markdown` for the wording
evaluators read, and `check_thresholds` for the CI gate.
"""

from __future__ import annotations

import json
import math
import re
import sys
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from .errors import AssistantError, ConfigError
from .records import Chunk, Citation
from .text import fold

DEFAULT_SET = Path("evals/evalset.jsonl")
DEFAULT_REPORT_DIR = Path("evals/reports/latest")
RANK_DEPTH = 10  # retrieval metrics look at the first 10 passages
HIT_KS = (1, 3, 5, 10)
PREVIEW_WORDS = 12


# ---------------------------------------------------------------------------------------------
# The eval set


@dataclass(frozen=True)
class Evidence:
    source: str  # path relative to the corpus root
    quote: str  # a few verbatim words of the passage that answers


@dataclass
class EvalItem:
    id: str
    question: str | None
    turns: list[str] | None  # two-turn items: ask turns[0], then turns[1] with history; only the last is scored
    answerable: bool
    evidence: list[Evidence] = field(default_factory=list)
    key_facts: list[list[str]] = field(default_factory=list)  # each group: any alternative must appear
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def scored_question(self) -> str:
        return self.turns[-1] if self.turns else (self.question or "")

    @property
    def previous_turns(self) -> list[str]:
        return list(self.turns[:-1]) if self.turns else []

    @property
    def display_question(self) -> str:
        return " → ".join(self.turns) if self.turns else (self.question or "")


def item_from_dict(data: dict, where: str = "") -> EvalItem:
    """Parse one line of the eval set; raise ConfigError saying which line and field is wrong."""
    try:
        turns = data.get("turns")
        question = data.get("question")
        if turns is not None and (not isinstance(turns, list) or len(turns) < 2 or not all(isinstance(t, str) and t.strip() for t in turns)):
            raise ValueError("'turns' must be null or a list of at least two questions")
        if turns is None and not (isinstance(question, str) and question.strip()):
            raise ValueError("'question' is empty and 'turns' is null")
        evidence = [Evidence(_clean_source(e["source"]), str(e["quote"])) for e in data.get("evidence") or []]
        key_facts = [[str(a) for a in group] for group in data.get("key_facts") or []]
        if any(not group for group in key_facts):
            raise ValueError("a key_facts group is empty")
        return EvalItem(
            id=str(data["id"]),
            question=question,
            turns=[str(t) for t in turns] if turns else None,
            answerable=bool(data["answerable"]),
            evidence=evidence,
            key_facts=key_facts,
            tags={str(k): str(v) for k, v in (data.get("tags") or {}).items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: élément du jeu d'évaluation invalide ({exc.__class__.__name__}: {exc})") from exc


def load_evalset(path: Path | str, limit: int | None = None) -> list[EvalItem]:
    """Read a JSONL eval set (blank lines and `//` comments ignored); ids must be unique."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"Jeu d'évaluation introuvable : {path}")
    items: list[EvalItem] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: JSON invalide ({exc})") from exc
        items.append(item_from_dict(data, f"{path}:{number}"))
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ConfigError(f"{path}: identifiant en double : {item.id}")
        seen.add(item.id)
    if not items:
        raise ConfigError(f"{path} ne contient aucun élément")
    return items[:limit] if limit else items


def _clean_source(source: str) -> str:
    source = str(source).replace("\\", "/")
    return source[2:] if source.startswith("./") else source


# ---------------------------------------------------------------------------------------------
# Matching quotes and key facts


# A word cut at a line break: "coopé-\nration" (also across a blank line).
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])[-\u00ad][ \t]*\n\s*(?=[^\W\d_])")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ﬁ": "fi", "ﬂ": "fl"})
_NON_ALNUM = re.compile(r"[\W_]+")
# "L5741-1" is written "L. 5741-1" elsewhere: split the letter from the number, as punctuation does.
_ARTICLE_GLUED = re.compile(r"\b([LRD])(?=\d{3,4}\b)")


def normalize(text: str, join_hyphens: bool = True) -> str:
    """The form quotes and facts are compared in.

    Case, accents, apostrophe styles, punctuation, markdown stars and line layout must not decide
    whether "268 Territoires, couvrant 62 %" matches "**268 Territoires**, couvrant 62%": fold,
    join words cut by a line-break hyphen, spell out ligatures, write "L5741-1" like "L. 5741-1",
    then turn every run of non-alphanumeric characters into one space.
    """
    text = text or ""
    if join_hyphens:
        text = _HYPHEN_BREAK.sub("", text)
    text = fold(_ARTICLE_GLUED.sub(r"\1 ", text)).translate(_LIGATURES)
    return _NON_ALNUM.sub(" ", text).strip()


def _variants(text: str) -> tuple[str, ...]:
    """A passage's normalised forms, space-padded: hyphenated line breaks joined, and (for
    "co-\nconstruction", which keeps its hyphen) not joined."""
    joined, kept = normalize(text), normalize(text, join_hyphens=False)
    return (f" {joined} ",) if joined == kept else (f" {joined} ", f" {kept} ")


def _found(variants: tuple[str, ...], needle: str) -> bool:
    needle = normalize(needle)
    return bool(needle) and any(f" {needle} " in v for v in variants)


def contains(haystack: str, needle: str) -> bool:
    """Whole-word containment of normalised texts ("268" is not found in "1268")."""
    return _found(_variants(haystack), needle)


def passage_text(title: str, section: str, text: str) -> str:
    """What a reader sees of a passage: title and section give context to the quoted text."""
    return "\n".join(part for part in (title, section, text) if part)


def has_evidence(source: str, title: str, section: str, text: str, evidence: Iterable[Evidence]) -> bool:
    """A passage holds evidence if it comes from the evidence's file and contains its quote."""
    evidence = [e for e in evidence if e.source == source]
    if not evidence:
        return False
    variants = _variants(passage_text(title, section, text))
    return any(_found(variants, e.quote) for e in evidence)


def citation_has_evidence(citation: Citation, evidence: Iterable[Evidence]) -> bool:
    return has_evidence(citation.source, citation.title, citation.section, citation.text, evidence)


def chunk_has_evidence(chunk: Chunk, evidence: Iterable[Evidence]) -> bool:
    return has_evidence(chunk.doc.source, chunk.doc.title, chunk.section, chunk.text, evidence)


def fact_in(answer: str, fact: str) -> bool:
    """A key fact appears in the answer when its normalised form starts at a word of the answer:
    "outil" is found in "outils" (plurals), "268" is not found in "1268"."""
    fact = normalize(fact)
    return bool(fact) and any(f" {fact}" in v for v in _variants(answer))


def facts_found(answer: str, key_facts: list[list[str]]) -> list[bool]:
    """For each key-fact group, whether one of its alternatives appears in the answer."""
    return [any(fact_in(answer, alternative) for alternative in group) for group in key_facts]


def preview(text: str, words: int = PREVIEW_WORDS) -> str:
    parts = (text or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# ---------------------------------------------------------------------------------------------
# Ranking metrics (binary relevance)


def first_relevant_rank(relevance: list[bool], k: int = RANK_DEPTH) -> int | None:
    """1-based rank of the first relevant passage within the first k, None when there is none."""
    for rank, relevant in enumerate(relevance[:k], 1):
        if relevant:
            return rank
    return None


def hit_at_k(relevance: list[bool], k: int) -> float:
    return 1.0 if any(relevance[:k]) else 0.0


def reciprocal_rank(relevance: list[bool], k: int = RANK_DEPTH) -> float:
    rank = first_relevant_rank(relevance, k)
    return 1.0 / rank if rank else 0.0


def ndcg_at_k(relevance: list[bool], k: int = RANK_DEPTH, n_relevant: int | None = None) -> float:
    """nDCG with binary gains. The ideal ranking puts all `n_relevant` passages of the index that
    hold evidence first (overlapping chunks can hold the same quote), so finding one of three
    relevant passages is not a perfect score."""
    dcg = sum(1.0 / math.log2(i + 2) for i, rel in enumerate(relevance[:k]) if rel)
    n_ideal = max(n_relevant if n_relevant is not None else 0, sum(bool(r) for r in relevance[:k]))
    idcg = sum(1.0 / math.log2(i + 2) for i in range(min(k, n_ideal)))
    return dcg / idcg if idcg > 0 else 0.0


# ---------------------------------------------------------------------------------------------
# Systems compared: the product's retrieval and baselines on the same chunks


@dataclass
class System:
    """Something that ranks the indexed chunks for a question."""

    name: str
    label: str
    description: str
    search: Callable[[str, int], list[Chunk]]


def product_systems(retriever, baselines: bool = True, progress: bool = False) -> list[System]:
    """The product's hybrid retrieval, then (optionally) the baselines, all over `retriever.chunks`."""

    def mode(name: str) -> Callable[[str, int], list[Chunk]]:
        return lambda question, k: [h.chunk for h in retriever.retrieve(question, top_k=k, mode=name)]

    systems = [System("product", "Product (hybrid)", "dense (FAISS) + French BM25, reciprocal-rank fusion, glossary expansion: the retrieval `ask` uses", mode("hybrid"))]
    if baselines:
        systems += [
            System("bm25", "BM25 only", "the product's French BM25 alone (mode=\"sparse\")", mode("sparse")),
            System("dense", "Dense only", "the product's FAISS dense retrieval alone (mode=\"dense\")", mode("dense")),
            llamaindex_default_system(retriever, progress),
        ]
    return systems


def llamaindex_default_system(retriever, progress: bool = False) -> System:
    """A plain LlamaIndex VectorStoreIndex, default settings, same embedder, same chunks.

    Default in-memory SimpleVectorStore and default retriever; one TextNode per chunk with the plain
    chunk text (no title/section prefix) and the chunk id as node id. This is what "a RAG built with
    LlamaIndex's defaults" would retrieve, to show what the product's own retrieval adds.
    """
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode

    from .embed import LlamaIndexEmbedding

    nodes = [TextNode(id_=chunk.id, text=chunk.text) for chunk in retriever.chunks]
    # It embeds every chunk again (plain text differs from what the product indexed): LlamaIndex's
    # own progress bar shows it on large corpora.
    index = VectorStoreIndex(nodes, embed_model=LlamaIndexEmbedding(retriever.embedder), show_progress=progress and len(nodes) > 200)
    by_id = retriever.by_id

    def search(question: str, k: int) -> list[Chunk]:
        found = index.as_retriever(similarity_top_k=k).retrieve(question)
        return [by_id[n.node.node_id] for n in found if n.node.node_id in by_id]

    return System("llamaindex", "LlamaIndex default", "VectorStoreIndex defaults (SimpleVectorStore, similarity_top_k=10), same embedder, plain chunk text", search)


# ---------------------------------------------------------------------------------------------
# Running the items


@dataclass
class Ranking:
    """One system's first passages for one item, with which ones hold evidence."""

    chunk_ids: list[str]
    sources: list[str]
    previews: list[str]
    relevance: list[bool]

    @property
    def first_rank(self) -> int | None:
        return first_relevant_rank(self.relevance)

    def to_dict(self) -> dict:
        return {
            "first_evidence_rank": self.first_rank,
            "chunk_ids": self.chunk_ids,  # "<source>::p<page>::<offset>"
            "evidence": self.relevance,
            # previews of the first 3 only: enough to see what came up, keeps metrics.json small
            "top3": [{"source": s, "preview": p} for s, p in zip(self.sources[:3], self.previews[:3])],
        }


@dataclass
class CitationCheck:
    n: int
    source: str
    used: bool
    evidence: bool
    preview: str  # the quoted sentence (or the passage's first words when none was quoted)


@dataclass
class ItemResult:
    item: EvalItem
    standalone: str  # the question retrieval saw (condensed for follow-ups)
    answer: str
    abstained: bool
    backend: str
    timings_ms: dict[str, float]
    citations: list[CitationCheck]  # returned citations (empty on abstention)
    closest: list[CitationCheck]  # passages shown on abstention
    facts: list[bool]
    rankings: dict[str, Ranking]
    n_relevant: int  # passages of the index that hold an evidence quote
    abstention_reason: str | None = None

    @property
    def evidence_in_index(self) -> bool:
        return self.n_relevant > 0

    @property
    def scored_for_retrieval(self) -> bool:
        """Retrieval metrics need an answerable item whose evidence exists in the index."""
        return self.item.answerable and self.evidence_in_index

    @property
    def cited_with_evidence(self) -> bool:
        return any(c.evidence for c in self.citations)

    @property
    def cited_gold_document(self) -> bool:
        return bool({c.source for c in self.citations} & {e.source for e in self.item.evidence})

    @property
    def key_facts_ok(self) -> bool:
        return all(self.facts)

    def checks(self) -> dict[str, bool]:
        """Named pass/fail checks; an item passes when all hold. Names are what the report lists."""
        if not self.item.answerable:
            return {"abstained (question is unanswerable)": self.abstained}
        checks = {"answered (no false abstention)": not self.abstained}
        if self.item.evidence:
            checks["evidence exists in index"] = self.evidence_in_index
            product = self.rankings.get("product")
            if product is not None:
                checks["evidence retrieved in top 10"] = product.first_rank is not None
            checks["a citation holds evidence"] = self.cited_with_evidence
        if self.item.key_facts:
            checks["all key facts in answer"] = self.key_facts_ok
        return checks

    @property
    def passed(self) -> bool:
        return all(self.checks().values())

    def failed_checks(self) -> list[str]:
        failed = [name for name, ok in self.checks().items() if not ok]
        if "all key facts in answer" in failed:
            missing = [" | ".join(g) for g, ok in zip(self.item.key_facts, self.facts) if not ok]
            failed[failed.index("all key facts in answer")] = "missing key facts: " + "; ".join(missing)
        return failed

    def to_dict(self) -> dict:
        item = self.item
        return {
            "id": item.id,
            "question": item.question,
            "turns": item.turns,
            "standalone_question": self.standalone,
            "answerable": item.answerable,
            "tags": item.tags,
            "passed": self.passed,
            "failed_checks": self.failed_checks(),
            "answer": self.answer,
            "abstained": self.abstained,
            "abstention_reason": self.abstention_reason,
            "backend": self.backend,
            "timings_ms": self.timings_ms,
            "key_facts": item.key_facts,
            "key_facts_found": self.facts,
            "evidence": [{"source": e.source, "quote": e.quote} for e in item.evidence],
            "relevant_passages_in_index": self.n_relevant,
            "citations": [c.__dict__ for c in self.citations],
            "closest": [c.__dict__ for c in self.closest],
            "retrieval": {name: r.to_dict() for name, r in self.rankings.items()},
        }


@dataclass
class EvalRun:
    results: list[ItemResult]
    systems: list[System]
    meta: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


class EvidenceIndex:
    """Which chunks hold an item's evidence; normalised chunk texts are computed once."""

    def __init__(self, chunks: list[Chunk]):
        self.by_source: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for chunk in chunks:
            variants = _variants(passage_text(chunk.doc.title, chunk.section, chunk.text))
            self.by_source.setdefault(chunk.doc.source, []).append((chunk.id, variants))

    def relevant_ids(self, evidence: list[Evidence]) -> set[str]:
        found = set()
        for e in evidence:
            found.update(cid for cid, variants in self.by_source.get(e.source, []) if _found(variants, e.quote))
        return found

    def sources(self) -> set[str]:
        return set(self.by_source)


def _check_citation(citation: Citation, evidence: list[Evidence]) -> CitationCheck:
    # The quoted sentence says more about why a passage was picked than its first words.
    shown = citation.quote if citation.quote.strip() else citation.text
    return CitationCheck(citation.n, citation.source, citation.used, citation_has_evidence(citation, evidence), preview(shown, 25))


class QueryMemo:
    """Wraps the embedder to remember the query vectors `ask` computed.

    The rankings scored after `ask` embed the very same texts again (the expanded question for
    hybrid/dense, the plain question for the LlamaIndex baseline): replaying the vectors gives
    identical rankings for a fraction of the CPU. While `ask` runs it only records, so the
    latencies it reports are untouched.
    """

    def __init__(self, inner):
        self.inner = inner
        self.vectors: dict[str, np.ndarray] = {}
        self.replay = False

    def __getattr__(self, name: str):  # model_id, dim, thresholds, embed_passages...
        return getattr(self.inner, name)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        missing = texts if not self.replay else [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.inner.embed_queries(missing)))
        return np.stack([self.vectors[t] for t in texts]) if texts else self.inner.embed_queries([])

    @contextmanager
    def replaying(self):
        self.replay = True
        try:
            yield
        finally:
            self.replay = False


def ask_item(assistant, item: EvalItem, top_k: int | None = None):
    """Ask an item as a user would: previous turns first, each with the history of the turns before."""
    history: list[str] = []
    for turn in item.previous_turns:
        previous = assistant.ask(turn, history=history, top_k=top_k)
        history.append(previous.standalone_question or turn)
    return assistant.ask(item.scored_question, history=history, top_k=top_k)


def evaluate_item(
    assistant, item: EvalItem, systems: list[System], evidence_index: EvidenceIndex, top_k: int | None = None, memo: "QueryMemo | None" = None
) -> ItemResult:
    """Run one item through `Assistant.ask` and every system's ranking, and check the outcome."""
    if memo is not None:
        memo.vectors.clear()
    answer = ask_item(assistant, item, top_k)
    standalone = answer.standalone_question or item.scored_question
    relevant = evidence_index.relevant_ids(item.evidence)
    rankings = {}
    with memo.replaying() if memo is not None else nullcontext():
        for system in systems:
            chunks = system.search(standalone, RANK_DEPTH)[:RANK_DEPTH]
            rankings[system.name] = Ranking(
                chunk_ids=[c.id for c in chunks],
                sources=[c.doc.source for c in chunks],
                previews=[preview(c.text) for c in chunks],
                relevance=[c.id in relevant for c in chunks],
            )
    return ItemResult(
        item=item,
        standalone=standalone,
        answer=answer.answer,
        abstained=answer.abstained,
        backend=answer.backend,
        timings_ms=dict(answer.timings_ms),
        citations=[_check_citation(c, item.evidence) for c in answer.citations],
        closest=[_check_citation(c, item.evidence) for c in answer.closest],
        facts=facts_found(answer.answer, item.key_facts) if not answer.abstained else [False] * len(item.key_facts),
        rankings=rankings,
        n_relevant=len(relevant),
        abstention_reason=answer.abstention_reason,
    )


def run_eval(
    assistant,
    items: list[EvalItem],
    top_k: int | None = None,
    baselines: bool = True,
    progress: bool = True,
    meta: dict | None = None,
) -> EvalRun:
    """Evaluate every item; a tqdm bar on stderr shows progress."""
    from tqdm import tqdm

    started = time.perf_counter()
    retriever = assistant.retriever
    top_k = top_k or assistant.settings.top_k
    evidence_index = EvidenceIndex(retriever.chunks)
    warnings = _evalset_warnings(items, evidence_index)
    original_embedder = retriever.embedder
    memo = retriever.embedder = QueryMemo(original_embedder)
    try:
        systems = product_systems(retriever, baselines, progress)
        if items:  # warm-up: the first call pays for lazy loading, which is not what users wait for
            assistant.ask(items[0].scored_question, top_k=top_k)
        results = []
        for item in tqdm(items, desc="Évaluation", unit="question", file=sys.stderr, disable=not progress, leave=False):
            results.append(evaluate_item(assistant, item, systems, evidence_index, top_k, memo))
    finally:
        retriever.embedder = original_embedder
    for result in results:
        if result.item.answerable and result.item.evidence and not result.evidence_in_index:
            warnings.append(
                f"{result.item.id}: no indexed passage contains its evidence quote(s); the quote may be wrong or cut by chunking. "
                "It is left out of the retrieval metrics (but counts as a failure)."
            )
    extractor = assistant.extractor
    run_meta = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "index_dir": str(retriever.index_dir),
        "embedder": retriever.manifest.get("embedder", {}).get("id"),
        "chunks": len(retriever.chunks),
        "documents": len(retriever.documents()),
        "top_k": top_k,
        "backend": results[0].backend if results else "extractive",
        "baselines": baselines,
        "answer_model": {"min_score": extractor.min_score(), "extra_margin": extractor.model.extra_margin, **extractor.model.meta},
        **(meta or {}),
    }
    run_meta["duration_s"] = round(time.perf_counter() - started, 1)
    return EvalRun(results, systems, run_meta, warnings)


def _evalset_warnings(items: list[EvalItem], evidence_index: EvidenceIndex) -> list[str]:
    """Eval-set problems worth knowing before reading the numbers."""
    warnings = []
    known = evidence_index.sources()
    for item in items:
        for e in item.evidence:
            if e.source not in known:
                warnings.append(f"{item.id}: evidence source {e.source!r} is not in the index (wrong --index, or file not ingested?)")
        if item.answerable and not item.evidence:
            warnings.append(f"{item.id}: answerable but has no evidence; left out of retrieval and citation metrics")
    return warnings


# ---------------------------------------------------------------------------------------------
# Aggregation


def _mean(values: list[float]) -> float | None:
    return round(float(np.mean(values)), 4) if values else None


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "mean": None, "max": None, "n": 0}
    arr = np.asarray(values, dtype=float)
    return {
        "p50": round(float(np.percentile(arr, 50)), 1),
        "p95": round(float(np.percentile(arr, 95)), 1),
        "mean": round(float(arr.mean()), 1),
        "max": round(float(arr.max()), 1),
        "n": len(values),
    }


def retrieval_metrics(results: list[ItemResult], system: str, top_k: int) -> dict:
    """hit@k, MRR@10, nDCG@10 and citation recall@top_k of one system's rankings.

    Over answerable items whose evidence exists in the index. "citation recall@top_k" is whether
    the first top_k passages (what would be cited) hold evidence.
    """
    scored = [r for r in results if r.scored_for_retrieval and system in r.rankings]
    rankings = [r.rankings[system] for r in scored]
    out: dict[str, Any] = {"n": len(scored)}
    for k in HIT_KS:
        out[f"hit@{k}"] = _mean([hit_at_k(x.relevance, k) for x in rankings])
    out["mrr@10"] = _mean([reciprocal_rank(x.relevance) for x in rankings])
    out["ndcg@10"] = _mean([ndcg_at_k(x.relevance, RANK_DEPTH, r.n_relevant) for r, x in zip(scored, rankings)])
    out["citation_recall"] = _mean([hit_at_k(x.relevance, top_k) for x in rankings])
    return out


def answer_metrics(results: list[ItemResult]) -> dict:
    """Metrics of the product's answers (citations, key facts, abstention); see METRIC_DOCS."""
    answerable = [r for r in results if r.item.answerable]
    unanswerable = [r for r in results if not r.item.answerable]
    with_evidence = [r for r in answerable if r.item.evidence]
    cited = [c for r in with_evidence for c in r.citations if c.used]
    with_facts = [r for r in answerable if r.item.key_facts]
    answered_with_facts = [r for r in with_facts if not r.abstained]
    groups = [ok for r in with_facts for ok in r.facts]
    abstained = [r for r in results if r.abstained]
    true_abstentions = [r for r in abstained if not r.item.answerable]
    false_abstentions = [r for r in answerable if r.abstained]
    return {
        "items": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "cited_passages": len(cited),
        "citation_precision": _ratio(sum(c.evidence for c in cited), len(cited)),
        "citation_recall": _ratio(sum(r.cited_with_evidence for r in with_evidence), len(with_evidence)),
        "gold_document_cited": _ratio(sum(r.cited_gold_document for r in with_evidence), len(with_evidence)),
        "key_fact_items": len(with_facts),
        "key_fact_accuracy": _ratio(sum(r.key_facts_ok for r in with_facts), len(with_facts)),
        "key_fact_accuracy_answered": _ratio(sum(r.key_facts_ok for r in answered_with_facts), len(answered_with_facts)),
        "key_fact_rate": _ratio(sum(groups), len(groups)),
        "abstained": len(abstained),
        "abstention_precision": _ratio(len(true_abstentions), len(abstained)),
        "abstention_recall": _ratio(len(true_abstentions), len(unanswerable)),
        "false_abstention_rate": _ratio(len(false_abstentions), len(answerable)),
        "answer_rate_answerable": _ratio(len(answerable) - len(false_abstentions), len(answerable)),
        "pass_rate": _ratio(sum(r.passed for r in results), len(results)),
    }


def latency_metrics(results: list[ItemResult]) -> dict:
    return {stage: percentiles([r.timings_ms[stage] for r in results if stage in r.timings_ms]) for stage in ("retrieve", "answer", "total")}


def aggregate(results: list[ItemResult], system_names: list[str], top_k: int) -> dict:
    """All figures for a set of results (the whole run, or one tag value)."""
    systems = {name: retrieval_metrics(results, name, top_k) for name in system_names}
    answer = answer_metrics(results)
    if "product" in systems:  # the product's citation recall is measured on its real citations
        systems["product"]["citation_recall"] = answer["citation_recall"]
    return {"systems": systems, "answer": answer, "latency_ms": latency_metrics(results)}


SUMMARY_KEYS = (
    "hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10",
    "citation_precision", "citation_recall", "gold_document_cited", "key_fact_accuracy", "key_fact_accuracy_answered", "key_fact_rate",
    "abstention_precision", "abstention_recall", "false_abstention_rate", "answer_rate_answerable", "pass_rate",
)


def compute_metrics(run: EvalRun) -> dict:
    """metrics.json: run info, product and baseline figures, per-tag breakdown, per-item results."""
    names = [s.name for s in run.systems]
    top_k = run.meta["top_k"]
    overall = aggregate(run.results, names, top_k)
    product, answer = overall["systems"]["product"], overall["answer"]
    summary = {key: product.get(key, answer.get(key)) for key in SUMMARY_KEYS}
    summary["latency_total_p50_ms"] = overall["latency_ms"]["total"]["p50"]
    summary["latency_total_p95_ms"] = overall["latency_ms"]["total"]["p95"]
    tag_keys = sorted({k for r in run.results for k in r.item.tags}, key=lambda k: (("kind", "doc", "lang") + (k,)).index(k))
    by_tag: dict[str, dict] = {}
    for key in tag_keys:
        values = sorted({r.item.tags.get(key, "(none)") for r in run.results})
        by_tag[key] = {}
        for value in values:
            subset = [r for r in run.results if r.item.tags.get(key, "(none)") == value]
            part = aggregate(subset, names, top_k)
            by_tag[key][value] = {"n": len(subset), "systems": part["systems"], "answer": part["answer"]}
    counts = {
        "items": len(run.results),
        "answerable": sum(r.item.answerable for r in run.results),
        "unanswerable": sum(not r.item.answerable for r in run.results),
        "two_turn": sum(bool(r.item.turns) for r in run.results),
        "retrieval_scored": sum(r.scored_for_retrieval for r in run.results),
        "passed": sum(r.passed for r in run.results),
    }
    return {
        "meta": run.meta,
        "counts": counts,
        "systems": {s.name: {"label": s.label, "description": s.description, **overall["systems"][s.name]} for s in run.systems},
        "answer": answer,
        "latency_ms": overall["latency_ms"],
        "summary": summary,
        "by_tag": by_tag,
        "warnings": run.warnings,
        "failures": [r.item.id for r in run.results if not r.passed],
        "items": [r.to_dict() for r in run.results],
    }


# ---------------------------------------------------------------------------------------------
# Thresholds (CI gate)


def load_thresholds(path: Path | str) -> dict:
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"Seuils illisibles : {path} ({exc})") from exc


def check_thresholds(metrics: dict, thresholds: dict) -> list[str]:
    """Failures of the product's figures against minimums (and optional maximums).

    `metrics` is metrics.json (its "summary" is used) or a flat {name: value} dict; `thresholds`
    is {"min": {name: value}, "max": {name: value}} or a flat {name: minimum}. A metric that was
    not measured (missing or None) is a failure too: a gate must not pass by not looking.
    """
    values = metrics.get("summary", metrics)
    if "min" in thresholds or "max" in thresholds:
        minimums, maximums = thresholds.get("min", {}), thresholds.get("max", {})
    else:
        minimums, maximums = {k: v for k, v in thresholds.items() if isinstance(v, (int, float))}, {}
    failures = []
    for bound, limits in (("min", minimums), ("max", maximums)):
        for name, limit in limits.items():
            value = values.get(name)
            if value is None:
                failures.append(f"{name}: not measured (expected {'≥' if bound == 'min' else '≤'} {limit})")
            elif bound == "min" and value < limit:
                failures.append(f"{name} = {value:.3f} is below the minimum {limit:.3f}")
            elif bound == "max" and value > limit:
                failures.append(f"{name} = {value:.3f} is above the maximum {limit:.3f}")
    return failures


# ---------------------------------------------------------------------------------------------
# Report


METRIC_DOCS = [
    ("matching", "texts are compared lowercased, accents folded, apostrophes unified, œ/æ spelled out, words cut by a line-break hyphen joined, and every run of punctuation/markdown/whitespace turned into one space. A passage \"holds evidence\" when it comes from the evidence's file and its title + section + text contain the whole quote on word boundaries."),
    ("hit@k", "share of answerable items where one of the first k retrieved passages (of 10, retrieved for the standalone question) holds evidence."),
    ("MRR@10", "mean of 1/rank of the first passage holding evidence (0 when none in the first 10)."),
    ("nDCG@10", "binary-relevance nDCG over the first 10 passages; the ideal ranking puts every indexed passage holding evidence first (overlapping chunks can hold the same quote)."),
    ("citation recall", "product: share of answerable items where at least one of the citations returned by `ask` contains evidence (an abstention returns no citations, so it counts as a miss). Baselines: the same question asked of their first top_k passages (what they would cite)."),
    ("gold document cited", "share of answerable items where at least one citation comes from an evidence file (document level, the external service-public check's first figure; its second, the gold span inside a cited passage, is citation recall)."),
    ("citation precision", "share of the passages the answer text actually cites (its [n] markers) that contain evidence, over answerable items. A lower bound: a passage can support the answer without holding the listed quote."),
    ("key-fact accuracy", "share of answerable items whose answer contains every key fact (for each fact, any one of its accepted spellings, matched from the start of a word so that plurals count but \"268\" is not found in \"1268\"). Abstentions count as wrong. The \"answered only\" variant leaves abstentions out; the per-fact rate counts facts rather than items."),
    ("abstention precision / recall", "an abstention is a positive, an unanswerable item is relevant: precision = share of abstentions that were on unanswerable items; recall = share of unanswerable items where the assistant abstained."),
    ("false-abstention rate", "share of answerable items where the assistant abstained (1 - this = answer rate)."),
    ("pass", "an item passes when every check holds: answerable - answered, evidence in the top 10, a citation holds evidence, all key facts in the answer; unanswerable - abstained."),
    ("latency", "`timings_ms` of the scored `ask` call (retrieve = condensing + retrieval, answer = extraction/generation, total), measured on the machine running the eval (a busy machine inflates them)."),
]

RETRIEVAL_ROWS = [("hit@1", "hit@1"), ("hit@3", "hit@3"), ("hit@5", "hit@5"), ("hit@10", "hit@10"), ("mrr@10", "MRR@10"), ("ndcg@10", "nDCG@10"), ("citation_recall", "citation recall")]
ANSWER_ROWS = [
    ("citation_precision", "citation precision"),
    ("citation_recall", "citation recall"),
    ("gold_document_cited", "gold document cited"),
    ("key_fact_accuracy", "key-fact accuracy"),
    ("key_fact_accuracy_answered", "key-fact accuracy (answered only)"),
    ("key_fact_rate", "key facts found (per fact)"),
    ("abstention_precision", "abstention precision"),
    ("abstention_recall", "abstention recall"),
    ("false_abstention_rate", "false-abstention rate"),
    ("pass_rate", "items passing every check"),
]


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _md_escape(text: str) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_md_escape(cell) for cell in row) + " |" for row in rows]
    return lines


def render_markdown(metrics: dict, threshold_failures: list[str] | None = None) -> str:
    """report.md: readable without the code (what was run, what each number means, what failed)."""
    meta, counts, systems, answer = metrics["meta"], metrics["counts"], metrics["systems"], metrics["answer"]
    names = list(systems)
    top_k = meta["top_k"]
    out = ["# Evaluation report", ""]
    out += [
        f"- Date: {meta['date']} — run time {meta['duration_s']} s",
        f"- Eval set: `{meta.get('eval_set', '?')}` — {counts['items']} items ({counts['answerable']} answerable, "
        f"{counts['unanswerable']} unanswerable, {counts['two_turn']} two-turn)",
        f"- Index: `{meta['index_dir']}` — {meta['documents']} documents, {meta['chunks']} passages, embedder `{meta['embedder']}`"
        + (f", corpus `{meta['corpus_dir']}`" if meta.get("corpus_dir") else ""),
        f"- Answers: `{meta['backend']}` backend, top_k = {top_k} citations; answer model "
        + ", ".join(f"{k} = {v}" for k, v in meta["answer_model"].items()),
        f"- Items passing every check: **{counts['passed']} / {counts['items']}**",
        "",
    ]
    if meta.get("stale"):
        out += ["> **Warning:** the index is older than the corpus (new, changed or deleted files). Run `python -m assistant ingest` first.", ""]
    if threshold_failures is not None:
        if threshold_failures:
            out += ["**CI gate: FAILED**", ""] + [f"- {f}" for f in threshold_failures] + [""]
        else:
            out += ["**CI gate: passed** (every metric at or above its threshold)", ""]

    out += ["## Product vs baselines (retrieval)", ""]
    out += [
        f"Same chunks, same embedder, same questions (the standalone question for follow-ups). Retrieval metrics are over "
        f"the {systems['product']['n']} answerable items whose evidence exists in the index. "
        f"Citation recall: product = citations returned by `ask`; baselines = their first {top_k} passages.",
        "",
    ]
    header = ["metric"] + [systems[n]["label"] for n in names]
    rows = [[label] + [_fmt(systems[n].get(key)) for n in names] for key, label in RETRIEVAL_ROWS]
    out += _table(header, rows) + [""]
    out += [f"- **{systems[n]['label']}**: {systems[n]['description']}" for n in names] + [""]

    out += ["## Answers (product)", ""]
    rows = [[label, _fmt(answer.get(key))] for key, label in ANSWER_ROWS]
    out += _table(["metric", "value"], rows)
    out += [
        "",
        f"{answer['answerable']} answerable items ({answer['key_fact_items']} with key facts, {answer['cited_passages']} cited passages), "
        f"{answer['unanswerable']} unanswerable; the assistant abstained {answer['abstained']} times.",
        "",
    ]

    out += ["## Latency (product, ms)", ""]
    rows = [[stage] + [_fmt(stats[k], 1) for k in ("p50", "p95", "mean", "max")] for stage, stats in metrics["latency_ms"].items()]
    out += _table(["stage", "p50", "p95", "mean", "max"], rows) + [""]
    out += ["![metrics and latency](plot.png)", ""]

    out += ["## What the metrics mean", ""]
    out += [f"- **{name}**: {text}" for name, text in METRIC_DOCS] + [""]

    out += ["## Breakdown by tag", ""]
    for key, values in metrics["by_tag"].items():
        out += [f"### {key}", ""]
        header = [key, "n", "pass", "hit@5", "MRR@10", "cit. recall", "key facts", "false abst.", "abst. recall"]
        header += [f"hit@5 {systems[n]['label']}" for n in names if n != "product"]
        rows = []
        for value, part in values.items():
            p, a = part["systems"]["product"], part["answer"]
            row = [value, str(part["n"]), _fmt(a["pass_rate"], 2), _fmt(p["hit@5"], 2), _fmt(p["mrr@10"], 2), _fmt(a["citation_recall"], 2),
                   _fmt(a["key_fact_accuracy"], 2), _fmt(a["false_abstention_rate"], 2), _fmt(a["abstention_recall"], 2)]
            row += [_fmt(part["systems"][n]["hit@5"], 2) for n in names if n != "product"]
            rows.append(row)
        out += _table(header, rows) + [""]

    failed = [i for i in metrics["items"] if not i["passed"]]
    out += [f"## Failed items ({len(failed)})", ""]
    if not failed:
        out += ["None.", ""]
    for item in failed:
        out += _render_failure(item, names, systems)

    if metrics["warnings"]:
        out += ["## Warnings about the eval set", ""] + [f"- {w}" for w in metrics["warnings"]] + [""]

    out += ["## All items", ""]
    header = ["id", "kind", "pass", "abstained", "key facts"] + [f"rank {systems[n]['label']}" for n in names] + ["total ms"]
    rows = []
    for item in metrics["items"]:
        facts = f"{sum(item['key_facts_found'])}/{len(item['key_facts'])}" if item["key_facts"] else "—"
        ranks = [_fmt(item["retrieval"][n]["first_evidence_rank"]) if item["answerable"] and item["evidence"] else "—" for n in names]
        rows.append([item["id"], item["tags"].get("kind", ""), "yes" if item["passed"] else "**no**", "yes" if item["abstained"] else "no", facts, *ranks, _fmt(item["timings_ms"].get("total"), 0)])
    out += _table(header, rows)
    out += ["", "rank = rank of the first passage holding evidence in the top 10 (n/a: none)."]
    return "\n".join(out) + "\n"


def _render_failure(item: dict, names: list[str], systems: dict) -> list[str]:
    out = [f"### {item['id']} — {', '.join(f'{k}={v}' for k, v in item['tags'].items())}", ""]
    question = " → ".join(item["turns"]) if item["turns"] else item["question"]
    out.append(f"- Question: {question}")
    if item["standalone_question"] != (item["turns"][-1] if item["turns"] else item["question"]):
        out.append(f"- Standalone question used for retrieval: {item['standalone_question']}")
    out.append(f"- Expected: {'answerable' if item['answerable'] else 'unanswerable (should abstain)'}")
    for e in item["evidence"]:
        out.append(f"  - evidence: `{e['source']}` « {e['quote']} »")
    if item["key_facts"]:
        out.append("  - key facts: " + "; ".join(" | ".join(g) for g in item["key_facts"]))
    out.append(f"- **Checks not met:** {'; '.join(item['failed_checks'])}")
    abstained = f" (abstained: {item['abstention_reason']})" if item.get("abstention_reason") else " (abstained)" if item["abstained"] else ""
    out.append(f"- Answer{abstained}: {' '.join(item['answer'].split())[:600]}")
    shown = item["citations"] or item["closest"]
    if shown:
        out.append("- Retrieved (top 3 " + ("citations" if item["citations"] else "closest passages, shown on abstention") + "):")
        for c in shown[:3]:
            flags = ("cited, " if c["used"] else "") + ("holds evidence" if c["evidence"] else "no evidence")
            out.append(f"  {c['n']}. `{c['source']}` ({flags}): {c['preview']}")
    if item["answerable"] and item["evidence"]:
        ranks = ", ".join(f"{systems[n]['label']} {_fmt(item['retrieval'][n]['first_evidence_rank'])}" for n in names)
        out.append(f"- First evidence rank in top 10: {ranks}")
    return out + [""]


def write_plot(metrics: dict, path: Path, latencies: dict[str, list[float]]) -> None:
    """Grouped bars of retrieval metrics per system, the product's answer metrics, latency boxplots."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = metrics["systems"]
    names = list(systems)
    fig = plt.figure(figsize=(14, 9))
    grid = fig.add_gridspec(2, 2, height_ratios=[1, 1])

    ax = fig.add_subplot(grid[0, :])
    width = 0.8 / max(len(names), 1)
    x = np.arange(len(RETRIEVAL_ROWS))
    for i, name in enumerate(names):
        values = [systems[name].get(key) or 0.0 for key, _ in RETRIEVAL_ROWS]
        bars = ax.bar(x + (i - (len(names) - 1) / 2) * width, values, width, label=systems[name]["label"])
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
    ax.set_xticks(x, [label if key != "citation_recall" else "citation recall\n(product: its real citations,\nabstentions count as misses)" for key, label in RETRIEVAL_ROWS], fontsize=9)
    ax.set_ylim(0, 1.25)
    ax.set_title(f"Retrieval: product vs baselines ({systems['product']['n']} answerable items)")
    ax.legend(loc="upper center", fontsize=8, ncols=len(names), frameon=False)

    ax = fig.add_subplot(grid[1, 0])
    answer = metrics["answer"]
    rows = [(k, l) for k, l in ANSWER_ROWS if k != "false_abstention_rate"] + [("answer_rate_answerable", "answer rate (answerable)")]
    values = [answer.get(k) or 0.0 for k, _ in rows]
    bars = ax.barh([l for _, l in rows], values, color="tab:blue")
    ax.bar_label(bars, labels=[_fmt(answer.get(k), 2) for k, _ in rows], fontsize=7, padding=2)
    ax.set_xlim(0, 1.15)
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title("Product answers")

    ax = fig.add_subplot(grid[1, 1])
    labels = [k for k, v in latencies.items() if v]
    data = [latencies[k] for k in labels]
    if data:
        ax.boxplot(data, whis=(5, 95), flierprops={"markersize": 3})  # whisker tops are the p95
        ax.set_xticks(range(1, len(labels) + 1), labels)
        for i, values in enumerate(data, 1):
            p50, p95 = np.percentile(values, [50, 95])
            ax.annotate(f"p50 {p50:.0f}\np95 {p95:.0f}", (i + 0.27, p50), fontsize=7, va="center")
        ax.set_xlim(0.5, len(data) + 0.95)  # room for the last box's labels
        if min(min(v) for v in data) > 0:
            ax.set_yscale("log")
    ax.set_ylabel("ms" + (" (log scale)" if ax.get_yscale() == "log" else ""))
    ax.set_title(f"Product latency per stage ({len(data[0]) if data else 0} questions; whiskers p5-p95)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(run: EvalRun, report_dir: Path | str, threshold_failures: list[str] | None = None, metrics: dict | None = None) -> dict:
    """Write report.md, metrics.json and plot.png into `report_dir`; return the metrics."""
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    metrics = metrics or compute_metrics(run)
    if threshold_failures is not None:
        metrics["gate"] = {"passed": not threshold_failures, "failures": threshold_failures}
    (report_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    latencies = {stage: [r.timings_ms[stage] for r in run.results if stage in r.timings_ms] for stage in ("retrieve", "answer", "total")}
    write_plot(metrics, report_dir / "plot.png", latencies)
    (report_dir / "report.md").write_text(render_markdown(metrics, threshold_failures), encoding="utf-8")
    return metrics


def summary_text(metrics: dict) -> str:
    """A few lines for the terminal."""
    s, counts, systems = metrics["summary"], metrics["counts"], metrics["systems"]
    lines = [
        f"{counts['items']} items ({counts['answerable']} answerable, {counts['unanswerable']} unanswerable): {counts['passed']} pass every check.",
        "Retrieval hit@5 / MRR@10: " + ", ".join(f"{v['label']} {_fmt(v['hit@5'], 2)} / {_fmt(v['mrr@10'], 2)}" for v in systems.values()),
        f"Citations: precision {_fmt(s['citation_precision'], 2)}, recall {_fmt(s['citation_recall'], 2)}, gold document cited {_fmt(s['gold_document_cited'], 2)} — "
        f"key-fact accuracy {_fmt(s['key_fact_accuracy'], 2)}",
        f"Abstention: precision {_fmt(s['abstention_precision'], 2)}, recall {_fmt(s['abstention_recall'], 2)}, "
        f"false-abstention rate {_fmt(s['false_abstention_rate'], 2)}",
        f"Latency total p50 / p95: {_fmt(s['latency_total_p50_ms'], 0)} / {_fmt(s['latency_total_p95_ms'], 0)} ms",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# CLI


def _eval_settings(args):
    """Settings for the index being evaluated; the corpus folder comes from --corpus or the manifest."""
    from .index import read_manifest, resolve_index_dir
    from .settings import Settings

    settings = Settings.from_env(index_dir=args.index)
    corpus = getattr(args, "corpus", None)
    if corpus is None:
        manifest = read_manifest(resolve_index_dir(settings.index_dir))
        corpus = manifest.get("corpus_dir")
    return settings.replace(corpus_dir=Path(corpus) if corpus else None)


def cmd_eval(args) -> int:
    from .index import is_stale
    from .pipeline import Assistant

    settings = _eval_settings(args)
    items = load_evalset(args.set, args.limit)
    thresholds = load_thresholds(args.check_thresholds) if args.check_thresholds else None  # fail before the run, not after
    assistant = Assistant.from_settings(settings)
    if args.calibrate:
        from .calibrate import calibrate, calibration_text, write_calibration

        result = calibrate(assistant, items, args.top_k)
        print(calibration_text(result, write_calibration(result, args.report)))
        return 0
    try:
        stale = is_stale(settings)
    except AssistantError:
        stale = None  # corpus folder not available: cannot tell
    meta = {"eval_set": str(args.set), "corpus_dir": str(settings.corpus_dir), "stale": stale}
    if stale:
        print("Attention : l'index n'est pas à jour par rapport au corpus (python -m assistant ingest).", file=sys.stderr)
    run = run_eval(assistant, items, top_k=args.top_k, baselines=not args.no_baselines, meta=meta)
    metrics = compute_metrics(run)
    failures = check_thresholds(metrics, thresholds) if thresholds is not None else None
    write_report(run, args.report, failures, metrics)
    print(summary_text(metrics))
    print(f"Report: {Path(args.report) / 'report.md'}")
    if failures:
        print("CI gate FAILED:", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    if failures is not None:
        print("CI gate passed.")
    return 0


def cmd_import_squad(args) -> int:
    from .squad import import_squad

    report = import_squad(args.file, args.corpus, args.set, limit=args.limit)
    print(report.summary())
    return 0


def register_cli(sub) -> None:
    """Add the `eval` and `import-squad` sub-commands to the CLI parser."""
    p = sub.add_parser("eval", help="évaluer l'assistant sur un jeu de questions (rapport, métriques, graphiques)")
    p.add_argument("--set", default=str(DEFAULT_SET), help=f"jeu d'évaluation JSONL (défaut : {DEFAULT_SET})")
    p.add_argument("--index", default=None, help="dossier de l'index (défaut : index/)")
    p.add_argument("--corpus", default=None, help="dossier du corpus (défaut : celui enregistré dans l'index)")
    p.add_argument("--report", default=str(DEFAULT_REPORT_DIR), help=f"dossier du rapport (défaut : {DEFAULT_REPORT_DIR})")
    p.add_argument("--top-k", type=int, default=None, help="nombre de passages lus par réponse (défaut : 6)")
    p.add_argument("--no-baselines", action="store_true", help="ne pas évaluer les références (BM25, dense, LlamaIndex par défaut)")
    p.add_argument("--limit", type=int, default=None, help="n'évaluer que les N premiers éléments")
    p.add_argument("--calibrate", action="store_true", help="ajuster le modèle de réponse extractive (poids, seuil d'abstention) sur ce jeu ; écrit answer_model.json")
    p.add_argument("--check-thresholds", metavar="FICHIER", default=None, help="échouer (code 1) si une métrique est sous son seuil")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("import-squad", help="importer un jeu de questions SQuAD/FQuAD (corpus + jeu d'évaluation)")
    p.add_argument("file", help="fichier JSON au format SQuAD")
    p.add_argument("--corpus", required=True, help="dossier où écrire les contextes (un .txt par contexte)")
    p.add_argument("--set", required=True, help="fichier JSONL du jeu d'évaluation à écrire")
    p.add_argument("--limit", type=int, default=None, help="n'importer que les N premières questions")
    p.set_defaults(func=cmd_import_squad)
