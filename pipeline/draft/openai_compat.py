"""The ``openai`` drafter: any server speaking OpenAI's chat-completions API.

Ollama, vLLM, LM Studio, llama-cpp-python's server, Mistral and OpenAI all do. The endpoint,
model and key come from ``[draft]`` (``base_url``, ``model``, ``api_key_env``) or the
environment (``IDEASYNTH_LLM_BASE_URL``, ``IDEASYNTH_LLM_MODEL``, and the key in the variable
that ``api_key_env`` names). ``openai:<model>`` on the command line names the model.

Workshop notes are personal data of the participants. Unless ``draft.allow_remote = true``,
only an endpoint on this machine (``localhost``, ``127.0.0.0/8``, ``::1``) is accepted, and the
check happens when the drafter is built, before any connection or name lookup.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from pipeline.config import ConfigError, DraftConfig
from pipeline.draft.base import Drafter, drafters
from pipeline.draft.llm import Completion, LLMDrafter, LLMError
from pipeline.schema import Draft, Note, Theme

BASE_URL_ENV = "IDEASYNTH_LLM_BASE_URL"
MODEL_ENV = "IDEASYNTH_LLM_MODEL"
MAX_PARALLEL = 8


class RemoteEndpointRefused(ConfigError):
    """``allow_remote`` is off and the endpoint is not on this machine."""


def is_local_host(host: str) -> bool:
    """``localhost`` or a loopback address literal; never resolves a name."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(base_url: str, allow_remote: bool) -> str:
    """The endpoint without a trailing slash, or a one-line ``ConfigError``."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"draft.base_url {base_url!r}: give an http(s) URL, e.g. http://127.0.0.1:11434/v1"
        )
    if not allow_remote and not is_local_host(parts.hostname):
        raise RemoteEndpointRefused(
            f"draft.base_url {base_url}: {parts.hostname} is not this machine, and workshop "
            "notes must not leave it; use a local endpoint or set draft.allow_remote = true"
        )
    return base_url.rstrip("/")


class OpenAIClient:
    """POSTs to ``<base_url>/chat/completions`` with httpx; errors become ``LLMError``."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        temperature: float = 0.2,
        response_format: str = "json_schema",
    ) -> None:
        self.base_url = base_url
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.temperature = temperature
        self.response_format = response_format
        self.max_parallel = MAX_PARALLEL
        # A local endpoint is reached directly, never through a proxy from the environment.
        local = is_local_host(urlsplit(base_url).hostname or "")
        self._http = httpx.Client(timeout=timeout, trust_env=not local)

    def _format(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        if self.response_format == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": "draft", "schema": schema, "strict": True},
            }
        if self.response_format == "json_object":
            return {"type": "json_object", "schema": schema}
        return None

    def complete(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int
    ) -> Completion:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": self.temperature,
            "max_tokens": max_tokens,
        }
        response_format = self._format(schema)
        if response_format is not None:
            body["response_format"] = response_format
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            response = self._http.post(
                f"{self.base_url}/chat/completions", json=body, headers=headers
            )
        except httpx.TimeoutException:
            raise LLMError("timeout", f"no answer within {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise LLMError("connection", f"{type(exc).__name__}: {exc}") from None
        if response.status_code != 200:
            transient = response.status_code == 429 or response.status_code >= 500
            raise LLMError(
                f"http {response.status_code}",
                " ".join(response.text.split())[:200] or response.reason_phrase,
                transient=transient,
            )
        return parse_completion(response)


def parse_completion(response: httpx.Response) -> Completion:
    """The answer text and token counts of a chat-completions response."""
    try:
        data = response.json()
        text = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMError(
            "protocol", "the server's reply is not a chat completion", transient=True
        ) from None
    usage = data.get("usage") or {}
    return Completion(
        text=text if isinstance(text, str) else "",
        tokens_in=int(usage.get("prompt_tokens") or 0),
        tokens_out=int(usage.get("completion_tokens") or 0),
    )


class OpenAIBackend:
    """The registry entry: built into an ``LLMDrafter`` once the config is known."""

    name = "openai"

    def __init__(self, model: str | None) -> None:
        self.model = model

    def configured(self, config: DraftConfig) -> LLMDrafter:
        base_url = config.base_url or os.environ.get(BASE_URL_ENV)
        if not base_url:
            raise ConfigError(
                f"the openai drafter needs draft.base_url (or ${BASE_URL_ENV}), "
                "e.g. http://127.0.0.1:11434/v1"
            )
        model = self.model or config.model or os.environ.get(MODEL_ENV)
        if not model:
            raise ConfigError(
                f"the openai drafter needs a model: draft.model, ${MODEL_ENV} or "
                "--drafter openai:<model>"
            )
        client = OpenAIClient(
            check_endpoint(base_url, config.allow_remote),
            model,
            api_key=os.environ.get(config.api_key_env),
            timeout=config.timeout_seconds,
            temperature=config.temperature,
            response_format=config.response_format,
        )
        return LLMDrafter(self.name, client, config)

    def draft(self, theme: Theme, notes: Mapping[str, Note], language: str) -> Draft:
        return self.configured(DraftConfig(drafter=self.name)).draft(theme, notes, language)


@drafters.register("openai")
def _create(argument: str | None) -> Drafter:
    return OpenAIBackend(argument)
