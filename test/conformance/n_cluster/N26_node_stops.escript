#!/usr/bin/env escript
%%! -sname n26_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N26
%%% title: the other node stops cleanly (init:stop): its connections close before its processes end, so links and monitors get noconnection, then nodedown
-include("n.hrl").
main(_) ->
    {_Peer, B} = start_b("n26"),
    name(self(), test),
    process_flag(trap_exit, true),
    R1 = puppet(B, r1),
    R2 = puppet(B, r2),
    link(R1),
    name(monitor(process, R1), m1),
    name(monitor(process, R2), m2),
    monitor_node(B, true),
    erpc:cast(B, init, stop, []),
    log_until_nodedown(),
    log_mailbox(500).
