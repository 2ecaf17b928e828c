#!/usr/bin/env escript
%%! -sname n36_a
%%% id: N36
%%% title: a clash after a partition heals, notify_all_name: nobody keeps the name, both are told, both live
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n36"),
    name(self(), test),
    partition(Peer, B),
    Pa = name(spawn(n_help, puppet, []), pa),
    log("register pa at a ~w", [global:register_name(leader, Pa, fun global:notify_all_name/3)]),
    {Pb, Yes} = peer:call(Peer, n_help, sink, [{leader, fun global:notify_all_name/3}]),
    name(Pb, pb),
    log("register pb at b ~w", [Yes]),
    heal(Peer, B),
    log("whereis at a ~w", [global:whereis_name(leader)]),
    log("whereis at b ~w", [erpc:call(B, global, whereis_name, [leader])]),
    log("pa mailbox ~w", [do(Pa, mailbox)]),
    log("pb mailbox ~w", [do(Pb, mailbox)]),
    peer:stop(Peer).
