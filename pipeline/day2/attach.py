"""Attach each action card to a reviewed Day 1 challenge, or leave it unattached.

In order:
1. **By id.** The challenge cell holds a number or an id ("3", "Défi 3", "B3", "#3",
   "Uitdaging 3"): the challenge ``B3``. A challenge rejected in review, or one that does not
   exist ("7" when the run has five), attaches nothing, and the card says why (and which
   challenge its action is nearest): a number is never read as another challenge.
2. **By name.** The cell holds a name a challenge or one of its themes has, or had (as
   drafted, or as the review named it before: a handout printed then still says it), as
   written, case, accents and punctuation aside (``named_by``): that challenge, as its number
   would be. Other words ("La formation à la facilitation", "Rechtsrahmen", "From
   idea to decision") are matched by meaning, in any language, against each
   challenge's reviewed title, question, theme names and keyphrases (the notes' own words,
   which no redrafting changes). A short name alone says little
   ("Taal" is as near feedback as languages), so the name's similarity and the action's are
   averaged, and the card attaches when one challenge clearly wins.
3. **By meaning.** No challenge named, or none clearly: the action itself is matched against
   each challenge's title, question and Day 1 notes, and attaches when one challenge clearly
   wins; when the card names a challenge in words, only to one of the two the name is
   nearest (the action decides between them, it never contradicts the name).
4. Otherwise the card stays **unattached**, with the reason. Never forced.

Each reason is recorded as a code and its values (``Said``, the sentences of
``pipeline.day2.words.SENTENCES``), said in the reader's language on the plan, in the
review app and in ``ledger.csv`` (beside its codes); ``CardAttachment.reason`` keeps the
English.

"Clearly wins": the best challenge's similarity is at least ``MIN_SIMILARITY`` and beats the
runner-up by at least ``MIN_MARGIN``. An action's similarity to a challenge is the best of its
similarity to the challenge's title, to its question, to its themes' names, and the mean of
its ``TOP_NOTES`` nearest Day 1 notes: the room's words on Day 2 are close to its words on
Day 1. The vectors come from the run's own embedder
(``pipeline.embed.for_run.run_embedder``) and its cache.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from pipeline.day2.shapes import ActionCard, AttachedBy, CardAttachment, Challenge, Said
from pipeline.day2.words import english

Embed = Callable[[Sequence[str]], np.ndarray]

MIN_SIMILARITY = 0.40
MIN_MARGIN = 0.04
NAME_MIN_SIMILARITY = 0.35
NAME_MARGIN = 0.08
"""A name alone attaches when it beats the runner-up by this much …"""
NAME_SUPPORT = 0.35
"""… and the action is at least this near the same challenge."""
TOP_NOTES = 3
NAME_NEAREST = 2
"""When a card names a challenge in words, its action may attach it only to one of the
challenges the name is this near (the best, the second, …)."""

NO_CHALLENGE = frozenset(
    {
        *("divers", "diverses", "autre", "autres", "varia", "hors-sujet", "hors sujet"),
        *("sonstiges", "sonstige", "verschiedenes", "anderes", "overig", "overige", "diversen"),
        *("allerlei", "other", "others", "misc", "miscellaneous", "various", "off-topic"),
        *("off topic", "parking lot", "sans défi", "geen uitdaging"),
    }
)
"""Headings that put a card under no challenge ("Divers" on a flip chart, "Sonstiges"): the
table meant none, so none is looked for. Matched by meaning, "Divers" sat nearest a
challenge titled "Horaires variés" and took the coffee machine with it."""


def names_no_challenge(reference: str) -> bool:
    words = re.sub(r"[^\w\s-]", " ", reference.casefold()).split()
    return " ".join(words) in NO_CHALLENGE


_ID_WORDS = (
    r"(?:d[ée]fi|challenge|uitdaging|herausforderung|enjeu|priorit[ée]|prioriteit|"
    r"priorit[äa]t|n°|no\.?|nr\.?|num[ée]ro|nummer|number)"
)
_ID = re.compile(rf"^\s*(?:{_ID_WORDS}\s*)*[#:]?\s*[Bb]?\s*(\d{{1,3}})\s*[.):—–-]?\s*(.*)$", re.I)


class ChallengeSpace:
    """The reviewed challenges in the run's embedding space, ready to score texts against."""

    def __init__(
        self,
        challenges: Sequence[Challenge],
        notes: dict[str, str],
        embed: Embed,
        rejected: Sequence[str] = (),
        names: Sequence[Mapping[str, Sequence[str]]] = (),
    ) -> None:
        self.challenges = list(challenges)
        self.rejected = set(rejected)
        self.names = list(names)
        """The names a card may call a challenge by, most trusted first (now, before, its
        themes' before: ``pipeline.day2.step.challenge_names``): folded name → ids."""
        self._embed = embed
        self._titles = _unit(embed([c.title for c in self.challenges]))
        self._questions = _unit(embed([c.question or c.title for c in self.challenges]))
        self._facets = [
            _unit(embed([*c.facets, *c.keyphrases]))
            if c.facets or c.keyphrases
            else np.zeros((0, self._titles.shape[1]))
            for c in self.challenges
        ]
        self._notes: list[np.ndarray] = []
        texts = [[notes[i] for i in c.note_ids if i in notes] for c in self.challenges]
        flat = [t for group in texts for t in group]
        vectors = _unit(embed(flat)) if flat else np.zeros((0, self._titles.shape[1]))
        start = 0
        for group in texts:
            self._notes.append(vectors[start : start + len(group)])
            start += len(group)

    def scores(self, texts: Sequence[str], *, with_notes: bool = True) -> np.ndarray:
        """(texts × challenges) similarities: to the names (title, question, themes), and to
        the Day 1 notes ``with_notes``."""
        if not texts or not self.challenges:
            return np.zeros((len(texts), len(self.challenges)))
        vectors = _unit(self._embed(list(texts)))
        out = np.maximum(vectors @ self._titles.T, vectors @ self._questions.T)
        for j, facets in enumerate(self._facets):
            if len(facets):
                out[:, j] = np.maximum(out[:, j], (vectors @ facets.T).max(axis=1))
        if not with_notes:
            return out
        for j, notes in enumerate(self._notes):
            if len(notes):
                sims = vectors @ notes.T
                k = min(TOP_NOTES, sims.shape[1])
                top = -np.sort(-sims, axis=1)[:, :k]
                out[:, j] = np.maximum(out[:, j], top.mean(axis=1))
        return out


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def folded_name(name: str) -> str:
    """A name as a card's heading is compared with a challenge's: case, accents,
    punctuation and spacing aside ("Citoyens aux questions ecologiques" is "Citoyens aux
    questions écologiques")."""
    bare = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    return " ".join(re.sub(r"[\W_]+", " ", bare.casefold()).split())


def named_by(reference: str, space: ChallengeSpace) -> tuple[list[str], int] | None:
    """The challenges ``reference`` is a name of, as written (``folded_name``), and how
    trusted that name is (0: a name it goes by now, 1: one it had, 2: one a theme of it
    had); ``None`` when it is no name a challenge has or had."""
    key = folded_name(reference)
    for tier, names in enumerate(space.names):
        ids = names.get(key)
        if ids:
            return list(ids), tier
    return None


def challenge_number(reference: str) -> tuple[int, str] | None:
    """(number, the words after it) when ``reference`` names a challenge by number or id."""
    match = _ID.match(reference)
    if match is None:
        return None
    return int(match.group(1)), match.group(2).strip()


def attach_cards(cards: Sequence[ActionCard], space: ChallengeSpace) -> list[CardAttachment]:
    """One attachment per card, in the cards' order."""
    by_number = {_number(c.id): c for c in space.challenges}
    rejected_numbers = {_number(i): i for i in space.rejected}
    names = [c.challenge_ref or "" for c in cards]
    named = [i for i, name in enumerate(names) if name and challenge_number(name) is None]
    action_scores = space.scores([c.text for c in cards])
    named_alone = space.scores([names[i] for i in named], with_notes=False)
    name_scores = (named_alone + action_scores[named]) / 2
    name_row = {card_index: row for row, card_index in enumerate(named)}
    out: list[CardAttachment] = []
    for i, card in enumerate(cards):
        reasons: list[Said] = []
        reference = card.challenge_ref
        if reference and names_no_challenge(reference):
            said = Said(code="heading_names_none", values={"reference": reference})
            out.append(_unattached(card.id, [said]))
            continue
        if reference:
            numbered = challenge_number(reference)
            if numbered is not None:
                number, _ = numbered
                if number in by_number:
                    challenge = by_number[number]
                    why = [
                        Said(
                            code="names_challenge",
                            values={"challenge": challenge.id, "reference": reference},
                        )
                    ]
                    out.append(
                        CardAttachment(
                            card_id=card.id,
                            challenge_id=challenge.id,
                            by=AttachedBy.ID,
                            reason=english(why),
                            why=why,
                        )
                    )
                    continue
                if number in rejected_numbers:
                    rejected_id = rejected_numbers[number]
                    reasons.append(
                        Said(
                            code="names_rejected",
                            values={"reference": reference, "challenge": rejected_id},
                        )
                    )
                else:
                    reasons.append(Said(code="names_unknown", values={"reference": reference}))
            elif (known := named_by(reference, space)) is not None:
                # A name the challenge has, or had when the handout was printed: it names
                # that challenge, as its number would; never another one by similarity.
                ids, tier = known
                values: dict[str, str | float] = {"reference": reference}
                if len(ids) > 1:
                    values["challenges"] = ", ".join(ids)
                    out.append(_unattached(card.id, [Said(code="names_several", values=values)]))
                    continue
                values["challenge"] = ids[0]
                if ids[0] in space.rejected:
                    reasons.append(Said(code="names_rejected", values=values))
                else:
                    code = ("names_challenge", "names_former", "names_former_theme")[min(tier, 2)]
                    why = [Said(code=code, values=values)]
                    out.append(
                        CardAttachment(
                            card_id=card.id,
                            challenge_id=ids[0],
                            by=AttachedBy.NAME,
                            reason=english(why),
                            why=why,
                        )
                    )
                    continue
            else:
                alone = named_alone[name_row[i]]
                best = _clear_winner(alone, NAME_MIN_SIMILARITY, NAME_MARGIN)
                if best is not None and action_scores[i][best[0]] < NAME_SUPPORT:
                    best = None  # "Divers" near a challenge by chance, the action is not
                if best is None:
                    best = _clear_winner(name_scores[name_row[i]], NAME_MIN_SIMILARITY)
                if best is not None:
                    challenge_id = space.challenges[best[0]].id
                    why = [
                        Said(
                            code="name_and_action",
                            values={"reference": reference, "challenge": challenge_id},
                        )
                    ]
                    out.append(_won(card.id, challenge_id, AttachedBy.NAME, best, why))
                    continue
                reasons.append(Said(code="name_unclear", values={"reference": reference}))
        best = _clear_winner(action_scores[i], MIN_SIMILARITY)
        if best is not None and i in name_row:
            # The card names a challenge in words: its action may decide between the
            # challenges the name is nearest, never contradict it.
            nearest = np.argsort(-named_alone[name_row[i]])[:NAME_NEAREST]
            if best[0] not in nearest:
                nearest_id = space.challenges[best[0]].id
                reasons.append(Said(code="nearest_not_named", values={"challenge": nearest_id}))
                out.append(_unattached(card.id, reasons))
                continue
        if best is not None and any(r.code == "names_unknown" for r in reasons):
            # A number that names no challenge ("7" of five) attaches nothing: the card
            # says which challenge its action is nearest, for the review to move it there.
            nearest_id = space.challenges[best[0]].id
            reasons.append(Said(code="nearest", values={"challenge": nearest_id}))
            out.append(_unattached(card.id, reasons))
            continue
        if best is not None and not any(r.code == "names_rejected" for r in reasons):
            challenge_id = space.challenges[best[0]].id
            why = [*reasons, Said(code="nearest", values={"challenge": challenge_id})]
            out.append(_won(card.id, challenge_id, AttachedBy.MEANING, best, why))
            continue
        reasons.append(_why_not(action_scores[i], space))
        out.append(_unattached(card.id, reasons))
    return out


def _won(
    card_id: str,
    challenge_id: str,
    by: AttachedBy,
    best: tuple[int, float, float],
    why: list[Said],
) -> CardAttachment:
    """The card attached to the challenge that ``best`` (index, score, margin) clearly won."""
    _, score, margin = best
    return CardAttachment(
        card_id=card_id,
        challenge_id=challenge_id,
        by=by,
        score=round(score, 3),
        margin=round(margin, 3),
        reason=english(why),
        why=why,
    )


def _unattached(card_id: str, why: list[Said]) -> CardAttachment:
    return CardAttachment(
        card_id=card_id, challenge_id=None, by=AttachedBy.NONE, reason=english(why), why=why
    )


def _number(challenge_id: str) -> int:
    digits = "".join(ch for ch in challenge_id if ch.isdigit())
    return int(digits) if digits else -1


def _clear_winner(
    scores: np.ndarray, minimum: float, margin: float = MIN_MARGIN
) -> tuple[int, float, float] | None:
    if len(scores) == 0:
        return None
    order = np.argsort(-scores)
    best = float(scores[order[0]])
    second = float(scores[order[1]]) if len(scores) > 1 else 0.0
    if best >= minimum and best - second >= margin:
        return int(order[0]), best, best - second
    return None


def _why_not(scores: np.ndarray, space: ChallengeSpace) -> Said:
    if len(scores) == 0:
        return Said(code="no_challenges")
    order = np.argsort(-scores)
    best = float(scores[order[0]])
    nearest = space.challenges[order[0]].id
    if best < MIN_SIMILARITY:
        return Said(code="near_none", values={"challenge": nearest, "score": round(best, 2)})
    if _clear_winner(scores, MIN_SIMILARITY) is not None:
        # Clearly nearest one challenge, yet not attached to it (the card names another):
        # said as it is, never "as near" two challenges far apart.
        return Said(code="nearest", values={"challenge": nearest})
    second = space.challenges[order[1]].id if len(order) > 1 else "—"
    values: dict[str, str | float] = {
        "challenge": nearest,
        "other": second,
        "score": round(best, 2),
        "other_score": round(float(scores[order[1]]), 2),
    }
    return Said(code="as_near", values=values)
