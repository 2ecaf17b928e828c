#!/usr/bin/env escript
%%! -sname n34_a
%%% id: N34
%%% title: the node of a registered process is killed: its name goes with it
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n34"),
    name(self(), test),
    process_flag(trap_exit, true),
    P = puppet(B, p),
    Q = puppet(node(), q),
    log("register p ~w", [do(P, {register, on_b})]),
    log("register q ~w", [global:register_name(on_a, Q)]),
    log("names ~w", [lists:sort(global:registered_names())]),
    monitor_node(B, true),
    OsPid = erpc:call(B, os, getpid, []),
    os:cmd("kill -9 " ++ OsPid),
    receive {nodedown, _} = Down -> log("recv ~w", [Down]) end,
    log("whereis on_b ~w", [until(fun() -> global:whereis_name(on_b) end, undefined)]),
    log("names ~w", [global:registered_names()]),
    exit(Q, kill),
    _ = Peer. % b is gone: nothing to stop
