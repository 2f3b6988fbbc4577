"""Reports show broad themes as headings over the fine themes they group."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.report import write_run
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.report.view import build_view
from pipeline.schema import RunResult, Theme
from tests.factories import build_run_result


def with_broad_themes() -> RunResult:
    """The factory run with t1 and t3 under B1 and t2 under B2."""
    result = build_run_result()
    parent = {"t1": "B1", "t2": "B2", "t3": "B1"}
    fine = [t.model_copy(update={"parent_id": parent[t.id]}) for t in result.themes]

    def broad(bid: str, label: str) -> Theme:
        members = [t for t in fine if t.parent_id == bid]
        ids = [nid for t in members for nid in t.note_ids]
        return Theme(
            id=bid,
            label=label,
            note_ids=ids,
            size=len(ids),
            languages={"fr": len(ids)},
            keyphrases=[label],
            representative_ids=ids[:2],
        )

    broad_themes = [broad("B1", "mobility and information"), broad("B2", "greenery")]
    return result.model_copy(update={"themes": fine, "broad_themes": broad_themes})


def test_view_groups_fine_themes_under_their_broad_theme():
    view = build_view(with_broad_themes())
    assert [tv.theme.id for tv in view.themes] == ["t1", "t3", "t2"]
    assert [tv.starts.theme.id if tv.starts else None for tv in view.themes] == ["B1", None, "B2"]
    assert [bv.fine for bv in view.broad] == [["t1", "t3"], ["t2"]]
    assert view.themes[0].parent is not None and view.themes[0].parent.href == "#theme-B1"


def test_markdown_and_html_show_both_levels():
    result = with_broad_themes()
    markdown = render_markdown(result)
    # The factory's run is French: so are the report's own words.
    assert "## Défi B1\u00a0: mobility and information" in markdown
    assert markdown.index("Défi B1") < markdown.index("Défi B2")
    assert "- **B2 · greenery**" in markdown
    html = render_html(result)
    assert 'id="theme-B1"' in html and 'class="toc-broad"' in html
    assert html.index('id="theme-B2"') < html.index('id="theme-t2"')


def test_broad_themes_json_is_written_and_themes_json_keeps_fine_themes(tmp_path: Path):
    written = write_run(with_broad_themes(), tmp_path)
    broad = json.loads(written["broad_themes.json"].read_text(encoding="utf-8"))
    fine = json.loads(written["themes.json"].read_text(encoding="utf-8"))
    assert [b["id"] for b in broad] == ["B1", "B2"]
    assert {t["id"]: t["parent_id"] for t in fine} == {"t1": "B1", "t2": "B2", "t3": "B1"}


def test_runs_without_broad_themes_render_as_before():
    result = build_run_result()
    assert build_view(result).broad == []
    assert "## Défi" not in render_markdown(result)


def test_a_challenge_of_one_theme_shows_its_draft_once():
    """B2 gathers t2 alone and reads as t2's draft: both reports show it once, under the
    challenge, and the theme says where it is; B1's two themes keep their own drafts."""
    from markupsafe import escape

    from pipeline.schema import DraftLevel

    result = with_broad_themes()
    facet = next(d for d in result.drafts if d.theme_id == "t2")
    challenge = facet.model_copy(update={"theme_id": "B2", "level": DraftLevel.CHALLENGE})
    result = result.model_copy(update={"drafts": [*result.drafts, challenge]})
    view = build_view(result)
    shown = {tv.theme.id: tv for tv in view.themes}
    assert shown["t2"].drafts == [] and shown["t2"].draft_shown_above
    assert shown["t1"].drafts and not shown["t1"].draft_shown_above
    html = render_html(result)
    assert html.count(str(escape(facet.challenge.text))) == 1
    assert "sa proposition est celle du défi, ci-dessus" in html
    markdown = render_markdown(result)
    assert markdown.count(facet.title.text) == 1
    assert "sa proposition est celle du défi, ci-dessus" in markdown
    # An edited facet no longer reads as its challenge: both are shown.
    edited = facet.model_copy(update={"title": facet.title.model_copy(update={"text": "Autre"})})
    drafts = [edited if d is facet else d for d in result.drafts]
    again = build_view(result.model_copy(update={"drafts": drafts}))
    assert next(tv for tv in again.themes if tv.theme.id == "t2").drafts


def test_the_review_index_shows_a_challenges_own_flags(tmp_path):
    """A challenge of several themes shows its draft's flags in the review's table of
    challenges, as the report and its own page do (only a one-theme challenge's were)."""
    from fastapi.testclient import TestClient

    from pipeline.report import write_run
    from pipeline.review.app import create_app
    from pipeline.schema import DraftLevel

    result = with_broad_themes()
    facet = next(d for d in result.drafts if d.theme_id == "t1")
    flag = "the question speaks for one note: check it when reviewing"
    challenge = facet.model_copy(
        update={"theme_id": "B1", "level": DraftLevel.CHALLENGE, "flags": [flag]}
    )
    result = result.model_copy(update={"drafts": [*result.drafts, challenge]})
    folder = tmp_path / "atelier" / "20250314T093205Z"
    write_run(result, folder)
    client = TestClient(create_app(folder, ui_lang="en"), base_url="http://127.0.0.1:8765")
    row = client.get("/").text.split('id="row-B1"')[1].split("</tr>")[0]
    assert flag in row, row
