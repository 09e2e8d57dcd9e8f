-- 80% choose, 20% single rewards, on the hot experiment.
-- (wrk.format's headers replace wrk.headers, so every request names its own.)
local auth = "Bearer " .. os.getenv("BANDITS_KEY")
local counter = 0
request = function()
  counter = counter + 1
  if counter % 5 == 0 then
    return wrk.format("POST", "/v1/experiments/hot/rewards",
      { ["Authorization"] = auth, ["Content-Type"] = "application/json" },
      string.format('{"arm":"a","reward":%d}', counter % 2))
  end
  return wrk.format("POST", "/v1/experiments/hot/choose", { ["Authorization"] = auth })
end
