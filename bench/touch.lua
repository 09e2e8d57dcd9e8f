-- GET /v1/experiments/mem-N/stats for N from BANDITS_OFFSET (0) on: after a restart every
-- request activates one experiment from storage, so its latency is the re-activation time
-- (plus HTTP). Run with one thread (-t1); stops after BANDITS_COUNT requests.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BANDITS_KEY")
local limit = tonumber(os.getenv("BANDITS_COUNT"))
local offset = tonumber(os.getenv("BANDITS_OFFSET") or "0")
local sent, done = 0, 0
request = function()
  local id = offset + sent
  sent = sent + 1
  return wrk.format(nil, string.format("/v1/experiments/mem-%d/stats", id))
end
response = function(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
