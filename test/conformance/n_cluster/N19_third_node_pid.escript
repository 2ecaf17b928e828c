#!/usr/bin/env escript
%%! -sname n19_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N19
%%% title: a pid of a third node, relayed by a process of b, is usable: a send reaches it, a monitor reports its exit
-include("n.hrl").
main(_) ->
    {PeerB, B} = start_b("n19"),
    {PeerC, C} = start_c("n19"),
    name(self(), test),
    Q = puppet(B, q),
    log("relay ~w", [do(Q, {relay_puppet, C, self()})]),
    R = receive {relayed, Pid} -> name(Pid, r) end,
    log("r mailbox ~w", [do(R, mailbox)]),
    name(monitor(process, R), m),
    R ! {do, self(), {exit, bye}},
    log_mailbox(300),
    log("nodes ~w", [lists:sort(nodes())]),
    peer:stop(PeerC),
    peer:stop(PeerB).
