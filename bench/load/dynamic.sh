#!/usr/bin/env bash
# Dynamic-route figures of Swarmgate: what reconfiguring costs while it serves.
#
#   bench/load/dynamic.sh                     # defaults below; needs config-api/target/swarmgate.jar and bench/target/benchmarks.jar
#   SERVICES=1000 REPEATS=2 bench/load/dynamic.sh
#
# Steps, against one Swarmgate started here (pinned to CPU 1 with the nginx backend, the clients on CPU 0):
#   1. load SERVICES services (default 10,000) through the reconfigure API, the rate reported;
#   2. reconfigure-to-effect: PROBES new services added one at a time, each timed from the API call to the first
#      request the new route serves (p50/p99);
#   3. reconfigures per second accepted at full speed (RATE_SECONDS from RATE_CONCURRENCY clients);
#   4. a steady keep-alive load (wrk, 64 connections, /demo/small) of DURATION seconds, alternately without and with a
#      storm of STORM_RATE reconfigures per second, REPEATS times: errors and p99 of the steady load, both ways;
#   5. first requests: one GET to each of FIRST_SERVICES loaded services in turn (their first), then a second round.
# Writes bench/results/<timestamp>-dynamic.md and -dynamic.csv. The API calls come from
# io.swarmgate.bench.DynamicRoutes (java -cp bench/target/benchmarks.jar ...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICES="${SERVICES:-10000}"
LOAD_CONCURRENCY="${LOAD_CONCURRENCY:-4}"
PROBES="${PROBES:-200}"
# Unmeasured probes first: the JIT compiles what loading the services does not exercise (a new service's first
# requests, which make its meters). At 100,000 services, unpinned: with 500 the p99 was 4.4-5.3 ms, the compilers
# still busy; with 5,000, 0.73-1.26 ms in three runs and 4.03 in a fourth.
EFFECT_WARMUP="${EFFECT_WARMUP:-5000}"
RATE_SECONDS="${RATE_SECONDS:-5}"
RATE_CONCURRENCY="${RATE_CONCURRENCY:-8}"
STORM_RATE="${STORM_RATE:-1000}"   # issue 24's storm
STORM_WARMUP="${STORM_WARMUP:-10}"   # s of unmeasured storm under load before the measured runs
DURATION="${DURATION:-10}"
REPEATS="${REPEATS:-3}"
FIRST_SERVICES="${FIRST_SERVICES:-2000}"
CONNS="${CONNS:-64}"
SWARMGATE_WARMUP="${SWARMGATE_WARMUP:-15}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
NOISE_LIMIT="${NOISE_LIMIT:-10}"
RETRIES="${RETRIES:-2}"
SCHED_TRACE="${SCHED_TRACE:-0}"   # 1: record CPU SERVER_CPU's scheduling during step 2 (perf sched) and report who waited

# dynamic_routes COMMAND [--option value ...]: runs the Java client on the client CPU; prints its lines to stderr and
# its RESULT line's fields to stdout.
dynamic_routes() {
  local out
  out="$("${ON_CLIENT_CPU[@]}" java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$BENCH_JAR" io.swarmgate.bench.DynamicRoutes \
    "$@" --api "http://127.0.0.1:$SWARMGATE_API_PORT" --data "http://127.0.0.1:$SWARMGATE_PORT" --backend-port "$BACKEND_PORT")"
  printf '%s\n' "$out" | grep -v '^RESULT ' >&2
  sed -n 's/^RESULT //p' <<<"$out"
}

# live_heap_kb: Swarmgate's heap in use right after a full collection, in KiB (the sum of the generations' "used").
live_heap_kb() {
  jcmd "$SWARMGATE_PID" GC.run >/dev/null
  jcmd "$SWARMGATE_PID" GC.heap_info | awk '/total [0-9]+K, used [0-9]+K/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); kb += v } } END { print kb + 0 }'
}

# cpu_us_per TICKS_BEFORE COUNT: Swarmgate's CPU time (user+system, every thread) since TICKS_BEFORE, in µs per COUNT:
# unlike latencies, it does not move when other jobs take the CPU.
cpu_us_per() {
  awk -v t0="$1" -v t1="$(proc_ticks "$SWARMGATE_PID")" -v n="$2" -v hz="$CLK_TCK" \
    'BEGIN { printf "%.0f", (n > 0 ? (t1 - t0) * 1e6 / hz / n : 0) }'
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SWARMGATE_PID/status"; }

ms() { awk -v us="$1" 'BEGIN { if (us < 0) print "never"; else printf "%.2f ms", us / 1000 }'; }

# steady_run MODE REP URL CSV: one warm-up and one measured steady-load run, alone (quiet) or during a storm of
# reconfigures; appends a row to CSV.
steady_run() {
  local mode="$1" rep="$2" url="$3" csv="$4"
  run_wrk 1 "$CONNS" "$url" >/dev/null   # warm-up, as in compare.sh
  local storm_pid="" storm_out="$WORK/storm.out"
  if [[ "$mode" == storm ]]; then
    # The storm starts first and outlasts the measured run by a second on each side.
    dynamic_routes storm --rate "$STORM_RATE" --seconds $((DURATION + 2)) >"$storm_out" 2>/dev/null &
    storm_pid=$!
    sleep 1
  fi
  local b0 p0 b1 p1 out
  b0="$(cpu_busy_ticks "$(server_cpu_label)")"; p0="$(proc_ticks "$BACKEND_PID" "$SWARMGATE_PID")"
  out="$(run_wrk "$DURATION" "$CONNS" "$url")"
  b1="$(cpu_busy_ticks "$(server_cpu_label)")"; p1="$(proc_ticks "$BACKEND_PID" "$SWARMGATE_PID")"
  local storm=""
  if [[ -n "$storm_pid" ]]; then wait "$storm_pid"; storm="$(cat "$storm_out")"; fi
  local errors=$(($(field connect_errors "$out") + $(field read_errors "$out") + $(field write_errors "$out") \
    + $(field timeouts "$out") + $(field http_errors "$out")))
  awk -v m="$mode" -v r="$rep" -v n="$(field requests "$out")" -v d="$(field duration_us "$out")" \
      -v p50="$(field p50_us "$out")" -v p99="$(field p99_us "$out")" -v e="$errors" \
      -v sa="$(field accepted "$storm")" -v sr="$(field rejected "$storm")" -v sm="$(field missed "$storm")" \
      -v sp="$(field per_second "$storm")" -v sq="$(field api_p99_us "$storm")" \
      -v cb=$((b1 - b0)) -v pb=$((p1 - p0)) -v hz="$CLK_TCK" -v pin="$PIN" -v limit="$NOISE_LIMIT" \
      'BEGIN { other = pin == 1 ? 100 * (cb - pb) / (hz * d / 1e6) : 0; if (other < 0) other = 0
               printf "%s,%d,%.1f,%.3f,%.3f,%d,%s,%s,%s,%s,%s,%.1f,%d\n", m, r, n / (d / 1e6), p50 / 1000, p99 / 1000, e,
                 sa, sr, sm, sp, (sq == "" ? "" : sq / 1000), other, (other > limit ? 1 : 0) }' >>"$csv"
  log "  $(printf '%-5s' "$mode") $(tail -1 "$csv" | awk -F, '{ printf "%8.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d  other jobs %.1f %%%s", $3, $4, $5, $6, $12, $13 ? " (noisy)" : ""; if ($7 != "") printf "  storm %s accepted (%s/s), %s rejected, %s missed", $7, $10, $8, $9 }')"
}

main() {
  ensure_tools
  [[ "$SCHED_TRACE" != 1 ]] || command -v perf >/dev/null || die "SCHED_TRACE=1 needs perf: apt-get install -y linux-perf"
  [[ -f "$SWARMGATE_JAR" ]] || die "$SWARMGATE_JAR not found (build it: mvn -B -DskipTests package)"
  [[ -f "$BENCH_JAR" ]] || die "$BENCH_JAR not found (build it: mvn -B -DskipTests package)"
  make_workdir
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  check_ports_free "$BACKEND_PORT" "$SWARMGATE_PORT" "$SWARMGATE_API_PORT"
  mkdir -p "$RESULTS_DIR"
  local stamp; stamp="$(date +%Y%m%d-%H%M%S)"
  local csv="$RESULTS_DIR/$stamp-dynamic.csv" md="$RESULTS_DIR/$stamp-dynamic.md"

  start_backend
  start_swarmgate
  local url="http://127.0.0.1:$SWARMGATE_PORT/demo/small"
  log "warming Swarmgate up: ${SWARMGATE_WARMUP} s keep-alive load"
  run_wrk "$SWARMGATE_WARMUP" "$CONNS" "$url" >/dev/null

  local heap_before; heap_before="$(live_heap_kb)"
  log "1. loading $SERVICES services through the API ($LOAD_CONCURRENCY clients)"
  local t0; t0="$(proc_ticks "$SWARMGATE_PID")"
  local load; load="$(dynamic_routes load --services "$SERVICES" --concurrency "$LOAD_CONCURRENCY")"
  local load_cpu; load_cpu="$(cpu_us_per "$t0" "$SERVICES")"
  local heap_after rss_after; heap_after="$(live_heap_kb)"; rss_after="$(rss_kb)"
  log "  live heap after a full collection: $((heap_before / 1024)) MiB before, $((heap_after / 1024)) MiB after; RSS $((rss_after / 1024)) MiB"
  log "2. reconfigure-to-effect, $PROBES new services with $SERVICES loaded"
  local sched_pid=""
  if [[ "$SCHED_TRACE" == 1 ]]; then
    perf sched record -C "$SERVER_CPU" -o "$WORK/sched.data" >/dev/null 2>&1 &
    sched_pid=$!
    sleep 1 # perf starts recording
  fi
  local effect; effect="$(dynamic_routes effect --probes "$PROBES" --warmup "$EFFECT_WARMUP")"
  if [[ -n "$sched_pid" ]]; then
    kill -INT "$sched_pid"
    wait "$sched_pid" || true
  fi
  log "3. reconfigures per second accepted ($RATE_CONCURRENCY clients, $RATE_SECONDS s)"
  t0="$(proc_ticks "$SWARMGATE_PID")"
  local rate; rate="$(dynamic_routes rate --seconds "$RATE_SECONDS" --concurrency "$RATE_CONCURRENCY")"
  local rate_cpu; rate_cpu="$(cpu_us_per "$t0" "$(awk -v r="$(field per_second "$rate")" -v s="$RATE_SECONDS" 'BEGIN { printf "%.0f", r * s }')")"
  log "  Swarmgate's CPU per reconfigure: $load_cpu µs while loading, $rate_cpu µs at full speed"

  log "4. steady load ($CONNS connections, ${DURATION} s) without and with $STORM_RATE reconfigures/s, $REPEATS times"
  # The JIT has not yet seen reconfigures and requests interleave: the first storm would pay for its compilations
  # (C2 takes the serving CPU for up to 150 ms at a time), so one storm under load goes first, unmeasured.
  log "  warm-up: ${STORM_WARMUP} s of steady load during a storm, not measured"
  dynamic_routes storm --rate "$STORM_RATE" --seconds "$STORM_WARMUP" >/dev/null 2>&1 &
  local warmup_pid=$!
  run_wrk "$STORM_WARMUP" "$CONNS" "$url" >/dev/null
  wait "$warmup_pid"
  echo "mode,rep,req_per_s,p50_ms,p99_ms,errors,storm_accepted,storm_rejected,storm_missed,storm_per_second,storm_api_p99_ms,other_jobs_pct,noisy" >"$csv"
  local rep mode attempt
  for rep in $(seq 1 "$REPEATS"); do
    for mode in quiet storm; do
      # A run disturbed by another job on CPU 1 is kept (marked noisy) and measured again, as in compare.sh.
      for attempt in $(seq 0 "$RETRIES"); do
        steady_run "$mode" "$rep" "$url" "$csv"
        [[ "$(tail -1 "$csv" | cut -d, -f13)" == 0 ]] && break
        if ((attempt < RETRIES)); then log "  another job used CPU $SERVER_CPU during the run; measuring again in 5 s"; sleep 5; fi
      done
    done
  done

  local first_services=$((FIRST_SERVICES < SERVICES ? FIRST_SERVICES : SERVICES))
  log "5. first requests: one to each of $first_services loaded services, then one more each"
  local first; first="$(dynamic_routes first --services "$first_services")"

  # Medians over the clean runs (every run when none was clean); errors summed over every run.
  col() {
    awk -F, -v m="$1" -v c="$2" '
      NR > 1 && $1 == m { all[++n] = $c; if ($13 == 0) clean[++k] = $c }
      END { if (k) for (i = 1; i <= k; i++) print clean[i]; else for (i = 1; i <= n; i++) print all[i] }' "$csv"
  }
  sum() { awk -F, -v m="$1" -v c="$2" 'NR > 1 && $1 == m { s += $c } END { print s + 0 }' "$csv"; }
  runs() { awk -F, -v m="$1" 'NR > 1 && $1 == m { n++; if ($13 == 0) k++ } END { printf "%d/%d", k, n }' "$csv"; }
  local quiet_p99 storm_p99 quiet_rps storm_rps quiet_err storm_err storm_rej
  quiet_p99="$(col quiet 5 | median)"; storm_p99="$(col storm 5 | median)"
  quiet_rps="$(col quiet 3 | median)"; storm_rps="$(col storm 3 | median)"
  quiet_err="$(sum quiet 6)"; storm_err="$(sum storm 6)"; storm_rej="$(sum storm 8)"
  local storm_ps; storm_ps="$(col storm 10 | median)"
  {
    echo "# Dynamic routes $stamp"
    echo
    echo "| figure | value | target |"
    echo "|---|---:|---|"
    echo "| services loaded through the API | $(field services "$load") in $(field seconds "$load") s ($(thousands "$(field per_second "$load")")/s from $LOAD_CONCURRENCY clients, $(field failed "$load") failed); Swarmgate's CPU $load_cpu µs per reconfigure | |"
    echo "| live heap after a full collection: before loading · after · per service | $((heap_before / 1024)) MiB · $((heap_after / 1024)) MiB · $(awk -v a="$heap_after" -v b="$heap_before" -v n="$SERVICES" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }') B | ≤ 2 KiB |"
    echo "| RSS after loading | $((rss_after / 1024)) MiB | |"
    echo "| reconfigure-to-effect p50 ($SERVICES services loaded) | $(ms "$(field p50_us "$effect")") | |"
    echo "| reconfigure-to-effect p99 | $(ms "$(field p99_us "$effect")") (max $(ms "$(field max_us "$effect")"); $(field timed_out "$effect") of $PROBES not effective within 5 s) | ≤ 1 ms |"
    echo "| reconfigure API answer p50 / p99 | $(ms "$(field api_p50_us "$effect")") / $(ms "$(field api_p99_us "$effect")") | |"
    echo "| reconfigures/s accepted (full speed, $RATE_CONCURRENCY clients) | $(thousands "$(field per_second "$rate")") ($(field rejected "$rate") not accepted); Swarmgate's CPU $rate_cpu µs per reconfigure | ≥ 20,000 |"
    echo "| steady load without storm: req/s · p99 · errors (runs clean/all) | $(thousands "$quiet_rps") · $(printf '%.2f' "$quiet_p99") ms · $quiet_err ($(runs quiet)) | |"
    echo "| steady load with $STORM_RATE reconfigures/s: req/s · p99 · errors (runs clean/all) | $(thousands "$storm_rps") · $(printf '%.2f' "$storm_p99") ms · $storm_err ($(runs storm)) | 0 errors |"
    echo "| p99 with storm / without | $(awk -v a="$storm_p99" -v b="$quiet_p99" 'BEGIN { printf "%.2f", a / b }') | ≤ 1.1 |"
    echo "| storm reconfigures accepted per second · not accepted | ${storm_ps:-—} · $storm_rej | |"
    echo "| a service's first request, p50 / p99 ($first_services services in turn) | $(ms "$(field first_p50_us "$first")") / $(ms "$(field first_p99_us "$first")") | |"
    echo "| its next request, p50 / p99 | $(ms "$(field next_p50_us "$first")") / $(ms "$(field next_p99_us "$first")") ($(field failed "$first") not answered 200) | |"
    echo
    echo "Steady load: wrk -t1 -c$CONNS on /demo/small, medians of $REPEATS alternating ${DURATION}-s runs without and with the storm"
    echo "(runs where other jobs took more than $NOISE_LIMIT % of CPU $SERVER_CPU measured again, up to $RETRIES times, and left out of the medians);"
    echo "errors summed (connect/read/write errors, timeouts, responses ≥ 400). Reconfigure-to-effect: the clock starts as the"
    echo "API call is sent and stops when the first 200 from the new path has arrived (one round trip included)."
    echo "Pinning: $(if [[ "$PIN" == 1 ]]; then echo "Swarmgate and backend on CPU $SERVER_CPU, wrk and the API client on CPU $CLIENT_CPU"; else echo none; fi)."
    echo "Swarmgate JVM flags: $SWARMGATE_JAVA_OPTS"
    if [[ -n "$sched_pid" ]]; then
      echo
      echo "Who waited for CPU $SERVER_CPU during step 2, and how long at most (\`perf sched latency\`: a delay is time spent"
      echo "runnable but not running):"
      echo
      echo '```'
      perf sched latency -i "$WORK/sched.data" 2>/dev/null | sed -n '1,14p'
      echo '```'
    fi
  } >"$md"
  echo
  cat "$md"
  log "wrote $md and $csv"
}

main "$@"
