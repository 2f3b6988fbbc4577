"""Day 2's sentences in the workshop's language: why a card is attached where it is (or to
none), what the review did to it, a decision that no longer applies, a cell not understood,
and the counts, with their plural forms. Each is recorded as a code and its values and said
in French, Dutch, German or English where it is shown; a file written before that, holding
only the English, still loads and is said in the reader's language too.

No run is needed: the sentences are rendered from the real catalogues, and the attachments
come from ``attach_cards`` over the real embedder.
"""

from __future__ import annotations

import json

import pytest

from pipeline.day2.attach import ChallengeSpace, attach_cards
from pipeline.day2.read import _card
from pipeline.day2.review import Day2Decision, Day2DecisionKind, LoggedDecision, apply_decisions
from pipeline.day2.shapes import (
    Action,
    ActionCard,
    ActionPlan,
    AttachedBy,
    CardAttachment,
    Challenge,
    Said,
)
from pipeline.day2.words import (
    SENTENCES,
    accounting_sentence,
    english,
    problems_shown,
    reason_shown,
    recorded,
    say,
    section_counts,
    summary_line,
)
from pipeline.i18n import LANGUAGES
from pipeline.schema import RawNote
from tests.catalogues import fragments

VALUES: dict[str, str | float] = {
    "reference": "Divers",
    "challenge": "B3",
    "challenges": "B3, B5",
    "other": "B5",
    "score": 0.45,
    "other_score": 0.44,
    "who": "ana",
    "card": "n3f",
    "decision": "move",
    "field": "impact",
    "text": "très",
}

EXPECTED_FR = {
    "heading_names_none": "classée sous « Divers », donc sous aucun défi",
    "names_unknown": "« Divers » ne désigne aucun défi de cet atelier",
    "names_rejected": "« Divers » désigne le défi B3, écarté en revue",
    "as_near": "l’action est aussi proche du défi B3 que du défi B5 (0,45 et 0,44)",
    "card_gone": "déplacement par ana : la carte n3f n’est plus lue",
    "not_a_score_word": (
        "Impact : « très » n’est pas une note (de 1 à 5, ou faible / moyen / fort)"
    ),
}


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _said(code: str) -> Said:
    message = SENTENCES[code]
    return Said(code=code, values={k: v for k, v in VALUES.items() if f"%({k})" in message})


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_every_sentence_is_said_in_each_language_and_none_stays_english(code: str) -> None:
    said = _said(code)
    english_text = say(said, "en")
    english_words = [f for f in fragments(SENTENCES[code]) if len(f) > 6]
    for lang in LANGUAGES:
        text = say(said, lang)
        assert "%(" not in text and text.strip(), (lang, text)
        for value in said.values.values():
            if isinstance(value, str) and value not in ("move", "impact"):
                assert value in text, (lang, text)  # ids and the card's own words as written
        if lang != "en":
            assert text != english_text
            assert not [f for f in english_words if f in text], (lang, text)


def test_the_french_sentences_read_as_a_facilitator_reads_them() -> None:
    for code, expected in EXPECTED_FR.items():
        assert _flat(say(_said(code), "fr")) == expected, code
    # The decision and the field are said in the language too; a similarity has its comma.
    assert say(_said("card_gone"), "de").startswith("Verschiebung von ana:")
    assert say(_said("not_a_score"), "nl").startswith("Impact: “très”")
    assert "0,45" in say(_said("near_none"), "de") and "0.45" in say(_said("near_none"), "en")


def test_counts_take_their_plural_form_in_each_language() -> None:
    one = accounting_sentence("fr", cards=1, attached=1, unattached=0, actions=1, rejected=1,
                              skipped=1)  # fmt: skip
    assert one == (
        "1 carte lue\u00a0: 1 rattachée à un défi, 0 sans défi\u00a0; 1 action après "
        "regroupement des doublons. 1 ligne rejetée, 1 fichier non lu."
    )
    many = accounting_sentence("nl", cards=59, attached=50, unattached=9, actions=45,
                               rejected=2, skipped=2)  # fmt: skip
    assert "59 kaarten gelezen" in many and "45 acties" in many and "2 bestanden" in many
    assert section_counts("de", 1, 1) == "1 Maßnahme · 1 Stimme"
    assert section_counts("de", 3, 14) == "3 Maßnahmen · 14 Stimmen"
    assert section_counts("fr", 1, 0) == "1 action · 0 vote"  # French: 0 and 1 are singular
    assert section_counts("en", 1, 2) == "1 action · 2 votes"
    assert section_counts("nl", 2, 1) == "2 acties · 1 stem"


def test_the_day2_command_summary_speaks_the_plan_language() -> None:
    from pipeline.day2.shapes import Day2Counts

    counts = Day2Counts(ledger_rows=70, skipped_files=2, structure_rows=8, rejected_rows=1,
                        cards=59, attached=50, unattached=9, actions=45, merged_cards=14,
                        reconciles=True)  # fmt: skip
    assert _flat(summary_line(counts, "fr")) == (
        "Cartes 59 · Rattachées 50 · Sans défi 9 · Actions 45 · Lignes rejetées 1. "
        "Les comptes concordent : oui."
    )
    assert summary_line(counts, "en") == (
        "Cards 59 · Attached 50 · Unattached 9 · Actions 45 · Rows rejected 1. "
        "Counts reconcile: yes."
    )
    assert summary_line(counts, "de").startswith("Karten 59 · Zugeordnet 50")


@pytest.fixture(scope="module")
def space() -> ChallengeSpace:
    from pipeline.config import EmbedConfig
    from pipeline.embed.for_run import run_embedder

    challenges = [
        Challenge(id="B1", title="Former les agents à l'animation", question=""),
        Challenge(id="B2", title="Traduire les invitations dans les langues", question=""),
    ]
    return ChallengeSpace(challenges, {}, run_embedder(EmbedConfig()).embed, rejected=["B3"])


def test_why_a_card_is_unattached_is_recorded_as_codes_and_said_in_each_language(
    space: ChallengeSpace,
) -> None:
    written = [
        ("Moderationstraining", "1"),
        ("x", "Défi 3"),
        ("Plus de café le matin", "Divers"),
        ("y", "12"),
        ("Plus de café le matin", None),
    ]
    cards = [
        ActionCard(id=f"c{i}", source="s", location=f"row {i}", text=text, challenge_ref=ref)
        for i, (text, ref) in enumerate(written, 2)
    ]
    got = attach_cards(cards, space)
    codes = [[s.code for s in a.why] for a in got]
    assert codes[0] == ["names_challenge"]
    assert codes[1][0] == "names_rejected" and codes[2] == ["heading_names_none"]
    assert codes[3][0] == "names_unknown"
    assert codes[4][0] in ("near_none", "as_near")
    for attachment in got:
        # ledger.csv keeps the English, and it is the same sentences.
        assert attachment.reason == english(attachment.why)
    assert "rejected in review" in got[1].reason and "no challenge of this run" in got[3].reason
    french = [_flat(reason_shown(a, "fr")) for a in got]
    assert french[0] == "désigne le défi B1 (« 1 »)"
    assert french[1].startswith("« Défi 3 » désigne le défi B3, écarté en revue ; ")
    assert french[2] == "classée sous « Divers », donc sous aucun défi"
    assert french[3].startswith("« 12 » ne désigne aucun défi de cet atelier ; l’action")
    assert french[4].startswith("l’action n’est proche d’aucun défi") or "aussi proche" in french[4]
    dutch = reason_shown(got[2], "nl")
    assert dutch == "staat onder “Divers”, dus onder geen enkele uitdaging"
    german = reason_shown(got[1], "de")
    assert german.startswith("„Défi 3“ nennt Herausforderung B3, die in der Durchsicht verworfen")
    for attachment in got:
        for lang in ("fr", "nl", "de"):
            shown = reason_shown(attachment, lang)
            assert not any(f in shown for f in ("challenge", "the action", "names ")), shown


OLD_REASONS = {
    "'Divers' puts it under no challenge": "classée sous « Divers », donc sous aucun défi",
    "names challenge B1 ('Défi 1')": "désigne le défi B1 (« Défi 1 »)",
    "'Défi 3' names challenge B3, rejected in review; the action is near no challenge "
    "(best B4, 0.30)": "« Défi 3 » désigne le défi B3, écarté en revue ; l’action n’est "
    "proche d’aucun défi (au mieux B4, 0,30)",
    "'Taal' matches no challenge clearly; the action is as near B6 as B7 (0.52 and 0.50)": (
        "« Taal » ne correspond clairement à aucun défi ; l’action est aussi proche du défi "
        "B6 que du défi B7 (0,52 et 0,50)"
    ),
    "the action is nearest B1, which the name does not suggest": (
        "l’action est la plus proche du défi B1, que le nom n’évoque pas"
    ),
    "moved to unattached in review": "retirée de tout défi en revue",
    "merged in review by ana": "fusionnée en revue par ana",
    "a reason of some later version": "a reason of some later version",
}


def test_a_plan_written_by_an_earlier_version_loads_and_its_english_is_said_in_french() -> None:
    """Before reasons were recorded as codes, plan.json held only the English: it loads,
    and what the English says is said in the reader's language where it is known."""
    old = {
        "workshop": "w",
        "language": "fr",
        "run_dir": "r",
        "challenges": [],
        "cards": [
            {
                "id": "c1",
                "source": "a.csv",
                "location": "row 2",
                "text": "t",
                "problems": [
                    "impact 'très' is not a score (1–5, or low / medium / high)",
                    "votes 'beaucoup' is not a number of votes",
                    "something else",
                ],
            },
        ],
        "attachments": [
            {"card_id": "c1", "challenge_id": None, "by": "none", "reason": reason}
            for reason in OLD_REASONS
        ],
        "actions": [],
    }
    plan = ActionPlan.model_validate_json(json.dumps(old))
    for attachment, expected in zip(plan.attachments, OLD_REASONS.values(), strict=True):
        assert attachment.why == []
        assert _flat(reason_shown(attachment, "fr")) == expected
    assert [_flat(p) for p in problems_shown(plan.cards[0], "fr")] == [
        "Impact : « très » n’est pas une note (de 1 à 5, ou faible / moyen / fort)",
        "Votes : « beaucoup » n’est pas un nombre de votes",
        "something else",
    ]
    # The English the current version writes is recognised too (ledger.csv round trip).
    for code in SENTENCES:
        said = _said(code)
        found = recorded(say(said, "en"))
        if found is not None:
            assert say(found, "fr") == say(said, "fr"), code


def test_a_card_not_understood_records_codes_and_english() -> None:
    note = RawNote(
        id="n1",
        text="Charte",
        source="t.csv",
        location="row 3",
        metadata={"Impact": "très", "Faisabilité": "7", "Votes": "beaucoup"},
    )
    card = _card(note, None, set())
    assert [s.code for s in card.unread] == ["not_votes", "not_a_score_word", "score_out_of_range"]
    assert card.problems[2] == "Feasibility: “7” is not a score from 1 to 5"
    assert card.problems == [english([s]) for s in card.unread]
    assert all("«" in p for p in problems_shown(card, "fr"))
    assert problems_shown(card, "de")[0] == "Stimmen: „beaucoup“ ist keine Anzahl von Stimmen"


def test_what_the_review_did_and_decisions_that_no_longer_apply_are_said_in_each_language() -> None:
    plan = ActionPlan(
        workshop="w",
        language="fr",
        run_dir="r",
        challenges=[Challenge(id="B1", title="t", question="")],
        cards=[ActionCard(id=i, source="s", location="row 2", text=i) for i in ("a", "b")],
        attachments=[
            CardAttachment(card_id=i, challenge_id=None, by=AttachedBy.NONE) for i in ("a", "b")
        ],
        actions=[Action(id=f"A0{n}", text=i, challenge_id=None, card_ids=[i])
                 for n, i in enumerate(("a", "b"), 1)],
    )  # fmt: skip
    decisions = [
        Day2Decision(kind=Day2DecisionKind.MOVE, card_id="a", target="B1"),
        Day2Decision(kind=Day2DecisionKind.MERGE, card_id="a", card_ids=["b"]),
        Day2Decision(kind=Day2DecisionKind.REJECT, card_id="gone"),
        Day2Decision(kind=Day2DecisionKind.MOVE, card_id="a", target="B9"),
    ]
    logged = [
        LoggedDecision(seq=n, who="ana", at="2026-12-06T10:00:00+00:00", decision=d)
        for n, d in enumerate(decisions, 1)
    ]
    reviewed, stale = apply_decisions(plan, logged)
    by_card = {a.card_id: a for a in reviewed.attachments}
    assert by_card["a"].reason == "moved to B1 in review"
    assert reason_shown(by_card["a"], "fr") == "déplacée vers le défi B1 en revue"
    assert reason_shown(by_card["b"], "nl") == "bij de review samengevoegd door ana"
    assert [english([s]) for s in stale] == [
        "rejection by ana: card gone is no longer read",
        "move by ana: challenge B9 is not in this plan",
    ]
    assert [_flat(say(s, "fr")) for s in stale] == [
        "mise à l’écart par ana : la carte gone n’est plus lue",
        "déplacement par ana : le défi B9 n’est pas dans ce plan",
    ]
    assert (
        say(stale[1], "de") == "Verschiebung von ana: Herausforderung B9 ist nicht in diesem Plan"
    )


def test_scores_are_written_as_the_language_writes_numbers() -> None:
    from pipeline.day2.write import score

    assert score(4.5, "fr") == "4,5/5" and score(4.5, "en") == "4.5/5"
    assert score(4.0, "de") == "4/5" and score(5, "nl") == "5/5"
