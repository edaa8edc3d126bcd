-- bench/report.lua: wrk's done() hook, shared by the read and write runs.
-- Prints one machine-readable line that bench/run.sh parses:
--   WRK requests=N seconds=S rps=R mean_ms=M p50_ms=A p99_ms=B max_ms=C errors=E non2xx=F
function report_done(summary, latency, requests)
   local e = summary.errors
   local secs = summary.duration / 1e6
   io.write(string.format(
      "WRK requests=%d seconds=%.3f rps=%.1f mean_ms=%.3f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d non2xx=%d\n",
      summary.requests, secs, summary.requests / secs, latency.mean / 1000,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      e.connect + e.read + e.write + e.timeout, e.status))
end
