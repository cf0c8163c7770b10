-- wrk over several `chancery serve` nodes: wrk's threads are dealt out to the nodes in turn
-- (thread k talks to node k mod N), and each thread cycles through a list of request paths.
--
--   NODES=127.0.0.1:8081,127.0.0.1:8082 PATHS=urls.txt \
--     wrk -t2 -c64 -d30s --latency -s bench/nodes.lua http://127.0.0.1:8081
--
-- PATHS: one request path per line (bench/nodes.sh writes the 244 queries of
-- bench/queries.jsonl as /api/search?… paths).
local addrs = {}
local next_id = 0

function setup(thread)
  if #addrs == 0 then
    for hostport in string.gmatch(os.getenv("NODES"), "[^,]+") do
      local host, port = hostport:match("^(.+):(%d+)$")
      local found = wrk.lookup(host, port)
      table.insert(addrs, found[1])
    end
  end
  thread.addr = addrs[(next_id % #addrs) + 1]
  thread:set("id", next_id)
  next_id = next_id + 1
end

local paths = {}
local i = 0

function init(args)
  for line in io.lines(os.getenv("PATHS")) do
    if #line > 0 then
      table.insert(paths, line)
    end
  end
  -- Threads start at different places of the list.
  i = (id * 61) % #paths
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
