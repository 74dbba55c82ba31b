#!/usr/bin/env bash
# What the dashboard's state costs with many services: two Swarmgates from two jars (JAR_A, JAR_B) side by side, each
# loaded with SERVICES services, then REQUESTS serial GETs of /dashboard/state.json for each query of QUERIES against
# each in turn, ROUNDS times, the order alternating. An open dashboard asks for it every 2 s, on the API's event loop
# that also answers reconfigures.
#
#   JAR_A=/tmp/main.jar JAR_B=config-api/target/swarmgate.jar flock /tmp/swarmgate-bench.lock bench/load/dashboard-state.sh
#
# Settings (environment): JAR_A, JAR_B, SERVICES (100000), ROUNDS (3), REQUESTS (10 per query and round, after one
# unmeasured), QUERIES (space-separated query strings, "-" for none; default "- search=svc-0999"), SWARMGATE_B_PORT
# (24093), SWARMGATE_B_API_PORT (24094), RESULTS_DIR; the rest as in lib.sh. "CPU ms" is the Swarmgate process's own
# user+system CPU per answer (/proc/PID/stat); "ms" the median time to the whole answer, as curl saw it.
# Writes RESULTS_DIR/<timestamp>-dashboard-state.csv (one row per round, target and query) and .md (medians).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JAR_A="${JAR_A:?JAR_A: the first jar}"
JAR_B="${JAR_B:?JAR_B: the second jar}"
SERVICES="${SERVICES:-100000}"
ROUNDS="${ROUNDS:-3}"
REQUESTS="${REQUESTS:-10}"
QUERIES="${QUERIES:-- search=svc-0999}"
SWARMGATE_B_PORT="${SWARMGATE_B_PORT:-24093}"
SWARMGATE_B_API_PORT="${SWARMGATE_B_API_PORT:-24094}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"

API_A="$SWARMGATE_API_PORT" DATA_A="$SWARMGATE_PORT" API_B="$SWARMGATE_B_API_PORT" DATA_B="$SWARMGATE_B_PORT"
start_two_swarmgates

for t in A B; do
  api="API_$t" data="DATA_$t"
  log "loading $SERVICES services into $t"
  load="$("${ON_CLIENT_CPU[@]}" java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$BENCH_JAR" \
    io.swarmgate.bench.DynamicRoutes load --services "$SERVICES" --concurrency 4 --api "http://127.0.0.1:${!api}" \
    --data "http://127.0.0.1:${!data}" --backend-port "$BACKEND_PORT" | sed -n 's/^RESULT //p')"
  [[ "$(field failed "$load")" == 0 ]] || die "$t: loading failed: $load"
done

# state_url A|B QUERY
state_url() {
  local api="API_$1"
  if [[ "$2" == - ]]; then echo "http://127.0.0.1:${!api}/dashboard/state.json"; else echo "http://127.0.0.1:${!api}/dashboard/state.json?$2"; fi
}

STAMP="$(date +%Y%m%d-%H%M%S)"
CSV="$RESULTS_DIR/$STAMP-dashboard-state.csv"
echo "round,target,query,ms,bytes,cpu_ms,loadavg" >"$CSV"
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then order=(A B); else order=(B A); fi
  for query in $QUERIES; do
    for t in "${order[@]}"; do
      pid="$PID_A"; [[ "$t" == B ]] && pid="$PID_B"
      url="$(state_url "$t" "$query")"
      curl -fsS --max-time 60 -o /dev/null "$url" # unmeasured: the first after a change works out the table's version
      before="$(proc_ticks "$pid")"
      times=()
      for _ in $(seq 1 "$REQUESTS"); do
        read -r seconds bytes < <("${ON_CLIENT_CPU[@]}" curl -fsS --max-time 60 -o /dev/null \
          -w '%{time_total} %{size_download}\n' "$url")
        times+=("$seconds")
      done
      after="$(proc_ticks "$pid")"
      ms="$(printf '%s\n' "${times[@]}" | median | awk '{ printf "%.1f", $1 * 1000 }')"
      awk -v r="$round" -v t="$t" -v q="$query" -v ms="$ms" -v b="$bytes" -v ticks=$((after - before)) \
        -v hz="$CLK_TCK" -v n="$REQUESTS" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "%d,%s,%s,%s,%d,%.1f,%s\n", r, t, q, ms, b, ticks * 1000 / hz / n, la }' >>"$CSV"
      log "round $round $t $query: $(tail -1 "$CSV")"
    done
  done
done

MD="$RESULTS_DIR/$STAMP-dashboard-state.md"
{
  echo "# Dashboard state A/B $STAMP"
  echo
  echo "A: \`$JAR_A\`; B: \`$JAR_B\`. $SERVICES services loaded in each; $ROUNDS rounds of $REQUESTS serial GETs of"
  echo "\`/dashboard/state.json\` per query, the order alternating. ms = median time to the whole answer; CPU ms = the"
  echo "Swarmgate process's own CPU per answer; bytes = the answer's size."
  echo
  echo "| query | target | ms (median of rounds) | CPU ms | bytes |"
  echo "|---|---|---:|---:|---:|"
  awk -F, 'NR > 1 { k = $3 SUBSEP $2; n[k]++; ms[k, n[k]] = $4; cpu[k, n[k]] = $6; bytes[k] = $5; keys[k] = 1 }
    function median(a, k, c,   i, j, t, v) { for (i = 1; i <= c; i++) v[i] = a[k, i]
      for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }
    END { for (k in keys) { split(k, p, SUBSEP)
      printf "| %s | %s | %.1f | %.1f | %d |\n", (p[1] == "-" ? "(none)" : "`" p[1] "`"), p[2], median(ms, k, n[k]),
        median(cpu, k, n[k]), bytes[k] } }' "$CSV" | sort
} >"$MD"
log "wrote $MD and $CSV"
