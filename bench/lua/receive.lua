-- POST /api/v1/cases as a logged-in clerk (Cookie header given with -H), a distinct applicant
-- (resident ID, name, phone) per request. Item: BENCH_ITEM (default 640106-XK-0001, 食品经营许可).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local item = os.getenv("BENCH_ITEM") or "640106-XK-0001"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  local k = next_k()
  local body = string.format(
    '{"item_code":"%s","applicant":{"kind":"person","name":"测试申请人%d","id_number":"%s"},'
      .. '"phone":"%s","channel":"counter"}',
    item, k, resident_id(k), mobile(k))
  return wrk.format(nil, "/api/v1/cases", nil, body)
end
