"""Follow-up questions: rewrite "Et pour les CRTE ?" into a question retrieval can use alone.

Offline this is rule-based: a question that leans on the previous turn (a leading "Et",
a pronoun, or too few topical words of its own) is completed with the previous question.
When an LLM is configured, the generate stage condenses instead.
"""

from __future__ import annotations

import re

from .text import content_terms, fold

FOLLOW_UP_START = re.compile(
    r"^\s*(?:et|mais|alors|ok|d'accord|aussi|pareil|idem|and|but|what about|how about|also)\b", re.IGNORECASE
)
ANAPHORA = re.compile(
    r"\b(?:il|elle|ils|elles|lui|leur|leurs|son|sa|ses|celui-ci|celle-ci|ceux-ci|cela|ca|"
    r"ce dernier|cette derniere|ce dispositif|cet outil|ce contrat|cette convention|ce document|"
    r"it|its|they|them|their|this|that|these|those)\b"
    r"|^\s*qui (?:l'|le |la |les )"  # "Qui l'anime au quotidien ?": the object pronoun before its verb
)


ACRONYM = re.compile(r"\b(?!OK\b)[A-Z][A-Za-z]*[A-Z]\b")  # "OK, and which firms ...?": no topic
PREPOSITIONS = r"pour|par|de|du|des|en|dans|sur|à|au|aux|avec|selon|for|in|of|by|with|about"
SOURCE_BEFORE = re.compile(r"\b(?:selon|d'après|d’après|according to)\s+(?:l['’]|le |la |les |the )?$", re.IGNORECASE)
MAX_SWAP_TERMS = 2  # "Et pour les CRTE ?", "Et le président du PETR ?": a new topic, and at most one word more
MAX_COMPLEMENT_WORDS = 4  # "pour l'ANPP", "en France": the short complement a follow-up swaps
# "Et pour l'État ?": the previous question asked again about something else
SAME_FOR = re.compile(rf"^\s*(?:et|and)\s+({PREPOSITIONS})\s+(.+?)[\s?]*$", re.IGNORECASE)
# "Et côté association nationale des pôles, c'est qui ?", "And on the ANPP side?": the same, for that party
SIDE_OF = re.compile(r"^\s*(?:et|and)\s+(?:du\s+)?c[oô]t[ée]\s+(?:de\s+)?([^,?]+?)(?:\s*,\s*(?:c'est|ce sont|ca donne|ça donne)\s+(?:qui|quoi|lequel|laquelle|lesquels))?[\s?]*$"
                     r"|^\s*(?:and|what about)\s+(?:on|for)\s+([^,?]+?)\s+side[\s?]*$", re.IGNORECASE)


# "Ça représente quelle proportion du total ?": a subject pronoun standing for the last answer
# (not an impersonal "il y a", "il faut")
LEADING_PRONOUN = re.compile(r"^\s*(?:ca|cela|ceci|il(?! (?:y a|faut|existe))|elle|ils|elles|it|they|this|that|these|those)\b")


# Who asks, before the question: "Pour un nouveau chargé de mission : ...", "As a new officer, ...".
# (not "Je débute au PETR : ...": where the user works is what "cette structure" stands for)
ASKER = re.compile(r"^(?:(?:pour|for) (?:un|une|a|an) (?:nouveau|nouvel|nouvelle|new|jeune|young) |(?:en tant que|as an?) (?:nouveau |nouvel |nouvelle |new )?)"
                   r"[^:,?]{3,40}?\s*[:,]\s+(?=\S)", re.IGNORECASE)


# "Besides being a strategic tool, how does the ANPP describe ...?": what the user sets aside it is, is
# no topic (what the user sets aside it does or has, is: "Outre les territoires de projet, quels
# organismes seront associés ... ?" is answered next to the sentence naming them)
SET_ASIDE = re.compile(r"^(?:(?:besides|apart from|aside from|other than|beyond|in addition to) being|"
                       r"(?:outre|en plus|au-del[aà]|mis [aà] part|[aà] part) (?:le fait )?d'[eê]tre)\b[^,?]{3,80},\s*(?=\S)", re.IGNORECASE)
# "What's the budget ...?": the question-form patterns read "what is"
WH_CONTRACTION = re.compile(r"\b(what|who|where|when|how|which)['’]s\b", re.IGNORECASE)


def plain_question(question: str) -> str:
    """The question as the later stages read it: without the words telling who asks it or what it
    sets aside, which are no topic to search for, and with its English question word unglued from "is"."""
    question = ASKER.sub("", question.strip()) or question
    question = SET_ASIDE.sub("", question) or question
    return WH_CONTRACTION.sub(r"\1 is", question)


def is_follow_up(question: str) -> bool:
    if FOLLOW_UP_START.match(fold(question)) or LEADING_PRONOUN.match(fold(question)):
        return True
    if ACRONYM.search(question):  # "Qu'est-ce qu'un PETR ?" names its own topic
        return False
    terms = content_terms(question)
    return len(terms) <= 1 or (bool(ANAPHORA.search(fold(question))) and len(terms) <= 2)


def condense(question: str, history: list[str]) -> str:
    """A standalone question for retrieval; `history` holds the previous standalone questions."""
    question = question.strip()
    previous = [h.strip() for h in history if h and h.strip()]
    if not previous or not is_follow_up(question):
        return question
    context = previous[-1].rstrip(" ?.!")
    new_topics = ACRONYM.findall(question)
    # "selon l'ANPP" names the source, not the topic a follow-up ("Et du côté des SCoT ?") replaces
    old_topics = [m.group(0) for m in ACRONYM.finditer(context) if not SOURCE_BEFORE.search(context[:m.start()])]
    # ... not when the follow-up asks a question of its own about them ("Et quel article de cette loi crée les PETR ?")
    # ... nor when it names the same topic ("Et qui a signé pour l'ANPP ?" after "L'accord État-ANPP a été signé où ?")
    if (FOLLOW_UP_START.match(fold(question)) and len(new_topics) == 1 and len(old_topics) == 1
            and new_topics != old_topics and len(content_terms(question)) <= MAX_SWAP_TERMS):
        # "Et pour les CRTE ?" after "Qui pilote les PETR ?" -> "Qui pilote les CRTE ?" (with several
        # acronyms in the previous question, which one the new one replaces is anybody's guess)
        return re.sub(rf"\b{re.escape(old_topics[0])}\b", new_topics[0], context) + " ?"
    swapped = _swap_last_complement(question, context)
    if swapped:
        return swapped
    named = _name_the_defined(question, context)
    if named:
        return named
    # Otherwise the previous question first, as a reader would have it: e5 ranks the passage 3rd
    # for "Quelle loi a introduit les Pays ... ? Et laquelle les a généralisés ?", 18th for "Et
    # laquelle les a généralisés (Quelle loi a introduit les Pays ...) ?".
    return f"{context} ? {question.rstrip(' ?')} ?"


# "What is the ANPP?", "Qu'est-ce qu'un PETR ?": a question whose whole topic is one thing
DEFINITION_OF = re.compile(
    r"^\s*(?:what (?:is|are)|qu'est[- ]ce qu(?:e |')|c'est quoi)\s*(?P<article>the |a |an |un |une |le |la |les |l')?(?P<thing>[^?]+?)\s*$",
    re.IGNORECASE,
)
# "Juridiquement, un PETR c'est quoi comme type de structure ?": the thing named before the question
TOPIC_FIRST = re.compile(r"(?:^|,)\s*(?P<article>un |une |le |la |les |l')(?P<thing>[^,?]+?),?\s+c'est quoi\b", re.IGNORECASE)
# The pronouns a follow-up names that thing by ("How many territories does it represent?", "Who steers
# it?", "Il a été créé par quelle loi ?", "Combien de territoires représente-t-elle ?"); not a French
# object pronoun, which stands before its verb ("Qui la porte ?")
PRONOUNS = {
    "en": re.compile(r"\b(?:it|they|them)\b", re.IGNORECASE),
    "fr": re.compile(r"(?:-t)?-(?:il|elle|ils|elles)\b|^(?:et |mais )?(?:il|elle|ils|elles)\b", re.IGNORECASE),
}
DEFINITE_ARTICLE = {"the ": "the ", "a ": "the ", "an ": "the ", "un ": "le ", "une ": "la ", "le ": "le ", "la ": "la ", "les ": "les ", "l'": "l'"}


def _name_the_defined(question: str, context: str) -> str | None:
    """ "What is the ANPP?" + "How many territories does it represent?" -> "How many territories does
    the ANPP represent?": the follow-up's pronoun stands for the thing defined, and the question asked
    with its name finds its passages (the definition's words drew the accord's "représentants de l'ANPP")."""
    match = DEFINITION_OF.match(context) or TOPIC_FIRST.search(context)
    if match is None:
        return None
    english = re.match(r"\s*what\b", context, re.IGNORECASE) is not None
    if english and re.search(r"\bof\b", match.group("thing")):
        return None  # "What are the ambitions of the TRIDAN entente?" asks of the entente, which "it" may name
    article = match.group("article")
    name = f"{DEFINITE_ARTICLE.get(article.lower(), '') if article else ''}{match.group('thing').strip()}"
    pronoun = PRONOUNS["en" if english else "fr"]
    if not pronoun.search(question):
        return None
    if english:
        return pronoun.sub(name, question.rstrip(" ?")) + " ?"
    named = pronoun.sub(lambda m: f" {name}" if m.group(0).startswith("-") else name, question.rstrip(" ?"), count=1)
    return named[:1].upper() + named[1:] + " ?"


def _swap_last_complement(question: str, context: str) -> str | None:
    """ "Qui a signé l'accord pour l'ANPP" + "Et pour l'État ?" -> "Qui a signé l'accord pour l'État ?".

    Only when the previous question ends on a complement with that preposition: cutting one out of
    the middle ("la part des contrats ... portée par les Pays") would break the question.
    """
    match = SAME_FOR.match(question)
    side = SIDE_OF.match(question) if match is None else None
    if side is not None:
        preposition, complement = ("pour" if side.group(1) else "for"), side.group(1) or side.group(2)
    elif match is None:
        return None
    else:
        preposition, complement = match.group(1), match.group(2)
    found = list(re.finditer(rf"\b{re.escape(preposition)}\b", context, re.IGNORECASE))
    if not found or found[-1].start() == 0:
        return None
    last = found[-1]
    tail = context[last.end():]
    if len(tail.split()) > MAX_COMPLEMENT_WORDS or re.search(rf"\b(?:{PREPOSITIONS})\b|[,;:]", tail, re.IGNORECASE):
        return None
    return f"{context[:last.end()]} {complement} ?"


# "Qu'est-ce qu'un PETR ? Qui le préside ?", "Quelle part des CLS est portée par les Pays, et l'accord
# prévoit-il de soutenir ces contrats ?": several questions in one message, answered in turn.
QUESTION_BREAK = re.compile(r"\?\s+(?=\S)")
PART_BREAK = re.compile(
    r";\s*|,\s*(?:et|mais|and|but)\s+"
    r"|\s+(?:et|and)\s+(?=(?:qui|quand|comment|combien|pourquoi|où|quel|quelle|quels|quelles|sous quel|sur quel|"
    r"who|when|how|where|which|why|what)\b)",
    re.IGNORECASE,
)
ASKS = re.compile(
    r"\b(?:qui|que|qu'|quoi|quel|quelle|quels|quelles|quand|combien|comment|pourquoi|où|est-ce|"
    r"who|what|which|when|where|how|why)\b|-(?:t-)?(?:il|elle|ils|elles|on)\b|^\s*(?:does|do|is|are|can|will)\b",
    re.IGNORECASE,
)
# "Which council resolutions and which prefectoral order are needed ...?": a first part that is only
# a question word and its noun shares the verb of the next, and is no question of its own
BARE_WH_PHRASE = re.compile(
    r"^\s*(?:(?:under|in|by|for|from|with|on|at|to|dans|selon|par|pour|sous|sur|en|de|a)\s+)?(?:which|what|quel|quelle|quels|quelles)(?:\s+(?!(?:is|are|was|were|do|does|did|has|have|can|will|est|sont|"
    r"etait|a|ont|sera|seront)\b)[^\s]+){1,4}\s*$",
    re.IGNORECASE,
)
WHO = re.compile(r"\b(?:who|qui)\b", re.IGNORECASE)
# "How many SCoTs ..., and out of what total?": the same count, told with its total ("251 SCoT (sur 441)")
OUT_OF = re.compile(r"^\s*(?:out of|sur|parmi|among)\s+(?:(?:what|which|quel|quelle) (?:total|overall|ensemble|nombre)|combien|how many)\s*$")
MIN_FIRST_PART_TERMS = 2  # "Qui signe et qui pilote le CRTE ?" is one question about the CRTE
# "... et que veulent en faire l'État et l'ANPP ?", "... et l'accord en parle comment ?": "en" stands for the part before
CLITIC = re.compile(r"\b(?:en|y) (?:parler?|parlent|dit|disent|faire|fait|font|pense|pensent|prevoit|prevoient|retient|retiennent|participe|participent)\b")
# "... et à quel titre l'accord la mentionne-t-il ?": an object pronoun before an inverted verb stands for the part before
OBJECT_PRONOUN = re.compile(r"\b(?:la|le|les|l')\s*[a-z]+(?:-t)?-(?:il|elle|ils|elles|on)\b")
THAT = re.compile(r"\b(?:cela|ca|ceci|dessus)\b")  # "... et quelle part du total cela représente-t-il ?", "prévoit dessus"
DEMONSTRATIVE = re.compile(r"\b(?:ces|cette|cet|these|those|such)\s+\w", re.IGNORECASE)
# "Quel Pays coopère avec Nantes métropole, et sur quel type de projet ?": a part opening on a
# preposition and its question word shares the verb and subject of the part before
ELLIPTIC = re.compile(r"^\s*(?:sur|dans|avec|pour|par|sous|on|in|with|for|by|under)\s+(?:quel|quelle|quels|quelles|qui|quoi|which|what|whom)\b")


def split_parts(question: str) -> list[str]:
    """The questions a message asks, in order; the message itself when it asks one."""
    parts, merged = [], False
    for sentence in QUESTION_BREAK.split(question.strip()):
        if parts and WHO.search(parts[-1]) and BARE_WH_PHRASE.match(fold(sentence.strip(" ?"))):
            # "who's behind that offer? which companies?": the same question again, more precisely
            # (one question: not a follow-up asking anew what the sentence adds)
            parts[-1], merged = f"{parts[-1].rstrip(' ?')}, {sentence.strip()}", True
            continue
        pieces = [piece.strip(" ?,;") for piece in PART_BREAK.split(sentence)]
        pieces = [piece for piece in pieces if piece]
        if not pieces:  # "?", "? ?": nothing asked there
            continue
        # the first part names its topic: two words, or an acronym ("Qu'est-ce qu'un CRTE et combien de temps dure-t-il ?")
        names_topic = len(content_terms(pieces[0])) >= MIN_FIRST_PART_TERMS or ACRONYM.search(pieces[0])
        if len(pieces) > 1 and (not names_topic or not all(ASKS.search(p) for p in pieces) or BARE_WH_PHRASE.match(fold(pieces[0]))
                                or any(OUT_OF.match(fold(p)) for p in pieces[1:])):
            pieces = [sentence.strip(" ?")]
        parts += [f"{piece} ?" for piece in pieces]
    # a later part may be a follow-up without a question word of its own ("Et un CRTE ?")
    if len(parts) < 2 or not all(ASKS.search(part) or (i and is_follow_up(part)) for i, part in enumerate(parts)):
        return parts if merged and len(parts) == 1 else [question]
    return parts


def condense_part(part: str, previous: str) -> str:
    """A later part of a message, standalone: "et sous quel nom ?", "... ces contrats ?", "cela" lean on
    the part before as a follow-up leans on the previous question."""
    standalone = condense(part, [previous])
    if standalone == part.strip() and (DEMONSTRATIVE.search(part) or CLITIC.search(fold(part)) or THAT.search(fold(part))
                                       or OBJECT_PRONOUN.search(fold(part)) or ELLIPTIC.match(fold(part))):
        return f"{previous.rstrip(' ?.!')} ? {part.rstrip(' ?')} ?"
    return standalone
