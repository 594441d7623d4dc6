-- orders.lua: wrk script that registers prepared orders through the signed
-- storefront API (POST /api/v1/orders), as fast as the app takes them. The
-- data file holds one "SIGNATURE BODY" line per order, all signed at one
-- timestamp (BENCH_TS). Registering the same body twice is a no-op 200, so a
-- chunk may safely overlap the previous one.
--
-- Environment: BENCH_ORDERS_FILE, BENCH_TS, BENCH_FROM, BENCH_THREADS.
-- done() prints the lowest index some thread has not reached yet.

local lines = {}
for l in io.lines(os.getenv("BENCH_ORDERS_FILE")) do
	lines[#lines + 1] = l
end
local ts = os.getenv("BENCH_TS")
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
	local l = lines[i + 1]
	if l == nil then
		return wrk.format("GET", "/bench/seed-done")
	end
	i = i + nthreads
	local sp = l:find(" ", 1, true)
	return wrk.format("POST", "/api/v1/orders", {
		["Content-Type"] = "application/json",
		["X-RD-Timestamp"] = ts,
		["X-RD-Signature"] = l:sub(1, sp - 1),
	}, l:sub(sp + 1))
end

function done(summary, latency, requests)
	local lo = nil
	for _, t in ipairs(threads) do
		local n = t:get("i")
		if n and (lo == nil or n < lo) then lo = n end
	end
	io.write(string.format("BENCH_NEXT %d\n", lo or from))
end
