#!/usr/bin/env bash
# Set up everything the test suite needs, then run it (arguments go to pytest).
#   Python packages (the project + test extras);
#   on a root Debian machine, where missing: PostgreSQL + PostGIS, Chromium, LibreOffice Writer and
#   poppler-utils (the Word report as PDF), a Vietnamese-capable font;
#   a running PostgreSQL with a fresh kcn_test database that has the postgis extension;
#   then the suite four times: real clock, and KCN_TODAY pinned to three other days.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"

"$PY" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e ".[test]"

pkgs=()
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  command -v pg_ctlcluster >/dev/null 2>&1 || pkgs+=(postgresql)
  pgver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  pgver=${pgver:-15}
  [ -e "/usr/share/postgresql/$pgver/extension/postgis.control" ] || pkgs+=("postgresql-$pgver-postgis-3")
  command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
  # The Word report is converted to PDF and measured page by page (tests/test_report_pdf.py).
  command -v soffice >/dev/null 2>&1 || pkgs+=(libreoffice-writer-nogui)
  command -v pdftotext >/dev/null 2>&1 || pkgs+=(poppler-utils)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || pkgs+=(fonts-dejavu-core)
  if [ ${#pkgs[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
  fi
  pgver=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
    pg_lsclusters -h | grep -q . || pg_createcluster "$pgver" main >/dev/null
    pg_ctlcluster --skip-systemctl-redirect "$pgver" main start
  fi
fi

PGURL_BASE="${KCN_TEST_PG_ADMIN:-postgresql://postgres@127.0.0.1:5432}"
# One database per run, so two runs on one machine never share state.
TESTDB="kcn_test_$$"
if command -v psql >/dev/null 2>&1 && psql "$PGURL_BASE/postgres" -Atqc "select 1" >/dev/null 2>&1; then
  psql "$PGURL_BASE/postgres" -q -c "CREATE DATABASE $TESTDB"
  psql "$PGURL_BASE/$TESTDB" -q -c "CREATE EXTENSION IF NOT EXISTS postgis"
  export KCN_TEST_DATABASE_URL="postgresql+psycopg://${PGURL_BASE#postgresql://}/$TESTDB"
  trap 'psql "$PGURL_BASE/postgres" -q -c "DROP DATABASE IF EXISTS $TESTDB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
else
  echo "PostgreSQL is not reachable at $PGURL_BASE: PostgreSQL tests will be skipped (fail in CI)." >&2
fi
if command -v chromium >/dev/null 2>&1; then
  export KCN_CHROMIUM="${KCN_CHROMIUM:-$(command -v chromium)}"
fi

# The suite runs once on the real clock, then again with "today" pinned to other days
# (kcn_tracker.clock reads KCN_TODAY): before the newest bundled document, inside the
# 2026 reporting year, and after every 2030 deadline. No test may depend on the date.
# Every run counts: its closing line and exit code are printed at the end, and the
# script fails if any run fails.
PINNED_DAYS=(2025-12-01 2026-03-01 2031-01-01)
summary=()
failed=0
run_suite() {
  local label=$1 log rc
  shift
  log=$(mktemp)
  echo "=== pytest, $label"
  set +e
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  summary+=("$label: $(grep -v '^\s*$' "$log" | tail -n 1) (exit $rc)")
  rm -f "$log"
  if [ "$rc" -ne 0 ]; then failed=1; fi
}
run_suite "real clock" env -u KCN_TODAY "$PY" -m pytest "$@"
for day in "${PINNED_DAYS[@]}"; do
  run_suite "KCN_TODAY=$day" env KCN_TODAY="$day" "$PY" -m pytest -q "$@"
done
echo "=== summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
