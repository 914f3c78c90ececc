"""The program from DESIGN.md ("SDKs"), run unchanged as a file: only its api_key placeholder is
replaced by a real data token. It prints generated text; a second run changes nothing."""
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # the SDK and tests packages

from inferencekey import ManagementClient  # noqa: E402
from tests._server import REPO_ROOT, SDK_ROOT, server  # noqa: E402

EXAMPLE = SDK_ROOT / "examples" / "provision.py"
PLACEHOLDER = 'api_key="ik_live_..."'


def design_program():
    for candidate in (REPO_ROOT / "DESIGN.md", REPO_ROOT / "docs" / "DESIGN.md", REPO_ROOT.parent / "shared" / "DESIGN.md"):
        if candidate.exists():
            m = re.search(r"## SDKs.*?```python\n(.*?)```", candidate.read_text(), re.S)
            if m:
                return m.group(1)
    return None


class DesignProgramTest(unittest.TestCase):
    def test_example_is_the_design_program(self):
        program = design_program()
        if program is None:
            self.skipTest("DESIGN.md not found")
        self.assertEqual(EXAMPLE.read_text(), program)

    def test_program_runs_unchanged_and_is_idempotent(self):
        srv = server()
        if srv.project != "acme":
            self.skipTest("the program uses project acme")
        source = EXAMPLE.read_text()
        self.assertEqual(source.count(PLACEHOLDER), 1)
        with tempfile.TemporaryDirectory() as tmp:
            copy = pathlib.Path(tmp) / "provision_copy.py"
            copy.write_text(source.replace(PLACEHOLDER, f'api_key="{srv.api_key}"'))
            env = {k: v for k, v in os.environ.items() if not k.startswith("INFERENCEKEY_")}
            env.update(PYTHONPATH=str(SDK_ROOT), INFERENCEKEY_BASE_URL=srv.base_url, INFERENCEKEY_SDK_TOKEN=srv.sdk_token)

            def run():
                out = subprocess.run([sys.executable, str(copy)], env=env, cwd=tmp, capture_output=True, text=True, timeout=300)
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertTrue(out.stdout.strip(), "the program printed no text")
                return out.stdout

            run()
            mgmt = ManagementClient(srv.base_url, srv.sdk_token, "acme")
            first = mgmt.get("support-bot")
            self.assertEqual(first.status, "running")
            self.assertEqual(first.provider, "simulator")  # the project's default provider
            run()
            second = mgmt.get("support-bot")
            self.assertEqual((second.id, second.generation, second.name, second.command, second.model),
                             (first.id, first.generation, first.name, first.command, first.model))


if __name__ == "__main__":
    unittest.main()
