"""Generate: answers written by an LLM behind an OpenAI-compatible endpoint, every sentence checked.

Any server speaking the OpenAI chat-completions protocol works (Albert API, vLLM, Ollama,
llama.cpp server...), through LlamaIndex's `OpenAILike` client. The model only sees the numbered
passages retrieval found, wrapped as data, and must cite `[n]` after each sentence. After
generation, the citation check keeps only the sentences that cite passages actually given and that
those passages support (shared content words, embedding similarity, numbers present); the others
are listed in `Answer.removed_sentences`. When nothing checkable remains, or when the endpoint
fails (down, 401, 429, 5xx, timeout, malformed reply), the extractive answer is returned with a
French `notice` explaining why. The API key never appears in messages, logs or outputs.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Sequence
from urllib.parse import urlsplit

import numpy as np

from .answer import REFUSAL, make_citation
from .errors import ConfigError
from .glossary import expand_query
from .records import Answer, Citation, Hit
from .settings import Settings
from .text import ABBREVIATIONS, analyze, content_terms, guess_language, normalize_for_match, split_sentences, words

log = logging.getLogger(__name__)

# Sent when no key is configured (local servers ignore it). An empty key would make the OpenAI
# client fall back to OPENAI_API_KEY and send that key to a third-party endpoint.
NO_KEY = "no-key"
CONDENSE_MAX_TOKENS = 200
FALLBACK_SUFFIX = " : réponse extractive affichée."

# ---------------------------------------------------------------------------------------------
# Prompts (assistant/prompts/<name>_<language>.txt, with [system] and [user] sections)

_SECTION_RE = re.compile(r"^\[(system|user)\][ \t]*$", re.MULTILINE)
_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=None)
def load_prompt(name: str, language: str) -> tuple[str, str]:
    """(system template, user template) of a prompt file; French unless `language` is 'en'."""
    language = "en" if language == "en" else "fr"
    text = resources.files("assistant").joinpath("prompts", f"{name}_{language}.txt").read_text(encoding="utf-8")
    parts = _SECTION_RE.split(text)
    sections = {key: body.strip() for key, body in zip(parts[1::2], parts[2::2])}
    return sections["system"], sections["user"]


def fill(template: str, **values: str) -> str:
    """Replace `{name}` placeholders in one pass (inserted text is never re-scanned)."""
    return _PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _as_data(text: str) -> str:
    """Passage text cannot open or close a tag of the prompt (no `</passage>`, no `<|im_start|>`)."""
    return text.replace("<", "‹").replace(">", "›")


def _attribute(value: Any) -> str:
    return _as_data(" ".join(str(value).split())).replace('"', "'")


def format_passages(hits: Sequence[Hit]) -> str:
    """The numbered passages, each inside its own <passage n="..."> element."""
    blocks = []
    for n, hit in enumerate(hits, 1):
        chunk = hit.chunk
        attrs = [f'n="{n}"', f'title="{_attribute(chunk.doc.title)}"']
        if chunk.page:
            attrs.append(f'page="{chunk.page}"')
        if chunk.section:
            attrs.append(f'section="{_attribute(chunk.section)}"')
        if chunk.doc.date:
            attrs.append(f'date="{_attribute(chunk.doc.date)}"')
        blocks.append(f"<passage {' '.join(attrs)}>\n{_as_data(chunk.text.strip())}\n</passage>")
    return "\n\n".join(blocks)


def answer_messages(question: str, hits: Sequence[Hit], language: str) -> list[tuple[str, str]]:
    """(role, content) pairs of the grounded answer prompt."""
    system, user = load_prompt("answer", language)
    refusal = REFUSAL.get(language, REFUSAL["fr"])
    return [
        ("system", fill(system, refusal=refusal)),
        ("user", fill(user, passages=format_passages(hits), question=" ".join(question.split()))),
    ]


def condense_messages(question: str, history: Sequence[str], language: str) -> list[tuple[str, str]]:
    system, user = load_prompt("condense", language)
    previous = "\n".join(f"- {' '.join(h.split())}" for h in history)
    return [("system", system), ("user", fill(user, history=previous, question=" ".join(question.split())))]


# ---------------------------------------------------------------------------------------------
# Reading a generated reply: sentences and their [n] markers

_THINK_RE = re.compile(r"^\s*<think>.*?(?:</think>|$)\s*", re.DOTALL)
_BRACKET_RE = re.compile(r"\[([^\[\]\n]{1,40})\]")
_CITATION_BODY_RE = re.compile(
    r"^\s*\^?(?:(?:passages?|sources?|documents?|docs?|n°)\s*)?"
    r"(\d{1,3}(?:\s*(?:,|;|-|–|et|and|&)\s*(?:(?:passages?|sources?)\s*)?\d{1,3})*)\s*$",
    re.IGNORECASE,
)
# A sentence ends at . ! ? (then maybe closing quotes and [n] markers) or at [n] markers, when
# the next sentence starts with a capital.
_END_RE = re.compile(
    r"(?:[.!?…]+[\"»)*]*(?:\s*\[[^\[\]\n]{1,40}\])*|(?:\[[^\[\]\n]{1,40}\])+[.!?…]*)"
    r"(?=\s+[\"«(*]*[A-ZÀ-ÖØ-Þ0-9])"
)
_BULLET_RE = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")
_HEADING_RE = re.compile(r"^\s*#{1,6}\s+")


def strip_thinking(text: str) -> str:
    """Drop the leading <think>…</think> block some reasoning models emit."""
    return _THINK_RE.sub("", text or "", count=1)


def citation_numbers(body: str) -> list[int] | None:
    """Passage numbers of a bracket's content ("1", "1, 3", "2-4", "passage 2"), None if not a citation."""
    match = _CITATION_BODY_RE.match(body)
    if not match:
        return None
    tokens = re.findall(r"\d+|[-–]", match.group(1))
    numbers: list[int] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].isdigit():
            i += 1
            continue
        n = int(tokens[i])
        if i + 2 < len(tokens) and tokens[i + 1] in ("-", "–") and tokens[i + 2].isdigit():
            m = int(tokens[i + 2])
            numbers.extend(range(n, m + 1) if n <= m <= n + 20 else (n, m))
            i += 3
        else:
            numbers.append(n)
            i += 1
    return numbers


@dataclass
class ReplySentence:
    raw: str  # as generated, markers included
    text: str  # markers removed
    cited: list[int]  # passage numbers, in order of appearance, deduplicated
    new_line: bool = False  # starts a line of the reply
    prefix: str = ""  # list bullet it had ("- ", "1. ")


def _reply_sentence(raw: str, new_line: bool, prefix: str) -> ReplySentence:
    cited: list[int] = []

    def drop(match: re.Match) -> str:
        numbers = citation_numbers(match.group(1))
        if numbers is None:
            return match.group(0)
        cited.extend(numbers)
        return " "

    text = _BRACKET_RE.sub(drop, raw)
    text = re.sub(r"\s+([.,…)])", r"\1", " ".join(text.split())).strip()  # "2014 [1]." -> "2014."
    text = re.sub(r"\(\s+", "(", text)
    return ReplySentence(raw=raw.strip(), text=text, cited=list(dict.fromkeys(cited)), new_line=new_line, prefix=prefix)


def split_reply(reply: str) -> list[ReplySentence]:
    """Sentences of a generated reply (list items and lines count as sentences)."""
    lines: list[tuple[str, str]] = []  # (bullet prefix, text)
    for line in strip_thinking(reply).splitlines():
        if not line.strip():
            continue
        line = _HEADING_RE.sub("", line)
        bullet = _BULLET_RE.match(line)
        prefix = bullet.group(0).strip() + " " if bullet else ""
        body = line[bullet.end():] if bullet else line.strip()
        if lines and not prefix and body[:1].islower() and not re.search(r"[.!?:…\]]\s*$", lines[-1][1]):
            lines[-1] = (lines[-1][0], f"{lines[-1][1]} {body}")  # a hard-wrapped sentence
        else:
            lines.append((prefix, body))
    sentences = []
    for prefix, body in lines:
        cut, first = 0, True
        for end in _END_RE.finditer(body):
            token = end.group(0)
            if "]" not in token and body[end.end():].lstrip()[:1].isdigit():
                continue  # "en 2014. 2015 ..." splits only after a [n] marker
            if token.startswith("."):
                before = re.search(r"(\w+)$", body[cut:end.start()])
                if not token.strip(".") and before and (before.group(1).lower() in ABBREVIATIONS or len(before.group(1)) == 1):
                    continue  # "art. L. 5741-1"
            elif token.startswith("[") and citation_numbers(token[1:token.index("]")]) is None:
                continue  # "[sic]" is not a sentence end
            piece = body[cut:end.end()]
            if piece.strip():
                sentences.append(_reply_sentence(piece, first, prefix if first else ""))
                first = False
            cut = end.end()
        if body[cut:].strip():
            sentences.append(_reply_sentence(body[cut:], first, prefix if first else ""))
    return sentences


def is_refusal(text: str) -> bool:
    """Whether a sentence is (or contains) the fixed refusal sentence, in either language."""
    folded = normalize_for_match(text)
    return any(normalize_for_match(r).rstrip(".") in folded for r in REFUSAL.values())


# ---------------------------------------------------------------------------------------------
# Citation check

_NUMBER_WORDS = {
    "premier": "1", "premiere": "1", "first": "1", "deux": "2", "two": "2", "second": "2", "trois": "3",
    "three": "3", "quatre": "4", "four": "4", "cinq": "5", "five": "5", "six": "6", "sept": "7",
    "seven": "7", "huit": "8", "eight": "8", "neuf": "9", "nine": "9", "dix": "10", "ten": "10",
    "onze": "11", "eleven": "11", "douze": "12", "twelve": "12", "quinze": "15", "fifteen": "15",
    "vingt": "20", "twenty": "20", "trente": "30", "cent": "100", "hundred": "100", "mille": "1000",
}


def _numbers(text: str) -> set[str]:
    """Digit groups of a text ("L. 5741-1" -> 5741, 1), leading zeros dropped."""
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+", " ".join(words(text)))}


def _passage_numbers(text: str) -> set[str]:
    return _numbers(text) | {_NUMBER_WORDS[w] for w in words(text) if w in _NUMBER_WORDS}


@dataclass
class SentenceSupport:
    """How well the passages a generated sentence cites support it."""

    sentence: str  # as generated, markers included
    text: str  # without markers
    cited: list[int]
    invalid: list[int] = field(default_factory=list)  # cited numbers that match no passage given
    lexical: float = 0.0  # share of the sentence's content stems found in the cited passages
    dense: float | None = None  # best similarity to a sentence of the cited passages, rescaled 0..1
    score: float = 0.0
    missing_numbers: list[str] = field(default_factory=list)
    crosslingual: bool = False  # reply and cited passages in different languages
    refusal: bool = False
    supported: bool = False
    reason: str = ""  # why it was removed: no_citation, invalid_citation, number, low_support

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class CitationCheck:
    sentences: list[SentenceSupport]
    reply_sentences: list[ReplySentence]

    @property
    def kept(self) -> list[SentenceSupport]:
        return [s for s in self.sentences if s.supported]

    @property
    def removed(self) -> list[SentenceSupport]:
        return [s for s in self.sentences if not s.supported and not s.refusal and re.search(r"\w", s.text)]

    @property
    def refusal(self) -> bool:
        return any(s.refusal for s in self.sentences)

    @property
    def used(self) -> set[int]:
        return {n for s in self.kept for n in s.cited}

    def answer_text(self) -> str:
        """Kept sentences (and a refusal sentence next to them), markers normalised to `[n]`."""
        out = ""
        for support, sentence in zip(self.sentences, self.reply_sentences):
            if not (support.supported or support.refusal):
                continue
            piece = sentence.text + (" " + "".join(f"[{n}]" for n in sentence.cited) if support.supported else "")
            if not out:
                out = sentence.prefix + piece
            elif sentence.new_line:
                out += ("\n" if sentence.prefix else "\n\n") + sentence.prefix + piece
            else:
                out += " " + piece
        return out


class SupportChecker:
    """Scores generated sentences against the passages they cite (thresholds from Settings)."""

    # Passage sentences compared by embedding with each generated sentence: the few that share the
    # most words with it (all of them across languages, where words cannot match).
    CANDIDATES_PER_PASSAGE = 3
    MAX_CANDIDATES = 40

    # Passage sentences come back question after question: their vectors are kept across answers.
    _cache: dict[tuple[str, str], np.ndarray] = {}
    _lock = threading.Lock()

    def __init__(self, settings: Settings, embedder=None):
        self.settings = settings
        self.embedder = embedder
        self._model = str(getattr(embedder, "model_id", id(embedder)))

    def _vectors(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Passage-side embeddings of `texts`, embedded in one batch, cached."""
        cls = SupportChecker
        with cls._lock:
            missing = [t for t in dict.fromkeys(texts) if (self._model, t) not in cls._cache]
            if missing:
                for text, vector in zip(missing, self.embedder.embed_passages(missing)):
                    cls._cache[(self._model, text)] = np.asarray(vector, dtype=np.float32)
                if len(cls._cache) > 20000:  # bounded memory in long-running apps
                    cls._cache = dict(list(cls._cache.items())[-10000:])
            return {t: cls._cache[(self._model, t)] for t in texts}

    def _candidates(self, text: str, hits: Sequence[Hit], cited: list[int], crosslingual: bool) -> list[str]:
        terms = set(content_terms(text))
        found: list[str] = []
        for n in cited:
            chunk = hits[n - 1].chunk
            spans = [chunk.text[a:b] for a, b in split_sentences(chunk.text)]
            spans = [t for t in spans if re.search(r"\w", t)]
            if not crosslingual:
                spans = sorted(spans, key=lambda t: len(terms & set(analyze(t))), reverse=True)[: self.CANDIDATES_PER_PASSAGE]
            found.extend(spans)
        return list(dict.fromkeys(found))[: self.MAX_CANDIDATES]

    def check(self, reply: str, hits: Sequence[Hit], language: str | None = None, full: bool = False) -> CitationCheck:
        """Support of every sentence of `reply`. `full` computes every score (no shortcut)."""
        settings = self.settings
        sentences = split_reply(reply)
        reply_language = guess_language(" ".join(s.text for s in sentences)) if sentences else (language or "fr")
        has_dense = self.embedder is not None
        weight = min(max(settings.llm_support_dense_weight, 0.0), 1.0) if has_dense else 0.0
        stems: dict[int, set[str]] = {}
        numbers: dict[int, set[str]] = {}
        results: list[SentenceSupport] = []
        dense_needed: list[tuple[SentenceSupport, list[str]]] = []
        for sentence in sentences:
            support = SentenceSupport(sentence=sentence.raw, text=sentence.text, cited=sentence.cited)
            results.append(support)
            if not sentence.cited:
                support.refusal = is_refusal(sentence.text)
                support.reason = "" if support.refusal else "no_citation"
                continue
            support.invalid = [n for n in sentence.cited if not 1 <= n <= len(hits)]
            valid = [n for n in sentence.cited if 1 <= n <= len(hits)]
            if support.invalid or not valid:  # points to a passage that was not given
                support.reason = "invalid_citation"
                if not full or not valid:
                    continue
            for n in valid:
                if n not in stems:
                    search_text = hits[n - 1].chunk.search_text()
                    stems[n] = set(analyze(expand_query(search_text)))
                    numbers[n] = _passage_numbers(search_text)
            terms = content_terms(sentence.text)
            found = set().union(*(stems[n] for n in valid))
            support.lexical = sum(t in found for t in terms) / len(terms) if terms else 1.0
            support.missing_numbers = sorted(_numbers(sentence.text) - set().union(*(numbers[n] for n in valid)))
            support.crosslingual = all(hits[n - 1].chunk.doc.language != reply_language for n in valid)
            base = (1 - weight) * support.lexical
            threshold = settings.llm_support_threshold
            undecided = base < threshold <= base + weight
            if has_dense and (full or support.crosslingual or (weight > 0 and undecided)):
                dense_needed.append((support, self._candidates(sentence.text, hits, valid, support.crosslingual)))
        if dense_needed:
            vectors = self._vectors([t for support, cands in dense_needed for t in (support.text, *cands)])
            low, high = getattr(self.embedder, "similarity_range", (0.0, 1.0))
            for support, cands in dense_needed:
                best = max((float(vectors[c] @ vectors[support.text]) for c in cands), default=0.0)
                support.dense = min(max((best - low) / (high - low), 0.0), 1.0) if high > low else float(best >= high)
        for support in results:
            if not support.cited or (support.reason == "invalid_citation" and not full):
                continue
            if support.crosslingual and support.dense is not None:
                # Words cannot match across languages: the embedding similarity alone decides.
                support.score, threshold = support.dense, settings.llm_crosslingual_threshold
            else:
                support.score = (1 - weight) * support.lexical + weight * (support.dense or 0.0)
                threshold = settings.llm_support_threshold
            if support.reason == "invalid_citation":
                continue  # scored for calibration only
            if support.missing_numbers:
                support.reason = "number"
            elif support.score < threshold:
                support.reason = "low_support"
            else:
                support.supported = True
        return CitationCheck(results, sentences)


def support_scores(text: str, hits: Sequence[Hit], embedder=None, settings: Settings | None = None, language: str | None = None) -> list[SentenceSupport]:
    """Support scores of every sentence of a generated answer, all computed (for calibration).

    Run it on the eval set's generated answers, label the sentences supported or not, and pick
    `llm_support_threshold` / `llm_support_dense_weight` / `llm_crosslingual_threshold` from the
    `lexical`, `dense` and `score` columns.
    """
    return SupportChecker(settings or Settings(), embedder).check(text, hits, language, full=True).sentences


# ---------------------------------------------------------------------------------------------
# Failures


class _CallbackFailed(Exception):
    """The caller's on_token raised: re-raised as is, never mistaken for an LLM failure."""

    def __init__(self, original: BaseException):
        self.original = original


def describe_failure(exc: BaseException, host: str = "") -> str:
    """A French sentence saying why the LLM call failed (never the exception text: it may echo the key)."""
    import httpx
    import openai

    status = getattr(exc, "status_code", None)
    advice = ""
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):
        reason = "Le service LLM n'a pas répondu (délai dépassé)"
        advice = "Augmentez ASSISTANT_LLM_TIMEOUT_S si le modèle est lent."
    elif isinstance(exc, openai.APIConnectionError) or isinstance(exc, (httpx.ConnectError, ConnectionError)):
        reason = f"Le service LLM est injoignable{f' ({host})' if host else ''}"
        advice = "Vérifiez qu'il est démarré et ASSISTANT_LLM_BASE_URL."
    elif isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        reason = f"Le service LLM a refusé la clé d'API (erreur {status})"
        advice = "Vérifiez ASSISTANT_LLM_API_KEY."
    elif isinstance(exc, openai.RateLimitError):
        reason = "Le service LLM limite le nombre de requêtes (erreur 429)"
        advice = "Réessayez dans un moment."
    elif isinstance(exc, openai.NotFoundError):
        reason = "Le service LLM ne connaît pas ce modèle ou cette adresse (erreur 404)"
        advice = "Vérifiez ASSISTANT_LLM_MODEL et ASSISTANT_LLM_BASE_URL (qui se termine en général par /v1)."
    elif isinstance(exc, openai.APIStatusError) and status and status >= 500:
        reason = f"Le service LLM est en erreur (erreur {status})"
    elif isinstance(exc, openai.APIStatusError):
        reason = f"Le service LLM a refusé la requête (erreur {status})"
    elif isinstance(exc, httpx.HTTPError):
        reason = "La connexion au service LLM a été interrompue"
    elif isinstance(exc, (ValueError, KeyError, IndexError, TypeError, AttributeError, openai.APIResponseValidationError)):
        reason = "Le service LLM a renvoyé une réponse illisible"
    else:
        reason = f"Le service LLM a échoué ({type(exc).__name__})"
    return reason + FALLBACK_SUFFIX + (f" {advice}" if advice else "")


class _ThinkFilter:
    """Hides a leading <think>…</think> block of reasoning models from the token stream."""

    OPEN, CLOSE = "<think>", "</think>"

    def __init__(self):
        self.state = "start"  # start | thinking | after | open
        self.buffer = ""

    def feed(self, delta: str) -> str:
        if self.state == "open":
            return delta
        if self.state == "after":  # blank lines right after </think>
            delta = delta.lstrip()
            if delta:
                self.state = "open"
            return delta
        self.buffer += delta
        if self.state == "start":
            head = self.buffer.lstrip()
            if len(head) < len(self.OPEN) and self.OPEN.startswith(head):
                return ""  # not decided yet
            if not head.startswith(self.OPEN):
                self.state, out, self.buffer = "open", self.buffer, ""
                return out
            self.state = "thinking"
        end = self.buffer.find(self.CLOSE)
        if end < 0:
            return ""
        out, self.buffer = self.buffer[end + len(self.CLOSE):].lstrip(), ""
        self.state = "open" if out else "after"
        return out

    def flush(self) -> str:
        out = self.buffer if self.state == "start" else ""
        self.buffer = ""
        return out


# ---------------------------------------------------------------------------------------------
# The generator


def _safe_host(url: str) -> str:
    """host[:port] of a URL, without any user:password part."""
    try:
        parts = urlsplit(url)
        return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or "")
    except ValueError:
        return ""


def _make_llm(settings: Settings, max_tokens: int, temperature: float):
    from llama_index.llms.openai_like import OpenAILike

    # An explicit client: LlamaIndex's global Settings.llm (which means OpenAI) is never resolved.
    return OpenAILike(
        model=settings.llm_model.strip(),
        api_base=settings.llm_base_url.strip().rstrip("/"),
        api_key=settings.llm_api_key or NO_KEY,
        is_chat_model=True,
        is_function_calling_model=False,
        timeout=float(settings.llm_timeout_s),
        max_retries=0,  # fail fast to the extractive answer; no hidden back-off waits
        temperature=temperature,
        max_tokens=max_tokens,
        reuse_client=True,
    )


class Generator:
    """Generative answers and follow-up condensation through one OpenAI-compatible endpoint."""

    def __init__(self, settings: Settings, embedder, llm, condense_llm):
        self.settings = settings
        self.embedder = embedder
        self.llm = llm
        self.condense_llm = condense_llm
        self.model = settings.llm_model.strip()
        self.host = _safe_host(settings.llm_base_url)
        self.checker = SupportChecker(settings, embedder)

    def __repr__(self) -> str:  # never the key
        return f"Generator(model={self.model!r}, host={self.host!r})"

    @classmethod
    def from_settings(cls, settings: Settings, embedder=None) -> "Generator":
        base_url = (settings.llm_base_url or "").strip()
        missing = [name for name, value in (("ASSISTANT_LLM_BASE_URL", base_url), ("ASSISTANT_LLM_MODEL", settings.llm_model.strip())) if not value]
        if missing:
            raise ConfigError(
                f"Réponse générée demandée mais aucun LLM n'est configuré : définissez {' et '.join(missing)} "
                "(par exemple ASSISTANT_LLM_BASE_URL=https://albert.api.etalab.gouv.fr/v1 ou http://localhost:11434/v1 "
                "pour Ollama), ou désactivez la réponse générée (option --llm, ASSISTANT_USE_LLM) pour la réponse extractive."
            )
        if not re.match(r"^https?://[^\s/]+", base_url):
            raise ConfigError(
                "ASSISTANT_LLM_BASE_URL doit être une adresse http:// ou https:// "
                "(par exemple https://albert.api.etalab.gouv.fr/v1 ou http://localhost:11434/v1)."
            )
        if settings.llm_timeout_s <= 0:
            raise ConfigError("ASSISTANT_LLM_TIMEOUT_S doit être un nombre de secondes positif.")
        try:
            llm = _make_llm(settings, settings.llm_max_tokens, settings.llm_temperature)
            condense_llm = _make_llm(settings, CONDENSE_MAX_TOKENS, 0.0)
        except Exception as exc:  # the validation message could quote the key: report the type only
            raise ConfigError(f"Configuration du LLM invalide ({type(exc).__name__}) : vérifiez les variables ASSISTANT_LLM_*.") from None
        return cls(settings, embedder, llm, condense_llm)

    # -- follow-up questions ---------------------------------------------------------------

    def condense(self, question: str, history: Sequence[str]) -> str | None:
        """A standalone version of a follow-up question, or None (the caller keeps its own rule)."""
        previous = [" ".join(h.split()) for h in history if h and h.strip()][-4:]
        question = " ".join((question or "").split())
        if not previous or not question:
            return None
        language = guess_language(question)
        try:
            response = self.condense_llm.chat(_chat_messages(condense_messages(question, previous, language)))
            text = response.message.content
        except Exception as exc:
            log.warning("Reformulation de la question par le LLM impossible (%s) : règle locale utilisée.", _kind(exc))
            return None
        return _clean_condensed(text)

    # -- answers ---------------------------------------------------------------------------

    def messages(self, question: str, hits: Sequence[Hit], language: str):
        return _chat_messages(answer_messages(question, hits, language))

    def answer(
        self,
        extractive: Answer,
        question: str,
        hits: Sequence[Hit],
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """The LLM's answer over `hits`, checked sentence by sentence; the extractive one on failure.

        With `on_token`, tokens are streamed to it as they arrive; the returned Answer is the
        checked one. When the extractive answer is returned instead, its text is also passed to
        `on_token` (after a blank line when LLM tokens were already shown).
        """
        language = extractive.language if extractive.language in REFUSAL else guess_language(question)
        if not hits:
            return extractive
        messages = self.messages(question or extractive.question, hits, language)
        shown: list[str] = []
        try:
            reply = self._stream(messages, on_token, shown) if on_token is not None else self._complete(messages)
        except _CallbackFailed as failed:
            raise failed.original from None
        except Exception as exc:
            notice = describe_failure(exc, self.host)
            log.warning("Appel au LLM %s échoué [%s] : %s", self.model, _kind(exc), notice)
            return self._fallback(extractive, notice, on_token, shown)
        reply = strip_thinking(reply).strip()
        if not reply:
            log.warning("Réponse vide du LLM %s.", self.model)
            return self._fallback(extractive, "Le service LLM a renvoyé une réponse vide" + FALLBACK_SUFFIX, on_token, shown)

        check = self.checker.check(reply, hits, language)
        removed = [s.sentence for s in check.removed]
        for s in check.removed:
            log.info("Phrase générée retirée (%s, score %.2f) : %s", s.reason, s.score, s.text[:200])
        backend = f"llm:{self.model}"
        if check.refusal and not check.kept:
            closest = [dataclasses.replace(c, used=False) for c in (extractive.citations or extractive.closest)]
            return dataclasses.replace(
                extractive, answer=REFUSAL[language], abstained=True, citations=[], closest=closest,
                abstention_reason="the LLM found no answer in the passages",
                backend=backend, removed_sentences=removed, notice=None,
            )
        if not check.kept:
            notice = "Aucune phrase de la réponse générée n'est étayée par les passages qu'elle cite" + FALLBACK_SUFFIX
            return self._fallback(extractive, notice, on_token, shown, removed)
        notice = None
        if removed:
            notice = (
                f"{len(removed)} phrase(s) de la réponse générée retirée(s) : "
                "non étayée(s) par les passages cités."
            )
        return dataclasses.replace(
            extractive,
            answer=check.answer_text(),
            abstained=False,
            abstention_reason=None,
            citations=self._citations(extractive, hits, check),
            closest=[],
            backend=backend,
            removed_sentences=removed,
            notice=notice,
        )

    def _complete(self, messages) -> str:
        response = self.llm.chat(messages)
        content = response.message.content
        if content is not None and not isinstance(content, str):
            raise TypeError("non-text content")
        return content or ""

    def _stream(self, messages, on_token: Callable[[str], None], shown: list[str]) -> str:
        parts: list[str] = []
        visible = _ThinkFilter()

        def emit(text: str) -> None:
            if not text:
                return
            try:
                on_token(text)
            except Exception as exc:
                raise _CallbackFailed(exc) from None
            shown.append(text)

        for chunk in self.llm.stream_chat(messages):
            delta = chunk.delta or ""
            if delta:
                parts.append(delta)
                emit(visible.feed(delta))
        emit(visible.flush())
        return "".join(parts)

    def _fallback(self, extractive: Answer, notice: str, on_token, shown: list[str], removed: list[str] | None = None) -> Answer:
        result = dataclasses.replace(extractive, backend="extractive", notice=notice, removed_sentences=list(removed or []))
        if on_token is not None:
            on_token(("\n\n" if shown else "") + result.answer)
        return result

    def _citations(self, extractive: Answer, hits: Sequence[Hit], check: CitationCheck) -> list[Citation]:
        """The extractive citations (same numbering), `used` and quotes following the kept sentences."""
        if len(extractive.citations) == len(hits):
            base = extractive.citations
        else:  # the extractive answer abstained: one citation per passage given to the LLM
            base = [make_citation(i + 1, hit, None, False) for i, hit in enumerate(hits)]
        used = check.used
        citations = []
        for citation in base:
            citation = dataclasses.replace(citation, used=citation.n in used)
            if citation.used:
                terms = {t for s in check.kept if citation.n in s.cited for t in content_terms(s.text)}
                span = _best_span(citation.text, terms)
                if span:
                    start, end = span
                    citation = dataclasses.replace(citation, quote=citation.text[start:end], quote_start=start, quote_end=end)
            citations.append(citation)
        return citations


def _best_span(text: str, terms: set[str]) -> tuple[int, int] | None:
    """The passage sentence sharing the most stems with what the answer took from it."""
    best, best_overlap = None, 0
    for start, end in split_sentences(text):
        overlap = len(terms & set(analyze(text[start:end])))
        if overlap > best_overlap:
            best, best_overlap = (start, end), overlap
    return best


def _chat_messages(pairs: list[tuple[str, str]]):
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role=role, content=content) for role, content in pairs]


_LABEL_RE = re.compile(
    r"^(?:\*\*)?(?:question\s+(?:autonome|reformulée|reformulee)|nouvelle\s+question|standalone\s+question|"
    r"rewritten\s+question|question)\s*(?:\*\*)?\s*:\s*",
    re.IGNORECASE,
)


def _clean_condensed(text: str | None) -> str | None:
    lines = [line.strip() for line in strip_thinking(text or "").splitlines() if line.strip()]
    if not lines:
        return None
    question = _LABEL_RE.sub("", lines[0]).strip().strip("\"'«»*` ").strip()
    if len(question) < 3 or len(question) > 500 or is_refusal(question):
        return None
    return question


def _kind(exc: BaseException) -> str:
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}{f' {status}' if status else ''}"
