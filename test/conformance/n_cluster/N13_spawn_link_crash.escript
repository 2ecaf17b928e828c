#!/usr/bin/env escript
%%! -sname n13_a -kernel net_ticktime 2 -kernel logger_level none
%%% id: N13
%%% title: spawn_link on another node of a function that crashes: a trapping caller gets EXIT with the crash, a non-trapping one dies with it
-include("n.hrl").
main(_) ->
    {Peer, B} = start_b("n13"),
    name(self(), test),
    process_flag(trap_exit, true),
    name(spawn_link(B, n_help, crash, [boom]), c),
    receive {'EXIT', _, _} = E -> log("recv ~w", [E]) end,
    {L, M} = spawn_monitor(fun() -> spawn_link(B, n_help, crash, [boom]), receive after infinity -> ok end end),
    name(L, l),
    name(M, ml),
    log_mailbox(500),
    peer:stop(Peer).
