#!/usr/bin/env bash
# HTTP/3 against our own HTTP/2 in the same run: requests per second and Swarmgate's CPU per request.
#
#   bench/load/h3.sh                          # needs config-api/target/swarmgate.jar and bench/target/benchmarks.jar
#   ROUNDS=3 REQUESTS=20000 bench/load/h3.sh
#
# Starts the nginx backend and Swarmgate with TLS (ENABLE_H3 on: HTTP/3 on the TLS port's UDP side) as compare.sh does
# (servers pinned to CPU 1, clients to CPU 0). After a warm-up of each, ROUNDS (3) rounds, each one run of h2load
# (HTTP/2, ALPN h2) and one of io.swarmgate.bench.H3Load (HTTP/3, Netty's client; Debian's h2load has no HTTP/3), back
# to back, alternating which goes first: REQUESTS (20,000) GETs of /demo/small (14 B) over CONNS (16) connections,
# STREAMS (1) streams in flight per connection. Per run: req/s, p50/p99, and Swarmgate's user+system CPU per request
# (its /proc/<pid>/stat ticks over the run divided by the requests). The table gives each run and the medians, and the
# HTTP/3 / HTTP/2 ratios with the load average at each run: the machine may be shared, so ratios, not absolutes.
# Writes bench/results/<timestamp>-h3.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS="${ROUNDS:-3}"
REQUESTS="${REQUESTS:-20000}"
WARMUP_REQUESTS="${WARMUP_REQUESTS:-10000}"
CONNS="${CONNS:-16}"
STREAMS="${STREAMS:-1}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"

# run_h3 REQUESTS: one H3Load run, in run_h2load's output format.
run_h3() {
  "${ON_CLIENT_CPU[@]}" java -cp "$BENCH_JAR" io.swarmgate.bench.H3Load --port "$SWARMGATE_TLS_PORT" \
    --path /demo/small --requests "$1" --connections "$CONNS" --streams "$STREAMS" --timeout 300 2>"$WORK/h3load.err" \
    | tail -1
}

run_h2() {
  run_h2load "$1" "$CONNS" "https://127.0.0.1:$SWARMGATE_TLS_PORT/demo/small" "$STREAMS"
}

# measure PROTOCOL: one run; appends its row and prints "rps cpu_us_per_req".
measure() {
  local protocol="$1" t0 t1 result requests duration rps cpu load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  t0="$(proc_ticks "$SWARMGATE_PID")"
  if [[ "$protocol" == h3 ]]; then result="$(run_h3 "$REQUESTS")"; else result="$(run_h2 "$REQUESTS")"; fi
  t1="$(proc_ticks "$SWARMGATE_PID")"
  requests="$(field requests "$result")"
  duration="$(field duration_us "$result")"
  [[ -n "$requests" && "$requests" -gt 0 ]] || die "$protocol run failed: $result $(tail -5 "$WORK/h3load.err" 2>/dev/null)"
  rps="$(awk -v n="$requests" -v d="$duration" 'BEGIN { printf "%.0f", n / (d / 1e6) }')"
  cpu="$(awk -v t="$((t1 - t0))" -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')"
  echo "| $protocol | $requests | $(field read_errors "$result")+$(field timeouts "$result") | $rps | $(field p50_us "$result") | $(field p99_us "$result") | $cpu | $load |" >>"$MD"
  log "$protocol: $requests requests, $rps req/s, $cpu µs CPU/req, load $load"
  echo "$rps $cpu"
}

main() {
  ensure_tools
  [[ -f "$SWARMGATE_JAR" ]] || die "$SWARMGATE_JAR not found (build it: mvn -B -DskipTests package)"
  [[ -f "$BENCH_JAR" ]] || die "$BENCH_JAR not found (build it: mvn -B -DskipTests package)"
  check_ports_free "$BACKEND_PORT" "$SWARMGATE_PORT" "$SWARMGATE_API_PORT" "$SWARMGATE_TLS_PORT"
  make_workdir
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  make_tls_cert
  start_backend
  start_swarmgate
  grep -q "HTTP/3 on UDP" "$WORK/swarmgate/stdout.log" || die "Swarmgate serves no HTTP/3: $(grep -i http/3 "$WORK/swarmgate/stdout.log")"
  log "warming up: $WARMUP_REQUESTS requests of each"
  run_h2 "$WARMUP_REQUESTS" >/dev/null
  run_h3 "$WARMUP_REQUESTS" >/dev/null
  mkdir -p "$RESULTS_DIR"
  MD="$RESULTS_DIR/$(date +%Y%m%d-%H%M%S)-h3.md"
  {
    echo "# HTTP/3 and HTTP/2 on Swarmgate, same run"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, pinned: $PIN. GET /demo/small (14 B) over TLS to the nginx backend, $REQUESTS requests per run, $CONNS connections × $STREAMS streams; h2: h2load -t1 (ALPN h2); h3: io.swarmgate.bench.H3Load (Netty's HTTP/3 client, one thread). CPU: Swarmgate's user+system µs per request. Load: the 1-minute load average when the run started (the machine is shared)."
    echo
    echo "| protocol | requests | errors | req/s | p50 µs | p99 µs | CPU µs/req | load avg |"
    echo "|---|---|---|---|---|---|---|---|"
  } >"$MD"
  local round h2=() h3=() first
  for ((round = 0; round < ROUNDS; round++)); do
    if ((round % 2 == 0)); then first=h2; else first=h3; fi
    for protocol in "$first" "$([[ "$first" == h2 ]] && echo h3 || echo h2)"; do
      if [[ "$protocol" == h2 ]]; then h2+=("$(measure h2)"); else h3+=("$(measure h3)"); fi
    done
  done
  local h2_rps h2_cpu h3_rps h3_cpu
  h2_rps="$(printf '%s\n' "${h2[@]}" | cut -d' ' -f1 | median)"
  h2_cpu="$(printf '%s\n' "${h2[@]}" | cut -d' ' -f2 | median)"
  h3_rps="$(printf '%s\n' "${h3[@]}" | cut -d' ' -f1 | median)"
  h3_cpu="$(printf '%s\n' "${h3[@]}" | cut -d' ' -f2 | median)"
  {
    echo
    echo "Medians: h2 $h2_rps req/s at $h2_cpu µs CPU/req; h3 $h3_rps req/s at $h3_cpu µs CPU/req."
    awk -v a="$h3_rps" -v b="$h2_rps" -v c="$h3_cpu" -v d="$h2_cpu" \
      'BEGIN { printf "HTTP/3 / HTTP/2: %.2fx the req/s at %.2fx the CPU per request.\n", a / b, c / d }'
  } >>"$MD"
  log "written $MD"
  cat "$MD"
}

main "$@"
