"""The review web app: server-rendered pages over one run folder and its decision log.

Every page is rendered by Jinja with autoescaping, so a note is always text. Pages carry a
Content-Security-Policy that allows no script and no third-party anything, forms post only to
the app, and the app serves a fixed set of routes: the only files it reads are the run's own,
by name, after checking that the resolved path is still inside the run folder.

Security model: bound to 127.0.0.1 by default; any other address requires a token, which a
browser presents once (``?token=…``) and then as an HttpOnly, SameSite=Strict cookie. Tokens are
compared as bytes, so any token, ASCII or not, is either right (200) or wrong (401).

Cross-site requests: on loopback the browser holds no credential a foreign page lacks, so
every state-changing request (every POST) must carry the per-session CSRF token that each form
holds; the token is an HMAC, under a secret made when the app starts, of the session cookie
(HttpOnly, SameSite=Strict), which a foreign page can neither read nor send. A POST whose
``Origin`` is foreign or ``null`` (a sandboxed frame, a ``data:`` page) or whose
``Sec-Fetch-Site`` says cross-site is refused before the token is even looked at. Request
bodies are read as a stream and refused past ``MAX_FORM_BYTES``, so a huge POST never sits in
memory.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import ValidationError
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from pipeline.i18n import N_, SaidError
from pipeline.report.html import (
    STYLESHEET,
    content_security_policy,
    stylesheet,
    template_environment,
)
from pipeline.report.view import MAX_INLINE_REJECTED, rejected_items
from pipeline.report.writer import RUN_FILES
from pipeline.review.actions import (
    NotApplicable,
    ReviewState,
    apply_action,
    fresh_theme_id,
    full_sentence,
    names_apart,
    redraft,
    replay,
    run_languages,
    shown_name,
    shown_title,
    standing,
)
from pipeline.review.export import (
    HANDOUT_DOCX,
    HANDOUT_MD,
    NOTES_CSV,
    THEMES_CSV,
    export_all,
    refresh_report,
)
from pipeline.review.interface import UiText, choose_language
from pipeline.review.matching import ids_in_log
from pipeline.review.reviewed import reviewed_result
from pipeline.review.rundir import (
    CARRIED_JSON,
    DECISIONS_DB,
    NOTES_PARQUET,
    RunFolderError,
    load_notes,
    load_run,
    read_json,
)
from pipeline.review.store import DecisionLog, DecisionLogError, StaleVersion
from pipeline.safe_text import one_line
from pipeline.schema import (
    UNASSIGNED,
    ActionKind,
    Decision,
    NoteStatus,
    ReviewAction,
    RunResult,
    languages_of,
)

REPORT_JS = Path(__file__).parents[1] / "report" / "templates" / "report.js"
MAX_FORM_BYTES = 1_000_000
REPRESENTATIVES_SHOWN = 3
"""Notes of each theme a challenge's page shows: enough to tell what the theme is about
beside its question, few enough that eight themes fit one page."""
TOKEN_COOKIE = "ideasynth_token"
SESSION_COOKIE = "ideasynth_session"
CSRF_FIELD = "csrf"
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{32,64}")
REVIEWER_COOKIE = "ideasynth_reviewer"
REVIEWER_MAX_AGE = 365 * 24 * 3600
"""The reviewer's name outlives the browser (a year): a reviewer who closes the browser and
comes back the next day is still logged under their own name."""
DEFAULT_REVIEWER = "analyst"

PAGE_CSP = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
"""No script at all: the app works with plain links and forms."""

EXPORT_TYPES = {
    HANDOUT_DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    HANDOUT_MD: "text/markdown; charset=utf-8",
    THEMES_CSV: "text/csv; charset=utf-8",
    NOTES_CSV: "text/csv; charset=utf-8",
}
FILE_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".parquet": "application/vnd.apache.parquet",
}

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(host: str) -> str:
    """``127.0.0.1`` from ``127.0.0.1:8765``, ``::1`` from ``[::1]:8765``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _as_bytes(text: str) -> bytes:
    """Any ``str`` as bytes, never an exception (lone surrogates included)."""
    return text.encode("utf-8", "surrogatepass")


def same_bytes(offered: str, expected: str) -> bool:
    """Constant-time comparison of two strings as bytes: non-ASCII never raises."""
    return hmac.compare_digest(_as_bytes(offered), _as_bytes(expected))


def token_cookie_value(token: str) -> str:
    """What the token cookie holds: a digest of the token, ASCII whatever the token is."""
    return hashlib.sha256(_as_bytes(token)).hexdigest()


class CsrfGuard:
    """Per-session CSRF tokens: an HMAC of the session id under a secret made at start-up."""

    def __init__(self) -> None:
        self.secret = secrets.token_bytes(32)

    def token_for(self, session: str) -> str:
        return hmac.new(self.secret, _as_bytes(session), hashlib.sha256).hexdigest()

    def valid(self, session: str, offered: str) -> bool:
        return same_bytes(offered, self.token_for(session))


def session_of(request: Request) -> str:
    """The session id the middleware put on the request (from its cookie, or new)."""
    return str(getattr(request.state, "session", ""))


def cross_site_reason(request: Request) -> str | None:
    """Why a state-changing request is refused before its form is read, or ``None``."""
    origin = request.headers.get("origin")
    if origin is not None and (
        origin == "null" or urlsplit(origin).netloc != request.headers.get("host")
    ):
        return "Cross-site form refused."
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return "Cross-site form refused."
    return None


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The request body, or ``None`` as soon as it is known to exceed ``limit`` bytes: a
    declared length is checked before reading, a streamed one chunk by chunk."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class SecurityHeaders(BaseHTTPMiddleware):
    """Token check (when set), same-origin posts, the session cookie, and the security
    headers on every reply."""

    def __init__(self, app: Any, token: str | None, text: UiText | None = None) -> None:
        super().__init__(app)
        self.token = token
        self.text = text or UiText("en")

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        session = request.cookies.get(SESSION_COOKIE, "")
        new_session = not _SESSION_ID.fullmatch(session)
        if new_session:
            session = secrets.token_urlsafe(32)
        request.state.session = session
        response = await self._checked(request, call_next)
        if new_session:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", path="/")
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        # "same-origin", not "no-referrer": under no-referrer the browser sends the app's own
        # form posts with ``Origin: null``, which would be indistinguishable from a
        # sandboxed frame's; nothing is sent to other origins either way.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response

    async def _checked(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if not self.token and not is_loopback(_host_name(request.headers.get("host", ""))):
            # Without a token only loopback names are served: a page elsewhere that points its
            # own domain at 127.0.0.1 (DNS rebinding) cannot read the app.
            return HTMLResponse(self.text.gettext("Unexpected Host header."), status_code=403)
        if self.token:
            offered = request.query_params.get("token")
            if offered is not None and same_bytes(offered, self.token):
                response = RedirectResponse(request.url.path, status_code=303)
                response.set_cookie(
                    TOKEN_COOKIE,
                    token_cookie_value(self.token),
                    httponly=True,
                    samesite="strict",
                    path="/",
                )
                return response
            cookie = request.cookies.get(TOKEN_COOKIE, "")
            if not same_bytes(cookie, token_cookie_value(self.token)):
                return HTMLResponse(
                    _short_page(
                        self.text,
                        self.text.gettext("Token needed"),
                        escape(
                            self.text.gettext(
                                "This review server needs its token: "
                                "open the link that %(command)s printed.",
                                command="{command}",
                            )
                        ).format(command=Markup("<code>ideasynth review</code>")),
                    ),
                    status_code=401,
                )
        unsafe = request.method not in ("GET", "HEAD")
        if unsafe and cross_site_reason(request) is not None:
            page = _short_page(
                self.text,
                self.text.gettext("Form refused"),
                self.text.gettext("Cross-site form refused."),
            )
            return HTMLResponse(page, status_code=403)
        return await call_next(request)


class Review:
    """One run folder under review: its data loaded once, the log read on every request."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = Path(run_dir).resolve()
        self.run = load_run(self.run_dir)
        self.log = DecisionLog(self.run_dir / DECISIONS_DB)
        self.notes = {n.id: n for n in self.run.notes}
        self._late: frozenset[str] | None = None

    def state(self) -> tuple[list[Decision], ReviewState]:
        decisions = self.log.read()
        return decisions, replay(self.run, decisions)

    def lang_counts(self, note_ids: list[str]) -> list[tuple[str, int]]:
        """The notes of each language behind ``note_ids`` (ideas), a split note once."""
        counts = languages_of(self.notes[i] for i in note_ids if i in self.notes)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def carried(self) -> dict[str, Any] | None:
        """What this run took over from the previous one (``review_carry.json``), if any."""
        path = self.run_dir / CARRIED_JSON
        if not path.is_file():
            return None
        data = read_json(path)
        if not isinstance(data, dict):
            return None
        try:
            return {
                "previous_run": data.get("previous_run"),
                "reapplied": [Decision.model_validate(d) for d in data.get("reapplied", [])],
                "no_longer_apply": [
                    (Decision.model_validate(d), str(d.get("reason", "")))
                    for d in data.get("no_longer_apply", [])
                ],
            }
        except ValidationError:
            return None

    def late_notes(self) -> frozenset[str]:
        """The notes of this run that the previous one did not have (notes added to the
        input since: "late notes"); none when this run carried nothing over, or when the
        previous run folder cannot be read. Read once: a run folder does not change."""
        if self._late is None:
            self._late = frozenset()
            carried = self.carried()
            previous = carried and carried.get("previous_run")
            if isinstance(previous, str) and previous:
                # Recorded as the re-run was given it (often relative): the run folder's
                # sibling of that name, else the path itself.
                for folder in (self.run_dir.parent / Path(previous).name, Path(previous)):
                    try:
                        before = {n.id for n in load_notes(folder / NOTES_PARQUET)}
                    except (RunFolderError, OSError, ValueError):
                        continue
                    self._late = frozenset(
                        n.id
                        for n in self.run.notes
                        if n.status is NoteStatus.ACTIVE and n.id not in before
                    )
                    break
        return self._late

    def submit(self, action: ReviewAction, who: str, version: int) -> Decision:
        """Check the action against the state at ``version`` and append it, or raise."""
        decisions = self.log.read()
        current = decisions[-1].seq if decisions else 0
        if version != current:
            newer = [d for d in decisions if d.seq > version]
            raise StaleVersion(self.log.path, version, current, newer)
        state = replay(self.run, decisions)
        if action.kind is ActionKind.UNDO:
            if not standing(decisions)[0]:
                raise NotApplicable("there is nothing to undo")
        else:
            if action.kind is ActionKind.SPLIT:
                taken = {t.id for t in self.run.themes} | state.used_ids()
                action.new_theme_id = fresh_theme_id(taken | ids_in_log(decisions))
                action.label = (action.label or "").strip() or None
            if action.kind is ActionKind.ADOPT and action.challenge is not None:
                # The title the question is adopted under, which a re-run restores.
                under = shown_title(state, action.theme_id or "")
                action.under_title = action.under_title or under
            apply_action(state, action, who=who, at="")
            if action.kind is ActionKind.SPLIT and not action.label:
                # Split without a name: the name the new theme is shown by (its draft's
                # title) is the one the log records, so that the history quotes it.
                new = state.themes[action.new_theme_id or ""]
                redraft(state, new.id)
                names_apart(state)  # not the name of the theme it was split from
                action.label = shown_name(state, new)
        decision = self.log.append(action, who, version, run_id=self.run.manifest.run_id)
        try:
            refresh_report(self.run_dir, self.run, replay(self.run, self.log.read()))
        except Exception as exc:  # the decision is saved; a stale report must not hide that
            log.warning("report.html not refreshed: %s", one_line(str(exc)))
        return decision

    def safe_file(self, name: str) -> Path | None:
        """A run file by name, only if it is one of the run's own and resolves inside it."""
        if name not in RUN_FILES:
            return None
        path = (self.run_dir / name).resolve()
        if not path.is_relative_to(self.run_dir) or not path.is_file():
            return None
        return path


def _action_from_form(form: dict[str, list[str]]) -> ReviewAction:
    def one(key: str) -> str | None:
        values = form.get(key)
        return values[0] if values else None

    op = one("op") or ""
    try:
        kind = ActionKind(op)
    except ValueError:
        raise NotApplicable(f"unknown action {op!r}") from None
    proposal = [line.strip() for line in (one("proposal") or "").splitlines() if line.strip()]
    themes = form.get("theme", [])
    into = one("into")
    if kind is ActionKind.MERGE:
        # Two themes or more, into one of them the analyst chose: never a default target.
        themes = list(dict.fromkeys(themes))
        if len(themes) < 2:
            raise NotApplicable("choose at least two themes to merge")
        if not into:
            raise NotApplicable("choose which of the ticked themes to merge them into")
        if into not in themes:
            raise NotApplicable(f"merge the ticked themes into one of them: {into} is not ticked")
        themes = [into, *[t for t in themes if t != into]]
    return ReviewAction(
        kind=kind,
        theme_id=one("theme_id"),
        theme_ids=themes,
        note_ids=form.get("note", []),
        target=one("target"),
        label=one("label"),
        title=one("title"),
        challenge=one("challenge"),
        proposal=proposal,
        text=one("text"),
    )


def _short_page(
    text: UiText, title: str, body: str, heading: str | None = None, alert: bool = False
) -> str:
    """A page of its own, in the app's language, for replies made before any template
    (refusals, the decision log's errors): ``body`` is escaped unless it is ``Markup``."""
    role = " role='alert'" if alert else ""
    return (
        f"<!DOCTYPE html><html lang='{text.lang}'><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><h1>{escape(heading or title)}</h1>"
        f"<p{role}>{escape(body)}</p></html>"
    )


def _plain_error(message: str, text: UiText | None = None) -> str:
    """A page for when the log itself cannot be read or written (no template state needed)."""
    text = text or UiText("en")
    return _short_page(
        text,
        text.gettext("Decision log error"),
        message,
        text.gettext("The decision log cannot be used"),
        alert=True,
    )


def sentence(text: str) -> str:
    """``text`` with a capital letter, as a message of its own."""
    return text[:1].upper() + text[1:]


def _safe_back(value: str | None) -> str:
    """Only a path of this app: never an absolute URL (no open redirect)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def warm_up(run: RunResult) -> None:
    """Make ready, while the reviewer reads the first page, what the first merge, split or
    move needs to draft the changed theme again: the run's drafter and the language
    pipeline of its notes (loading it takes seconds, which the reviewer would otherwise wait
    through after clicking). A failure here only means the first change waits for it."""
    from pipeline.nlp import get_nlp
    from pipeline.review.redraft import review_drafter

    try:
        review_drafter(run)
        for lang in dict.fromkeys(run_languages(run)):
            get_nlp(lang)
    except Exception as exc:  # never take the server down: drafting loads it when needed
        log.info("warming up the review's drafter: %s", one_line(str(exc)))


def grown_units(state: ReviewState, late: frozenset[str]) -> list[tuple[str, int, int]]:
    """The challenges and themes late notes joined, challenges first: (id, notes without
    them, notes now). An approved one among them was approved on fewer notes. A theme that
    is its challenge's only one is not listed twice."""
    out = []
    for unit in [*state.challenges.values(), *state.themes.values()]:
        if unit.id in state.themes and len(state.facets(unit.parent_id or "")) == 1:
            continue  # its challenge's line says it: the same notes
        joined = sum(1 for n in unit.note_ids if n in late)
        if joined:
            out.append((unit.id, unit.size - joined, unit.size))
    return out


def one_theme_challenges(state: ReviewState) -> dict[str, str]:
    """Each challenge that holds one theme, and that theme: {challenge id: theme id}. The
    home page lists such a challenge once ("B7 = T18"), in the challenges' table: its notes,
    its draft and its state are its theme's, and two rows saying the same read as two
    units (the console's table says it the same way)."""
    out = {}
    for challenge in state.challenges.values():
        facets = state.facets(challenge.id)
        if len(facets) == 1:
            out[challenge.id] = facets[0].id
    return out


NEEDS_TOKEN = N_("listening on %(host)s needs a token (--token)")


class ReviewAppError(SaidError):
    """The review app cannot be made as asked (an address beyond loopback without a
    token); one line for people, said in their language (``SaidError``)."""


def create_app(
    run_dir: Path,
    host: str = "127.0.0.1",
    token: str | None = None,
    ui_lang: str | None = None,
) -> FastAPI:
    """The app for one run folder, in the run's language or ``ui_lang`` (fr, nl, de, en).
    Refuses a non-loopback ``host`` without a token."""
    if not is_loopback(host) and not token:
        raise ReviewAppError(NEEDS_TOKEN, {"host": host})
    review = Review(run_dir)
    text = UiText(choose_language(review.run, ui_lang))
    env = template_environment()
    set_aside = rejected_items(review.run)
    guard = CsrfGuard()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=warm_up, args=(review.run,), daemon=True).start()
        yield

    app = FastAPI(
        title=text.gettext("ideasynth review"),
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.add_middleware(SecurityHeaders, token=token, text=text)
    app.state.review = review

    async def checked_form(request: Request) -> dict[str, list[str]] | Response:
        """The posted form, or the reply refusing it: too large (413), or without this
        session's CSRF token (403). Every POST goes through here before it changes anything."""
        body = await read_capped(request, MAX_FORM_BYTES)
        if body is None:
            return HTMLResponse(text.gettext("Too large."), status_code=413)
        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        offered = (form.get(CSRF_FIELD) or [""])[0]
        if not guard.valid(session_of(request), offered):
            reload = Markup("<a href='/'>{}</a>").format(text.gettext("reload the app"))
            return HTMLResponse(
                _short_page(
                    text,
                    text.gettext("Form refused"),
                    Markup("{} {} {}").format(
                        text.gettext(
                            "This form was not sent from this review page, or it has expired "
                            "(the server restarted). Nothing was changed:"
                        ),
                        reload,
                        text.gettext("and make your change again."),
                    ),
                ),
                status_code=403,
            )
        return form

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        decisions, state = review.state()
        stack, _ = standing(decisions)
        # One name per unit, the reports' (``reviewed_result``): the challenges' table, the
        # theme pages and the menus say what the report, the handout and themes.csv say.
        reviewed = reviewed_result(review.run, state)
        names = {u.id: u.label for u in [*reviewed.broad_themes, *reviewed.themes]}
        counted = {u.id: u.note_count for u in [*reviewed.broad_themes, *reviewed.themes]}
        shown = {d.theme_id: d for d in reviewed.drafts}
        listed: frozenset[str] = frozenset()
        if template == "theme.html.j2" and context.get("theme") is not None:
            unit = context["theme"]
            # A fine theme lists all its notes; a challenge's page only a few of each theme.
            listed = frozenset() if context.get("is_challenge") else frozenset(unit.note_ids)

        def cite_href(note_id: str) -> str | None:
            """Where a cited note is shown: here, or on the page of what holds it now."""
            if note_id in listed:
                return f"#note-{note_id}"
            where = state.theme_of(note_id)
            if where is None:
                return None
            page_of = {UNASSIGNED: "/unassigned", "noise": "/noise"}.get(where)
            return f"{page_of or '/themes/' + where}#note-{note_id}"

        html = env.get_template(template).render(
            run=review.run,
            state=state,
            cite_href=cite_href,
            name=lambda unit: names.get(unit.id, unit.label),
            # "12 notes" counts notes, as the report does: a split note's ideas once.
            notes_in=lambda unit: counted.get(unit.id, unit.size),
            shown_drafts=shown,
            notes=review.notes,
            version=decisions[-1].seq if decisions else 0,
            last=stack[-1] if stack else None,
            who=request.cookies.get(REVIEWER_COOKIE, DEFAULT_REVIEWER),
            default_reviewer=DEFAULT_REVIEWER,  # shown as an empty field, not as "analyst"
            here=request.url.path if request.method == "GET" else context.get("back", "/"),
            unassigned_id=UNASSIGNED,
            done=request.query_params.get("done"),
            lang_counts=review.lang_counts,
            rejected_count=len(set_aside),
            REPRESENTATIVES_SHOWN=REPRESENTATIVES_SHOWN,
            full=lambda sentence: full_sentence(sentence, review.notes),
            csrf=guard.token_for(session_of(request)),
            ui=text,
            gettext=text.gettext,
            ngettext=text.ngettext,
            **context,
        )
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(DecisionLogError)
    async def log_error(request: Request, exc: DecisionLogError) -> HTMLResponse:
        return HTMLResponse(_plain_error(str(exc), text), status_code=500)

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        _, state = review.state()
        return page(
            request,
            "index.html.j2",
            carried=review.carried(),
            grown=grown_units(state, review.late_notes()),
            late_unassigned=len(review.late_notes() & set(state.unassigned)),
            alone=one_theme_challenges(state),
        )

    @app.get("/themes/{theme_id}", response_class=HTMLResponse)
    def theme(request: Request, theme_id: str) -> HTMLResponse:
        _, state = review.state()
        unit = state.unit(theme_id)
        if unit is None:
            return page(
                request,
                "message.html.j2",
                status=404,
                title=text.gettext("No such theme"),
                message=text.gettext(
                    "Theme %(id)s is not in this run (merged away, or never was).", id=theme_id
                ),
            )
        challenge = theme_id in state.challenges
        # The draft as the reports show it: a rename titles it, the pipeline's beside an
        # analyst's.
        shown = {d.theme_id: d for d in reviewed_result(review.run, state).drafts}
        return page(
            request,
            "theme.html.j2",
            theme=unit,
            draft=shown.get(theme_id),
            is_challenge=challenge,
            facets=state.facets(theme_id) if challenge else [],
            part_of=state.challenges.get(unit.parent_id or ""),
        )

    @app.get("/unassigned", response_class=HTMLResponse)
    def unassigned(request: Request) -> HTMLResponse:
        _, state = review.state()
        return page(request, "notes.html.j2", kind="unassigned", ids=state.unassigned)

    @app.get("/noise", response_class=HTMLResponse)
    def noise(request: Request) -> HTMLResponse:
        _, state = review.state()
        return page(request, "notes.html.j2", kind="noise", ids=state.noise)

    @app.get("/rejected", response_class=HTMLResponse)
    def rejected(request: Request) -> HTMLResponse:
        # What preparation set aside, with its reason, as the report lists it: a reviewer
        # who misses a note finds it here, not only in the report.
        return page(
            request,
            "rejected.html.j2",
            rejected=set_aside[:MAX_INLINE_REJECTED],
            not_shown=max(0, len(set_aside) - MAX_INLINE_REJECTED),
        )

    @app.get("/history", response_class=HTMLResponse)
    def history(request: Request) -> HTMLResponse:
        decisions, _ = review.state()
        return page(request, "history.html.j2", decisions=decisions)

    @app.get(f"/static/{STYLESHEET}")
    def css() -> Response:
        return Response(stylesheet(), media_type="text/css")

    @app.post("/reviewer")
    async def reviewer(request: Request) -> Response:
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        name = " ".join((form.get("who") or [""])[0].split())[:80] or DEFAULT_REVIEWER
        response = RedirectResponse(_safe_back((form.get("back") or ["/"])[0]), status_code=303)
        response.set_cookie(
            REVIEWER_COOKIE,
            name,
            max_age=REVIEWER_MAX_AGE,
            samesite="strict",
            httponly=True,
            path="/",
        )
        return response

    @app.post("/act")
    async def act(request: Request) -> Response:
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        back = _safe_back((form.get("back") or ["/"])[0])
        who = request.cookies.get(REVIEWER_COOKIE, DEFAULT_REVIEWER)
        try:
            version = int((form.get("version") or ["x"])[0])
        except ValueError:
            return page(
                request,
                "message.html.j2",
                400,
                title=text.gettext("Bad form"),
                message=text.gettext("The form carries no version."),
            )
        try:
            action = _action_from_form(form)
            decision = review.submit(action, who, version)
        except StaleVersion as exc:
            newer = [
                text.gettext("%(what)s (%(who)s)", what=text.describe(d.action), who=d.who)
                for d in exc.newer
            ]
            return page(
                request,
                "message.html.j2",
                409,
                title=text.gettext("Someone else changed this run"),
                message=text.gettext(
                    "Your change was not saved: it was based on version %(expected)s, "
                    "and the run is now at version %(current)s. Nothing was overwritten. "
                    "Look at the changes below, then make yours again.",
                    expected=exc.expected,
                    current=exc.current,
                ),
                newer=newer,
                back=back,
            )
        except DecisionLogError as exc:
            return HTMLResponse(_plain_error(str(exc), text), status_code=500)
        except NotApplicable as exc:
            return page(
                request,
                "message.html.j2",
                422,
                title=text.gettext("That change cannot be made"),
                message=sentence(text.reason(str(exc))),
                back=back,
            )
        target = back
        if decision.action.kind is ActionKind.SPLIT:
            target = f"/themes/{decision.action.new_theme_id}"
        if decision.action.kind is ActionKind.MERGE:
            target = f"/themes/{decision.action.theme_ids[0]}"
        sep = "&" if "?" in target else "?"
        return RedirectResponse(f"{target}{sep}done={decision.seq}", status_code=303)

    @app.get("/export/{name}")
    def export(name: str) -> Response:
        if name not in EXPORT_TYPES:
            return Response(
                text.gettext("Unknown export."), status_code=404, media_type="text/plain"
            )
        path = export_all(review.run_dir)[name]
        return Response(
            path.read_bytes(),
            media_type=EXPORT_TYPES[name],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.get("/files/{name}")
    def run_file(name: str) -> Response:
        path = review.safe_file(name)
        if path is None:
            return Response(
                text.gettext("Not a file of this run."), status_code=404, media_type="text/plain"
            )
        headers = {}
        if path.suffix == ".html":
            js = REPORT_JS.read_text(encoding="utf-8") if REPORT_JS.is_file() else ""
            headers["Content-Security-Policy"] = content_security_policy(js)
        media = FILE_TYPES.get(path.suffix, "application/octet-stream")
        return Response(path.read_bytes(), media_type=media, headers=headers)

    from pipeline.day2.review_app import add_day2_routes  # the Day 2 page: actions, decisions

    add_day2_routes(app, review.run_dir, page, checked_form)
    return app


def serve(
    run_dir: Path, host: str = "127.0.0.1", port: int = 8765, token: str | None = None
) -> None:
    """Run the app until interrupted (uvicorn, quiet logs)."""
    import uvicorn

    uvicorn.run(create_app(run_dir, host, token), host=host, port=port, log_level="warning")
