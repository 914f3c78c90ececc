#!/usr/bin/env bash
# Runs the SDK test suites (Python: sdk/python/tests, TypeScript: sdk/typescript/test) against one
# InferenceKey server: builds once if needed, starts the server on a fresh data dir and a free
# port, seeds it with the admin CLI (user, project "acme" on the simulator provider, a control and
# a data token), runs both suites with INFERENCEKEY_TEST_* pointing at it, and stops it on exit.
# Exit status: 0 when both suites pass.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TSX="$ROOT/node_modules/.bin/tsx"
[[ -x "$TSX" ]] || { echo "test-sdks: run npm install first ($TSX is missing)" >&2; exit 1; }

if [[ ! -f .next/BUILD_ID ]]; then
  echo "test-sdks: no production build: running next build" >&2
  NODE_ENV=production npx next build
fi

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ik-sdk-tests-XXXXXX")"
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
BASE_URL="http://localhost:$PORT"
SERVER_PID=""

cleanup() {
  local status=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    # One SIGTERM to the server (tsx relays it): it stops the engines it started, then exits.
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true   # still there after 20 s: its process group (setsid)
  fi
  if [[ $status -ne 0 && -f "$DATA_DIR/server.log" ]]; then
    echo "test-sdks: last server log lines:" >&2
    tail -n 30 "$DATA_DIR/server.log" >&2 || true
  fi
  rm -rf "$DATA_DIR"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT="$PORT" INFERENCEKEY_BASE_URL="$BASE_URL" INFERENCEKEY_DATA_DIR="$DATA_DIR" INFERENCEKEY_LOG_LEVEL=warn NODE_ENV=production \
  setsid "$TSX" server.ts >"$DATA_DIR/server.log" 2>&1 &
SERVER_PID=$!

for i in $(seq 1 240); do
  if curl -fsS "$BASE_URL/api/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "test-sdks: the server exited" >&2; exit 1; fi
  if [[ $i -eq 240 ]]; then echo "test-sdks: the server did not become healthy in 120 s" >&2; exit 1; fi
  sleep 0.5
done

admin() {
  local out
  if ! out="$(INFERENCEKEY_DATA_DIR="$DATA_DIR" INFERENCEKEY_LOG_LEVEL=error "$TSX" scripts/admin.ts "$@" 2>"$DATA_DIR/admin.err")"; then
    echo "test-sdks: admin $1 $2 failed:" >&2; cat "$DATA_DIR/admin.err" >&2; return 1
  fi
  printf '%s\n' "$out" | tail -n 1
}
admin user create --email sdk-test@example.com --password sdk-test-password-1 >/dev/null
admin project create --slug acme --name Acme --owner sdk-test@example.com --default-provider simulator >/dev/null
SDK_TOKEN="$(admin token create --project acme --kind control --name sdk)"
API_KEY="$(admin token create --project acme --kind data --name app --all)"

export INFERENCEKEY_TEST_BASE_URL="$BASE_URL" INFERENCEKEY_TEST_PROJECT=acme INFERENCEKEY_TEST_DATA_DIR="$DATA_DIR" \
  INFERENCEKEY_TEST_SDK_TOKEN="$SDK_TOKEN" INFERENCEKEY_TEST_API_KEY="$API_KEY"

failed=0
echo "== Python SDK (sdk/python) =="
(cd sdk/python && python3 -m unittest discover -s tests -t .) || failed=1
echo "== TypeScript SDK (sdk/typescript) =="
npx vitest run --config sdk/typescript/vitest.config.ts || failed=1

if [[ $failed -ne 0 ]]; then echo "test-sdks: FAILED" >&2; exit 1; fi
echo "test-sdks: all SDK tests passed"
