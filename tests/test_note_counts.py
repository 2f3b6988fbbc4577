"""A theme's "12 notes" counts notes: the ideas split out of one note count once, on every
page (report, Markdown, review app, themes.csv, console), and the ideas are said beside
when they are more."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient

from pipeline.config import ClusterConfig, DescribeConfig
from pipeline.describe import describe_themes
from pipeline.report import write_run
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.review.app import create_app
from pipeline.run import group_themes
from pipeline.schema import Note, RunResult, count_notes
from tests.factories import build_run_result, ids


def _note(id: str, parent: str | None = None, lang: str = "fr") -> Note:
    return Note(
        id=id, text="x", original_text="", source="s", location="l", parent_id=parent, lang=lang
    )


def test_ideas_of_one_note_count_once() -> None:
    parent_of = {"a-1": "a", "a-2": "a", "b-1": "b"}
    assert count_notes(["a-1", "a-2", "c"], parent_of) == 2
    assert count_notes(["a-1", "b-1", "c", "d"], parent_of) == 4
    assert count_notes([], parent_of) == 0


def test_themes_and_challenges_know_the_notes_behind_their_ideas() -> None:
    notes = [_note("a-1", "a"), _note("a-2", "a"), _note("a-3", "a"), _note("b", lang="nl")]
    notes += [_note("c"), _note("d"), _note("e")]
    labels = [0, 0, 0, 0, 1, 1, 1]
    embeddings = np.eye(len(notes), dtype=np.float32)
    themes = describe_themes(notes, labels, embeddings, DescribeConfig())
    assert [(t.size, t.note_count) for t in themes] == [(4, 2), (3, 3)]
    # Its languages count notes too: "2 notes · fr 1, nl 1", not "fr 3, nl 1".
    assert themes[0].languages == {"fr": 1, "nl": 1}
    _, broad = group_themes(notes, labels, embeddings, themes, ClusterConfig(), DescribeConfig())
    assert sorted((b.size, b.note_count) for b in broad) == [(3, 3), (4, 2)]
    # A run written before the count was recorded says its ideas, as it did.
    old = themes[0].model_copy(update={"notes_behind": None})
    assert old.note_count == old.size == 4


def _split_into_one_theme() -> RunResult:
    """The fixture run with both ideas of its split note in theme t2."""
    run = build_run_result()
    k = ids()
    moved = k["split_benches"]
    notes = [n.model_copy(update={"theme_id": "t2"}) if n.id == moved else n for n in run.notes]
    parent_of = {n.id: n.parent_id for n in notes if n.parent_id}
    themes = []
    for theme in run.themes:
        note_ids = [*theme.note_ids, moved] if theme.id == "t2" else theme.note_ids
        themes.append(
            theme.model_copy(
                update={
                    "note_ids": note_ids,
                    "size": len(note_ids),
                    "notes_behind": count_notes(note_ids, parent_of),
                }
            )
        )
    return run.model_copy(update={"notes": notes, "themes": themes})


def test_the_reports_count_notes_and_say_the_ideas_beside() -> None:
    run = _split_into_one_theme()
    t2 = next(t for t in run.themes if t.id == "t2")
    assert t2.size == t2.note_count + 1
    html = render_html(run)
    # The table of contents counts notes …
    toc = html.split('href="#theme-t2"')[1].split("</li>")[0]
    assert f'<span class="count">{t2.note_count} notes</span>' in toc, toc
    # … so does the theme's header, and the list of its ideas says both.
    section = html.split('id="theme-t2"')[1].split("</section>")[0]
    assert f"<strong>{t2.note_count}</strong> notes" in section, section
    assert f"({t2.note_count}; {t2.size} idées)" in section, section  # a French run
    # The map, whose dots are ideas, says so beside each theme (a reader compared its bare
    # count with the table of contents' notes).
    legend = html.split('class="legend"')[1].split("</ul>")[0]
    assert f'<span class="count">({t2.size} idées)</span>' in legend, legend
    # A theme whose notes were not split says its notes alone.
    t3 = next(t for t in run.themes if t.id == "t3")
    other = html.split('id="theme-t3"')[1].split("</section>")[0]
    assert f"({t3.note_count})" in other and "idées)" not in other
    markdown = render_markdown(run).split("\n")
    (line,) = [x for x in markdown if x.startswith("- t2 ·")]
    assert f"({t2.note_count} notes)" in line, line
    assert f"### Toutes les notes ({t2.note_count}; {t2.size} idées)" in markdown


def test_the_review_app_and_themes_csv_count_notes(tmp_path: Path) -> None:
    run = _split_into_one_theme()
    t2 = next(t for t in run.themes if t.id == "t2")
    folder = tmp_path / "atelier" / "20250314T093205Z"
    write_run(run, folder)
    client = TestClient(create_app(folder, ui_lang="en"), base_url="http://127.0.0.1:8765")
    index = client.get("/").text
    row = index.split('id="row-t2"')[1].split("</tr>")[0]
    assert f'<td class="num-cell">{t2.note_count}</td>' in row, row
    # The language counts beside it add up to it.
    counted = [int(n) for n in re.findall(r"</abbr> (\d+)</span>", row)]
    assert sum(counted) == t2.note_count, row
    page = client.get("/themes/t2").text
    assert f"<span>{t2.note_count} notes</span>" in page
    assert f"Notes ({t2.note_count}; {t2.size} ideas)" in page
    rows = {
        r["theme_id"]: r for r in csv.DictReader(io.StringIO(client.get("/export/themes.csv").text))
    }
    assert (rows["t2"]["size"], rows["t2"]["notes"]) == (str(t2.size), str(t2.note_count))
    t1 = next(t for t in run.themes if t.id == "t1")
    assert rows["t1"]["size"] == rows["t1"]["notes"] == str(t1.size)


def test_a_challenge_says_why_its_themes_count_more_notes_than_it_does() -> None:
    """ "52 notes in 3 themes" over themes of 21, 20 and 12 read as a miscount: a note whose
    ideas sit in two of its themes counts in each and once in the challenge, and the report
    says so where it happens."""
    from tests.test_review_challenges import challenge_run

    run = challenge_run()
    fine = [t for t in run.themes if t.parent_id == "B1"]
    together = sum(t.note_count for t in fine) - 1
    run.broad_themes = [
        b.model_copy(update={"notes_behind": together}) if b.id == "B1" else b
        for b in run.broad_themes
    ]
    html = render_html(run)
    b1_head = html.split('id="theme-B1-heading"')[1].split("</p>")[0]
    assert f"<strong>{together}</strong>" in b1_head
    assert "1 note a des idées dans deux d’entre eux" in b1_head, b1_head  # a French run
    b2_head = html.split('id="theme-B2-heading"')[1].split("</p>")[0]
    assert "d’entre eux" not in b2_head
    markdown = render_markdown(run)
    assert "1 note a des idées dans deux d’entre eux" in markdown
