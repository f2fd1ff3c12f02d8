from assistant.glossary import expand_query
from assistant.text import analyze, content_terms, fold, guess_language, split_sentences


def test_elisions_accents_and_articles_are_normalised():
    tokens = analyze("L’article L. 5741-1 du CGCT s'applique à l'établissement")
    assert "l5741-1" in tokens
    assert analyze("établissement") == analyze("etablissements")
    assert "l" not in tokens and "s" not in tokens
    assert "articl" in tokens


def test_french_stopwords_are_dropped_and_stemming_is_french():
    assert analyze("les coopérations des territoires") == analyze("coopération territoire")
    assert analyze("vis-à-vis des politiques") == analyze("politiques")  # a preposition, hyphens and all


def test_fold_keeps_meaning_for_matching():
    assert fold("Pôle d’Équilibre") == "pole d'equilibre"


def test_question_words_are_not_content_terms():
    assert content_terms("Qu'est-ce qu'un PETR ?") == ["petr"]
    assert content_terms("Une CC peut-elle être membre d'un PETR ?") == ["cc", "membr", "petr"]  # no "être"
    # "jouer un rôle", "occuper une fonction": the verb asks, the answer need not use it
    assert content_terms("Quel rôle joue la direction du PETR ?") == ["rol", "direct", "petr"]
    # English function words too ("my", "have", "during"), not French nouns spelled the same ("don")
    assert content_terms("Does my employer have to pay my salary during the leave?") == ["emploi", "pay", "salary", "leav"]
    assert content_terms("Le don d'un terrain") == ["don", "terrain"]


def test_function_words_are_not_stems_that_match_by_chance():
    # "entre" would be a prefix of "entrer", "durant" stems like "durée"
    assert analyze("un outil de coopération entre EPCI durant six ans") == ["outil", "cooper", "epci", "six", "an"]


def test_language_guess():
    assert guess_language("What does the MAPAM law create?") == "en"
    assert guess_language("Qu'est-ce qu'un PETR ?") == "fr"
    assert guess_language("PETR ?") == "fr"


def test_sentence_split_keeps_article_references_whole():
    text = "Selon l'art. L. 5741-1 du CGCT, le PETR est un établissement public. Il coordonne.\n- un item"
    spans = [text[a:b] for a, b in split_sentences(text)]
    assert spans == [
        "Selon l'art. L. 5741-1 du CGCT, le PETR est un établissement public.",
        "Il coordonne.",
        "- un item",
    ]


def test_glossary_expands_both_ways():
    assert "contrat de relance et de transition écologique" in expand_query("Qu'est-ce qu'un CRTE ?")
    assert "PETR" in expand_query("Qu'est-ce qu'un pôle d'équilibre territorial et rural ?")
    assert expand_query("Une question sans sigle") == "Une question sans sigle"
    # "acteurs" does not already say "CTE": only whole words do
    assert expand_query("Les contrats de transition écologique entre acteurs").endswith("(CTE)")


def test_a_french_question_is_not_expanded_with_english_names():
    french = expand_query("Quel régime juridique s'applique aux PETR ?", "fr")
    assert "pôle d'équilibre territorial et rural" in french and "Balance Cluster" not in french
    english = expand_query("What is a PETR?", "en")
    assert "Territorial and Rural Balance Cluster" in english and "pôle d'équilibre territorial et rural" in english


SIGNED = (
    "Les parties s'engagent à se réunir chaque année.\n\nFait à Paris, le 28 juin 2021\n\nPour l'État,\n\n"
    "Barbara POMPILI\n\nMinistre de la Transition écologique\n\nPour l'ANPP,\n\nJosiane CORNELOUP\n\n"
    "Présidente de l'association nationale des pôles et des pays"
)


def test_a_signature_block_is_one_answer_unit():
    from assistant.text import is_signature, signature_blocks, unit_texts

    units = unit_texts(SIGNED)
    assert "Pour l'État,\n\nBarbara POMPILI\n\nMinistre de la Transition écologique" in units
    assert any(u.startswith("Pour l'ANPP,") and "CORNELOUP" in u for u in units)
    assert "Pour l'État," not in units and "Ministre de la Transition écologique" not in units
    assert len(signature_blocks(SIGNED)) == 2
    assert is_signature("Fait à Paris, le 28 juin 2021") and not is_signature("Pour les mineurs, le tarif est de 17 €.")
    # a sentence that merely opens like a signatory line is not one
    assert signature_blocks("Pour le PETR, la mutualisation est essentielle.\n\nElle porte sur l'ingénierie.") == []


def test_a_passage_with_signatures_is_labelled_for_retrieval():
    from assistant.records import Chunk, DocumentMeta

    doc = DocumentMeta(source="accord.md", title="Accord", doc_type="accord", date=None, language="fr")
    chunk = Chunk(id="accord.md::p0::0", doc=doc, text=SIGNED, page=None, section="Suivi", start_char=0, end_char=len(SIGNED))
    assert chunk.search_text().startswith("Accord — Suivi — Signataires (signé par)\n")


def test_a_sentence_then_a_heading_line_are_two_units():
    from assistant.text import unit_texts

    passage = ("Dans ce cadre le PETR pourra exercer des compétences.\n"
               "Volonté des élus et animation du territoire")
    assert unit_texts(passage) == ["Dans ce cadre le PETR pourra exercer des compétences.",
                                   "Volonté des élus et animation du territoire"]
    field = "Enjeux  Organiser la dynamique du territoire\nS’appuyer sur les compétences des CC."
    assert unit_texts(field) == [field]  # a slide field still is one unit
