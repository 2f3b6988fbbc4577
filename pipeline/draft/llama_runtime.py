"""Load GGUF models with llama-cpp-python in a way that does not crash on CPUs with AMX.

llama-cpp-python 0.3.x built natively (as ``pip`` builds it here) repacks a model's weights
into "extra buffer types" for the CPU it runs on. On x86 CPUs with AMX that path crashes the
whole process with a segmentation fault in ``decode``, for every model. Loading with
``use_extra_bufts = False`` avoids it, at some speed on CPUs where repacking works.

``Llama`` takes no argument for that field of ``llama_model_params``, so
``disable_extra_buffers`` wraps the library's default-params function, once per process: every
model loaded afterwards, by our in-process client or by llama-cpp-python's own server started
through ``python -m pipeline.draft.llama_runtime``, gets the safe setting.
``IDEASYNTH_LLAMA_EXTRA_BUFFERS=1`` turns repacking back on, for a CPU known to handle it.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

ENV_EXTRA_BUFFERS = "IDEASYNTH_LLAMA_EXTRA_BUFFERS"

_lock = threading.Lock()


def extra_buffers_wanted() -> bool:
    return os.environ.get(ENV_EXTRA_BUFFERS, "").strip().lower() in {"1", "true", "yes", "on"}


def disable_extra_buffers() -> bool:
    """Make every model llama-cpp-python loads from now on use no extra buffer types.

    Returns whether the setting is now off (``False`` when the installed version has no
    such field, or the user asked for repacking)."""
    import llama_cpp.llama_cpp as low_level

    with _lock:
        original = low_level.llama_model_default_params
        if getattr(original, "_ideasynth_safe", False):
            return True
        params = original()
        if extra_buffers_wanted() or not hasattr(params, "use_extra_bufts"):
            return False

        def safe_default_params() -> Any:
            params = original()
            params.use_extra_bufts = False
            return params

        safe_default_params._ideasynth_safe = True  # type: ignore[attr-defined]
        safe_default_params.__wrapped_original__ = original  # type: ignore[attr-defined]
        low_level.llama_model_default_params = safe_default_params
        return True


def main() -> None:
    """llama-cpp-python's OpenAI-compatible server, with the safe model setting."""
    disable_extra_buffers()
    from llama_cpp.server.__main__ import main as serve

    sys.argv[0] = "python -m pipeline.draft.llama_runtime"
    serve()


if __name__ == "__main__":
    main()
