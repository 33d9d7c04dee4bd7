-- Shared by the wrk scripts of bench/run: counts 2xx and other answers per thread and prints one
-- machine-readable line at the end (bench/run parses it). Each script defines request().
--
-- Every request gets a number `k` unique within one wrk run (thread id + a per-thread counter),
-- shifted by BENCH_OFFSET so that the warm-up and the measured run never repeat an applicant.

threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

ok = 0
bad = 0
first_bad = ""
local n = 0
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")

-- A number unique in this run (up to 64 wrk threads).
function next_k()
  n = n + 1
  return offset + n * 64 + (tid or 0)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
    if first_bad == "" then
      first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 160):gsub("[\r\n]", " ")
    end
  end
end

function done(summary, latency, requests)
  local ok_total, bad_total, sample = 0, 0, ""
  for _, t in ipairs(threads) do
    ok_total = ok_total + (t:get("ok") or 0)
    bad_total = bad_total + (t:get("bad") or 0)
    local fb = t:get("first_bad")
    if sample == "" and fb and fb ~= "" then sample = fb end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d ok=%d non2xx=%d sock_errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, ok_total, bad_total,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
  if sample ~= "" then
    io.write("BENCH_FIRST_BAD " .. sample .. "\n")
  end
end

-- GB 11643 resident ID with a valid check character, distinct for every k; born in the past
-- (a date the server accepts) for k < 2 × 10^7:
-- birth date 1971-01-01 + k / 1000 days, sequence k mod 1000.
local WEIGHTS = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 }
local CHECK = "10X98765432"
function resident_id(k)
  local birth = os.date("!%Y%m%d", 31536000 + math.floor(k / 1000) * 86400)
  local first17 = string.format("640106%s%03d", birth, k % 1000)
  local sum = 0
  for i = 1, 17 do
    sum = sum + (string.byte(first17, i) - 48) * WEIGHTS[i]
  end
  local c = sum % 11 + 1
  return first17 .. string.sub(CHECK, c, c)
end

-- A mainland mobile number distinct for every k < 10^9.
function mobile(k)
  return string.format("13%09d", k % 1000000000)
end
