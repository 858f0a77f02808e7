-- wrk: every request is signed in as the next volunteer of a list, so each request is a volunteer's first
-- view until the list runs out. Arguments: the file of Cookie headers (one a line), the first line to use
-- (0-based), and the number of wrk threads. Thread t sends lines first+t, first+t+threads, …; done() prints
-- how many requests went out and how many answers were not 200 (a lost session answers 302, which wrk alone
-- does not count as an error).

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   cookies = {}
   for line in io.lines(args[1]) do
      cookies[#cookies + 1] = line
   end
   step = tonumber(args[3])
   position = tonumber(args[2]) + id
   sent = 0
   not_ok = 0
end

function request()
   local cookie = cookies[(position % #cookies) + 1]
   position = position + step
   sent = sent + 1
   return wrk.format(nil, nil, { Cookie = cookie })
end

function response(status, headers, body)
   if status ~= 200 then
      not_ok = not_ok + 1
   end
end

function done(summary, latency, requests)
   local total_sent, total_not_ok = 0, 0
   for _, thread in ipairs(threads) do
      total_sent = total_sent + thread:get("sent")
      total_not_ok = total_not_ok + thread:get("not_ok")
   end
   io.write(string.format("Sent: %d\nNot 200: %d\n", total_sent, total_not_ok))
end
