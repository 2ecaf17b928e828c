#!/usr/bin/env escript
%%! -sname n30_a
%%% id: N30
%%% title: register_name from a for a process of b: yes; every node finds it; send reaches it and returns its pid
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n30"),
    name(self(), test),
    P = puppet(B, p),
    log("register ~w", [global:register_name(svc, P)]),
    log("whereis at a ~w", [global:whereis_name(svc)]),
    log("whereis at b ~w", [erpc:call(B, global, whereis_name, [svc])]),
    log("names at a ~w, at b ~w", [global:registered_names(), erpc:call(B, global, registered_names, [])]),
    log("send returns ~w", [global:send(svc, hello)]),
    log("p mailbox ~w", [do(P, mailbox)]),
    peer:stop(Peer).
