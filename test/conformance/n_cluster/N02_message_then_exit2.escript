#!/usr/bin/env escript
%%! -sname n02_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N02
%%% title: a remote process's messages, then its exit/2 signal, arrive in the order it sent them
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n02"),
    Test = name(self(), test),
    process_flag(trap_exit, true),
    P = puppet(B, p),
    log("do ~w", [do(P, {all, [{send, Test, one}, {send, Test, two}, {exit, Test, bye}, {send, Test, three}]})]),
    log_mailbox(300),
    peer:stop(Peer).
