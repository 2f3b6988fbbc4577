"""The thing most of a unit's notes name, and the question asked about it.

A question copied from one note speaks for that note. When a unit's notes share no proposal
(the question's idea is under a fifth of them) but many of them name one thing, "tax" in 32
of 44 comments, "Windräder" in 16 of 17, a question built from one of them asks one side of
the debate ("How might we lower taxes?") or one site ("… die Wiener Donauinsel mit
Windrädern … verwenden?"). The question then asks about the thing itself, in the words the
notes use for it, with one neutral verb: "How might we rethink the electoral system?",
"Wie könnten wir beim Thema Windräder neue Wege gehen?". The notes' own questions stay as
its alternatives.

As everywhere in the composing drafter, the rules add only the stem, the verb and an
article; the thing is a noun phrase the notes wrote, with the article they wrote before it
most often.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.draft.compose.checks import MIN_QUESTION_WORDS
from pipeline.draft.compose.forms import Form, FormKind
from pipeline.draft.compose.nouns import (
    french_noun,
    head_noun,
    starts_with_vowel,
)
from pipeline.draft.compose.questions import question, written_phrase
from pipeline.draft.compose.rules import RULES
from pipeline.draft.compose.tagging import Word, is_acronym, join, word_in
from pipeline.draft.compose.titles import (
    BARE_HEADS,
    GENERIC_HEADS,
    PEOPLE,
    VAGUE_ALONE,
    noun_phrases,
)
from pipeline.ground import match_key

TOPIC_SHARE = 0.25
"""The share of a unit's notes (in the output language) that must name its topic's head
noun. On the Polis workshop file "system" heads a phrase in 18 of 63 comments on electoral
reform (29 %), "tax" in 32 of 44 (73 %); on the German proposals "Windräder" in 16 of 17.
On sticky notes no noun reaches it, and their questions stay the notes' own."""
ONE_WORD_SHARE = 1 / 3
"""A topic that is one word ("tax", "Windräder") needs more notes: one word is also a detail
many notes mention ("CO2" in a quarter of a theme on carbon pricing, "Wie könnten wir CO2 neu
denken?" asks nothing)."""
TOPIC_MIN_NOTES = 5
"""Fewer notes naming a thing say little about what a unit is about."""
MAX_TOPIC_WORDS = 3
"""A topic is a short phrase: "electoral system", "universal basic income"."""
MIN_NAMED = 2
"""Notes that write a phrase capitalised inside a sentence before it is taken for a name."""
PHRASE_SHARE = 0.5
"""A phrase of several words ("electoral system") names the topic when at least this share
of the notes naming its head ("system") use all its words; else the head alone does."""

VERBS = {
    "en": "rethink",
    "fr": "repenser",
    "nl": "anders aanpakken",
}
"""One verb per language that fits any thing a room may take up, whether it exists (taxes,
the electoral system) or is proposed (a universal basic income), and takes no side. German
asks about every thing as about a field (``DOMAIN``): "Windräder neu denken", "CO2 neu
denken" read as redesigning the thing itself."""

DOMAIN = {
    "de": "beim Thema {} neue Wege gehen",
    "nl": "rond het thema {} nieuwe wegen inslaan",
}
"""The question about a field (``Topic.domain``), which needs neither article nor case:
"Wie könnten wir beim Thema Energie neue Wege gehen?"; in German about any thing."""

DEFINITE = {
    "en": frozenset({"the"}),
    "fr": frozenset({"le", "la", "les", "l'", "l’"}),
    "de": frozenset({"die", "das", "den"}),
    "nl": frozenset({"de", "het"}),
}
"""Definite articles the question can copy before its object: German "der", "dem" and
"des" are another case than the object's (a feminine "der" is a dative)."""


@dataclass(frozen=True)
class Topic:
    """A thing most of a unit's notes name: the phrase as they write it most often, with
    the definite article they write before it most often (``article``, "" for none)."""

    words: tuple[Word, ...]
    article: str
    note_ids: tuple[str, ...]
    """The notes that name it, in the unit's order (the question's citations)."""
    domain: bool = False
    """Most of the notes name it only inside compounds ("Energieberater",
    "Klimaschutzgesetz"): a field the notes work in rather than a thing, asked about as one
    ("… beim Thema Klima neue Wege gehen?", not "… das Klima neu denken?")."""
    name: bool = False
    """Written as a name: inside a sentence, at least ``MIN_NAMED`` notes write every word
    of it capitalised, more than write it otherwise ("Bowling Green", which the tagger
    reads as an adjective and a noun), so a question keeps its capitals; a phrase a few
    notes capitalise and most do not ("Universal Basic Income") is asked in small letters."""

    @property
    def text(self) -> str:
        """The phrase as a heading ("Electoral system", "Windräder")."""
        text = join(self.words)
        return text[:1].upper() + text[1:]


def shared_topic(
    tagged: Sequence[tuple[str, Sequence[Word]]],
    language: str,
    common: frozenset[str] = frozenset(),
) -> Topic | None:
    """The thing at least ``TOPIC_SHARE`` of ``tagged`` (note id, words; one unit's notes
    in ``language``) name as the head of a noun phrase, or ``None``. ``common`` holds the
    words (casefolded) the whole workshop uses: its subject names no one unit."""
    if language not in RULES or not tagged:
        return None
    phrases: list[tuple[str, list[Word], Word | None]] = []  # head's key, phrase, word before
    naming: dict[str, set[str]] = {}
    heads: dict[str, dict[str, bool]] = {}  # note → the heads it names, each leading or not
    leading: Counter[str] = Counter()
    determined: Counter[str] = Counter()
    first_at: dict[str, int] = {}  # the earliest word a note names it at
    for note_id, words in tagged:
        position = {id(w): k for k, w in enumerate(words)}
        for phrase in noun_phrases(words, language):
            at = position.get(id(phrase[0]))
            end = at + len(phrase) if at is not None else -1
            if at == 0 and 0 < end < len(words) and words[end].text == ":":
                continue  # "Klimarat: Städte und Gemeinden sollen …": whom the note addresses
            before = words[at - 1] if at else None
            for k, (part, said_before) in enumerate(_parts(phrase, before)):
                head = _head(part, language)
                if head is None or _unfit(head, common):
                    continue
                naming.setdefault(_key(head), set()).add(note_id)
                named_here = heads.setdefault(note_id, {})
                named_here[_key(head)] = named_here.get(_key(head), False) or k == 0
                if k == 0:
                    leading[_key(head)] += 1
                if said_before is not None and said_before.pos == "DET":
                    determined[_key(head)] += 1
                place = position.get(id(part[0]), len(words))
                first_at[_key(head)] = min(first_at.get(_key(head), place), place)
                phrases.append((_key(head), part, said_before))
    if not naming:
        return None
    spelled_out = _spell_out_acronyms(phrases, naming, leading, first_at)
    inside: dict[str, set[str]] = (
        _name_compound_parts(naming, heads, leading, first_at) if language in COMPOUNDING else {}
    )
    # The thing the most notes name; of two, the one they name first ("noise" in "the
    # noise at night"), not the one a preposition adds, then the one said earlier in a
    # note ("impôts" in "Les impôts … augmentent", whose verb the tagger may take for a
    # noun), then the one said with an article.
    key = max(
        sorted(naming),
        key=lambda k: (len(naming[k]), leading[k], -first_at[k], determined[k]),
    )
    named = naming[key]
    if len(named) < max(TOPIC_MIN_NOTES, TOPIC_SHARE * len(tagged)):
        return None
    content = {note_id: _content(words) for note_id, words in tagged}
    ways: Counter[str] = Counter()
    said: dict[str, tuple[list[Word], Counter[str]]] = {}
    # How often each phrase is written after another word, capitalised or not.
    inside_sentence: Counter[tuple[str, bool]] = Counter()
    for named_by, phrase, before in phrases:
        if named_by != key:
            continue
        alpha = [w for w in phrase if any(c.isalpha() for c in w.text)]
        if len(alpha) > MAX_TOPIC_WORDS or any(
            w.pos not in {"NOUN", "PROPN", "ADJ"} for w in alpha
        ):
            continue  # "tax on land", "Die sogenannte co2": a plain phrase, no preposition
        text = join(phrase)
        ways[text] += 1
        said.setdefault(text, (phrase, Counter()))[1][_article(before, language)] += 1
        if before is not None and before.pos != "PUNCT" and len(alpha) > 1:
            inside_sentence[text.casefold(), _capitalised(alpha)] += 1
    if not said:
        return None

    wanted = {text: _content(phrase) for text, (phrase, _) in said.items()}
    support = {  # the notes that use every content word of each phrase, or its acronym
        text: sum(
            1
            for note_id in named
            if words <= content[note_id] or note_id in spelled_out.get(text.casefold(), ())
        )
        for text, words in wanted.items()
    }
    longer = [t for t in said if len(said[t][0]) > 1 and support[t] >= PHRASE_SHARE * len(named)]
    single = [t for t in said if len(said[t][0]) == 1]
    pool = longer or single or list(said)
    best = max(sorted(pool), key=lambda t: (support[t], ways[t], -len(t)))
    phrase = said[best][0]
    # The article as the notes write it before the phrase, or before a longer phrase that
    # ends with it ("the current electoral system" for "electoral system").
    articles: Counter[str] = Counter()
    for text, (_, counts) in said.items():
        if text.casefold().endswith(best.casefold()):
            articles.update(counts)
    article = max(sorted(articles), key=lambda a: articles[a])
    if len(phrase) == 1 and len(named) < ONE_WORD_SHARE * len(tagged):
        return None  # "CO2" in 6 of 23 notes: one word names a topic only in most notes
    if len(phrase) == 1 and match_key(phrase[0].lemma or phrase[0].text) in VAGUE_ALONE:
        return None  # "… rethink our approach to system?"
    order = [note_id for note_id, _ in tagged if note_id in named]
    domain = 2 * len(inside.get(key, ())) > len(named)
    capitals = inside_sentence[best.casefold(), True]
    name = capitals >= MIN_NAMED and capitals > inside_sentence[best.casefold(), False]
    return Topic(
        words=tuple(phrase), article=article, note_ids=tuple(order), domain=domain, name=name
    )


def _capitalised(words: Sequence[Word]) -> bool:
    """Whether every word of a phrase of two or more starts with a capital."""
    return len(words) > 1 and all(w.text[:1].isupper() for w in words)


def _spell_out_acronyms(
    phrases: list[tuple[str, list[Word], Word | None]],
    naming: dict[str, set[str]],
    leading: Counter[str],
    first_at: dict[str, int],
) -> dict[str, set[str]]:
    """Counts a note naming an acronym as naming the phrase of the unit's notes it stands
    for, the phrase's words' initials ("UBI" for "universal basic income", "KI" for
    "künstliche Intelligenz"): on the Polis workshop file 10 of 33 comments on income
    support say "UBI" and 5 "universal basic income", together 45 % of them. Returns, per
    phrase (casefolded), the notes that name it by its acronym only."""
    spelled: dict[str, tuple[str, str]] = {}  # initials → the phrase's head key, its text
    for key, phrase, _ in phrases:
        alpha = [w.text for w in phrase if any(c.isalpha() for c in w.text)]
        if len(alpha) < 2 or len(alpha) > MAX_TOPIC_WORDS:
            continue
        initials = "".join(w[0] for w in alpha).casefold()
        spelled.setdefault(initials, (key, join(phrase).casefold()))
    out: dict[str, set[str]] = {}
    for key, phrase, _ in phrases:
        if len(phrase) != 1 or not is_acronym(phrase[0].text):
            continue
        found = spelled.get(phrase[0].text.casefold())
        if found is None or found[0] == key:
            continue
        head, text = found
        for note_id in naming.get(key, ()):
            if note_id not in naming[head]:
                naming[head].add(note_id)
                out.setdefault(text, set()).add(note_id)
                leading[head] += 1
                first_at[head] = min(first_at[head], first_at[key])
    return out


COMPOUNDING = frozenset({"de", "nl"})
"""Languages that write a thing and its kinds as one word: "Fernwärme" is a "Wärme",
"Energieberater" and "Energiegemeinschaften" are about "Energie"."""
MIN_PART = 5
"""The shortest word counted inside a compound: "Rad" in "Radweg" and "Bau" in "Bauernhof"
are other words as often as parts."""
MIN_REST = 4
"""The shortest remainder beside a part ("Fern" in "Fernwärme"): "Handel" is no "Hand"."""


def _name_compound_parts(
    naming: dict[str, set[str]],
    heads: dict[str, dict[str, bool]],
    leading: Counter[str],
    first_at: dict[str, int],
) -> dict[str, set[str]]:
    """Counts a note naming a compound as naming the unit's nouns it is made of: on the
    German proposals "Energie" alone heads a phrase in few notes of an energy theme, and
    with "Energieberater", "Energieeffizienzgesetz" and "Energiegemeinschaften" in 43 of 65.
    Only nouns the unit's notes also write on their own count (``naming``'s keys), so a
    compound is never cut into words nobody wrote. Returns, per part, the notes that name
    it only inside compounds."""
    vocabulary = [key for key in naming if len(key) >= MIN_PART]
    inside: dict[str, set[str]] = {}
    for note_id, named in heads.items():
        for key, lead in list(named.items()):
            for part in vocabulary:
                if part == key or note_id in naming[part] or not _compounded(key, part):
                    continue
                naming[part].add(note_id)
                inside.setdefault(part, set()).add(note_id)
                if lead:
                    leading[part] += 1
                first_at[part] = min(first_at[part], first_at[key])
    return inside


def _compounded(word: str, part: str) -> bool:
    """Whether ``word`` is ``part`` compounded with another word of ``MIN_REST`` letters
    or more, before it ("Fernwärme") or after it, a linking "s" or hyphen between
    ("Energieberater", "Wohnungsbau", "PV-Anlage")."""
    if word.endswith(part):
        return len(word.rstrip("-")) - len(part) >= MIN_REST
    if word.startswith(part):
        rest = word[len(part) :]
        rest = rest[1:] if rest[:1] in {"s", "-"} and len(rest) > MIN_REST else rest
        return len(rest) >= MIN_REST
    return False


def topic_question(topic: Topic, language: str) -> str:
    """ "How might we rethink taxes?": the stem, ``VERBS``' verb and the topic with its
    article (French always takes one; the others the one the notes wrote, if any). A topic
    that names a problem is dealt with as the rules deal with one ("… remédier au bruit
    ?"). A question that would say too little to hand out ("How might we rethink tax?",
    five words) asks about the room's approach to the thing instead ("How might we rethink
    our approach to tax?")."""
    rules = RULES[language]
    words = list(topic.words)
    phrase = join(words) if topic.name else written_phrase(words, keep_nouns=language == "de")
    article = _french_article(words, phrase) if language == "fr" else topic.article
    if any(word_in(w, rules.problem_words) for w in words):
        # "… remédier au bruit ?", not "… repenser le bruit ?"
        asked = question(Form(kind=FormKind.PROBLEM, words=tuple(words)), language)
    elif (topic.domain and language in DOMAIN) or language == "de":
        # "Wie könnten wir beim Thema Windräder neue Wege gehen?": after "Thema" the phrase
        # stays in the nominative the notes wrote it in.
        asked = f"{rules.stem} {DOMAIN[language].format(phrase)}{rules.end}"
    else:
        verb = VERBS[language]
        if language == "fr":
            body = f"{verb} {article}{phrase}"
        elif language == "en":
            body = f"{verb} the {phrase}" if article else f"{verb} {phrase}"
        else:
            body = f"{article} {phrase} {verb}" if article else f"{phrase} {verb}"
        asked = f"{rules.stem} {body}{rules.end}"
    if len(asked.split()) >= MIN_QUESTION_WORDS:
        return asked
    if language == "fr":
        of = {"les ": "des ", "le ": "du ", "la ": "de la ", "l'": "de l'"}.get(
            article, "d'" if starts_with_vowel(phrase) else "de "
        )
        body = f"repenser notre approche {of}{phrase}"
    elif language == "en":
        body = f"rethink our approach to {'the ' if article else ''}{phrase}"
    elif language == "de":
        body = DOMAIN[language].format(phrase)  # "… Lärm angehen?" says too little
    else:
        body = f"onze aanpak van {article + ' ' if article else ''}{phrase} herzien"
    return f"{rules.stem} {body}{rules.end}"


def _french_article(words: list[Word], phrase: str) -> str:
    """The definite article a French topic takes: by the gender and number of its head, an
    acronym singular ("l'IA", however the tagger counts it); none for a name ("Uber",
    "Bowling Green")."""
    if all(w.pos == "PROPN" for w in words if any(c.isalpha() for c in w.text)):
        return ""
    gender, plural = french_noun(words)
    if is_acronym(words[0].text):
        plural = False
    if plural:
        return "les "
    if starts_with_vowel(phrase):
        return "l'"
    return "la " if gender == "f" else "le "


def _article(before: Word | None, language: str) -> str:
    """The definite article the question may copy from the word before a phrase, "" for
    none. In English any definite determiner counts as "the": "our electoral system" is
    "the electoral system" when asked about (a count noun takes an article; a mass noun or
    a plural is written bare). "A"/"an" counts as none: a thing the notes propose ("A
    universal basic income must be set at …") does not exist yet, and "How might we
    rethink the universal basic income?" reads as if it did."""
    if before is None:
        return ""
    text = before.text.lower()
    if language == "en" and before.pos == "DET" and text not in ENGLISH_NOT_THE | {"a", "an"}:
        return "the"
    return text if text in DEFINITE.get(language, ()) else ""


ENGLISH_NOT_THE = frozenset({"no", "any", "some", "all", "more", "less", "much", "many"})
"""English determiners that quantify a mass or a plural: "more tax" is "tax", not "the tax"."""


def _parts(phrase: Sequence[Word], before: Word | None) -> list[tuple[list[Word], Word | None]]:
    """The noun phrases a phrase joins by prepositions, each without its leading articles
    and with the word said before it: "Bürger an den Windrädern" names "Bürger" and
    "Windrädern" (after "den"), so that a note naming a thing in a prepositional phrase
    counts as naming it."""
    parts: list[tuple[list[Word], Word | None]] = []
    current: list[Word] = []
    for word in phrase:
        if word.pos == "ADP":
            if current:
                parts.append((current, before))
            current, before = [], word
        elif word.pos == "DET" and not current:
            before = word
        else:
            current.append(word)
    if current:
        parts.append((current, before))
    return parts


def _head(phrase: Sequence[Word], language: str) -> Word | None:
    """The noun the phrase is about: its first noun in French ("système électoral"), the
    last of its leading nouns elsewhere ("electoral system", "Wiener Donauinsel")."""
    if language == "fr":
        return next((w for w in phrase if w.pos in {"NOUN", "PROPN"}), None)
    return head_noun(phrase)


def _unfit(head: Word, common: frozenset[str]) -> bool:
    """A head that names no topic: a generic word ("people", "Jahr", "idées"), people
    ("habitants", "Bürger") or the workshop's own subject."""
    folded = {match_key(head.lemma or head.text), match_key(head.text)}
    if folded & (GENERIC_HEADS | BARE_HEADS | PEOPLE):
        return True
    return head.text.casefold() in common or (head.lemma or "").casefold() in common


def _content(words: Sequence[Word]) -> set[str]:
    """The keys of the nouns, names and adjectives among ``words``."""
    return {_key(w) for w in words if w.pos in {"NOUN", "PROPN", "ADJ"}}


def _key(word: Word) -> str:
    return match_key(word.lemma or word.text)
