-- POST …/rewards: one durable reward per request, alternating arms and values.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BANDITS_KEY")
wrk.headers["Content-Type"] = "application/json"
local counter = 0
request = function()
  counter = counter + 1
  local arm = (counter % 2 == 0) and "a" or "b"
  return wrk.format(nil, nil, nil, string.format('{"arm":"%s","reward":%d}', arm, counter % 3 == 0 and 1 or 0))
end
