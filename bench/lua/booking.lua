-- POST /api/v1/public/appointments: book a seat (anonymous), a distinct phone per request,
-- spread over the slots in BENCH_SLOTS (comma-separated ids) for item BENCH_ITEM.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local item = os.getenv("BENCH_ITEM") or "640106-XK-0001"
local slots = {}
for id in string.gmatch(os.getenv("BENCH_SLOTS") or "", "%d+") do
  table.insert(slots, id)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  local k = next_k()
  local body = string.format(
    '{"slot_id":%s,"item_code":"%s","name":"预约人%d","phone":"%s"}',
    slots[k % #slots + 1], item, k, mobile(k))
  return wrk.format(nil, "/api/v1/public/appointments", nil, body)
end
