"""Data plane: inference through the gateway at /endpoint/{project}/{workload}/v1 (ik_live_ token)."""
from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Union

from . import _config
from ._http import USER_AGENT, Transport, quote
from .errors import NetworkError, NotFoundError
from .types import EmbeddingResult, StreamChunk, TextResult, Usage, Workload

Message = Mapping[str, Any]


class DataClient:
    """Opens endpoints of one project's workloads.

    ``base_url`` → ``INFERENCEKEY_BASE_URL``, ``project`` → ``INFERENCEKEY_PROJECT`` (the project
    slug: it is part of the endpoint URL). The data token is resolved per endpoint:
    ``endpoint(..., api_key=)`` > ``DataClient(api_key=)`` > ``INFERENCEKEY_API_KEY``.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        project: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        timeout: float = 120.0,
        max_retries: int = 3,
        max_retry_wait: float = 60.0,
    ) -> None:
        self.base_url = _config.base_url(base_url)
        self.project = _config.setting(project, _config.ENV_PROJECT, "project")
        self._api_key = api_key
        self._options = dict(timeout=timeout, max_retries=max_retries, max_retry_wait=max_retry_wait)

    @classmethod
    def from_env(cls, *, project: Optional[str] = None, base_url: Optional[str] = None, api_key: Optional[str] = None, **kwargs: Any) -> "DataClient":
        """A client configured from the environment; explicit arguments win."""
        return cls(base_url=base_url, project=project, api_key=api_key, **kwargs)

    def __repr__(self) -> str:
        return f"DataClient(base_url={self.base_url!r}, project={self.project!r})"

    def endpoint(self, workload: Union[str, Workload], api_key: Optional[str] = None, *, model: Optional[str] = None) -> "Endpoint":
        """The endpoint of a workload (its slug, or a Workload). An explicit ``api_key`` wins over
        the client's and over ``INFERENCEKEY_API_KEY``. ``model``: the model name to request
        (default: the first model the endpoint lists, looked up once)."""
        if isinstance(workload, Workload):
            slug, project = workload.workload_slug, workload.project or self.project
        else:
            slug, project = str(workload), self.project
        explicit = api_key if api_key is not None else self._api_key
        source = "api_key" if explicit is not None else _config.ENV_API_KEY
        key = _config.check_token_kind(_config.setting(explicit, _config.ENV_API_KEY, "api_key"), "ik_live_", source)
        return Endpoint(self.base_url, project, slug, key, model=model, **self._options)


class Endpoint:
    """One workload's OpenAI-compatible endpoint. ``url`` is the base URL for OpenAI clients.

    Calls retry 429/502/503 (honouring Retry-After) up to ``max_retries`` times and at most
    ``max_retry_wait`` seconds in total; a workload that is still starting answers 503.
    """

    def __init__(self, base_url: str, project: str, slug: str, api_key: str, *, model: Optional[str] = None, **options: Any) -> None:
        self.project = project
        self.workload_slug = slug
        self._prefix = f"/endpoint/{quote(project)}/{quote(slug)}"
        self.url = f"{base_url.rstrip('/')}{self._prefix}/v1"
        self._http = Transport(base_url, api_key, **options)
        self._model = model

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    # ---- models ------------------------------------------------------------------------------

    def models(self) -> List[str]:
        """The model names the workload serves (GET /v1/models)."""
        body = self._http.request("GET", f"{self._prefix}/v1/models")
        return [str(m.get("id")) for m in (body or {}).get("data", []) if isinstance(m, dict) and m.get("id")]

    @property
    def model(self) -> Optional[str]:
        """The model requests name: the one given, else the first the endpoint lists (cached)."""
        if self._model is None:
            try:
                names = self.models()
            except NotFoundError:  # a backend without /v1/models: send no model, the engine's default applies
                names = []
            self._model = names[0] if names else ""
        return self._model or None

    def _body(self, params: Dict[str, Any], model: Optional[str]) -> Dict[str, Any]:
        body = {k: v for k, v in params.items() if v is not None}
        name = model or self.model
        if name:
            body["model"] = name
        return body

    # ---- text --------------------------------------------------------------------------------

    def chat(self, messages: Union[str, Sequence[Message]], *, model: Optional[str] = None, **params: Any) -> TextResult:
        """POST /v1/chat/completions. ``messages``: OpenAI-style dicts (a string is one user
        message). ``params`` (temperature, max_tokens, top_p, stop, ...) are passed through."""
        body = self._body({**params, "messages": _messages(messages)}, model)
        body.pop("stream", None)
        data = self._http.request("POST", f"{self._prefix}/v1/chat/completions", body)
        choice = _first_choice(data)
        message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
        return TextResult(
            text=_text(message.get("content")),
            usage=Usage.from_api(data.get("usage")),
            finish_reason=choice.get("finish_reason"),
            model=data.get("model"),
            message=message,
            raw=data,
        )

    def generate_text(self, prompt: str, *, system: Optional[str] = None, model: Optional[str] = None, **params: Any) -> TextResult:
        """Generates text for a prompt. It is sent as one user message (after an optional system
        message) to /v1/chat/completions, so the model's chat template applies; ``text`` is the
        assistant's answer. For raw completion of a base model, use :meth:`complete`."""
        messages: List[Dict[str, Any]] = []
        if system is not None:
            messages.append({"role": "system", "content": system})
        messages.append({"role": "user", "content": prompt})
        return self.chat(messages, model=model, **params)

    def complete(self, prompt: str, *, model: Optional[str] = None, **params: Any) -> TextResult:
        """POST /v1/completions (raw prompt, no chat template)."""
        body = self._body({**params, "prompt": prompt}, model)
        body.pop("stream", None)
        data = self._http.request("POST", f"{self._prefix}/v1/completions", body)
        choice = _first_choice(data)
        return TextResult(
            text=_text(choice.get("text")),
            usage=Usage.from_api(data.get("usage")),
            finish_reason=choice.get("finish_reason"),
            model=data.get("model"),
            raw=data,
        )

    def stream_text(
        self,
        prompt: Optional[str] = None,
        *,
        messages: Optional[Union[str, Sequence[Message]]] = None,
        system: Optional[str] = None,
        model: Optional[str] = None,
        **params: Any,
    ) -> Iterator[StreamChunk]:
        """Streams a chat completion (server-sent events) as :class:`StreamChunk` objects:
        ``for chunk in ep.stream_text("Hi"): print(chunk.text, end="")``. Give a ``prompt``
        (like generate_text) or ``messages`` (like chat). The last chunk carries ``usage``."""
        if (prompt is None) == (messages is None):
            raise TypeError("stream_text needs either prompt or messages")
        if prompt is not None:
            msgs: List[Dict[str, Any]] = [{"role": "system", "content": system}] if system is not None else []
            msgs.append({"role": "user", "content": prompt})
        else:
            msgs = _messages(messages)  # type: ignore[arg-type]
        body = self._body({**params, "messages": msgs}, model)
        body["stream"] = True
        body.setdefault("stream_options", {"include_usage": True})
        return self._stream(body)

    def _stream(self, body: Dict[str, Any]) -> Iterator[StreamChunk]:
        for event in self._http.stream("POST", f"{self._prefix}/v1/chat/completions", body):
            choices = event.get("choices") or []
            choice = choices[0] if choices and isinstance(choices[0], dict) else {}
            delta = choice.get("delta") if isinstance(choice.get("delta"), dict) else {}
            text = _text(delta.get("content"))
            finish = choice.get("finish_reason")
            usage = Usage.from_api(event.get("usage"))
            if text or finish or usage:
                yield StreamChunk(text=text, finish_reason=finish, usage=usage, raw=event)

    # ---- embeddings --------------------------------------------------------------------------

    def embed(self, input: Union[str, Sequence[str]], *, model: Optional[str] = None, **params: Any) -> EmbeddingResult:
        """POST /v1/embeddings. ``embeddings`` has one vector per input (a string is one input)."""
        body = self._body({**params, "input": input if isinstance(input, str) else list(input)}, model)
        data = self._http.request("POST", f"{self._prefix}/v1/embeddings", body)
        rows = sorted((d for d in data.get("data", []) if isinstance(d, dict)), key=lambda d: d.get("index", 0))
        return EmbeddingResult(
            embeddings=[list(d.get("embedding") or []) for d in rows],
            usage=Usage.from_api(data.get("usage")),
            model=data.get("model"),
            raw=data,
        )

    # ---- readiness ---------------------------------------------------------------------------

    def is_ready(self) -> bool:
        """GET /endpoint/{project}/{workload}/health (no token, no retries): True when running."""
        req = urllib.request.Request(self._http.url(f"{self._prefix}/health"), headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(req, timeout=self._http.timeout) as resp:
                return resp.status == 200
        except urllib.error.HTTPError:
            return False
        except (urllib.error.URLError, OSError) as e:
            raise NetworkError(f"GET {self._http.url(self._prefix + '/health')}: cannot connect ({e})") from e


def _messages(messages: Union[str, Sequence[Message]]) -> List[Dict[str, Any]]:
    if isinstance(messages, str):
        return [{"role": "user", "content": messages}]
    return [dict(m) for m in messages]


def _first_choice(data: Any) -> Dict[str, Any]:
    choices = data.get("choices") if isinstance(data, dict) else None
    return choices[0] if choices and isinstance(choices[0], dict) else {}


def _text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, list):  # content parts
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)
