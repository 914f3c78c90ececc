"""Settings: an explicit argument wins over the environment; a missing setting is a clear error."""
from __future__ import annotations

import os
from typing import Optional

from .errors import ConfigurationError

ENV_BASE_URL = "INFERENCEKEY_BASE_URL"
ENV_PROJECT = "INFERENCEKEY_PROJECT"
ENV_SDK_TOKEN = "INFERENCEKEY_SDK_TOKEN"
ENV_API_KEY = "INFERENCEKEY_API_KEY"

_HINTS = {
    ENV_BASE_URL: "the origin of your InferenceKey server, e.g. https://inferencekey.example.com",
    ENV_PROJECT: "the project slug or id",
    ENV_SDK_TOKEN: "an ik_sdk_ control token of the project, minted in the dashboard",
    ENV_API_KEY: "an ik_live_ data token, minted in the dashboard",
}


def setting(explicit: Optional[str], env_var: str, argument: str) -> str:
    """The explicit value if given, else the environment variable; raises ConfigurationError if neither."""
    if explicit is not None:
        value = str(explicit).strip()
        if not value:
            raise ConfigurationError(f"{argument} is empty: pass a value or set {env_var} ({_HINTS[env_var]}).")
        return value
    value = os.environ.get(env_var, "").strip()
    if not value:
        raise ConfigurationError(
            f"{env_var} is not set: set the {env_var} environment variable or pass {argument}=... ({_HINTS[env_var]})."
        )
    return value


def base_url(explicit: Optional[str]) -> str:
    url = setting(explicit, ENV_BASE_URL, "base_url").rstrip("/")
    if not (url.startswith("http://") or url.startswith("https://")):
        raise ConfigurationError(f"{ENV_BASE_URL} / base_url must start with http:// or https:// (got {url!r}).")
    return url


def check_token_kind(token: str, expected_prefix: str, source: str) -> str:
    """Catches the most common mix-up, a token of the other plane, before any request."""
    other = "ik_live_" if expected_prefix == "ik_sdk_" else "ik_sdk_"
    if token.startswith(other):
        plane = "data-plane (inference)" if other == "ik_live_" else "control-plane (management)"
        need = "control-plane ik_sdk_" if expected_prefix == "ik_sdk_" else "data-plane ik_live_"
        raise ConfigurationError(f"{source} holds a {plane} token ({other}…); this client needs a {need} token.")
    return token
