#!/usr/bin/env bash
# Load comparison: the direct backend, HAProxy, nginx and Swarmgate, measured side by side in one run.
#
#   bench/load/compare.sh                     # defaults: 5 repeats of 3 s, pinned, every target and scenario
#   REPEATS=3 DURATION=2 bench/load/compare.sh
#   TARGETS="direct haproxy" SCENARIOS="ka-small-64" bench/load/compare.sh
#
# The floor targets haproxy-tcp (HAProxy in mode tcp) and nginx-tcp (nginx's stream module) relay the plain HTTP
# scenarios' bytes without parsing them: what a proxy costs that does nothing with HTTP. "above floor" is a target's
# own CPU per request minus the cheaper floor's (TLS and HTTP/2 scenarios have no floor row).
#
# Method (shared/notes/perf-anchors.md): wrk pinned to CPU 0, every server to CPU 1; targets alternate
# A B C D A B C D ... over the repeats so that machine drift cancels; each measured run follows a warm-up on the same
# target (Swarmgate gets one long warm-up first, for its JIT); medians are reported. CPU µs per request = busy time of
# CPU 1 during the run / requests served; minus the direct row it is the proxy's own cost.
#
# Settings (environment): REPEATS (5), DURATION (3 s), WARMUP (1 s), SWARMGATE_WARMUP (15 s), TARGETS, SCENARIOS,
# SWARMGATE_TLS_WARMUP (20 s of TLS new connections), SWARMGATE_H2_WARMUP_REQUESTS (200,000 of each h2load scenario),
# H2LOAD_REQUESTS (100,000) and H2LOAD_WARMUP_REQUESTS (10,000) for the h2load scenario,
# PIN (1), NOISE_LIMIT (10 %) and RETRIES (2) for runs disturbed by other jobs, SWARMGATE_JAVA_OPTS, SWARMGATE_JFR (a
# .jfr file to record), SWARMGATE_JAR, RESULTS_DIR (bench/results), ports: see lib.sh.
# Writes bench/results/<timestamp>.csv (one row per scenario and target), <timestamp>-runs.csv (one row per run) and
# <timestamp>.md (the table and how it was taken). Needs root only to install missing tools.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REPEATS="${REPEATS:-5}"
DURATION="${DURATION:-3}"
WARMUP="${WARMUP:-1}"
SWARMGATE_WARMUP="${SWARMGATE_WARMUP:-15}"
SWARMGATE_TLS_WARMUP="${SWARMGATE_TLS_WARMUP:-20}"   # s of TLS new connections (handshakes) in the JIT warm-up
SWARMGATE_H2_WARMUP_REQUESTS="${SWARMGATE_H2_WARMUP_REQUESTS:-200000}"   # per h2load scenario, in the JIT warm-up
TARGETS="${TARGETS:-direct haproxy-tcp nginx-tcp haproxy nginx swarmgate}"
SCENARIOS="${SCENARIOS:-ka-small-64 ka-small-256 ka-64k-64 close-64 tls-ka-small-64 tls-close-64 h2load-tls-64 h2load-tls-64-m10 h2load-grpc-64}"
H2LOAD_REQUESTS="${H2LOAD_REQUESTS:-100000}"                # requests per measured h2load run
H2LOAD_WARMUP_REQUESTS="${H2LOAD_WARMUP_REQUESTS:-10000}"   # requests per h2load warm-up
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
NOISE_LIMIT="${NOISE_LIMIT:-10}"   # % of CPU 1 used by other processes above which a run is measured again
RETRIES="${RETRIES:-2}"

target_port() {
  case "$1" in
    direct) echo "$BACKEND_PORT" ;; haproxy) echo "$HAPROXY_PORT" ;;
    nginx) echo "$NGINX_PORT" ;; swarmgate) echo "$SWARMGATE_PORT" ;;
    haproxy-tcp) echo "$HAPROXY_TCP_PORT" ;; nginx-tcp) echo "$NGINX_TCP_PORT" ;;
    *) die "unknown target $1 (expected: direct haproxy-tcp nginx-tcp haproxy nginx swarmgate)" ;;
  esac
}

# target_url TARGET: the current scenario's URL on a target (the proxies' TLS ports for https; the backend is plain).
target_url() {
  local port; port="$(target_port "$1")"
  if [[ "$SCHEME" == https && "$1" != direct ]]; then
    case "$1" in haproxy) port="$HAPROXY_TLS_PORT" ;; nginx) port="$NGINX_TLS_PORT" ;; swarmgate) port="$SWARMGATE_TLS_PORT" ;; esac
    echo "https://127.0.0.1:$port$PATH_"
  elif [[ "$GRPC" == 1 && "$1" == direct ]]; then
    echo "http://127.0.0.1:$BACKEND_H2C_PORT$PATH_"
  else
    echo "http://127.0.0.1:$port$PATH_"
  fi
}

# run_client SECONDS|warmup URL: one run of the current scenario's client; a warm-up runs WARMUP s of wrk or
# H2LOAD_WARMUP_REQUESTS of h2load, a measured run DURATION s of wrk or H2LOAD_REQUESTS of h2load.
run_client() {
  if [[ "$TOOL" == h2load ]]; then
    run_scenario_client "$([[ "$1" == warmup ]] && echo "$H2LOAD_WARMUP_REQUESTS" || echo "$H2LOAD_REQUESTS")" "$2"
  else
    run_scenario_client "$([[ "$1" == warmup ]] && echo "$WARMUP" || echo "$DURATION")" "$2"
  fi
}

# The processes serving a target: the backend, plus the proxy in front of it.
target_pids() {
  case "$1" in
    direct) echo "$BACKEND_PID" ;; haproxy | haproxy-tcp) echo "$BACKEND_PID $HAPROXY_PID" ;;
    nginx | nginx-tcp) echo "$BACKEND_PID $NGINX_PID" ;; swarmgate) echo "$BACKEND_PID $SWARMGATE_PID" ;;
  esac
}

target_name() {
  case "$1" in
    direct) echo "direct backend" ;; haproxy) echo "HAProxy $(haproxy -v | awk 'NR == 1 { print $3 }' | cut -d- -f1)" ;;
    nginx) echo "nginx $(nginx -v 2>&1 | sed 's|.*nginx/||')" ;; swarmgate) echo "Swarmgate" ;;
    haproxy-tcp) echo "floor: $(target_name haproxy) mode tcp" ;; nginx-tcp) echo "floor: $(target_name nginx) stream" ;;
  esac
}

# measure TARGET SCENARIO REP: one warm-up and one measured wrk run; appends a row to the runs CSV.
# Pinned, a run is "noisy" when more than NOISE_LIMIT % of CPU 1's time went to processes other than the servers
# (another job on the shared machine; the servers' own CPU time is read from /proc/<pid>/stat). A noisy run is kept in
# the runs CSV, marked, and measured again after a pause, up to RETRIES times; the summary uses the clean runs.
measure() {
  local target="$1" name="$2" rep="$3" attempt
  for attempt in $(seq 0 "$RETRIES"); do
    measure_once "$target" "$name" "$rep"
    [[ "$(tail -1 "$RUNS_CSV" | cut -d, -f14)" == 0 ]] && return 0
    if ((attempt < RETRIES)); then
      log "  $target: another job used CPU $SERVER_CPU during the run; measuring again in 5 s"
      sleep 5
    fi
  done
}

measure_once() {
  local target="$1" name="$2" rep="$3" cpu b0 b1 p0 p1 out
  scenario "$name"
  cpu="$(server_cpu_label)"
  local url; url="$(target_url "$target")"
  run_client warmup "$url" >/dev/null
  # shellcheck disable=SC2046 # word-split pid list
  b0="$(cpu_busy_ticks "$cpu")"; p0="$(proc_ticks $(target_pids "$target"))"
  out="$(run_client measure "$url")"
  # shellcheck disable=SC2046
  b1="$(cpu_busy_ticks "$cpu")"; p1="$(proc_ticks $(target_pids "$target"))"
  [[ -n "$out" ]] || die "$TOOL printed no result for $target $name"
  local requests duration_us errors
  requests="$(field requests "$out")"
  duration_us="$(field duration_us "$out")"
  errors=$(($(field connect_errors "$out") + $(field read_errors "$out") + $(field write_errors "$out") \
    + $(field timeouts "$out") + $(field http_errors "$out")))
  awk -v s="$name" -v r="$rep" -v t="$target" -v n="$requests" -v d="$duration_us" -v e="$errors" \
      -v p50="$(field p50_us "$out")" -v p99="$(field p99_us "$out")" -v cb=$((b1 - b0)) -v pb=$((p1 - p0)) \
      -v hz="$CLK_TCK" -v pin="$PIN" -v limit="$NOISE_LIMIT" \
      -v detail="$(field connect_errors "$out")/$(field read_errors "$out")/$(field write_errors "$out")/$(field timeouts "$out")/$(field http_errors "$out")" \
      'BEGIN { secs = d / 1e6; rps = n / secs; cpu = n ? cb * 1e6 / hz / n : 0; procs = n ? pb * 1e6 / hz / n : 0
               foreign = pin == 1 ? 100 * (cb - pb) / (hz * secs) : 0; if (foreign < 0) foreign = 0
               printf "%s,%d,%s,%d,%.3f,%.1f,%.3f,%.3f,%d,%s,%.2f,%.2f,%.1f,%d\n", s, r, t, n, secs, rps, p50 / 1000, p99 / 1000, e,
                 detail, cpu, procs, foreign, (foreign > limit ? 1 : 0) }' \
      >>"$RUNS_CSV"
  log "  $(printf '%-9s' "$target") $(tail -1 "$RUNS_CSV" | awk -F, '{ printf "%9.0f req/s  p99 %6.2f ms  %6.1f µs/req  errors %d  other jobs %4.1f %%%s", $6, $8, $11, $9, $13, $14 ? "  (noisy)" : "" }')"
}

# column SCENARIO TARGET N: column N of the runs CSV for one scenario and target, one value a line, from the clean
# runs (from every run when none was clean).
column() {
  awk -F, -v s="$1" -v t="$2" -v c="$3" '
    $1 == s && $3 == t { all[++n] = $c; if ($14 == 0) clean[++m] = $c }
    END { if (m) for (i = 1; i <= m; i++) print clean[i]; else for (i = 1; i <= n; i++) print all[i] }' "$RUNS_CSV"
}

# relays TARGET: whether the target serves the current scenario (the floors relay plain HTTP/1.1 only).
relays() { [[ "$1" != *-tcp || ( "$SCHEME" == http && "$TOOL" == wrk ) ]]; }

# count SCENARIO TARGET: "clean/all" runs.
count_runs() { awk -F, -v s="$1" -v t="$2" '$1 == s && $3 == t { n++; if ($14 == 0) m++ } END { printf "%d/%d", m, n }' "$RUNS_CSV"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "—"; else printf "%.2f", a / b }'; }

summarize() {
  local cpu_label; if [[ "$PIN" == 1 ]]; then cpu_label="CPU $SERVER_CPU µs/req"; else cpu_label="all-CPU µs/req"; fi
  echo "scenario,target,req_per_s_median,req_per_s_min,req_per_s_max,p50_ms,p99_ms,errors,cpu_us_per_req,own_cpu_us_per_req,procs_us_per_req,req_per_s_vs_direct,req_per_s_vs_haproxy,own_cpu_vs_haproxy,own_cpu_above_floor_us" >"$SUMMARY_CSV"
  {
    echo "| scenario | target | req/s (median) | req/s min–max | p50 | p99 | errors | $cpu_label | own µs/req | own µs/req above floor | server procs µs/req | req/s × direct | req/s × HAProxy | own CPU × HAProxy | runs clean/all |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  } >"$TABLE_MD"
  local name target
  for name in $SCENARIOS; do
    scenario "$name"
    local direct_rps="" direct_cpu="" haproxy_rps="" haproxy_own=""
    direct_rps="$(column "$name" direct 6 | median)"; direct_cpu="$(column "$name" direct 11 | median)"
    haproxy_rps="$(column "$name" haproxy 6 | median)"
    local floor_cpu=""
    if [[ -n "$direct_cpu" ]]; then
      haproxy_own="$(column "$name" haproxy 11 | median | awk -v d="$direct_cpu" 'NF { print $1 - d }')"
      floor_cpu="$({ column "$name" haproxy-tcp 11 | median; column "$name" nginx-tcp 11 | median; } | sort -g | head -1)"
    fi
    for target in $TARGETS; do
      local rps min max p50 p99 errors cpu own procs
      rps="$(column "$name" "$target" 6 | median)"
      [[ -n "$rps" ]] || continue
      min="$(column "$name" "$target" 6 | sort -g | head -1)"
      max="$(column "$name" "$target" 6 | sort -g | tail -1)"
      p50="$(column "$name" "$target" 7 | median)"
      p99="$(column "$name" "$target" 8 | median)"
      errors="$(awk -F, -v s="$name" -v t="$target" '$1 == s && $3 == t { e += $9 } END { print e + 0 }' "$RUNS_CSV")"
      cpu="$(column "$name" "$target" 11 | median)"
      procs="$(column "$name" "$target" 12 | median)"
      own=""; [[ -n "$direct_cpu" && "$target" != direct ]] && own="$(awk -v c="$cpu" -v d="$direct_cpu" 'BEGIN { printf "%.1f", c - d }')"
      local vs_direct vs_haproxy own_vs_haproxy
      vs_direct="$(ratio "$rps" "$direct_rps")"; vs_haproxy="$(ratio "$rps" "$haproxy_rps")"
      own_vs_haproxy="$(ratio "$own" "$haproxy_own")"
      local above=""
      [[ -n "$floor_cpu" && -n "$own" ]] && above="$(awk -v c="$cpu" -v f="$floor_cpu" 'BEGIN { printf "%.1f", c - f }')"
      echo "$name,$target,$rps,$min,$max,$p50,$p99,$errors,$cpu,$own,$procs,$vs_direct,$vs_haproxy,$own_vs_haproxy,$above" \
        | sed 's/—//g' >>"$SUMMARY_CSV"
      printf '| %s | %s | %s | %s–%s | %.2f ms | %.2f ms | %d | %.1f | %s | %s | %.1f | %s | %s | %s | %s |\n' \
        "$LABEL" "$(target_name "$target")" "$(thousands "$rps")" "$(thousands "$min")" "$(thousands "$max")" \
        "$p50" "$p99" "$errors" "$cpu" "${own:-—}" "${above:-—}" "$procs" "$vs_direct" "$vs_haproxy" "$own_vs_haproxy" \
        "$(count_runs "$name" "$target")" >>"$TABLE_MD"
    done
  done
}

# tls_note: how the TLS scenarios were taken, with the protocol and cipher each proxy negotiated with OpenSSL's client.
tls_note() {
  local t port session
  echo "TLS scenarios: the proxies terminate TLS with the same self-signed EC P-256 certificate (one PEM bundle);"
  echo "h2load speaks HTTP/2 (ALPN h2, one stream at a time per connection unless the scenario says 10) to the proxies, HTTP/1.1 to the direct backend (h2c to its gRPC listener), $H2LOAD_REQUESTS requests"
  echo "a run (warm-up $H2LOAD_WARMUP_REQUESTS), p50/p99 from its per-request log; wrk speaks https too (no session resumption:"
  echo "every new connection is a full handshake). The direct row stays plain HTTP to the backend, so own µs/req and"
  echo "req/s × direct include the TLS work. Negotiated (openssl s_client):"
  for t in $TARGETS; do
    case "$t" in haproxy) port="$HAPROXY_TLS_PORT" ;; nginx) port="$NGINX_TLS_PORT" ;; swarmgate) port="$SWARMGATE_TLS_PORT" ;; *) continue ;; esac
    session="$(openssl s_client -connect "127.0.0.1:$port" -servername localhost </dev/null 2>/dev/null \
      | sed -n 's/^New, \(.*\)$/\1/p' | head -1)"
    echo "$(target_name "$t") ${session:-(no answer)};"
  done
}

main() {
  ensure_tools
  local targets=() t
  for t in $TARGETS; do
    target_port "$t" >/dev/null
    if [[ "$t" == swarmgate && ! -f "$SWARMGATE_JAR" ]]; then
      log "Swarmgate skipped: $SWARMGATE_JAR not found (build it: mvn -B -DskipTests package)"
      continue
    fi
    targets+=("$t")
  done
  TARGETS="${targets[*]}"
  for t in $SCENARIOS; do scenario "$t"; done

  make_workdir
  make_grpc_request
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  check_ports_free "$BACKEND_PORT" "$BACKEND_H2C_PORT" "$HAPROXY_PORT" "$NGINX_PORT" "$SWARMGATE_PORT" "$SWARMGATE_API_PORT" \
    "$HAPROXY_TCP_PORT" "$NGINX_TCP_PORT"
  local tls=0
  if [[ " $SCENARIOS " == *" tls-"* || " $SCENARIOS " == *" h2load-"* ]]; then
    tls=1
    check_ports_free "$HAPROXY_TLS_PORT" "$NGINX_TLS_PORT" "$SWARMGATE_TLS_PORT"
    make_tls_cert
  fi

  mkdir -p "$RESULTS_DIR"
  local stamp; stamp="$(date +%Y%m%d-%H%M%S)"
  SUMMARY_CSV="$RESULTS_DIR/$stamp.csv"; RUNS_CSV="$RESULTS_DIR/$stamp-runs.csv"; local md="$RESULTS_DIR/$stamp.md"
  TABLE_MD="$WORK/table.md"
  echo "scenario,rep,target,requests,duration_s,req_per_s,p50_ms,p99_ms,errors,errors_connect/read/write/timeout/http,cpu_us_per_req,procs_us_per_req,other_jobs_pct,noisy" >"$RUNS_CSV"

  local idle; idle="$(idle_busy_percent)"
  log "$(server_cpu_label) busy while idle: $idle % (anything above a few % means another job shares it: figures will be noisy)"

  start_backend
  [[ " $TARGETS " == *" haproxy "* || " $TARGETS " == *" haproxy-tcp "* ]] && start_haproxy
  [[ " $TARGETS " == *" nginx "* || " $TARGETS " == *" nginx-tcp "* ]] && start_nginx_proxy
  if [[ " $TARGETS " == *" swarmgate "* ]]; then
    start_swarmgate
    # The JIT needs more than the per-run warm-up: one long keep-alive load first, then each other scenario briefly.
    log "warming Swarmgate up: ${SWARMGATE_WARMUP} s keep-alive, 3 s 64 KiB, 3 s new connections"
    run_wrk "$SWARMGATE_WARMUP" 64 "http://127.0.0.1:$SWARMGATE_PORT/demo/small" >/dev/null
    run_wrk 3 64 "http://127.0.0.1:$SWARMGATE_PORT/demo/64k" >/dev/null
    run_wrk 3 64 "http://127.0.0.1:$SWARMGATE_PORT/demo/small" "Connection: close" >/dev/null
    if ((tls)); then
      # The JDK's handshake code (EC P-256 in Java) needs tens of thousands of handshakes to be compiled: with 3 s its
      # CPU per handshake still fell by half over the three measured runs.
      log "warming Swarmgate's TLS up: 5 s keep-alive, ${SWARMGATE_TLS_WARMUP} s new connections"
      run_wrk 5 64 "https://127.0.0.1:$SWARMGATE_TLS_PORT/demo/small" >/dev/null
      run_wrk "$SWARMGATE_TLS_WARMUP" 64 "https://127.0.0.1:$SWARMGATE_TLS_PORT/demo/small" "Connection: close" >/dev/null
      # HTTP/2's and gRPC's paths are compiled apart from HTTP/1.1's: after the warm-ups above, gRPC's CPU per call
      # still fell by a fifth from each measured repeat to the next (205, 164, 135 µs).
      local h2_name
      for h2_name in $SCENARIOS; do
        scenario "$h2_name"
        if [[ "$TOOL" == h2load ]]; then
          log "warming Swarmgate's $h2_name up: $SWARMGATE_H2_WARMUP_REQUESTS requests"
          H2LOAD_WARMUP_REQUESTS="$SWARMGATE_H2_WARMUP_REQUESTS" run_client warmup "$(target_url swarmgate)" >/dev/null
        fi
      done
    fi
  fi

  local name rep
  for name in $SCENARIOS; do
    scenario "$name"
    log "$LABEL: $REPEATS repeats of ${DURATION} s, targets alternating: $TARGETS"
    for rep in $(seq 1 "$REPEATS"); do
      for t in $TARGETS; do relays "$t" && measure "$t" "$name" "$rep"; done
    done
  done
  local tls_note=""
  ((tls)) && tls_note="$(tls_note)"

  summarize
  {
    echo "# Load comparison $stamp"
    echo
    echo "Medians of $REPEATS alternating repeats of ${DURATION} s (warm-up ${WARMUP} s before each; Swarmgate ${SWARMGATE_WARMUP} s once$( ((tls)) && echo ", ${SWARMGATE_TLS_WARMUP} s of TLS handshakes and ${SWARMGATE_H2_WARMUP_REQUESTS} requests of each h2load scenario"))."
    if [[ "$PIN" == 1 ]]; then
      echo "wrk -t1 pinned to CPU $CLIENT_CPU; backend and proxy pinned to CPU $SERVER_CPU; CPU µs/req is CPU $SERVER_CPU's busy time / requests; own = minus the direct row."
    else
      echo "Unpinned: CPU µs/req is every CPU's busy time / requests, wrk included; compare unpinned runs only with unpinned ones."
    fi
    echo "Server procs µs/req: user+system time of the backend and proxy processes only (no softirq, no other jobs)."
    echo "Errors: connect/read/write errors, timeouts and responses ≥ 400, summed over every run."
    [[ "$PIN" == 1 ]] && echo "Noisy runs (other jobs used more than $NOISE_LIMIT % of CPU $SERVER_CPU) were measured again, up to $RETRIES times; medians use the clean runs (runs clean/all)."
    echo
    cat "$TABLE_MD"
    echo
    [[ -n "$tls_note" ]] && printf '%s\n\n' "$tls_note"
    echo "Machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r);" \
      "$(server_cpu_label) busy while idle before the run: $idle %."
    echo "Versions: $(haproxy -v | head -1 | cut -d' ' -f1-3), nginx $(nginx -v 2>&1 | sed 's|.*nginx/||'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)," \
      "$(java -version 2>&1 | head -1)."
    [[ " $TARGETS " == *" swarmgate "* ]] && echo "Swarmgate JVM flags: $SWARMGATE_JAVA_OPTS"
  } >"$md"
  echo
  cat "$md"
  log "wrote $md, $SUMMARY_CSV and $RUNS_CSV"
}

main "$@"
