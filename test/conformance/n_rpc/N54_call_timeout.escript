#!/usr/bin/env escript
%%! -sname n54_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N54
%%% title: a call that times out raises error {erpc, timeout}; the function's process runs on and finishes; its late result never reaches the caller
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n54"),
    call("slow", B, nr_help, sleep_then, [self(), 500, finished], 100),
    receive finished -> log("recv finished", []) end,
    log_mailbox(300).
