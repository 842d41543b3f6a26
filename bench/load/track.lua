-- wrk script: POST one analytics.js track event per request (bench/payloads/track.json), each with its own userId
-- and no messageId (Junction makes one). Arguments after "--": the payload file.
-- The Authorization header comes from wrk's -H option. The same script drives Junction and the no-op server.

local requests = {}
local next_request = 1
local distinct = 2000
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  local template = file:read("*a"):gsub("%s+$", ""):gsub('"messageId":"[^"]*",', "", 1)
  file:close()
  -- wrk.format uses only the headers it is given: copy the command line's (-H) and add the content type.
  local headers = { ["Content-Type"] = "application/json" }
  for name, value in pairs(wrk.headers) do headers[name] = value end
  for i = 1, distinct do
    local user = string.format("bench-user-%06d", id * distinct + i)
    local body = template:gsub("bench%-user%-000000", user, 1)
    requests[i] = wrk.format("POST", nil, headers, body)
  end
end

function request()
  local r = requests[next_request]
  next_request = next_request % distinct + 1
  return r
end
