"""A theme's title: the noun phrase of its notes that best says what the theme is about.

Candidates are the noun phrases written in the theme's notes in the output language, as the
participants wrote them ("contrôle humain des décisions automatisées"), never assembled from
lemmas. Each is scored by the theme's keyphrases it contains (c-TF-IDF, so words that set
the theme apart count most) and by how many of the theme's notes use its head word; a
phrase of two to five words is preferred to one word or a long one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.draft.compose.forms import OF, TIME_FRAMES, refuses
from pipeline.draft.compose.nouns import german_slip
from pipeline.draft.compose.pointing import POSSESSIVES
from pipeline.draft.compose.questions import written_as_words
from pipeline.draft.compose.spelling import frequency
from pipeline.draft.compose.tagging import Word, is_acronym, join
from pipeline.draft.compose.wording import word_list
from pipeline.ground import match_key
from pipeline.schema import Theme

MAX_TITLE_WORDS = 7
COMPLETED_TITLE_WORDS = 8
"""A title may run to this many words where its last phrase completes a participle
("Invitations dans les langues parlées dans les quartiers"), as many as the checks allow."""
CONTENT = frozenset({"NOUN", "PROPN", "ADJ"})


def _words(text: str) -> list[str]:
    """Folded as the words they are compared with ("année" → "annee")."""
    return [match_key(word) for word in text.split()]


GENERIC_HEADS = frozenset(
    _words(
        """
    fois chose choses gens truc jour jours mois an ans année semaine heure personne
    keer ding dingen mensen dag dagen maand maanden jaar week uur
    mal ding dinge leute tag tage monat monate jahr woche stunde
    time times thing things people day days month months year week hour lot way
    example examples exemple exemples voorbeeld voorbeelden beispiel beispiele
    façon manière weise wijze manier
    """
    )
)
"""Nouns that name no theme ("fois par mois", "things", "good examples [of …]", the manner
of "in systemischer Weise"): a phrase led by one is no title."""
BARE_HEADS = frozenset(_words("idée idées idee ideeën ideen idea ideas"))
"""Nouns that name no theme on their own: every note of a workshop is an idea ("Idée" of
"Expliquer pourquoi une idée n'a pas été retenue"), though "De l'idée à la décision" names
one."""
VAGUE_ALONE = frozenset(
    _words(
        """
    système systèmes systeem systemen system systeme systems
    produit produits product producten produkt produkte products
    anlage anlagen installation installations installatie installaties
    mesure mesures maatregel maatregelen maßnahme maßnahmen measure measures
    solution solutions oplossing oplossingen lösung lösungen
    """
    )
)
"""Nouns that name a theme only with what qualifies them: "System" headed a challenge on
electoral systems, "Produkte" one on labelling, "Anlagen" one on solar panels ("Electoral
system", "Photovoltaik-Anlagen" name them)."""

PEOPLE = frozenset(
    _words(
        """
    habitant habitants citoyen citoyens résident résidents participant participants
    voisin voisins jeune jeunes élu élus agent agents
    bewoner bewoners burger burgers inwoner inwoners deelnemer deelnemers buur buren
    jongere jongeren ambtenaar ambtenaren
    bürger bürgerin bürgerinnen bewohner bewohnerin einwohner einwohnerin teilnehmer
    teilnehmerin nachbar nachbarn jugendliche mensch menschen
    resident residents citizen citizens inhabitant inhabitants
    neighbour neighbours neighbor neighbors person persons youth official officials
    retraité retraités senior seniors étudiant étudiants parent parents enfant enfants
    gepensioneerde gepensioneerden oudere ouderen student studenten ouder ouders kind
    kinderen rentner rentnerin senioren studierende eltern kinder
    pensioner pensioners elderly students child children
    """
    )
)
"""Who a note speaks of is whom a question is for, not what it is about: "Les habitants du
quartier se plaignent du bruit" names the residents in every note, and "… repenser les
habitants ?" asks nothing."""


@dataclass(frozen=True)
class Title:
    text: str
    note_ids: list[str]
    """The notes the phrase comes from or whose words it uses (the title's citations)."""


def keyphrase_weights(theme: Theme) -> dict[str, float]:
    """Folded word → weight: 1 for the theme's first keyphrase, 1/2 for the second, …; a
    keyphrase's translations weigh as it does."""
    weights: dict[str, float] = {}
    for rank, keyphrase in enumerate(theme.keyphrases):
        for phrase in [keyphrase, *theme.keyphrase_translations.get(keyphrase, [])]:
            for word in phrase.split():
                key = match_key(word)
                weights[key] = max(weights.get(key, 0.0), 1.0 / (1 + rank))
    return weights


DESTINATION = frozenset(_words("à au aux vers zu zur zum bis nach to into tot naar"))
"""The second preposition of "from one thing to another" ("De l'idée à la décision")."""
VERB_COMPLEMENT = frozenset(_words("durch zu zum zur mit als gegen door tot met naar"))
"""Prepositions that, before a Dutch or German clause's final verb, mostly tie their phrase
to the verb ("Autos durch E-Autos ersetzen", "Konzerne zu … verpflichten"), not to the noun
before them; "in", "an" or "für" usually stay with the noun ("Windkraft in den Ländern")."""
GERMAN_ACCUSATIVE_ARTICLES = frozenset({"den", "die", "das", "einen", "eine", "ein"})


def _verbs_preposition(phrase: Sequence[Word], k: int, language: str) -> bool:
    """Whether the preposition at ``k`` of a phrase before a Dutch or German clause's final
    verb opens the verb's phrase, not the noun's: one of ``VERB_COMPLEMENT``, or a German
    "auf" taking the accusative ("die Energieerzeugung auf erneuerbare Energien
    umstellen"; "auf Dächern" takes the dative and stays with its noun)."""
    word = phrase[k].text.lower()
    if word in VERB_COMPLEMENT:
        return True
    if language != "de" or word != "auf" or k + 1 >= len(phrase):
        return False
    after = phrase[k + 1]
    if after.pos == "DET":
        return after.text.lower() in GERMAN_ACCUSATIVE_ARTICLES
    return after.pos == "ADJ" and after.text.lower().endswith("e")


GERMAN_OBLIQUE = frozenset({"des", "dem", "den", "eines", "einem", "einen", "einer"})
"""After these, a German phrase is in the genitive, dative or accusative ("des ländlichen
Raums"): it is no title as written."""
TO = frozenset(_words("à au aux to into"))
VERBS_WITH_TO = frozenset(
    _words(
        """
        former sensibiliser inviter associer encourager inciter aider préparer initier habituer
        pousser consacrer destiner obliger autoriser
        """
    )
)
"""French verbs that take someone and "à" something ("former les agents aux limites de
l'IA", "associer les habitants aux décisions"): after their object, "à …" is theirs."""
ENGLISH_VERBS_WITH_TO = frozenset(
    _words(
        """
        bring take send give move connect invite introduce link open extend return deliver
        explain show offer
        """
    )
)
"""English verbs that take something and "to" somewhere or someone ("bring the meeting to
the village"): after their object, "to …" is theirs."""
SAME_AS_NOMINATIVE = frozenset({"einer", "einem", "dem"})
"""German articles of the feminine genitive or dative and the dative singular: the noun
after them has its nominative form (unlike "des Raums", "den Kindern")."""
GERMAN_GENITIVE = frozenset({"des", "der", "eines", "einer"})
"""Articles that, right after a German noun, open its genitive attribute ("Umsetzung eines
Ökologieplans", "Förderung der Wärmepumpen")."""
PRENOMINAL = frozenset({"en", "nl", "de"})
ADVERBIAL_ENDINGS = {
    "de": ("lich", "isch", "al", "ar", "iv", "ig", "ell", "bar"),
    "nl": ("lijk", "isch", "aal", "ief", "ig", "eel", "baar"),
    "en": ("ly",),
}
"""Endings of the adjectives and adverbs that, uninflected before an adjective, belong to the
phrase ("lokal produzierte Lebensmittel", "locally grown food"): the phrase without them
says something else ("Produzierte Lebensmittel"). Words like "auch", "nur", "immer" have
none of them."""
"""Languages whose adjectives come before the noun."""
GERMAN_DEFINITE = frozenset({"der", "die", "das", "den", "dem", "des"})
"""After these, a German adjective takes its weak ending ("die üblichen Verdächtigen"), which
reads wrong without them."""


CONNECTIVES = frozenset(
    word_list(
        """
        sinon donc alors puis ensuite aussi ainsi car mais pourtant cependant sonst also dann
        jedoch trotzdem otherwise else then thus hence anders dan dus toch echter
        """
    )
)
"""Words that link a clause to the one before, which a tagger may read as an adjective after
a noun ("un animateur de la communauté sinon ça s'essouffle"): a noun phrase ends before
them, and a title with one at its end reads cut."""


RELATIVE_CONTRACTIONS = frozenset(
    {"auquel", "auxquels", "auxquelles", "duquel", "desquels", "desquelles"}
)
"""French relative pronouns contracted with "à" or "de", which the French model tags as
prepositions: what follows is a relative clause about the noun, not a phrase naming it."""


def noun_phrases(words: Sequence[Word], language: str) -> list[list[Word]]:
    """Maximal runs like "(ADJ) NOUN (ADJ) (ADP (DET) (ADJ) NOUN (ADJ))*" in a note."""
    out: list[list[Word]] = []
    i = 0
    while i < len(words):
        if skipped := _instead(words, i):
            i += skipped  # "au lieu", "à la place": no noun phrase of their own
            continue
        start = i
        while i < len(words) and (
            words[i].pos == "ADJ" or _prenominal_participle(words, i, language)
        ):
            i += 1
        if (
            i >= len(words)
            or words[i].pos not in {"NOUN", "PROPN"}
            or _in_locution(words, i, language)
        ):
            i = start + 1
            continue
        after_noun = (
            start > 0
            and words[start - 1].pos in {"NOUN", "PROPN"}
            and not _saxon_genitive(words[start - 1])
            and _may_be_preterite(words[start], language)
        )
        if language in PRENOMINAL and i > start and after_noun:
            start = i  # "Europa produzierte CO2": after a noun, the "adjective" says something
        if (
            i > start
            and start > 0
            and words[start - 1].pos in {"ADV", "ADJ", "X"}
            and match_key(words[start - 1].text).endswith(ADVERBIAL_ENDINGS.get(language, ()))
        ):
            start -= 1  # "lokal produzierte Lebensmittel", "solar erhitztes Wasser"
        phrase = list(words[start:i])
        owned = start > 0 and words[start - 1].pos == "DET" and _possessive(words[start - 1])
        opening = _clause_preposition(words, start)
        if (
            language == "de"
            and i > start
            and start > 0
            and words[start - 1].text.lower() in GERMAN_DEFINITE
        ):
            # "die üblichen Verdächtigen": a weak adjective needs its article.
            phrase.insert(0, words[start - 1])
        while i < len(words) and (
            words[i].pos in {"NOUN", "PROPN", "ADJ"} or _postnominal_participle(words, i, language)
        ):
            if (
                language in PRENOMINAL
                and words[i].pos == "ADJ"
                and _next_is_noun(words, i)
                and not (phrase and _saxon_genitive(phrase[-1]))
            ):
                break  # "Europa produzierte CO2": the adjective opens the next phrase
            if language == "de" and phrase and _two_nouns(phrase[-1], words[i]):
                break  # "(auf) öffentlichen Neubauten | Photovoltaik-Anlagen (errichten)"
            if words[i].pos == "ADJ" and words[i].text.casefold() in CONNECTIVES:
                break  # "animateur de la communauté | sinon (ça s'essouffle)": tagged ADJ
            phrase.append(words[i])
            i += 1
        shared = _shared_head_end(words, i, language)
        if shared > i and len(phrase) + shared - i <= MAX_TITLE_WORDS:
            phrase.extend(words[i:shared])  # "stronger tenant and renters rights"
            i = shared
        end = _genitive_end(words, i) if language == "de" else i
        if end > i and len(phrase) + end - i <= MAX_TITLE_WORDS:
            phrase.extend(words[i:end])  # "Errichtung einer Speicherinfrastruktur"
            i = end
        added: list[tuple[int, int]] = []  # where each phrase after the noun starts
        cut_short = False  # a phrase after the noun did not fit in a title
        longest = MAX_TITLE_WORDS  # more where a phrase completes a participle
        while i + 1 < len(words) and (words[i].pos == "ADP" or _contracted(words, i, language)):
            if language in {"nl", "de"} and match_key(words[i].text) in {"om", "um"}:
                break  # "AI om inspraakreacties (samen te vatten)": the verb's, not the noun's
            if match_key(words[i].text) in TO and _object_of_verb_with_to(words, start, language):
                break  # "Former les agents aux limites de l'IA": "aux …" is the verb's
            if _instead(words, i):
                break  # "Mettre un pull au lieu d'augmenter …": what it replaces, not a place
            if words[i].text.lower() in RELATIVE_CONTRACTIONS:
                break  # "Poste de ministre auquel (Davey se désiste)": a clause, not a place
            j = i + 1
            if words[j].pos == "DET" and words[i].pos == "ADP":
                j += 1
            if j < len(words) and words[j].pos == "NUM":
                j += 1  # "Terugkommoment na 6 maanden"
            k = j
            while k < len(words) and words[k].pos == "ADJ":
                k += 1
            if k >= len(words) or words[k].pos not in {"NOUN", "PROPN"}:
                break
            k += 1
            while (
                k < len(words)
                and not (words[k].pos == "ADJ" and words[k].text.casefold() in CONNECTIVES)
                and (
                    words[k].pos in {"ADJ", "NOUN", "PROPN"}
                    or _postnominal_participle(words, k, language)
                )
            ):
                k += 1  # "dans les langues parlées (dans les quartiers)": "parlées" is theirs
            k = _coordinated_end(words, k, language)  # "of land and water management"
            if language == "de":
                # The phrase's own genitive goes with it or the phrase stays out: "an
                # umgehende Umsetzung" is cut from "… eines Ökologieplans".
                k = _genitive_end(words, k)
            # A participle ending the phrase takes what completes it ("langues parlées dans
            # les quartiers": spoken where?), up to the eight words a title may have.
            completes = _postnominal_participle(words, i - 1, language)
            if len(phrase) + (k - i) > (COMPLETED_TITLE_WORDS if completes else MAX_TITLE_WORDS):
                cut_short = True
                break
            if completes:
                longest = COMPLETED_TITLE_WORDS
            added.append((i, len(phrase)))
            phrase.extend(words[i:k])
            i = k
        if added and (
            (i < len(words) and match_key(words[i].text) in OF)
            or (cut_short and _bare_locution(words[added[-1][0] : i]))
        ):
            # What could not be taken completes the noun before it ("in Form" of "in Form
            # von …", "in the heart" of "in the heart of downtown", "avant mise" of "avant
            # mise en service"): the title ends before that noun's phrase.
            i, length = added[-1]
            phrase = phrase[:length]
        while language in PRENOMINAL and len(phrase) > 1 and phrase[-1].pos == "ADJ":
            # "Opaque algorithms deciding …", "Recht op inspraak wettelijk (verankeren)": an
            # adjective after the noun is the start of what the note says about it.
            phrase.pop()
        if opening is not None and any(match_key(w.text) in DESTINATION for w in phrase):
            # "De l'idée à la décision", "Von der Idee zur Entscheidung": from one thing to
            # another, named with its first preposition, not by the fragment after it.
            phrase = [*words[opening:start], *phrase]
        if (
            language in {"de", "nl"}
            and i < len(words)
            and words[i].pos in {"VERB", "AUX"}
            and words[i].verb_form in {"inf", "inf?", "part"}
            and any(_verbs_preposition(phrase, k, language) for k in range(1, len(phrase)))
        ):
            # "Autos durch E-Autos (ersetzen)": the phrase after the noun belongs to the verb;
            # both noun phrases may name the theme ("Konzerne zu recyclingfähigen
            # Verpackungen verpflichten": "Konzerne", "recyclingfähige Verpackungen").
            cut = next(k for k in range(1, len(phrase)) if _verbs_preposition(phrase, k, language))
            rest = phrase[cut + 1 :]
            while rest and rest[0].pos == "DET":
                rest = rest[1:]
            if rest and language == "de":
                if phrase[cut].text.lower() in GERMAN_DATIVE:
                    rest = _dative_plural_as_nominative(rest)
                rest = german_nominative(rest) or []
            if rest and any(w.pos in {"NOUN", "PROPN"} for w in rest):
                out.append(rest)
            phrase = phrase[:cut]
        if language == "de":
            before = words[start - 1].text.lower() if start > 0 else ""
            if before in DATIVE_PREPOSITIONS and phrase[0].pos != "DET":
                # "(bei) lokal verfügbaren Produkten": the plural's dative "-n" goes too.
                phrase = _dative_plural_as_nominative(phrase)
            oblique = before in GERMAN_OBLIQUE and phrase[0].pos != "DET"
            if oblique and before in SAME_AS_NOMINATIVE and phrase[0].pos != "ADJ":
                # "(Errichtung) einer Speicherinfrastruktur", "(mit) einem Bürgerbus": after
                # these a noun without an adjective reads as in the nominative.
                oblique = False
            phrase = [] if oblique else german_nominative(phrase) or []
        owner = next((j for j, w in enumerate(phrase) if j and _possessive(w)), None)
        if phrase and owner is not None:
            # "Indigenous ecosystems (for their contribution …)": what follows a possessive
            # speaks of the note's own subject; the phrase ends before its preposition.
            cut = max((j for j in range(owner) if phrase[j].pos == "ADP"), default=0)
            phrase = list(phrase[:cut])
        if phrase and _given_as_example(words, phrase):
            phrase = []  # "…, z.B. Abschreibungsmöglichkeit bei Einkommenssteuer": a detail
        if phrase and _coordinated_modifier(words, phrase):
            phrase = []  # "desirable medium (& high density housing)": a modifier, cut off
        if phrase and len(phrase) <= longest and not owned:
            # "(ihre) Flotten auf Elektroautos", "(their) input": someone's thing, named
            # without its owner, is a fragment.
            out.append(phrase)
    return out


def _coordinated_end(words: Sequence[Word], k: int, language: str) -> int:
    """Where a preposition's object ends when "and" joins another noun to it ("integration
    of land and water management", "flora and fauna"): a title cut after the first noun
    names half of it."""
    if k + 1 < len(words) and words[k].text.lower() in AND.get(language, {"&"}):
        j = k + 1
        while j < len(words) and words[j].pos == "ADJ":
            j += 1
        if j < len(words) and words[j].pos in {"NOUN", "PROPN"}:
            j += 1
            while j < len(words) and words[j].pos in {"NOUN", "PROPN"}:
                j += 1
            return j
    return k


def _shared_head_end(words: Sequence[Word], k: int, language: str) -> int:
    """Where a coordination that shares the phrase's head ends ("stronger tenant | and renters
    rights", "better land | and water management"): after "and", a noun that another noun
    follows is a modifier of the head they share, so the noun before "and" is one too, and
    the phrase cut there ("Stronger tenant") names no thing. ``k`` when none starts there."""
    if language != "en":
        return k  # German and Dutch write such heads as one word ("Mieter- und Mietrechte")
    if not (0 < k < len(words) and words[k - 1].space_after and words[k].space_after):
        return k  # "medium &high density": a slip, not a coordination to keep
    if words[k - 1].text.lower() in DEGREES:
        return k  # "medium and high density housing": ``_coordinated_modifier``'s
    end = _coordinated_end(words, k, language)
    nouns = sum(1 for w in words[k + 1 : end] if w.pos in {"NOUN", "PROPN"})
    return end if nouns >= 2 else k


AND = {"en": {"and", "&"}, "fr": {"et", "&"}, "nl": {"en", "&"}, "de": {"und", "&"}}
"""Each language its own: the French "en" is a preposition ("en langage clair")."""


def _given_as_example(words: Sequence[Word], phrase: Sequence[Word]) -> bool:
    """Whether the phrase follows "z.B.", "e.g.", "par exemple", "bijv." … in its sentence:
    an example of what the note asks, which names a detail, not the theme."""
    start = next((k for k, w in enumerate(words) if w is phrase[0]), None)
    if start is None:
        return False
    lowered = [w.text.lower() for w in words[: start + 1]]  # "(par) exemple des arbres"
    for k in range(len(lowered) - 1, -1, -1):
        if lowered[k] in {".", ";", ":", "!", "?", ")"}:
            return False  # (an aside closed before it: "(z.B. bei Kleidung) …, dafür …")
        if lowered[k] in EXAMPLE_MARKS or tuple(lowered[k : k + 2]) in EXAMPLE_PAIRS:
            return True
    return False


EXAMPLE_MARKS = frozenset(
    _words("z.b. zb. z.b e.g. eg. bijv. bv. bijvoorbeeld beispielsweise notamment ex.")
)
EXAMPLE_PAIRS = frozenset(
    {("par", "exemple"), ("for", "example"), ("for", "instance"), ("such", "as"),
     ("zum", "beispiel"), ("wie", "z.b."), ("bijvoorbeeld", ":")}
)  # fmt: skip


def _coordinated_modifier(words: Sequence[Word], phrase: Sequence[Word]) -> bool:
    """Whether the phrase's last word is a degree that modifies, with the words after
    "&"/"and", a noun further on ("medium & high density housing", "small and medium
    enterprises"), which a tagger reads as a noun."""
    if phrase[-1].text.lower() not in DEGREES:
        return False
    end = next((k for k, w in enumerate(words) if w is phrase[-1]), None)
    if end is None or end + 2 >= len(words):
        return False
    joint, after = words[end + 1], words[end + 2]
    return joint.text.lower() in COORDINATORS and after.pos in {"ADJ", "NOUN"}


COORDINATORS = frozenset({"&", "+", "/", "and", "or", "to"})
DEGREES = frozenset(_words("low medium middle high small large short long mid"))


NO_TITLE_FIRST = frozenset(
    _words(
        """
        même mêmes toujours jamais aucun aucune rien personne sans gleich gleiche gleichen
        immer nie niemals kein keine keinen nichts niemand ohne zelfde dezelfde hetzelfde
        altijd steeds nooit geen niets zonder same always never no nothing nobody without
        oui non yes ja nein nee
        """
    )
)
"""Words that make a phrase a complaint, not a theme's name ("Mêmes retraités aux réunions
publiques", "Immer die gleichen Leute"), or a reply's answer ("Oui tout le monde …"); "Stop à
…" still names what is to end."""


def _clause_preposition(words: Sequence[Word], start: int) -> int | None:
    """Where the preposition that opens the clause of a phrase starting at ``start`` is
    ("Traçabilité : de l'idée …" → the "de"), or ``None`` when none opens it."""
    p = start - 1
    while p >= 0 and words[p].pos == "DET":
        p -= 1
    if p < 0 or words[p].pos != "ADP" or start - p > 3:
        return None
    return p if p == 0 or words[p - 1].pos == "PUNCT" else None


_SPEAKER = re.compile(r"^(?:i|we|you|they|he|she|it|that|there|j|c)['’]", re.IGNORECASE)
"""A first word that is a speaker or a pointer with its verb ("I'm okay with growth",
"That's …", "J'aime …"), which taggers may read as a noun: the phrase is a voice, no title."""
DEFINITE_COST = 0.5
"""A German title led by a definite article ("Das ungebremste weltweite
Bevölkerungswachstum", "Die Klimafreundlichen Produkte") is the subject of a note's
sentence, not a heading; it keeps this share of its score, so it wins only alone, and
then heads without its article where ``without_article`` can say it so."""
SLIP_COST = 0.5
"""A German phrase with an uninflected adjective before its noun ("Geothermisch
Kraftwerken") is a note's slip: another phrase that names the theme as well goes first."""


def _bare_locution(phrase: Sequence[Word]) -> bool:
    """A preposition and a bare noun ("avant mise", "in Form") that the next phrase may
    complete ("avant mise en service"): when that phrase does not fit in a title, the pair
    is left out too. "of football" and "about the UBI" are whole."""
    return (
        len(phrase) == 2
        and phrase[0].pos == "ADP"
        and match_key(phrase[0].text) not in OF
        and phrase[1].pos == "NOUN"
    )


def _may_be_preterite(word: Word, language: str) -> bool:
    """Whether an "adjective" right after a noun may be the note's verb in the past ("Europa
    produzierte CO2", "Europe produced CO2"): a participle's form, which is also the
    preterite's. A plain adjective after a noun opens the next phrase ("Mit Steuern
    klimafeindliche Produkte verteuern": "Klimafeindliche Produkte")."""
    form, lemma = word.text.lower(), (word.lemma or word.text).lower()
    if language == "de":
        return form.endswith(("te", "ten")) and lemma.endswith(("t", "en"))
    if language == "nl":
        return form.endswith(("de", "te", "den", "ten"))
    return form.endswith("ed")


def _said_first(phrase: Sequence[Word]) -> bool:
    first = phrase[0]
    return (
        match_key(first.text) in NO_TITLE_FIRST
        or match_key(first.lemma) in NO_TITLE_FIRST
        or _SPEAKER.match(first.text) is not None
    )


def _postnominal_participle(words: Sequence[Word], i: int, language: str) -> bool:
    """A French past participle right after the noun or adjective it qualifies
    ("calendrier partagé", "budget participatif garanti"): part of the noun phrase."""
    return (
        language == "fr"
        and i > 0
        and words[i].pos == "VERB"
        and words[i].verb_form == "part"
        and words[i - 1].pos in {"NOUN", "PROPN", "ADJ"}
    )


def _prenominal_participle(words: Sequence[Word], i: int, language: str) -> bool:
    """A participle before its noun, inflected as an adjective is ("geautomatiseerde
    beslissingen"), which taggers may read as a verb: part of the noun phrase."""
    word = words[i]
    if language not in PRENOMINAL or word.pos != "VERB" or word.verb_form != "part":
        return False
    following = words[i + 1] if i + 1 < len(words) else None
    if following is None or following.pos not in {"ADJ", "NOUN"}:
        return False
    return language == "en" or word.text.lower().endswith(("e", "en", "er", "es", "em"))


INSTEAD = (
    ("au", "lieu"),
    ("a", "la", "place"),
    ("in", "plaats"),
    # Prepositions of several words that say why, how or in what regard: their noun
    # ("Grund", "raison", "kader") is no thing a title names, and a title cut after it ends
    # in a fragment ("CO2-Zertifikatehandel auf Grund").
    ("auf", "grund"),
    ("im", "rahmen"),
    ("mit", "hilfe"),
    ("in", "bezug"),
    ("im", "hinblick"),
    ("im", "zuge"),
    ("zu", "gunsten"),
    ("zu", "lasten"),
    ("an", "hand"),
    ("en", "raison"),
    ("a", "cause"),
    ("en", "cas"),
    ("en", "fonction"),
    ("dans", "le", "cadre"),
    ("op", "grond"),
    ("in", "het", "kader"),
    ("met", "behulp"),
    ("ten", "gevolge"),
    ("naar", "aanleiding"),
    ("ten", "behoeve"),
    ("in", "terms"),
    ("on", "behalf"),
    ("by", "means"),
    ("in", "spite"),
    ("on", "account"),
    ("because",),
)
"""French and Dutch ways of saying "instead of", whose nouns ("lieu", "place", "plaats")
are no place a title names, and the prepositions of several words like them."""


def _in_locution(words: Sequence[Word], i: int, language: str) -> bool:
    """A French common noun straight after "en", with no article or adjective: the noun of
    a locution ("en ligne", "en place", "en compte", "en cours"), no thing of its own
    ("Plateforme en ligne avec le statut …" gave the heading "Ligne avec le statut …")."""
    return (
        language == "fr" and i > 0 and words[i].pos == "NOUN" and words[i - 1].text.lower() == "en"
    )


def _instead(words: Sequence[Word], i: int) -> int:
    """How many words of "au lieu (de)", "à la place (de)", "in plaats (van)" or another
    locution of ``INSTEAD`` open at ``words[i]``; 0 where none does."""
    folded = [match_key(w.text) for w in words[i : i + 3]]
    return next(
        (len(locution) for locution in INSTEAD if tuple(folded[: len(locution)]) == locution), 0
    )


def _contracted(words: Sequence[Word], i: int, language: str) -> bool:
    """French "du", "des" after a participle or an adjective: "de" and its article in one
    word, which taggers read as an article ("calendrier partagé des concertations"); after
    a noun it may be an article ("donner aux jeunes des moyens")."""
    return (
        language == "fr"
        and i > 0
        and words[i].pos == "DET"
        and words[i].text.lower() in {"du", "des"}
        and (words[i - 1].pos == "ADJ" or _postnominal_participle(words, i - 1, language))
    )


def _object_of_verb_with_to(words: Sequence[Word], start: int, language: str) -> bool:
    """The phrase starting at ``start`` is the object of a French verb of
    ``VERBS_WITH_TO`` or an English one of ``ENGLISH_VERBS_WITH_TO`` (its article aside)."""
    verbs = {"fr": VERBS_WITH_TO, "en": ENGLISH_VERBS_WITH_TO}.get(language)
    if verbs is None:
        return False
    p = start - 1
    while p >= 0 and words[p].pos == "DET":
        p -= 1
    return p >= 0 and words[p].pos == "VERB" and match_key(words[p].lemma) in verbs


def _genitive_end(words: Sequence[Word], i: int) -> int:
    """Where the genitive attribute starting at ``i`` ends ("eines Ökologieplans", "der
    erneuerbaren Energien"), or ``i`` when none starts there: the noun before ``i`` needs
    it to be whole."""
    if i >= len(words) or words[i].pos != "DET" or words[i].text.lower() not in GERMAN_GENITIVE:
        return i
    k = i + 1
    while k < len(words) and words[k].pos == "ADJ":
        k += 1
    if k >= len(words) or words[k].pos not in {"NOUN", "PROPN"}:
        return i
    k += 1
    while k < len(words) and words[k].pos in {"NOUN", "PROPN"}:
        k += 1
    return k


def _time_frame(phrase: Sequence[Word], language: str) -> bool:
    """The phrase is (part of) an opening that says it is time to act ("Höchste Zeit",
    "High time", "Grand temps"), whose words name nothing the notes are about."""
    lowered = tuple(w.text.lower() for w in phrase)
    n = len(lowered)
    return any(
        frame[i : i + n] == lowered
        for frame in TIME_FRAMES.get(language, ())
        for i in range(len(frame) - n + 1)
    )


def _saxon_genitive(word: Word) -> bool:
    """ "kids'", "city's": the phrase goes on with what it owns ("kids' basic income")."""
    return word.text.endswith(("'", "’", "'s", "’s")) and len(word.text) > 2


def _possessive(word: Word) -> bool:
    return word.text.lower() in POSSESSIVES


def _two_nouns(before: Word, word: Word) -> bool:
    """Two German common nouns side by side are two phrases (German joins a noun to its
    attribute with a case or a preposition), unless the first is a code or an acronym
    ("CO2 Budget", "EU Taxonomie")."""
    return (
        before.pos == "NOUN"
        and word.pos == "NOUN"
        and before.text.isalpha()
        and not is_acronym(before.text)
    )


def _next_is_noun(words: Sequence[Word], i: int) -> bool:
    j = i
    while j < len(words) and words[j].pos == "ADJ":
        j += 1
    return j < len(words) and words[j].pos in {"NOUN", "PROPN"}


GERMAN_DATIVE = frozenset({"mit", "zu", "zum", "zur"})
"""Prepositions of ``VERB_COMPLEMENT`` that take the dative: a plural after them carries the
dative's "-n" ("mit Windrädern"), which a title in the nominative drops."""
DATIVE_PREPOSITIONS = GERMAN_DATIVE | {"bei", "aus", "nach", "seit", "von", "gegenüber"}
"""Prepositions that always take the dative: a phrase after one, named as a title, drops
the plural's dative "-n" ("bei lokal verfügbaren Produkten" → "Lokal verfügbare
Produkte")."""


COMMON_PLURAL = 3.5
"""Zipf frequency from which a word one "-n" shorter than a dative plural is its nominative
plural (a word in every 300,000 written)."""


def _dative_plural_as_nominative(phrase: list[Word]) -> list[Word]:
    """ "Windrädern zur Energieversorgung" → "Windräder zur Energieversorgung": the first
    noun's dative plural "-n" goes where its nominative plural has none (it ends in -er, -el
    or -e: "Bürgern", "Mitteln", "Städten", "Gebäuden"), not where the "-n" is the plural
    itself ("Anlagen", "Frauen")."""
    at = next((k for k, w in enumerate(phrase) if w.pos == "NOUN"), None)
    if at is None or (at and phrase[at - 1].pos == "DET"):
        return phrase
    noun = phrase[at]
    form, lemma = noun.text.lower(), noun.lemma.lower()
    if not form.endswith("n") or form == lemma:
        return phrase
    plural = form[:-1]
    if plural.endswith(("er", "el")):
        strip = True
    elif plural.endswith("e"):
        # "Städten" (Stadt), "Gebäuden" (Gebäude, a neuter in Ge-…-e), not "Frauen" (Frau)
        # or "Anlagen" (Anlage), whose plural ends in the "-n"; "Produkten" (Produkt) where
        # German commonly writes the plural without it ("Produkte" at a Zipf frequency of
        # 4.7; "Fraue", a dialect's, at 2.5).
        strip = (plural != lemma or lemma.startswith("ge")) and (
            form[:-2] != lemma or frequency(plural, "de") >= COMMON_PLURAL
        )
    else:
        strip = False
    if not strip:
        return phrase
    return [*phrase[:at], replace(noun, text=noun.text[:-1]), *phrase[at + 1 :]]


def german_nominative(phrase: list[Word]) -> list[Word] | None:
    """The German noun phrase as a title says it, in the nominative, or ``None`` when its
    case shows it is the object of something the note says around it.

    "der erneuerbaren Energien" and "klimaschädlicher Produkte" are genitive plurals: as a
    title they read "Erneuerbare Energien", "Klimaschädliche Produkte". "Dem produzierten
    Strom" or "der aktuellen Lage" have no nominative the rules could say without knowing
    the noun's gender. (A phrase after "des", "dem", "einem", … is left out by
    ``noun_phrases``: "Raums durch Bürgerbusse".)"""
    det = phrase[0].text.lower() if phrase[0].pos == "DET" else ""
    start = 1 if det else 0
    while start < len(phrase) - 1 and phrase[start].pos == "ADV":
        start += 1  # "lokal verfügbaren Produkten": the adverb has no ending
    adjectives = []
    for word in phrase[start:]:
        if word.pos != "ADJ":
            break
        adjectives.append(word)
    head = next((w for w in phrase[start:] if w.pos in {"NOUN", "PROPN"}), None)
    if head is None or det in {"den", "dem", "des"}:
        return None
    plural = head.number == "pl"
    endings = {w.text.lower()[-2:] for w in adjectives}
    if det in {"die", "das"} or not adjectives:
        return phrase  # "die üblichen Verdächtigen"
    if "em" in endings:
        return None  # "produziertem Strom"
    if det == "der":
        if endings != {"en"}:
            return phrase  # "der öffentliche Verkehr"
        return _strong_plural(phrase[1:], adjectives) if plural else None
    if "en" in endings or ("er" in endings and plural):
        return _strong_plural(phrase, adjectives) if plural else None
    return phrase  # "Gesetzlicher Rahmen", "Höhere Steuern"


STRONG_ENDING = {"die": "e", "das": "es", "der": "er"}
"""The ending a German adjective takes without its article, in the nominative singular,
where the article before it ended it in "-e": only feminine nouns take "die …e", neuter
"das …e", masculine "der …e" ("die hohe Steuer" → "hohe Steuer", "das öffentliche
Interesse" → "öffentliches Interesse", "der öffentliche Verkehr" → "öffentlicher
Verkehr")."""


def without_article(phrase: list[Word]) -> list[Word] | None:
    """A German phrase led by its definite article, as a heading says it without the
    article, its adjectives in their strong endings; ``None`` where the article and the
    endings do not tell them. A heading names a thing; "Die Klimafreundlichen Produkte" is
    a note's subject."""
    det = phrase[0].text.lower()
    rest = phrase[1:]
    adjectives = []
    for word in rest:
        if word.pos != "ADJ":
            break
        adjectives.append(word)
    if det not in STRONG_ENDING or len(adjectives) >= len(rest):
        return None
    if rest[len(adjectives)].pos not in {"NOUN", "PROPN"}:
        return None
    declined = [w for w in adjectives if w.lemma.lower() != w.text.lower()]
    if not declined:
        return rest  # "Die Wiener Donauinsel": "Wiener" is never declined
    if all(w.text.endswith("e") for w in declined):
        ending = STRONG_ENDING[det]
        return [replace(w, text=w.text[:-1] + ending) if w in declined else w for w in rest]
    if det == "die" and all(w.text.endswith("en") for w in declined):
        return _strong_plural(rest, adjectives)  # "die klimafreundlichen Produkte"
    return None


def _strong_plural(words: list[Word], adjectives: list[Word]) -> list[Word]:
    """ "erneuerbaren Energien", "klimaschädlicher Produkte" → "erneuerbare …", "… Produkte".
    An adjective that is its own lemma has no ending to change: "Wiener Prater", "Grazer
    Straßen" (of a place, never declined)."""
    return [
        replace(w, text=w.text[:-1])
        if w in adjectives and w.text.endswith(("en", "er")) and w.lemma.lower() != w.text.lower()
        else w
        for w in words
    ]


def title_candidates(
    theme: Theme,
    tagged: Sequence[tuple[str, list[Word]]],
    language: str,
    centrality: dict[str, float],
    *,
    by_meaning: bool = False,
) -> list[tuple[float, Title]]:
    """Noun phrases of ``tagged`` (note id, words) notes in the output language, best first
    by the theme's keyphrases they hold, with their score. Phrases holding none come last;
    ``by_meaning`` (the caller ranks them by embedding) leaves out such lone words."""
    weights = keyphrase_weights(theme)
    heads: dict[str, set[str]] = {}
    for note_id, words in tagged:
        for word in words:
            if word.pos in {"NOUN", "PROPN"}:
                heads.setdefault(match_key(word.lemma or word.text), set()).add(note_id)
    found: dict[str, tuple[float, Title]] = {}
    for note_id, words in tagged:
        if refuses(words, language):
            continue  # "Un chatbot à la place d'un humain : non !" is no "Chatbot à la place …"
        for phrase in noun_phrases(words, language):
            head = next((w for w in phrase if w.pos in {"NOUN", "PROPN"}), None)
            if (
                head is None
                or match_key(head.lemma) in GENERIC_HEADS
                or match_key(head.text) in GENERIC_HEADS
                or (
                    match_key(head.lemma) in BARE_HEADS | VAGUE_ALONE
                    and sum(1 for w in phrase if w.pos in CONTENT) == 1
                )
            ):
                continue
            if _said_first(phrase):
                continue  # "Mêmes retraités aux réunions publiques", "Always the same people"
            if _time_frame(phrase, language):
                continue  # "Höchste Zeit, …": it says when to act, not what
            content = [w for w in phrase if w.pos in CONTENT]
            keys = {match_key(w.lemma) for w in content} | {match_key(w.text) for w in content}
            score = sum(weights.get(k, 0.0) for k in {match_key(w.lemma) for w in content})
            score += sum(
                weights.get(match_key(w.text), 0.0)
                for w in content
                if match_key(w.lemma) not in weights
            )
            if score == 0 and by_meaning and len(content) < 2:
                continue  # by meaning: a phrase, not a lone word that names no keyphrase
            users = set().union(*(heads.get(k, set()) for k in keys)) or {note_id}
            score += 0.5 * len(users) / max(len(tagged), 1)
            score += 0.05 * centrality.get(note_id, 0.0)
            n_words = sum(1 for w in phrase if any(c.isalpha() for c in w.text))
            if n_words == 1:
                score *= 0.6
            elif n_words > 5:
                score -= 0.15 * (n_words - 5)
            if language == "de" and phrase[0].text.lower() in GERMAN_DEFINITE:
                score *= DEFINITE_COST  # a note's subject: a phrase that heads goes first
                phrase = without_article(phrase) or phrase  # "Wiener Donauinsel"
            if language == "de" and german_slip(phrase):
                score *= SLIP_COST
            text = join(written_as_words(phrase, language, COMPLETED_TITLE_WORDS))
            text = text[:1].upper() + text[1:]
            if text not in found or score > found[text][0]:
                cites = [note_id, *sorted(users - {note_id})][:5]
                found[text] = (score, Title(text=text, note_ids=cites))
    return sorted(found.values(), key=lambda item: (-item[0], item[1].text))
