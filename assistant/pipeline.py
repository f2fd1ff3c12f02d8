"""The library's front door: one object that loads the index once and answers questions.

The CLI, the Streamlit app and the eval runner all go through `Assistant.ask`, so what evaluators
measure is what users get.
"""

from __future__ import annotations

import time
from typing import Callable

from .answer import Extractor, TermStats, counted_passage, dated_passage, defining_passage, extractive_answer, merge_parts
from .conversation import condense, condense_part, plain_question, split_parts
from .embed import Embedder, make_embedder
from .index import EmbeddingCache, IngestReport, ProgressFn, build_index, is_stale
from .records import Answer, Hit
from .retrieve import Filters, Retriever
from .settings import Settings
from .text import guess_language


def ingest(settings: Settings, embedder: Embedder | None = None, progress: ProgressFn | None = None, force: bool = False) -> IngestReport:
    """Build or update the index of `settings.corpus_dir` in `settings.index_dir`."""
    return build_index(settings, embedder or make_embedder(settings), progress=progress, force=force)


COUNT_RESERVE = 4  # how far past top_k a passage giving the count asked for is looked for
DEFINITION_RESERVE = 8  # ... and one saying what the thing asked about is
DATE_RESERVE = 8  # ... and one telling the event a date is asked of, with a year


class Assistant:
    def __init__(self, settings: Settings, retriever: Retriever):
        self.settings = settings
        self.retriever = retriever
        stored = EmbeddingCache.load(retriever.index_dir / "cache", retriever.embedder.model_id, retriever.embedder.dim)
        self.extractor = Extractor(settings, retriever.embedder, TermStats(retriever.chunks), stored=stored)

    @classmethod
    def from_settings(cls, settings: Settings | None = None, embedder: Embedder | None = None) -> "Assistant":
        settings = settings or Settings.from_env()
        return cls(settings, Retriever.from_persist_dir(settings, embedder))

    def status(self) -> dict:
        return {**self.retriever.status(), "stale": is_stale(self.settings)}

    def _search(self, question: str, language: str, top_k: int, filters: Filters | None, mode: str) -> list[Hit]:
        hits = self.retriever.retrieve(question, top_k=top_k, filters=filters, mode=mode)

        def further(reserve: int) -> Callable[[], list[Hit]]:  # the passages just past top_k
            return lambda: self.retriever.retrieve(question, top_k=top_k + reserve, filters=filters, mode=mode)

        hits = counted_passage(question, language, hits, further(COUNT_RESERVE))
        hits = dated_passage(question, language, hits, further(DATE_RESERVE))
        return defining_passage(question, language, hits, further(DEFINITION_RESERVE))

    def ask(
        self,
        question: str,
        history: list[str] | None = None,
        top_k: int | None = None,
        filters: Filters | None = None,
        mode: str = "hybrid",
        use_llm: bool | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer one question. `history` holds the previous (standalone) questions of the conversation."""
        started = time.perf_counter()
        question = (question or "").strip()
        language = guess_language(question)
        typed, question = question, plain_question(question)
        standalone = condense(question, history or [])
        use_llm = self.settings.use_llm if use_llm is None else use_llm
        generator = None
        if use_llm:
            from .generate import Generator  # optional stage, only when an endpoint is configured

            generator = Generator.from_settings(self.settings, self.retriever.embedder)
            if history:
                standalone = generator.condense(question, history) or standalone
        # several questions in one message ("Qu'est-ce qu'un PETR ? Qui le préside ?"): each on its own passages
        parts = split_parts(question) if question else []
        asked = [standalone]
        if parts and parts != [question]:  # several questions, or one asked in two ("... de qui ? de quelles structures ?")
            asked = [condense(parts[0], history or [])]
            for part in parts[1:]:
                asked.append(condense_part(part, asked[-1]))
        top_k = top_k or self.settings.top_k
        searched = [(part, self._search(part, language, top_k, filters, mode) if part else []) for part in asked]
        retrieved = time.perf_counter()
        answered = [(part, part_hits, extractive_answer(part, part_hits, self.extractor,
                                                        self.retriever.embed_query(part) if mode != "sparse" and part_hits else None, language))
                    for part, part_hits in searched]
        if len(answered) == 1:
            _, hits, (text, abstained, citations, closest, reason) = answered[0]
        else:
            text, abstained, citations, closest, reason, hits = merge_parts(answered, language)
        answer = Answer(
            question=typed,
            answer=text,
            abstained=abstained,
            citations=citations,
            timings_ms={},
            language=language,
            standalone_question=standalone if standalone != question else None,
            closest=closest,
            abstention_reason=reason,
        )
        if generator is not None and hits:
            answer = generator.answer(answer, standalone, hits, on_token=on_token)
        elif on_token is not None:
            on_token(answer.answer)
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": round((retrieved - started) * 1000, 1),
            "answer": round((done - retrieved) * 1000, 1),
            "total": round((done - started) * 1000, 1),
        }
        return answer
