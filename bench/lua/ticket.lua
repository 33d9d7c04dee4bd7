-- POST /api/v1/public/queue-tickets: take a ticket at the kiosk (anonymous).
-- BENCH_CENTER, BENCH_QUEUE: the demo district hall and its queue A.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local body = string.format('{"center_id":%s,"queue_id":%s}',
  os.getenv("BENCH_CENTER") or "1", os.getenv("BENCH_QUEUE") or "1")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  next_k()
  return wrk.format(nil, "/api/v1/public/queue-tickets", nil, body)
end
