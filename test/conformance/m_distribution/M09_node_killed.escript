#!/usr/bin/env escript
%%! -sname m09_a
%%% id: M09
%%% title: the other node is killed (SIGKILL): links and monitors fire once with noconnection, then nodedown
-include("m.hrl").
main(_) ->
    {_Peer, B} = start_b("m09"),
    name(self(), test),
    process_flag(trap_exit, true),
    R1 = puppet(B, r1),
    R2 = puppet(B, r2),
    link(R1),
    name(monitor(process, R1), m1),
    name(monitor(process, R2), m2),
    monitor_node(B, true),
    OsPid = erpc:call(B, os, getpid, []),
    os:cmd("kill -9 " ++ OsPid),
    log_until_nodedown(),
    log_mailbox(200),
    log("nodes ~w", [nodes()]).
