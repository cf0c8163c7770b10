-- wrk script: cycles through the request paths listed in a file, one per line.
-- Usage: wrk -s bench/paths.lua URL -- PATHS_FILE
local paths = {}
local i = 0

init = function(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  -- Each thread starts at another place in the list.
  i = math.random(#paths) - 1
end

request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
