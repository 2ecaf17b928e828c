#!/usr/bin/env escript
%%! -sname n40_a
%%% id: N40
%%% title: a clash after a partition heals with a resolve function: it runs once, on the node of the smaller name, and its answer holds on both
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n40"),
    name(self(), test),
    register(test, self()),
    partition(Peer, B),
    Keep = fun n_help:keep_other/3,
    Pa = name(spawn(n_help, puppet, []), pa),
    log("register pa at a ~w", [global:register_name(leader, Pa, Keep)]),
    {Pb, Yes} = peer:call(Peer, n_help, sink, [{leader, Keep}]),
    name(Pb, pb),
    log("register pb at b ~w", [Yes]),
    heal(Peer, B),
    log("whereis at a ~w", [global:whereis_name(leader)]),
    log("whereis at b ~w", [erpc:call(B, global, whereis_name, [leader])]),
    log("recv ~w", [flush(200)]),
    log("pa alive ~w, pb alive ~w", [is_process_alive(Pa), erpc:call(B, erlang, is_process_alive, [Pb])]),
    peer:stop(Peer).
