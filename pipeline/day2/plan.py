"""From attached cards to the plan's actions: near duplicates merged, votes summed, ranked.

Two cards of one challenge (or two unattached cards) are one action when their texts are
near duplicates: a cosine of at least ``MERGE_SIMILARITY`` in the run's embedding space, in
any languages ("Charte de participation …", "Participatiecharter …", "Beteiligungscharta
…"), or the same words. Cards join by average linkage (an action's cards are that near each
other on average, so no chain of neighbours joins two different actions); the action keeps
the wording of its most voted card (the first in reading order on a tie), sums the votes,
averages the scores, and cites every card.

Per challenge, actions are ranked by votes, then by impact × feasibility, then as read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from pipeline.day2.shapes import Action, ActionCard, CardAttachment
from pipeline.ingest.columns import normalize_name

MERGE_SIMILARITY = 0.60


def merge_cards(
    cards: Sequence[ActionCard],
    attachments: Sequence[CardAttachment],
    embed: Callable[[Sequence[str]], np.ndarray],
) -> list[Action]:
    """The plan's actions, ranked within each challenge; unattached actions last."""
    challenge_of = {a.card_id: a.challenge_id for a in attachments}
    groups: dict[str | None, list[ActionCard]] = {}
    for card in cards:
        groups.setdefault(challenge_of.get(card.id), []).append(card)
    actions: list[Action] = []
    for challenge_id, members in groups.items():
        for cluster in _clusters(members, embed):
            actions.append(_action(cluster, challenge_id))
    order = sorted((k for k in groups if k is not None), key=_challenge_key)
    ranked: list[Action] = []
    for challenge_id in [*order, None]:
        ranked += rank([a for a in actions if a.challenge_id == challenge_id])
    return [a.model_copy(update={"id": f"A{i:02d}"}) for i, a in enumerate(ranked, 1)]


def _challenge_key(challenge_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in challenge_id if ch.isdigit())
    return (int(digits) if digits else 10**6, challenge_id)


def rank(actions: Sequence[Action]) -> list[Action]:
    """By votes, then impact × feasibility, then as read (stable)."""
    return sorted(actions, key=lambda a: (-(a.votes or 0), -(a.priority or 0.0)))


def _clusters(
    cards: list[ActionCard], embed: Callable[[Sequence[str]], np.ndarray]
) -> list[list[ActionCard]]:
    if len(cards) == 1:
        return [cards]
    vectors = np.asarray(embed([c.text for c in cards]), dtype=np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    sims = vectors @ vectors.T
    words = [normalize_name(c.text) for c in cards]
    for i in range(len(cards)):
        for j in range(len(cards)):
            if words[i] == words[j]:
                sims[i, j] = 1.0
    clusters = [[i] for i in range(len(cards))]
    while True:  # average linkage: a merged action's cards are near each other on average
        best, pair = MERGE_SIMILARITY, None
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                link = float(sims[np.ix_(clusters[a], clusters[b])].mean())
                if link >= best:
                    best, pair = link, (a, b)
        if pair is None:
            break
        a, b = pair
        clusters[a] = sorted(clusters[a] + clusters[b])
        del clusters[b]
    return [[cards[i] for i in cluster] for cluster in clusters]


def _mean(values: list[float | None]) -> float | None:
    given = [v for v in values if v is not None]
    return round(sum(given) / len(given), 2) if given else None


def _most_common(values: list[str | None]) -> str | None:
    given = [v for v in values if v]
    if not given:
        return None
    counts = Counter(normalize_name(v) for v in given)
    best = counts.most_common(1)[0][0]
    return next(v for v in given if normalize_name(v) == best)


def _action(cards: list[ActionCard], challenge_id: str | None) -> Action:
    lead = max(cards, key=lambda c: c.votes or 0)  # first of the most voted
    votes = [c.votes for c in cards if c.votes is not None]
    return Action(
        id="",
        text=lead.text,
        challenge_id=challenge_id,
        card_ids=[c.id for c in cards],
        votes=sum(votes) if votes else None,
        impact=_mean([c.impact for c in cards]),
        feasibility=_mean([c.feasibility for c in cards]),
        owner=_most_common([c.owner for c in cards]),
        when=_most_common([c.when for c in cards]),
        cost=_most_common([c.cost for c in cards]),
        variants=[c.text for c in cards if c is not lead],
    )


OWNER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "government": ("gouvernement", "regering", "regierung", "government", "landesregierung",
                   "gouvernementwallon", "vlaamseregering", "nextgovernment",
                   "prochaingouvernement", "volgenderegering", "nachsteregierung"),
    "municipality": ("commune", "communes", "gemeente", "gemeenten", "gemeinde", "gemeinden",
                     "municipality", "municipalities", "ville", "stad", "stadt", "city",
                     "council", "localauthority"),
}  # fmt: skip
"""Who carries an action, the same body in four languages: one group in the plan."""
_OWNER_KEY = {name: key for key, names in OWNER_SYNONYMS.items() for name in names}


def owner_key(owner: str | None) -> str:
    """Owners compared as written, case and accents aside ("SPW" = "spw"), and the same body
    in another language as one ("Gouvernement" = "Regering" = "Government")."""
    name = normalize_name(owner or "")
    return _OWNER_KEY.get(name, name)
