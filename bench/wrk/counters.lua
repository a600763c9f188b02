-- Load for the counter service and its baseline.
--   wrk ... -s counters.lua -- single COUNTERS          POST /increment/{counter}, round robin over COUNTERS counters
--   wrk ... -s counters.lua -- batch COUNTERS PER_BODY  POST /increments, PER_BODY distinct counters (+1 each) a body
--   wrk ... -s counters.lua -- get COUNTERS PREFIX      GET PREFIX{counter}, round robin over COUNTERS counters
--                                                       (PREFIX e.g. /counters/: any read route ending in the name)
--   wrk ... -s counters.lua -- post COUNTERS PREFIX SUFFIX  POST PREFIX{counter}SUFFIX, round robin over COUNTERS counters
--                                                       (e.g. /tenants/strict/ /inc: a tenant counter's inc)
-- Requests are formatted once in init, so wrk spends its core on sending, not on Lua.
-- done() prints one machine-readable line that bench/run parses.

local thread_count = 0
local requests = {}
local next_request = 1

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
end

local function counter_name(index)
  return "bench-" .. index
end

local function single_requests(counters)
  for index = 0, counters - 1 do
    requests[#requests + 1] = wrk.format("POST", "/increment/" .. counter_name(index))
  end
end

local function batch_requests(counters, per_body)
  local headers = { ["Content-Type"] = "application/json" }
  local bodies = math.max(1, math.floor(counters / per_body))
  for body_index = 0, bodies - 1 do
    local entries = {}
    for offset = 0, per_body - 1 do
      entries[#entries + 1] = '"' .. counter_name((body_index * per_body + offset) % counters) .. '":1'
    end
    requests[#requests + 1] = wrk.format("POST", "/increments", headers, "{" .. table.concat(entries, ",") .. "}")
  end
end

local function get_requests(counters, prefix)
  for index = 0, counters - 1 do
    requests[#requests + 1] = wrk.format("GET", prefix .. counter_name(index))
  end
end

local function post_requests(counters, prefix, suffix)
  for index = 0, counters - 1 do
    requests[#requests + 1] = wrk.format("POST", prefix .. counter_name(index) .. suffix)
  end
end

function init(args)
  local mode = args[1] or "single"
  local counters = tonumber(args[2]) or 1000
  if mode == "single" then
    single_requests(counters)
  elseif mode == "batch" then
    batch_requests(counters, tonumber(args[3]) or 100)
  elseif mode == "get" then
    get_requests(counters, args[3] or "/counters/")
  elseif mode == "post" then
    post_requests(counters, args[3], args[4] or "")
  else
    error("unknown mode " .. mode)
  end
  -- Threads start at different points of the cycle so they do not hit the same counters in lockstep.
  next_request = ((thread_index or 1) - 1) * math.floor(#requests / 2) % #requests + 1
end

function request()
  local current = requests[next_request]
  next_request = next_request % #requests + 1
  return current
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    "wrk-result requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
