-- POST /cases to the bare ceiling (its own post.lua's body), a distinct applicant per request.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  local k = next_k()
  local body = string.format(
    '{"applicant_name":"测试申请人%d","phone":"%s","item_code":"XK-001",'
      .. '"payload":{"channel":"counter","materials":["身份证","营业执照"]}}',
    k, mobile(k))
  return wrk.format(nil, "/cases", nil, body)
end
