-- bench/appeal.lua: one appeal filed per request (the platform's most
-- frequent public write), each with a subject of its own. Env: BENCH_TOKEN
-- (bearer token of a citizen), BENCH_RUN (subject prefix, unique per run),
-- BENCH_DELAY_MS (bench/post.lua). The server runs with the appeal rate
-- limits lifted (bench/run.sh).
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
require "post"

post_script("ab", function(key)
   return '{"subject":"Street lights out ' .. key .. '","body":"The street lights on Abay avenue have been out for three weeks; it is dangerous at night.",'
      .. '"category":"other","urgency":"normal","visibility":"public","scale":"group"}'
end)
