"""Words that point elsewhere: at something another note or an earlier sentence said ("ces
agents", "these workers", "dort", "là", "the same as in Vienna"). A question or a proposal
built on such a clause would leave the room asking what it points at, so the drafter asks
another note, or lists it after ideas that stand alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from pipeline.draft.compose.tagging import Word, word_in
from pipeline.draft.compose.wording import word_list


def opens_on_what_came_before(clause: Sequence[Word]) -> bool:
    """Whether the clause opens with words that tie it to what came before ("Im Gegenteil
    …", "Such as …", "Par contre …", "Daarom …"): lifted out, it says nothing a room can use."""
    lowered = [w.text.lower() for w in clause[:2]]
    return lowered[0] in BACK_POINTING or " ".join(lowered) in BACK_POINTING


BACK_POINTING = frozenset(
    {
        "such", "instead", "therefore", "otherwise", "besides", "moreover", "also", "hence",
        "thus", "on the", "au contraire", "par contre", "en revanche", "sinon", "donc", "de plus",
        "ainsi", "integendeel", "daarom", "bovendien", "anders", "zoals", "dus", "im gegenteil",
        "stattdessen", "dafür", "deshalb", "daher", "außerdem", "zudem", "trotzdem", "sonst",
        "deswegen", "somit", "aber", "but", "mais", "maar", "zusätzlich", "additionally",
        "furthermore", "en outre", "daarnaast", "ebenso", "ebenfalls", "weiters", "ferner",
    }
)  # fmt: skip
"""Openers of a clause that only makes sense with the sentence before it (one word, or its
first two words: "on the [contrary]", "im Gegenteil"; "Zusätzlich Biogas fördern" after
"Erdgas … soll nicht verteufelt werden": in addition to what?)."""


DEICTIC = frozenset(
    word_list(
        """
        it them this that these those ça cela ceci lui leur eux het dit dat hen hun es das dies
        ihn ihm ihnen
        """
    )
)
"""Words that point back to something the note does not say: "let them take care of it"
means nothing on a handout."""


DEICTIC_PLACES = frozenset(
    word_list(
        """
        there here là là-bas ici dort dorthin dahin hier daar daarheen daarvoor daarbij daarmee
        dafür dazu daran darin
        """
    )
)
"""Words that point to a place or thing the note names elsewhere ("Windräder dort, wo …",
"mettre des bancs là"): whatever their tag, a question built on them leaves the reader
asking where."""


POSSESSIVES = frozenset(
    word_list(
        """
        their its his her son sa ses leur leurs hun zijn haar ihr ihre ihren ihrem ihrer ihres
        sein seine seinen seinem seiner seines your votre vos ton ta tes jouw uw dein deine
        deinen deinem deiner
        """
    )
)
"""Possessives of the third person: before any noun of the clause, they speak of a subject
the question drops ("Fahrschulen müssen ihre Flotten … umstellen" is not "Wie könnten wir
ihre Flotten … umstellen?")."""


DEMONSTRATIVES = frozenset(word_list("these those ces diese dieser diesen diesem deze"))
"""Plural or case-marked demonstratives before a noun ("adopt these four steps", "ces
mesures", "diese Maßnahmen"): they point to what the note lists elsewhere, which a question
on a handout does not carry ("this city" names the place the room is in, and stays)."""


LIKE_ELSEWHERE = frozenset(
    word_list(
        """
        similar such similaire similaires semblable semblables pareil pareils pareille
        pareilles ähnlich ähnliche ähnlichen ähnlicher ähnliches solch solche solchen solcher
        solches vergleichbar vergleichbare vergleichbaren soortgelijk soortgelijke
        vergelijkbaar vergelijkbare dergelijk dergelijke zulk zulke
        """
    )
)
"""Adjectives that say a thing is like one named elsewhere ("Similar taxes should be
considered for …", "solche Maßnahmen", "des mesures similaires"): asked or proposed alone,
it leaves the reader asking like what. "Such as …", "similaire à …" say it and stay; "same"
and "gleiche" are left out, as they also mean equal ("gleiche Rechte für alle")."""
NAMING_WHAT = frozenset(word_list("as to que à aux au wie als zu aan als"))


def _compared_elsewhere(words: Sequence[Word]) -> bool:
    """Whether the words hold an adjective of ``LIKE_ELSEWHERE`` beside a noun, with no
    "as", "à", "wie" … after it naming the thing it is like."""
    for k, word in enumerate(words):
        if word.text.lower() not in LIKE_ELSEWHERE:
            continue
        after = words[k + 1] if k + 1 < len(words) else None
        if after is not None and after.text.lower() in NAMING_WHAT:
            continue
        before = words[k - 1] if k else None
        if any(w is not None and w.pos in {"NOUN", "PROPN"} for w in (before, after)) or (
            after is not None and after.pos == "ADJ"
        ):
            return True
    return False


SINGULAR_DEMONSTRATIVES = frozenset(
    word_list("this that ce cet cette dieser diese dieses diesen diesem deze dit dat")
)
SAID_BEFORE = frozenset(
    word_list(
        """
        idea proposal project system problem measure approach point issue solution initiative
        movement plan suggestion idée proposition projet système problème mesure démarche
        sujet solution initiative mouvement plan dispositif idee voorstel project systeem
        probleem maatregel aanpak punt oplossing initiatief beweging vorschlag projekt
        problem maßnahme ansatz punkt lösung initiative bewegung
        """
    )
)
"""Nouns that, after "this", "ce", "dieser", name what another note or the writer's previous
sentence said ("ce mouvement", "this idea"), unlike a place ("this city", "ce quartier")."""


RELATIVE_PLACE = frozenset(word_list("où wo wohin waar where"))
"""Words that open the clause saying which place a word of ``DEICTIC_PLACES`` means: "aller
vers les jeunes là où ils sont", "Windräder dort, wo sie niemanden stören"."""


def _place_said_after(words: Sequence[Word], at: int) -> bool:
    """Whether the clause itself says the place ``words[at]`` points to: a relative clause
    follows it, after a comma or not."""
    after = [w for w in words[at + 1 : at + 3] if w.text != ","]
    return bool(after) and after[0].text.lower() in RELATIVE_PLACE


def points_at_other_note(words: Sequence[Word]) -> bool:
    """ "impulser ce mouvement", "support this idea": what another note said, pointed at."""
    return any(
        a.pos == "DET" and a.text.lower() in SINGULAR_DEMONSTRATIVES and word_in(b, SAID_BEFORE)
        for a, b in itertools.pairwise(words)
    )


def points_elsewhere(words: Sequence[Word]) -> bool:
    if any(
        (w.pos == "PRON" and w.text.lower() in DEICTIC)
        or (w.text.lower() in DEICTIC_PLACES and not _place_said_after(words, k))
        or (w.pos == "DET" and w.text.lower() in DEMONSTRATIVES)
        for k, w in enumerate(words)
    ):
        return True
    if _compared_elsewhere(words):
        return True
    if points_at_other_note(words):
        return True
    for word in words:
        if word.pos in {"NOUN", "PROPN"}:
            return False  # "ask residents about their needs": the noun is what it points to
        if word.pos == "DET" and word.text.lower() in POSSESSIVES:
            return True
    return False
