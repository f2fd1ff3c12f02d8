#!/usr/bin/env python3
"""Validate the eval set (stdlib only).

Usage: python evals/check_set.py [FILE]   (default: evals/evalset.jsonl next to this script)

Checks the schema of every item, unique ids, minimum counts, and that every evidence quote
occurs (after normalisation) in the text of its source file under corpus/. Prints one line per
problem, prefixed with the item id, and exits 1 if there is any problem. Warnings (key facts not
found in the evidence sources, quotes that are not distinctive, questions that copy the corpus)
are printed but do not fail the check.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT / "corpus"
DEFAULT_FILE = HERE / "evalset.jsonl"

KINDS = {
    "definition": "def", "legal": "leg", "figure": "fig", "commitment": "com", "tool": "tool",
    "comparison": "cmp", "unanswerable": "un", "followup": "fu", "english-doc": "en",
}
DOCS = {"petr", "offer", "anpp", "accord", "outils", "multi", "none"}
LANGS = {"fr", "en"}
# Which corpus file each single-document tag stands for.
DOC_FILES = {
    "petr": "petr-hautes-alpes-presentation.txt",
    "offer": "pays-to-petr-consulting-offer-en.txt",
    "anpp": "anpp-territoires-de-projet-chiffres-cles.md",
    "accord": "accord-partenariat-etat-anpp-2021.md",
    "outils": "outils-formaliser-cooperations-diapositives.txt",
}
KEYS = {"id", "question", "turns", "answerable", "evidence", "key_facts", "tags"}

MIN_ITEMS, MIN_ENGLISH, MIN_UNANSWERABLE, MIN_TWO_TURN = 80, 10, 10, 5
QUOTE_MIN_WORDS, QUOTE_MAX_WORDS = 4, 12
ID_RE = re.compile(r"^([a-z]+)-(\d{3})$")

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'"})
NON_ALNUM = re.compile(r"[\W_]+")
# A word cut at a line break: "coopé-\nration" (also across a blank line).
HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-[ \t]*\n\s*(?=[^\W\d_])")


def normalize(text: str) -> str:
    """Lowercase, accents folded, curly apostrophes unified, non-alphanumeric runs -> one space."""
    text = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    # NFKD leaves the ligatures alone; spell them out so "oeuvre" and "œuvre" match. Every other
    # non-alphanumeric run (markdown stars, brackets, quotes, dashes, punctuation, whitespace)
    # becomes one space.
    text = text.replace("œ", "oe").replace("æ", "ae")
    return NON_ALNUM.sub(" ", text).strip()


def corpus_variants(raw: str) -> list[str]:
    """Normalised corpus text: hyphenated line breaks joined, and (fallback) left as two words."""
    joined = normalize(HYPHEN_BREAK.sub("", raw))
    return [f" {joined} ", f" {normalize(raw)} "]


def contains(variants: list[str], needle: str) -> bool:
    return any(needle in v for v in variants)


def load_corpus() -> dict[str, list[str]]:
    texts = {}
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file() and not path.name.endswith(".meta.json"):
            texts[path.relative_to(CORPUS).as_posix()] = corpus_variants(path.read_text(encoding="utf-8"))
    return texts


def word_count(quote: str) -> int:
    return sum(1 for w in quote.split() if any(ch.isalnum() for ch in w))


def check(path: Path, minimums: bool = True) -> int:
    problems: list[str] = []
    warnings: list[str] = []
    corpus = load_corpus()
    if not corpus:
        print(f"PROBLEM: no corpus files under {CORPUS}")
        return 1

    def problem(item_id: str, msg: str) -> None:
        problems.append(f"{item_id}: {msg}")

    def warn(item_id: str, msg: str) -> None:
        warnings.append(f"{item_id}: {msg}")

    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        print(f"PROBLEM: cannot read {path}: {exc}")
        return 1
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: invalid JSON ({exc})")
            continue
        if not isinstance(item, dict):
            problems.append(f"line {n}: not a JSON object")
            continue
        items.append(item)

    ids = Counter(str(it.get("id")) for it in items)
    for item_id, count in ids.items():
        if count > 1:
            problem(item_id, f"duplicate id ({count} items)")
    questions = Counter()

    for it in items:
        iid = str(it.get("id", "<no id>"))
        missing, extra = KEYS - it.keys(), it.keys() - KEYS
        if missing:
            problem(iid, f"missing fields {sorted(missing)}")
        if extra:
            problem(iid, f"unknown fields {sorted(extra)}")
        tags = it.get("tags")
        if not isinstance(tags, dict) or set(tags) != {"kind", "doc", "lang"}:
            problem(iid, "tags must be an object with exactly kind, doc, lang")
            tags = tags if isinstance(tags, dict) else {}
        kind, doc, lang = tags.get("kind"), tags.get("doc"), tags.get("lang")
        if kind not in KINDS:
            problem(iid, f"tags.kind {kind!r} not in {sorted(KINDS)}")
        if doc not in DOCS:
            problem(iid, f"tags.doc {doc!r} not in {sorted(DOCS)}")
        if lang not in LANGS:
            problem(iid, f"tags.lang {lang!r} not in {sorted(LANGS)}")
        m = ID_RE.match(iid)
        if not m:
            problem(iid, "id must look like 'def-001'")
        elif kind in KINDS and m.group(1) != KINDS[kind]:
            problem(iid, f"id prefix should be {KINDS[kind]!r} for kind {kind!r}")

        # question / turns
        question, turns = it.get("question"), it.get("turns")
        if kind == "followup":
            if question is not None:
                problem(iid, "followup items need question=null")
            if not (isinstance(turns, list) and len(turns) == 2
                    and all(isinstance(t, str) and t.strip() for t in turns)):
                problem(iid, "followup items need turns=[first question, follow-up question]")
            else:
                questions[normalize(" || ".join(turns))] += 1
        else:
            if turns is not None:
                problem(iid, "turns must be null unless kind is followup")
            if not (isinstance(question, str) and question.strip()):
                problem(iid, "question must be a non-empty string")
            else:
                questions[normalize(question)] += 1

        # answerable / evidence / key facts
        answerable, evidence, key_facts = it.get("answerable"), it.get("evidence"), it.get("key_facts")
        if not isinstance(answerable, bool):
            problem(iid, "answerable must be true or false")
        if (kind == "unanswerable") != (answerable is False):
            problem(iid, "answerable must be false exactly when kind is unanswerable")
        if not isinstance(evidence, list):
            problem(iid, "evidence must be a list")
            evidence = []
        if not isinstance(key_facts, list):
            problem(iid, "key_facts must be a list")
            key_facts = []
        if answerable is False:
            if evidence or key_facts:
                problem(iid, "unanswerable items need evidence=[] and key_facts=[]")
            if doc != "none":
                problem(iid, "unanswerable items need tags.doc='none'")
            continue
        if not evidence:
            problem(iid, "answerable items need at least one evidence quote")
        if not key_facts:
            problem(iid, "answerable items need at least one key fact")

        sources = []
        for ev in evidence:
            if not (isinstance(ev, dict) and set(ev) == {"source", "quote"}
                    and isinstance(ev.get("source"), str) and isinstance(ev.get("quote"), str)):
                problem(iid, f"evidence entries must be {{source, quote}} strings: {ev!r}")
                continue
            source, quote = ev["source"], ev["quote"]
            if source not in corpus:
                problem(iid, f"evidence source {source!r} is not a file under corpus/")
                continue
            sources.append(source)
            words = word_count(quote)
            if not QUOTE_MIN_WORDS <= words <= QUOTE_MAX_WORDS:
                problem(iid, f"quote has {words} words (want {QUOTE_MIN_WORDS}-{QUOTE_MAX_WORDS}): {quote!r}")
            nq = normalize(quote)
            if not nq:
                problem(iid, f"empty quote after normalisation: {quote!r}")
                continue
            if not contains(corpus[source], f" {nq} "):
                problem(iid, f"quote not found in {source}: {quote!r}")
                continue
            hits = sum(max(v.count(f" {nq} ") for v in variants) for variants in corpus.values())
            if hits > 1:
                warn(iid, f"quote occurs {hits} times in the corpus (not distinctive): {quote!r}")

        distinct = set(sources)
        if doc == "multi" and len(distinct) < 2:
            problem(iid, "tags.doc='multi' needs evidence from at least two documents")
        elif doc in DOC_FILES and distinct and distinct != {DOC_FILES[doc]}:
            problem(iid, f"tags.doc={doc!r} but evidence comes from {sorted(distinct)}")
        elif doc == "none":
            problem(iid, "answerable items cannot have tags.doc='none'")

        for facts in key_facts:
            if not (isinstance(facts, list) and facts and all(isinstance(f, str) and normalize(f) for f in facts)):
                problem(iid, f"each key fact must be a non-empty list of alternatives: {facts!r}")
                continue
            if sources and not any(contains(corpus[s], normalize(f)) for f in facts for s in distinct):
                warn(iid, f"key fact {facts!r} not found in the evidence source text")

        # Questions should paraphrase, not copy: flag 8+ consecutive words shared with the corpus.
        asked = [question] if isinstance(question, str) else (turns if isinstance(turns, list) else [])
        for q in asked:
            toks = normalize(q).split() if isinstance(q, str) else []
            for i in range(len(toks) - 7):
                window = " " + " ".join(toks[i:i + 8]) + " "
                if any(contains(v, window) for v in corpus.values()):
                    warn(iid, f"question copies corpus text: {' '.join(toks[i:i + 8])!r}")
                    break

    for q, count in questions.items():
        if count > 1:
            warnings.append(f"(set): question asked {count} times: {q!r}")

    # Counts
    def tag(it, key):
        t = it.get("tags")
        return t.get(key) if isinstance(t, dict) else None

    n_en = sum(tag(it, "lang") == "en" for it in items)
    n_un = sum(it.get("answerable") is False for it in items)
    n_two = sum(isinstance(it.get("turns"), list) and len(it["turns"]) == 2 for it in items)
    for label, value, minimum in [("items", len(items), MIN_ITEMS), ("English items", n_en, MIN_ENGLISH),
                                  ("unanswerable items", n_un, MIN_UNANSWERABLE),
                                  ("two-turn items", n_two, MIN_TWO_TURN)]:
        if minimums and value < minimum:
            problems.append(f"(set): {value} {label}, need at least {minimum}")

    for w in warnings:
        print(f"WARNING {w}")
    for p in problems:
        print(f"PROBLEM {p}")
    print(f"{path}: {len(items)} items, {n_en} English, {n_un} unanswerable, {n_two} two-turn")
    for key in ("kind", "doc", "lang"):
        counts = Counter(str(tag(it, key)) for it in items)
        print(f"  by {key}: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    print(f"{len(problems)} problem(s), {len(warnings)} warning(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--no-minimums"]  # the held-out set is smaller on purpose
    target = Path(args[0]) if args else DEFAULT_FILE
    sys.exit(check(target, minimums="--no-minimums" not in sys.argv[1:]))
