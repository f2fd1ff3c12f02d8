"""French territorial acronyms, used to expand queries both ways (acronym <-> long form)."""

from __future__ import annotations

from .text import fold

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

_FOLDED_LONG = [(fold(long), acronym) for acronym, longs in GLOSSARY.items() for long in longs]


def expand_query(question: str) -> str:
    """The question followed by the other form of every acronym or long form it contains."""
    folded = fold(question)
    tokens = set(question.replace("'", " ").replace("’", " ").split())
    stripped = {t.strip("?,.;:!()«»\"") for t in tokens}
    additions: list[str] = []
    for acronym, longs in GLOSSARY.items():
        # Acronyms match case-sensitively ("CC", "SAGE") so ordinary words do not expand.
        if acronym in stripped or acronym + "s" in stripped:
            additions.extend(longs)
    for long_form, acronym in _FOLDED_LONG:
        if long_form in folded and acronym not in additions:
            additions.append(acronym)
    additions = [a for a in dict.fromkeys(additions) if fold(a) not in folded]
    return question if not additions else f"{question} ({'; '.join(additions)})"
