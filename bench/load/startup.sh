#!/usr/bin/env bash
# Start-up time and memory of the packaged jar, with and without the image's JVM flags.
#
#   bench/load/startup.sh                      # needs config-api/target/swarmgate.jar
#   REPEATS=5 bench/load/startup.sh
#
# For each variant below, REPEATS times in turn:
#   1. starts `java <flags> -jar swarmgate.jar` with one service from the environment (DFP_SERVICE_*) routed to the
#      nginx backend, and polls the proxy every 5 ms: the time from the start to the first 200 through the proxy is
#      the *first answer*, and the CPU time the process used until then (user+system), which other jobs on a shared
#      machine disturb less than the wall time;
#   2. SETTLE (5) s later, the process's RSS (VmRSS) at idle;
#   3. LOAD (10) s of wrk keep-alive load (CONNECTIONS, 64), then its RSS while still under load;
#   4. stops it.
# Variants: "default" is the JVM's own choice on this machine (no flag); "image" is the Dockerfile's
# JAVA_TOOL_OPTIONS, its class-data sharing archive made here as the image build makes it (a training start with
# -XX:ArchiveClassesAtExit).
# Writes bench/results/<timestamp>-startup.md and -startup.csv (one row per run). Pinned as compare.sh is (PIN).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REPEATS="${REPEATS:-3}"
SETTLE="${SETTLE:-5}"
LOAD="${LOAD:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
# The image's flags, as the Dockerfile sets them (JAVA_TOOL_OPTIONS, over one or more lines).
IMAGE_FLAGS="${IMAGE_FLAGS:-$(awk '/^ARG JAVA_TOOL_OPTIONS="/ { on = 1 } on { line = line $0; if ($0 !~ /\\$/) exit }
  END { sub(/^ARG JAVA_TOOL_OPTIONS="/, "", line); sub(/"$/, "", line); gsub(/\\/, "", line); print line }' \
  "$REPO_DIR/Dockerfile")}"

[[ -f "$SWARMGATE_JAR" ]] || die "$SWARMGATE_JAR is missing: run mvn -B -DskipTests package first"
ensure_tools
trap cleanup EXIT INT TERM
make_workdir
check_ports_free "$BACKEND_PORT" "$SWARMGATE_PORT" "$SWARMGATE_API_PORT"
start_backend

# rss_mib PID: the process's VmRSS in MiB.
rss_mib() { awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# launch FLAGS...: starts Swarmgate in the background with the environment's service; sets PID.
launch() {
  # shellcheck disable=SC2086 # flags are a list
  PORT="$SWARMGATE_API_PORT" DEFAULT_PORTS="$SWARMGATE_PORT" DISCOVERY=off \
    DFP_SERVICE_SERVICE_NAME=backend DFP_SERVICE_SERVICE_PATH=/demo DFP_SERVICE_PORT="$BACKEND_PORT" \
    DFP_SERVICE_OUTBOUND_HOSTNAME=127.0.0.1 \
    "${ON_SERVER_CPU[@]}" java "$@" -jar "$SWARMGATE_JAR" >"$WORK/swarmgate.log" 2>&1 &
  PID=$!
  SERVER_PIDS+=("$PID")
}

# The JVM's own pid: the java launcher may run it in a child process.
jvm_pid() { pgrep -P "$PID" java || echo "$PID"; }

stop() {
  kill -TERM "$PID"
  wait "$PID" 2>/dev/null || true
  SERVER_PIDS=("${SERVER_PIDS[@]/$PID/}")
}

# The image's class-data sharing archive: the classes of one start, dumped when it stops.
log "making the class-data sharing archive"
launch -XX:ArchiveClassesAtExit="$WORK/swarmgate.jsa"
wait_for_status "http://127.0.0.1:$SWARMGATE_PORT/demo/small" 200 || die "no answer: $(tail "$WORK/swarmgate.log")"
stop
[[ -f "$WORK/swarmgate.jsa" ]] || die "no archive was written: $(tail "$WORK/swarmgate.log")"

declare -A FLAGS=([default]="" [image]="${IMAGE_FLAGS//\/opt\/swarmgate\/swarmgate.jsa/$WORK/swarmgate.jsa}")
VARIANTS="${VARIANTS:-default image}"
STAMP="$(date +%Y%m%d-%H%M%S)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$RESULTS_DIR"
CSV="$RESULTS_DIR/$STAMP-startup.csv"
echo "variant,run,first_answer_ms,cpu_ms,idle_rss_mib,load_rss_mib,load_rps" >"$CSV"

for run in $(seq 1 "$REPEATS"); do
  for variant in $VARIANTS; do
    start_ns="$(date +%s%N)"
    # shellcheck disable=SC2086 # flags are a list
    launch ${FLAGS[$variant]}
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$SWARMGATE_PORT/demo/small")" == 200 ]]; do
      kill -0 "$PID" 2>/dev/null || die "Swarmgate exited: $(tail "$WORK/swarmgate.log")"
      (($(date +%s%N) - start_ns < 30000000000)) || die "no answer within 30 s"
      sleep 0.005
    done
    first_ms=$((($(date +%s%N) - start_ns) / 1000000))
    jvm="$(jvm_pid)"
    cpu_ms="$(awk -v tck="$CLK_TCK" '{ printf "%.0f", ($14 + $15) * 1000 / tck }' "/proc/$jvm/stat")"
    sleep "$SETTLE"
    idle="$(rss_mib "$jvm")"
    run_wrk "$LOAD" "$CONNECTIONS" "http://127.0.0.1:$SWARMGATE_PORT/demo/small" >"$WORK/wrk.out" &
    wrk_pid=$!
    sleep "$((LOAD - 1))"
    loaded="$(rss_mib "$jvm")"
    wait "$wrk_pid"
    rps="$(awk -v r="$(field requests "$(cat "$WORK/wrk.out")")" -v d="$(field duration_us "$(cat "$WORK/wrk.out")")" \
      'BEGIN { printf "%.0f", d ? r / (d / 1e6) : 0 }')"
    stop
    log "$variant run $run: first answer $first_ms ms ($cpu_ms ms CPU), RSS idle $idle MiB, under load $loaded MiB" \
      "($rps req/s)"
    echo "$variant,$run,$first_ms,$cpu_ms,$idle,$loaded,$rps" >>"$CSV"
  done
done

{
  echo "# Start-up and memory ($STAMP)"
  echo
  echo "\`bench/load/startup.sh\`, $REPEATS runs per variant, medians; jar $(du -m "$SWARMGATE_JAR" | cut -f1) MB;"
  echo "$(java -version 2>&1 | head -1); $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); PIN=$PIN."
  echo
  echo "Load average before the runs: $LOAD_BEFORE (other jobs on the machine stretch the wall times)."
  echo
  echo "| variant | JVM flags | first answer (ms) | CPU to first answer (ms) | RSS idle (MiB) | RSS under load (MiB) | req/s under load |"
  echo "|---|---|---|---|---|---|---|"
  for variant in $VARIANTS; do
    col() { awk -F, -v v="$variant" -v c="$1" '$1 == v { print $c }' "$CSV" | median; }
    echo "| $variant | \`${FLAGS[$variant]:-(none)}\` | $(col 3) | $(col 4) | $(col 5) | $(col 6) | $(col 7) |"
  done
} | sed "s|$WORK/swarmgate.jsa|swarmgate.jsa|" >"$RESULTS_DIR/$STAMP-startup.md"
cat "$RESULTS_DIR/$STAMP-startup.md"
