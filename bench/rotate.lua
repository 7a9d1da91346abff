-- wrk script: every request takes the next path from the file named by $BENCH_PATHS (one path
-- per line), each thread starting at a different offset, so all targets see the same query mix.
-- done() prints one JSON line (prefixed "BENCH_JSON ") that bench/run.sh collects.
local paths = {}
local file = os.getenv("BENCH_PATHS")
if file then
  for line in io.lines(file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  counter = (thread_id or 0) * 97
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  local errors = summary.errors
  local s = string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "rps": %.1f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_ms": {"p50": %.3f, "p90": %.3f, "p99": %.3f, "max": %.3f, "mean": %.3f}}',
    summary.requests, summary.duration, summary.bytes,
    summary.requests / (summary.duration / 1e6),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000)
  io.write("BENCH_JSON " .. s .. "\n")
end
