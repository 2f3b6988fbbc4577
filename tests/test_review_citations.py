"""A draft's citations in the review app link to the notes they name, on a real server.

The report linked each cited note; the review app showed bare ids ("[n1eb8e63f9cee, …]"),
so an analyst checking a proposal against its notes searched the page by hand. A citation
now links to the note where the page lists it, else to the page of the theme that holds it
now (a challenge's page lists only a few notes of each theme)."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

from pipeline.report import write_run
from tests.test_review_challenges import challenge_run
from tests.test_review_security import Server


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode("utf-8"))


def test_a_drafts_citations_link_to_their_notes(tmp_path: Path) -> None:
    run = challenge_run()  # B1 holds t1 and t2; B2 holds t3 alone
    run_dir = tmp_path / "atelier" / "20250314T093205Z"
    write_run(run, run_dir)
    server = Server(run_dir, ui_lang="en")
    try:
        t1 = next(t for t in run.themes if t.id == "t1")
        page = _get(server.url + "/themes/t1")
        links = re.findall(r'<a href="(#note-[^"]+)">([^<]+)</a>', page)
        assert links, "no citation links on a theme's page"
        for href, label in links:
            assert href == f"#note-{label}" and label in t1.note_ids
            assert f'id="note-{label}"' in page  # the anchor is on the page
        # A challenge's page lists a few notes of each theme: its citations go to the
        # page of the theme that holds each note, where the note is listed.
        page = _get(server.url + "/themes/B1")
        links = re.findall(r'<a href="/themes/(t[12])#note-([^"]+)">([^<]+)</a>', page)
        assert links, "no citation links on a challenge's page"
        for theme_id, note_id, label in links:
            assert note_id == label
            theme = next(t for t in run.themes if t.id == theme_id)
            assert note_id in theme.note_ids
            assert f'id="note-{note_id}"' in _get(f"{server.url}/themes/{theme_id}")
        assert "[" + ", ".join(run.drafts[0].challenge.cites) + "]" not in page  # no bare ids
    finally:
        server.stop()
