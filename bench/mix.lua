-- 80% choose, 20% single rewards, on the hot experiment.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BANDITS_KEY")
local counter = 0
request = function()
  counter = counter + 1
  if counter % 5 == 0 then
    return wrk.format("POST", "/v1/experiments/hot/rewards", { ["Content-Type"] = "application/json" },
      string.format('{"arm":"a","reward":%d}', counter % 2))
  end
  return wrk.format("POST", "/v1/experiments/hot/choose")
end
