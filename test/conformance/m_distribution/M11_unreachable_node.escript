#!/usr/bin/env escript
%%! -sname m11_a
%%% id: M11
%%% title: monitoring or linking a process of a node that cannot be reached gives noconnection
-include("m.hrl").
main(_) ->
    {_Peer, B} = start_b("m11"),
    name(self(), test),
    P = puppet(B, p),
    monitor_node(B, true),
    OsPid = erpc:call(B, os, getpid, []),
    os:cmd("kill -9 " ++ OsPid),
    receive {nodedown, _} -> ok end,
    process_flag(trap_exit, true),
    name(monitor(process, P), m),
    log("link ~w", [link(P)]),
    log_mailbox(500).
