#!/usr/bin/env bash
# Scaling with cores: req/s and CPU per request of HAProxy, nginx and Swarmgate with 1, 2, ... threads each.
#
#   bench/load/cores.sh                       # CORES="1 2", the keep-alive scenarios, 3 repeats of 3 s
#   CORES="1 2 4" SCENARIOS=close-64 bench/load/cores.sh
#
# For each count N in CORES, one compare.sh run, unpinned (PIN=0: with N threads a server needs N CPUs), where HAProxy
# runs nbthread N, nginx (the proxy and the backend) N workers, Swarmgate N event loops (the JVM is told it has N
# processors; its event loop count follows them) and wrk N threads. On a machine with no more CPUs than N the client
# and the backend share them with the proxy: req/s then cannot grow N-fold, and the CPU per request (every CPU's busy
# time / requests, wrk's and the backend's included, the same work for the three proxies) is the figure to compare.
# Writes bench/results/<timestamp>-cores.md and the compare.sh files of each run under <timestamp>-cores-<N>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CORES="${CORES:-1 2}"
SCENARIOS="${SCENARIOS:-ka-small-64 ka-small-256}"
TARGETS="${TARGETS:-haproxy nginx swarmgate}"
REPEATS="${REPEATS:-3}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"

# cell CSV SCENARIO TARGET COLUMN: one column of a compare.sh summary row.
cell() { awk -F, -v s="$2" -v t="$3" -v c="$4" '$1 == s && $2 == t { print $c }' "$1"; }

main() {
  local stamp n; stamp="$(date +%Y%m%d-%H%M%S)"
  for n in $CORES; do
    log "$n thread(s) each"
    PIN=0 SERVER_THREADS="$n" WRK_THREADS="$n" REPEATS="$REPEATS" TARGETS="$TARGETS" SCENARIOS="$SCENARIOS" \
      SWARMGATE_JAVA_OPTS="-XX:+UseParallelGC -XX:ActiveProcessorCount=$n -Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:MetaspaceSize=64m" \
      RESULTS_DIR="$RESULTS_DIR/$stamp-cores-$n" "$LOAD_DIR/compare.sh" >/dev/null
  done

  local md="$RESULTS_DIR/$stamp-cores.md" first; first="${CORES%% *}"
  {
    echo "# Scaling with cores $stamp"
    echo
    echo "One unpinned compare.sh run per thread count ($REPEATS repeats each, medians); N threads: HAProxy nbthread N,"
    echo "nginx N workers (proxy and backend), Swarmgate N event loops, wrk N threads. CPU µs/req is every CPU's busy"
    echo "time / requests, client and backend included. Machine: $(nproc) CPUs."
    echo
    echo "| scenario | target | threads | req/s | req/s × $first thread(s) | CPU µs/req | req/s × HAProxy |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    local name target csv base rps
    for name in $SCENARIOS; do
      for target in $TARGETS; do
        base=""
        for n in $CORES; do
          csv="$(ls "$RESULTS_DIR/$stamp-cores-$n"/*[0-9].csv)"
          rps="$(cell "$csv" "$name" "$target" 3)"
          [[ -n "$rps" ]] || continue
          [[ -n "$base" ]] || base="$rps"
          printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$target" "$n" "$(thousands "$rps")" \
            "$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" "$(cell "$csv" "$name" "$target" 9)" \
            "$(cell "$csv" "$name" "$target" 13)"
        done
      done
    done
  } >"$md"
  cat "$md"
  log "wrote $md"
}

main "$@"
