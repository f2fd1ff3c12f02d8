"""French territorial acronyms, used to expand queries both ways (acronym <-> long form)."""

from __future__ import annotations

from functools import lru_cache

from .text import analyze, fold

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
    "MAPAM": ["modernisation de l'action publique territoriale et d'affirmation des métropoles"],
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
}

@lru_cache(maxsize=1)
def _long_forms() -> list[tuple[tuple[str, ...], str]]:
    return [(tuple(analyze(long)), acronym) for acronym, longs in GLOSSARY.items() for long in longs]


def _contains(sequence: list[str], part: tuple[str, ...]) -> bool:
    n = len(part)
    return n > 0 and any(tuple(sequence[i:i + n]) == part for i in range(len(sequence) - n + 1))


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
    for long_stems, acronym in _long_forms():
        if acronym not in additions and _contains(stems, long_stems):
            additions.append(acronym)
    additions = [a for a in dict.fromkeys(additions) if fold(a) not in folded]
    return question if not additions else f"{question} ({'; '.join(additions)})"


# How users ask vs. how the documents label the same thing (cooperation-tool sheets are laid out as
# "Eléments déclencheurs / Partenaires / Enjeux / Ambitions / Objet / Acteurs"). Each group is a
# set of interchangeable words for matching a question against answer sentences.
SYNONYM_GROUPS = [
    "déclencheur déclenché déclencher origine trigger triggered",
    "gouvernance gouverné pilotage piloté pilote instances acteurs governance",
    "partenaires signataires partners",
    "enjeux objectifs stakes",
    "ambition ambitionne",
    "objet consiste",
    "membre appartenir appartient appartenance member belong",
    "coût coûte coûts tarif prix payant payer gratuit gratuite cost costs price free",
    "papiers pièces documents justificatif justificatifs",
]


@lru_cache(maxsize=1)
def _synonym_stems() -> list[frozenset[str]]:
    return [frozenset(analyze(group)) for group in SYNONYM_GROUPS]


def synonyms(stem: str) -> set[str]:
    """The stem and the stems listed as interchangeable with it."""
    found = {stem}
    for group in _synonym_stems():
        if stem in group:
            found |= group
    return found
