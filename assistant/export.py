"""Presentation helpers shared by the app: French labels, highlighted passages, Markdown export."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from .records import Answer, Citation

CLOSEST_LABEL = "Passages les plus proches (ne répondent pas à la question)"
DOC_TYPE_LABELS = {
    "charte": "Charte",
    "convention": "Convention",
    "accord": "Accord",
    "contrat": "Contrat",
    "fiche": "Fiche",
    "document": "Document",
}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")

# HTML-special characters, plus those Markdown / Streamlit could still interpret around raw HTML
# (LaTeX with $, emphasis, links, emoji shortcodes with :), all written as entities in one pass.
_ENTITIES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
    "$": "&#36;", "*": "&#42;", "_": "&#95;", "`": "&#96;", "[": "&#91;", "]": "&#93;",
    "~": "&#126;", "#": "&#35;", "|": "&#124;", "\\": "&#92;", ":": "&#58;",
})


def doc_type_label(doc_type: str | None) -> str:
    return DOC_TYPE_LABELS.get((doc_type or "").lower(), (doc_type or "Document").capitalize())


def format_date(date: str | None) -> str:
    """'2021-06-28' -> '28 juin 2021', '2024-05' -> 'mai 2024', '2024' -> '2024'."""
    if not date:
        return ""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", date.strip())
    if not match:
        return date
    year, month, day = match.groups()
    if not month or not 1 <= int(month) <= 12:
        return year
    text = f"{MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {text}" if day else text


def format_built_at(value: str | None) -> str:
    """Manifest timestamp ('2026-11-25T04:32:49+0000') -> '25/11/2026 à 04:32'."""
    if not value:
        return "—"
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})", value)
    return f"{match[3]}/{match[2]}/{match[1]} à {match[4]}:{match[5]}" if match else value


def backend_label(backend: str) -> str:
    if backend.startswith("llm:"):
        return f"Réponse générée par le modèle {backend[4:] or 'configuré'}, vérifiée contre les passages cités"
    if backend == "extractive":
        return "Réponse extractive : phrases citées telles quelles depuis le corpus"
    return f"Réponse : {backend}"


def citation_details(citation: Citation) -> list[str]:
    """Type, date, page and section of a citation, for one line of metadata."""
    parts = [doc_type_label(citation.doc_type)]
    if citation.date:
        parts.append(format_date(citation.date))
    if citation.page:
        parts.append(f"p. {citation.page}")
    if citation.section:
        parts.append(f"section « {citation.section} »")
    return parts


def escape_text(text: str) -> str:
    """HTML-escape text that will be shown through st.markdown(..., unsafe_allow_html=True)."""
    return text.translate(_ENTITIES)


def passage_window(text: str, start: int, end: int, context: int) -> tuple[str, int, int]:
    """Cut a long passage to `context` characters around the quote (at word boundaries, with "…").

    Returns the excerpt and the quote offsets inside it. Without a quote, keeps the beginning.
    """
    if not (0 <= start < end <= len(text)):
        start = end = 0
    if len(text) <= (end - start) + 2 * context + 40:
        return text, start, end
    left = max(0, start - context)
    right = min(len(text), max(end, start) + context + (context if end == 0 else 0))
    if left > 0:
        space = text.find(" ", left, start) if start > left else -1
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", max(end, left), right)
        right = space if space > end else right
    prefix = "… " if left > 0 else ""
    suffix = " …" if right < len(text) else ""
    excerpt = prefix + text[left:right].strip(" ") + suffix
    shift = len(prefix) - left - (len(text[left:right]) - len(text[left:right].lstrip(" ")))
    if end > start:
        return excerpt, start + shift, end + shift
    return excerpt, 0, 0


def passage_html(text: str, start: int, end: int, css_class: str = "passage", context: int | None = None) -> str:
    """The passage, HTML-escaped, with text[start:end] wrapped in <mark>; on a single line.

    `context`: show only that many characters on each side of the quote (see passage_window).
    Line breaks become <br> so Markdown never sees a blank line (which would end the HTML block
    and let Markdown reinterpret the rest of the passage).
    """
    text = text or ""
    if not (0 <= start < end <= len(text)):
        start = end = 0
    if context is not None:
        text, start, end = passage_window(text, start, end, context)
    pieces = [escape_text(text[:start])]
    if end > start:
        pieces.append(f"<mark>{escape_text(text[start:end])}</mark>")
    pieces.append(escape_text(text[end:]))
    body = "".join(pieces).replace("\r\n", "\n").replace("\n", "<br>")
    return f'<div class="{css_class}">{body}</div>'


def document_html(page_text: str, passage: str, quote: str = "", fold_before: int = 600) -> str:
    """A whole page with the cited passage shaded and its quote marked (when they can be found).

    When the passage starts more than `fold_before` characters into the page, the text before it
    is folded in a <details> element, so the passage is in view without any script.
    """
    start = page_text.find(passage) if passage else -1
    if start < 0:
        return passage_html(page_text, 0, 0, css_class="document")
    end = start + len(passage)
    q = passage.find(quote) if quote else -1
    inner_mark = (q, q + len(quote)) if q >= 0 and quote else (0, 0)
    inner = passage_html(passage, *inner_mark, css_class="x")[len('<div class="x">'):-len("</div>")]
    before = escape_text(page_text[:start]).replace("\n", "<br>")
    after = escape_text(page_text[end:]).replace("\n", "<br>")
    if start > fold_before:
        before = (f"<details><summary>Début de la page ({start} caractères avant le passage cité)</summary>"
                  f"{before}</details>")
    return f'<div class="document">{before}<span class="cited">{inner}</span>{after}</div>'


# ---------------------------------------------------------------------------------------------
# Markdown export


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _citation_markdown(citation: Citation) -> list[str]:
    details = ", ".join(citation_details(citation))
    lines = [f"- **[{citation.n}] {_one_line(citation.title)}** — {details} (`{citation.source}`)"]
    if citation.quote:
        lines.append(f"  > « {_one_line(citation.quote)} »")
    return lines


def answer_markdown(answer: Answer, number: int | None = None) -> str:
    heading = f"## {'Question ' + str(number) + ' : ' if number else ''}{_one_line(answer.question)}"
    lines = [heading, ""]
    if answer.standalone_question:
        lines += [f"*Question comprise : {_one_line(answer.standalone_question)}*", ""]
    lines += [answer.answer.strip().replace("\n", "  \n"), ""]  # Markdown hard line breaks
    if answer.notice:
        lines += [f"> Remarque : {_one_line(answer.notice)}", ""]
    if answer.removed_sentences:
        lines.append("Phrases retirées (non étayées par les passages cités) :")
        lines += [f"- ~~{_one_line(s)}~~" for s in answer.removed_sentences]
        lines.append("")
    lines += [f"*{backend_label(answer.backend)}.*", ""]
    if answer.abstained:
        if answer.closest:
            lines += [f"### {CLOSEST_LABEL}", ""]
            for citation in answer.closest:
                lines += _citation_markdown(citation)
            lines.append("")
    elif answer.citations:
        lines += ["### Sources", ""]
        for citation in answer.citations:
            lines += _citation_markdown(citation)
        lines.append("")
    return "\n".join(lines)


def conversation_markdown(
    answers: Iterable[Answer],
    title: str = "Conversation — Assistant coopération territoriale",
    exported_at: str | None = None,
) -> str:
    """A whole conversation (questions, answers, sources and quotes) as a Markdown document."""
    answers = list(answers)
    exported_at = exported_at or time.strftime("%d/%m/%Y à %H:%M")
    parts = [f"# {title}", "", f"Exportée le {exported_at} — {len(answers)} question(s).", ""]
    if not answers:
        parts += ["*Conversation vide.*", ""]
    parts.append("\n---\n\n".join(answer_markdown(answer, i) for i, answer in enumerate(answers, 1)))
    return "\n".join(parts).rstrip() + "\n"
