-- GET /v1/experiments/mem-0/stats, mem-1, …: after a restart every request activates one
-- experiment from storage, so its latency is the re-activation time (plus HTTP).
-- Run with one thread (-t1); stops after BANDITS_COUNT requests.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BANDITS_KEY")
local limit = tonumber(os.getenv("BANDITS_COUNT"))
local sent, done = 0, 0
request = function()
  local id = sent
  sent = sent + 1
  return wrk.format(nil, string.format("/v1/experiments/mem-%d/stats", id))
end
response = function(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
