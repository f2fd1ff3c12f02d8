"""Hybrid retrieval with the fake embedder: fusion by chunk id, French BM25, filters."""

from llama_index.core.schema import NodeWithScore, TextNode

from assistant.records import DocumentMeta
from assistant.retrieve import ChunkFusionRetriever, Filters, named_documents, without_names


class StaticRetriever:
    def __init__(self, nodes):
        self.nodes = nodes

    def retrieve(self, query_bundle):
        return self.nodes


def test_fusion_keeps_distinct_chunks_with_identical_text():
    a = TextNode(id_="doc-a::p0::0", text="Clause type répétée dans deux conventions.")
    b = TextNode(id_="doc-b::p0::0", text="Clause type répétée dans deux conventions.")
    c = TextNode(id_="doc-c::p0::0", text="Autre chose.")
    fusion = ChunkFusionRetriever(
        [StaticRetriever([NodeWithScore(node=a, score=0.9), NodeWithScore(node=c, score=0.5)]),
         StaticRetriever([NodeWithScore(node=b, score=3.0), NodeWithScore(node=a, score=2.0)])],
        similarity_top_k=5,
    )
    ids = [n.node.node_id for n in fusion.retrieve("clause")]
    assert set(ids) == {"doc-a::p0::0", "doc-b::p0::0", "doc-c::p0::0"}
    assert ids[0] == "doc-a::p0::0"  # found by both retrievers


def test_fusion_keeps_the_dense_best_passage_in_the_first_five():
    both = [TextNode(id_=f"both-{i}", text=f"Passage {i}.") for i in range(6)]
    only_dense = TextNode(id_="paraphrase", text="Un Italien qui habite en France peut voter.")
    dense = [NodeWithScore(node=only_dense, score=0.95)] + [NodeWithScore(node=n, score=0.9 - i / 100) for i, n in enumerate(both)]
    sparse = [NodeWithScore(node=n, score=10.0 - i) for i, n in enumerate(both)]
    plain = ChunkFusionRetriever([StaticRetriever(dense), StaticRetriever(sparse)], similarity_top_k=7)
    assert [n.node.node_id for n in plain.retrieve("voter")].index("paraphrase") == 6  # RRF alone buries it
    kept = ChunkFusionRetriever([StaticRetriever(dense), StaticRetriever(sparse)], keep_best_of=0, similarity_top_k=7)
    hits = kept.retrieve("voter")
    assert [n.node.node_id for n in hits].index("paraphrase") == 4
    assert [n.score for n in hits] == sorted((n.score for n in hits), reverse=True)


def test_french_bm25_matches_despite_elisions_accents_and_plurals(fake_assistant):
    hits = fake_assistant.retriever.retrieve("l'etablissement public constitue par accord entre EPCI", mode="sparse")
    assert hits[0].chunk.doc.source == "petr-hautes-alpes-presentation.txt"
    assert "L5741-1" in hits[0].chunk.text


def test_article_reference_is_one_token(fake_assistant):
    hits = fake_assistant.retriever.retrieve("article L. 5741-1", mode="sparse", top_k=3)
    assert any("L5741-1" in h.chunk.text for h in hits)


def test_hybrid_hits_carry_both_scores_and_unique_ids(fake_assistant):
    hits = fake_assistant.retriever.retrieve("Un EPCI peut-il appartenir à deux PETR ?", top_k=5)
    assert len(hits) == 5
    assert len({h.chunk.id for h in hits}) == 5
    assert all(h.dense_score is not None for h in hits)
    assert hits == sorted(hits, key=lambda h: h.score, reverse=True)


def test_glossary_expansion_finds_long_forms(fake_assistant):
    hits = fake_assistant.retriever.retrieve("Qu'est-ce qu'un SAGE ?", mode="sparse", top_k=3)
    assert any("Gestion des Eaux" in h.chunk.text for h in hits)


def test_filters_restrict_documents_types_and_years(fake_assistant):
    retriever = fake_assistant.retriever
    hits = retriever.retrieve("PETR", filters=Filters(sources=("accord-partenariat-etat-anpp-2021.md",)), top_k=5)
    assert hits and {h.chunk.doc.source for h in hits} == {"accord-partenariat-etat-anpp-2021.md"}
    hits = retriever.retrieve("PETR", filters=Filters(years=(2014,)), top_k=5)
    assert hits and {h.chunk.doc.year for h in hits} == {2014}
    hits = retriever.retrieve("PETR", filters=Filters(doc_types=("accord",)), top_k=5)
    assert {h.chunk.doc.doc_type for h in hits} == {"accord"}
    assert retriever.retrieve("PETR", filters=Filters(years=(1900,))) == []


def test_documents_are_named_by_their_aliases_on_stems():
    accord = DocumentMeta("accord.md", "Accord", aliases=("accord de 2021", "2021 agreement"))
    offer = DocumentMeta("offer.txt", "Offer", aliases=("offre de conseil",))
    docs = [accord, offer]
    assert named_documents("Que dit l'Accord de 2021 sur LEADER ?", docs) == [accord]
    assert named_documents("What does the 2021 agreement say?", docs) == [accord]
    assert named_documents("Les offres de conseil et l'accord de 2021 se rejoignent-ils ?", docs) == [accord, offer]
    assert named_documents("Quel accord a été signé en 2021 ?", docs) == []  # the words, not in the alias's order
    assert named_documents("Qu'est-ce qu'un PETR ?", [DocumentMeta("x.txt", "X")]) == []
    # inside the named documents, their names are noise
    topic = without_names("Que dit l'Accord de 2021 sur LEADER en 2021 ?", [accord])
    assert "LEADER" in topic and "Accord" not in topic and "2021" not in topic


def test_the_one_document_in_a_language_is_named_by_its_language():
    offer = DocumentMeta("offer.txt", "Offer", language="en")
    accord = DocumentMeta("accord.md", "Accord", language="fr")
    sheet = DocumentMeta("sheet.md", "Sheet", language="fr")
    docs = [offer, accord, sheet]
    question = "Dans la plaquette commerciale en anglais, à quelle date étaient attendus les premiers PETR ?"
    assert named_documents(question, docs) == [offer]
    assert "plaquette" not in without_names(question, [offer]) and "PETR" in without_names(question, [offer])
    assert named_documents("What does the English page say about the MAPAM law?", docs) == [offer]
    assert named_documents("Que dit le document en français ?", docs) == []  # two of them
    assert named_documents("Comment dit-on PETR en anglais ?", docs) == []  # no document named
    assert named_documents("Que dit la brochure en anglais ?", [offer, DocumentMeta("b.txt", "B", language="en")]) == []


def test_the_one_document_of_a_type_is_named_by_its_type():
    accord = DocumentMeta("accord.md", "Accord", doc_type="accord")
    sheets = [DocumentMeta("a.md", "A", doc_type="fiche"), DocumentMeta("b.md", "B", doc_type="fiche")]
    assert named_documents("Que prévoit l'accord pour l'ingénierie ?", [accord, *sheets]) == [accord]
    assert named_documents("Who signed the agreement?", [accord, *sheets]) == [accord]
    assert named_documents("Que dit l'accord de méthode ?", [accord, *sheets]) == []  # another thing
    assert named_documents("Que veulent en faire l'État et l'ANPP dans leur accord ?", [accord, *sheets]) == [accord]
    assert named_documents("Que dit la fiche ?", [accord, *sheets]) == []  # two of them
    other = DocumentMeta("accord2.md", "Accord 2", doc_type="accord")
    assert named_documents("Que prévoit l'accord ?", [accord, other]) == []
    # the name is not what to look for: "Qui a signé l'accord ?" looks for who signed
    assert "accord" not in without_names("Qui a signé l'accord ?", [accord])


def test_a_named_document_gets_the_first_passages_and_a_comparison_gets_both(fake_assistant):
    retriever = fake_assistant.retriever
    hits = retriever.retrieve("Que disent les diapositives sur les EPCI ?", top_k=5)
    assert [h.chunk.doc.source for h in hits[:2]] == ["outils-formaliser-cooperations-diapositives.txt"] * 2
    hits = retriever.retrieve("Que disent l'offre de conseil et l'accord de 2021 sur les PETR ?", top_k=5)
    assert {h.chunk.doc.source for h in hits[:2]} == {"pays-to-petr-consulting-offer-en.txt", "accord-partenariat-etat-anpp-2021.md"}
    assert len({h.chunk.id for h in hits}) == 5


def test_fusion_settings_come_from_the_environment():
    from assistant.settings import Settings

    settings = Settings.from_env({"ASSISTANT_RRF_K": "20", "ASSISTANT_DENSE_WEIGHT": "1.5", "ASSISTANT_SPARSE_WEIGHT": "0.5"})
    assert (settings.rrf_k, settings.dense_weight, settings.sparse_weight) == (20, 1.5, 0.5)


def test_english_question_gets_french_words_for_bm25(fake_assistant):
    from assistant.glossary import english_to_french

    assert english_to_french("Who signed the partnership agreements?") == "signé signataires partenariat accords conventions"
    assert english_to_french("Qui a signé ?") == ""
    hits = fake_assistant.retriever.retrieve("What does the partnership agreement say about the recovery plan?", mode="sparse", top_k=3)
    assert hits and hits[0].chunk.doc.source == "accord-partenariat-etat-anpp-2021.md"


def test_fusion_keeps_bm25s_best_passage_only_when_told_to():
    both = [TextNode(id_=f"both-{i}", text=f"Passage {i}.") for i in range(12)]
    english = TextNode(id_="offer", text="Absiskey and OTE Ingénierie offer you support.")
    dense = [NodeWithScore(node=n, score=0.9 - i / 100) for i, n in enumerate(both)] + [NodeWithScore(node=english, score=0.5)]
    sparse = [NodeWithScore(node=english, score=12.0)] + [NodeWithScore(node=n, score=10.0 - i) for i, n in enumerate(both)]
    retrievers = [StaticRetriever(dense), StaticRetriever(sparse)]
    plain = ChunkFusionRetriever(retrievers, keep_best_of=0, similarity_top_k=7)
    assert [n.node.node_id for n in plain.retrieve("offre")].index("offer") >= 5
    kept = ChunkFusionRetriever(retrievers, keep_best_of=0, keep_best_if={1: lambda node_id: node_id == "offer"}, similarity_top_k=7)
    hits = kept.retrieve("offre")
    assert [n.node.node_id for n in hits].index("offer") < 5
    assert [n.score for n in hits] == sorted((n.score for n in hits), reverse=True)
    # second in BM25's list, behind a French slide sharing "accompagner": kept all the same
    sparse_second = [sparse[1], sparse[0]] + sparse[2:]
    sparse_second[0] = NodeWithScore(node=both[0], score=13.0)
    second = ChunkFusionRetriever([StaticRetriever(dense), StaticRetriever(sparse_second)], keep_best_of=0,
                                  keep_best_if={1: lambda node_id: node_id == "offer"}, similarity_top_k=7)
    assert [n.node.node_id for n in second.retrieve("offre")].index("offer") < 5


def test_a_french_question_reaches_the_english_document_through_its_translated_words(fake_assistant):
    from assistant.glossary import french_to_english

    assert french_to_english("Quels cabinets proposent l'offre d'accompagnement vers le PETR ?").split() == ["consultancy", "consultancies", "firms", "offer", "support"]
    assert french_to_english("Quel est le rôle du PETR ?") == ""  # "rôle" is already "role" to the stemmer
    hits = fake_assistant.retriever.retrieve("Quels cabinets proposent l'offre d'accompagnement vers le PETR ?", mode="sparse")
    assert hits[0].chunk.doc.source == "pays-to-petr-consulting-offer-en.txt"


def test_selon_names_a_document_as_d_apres_does():
    fiche = DocumentMeta(source="anpp.md", title="Chiffres clés", doc_type="fiche", aliases=("d'après l'ANPP",))
    assert named_documents("Selon l'ANPP, d'où vient l'initiative d'un territoire de projet ?", [fiche]) == [fiche]
    assert named_documents("Qui a signé l'accord pour l'ANPP ?", [fiche]) == []


def test_sparse_query_gets_synonyms_only_of_words_the_corpus_lacks():
    from assistant.glossary import synonym_words

    vocabulary = {"pay", "legisl", "introduit"}
    words = synonym_words("Les Pays sont apparus dans le droit avec quel texte ?", vocabulary)
    assert "législation" in words and "introduits" in words
    assert synonym_words("Qui sont les partenaires ?", {"partenair"}) == ""
    # "aux manettes" is steering ("piloté par l'ANCT"), "le gouvernement" the State ("Pour l'État,")
    assert "piloté" in synonym_words("Qui sera aux manettes du dispositif ?", {"dispositif"})
    assert "état" in synonym_words("Qui a signé pour le gouvernement ?", {"sign"})


def test_english_words_for_meetings_get_their_french_words():
    from assistant.glossary import french_stems_of

    stems = french_stems_of("The State commits to bringing local actors together regularly")
    assert {"reguli", "reun"} <= set().union(*stems.values())


def test_fusion_keeps_bm25s_first_passage_when_it_leads_its_second_clearly():
    both = [TextNode(id_=f"both-{i}", text=f"Passage {i}.") for i in range(12)]
    law = TextNode(id_="law", text="Un EPCI ne peut appartenir à plus d'un PETR.")
    dense = [NodeWithScore(node=n, score=0.9 - i / 100) for i, n in enumerate(both)] + [NodeWithScore(node=law, score=0.5)]
    for lead, kept in ((4.5, True), (3.6, False)):  # 4.5 is 1.5 times the second's 3.0; 3.6 only 1.2 times
        sparse = [NodeWithScore(node=law, score=lead)] + [NodeWithScore(node=n, score=3.0 - i / 10) for i, n in enumerate(both)]
        fusion = ChunkFusionRetriever([StaticRetriever(dense), StaticRetriever(sparse)], keep_best_of=0,
                                      keep_leader_of={1: 1.3}, similarity_top_k=7)
        ids = [n.node.node_id for n in fusion.retrieve("membre de deux PETR")]
        assert ("law" in ids[:5]) is kept
