#!/usr/bin/env escript
%%! -sname n06_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N06
%%% title: monitoring or linking a remote process that has exited gives DOWN and EXIT noproc
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n06"),
    name(self(), test),
    process_flag(trap_exit, true),
    D = puppet(B, d),
    M0 = monitor(process, D),
    D ! {do, self(), {exit, normal}},
    receive {'DOWN', M0, process, D, normal} -> ok end,
    name(monitor(process, D), m),
    log("link ~w", [link(D)]),
    log_mailbox(500),
    peer:stop(Peer).
