"""Review: analysts reshape themes and approve drafts; their decisions survive re-runs.

- ``rundir``: a run folder read back into typed data.
- ``store``: the append-only decision log (``decisions.sqlite`` next to the run).
- ``actions``: pure functions from a run plus the log to the reviewed state.
- ``matching``: stable theme ids across runs, and carrying the log forward.
- ``export``: the Day 2 handout (DOCX), Markdown and CSV.
- ``app``: the local web app (``ideasynth review RUN_DIR``).
- ``interface``: the app's words (the gettext catalogues of ``pipeline.i18n``) and what it
  says about a decision, a refusal or a draft's state.
"""
