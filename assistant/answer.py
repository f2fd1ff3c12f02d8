"""Answer: pick the passage sentences that answer the question, cite them, or abstain.

Offline and extractive by default: every word of the answer is copied from a cited passage.

How the answer is chosen. The retrieved passages are cut into answer units: sentences, or whole
short blocks where the text is a slide field or a short list ("Acteurs  Pilotage : … / Animation :
…"). Each unit gets a few features (`FEATURES`): how much of the question it covers, alone, with
its heading, and with the sentence before it; its embedding similarity to the question; the rank
of its passage; whether it brings anything the question does not already say; whether it holds
the kind of answer asked for (a number for "combien", a date for "quand", a number or a span of
years for "quelle durée"). A linear model adds them up. Its weights, the abstention threshold and
the rule for adding a second or third unit are fitted on the eval set by `python -m assistant eval
--calibrate` and stored in `answer_model.json`.

A few question forms prefer a kind of unit over a slightly better-scoring one, and then add only
units of that kind: a number or a date when one is asked for, a signature block for "Qui a signé
l'accord ?" (not "des accords de méthode sont signés ..."), "Fait à Paris, le ..." for "Où l'accord
a-t-il été signé ?". Signature blocks answer nothing but who, when, where and what was signed. A
question that names a document and nothing else ("Quelle est la date de l'accord État-ANPP ?") is
about the whole document: its passages cover the question's words, and "Fait à Paris, le 28 juin
2021" answers it. A follow-up that only names a new topic ("Et la convention territoires
partenaires ?") is answered about that topic or not at all. "Quelle est la différence entre X et
Y ?" gets a unit about each side, not one naming both in passing. A slide field is answered under
its slide's title ("Entente interterritoriale TRIDAN — Acteurs Pilotage : ...").

When to abstain ("Je ne trouve pas la réponse dans le corpus."):
- the best unit scores below the calibrated threshold;
- none of the words of a French question is in the corpus ("Quelle est la recette de la tartiflette ?"),
  or three of four at least ("Tu as une bonne recette de pâte à crêpes ?"),
  or half of what a how-to question is about ("Comment obtenir un permis de chasse ?");
- the question names an acronym the corpus never mentions, even in its long form (SRADDET), or asks
  for an attribute it never mentions ("Quel est le budget ...", "Combien coûte ...");
- it asks what an acronym stands for, the glossary knows, and no passage spells it out;
- it asks for an attribute or a number or a date about a place or body the corpus never names
  ("Qui est le président du PETR du Briançonnais ?");
- the best unit does not name the attribute asked for ("Qui est le président du PETR ?", "Qui
  préside ...", "Quel est le nom du directeur ...");
- it asks for a number or a date and the best unit holds none, or none next to the question's words
  (in its sentence, or the sentence before when it refers back: "Ils ont été créés en 2014"), or
  none about the rare place or body the question names ("Combien de PETR compte la Bretagne ?"); a
  number the question itself gives is none ("la date limite de l'appel à projets DRAAF 2009");
- it asks for a specific attribute of a rare body and the best unit does not name the body ("Qui
  préside l'AdCF ?": not "les présidents de territoires de projet");
- it asks how many of something and the best unit does not name what is counted ("How many
  employees does the ANPP have?"), or has no number counting it ("within the 12 months");
- it asks for a number or a date of a year the best unit does not tell of ("Combien de CRTE ont été
  signés en 2022 ?"), or the date of an event the corpus never mentions ("Quand la loi MAPAM a-t-elle
  été abrogée ?");
- it asks who signed for a party no signatory block names ("for the Ministry of the Economy");
- it asks for the date of an event and the best unit does not tell of it ("En quelle année l'ANPP
  a-t-elle été fondée ?": not "les fonds européens 2021-2027"), or who did something and the best
  unit tells it was done without saying by whom ("une convention est rédigée en ce sens");
- it asks how to do something with a verb the corpus never uses ("Comment contester ... ?");
- it asks who came before or after a person it names, and the best unit does not tell;
- it asks what share of something, and the best unit does not name it ("Quelle part de
  l'enveloppe ... ?"), or asks for names ("Quelles communes ... ?") and the best unit gives none.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from .conversation import BARE_WH_PHRASE, LEADING_PRONOUN, THAT
from .glossary import (ENGLISH_TO_FRENCH, GLOSSARY, broader_acronyms, english_stems_for, expand_query, french_stems_of,
                       spelled_out, stems_both_ways, synonyms)
from .index import EmbeddingCache
from .records import Chunk, Citation, DocumentMeta, Hit
from .retrieve import named_documents, without_names
from .settings import Settings
from .text import (
    ARTICLE_RE,
    PARAGRAPH,
    QUESTION_WORDS,
    SIGNATORY,
    SIGNATURES_LABEL,
    SIGNED_AT,
    SIGNING_WORDS,
    analyze,
    content_terms,
    fold,
    is_answer_unit,
    is_signature,
    logical_lines,
    normalize_for_match,
    split_sentences,
    unit_spans,
)

REFUSAL = {
    "fr": "Je ne trouve pas la réponse dans le corpus.",
    "en": "I cannot find the answer in the corpus.",
}

MODEL_FILE = Path(__file__).with_name("answer_model.json")

FEATURES = (
    "coverage",  # IDF-weighted share of the question's terms found in the unit
    "context_coverage",  # ... in the unit plus its document title and section heading
    "window_coverage",  # ... in the unit plus the sentence before it ("Ils sont ..." needs it)
    "similarity",  # embedding similarity to the question, rescaled to [0, 1] for the embedder
    "passage_rank",  # 1 / rank of the passage the unit comes from
    "novelty",  # content words the question does not already contain (4 or more = 1)
    # The two below never answer (see `can_answer`) but stay in the fit: as negatives they teach
    # the weights what a non-answer looks like (dropping them costs about 1.5 points of accuracy).
    "is_question",  # the unit is itself a question ("- strategy of ... the PETRs?")
    "heading",  # the unit repeats its heading or the document title
    "type_match",  # the question asks for a number or a date and the unit holds one
    "type_missing",  # ... and the unit holds none
    "lead_match",  # a question term opens the unit
    "field",  # the unit is a slide field: it opens with a label the corpus repeats ("Enjeux", "Acteurs")
    "field_match",  # ... and the label is what the question asks about ("Quels enjeux ...")
    "defines",  # "Qu'est-ce qu'un X ?" and the unit defines X ("Un PETR est ...", "Objet ...")
    "length",  # log of the number of words, 60 words = 1
)

# A signature block ("Pour l'État, Barbara POMPILI, Ministre ...") answers who signed; the line
# above it ("Fait à Paris, le 28 juin 2021") where and when.
SIGNATURE_TOKENS = frozenset(analyze("signé signataires signature signed signatories"))
# What the "Fait à Paris, le ..." line tells beside signing: when or where the text was made.
SIGNING_TOKENS = SIGNATURE_TOKENS | frozenset(analyze(SIGNING_WORDS))
SURNAME = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý'-]{2,}\b")  # "POMPILI": a signatory block's line naming a person
MAX_ANSWER_CHARS = 900
CLOSEST_PASSAGES = 3  # shown, labelled as not answering, when the assistant abstains
OFF_TOPIC = "no passage is close to the question"  # the off-topic gate's reason (see `Extractor.off_topic`)
# Openings that refer back to the sentence before ("Ils ...", "Celle-ci ...", "Ces contrats ...").
ANAPHORIC_START = re.compile(
    r"(?:il|ils|elle|elles|ce|cela|ceci|celle-ci|celui-ci|ceux-ci|celles-ci|ces|cet|cette|leur|leurs|son|sa|ses|"
    r"they|it|this|these|those|their|its)\b", re.IGNORECASE
)
MAX_ANTECEDENT_CHARS = 300
# A sentence that goes on from the best one ("... auquel l'ANPP sera associée. Celle-ci s'engage à
# contribuer ... par des enquêtes") joins the answer from further behind than any other unit.
CONTINUATION_MARGIN = 3.0
# "Celle-ci s'engage à contribuer ... par des enquêtes": the subject is what the sentence before names
STANDS_FOR = re.compile(r"\s*(?:celle-ci|celui-ci|ceux-ci|celles-ci)\b", re.IGNORECASE)
# "Le CEREMA ... y seront associés": "y" before an auxiliary is what the sentence before names (not
# "s'y associer", which says more of its own subject)
REFERS_BACK = re.compile(r"(?<!s')\b[yY] (?:a|ont|avait|avaient|est|sont|etait|etaient|sera|seront|serait|seraient)\b")
# A number or a date is an answer only next to some of the question's words, in its sentence or the
# one before, not merely under a heading that names the topic ("560 millions via le programme
# LEADER" does not tell the ANPP membership fee; "le SDCI de 2011" on the TRIDAN slide does not
# tell when TRIDAN was created).
MIN_TYPED_COVERAGE = 0.05
# ... and the date of an event is the date of what the question says it happened to, half of its
# words at least ("le comité de pilotage national ... s'est-il réuni": not "réunir ... les acteurs")
MIN_EVENT_SUBJECT_COVERAGE = 0.5
# "Quel article du CGCT organise la conférence des maires ?": the article's sentence must name at
# least this share of what the article is asked to be about.
MIN_ARTICLE_TOPIC_SHARE = 0.5
NUMBERED_ARTICLE = re.compile(r"\barticles?\s+\d+", re.IGNORECASE)  # "Article 79 of this law"
ARTICLE_QUESTION = re.compile(r"\b(?:quel(?:le)?s? (?:article|disposition)s?|(?:which|what) (?:[a-z]+ )?(?:article|provision)s?)\b")
LAW_STEMS = frozenset(analyze("article articles code CGCT général collectivités territoriales loi law act "
                              "local government general territorial authorities french"))  # "the French local authorities code"
LAW_ACRONYM_STEMS = frozenset(analyze("CGCT MAPAM LOADT LOADDT NOTRe"))  # the law's own names, not what an article is about
DATE_WORDS = frozenset(analyze("année date jour mois fois première premier origine initialement "
                               "year day month time first originally"))  # "créés ... à l'origine"
# ... nor next to a number about another place or body than the one the question names ("Combien de
# PETR compte la Bretagne ?" is not answered by the national count). Names are capitalised words
# inside a French question that the corpus mentions, but rarely (in at most about 1 passage in 8):
# "France" is everywhere, and in English questions capitals mark common nouns too ("Parliament").
_NAME_WORD = r"[A-ZÉÈ][a-zà-ÿ]+(?:-[A-ZÉÈa-zà-ÿ][a-zà-ÿ]+)*"  # "Bretagne", "Hautes-Alpes"
NAME = re.compile(rf"(?<=[\w,;:'’] )(?:[a-zà-ÿ]+')?({_NAME_WORD})\b")
MIN_NAME_IDF = 2.0
# In English, capitals also mark institutions and nationalities ("When did Parliament vote ...",
# "the French territory"): a name counts only as a place, after a preposition and before no common
# noun ("the population of Marseille", "the president of the United States").
ENGLISH_PLACE = re.compile(r"\b(?:of|in|at|near|from) (?:the )?([A-Z][a-z]+(?:[- ][A-Z][a-z]+)*)\b(?![ -]+[a-z])")
# ... and a French name kept in English ("the Pays de Retz", "the Pays Portes de Gascogne")
FRENCH_NAME = re.compile(rf"\b(?:de|du|des|d')\s?({_NAME_WORD})\b")
# A definition must be about the whole topic of the question (with its heading or title).
DEFINITION_COVERAGE = 0.99  # extra units are added only while the answer stays under this

# "Combien ...?", "Quel montant ...?", "How many ...?": the answer is a number.
NUMBER_QUESTION = re.compile(
    r"\b(?:combien|(?:quel(?:le)?s? (?:est |sont )?|c'est quoi )(?:le |la |les |l')?(?:nombre|pourcentage|part|proportion|montant|taux|ratio|"
    r"budget|enveloppe|cout|population|effectif|somme|duree|seuil)|how (?:many|much|long)|"
    # "What total budget, in euros, ...?", "what minimum population ...?"
    r"what (?:(?:minimum|maximum|total|overall|exact|approximate) )?(?:share|percentage|proportion|ratio|amount|number|budget|population|"
    r"cost|sum|threshold|headcount)|"
    # "What is the ANPP's annual budget?", "What is the population covered by ...?"
    r"what (?:is|was|are|were) (?:the )?(?:[a-z-]+'s )?(?:(?:annual|yearly|total|overall|average) )?"
    r"(?:budget|population|percentage|proportion|share|ratio|amount|headcount|turnover|number of)|"
    # "Is there a minimum number of inhabitants ...?", "Y a-t-il un nombre minimum d'habitants ... ?"
    r"(?:minimum|maximum|minimal|maximal) (?:number|population|amount|size)|(?:nombre|seuil|montant|population|taille) (?:minimum|maximum|minimale?|maximale?)|"
    r"(?:donnez|donne|indiquez|precisez|give|state) (?:le |la |les |the )?(?:chiffres?|nombres?|pourcentages?|numbers?|figures?|percentages?))\b"
)
# "Combien de salariés ... ?", "How many employees ... ?": what is counted must be named by the answer
# (not a measure: "combien de temps", "combien d'euros").
# "combien de pistes d'action" counts actions too ("16 actions").
COUNTED = re.compile(
    r"\b(?:combien d(?:e |')|combien (?:sont|y a-t-il) (?:(?:encore|toujours|actuellement|deja|[a-z]{4,}ment) )?(?:des |de |d')?|(?:le |du )?nombre d(?:e |')|how many |"
    # "..., combien sont des PETR et combien des pays associatifs ?", "how many of the territories are PETRs?"
    r"combien des (?!\d)|how many of (?:the |these |those )?(?:[a-z-]+ ){1,3}(?:are|were) (?:actually |really |now |still |in fact )?(?!there\b)|"
    r"combien (?:reste|existe|subsiste|compte)-t-(?:il|on) (?:(?:encore|toujours|actuellement|deja|aujourd'hui) )?d(?:e |')|"
    r"combien (?:ont|avaient|possedent|prennent|ont pris|revetent) (?:le statut|la forme)(?: juridique)? (?:de |d'|du )?(?:un |une )?)"
    r"(?:(?:grand|grande|grands|grandes|principa(?:l|le|ux|les)|petit|petite|petits|petites|nouveaux|nouvelles|"  # "grandes étapes"
    r"differents|differentes|main|key|major|big|different) )?([a-z-]{3,})"
    r"(?: d(?:e |')([a-z-]{3,}))?"
)
COUNTED_NOUN = re.compile(r"\bcombien (?:sont|y a-t-il) (?:(?:encore|toujours|actuellement|deja|[a-z]{4,}ment) )?(?:des |de |d')[a-z-]{3,}"
                          r"|\bcombien des (?!\d)[a-z-]{3,}|\bhow many of (?:the |these |those )?(?:[a-z-]+ ){1,3}(?:are|were) "
                          # "Parmi les 268 territoires, combien ont le statut juridique de PETR ?" counts PETR
                          r"|\bcombien (?:ont|avaient|possedent|prennent|ont pris|revetent) (?:le statut|la forme)\b")
# "Parmi les schémas de cohérence territoriale, combien sont portés ... ?": what is counted is named first.
# "Sur l'ensemble des schémas ..., combien ... ?" too.
AMONG = re.compile(r"\b(?:parmi|among|of|out of|sur (?:l'ensemble|le total) d(?:es|e|u)|sur(?= (?:les|ces) \d)) (?:les |des |ces |the )?(?:\d+ )?([a-z-]{3,})[^?]*\b(?:combien|how many)\b")
# "Quels sont les quatre axes ... ?", "What are the three key steps?": the items, not their number.
ITEMS_QUESTION = re.compile(
    r"\b(?:quel(?:le)?s (?:sont )?(?:les |ces )|(?:what|which) (?:exactly |precisely )?(?:are|were) the |list the |name the |"
    r"(?:lister|listez|liste|enumerer|enumerez|citer|citez) (?:moi )?les |(?:la |the )?(?:liste|list) (?:des|of the) |"
    r"(?:c'est )?quoi (?:les |ces ))"
    r"(\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|two|three|four|five|six|seven|eight|nine|ten) ([a-z-]{3,})"
)
LIST_ITEM = re.compile(r"^\s*(?:[-•*»]|\d+[.)]|[a-z][.)])\s*\S", re.MULTILINE)
POPULATION_WORDS = "population habitants inhabitants residents"
POPULATION_ASKED = re.compile(rf"\b(?:{POPULATION_WORDS.replace(' ', '|')})\b")
# how an English question says that an article provides for something, not what it is about ("Under which
# article ... is the purpose of a PETR (its development remit within its perimeter) laid down?")
PROVISION_VERB_STEMS = frozenset(analyze("laid lay lays down set sets out within"))
CURRENCIES = {"euros", "argent", "money"}
MEASURES = {"temps", "jours", "semaines", "mois", "ans", "annees", "heures", "minutes", "fois", "euros", "argent",
            "time", "times", "days", "weeks", "months", "years", "hours", "money"}
# "Quelle est la durée ...", "How long ...": a number of days or years, or a span of years ("sur la
# durée du mandat 2020 – 2026").
DURATION_QUESTION = re.compile(
    r"\b(?:quel(?:le)?s? (?:est |sont |etait )?(?:la |les )?(?:durees?|periodes?)|combien de temps|"
    r"combien d(?:e |')(?:annees|ans|mois|semaines|jours)|how long|(?:what|which) (?:time )?(?:period|span|timeframe|time ?frame|duration)|how many (?:years|months|weeks|days)|"
    r"(?:over|for|during) (?:which|what) years|sur quelles annees)\b"  # "Over which years are the CRTE to run?": "2020 – 2026"
)
DURATION = re.compile(
    r"\b(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|a|an|one|two|three|"
    r"four|five|ten|twelve|fifteen)\s*(?:jours?|semaines?|mois|ans|annees?|heures?|days?|weeks?|months?|years?|hours?)\b"
)
YEAR_SPAN = re.compile(r"\b((?:1[89]|20)\d\d)\s*(?:[-–—/]|a|au|to)\s*((?:1[89]|20)\d\d)\b")  # on folded text
# "Quel délai ... ?", "What is the deadline for ...?": a delay or the moment it ends ("within the 12
# months following their creation", "before the end of July 2014"), not a date something happened
DELAY_QUESTION = re.compile(r"\bquels? (?:est |etait )?(?:le |les )?delais?\b|\b(?:what|which)(?:'s| is| was)? (?:the )?(?:deadline|time limit)s?\b")
DELAY = re.compile(r"\b(?:before|by the end of|no later than|within|avant|d'ici|au plus tard)\b")
# "Pour combien d'années ... est-elle conclue ?" asks a length in years, which "within the 12 months" is not
YEARS_QUESTION = re.compile(r"\bcombien d(?:e |')(?:annees|ans)\b|\bhow many years\b")
IN_YEARS = re.compile(
    r"\b(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|a|an|one|two|three|"
    r"four|five|ten|twelve|fifteen)\s*(?:ans|annees?|years?)\b|\bpluri-?annuel|\bmulti-?(?:year|annual)"
)
# "quand" / "when" ask for a date as the question word, not as a conjunction ("what differs when
# setting up a PETR?").
DATE_QUESTION = re.compile(
    r"(?:^\s*(?:(?:et|mais|and|but) )?(?:(?:ou|where) (?:et|and) )?(?:quand|when)|\b(?:depuis|jusqu'a|de) quand|\bquelle date|\bquel jour|\b(?:what|which) (?:exact |precise )?day\b|\bquelle (?:est|etait) la date|\bwhat (?:is|was) the date|\b(?:en |de )?quelle annee|"
    r"\bsince when|\bwhat date|\b(?:what|which) year|^\s*(?:(?:la|les) )?dates? d(?:e |')"  # "Date de création des PETR : ...", "La date de création des PETR, ..."
    r"|\b(?:what|which|quel|quelle) (?:is |was |est |etait )?(?:the |le |l')?(?:timeline|timetable|calendrier|echeancier))\b|\bquand\s*\?"
    r"|[,:]\s*(?:(?:et|mais|and|but) )?(?:quand|when)\b"  # after a frame: "D'après l'offre, quand ... ?"
)
# "Quand aucune disposition ne prévoit rien, ... de quel type de structure ?": "quand" opens a
# clause, and another word asks the question.
WHEN_CLAUSE = re.compile(r"^\s*(?:(?:et|mais|and|but) )?(?:quand|when)\b[^?]*,[^?]*\b(?:qui|que|qu'|quoi|quel|quelle|quels|quelles|comment|combien|pourquoi|"
                         r"what|which|who|how|why)\b")
# "Quelle part de l'enveloppe ... ?": what a share is of. Not an amount ("le montant des fonds
# LEADER": "560 millions via le programme LEADER"), nor in English, where an adjective comes
# first ("What share of the French population ...?").
PORTION_OF = re.compile(
    r"\bquel(?:le)?s? (?:est |sont |etait )?(?:le |la |les |l')?(?:part|proportion|pourcentage|taux)\s+(?:d(?:e |u |es |')(?:la |l')?)([a-z-]{3,})"
)
WHOLES = {"total", "ensemble", "tout", "tous", "toutes", "all", "whole"}
# "Qui présidait l'ANPP avant Josiane Corneloup ?", "Who succeeded Jacqueline Gourault?": a
# predecessor or a successor of a person the question names.
SUCCESSION = re.compile(
    r"\b(?:succed\w*|succession|successeurs?|predecesseurs?|preced\w*|remplac\w*|avant|apres|succeed\w*|"
    r"successors?|predecessors?|replac\w*|before|after)\b"
)
# "Quelles communes composent ... ?", "Comment s'appelle ... ?": the answer names them.
NAMES_QUESTION = re.compile(
    r"\b(?:(?:quels? sont )?les noms|le nom (?:des|de chaque)|quelles (?:communes|villes|communautes de communes)|comment s'appell(?:e|ent)|which (?:towns|cities|municipalities)|"
    r"(?:what are )?the names|"
    # "Quel a été le tout premier CRTE signé ?": one of them, by its name
    r"quel(?:le)? (?:a ete|etait|est|fut) (?:le|la) (?:tout |toute )?premi(?:er|ere)|(?:which|what) (?:was|is) the (?:very )?first)\b"
)
# "Which firms are behind the consulting offer?", "Quels sont les cabinets qui ... ?": bodies asked
# for by name ("Absiskey and OTE Ingénierie")
FIRMS_QUESTION = re.compile(
    r"\b(?:(?:quel(?:le)?s?(?: sont les)?|qui sont les) (?:cabinets?|entreprises?|societes?|bureaux d'etudes?|prestataires?|consultants?)|"
    r"(?:which|what|who are the) (?:firms?|companies|company|consultancies|consultancy|consultants?|consulting firms?))\b"
)
# "Quelles sanctions s'appliquent si ... ?", "What penalties apply if ...?": the answer tells a
# consequence ("une amende de 135 €", "à défaut, ..."), not what the rule is.
CONSEQUENCE_QUESTION = re.compile(
    r"\b(?:sanctions?|consequences?|penalites?|que se passe-t-il|qu'arrive-t-il|risque(?:nt)?|what happens|penalt(?:y|ies))\b"
)
CONSEQUENCE = re.compile(
    r"\b(?:sanction\w*|consequence\w*|penalit\w*|peines?|amendes?|a defaut|faute d|en cas d|sinon|suspen\w*|retir\w*|"
    r"retrait|annul\w*|penalt\w*|fines?|otherwise|unless|failing)\b"
)
PERSON = re.compile(r"\b[A-ZÉÈ][a-zà-ÿ]+(?:-[A-ZÉÈ][a-zà-ÿ]+)? [A-ZÉÈ][A-Za-zà-ÿ'-]+")  # "Josiane Corneloup"
# "Qui a rédigé la présentation ... ?": the act whose author is asked for.
AGENT_QUESTION = re.compile(r"^\s*(?:(?:et|mais) )?qui (?:a|ont|avait|avaient) (?:ete )?([a-z]{4,})\b"
                            r"|^\s*(?:(?:and|but) )?who (?:has |had )?([a-z]{4,}ed|wrote|set up)\b"  # "Who founded the ANPP?"
                            # "Qui finance le chef de projet ?": paying, in the present too
                            r"|^\s*(?:(?:et|mais) )?qui (?:les |la |le |l')?(?:co-?)?(financ(?:e|ent|era|eront))\b"
                            r"|^\s*(?:(?:and|but) )?who (?:co-?)?(funds|finances)\b")
# "Les Pays, ils ont été créés par quel texte à l'origine ?", "Par qui l'ANPP a-t-elle été fondée ?": who
# did an act asked in the passive (one of TOLD_ACT only: "ils sont signés par qui ?" is answered by the
# signing parties, "entre le préfet et le représentant des collectivités", without a "par")
DONE_BY_WHOM = re.compile(r"^.*\b(?:ete|sont|est)\s+([a-z]{4,})\s+par (?:quel|quelle|quels|quelles|qui)\b"
                          r"|^\s*(?:(?:et|mais) )?par (?:qui|quel|quelle|quels|quelles)\b.*\b(?:ete|sont|est)\s+([a-z]{4,})\b")
# Acts that bring a thing or a text into being, or pay for it: a sentence that does not tell the act does
# not tell who did it ("Who founded the ANPP?" is not answered by who signed for it, "Qui finance le chef
# de projet ?" by the sheet naming the chef de projet)
TOLD_ACT = re.compile(r"^(?:cre|fond|found|creat|establish|institu|instaur|introdu|redig|ecri|wrot|draft|author|concu|design|set up|financ|fund)")
AGENT_WINDOW = 5  # "lancée par le ministère", "Introduits dans la législation par la loi Pasqua"
PASSIVE_AUXILIARIES = {"est", "sont", "ete", "etait", "etaient", "sera", "seront", "soit", "soient", "is", "are", "was", "were", "been", "be"}
# "Quand la loi MAPAM a-t-elle été abrogée ?": the event a date question asks about.
FIRST_PERSON = re.compile(r"\b(?:je|j'|nous|i|we)\b[^.?!:,]{0,20}$")
# an adverb may come before it ("a-t-elle été officiellement signée", "was formally adopted")
EVENT = re.compile(r"\b(?:ete|etre|been|be|was|were|s'(?:est|sont)(?:-(?:il|elle|ils|elles))?)\s+(?:[a-z]{3,}(?:ment|ly)\s+)?([a-z]{4,})\b")
# "And the launch of the first ones, when was that planned?": a plan, which a date in the future tense
# tells ("will take place before the end of July 2014"), is no event of its own
PLANNED = {"planned", "scheduled", "expected", "intended", "foreseen", "supposed", "meant"}
# "When was that law voted?": the subject comes between the auxiliary and the event
INVERTED_SUBJECTS = {"that", "this", "these", "those", "the", "its", "their", "they"}
INVERTED_EVENT = re.compile(r"\b(?:was|were)\s+(?:the|that|this|these|those|its|their|they)\s+(?:[a-z]+\s+){0,3}?([a-z]{3,}(?:ed|en))\b")
# "When exactly was the contract between the Pays de Retz and Nantes métropole signed?": a long subject
LAST_WORD_EVENT = re.compile(r"^\s*(?:when|(?:in|on) (?:what|which) (?:year|date|day)|what year)\b.*\b(?:was|were)\b.*\s([a-z]{3,}(?:ed|en))(?:\s+(?:out|up|in|on|off|down|through|forward))?"
                             r"(?:\s+for the first time)?\s*\?*\s*$")  # "first tried out", "set up"
# "Jusqu'à quelle date les territoires avaient-ils pour signer leur CRTE ?": the act a deadline is for,
# which "s'inscrivent sur la durée du mandat 2020 – 2026" does not date
# (what one has until a date to do, or the deadline is for: not a purpose, "je peux m'inscrire pour pouvoir
# voter", nor a verb of lasting, "Les CRTE sont prévus pour courir jusqu'à quand ?")
DEADLINE_ACT = re.compile(r"\b(?:(?:avai(?:en)?t|ont|a|avons|avez|auront)(?:-t)?(?:-(?:il|elle|ils|elles|on))?|date limite|delai|echeance)"
                          r"\s+(?:\w+\s+){0,3}?pour\s+([a-z]{3,}(?:er|ir))\b|\b(?:have|has|had) to (?!(?:last|run|remain|stay|continue)\b)([a-z]{3,})\b")
# What follows a verb's root in its forms and the nouns made from it: "fond" + "ée", "ation",
# "ateur"; not the "s" of "fonds", which is another word.
PARTICIPLE_ENDS = ("ees", "ee", "es", "e", "ed")
VERB_FORM_END = re.compile(
    r"(?:e|es|ee|ees|er|ent|ait|aient|era|eront|ant|ation|ations|ateur|atrice|ement|ements|ed|ing|ion|ions|"
    r"i|ie|is|ies|ir|it|issent|issait|ira|iront)?"  # and an -ir verb's ("réuni", "réunir", "réunit")
)
# "Qui a signé l'accord pour l'ANPP ?", "Who signed for the Ministry of the Economy?": the party.
SIGNED_FOR = re.compile(r"\b(?:pour|for|au nom de|on behalf of)\s+(.+?)\s*[?.!]*$")
# "Comment obtenir un permis de chasse ?": a how-to question; its verb, then its object.
HOW_TO = re.compile(r"^\s*(?:comment|ou|a qui|aupres de qui)\s+([a-z]+(?:er|ir|re))\s+(.+?)\s*[?.!]*$")
# "Comment une collectivité peut-elle adhérer à l'ANPP ?", "Comment un PETR fait pour adhérer ... ?"
HOW_TO_MODAL = re.compile(
    r"^\s*comment\s+[^?]{0,60}?\b(?:peut|peuvent|doit|doivent|faut|fait pour|font pour|faire pour)"
    r"(?:-(?:t-)?(?:il|elle|ils|elles|on))?\s+(?:on\s+)?(?!(?:etre|avoir|faire)\b)([a-z]+(?:er|ir|re))\b"  # not "doit être décidé"
)
# "Quelle est la démarche pour quitter un PETR ?", "... pour qu'une communauté de communes quitte
# un PETR ?": the act a procedure is asked for (the verb before the object's article).
PROCEDURE = re.compile(
    r"\b(?:demarches?|procedures?|marche a suivre|formalites?|etapes?)\s+(?:a suivre\s+)?pour\s+"
    r"(?:([a-z]+(?:er|ir|re))\b|qu'[^?]*?\s([a-z]{4,})\s+(?:un|une|le|la|les|l'|des|du|son|sa|ses|leur)\b)"
)
# "Comment se déroule la dissolution d'un PETR ?": how a process goes; what it is of.
PROCESS = re.compile(r"^\s*comment\s+(?:se |s')([a-z]+)\s+(.+?)\s*[?.!]*$")
NEXT_QUESTION = re.compile(r"\s+(?:et|,)\s+(?:qui|que|quoi|quel\w*|quand|combien|comment|pourquoi|o[uù])\b", re.IGNORECASE)
# "Une communauté de communes peut-elle adhérer à deux PETR ?", "Can an EPCI belong to two PETRs?":
# whether something may or must be done. The answer says what may, may not or must be done.
ASKS_WHETHER_MAY = re.compile(
    r"\b(?:peut|peuvent|pourrait|pourraient|pourra|doit|doivent)-(?:t-)?(?:il|elle|ils|elles|on)\b|\best-il possible\b"
    r"|\best-ce qu(?:e |')(?:il|elle|ils|elles|on|un|une|le|la|les|l'|nos|notre)\b[^?,:]*?\b(?:peut|peuvent|pourrait|pourraient|pourra|doit|doivent)\b"
    r"|^\s*(?:can|could|may|must)\s"
    r"|\b(?:il|elle|ils|elles|on) (?:peut|peuvent|pourrait|pourraient|pourra|doit|doivent)\b"  # "..., elle peut en rejoindre un deuxième ?"
)
WH_WORD = re.compile(r"\b(?:comment|quand|qui|que|quoi|quel|quels|quelle|quelles|combien|pourquoi|where|what|which|who|how|when|why)\b")
MODAL = re.compile(r"\b(?:peut|peuvent|pourra|pourront|pourrait|doit|doivent|devra|devront|possible|impossible|interdit|"
                   r"autorise|autorises|can|cannot|may|must|allowed)\b")
# "Un PETR est-il un établissement public ?": what a yes-or-no question asks of its subject.
PREDICATE = re.compile(r"^(.*?)-(?:t-)?(?:il|elle|ils|elles|on)\s+(.+?)\s*[?.!]*$")
IS_IT_PREDICATE = re.compile(r"^\s*est-ce qu(?:e |')(.+?)\s+(?:est|sont)\s+(.+?)\s*[?.!]*$")  # "Est-ce que les PETR sont des ... ?"
# "Quel est le troisième axe ... ?": the number of the item asked for.
ORDINALS = {"premier": 1, "premiere": 1, "first": 1, "deuxieme": 2, "second": 2, "seconde": 2, "troisieme": 3,
            "third": 3, "quatrieme": 4, "fourth": 4, "cinquieme": 5, "fifth": 5, "sixieme": 6, "sixth": 6}
# after a determiner: "le troisième axe", "the second axis", not "Which law first brought ...?"
ORDINAL = re.compile(r"\b(?:le|la|les|l'|du|au|the|its|their)\s*(" + "|".join(ORDINALS) + r")\b")
SERIES_NUMBER = re.compile(r"\s*(?:[^\W\d]+\s+)?(\d{1,2})(?!\d)")  # "Axe 3 : ...", "3. ..."
SERIES_LABEL = re.compile(r"\s*([^\W\d]+)\s+\d{1,2}(?!\d)")  # "Axe" of "Axe 3 : ..."
MAX_SERIES = 6
# A heading's or list item's number: "6-Implementation of ...", "2) Les statuts".
ENUMERATION = re.compile(r"^\s*\d{1,2}\s*[-–.)]\s*(?=[^\W\d])")
# "How often does the committee meet?", "À quelle fréquence ... ?": how many times in a period
# ("chaque année", "deux fois par an", "régulièrement"), not a date or a count.
# "Combien de fois par an ... ?" asks how often; "Combien de fois se sont-ils réunis en 2021 ?", how many times.
FREQUENCY_QUESTION = re.compile(
    r"\b(?:how often|how frequently|a quelle frequence|a quel rythme|tous les combien"
    r"|(?:combien de fois|how many times)(?=[^?]{0,60}\b(?:par|chaque|per|a|each|every) (?:an|annee|mois|semaine|jour|trimestre|year|month|week|day)\b))"
)
FREQUENCY = re.compile(
    # "tous les deux ans", not "toutes les parties prenantes"
    r"\b(?:chaque|tou(?:s|tes) les (?:\w+ )?(?:ans|annees|mois|semaines|jours|trimestres|semestres)|par (?:an|mois|semaine|jour|trimestre)|fois|annuel\w*|mensuel\w*|hebdomadaire\w*|"
    r"trimestriel\w*|semestriel\w*|quotidien\w*|regulierement|periodiquement|every|annual\w*|monthly|weekly|yearly|"
    r"daily|quarterly|regularly|times? a)\b"
)
# "En quelle année ...", "What year ...": the answer is a year, not just any time.
YEAR_QUESTION = re.compile(r"\b(?:en |de )?quelle annee|\b(?:what|which) year\b")
# "Quand faut-il renouveler ... ?" may be answered by a delay or a moment, not only a date.
WHEN = re.compile(
    r"\b\d+\s*(?:jours?|semaines?|mois|ans|annees?|heures?|days?|weeks?|months?|years?|hours?)\b|"
    r"\b(?:lorsqu|des que|a partir d|au plus tard|avant l|apres l|chaque annee|as soon as|no later than)|"
    r"\bwithin (?:the )?(?:\d+|next|following|first|same)\b"  # not "within your structure"
)
# "Que signifie le sigle CRTE ?", "What does PETR stand for?": the answer spells the acronym out.
EXPANSION_QUESTION = re.compile(
    r"\b(?:sigle|acronyme|que (?:veut dire|signifie|designe)|nom complet|stand for|acronym)\b"
)
# "Quel est le budget ...", "What is the cost ...": the attribute asked for.
ATTRIBUTE_QUESTION = re.compile(
    r"\b(?:(?:quel(?:le)?s?|what|which) (?:est|sont|etait|etaient|is|are|was|were)|qui (?:est|sont|etait|etaient)|"
    r"ou (?:se trouve(?:nt)?|se situe(?:nt)?|est|sont)|who (?:is|are|was|were)|where (?:is|are)) "
    r"(?P<article>le |la |les |l'|leur |leurs |son |sa |ses |the |its |their )?(?:\d+ )?"  # "les 3 axes"
    r"(?:(?:overall|total|exact|precise|annual|global|main|approximate|estimated|actual) )?([a-z-]{3,})"  # "the overall budget"
)
# "Quelle question l'offre pose-t-elle ?", "The offer wonders how ...": the answer is a question.
QUESTIONS_QUESTION = re.compile(
    r"\b(?:quelles? (?:\w+ )?questions?|(?:which|what) (?:\w+ )?questions?|s'interroge|se demande|wonders?|asks? (?:how|whether|if))\b"
)
# "Qui a signé l'accord ?", "Who are the signatories?": the answer is a signature block ("Pour
# l'État, Barbara POMPILI, Ministre ..."), not a sentence that says "signé" ("des accords de méthode
# sont signés ...").
SIGNATORIES_QUESTION = re.compile(
    r"\b(?:(?:qui|quel(?:le)?s? \w+) (?:a|ont|avait|avaient) signe|signataires?|(?:who|(?:which|what) \w+) (?:has |have )?signed|"
    r"signator(?:y|ies))\b"
)
SIGNED_ASKED = re.compile(r"\bsigne(?:e|es|s)?\b|\bsigned\b")  # "Qui a signé ... ?", not "Quels sont les signataires ... ?"
SIGN_WORD = re.compile(r"\b(?:co-?)?sign")
# "Quelle est la différence entre un Pays et un PETR ?", "What is the difference between X and Y?"
DIFFERENCE_QUESTION = re.compile(
    r"\b(?:diff[ée]rences?|distingue(?:nt)?|difference|differs?)\b.*?\b(?:entre|between)\s+(.+?)\s+(?:et|and)\s+(.+?)\s*[?.]*$",
    re.IGNORECASE,
)
# A question word: the user's own words ask something themselves (see `form_words`).
INTERROGATIVE = re.compile(
    r"\b(?:qui|que|qu'|quoi|quel|quelle|quels|quelles|quand|combien|comment|pourquoi|ou|est-ce|"
    r"who|what|which|when|where|how|why|does|do|did|is|are|was|were|can|could|will|would|should|has|have|may|must)\b|-(?:t-)?(?:il|elle|ils|elles|on)\b"
)
# "And what about local health contracts?", "Et qu'en est-il des CLS ?": names a new topic and asks
# nothing of its own, as "Et pour les CRTE ?" does
TOPIC_ONLY = re.compile(r"^\s*(?:(?:and|et|mais|but) )?(?:what about|how about|qu'en est-il|quid)\b"
                        r"|\b(?:ca|cela) (?:donne|fait) (?:quoi|combien)\b|\bqu'est-ce que (?:ca|cela) donne\b")  # "Et pour les CLS, ça donne quoi ?"


def asks_itself(folded: str) -> bool:
    """Whether a (folded) follow-up asks a question of its own rather than naming a new topic."""
    return INTERROGATIVE.search(folded) is not None and TOPIC_ONLY.search(folded) is None


# "cette coopération", "ces accords": the topic of the question before; not "cette durée", which is
# the value it was answered with ("Et leur contenu reste-t-il figé pendant toute cette durée ?")
THIS_TOPIC = re.compile(r"\b(?:ces|cette|cet|these|those)\s+(?!(?:durees?|periodes?|dates?|annees?|delais?|chiffres?|montants?|"
                        r"nombres?|parts?|sommes?|periods?|durations?|figures?|amounts?|numbers?)\b)[a-z]")
# "Où l'accord a-t-il été signé ?": the "Fait à Paris, le ..." line.
WHERE = re.compile(r"^\s*(?:(?:et|and) )?(?:ou|where|(?:dans |en |in )?(?:quelle|which|what) (?:ville|city|town)|a quel endroit)\b")
PLACE_STEMS = frozenset(analyze("ville city town endroit"))
# "Under the MAPAM law, ...", "Selon le CGCT, ...": where the answer is, before what is asked
FRAME = re.compile(r"^\s*(?:under|according to|as per|per|in|selon|d'apr[eè]s|aux termes de|dans|sous)\b[^,?]{1,80},", re.IGNORECASE)
# "Qui a signé l'accord pour l'ANPP ? Et du côté de l'État, ce sont quels ministres ?": a follow-up
# naming only a party or the people who sign for it asks the same thing of another signatory
PARTY_STEMS = frozenset(analyze("côté État gouvernement ministre ministres ministère personnes noms représentant "
                                "représentants side State government minister ministers people names"))
# "Où faire la demande ?", "À qui je demande mon acte ?": the answer names a place, an office or a website.
WHERE_TO_ASK = re.compile(WHERE.pattern + r"|\b(?:a|aupres de) qui\b|\bto whom\b")
PLACE = re.compile(
    r"\b(?:en ligne|sur (?:le )?site|site (?:internet|web)|internet|mairie|(?:sous-)?prefecture|consulat|ambassade|guichet|"
    r"commissariat|gendarmerie|tribunal|agence|caisse|service|bureau|aupres d|par courrier|online|website|office)\b|\w\.(?:fr|gouv|com|org)\b"
)
# "Qui ...", "Quels cabinets ...", "Which consultancies ...": the answer may be who is named.
WHO_OR_WHICH = re.compile(r"^\s*(?:(?:et|and) )?(?:qui|quel|quels|quelle|quelles|who|which)\b")
# Questions a signature block may answer (with those about signing or dates).
WHO_WHEN_WHERE = re.compile(r"^\s*(?:(?:et|and) )?(?:qui|quand|ou|who|whom|when|where)\b|\b(?:par|a|pour) qui\b|\bon behalf\b")
# "Combien coûte l'adhésion ?", "How much does it cost?": the attribute asked for is the cost.
COST_QUESTION = re.compile(
    r"\bcombien (?:coute|coutent|a coute|ont coute|coutera)\b|\bcout(?:e|ent|era|er)? combien\b|\b(?:est|c'est) (?:payant|gratuit)e?s?\b|"
    r"\bhow much (?:does|do|did|will|would)\b.*\bcost\b|\bis (?:it|this|that) free\b"
)
MONEY_WORD = re.compile(r"\b(?:fees?|prices?|tarifs?|prix|cout|couts|honoraires|(?:daily|day|hourly) rates?)\b")
# A price answers a question about a cost or an amount without naming it ("Le passeport coûte 86 €"
# answers "Quel est le montant du timbre ?"; "La carte d'identité est gratuite").
MONEY_ATTRIBUTES = {"cout", "cost", "montant", "amount", "prix", "price", "tarif", "fee"}
# "Quel budget l'ADEME a-t-elle accordé ... ?": a sum of money, which "2 structures" is not
AMOUNT_QUESTION = re.compile(r"\b(?:quel(?:le)?s? (?:est |sont |etait |a ete )?|c'est quoi )(?:le |la |les |l')?(?:montant|budget|enveloppe|somme|cout)s?\b|"
                             r"\bcombien d'euros\b|\bhow much (?:money|funding)\b|\bwhat (?:(?:total|overall|annual|exact) )?(?:amount|budget|sum|fee|price)\b|"
                             r"\b(?:in|en) euros\b|"  # "What total budget, in euros, ...?"
                             # "How much does Absiskey charge ...?", "Combien coûte l'accompagnement ?"
                             r"\bhow much\b.*\b(?:charges?|charged|costs?|pay|pays|paid|spend|spent|fees?|price)\b|"
                             r"\bcombien\b.*\b(?:coute|coutent|coutera|facture|facturent|paye|payent|paie|paient)\b")
FREE = re.compile(r"\bgratuit|\bfree of charge\b")  # a price, and the answer to "combien"
# "Y a-t-il un nombre minimum d'habitants ... ?": a bound, which "47 % de la population" is not
BOUND_QUESTION = re.compile(r"\b(?:minim|maxim|seuil|plafond|threshold|ceiling|cap\b|at least|at most|au moins|au plus)")
BOUND = re.compile(r"\b(?:minim|maxim|seuil|plafon|threshold|ceiling|capped|at least|at most|no (?:more|less|fewer) than|"
                   r"up to|au moins|au plus|jusqu'a|plus de|moins de|more than|less than|fewer than|superieure? a|inferieure? a)")
# "560 millions via le programme LEADER" is money; "7 millions de français" is not
MONEY = re.compile(r"\d\s*(?:€|euros?\b|eur\b|k€|m€)|\d\s*(?:millions?|milliards?)\b(?!\s*d(?:e\s|')(?!euros))|" + FREE.pattern)
MIN_ATTRIBUTE_IDF = 1.5  # see `Extractor.specific`
# Off-corpus questions (see `Extractor.off_corpus`): none of the words of a French question is in
# the corpus. On the three eval sets French questions with two thirds of their words unknown are all
# unanswerable, but colloquial questions are not ("Mon gamin a besoin d'un passeport, c'est
# combien ?": "gamin", "besoin"), and users of a small corpus ask them; nor are short ones ("Les
# CRTE couvrent quelle période ?": "couvrent", "période"). Three quarters of four words or more
# unknown are ("Tu as une bonne recette de pâte à crêpes ?": all but "bonne"); on the twelve eval
# sets, no answerable question has more than 71 % of its words unknown.
OFF_CORPUS_SHARE = 1.0
MIN_UNKNOWN_TERMS = 2
MOSTLY_OFF_CORPUS_SHARE = 0.75
MIN_MOSTLY_UNKNOWN_TERMS = 3
# ... nor a quality: "Quelles sont les qualités attendues du projet ?" is answered by "stratégique, intégré et partagé"
ABSTRACT_ATTRIBUTES = {"role", "roles", "fonction", "fonctions", "poste", "postes", "titre", "titres", "title", "titles",
                       "position", "positions", "job", "jobs", "mission", "missions", "objectif", "objectifs", "but", "interet", "utilite",
                       "purpose", "aim", "goal", "goals", "function", "qualite", "qualites", "caracteristiques",
                       "particularites", "specificites", "features", "qualities", "characteristics",
                       # a firm is named, not called one ("Absiskey and OTE Ingénierie")
                       "cabinet", "cabinets", "prestataire", "prestataires", "firm", "firms", "companies",
                       "consultancies", "consultancy", "consultants",
                       # a delay is told by its length or its end ("within the 12 months following their creation")
                       "delai", "delais", "deadline", "deadlines"}
# "... ? Quelle part du total cela représente-t-il ?": a share is said with "soit 57%", not in these words
SHARE_STEMS = frozenset(analyze("part proportion pourcentage total ensemble représente représentent share percentage proportion whole"))
# "Et côté plans climat-air-énergie, ça représente combien ?": the side named is what "ça" stands for
SIDE = re.compile(r"\b(?:du )?cote (?:de |d'|des |du )?[a-z]")
# "... ? Comment elle le formule ?": how a thing is said asks for the words of the answer, no new topic
SAYING_STEMS = frozenset(analyze("formule formulent formulé exprime expriment exprimé qualifie qualifient phrase phrases phrased word words worded"))
SELF_CONTAINED_TERMS = 3  # a follow-up with this many new words asks a question of its own
ABSTRACT_STEMS = frozenset(analyze(" ".join(ABSTRACT_ATTRIBUTES)))
MODAL_STEMS = frozenset(analyze("doit doivent devait devaient devra devront devrait devraient peut peuvent pouvait pouvaient pourra pourront"))
LONG_FORM_STEMS = frozenset(stem for longs in GLOSSARY.values() for long in longs for stem in analyze(long))
# "Quel préavis ... ?", "Quelles sanctions ... ?": the noun after "quel" is what is asked for.
# Unknown to the corpus, it is another thing than the corpus tells of, unless it names the kind of
# answer (a year, a share, a topic: "Quelle proportion des habitants ... ?") or a kind of thing the
# answer names ("Quels cabinets proposent ... ?": "Absiskey and OTE Ingénierie").
HEAD_QUESTION = re.compile(
    r"^\s*(?:et |mais )?(?:[aà] |dans |pour |par |de |sur |en |avec |sous |selon )?(?:quel|quelle|quels|quelles)\s+"
    r"(?:(?:delai|type|sorte|forme|genre|nombre)s?\s+d(?:e |'|u |es ))?([a-z-]{3,})"
)
ANSWER_KINDS = frozenset(analyze(
    "année an mois jour période durée date délai moment horizon échéance époque calendrier "
    "pourcentage proportion part taux ratio montant budget enveloppe somme chiffre nombre "
    "position attitude posture avis événement enjeu enjeux sujet sujets thème domaine question texte document "
    "édition version qualificatif qualificatifs terme mot expression formule poste fonction rôle titre nom "
    "type forme genre sorte manière façon raison motif condition critère élément point aspect "
    "cabinet entreprise société organisme structure association acteur partenaire collectivité institution "
    "personne ministre ministère ville commune territoire département région agence bureau "
    "name names list each please nommer nommez citer citez lister listez chacun chacune merci"  # "Please name each one."
)) | ABSTRACT_STEMS  # "Quelles qualités ... attribue-t-elle au projet de territoire ?": "stratégique, intégré et partagé"
# Attributes that say how to answer, not what about ("le nom complet", "le troisième axe", "le
# nombre de PCAET").
FORM_ATTRIBUTES = {"nom", "intitule", "titre", "name", "title", "full", "first", "second", "third", "last", "main",
                   "premier", "premiere", "seconde", "dernier", "derniere",
                   "nombre", "number", "liste", "list", "date", "annee", "year", "difference", "differences"}
DOCUMENT_WORD = re.compile(r"\b(?:accord|agreement|document|texte|convention|partenariat|partnership)\b")
DEMONSTRATIVES = {"these", "those", "this", "that", "such", "ces", "cette", "cet"}
# "le nom du chef de projet": a person's name, not the role ("Josiane CORNELOUP", "M. Martin")
# (stricter than PERSON, which finds a name a user typed: here a surname in capitals, as the signatures write it)
PERSON_NAME = re.compile(r"\b(?:M\.|Mme|Mr|Mrs|Ms|Dr|Monsieur|Madame) [A-ZÉÈ]|"
                         r"\b(?!(?:Le|La|Les|Un|Une|Des|Du|The|Pour|Par|For)\b)[A-ZÉÈ][a-zà-ÿ]+(?:-[A-ZÉÈ][a-zà-ÿ]+)? [A-ZÉÈ]{2}[A-ZÉÈ'-]*\b")
# "Qui préside le PETR ?" asks for its president as "Qui est le président du PETR ?" does: the
# verb's stem is found in "présidente" and "présidés par".
ROLE_WORDS = {"president", "chair", "chairman", "chairwoman", "chairperson", "director", "head"}  # held by a person
PERSON_ROLES = ROLE_WORDS | {"chef", "cheffe", "directeur", "directrice", "presidente", "charge", "chargee", "responsable",
                             "coordinateur", "coordinatrice", "consultant", "consultante", "doctorant", "doctorante", "ministre",
                             "prefet", "manager", "coordinator", "minister", "prefect", "student", "lead"}
ROLE_QUESTION = re.compile(r"\b(?:qui|who) (?:(?:currently|now|presently|actuellement|aujourd'hui) )?"  # "Who currently chairs ...?"
                           r"((?:presid|dirig)(?:e|ent|ait|aient|era)|chairs|chaired|heads|headed)\b")
# "Quel est le nom du directeur ?", "What is the name of the director?": the director is asked for.
NAME_WORDS = {"nom", "name"}
NAME_QUESTION = re.compile(r"\b(?:nom|name|identite|identity) (?:du|de la|de l'|des|of the|of) ([a-z-]+)(?: ([a-z-]+))?")
NAME_OF = re.compile(r" (?:du|de la|de l'|des|of the|of) ([a-z-]{3,})")
# "Qu'est-ce qu'un PETR ?", "C'est quoi ...", "What is ...": the answer is a definition.
# "In plain terms, what is a PETR ...?", "En deux mots, c'est quoi ...": how to answer, before the question
CHAT_OPENING = (r"(?:(?:in (?:plain|simple|short|layman's) terms|in a nutshell|simply put|basically|briefly|in (?:a|one) (?:sentence|line)|"
                r"en (?:deux|quelques) mots|en (?:une|une seule|1) phrase|en (?:clair|bref|gros|resume|fait)|au fond|concretement|simplement)\s*,?\s*)?")
# "je débute au PETR : c'est quoi un PETR ?", "new at the PETR here - what is a PETR?": what the user
# says of themself before asking
PREAMBLE = r"(?:^|^[^?:]*(?::|\s[-–—])\s*)"
DEFINITION_QUESTION = re.compile(
    rf"{PREAMBLE}\s*{CHAT_OPENING}(?:qu'est[- ]ce qu|c'est quoi|qu'appelle-t-on|que (?:veut dire|signifie|designe)|a quoi (?:sert|servent)|"
    r"definition|definir|what (?:is|are) (?:a|an|the)?\b|define\b)"
    # "Comment la présentation définit-elle les Pays ?", "... présente-t-elle ce qu'est un Pays ?": what they are
    r"|^\s*comment\b.*\b(?:definit|definissent|decrit|decrivent|presente|presentent)\b|\bce qu'(?:est|sont)\b|\bce que sont\b"
    # "How does the page describe what a Pays actually is?", "... what a 'Pays' is?"
    r"|\bwhat (?:a|an) ['\"«]?\s?[a-z-]+(?: [a-z-]+){0,2}\s?['\"»]? (?:actually |really |exactly )?(?:is|are)\s*\?"
    # "Au fond, un PETR c'est quoi par rapport aux intercos ... ?"
    rf"|^\s*{CHAT_OPENING}(?:un|une|le|la|les|l') ?[a-z-]+,? {CHAT_OPENING}c'est quoi\b"
    # "Concrètement, un PETR sert à quoi pour les intercommunalités ... ?"
    r"|^(?:[a-z ]+, )?(?:une |un |les |le |la |l')[a-z-]+(?: [a-z-]+)?,? (?:ca |cela )?(?:sert|servent) a quoi\b"
)
DEFINING = re.compile(
    r"\b(?:est|sont|correspond(?:ent)?|designe(?:nt)?|consiste(?:nt)?|permet(?:tent)?|constitue(?:nt)?|incarne(?:nt)?|"
    r"represente(?:nt)?|a pour (?:objet|mission|vocation)|"
    r"ont (?:pour objet|vocation)|is|are|means|refers to)\b"
)
DEFINING_LABELS = {"objet", "definition", "purpose"}
SELF_DEFINING = re.compile(r"\bse (?:definit|definissent|caracterise|caracterisent|presente|presentent)\b")  # "Il se définit comme"
# "faire du CRTE un outil de simplification", "the PETR, a public body": what it is, without a verb.
WHAT_IT_IS = re.compile(r"^\W*(?:\([^)]*\)\W*)?(?:,\s*)?(?:un|une|a|an) (?:outil|cadre|instrument|dispositif|espace|tool|framework|body)\b")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
MIN_SECTION_NAME_STEMS = 2  # a one-word heading ("Objet", "Préambule") names nothing
DEFINED_TERM_LEAD = 25  # the term defined is the subject: among the sentence's first words
DEFINING_WINDOW = 6  # ... and the defining verb follows it closely
# A slide field opens with a short label, then two spaces or a capital: "Enjeux  Organiser ...",
# "Partenaires / échelle Le PNR ...", "Eléments déclencheurs  Constat ...".
FIELD_LABEL = re.compile(
    r"^\s*([A-ZÉÈ][\w’'-]*(?:\s+/\s+[\w’'-]+|\s+[a-zéèêà][\w’'-]*){0,2})(?:\s{2,}|\s+(?=[A-ZÉÈ«\d]))"
)
MIN_LABEL_PARAGRAPHS = 3  # a label opens at least this many paragraphs of the corpus
MIN_SHEET_FIELDS = 3  # a passage with this many slide fields is a sheet about one thing
# A unit holding the kind of answer asked for ("Combien ...": a number) or naming the attribute
# asked for ("Quelle est l'ambition ...") beats a better-scoring one that does not, by up to this
# much (anything from 1.5 to 3 gives the same eval results; 2.5 lets "ne peut appartenir à plus
# d'un PETR" answer "... est déjà membre d'un PETR ; peut-elle rejoindre un second PETR ?").
PREFERENCE_MARGIN = 2.5
# ... and a number followed by what is counted, by more: "268 Territoires" comes 2.7 behind a
# sentence naming "territoires de projet" without a number for "L'ANPP recense combien de
# territoires de projet au total ?"
COUNT_MARGIN = 4.0
# ... and a sentence saying whether two words of a "may it be done" question may be done, by more:
# "ne peut appartenir à plus d'un PETR" comes 2.5 behind the PETR's missions for "Notre
# communauté de communes peut-elle rejoindre un second PETR voisin ?"
MAY_DO_MARGIN = 3.5
# how far behind a sentence dating the event asked about, of its subject, may be and still win
EVENT_MARGIN = 10.0
MAX_LEAD_WORDS = 5  # the opening phrase that frames a sentence ("Au niveau régional, ...")
SHEET_TOLD = 3  # question words said by a sheet's other fields that tell which sheet is asked about
COUNT_SHEET_MARGIN = 4.0  # how far behind a count off the slide sheets may be and still beat a sheet's
# "qu'est-ce qu'un Pays", "ce qu'est un Pays", "what is a PETR": the thing defined, up to where
# the question goes on ("selon la page", "dans l'accord"), when it has an indefinite article (with "le",
# "la" the words after may be a clause: "qu'est-ce que l'accord prévoit dessus ?")
DEFINED = re.compile(r"(?:qu'est[- ]ce qu'|\bce qu'(?:est|sont) |c'est quoi )(?:un|une) "
                     r"([^?,;:]+?)\s*(?=\bselon\b|\bd'apres\b|\bdans\b|\bpour\b|\bvis-a-vis\b|\bpar rapport\b|[?,;:]|$)"
                     r"|\bce que sont (?:les|des) ([^?,;:]+?)\s*(?=\bselon\b|\bd'apres\b|\bdans\b|\bpour\b|[?,;:]|$)"
                     r"|\bwhat (?:is|are) (?:a|an) ([^?,;:]+?)\s*(?=\baccording\b|\bin\b|[?,;:]|$)"
                     r"|\bwhat (?:a|an) ['\"«]?\s?([a-z-]+(?: [a-z-]+){0,2}?)\s?['\"»]? (?:actually |really |exactly )?(?:is|are)\s*\?"
                     r"|^(?:[a-z ]+, )?(?:un|une) ([a-z-]+(?: [a-z-]+)?),? (?:[a-z ]+, )?c'est quoi\b"  # "Au fond, un PETR c'est quoi ... ?"
                     # "À quoi sert un PETR pour les intercommunalités ... ?", "Concrètement, un PETR sert à quoi ... ?"
                     r"|\ba quoi (?:sert|servent) (?:une |un |les |le |la |l')([^?,;:]+?)\s*(?=\bselon\b|\bd'apres\b|\bdans\b|\bpour\b|[?,;:]|$)"
                     r"|^(?:[a-z ]+, )?(?:une |un |les |le |la |l')([a-z-]+(?: (?!(?:ca|cela) )[a-z-]+)?),? (?:ca |cela )?(?:sert|servent) a quoi\b")
# "Qu'est-ce qu'une commune nouvelle ?": a thing is named in a few words; more ("qu'est-ce que
# l'accord avec l'État prévoit dessus ?") are a clause, which asks something else
MAX_DEFINED_TERMS = 3
NOT_DEFINED = re.compile(r"\b(?:supposed|meant|expected|going|able|to|doit|doivent|peut|peuvent|va|vont|fait|font)\b")
DEFINITION_SLACK = 1.0  # how far below the floor a sentence defining (or citing) what is asked about may score
DATED_SLACK = 2.0  # ... and one dating the event asked about, of its subject, or telling who did it (it says more than asked)
# "Quel montage contractuel ... ?", "Par quel canal ... ?" (MEANS_FORM): what it is done through,
# which the answer says with "via", "à travers"
ARRANGEMENT_QUESTION = re.compile(r"\bquel(?:le)?s? (?:montages?|type de (?:contrat|convention|montage)s?|formules?)\b"
                                  r"|\b(?:what|which) (?:kind|type|sort) of (?:contract|arrangement|agreement)s?\b"
                                  r"|\b(?:what|which) (?:contractual|legal) arrangements?\b")
# "Pourquoi ... ?", "Why were these unions created?": a sentence telling a purpose or a cause
# ("Qu'est-ce qui a conduit deux syndicats mixtes à signer ... ?": what triggered it)
WHY_QUESTION = re.compile(r"^\s*(?:et |and |mais |but )?(?:pourquoi|why)\b|\b(?:dans quel but|for what purpose|pour quelle raison|for what reason)\b"
                          r"|\bqu'est-ce qui (?:a |les a |l'a )?(?:conduit|amene|pousse|motive|incite|declenche)|"
                          r"^\s*what (?:led|prompted|drove|caused|triggered)\b"
                          # "What is a public interest group (GIP) for, ...?", "According to the slides, what is a GIP used for?"
                          r"|(?:^|[,:])\s*what(?:'s| is| are) [^?]+? for\s*(?:[,?]|$)")
PURPOSE = re.compile(r"\b(?:vocation|afin|parce qu|en raison|pour permettre|visant|vise|visent|ont pour objet|a pour objet|objectif|"
                     r"declencheurs?|suite aux?|a l'origine|in order|so as|so that|because|purpose|aims? to|designed to|able to|"
                     r"qui (?:permet|permettent) (?:a|aux|de|d'))")  # "qui permettent à des partenaires ... de mettre en commun"
# "les pôles métropolitains": a noun and the adjective that says which kind of it the question asks about
# (folded words; "pôles" is no "Pôles d'Équilibre")
KIND_ADJECTIVE = re.compile(r"[a-z]{3,}(?:ain|aine|al|ale|aux|ique|if|ive|el|elle|aire|ier|iere|ien|ienne)s?$")
# a thing a sentence compares its subject to is not what it is about ("Ils sont le pendant des pôles métropolitains")
COMPARED = r"(?:le |un |leur )?(?:pendant|equivalent|homologue|counterpart) (?:des |de la |de l'|du |de |d'|of (?:the )?)"
# "un PETR c'est l'outil de qui ?": what a thing is said to be, asked of; the answer says it is one ("Un PETR est l'outil de ses EPCI")
PREDICATE_NOUN = re.compile(r"\bc'est (?:l'|le |la |un |une )([a-z-]{3,}) (?:de |d'|pour )(?:qui|quoi|quel|quelle|quels|quelles)\b")
MEANS = re.compile(r"\b(?:a travers|via|par l'intermediaire|par le biais|grace a|au moyen|through|by means of)\b")
# "... described as a tool for what?", "un outil pour quoi ?": the noun with what it is for ("un outil de
# simplification"), not the noun with an adjective ("un outil partenarial")
NOUN_FOR_WHAT = re.compile(r"\b(?:a|an|un|une)\s+([a-z-]{3,})\s+(?:for|of|de|pour)\s+(?:what|quoi)\b")
# "... et sur quel type de territoire ?": a preposition and a noun asked about, which the answer says
# with the same preposition ("sur les territoires situés hors métropoles")
FRAMED_ASK = re.compile(r"(?:^|[?,;]\s*|\b(?:et|and)\s+)(sur|dans|avec|aupres d[eu']|on|with) (?:quel|quelle|quels|quelles|what|which)\s+"
                        r"(?:(?:types?|sortes?|genres?|kinds?|sorts?) (?:de |d'|des |of (?:the )?))?([a-z]+)")
# "le conseil de développement", "au comité syndical", "des conseils communautaires": a body named by
# its head and what follows it (not "l'offre de conseil", which is no body)
BODY = re.compile(r"\b(?:le|la|les|l'|au|aux|du|des|son|sa|ses|leur|leurs|un|une)\s+(conseils?|comites?|conferences?|"
                  r"commissions?|assemblees?)\s+(d'|de la |de l'|des |du |de )?([a-z][a-z-]{3,})")
NOUN_AND_COMPLEMENT = re.compile(r"([a-z]+)\s+(?:d'|de la |de l'|des |du |de )([a-z][a-z-]{3,})")  # "contrat de cohésion"
BODY_STEM = 4  # "regionaux" / "regional", "locaux" / "local": the complement's first letters
# "le comité doit-il ...", "le conseil peut ...": a verb after the body, no complement
BODY_VERBS = {"est", "sont", "etait", "etaient", "sera", "seront", "doit", "doivent", "devra", "peut", "peuvent", "pourra",
              "fait", "font", "avait", "aura", "ont", "a", "se", "s", "va", "vont", "reste", "restent", "existe", "existent"}
QUALITY_QUESTION = re.compile(r"\b(?:qualites?|qualificatifs?|caracteristiques?|qualifie|qualifient|qualifier|adjectifs?|"
                              r"qualities|characteristics|adjectives?)\b")
# "Quand l'accord arrive-t-il à échéance ?", "Jusqu'à quelle date reste-t-il en vigueur ?": an end,
# which the answer tells as one ("jusqu'en", "échéance", "sur la durée du mandat")
EXPIRY_QUESTION = re.compile(r"\b(?:expire|expires|expiry|expiration|echeance|reste(?:-t-il|-t-elle|nt)? en vigueur|"
                             r"date de fin|prend(?:-il|-elle)? fin|prendra(?:-t-il|-t-elle)? fin)\b")
ENDS = re.compile(r"\b(?:jusqu'|expir|echeance|fin\b|terme\b|until\b|ends?\b|ending\b|duree|renouvel|reconduit)")
# "Quel pourcentage des communes ... ?", "What share of ...?": a share, which a bare count is not
# ("2 communes rurales"): a percentage, a fraction or "N sur M"
SHARE_QUESTION = re.compile(r"\b(?:quel(?:le)?s? (?:est |sont |etait )?(?:le |la |les |l')?(?:pourcentage|proportion|part|taux)\s+(?:d|du|des|de)\b|"
                            r"what (?:share|percentage|proportion|fraction|part)\b)")
SHARE_VALUE = re.compile(r"\d\s?%|\b(?:pour ?cent|percent|moitie|tiers|quarts?|majorite|half|thirds?|quarters?|majority)\b|"
                         r"\bsur \d|\bout of \d")
# "est stratégique, intégré et partagé": a list of what something is
QUALITIES = re.compile(r"\b(?:est|sont|etre|is|are|be)\s+(?:[a-z-]+,\s*)+[a-z-]+,?\s+(?:et|and)\s+[a-z-]+")
ACRONYM = re.compile(r"\b(?!OK\b)[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b")  # "OK, ..." is no acronym
YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")
_MONTHS = (
    "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
MONTHS = re.compile(rf"\b(?:{_MONTHS})\b")
DAY_OF_MONTH = re.compile(rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b")  # "January 1st": the year follows
# A date to the day: "le 28 juin 2021", "January 1st 2015", "28/06/2021".
DAY_DATE = re.compile(rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{_MONTHS})\b|{DAY_OF_MONTH.pattern}|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b")
# "On what exact day and month ...?", "Quel jour précisément ... ?": a year is no answer.
DAY_ASKED = re.compile(r"\b(?:quel jour|(?:what|which) (?:exact |precise )?day|jour et (?:le |quel )?mois|day and month|"
                       r"date (?:exacte|precise)|(?:exact|precise) date)\b")
GIVEN_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# A quantity: digits that are neither a year nor a day of the month, or a number word ("un" and
# "une" are articles far more often than numbers).
NUMBER = re.compile(
    rf"\b(?!(?:1[89]|20)\d\d\b)\d+(?!\d|(?:er)?\s+(?:{_MONTHS})\b)"
    r"|\b(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|vingt|cent|mille|million|milliard|tiers|quart|moitie|"
    r"two|three|four|five|ten|hundred|thousand|third|half)s?\b"
    # "un" is an article, but "un mois", "une semaine" are durations ("dans un délai d'un mois")
    r"|\b(?:un|une|a|one) (?:jour|semaine|mois|an|annee|heure|day|week|month|year|hour)s?\b"
)


# ---------------------------------------------------------------------------------------------
# The model: weights and thresholds fitted on the eval set


@dataclass(frozen=True)
class AnswerModel:
    weights: dict[str, float]
    min_score: float  # the best unit must score at least this, or the assistant abstains
    extra_margin: float  # other units join the answer when they score within this of the best
    max_units: int = 3
    meta: dict = field(default_factory=dict)  # how and on what it was fitted
    # Off-topic gate: when no sentence of the passages reaches this similarity to the question
    # ("Comment faire une pâte à crêpes ?"), the assistant abstains, whatever words they share.
    # Across languages similarities run lower, hence the second threshold. 0 = no gate.
    min_similarity: float = 0.0
    min_similarity_crosslingual: float = 0.0

    @classmethod
    def load(cls, path: Path | str | None = None) -> "AnswerModel":
        data = json.loads(Path(path or MODEL_FILE).read_text(encoding="utf-8"))
        return cls(
            weights={name: float(data["weights"].get(name, 0.0)) for name in FEATURES},
            min_score=float(data["min_score"]),
            extra_margin=float(data["extra_margin"]),
            max_units=int(data.get("max_units", 3)),
            meta=data.get("meta", {}),
            min_similarity=float(data.get("min_similarity", 0.0)),
            min_similarity_crosslingual=float(data.get("min_similarity_crosslingual", 0.0)),
        )

    def to_dict(self) -> dict:
        return {"weights": self.weights, "min_score": self.min_score, "extra_margin": self.extra_margin,
                "max_units": self.max_units, "min_similarity": self.min_similarity,
                "min_similarity_crosslingual": self.min_similarity_crosslingual, "meta": self.meta}

    def similarity_floor(self, crosslingual: bool) -> float:
        return self.min_similarity_crosslingual if crosslingual else self.min_similarity

    def score(self, features: dict[str, float]) -> float:
        return sum(self.weights[name] * features[name] for name in FEATURES)


# ---------------------------------------------------------------------------------------------
# Term statistics and matching


URL = re.compile(r"https?://\S+")


class TermStats:
    """Inverse document frequencies over the indexed chunks: rare question words weigh more."""

    def __init__(self, chunks: list[Chunk]):
        df: Counter[str] = Counter()
        by_language: dict[str, Counter[str]] = {}
        expanded = [expand_query(chunk.sparse_text()) for chunk in chunks]
        self.document_stems: dict[str, set[str]] = {}  # what each document names, in any of its passages
        for chunk, text in zip(chunks, expanded):
            stems = set(analyze(text))
            df.update(stems)
            self.document_stems.setdefault(chunk.doc.source, set()).update(stems)
            by_language.setdefault(chunk.doc.language, Counter()).update(stems)
        self.n = max(len(chunks), 1)
        self.df = df
        self.df_by_language = by_language
        openings = Counter(
            fold(label) for chunk in chunks for paragraph in PARAGRAPH.finditer(chunk.text)
            if (label := field_label(paragraph.group(0))) is not None
        )
        self.field_labels = {label for label, n in openings.items() if n >= MIN_LABEL_PARAGRAPHS and analyze(label)}
        # stems the corpus only writes as an acronym: "pâte" is not the "PAT" of a projet alimentaire territorial
        # (the acronyms of the glossary count too: their long forms bring them into the statistics)
        capitals = re.compile(r"\b[A-Z]{2,5}\b")
        acronyms = [w for c in chunks for w in capitals.findall(c.text)] + list(GLOSSARY)
        words = " ".join(capitals.sub(" ", URL.sub(" ", c.text)) for c in chunks)  # not "pat-support-com" in a link
        self.acronym_only = set(analyze(" ".join(acronyms))) - set(analyze(words))
        self.acronym_words = {fold(acronym) for acronym in acronyms}  # "copil" is COPIL typed in lowercase
        # acronyms spelled out ("CLSM": "conseil local de santé mentale"), for the bodies the corpus names
        self.folded_text = " ".join(" ".join(fold(text).split()) for text in expanded)

    def field_label(self, text: str) -> str | None:
        """The label `text` opens with, when the corpus uses it as a slide-field label."""
        label = field_label(text)
        return label if label is not None and fold(label) in self.field_labels else None

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))

    def rarity(self, text: str) -> float:
        """The highest IDF among the stems of `text` (0 when it has none)."""
        return max((self.idf(stem) for stem in analyze(text)), default=0.0)

    def names_body(self, head: str, complement: str) -> bool:
        """Whether the corpus names a body with that head and complement ("comité ... de relance":
        "comités régionaux de relance"), up to their endings and one word between them."""
        head = head.rstrip("sx")
        return re.search(rf"\b{re.escape(head)}[sx]?\s+(?:[a-z-]+\s+)?(?:d'|de la |de l'|des |du |de |aux? )?"
                         rf"{re.escape(complement[:BODY_STEM])}", self.folded_text) is not None

    def known(self, text: str) -> bool:
        """Whether every stem of `text` occurs somewhere in the index (in the singular or the plural:
        the stemmer keeps the "x" of "enjeux", "lieux")."""
        stems = analyze(text)
        return bool(stems) and all(self.df.get(stem, 0) > 0 or self.df.get(f"{stem}x", 0) > 0
                                   or (stem.endswith("eux") and self.df.get(stem[:-1], 0) > 0) for stem in stems)


def field_label(text: str) -> str | None:
    match = FIELD_LABEL.match(text)
    return match.group(1) if match else None


# Stems that share a start without sharing a meaning: "habitants" stems to "habit", "habitat" to itself.
FALSE_FRIENDS = {"habit": {"habitat"}, "commun": {"communaut"}}  # a commune is no communauté (de communes)


def term_found(term: str, tokens: set[str]) -> bool:
    """A question stem is found when a token equals it, shares its start, or is a listed synonym.

    Prefixes make up for the stemmer's gaps on verbs and derived nouns ("déclenché" -> "declench",
    "déclencheurs" -> "declencheur"); five letters at least, so short stems do not match by chance.
    """
    forms = synonyms(term)
    # "appliquer" stems to "appliqu", "applicable" to "applic": the -quer verbs' nouns spell it "c"
    forms |= {form[:-2] + "c" for form in forms if form.endswith("qu") and len(form) >= 6}
    # "s'inscrit" stems to "inscrit", "s'inscrivent" to "inscriv": the -ire verbs change their stem
    forms |= {form[:-1] for form in forms if form.endswith("it") and len(form) >= 7}
    for form in forms:
        if form in tokens:
            return True
        if len(form) >= 5 and any((tok.startswith(form) or (len(tok) >= 5 and form.startswith(tok)))
                                  and tok not in FALSE_FRIENDS.get(form, ()) for tok in tokens):
            return True
    return False


def coverage(terms: list[str], tokens: set[str], stats: TermStats) -> float:
    """IDF-weighted share of the question's terms found among `tokens`."""
    total = sum(stats.idf(t) for t in terms)
    if not terms or total <= 0:
        return 0.0
    return sum(stats.idf(t) for t in terms if term_found(t, tokens)) / total


@lru_cache(maxsize=65536)  # the corpus's sentences and passages come back question after question
def tokens_of(text: str) -> frozenset[str]:
    return frozenset(analyze(expand_query(text))) | implied_counts(text)


# "ne peut appartenir à plus d'un PETR" speaks of two PETR ("membre de deux PETR à la fois ?")
MORE_THAN_ONE = re.compile(r"\bplus d['’]une?\b|\bmore than one\b", re.IGNORECASE)
TWO = frozenset(analyze("deux two deuxième second seconde"))  # "en rejoindre un deuxième": "plus d'un PETR"


NUMBER_WORDS = {"deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6", "sept": "7", "huit": "8", "neuf": "9",
                "dix": "10", "two": "2", "three": "3", "four": "4", "five": "5", "seven": "7", "eight": "8", "nine": "9", "ten": "10"}


ENUMERATION_UNITS = 5  # the best units, where the sentence announcing the items is
UNLISTED = "the best sentence counts the items asked for without listing them"


def unlisted_announcement(question: "Question", units: list["Unit"]) -> "Unit | None":
    """When the question asks for a given number of items ("Quels sont les quatre axes ... ?") and
    the best units that name that number of them only announce it ("4 axes de coopérations
    envisagés", "structured around 3 key steps:"), with no item after it, in themselves or in the
    list that follows them: the first such announcement. None otherwise."""
    match = ITEMS_QUESTION.search(question.own_folded)
    if match is None:
        return None
    number, noun = NUMBER_WORDS.get(match.group(1), match.group(1)), stems_both_ways(match.group(2))
    announced = None
    for unit in sorted(units, key=lambda u: -u.score)[:ENUMERATION_UNITS]:
        for found in NUMBER.finditer(unit.text.lower()):
            if NUMBER_WORDS.get(fold(found.group(0)), found.group(0)) != number or not any(term_found(t, counted_after(unit.text, found.end())) for t in noun):
                continue
            announced = announced or unit
            # after the noun: items after a colon, on lines, or between commas ("deux niveaux : le
            # dialogue ... ; le regroupement ...")
            items = [part for part in re.split(r"[\n;,:]| et | and ", unit.text[found.end():])[1:] if part.strip(" .")]
            next_items = LIST_ITEM.findall(unit.following.split("\n\n", 1)[0]) if unit.following.strip() else []
            if len(items) + len(next_items) >= 2:
                return None
    return announced


def implied_counts(text: str) -> frozenset[str]:
    """The stems of the counts a text speaks of without writing them: "plus d'un" is two."""
    return TWO if MORE_THAN_ONE.search(text) else frozenset()


# "tous deux", "both": a comparison's form, not its topic ("tous volontaires" must not match); "en
# deux mots", "briefly": how to answer, and no count.
BOTH = re.compile(r"\b(?:tou(?:te)?s (?:les )?deux|[àa] la fois|l['’]une? et l['’]autre|both|en (?:deux|quelques) mots|"
                  r"de la m[êe]me (?:fa[çc]on|mani[èe]re)|(?:in )?the same way|"
                  r"in (?:a few|two) words|briefly)\b", re.IGNORECASE)


# "Quelles formes d'ingénierie ...", "What kind of engineering ...": the kind word says what is
# asked of the noun after it, and matches the wrong sentence ("la forme juridique").
KIND_OF = re.compile(r"\b(?:formes?|types?|sortes?|genres?|kinds?|sorts?)\s+(?=d['’]|de |des |of )", re.IGNORECASE)


# "À quoi servent-ils ?": asks what something is for, which the answer says with "afin de",
# "pour", "permet" and never with "servir".
_SERVES = r"(?:sert|servent|servira|serviront|servait|servaient|servir)"
PURPOSE_FORM = re.compile(rf"\b(?:[àa] quoi|what)\s+(?:(?:peut|peuvent|pourrait|pourraient|va|vont)\s+)?{_SERVES}\b"
                          rf"|\b{_SERVES}(?:-(?:t-)?(?:il|elle|ils|elles|ce))?\s+[àa] quoi\b"
                          rf"|\b(?:ca|cela|il|elle|ils|elles)\s+{_SERVES}\s+[àa]\s+faire\b", re.IGNORECASE)  # "ça sert à faire coopérer qui ?"


# "L'animation, elle revient à qui ?": asks who, as "Qui anime ... ?" does
FALLS_TO = re.compile(r"\b(?:revient|reviennent|reviendra|incombe|incombent|incombera)\s+(?:[àa]|au|aux)\s+qui\b"
                      r"|\b[àa] qui\s+(?:revient|reviennent|reviendra|incombe|incombent|incombera)\b", re.IGNORECASE)
# "Par quel canal les Pays participent-ils au pilotage ?": asks how, which the answer says with "à
# travers", "par", "via" and never with "canal"
MEANS_FORM = re.compile(r"\b(?:par|[àa] travers|through|by)\s+(?:quel(?:le)?s?|what|which)\s+"
                        r"(?:canal|canaux|biais|moyens?|voies?|interm[ée]diaires?|channels?|means|route)\b", re.IGNORECASE)
# "... ? à quelle condition ?": the answer tells a condition ("lorsque ceux-ci donnent satisfaction"),
# rarely in the word itself
CONDITION_FORM = re.compile(r"\b(?:[àa]|sous|under|on|upon) (?:quelles?|what|which) conditions?\b|\bdans quels? cas\b|\bin (?:which|what) cases?\b",
                            re.IGNORECASE)
CONDITION = re.compile(r"\b(?:lorsqu\w*|si|s'ils?|a condition|des lors qu\w*|pourvu qu\w*|sous reserve|when|if|provided|unless|sauf)\b")
# "... et à quel titre l'accord les mentionne-t-il ?": asks in what capacity, which the answer says
# with "à l'instar des contrats de réciprocité", "as", and never with "titre"
CAPACITY_FORM = re.compile(r"\b[àa] quel titre\b|\ben quelle qualit[ée]\b|\bin what capacity\b", re.IGNORECASE)
# "How long does it last?": asks a duration, which the answer gives ("2020 – 2026") without "long" or "last"
DURATION_FORM = re.compile(r"\bhow long (?:does|do|will|did|is|are) (?:it|they|this|that) (?:last|run|lasts|runs)\b"
                           r"|\bcombien de temps (?:dure|durent|durera|dureront)(?:-t)?-(?:il|elle|ils|elles)\b", re.IGNORECASE)
# "What did it lead to?": asks a result, which the answer says with "a abouti à", not "lead" (LEADER's stem)
RESULT_FORM = re.compile(r"\b(?:lead|leads|led|leading) to\b|\bresult(?:ed|s)? in\b", re.IGNORECASE)
# "Et côté contrats locaux de santé, ça donne quoi ?": chat words for "what about", not the topic
CHAT_FORM = re.compile(r"\b(?:du |de |au )?c[ôo]t[ée]\b(?! d['’]or)|\bau fond\b|\bpar rapport (?:aux?|à|a)\b|\b(?:[çc]a|cela) donne (?:quoi|combien)\b|\bqu['’]est-ce que (?:[çc]a|cela) donne\b",
                       re.IGNORECASE)
# "La signature a eu lieu quand ?": the event happened, in no place
TOOK_PLACE = re.compile(r"\b(?:a|ont|aura|auront|avait|avaient|aurait|avoir|va avoir|vont avoir)\s+(?:eu\s+)?lieu\b", re.IGNORECASE)


def question_terms(question: str) -> list[str]:
    """Content stems of the question (stopwords, question words, "tous deux", "quelles formes
    de", "à quoi sert", "revient à qui", "a eu lieu", "par quel canal", "à quelle condition", "à quel
    titre", "how long does it last", "lead to" and "côté ..., ça donne quoi" removed)."""
    for form in (BOTH, KIND_OF, PURPOSE_FORM, FALLS_TO, TOOK_PLACE, MEANS_FORM, CONDITION_FORM, CAPACITY_FORM, DURATION_FORM, RESULT_FORM, CHAT_FORM):
        question = form.sub(" ", question)
    return content_terms(question)


@dataclass(frozen=True)
class Question:
    text: str
    terms: list[str]
    expects: str | None  # "number", "duration", "year", "date", "frequency" or None
    language: str
    definition: bool = False  # asks what something is
    documents: tuple[str, ...] = ()  # sources of the documents it names ("selon l'accord de 2021")
    asks_questions: bool = False  # "Quelles questions l'offre soulève-t-elle ?": the answer is itself a question
    asks_signatories: bool = False  # "Qui a signé l'accord ?"
    whole_document: bool = False  # names a document and nothing else ("Quelle est la date de l'accord État-ANPP ?")
    # A follow-up that only names a new topic ("Qui pilote l'entente TRIDAN ? Et la convention
    # territoires partenaires ?"): the answer must be about it, not the previous question's topic.
    focus: tuple[str, ...] = ()
    # "Quelle est la différence entre un Pays et un PETR ?": the terms of each side; the answer
    # gets a unit about each.
    sides: tuple[tuple[str, ...], ...] = ()
    # A follow-up that asks something new of the same topic ("Qu'est-ce qu'un PETR ? Et comment
    # est-il financé ?"): its new words; an answer that says nothing of them repeats the last one.
    asks_anew: tuple[str, ...] = ()
    # Sections the question names by their heading ("Quelles collectivités sont signataires de la
    # Convention territoires partenaires ?"): the answer comes from them, not the accord's signatures.
    sections: tuple[str, ...] = ()
    document_words: frozenset[str] = frozenset()  # stems of the names it names documents by ("l'offre d'Absiskey")
    # of those, the ones a later part names in its own words ("... d'après l'accord ? qu'est-ce qu'il a produit
    # selon les diapos ?": the slides)
    own_documents: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str, language: str, documents: Iterable[DocumentMeta] = (), sections: Iterable[str] = ()) -> "Question":
        """`documents`, `sections`: those of the retrieved passages, which the question may name."""
        folded = form_words(text)
        stripped, own_text = text.strip(), own_words_of(text)
        focus, asks_anew = (), ()
        if own_text != stripped:
            before = set(question_terms(stripped[:len(stripped) - len(own_text)]))
            new = tuple(t for t in question_terms(own_text) if t not in before)
            # a role or a function is stated without being named ("Et quelle fonction occupe-t-elle ?": "Présidente")
            # "Et dans quelle ville ?" asks where, which the "Fait à Paris" line tells without saying "ville"
            if WHERE.search(fold(own_text)):
                new = tuple(t for t in new if t not in PLACE_STEMS)
            focus, asks_anew = (((), tuple(t for t in new if t not in ABSTRACT_STEMS | SHARE_STEMS | SAYING_STEMS)) if asks_itself(fold(own_text))
                                else (new, ()))
        expects = ("frequency" if FREQUENCY_QUESTION.search(folded) else "duration" if DURATION_QUESTION.search(folded)
                   else "number" if NUMBER_QUESTION.search(folded)
                   else "year" if YEAR_QUESTION.search(folded)
                   else "date" if (DATE_QUESTION.search(folded) and not WHEN_CLAUSE.match(folded)) or DELAY_QUESTION.search(folded)
                   else None)
        named = named_documents(text, {doc.source: doc for doc in documents}.values())
        # the documents' names say where to look, not what to look for
        # A follow-up that asks a whole question of its own ("Et au niveau régional, qui sera associé
        # aux comités de relance ?") is answered on its words: the previous question's ("Qui pilote
        # l'outil de suivi des CRTE ?") only brought the passages.
        # ... unless it opens on a pronoun standing for the previous answer ("Ça représente quelle proportion du total ?")
        # ... or says "cela" for it ("... ? quelle part du total cela représente-t-il ?"), or names it
        # by a demonstrative ("sous quelle forme l'accord cite-t-il cette coopération ?")
        leans_back = (LEADING_PRONOUN.match(fold(own_text)) or THAT.search(CHAT_FORM.sub(" ", fold(own_text)))
                      or THIS_TOPIC.search(fold(own_text)))
        asked = own_text if len(asks_anew) >= SELF_CONTAINED_TERMS and not leans_back else text
        terms = question_terms(without_names(asked, named) if named else asked)
        whole_document = bool(named) and not terms
        terms = terms or question_terms(text)
        compared = DIFFERENCE_QUESTION.search(own_words_of(text))
        sides = tuple(tuple(question_terms(side)) for side in compared.groups()) if compared else ()
        party = PARTY_STEMS | {fold(a) for a in ACRONYM.findall(own_text)}  # "Et côté ANPP, c'est qui ?"
        asks_signatories = bool(SIGNATORIES_QUESTION.search(folded)) or bool(
            own_text != stripped and asks_anew and set(asks_anew) <= party
            and SIGNATORIES_QUESTION.search(fold(stripped[:len(stripped) - len(own_text)])))
        return cls(text, terms, expects, language, bool(DEFINITION_QUESTION.search(folded)), tuple(doc.source for doc in named),
                   bool(QUESTIONS_QUESTION.search(folded)), asks_signatories, whole_document,
                   focus, sides if all(sides) else (), asks_anew, named_sections(text, sections),
                   frozenset(analyze(text)) - frozenset(analyze(without_names(text, named))) if named else frozenset(),
                   tuple(doc.source for doc in named_documents(own_text, named)) if own_text != stripped else ())

    def may_ask_signatures(self, unit: "Unit") -> bool:
        """Whether a signature block or the "Fait à ..., le ..." line may answer: the question asks
        who, when or where, about signing, about the whole document, for an attribute the block
        names ("Qui est la présidente de l'ANPP ?"), or about a signatory the block names."""
        attribute = self.attribute
        # "Avant quelle date les CRTE devaient-ils être signés selon l'accord ?": another thing signed
        # than the document, named by an acronym its title does not hold ("l'accord État-ANPP" does)
        # ... nor the signatures, when the question asks who signs such a thing without naming this
        # document ("Si un CRTE est préparé à l'échelle d'un PETR, est-ce le PETR seul qui le signe ?")
        signing_asked = self.asks_signatories or bool(SIGNATURE_TOKENS & set(self.terms))
        other_text = signing_asked and is_signatory_block(unit) and not self.documents and not DOCUMENT_WORD.search(self.own_folded)
        if ((SIGNED_AT.match(unit.text.strip()) or other_text)
                and any(not term_found(fold(a), tokens_of(unit.title)) for a in self.acronyms(own=True))):
            return False
        # ... or by a place the signed text's passage never names ("le contrat de transition
        # écologique signé en Haute Côte-d'Or" is not this agreement)
        if other_text and any(not all(term_found(t, unit.passage) for t in analyze(name)) for name in self.names()):
            return False
        # "When does the agreement expire?": the date it was signed is no answer
        about_signing = is_signatory_block(unit) or set(self.terms) <= SIGNING_TOKENS
        return bool(self.asks_signatories or self.whole_document
                    or (about_signing and (self.expects in ("date", "year") or WHO_WHEN_WHERE.search(form_words(self.text))))
                    or SIGNATURE_TOKENS & set(self.terms)
                    or (attribute is not None and mentions(unit, attribute))
                    # a signatory's name ("Quel poste occupe Barbara Pompili ?"), not the party ("Quel
                    # est le rôle de l'ANPP ?" is not asked of "Pour l'ANPP, ...") nor a word of a
                    # title ("la différence entre un Pays et un PETR": "Présidente de l'association
                    # ... des pays"); the "Fait à Paris, le ..." line tells nothing more than where and when
                    or (is_signatory_block(unit) and any(term_found(t, tokens_of(" ".join(signatory_names(unit)))) for t in self.terms)))

    def in_named_section(self, unit: "Unit") -> bool:
        """Whether the unit is in a section the question names, or one under it."""
        return not self.sections or any(unit.section == s or unit.section.startswith(f"{s} > ") for s in self.sections)

    def looks_in(self, unit: "Unit") -> bool:
        """Whether the unit may answer: "selon l'accord de 2021 ..." is answered from the accord only."""
        return not self.documents or unit.source in self.documents

    def names(self) -> list[str]:
        """Place and body names in the user's own words ("Bretagne", "Retz"; in English only after
        a preposition: "of Marseille")."""
        own_words = own_words_of(self.text)
        if self.language == "fr":
            return NAME.findall(own_words)
        return list(dict.fromkeys(ENGLISH_PLACE.findall(own_words) + FRENCH_NAME.findall(own_words)))

    def acronyms(self, own: bool = False) -> list[str]:
        """Acronyms of the question; `own`: of the user's own words only (not a follow-up's topic before)."""
        text = own_words_of(self.text) if own else self.text
        # "EPCIs": the English plural of an acronym the corpus writes "EPCI"
        found = (re.sub(r"(?<=[A-Z])s$", "", a) for a in ACRONYM.findall(text))
        return [a for a in dict.fromkeys(found) if sum(ch.isupper() for ch in a) >= 2]

    @cached_property
    def spelled_out(self) -> list[str]:
        """Acronyms the user's own words spell out ("un contrat de transition écologique": CTE)."""
        return spelled_out(own_words_of(self.text))

    @cached_property
    def french_stems(self) -> dict[str, frozenset[str]]:
        """The question's English stems -> the French stems the lexicon gives them, computed once for
        the several checks that match an English question against French sentences."""
        return french_stems_of(self.text)

    @cached_property
    def own_folded(self) -> str:
        """The user's own question, folded: what the question-form patterns below read."""
        return fold(own_words_of(self.text))

    @cached_property
    def frame_names(self) -> tuple[str, ...]:
        """The names of a frame before the question ("Under the MAPAM law, ...", "Selon le CGCT, ...")."""
        frame = FRAME.match(own_words_of(self.text))
        return tuple(name for name in self.names() + self.acronyms(own=True) if frame and name in frame.group(0))

    @cached_property
    def asked_terms(self) -> tuple[str, ...]:
        """The terms of the clause that asks, after a frame saying what it is asked of ("Pour la
        coopération PNR-Pays lancée après l'appel ADEME, l'ingénierie mutualisée passe par quel type
        de contrat ?": ingénierie, mutualisée, contrat); () without such a frame."""
        frame, comma, asked = own_words_of(self.text).rpartition(",")
        if not comma or not question_terms(frame) or not INTERROGATIVE.search(fold(asked)):
            return ()
        terms = tuple(t for t in question_terms(asked) if t in self.terms)
        return terms if len(terms) >= 2 else ()

    @cached_property  # read for every unit a signature may answer: parsed once
    def attribute(self) -> str | None:
        """"budget" in "Quel est le budget annuel du PETR ?"; None for form words and numbers."""
        own_words = self.own_folded  # a condensed follow-up: not the previous question's attribute
        # "What daily fee do ... charge?": a price asked for, whatever the question's form
        if COST_QUESTION.search(own_words) or MONEY_WORD.search(own_words):
            return "cout" if self.language == "fr" else "cost"
        match = ATTRIBUTE_QUESTION.search(own_words) or ROLE_QUESTION.search(own_words)
        if match is None:
            return None
        if match.re is ATTRIBUTE_QUESTION and match.group("article") is None and re.match(r"qui|who", match.group(0)):
            return None  # "Who is involved ...": a verb, not "who is the president"
        word = match.groups()[-1]
        named = NAME_OF.match(own_words, match.end()) if word in NAME_WORDS else None
        if named is not None:  # "le nom du directeur": the attribute is the director
            word = named.group(1)
        if word in FORM_ATTRIBUTES or word in DEMONSTRATIVES or word.endswith("ieme") or NUMBER.fullmatch(word):
            return None  # ... nor "these" in "What are these new unions supposed to offset?"
        return own_spelling(self.text, word)

    @cached_property
    def counted(self) -> str | None:
        """"salariés" in "Combien de salariés compte l'ANPP ?": what a number question counts."""
        return self.counted_words[0] if self.counted_words else None

    @cached_property
    def _counted(self) -> tuple[re.Match | None, str, str]:
        """The count asked ("combien de pistes d'action"), in the folded text it was found in and that text unfolded."""
        asked, own = self.own_folded, own_words_of(self.text)
        # "... ? Et côté fonds LEADER, ça pèse combien ?": "ça" stands for the new thing named before it
        before = self.text[:len(self.text) - len(own)]
        names_anew = bool(set(ACRONYM.findall(own)) - set(ACRONYM.findall(before))) or SIDE.search(fold(own)) is not None
        if COUNTED.search(asked) is None and THAT.search(CHAT_FORM.sub(" ", asked)) and not names_anew:  # not "ça donne quoi ?"
            asked, own = fold(self.text), self.text  # "Combien de SCoT ... ? Quelle part du total cela représente-t-il ?"
        return COUNTED.search(asked), asked, own

    @cached_property
    def measure(self) -> frozenset[str]:
        """The stems of the currency a count asks in ("Combien d'euros ... ?"): the form of the answer, not
        its topic. (Not a time: "combien de mois par an ... ?" is told by "occupé au moins 8 mois par an",
        which the month helps find.)"""
        match = self._counted[0]
        if match is None and re.search(r"\bhow much money\b", self.own_folded):  # English asks money by its amount
            return frozenset(analyze("money"))
        return frozenset(analyze(match.group(1))) if match is not None and match.group(1) in CURRENCIES else frozenset()

    @cached_property
    def counted_complement(self) -> str | None:
        """"ruralité" in "Combien de contrats de ruralité ... ?": what completes the noun counted."""
        match, _, own = self._counted
        return own_spelling(own, match.group(2)) if match is not None and match.group(2) else None

    @cached_property
    def counted_words(self) -> tuple[str, ...]:
        """What is counted and the noun completing it, either of which the answer may count
        ("pistes d'action": "16 actions possibles")."""
        match, asked, own = self._counted
        if match is not None and self.focus and COUNTED.search(self.own_folded) is None:
            return ()  # "Combien de SCoT ... ? Et pour les PCAET, ça fait combien ?": not SCoT again
        if match is None and self.expects == "number" and POPULATION_ASKED.search(asked):
            return ("population",)  # "What minimum population ...?": a number of inhabitants, not "12 months"
        if match is None and self.expects == "number":  # "Sur les 16 actions ..., combien ont été réalisées ?": actions
            among = AMONG.search(asked)
            return (own_spelling(own, among.group(1)),) if among and among.group(1) not in MEASURES else ()
        if match is None or match.group(1) in MEASURES:
            return ()
        # "Parmi les territoires, combien sont des Pays associatifs ?" counts Pays, not territoires;
        # "Parmi les schémas ..., combien sont portés ... ?" counts schémas
        among = AMONG.search(asked) if not COUNTED_NOUN.search(asked) else None
        # "combien de Pays/PETR ... ?": both forms together are the territoires de projet ("268 Territoires")
        both_forms = "territoires" if match.group(1) in ("pays", "petr", "petrs") and PAYS_AND_PETR.search(asked) else None
        words = (*match.groups(), among.group(1) if among else None, both_forms)
        return tuple(own_spelling(own, word) for word in dict.fromkeys(words) if word is not None and word not in MEASURES)

    @cached_property
    def event(self) -> str | None:
        """"abrogée" in "Quand la loi MAPAM a-t-elle été abrogée ?": what happened at the date asked."""
        # a deadline runs from an event ("Once a PETR has been created, what's the deadline ...?"),
        # which the sentence giving the delay need not date
        if self.expects not in ("date", "year") or self.asks_delay:
            return None
        # not what befell the user ("Je viens d'être recrutée ... : depuis quand ... existe ?")
        folded = self.own_folded
        # "..., ils ont été créés par quel texte ? en quelle année ?": an elliptic part asks the date of
        # the event of the part before
        if EVENT.search(folded) is None and not [t for t in question_terms(folded) if not term_found(t, DATE_WORDS)]:
            folded = fold(self.text)
        match = next((m for m in EVENT.finditer(folded) if not FIRST_PERSON.search(folded[:m.start()])), None)
        if match is not None and match.group(1) in INVERTED_SUBJECTS:  # "When was that law voted?": "voted"
            match = INVERTED_EVENT.search(folded, match.start())
        if match is None or (self.language == "en" and not match.group(1).endswith(("ed", "en"))):
            match = LAST_WORD_EVENT.match(folded) or match  # "When were PETRs created?": not "PETRs"
        if match is not None and match.group(1) in PLANNED:
            return None
        if match is None and (act := DEADLINE_ACT.search(folded)):
            return own_spelling(self.text, act.group(1) or act.group(2))
        return own_spelling(self.text, match.group(1)) if match else None

    @cached_property
    def creating_act(self) -> str | None:
        """"créés" in "Les Pays ont été créés par quel texte ?": an act of TOLD_ACT whose author is asked."""
        if self.act is not None:
            return self.act if TOLD_ACT.match(fold(self.act)) else None
        asked = reversed(re.split(r"\?\s+", self.own_folded.strip()))
        match = next((m for m in map(DONE_BY_WHOM.match, asked) if m), None)
        verb = next((g for g in match.groups() if g), "") if match else ""
        return own_spelling(self.text, verb) if TOLD_ACT.match(verb) else None

    @cached_property
    def event_subject(self) -> tuple[str, ...]:
        """"pay" in "Quand les Pays ont-ils été créés ?": the terms of what the event (or the creating
        act) befell, in the user's own words (a follow-up's subject may be a pronoun: "Et elle a été
        adoptée ... ?"), not a modal verb ("les premiers PETR devaient être opérationnels" is about the
        first PETRs)."""
        event = self.event or self.creating_act
        if event is None:
            return ()
        event_stems = set(analyze(event)) | DATE_WORDS | MODAL_STEMS
        own = tuple(t for t in question_terms(own_words_of(self.text)) if not term_found(t, event_stems))
        # "... and when were the first ones supposed to be operational?": of a kind the answer before
        # named, which the question does not say
        if not own and re.search(r"\bones?\b", self.own_folded):
            return ()
        # an elliptic part ("en quelle année ?") asks of the subject of the part before
        return own or tuple(t for t in question_terms(self.text) if not term_found(t, event_stems))

    @cached_property
    def portion_of(self) -> str | None:
        """"enveloppe" in "Quelle part de l'enveloppe France Relance ... ?": what a share is of
        (not "du total", which the sentence need not name: "soit 14%")."""
        match = PORTION_OF.search(self.own_folded)
        return own_spelling(self.text, match.group(1)) if match and match.group(1) not in WHOLES else None

    @cached_property
    def asks_succession(self) -> bool:
        """Who came before or after a person the question names ("Qui présidait l'ANPP avant
        Josiane Corneloup ?"): the person is no answer, a sentence saying who came before is."""
        own = own_words_of(self.text)
        return bool(WHO_WHEN_WHERE.search(self.own_folded) and SUCCESSION.search(self.own_folded) and PERSON.search(own))

    @cached_property
    def act(self) -> str | None:
        """"rédigé" in "Qui a rédigé la présentation du PETR ?": what the person asked for did."""
        # the follow-up's own question first ("Quelles sont les missions du PETR ? Et qui les finance ?")
        asked = reversed(re.split(r"\?\s+", self.own_folded.strip())) if not self.asks_signatories else ()
        match = next((m for m in map(AGENT_QUESTION.match, asked) if m), None)
        return own_spelling(self.text, next(g for g in match.groups() if g)) if match else None

    @cached_property
    def signed_for(self) -> tuple[str, ...]:
        """The terms of the party a signatory question names ("pour l'ANPP": anpp)."""
        match = SIGNED_FOR.search(self.own_folded) if self.asks_signatories else None
        return tuple(question_terms(match.group(1))) if match else ()

    @cached_property
    def _yes_no_form(self) -> re.Match | None:
        """"Un PETR est-il | un établissement public" or "Est-ce que | les PETR | sont | des ...": a yes-or-no form."""
        return PREDICATE.match(self.own_folded) or IS_IT_PREDICATE.match(self.own_folded)

    @cached_property
    def predicate(self) -> tuple[str, ...]:
        """"établissement public" in "Un PETR est-il un établissement public ?": the terms after the
        inverted verb that its subject does not hold. The answer says it, or says the opposite."""
        match = self._yes_no_form
        if match is None or re.match(r"\s*(?:qu|quel|quand|comment|combien|pourquoi|ou|qui|que)\b", match.group(1)):
            return ()  # "Comment un PETR est-il financé ?" asks how, not whether
        if re.search(r"\b(?:quel(?:le)?s?|quand|comment|combien|pourquoi)\b", match.group(1)):
            return ()  # ... after a frame too ("Pour articuler le SAGE ..., quel comité ... ont-ils mis en place ?")
        subject = set(question_terms(match.group(1)))
        return tuple(t for t in question_terms(match.group(2)) if t not in subject)

    @cached_property
    def yes_no_subject(self) -> tuple[str, ...]:
        """"petr" in "Un PETR peut-il lever l'impôt ?": whom a yes-or-no question asks something of."""
        match = self._yes_no_form
        if match is None or not self.predicate or WH_WORD.search(match.group(1)):
            return ()  # "À quoi l'État et l'ANPP s'engagent-ils ... ?" asks what
        # a follow-up's subject leans on the question before ("Et leur contenu reste-t-il figé ... ?"), as
        # one named by a possessive does ("Leur contenu est-il figé une fois signés ?")
        if own_words_of(self.text) != self.text.strip() or re.match(r"\s*(?:et |mais )?(?:leurs?|son|sa|ses)\b", match.group(1)):
            return ()
        subject = match.group(1) if match.re is IS_IT_PREDICATE else match.group(1).rsplit(" ", 1)[0]  # less the inverted verb
        return tuple(question_terms(subject))

    @cached_property
    def how_to_object(self) -> tuple[str, ...]:
        """The terms of what a how-to question is about ("Comment obtenir un permis de chasse ?":
        permis, chasse), not its verb."""
        match = HOW_TO.match(self.own_folded) or PROCESS.match(self.own_folded)
        if match is None:
            return ()
        # in the user's spelling: the stemmer reads accents ("décès" -> "deces", "deces" -> "dec")
        n_words = len(match.group(2).split())
        object_text = " ".join(own_words_of(self.text).rstrip(" ?.!").split()[-n_words:])
        # "Où demander un acte de décès et combien de temps ça prend ?": the object ends where the next question starts
        object_text = NEXT_QUESTION.split(object_text, maxsplit=1)[0]
        return tuple(question_terms(object_text))

    @cached_property
    def how_to_verb(self) -> str | None:
        """"contester" in "Comment contester un refus de permis de construire ?"."""
        match = HOW_TO.match(self.own_folded) or HOW_TO_MODAL.match(self.own_folded)
        if match is not None:
            return own_spelling(self.text, match.group(1))
        match = PROCEDURE.search(self.own_folded)
        return own_spelling(self.text, next(g for g in match.groups() if g)) if match else None

    @cached_property
    def years(self) -> list[str]:
        """The years a question gives ("Combien de CRTE ont été signés en 2022 ?")."""
        return YEAR.findall(own_words_of(self.text))

    @cached_property
    def article_topic(self) -> tuple[str, ...]:
        """What "Quel article du CGCT organise la conférence des maires ?" asks the article to be
        about: the terms after its verb (conférence, maires), less the law's words and acronyms."""
        match = ARTICLE_QUESTION.search(self.own_folded)
        if match is None:
            return ()
        named = LAW_STEMS | set(analyze(" ".join(self.acronyms(own=True))))
        asked = question_terms(self.own_folded[match.end():])
        terms = [t for t in asked if t not in named]
        if len(terms) <= 1 and self.language == "fr":  # "Quel article du CGCT encadre les CRTE ?": about what its acronym names
            terms = [t for t in asked if t not in LAW_STEMS | LAW_ACRONYM_STEMS]
        return tuple(t for t in terms[1:] if t not in PROVISION_VERB_STEMS)  # the first is the verb ("organise", "fixe")

    @cached_property
    def may_do(self) -> tuple[str, ...]:
        """In a yes/no question on what may or must be done, the terms of what is done ("rejoindre
        un second PETR voisin" in "Notre communauté de communes peut-elle rejoindre un second PETR
        voisin ?"); () for any other question."""
        folded = self.own_folded
        match = ASKS_WHETHER_MAY.search(folded)
        if match is None or WH_WORD.search(folded) or "où" in self.text:
            return ()
        done = question_terms(folded[match.end():])
        # "... est déjà dans un PETR, est-ce qu'elle peut aussi rejoindre celui d'à côté ?": the pronoun
        # stands for a noun said before
        if re.search(r"\b(?:celui|celle|ceux|celles|un autre|une autre|another)\b", folded[match.end():]):
            done += [t for t in question_terms(folded[:match.start()]) if t not in done]
        return tuple(done)

    @cached_property
    def all_terms(self) -> list[str]:
        """The content stems of the whole text, a follow-up's previous question included."""
        return question_terms(self.text)

    @cached_property
    def defined_thing(self) -> str:
        """What a definition question asks about, folded ("pays" in "... présente-t-elle ce qu'est
        un Pays ?"); "" when the question does not name it that way."""
        match = DEFINED.search(self.own_folded)
        thing = next((group for group in match.groups() if group), "") if match else ""
        return "" if NOT_DEFINED.search(thing) else thing  # "What are the new PETRs supposed to counterbalance?"

    @cached_property
    def defined(self) -> tuple[str, ...]:
        """The terms of the thing a definition question asks about; () when it names none."""
        return tuple(question_terms(self.defined_thing)) if self.defined_thing else ()

    @cached_property
    def asks_condition(self) -> bool:
        """Whether the question asks on what condition ("... ? à quelle condition ?")."""
        return CONDITION_FORM.search(self.own_folded) is not None

    @cached_property
    def qualified(self) -> tuple[tuple[str, str], ...]:
        """The nouns the question's own words qualify by a kind ("les pôles métropolitains": ("pole",
        "metropolitain")), in French, folded and in the singular."""
        if self.language != "fr":
            return ()
        words = re.findall(r"[a-z]+(?:-[a-z]+)*", self.own_folded.replace("'", " "))
        pairs = []
        for noun, adjective in zip(words, words[1:]):
            if (len(noun) > 3 and noun not in QUESTION_WORDS and analyze(noun) and KIND_ADJECTIVE.match(adjective)
                    and analyze(adjective)):
                pairs.append((noun.rstrip("sx"), adjective))
        return tuple(pairs)

    @cached_property
    def asked_frame(self) -> tuple[str, str] | None:
        """The preposition and the noun stem of "sur quel type de territoire ?"; None when not asked so."""
        match = FRAMED_ASK.search(self.own_folded)
        if match is None or match.group(2) in QUESTION_WORDS:
            return None
        stems = analyze(match.group(2))
        return (match.group(1), stems[0]) if stems else None

    @cached_property
    def asks_means(self) -> bool:
        """Whether the question asks through what something is done ("Par quel canal ... ?", "quel
        montage contractuel ... ?": "via un contrat de prestation intégrée")."""
        return MEANS_FORM.search(self.own_folded) is not None or ARRANGEMENT_QUESTION.search(self.own_folded) is not None

    @cached_property
    def asks_share(self) -> bool:
        """Whether the question asks a share of something ("Quel pourcentage des communes ... ?")."""
        return self.expects == "number" and SHARE_QUESTION.search(self.own_folded) is not None

    @cached_property
    def asks_why(self) -> bool:
        """Whether the question asks why ("Why were these new joint unions created?") or what for
        ("Et ils servent à quoi, ces accords ?")."""
        return WHY_QUESTION.search(self.own_folded) is not None or PURPOSE_FORM.search(self.own_folded) is not None

    @cached_property
    def asks_day(self) -> bool:
        """Whether a date question asks the day itself ("On what exact day and month ...?")."""
        return self.expects == "date" and DAY_ASKED.search(self.own_folded) is not None

    @cached_property
    def asks_delay(self) -> bool:
        """Whether the question asks a delay or a deadline ("Quel délai ... ?")."""
        return self.expects == "date" and DELAY_QUESTION.search(self.own_folded) is not None

    @cached_property
    def asks_years(self) -> bool:
        """Whether the question asks a length in years ("Pour combien d'années ... ?")."""
        return self.expects == "duration" and YEARS_QUESTION.search(self.own_folded) is not None

    @cached_property
    def asks_person_name(self) -> bool:
        """Whether the question asks the name of the person holding a role ("Quel est le nom du directeur ?")."""
        named = NAME_QUESTION.search(self.own_folded)
        return named is not None and bool(set(named.groups()) & PERSON_ROLES)  # "the ANPP president"

    @cached_property
    def asks_bound(self) -> bool:
        """Whether the question asks a minimum or a maximum ("Y a-t-il un nombre minimum d'habitants ... ?"):
        a share of the population is no threshold."""
        return self.expects == "number" and BOUND_QUESTION.search(self.own_folded) is not None

    @cached_property
    def asks_amount(self) -> bool:
        """Whether the question asks a sum of money ("Quel budget ... ?", "What amount ...?")."""
        return self.expects == "number" and AMOUNT_QUESTION.search(self.own_folded) is not None

    @cached_property
    def asks_qualities(self) -> bool:
        """Whether the question asks what something is like ("Quelles qualités doit avoir le projet
        de territoire ?", "Comment la page qualifie-t-elle ... ?")."""
        return QUALITY_QUESTION.search(self.own_folded) is not None

    @cached_property
    def ordinal(self) -> int | None:
        """3 for "Quel est le troisième axe de l'accord ?"."""
        match = ORDINAL.search(self.own_folded)
        return ORDINALS[match.group(1)] if match else None

    def asks_expansion_of(self) -> str | None:
        """The glossary acronym whose long form the question asks for, if it asks for one."""
        if not EXPANSION_QUESTION.search(fold(self.text)):
            return None
        # not one naming the document asked of ("In the 2021 State-ANPP agreement, what does CRTE stand for?")
        acronyms = self.acronyms()
        for acronym in [a for a in acronyms if not set(analyze(a)) <= self.document_words] + acronyms:
            key = acronym[:-1] if acronym not in GLOSSARY and acronym.endswith("s") else acronym
            if key in GLOSSARY:
                return key
        return None


def own_spelling(text: str, folded: str) -> str:
    """The word of `text` that folds to `folded`, as the user wrote it: the stemmer reads accents
    ("durée" -> "dur", "duree" -> "dure")."""
    return next((word for word in re.findall(r"[\w-]+", text) if fold(word) == folded), folded)


def named_sections(question: str, sections: Iterable[str]) -> tuple[str, ...]:
    """The sections whose heading the question names, all its words at least two ("la convention
    territoires partenaires" -> "... > Convention territoires partenaires"; not "Préambule")."""
    stems = set(analyze(question))
    named = []
    for section in dict.fromkeys(sections):
        heading = set(analyze(section.rsplit(" > ", 1)[-1])) if section else set()
        if len(heading) >= MIN_SECTION_NAME_STEMS and heading <= stems:
            named.append(section)
    return tuple(named)


# what a holder named after an attribute does is no part of its name ("le comité de pilotage chargé
# du suivi de cette mission"): a participle or a relative pronoun after its first word ends it (not
# a noun in -ité, -uté, -été: "communauté", "collectivité", "société")
HOLDER_END = re.compile(r"^(?:qui|que|qu'|dont|lequel|laquelle|lesquels|lesquelles|auquel|auxquels|auxquelles|duquel|desquels|"
                        r"that|which|who|whom|whose|where|"  # "the regional recovery committees that ANPP representatives will sit on"
                        r"[^\W\d_]*(?<!it|ut|et)(?:é|ée|és|ées))$", re.IGNORECASE)


def holder_terms(question: Question, attribute: str) -> list[str]:
    """The terms of what holds the attribute: "comité de pilotage national des CRTE" in "Qui préside
    le comité de pilotage national des CRTE ?" (all the question's other terms when the attribute is
    not found in the question's own words)."""
    attribute_stems = set(analyze(attribute))
    own = own_words_of(question.text)
    words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", own)
    at = next((i for i, word in enumerate(words) if set(analyze(word)) & attribute_stems), None)
    if at is None:
        return [t for t in question.terms if not term_found(t, attribute_stems)]
    kept = []
    for word in words[at + 1:]:
        if kept and HOLDER_END.search(word):
            break
        if analyze(word):
            kept.append(word)
    return [t for t in question_terms(" ".join(kept)) if not term_found(t, attribute_stems)]


def form_words(question: str) -> str:
    """The folded words that say what kind of answer is asked for: the user's own question ("Quelle
    est la durée d'un CRTE ? Qui les signe ?" asks who), unless it asks nothing itself ("Qui a signé
    l'accord pour l'ANPP ? Et pour l'État ?")."""
    own = fold(own_words_of(question))
    return own if asks_itself(own) else fold(question)


INTERJECTION = re.compile(r"^(?:ok(?:ay)?|d'accord|bon|ah|oh|right|well|hmm+)\s*[,!.]?\s+(?=\S)", re.IGNORECASE)


def own_words_of(question: str) -> str:
    """The user's own question: the last one of a follow-up condensed with the question before it
    ("Qu'est-ce qu'un PETR ? Qui le préside ?")."""
    pieces = re.split(r"(?<=\?)\s+(?=\S)", question.strip())
    # a request after the question belongs to it ("... portent-ils beaucoup de CLS ? Donnez le chiffre.")
    if len(pieces) > 1 and "?" not in pieces[-1]:
        return f"{pieces[-2]} {pieces[-1]}"
    # "ok and when were the first ones supposed to be operational?": the question opens after the interjection
    return INTERJECTION.sub("", pieces[-1])


PAYS_AND_PETR = re.compile(r"\bpays\s*(?:/|et|and|ou|or|\+)\s*(?:de |d'|des |les )?petrs?\b|\bpetrs?\s*(?:/|et|and|ou|or|\+)\s*(?:de |des |les )?pays\b")
POPULATION_STEMS = frozenset(analyze(f"people {POPULATION_WORDS} personnes"))
PEOPLE_STEMS = frozenset(analyze("personnes habitants population français françaises"))
PERCENT_AFTER = re.compile(r"\s*(?:%|pour ?cent|percent)", re.IGNORECASE)
COMPLEMENT_WORDS = {"de", "d", "des", "du", "of"}
MULTIPLIERS = {"million", "millions", "milliard", "milliards", "millier", "milliers", "centaines", "dizaines",
               "thousand", "thousands", "hundred", "hundreds", "pour", "percent"}
COUNT_WINDOW = 3  # "82 CLS", "5 Communautés de communes", "3 key steps", "47% de la population"


def counts(text: str, counted: set[str], given: Iterable[str] = ()) -> bool:
    """Whether a number of the text counts what the question counts: "How many PETRs ...?" is not
    answered by "within the 12 months". The words right after the number say what it counts;
    acronyms there count as their long forms ("116 PCAET": plans climat). `given`: the question's
    own numbers, no answer ("Parmi les 268 territoires, combien ...": not "268 Territoires")."""
    for match in NUMBER.finditer(text.lower()):
        # nor is a share a count ("Combien de CRTE ... ?" is not answered by "20% des CRTE"), but
        # of people it is ("How many people live in Pays?": "47% de la population")
        if match.group(0) in given or (PERCENT_AFTER.match(text, match.end()) and not counted & POPULATION_STEMS):
            continue
        if any(term_found(t, counted_after(text, match.end())) for t in counted):
            return True
    return False


ACRONYM_AFTER = re.compile(r"\s*([A-Z][A-Za-z]*[A-Z])\b")


def counts_another_kind(text: str, counted: str, complement: str) -> bool:
    """Whether the text counts the noun asked only through an acronym of another kind of it: "82 CLS"
    (contrats locaux de santé) for "Combien de contrats de ruralité ... ?"; not "251 SCoT" (schémas
    de cohérence territoriale) for "Combien de schémas de cohérence territoriale ... ?"."""
    noun, completing = set(analyze(counted)), set(analyze(complement))
    if not noun or not completing or completing <= set(analyze(text)):
        return False
    kinds = []
    for match in NUMBER.finditer(text):
        after = ACRONYM_AFTER.match(text, match.end())
        if after is not None and after.group(1) in GLOSSARY:
            long = set(analyze(GLOSSARY[after.group(1)][0]))
            kinds.append(noun <= long and not completing & long)
    return bool(kinds) and all(kinds)


# "la norme ISO 37101", "la loi n° 2014-58": a standard's or a text's number, no quantity
STANDARD = re.compile(r"\b(?:iso|nf|afnor)\s?\d{3,6}(?:[-:]\d+)*\b|\bn°\s?\d+(?:[-/]\d+)*\b")


def counted_after(text: str, end: int) -> frozenset[str]:
    """The stems of the words right after a number, which say what it counts. A noun with its
    complement counts the noun: "5 Communautés de communes" are no count of communes (but "7
    millions de français" are a count of French people)."""
    words = WORD.findall(text[end:])[:COUNT_WINDOW]
    if len(words) >= 2 and fold(words[1]) in COMPLEMENT_WORDS and fold(words[0]) not in MULTIPLIERS:
        words = words[:1]
    return tokens_of(" ".join(words))


def holds_expected(text: str, expects: str | None, given: Iterable[str] = ()) -> bool | None:
    """Whether `text` holds the kind of answer asked for (None when the question asks for no kind).

    `given`: the numbers the question itself gives. They are no answer ("la date limite de l'appel
    à projets DRAAF 2009": "Appel à projet DRAAF 2009 sur les relations ville-campagne").
    """
    if expects is None:
        return None
    folded = fold(ARTICLE_RE.sub(" ", text))  # "article L. 5741-2" is a reference, not a quantity
    folded = STANDARD.sub(" ", folded)  # nor is "la norme ISO 37101"
    folded = ENUMERATION.sub(" ", folded)  # nor is the "6-" of "6-Implementation of ..."
    for number in given:
        folded = re.sub(rf"(?<!\d){re.escape(number)}(?!\d)", " ", folded)
    if expects == "year":
        return bool(YEAR.search(folded))
    if expects == "date":
        return bool(YEAR.search(folded) or MONTHS.search(folded) or WHEN.search(folded))
    if expects == "frequency":
        return bool(FREQUENCY.search(folded))
    if expects == "duration":  # a length of time, not any number ("2 partenaires")
        return bool(DURATION.search(folded) or YEAR_SPAN.search(folded))
    folded = DAY_OF_MONTH.sub(" ", folded)  # nor is the "1st" of "January 1st 2015"
    return bool(NUMBER.search(folded) or FREE.search(folded))


# ---------------------------------------------------------------------------------------------
# Answer units and their features


@dataclass
class Unit:
    hit_rank: int  # 0-based rank of the passage it comes from
    start: int  # offsets inside the passage text
    end: int
    text: str
    previous: str = ""  # the unit before it in the same paragraph
    tokens: set[str] = field(default_factory=set)  # stems of the unit itself (set by `Extractor.units`)
    context: set[str] = field(default_factory=set)  # stems of the unit, the one before, its title and heading
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    source: str = ""  # the passage's document
    language: str = ""  # ... and its language
    section: str = ""  # ... and its section
    title: str = ""  # ... and its document's title
    # stems of its whole passage when that is a sheet of slide fields about one thing ("Eléments
    # déclencheurs  Appel à projet DRAAF 2009 ..." tells what the sheet's "16 actions" are about)
    sheet: set[str] = field(default_factory=set)
    names: tuple[str, ...] = ()  # a list announcement's rare names the question does not give (see `Extractor.names_in`)
    passage: set[str] = field(default_factory=set)  # stems of its whole passage
    following: str = ""  # the passage's text right after it: the items a list announcement opens on


FOLLOWING_CHARS = 300


def passage_units(hit_rank: int, chunk: Chunk) -> list[Unit]:
    units: list[Unit] = []
    previous_end, previous_text = None, ""
    for start, end in unit_spans(chunk.text):
        text = chunk.text[start:end]
        same_paragraph = previous_end is not None and "\n\n" not in chunk.text[previous_end:start]
        # a paragraph opening on a pronoun ("Il se définit également comme ...") refers back to the one before
        refers_back = previous_end is not None and ANAPHORIC_START.match(text) is not None
        if is_answer_unit(text):
            units.append(Unit(hit_rank, start, end, text, previous_text if same_paragraph or refers_back else "", source=chunk.doc.source,
                              language=chunk.doc.language, section=chunk.section, title=chunk.doc.title,
                              following=chunk.text[end:end + FOLLOWING_CHARS]))
        previous_end, previous_text = end, text
    return units


def _is_heading(text: str, chunk: Chunk) -> bool:
    folded = normalize_for_match(text).strip(" :«»\"")
    names = {normalize_for_match(chunk.doc.title)} | {normalize_for_match(part) for part in chunk.section.split(" > ")}
    return folded in names


class Extractor:
    """Scores answer units of the top passages; keeps a small cache of unit embeddings."""

    def __init__(self, settings: Settings, embedder, stats: TermStats, model: AnswerModel | None = None,
                 stored: EmbeddingCache | None = None):
        self.settings = settings
        self.embedder = embedder
        self.stats = stats
        self.model = model or AnswerModel.load(settings.answer_model)
        self.stored = stored  # sentence vectors computed at ingest
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
            if missing and self.stored is not None:
                for text in missing:
                    vector = self.stored.vectors.get(self.stored.key(text))
                    if vector is not None:
                        self._cache[text] = vector
                missing = [t for t in missing if t not in self._cache]
            if missing:
                for text, vector in zip(missing, self.embedder.embed_passages(missing)):
                    self._cache[text] = vector
                if len(self._cache) > 20000:  # bounded memory in long-running apps
                    self._cache = dict(list(self._cache.items())[-10000:])
            return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 1))

    def units(self, hits: list[Hit], question: Question, query_vector: np.ndarray | None) -> list[Unit]:
        """Every answer unit of `hits`, with its features and score."""
        units = [unit for rank, hit in enumerate(hits) for unit in passage_units(rank, hit.chunk)]
        if not units:
            return []
        similarities = self._embed([u.text for u in units]) @ query_vector if query_vector is not None else np.zeros(len(units))
        low, high = self.embedder.similarity_range
        question_tokens = set(question.terms)
        # An English question read against French sentences: its words match through their French
        # translations ("agreement" is found in "accord"); a French question read against English
        # sentences, through theirs ("offer you support": "offre", "accompagnement").
        bridge = question.french_stems if question.language == "en" else {}

        def bridged_tokens(text: str, language: str) -> set[str]:
            tokens = tokens_of(text)
            if question.language == "fr" and language == "en":
                return tokens | {stem for stems in french_stems_of(text).values() for stem in stems}
            return tokens | {en for en, fr in bridge.items() if fr & tokens}

        heading_tokens = [bridged_tokens(f"{hit.chunk.doc.title}\n{hit.chunk.section}", hit.chunk.doc.language) for hit in hits]
        asks_where = WHERE_TO_ASK.search(form_words(question.text)) is not None
        given_numbers = GIVEN_NUMBER.findall(own_words_of(question.text))
        # what a number must count, in both languages ("How many people ...": "47% de la population")
        counted_stems = {stem for word in question.counted_words for stem in counted_forms(word)}
        tokens_by_text: dict[tuple[str, str], set[str]] = {}  # a unit is also the next one's previous sentence

        def tokens_for(text: str, language: str) -> set[str]:
            if (text, language) not in tokens_by_text:
                tokens_by_text[text, language] = bridged_tokens(text, language)
            return tokens_by_text[text, language]

        for unit, similarity in zip(units, similarities):
            chunk = hits[unit.hit_rank].chunk
            tokens = tokens_for(unit.text, unit.language)
            signature = is_signature(unit.text)
            if signature:  # a field whose label goes without saying: who signed, when and where
                tokens = tokens | (SIGNATURE_TOKENS if is_signatory_block(unit) else SIGNING_TOKENS)
            if signature and question.whole_document and unit.source in question.documents:
                # the place and date, the signatories of the document asked about as a whole
                tokens = tokens | heading_tokens[unit.hit_rank]
            new_terms = [t for t in content_terms(unit.text) if not term_found(t, question_tokens)]
            holds = holds_expected(unit.text, question.expects, given_numbers)
            if holds and counted_stems and question.expects == "number":
                holds = counts(unit.text, counted_stems, given_numbers)
            if holds and question.asks_share:
                holds = SHARE_VALUE.search(fold(unit.text)) is not None
            if holds and question.asks_bound:
                holds = BOUND.search(fold(unit.text)) is not None
            if holds and question.asks_amount:
                holds = MONEY.search(fold(unit.text)) is not None
            if holds and question.asks_delay:
                folded_unit = fold(unit.text)
                holds = any(pattern.search(folded_unit) is not None for pattern in (DELAY, DURATION, WHEN))
            if holds and question.asks_years:
                folded_unit = fold(unit.text)
                holds = IN_YEARS.search(folded_unit) is not None or YEAR_SPAN.search(folded_unit) is not None
            if holds is None and asks_where and not signature:
                holds = bool(PLACE.search(fold(unit.text)))  # "Où ... ?": a place, a service, a website
            if holds is None and question.asks_qualities and QUALITIES.search(fold(unit.text)):
                holds = True  # "Quelles qualités ... ?": "est stratégique, intégré et partagé"
            unit_coverage = coverage(question.terms, tokens, self.stats)
            lead = unit.text.split()[:3]
            lead_tokens = set(analyze(" ".join(lead)))
            label = self.stats.field_label(unit.text)
            # the label's first word names the field ("Partenaires / échelle": not "à l'échelle des Pays")
            label_tokens = bridged_tokens(label.split()[0], unit.language) if label is not None else set()
            if signature:
                label, label_tokens = SIGNATURES_LABEL, SIGNATURE_TOKENS
            heading = heading_tokens[unit.hit_rank]
            window = tokens | tokens_for(unit.previous, unit.language)
            window_coverage = coverage(question.terms, window, self.stats)
            refers_back = unit.language == "fr" and (REFERS_BACK.search(unit.text) is not None or STANDS_FOR.match(unit.text) is not None)
            unit.tokens, unit.context = tokens, window | heading
            unit.features = {
                # "Le CEREMA, la Banque des Territoires y seront associés": "y" is the tool the sentence before names
                "coverage": max(unit_coverage, window_coverage) if refers_back else unit_coverage,
                "context_coverage": coverage(question.terms, (window if refers_back else tokens) | heading, self.stats),
                "window_coverage": window_coverage,
                "similarity": min(max((float(similarity) - low) / (high - low), 0.0), 1.0) if query_vector is not None else 0.0,
                "passage_rank": 1.0 / (unit.hit_rank + 1),
                "novelty": min(len(new_terms) / 4, 1.0),
                "is_question": float(unit.text.rstrip().endswith("?")),
                "heading": float(_is_heading(unit.text, chunk)),
                "type_match": float(holds is True),
                "type_missing": float(holds is False),
                "lead_match": float(any(term_found(t, lead_tokens) for t in question.terms)),
                "field": float(label is not None),
                "field_match": float(any(term_found(t, label_tokens) for t in question.terms)),
                "defines": float(question.definition and (
                    fold(lead[0]).strip(":") in DEFINING_LABELS
                    # what the question defines, when it says ("... un PETR c'est quoi par rapport aux intercos ?": not
                    # "un regroupement d'intercommunalités, constitué ...")
                    or (unit_coverage >= 0.5 and says_what(unit.text, list(question.defined) or question.terms))
                    # "Je débute dans un PETR : ... ce qu'est un Pays ?": "... en 1999, les Pays incarnent ..."
                    or (bool(question.defined) and says(unit, question.defined) and says_what(unit.text, list(question.defined)))
                    # "Le Territoire de projet est ... Il se définit également comme espace de transversalité"
                    or (window_coverage >= 0.5 and defines_what_came_before(unit.text))
                )),
                "length": min(math.log1p(len(unit.text.split())) / math.log(60), 1.0),
            }
            unit.score = self.model.score(unit.features)
        for unit in units:
            if unit.text.rstrip().endswith(":"):  # only a list announcement needs them (see `can_answer`)
                unit.names = self.names_in(unit.text, question)
        # a signature block's "Pour l'État," and "Fait à Paris" open lines as slide labels do: no sheet
        fields = Counter(unit.hit_rank for unit in units if unit.features["field"]
                         and not is_signatory_block(unit) and not SIGNED_AT.match(unit.text.strip()))
        passages = {rank: tokens_for(hit.chunk.text, hit.chunk.doc.language) for rank, hit in enumerate(hits)}
        for unit in units:
            unit.passage = passages[unit.hit_rank]
            if fields[unit.hit_rank] >= MIN_SHEET_FIELDS:
                unit.sheet = unit.passage
        return units

    def abstention_reason(self, question: Question, best: Unit | None, units: list[Unit] = ()) -> str | None:
        """Why the evidence does not answer the question, or None when it does.

        `units`: every unit of the passages (the off-topic gate looks at the one nearest the question).
        """
        if best is None:
            return "no passage"
        if self.off_topic(question, units, best):
            return OFF_TOPIC
        for acronym in question.acronyms():
            if len(acronym) < 3 and acronym not in GLOSSARY:
                continue  # two capitals are as often an ordinary abbreviation ("EU funds") as a territorial acronym
            longs = GLOSSARY.get(acronym, [])
            if not self.stats.known(acronym) and not any(self.stats.known(long) for long in longs):
                return f"unknown acronym {acronym}"
        # "Pour combien d'années un contrat de transition écologique est-il signé ?" is not answered by
        # the CRTE's "durée du mandat 2020 – 2026": its long form holds the CTE's words
        for acronym in question.spelled_out:
            if about_broader(best, acronym):
                return f"the best sentence is about another contract than the {acronym}"
        # "Quelle est la différence entre un syndicat de Pays fermé et ouvert ?" is not answered by a
        # sentence listing both in passing: some sentence must say what one side is
        # (a slide sheet about one side tells of it by its fields: "l'entente" and the TRIDAN sheet)
        if question.sides and not any(tells_side(u, question) or sheet_side(u, question) for u in units or [best]):
            return "no sentence tells what either side of the difference is"
        unknown_terms = self.off_corpus(question)
        if unknown_terms:
            return "the corpus never mentions " + ", ".join(unknown_terms)
        # "Comment est composé le conseil de développement d'un PETR ?": its two words are common, the body is never named
        bodies = self.unknown_bodies(question)
        if bodies:
            return f"the corpus never mentions {bodies[0]!r}"
        thing = self.unnamed_defined(question)
        if thing is not None:
            return f"the corpus never names {thing!r}"
        attribute = question.attribute
        if attribute is not None and fold(attribute) not in ABSTRACT_ATTRIBUTES and not self.known(attribute, question.language):
            return f"the corpus never mentions {attribute!r}"
        # "Qui est le président du PETR du Briançonnais ?": a precise question about a place or body
        # the corpus never names. Not other questions: "Un Italien peut-il voter ?" is answered by
        # the rule for EU citizens.
        unknown = self.unknown_names(question) if attribute is not None or question.expects else []
        if unknown:
            return f"the corpus never mentions {unknown[0]}"
        # "Quand la loi MAPAM a-t-elle été abrogée ?" is not answered by when it was voted
        if question.event is not None and not self.known_event(question.event):
            return f"the corpus never mentions {question.event!r}"
        # "En quelle année l'ANPP a-t-elle été fondée ?" is not answered by "les fonds européens
        # 2021-2027": the date told must be the event's (the "Fait à ..." line tells when it was signed)
        if question.event is not None and not is_signature(best.text):
            if not tells_event(best, question.event):
                return f"the best sentence does not tell when it was {question.event}"
            # ... nor when another thing was: "le comité de pilotage national s'est-il réuni" is not
            # told by "l'État s'engage à réunir régulièrement ... les acteurs territoriaux"
            # (a follow-up's subject taken from the question before drops the words the corpus never uses:
            # "Les Pays apparaissent dans la loi en quelle année ? Et ils ont été généralisés ... quand ?")
            own = set(question_terms(own_words_of(question.text)))
            subject = [t for t in question.event_subject if t in own or self.stats.df.get(t, 0)]
            if subject and coverage(subject, best.context, self.stats) < MIN_EVENT_SUBJECT_COVERAGE:
                return f"the best sentence does not tell when {' '.join(subject)} was {question.event}"
            # "En quelle année le PETR des Hautes-Alpes a-t-il été créé ?" is not told by when PETRs
            # were: the place must be in the sentence, not only in its document's title
            # (a name the corpus uses, in the question's language: "adoptée par le Parlement" is told by
            # "was voted by both Assemblies")
            unnamed = [name for name in question.names() if best.language in ("", question.language)
                       and self.stats.known(name) and not says_all(best, analyze(name))]
            if unnamed:
                return f"the best sentence does not tell when it was {question.event} for {unnamed[0]}"
        # "Comment contester un refus de permis de construire ?": the corpus never tells of doing it
        # (in that very verb: that members "appartiennent" to a PETR does not tell how to "adhérer")
        verb = question.how_to_verb
        if verb is not None and question.language == "fr" and not self.known(verb, question.language, synonymous=False):
            return f"the corpus never mentions {verb!r}"
        # "Qui a rédigé la présentation ... ?" is not answered by "une convention est rédigée en ce sens"
        act = question.act or question.creating_act
        if act is not None and tells_agent(best, act) is False:
            return f"the best sentence does not tell who {act} it"
        if question.creating_act is not None and not tells_event(best, question.creating_act):
            return f"the best sentence does not tell who {question.creating_act} it"
        topic = question.article_topic
        same_language = best.language in ("", question.language)
        if not same_language and question.language != "en":
            topic = ()  # the lexicon reads English words in French, not French words in English
        # across languages, an English question's words are read in their French translations ("Which
        # article of the CGCT sets out how a PETR can be dissolved?" is not answered by the article on what a PETR is)
        bridge = {} if same_language else question.french_stems
        found = [t for t in topic if found_across(t, best.context, bridge)]
        if topic and len(found) < MIN_ARTICLE_TOPIC_SHARE * len(topic):
            return f"the best sentence's article is not about {' '.join(topic)}"
        # "Quel article du CGCT encadre les contrats de réciprocité ?": an answer cites one ("l'article L5741-1")
        if ARTICLE_QUESTION.search(question.own_folded) and not cites_article(best):
            return "the best sentence cites no article"
        if CONSEQUENCE_QUESTION.search(question.own_folded) and not CONSEQUENCE.search(fold(f"{best.previous} {best.text}")):
            return "the best sentence tells no consequence"
        # "Quel est le nom du chef de projet recruté ... ?" is not answered by "Recrutement d'un chef de projet externe"
        if question.asks_person_name and not PERSON_NAME.search(f"{best.previous} {best.text}"):
            return "the best sentence names no person"
        if question.asks_succession and not SUCCESSION.search(fold(f"{best.previous} {best.text}")):
            return "the best sentence does not tell who came before or after"
        # "When does the 2021 agreement expire?" is not answered by "les CPER 2021-2027"
        if EXPIRY_QUESTION.search(question.own_folded) and not ENDS.search(fold(f"{best.previous} {best.text}")):
            return "the best sentence does not tell when it ends"
        # "Who signed for the Ministry of the Economy?": not the ministers who signed for the State
        if question.signed_for and is_signatory_block(best) and not covers(best, question.signed_for):
            return f"no signatory for {' '.join(question.signed_for)}"
        # "Which prefect signed the CRTE covering the Hautes-Alpes PETR?" is not answered by the partners
        # the page names: who signed is told by a signature block, the "Fait à ..." line or a form of "signer"
        if (question.asks_signatories and SIGNED_ASKED.search(question.own_folded) and not is_signatory_block(best)
                and not SIGNED_AT.match(best.text.strip()) and not SIGN_WORD.search(fold(f"{best.previous} {best.text}"))):
            return "the best sentence tells no signature"
        if (attribute is not None and self.specific(attribute) and not mentions(best, attribute)
                and not self.holds_value_of(question, best, attribute)):
            # "Qui est le président du PETR ?" answered by a sentence about the PETR's missions
            return f"the best sentence does not mention {attribute!r}"
        if question.asks_day and not DAY_DATE.search(fold(best.text)):  # "la loi Pasqua de 1995" for its exact day
            return "the best sentence gives no day"
        if question.expects and not best.features["type_match"]:
            if question.counted and question.expects == "number":
                return f"no number of {question.counted!r} in the best sentence"
            return f"no {question.expects} in the best sentence"
        # "Combien de contrats de ruralité ... ?" is not answered by "82 CLS", contrats locaux de santé
        complement = question.counted_complement if question.expects == "number" else None
        if complement and counts_another_kind(best.text, question.counted, complement):
            return f"the best sentence counts another kind of {question.counted!r}"
        # Word overlap says nothing across languages ("How long is a passport valid?" answered by
        # "Le passeport d'un mineur est valable 5 ans"): this check needs the same language.
        same_language = best.language in ("", question.language)
        # the sentence before counts when this one refers back to it ("Ils ont été créés en 2014"),
        # not when it is another item of a list ("- Mettre en place un outil piloté par l'ANCT")
        typed_coverage = best.features["window_coverage" if ANAPHORIC_START.match(best.text) else "coverage"]
        # a number followed by what is counted is about the question ("268 Territoires"), however
        # common that word is in the corpus
        counts_asked = question.counted is not None and question.expects == "number"
        # ... and a sentence dating the event asked about, of its subject, is ("Introduits dans la
        # législation par la loi Pasqua de 1995, ..., les Pays incarnent ..." for "créés ... à l'origine")
        dates_it = dates_event(best, question)
        if question.measure:
            # "Combien d'euros France Relance consacre-t-il aux CRTE ?": "4 euros collectés" names the measure, not the topic
            window = best.tokens | (tokens_of(best.previous) if ANAPHORIC_START.match(best.text) else frozenset())
            topic = [t for t in question.terms if t not in question.measure]
            if typed_coverage >= MIN_TYPED_COVERAGE:
                typed_coverage = coverage(topic, window, self.stats)
        if question.expects and same_language and typed_coverage < MIN_TYPED_COVERAGE and not counts_asked and not dates_it:
            return f"the best sentence's {question.expects} is about something else"
        if question.measure and not same_language:
            # "How much money did France Relance set aside for the CRTEs?" is not answered by "1 euro investi =
            # 4 euros collectés": across languages, through the lexicon and the names both share
            bridge = question.french_stems
            if not any(found_across(t, window, bridge) for t in topic):
                return f"the best sentence's {question.expects} is about something else"
        # "Quelle est la durée d'une convention de mutualisation ?" answered by the CRTE's: the
        # attribute is named, what it is of is not
        if question.expects and same_language and attribute is not None:
            attribute_stems = set(analyze(attribute))
            subject = [t for t in question.terms if not term_found(t, attribute_stems)]
            if subject and not names_any(best, subject):
                return f"the best sentence's {question.expects} is not about {' '.join(subject)}"
        # "Qui préside le comité de pilotage national des CRTE ?" is not answered by "comités régionaux
        # de relance présidés par les préfets": in French, who or what holds the attribute is named in full
        # ... and in English of a French sentence, through the lexicon ("Who chairs the national steering
        # committee ...?": "comité de pilotage national")
        across = (question.language == "en" and best.language == "fr"
                  and (ROLE_QUESTION.search(question.own_folded) is not None or fold(attribute or "") in ROLE_WORDS))
        if (attribute is not None and not question.expects and ((question.language == "fr" and same_language) or across)
                and self.specific(attribute) and mentions(best, attribute)):
            french = question.french_stems if across else {}
            holder = [t for t in holder_terms(question, attribute) if self.stats.df.get(t, 0) or french.get(t)]
            missing = [t for t in holder if not term_found(t, best.context) and not any(term_found(s, best.context) for s in french.get(t, ()))]
            if missing:
                return f"the best sentence's {attribute!r} is not of {' '.join(missing)}"
        if question.expects or (attribute is not None and self.specific(attribute)):
            # a name is the same in both languages ("How many people live in Lyon?"); "Qui préside
            # l'AdCF ?" is not answered by "les présidents de territoires de projet"
            for name in self.rare_names(question):
                if not names_rare(best, name, question):
                    return f"the best sentence's {question.expects or attribute} is not about {name}"
        else:
            # "What legal form does the TRIDAN agreement take?" is not answered from a document that never
            # names TRIDAN (the CAF's housing-aid sheet may leave the CAF out of its passage on the first month)
            for name in self.rare_names(question):
                if not self.document_names(best, name):
                    return f"the best passage's document does not name {name}"
        # "Combien de CRTE ont été signés en 2022 ?": a count or a date of that year, or of a span holding it
        if question.expects and question.years and not all(tells_year(best, year) or year in best.sheet for year in question.years):
            return f"the best sentence's {question.expects} is not about {' '.join(question.years)}"
        if unlisted_announcement(question, units) is not None:
            # "Quels sont les quatre axes ... ?" is not answered by "4 axes de coopérations envisagés"
            return UNLISTED
        if NAMES_QUESTION.search(question.own_folded) and not self.gives_names(best, question):
            # "Quelles communes composent la communauté urbaine ... ?": not "1 communauté urbaine"
            return "the best sentence names none"
        if FIRMS_QUESTION.search(question.own_folded) and not self.firm_names(best, question):
            return "the best sentence names no firm"  # "Quels cabinets accompagnent le PETR ... ?"
        portion = question.portion_of
        if portion is not None and (self.specific(portion) or question.asks_share) and not mentions(best, portion):
            # "Quelle part de l'enveloppe France Relance ... ?" is not answered by "62% de la France"
            return f"the best sentence's {question.expects or 'share'} is not of {portion!r}"
        counted = question.counted
        if counted is not None and self.specific(counted) and not names_counted(best, question.counted_words):
            # "How many employees does the ANPP have?" is not answered by "la norme ISO 37101"
            return f"the best sentence does not count {counted!r}"
        # "Un PETR peut-il lever l'impôt ?" is not answered by "les aides de nature fiscale (crédits d'impôts ...)"
        subject = question.yes_no_subject
        # (one of its words: "Une communauté de communes peut-elle ... ?" is answered of "Un EPCI ...")
        if subject and best.language in ("", question.language) and not any(term_found(t, best.context) for t in subject):
            return f"the best sentence is not about {' '.join(subject)}"
        # "Quelle loi a créé les pôles métropolitains ?" is not answered of "Les Pôles d'Équilibre Territoriaux"
        if best.language == question.language:
            for noun, adjective in question.qualified:
                if qualified_pattern(noun, adjective).search(self.stats.folded_text) and names_other_kind(best, noun, adjective):
                    return f"the best sentence is not about {noun} {adjective}"
        if question.focus and not about_focus(best, question) and all(self.stats.df.get(t, 0) for t in question.focus):
            return f"nothing about {' '.join(question.focus)}"  # not the previous answer again
        # a duration or a date asked anew is answered by one ("Et sur quelle période s'inscrit-il ?":
        # "sur la durée du mandat 2020 – 2026")
        if question.asks_anew and not names_any(best, question.asks_anew) and not (question.expects and best.features["type_match"]):
            return f"nothing about {' '.join(question.asks_anew)}"  # the previous answer again
        # "Qu'est-ce qu'une commune nouvelle ?" is not answered by a sentence that never names one
        defined = question.defined
        if (defined and len(defined) <= MAX_DEFINED_TERMS and question.definition and best.language in ("", question.language)
                and not covers(best, defined) and not spells_out(best, defined)):
            return f"nothing about {' '.join(defined)}"
        # "Pour quelqu'un qui découvre le sujet : ... ce qu'est un Pays ?": the words around the thing
        # defined lower the score of the sentence defining it ("... les Pays incarnent ...")
        defines_it = bool(question.defined) and bool(best.features["defines"]) and says(best, question.defined)
        # ... nor do they of the sentence naming the firms behind the document asked about ("who's behind
        # that consulting offer? which companies?": "Absiskey and OTE Ingénierie offer you support")
        names_firms = (FIRMS_QUESTION.search(question.own_folded) is not None and best.source in question.documents
                       and bool(self.firm_names(best, question)))
        # ... nor of the sentence citing the article asked for ("Which provision of the MAPAM act set up
        # the PETR?": "Article 79 of this law provides territories with a new tool")
        cites_it = ARTICLE_QUESTION.search(question.own_folded) is not None and cites_article(best, around=False)
        # ... nor of the sentence dating the event asked about, of its subject (dates_it: "When were Pays
        # created?": "Introduits dans la législation par la loi Pasqua de 1995, ..., les Pays incarnent ...")
        slack = DATED_SLACK if dates_it else DEFINITION_SLACK if defines_it or names_firms or cites_it else 0.0
        if best.score < self.min_score() - slack:
            return "weak evidence"
        return None

    def off_topic(self, question: Question, units: list[Unit], best: Unit | None = None) -> bool:
        """No sentence of the passages is as close to the question as the model's floor.

        The floors are similarities of the embedder the model was fitted with: with another one (a
        sentence-transformers model, the tests' fake) there is no gate until `eval --calibrate` runs.
        When the best unit is in the other language and the nearest one in the question's, the
        best one is judged on the cross-language floor: that no English sentence is close to "How
        many CLS contracts are carried by Pays?" says nothing of "82 CLS (sur 318, soit 26%)".
        """
        fitted = self.model.meta.get("embedder")
        if fitted and fitted != self.embedder.model_id:
            return False
        near = nearest(units)
        if near is not None and best is not None and crosslingual(best, question) and not crosslingual(near, question):
            near = best
        return near is not None and near.features["similarity"] < self.model.similarity_floor(crosslingual(near, question))

    def off_corpus(self, question: Question) -> list[str]:
        """The words of a French question, when none is in the French passages ("Quelle est la
        recette de la tartiflette ?") and it names no document; else nothing. The off-topic gate refuses most of
        these, but it works only with the embedder it was fitted with; this works with any. An English
        question only when none of its words is known: the lexicon that bridges the languages is small."""
        # "changer" is not known because the English passages say "change": a stem shared across
        # languages is a coincidence, unless the word is a name ("Absiskey") or an acronym.
        in_language = self.stats.df_by_language.get(question.language, self.stats.df)
        names = set(analyze(" ".join(question.names() + question.acronyms())))
        # a word with a listed synonym in the corpus is not foreign to it ("origine": "déclencheurs")
        # nor is one the lexicon translates into the English documents' words ("phases": "steps")
        typed = [word for word in question.text.split() if fold(word.strip("?,.;:!()")) in self.stats.acronym_words]
        written = set(analyze(" ".join(question.acronyms() + typed)))
        unknown = [t for t in question.terms if (not any(in_language.get(s, 0) for s in synonyms(t))
                   and not any(self.stats.df.get(s, 0) for s in english_stems_for(t))
                   and not (t in names and self.stats.df.get(t, 0)))
                   or (t in self.stats.acronym_only and t not in written)]
        off = question.language == "fr" and not question.documents and (
            (len(unknown) >= MIN_UNKNOWN_TERMS and len(unknown) >= OFF_CORPUS_SHARE * len(question.terms))
            or (len(unknown) >= MIN_MOSTLY_UNKNOWN_TERMS and len(unknown) >= MOSTLY_OFF_CORPUS_SHARE * len(question.terms)))
        if off:
            return unknown
        # "What's a good recipe for ratatouille?": no word in the English passages, nor a French one the
        # lexicon gives for it (the off-topic gate has no floor across languages: only French passages
        # are near); every word, as the lexicon is small
        if question.language == "en" and not question.documents:
            english = self.stats.df_by_language.get("en", {})
            french = question.french_stems
            # ... nor a French word written with its accents ("spread over how many départements?")
            accented = set(analyze(" ".join(w for w in question.text.split() if fold(w) != w.lower())))
            foreign = [t for t in question.terms if not english.get(t, 0) and not any(self.stats.df.get(s, 0) for s in french.get(t, ()))
                       and not ((t in names or t in accented) and self.stats.df.get(t, 0))]
            if len(foreign) >= MIN_UNKNOWN_TERMS and len(foreign) == len(question.terms):
                return foreign
        # "Comment obtenir un permis de chasse ?": a how-to question is about its object, whatever its
        # verb ("obtenir", "refaire" are often not the passages' words); half of the object unknown
        # is another thing than the corpus tells of ("permis" is known, "chasse" is not)
        object_terms = question.how_to_object
        unknown_object = [t for t in object_terms if t in unknown]
        # nor is its head unknown ("Comment faire une procuration ... ?": "procuration")
        if (question.language == "fr" and not question.documents and unknown_object
                and (2 * len(unknown_object) >= len(object_terms) or object_terms[0] in unknown_object)):
            return unknown_object
        head = HEAD_QUESTION.match(question.own_folded)
        if question.language == "fr" and head is not None:
            word = own_spelling(question.text, head.group(1))
            stems = analyze(word)
            if stems and stems[0] in unknown and stems[0] not in ANSWER_KINDS:
                return [word]
        return []

    def specific(self, attribute: str) -> bool:
        """Whether the attribute is rare enough in the corpus for its absence from the best sentence
        to tell: "président" is; "conditions" or "objet", found in a passage out of five, are not,
        nor is a role or a purpose, which a sentence states without naming it ("le rôle du PETR
        auprès des partenaires financiers": "être le relais auprès des partenaires financiers")."""
        return fold(attribute) not in ABSTRACT_ATTRIBUTES and self.stats.rarity(attribute) >= MIN_ATTRIBUTE_IDF

    @staticmethod
    def holds_value_of(question: Question, best: Unit, attribute: str) -> bool:
        """A number or date question answered by one: "Le passeport est valable 10 ans" answers
        "Quelle est la durée de validité du passeport ?" without saying "durée". A cost or an
        amount needs a price, not any number (see `mentions`)."""
        return bool(question.expects and best.features["type_match"]) and fold(attribute) not in MONEY_ATTRIBUTES

    def unknown_bodies(self, question: Question) -> list[str]:
        """The councils, committees and conferences a French question names that the corpus never does."""
        if question.language != "fr":
            return []
        return [match.group(0).split(" ", 1)[1] for match in BODY.finditer(fold(question.text))
                if analyze(match.group(3)) and match.group(3).split("-")[0] not in BODY_VERBS
                and not self.stats.names_body(match.group(1), match.group(3))]

    def document_names(self, unit: Unit, name: str) -> bool:
        """Whether the unit, its passage, its sheet or its document names `name`."""
        named = self.stats.document_stems.get(unit.source, set()) | unit.passage | unit.sheet
        return mentions(unit, name) or all(term_found(t, named) for t in analyze(name))

    def unnamed_defined(self, question: Question) -> str | None:
        """What a French definition question asks about, a noun and its complement, when the corpus
        never names it: "Qu'est-ce qu'un contrat de cohésion territoriale ?" is not answered by the
        CRTE, whose "cohésion territoriale" is one of its keys."""
        thing = question.defined_thing if question.language == "fr" and question.defined else ""
        named = NOUN_AND_COMPLEMENT.match(thing)
        if named is None or not analyze(named.group(2)) or self.stats.names_body(named.group(1), named.group(2)):
            return None
        return thing

    def unknown_names(self, question: Question) -> list[str]:
        """Names the question gives that the corpus never mentions (not "Or" in "Côte d'Or": a stopword).
        An English name is known when each of its words is: "United States" is not through "État"."""
        def known(name: str) -> bool:
            if question.language != "en" or self.stats.known(name):
                return self.known(name, question.language)
            return all(self.known(word, "en") for word in name.split() if analyze(word))
        return [name for name in question.names() if analyze(name) and not known(name)]

    def known(self, word: str, language: str, synonymous: bool = True) -> bool:
        """Whether the corpus mentions the word, a listed synonym ("dirige": "présidé"; not with
        `synonymous` False) or its translation ("leverage": "levier"; "étapes": "steps", which only
        the English offer lists)."""
        if self.stats.known(word):
            return True
        stems = analyze(word)
        if synonymous and stems and all(any(self.stats.df.get(s, 0) for s in synonyms(stem)) for stem in stems):
            return True
        if language == "en":
            return any(self.stats.df.get(stem, 0) > 0 for french in french_stems_of(word).values() for stem in french)
        return any(self.stats.df.get(stem, 0) > 0 for stem in english_stems_for(word))

    def known_event(self, word: str) -> bool:
        """Whether the corpus tells of the event, in any form or language: "votée" is told by the
        English offer's "voted" (kept whole by the French stemmer)."""
        # "transformed": the French stemmer keeps English words whole; their root is "transform"
        # ... and a verb telling the same event counts ("trialled": "lancée")
        stems = stems_both_ways(word) | set(same_event_roots(word))
        return any(known.startswith(stem) for stem in stems if len(stem) >= 3 for known in self.stats.df)

    def rare_names(self, question: Question) -> list[str]:
        """Names the question gives ("Bretagne", "Pays de Retz" -> "Retz") that few passages mention."""
        names = question.names() + question.acronyms(own=True)
        # a name that says which document to read is no topic: "Dans l'offre d'Absiskey, à quelle date ... ?"
        return [name for name in names if self.stats.known(name) and self.stats.rarity(name) >= MIN_NAME_IDF
                and not set(analyze(name)) <= question.document_words]

    def names_in(self, text: str, question: Question) -> tuple[str, ...]:
        """The places, bodies or persons `text` names that the question does not: capitalised words
        inside a sentence that few passages use ("Voironnais", not the "Communautés de communes"
        the corpus capitalises everywhere)."""
        asked = set(analyze(question.text))
        return tuple(name for name in NAME.findall(text) if self.stats.rarity(name) >= MIN_NAME_IDF and not set(analyze(name)) <= asked)

    def firm_names(self, unit: Unit, question: Question) -> tuple[str, ...]:
        """The names the unit itself gives that may be a firm's: not a word of the lexicon
        ("European", "State", "Countries"), nor a month, nor a word of an acronym's long form ("Territorial and
        Rural Balance Clusters")."""
        return tuple(name for name in self.names_in(unit.text, question)
                     if not {fold(name), re.sub(r"ies$", "y", fold(name)), fold(name).rstrip("s")} & ENGLISH_TO_FRENCH.keys()
                     and not re.fullmatch(_MONTHS, fold(name))
                     and not any(fold(name).startswith(stem) for stem in LONG_FORM_STEMS if len(stem) >= 4))

    def gives_names(self, unit: Unit, question: Question) -> bool:
        """Whether the unit or the sentence before it names a place, a body or a person the question does not."""
        return bool(self.names_in(f"{unit.previous}\n{unit.text}", question))

    def min_score(self) -> float:
        return self.settings.answer_min_score if self.settings.answer_min_score is not None else self.model.min_score


# ---------------------------------------------------------------------------------------------
# The answer


def make_citation(n: int, hit: Hit, unit: Unit | None, used: bool) -> Citation:
    chunk = hit.chunk
    quote_start, quote_end = (unit.start, unit.end) if unit else (0, 0)
    return Citation(
        n=n,
        source=chunk.doc.source,
        title=chunk.doc.title,
        page=chunk.page,
        section=chunk.section,
        text=chunk.text,
        quote=chunk.text[quote_start:quote_end],
        score=round(float(hit.score), 6),
        doc_type=chunk.doc.doc_type,
        date=chunk.doc.date,
        quote_start=quote_start,
        quote_end=quote_end,
        chunk_id=chunk.id,
        used=used,
    )


def citations_for(hits: list[Hit], quotes: dict[int, Unit], used: set[int]) -> list[Citation]:
    return [make_citation(i + 1, hit, quotes.get(i), i in used) for i, hit in enumerate(hits)]


def passage_quotes(units: list[Unit], chosen: list[Unit], n_hits: int, question: Question | None = None) -> dict[int, Unit]:
    """Hit rank -> the sentence its passage is quoted by.

    A passage the answer used is quoted by the first sentence taken from it. Any other passage is
    quoted by its best sentence that no passage before it already shows: overlapping chunks hold
    the same sentences, and "Sources" listing one quote twice tells the reader nothing.
    """
    quotes: dict[int, Unit] = {}
    for unit in chosen:
        quotes.setdefault(unit.hit_rank, unit)
    shown = [unit.text for unit in quotes.values()]
    ranked = sorted(units, key=lambda u: (not can_answer(u, question), -u.score))
    for rank in range(n_hits):
        if rank in quotes:
            continue
        own = [u for u in ranked if u.hit_rank == rank]
        fresh = [u for u in own if not any(_same_text(u.text, text) for text in shown)]
        if fresh or own:
            quotes[rank] = (fresh or own)[0]
            shown.append(quotes[rank].text)
    return quotes


def nearest(units: list[Unit]) -> Unit | None:
    """The unit most similar to the question (embeddings only)."""
    return max(units, key=lambda u: u.features["similarity"], default=None)


def crosslingual(unit: Unit, question: Question) -> bool:
    return unit.language not in ("", question.language)


def can_answer(unit: Unit, question: Question | None = None) -> bool:
    """Headings are not answers, unless labelled by what the question asks for ("Quels sont les
    axes de l'accord ?": "Axe 1 : Redynamiser les économies locales"); nor are list announcements
    ("L'Etat s'engage à :") except to tell how many items there are ("... structured around 3 key
    steps:"). Questions are not either, unless the question asks which questions a document raises
    (a sentence that repeats the question can be: "ne peut")."""
    if unit.features["heading"] and not (unit.features["field_match"] and len(unit.text.split()) > 3):
        return False
    if unit.text.rstrip().endswith(":") and not unit.features["type_match"] and not (
            # "Absiskey and OTE Ingénierie offer you support ..., to:" names who, for "Quels cabinets ... ?"
            question is not None and WHO_OR_WHICH.match(question.own_folded) and unit.names):
        return False  # announces a list the passage does not hold; it may still tell how many items
    if question is not None and is_signature(unit.text) and not question.may_ask_signatures(unit):
        return False  # says who signed, where and when: "Fait à Paris ..." tells nothing of the weather in Paris
    if question is None:
        return not unit.features["is_question"]
    return question.looks_in(unit) and (not unit.features["is_question"] or question.asks_questions)


def choose_units(units: list[Unit], model: AnswerModel, first: Unit, question: Question | None = None) -> list[Unit]:
    """The best unit, then the next ones that score close to it (comparisons, multi-part answers).

    A question that names several documents ("selon la fiche de l'ANPP et selon l'accord") also
    gets the best unit of each named document, however far behind it scores, and a difference the
    best unit about its other side.
    """
    chosen = [first]
    if question is not None and question.ordinal is not None and numbered(first, question.ordinal):
        return chosen  # the third axis, not the others
    ranked = sorted((u for u in units if can_answer(u, question)), key=lambda u: u.score, reverse=True)
    for acronym in question.spelled_out if question is not None else ():  # nor the CRTE after the CTE
        ranked = [u for u in ranked if not about_broader(u, acronym)]
    # A typed answer gets more of the same kind, nothing else: the other parties' signatures, other
    # dates ("Quand ... ?" is not answered further by a sentence without one).
    if question is not None and question.asks_signatories and is_signatory_block(first):
        ranked = [u for u in ranked if is_signatory_block(u)]
    elif question is not None and question.expects and first.features.get("type_match"):
        ranked = [u for u in ranked if u.features.get("type_match")]
    elif question is not None and question.definition and first.features.get("defines"):
        ranked = [u for u in ranked if u.features.get("defines")]  # what it is, not a link label naming it
    if question is not None and question.sections and question.in_named_section(first):
        ranked = [u for u in ranked if question.in_named_section(u)]
    if question is not None and question.focus and about_focus(first, question):
        ranked = [u for u in ranked if about_focus(u, question)]  # "Et de CLS ?": not the PCAET again
    series = series_of(first)
    # "Quels sont les axes ... ?": every axis retrieved, in order, whatever its score; not "selon l'axe 2"
    if series is not None and question is not None and re.search(rf"\b{re.escape(series)}[sx]\b", question.own_folded):
        chosen += [u for u in ranked if u is not first and series_of(u) == series and u.text != first.text][:MAX_SERIES - 1]
        return sorted(chosen, key=lambda u: int(m.group(1)) if (m := SERIES_NUMBER.match(u.text)) else 0)
    if question is not None and len(question.documents) > 1:
        # of each document, a unit naming the acronyms asked about ("each say about LEADER funding":
        # "560 millions via le programme LEADER"), if one does
        asked = [a for a in question.acronyms(own=True) if not set(analyze(a)) <= question.document_words]
        # ... or, when it names none, a unit naming a place it names ("Pays de Retz and Nantes: how do the
        # slides and the agreement each present that partnership?": the slide on Nantes and the Pays de Retz)
        places = [n for n in question.names() if not set(analyze(n)) <= question.document_words]
        for source in question.documents:
            if not any(u.source == source for u in chosen):
                of_source = [u for u in ranked if u.source == source]
                naming = ([u for u in of_source if asked and all(says(u, analyze(a)) for a in asked)]
                          or [u for u in of_source if places and not asked and any(says(u, analyze(n)) for n in places)])
                chosen += (naming or of_source)[:1]
    for side in question.sides if question is not None else ():
        if not any(tells_side(u, question) == side for u in chosen):
            chosen += [u for u in ranked if tells_side(u, question) == side][:1]
    if question is not None and question.sides and all(any(tells_side(u, question) == side for u in chosen) for side in question.sides):
        return chosen  # what each side is; sentences naming both in passing add nothing
    length = sum(len(u.text) for u in chosen)
    signatures_join = signing_told(first, question)
    for unit in ranked:
        if len(chosen) >= model.max_units or unit.score < first.score - max(model.extra_margin, CONTINUATION_MARGIN):
            break
        if unit.score < first.score - model.extra_margin and not goes_on_from(unit, first):
            continue
        if is_signatory_block(unit) and not signatures_join:
            continue  # "Avant la signature d'un CRTE, quels accords ... ?": not who signed the accord
        if question is not None and unit.sheet and unit.features.get("field") and unit.hit_rank != first.hit_rank and not names_sheet(unit, question):
            continue  # "Combien de SCoT ... à l'échelle des Pays ?": not the TRIDAN sheet's "3 SCoT" as well
        overlaps = any(u.hit_rank == unit.hit_rank and u.start < unit.end and unit.start < u.end for u in chosen)
        duplicate = any(_repeats(u.text, unit.text) for u in chosen)
        if overlaps or duplicate or length + len(unit.text) > MAX_ANSWER_CHARS:
            continue
        chosen.append(unit)
        length += len(unit.text)
    if all(u.features.get("heading") for u in chosen):  # "Axe 1 ...", "Axe 2 ...", "Axe 3 ..." in order
        chosen.sort(key=lambda u: int(m.group(1)) if (m := SERIES_NUMBER.match(u.text)) else 0)
    return chosen


def counted_passage(question: str, language: str, hits: list[Hit], further: Callable[[], list[Hit]]) -> list[Hit]:
    """`hits`, with the last one given up for the best of the `further` ones (fetched only then)
    that counts what a "Combien de ... ?" question counts, when none of `hits` does: "Combien de
    SCoT sont portés par les Pays et PETR ?" ranks the passage with "251 SCoT (sur 441)" 7th,
    behind passages about the Pays."""
    parsed = Question.parse(question, language, [hit.chunk.doc for hit in hits])
    if parsed.expects != "number" or not parsed.counted_words or not hits:
        return hits
    counted = {stem for word in parsed.counted_words for stem in counted_forms(word)}
    given = GIVEN_NUMBER.findall(own_words_of(question))
    return _passage_past(hits, further, lambda text: counts(text, counted, given))


def _passage_past(hits: list[Hit], further: Callable[[], list[Hit]], fits: Callable[[str], bool]) -> list[Hit]:
    """`hits` when one of them `fits`, else with the last one given up for the first of the `further`
    ones (fetched only then) that does."""
    if any(fits(hit.chunk.text) for hit in hits):
        return hits
    taken = {hit.chunk.id for hit in hits}
    found = next((hit for hit in further() if hit.chunk.id not in taken and fits(hit.chunk.text)), None)
    return hits if found is None else [*hits[:-1], found]


def dated_passage(question: str, language: str, hits: list[Hit], further: Callable[[], list[Hit]]) -> list[Hit]:
    """`hits`, with the last one given up for the first of the `further` ones where a sentence tells
    the event a date question asks about with a year, when none of `hits` does: "Les Pays, ils ont
    été créés par quel texte à l'origine, et en quelle année ?" ranks "Introduits dans la législation
    par la loi Pasqua de 1995, ..., les Pays incarnent ..." 12th, behind passages naming Pays in passing."""
    parsed = Question.parse(question, language, [hit.chunk.doc for hit in hits])
    # ... and of an agent question on an act bringing a thing into being ("créés par quel texte ?"), a
    # sentence telling who did it
    event = parsed.event or parsed.creating_act
    if event is None or not hits:
        return hits
    roots = same_event_roots(event)

    def tells(sentence: str) -> bool:
        if parsed.event is not None:
            return bool(YEAR.search(sentence) and verb_forms(WORD.findall(fold(sentence)), roots))
        return done_by(sentence, event)

    def fits(text: str) -> bool:
        return any(tells(text[start:end]) for start, end in split_sentences(text))

    return _passage_past(hits, further, fits)


def defining_pattern(thing: str) -> re.Pattern:
    """The thing (folded), as the subject of a defining verb a word or two later ("les Pays incarnent",
    "Un PETR est"), read on folded text."""
    return re.compile(rf"\b{re.escape(thing)}[sx]?\s+(?:[a-z'-]+\s+){{0,2}}?(?:{DEFINING.pattern})")


def defining_passage(question: str, language: str, hits: list[Hit], further: Callable[[], list[Hit]]) -> list[Hit]:
    """`hits`, with the last one given up for the first of the `further` ones that says what a
    definition question's thing is, when none of `hits` does: "Qu'est-ce qu'un Pays ?" ranks the page
    where "les Pays incarnent une organisation territoriale ..." 10th, behind passages naming Pays in passing."""
    parsed = Question.parse(question, language, [hit.chunk.doc for hit in hits])
    if not parsed.definition or not parsed.defined or not hits:
        return hits
    defining = defining_pattern(parsed.defined_thing)
    return _passage_past(hits, further, lambda text: defining.search(fold(text)) is not None)


def extractive_answer(
    question: str, hits: list[Hit], extractor: Extractor, query_vector: np.ndarray | None, language: str
) -> tuple[str, bool, list[Citation], list[Citation], str | None]:
    """(answer text, abstained, citations, closest passages shown on abstention, why it abstained)."""
    parsed = Question.parse(question, language, [hit.chunk.doc for hit in hits], [hit.chunk.section for hit in hits])
    units = extractor.units(hits, parsed, query_vector) if hits else []
    first = best_unit(units, parsed)
    if FIRMS_QUESTION.search(parsed.own_folded):  # a sentence naming them beats one about what they offer
        first = _prefer(first, [u for u in units if can_answer(u, parsed)], lambda u: bool(extractor.firm_names(u, parsed)))
    rare = extractor.rare_names(parsed) if parsed.expects else []
    if rare:  # "what share of SCoTs ...?": "251 SCoT (sur 441), soit 57%", not a figure of the same list about CRTE
        first = _prefer(first, [u for u in units if can_answer(u, parsed)], lambda u: all(names_rare(u, name, parsed) for name in rare))
    reason = extractor.abstention_reason(parsed, first, units)
    if reason == OFF_TOPIC and not crosslingual(first, parsed):
        # "Which law first brought the Pays into French legislation?": no English sentence is close,
        # the French one that answers is read across languages on the model's cross-language terms
        across = [u for u in units if crosslingual(u, parsed)]
        other = best_unit(across, parsed)
        if other is not None and extractor.abstention_reason(parsed, other, across) is None:
            first, reason, units = other, None, across
    if reason is not None:
        closest = hits[:CLOSEST_PASSAGES]
        # the reader sees that the items are announced, though never listed ("4 axes de coopérations envisagés")
        announced = unlisted_announcement(parsed, units) if reason == UNLISTED else None
        shown = [announced] if announced is not None and announced.hit_rank < len(closest) else []
        return REFUSAL.get(language, REFUSAL["fr"]), True, [], citations_for(closest, passage_quotes(units, shown, len(closest)), set()), reason
    chosen = choose_units(units, extractor.model, first, parsed)
    chosen = [with_antecedent(u, hits[u.hit_rank].chunk.text, chosen) for u in chosen]
    parts = [f"{slide_title(u, hits[u.hit_rank].chunk)}{_one_line(u.text)} [{u.hit_rank + 1}]" for u in chosen]
    # One line per sentence taken: they may come from different passages and need not follow on.
    quotes = passage_quotes(units, chosen, len(hits), parsed)
    return "\n".join(parts), False, citations_for(hits, quotes, {u.hit_rank for u in chosen}), [], None


def slide_title(unit: Unit, chunk: Chunk) -> str:
    """"Entente interterritoriale TRIDAN — " before a slide field ("Acteurs  Pilotage : ..."): a field
    says nothing of which tool it describes, and the slide's title, which its passage also holds,
    does ("Dans quel PNR ... ?": "Plans de coopération sur le PNR des Monts d'Ardèche")."""
    title = chunk.section.rsplit(" > ", 1)[-1].strip(" «»")
    if not unit.features.get("field") or is_signature(unit.text) or not title or title in chunk.doc.title:
        return ""
    if unit.features.get("heading") or normalize_for_match(title) in normalize_for_match(unit.text):
        return ""  # "Axe 1 : Redynamiser les économies locales" is its own title
    return f"{title} — "


NOT_FOUND_FOR = {
    "fr": "« {part} » : je ne trouve pas la réponse dans le corpus.",
    "en": "“{part}”: I cannot find the answer in the corpus.",
}
MARKER = re.compile(r" \[(\d+)\]$", re.MULTILINE)  # the passage number ending each line of an answer


def merge_parts(parts: list[tuple[str, list[Hit], tuple]], language: str) -> tuple[str, bool, list[Citation], list[Citation], str | None, list[Hit]]:
    """One answer to a message asking several questions: each part's answer in turn, or that the
    corpus does not answer it; `parts` holds (question, hits, `extractive_answer` result) for
    each. The passages of all parts are numbered once, each part's best first.

    Returns `extractive_answer`'s result and the merged passages."""
    hits: list[Hit] = []
    for rank in range(max(len(part_hits) for _, part_hits, _ in parts)):
        for _, part_hits, _ in parts:
            if rank < len(part_hits) and all(h.chunk.id != part_hits[rank].chunk.id for h in hits):
                hits.append(part_hits[rank])
    number = {hit.chunk.id: n for n, hit in enumerate(hits, 1)}
    lines, reasons = [], []
    cited: dict[str, Citation] = {}  # chunk id -> its citation, the one quoting what the answer used first
    nearest_passages: dict[str, Citation] = {}
    before_abstained = False
    for question, _, (text, abstained, citations, closest, reason) in parts:
        # "Quel a été le tout premier CRTE signé, et quand ?": when is not told of what the corpus does not
        # name, nor is "..., et en quelle année ?" (a word naming the kind of answer asks nothing new)
        # nor is a bare phrase saying more of what the part before asked ("Quelle procédure ... ? quel article du CGCT ?")
        own = own_words_of(question)
        if not abstained and before_abstained and (set(question_terms(own)) <= ANSWER_KINDS
                                                   or BARE_WH_PHRASE.match(fold(own.strip(" ?"))) is not None):
            abstained, closest, reason = True, [], "asks of a part the corpus does not answer"
        before_abstained = abstained
        if abstained:
            lines.append(NOT_FOUND_FOR.get(language, NOT_FOUND_FOR["fr"]).format(part=question.rstrip(" ?")))
            reasons.append(f"{question.rstrip(' ?')}: {reason}")
            for citation in closest:
                nearest_passages.setdefault(citation.chunk_id, citation)
            continue
        local = {c.n: number[c.chunk_id] for c in citations}
        renumbered = MARKER.sub(lambda m: f" [{local.get(int(m.group(1)), m.group(1))}]", text).splitlines()
        # a sentence that answered an earlier part is not said twice, even when it is all this part has:
        # it answers both ("How many communities ..., and spread over how many départements?")
        lines += [line for line in renumbered if line not in lines]
        for citation in citations:
            if citation.chunk_id not in cited or (citation.used and not cited[citation.chunk_id].used):
                cited[citation.chunk_id] = citation
    if not cited:  # no part answered
        closest = [dataclasses.replace(c, n=n) for n, c in enumerate(nearest_passages.values(), 1)]
        return REFUSAL.get(language, REFUSAL["fr"]), True, [], closest, "; ".join(reasons), hits
    citations = [dataclasses.replace(cited[hit.chunk.id], n=n) if hit.chunk.id in cited
                 else dataclasses.replace(nearest_passages[hit.chunk.id], n=n, used=False) if hit.chunk.id in nearest_passages
                 else make_citation(n, hit, None, False) for n, hit in enumerate(hits, 1)]
    return "\n".join(lines), False, citations, [], None, hits


def signing_told(unit: Unit, question: Question | None) -> bool:
    """Whether the answer is about who signed or where and when: other signatures may join it."""
    return (question is not None and question.asks_signatories) or is_signatory_block(unit) or SIGNED_AT.match(unit.text.strip()) is not None


def goes_on_from(unit: Unit, first: Unit) -> bool:
    """Whether the unit is the sentence right after `first` and opens on a pronoun standing for it."""
    return (unit.hit_rank == first.hit_rank and unit.start >= first.end and unit.previous == first.text
            and ANAPHORIC_START.match(unit.text) is not None)


def with_antecedent(unit: Unit, passage: str, chosen: list[Unit] = ()) -> Unit:
    """A sentence opening on a pronoun ("Ils seront régulièrement enrichis ...") with the sentence it
    refers back to, so that the answer says what "ils" is; the quote covers both. Not when the
    answer already holds that sentence."""
    if not unit.previous or not ANAPHORIC_START.match(unit.text) or len(unit.previous) > MAX_ANTECEDENT_CHARS:
        return unit
    start = passage.rfind(unit.previous, 0, unit.start)
    if start < 0 or any(u.hit_rank == unit.hit_rank and u.start < unit.start and u.end > start for u in chosen):
        return unit
    return dataclasses.replace(unit, start=start, text=passage[start:unit.end], previous="")


def best_unit(units: list[Unit], question: Question) -> Unit | None:
    """The highest-scoring unit, unless the question's form asks for another kind.

    "What does X stand for?": the best unit that spells X out (none: abstain). "What is X?": a unit
    that defines X, in a passage about X, beats one that only mentions X in passing. "Quelle est
    l'ambition de ...?": a unit naming the ambition beats one scoring a little higher that does not;
    so does a number or a date when one is asked for, a signature block for "Qui a signé ... ?".
    A follow-up naming a new topic takes a unit about it; a difference, a unit about its first side.
    """
    candidates = [u for u in units if can_answer(u, question)]
    candidates = [u for u in candidates if question.in_named_section(u)] or candidates
    if question.own_documents:  # "... d'après l'accord ? qu'est-ce qu'il a produit selon les diapos ?": the slides
        candidates = [u for u in candidates if u.source in question.own_documents] or candidates
    for acronym in question.spelled_out:  # a CTE asked about, not the CRTE
        candidates = [u for u in candidates if not about_broader(u, acronym)] or candidates
    if question.asks_anew:  # "... ? Et qui sont les partenaires ?": not the last answer again
        # in words first: "y seront associés" says it, "l'ANPP" only through its long form "Association ..."
        # the "Fait à Paris, le ..." line tells of the signature without the word
        signing = SIGNATURE_TOKENS & set(question.asks_anew)
        # an English follow-up's words through the lexicon too ("who chairs ...?": "co-présidé")
        bridge = question.french_stems if question.language == "en" else {}
        anew = set(question.asks_anew).union(*(bridge.get(t, ()) for t in question.asks_anew))
        candidates = ([u for u in candidates if says_any(u, anew) or (signing and SIGNED_AT.match(u.text.strip()))]
                      or [u for u in candidates if names_any(u, question.asks_anew)] or candidates)
    if question.focus:
        candidates = [u for u in candidates if about_focus(u, question)] or candidates
    if question.sides:  # a difference: what one side is, not a sentence naming both in passing
        candidates = [u for u in candidates if tells_side(u, question) == question.sides[0]] or candidates
    acronym = question.asks_expansion_of()
    if acronym is not None:
        # the first long form is the acronym's own; the others are translations or synonyms
        # ("intercommunalité"): only an English sentence spelling it out in English answers with one
        # ("The law for Modernisation of Territorial Public Action ... (known as the MAPAM law)")
        longs = [set(analyze(long)) for long in GLOSSARY[acronym]]
        candidates = ([u for u in candidates if longs[0] <= set(analyze(u.text))]
                      or [u for u in candidates if u.language == "en" and any(stems <= set(analyze(u.text)) for stems in longs[1:])])
    elif question.definition:
        definitions = [u for u in candidates if u.features["defines"] and (
            about_focus(u, question) if question.focus else u.features["context_coverage"] >= DEFINITION_COVERAGE)]
        # "Je débute dans un PETR : comment la page présente-t-elle ce qu'est un Pays ?": the words
        # around the defined thing do not say what it is; "les Pays incarnent ..." does
        defined = question.defined
        if not definitions and defined:
            definitions = [u for u in candidates if u.features["defines"] and says(u, defined)]
        candidates = definitions or candidates
    best = max(candidates, key=lambda u: u.score, default=None)
    if question.definition and question.defined_thing:  # "les Pays incarnent ...", not "Ce sont 268 Territoires (... Pays ...)"
        subject = defining_pattern(question.defined_thing)
        best = _prefer(best, candidates, lambda u: subject.search(fold(u.text)) is not None)
        if not question.asks_why:  # "what is a PETR ...?": "Un PETR est l'outil de ses EPCI ...", not "Le PETR a pour mission ..."
            copula = re.compile(rf"\b{re.escape(question.defined_thing)}[sx]?\s+(?:est|sont|is|are)\b")
            best = _prefer(best, candidates, lambda u: copula.search(fold(u.text)) is not None)
    if question.focus:  # "And what about at regional level?": "Au niveau régional, ...", not "aux niveaux national et régional"
        bridge = question.french_stems if question.language == "en" else {}
        best = _prefer(best, candidates, lambda u: opens_on(u, question.focus, bridge))
    if question.expects:
        margin = COUNT_MARGIN if question.counted is not None and question.expects == "number" else PREFERENCE_MARGIN
        best = _prefer(best, candidates, lambda u: bool(u.features["type_match"]), margin=margin)
        own = question.acronyms(own=True)
        if question.expects == "number" and own:  # "How much LEADER funding ...?": "560 millions via le programme LEADER"
            best = _prefer(best, candidates, lambda u: bool(u.features["type_match"]) and all(says(u, analyze(a)) for a in own),
                           margin=COUNT_MARGIN)
    if best is not None and question.expects in ("date", "year") and is_signatory_block(best):
        # "Quand Barbara Pompili a-t-elle signé l'accord ?": the block names her, its "Fait à ..., le ..." line says when
        best = next((u for u in candidates if u.source == best.source and SIGNED_AT.match(u.text.strip())), best)
    attribute = question.attribute
    if attribute is not None:
        best = _prefer(best, candidates, lambda u: mentions(u, attribute))
    counted = question.counted
    if counted is not None:
        best = _prefer(best, candidates, lambda u: names_counted(u, question.counted_words) and bool(u.features["type_match"]))
    # "Combien de SCoT sont portés à l'échelle des Pays ?" is not asked of the TRIDAN sheet's "3 SCoT":
    # a sheet about one tool answers questions naming that tool
    # (a count all the more, unless the question says more of the sheet than what it counts: "How many SCoTs
    # are carried at Pays level?" is not the TRIDAN sheet's "3 SCoT", whose field label "échelle" says "level";
    # "the slide case that started from the 2009 DRAAF call" is the sheet whose "16 actions possibles" are asked)
    if question.counted is not None and best is not None and best.sheet and not names_sheet(best, question):
        counted = {stem for word in question.counted_words for stem in counted_forms(word)}
        if sum(term_found(t, best.sheet) for t in question.terms if not term_found(t, counted)) <= 1:
            best = _prefer(best, candidates, lambda u: not u.sheet and names_counted(u, question.counted_words)
                           and bool(u.features["type_match"]), margin=COUNT_SHEET_MARGIN)
    best = _prefer(best, candidates, lambda u: not u.sheet or names_sheet(u, question) or tells_sheet(u, question))
    # "Who steers the TRIDAN inter-territorial agreement?": the sheet the question names by its own name (an
    # acronym no glossary holds), not "un outil, piloté par l'ANCT" in another document
    own_names = [name for name in question.acronyms(own=True) if name not in GLOSSARY]
    if own_names:
        best = _prefer(best, candidates, lambda u: bool(u.sheet) and any(
            all(term_found(t, sheet_title(u)) for t in analyze(name)) for name in own_names))
    if best is not None and best.sheet:
        # of two sheets, the one saying more of the question: "les deux syndicats mixtes autour du SAGE
        # de l'Ardèche" is the water sheet, not the Monts d'Ardèche park's, though both name the Ardèche
        def told(u: Unit) -> int:
            return sum(term_found(t, u.sheet) for t in question.terms)
        told_by_best = told(best)
        best = _prefer(best, candidates, lambda u: bool(u.sheet) and told(u) > told_by_best, rank=told)
    asked = question.asked_terms
    if best is not None and best.sheet and asked:
        # the frame found the sheet; of its fields, the one saying what the asking clause asks
        def answers(u: Unit) -> int:
            return sum(term_found(t, u.tokens) for t in asked)
        typed = bool(question.expects and best.features["type_match"])  # "sur combien de thématiques ...": a number still
        on_sheet = max((u for u in candidates if u.hit_rank == best.hit_rank and (u.features["type_match"] or not typed)),
                       key=lambda u: (answers(u), u.score))
        if answers(on_sheet) > answers(best):
            best = on_sheet
    portion = question.portion_of  # "Quelle proportion de la métropole ... ?": "62% de la France métropolitaine"
    if portion is not None:
        best = _prefer(best, candidates, lambda u: mentions(u, portion) and bool(u.features["type_match"]))
    if question.may_do:  # "... peut-elle rejoindre un second PETR ?": "ne peut appartenir à plus d'un PETR"
        # the one saying more of what is done, in the corpus's words ("adhérer": "appartenir")
        def done(u: Unit) -> int:  # term_found reads the listed synonyms too
            stems = set(analyze(u.text))
            return sum(term_found(t, stems) for t in question.may_do)
        # a sentence saying whether two of its words may be done answers the question, from further behind
        best = _prefer(best, candidates, lambda u: MODAL.search(fold(u.text)) is not None and done(u) >= 2, rank=done,
                       margin=MAY_DO_MARGIN)
        best = _prefer(best, candidates, lambda u: MODAL.search(fold(u.text)) is not None and done(u) > 0, rank=done)
    if question.event_subject:
        # "Quand les Pays ont-ils été créés ?", "Les Pays, ils ont été créés par quel texte ?": "Introduits dans la
        # législation par la loi Pasqua de 1995, ..., les Pays incarnent ...", not "Les PETR, crées par la loi
        # du 27 janvier 2014", from further behind
        best = _prefer(best, candidates, lambda u: dates_event(u, question), margin=EVENT_MARGIN)
    if question.predicate:  # "Un PETR est-il un établissement public ?": "ce sont des établissements publics"
        best = _prefer(best, candidates, lambda u: says(u, question.predicate))
    if ARTICLE_QUESTION.search(question.own_folded):  # "Which CGCT article sets out ...?": "Conformément à l'article L. 5741-2 ..."
        # a sentence citing the article itself before one whose neighbour does ("Article 79 of this law ...")
        best = _prefer(best, candidates, lambda u: cites_article(u, around=False))
        best = _prefer(best, candidates, cites_article)
    if question.asks_condition:  # "... on garde celui des anciens contrats ? à quelle condition ?": "lorsque ceux-ci ..."
        best = _prefer(best, candidates, lambda u: CONDITION.search(fold(u.text)) is not None and says_any(u, question.terms))
    said_to_be = PREDICATE_NOUN.search(fold(question.text))
    if said_to_be is not None:  # "... c'est l'outil de qui ? de quelles structures ?": "Un PETR est l'outil de ses EPCI"
        stem = re.escape(analyze(said_to_be.group(1))[0] if analyze(said_to_be.group(1)) else said_to_be.group(1))
        copula = re.compile(rf"\b(?:est|sont|is|are) (?:l'|le |la |les |un |une |des |a |an |the )?{stem}")
        best = _prefer(best, candidates, lambda u: copula.search(fold(u.text)) is not None)
    noun_for = NOUN_FOR_WHAT.search(question.own_folded)
    if noun_for is not None:
        stems = set(analyze(noun_for.group(1))).union(*french_stems_of(noun_for.group(1)).values())
        purpose = re.compile(rf"\b(?:{'|'.join(map(re.escape, stems))})[a-z]*\s+(?:de|d'|pour|for|of)\b")
        best = _prefer(best, candidates, lambda u: purpose.search(fold(u.text)) is not None)
    frame = question.asked_frame
    if frame is not None:  # "sur quel type de territoire ?": "... sur les territoires situés hors métropoles"
        framed = re.compile(rf"\b{frame[0]}\s+(?:\S+\s+){{0,2}}?{re.escape(frame[1])}")
        best = _prefer(best, candidates, lambda u: framed.search(fold(u.text)) is not None)
    if question.asks_means:  # "Par quel canal ... ?": "A travers les représentants de l'ANPP, ..."
        best = _prefer(best, candidates, lambda u: MEANS.search(fold(u.text)) is not None and says_any(u, question.terms))
    if question.asks_why:  # "The vocation of these new closed joint unions is to ..."
        best = _prefer(best, candidates, lambda u: PURPOSE.search(fold(u.text)) is not None and says_any(u, question.terms))
    if question.asks_qualities:  # "Ce projet de territoire est stratégique, intégré et partagé."
        best = _prefer(best, candidates, lambda u: QUALITIES.search(fold(u.text)) is not None and says_any(u, question.terms))
    ordinal = question.ordinal
    if ordinal is not None:  # "Axe 3 : ..." for the third axis
        best = _prefer(best, candidates, lambda u: numbered(u, ordinal))
    if question.asks_signatories and question.expects not in ("date", "year"):  # "... ? Et la signature a eu lieu quand ?": not who
        best = _prefer(best, candidates, is_signatory_block)
        if question.signed_for:  # "And who signed it for the ANPP side?": "Pour l'ANPP, ...", however far behind
            bridge = question.french_stems
            party = [u for u in candidates if is_signatory_block(u) and all(
                found_across(t, tokens_of(u.text.partition("\n")[0]), bridge) for t in question.signed_for)]
            best = max(party, key=lambda u: u.score, default=best)
    elif SIGNATURE_TOKENS & set(question.terms) and WHERE.search(form_words(question.text)):
        best = _prefer(best, candidates, lambda u: SIGNED_AT.match(u.text.strip()) is not None)  # "Fait à Paris, ..."
    return best


def dates_event(unit: Unit, question: Question) -> bool:
    """Whether the unit tells what befell the question's subject with what is asked of it: the date
    of the event asked about, or who did the creating act asked about ("Introduits dans la
    législation par la loi Pasqua de 1995, ..., les Pays incarnent ...")."""
    if not question.event_subject or not says_any(unit, question.event_subject):
        return False
    if question.event is not None:
        return bool(unit.features["type_match"]) and tells_event(unit, question.event)
    return question.creating_act is not None and done_by(unit.text, question.creating_act)


def _prefer(best: Unit | None, candidates: list[Unit], fits, rank=None, margin: float = PREFERENCE_MARGIN) -> Unit | None:
    """`best`, or the best unit that `fits` when `best` does not and that one is close behind.

    `rank`: among the units that fit and are close behind, the one ranked first wins, `best` included.
    """
    if best is None or (fits(best) and rank is None):
        return best
    close = [u for u in candidates if fits(u) and u.score >= best.score - margin]
    if not close:
        return best
    return max(close, key=lambda u: (rank(u) if rank is not None else 0, u.score))


def about_broader(unit: Unit, acronym: str) -> bool:
    """Whether the unit, with the sentence before it, is about a thing whose name holds the acronym's
    words (the CRTE for the CTE) and not about the acronym's own thing."""
    said = f"{unit.previous} {unit.text}"
    return acronym not in ACRONYM.findall(said) and acronym not in spelled_out(said) and bool(broader_acronyms(acronym, said))


def names_rare(unit: Unit, name: str, question: Question) -> bool:
    """Whether the unit names one of the question's rare names ("Bretagne", "SCoT"), itself or on its
    slide sheet; a name in a frame says where the answer is ("Under the MAPAM law, how long ...?"),
    and the unit's passage naming it is enough; so it is for the "Fait à ..., le ..." line, which
    dates every signature of its passage."""
    where = unit.passage if name in question.frame_names or SIGNED_AT.match(unit.text.strip()) else unit.sheet
    return mentions(unit, name) or all(term_found(t, where) for t in analyze(name))


def cites_article(unit: Unit, around: bool = True) -> bool:
    """Whether the unit, or with `around` the text around it in its paragraph, cites an article ("l'article
    L5741-1"; "... the MAPAM law was voted ... Article 79 of this law provides ...")."""
    said = f"{unit.previous} {unit.text} {unit.following}" if around else unit.text
    return any(pattern.search(said) for pattern in (ARTICLE_RE, NUMBERED_ARTICLE))


def sheet_title(unit: Unit) -> frozenset[str]:
    """The stems of the title of the sheet (the last heading) the unit is on."""
    return tokens_of(unit.section.rsplit(" > ", 1)[-1])


def names_sheet(unit: Unit, question: Question) -> bool:
    """Whether the question names a word of the title of the sheet the unit is on ("l'entente
    TRIDAN" for "Entente interterritoriale TRIDAN")."""
    title = sheet_title(unit)
    # a follow-up's too ("Quels sont les axes de l'entente TRIDAN ? Et qui se charge de l'animer ?")
    return any(term_found(t, title) for t in question.all_terms)


def tells_sheet(unit: Unit, question: Question) -> bool:
    """Whether the question tells the unit's sheet by what its other fields say ("la fiche lancée suite
    à l'appel à projets DRAAF de 2009" for "16 actions possibles identifiées par le comité technique"),
    its title standing apart at the foot of the slide."""
    own = unit.tokens or tokens_of(unit.text)
    return sum(term_found(t, unit.sheet) and not term_found(t, own) for t in question.terms) >= SHEET_TOLD


def qualified_pattern(noun: str, adjective: str) -> re.Pattern[str]:
    """"pôle(s) métropolitain(s)" in folded text, in the singular or the plural, maybe after another
    adjective ("aux niveaux national et régional")."""
    return re.compile(rf"\b{re.escape(noun)}[sx]? (?:[a-z-]+ (?:et|ou) |[a-z-]+, )?{re.escape(adjective[:max(4, len(adjective) - 3)])}")


def names_other_kind(unit: Unit, noun: str, adjective: str) -> bool:
    """Whether the unit names the noun only as other kinds of it ("Les Pôles d'Équilibre Territoriaux"),
    or, opening on a pronoun, follows a sentence comparing its subject to that kind ("Ils sont le pendant
    des pôles métropolitains. Selon l'article L5741-1 CGCT, ce sont des établissements publics ...").
    The noun alone may stand for the kind asked ("le chef de projet de l'entente")."""
    folded = fold(unit.text)
    kind = qualified_pattern(noun, adjective)
    if kind.search(folded):
        return False
    named = [m.group(1) for m in re.finditer(rf"\b{re.escape(noun)}[sx]?\b( (?:d'|de |des |du )?[a-z-]+)?", folded)]
    if named:
        # ... of another kind, not the same one in other words ("ambition industrielle": "ambition de réindustrialisation")
        root = (analyze(adjective) or [adjective])[0][:5]
        return all(qualifier and root not in qualifier
                   and (qualifier.startswith((" d'", " de ", " des ", " du ")) or KIND_ADJECTIVE.match(qualifier.strip()))
                   for qualifier in named)
    if not re.search(rf"(?:^|[,;:]\s*){ANAPHORIC_START.pattern}", folded):
        return False
    previous = fold(unit.previous)
    found = list(kind.finditer(previous))
    return bool(found) and all(re.search(rf"{COMPARED}$", previous[:m.start()]) for m in found)


def opens_on(unit: Unit, terms: Iterable[str], bridge: dict[str, frozenset[str]]) -> bool:
    """Whether the unit opens on a short phrase naming all of `terms` ("Au niveau régional, ..."),
    in their words or in the French ones `bridge` gives for English terms."""
    lead = re.match(r"\W*([^,;:]+)[,;:]", unit.text)
    if lead is None or len(lead.group(1).split()) > MAX_LEAD_WORDS:
        return False
    tokens = set(analyze(lead.group(1)))
    return all(found_across(t, tokens, bridge) for t in terms)


def found_across(term: str, tokens: set[str], bridge: dict[str, frozenset[str]]) -> bool:
    """term_found, for the term or one of the French stems `bridge` gives for it (an English term)."""
    return any(term_found(s, tokens) for s in {term, *bridge.get(term, ())})


def about_focus(unit: Unit, question: Question) -> bool:
    """Whether the unit, the sentence before it or its heading names the follow-up's new topic."""
    return covers(unit, question.focus)


def tells_side(unit: Unit, question: Question) -> tuple[str, ...] | None:
    """The side of a comparison the unit says something of ("Le PETR a pour mission ...", "Ils
    sont le pendant des pôles métropolitains"): it names that side only, with a defining verb."""
    if not DEFINING.search(fold(unit.text)):
        return None
    tokens = unit.tokens or tokens_of(unit.text)
    named = [side for side in question.sides if all(term_found(t, tokens) for t in side)]
    return named[0] if len(named) == 1 else None


def sheet_side(unit: Unit, question: Question) -> bool:
    """Whether the unit is on a slide sheet whose title names one side of the comparison asked."""
    if not unit.sheet:
        return False
    title = sheet_title(unit)
    return any(all(term_found(t, title) for t in side) for side in question.sides)


def says(unit: Unit, terms: Iterable[str]) -> bool:
    """Whether the unit itself says all of `terms` in words, not through an acronym's long form
    ("ses EPCI" does not say "établissement public")."""
    tokens = set(analyze(unit.text)) | implied_counts(unit.text)
    return all(term_found(t, tokens) for t in terms)


def covers(unit: Unit, terms: Iterable[str]) -> bool:
    """Whether the unit, the sentence before it or its heading names all of `terms`."""
    return all(term_found(t, unit.context) for t in terms)


def says_all(unit: Unit, terms: Iterable[str]) -> bool:
    """Whether the unit or the sentence before it says all of `terms` in words (not its heading)."""
    tokens = set(analyze(f"{unit.previous} {unit.text}"))
    return all(term_found(t, tokens) for t in terms)


def says_any(unit: Unit, terms: Iterable[str]) -> bool:
    """Whether the unit or the sentence before it says one of `terms` in words, or by an acronym
    whose long form they spell out ("plans climat-air-énergie": "116 PCAET"), not through any
    acronym's long form ("associés" is not said by "ANPP": "Association nationale ...")."""
    terms = set(terms)
    text = f"{unit.previous} {unit.text}"
    tokens = set(analyze(text))
    if any(term_found(t, tokens) for t in terms):
        return True
    return any(len(terms & long) >= 2 for long in spelled_out_stems(text))


def spells_out(unit: Unit, terms: Iterable[str]) -> bool:
    """Whether the unit names, by its acronym, what `terms` spell out ("un PETR" for "pôle
    d'équilibre territorial et rural")."""
    terms = set(terms)
    return any(terms <= long for long in spelled_out_stems(unit.text))


def spelled_out_stems(text: str) -> list[set[str]]:
    """The stems of the long forms of the glossary acronyms the text names ("PETR": pôle, équilibre ...)."""
    return [set(analyze(long)) for acronym, longs in GLOSSARY.items()
            if re.search(rf"(?<!\w){re.escape(acronym)}s?(?!\w)", text) for long in longs]


def names_any(unit: Unit, terms: Iterable[str]) -> bool:
    """Whether the unit, the sentence before it or its heading names one of `terms` at least."""
    return any(term_found(t, unit.context) for t in terms)


def says_what(text: str, terms: list[str]) -> bool:
    """Whether the sentence says what one of the terms is: a defining verb right after it, near the
    start ("Le PETR a pour mission de ...", "faire du CRTE un outil de ..."). Not a verb of another
    subject further on ("Afin de préparer les futurs CRTE ..., des accords de méthode sont signés")."""
    # an acronym is also defined under its long form ("Les groupements d'intérêt public ... permettent")
    heads = set(terms) | {stems[0] for acronym, longs in GLOSSARY.items() if fold(acronym) in terms
                          for long in longs if (stems := analyze(long))}
    words = list(WORD.finditer(text))
    for i, word in enumerate(words[:DEFINED_TERM_LEAD]):
        after = words[i + 1:i + 1 + DEFINING_WINDOW]
        if after and any(term_found(t, set(analyze(word.group()))) for t in heads):
            following = fold(text[word.end():after[-1].end()])
            if DEFINING.search(following) or WHAT_IT_IS.search(following):
                return True
    return False


def defines_what_came_before(text: str) -> bool:
    """A sentence opening on a pronoun with a defining verb ("Il se définit comme ...", "C'est aussi
    un état d'esprit"): it says what the previous sentence's subject is."""
    opening = fold(" ".join(text.split()[:DEFINING_WINDOW]))
    return bool((ANAPHORIC_START.match(opening) or opening.startswith("c'est")) and (DEFINING.search(opening) or SELF_DEFINING.search(opening)))


def tells_year(unit: Unit, year: str) -> bool:
    """Whether the unit, the sentence before it or its heading names the year, or a span of years
    holding it ("pour la génération 2021-2027" tells of 2024)."""
    text = fold(f"{unit.previous} {unit.text} {unit.section}")
    if re.search(rf"(?<!\d){year}(?!\d)", text):
        return True
    return any(int(first) <= int(year) <= int(last) for first, last in YEAR_SPAN.findall(text))


# Verbs that tell the same event, in both languages: "adoptée par le Parlement" is "voted by both Assemblies".
EVENT_SYNONYMS = (
    ("adopte", "vote", "voted", "adopted", "passed", "approuve", "approved", "promulgue", "promulgated"),
    # "Introduits dans la législation par la loi Pasqua de 1995": created by that law ("introduits": no
    # ending of VERB_FORM_END is a bare "s", which would make "fonds" a form of "fondé")
    ("cree", "fonde", "institue", "instaure", "introduit", "introduits", "created", "founded", "established", "instituted", "introduced"),
    ("signe", "conclu", "signed", "concluded"),
    ("lance", "launched", "started", "tried", "trialled", "piloted", "experimente", "experimented"),
    ("operationnel", "operational", "implemented"),  # "the implementation of the first PETRs on January 1st 2015"
)


def same_event(event: str) -> tuple[str, ...]:
    """The verbs of EVENT_SYNONYMS telling the same event as `event` ("trialled": "lance" ...), or ()."""
    folded = fold(event)
    return next((group for group in EVENT_SYNONYMS if any(folded.startswith(fold(w)[:-1]) for w in group)), ())


def tells_event(unit: Unit, event: str) -> bool:
    """Whether the unit or the sentence before it tells of the event, in a form of its verb, a noun
    made from it or a verb telling the same ("fondée": "fondé", "fondation", "créée"; not "fonds")."""
    return bool(verb_forms(WORD.findall(fold(f"{unit.previous} {unit.text}")), same_event_roots(event)))


def verb_forms(words: list[str], roots: list[str]) -> list[int]:
    """The positions of the words that are a form of a verb with one of these roots, or a noun made from it."""
    return [i for i, word in enumerate(words) if any(word.startswith(r) and VERB_FORM_END.fullmatch(word[len(r):]) for r in roots)]


def event_roots(event: str) -> list[str]:
    """"fond" for "fondée", "cre" for "créé", "reun" for "réuni": what the forms of the verb start with."""
    folded = fold(event)
    # an -ir verb's participle ends in "i" ("réuni"): "réunir", "réunion" share "reun"
    ends = PARTICIPLE_ENDS + ("i", "ie", "ies", "is", "er", "ir")  # and the infinitive ("signer")
    # the word itself too: an English verb may end like a French infinitive ("deliver", "delivered")
    return [root for end in ends if folded.endswith(end) and len(root := folded[:-len(end)]) >= 3] + [folded]


def same_event_roots(event: str) -> list[str]:
    """The roots of the forms of the event's verb and of the verbs telling the same event."""
    return [root for word in dict.fromkeys((event,) + same_event(event)) for root in event_roots(word)]


def done_by(text: str, act: str) -> bool:
    """Whether the text tells the act (or one telling the same) in the passive, with its agent: "Introduits
    dans la législation par la loi Pasqua" for "créés"."""
    words = WORD.findall(fold(text))
    roots = same_event_roots(act)
    return any(w in ("par", "by") for i in verb_forms(words, roots) for w in words[i + 1:i + 1 + AGENT_WINDOW])


def tells_agent(unit: Unit, act: str) -> bool | None:
    """Whether the unit says who did the act ("lancée par le ministère"): None when it does not
    name the act, False when it names it without its author ("une convention est rédigée en ce sens")."""
    words = WORD.findall(fold(unit.text))
    at = verb_forms(words, event_roots(act))
    if not at:
        return None
    return any("par" in words[i + 1:i + 1 + AGENT_WINDOW] or "by" in words[i + 1:i + 1 + AGENT_WINDOW] for i in at) or any(
        # an active sentence: the act is not told in the passive ("L'ANPP a rédigé ...")
        i > 0 and words[i - 1] not in PASSIVE_AUXILIARIES for i in at)



def series_of(unit: Unit) -> str | None:
    """"axe" for the heading "Axe 2 : Accélérer ...": the numbered series a heading belongs to."""
    match = SERIES_LABEL.match(unit.text) if unit.features.get("heading") else None
    return fold(match.group(1)) if match else None


def numbered(unit: Unit, n: int) -> bool:
    """Whether the unit is item `n` of a numbered series ("Axe 3 : ...", "Article 3 -", "3. ...")."""
    match = SERIES_NUMBER.match(unit.text)
    return match is not None and int(match.group(1)) == n


def signatory_names(unit: Unit) -> list[str]:
    """The lines of a signatory block that name a person ("Barbara POMPILI": a surname in capitals)."""
    return [line for line in unit.text.strip().splitlines()[1:] if SURNAME.search(line)]


def is_signatory_block(unit: Unit) -> bool:
    """ "Pour l'État, / Barbara POMPILI / Ministre ...": who signed for one party."""
    return SIGNATORY.fullmatch(unit.text.strip().partition("\n")[0].strip()) is not None


def mentions(unit: Unit, attribute: str) -> bool:
    """Whether the unit, the sentence before it or its heading names the attribute asked for. An
    amount or a cost is a price, or the word in the sentence itself: "montant" stems like the
    "Monts d'Ardèche" of a heading."""
    if fold(attribute) in MONEY_ATTRIBUTES:
        return bool(MONEY.search(fold(f"{unit.previous} {unit.text}"))) or all(term_found(t, unit.tokens) for t in analyze(attribute))
    if all(term_found(t, unit.context) for t in analyze(attribute)):
        return True
    # a French question about an English passage: "étapes" is named as "steps"
    return unit.language == "en" and any(term_found(t, unit.context) for t in english_stems_for(attribute))


def names_counted(unit: Unit, counted_words: Iterable[str]) -> bool:
    """Whether the unit names what a number question counts, in either language ("French":
    "7 millions de français")."""
    return any(mentions(unit, word) or any(term_found(t, unit.context) for t in counted_forms(word)) for word in counted_words)


def counted_forms(word: str) -> set[str]:
    """The stems that name what a question counts, in both languages; people are also counted as
    people of a country ("Combien de personnes ... ?": "7 millions de français")."""
    both = stems_both_ways(word)
    return both | PEOPLE_STEMS if both & POPULATION_STEMS else both


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


def _repeats(a: str, b: str) -> bool:
    """One text holds the other: overlapping passages cut the same sentence with or without the
    line after it."""
    a, b = " ".join(a.split()).lower(), " ".join(b.split()).lower()
    return a in b or b in a


def _one_line(text: str) -> str:
    """One line of prose for the answer; the passage keeps the original layout.

    Lines of a slide field or list become items separated by semicolons ("Partage de données ;
    Mobilisation conjointe de financements"); a line cut inside a sentence is joined with a space.
    """
    out = ""
    for start, end in logical_lines(text):
        line = " ".join(text[start:end].split()).lstrip("-•").strip()
        if line:
            out += line if not out else (" " if out.endswith((":", ";", ",", ".", "!", "?")) else " ; ") + line
    return out
