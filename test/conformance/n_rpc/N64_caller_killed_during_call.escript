#!/usr/bin/env escript
%%! -sname n64_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N64
%%% title: the caller killed during erpc:call: the function's process runs on and finishes
-include("nr.hrl").
main(_) ->
    {_Peer, B} = start_b("n64"),
    Test = self(),
    Caller = name(spawn(fun() -> erpc:call(B, nr_help, sleep_then, [Test, 300, finished]) end), caller),
    monitor(process, Caller),
    timer:sleep(100), % the call is running on b
    exit(Caller, kill),
    receive {'DOWN', _, process, Caller, R} -> log("caller DOWN ~w", [R]) end,
    receive finished -> log("recv finished", []) end,
    log_mailbox(300).
