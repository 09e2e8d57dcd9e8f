-- choose at a fixed pace: each connection waits BANDITS_DELAY_MS between requests, so the
-- rate is about connections × 1000 / delay. Latency excludes the wait (closed loop: a slow
-- answer delays the next request, so high percentiles are if anything understated).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BANDITS_KEY")
local pause = tonumber(os.getenv("BANDITS_DELAY_MS"))
delay = function() return pause end
