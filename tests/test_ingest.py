"""Loaders, cleaning and chunking, on small real files built by the tests."""

from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.ingest import clean_text, list_corpus_files, load_document, page_text

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def make_pdf(path: Path, pages: list[list[str]], header: str | None = None, encrypt: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)  # the footer must not spill onto a new page
    font = next((f for f in FONT_CANDIDATES if Path(f).exists()), None)
    if font:
        pdf.add_font("Body", fname=font)
        pdf.set_font("Body", size=11)
    else:  # core font: Latin-1 only, enough for French accents
        pdf.set_font("Helvetica", size=11)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        if header:
            pdf.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-15)
        pdf.cell(0, 8, f"Page {number}", align="C")
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password=encrypt)
    pdf.output(str(path))
    return path


def test_two_page_french_pdf_keeps_pages_and_drops_running_headers(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(
        corpus / "charte.pdf",
        [
            ["Charte de coopération", "Article 1 - Objet", "La présente charte organise la coopération entre les territoires."],
            ["Article 2 - Gouvernance", "Le comité de pilotage se réunit deux fois par an sous la présidence du PETR."],
            ["Article 3 - Durée", "La charte est conclue pour six ans."],
        ],
        header="Charte PETR du Pays de Test",
    )
    meta, chunks = load_document(corpus / "charte.pdf", corpus, 1000, 150)
    assert meta.source == "charte.pdf"
    answer = [c for c in chunks if "deux fois par an" in c.text]
    assert answer and answer[0].page == 2
    assert answer[0].section.startswith("Article 2")
    assert all("Charte PETR du Pays de Test" not in c.text for c in chunks)
    assert all("Page 2" not in c.text for c in chunks)
    # offsets point into the cleaned page text
    page = page_text(corpus / "charte.pdf", 2)
    assert page[answer[0].start_char:answer[0].end_char] == answer[0].text


def test_docx_headings_become_sections(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Convention de coopération", level=1)
    document.add_heading("Axe 1 : Mobilités", level=2)
    document.add_paragraph("Les partenaires s'engagent à développer le covoiturage rural.")
    document.add_paragraph("Une navette relie les bourgs-centres.", style="List Bullet")
    document.save(tmp_path / "convention.docx")
    _, chunks = load_document(tmp_path / "convention.docx", tmp_path, 1000, 150)
    assert chunks[0].section == "Convention de coopération > Axe 1 : Mobilités"
    assert "covoiturage rural" in chunks[0].text
    assert "- Une navette" in chunks[0].text
    assert "#" not in chunks[0].text


def test_html_and_markdown_front_matter(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><script>var x=1;</script></head><body><h1>Le PETR</h1><p>Un outil des EPCI.</p>"
        "<ul><li>mutualisation</li></ul></body></html>",
        encoding="utf-8",
    )
    meta, chunks = load_document(tmp_path / "page.html", tmp_path, 1000, 150)
    assert "var x" not in chunks[0].text and "Un outil des EPCI." in chunks[0].text
    assert chunks[0].section == "Le PETR"
    (tmp_path / "note.md").write_text(
        "---\ntitle: Note sur les CRTE\ntype: contrat\ndate: 2022-01-01\n---\n# Intro\n\nTexte du **contrat**.\n",
        encoding="utf-8",
    )
    meta, chunks = load_document(tmp_path / "note.md", tmp_path, 1000, 150)
    assert (meta.title, meta.doc_type, meta.year) == ("Note sur les CRTE", "contrat", 2022)
    assert "Texte du contrat." in chunks[0].text
    (tmp_path / "crte.md").write_text("---\ntitle: CRTE\naliases: contrat du Pays ; CRTE de 2021\n---\nTexte.\n", encoding="utf-8")
    assert load_document(tmp_path / "crte.md", tmp_path, 1000, 150)[0].aliases == ("contrat du Pays", "CRTE de 2021")


SERVICE_PUBLIC_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Publication xmlns:dc="http://purl.org/dc/elements/1.1/" ID="F1234">
  <dc:title>Passeport : comment faire la demande ?</dc:title>
  <dc:subject>Papiers - Citoyenneté</dc:subject>
  <dc:date>modified 2025-03-12</dc:date>
  <FilDAriane><Niveau>Accueil particuliers</Niveau></FilDAriane>
  <Introduction><Texte><Paragraphe>La demande se fait dans une mairie équipée.</Paragraphe></Texte></Introduction>
  <Texte>
    <Chapitre>
      <Titre><Paragraphe>Où faire la demande ?</Paragraphe></Titre>
      <Paragraphe>Adressez-vous à <LienInterne LienPublication="R1">n'importe quelle mairie</LienInterne>, quel que soit votre domicile.</Paragraphe>
      <Paragraphe>Le timbre co&ucirc;te 86&nbsp;&euro; &amp; plus.</Paragraphe>
      <Liste type="puce"><Item><Paragraphe>une photo d'identité</Paragraphe></Item><Item><Paragraphe>un justificatif de domicile</Paragraphe></Item></Liste>
    </Chapitre>
  </Texte>
</Publication>
"""


def test_a_service_public_xml_fiche_reads_as_headed_text_with_its_title_and_date(tmp_path):
    (tmp_path / "F1234.xml").write_bytes(SERVICE_PUBLIC_XML.encode("utf-8"))
    meta, chunks = load_document(tmp_path / "F1234.xml", tmp_path, 1000, 150)
    assert (meta.title, meta.date) == ("Passeport : comment faire la demande ?", "2025-03-12")
    text = "\n".join(chunk.text for chunk in chunks)
    # a link inside a sentence stays in it; the list keeps its items; metadata and breadcrumb are not text
    assert "Adressez-vous à n'importe quelle mairie, quel que soit votre domicile." in text
    assert "- une photo d'identité" in text and "- un justificatif de domicile" in text
    assert "Le timbre coûte 86 € & plus." in text  # HTML entities an export left in the XML
    assert "Citoyenneté" not in text and "Accueil particuliers" not in text
    assert any(chunk.section == "Où faire la demande ?" for chunk in chunks)


def test_html_page_keeps_its_main_content_and_reads_title_language_and_date(tmp_path):
    (tmp_path / "fiche.html").write_text(
        '<html lang="fr-FR"><head><title>Passeport | Service Public</title>'
        '<meta name="DC.date" content="2026-03-02T10:00:00"></head><body>'
        '<a href="#main">Aller au contenu</a><header>Menu Particuliers Professionnels</header>'
        '<div role="navigation">Accueil > Papiers - Citoyenneté</div>'
        '<main><header><h1>Passeport : demande et renouvellement</h1></header><p>Le timbre fiscal coûte 86 € pour un adulte.</p>'
        '<aside>À savoir : le timbre peut s\'acheter en ligne.</aside><div aria-hidden="true">Partager la page</div></main>'
        '<aside>Voir aussi : carte d\'identité</aside><footer>Mentions légales</footer></body></html>',
        encoding="utf-8",
    )
    meta, chunks = load_document(tmp_path / "fiche.html", tmp_path, 1000, 150)
    text = " ".join(c.text for c in chunks)
    assert "86 €" in text and chunks[0].section == "Passeport : demande et renouvellement"
    assert "À savoir" in text  # a box inside the main content is content
    for chrome in ("Aller au contenu", "Menu", "Accueil", "Voir aussi", "Partager", "Mentions"):
        assert chrome not in text
    assert (meta.title, meta.language, meta.date) == ("Passeport : demande et renouvellement", "fr", "2026-03-02")


def test_sidecar_aliases_are_read_and_checked(tmp_path):
    (tmp_path / "a.txt").write_text("Un texte.", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text('{"title": "A", "aliases": ["charte du Pays", "the charter"]}', encoding="utf-8")
    assert load_document(tmp_path / "a.txt", tmp_path, 1000, 150)[0].aliases == ("charte du Pays", "the charter")
    (tmp_path / "a.txt.meta.json").write_text('{"title": "A", "aliases": 3}', encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        load_document(tmp_path / "a.txt", tmp_path, 1000, 150)
    assert "a.txt.meta.json" in str(info.value) and "aliases" in info.value.reason


def test_cleaning_dehyphenates_bullets_and_keeps_apostrophes():
    raw = "Le dévelop-\npement local\n\uf0a7 première action\n• deuxième\n» troisième\nl’article co-\nconstruction"
    text = clean_text(raw)
    assert "développement local" in text
    assert "- première action" in text and "- deuxième" in text and "- troisième" in text
    assert "l’article" in text  # original apostrophe kept for display
    assert "co-construction" in text


def test_a_sentence_cut_by_a_page_break_is_joined_again():
    raw = "Ils doivent prendre en compte les contrats préexistants\n\n(contrats de ville, contrats de ruralité) lorsque ...\n\nNouveau paragraphe."
    text = clean_text(raw)
    assert "les contrats préexistants (contrats de ville, contrats de ruralité) lorsque" in text
    assert "\n\nNouveau paragraphe." in text  # a capital opens a new paragraph
    assert "chargé de mission interne (doctorante convention CIFRE)" in clean_text("chargé de mission interne (doctorante convention\n\nCIFRE)")


def test_slide_titles_at_the_bottom_name_the_block(tmp_path):
    slide = "Quels outils ?\n\nEnjeux  Articuler l'eau {n}\n\nObjet partage {n}\nActeurs comité {n}\n\n{title}\n"
    titles = ["Convention d'articulation", "Entente interterritoriale", "Contrat de réciprocité"]
    (tmp_path / "slides.txt").write_text("".join(slide.format(n=n, title=t) for n, t in enumerate(titles)), encoding="utf-8")
    _, chunks = load_document(tmp_path / "slides.txt", tmp_path, 1000, 150)
    assert [c.section for c in chunks] == titles
    assert all("Quels outils" not in c.text for c in chunks)


def test_a_slide_title_followed_by_a_slide_without_its_header_still_closes_the_slide(tmp_path):
    fields = "Eléments déclencheurs  appel {n}\n\nEnjeux  Articuler l'eau {n}\n S'appuyer sur {n}\n\nActeurs comité {n}\n\n"
    text = (
        " Quels outils ?\n\n" + fields.format(n=1) + "Convention d'articulation\n"
        + " Quels outils ?\n\n" + fields.format(n=2) + "Convention de mutualisation PNR / Pays\n"
        + " Le volet « contrat de coopération métropolitaine »\ndes pactes État-métropoles.\n\n"
        + " Quels outils ?\n\n" + fields.format(n=3) + "Entente interterritoriale\n"
    )
    (tmp_path / "slides.txt").write_text(text, encoding="utf-8")
    _, chunks = load_document(tmp_path / "slides.txt", tmp_path, 1000, 150)
    mutualisation = next(c for c in chunks if "appel 2" in c.text)
    assert mutualisation.section == "Convention de mutualisation PNR / Pays"
    assert "Le volet" not in mutualisation.text  # the next slide is a passage of its own
    assert any(c.text.lstrip().startswith("Le volet") for c in chunks)
    assert all(not c.section.startswith("Enjeux") for c in chunks)  # a field is not a title


def test_a_letterhead_is_not_a_passage_of_its_own(tmp_path):
    body = "L'État et l'ANPP s'accordent pour coordonner leur mobilisation au service de la relance. " * 4
    (tmp_path / "accord.md").write_text(f"GOUVERNEMENT\n\nLiberté\nÉgalité\n\n## PRÉAMBULE\n\n{body}\n", encoding="utf-8")
    _, chunks = load_document(tmp_path / "accord.md", tmp_path, 1000, 150)
    assert len(chunks) == 1 and chunks[0].section == "PRÉAMBULE"
    assert chunks[0].text.startswith("GOUVERNEMENT") and "relance" in chunks[0].text


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("vide.txt", b"", "vide"),
        ("binaire.txt", b"\x00\x01\x02garbage", "binaire"),
        ("casse.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
        ("casse.docx", b"PK\x03\x04 not a zip", "DOCX"),
        ("casse.xml", b"<Publication><Texte>sans fin", "XML mal form"),
        ("vide.xml", b"<Publication><Texte> </Texte></Publication>", "sans texte"),
        ("profond.xml", b"<a>" * 3000 + b"texte" + b"</a>" * 3000, "imbriqu"),
    ],
)
def test_bad_files_raise_a_clear_reason(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(DocumentError) as info:
        load_document(tmp_path / name, tmp_path, 1000, 150)
    assert name in str(info.value) and reason in info.value.reason


def test_encrypted_and_image_only_pdfs_are_refused(tmp_path):
    make_pdf(tmp_path / "secret.pdf", [["Texte confidentiel."]], encrypt="motdepasse")
    with pytest.raises(DocumentError, match="chiffré"):
        load_document(tmp_path / "secret.pdf", tmp_path, 1000, 150)
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50, style="F")  # a drawing, no text layer
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(DocumentError, match="sans texte"):
        load_document(tmp_path / "scan.pdf", tmp_path, 1000, 150)


def test_corpus_listing_skips_sidecars_and_reports_unsupported(tmp_path):
    (tmp_path / "a.txt").write_text("Un texte.", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text('{"title": "A", "doc_type": "fiche"}', encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    files, skipped = list_corpus_files(tmp_path)
    assert [f.name for f in files] == ["a.txt"]
    assert skipped[0][0] == "image.png" and "non pris en charge" in skipped[0][1]


def test_seed_corpus_metadata_comes_from_sidecars():
    root = Path(__file__).resolve().parents[1] / "corpus"
    meta, chunks = load_document(root / "accord-partenariat-etat-anpp-2021.md", root, 1000, 150)
    assert meta.doc_type == "accord" and meta.year == 2021 and meta.language == "fr"
    assert any(c.section.endswith("Axe 1 : Redynamiser les économies locales") for c in chunks)
    assert all(len(c.text) <= 1000 for c in chunks)
