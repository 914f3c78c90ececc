"""A scripted HTTP server for retry, error and SSE tests: each request takes the next scripted
answer and is recorded (method, path, headers, body)."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple, Union

# An answer: (status, headers, body) where body is a dict (JSON), bytes, or a list of byte chunks
# (written one by one with a flush and a short pause: a stream). A callable gets the request.
Answer = Tuple[int, Dict[str, str], Union[Dict[str, Any], bytes, List[bytes]]]


class StubServer:
    def __init__(self) -> None:
        self.answers: List[Any] = []
        self.default: Optional[Answer] = None
        self.requests: List[Dict[str, Any]] = []
        self.delay = 0.0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                stub.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body})
                answer = stub.answers.pop(0) if stub.answers else stub.default
                if callable(answer):
                    answer = answer(self.command, self.path, body)
                if answer is None:
                    answer = (500, {}, {"error": {"message": "no scripted answer"}})
                if stub.delay:
                    time.sleep(stub.delay)
                status, headers, payload = answer
                try:
                    if isinstance(payload, list):
                        self.send_response(status)
                        for k, v in {"content-type": "text/event-stream", **headers}.items():
                            self.send_header(k, v)
                        self.send_header("connection", "close")
                        self.end_headers()
                        for chunk in payload:
                            self.wfile.write(chunk)
                            self.wfile.flush()
                            time.sleep(0.01)
                        self.close_connection = True
                        return
                    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                    self.send_response(status)
                    for k, v in {"content-type": "application/json", **headers}.items():
                        self.send_header(k, v)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PATCH = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def script(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.requests = []

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def chat_answer(text: str = "hello") -> Answer:
    return (200, {}, {
        "id": "c1", "object": "chat.completion", "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    })


def gateway_error(status: int, code: str, message: str = "x", retry_after: Optional[str] = None, type_: str = "server_error") -> Answer:
    headers = {"retry-after": retry_after} if retry_after is not None else {}
    return (status, headers, {"error": {"message": message, "type": type_, "code": code}})
