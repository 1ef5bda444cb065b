-- wrk script for bench/cluster.py: every request is the next comment form prepared in Python.
-- Usage: wrk ... -s bench/cluster_post.lua URL -- PREFIX   (reads PREFIX.1, PREFIX.2, ...: one
-- file per wrk thread, one "path<TAB>headers<TAB>body" per line, headers joined by the byte 31),
-- and prints "posted THREAD SENT ID,ID,..." per thread: the comments the 302s pointed to.

local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("number", counter)
    table.insert(threads, thread)
end

function init(args)
    requests = {}
    for line in io.lines(args[1] .. "." .. number) do
        local path, headers, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
        local table_ = {}
        for name, value in headers:gmatch("([^:\31]+): ([^\31]*)") do
            table_[name] = value
        end
        table.insert(requests, wrk.format("POST", path, table_, body))
    end
    prepared = #requests
    sent = 0
    ids = {}
    refused = 0
end

function request()
    sent = sent + 1
    -- Past the prepared posts the last one is sent again: the single-use token makes it a
    -- double, which the check afterwards would count (the bench prepares far more than it needs).
    return requests[math.min(sent, #requests)]
end

function response(status, headers, body)
    local location = headers["Location"] or headers["location"] or ""
    local id = location:match("#comment%-(%d+)")
    if status == 302 and id then
        table.insert(ids, id)
    else
        refused = refused + 1
    end
end

function done(summary, latency, requests_)
    for _, thread in ipairs(threads) do
        local got = thread:get("ids")
        local list = {}
        for i = 1, #got do list[i] = got[i] end
        io.write(string.format("posted %d %d %d %d %s\n", thread:get("number"), thread:get("sent"),
            thread:get("prepared"), thread:get("refused"), table.concat(list, ",")))
    end
end
