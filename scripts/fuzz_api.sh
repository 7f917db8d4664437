#!/usr/bin/env bash
# The OpenAPI fuzz step of CI (issue 12): schemathesis over the whole API against a live server
# (gunicorn) on PostgreSQL, once as a pengurus, once as the Dinas officer and once anonymous,
# with a fixed seed, a bounded number of examples per operation and the stateful phase (links
# inferred from the schema and the Location headers). Fails on any 5xx, undocumented status,
# wrong content type or response that breaks its schema.
#
#   scripts/fuzz_api.sh            (PostgreSQL on 127.0.0.1:5432, role root, as in .ci/run)
#   FUZZ_KEEP_DB=kopdig_fuzz scripts/fuzz_api.sh   reuse (and keep) that database: the demo is
#                                                  built once, later runs start at the fuzzing
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PORT=${FUZZ_PORT:-8741}
DB=${FUZZ_KEEP_DB:-kopdig_fuzz_$$}
OUT="$PWD/var/fuzz-$DB"
PSQL=(psql -h 127.0.0.1 -U root -d postgres -v ON_ERROR_STOP=1 -q)
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -z "${FUZZ_KEEP_DB:-}" ]; then "${PSQL[@]}" -c "DROP DATABASE IF EXISTS ${DB}" || true; rm -rf "$OUT"; fi
}
trap cleanup EXIT

if [ -z "${FUZZ_KEEP_DB:-}" ] || ! "${PSQL[@]}" -tc "SELECT 1 FROM pg_database WHERE datname='${DB}'" | grep -q 1; then
  "${PSQL[@]}" -c "CREATE DATABASE ${DB}"
fi
export DATABASE_URL="postgres://root@127.0.0.1:5432/${DB}"
export KOPDIG_DATA_DIR="$OUT/data"
export KOPDIG_DEBUG=false KOPDIG_ALLOWED_HOSTS=127.0.0.1 KOPDIG_LOG_LEVEL=ERROR
# A fuzzed token endpoint must not lock the fuzzing out of anything else; 429 stays documented.
export KOPDIG_LOGIN_FAILURE_LIMIT=1000000
mkdir -p "$KOPDIG_DATA_DIR"

echo "== fuzz world (demo regency on ${DB})"
"$BIN/python" scripts/fuzz_world.py "$OUT"
# shellcheck disable=SC1091
. "$OUT/tokens.env"

"$BIN/python" -m gunicorn kopdig.wsgi:application --bind "127.0.0.1:${PORT}" --workers 2 --threads 2 \
  --timeout 60 --limit-request-line 0 >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:${PORT}"
fetch_schema() {
  "$BIN/python" -c 'import sys, urllib.request; open(sys.argv[2], "wb").write(urllib.request.urlopen(sys.argv[1], timeout=60).read())' \
    "$BASE/api/v1/openapi.json" "$OUT/openapi.json" 2>/dev/null
}
for _ in $(seq 120); do fetch_schema && break; sleep 1; done

status=0
run() {
  local who=$1 phases=$2; shift 2
  echo "== schemathesis as ${who} (${phases})"
  "$BIN/schemathesis" --config-file "$OUT/schemathesis.toml" run "$OUT/openapi.json" --url "$BASE" \
    --phases "$phases" "$@" --report junit --report-dir "$OUT/report-${who}" || status=1
}
started=$(date +%s)
# The pengurus reaches every cooperative operation: every phase, 12 examples an operation. The
# Dinas officer's and the anonymous caller's answers are mostly refusals (403/401 before any
# parsing): fewer generated examples. Measured 2026-12-04 on the 2-core machine beside the test
# suites: 76 operations, 6,018 cases, 152 s of fuzzing (after the demo build); the time is
# printed below.
run pengurus examples,coverage,fuzzing,stateful -H "Authorization: Bearer ${FUZZ_TOKEN_PENGURUS}"
run dinas fuzzing,stateful --max-examples 6 -H "Authorization: Bearer ${FUZZ_TOKEN_DINAS}"
run anonymous fuzzing --max-examples 4
echo "== fuzzing took $(( $(date +%s) - started )) s"
if grep -q "Traceback" "$OUT/server.log" 2>/dev/null; then
  echo "server errors:"; grep -B2 -A20 "Traceback" "$OUT/server.log" | head -80; status=1
fi
exit $status
