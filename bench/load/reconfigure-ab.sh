#!/usr/bin/env bash
# Reconfigure A/B in one run: two Swarmgates from two jars (JAR_A, JAR_B) side by side, each loaded with SERVICES
# services, then DynamicRoutes' rate step against each in turn, ROUNDS times, the order alternating. The jars meet the
# same machine drift, which moved this machine's reconfigure rate twofold within minutes: two runs of dynamic.sh cannot
# tell a change of a tenth from drift.
#
#   JAR_A=/tmp/main.jar JAR_B=config-api/target/swarmgate.jar flock /tmp/swarmgate-bench.lock bench/load/reconfigure-ab.sh
#
# Settings (environment): JAR_A, JAR_B, SERVICES (100000), ROUNDS (6), RATE_SECONDS (5 s a window), RATE_CONCURRENCY
# (8), WARMUP_SECONDS (10 s of unmeasured reconfigures per Swarmgate after loading: the JIT compiles the path),
# SWARMGATE_B_PORT (24093), SWARMGATE_B_API_PORT (24094), RESULTS_DIR; the rest as in lib.sh. "CPU µs" is the
# Swarmgate process's own user+system CPU per accepted reconfigure (/proc/PID/stat): it moves less with other jobs than
# the rate does.
# Writes RESULTS_DIR/<timestamp>-reconfigure-ab.csv (one row per window) and .md (medians and per-round ratios B/A).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JAR_A="${JAR_A:?JAR_A: the first jar}"
JAR_B="${JAR_B:?JAR_B: the second jar}"
SERVICES="${SERVICES:-100000}"
ROUNDS="${ROUNDS:-6}"
RATE_SECONDS="${RATE_SECONDS:-5}"
RATE_CONCURRENCY="${RATE_CONCURRENCY:-8}"
WARMUP_SECONDS="${WARMUP_SECONDS:-10}"
SWARMGATE_B_PORT="${SWARMGATE_B_PORT:-24093}"
SWARMGATE_B_API_PORT="${SWARMGATE_B_API_PORT:-24094}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"

# dynamic_routes A|B COMMAND [--option value ...]: the Java client on the client CPU against Swarmgate A or B; prints
# its RESULT line's fields.
dynamic_routes() {
  local api data
  if [[ "$1" == A ]]; then api="$A_API_PORT" data="$A_PORT"; else api="$SWARMGATE_B_API_PORT" data="$SWARMGATE_B_PORT"; fi
  shift
  "${ON_CLIENT_CPU[@]}" java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$BENCH_JAR" io.swarmgate.bench.DynamicRoutes \
    "$@" --api "http://127.0.0.1:$api" --data "http://127.0.0.1:$data" --backend-port "$BACKEND_PORT" | sed -n 's/^RESULT //p'
}

A_PORT="$SWARMGATE_PORT" A_API_PORT="$SWARMGATE_API_PORT"
start_two_swarmgates

for t in A B; do
  log "loading $SERVICES services into $t"
  load="$(dynamic_routes "$t" load --services "$SERVICES" --concurrency 4)"
  [[ "$(field failed "$load")" == 0 ]] || die "$t: loading failed: $load"
  dynamic_routes "$t" rate --seconds "$WARMUP_SECONDS" --concurrency "$RATE_CONCURRENCY" >/dev/null
done

STAMP="$(date +%Y%m%d-%H%M%S)"
CSV="$RESULTS_DIR/$STAMP-reconfigure-ab.csv"
echo "round,target,per_second,accepted,rejected,cpu_us,loadavg" >"$CSV"
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then order=(A B); else order=(B A); fi
  for t in "${order[@]}"; do
    pid="$PID_A"; [[ "$t" == B ]] && pid="$PID_B"
    before="$(proc_ticks "$pid")"
    out="$(dynamic_routes "$t" rate --seconds "$RATE_SECONDS" --concurrency "$RATE_CONCURRENCY")"
    after="$(proc_ticks "$pid")"
    awk -v r="$round" -v t="$t" -v ps="$(field per_second "$out")" -v n="$(field accepted "$out")" \
      -v rej="$(field rejected "$out")" -v ticks=$((after - before)) -v hz="$CLK_TCK" \
      -v la="$(cut -d' ' -f1 /proc/loadavg)" \
      'BEGIN { printf "%d,%s,%.0f,%d,%d,%.1f,%s\n", r, t, ps, n, rej, (n > 0 ? ticks * 1e6 / hz / n : 0), la }' >>"$CSV"
    log "round $round $t: $(tail -1 "$CSV")"
  done
done

MD="$RESULTS_DIR/$STAMP-reconfigure-ab.md"
{
  echo "# Reconfigure A/B $STAMP"
  echo
  echo "A: \`$JAR_A\`; B: \`$JAR_B\`. $SERVICES services loaded in each, $ROUNDS rounds of a ${RATE_SECONDS} s rate window each"
  echo "($RATE_CONCURRENCY clients), the order alternating; both Swarmgates and the backend on CPU $SERVER_CPU, the client on"
  echo "CPU $CLIENT_CPU. CPU µs = the Swarmgate process's own CPU per accepted reconfigure."
  echo
  awk -F, 'NR > 1 { rate[$1, $2] = $3; cpu[$1, $2] = $6; rej += $5; if ($1 > rounds) rounds = $1 }
    function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END {
      print "| round | A reconfigures/s | B reconfigures/s | A CPU µs | B CPU µs | B/A rate | B/A CPU |"
      print "|---:|---:|---:|---:|---:|---:|---:|"
      for (r = 1; r <= rounds; r++) {
        ra[r] = rate[r, "A"]; rb[r] = rate[r, "B"]; ca[r] = cpu[r, "A"]; cb[r] = cpu[r, "B"]
        q[r] = rb[r] / ra[r]; c[r] = cb[r] / ca[r]
        printf "| %d | %d | %d | %.1f | %.1f | %.2f | %.2f |\n", r, ra[r], rb[r], ca[r], cb[r], q[r], c[r]
      }
      printf "| median | %d | %d | %.1f | %.1f | **%.2f** | **%.2f** |\n", median(ra, rounds), median(rb, rounds),
        median(ca, rounds), median(cb, rounds), median(q, rounds), median(c, rounds)
      printf "\nRejected reconfigures (non-2xx): %d.\n", rej
    }' "$CSV"
} >"$MD"
log "wrote $MD and $CSV"
