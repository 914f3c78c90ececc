"""A live InferenceKey server for the SDK tests.

If INFERENCEKEY_TEST_BASE_URL is set (scripts/test-sdks.sh does), the tests use that server and
the seeded tokens in INFERENCEKEY_TEST_SDK_TOKEN / INFERENCEKEY_TEST_API_KEY /
INFERENCEKEY_TEST_PROJECT; INFERENCEKEY_TEST_DATA_DIR lets them run the admin CLI (to mint and
revoke tokens). Otherwise the first test that needs a server starts one: a production build
(built once if missing), a random port, a fresh data dir, seeded with the admin CLI; it is
stopped when the test process exits.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

REPO_ROOT = Path(__file__).resolve().parents[3]
SDK_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class LiveServer:
    base_url: str
    project: str
    sdk_token: str
    api_key: str
    data_dir: Optional[str]

    def admin(self, *args: str) -> str:
        """Runs the admin CLI against this server; returns the last line of stdout."""
        if not self.data_dir:
            raise RuntimeError("INFERENCEKEY_TEST_DATA_DIR is not set: cannot run the admin CLI")
        return _admin(self.data_dir, list(args))


_server: Optional[LiveServer] = None
_process: Optional[subprocess.Popen] = None
_tmp: Optional[str] = None
_log = None


def _tsx() -> List[str]:
    local = REPO_ROOT / "node_modules" / ".bin" / "tsx"
    return [str(local)] if local.exists() else ["npx", "tsx"]


def _admin(data_dir: str, args: List[str]) -> str:
    env = {**os.environ, "INFERENCEKEY_DATA_DIR": data_dir, "INFERENCEKEY_LOG_LEVEL": "error"}
    out = subprocess.run(_tsx() + ["scripts/admin.ts", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"admin {' '.join(args[:2])} failed ({out.returncode}): {out.stderr.strip()[-500:]}")
    lines = [l for l in out.stdout.splitlines() if l.strip()]
    return lines[-1].strip() if lines else ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/api/health", timeout=2) as r:
            return r.status == 200 and json.loads(r.read()).get("status") == "ok"
    except Exception:  # noqa: BLE001
        return False


def server() -> LiveServer:
    global _server
    if _server is None:
        _server = _from_env() or _start()
    return _server


def _from_env() -> Optional[LiveServer]:
    base = os.environ.get("INFERENCEKEY_TEST_BASE_URL")
    if not base:
        return None
    return LiveServer(
        base_url=base.rstrip("/"),
        project=os.environ.get("INFERENCEKEY_TEST_PROJECT", "acme"),
        sdk_token=os.environ["INFERENCEKEY_TEST_SDK_TOKEN"],
        api_key=os.environ["INFERENCEKEY_TEST_API_KEY"],
        data_dir=os.environ.get("INFERENCEKEY_TEST_DATA_DIR") or None,
    )


def _start() -> LiveServer:
    global _process, _tmp, _log
    if not (REPO_ROOT / ".next" / "BUILD_ID").exists():
        subprocess.run(["npx", "next", "build"], cwd=REPO_ROOT, check=True, env={**os.environ, "NODE_ENV": "production"})
    _tmp = tempfile.mkdtemp(prefix="ik-sdk-py-")
    port = _free_port()
    base = f"http://localhost:{port}"
    env = {
        **os.environ,
        "PORT": str(port),
        "INFERENCEKEY_BASE_URL": base,
        "INFERENCEKEY_DATA_DIR": _tmp,
        "INFERENCEKEY_LOG_LEVEL": "warn",
        "NODE_ENV": "production",
    }
    _log = open(os.path.join(_tmp, "server.log"), "wb")
    _process = subprocess.Popen(_tsx() + ["server.ts"], cwd=REPO_ROOT, env=env, stdout=_log, stderr=subprocess.STDOUT, start_new_session=True)
    atexit.register(_stop)
    deadline = time.monotonic() + 120
    while not _healthy(base):
        if _process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the test server did not start; see {_tmp}/server.log")
        time.sleep(0.5)
    _admin(_tmp, ["user", "create", "--email", "sdk-test@example.com", "--password", "sdk-test-password-1"])
    _admin(_tmp, ["project", "create", "--slug", "acme", "--name", "Acme", "--owner", "sdk-test@example.com", "--default-provider", "simulator"])
    sdk = _admin(_tmp, ["token", "create", "--project", "acme", "--kind", "control", "--name", "sdk"])
    live = _admin(_tmp, ["token", "create", "--project", "acme", "--kind", "data", "--name", "app", "--all"])
    return LiveServer(base_url=base, project="acme", sdk_token=sdk, api_key=live, data_dir=_tmp)


def _stop() -> None:
    global _process
    if _process is not None and _process.poll() is None:
        try:
            # One SIGTERM to the server (tsx relays it): it stops the engines it started, then exits.
            _process.send_signal(signal.SIGTERM)
            _process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(_process.pid, signal.SIGKILL)  # its own process group (start_new_session)
            except ProcessLookupError:
                pass
            _process.wait(timeout=5)
    _process = None
    if _log is not None:
        _log.close()
    if _tmp:
        shutil.rmtree(_tmp, ignore_errors=True)
