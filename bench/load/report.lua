-- wrk script: no per-request hooks (so wrk keeps its fast C path); at the end it prints one machine-readable line
-- that bench/load/lib.sh parses instead of wrk's human-readable summary. Latencies are in microseconds;
-- http_errors counts responses with a status of 400 or more (wrk's "Non-2xx or 3xx responses").
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d bytes=%d connect_errors=%d read_errors=%d write_errors=%d " ..
    "timeouts=%d http_errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.timeout, e.status, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
