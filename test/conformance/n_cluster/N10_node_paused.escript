#!/usr/bin/env escript
%%! -sname n10_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N10
%%% title: the other node paused with SIGSTOP past the tick time: lost as if killed; resumed, it is the same incarnation: a process it kept answers, one linked across the lost connection died of it
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n10"),
    name(self(), test),
    process_flag(trap_exit, true),
    R1 = puppet(B, r1),
    R2 = puppet(B, r2),
    link(R1),
    name(monitor(process, R1), m1),
    monitor_node(B, true),
    OsPid = os_pid(B),
    signal(OsPid, "STOP"),
    log_until_nodedown(),
    log_mailbox(500),
    log("nodes ~w", [nodes()]),
    signal(OsPid, "CONT"),
    %% Nothing is sent from here, yet within 3 s they are connected again: global (running on
    %% every node by default) reconnects them. With `-connect_all false` on both nodes they stay
    %% apart until the send below, which connects them (checked by hand).
    timer:sleep(3000),
    log("nodes ~w", [nodes()]),
    %% The resumed node is the same incarnation: r2 lived through it and answers.
    log("r2 mailbox ~w", [do(R2, mailbox)]),
    log("nodes ~w", [nodes()]),
    %% r1 did not trap exits: the lost connection's noconnection ended it on b too.
    name(monitor(process, R1), m2),
    log_mailbox(500),
    peer:stop(Peer).
