"""Presentation helpers of the app: highlighted passages (escaped), French labels, Markdown export."""

from __future__ import annotations

import re

from assistant.export import (
    CLOSEST_LABEL,
    backend_label,
    conversation_markdown,
    document_html,
    format_built_at,
    format_date,
    passage_html,
    passage_window,
)
from assistant.records import Answer, Citation


def citation(n=1, text="Avant. Le PETR est un syndicat mixte. Après.", quote="Le PETR est un syndicat mixte.", **kw) -> Citation:
    start = text.find(quote)
    return Citation(
        n=n, source="petr.txt", title="Le PETR", page=kw.pop("page", 3), section=kw.pop("section", "Statut"),
        text=text, quote=quote, score=0.9, doc_type="fiche", date="2021-06-28",
        quote_start=start, quote_end=start + len(quote), used=True, **kw,
    )


def test_passage_html_escapes_the_passage_and_marks_the_quote():
    text = "Intro <script>alert('x')</script> & co.\n\nLe <b>PETR</b> est un $yndicat.\nFin."
    quote = "Le <b>PETR</b> est un $yndicat."
    start = text.find(quote)
    out = passage_html(text, start, start + len(quote))
    assert "<script>" not in out and "<b>" not in out and "&lt;script&gt;" in out
    marked = re.search(r"<mark>(.*?)</mark>", out).group(1)
    assert marked == "Le &lt;b&gt;PETR&lt;/b&gt; est un &#36;yndicat."
    assert "\n" not in out and out.count("<br>") == 3  # one line: Markdown never sees a blank line
    assert out.startswith('<div class="passage">') and out.endswith("</div>")


def test_passage_html_without_valid_offsets_has_no_mark():
    for start, end in ((0, 0), (5, 2), (-1, 3), (0, 999)):
        assert "<mark>" not in passage_html("Un passage.", start, end)


def test_passage_window_keeps_the_quote_and_cuts_at_words():
    text = " ".join(f"mot{i}" for i in range(300))
    quote = "mot150 mot151"
    start = text.find(quote)
    excerpt, s, e = passage_window(text, start, start + len(quote), 60)
    assert excerpt[s:e] == quote
    assert excerpt.startswith("… mot") and excerpt.endswith(" …") and len(excerpt) < 220
    assert passage_window("court", 0, 5, 60) == ("court", 0, 5)


def test_document_html_shades_the_passage_and_folds_a_long_beginning():
    passage = "Le PETR est un syndicat mixte. Il porte le projet."
    page = "Début de page.\n" * 80 + passage + "\nSuite."
    out = document_html(page, passage, "Il porte le projet.")
    assert "<details>" in out and '<span class="cited">' in out
    assert "<mark>Il porte le projet.</mark>" in out
    assert "<details>" not in document_html("Court. " + passage, passage)
    assert "cited" not in document_html("Autre texte.", passage)  # passage not found: plain page


def test_french_labels():
    assert format_date("2021-06-28") == "28 juin 2021"
    assert format_date("2024-05") == "mai 2024"
    assert format_date("2024") == "2024"
    assert format_date(None) == "" and format_date("vers 2019") == "vers 2019"
    assert format_built_at("2026-11-25T04:32:49+0000") == "25/11/2026 à 04:32"
    assert "extractive" in backend_label("extractive")
    assert "mistral-small" in backend_label("llm:mistral-small")


def test_conversation_markdown_holds_questions_answers_and_citations():
    first = Answer(
        question="Un EPCI peut-il appartenir à deux PETR ?",
        answer="Non : un EPCI ne peut appartenir qu'à un seul PETR [1].",
        abstained=False, citations=[citation()], timings_ms={"total": 12.0},
    )
    follow = Answer(
        question="Et pour les CRTE ?", answer="Je ne trouve pas la réponse dans le corpus.", abstained=True,
        citations=[], timings_ms={}, standalone_question="Un EPCI peut-il appartenir à deux CRTE ?",
        closest=[citation(n=1, page=None, section="")], notice="Réponse extractive de secours.",
        removed_sentences=["Une phrase non étayée."], backend="llm:test-model",
    )
    md = conversation_markdown([first, follow], exported_at="01/01/2026 à 10:00")
    assert md.startswith("# Conversation") and "Exportée le 01/01/2026 à 10:00 — 2 question(s)." in md
    assert "## Question 1 : Un EPCI peut-il appartenir à deux PETR ?" in md
    assert "[1]." in md and "### Sources" in md
    assert "- **[1] Le PETR** — Fiche, 28 juin 2021, p. 3, section « Statut » (`petr.txt`)" in md
    assert "  > « Le PETR est un syndicat mixte. »" in md
    assert "*Question comprise : Un EPCI peut-il appartenir à deux CRTE ?*" in md
    assert f"### {CLOSEST_LABEL}" in md and "Remarque : Réponse extractive de secours." in md
    assert "~~Une phrase non étayée.~~" in md and "test-model" in md
    assert md.count("\n---\n") == 1 and md.endswith("\n")


def test_conversation_markdown_of_real_answers(fake_assistant):
    answers = [fake_assistant.ask("Un EPCI peut-il appartenir à deux PETR ?")]
    answers.append(fake_assistant.ask("Quelle est la recette de la tarte tatin ?"))
    md = conversation_markdown(answers)
    assert "### Sources" in md and f"### {CLOSEST_LABEL}" in md
    for c in answers[0].citations:
        assert f"[{c.n}] {c.title}" in md and f"`{c.source}`" in md


def test_empty_conversation_markdown():
    assert "Conversation vide" in conversation_markdown([])
