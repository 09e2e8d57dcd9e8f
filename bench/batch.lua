-- POST …/rewards with a batch of 100 events spread over the ten arms.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BANDITS_KEY")
wrk.headers["Content-Type"] = "application/json"
local arms = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" }
local events = {}
for i = 1, 100 do
  events[i] = string.format('{"arm":"%s","reward":%d}', arms[(i % 10) + 1], i % 3 == 0 and 1 or 0)
end
wrk.body = "[" .. table.concat(events, ",") .. "]"
