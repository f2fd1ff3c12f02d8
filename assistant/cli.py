"""Command line: a thin layer over the library; domain errors become friendly messages here."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import AssistantError
from .settings import Settings


def _progress_bar(desc: str):
    """A tqdm bar on stderr, driven by (done, total, message) callbacks."""
    from tqdm import tqdm

    state = {"bar": None, "message": None}

    def update(done: int, total: int, message: str) -> None:
        stage = message.split(" ")[0]
        if state["bar"] is None or state["message"] != stage:
            if state["bar"] is not None:
                state["bar"].close()
            state["bar"] = tqdm(total=total, desc=f"{desc} : {stage}", file=sys.stderr, leave=False)
            state["message"] = stage
        bar = state["bar"]
        bar.total = total
        bar.n = done
        bar.set_postfix_str(message[-40:], refresh=True)

    def close() -> None:
        if state["bar"] is not None:
            state["bar"].close()

    update.close = close  # type: ignore[attr-defined]
    return update


def cmd_ingest(args: argparse.Namespace) -> int:
    from .pipeline import ingest

    settings = Settings.from_env(corpus_dir=args.corpus_dir, index_dir=args.index)
    progress = _progress_bar("Ingestion")
    try:
        report = ingest(settings, progress=progress, force=args.force)
    finally:
        progress.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print(report.summary())
        print(f"Index : {settings.index_dir}")
    return 0


def _filters(args: argparse.Namespace):
    from .retrieve import Filters

    return Filters(
        sources=tuple(args.doc or ()),
        doc_types=tuple(args.type or ()),
        years=tuple(args.year or ()),
    )


# The answer's own language: an English question gets English labels around its English refusal.
LABELS = {
    "fr": {"sources": "Sources :", "closest": "Passages les plus proches (ne répondent pas à la question) :",
           "removed": "Phrases retirées (non étayées par les passages cités) :"},
    "en": {"sources": "Sources:", "closest": "Closest passages (they do not answer the question):",
           "removed": "Sentences removed (not supported by the passages they cite):"},
}


def _print_answer(answer, as_json: bool, streamed: bool = False) -> None:
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        return
    if not streamed:
        print(answer.answer)
    if answer.notice:
        print(f"\n({answer.notice})")
    labels = LABELS.get(answer.language, LABELS["fr"])
    if answer.removed_sentences:
        print(f"\n{labels['removed']}")
        for sentence in answer.removed_sentences:
            print(f"  - {sentence}")
    shown = answer.citations if not answer.abstained else answer.closest
    if shown:
        print(f"\n{labels['sources' if not answer.abstained else 'closest']}")
    for c in shown:
        where = ", ".join(x for x in (f"p. {c.page}" if c.page else "", c.section) if x)
        print(f"  [{c.n}] {c.title} — {c.source}{' (' + where + ')' if where else ''}")
        if c.quote:
            print(f"      « {' '.join(c.quote.split())} »")
    print(f"\n({answer.backend}, {answer.timings_ms.get('total', 0):.0f} ms)")


def cmd_ask(args: argparse.Namespace) -> int:
    from .pipeline import Assistant

    if not args.question and not args.batch:
        raise SystemExit("Donnez une question, ou --batch FICHIER.")
    if args.top_k is not None and args.top_k < 1:
        raise SystemExit("--top-k doit valoir au moins 1.")
    settings = Settings.from_env(index_dir=args.index, use_llm=True if args.llm else None)
    assistant = Assistant.from_settings(settings)
    filters = _filters(args)
    if args.batch:
        path = Path(args.batch)
        try:
            questions = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        except (OSError, UnicodeDecodeError) as exc:
            raise SystemExit(f"Impossible de lire {path} : {exc}")
        for question in questions:
            answer = assistant.ask(question, top_k=args.top_k, filters=filters)
            _print_answer(answer, args.json or True)
        return 0
    on_token = None
    if args.stream and not args.json:
        def on_token(token: str) -> None:
            print(token, end="", flush=True)
    answer = assistant.ask(args.question, top_k=args.top_k, filters=filters, on_token=on_token)
    if on_token is not None:
        print()
    _print_answer(answer, args.json, streamed=on_token is not None)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from .index import is_stale, read_manifest, resolve_index_dir

    settings = Settings.from_env(corpus_dir=args.corpus_dir, index_dir=args.index)
    manifest = read_manifest(resolve_index_dir(settings.index_dir))
    info = {
        "index_dir": str(settings.index_dir),
        "embedder": manifest.get("embedder"),
        "chunking": manifest.get("chunking"),
        "built_at": manifest.get("built_at"),
        "documents": len(manifest.get("files", {})),
        "chunks": manifest.get("chunk_count"),
        "skipped": manifest.get("skipped", []),
        "stale": is_stale(settings),
    }
    print(json.dumps(info, ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m assistant",
        description="Assistant documentaire sur la coopération territoriale (PETR, Pays, CRTE...).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="indexer (ou mettre à jour) le corpus")
    p.add_argument("corpus_dir", nargs="?", default=None, help="dossier du corpus (défaut : corpus/)")
    p.add_argument("--index", default=None, help="dossier de l'index (défaut : index/)")
    p.add_argument("--force", action="store_true", help="tout ré-indexer, sans réutiliser l'index existant")
    p.add_argument("--json", action="store_true", help="résumé en JSON")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="poser une question")
    p.add_argument("question", nargs="?", help="la question")
    p.add_argument("--batch", help="fichier d'une question par ligne (une réponse JSON par ligne)")
    p.add_argument("--index", default=None, help="dossier de l'index (défaut : index/)")
    p.add_argument("--top-k", type=int, default=None, help="nombre de passages lus et cités (défaut : 6)")
    p.add_argument("--json", action="store_true", help="réponse en JSON")
    p.add_argument("--llm", action="store_true", help="réponse générée par le LLM configuré (ASSISTANT_LLM_*)")
    p.add_argument("--stream", action="store_true", help="afficher la réponse au fil de l'eau (avec --llm)")
    p.add_argument("--doc", action="append", help="limiter à ce document (chemin relatif au corpus), répétable")
    p.add_argument("--type", action="append", help="limiter à ce type (charte, convention, accord, contrat, fiche)")
    p.add_argument("--year", action="append", type=int, help="limiter à cette année, répétable")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("status", help="état de l'index")
    p.add_argument("--index", default=None)
    p.add_argument("--corpus-dir", default=None)
    p.set_defaults(func=cmd_status)

    from .evaluate import register_cli  # the eval runner defines its own options

    register_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except AssistantError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and friends
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
