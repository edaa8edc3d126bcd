-- bench/read_auth.lua: GETs of the URL given to wrk, with a bearer token
-- (BENCH_TOKEN) when one is set; adds the summary line.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
require "report"

function init(args)
   local t = os.getenv("BENCH_TOKEN") or ""
   if t ~= "" then
      wrk.headers["Authorization"] = "Bearer " .. t
   end
end

done = report_done
