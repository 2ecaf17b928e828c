#!/usr/bin/env escript
%%! -sname m08_a
%%% id: M08
%%% title: disconnect_node: every link and monitor across the connection fires once with noconnection, on both sides, then nodedown
-include("m.hrl").
main(_) ->
    {Peer, B} = start_b("m08"),
    name(self(), test),
    process_flag(trap_exit, true),
    R1 = puppet(B, r1),
    R2 = puppet(B, r2),
    W = puppet(B, w),
    link(R1),
    link(R2),
    name(monitor(process, R1), m1),
    name(monitor(process, R1), m2),
    monitor_node(B, true),
    false = do(W, {trap, true}),
    true = do(W, {link, self()}),
    name(do(W, {monitor, self()}), wm),
    true = erlang:disconnect_node(B),
    log_mailbox(500),
    %% W lives on (b did not stop); asking it reconnects.
    log("w mailbox ~w", [do(W, mailbox)]),
    peer:stop(Peer).
