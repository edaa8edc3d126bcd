-- bench/write.lua: one authenticated write per request, each with a body of
-- its own (a counter in the slug), so every request inserts a new row.
-- Env: BENCH_TOKEN (bearer token of an operator), BENCH_RUN (slug prefix,
-- unique per run). Today's write: POST /api/v1/agencies.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
require "report"

local counter = 1
local threads = {}

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   prefix = string.format("%s-t%d-", os.getenv("BENCH_RUN") or "wb", tid or 0)
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
end

function request()
   local slug = prefix .. counter
   counter = counter + 1
   local body = '{"slug":"' .. slug .. '","name":{"en":"Bench agency ' .. slug .. '"},"kind":"other"}'
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
