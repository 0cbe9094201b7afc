-- POST /echo with the ~1 KiB JSON body of spec.py (written by run.py as echo_body.json).
local f = assert(io.open(os.getenv("BENCH_ECHO_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
