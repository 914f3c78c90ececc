"""Settings resolution and spec shaping: no server needed."""
import os
import pathlib
import sys

import unittest
from unittest import mock

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # the SDK and tests packages

from inferencekey import (  # noqa: E402
    Backend,
    ConfigurationError,
    DataClient,
    GpuSpec,
    ManagementClient,
    ReadinessProbe,
    WorkloadSpec,
    __version__,
)
from inferencekey._http import USER_AGENT  # noqa: E402
from inferencekey.management import diff_spec  # noqa: E402

SDK = "ik_sdk_" + "a" * 42
LIVE = "ik_live_" + "b" * 42


def env(**values):
    return mock.patch.dict(os.environ, values, clear=True)


class SettingsTest(unittest.TestCase):
    def test_missing_base_url_names_the_variable(self):
        with env():
            with self.assertRaises(ConfigurationError) as cm:
                ManagementClient.from_env(project="acme")
        self.assertIn("INFERENCEKEY_BASE_URL", str(cm.exception))

    def test_missing_sdk_token_names_the_variable(self):
        with env(INFERENCEKEY_BASE_URL="http://localhost:1"):
            with self.assertRaises(ConfigurationError) as cm:
                ManagementClient.from_env(project="acme")
        self.assertIn("INFERENCEKEY_SDK_TOKEN", str(cm.exception))

    def test_missing_project_names_the_variable(self):
        with env(INFERENCEKEY_BASE_URL="http://localhost:1", INFERENCEKEY_SDK_TOKEN=SDK):
            with self.assertRaises(ConfigurationError) as cm:
                ManagementClient.from_env()
            self.assertIn("INFERENCEKEY_PROJECT", str(cm.exception))
            with self.assertRaises(ConfigurationError) as cm:
                DataClient.from_env()
            self.assertIn("INFERENCEKEY_PROJECT", str(cm.exception))

    def test_missing_api_key_names_the_variable(self):
        with env(INFERENCEKEY_BASE_URL="http://localhost:1"):
            data = DataClient.from_env(project="acme")  # the key is needed per endpoint, not here
            with self.assertRaises(ConfigurationError) as cm:
                data.endpoint("bot")
        self.assertIn("INFERENCEKEY_API_KEY", str(cm.exception))

    def test_explicit_argument_wins_over_environment(self):
        with env(INFERENCEKEY_BASE_URL="http://env:1", INFERENCEKEY_PROJECT="env-project", INFERENCEKEY_SDK_TOKEN=SDK, INFERENCEKEY_API_KEY=LIVE):
            m = ManagementClient.from_env(project="acme", base_url="http://explicit:2/")
            self.assertEqual(m.base_url, "http://explicit:2")
            self.assertEqual(m.project, "acme")
            m2 = ManagementClient.from_env()
            self.assertEqual((m2.base_url, m2.project), ("http://env:1", "env-project"))
            ep = DataClient.from_env(project="acme").endpoint("bot", api_key="ik_live_" + "c" * 42, model="m")
            self.assertEqual(ep.url, "http://env:1/endpoint/acme/bot/v1")
            self.assertEqual(ep._http._token, "ik_live_" + "c" * 42)
            self.assertEqual(DataClient.from_env().endpoint("bot")._http._token, LIVE)

    def test_token_of_the_other_plane_is_a_clear_error(self):
        with env(INFERENCEKEY_BASE_URL="http://localhost:1", INFERENCEKEY_SDK_TOKEN=LIVE):
            with self.assertRaises(ConfigurationError) as cm:
                ManagementClient.from_env(project="acme")
            self.assertIn("INFERENCEKEY_SDK_TOKEN", str(cm.exception))
            with self.assertRaises(ConfigurationError):
                DataClient.from_env(project="acme").endpoint("bot", api_key=SDK)

    def test_repr_never_shows_tokens(self):
        with env():
            m = ManagementClient("http://localhost:1", SDK, "acme")
            self.assertNotIn(SDK, repr(m))
            self.assertNotIn(SDK, repr(m._http))

    def test_user_agent(self):
        self.assertEqual(USER_AGENT, f"inferencekey-python/{__version__}")


class SpecTest(unittest.TestCase):
    def test_backend_is_a_str_enum(self):
        self.assertEqual(Backend.VLLM, "vllm")
        self.assertEqual([b.value for b in Backend], ["vllm", "sglang", "tgi", "openai"])

    def test_to_api_sends_only_set_fields_in_api_shape(self):
        spec = WorkloadSpec(name="n", slug="s", model="m", command="c", backend=Backend.SGLANG, gpu=GpuSpec(count=2),
                            readiness_probe={"path": "/ready"}, max_tokens=100)
        self.assertEqual(spec.to_api(), {
            "name": "n", "slug": "s", "model": "m", "command": "c", "backend": "sglang", "max_tokens": 100,
            "gpu": {"type": None, "count": 2},
            "readiness_probe": {"path": "/ready", "headers": {}, "initial_delay_seconds": 0, "timeout_seconds": 5},
        })

    def test_from_dict_rejects_unknown_fields(self):
        with self.assertRaises(ValueError):
            WorkloadSpec.from_dict({"name": "n", "slug": "s", "model": "m", "command": "c", "gpus": 2})

    def test_diff_compares_only_what_the_spec_sets(self):
        current = {"name": "n", "model": "m", "command": "c", "backend": "vllm", "provider": "simulator", "replicas": 1,
                   "gpu": {"type": None, "count": 1}, "prices": {"prompt_per_million": 0.1, "completion_per_million": 0},
                   "readiness_probe": ReadinessProbe().to_api(), "env": {}}
        same = WorkloadSpec(name="n", slug="s", model="m", command="c", backend=Backend.VLLM,
                            prices={"prompt_per_million": 0.1000000001}, readiness_probe=ReadinessProbe()).to_api()
        self.assertEqual(diff_spec(same, current), {})
        changed = WorkloadSpec(name="n", slug="s", model="m", command="c2", replicas=2, env={"A": "1"}).to_api()
        self.assertEqual(diff_spec(changed, current), {"command": "c2", "replicas": 2, "env": {"A": "1"}})


if __name__ == "__main__":
    unittest.main()
