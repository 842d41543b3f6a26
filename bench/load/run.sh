#!/usr/bin/env bash
# End-to-end load test of the Tracking API on this machine (server and load generator share its cores).
#
#   bench/load/run.sh            build Release, start Junction on a fresh data directory, create a token and a
#                                source, then measure in one run:
#                                  (a) POST /v1/track, one event per request (wrk)
#                                  (b) POST /v1/batch, 100 events per request (wrk)
#                                  (c) the same single-event requests against a no-op Kestrel app (the ceiling)
#                                  (d) latency of /v1/track at half the rate measured in (a) (hey)
#                                and Junction's resident memory: idle, and sampled every second under load.
#                                About 3 minutes.
#   bench/load/run.sh --soak     the same set-up, then 10 minutes of /v1/track at a moderate fixed rate (hey),
#                                sampling resident memory every 10 s to show whether it stays flat.
#   bench/load/run.sh --profile  the same set-up, then (a) again (or (b) with PROFILE_CALL=batch) under
#                                `perf record` (with the .NET perf map), and the hottest functions of the server.
#
# Settings (environment): DURATION (s per measured phase, 20), WARMUP (s before each, 5), CONNECTIONS (wrk
# connections for single events, 512), BATCH_CONNECTIONS (48), WRK_THREADS (1), LATENCY_WORKERS (hey -c, 50),
# SOAK_RATE (req/s, 4000), SOAK_SECONDS (600), PORT (18088), NOOP_PORT (18089), NO_BUILD=1 to skip the build,
# KEEP_DATA=1 to keep the data directory, QUIET_MAX (20) and QUIET_WAIT (900): before each phase, wait up to
# QUIET_WAIT seconds until other processes use less than QUIET_MAX % of one core.
# The results are printed and kept in $OUT (artifacts/load/<time>-<mode>).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

MODE=run
case "${1:-}" in
  "") ;;
  --soak) MODE=soak ;;
  --profile) MODE=profile ;;
  *) echo "usage: bench/load/run.sh [--soak|--profile]" >&2; exit 2 ;;
esac

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-512}
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-48}
WRK_THREADS=${WRK_THREADS:-1}
LATENCY_WORKERS=${LATENCY_WORKERS:-50}
SOAK_RATE=${SOAK_RATE:-4000}
SOAK_SECONDS=${SOAK_SECONDS:-600}
PORT=${PORT:-18088}
NOOP_PORT=${NOOP_PORT:-18089}
BATCH_EVENTS=100

SERVER_DLL=$ROOT/src/Junction.Server/bin/Release/net10.0/Junction.Server.dll
NOOP_DLL=$ROOT/bench/Junction.Bench.NoopServer/bin/Release/net10.0/Junction.Bench.NoopServer.dll
PAYLOADS=$ROOT/bench/payloads
LOAD=$ROOT/bench/load
OUT=${OUT:-$ROOT/artifacts/load/$(date -u +%Y%m%dT%H%M%SZ)-$MODE}
BASE=http://127.0.0.1:$PORT
NOOP=http://127.0.0.1:$NOOP_PORT
TICKS=$(getconf CLK_TCK)
CORES=$(nproc)

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

ensure_tools() {
  local missing=()
  for tool in wrk hey curl jq; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ "$MODE" = profile ] && ! command -v perf >/dev/null && missing+=(linux-perf)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing ${missing[*]} from Debian"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

build() {
  [ "${NO_BUILD:-0}" = 1 ] && return 0
  log "Building Release (Junction.Server and the no-op server)"
  dotnet build src/Junction.Server/Junction.Server.csproj -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null
  dotnet build bench/Junction.Bench.NoopServer/Junction.Bench.NoopServer.csproj -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null
}

# --- measurements from /proc ------------------------------------------------------------------------------------

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_mb() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# CPU time of a process (user + system), in clock ticks.
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Busy CPU time of the whole machine (everything but idle and iowait), in clock ticks.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# ticks over seconds, as a percentage of one core
pct() { awk -v t="$1" -v s="$2" -v hz="$TICKS" 'BEGIN { printf "%.0f", 100 * t / hz / s }'; }

# CPU used over 2 s by everything but the servers this script started, in % of one core.
others_cpu() {
  local m0 m1 own0=0 own1=0 pid
  m0=$(machine_ticks)
  for pid in ${JUNCTION_PID:-} ${NOOP_PID:-}; do own0=$((own0 + $(proc_ticks "$pid"))); done
  sleep 2
  m1=$(machine_ticks)
  for pid in ${JUNCTION_PID:-} ${NOOP_PID:-}; do own1=$((own1 + $(proc_ticks "$pid"))); done
  pct $((m1 - m0 - (own1 - own0))) 2
}

# The machine is shared (builds and tests of other work): wait, up to QUIET_WAIT seconds, until other processes use
# less than QUIET_MAX % of one core, so that a phase measures Junction rather than a neighbour's compiler.
wait_quiet() {
  local waited=0 busy
  while busy=$(others_cpu); [ "$busy" -gt "${QUIET_MAX:-20}" ]; do
    if [ "$waited" -ge "${QUIET_WAIT:-900}" ]; then
      log "other processes still use $busy% of a core after ${waited}s; measuring anyway (see the 'other' column)"
      return 0
    fi
    [ "$waited" -eq 0 ] && log "waiting for a quiet machine: other processes use $busy% of a core"
    sleep 3
    waited=$((waited + 5))
  done
}

start_sampler() {
  echo idle >"$OUT/phase"
  (
    while kill -0 "$JUNCTION_PID" 2>/dev/null; do
      printf '%s %s %s\n' "$(date +%s)" "$(cat "$OUT/phase")" "$(rss_mb "$JUNCTION_PID")" >>"$OUT/rss.log"
      sleep "${SAMPLE_EVERY:-1}"
    done
  ) &
  SAMPLER_PID=$!
}

peak_rss() { awk -v p="$1" '$2 == p && $3 > max { max = $3 } END { printf "%.1f", max }' "$OUT/rss.log"; }

# --- servers ----------------------------------------------------------------------------------------------------

# wait_for URL PID [curl flags]: until the URL answers (with -f: answers 2xx).
wait_for() {
  local url=$1 pid=$2 flags=${3:--s}
  for _ in $(seq 1 120); do
    curl "$flags" -o /dev/null "$url" && return 0
    kill -0 "$pid" 2>/dev/null || die "the server exited; see $OUT/*.log"
    sleep 0.5
  done
  die "$url did not answer within 60 s"
}

start_junction() {
  log "Starting Junction on $BASE (data in $DATA)"
  local perf_map=0
  [ "$MODE" = profile ] && perf_map=1
  # For perf: the JIT writes /tmp/perf-PID.map, and W^X is off so that JIT code is not in an anonymous double mapping.
  DOTNET_PerfMapEnabled=$perf_map DOTNET_EnableWriteXorExecute=$((1 - perf_map)) dotnet "$SERVER_DLL" serve --data "$DATA" --urls "$BASE" >"$OUT/junction.log" 2>&1 &
  JUNCTION_PID=$!
  wait_for "$BASE/health" "$JUNCTION_PID" -sf
}

# Creates a Public API token with the tokens verb and a source through the Public API; sets WRITE_KEY.
create_source() {
  local token response status
  token=$(dotnet "$SERVER_DLL" tokens create --name bench --data "$DATA" | tail -n 1)
  [ -n "$token" ] || die "tokens create printed no token"
  for attempt in $(seq 1 30); do
    response=$(curl -s -w '\n%{http_code}' -X POST "$BASE/api/sources" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"slug":"bench","enabled":true,"metadataId":"IqDTy1TpoU"}')
    status=${response##*$'\n'}
    if [ "$status" = 201 ] || [ "$status" = 200 ]; then
      WRITE_KEY=$(printf '%s' "${response%$'\n'*}" | jq -r '.data.source.writeKeys[0]')
      [ -n "$WRITE_KEY" ] && [ "$WRITE_KEY" != null ] && return 0
      die "POST /api/sources answered without data.source.writeKeys[0]: ${response%$'\n'*}"
    fi
    log "POST /api/sources answered $status (attempt $attempt of 30); retrying in 10 s"
    sleep 10
  done
  die "could not create a source through POST /api/sources"
}

start_noop() {
  log "Starting the no-op server on $NOOP"
  dotnet "$NOOP_DLL" --urls "$NOOP" >"$OUT/noop.log" 2>&1 &
  NOOP_PID=$!
  wait_for "$NOOP/" "$NOOP_PID"
}

stop() {
  local pid=${1:-}
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  stop "${SAMPLER_PID:-}"
  stop "${NOOP_PID:-}"
  stop "${JUNCTION_PID:-}"
  if [ "${KEEP_DATA:-0}" != 1 ] && [ -n "${DATA:-}" ]; then rm -rf "$DATA"; fi
}

# --- load phases ------------------------------------------------------------------------------------------------

# run_wrk NAME URL SCRIPT CONNECTIONS SERVER_PID [script args...]: a warm-up, then a measured run. Writes
# $OUT/NAME.wrk and sets RATE, P50_MS, P99_MS, ERRORS, SERVER_CPU, WRK_CPU, OTHER_CPU (percent of one core).
run_wrk() {
  local name=$1 url=$2 script=$3 connections=$4 pid=$5
  shift 5
  local auth=(-H "Authorization: $AUTH")
  wait_quiet
  log "$name: warm-up ${WARMUP}s"
  echo "$name-warmup" >"$OUT/phase"
  wrk -t "$WRK_THREADS" -c "$connections" -d "${WARMUP}s" "${auth[@]}" -s "$script" "$url" -- "$@" >/dev/null
  log "$name: measuring ${DURATION}s with $connections connections"
  echo "$name" >"$OUT/phase"
  local server0 machine0 server1 machine1 start end
  server0=$(proc_ticks "$pid")
  machine0=$(machine_ticks)
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$OUT/$name.time" \
    wrk -t "$WRK_THREADS" -c "$connections" -d "${DURATION}s" --latency "${auth[@]}" -s "$script" "$url" -- "$@" >"$OUT/$name.wrk"
  end=$(date +%s.%N)
  server1=$(proc_ticks "$pid")
  machine1=$(machine_ticks)
  echo "between" >"$OUT/phase"
  local seconds wrk_ticks
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  wrk_ticks=$(awk -v hz="$TICKS" '{ printf "%.0f", ($1 + $2) * hz }' "$OUT/$name.time")
  RATE=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$OUT/$name.wrk")
  P50_MS=$(wrk_percentile 50 "$OUT/$name.wrk")
  P99_MS=$(wrk_percentile 99 "$OUT/$name.wrk")
  ERRORS=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$OUT/$name.wrk")
  SERVER_CPU=$(pct $((server1 - server0)) "$seconds")
  WRK_CPU=$(pct "$wrk_ticks" "$seconds")
  OTHER_CPU=$(pct $((machine1 - machine0 - (server1 - server0) - wrk_ticks)) "$seconds")
  [ "${OTHER_CPU#-}" = "$OTHER_CPU" ] || OTHER_CPU=0
}

# The latency percentile from wrk --latency, in milliseconds.
wrk_percentile() {
  awk -v p="$1%" '$1 == p {
      v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v)
      printf "%.2f", (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : (unit == "m") ? v * 60000 : v
    }' "$2"
}

# run_hey NAME URL BODY RATE SECONDS: a fixed-rate run of hey (-q per worker x -c workers). Sets HEY_RATE, HEY_P50_MS,
# HEY_P99_MS, HEY_ERRORS.
run_hey() {
  local name=$1 url=$2 body=$3 rate=$4 seconds=$5
  local per_worker
  per_worker=$(awk -v r="$rate" -v c="$LATENCY_WORKERS" 'BEGIN { printf "%.0f", r / c }')
  [ "$per_worker" -ge 1 ] || per_worker=1
  wait_quiet
  log "$name: $LATENCY_WORKERS workers x $per_worker req/s for ${seconds}s"
  echo "$name" >"$OUT/phase"
  hey -z "${seconds}s" -c "$LATENCY_WORKERS" -q "$per_worker" -m POST -T application/json \
    -H "Authorization: $AUTH" -D "$body" "$url" >"$OUT/$name.hey"
  echo "between" >"$OUT/phase"
  HEY_TARGET=$((per_worker * LATENCY_WORKERS))
  HEY_RATE=$(awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$OUT/$name.hey")
  HEY_P50_MS=$(awk '$1 == "50%" { printf "%.2f", $3 * 1000 }' "$OUT/$name.hey")
  HEY_P99_MS=$(awk '$1 == "99%" { printf "%.2f", $3 * 1000 }' "$OUT/$name.hey")
  HEY_ERRORS=$(awk '/^Status code distribution:/ { section = "status"; next }
      /^Error distribution:/ { section = "error"; next }
      /^[ \t]*\[[0-9]+\]/ { code = $1; gsub(/[^0-9]/, "", code)
        if (section == "status" && code != 200) n += $2; else if (section == "error") n += code }
      END { print n + 0 }' "$OUT/$name.hey")
}

# One event with a fixed user and no messageId, for hey (which sends the same body every time).
write_hey_body() {
  jq -c 'del(.messageId)' "$PAYLOADS/track.json" >"$OUT/track-hey.json"
}

check_accepts() {
  local answer
  answer=$(curl -s -X POST "$BASE/v1/track" -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
    --data-binary "@$OUT/track-hey.json")
  [ "$answer" = '{"success":true}' ] || die "POST /v1/track answered $answer"
}

# --- modes ------------------------------------------------------------------------------------------------------

setup() {
  ensure_tools
  build
  mkdir -p "$OUT"
  DATA=$(mktemp -d /tmp/junction-load.XXXXXX)
  trap cleanup EXIT
  log "Results in $OUT"
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $CORES cores"
    echo "memory: $(awk '/^MemTotal:/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "dotnet: $(dotnet --version)"
  } >"$OUT/machine.txt"
  start_junction
  create_source
  AUTH="Basic $(printf '%s:' "$WRITE_KEY" | base64 -w0)"
  write_hey_body
  check_accepts
  start_sampler
  sleep 5
  IDLE_MB=$(rss_mb "$JUNCTION_PID")
}

run_mode() {
  run_wrk track "$BASE/v1/track" "$LOAD/track.lua" "$CONNECTIONS" "$JUNCTION_PID" "$PAYLOADS/track.json"
  local track_rate=$RATE track_p50=$P50_MS track_p99=$P99_MS track_err=$ERRORS
  local track_cpu=$SERVER_CPU track_wrk=$WRK_CPU track_other=$OTHER_CPU
  local track_peak
  track_peak=$(peak_rss track)

  run_wrk batch "$BASE/v1/batch" "$LOAD/batch.lua" "$BATCH_CONNECTIONS" "$JUNCTION_PID" \
    "$PAYLOADS/batch-event.json" "$BATCH_EVENTS" "$WRITE_KEY"
  local batch_rate=$RATE batch_p50=$P50_MS batch_p99=$P99_MS batch_err=$ERRORS
  local batch_cpu=$SERVER_CPU batch_wrk=$WRK_CPU batch_other=$OTHER_CPU
  local batch_peak
  batch_peak=$(peak_rss batch)

  local half=$((track_rate / 2))
  run_hey latency "$BASE/v1/track" "$OUT/track-hey.json" "$half" "$DURATION"
  local latency_peak
  latency_peak=$(peak_rss latency)
  local hwm
  hwm=$(hwm_mb "$JUNCTION_PID")

  start_noop
  run_wrk noop "$NOOP/v1/track" "$LOAD/track.lua" "$CONNECTIONS" "$NOOP_PID" "$PAYLOADS/track.json"
  local noop_rate=$RATE noop_p50=$P50_MS noop_p99=$P99_MS noop_err=$ERRORS
  local noop_cpu=$SERVER_CPU noop_wrk=$WRK_CPU noop_other=$OTHER_CPU noop_hwm
  noop_hwm=$(hwm_mb "$NOOP_PID")
  stop "$NOOP_PID"
  NOOP_PID=

  local ratio batch_events
  ratio=$(awk -v a="$track_rate" -v b="$noop_rate" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
  batch_events=$((batch_rate * BATCH_EVENTS))
  {
    cat "$OUT/machine.txt"
    echo "phases: ${DURATION}s measured after ${WARMUP}s warm-up; wrk -t $WRK_THREADS; CPU in % of one core ($CORES cores = $((CORES * 100))%)"
    echo
    printf '| %-38s | %10s | %12s | %8s | %8s | %6s | %10s | %8s | %7s |\n' \
      phase "req/s" "events/s" "p50 ms" "p99 ms" errors "server CPU" "load CPU" "other"
    printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' \
      "$(printf -- '-%.0s' {1..40})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..14})" \
      "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..8})" \
      "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..9})"
    printf '| %-38s | %10s | %12s | %8s | %8s | %6s | %9s%% | %7s%% | %6s%% |\n' \
      "(a) /v1/track, $CONNECTIONS conns (wrk)" "$track_rate" "$track_rate" "$track_p50" "$track_p99" "$track_err" "$track_cpu" "$track_wrk" "$track_other" \
      "(b) /v1/batch x$BATCH_EVENTS, $BATCH_CONNECTIONS conns (wrk)" "$batch_rate" "$batch_events" "$batch_p50" "$batch_p99" "$batch_err" "$batch_cpu" "$batch_wrk" "$batch_other" \
      "(c) no-op /v1/track, $CONNECTIONS conns (wrk)" "$noop_rate" "-" "$noop_p50" "$noop_p99" "$noop_err" "$noop_cpu" "$noop_wrk" "$noop_other"
    printf '| %-38s | %10s | %12s | %8s | %8s | %6s | %10s | %8s | %7s |\n' \
      "(d) /v1/track at $HEY_TARGET req/s (hey)" "$HEY_RATE" "$HEY_RATE" "$HEY_P50_MS" "$HEY_P99_MS" "$HEY_ERRORS" "" "" ""
    echo
    if [ $((track_err + batch_err + noop_err + HEY_ERRORS)) -gt 0 ]; then
      echo "WARNING: some requests failed (errors column): those rates do not count; see $OUT/*.wrk, *.hey and junction.log"
    fi
    echo "single-event rate / no-op rate: $ratio  (target >= 0.40)"
    echo "batch events/s: $batch_events  (target >= 400000)"
    echo "p99 at half the single-event rate: $HEY_P99_MS ms  (target < 20 ms)"
    echo "Junction RSS: idle ${IDLE_MB} MB (target < 150), peak sampled: track ${track_peak} MB, batch ${batch_peak} MB, latency ${latency_peak} MB; VmHWM ${hwm} MB (target < 500)"
    echo "no-op server VmHWM: ${noop_hwm} MB"
  } | tee "$OUT/summary.txt"
}

soak_mode() {
  SAMPLE_EVERY=10
  stop "$SAMPLER_PID"
  : >"$OUT/rss.log"
  start_sampler
  run_hey soak "$BASE/v1/track" "$OUT/track-hey.json" "$SOAK_RATE" "$SOAK_SECONDS"
  sleep 1
  {
    cat "$OUT/machine.txt"
    echo "soak: /v1/track at $HEY_TARGET req/s for ${SOAK_SECONDS}s (hey, $LATENCY_WORKERS workers); achieved $HEY_RATE req/s, p50 $HEY_P50_MS ms, p99 $HEY_P99_MS ms, errors $HEY_ERRORS"
    echo "idle RSS before: ${IDLE_MB} MB"
    echo
    echo "| t (s) | RSS MB |"
    echo "|------:|-------:|"
    awk '$2 == "soak" { if (!t0) t0 = $1; printf "| %5d | %6.1f |\n", $1 - t0, $3 }' "$OUT/rss.log"
    echo
    awk '$2 == "soak" { if (!t0) t0 = $1; t = $1 - t0; n++; if (n == 1 || $3 < min) min = $3; if ($3 > max) max = $3
                         if (t >= 60 && !first) first = $3; last = $3; lt = t }
         END { printf "RSS over the soak: min %.1f MB, max %.1f MB; at 60 s %.1f MB, at %d s %.1f MB (%+.1f MB, %+.2f MB/min)\n",
               min, max, first, lt, last, last - first, (lt > 60) ? (last - first) / ((lt - 60) / 60) : 0 }' "$OUT/rss.log"
  } | tee "$OUT/summary.txt"
}

profile_mode() {
  local url=$BASE/v1/track script=$LOAD/track.lua connections=$CONNECTIONS args=("$PAYLOADS/track.json")
  if [ "${PROFILE_CALL:-track}" = batch ]; then
    url=$BASE/v1/batch script=$LOAD/batch.lua connections=$BATCH_CONNECTIONS
    args=("$PAYLOADS/batch-event.json" "$BATCH_EVENTS" "$WRITE_KEY")
  fi
  wait_quiet
  log "profile: warm-up ${WARMUP}s, then perf stat (3 s) and perf record -g under $url load"
  wrk -t "$WRK_THREADS" -c "$connections" -d "${WARMUP}s" -H "Authorization: $AUTH" -s "$script" "$url" -- "${args[@]}" >/dev/null
  wrk -t "$WRK_THREADS" -c "$connections" -d "$((DURATION + 2))s" -H "Authorization: $AUTH" -s "$script" "$url" -- "${args[@]}" \
    >"$OUT/profile.wrk" &
  local wrk_pid=$!
  sleep 2
  # Group commits and read-backs: the writer fsyncs each touched partition once per group, the processor preads.
  perf stat -e syscalls:sys_enter_fsync,syscalls:sys_enter_pread64 -p "$JUNCTION_PID" -o "$OUT/perf-stat.txt" -- sleep 3
  perf record -F 499 -g -p "$JUNCTION_PID" -o "$OUT/perf.data" -- sleep "$((DURATION - 4))" 2>"$OUT/perf-record.log"
  wait "$wrk_pid"
  awk '/syscalls:sys_enter/ { gsub(/,/, "", $1); printf "%s per second: %.0f\n", $2, $1 / 3 }' "$OUT/perf-stat.txt"
  perf report -i "$OUT/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -8 \
    | tee "$OUT/perf-threads.txt"
  perf report -i "$OUT/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -12 \
    | tee "$OUT/perf-dso.txt"
  perf report -i "$OUT/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' \
    >"$OUT/perf-self.txt"
  perf report -i "$OUT/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' \
    >"$OUT/perf-inclusive.txt"
  log "hottest functions (self time): $OUT/perf-self.txt; inclusive: $OUT/perf-inclusive.txt"
  sed -E 's/ {2,}/ /g; s/ - - *$//' "$OUT/perf-self.txt" | cut -c1-180 | head -30
  awk '/^Requests\/sec:/ { print "rate under perf: " $2 " req/s" }' "$OUT/profile.wrk"
}

setup
case "$MODE" in
  run) run_mode ;;
  soak) soak_mode ;;
  profile) profile_mode ;;
esac
