"""The Streamlit app in a real browser: `streamlit run app.py` driven by Debian's Chromium.

Fast: the index is built with the fake embedder. Screenshots land in tests/screenshots/
(git-ignored) so a human can look at the page. Skipped when Chromium or Playwright is missing
(`make test` installs both: apt `chromium chromium-driver`, pip `playwright`; never
`playwright install`, no browser is downloaded).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import copy_corpus

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]
TIMEOUT_MS = 90_000

pytestmark = pytest.mark.browser


def _requirements_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} introuvable (apt-get install chromium chromium-driver)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "le paquet Python playwright n'est pas installé (pip install playwright)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"streamlit s'est arrêté (code {server.returncode}) :\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"streamlit ne répond pas après {timeout} s :\n{log.read_text(errors='replace')}")


@pytest.fixture
def serve_app(tmp_path):
    """Start `streamlit run app.py` on a free port over a fresh fake-embedder index of the seed corpus."""
    from assistant.pipeline import ingest
    from assistant.settings import Settings

    reason = _requirements_missing()
    if reason:
        pytest.skip(reason)
    corpus = copy_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    ingest(Settings(corpus_dir=corpus, index_dir=index, embedder="fake"))
    servers: list[subprocess.Popen] = []

    def start(**extra_env: str) -> dict:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env.update(
            ASSISTANT_EMBEDDER="fake", ASSISTANT_CORPUS_DIR=str(corpus), ASSISTANT_INDEX_DIR=str(index),
            HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", **extra_env,
        )
        log = tmp_path / f"streamlit-{port}.log"
        with open(log, "wb") as handle:
            server = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                 "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
                cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
            )
        servers.append(server)
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, server, log)
        return {"url": url, "corpus": corpus, "log": log}

    try:
        yield start
    finally:
        for server in servers:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)


@pytest.fixture
def browser_page():
    reason = _requirements_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
            page.set_default_timeout(TIMEOUT_MS)
            yield page
        finally:
            browser.close()


def _ask(page, question: str, answers_before: int) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(state="visible", timeout=TIMEOUT_MS)
    box.fill(question)
    box.press("Enter")
    # An answer is complete when its backend caption is there (it follows the answer text).
    captions = page.get_by_text("Réponse extractive", exact=False)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while captions.count() <= answers_before:
        if time.monotonic() > deadline:
            raise AssertionError(f"pas de réponse à {question!r}")
        page.wait_for_timeout(250)


def _shot(page, name: str, full: bool = True) -> None:
    """Screenshot; `full` grows the viewport to the page's content (Streamlit scrolls inside <main>)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)  # let the last deltas paint
    size = page.viewport_size
    if full:
        height = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"
        )
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
        page.wait_for_timeout(500)
    try:
        page.screenshot(path=str(SCREENSHOTS / name))
    finally:
        if full:
            page.set_viewport_size(size)
            page.wait_for_timeout(200)


def test_chat_sources_follow_up_and_upload_in_chromium(serve_app, browser_page, tmp_path):
    from playwright.sync_api import expect

    app_server = serve_app()
    page = browser_page
    page.goto(app_server["url"])

    # Empty conversation: title, index status and example questions.
    expect(page.get_by_role("heading", name="Assistant coopération territoriale")).to_be_visible()
    expect(page.get_by_role("button", name="Un EPCI peut-il appartenir à deux PETR ?")).to_be_visible()
    metric = page.get_by_test_id("stMetricValue").first
    expect(metric).to_have_text("5")
    _shot(page, "01-accueil.png")

    # A seed question: answer with [n] markers, sources with the quoted span highlighted.
    _ask(page, "Un EPCI peut-il appartenir à deux PETR ?", 0)
    expect(page.get_by_text("ne peut appartenir à plus d’un PETR").first).to_be_visible()
    expect(page.get_by_text("Sources (", exact=False).first).to_be_visible()
    expect(page.get_by_text("Le PETR : outil de coopération des EPCI", exact=False).first).to_be_visible()
    mark = page.locator("div.passage mark").first
    expect(mark).to_be_visible()
    assert mark.inner_text().strip()
    _shot(page, "02-reponse-sources.png")

    # Open a source in full.
    page.get_by_text("Ouvrir le document").first.click()
    expect(page.locator("div.document").first).to_be_visible()
    expect(page.get_by_role("button", name="Télécharger le fichier original").first).to_be_visible()
    _shot(page, "03-document-source.png")

    # A follow-up question is rewritten with the conversation.
    _ask(page, "Et pour les CRTE ?", 1)
    expect(page.get_by_text("Question comprise :", exact=False).first).to_be_visible()
    _shot(page, "04-question-de-suivi.png")

    # Upload a small text file: validated, added to the corpus and indexed.
    doc = tmp_path / "Note de test à importer.txt"
    doc.write_text(
        "Note sur les contrats de réciprocité\n\n"
        "Le contrat de réciprocité ville-campagne organise la coopération entre une métropole "
        "et les territoires ruraux voisins, autour de projets communs.\n",
        encoding="utf-8",
    )
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.locator('input[type="file"]').set_input_files(str(doc))
    expect(sidebar.get_by_role("button", name="Remove Note de test à importer.txt")).to_be_attached()
    add = sidebar.get_by_role("button", name="Ajouter au corpus et indexer")
    expect(add).to_be_enabled()
    add.click()
    expect(sidebar.get_by_text("ajouté au corpus et indexé", exact=False)).to_be_visible()
    expect(metric).to_have_text("6")
    assert (app_server["corpus"] / "Note-de-test-a-importer.txt").is_file()
    _ask(page, "Qu'est-ce qu'un contrat de réciprocité ville-campagne ?", 2)
    expect(page.get_by_text("[1] Note sur les contrats de réciprocité", exact=False).first).to_be_visible()
    _shot(page, "05-import-document.png")


def test_generated_answer_streams_in_chromium(serve_app, browser_page):
    """With an LLM configured (scripted OpenAI-compatible server), the checked answer is labelled."""
    from playwright.sync_api import expect

    from fake_llm_server import FakeLLMServer

    with FakeLLMServer() as llm:
        app_server = serve_app(ASSISTANT_LLM_BASE_URL=llm.base_url, ASSISTANT_LLM_MODEL="unsupported", ASSISTANT_USE_LLM="1")
        page = browser_page
        page.goto(app_server["url"])
        expect(page.get_by_text("Réponse rédigée par le LLM")).to_be_visible()
        box = page.get_by_test_id("stChatInputTextArea")
        box.fill("Un EPCI peut-il appartenir à deux PETR ?")
        box.press("Enter")
        expect(page.get_by_text("Réponse générée par le modèle unsupported", exact=False)).to_be_visible()
        expect(page.get_by_text("retirée", exact=False).first).to_be_visible()
        expect(page.locator("div.passage mark").first).to_be_visible()
        assert any(r["body"].get("stream") for r in llm.requests)
        _shot(page, "06-reponse-llm.png")
