#!/usr/bin/env escript
%%! -sname n12_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N12
%%% title: disconnect_node: links and monitors across fire once with noconnection on both sides, then nodedown; reconnected, the same processes answer and new links and monitors work
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n12"),
    name(self(), test),
    process_flag(trap_exit, true),
    W = puppet(B, w),
    log("w trap ~w", [do(W, {trap, true})]),
    log("w link ~w", [do(W, {link, self()})]),
    name(monitor(process, W), m1),
    monitor_node(B, true),
    log("disconnect ~w", [erlang:disconnect_node(B)]),
    log_until_nodedown(),
    log_mailbox(300),
    log("connect ~w", [net_kernel:connect_node(B)]),
    log("nodes ~w", [nodes()]),
    log("w mailbox ~w", [do(W, mailbox)]),
    name(monitor(process, W), m2),
    exit(W, kill),
    log_mailbox(500),
    peer:stop(Peer).
