"""Plain records that cross pipeline stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property

from .text import SIGNATURES_LABEL, SIGNING_WORDS, signature_blocks


@dataclass(frozen=True)
class DocumentMeta:
    source: str  # path relative to the corpus root, with forward slashes
    title: str
    doc_type: str = "document"
    date: str | None = None
    language: str = "fr"
    origin: str = ""  # where the document comes from (the sidecar's "source")
    # How users name the document in a question ("l'accord de 2021", "the consulting offer"):
    # a question that names it gets its passages (see `retrieve.named_documents`).
    aliases: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "aliases", tuple(self.aliases))  # read back from JSON as a list

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


@dataclass(frozen=True)
class Chunk:
    id: str
    doc: DocumentMeta
    text: str  # cleaned text, original characters kept for display
    page: int | None
    section: str
    start_char: int  # offsets in the cleaned text of the page (or of the whole document without pages)
    end_char: int

    def search_text(self) -> str:
        """What retrieval sees: the passage plus the context a reader sees around it.

        A passage holding an agreement's signatures is also labelled as such: the names and titles
        never say "signé", so "Qui a signé l'accord ?" would not find them.
        """
        # "signé" too: the French stemmer keeps "signataires" and "signé" apart ("signatair", "sign")
        label = f"{SIGNATURES_LABEL} (signé par)" if self.holds_signatures else ""
        head = " — ".join(part for part in (self.doc.title, self.section, label) if part)
        return f"{head}\n{self.text}" if head else self.text

    def sparse_text(self) -> str:
        """What BM25 sees: the search text, plus, for signatures, the words of questions about the
        signing ("Quelle est la date de signature de l'accord ?", "Quand a-t-il été conclu ?").
        BM25 only: the same words in the embedded text moved unrelated questions' dense ranks."""
        if self.holds_signatures:
            return f"{self.search_text()}\n({SIGNING_WORDS})"
        return self.search_text()

    @cached_property  # read by both texts above, for every chunk at start-up
    def holds_signatures(self) -> bool:
        return bool(signature_blocks(self.text))


@dataclass
class Hit:
    chunk: Chunk
    score: float  # fused score
    dense_score: float | None = None
    sparse_score: float | None = None


@dataclass
class Citation:
    n: int
    source: str
    title: str
    page: int | None
    section: str
    text: str
    quote: str
    score: float
    doc_type: str = ""
    date: str | None = None
    quote_start: int = 0  # offsets of the quote inside `text`, for highlighting
    quote_end: int = 0
    chunk_id: str = ""
    used: bool = False  # whether the answer text cites this passage

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    timings_ms: dict[str, float]
    language: str = "fr"
    standalone_question: str | None = None  # the condensed follow-up, when it differs
    backend: str = "extractive"
    closest: list[Citation] = field(default_factory=list)  # shown on abstention, labelled as such
    removed_sentences: list[str] = field(default_factory=list)
    notice: str | None = None  # e.g. why the LLM answer fell back to extractive
    abstention_reason: str | None = None  # why the extractive stage found no answer (for evaluators)

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "timings_ms": self.timings_ms,
            "language": self.language,
            "standalone_question": self.standalone_question,
            "backend": self.backend,
            "closest": [c.to_dict() for c in self.closest],
            "removed_sentences": self.removed_sentences,
            "notice": self.notice,
            "abstention_reason": self.abstention_reason,
        }
