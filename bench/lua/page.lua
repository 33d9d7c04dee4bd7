-- GET one page of the case list (BENCH_PAGE_PATH, default the supervisor's first 50 cases).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local path = os.getenv("BENCH_PAGE_PATH") or "/api/v1/cases?scope=all&limit=50"

function request()
  return wrk.format("GET", path)
end
