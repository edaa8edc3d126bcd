-- bench/vote.lua: votes over HTTP. Every request is a new (participant,
-- statement) pair, so every vote is a real insert (no duplicate refusals):
-- participant k votes on statements 0..S-1 in turn; participants are
-- per-browser ids (the kn_voter cookie), distinct per wrk thread and run.
-- Env: BENCH_STATEMENTS (S), BENCH_RUN (cookie prefix, unique per run).
-- The path is the consultation's votes URL.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
require "post" -- setup(): each thread's number (tid); report_done

local counter = 0

function init(args)
   S = tonumber(os.getenv("BENCH_STATEMENTS") or "100")
   run = os.getenv("BENCH_RUN") or "vb"
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   local p = math.floor(counter / S)
   local s = counter % S
   counter = counter + 1
   -- 43 characters of [a-z0-9]: a well-formed per-browser id
   local id = string.format("%s%02dx%033d", run, tid or 0, p)
   wrk.headers["Cookie"] = "kn_voter=" .. string.sub(id, 1, 43)
   local v = (counter % 3) - 1
   return wrk.format(nil, nil, nil, '{"statement":' .. s .. ',"vote":' .. v .. '}')
end

done = report_done
