"""French-aware text analysis shared by ingestion, retrieval and answering.

Matching works on a folded form (case, accents, apostrophes); what users see keeps the
original characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_EN_PLUS, STOPWORDS_FRENCH

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'"})
# French elisions glued to the next word: l'article, d'un, qu'une, jusqu'à...
ELISION_RE = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)'", re.IGNORECASE)
# "L. 5741-1", "L 5741-1" and "L5741-1" are the same article of the CGCT.
ARTICLE_RE = re.compile(r"\b([LRD])\.?\s?(\d{3,4}(?:-\d+)*)")
TOKEN_RE = re.compile(r"[^\W_]+(?:-[0-9]+)*")

# Words that carry the question's form, not its topic: ignored when measuring how much of a
# question the evidence covers.
QUESTION_WORDS = {
    "quel", "quelle", "quels", "quelles", "quoi", "comment", "pourquoi", "combien", "ou", "quand",
    "qui", "que", "est-ce", "existe", "peut", "peuvent", "doit", "doivent", "fait", "font", "faire",
    "dire", "selon", "entre", "chose", "definition", "definir", "signifie", "veut", "sert",
    # "Quel poste occupe-t-elle ?", "Quel rôle joue la direction ?": the verb asks, the answer need not use it
    "occupe", "occupent", "occuper", "joue", "jouent",
    "what", "which", "who", "whom", "how", "why", "when", "where", "does", "do", "did", "is",
    "are", "can", "could", "should", "would", "many", "much", "mean", "means", "according",
    "tell", "explain", "per", "et", "alors", "aussi", "ca", "cela", "ceci", "il", "elle", "ils", "elles",
    "rien",  # "quand le texte ne dit rien de spécial"
    # words about the question or the documents rather than their topic
    "phrase", "acronyme", "sigle", "exactement", "concretement", "complet", "intitule", "corpus",
    "concret", "concrete", "concrets", "concretes",  # "Il y a un exemple concret dans les diapos ?"
    "precisement", "precisely", "exactly", "precis", "precise", "precises",  # "Et pour la Région, c'est laquelle précisément ?", "à quelle date précise"
    "document", "texte", "cite", "cites", "citent", "mentionne", "mentionnes", "evoque", "evoques",
    "diapo", "diapos", "diapositive", "diapositives", "slide", "slides",
    "sujet", "sujets", "topic", "topics",  # "sur quels sujets les diapositives la décrivent-elles ?" asks what
    "apres", "disent", "dit", "parle", "designe", "principal", "principale", "stand",
    # how a document treats its topic ("Comment la présentation définit-elle les Pays ?"): the
    # passage that answers rarely uses the verb, and one that does is a trap ("a pour objet de définir")
    "definit", "definissent", "decrit", "decrivent", "explique", "expliquent", "say", "says", "about",
    "define", "defines", "describe", "describes", "mention", "mentions", "prevoit", "prevoient",
    # the form of the answer, like "combien" ("Quelle est la date de l'accord ?")
    "date", "dates", "timeline", "timetable", "calendrier", "echeancier", "deadline", "deadlines",
    # chat fillers ("il suit en gros les règles de ...", "ça sert à quoi au juste ?", "In a nutshell, what's a PETR?")
    "gros", "grosso", "modo", "bref", "juste", "nutshell", "actually", "basically", "roughly", "briefly",
    "give", "good", "please", "recommend", "suggest",  # "Can you give me a good recipe for ...?"
    # how a request is put ("Peux-tu me dire ...", "J'aimerais savoir ...", "Pourriez-vous m'indiquer ...")
    "peux", "pouvez", "pourrais", "pourriez", "sais", "savez", "savoir", "aimerais", "aimerions", "voudrais",
    "voudrions", "connaitre", "indiquer", "indiquez", "dis", "dites", "cherche", "rappeler", "donner", "donnez",
    # "OK, and which firms are behind it?" asks who; "In plain terms, what is a PETR supposed to be ...?"
    "ok", "okay", "behind", "plain", "supposed", "meant",
    "side", "behalf",  # "who signed it on ANPP's side?", "on behalf of the State": like "côté", "pour"
    # how a count is asked ("L'ANPP recense combien de territoires de projet au total ?"): the count answers
    "recense", "recensent", "recenser", "denombre", "denombrent", "total", "totale", "overall",
    # a comparison's form ("Quelle est la différence entre ... et ... ?")
    "difference", "differences", "distingue", "distinguent", "differ", "differs",
}


def fold(text: str) -> str:
    """Lowercase, strip accents, unify apostrophes: the form used for matching."""
    text = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


def normalize_for_match(text: str) -> str:
    """Folded text with markdown stars dropped and whitespace collapsed (quote matching)."""
    return " ".join(fold(text).replace("*", "").split())


# "le pendant des pôles métropolitains" is the noun (a counterpart), not the stopword "during":
# users ask for "l'équivalent".
NOUN_PENDANT = re.compile(r"\b(le|son|leur|les|un) pendants?\b")
# "Qui fait vivre le projet de territoire ?": who runs it, "Son animation repose sur ..."
FAIRE_VIVRE = re.compile(r"\b(?:fai[st]|font|faire|faisant|fera|feront) vivre\b")
# "Sauf mention spécifique", "sauf disposition contraire", "en l'absence de disposition particulière",
# "unless the law says otherwise": one hedge, worded many ways, and none of its words is a topic.
# Read on prepared text, where "l'absence" has become "  absence".
HEDGE = re.compile(
    r"\b(?:(?:sauf|hormis|à défaut d[e']|en  ?absence d[e']|faute d[e'])\s*(?:une?\s+|de\s+)?"
    r"(?:mention|disposition|texte|précision|règle|stipulation|loi)s?\s+(?:contraires?|spécifiques?|particulières?|expresses?|différentes?)"
    r"|sauf exceptions?"
    r"|unless (?:the law|the statute|the code|the cgct|a law|otherwise)(?: (?:says|provides|states|stated|specified|provided))?(?: otherwise)?"
    r"|unless (?:stated|specified|provided|indicated|mentioned) otherwise"
    r"|except where (?:the law )?(?:says |provides |states )?otherwise)\b"
)


def _prepare(text: str) -> str:
    """Lowercased text with elisions split and article numbers glued; accents still there."""
    text = ARTICLE_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}", text.translate(APOSTROPHES))
    text = unicodedata.normalize("NFC", ELISION_RE.sub(" ", text)).casefold()
    text = FAIRE_VIVRE.sub(" anime ", NOUN_PENDANT.sub(r"\1 équivalent", text))
    return HEDGE.sub(" sauf mention spécifique ", text)


# Function words bm25s's French list (NLTK's) lacks. Kept, their stems matched by chance: "entre"
# is a prefix of "entrer", "durant" stems like "durée", "également" like "égalité".
MORE_FRENCH_STOPWORDS = (
    "être avoir entre selon depuis pendant durant parmi vers chez dont lorsque lorsqu puisque puisqu "
    "quelque quelques tout tous toute toutes autre autres cet cette celle celles celui ceux cela ceci ça "
    "ainsi afin alors aussi déjà encore enfin ensuite également très bien chaque plusieurs leurs si car "
    "donc ni comme lequel laquelle lesquels lesquelles auquel auxquels auxquelles duquel desquels desquelles "
    "sous vis "  # "vis" of "vis-à-vis", split at its hyphens
    "faut fallait faudra faudrait"  # "Quels papiers faut-il fournir ?": a modal, not a topic
).split()


# bm25s's short English list (33 words) keeps "my", "have", "during" as topics of an English
# question; its NLTK list does not, less the two words that are French nouns ("don", "ours").
ENGLISH_STOPWORDS = [w for w in STOPWORDS_EN_PLUS if w not in {"don", "ours"}] + [
    "another", "one", "ones", "roughly", "approximately", "somewhat", "essentially", "basically",  # no topic either
]


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(fold(w) for w in (*STOPWORDS_FRENCH, *MORE_FRENCH_STOPWORDS, *STOPWORDS_EN, *ENGLISH_STOPWORDS))


_STEMMER = Stemmer.Stemmer("french")


def _accented_words(text: str) -> list[str]:
    return TOKEN_RE.findall(_prepare(text))


def words(text: str) -> list[str]:
    """Folded tokens with elisions split, stopwords kept (used for language guessing)."""
    return [fold(t) for t in _accented_words(text)]


# Snowball turns "-ication" into "-iqu", so "publications" met "publique", the commonest adjective of
# administrative text, and "Quelles publications ... ?" retrieved every "action publique".
STEM_EXCEPTIONS = {"publication": "publicat", "publications": "publicat"}


def _stems(tokens: list[str]) -> list[str]:
    # Stem before folding accents: the French Snowball rules rely on them ("lancée" -> "lanc",
    # but "lancee" -> "lance").
    stems = _STEMMER.stemWords(tokens)
    return [fold(STEM_EXCEPTIONS.get(t.casefold(), stem)) for t, stem in zip(tokens, stems)]


def analyze(text: str) -> list[str]:
    """Tokens for BM25: elisions split, French stopwords dropped, French stemming, accents folded."""
    stop = _stopwords()
    return _stems([t for t in _accented_words(text) if fold(t) not in stop and (len(t) > 1 or t.isdigit())])


def content_terms(text: str) -> list[str]:
    """Stemmed topical terms of a question (stopwords and question words removed), deduplicated."""
    stop = _stopwords()
    kept = [t for t in _accented_words(text) if fold(t) not in stop and fold(t) not in QUESTION_WORDS and (len(t) > 1 or t.isdigit())]
    return list(dict.fromkeys(_stems(kept)))


_EN_MARKERS = {"the", "what", "which", "who", "how", "does", "is", "are", "of", "and", "to", "in",
               "for", "with", "why", "when", "can", "did", "their", "this", "that", "be", "by", "about"}
_FR_MARKERS = {"le", "la", "les", "des", "du", "de", "un", "une", "est", "et", "en", "pour", "qui",
               "que", "quel", "quelle", "quels", "quelles", "sur", "dans", "au", "aux", "avec", "ce",
               "se", "il", "elle", "pas", "par", "comment", "pourquoi", "combien"}


def guess_language(text: str) -> str:
    """'en' or 'fr' from function words; French wins ties (the product speaks French)."""
    tokens = words(text)
    en = sum(t in _EN_MARKERS for t in tokens)
    fr = sum(t in _FR_MARKERS for t in tokens)
    return "en" if en > fr else "fr"


ABBREVIATIONS = {"art", "cf", "mme", "mm", "dr", "etc", "no", "p", "pp", "al", "ex", "env", "st", "ste"}


# A line ending with one of these words was cut by the layout, not by the author.
CONTINUATION_WORDS = {
    "de", "du", "des", "la", "le", "les", "l", "d", "un", "une", "et", "ou", "à", "a", "au", "aux",
    "en", "pour", "par", "avec", "sur", "dans", "entre", "vers", "sans", "sous", "que", "qui", "dont",
    "son", "sa", "ses", "leur", "leurs", "ce", "cette", "ces", "of", "the", "and", "to", "in", "for",
    "with", "by", "on", "a", "an", "or", "its", "their",
}


def logical_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines, joining a hard-wrapped line with the next one when it obviously continues."""
    spans: list[list[int]] = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.start(), match.end()
        if spans:
            prev = text[spans[-1][0]:spans[-1][1]].rstrip()
            gap = text[spans[-1][1]:start]
            nxt = text[start:end].lstrip()
            last_word = re.search(r"(\w+)\W*$", prev)
            continues = (
                gap.count("\n") == 1
                and not nxt.startswith("- ")
                and not prev.endswith((".", "!", "?", ":", ";"))
                and (prev.endswith((",", "-")) or nxt[:1].islower()
                     or (last_word is not None and last_word.group(1).lower() in CONTINUATION_WORDS))
            )
            if continues:
                spans[-1][1] = end
                continue
        spans.append([start, end])
    return [(a, b) for a, b in spans]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences (and list items / lines) of a passage."""
    spans = []
    for line_start, line_end in logical_lines(text):
        line = text[line_start:line_end]
        # Split at sentence ends followed by a capital (keeps "art. L. 5741" together).
        cut = 0
        for end in re.finditer(r"[.!?](?=\s+[«\"(]?[A-ZÀ-ÖØ-Þ])", line):
            before = re.search(r"(\w+)$", line[cut:end.start()])
            if before and (before.group(1).lower() in ABBREVIATIONS or len(before.group(1)) == 1):
                continue
            piece = line[cut:end.end()]
            if len(piece.strip()) > 1:
                spans.append(_strip_span(line, cut, end.end(), line_start))
            cut = end.end()
        if len(line[cut:].strip()) > 1:
            spans.append(_strip_span(line, cut, len(line), line_start))
    return spans


def _strip_span(line: str, start: int, end: int, offset: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return offset + start, offset + end


# ---------------------------------------------------------------------------------------------
# Answer units: the sentences or short blocks an extractive answer is made of. They live here,
# not in answer.py, because ingestion embeds them ahead of the questions.

PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")
MAX_UNIT_CHARS = 450  # a slide field or short list longer than this is cut into sentences

_URL = re.compile(r"^\s*(?:https?://|www\.)")


SIGNATURES_LABEL = "Signataires"  # what a signature block answers, though it never says it
# Words of questions about an agreement's signing, which its signatures and "Fait à" line never use.
SIGNING_WORDS = "signature signé conclu daté signed concluded dated"
# "Fait à Paris, le 28 juin 2021": where and when an agreement was signed, above its signatures.
SIGNED_AT = re.compile(r"^Fait (?:à|a|en) [^,\n]{2,60},? (?:le|en) [^\n]{4,40}$", re.IGNORECASE)
# "Pour l'État," / "For the ANPP," opening the block of one party's signatories at the end of an
# agreement; the names and titles follow, one short paragraph each.
SIGNATORY = re.compile(r"(?:Pour|For)\s+(?:l['’]|le\s|la\s|les\s|the\s)?[^\n.;:]{1,60},", re.IGNORECASE)
MAX_SIGNATURE_LINE = 150


def signature_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of the signature blocks of a passage: "Pour l'État," with the names and titles under it.

    Each name and title is its own short paragraph, too short to answer anything alone ("Barbara
    POMPILI"): together they answer "Qui a signé l'accord pour l'État ?".
    """
    paragraphs = list(PARAGRAPH.finditer(text))
    blocks = []
    for i, paragraph in enumerate(paragraphs):
        if not SIGNATORY.fullmatch(paragraph.group(0).strip()):
            continue
        end = paragraph.end()
        for following in paragraphs[i + 1:]:
            line = following.group(0).strip()
            if (SIGNATORY.fullmatch(line) or len(line) > MAX_SIGNATURE_LINE or line.endswith((".", "!", "?"))
                    or following.end() - paragraph.start() > MAX_UNIT_CHARS):
                break
            end = following.end()
        if end > paragraph.end():
            block = paragraph.group(0)
            blocks.append((paragraph.start() + len(block) - len(block.lstrip()), len(text[:end].rstrip())))
    return blocks


def is_signature(text: str) -> bool:
    """A signature block, or the "Fait à ..., le ..." line above the signatures."""
    first, _, rest = text.strip().partition("\n")
    return (bool(rest.strip()) and SIGNATORY.fullmatch(first.strip()) is not None) or (not rest and SIGNED_AT.match(first) is not None)


def unit_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the answer units of a passage.

    A short paragraph made of several lines that are not sentences (a slide field, a short list)
    is one unit: its lines only make sense together; so is a signature block. Anything else is cut
    into sentences. URLs are never answers.
    """
    signatures = signature_blocks(text)
    spans: list[tuple[int, int]] = list(signatures)
    for paragraph in PARAGRAPH.finditer(text):
        block, offset = paragraph.group(0), paragraph.start()
        first = offset + len(block) - len(block.lstrip())
        if any(start <= first < end for start, end in signatures):
            continue
        lines = [line for line in block.split("\n") if line.strip()]
        # Only the last line may end a sentence: a sentence then a short line is a sentence and the
        # next heading ("... à la transition énergétique.\nVolonté des élus et animation du territoire").
        inner_ends = any(line.rstrip().endswith((".", "!", "?", ";")) for line in lines[:-1])
        has_url = any(_URL.match(line) for line in lines)
        if len(lines) > 1 and len(block.strip()) <= MAX_UNIT_CHARS and not inner_ends and not has_url:
            start = offset + len(block) - len(block.lstrip())
            spans.append((start, offset + len(block.rstrip())))
            continue
        for start, end in split_sentences(block):
            if not _URL.match(block[start:end]):
                # the list may follow after a blank line (Markdown): look past the paragraph
                spans.append(_extend_list_intro(text, offset + start, offset + end))
    return sorted(spans)


def _extend_list_intro(text: str, start: int, end: int, limit: int = MAX_UNIT_CHARS) -> tuple[int, int]:
    """A sentence announcing a list ("L'État s'engage à :") is useless without its items."""
    if not text[start:end].rstrip().endswith(":"):
        return start, end
    new_end = end
    for match in re.finditer(r"\n[ \t]*- [^\n]+", text[end:]):
        if match.start() > new_end - end + 2 or match.end() + end - start > limit:
            break
        new_end = end + match.end()
    return start, new_end


def is_answer_unit(text: str) -> bool:
    """Fewer than three words ("Objet", "Acteurs") is a label, not an answer."""
    return len(re.findall(r"\w+", text)) >= 3


def unit_texts(text: str) -> list[str]:
    """The answer units of a passage, as `answer.passage_units` cuts them."""
    return [unit for start, end in unit_spans(text) if is_answer_unit(unit := text[start:end])]
