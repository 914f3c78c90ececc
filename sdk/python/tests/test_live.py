"""The SDK against a real InferenceKey server (started by tests/_server.py, or the one
scripts/test-sdks.sh started). Workloads run on the simulator provider."""
import pathlib
import sys
import unittest
import uuid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # the SDK and tests packages

from inferencekey import (  # noqa: E402
    AuthError,
    Backend,
    DataClient,
    ManagementClient,
    NotFoundError,
    ValidationError,
    WorkloadSpec,
)
from tests._server import server  # noqa: E402

MODEL = "meta-llama/Llama-3.1-8B-Instruct"


def spec(slug, **overrides):
    fields = dict(name=slug, slug=slug, model=MODEL, backend=Backend.VLLM, command=f"vllm serve {MODEL} --max-model-len 8192", provider="simulator")
    fields.update(overrides)
    return WorkloadSpec(**fields)


class LiveTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server()
        cls.mgmt = ManagementClient(cls.srv.base_url, cls.srv.sdk_token, cls.srv.project)
        cls.data = DataClient(cls.srv.base_url, cls.srv.project, cls.srv.api_key)


class EnsureAndInferenceTest(LiveTestCase):
    slug = "py-sdk-bot"

    def test_1_ensure_creates_a_running_workload(self):
        ref = self.mgmt.ensure(spec(self.slug), timeout=120)
        self.assertIn(ref.action, ("created", "unchanged"))  # unchanged if a previous run left it
        self.assertEqual(ref.status, "running")
        self.assertEqual(ref.workload_slug, self.slug)
        self.assertTrue(ref.workload_id)
        self.assertEqual(ref.endpoint, f"{self.srv.base_url}/endpoint/{self.srv.project}/{self.slug}/v1")
        self.assertIn(self.slug, [w.workload_slug for w in self.mgmt.list()])
        self.assertEqual(self.mgmt.get(ref.workload_id).id, ref.id)
        self.assertEqual(self.mgmt.get(self.slug).id, ref.id)  # by slug too

    def test_2_inference(self):
        ep = self.data.endpoint(self.slug)
        self.assertTrue(ep.is_ready())
        self.assertEqual(ep.models(), [MODEL])
        out = ep.generate_text(prompt="Hola", temperature=0.2, max_tokens=12)
        self.assertTrue(out.text.strip())
        self.assertEqual(out.usage.completion_tokens, 12)
        self.assertEqual(out.finish_reason, "length")
        chat = ep.chat([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}], max_tokens=5)
        self.assertTrue(chat.text.strip())
        self.assertEqual(chat.message["role"], "assistant")
        chunks = list(ep.stream_text("Tell me a story", max_tokens=8))
        text = "".join(c.text for c in chunks)
        self.assertTrue(text.strip())
        self.assertGreater(len([c for c in chunks if c.text]), 1)
        self.assertEqual(chunks[-1].usage.completion_tokens, 8)
        emb = ep.embed(["hello", "world"])
        self.assertEqual(len(emb.embeddings), 2)
        self.assertGreater(len(emb.embedding), 8)

    def test_3_second_ensure_changes_nothing(self):
        before = self.mgmt.get(self.slug)
        again = self.mgmt.ensure(spec(self.slug))
        self.assertEqual(again.action, "unchanged")
        after = self.mgmt.get(self.slug)
        self.assertEqual((after.id, after.generation, after.name, after.command), (before.id, before.generation, before.name, before.command))

    def test_4_changed_spec_is_applied(self):
        before = self.mgmt.get(self.slug)
        # A runtime change (env) is rolled out: generation + 1, running again when ensure returns.
        ref = self.mgmt.ensure(spec(self.slug, env={"SIMULATOR_ITL_MS": "1"}, max_tokens=4), timeout=120)
        self.assertEqual(ref.action, "updated")
        self.assertEqual(ref.id, before.id)
        self.assertEqual(ref.generation, before.generation + 1)
        self.assertEqual(ref.status, "running")
        self.assertEqual((ref.env, ref.max_tokens), ({"SIMULATOR_ITL_MS": "1"}, 4))
        out = self.data.endpoint(self.slug).generate_text("Hola", max_tokens=300)
        self.assertEqual(out.usage.completion_tokens, 4)  # the gateway applies the new cap
        # A change that does not affect what runs (name) is applied without a rollout.
        renamed = self.mgmt.ensure(spec(self.slug, name="Python SDK bot", env={"SIMULATOR_ITL_MS": "1"}, max_tokens=4))
        self.assertEqual((renamed.action, renamed.name, renamed.generation), ("updated", "Python SDK bot", ref.generation))
        # update() with keyword arguments, then the same spec again: unchanged.
        self.mgmt.update(self.slug, max_tokens=None)
        self.assertIsNone(self.mgmt.get(self.slug).max_tokens)
        self.assertEqual(self.mgmt.ensure(spec(self.slug, name="Python SDK bot")).action, "unchanged")


class ErrorsTest(LiveTestCase):
    slug = "py-sdk-errors"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mgmt.ensure(spec(cls.slug), timeout=120)

    def test_garbage_data_key_is_auth_error(self):
        with self.assertRaises(AuthError) as cm:
            self.data.endpoint(self.slug, api_key="ik_live_garbage", model=MODEL).generate_text("hi")
        self.assertEqual(cm.exception.status, 401)

    def test_revoked_data_key_is_auth_error(self):
        name = f"py-revoke-{uuid.uuid4().hex[:8]}"
        key = self.srv.admin("token", "create", "--project", self.srv.project, "--kind", "data", "--name", name, "--workload", self.slug)
        ep = self.data.endpoint(self.slug, api_key=key)
        self.assertTrue(ep.generate_text("hi", max_tokens=2).text)
        self.srv.admin("token", "revoke", "--project", self.srv.project, "--name", name)
        with self.assertRaises(AuthError) as cm:
            ep.generate_text("hi", max_tokens=2)
        self.assertEqual((cm.exception.status, cm.exception.code), (403, "forbidden"))

    def test_garbage_control_token_is_auth_error(self):
        with self.assertRaises(AuthError) as cm:
            ManagementClient(self.srv.base_url, "ik_sdk_garbage", self.srv.project).list()
        self.assertEqual(cm.exception.status, 401)

    def test_unknown_workload_is_not_found(self):
        with self.assertRaises(NotFoundError):
            self.data.endpoint("py-no-such-workload", model=MODEL).generate_text("hi")
        with self.assertRaises(NotFoundError):
            self.mgmt.get("py-no-such-workload")
        with self.assertRaises(NotFoundError):
            self.mgmt.update("py-no-such-workload", name="x")

    def test_invalid_spec_is_validation_error(self):
        with self.assertRaises(ValidationError) as cm:
            self.mgmt.ensure(spec("Not A Slug"))
        self.assertIn(cm.exception.status, (400, 422))
        self.assertIn("slug", cm.exception.fields)


class DeleteTest(LiveTestCase):
    def test_delete_and_recreate(self):
        slug = "py-sdk-tmp"
        ref = self.mgmt.ensure(spec(slug), timeout=120)
        gone = self.mgmt.delete(ref.workload_id)
        self.assertEqual(gone.status, "deleting")
        # ensure right after a delete waits for the deletion, then creates a new workload
        again = self.mgmt.ensure(spec(slug), timeout=120)
        self.assertEqual(again.action, "created")
        self.assertNotEqual(again.id, ref.id)
        self.mgmt.delete(again, wait=True, timeout=60)
        with self.assertRaises(NotFoundError):
            self.mgmt.get(again.id)
        self.assertNotIn(slug, [w.workload_slug for w in self.mgmt.list()])


if __name__ == "__main__":
    unittest.main()
