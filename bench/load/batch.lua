-- wrk script: POST /v1/batch with an analytics-node envelope of N events (bench/payloads/batch-event.json), every
-- event with its own userId and no messageId (Junction makes them). Arguments after "--": the payload file, the
-- events per request (default 100) and the write key for the envelope. Authorization comes from wrk's -H option.

local requests = {}
local next_request = 1
local distinct = 64
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  local template = file:read("*a"):gsub("%s+$", ""):gsub('"messageId":"[^"]*",', "", 1)
  file:close()
  local events = tonumber(args[2] or "100")
  local write_key = args[3] or ""
  -- wrk.format uses only the headers it is given: copy the command line's (-H) and add the content type.
  local headers = { ["Content-Type"] = "application/json" }
  for name, value in pairs(wrk.headers) do headers[name] = value end
  for r = 1, distinct do
    local items = {}
    for e = 1, events do
      local user = string.format("bench-user-%06d", ((id * distinct + r - 1) * events + e) % 1000000)
      items[e] = template:gsub("bench%-user%-000000", user, 1)
    end
    local body = '{"batch":[' .. table.concat(items, ",") .. '],"writeKey":"' .. write_key
      .. '","sentAt":"2026-03-14T09:26:51.713Z"}'
    requests[r] = wrk.format("POST", nil, headers, body)
  end
end

function request()
  local r = requests[next_request]
  next_request = next_request % distinct + 1
  return r
end
