#!/usr/bin/env bash
# Memory per idle keep-alive connection: Swarmgate, HAProxy and nginx, each holding CONNECTIONS (10,000) idle
# keep-alive client connections.
#
#   bench/load/idle.sh                        # defaults below; needs config-api/target/swarmgate.jar and bench/target/benchmarks.jar
#   CONNECTIONS=2000 REPEATS=1 bench/load/idle.sh
#
# Starts the nginx backend, HAProxy, nginx and Swarmgate as compare.sh does (servers pinned to CPU 1, the client to
# CPU 0), with Swarmgate's idle keep-alive timeout raised to SWARMGATE_KEEP_ALIVE (300 s; its default, 15 s, is
# shorter than a round). Then, REPEATS times over the proxies in turn, one round each:
#   1. before: the proxy's RSS (VmRSS, summed over its processes); for Swarmgate first a full GC (jcmd GC.run) and the
#      heap used after it (jcmd GC.heap_info), and a Native Memory Tracking baseline;
#   2. io.swarmgate.bench.IdleConnections opens CONNECTIONS connections to the proxy, completes one GET /demo/small
#      keep-alive exchange on each and holds them idle; SETTLE (5) s after it is ready, the same figures again
#      (for Swarmgate each RSS reading follows jcmd System.trim_native_heap; in the last round a class histogram too);
#   3. the client is released: it checks that every connection is still usable (a second exchange on each) and closes
#      them; SETTLE s later, the figures once more (what closing gives back).
# Each proxy first gets one unrecorded round of WARMUP_CONNECTIONS (100) connections, Swarmgate before that a
# SWARMGATE_WARMUP (10 s) keep-alive and 3 s new-connection wrk load for its JIT.
# Writes bench/results/<timestamp>-idle.md and -idle.csv (one row per round).
set -euo pipefail

CONNECTIONS="${CONNECTIONS:-10000}"
# HAProxy's global maxconn and nginx's worker_connections must leave room for every client connection (lib.sh).
HAPROXY_MAXCONN="${HAPROXY_MAXCONN:-$((CONNECTIONS + 2000))}"
if ((CONNECTIONS + 1000 > 16384)); then NGINX_WORKER_CONNECTIONS="${NGINX_WORKER_CONNECTIONS:-$((CONNECTIONS + 1000))}"; fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGETS="${TARGETS:-swarmgate haproxy nginx}"
REPEATS="${REPEATS:-3}"
WARMUP_CONNECTIONS="${WARMUP_CONNECTIONS:-100}"
SETTLE="${SETTLE:-5}"                           # seconds between the client's READY and the readings (the JVM
                                                # frees its compilers' pooled scratch memory every 5 s)
CLIENT_CONCURRENCY="${CLIENT_CONCURRENCY:-4}"
HOLD_LIMIT="${HOLD_LIMIT:-50}"                  # the client lets go by itself after this many seconds (HAProxy's
                                                # keep-alive timeout in lib.sh is 60 s)
NOFILE="${NOFILE:-65536}"
SWARMGATE_KEEP_ALIVE="${SWARMGATE_KEEP_ALIVE:-300}"
SWARMGATE_WARMUP="${SWARMGATE_WARMUP:-10}"
SWARMGATE_NMT="${SWARMGATE_NMT:-1}"             # 1: Native Memory Tracking (summary) on, for the breakdown
SWARMGATE_TRIM="${SWARMGATE_TRIM:-1}"           # 1: jcmd System.trim_native_heap before each RSS reading
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
HISTO_TOP="${HISTO_TOP:-15}"                    # classes listed in the heap breakdown
[[ "$SWARMGATE_NMT" == 1 ]] && SWARMGATE_JAVA_OPTS="$SWARMGATE_JAVA_OPTS -XX:NativeMemoryTracking=summary"

CLIENT_PID=""
CLIENT_OUT=""
CLIENT_READY=""
CLIENT_RESULT=""

# --- Memory figures --------------------------------------------------------------------------------------------------
# rss_kb PID...: VmRSS of the processes and their children (nginx's worker), summed, in KiB.
rss_kb() {
  local pids=() pid total=0 v
  for pid in "$@"; do pids+=("$pid"); pids+=($(pgrep -P "$pid" || true)); done
  for pid in "${pids[@]}"; do
    v="$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# num N: thousands() for negative numbers too.
num() { if [[ "$1" == -* ]]; then echo "-$(thousands "${1#-}")"; else thousands "$1"; fi; }

on_client() { "${ON_CLIENT_CPU[@]}" "$@"; }

# heap_used_kb PID: a full GC, then the Java heap in use (the generations' "used", summed), in KiB.
heap_used_kb() {
  on_client jcmd "$1" GC.run >/dev/null
  on_client jcmd "$1" GC.heap_info | awk '
    /total [0-9]+K, used [0-9]+K/ { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); s += v } }
    END { print s + 0 }'
}

# trim_native PID: has the JVM give free malloc memory back (jcmd System.trim_native_heap, JDK 17.0.9 and later), so
# that scratch memory the JIT compilers and jcmd used and freed does not show in the RSS as if connections held it.
trim_native() {
  if [[ "$SWARMGATE_TRIM" == 1 ]]; then on_client jcmd "$1" System.trim_native_heap >/dev/null; fi
}

# histogram PID FILE: instances and bytes per class after a full GC (jcmd GC.class_histogram), "class instances bytes".
histogram() {
  on_client jcmd "$1" GC.class_histogram | awk '$1 ~ /^[0-9]+:$/ { print $4, $2, $3 }' >"$2"
}

nmt_baseline() { on_client jcmd "$1" VM.native_memory baseline >/dev/null; }

# nmt_diff PID: "TOTAL_KB OTHER_KB CATEGORY=+KB;CATEGORY=-KB;..." — committed memory since the baseline: in all, in the
# category Other (direct buffers: NIO's and Netty's), and by category where it changed.
nmt_diff() {
  on_client jcmd "$1" VM.native_memory summary.diff scale=KB | awk '
    function delta(line,   m) {
      if (match(line, /committed=[0-9]+KB [+-][0-9]+KB/)) { m = substr(line, RSTART, RLENGTH); sub(/.* /, "", m); sub(/KB/, "", m); return m + 0 }
      return 0
    }
    /^Total:/ { total = delta($0) }
    /^- +Other \(reserved=/ { other = delta($0) }
    /^-/ && /\(reserved=/ {
      name = $0; sub(/^- */, "", name); sub(/ *\(reserved=.*/, "", name); gsub(/ /, "_", name)
      d = delta($0); if (d != 0) list = list (list == "" ? "" : ";") name "=" (d > 0 ? "+" : "") d
    }
    END { printf "%d %d %s\n", total, other, list }'
}

# nmt_fields "TOTAL OTHER LIST": TOTAL,OTHER,LIST for the CSV (empty fields without NMT).
nmt_fields() {
  if [[ -z "$1" ]]; then echo ",,"; return; fi
  local total other list
  read -r total other list <<<"$1"
  echo "$total,$other,$list"
}

# --- The idle client -------------------------------------------------------------------------------------------------
# start_client PORT COUNT: starts IdleConnections in the background on the client CPU, its stdin on fd 3 (closing fd
# 3 releases it); waits for its READY line and sets CLIENT_READY to the line's fields. (Not in $(...): the client must
# be this shell's child, and fd 3 this shell's.)
start_client() {
  local port="$1" count="$2" fifo="$WORK/idle.in" i
  CLIENT_OUT="$WORK/idle.out"
  rm -f "$fifo"; mkfifo "$fifo"
  on_client java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$BENCH_JAR" io.swarmgate.bench.IdleConnections \
    --port "$port" --connections "$count" --concurrency "$CLIENT_CONCURRENCY" --hold-seconds "$HOLD_LIMIT" \
    --open-seconds 60 <"$fifo" >"$CLIENT_OUT" 2>"$WORK/idle.err" &
  CLIENT_PID=$!
  exec 3>"$fifo"
  for i in $(seq 1 700); do   # up to 70 s: the client gives up opening after 60
    if grep -q '^READY ' "$CLIENT_OUT"; then CLIENT_READY="$(sed -n 's/^READY //p' "$CLIENT_OUT")"; return 0; fi
    kill -0 "$CLIENT_PID" 2>/dev/null || break
    sleep 0.1
  done
  die "the idle client did not get ready: $(cat "$CLIENT_OUT" "$WORK/idle.err")"
}

# release_client: closes the client's stdin, waits for it and sets CLIENT_RESULT to its RESULT line's fields.
release_client() {
  exec 3>&-
  wait "$CLIENT_PID" || die "the idle client failed: $(cat "$CLIENT_OUT" "$WORK/idle.err")"
  CLIENT_PID=""
  grep -v '^READY \|^RESULT ' "$CLIENT_OUT" | sed 's/^/    client: /' >&2
  CLIENT_RESULT="$(sed -n 's/^RESULT //p' "$CLIENT_OUT")"
}

stop_client() {
  exec 3>&- 2>/dev/null || true
  if [[ -n "$CLIENT_PID" ]]; then kill -TERM "$CLIENT_PID" 2>/dev/null || true; wait "$CLIENT_PID" 2>/dev/null || true; fi
  CLIENT_PID=""
}

target_pid() {
  case "$1" in
    swarmgate) echo "$SWARMGATE_PID" ;;
    haproxy) echo "$HAPROXY_PID" ;;
    nginx) echo "$NGINX_PID" ;;
  esac
}

target_port() {
  case "$1" in
    swarmgate) echo "$SWARMGATE_PORT" ;;
    haproxy) echo "$HAPROXY_PORT" ;;
    nginx) echo "$NGINX_PORT" ;;
  esac
}

# round TARGET REP CSV: one measured round (REP 0: the unrecorded warm-up round of WARMUP_CONNECTIONS). The RSS before
# the target's first measured round is kept in FIRST_RSS: allocators keep what a round freed (HAProxy's pools keep it
# after the connections close), so RSS Δ is held − that first baseline, not − the round's own "before".
declare -A FIRST_RSS=()
round() {
  local target="$1" rep="$2" csv="$3" pid port count jvm=0
  pid="$(target_pid "$target")"; port="$(target_port "$target")"
  count="$CONNECTIONS"; ((rep == 0)) && count="$WARMUP_CONNECTIONS"
  [[ "$target" == swarmgate ]] && jvm=1
  local heap0="" heap1="" heap2="" nmt1="" nmt2=""
  if ((jvm)); then
    heap0="$(heap_used_kb "$pid")"
    if ((rep == REPEATS)); then histogram "$pid" "$WORK/histo.before"; fi
    if [[ "$SWARMGATE_NMT" == 1 ]]; then nmt_baseline "$pid"; fi
    trim_native "$pid"
  fi
  local rss0; rss0="$(rss_kb "$pid")"
  ((rep == 1)) && FIRST_RSS[$target]="$rss0"
  local base="${FIRST_RSS[$target]:-$rss0}"
  start_client "$port" "$count"
  local ready="$CLIENT_READY"
  sleep "$SETTLE"
  if ((jvm)); then
    heap1="$(heap_used_kb "$pid")"
    if ((rep == REPEATS)); then histogram "$pid" "$WORK/histo.held"; fi
    if [[ "$SWARMGATE_NMT" == 1 ]]; then nmt1="$(nmt_diff "$pid")"; fi
    trim_native "$pid"
  fi
  local rss1; rss1="$(rss_kb "$pid")"
  release_client
  local result="$CLIENT_RESULT"
  sleep "$SETTLE"
  if ((jvm)); then
    heap2="$(heap_used_kb "$pid")"
    if [[ "$SWARMGATE_NMT" == 1 ]]; then nmt2="$(nmt_diff "$pid")"; fi
    trim_native "$pid"
  fi
  local rss2; rss2="$(rss_kb "$pid")"
  kill -0 "$pid" 2>/dev/null || die "$target (pid $pid) is gone"
  local opened kept
  opened="$(field opened "$result")"; kept="$(field kept "$result")"
  log "  $(printf '%-9s' "$target") $(if ((rep == 0)); then echo "warm-up"; else echo "round $rep"; fi):" \
    "$(thousands "$opened")/$(thousands "$count") opened in $(field open_ms "$ready") ms, $(thousands "$kept") kept," \
    "RSS $((rss0 / 1024)) → $((rss1 / 1024)) → $((rss2 / 1024)) MiB" \
    "$(if ((jvm)); then echo "· heap after GC $((heap0 / 1024)) → $((heap1 / 1024)) → $((heap2 / 1024)) MiB"; fi)" \
    "· $(awk -v a="$base" -v b="$rss1" -v n="$opened" 'BEGIN { printf "%.0f", (n > 0 ? (b - a) * 1024 / n : 0) }') B RSS/conn" \
    "$(if ((jvm)); then awk -v a="$heap0" -v b="$heap1" -v n="$opened" 'BEGIN { printf "+ %.0f B heap/conn", (n > 0 ? (b - a) * 1024 / n : 0) }'; fi)"
  ((rep == 0)) && return 0
  echo "$target,$rep,$count,$opened,$(field failed "$result"),$(field open_ms "$result"),$kept,$(field closed_while_idle "$result"),$(field second_failed "$result"),$base,$rss0,$rss1,$rss2,$heap0,$heap1,$heap2,$(nmt_fields "$nmt1"),${nmt2%% *}" >>"$csv"
}

main() {
  ensure_tools
  command -v jcmd >/dev/null || die "jcmd not found (it comes with the JDK)"
  [[ -f "$SWARMGATE_JAR" ]] || die "$SWARMGATE_JAR not found (build it: mvn -B -DskipTests package)"
  [[ -f "$BENCH_JAR" ]] || die "$BENCH_JAR not found (build it: mvn -B -DskipTests package)"
  # Every server and the client inherit the limit on open files. Raising the hard limit needs CAP_SYS_RESOURCE (a
  # container may not give it even to root): then the soft limit goes up to the hard one.
  if (($(ulimit -n) < NOFILE)); then
    if ! ulimit -n "$NOFILE" 2>/dev/null; then
      log "cannot raise the open-files limit to $NOFILE (no CAP_SYS_RESOURCE?); using the hard limit, $(ulimit -Hn)"
      ulimit -Sn "$(ulimit -Hn)"
    fi
  fi
  # HAProxy wants 2 × maxconn descriptors (a server connection per client connection) and by default refuses to
  # start without them; here the clients share 1–4 server connections, so fewer are enough.
  if ((2 * HAPROXY_MAXCONN + 100 > $(ulimit -n))) && [[ -z "$HAPROXY_GLOBAL_EXTRA" ]]; then
    HAPROXY_GLOBAL_EXTRA="no strict-limits"
    log "HAProxy gets 'no strict-limits': maxconn $HAPROXY_MAXCONN wants $((2 * HAPROXY_MAXCONN + 14)) descriptors, the limit is $(ulimit -n)"
  fi
  ((CONNECTIONS + 1000 <= $(ulimit -n))) || die "CONNECTIONS=$CONNECTIONS does not fit the open-files limit $(ulimit -n) (set NOFILE)"
  make_workdir
  trap 'stop_client; cleanup' EXIT
  trap 'exit 130' INT TERM
  local targets=($TARGETS) t ports=("$BACKEND_PORT")
  for t in "${targets[@]}"; do
    case "$t" in
      swarmgate) ports+=("$SWARMGATE_PORT" "$SWARMGATE_API_PORT") ;;
      haproxy) ports+=("$HAPROXY_PORT") ;;
      nginx) ports+=("$NGINX_PORT") ;;
      *) die "unknown target $t (expected: swarmgate haproxy nginx)" ;;
    esac
  done
  check_ports_free "${ports[@]}"
  mkdir -p "$RESULTS_DIR"
  local stamp; stamp="$(date +%Y%m%d-%H%M%S)"
  local csv="$RESULTS_DIR/$stamp-idle.csv" md="$RESULTS_DIR/$stamp-idle.md"

  start_backend
  for t in "${targets[@]}"; do
    case "$t" in
      swarmgate)
        TIMEOUT_HTTP_KEEP_ALIVE="$SWARMGATE_KEEP_ALIVE" start_swarmgate
        if [[ "$SWARMGATE_TRIM" == 1 ]] && ! on_client jcmd "$SWARMGATE_PID" help | grep -q System.trim_native_heap; then
          log "this JDK has no jcmd System.trim_native_heap: Swarmgate's RSS is read untrimmed"
          SWARMGATE_TRIM=0
        fi ;;
      haproxy) start_haproxy ;;
      nginx) start_nginx_proxy ;;
    esac
  done
  if [[ " ${targets[*]} " == *" swarmgate "* ]]; then
    local url="http://127.0.0.1:$SWARMGATE_PORT/demo/small"
    log "warming Swarmgate up: ${SWARMGATE_WARMUP} s keep-alive load, 3 s new connections"
    run_wrk "$SWARMGATE_WARMUP" 64 "$url" >/dev/null
    run_wrk 3 64 "$url" "Connection: close" >/dev/null
  fi
  log "warm-up round of $(thousands "$WARMUP_CONNECTIONS") idle connections on each proxy"
  for t in "${targets[@]}"; do round "$t" 0 /dev/null; done

  log "$REPEATS rounds of $(thousands "$CONNECTIONS") idle keep-alive connections on each proxy (open-files limit $(ulimit -n))"
  # Columns: 1 target … 9 second_failed, 10 rss_first_before, 11–13 rss before/held/after, 14–16 heap, 17–20 NMT.
  echo "target,round,connections,opened,failed,open_ms,kept,closed_while_idle,second_failed,rss_first_before_kib,rss_before_kib,rss_held_kib,rss_after_kib,heap_before_kib,heap_held_kib,heap_after_kib,nmt_committed_delta_kib,nmt_other_delta_kib,nmt_categories_kib,nmt_after_close_delta_kib" >"$csv"
  local rep
  for rep in $(seq 1 "$REPEATS"); do
    for t in "${targets[@]}"; do round "$t" "$rep" "$csv"; done
  done

  # Per target: medians over the rounds of bytes per connection (Δ / connections opened), sums of failures.
  per_conn() {   # per_conn TARGET FROM_COL TO_COL: (to - from) KiB * 1024 / opened, one a line (FROM_COL 0: to alone)
    awk -F, -v t="$1" -v a="$2" -v b="$3" 'NR > 1 && $1 == t && $4 > 0 && (a == 0 || $a != "") && $b != "" { print ($b - (a == 0 ? 0 : $a)) * 1024 / $4 }' "$csv"
  }
  column() { awk -F, -v t="$1" -v c="$2" 'NR > 1 && $1 == t { print $c }' "$csv"; }
  sum() { awk -F, -v t="$1" -v c="$2" 'NR > 1 && $1 == t { s += $c } END { print s + 0 }' "$csv"; }
  range() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f to %.0f", lo, hi }'; }
  mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
  {
    echo "# Idle keep-alive connections $stamp"
    echo
    echo "| proxy | connections kept/opened/asked | RSS before → held → after close | RSS Δ per connection (min–max) | live heap Δ per connection (min–max) | direct memory Δ per connection | memory per connection | per 10,000 connections |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for t in "${targets[@]}"; do
      local rss heap="" direct="" total
      rss="$(per_conn "$t" 10 12 | median)"
      if [[ "$t" == swarmgate ]]; then
        heap="$(per_conn "$t" 14 15 | median)"
        if [[ "$SWARMGATE_NMT" == 1 ]]; then direct="$(per_conn "$t" 0 18 | median)"; fi
      fi
      total="$(awk -v r="$rss" -v h="${heap:-0}" 'BEGIN { print r + h }')"
      printf '| %s | %s/%s/%s | %s → %s → %s MiB | %s B (%s) | %s | %s | **%s B** | **%s MiB** |\n' "$t" \
        "$(thousands "$(sum "$t" 7)")" "$(thousands "$(sum "$t" 4)")" "$(thousands "$(sum "$t" 3)")" \
        "$(mib "$(column "$t" 10 | head -1)")" "$(mib "$(column "$t" 12 | median)")" "$(mib "$(column "$t" 13 | tail -1)")" \
        "$(num "$rss")" "$(per_conn "$t" 10 12 | range)" \
        "$(if [[ -n "$heap" ]]; then echo "$(num "$heap") B ($(per_conn "$t" 14 15 | range))"; else echo "—"; fi)" \
        "$(if [[ -n "$direct" ]]; then echo "$(num "$direct") B"; else echo "—"; fi)" \
        "$(num "$total")" "$(awk -v b="$total" 'BEGIN { printf "%.1f", b * 10000 / 1048576 }')"
    done
    echo
    echo "Medians over $REPEATS rounds per proxy (the proxies in turn), each round $(thousands "$CONNECTIONS") connections held"
    echo "by \`io.swarmgate.bench.IdleConnections\` after one \`GET /demo/small\` keep-alive exchange each, divided by the"
    echo "connections opened. *RSS before* is taken before the proxy's first round, *held* is the median over the rounds,"
    echo "*after close* is after the last round: RSS Δ = held − before (allocators keep freed memory for reuse, so a later"
    echo "round's own before would hide it). Live heap Δ = used after a full GC (\`jcmd GC.run\`, \`GC.heap_info\`) while held"
    echo "− just before, in the same round. Swarmgate's heap is fixed and pre-touched (\`$SWARMGATE_JAVA_OPTS\`): its RSS"
    echo "does not grow with the heap, so its *memory per connection* = RSS Δ + live heap Δ; for the others it is the RSS Δ."
    if [[ "$SWARMGATE_TRIM" == 1 ]]; then
      echo "Before each of Swarmgate's RSS readings, \`jcmd System.trim_native_heap\` returns freed malloc memory (the JIT's and"
      echo "jcmd's scratch memory) to the system, which otherwise moves its RSS by several MiB either way between readings."
    fi
    if [[ "$SWARMGATE_NMT" == 1 ]]; then echo "Direct memory: NMT's *Other* category (NIO and Netty direct buffers), committed held − before."; fi
    echo "RSS is VmRSS from /proc (nginx: master and worker, summed); kernel socket buffers are in no RSS."
    echo
    echo "Kept = still usable after being held (a second exchange on each). Failures:"
    for t in "${targets[@]}"; do
      echo "$t $(sum "$t" 5) not opened, $(sum "$t" 8) closed by the server while idle, $(sum "$t" 9) failed the second request;"
    done | sed '$ s/;$/./'
    echo
    echo "Swarmgate ran with TIMEOUT_HTTP_KEEP_ALIVE=$SWARMGATE_KEEP_ALIVE (its default, 15 s, is shorter than a round);"
    echo "HAProxy with maxconn $HAPROXY_MAXCONN${HAPROXY_GLOBAL_EXTRA:+ and $HAPROXY_GLOBAL_EXTRA}; open-files limit $(ulimit -n)."
    echo "Connections opened $CLIENT_CONCURRENCY at a time (so each proxy needs at most $CLIENT_CONCURRENCY backend connections); readings $SETTLE s after the last was ready."
    if [[ -s "$WORK/histo.held" ]]; then
      echo
      echo "Swarmgate's heap per connection by class (round $REPEATS, \`jcmd GC.class_histogram\` held − before, the $HISTO_TOP"
      echo "largest; bytes are shallow sizes):"
      echo
      echo "| class | instances per connection | bytes per connection |"
      echo "|---|---:|---:|"
      awk -v n="$(column swarmgate 4 | tail -1)" '
        NR == FNR { i0[$1] = $2; b0[$1] = $3; next }
        { di = $2 - i0[$1]; db = $3 - b0[$1]; if (db > 0) printf "%s %.2f %.0f\n", $1, di / n, db / n; seen[$1] = 1 }
      ' "$WORK/histo.before" "$WORK/histo.held" | sort -k3,3nr | head -"$HISTO_TOP" \
        | awk '{ printf "| `%s` | %s | %s |\n", $1, $2, $3 }'
      awk -v n="$(column swarmgate 4 | tail -1)" '
        NR == FNR { b0[$1] = $3; next } { db += $3 - b0[$1] } END { printf "\nAll classes: %.0f bytes per connection.\n", db / n }
      ' "$WORK/histo.before" "$WORK/histo.held"
    fi
    if [[ "$SWARMGATE_NMT" == 1 && " ${targets[*]} " == *" swarmgate "* ]]; then
      echo
      echo "Swarmgate's Native Memory Tracking, committed memory held − before per round, by category where it changed (KiB;"
      echo "*Arena Chunk* is scratch memory of the JIT compilers and of diagnostic commands, pooled and freed over time):"
      echo
      awk -F, 'NR > 1 && $1 == "swarmgate" { printf "- round %s: total %+d KiB (%.0f B/connection): %s; after close %+d KiB\n", $2, $17, $17 * 1024 / ($4 > 0 ? $4 : 1), ($19 == "" ? "no change" : $19), $20 }' "$csv" \
        | sed 's/;/, /g'
    fi
    echo
    echo "Pinning: $(if [[ "$PIN" == 1 ]]; then echo "proxies and backend on CPU $SERVER_CPU, the client and jcmd on CPU $CLIENT_CPU"; else echo none; fi)."
  } >"$md"
  echo
  cat "$md"
  log "wrote $md and $csv"
}

main "$@"
