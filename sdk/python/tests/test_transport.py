"""Retries, timeouts, error mapping and SSE parsing against a scripted stub server."""
import pathlib
import socket
import sys
import time
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # the SDK and tests packages

from inferencekey import (  # noqa: E402
    ApiError,
    AuthError,
    ConflictError,
    DataClient,
    ManagementClient,
    NetworkError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    RequestTimeoutError,
    ValidationError,
    __version__,
)
from tests._stub import StubServer, chat_answer, gateway_error  # noqa: E402

LIVE = "ik_live_" + "b" * 42
SDK = "ik_sdk_" + "a" * 42


class StubTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stub = StubServer()

    @classmethod
    def tearDownClass(cls):
        cls.stub.close()

    def endpoint(self, **options):
        return DataClient(self.stub.url, "acme", LIVE, **options).endpoint("bot", model="m")


class RetryTest(StubTestCase):
    def test_429_with_retry_after_is_retried_then_succeeds(self):
        self.stub.script(gateway_error(429, "rate_limit_exceeded", retry_after="0.2"),
                         gateway_error(429, "rate_limit_exceeded", retry_after="0.2"), chat_answer("ok"))
        started = time.monotonic()
        out = self.endpoint().generate_text("hi")
        self.assertEqual(out.text, "ok")
        self.assertEqual(len(self.stub.requests), 3)
        self.assertGreaterEqual(time.monotonic() - started, 0.4)

    def test_429_after_the_last_retry_raises_rate_limit_error_with_retry_after(self):
        self.stub.script(*[gateway_error(429, "rate_limit_exceeded", "Rate limit exceeded for this token.", retry_after="0.05", type_="rate_limit_error")] * 5)
        with self.assertRaises(RateLimitError) as cm:
            self.endpoint(max_retries=2).generate_text("hi")
        e = cm.exception
        self.assertEqual((e.status, e.code, e.retry_after), (429, "rate_limit_exceeded", 0.05))
        self.assertIn("Rate limit exceeded", str(e))
        self.assertEqual(len(self.stub.requests), 3)

    def test_a_retry_after_past_the_wait_budget_is_raised_at_once(self):
        self.stub.script(gateway_error(429, "rate_limit_exceeded", retry_after="120"), chat_answer())
        with self.assertRaises(RateLimitError) as cm:
            self.endpoint(max_retry_wait=60).generate_text("hi")
        self.assertEqual(cm.exception.retry_after, 120)
        self.assertEqual(len(self.stub.requests), 1)

    def test_insufficient_quota_is_never_retried(self):
        self.stub.script(gateway_error(429, "insufficient_quota", type_="insufficient_quota"), chat_answer())
        with self.assertRaises(QuotaExceededError) as cm:
            self.endpoint().generate_text("hi")
        self.assertIsInstance(cm.exception, RateLimitError)
        self.assertEqual(cm.exception.code, "insufficient_quota")
        self.assertEqual(len(self.stub.requests), 1)

    def test_503_not_running_and_502_are_retried(self):
        self.stub.script(gateway_error(503, "workload_not_running", retry_after="0.1"), gateway_error(502, "upstream_unreachable"), chat_answer("up"))
        self.assertEqual(self.endpoint().generate_text("hi").text, "up")
        self.assertEqual(len(self.stub.requests), 3)

    def test_503_after_the_last_retry_is_an_api_error(self):
        self.stub.script(*[gateway_error(503, "workload_not_running", "The workload is not running.", retry_after="0.01")] * 3)
        with self.assertRaises(ApiError) as cm:
            self.endpoint(max_retries=1).chat([{"role": "user", "content": "hi"}])
        self.assertEqual((cm.exception.status, cm.exception.code, cm.exception.retry_after), (503, "workload_not_running", 0.01))
        self.assertEqual(len(self.stub.requests), 2)

    def test_other_errors_are_not_retried(self):
        for status, cls, code in ((500, ApiError, "internal"), (504, ApiError, "upstream_timeout"), (401, AuthError, "missing_api_key"),
                                  (403, AuthError, "forbidden"), (404, NotFoundError, "not_found"), (400, ValidationError, "invalid_json")):
            self.stub.script(gateway_error(status, code, "boom"), chat_answer())
            with self.assertRaises(cls) as cm:
                self.endpoint().generate_text("hi")
            self.assertIs(type(cm.exception), cls)
            self.assertEqual((cm.exception.status, cm.exception.code, cm.exception.message), (status, code, "boom"))
            self.assertEqual(len(self.stub.requests), 1, status)

    def test_control_plane_errors(self):
        mgmt = ManagementClient(self.stub.url, SDK, "acme")
        self.stub.script((409, {}, {"error": {"code": "conflict", "message": "exists", "existing_id": "w1"}}))
        with self.assertRaises(ConflictError) as cm:
            mgmt.create({"name": "n", "slug": "s", "model": "m", "command": "c"})
        self.assertEqual(cm.exception.existing_id, "w1")
        self.stub.script((422, {}, {"error": {"code": "validation_failed", "message": "Check the fields.", "fields": {"slug": ["Use lowercase."]}}}))
        with self.assertRaises(ValidationError) as cm:
            mgmt.create({"name": "n", "slug": "S", "model": "m", "command": "c"})
        self.assertEqual(cm.exception.fields, {"slug": ["Use lowercase."]})
        self.assertIn("slug: Use lowercase.", str(cm.exception))

    def test_timeout(self):
        self.stub.script(chat_answer())
        self.stub.delay = 1.0
        try:
            with self.assertRaises(RequestTimeoutError) as cm:
                self.endpoint(timeout=0.2).generate_text("hi")
            self.assertIsInstance(cm.exception, NetworkError)
            self.assertEqual(len(self.stub.requests), 1)
        finally:
            self.stub.delay = 0.0

    def test_connection_refused(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        ep = DataClient(f"http://127.0.0.1:{port}", "acme", LIVE, max_retries=1).endpoint("bot", model="m")
        with self.assertRaises(NetworkError):
            ep.generate_text("hi")


class RequestTest(StubTestCase):
    def test_headers_body_and_result(self):
        self.stub.script(chat_answer("Hola!"))
        out = self.endpoint().generate_text(prompt="Hola", temperature=0.2, max_tokens=300)
        self.assertEqual(out.text, "Hola!")
        self.assertEqual((out.usage.prompt_tokens, out.usage.completion_tokens, out.finish_reason), (3, 1, "stop"))
        req = self.stub.requests[0]
        self.assertEqual((req["method"], req["path"]), ("POST", "/endpoint/acme/bot/v1/chat/completions"))
        self.assertEqual(req["headers"]["Authorization"], f"Bearer {LIVE}")
        self.assertEqual(req["headers"]["User-Agent"], f"inferencekey-python/{__version__}")
        self.assertEqual(req["headers"]["Content-Type"], "application/json")
        self.assertEqual(req["body"], {"model": "m", "messages": [{"role": "user", "content": "Hola"}], "temperature": 0.2, "max_tokens": 300})

    def test_model_is_discovered_once(self):
        models = (200, {}, {"object": "list", "data": [{"id": "org/model-a", "object": "model"}]})
        self.stub.script(models, chat_answer(), chat_answer())
        ep = DataClient(self.stub.url, "acme", LIVE).endpoint("bot")
        ep.generate_text("a")
        ep.chat("b")
        self.assertEqual([r["path"] for r in self.stub.requests], ["/endpoint/acme/bot/v1/models"] + ["/endpoint/acme/bot/v1/chat/completions"] * 2)
        self.assertEqual(self.stub.requests[2]["body"]["model"], "org/model-a")

    def test_redirects_are_not_followed(self):
        other = StubServer()
        try:
            other.script(chat_answer())
            self.stub.script((307, {"location": other.url + "/steal"}, b""))
            with self.assertRaises(ApiError) as cm:
                self.endpoint().generate_text("hi")
            self.assertEqual(cm.exception.status, 307)
            self.assertEqual(other.requests, [])
        finally:
            other.close()

    def test_embed(self):
        self.stub.script((200, {}, {"object": "list", "model": "m", "data": [
            {"index": 1, "embedding": [0.0, 1.0]}, {"index": 0, "embedding": [1.0, 0.0]}], "usage": {"prompt_tokens": 2, "total_tokens": 2}}))
        out = self.endpoint().embed(["a", "b"])
        self.assertEqual(out.embeddings, [[1.0, 0.0], [0.0, 1.0]])
        self.assertEqual(out.embedding, [1.0, 0.0])
        self.assertEqual(self.stub.requests[0]["body"], {"model": "m", "input": ["a", "b"]})


def sse(*events: bytes):
    return (200, {}, list(events))


class StreamTest(StubTestCase):
    def test_sse_parsing(self):
        self.stub.script(sse(
            b": keep-alive comment\n\n",
            b'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n',
            b'data: {"choices":[{"index":0,"delta":{"content":"Hel',  # an event split across writes
            b'lo"}}]}\r\n\r\n',
            b'event: message\nid: 3\ndata: {"choices":[{"index":0,\ndata: "delta":{"content":" world"}}]}\n\n',  # multi-line data
            b'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n',
            b'data: {"choices":[],"usage":{"prompt_tokens":2,"completion_tokens":2,"total_tokens":4}}\n\n',
            b"data: [DONE]\n\n",
            b'data: {"choices":[{"index":0,"delta":{"content":"after done"}}]}\n\n',
        ))
        chunks = list(self.endpoint().stream_text("hi", max_tokens=5))
        self.assertEqual("".join(c.text for c in chunks), "Hello world")
        self.assertEqual(chunks[-2].finish_reason, "stop")
        self.assertEqual(chunks[-1].usage.total_tokens, 4)
        body = self.stub.requests[0]["body"]
        self.assertEqual((body["stream"], body["stream_options"], body["max_tokens"]), (True, {"include_usage": True}, 5))
        self.assertEqual(self.stub.requests[0]["headers"]["Accept"], "text/event-stream")

    def test_error_inside_the_stream(self):
        self.stub.script(sse(
            b'data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\n',
            b'data: {"error":{"message":"engine died","type":"server_error","code":500}}\n\n',
        ))
        got = []
        with self.assertRaises(ApiError) as cm:
            for c in self.endpoint().stream_text(messages=[{"role": "user", "content": "hi"}]):
                got.append(c.text)
        self.assertEqual(got, ["a"])
        self.assertEqual((cm.exception.status, cm.exception.message), (500, "engine died"))

    def test_stream_is_retried_before_it_starts(self):
        self.stub.script(gateway_error(503, "workload_not_running", retry_after="0.05"),
                         sse(b'data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n', b"data: [DONE]\n\n"))
        self.assertEqual([c.text for c in self.endpoint().stream_text("hi")], ["x"])


if __name__ == "__main__":
    unittest.main()
