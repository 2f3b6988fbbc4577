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
    assert "## Challenge B1: mobility and information" in markdown
    assert markdown.index("Challenge B1") < markdown.index("Challenge B2")
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
    assert "## Challenge" not in render_markdown(result)
