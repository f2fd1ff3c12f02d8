"""Uploads from the app: safe names, allow-list, size limit, validation before the corpus, no silent overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings
from assistant.uploads import (
    SavedUpload,
    UploadError,
    UploadExistsError,
    allowed_types,
    check_size,
    corpus_path,
    sanitize_filename,
    save_upload,
)

NOTE = (
    "Note sur les contrats de réciprocité\n\n"
    "Le contrat de réciprocité ville-campagne organise la coopération entre une métropole et les "
    "territoires ruraux voisins, autour de projets communs.\n"
).encode("utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones included) with its content."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def pdf_bytes(text: str, password: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 10, text)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    return bytes(pdf.output())


@pytest.fixture
def settings(tmp_path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "existant.txt").write_text("Un document déjà présent dans le corpus, avec du texte.\n", encoding="utf-8")
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedder="fake")


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("note.txt", "note.txt"),
        ("Schéma régional 2024.DOCX", "Schema-regional-2024.docx"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\system32\\notes.md", "notes.md"),
        ("C:\\Users\\agent\\Rapport final (v2).PDF", "Rapport-final-v2.pdf"),
        (".cache.md", "cache.md"),
        ("...hidden.html", "hidden.html"),
        ("<script>alert(1)</script>.html", "script.html"),  # "/" is a folder separator
        ("Plan d’action «\u00a02025\u00a0» #1.md", "Plan-d-action-2025-1.md"),
        ("a\x00b.txt", "ab.txt"),
        ("README.md", "README-document.md"),
        ("Cœur de ville.md", "Coeur-de-ville.md"),
        ("con.txt", "con-document.txt"),
        ("page.htm", "page.htm"),
    ],
)
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected


def test_sanitize_filename_limits_length_and_keeps_extension():
    name = sanitize_filename("x" * 500 + ".md")
    assert name.endswith(".md") and len(name) <= 104


@pytest.mark.parametrize("name", ["virus.exe", "données.csv", "sans_extension", "archive.tar.gz", "....txt", "/.txt", ""])
def test_sanitize_filename_refuses_other_types_and_empty_names(name):
    with pytest.raises(UploadError):
        sanitize_filename(name)


def test_allowed_types_match_what_ingestion_reads():
    assert {"pdf", "docx", "txt", "md", "html"} <= set(allowed_types())
    assert all(not t.startswith(".") for t in allowed_types())


def test_corpus_path_stays_inside_the_corpus(tmp_path):
    assert corpus_path(tmp_path, "a.txt") == (tmp_path / "a.txt").resolve()
    for bad in ("../a.txt", "/etc/passwd", "sub/../../a.txt", "."):
        with pytest.raises(UploadError):
            corpus_path(tmp_path, bad)


def test_check_size():
    check_size(10, 50)
    with pytest.raises(UploadError, match="vide"):
        check_size(0, 50)
    with pytest.raises(UploadError, match="limite est de 1 Mo"):
        check_size(1024 * 1024 + 1, 1)


# -- saving -------------------------------------------------------------------------------------


def test_valid_text_file_is_saved_in_the_corpus(settings):
    saved = save_upload("Note réciprocité.txt", NOTE, settings)
    assert isinstance(saved, SavedUpload)
    assert saved.name == "Note-reciprocite.txt" and not saved.replaced and saved.chunks >= 1
    assert saved.title == "Note sur les contrats de réciprocité"
    assert saved.path == (settings.corpus_dir / "Note-reciprocite.txt").resolve()
    assert saved.path.read_bytes() == NOTE
    assert sorted(snapshot(settings.corpus_dir)) == ["Note-reciprocite.txt", "existant.txt"]  # no temp file left


def test_valid_pdf_is_accepted(settings):
    saved = save_upload("charte.pdf", pdf_bytes("Le PETR est un syndicat mixte ferme qui porte un projet de territoire."), settings)
    assert saved.name == "charte.pdf" and saved.chunks >= 1


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("corrompu.pdf", b"%PDF-1.4\nceci n'est pas un PDF", "PDF illisible"),
        ("vide.txt", b"", "vide"),
        ("binaire.txt", b"\x00\x01\x02" * 100, "binaire"),
        ("faux.docx", b"PK pas un docx", "DOCX illisible"),
        ("blanc.md", b"   \n\n  \n", "aucun texte"),
    ],
)
def test_bad_file_is_refused_with_its_reason_and_nothing_changes(settings, name, data, reason):
    before = snapshot(settings.corpus_dir)
    with pytest.raises(UploadError, match=reason):
        save_upload(name, data, settings)
    assert snapshot(settings.corpus_dir) == before


def test_encrypted_pdf_is_refused(settings):
    before = snapshot(settings.corpus_dir)
    with pytest.raises(UploadError, match="chiffré"):
        save_upload("secret.pdf", pdf_bytes("Texte confidentiel du PETR.", password="secret"), settings)
    assert snapshot(settings.corpus_dir) == before


def test_path_traversal_name_lands_inside_the_corpus(settings, tmp_path):
    saved = save_upload("../../outside.txt", NOTE, settings)
    assert saved.path.parent == settings.corpus_dir.resolve()
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path.parent / "outside.txt").exists()


def test_oversize_file_is_refused(settings):
    small = settings.replace(max_upload_mb=1)
    before = snapshot(settings.corpus_dir)
    with pytest.raises(UploadError, match="trop volumineux"):
        save_upload("gros.txt", b"a" * (1024 * 1024 + 10), small)
    assert snapshot(settings.corpus_dir) == before


def test_disallowed_type_is_refused(settings):
    with pytest.raises(UploadError, match="Type de fichier non accepté"):
        save_upload("tableau.xlsx", b"PK...", settings)


def test_no_overwrite_without_confirmation(settings):
    original = (settings.corpus_dir / "existant.txt").read_bytes()
    with pytest.raises(UploadExistsError, match="Remplacer le fichier existant"):
        save_upload("existant.txt", NOTE, settings)
    assert (settings.corpus_dir / "existant.txt").read_bytes() == original
    saved = save_upload("existant.txt", NOTE, settings, overwrite=True)
    assert saved.replaced and (settings.corpus_dir / "existant.txt").read_bytes() == NOTE


def test_bad_replacement_keeps_the_existing_file(settings):
    original = (settings.corpus_dir / "existant.txt").read_bytes()
    with pytest.raises(UploadError):
        save_upload("existant.txt", b"\x00\x00binaire", settings, overwrite=True)
    assert (settings.corpus_dir / "existant.txt").read_bytes() == original


def test_missing_corpus_folder_is_created(tmp_path):
    settings = Settings(corpus_dir=tmp_path / "nouveau" / "corpus", index_dir=tmp_path / "index", embedder="fake")
    saved = save_upload("note.txt", NOTE, settings)
    assert saved.path.is_file()


def test_saved_upload_is_indexed_incrementally(fake_settings):
    from assistant.pipeline import Assistant, ingest

    ingest(fake_settings)
    saved = save_upload("note-reciprocite.txt", NOTE, fake_settings)
    report = ingest(fake_settings)
    assert report.files_indexed == [saved.name] and len(report.files_unchanged) == 5
    sources = [d.source for d in Assistant.from_settings(fake_settings).retriever.documents()]
    assert saved.name in sources
