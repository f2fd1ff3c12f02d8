"""Ingest: load corpus files, clean them, and cut them into chunks that know their page and section.

Readers are hand-written on top of pypdf / python-docx / BeautifulSoup rather than LlamaIndex's
`SimpleDirectoryReader`: its PDF/DOCX readers live in `llama-index-readers-file` and give neither
per-file error reasons (encrypted, image-only...) nor the page-level control the citations need.
Chunking itself is LlamaIndex's `SentenceSplitter`, applied inside each page × section block.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from llama_index.core.node_parser import SentenceSplitter

from .errors import DocumentError
from .records import Chunk, DocumentMeta
from .text import guess_language, normalize_for_match

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".xml"}
SIDECAR_SUFFIX = ".meta.json"
DOC_TYPES = ("charte", "convention", "accord", "contrat", "fiche", "document")


@dataclass
class Page:
    number: int | None  # 1-based PDF page; None for formats without pages
    text: str


# ---------------------------------------------------------------------------------------------
# Corpus discovery and metadata


def list_corpus_files(corpus_dir: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to index, and (name, reason) for files that are skipped outright."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise DocumentError(corpus_dir, "le dossier du corpus n'existe pas")
    files, skipped = [], []
    for path in sorted(corpus_dir.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(corpus_dir).parts):
            continue
        if path.name.endswith(SIDECAR_SUFFIX) or path.name.lower() in ("readme.md", "readme.txt"):
            continue
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(path)
        else:
            skipped.append((relative_source(path, corpus_dir), f"format non pris en charge ({path.suffix or 'sans extension'})"))
    return files, skipped


def relative_source(path: Path, corpus_dir: Path) -> str:
    return Path(path).resolve().relative_to(Path(corpus_dir).resolve()).as_posix()


def file_hash(path: Path) -> str:
    digest = hashlib.sha256(Path(path).read_bytes())
    sidecar = Path(str(path) + SIDECAR_SUFFIX)
    if sidecar.exists():  # editing the metadata must also refresh the index
        digest.update(sidecar.read_bytes())
    return digest.hexdigest()


FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def _read_front_matter(text: str) -> tuple[dict, str]:
    """Minimal `key: value` front matter (no YAML dependency); returns (fields, remaining text)."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text
    fields = {}
    for line in match.group(1).splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.strip().strip("'\"")
    if not fields.get("title") and not fields.get("titre"):
        return {}, text  # a horizontal rule, not front matter
    # Keep offsets honest: replace the front matter by blank lines rather than cutting it.
    return fields, "\n" * match.group(0).count("\n") + text[match.end():]


def build_meta(path: Path, corpus_dir: Path, fields: dict, text_sample: str) -> DocumentMeta:
    sidecar = Path(str(path) + SIDECAR_SUFFIX)
    if sidecar.exists():
        try:
            fields = {**fields, **json.loads(sidecar.read_text(encoding="utf-8"))}
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DocumentError(sidecar, f"métadonnées illisibles ({exc})") from exc
    doc_type = str(fields.get("doc_type") or fields.get("type") or "document").lower()
    date = fields.get("date")
    return DocumentMeta(
        source=relative_source(path, corpus_dir),
        title=str(fields.get("title") or fields.get("titre") or _title_from(path, text_sample)),
        doc_type=doc_type if doc_type in DOC_TYPES else "document",
        date=str(date) if date not in (None, "") else None,
        language=str(fields.get("language") or fields.get("langue") or guess_language(text_sample[:3000])),
        origin=str(fields.get("source") or ""),
        aliases=_aliases(fields.get("aliases") or fields.get("alias"), sidecar if sidecar.exists() else path),
    )


def _aliases(value, where: Path) -> tuple[str, ...]:
    """A list in a sidecar, or "a; b" in front matter."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DocumentError(where, "« aliases » doit être une liste de noms (ou des noms séparés par « ; »)")
    return tuple(v.strip() for v in value if v.strip())


def _title_from(path: Path, text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip().strip("*").strip()
        if 3 <= len(line) <= 120:
            return line
    return path.stem.replace("-", " ").replace("_", " ")


# ---------------------------------------------------------------------------------------------
# Loaders: bytes on disk -> pages of raw text, with a clear reason when a file is unusable


def load_pages(path: Path) -> tuple[list[Page], dict]:
    """Raw pages and metadata fields found inside the file (front matter, PDF info)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise DocumentError(path, "fichier vide")
    if suffix == ".pdf":
        return _load_pdf(path)
    if suffix == ".docx":
        return [Page(None, _load_docx(path))], {}
    if suffix == ".xml":
        text, fields = _xml_to_text(path.read_bytes(), path)  # bytes: the declaration names the encoding
        return [Page(None, text)], fields
    text = _read_text(path)
    if suffix in (".html", ".htm"):
        text, fields = _html_to_text(text, path)
        return [Page(None, text)], fields
    fields, text = _read_front_matter(text) if suffix in (".md", ".markdown") else ({}, text)
    if "\f" in text:  # form feeds mark pages in text exports of PDFs
        return [Page(i + 1, part) for i, part in enumerate(text.split("\f"))], fields
    return [Page(None, text)], fields


def _read_text(path: Path) -> str:
    data = Path(path).read_bytes()
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "fichier binaire, pas du texte")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything; kept for clarity
        raise DocumentError(path, "encodage de caractères illisible")
    if encoding == "cp1252" and sum(ch in "\x81\x8d\x8f\x90\x9d" for ch in text) > 0:
        raise DocumentError(path, "encodage de caractères illisible (ni UTF-8 ni Windows-1252)")
    return text


def _load_pdf(path: Path) -> tuple[list[Page], dict]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError(path, "PDF chiffré (protégé par un mot de passe)")
            except DocumentError:
                raise
            except Exception as exc:
                raise DocumentError(path, "PDF chiffré (protégé par un mot de passe)") from exc
        pages = [Page(i + 1, page.extract_text() or "") for i, page in enumerate(reader.pages)]
        info = reader.metadata or {}
        fields = {"title": (info.get("/Title") or "").strip()}
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(path, f"PDF illisible ou corrompu ({exc.__class__.__name__}: {exc})") from exc
    if not pages:
        raise DocumentError(path, "PDF sans aucune page")
    if not any(page.text.strip() for page in pages):
        raise DocumentError(path, "PDF sans texte extractible (document scanné ? il faudrait un OCR)")
    return pages, {k: v for k, v in fields.items() if v}


def _load_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocumentError(path, f"DOCX illisible ou corrompu ({exc.__class__.__name__})") from exc
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise DocumentError(path, f"DOCX illisible ou corrompu ({exc.__class__.__name__})") from exc
    lines = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
        text = paragraph.text.strip()
        if not text:
            continue
        level = re.search(r"(heading|titre)\s*(\d)", style)
        if level:  # keep Word's heading structure as Markdown headings
            lines.append(f"\n{'#' * int(level.group(2))} {text}\n")
        elif "list" in style:
            lines.append(f"- {text}")
        else:
            lines.append(text + "\n")
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


# Never the document: scripts, menus, forms. A page that marks its main content is read from there
# only; one that does not also loses its banner, footer and side boxes (inside a main content, a
# <header> holds the title and an <aside> may hold an "À savoir" box, so they stay).
HTML_NEVER = ["script", "style", "noscript", "nav", "form", "button", "svg", "template"]
HTML_CHROME = ["header", "footer", "aside"]
HTML_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}


def _html_to_text(html: str, path: Path) -> tuple[str, dict]:
    """The text of a page's main content, with headings as Markdown, and its title, language and date.

    A page saved from a website (a service-public.fr fiche) carries menus and footers repeated on
    every page: they would match every question about "démarches" and bury the fiche itself. So
    when the page marks its content (`<main>`, `role="main"`, a single `<article>`), only that is kept.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    fields = _html_fields(soup)
    for tag in soup(HTML_NEVER):
        tag.decompose()
    for tag in soup.find_all(attrs={"aria-hidden": "true"}):
        if not tag.decomposed:
            tag.decompose()
    articles = soup.find_all("article")
    root = soup.find("main") or soup.find(attrs={"role": "main"}) or (articles[0] if len(articles) == 1 else None) or soup
    if root is soup:  # no marked main content: drop what looks like page chrome
        for tag in soup(HTML_CHROME) + soup.find_all(attrs={"role": True}):
            if not tag.decomposed and (tag.name in HTML_CHROME or str(tag.get("role", "")).lower() in HTML_CHROME_ROLES):
                tag.decompose()
    for level in range(1, 7):
        for tag in root.find_all(f"h{level}"):
            tag.replace_with(f"\n\n{'#' * level} {tag.get_text(' ', strip=True)}\n\n")
    for tag in root.find_all("li"):
        tag.replace_with(f"\n- {tag.get_text(' ', strip=True)}\n")
    for tag in root.find_all(["p", "div", "br", "tr", "section", "article"]):
        tag.insert_after("\n\n")
    text = root.get_text()
    if not text.strip():
        raise DocumentError(path, "page HTML sans texte")
    return text, fields


def _html_fields(soup) -> dict:
    """Title (`<h1>`, else `<title>`), language (`<html lang>`) and date (`<meta>`) of a page."""
    fields = {}
    h1, title = soup.find("h1"), soup.find("title")
    for tag in (h1, title):
        text = " ".join(tag.get_text(" ", strip=True).split()) if tag else ""
        if text:
            fields["title"] = text
            break
    lang = soup.find("html")
    code = str(lang.get("lang", "")).split("-")[0].lower() if lang else ""
    if code in ("fr", "en"):
        fields["language"] = code
    for name in ("dc.date", "dcterms.modified", "dc.date.modified", "article:modified_time", "date", "article:published_time"):
        meta = soup.find("meta", attrs={"name": re.compile(f"^{re.escape(name)}$", re.I)}) or soup.find(
            "meta", attrs={"property": re.compile(f"^{re.escape(name)}$", re.I)}
        )
        found = re.match(r"\d{4}-\d{2}-\d{2}", str(meta.get("content", ""))) if meta else None
        if found:
            fields["date"] = found.group(0)
            break
    return fields


# Element names (any case, any namespace) read as headings and list items; other elements holding
# blocks are paragraphs, those inside running text ("<LienInterne>", "<MiseEnEvidence>") stay inline.
XML_HEADINGS = {"titre", "title", "heading", "intertitre", "soustitre", "subtitle", "h1", "h2", "h3", "h4"}
XML_ITEMS = {"item", "li", "listitem"}
XML_NEVER = {"fildariane", "breadcrumb", "nav", "menu", "script", "style"}  # the site's, not the document's
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


def _xml_to_text(data: bytes, path: Path) -> tuple[str, dict]:
    """The text of an XML document, with headings as Markdown, and its title, language and date.

    Made for service-public.fr "vos droits" fiches (`<Publication>`, Dublin Core metadata,
    `<Chapitre><Titre>`, `<Paragraphe>`, `<Liste><Item>`), and readable for other record-like XML.
    Elements of another namespace than the root's (the `dc:` metadata) are fields, not text.
    """
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(_html_entities_resolved(data))  # the standard parser never fetches external entities
    except ET.ParseError as error:
        raise DocumentError(path, f"XML mal formé ({error})") from None
    namespace = _xml_namespace(root.tag)
    fields = {}
    title = root.find(f"{{{DUBLIN_CORE}}}title")
    if title is None:  # a top-level title, not a chapter's
        title = next((e for e in root if _xml_name(e.tag) in ("title", "titre")), None)
    if title is not None and " ".join("".join(title.itertext()).split()):
        fields["title"] = " ".join("".join(title.itertext()).split())
    language = (root.get("{http://www.w3.org/XML/1998/namespace}lang") or root.get("lang") or "").split("-")[0].lower()
    if language in ("fr", "en"):
        fields["language"] = language
    dated = root.find(f"{{{DUBLIN_CORE}}}date")
    found = re.search(r"\d{4}-\d{2}-\d{2}", "".join(dated.itertext())) if dated is not None else None
    if found:
        fields["date"] = found.group(0)

    def render(element, inline: bool) -> str:
        name = _xml_name(element.tag)
        if not isinstance(element.tag, str) or _xml_namespace(element.tag) != namespace or name in XML_NEVER:
            return ""  # comments, processing instructions, metadata, the site's breadcrumb
        # An element whose own text runs between its children holds running text: they are inline.
        # Between blocks, whitespace is only the file's indentation.
        running = bool((element.text or "").strip()) or any((child.tail or "").strip() for child in element)

        def between(text: str | None) -> str:
            return (text or "") if running or (text or "").strip() else ""

        inner = between(element.text) + "".join(render(child, running) + between(child.tail) for child in element)
        flat = " ".join(inner.split())
        if inline:
            return inner
        if name in XML_HEADINGS and flat:
            return f"\n\n## {flat}\n\n"
        if name in XML_ITEMS and flat:
            return f"\n- {flat}\n"
        return f"\n\n{inner}\n\n"

    try:
        text = re.sub(r"\n{3,}", "\n\n", render(root, False))
    except RecursionError:
        raise DocumentError(path, "XML imbriqué trop profondément pour être lu") from None
    if not text.strip():
        raise DocumentError(path, "document XML sans texte")
    return text, fields


def _html_entities_resolved(data: bytes) -> bytes:
    """HTML's named entities (`&nbsp;`, `&eacute;`), which exports put in XML that declares none,
    as numeric references; XML's own five stay."""
    from html.entities import name2codepoint

    def numeric(match: re.Match) -> bytes:
        name = match.group(1).decode("ascii")
        if name in ("amp", "lt", "gt", "quot", "apos") or name not in name2codepoint:
            return match.group(0)
        return f"&#{name2codepoint[name]};".encode("ascii")

    return re.sub(rb"&([A-Za-z][A-Za-z0-9]{1,31});", numeric, data)


def _xml_namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _xml_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


# ---------------------------------------------------------------------------------------------
# Cleaning


BULLET_RE = re.compile(r"^[ \t]*(?:[\uf000-\uf8ff]|[•●▪■◦‣∙·➢➤►▶❖✓✔]|[»*+–—](?=\s))[ \t]*", re.MULTILINE)
MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MD_EMPHASIS_RE = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?!\w)")
HYPHEN_BREAK_RE = re.compile(r"(\w+)-[ \t]*\n(?:[ \t]*\n)?[ \t]*([a-zà-öø-ÿœ]\w*)")
PAGE_NUMBER_RE = re.compile(r"^\s*(?:page\s*)?\d{1,4}(?:\s*(?:/|sur)\s*\d{1,4})?\s*$", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Clean one page of text; original characters (accents, curly apostrophes) are kept."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00ad", "").replace("\u00a0", " ").replace("\u202f", " ").replace("\x00", "")
    text = MD_LINK_RE.sub(r"\1", text)
    text = MD_EMPHASIS_RE.sub(lambda m: m.group(2) or m.group(3), text)
    text = re.sub(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", "", text, flags=re.MULTILINE)  # rules
    text = re.sub(r"\s*>>\s*$", "", text, flags=re.MULTILINE)  # "read more" arrows of web pages
    text = re.sub(r"(?<![\w*])\*(?=\w)|(?<=[\w.!?)])\*(?![\w*])", "", text)  # emphasis spanning lines
    text = BULLET_RE.sub("- ", text)
    text = HYPHEN_BREAK_RE.sub(_join_hyphenated, text)
    text = _join_broken_lines(text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def _join_hyphenated(match: re.Match) -> str:
    head, tail = match.group(1), match.group(2)
    # "co-\nconstruction" keeps its hyphen; "dévelop-\npement" is one word cut by the layout.
    return f"{head}-{tail}" if len(head) <= 3 else f"{head}{tail}"


def _join_broken_lines(text: str) -> str:
    """Join a line (or paragraph) cut by the layout when the next piece obviously continues it."""
    lines = text.split("\n")
    out: list[str] = []
    blank_run = 0
    for line in lines:
        stripped = line.strip()
        if not stripped:
            blank_run += 1
            continue
        prev = out[-1].rstrip() if out else ""
        continues = (
            prev
            and blank_run <= 1
            # "... les contrats territoriaux préexistants" / "(contrats de ville, ...) lorsque ...";
            # "(doctorante convention" / "CIFRE)": a parenthesis left open goes on
            and (stripped[0].islower() or (stripped[0] == "(" and stripped[1:2].islower()) or prev.count("(") > prev.count(")"))
            and not prev.endswith((".", ":", ";", "!", "?", "»"))
            and not prev.lstrip().startswith("#")
            and not stripped.startswith(("- ", "http"))
            and not prev.startswith("http")
        )
        if continues:
            out[-1] = prev + " " + stripped
        else:
            if blank_run and out:
                out.append("")
            out.append(line.rstrip())
        blank_run = 0
    return "\n".join(out)


def repeated_lines(pages: list[str]) -> set[str]:
    """Headers/footers: short lines repeated on many pages (PDF) or many times (slides)."""
    counts: Counter[str] = Counter()
    for text in pages:
        seen = {normalize_for_match(line) for line in text.splitlines() if 3 <= len(line.strip()) <= 100}
        if len(pages) > 1:
            counts.update(seen)
        else:
            counts.update(normalize_for_match(line) for line in text.splitlines() if 3 <= len(line.strip()) <= 100)
    threshold = max(3, len(pages) // 2 + 1) if len(pages) > 1 else 3
    return {line for line, count in counts.items() if count >= threshold and line}


# ---------------------------------------------------------------------------------------------
# Structure: headings split a page into blocks


HEADING_PATTERNS = [
    (1, re.compile(r"^(?:TITRE|Titre)\s+[IVXLC\d]+\b.*$")),
    (2, re.compile(r"^(?:CHAPITRE|Chapitre)\s+[IVXLC\d]+\b.*$")),
    (2, re.compile(r"^(?:PR[ÉE]AMBULE|Pr[ée]ambule|ANNEXE\b.*|Annexe\s+\d+.*)$")),
    (3, re.compile(r"^(?:AXE|Axe)\s+\d+\b.{0,140}$")),
    (4, re.compile(r"^(?:Article|ARTICLE)\s+(?:[LRD]\.?\s?)?\d[\w.-]*.{0,120}$")),
]
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def heading_level(line: str) -> int | None:
    """Heading level of a line, or None. Levels order sections: 1 is the widest."""
    stripped = line.strip()
    if not stripped or len(stripped) > 160:
        return None
    match = MD_HEADING_RE.match(stripped)
    if match:
        return len(match.group(1))
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(stripped):
            return level
    letters = [ch for ch in stripped if ch.isalpha()]
    if len(letters) >= 6 and len(stripped) <= 120 and all(not ch.islower() for ch in letters):
        return 2  # ALL CAPS title line
    return None


def heading_text(line: str) -> str:
    match = MD_HEADING_RE.match(line.strip())
    text = match.group(2) if match else line.strip()
    return text.strip().strip("*").strip().rstrip(":").strip()


@dataclass
class Block:
    section: str
    text: str
    start: int  # offset of the block inside the cleaned page text


def strip_markdown_headings(text: str) -> tuple[str, dict[int, int]]:
    """Drop `#` markers (readers should not see them) and remember each heading's line and level."""
    levels, lines = {}, text.split("\n")
    for i, line in enumerate(lines):
        match = MD_HEADING_RE.match(line.strip())
        if match:
            levels[i] = len(match.group(1))
            lines[i] = match.group(2).strip()
    return "\n".join(lines), levels


def split_blocks(
    text: str,
    separators: set[str],
    path: list[tuple[int, str]] | None = None,
    md_levels: dict[int, int] | None = None,
    slide_starts: set[str] | None = None,
) -> tuple[list[Block], list[tuple[int, str]]]:
    """Cut a cleaned page into blocks at headings and at separator lines (repeated slide headers).

    `path` is the heading stack carried over from the previous page; the updated stack is returned.
    Consecutive headings open one block together; a block closes when a heading follows body text.
    """
    path = list(path or [])
    blocks: list[Block] = []
    start: int | None = None
    end = 0
    has_body = False

    def close():
        nonlocal start, has_body
        if start is not None and has_body:
            body = text[start:end]
            blocks.append(Block(" > ".join(name for _, name in path[-2:]), body, start))
        start, has_body = None, False

    md_levels = md_levels or {}
    pos = 0
    lines = text.split("\n")
    labels = _field_labels(lines) if separators else set()
    for line_no, line in enumerate(lines):
        line_start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if separators and has_body and _ends_slide(lines, line_no, labels):
            end = line_start + len(line)
            _name_slide_from_last_line(text[start:end], path)
            close()
            path = [(lvl, name) for lvl, name in path if lvl < 3]
            continue
        is_separator = bool(separators) and normalize_for_match(stripped) in separators
        # A slide whose repeated header was lost still starts like the others ("Eléments déclencheurs").
        implicit_start = bool(slide_starts) and has_body and _lead(stripped) in slide_starts
        if is_separator or implicit_start:
            _name_slide_from_last_line(text[start:end] if start is not None else "", path)
            close()
            path = [(lvl, name) for lvl, name in path if lvl < 3]  # a new slide resets slide titles
            if is_separator:
                continue
        if not stripped:
            continue
        level = md_levels.get(line_no) or heading_level(stripped)
        if level is not None:
            if has_body:
                close()
            path = [(lvl, name) for lvl, name in path if lvl < level] + [(level, heading_text(stripped))]
        else:
            has_body = True
        if start is None:
            start = line_start
        end = line_start + len(line)
    if separators and start is not None:
        _name_slide_from_last_line(text[start:end], path)
    close()
    return blocks, path


SLIDE_TITLE_RE = re.compile(r"^[«\"]?\s*[A-ZÉÈÀ][^.;:!?]{3,80}$")


def _lead(line: str) -> str:
    return " ".join(normalize_for_match(line).split()[:2])


def slide_start_words(text: str, separators: set[str]) -> set[str]:
    """First two words of the line that opens each slide, when most slides open the same way."""
    leads, expect = [], False
    for line in text.split("\n"):
        if not line.strip():
            continue
        if normalize_for_match(line.strip()) in separators:
            expect = True
        elif expect:
            leads.append(_lead(line))
            expect = False
    counts = Counter(leads)
    return {lead for lead, n in counts.items() if n >= 2 and len(lead.split()) == 2}


def _first_word(line: str) -> str:
    words = normalize_for_match(line).split()
    return words[0] if words else ""


def _field_labels(lines: list[str]) -> set[str]:
    """Words that open a paragraph on many slides: field labels ("Enjeux", "Acteurs"), not titles."""
    counts = Counter(_first_word(line) for prev, line in zip([""] + lines, lines) if line.strip() and not prev.strip())
    return {word for word, n in counts.items() if n >= 3}


def _ends_slide(lines: list[str], i: int, labels: set[str]) -> bool:
    """A slide title at the bottom of a slide whose next slide lost its repeated header.

    Exported slides put the title last, after a blank line; the next slide's first text box starts
    with the indentation of its bullet ("Convention de mutualisation PNR / Pays" / " Le volet ...").
    A paragraph opening with a field label ("Enjeux  Organiser ...") is a field, not a title.
    """
    if i == 0 or i + 1 >= len(lines) or lines[i - 1].strip():
        return False
    following = lines[i + 1]
    return (
        bool(SLIDE_TITLE_RE.match(lines[i].strip()))
        and _first_word(lines[i]) not in labels
        and following[:1] in (" ", "\t")
        and following.strip()[:1].isupper()
    )


def _name_slide_from_last_line(block_text: str, path: list[tuple[int, str]]) -> None:
    """Slides exported to text put their title at the bottom: use it as the block's section.

    The title must stand alone after a blank line, so a wrapped sentence's last line is not taken.
    """
    lines = [line.strip() for line in block_text.rstrip().split("\n")]
    if len([l for l in lines if l]) < 3 or len(lines) < 2 or lines[-2]:
        return
    if SLIDE_TITLE_RE.match(lines[-1]) and not lines[-1].startswith("http"):
        path[:] = [(lvl, name) for lvl, name in path if lvl < 3] + [(3, lines[-1].strip("«» \""))]


# ---------------------------------------------------------------------------------------------
# Chunking


def prepare_pages(pages: list[Page]) -> tuple[list[tuple[Page, dict[int, int]]], set[str]]:
    """The exact text chunk offsets refer to: cleaned, running headers/footers removed, `#` stripped.

    Returns each page with its Markdown heading levels, and the separator lines that still split
    blocks (repeated slide headers in single-page documents).
    """
    cleaned = [Page(page.number, clean_text(page.text)) for page in pages]
    repeated = repeated_lines([p.text for p in cleaned])
    prepared = []
    for page in cleaned:
        text = page.text
        if len(pages) > 1:  # drop PDF running headers/footers and bare page numbers
            kept = [l for l in text.split("\n") if normalize_for_match(l) not in repeated and not PAGE_NUMBER_RE.match(l)]
            text = "\n".join(kept).strip("\n")
        text, md_levels = strip_markdown_headings(text)
        prepared.append((Page(page.number, text), md_levels))
    return prepared, (set() if len(pages) > 1 else repeated)


MIN_BLOCK_CHARS = 120


def merge_small_blocks(blocks: list[Block], text: str) -> list[Block]:
    """Fold a block too short to stand as a passage (a letterhead: "GOUVERNEMENT / Liberté /
    Égalité / Fraternité / Juin 2021") into the block after it, which gives the section."""
    merged: list[Block] = []
    pending: Block | None = None
    for block in blocks:
        if pending is not None:
            block = Block(block.section, text[pending.start:block.start + len(block.text)], pending.start)
            pending = None
        if len(block.text.strip()) < MIN_BLOCK_CHARS and block is not blocks[-1]:
            pending = block
            continue
        merged.append(block)
    return merged


def chunk_pages(meta: DocumentMeta, pages: list[Page], chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Clean pages, split them into blocks, and blocks into overlapping chunks."""
    # Character-based sizes: the splitter's default tokenizer (tiktoken, English) would make
    # chunk_size mean different things for French and English text.
    splitter = SentenceSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        tokenizer=list,
        paragraph_separator="\n\n",
        include_metadata=False,
    )
    chunks: list[Chunk] = []
    path: list[tuple[int, str]] = []
    prepared, separators = prepare_pages(pages)
    for page, md_levels in prepared:
        starts = slide_start_words(page.text, separators) if separators else set()
        blocks, path = split_blocks(page.text, separators, path, md_levels, starts)
        # Slides are short by nature and each is its own topic: only prose gets its scraps merged.
        for block in (blocks if separators else merge_small_blocks(blocks, page.text)):
            cursor = 0
            for piece in splitter.split_text(block.text):
                piece = piece.strip()
                if not piece:
                    continue
                found = block.text.find(piece, max(0, cursor - chunk_overlap - 50))
                if found < 0:
                    found = block.text.find(piece)
                start = block.start + (found if found >= 0 else cursor)
                cursor = (found if found >= 0 else cursor) + len(piece)
                chunks.append(
                    Chunk(
                        id=f"{meta.source}::p{page.number or 0}::{start}",
                        doc=meta,
                        text=piece,
                        page=page.number,
                        section=block.section,
                        start_char=start,
                        end_char=start + len(piece),
                    )
                )
    return chunks


def load_document(path: Path, corpus_dir: Path, chunk_size: int, chunk_overlap: int) -> tuple[DocumentMeta, list[Chunk]]:
    """One file -> its metadata and chunks. Raises DocumentError with the reason when unusable."""
    pages, fields = load_pages(path)
    sample = "\n".join(p.text for p in pages[:3])
    meta = build_meta(path, corpus_dir, fields, sample)
    chunks = chunk_pages(meta, pages, chunk_size, chunk_overlap)
    if not chunks:
        raise DocumentError(path, "aucun texte exploitable après nettoyage")
    return meta, chunks


def page_text(path: Path, page: int | None) -> str:
    """The cleaned text of one page (or of the whole document), for 'open the source' views."""
    prepared, _ = prepare_pages(load_pages(path)[0])
    if page is None:
        return "\n\n".join(p.text for p, _ in prepared)
    for p, _ in prepared:
        if p.number == page:
            return p.text
    raise DocumentError(path, f"page {page} introuvable")
