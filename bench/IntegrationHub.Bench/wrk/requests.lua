-- Replays the requests listed in $BENCH_REQUESTS round-robin, one line per request:
--   METHOD <tab> PATH <tab> HEADER: VALUE[|HEADER: VALUE...] <tab> BODY
-- "{n}" in a body or a header value becomes a value unique to this run ($BENCH_PREFIX), thread and request (signups,
-- events with their Idempotency-Key): the same value in both within one request.
-- done() prints one line "WRKJSON {...}" with counts and latency percentiles in microseconds.
local requests = {}
local index = 0
local counter = 0
local prefix = "r"
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  prefix = os.getenv("BENCH_PREFIX") or "r"
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local method, path, headerText, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if method then
      local headers = {}
      local unique_headers = false
      for pair in headerText:gmatch("[^|]+") do
        local name, value = pair:match("^([^:]+):%s*(.*)$")
        if name then
          headers[name] = value
          if value:find("{n}", 1, true) then unique_headers = true end
        end
      end
      local entry = { method = method, path = path, headers = headers, body = body, unique_headers = unique_headers }
      if not body:find("{n}", 1, true) and not unique_headers then
        entry.formatted = wrk.format(method, path, headers, body ~= "" and body or nil)
      end
      table.insert(requests, entry)
    end
  end
end

function request()
  index = index % #requests + 1
  local r = requests[index]
  if r.formatted then
    return r.formatted
  end
  counter = counter + 1
  local unique = prefix .. "-" .. thread_id .. "-" .. counter
  local body = r.body:gsub("{n}", unique)
  local headers = r.headers
  if r.unique_headers then
    headers = {}
    for name, value in pairs(r.headers) do
      headers[name] = value:gsub("{n}", unique)
    end
  end
  return wrk.format(r.method, r.path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeouts":%d,' ..
    '"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
