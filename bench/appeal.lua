-- bench/appeal.lua: one appeal filed per request (the platform's most
-- frequent public write), each with a subject of its own. Env: BENCH_TOKEN
-- (bearer token of a citizen), BENCH_RUN (subject prefix, unique per run).
-- The server runs with the appeal rate limits lifted (bench/run.sh).
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
require "report"

local counter = 1
local threads = {}

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   prefix = string.format("%s-t%d-", os.getenv("BENCH_RUN") or "ab", tid or 0)
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
end

function request()
   local subject = "Street lights out " .. prefix .. counter
   counter = counter + 1
   local body = '{"subject":"' .. subject .. '","body":"The street lights on Abay avenue have been out for three weeks; it is dangerous at night.",'
      .. '"category":"other","urgency":"normal","visibility":"public","scale":"group"}'
   return wrk.format(nil, nil, nil, body)
end

-- BENCH_DELAY_MS: a pause before each request (a steady, modest write rate
-- beside a read run)
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if pause then
   function delay()
      return pause
   end
end

done = report_done
