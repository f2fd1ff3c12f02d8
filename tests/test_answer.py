"""Extractive answers: [n] markers, quoted spans, abstention, follow-ups."""

import dataclasses
import re

import pytest

from assistant.answer import FEATURES, REFUSAL, AnswerModel, Question, Unit, analyze, choose_units, passage_quotes, tokens_of
from assistant.conversation import condense
from assistant.records import DocumentMeta


def test_answer_cites_passages_with_markers_and_quote_spans(fake_assistant):
    answer = fake_assistant.ask("Un EPCI à fiscalité propre peut-il appartenir à plus d'un PETR ?")
    assert not answer.abstained
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers and markers <= {c.n for c in answer.citations}
    for citation in answer.citations:
        assert citation.text[citation.quote_start:citation.quote_end] == citation.quote
    used = [c for c in answer.citations if c.used]
    assert {c.n for c in used} == markers
    assert any("ne peut appartenir à plus d’un PETR" in c.quote for c in used)
    assert set(answer.timings_ms) == {"retrieve", "answer", "total"}


def test_unanswerable_question_abstains_and_shows_closest_passages(fake_assistant):
    answer = fake_assistant.ask("Quelle est la recette de la tarte Tatin servie à la mairie de Lyon ?")
    assert answer.abstained
    assert answer.answer == REFUSAL["fr"]
    assert answer.citations == [] and answer.closest
    assert answer.abstention_reason and answer.to_dict()["abstention_reason"] == answer.abstention_reason


def test_english_question_gets_english_refusal(fake_assistant):
    answer = fake_assistant.ask("What is the salary of the mayor of Marseille?")
    assert answer.abstained and answer.answer == REFUSAL["en"]


def test_list_introduction_brings_its_items(fake_assistant):
    answer = fake_assistant.ask("À quoi l'État et l'ANPP s'engagent-ils pour piloter la mise en œuvre et le suivi des CRTE ?")
    assert not answer.abstained


def test_empty_question_abstains(fake_assistant):
    assert fake_assistant.ask("   ").abstained


def test_follow_up_is_condensed_with_the_previous_question():
    assert condense("Et pour les CRTE ?", ["Qui pilote les PETR ?"]) == "Qui pilote les CRTE ?"
    assert condense("Qui le préside ?", ["Qu'est-ce qu'un PETR ?"]) == "Qu'est-ce qu'un PETR ? Qui le préside ?"
    assert condense("Qu'est-ce qu'un PNR ?", ["Qu'est-ce qu'un PETR ?"]) == "Qu'est-ce qu'un PNR ?"
    assert condense("Qui le préside ?", []) == "Qui le préside ?"
    # the same question about something else, when the previous one ends on that complement
    assert condense("Et pour l'État ?", ["Qui a signé l'accord pour l'ANPP ?"]) == "Qui a signé l'accord pour l'État ?"
    assert condense("Et par l'État ?", ["Par qui le CRTE est-il signé ?"]) == "Par qui le CRTE est-il signé ? Et par l'État ?"
    # "selon l'ANPP" names the source, not the topic the follow-up replaces
    assert condense("Et du côté des SCoT ?", ["Combien de PCAET sont portés à l'échelle des Pays selon l'ANPP ?"]) == (
        "Combien de SCoT sont portés à l'échelle des Pays selon l'ANPP ?")


def test_a_follow_up_on_the_other_side_asks_the_same_for_that_party():
    first = "Qui a signé l'accord de partenariat de juin 2021 pour le gouvernement ?"
    assert condense("et côté association nationale des pôles, c'est qui ?", [first]) == (
        "Qui a signé l'accord de partenariat de juin 2021 pour association nationale des pôles ?")
    assert condense("And on the ANPP side?", ["Who signed the agreement for the State?"]) == "Who signed the agreement for the ANPP ?"
    # a question of its own after the side is not swapped in
    assert condense("Et côté pratique, comment ça marche ?", ["Qui a signé l'accord pour l'ANPP ?"]) == (
        "Qui a signé l'accord pour l'ANPP ? Et côté pratique, comment ça marche ?")


def test_who_asks_is_no_part_of_the_question(fake_assistant):
    from assistant.conversation import plain_question

    assert plain_question("Pour un nouveau chargé de mission : un PETR, ça sert à quoi ?") == "un PETR, ça sert à quoi ?"
    assert plain_question("As a new officer, what is a PETR?") == "what is a PETR?"
    assert plain_question("Pour un PETR, quelle est la durée du mandat ?") == "Pour un PETR, quelle est la durée du mandat ?"
    assert plain_question("What's the PETR's budget?") == "What is the PETR's budget?"
    # where the user works is a topic: "cette structure" stands for it
    assert plain_question("Je débute dans un PETR : à quoi sert cette structure ?") == "Je débute dans un PETR : à quoi sert cette structure ?"
    assert plain_question("Besides being a strategic tool, how is it described?") == "how is it described?"
    assert plain_question("En plus d'être un outil, c'est quoi ?") == "c'est quoi ?"
    # what it has is a topic: the answer is next to it
    assert plain_question("Outre les territoires de projet, quels organismes ?") == "Outre les territoires de projet, quels organismes ?"
    answer = fake_assistant.ask("Pour une nouvelle chargée de mission : qu'est-ce qu'un PETR ?")
    assert answer.question == "Pour une nouvelle chargée de mission : qu'est-ce qu'un PETR ?"  # as typed
    assert answer.standalone_question is None and not answer.abstained


def test_a_follow_up_asks_for_its_own_kind_of_answer():
    assert Question.parse("Quelle est la durée d'un CRTE ? Qui les signe ?", "fr").expects is None
    assert not Question.parse("Qu'est-ce qu'un PETR ? Qui le préside ?", "fr").definition
    assert Question.parse("Qui a signé l'accord pour l'ANPP ? Et pour l'État ?", "fr").asks_signatories  # asks nothing itself


def test_a_message_asking_several_questions_is_split_into_them():
    from assistant.conversation import condense_part, split_parts

    two = "Quelle part des contrats locaux de santé est portée par les Pays, et l'accord prévoit-il de soutenir ces contrats ?"
    first, second = split_parts(two)
    assert first == "Quelle part des contrats locaux de santé est portée par les Pays ?"
    assert condense_part(second, first).startswith(first)  # "ces contrats": those of the first part
    assert split_parts("Qu'est-ce qu'un PETR ? Qui le préside ?") == ["Qu'est-ce qu'un PETR ?", "Qui le préside ?"]
    assert split_parts("Bonjour. Qu'est-ce qu'un PETR ? Et un CRTE ?")[1] == "Et un CRTE ?"
    assert split_parts("Qu'est-ce qu'un CRTE et combien de temps dure-t-il ?") == ["Qu'est-ce qu'un CRTE ?", "combien de temps dure-t-il ?"]
    # one question: a first part without its topic, an "et" between nouns, a statement before the question
    for one in ("Qui signe et qui pilote le CRTE ?", "Quels sont les engagements de l'État et de l'ANPP ?",
                "Merci. Et un CRTE ?", "?", "? ? ?", " ; , et ?", ""):
        assert split_parts(one) == [one]
    assert split_parts("Qu'est-ce qu'un PETR ? ? ?") == ["Qu'est-ce qu'un PETR ? ? ?"]
    # "cela" stands for the part before
    scot = "Combien de SCoT sont portés par les Pays et PETR, et quelle part du total cela représente-t-il ?"
    first, second = split_parts(scot)
    assert condense_part(second, first).startswith(first)
    assert Question.parse(condense_part(second, first), "fr").counted_words == ("SCoT",)


def test_each_part_of_a_message_is_answered_and_cited_in_turn(fake_assistant):
    answer = fake_assistant.ask("Qu'est-ce qu'un PETR ? Quelle est la recette de la tartiflette ?")
    lines = answer.answer.splitlines()
    assert not answer.abstained and "PETR" in lines[0]
    assert lines[-1] == "« Quelle est la recette de la tartiflette » : je ne trouve pas la réponse dans le corpus."
    numbers = {int(n) for n in re.findall(r" \[(\d+)\]$", answer.answer, re.MULTILINE)}
    assert numbers and all(answer.citations[n - 1].used for n in numbers)
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert len({c.chunk_id for c in answer.citations}) == len(answer.citations)
    both = fake_assistant.ask("Qu'est-ce qu'un PETR ? Qu'est-ce qu'un pôle d'équilibre territorial et rural ?")
    assert len(set(both.answer.splitlines())) == len(both.answer.splitlines())  # no sentence said twice
    neither = fake_assistant.ask("Quelle est la recette de la tartiflette ? Qui a gagné la coupe du monde de rugby ?")
    assert neither.abstained and neither.answer == REFUSAL["fr"] and not neither.citations


def test_follow_up_through_the_pipeline(fake_assistant):
    answer = fake_assistant.ask("Et pour les CRTE ?", history=["Qu'est-ce qu'un PETR ?"])
    assert answer.standalone_question == "Qu'est-ce qu'un CRTE ?"


def test_abstention_rules(fake_assistant):
    budget = fake_assistant.ask("Quel est le budget annuel du PETR des Hautes-Alpes ?")
    assert budget.abstained and "budget" in budget.abstention_reason  # an attribute the corpus never mentions
    sraddet = fake_assistant.ask("Comment un PETR articule-t-il son projet avec le SRADDET ?")
    assert sraddet.abstained and "SRADDET" in sraddet.abstention_reason  # an acronym the corpus never mentions
    answered = fake_assistant.ask("Combien de territoires de projet compte-t-on en France métropolitaine ?")
    assert not answered.abstained and answered.abstention_reason is None and "268" in answered.answer
    # the national count does not tell a region's ("France" is too common a name to count)
    assert fake_assistant.ask("Combien de territoires de projet compte-t-on en Bretagne ?").abstained
    names = fake_assistant.extractor.rare_names
    assert names(Question.parse("Combien de PETR compte la Bretagne ?", "fr")) == ["Bretagne"]
    assert names(Question.parse("Quelle est la population du Pays de Retz ?", "fr")) == ["Retz"]
    assert "France" not in names(Question.parse("Combien de PCAET en France ?", "fr"))
    # a rare acronym is a name too, but only in the user's own words (not a follow-up's topic before)
    assert names(Question.parse("Qui préside l'AdCF ?", "fr")) == ["AdCF"]
    assert names(Question.parse("Combien de SCoT sont portés par des Pays ? Et de CLS ?", "fr")) == ["CLS"]
    president = fake_assistant.ask("Qui préside l'AdCF ?")  # not "les présidents de territoires de projet"
    assert president.abstained and ("AdCF" in president.abstention_reason or "préside" in president.abstention_reason)
    cost = fake_assistant.ask("How much does the consultants' support cost?")
    assert cost.abstained and "cost" in cost.abstention_reason
    assert Question.parse("Combien coûte l'adhésion à un PETR ?", "fr").attribute == "cout"
    assert Question.parse("L'adhésion, ça coûte combien ?", "fr").attribute == "cout"
    assert Question.parse("Un acte de naissance, c'est payant ?", "fr").attribute == "cout"


def test_asked_attribute_must_be_in_the_answering_sentence(fake_assistant):
    from assistant.answer import Question

    assert Question.parse("Qui est le président du PETR des Hautes-Alpes ?", "fr").attribute == "président"
    assert Question.parse("Où se trouve le siège de l'ANPP ?", "fr").attribute == "siège"
    # the question's spelling, which the stemmer reads: "durée" -> "dur", as in the corpus
    assert Question.parse("Quelle est la durée d'un CRTE ?", "fr").attribute == "durée"
    assert Question.parse("Quel est le nombre de PCAET ?", "fr").attribute is None  # says how, not what
    # a condensed follow-up: the attribute is the user's, not the previous question's
    assert Question.parse("Quels sont les partenaires de TRIDAN ? Et qui en assure le pilotage ?", "fr").attribute is None
    from assistant.answer import Unit, analyze, best_unit

    question = Question.parse("Qui est le président du PETR des Hautes-Alpes ?", "fr")
    features = {name: 0.0 for name in ("is_question", "heading", "type_match", "type_missing", "defines", "context_coverage")}
    missions = Unit(0, 0, 10, "Le PETR fédère les EPCI.", features=features, score=9.0, context=set(analyze("PETR fédère EPCI")))
    reason = fake_assistant.extractor.abstention_reason(question, missions)
    assert reason and "président" in reason  # the best sentence is about something else
    chair = Unit(1, 0, 10, "Il est présidé par un élu.", features=features, score=7.5, context=set(analyze("présidé élu")))
    assert best_unit([missions, chair], question) is chair  # close enough, and it names what is asked
    chair.score = 5.0
    assert best_unit([missions, chair], question) is missions  # too far behind


def test_slide_field_labels_come_from_the_corpus(fake_assistant):
    from assistant.answer import field_label

    stats = fake_assistant.extractor.stats
    assert field_label("Enjeux  Organiser la dynamique") == "Enjeux"
    assert field_label("Partenaires / échelle Le PNR et les communautés de communes") == "Partenaires / échelle"
    assert field_label("Eléments déclencheurs  Constat de relations") == "Eléments déclencheurs"
    assert {"enjeux", "acteurs", "objet", "partenaires / echelle"} <= stats.field_labels
    assert stats.field_label("Les PETR sont des établissements publics.") is None  # not a label the corpus repeats


def test_a_slide_field_named_by_the_question_answers_it(fake_assistant):
    answer = fake_assistant.ask("Quels sont les enjeux de l'entente TRIDAN ?")
    assert not answer.abstained and answer.answer.startswith("Entente interterritoriale TRIDAN — Enjeux")


def test_a_sentence_opening_on_a_pronoun_comes_with_the_sentence_it_refers_to():
    from assistant.answer import Unit, with_antecedent

    passage = "Les CRTE sont signés pour six ans. Ils seront régulièrement enrichis ou amendés."
    start = passage.index("Ils")
    unit = Unit(0, start, len(passage), passage[start:], previous="Les CRTE sont signés pour six ans.")
    extended = with_antecedent(unit, passage)
    assert extended.text == passage and (extended.start, extended.end) == (0, len(passage))
    plain = Unit(0, 0, 34, passage[:34], previous="")
    assert with_antecedent(plain, passage) is plain
    already = Unit(0, 0, start - 1, passage[:start - 1])
    assert with_antecedent(unit, passage, [already, unit]) is unit  # the answer holds it already


def test_a_list_introduction_takes_its_first_item_across_a_blank_line():
    from assistant.answer import unit_spans

    passage = "Préambule.\n\nL'État et l'ANPP s'engagent à :\n\n- Porter une politique contractuelle ;\n- Soutenir l'ingénierie."
    spans = [passage[s:e] for s, e in unit_spans(passage)]
    assert "L'État et l'ANPP s'engagent à :\n\n- Porter une politique contractuelle ;\n- Soutenir l'ingénierie." in spans


def test_a_question_naming_documents_is_answered_from_them(fake_assistant):
    offer, accord = "pays-to-petr-consulting-offer-en.txt", "accord-partenariat-etat-anpp-2021.md"
    answer = fake_assistant.ask("Que dit l'offre de conseil sur les PETR ?")
    assert not answer.abstained
    assert {c.source for c in answer.citations if c.used} == {offer}
    answer = fake_assistant.ask("Que disent l'offre de conseil et l'accord de 2021 sur les PETR ?")
    assert {c.source for c in answer.citations if c.used} == {offer, accord}


def test_choose_units_takes_one_unit_from_each_named_document():
    model = AnswerModel({name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=1.0)
    features = {name: 0.0 for name in FEATURES}
    units = [Unit(0, 0, 5, "Premier texte.", features=features, score=9.0, source="a.md"),
             Unit(1, 0, 5, "Deuxième texte.", features=features, score=8.8, source="a.md"),
             Unit(2, 0, 5, "Autre document.", features=features, score=2.0, source="b.md"),
             Unit(3, 0, 5, "Document non nommé.", features=features, score=8.9, source="c.md")]
    question = dataclasses.replace(Question.parse("Comparez A et B.", "fr"), documents=("a.md", "b.md"))
    chosen = choose_units(units, model, units[0], question)
    assert [u.text for u in chosen] == ["Premier texte.", "Autre document.", "Deuxième texte."]


def test_a_price_answers_a_cost_or_amount_question_without_naming_it():
    from assistant.answer import holds_expected, mentions

    price = Unit(0, 0, 20, "Le timbre fiscal vaut 86 €.", context=set())
    free = Unit(0, 0, 20, "La carte d'identité est gratuite.", context=set())
    assert mentions(price, "montant") and mentions(free, "cout")
    assert not mentions(price, "president")
    assert holds_expected(free.text, "number")


def test_when_is_answered_by_a_delay_but_what_year_needs_a_year():
    from assistant.answer import holds_expected

    assert Question.parse("En quelle année le PETR a-t-il été créé ?", "fr").expects == "year"
    assert Question.parse("Quand faut-il renouveler la convention ?", "fr").expects == "date"
    delay = "Elle est renouvelée dans les 2 mois suivant son échéance."
    assert holds_expected(delay, "date") and not holds_expected(delay, "year")
    assert holds_expected("Signée le 28 juin 2021.", "year")
    assert holds_expected("à déclarer dans un délai d'un mois", "number")  # "un mois" is a duration
    assert not holds_expected("un projet de territoire", "number")  # "un" alone is an article


def test_a_count_must_name_what_it_counts(fake_assistant):
    assert Question.parse("Combien de salariés compte l'ANPP ?", "fr").counted == "salariés"
    assert Question.parse("How many employees does the ANPP have?", "en").counted == "employees"
    assert Question.parse("Combien de temps dure un CRTE ?", "fr").counted is None  # a measure
    answer = fake_assistant.ask("Combien de salariés compte l'ANPP ?")  # "de nombreux salariés" is no count
    assert answer.abstained and "salariés" in answer.abstention_reason, answer.abstention_reason


def test_a_number_must_count_what_the_question_counts():
    from assistant.answer import counts

    assert not counts("The PETRs will define a territorial project within the 12 months following", {"petr"})
    assert counts("82 CLS (sur 318, soit 26%)", {"contrat"})  # an acronym counts as its long form
    assert counts("116 PCAET (sur 849), tous volontaires", {"plan"})
    assert counts("structured around 3 key steps:", {"step"})


def test_a_number_the_question_gives_is_no_answer():
    from assistant.answer import holds_expected

    slide = "Eléments déclencheurs  Appel à projet DRAAF 2009 sur les relations ville-campagne"
    assert holds_expected(slide, "date") and not holds_expected(slide, "date", ["2009"])
    assert holds_expected("Signée le 28 juin 2021.", "date", ["2021"])  # the day and month are new
    # "January 1st" is a day of the month, not a count of PETRs
    assert not holds_expected("the first PETRs on January 1st 2015", "number", ["2015"])
    assert holds_expected("125 PETR existaient fin 2015", "number", ["2015"])


def test_only_a_specific_attribute_must_be_named_by_the_answer(fake_assistant):
    extractor = fake_assistant.extractor
    assert extractor.specific("président") and not extractor.specific("objet")
    duration = Question.parse("Quelle est la durée d'un CRTE ?", "fr")
    six_years = Unit(0, 0, 30, "Les CRTE sont signés pour 6 ans.", features={"type_match": 1.0})
    assert extractor.holds_value_of(duration, six_years, "duree")  # the number is the duration
    assert not extractor.holds_value_of(duration, six_years, "montant")  # a cost needs a price


def test_a_question_about_the_questions_a_document_raises_is_answered_by_them(fake_assistant):
    assert Question.parse("Quelle question l'offre pose-t-elle sur les SCoT ?", "fr").asks_questions
    assert not Question.parse("Qu'est-ce qu'un PETR ?", "fr").asks_questions
    answer = fake_assistant.ask("Quelles questions l'offre de conseil soulève-t-elle sur la contractualisation entre régions et PETR ?")
    assert not answer.abstained and "?" in answer.answer


def test_word_overlap_checks_do_not_apply_across_languages(fake_assistant, monkeypatch):
    extractor = fake_assistant.extractor
    monkeypatch.setattr(extractor, "off_corpus", lambda question: [])  # passports are in no seed document
    features = {name: 0.0 for name in FEATURES} | {"type_match": 1.0}
    question = Question.parse("How long is a passport valid for a child?", "en")
    assert question.expects == "duration"
    unit = Unit(0, 0, 40, "Le passeport d'un mineur est valable 5 ans.", features=features, score=99.0, language="fr")
    assert extractor.abstention_reason(question, unit) is None
    english = dataclasses.replace(unit, text="It is valid for 5 years.", language="en")
    assert "something else" in extractor.abstention_reason(question, english)  # no question word next to the number


def test_both_is_the_form_of_a_comparison_not_its_topic():
    from assistant.answer import question_terms

    terms = question_terms("La fiche et l'accord relient-ils tous deux le projet à l'écologie ?")
    assert "tous" not in terms and "deux" not in terms and "ecolog" in terms
    assert "deux" in question_terms("Un EPCI peut-il appartenir à deux PETR ?")


def test_overlapping_passages_are_not_quoted_by_the_same_sentence():
    shared = "Un EPCI à fiscalité propre ne peut appartenir à plus d'un PETR."
    units = [
        Unit(0, 0, len(shared), shared, features={"heading": 0.0, "is_question": 0.0}, score=5.0),
        Unit(1, 0, len(shared), shared, features={"heading": 0.0, "is_question": 0.0}, score=5.0),
        Unit(1, 70, 120, "Le PETR fédère les EPCI membres.", features={"heading": 0.0, "is_question": 0.0}, score=3.0),
        Unit(2, 0, len(shared), shared, features={"heading": 0.0, "is_question": 0.0}, score=4.0),
    ]
    quotes = passage_quotes(units, [units[0]], 3)
    assert quotes[0] is units[0] and quotes[1] is units[2]
    assert quotes[2] is units[3]  # nothing else to quote it by: the repeat is better than no quote


def test_a_question_far_from_every_passage_is_refused(fake_assistant):
    import dataclasses as dc

    extractor = fake_assistant.extractor
    question = Question.parse("Comment faire une pâte à crêpes ?", "fr")
    features = {name: 0.0 for name in FEATURES}
    near = Unit(0, 0, 10, "Une phrase.", features={**features, "similarity": 0.4}, score=9.0, language="fr")
    gated = dc.replace(extractor.model, min_similarity=0.45, min_similarity_crosslingual=0.35, meta={})
    old, extractor.model = extractor.model, gated
    try:
        assert extractor.abstention_reason(question, near, [near]) == "no passage is close to the question"
        english = dc.replace(near, language="en")  # across languages the lower floor applies
        assert extractor.abstention_reason(question, english, [english]) != "no passage is close to the question"
        # the nearest sentence is French and not close, but the best one is English: judged across languages
        far_french = dc.replace(near, features={**features, "similarity": 0.42}, score=1.0)
        best_english = dc.replace(english, features={**features, "similarity": 0.38})
        assert extractor.off_topic(question, [far_french, best_english]) is True
        assert extractor.off_topic(question, [far_french, best_english], best_english) is False
        # floors fitted with another embedder say nothing about this one's similarities
        extractor.model = dc.replace(gated, meta={"embedder": "another/model"})
        assert extractor.abstention_reason(question, near, [near]) != "no passage is close to the question"
    finally:
        extractor.model = old


def test_a_model_file_without_the_gate_has_none(tmp_path):
    import json

    data = AnswerModel({n: 0.0 for n in FEATURES}, 1.0, 0.5).to_dict()
    del data["min_similarity"], data["min_similarity_crosslingual"]
    (tmp_path / "m.json").write_text(json.dumps(data), encoding="utf-8")
    model = AnswerModel.load(tmp_path / "m.json")
    assert (model.min_similarity, model.min_similarity_crosslingual) == (0.0, 0.0)


def test_who_signed_is_answered_by_the_signature_block(fake_assistant):
    answer = fake_assistant.ask("Qui a signé l'accord de 2021 pour l'ANPP ?")
    assert not answer.abstained and "CORNELOUP" in answer.answer
    assert "Pour l'ANPP, Josiane CORNELOUP" in answer.answer  # one line, no " ; " after the comma


def test_who_signed_prefers_signature_blocks_to_sentences_saying_signed():
    from assistant.answer import best_unit, choose_units

    question = Question.parse("Qui a signé l'accord ?", "fr")
    assert question.asks_signatories and not Question.parse("Qui signe le CRTE ?", "fr").asks_signatories
    features = {name: 0.0 for name in FEATURES}
    said = Unit(0, 0, 40, "Des accords de méthode sont signés par le préfet.", features=dict(features), score=12.0)
    state = Unit(1, 0, 40, "Pour l'État,\n\nBarbara POMPILI\n\nMinistre", features=dict(features), score=11.0)
    anpp = Unit(1, 50, 90, "Pour l'ANPP,\n\nJosiane CORNELOUP\n\nPrésidente", features=dict(features), score=10.8)
    best = best_unit([said, state, anpp], question)
    assert best is state
    model = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=1.5)
    assert choose_units([said, state, anpp], model, best, question) == [state, anpp]  # the sentence stays out


def test_a_signatory_block_answers_about_its_signatories_not_about_its_party():
    anpp = Unit(1, 50, 90, "Pour l'ANPP,\n\nJosiane CORNELOUP\n\nPrésidente", score=10.0)
    assert Question.parse("Quel poste occupe Josiane Corneloup ?", "fr").may_ask_signatures(anpp)
    assert not Question.parse("Quel est le rôle de l'ANPP ?", "fr").may_ask_signatures(anpp)


def test_a_french_attribute_is_known_and_mentioned_through_its_english_translation(fake_assistant):
    from assistant.answer import mentions

    assert fake_assistant.extractor.known("étapes", "fr")  # the English offer's "3 key steps"
    steps = Unit(0, 0, 30, "It is structured around 3 key steps.", language="en", context=set(analyze("structured key steps")))
    assert mentions(steps, "étapes") and not mentions(dataclasses.replace(steps, language="fr"), "étapes")


def test_english_question_words_match_french_sentences_through_the_lexicon(fake_assistant):
    from assistant.glossary import french_stems_of

    assert "accord" in french_stems_of("Who signed the agreement?")["agre"]  # keyed by the question stem
    question = Question.parse("What does the partnership agreement say about recovery?", "en")
    hits = fake_assistant.retriever.retrieve(question.text, top_k=3)
    units = fake_assistant.extractor.units(hits, question, fake_assistant.retriever.embed_query(question.text))
    french = [u for u in units if u.language == "fr" and "relance" in u.text.lower()]
    assert french and max(u.features["coverage"] for u in french) > 0


def test_a_duration_is_a_number_or_a_span_of_years():
    from assistant.answer import holds_expected

    assert Question.parse("Quelle est la durée d'un CRTE ?", "fr").expects == "duration"
    assert Question.parse("Combien de temps dure un CRTE ?", "fr").expects == "duration"
    assert holds_expected("Les CRTE s'inscrivent sur la durée du mandat 2020 – 2026.", "duration")
    assert holds_expected("Le congé dure 25 jours.", "duration")
    assert not holds_expected("Les CRTE doivent s'inscrire dans la durée.", "duration")
    assert not holds_expected("Fait à Paris, le 28 juin 2021", "duration")


def test_the_date_of_a_named_document_is_its_signing_date(fake_assistant):
    question = Question.parse("Quelle est la date de l'accord État-ANPP ?", "fr", [h.chunk.doc for h in fake_assistant.retriever.retrieve("accord État-ANPP")])
    assert question.expects == "date" and question.attribute is None  # "date" is the answer's form
    assert question.whole_document  # nothing but the document's name: its passages cover the question
    # (answered "Fait à Paris, le 28 juin 2021" with the real embedder: tests/test_model.py)


def test_a_typed_answer_adds_only_units_of_that_type():
    from assistant.answer import choose_units

    question = Question.parse("Quand l'accord a-t-il été signé ?", "fr")
    features = {name: 0.0 for name in FEATURES}
    date = Unit(0, 0, 30, "Fait à Paris, le 28 juin 2021", features=features | {"type_match": 1.0}, score=10.0)
    other = Unit(1, 0, 40, "Des accords de méthode sont signés.", features=features | {"type_missing": 1.0}, score=9.9)
    model = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=1.5)
    assert choose_units([date, other], model, date, question) == [date]


def test_a_sentence_is_not_repeated_when_overlapping_passages_cut_it_differently():
    features = {name: 0.0 for name in FEATURES}
    long = Unit(0, 0, 80, "Le PETR pourra exercer des compétences.\nVolonté des élus", features=features, score=10.0)
    short = Unit(1, 0, 40, "Le PETR pourra exercer des compétences.", features=features, score=9.9)
    model = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=1.5)
    assert choose_units([long, short], model, long) == [long]


def test_a_list_announcement_without_its_list_answers_only_how_many():
    from assistant.answer import can_answer

    features = {name: 0.0 for name in FEATURES}
    intro = Unit(0, 0, 60, "The methodology we propose is structured around 3 key steps:", features=dict(features))
    assert not can_answer(intro, Question.parse("What are the steps of the methodology?", "en"))
    intro.features["type_match"] = 1.0  # "How many steps ...?"
    assert can_answer(intro, Question.parse("How many steps does the methodology have?", "en"))


def test_a_precise_question_about_a_name_the_corpus_never_mentions_abstains(fake_assistant):
    extractor = fake_assistant.extractor
    question = Question.parse("Qui est le président du PETR du Briançonnais ?", "fr")
    assert extractor.unknown_names(question) == ["Briançonnais"]
    assert extractor.unknown_names(Question.parse("Sur quoi porte le CTE de la Haute Côte d'Or ?", "fr")) == []  # "Or": a stopword
    answer = fake_assistant.ask("Qui est le président du PETR du Briançonnais ?")
    assert answer.abstained and "Briançonnais" in answer.abstention_reason


def test_the_name_of_someone_asks_for_that_someone():
    assert Question.parse("Quel est le nom du directeur de l'ANPP ?", "fr").attribute == "directeur"
    assert Question.parse("What is the name of the director?", "en").attribute == "director"
    assert Question.parse("Quel est le nom complet de l'ANPP ?", "fr").attribute is None


def test_who_presides_asks_for_the_president():
    assert Question.parse("Qui préside le PETR des Hautes-Alpes ?", "fr").attribute == "préside"
    assert Question.parse("Qui dirige l'ANCT ?", "fr").attribute == "dirige"


def test_a_typed_answer_must_be_about_the_question_in_its_own_sentence(fake_assistant):
    features = {name: 0.0 for name in FEATURES} | {"type_match": 1.0, "coverage": 0.0, "window_coverage": 0.5,
                                                    "context_coverage": 0.5}
    item = Unit(0, 0, 60, "- Anticiper le portage des fonds européens 2021-2027", features=dict(features), score=99.0,
                previous="- Mettre en place un outil piloté par l'ANCT")
    asked = Question.parse("Quand l'ANCT pilotera-t-elle l'outil ?", "fr")
    assert "about something else" in fake_assistant.extractor.abstention_reason(asked, item)
    question = Question.parse("Quand a été créée l'ANCT ?", "fr")
    referring = Unit(0, 0, 60, "Elle a été créée en 2020.", features=dict(features), score=99.0, previous="L'ANCT pilote l'outil.",
                     context=tokens_of("L'ANCT pilote l'outil. Elle a été créée en 2020."))
    assert fake_assistant.extractor.abstention_reason(question, referring) is None  # "Elle" is the ANCT


def test_english_place_names_and_words_known_through_their_french_translation(fake_assistant):
    extractor = fake_assistant.extractor
    assert extractor.unknown_names(Question.parse("What is the population of Marseille?", "en")) == ["Marseille"]
    # institutions and nationalities are capitalised too, but are no places
    assert extractor.unknown_names(Question.parse("When did Parliament vote the MAPAM law?", "en")) == []
    assert extractor.unknown_names(Question.parse("What share of the French territory is covered?", "en")) == []
    assert extractor.known("leverage", "en") and not extractor.known("leverage", "fr")  # "levier"


def test_signature_units_answer_only_who_when_where_and_signing_questions():
    from assistant.answer import best_unit, can_answer

    features = {name: 0.0 for name in FEATURES}
    signed_at = Unit(0, 0, 29, "Fait à Paris, le 28 juin 2021", features=dict(features), score=10.0)
    block = Unit(0, 30, 80, "Pour l'ANPP,\n\nJosiane CORNELOUP\n\nPrésidente de l'association", features=dict(features),
                 score=9.0, context={"president", "associ"})
    assert not can_answer(signed_at, Question.parse("What will the weather be in Paris tomorrow?", "en"))
    assert can_answer(signed_at, Question.parse("Quand l'accord a-t-il été signé ?", "fr"))
    assert can_answer(block, Question.parse("Qui préside l'ANPP ?", "fr"))
    assert can_answer(block, Question.parse("Quel est le nom de la présidente de l'ANPP ?", "fr"))  # the block names her role
    assert can_answer(block, Question.parse("Quel poste occupe Josiane Corneloup ?", "fr"))  # ... and her
    assert not can_answer(signed_at, Question.parse("Quel temps fera-t-il à Paris ?", "fr"))
    said = Unit(1, 0, 40, "Des accords de méthode sont signés par le préfet.", features=dict(features), score=11.0)
    assert best_unit([said, signed_at], Question.parse("Où l'accord a-t-il été signé ?", "fr")) is signed_at


def test_a_role_or_a_purpose_need_not_be_named_by_the_answer(fake_assistant):
    extractor = fake_assistant.extractor
    assert not extractor.specific("rôle") and not extractor.specific("objectif")
    question = Question.parse("Quel est le rôle du PETR auprès des partenaires financiers ?", "fr")
    features = {name: 0.0 for name in FEATURES}
    relay = Unit(0, 0, 80, "Le PETR est le relais auprès des partenaires financiers.", features=features, score=99.0,
                 context=set(analyze("PETR relais partenaires financiers")))
    assert extractor.abstention_reason(question, relay) is None


def test_a_follow_up_naming_a_new_topic_is_answered_about_it():
    from assistant.answer import best_unit

    question = Question.parse("Qui pilote l'entente TRIDAN ? Et la convention territoires partenaires ?", "fr")
    assert set(question.focus) == {"convent", "territoir", "partenair"}
    assert Question.parse("Quels sont les axes de TRIDAN ? Qui la pilote ?", "fr").focus == ()  # asks about the same topic
    features = {name: 0.0 for name in FEATURES}
    tridan = Unit(0, 0, 40, "Acteurs Pilotage : conférence des présidents", features=dict(features), score=12.0,
                  context=set(analyze("Acteurs Pilotage conférence présidents Entente TRIDAN")))
    convention = Unit(1, 0, 40, "Acteurs Comité de cadrage des exécutifs", features=dict(features), score=8.0,
                      context=set(analyze("Acteurs Comité cadrage exécutifs Convention territoires partenaires")))
    assert best_unit([tridan, convention], question) is convention  # not the previous answer again


def test_who_is_followed_by_a_verb_asks_for_no_attribute(fake_assistant):
    assert Question.parse("Who is involved in the cooperation plans?", "en").attribute is None
    assert Question.parse("Who is the president of the ANPP?", "en").attribute == "president"
    # a purpose is stated without being named, in French passages too: no "never mentions 'purpose'"
    answer = fake_assistant.ask("What is the purpose of a PETR under the CGCT?")
    assert "purpose" not in (answer.abstention_reason or "")


def test_a_french_question_whose_words_are_all_off_corpus_abstains_with_any_embedder(fake_assistant):
    answer = fake_assistant.ask("Quelle est la recette de la tartiflette ?")  # the fake embedder has no gate
    assert answer.abstained and "tartiflet" in answer.abstention_reason
    extractor = fake_assistant.extractor
    assert not extractor.off_corpus(Question.parse("Mon gamin a besoin d'un PETR, c'est combien ?", "fr"))  # "PETR" is known


def test_a_how_to_question_is_off_corpus_when_half_its_object_is(fake_assistant):
    extractor = fake_assistant.extractor
    hunting = Question.parse("Comment obtenir un permis de chasse ?", "fr")
    assert hunting.how_to_object == ("perm", "chass")
    assert extractor.off_corpus(hunting) == ["chass"]  # "permis" is in the corpus ("ont permis de"), "chasse" is not
    # the verb does not count: users' verbs are rarely the passages' ones
    assert not extractor.off_corpus(Question.parse("Comment concrétiser une coopération entre un PNR et un Pays ?", "fr"))
    assert Question.parse("Comment la présentation définit-elle les Pays ?", "fr").how_to_object == ()


def test_a_french_word_known_only_from_english_passages_is_off_corpus(fake_assistant):
    # "changer" and the English offer's "change" share a stem: a coincidence, not a topic
    answer = fake_assistant.ask("Comment changer un pneu de vélo ?")
    assert answer.abstained and "chang" in answer.abstention_reason
    # a name is the same word in both languages: the consulting firm named in the English offer
    assert not fake_assistant.extractor.off_corpus(Question.parse("Que fait Absiskey avec OTE ?", "fr"))


def test_a_difference_gets_a_unit_about_each_side():
    from assistant.answer import best_unit

    question = Question.parse("Quelle est la différence entre un PETR et un pôle métropolitain ?", "fr")
    assert question.sides == (("petr",), ("pol", "metropolitain")) and question.attribute is None
    features = {name: 0.0 for name in FEATURES}
    both = Unit(0, 0, 60, "Le PETR et le pôle métropolitain sont des syndicats mixtes.", features=dict(features), score=12.0)
    petr = Unit(0, 70, 130, "Le PETR est un outil de coopération entre EPCI.", features=dict(features), score=11.0)
    pole = Unit(1, 0, 60, "Ils sont le pendant des pôles métropolitains.", features=dict(features), score=10.5)
    for unit in (both, petr, pole):
        unit.context = set(analyze(unit.text))
    best = best_unit([both, petr, pole], question)
    assert best is petr  # one side at a time, not both named in passing
    model = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=0.1)
    assert pole in choose_units([both, petr, pole], model, best, question)  # the other side, however far behind
    wide = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=5.0)
    assert choose_units([both, petr, pole], wide, best, question) == [petr, pole]  # each side, nothing in passing
    # a unit whose heading names the other side does not tell what that side is
    petr.context |= {"pol", "metropolitain"}
    assert choose_units([both, petr, pole], model, best, question) == [petr, pole]


def test_a_signatory_block_is_asked_about_by_the_names_it_holds():
    from assistant.answer import signatory_names

    anpp = Unit(0, 0, 90, "Pour l'ANPP,\n\nJosiane CORNELOUP\n\nPrésidente de l'association nationale des pays", score=9.0)
    assert signatory_names(anpp) == ["Josiane CORNELOUP"]
    assert Question.parse("Quelle est la fonction de josiane corneloup ?", "fr").may_ask_signatures(anpp)
    assert not Question.parse("Quelle est la différence entre un Pays et un PETR ?", "fr").may_ask_signatures(anpp)


def test_the_place_and_date_line_answers_questions_about_the_signing_only(fake_assistant):
    # the signatures' passage is found through the signing words BM25 alone sees
    for question in ("Quelle est la date de signature de l'accord ?", "Quand l'accord a-t-il été conclu ?"):
        answer = fake_assistant.ask(question)
        assert "28 juin 2021" in answer.answer, question
    expired = fake_assistant.ask("When does the State-ANPP partnership agreement expire?")
    assert "Fait à Paris" not in expired.answer  # the day it was signed is not the day it ends


def test_a_number_about_a_place_is_checked_across_languages(fake_assistant):
    # the French key figures hold a population share, but not Lyon's: a name is the same in English
    answer = fake_assistant.ask("What share of the population lives in Lyon?")
    assert answer.abstained and "Lyon" in answer.abstention_reason


def test_a_heading_labelled_by_what_is_asked_answers_and_an_ordinal_picks_its_item(fake_assistant):
    from assistant.answer import numbered

    axes = fake_assistant.ask("Quels sont les axes de l'accord État-ANPP ?")
    lines = [line for line in axes.answer.splitlines() if line.startswith("Axe")]
    numbers = [int(line.split(":")[0].split()[1]) for line in lines]
    assert len(numbers) >= 2 and numbers == sorted(numbers)  # in their order, whatever their scores
    from assistant.answer import best_unit

    features = {name: 0.0 for name in FEATURES} | {"heading": 1.0, "field_match": 1.0}
    heads = [Unit(n, 0, 40, f"Axe {n} : Accélérer la transition numéro {n}", features=dict(features), score=12.0 - n / 2)
             for n in (1, 2, 3)]
    question = Question.parse("Quel est le troisième axe de l'accord ?", "fr")
    best = best_unit(heads, question)
    assert best is heads[2]
    model = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=1.5)
    assert choose_units(heads, model, best, question) == [best]  # not the other axes
    assert choose_units(heads, model, heads[1], Question.parse("Quels sont les axes ?", "fr")) == heads  # in order
    assert Question.parse("What is the second axis of the agreement?", "en").ordinal == 2
    assert numbered(Unit(0, 0, 9, "Axe 2 : Accélérer"), 2) and not numbered(Unit(0, 0, 9, "Axe 12 : X"), 1)


def test_a_definition_says_what_its_subject_is():
    from assistant.answer import says_what

    assert says_what("Un PETR est l'outil de ses EPCI.", ["petr"])
    assert says_what("Conformément à l'article L. 5741-2 du CGCT, le PETR a pour objet de définir ...", ["petr"])
    assert says_what("L'Etat et l'ANPP convergent pour faire du contrat de relance (CRTE) un outil de simplification.", ["crte"])
    assert says_what("Les groupements d'intérêt public permettent de mettre en commun des moyens.", ["gip"])  # long form
    # the term in passing, then another subject's verb
    assert not says_what("Afin de préparer les futurs CRTE dans les meilleures conditions, des accords de méthode sont signés.", ["crte"])


def test_a_follow_up_asking_something_new_is_not_answered_by_the_last_answer_again(fake_assistant):
    # (with a subject pronoun, "Et comment est-il financé ?", the question is asked of the PETR by name)
    question = Question.parse(condense("Et qui le finance ?", ["Qu'est-ce qu'un PETR ?"]), "fr")
    assert question.asks_anew == ("financ",) and question.focus == ()
    features = {name: 0.0 for name in FEATURES}
    again = Unit(0, 0, 50, "Un PETR est l'outil de ses EPCI.", features=features, score=20.0, context=set(analyze("PETR outil EPCI")))
    assert "financ" in fake_assistant.extractor.abstention_reason(question, again, [again])
    # a function is stated without being named ("Présidente ..."), a period by its years
    function = Question.parse(condense("Et quelle fonction occupe-t-elle ?", ["Qui a signé l'accord pour l'ANPP ?"]), "fr")
    assert function.asks_anew == ()
    # a whole question of its own is answered on its own words
    regional = Question.parse(condense("Et au niveau régional, qui sera associé aux comités de relance ?",
                                       ["Qui pilote l'outil de suivi des CRTE ?"]), "fr")
    assert "crte" not in regional.terms and {"regional", "comit", "relanc"} <= set(regional.terms)
    period = Question.parse(condense("Et sur quelle période s'inscrit-il ?", ["Qu'est-ce qu'un CRTE ?"]), "fr")
    assert period.expects == "duration"
    years = Unit(0, 0, 50, "Ils s'inscrivent sur la durée du mandat 2020 – 2026.",
                 features=features | {"type_match": 1.0, "coverage": 0.6, "window_coverage": 0.6},
                 score=20.0, context=set(analyze("CRTE inscrivent durée mandat 2020 2026")))
    assert fake_assistant.extractor.abstention_reason(period, years, [years]) is None


def test_a_section_named_by_its_heading_is_where_the_answer_comes_from():
    from assistant.answer import best_unit, named_sections

    sections = ["Accord > ASSURER EN COMMUN L'ANIMATION DES CRTE", "Convention territoires partenaires", "Préambule"]
    question = Question.parse("Quelles collectivités sont signataires de la Convention territoires partenaires ?", "fr",
                              sections=sections)
    assert question.sections == ("Convention territoires partenaires",)  # a one-word heading names nothing
    assert named_sections("Que dit le préambule ?", sections) == ()
    features = {name: 0.0 for name in FEATURES}
    signatures = Unit(0, 0, 40, "Pour l'État,\n\nBarbara POMPILI\n\nMinistre", features=dict(features), score=12.0,
                      section=sections[0])
    partners = Unit(1, 0, 60, "Partenaires / échelle 2 communes rurales + 1 communauté urbaine", features=dict(features),
                    score=9.0, section="Convention territoires partenaires")
    assert best_unit([signatures, partners], question) is partners
    # a heading names its subsections too
    assert question.in_named_section(Unit(0, 0, 1, "x", section="Convention territoires partenaires > Acteurs"))


def test_a_follow_up_asking_something_new_is_answered_by_a_unit_about_it():
    from assistant.answer import best_unit

    question = Question.parse(condense("Et qui sont les partenaires ?", ["Quel est l'élément déclencheur de la convention ?"]), "fr")
    features = {name: 0.0 for name in FEATURES}
    trigger = Unit(0, 0, 40, "Eléments déclencheurs Elaboration du SAGE", features=dict(features), score=11.2,
                   context=set(analyze("Eléments déclencheurs Elaboration du SAGE convention")))
    partners = Unit(0, 50, 90, "Partenaires / échelle 2 Syndicats mixtes", features=dict(features), score=8.0,
                    context=set(analyze("Partenaires échelle 2 Syndicats mixtes convention")))
    assert best_unit([trigger, partners], question) is partners  # however far behind the last answer


def test_a_duration_is_a_length_of_time_about_what_the_question_names(fake_assistant):
    from assistant.answer import MONEY, holds_expected

    assert not holds_expected("Préexistence d'une convention d'articulation entre les 2 partenaires", "duration")
    assert holds_expected("dans un délai d'un mois", "duration") and holds_expected("sur la durée du mandat 2020 – 2026", "duration")
    question = Question.parse("Quelle est la durée d'une convention de mutualisation ?", "fr")
    features = {name: 0.0 for name in FEATURES} | {"type_match": 1.0, "coverage": 0.3, "window_coverage": 0.3}
    crte = Unit(0, 0, 80, "Les CRTE s'inscrivent sur la durée du mandat 2020 – 2026.", features=features, score=20.0,
                context=set(analyze("Les CRTE s'inscrivent sur la durée du mandat 2020 – 2026.")))
    assert "not about" in fake_assistant.extractor.abstention_reason(question, crte, [crte])  # the CRTE's, not the convention's
    assert MONEY.search("560 millions via le programme leader") and not MONEY.search("7 millions de francais")


def test_how_a_document_defines_something_is_a_definition_answered_by_definitions_only():
    question = Question.parse("Comment la présentation définit-elle les Pays ?", "fr")
    assert question.definition
    features = {name: 0.0 for name in FEATURES}
    pays = Unit(0, 0, 60, "Les Pays incarnent une organisation territoriale.", features=features | {"defines": 1.0}, score=12.0)
    link = Unit(0, 70, 110, "Panorama Pôles territoriaux et Pays 2022", features=dict(features), score=11.9)
    model = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=1.5)
    assert choose_units([pays, link], model, pays, question) == [pays]  # not a link label naming them


def test_a_quer_verb_matches_its_c_spelled_derivatives():
    from assistant.answer import term_found

    assert term_found(analyze("applique")[0], set(analyze("règles applicables")))  # "appliqu" / "applic"
    assert not term_found("marqu", set(analyze("marché")))  # short stems do not
    assert term_found(analyze("s'inscrit")[0], set(analyze("ils s'inscrivent")))  # "inscrit" / "inscriv"


def test_a_sentence_opening_on_a_pronoun_can_define_the_previous_subject():
    from assistant.answer import defines_what_came_before

    assert defines_what_came_before("Il se définit également comme espace de transversalité.")
    assert defines_what_came_before("C'est aussi un état d'esprit, portant les valeurs du développement local.")
    assert not defines_what_came_before("Le PETR est un outil de ses EPCI.")  # its own subject: see says_what


def test_where_to_ask_weighs_sentences_naming_a_place_or_a_website(fake_assistant):
    from assistant.answer import PLACE, WHERE_TO_ASK, form_words
    from assistant.records import Chunk, DocumentMeta, Hit

    assert WHERE_TO_ASK.search(form_words("Je suis né au Maroc, à qui je demande mon acte ?"))
    assert PLACE.search("la demande se fait en ligne sur le site caf.fr") and not PLACE.search("le conge dure 25 jours")
    doc = DocumentMeta(source="apl.md", title="Aides au logement", doc_type="fiche", date=None, language="fr")
    text = "Les aides au logement réduisent le loyer de votre logement.\n\nLa demande se fait en ligne sur le site caf.fr."
    chunk = Chunk(id="apl.md::p0::0", doc=doc, text=text, page=None, section="", start_char=0, end_char=len(text))
    question = Question.parse("Où faire la demande d'aide au logement ?", "fr")
    units = fake_assistant.extractor.units([Hit(chunk, 1.0)], question, None)
    by_text = {u.text.split()[1]: u.features for u in units}
    assert by_text["demande"]["type_match"] == 1.0 and by_text["aides"]["type_missing"] == 1.0


def test_a_paragraph_opening_on_a_pronoun_refers_back_to_the_paragraph_before():
    from assistant.answer import passage_units
    from assistant.records import Chunk, DocumentMeta

    doc = DocumentMeta(source="anpp.md", title="Territoires de projet", doc_type="fiche", date=None, language="fr")
    text = ("Le Territoire de projet est un espace de mutualisation.\n\n"
            "Il se définit également comme espace de transversalité.\n\nLes PETR sont 125.")
    chunk = Chunk(id="anpp.md::p0::0", doc=doc, text=text, page=None, section="", start_char=0, end_char=len(text))
    units = passage_units(0, chunk)
    assert units[1].previous == "Le Territoire de projet est un espace de mutualisation."
    assert units[2].previous == ""  # a new paragraph about something else


def test_a_french_question_reads_english_sentences_through_their_translation(fake_assistant):
    from assistant.records import Chunk, DocumentMeta, Hit

    doc = DocumentMeta(source="offer.txt", title="Consulting offer", doc_type="fiche", date=None, language="en")
    text = "Absiskey and OTE Ingénierie offer you support specifically tailored to your needs."
    chunk = Chunk(id="offer.txt::p0::0", doc=doc, text=text, page=None, section="", start_char=0, end_char=len(text))
    question = Question.parse("Quels cabinets proposent l'offre d'accompagnement ?", "fr")
    unit = fake_assistant.extractor.units([Hit(chunk, 1.0)], question, None)[0]
    assert {"offre", "accompagn"} <= unit.tokens and unit.features["coverage"] > 0.3


def test_a_slide_field_is_answered_under_its_slide_title(fake_assistant):
    answer = fake_assistant.ask("Qui pilote l'entente TRIDAN ?")
    assert answer.answer.startswith("Entente interterritoriale TRIDAN — Acteurs Pilotage")
    from assistant.answer import slide_title
    from assistant.records import Chunk, DocumentMeta

    doc = DocumentMeta(source="accord.md", title="Accord", doc_type="accord", date=None, language="fr")
    text = "Pour l'ANPP,\n\nJosiane CORNELOUP\n\nPrésidente"
    chunk = Chunk(id="accord.md::p0::0", doc=doc, text=text, page=None, section="ASSURER EN COMMUN", start_char=0, end_char=len(text))
    block = Unit(0, 0, len(text), text, features={"field": 1.0})
    assert slide_title(block, chunk) == ""  # a signature block is no slide field
    axis = "Axe 1 : Redynamiser les économies locales"
    chunk = dataclasses.replace(chunk, text=axis, section=f"UN ACCORD > {axis}")
    assert slide_title(Unit(0, 0, len(axis), axis, features={"field": 1.0, "heading": 1.0}), chunk) == ""  # its own title


def test_a_date_of_an_event_the_corpus_never_mentions_is_refused(fake_assistant):
    question = Question.parse("Quand la loi MAPAM a-t-elle été abrogée ?", "fr")
    assert question.expects == "date" and question.event == "abrogée"
    assert Question.parse("Quand l'accord a-t-il été signé ?", "fr").event == "signé"
    assert fake_assistant.extractor.known_event("votée")  # the English offer's "voted"
    answer = fake_assistant.ask("Quand la loi MAPAM a-t-elle été abrogée ?")
    assert answer.abstained and "abrogée" in answer.abstention_reason


def test_a_signatory_question_names_the_party_it_asks_about(fake_assistant):
    economy = Question.parse("Which minister signed the agreement for the Ministry of the Economy?", "en")
    assert economy.asks_signatories and economy.signed_for == ("ministry", "economy")
    assert Question.parse("Qui a signé l'accord pour l'ANPP ?", "fr").signed_for == ("anpp",)
    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "window_coverage": 0.6}
    text = "Pour l'État,\n\nBarbara POMPILI\n\nMinistre de la Transition écologique"
    block = Unit(0, 0, len(text), text, features=features, score=20.0, context=tokens_of(text) | {"minist"})
    assert "no signatory" in fake_assistant.extractor.abstention_reason(economy, block, [block])


def test_a_typed_answer_must_be_about_the_year_the_question_gives(fake_assistant):
    from assistant.answer import tells_year

    question = Question.parse("Combien de CRTE ont été signés en 2022 ?", "fr")
    assert question.years == ["2022"]
    share = Unit(0, 0, 40, "20% des CRTE, pour 44% des EPCI", section="L'action Pays en chiffres")
    assert not tells_year(share, "2022")
    assert tells_year(Unit(0, 0, 40, "560 millions via LEADER pour la génération 2021-2027"), "2024")
    assert tells_year(Unit(0, 0, 40, "sur la durée du mandat 2020 – 2026"), "2022")
    answer = fake_assistant.ask("Combien de CRTE ont été signés en 2022 ?")
    assert answer.abstained


def test_a_yes_or_no_question_is_answered_by_a_sentence_saying_its_predicate():
    from assistant.answer import best_unit, says

    question = Question.parse("Un PETR est-il un établissement public ?", "fr")
    assert question.predicate == ("etabl", "public")
    assert Question.parse("Comment un PETR est-il financé ?", "fr").predicate == ()  # asks how, not whether
    features = {name: 0.0 for name in FEATURES}
    tool = Unit(0, 0, 40, "Un PETR est l'outil de ses EPCI.", features=features, score=13.3, context=tokens_of("Un PETR est l'outil de ses EPCI."))
    public = Unit(0, 50, 90, "Ce sont des établissements publics constitués par accord.", features=features, score=11.4,
                  context=tokens_of("PETR établissements publics"))
    assert not says(tool, question.predicate)  # "EPCI" stands for "établissement public ...", but does not say it
    assert best_unit([tool, public], question) is public


def test_a_series_of_headings_is_answered_whole_and_in_order():
    features = {name: 0.0 for name in FEATURES} | {"heading": 1.0, "field_match": 1.0}
    axes = [Unit(rank, 0, 40, f"Axe {n} : Priorité {n}", features=dict(features), score=score)
            for rank, (n, score) in enumerate([(2, 13.0), (1, 12.5), (3, 9.0)])]
    other = Unit(3, 0, 40, "Objet 3 axes prioritaires : développement", features={**features, "heading": 0.0}, score=12.8)
    model = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=1.5)
    chosen = choose_units(axes + [other], model, axes[0], Question.parse("Quels sont les axes de l'accord ?", "fr"))
    assert [u.text for u in chosen] == ["Axe 1 : Priorité 1", "Axe 2 : Priorité 2", "Axe 3 : Priorité 3"]  # 9.0 is no matter
    one = choose_units(axes + [other], model, axes[0], Question.parse("Quel outil prévoit l'accord selon l'axe 2 ?", "fr"))
    assert "Axe 3 : Priorité 3" not in [u.text for u in one]  # one axis asked about, not the series



def test_odd_messages_get_an_answer_or_a_refusal_never_an_error(fake_assistant):
    odd = ["?", "? ? ?", "!!!", " ; , et ?", "Qu'est-ce qu'un PETR ? ? ?", "et qui ? et quand ?", "( ) « » —",
           "Quand a-t-il été ?", "Combien de ?", "How many?", "Comment ?", "-il -elle", "2022", "1er janvier 2014 %",
           "Qui a signé pour ?", "différence entre et", "PETR\n\n\nCRTE", "Quels sont les axes ; les axes ?"]
    for message in odd:
        answer = fake_assistant.ask(message, history=["Qu'est-ce qu'un PETR ?"])
        assert isinstance(answer.answer, str) and answer.answer, message


def test_an_ordinal_follows_a_determiner_and_a_count_names_what_it_counts(fake_assistant):
    assert Question.parse("Quel est le troisième axe de l'accord ?", "fr").ordinal == 3
    assert Question.parse("What is the second axis of the agreement?", "en").ordinal == 2
    assert Question.parse("Which law first brought the Pays into French legislation?", "en").ordinal is None  # an adverb
    # "268 Territoires" counts what is asked, however common "territoires" is in the corpus
    question = Question.parse("Combien de territoires de projet l'ANPP recense-t-elle ?", "fr")
    text = "Ce sont 268 Territoires, couvrant 62% de la France métropolitaine"
    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.04, "window_coverage": 0.04, "type_match": 1.0}
    count = Unit(0, 0, len(text), text, features=features, score=20.0, tokens=tokens_of(text),
                 context=tokens_of(f"{text} ANPP territoires de projet"))
    assert fake_assistant.extractor.abstention_reason(question, count, [count]) is None


def test_an_amount_is_a_price_or_the_word_in_the_sentence_itself():
    from assistant.answer import mentions

    slide = Unit(0, 0, 60, "Il s'appuie sur les 9 thématiques de la charte du PNR", tokens=tokens_of("Il s'appuie sur les 9 thématiques"),
                 context=tokens_of("Plans de coopération sur le PNR des Monts d'Ardèche"))
    assert not mentions(slide, "montant")  # "montant" stems like the heading's "Monts"
    assert mentions(Unit(0, 0, 30, "Le timbre vaut 86 €.", context=set()), "montant")



def _unit(text: str, previous: str = "", coverage: float = 0.6, type_match: float = 0.0) -> Unit:
    features = {name: 0.0 for name in FEATURES} | {"coverage": coverage, "window_coverage": coverage,
                                                    "context_coverage": coverage, "type_match": type_match}
    return Unit(0, 0, len(text), text, previous=previous, features=features, score=20.0, tokens=tokens_of(text),
                context=tokens_of(f"{previous} {text}"))


def test_a_date_must_be_the_date_of_the_event_asked_about(fake_assistant):
    from assistant.answer import tells_event

    assert not tells_event(Unit(0, 0, 40, "Anticiper le portage des fonds européens 2021-2027"), "fondée")  # another word
    assert tells_event(Unit(0, 0, 40, "L'association, fondée en 1990, ..."), "fondée")
    assert tells_event(Unit(0, 0, 40, "depuis sa création en 2014"), "créé")
    assert tells_event(Unit(0, 0, 40, "the creation of the PETRs"), "created")
    question = Question.parse("En quelle année l'ANPP a-t-elle été fondée ?", "fr")
    funds = _unit("Anticiper le portage des fonds européens 2021-2027 avec l'ANPP", type_match=1.0)
    assert "does not tell when" in fake_assistant.extractor.abstention_reason(question, funds, [funds])


def test_a_how_to_question_whose_verb_the_corpus_never_uses_is_refused(fake_assistant):
    question = Question.parse("Comment contester un refus de permis de construire ?", "fr")
    assert question.how_to_verb == "contester"
    assert question.how_to_object == ("refus", "perm", "construir")
    # the object ends where the next question starts, and keeps the user's accents
    assert Question.parse("Où demander un acte de décès et combien de temps ça prend ?", "fr").how_to_object == ("acte", "deces")
    question = Question.parse("Comment contester le périmètre d'un PETR ?", "fr")  # its object is known
    perimeter = _unit("Le périmètre du PETR est arrêté par le préfet.")
    assert "never mentions 'contester'" in fake_assistant.extractor.abstention_reason(question, perimeter, [perimeter])


def test_who_came_before_a_named_person_is_not_that_person(fake_assistant):
    question = Question.parse("Qui présidait l'ANPP avant Josiane Corneloup ?", "fr")
    assert question.asks_succession
    assert not Question.parse("Les crédits peuvent-ils être engagés avant la signature des CRTE ?", "fr").asks_succession
    block = _unit("Pour l'ANPP,\n\nJosiane CORNELOUP\n\nPrésidente de l'association nationale des PETR et des pays")
    assert "before or after" in fake_assistant.extractor.abstention_reason(question, block, [block])


def test_a_share_must_be_a_share_of_what_the_question_names(fake_assistant):
    question = Question.parse("Quelle part de l'enveloppe France Relance est réservée aux Pays et PETR ?", "fr")
    assert question.portion_of == "enveloppe"
    share = _unit("Ce sont 268 Territoires, couvrant 62% de la France métropolitaine (PETR, Pays)", type_match=1.0)
    assert "not of 'enveloppe'" in fake_assistant.extractor.abstention_reason(question, share, [share])


def test_a_question_asking_for_names_is_answered_by_names(fake_assistant):
    question = Question.parse("Quelles communes composent la communauté urbaine de la convention ?", "fr")
    counts_only = _unit("Partenaires / échelle 2 communes rurales/périurbaines + 1 communauté urbaine")
    assert "names none" in fake_assistant.extractor.abstention_reason(question, counts_only, [counts_only])
    named = _unit("La communauté urbaine réunit les communes de Voiron et de Moirans.")
    assert fake_assistant.extractor.gives_names(named, question)


def test_who_did_something_is_not_answered_by_a_passive_without_its_author(fake_assistant):
    from assistant.answer import tells_agent

    question = Question.parse("Qui a rédigé la présentation du PETR ?", "fr")
    assert question.act == "rédigé"
    assert Question.parse("Qui a signé l'accord ?", "fr").act is None  # the signatories' question
    assert tells_agent(Unit(0, 0, 40, "une convention territoriale est rédigée en ce sens"), "rédigé") is False
    assert tells_agent(Unit(0, 0, 40, "expérimentation lancée par le ministère"), "lancé") is True
    assert tells_agent(Unit(0, 0, 40, "Le PETR anime le territoire"), "rédigé") is None
    passive = _unit("Des missions sont dévolues au PETR et une convention territoriale est rédigée en ce sens.")
    assert "does not tell who" in fake_assistant.extractor.abstention_reason(question, passive, [passive])


def test_a_consequence_is_asked_of_a_sentence_telling_one(fake_assistant):
    question = Question.parse("Que se passe-t-il si un Pays ne respecte pas sa charte ?", "fr")
    rule = _unit("Le Pays élabore une charte de développement avec ses communes.")
    assert "no consequence" in fake_assistant.extractor.abstention_reason(question, rule, [rule])


def test_how_to_verbs_after_a_modal_and_processes_are_read(fake_assistant):
    assert Question.parse("Comment une collectivité peut-elle adhérer à l'ANPP ?", "fr").how_to_verb == "adhérer"
    assert Question.parse("Comment un PETR fait pour adhérer à l'ANPP ?", "fr").how_to_verb == "adhérer"
    assert Question.parse("Comment doit être décidé le périmètre d'un CRTE ?", "fr").how_to_verb is None  # an auxiliary
    assert Question.parse("Comment se déroule la dissolution d'un PETR ?", "fr").how_to_object == ("dissolu", "petr")


def test_the_place_and_date_line_tells_when_the_document_was_signed_not_another_thing(fake_assistant):
    line = Unit(0, 0, 30, "Fait à Paris, le 28 juin 2021", title="Accord de partenariat État-ANPP",
                section="ASSURER EN COMMUN L'ANIMATION DES CRTE")
    assert Question.parse("Quand l'accord État-ANPP a-t-il été signé ?", "fr").may_ask_signatures(line)
    assert not Question.parse("Avant quelle date les CRTE devaient-ils être signés ?", "fr").may_ask_signatures(line)
    assert Question.parse("Où et quand l'accord a-t-il été signé ?", "fr").expects == "date"
    assert Question.parse("Avant quelle date les CRTE devaient-ils être signés ?", "fr").event == "signés"
    assert fake_assistant.extractor.known_event("transformed")  # "transformation" in the English offer


def test_a_kind_word_is_not_what_the_question_is_about():
    from assistant.answer import question_terms

    assert "form" not in question_terms("Quelles formes d'ingénierie un PETR met-il au service du territoire ?")
    assert "ingenier" in question_terms("Quelles formes d'ingénierie un PETR met-il au service du territoire ?")
    assert "kind" not in question_terms("What kind of engineering does a PETR provide?")


def test_a_new_word_said_in_words_beats_one_found_through_an_acronym_long_form():
    from assistant.answer import says_any

    anct = _unit("Un outil piloté par l'ANCT, où seront représentés l'ANPP et l'AdCF.")
    assert "associ" in anct.context  # "ANPP": "Association nationale des pôles ..."
    assert not says_any(anct, ("associ",))
    assert says_any(_unit("Le CEREMA, la Banque des Territoires y seront associés."), ("associ",))


def test_a_name_on_a_slide_sheet_tells_what_its_figures_are_about(fake_assistant):
    question = Question.parse("Combien d'actions le comité technique a-t-il repérées pour l'appel à projets DRAAF de 2009 ?", "fr")
    actions = _unit("16 actions possibles identifiées par le comité technique", type_match=1.0)
    assert "DRAAF" in fake_assistant.extractor.abstention_reason(question, actions, [actions])
    actions.sheet = tokens_of("Eléments déclencheurs Appel à projet DRAAF 2009 sur les relations ville-campagne "
                              "16 actions possibles identifiées par le comité technique")
    assert fake_assistant.extractor.abstention_reason(question, actions, [actions]) is None


def test_a_french_question_mostly_off_corpus_is_refused(fake_assistant):
    answer = fake_assistant.ask("Tu as une bonne recette de pâte à crêpes ?")
    assert answer.abstained


def test_more_forms_of_events_procedures_counts_and_frequencies():
    from assistant.answer import holds_expected, tells_event

    assert Question.parse("À quelle date le comité s'est-il réuni pour la première fois ?", "fr").event == "réuni"
    assert tells_event(Unit(0, 0, 30, "la première réunion du comité"), "réuni")
    assert Question.parse("Quelle est la démarche pour qu'une communauté de communes quitte un PETR ?", "fr").how_to_verb == "quitte"
    assert Question.parse("Quelle est la procédure pour créer un PETR ?", "fr").how_to_verb == "créer"
    assert Question.parse("Parmi les 268 territoires, combien sont des PETR ?", "fr").counted == "PETR"
    often = Question.parse("How often does the national CRTE steering committee meet?", "en")
    assert often.expects == "frequency"
    assert holds_expected("L'État s'engage à réunir régulièrement les acteurs", "frequency") is True
    assert holds_expected("Les pays et PETR seront associés au comité de pilotage", "frequency") is False


def test_a_list_announcement_naming_who_answers_who(fake_assistant):
    from assistant.answer import can_answer

    text = "To guide you through this change, Absiskey and OTE Ingénierie offer you support, to:"
    announcement = _unit(text)
    announcement.features["heading"] = 0.0
    announcement.names = fake_assistant.extractor.names_in(text, Question.parse("Quels cabinets proposent l'accompagnement ?", "fr"))
    assert "Absiskey" in announcement.names
    assert can_answer(announcement, Question.parse("Quels cabinets proposent l'accompagnement ?", "fr"))
    assert not can_answer(announcement, Question.parse("Comment l'offre aide-t-elle les Pays ?", "fr"))


def test_a_sentence_saying_y_is_about_what_the_sentence_before_names():
    from assistant.answer import REFERS_BACK

    assert REFERS_BACK.search("Le CEREMA, la Banque des Territoires y seront associés.")
    assert not REFERS_BACK.search("les régions et départements s'ils souhaitent s'y associer")


def test_an_event_is_told_by_a_verb_telling_the_same_in_either_language():
    from assistant.answer import tells_event

    assert tells_event(Unit(0, 0, 60, "was voted by both Assemblies on December 17th 2013"), "adoptée")
    assert tells_event(Unit(0, 0, 30, "l'association, créée en 1990"), "fondée")
    assert not tells_event(Unit(0, 0, 30, "la loi a été votée"), "abrogée")


def test_a_deadline_dates_the_act_it_is_for(fake_assistant):
    from assistant.answer import tells_event

    question = Question.parse("Jusqu'à quelle date les territoires avaient-ils pour signer leur CRTE ?", "fr")
    assert question.expects == "date" and question.event == "signer"
    assert Question.parse("By what date did territories have to sign their CRTE?", "en").event == "sign"
    assert Question.parse("Les CRTE sont prévus pour courir jusqu'à quand ?", "fr").event is None  # when they end
    assert tells_event(Unit(0, 0, 60, "des accords de méthode sont signés depuis"), "signer")
    assert not tells_event(Unit(0, 0, 60, "Les CRTE s'inscrivent sur la durée du mandat 2020 – 2026."), "signer")
    assert tells_event(Unit(0, 0, 60, "the support was delivered in 2020"), "deliver")


def test_how_many_years_asks_for_a_duration():
    assert Question.parse("Pour combien d'années un plan de coopération est-il conclu ?", "fr").expects == "duration"
    assert Question.parse("Quelle proportion de la métropole est couverte par les Pays ?", "fr").portion_of == "métropole"


def test_an_english_question_no_english_sentence_answers_is_read_in_the_french_passages(fake_assistant, monkeypatch):
    from assistant import answer as answer_module

    english = _unit("The first PETRs were expected on January 1st 2015.")
    english.language = "en"
    french = _unit("Introduits dans la législation par la loi Pasqua de 1995, les Pays ...")
    french.language, french.score = "fr", 30.0
    english.score = 40.0
    extractor = fake_assistant.extractor
    monkeypatch.setattr(extractor, "units", lambda hits, question, vector: [english, french])
    monkeypatch.setattr(extractor, "off_topic", lambda question, units, best=None: best is english)
    hit = fake_assistant.retriever.retrieve("loi Pasqua")[:1]
    text, abstained, *_ = answer_module.extractive_answer("Which law first brought the Pays into French legislation?", hit, extractor, None, "en")
    assert not abstained and "Pasqua" in text


def test_a_sheet_about_one_tool_answers_questions_naming_it():
    from assistant.answer import names_sheet

    tridan = _unit("Partenaires / échelle 5 Communautés de communes sur 3 départements, 3 SCoT, 4 CDDRA")
    tridan.section, tridan.sheet = "Outils > Entente interterritoriale TRIDAN", {"tridan"}
    assert names_sheet(tridan, Question.parse("Combien de SCoT l'entente TRIDAN recouvre-t-elle ?", "fr"))
    assert not names_sheet(tridan, Question.parse("Combien de SCoT sont portés à l'échelle des Pays ?", "fr"))


def test_the_date_of_an_event_is_the_date_of_what_it_happened_to(fake_assistant):
    question = Question.parse("À quelle date le comité de pilotage national des CRTE s'est-il réuni pour la première fois ?", "fr")
    other = _unit("L'Etat s'engage à réunir régulièrement, au niveau régional, les acteurs territoriaux 2021-2027 ;", type_match=1.0)
    assert "does not tell when" in fake_assistant.extractor.abstention_reason(question, other, [other])


def test_a_fee_asked_in_any_form_is_a_cost_and_a_role_verb_is_known_through_its_synonyms(fake_assistant):
    from assistant.answer import term_found

    assert Question.parse("What daily fee do Absiskey and OTE Ingénierie charge?", "en").attribute == "cost"
    assert Question.parse("Qui se charge de l'animation ?", "fr").attribute is None  # "charge" is not a price
    assert fake_assistant.extractor.known("dirige", "fr")  # "présidé", "présidents"
    assert not term_found("habit", {"habitat"})  # "habitants" is not "habitat"
    assert term_found("habit", {"habit"})


def test_new_words_spelled_out_by_an_acronym_are_said_by_it():
    from assistant.answer import says_any

    assert says_any(_unit("- 116 PCAET (sur 849), tous volontaires, soit 14%"), ("plan", "climat", "air", "energ"))
    assert not says_any(_unit("Un outil où seront représentés l'ANPP et l'AdCF."), ("associ",))


def test_a_how_to_verb_must_be_the_corpus_s_own_not_a_synonym(fake_assistant):
    extractor = fake_assistant.extractor
    assert extractor.known("adhérer", "fr")  # "membres", "appartenir": what a member is
    assert not extractor.known("adhérer", "fr", synonymous=False)  # ... but nothing tells how to join
    question = Question.parse("Comment une collectivité peut-elle adhérer à l'ANPP ?", "fr")
    members = _unit("Le PETR fédère les communes et les EPCI membres.")
    assert "adhérer" in extractor.abstention_reason(question, members, [members])


def test_more_than_one_speaks_of_two_and_in_two_words_counts_nothing():
    from assistant.answer import question_terms, says

    assert says(Unit(0, 0, 60, "Un EPCI à fiscalité propre ne peut appartenir à plus d'un PETR."), ("deux", "petr"))
    assert "deux" in tokens_of("ne peut appartenir à plus d’un PETR")
    assert "deux" not in question_terms("En deux mots, à quoi sert un PETR ?")


def test_a_question_asking_for_n_items_is_not_answered_by_their_announcement():
    from assistant.answer import unlisted_announcement

    def lists_items(question, units):
        return unlisted_announcement(question, units) is None

    question = Question.parse("Quels sont les quatre axes de coopération de la convention ?", "fr")
    announced = _unit("Objet 4 axes de coopérations envisagés lors de la réponse à l’appel à projet")
    assert not lists_items(question, [announced])
    english = _unit("the methodology we propose is structured around 3 key steps:")
    assert not lists_items(Question.parse("Quelles sont les trois étapes clés de la méthode ?", "fr"), [english])
    listed = _unit("Ces contrats comportent deux niveaux : le dialogue institutionnel ; le regroupement des partenariats.")
    assert lists_items(Question.parse("Quels sont les deux niveaux d'un contrat de réciprocité ?", "fr"), [listed])
    sheet = _unit("Objet 3 axes prioritaires :\n- Développement économique\n- Transports\n- Equipements")
    assert lists_items(Question.parse("Quels sont les 3 axes prioritaires de TRIDAN ?", "fr"), [sheet])
    assert Question.parse("Quels sont les 3 axes prioritaires de TRIDAN ?", "fr").attribute == "axes"


def test_what_is_counted_and_when_a_date_is_asked():
    from assistant.answer import counts

    assert Question.parse("Combien de pistes d'action le comité a-t-il dégagées ?", "fr").counted_words == ("pistes", "action")
    among = Question.parse("Parmi les schémas de cohérence territoriale, combien sont portés par les Pays ?", "fr")
    assert "schémas" in among.counted_words
    given = Question.parse("Parmi les 268 territoires, combien sont constitués en PETR ?", "fr")
    assert not counts("Ce sont 268 Territoires, couvrant 62% de la France", {"territoir"}, ["268"])
    assert given.counted == "constitués"
    assert Question.parse("Quand aucune disposition ne prévoit rien, le PETR suit le régime de quel type de structure ?", "fr").expects is None
    assert Question.parse("Quand l'accord a-t-il été signé ?", "fr").expects == "date"
    recruited = Question.parse("Je viens d'être recrutée dans un PETR : depuis quand existe-t-il, il a été créé quand ?", "fr")
    assert recruited.event == "créé"
    assert Question.parse("Ça représente quelle proportion du total national ?", "fr").portion_of is None


def test_the_noun_pendant_is_a_counterpart_not_during():
    assert "equivalent" in analyze("Ils sont en quelque sorte le pendant des pôles métropolitains")
    assert "equivalent" not in analyze("pendant la durée du contrat")


def test_a_word_with_a_synonym_in_the_corpus_is_not_foreign_to_it(fake_assistant):
    question = Question.parse("Les Pays, ils sont apparus dans le droit avec quel texte à l'origine ?", "fr")
    assert fake_assistant.extractor.off_corpus(question) == []
    assert Question.parse("Combien de grandes étapes compte la méthode ?", "fr").counted == "étapes"


def test_a_follow_up_opening_on_a_pronoun_or_asking_which_city():
    from assistant.conversation import condense

    first = "Combien de PCAET sont portés par des Pays ?"
    assert condense("Ça représente quelle proportion du total national ?", [first]).startswith(first.rstrip(" ?"))
    assert condense("Il y a combien de PETR en France ?", [first]) == "Il y a combien de PETR en France ?"
    where = Question.parse("L'accord État-ANPP a été signé quand ? Et dans quelle ville ?", "fr")
    assert where.asks_anew == ()


def test_a_later_part_saying_en_leans_on_the_part_before():
    from assistant.conversation import condense_part

    first = "Les contrats de réciprocité : depuis quelle année sont-ils expérimentés ?"
    assert condense_part("que veulent en faire l'État et l'ANPP ?", first).startswith("Les contrats de réciprocité")
    assert condense_part("qui signe en 2021 l'accord État-ANPP ?", first) == "qui signe en 2021 l'accord État-ANPP ?"


def test_a_share_is_not_a_count():
    from assistant.answer import counts

    assert not counts("20% des CRTE, pour 44% des EPCI", {"crte"})
    assert counts("82 CLS (sur 318, soit 26%)", set(analyze("CLS")))
    assert counts("concernant 47% de la population", {"peopl", "popul", "habit"})


def test_a_refusal_for_unlisted_items_shows_their_announcement(fake_assistant, monkeypatch):
    from assistant import answer as answer_module

    announced = _unit("Objet 4 axes de coopérations envisagés lors de la réponse à l’appel à projet")
    other = _unit("Le PETR fédère les communes et les EPCI membres.")
    announced.score, other.score = 5.0, 9.0
    extractor = fake_assistant.extractor
    monkeypatch.setattr(extractor, "units", lambda hits, question, vector: [other, announced])
    quoted = {}
    monkeypatch.setattr(answer_module, "citations_for", lambda hits, quotes, used: quoted.update(quotes) or [])
    hit = fake_assistant.retriever.retrieve("convention territoires partenaires")[:1]
    _, abstained, _, _, reason = answer_module.extractive_answer(
        "Quels sont les quatre axes de la convention ?", hit, extractor, None, "fr")
    assert abstained and reason == answer_module.UNLISTED
    assert quoted[0] is announced  # the passage is quoted by the announcement, not its best-scored sentence


def test_a_sentence_going_on_from_the_best_joins_it_from_further_behind():
    from assistant.answer import CONTINUATION_MARGIN

    features = {name: 0.0 for name in FEATURES}
    first_text = "Un dispositif de suivi des CRTE sera assuré par l'ANCT, auquel l'ANPP sera associée."
    first = Unit(0, 0, len(first_text), first_text, features=dict(features), score=9.0)
    follows = Unit(0, len(first_text) + 1, 200, "Celle-ci s'engage à contribuer par des enquêtes auprès de ses adhérents.",
                   previous=first_text, features=dict(features), score=9.0 - CONTINUATION_MARGIN + 0.5)
    other = Unit(1, 0, 60, "Ces contrats associent les opérateurs nationaux.", features=dict(features), score=follows.score)
    model = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=1.5)
    assert choose_units([first, follows, other], model, first) == [first, follows]


def test_extra_lines_keep_off_signatures_and_other_slide_sheets():
    features = {name: 0.0 for name in FEATURES}
    first = Unit(0, 0, 80, "Des accords de méthode sont signés entre le préfet et les collectivités.", features=dict(features), score=9.0)
    signatures = Unit(1, 0, 60, "Pour l'État,\n\nBarbara POMPILI\n\nMinistre", features=dict(features), score=8.8)
    sheet_field = Unit(2, 0, 60, "Partenaires / échelle 5 Communautés de communes sur 3 départements, 3 SCoT",
                       features=dict(features, field=1.0), score=8.7, section="Les outils > Entente interterritoriale TRIDAN")
    sheet_field.sheet = {"scot", "tridan"}
    model = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=1.5)
    question = Question.parse("Avant la signature d'un CRTE, quels accords sont passés avec le préfet ?", "fr")
    assert choose_units([first, signatures, sheet_field], model, first, question) == [first]
    # a question naming the sheet's tool gets its lines
    named = Question.parse("Quels accords de méthode et quelle entente TRIDAN ?", "fr")
    assert sheet_field in choose_units([first, signatures, sheet_field], model, first, named)


def test_a_yes_no_question_on_what_may_be_done_takes_the_sentence_that_says_so(fake_assistant):
    question = Question.parse("Notre communauté de communes peut-elle rejoindre un second PETR voisin ?", "fr")
    assert question.may_do == ("rejoindr", "second", "petr", "voisin")
    assert Question.parse("Comment une communauté de communes peut-elle adhérer à un PETR ?", "fr").may_do == ()
    answer = fake_assistant.ask("Notre communauté de communes est déjà membre d'un PETR : peut-elle rejoindre aussi un second PETR voisin ?")
    assert not answer.abstained
    assert answer.answer.startswith("Un EPCI à fiscalité propre ne peut appartenir à plus d’un PETR.")


def test_a_hedge_is_one_phrase_however_worded():
    assert {"mention", "specif"} <= set(analyze("Sauf mention spécifique, ils sont soumis aux règles des syndicats mixtes"))
    for asked in ("En l'absence de disposition particulière, quelles règles ?", "Sauf disposition contraire, quelles règles ?",
                  "Unless the law says otherwise, which rules?", "Unless stated otherwise, which rules?",
                  "Unless the code says otherwise, which rules?"):
        stems = set(analyze(asked))
        assert {"mention", "specif"} <= stems and not {"absenc", "disposit", "law", "otherwis"} & stems, asked


def test_purpose_and_filler_words_are_no_topic():
    from assistant.answer import question_terms

    assert question_terms("Et à quoi servent-ils ?") == []
    assert question_terms("À quoi sert un groupement d'intérêt public ?") == ["group", "interet", "public"]
    assert "anoth" not in question_terms("PETRs are roughly the equivalent of another kind of structure. Which one?")


def test_a_follow_up_asking_its_own_question_keeps_the_previous_topic():
    first = "Quand la loi MAPAM a-t-elle été votée par les deux assemblées ?"
    assert condense("Et quel article de cette loi crée les PETR ?", [first]) == f"{first} Et quel article de cette loi crée les PETR ?"
    assert condense("Et pour le PETR ?", [first]) == "Quand la loi PETR a-t-elle été votée par les deux assemblées ?"


def test_how_many_times_is_a_count_unless_per_period():
    assert Question.parse("Combien de fois les comités régionaux se sont-ils réunis en 2021 ?", "fr").expects == "number"
    assert Question.parse("Combien de fois par an le comité se réunit-il ?", "fr").expects == "frequency"
    assert Question.parse("How often does the committee meet?", "en").expects == "frequency"
    assert Question.parse("Quelle enveloppe financière l'État consacre-t-il aux CRTE ?", "fr").expects == "number"


def test_a_standard_s_number_is_no_quantity():
    from assistant.answer import holds_expected

    assert not holds_expected("à la lumière des travaux de la norme ISO 37101", "number")
    assert holds_expected("560 millions via le programme LEADER", "number")
    assert holds_expected("réunis en 2021 à 3 reprises", "number")


def test_the_form_of_a_comparison_is_no_topic():
    from assistant.answer import question_terms

    asked = "La page du PETR et l'offre décrivent-elles de la même façon les volets du développement ?"
    assert "facon" not in question_terms(asked) and "volet" in question_terms(asked)


def test_a_question_on_a_thing_the_corpus_never_names_is_refused(fake_assistant):
    for question, word in (("Quel préavis une communauté de communes doit-elle respecter pour se retirer d'un PETR ?", "préavis"),
                           ("Quelles sanctions s'appliquent si un Pays ne respecte pas sa charte ?", "sanctions")):
        answer = fake_assistant.ask(question)
        assert answer.abstained and word in answer.abstention_reason, question
    # the kind of answer ("proportion") or of thing named in it ("cabinets") is not what is asked about
    for question in ("Quelle proportion des habitants est couverte par un territoire de projet ?",
                     "Quels cabinets proposent l'accompagnement pour transformer un Pays en PETR ?",
                     "Quelles qualités la présentation du PETR attribue-t-elle au projet de territoire ?"):
        assert not fake_assistant.extractor.off_corpus(Question.parse(question, "fr")), question


def test_when_the_signing_took_place_is_the_place_and_date_line(fake_assistant):
    from assistant.answer import question_terms

    assert "lieu" not in question_terms("Et la signature a eu lieu quand ?")
    first = "Quelles ministres ont signé l'accord de partenariat avec l'ANPP au nom de l'État ?"
    answer = fake_assistant.ask("Et la signature a eu lieu quand ?", history=[first])
    assert not answer.abstained and "28 juin 2021" in answer.answer


def test_an_article_asked_for_a_topic_must_be_about_it(fake_assistant):
    assert Question.parse("Quel article du CGCT organise la conférence des maires au sein d'un PETR ?", "fr").article_topic == (
        "conferent", "mair", "sein")
    assert Question.parse("Quel article du CGCT fixe l'objet du PETR ?", "fr").article_topic == ("objet",)
    assert Question.parse("Which article of the MAPAM law created the PETRs?", "en").article_topic == ()
    answer = fake_assistant.ask("Quel article du CGCT organise la conférence des maires au sein d'un PETR ?")
    assert answer.abstained and "conferen" in answer.abstention_reason  # a body the corpus never names, first
    assert "5741-2" in fake_assistant.ask("Quel article du CGCT fixe l'objet du PETR ?").answer


def test_english_inverted_questions_and_demonstratives_are_read():
    question = Question.parse("And when was that law voted by both Assemblies?", "en")
    assert question.event == "voted"
    assert Question.parse("What are these new closed joint unions supposed to offset?", "en").attribute is None


def test_who_signs_a_crte_is_not_asked_of_the_accord_s_signatures():
    signatures = Unit(0, 0, 60, "Pour l'État,\n\nBarbara POMPILI\n\nMinistre", title="Accord de partenariat Etat-ANPP")
    assert not Question.parse("Si un CRTE est préparé à l'échelle d'un PETR, est-ce le PETR seul qui le signe ?", "fr").may_ask_signatures(signatures)
    assert Question.parse("Qui a signé l'accord sur les CRTE ?", "fr").may_ask_signatures(signatures)


def test_who_a_task_falls_to_is_asked_as_who_does_it():
    from assistant.answer import question_terms

    assert question_terms("Et l'animation au quotidien, elle revient à qui ?") == ["anim", "quotidien"]
    assert question_terms("À qui incombe le suivi des CRTE ?") == ["suiv", "crte"]


def test_how_something_is_reached_is_no_topic():
    from assistant.answer import question_terms

    assert question_terms("Par quel canal les pays participent-ils au pilotage des CRTE ?") == ["pay", "participent", "pilotag", "crte"]
    assert "moyen" not in question_terms("Through what means do Pays take part?")


def test_a_subordinate_when_clause_does_not_ask_for_a_date():
    question = Question.parse("When preparing the 2021-2027 European funds, which EU programme does the agreement mention?", "en")
    assert question.expects is None
    # an English event is the participle, however long the subject before it
    assert Question.parse("When exactly was the contract between the Pays de Retz and Nantes métropole signed?", "en").event == "signed"
    assert Question.parse("When were PETRs created?", "en").event == "created"


def test_what_a_thing_is_is_asked_of_the_thing_not_of_the_words_around_it():
    from assistant.answer import best_unit

    question = Question.parse("Je débute dans un PETR : comment la page présente-t-elle ce qu'est un Pays ?", "fr")
    assert question.definition and question.defined == ("pay",)
    assert Question.parse("Qu'est-ce qu'une convention d'articulation selon les diapositives ?", "fr").defined == ("convent", "articul")
    features = {name: 0.0 for name in FEATURES}
    link = Unit(0, 0, 40, "Panorama Pôles territoriaux et Pays 2022", features=dict(features), score=6.0)
    pays = Unit(0, 50, 200, "Introduits dans la législation en 1995, les Pays incarnent une organisation territoriale.",
                features=features | {"defines": 1.0}, score=5.5)
    assert best_unit([link, pays], question) is pays


def _fetcher(shown: list, *more):
    """further(), which fetches the passages past `shown` (`more` after them), and the list of its calls."""
    fetched = []

    def further():
        fetched.append(True)
        return [*shown, *more]
    return further, fetched


def _hit_maker(source: str):
    """hit(n, text): a retrieved passage number n of one document."""
    from assistant.records import Chunk, DocumentMeta, Hit

    doc = DocumentMeta(source=source, title=source, doc_type="fiche", date=None, language="fr")
    return lambda n, text: Hit(Chunk(id=f"{source}::p0::{n}", doc=doc, text=text, page=None, section="",
                                     start_char=0, end_char=len(text)), 1.0)


def test_a_count_none_of_the_passages_gives_is_looked_for_just_past_them():
    from assistant.answer import counted_passage

    hit = _hit_maker("anpp.md")
    shown = [hit(0, "Ce sont 268 Territoires, couvrant 62% de la France."), hit(1, "Les Pays et PETR portent des projets.")]
    scot = hit(2, "- 251 SCoT (sur 441), soit 57% des SCoT")
    further, fetched = _fetcher(shown, hit(3, "Les SCoT sont des schémas."), scot)

    assert counted_passage("Combien de SCoT sont portés par les Pays et PETR ?", "fr", shown, further) == [shown[0], scot]
    # nothing fetched when a passage gives the count, or when no count is asked for
    fetched.clear()
    assert counted_passage("Combien de territoires y a-t-il ?", "fr", shown, further) == shown
    assert counted_passage("Qu'est-ce qu'un SCoT ?", "fr", shown, further) == shown and not fetched


def test_a_passage_saying_what_the_thing_asked_about_is_is_looked_for_just_past_them():
    from assistant.answer import best_unit, defining_passage

    hit = _hit_maker("petr.txt")
    shown = [hit(0, "Ce sont 268 Territoires (PETR, syndicats de Pays, Pays associatifs)."), hit(1, "Le Pays de Retz coopère.")]
    pays = hit(2, "Introduits par la loi Pasqua, les Pays incarnent une organisation territoriale.")
    further, fetched = _fetcher(shown, pays)

    assert defining_passage("Qu'est-ce qu'un Pays ?", "fr", shown, further) == [shown[0], pays]
    fetched.clear()
    assert defining_passage("Combien de Pays ?", "fr", shown, further) == shown and not fetched
    # the thing as the subject of a defining verb, and a request's words are no topic
    units = [_unit(text) for text in ("Ce sont 268 Territoires (PETR, syndicats de Pays, Pays associatifs).", pays.chunk.text)]
    units[0].score = 21.0
    assert best_unit(units, Question.parse("Peux-tu me dire ce qu'est un Pays ?", "fr")) is units[1]
    assert Question.parse("Peux-tu me dire ce qu'est un Pays ?", "fr").terms == ["pay"]


def test_firms_asked_for_are_named(fake_assistant):
    from assistant.answer import FIRMS_QUESTION, term_found

    assert FIRMS_QUESTION.search(Question.parse("Which firms are behind the consulting offer?", "en").own_folded)
    assert FIRMS_QUESTION.search(Question.parse("Quels sont les cabinets qui signent l'offre ?", "fr").own_folded)
    question = Question.parse("Which firms are behind the consulting offer?", "en")
    offer = Unit(0, 0, 90, "To guide you, Absiskey and OTE Ingénierie offer you support.")
    funds = Unit(0, 0, 90, "Prepare you for the new European funds programme.")
    assert fake_assistant.extractor.firm_names(offer, question) and not fake_assistant.extractor.firm_names(funds, question)
    # "Et qui la porte ?": "Le PNR porteur de cette ingénierie"
    assert term_found(analyze("porte")[0], set(analyze("Le PNR porteur de cette ingénierie")))


def test_a_body_the_corpus_never_names_is_refused(fake_assistant):
    extractor = fake_assistant.extractor
    assert extractor.unknown_bodies(Question.parse("Quel est le rôle du conseil de développement dans un PETR ?", "fr")) == [
        "conseil de developpement"]
    # named in the corpus, or a verb after the body
    for question in ("Qui préside le comité de pilotage ?", "Le comité doit-il voter ?", "Quel est le rôle de l'offre de conseil ?"):
        assert extractor.unknown_bodies(Question.parse(question, "fr")) == [], question


def test_a_definition_must_name_what_it_defines(fake_assistant):
    question = Question.parse("Qu'est-ce qu'une commune nouvelle ?", "fr")
    features = {name: 0.0 for name in FEATURES}
    crte = Unit(0, 0, 80, "L'Etat et l'ANPP s'engagent à mener une politique contractuelle ambitieuse.", features=dict(features),
                score=20.0, context=set(analyze("L'Etat et l'ANPP s'engagent à mener une politique contractuelle ambitieuse.")))
    assert "nothing about" in fake_assistant.extractor.abstention_reason(question, crte, [crte])
    # ... by its acronym too
    from assistant.answer import spells_out
    assert spells_out(Unit(0, 0, 40, "Un PETR est l'outil de ses EPCI."), Question.parse(
        "Qu'est-ce qu'un pôle d'équilibre territorial et rural ?", "fr").defined)


def test_follow_ups_leaning_on_the_previous_question():
    assert condense("Qui l'anime au quotidien ?", ["Qu'est-ce que la convention territoires partenaires ?"]).startswith(
        "Qu'est-ce que la convention territoires partenaires ?")
    assert condense("Qui anime la convention territoires partenaires au quotidien ?", ["Qu'est-ce qu'un PETR ?"]) == (
        "Qui anime la convention territoires partenaires au quotidien ?")
    # an English phrasal verb is the event; a daily rate is a price
    assert Question.parse("When were urban-rural reciprocity contracts first tried out?", "en").event == "tried"
    assert Question.parse("What daily rate do the consultants charge?", "en").attribute == "cost"


@pytest.mark.parametrize("question, better, fitting", [
    # qualities asked for: a list of what the thing is
    ("Quelles qualités doit avoir le projet de territoire porté par un Pays ?",
     ("Le PETR a pour mission de fédérer les communes pour mettre en œuvre un projet de territoire.", 5.6),
     ("Ce projet de territoire est stratégique, intégré et partagé.", 4.7)),
    # an arrangement asked for: what it is done through
    ("Entre un PNR et un Pays, quel montage contractuel les diapositives citent-elles ?",
     ("Eléments déclencheurs Réponse commune à un appel à projets « Contrat d'objectifs Energie » du PNR", 8.2),
     ("Objet  Déployer une ingénierie technique mutualisée via un contrat de prestation intégrée du PNR", 7.3)),
])
def test_the_form_of_the_question_picks_a_sentence_of_that_form(question, better, fitting):
    from assistant.answer import best_unit

    features = {name: 0.0 for name in FEATURES}
    units = [Unit(0, 0, len(text), text, features=dict(features), score=score) for text, score in (better, fitting)]
    assert best_unit(units, Question.parse(question, "fr")) is units[1]


def test_when_a_named_place_did_something_is_not_told_by_a_general_date(fake_assistant):
    question = Question.parse("En quelle année le PETR des Hautes-Alpes a-t-il été créé ?", "fr")
    features = {name: 0.0 for name in FEATURES} | {"type_match": 1.0, "coverage": 0.6, "window_coverage": 0.6}
    text = "Les PETR, créés par la loi du 27 janvier 2014, sont un outil de coopération."
    general = Unit(0, 0, 80, text, features=features, score=20.0,
                   context=set(analyze(text + " PETR des Hautes-Alpes présentation")))
    assert "Hautes-Alpes" in fake_assistant.extractor.abstention_reason(question, general, [general])


def test_when_something_ends_is_told_by_an_end(fake_assistant):
    question = Question.parse("Jusqu'à quelle date l'accord de partenariat reste-t-il en vigueur ?", "fr")
    features = {name: 0.0 for name in FEATURES} | {"type_match": 1.0, "coverage": 0.6, "window_coverage": 0.6}
    text = "L'Etat s'engage à réunir les acteurs sur les Contrats de Plan État-Régions 2021-2027."
    dates = Unit(0, 0, len(text), text, features=features, score=20.0, context=set(analyze(text + " accord partenariat")))
    assert "ends" in fake_assistant.extractor.abstention_reason(question, dates, [dates])


def test_a_share_is_a_percentage_of_what_the_question_names(fake_assistant):
    from assistant.answer import SHARE_VALUE

    question = Question.parse("Quel pourcentage des communes appartient à un Pays ?", "fr")
    assert question.asks_share and question.portion_of == "communes"
    assert not SHARE_VALUE.search("partenaires / echelle 2 communes rurales/periurbaines")
    assert SHARE_VALUE.search("82 cls (sur 318, soit 26%)")
    features = {name: 0.0 for name in FEATURES} | {"type_match": 1.0, "coverage": 0.6, "window_coverage": 0.6}
    text = "Ce sont 268 Territoires, couvrant 62% de la France métropolitaine et concernant 47% de la population."
    france = Unit(0, 0, len(text), text, features=features, score=20.0, context=set(analyze(text)))
    assert "communes" in fake_assistant.extractor.abstention_reason(question, france, [france])


def test_more_ways_to_ask_when_and_what():
    assert Question.parse("In what year was the TRIDAN agreement officially signed?", "en").event == "signed"
    assert Question.parse("En quelle année l'entente TRIDAN a-t-elle été officiellement signée ?", "fr").event == "signée"
    described = Question.parse("How does the Hautes-Alpes PETR website describe what a Pays actually is?", "en")
    assert described.definition and described.defined == ("pay",)


def test_whether_it_may_be_done_is_told_by_the_sentence_saying_most_of_it():
    from assistant.answer import best_unit

    features = {name: 0.0 for name in FEATURES}
    texts = (("Le PETR a pour mission de fédérer les communes et les EPCI membres.", 9.3),
             ("Dans ce cadre le PETR pourra exercer des compétences et missions.", 7.6),
             ("Un EPCI à fiscalité propre ne peut appartenir à plus d'un PETR.", 6.1))
    units = [Unit(0, 0, len(text), text, features=dict(features), score=score) for text, score in texts]
    question = Question.parse("Notre communauté de communes est déjà dans un PETR : est-ce qu'elle pourrait aussi adhérer "
                              "au PETR voisin ?", "fr")
    assert question.may_do and best_unit(units, question) is units[2]


def test_an_english_question_none_of_whose_words_the_corpus_knows_is_off_corpus(fake_assistant):
    extractor = fake_assistant.extractor
    assert extractor.off_corpus(Question.parse("What's a good recipe for ratatouille?", "en"))
    assert fake_assistant.ask("Who won the 2018 FIFA World Cup?").abstained
    # a word of the English passages, or one the lexicon gives in French, is known
    for question in ("Which firms offer to support a Pays?", "Which green fuel sector does France Relance want to support?"):
        assert not extractor.off_corpus(Question.parse(question, "en")), question


def test_coordinated_question_words_share_one_verb():
    from assistant.conversation import split_parts

    one = "Which council resolutions and which prefectoral order are needed to turn a Pays into a PETR?"
    assert split_parts(one) == [one]
    assert split_parts("What is a PETR and who chairs it?") == ["What is a PETR ?", "who chairs it ?"]


def test_why_is_told_by_a_purpose():
    from assistant.answer import best_unit

    features = {name: 0.0 for name in FEATURES}
    texts = (("The first transformations of the Pays joint unions will take place before the end of July 2014.", 9.3),
             ("The vocation of these new closed joint unions is to counteract the weight of the metropolisation process.", 7.2))
    units = [Unit(0, 0, len(text), text, features=dict(features), score=score) for text, score in texts]
    for unit in units:
        unit.context = set(analyze(unit.text))
    question = Question.parse("Why were these new joint unions created in the first place?", "en")
    assert question.asks_why and best_unit(units, question) is units[1]


def test_more_follow_ups_and_definitions():
    # an English follow-up asking on its own ("will they ...?") asks no duration because the question before did
    follow_up = Question.parse("Over which period do the CRTEs run? And will they stay unchanged for that whole period?", "en")
    assert follow_up.expects is None and follow_up.asks_anew
    assert Question.parse("Comment la page décrit-elle ce que sont les Pays ?", "fr").defined == ("pay",)
    assert Question.parse("Qu'est-ce qui a conduit deux syndicats mixtes à signer une convention ?", "fr").asks_why
    # "formalisées dans quel document ?": "une convention territoriale est rédigée en ce sens"
    from assistant.answer import term_found

    assert term_found(analyze("formalisées")[0], set(analyze("une convention territoriale est rédigée en ce sens")))


def test_a_budget_is_a_sum_of_money_and_a_role_is_of_what_the_question_names(fake_assistant):
    budget = Question.parse("Quel budget l'ADEME a-t-elle accordé au contrat d'objectifs Energie Climat ?", "fr")
    assert budget.asks_amount
    assert not Question.parse("Combien de SCoT sont portés par les Pays ?", "fr").asks_amount
    question = Question.parse("Qui préside le comité de pilotage national des CRTE ?", "fr")
    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "window_coverage": 0.6}
    text = "Au niveau régional, les représentants de l'ANPP seront associés aux comités régionaux de relance présidés par les préfets."
    regional = Unit(0, 0, len(text), text, features=features, score=20.0, context=set(analyze(text + " CRTE")))
    reason = fake_assistant.extractor.abstention_reason(question, regional, [regional])
    assert reason is not None and "national" in reason
    # a frame before "quand" does not hide that a date is asked
    framed = Question.parse("D'après l'offre de conseil, quand les premiers PETR devaient-ils voir le jour ?", "fr")
    assert framed.expects == "date"


def test_an_english_article_question_is_read_in_french_and_counts_among_what(fake_assistant):
    question = Question.parse("Which article of the CGCT sets out how a PETR can be dissolved?", "en")
    assert question.article_topic == ("dissolved",)
    assert Question.parse("Under which CGCT article, and by what procedure, can a PETR be dissolved?", "en").article_topic == (
        "dissolved",)
    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "window_coverage": 0.6}
    text = "Selon l'article L5741-1 CGCT, ce sont des établissements publics constitués par accord entre plusieurs EPCI."
    french = Unit(0, 0, len(text), text, features=features, score=20.0, language="fr", context=set(analyze(text)))
    assert "article is not about" in fake_assistant.extractor.abstention_reason(question, french, [french])
    among = Question.parse("Parmi les territoires de projet recensés, combien sont encore des Pays associatifs ?", "fr")
    assert among.counted_words == ("Pays",)


def test_a_request_after_the_question_belongs_to_it():
    from assistant.answer import own_words_of
    from assistant.conversation import split_parts
    from assistant.glossary import french_stems_of

    asked = "Les territoires de projet portent-ils beaucoup de contrats locaux de santé ? Donnez le chiffre."
    assert own_words_of(asked) == asked and Question.parse(asked, "fr").expects == "number"
    assert own_words_of("Qu'est-ce qu'un PETR ? Qui le préside ?") == "Qui le préside ?"
    assert split_parts("Under which CGCT article, and by what procedure, can a PETR be dissolved?") == [
        "Under which CGCT article, and by what procedure, can a PETR be dissolved?"]
    assert "vill" in french_stems_of("When were the town-country reciprocity contracts first trialled?")["town"]


def test_of_two_sheets_the_one_saying_more_of_the_question_answers():
    from assistant.answer import best_unit

    features = {name: 0.0 for name in FEATURES}
    park = Unit(0, 0, 60, "Acteurs Un groupe de pilotage restreint associant des élus des 2 exécutifs",
                features=dict(features), score=8.0, section="Outils > Plans de coopération sur le PNR des Monts d'Ardèche")
    park.sheet = set(analyze("Plans de coopération sur le PNR des Monts d'Ardèche élus pilotage"))
    water = Unit(1, 0, 60, "Acteurs Création d'une commission mixte Elus CLE / Pays", features=dict(features), score=7.0,
                 section="Outils > Convention d'articulation")
    water.sheet = set(analyze("Convention d'articulation SAGE de l'Ardèche 2 Syndicats mixtes commission mixte Elus Création"))
    question = Question.parse("Dans le partenariat entre les deux syndicats mixtes autour du SAGE de l'Ardèche, quelle "
                              "instance a été créée pour les élus ?", "fr")
    assert best_unit([park, water], question) is water


def test_people_are_counted_as_people_of_a_country():
    from assistant.answer import counted_forms, counts, names_counted

    people = counted_forms("personnes")
    assert counts("7 millions de français couverts par le service public de la rénovation de l'habitat", people)
    text = "7 millions de français couverts par le service public de la rénovation de l'habitat"
    assert names_counted(Unit(0, 0, len(text), text, context=set(analyze(text))), ["personnes"])


def test_follow_ups_asking_for_a_party_or_a_purpose_and_questions_after_a_frame():
    from assistant.answer import best_unit

    # "Et du côté de l'État, ce sont quels ministres ?" after who signed for the ANPP: who signed for the State
    state = Question.parse("Qui a signé l'accord de partenariat au nom de l'ANPP ? Et du côté de l'Etat, ce sont quels ministres ?", "fr")
    assert state.asks_signatories
    assert not Question.parse("Qui a signé l'accord ? Et qui pilote les CRTE ?", "fr").asks_signatories
    # "servent à quoi" asks a purpose, in either order, and is not a word the answer must say
    purpose = Question.parse("Les accords de méthode sont signés entre qui ? Et ils servent à quoi, ces accords ?", "fr")
    assert purpose.asks_why and "serv" not in purpose.asks_anew
    # a demonstrative names the previous part's topic: its words are looked for too
    cited = Question.parse("Sur quoi le Pays de Retz coopère-t-il ? sous quelle forme l'accord cite-t-il cette coopération ?", "fr")
    assert "retz" in cited.terms
    assert Question.parse("Over what time span are the CRTE supposed to run?", "en").expects == "duration"
    assert Question.parse("How much does Absiskey charge for its support package?", "en").asks_amount
    assert Question.parse("Under the MAPAM law, how long does a new PETR have to draw up its project?", "en").frame_names == ("MAPAM",)
    # a frame finds the sheet, the asking clause the field
    features = {name: 0.0 for name in FEATURES}
    trigger = Unit(0, 0, 60, "Eléments déclencheurs Réponse commune à un appel à projets « Contrat d'objectifs Energie Climat » de l'ADEME",
                   features=dict(features), score=10.3)
    purpose_field = Unit(0, 70, 130, "Objet  Déployer une ingénierie technique mutualisée via un contrat de prestation intégrée",
                         features=dict(features), score=6.7)
    for unit in (trigger, purpose_field):
        unit.tokens = set(analyze(unit.text))
        unit.sheet = unit.tokens | set(analyze("Convention de mutualisation PNR Pays ADEME"))
    framed = Question.parse("Pour la coopération PNR-Pays lancée après l'appel à projets ADEME, l'ingénierie mutualisée passe par "
                            "quel type de contrat ?", "fr")
    assert framed.asked_terms and best_unit([trigger, purpose_field], framed) is purpose_field


def test_the_very_first_one_is_asked_by_its_name(fake_assistant):
    from assistant.answer import NAMES_QUESTION

    assert NAMES_QUESTION.search("quel a ete le tout premier crte signe en france ?")
    assert NAMES_QUESTION.search("which was the very first petr created?")
    assert not NAMES_QUESTION.search("a quelle date les premiers petr devaient-ils voir le jour ?")


def test_a_follow_up_naming_a_new_topic_keeps_the_question_and_a_legal_status_is_counted():
    follow_up = Question.parse("How many climate-energy plans (PCAET) are carried at Pays level? And what about local health contracts?", "en")
    assert follow_up.expects == "number" and follow_up.focus
    assert Question.parse("Combien de PCAET sont portés par les Pays ? Et qu'en est-il des CLS ?", "fr").expects == "number"
    status = Question.parse("Parmi les 268 territoires de projet recensés, combien ont le statut juridique de PETR ?", "fr")
    assert status.counted_words == ("PETR",)


def test_items_asked_for_in_more_ways_and_a_party_named_by_its_acronym():
    from assistant.answer import ITEMS_QUESTION

    assert ITEMS_QUESTION.search("what exactly are the 3 key steps of the methodology?")
    assert ITEMS_QUESTION.search("peux-tu me lister les 9 thematiques de la charte du pnr ?")
    assert Question.parse("Qui a signé l'accord pour le gouvernement ? Et côté ANPP, c'est qui ?", "fr").asks_signatories


def test_a_ratio_a_length_in_years_and_a_date_that_within_alone_does_not_give():
    from assistant.answer import holds_expected

    assert Question.parse("Quel ratio de levier financier l'ANPP met-elle en avant ?", "fr").expects == "number"
    years = Question.parse("Pour combien d'années la convention est-elle conclue ?", "fr")
    assert years.expects == "duration" and years.asks_years
    assert not Question.parse("Combien de mois le PETR a-t-il pour élaborer son projet ?", "fr").asks_years
    # "within your structure" is no moment; "within the 12 months" is
    assert not holds_expected("- support change management within your structure", "date")
    assert holds_expected("a territorial project within the 12 months following their creation", "date")


def test_a_delay_a_plural_acronym_and_a_question_said_again_more_precisely():
    from assistant.answer import DELAY, holds_expected
    from assistant.conversation import split_parts

    # a delay or a deadline is a date-like answer, told by its length or its end
    for text in ("Once a PETR has been set up, what is the deadline for producing its territorial project?",
                 "Quel délai faut-il respecter pour qu'un EPCI quitte un PETR ?"):
        asked = Question.parse(text, "fr" if "délai" in text else "en")
        assert asked.expects == "date" and asked.asks_delay
    created = "crées par la loi du 27 janvier 2014"
    assert holds_expected(created, "date") and not DELAY.search(created)
    assert DELAY.search("before the end of july 2014")
    assert Question.parse("What's a PETR for the intercommunal bodies (EPCIs)?", "en").acronyms() == ["PETR", "EPCI"]
    # "which companies?" says again what "who's behind ...?" asks: one question, not two
    assert split_parts("who's actually behind that consulting offer? which companies?") == [
        "who's actually behind that consulting offer, which companies?"]
    assert split_parts("Qui a signé l'accord ? Et quand ?") == ["Qui a signé l'accord ?", "Et quand ?"]


def test_firm_names_are_not_the_words_of_an_acronyms_long_form(fake_assistant):
    question = Question.parse("who are the consultancies behind the Pays to PETR offer?", "en")
    extractor = fake_assistant.extractor
    balance = "Assist with transformation through implementation of Territorial and Rural Balance Clusters (PETR)"
    firms = "To guide you through this major change, Absiskey and OTE Ingénierie offer you support"
    assert not extractor.firm_names(Unit(0, 0, len(balance), balance), question)
    assert "Absiskey" in extractor.firm_names(Unit(0, 0, len(firms), firms), question)


def test_chat_words_a_condition_a_list_asked_for_and_years_to_run_over():
    from assistant.answer import ITEMS_QUESTION, best_unit, question_terms
    from assistant.conversation import split_parts

    # "côté ..., ça donne quoi ?" only names the new topic; "ça" is not the previous answer
    assert question_terms("Et côté contrats locaux de santé, ça donne quoi ?") == question_terms("Et contrats locaux de santé ?")
    assert "cot" in question_terms("le contrat de transition écologique de la Haute Côte d'Or")
    health = Question.parse("Combien de PCAET sont portés par les Pays ? Et pour les contrats locaux de santé, ça donne combien ?", "fr")
    assert health.counted_words == () and set(health.focus) == set(question_terms("contrats locaux de santé"))
    assert "gros" not in question_terms("il suit en gros les règles de quel type de structure ?")
    # "Pays/PETR" together are the territoires de projet the ANPP counts
    assert Question.parse("Il y a combien de Pays/PETR en France ?", "fr").counted_words == ("Pays", "territoires")
    assert ITEMS_QUESTION.search("c'est quoi la liste des 9 thematiques de la charte du pnr ?")
    assert Question.parse("Over which years are the CRTE supposed to run?", "en").expects == "duration"
    # "and out of what total?" asks the same count with its total: one question
    assert split_parts("How many SCoTs are carried at Pays level, and out of what total?") == [
        "How many SCoTs are carried at Pays level, and out of what total?"]
    assert split_parts("Qui signe le CRTE et sur quel périmètre ?") == ["Qui signe le CRTE ?", "sur quel périmètre ?"]
    # "à quelle condition ?": the sentence telling one ("lorsque ...") beats one scoring a little higher
    condition = Question.parse("On garde le périmètre des anciens contrats ? à quelle condition ?", "fr")
    assert condition.asks_condition and "condit" not in condition.terms
    features = {name: 0.0 for name in FEATURES}
    plain = Unit(0, 0, 50, "Les périmètres des anciens contrats sont pris en compte.", features=dict(features), score=7.0)
    told = Unit(0, 60, 140, "Les périmètres des anciens contrats comptent lorsque ceux-ci donnent satisfaction.",
                features=dict(features), score=6.0)
    for unit in (plain, told):
        unit.tokens = unit.context = set(analyze(unit.text))
    assert best_unit([plain, told], condition) is told


def test_a_count_off_the_slide_sheets_beats_a_sheets_count_of_one_tool():
    from assistant.answer import best_unit

    features = {name: 0.0 for name in FEATURES}
    question = Question.parse("How many SCoTs are carried at Pays level?", "en")
    field = Unit(0, 0, 60, "Partenaires / échelle 5 Communautés de communes sur 3 départements, 3 SCoT, 4 CDDRA",
                 features=dict(features, type_match=1.0), score=9.5)
    field.sheet = set(analyze(field.text)) | set(analyze("Entente interterritoriale TRIDAN"))
    figure = Unit(1, 0, 40, "- 251 SCoT (sur 441), soit 57% des SCoT", features=dict(features, type_match=1.0), score=6.2)
    field.section, figure.section = "Quels outils > Entente interterritoriale TRIDAN", "Chiffres clés"
    for unit in (field, figure):
        unit.tokens = unit.context = set(analyze(unit.text))
    assert best_unit([field, figure], question) is figure


def test_may_it_be_done_asked_in_chat_style_and_a_second_one_is_more_than_one():
    from assistant.answer import implied_counts

    chat = Question.parse("Notre communauté de communes est déjà membre d'un PETR, elle peut en rejoindre un deuxième ?", "fr")
    assert chat.may_do and "deuxiem" in chat.may_do
    assert set(analyze("deuxième")) <= implied_counts("ne peut appartenir à plus d'un PETR")
    assert Question.parse("How many SCoTs are carried at Pays level?", "en").acronyms()[0] == "SCoT"


def test_a_question_word_after_a_frame_asks_no_yes_or_no():
    framed = Question.parse("Pour articuler le SAGE de l'Ardèche avec le territoire, quel comité technique les deux syndicats "
                            "mixtes ont-ils mis en place ?", "fr")
    assert framed.predicate == ()
    assert Question.parse("Un PETR est-il un établissement public ?", "fr").predicate


def test_an_article_is_cited_when_one_is_asked_for_and_chat_words_are_no_topic():
    from assistant.answer import cites_article, question_terms

    law = Unit(0, 0, 60, "The MAPAM law was voted by both Assemblies on December 17th 2013.",
               following=" Article 79 of this law provides territories with a new tool.")
    crvc = Unit(0, 0, 60, "Les contrats de réciprocité ville-campagne permettent de raisonner des coopérations.")
    assert cites_article(law) and not cites_article(crvc)
    assert question_terms("Can you give me a good recipe for ratatouille?") == question_terms("recipe for ratatouille")
    # an article asked about what an acronym names: the acronym is the topic ("... encadre les CRTE ?")
    assert Question.parse("Quel article du CGCT encadre les CRTE ?", "fr").article_topic == ("crte",)
    assert "petr" not in Question.parse("Quel article du CGCT encadre la dissolution d'un PETR ?", "fr").article_topic


def test_a_sheet_is_told_by_its_other_fields_and_a_document_name_is_no_topic():
    from assistant.answer import best_unit, tells_sheet
    from assistant.records import DocumentMeta

    features = {name: 0.0 for name in FEATURES}
    question = Question.parse("Dans la fiche lancée suite à l'appel à projets DRAAF de 2009 (ville-campagne), "
                              "le comité technique a repéré combien d'actions ?", "fr")
    actions = Unit(0, 0, 60, "16 actions possibles identifiées par le comité technique",
                   features=dict(features, type_match=1.0), score=6.9)
    actions.sheet = set(analyze(actions.text)) | set(analyze("Eléments déclencheurs Appel à projet DRAAF 2009 sur les relations ville-campagne"))
    actions.section = "Quels outils > Entente interterritoriale TRIDAN"  # the sheet's own title is at its foot
    other = Unit(1, 0, 60, "Les contrats de réciprocité ville-campagne - expérimentation lancée en 2015 suite aux comités",
                 features=dict(features), score=4.6)
    for unit in (actions, other):
        unit.tokens = unit.context = set(analyze(unit.text))
    assert tells_sheet(actions, question)
    assert best_unit([actions, other], question) is actions
    offer = DocumentMeta(source="offer.txt", title="Consulting offer", doc_type="fiche", date="2014", language="en",
                         aliases=("Absiskey",))
    named = Question.parse("Dans l'offre d'Absiskey, à quelle date le Parlement a-t-il adopté la loi MAPAM ?", "fr", [offer])
    assert named.documents == ("offer.txt",) and set(analyze("Absiskey")) <= named.document_words


def test_a_later_part_leaning_on_a_refused_one_is_refused_and_a_pronoun_leans_back():
    from assistant.answer import merge_parts
    from assistant.conversation import condense_part

    assert condense_part("à quel titre l'accord État-ANPP la mentionne-t-il ?", "Qu'a donné la coopération de Toulouse ?").startswith(
        "Qu'a donné la coopération de Toulouse ?")
    refused = ("Je ne trouve pas la réponse dans le corpus.", True, [], [], "no passage is close to the question")
    answered = ("The MAPAM law was voted on December 17th 2013. [1]", False, [], [], None)
    text, abstained, *_ = merge_parts([("Quelle loi a interdit la création de nouveaux Pays ?", [], refused),
                                       ("Quelle loi a interdit la création de nouveaux Pays ? en quelle année ?", [], answered)], "fr")
    assert abstained
    assert Question.parse("En deux mots, un PETR c'est quoi ? Ça sert à faire coopérer qui ?", "fr").asks_why


def test_who_chairs_in_english_is_of_what_the_question_names_and_a_signature_block_is_no_sheet(fake_assistant):
    question = Question.parse("Who chairs the national steering committee for the CRTE?", "en")
    assert question.attribute == "chairs"
    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "window_coverage": 0.6}
    text = "Au niveau régional, les représentants de l'ANPP seront associés aux comités régionaux de relance présidés par les préfets."
    # the extractor bridges a French unit's words to the question's English ones ("présidés": chair)
    regional = Unit(0, 0, len(text), text, features=features, score=20.0, language="fr",
                    context=set(analyze(text + " CRTE")) | {"chair", "committe"})
    reason = fake_assistant.extractor.abstention_reason(question, regional, [regional])
    assert reason is not None and "is not of" in reason
    answered = Question.parse("Who chairs the regional recovery committees?", "en")
    assert fake_assistant.extractor.abstention_reason(answered, regional, [regional]) != reason
    # "Fait à Paris" and "Pour l'État," open lines as slide labels do; the signature page is no sheet
    from assistant.records import Chunk, DocumentMeta, Hit

    doc = DocumentMeta(source="accord.md", title="Accord", doc_type="accord", date="2021", language="fr")
    signatures = ("Fait à Paris, le 28 juin 2021\n\nPour l'État,\n\nBarbara POMPILI\n\nMinistre\n\n"
                  "Pour l'ANPP,\n\nJosiane CORNELOUP\n\nPrésidente\n\nPour l'AdCF,\n\nSébastien MARTIN\n\nPrésident")
    chunk = Chunk(id="accord.md::p0::0", doc=doc, text=signatures, page=None, section="", start_char=0, end_char=len(signatures))
    units = fake_assistant.extractor.units([Hit(chunk=chunk, score=1.0)], Question.parse("Qui a signé l'accord ?", "fr"), None)
    assert sum(bool(unit.features["field"]) for unit in units) >= 3 and not any(unit.sheet for unit in units)


def test_each_named_document_gives_its_unit_naming_the_acronym_asked_about():
    from assistant.answer import choose_units

    class Model:
        def __getattr__(self, name):
            return 1.0

    features = {name: 0.0 for name in FEATURES}
    question = Question("What do the key figures and the agreement each say about LEADER funding?", ["lead", "funding"], None, "en",
                        documents=("accord.md", "anpp.md"))
    accord = Unit(0, 0, 80, "Anticiper le portage des fonds européens 2021-2027, notamment sur LEADER.", features=dict(features),
                  score=10.0, source="accord.md")
    generic = Unit(1, 0, 80, "Le Territoire de projet porte le financement d'actions.", features=dict(features), score=6.8, source="anpp.md")
    leader = Unit(1, 90, 140, "- 560 millions via le programme LEADER", features=dict(features), score=6.0, source="anpp.md")
    for unit in (accord, generic, leader):
        unit.tokens = unit.context = set(analyze(unit.text))
    assert leader in choose_units([accord, generic, leader], Model(), accord, question)
    assert generic not in choose_units([accord, generic, leader], Model(), accord, question)


def test_a_contract_spelled_out_is_not_the_broader_one_holding_its_words():
    from assistant.answer import about_broader
    from assistant.glossary import broader_acronyms, spelled_out

    assert spelled_out("Pour combien d'années un contrat de transition écologique est-il signé ?") == ["CTE"]
    assert "CTE" not in spelled_out("Sur quelle durée s'inscrivent les contrats de relance et de transition écologique ?")
    crte = Unit(0, 0, 80, "Les CRTE s'inscrivent sur la durée du mandat 2020 – 2026.")
    spelled = Unit(0, 0, 80, "L'Etat veut faire du contrat de relance et de transition écologique un outil partenarial.")
    cte = Unit(1, 0, 80, "Les contrats de transition écologique - expérimentation en cours lancée par le ministère")
    assert broader_acronyms("CTE", crte.text) == ["CRTE"]
    assert about_broader(crte, "CTE") and about_broader(spelled, "CTE") and not about_broader(cte, "CTE")
    # a one-word long form is a word other names hold: "intercommunalité" is no narrower SDCI
    assert broader_acronyms("EPCI", "le schéma départemental de coopération intercommunale (SDCI)") == []


def test_a_word_the_corpus_only_writes_as_an_acronym_is_unknown_in_lowercase(fake_assistant):
    stats = fake_assistant.extractor.stats
    assert "pat" in stats.acronym_only  # the glossary's PAT; "pat-support-com" in a link is no word
    crepes = Question.parse("Tu aurais une recette de pâte à crêpes ?", "fr")
    assert "pat" in fake_assistant.extractor.off_corpus(crepes)
    assert "pat" not in fake_assistant.extractor.off_corpus(Question.parse("Le PETR a-t-il signé un PAT ?", "fr"))


def test_a_minimum_a_population_and_a_total_are_asked_numbers():
    from assistant.answer import BOUND, counted_forms, counts

    budget = Question.parse("What total budget, in euros, did the 2021 State-ANPP agreement earmark for the CRTE?", "en")
    assert budget.expects == "number" and budget.asks_amount
    minimum = Question.parse("Is there a minimum number of inhabitants required to set up a PETR?", "en")
    assert minimum.expects == "number" and minimum.asks_bound and minimum.counted_words == ("population",)
    # a share of the population is no threshold; "within the 12 months" counts no inhabitants
    assert not BOUND.search("ce sont 268 territoires concernant 47% de la population")
    assert not counts("within the 12 months following their creation", counted_forms("population"))
    # "au total", "recense": how a count is asked, no topic
    assert Question.parse("L'ANPP recense combien de territoires de projet au total ?", "fr").terms == ["anpp", "territoir", "projet"]
    # a noun with its complement counts the noun
    assert not counts("5 Communautés de communes sur 3 départements", counted_forms("communes"))
    assert counts("5 Communautés de communes sur 3 départements", counted_forms("communautés"))
    assert counts("7 millions de français", counted_forms("personnes"))


def test_who_currently_chairs_and_a_name_asked_for_a_role(fake_assistant):
    from assistant.answer import PERSON_NAME

    assert Question.parse("Who currently chairs the PETR presented on the Hautes-Alpes page?", "en").attribute == "chairs"
    named = Question.parse("Quel est le nom du chef de projet recruté pour la convention territoires partenaires ?", "fr")
    assert named.asks_person_name and not Question.parse("Quel est le nom de la loi de 2014 ?", "fr").asks_person_name
    assert Question.parse("What is the name of the ANPP president?", "en").asks_person_name
    assert PERSON_NAME.search("Pour l'ANPP, Josiane CORNELOUP") and not PERSON_NAME.search("Recrutement d'un chef de projet externe")
    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "window_coverage": 0.6}
    text = "- Recrutement d'un chef de projet externe"
    unit = Unit(0, 0, len(text), text, features=features, score=20.0, language="fr", context=set(analyze(text + " convention territoires partenaires")))
    assert fake_assistant.extractor.abstention_reason(named, unit, [unit]) == "the best sentence names no person"


def test_a_rare_name_asked_about_is_in_the_best_passage(fake_assistant):
    question = Question.parse("What legal form does the TRIDAN agreement take?", "en")
    assert "TRIDAN" in fake_assistant.extractor.rare_names(question)
    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "window_coverage": 0.6}
    text = "The territorial projects developed by the PETRs will act as a basis for all forms of contractualisation."
    offer = Unit(0, 0, len(text), text, features=features, score=20.0, language="en", context=set(analyze(text)), passage=set(analyze(text)))
    assert fake_assistant.extractor.abstention_reason(question, offer, [offer]) == "the best passage's document does not name TRIDAN"


def test_a_definition_asked_after_a_chat_opening_is_of_the_thing_named():
    question = Question.parse("Au fond, un PETR c'est quoi par rapport aux intercos qui le composent ?", "fr")
    assert question.definition and question.defined == ("petr",)
    assert "fond" not in question.terms and "rapport" not in question.terms
    assert Question.parse("Un PETR, en gros, c'est quoi par rapport aux intercommunalités ?", "fr").defined == ("petr",)
    # "c'est quoi le budget ...": an amount, not a definition
    budget = Question.parse("c'est quoi le budget annuel du PETR présenté sur la page Hautes-Alpes ?", "fr")
    assert budget.expects == "number" and budget.asks_amount


def test_how_precisely_to_answer_is_no_topic_of_a_follow_up():
    asked = condense("Et pour la Région, c'est laquelle précisément ?",
                     ["Le PETR des Hautes-Alpes sert de relais auprès de quels partenaires financiers ?"])
    assert Question.parse(asked, "fr").focus == ("region",)
    # "meant" asks what a thing is for, like "supposed" ("meant" stems to a stray "me")
    assert Question.parse("What is a PETR meant to be, basically?", "en").terms == ["petr"]


def test_a_follow_up_on_the_same_topic_asks_its_own_question_and_forms_of_asking_are_no_topic():
    # "Et qui a signé pour l'ANPP ?" after a question on the accord État-ANPP asks who, not where again
    asked = condense("Et qui a signé pour l'ANPP ?", ["L'accord de partenariat État-ANPP a été signé où et à quelle date ?"])
    assert asked.endswith("Et qui a signé pour l'ANPP ?")
    # "à quelle date précise", "à quel titre", "how long does it last": the form of the answer
    assert "precis" not in Question.parse("Et il a été signé où, à quelle date précise ?", "fr").terms
    assert "titr" not in Question.parse("à quel titre l'accord État-ANPP mentionne-t-il le Pays de Retz ?", "fr").terms
    duration = Question.parse("What is a CRTE ? How long does it last ?", "en")
    assert duration.expects == "duration" and duration.asks_anew == ()
    # "what is the share of ...": a number
    assert Question.parse("What is the share of SCoTs carried by Pays?", "en").expects == "number"


def test_definitions_after_a_preamble_or_in_quotes():
    start = Question.parse("je débute au PETR : en une phrase, c'est quoi un PETR vis-à-vis des intercos qui le composent ?", "fr")
    assert start.definition and start.defined == ("petr",)
    quoted = Question.parse("In plain words, how does the Hautes-Alpes PETR page describe what a 'Pays' is?", "en")
    assert quoted.definition and quoted.defined == ("pay",)


def test_a_sentence_citing_the_article_itself_and_paying_is_an_act_to_tell(fake_assistant):
    from assistant.answer import best_unit, cites_article

    question = Question.parse("When did the MAPAM law come into force ? And which article of it sets up the PETRs ?", "en")
    near = _unit("Les PETR, crées par la loi du 27 janvier 2014, ont vocation à être un outil de coopération.")
    near = dataclasses.replace(near, following="Selon l'article L5741-1 CGCT, ce sont des établissements publics.", score=8.0)
    article = dataclasses.replace(_unit("Article 79 of this law provides territories with a new tool."), score=7.0)
    assert cites_article(near) and not cites_article(near, around=False)
    assert best_unit([near, article], question) is article
    funded = Question.parse("Qui finance le chef de projet de l'entente TRIDAN ?", "fr")
    assert funded.act == "finance"
    sheet = _unit("Animation / coordination : chef de projet de l'entente")
    assert fake_assistant.extractor.abstention_reason(funded, sheet, [sheet]) == "the best sentence does not tell who finance it"


def test_a_difference_needs_a_sentence_telling_one_side_and_a_management_is_told_by_managing(fake_assistant):
    question = Question.parse("Quelle est la différence entre un syndicat de Pays fermé et ouvert ?", "fr")
    listing = _unit("Ce sont 268 Territoires, quelle qu'en soit la forme juridique (PETR, syndicats de Pays fermés ou ouverts)")
    assert fake_assistant.extractor.abstention_reason(question, listing, [listing]) == (
        "no sentence tells what either side of the difference is")
    from assistant.answer import term_found

    assert term_found("gestion", tokens_of("géré par la Chambre d'Agriculture de l'Isère"))
    assert term_found("comcom", tokens_of("5 Communautés de communes sur 3 départements"))  # "combien de comcoms ?"
    # an acronym spelled out only in an English passage is spelled out there
    from assistant.answer import best_unit

    law = dataclasses.replace(_unit("The law for Modernisation of Territorial Public Action and Affirmation of the Metropolis "
                                    "(known as the MAPAM law) was voted by both Assemblies."), language="en")
    assert best_unit([law], Question.parse("What does the acronym MAPAM stand for?", "en")) is law


def test_a_follow_up_pronoun_stands_for_the_thing_defined_before():
    assert condense("How many territories does it represent?", ["What is the ANPP?"]) == "How many territories does the ANPP represent ?"
    assert condense("Il a été créé par quelle loi ?", ["Qu'est-ce qu'un PETR ?"]) == "Le PETR a été créé par quelle loi ?"
    assert condense("Combien de territoires représente-t-elle ?", ["Qu'est-ce que l'ANPP ?"]) == "Combien de territoires représente l'ANPP ?"
    # an object pronoun before its verb is left to the previous question
    assert condense("Qui la porte ?", ["Qu'est-ce que l'Alliance des Territoires ?"]).startswith("Qu'est-ce que l'Alliance")


def test_a_relative_clause_ends_the_holder_and_a_plan_is_no_event(fake_assistant):
    from assistant.answer import holder_terms

    question = Question.parse("Who chairs the regional recovery committees that ANPP representatives will sit on?", "en")
    assert "sit" not in holder_terms(question, question.attribute)
    planned = Question.parse("According to the offer, when were the first PETRs due ? And the launch of the first ones, "
                             "when was that planned ?", "en")
    assert planned.expects == "date" and planned.event is None
    # the stemmer keeps the plural "x": "enjeux" is known for "Quel est l'enjeu ... ?"
    assert fake_assistant.extractor.stats.known("enjeux") and fake_assistant.extractor.stats.known("enjeu")


def test_a_deadline_dates_no_event_and_what_is_left_is_counted():
    deadline = Question.parse("Once a PETR has been created, what's the deadline for it to draw up its territorial project?", "en")
    assert deadline.asks_delay and deadline.event is None  # "created" starts the delay; the sentence need not date it
    assert Question.parse("Combien reste-t-il de Pays sous forme associative selon l'ANPP ?", "fr").counted_words == ("Pays",)
    # "de PETR et de Pays" are both forms together, the territoires de projet the ANPP counts
    assert "territoires" in Question.parse("Combien existe-t-il de PETR et de Pays ?", "fr").counted_words


def test_a_topic_named_first_and_a_part_sharing_the_verb_before():
    from assistant.conversation import condense_part

    assert condense("Et il est créé par accord entre qui ?", ["Juridiquement, un PETR c'est quoi comme type de structure ?"]) == (
        "Le PETR est créé par accord entre qui ?")
    first = "Quel Pays rural coopère avec Nantes métropole dans l'accord État-ANPP ?"
    assert condense_part("sur quel type de projet ?", first) == f"{first.rstrip(' ?')} ? sur quel type de projet ?"


def test_a_definition_of_what_the_corpus_never_names_and_a_follow_ups_own_act(fake_assistant):
    extractor = fake_assistant.extractor
    # "la cohésion territoriale" is one of the CRTE's keys; no "contrat de cohésion territoriale" anywhere
    assert extractor.unnamed_defined(Question.parse("Qu'est-ce qu'un contrat de cohésion territoriale ?", "fr"))
    for named in ("Qu'est-ce qu'une convention d'articulation ?", "Qu'est-ce qu'un contrat de réciprocité ville-campagne ?",
                  "Qu'est-ce qu'un syndicat de Pays ?", "Qu'est-ce qu'un territoire de projet ?"):
        assert extractor.unnamed_defined(Question.parse(named, "fr")) is None, named
    # the follow-up asks who pays; the question before it asked what the missions are
    assert Question.parse("Quelles sont les missions du PETR ? Et qui les finance ?", "fr").act == "finance"


def test_a_timeline_asks_dates_and_est_ce_que_asks_whether_a_predicate_holds():
    timeline = Question.parse("What is the timeline for the transformation of Pays into PETRs?", "en")
    assert timeline.expects == "date" and "timelin" not in timeline.terms
    assert Question.parse("Quel est le calendrier de transformation des Pays en PETR ?", "fr").expects == "date"
    assert Question.parse("Est-ce que les PETR sont des établissements publics ?", "fr").predicate == ("etabl", "public")
    assert Question.parse("Est-ce que l'ANPP a signé ?", "fr").predicate == ()


def test_a_count_of_another_kind_and_what_a_thing_is_for():
    from assistant.answer import PURPOSE, counts_another_kind

    ruralite = Question.parse("Combien de contrats de ruralité sont portés à l'échelle des Pays selon l'ANPP ?", "fr")
    assert (ruralite.counted, ruralite.counted_complement) == ("contrats", "ruralité")
    assert counts_another_kind("- 82 CLS (sur 318, soit 26%) et près d'un tiers des CLSM (sur 270)", "contrats", "ruralité")
    assert not counts_another_kind("- 251 SCoT (sur 441), soit 57% des SCoT", "schémas", "cohérence")
    assert Question.parse("What is a public interest group (GIP) for, as described in the slides?", "en").asks_why
    assert PURPOSE.search("les groupements d'interet public qui permettent a des partenaires de mettre en commun des moyens")


def test_a_side_is_no_topic_and_a_missing_type_is_refused(fake_assistant):
    assert Question.parse("Tu peux me donner une recette de tartiflette ?", "fr").terms == ["recet", "tartiflet"]
    assert Question.parse("And who signed it on ANPP's side?", "en").terms == ["signed", "anpp"]
    # a number or a duration asked is refused when the best sentence holds none
    method = _unit("Afin de préparer les futurs CRTE, des accords de méthode sont signés entre le préfet et les collectivités "
                   "pour financer des opérations grâce aux crédits de France relance.")
    question = Question.parse("Quel montant de crédits France Relance est attribué à chaque CRTE ?", "fr")
    assert fake_assistant.extractor.abstention_reason(question, method, [method]) == "no number in the best sentence"
    sheet = _unit("Partenaires / échelle 5 Communautés de communes sur 3 départements, 3 SCoT, 4 CDDRA")
    question = Question.parse("L'entente TRIDAN a été signée pour combien d'années ?", "fr")
    assert fake_assistant.extractor.abstention_reason(question, sheet, [sheet]) == "no duration in the best sentence"


def test_a_yes_or_no_question_is_not_answered_by_a_sentence_about_another_subject(fake_assistant):
    question = Question.parse("Un PETR peut-il lever l'impôt ?", "fr")
    assert question.yes_no_subject == ("petr",)
    assert Question.parse("Comment un PETR est-il financé ?", "fr").yes_no_subject == ()
    text = "par rapport aux aides de nature fiscale (crédits d'impôts, exonérations...) difficiles à évaluer"
    features = {name: 0.0 for name in FEATURES} | {"coverage": 1.0, "window_coverage": 1.0, "context_coverage": 1.0}
    tax = Unit(0, 0, 90, text, features=features, score=99.0, context=set(analyze(text)))
    assert fake_assistant.extractor.abstention_reason(question, tax, [tax]) == "the best sentence is not about petr"
    petr = dataclasses.replace(tax, context=tax.context | {"petr"})
    assert fake_assistant.extractor.abstention_reason(question, petr, [petr]) != "the best sentence is not about petr"
    answer = fake_assistant.ask("Un EPCI peut-il appartenir à deux PETR ?")
    assert not answer.abstained and "plus d’un PETR" in answer.answer


def test_the_event_of_a_date_question_is_looked_for_past_the_passages_and_told_of_its_subject():
    from assistant.answer import best_unit, dated_passage

    hit = _hit_maker("petr.txt")
    shown = [hit(0, "Panorama des Pôles territoriaux et des Pays 2024"), hit(1, "Le Pays de Retz coopère.")]
    pasqua = hit(2, "Introduits dans la législation par la loi Pasqua de 1995, les Pays incarnent une organisation.")
    further, fetched = _fetcher(shown, pasqua)

    assert dated_passage("Quand les Pays ont-ils été créés ?", "fr", shown, further) == [shown[0], pasqua]
    assert dated_passage("Les Pays ont été créés par quel texte ?", "fr", shown, further) == [shown[0], pasqua]
    fetched.clear()
    assert dated_passage("Combien de Pays ?", "fr", shown, further) == shown and not fetched
    # the sentence telling the event of the question's subject, from further behind than the one of another subject
    question = Question.parse("Quand les Pays ont-ils été créés ?", "fr")
    assert question.event == "créés" and question.event_subject == ("pay",)
    petr = _unit("Les Pôles d'Équilibre Territoriaux et Ruraux (PETR), crées par la loi du 27 janvier 2014, ont vocation à coopérer.",
                 type_match=1.0)
    pays = _unit(pasqua.chunk.text, type_match=1.0)
    petr.score, pays.score = 10.5, 3.6
    assert best_unit([petr, pays], question) is pays
    # an elliptic part asks the date of the event of the part before, of its subject ("à l'origine" is no subject)
    part = Question.parse("Les Pays, ils ont été créés par quel texte à l'origine ? en quelle année ?", "fr")
    assert part.event == "créés" and part.event_subject == ("pay",)


def test_who_did_an_act_is_asked_by_par_quel_and_told_in_the_passive():
    from assistant.answer import done_by

    assert Question.parse("Les Pays, ils ont été créés par quel texte à l'origine ?", "fr").creating_act == "créés"
    assert Question.parse("Par qui l'ANPP a-t-elle été fondée ?", "fr").creating_act == "fondée"
    assert done_by("Introduits dans la législation par la loi Pasqua de 1995", "créés")
    assert not done_by("Création d'une commission mixte", "créés")


def test_what_a_thing_is_for_and_what_it_is_are_definitions_answered_by_what_it_is():
    from assistant.answer import best_unit

    for text in ("Concrètement, un PETR sert à quoi pour les intercommunalités qui le composent ?",
                 "À quoi sert un PETR pour les intercommunalités qui le composent ?",
                 "new at the PETR here - in one line, what is a PETR in relation to its member intercommunalities (EPCI)?"):
        question = Question.parse(text, "en" if text.startswith("new") else "fr")
        assert question.definition and question.defined_thing == "petr", text
    assert Question.parse("À quoi servent les contrats de réciprocité ?", "fr").defined_thing == "contrats de reciprocite"
    mission = _unit("Le PETR a pour mission de fédérer les communes et les EPCI membres.")
    tool = _unit("Un PETR est l'outil de ses EPCI pour mettre en oeuvre des missions.")
    mission.score, tool.score = 9.5, 7.6
    assert best_unit([mission, tool], Question.parse("What is a PETR in relation to its member EPCI?", "en")) is tool


def test_a_follow_up_about_a_level_takes_the_sentence_framed_by_it():
    from assistant.answer import opens_on

    regional = _unit("Au niveau régional, les représentants de l'ANPP seront associés aux comités régionaux de relance.")
    both = _unit("Mettre en place un outil de suivi des CRTE aux niveaux national et régional, où les territoires sont représentés.")
    assert opens_on(regional, ("regional", "level"), {"level": frozenset({"niveau"})})
    assert not opens_on(both, ("regional", "level"), {"level": frozenset({"niveau"})})


def test_who_signed_is_told_by_a_signature_and_an_article_question_names_the_french_code(fake_assistant):
    question = Question.parse("Which prefect signed the CRTE covering the Hautes-Alpes PETR?", "en")
    text = "Le PETR assure le relais auprès des partenaires financiers que sont l'État et la Région."
    features = {name: 0.0 for name in FEATURES} | {"coverage": 1.0, "window_coverage": 1.0, "context_coverage": 1.0}
    partners = Unit(0, 0, 90, text, features=features, score=99.0, context=set(analyze(text)), tokens=set(analyze(text)))
    assert fake_assistant.extractor.abstention_reason(question, partners, [partners]) == "the best sentence tells no signature"
    assert Question.parse("Which article of the French local authorities code (CGCT) sets out what a PETR is meant to do?",
                          "en").article_topic == ()
    # "publications" is no form of "publique"
    assert not set(analyze("publications")) & set(analyze("publique"))


def test_an_example_asked_of_the_slides_leans_on_the_previous_question():
    history = ["Les contrats de transition écologique, c'est une expérimentation lancée par quel ministère ?"]
    assert condense("Il y a un exemple concret dans les diapos ? Il porte sur quoi ?", history).startswith(history[0].rstrip(" ?"))


def test_a_request_to_name_them_asks_nothing_new_and_members_by_name_are_names(fake_assistant):
    from assistant.answer import ANSWER_KINDS, NAMES_QUESTION, question_terms

    assert set(question_terms("Please name each one.")) <= ANSWER_KINDS
    assert NAMES_QUESTION.search(Question.parse("Quelles communautés de communes sont membres du PETR ?", "fr").own_folded)
    answer = fake_assistant.ask("What exactly are the 3 key steps of the Absiskey / OTE methodology for becoming a PETR? Please name each one.")
    assert answer.abstained


def test_all_the_parties_is_no_frequency():
    from assistant.answer import FREQUENCY

    assert not FREQUENCY.search("doit imperativement associer toutes les parties prenantes")
    assert FREQUENCY.search("le comite se reunit tous les deux ans") and FREQUENCY.search("tous les mois")


def test_a_purpose_is_no_deadline():
    assert Question.parse("Jusqu'à quand je peux m'inscrire pour pouvoir voter ?", "fr").event is None
    assert Question.parse("Quelle est la date limite pour signer un CRTE ?", "fr").event == "signer"


def test_a_day_is_a_date_and_a_filler_is_no_topic():
    assert Question.parse("Et il a été signé où, et quel jour ?", "fr").expects == "date"
    assert Question.parse("On which day was it signed?", "en").expects == "date"
    question = Question.parse("Un PETR ça sert à quoi au juste, et sur quel type de territoire ?", "fr")
    assert question.defined_thing == "petr"  # not "petr ca"
    assert "just" not in question.terms
    deadline = Question.parse("Per the Absiskey offer, what's the deadline for that?", "en")
    assert "per" not in deadline.terms and "deadlin" not in deadline.terms


def test_a_preposition_asked_with_its_noun_prefers_the_sentence_saying_them_together():
    from assistant.answer import best_unit

    question = Question.parse("Un PETR ça sert à quoi ? sur quel type de territoire ?", "fr")
    assert question.asked_frame == ("sur", "territoir")
    assert Question.parse("Dans quel document ?", "fr").asked_frame is None  # a form word
    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "context_coverage": 0.6}
    passing = Unit(0, 0, 60, "Les pays et PETR seront attentifs à l'équité de traitement des territoires.",
                   features=features, score=12.9, context=set(analyze("pays PETR territoires")))
    where = Unit(1, 0, 60, "Les PETR ont vocation à être un outil de coopération sur les territoires situés hors métropoles.",
                 features=features, score=12.2, context=set(analyze("PETR territoires")))
    assert best_unit([passing, where], question) is where


def test_a_bare_phrase_after_a_refused_part_is_refused_too():
    from assistant.answer import merge_parts

    refused = ("Je ne trouve pas la réponse dans le corpus.", True, [], [], "no passage is close to the question")
    answered = ("Selon l'article L5741-1 CGCT, ce sont des établissements publics. [1]", False, [], [], None)
    first = "Quelle procédure suivre pour qu'un EPCI se retire d'un PETR ?"
    text, abstained, *_ = merge_parts([(first, [], refused), (f"{first} quel article du CGCT ?", [], answered)], "fr")
    assert abstained


def test_a_noun_of_another_kind_does_not_answer_of_the_kind_asked(fake_assistant):
    from assistant.answer import names_other_kind

    question = Question.parse("Quel article du CGCT encadre les pôles métropolitains ?", "fr")
    assert ("pole", "metropolitains") in question.qualified
    petr = _unit("Les Pôles d'Équilibre Territoriaux et Ruraux (PETR), crées par la loi du 27 janvier 2014.")
    assert names_other_kind(petr, "pole", "metropolitains")
    compared = _unit("Selon l'article L5741-1 CGCT, ce sont des établissements publics.",
                     previous="Ils sont en quelque sorte le pendant des pôles métropolitains.")
    assert names_other_kind(compared, "pole", "metropolitains")
    said = _unit("Ils sont en quelque sorte le pendant des pôles métropolitains.")
    assert not names_other_kind(said, "pole", "metropolitains")
    # the corpus must know that kind: the fake corpus names no "pôles métropolitains"
    fake_assistant.extractor.stats.folded_text += " le pendant des poles metropolitains"
    compared.language = petr.language = "fr"
    assert "not about pole" in fake_assistant.extractor.abstention_reason(question, compared, [compared])


@pytest.mark.parametrize("text, language, measure", [
    ("Combien d'euros France Relance consacre-t-il au total aux CRTE ?", "fr", "euros"),
    ("How much money in total did France Relance set aside for the CRTEs?", "en", "money"),  # read across languages
])
def test_the_measure_a_count_is_asked_in_is_not_its_topic(fake_assistant, text, language, measure):
    question = Question.parse(text, language)
    assert question.measure == frozenset(analyze(measure))
    lever = _unit("- Un effet levier de 4, soit 1 euro investi = 4 euros collectés", type_match=1.0)
    lever.language = "fr"
    assert "is about something else" in fake_assistant.extractor.abstention_reason(question, lever, [lever])


def test_a_question_put_again_more_precisely_is_one_question_and_what_a_thing_is_said_to_be_is_asked_of():
    from assistant.answer import best_unit
    from assistant.conversation import split_parts

    one = split_parts("En gros, un PETR c'est l'outil de qui ? de quelles structures ?")
    assert one == ["En gros, un PETR c'est l'outil de qui, de quelles structures ?"]
    question = Question.parse(one[0], "fr")
    assert question.asks_anew == ()  # not a follow-up asking anew of "structures"
    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "context_coverage": 0.6}
    english = Unit(0, 0, 60, "Implementation of this new tool must adapt to the existing structures.", features=features,
                   score=10.7, language="en", context=set(analyze("outil structures")))
    french = Unit(1, 0, 60, "Un PETR est l'outil de ses EPCI pour mettre en oeuvre des missions.", features=features,
                  score=8.3, language="fr", context=set(analyze("PETR outil EPCI")))
    assert best_unit([english, french], question) is french


def test_steering_is_told_by_the_french_pilotage_field():
    from assistant.glossary import french_stems_of

    assert set(analyze("Pilotage")) <= french_stems_of("Who steers the TRIDAN agreement?")["steer"]


def test_mid_session_question_forms():
    from assistant.glossary import synonyms

    assert Question.parse("According to the slides, what is a GIP (public interest group) used for?", "en").asks_why
    # "quand" opening a clause after "et" asks no date
    follow_up = Question.parse("Quel article précise le statut des PETR ? Et quand le texte ne dit rien de spécial, "
                               "ils suivent quelles règles ?", "fr")
    assert follow_up.expects is None and "rien" not in follow_up.terms
    assert set(analyze("soumis")) & set().union(*(synonyms(t) for t in analyze("suivent")))
    # a count asked again of a new topic counts that topic, not the one before
    again = Question.parse("Combien de SCoT sont portés à l'échelle des Pays ? Et pour les PCAET, ça fait combien ?", "fr")
    assert again.focus == ("pcaet",) and again.counted_words == ()


def test_a_later_part_naming_its_document_is_answered_from_it():
    from assistant.answer import best_unit
    from assistant.records import DocumentMeta

    slides = DocumentMeta(source="slides.txt", title="Diapositives", doc_type="fiche", date="2019", language="fr",
                          aliases=("diapos",))
    accord = DocumentMeta(source="accord.md", title="Accord", doc_type="accord", date="2021", language="fr",
                          aliases=("accord État-ANPP",))
    question = Question.parse("Le partenariat de Toulouse : c'est quel contrat d'après l'accord État-ANPP ? "
                              "qu'est-ce qu'il a produit selon les diapos ?", "fr", [slides, accord])
    assert question.own_documents == ("slides.txt",)
    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "context_coverage": 0.6}
    in_accord = Unit(0, 0, 60, "Des contrats de réciprocité, par exemple du Pays Portes de Gascogne avec Toulouse.",
                     features=features, score=9.7, source="accord.md", context=set(analyze("Toulouse contrat")))
    in_slides = Unit(1, 0, 60, "Le CRVC de Toulouse a abouti à la signature d'un Projet Alimentaire Territorial.",
                     features=features, score=8.6, source="slides.txt", context=set(analyze("Toulouse abouti")))
    assert best_unit([in_accord, in_slides], question) is in_slides


def test_an_english_article_question_says_laid_down_at_its_end():
    question = Question.parse("Under which article of the CGCT is the purpose of a PETR (its development remit within its "
                              "perimeter) laid down?", "en")
    assert question.article_topic == ("development", "rem", "perimet")
    assert Question.parse("Which CGCT article sets out how a PETR can be dissolved?", "en").article_topic == ("dissolved",)


def test_a_signature_block_is_no_answer_about_a_place_its_passage_never_names():
    block = Unit(0, 0, 60, "Pour l'État,\n\nBarbara POMPILI\n\nMinistre de la Transition écologique", score=10.0,
                 passage=set(analyze("Fait à Paris Pour l'État Barbara POMPILI Ministre de la Transition écologique")))
    cte = Question.parse("Sur quoi porte le contrat de transition écologique signé en Haute Côte-d'Or ?", "fr")
    assert not cte.may_ask_signatures(block)
    assert Question.parse("Qui a signé pour l'État à Paris ?", "fr").may_ask_signatures(block)


def test_when_a_signatory_signed_is_told_by_the_signed_at_line_of_the_block():
    from assistant.answer import best_unit, names_rare

    features = {name: 0.0 for name in FEATURES}
    passage = set(analyze("Fait à Paris, le 28 juin 2021 Pour l'État, Barbara POMPILI Ministre"))
    signed_at = Unit(0, 0, 29, "Fait à Paris, le 28 juin 2021", features=features | {"type_match": 1.0}, score=8.5,
                     source="accord.md", passage=passage)
    block = Unit(0, 30, 80, "Pour l'État,\n\nBarbara POMPILI\n\nMinistre", features=dict(features), score=13.6,
                 source="accord.md", passage=passage)
    question = Question.parse("Quand Barbara Pompili a-t-elle signé l'accord ?", "fr")
    assert best_unit([block, signed_at], question) is signed_at
    assert names_rare(signed_at, "Pompili", question)  # the line dates every signature of its passage


def test_a_thing_asked_for_what_prefers_the_sentence_saying_what_it_is_for():
    from assistant.answer import best_unit

    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "context_coverage": 0.6}
    partnership = Unit(0, 0, 60, "L'Etat et l'ANPP font du CRTE un outil partenarial et interterritorial.",
                       features=features, score=9.6, language="fr")
    simpler = Unit(1, 0, 60, "L'Etat et l'ANPP font du CRTE un outil de simplification des politiques publiques.",
                   features=features, score=8.8, language="fr")
    question = Question.parse("In the State-ANPP agreement, the CRTE is described as a tool for what?", "en")
    assert best_unit([partnership, simpler], question) is simpler
    assert best_unit([partnership, simpler], Question.parse("Le CRTE, c'est un outil pour quoi ?", "fr")) is simpler
    # an English noun whose stem is not its word ("agreement": "agreement" -> "agre") finds its French stems too
    pact = Unit(0, 0, 60, "Le CRTE est un accord partenarial et interterritorial.", features=features, score=9.6, language="fr")
    purpose = Unit(1, 0, 60, "Le CRTE est un accord de simplification des politiques publiques.",
                   features=features, score=8.8, language="fr")
    assert best_unit([pact, purpose], Question.parse("So the CRTE is an agreement for what?", "en")) is purpose


def test_money_asked_in_english_is_answered_by_a_french_sentence_naming_its_topic(fake_assistant):
    question = Question.parse("How much money in total did France Relance set aside for the CRTEs?", "en")
    told = _unit("Des crédits de France relance peuvent être mis en œuvre pour les CRTE : 4 euros.", type_match=1.0)
    told.language = "fr"
    assert "something else" not in (fake_assistant.extractor.abstention_reason(question, told, [told]) or "")


def test_english_questions_may_use_french_words_and_open_on_an_interjection(fake_assistant):
    from assistant.answer import merge_parts, own_words_of

    # "départements", written with its accents, is a French word the corpus knows, not a foreign one
    part = Question.parse("How many communities take part in TRIDAN, and spread over how many départements?", "en")
    assert "depart" not in fake_assistant.extractor.off_corpus(part)
    from assistant.glossary import french_stems_of

    assert set(analyze("contribuer")) <= french_stems_of("How is the ANPP supposed to feed into it?")["feed"]
    assert own_words_of("When was the MAPAM law voted? ok and when were the first ones supposed to be operational?") == (
        "and when were the first ones supposed to be operational?")
    follow_up = Question.parse("When was the MAPAM law voted? ok and when were the first ones supposed to be operational?", "en")
    assert follow_up.expects == "date" and follow_up.event_subject == ()  # "the first ones": of a kind named before
    # one sentence answering both parts is said once
    from assistant.answer import make_citation

    hits = fake_assistant.retriever.retrieve("TRIDAN", top_k=1)
    line = ("TRIDAN — Partenaires / échelle 5 Communautés de communes sur 3 départements [1]", False,
            [make_citation(1, hits[0], None, True)], [], None)
    text, abstained, *_ = merge_parts([("How many communities?", hits, line), ("over how many départements?", hits, line)], "en")
    assert not abstained and text.count("Communautés") == 1


def test_who_signed_for_a_party_is_its_block_however_far_behind():
    from assistant.answer import best_unit

    features = {name: 0.0 for name in FEATURES}
    title, passage = "Accord de partenariat Etat-ANPP", set(analyze("Pour l'État Barbara POMPILI Pour l'ANPP Josiane CORNELOUP"))
    state = Unit(0, 0, 40, "Pour l'État,\n\nBarbara POMPILI\n\nMinistre", features=dict(features), score=13.4,
                 title=title, passage=passage)
    anpp = Unit(0, 50, 90, "Pour l'ANPP,\n\nJosiane CORNELOUP\n\nPrésidente", features=dict(features), score=10.1,
                title=title, passage=passage)
    question = Question.parse("Which ministers signed the State–ANPP partnership agreement for the government? "
                              "And who signed it for the ANPP side?", "en")
    assert question.signed_for == ("anpp",) and best_unit([state, anpp], question) is anpp
    assert best_unit([state, anpp], Question.parse("Who signed for the State?", "en")) is state  # through the lexicon


def test_asked_acronyms_and_may_do_objects_said_by_a_pronoun():
    from assistant.records import DocumentMeta

    accord = DocumentMeta(source="accord.md", title="Accord", doc_type="accord", date="2021", language="fr",
                          aliases=("State-ANPP agreement",))
    question = Question.parse("In the 2021 State-ANPP agreement, what does the acronym CRTE stand for?", "en", [accord])
    assert question.asks_expansion_of() == "CRTE"  # not the ANPP, which names the document
    may = Question.parse("Notre communauté de communes est déjà dans un PETR, est-ce qu'elle peut aussi rejoindre "
                         "celui d'à côté ?", "fr")
    assert "petr" in may.may_do and "rejoindr" in may.may_do


def test_a_follow_up_subject_from_the_question_before_drops_words_the_corpus_never_uses(fake_assistant):
    question = Question.parse("Les Pays apparaissent dans la loi en quelle année, et avec quelle loi ? "
                              "Et ils ont été généralisés par quel texte, et quand ?", "fr")
    assert "apparaissent" in question.event_subject
    pays = _unit("Introduits dans la législation par la loi Pasqua de 1995, puis généralisés avec la LOADDT en 1999, "
                 "les Pays incarnent une organisation territoriale.", type_match=1.0)
    pays.language = "fr"
    reason = fake_assistant.extractor.abstention_reason(question, pays, [pays]) or ""
    assert "does not tell when" not in reason


def test_the_offer_calls_the_pays_countries_which_is_no_firm(fake_assistant):
    question = Question.parse("Dans l'offre d'accompagnement en anglais, quels cabinets proposent leur appui ?", "fr")
    vocation = Unit(0, 0, 90, "The vocation of these new closed joint unions is to offer Countries a new legitimacy.",
                    language="en")
    assert fake_assistant.extractor.firm_names(vocation, question) == ()


def test_a_plan_asked_by_supposed_is_no_event_and_a_date_heading_asks_a_date():
    follow_up = Question.parse("Which ministry launched the ecological transition contracts (CTE) experiment? "
                               "And when was their rollout supposed to happen?", "en")
    assert follow_up.expects == "date" and follow_up.event is None
    assert Question.parse("Date de création des PETR : la page des Hautes-Alpes et l'offre de conseil en anglais "
                          "sont-elles d'accord ?", "fr").expects == "date"


def test_a_count_among_a_whole_counts_the_part_named_after_it():
    asked = Question.parse("Sur l'ensemble des schémas de cohérence territoriale, combien sont portés à l'échelle des pays ?", "fr")
    assert "schémas" in asked.counted_words
    assert Question.parse("Parmi les 268 territoires, combien sont des PETR et combien des pays associatifs ?", "fr").counted == "PETR"
    assert Question.parse("Parmi les 268 territoires, combien des pays associatifs ?", "fr").counted == "pays"
    assert Question.parse("How many of the project territories are actually PETRs?", "en").counted == "PETRs"
    assert Question.parse("How many of the territories are there?", "en").counted_words == ()
    # a count asked without its noun counts the whole it is among; an adverb does not hide the noun
    assert Question.parse("Sur les 16 actions repérées, combien ont vraiment été réalisées ?", "fr").counted == "actions"
    assert Question.parse("Parmi les territoires, combien sont juridiquement des PETR ?", "fr").counted == "PETR"


def test_a_partitive_count_is_not_answered_by_the_count_of_the_whole(fake_assistant):
    answer = fake_assistant.ask("According to ANPP, how many of the project territories are actually PETRs, as opposed to Pays associations?")
    assert answer.abstained


def test_a_day_asked_is_not_answered_by_a_year(fake_assistant):
    from assistant.answer import DAY_DATE

    question = Question.parse("On what exact day and month was the Pasqua law (LOADT) promulgated?", "en")
    assert question.expects == "date" and question.asks_day
    assert not Question.parse("When was the Pasqua law passed?", "en").asks_day
    assert DAY_DATE.search("fait a paris, le 28 juin 2021") and DAY_DATE.search("on january 1st 2015")
    assert not DAY_DATE.search("la loi pasqua de 1995")
    answer = fake_assistant.ask("On what exact day and month was the Pasqua law (LOADT) promulgated?")
    assert answer.abstained


def test_the_government_is_the_state_a_signatory_block_is_for(fake_assistant):
    answer = fake_assistant.ask("Qui a signé l'accord de partenariat de juin 2021 pour le gouvernement ?")
    assert not answer.abstained and "POMPILI" in answer.answer


def test_a_comparison_of_two_documents_takes_of_each_the_unit_naming_the_place_asked_about():
    accord = DocumentMeta("accord.md", "Accord", aliases=("agreement",))
    slides = DocumentMeta("slides.txt", "Slides", aliases=("slides",))
    question = Question.parse("Pays de Retz and Nantes: how do the slides and the agreement each present that partnership?",
                              "en", [accord, slides])
    assert set(question.documents) == {"accord.md", "slides.txt"}
    both = dataclasses.replace(_unit("... à l'instar des contrats de réciprocité, du Pays de Retz avec Nantes métropole."), source="accord.md")
    levels = dataclasses.replace(_unit("Ces contrats comportent deux niveaux."), source="slides.txt", score=15.0)
    retz = dataclasses.replace(_unit("La métropole de Nantes coopère avec le PETR Pays de Retz."), source="slides.txt", score=12.0)
    model = AnswerModel(weights={name: 0.0 for name in FEATURES}, min_score=0.0, extra_margin=1.5)
    assert retz in choose_units([both, levels, retz], model, both, question)


def test_that_after_a_new_acronym_stands_for_it_not_for_the_count_before():
    question = Question.parse("Selon les chiffres ANPP, combien de PCAET sont portés au niveau des Pays ? "
                              "Et côté fonds LEADER pour la génération en cours, ça pèse combien ?", "fr")
    assert "PCAET" not in question.counted_words
    # without a new name, "cela" is the count before
    assert Question.parse("Combien de SCoT sont portés par les Pays ? Quelle part du total cela représente-t-il ?", "fr").counted == "SCoT"


def test_a_share_of_the_whole_asks_nothing_new_of_the_count_before():
    question = Question.parse("Combien de PCAET sont portés à l'échelle des pays d'après l'ANPP ? "
                              "Et ça fait quel pourcentage de l'ensemble ?", "fr")
    assert question.asks_anew == () and question.counted == "PCAET"


def test_an_english_follow_up_asking_anew_finds_its_words_in_french():
    from assistant.answer import best_unit

    features = {name: 0.0 for name in FEATURES} | {"coverage": 0.6, "context_coverage": 0.6}
    chaired = Unit(0, 0, 90, "Acteurs Le PNR porteur de cette ingénierie\nSuivi par un comité de pilotage co-présidé par les présidents",
                   features=features, score=9.5, language="fr")
    group = Unit(1, 0, 60, "Acteurs Un groupe de pilotage restreint associant des élus", features=features, score=6.7, language="fr")
    question = Question.parse("Which partner hosts the shared engineering? And who chairs the steering group that follows the mission?", "en")
    assert "chair" in question.asks_anew
    assert best_unit([chaired, group], question) is chaired


def test_an_adjective_before_the_attribute_is_not_the_attribute():
    assert Question.parse("What is the overall budget in euros earmarked for CRTEs?", "en").attribute == "budget"


def test_the_date_of_an_event_named_first_is_a_date_question():
    assert Question.parse("La date de création des PETR, est-ce que la page et l'offre donnent la même ?", "fr").expects == "date"


def test_how_a_thing_is_worded_asks_nothing_new_and_a_side_named_is_what_that_stands_for():
    question = Question.parse("Pour l'ANPP, le territoire de projet c'est un lieu de mise en commun des moyens ? Comment elle le formule ?", "fr")
    assert question.asks_anew == ()
    side = Question.parse("Les Pays, ils portent combien de contrats locaux de santé ? "
                          "Et côté plans climat-air-énergie, ça représente combien ?", "fr")
    assert "contrats" not in side.counted_words
