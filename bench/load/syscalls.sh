#!/usr/bin/env bash
# System calls per request: each proxy's, on compare.sh's rows, counted by strace over one bounded run.
#
#   bench/load/syscalls.sh                                   # every row, Swarmgate, HAProxy and nginx
#   TARGETS=swarmgate SCENARIOS="h2load-grpc-64 ka-small-64" bench/load/syscalls.sh
#
# A proxy that writes a request in two system calls where one would do, or reads an answer in small pieces, costs
# CPU that a profile spreads thin over the kernel; the count shows it at once (this is how a head and body written
# apart to pooled backend connections were found). For each scenario and target: a warm-up, then `strace -c -f`
# attached to the proxy (every thread; nginx's workers) for one run of the scenario's client, the calls divided by
# the requests served. strace slows the proxy many times over, so req/s here mean nothing; the counts do, and they
# include the JIT's own calls while it still compiles (sysinfo, openat, gettid: run again, warm, if they show).
#
# Settings (environment): TARGETS ("swarmgate haproxy nginx"), SCENARIOS (compare.sh's, all), DURATION (3 s of wrk),
# H2LOAD_REQUESTS (5,000 requests of h2load), WARMUP (8 s of wrk, or WARMUP_REQUESTS of h2load, 200,000, before
# each Swarmgate row; 1 s and 10,000 for the others), SWARMGATE_JAR, RESULTS_DIR; the rest as in lib.sh.
# Writes RESULTS_DIR/<timestamp>-syscalls.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGETS="${TARGETS:-swarmgate haproxy nginx}"
SCENARIOS="${SCENARIOS:-ka-small-64 ka-small-256 ka-64k-64 close-64 tls-ka-small-64 tls-close-64 h2load-tls-64 h2load-tls-64-m10 h2load-grpc-64}"
DURATION="${DURATION:-3}"
H2LOAD_REQUESTS="${H2LOAD_REQUESTS:-5000}"
WARMUP="${WARMUP:-8}"
WARMUP_REQUESTS="${WARMUP_REQUESTS:-200000}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
# The calls counted as reads, writes and event-loop calls; the rest are listed by name.
READS="read recvfrom recvmsg readv"
WRITES="write sendto sendmsg writev"
POLLS="epoll_wait epoll_pwait epoll_pwait2 epoll_ctl io_uring_enter"

url_of() {
  local port
  case "$1:$SCHEME" in
    swarmgate:http) port="$SWARMGATE_PORT" ;; swarmgate:https) port="$SWARMGATE_TLS_PORT" ;;
    haproxy:http) port="$HAPROXY_PORT" ;; haproxy:https) port="$HAPROXY_TLS_PORT" ;;
    nginx:http) port="$NGINX_PORT" ;; nginx:https) port="$NGINX_TLS_PORT" ;;
    *) die "unknown target $1" ;;
  esac
  echo "$SCHEME://127.0.0.1:$port$PATH_"
}

# The process ids strace attaches to: the proxy's, and nginx's workers.
pids_of() {
  case "$1" in
    swarmgate) echo "$SWARMGATE_PID" ;;
    haproxy) echo "$HAPROXY_PID" ;;
    nginx) echo "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true) ;;
  esac
}

# summarize STRACE_FILE REQUESTS: one table row's cells from strace -c's table.
summarize() {
  awk -v n="$2" -v reads=" $READS " -v writes=" $WRITES " -v polls=" $POLLS " '
    $1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" {
      calls = $4; name = $NF; total += calls
      if (index(reads, " " name " ")) r += calls
      else if (index(writes, " " name " ")) w += calls
      else if (index(polls, " " name " ")) p += calls
      else if (name != "futex" && name != "restart_syscall") other[name] += calls
      else f += calls
    }
    END {
      s = ""
      for (k in other) if (other[k] / n >= 0.05) s = s sprintf("%s%s %.2f", s == "" ? "" : ", ", k, other[k] / n)
      printf "| %.2f | %.2f | %.2f | %.2f | %.2f | %s |", total / n, r / n, w / n, p / n, f / n, s == "" ? "—" : s
    }' "$1"
}

main() {
  ensure_tools
  command -v strace >/dev/null || die "strace not found (apt-get install -y strace)"
  check_ports_free "$BACKEND_PORT" "$HAPROXY_PORT" "$NGINX_PORT" "$SWARMGATE_PORT" "$SWARMGATE_API_PORT" \
    "$HAPROXY_TLS_PORT" "$NGINX_TLS_PORT" "$SWARMGATE_TLS_PORT" "$HAPROXY_TCP_PORT" "$NGINX_TCP_PORT"
  trap cleanup EXIT
  make_workdir
  make_tls_cert
  make_grpc_request
  mkdir -p "$RESULTS_DIR"
  start_backend
  local t s
  for t in $TARGETS; do
    case "$t" in
      swarmgate) start_swarmgate ;; haproxy) start_haproxy ;; nginx) start_nginx_proxy ;;
      *) die "unknown target $t (expected swarmgate, haproxy, nginx)" ;;
    esac
  done

  local stamp md; stamp="$(date +%Y%m%d-%H%M%S)"
  md="$RESULTS_DIR/$stamp-syscalls.md"
  {
    echo "# System calls per request $stamp"
    echo
    echo "strace -c -f over one run per row: wrk ${DURATION} s, or h2load ${H2LOAD_REQUESTS} requests; calls divided by the"
    echo "requests served. Reads: $READS; writes: $WRITES; event loop: $POLLS; waits: futex, restart_syscall"
    echo "(threads handing work over); other: any call at 0.05 a request or more."
    echo "Swarmgate: $(basename "$SWARMGATE_JAR") ($(sha256sum "$SWARMGATE_JAR" | cut -c1-12)), TRANSPORT=${TRANSPORT:-auto}."
    echo
    echo "| scenario | proxy | requests | calls/req | reads | writes | event loop | waits | other |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
  } >"$md"
  for s in $SCENARIOS; do
    scenario "$s"
    for t in $TARGETS; do
      local url warm measured out requests trace
      url="$(url_of "$t")"
      if [[ "$TOOL" == h2load ]]; then
        warm=$([[ "$t" == swarmgate ]] && echo "$WARMUP_REQUESTS" || echo 10000) measured="$H2LOAD_REQUESTS"
      else
        warm=$([[ "$t" == swarmgate ]] && echo "$WARMUP" || echo 1) measured="$DURATION"
      fi
      log "$s, $t: warm-up, then a run under strace"
      run_scenario_client "$warm" "$url" >/dev/null
      trace="$WORK/strace-$s-$t.txt"
      # shellcheck disable=SC2046 # one -p per process id
      strace -c -f -o "$trace" $(printf -- '-p %s ' $(pids_of "$t")) 2>/dev/null &
      local strace_pid=$!
      sleep 1 # attached to every thread before the run starts
      out="$(run_scenario_client "$measured" "$url")"
      kill -INT "$strace_pid"
      wait "$strace_pid" || true
      requests="$(field requests "$out")"
      [[ "${requests:-0}" -gt 0 ]] || die "$s on $t served no request: $out"
      echo "| $s | $t | $requests $(summarize "$trace" "$requests")" >>"$md"
    done
  done
  log "wrote $md"
  cat "$md"
}

main "$@"
