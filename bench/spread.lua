-- POST …/choose on one of 1,000 experiments (spread-0 … spread-999), chosen at random.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BANDITS_KEY")
math.randomseed(os.time())
request = function()
  return wrk.format(nil, string.format("/v1/experiments/spread-%d/choose", math.random(0, 999)))
end
