#!/usr/bin/env escript
%%! -sname n33_a
%%% id: N33
%%% title: a registered process that exits loses its name on both nodes
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n33"),
    name(self(), test),
    P = puppet(B, p),
    log("register ~w", [global:register_name(svc, P)]),
    Ref = monitor(process, P),
    P ! {do, self(), {exit, boom}},
    receive {'DOWN', Ref, process, _, Reason} -> log("p exited ~w", [Reason]) end,
    log("whereis at a ~w", [until(fun() -> global:whereis_name(svc) end, undefined)]),
    log("whereis at b ~w", [until(fun() -> erpc:call(B, global, whereis_name, [svc]) end, undefined)]),
    log("names ~w", [global:registered_names()]),
    peer:stop(Peer).
