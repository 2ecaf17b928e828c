#!/usr/bin/env escript
%%! -sname n31_a
%%% id: N31
%%% title: a taken name, and a second name for a registered process, are refused (no), from either node
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n31"),
    name(self(), test),
    P = puppet(B, p),
    Q = puppet(B, q),
    log("register p ~w", [global:register_name(svc, P)]),
    log("register q under the same name, from a ~w", [global:register_name(svc, Q)]),
    log("register q under the same name, from b ~w", [do(Q, {register, svc})]),
    log("register p under a second name ~w", [global:register_name(other, P)]),
    log("names ~w", [global:registered_names()]),
    peer:stop(Peer).
