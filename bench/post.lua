-- bench/post.lua: what the write scripts share. Each wrk thread gets a
-- number (tid); every request is a JSON POST with a bearer token
-- (BENCH_TOKEN) and a body of its own, made from a key unique per run
-- (BENCH_RUN prefix, thread, counter); BENCH_DELAY_MS, if set, pauses before
-- each request (a steady, modest write rate beside a read run); done()
-- prints the report line (report.lua).
require "report"

local threads = {}

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

-- post_script(default_run, body): body(key) returns the JSON of one request.
function post_script(default_run, body)
   local counter = 1
   function init(args)
      prefix = string.format("%s-t%d-", os.getenv("BENCH_RUN") or default_run, tid or 0)
      wrk.method = "POST"
      wrk.headers["Content-Type"] = "application/json"
      wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
   end
   function request()
      local key = prefix .. counter
      counter = counter + 1
      return wrk.format(nil, nil, nil, body(key))
   end
   local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "")
   if pause then
      function delay()
         return pause
      end
   end
   done = report_done
end
