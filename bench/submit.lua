-- submit.lua: wrk script for POST /refund/new, one fresh order and one fresh
-- form key per request (an order admits one refund, so a request may never
-- repeat). Orders PREFIX..i were registered beforehand by bench.py; order i
-- belongs to buyer i % #buyers, whose hand-off session cookie and CSRF token
-- the data file holds (a session covers every order of its buyer).
--
-- Environment: BENCH_SUBMIT_DATA (the Lua data file), BENCH_FROM (first
-- index), BENCH_THREADS (wrk -t). Thread k takes FROM+k-1, FROM+k-1+T, ...;
-- done() prints the next unused index, where the next round starts.

local data = dofile(os.getenv("BENCH_SUBMIT_DATA"))
local from = tonumber(os.getenv("BENCH_FROM"))
local nthreads = tonumber(os.getenv("BENCH_THREADS"))
local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("id", #threads)
end

function init(args)
	i = from + id - 1
end

function request()
	if i >= data.n then
		-- Out of orders: a 404 that wrk counts as an error, never a
		-- repeated order that would look like a (fast) 409.
		return wrk.format("GET", "/bench/pool-exhausted")
	end
	local b = data.buyers[(i % #data.buyers) + 1]
	local body = "csrf=" .. b.csrf ..
		"&idem=" .. string.format("%s%08d", data.idem, i) ..
		"&order=" .. data.prefix .. i ..
		"&type=not_delivered&destination=balance&reason=" .. data.reason
	i = i + nthreads
	return wrk.format("POST", "/refund/new", {
		["Content-Type"] = "application/x-www-form-urlencoded",
		["Cookie"] = b.cookie,
	}, body)
end

function done(summary, latency, requests)
	local hi = from
	for _, t in ipairs(threads) do
		local n = t:get("i")
		if n and n > hi then hi = n end
	end
	io.write(string.format("BENCH_NEXT %d\n", hi))
end
