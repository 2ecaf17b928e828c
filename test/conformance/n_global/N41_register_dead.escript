#!/usr/bin/env escript
%%! -sname n41_a
%%% id: N41
%%% title: register_name of a process that has exited says yes, and the name is gone soon after
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n41"),
    name(self(), test),
    P = puppet(B, p),
    Ref = monitor(process, P),
    P ! {do, self(), {exit, normal}},
    receive {'DOWN', Ref, process, _, Reason} -> log("p exited ~w", [Reason]) end,
    log("register ~w", [global:register_name(svc, P)]),
    log("whereis ~w", [until(fun() -> global:whereis_name(svc) end, undefined)]),
    peer:stop(Peer).
