#!/usr/bin/env escript
%%! -sname n35_a
%%% id: N35
%%% title: a clash after a partition heals, default random_exit_name: the pid of the smaller node name keeps the name, the other is killed
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n35"),
    name(self(), test),
    partition(Peer, B),
    Pa = name(spawn(n_help, puppet, []), pa),
    log("register pa at a ~w", [global:register_name(leader, Pa)]),
    {Pb, Yes} = peer:call(Peer, n_help, sink, [{leader, fun global:random_exit_name/3}]),
    name(Pb, pb),
    log("register pb at b ~w", [Yes]),
    ok = peer:call(Peer, n_help, watch, [Pb]),
    heal(Peer, B),
    log("whereis at a ~w", [global:whereis_name(leader)]),
    log("whereis at b ~w", [erpc:call(B, global, whereis_name, [leader])]),
    log("pb exited ~w", [until(fun() -> erpc:call(B, persistent_term, get, [n_down, none]) end, killed)]),
    log("pa alive ~w", [is_process_alive(Pa)]),
    peer:stop(Peer).
