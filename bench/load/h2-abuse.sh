#!/usr/bin/env bash
# HTTP/2 attacks on Swarmgate, with what each costs it and the other clients.
#
#   bench/load/h2-abuse.sh                    # needs config-api/target/swarmgate.jar and bench/target/benchmarks.jar
#   ATTACKS="rapid-reset ping" DURATION=5 bench/load/h2-abuse.sh
#
# Starts the nginx backend and Swarmgate with TLS as compare.sh does (servers pinned to CPU 1, clients to CPU 0). After
# a warm-up, one phase per line of the table, each DURATION (10) s: the baseline, normal traffic alone, then each
# attack of ATTACKS with the same normal traffic beside it. Normal traffic is h2load over TLS: CLIENTS (4) connections
# of STREAMS (4) streams each, RPS (100) requests per second per connection for GET /demo/small. The attack is
# io.swarmgate.bench.H2Abuse with ATTACK_CONNECTIONS (2) connections, each reconnecting when Swarmgate ends it:
#   rapid-reset   HEADERS + RST_STREAM, 100,000 pairs per connection (CVE-2023-44487)
#   continuation  a header block in 1-byte CONTINUATION frames that never ends (CVE-2024-27316)
#   settings      1,000,000 SETTINGS per connection, the client reading none of the ACKs
#   ping          1,000,000 PINGs per connection, the same
#   zero-window   SETTINGS_INITIAL_WINDOW_SIZE 0, then 200 streams, never giving the proxy any window
# Per phase: Swarmgate's CPU seconds (user+system of its process), its heap in use (the largest of jstat's samples
# every 0.5 s, and after a full GC at the end), its backend connections (the most established at once, and how many
# it opened: distinct ones seen by ss every 0.5 s in any state, TIME-WAIT included, and not there before the phase), the normal traffic's p50/p99 (from h2load's per-request log) and its
# p99 over the baseline's, and what the attack client did (connections, frames written, connections cut off).
# Writes bench/results/<timestamp>-h2-abuse.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ATTACKS="${ATTACKS:-rapid-reset continuation settings ping zero-window}"
DURATION="${DURATION:-10}"
ATTACK_CONNECTIONS="${ATTACK_CONNECTIONS:-2}"
CLIENTS="${CLIENTS:-4}"
STREAMS="${STREAMS:-4}"
RPS="${RPS:-100}"
WARMUP_SECONDS="${WARMUP_SECONDS:-15}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
SAMPLER_PID=""

# backend_sockets: Swarmgate's ends of its backend connections, in any state ("STATE local-address:port" lines);
# closed ones stay listed for a minute in TIME-WAIT, so short-lived connections are seen too.
backend_sockets() { ss -Htan "( dport = :$BACKEND_PORT )" 2>/dev/null | awk '{ print $1, $4 }'; }

# sample_servers OUT: every 0.5 s one line "heap_kib established_backend_connections local_ports..." until killed.
sample_servers() {
  while true; do
    local heap sockets
    heap="$(jstat -gc "$SWARMGATE_PID" 2>/dev/null | awk 'NR == 2 { printf "%.0f", $3 + $4 + $6 + $8 }')"
    sockets="$(backend_sockets)"
    echo "${heap:-0} $(grep -c '^ESTAB' <<<"$sockets" || true) $(awk '{ print $2 }' <<<"$sockets" | tr '\n' ' ')"
    sleep 0.5
  done >"$1"
}

start_sampler() { sample_servers "$1" & SAMPLER_PID=$!; }
stop_sampler() { [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""; }

# normal_traffic LOG: h2load's fixed-rate load for DURATION s, its per-request log in LOG.
normal_traffic() {
  "${ON_CLIENT_CPU[@]}" h2load -D "$DURATION" -c "$CLIENTS" -m "$STREAMS" --rps "$RPS" --log-file="$1" \
    "https://127.0.0.1:$SWARMGATE_TLS_PORT/demo/small" >"$1.out" 2>&1 || true
}

# percentile LOG P: the P-th percentile of the successful requests' durations, in ms.
percentile() {
  awk '$2 >= 200 && $2 < 400 { print $3 }' "$1" | sort -n | awk -v p="$2" '{ v[NR] = $1 }
    END { if (NR == 0) { print "n/a"; exit } i = int(NR * p / 100); if (i < 1) i = 1; printf "%.2f", v[i] / 1000 }'
}

# phase NAME: one measured phase, the attack NAME (or none for "baseline") beside the normal traffic; one table row.
phase() {
  local name="$1" dir="$WORK/$1" t0 t1 attack_pid="" result="attack=none"
  mkdir -p "$dir"
  jcmd "$SWARMGATE_PID" GC.run >/dev/null
  backend_sockets | awk '{ print $2 }' | sort -u >"$dir/backend-before"
  t0="$(proc_ticks "$SWARMGATE_PID")"
  start_sampler "$dir/samples"
  if [[ "$name" != baseline ]]; then
    "${ON_CLIENT_CPU[@]}" java -cp "$BENCH_JAR" io.swarmgate.bench.H2Abuse --port "$SWARMGATE_TLS_PORT" \
      --attack "$name" --connections "$ATTACK_CONNECTIONS" --seconds "$DURATION" >"$dir/attack.out" 2>&1 &
    attack_pid=$!
  fi
  normal_traffic "$dir/h2load.log"
  [[ -n "$attack_pid" ]] && { wait "$attack_pid" || true; result="$(grep '^RESULT' "$dir/attack.out" || echo "attack=failed")"; }
  stop_sampler
  t1="$(proc_ticks "$SWARMGATE_PID")"
  jcmd "$SWARMGATE_PID" GC.run >/dev/null
  local heap_after
  heap_after="$(jstat -gc "$SWARMGATE_PID" | awk 'NR == 2 { printf "%.0f", $3 + $4 + $6 + $8 }')"
  local cpu heap_peak backend_peak backend_seen p50 p99 requests
  cpu="$(awk -v t="$((t1 - t0))" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", t / hz }')"
  heap_peak="$(awk 'BEGIN { m = 0 } $1 > m { m = $1 } END { printf "%.0f", m / 1024 }' "$dir/samples")"
  backend_peak="$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$dir/samples")"
  backend_seen="$(awk '{ for (i = 3; i <= NF; i++) print $i }' "$dir/samples" | sort -u \
    | comm -23 - "$dir/backend-before" | wc -l)"
  p50="$(percentile "$dir/h2load.log" 50)"
  p99="$(percentile "$dir/h2load.log" 99)"
  requests="$(awk '$2 >= 200 && $2 < 400' "$dir/h2load.log" | wc -l)"
  [[ "$name" == baseline ]] && BASE_P99="$p99"
  local ratio
  ratio="$(awk -v a="$p99" -v b="$BASE_P99" 'BEGIN { if (b + 0 > 0 && a + 0 > 0) printf "%.2f", a / b; else print "n/a" }')"
  log "$name: cpu ${cpu}s heap peak ${heap_peak} MiB (after GC $((heap_after / 1024))) backend ${backend_peak}/${backend_seen} p99 ${p99} ms (${ratio}x) · $result"
  echo "| $name | $cpu | $heap_peak | $((heap_after / 1024)) | $backend_peak | $backend_seen | $requests | $p50 | $p99 | $ratio | ${result#RESULT } |" >>"$MD"
}

main() {
  ensure_tools
  command -v jcmd >/dev/null && command -v jstat >/dev/null || die "jcmd and jstat not found (they come with the JDK)"
  command -v ss >/dev/null || die "ss not found (apt-get install -y iproute2)"
  [[ -f "$SWARMGATE_JAR" ]] || die "$SWARMGATE_JAR not found (build it: mvn -B -DskipTests package)"
  [[ -f "$BENCH_JAR" ]] || die "$BENCH_JAR not found (build it: mvn -B -DskipTests package)"
  check_ports_free "$BACKEND_PORT" "$SWARMGATE_PORT" "$SWARMGATE_API_PORT" "$SWARMGATE_TLS_PORT"
  make_workdir
  trap 'stop_sampler; cleanup' EXIT
  trap 'exit 130' INT TERM
  make_tls_cert
  start_backend
  start_swarmgate
  log "warming Swarmgate up for ${WARMUP_SECONDS}s"
  "${ON_CLIENT_CPU[@]}" h2load -D "$WARMUP_SECONDS" -c "$CLIENTS" -m "$STREAMS" \
    "https://127.0.0.1:$SWARMGATE_TLS_PORT/demo/small" >/dev/null 2>&1 || true
  mkdir -p "$RESULTS_DIR"
  MD="$RESULTS_DIR/$(date +%Y%m%d-%H%M%S)-h2-abuse.md"
  {
    echo "# HTTP/2 attacks on Swarmgate"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, pinned: $PIN. Each phase ${DURATION} s; normal traffic: h2load over TLS, $CLIENTS connections × $STREAMS streams, $RPS req/s each; attack: $ATTACK_CONNECTIONS connections."
    echo "CPU: Swarmgate's user+system seconds in the phase (normal traffic included). Heap: MiB in use, the most sampled and after a full GC at the end. Backend: connections to the backend, the most established at once / opened in the phase."
    echo
    echo "| phase | CPU s | heap peak MiB | heap after GC MiB | backend at once | backend opened | normal requests | p50 ms | p99 ms | p99 / baseline | attack client |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
  } >"$MD"
  phase baseline
  local attack
  for attack in $ATTACKS; do
    phase "$attack"
  done
  phase baseline
  log "wrote $MD"
}

main "$@"
