-- POST …/choose for a sticky user: {"userId":"u-N"}, N cycling over 10,000 users, so that
-- the request carries what an app's would (a body to bind, a user to hash).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BANDITS_KEY")
wrk.headers["Content-Type"] = "application/json"
local counter = 0
request = function()
  counter = (counter + 1) % 10000
  return wrk.format(nil, nil, nil, string.format('{"userId":"u-%d"}', counter))
end
