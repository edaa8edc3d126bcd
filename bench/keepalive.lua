-- bench/keepalive.lua: a short wrk run that counts responses carrying
-- "Connection: close" (a server that drops keep-alive pays a new TCP
-- connection per request). Prints: KEEPALIVE responses=N close=M
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   responses = 0
   closes = 0
end

function response(status, headers, body)
   responses = responses + 1
   for k, v in pairs(headers) do
      if string.lower(k) == "connection" and string.lower(v) == "close" then
         closes = closes + 1
      end
   end
end

function done(summary, latency, requests)
   local r, c = 0, 0
   for _, t in ipairs(threads) do
      r = r + (t:get("responses") or 0)
      c = c + (t:get("closes") or 0)
   end
   io.write(string.format("KEEPALIVE responses=%d close=%d\n", r, c))
end
