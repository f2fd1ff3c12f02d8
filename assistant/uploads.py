"""Adding a document to the corpus from the app: safe name, allow-list, size limit, validation.

A file only enters the corpus once it has been read successfully *outside* of it: the bytes are
written to a temporary folder and parsed with the same reader ingestion uses
(`ingest.load_document`). A bad file (empty, corrupted, encrypted PDF, scanned PDF without
text...) raises `UploadError` with the reader's reason and the corpus is left untouched. A valid
file is moved into the corpus atomically (hidden temporary name in the corpus folder, then
`os.replace`), so an ingestion running at the same time never sees half a file.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import AssistantError, DocumentError
from .ingest import SUPPORTED_SUFFIXES, load_document
from .settings import Settings

ALLOWED_SUFFIXES = tuple(sorted(SUPPORTED_SUFFIXES))  # .docx .htm .html .markdown .md .pdf .txt .xml
MAX_STEM_CHARS = 100
# Names the corpus scanner ignores (list_corpus_files): an upload under one of them would never
# be indexed, so it is renamed.
IGNORED_NAMES = {"readme.md", "readme.txt"}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


class UploadError(AssistantError):
    """The uploaded file is refused; `str(error)` is a French message for the user."""


class UploadExistsError(UploadError):
    """A corpus file already has this name and replacing it was not confirmed."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(
            f"Un fichier nommé « {name} » existe déjà dans le corpus. "
            "Cochez « Remplacer le fichier existant » pour le remplacer."
        )


@dataclass(frozen=True)
class SavedUpload:
    name: str  # file name inside the corpus (sanitised)
    path: Path
    title: str
    chunks: int  # passages found when the file was validated
    replaced: bool  # an existing file of the same name was overwritten


def allowed_types() -> list[str]:
    """Extensions for `st.file_uploader(type=...)`, without dots."""
    return [suffix.lstrip(".") for suffix in ALLOWED_SUFFIXES]


def sanitize_filename(name: str) -> str:
    """A safe corpus file name: no folders, not hidden, ASCII letters/digits/`-`/`_`/`.` only.

    Accents are transliterated ("Schéma régional.PDF" -> "Schema-regional.pdf"); the extension is
    kept (lower-cased). Raises UploadError when nothing usable is left or the type is not allowed.
    """
    original = name or ""
    base = re.split(r"[\\/]", original.replace("\x00", ""))[-1].strip()  # drop any folder part
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + suffix.lower() if suffix else ""
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadError(
            f"Type de fichier non accepté ({suffix or 'sans extension'}) : "
            f"formats acceptés {', '.join(s.lstrip('.').upper() for s in ALLOWED_SUFFIXES)}."
        )
    stem = unicodedata.normalize("NFKD", stem.translate(_LIGATURES))
    stem = "".join(ch for ch in stem if not unicodedata.combining(ch))  # é -> e; other symbols -> "-"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    stem = re.sub(r"\.{2,}", ".", stem)
    stem = re.sub(r"-{2,}", "-", stem)
    stem = stem.strip(".-_ ")[:MAX_STEM_CHARS].rstrip(".-_ ")
    if not stem:
        raise UploadError(f"Nom de fichier inutilisable : « {original} ».")
    if stem.lower() in WINDOWS_RESERVED or f"{stem}{suffix}".lower() in IGNORED_NAMES:
        stem = f"{stem}-document"
    return f"{stem}{suffix}"


def check_size(size_bytes: int, max_mb: int | float) -> None:
    if size_bytes <= 0:
        raise UploadError("Le fichier est vide.")
    if size_bytes > max_mb * 1024 * 1024:
        raise UploadError(
            f"Fichier trop volumineux ({size_bytes / (1024 * 1024):.1f} Mo) : la limite est de {max_mb:g} Mo."
        )


def corpus_path(corpus_dir: Path, name: str) -> Path:
    """`corpus_dir / name`, refusing anything that would land outside the corpus folder."""
    root = Path(corpus_dir).resolve()
    path = (root / name).resolve()
    if path == root or root not in path.parents:
        raise UploadError(f"Chemin en dehors du corpus refusé : « {name} ».")
    return path


def validate_document(name: str, data: bytes, settings: Settings):
    """Parse the bytes in a temporary folder, as ingestion would. Returns (meta, chunks)."""
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            return load_document(path, Path(tmp), settings.chunk_size, settings.chunk_overlap)
        except DocumentError as exc:
            raise UploadError(f"Le fichier « {name} » ne peut pas être indexé : {exc.reason}.") from exc
        except Exception as exc:  # a reader bug must not leave the app in a broken state
            raise UploadError(
                f"Le fichier « {name} » ne peut pas être lu ({exc.__class__.__name__}: {exc})."
            ) from exc


def save_upload(name: str, data: bytes, settings: Settings, overwrite: bool = False) -> SavedUpload:
    """Check and add one uploaded file to `settings.corpus_dir`; nothing is written on failure.

    Order: name and type, size, content (parsed in a temporary folder), existing file. The caller
    then runs an (incremental) ingestion so the new file is indexed.
    """
    safe = sanitize_filename(name)
    check_size(len(data), settings.max_upload_mb)
    meta, chunks = validate_document(safe, data, settings)
    corpus_dir = Path(settings.corpus_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    target = corpus_path(corpus_dir, safe)
    existed = target.exists()
    if existed and not overwrite:
        raise UploadExistsError(safe)
    if existed and not target.is_file():
        raise UploadError(f"« {safe} » existe déjà dans le corpus et n'est pas un fichier.")
    # Hidden temporary name inside the corpus (ignored by the scanner), then an atomic rename.
    fd, tmp_name = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=corpus_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp_name, 0o644)  # mkstemp creates 0600; corpus files are meant to be shared
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return SavedUpload(name=safe, path=target, title=meta.title, chunks=len(chunks), replaced=existed)
