"""French territorial acronyms, used to expand queries both ways (acronym <-> long form)."""

from __future__ import annotations

import re
from collections.abc import Container
from functools import lru_cache

from .text import analyze, content_terms, fold

GLOSSARY: dict[str, list[str]] = {
    "PETR": ["pôle d'équilibre territorial et rural", "Territorial and Rural Balance Cluster"],
    "EPCI": ["établissement public de coopération intercommunale", "intercommunalité"],
    "CRTE": ["contrat de relance et de transition écologique"],
    "SCoT": ["schéma de cohérence territoriale", "Territorial Coherence Scheme"],
    "PCAET": ["plan climat-air-énergie territorial"],
    "CLS": ["contrat local de santé"],
    "CLSM": ["conseil local de santé mentale"],
    "PNR": ["parc naturel régional"],
    "CC": ["communauté de communes"],
    "GIP": ["groupement d'intérêt public", "public interest group"],
    "CTE": ["contrat de transition écologique"],
    "CRVC": ["contrat de réciprocité ville-campagne"],
    "PAT": ["projet alimentaire territorial"],
    "ANCT": ["Agence nationale de la cohésion des territoires"],
    "ANPP": ["Association nationale des pôles territoriaux et des pays"],
    "CGCT": ["code général des collectivités territoriales"],
    "SAGE": ["schéma d'aménagement et de gestion des eaux"],
    "LEADER": ["liaison entre actions de développement de l'économie rurale"],
    "CPER": ["contrat de plan État-région", "state-region project contract"],
    "MAPAM": ["modernisation de l'action publique territoriale et d'affirmation des métropoles",
              "Modernisation of Territorial Public Action and Affirmation of the Metropolis"],
    "LOADT": ["loi d'orientation pour l'aménagement et le développement du territoire", "loi Pasqua"],
    "LOADDT": ["loi d'orientation pour l'aménagement et le développement durable du territoire", "loi Voynet"],
    "SDCI": ["schéma départemental de coopération intercommunale"],
    "CDDRA": ["contrat de développement durable Rhône-Alpes"],
    "DGS": ["directeur général des services"],
    "CLE": ["commission locale de l'eau"],
    "DRAAF": ["direction régionale de l'alimentation, de l'agriculture et de la forêt"],
    "ADEME": ["Agence de la transition écologique"],
    "PIA": ["programme d'investissements d'avenir"],
    "TIGA": ["territoires d'innovation de grande ambition"],
    "ESS": ["économie sociale et solidaire"],
    "CEREMA": ["centre d'études et d'expertise sur les risques, l'environnement, la mobilité et l'aménagement"],
    "CIFRE": ["convention industrielle de formation par la recherche"],
    "SM": ["syndicat mixte", "joint union"],
    "COPIL": ["comité de pilotage", "steering committee"],
    "COTECH": ["comité technique", "technical committee"],
}

@lru_cache(maxsize=1)
def _long_forms() -> list[tuple[tuple[str, ...], str]]:
    return [(tuple(analyze(long)), acronym) for acronym, longs in GLOSSARY.items() for long in longs]


def _contains(sequence: list[str], part: tuple[str, ...]) -> bool:
    n = len(part)
    return n > 0 and any(tuple(sequence[i:i + n]) == part for i in range(len(sequence) - n + 1))


def spelled_out(text: str) -> list[str]:
    """The acronyms whose long form `text` spells out ("un contrat de transition écologique": CTE)."""
    return _spelled_out(analyze(text))


def _spelled_out(stems: list[str]) -> list[str]:
    return list(dict.fromkeys(acronym for long_stems, acronym in _long_forms() if _contains(stems, long_stems)))


def broader_acronyms(acronym: str, text: str) -> list[str]:
    """The acronyms `text` names, or spells out, whose long form holds all the words of `acronym`'s
    but is another thing: CRTE, "contrat de relance et de transition écologique", for CTE."""
    # a one-word long form ("intercommunalité" for EPCI) is a word other names hold, not a name
    own = [set(stems) for long in GLOSSARY.get(acronym, []) if len(stems := analyze(long)) >= 2]
    return [other for other in dict.fromkeys(re.findall(r"\b[A-Z][A-Za-z]*[A-Z]\b", text) + spelled_out(text))
            if other != acronym and other in GLOSSARY
            and any(stems <= set(analyze(long)) for stems in own for long in GLOSSARY[other])]


# English names in GLOSSARY: they reach the corpus's English documents, so a French question
# leaves them out (adding "Territorial and Rural Balance Cluster" to every French question about
# PETRs ranks the English consulting offer first).
ENGLISH_FORMS = {"Territorial and Rural Balance Cluster", "Territorial Coherence Scheme", "public interest group",
                 "state-region project contract", "joint union"}


def expand_query(question: str, language: str | None = None) -> str:
    """The question followed by the other form of every acronym or long form it contains.

    Long forms are matched on stems, so plurals and accents do not matter ("plans climat-air-énergie
    territoriaux" -> PCAET).
    """
    folded = fold(question)
    stems = analyze(question)
    tokens = set(question.replace("'", " ").replace("’", " ").split())
    stripped = {t.strip("?,.;:!()«»\"") for t in tokens}
    additions: list[str] = []
    for acronym, longs in GLOSSARY.items():
        # Acronyms match case-sensitively ("CC", "SAGE") so ordinary words do not expand.
        if acronym in stripped or acronym + "s" in stripped:
            additions.extend(long for long in longs if language != "fr" or long not in ENGLISH_FORMS)
    additions.extend(acronym for acronym in _spelled_out(stems) if acronym not in additions)
    # a whole-word test: "CTE" is not already said by "acteurs"
    additions = [a for a in dict.fromkeys(additions) if not re.search(rf"(?<!\w){re.escape(fold(a))}(?!\w)", folded)]
    return question if not additions else f"{question} ({'; '.join(additions)})"


# How users ask vs. how the documents label the same thing (cooperation-tool sheets are laid out as
# "Eléments déclencheurs / Partenaires / Enjeux / Ambitions / Objet / Acteurs"). Each group is a
# set of interchangeable words for matching a question against answer sentences.
SYNONYM_GROUPS = [
    "déclencheur déclenché déclencher origine amené amenés poussé poussés motivé motivés trigger triggered prompted led",
    "gouvernance gouverné pilotage piloté pilote instances acteurs commandes manettes governance",  # "aux commandes", "aux manettes"
    "partenaires signataires signé signés signed signatories partners",
    "enjeux objectifs stakes",
    "ambition ambitionne",
    "objet consiste",
    "membre appartenir appartient appartenance adhérer adhère adhésion rejoindre rejoint rejoignent member belong join",
    "compose composé composent composition constitué constitués constituent",
    "coût coûte coûts tarif prix payant payer gratuit gratuite cost costs price free",
    "papiers pièces documents justificatif justificatifs",
    "habitants population inhabitants residents",
    "régime règles",  # "le régime juridique des PETR": "les règles applicables aux syndicats mixtes"
    # "quand le texte ne dit rien de spécial, ils suivent quelles règles ?": "Sauf mention spécifique, ils sont soumis aux règles"
    "spécial spéciale spéciaux spéciales spécifique spécifiques particulier particulière",
    "produit produire abouti aboutir aboutit débouché déboucher débouche",  # "qu'est-ce qu'il a produit ?": "a abouti à"
    "suivent suivre suit soumis soumise soumises obéissent obéir relèvent relever",
    "thème thèmes thématique thématiques theme themes",
    "mettre met mettent mis mise mises",  # one verb the stemmer splits ("met à disposition", "la mise à disposition")
    # a communauté de communes is an EPCI, an intercommunalité ("5 Communautés de communes" counts intercos)
    "intercommunalité intercommunalités interco intercos comcom comcoms EPCI communauté communautés",
    # "Qui dirige le comité de pilotage ?": "co-présidé par les présidents des 2 structures"
    "dirige dirigé dirigent diriger préside présidé présidée présider président présidents présidente",
    "financeurs financiers financeur financier funders",  # "les financeurs": "les partenaires financiers"
    "confiées confier confié dévolues dévolu attribuées",  # "les missions qui lui sont confiées": "dévolues"
    "étendre étendu étendus étendue extension généraliser généralisé généralisés généralisation extended",
    # a perimeter "d'un seul tenant et sans enclave" is one without gaps
    "continu continue continuité discontinu discontinue discontinuité contigu contiguë enclave enclaves trou trous géographique géographiques",
    "équivalent équivalents équivalente homologue comparé comparés comparable comparables counterpart equivalent",
    # "Les CRTE sont-ils figés ?": "Ils seront régulièrement enrichis ou amendés afin de demeurer évolutifs"
    "figé figés figée immuable immuables évolutif évolutifs évolutive amendé amendés modifié modifiés révisé révisés unchanged fixed",
    # "Ces missions sont formalisées dans quel document ?": "une convention territoriale est rédigée en ce sens"
    "formalisé formalisée formalisés formalisées formalisation rédigé rédigée rédigés rédigées rédiger rédaction",
    "droit législation législatif",  # "entrés dans le droit": "introduits dans la législation"
    "apparus apparu apparaître introduits introduit introduction",
    "échelon échelons niveau niveaux",  # "à l'échelon régional": "au niveau régional"
    "étape étapes phase phases",
    "voulu voulue voulus voulues vouloir souhaité souhaitée souhaités souhaitées souhaiter volontairement",  # "voulue par qui ?"
    # "à quelles instances l'ANPP participe-t-elle ?": "les représentants de l'ANPP seront associés aux comités régionaux"
    "instance instances comité comités commission commissions",
    "participer participe participent participation associé associés associée associées associer",
    "réunir réunit réunion réunions rencontre rencontres rendez-vous",  # "Quel rendez-vous l'État promet-il ?": "réunir régulièrement"
    "échelle ampleur envergure taille dimension scale size",  # "l'ampleur de l'entente": "Partenaires / échelle ..."
    "counteract counterbalance offset contrebalancer compenser contrepoids",  # "what are PETRs to offset?": "counteract the weight of"
    # "imposé d'en haut par l'État ?": "volontairement souhaité par les élus locaux, dans une démarche ascendante"
    "imposé imposés imposée imposées imposer volontaire volontaires volontairement ascendante descendante imposed voluntary",
    # "D'où vient l'initiative d'un territoire de projet ?": "volontairement souhaité par les élus locaux"
    "initiative initiatives volontairement souhaité ascendante",
    # "Et qui la porte ?": "Le PNR porteur de cette ingénierie"; "qui prescrit ?": "Le pays prescripteur"
    "porte portent porter porteur porteurs",
    "prescrit prescrivent prescrire prescripteur prescripteurs",
    # "Et qui s'occupe de sa gestion ?": "géré par la Chambre d'Agriculture" (the stemmer splits noun and verb)
    "gestion gestionnaire gestionnaires géré gérée gérés gérées gérer gère gèrent managed manage management",
    "abouti aboutir aboutit aboutissement débouché déboucher débouche outcome resulted",  # "Il a débouché sur quoi ?"
    "gouvernement gouvernements état",  # "Qui a signé pour le gouvernement ?": "Pour l'État,"
]


@lru_cache(maxsize=1)
def _synonym_stems() -> list[frozenset[str]]:
    return [frozenset(analyze(group)) for group in SYNONYM_GROUPS]


def synonym_words(question: str, vocabulary: Container[str]) -> str:
    """The listed synonyms of the question's words that the corpus lacks (for BM25), or "":
    "apparus dans le droit" also looks for "introduits dans la législation". Words the corpus has
    are matched already, and their synonyms would only outweigh them."""
    stems = content_terms(question)
    missing = {stem for stem in stems if stem not in vocabulary}
    words = [word for group in SYNONYM_GROUPS if set(analyze(group)) & missing
             for word in group.split() if not set(analyze(word)) <= set(stems)]
    return " ".join(dict.fromkeys(words))


def synonyms(stem: str) -> set[str]:
    """The stem and the stems listed as interchangeable with it."""
    found = {stem}
    for group in _synonym_stems():
        if stem in group:
            found |= group
    return found


# English question words -> the French words the corpus uses for them. French BM25 cannot match an
# English question against French passages (only acronyms and names are shared), so an English
# question's sparse query also gets these. General territorial-cooperation vocabulary, not the
# eval set's phrasings; the dense retriever is cross-lingual already and does not use them.
ENGLISH_TO_FRENCH: dict[str, str] = {
    "agreement": "accord convention", "agreements": "accords conventions", "partnership": "partenariat",
    "contract": "contrat", "contracts": "contrats", "contractual": "contractuel contractualisation",
    "contracting": "contractualisation", "charter": "charte", "convention": "convention",
    "state": "État", "government": "gouvernement État", "ministry": "ministère", "minister": "ministre",
    "prefect": "préfet", "region": "région", "regional": "régional régionaux régions", "level": "niveau échelle", "scale": "échelle",
    "return": "réciproquement", "reciprocally": "réciproquement", "department": "département",
    "departmental": "départemental", "municipality": "commune", "municipalities": "communes",
    "municipal": "communal", "inter-municipal": "intercommunal intercommunalité", "intermunicipal": "intercommunalité",
    "community": "communauté", "communities": "communautés", "contribute": "contribuer contribution",
    "contributes": "contribue contribution", "contribution": "contribution", "feed": "contribuer alimenter",
    "metropolis": "métropole", "metropolitan": "métropolitain métropole", "city": "ville", "cities": "villes",
    "urban": "urbain ville", "rural": "rural ruraux", "countryside": "campagne", "territory": "territoire",
    "territories": "territoires", "territorial": "territorial territoriaux", "area": "territoire espace",
    "areas": "territoires espaces", "local": "local locaux", "national": "national nationale",
    "european": "européen européens", "eu": "européens", "elected": "élus", "officials": "élus",
    "mayor": "maire", "president": "président", "chair": "président présidé", "chaired": "présidé",
    "staff": "agents équipe", "engineering": "ingénierie", "project": "projet", "projects": "projets",
    "strategy": "stratégie", "strategic": "stratégique", "cooperation": "coopération", "cooperate": "coopérer coopère",
    "pooling": "mutualisation", "pooled": "mutualisé mutualisation", "shared": "partagé mutualisé",
    "governance": "gouvernance", "steering": "pilotage", "committee": "comité", "committees": "comités",
    "board": "conseil comité", "body": "établissement structure", "structure": "structure",
    "establishment": "établissement", "establishments": "établissements", "public": "public publics",
    "union": "syndicat", "unions": "syndicats", "joint": "mixte mixtes", "association": "association",
    "law": "loi", "laws": "lois", "legal": "juridique", "article": "article", "code": "code",
    "legislation": "législation loi", "introduced": "introduits introduit", "brought": "introduits",
    "generalised": "généralisés", "generalized": "généralisés", "extended": "étendus généralisés",
    "decree": "décret", "rules": "règles", "status": "statut", "signed": "signé signataires",
    "signatories": "signataires", "sign": "signer", "signs": "signe signature",
    "group": "regroupement groupement groupe comité",  # "steering group": "comité de pilotage"
    "grouping": "regroupement", "drawn": "élaboration élaboré",
    "intercommunalities": "intercommunalités", "intercommunality": "intercommunalité", "commit": "engage engagent", "commits": "engage",
    "commitment": "engagement", "commitments": "engagements", "undertake": "engagent", "promise": "engagent",
    "funding": "financement crédits fonds", "funds": "fonds crédits", "fund": "fonds", "money": "euros crédits",
    "budget": "budget", "investment": "investissement", "invested": "investi", "investments": "investissements",
    "grant": "subvention aides", "aid": "aides", "support": "soutien accompagnement", "recovery": "relance",
    "plan": "plan", "programme": "programme", "program": "programme", "call": "appel", "tender": "appel",
    "ecological": "écologique", "transition": "transition", "climate": "climat", "energy": "énergie",
    "water": "eau", "food": "alimentaire", "agriculture": "agriculture agricole", "health": "santé",
    "mobility": "mobilité mobilités", "transport": "transport mobilité", "housing": "habitat logement",
    "digital": "numérique", "biodiversity": "biodiversité", "land": "sols foncier", "planning": "planification aménagement",
    "development": "développement", "economic": "économique", "economy": "économie", "industry": "industrie",
    "industrial": "industriel industrielle", "innovation": "innovation", "experiment": "expérimentation",
    "experiments": "expérimentations", "reciprocity": "réciprocité", "solidarity": "solidarité",
    "monitoring": "suivi", "follow-up": "suivi", "evaluation": "évaluation", "tool": "outil", "tools": "outils",
    "mission": "mission", "missions": "missions", "tasks": "missions", "skills": "compétences",
    "powers": "compétences", "competences": "compétences", "perimeter": "périmètre", "boundaries": "périmètre",
    "population": "population", "inhabitants": "habitants", "people": "population habitants",
    "residents": "habitants population", "live": "vit vivent habitent", "cover": "couvrant couvre", "share": "part", "percentage": "pourcentage",
    "number": "nombre", "figures": "chiffres", "key": "clés", "year": "année", "years": "ans années",
    "created": "créé créés", "creation": "création", "set": "créé", "launched": "lancé lancée", "date": "date",
    "leverage": "levier", "effect": "effet", "split": "répartition", "distribution": "répartition",
    "transparent": "transparent", "equity": "équité", "fair": "équitable équité", "priorities": "priorités",
    "objectives": "objectifs", "goals": "objectifs", "stakes": "enjeux", "issues": "enjeux",
    "partners": "partenaires", "actors": "acteurs", "stakeholders": "acteurs", "slides": "diapositives",
    "presentation": "présentation", "consultants": "conseil", "consulting": "conseil", "offer": "offre propose",
    "trigger": "déclencheur", "triggered": "déclencheurs déclenché", "origin": "origine", "meeting": "rencontre réunion",
    "meetings": "rencontres réunions", "conference": "conférence", "step": "étape", "steps": "étapes phases",
    "stages": "étapes phases", "method": "méthode", "methodology": "méthodologie", "schedule": "calendrier",
    "axis": "axe", "axes": "axes", "chapter": "chapitre titre", "section": "section partie",
    "member": "membre", "members": "membres", "membership": "adhésion", "composed": "composé constitué",
    "role": "rôle", "roles": "rôles", "purpose": "objet vocation", "remit": "objet mission missions compétences", "aim": "objectif", "aims": "objectifs",
    "funded": "financé financement", "financed": "financé financement", "finance": "financement",
    "tax": "fiscalité impôt", "taxation": "fiscalité", "council": "conseil", "assembly": "assemblée",
    "represent": "représenter", "representatives": "représentants", "represented": "représentés",
    "coordinate": "coordonne coordination", "coordinates": "coordonne coordination", "coordination": "coordination",
    "manage": "gère gestion", "manages": "gère gestion", "management": "gestion", "steer": "piloter pilote pilotage",
    "steers": "pilote pilotage", "lead": "pilote", "leads": "pilote", "monitor": "suivi suivre", "oversee": "suivi suit",
    "regularly": "régulièrement", "regular": "régulier réguliers régulièrement", "gather": "réunir rassembler",
    "together": "réunir ensemble", "convene": "réunir",
    "follow": "soumis applicables suivre", "subject": "soumis", "parliament": "parlement assemblées",
    "assemblies": "assemblées parlement", "implementation": "mise en place mise en œuvre", "implement": "mettre en œuvre", "consultancy": "cabinet conseil",
    "consultancies": "cabinets conseil", "firms": "cabinets", "transformation": "transformation passage",
    "authorities": "collectivités autorités", "authority": "collectivité autorité",
    "participants": "partenaires participants", "participate": "participer partenaires", "participated": "participé partenaires",
    "bottom-up": "ascendante ascendant", "top-down": "descendante descendant", "approach": "démarche approche",
    "manager": "chargé chef", "managers": "chargés chefs", "officer": "chargé", "officers": "chargés",
    # everyday public-service words (passports, leave, housing aid): users ask about them in English too
    "employer": "employeur", "employee": "salarié", "employees": "salariés", "salary": "salaire", "wage": "salaire",
    "leave": "congé", "paternity": "paternité", "maternity": "maternité", "birth": "naissance",
    "certificate": "acte certificat", "passport": "passeport", "card": "carte", "identity": "identité",
    "licence": "permis", "license": "permis", "driving": "conduire", "vehicle": "véhicule", "car": "voiture véhicule",
    "address": "adresse", "move": "déménagement déménagez", "benefit": "aide allocation",
    "rent": "loyer", "apply": "demande demander applique applicables", "applies": "applique applicables", "application": "demande",
    "vote": "voter vote", "election": "élection", "elections": "élections", "town": "mairie commune ville", "country": "campagne pays",
    "lost": "perdu perte", "stolen": "vol volé", "expire": "expire validité", "valid": "valable validité",
    "validity": "validité", "renew": "renouveler renouvellement", "child": "enfant mineur", "minor": "mineur",
    "adult": "majeur adulte", "days": "jours", "weeks": "semaines", "months": "mois", "fee": "tarif prix timbre",
}


def _french_for(word: str) -> str | None:
    return ENGLISH_TO_FRENCH.get(word) or ENGLISH_TO_FRENCH.get(word.rstrip("s"))


def _english_words(question: str) -> list[str]:
    # a compound is looked up whole ("follow-up") and by its parts ("town-country": town, country)
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", question.lower())
    return [part for word in words for part in dict.fromkeys([word, *word.split("-")])]


def english_to_french(question: str) -> str:
    """The French words for the English words of a question (for BM25), or ""."""
    return " ".join(dict.fromkeys(f for w in _english_words(question) if (f := _french_for(w))))


def french_to_english(question: str) -> str:
    """The English words for the words of a French question (for BM25), or "": the English
    documents share no words with it, and the embedder ranks them below French passages that say
    less ("Quels cabinets proposent l'offre d'accompagnement ?": "offer you support")."""
    stems = content_terms(question)
    english = [word for stem in stems for word in _english_by_french_stem().get(stem, ())]
    return " ".join(word for word in dict.fromkeys(english) if not set(analyze(word)) <= set(stems))


@lru_cache(maxsize=1)
def _english_by_french_stem() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for english, french in ENGLISH_TO_FRENCH.items():
        for stem in analyze(french):
            found.setdefault(stem, []).append(english)
    return {stem: tuple(words) for stem, words in found.items()}


@lru_cache(maxsize=1024)  # asked of every English unit a French attribute question weighs
def english_stems_for(word: str) -> frozenset[str]:
    """Stems of the English words the lexicon translates by `word` ("étapes" -> "step"): a French
    question may ask about what only the English documents say."""
    by_french = _english_by_french_stem()
    return frozenset(stem for french in analyze(word) for english in by_french.get(french, ()) for stem in analyze(english))


# What a number may count in the other language ("How many French people ...": "7 millions de
# français"). Not in ENGLISH_TO_FRENCH: "français" stems like "France", and every question about
# French things would then match "France relance".
DEMONYMS = {"french": "français françaises"}


def stems_both_ways(word: str) -> set[str]:
    """The stems of a word and of its translation, whichever language it is in ("people":
    population, habitants; "étapes": step)."""
    demonym = DEMONYMS.get(word.lower(), "")
    return (set(analyze(word)) | set(analyze(demonym)) | english_stems_for(word)
            | {stem for french in french_stems_of(word).values() for stem in french})


def french_stems_of(question: str) -> dict[str, frozenset[str]]:
    """English question stem -> the stems of its French words, for matching French sentences."""
    found: dict[str, frozenset[str]] = {}
    for word in _english_words(question):
        french = _french_for(word)
        if french:
            for stem in analyze(word):
                found[stem] = found.get(stem, frozenset()) | frozenset(analyze(french))
    return found
