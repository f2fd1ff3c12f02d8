"""Streamlit chat over the corpus: cited answers, follow-up questions, sources, filters, upload.

A thin face on the library. Every answer comes from `Assistant.ask` and every index change from
`pipeline.ingest`; nothing here retrieves, ranks or rewrites questions. Configuration is read
only through `Settings.from_env()` (ASSISTANT_* environment variables).

Concurrency: the Assistant (index + model) is loaded once per process and shared read-only by
every session (`st.cache_resource`, keyed by the settings and the index version on disk); each
user's conversation lives in `st.session_state`. Index rebuilds are serialised by a process-wide
lock, and a rebuild swaps the index folder atomically, so readers never see half an index.
"""

from __future__ import annotations

import importlib.util
import inspect
import threading
import time
from pathlib import Path

import streamlit as st

from assistant.errors import AssistantError, DocumentError, IndexMismatchError, IndexMissingError
from assistant.export import (
    CLOSEST_LABEL,
    backend_label,
    citation_details,
    conversation_markdown,
    doc_type_label,
    document_html,
    format_built_at,
    passage_html,
)
from assistant.index import IngestReport, resolve_index_dir
from assistant.ingest import page_text
from assistant.pipeline import Assistant, ingest
from assistant.records import Answer, Citation
from assistant.retrieve import Filters
from assistant.settings import Settings
from assistant.uploads import UploadError, allowed_types, corpus_path, save_upload

TITLE = "Assistant coopération territoriale"
EXAMPLE_QUESTIONS = (
    "Qu'est-ce qu'une convention d'articulation ?",
    "À quoi l'État s'est-il engagé sur les CRTE ?",
    "Un EPCI peut-il appartenir à deux PETR ?",
    "Quand la loi MAPAM a-t-elle créé les PETR ?",
)
PASSAGE_CONTEXT = 350  # characters shown around the quote; "Ouvrir le document" shows everything
CSS = """
<style>
div.passage, div.document { font-size: 0.92rem; line-height: 1.55; overflow-wrap: anywhere; }
div.passage { background: rgba(127, 127, 127, 0.07); border-left: 3px solid #9db4d3;
              padding: 0.55rem 0.8rem; border-radius: 4px; margin-bottom: 0.4rem; }
div.passage mark, div.document mark { background: #ffe27a; color: #1b1b1b; padding: 0 2px; border-radius: 2px; }
div.document span.cited { background: rgba(94, 143, 214, 0.18); border-radius: 3px; }
div.document details { margin-bottom: 0.5rem; }
div.document summary { cursor: pointer; color: #5a6b80; font-size: 0.85rem; }
</style>
"""

st.set_page_config(page_title=TITLE, page_icon="🗺️", layout="centered")


# ---------------------------------------------------------------------------------------------
# Shared resources (one per process)


@st.cache_resource(show_spinner="Chargement de l'index et du modèle…", max_entries=4)
def load_assistant(settings: Settings, index_version: str) -> Assistant:
    """The shared, read-only Assistant; `index_version` changes when the index is rebuilt."""
    return Assistant.from_settings(settings)


@st.cache_resource
def ingest_lock() -> threading.Lock:
    """One ingestion at a time per process (they would share a temporary folder)."""
    return threading.Lock()


@st.cache_data(ttl=20, show_spinner=False, max_entries=16)
def index_status(_assistant: Assistant, settings: Settings, index_version: str) -> dict:
    """Assistant.status() re-hashes the corpus to tell whether the index is stale: cache it briefly."""
    return _assistant.status()


@st.cache_data(show_spinner=False, max_entries=64)
def load_page_text(path: str, page: int | None, mtime_ns: int) -> str:
    return page_text(Path(path), page)


def index_version(settings: Settings) -> str:
    manifest = resolve_index_dir(settings.index_dir) / "manifest.json"
    try:
        return f"{manifest}@{manifest.stat().st_mtime_ns}"
    except OSError:
        return "absent"


def friendly_error(exc: Exception) -> str:
    if isinstance(exc, IndexMissingError):
        return (
            "Aucun index n'a encore été construit pour ce corpus. Cliquez sur « Reconstruire l'index » "
            "dans le panneau latéral (ou ajoutez un document)."
        )
    if isinstance(exc, IndexMismatchError):
        return (
            "L'index existant a été construit avec un autre modèle ou d'autres réglages : "
            "cliquez sur « Reconstruire l'index » dans le panneau latéral."
        )
    if isinstance(exc, DocumentError):
        return f"{Path(exc.path).name} : {exc.reason}."
    if isinstance(exc, OSError):
        return f"accès au disque impossible ({exc.strerror or exc.__class__.__name__})."
    return str(exc) or exc.__class__.__name__


def md(text: str) -> str:
    """Plain text for st.markdown: `$` would otherwise start LaTeX. HTML is not rendered there."""
    return (text or "").replace("$", "\\$")


# ---------------------------------------------------------------------------------------------
# Indexing with a progress bar


STAGES = {"lecture": "Lecture des documents", "encodage": "Encodage des passages"}


def run_ingest(settings: Settings, force: bool = False) -> IngestReport:
    bar = st.progress(0.0, text="Préparation de l'indexation…")

    def progress(done: int, total: int, message: str) -> None:
        stage = STAGES.get(message.split(" ")[0], message)
        detail = message if message.startswith("lecture de ") else ""
        text = f"{stage} : {done}/{total}" + (f" — {detail[len('lecture de '):]}" if detail else "")
        bar.progress(min(max(done / total, 0.0), 1.0) if total else 1.0, text=text)

    lock = ingest_lock()
    if not lock.acquire(blocking=False):
        bar.progress(0.0, text="Une autre indexation est en cours, en attente…")
        lock.acquire()
    try:
        report = ingest(settings, progress=progress, force=force)
    finally:
        lock.release()
        load_assistant.clear()  # the next run loads the new index
        index_status.clear()
    bar.progress(1.0, text="Indexation terminée.")
    return report


def show_report(kind: str, message: str, report_summary: str | None) -> None:
    (st.success if kind == "success" else st.error)(message)
    if report_summary:
        lines = report_summary.splitlines()
        skipped_at = next((i for i, line in enumerate(lines) if "ignoré(s)" in line), len(lines))
        st.caption(md(" ".join(lines[:skipped_at])))
        if skipped_at < len(lines):
            st.warning(md("\n".join([lines[skipped_at]] + [f"- {line.strip(' -')}" for line in lines[skipped_at + 1:]])))


# ---------------------------------------------------------------------------------------------
# Rendering of one turn


def render_source(settings: Settings, citation: Citation, key: str) -> None:
    """The full page (or document) the passage comes from, and the original file to download."""
    try:
        path = corpus_path(settings.corpus_dir, citation.source)
        text = load_page_text(str(path), citation.page, path.stat().st_mtime_ns)
    except Exception as exc:  # display only: a reader problem must not break the conversation
        st.warning(f"Le document source ne peut pas être affiché : {friendly_error(exc)}")
        return
    where = f"Page {citation.page} de « {citation.source} »" if citation.page else f"Texte complet de « {citation.source} »"
    st.caption(md(where) + " — le passage cité est surligné.")
    with st.container(height=380):
        st.markdown(document_html(text, citation.text, citation.quote), unsafe_allow_html=True)
    is_pdf = path.suffix.lower() == ".pdf"
    st.download_button(
        "Télécharger le PDF" if is_pdf else "Télécharger le fichier original",
        data=path.read_bytes(),
        file_name=path.name,
        mime="application/pdf" if is_pdf else "application/octet-stream",
        key=f"download-{key}",
    )


def render_citations(settings: Settings, citations: list[Citation], key: str) -> None:
    for citation in citations:
        with st.container(border=True):
            st.markdown(f"**[{citation.n}] {md(citation.title)}**")
            st.caption(md(" · ".join(citation_details(citation) + [f"`{citation.source}`"])))
            st.markdown(passage_html(citation.text, citation.quote_start, citation.quote_end, context=PASSAGE_CONTEXT),
                        unsafe_allow_html=True)
            if st.toggle("Ouvrir le document", key=f"open-{key}-{citation.n}"):
                render_source(settings, citation, f"{key}-{citation.n}")


def render_answer(settings: Settings, answer: Answer, i: int, latest: bool) -> None:
    if answer.standalone_question:
        st.caption(md(f"Question comprise : {answer.standalone_question}"))
    st.markdown(md(answer.answer).replace("\n", "  \n"))  # keep the answer's line breaks
    if answer.notice:
        st.info(md(answer.notice))
    if answer.removed_sentences:
        with st.expander(f"Phrases retirées car non étayées par les sources ({len(answer.removed_sentences)})"):
            for sentence in answer.removed_sentences:
                st.markdown(md(f"- ~~{' '.join(sentence.split())}~~"))
    total = answer.timings_ms.get("total")
    st.caption(md(backend_label(answer.backend) + (f" · {total:.0f} ms" if total is not None else "")))
    if answer.abstained:
        st.info(
            "Le corpus indexé ne contient pas de réponse à cette question. Vous pouvez la reformuler, "
            "retirer des filtres ou ajouter un document au corpus."
            + (" Voici les passages les plus proches, pour information." if answer.closest else "")
        )
        if answer.closest:
            with st.expander(CLOSEST_LABEL, expanded=latest):
                render_citations(settings, answer.closest, f"{i}-closest")
    elif answer.citations:
        cited = [c for c in answer.citations if c.used]
        others = [c for c in answer.citations if not c.used]
        if not cited:  # nothing marked as used: show them all as sources
            cited, others = others, []
        with st.expander(f"Sources ({len(answer.citations)})", expanded=latest):
            render_citations(settings, cited, f"{i}-sources")
            if others:
                st.caption("Autres passages consultés (non cités dans la réponse)")
                render_citations(settings, others, f"{i}-sources")


# ---------------------------------------------------------------------------------------------
# Session state callbacks


def queue_question(question: str) -> None:
    st.session_state.pending_question = question


def clear_upload_result() -> None:
    st.session_state.pop("upload_result", None)


def new_conversation() -> None:
    st.session_state.turns = []
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("open-")]:
        del st.session_state[key]


def ask(assistant: Assistant, question: str, history: list[str], top_k: int, filters: Filters, use_llm: bool, on_token) -> Answer:
    try:
        return assistant.ask(question, history=history, top_k=top_k, filters=filters, use_llm=use_llm,
                             on_token=on_token if use_llm else None)
    except ModuleNotFoundError as exc:
        if not use_llm or "generate" not in (exc.name or ""):
            raise
    answer = assistant.ask(question, history=history, top_k=top_k, filters=filters, use_llm=False)
    answer.notice = "La génération par LLM n'est pas disponible dans cette installation : réponse extractive."
    return answer


# ---------------------------------------------------------------------------------------------
# The page


def main() -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    try:
        settings = Settings.from_env()
    except (ValueError, TypeError) as exc:
        st.error(f"Configuration invalide (variables ASSISTANT_*) : {exc}")
        st.stop()
    state = st.session_state
    state.setdefault("turns", [])
    state.setdefault("uploader_n", 0)

    assistant, load_error = None, None
    try:
        assistant = load_assistant(settings, index_version(settings))
    except AssistantError as exc:
        load_error = exc

    st.title(TITLE)
    st.caption(
        "Posez vos questions sur les PETR, les Pays, les CRTE et les coopérations entre territoires. "
        "Chaque réponse cite ses sources ; quand le corpus ne contient pas la réponse, l'assistant le dit."
    )

    # -- sidebar: index, filters, upload ------------------------------------------------------
    filters, top_k, use_llm = Filters(), settings.top_k, settings.use_llm
    with st.sidebar:
        st.header("Index")
        if assistant is not None:
            status = index_status(assistant, settings, index_version(settings))
            left, right = st.columns(2)
            left.metric("Documents", status.get("documents", 0))
            right.metric("Passages", status.get("chunks", 0))
            st.caption(md(f"Modèle : {status.get('embedder') or '—'}  \nDernière construction : {format_built_at(status.get('built_at'))}"))
            if status.get("stale"):
                st.warning("Le corpus a changé depuis la dernière indexation : reconstruisez l'index.")
        else:
            st.warning(friendly_error(load_error))
        force = st.checkbox("Réindexation complète", help="Relire et ré-encoder tous les documents, même inchangés.")
        if st.button("Reconstruire l'index", width="stretch"):
            try:
                report = run_ingest(settings, force=force)
            except (AssistantError, OSError) as exc:
                state.ingest_result = ("error", f"Indexation impossible : {friendly_error(exc)}", None)
            else:
                state.ingest_result = ("success", "Index déjà à jour." if report.up_to_date else "Index reconstruit.", report.summary())
            st.rerun()
        if "ingest_result" in state:
            show_report(*state.ingest_result)

        if assistant is not None:
            st.header("Filtres")
            docs = assistant.retriever.documents()
            titles = {d.source: d.title for d in docs}
            types = sorted({d.doc_type for d in docs})
            years = sorted({d.year for d in docs if d.year}, reverse=True)
            for key, options in (("filter_sources", titles), ("filter_types", types), ("filter_years", years)):
                if key in state:  # after an index change, drop choices that no longer exist
                    state[key] = [v for v in state[key] if v in options]
            sources = st.multiselect("Documents", list(titles), format_func=lambda s: titles.get(s, s),
                                     key="filter_sources", placeholder="Tous les documents")
            doc_types = st.multiselect("Types de document", types, format_func=doc_type_label,
                                       key="filter_types", placeholder="Tous les types")
            chosen_years = st.multiselect("Années", years, key="filter_years", placeholder="Toutes les années")
            filters = Filters(sources=tuple(sources), doc_types=tuple(doc_types), years=tuple(chosen_years))
            top_k = st.slider("Passages consultés par question", 1, max(10, settings.top_k), settings.top_k, key="top_k",
                              help="Nombre de passages (top-k) retrouvés pour chaque question et montrés sous la réponse.")
            if settings.llm_base_url and settings.llm_model and importlib.util.find_spec("assistant.generate"):
                use_llm = st.toggle("Réponse rédigée par le LLM", value=settings.use_llm, key="use_llm",
                                    help=f"Modèle {settings.llm_model} ; sinon, réponse extractive (phrases du corpus).")

        st.header("Ajouter un document")
        uploader_kwargs = {}
        if "max_upload_size" in inspect.signature(st.file_uploader).parameters:
            uploader_kwargs["max_upload_size"] = settings.max_upload_mb
        uploaded = st.file_uploader(
            f"PDF, DOCX, TXT, MD, HTML ou XML (max. {settings.max_upload_mb} Mo)",
            type=allowed_types(),
            key=f"uploader-{state.uploader_n}",
            on_change=clear_upload_result,
            **uploader_kwargs,
        )
        replace = st.checkbox("Remplacer le fichier existant", key="replace_existing")
        if st.button("Ajouter au corpus et indexer", disabled=uploaded is None, type="primary", width="stretch"):
            try:
                saved = save_upload(uploaded.name, uploaded.getvalue(), settings, overwrite=replace)
            except UploadError as exc:
                state.upload_result = ("error", str(exc), None)
            except OSError as exc:
                state.upload_result = ("error", f"Le fichier n'a pas pu être enregistré : {friendly_error(exc)}", None)
            else:
                verb = "remplacé dans le corpus" if saved.replaced else "ajouté au corpus"
                try:
                    report = run_ingest(settings)
                except (AssistantError, OSError) as exc:
                    state.upload_result = ("error", f"« {saved.name} » a été {verb}, mais l'indexation a échoué : {friendly_error(exc)}", None)
                else:
                    state.upload_result = ("success", f"« {saved.name} » {verb} et indexé ({saved.chunks} passages).", report.summary())
                    state.uploader_n += 1  # a fresh, empty uploader
                st.rerun()
        if "upload_result" in state:
            show_report(*state.upload_result)

    # -- conversation ---------------------------------------------------------------------------
    question = st.chat_input("Posez votre question…", disabled=assistant is None)
    question = (question or state.pop("pending_question", None) or "").strip() or None
    turns: list[Answer] = state.turns

    if load_error is not None and not isinstance(load_error, (IndexMissingError, IndexMismatchError)):
        st.error(friendly_error(load_error))
    elif load_error is not None:
        st.info(friendly_error(load_error))

    for i, answer in enumerate(turns):
        with st.chat_message("user"):
            st.markdown(md(answer.question))
        with st.chat_message("assistant"):
            render_answer(settings, answer, i, latest=(i == len(turns) - 1 and not question))

    if not turns and not question and assistant is not None:
        st.markdown("##### Exemples de questions")
        columns = st.columns(2)
        for i, example in enumerate(EXAMPLE_QUESTIONS):
            columns[i % 2].button(example, key=f"example-{i}", on_click=queue_question, args=(example,), width="stretch")
        if filters:
            st.caption("Des filtres sont actifs : la recherche se limite aux documents choisis.")

    if question and assistant is not None:
        with st.chat_message("user"):
            st.markdown(md(question))
        with st.chat_message("assistant"):
            placeholder = st.empty()
            streamed: list[str] = []

            def on_token(token: str) -> None:
                streamed.append(token)
                placeholder.markdown(md("".join(streamed)) + " ▌")

            history = [t.standalone_question or t.question for t in turns]
            try:
                with st.spinner("Recherche dans le corpus…"):
                    answer = ask(assistant, question, history, top_k, filters, use_llm, on_token)
            except AssistantError as exc:
                placeholder.error(f"La question n'a pas pu être traitée : {friendly_error(exc)}")
                answer = None
            if answer is not None:
                placeholder.empty()
                turns.append(answer)
                render_answer(settings, answer, len(turns) - 1, latest=True)

    # -- conversation tools (after the new answer, so the export includes it) ---------------------
    with st.sidebar:
        st.header("Conversation")
        st.download_button(
            "Exporter la conversation (Markdown)",
            data=conversation_markdown(turns),
            file_name=f"conversation-{time.strftime('%Y%m%d-%H%M')}.md",
            mime="text/markdown",
            disabled=not turns,
            key="export",
            width="stretch",
        )
        st.button("Nouvelle conversation", on_click=new_conversation, disabled=not turns, width="stretch")


main()
