#!/usr/bin/env escript
%%! -kernel logger_level none
%%% id: O13
%%% title: sys on a live process that is not a behaviour waits out its timeout; the request stays in that process's mailbox
-include("o.hrl").
main(_) ->
    P = name(spawn(fun() -> receive stop -> ok end end), plain),
    log("get_state ~w", [try_(fun() -> sys:get_state(P, 100) end)]),
    log("suspend ~w", [try_(fun() -> sys:suspend(P, 100) end)]),
    {messages, Ms} = process_info(P, messages),
    log("queued ~w", [[element(3, M) || M <- Ms]]),
    P ! stop.
