"""The review app's Day 2 page (``/day2``): the actions per challenge, with a form for each
decision (rename, edit, move, merge, approve, reject, undo).

Each decision is appended to ``day2/decisions.sqlite`` (``pipeline.day2.review``) and the
plan's files are written again from ``day2/plan.json`` with every decision applied, as the
theme review rewrites the report. Forms go through the app's own guard (size, CSRF token),
like every other form of the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from pipeline.day2.review import (
    DECISIONS_DB,
    UNATTACHED,
    Day2Decision,
    Day2DecisionKind,
    Day2Log,
    Day2LogError,
    effective,
)
from pipeline.day2.step import DAY2_DIR, PLAN_JSON, Day2Snapshot, reviewed_plan, write_plan
from pipeline.day2.words import (
    PLAN_LANGUAGES,
    day2_command,
    plan_words,
    review_words,
    say,
)
from pipeline.day2.write import ACTION_PLAN_HTML, CSP, build_view
from pipeline.report.html import template_environment

Page = Callable[..., HTMLResponse]
FormCheck = Callable[[Request], Awaitable[dict[str, list[str]] | Response]]
REVIEWER_COOKIE = "ideasynth_reviewer"


def load_snapshot(out: Path) -> Day2Snapshot | None:
    path = out / PLAN_JSON
    if not path.is_file():
        return None
    try:
        return Day2Snapshot.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        return None


def add_day2_routes(app: FastAPI, run_dir: Path, page: Page, checked_form: FormCheck) -> None:
    out = Path(run_dir) / DAY2_DIR
    template_environment().globals["day2_nav"] = {
        lang: plan_words(lang).title for lang in PLAN_LANGUAGES
    }
    every_review_words = {lang: review_words(lang) for lang in PLAN_LANGUAGES}
    commands = {lang: day2_command(run_dir, lang) for lang in PLAN_LANGUAGES}

    @app.get("/day2/plan.html", response_class=HTMLResponse)
    def day2_plan() -> Response:
        path = out / ACTION_PLAN_HTML
        if not path.is_file():
            return Response("no action plan", status_code=404, media_type="text/plain")
        return HTMLResponse(
            path.read_text(encoding="utf-8"), headers={"Content-Security-Policy": CSP}
        )

    @app.get("/day2", response_class=HTMLResponse)
    def day2_page(request: Request) -> HTMLResponse:
        snapshot = load_snapshot(out)
        if snapshot is None:
            return page(
                request,
                "day2.html.j2",
                day2=None,
                rw=None,
                rw_all=every_review_words,
                day2_commands=commands,
            )
        plan, stale = reviewed_plan(out, snapshot)
        decisions = Day2Log(out / DECISIONS_DB).read()
        return page(
            request,
            "day2.html.j2",
            day2=build_view(plan),
            dw=plan_words(plan.language),
            rw=review_words(plan.language),
            rw_all=every_review_words,
            decisions=effective(decisions),
            stale=[say(said, plan.language) for said in stale],
            unattached=UNATTACHED,
        )

    @app.post("/day2/act")
    async def day2_act(request: Request) -> Response:
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        snapshot = load_snapshot(out)
        if snapshot is None:
            return Response("no action plan", status_code=404, media_type="text/plain")

        def one(key: str) -> str | None:
            values = form.get(key) or []
            return values[0].strip() if values else None

        fields: dict[str, Any] = {"kind": one("kind"), "card_id": one("card_id") or ""}
        for key in ("target", "text", "owner", "when", "cost"):
            if one(key) is not None:
                fields[key] = one(key)
        if one("other"):
            fields["card_ids"] = [one("other")]
        try:
            decision = Day2Decision.model_validate(fields)
        except ValidationError:
            return Response("not a Day 2 decision", status_code=400, media_type="text/plain")
        known = {c.id for c in snapshot.plan.cards}
        if decision.kind is not Day2DecisionKind.UNDO and decision.card_id not in known:
            return Response("no such card", status_code=422, media_type="text/plain")
        who = request.cookies.get(REVIEWER_COOKIE, "") or "analyst"
        try:
            logged = Day2Log(out / DECISIONS_DB).append(decision, who)
        except Day2LogError as exc:
            return Response(str(exc), status_code=500, media_type="text/plain")
        plan, _ = reviewed_plan(out, snapshot)
        write_plan(out, plan, snapshot.read)
        anchor = f"#card-{decision.card_id}" if decision.card_id else ""
        return RedirectResponse(f"/day2?done={logged.seq}{anchor}", status_code=303)
