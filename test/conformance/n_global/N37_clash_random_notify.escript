#!/usr/bin/env escript
%%! -sname n37_a
%%% id: N37
%%% title: a clash after a partition heals, random_notify_name: the pid of the smaller node name keeps it, the other is told and lives
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n37"),
    name(self(), test),
    partition(Peer, B),
    Pa = name(spawn(n_help, puppet, []), pa),
    log("register pa at a ~w", [global:register_name(leader, Pa, fun global:random_notify_name/3)]),
    {Pb, Yes} = peer:call(Peer, n_help, sink, [{leader, fun global:random_notify_name/3}]),
    name(Pb, pb),
    log("register pb at b ~w", [Yes]),
    heal(Peer, B),
    log("whereis at a ~w", [global:whereis_name(leader)]),
    log("whereis at b ~w", [erpc:call(B, global, whereis_name, [leader])]),
    log("pa mailbox ~w", [do(Pa, mailbox)]),
    log("pb mailbox ~w", [do(Pb, mailbox)]),
    peer:stop(Peer).
