-- PUT /v1/experiments/mem-0 … mem-(BANDITS_COUNT − 1), ten arms each; stops when all exist.
-- Run with one thread (-t1): the counter is per thread.
wrk.method = "PUT"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BANDITS_KEY")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"arms":["a","b","c","d","e","f","g","h","i","j"]}'
local limit = tonumber(os.getenv("BANDITS_COUNT"))
local sent, done = 0, 0
request = function()
  local id = sent % limit
  sent = sent + 1
  return wrk.format(nil, string.format("/v1/experiments/mem-%d", id))
end
response = function(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
