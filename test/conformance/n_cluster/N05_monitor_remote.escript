#!/usr/bin/env escript
%%! -sname n05_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N05
%%% title: a monitor of a remote process delivers DOWN with its exit reason once; a demonitored one delivers nothing
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n05"),
    name(self(), test),
    P = puppet(B, p),
    name(monitor(process, P), m1),
    M2 = monitor(process, P),
    log("demonitor ~w", [demonitor(M2)]),
    P ! {do, self(), {exit, bye}},
    log_mailbox(500),
    peer:stop(Peer).
