"""Import an external QA set in SQuAD format (FQuAD, PIAF, SQuAD v1/v2) as a corpus + eval set.

Each paragraph context becomes one corpus document (a .txt file with a .meta.json sidecar), each
question one eval item whose evidence is its answer span in that document. An evaluator can then
measure the assistant on someone else's questions with the usual commands:

    python -m assistant import-squad fquad.json --corpus squad_corpus --set squad.jsonl
    python -m assistant ingest squad_corpus --index squad_index
    python -m assistant eval --set squad.jsonl --index squad_index
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .ingest import SIDECAR_SUFFIX
from .text import fold, guess_language

MAX_NAME = 60


@dataclass
class SquadImport:
    corpus_dir: Path
    set_path: Path
    documents: int = 0
    questions: int = 0
    unanswerable: int = 0
    skipped: list[str] = field(default_factory=list)  # what was left out, and why

    def summary(self) -> str:
        lines = [
            f"{self.documents} document(s) écrits dans {self.corpus_dir}, {self.questions} question(s) "
            f"({self.unanswerable} sans réponse) dans {self.set_path}.",
        ]
        if self.skipped:
            lines.append(f"{len(self.skipped)} élément(s) ignoré(s) :")
            lines.extend(f"  - {reason}" for reason in self.skipped[:20])
            if len(self.skipped) > 20:
                lines.append(f"  ... et {len(self.skipped) - 20} autre(s)")
        index_dir = self.corpus_dir.parent / f"{self.corpus_dir.name}_index"
        lines += [
            "Ensuite :",
            f"  python -m assistant ingest {self.corpus_dir} --index {index_dir}",
            f"  python -m assistant eval --set {self.set_path} --index {index_dir}",
        ]
        return "\n".join(lines)


def slugify(text: str) -> str:
    """A file name anyone's file system accepts: folded ASCII words joined by dashes."""
    words = re.findall(r"[a-z0-9]+", fold(text or "").replace("œ", "oe").replace("æ", "ae"))
    name = "-".join(words)[:MAX_NAME].strip("-")
    return name or "document"


def read_squad(path: Path | str) -> dict:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"Fichier SQuAD illisible : {path} ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise ConfigError(f"{path} n'est pas au format SQuAD (clé \"data\" attendue, liste d'articles)")
    return data


def import_squad(squad_file: Path | str, corpus_dir: Path | str, set_path: Path | str, limit: int | None = None) -> SquadImport:
    """Write one .txt (+ sidecar) per context into `corpus_dir` and one eval item per question.

    File names come from the article titles ("<title>-<n>.txt", deduplicated), so re-importing the
    same file rewrites the same documents instead of piling up copies.
    """
    squad_file, corpus_dir, set_path = Path(squad_file), Path(corpus_dir), Path(set_path)
    data = read_squad(squad_file)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    set_path.parent.mkdir(parents=True, exist_ok=True)
    report = SquadImport(corpus_dir, set_path)
    used_names: set[str] = set()
    used_ids: set[str] = set()
    items: list[dict] = []
    for a, article in enumerate(data["data"]):
        title = str(article.get("title") or f"article {a + 1}").replace("_", " ").strip()
        base = slugify(title)
        for p, paragraph in enumerate(article.get("paragraphs") or []):
            if limit is not None and len(items) >= limit:
                break
            context = str(paragraph.get("context") or "")
            if not context.strip():
                report.skipped.append(f"{title} §{p + 1} : contexte vide")
                continue
            name = _unique_name(f"{base}-{p + 1}", used_names)
            (corpus_dir / f"{name}.txt").write_text(context.strip() + "\n", encoding="utf-8")
            sidecar = {"title": title, "doc_type": "fiche", "date": None, "language": "fr", "source": squad_file.name}
            (corpus_dir / f"{name}.txt{SIDECAR_SUFFIX}").write_text(json.dumps(sidecar, ensure_ascii=False, indent=2), encoding="utf-8")
            report.documents += 1
            for qa in paragraph.get("qas") or []:
                if limit is not None and len(items) >= limit:
                    break
                item = _item(qa, f"{name}.txt", used_ids, report)
                if item is not None:
                    items.append(item)
    with open(set_path, "w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    report.questions = len(items)
    report.unanswerable = sum(not i["answerable"] for i in items)
    return report


def _unique_name(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}-{n}", n + 1
    used.add(candidate)
    return candidate


def _item(qa: dict, source: str, used_ids: set[str], report: SquadImport) -> dict | None:
    """One eval item: evidence = each distinct answer span (in its context file), key facts = the
    answer texts as alternatives of one fact; `is_impossible` questions must be abstained on."""
    question = str(qa.get("question") or "").strip()
    qid = str(qa.get("id") or f"q{len(used_ids) + 1}")
    if not question:
        report.skipped.append(f"{qid} : question vide")
        return None
    impossible = bool(qa.get("is_impossible", False))
    answers = list(dict.fromkeys(str(a.get("text") or "").strip() for a in qa.get("answers") or []))
    answers = [a for a in answers if a]
    if not impossible and not answers:
        report.skipped.append(f"{qid} : ni réponse ni is_impossible")
        return None
    item_id = _unique_name(f"squad-{qid}", used_ids)
    return {
        "id": item_id,
        "question": question,
        "turns": None,
        "answerable": not impossible,
        "evidence": [] if impossible else [{"source": source, "quote": a} for a in answers],
        "key_facts": [] if impossible else [answers],
        "tags": {"kind": "external", "doc": "squad", "lang": guess_language(question)},
    }
