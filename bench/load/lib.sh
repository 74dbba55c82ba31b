# shellcheck shell=bash
# Shared pieces of bench/load/compare.sh, dynamic.sh and idle.sh: tools, servers, pinning, wrk runs, CPU counters.
# Sourced, not run. Every server started here is recorded in SERVER_PIDS and stopped by cleanup (installed as a trap by
# the caller). All traffic goes to 127.0.0.1.

LOAD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_DIR="$(dirname "$LOAD_DIR")"
REPO_DIR="$(dirname "$BENCH_DIR")"

# --- Settings (environment overrides) --------------------------------------------------------------------------------
BACKEND_PORT="${BACKEND_PORT:-24080}"
HAPROXY_PORT="${HAPROXY_PORT:-24081}"
NGINX_PORT="${NGINX_PORT:-24082}"
SWARMGATE_PORT="${SWARMGATE_PORT:-24083}"
SWARMGATE_API_PORT="${SWARMGATE_API_PORT:-24084}"
# TLS listeners (only when make_tls_cert has run: compare.sh's tls-* scenarios), one certificate for all three proxies.
HAPROXY_TLS_PORT="${HAPROXY_TLS_PORT:-24085}"
NGINX_TLS_PORT="${NGINX_TLS_PORT:-24086}"
SWARMGATE_TLS_PORT="${SWARMGATE_TLS_PORT:-24087}"
# The backend's h2c listener (HTTP/2 with prior knowledge, no TLS): /grpc answers as a gRPC server does, trailers included.
BACKEND_H2C_PORT="${BACKEND_H2C_PORT:-24088}"
# The floor: HAProxy in mode tcp and nginx's stream module relay the same traffic to the backend without parsing it.
HAPROXY_TCP_PORT="${HAPROXY_TCP_PORT:-24089}"
NGINX_TCP_PORT="${NGINX_TCP_PORT:-24090}"
NGINX_STREAM_MODULE=/usr/lib/nginx/modules/ngx_stream_module.so
TLS_PEM=""   # the PEM bundle (key, then certificate) once make_tls_cert has run
SWARMGATE_JAR="${SWARMGATE_JAR:-$REPO_DIR/config-api/target/swarmgate.jar}"
BENCH_JAR="${BENCH_JAR:-$BENCH_DIR/target/benchmarks.jar}"
PIN="${PIN:-1}"                 # 1: wrk on CLIENT_CPU, every server on SERVER_CPU (the anchor method); 0: no pinning
CLIENT_CPU="${CLIENT_CPU:-0}"
SERVER_CPU="${SERVER_CPU:-1}"
# Swarmgate's JVM. Pinned, the JVM sees one CPU: it would pick SerialGC by itself; say so explicitly, fix the heap so
# that no resize happens during a run, and touch it up front so page faults do not land in the first measured run.
# Metaspace starts at 64 MiB, as in the image: Swarmgate's classes take about 36 MiB, and the JVM's default first
# threshold (about 21 MiB) costs a full collection (87 ms measured) once the API has loaded its classes.
if [[ "$PIN" == 1 ]]; then
  SWARMGATE_JAVA_OPTS="${SWARMGATE_JAVA_OPTS:--XX:+UseSerialGC -Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:MetaspaceSize=64m}"
else
  SWARMGATE_JAVA_OPTS="${SWARMGATE_JAVA_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:MetaspaceSize=64m}"
fi
SWARMGATE_JFR="${SWARMGATE_JFR:-}"   # a .jfr path: record Swarmgate with JFR's profile settings
HAPROXY_MAXCONN="${HAPROXY_MAXCONN:-8000}"                     # HAProxy's maxconn and Swarmgate's MAX_CONNECTIONS (idle.sh raises it)
HAPROXY_GLOBAL_EXTRA="${HAPROXY_GLOBAL_EXTRA:-}"               # one more line for HAProxy's global section
NGINX_WORKER_CONNECTIONS="${NGINX_WORKER_CONNECTIONS:-16384}"  # nginx proxy's worker_connections (idle.sh raises it)
SERVER_THREADS="${SERVER_THREADS:-1}"   # HAProxy's nbthread, nginx's worker_processes (backend and proxy; cores.sh)
WRK_THREADS="${WRK_THREADS:-1}"

SERVER_PIDS=()
WORK=""
CLK_TCK="$(getconf CLK_TCK)"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- Tools -----------------------------------------------------------------------------------------------------------
# Installs Debian's haproxy, nginx, wrk and nghttp2-client (h2load) when one is missing. Debian's packages try to start
# their services on install; in a container without an init they do not, and nothing here relies on them.
ensure_tools() {
  local missing=()
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v nginx >/dev/null || missing+=(nginx)
  [[ -f "$NGINX_STREAM_MODULE" ]] || missing+=(libnginx-mod-stream)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v h2load >/dev/null || missing+=(nghttp2-client)
  command -v curl >/dev/null || missing+=(curl)
  command -v taskset >/dev/null || missing+=(util-linux)
  if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || die "missing ${missing[*]}: install them (apt-get install -y ${missing[*]}) or run as root"
    log "installing ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  fi
  command -v java >/dev/null || die "java not found"
}

# --- Processes -------------------------------------------------------------------------------------------------------
# Command prefixes that pin to the server or client CPU (empty unpinned). taskset execs the command, so "$!" after
# "${ON_SERVER_CPU[@]}" cmd & is the server's own pid.
if [[ "$PIN" == 1 ]]; then
  ON_SERVER_CPU=(taskset -c "$SERVER_CPU")
  ON_CLIENT_CPU=(taskset -c "$CLIENT_CPU")
else
  ON_SERVER_CPU=()
  ON_CLIENT_CPU=()
fi

make_workdir() {
  WORK="$(mktemp -d /tmp/swarmgate-bench.XXXXXX)"
  chmod 755 "$WORK"   # nginx workers run as nobody and read the 64 KiB file from here
}

# Stops every server this script started: TERM, up to 5 s to exit, then KILL. Idempotent.
cleanup() {
  local pid i
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in $(seq 1 50); do
    local alive=0
    for pid in "${SERVER_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${SERVER_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  SERVER_PIDS=()
  if [[ -n "$WORK" && -d "$WORK" && "${KEEP_WORKDIR:-0}" != 1 ]]; then rm -rf "$WORK"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_ports_free() {
  local p
  for p in "$@"; do port_in_use "$p" && die "port $p on 127.0.0.1 is in use (set *_PORT to move it)"; done
  return 0
}

# wait_for_status URL STATUS: polls up to 20 s (200 tries) until the URL answers STATUS.
wait_for_status() {
  local url="$1" want="$2" i code
  for i in $(seq 1 200); do
    code="$(curl -sk -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)"
    [[ "$code" == "$want" ]] && return 0
    sleep 0.1
  done
  return 1
}

wait_for_port() {
  local i
  for i in $(seq 1 300); do port_in_use "$1" && return 0; sleep 0.1; done
  return 1
}

# make_tls_cert: one self-signed EC P-256 certificate for localhost and 127.0.0.1, key then certificate in one PEM
# bundle ($WORK/certs/localhost.pem), the form all three proxies read. Turns on the proxies' TLS listeners.
make_tls_cert() {
  mkdir -p "$WORK/certs"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$WORK/certs/key.pem" -out "$WORK/certs/cert.pem" \
    2>/dev/null || die "openssl could not make a certificate"
  cat "$WORK/certs/key.pem" "$WORK/certs/cert.pem" >"$WORK/certs/localhost.pem"
  rm -f "$WORK/certs/key.pem" "$WORK/certs/cert.pem"   # CERTS_DIR holds only the bundle
  chmod 644 "$WORK/certs/localhost.pem"
  TLS_PEM="$WORK/certs/localhost.pem"
}

# wait_for_tls PORT: with TLS on (make_tls_cert), waits until https://127.0.0.1:PORT/demo/small answers 200.
wait_for_tls() { [[ -z "$TLS_PEM" ]] || wait_for_status "https://127.0.0.1:$1/demo/small" 200; }

# The nginx backend: SERVER_THREADS (1) workers, keep-alive without a request limit, logging off.
# /demo/small answers the 14-byte "hello, world!\n", /demo/64k 65,536 bytes; every other path also answers the 14
# bytes, so that routes added by dynamic.sh (/svc-17/...) reach a 200 too. On BACKEND_H2C_PORT it speaks h2c (HTTP/2
# with prior knowledge): /grpc/... answers a 14-byte application/grpc message with the trailer grpc-status: 0.
start_backend() {
  mkdir -p "$WORK/backend/www/demo"
  head -c 65536 /dev/zero | tr '\0' 'x' >"$WORK/backend/www/demo/64k"
  cat >"$WORK/backend/nginx.conf" <<EOF
worker_processes $SERVER_THREADS;
daemon off;
pid $WORK/backend/nginx.pid;
error_log $WORK/backend/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 1000000000;
  keepalive_timeout 300s;
  tcp_nodelay on;
  tcp_nopush off;
  sendfile on;
  open_file_cache max=16;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$BACKEND_PORT backlog=4096;
    root $WORK/backend/www;
    location = /demo/small { default_type text/plain; return 200 "hello, world!\n"; }
    location = /demo/64k { }
    location / { default_type text/plain; return 200 "hello, world!\n"; }
  }
  server {
    listen 127.0.0.1:$BACKEND_H2C_PORT http2 backlog=4096;
    http2_max_requests 1000000000;
    location /grpc/ { default_type application/grpc; add_trailer grpc-status 0; return 200 "hello, world!\n"; }
  }
}
EOF
  "${ON_SERVER_CPU[@]}" nginx -p "$WORK/backend" -e "$WORK/backend/error.log" -c "$WORK/backend/nginx.conf" \
    >"$WORK/backend/stdout.log" 2>&1 &
  SERVER_PIDS+=($!)
  BACKEND_PID=$!
  wait_for_status "http://127.0.0.1:$BACKEND_PORT/demo/small" 200 || die "backend did not start: $(cat "$WORK/backend/error.log")"
}

# HAProxy: SERVER_THREADS (1) threads, path_beg /demo to a backend with pooled keep-alive connections (http-reuse always), no logging;
# and on HAPROXY_TCP_PORT the floor, mode tcp: one backend connection per client connection, bytes relayed unparsed.
start_haproxy() {
  mkdir -p "$WORK/haproxy"
  cat >"$WORK/haproxy/haproxy.cfg" <<EOF
global
  nbthread $SERVER_THREADS
  maxconn $HAPROXY_MAXCONN
  $HAPROXY_GLOBAL_EXTRA
defaults
  mode http
  option http-keep-alive
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
frontend proxy
  bind 127.0.0.1:$HAPROXY_PORT
$([[ -n "$TLS_PEM" ]] && echo "  bind 127.0.0.1:$HAPROXY_TLS_PORT ssl crt $TLS_PEM alpn h2,http/1.1")
  acl demo path_beg /demo
  acl grpc path_beg /grpc
  use_backend demo if demo
  use_backend grpc if grpc
backend demo
  http-reuse always
  server backend1 127.0.0.1:$BACKEND_PORT
backend grpc
  http-reuse always
  server backend1 127.0.0.1:$BACKEND_H2C_PORT proto h2
listen floor
  mode tcp
  bind 127.0.0.1:$HAPROXY_TCP_PORT
  server backend1 127.0.0.1:$BACKEND_PORT
EOF
  "${ON_SERVER_CPU[@]}" haproxy -db -f "$WORK/haproxy/haproxy.cfg" >"$WORK/haproxy/stdout.log" 2>&1 &
  SERVER_PIDS+=($!)
  HAPROXY_PID=$!
  wait_for_status "http://127.0.0.1:$HAPROXY_PORT/demo/small" 200 || die "HAProxy did not start: $(cat "$WORK/haproxy/stdout.log")"
  wait_for_tls "$HAPROXY_TLS_PORT" || die "HAProxy does not answer over TLS: $(cat "$WORK/haproxy/stdout.log")"
}

# nginx as a proxy (with TLS on, also on NGINX_TLS_PORT; nginx 1.22 leaves TLS 1.3 out of its default protocols, so
# they are listed to negotiate TLS 1.3 as HAProxy and Swarmgate do): SERVER_THREADS (1) workers, location /demo to an upstream with keep-alive connections, HTTP/1.1, Connection "".
# Buffers hold a 64 KiB body in memory (no temporary file); the upstream keeps up to 512 idle connections, enough
# for every client connection of the 256-connection scenario (HAProxy's pool is not limited either). On NGINX_TCP_PORT
# the floor: the stream module relays each connection's bytes to one of its own to the backend.
start_nginx_proxy() {
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<EOF
load_module $NGINX_STREAM_MODULE;
worker_processes $SERVER_THREADS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections $NGINX_WORKER_CONNECTIONS; }
http {
  access_log off;
  keepalive_requests 1000000000;
  keepalive_timeout 300s;
  tcp_nodelay on;
  upstream backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 512;
    keepalive_requests 1000000000;
    keepalive_timeout 300s;
  }
  upstream grpc_backend {
    server 127.0.0.1:$BACKEND_H2C_PORT;
    keepalive 512;
    keepalive_requests 1000000000;
    keepalive_timeout 300s;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
$([[ -n "$TLS_PEM" ]] && printf '    listen 127.0.0.1:%s ssl http2 backlog=4096;\n    ssl_certificate %s;\n    ssl_certificate_key %s;\n    ssl_protocols TLSv1.2 TLSv1.3;\n' \
  "$NGINX_TLS_PORT" "$TLS_PEM" "$TLS_PEM")
    location /demo {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffer_size 16k;
      proxy_buffers 8 16k;
      proxy_max_temp_file_size 0;
    }
    location /grpc { grpc_pass grpc://grpc_backend; }
  }
}
stream {
  server {
    listen 127.0.0.1:$NGINX_TCP_PORT backlog=4096;
    proxy_pass 127.0.0.1:$BACKEND_PORT;
  }
}
EOF
  "${ON_SERVER_CPU[@]}" nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" \
    >"$WORK/nginx/stdout.log" 2>&1 &
  SERVER_PIDS+=($!)
  NGINX_PID=$!
  wait_for_status "http://127.0.0.1:$NGINX_PORT/demo/small" 200 || die "nginx did not start: $(cat "$WORK/nginx/error.log")"
  wait_for_tls "$NGINX_TLS_PORT" || die "nginx does not answer over TLS: $(cat "$WORK/nginx/error.log")"
}

# Swarmgate: the shipped jar, data port and API port from the environment (PORT, DEFAULT_PORTS), then one service
# routed by the Docker Flow Proxy reconfigure API: /demo to the backend.
start_swarmgate() {
  mkdir -p "$WORK/swarmgate"
  local jfr=()
  # The recording starts after SWARMGATE_JFR_DELAY (default 25 s: past the warm-up) and is written when Swarmgate stops.
  [[ -n "$SWARMGATE_JFR" ]] && jfr=("-XX:StartFlightRecording=filename=$SWARMGATE_JFR,settings=profile,delay=${SWARMGATE_JFR_DELAY:-25s},dumponexit=true")
  local ports="$SWARMGATE_PORT"
  [[ -n "$TLS_PEM" ]] && ports="$SWARMGATE_PORT,$SWARMGATE_TLS_PORT:ssl"
  # shellcheck disable=SC2086 # SWARMGATE_JAVA_OPTS is a list of flags
  PORT="$SWARMGATE_API_PORT" DEFAULT_PORTS="$ports" CERTS_DIR="$WORK/certs" MAX_CONNECTIONS="$HAPROXY_MAXCONN" \
    "${ON_SERVER_CPU[@]}" java $SWARMGATE_JAVA_OPTS "${jfr[@]}" -jar "$SWARMGATE_JAR" >"$WORK/swarmgate/stdout.log" 2>&1 &
  SERVER_PIDS+=($!)
  SWARMGATE_PID=$!
  wait_for_port "$SWARMGATE_API_PORT" || die "Swarmgate's API did not open port $SWARMGATE_API_PORT: $(tail -20 "$WORK/swarmgate/stdout.log")"
  reconfigure_swarmgate backend /demo "$BACKEND_PORT" || die "reconfigure failed: $(tail -20 "$WORK/swarmgate/stdout.log")"
  reconfigure_swarmgate grpc /grpc "$BACKEND_H2C_PORT" "&backendProtocol=h2c" \
    || die "reconfigure failed: $(tail -20 "$WORK/swarmgate/stdout.log")"
  wait_for_status "http://127.0.0.1:$SWARMGATE_PORT/demo/small" 200 \
    || die "Swarmgate does not route /demo/small: $(tail -20 "$WORK/swarmgate/stdout.log")"
  wait_for_tls "$SWARMGATE_TLS_PORT" || die "Swarmgate does not answer over TLS: $(tail -20 "$WORK/swarmgate/stdout.log")"
}

# Two Swarmgates side by side for an A/B script, with a backend, after that script's checks: JAR_A on SWARMGATE_PORT and
# SWARMGATE_API_PORT, JAR_B on SWARMGATE_B_PORT and SWARMGATE_B_API_PORT; sets PID_A and PID_B, and stops all on exit.
start_two_swarmgates() {
  ensure_tools
  local jar
  for jar in "$JAR_A" "$JAR_B" "$BENCH_JAR"; do [[ -f "$jar" ]] || die "$jar not found (build it: mvn -B -DskipTests package)"; done
  check_ports_free "$BACKEND_PORT" "$SWARMGATE_PORT" "$SWARMGATE_API_PORT" "$SWARMGATE_B_PORT" "$SWARMGATE_B_API_PORT"
  trap cleanup EXIT
  make_workdir
  mkdir -p "$RESULTS_DIR"
  start_backend
  SWARMGATE_JAR="$JAR_A" start_swarmgate
  PID_A="$SWARMGATE_PID"
  mv "$WORK/swarmgate" "$WORK/swarmgate-a"
  SWARMGATE_JAR="$JAR_B" SWARMGATE_PORT="$SWARMGATE_B_PORT" SWARMGATE_API_PORT="$SWARMGATE_B_API_PORT" start_swarmgate
  PID_B="$SWARMGATE_PID"
}

# reconfigure_swarmgate SERVICE PATH PORT [MORE_PARAMETERS]
reconfigure_swarmgate() {
  curl -fsS --max-time 10 -o /dev/null \
    "http://127.0.0.1:$SWARMGATE_API_PORT/v1/docker-flow-proxy/reconfigure?serviceName=$1&servicePath=$2&port=$3&outboundHostname=127.0.0.1${4:-}"
}

# --- Measuring -------------------------------------------------------------------------------------------------------
# Busy ticks of one CPU (or of all with "cpu"): user+nice+system+irq+softirq+steal; idle and iowait left out.
cpu_busy_ticks() {
  awk -v cpu="$1" '$1 == cpu { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# CPU ticks (user+system) of the given processes and their children (nginx's workers, a JVM's threads are included).
proc_ticks() {
  local pids=() pid
  for pid in "$@"; do pids+=("$pid"); pids+=($(pgrep -P "$pid" || true)); done
  local total=0 t
  for pid in "${pids[@]}"; do
    # Fields after the ")" closing the command name: utime is the 12th, stime the 13th.
    t="$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)"
    total=$((total + t))
  done
  echo "$total"
}

# The CPU whose busy time is charged to the servers: CPU 1 pinned, every CPU unpinned (then wrk is in it too).
server_cpu_label() { if [[ "$PIN" == 1 ]]; then echo "cpu$SERVER_CPU"; else echo "cpu"; fi; }

# run_wrk SECONDS CONNECTIONS URL [HEADER]: one wrk run; prints the WRK_RESULT line's key=value fields.
run_wrk() {
  local seconds="$1" conns="$2" url="$3" header="${4:-}" args=()
  [[ -n "$header" ]] && args=(-H "$header")
  "${ON_CLIENT_CPU[@]}" wrk -t"$WRK_THREADS" -c"$conns" -d"${seconds}s" --timeout 5s -s "$LOAD_DIR/report.lua" "${args[@]}" "$url" \
    | sed -n 's/^WRK_RESULT //p'
}

# run_h2load REQUESTS CONNECTIONS URL [STREAMS [H2C [ARG...]]]: one h2load run (HTTP/2 chosen by ALPN for an https
# URL, STREAMS (1) at a time per connection, `-m`; HTTP/1.1 keep-alive, `--h1`, for a plain URL unless H2C is 1: the
# direct row's backend speaks HTTP/1.1 only, but h2c on BACKEND_H2C_PORT) of a fixed number of requests, one thread,
# with h2load's further ARGs (a body, fields); prints the same key=value fields as run_wrk. h2load reports no percentiles:
# they come from its per-request log (--log-file: start µs, status, µs to the end of the response). Errors: requests
# not completed count as connect errors, h2load's "errored" minus "timeout" as read errors, "failed" minus "errored"
# (status >= 400) as HTTP errors.
run_h2load() {
  local requests="$1" conns="$2" url="$3" streams="${4:-1}" h2c="${5:-0}" log out version=()
  shift $(($# < 5 ? $# : 5))
  # HTTP/1.1 would pipeline STREAMS requests: the direct row's backend is asked one at a time.
  [[ "$url" == http://* && "$h2c" != 1 ]] && version=(--h1) streams=1
  log="$(mktemp "${WORK:-/tmp}/h2load.XXXXXX")"
  out="$("${ON_CLIENT_CPU[@]}" h2load "${version[@]}" -t1 -c"$conns" -m"$streams" -n"$requests" -T5 --log-file="$log" \
    "$@" "$url" 2>&1)" || true
  sort -n -k3,3 "$log" | H2LOAD_OUT="$out" awk '
    { lat[++n] = $3 }
    function pct(p) { return n ? lat[int((n - 1) * p / 100) + 1] : 0 }
    function secs(v) { if (v ~ /ms$/) return v / 1e3; if (v ~ /us$/) return v / 1e6; return v + 0 }
    END {
      split(ENVIRON["H2LOAD_OUT"], lines, "\n")
      for (i in lines) {
        if (lines[i] ~ /^finished in /) { split(lines[i], w, /[ ,]+/); d = secs(w[3]) }
        if (lines[i] ~ /^requests: /) { split(lines[i], w, /[ ,]+/); total = w[2]; done = w[6]; failed = w[10]; errored = w[12]; timeout = w[14] }
      }
      if (total == "") exit
      printf "requests=%d duration_us=%d bytes=0 connect_errors=%d read_errors=%d write_errors=0 timeouts=%d http_errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
        done, d * 1e6, total - done, errored - timeout, timeout, failed - errored, pct(50), pct(90), pct(99), pct(100) }'
  rm -f "$log"
}

# make_grpc_request: the message of the h2load-grpc-64 scenario's calls, $WORK/grpc-request: a 5-byte gRPC frame
# header (not compressed, length 9), then 9 bytes.
make_grpc_request() { printf '\0\0\0\0\011hello, gR' >"$WORK/grpc-request"; }

# run_scenario_client SECONDS|REQUESTS URL: one run of the current scenario's client (see scenario below): wrk for
# SECONDS, or h2load for REQUESTS, each a gRPC call when the scenario says so (make_grpc_request first).
run_scenario_client() {
  if [[ "$TOOL" == h2load ]]; then
    local grpc=()
    [[ "$GRPC" == 1 ]] && grpc=(-d "$WORK/grpc-request" -H "content-type: application/grpc" -H "te: trailers")
    run_h2load "$1" "$CONNS" "$2" "$STREAMS" "$GRPC" "${grpc[@]}"
  else
    run_wrk "$1" "$CONNS" "$2" "$HEADER"
  fi
}

# field NAME "k=v k=v ...": the value of one field.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

# Percentage of a CPU busy over one idle second: tells whether something else is running on the server CPU.
idle_busy_percent() {
  local cpu; cpu="$(server_cpu_label)"
  local b0 t0 b1 t1
  b0="$(cpu_busy_ticks "$cpu")"; t0="$(awk -v c="$cpu" '$1 == c { s = 0; for (i = 2; i <= NF; i++) s += $i; print s; exit }' /proc/stat)"
  sleep 1
  b1="$(cpu_busy_ticks "$cpu")"; t1="$(awk -v c="$cpu" '$1 == c { s = 0; for (i = 2; i <= NF; i++) s += $i; print s; exit }' /proc/stat)"
  awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.1f", (t > 0 ? 100 * b / t : 0) }'
}

# median: reads numbers, one a line, prints the median.
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# thousands: 123456.7 -> 123,457
thousands() { awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); out = ""; while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } print s out }'; }

# scenario NAME -> sets PATH_, CONNS, HEADER, LABEL, SCHEME (https: the proxies terminate TLS; the direct row stays
# plain HTTP, so that own µs/req includes the TLS work), TOOL (wrk, or h2load for a fixed number of requests), STREAMS
# (h2load's streams at a time per connection) and GRPC (1: a gRPC call to the backend's h2c listener, the direct row
# speaking h2c to it)
scenario() {
  HEADER="" SCHEME=http TOOL=wrk STREAMS=1 GRPC=0
  case "$1" in
    ka-small-64)  PATH_=/demo/small CONNS=64  LABEL="keep-alive 14 B, 64 conns" ;;
    ka-small-256) PATH_=/demo/small CONNS=256 LABEL="keep-alive 14 B, 256 conns" ;;
    ka-64k-64)    PATH_=/demo/64k   CONNS=64  LABEL="keep-alive 64 KiB, 64 conns" ;;
    close-64)     PATH_=/demo/small CONNS=64  LABEL="new connection per request, 64 conns" HEADER="Connection: close" ;;
    tls-ka-small-64) PATH_=/demo/small CONNS=64 SCHEME=https LABEL="TLS keep-alive 14 B, 64 conns (wrk)" ;;
    tls-close-64) PATH_=/demo/small CONNS=64  SCHEME=https LABEL="TLS new connection (full handshake) per request, 64 conns" HEADER="Connection: close" ;;
    h2load-tls-64) PATH_=/demo/small CONNS=64 SCHEME=https TOOL=h2load LABEL="TLS keep-alive 14 B, 64 conns (h2load, HTTP/2)" ;;
    h2load-tls-64-m10) PATH_=/demo/small CONNS=64 SCHEME=https TOOL=h2load STREAMS=10 LABEL="TLS keep-alive 14 B, 64 conns × 10 streams (h2load, HTTP/2)" ;;
    h2load-grpc-64) PATH_=/grpc/small CONNS=64 SCHEME=https TOOL=h2load GRPC=1 LABEL="TLS gRPC call (POST 14 B, 14 B and trailers back) to an h2c backend, 64 conns (h2load, HTTP/2)" ;;
    *) die "unknown scenario $1 (expected: ka-small-64 ka-small-256 ka-64k-64 close-64 tls-ka-small-64 tls-close-64 h2load-tls-64 h2load-tls-64-m10 h2load-grpc-64)" ;;
  esac
}
