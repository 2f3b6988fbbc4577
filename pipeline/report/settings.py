"""A run's settings as a facilitator writes them in ``ideasynth.toml``, and its drafters
as a facilitator reads them, for the report's "About this run".

``manifest.json`` keeps the settings as validated JSON (``config``, every setting with its
value, ``null`` for an unset one); the report shows them as the TOML a person would write:
sections, keys as typed, an unset setting left out. What is the run's and not a setting
(``output_language``) is not shown as one.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from pipeline.i18n import Words
from pipeline.schema import RunManifest

NOT_SETTINGS = frozenset({"output_language"})
"""What ``manifest.json`` → ``config`` records beside the settings."""
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def settings_toml(config: dict[str, Any]) -> str:
    """``config`` (``manifest.json`` → ``config``) as the text of an ``ideasynth.toml``:
    top-level settings first, then one ``[section]`` each, ``[[categories]]`` one table
    each; a setting left unset (``None``) is left out. Empty when nothing is set."""
    lines: list[str] = []
    top = {k: v for k, v in config.items() if k not in NOT_SETTINGS}
    _settings(lines, top)
    for key, value in top.items():
        if isinstance(value, dict):
            _table(lines, [key], value)
        elif _is_tables(value):
            for item in value:
                lines += ["", f"[[{_key(key)}]]"]
                _settings(lines, item)
    return "\n".join(lines).strip("\n") + "\n" if lines else ""


def _table(lines: list[str], path: list[str], values: dict[str, Any]) -> None:
    lines += ["", "[" + ".".join(_key(p) for p in path) + "]"]
    _settings(lines, values)
    for key, value in values.items():
        if isinstance(value, dict):
            _table(lines, [*path, key], value)


def _settings(lines: list[str], values: dict[str, Any]) -> None:
    """The ``key = value`` lines of ``values``' plain settings (no tables, nothing unset)."""
    for key, value in values.items():
        if value is None or isinstance(value, dict) or _is_tables(value):
            continue
        lines.append(f"{_key(key)} = {_value(value)}")


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value if v is not None) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def drafter_said(drafter: str, manifest: RunManifest, w: Words) -> str:
    """A drafter as a facilitator reads it, in ``w``'s language: "composed by rules from
    the notes, no generative model", "language model gemma-3-270m.gguf, run on this
    machine"; a drafter not known here by its name."""
    if drafter == "compose":
        return w.gettext("composed by rules from the notes, no generative model")
    if drafter == "analyst":
        return w.gettext("worded by an analyst in the review")
    if drafter in ("llama-cpp", "openai"):
        model = _model(drafter, manifest)
        if drafter == "llama-cpp":
            return w.gettext("language model %(model)s, run on this machine", model=model)
        return w.gettext(
            "language model %(model)s, through an OpenAI-compatible service", model=model
        )
    return drafter


def _model(drafter: str, manifest: RunManifest) -> str:
    """The model a language-model drafter drafted with: what the drafting recorded, else
    what the settings named (a model file by its name), else the drafter's name."""
    drafting = manifest.drafting
    if drafting is not None and drafting.drafter == drafter and drafting.model:
        return drafting.model
    draft = manifest.config.get("draft") if manifest.config else None
    if isinstance(draft, dict):
        named = draft.get("model_path") if drafter == "llama-cpp" else draft.get("model")
        if named:
            return re.split(r"[/\\]", str(named))[-1]
    return drafter
