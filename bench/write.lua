-- bench/write.lua: one authenticated write per request, each with a body of
-- its own (a counter in the slug), so every request inserts a new row.
-- Env: BENCH_TOKEN (bearer token of an operator), BENCH_RUN (slug prefix,
-- unique per run), BENCH_DELAY_MS (bench/post.lua). Today's write:
-- POST /api/v1/agencies.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
require "post"

post_script("wb", function(slug)
   return '{"slug":"' .. slug .. '","name":{"en":"Bench agency ' .. slug .. '"},"kind":"other"}'
end)
