#!/usr/bin/env bash
# Junction's build and test entry point.
#
#   ./build.sh test    install what the tests need, build, check formatting, run every test project,
#                      and end with one line "N passed, N failed" (exit status non-zero on any failure)
#   ./build.sh build   build only
#
# The test command is self-sufficient on a fresh Debian 12 machine with the .NET SDK and Node.js: it installs
# Chromium and PostgreSQL 15 from Debian when missing, installs the Node.js fixtures (Segment's real client libraries)
# with npm ci, and starts every server the tests need itself (the tests start PostgreSQL as a non-root user).
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIGURATION=${CONFIGURATION:-Release}
RESULTS="$ROOT/artifacts/test-results"

log() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi
}

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then return 0; fi
  log "Installing Chromium from Debian (for the browser tests)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
}

ensure_postgres() {
  if [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then return 0; fi
  log "Installing PostgreSQL 15 from Debian (the warehouse tests start their own server from its binaries)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
}

ensure_node_fixtures() {
  local dir
  for dir in tests/fixtures/node; do
    if [ -f "$dir/package-lock.json" ]; then
      log "Installing Node.js fixtures in $dir"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    fi
  done
}

build() {
  log "Building ($CONFIGURATION)"
  dotnet build Junction.slnx -c "$CONFIGURATION" -nologo -clp:ErrorsOnly
}

check_format() {
  log "Checking formatting (dotnet format --verify-no-changes)"
  dotnet format Junction.slnx --verify-no-changes --no-restore
}

# Runs the test projects one after another (they start servers and browsers; two cores do not run them well in
# parallel). A project that ends without a result file (a crash) counts as one failure.
run_tests() {
  rm -rf "$RESULTS"
  mkdir -p "$RESULTS"
  local project name
  for project in tests/*/*.csproj; do
    name=$(basename "$project" .csproj)
    grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue
    log "Testing $name"
    dotnet test "$project" -c "$CONFIGURATION" --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$RESULTS"
    if [ ! -f "$RESULTS/$name.trx" ]; then
      echo "$name produced no results" >&2
      extra_failures=$((extra_failures + 1))
    fi
  done
}

summarize() {
  local passed=0 failed=$extra_failures p f file
  for file in "$RESULTS"/*.trx; do
    [ -f "$file" ] || continue
    p=$(grep -o '<Counters [^>]*' "$file" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*')
    f=$(grep -o '<Counters [^>]*' "$file" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
  done
  # Name the failed tests, with the first lines of each one's message and stack, above the summary, so that a log's
  # last lines say what failed and why.
  for file in "$RESULTS"/*.trx; do
    [ -f "$file" ] || continue
    awk -f "$ROOT/.ci/failed-tests.awk" "$file"
  done
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

case "${1:-test}" in
  build)
    build
    ;;
  test)
    # Set-up problems (no Chromium, npm, formatting) each count as one failure in the summary line.
    extra_failures=0
    ensure_chromium || { echo "Could not install Chromium" >&2; extra_failures=$((extra_failures + 1)); }
    ensure_postgres || { echo "Could not install PostgreSQL 15" >&2; extra_failures=$((extra_failures + 1)); }
    ensure_node_fixtures || { echo "npm ci failed" >&2; extra_failures=$((extra_failures + 1)); }
    if ! build; then
      echo "0 passed, 1 failed"
      exit 1
    fi
    check_format || { echo "Formatting differs from dotnet format" >&2; extra_failures=$((extra_failures + 1)); }
    run_tests
    summarize
    ;;
  *)
    echo "usage: ./build.sh [test|build]" >&2
    exit 2
    ;;
esac
