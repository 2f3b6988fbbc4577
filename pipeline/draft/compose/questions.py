"""Turn a note's form into a "How might we …?" question, or a title, by rules per language.

``forms.form_of`` says what a note's first clause is; this module words it:

- an **action** ("Former les agents à l'écoute", "Jugendliche direkt ansprechen") is asked
  with the stem and the action, "Comment pourrions-nous former les agents à l'écoute ?";
- a **proposal** noun phrase ("Registre public des algorithmes", "Charta gegen
  Alibi-Beteiligung") with the stem, a verb that sets it up (the one its head noun goes
  with: "organiser une réunion", "ein Gesetz beschließen"), and the article the noun needs
  by gender and number, "Wie könnten wir eine Charta gegen Alibi-Beteiligung
  verabschieden?";
- a **problem** noun phrase ("manque de coordination entre services") with the stem and a
  verb that deals with it, "Comment pourrions-nous remédier au manque de coordination entre
  services ?".

A note without a form is no question. The rules add only the stem, one verb and an
article: no facts of their own.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from pipeline.draft.compose.forms import (
    COMPARATIVES,
    INTENSIFIERS,
    RELATIVE,
    VERB_FINAL,
    Form,
    FormKind,
    head_verb,
    without_ability,
)
from pipeline.draft.compose.forms import form_of as form_of  # where callers found it first
from pipeline.draft.compose.nouns import (
    first_noun,
    french_noun,
    german_compounds,
    german_declined,
    german_gender,
    german_indeclinable,
    head_noun,
    starts_with_vowel,
)
from pipeline.draft.compose.rules import RULES, LanguageRules
from pipeline.draft.compose.tagging import Word, is_acronym, join, lower_first, word_in
from pipeline.draft.compose.wording import word_list
from pipeline.ground import match_key

ADDITIVE = frozenset(word_list("too also aussi également auch ebenfalls ook eveneens"))
"""Words that add to something the note said before ("Sensibiliser les managers aussi, pas
que les agents"): asked on their own, "… les managers aussi ?" points at what is no longer
there, so the question leaves them out. A comparison ("aussi simple que") keeps its word."""


ADDITIVE_ENDS = (("as", "well"), ("de", "même"), ("op", "dezelfde", "manier"))
"""Phrases that add to something said before when they end the clause ("Boxing … need to be
banned as well": as well as what?)."""


def _without_additive(words: list[Word]) -> list[Word]:
    end = len(words)
    while end and words[end - 1].pos == "PUNCT":
        end -= 1
    for phrase in ADDITIVE_ENDS:
        n = len(phrase)
        if end > n and tuple(w.text.lower() for w in words[end - n : end]) == phrase:
            last = replace(words[end - n - 1], space_after=False)
            words = [*words[: end - n - 1], last, *words[end:]]
            break
    lowered = [w.text.lower() for w in words]
    kept: list[Word] = []
    for i, word in enumerate(words):
        compares = "que" in lowered[i + 1 : i + 4] or "as" in lowered[i + 1 : i + 4]
        if lowered[i] in ADDITIVE and word.pos in {"ADV", "PART", "X"} and not compares:
            if kept and not word.space_after:
                kept[-1] = replace(kept[-1], space_after=False)
            continue
        kept.append(word)
    return kept or words


OPEN_END = re.compile(r"(?:etc|ect|usw|usf|enz|etcetera|[ou]\.?\s?ä|e\.?a)\.?", re.IGNORECASE)
"""A list's open end ("etc.", its slip "ect.", "usw.", "o.ä.", "enz."): in a note it says
there is more; in the question the room is asked it says nothing."""


def _without_open_end(words: list[Word]) -> list[Word]:
    """``words`` without "etc." and its kin, and the comma before them."""
    kept: list[Word] = []
    for word in words:
        if OPEN_END.fullmatch(word.text) and kept:
            if kept[-1].text == ",":
                kept.pop()
            kept[-1] = replace(kept[-1], space_after=word.space_after)
            continue
        kept.append(word)
    return kept or words


BACK_IN_TIME = frozenset(
    word_list(
        """
        après avant auparavant tard after afterwards before beforehand later danach davor
        vorher nachher später daarna nadien erna ervoor eerder
        """
    )
)
"""Words that place a time after or before something the note does not name ("une réunion
de restitution quelques mois après": after what?)."""
TIME_UNITS = frozenset(
    word_list(
        """
        jour jours semaine semaines mois an ans année années day days week weeks month months
        year years tag tage tagen woche wochen monat monate monaten jahr jahre jahren dag
        dagen week weken maand maanden jaar jaren
        """
    )
)
"""The units a span of time counts in ("quelques mois", "6 months", "een paar maanden")."""
TIME_SPAN_WORDS = 3
"""How many words a time span may take before its unit ("quelques mois", "een paar
maanden", "6 months")."""
A_FEW = frozenset(word_list("few couple quelques plusieurs einige einigen mehrere paar enkele"))
"""Words of a span of time that taggers may call a noun ("een paar maanden")."""


def _without_time_pointing_back(words: list[Word], language: str) -> list[Word]:
    """``words`` without a span of time that ends the clause and counts from something the
    note does not name ("organiser une réunion de restitution quelques mois après" asks
    "… organiser une réunion de restitution ?"; "a follow-up meeting 6 months later", "eine
    Veranstaltung einige Monate danach organisieren"). The proposal keeps the note's words;
    the question, read alone on a handout, does not leave the reader asking "after what?".
    A time said with what it counts from ("six mois après la consultation") stays."""
    end = len(words)
    while end and words[end - 1].pos == "PUNCT":
        end -= 1
    if language in VERB_FINAL:
        while end and words[end - 1].pos in {"VERB", "AUX", "PART"}:
            end -= 1
    if not end or words[end - 1].text.lower() not in BACK_IN_TIME:
        return words
    back = end - 1
    if words[back].text.lower() == "tard":
        if back == 0 or words[back - 1].text.lower() != "plus":
            return words
        back -= 1  # "plus tard"
    if back == 0 or words[back - 1].text.lower() not in TIME_UNITS:
        return words
    start = back - 1
    while (
        start
        and back - start < TIME_SPAN_WORDS
        and (words[start - 1].pos in {"NUM", "DET", "ADJ"} or word_in(words[start - 1], A_FEW))
    ):
        start -= 1
    if start == 0:
        return words
    kept = [*words[:start], *words[end:]]
    kept[start - 1] = replace(kept[start - 1], space_after=words[end - 1].space_after)
    return kept


def question(form: Form, language: str) -> str:
    """The "How might we …?" question for a note's form."""
    rules = RULES[language]
    words = _without_open_end(_without_additive(list(form.words)))
    words = _without_time_pointing_back(words, language)
    if form.kind is FormKind.ACTION and not form.agent:
        # "Pouvoir contester une décision …" asks "… contester une décision …?": "how
        # might we" already says "could" (others "can": "… dat bewoners … kunnen geven").
        words = without_ability(words, language)
    if language == "de":
        words = german_compounds(words)  # "Fleisch-produkte höher besteuern": a note's slip
    if language == "fr":
        words = french_completed(words)  # "une formation facilitation": a note's shorthand
    words = [_lowered(w) if _emphasised(w) else w for w in words]
    if language == "fr":
        body = _french_body(form.kind, words, rules)
    elif language == "nl":
        body = _dutch_body(form.kind, words, rules)
    elif language == "de":
        body = _german_body(form.kind, words, rules)
    else:
        body = _english_body(form.kind, words, rules)
    if form.agent:
        agent = written_phrase(form.agent, keep_nouns=language == "de")
        body = AGENT_FRAMES[language].format(agent=agent, action=body)
    return f"{rules.stem} {body}{rules.end}"


QUALIFIERS = {
    "en": frozenset({"for", "in", "among", "within"}),
    "fr": frozenset({"pour", "dans", "chez", "auprès"}),
}
"""Prepositions that open a qualifier after what a French or English clause names (who it
is for, where): "… une formation à la facilitation pour les chefs de projet". Not those that
complete a noun or a verb ("de", "of", "à", "sur": "impôts sur le revenu"; "on", "at":
"make helmets soft on the outside") nor relate two things ("entre", "between", "with").
German and Dutch put the verb last, after such a phrase, and are left as written."""
LONE_QUALIFIER_NOTES = 6
"""A qualifier is left out of a unit's question only where at least this many other notes of
the unit are in the question's language: fewer say too little about what the unit shares."""


def opens_a_qualifier(form: Form, language: str) -> bool:
    """Whether ``form`` holds a preposition that may open a qualifier (``QUALIFIERS``): the
    cheap test before the unit's notes are asked whether they name it."""
    prepositions = QUALIFIERS.get(language, frozenset())
    return any(w.pos == "ADP" and w.text.lower() in prepositions for w in form.words)


def without_lone_qualifier(
    form: Form, heading: Sequence[str], shared: Callable[[Word], bool], language: str
) -> Form:
    """``form`` without a qualifier right after the thing its heading names (``heading``:
    the heading's nouns, as ``match_key`` gives them) when no other note of the unit names
    its nouns and adjectives (``shared`` says whether one does): a challenge headed
    "Formation à la facilitation" asks "… proposer une formation à la facilitation ?", not
    "… pour les chefs de projet ?", the audience of one note of 35. The heading is chosen by
    how many notes are close to it; the qualifier narrows it to one note. A qualifier that
    names part of the heading ("the room for manoeuvre"), says what for with a verb, or
    comes before the heading's last noun stays."""
    if (
        form.kind not in {FormKind.ACTION, FormKind.PROPOSAL}
        or language not in QUALIFIERS
        or not heading
    ):
        return form
    words = form.words
    keys = [match_key(w.lemma or w.text) for w in words]
    for i, word in enumerate(words):
        if word.pos != "ADP" or word.text.lower() not in QUALIFIERS[language]:
            continue
        if not all(noun in keys[:i] for noun in heading) or any(k in heading for k in keys[i:]):
            return form  # the heading's thing is not all said before it
        named = [w for w in words[i + 1 :] if w.pos in {"NOUN", "PROPN", "ADJ"}]
        if not named or any(w.pos in {"VERB", "AUX"} for w in words[i + 1 :]):
            return form
        return form if any(shared(w) for w in named) else replace(form, words=words[:i])
    return form


AGENT_FRAMES = {
    "en": "get {agent} to {action}",
    "fr": "amener {agent} à {action}",
    "nl": "ervoor zorgen dat {agent} {action}",
    "de": "erreichen, dass {agent} {action}",
}
"""How the question asks others to act ("How might we get landlords to insulate …?"). A
German or Dutch agent is plural, so the verb at the end keeps the infinitive's form."""


def written_phrase(words: Sequence[Word], *, keep_nouns: bool = False) -> str:
    """The words as written, the first one lowercased unless it is a name, an acronym or (in
    German) a noun. A phrase written with every word capitalised is a name ("Bowling
    Green") when the tagger reads one of its words as one, else a title's capitals are
    dropped ("the universal basic income" for "Universal Basic Income")."""
    text = join(words)
    first = words[0]
    alpha = [w for w in words if w.text[:1].isalpha()]
    if len(alpha) > 1 and all(w.text[:1].isupper() for w in alpha):
        if any(w.pos == "PROPN" for w in alpha):
            return text
        if not keep_nouns:
            return join([w if is_acronym(w.text) else _lowered(w) for w in words])
    if first.pos == "PROPN" or is_acronym(first.text):
        return text
    if keep_nouns and first.pos == "NOUN":
        return text
    return lower_first(text)


def _lowered(word: Word) -> Word:
    return replace(word, text=word.text.lower())


def _emphasised(word: Word) -> bool:
    """A word the note wrote in capitals for emphasis ("… sofort STOPPEN", "NICHT"), no
    acronym: four letters or more, of ``EMPHASISED_KINDS``. A question asks it in small
    letters: "… sofort stoppen?"."""
    return (
        len(word.text) >= 4
        and word.text.isupper()
        and word.text.isalpha()
        and (
            word.pos in EMPHASISED_KINDS
            # An adjective the lexicon knows, its lemma another word: "TOUS" ("tout").
            or (word.pos == "ADJ" and bool(word.lemma) and word.lemma != word.text.lower())
        )
    )


EMPHASISED_KINDS = frozenset({"VERB", "AUX", "ADV", "DET", "PART", "PRON", "ADP", "CCONJ"})
"""The kinds of word a note writes in capitals for emphasis only: an acronym the tagger
reads as a noun, a name or an adjective it does not know ("formation RGPD", lemma "rgpd")
stays as written."""


FRENCH_TRAINING = frozenset(
    {"formation", "formations", "sensibilisation", "sensibilisations", "initiation"}
)
"""French nouns whose subject follows "à": a note writes "formation facilitation", French
"formation à la facilitation"."""


NOUN_ENDINGS = ("tion", "sion", "ment", "age", "té", "ure", "ance", "ence", "isme", "ie")
"""Endings of French nouns the tagger may read as adjectives ("facilitation")."""


def french_completed(words: Sequence[Word]) -> list[Word]:
    """``words`` with the "à" and article a note left out between a noun of
    ``FRENCH_TRAINING`` and the bare noun it is about ("Formation facilitation pour les chefs
    de projet" → "Formation à la facilitation pour les chefs de projet"); an acronym or a
    name after it stays as written ("formation RGPD")."""
    out: list[Word] = []
    for k, word in enumerate(words):
        out.append(word)
        following = words[k + 1] if k + 1 < len(words) else None
        if (
            following is None
            or word.pos != "NOUN"
            or word.text.lower() not in FRENCH_TRAINING
            or not (
                following.pos == "NOUN"
                or (following.pos == "ADJ" and following.text.lower().endswith(NOUN_ENDINGS))
            )
            or not following.text[:1].islower()
            or is_acronym(following.text)
        ):
            continue
        gender, plural = french_noun([following])
        if plural:
            added = ["aux"]
        elif starts_with_vowel(following.text):
            added = ["à", "l'"]
        else:
            added = ["à", "la"] if gender == "f" else ["au"]
        for text in added:
            out.append(Word(text, text, "DET" if text != "à" else "ADP", space_after=text != "l'"))
    return out


def written_as_words(phrase: Sequence[Word], language: str, limit: int | None = None) -> list[Word]:
    """A note's phrase as a heading writes it: a German compound the note split by a slip
    joined ("Fleisch-produkte"), a French noun's missing "à" added ("Formation à la
    facilitation"). A heading the added words take past ``limit`` words ends after the noun
    they introduce: "Formation à la facilitation", not "… pour les chefs de projet" in
    nine words."""
    if language == "de":
        return german_compounds(list(phrase))
    if language != "fr":
        return list(phrase)
    completed = french_completed(phrase)
    if limit is None or len(completed) <= limit or len(completed) == len(phrase):
        return completed
    added = next(k for k, (a, b) in enumerate(zip(phrase, completed, strict=False)) if a is not b)
    return completed[: added + len(completed) - len(phrase) + 1]


def as_written(line: str, words: Sequence[Word], language: str) -> str:
    """``line`` (a proposal: a note's words, ``words`` the note's, tagged) with the repairs a
    heading makes (``written_as_words``): "Formation à la facilitation pour les chefs de
    projet" where the note wrote "formation facilitation …", so the proposal under a heading
    that adds the "à la" does not leave it out. A repair is made where the words around it
    are found in ``line`` as the note wrote them (the first letter's case aside). A word the
    note wrote in capitals for emphasis is written as a word, as a question writes it:
    "CO2-Zertifikatehandel … sofort stoppen", not "… sofort STOPPEN"."""
    for shouted in dict.fromkeys(w.text for w in words if _emphasised(w)):
        capital = line[:1].isupper()
        line = re.sub(rf"(?<!\w){re.escape(shouted)}(?!\w)", shouted.lower(), line)
        line = line[:1].upper() + line[1:] if capital else line
    written = written_as_words(words, language)
    if len(written) == len(words) and all(a is b for a, b in zip(words, written, strict=True)):
        return line
    matcher = difflib.SequenceMatcher(a=[w.text for w in words], b=[w.text for w in written])
    for tag_, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag_ == "equal":
            continue
        start, stop = max(i1 - 1, 0), min(i2 + 1, len(words))
        before = join(words[start:stop])
        after = join(written[j1 - (i1 - start) : j2 + (stop - i2)])
        at = line.casefold().find(before.casefold())
        if not before or at < 0:
            continue
        if line[at : at + 1].isupper():
            after = after[:1].upper() + after[1:]
        line = line[:at] + after + line[at + len(before) :]
    return line


def _french_body(kind: FormKind, words: list[Word], rules: LanguageRules) -> str:
    if kind is FormKind.ACTION:
        if words[0].text.lower() in {"se", "s'", "s’"}:
            return "nous " + written_phrase(words[1:])
        return written_phrase(words)
    noun = first_noun(words)
    gender, plural = french_noun(words)
    np = written_phrase(words)
    has_det = words[0].pos == "DET"
    if kind is FormKind.PROBLEM:
        if has_det:
            det = words[0].text.lower()
            rest = lower_first(join(words[1:])) if det not in {"l'", "l’"} else join(words[1:])
            contracted = {"le": "au ", "les": "aux ", "la": "à la ", "l'": "à l'", "l’": "à l’"}
            return "remédier " + contracted.get(det, f"à {det} ") + rest
        if plural:
            return "remédier aux " + np
        if starts_with_vowel(np):
            return "remédier à l'" + np
        return "remédier " + ("à la " if gender == "f" else "au ") + np
    abstract = noun is not None and noun.lemma in rules.abstract_words
    verb = _head_verb_of(noun, FRENCH_HEAD_VERBS, "mettre en place")
    if has_det:
        return ("garantir " if abstract else verb + " ") + np
    if abstract:
        if plural:
            return "garantir les " + np
        if starts_with_vowel(np):
            return "garantir l'" + np
        return "garantir " + ("la " if gender == "f" else "le ") + np
    article = "des" if plural else "une" if gender == "f" else "un"
    return f"{verb} {article} {np}"


FRENCH_HEAD_VERBS = {
    "organiser": frozenset(
        word_list(
            """
            réunion rencontre atelier événement débat forum journée session visite assemblée
            permanence soirée balade conférence
            """
        )
    ),
    "créer": frozenset(
        word_list(
            """
            plateforme site outil guide fiche lieu espace communauté réseau fonds comité
            conseil observatoire label calendrier annuaire répertoire registre guichet
            """
        )
    ),
    "proposer": frozenset(word_list("formation coaching accompagnement cours module tutorat")),
    "instaurer": frozenset(word_list("droit obligation quota")),
    "réaliser": frozenset(word_list("audit étude évaluation enquête diagnostic bilan")),
    "adopter": frozenset(word_list("charte code règlement stratégie")),
}
"""What a French proposal's head noun is done with, where "mettre en place" would say it
flatly or wrongly: a meeting is organised ("organiser une réunion de restitution"), a
platform created, a training offered, a right instituted ("instaurer un droit de
recours"), an audit carried out, a charter adopted. Read on the head's lemma."""
GERMAN_HEAD_VERBS = {
    "organisieren": (
        "veranstaltung", "treffen", "workshop", "versammlung", "sitzung", "forum",
        "konferenz", "dialog", "abend", "rundgang",
    ),
    "schaffen": ("plattform", "anlaufstelle", "stelle", "fonds", "netzwerk", "portal"),
    "anbieten": ("schulung", "kurs", "beratung", "coaching", "seminar"),
    "beschließen": ("gesetz", "verordnung"),
    "durchführen": ("audit", "studie", "evaluierung", "evaluation", "umfrage", "erhebung"),
    "verabschieden": ("charta", "leitbild", "strategie"),
}  # fmt: skip
"""What a German proposal's head noun is done with, where "einführen" would say it
flatly: "eine Ergebnisveranstaltung organisieren", "ein Gesetz gegen Lichtverschmutzung
beschließen", "eine Forschungsstelle schaffen". Read on the noun's end, so a compound
("Ergebnisveranstaltung", "Energieeffizienzgesetz") takes its head's verb."""


def _head_verb_of(
    noun: Word | None, verbs: Mapping[str, Sequence[str] | frozenset[str]], default: str
) -> str:
    """The verb ``verbs`` gives ``noun`` (a set: by its lemma or text; a tuple: by how
    they end, so that a German compound takes its head's), else ``default``."""
    if noun is None:
        return default
    said = ((noun.lemma or noun.text).lower(), noun.text.lower())
    for verb, heads in verbs.items():
        if isinstance(heads, frozenset):
            if any(form in heads for form in said):
                return verb
        elif any(form.endswith(tuple(heads)) for form in said):
            return verb
    return default


def _dutch_head(words: Sequence[Word]) -> Word | None:
    """The head of a Dutch proposal's leading noun phrase. Dutch writes a compound as one
    word, so two nouns side by side are a note's shorthand whose first noun is the head:
    "basisopleiding participatie" is a "basisopleiding (over) participatie", counted, not
    the mass noun "participatie" that ``head_noun`` (the last, as in English) would give."""
    noun = head_noun(words)
    if noun is None:
        return None
    k = next(i for i, w in enumerate(words) if w is noun)
    while k > 0 and words[k - 1].pos == "NOUN" and words[k].pos == "NOUN":
        k -= 1
    return words[k]


def _dutch_body(kind: FormKind, words: list[Word], rules: LanguageRules) -> str:
    if kind is FormKind.ACTION:
        return _dutch_action(words)
    np = written_phrase(words)
    if kind is FormKind.PROBLEM:
        if words[0].pos == "DET":
            return f"{np} aanpakken"
        noun = _dutch_head(words)
        article = "het" if noun and noun.gender == "n" and noun.number != "pl" else "de"
        return f"{article} {np} aanpakken"
    noun = _dutch_head(words)
    countable = (
        words[0].pos != "DET"
        and words[0].text.lower() not in DUTCH_QUANTIFIERS
        and noun is not None
        and noun.number != "pl"
        and not noun.lemma.lower().endswith(DUTCH_MASS_ENDINGS)
        and noun.lemma.lower() not in DUTCH_MASS_NOUNS
    )
    verb = _head_verb_of(noun, DUTCH_HEAD_VERBS, "")
    if verb:
        # "een terugkommoment na 6 maanden organiseren", "GDPR-regels … invoeren".
        return f"een {np} {verb}" if countable else f"{np} {verb}"
    return f"werk maken van een {np}" if countable else f"werk maken van {np}"


DUTCH_MAKING_VERBS = frozenset(
    word_list(
        """
        maken opzetten oprichten organiseren invoeren starten opstarten ontwikkelen creëren
        bouwen aanleggen aanstellen aanbieden instellen installeren lanceren schrijven
        opstellen inrichten plannen
        """
    )
)
"""Dutch verbs that bring a thing into being: a bare singular noun they take is a new one,
"een burgerpanel oprichten"; other verbs take a known one, "de tijdslijn communiceren"."""


def _dutch_action(words: list[Word]) -> str:
    """The action as a question asks it, with the article a bare singular noun opening it
    needs: sticky notes drop it ("Tijdslijn communiceren", "Recht op inspraak wettelijk
    verankeren"), a question does not ("Hoe kunnen we de tijdslijn communiceren?", "… het
    recht op inspraak wettelijk verankeren?"). A mass noun stays bare ("informatie geven"),
    as does a noun whose gender the tagger does not know or a name."""
    text = written_phrase(words)
    first = words[0]
    verbs = [w for w in words[1:] if w.pos == "VERB" and w.verb_form == "inf"]
    if (
        first.pos != "NOUN"
        or first.number != "sg"
        or first.gender not in {"c", "n"}
        or is_acronym(first.text)
        or not verbs
        or first.lemma.lower().endswith(DUTCH_MASS_ENDINGS)
        or first.lemma.lower() in DUTCH_MASS_NOUNS
    ):
        return text
    if verbs[-1].lemma.lower() in DUTCH_MAKING_VERBS:
        return f"een {text}"
    return f"{'het' if first.gender == 'n' else 'de'} {text}"


DUTCH_HEAD_VERBS = {
    "organiseren": (
        "bijeenkomst", "moment", "dag", "avond", "workshop", "sessie", "vergadering",
        "overleg", "forum", "debat", "wandeling",
    ),
    "opzetten": ("traject", "platform", "netwerk", "loket", "databank", "fonds", "register"),
    "invoeren": ("regel", "plicht", "quotum", "verbod"),
    "aanbieden": ("opleiding", "cursus", "vorming", "training", "coaching"),
    "uitvoeren": ("audit", "studie", "evaluatie", "bevraging"),
    "aannemen": ("handvest", "charter"),
}  # fmt: skip
"""What a Dutch proposal's head noun is done with, where "werk maken van" would say it
flatly: "een jaarlijkse participatiedag … organiseren", "een train-the-trainer traject …
opzetten". Read on the noun's end, so a compound takes its head's verb; other nouns keep
"werk maken van"."""


DUTCH_QUANTIFIERS = frozenset(word_list("meer minder veel weinig geen elke ieder alle extra"))
DUTCH_MASS_ENDINGS = ("ie", "heid", "teit", "isme", "taal", "deling", "uitwisseling")
DUTCH_MASS_NOUNS = frozenset(
    word_list(
        """
        feedback inspraak begeleiding ondersteuning aandacht tijd geld informatie communicatie
        toegankelijkheid opvolging samenwerking vervoer
        """
    )
)
"""A singular Dutch noun without these takes "een" after "werk maken van" ("een publieke
opvolgingstabel"); these are said without it ("intervisie", "eenvoudige taal", "feedback")."""


GERMAN_PARTICLES = frozenset(word_list("doch halt mal eben ja eh wohl"))
"""Modal particles that colour a note ("Donaukraftwerk in Hainburg doch bauen") and have no
place in a question that asks how we might do it."""
GERMAN_COUNT_HEADS = (
    "werk", "anlage", "gesetz", "verbot", "programm", "zentrum", "konzept", "plan", "projekt",
    "portal", "station", "stelle", "behörde", "fonds", "pflicht", "steuer", "prämie", "quote",
    "abgabe", "plattform", "kampagne", "initiative", "strategie", "agentur",
)  # fmt: skip
"""Heads of nouns that are counted ("ein Kraftwerk", "eine Steuer"): a singular one that
opens an action without an article takes "ein" ("ein Donaukraftwerk in Hainburg bauen").
Other nouns may be mass nouns ("Strom einspeisen", "Energie sparen") and stay bare."""


GERMAN_INDEFINITE = {"f": "eine", "n": "ein", "m": "einen"}
"""The indefinite article of a German object (the accusative), by its noun's gender."""


def _bare_counted(word: Word) -> bool:
    """A German counted noun (``GERMAN_COUNT_HEADS``) as its lemma is written, so a form
    an article could go before: "Konzept", "Steuer"."""
    return (
        word.pos == "NOUN"
        and word.text.lower() == word.lemma.lower()
        and word.lemma.lower().endswith(GERMAN_COUNT_HEADS)
    )


GERMAN_ACTION_HEADS = ("ausbau", "umbau", "aufbau", "abbau", "rückbau")
"""Heads of nouns that name building work: a singular one opening an action takes the
definite article ("den PV-Ausbau vorantreiben"). Nouns in "-ung" may stand bare
("Kinderbetreuung anbieten"), so they are left as the note says them."""


def _intensifying(word: Word) -> bool:
    """An intensifier said as an adverb ("dringend", "endlich"), not an inflected adjective
    with a meaning of its own ("endliche Ressourcen")."""
    return word_in(word, INTENSIFIERS) and (
        word.pos == "ADV" or (word.pos == "ADJ" and word.text.lower() == word.lemma.lower())
    )


def _german_action(words: list[Word]) -> str:
    """The action as a question asks it: without modal particles, and with the article a
    counted singular noun needs."""
    kept = [
        w
        for i, w in enumerate(words)
        if not (i and w.pos == "ADV" and word_in(w, GERMAN_PARTICLES))
        and not (_intensifying(w) and len(words) > 2)
    ] or words
    text = written_phrase(kept, keep_nouns=True)
    first = kept[0]
    if (
        first.pos == "NOUN"
        and first.text.lower() == first.lemma.lower()
        and first.lemma.lower().endswith(GERMAN_ACTION_HEADS)
        and len(kept) > 1
    ):
        return f"den {text}"  # "den PV-Ausbau … vorantreiben": all of them are masculine
    if _bare_counted(first) and len(kept) > 1:
        article = GERMAN_INDEFINITE.get(german_gender(first.text))
        if article:
            return f"{article} {text}"
    if (
        first.pos == "NOUN"
        and first.number != "pl"
        and len(kept) > 2
        and kept[1].pos == "DET"
        and kept[1].text.lower() in GENITIVE_ARTICLES
    ):
        # "Qualität des Trinkwassers verbessern": a noun another names is a known one,
        # "die Qualität des Trinkwassers"; a gender the rules do not know stays bare.
        article = {"f": "die", "n": "das", "m": "den"}.get(german_gender(first.text))
        if article:
            return f"{article} {text}"
    return text


GENITIVE_ARTICLES = frozenset({"des", "der"})


FOSTERED = (
    "sanierung", "begrünung", "nachrüstung", "nutzung", "dämmung", "renovierung",
    "modernisierung", "digitalisierung", "vernetzung", "entsiegelung", "aufforstung",
    "renaturierung", "beruhigung", "weiterbildung", "umrüstung", "umstellung",
)  # fmt: skip
"""Endings of German nouns that name work to be done more of, not an instrument to bring
in: "eine klimafreundliche Haussanierung fördern", "Fassadenbegrünung fördern", where
"einführen" would say that no one renovates yet ("ein Verbot", "eine Steuer" are brought in)."""


def _fostered(noun: Word, words: Sequence[Word]) -> bool:
    """Whether a German proposal's head names work to foster (``FOSTERED``), unless the note
    makes it an obligation ("verpflichtende Nachrüstung" is brought in)."""
    if any(w.text.lower().startswith(("verpflicht", "pflicht")) for w in words):
        return False
    return noun.text.lower().endswith(FOSTERED)


def _masculine_nominative(adjectives: Sequence[Word], noun: Word) -> bool:
    """Whether a note's German adjectives make their noun a masculine nominative: the first
    one German declines ends in "-er" ("Ländlicher Raum", "Wiener öffentlicher Verkehr");
    with none, one of a place ("Wiener Raum") before a noun not known to be another gender
    ("Wiener Modell" is neuter)."""
    declined = [w for w in adjectives if not german_indeclinable(w)]
    if declined:
        return declined[0].text.endswith("er")
    return (
        bool(adjectives)
        and adjectives[0].text.endswith("er")
        and german_gender(noun.text) in {"", "m"}
    )


GERMAN_ACCUSATIVE_PREPOSITIONS = frozenset(word_list("für durch gegen ohne um"))
"""Prepositions after which a noun takes the case a question's object takes: a counted noun
coordinated there takes "ein", "eine" or "einen" in either reading."""
GERMAN_COORDINATORS = frozenset(word_list("und oder sowie"))


def _coordinated_articles(words: list[Word]) -> list[Word]:
    """``words`` with the article a bare counted singular noun after "und", "oder" or
    "sowie" needs in the object of a question: "Abgasnormen für die Bauindustrie und ein
    Konzept für den Umstieg …" (the note's shorthand "und Konzept für …"). Not after a
    preposition that takes the dative ("mit Speichern und Plan": "einem" would be the
    case), where the note's words stay."""
    out: list[Word] = []
    for k, word in enumerate(words):
        if (
            k >= 2
            and _bare_counted(word)
            and word.number != "pl"
            and words[k - 1].text.lower() in GERMAN_COORDINATORS
            and (article := GERMAN_INDEFINITE.get(german_gender(word.text)))
        ):
            governing = next((w for w in reversed(words[: k - 1]) if w.pos == "ADP"), None)
            if governing is None or governing.text.lower() in GERMAN_ACCUSATIVE_PREPOSITIONS:
                out.append(Word(text=article, lemma="ein", pos="DET"))
        out.append(word)
    return out


def _german_body(kind: FormKind, words: list[Word], rules: LanguageRules) -> str:
    words = _coordinated_articles(words)
    if kind is FormKind.ACTION:
        return _german_action(words)
    body = _german_noun_body(kind, words, rules)
    if kind is FormKind.PROPOSAL and _german_comparative(words) and body.endswith(" einführen"):
        # "Höhere CO2-Bepreisung" asks for more of a thing, not to bring it in: "für eine
        # höhere CO2-Bepreisung sorgen", not "eine höhere CO2-Bepreisung einführen".
        return f"für {body.removesuffix(' einführen')} sorgen"
    return body


GERMAN_COMPARATIVES = (
    "höher", "besser", "stärker", "niedriger", "günstiger", "schneller", "größer",
    "kleiner", "geringer", "häufiger", "sicherer", "einfacher", "billiger", "teurer",
    "klarer", "breiter", "kürzer", "länger", "früher",
)  # fmt: skip
"""Comparatives a German proposal may open with ("Höhere CO2-Bepreisung", "Bessere
Busverbindungen", "Stärkere Förderung …"): it asks for more of a thing, "für … sorgen"."""


def _german_comparative(words: Sequence[Word]) -> bool:
    """Whether the proposal opens with a comparative adjective."""
    first = words[0]
    return first.pos == "ADJ" and first.text.lower().startswith(GERMAN_COMPARATIVES)


def _german_noun_body(kind: FormKind, words: list[Word], rules: LanguageRules) -> str:
    noun = head_noun(words)
    if kind is FormKind.PROBLEM:
        leading = list(itertools.takewhile(lambda w: w.pos == "ADJ", words))
        if noun is not None and noun.number != "pl" and _masculine_nominative(leading, noun):
            # "Ländlicher Raum" is a nominative: as the object, "den ländlichen Raum".
            inflected = [german_declined(w, "en", lower=True) for w in leading]
            return f"den {' '.join(inflected)} {join(words[len(leading) :])} angehen"
        return f"{written_phrase(words, keep_nouns=True)} angehen"
    abstract = noun is not None and noun.lemma in rules.abstract_words
    verb = "gewährleisten" if abstract else _head_verb_of(noun, GERMAN_HEAD_VERBS, "einführen")
    if noun is not None and not abstract and _fostered(noun, words):
        verb = "fördern"  # "eine klimafreundliche Haussanierung fördern", not "einführen"
    if words[0].pos == "DET" or abstract or noun is None or noun.number == "pl":
        det = words[0].text.lower() if words[0].pos == "DET" else ""
        if det == "der":
            return f"den {join(words[1:])} {verb}"
        return f"{written_phrase(words, keep_nouns=True)} {verb}"
    adjectives = []
    for word in words:
        if word is noun:
            break
        adjectives.append(word)
    if adjectives and all(w.pos == "ADJ" for w in adjectives):
        if _masculine_nominative(adjectives, noun):  # "Gesetzlicher Rahmen"
            inflected = [german_declined(w, "en", lower=True) for w in adjectives]
            rest = join(words[len(adjectives) :])
            return f"einen {' '.join(inflected)} {rest} {verb}"
        gender = german_gender(noun.text)
        if not gender and all(w.text.endswith("e") for w in adjectives):
            gender = "f"  # "klare Regel": without an article, "-e" before a singular says so
        article = GERMAN_INDEFINITE.get(gender)
        if article is None:
            return f"{written_phrase(words, keep_nouns=True)} {verb}"
        # "Gesetzlicher Rahmen" → "einen gesetzlichen Rahmen"; and a note's slip
        # "Verpflichtende Einbau" → "einen verpflichtenden Einbau", not copied.
        ending = {"m": "en", "n": "es"}.get(gender, "e")
        inflected = [german_declined(w, ending, lower=True) for w in adjectives]
        return f"{article} {' '.join(inflected)} {join(words[len(adjectives) :])} {verb}"
    gender = german_gender(noun.text)
    article = GERMAN_INDEFINITE.get(gender)
    text = join(words)
    if words[0].pos == "ADJ":
        text = lower_first(text)  # "eine ämterübergreifende Praxisgemeinschaft"
    return f"{article} {text} {verb}" if article else f"{text} {verb}"


def _english_body(kind: FormKind, words: list[Word], rules: LanguageRules) -> str:
    np = written_phrase(words)
    if kind is FormKind.ACTION:
        return np
    noun = head_noun(words)
    plural = bool(noun and noun.number == "pl") or _joined_modifiers(words)
    has_det = words[0].pos == "DET"
    if kind is FormKind.PROBLEM:
        if (
            has_det
            or plural
            or (noun is words[-1] and noun.text.lower().endswith(ENGLISH_UNCOUNTED_ENDINGS))
            or _uncounted_last(words)
        ):
            return "address " + np  # "address income inequality", "address congestion"
        return "address the " + np
    if noun is not None and noun.lemma in rules.abstract_words:
        return "ensure " + np
    if (verb := head_verb(words)) is not None:
        # "achieve a transition to a low-carbon economy", "encourage grocery store
        # competition", "offer interest-free loans": what such a noun is done with.
        assert noun is not None  # a verb is only found for a head noun
        if has_det or plural or noun.text.lower() not in COUNTED_HEADS:
            return f"{verb} {np}"
        return f"{verb} " + ("an " if np[:1].lower() in "aeiou" else "a ") + np
    first = words[0].text.lower()
    if words[0].pos == "ADJ" and (
        first in COMPARATIVES or (first.endswith("er") and len(first) > 4)
    ):
        return "achieve " + np  # "Lower speed limits near schools", "Cleaner parks"
    if noun is not None and (
        (noun.text.lower().endswith("ing") and noun.text.lower() not in ENGLISH_COUNTABLE_ING)
        or noun.lemma.lower() in ENGLISH_MASS_NOUNS
    ):
        return "provide " + np  # "Affordable housing for young families"
    if has_det or plural:
        return "set up " + np
    return "set up " + ("an " if np[:1].lower() in "aeiou" else "a ") + np


def _uncounted_last(words: Sequence[Word]) -> bool:
    """ "Wealth and income inequality": nouns joined before an uncounted noun that ends the
    phrase, with no preposition ("the lack of participation" keeps its article)."""
    return (
        words[-1].pos == "NOUN"
        and words[-1].text.lower().endswith(ENGLISH_UNCOUNTED_ENDINGS)
        and not any(w.pos == "ADP" for w in words)
    )


def _joined_modifiers(words: Sequence[Word]) -> bool:
    """ "Phone and paper options": bare nouns joined by "and" before a plural noun modify it,
    so the phrase is plural and takes no "a" ("a shared toolkit and templates" does)."""
    joints = [k for k, w in enumerate(words) if w.pos == "CCONJ"]
    return bool(
        joints
        and joints[0] == 1
        and words[0].pos == "NOUN"
        and words[-1].pos == "NOUN"
        and words[-1].number == "pl"
    )


COUNTED_HEADS = frozenset(
    word_list(
        """
        transition loan grant subsidy amendment law bill ordinance meeting event workshop
        forum session basis framework
        """
    )
)
"""Of those, the ones a singular takes "a" with ("achieve a transition to …")."""
ENGLISH_UNCOUNTED_ENDINGS = ("ity", "ness", "ism", "tion", "sion", "ance", "ence", "ment")
"""A problem named by such a noun, last in its phrase, is addressed without "the" ("address
income inequality", "address noise pollution"); with a phrase after it, it keeps "the"
("address the pollution of rivers")."""
ENGLISH_MASS_NOUNS = frozenset(
    word_list("transport transportation information feedback equipment support advice access")
)
"""Provided, without "a": "free parking", "affordable housing", "public transport"."""
ENGLISH_COUNTABLE_ING = frozenset(
    word_list(
        """
        meeting building hearing briefing gathering crossing booking recording listing
        warning evening morning wedding ceiling
        """
    )
)
"""Nouns in "-ing" that are things one sets up, not activities: "a follow-up meeting"."""


def as_titled(form: Form, title: Sequence[Word], language: str) -> Form | None:
    """``form`` without the subordinate clause that follows the words its heading names, or
    ``None`` when there is none. The heading is the phrase the most notes of the unit are
    close to; the question's note adds its own condition or purpose after it ("… un droit
    de recours si la consultation prévue n'a pas eu lieu", "… consider all location-related
    costs when attempting to address housing affordability"), which speaks for that one
    note. Cut there, heading, question and first proposal name one thing.

    The heading's words (from some word on to its end, so that "Errichtung einer
    Speicherinfrastruktur" matches "eine Speicherinfrastruktur … errichten") must stand
    together in the clause and hold the heading's first noun, and a subordinating
    conjunction or a comma must follow them. A relative clause ("corridors that run from
    the sea to the mountains") or a phrase opened by a preposition ("Forschungsstelle zu
    den Themen Klimaschutz …", "CO2 Budget pro Person") says which thing is meant and
    stays. In German and Dutch the verb at the end stays."""
    words = list(form.words)
    folded = [match_key(w.text) for w in words]
    heading = [w for w in title if w.pos != "PUNCT"]
    head = next((k for k, w in enumerate(heading) if w.pos in {"NOUN", "PROPN"}), None)
    if head is None or len(heading) < 2:
        return None
    body = len(words)
    if language in VERB_FINAL and form.kind is FormKind.ACTION:
        while body and words[body - 1].pos in {"VERB", "AUX", "PART"}:
            body -= 1
        if body == len(words):
            return None
    for start in range(head + 1):
        run = [match_key(w.text) for w in heading[start:]]
        if len(run) < 2:
            break
        at = next((i for i in range(body - len(run) + 1) if folded[i : i + len(run)] == run), None)
        if at is None:
            continue
        end = at + len(run)
        if end >= body:
            return None  # the question says no more than its heading
        opener = words[end]
        subordinate = (
            opener.pos == "SCONJ"
            and not word_in(opener, RELATIVE.get(language, frozenset()))
            and not word_in(opener, AS_WHAT_WORDS)
        )
        if not (subordinate or opener.text == ","):
            return None
        return replace(form, words=(*words[:end], *words[body:]))
    return None


AS_WHAT_WORDS = frozenset(word_list("as like comme als wie zoals"))
"""Words a tagger may call a subordinating conjunction where they open what the verb makes
of its object ("recognise domestic cats as a serious threat"); a relative pronoun
(``RELATIVE``) opens what says which thing is meant. Neither is cut from a question."""
