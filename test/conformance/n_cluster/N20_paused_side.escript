#!/usr/bin/env escript
%%! -sname n20_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N20
%%% title: the paused node's own side: resumed after SIGSTOP past the tick time, its links and monitors to the other node fire once with noconnection, then nodedown, before anything of the new connection
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n20"),
    Test = name(self(), test),
    process_flag(trap_exit, true),
    W = puppet(B, w),
    log("w trap ~w", [do(W, {trap, true})]),
    log("w link ~w", [do(W, {link, Test})]),
    name(do(W, {monitor, Test}), wm),
    log("w monitor_node ~w", [do(W, {monitor_node, node()})]),
    OsPid = os_pid(B),
    monitor_node(B, true),
    signal(OsPid, "STOP"),
    log_until_nodedown(),
    signal(OsPid, "CONT"),
    %% The nodes are connected again (global does it, see N10); w tells what b saw.
    log("w mailbox ~w", [do(W, mailbox)]),
    log_mailbox(300),
    peer:stop(Peer).
