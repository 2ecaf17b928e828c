#!/usr/bin/env escript
%%! -sname m04_a
%%% id: M04
%%% title: monitors of a remote process deliver DOWN with its reason; a demonitored one delivers nothing
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m04"),
    name(self(), test),
    P = puppet(B, p),
    name(monitor(process, P), m1),
    M2 = name(monitor(process, P), m2),
    true = demonitor(M2),
    P ! {do, self(), {exit, boom}},
    log_mailbox(500),
    peer:stop(Peer).
