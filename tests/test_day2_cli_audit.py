"""Defects two audits found in the Day 2 plan and the command line, on real files, real
processes and real sockets."""

from __future__ import annotations

from pipeline.day2.attach import ChallengeSpace, attach_cards
from pipeline.day2.shapes import ActionCard, AttachedBy, Challenge
from pipeline.day2.words import reason_shown


def test_a_number_naming_no_challenge_attaches_nothing_and_the_card_says_so() -> None:
    """"7" on a run with three challenges: never read as the nearest one."""
    from pipeline.config import EmbedConfig
    from pipeline.embed.for_run import run_embedder

    embed = run_embedder(EmbedConfig()).embed
    challenges = [
        Challenge(id="B1", title="Public transport in the evening", question=""),
        Challenge(id="B2", title="Translate the invitations into every language", question=""),
        Challenge(id="B3", title="Taxes on wealth", question=""),
    ]
    space = ChallengeSpace(challenges, {}, embed)
    cards = [
        ActionCard(id="c1", source="s", location="row 2", text="Tax great wealth", challenge_ref="7"),
        ActionCard(id="c2", source="s", location="row 3", text="Tax great wealth", challenge_ref="3"),
    ]
    unknown, known = attach_cards(cards, space)
    assert (unknown.challenge_id, unknown.by) == (None, AttachedBy.NONE)
    assert (known.challenge_id, known.by) == ("B3", AttachedBy.ID)
    assert unknown.reason.startswith("“7” names no challenge of this run")
    # The card says why, in the plan's language, and which challenge its action is nearest.
    shown = reason_shown(unknown, "fr")
    assert "«\xa07\xa0» ne désigne aucun défi" in shown and "B3" in shown
