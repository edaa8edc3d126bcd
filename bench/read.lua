-- bench/read.lua: plain GETs of the URL given to wrk; only adds the summary line.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
require "report"
done = report_done
