#!/usr/bin/env bash
# A/B of two Swarmgates in one run, side by side: by default one jar twice, TRANSPORT=epoll on SWARMGATE_PORT and
# TRANSPORT=io_uring on SWARMGATE_B_PORT; with JAR_B (and TRANSPORT_B=epoll), two builds on one transport. Both are
# measured in turn with HAProxy and nginx on compare.sh's rows (plain HTTP/1.1 by default; its h2load rows, HTTP/2
# and gRPC over TLS, when SCENARIOS names them), so that machine drift falls on all four alike (comparing two
# compare.sh runs cannot tell a change's cost from drift).
#
#   flock /tmp/swarmgate-bench.lock bench/load/transport-ab.sh
#   JAR_B=/tmp/new.jar TRANSPORT_B=epoll LABEL_A=main LABEL_B=new bench/load/transport-ab.sh
#   SCENARIOS="h2load-tls-64 h2load-grpc-64" JAR_B=/tmp/new.jar TRANSPORT_B=epoll ... bench/load/transport-ab.sh
#
# Settings (environment): ROUNDS (5), DURATION (3 s), WARMUP (1 s), SWARMGATE_WARMUP (15 s per Swarmgate and scenario
# kind), SCENARIOS ("ka-small-64 ka-small-256 close-64 ka-64k-64"), SWARMGATE_JAR (A's jar), JAR_B (B's, default A's),
# TRANSPORT_A (epoll), TRANSPORT_B (io_uring), LABEL_A and LABEL_B (the targets' names in the results, by default
# their transports; they must differ), SWARMGATE_B_PORT (24093), SWARMGATE_B_API_PORT (24094), SWARMGATE_B_TLS_PORT
# (24095), H2LOAD_REQUESTS (100,000 a measured h2load run), H2LOAD_WARMUP_REQUESTS (10,000 before each),
# SWARMGATE_H2_WARMUP_REQUESTS (200,000 per Swarmgate and h2load scenario, once), RESULTS_DIR; the rest as in lib.sh.
# Each round runs every scenario, the four targets in turn (the order rotating every round), a warm-up then a
# measured run each. "proc µs/req" is the target process's own user+system CPU (/proc/PID/stat, children included)
# over the requests served: no backend, softirq or other job; "CPU 1 µs/req" is the server CPU's busy time over the
# requests (backend, softirq and any other job on it included, as compare.sh's column).
# Writes RESULTS_DIR/<timestamp>-transport-ab.csv (one row per run) and .md (medians and per-round ratios).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-3}"
WARMUP="${WARMUP:-1}"
SWARMGATE_WARMUP="${SWARMGATE_WARMUP:-15}"
SCENARIOS="${SCENARIOS:-ka-small-64 ka-small-256 close-64 ka-64k-64}"
SWARMGATE_B_PORT="${SWARMGATE_B_PORT:-24093}"
SWARMGATE_B_API_PORT="${SWARMGATE_B_API_PORT:-24094}"
SWARMGATE_B_TLS_PORT="${SWARMGATE_B_TLS_PORT:-24095}"
H2LOAD_REQUESTS="${H2LOAD_REQUESTS:-100000}"
H2LOAD_WARMUP_REQUESTS="${H2LOAD_WARMUP_REQUESTS:-10000}"
SWARMGATE_H2_WARMUP_REQUESTS="${SWARMGATE_H2_WARMUP_REQUESTS:-200000}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
JAR_B="${JAR_B:-$SWARMGATE_JAR}"
TRANSPORT_A="${TRANSPORT_A:-epoll}"
TRANSPORT_B="${TRANSPORT_B:-io_uring}"
A="${LABEL_A:-$TRANSPORT_A}"
B="${LABEL_B:-$TRANSPORT_B}"
TARGETS=(haproxy nginx "$A" "$B")

port_of() {
  case "$1" in haproxy) echo "$HAPROXY_PORT" ;; nginx) echo "$NGINX_PORT" ;; "$A") echo "$SWARMGATE_PORT" ;;
    "$B") echo "$SWARMGATE_B_PORT" ;; esac
}

tls_port_of() {
  case "$1" in haproxy) echo "$HAPROXY_TLS_PORT" ;; nginx) echo "$NGINX_TLS_PORT" ;; "$A") echo "$SWARMGATE_TLS_PORT" ;;
    "$B") echo "$SWARMGATE_B_TLS_PORT" ;; esac
}

# The current scenario's URL on target $1 (the h2load scenarios are https).
url_of() {
  echo "$SCHEME://127.0.0.1:$([[ "$SCHEME" == https ]] && tls_port_of "$1" || port_of "$1")$PATH_"
}

pid_of() {
  case "$1" in haproxy) echo "$HAPROXY_PID" ;; nginx) echo "$NGINX_PID" ;; "$A") echo "$A_PID" ;;
    "$B") echo "$B_PID" ;; esac
}

ensure_tools
[[ "$A" != "$B" && "$A" != haproxy && "$A" != nginx && "$B" != haproxy && "$B" != nginx ]] \
  || die "LABEL_A ($A) and LABEL_B ($B) must differ, from each other and from haproxy and nginx"
for jar in "$SWARMGATE_JAR" "$JAR_B"; do
  [[ -f "$jar" ]] || die "$jar not found (build it: mvn -B -DskipTests package)"
done
check_ports_free "$BACKEND_PORT" "$HAPROXY_PORT" "$NGINX_PORT" "$SWARMGATE_PORT" "$SWARMGATE_API_PORT" \
  "$SWARMGATE_B_PORT" "$SWARMGATE_B_API_PORT" "$HAPROXY_TCP_PORT" "$NGINX_TCP_PORT" "$HAPROXY_TLS_PORT" \
  "$NGINX_TLS_PORT" "$SWARMGATE_TLS_PORT" "$SWARMGATE_B_TLS_PORT"
trap cleanup EXIT
make_workdir
make_tls_cert
make_grpc_request
mkdir -p "$RESULTS_DIR"
start_backend
start_haproxy
start_nginx_proxy
TRANSPORT="$TRANSPORT_A" start_swarmgate
A_PID="$SWARMGATE_PID"
grep -q "${TRANSPORT_A^^} transport" "$WORK/swarmgate/stdout.log" || die "$A does not run $TRANSPORT_A: $(tail -5 "$WORK/swarmgate/stdout.log")"
mv "$WORK/swarmgate" "$WORK/swarmgate-a"
SWARMGATE_JAR="$JAR_B" SWARMGATE_PORT="$SWARMGATE_B_PORT" SWARMGATE_API_PORT="$SWARMGATE_B_API_PORT" \
  SWARMGATE_TLS_PORT="$SWARMGATE_B_TLS_PORT" TRANSPORT="$TRANSPORT_B" start_swarmgate
B_PID="$SWARMGATE_PID"
grep -q "${TRANSPORT_B^^} transport" "$WORK/swarmgate/stdout.log" || die "$B does not run $TRANSPORT_B: $(tail -5 "$WORK/swarmgate/stdout.log")"

for t in "$A" "$B"; do
  log "JIT warm-up of $t"
  run_wrk "$SWARMGATE_WARMUP" 64 "http://127.0.0.1:$(port_of "$t")/demo/small" >/dev/null
  run_wrk "$SWARMGATE_WARMUP" 64 "http://127.0.0.1:$(port_of "$t")/demo/64k" >/dev/null
  run_wrk "$SWARMGATE_WARMUP" 64 "http://127.0.0.1:$(port_of "$t")/demo/small" "Connection: close" >/dev/null
  for s in $SCENARIOS; do
    scenario "$s"
    if [[ "$TOOL" == h2load ]]; then
      log "warm-up of $t: $SWARMGATE_H2_WARMUP_REQUESTS requests of $s"
      run_scenario_client "$SWARMGATE_H2_WARMUP_REQUESTS" "$(url_of "$t")" >/dev/null
    fi
  done
done

STAMP="$(date +%Y%m%d-%H%M%S)"
CSV="$RESULTS_DIR/$STAMP-transport-ab.csv"
echo "round,scenario,target,req_per_s,proc_us_per_req,p99_us,errors,loadavg,cpu1_us_per_req" >"$CSV"
for round in $(seq 1 "$ROUNDS"); do
  order=("${TARGETS[@]:$(((round - 1) % 4))}" "${TARGETS[@]:0:$(((round - 1) % 4))}")
  for s in $SCENARIOS; do
    scenario "$s"
    for t in "${order[@]}"; do
      url="$(url_of "$t")"
      if [[ "$TOOL" == h2load ]]; then warmup="$H2LOAD_WARMUP_REQUESTS" measured="$H2LOAD_REQUESTS"
      else warmup="$WARMUP" measured="$DURATION"; fi
      run_scenario_client "$warmup" "$url" >/dev/null
      before="$(proc_ticks "$(pid_of "$t")")" busy_before="$(cpu_busy_ticks "$(server_cpu_label)")"
      out="$(run_scenario_client "$measured" "$url")"
      after="$(proc_ticks "$(pid_of "$t")")" busy_after="$(cpu_busy_ticks "$(server_cpu_label)")"
      requests="$(field requests "$out")"
      errors=$(($(field connect_errors "$out") + $(field read_errors "$out") + $(field write_errors "$out") + $(field timeouts "$out") + $(field http_errors "$out")))
      awk -v r="$round" -v s="$s" -v t="$t" -v n="$requests" -v us="$(field duration_us "$out")" -v ticks=$((after - before)) \
        -v hz="$CLK_TCK" -v p99="$(field p99_us "$out")" -v e="$errors" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
        -v busy=$((busy_after - busy_before)) \
        'BEGIN { printf "%d,%s,%s,%.0f,%.2f,%d,%d,%s,%.2f\n", r, s, t, n / (us / 1e6), ticks / hz * 1e6 / n, p99, e, la, busy / hz * 1e6 / n }' >>"$CSV"
    done
    log "round $round $s done"
  done
done

MD="$RESULTS_DIR/$STAMP-transport-ab.md"
{
  echo "# Swarmgate A/B $STAMP: $A and $B side by side, with HAProxy and nginx"
  echo
  echo "$A: $(basename "$SWARMGATE_JAR") ($(sha256sum "$SWARMGATE_JAR" | cut -c1-12)), TRANSPORT=$TRANSPORT_A;" \
    "$B: $(basename "$JAR_B") ($(sha256sum "$JAR_B" | cut -c1-12)), TRANSPORT=$TRANSPORT_B;"
  echo "$ROUNDS rounds, each scenario's four targets in turn (order rotating), ${WARMUP} s warm-up and ${DURATION} s measured each;"
  echo "wrk -t1 (h2load -t1 for the h2load rows: ${H2LOAD_WARMUP_REQUESTS} requests' warm-up, ${H2LOAD_REQUESTS} measured) pinned to CPU $CLIENT_CPU, every server to CPU $SERVER_CPU. proc µs/req: the target process's user+system CPU per request."
  echo "Medians over the rounds; the last two columns are medians of the per-round ratios $B / $A."
  echo
  echo "| scenario | target | req/s | proc µs/req | CPU 1 µs/req | req/s × HAProxy | req/s × nginx | CPU × HAProxy | p99 ms | errors | $B/$A req/s | $B/$A CPU |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for s in $SCENARIOS; do
    awk -F, -v s="$s" -v a="$A" -v b="$B" '
      NR > 1 && $2 == s { rps[$3, $1] = $4; cpu[$3, $1] = $5; p99[$3, $1] = $6; err[$3] += $7; busy[$3, $1] = $9; rounds[$1] = 1 }
      function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
      function m(arr, t,   r, n, v) { n = 0; for (r in rounds) v[++n] = arr[t, r]; return med(v, n) }
      function ratio(arr, a, b,   r, n, v) { n = 0; for (r in rounds) v[++n] = arr[a, r] / arr[b, r]; return med(v, n) }
      END {
        split("haproxy nginx " a " " b, ts, " ")
        for (i = 1; i <= 4; i++) {
          t = ts[i]
          printf "| %s | %s | %.0f | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %d | %s | %s |\n", s, t, m(rps, t), m(cpu, t), m(busy, t),
            ratio(rps, t, "haproxy"), ratio(rps, t, "nginx"), ratio(cpu, t, "haproxy"), m(p99, t) / 1000, err[t],
            t == b ? sprintf("%.2f", ratio(rps, b, a)) : "", t == b ? sprintf("%.2f", ratio(cpu, b, a)) : ""
        }
      }' "$CSV"
  done
  echo
  echo "Load average during the runs: $(awk -F, 'NR > 1 { print $8 }' "$CSV" | sort -g | sed -n '1p;$p' | paste -sd- -)."
  echo "Runs: \`$(basename "$CSV")\`."
} >"$MD"
log "wrote $MD"
cat "$MD"
